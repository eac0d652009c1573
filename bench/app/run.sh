#!/bin/sh
# /bench/app/run.sh: the application benchmarks of `make bench-app`, run
# by the Debian userland image's /init (scripts/userland/init) instead of
# the login shell when the kernel command line has "aramid.bench=app".
# Each workload is one command of Debian's userland timed by
# /bench/app/btime, which prints "BENCH <name> <ns_per_run> <runs>" for
# bench/run.py. The inputs are made first, untimed, in a fresh tmpfs
# directory, and are the same on every kernel. aramid.bench.only=WORD
# runs only the workloads whose name contains WORD; aramid.bench.ms=N is
# the microbenchmarks' budget: python_startup repeats for 2.4 times N
# milliseconds of guest time, the others run once.
app=/bench/app
only=
ms=250
read -r cmdline < /proc/cmdline
for w in $cmdline; do
	case $w in
	aramid.bench.only=*) only=${w#*=} ;;
	aramid.bench.ms=*) ms=${w#*=} ;;
	esac
done
budget=$((ms * 12 / 5))
# A fixed string hash seed: the same dict and set layouts, so the same
# instructions, on every boot.
export PYTHONHASHSEED=0

want() {
	case $1 in *"$only"*) return 0 ;; esac
	return 1
}

# btime NAME BUDGET_MS COMMAND...: one workload's BENCH line.
btime() {
	"$app/btime" "$@"
}

dir=$(mktemp -d /tmp/app-XXXXXX) && cd "$dir" || exit 1
echo "BENCH-START $(cut -d' ' -f1 /proc/uptime)"

if want python_startup; then
	btime python_startup "$budget" python3 -c pass
fi

if want python_json_re; then
	btime python_json_re 0 python3 "$app/json_re.py"
fi

if want gcc_c; then
	btime gcc_c_mid 0 gcc -O2 -c "$app/mid.c" -o mid.o
	rm -f mid.o
fi

if want sqlite; then
	btime sqlite_100k 0 sqlite3 -bail -batch app.db ".read $app/sqlite.sql"
	rm -f app.db
fi

if want tar_xzf; then
	# The Python standard library's sources (no byte code): about 600
	# files, 15 MB.
	tar czf src.tgz --exclude=__pycache__ -C /usr/lib python3.11
	mkdir out
	btime tar_xzf_pystdlib 0 tar xzf src.tgz -C out --warning=no-timestamp
	rm -rf out src.tgz
fi

cd / && rm -rf "$dir"
echo "BENCH-END $(cut -d' ' -f1 /proc/uptime)"
