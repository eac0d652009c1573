#!/usr/bin/python3
"""CPython's regression tests (Debian's libpython3.11-testsuite) in the
Debian userland image, as a conformance measure against Linux.

  tests/pytests.py --kernel PATH --initrd build/userland/debian.cpio
                   --name LABEL [--set quick|full] [--modules m,m]
                   [--scale F] [--against RESULTS.json] [--mem 2G]
                   [--log PREFIX]
  tests/pytests.py --table RESULTS.json [--against RESULTS.json]

Boots the kernel with the image and, in its bash shell, runs each module
with `python3 -m test -v --junit-xml` (tests/pytests_guest.py, typed in
as pyt.py) under a per-module time limit. A guest that stops answering
is rebooted and the run goes on with the next module. Per module it
records the tests that passed, failed (FAIL or ERROR), were skipped, and
the one still running when the time ran out; LOG.pytests.json holds them
all, LOG.pytests.md the table. With --against (another run's JSON, e.g.
Linux's) the table compares the two and names the tests that pass there
but not here; --table prints that table again from saved runs.

Every module prints one PASS/FAIL line: PASS when it ran to its end with
no failed test (with --against: none that passed there). The last line
is "N passed, N failed" (exit status 1 if anything failed).
"""
import argparse
import base64
import gzip
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import ANSI, Console, Results, tail, write_log  # noqa: E402

PROMPT = r'root@aramid:~# '
P = 'pytests'
# Module: its time limit in seconds in QEMU TCG (make test-python doubles
# it on Aramid). No -u: tests that need a resource (network, cpu, ...) are
# skipped alike on every kernel. QUICK runs in make test (and in
# make test-linux): modules that pass on Linux and in every profile, about
# 80 s in all (test_pty's test_fork fails now and then on Aramid).
FULL = {
    'test_os': 600, 'test_posix': 300, 'test_subprocess': 900,
    'test_signal': 600, 'test_select': 120, 'test_selectors': 300,
    'test_epoll': 120, 'test_poll': 200, 'test_socket': 900,
    'test_threading': 600, 'test_thread': 300, 'test_fcntl': 120,
    'test_mmap': 300, 'test_pty': 120, 'test_tempfile': 300,
    'test_shutil': 300, 'test_io': 900, 'test_fileio': 120,
    'test_file': 120, 'test_time': 300, 'test_resource': 120,
    'test_pwd': 60, 'test_grp': 60, 'test_stat': 60,
    'test_eintr': 300, 'test_faulthandler': 300,
    'test_asyncio.test_events': 900,
    'test_asyncio.test_subprocess': 600, 'test_asyncio.test_unix_events': 300,
    'test_asyncio.test_selector_events': 120, 'test_asyncio.test_sock_lowlevel': 300,
    'test_asyncio.test_streams': 300, 'test_asyncio.test_sendfile': 300,
}
QUICK = ['test_select', 'test_epoll', 'test_selectors', 'test_thread', 'test_mmap',
         'test_tempfile', 'test_shutil', 'test_fileio', 'test_file']
STATUSES = ('ok', 'fail', 'error', 'skip', 'xfail', 'xpass', 'hung')
LINE = re.compile(r'^PYT (\w+) (\S+)$')
ERR = re.compile(r'^PYTERR (\S+): (.*)$')
TAIL = re.compile(r'^PYTLOG (.*)$')
END = re.compile(r'^PYTEND (\S+) rc=(-?\d+) secs=([\d.]+) source=(\w+)$')


def guest_script():
    """pyt.py as a heredoc: gzip and base64, short lines for the tty."""
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, 'pytests_guest.py'), 'rb') as f:
        b = base64.b64encode(gzip.compress(f.read(), mtime=0)).decode()
    body = '\n'.join(b[i:i + 76] for i in range(0, len(b), 76))
    return ("base64 -d << 'EOF' > pyt.py.gz\n%s\nEOF\n"
            "gzip -dc pyt.py.gz > pyt.py" % body)


def boot(con, args):
    """(Re)boot to the prompt and type in pyt.py: True when it is there."""
    if not con.expect(PROMPT, 300):
        return False
    rc, _ = con.sh(guest_script(), 60)
    return rc == 0


def parse(text, mod):
    """A module's record from the console text of its run."""
    rec = {s: [] for s in STATUSES}
    rec.update(errors={}, tail=[], rc=None, secs=None, source='none')
    for line in ANSI.sub('', text).replace('\r', '').split('\n'):
        m = LINE.match(line)
        if m and m.group(1) in rec:
            rec[m.group(1)].append(m.group(2))
        m = ERR.match(line)
        if m:
            rec['errors'][m.group(1)] = m.group(2)
        m = TAIL.match(line)
        if m:
            rec['tail'].append(m.group(1))
        m = END.match(line)
        if m and m.group(1) == mod:
            rec.update(rc=int(m.group(2)), secs=float(m.group(3)),
                       source=m.group(4))
    return rec


def run_module(con, mod, limit):
    """Run one module in the guest; None when the guest stopped answering."""
    start = len(con.log)
    con.send('python3 pyt.py %s %d\r' % (mod, limit))
    t0 = time.monotonic()
    ok = con.expect(r'PYTEND %s [^\n]*\n' % re.escape(mod), limit + 120) and \
        con.expect(PROMPT, 60)
    rec = parse(''.join(con.log[start:]), mod)
    rec['wall'] = round(time.monotonic() - t0, 1)
    return rec if ok else dict(rec, source='guest hung')


def broken(rec, base):
    """The tests that did not pass (FAIL, ERROR, hung) but did in base."""
    bad = rec['fail'] + rec['error'] + rec['hung']
    if base is None:
        return bad
    return [t for t in bad if t in base['ok']]


def verdict(rec, base):
    """'' when the module is green, else why not."""
    if rec['source'] == 'guest hung':
        return 'guest hung'
    if rec['source'] != 'xml':
        return 'did not finish (%s, rc=%s)' % (rec['source'], rec['rc'])
    if rec['rc'] != 0 and (base is None or base['rc'] == 0):
        return 'exit status %s' % rec['rc']
    bad = broken(rec, base)
    if bad:
        return '%d not passed: %s' % (len(bad), ' '.join(bad[:5]))
    return ''


def counts(rec):
    if rec is None:
        return '-'
    c = '%d/%d/%d' % (len(rec['ok']), len(rec['fail']) + len(rec['error']) +
                      len(rec['hung']), len(rec['skip']))
    if rec['source'] != 'xml':
        c += ' (%s)' % ('hung' if rec['source'] == 'guest hung' else 'cut')
    return c


def table(name, results, base, base_name):
    """The markdown report: a row per module, then the tests that pass in
    base but not here, each with its error line."""
    out = ['| module | %s%s | %s s%s |' % (
        name, ' | ' + base_name if base else '', name,
        ' | %s s' % base_name if base else ''),
        '|---|---|%s---|%s' % ('---|' if base else '', '---|' if base else '')]
    for mod, rec in results.items():
        b = base.get(mod) if base else None
        row = [mod, counts(rec)] + ([counts(b)] if base else [])
        row += ['%.0f' % rec['secs'] if rec['secs'] else '-']
        if base:
            row += ['%.0f' % b['secs'] if b and b['secs'] else '-']
        out.append('| ' + ' | '.join(row) + ' |')
    out.append('')
    out.append('Counts: passed/failed/skipped (failed includes errors and a '
               'test cut off by the time limit).')
    lost = []
    for mod, rec in results.items():
        b = base.get(mod) if base else None
        for t in broken(rec, b):
            lost.append('- %s: %s%s' % (mod, t, (' — ' + rec['errors'][t])
                                        if t in rec['errors'] else
                                        (' — hung' if t in rec['hung'] else '')))
    if lost:
        out += ['', 'Not passed here%s:' % (' but passed on ' + base_name
                                             if base else ''), ''] + lost
    for mod, rec in results.items():
        if rec.get('tail'):
            out += ['', '%s (exit status %s): its log ends:' %
                    (mod, rec['rc']), '', '```'] + rec['tail'] + ['```']
    return '\n'.join(out) + '\n'


def save(args, results):
    """LOG.pytests.json: the run so far."""
    write_log(args, '.pytests.json', json.dumps(
        {'name': args.name, 'modules': results}, indent=1) + '\n')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--kernel')
    ap.add_argument('--initrd')
    ap.add_argument('--name', help='label for this kernel')
    ap.add_argument('--table', default='',
                    help="print a saved run's table and boot nothing")
    ap.add_argument('--set', choices=['quick', 'full'], default='full')
    ap.add_argument('--modules', default='',
                    help='comma-separated modules instead of the set')
    ap.add_argument('--scale', type=float, default=1.0,
                    help='multiply every time limit')
    ap.add_argument('--against', default='',
                    help="another run's LOG.pytests.json to compare with")
    ap.add_argument('--mem', default='2G')
    ap.add_argument('--log', default='', help='write LOG.pytests.log, '
                    'LOG.pytests.json and LOG.pytests.md')
    args = ap.parse_args()
    against, base_name = {}, ''
    if args.against and os.path.isfile(args.against):
        with open(args.against) as f:
            saved = json.load(f)
        against, base_name = saved['modules'], saved['name']
    if args.table:
        with open(args.table) as f:
            saved = json.load(f)
        print(table(saved['name'], saved['modules'], against, base_name), end='')
        return
    for p in (args.kernel, args.initrd):
        if not p or not os.path.isfile(p):
            sys.exit('pytests.py: no such file: %s' % p)
    if not args.name:
        sys.exit('pytests.py: --name is needed')
    mods = [m for m in args.modules.split(',') if m] if args.modules else \
        (QUICK if args.set == 'quick' else list(FULL))
    for m in mods:
        if not re.match(r'^test_\w+(\.test_\w+)?$', m):
            sys.exit('pytests.py: not a test module name: %s' % m)
    args.net, args.hostport, args.append = False, 0, ''
    args.timeout = sum(FULL.get(m, 600) * args.scale + 200 for m in mods) + 300

    res = Results(args.name)
    print('== %s: CPython regression tests (%d modules) ==' % (args.name, len(mods)),
          flush=True)
    con = Console(args, res, P, PROMPT)
    results = {}
    up = boot(con, args)
    res.add(up, ('PASS' if up else 'FAIL') + ' %s: boot to bash, pyt.py typed in' % P
            + ('' if up else ': no prompt'))
    try:
        for mod in mods:
            if not up:
                break
            limit = int(FULL.get(mod, 600) * args.scale)
            rec = run_module(con, mod, limit)
            results[mod] = rec
            save(args, results)
            base = against.get(mod) if against else None
            why = verdict(rec, base)
            con.step('%s %s in %ss' % (mod, counts(rec), rec['wall']), not why, why)
            if rec['source'] == 'guest hung':
                print('---- %s: the guest stopped answering; rebooting' % mod,
                      flush=True)
                tail(con.lines(), 15)
                con.spawn()
                up = boot(con, args)
        if up:
            con.send('exit\r')
            con.expect(con.pexpect.EOF, 60)
    finally:
        con.close()
        write_log(args, '.pytests.log', '\n'.join(con.lines()) + '\n')
        save(args, results)
        md = table(args.name, results, against, base_name)
        write_log(args, '.pytests.md', md)
        print(md, flush=True)
    print('%d passed, %d failed' % (res.passed, res.failed), flush=True)
    sys.exit(1 if res.failed else 0)


if __name__ == '__main__':
    main()
