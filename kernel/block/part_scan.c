/*
 * Reading a disk's partition table, as Linux's block/partitions/core.c
 * does: each parser in turn (GPT, then MBR) until one claims the table,
 * then its partitions, checked against the disk's size, replace the old
 * ones. The disk is untrusted: the parsers check every field first.
 */
#include "blk.h"
#include <platform/heap.h>
#include <platform/printk.h>
#include <aramid/string.h>

int scan_read(struct part_scan *s, uint64_t sector, uint32_t count, void *buf)
{
	return blk_transfer(&s->d->part[0], sector, count, buf, false);
}

void part_add(struct part_scan *s, unsigned slot, uint64_t start,
	      uint64_t size)
{
	struct gendisk *gd = s->d->gd;

	if (size == 0)
		return;
	if (slot >= gd->minors || slot >= BLK_MAX_PARTS) {
		pr_warn("%s: p%u could not be added: no device number for it",
			gd->name, slot);
		return;
	}
	if (start >= gd->capacity) {
		pr_warn("%s: p%u start %llu is beyond EOD, truncated", gd->name,
			slot, (unsigned long long)start);
		return;
	}
	if (size > gd->capacity - start) {
		pr_warn("%s: p%u size %llu extends beyond EOD, truncated",
			gd->name, slot, (unsigned long long)size);
		size = gd->capacity - start;
	}
	s->parts[slot] = (struct blk_part){
		.disk = gd, .partno = slot, .start = start, .nr_sects = size,
		.present = true,
	};
}

void part_set_info(struct part_scan *s, unsigned slot, const char *uuid,
		   const char *volname)
{
	struct blk_part *p = slot < BLK_MAX_PARTS ? &s->parts[slot] : NULL;

	if (!p || !p->present)
		return;
	strlcpy(p->uuid, uuid, sizeof(p->uuid));
	strlcpy(p->volname, volname ? volname : "", sizeof(p->volname));
}

/*
 * Run the parsers over @s's disk, as Linux's check_partition: a table
 * none claims after a read error or one past the disk's end is logged,
 * and a read past the end at all (partitions there are lost).
 */
static void scan(struct part_scan *s)
{
	const char *name = s->d->gd->name;
	uint8_t *sector0 = kmalloc(SECTOR_SIZE);
	bool failed = !sector0 || scan_read(s, 0, 1, sector0);

	bool found = !failed && (efi_parse(s, sector0) ||
				 mbr_parse(s, sector0));

	kfree(sector0);
	if (!found && (failed || s->beyond_eod))
		pr_info(" %s: unable to read partition table", name);
	/* A table that was read may have lost partitions past the end. */
	if (s->beyond_eod)
		pr_warn("%s: partition table beyond EOD, truncated", name);
}

int blk_rescan(struct blk_disk *d)
{
	struct part_scan *s;

	for (unsigned p = 1; p < BLK_MAX_PARTS; p++)
		if (d->part[p].openers)
			return -EBUSY;
	s = kmalloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	memset(s, 0, sizeof(*s));
	s->d = d;
	if (d->gd->capacity)
		scan(s);
	/* As Linux's bdev_disk_changed: the old partitions go either way. */
	memcpy(&d->part[1], &s->parts[1], sizeof(s->parts) - sizeof(s->parts[0]));
	kfree(s);
	return 0;
}
