#!/usr/bin/env python3
"""Where a system call's instructions go: single-step one call in QEMU.

For each kernel (Aramid's profiles, and with --linux Debian's Linux),
boot it with bench/path/syscall_loop.c as the only program, stop through
QEMU's gdb stub at the user-space syscall instruction of the chosen call
once it has run 50 times, then step the next call instruction by
instruction from the kernel's entry to the return to user space. Prints a
Markdown report: the instructions per call and kernel, then, for
Aramid, how many each function took, in the order the call reached them
(Debian ships no symbols for Linux: its totals only).

  python3 bench/path/trace.py [--calls getpid,write,read] [--linux]
"""
import argparse
import bisect
import collections
import glob
import os
import subprocess
import sys
import socket
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
PROFILES = ['fortress', 'balanced', 'performance', 'ludicrous']
# The function of the static program whose syscall instruction each call
# passes (getpid through glibc's syscall(), which nothing else uses).
CALLS = {'getpid': ['syscall'], 'write': ['__libc_write', 'write'],
         'read': ['__libc_read', 'read']}
# /init runs /tests/abi_* programs; aramid.test.only= picks this one.
PROG = 'abi_syscall_loop'


def build_initrd(work):
    prog = os.path.join(work, PROG)
    subprocess.run(['gcc', '-static', '-O2', '-Wall', '-Werror', '-o', prog,
                    os.path.join(HERE, 'syscall_loop.c')], check=True)
    initrd = os.path.join(work, 'initrd.cpio')
    subprocess.run(['sh', os.path.join(TOP, 'scripts/mkinitramfs.sh'),
                    initrd, prog], check=True, stdout=subprocess.DEVNULL)
    return initrd, syscall_sites(prog)


def syscall_sites(prog):
    """The address of the syscall instruction in each call's function."""
    dis = subprocess.run(['objdump', '-d', '--no-show-raw-insn', prog],
                         capture_output=True, text=True, check=True).stdout
    first = {}
    fn = None
    for line in dis.splitlines():
        if line.endswith('>:'):
            fn = line.split('<')[1][:-2]
        elif fn and fn not in first and line.split()[-1:] == ['syscall']:
            first[fn] = int(line.split(':')[0], 16)
    sites = {}
    for call, names in CALLS.items():
        found = [first[n] for n in names if n in first]
        if not found:
            sys.exit('%s: no syscall instruction in %s' % (sys.argv[0], names))
        sites[call] = found[0]
    return sites


def text_symbols(lines):
    syms = []
    for line in lines:
        f = line.split()
        if len(f) == 3 and f[1] in 'tTwW':
            syms.append((int(f[0], 16), f[2]))
    return sorted(syms)


def wait_port(port, qemu):
    """Until QEMU's gdb stub listens on @port (it dies: exit)."""
    while qemu.poll() is None:
        try:
            socket.create_connection(('127.0.0.1', port), 1).close()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit('%s: QEMU exited (%d)' % (sys.argv[0], qemu.returncode))


def trace(kernel, initrd, at, port, extra, out, cpu):
    append = ('console=ttyS0 quiet aramid.test=abi aramid.test.only=%s %s'
              % (PROG, extra)).strip()
    qemu = subprocess.Popen(
        ['qemu-system-x86_64', '-M', 'pc', '-cpu', cpu, '-m', '256M',
         '-nographic', '-no-reboot', '-net', 'none', '-kernel', kernel,
         '-initrd', initrd, '-append', append, '-gdb', 'tcp::%d' % port,
         '-S'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_port(port, qemu)
    env = dict(os.environ, TRACE_AT='0x%x' % at, TRACE_OUT=out,
               TRACE_PORT=str(port))
    try:
        subprocess.run(['gdb', '-q', '-batch', '-x',
                        os.path.join(HERE, 'gdb_step.py')], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=600)
    finally:
        qemu.kill()
        qemu.wait()
    with open(out) as f:
        return [int(l, 16) for l in f if l.strip()]


def per_function(rips, syms):
    addrs = [a for a, _ in syms]
    counts = collections.OrderedDict()
    for rip in rips:
        i = bisect.bisect_right(addrs, rip) - 1
        name = syms[i][1] if i >= 0 else '?'
        counts[name] = counts.get(name, 0) + 1
    return counts


def kernels(args):
    for p in args.profiles.split(','):
        elf = os.path.join(TOP, 'build', p, 'aramid.elf')
        if not os.path.exists(elf):
            sys.exit('%s: no %s (make PROFILE=%s)' % (sys.argv[0], elf, p))
        nm = subprocess.run(['nm', '-n', elf], capture_output=True,
                            text=True, check=True).stdout.splitlines()
        yield p, elf, text_symbols(nm), ''
    if args.linux:
        vmlinuz = sorted(glob.glob('/boot/vmlinuz-*'))[-1]
        yield 'linux', vmlinuz, [], 'nokaslr'


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--calls', default='getpid,write,read')
    ap.add_argument('--profiles', default=','.join(PROFILES))
    ap.add_argument('--linux', action='store_true',
                    help="also Debian's Linux, from its System.map")
    ap.add_argument('--cpu', default='max')
    ap.add_argument('--port', type=int, default=1290)
    args = ap.parse_args()
    calls = args.calls.split(',')
    work = tempfile.mkdtemp(prefix='syscall-path.')
    initrd, sites = build_initrd(work)
    results = {}
    for label, kernel, syms, extra in kernels(args):
        for call in calls:
            out = os.path.join(work, '%s-%s.txt' % (label, call))
            rips = trace(kernel, initrd, sites[call], args.port, extra, out,
                         args.cpu)
            results[label, call] = per_function(rips, syms)
            args.port += 1
    labels = sorted({l for l, _ in results},
                    key=lambda l: (l == 'linux', l not in PROFILES,
                                   PROFILES.index(l) if l in PROFILES else 0))
    print('| call | ' + ' | '.join(labels) + ' |')
    print('|---|' + '---|' * len(labels))
    for call in calls:
        print('| %s | %s |' % (call, ' | '.join(
            str(sum(results[l, call].values())) for l in labels)))
    for call in calls:
        for l in labels:
            fns = results[l, call]
            if l == 'linux':
                continue
            print('\n%s, %s (%d instructions): %s' % (
                call, l, sum(fns.values()),
                ', '.join('%s %d' % (n, c) for n, c in fns.items())))


if __name__ == '__main__':
    main()
