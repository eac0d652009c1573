/*
 * Block devices under mounted filesystems: the hold a mount keeps on its
 * device, and the reads a filesystem service makes of it
 * (include/svc/blkdev.h, sb_bdev_*). Reads go straight to the driver
 * through bop_transfer, in pieces of at most the disk's max_sectors,
 * inside the partition's bounds.
 */
#include "blk.h"
#include <svc/vfs.h>

int blk_mount_get(dev_t dev)
{
	struct blk_part *p = blk_part_by_dev(dev);

	if (!p)
		return -ENXIO;
	p->openers++;
	return 0;
}

/* See kernel/blkdev.h. */
bool blk_dev_ro(dev_t dev)
{
	struct blk_part *p = blk_part_by_dev(dev);

	return p && part_ro(p);
}

void blk_mount_put(dev_t dev)
{
	struct blk_part *p = blk_part_by_dev(dev);

	if (p)
		p->openers--;
}

/* The device under @sb, or NULL when its type takes none. */
static struct blk_part *sb_part(const struct super_block *sb)
{
	if (!sb->type || !(sb->type->flags & FS_REQUIRES_DEV))
		return NULL;
	return blk_part_by_dev(sb->dev);
}

int sb_bdev_info(const struct super_block *sb, struct blk_part_info *out)
{
	if (!sb_part(sb))
		return -ENODEV;
	for (unsigned i = 0; blk_part_info(i, out) == 0; i++)
		if (MKDEV(out->major, out->minor) == sb->dev)
			return 0;
	return -ENODEV;
}

int sb_bdev_read(const struct super_block *sb, uint64_t sector,
		 uint32_t count, void *buf)
{
	struct blk_part *p = sb_part(sb);
	uint8_t *dst = buf;

	if (!p)
		return -ENODEV;
	if (sector > p->nr_sects || count > p->nr_sects - sector)
		return -EIO;
	while (count) {
		uint32_t n = MIN(count, p->disk->max_sectors);
		int err = bop_transfer(p->disk, p->start + sector, n, dst,
				       false);

		if (err)
			return err;
		sector += n;
		count -= n;
		dst += (size_t)n << SECTOR_SHIFT;
	}
	return 0;
}
