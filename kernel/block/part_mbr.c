/*
 * The MBR ("DOS") partition table, read as Linux's msdos_partition and
 * blk_add_partitions read it: the four primary entries, and the chain of
 * extended boot records an extended entry starts, whose logical
 * partitions are 5 and up. Every sector is the disk's: untrusted, so
 * each field is checked before it is used, and a chain that loops or
 * leaves the disk ends as Linux's parse_extended ends it.
 */
#include "blk.h"
#include <platform/heap.h>
#include <aramid/string.h>

#define MBR_DISKSIG	0x1b8	/* the disk signature, for PARTUUIDs */
#define MBR_ENTRIES	0x1be
#define MBR_ENTRY_SIZE	16
#define MBR_SIG		0x1fe
#define MBR_TYPE_GPT	0xee	/* the protective entry of a GPT disk */

static uint32_t le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static bool is_extended(uint8_t type)
{
	return type == 0x05 || type == 0x0f || type == 0x85;
}

static bool has_signature(const uint8_t *sector)
{
	return sector[MBR_SIG] == 0x55 && sector[MBR_SIG + 1] == 0xaa;
}

static const uint8_t *entry(const uint8_t *sector, unsigned i)
{
	return sector + MBR_ENTRIES + i * MBR_ENTRY_SIZE;
}

/* Links followed without a data partition before the chain is given up. */
#define EBR_MAX_EMPTY_LINKS	100

/*
 * The logical partitions of the extended partition @first_start, @first_size
 * sectors, into slots 5 and up, as Linux's parse_extended: each extended
 * boot record's data entries (a third or fourth one only if it lies
 * inside both the record's extent and the extended partition), then the
 * link to the next record, its first extended entry. @buf is one sector.
 */
/* Linux's set_info: an MBR partition's PARTUUID, the disk's signature
 * and its number. */
static void mbr_info(struct part_scan *s, unsigned slot, uint32_t disksig)
{
	char uuid[BLK_UUID_LEN];

	snprintf(uuid, sizeof(uuid), "%08x-%02x", disksig, slot);
	part_set_info(s, slot, uuid, NULL);
}

static void mbr_extended(struct part_scan *s, uint64_t first_start,
			 uint64_t first_size, uint32_t disksig, uint8_t *buf)
{
	unsigned limit = MIN((unsigned)s->d->gd->minors, BLK_MAX_PARTS);
	uint64_t this_start = first_start, this_size = first_size;
	unsigned next = 5, empty_links = 0, i;

	while (++empty_links <= EBR_MAX_EMPTY_LINKS && next < limit) {
		if (this_start >= s->d->gd->capacity) {
			s->beyond_eod = true;
			return;
		}
		if (scan_read(s, this_start, 1, buf) || !has_signature(buf))
			return;
		for (i = 0; i < 4 && next < limit; i++) {
			const uint8_t *e = entry(buf, i);
			uint64_t offs = le32(e + 8), size = le32(e + 12);
			uint64_t start = this_start + offs;

			if (!size || is_extended(e[4]))
				continue;
			if (i >= 2 && (offs + size > this_size ||
				       start < first_start ||
				       start + size > first_start + first_size))
				continue;
			part_add(s, next, start, size);
			mbr_info(s, next++, disksig);
			empty_links = 0;
		}
		for (i = 0; i < 4; i++) {
			if (le32(entry(buf, i) + 12) && is_extended(entry(buf, i)[4]))
				break;
		}
		if (i == 4)
			return;
		this_start = first_start + le32(entry(buf, i) + 8);
		this_size = le32(entry(buf, i) + 12);
	}
}

int mbr_parse(struct part_scan *s, const uint8_t *sector0)
{
	uint32_t disksig = le32(sector0 + MBR_DISKSIG);
	uint8_t *buf;

	if (!has_signature(sector0))
		return 0;
	for (unsigned slot = 1; slot <= 4; slot++) {
		const uint8_t *e = entry(sector0, slot - 1);

		/* A boot flag other than 0 or 0x80: not a partition table. */
		if (e[0] != 0 && e[0] != 0x80)
			return 0;
		if (e[4] == MBR_TYPE_GPT)
			return 0;
	}
	for (unsigned slot = 1; slot <= 4; slot++) {
		const uint8_t *e = entry(sector0, slot - 1);
		uint64_t start = le32(e + 8), size = le32(e + 12);

		if (!size)
			continue;
		if (!is_extended(e[4])) {
			part_add(s, slot, start, size);
			mbr_info(s, slot, disksig);
			continue;
		}
		/* Two sectors, so that nobody makes a filesystem on it. */
		part_add(s, slot, start, MIN(size, 2));
		mbr_info(s, slot, disksig);
		buf = kmalloc(SECTOR_SIZE);
		if (!buf)
			continue;
		mbr_extended(s, start, size, disksig, buf);
		kfree(buf);
	}
	return 1;
}
