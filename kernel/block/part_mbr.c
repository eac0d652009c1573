/*
 * The MBR ("DOS") partition table, primary entries only, read as Linux's
 * msdos_partition and blk_add_partitions read it. The sector is the
 * disk's: untrusted, so every field is checked before it is used.
 */
#include "blk.h"

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

int mbr_parse(struct part_scan *s, const uint8_t *sector0)
{
	if (sector0[MBR_SIG] != 0x55 || sector0[MBR_SIG + 1] != 0xaa)
		return 0;
	for (unsigned slot = 1; slot <= 4; slot++) {
		const uint8_t *e = sector0 + MBR_ENTRIES +
				   (slot - 1) * MBR_ENTRY_SIZE;

		/* A boot flag other than 0 or 0x80: not a partition table. */
		if (e[0] != 0 && e[0] != 0x80)
			return 0;
		if (e[4] == MBR_TYPE_GPT)
			return 0;
	}
	for (unsigned slot = 1; slot <= 4; slot++) {
		const uint8_t *e = sector0 + MBR_ENTRIES +
				   (slot - 1) * MBR_ENTRY_SIZE;
		uint64_t start = le32(e + 8), size = le32(e + 12);

		if (!is_extended(e[4]))
			part_add(s, slot, start, size);
	}
	return 1;
}
