#!/bin/sh
# Host unit tests of the VFS and tmpfs: compile them with the host's gcc
# (AddressSanitizer and UBSan on) against the stand-ins in stubs.c, run,
# and report "N passed, N failed". Exits non-zero on any failure.
set -eu
cd "$(dirname "$0")/../.."
out=build/host-tests
mkdir -p "$out"
srcs="tests/host/vfs_test.c tests/host/stubs.c kernel/vfs/uio.c
	kernel/vfs/inode.c kernel/vfs/inode_unused.c kernel/vfs/vops.c kernel/vfs/mount.c
	kernel/vfs/namei.c kernel/vfs/file.c kernel/vfs/fdtable.c
	kernel/vfs/fs_context.c kernel/vfs/file_name.c kernel/vfs/anon_inode.c kernel/vfs/sys_open.c kernel/vfs/sys_rw.c
	kernel/vfs/sys_attr.c kernel/vfs/sys_dir.c kernel/vfs/sys_namei.c
	kernel/vfs/sys_mount.c kernel/vfs/mount_bdev.c kernel/vfs/file_page.c
	kernel/vfs/file_lock.c
	kernel/vfs/write_access.c kernel/vfs/inotify.c kernel/vfs/dnotify.c
	kernel/vfs/file_seal.c kernel/vfs/mnt_ns.c kernel/ns/ns.c kernel/ns/nsfs.c
	kernel/ns/user_ns.c
	kernel/vfs/permission.c kernel/vfs/inode_owner.c kernel/vfs/attr.c
	kernel/vfs/posix_acl.c kernel/vfs/acl_inode.c kernel/vfs/file_limit.c
	kernel/mm/page_index.c kernel/mm/page_cache.c kernel/mm/page_reclaim.c
	lib/buf_printf.c
	kernel/block/bdev_file.c kernel/block/bops.c kernel/block/genhd.c
	kernel/block/part_mbr.c kernel/block/bdev_mount.c kernel/block/stats.c
	kernel/block/part_scan.c kernel/block/part_efi.c kernel/block/crc32.c
	kernel/block/blk_transfer.c kernel/block/blkpg.c kernel/vfs/devtmpfs_nodes.c
	services/fs/tmpfs/tmpfs_file.c services/fs/tmpfs/tmpfs_xattr.c
	services/fs/tmpfs/tmpfs_export.c"
# -Dcurrent=host_current: the one task of stubs.c stands for the kernel's
# running task, which is otherwise the owner of the kernel stack in use.
gcc -std=gnu11 -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-Iinclude -DPROFILE_BALANCED -Dcurrent=host_current -o "$out/vfs_test" $srcs
"$out/vfs_test"
