#!/usr/bin/python3
"""Aramid scaling benchmarks: every kernel at -smp 1 and -smp 2.

  bench/run_smp.py --initrd PATH --build-root DIR [--rounds N]
                   [--only WORD] [--out DIR] [--linux PATH]

Boots Linux and the four profiles, each at -smp 1 and then at -smp 2
with multi-threaded TCG (a host thread per vCPU), in interleaved rounds,
with "aramid.bench=smp" on the command line: the initramfs /init runs
bench/smp_scale.sh, whose workloads are fixed amounts of work (CPU-bound
processes, a futex ping-pong between two threads, fork+exec in two
processes, gzip through xargs -P2) timed on the wall clock, since icount
cannot run multi-threaded. Each figure's speed-up is its median time at
-smp 1 over its median time at -smp 2; 2.0 is perfect scaling for the
parallel workloads, and below 1 means the second CPU costs more than it
gives (as for a ping-pong, where the token crosses between CPUs).

Writes OUT/report-smp.md and OUT/report-smp.json. The figures depend on
the host having two idle cores; they are never judged.
"""
import argparse
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402  (bench/run.py: boot, kernels, newest_linux)

SMPS = (1, 2)
BUDGET_MS = 2000	# per workload and boot, at least one run


def median(vals):
    return statistics.median(vals) if vals else None


def write_markdown(path, meta, names, labels, table):
    """The speed-up table, then the times behind it."""
    with open(path, 'w') as f:
        f.write('# Scaling: -smp 1 against -smp 2\n\n')
        f.write('`%s`, %s, %d round(s), wall clock, multi-threaded TCG at '
                '-smp 2, on %s. QEMU: `%s`.\n\n'
                % (meta['command'], meta['date'], meta['rounds'],
                   meta['host'], meta['qemu']))
        f.write('Speed-up (median time at -smp 1 / at -smp 2; higher is '
                'better):\n\n')
        f.write('| benchmark | ' + ' | '.join(labels) + ' |\n')
        f.write('|---|' + '---:|' * len(labels) + '\n')
        for n in names:
            cells = []
            for l in labels:
                t1, t2 = table[n][l].get(1), table[n][l].get(2)
                cells.append('%.2f' % (t1 / t2) if t1 and t2 else 'n/a')
            f.write('| %s | %s |\n' % (n, ' | '.join(cells)))
        f.write('\nMedian time per run, ms (-smp 1 / -smp 2):\n\n')
        f.write('| benchmark | ' + ' | '.join(labels) + ' |\n')
        f.write('|---|' + '---:|' * len(labels) + '\n')
        for n in names:
            cells = []
            for l in labels:
                t = [table[n][l].get(s) for s in SMPS]
                cells.append(' / '.join('%.0f' % (x / 1e6) if x else 'n/a'
                                        for x in t))
            f.write('| %s | %s |\n' % (n, ' | '.join(cells)))
        f.write('\n%.0f s in all.\n' % meta['elapsed_s'])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    run.add_common_args(ap, 'build/bench/logs-smp')
    ap.add_argument('--linux', default=run.newest_linux())
    ap.add_argument('--command', default='bench/run_smp.py')
    args = ap.parse_args()
    run.check_common_args(args, 'run_smp.py')
    # What run.boot reads of its arguments.
    args.suite, args.icount, args.mem, args.timeout = 'smp', False, '256M', 900
    args.no_net, args.hostport, args.budget_ms = True, None, BUDGET_MS

    ks = [k for k in run.kernels(args) if k[0] != run.LINUX_NOMIT]
    labels = [k[0] for k in ks]
    figures = {}	# name -> label -> smp -> [ns per run, each round]
    total, n, t0 = len(ks) * len(SMPS) * args.rounds, 0, time.monotonic()
    for rnd in range(1, args.rounds + 1):
        for label, image, extra in ks:
            for smp in SMPS:
                n += 1
                args.smp = smp
                print('[%d/%d] round %d: %s -smp %d ...'
                      % (n, total, rnd, label, smp), end=' ', flush=True)
                log = os.path.join(args.logs, '%s-smp%d-round%d.log'
                                   % (label, smp, rnd))
                r = run.boot(args, label, image, extra, log)
                for name, (ns, _) in r['figures'].items():
                    figures.setdefault(name, {}).setdefault(
                        label, {}).setdefault(smp, []).append(ns)
                print('%d benchmarks, %.1f s%s' % (
                    len(r['figures']), r['wall_s'],
                    '' if r['status'] == 'ok' else
                    ' [%s: see %s]' % (r['status'], log)), flush=True)

    names = list(figures)
    table = {nm: {l: {s: median(figures[nm].get(l, {}).get(s, []))
                      for s in SMPS} for l in labels} for nm in names}
    args.smp = 2
    meta = {
        'command': args.command,
        'date': time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()),
        'rounds': args.rounds,
        'host': '%d host CPUs' % os.cpu_count(),
        'linux': args.linux,
        'qemu': ' '.join(run.qemu_cmd(args, 'KERNEL', '...')),
        'elapsed_s': round(time.monotonic() - t0, 1),
    }
    write_markdown(os.path.join(args.out, 'report-smp.md'), meta, names,
                   labels, table)
    with open(os.path.join(args.out, 'report-smp.json'), 'w') as f:
        json.dump({'meta': meta, 'figures': figures,
                   'median_ns': table}, f, indent=1, sort_keys=True)
        f.write('\n')
    for nm in names:
        print('%-16s %s' % (nm, '  '.join(
            '%s %s' % (l, '%.2f' % (table[nm][l][1] / table[nm][l][2])
                       if table[nm][l][1] and table[nm][l][2] else 'n/a')
            for l in labels)))
    print('report: %s/report-smp.md (%.0f s)' % (args.out, meta['elapsed_s']))


if __name__ == '__main__':
    main()
