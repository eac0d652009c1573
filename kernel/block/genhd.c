/*
 * The disks (Linux's genhd): block majors, the disks drivers add, their
 * partitions, and the list of block devices services may read
 * (include/svc/blkdev.h). Disks are added at boot and never go away.
 */
#include "blk.h"
#include <kernel/service.h>
#include <platform/heap.h>
#include <platform/printk.h>
#include <aramid/string.h>

#define BLK_MAJORS	8
#define DYN_MAJOR_TOP	254	/* dynamic majors are handed out downwards */
#define MINOR_COUNT	256	/* this kernel's dev_t has 8-bit minors */

static struct {
	unsigned major;
	const char *name;
} majors[BLK_MAJORS];

static struct blk_disk disks[BLK_MAX_DISKS];
/* The last disk sequence number given, as Linux's diskseq counter. */
static uint64_t diskseq;

static bool major_taken(unsigned major)
{
	for (unsigned i = 0; i < BLK_MAJORS; i++)
		if (majors[i].name && majors[i].major == major)
			return true;
	return false;
}

int register_blkdev(unsigned major, const char *name)
{
	unsigned slot;

	if (major > DYN_MAJOR_TOP || !name || !*name)
		return -EINVAL;
	for (slot = 0; slot < BLK_MAJORS && majors[slot].name; slot++)
		;
	if (slot == BLK_MAJORS)
		return -EBUSY;
	if (major == 0) {
		for (major = DYN_MAJOR_TOP; major > 0 && major_taken(major);
		     major--)
			;
		if (major == 0)
			return -EBUSY;
	} else if (major_taken(major)) {
		return -EBUSY;
	}
	majors[slot].major = major;
	majors[slot].name = name;
	return (int)major;
}

void blk_majors_show(char *buf, size_t size, size_t *len)
{
	for (unsigned major = 1; major <= DYN_MAJOR_TOP; major++)
		for (unsigned i = 0; i < BLK_MAJORS; i++)
			if (majors[i].name && majors[i].major == major)
				buf_printf(buf, size, len, "%3u %s\n", major,
					   majors[i].name);
}

struct blk_disk *blk_disk_at(unsigned i)
{
	return i < BLK_MAX_DISKS && disks[i].gd ? &disks[i] : NULL;
}

struct blk_part *blk_part_by_dev(dev_t dev)
{
	for (unsigned i = 0; i < BLK_MAX_DISKS && disks[i].gd; i++) {
		struct gendisk *gd = disks[i].gd;
		unsigned minor = MINOR(dev);

		if (MAJOR(dev) != gd->major || minor < gd->first_minor ||
		    minor - gd->first_minor >= gd->minors)
			continue;
		if (disks[i].part[minor - gd->first_minor].present)
			return &disks[i].part[minor - gd->first_minor];
		return NULL;
	}
	return NULL;
}

/* Is every field of @gd in range, its major registered and its minors free? */
static int disk_check(const struct gendisk *gd)
{
	if (!gd->ops || !gd->ops->svc || !gd->ops->transfer ||
	    !gd->name[0] || memchr(gd->name, 0, sizeof(gd->name)) == NULL)
		return -EINVAL;
	if (gd->minors == 0 || gd->minors > BLK_MAX_PARTS ||
	    gd->first_minor + gd->minors > MINOR_COUNT ||
	    gd->max_sectors == 0 || gd->capacity > (~0ULL >> 1) >> SECTOR_SHIFT)
		return -EINVAL;
	if (!major_taken(gd->major))
		return -EINVAL;
	for (unsigned i = 0; i < BLK_MAX_DISKS && disks[i].gd; i++) {
		const struct gendisk *o = disks[i].gd;

		if (o->major == gd->major &&
		    gd->first_minor < o->first_minor + o->minors &&
		    o->first_minor < gd->first_minor + gd->minors)
			return -EBUSY;
	}
	return 0;
}

int add_disk(struct gendisk *gd)
{
	struct blk_disk *d = NULL;
	int err = disk_check(gd);

	if (err)
		return err;
	for (unsigned i = 0; i < BLK_MAX_DISKS && !d; i++)
		if (!disks[i].gd) {
			d = &disks[i];
			gd->index = (int)i;
		}
	if (!d)
		return -ENOSPC;
	gd->diskseq = ++diskseq;
	svc_register(gd->ops->svc);
	gd->cap = svc_mint(gd->ops->svc);
	d->gd = gd;
	d->part[0] = (struct blk_part){ .disk = gd, .start = 0,
					.nr_sects = gd->capacity,
					.present = true };
	if (blk_rescan(d))
		pr_warn(" %s: unable to read partition table", gd->name);
	return 0;
}

/*
 * The name of partition @p of disk @disk (the disk's own for 0): Linux
 * puts a 'p' between a name that ends in a digit and the number.
 */
static void part_name(char *buf, size_t size, const char *disk, unsigned p)
{
	size_t len = strlen(disk);
	bool digit = len && disk[len - 1] >= '0' && disk[len - 1] <= '9';

	if (p == 0)
		strlcpy(buf, disk, size);
	else
		snprintf(buf, size, "%s%s%u", disk, digit ? "p" : "", p);
}

/* See blk.h. */
void blk_part_node(struct blk_disk *d, unsigned p, bool present)
{
	char name[DISK_NAME_LEN + 4];

	part_name(name, sizeof(name), d->gd->name, p);
	devtmpfs_blk_node(name, MKDEV(d->gd->major, d->gd->first_minor + p),
			  present);
}

/* blk_part_node for every partition of @d. */
static void part_nodes(struct blk_disk *d, bool present)
{
	for (unsigned p = 1; p < BLK_MAX_PARTS; p++)
		if (d->part[p].present)
			blk_part_node(d, p, present);
}

/* See blk.h. */
int blk_reread(struct blk_disk *d)
{
	int err;

	for (unsigned p = 1; p < BLK_MAX_PARTS; p++)
		if (d->part[p].openers)
			return -EBUSY;
	part_nodes(d, false);
	err = blk_rescan(d);
	part_nodes(d, true);
	return err;
}

int blk_part_info(unsigned index, struct blk_part_info *out)
{
	for (unsigned i = 0; i < BLK_MAX_DISKS && disks[i].gd; i++) {
		struct gendisk *gd = disks[i].gd;

		for (unsigned p = 0; p < BLK_MAX_PARTS; p++) {
			const struct blk_part *bp = &disks[i].part[p];

			if (!bp->present || index--)
				continue;
			memset(out, 0, sizeof(*out));
			part_name(out->name, sizeof(out->name), gd->name, p);
			strlcpy(out->disk, gd->name, sizeof(out->disk));
			out->major = gd->major;
			out->minor = gd->first_minor + p;
			out->partno = p;
			out->start = bp->start;
			out->nr_sects = bp->nr_sects;
			out->ro = gd->ro || bp->ro;
			out->stats = bp->stats;
			out->diskseq = gd->diskseq;
			strlcpy(out->uuid, bp->uuid, sizeof(out->uuid));
			strlcpy(out->volname, bp->volname, sizeof(out->volname));
			return 0;
		}
	}
	return -ENOENT;
}
