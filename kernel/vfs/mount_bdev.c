/*
 * The source of a mount of a filesystem on a block device (an
 * FS_REQUIRES_DEV type): the device the path names, as Linux's
 * lookup_bdev finds it.
 */
#include "vfs_internal.h"
#include "vfs_mount.h"
#include <uapi/errno.h>

int lookup_bdev(const char *source, dev_t *dev)
{
	struct path p;
	int err = path_lookup(AT_FDCWD, source, LOOKUP_FOLLOW, &p);

	if (err)
		return err;
	if (!S_ISBLK(p.inode->mode))
		err = -ENOTBLK;
	else if (p.mnt && (p.mnt->flags & MNT_NODEV))
		err = -EACCES;	/* Linux's may_open_dev */
	else
		*dev = p.inode->rdev;
	path_put(&p);
	return err;
}
