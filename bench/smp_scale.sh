#!/bin/sh
# smp_scale.sh [FILTER]: the scaling benchmarks of `make bench-smp`, run
# by the initramfs /init (aramid.bench=smp) in a scratch directory on
# tmpfs. Each is a fixed amount of work timed by /bench/btime ("BENCH
# <name> <ns_per_run> <runs>"); bench/run_smp.py boots every kernel at
# -smp 1 and -smp 2 and divides the two. Only workloads whose name
# contains FILTER run.
filter=${1:-}
# Milliseconds per workload (at least one run): BENCH_MS, default 2000.
BUDGET=${BENCH_MS:-2000}

want() {
	case $1 in *"$filter"*) return 0 ;; esac
	return 1
}

want cpu_x1 && /bench/btime cpu_x1 "$BUDGET" /bench/smp_work cpu 1
want cpu_x2 && /bench/btime cpu_x2 "$BUDGET" /bench/smp_work cpu 2
want cpu_x4 && /bench/btime cpu_x4 "$BUDGET" /bench/smp_work cpu 4
want futex_pingpong &&
	/bench/btime futex_pingpong "$BUDGET" /bench/smp_work futex
want forkexec_x2 &&
	/bench/btime forkexec_x2 "$BUDGET" /bench/smp_work forkexec 2

if want gzip_xargs_p2; then
	# Eight files of 256 KiB of text, made the same way on every kernel.
	awk 'BEGIN { x = 1; for (i = 0; i < 300000; i++) {
		x = (x * 69069 + 1) % 4294967296; print x % 100000 } }' > numbers
	for f in 0 1 2 3 4 5 6 7; do
		head -c 262144 numbers > f$f
	done
	rm -f numbers
	/bench/btime gzip_xargs_p2 "$BUDGET" sh -c \
		'ls f? | xargs -P2 -n1 gzip -kf'
	rm -f f?*
fi
true
