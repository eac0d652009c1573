#!/bin/sh
# Build the Linux Test Project's system-call tests that a list names,
# static with musl, into build/ltp/root/opt/ltp (tests/ltp/run.py packs
# them into an initramfs).
#
#   tests/ltp/build.sh LTP_SRC [LIST]
#
# LTP_SRC is a checkout (or `git archive`) of LTP's public source; it is
# read, never written: the build happens in a copy, build/ltp/src. LIST
# (default tests/ltp/must-pass.txt) holds runtest/syscalls names, one a
# line, '#' for comments; "all" builds every entry of runtest/syscalls.
# Nothing is downloaded. Needs musl-tools, autoconf, automake, m4,
# pkg-config and linux-libc-dev (scripts/deps.sh ltp installs them).
# Entries whose binary does not build are listed in
# build/ltp/unbuilt.txt, each directory's log in build/ltp/logs/.
set -eu
[ $# -ge 1 ] || { echo "usage: $0 LTP_SRC [LIST|all]" >&2; exit 2; }
SRC=$(cd "$1" && pwd)
LIST=${2:-tests/ltp/must-pass.txt}
[ "$LIST" = all ] || LIST=$(cd "$(dirname "$LIST")" && pwd)/$(basename "$LIST")
OUT=$(mkdir -p build/ltp/logs && cd build/ltp && pwd)
JOBS=${JOBS:-2}
[ -f "$SRC/runtest/syscalls" ] || { echo "$0: $SRC has no runtest/syscalls" >&2; exit 2; }

# One copy of the tree, configured once: configure's flags go in a stamp,
# and other flags start again from a fresh copy.
CFLAGS="-O2 -g0 -ffunction-sections -fdata-sections -idirafter $OUT/uapi"
LDFLAGS="-static -s -Wl,--gc-sections"
STAMP="$SRC $CFLAGS $LDFLAGS"
if [ "$(cat "$OUT/src/.aramid-stamp" 2>/dev/null)" != "$STAMP" ]; then
	rm -rf "$OUT/src" "$OUT/root"
	mkdir -p "$OUT/src"
	(cd "$SRC" && tar -c --exclude=.git .) | tar -x -C "$OUT/src"
	# musl's headers first, then the kernel's UAPI (linux/, asm/) after
	mkdir -p "$OUT/uapi"
	for d in linux asm-generic mtd misc rdma scsi sound video xen drm; do
		[ ! -d /usr/include/$d ] || ln -sfn /usr/include/$d "$OUT/uapi/$d"
	done
	ln -sfn /usr/include/x86_64-linux-gnu/asm "$OUT/uapi/asm"
	echo "ltp: configure (musl-gcc, static)"
	(cd "$OUT/src" && make autotools >"$OUT/logs/autotools.log" 2>&1 &&
	 PKG_CONFIG_LIBDIR=/nonexistent ./configure --host=x86_64-linux-musl \
		--build=x86_64-linux-gnu --prefix=/opt/ltp CC=musl-gcc AR=ar \
		RANLIB=ranlib STRIP=strip CFLAGS="$CFLAGS" LDFLAGS="$LDFLAGS" \
		--without-numa --without-tirpc --without-bash --without-expect \
		--without-perl --without-python >"$OUT/logs/configure.log" 2>&1) ||
		{ echo "$0: configure failed: $OUT/logs/" >&2; exit 1; }
	echo "$STAMP" >"$OUT/src/.aramid-stamp"
fi
cd "$OUT/src"
export DEBUG_CFLAGS=	# LTP adds -g otherwise
echo "ltp: lib"
make -C lib -j"$JOBS" >"$OUT/logs/lib.log" 2>&1 ||
	{ tail -20 "$OUT/logs/lib.log" >&2; exit 1; }
make -C testcases/lib -k -j"$JOBS" >"$OUT/logs/testcases-lib.log" 2>&1 || :

# The list's runtest entries ("name binary"), then the directory of each
# binary's source: <binary>.c, or without a _16/_64 suffix, or the
# directory named like the binary less its digits.
if [ "$LIST" = all ]; then
	awk '!/^#/ && NF { print $1, $2 }' runtest/syscalls
else
	sed 's/#.*//' "$LIST"
fi >"$OUT/wanted.raw"
awk 'NR == FNR { if (NF) want[$1] = 1; next }
     !/^#/ && NF && ($1 in want) && !seen[$1]++ { print $1, $2 }' \
	"$OUT/wanted.raw" runtest/syscalls >"$OUT/entries.txt"
find testcases/kernel -name '*.c' >"$OUT/sources.txt"
awk 'NR == FNR { f = $0; sub(/.*\//, "", f); sub(/\.c$/, "", f)
		 d = $0; sub(/\/[^\/]*$/, "", d); if (!(f in dir)) dir[f] = d; next }
     { b = $2; s = b; sub(/_(16|64)$/, "", s)
       if (b in dir) print dir[b]; else if (s in dir) print dir[s]
       else { sub(/[0-9]+$/, "", s); print "testcases/kernel/syscalls/" s } }' \
	"$OUT/sources.txt" "$OUT/entries.txt" | sort -u >"$OUT/dirs.txt"
n=0
while read -r d; do
	[ -f "$d/Makefile" ] || continue
	n=$((n + 1))
	log="$OUT/logs/$(echo "$d" | tr / _).log"
	{ make -C "$d" -k -j"$JOBS" && make -C "$d" -k install DESTDIR="$OUT/root" SKIP_IDCHECK=1; } \
		>"$log" 2>&1 || echo "ltp: $d: errors (see $log)"
done <"$OUT/dirs.txt"
make -C testcases/lib -k install DESTDIR="$OUT/root" >>"$OUT/logs/testcases-lib.log" 2>&1 || :
mkdir -p "$OUT/root/opt/ltp/runtest"
cp runtest/syscalls "$OUT/root/opt/ltp/runtest/syscalls"
BIN="$OUT/root/opt/ltp/testcases/bin"
while read -r name bin; do
	[ -x "$BIN/$bin" ] || echo "$name $bin"
done <"$OUT/entries.txt" >"$OUT/unbuilt.txt"
echo "ltp: $(wc -l <"$OUT/entries.txt") entries from $n directories," \
	"$(wc -l <"$OUT/unbuilt.txt") without a binary ($OUT/unbuilt.txt)"
