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

# want WORD...: true if any WORD contains the aramid.bench.only word.
want() {
	for w in "$@"; do
		case $w in *"$only"*) return 0 ;; esac
	done
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

# The server workloads report the client's own figure: requests per
# second over its run, by the guest's clock, printed as the time per
# request, "BENCH <name>_req <ns_per_request> <requests>" (bench/run.py
# turns those back into requests per second). rate NAME REQUESTS RPS:
# that line, or BENCH-ERROR if the client gave no rate.
rate() {
	case $3 in
	[0-9]*) awk -v n="$1" -v r="$2" -v rps="$3" 'BEGIN {
		if (rps > 0) printf "BENCH %s %d %d\n", n, 1e9 / rps + 0.5, r
		else printf "BENCH-ERROR %s no-rate\n", n }' ;;
	*) echo "BENCH-ERROR $1 no-rate" ;;
	esac
}

if want redis_set_req redis_get_req servers; then
	# Debian's redis.conf (a daemon on 127.0.0.1:6379) without save
	# points; redis-benchmark's 50 clients, SET then GET of one key.
	n=4000
	mkdir -p /run/redis
	redis-server /etc/redis/redis.conf --save '' >/dev/null
	for i in $(seq 100); do
		redis-cli ping 2>/dev/null | grep -q PONG && break
		sleep 0.1
	done
	redis-benchmark -q -n $n -t get,set | tr '\r' '\n' > redis.out
	for t in SET GET; do
		rate "redis_$(echo $t | tr A-Z a-z)_req" $n \
			"$(sed -n "s/^$t: \([0-9.]*\) requests per second.*/\1/p" redis.out)"
	done
	redis-cli shutdown nosave >/dev/null
fi

# ab_rate NAME REQUESTS URL: ab's requests per second, none if any request
# failed or was not answered 200.
ab_rate() {
	ab -q -n "$2" -c 8 "$3" > ab.out 2>&1
	if grep -q '^Failed requests: *0$' ab.out &&
		! grep -q '^Non-2xx responses' ab.out; then
		rate "$1" "$2" "$(sed -n 's/^Requests per second: *\([0-9.]*\) .*/\1/p' ab.out)"
	else
		sed 's/^/ab: /' ab.out >&2
		echo "BENCH-ERROR $1 requests-failed"
	fi
}

if want nginx_small_req nginx_1m_req servers; then
	# Debian's nginx.conf (www-data's worker, sendfile, tcp_nopush, the
	# access log) with a site for /srv/www on 127.0.0.1:80 in place of
	# the default one, which also listens on [::]:80. ab: 8 concurrent
	# clients, a connection per request.
	mkdir -p /srv/www
	head -c 1024 /dev/zero | tr '\0' a > /srv/www/small.html
	head -c 1048576 /dev/zero > /srv/www/1m.bin
	rm -f /etc/nginx/sites-enabled/default
	printf 'server {\n\tlisten 127.0.0.1:80 default_server;\n\troot /srv/www;\n}\n' \
		> /etc/nginx/sites-enabled/bench
	nginx
	for i in $(seq 100); do
		pgrep -u www-data nginx >/dev/null && break
		sleep 0.1
	done
	ab_rate nginx_small_req 2000 http://127.0.0.1/small.html
	ab_rate nginx_1m_req 200 http://127.0.0.1/1m.bin
	nginx -s quit
	for i in $(seq 100); do
		pgrep nginx >/dev/null || break
		sleep 0.1
	done
fi

if want strace_off strace_on servers; then
	# The same small workload untraced and under strace -f: a shell that
	# lists a tree and runs a program 20 times.
	work='ls -lR /usr/lib/python3.11/email >/dev/null; for i in $(seq 20); do /bin/true; done'
	btime strace_off 0 bash -c "$work"
	btime strace_on 0 strace -f -o /dev/null bash -c "$work"
fi

cd / && rm -rf "$dir"
echo "BENCH-END $(cut -d' ' -f1 /proc/uptime)"
