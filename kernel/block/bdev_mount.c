/*
 * Block devices under mounted filesystems: the hold a mount keeps on its
 * device, and the reads a filesystem service makes of it
 * (include/svc/blkdev.h, sb_bdev_*). Reads and writes go straight to
 * the driver (blk_transfer), inside the partition's bounds; a flush
 * through blk_flush.
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
	return sb_part(sb) ? blk_dev_info(sb->dev, out) : -ENODEV;
}

/* See kernel/blkdev.h. */
int blk_dev_info(dev_t dev, struct blk_part_info *out)
{
	for (unsigned i = 0; blk_part_info(i, out) == 0; i++)
		if (MKDEV(out->major, out->minor) == dev)
			return 0;
	return -ENODEV;
}

/* Move @count sectors at @sector of @sb's device to or from @buf. */
static int sb_bdev_rw(const struct super_block *sb, uint64_t sector,
		      uint32_t count, void *buf, bool write)
{
	struct blk_part *p = sb_part(sb);

	if (!p)
		return -ENODEV;
	if (write && part_ro(p))
		return -EROFS;
	if (sector > p->nr_sects || count > p->nr_sects - sector)
		return -EIO;
	return blk_transfer(p, sector, count, buf, write);
}

int sb_bdev_read(const struct super_block *sb, uint64_t sector,
		 uint32_t count, void *buf)
{
	return sb_bdev_rw(sb, sector, count, buf, false);
}

int sb_bdev_write(const struct super_block *sb, uint64_t sector,
		  uint32_t count, const void *buf)
{
	/* the driver only reads @buf for a write */
	return sb_bdev_rw(sb, sector, count, (void *)buf, true);
}

int sb_bdev_flush(const struct super_block *sb)
{
	struct blk_part *p = sb_part(sb);


	if (!p)
		return -ENODEV;
	return blk_flush(p);
}
