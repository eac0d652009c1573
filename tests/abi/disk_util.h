/*
 * disk_util.h - what the disk suite's programs share: tests/mkdisk.py's
 * sector pattern and a look at /proc/partitions.
 */
#ifndef ABI_DISK_UTIL_H
#define ABI_DISK_UTIL_H
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define SECTOR		512

/* tests/mkdisk.py's pattern of sector @s. */
static inline void pattern(uint64_t s, unsigned char *buf)
{
	memcpy(buf, &s, 8);
	for (int i = 8; i < SECTOR; i++)
		buf[i] = (unsigned char)((s * 31 + (uint64_t)i * 7 + (s >> 8)) & 0xff);
}

/* Do @len bytes at byte @off of the disk hold the pattern? */
static inline int is_pattern(const unsigned char *buf, uint64_t off, size_t len)
{
	unsigned char sec[SECTOR];

	for (size_t i = 0; i < len; i++) {
		uint64_t at = off + i;

		if (i == 0 || at % SECTOR == 0)
			pattern(at / SECTOR, sec);
		if (buf[i] != sec[at % SECTOR])
			return 0;
	}
	return 1;
}

/*
 * The size in 1 KiB blocks /proc/partitions gives device @name, or -1
 * when it has no line for it.
 */
static inline long long proc_partition_blocks(const char *name)
{
	char line[256], dev[64];
	unsigned maj, min;
	unsigned long long blocks;
	long long found = -1;
	FILE *f = fopen("/proc/partitions", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "%u %u %llu %63s", &maj, &min, &blocks, dev) == 4 &&
		    strcmp(dev, name) == 0)
			found = (long long)blocks;
	fclose(f);
	return found;
}
#endif
