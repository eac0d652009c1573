#!/bin/sh
# bench_workloads.sh [FILTER]: the BusyBox workload benchmarks of
# `make bench`, run by the initramfs /init in a scratch directory on tmpfs.
# Each workload is a shell command timed by /bench/btime, which prints
# "BENCH <name> <ns_per_run> <runs>". The inputs are made first, untimed,
# and are the same on every kernel (a fixed pseudo-random sequence).
# Only workloads whose name contains FILTER run.
filter=${1:-}
# Milliseconds of guest time per workload (at least one run): BENCH_MS
# (the microbenchmarks' budget, default 250) times 2.4.
BUDGET=$(( ${BENCH_MS:-250} * 12 / 5 ))

want() {
	case $1 in *"$filter"*) return 0 ;; esac
	return 1
}

# 1 MB of numbers, one per line, in a fixed pseudo-random order.
make_numbers() {
	awk 'BEGIN { x = 1; for (i = 0; i < 175000; i++) {
		x = (x * 69069 + 1) % 4294967296; print x % 100000 } }' > numbers
}

if want sh_c_true; then
	/bench/btime sh_c_true_x100 "$BUDGET" sh -c \
		'i=0; while [ $i -lt 100 ]; do sh -c true; i=$((i + 1)); done'
fi

if want seq_grep_wc; then
	/bench/btime seq_grep_wc "$BUDGET" sh -c \
		'seq 1 20000 | grep 7 | wc -l > /dev/null'
fi

if want sort_uniq; then
	make_numbers
	/bench/btime sort_uniq_1mb "$BUDGET" sh -c \
		'sort numbers | uniq > /dev/null'
	rm -f numbers
fi

if want tar_gzip; then
	# A small tree: 8 directories of 8 files of 4 KiB text each.
	make_numbers
	for d in 0 1 2 3 4 5 6 7; do
		mkdir -p tree/d$d
		for f in 0 1 2 3 4 5 6 7; do
			tail -c 4096 numbers > tree/d$d/f$f
		done
	done
	rm -f numbers
	/bench/btime tar_gzip_roundtrip "$BUDGET" sh -c \
		'tar czf tree.tgz tree && mkdir out && tar xzf tree.tgz -C out &&
		 rm -rf out tree.tgz'
	rm -rf tree
fi

if want find; then
	# 1000 files: 10 directories of 100 empty files.
	for d in 0 1 2 3 4 5 6 7 8 9; do
		mkdir -p ftree/d$d
		(cd ftree/d$d && touch $(seq 1 100))
	done
	/bench/btime find_1000 "$BUDGET" find ftree -name "5*" -type f
	rm -rf ftree
fi
