#!/bin/sh
# disk-image.sh ROOT OUT.ext2
# Make a bootable ext2 disk image of the staged tree ROOT (scripts/
# userland.sh's build/userland/root, the Debian userland's cpio unpacked)
# with Debian's `mke2fs -t ext2 -d`: the tree's size and half again, at
# least 64 MiB more, in 4 KiB blocks; then /sbin/init (unless there is
# one) made a link to the tree's /init, where the kernel looks for init
# on a root disk. Boot it
# with `make run DISK=OUT.ext2` (root=/dev/vda rw). Runs as root (the
# tree's owners and device nodes).
set -eu

[ $# -eq 2 ] || { echo "usage: $0 ROOT OUT.ext2" >&2; exit 2; }
root=$1
out=$2
[ -x "$root/init" ] || { echo "$0: no $root/init (make userland)" >&2; exit 1; }
for t in mke2fs debugfs; do
	command -v "$t" >/dev/null || { echo "$0: $t missing (apt-get install e2fsprogs)" >&2; exit 1; }
done

used=$(du -s -k "$root" | cut -f1)
size=$((used + used / 2 + 65536))
rm -f "$out.tmp"
mke2fs -q -F -t ext2 -b 4096 -L debian -d "$root" "$out.tmp" "${size}k" >/dev/null
if [ ! -e "$root/sbin/init" ] && [ ! -L "$root/sbin/init" ]; then
	# /sbin is a link to usr/sbin in a merged-/usr tree: debugfs makes
	# the link in the directory itself.
	sbin=/sbin
	if [ -L "$root/sbin" ]; then
		sbin=$(readlink "$root/sbin")
		case $sbin in /*) ;; *) sbin=/$sbin ;; esac
	fi
	debugfs -w -R "symlink $sbin/init /init" "$out.tmp" >/dev/null 2>&1
	debugfs -R "stat $sbin/init" "$out.tmp" 2>/dev/null | grep -q 'Type: symlink' ||
		{ echo "$0: could not link $sbin/init to /init" >&2; exit 1; }
fi
mv "$out.tmp" "$out"
echo "disk-image: $out ($((size / 1024)) MiB, $((used / 1024)) MiB used)"
