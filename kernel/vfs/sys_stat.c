/*
 * File status: stat, fstat, lstat, newfstatat, statx, statfs, fstatfs.
 */
#include "vfs_internal.h"
#include "vfs_mount.h"
#include <kernel/syscall.h>
#include <kernel/user_ns.h>
#include <aramid/string.h>
#include <platform/frame.h>
#include <platform/usercopy.h>

static void fill_stat(const struct inode *inode, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = dev_to_user(inode->sb ? inode->sb->dev : 0);
	st->st_ino = inode->ino;
	st->st_nlink = inode->nlink;
	st->st_mode = inode->mode;
	st->st_uid = from_kuid_munged(inode->uid);
	st->st_gid = from_kgid_munged(inode->gid);
	st->st_rdev = dev_to_user(inode->rdev);
	st->st_size = inode->size;
	st->st_blksize = PAGE_SIZE;
	st->st_blocks = inode->blocks;
	st->st_atime = inode->atime.sec;
	st->st_atime_nsec = inode->atime.nsec;
	st->st_mtime = inode->mtime.sec;
	st->st_mtime_nsec = inode->mtime.nsec;
	st->st_ctime = inode->ctime.sec;
	st->st_ctime_nsec = inode->ctime.nsec;
}

static long put_stat(const struct inode *inode, uptr_t ust)
{
	struct stat st;

	fill_stat(inode, &st);
	return copy_to_user(ust, &st, sizeof(st));
}

/* Resolve (@dfd, @name, AT_* @flags) for the stat family. */
static int stat_lookup(int dfd, uptr_t name, unsigned flags, struct path *p)
{
	unsigned lookup = LOOKUP_FOLLOW;

	if (flags & AT_SYMLINK_NOFOLLOW)
		lookup &= ~LOOKUP_FOLLOW;
	if (flags & AT_EMPTY_PATH)
		lookup |= LOOKUP_EMPTY;
	return user_path_at(dfd, name, lookup, p);
}

static long do_stat(int dfd, uptr_t name, unsigned flags, uptr_t ust)
{
	struct path p;
	long err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return -EINVAL;
	err = stat_lookup(dfd, name, flags, &p);
	if (err)
		return err;
	err = put_stat(p.inode, ust);
	path_put(&p);
	return err;
}

SYSCALL(__NR_stat, stat)(SYSCALL_ARGS)
{
	return do_stat(AT_FDCWD, UPTR(a0), 0, UPTR(a1));
}

SYSCALL(__NR_lstat, lstat)(SYSCALL_ARGS)
{
	return do_stat(AT_FDCWD, UPTR(a0), AT_SYMLINK_NOFOLLOW, UPTR(a1));
}

SYSCALL(__NR_newfstatat, newfstatat)(SYSCALL_ARGS)
{
	return do_stat((int)a0, UPTR(a1), (unsigned)a3, UPTR(a2));
}

SYSCALL(__NR_fstat, fstat)(SYSCALL_ARGS)
{
	struct file *f = fd_get((int)a0);
	long err;

	if (!f)
		return -EBADF;
	err = put_stat(f->inode, UPTR(a1));
	fput(f);
	return err;
}

static void statx_time(struct statx_timestamp *t, struct timespec64 ts)
{
	t->tv_sec = ts.sec;
	t->tv_nsec = (uint32_t)ts.nsec;
}

SYSCALL(__NR_statx, statx)(SYSCALL_ARGS)
{
	unsigned flags = (unsigned)a2, mask = (unsigned)a3;
	struct inode *inode;
	struct statx stx;
	struct path p;
	long err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT |
		      AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
		return -EINVAL;
	if (mask & STATX__RESERVED)
		return -EINVAL;
	err = stat_lookup((int)a0, UPTR(a1), flags, &p);
	if (err)
		return err;
	inode = p.inode;
	memset(&stx, 0, sizeof(stx));
	stx.stx_mask = STATX_BASIC_STATS;
	stx.stx_blksize = PAGE_SIZE;
	stx.stx_nlink = inode->nlink;
	stx.stx_uid = from_kuid_munged(inode->uid);
	stx.stx_gid = from_kgid_munged(inode->gid);
	stx.stx_mode = (uint16_t)inode->mode;
	stx.stx_ino = inode->ino;
	stx.stx_size = inode->size;
	stx.stx_blocks = inode->blocks;
	statx_time(&stx.stx_atime, inode->atime);
	statx_time(&stx.stx_mtime, inode->mtime);
	statx_time(&stx.stx_ctime, inode->ctime);
	stx.stx_rdev_major = MAJOR(inode->rdev);
	stx.stx_rdev_minor = MINOR(inode->rdev);
	if (inode->sb) {
		stx.stx_dev_major = MAJOR(inode->sb->dev);
		stx.stx_dev_minor = MINOR(inode->sb->dev);
	}
	path_put(&p);
	return copy_to_user(UPTR(a4), &stx, sizeof(stx));
}

static long put_statfs(const struct path *p, uptr_t ubuf)
{
	struct statfs64 st;
	long err = vfs_statfs(p, &st);

	if (err)
		return err;
	return copy_to_user(ubuf, &st, sizeof(st));
}

SYSCALL(__NR_statfs, statfs)(SYSCALL_ARGS)
{
	struct path p;
	long err;

	err = user_path_at(AT_FDCWD, UPTR(a0), LOOKUP_FOLLOW, &p);
	if (err)
		return err;
	err = put_statfs(&p, UPTR(a1));
	path_put(&p);
	return err;
}

SYSCALL(__NR_fstatfs, fstatfs)(SYSCALL_ARGS)
{
	struct file *f = fd_get((int)a0);
	struct path p;
	long err;

	if (!f)
		return -EBADF;
	p = f->path.inode ? f->path : (struct path){ NULL, f->inode };
	err = put_statfs(&p, UPTR(a1));
	fput(f);
	return err;
}
