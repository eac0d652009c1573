/*
 * devtmpfs: a tmpfs that comes populated with the device nodes and the
 * links udev makes on a Linux system (/proc/self/fd's, and rtc to the
 * clock that set the system time), as BusyBox and Debian's tools expect,
 * and a node for each block device there is at mount time (mode 0600, as
 * Linux's devtmpfs makes them without udev).
 */
#include "tmpfs.h"
#include <svc/blkdev.h>
#include <uapi/errno.h>

static const struct {
	const char *name;
	mode_t mode;
	unsigned major, minor;
} dev_nodes[] = {
	{ "null",	S_IFCHR | 0666, 1, 3 },
	{ "zero",	S_IFCHR | 0666, 1, 5 },
	{ "full",	S_IFCHR | 0666, 1, 7 },
	{ "random",	S_IFCHR | 0666, 1, 8 },
	{ "urandom",	S_IFCHR | 0666, 1, 9 },
	{ "kmsg",	S_IFCHR | 0644, 1, 11 },
	{ "tty",	S_IFCHR | 0666, 5, 0 },
	{ "console",	S_IFCHR | 0600, 5, 1 },
	{ "ptmx",	S_IFCHR | 0666, 5, 2 },
	{ "ttyS0",	S_IFCHR | 0600, 4, 64 },
	{ "rtc0",	S_IFCHR | 0600, 251, 0 },
};

static const struct {
	const char *name, *target;
} dev_links[] = {
	{ "fd",		"/proc/self/fd" },
	{ "stdin",	"/proc/self/fd/0" },
	{ "stdout",	"/proc/self/fd/1" },
	{ "stderr",	"/proc/self/fd/2" },
	{ "rtc",	"rtc0" },	/* udev's link for the hctosys clock */
};

static int devtmpfs_fill_super(struct super_block *sb, const char *source,
			       const char *options)
{
	struct blk_part_info bp;
	struct tmpfs_sb *ts;
	struct inode *inode;
	size_t i;
	int err;

	err = tmpfs_fill_super(sb, source, options);
	if (err)
		return err;
	ts = sb->priv;
	ts->mode = 0755;	/* as Linux's devtmpfs is mounted */
	sb->root->mode = S_IFDIR | ts->mode;
	for (i = 0; i < ARRAY_SIZE(dev_nodes); i++) {
		err = tmpfs_mknod(sb->root, dev_nodes[i].name, dev_nodes[i].mode,
				  MKDEV(dev_nodes[i].major, dev_nodes[i].minor),
				  &inode);
		if (err)
			goto err_kill;
		iput(inode);
	}
	for (i = 0; blk_part_info((unsigned)i, &bp) == 0; i++) {
		err = tmpfs_mknod(sb->root, bp.name, S_IFBLK | 0600,
				  MKDEV(bp.major, bp.minor), &inode);
		if (err)
			goto err_kill;
		iput(inode);
	}
	for (i = 0; i < ARRAY_SIZE(dev_links); i++) {
		err = tmpfs_symlink(sb->root, dev_links[i].name,
				    dev_links[i].target, &inode);
		if (err)
			goto err_kill;
		iput(inode);
	}
	return 0;

err_kill:
	iput(sb->root);
	sb->root = NULL;
	tmpfs_kill_super(sb);
	return err;
}

static const struct fs_type devtmpfs_type = {
	.svc = &tmpfs_service,
	.name = "devtmpfs",
	.flags = FS_SEALS | FS_FILE_DATA | FS_POSIX_ACL,
	.fill_super = devtmpfs_fill_super,
	.kill_super = tmpfs_kill_super,
};

static int devtmpfs_init(void)
{
	return register_filesystem(&devtmpfs_type);
}
SERVICE_INIT(devtmpfs_init);
