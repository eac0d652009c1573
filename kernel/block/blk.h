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
	struct blk_io_stats stats;	/* stats.c */
	uint64_t stamp;			/* when io_ticks_ns last moved */
	/* What the table says of it, as Linux's partition_meta_info: the
	 * PARTUUID and a GPT entry's name ("" for none). */
	char uuid[BLK_UUID_LEN];
	char volname[BLK_VOLNAME_LEN];
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
 * Move @count sectors (1..max_sectors) at @sector of block device @p
 * (the range checked by the caller) to or from @buf, counted in @p's
 * and its disk's stats (stats.c): 0 or the driver's -EIO.
 */
int blk_io(struct blk_part *p, uint64_t sector, uint32_t count, void *buf,
	   bool write);
/*
 * Move @count sectors (any number) at @sector of @p (the range checked
 * by the caller) to or from @buf in blk_io requests of at most the
 * disk's max_sectors (blk_transfer.c): 0 or the first request's -EIO.
 */
int blk_transfer(struct blk_part *p, uint64_t sector, uint32_t count,
		 void *buf, bool write);
/* Flush @p's disk's write cache, counted on the disk (stats.c): 0 or -EIO. */
int blk_flush(struct blk_part *p);

/*
 * (Re)read @d's partition table into d->part[1..] (part_scan.c): 0
 * (a table that could not be read is a log line and no partitions, as
 * Linux 6.1's BLKRRPART), -EBUSY while a partition is open, or -ENOMEM.
 */
int blk_rescan(struct blk_disk *d);
/*
 * BLKRRPART (genhd.c): blk_rescan, the device nodes of the partitions
 * that went taken from every devtmpfs and those of the ones read posted
 * there. 0, -EBUSY or -ENOMEM as blk_rescan.
 */
int blk_reread(struct blk_disk *d);
/*
 * Post (@present) or take back the node of partition @p of @d in every
 * mounted devtmpfs (genhd.c), as Linux's partition events reach it.
 */
void blk_part_node(struct blk_disk *d, unsigned p, bool present);
/*
 * The BLKPG ioctl on block device @p, its struct blkpg_ioctl_arg at
 * @arg (blkpg.c): 0, or Linux's -EFAULT, -EACCES, -EINVAL, -EBUSY,
 * -ENXIO.
 */
long blk_pg_ioctl(struct blk_part *p, uptr_t arg);

/* A partition table being read (part_scan.c), what its parser fills. */
struct part_scan {
	struct blk_disk *d;
	struct blk_part parts[BLK_MAX_PARTS];
	bool beyond_eod;	/* a read would have passed the disk's end */
};

/*
 * Read @count sectors from @sector of the disk being scanned into @buf
 * (@count * 512 bytes), counted on the disk: 0, or -EIO.
 */
int scan_read(struct part_scan *s, uint64_t sector, uint32_t count, void *buf);

/*
 * Make slot @slot partition @start (sectors) of @size as Linux's
 * blk_add_partition does: nothing for a size of 0 or a slot past the
 * disk's minors (a log line for that one), a start past the disk's end
 * is left out and a partition reaching past it cut at the end, with a
 * log line.
 */
void part_add(struct part_scan *s, unsigned slot, uint64_t start,
	      uint64_t size);
/*
 * The PARTUUID text @uuid and the name @volname (NULL: none) of slot
 * @slot's partition, if part_add made it: Linux's set_info for an MBR,
 * the entry's unique GUID and name for a GPT. Cut to fit.
 */
void part_set_info(struct part_scan *s, unsigned slot, const char *uuid,
		   const char *volname);

/*
 * The partition table parsers, each given the disk's sector 0 (512
 * bytes), in the order Linux tries them: 1 when the table is theirs
 * (its partitions added, none perhaps), 0 when it is not.
 * efi_parse (part_efi.c): a GPT, as Linux's efi_partition.
 * mbr_parse (part_mbr.c): an MBR's primary entries and the logical
 * partitions of its extended ones (5 and up), as Linux's
 * msdos_partition; no signature or a GPT's protective entry gives none.
 */
int efi_parse(struct part_scan *s, const uint8_t *sector0);
int mbr_parse(struct part_scan *s, const uint8_t *sector0);

/*
 * The CRC-32 of @len bytes at @buf continuing from @crc, as Linux's
 * crc32_le (crc32.c); the EFI CRC of a buffer is ~crc32_le(~0, ...).
 */
uint32_t crc32_le(uint32_t crc, const void *buf, size_t len);
