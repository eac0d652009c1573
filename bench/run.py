#!/usr/bin/python3
"""Aramid benchmark driver: boot Linux and every profile in the same QEMU.

  bench/run.py --initrd PATH --build-root DIR [--rounds N] [--icount]
               [--only WORD] [--out DIR] [--timeout S] [--linux PATH]
               [--suite app]

Boots six kernels one after another, in interleaved rounds (Linux,
Linux mitigations=off, fortress, balanced, performance, ludicrous, Linux,
...) so that drift on a noisy host hits all alike. Every boot uses the same
QEMU command line and initramfs, with "aramid.bench=1" on the kernel
command line: the initramfs /init then runs the /bench/bench_* suites, which
print "BENCH <name> <ns> <count>" lines, and powers off.

With --suite app the initrd is the Debian userland image with
bench/app appended (`make bench-app`) and the command line has
"aramid.bench=app": the image's /init runs /bench/app/run.sh, whose
application workloads (python3, gcc, sqlite3, tar; redis, nginx and
strace, whose `_req` figures are ns per request) print the same lines.
These boots have no network device, 2 GiB of memory by default, and the
least-memory search is skipped; the reports are named report-app*.

Every boot has a virtio-net device on QEMU user networking. While the
kernels run, this script serves bench_net's host benchmarks on
127.0.0.1:PORT (a free port, passed as aramid.bench.hostport=PORT), which
the guest reaches as 10.0.2.2:PORT: "SINK" reads to end of file and
answers "OK <bytes>", "SOURCE N" sends N bytes. Under --icount no port is
given and the host benchmarks are skipped: the guest clock would count
instructions while the host side runs in real time.

Writes OUT/report.md, OUT/report.json and OUT/ratio.svg (report-icount.md,
report-icount.json and ratio-icount.svg with --icount, and a -MODEL
suffix for --cpu MODEL other than max): per benchmark the
median and spread over the rounds for each kernel, each profile's time
ratio to Linux (lower is better) and the geometric mean per profile. The
figures are never judged: benchmarks are not tests.
"""
import argparse
import glob
import json
import math
import os
import re
import select
import signal
import socketserver
import statistics
import subprocess
import sys
import threading
import time

PROFILES = ['fortress', 'balanced', 'performance', 'ludicrous']
LINUX = 'linux'
LINUX_NOMIT = 'linux-nomitig'
BENCH_RE = re.compile(r'BENCH (\S+) (\d+) (\d+)\s*$')
ERROR_RE = re.compile(r'BENCH-ERROR (\S+) (\S+)')
START_RE = re.compile(r'BENCH-START\s*(\S*)')
END_RE = re.compile(r'BENCH-END\s*(\S*)')
ANSI = re.compile(r'\x1b\[[0-9;?]*[A-Za-z]|\x1bc')
ICOUNT_QEMU = ['-icount', 'shift=0,sleep=off',
               '-rtc', 'base=2024-01-01T00:00:00,clock=vm']
ICOUNT_APPEND = 'nokaslr norandmaps'
# A virtio-net device on QEMU user networking for every kernel (bench_net):
# no option ROM (iPXE would only add boot time), no IPv6 (nothing uses it;
# slirp would only answer Linux's router solicitations).
NET_QEMU = ['-netdev', 'user,id=n0,ipv6=off',
            '-device', 'virtio-net-pci,netdev=n0,romfile=']
# Guest milliseconds per microbenchmark (workloads get 2.4 times as much).
# Under ICOUNT=1 the figures repeat exactly and guest time runs about ten
# times slower than host time, so a tenth of the budget is enough.
BUDGET_MS = 250
ICOUNT_BUDGET_MS = 25


def newest_linux():
    found = sorted(glob.glob('/boot/vmlinuz-*'),
                   key=lambda p: [int(x) if x.isdigit() else x
                                  for x in re.split(r'(\d+)', p)])
    return found[-1] if found else None


def kernels(args):
    """The kernels of one round, in boot order: (label, image, extra)."""
    ks = [(LINUX, args.linux, ''), (LINUX_NOMIT, args.linux, 'mitigations=off')]
    for p in PROFILES:
        ks.append((p, os.path.join(args.build_root, p, 'aramid.elf'), ''))
    return ks


def append_line(args, extra):
    mode = {'app': 'app', 'smp': 'smp'}.get(args.suite, '1')
    parts = ['console=ttyS0', 'quiet', 'aramid.bench=' + mode,
             'aramid.bench.ms=%d' % (ICOUNT_BUDGET_MS if args.icount
                                     else args.budget_ms or BUDGET_MS)]
    if args.only:
        parts.append('aramid.bench.only=' + args.only)
    if args.hostport:
        parts.append('aramid.bench.hostport=%d' % args.hostport)
    if args.icount:
        parts.append(ICOUNT_APPEND)
    if extra:
        parts.append(extra)
    return ' '.join(parts)


def qemu_cmd(args, image, append):
    cmd = ['qemu-system-x86_64', '-M', 'pc', '-cpu', args.cpu, '-m', args.mem,
           '-nographic', '-no-reboot']
    cmd += ['-net', 'none'] if args.no_net else NET_QEMU
    cmd += ['-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04',
            '-kernel', image, '-initrd', args.initrd, '-append', append]
    if args.icount:
        cmd += ICOUNT_QEMU
    if args.smp:	# every vCPU on a host thread of its own
        cmd += ['-smp', str(args.smp), '-accel', 'tcg,thread=multi']
    return cmd


class HostHandler(socketserver.BaseRequestHandler):
    """One connection from bench_net: a request line, then the transfer."""

    def handle(self):
        s = self.request
        data = b''
        while b'\n' not in data and len(data) < 64:
            chunk = s.recv(65536)
            if not chunk:
                return              # tcp_connect_host: connect and close
            data += chunk
        line, _, rest = data.partition(b'\n')
        words = line.split()
        if words == [b'SINK']:
            buf = bytearray(1 << 18)
            total = len(rest)
            while True:
                n = s.recv_into(buf)
                if not n:
                    break
                total += n
            s.sendall(b'OK %d\n' % total)
        elif len(words) == 2 and words[0] == b'SOURCE' and words[1].isdigit():
            block = memoryview(b'h' * 65536)
            left = int(words[1])
            while left > 0:
                n = min(left, len(block))
                s.sendall(block[:n])
                left -= n


class HostServer(socketserver.ThreadingTCPServer):
    """bench_net's host side on 127.0.0.1, a thread per connection."""
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        pass                        # the guest reports its failures itself


def start_host_server():
    """Serve bench_net's host benchmarks; return the port."""
    server = HostServer(('127.0.0.1', 0), HostHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


def boot(args, label, image, extra, log):
    """Boot one kernel; return its figures, boot times and status."""
    append = append_line(args, extra)
    start = time.monotonic()
    proc = subprocess.Popen(qemu_cmd(args, image, append),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    out = {'figures': {}, 'errors': {}, 'boot_s': None, 'uptime_s': None,
           'clock_rate': None, 'status': 'timeout'}
    marks = {}
    buf = b''
    text = []
    fd = proc.stdout.fileno()
    deadline = start + args.timeout

    def handle(raw):
        line = ANSI.sub('', raw.decode('utf-8', 'replace')).replace('\r', '')
        text.append(line)
        m = START_RE.search(line) or END_RE.search(line)
        if m:
            which = 'start' if 'START' in m.group(0) else 'end'
            try:
                marks[which] = (time.monotonic(), float(m.group(1)))
            except ValueError:
                marks[which] = (time.monotonic(), None)
            if which == 'start':
                out['boot_s'] = marks['start'][0] - start
                out['uptime_s'] = marks['start'][1]
            else:
                out['status'] = 'ok'
            return
        m = BENCH_RE.search(line)
        if m:
            out['figures'][m.group(1)] = (int(m.group(2)), int(m.group(3)))
            return
        m = ERROR_RE.search(line)
        if m:
            out['errors'][m.group(1)] = m.group(2)
            print('  %s: %s failed (%s)' % (label, m.group(1), m.group(2)),
                  flush=True)

    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        r, _, _ = select.select([fd], [], [], min(left, 1.0))
        if not r:
            continue
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        buf += chunk
        while b'\n' in buf:
            raw, buf = buf.split(b'\n', 1)
            handle(raw)
    if buf:
        handle(buf)
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait()
    out['wall_s'] = time.monotonic() - start
    # Guest seconds per host second between the two markers: about 1 in
    # wall-clock mode if the guest's clock keeps time.
    if 'start' in marks and 'end' in marks and None not in (
            marks['start'][1], marks['end'][1]):
        host = marks['end'][0] - marks['start'][0]
        if host > 0:
            out['clock_rate'] = (marks['end'][1] - marks['start'][1]) / host
    if out['status'] != 'ok' and time.monotonic() < deadline:
        out['status'] = 'exited early'
    with open(log, 'w', errors='replace') as f:
        f.write('$ %s\n' % ' '.join(qemu_cmd(args, image, append)))
        f.write('\n'.join(text) + '\n')
    return out


def boots_in(args, image, extra, mib):
    """True if the kernel reaches the initramfs shell in @mib MiB: it gets
    as far as BENCH-START with no benchmark selected. panic=-1 makes a
    Linux that runs out of memory reboot, which ends QEMU at once."""
    append = ' '.join(['console=ttyS0', 'quiet', 'aramid.bench=1',
                       'aramid.bench.only=nothing_matches_this', 'panic=-1',
                       extra]).strip()
    cmd = qemu_cmd(args, image, append)
    cmd[cmd.index('-m') + 1] = '%dM' % mib
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=60)
        out = proc.stdout
    except subprocess.TimeoutExpired as e:
        out = e.stdout or b''
    return b'BENCH-START' in out


def least_memory(args, label, image, extra):
    """The least memory, in MiB, that @image boots in (binary search)."""
    lo, hi = 2, 256			# lo fails, hi boots
    if not boots_in(args, image, extra, hi):
        return None
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if boots_in(args, image, extra, mid):
            hi = mid
        else:
            lo = mid
    print('  %s boots in %d MiB' % (label, hi), flush=True)
    return hi


def geomean(xs):
    xs = [x for x in xs if x > 0]
    if not xs:
        return None
    return math.exp(sum(math.log(x) for x in xs) / len(xs))


def summarize(runs, labels):
    """Per benchmark and kernel: every round's ns figure, median, min, max."""
    names = []
    for label in labels:
        for r in runs[label]:
            for n in r['figures']:
                if n not in names:
                    names.append(n)
    table = {}
    for n in names:
        table[n] = {}
        for label in labels:
            vals = [r['figures'][n][0] for r in runs[label] if n in r['figures']]
            if vals:
                table[n][label] = {'ns': vals, 'median': statistics.median(vals),
                                   'min': min(vals), 'max': max(vals)}
    return names, table


def ratios(names, table, base):
    """Each profile's median time over the base kernel's, per benchmark."""
    out = {}
    for p in PROFILES:
        out[p] = {}
        for n in names:
            b = table[n].get(base)
            k = table[n].get(p)
            if b and k and b['median'] > 0:
                out[p][n] = k['median'] / b['median']
    return out


def fmt_ns(ns):
    if ns >= 1e9:
        return '%.2f s' % (ns / 1e9)
    if ns >= 1e6:
        return '%.2f ms' % (ns / 1e6)
    if ns >= 1e4:
        return '%.1f us' % (ns / 1e3)
    return '%d ns' % ns


def fmt_cell(c):
    if not c:
        return 'n/a'
    if c['min'] == c['max']:
        return fmt_ns(c['median'])
    return '%s (%s..%s)' % (fmt_ns(c['median']), fmt_ns(c['min']),
                            fmt_ns(c['max']))


def mode_text(icount, net):
    if icount:
        return ('deterministic (ICOUNT=1): QEMU `%s`, so guest time advances '
                'one nanosecond per guest instruction and figures repeat run '
                'to run; they count instructions, not host time. Every '
                'kernel\'s command line also carries `%s` (Linux needs it: '
                'address randomisation alone moves its fork+exec figure by '
                'about 30%%), so Linux is compared with a fixed layout.%s'
                % (' '.join(ICOUNT_QEMU), ICOUNT_APPEND,
                   ' The host benchmarks (`tcp_connect_host`, '
                   '`tcp_guest_to_host`, `tcp_host_to_guest`) are skipped: '
                   'QEMU\'s user network runs in host time, which '
                   'instruction counting does not see.' if net else ''))
    return ('wall clock: guest CLOCK_MONOTONIC under QEMU TCG, which follows '
            'host time. Under emulation page-table switches and TLB flushes '
            'cost several times more, relative to ordinary instructions, '
            'than on hardware; run `make bench ICOUNT=1` for instruction-'
            'count figures.')


def server_lines(names, table, labels):
    """The app suite's server tables: requests per second of the `_req`
    workloads (figures are ns per request) with each kernel's rate over
    Linux's, and strace_on over strace_off per kernel; [] if none ran."""
    L = []
    reqs = [n for n in names if n.endswith('_req')]
    if reqs:
        L += ['## Requests per second (higher is better)', '',
              'The client\'s own figure over its run, by the guest\'s clock. '
              'In brackets: the kernel\'s requests per second over Linux\'s '
              '(above 1: more requests per second than Linux).', '',
              '| workload | ' + ' | '.join(labels) + ' |',
              '|---|' + '---|' * len(labels)]
        for n in reqs:
            base = table[n].get(LINUX)
            cells = []
            for l in labels:
                c = table[n].get(l)
                if not c or c['median'] <= 0:
                    cells.append('n/a')
                    continue
                cell = '%.0f' % (1e9 / c['median'])
                if base and l != LINUX and base['median'] > 0:
                    cell += ' (%.2f)' % (base['median'] / c['median'])
                cells.append(cell)
            L.append('| %s | %s |' % (n[:-4], ' | '.join(cells)))
        L.append('')
    on, off = table.get('strace_on'), table.get('strace_off')
    if on and off:
        L += ['## strace -f overhead (lower is better)', '',
              'Time under `strace -f -o /dev/null` over the untraced time, '
              'on the same kernel.', '',
              '| | ' + ' | '.join(labels) + ' |',
              '|---|' + '---|' * len(labels)]
        L.append('| strace_on / strace_off | %s |' % ' | '.join(
            '%.2f' % (on[l]['median'] / off[l]['median'])
            if l in on and l in off and off[l]['median'] > 0 else 'n/a'
            for l in labels))
        L.append('')
    return L


def write_markdown(path, meta, names, table, rat, rat_nm, geo, geo_nm, boots,
                   labels):
    L = []
    L.append('# Aramid %sbenchmarks'
             % ('application ' if meta['suite'] == 'app' else ''))
    L.append('')
    L.append('Produced by `%s` on %s (%d round(s), %s).'
             % (meta['command'], meta['date'], meta['rounds'], meta['host']))
    L.append('')
    L.append('- Clock: ' + mode_text(meta['icount'], meta['net']))
    if meta['suite'] == 'app':
        L.append('- Suite: the application workloads of bench/app/run.sh '
                 'in the Debian userland image (scripts/userland.sh) with '
                 '/bench/app appended, one run each but `python_startup` '
                 '(ns per run, timed by btime inside the guest): '
                 '`python3 -c pass`; a json/regex loop in python3; '
                 '`gcc -O2 -c` of a generated 2,100-line C file; sqlite3 '
                 'inserting 100,000 rows in one transaction into a new '
                 'database file on tmpfs and querying them; `tar xzf` of '
                 'the Python standard library\'s sources (600 files, '
                 '15 MB); redis-benchmark SET and GET and ab against '
                 'nginx on loopback (`_req`: ns per request, the inverse '
                 'of the client\'s requests per second); the same shell '
                 'workload without and with `strace -f` (`strace_off`, '
                 '`strace_on`).')
    L.append('- QEMU: `%s`, the same for every kernel but `-kernel`.'
             % meta['qemu'])
    L.append('- Kernel command line: `%s`; the `%s` column adds '
             '`mitigations=off`.' % (meta['append'], LINUX_NOMIT))
    L.append('- Linux: `%s`.' % meta['linux'])
    if meta['net']:
        L.append('- Network (`tcp_*`, bench/bench_net.c): virtio-net on QEMU '
                 'user networking, guest 10.0.2.15/24. The `_lo` benchmarks '
                 'stay inside the guest on 127.0.0.1; the `host` ones talk to '
                 'bench/run.py on the host\'s 127.0.0.1, seen by the guest '
                 'as 10.0.2.2, so they include QEMU\'s user-mode network '
                 'stack (slirp). Streams are 16 MiB in 64 KiB writes, in ns '
                 'per MiB; connects are ns per connection. Linux loads its '
                 'virtio-net modules from the initramfs first, untimed.')
    L.append('- Each cell: median over the rounds (min..max). Ratios are a '
             'profile\'s median time over Linux\'s: lower is better, below 1 '
             'is faster than Linux. Nothing here is a test; no figure is '
             'judged.')
    L.append('')
    L.append('## Geometric mean of the time ratios')
    L.append('')
    L.append('| profile | vs Linux | vs Linux mitigations=off | benchmarks |')
    L.append('|---|---|---|---|')
    for p in PROFILES:
        g, gn = geo.get(p), geo_nm.get(p)
        L.append('| %s | %s | %s | %d |' % (
            p, '%.2f' % g if g else 'n/a', '%.2f' % gn if gn else 'n/a',
            len(rat[p])))
    L.append('')
    L.append('![time ratio to Linux](%s)' % meta['svg'])
    L.append('')
    L.append('## Time ratio to Linux per benchmark')
    L.append('')
    L.append('| benchmark | ' + ' | '.join(PROFILES) + ' |')
    L.append('|---|' + '---|' * len(PROFILES))
    for n in names:
        cells = ['%.2f' % rat[p][n] if n in rat[p] else 'n/a'
                 for p in PROFILES]
        L.append('| %s | %s |' % (n, ' | '.join(cells)))
    L.append('')
    L.append('## Time per operation (microbenchmarks) or per run (workloads)')
    L.append('')
    L.append('| benchmark | ' + ' | '.join(labels) + ' |')
    L.append('|---|' + '---|' * len(labels))
    for n in names:
        L.append('| %s | %s |' % (n, ' | '.join(fmt_cell(table[n].get(l))
                                               for l in labels)))
    L.append('')
    L += server_lines(names, table, labels)
    L.append('## Boot to shell')
    L.append('')
    L.append('Host wall-clock seconds from starting QEMU to the first line '
             'of the initramfs /init in bench mode (`BENCH-START`): '
             'firmware, kernel boot, unpacking the initramfs and starting '
             '%s. The guest column is the kernel\'s own '
             '/proc/uptime at that line (virtual time under ICOUNT=1). '
             'Median (min..max) over the rounds; "total" is the whole boot '
             'with every benchmark. "Guest clock rate" is guest seconds '
             '(/proc/uptime) per host second from `BENCH-START` to '
             '`BENCH-END`: near 1 in wall-clock mode means the kernel\'s '
             'clock keeps time, so its figures are in real nanoseconds.'
             % ('the benchmark driver' if meta['suite'] == 'app'
                else 'BusyBox sh'))
    L.append('')
    L.append('"Least memory" is the smallest `-m` (in MiB, found by binary '
             'search) with which the kernel reaches that line.')
    L.append('')
    L.append('| kernel | boot to shell (host s) | guest uptime (s) | '
             'total (s) | guest clock rate | least memory (MiB) |')
    L.append('|---|---|---|---|---|---|')
    for l in labels:
        b = boots[l]
        L.append('| %s | %s | %s | %s | %s | %s |' % (
            l, b['boot'], b['uptime'], b['total'], b['rate'],
            b.get('min_mib') or 'n/a'))
    L.append('')
    with open(path, 'w') as f:
        f.write('\n'.join(L))


COLORS = {'fortress': '#1b5e9e', 'balanced': '#3a9d5d',
          'performance': '#e0a030', 'ludicrous': '#c8403a'}


def write_svg(path, names, rat, geo, title):
    """A grouped bar chart of each profile's ratio, log2 scale, clipped."""
    groups = [n for n in names if any(n in rat[p] for p in PROFILES)]
    groups.append('geomean')
    lo, hi = -4.0, 4.0          # log2 of 1/16 .. 16
    bar, gap = 6, 10
    left, top, plot_h, bottom = 60, 56, 360, 130
    gw = bar * len(PROFILES) + gap
    width = left + gw * len(groups) + 20
    height = top + plot_h + bottom

    def y(v):
        v = min(max(v, lo), hi)
        return top + plot_h * (hi - v) / (hi - lo)

    S = []
    S.append('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
             'font-family="sans-serif" font-size="11">' % (width, height))
    S.append('<rect width="100%" height="100%" fill="white"/>')
    S.append('<text x="%d" y="20" font-size="14" font-weight="bold">%s</text>'
             % (left, title))
    for e in range(int(lo), int(hi) + 1):
        yy = y(e)
        label = ('%g' % (2.0 ** e)) if e >= 0 else '1/%d' % (2 ** -e)
        S.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="%s" '
                 'stroke-width="%s"/>' % (left, width - 20, yy, yy,
                                          '#000' if e == 0 else '#ddd',
                                          '1.2' if e == 0 else '0.6'))
        S.append('<text x="%d" y="%.1f" text-anchor="end">%s</text>'
                 % (left - 6, yy + 4, label))
    S.append('<text transform="translate(16,%d) rotate(-90)" '
             'text-anchor="middle">time / Linux time (log scale, lower is '
             'better)</text>' % (top + plot_h // 2))
    base = y(0)
    for i, n in enumerate(groups):
        x0 = left + i * gw + gap // 2
        for j, p in enumerate(PROFILES):
            r = geo.get(p) if n == 'geomean' else rat[p].get(n)
            if not r:
                continue
            v = math.log2(r)
            yy = y(v)
            top_y, h = (yy, base - yy) if yy < base else (base, yy - base)
            clipped = v > hi or v < lo
            S.append('<rect x="%d" y="%.1f" width="%d" height="%.1f" '
                     'fill="%s"%s><title>%s %s: %.2f</title></rect>'
                     % (x0 + j * bar, top_y, bar - 1, max(h, 0.5), COLORS[p],
                        ' stroke="black"' if clipped else '', n, p, r))
        lx = x0 + gw // 2 - gap // 2
        S.append('<text transform="translate(%d,%d) rotate(-60)" '
                 'text-anchor="end"%s>%s</text>'
                 % (lx, top + plot_h + 10,
                    ' font-weight="bold"' if n == 'geomean' else '', n))
    lx = left
    for j, p in enumerate(PROFILES):
        S.append('<rect x="%d" y="30" width="10" height="10" fill="%s"/>'
                 % (lx + j * 110, COLORS[p]))
        S.append('<text x="%d" y="39">%s</text>' % (lx + j * 110 + 14, p))
    S.append('<text x="%d" y="%d" fill="#555">Bars outside 1/16..16 are '
             'clipped and outlined.</text>' % (left, height - 8))
    S.append('</svg>')
    with open(path, 'w') as f:
        f.write('\n'.join(S) + '\n')


def spread(vals, fmt):
    if not vals:
        return 'n/a'
    m = fmt % statistics.median(vals)
    if len(vals) == 1:
        return m
    return '%s (%s..%s)' % (m, fmt % min(vals), fmt % max(vals))


def add_common_args(ap, logs):
    """The options run.py and run_smp.py share; @logs: the default log dir."""
    ap.add_argument('--initrd', required=True)
    ap.add_argument('--build-root', default='build')
    ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('--only', default='')
    ap.add_argument('--out', default='bench/results')
    ap.add_argument('--logs', default=logs)
    ap.add_argument('--cpu', default='max',
                    help="QEMU's CPU model (max: every feature TCG has, "
                    "ERMS and FSRM among them; qemu64: QEMU's default)")


def check_common_args(args, prog):
    """Refuse what no run can use, then make the output directories."""
    if not args.linux:
        sys.exit('%s: no /boot/vmlinuz-* (apt-get install linux-image-amd64)'
                 % prog)
    if not re.fullmatch(r'[A-Za-z0-9_-]+', args.cpu):
        sys.exit('%s: CPU must be a QEMU CPU model name' % prog)
    if not re.fullmatch(r'[A-Za-z0-9_]*', args.only):
        sys.exit('%s: BENCH must be letters, digits or _' % prog)
    if args.rounds < 1:
        sys.exit('%s: ROUNDS must be at least 1' % prog)
    os.makedirs(args.out, exist_ok=True)
    os.makedirs(args.logs, exist_ok=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    add_common_args(ap, 'build/bench/logs')
    ap.add_argument('--icount', action='store_true')
    ap.add_argument('--timeout', type=float,
                    help='seconds per boot (default 300, 1800 for app)')
    ap.add_argument('--mem', help='guest memory (default 256M, 2G for app)')
    ap.add_argument('--suite', choices=['micro', 'app'], default='micro',
                    help='app: the application workloads in the Debian '
                    'userland image (no network, no least-memory search)')
    ap.add_argument('--linux', default=newest_linux())
    ap.add_argument('--command', default='bench/run.py')
    ap.add_argument('--no-net', action='store_true',
                    help='no network device (shows what it costs the other '
                    'benchmarks); the host benchmarks are skipped')
    ap.add_argument('--no-min-mem', action='store_true',
                    help='skip the search for the least memory each kernel boots in')
    args = ap.parse_args()
    args.smp = args.budget_ms = None	# bench/run_smp.py sets them
    app = args.suite == 'app'
    if args.timeout is None:
        args.timeout = 1800 if app else 300
    if args.mem is None:
        args.mem = '2G' if app else '256M'
    if app:
        args.no_net = args.no_min_mem = True
    check_common_args(args, 'run.py')
    args.hostport = None
    if not args.icount and not args.no_net:
        args.hostport = start_host_server()

    ks = kernels(args)
    labels = [k[0] for k in ks]
    runs = {l: [] for l in labels}
    total = len(ks) * args.rounds
    n = 0
    t0 = time.monotonic()
    for rnd in range(1, args.rounds + 1):
        for label, image, extra in ks:
            n += 1
            print('[%d/%d] round %d: %s ...' % (n, total, rnd, label),
                  end=' ', flush=True)
            log = os.path.join(args.logs, '%s-round%d.log' % (label, rnd))
            r = boot(args, label, image, extra, log)
            runs[label].append(r)
            boot_s = '%.1f' % r['boot_s'] if r['boot_s'] else '?'
            print('%d benchmarks, boot %s s, total %.1f s%s' % (
                len(r['figures']), boot_s, r['wall_s'],
                '' if r['status'] == 'ok' else
                ' [%s: see %s]' % (r['status'], log)), flush=True)

    min_mib = {}
    if not args.no_min_mem:
        print('least memory each kernel boots in ...', flush=True)
        for label, image, extra in ks:
            min_mib[label] = least_memory(args, label, image, extra)

    names, table = summarize(runs, labels)
    rat = ratios(names, table, LINUX)
    rat_nm = ratios(names, table, LINUX_NOMIT)
    geo = {p: geomean(rat[p].values()) for p in PROFILES}
    geo_nm = {p: geomean(rat_nm[p].values()) for p in PROFILES}
    boots = {}
    for l in labels:
        boots[l] = {
            'boot': spread([r['boot_s'] for r in runs[l] if r['boot_s']], '%.2f'),
            'uptime': spread([r['uptime_s'] for r in runs[l]
                              if r['uptime_s'] is not None], '%.2f'),
            'total': spread([r['wall_s'] for r in runs[l]], '%.1f'),
            'rate': spread([r['clock_rate'] for r in runs[l]
                            if r['clock_rate'] is not None], '%.3f'),
            'min_mib': min_mib.get(l),
        }
    sfx = (('-app' if app else '') + ('-icount' if args.icount else '') +
           ('' if args.cpu == 'max' else '-' + args.cpu))
    meta = {
        'svg': 'ratio%s.svg' % sfx,
        'command': args.command,
        'date': time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()),
        'rounds': args.rounds,
        'icount': args.icount,
        'suite': args.suite,
        'net': not args.no_net,
        'only': args.only,
        'host': '%d host CPUs' % os.cpu_count(),
        'cpu': args.cpu,
        'linux': args.linux,
        'append': re.sub(r'hostport=\d+', 'hostport=PORT',
                         append_line(args, '')),
        'qemu': ' '.join(qemu_cmd(args, 'KERNEL', '...')),
        'elapsed_s': round(time.monotonic() - t0, 1),
    }
    write_markdown(os.path.join(args.out, 'report%s.md' % sfx), meta, names, table,
                   rat, rat_nm, geo, geo_nm, boots, labels)
    write_svg(os.path.join(args.out, meta['svg']), names, rat, geo,
              'Aramid profiles%s: time ratio to Linux (%s)'
              % (', applications' if app else '',
                 'ICOUNT=1' if args.icount else 'wall clock'))
    report = {
        'meta': meta,
        'kernels': [{'label': l, 'image': i, 'extra_append': e}
                    for l, i, e in ks],
        'benchmarks': table,
        'ratio_to_linux': rat,
        'ratio_to_linux_nomitig': rat_nm,
        'geomean_to_linux': geo,
        'geomean_to_linux_nomitig': geo_nm,
        'boots': {l: [{k: r[k] for k in ('boot_s', 'uptime_s', 'wall_s',
                                         'clock_rate', 'status', 'errors')}
                      for r in runs[l]] for l in labels},
        'least_memory_mib': min_mib,
    }
    with open(os.path.join(args.out, 'report%s.json' % sfx), 'w') as f:
        json.dump(report, f, indent=1, sort_keys=True)
        f.write('\n')
    print('geometric mean of time / Linux time: ' + ', '.join(
        '%s %s' % (p, '%.2f' % geo[p] if geo[p] else 'n/a') for p in PROFILES))
    print('report: %s/report%s.md, report%s.json, %s (%.0f s)'
          % (args.out, sfx, sfx, meta['svg'], meta['elapsed_s']))


if __name__ == '__main__':
    main()
