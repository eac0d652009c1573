/*
 * Device nodes that follow the partitions: when a disk's partition table
 * is read again (BLKRRPART), every mounted devtmpfs gains a node for each
 * partition that came and loses the node of each that went, as Linux's
 * devtmpfs does on the events of the partitions it adds and removes. A
 * node the user has replaced (another type or device number) is left, as
 * there. Every call goes through the filesystem's ops like any mknod or
 * unlink, and is seen by inotify.
 */
#include "vfs_internal.h"
#include "vfs_mount.h"
#include <kernel/blkdev.h>
#include <kernel/fsnotify.h>
#include <kernel/vfs.h>
#include <aramid/string.h>
#include <uapi/errno.h>

#define DEVTMPFS_MAX	8	/* devtmpfs super blocks one change reaches */

/* The mounted devtmpfs super blocks, referenced: how many. */
static unsigned devtmpfs_sbs(struct super_block **sbs)
{
	unsigned n = 0;

	for (struct mount *m = mnt_next(NULL); m && n < DEVTMPFS_MAX;
	     m = mnt_next(m)) {
		bool seen = false;

		if (strcmp(m->sb->type->name, "devtmpfs"))
			continue;
		for (unsigned i = 0; i < n; i++)
			seen |= sbs[i] == m->sb;
		if (!seen) {
			sb_get(m->sb);
			sbs[n++] = m->sb;
		}
	}
	return n;
}

/* Make or remove the node of @name, block device @dev, in @dir. */
static void node_change(struct inode *dir, const char *name, dev_t dev,
			bool present)
{
	struct inode *inode;

	if (present) {
		if (vop_mknod(dir, name, S_IFBLK | 0600, dev, &inode))
			return;
		fsnotify_dirent(dir, name, inode, IN_CREATE);
		iput(inode);
		return;
	}
	if (vop_lookup(dir, name, &inode))
		return;
	if (S_ISBLK(inode->mode) && inode->rdev == dev &&
	    !vop_unlink(dir, name)) {
		fsnotify_unlinked(inode, 1);
		fsnotify_dirent(dir, name, inode, IN_DELETE);
	}
	iput(inode);
}

/* See include/kernel/blkdev.h. */
void devtmpfs_blk_node(const char *name, dev_t dev, bool present)
{
	struct super_block *sbs[DEVTMPFS_MAX];
	unsigned n = devtmpfs_sbs(sbs);

	/* References first, calls after, as sync_filesystems. */
	for (unsigned i = 0; i < n; i++) {
		node_change(sbs[i]->root, name, dev, present);
		sb_put(sbs[i]);
	}
}
