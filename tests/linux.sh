#!/bin/sh
# tests/linux.sh [BUILD_DIR] [run.py args...]   (BUILD_DIR defaults to build/test-linux)
# Build the ABI test programs and the test initramfs, then run both suites
# against Debian's own Linux kernel (newest /boot/vmlinuz-*), proving that
# every check encodes real Linux behaviour; then the network, disk and
# root disk suites, the
# Debian userland smoke test and the quick set of CPython's regression tests.
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
"$top/scripts/mkinitramfs.sh" "$build/initramfs-test.cpio" "$build"/abi/abi_* "$build"/abi/lib*.so
kernel=${KERNEL:-$(ls /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1)}
name=${NAME:-linux}
[ -n "$kernel" ] || { echo "linux.sh: no /boot/vmlinuz-* (apt-get install linux-image-amd64)" >&2; exit 1; }
/usr/bin/python3 "$here/run.py" --kernel "$kernel" \
	--initrd "$build/initramfs-test.cpio" --name "$name" --suite all \
	--mem 256M --log "$build/$name" "$@" && status=0 || status=1

# The network and disk suites. Debian's kernel has virtio-net and
# virtio-blk as modules: they ride in the initramfs (/tests/*.ko) and the
# suites load them first.
version=${kernel##*/vmlinuz-}
kdir=/lib/modules/$version/kernel
modules() {	# the .ko files there are of the modules named
	for m in "$@"; do
		[ -f "$kdir/$m.ko" ] && printf '%s ' "$kdir/$m.ko"
	done
	return 0
}
virtio="drivers/virtio/virtio_ring drivers/virtio/virtio
	drivers/virtio/virtio_pci_modern_dev drivers/virtio/virtio_pci_legacy_dev
	drivers/virtio/virtio_pci"
# shellcheck disable=SC2086
"$top/scripts/mkinitramfs.sh" "$build/initramfs-net.cpio" \
	$(modules $virtio net/core/failover drivers/net/net_failover \
	drivers/net/virtio_net)
/usr/bin/python3 "$here/run.py" --kernel "$kernel" \
	--initrd "$build/initramfs-net.cpio" --name "$name" --suite net --net \
	--mem 256M --timeout 600 --log "$build/$name" "$@" || status=1
# shellcheck disable=SC2086
"$top/scripts/mkinitramfs.sh" "$build/initramfs-disk.cpio" "$build"/abi/disk_* \
	"$build"/abi/abi_dynamic \
	$(modules $virtio drivers/block/virtio_blk lib/crc16 crypto/crc32c_generic \
	fs/mbcache fs/jbd2/jbd2 fs/ext4/ext4)
/usr/bin/python3 "$here/mkdisk.py" "$build/disk"
/usr/bin/python3 "$here/mkext2.py" "$build/disk"
/usr/bin/python3 "$here/run.py" --kernel "$kernel" \
	--initrd "$build/initramfs-disk.cpio" --name "$name" --suite disk \
	--disk "$build/disk/disk.img" --disk "$build/disk/disk-ro.img,ro" \
	--disk "$build/disk/ext2.img,ro" --disk "$build/disk/ext2-badmagic.img,ro" \
	--disk "$build/disk/ext2-baddir.img,ro" \
	--disk "$build/disk/ext4.img,ro" \
	--disk "$build/disk/ext2w.img" \
	--disk "$build/disk/ext2-rocompat.img" \
	--disk "$build/disk/gpt.img" --disk "$build/disk/gpt-badprimary.img,ro" \
	--disk "$build/disk/ext2-icache.img" \
	--bigdisk "$build/disk/ext2-big.img" --wbdisk "$build/disk/ext2-wb.img" \
	--mem 256M --log "$build/$name" "$@" || status=1
# Booting from a disk: with the modules, through the initramfs's
# switch_root (the kernel itself cannot reach a disk it has no built-in
# driver for), and the kernel's messages for a root it cannot open.
/usr/bin/python3 "$here/rootdisk.py" --kernel "$kernel" --name "$name" \
	--modular --mem 256M --timeout 120 --prog "$build/abi/root_disk" \
	--initrd "$build/initramfs-disk.cpio" --dir "$build/rootdisk" \
	--log "$build/$name" || status=1
# The Debian userland smoke test on the same kernel.
make -s -C "$top" userland >/dev/null &&
/usr/bin/python3 "$here/userland.py" --kernel "$kernel" \
	--initrd "$top/build/userland/debian.cpio" --net --mem 2G \
	--name "$name" --log "$build/$name" || status=1
# CPython's own regression tests, the quick set.
/usr/bin/python3 "$here/pytests.py" --kernel "$kernel" \
	--initrd "$top/build/userland/debian.cpio" --mem 2G --set quick \
	--name "$name" --log "$build/$name" || status=1
exit $status
