/*
 * disk_util.h - what the disk suite's programs share: tests/mkdisk.py's
 * sector pattern, a look at /proc/partitions and /proc/meminfo, and the
 * checks of a partition's device node and extent.
 */
#ifndef ABI_DISK_UTIL_H
#define ABI_DISK_UTIL_H
#include "check.h"
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#define SECTOR		512
#define BLKRRPART	0x125f
#define BLKSSZGET	0x1268
#define BLKGETSIZE64	0x80081272

/* virtio-blk's block major: vda is 254:0, vdb 254:16, ... */
#define VIRTBLK_MAJOR	254

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

/* A field of /proc/meminfo in kB, -1 if missing. */
static inline long meminfo(const char *field)
{
	char buf[8192], *p;
	size_t n = strlen(field);

	if (slurp("/proc/meminfo", buf, sizeof buf) < 0)
		return -1;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (!strncmp(p, field, n) && p[n] == ':')
			return atol(p + n + 1);
	return -1;
}

/* Is @path block device 254:@minor (@present), or absent? */
static inline void check_node(const char *path, unsigned minor, int present)
{
	struct stat st;
	char what[96];

	if (!present) {
		snprintf(what, sizeof what, "no %s", path);
		CHECK_ERR(what, stat(path, &st), ENOENT);
		return;
	}
	snprintf(what, sizeof what, "%s is block device %u:%u", path,
		 VIRTBLK_MAJOR, minor);
	CHECK(what, stat(path, &st) == 0 && S_ISBLK(st.st_mode) &&
	      major(st.st_rdev) == VIRTBLK_MAJOR && minor(st.st_rdev) == minor);
}

/* Partition @path: its size, sector size and first and last sectors. */
static inline void check_partition(const char *path, uint64_t start, uint64_t sectors)
{
	unsigned char buf[SECTOR];
	unsigned long long size = 0;
	int ssz = 0;
	char what[128];
	int fd = open(path, O_RDONLY);

	snprintf(what, sizeof what, "open %s", path);
	CHECK_OK(what, fd);
	snprintf(what, sizeof what, "%s: BLKGETSIZE64 is %llu sectors", path,
		 (unsigned long long)sectors);
	CHECK(what, ioctl(fd, BLKGETSIZE64, &size) == 0 && size == sectors * SECTOR);
	snprintf(what, sizeof what, "%s: BLKSSZGET is 512", path);
	CHECK(what, ioctl(fd, BLKSSZGET, &ssz) == 0 && ssz == SECTOR);
	snprintf(what, sizeof what, "%s: its sector 0 is the disk's %llu", path,
		 (unsigned long long)start);
	CHECK(what, pread(fd, buf, SECTOR, 0) == SECTOR &&
	      is_pattern(buf, start * SECTOR, SECTOR));
	snprintf(what, sizeof what, "%s: its last sector is the disk's %llu", path,
		 (unsigned long long)(start + sectors - 1));
	CHECK(what, pread(fd, buf, SECTOR, (off_t)(sectors - 1) * SECTOR) == SECTOR &&
	      is_pattern(buf, (start + sectors - 1) * SECTOR, SECTOR));
	snprintf(what, sizeof what, "%s: nothing past its end", path);
	CHECK_EQ(what, pread(fd, buf, SECTOR, (off_t)sectors * SECTOR), 0);
	close(fd);
}

#endif
