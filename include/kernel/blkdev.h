/*
 * Ring 1's block layer (kernel/block/): the disks drivers added
 * (include/svc/blkdev.h), their partitions, and the block device files.
 * The VFS opens a block device node through blkdev_fops and asks
 * blkdev_llseek for lseek's answer.
 */
#pragma once
#include <svc/blkdev.h>
#include <svc/vfs.h>
#include <kernel/svc_dispatch.h>

/* The file ops of every block device node (a ring-1 object). */
extern const struct file_ops blkdev_fops;

/*
 * lseek on block device file @f, as Linux's block_llseek: SEEK_END is
 * the device's size, no position lies beyond it, and SEEK_DATA and
 * SEEK_HOLE are EINVAL. The new position, or -EINVAL.
 */
off_t blkdev_llseek(struct file *f, off_t off, int whence);

/* The driver wrappers (kernel/block/bops.c), bop_<op>. */
#define block_device_ops_wrapper(name)	bop_##name
SVC_WRAPPER_DECLS(BLOCK_DEVICE_OPS, block_device_ops)

/*
 * Append /proc/devices' block list to @buf (@size, @len as buf_printf):
 * "%3u name" for each registered major, in ascending order.
 */
void blk_majors_show(char *buf, size_t size, size_t *len);

/*
 * A mount's hold on block device @dev (kernel/block/bdev_mount.c), from
 * before the filesystem's fill_super until after its kill_super: counted
 * as an opener, so the partition table is not reread under it.
 * blk_mount_get: 0, or -ENXIO (no such device). Process context.
 */
int blk_mount_get(dev_t dev);
void blk_mount_put(dev_t dev);
/* Whether block device @dev is read-only (a read-only drive, BLKROSET). */
bool blk_dev_ro(dev_t dev);
/* What /proc/partitions shows of block device @dev: 0 or -ENODEV. */
int blk_dev_info(dev_t dev, struct blk_part_info *out);

/*
 * Post (@present) or take back the node @name of block device @dev in
 * every mounted devtmpfs (kernel/vfs/devtmpfs_nodes.c), as Linux's
 * devtmpfs follows the devices that come and go; a node the user has
 * replaced is left. Process context; errors leave that devtmpfs as it is.
 */
void devtmpfs_blk_node(const char *name, dev_t dev, bool present);
