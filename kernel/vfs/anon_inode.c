/*
 * Anonymous-inode files, Linux's anon_inodefs: epoll, eventfd, timerfd
 * and signalfd objects have no name in any filesystem. Each kind gets one
 * inode on an internal superblock (made by its first file, kept for good),
 * mode 0600 without a file type as on Linux; the inode's priv is the
 * kind, whose name /proc shows as "anon_inode:[eventfd]".
 */
#include "vfs_internal.h"

#define ANON_INODE_FS_MAGIC	0x09041934

static struct super_block anon_sb = {
	.magic = ANON_INODE_FS_MAGIC,
};

/* See kernel/vfs.h. */
struct file *anon_inode_file(struct anon_inode_kind *kind, void *priv,
			     unsigned flags)
{
	struct file *f;

	if (!kind->inode) {
		struct inode *inode;

		if (!anon_sb.dev)
			anon_sb.dev = anon_dev_alloc();
		inode = inode_new(&anon_sb);
		if (!inode)
			return NULL;
		inode->mode = 0600;
		inode->fops = kind->fops;
		inode->priv = kind;
		kind->inode = inode;
	}
	f = file_alloc(kind->inode, NULL, flags);
	if (f)
		f->priv = priv;
	return f;
}

/* See kernel/vfs.h. */
const char *anon_inode_name(const struct inode *inode)
{
	const struct anon_inode_kind *kind = inode->priv;

	return inode->sb == &anon_sb ? kind->name : NULL;
}
