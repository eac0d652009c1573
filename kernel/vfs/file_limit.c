/*
 * RLIMIT_FSIZE, as Linux enforces it on the regular files of filesystems
 * that hold data (FS_FILE_DATA; not /proc or /sys): a write starting
 * at or past the limit, or a truncate or fallocate growing a file past
 * it (tmpfs: even with FALLOC_FL_KEEP_SIZE), raises SIGXFSZ on the
 * calling thread and fails with EFBIG; a write
 * crossing it is cut short at the limit (generic_write_check_limits,
 * inode_newsize_ok).
 */
#include "vfs_internal.h"
#include <kernel/signal.h>
#include <kernel/task.h>
#include <uapi/signal.h>


/* The limit for @inode: RLIM_INFINITY for files that are not data. */
static uint64_t fsize_limit(const struct inode *inode)
{
	const struct fs_type *type = inode->sb ? inode->sb->type : NULL;

	if (!S_ISREG(inode->mode) || !type || !(type->flags & FS_FILE_DATA))
		return RLIM_INFINITY;
	return rlimit(RLIMIT_FSIZE);
}

static int too_big(void)
{
	send_signal(current, SIGXFSZ, NULL);
	return -EFBIG;
}

int write_size_limit(const struct file *f, off_t pos, size_t *len)
{
	uint64_t limit = fsize_limit(f->inode);

	if (limit == RLIM_INFINITY)
		return 0;
	if ((uint64_t)pos >= limit)
		return too_big();
	*len = MIN(*len, (size_t)(limit - (uint64_t)pos));
	return 0;
}

int inode_newsize_ok(const struct inode *inode, off_t size)
{
	uint64_t limit = fsize_limit(inode);

	if (size <= inode->size || limit == RLIM_INFINITY)
		return 0;
	return (uint64_t)size > limit ? too_big() : 0;
}
