#!/usr/bin/python3
"""Run LTP's system-call tests (built by tests/ltp/build.sh) on a kernel
in QEMU (TCG), resuming after a crash or a hang, and check a must-pass list.

  tests/ltp/run.py run --kernel PATH --label NAME [--list FILE|all]
                       [--smp N] [--mem MiB] [--timeout S] [--check]
  tests/ltp/run.py table RESULTS...
  tests/ltp/run.py common RESULTS...

run:    packs build/ltp/root, BusyBox and tests/ltp/init into an initramfs
        and boots the kernel with it; when the kernel dies or the console
        is silent for --stall seconds it boots again after the test that
        was running (ltp.after=), which counts as "crash" or "hang".
        Results go to build/ltp/results/NAME.txt ("name status seconds";
        status as tests/ltp/init prints it, or nobin, crash, hang), the
        consoles to build/ltp/results/NAME.boot-N.log. With --check every
        listed test must pass (status 0): a PASS/FAIL line each and
        "N passed, N failed", exit status 1 if any failed.
table:  a Markdown table of pass/fail/broken/conf/crash counts per file.
common: the names that pass in every file, in runtest order (the way the
        must-pass list grows: run Linux and the four profiles, then this).
"""
import argparse
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = 'build/ltp'
ROOT = OUT + '/root/opt/ltp'
RESULTS = OUT + '/results'
BUSYBOX = '/bin/busybox'
DEVICES = [('console', 'c', 5, 1, 0o600), ('null', 'c', 1, 3, 0o666),
           ('zero', 'c', 1, 5, 0o666), ('full', 'c', 1, 7, 0o666),
           ('random', 'c', 1, 8, 0o666), ('urandom', 'c', 1, 9, 0o666),
           ('tty', 'c', 5, 0, 0o666), ('ttyS0', 'c', 4, 64, 0o600),
           ('userfaultfd', 'c', 10, 126, 0o600)]
PASSWD = ('root:x:0:0:root:/root:/bin/sh\n'
          'daemon:x:1:1:daemon:/usr/sbin:/bin/false\n'
          'bin:x:2:2:bin:/bin:/bin/false\n'
          'nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n')
GROUP = ('root:x:0:\ndaemon:x:1:\nbin:x:2:\nusers:x:100:\n'
         'nogroup:x:65534:\n')


def runtest_entries():
    """LTP's runtest/syscalls as (name, command) pairs, in its order."""
    entries = []
    with open(ROOT + '/runtest/syscalls') as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith('#'):
                name, cmd = (line.split(None, 1) + [''])[:2]
                if cmd:
                    entries.append((name, cmd))
    return entries


def read_names(path):
    """The test names of a list file ('#' comments, one name a line)."""
    with open(path) as f:
        return [l.split('#')[0].split()[0] for l in f
                if l.split('#')[0].strip()]


def listed_entries(lst):
    entries = runtest_entries()
    if lst == 'all':
        return entries
    want = set(read_names(lst))
    seen, out = set(), []
    for name, cmd in entries:
        if name in want and name not in seen:
            seen.add(name)
            out.append((name, cmd))
    missing = want - seen
    if missing:
        print('ltp: not in runtest/syscalls, left out: ' +
              ' '.join(sorted(missing)), file=sys.stderr)
    return out


def make_initrd(entries, path):
    """The initramfs: BusyBox and its links, device nodes, /init, every
    installed LTP file, and run.txt with the entries whose binary built.
    Returns the names without a binary."""
    bindir = ROOT + '/testcases/bin'
    stage = tempfile.mkdtemp(prefix='ltp-initrd.')
    try:
        for d in ('bin', 'sbin', 'usr/bin', 'usr/sbin', 'dev', 'proc', 'sys',
                  'tmp', 'root', 'mnt', 'etc', 'opt'):
            os.makedirs(os.path.join(stage, d), exist_ok=True)
        os.chmod(stage + '/tmp', 0o1777)
        shutil.copy(BUSYBOX, stage + '/bin/busybox')
        applets = subprocess.run([BUSYBOX, '--list-full'], check=True,
                                 capture_output=True, text=True).stdout
        for a in applets.split():
            if a != 'bin/busybox' and not os.path.lexists(stage + '/' + a):
                os.symlink('/bin/busybox', stage + '/' + a)
        for name, kind, major, minor, mode in DEVICES:
            os.mknod(stage + '/dev/' + name, mode | (0o20000 if kind == 'c'
                     else 0o60000), os.makedev(major, minor))
        shutil.copy(HERE + '/init', stage + '/init')
        os.chmod(stage + '/init', 0o755)
        with open(stage + '/etc/passwd', 'w') as f:
            f.write(PASSWD)
        with open(stage + '/etc/group', 'w') as f:
            f.write(GROUP)
        os.symlink('/proc/self/mounts', stage + '/etc/mtab')
        # testcases/bin: the listed tests' binaries and the helpers (the
        # files no runtest entry runs), not the other tests (the guest
        # holds the archive and its unpacked copy)
        shutil.copytree(ROOT, stage + '/opt/ltp', symlinks=True,
                        ignore=lambda d, names: ['bin'] if d.endswith(
                            '/testcases') else [])
        os.mkdir(stage + '/opt/ltp/testcases/bin')
        tests = {cmd.split()[0] for _, cmd in runtest_entries()}
        copy = {f for f in os.listdir(bindir) if f not in tests}
        nobin = []
        with open(stage + '/opt/ltp/run.txt', 'w') as f:
            for name, cmd in entries:
                binary = cmd.split()[0]
                if os.access(os.path.join(bindir, binary), os.X_OK):
                    f.write('%s %s\n' % (name, cmd))
                    copy.add(binary)
                else:
                    nobin.append(name)
        for name in copy:
            shutil.copy2(os.path.join(bindir, name),
                         stage + '/opt/ltp/testcases/bin/', follow_symlinks=False)
        files = subprocess.run(['find', '.', '-mindepth', '1'], cwd=stage,
                               check=True, capture_output=True).stdout
        files = b'\n'.join(sorted(files.split())) + b'\n'
        with open(path, 'wb') as out:
            subprocess.run(['cpio', '-o', '-H', 'newc', '--quiet', '-R', '0:0'],
                           cwd=stage, input=files, stdout=out, check=True)
        return nobin
    finally:
        shutil.rmtree(stage)


def boot(args, initrd, after, log):
    """One boot: returns (results {name: (status, secs)}, the test that was
    running when it ended or None, whether it reached LTP_END, stalled)."""
    append = 'console=ttyS0 quiet panic=-1 ltp.timeout=%d' % args.timeout
    if after:
        append += ' ltp.after=' + after
    cmd = ['qemu-system-x86_64', '-M', 'pc', '-cpu', 'max', '-m', str(args.mem),
           '-smp', str(args.smp), '-nographic', '-no-reboot', '-net', 'none',
           '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04',
           '-kernel', args.kernel, '-initrd', initrd, '-append', append]
    if args.smp > 1:
        cmd += ['-accel', 'tcg,thread=multi']
    q = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    results, running, ended, stalled = {}, None, False, False
    buf, last = b'', time.monotonic()
    with open(log, 'wb') as lf:
        while True:
            r, _, _ = select.select([q.stdout], [], [], 5)
            if r:
                data = os.read(q.stdout.fileno(), 65536)
                if not data:
                    break
                lf.write(data)
                last = time.monotonic()
                buf += data
                *lines, buf = buf.split(b'\n')
                for raw in lines:
                    line = raw.decode('utf-8', 'replace').strip('\r\x00 ')
                    m = re.search(r'LTP_BEGIN (\S+)$', line)
                    if m:
                        running = m.group(1)
                    m = re.search(r'LTP_RESULT (\S+) (\d+) (\d+)$', line)
                    if m:
                        results[m.group(1)] = (m.group(2), int(m.group(3)))
                        running = None
                    if line.endswith('LTP_END'):
                        ended = True
            elif time.monotonic() - last > args.stall:
                stalled = True
                break
    q.kill()
    q.wait()
    return results, running, ended, stalled


def run(args):
    entries = listed_entries(args.list)
    os.makedirs(RESULTS, exist_ok=True)
    initrd = '%s/ltp-%s.cpio' % (OUT, args.label)
    nobin = make_initrd(entries, initrd)
    results = {n: ('nobin', 0) for n in nobin}
    order = [n for n, _ in entries if n not in results]
    after, nboot = None, 0
    while True:
        nboot += 1
        log = '%s/%s.boot-%d.log' % (RESULTS, args.label, nboot)
        got, running, ended, stalled = boot(args, initrd, after, log)
        results.update(got)
        if ended:
            break
        if running is None:
            # died between tests: resume after the last one that ended
            done = [n for n in order if n in results]
            if not got:
                print('ltp: boot %d ran nothing (%s)' % (nboot, log))
                break
            running = done[-1]
        else:
            results[running] = ('hang' if stalled else 'crash', 0)
            print('ltp: %s: %s (%s)' % (running, results[running][0], log))
        after = running
        if order.index(after) == len(order) - 1:
            break
    path = '%s/%s.txt' % (RESULTS, args.label)
    with open(path, 'w') as f:
        for name, _ in entries:
            status, secs = results.get(name, ('notrun', 0))
            f.write('%s %s %d\n' % (name, status, secs))
    counts = tally(path)
    print('ltp: %s: %s (%d boots) -> %s' % (args.label, ', '.join(
        '%d %s' % (counts[k], k) for k in COLUMNS if counts[k]), nboot, path))
    if args.check:
        passed = failed = 0
        for name, _ in entries:
            status = results.get(name, ('notrun', 0))[0]
            if status == '0':
                passed += 1
                print('PASS ltp-%s: %s' % (args.label, name))
            else:
                failed += 1
                print('FAIL ltp-%s: %s: status %s' % (args.label, name, status))
        print('%d passed, %d failed' % (passed, failed))
        return 1 if failed else 0
    return 0


COLUMNS = ('pass', 'fail', 'broken', 'conf', 'timeout', 'crash', 'hang',
           'nobin', 'notrun')


def classify(status):
    if not status.isdigit():
        return status
    s = int(status)
    if s == 0:
        return 'pass'
    if s == 137:
        return 'timeout'
    if s & 1:
        return 'fail'
    if s & 2:
        return 'broken'
    if s & 32:
        return 'conf'
    return 'fail'


def read_results(path):
    with open(path) as f:
        return [l.split()[:2] for l in f if l.strip()]


def tally(path):
    counts = dict.fromkeys(COLUMNS, 0)
    for _, status in read_results(path):
        counts[classify(status)] += 1
    return counts


def table(args):
    print('| kernel | ' + ' | '.join(COLUMNS) + ' |')
    print('|---|' + '---:|' * len(COLUMNS))
    for path in args.results:
        c = tally(path)
        label = os.path.basename(path)[:-4]
        print('| %s | %s |' % (label, ' | '.join(str(c[k]) for k in COLUMNS)))
    return 0


def common(args):
    sets = [[n for n, s in read_results(p) if s == '0'] for p in args.results]
    rest = [set(s) for s in sets[1:]]
    for name in sets[0]:
        if all(name in s for s in rest):
            print(name)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    sub = ap.add_subparsers(dest='cmd', required=True)
    r = sub.add_parser('run')
    r.add_argument('--kernel', required=True)
    r.add_argument('--label', required=True)
    r.add_argument('--list', default=HERE + '/must-pass.txt')
    r.add_argument('--smp', type=int, default=1)
    r.add_argument('--mem', type=int, default=512)
    r.add_argument('--timeout', type=int, default=120)
    r.add_argument('--stall', type=int, default=240)
    r.add_argument('--check', action='store_true')
    for name in ('table', 'common'):
        p = sub.add_parser(name)
        p.add_argument('results', nargs='+')
    args = ap.parse_args()
    return {'run': run, 'table': table, 'common': common}[args.cmd](args)


if __name__ == '__main__':
    sys.exit(main())
