/*
 * CRC-32 (IEEE 802.3, reflected polynomial 0xedb88320), the checksum of
 * GPT headers and entry arrays: a byte at a time from a table built at
 * first use.
 */
#include "blk.h"

static uint32_t table[256];
static bool table_ready;

static void table_build(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (c & 1 ? 0xedb88320u : 0);
		table[i] = c;
	}
	table_ready = true;
}

uint32_t crc32_le(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	if (!table_ready)
		table_build();
	while (len--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}
