#!/bin/sh
# mkinitramfs.sh OUT.cpio [FILE...] [--bench BFILE...]
# Build a newc initramfs with a static BusyBox userland and an /init script.
# Every extra FILE is copied to /tests/<basename> (used by the ABI test suite),
# every BFILE after --bench to /bench/<basename> (used by `make bench`); a
# dynamically linked one brings the host's copies of its loader and
# libraries, at the same paths.
# With kernel command line "aramid.test=abi", /init runs each /tests/abi_*
# binary in a fresh tmpfs directory (killed after aramid.test.timeout=N
# seconds, default 60), counts the kernel log's lock-order warnings
# (LOCK-CHECK), prints ABI-SUITE-END and powers off; with
# "aramid.test=panic" it crashes the kernel through /proc/sysrq-trigger;
# with "aramid.test=switchroot" it mounts root= (ro or rw, rootfstype=) on
# /newroot and switch_roots to init= or /sbin/init (tests/rootdisk.py);
# with "aramid.bench=1" it runs each /bench/bench_* suite (given the filter
# of aramid.bench.only=WORD, BENCH_MS from aramid.bench.ms=N and
# BENCH_HOSTPORT, the port of bench/run.py's host server, from
# aramid.bench.hostport=N) in a fresh tmpfs directory and powers off;
# with "aramid.bench=smp" the same for /bench/smp_scale.sh (`make
# bench-smp`); otherwise it (re)starts an interactive login shell with job control on the
# console.
set -eu

if [ $# -lt 1 ]; then
	echo "usage: $0 OUT.cpio [FILE...]" >&2
	exit 2
fi
out=$1
shift
BUSYBOX=${BUSYBOX:-/bin/busybox}
[ -x "$BUSYBOX" ] || { echo "$0: $BUSYBOX missing (apt-get install busybox-static)" >&2; exit 1; }
command -v cpio >/dev/null || { echo "$0: cpio missing" >&2; exit 1; }

case $out in /*) ;; *) out=$(pwd)/$out ;; esac
root=$(mktemp -d "${TMPDIR:-/tmp}/initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT

mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" \
	"$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/root" \
	"$root/etc" "$root/mnt" "$root/tests" "$root/bench" "$root/home"
chmod 1777 "$root/tmp"
chmod 700 "$root/root"
cp "$BUSYBOX" "$root/bin/busybox"
chmod 755 "$root/bin/busybox"

# One symlink per applet, at the path BusyBox reports (bin/ls, usr/bin/tr, ...).
"$BUSYBOX" --list-full | while read -r applet; do
	[ "$applet" = bin/busybox ] && continue
	dir=${applet%/*}
	case $dir in
	bin) target=busybox ;;
	sbin|usr/bin|usr/sbin) target=/bin/busybox ;;
	*) mkdir -p "$root/$dir"; target=/bin/busybox ;;
	esac
	[ -e "$root/$applet" ] || ln -s "$target" "$root/$applet"
done

# su must be set-user-id root to let an ordinary user become another: a
# copy of BusyBox, which picks its applet from the name it is run as. A
# benchmark image (--bench) keeps the plain link: the copy's 2 MB would
# count in the least memory each kernel boots in.
case " $* " in
*" --bench "*) ;;
*)
	rm "$root/bin/su"
	cp "$BUSYBOX" "$root/bin/su"
	chmod 4755 "$root/bin/su"
	;;
esac

# Debian's udhcpc script, which BusyBox's udhcpc runs by default.
if [ -f /etc/udhcpc/default.script ]; then
	mkdir -p "$root/etc/udhcpc"
	cp /etc/udhcpc/default.script "$root/etc/udhcpc/default.script"
	chmod 755 "$root/etc/udhcpc/default.script"
fi

# Device nodes for the time before devtmpfs is mounted (or if it is absent).
mknod -m 600 "$root/dev/console" c 5 1
mknod -m 666 "$root/dev/null" c 1 3

cat > "$root/etc/passwd" <<'P'
root:x:0:0:root:/root:/bin/sh
P
cat > "$root/etc/group" <<'G'
root:x:0:
G
# No password for root until one is set (passwd, or the interactive suite).
cat > "$root/etc/shadow" <<'S'
root:*:19000:0:99999:7:::
S
chmod 640 "$root/etc/shadow"
cat > "$root/etc/inittab" <<'T'
::respawn:/bin/cttyhack /bin/sh -l
::ctrlaltdel:/sbin/reboot
T
cat > "$root/etc/profile" <<'R'
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
if [ "$(id -u)" -eq 0 ]; then
	export HOME=/root
	PS1='~ # '
else
	PS1='~ $ '
fi
R

cat > "$root/init" <<'I'
#!/bin/sh
# Aramid initramfs /init (BusyBox sh).
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys 2>/dev/null
mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts
mount -t devpts devpts /dev/pts 2>/dev/null
mount -t tmpfs tmpfs /tmp

cmdline=$(cat /proc/cmdline)
per=60      # per-program watchdog in seconds (aramid.test.timeout=N)
only=       # aramid.test.only=abi_a,abi_b: just these programs
for w in $cmdline; do
	case $w in
	aramid.test.timeout=*) per=${w#*=} ;;
	aramid.test.only=*) only=",${w#*=}," ;;
	esac
done

# With aramid.test=disk the disk suite: the virtio-blk modules first (on
# Linux, whose initramfs brings them as /tests/*.ko), then, once /dev/vda
# is there, the /tests/disk_* programs as the ABI suite runs its own.
# With aramid.test=switchroot (tests/rootdisk.py) the same modules, then
# what an initramfs's /init does: the root= device (rootfstype=, ro or
# rw) mounted on /newroot, and switch_root to init= (or /sbin/init).
suite=abi
case " $cmdline " in
*" aramid.test=disk "*|*" aramid.test=switchroot "*)
	suite=disk
	rootdev=/dev/vda
	for w in $cmdline; do
		case $w in root=/dev/*) rootdev=${w#root=} ;; esac
	done
	for m in virtio_ring virtio virtio_pci_modern_dev \
	    virtio_pci_legacy_dev virtio_pci virtio_blk crc16 crc32c_generic mbcache \
	    jbd2 ext4; do
		[ -f /tests/$m.ko ] && insmod /tests/$m.ko
	done
	n=0
	while [ ! -b "$rootdev" ] && [ $n -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	;;
esac
case " $cmdline " in
*" aramid.test=switchroot "*)
	fstype=
	rootmode=ro
	newinit=/sbin/init
	for w in $cmdline; do
		case $w in
		rootfstype=*) fstype="-t ${w#*=}" ;;
		ro|rw) rootmode=$w ;;
		init=*) newinit=${w#*=} ;;
		esac
	done
	mkdir -p /newroot
	# shellcheck disable=SC2086
	mount $fstype -o "$rootmode" "$rootdev" /newroot ||
		echo "FAIL switchroot: mount $rootdev on /newroot"
	exec switch_root /newroot "$newinit"
	;;
esac

case " $cmdline " in
*" aramid.test=abi "*|*" aramid.test=disk "*)
	list=
	for t in /tests/${suite}_*; do
		[ -x "$t" ] || continue
		case $only in ''|*",${t##*/},"*) list="$list ${t##*/}" ;; esac
	done
	echo "ABI-LIST$list"
	for name in $list; do
		t=/tests/$name
		dir=$(mktemp -d /tmp/abi-XXXXXX)
		echo "ABI-START $name"
		(cd "$dir" && exec timeout -s KILL "$per" "$t")
		echo "ABI-EXIT $name $?"
		rm -rf "$dir"
	done
	# The lock checker's warnings meanwhile (fortress logs them; the
	# harness wants none).
	echo "LOCK-CHECK warnings=$(dmesg | grep -c 'lock order')"
	echo ABI-SUITE-END
	poweroff -f
	;;
*" aramid.test=faults "*)
	# A FAULT_INJECT kernel: make the faultfs service fault in each way
	# (one read each) while a second shell, on another CPU when there is
	# one, keeps reading the same service; then show that the kernel and
	# the other services still work. tests/run.py judges the lines by
	# profile.
	echo FAULTS-START
	mkdir -p /f /f2
	mount -t faultfs none /f
	echo "FAULT mount rc=$?"
	while [ ! -e /tmp/faults-done ]; do
		if head -c 64 /f/ok >/dev/null 2>/tmp/faults-bg-err; then
			echo ok
		else
			cat /tmp/faults-bg-err
		fi >> /tmp/faults-bg
	done &
	sleep 0.2
	for f in ok panic null-deref gp ud divide bounds overflow stack-smash \
		 lock-twice lock-then-panic lock-then-panic forged-cap ok; do
		out=$(head -c 64 /f/$f 2>&1)
		echo "FAULT $f rc=$? $(echo $out)"
	done
	touch /tmp/faults-done
	wait
	echo "FAULT background ok=$(grep -c '^ok$' /tmp/faults-bg)" \
		"eio=$(grep -c 'Input/output error' /tmp/faults-bg)" \
		"eperm=$(grep -c 'Operation not permitted' /tmp/faults-bg)" \
		"lines=$(wc -l < /tmp/faults-bg)"
	echo tmpfs-data > /tmp/t && echo "FAULT tmpfs $(cat /tmp/t)"
	echo "FAULT procfs $(cat /proc/self/comm)"
	[ -x /tests/fault_net ] && /tests/fault_net
	umount /f
	mount -t faultfs none /f2
	echo "FAULT remount rc=$? $(head -c 64 /f2/ok 2>&1)"
	[ -x /tests/fault_mmap ] && /tests/fault_mmap
	echo FAULTS-END
	poweroff -f
	;;
*" aramid.bench=1 "*)
	# The benchmark suites print "BENCH <name> <ns> <n>" lines that
	# bench/run.py collects; BENCH-START marks the end of boot. Both
	# markers carry the guest uptime, to check the guest clock's rate.
	only=
	for w in $cmdline; do
		case $w in
		aramid.bench.only=*) only=${w#*=} ;;
		aramid.bench.ms=*) export BENCH_MS=${w#*=} ;;
		aramid.bench.hostport=*) export BENCH_HOSTPORT=${w#*=} ;;
		esac
	done
	echo "BENCH-START $(cut -d' ' -f1 /proc/uptime)"
	for b in /bench/bench_*; do
		[ -x "$b" ] || continue
		dir=$(mktemp -d /tmp/bench-XXXXXX)
		(cd "$dir" && exec timeout -s KILL 300 "$b" "$only")
		rm -rf "$dir"
	done
	echo "BENCH-END $(cut -d' ' -f1 /proc/uptime)"
	poweroff -f
	;;
*" aramid.bench=smp "*)
	# The scaling benchmarks (bench/smp_scale.sh), as above.
	only=
	for w in $cmdline; do
		case $w in
		aramid.bench.only=*) only=${w#*=} ;;
		aramid.bench.ms=*) export BENCH_MS=${w#*=} ;;
		esac
	done
	echo "BENCH-START $(cut -d' ' -f1 /proc/uptime)"
	dir=$(mktemp -d /tmp/bench-XXXXXX)
	(cd "$dir" && exec timeout -s KILL 600 /bench/smp_scale.sh "$only")
	rm -rf "$dir"
	echo "BENCH-END $(cut -d' ' -f1 /proc/uptime)"
	poweroff -f
	;;
*" aramid.test=panic "*)
	# The crash SysRq: the kernel must panic with a backtrace and exit.
	echo PANIC-TEST-START
	echo c > /proc/sysrq-trigger
	echo PANIC-TEST-SURVIVED
	poweroff -f
	;;
esac

# Interactive use: BusyBox init takes over as PID 1. It runs the login
# shell in a new session with the console as its controlling tty
# (cttyhack), so job control works, respawns it, and handles poweroff,
# reboot and halt (SIGUSR2, SIGTERM, SIGUSR1) as on any BusyBox system.
exec /sbin/init
I
chmod 755 "$root/init"

dest=tests
for f in "$@"; do
	if [ "$f" = --bench ]; then
		dest=bench
		continue
	fi
	cp "$f" "$root/$dest/"
	chmod 755 "$root/$dest/${f##*/}"
	# A dynamically linked program brings its loader and libraries from
	# the host, at the paths the host has them.
	if ldd "$f" >/dev/null 2>&1; then
		for lib in $(ldd "$f" | grep -o '/[^ ]*'); do
			mkdir -p "$root${lib%/*}"
			[ -e "$root$lib" ] || cp -L "$lib" "$root$lib"
		done
	fi
done

(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$out.tmp"
mv "$out.tmp" "$out"
echo "initramfs: $out"
