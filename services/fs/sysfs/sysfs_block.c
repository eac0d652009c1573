/*
 * Block devices in sysfs, from the block layer's list (blk_part_info):
 * each disk's directory devices/virtual/block/<disk> with its attributes
 * as Linux 6.1's genhd.c, partitions/core.c and blk-sysfs.c print them
 * (dev, size, ro, removable, range, stat, inflight, alignment and
 * discard offsets, hidden, diskseq, uevent, holders/, slaves/, queue/
 * with the sector sizes and rotational) and a directory per partition
 * (dev, partition, start, size, ro, stat, inflight, alignment and
 * discard offsets, uevent with a GPT entry's PARTNAME); and
 * the links to them: block/<disk>, class/block/<device> and
 * dev/block/<major>:<minor>. An instance's index is the device's in
 * blk_part_info's order.
 */
#include "sysfs.h"
#include <svc/blkdev.h>
#include <aramid/string.h>
#include <uapi/errno.h>

#define BLK_MINORS	16	/* a virtio disk's device numbers */

static int info(int index, struct blk_part_info *bp)
{
	return index < 0 ? -ENOENT : blk_part_info((unsigned)index, bp);
}

/* The lowest device at least @from: any (@disks < 0), disks or not. */
static int dev_next(int from, int disks)
{
	struct blk_part_info bp;

	for (int i = from < 0 ? 0 : from; !info(i, &bp); i++)
		if (disks < 0 || (bp.partno == 0) == disks)
			return i;
	return -1;
}

static int any_next(int parent, int from)
{
	return dev_next(from, -1);
}

static int disk_next(int parent, int from)
{
	return dev_next(from, 1);
}

/* The partitions of disk @parent: the devices after it, until the next disk. */
static int part_next(int parent, int from)
{
	struct blk_part_info bp;
	int i = from > parent ? from : parent + 1;

	return !info(i, &bp) && bp.partno ? i : -1;
}

static int dev_name(int index, char *buf, size_t len)
{
	struct blk_part_info bp;
	int err = info(index, &bp);

	if (!err)
		snprintf(buf, len, "%s", bp.name);
	return err;
}

static int devt_name(int index, char *buf, size_t len)
{
	struct blk_part_info bp;
	int err = info(index, &bp);

	if (!err)
		snprintf(buf, len, "%u:%u", bp.major, bp.minor);
	return err;
}

/* The device's directory, from a link @up levels below /sys. */
static int dev_link(int index, char *buf, size_t len, const char *up)
{
	struct blk_part_info bp;
	int err = info(index, &bp);

	if (err)
		return err;
	if (bp.partno)
		snprintf(buf, len, "%sdevices/virtual/block/%s/%s", up, bp.disk,
			 bp.name);
	else
		snprintf(buf, len, "%sdevices/virtual/block/%s", up, bp.name);
	return 0;
}

static int top_link(int index, char *buf, size_t len)
{
	return dev_link(index, buf, len, "../");
}

static int class_link(int index, char *buf, size_t len)
{
	return dev_link(index, buf, len, "../../");
}

enum blk_attr {
	A_DEV, A_SIZE, A_RO, A_ZERO, A_RANGE, A_STAT, A_INFLIGHT,
	A_PARTITION, A_START, A_SECTOR, A_ROTATIONAL, A_UEVENT, A_DISKSEQ,
};

/* Linux's part_stat_show: 17 fields of 8. */
static void stat_print(struct sysfs_out *o, const struct blk_io_stats *s)
{
	so_printf(o, "%8llu %8u %8llu %8u %8llu %8u %8llu %8u %8u %8u %8u "
		  "%8u %8u %8u %8u %8llu %8u\n",
		  (unsigned long long)s->ios[BLK_STAT_READ], 0,
		  (unsigned long long)s->sectors[BLK_STAT_READ],
		  (unsigned)(s->nsecs[BLK_STAT_READ] / 1000000),
		  (unsigned long long)s->ios[BLK_STAT_WRITE], 0,
		  (unsigned long long)s->sectors[BLK_STAT_WRITE],
		  (unsigned)(s->nsecs[BLK_STAT_WRITE] / 1000000),
		  s->in_flight[0] + s->in_flight[1],
		  (unsigned)(s->io_ticks_ns / 1000000),
		  (unsigned)((s->nsecs[0] + s->nsecs[1] + s->flush_nsecs) /
			     1000000),
		  0, 0, 0, 0, (unsigned long long)s->flushes,
		  (unsigned)(s->flush_nsecs / 1000000));
}

static int attr_show(struct sysfs_out *o, int index, enum blk_attr a)
{
	struct blk_part_info bp;
	int err = info(index, &bp);

	if (err)
		return err;
	switch (a) {
	case A_DEV:
		so_printf(o, "%u:%u\n", bp.major, bp.minor);
		break;
	case A_SIZE:
		so_printf(o, "%llu\n", (unsigned long long)bp.nr_sects);
		break;
	case A_RO:
		so_printf(o, "%d\n", bp.ro);
		break;
	case A_ZERO:	/* removable, hidden, offsets, optimal_io_size */
		so_printf(o, "0\n");
		break;
	case A_RANGE:
		so_printf(o, "%d\n", BLK_MINORS);
		break;
	case A_STAT:
		stat_print(o, &bp.stats);
		break;
	case A_INFLIGHT:
		so_printf(o, "%8u %8u\n", bp.stats.in_flight[0],
			  bp.stats.in_flight[1]);
		break;
	case A_PARTITION:
		so_printf(o, "%u\n", bp.partno);
		break;
	case A_START:
		so_printf(o, "%llu\n", (unsigned long long)bp.start);
		break;
	case A_SECTOR:
		so_printf(o, "%d\n", SECTOR_SIZE);
		break;
	case A_ROTATIONAL:	/* Linux's virtio_blk leaves the default */
		so_printf(o, "1\n");
		break;
	case A_UEVENT:		/* dev_uevent's, then disk_ or part_uevent's */
		so_printf(o, "MAJOR=%u\nMINOR=%u\nDEVNAME=%s\nDEVTYPE=%s\n",
			  bp.major, bp.minor, bp.name,
			  bp.partno ? "partition" : "disk");
		so_printf(o, "DISKSEQ=%llu\n", (unsigned long long)bp.diskseq);
		if (bp.partno)
			so_printf(o, "PARTN=%u\n", bp.partno);
		if (bp.partno && bp.volname[0])
			so_printf(o, "PARTNAME=%s\n", bp.volname);
		break;
	case A_DISKSEQ:
		so_printf(o, "%llu\n", (unsigned long long)bp.diskseq);
		break;
	}
	return 0;
}

#define BLK_ATTR(var, n, a)						\
	static int var##_show(struct sysfs_out *o, int index)		\
	{								\
		return attr_show(o, index, a);				\
	}								\
	static const struct sysfs_entry var = SYSFS_RO(n, var##_show)

BLK_ATTR(dev_attr, "dev", A_DEV);
BLK_ATTR(size_attr, "size", A_SIZE);
BLK_ATTR(ro_attr, "ro", A_RO);
BLK_ATTR(removable_attr, "removable", A_ZERO);
BLK_ATTR(hidden_attr, "hidden", A_ZERO);
BLK_ATTR(alignment_attr, "alignment_offset", A_ZERO);
BLK_ATTR(discard_attr, "discard_alignment", A_ZERO);
BLK_ATTR(range_attr, "range", A_RANGE);
BLK_ATTR(stat_attr, "stat", A_STAT);
BLK_ATTR(inflight_attr, "inflight", A_INFLIGHT);
BLK_ATTR(partition_attr, "partition", A_PARTITION);
BLK_ATTR(start_attr, "start", A_START);
BLK_ATTR(lbs_attr, "logical_block_size", A_SECTOR);
BLK_ATTR(pbs_attr, "physical_block_size", A_SECTOR);
BLK_ATTR(hw_sector_attr, "hw_sector_size", A_SECTOR);
BLK_ATTR(min_io_attr, "minimum_io_size", A_SECTOR);
BLK_ATTR(opt_io_attr, "optimal_io_size", A_ZERO);
BLK_ATTR(rotational_attr, "rotational", A_ROTATIONAL);

/*
 * A write to uevent asks Linux to repeat the device's event (udevadm
 * trigger): an action Linux's kobject_action_type knows is taken, and
 * there is no listener to tell; anything else is EINVAL.
 */
static int uevent_store(int index, char *buf, size_t len)
{
	static const char *const actions[] = { "add", "remove", "change",
		"move", "online", "offline", "bind", "unbind" };
	struct blk_part_info bp;
	size_t n = 0;

	while (n < len && buf[n] && buf[n] != ' ' && buf[n] != '\n')
		n++;
	if (info(index, &bp))
		return -ENOENT;
	for (size_t i = 0; i < ARRAY_SIZE(actions); i++)
		if (n == strlen(actions[i]) && !strncmp(buf, actions[i], n))
			return 0;
	return -EINVAL;
}

static int uevent_show(struct sysfs_out *o, int index)
{
	return attr_show(o, index, A_UEVENT);
}

static const struct sysfs_entry uevent_attr =
	SYSFS_RW("uevent", uevent_show, uevent_store);
BLK_ATTR(diskseq_attr, "diskseq", A_DISKSEQ);

static const struct sysfs_entry queue_dir = SYSFS_DIR("queue",
	SYSFS_CHILDREN(&hw_sector_attr, &lbs_attr, &min_io_attr, &opt_io_attr,
		       &pbs_attr, &rotational_attr));
static const struct sysfs_entry holders_dir = SYSFS_DIR("holders");
static const struct sysfs_entry slaves_dir = SYSFS_DIR("slaves");

static const struct sysfs_entry part_dir = SYSFS_DIR(NULL,
	SYSFS_CHILDREN(&alignment_attr, &dev_attr, &discard_attr,
		       &inflight_attr, &partition_attr, &ro_attr, &size_attr,
		       &start_attr, &stat_attr, &uevent_attr),
	.next = part_next, .name_of = dev_name);

static const struct sysfs_entry disk_dir = SYSFS_DIR(NULL,
	SYSFS_CHILDREN(&alignment_attr, &dev_attr, &discard_attr,
		       &diskseq_attr, &hidden_attr, &holders_dir,
		       &inflight_attr, &queue_dir, &range_attr,
		       &removable_attr, &ro_attr, &size_attr, &slaves_dir,
		       &stat_attr, &uevent_attr),
	.family = &part_dir, .next = disk_next, .name_of = dev_name);

const struct sysfs_entry sysfs_virtual_block_dir =
	SYSFS_DIR("block", .family = &disk_dir);

static const struct sysfs_entry block_link = {
	.mode = S_IFLNK | 0777, .link = top_link,
	.next = disk_next, .name_of = dev_name,
};

const struct sysfs_entry sysfs_block_dir =
	SYSFS_DIR("block", .family = &block_link);

static const struct sysfs_entry class_block_link = {
	.mode = S_IFLNK | 0777, .link = class_link,
	.next = any_next, .name_of = dev_name,
};

const struct sysfs_entry sysfs_class_block_dir =
	SYSFS_DIR("block", .family = &class_block_link);

static const struct sysfs_entry dev_block_link = {
	.mode = S_IFLNK | 0777, .link = class_link,
	.next = any_next, .name_of = devt_name,
};

const struct sysfs_entry sysfs_dev_block_dir =
	SYSFS_DIR("block", .family = &dev_block_link);
