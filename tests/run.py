#!/usr/bin/python3
"""Aramid test harness: boot a kernel in QEMU (TCG) and run the test suites.

  tests/run.py --kernel PATH --initrd PATH --name LABEL
               [--suite abi|interactive|all|panic|faults|lockpanic|net|disk]
               [--net]
               [--disk PATH[,ro]]... [--append EXTRA]
               [--timeout S] [--mem 128M] [--log FILE]

abi:          boots with aramid.test=abi; /init runs every /tests/abi_* program,
              each of which prints PASS/FAIL lines and a final "DONE <prog>".
              A program whose DONE is missing counts as a failure (it crashed).
interactive:  drives the BusyBox shell on the serial console with pexpect.
net:          (needs --net) drives the shell to configure eth0 and move
              data between guest and host (tests/net.py).
disk:         (needs the images of tests/mkdisk.py: --disk DIR/disk.img
              --disk DIR/disk-ro.img,ro, then those of tests/mkext2.py:
              ext2.img, ext2-badmagic.img, ext2-baddir.img and ext4.img,
              each ,ro, then ext2w.img and ext2-rocompat.img read-write,
              then gpt.img and gpt-badprimary.img,ro, then
              ext2-icache.img read-write) boots twice with
              aramid.test=disk, DISK_BOOT=1 then 2 (with `gpt` too): /init
              runs every /tests/disk_* program (tests/abi/disk_blk.c,
              disk_ext2.c, disk_ext2w.c, disk_gpt.c, disk_mbr.c, ...) as
              the abi suite runs its
              own; then the host reads back from the image what the guest
              wrote; then a third boot runs disk_durable alone, is killed
              with SIGKILL once its file is fsynced, and the host reads
              the file from ext2w.img; with --bigdisk (ext2-big.img) a
              fourth boot of 128 MiB runs disk_bigread alone with that
              image as vda; with --wbdisk (ext2-wb.img) a fifth boot of
              128 MiB runs disk_writeback alone with that one as vda.
lockpanic:    (a FAULT_INJECT kernel) one boot per rule of the spinlock
              checker, aramid.locktest=RULE: fortress must panic with one
              report naming the lock and its sites, the other profiles
              skip the misuse (run_lockpanic).
--disk attaches a raw image as the next virtio-blk disk (vda, vdb, ...;
",ro" read-only), as -drive file=PATH,if=virtio,format=raw does.
--net replaces -net none with a virtio-net device on QEMU user networking,
the guest's port 80 forwarded from a free host port on 127.0.0.1.

Every check is printed as one PASS/FAIL line; the last line is exactly
"N passed, N failed" and the exit status is 1 if anything failed.
Any kernel can be booted; the same harness proves the tests on Linux.
"""
import argparse
import os
import re
import select
import signal
import subprocess
import sys
import time

# The fourth and fifth disk boots' memory: less than tests/mkext2.py's
# BIG_MB, and than tests/abi/disk_writeback.c's FILE_MB.
BIGREAD_MEM = '128M'
ANSI = re.compile(r'\x1b\[[0-9;?]*[A-Za-z]|\x1bc')
CHECK_RE = re.compile(r'(PASS|FAIL) ([A-Za-z0-9_.-]+): (.*)$')


class Results:
    def __init__(self, label):
        self.label = label
        self.passed = 0
        self.failed = 0

    def add(self, ok, line):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        print(line, flush=True)

    def ok(self, prog, what):
        self.add(True, 'PASS %s: %s' % (prog, what))

    def fail(self, prog, what, detail):
        self.add(False, 'FAIL %s: %s: %s' % (prog, what, detail))


def qemu_cmd(args, append):
    if args.net:
        # romfile=: no iPXE option ROM, which costs boot time.
        # userland.py's args.sshport: a second port, to the guest's 22.
        fwd = 'hostfwd=tcp:127.0.0.1:%d-:80' % args.hostport
        if getattr(args, 'sshport', 0):
            fwd += ',hostfwd=tcp:127.0.0.1:%d-:22' % args.sshport
        net = ['-netdev', 'user,id=n0,' + fwd,
               '-device', 'virtio-net-pci,netdev=n0,romfile=']
    else:
        net = ['-net', 'none']
    ncpu = getattr(args, 'smp', 1)	# userland.py and pytests.py: one
    smp = ['-smp', str(ncpu)]
    if ncpu > 1:
        smp += ['-accel', 'tcg,thread=multi']
    drives = []
    for d in getattr(args, 'disk', None) or []:
        path, _, mode = d.partition(',')
        drives += ['-drive', 'file=%s,if=virtio,format=raw%s'
                   % (path, ',readonly=on' if mode == 'ro' else '')]
    return ['qemu-system-x86_64', '-M', 'pc', '-cpu', 'max', '-m', args.mem,
            '-nographic', '-no-reboot'] + smp + net + drives + [
            '-kernel', args.kernel, '-initrd', args.initrd,
            '-append', append,
            '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04']


def cmdline(args, abi, extra=''):
    parts = ['console=ttyS0', 'quiet']
    if abi:
        # Unknown key=value words reach init's environment and bare words
        # its arguments, on Linux and Aramid alike (abi_boot checks them).
        parts += ['aramid.test=abi', 'ARAMID_BOOT_ENV=yes', 'aramid_boot_arg']
    if extra:
        parts.append(extra)
    if args.append:
        parts.append(args.append)
    return ' '.join(parts)


def tail(lines, n=30):
    print('---- last %d lines of console output ----' % n)
    for l in lines[-n:]:
        print('| ' + l)
    print('---- end of console output ----', flush=True)


def write_log(args, suffix, text):
    if args.log:
        with open(args.log + suffix, 'w', errors='replace') as f:
            f.write(text)


def read_console(proc, deadline, handle):
    """Give QEMU's output to handle(line) a line at a time until it ends,
    handle returns True, or the deadline passes: True for the last."""
    fd = proc.stdout.fileno()
    buf = b''
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return True
        r, _, _ = select.select([fd], [], [], min(left, 1.0))
        if not r:
            continue
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        buf += chunk
        while b'\n' in buf:
            raw, buf = buf.split(b'\n', 1)
            if handle(raw.decode('utf-8', 'replace')):
                return False
    if buf:
        handle(buf.decode('utf-8', 'replace'))
    return False


def run_abi(args, res, suite='abi', extra=''):
    """Boot once with aramid.test=abi (or @extra's words, for the disk
    suite) and collect the check lines."""
    print('== %s: %s suite ==' % (args.name, suite), flush=True)
    proc = subprocess.Popen(qemu_cmd(args, cmdline(args, not extra, extra)),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + args.timeout
    lines = []
    listed = []           # programs /init announced it will run
    started = []          # programs in start order
    done = set()
    exits = {}
    suite_end = False
    lock_warnings = None  # the LOCK-CHECK count /init prints at the end

    def handle(line):
        nonlocal suite_end, lock_warnings
        line = ANSI.sub('', line).replace('\r', '')
        lines.append(line)
        m = CHECK_RE.search(line)
        if m:
            res.add(m.group(1) == 'PASS', m.group(0))
            return
        m = re.search(r'ABI-LIST((?: \S+)*)', line)
        if m:
            listed.extend(m.group(1).split())
            return
        m = re.search(r'ABI-START (\S+)', line)
        if m:
            started.append(m.group(1))
            return
        m = re.search(r'\bDONE (\S+)', line)
        if m:
            done.add(m.group(1))
            return
        m = re.search(r'ABI-EXIT (\S+) (\d+)', line)
        if m:
            exits[m.group(1)] = int(m.group(2))
            return
        m = re.search(r'LOCK-CHECK warnings=(\d+)', line)
        if m:
            lock_warnings = int(m.group(1))
            return
        if 'ABI-SUITE-END' in line:
            suite_end = True

    timed_out = read_console(proc, deadline, handle)
    if timed_out:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    write_log(args, '.%s.log' % suite, '\n'.join(lines) + '\n')

    show_tail = False
    for prog in started:
        if prog not in done:
            res.fail(prog, 'program finished (DONE printed)',
                     'missing DONE, exit status %s (crashed or hung)'
                     % exits.get(prog, 'unknown'))
            show_tail = True
    for prog in listed:
        if prog not in started:
            res.fail(prog, 'program ran', 'never started (suite stopped early)')
    if not started:
        res.fail('harness', '%s programs ran' % suite, 'no ABI-START seen')
        show_tail = True
    if timed_out:
        res.fail('harness', '%s suite within %ss' % (suite, args.timeout),
                 'timed out, QEMU killed')
        show_tail = True
    elif not suite_end:
        res.fail('harness', '%s suite end marker' % suite,
                 'QEMU exited (status %s) without ABI-SUITE-END'
                 % proc.returncode)
        show_tail = True
    else:
        what = 'no lock-order warning in the kernel log'
        if lock_warnings == 0:
            res.ok('lockcheck', what)
        else:
            res.fail('lockcheck', what, 'LOCK-CHECK warnings=%s' % lock_warnings)
            show_tail = True
    if show_tail:
        tail(lines)


class Console:
    """QEMU with the guest's serial console under pexpect, for the suites
    that drive the shell: every byte read is kept (lines()), and every
    wait is bounded by one deadline for the whole run (left())."""

    def __init__(self, args, res, suite, prompt=r'~ # '):
        import pexpect
        self.pexpect = pexpect
        self.cmd = qemu_cmd(args, cmdline(args, False))
        self.res = res
        self.suite = suite
        self.prompt = prompt    # the shell's, for sh() and check()
        self.log = []
        self.deadline = time.monotonic() + args.timeout
        self.child = None
        self.spawn()

    def spawn(self):
        """(Re)start QEMU, for a second boot."""
        if self.child:
            self.child.close(force=True)
        self.child = self.pexpect.spawn(self.cmd[0], self.cmd[1:],
                                        encoding='utf-8',
                                        codec_errors='replace', timeout=30,
                                        dimensions=(50, 200))
        self.child.logfile_read = self

    def write(self, s):             # pexpect's logfile_read
        self.log.append(s)

    def flush(self):
        pass

    def left(self, cap):
        return max(0.1, min(cap, self.deadline - time.monotonic()))

    def lines(self):
        return ANSI.sub('', ''.join(self.log)).replace('\r', '').split('\n')

    def send(self, s):
        try:
            self.child.send(s)
        except OSError:
            pass            # QEMU already gone; the expect that follows fails

    def expect(self, pat, cap=30):
        try:
            self.child.expect(pat, timeout=self.left(cap))
            return True
        except (self.pexpect.TIMEOUT, self.pexpect.EOF):
            return False

    def step(self, what, ok, detail='pattern not seen'):
        if ok:
            self.res.ok(self.suite, what)
        else:
            self.res.fail(self.suite, what, detail)
        return ok

    def sh(self, command, cap=30):
        """Run @command in the shell: (its exit status, None if the status
        or the prompt did not come, and its output without the echoed
        command line)."""
        child = self.child
        try:
            child.send(command + '; echo "R""C=$?"\r')
            child.expect(r'RC=(\d+)', timeout=self.left(cap))
            out, rc = child.before, int(child.match.group(1))
            child.expect(self.prompt, timeout=self.left(cap))
        except (self.pexpect.TIMEOUT, self.pexpect.EOF, OSError):
            return None, ''
        out = ANSI.sub('', out).replace('\r', '')
        return rc, out.split('\n', 1)[1] if '\n' in out else ''

    def check(self, what, command, pat=None, cap=30):
        """One step: @command exits 0 and its output matches @pat (if
        given). Returns the output."""
        rc, out = self.sh(command, cap)
        ok = rc == 0 and (pat is None or re.search(pat, out))
        self.step(what, ok, 'exit status %s, output %r' % (rc, out.strip()[-160:]))
        return out

    def close(self):
        if self.child.isalive():
            self.child.terminate(force=True)


def users_session(con, run):
    """A new user, alice, logs in on the console and tries to get in
    where she does not belong; then root's password lets her run one
    command as root through the set-user-id su."""
    send, expect, step = con.send, con.expect, con.step
    root_prompt, user_prompt = con.prompt, r'~ \$ '
    con.check('root makes alice a home',
              'mkdir -p /home/alice && chown 1000:1000 /home/alice && '
              'chmod 700 /home/alice')
    con.check('root adds alice to /etc/passwd and /etc/group',
              "echo 'alice:x:1000:1000:Alice:/home/alice:/bin/sh' >> /etc/passwd"
              " && echo 'alice:x:1000:' >> /etc/group")
    con.check('root gives alice a password hash from mkpasswd',
              'h=$(mkpasswd -m sha512 wonderland) && '
              'echo "alice:$h:19000:0:99999:7:::" >> /etc/shadow && '
              'grep -c "^alice:.6.[^:]*:19000" /etc/shadow', r'(?m)^1\s*$')
    con.check('and root a password too',
              'h=$(mkpasswd -m sha512 toor) && '
              'sed -i "s|^root:[^:]*:|root:$h:|" /etc/shadow')
    con.check('/etc/shadow is root\'s, mode 0640', 'ls -l /etc/shadow',
              r'-rw-r-----\s+1 root\s+root')
    con.check('root runs a command as alice: su alice -c id',
              "su alice -c id", r'uid=1000\(alice\) gid=1000\(alice\)')
    con.check('root makes a file in sticky /tmp', 'echo secret > /tmp/rootfile && '
              'chmod 644 /tmp/rootfile && ls -l /tmp/rootfile',
              r'-rw-r--r--\s+1 root\s+root')

    send('login alice\r')
    ok = expect(r'[Pp]assword:', 15)
    send('wonderland\r')
    ok = ok and expect(user_prompt, 15)
    step('login alice with her password gives her shell', ok)
    con.prompt = user_prompt
    try:
        con.check('id names alice', 'id',
                  r'uid=1000\(alice\) gid=1000\(alice\) groups=1000\(alice\)')
        con.check('whoami', 'whoami', r'^alice\s*$')
        con.check('her home is her own', 'cd && pwd && touch mine && ls -ln mine',
                  r'/home/alice[\s\S]*\s1000\s+1000\s')
        con.check('alice cannot read /etc/shadow',
                  'cat /etc/shadow 2>&1; test $? -ne 0', r'Permission denied')
        con.check('alice cannot write /bin',
                  '(echo x > /bin/x) 2>&1; test $? -ne 0', r'Permission denied')
        con.check('alice cannot list /root',
                  'ls /root 2>&1; test $? -ne 0', r'Permission denied')
        con.check("alice cannot signal root's init",
                  'kill -0 1 2>&1; test $? -ne 0', r'Operation not permitted')
        con.check("alice cannot remove root's file from sticky /tmp",
                  'rm -f /tmp/rootfile 2>&1; test $? -ne 0',
                  r'Operation not permitted')
        con.check('alice cannot chmod /etc/passwd',
                  'chmod 666 /etc/passwd 2>&1; test $? -ne 0',
                  r'Operation not permitted')
        # By path: the shell would run its own, unprivileged su applet.
        send("/bin/su -c 'id -u; head -c 9 /etc/shadow; echo' root\r")
        ok = expect(r'[Pp]assword:', 15)
        send('nope\r')
        ok = ok and expect(r'incorrect password', 15) and expect(user_prompt, 15)
        step('su with a wrong password is refused', ok)
        send("/bin/su -c 'id -u; head -c 5 /etc/shadow; echo' root\r")
        ok = expect(r'[Pp]assword:', 15)
        send('toor\r')
        ok = ok and expect(r'\s0\s+root:', 15) and expect(user_prompt, 15)
        step("su -c with root's password runs the command as root", ok)
    finally:
        send('exit\r')
        con.prompt = root_prompt
        step('alice logs out: back to root', expect(root_prompt, 15))
    run('rm /tmp/rootfile && echo gone', r'gone', 'root still removes its file')


def run_interactive(args, res):
    """Drive the shell on the serial console."""
    import pexpect
    print('== %s: interactive suite ==' % args.name, flush=True)
    prompt = r'~ # '
    con = Console(args, res, 'interactive')
    failed_before = res.failed
    send, expect, step, lines = con.send, con.expect, con.step, con.lines
    log = con.log

    def run(command, pat, what, cap=30):
        send(command + '\r')
        ok = expect(pat, cap) and expect(prompt, cap)
        return step(what, ok)

    fatal = False
    try:
        # Without a prompt every later step still runs (and fails fast,
        # since the deadline has passed), so the step count stays fixed.
        booted = step('boot to shell prompt', expect(prompt, args.timeout))
        fatal = not booted
        step('job control enabled',
             booted and 'job control turned off' not in ''.join(log),
             'shell says job control is off')
        run('echo hello | tr a-z A-Z', r'HELLO', 'pipeline echo | tr')
        run('ls /proc', r'\bself\b', 'ls /proc shows self')
        run('echo $((6*7))', r'\b42\b', 'shell arithmetic')

        # Ctrl-C interrupts a foreground job and the prompt comes back.
        send('sleep 100\r')
        expect(r'sleep 100', 10)
        time.sleep(1.0)
        t0 = time.monotonic()
        send('\x03')
        ok = expect(prompt, 5)
        step('Ctrl-C kills sleep, prompt within 5s', ok,
             'no prompt after %.1fs' % (time.monotonic() - t0))
        run('echo alive$((1+1))', r'alive2', 'shell alive after Ctrl-C')

        # Ctrl-Z stops it, jobs lists it, kill %1 ends it.
        send('sleep 100\r')
        expect(r'sleep 100', 10)
        time.sleep(1.0)
        send('\x1a')
        ok = expect(r'Stopped', 10) and expect(prompt, 10)
        step('Ctrl-Z stops sleep (Stopped shown)', ok)
        run('jobs', r'\[1\][^\n]*Stopped[^\n]*sleep 100', 'jobs lists stopped job')
        # A stopped job only dies of SIGTERM once continued (SIGKILL aside),
        # and ash's kill does not add the SIGCONT itself, so send it too.
        # The pause lets the continued job die before `wait` looks at it
        # (otherwise ash may still see it stopped, on Linux too).
        send('kill %1; kill -CONT %1; sleep 0.5; wait %1; echo rc=$?\r')
        ok = expect(r'rc=143', 10) and expect(prompt, 10)
        step('kill %1 terminates job (status 143)', ok)
        send('jobs; echo END$((1+1))\r')
        ok = expect(r'END2', 10)
        tail_text = con.child.before if ok else ''
        step('job list empty after kill', ok and 'sleep' not in tail_text,
             'jobs still shows: %r' % tail_text.strip()[-80:])
        expect(prompt, 10)

        # fg resumes a stopped job in the foreground; bg in the background.
        send('sleep 2\r')
        expect(r'sleep 2', 10)
        time.sleep(0.5)
        send('\x1a')
        expect(r'Stopped', 10) and expect(prompt, 10)
        run('fg; echo fg=$?', r'fg=0', 'fg resumes the stopped job to completion', 15)
        send('sleep 100\r')
        expect(r'sleep 100', 10)
        time.sleep(0.5)
        send('\x1a')
        expect(r'Stopped', 10) and expect(prompt, 10)
        run('bg', r'\[1\] sleep 100', 'bg continues the job in the background')
        run('jobs', r'\[1\][^\n]*Running[^\n]*sleep 100', 'jobs shows it running')
        run('kill %1; wait %1; echo rc=$?', r'rc=143', 'kill %1 ends the background job')

        # Ctrl-\ sends SIGQUIT to the foreground job.
        send('sleep 100\r')
        expect(r'sleep 100', 10)
        time.sleep(0.5)
        send('\x1c')
        ok = expect(prompt, 5)
        run('echo rc=$?', r'rc=131', 'Ctrl-\\ quits sleep (status 131)')

        run('echo abc > /tmp/f; cat < /tmp/f | wc -c; cat /tmp/nope 2>/dev/null || echo missing',
            r'4\s+missing', 'redirections and a pipeline')
        run('uname -a', r'Linux', 'uname -a says Linux')
        # UTS namespaces: a hostname set after unshare -u stays inside;
        # nsenter joins a namespace through /proc/PID/ns/uts.
        run("h=$(hostname); unshare -u sh -c 'hostname ns-x; hostname'; "
            "[ \"$(hostname)\" = \"$h\" ] && echo same-host",
            r'ns-x\s+same-host', 'unshare -u: hostname stays inside')
        run("unshare -u sh -c 'hostname ns-y; sleep 3' & sleep 1; "
            "nsenter -t $! -u hostname; wait",
            r'wait\s+ns-y\s', 'nsenter -u joins its namespace', 15)
        # Mount namespaces: a mount made after unshare -m stays inside.
        run("mkdir -p /tmp/nsm; unshare -m sh -c 'mount -t tmpfs none "
            "/tmp/nsm && touch /tmp/nsm/in && ls /tmp/nsm'; "
            "[ -e /tmp/nsm/in ] || echo not-outside",
            r'\nin\s+not-outside', 'unshare -m: a mount stays inside')
        run('cat /proc/cmdline', r'console=ttyS0', 'cat /proc/cmdline')
        run('ps', r'PID\s+USER\s+(TIME\s+)?COMMAND[^$]*\bps\b', 'ps lists processes')
        run('free', r'Mem:\s+[1-9]\d*\s+\d+\s+\d+', 'free shows memory')
        run('top -n1 | head -4', r'Load average: \d+\.\d\d', 'top -n1 prints a summary')
        run('uptime', r'load average: \d+\.\d\d, \d+\.\d\d, \d+\.\d\d', 'uptime')
        run('mount', r'proc on /proc type proc', 'mount lists /proc')
        run('df /', r'Filesystem\s+1K-blocks', 'df prints a table')
        run('dmesg | head -n 2', r'\[\s*0\.\d{6}\]', 'dmesg shows the kernel log')

        # vi: insert a line, save and quit; the file holds it.
        send('vi /tmp/vi.txt\r')
        time.sleep(1.0)
        send('ihello from vi\x1b')
        time.sleep(0.5)
        send(':wq\r')
        expect(prompt, 10)
        run('cat /tmp/vi.txt', r'hello from vi', 'vi edits and saves a file')

        users_session(con, run)

        # A session leader that takes the console and exits hangs it up
        # (Linux's disassociate_ctty): the shell's files read end of file,
        # the shell ends, and init starts a new one on a fresh open.
        send('setsid -c true\r')
        step('a session leader\'s exit hangs the console up: a new shell',
             expect(r'built-in shell', 15) and expect(prompt, 15))
        run('echo alive', r'alive', 'the new shell has the terminal')
        run('tty', r'/dev/ttyS0', 'on the console\'s tty')

        send('poweroff\r')
        step('poweroff exits QEMU', expect(pexpect.EOF, 30),
             'QEMU still running')

        # A second boot for reboot -f (QEMU runs with -no-reboot).
        con.spawn()
        step('second boot to shell prompt', expect(prompt, args.timeout))
        send('reboot -f\r')
        step('reboot -f exits QEMU', expect(pexpect.EOF, 30),
             'QEMU still running')
    finally:
        con.close()
        write_log(args, '.interactive.log', '\n'.join(lines()) + '\n')
        if fatal or res.failed > failed_before:
            tail(lines())


def boot_once(args, mode, log_suffix):
    """Boot with test @mode, no input, until QEMU exits or the timeout:
    the console text (ANSI stripped) and QEMU's exit status (None if it
    had to be killed)."""
    cmd = qemu_cmd(args, 'console=ttyS0 quiet ' + mode)
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=args.timeout)
        out, code = proc.stdout.decode('utf-8', 'replace'), proc.returncode
    except subprocess.TimeoutExpired as e:
        out, code = (e.stdout or b'').decode('utf-8', 'replace'), None
    text = ANSI.sub('', out).replace('\r', '')
    write_log(args, log_suffix, text)
    return text, code


def run_panic(args, res):
    """Crash the kernel on purpose (Aramid only: Linux hangs on a panic
    unless told to reboot): the panic must print its message, registers
    and a symbolized backtrace, then end QEMU with a failure status."""
    print('== %s: panic suite ==' % args.name, flush=True)
    P = 'panic'
    text, code = boot_once(args, 'aramid.test=panic', '.panic.log')
    checks = [
        ('crash requested', 'PANIC-TEST-START' in text),
        ('panic message', re.search(r'Kernel panic.*sysrq triggered crash', text)),
        ('registers printed', re.search(r'RIP: [0-9a-f]{16}', text) and
         re.search(r'RSP: [0-9a-f]{16}', text)),
        ('symbolized backtrace', re.search(
            r'Call trace:\n(.*\n)*.*\[<0x[0-9a-f]+>\] [a-z_]+\+0x[0-9a-f]+', text)),
        ('the system stopped', 'PANIC-TEST-SURVIVED' not in text),
        ('QEMU exits with a failure status (3)', code == 3),
    ]
    for what, ok in checks:
        if ok:
            res.ok(P, what)
        else:
            res.fail(P, what, 'exit status %s' % code)
    if res.failed:
        tail(text.split('\n'))


def run_faults(args, res):
    """On a FAULT_INJECT kernel: faults inside the faultfs service (and one
    inside the network service, tests/abi/fault_net.c) are
    contained (fortress, balanced: EIO, the kernel lives on; fortress also
    refuses a forged capability with EPERM) or panic the kernel naming the
    service (performance, ludicrous). The profile comes from --name."""
    print('== %s: fault containment suite ==' % args.name, flush=True)
    P = 'faults'
    text, code = boot_once(args, 'aramid.test=faults', '.faults.log')
    lines = [l[len('FAULT '):] for l in text.split('\n') if l.startswith('FAULT ')]
    failed_before = res.failed

    def check(what, ok, detail=''):
        if ok:
            res.ok(P, what)
        else:
            res.fail(P, what, detail or 'not seen')

    check('faultfs mounts', 'mount rc=0' in lines, str(lines[:1]))
    # The lock-order self-test at boot (platform/spinlock_selftest.c): two
    # test locks taken in both orders, twice; only fortress checks
    # spinlocks (CONFIG_SPINLOCK_CHECKS).
    check('the lock-order self-test ran',
          'spinlock self-test: selftest-a and selftest-b taken in both '
          'orders, twice' in text)
    inv = re.findall(r'lock order inversion: .*', text)
    site = r'platform/spinlock_selftest\.c:\d+'
    if args.name == 'fortress':
        check('the lock-order inversion is reported exactly once, naming '
              'both classes and sites', len(inv) == 1 and re.match(
                  r'lock order inversion: CPU \d+ takes selftest-a at %s '
                  r'while holding selftest-b \(taken at %s\); earlier '
                  r'selftest-a was held \(taken at %s\) when selftest-b '
                  r'was taken at %s$' % (site, site, site, site),
                  inv[0].rstrip()), str(inv))
    else:
        check('no lock-order check in this profile: no report', not inv,
              str(inv))
    check('ok reads before any fault', any(l.startswith('ok rc=0 ok') for l in lines))
    faults = ['panic', 'null-deref', 'gp', 'ud', 'divide', 'bounds',
              'overflow', 'stack-smash', 'lock-then-panic']
    if args.name in ('fortress', 'balanced'):
        for f in faults:
            got = [l for l in lines if l.split(' ')[0] == f]
            check('%s: EIO, kernel lives' % f,
                  got and all('rc=1' in l and 'Input/output error' in l
                              for l in got), str(got))
        got = [l for l in lines if l.startswith('lock-then-panic')]
        check('lock released: a second lock-then-panic returns', len(got) == 2,
              str(got))
        # The mutex checks (fortress only): faultfs takes its lock twice;
        # the contained panic names the lock and both sites, and the
        # lock-then-panic reads after it prove the lock was given back.
        got = [l for l in lines if l.startswith('lock-twice ')]
        rec = re.findall(r'contained panic "(mutex faultfs: recursion: .*?)"',
                         text)
        fsite = r'services/fs/faultfs/faultfs\.c:(\d+)'
        if args.name == 'fortress':
            m = re.fullmatch(r'mutex faultfs: recursion: task \d+ holds it '
                             r'\(taken at %s\) and takes it again at %s'
                             % (fsite, fsite), rec[0]) if len(rec) == 1 else None
            check('lock-twice: the mutex check panics once (contained), '
                  'naming the lock and both sites',
                  m and m.group(1) != m.group(2), str(rec))
            check('lock-twice: EIO, kernel lives', got and
                  'rc=1' in got[0] and 'Input/output error' in got[0],
                  str(got))
        else:
            check('lock-twice: no mutex check in this profile: it reads',
                  got == ['lock-twice rc=0 lock-twice 0'] and not rec,
                  str(got + rec))
        check('forged-cap read itself returns its data',
              any(l.startswith('forged-cap rc=') and 'forged-cap 0' in l
                  for l in lines))
        after = [l for l in lines if l.startswith('ok ')][-1:]
        if args.name == 'fortress':
            check('forged capability refused (EPERM)', after and
                  'rc=1' in after[0] and 'Operation not permitted' in after[0],
                  str(after))
        else:
            check('no runtime token in balanced: next call works',
                  after and 'rc=0' in after[0], str(after))
        check('network service fault: setsockopt gets EIO',
              any(l.startswith('net-setsockopt rc=5 ') for l in lines),
              str([l for l in lines if l.startswith('net-')]))
        check('network service failed after its fault: new sockets get EIO',
              any(l.startswith('net-after rc=5 ') for l in lines))
        check('a socket of the failed service still closes',
              'net-close rc=0 ok' in lines)
        check('AF_UNIX (ring 1) unaffected', 'net-unix rc=0 ok' in lines)
        check('the network fault is logged, naming the service',
              'service net: setsockopt: contained' in text)
        check('tmpfs still works', 'tmpfs tmpfs-data' in lines)
        check('procfs still works', any(l.startswith('procfs ') for l in lines))
        check('faultfs mounts again and works',
              any(l.startswith('remount rc=0 ok') for l in lines))
        check('a mapping of a faultfs file reads its page (page cache)',
              'mmap-ok rc=0 ok 0' in lines,
              str([l for l in lines if l.startswith('mmap-')]))
        check('the service faulting to fill a mapped page: SIGBUS, '
              'kernel lives', 'mmap-fault mapped=1 sig=7' in lines,
              str([l for l in lines if l.startswith('mmap-')]))
        check('a failed writeback of a mapped page: the next fsync says '
              'EIO, once', 'wb-error mapped=1 fsync=5 then=0' in lines,
              str([l for l in lines if l.startswith('wb-error')]))
        check('contained faults are logged, naming the service',
              len(re.findall(r'service faultfs: read: contained', text)) >= 9 or
              'FAULTS-END' in text)
        bg = re.search(r'background ok=(\d+) eio=(\d+) eperm=(\d+) '
                       r'lines=(\d+)', text)
        n = [int(x) for x in bg.groups()] if bg else []
        check('the service read from a second shell (CPU) meanwhile: data, '
              'EIO or EPERM, nothing else', n and n[0] > 0 and
              n[0] + n[1] + n[2] == n[3], bg.group(0) if bg else '')
        check('the run completes', 'FAULTS-END' in text and code == 0,
              'exit status %s' % code)
    else:
        check('the first fault panics the kernel',
              re.search(r'Kernel panic: .*faultfs', text), text[-300:])
        check('the panic names the service', 'faultfs' in text)
        check('no fault is survived', not any(l.split(' ')[0] in faults[1:]
                                             for l in lines))
        check('one panic report, from one CPU', len(re.findall(
              r'Kernel panic', text)) == 1, str(re.findall(r'Kernel panic.*', text)))
        check('QEMU exits with a failure status (3)', code == 3,
              'exit status %s' % code)
    if res.failed > failed_before:
        tail(text.split('\n'))


# The deliberate misuses of the lock checker's self-test (FAULT_INJECT
# builds, platform/spinlock_selftest.c): aramid.locktest=RULE, and the
# one panic report fortress must print for each, naming the lock and its
# sites. The fallback panics of the self-test (its "unchecked" messages)
# do not match: without the check the test fails.
LOCK_SITE = r'platform/spinlock_selftest\.c:(\d+)'
LOCK_PANICS = {
    'recursion': r'spinlock selftest-misuse: recursion: CPU 0 holds it '
                 r'\(taken at %s\) and takes it again at %s$'
                 % (LOCK_SITE, LOCK_SITE),
    'irq': r'spinlock selftest-misuse: taken at %s with interrupts on$'
           % LOCK_SITE,
    'owner': r'spinlock selftest-misuse: given back by CPU 1 at %s, but '
             r'CPU 0 holds it \(taken at %s\)$' % (LOCK_SITE, LOCK_SITE),
}


def run_lockpanic(args, res):
    """On a FAULT_INJECT kernel, one boot per rule of the spinlock checker
    (aramid.locktest=RULE, on two CPUs: "owner" gives the lock back from
    the second): fortress panics at boot with one report naming the lock
    and its sites; the other profiles, which do not check spinlocks, say
    the misuse is skipped and boot on to /init's crash test. The profile
    comes from --name."""
    print('== %s: lock panic suite ==' % args.name, flush=True)
    P = 'lockpanic'
    smp = argparse.Namespace(**vars(args))
    smp.smp = max(args.smp, 2)
    failed_before = res.failed

    def check(what, ok, detail=''):
        if ok:
            res.ok(P, what)
        else:
            res.fail(P, what, detail or 'not seen')

    for rule, pattern in LOCK_PANICS.items():
        text, code = boot_once(smp, 'aramid.locktest=%s aramid.test=panic'
                               % rule, '.lockpanic-%s.log' % rule)
        panics = [l.split('Kernel panic: ', 1)[1].rstrip()
                  for l in text.split('\n') if 'Kernel panic: ' in l]
        if args.name == 'fortress':
            check('%s: the rule is broken at boot' % rule,
                  'aramid.locktest=%s: breaking the rule' % rule in text)
            m = re.match(pattern, panics[0]) if len(panics) == 1 else None
            check('%s: one panic report, naming the lock and its sites'
                  % rule, m, str(panics))
            if m and len(m.groups()) == 2:
                check('%s: the two sites differ' % rule,
                      m.group(1) != m.group(2), m.group(0))
            check('%s: the boot stops there' % rule,
                  'PANIC-TEST-START' not in text)
        else:
            check('%s: no check in this profile: skipped' % rule,
                  'aramid.locktest=%s skipped: this profile does not check '
                  'spinlocks' % rule in text)
            check('%s: the boot goes on to the crash test' % rule,
                  len(panics) == 1 and 'sysrq triggered crash' in panics[0],
                  str(panics))
        check('%s: QEMU exits with a failure status (3)' % rule, code == 3,
              'exit status %s' % code)
        if res.failed > failed_before:
            tail(text.split('\n'))
            failed_before = res.failed


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--kernel', required=True)
    ap.add_argument('--initrd', required=True)
    ap.add_argument('--name', required=True, help='label for this kernel')
    ap.add_argument('--suite', choices=['abi', 'interactive', 'all', 'panic',
                                        'faults', 'lockpanic', 'net',
                                        'disk'],
                    default='all')
    ap.add_argument('--net', action='store_true',
                    help='virtio-net on QEMU user networking, a free host '
                    'port on 127.0.0.1 forwarded to the guest\'s port 80')
    ap.add_argument('--disk', action='append', metavar='PATH[,ro]',
                    help='a raw image as the next virtio-blk disk')
    ap.add_argument('--bigdisk', metavar='PATH',
                    help='disk suite: tests/mkext2.py\'s ext2-big.img, read '
                    'by disk_bigread in a fourth boot of BIGREAD_MEM with '
                    'it as the only disk')
    ap.add_argument('--wbdisk', metavar='PATH',
                    help='disk suite: tests/mkext2.py\'s ext2-wb.img, '
                    'written by disk_writeback with files larger than '
                    'memory in a fifth boot of BIGREAD_MEM with it as the '
                    'only disk')
    ap.add_argument('--append', default='', help='extra kernel command line')
    ap.add_argument('--timeout', type=float, default=180,
                    help='hard timeout per boot in seconds')
    ap.add_argument('--mem', default='128M')
    ap.add_argument('--smp', type=int, default=1,
                    help='CPUs; above 1 with multi-threaded TCG')
    ap.add_argument('--log', default='',
                    help='write console logs to LOG.abi.log / LOG.interactive.log')
    args = ap.parse_args()
    for p in (args.kernel, args.initrd):
        if not os.path.isfile(p):
            sys.exit('run.py: no such file: %s' % p)
    if args.suite == 'net' and not args.net:
        sys.exit('run.py: --suite net needs --net')
    if args.suite == 'disk' and len(args.disk or []) < 2:
        sys.exit('run.py: --suite disk needs --disk DIR/disk.img '
                 '--disk DIR/disk-ro.img,ro (tests/mkdisk.py DIR) and the '
                 'ext2 images (tests/mkext2.py DIR)')
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import net
    args.hostport = net.free_port() if args.net else 0

    res = Results(args.name)
    if args.suite in ('abi', 'all'):
        run_abi(args, res)
    if args.suite in ('interactive', 'all'):
        run_interactive(args, res)
    if args.suite == 'panic':
        run_panic(args, res)
    if args.suite == 'faults':
        run_faults(args, res)
    if args.suite == 'lockpanic':
        run_lockpanic(args, res)
    if args.suite == 'disk':
        import disk
        # The second boot with `gpt`: a GPT's backup header serves when
        # its primary is bad (tests/abi/disk_gpt.c).
        for boot, extra in ((1, ''), (2, ' gpt')):
            run_abi(args, res, 'disk%d' % boot,
                    'aramid.test=disk DISK_BOOT=%d%s' % (boot, extra))
        disk.check_image(args.disk[0].partition(',')[0], res)
        for d in args.disk:
            if d.endswith('/ext2-icache.img'):
                disk.check_icache(d, res)
            if d.endswith('/ext2w.img'):
                disk.check_ext2w(d, res)
                qemu = qemu_cmd(args, cmdline(
                    args, False, 'aramid.test=disk DISK_BOOT=3 '
                    'aramid.test.only=disk_durable'))
                if disk.run_durable(args, res, qemu, CHECK_RE, ANSI,
                                    read_console, write_log):
                    disk.check_durable(d, res)
        if args.bigdisk:
            # A file larger than memory through the page cache, alone.
            big = argparse.Namespace(**vars(args))
            big.disk = [args.bigdisk]
            big.mem = BIGREAD_MEM
            run_abi(big, res, 'disk4', 'aramid.test=disk DISK_BOOT=4 '
                    'aramid.test.only=disk_bigread')
        if args.wbdisk:
            # Files larger than memory written, through the page cache too.
            wb = argparse.Namespace(**vars(args))
            wb.disk = [args.wbdisk]
            wb.mem = BIGREAD_MEM
            run_abi(wb, res, 'disk5', 'aramid.test=disk DISK_BOOT=5 '
                    'aramid.test.only=disk_writeback')
    if args.suite == 'net':
        net.run_net(args, res, Console(args, res, 'net'), tail, write_log)
    print('%d passed, %d failed' % (res.passed, res.failed), flush=True)
    sys.exit(1 if res.failed else 0)


if __name__ == '__main__':
    main()
