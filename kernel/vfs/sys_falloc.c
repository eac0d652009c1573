/*
 * fallocate(2) with Linux's checks (vfs_fallocate): the range and mode
 * first, then the access mode and the file's type; the work is the
 * filesystem's (file_ops.fallocate).
 */
#include "vfs_internal.h"
#include <kernel/syscall.h>
#include <uapi/falloc.h>
#include <kernel/page_cache.h>

/* vfs_fallocate's rules for @mode, before the file is looked at. */
static int falloc_mode_check(int mode)
{
	if (mode & ~FALLOC_FL_SUPPORTED_MASK)
		return -EOPNOTSUPP;
	if ((mode & FALLOC_FL_PUNCH_HOLE) && (mode & FALLOC_FL_ZERO_RANGE))
		return -EOPNOTSUPP;
	if ((mode & FALLOC_FL_PUNCH_HOLE) && !(mode & FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;
	if ((mode & FALLOC_FL_COLLAPSE_RANGE) &&
	    (mode & ~FALLOC_FL_COLLAPSE_RANGE))
		return -EINVAL;
	if ((mode & FALLOC_FL_INSERT_RANGE) &&
	    (mode & ~FALLOC_FL_INSERT_RANGE))
		return -EINVAL;
	if ((mode & FALLOC_FL_UNSHARE_RANGE) &&
	    (mode & ~(FALLOC_FL_UNSHARE_RANGE | FALLOC_FL_KEEP_SIZE)))
		return -EINVAL;
	return 0;
}

static long do_fallocate(struct file *f, int mode, off_t offset, off_t len)
{
	mode_t type = f->inode->mode & S_IFMT;
	long err;

	if (offset < 0 || len <= 0)
		return -EINVAL;
	err = falloc_mode_check(mode);
	if (err)
		return err;
	if (!(f->mode & FMODE_WRITE))
		return -EBADF;
	if (type == S_IFIFO)
		return -ESPIPE;
	if (type == S_IFDIR)
		return -EISDIR;
	if (type != S_IFREG)
		return -ENODEV;
	if (offset > INT64_MAX - len)
		return -EFBIG;
	/* As shmem_fallocate: the limit even with KEEP_SIZE, not for holes. */
	err = mode & FALLOC_FL_PUNCH_HOLE ? 0 :
	      inode_newsize_ok(f->inode, offset + len);
	if (err)
		return err;
	err = file_seal_fallocate(f->inode, mode & FALLOC_FL_PUNCH_HOLE,
				  offset + len);
	if (err)
		return err;
	err = vop_fallocate(f, mode, offset, len);
	if (!err)
		page_cache_changed(f, offset, (size_t)len);
	return err;
}

SYSCALL(__NR_fallocate, fallocate)(SYSCALL_ARGS)
{
	struct file *f = fd_get_io((int)a0);
	long err;

	if (!f)
		return -EBADF;
	err = do_fallocate(f, (int)a1, a2, a3);
	fput(f);
	return err;
}
