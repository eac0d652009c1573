#!/bin/sh
# make test: build the ABI test programs, the test initramfs and the
# Debian userland image once, then for each profile given build the kernel
# and run every suite in QEMU (tests/run.py, tests/userland.py,
# tests/pytests.py); also the host unit tests and the compilation tests.
# Ends with "N passed, N failed" over everything and exits non-zero on
# any failure.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
build=build/test
mkdir -p "$build"
pass=0
fail=0

count() {	# add the "N passed, N failed" line of file $1 to the totals
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
	if [ -z "$line" ]; then
		fail=$((fail + 1))
		return
	fi
	set -- $line
	pass=$((pass + $1))
	fail=$((fail + $3))
}

if ! make -s -C tests/abi OUT="$top/$build/abi" ||
   ! sh scripts/mkinitramfs.sh "$build/initramfs-test.cpio" "$build"/abi/abi_* "$build"/abi/lib*.so \
	"$build"/abi/fault_net "$build"/abi/fault_mmap "$build"/abi/disk_* >/dev/null; then
	echo "FAIL build: ABI tests or initramfs"
	echo "0 passed, 1 failed"
	exit 1
fi

# The Debian userland image (built once, cached under build/userland).
userland=build/userland/debian.cpio
if ! make -s userland > "$build/make-userland.log" 2>&1; then
	tail -n 20 "$build/make-userland.log"
	echo "FAIL build: the Debian userland image"
	fail=$((fail + 1))
	userland=
fi

echo "== static checks: the source lint"
sh scripts/lint-selftest.sh > "$build/result-lint.txt" 2>&1
cat "$build/result-lint.txt"
count "$build/result-lint.txt"

# The programs that run again on four CPUs.
SMP4_TESTS=abi_smp,abi_thread,abi_futex,abi_pipe,abi_mm,abi_signal,abi_proc

for p in "$@"; do
	echo "== profile $p"
	if ! make -s PROFILE="$p" >"$build/make-$p.log" 2>&1; then
		cat "$build/make-$p.log"
		echo "FAIL build: $p"
		fail=$((fail + 1))
		continue
	fi
	make -s PROFILE="$p" hardening-check > "$build/result-$p-hardening.txt" 2>&1
	cat "$build/result-$p-hardening.txt"
	count "$build/result-$p-hardening.txt"
	sh scripts/check-direct.sh "$p" "build/$p/aramid.elf" > "$build/result-$p-dispatch.txt" 2>&1
	cat "$build/result-$p-dispatch.txt"
	count "$build/result-$p-dispatch.txt"
	# The ABI and console suites on two CPUs (multi-threaded TCG); the
	# CPU-heavy and threaded programs again on four; the suites below on
	# one.
	/usr/bin/python3 tests/run.py --kernel "build/$p/aramid.elf" \
		--initrd "$build/initramfs-test.cpio" --name "$p" --suite all \
		--smp 2 --timeout 900 --append aramid.test.timeout=120 \
		--log "$build/$p" | tee "$build/result-$p.txt"
	count "$build/result-$p.txt"
	/usr/bin/python3 tests/run.py --kernel "build/$p/aramid.elf" \
		--initrd "$build/initramfs-test.cpio" --name "$p-smp4" --suite abi \
		--smp 4 --append "aramid.test.only=$SMP4_TESTS aramid.test.timeout=120" --timeout 900 \
		--log "$build/$p-smp4" | tee "$build/result-$p-smp4.txt"
	count "$build/result-$p-smp4.txt"
	/usr/bin/python3 tests/run.py --kernel "build/$p/aramid.elf" \
		--initrd "$build/initramfs-test.cpio" --name "$p" --suite panic \
		--timeout 60 --log "$build/$p" | tee "$build/result-$p-panic.txt"
	count "$build/result-$p-panic.txt"
	# The network: virtio-net on QEMU's user network, traffic both ways.
	/usr/bin/python3 tests/run.py --kernel "build/$p/aramid.elf" \
		--initrd "$build/initramfs-test.cpio" --name "$p" --suite net \
		--net --timeout 600 --log "$build/$p" | tee "$build/result-$p-net.txt"
	count "$build/result-$p-net.txt"
	# Disks: virtio-blk with a fresh pair of images (tests/mkdisk.py),
	# two boots, then the host reads the image back.
	/usr/bin/python3 tests/mkdisk.py "$build/disk-$p"
	/usr/bin/python3 tests/mkext2.py "$build/disk-$p"
	/usr/bin/python3 tests/run.py --kernel "build/$p/aramid.elf" \
		--initrd "$build/initramfs-test.cpio" --name "$p" --suite disk \
		--disk "$build/disk-$p/disk.img" --disk "$build/disk-$p/disk-ro.img,ro" \
		--disk "$build/disk-$p/ext2.img,ro" \
		--disk "$build/disk-$p/ext2-badmagic.img,ro" \
		--disk "$build/disk-$p/ext2-baddir.img,ro" \
		--disk "$build/disk-$p/ext4.img,ro" \
		--disk "$build/disk-$p/ext2w.img" \
		--disk "$build/disk-$p/ext2-rocompat.img" \
		--disk "$build/disk-$p/gpt.img" \
		--disk "$build/disk-$p/gpt-badprimary.img,ro" \
		--disk "$build/disk-$p/ext2-icache.img" \
		--bigdisk "$build/disk-$p/ext2-big.img" \
		--wbdisk "$build/disk-$p/ext2-wb.img" \
		--log "$build/$p" | tee "$build/result-$p-disk.txt"
	count "$build/result-$p-disk.txt"
	# Booting from a disk: root= (ro, rw, a partition, no initramfs or
	# one without /init, switch_root from one with it, a missing root).
	/usr/bin/python3 tests/rootdisk.py --kernel "build/$p/aramid.elf" \
		--name "$p" --prog "$build/abi/root_disk" \
		--initrd "$build/initramfs-test.cpio" --dir "$build/rootdisk-$p" \
		--log "$build/$p" | tee "$build/result-$p-rootdisk.txt"
	count "$build/result-$p-rootdisk.txt"
	# Debian's own dynamically linked programs, in a bash login shell.
	if [ -n "$userland" ]; then
		/usr/bin/python3 tests/userland.py --kernel "build/$p/aramid.elf" \
			--initrd "$userland" --net --mem 2G --name "$p" \
			--log "$build/$p" | tee "$build/result-$p-userland.txt"
		count "$build/result-$p-userland.txt"
		# CPython's own regression tests, the quick set (tests/pytests.py).
		/usr/bin/python3 tests/pytests.py --kernel "build/$p/aramid.elf" \
			--initrd "$userland" --mem 2G --name "$p" --set quick \
			--scale 2 --log "$build/$p" | tee "$build/result-$p-pytests.txt"
		count "$build/result-$p-pytests.txt"
	fi
	# The fault-injection build: faults in the faultfs service.
	if ! make -s PROFILE="$p" FAULT_INJECT=1 >"$build/make-$p-fi.log" 2>&1; then
		cat "$build/make-$p-fi.log"
		echo "FAIL build: $p with FAULT_INJECT=1"
		fail=$((fail + 1))
		continue
	fi
	/usr/bin/python3 tests/run.py --kernel "build/$p-fi/aramid.elf" \
		--initrd "$build/initramfs-test.cpio" --name "$p" --suite faults \
		--smp 2 --timeout 60 --log "$build/$p" | tee "$build/result-$p-faults.txt"
	count "$build/result-$p-faults.txt"
	# The spinlock checker's panics: one boot per broken rule.
	/usr/bin/python3 tests/run.py --kernel "build/$p-fi/aramid.elf" \
		--initrd "$build/initramfs-test.cpio" --name "$p" --suite lockpanic \
		--smp 2 --timeout 60 --log "$build/$p" | tee "$build/result-$p-lockpanic.txt"
	count "$build/result-$p-lockpanic.txt"
done

for t in tests/host/run*.sh tests/compile/run*.sh; do
	kind=$(basename "$(dirname "$t")")
	name=$kind-$(basename "$t" .sh)
	echo "== $kind tests: $name"
	sh "$t" > "$build/result-$name.txt" 2>&1
	tail -n 20 "$build/result-$name.txt"
	count "$build/result-$name.txt"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
