/*
 * BLKPG: partitions added, resized and deleted on a whole disk without a
 * table (partx, addpart, delpart, resizepart, parted), as Linux 6.1's
 * blkpg_do_ioctl and bdev_{add,del,resize}_partition: a partition may
 * not overlap another (it may reach past the disk's end, whose sectors
 * then read as EIO), nor be deleted while open; each change posts or
 * takes back the partition's node in devtmpfs.
 */
#include "blk.h"
#include <svc/task.h>
#include <platform/usercopy.h>
#include <uapi/blkpg.h>
#include <uapi/capability.h>

/* Does [@start, @start + @len) overlap a partition of @d but @skip? */
static bool overlaps(const struct blk_disk *d, uint64_t start, uint64_t len,
		     unsigned skip)
{
	for (unsigned p = 1; p < BLK_MAX_PARTS; p++) {
		const struct blk_part *bp = &d->part[p];

		if (p != skip && bp->present && start < bp->start + bp->nr_sects &&
		    start + len > bp->start)
			return true;
	}
	return false;
}

static int blkpg_add(struct blk_disk *d, unsigned pno, uint64_t start,
		     uint64_t len)
{
	if (overlaps(d, start, len, 0))
		return -EBUSY;
	/* Linux goes on with extended device numbers; 16 minors here. */
	if (pno >= d->gd->minors || pno >= BLK_MAX_PARTS)
		return -EINVAL;
	if (d->part[pno].present)
		return -EBUSY;
	d->part[pno] = (struct blk_part){
		.disk = d->gd, .partno = pno, .start = start, .nr_sects = len,
		.present = true,
	};
	blk_part_node(d, pno, true);
	return 0;
}

static int blkpg_del(struct blk_disk *d, unsigned pno)
{
	struct blk_part *bp = pno < BLK_MAX_PARTS ? &d->part[pno] : NULL;

	if (!bp || !bp->present)
		return -ENXIO;
	if (bp->openers)
		return -EBUSY;
	blk_part_node(d, pno, false);
	bp->present = false;
	return 0;
}

static int blkpg_resize(struct blk_disk *d, unsigned pno, uint64_t start,
			uint64_t len)
{
	struct blk_part *bp = pno < BLK_MAX_PARTS ? &d->part[pno] : NULL;

	if (!bp || !bp->present)
		return -ENXIO;
	if (start != bp->start)
		return -EINVAL;
	if (overlaps(d, start, len, pno))
		return -EBUSY;
	bp->nr_sects = len;
	return 0;
}

/* See blk.h. */
long blk_pg_ioctl(struct blk_part *p, uptr_t arg)
{
	struct blk_disk *d = blk_disk_at((unsigned)p->disk->index);
	struct blkpg_ioctl_arg a;
	struct blkpg_partition bp;
	unsigned pno;

	if (copy_from_user(&a, arg, sizeof(a)))
		return -EFAULT;
	if (!capable(CAP_SYS_ADMIN))
		return -EACCES;
	if (copy_from_user(&bp, UPTR(a.data), sizeof(bp)))
		return -EFAULT;
	if (p->partno || bp.pno <= 0)
		return -EINVAL;
	pno = (unsigned)bp.pno;
	if (a.op == BLKPG_DEL_PARTITION)
		return blkpg_del(d, pno);
	if (bp.start < 0 || bp.length <= 0 || bp.start > INT64_MAX - bp.length ||
	    (bp.start | bp.length) % SECTOR_SIZE)
		return -EINVAL;
	switch (a.op) {
	case BLKPG_ADD_PARTITION:
		return blkpg_add(d, pno, (uint64_t)bp.start / SECTOR_SIZE,
				 (uint64_t)bp.length / SECTOR_SIZE);
	case BLKPG_RESIZE_PARTITION:
		return blkpg_resize(d, pno, (uint64_t)bp.start / SECTOR_SIZE,
				    (uint64_t)bp.length / SECTOR_SIZE);
	default:
		return -EINVAL;
	}
}
