/*
 * The block layer's own state (kernel/block/): each disk add_disk took,
 * with its partitions. One CPU runs kernel code at a time (the kernel
 * lock), and nothing here sleeps between looking at this state and
 * changing it.
 */
#pragma once
#include <kernel/blkdev.h>

#define BLK_MAX_DISKS	16
#define BLK_MAX_PARTS	16	/* [0] the disk, [1..15] its partitions */

/* One block device: a whole disk (partno 0) or a partition of it. */
struct blk_part {
	struct gendisk *disk;
	unsigned partno;
	uint64_t start, nr_sects;	/* sectors within the disk */
	bool present;
	bool ro;				/* BLKROSET */
	int openers;			/* open files on it */
};

struct blk_disk {
	struct gendisk *gd;
	struct blk_part part[BLK_MAX_PARTS];
};

/* The disk in slot @i, or NULL (genhd.c). */
struct blk_disk *blk_disk_at(unsigned i);

/* The present block device numbered @dev, or NULL (genhd.c). */
struct blk_part *blk_part_by_dev(dev_t dev);

/* Read-only as Linux's bdev_read_only: the device, or BLKROSET. */
static inline bool part_ro(const struct blk_part *p)
{
	return p->ro || p->disk->ro;
}

/*
 * (Re)read @d's partition table into d->part[1..]: 0, or -EBUSY while a
 * partition is open, or the error of reading sector 0 (genhd.c).
 */
int blk_rescan(struct blk_disk *d);

/*
 * The primary partitions of the MBR in @sector0 (512 bytes) of a disk of
 * @capacity sectors into @parts[1..4] (part_mbr.c): how many entries
 * were found. Entries past the disk's end are left out and those
 * reaching past it cut at the end, as Linux does (with a log line);
 * no signature, a GPT's protective entry or an extended one gives none.
 */
int mbr_parse(struct gendisk *disk, const uint8_t *sector0,
	      struct blk_part parts[BLK_MAX_PARTS]);
