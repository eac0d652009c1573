/*
 * The block side of the ring-2 API: disks as block drivers (ring 2,
 * services/drivers/) give them to the block layer (kernel/block/, ring 1),
 * and what any service may know of the block devices there are.
 *
 * A driver registers a major (register_blkdev) and adds each disk it
 * finds (add_disk) with a const block_device_ops table. The block layer
 * reads the partition table, serves the device files (/dev/vda,
 * /dev/vda1...: read, write, ioctls, fsync) and calls the driver only
 * through the wrappers of kernel/block/bops.c, one per operation: contained
 * with the disk's capability token in fortress and balanced, direct calls
 * in performance and ludicrous. The driver sees whole 512-byte sectors
 * inside the disk, in kernel buffers; everything user space passes is
 * checked before.
 */
#pragma once
#include <svc/service.h>
#include <svc/iface.h>
#include <uapi/errno.h>

#define SECTOR_SIZE	512
#define SECTOR_SHIFT	9
#define DISK_NAME_LEN	16

struct gendisk;
struct super_block;

/* What a driver does for the block layer (include/svc/iface.h). */
#define BLOCK_DEVICE_OPS(OP, OP_VOID, OP_OWN, I)			\
	/*								\
	 * Move @count sectors (1..disk->max_sectors) from @sector (the	\
	 * range inside the disk's capacity) between the disk and @buf	\
	 * (@count * 512 bytes of kernel memory): into @buf unless	\
	 * @write. 0, or -EIO (the device failed the request or is	\
	 * given up).							\
	 */								\
	OP(I, int, transfer, disk,					\
	   (struct gendisk *disk, uint64_t sector, uint32_t count,	\
	    void *buf, bool write), (disk, sector, count, buf, write),	\
	   -EIO)							\
	/* Make what was written durable (only when disk->can_flush). */ \
	OP(I, int, flush, disk, (struct gendisk *disk), (disk), 0)

SVC_OPS_TYPES(BLOCK_DEVICE_OPS, block_device_ops)

struct block_device_ops {
	struct service *svc;
	SVC_OPS_MEMBERS(BLOCK_DEVICE_OPS, block_device_ops)
};

/* A disk, as its driver describes it to add_disk. */
struct gendisk {
	const struct block_device_ops *ops;
	char name[DISK_NAME_LEN];	/* "vda" */
	unsigned major, first_minor;
	unsigned minors;	/* device numbers it owns: itself, partitions */
	uint64_t capacity;	/* 512-byte sectors */
	uint32_t max_sectors;	/* the most one transfer takes */
	bool ro;		/* the device refuses writes */
	bool can_flush;		/* has a write cache to flush */
	void *priv;		/* the driver's */
	/* Ring 1's, from add_disk on. */
	struct svc_cap cap;	/* presented on every call into the driver */
	int index;		/* in the block layer's table */
	uint64_t diskseq;	/* Linux's disk sequence number, from 1 */
};

/*
 * Register a block major under @name (/proc/devices): @major, or with 0
 * a free one from 254 down, as Linux's register_blkdev hands out
 * dynamic majors; -EBUSY (taken) or -EINVAL. From SERVICE_INIT.
 */
int register_blkdev(unsigned major, const char *name);

/*
 * Make @disk (filled in as above; it must stay allocated) a block device
 * and read its partition table: 0, -EINVAL (a field out of range),
 * -ENOSPC (too many disks) or -EBUSY (its device numbers are taken).
 * Process context, from SERVICE_INIT.
 */
int add_disk(struct gendisk *disk);

/*
 * A block device's I/O counters since it was added (a partition's since
 * the table was last read), as Linux's iostats count them: each request
 * to the driver is one, counted on its partition and on the whole disk;
 * flushes on the whole disk only, and only on a disk with a write cache.
 * Requests are never merged, and there are no discards.
 */
enum { BLK_STAT_READ, BLK_STAT_WRITE };
struct blk_io_stats {
	uint64_t ios[2];	/* requests completed, by direction */
	uint64_t sectors[2];	/* sectors they moved */
	uint64_t nsecs[2];	/* time they took, summed */
	uint64_t flushes, flush_nsecs;
	uint64_t io_ticks_ns;	/* time with a read or write in flight */
	unsigned in_flight[2];	/* requests issued, not completed */
};

/* One block device: a whole disk or one of its partitions. */
/* A PARTUUID's text ("0123abcd-01", a GPT GUID) and a GPT name's. */
#define BLK_UUID_LEN	37
#define BLK_VOLNAME_LEN	37

struct blk_part_info {
	char name[DISK_NAME_LEN + 4];	/* "vda", "vda1" */
	char disk[DISK_NAME_LEN];	/* the whole disk's name */
	unsigned major, minor;
	unsigned partno;	/* 0 for the whole disk */
	uint64_t start;		/* first sector, within the disk */
	uint64_t nr_sects;	/* 512-byte sectors */
	bool ro;
	struct blk_io_stats stats;
	uint64_t diskseq;	/* the disk's, as Linux's: 1 for the first */
	char uuid[BLK_UUID_LEN];	/* a partition's PARTUUID, or "" */
	char volname[BLK_VOLNAME_LEN];	/* a GPT partition's name, or "" */
};

/*
 * The block device numbered @index (0, 1, ...: each disk, then its
 * partitions, in order): 0 and *@out, or -ENOENT past the last.
 * For devtmpfs, /proc/partitions and /sys/block. Process context.
 */
int blk_part_info(unsigned index, struct blk_part_info *out);

/*
 * The block device a super block of an FS_REQUIRES_DEV type is mounted
 * from (include/svc/vfs.h): ring 1 resolves the mount's source to it,
 * sets sb->dev and holds the device open from before fill_super until
 * after kill_super. The filesystem service reads and writes it only
 * through these, and only that device. Process context.
 *
 * sb_bdev_info: the device's name, number and size into *@out: 0, or
 * -ENODEV for a super block without a device.
 */
int sb_bdev_info(const struct super_block *sb, struct blk_part_info *out);
/*
 * Read @count sectors from @sector of the device into @buf (@count * 512
 * bytes of kernel memory), split into transfers the driver takes: 0,
 * -EIO (a range past the device's end, or the device failed), -ENODEV.
 * Sleeps.
 */
int sb_bdev_read(const struct super_block *sb, uint64_t sector,
		 uint32_t count, void *buf);
/*
 * Write @count sectors from @buf to @sector of the device, as
 * sb_bdev_read reads them: 0, -EIO, -ENODEV, or -EROFS for a read-only
 * device. Sleeps. What it wrote may sit in the disk's write cache until
 * sb_bdev_flush.
 */
int sb_bdev_write(const struct super_block *sb, uint64_t sector,
		  uint32_t count, const void *buf);
/* Make what was written to the device durable: 0, -EIO, -ENODEV. Sleeps. */
int sb_bdev_flush(const struct super_block *sb);
