#!/usr/bin/python3
"""Smoke test of the Debian userland image (scripts/userland.sh).

  tests/userland.py --kernel PATH --initrd build/userland/debian.cpio
                    --name LABEL [--net] [--mem 2G] [--timeout S] [--log FILE]

Boots the kernel with the image and drives the bash login shell on the
serial console (tests/run.py's Console): the prompt and job control, the
machine's /etc (host name, locale, users), coreutils, procps, python3,
perl, gcc compiling and running a program, sqlite3, gdb debugging one
(a breakpoint, a backtrace, a hardware watchpoint and breakpoint),
util-linux's hwclock, redis-server with redis-cli, strace -ff, dpkg
building, installing and removing a package, and with --net the DHCP
lease, resolv.conf, wget from a host HTTP server, nginx serving the host
through a forwarded port, and dropbear taking the host's ssh logins
through another (a command without and with a pty, a login shell);
then exit, which
powers the guest off. Every step prints one PASS/FAIL line, the last
line is "N passed, N failed" (exit status 1 if anything failed), and
the boot and run times are printed.
"""
import argparse
import os
import re
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import net  # noqa: E402
from run import Console, Results, tail, write_log  # noqa: E402

PROMPT = r'root@aramid:~# '
# What the python3 step types in and must print: the modules real
# programs lean on (selectors picks epoll, threads, subprocess, TCP over
# loopback, mmap of a file, flock and lockf, a signal handler, sqlite3 in
# a file, asyncio streams).
PY_SCRIPT = r'''import os, subprocess, threading, socket, selectors, mmap, signal
import fcntl, tempfile, sqlite3, asyncio
print("selector", type(selectors.DefaultSelector()).__name__)
print("sub", subprocess.run(["echo", "x"], capture_output=True).stdout)
r = []; t = threading.Thread(target=lambda: r.append(1)); t.start(); t.join()
print("thread", r)
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
c = socket.create_connection(s.getsockname()); d, _ = s.accept()
c.send(b"tcp"); print("socket", d.recv(3))
with tempfile.NamedTemporaryFile() as f:
    f.write(b"abc"); f.flush(); print("mmap", mmap.mmap(f.fileno(), 3)[:])
    fcntl.flock(f, fcntl.LOCK_EX); fcntl.lockf(f, fcntl.LOCK_SH); print("locks ok")
signal.signal(signal.SIGUSR1, lambda *a: print("signal ok"))
os.kill(os.getpid(), signal.SIGUSR1)
db = sqlite3.connect("t.db"); db.execute("create table t(x)")
db.executemany("insert into t values(?)", [(i,) for i in range(1000)]); db.commit()
print("sqlite", db.execute("select count(*) from t").fetchone()[0])
async def main():
    rd, wr = await asyncio.open_connection(*s.getsockname())
    wr.write(b"as"); await wr.drain(); e, _ = s.accept(); print("asyncio", e.recv(2))
asyncio.run(main())
'''
PY_EXPECT = (r"^selector EpollSelector\nsub b'x\\n'\nthread \[1\]\n"
             r"socket b'tcp'\nmmap b'abc'\nlocks ok\nsignal ok\nsqlite 1000\n"
             r"asyncio b'as'$")
# The program the gdb steps build and debug, as printf(1) takes it. Its
# first line writes no g: stepping over the breakpoint onto a watched
# write hangs under QEMU's TCG (Linux's gdb run too).
HELLO_C = (r'#include <stdio.h>\nint g;\nint main(void)\n{\n'
           r'\tputs("start");\n\tg = 1;\n\tg = 2;\n'
           r'\tprintf("hello %%d\\n", g);\n\treturn 0;\n}\n')
GDB_RUN = ("gdb -batch -ex 'break main' -ex run -ex bt "
           "-ex 'info registers rip' -ex continue ./hello")
GDB_RUN_EXPECT = (r'^Breakpoint 1 at 0x[0-9a-f]+: file hello\.c, line 5\.\n'
                  r'(.|\n)*^Breakpoint 1, main \(\) at hello\.c:5\n5\s+puts\("start"\);\n'
                  r'#0  main \(\) at hello\.c:5\n'
                  r'rip\s+0x[0-9a-f]+\s+0x[0-9a-f]+ <main\+4>\n'
                  r'(.|\n)*^start\n(.|\n)*^hello 2\n'
                  r'(.|\n)*^\[Inferior 1 \(process \d+\) exited normally\]$')
GDB_WATCH = ("gdb -batch -ex 'break main' -ex run -ex 'watch g' "
             "-ex continue -ex continue -ex continue ./hello")
GDB_WATCH_EXPECT = (r'^Hardware watchpoint 2: g\n'
                    r'(.|\n)*^Old value = 0\nNew value = 1\n'
                    r'main \(\) at hello\.c:7\n'
                    r'(.|\n)*^Old value = 1\nNew value = 2\n'
                    r'main \(\) at hello\.c:8\n'
                    r'(.|\n)*^\[Inferior 1 \(process \d+\) exited normally\]$')
GDB_HBREAK = ("gdb -batch -ex 'break main' -ex run -ex 'hbreak 8' "
              "-ex continue -ex 'info registers rip' -ex continue ./hello")
GDB_HBREAK_EXPECT = (r'^Hardware assisted breakpoint 2 at (0x[0-9a-f]+): '
                     r'file hello\.c, line 8\.\n'
                     r'(.|\n)*^Breakpoint 2, main \(\) at hello\.c:8\n'
                     r'8\s+printf\("hello %d\\n", g\);\n'
                     r'rip\s+\1\s+\1 <main\+\d+>\n'
                     r'(.|\n)*^\[Inferior 1 \(process \d+\) exited normally\]$')
# The servers and tools steps. redis: Debian's configuration (a daemon
# on 127.0.0.1:6379, its log in /var/log/redis, its dump in
# /var/lib/redis) without save points, /run/redis made as systemd's
# RuntimeDirectory would; redis-cli waits for it to answer.
REDIS_START = ("mkdir -p /run/redis && redis-server /etc/redis/redis.conf "
               "--save '' && for i in $(seq 100); do "
               "redis-cli ping 2>/dev/null | grep -q PONG && break; sleep 0.1; "
               "done; grep -c 'Ready to accept connections' "
               "/var/log/redis/redis-server.log; cat /run/redis/redis-server.pid")
REDIS_START_EXPECT = r'^1\n\d+$'
REDIS_OPS = ('r() { redis-cli --raw "$@"; }; r set greeting hello; '
             'r get greeting; r incr n; r incrby n 41; r lpush l a b c; '
             'r lrange l 0 -1; r dbsize')
REDIS_OPS_EXPECT = r'^OK\nhello\n1\n42\n3\nc\nb\na\n3$'
# BGSAVE forks a child that writes the dump while the server serves.
REDIS_BGSAVE = ('redis-cli bgsave; for i in $(seq 100); do '
                'redis-cli info persistence | grep -q "^rdb_bgsave_in_progress:0" '
                '&& [ -s /var/lib/redis/dump.rdb ] && break; sleep 0.1; done; '
                'redis-cli info persistence | grep -E "^rdb_(last_bgsave_status|changes_since_last_save):" '
                '| tr -d "\\r"; head -c 5 /var/lib/redis/dump.rdb; echo')
REDIS_BGSAVE_EXPECT = (r'^Background saving started\n'
                       r'rdb_changes_since_last_save:0\n'
                       r'rdb_last_bgsave_status:ok\nREDIS$')
REDIS_STOP = ('redis-cli shutdown nosave; for i in $(seq 100); do '
              '[ -e /run/redis/redis-server.pid ] || break; sleep 0.1; done; '
              'redis-cli ping; pgrep -c redis-server; '
              'tail -n 1 /var/log/redis/redis-server.log | sed "s/.* //"')
REDIS_STOP_EXPECT = (r'^Could not connect to Redis at 127\.0\.0\.1:6379: '
                     r'Connection refused\n0\nbye\.\.\.$')
# memcached as Debian runs it (nobody here: the memcache user is its
# postinst's) on 127.0.0.1:11211; bash's /dev/tcp is the client.
MEMCACHED_START = ('memcached -d -u nobody -l 127.0.0.1 -p 11211 -m 16 && '
                   'for i in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/11211) '
                   '2>/dev/null && break; sleep 0.1; done; pgrep -c memcached')
MEMCACHED_START_EXPECT = r'^1$'
MEMCACHED_OPS = ("exec 3<>/dev/tcp/127.0.0.1/11211 && printf 'set k 0 0 5\\r\\n"
                 "hello\\r\\nget k\\r\\nincr n 1\\r\\nset n 0 0 2\\r\\n41\\r\\n"
                 "incr n 1\\r\\nquit\\r\\n' >&3 && tr -d '\\r' <&3; exec 3<&-")
MEMCACHED_OPS_EXPECT = r'^STORED\nVALUE k 0 5\nhello\nEND\nNOT_FOUND\nSTORED\n42$'
MEMCACHED_STOP = ('pkill -x memcached; for i in $(seq 100); do '
                  'pgrep -x memcached >/dev/null || break; sleep 0.1; done; '
                  'pgrep -x memcached || echo none')
MEMCACHED_STOP_EXPECT = r"^none$"
# apt (--apt): the package lists from the build machine's own apt sources
# through QEMU's user network, then a package the image lacks, run.
APT_UPDATE = ('apt-get -q update > /tmp/apt-update.log 2>&1; echo rc=$?; '
              "grep -E '^(W|E|Err):' /tmp/apt-update.log; ls /var/lib/apt/lists "
              "| grep -c '_Packages'")
APT_UPDATE_EXPECT = r'^rc=0\n[1-9]\d*$'
APT_INSTALL = ('command -v hello || echo no hello; apt-get -q -y install hello '
               '> /tmp/apt-install.log 2>&1; echo rc=$?; '
               "grep -E '^(W|E):' /tmp/apt-install.log; hello; "
               "dpkg-query -W -f '${Status}\\n' hello")
APT_INSTALL_EXPECT = (r'^no hello\nrc=0\nHello, world!\n'
                      r'install ok installed$')
# strace -ff: a program that forks, its child writes and exits 3, the
# parent waits, writes and exits with the child's status; one trace file
# a process (the parent's holds the execve), signals left out.
FORK_C = (r'#include <unistd.h>\n#include <sys/wait.h>\nint main(void)\n{\n'
          r'\tint s;\n\tpid_t p = fork();\n\tif (p == 0) {\n'
          r'\t\twrite(1, "child\\n", 6);\n\t\t_exit(3);\n\t}\n'
          r'\twaitpid(p, &s, 0);\n\twrite(1, "parent\\n", 7);\n'
          r'\treturn WEXITSTATUS(s);\n}\n')
STRACE_RUN = ("printf '%s' > fork.c && gcc fork.c -o fork && rm -rf st && "
              "mkdir st && strace -ff -o st/t -e signal=none "
              "-e trace=execve,clone,clone3,wait4,write,exit_group ./fork; "
              "echo status=$?; cat $(grep -l execve st/t.*); echo ==; "
              "cat $(grep -L execve st/t.*)" % FORK_C)
STRACE_EXPECT = (r'^child\nparent\nstatus=3\n'
                 r'execve\("\./fork", \["\./fork"\], 0x[0-9a-f]+ /\* \d+ vars \*/\) = 0\n'
                 r'clone\(child_stack=NULL, flags=CLONE_CHILD_CLEARTID\|'
                 r'CLONE_CHILD_SETTID\|SIGCHLD, child_tidptr=0x[0-9a-f]+\) = (\d+)\n'
                 r'wait4\(\1, \[\{WIFEXITED\(s\) && WEXITSTATUS\(s\) == 3\}\], 0, NULL\)'
                 r' = \1\n'
                 r'write\(1, "parent\\n", 7\) += 7\n'
                 r'exit_group\(3\) += \?\n\+\+\+ exited with 3 \+\+\+\n==\n'
                 r'write\(1, "child\\n", 6\) += 6\n'
                 r'exit_group\(3\) += \?\n\+\+\+ exited with 3 \+\+\+$')
# dpkg: a package built in the guest (a file and a postinst that leaves
# a marker), installed, listed and removed (with no conffiles, nothing
# of it stays: dpkg -l no longer knows it).
DPKG_DB = ('dpkg --audit && dpkg -S /usr/bin/redis-server /usr/bin/strace && '
           'dpkg -L libc6 | grep -c "^/lib/x86_64-linux-gnu/libc.so.6$" && '
           'dpkg --verify strace | grep -v "^missing .* /usr/share/"; '
           'dpkg -l | grep -c "^ii "')
DPKG_DB_EXPECT = r'^redis-server: /usr/bin/redis-server\nstrace: /usr/bin/strace\n1\n\d{3}$'
DPKG_BUILD = ("rm -rf pk && mkdir -p pk/DEBIAN pk/usr/share/aramid-hello && "
              "echo hello > pk/usr/share/aramid-hello/hello.txt && "
              "printf 'Package: aramid-hello\\nVersion: 1.0\\nArchitecture: all\\n"
              "Maintainer: Aramid <root@aramid>\\nDescription: a test package\\n'"
              " > pk/DEBIAN/control && "
              "printf '#!/bin/sh\\necho \"postinst $1\" > /root/aramid-hello.marker\\n'"
              " > pk/DEBIAN/postinst && chmod 755 pk/DEBIAN/postinst && "
              "dpkg-deb --build pk aramid-hello.deb && dpkg-deb -I aramid-hello.deb "
              "| grep Package; dpkg-deb -c aramid-hello.deb | grep -c hello.txt")
DPKG_BUILD_EXPECT = (r"^dpkg-deb: building package 'aramid-hello' in "
                     r"'aramid-hello\.deb'\.\n Package: aramid-hello\n1$")
# On a terminal dpkg counts up in percent before the total.
DPKG_READING = (r'(\(Reading database \.\.\. (\d+%)?)+\d+ files and '
                r'directories currently installed\.\)')
DPKG_INSTALL = ('dpkg -i aramid-hello.deb && cat /root/aramid-hello.marker '
                '/usr/share/aramid-hello/hello.txt && '
                'dpkg -l aramid-hello | tail -n 1 && dpkg -L aramid-hello | tail -n 1')
DPKG_INSTALL_EXPECT = (r'^Selecting previously unselected package aramid-hello\.\n'
                       + DPKG_READING + r"\n"
                       r'Preparing to unpack aramid-hello\.deb \.\.\.\n'
                       r'Unpacking aramid-hello \(1\.0\) \.\.\.\n'
                       r'Setting up aramid-hello \(1\.0\) \.\.\.\n'
                       r'postinst configure\nhello\n'
                       r'ii  aramid-hello\s+1\.0\s+all\s+a test package\n'
                       r'/usr/share/aramid-hello/hello\.txt$')
DPKG_REMOVE = ('dpkg -r aramid-hello && ls /usr/share/aramid-hello; '
               'dpkg -l aramid-hello | tail -n 1')
DPKG_REMOVE_EXPECT = (r'^' + DPKG_READING + r'\n'
                      r'Removing aramid-hello \(1\.0\) \.\.\.\n'
                      r"ls: cannot access '/usr/share/aramid-hello': "
                      r'No such file or directory\n'
                      r'dpkg-query: no packages found matching aramid-hello$')
# dropbear (Debian's dropbear-bin, its host keys and root's
# authorized_keys made by scripts/userland.sh) as a daemon on port 22,
# which the host reaches through args.sshport; then ssh logs in as root
# with the image's key pair, without a pty and with one (-tt: a pty
# even though the host's stdin is no terminal), and in an interactive
# login shell on that pty.
DROPBEAR_START = ('dropbear -p 22 -P /run/dropbear.pid && for i in $(seq 100); do '
                  '[ -s /run/dropbear.pid ] && break; sleep 0.1; done; '
                  'ps -o user=,args= -p $(cat /run/dropbear.pid)')
DROPBEAR_START_EXPECT = r'^root\s+dropbear -p 22 -P /run/dropbear\.pid$'
SSH_CMD = ('id; tty; echo $$; uname -s; '
           'ps -o sid=,tty=,args= -p $$ | sed "s/^ *//"')
# Without a pty: no tty, the shell is not a session leader with one.
SSH_EXPECT = (r'^uid=0\(root\) gid=0\(root\) groups=0\(root\)\n'
              r'not a tty\n\d+\nLinux\n\d+ \?\s+bash -c .*\n$')
# With one: the shell leads its own session (setsid), the pty's slave
# /dev/pts/N is its controlling terminal (TIOCSCTTY).
SSH_TTY_EXPECT = (r'^uid=0\(root\) gid=0\(root\) groups=0\(root\)\r\n'
                  r'/dev/pts/(\d+)\r\n(\d+)\r\nLinux\r\n'
                  r'\2 pts/\1\s+bash -c .*\r\n$')
DROPBEAR_STOP = ('kill $(cat /run/dropbear.pid) && for i in $(seq 100); do '
                 'pgrep dropbear >/dev/null || break; sleep 0.1; done; '
                 'pgrep -l dropbear; test ! -e /run/dropbear.pid && echo stopped')
NO_BASH = r'/bin/bash does not run on this kernel'     # scripts/userland/init
P = 'userland'


def run_userland(args, res):
    """Boot once and run every step on the console."""
    import pexpect
    print('== %s: Debian userland smoke test ==' % args.name, flush=True)
    tmp = tempfile.TemporaryDirectory(prefix='aramid-userland-')
    with open(os.path.join(tmp.name, 'hello.txt'), 'w') as f:
        f.write('hello from the host\n')
    web = net.serve_dir(tmp.name)
    t0 = time.monotonic()
    con = Console(args, res, P, PROMPT)
    child, step = con.child, con.step
    failed_before = res.failed

    def check(what, command, pat, cap=30):
        con.check(what, command, '(?m)' + pat, cap)

    # Without a prompt every later step still runs (and fails fast, once
    # the deadline has passed), so the step count stays fixed.
    try:
        try:
            got = child.expect([PROMPT, NO_BASH], timeout=con.left(args.timeout))
        except (pexpect.TIMEOUT, pexpect.EOF):
            got = None
        booted = step('boot to the bash prompt (root@aramid)', got == 0,
                      'init says: ' + NO_BASH if got == 1 else 'no prompt')
        boot_s = time.monotonic() - t0
        if not booted:
            con.deadline = time.monotonic()     # the rest fails at once
        step('job control enabled', booted and
             'no job control' not in ''.join(con.log),
             'bash says: no job control')
        check('ls -l / shows merged /usr', 'ls -l /',
              r'^lrwxrwxrwx\s+1 root root\s+\d+ .* bin -> usr/bin$')
        check('python3', "python3 -c 'print(1+1)'", r'^2$', 120)
        check('perl', "perl -e 'print 2*3'; echo", r'^6$', 60)
        check('gcc compiles and runs a program',
              "echo 'int main(){return 42;}' > t.c && gcc t.c -o t && ./t; "
              'echo $?', r'^42$', 300)
        check('sqlite3', "sqlite3 :memory: 'select 1'", r'^1$', 60)
        # gdb: a breakpoint (int3), the backtrace and registers, then a
        # hardware watchpoint (the debug registers, TRAP_HWBKPT).
        check('gdb: break main, run, bt, info registers rip, continue',
              "printf '%s' > hello.c && gcc -g hello.c -o hello && %s"
              % (HELLO_C, GDB_RUN), GDB_RUN_EXPECT, 300)
        check('gdb: a hardware watchpoint (watch g) stops at each write',
              GDB_WATCH, GDB_WATCH_EXPECT, 300)
        check('gdb: a hardware breakpoint (hbreak) stops there',
              GDB_HBREAK, GDB_HBREAK_EXPECT, 300)
        check('a python3 script: epoll, threads, sockets, mmap, locks, '
              'signals, sqlite3, asyncio', "cat > p.py << 'EOF'\n" + PY_SCRIPT +
              "EOF\npython3 p.py", PY_EXPECT, 180)
        check('coreutils: cp -a, mv, rm -r, sort, du, df, stat',
              'mkdir -p d/e && echo hi > d/e/f && cp -a d d2 && mv d2 d3 && '
              'cat d3/e/f && rm -r d d3 && printf "b\\na\\n" | sort && '
              'du -s /etc | cut -f2 && df / | tail -n 1 | cut -d" " -f1 && '
              'stat -c %s:%a /etc/hostname',
              r'^hi\na\nb\n/etc\nrootfs\n7:644$')
        check('top, free and uptime', 'top -b -n1 | head -n 2; free | head -n 2; uptime',
              r'^top - .* load average(.|\n)*^Tasks: (.|\n)*^Mem: (.|\n)* up ')
        check('make, tar and xz', "printf 'all:\\n\\t@echo made\\n' > Makefile && make && "
              'tar czf a.tgz -C /etc passwd group && tar tzf a.tgz && xz -k a.tgz && '
              'xz -dc a.tgz.xz | tar tz | wc -l', r'^made\npasswd\ngroup\n2$', 60)
        check('host name', 'hostname; cat /etc/hostname',
              r'^aramid\naramid$')
        check('C.UTF-8 locale', 'echo $LANG; locale charmap',
              r'^C\.UTF-8\nUTF-8$')
        check('root user', 'id; getent passwd root',
              r'^uid=0\(root\) gid=0\(root\).*\nroot:x:0:0:root:/root:/bin/bash$')
        check('ps aux lists the login shell', 'ps aux', r'^root\s+\d+ .*bash -l$')
        # A PID namespace with its own /proc: its first process is PID 1,
        # and ps there sees only the namespace's processes.
        check('unshare --fork --pid --mount-proc: sh is PID 1, ps sees two',
              "unshare --fork --pid --mount-proc sh -c "
              "'echo pid $$; ps -e -o pid=,comm='",
              r'^pid 1\n\s+1 sh\n\s+2 ps$')
        # A user namespace of its own (util-linux's unshare -r): root
        # there, its one-line maps, setgroups denied, and a hostname in
        # the UTS namespace it owns, not the outer one's.
        check('unshare -r -u: root in a user namespace, its own hostname',
              "unshare -r -u sh -c 'id -u; id -g; cat /proc/self/uid_map "
              "/proc/self/setgroups; hostname inner; hostname'; hostname",
              r'^0\n0\n\s+0\s+0\s+1\ndeny\ninner\naramid$')
        check('awk and vi are Debian\'s alternatives',
              'readlink -f /usr/bin/awk /usr/bin/vi',
              r'^/usr/bin/mawk\n/usr/bin/vim\.tiny$')
        # util-linux's hwclock waits for the RTC's update interrupt (it
        # would say "RTC_UIE_ON ... Invalid argument" and busy-wait
        # without one), sets the clock and reads it back.
        check("util-linux's hwclock: the update interrupt, --systohc, -r",
              'hwclock --verbose | grep "clock tick"; hwclock --systohc && '
              'echo diff=$(( $(date -u -d "$(hwclock -r)" +%s) - '
              '$(date -u +%s) ))',
              r'^Waiting for clock tick\.\.\.\n\.\.\.got clock tick\n'
              r'diff=-?[0-2]$', 60)

        # util-linux's dmesg reads /dev/kmsg: the log, a user's record
        # with its facility and level, and records as they come.
        check("util-linux dmesg reads the kernel log", 'dmesg | head -n 2',
              r'^\[\s*\d+\.\d{6}\] \S.*\n\[\s*\d+\.\d{6}\] \S')
        check('a record written to /dev/kmsg, raw (dmesg -r: its level)',
              "echo '<5>userland kmsg' > /dev/kmsg && dmesg -r | grep 'userland kmsg'",
              r'^<5>\[\s*\d+\.\d{6}\] userland kmsg$')
        check('its facility and level decoded (dmesg -x)',
              "dmesg -x | grep 'userland kmsg'",
              r'^user  :notice: \[\s*\d+\.\d{6}\] userland kmsg$')
        check('dmesg --follow waits for new records',
              "sh -c \"(sleep 1; echo '<5>userland followed' > /dev/kmsg) & "
              "timeout 4 dmesg --follow | grep followed\"",
              r'^\[\s*\d+\.\d{6}\] userland followed$')

        # A new user with Debian's own tools, kept out of root's files;
        # then root's password, through su and PAM, lets him be root.
        check('useradd and chpasswd make a user bob',
              "useradd -m -s /bin/bash bob && echo bob:builder | chpasswd && "
              "echo root:toor | chpasswd && id bob && ls -ld /home/bob",
              r'^uid=1000\(bob\) gid=1000\(bob\) groups=1000\(bob\)\n'
              r'd\S+ \d+ bob\s+bob .* /home/bob$')
        check('bob cannot read /etc/shadow or write /etc',
              "su bob -c 'whoami; cat /etc/shadow; touch /etc/x' 2>&1; true",
              r"^bob\ncat: /etc/shadow: Permission denied\n"
              r"touch: cannot touch '/etc/x': Permission denied$")
        child.send("su bob -c \"su -c 'id -u' root\"\r")
        ok = con.expect(r'Password: ', 15)
        child.send('nope\r')
        step('su with a wrong password fails', ok and
             con.expect(r'su: Authentication failure', 30) and
             con.expect(PROMPT, 15))
        child.send("su bob -c \"su -c 'id -u; id -un' root\"\r")
        ok = con.expect(r'Password: ', 15)
        child.send('toor\r')
        step("bob becomes root with root's password", ok and
             con.expect(r'\s0\s+root\s', 30) and con.expect(PROMPT, 15))

        # Ctrl-C ends a foreground job; Ctrl-Z stops one, kill %1 ends it.
        child.send('sleep 100\r')
        con.expect(r'sleep 100\r\n', 10)
        time.sleep(1.0)
        child.send('\x03')
        step('Ctrl-C kills sleep, the prompt returns', con.expect(PROMPT, 10))
        child.send('sleep 100\r')
        con.expect(r'sleep 100\r\n', 10)
        time.sleep(1.0)
        child.send('\x1a')
        step('Ctrl-Z stops sleep', con.expect(r'Stopped', 10) and
             con.expect(PROMPT, 10))
        check('jobs lists the stopped job, kill %1 ends it',
              'jobs; kill %1; wait %1; echo status=$?',
              r'^\[1\]\+\s+Stopped\s+sleep 100$(.|\n)*^status=143$')

        # Servers and tools: Debian's redis (a daemon, its client, a
        # background save in a forked child), strace -f, dpkg.
        check('redis-server starts as a daemon, redis-cli reaches it',
              REDIS_START, REDIS_START_EXPECT, 60)
        check('redis-cli: SET, GET, INCR, INCRBY, LPUSH, LRANGE, DBSIZE',
              REDIS_OPS, REDIS_OPS_EXPECT, 60)
        check('redis BGSAVE: a forked child writes the dump',
              REDIS_BGSAVE, REDIS_BGSAVE_EXPECT, 60)
        check('redis-cli shutdown nosave ends the server',
              REDIS_STOP, REDIS_STOP_EXPECT, 60)
        check('memcached starts as a daemon, bash /dev/tcp reaches it',
              MEMCACHED_START, MEMCACHED_START_EXPECT, 60)
        check('memcached: set, get, incr (missing, then stored)',
              MEMCACHED_OPS, MEMCACHED_OPS_EXPECT, 60)
        check('memcached ends on SIGTERM', MEMCACHED_STOP,
              MEMCACHED_STOP_EXPECT, 60)
        check('strace -ff of a program that forks, waits and writes',
              STRACE_RUN, STRACE_EXPECT, 120)
        check("dpkg's database: --audit is clean, -S and -L know the "
              'files, --verify finds only the documentation gone',
              DPKG_DB, DPKG_DB_EXPECT, 120)
        check('dpkg-deb --build makes a package in the guest',
              DPKG_BUILD, DPKG_BUILD_EXPECT, 60)
        check('dpkg -i installs it (its postinst runs), dpkg -l says ii',
              DPKG_INSTALL, DPKG_INSTALL_EXPECT, 120)
        check('dpkg -r removes its files, dpkg -l no longer knows it',
              DPKG_REMOVE, DPKG_REMOVE_EXPECT, 120)

        if args.net:
            check('DHCP gave eth0 its address', 'ip -4 addr show eth0',
                  r'inet 10\.0\.2\.15/24')
            check('resolv.conf names QEMU\'s DNS', 'cat /etc/resolv.conf',
                  r'^nameserver 10\.0\.2\.3$')
            check('wget from the host', 'wget -qO- http://10.0.2.2:%d/hello.txt'
                  % web.server_address[1], r'^hello from the host$', 60)

            # apt (--apt): only when this machine reaches its own
            # package source; the guest goes the same way through slirp.
            if args.apt:
                why = apt_source_unreachable()
                if why:
                    print('userland.py: --apt steps skipped: %s' % why)
                else:
                    check('apt-get update from the build machine\'s apt '
                          'sources', APT_UPDATE, APT_UPDATE_EXPECT, 600)
                    check('apt-get install -y hello, then hello runs',
                          APT_INSTALL, APT_INSTALL_EXPECT, 600)

            # The servers: nginx from the host, then ssh logins.
            # nginx with Debian's nginx.conf (www-data's workers,
            # sendfile, tcp_nopush: TCP_CORK) and a site for /srv/www on
            # port 80 in place of the default one, which also listens on
            # [::]:80 (no IPv6 here). It serves a file the guest fetched
            # from the host back to the host, then to 200 connections at
            # once, and stops when told. The host opens all 200 before it
            # sends on any, through QEMU's forwarded port that takes them
            # one at a time: under TCG that may outlast nginx's 60 s wait
            # for a request (client_header_timeout).
            big = os.urandom(1024 * 1024 + 4093)
            with open(os.path.join(tmp.name, 'big.bin'), 'wb') as f:
                f.write(big)
            check('nginx starts with Debian\'s nginx.conf and a site on port 80',
                  'rm /etc/nginx/sites-enabled/default && mkdir -p /srv/www && '
                  'wget -qO /srv/www/big.bin http://10.0.2.2:%d/big.bin && '
                  "printf 'server {\\n\\tlisten 80 default_server;\\n"
                  "\\troot /srv/www;\\n\\tclient_header_timeout 10m;\\n}\\n' "
                  '> /etc/nginx/sites-enabled/aramid && '
                  'nginx && for i in $(seq 100); do '
                  'pgrep -u www-data nginx >/dev/null && break; sleep 0.1; done; '
                  'ps -o user=,args= -C nginx' % web.server_address[1],
                  r'^root\s+nginx: master process nginx\n'
                  r'www-data\s+nginx: worker process$', 60)
            body = net.http_get(args.hostport, 'big.bin', con.left(120))
            step('nginx serves the file to the host (the forwarded port), '
                 'byte for byte', body == big,
                 body if isinstance(body, str) else
                 '%d bytes, md5 %s' % (len(body), net.md5(body)))
            bodies = net.concurrent_gets(args.hostport, 'big.bin', 200,
                                         con.left(600))
            bad = [b for b in bodies if b != big]
            step('200 concurrent requests to nginx all get the file', not bad,
                 '%d bad, first: %s' % (len(bad), bad[0] if bad and
                                        isinstance(bad[0], str) else
                                        bad and '%d bytes' % len(bad[0])))
            check('nginx -s quit: master and workers exit, the pid file goes',
                  'nginx -s quit && for i in $(seq 100); do '
                  'pgrep nginx >/dev/null || break; sleep 0.1; done; '
                  'pgrep -l nginx; test ! -e /run/nginx.pid && echo stopped',
                  r'^stopped$', 60)
            check('nginx logged 201 requests and no error',
                  "grep -c '\"GET /big.bin HTTP/1.[01]\" 200 %d ' "
                  '/var/log/nginx/access.log; '
                  "grep -cE '\\[(emerg|alert|crit|error)\\]' "
                  '/var/log/nginx/error.log || true' % len(big), r'^201\n0$')

            ssh_steps(args, con, check, step)

        child.send('exit\r')
        step('exit powers the guest off', con.expect(pexpect.EOF, 60),
             'QEMU still running')
        total_s = time.monotonic() - t0
        if booted:
            print('TIME boot %.1fs, whole run %.1fs' % (boot_s, total_s),
                  flush=True)
    finally:
        con.close()
        web.shutdown()
        tmp.cleanup()
        write_log(args, '.userland.log', '\n'.join(con.lines()) + '\n')
        if res.failed > failed_before:
            tail(con.lines())


def ssh_argv(args, extra, command=None):
    """The host's ssh command line into the guest as root, with the
    image's key, any host key accepted and none remembered."""
    return (['ssh', '-p', str(args.sshport), '-i', args.ssh_key,
             '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
             '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR'] + extra +
            ['root@127.0.0.1'] + ([command] if command else []))


def ssh(args, extra, command, timeout):
    """Run the host's ssh into the guest as root: (status, output)."""
    import subprocess
    cmd = ssh_argv(args, extra, command)
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=max(timeout, 1))
    except subprocess.TimeoutExpired:
        return None, 'timed out'
    return p.returncode, (p.stdout + p.stderr).decode(errors='replace')


def ssh_steps(args, con, check, step):
    """dropbear in the guest, ssh logins from the host, dropbear stopped."""
    import pexpect
    check('dropbear starts as a daemon on port 22', DROPBEAR_START,
          DROPBEAR_START_EXPECT, 60)
    for what, extra, pat in (
            ('ssh from the host runs a command (no pty)', [], SSH_EXPECT),
            ('ssh -tt: the command on a pty, its controlling terminal',
             ['-tt'], SSH_TTY_EXPECT)):
        rc, out = ssh(args, extra, SSH_CMD, con.left(120))
        step(what, rc == 0 and re.search(pat, out) is not None,
             'status %s: %r' % (rc, out[-400:]))
    # An interactive login: bash -l on the pty, its prompt, then exit.
    argv = ssh_argv(args, ['-tt'])
    out, sh = '', None
    try:
        sh = pexpect.spawn(argv[0], argv[1:], timeout=max(con.left(120), 1),
                           encoding='utf-8', codec_errors='replace')
        sh.expect(PROMPT)
        sh.send('tty; echo $0\r')
        sh.expect(r'/dev/pts/\d+\r\n-bash\r\n')
        sh.expect(PROMPT)
        sh.send('exit\r')
        sh.expect(pexpect.EOF)
        sh.close()
        out = sh.before
        ok = sh.exitstatus == 0
    except (pexpect.TIMEOUT, pexpect.EOF, pexpect.ExceptionPexpect) as e:
        ok = False
        out = '%s: %r' % (type(e).__name__,
                          sh.before[-400:] if sh and sh.before else str(e)[:200])
        if sh:
            sh.close(force=True)
    step('ssh -tt with no command: a login shell on /dev/pts/N, exit ends it',
         ok, out)
    # dropbear recorded each pty login and its end (Debian's build keeps
    # no utmp entry: who lists nobody, on Linux too) in wtmp and lastlog;
    # the last logout may come after the client has gone.
    check('the pty logins and logouts are in wtmp, the last in lastlog',
          'ended() { last -w root | grep -c "pts/[0-9].*10\\.0\\.2\\.2 .*- "; }; '
          'for i in $(seq 100); do [ "$(ended)" = 2 ] && break; sleep 0.1; done; '
          'who | wc -l; ended; lastlog -u root | tail -n 1 | grep -c "pts/"',
          r'^0\n2\n1$', 30)
    # The client goes away mid-command: dropbear closes the pty's master,
    # which hangs the slave up: its session leader (the command) gets
    # SIGHUP and dies, the session's dropbear ends.
    argv = ssh_argv(args, ['-tt'], 'echo started; exec sleep 1000')
    cl = pexpect.spawn(argv[0], argv[1:], encoding='utf-8',
                       codec_errors='replace')
    try:
        cl.expect(r'started\r\n', timeout=max(con.left(120), 1))
        started = 'started'
    except (pexpect.TIMEOUT, pexpect.EOF):
        started = cl.before
    cl.kill(9)
    cl.close(force=True)
    step('ssh -tt runs sleep on a pty', started == 'started', repr(started))
    check('the client killed: the pty hangs up, SIGHUP ends sleep and its '
          'session', 'for i in $(seq 100); do pgrep -x sleep >/dev/null || '
          'break; sleep 0.1; done; pgrep -c -x sleep; pgrep -c dropbear',
          r'^0\n1$', 60)
    check('dropbear stops on SIGTERM, its pid file goes', DROPBEAR_STOP,
          r'^stopped$', 60)


def apt_source_unreachable():
    """Why this machine cannot reach the first of its apt sources' hosts
    (the image carries the same sources), or '' when it connects."""
    import glob, socket, urllib.parse
    uris = []
    for f in ['/etc/apt/sources.list'] + sorted(
            glob.glob('/etc/apt/sources.list.d/*.list') +
            glob.glob('/etc/apt/sources.list.d/*.sources')):
        try:
            text = open(f).read()
        except OSError:
            continue
        uris += re.findall(r'^\s*deb\s+(?:\[[^]]*\]\s+)?(\S+)', text, re.M)
        uris += re.findall(r'^URIs:\s*(\S+)', text, re.M | re.I)
    uris = [u for u in uris if u.startswith(('http://', 'https://'))]
    if not uris:
        return 'no http(s) apt source on this machine'
    u = urllib.parse.urlsplit(uris[0])
    port = u.port or (443 if u.scheme == 'https' else 80)
    try:
        socket.create_connection((u.hostname, port), 10).close()
    except OSError as e:
        return 'this machine cannot reach its apt source %s:%d (%s)' % (
            u.hostname, port, e)
    return ''


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--kernel', required=True)
    ap.add_argument('--initrd', required=True)
    ap.add_argument('--name', required=True, help='label for this kernel')
    ap.add_argument('--apt', action='store_true',
                    help='with --net: also apt-get update and install from '
                    "this machine's apt sources (skipped when it cannot "
                    'reach them)')
    ap.add_argument('--net', action='store_true',
                    help='virtio-net on QEMU user networking')
    ap.add_argument('--append', default='', help='extra kernel command line')
    ap.add_argument('--ssh-key', default='', help="ssh's private key for "
                    "root (default: the image's directory's ssh/id_ed25519)")
    ap.add_argument('--timeout', type=float, default=900,
                    help='hard timeout for the whole run in seconds')
    ap.add_argument('--mem', default='2G')
    ap.add_argument('--log', default='', help='write the console to '
                    'LOG.userland.log')
    args = ap.parse_args()
    for p in (args.kernel, args.initrd):
        if not os.path.isfile(p):
            sys.exit('userland.py: no such file: %s' % p)
    args.hostport = net.free_port() if args.net else 0
    args.sshport = net.free_port() if args.net else 0
    if not args.ssh_key:
        args.ssh_key = os.path.join(os.path.dirname(args.initrd), 'ssh',
                                    'id_ed25519')
    res = Results(args.name)
    run_userland(args, res)
    print('%d passed, %d failed' % (res.passed, res.failed), flush=True)
    sys.exit(1 if res.failed else 0)


if __name__ == '__main__':
    main()
