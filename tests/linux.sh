#!/bin/sh
# tests/linux.sh [BUILD_DIR] [run.py args...]   (BUILD_DIR defaults to build/test-linux)
# Build the ABI test programs and the test initramfs, then run both suites
# against Debian's own Linux kernel (newest /boot/vmlinuz-*), proving that
# every check encodes real Linux behaviour.
# KERNEL=path NAME=label override the kernel, e.g. to run the same suites on
# Aramid: KERNEL=build/PROFILE/aramid.elf NAME=aramid tests/linux.sh build/test-aramid
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
	build=$1
	shift
else
	build=$top/build/test-linux
fi
mkdir -p "$build"
build=$(cd "$build" && pwd)

make -s -C "$here/abi" OUT="$build/abi"
"$top/scripts/mkinitramfs.sh" "$build/initramfs-test.cpio" "$build"/abi/abi_*
kernel=${KERNEL:-$(ls /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1)}
name=${NAME:-linux}
[ -n "$kernel" ] || { echo "linux.sh: no /boot/vmlinuz-* (apt-get install linux-image-amd64)" >&2; exit 1; }
exec /usr/bin/python3 "$here/run.py" --kernel "$kernel" \
	--initrd "$build/initramfs-test.cpio" --name "$name" --suite all \
	--mem 256M --log "$build/$name" "$@"
