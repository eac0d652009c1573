/*
 * Descriptor operations: dup, dup2, dup3, fcntl, ioctl, and the sync
 * family (fsync, fdatasync, sync, syncfs, sync_file_range).
 */
#include "dnotify.h"
#include "file_lock.h"
#include <kernel/fasync.h>
#include <kernel/syscall.h>
#include <kernel/pipe.h>
#include <platform/frame.h>
#include <platform/usercopy.h>
#include <kernel/page_cache.h>

#define FIGETBSZ	2
#define FIONREAD	0x541b
#define FIONBIO		0x5421
#define FIONCLEX	0x5450
#define FIOCLEX		0x5451
#define FIOASYNC	0x5452

/* Status flags fcntl(F_SETFL) may change. */
#define SETFL_MASK	(O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME)

/* Duplicate @oldfd to the lowest free descriptor >= @start. */
static long dup_from(int oldfd, int start, bool cloexec)
{
	struct file *f = fd_get(oldfd);
	int fd;

	if (!f)
		return -EBADF;
	fd = fd_reserve(start, cloexec);
	if (fd < 0) {
		fput(f);
		return fd;
	}
	fd_install_reserved(fd, f);
	return fd;
}

SYSCALL(__NR_dup, dup)(SYSCALL_ARGS)
{
	return dup_from((int)a0, 0, false);
}

static long do_dup3(int oldfd, int newfd, unsigned flags)
{
	struct file *f;

	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	if (newfd < 0 || newfd >= fd_limit())
		return -EBADF;
	f = fd_get(oldfd);
	if (!f)
		return -EBADF;
	return fd_install_at(newfd, f, flags & O_CLOEXEC);
}

/* Linux's descriptors are unsigned int: the upper 32 bits are ignored. */
SYSCALL(__NR_dup2, dup2)(SYSCALL_ARGS)
{
	unsigned oldfd = (unsigned)a0, newfd = (unsigned)a1;
	struct file *f;

	if (oldfd == newfd) {
		f = fd_get((int)oldfd);
		if (!f)
			return -EBADF;
		fput(f);
		return newfd;
	}
	return do_dup3((int)oldfd, (int)newfd, 0);
}

SYSCALL(__NR_dup3, dup3)(SYSCALL_ARGS)
{
	return do_dup3((int)a0, (int)a1, (unsigned)a2);
}

SYSCALL(__NR_fcntl, fcntl)(SYSCALL_ARGS)
{
	int fd = (int)a0;
	unsigned cmd = (unsigned)a1;
	struct file *f = fd_get(fd);
	long ret;

	if (!f)
		return -EBADF;
	if ((f->flags & O_PATH) && cmd != F_DUPFD && cmd != F_DUPFD_CLOEXEC &&
	    cmd != F_GETFD && cmd != F_SETFD && cmd != F_GETFL) {
		fput(f);
		return -EBADF;
	}
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if ((unsigned long)a2 >= (unsigned long)fd_limit()) {
			ret = -EINVAL;
			break;
		}
		ret = dup_from(fd, (int)a2, cmd == F_DUPFD_CLOEXEC);
		break;
	case F_GETFD:
		ret = fd_get_cloexec(fd) ? FD_CLOEXEC : 0;
		break;
	case F_SETFD:
		ret = fd_set_cloexec(fd, a2 & FD_CLOEXEC);
		break;
	case F_GETFL:
		ret = f->flags;
		break;
	case F_SETFL:
		/* O_NOATIME: only the owner or CAP_FOWNER may set it. */
		ret = -EPERM;
		if ((a2 & O_NOATIME) && !(f->flags & O_NOATIME) &&
		    !inode_owner_or_capable(f->inode))
			break;
		/* A pipe's O_DIRECT is its packet mode (Linux's setfl). */
		ret = -EINVAL;
		if ((a2 & O_DIRECT) && !S_ISFIFO(f->inode->mode) &&
		    !file_can_direct_io(f))
			break;
		ret = 0;
		if ((a2 ^ f->flags) & O_ASYNC)
			ret = fasync_set(f, fd, a2 & O_ASYNC);
		if (!ret)
			f->flags = (f->flags & ~SETFL_MASK) | (a2 & SETFL_MASK);
		break;
	case F_SETOWN:
	case F_GETOWN:
	case F_SETOWN_EX:
	case F_GETOWN_EX:
	case F_SETSIG:
	case F_GETSIG:
		ret = fcntl_fown(f, cmd, (unsigned long)a2);
		break;
	case F_SETLEASE:
	case F_GETLEASE:
		ret = fcntl_lease(f, fd, cmd, (unsigned long)a2);
		break;
	case F_NOTIFY:
		ret = fcntl_dnotify(f, fd, (unsigned long)a2);
		break;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		ret = fcntl_lock(f, cmd, UPTR(a2));
		break;
	case F_GETPIPE_SZ:
	case F_SETPIPE_SZ:
		ret = pipe_fcntl(f, cmd, a2);
		break;
	case F_ADD_SEALS:
	case F_GET_SEALS:
		ret = file_seal_fcntl(f, cmd, (unsigned long)a2);
		break;
	default:
		ret = -EINVAL;
		break;
	}
	fput(f);
	return ret;
}

/* The generic ioctls every descriptor understands; -ENOIOCTLCMD if not. */
#define ENOIOCTLCMD	515
static long ioctl_generic(int fd, struct file *f, unsigned cmd, uptr_t uarg)
{
	int on;

	switch (cmd) {
	case FIOCLEX:
		return fd_set_cloexec(fd, true);
	case FIONCLEX:
		return fd_set_cloexec(fd, false);
	case FIONBIO:
		if (get_user(on, uarg))
			return -EFAULT;
		if (on)
			f->flags |= O_NONBLOCK;
		else
			f->flags &= ~O_NONBLOCK;
		/* Drivers that track O_NONBLOCK read file->flags. */
		return 0;
	case FIOASYNC:
		if (get_user(on, uarg))
			return -EFAULT;
		if (!on != !(f->flags & O_ASYNC)) {
			int err = fasync_set(f, fd, on);

			if (err)
				return err;
		}
		if (on)
			f->flags |= O_ASYNC;
		else
			f->flags &= ~O_ASYNC;
		return 0;
	case FIGETBSZ:	/* the block size stat's st_blksize gives */
		on = PAGE_SIZE;
		return put_user(on, uarg);
	case FIONREAD:
		if (!S_ISREG(f->inode->mode))
			return -ENOIOCTLCMD;
		on = f->inode->size > f->pos ?
		     (int)MIN(f->inode->size - f->pos, (off_t)INT32_MAX) : 0;
		return put_user(on, uarg);
	}
	return -ENOIOCTLCMD;
}

SYSCALL(__NR_ioctl, ioctl)(SYSCALL_ARGS)
{
	struct file *f = fd_get_io((int)a0);
	long ret;

	if (!f)
		return -EBADF;
	ret = ioctl_generic((int)a0, f, (unsigned)a1, UPTR(a2));
	if (ret == -ENOIOCTLCMD)
		ret = vop_ioctl(f, (unsigned)a1, UPTR(a2));
	fput(f);
	return ret;
}

static long do_fsync(int fd)
{
	struct file *f = fd_get_io(fd);
	long ret, err;

	if (!f)
		return -EBADF;
	ret = page_cache_writeback(f, 0, UINT64_MAX);
	if (!ret)
		ret = vop_fsync(f);
	/* A writeback error since the last fsync, reclaim's say: once. */
	err = page_cache_take_error(f->inode);
	if (!ret)
		ret = err;
	fput(f);
	return ret;
}

SYSCALL(__NR_fsync, fsync)(SYSCALL_ARGS)
{
	return do_fsync((int)a0);
}

SYSCALL(__NR_fdatasync, fdatasync)(SYSCALL_ARGS)
{
	return do_fsync((int)a0);
}

#define SYNC_FILE_RANGE_WAIT_BEFORE	1
#define SYNC_FILE_RANGE_WRITE		2
#define SYNC_FILE_RANGE_WAIT_AFTER	4

/*
 * sync_file_range(fd, offset, nbytes, flags) with Linux's checks in its
 * order: the descriptor, the flags, a negative offset or end, or an end
 * that wraps (EINVAL), a file that is not a regular file, directory,
 * symlink or block device (ESPIPE). Every filesystem here writes
 * write(2) through, so SYNC_FILE_RANGE_WRITE has only the page-cache
 * pages of the range that shared mappings dirtied to write (nbytes 0:
 * to the end of the file), and nothing is left to wait for: only
 * fsync's flush makes the data durable.
 */
SYSCALL(__NR_sync_file_range, sync_file_range)(SYSCALL_ARGS)
{
	uint64_t off = (uint64_t)a1, end = off + (uint64_t)a2;
	unsigned flags = (unsigned)a3;
	struct file *f = fd_get_io((int)a0);
	unsigned mode;
	long ret = -EINVAL;

	if (!f)
		return -EBADF;
	mode = f->inode->mode;
	if (flags & ~(unsigned)(SYNC_FILE_RANGE_WAIT_BEFORE |
				SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER))
		goto out;
	if ((int64_t)off < 0 || (int64_t)end < 0 || end < off)
		goto out;
	ret = -ESPIPE;
	if (!S_ISREG(mode) && !S_ISDIR(mode) && !S_ISLNK(mode) && !S_ISBLK(mode))
		goto out;
	ret = 0;
	if (flags & SYNC_FILE_RANGE_WRITE)
		ret = page_cache_writeback(f, off / PAGE_SIZE,
					   a2 ? (end - 1) / PAGE_SIZE :
					   UINT64_MAX);
out:
	fput(f);
	return ret;
}

/* Every mounted filesystem's sync_fs (super block, cache flush). */
SYSCALL(__NR_sync, sync)(SYSCALL_ARGS)
{
	sync_filesystems();
	return 0;
}

/*
 * The filesystem of the file's inode (Linux's sync_filesystem): the
 * pages shared mappings dirtied, then its super block.
 */
SYSCALL(__NR_syncfs, syncfs)(SYSCALL_ARGS)
{
	struct file *f = fd_get_io((int)a0);
	long ret = 0, err;

	if (!f)
		return -EBADF;
	if (f->inode && f->inode->sb) {
		ret = page_cache_sync(f->inode->sb);
		err = vop_sync_fs(f->inode->sb);
		if (!ret)
			ret = err;
	}
	fput(f);
	return ret;
}
