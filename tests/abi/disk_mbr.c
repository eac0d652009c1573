/*
 * disk_mbr: an MBR with an extended partition, as Linux 6.1 reads it
 * (block/partitions/msdos.c). Run by the disk suite after disk_gpt, on
 * the same disk, vdi (tests/mkdisk.py's gpt.img, 4096 sectors of pattern):
 * it writes over the GPT an MBR with primaries 1 (64-575) and 3
 * (3072-4031) and extended 2 (1024-3071), whose first boot record at
 * 1024 holds logical 5 (1056-1535) and links to the second at 1536,
 * which holds logical 6 (1600-2559) and, as its third entry, garbage
 * past its extent. After BLKRRPART: vdi1, vdi3, vdi5 and vdi6 with
 * their extents, vdi2 of two sectors, no vdi4 or vdi7; a boot record
 * that links to itself gives no logical partition. Then the GPT and the
 * sectors written are put back.
 */
#include "check.h"
#include "disk_util.h"
#include <stdlib.h>
#include <unistd.h>

#define DISK_SECTORS	4096
#define EXT_START	1024
#define EXT_SECTORS	2048
#define EBR2		1536

/* The sectors this test writes, saved to be put back. */
static const uint64_t touched[] = { 0, 1, EXT_START, EBR2, DISK_SECTORS - 1 };
static unsigned char saved[sizeof(touched) / sizeof(touched[0])][SECTOR];

static void put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* Entry @i of the record @rec: @type from @start, @size sectors. */
static void entry(unsigned char *rec, int i, int type, uint32_t start,
		  uint32_t size)
{
	unsigned char *e = rec + 0x1be + 16 * i;

	memset(e, 0, 16);
	e[4] = (unsigned char)type;
	put32(e + 8, start);
	put32(e + 12, size);
	rec[510] = 0x55;
	rec[511] = 0xaa;
}

static int write_sector(int fd, const unsigned char *buf, uint64_t s)
{
	return pwrite(fd, buf, SECTOR, (off_t)(s * SECTOR)) == SECTOR ? 0 : -1;
}

/*
 * Write the table above (the second record's link to itself when
 * @loop), the GPT's headers zeroed, then BLKRRPART: 0 or -1.
 */
static int write_table(int fd, int loop)
{
	static const unsigned char zero[SECTOR];
	unsigned char mbr[SECTOR], ebr1[SECTOR], ebr2[SECTOR];

	memset(mbr, 0, sizeof(mbr));
	memset(ebr1, 0, sizeof(ebr1));
	memset(ebr2, 0, sizeof(ebr2));
	entry(mbr, 0, 0x83, 64, 512);
	entry(mbr, 1, 0x05, EXT_START, EXT_SECTORS);
	entry(mbr, 2, 0x83, 3072, 960);
	/* Logical offsets are from their record; links from the extended. */
	entry(ebr1, 0, 0x83, 32, 480);
	entry(ebr1, 1, 0x05, EBR2 - EXT_START, 1024);
	if (loop) {
		entry(ebr2, 1, 0x05, EBR2 - EXT_START, 1024);
	} else {
		entry(ebr2, 0, 0x83, 64, 960);
		entry(ebr2, 2, 0x83, 0, 100000);
	}
	if (write_sector(fd, mbr, 0) || write_sector(fd, zero, 1) ||
	    write_sector(fd, ebr1, EXT_START) || write_sector(fd, ebr2, EBR2) ||
	    write_sector(fd, zero, DISK_SECTORS - 1) || fsync(fd))
		return -1;
	return ioctl(fd, BLKRRPART, 0);
}

static void check_blocks(const char *name, long long want)
{
	char what[96];

	snprintf(what, sizeof what, "/proc/partitions: %s %lld blocks", name,
		 want);
	if (want < 0)
		snprintf(what, sizeof what, "/proc/partitions: no %s", name);
	CHECK_EQ(what, proc_partition_blocks(name), want);
}

static void test_extended(int fd)
{
	CHECK_OK("BLKRRPART with an extended partition", write_table(fd, 0));
	check_blocks("vdi1", 256);
	check_blocks("vdi2", 1);
	check_blocks("vdi3", 480);
	check_blocks("vdi4", -1);
	check_blocks("vdi5", 240);
	check_blocks("vdi6", 480);
	check_blocks("vdi7", -1);
	check_node("/dev/vdi2", 130, 1);
	check_node("/dev/vdi4", 132, 0);
	check_node("/dev/vdi5", 133, 1);
	check_node("/dev/vdi6", 134, 1);
	check_node("/dev/vdi7", 135, 0);
	check_partition("/dev/vdi1", 64, 512);
	check_partition("/dev/vdi3", 3072, 960);
	check_partition("/dev/vdi5", 1056, 480);
	check_partition("/dev/vdi6", 1600, 960);
}

static void test_self_link(int fd)
{
	CHECK_OK("BLKRRPART with a record linking to itself",
		 write_table(fd, 1));
	check_blocks("vdi5", 240);
	check_blocks("vdi6", -1);
	check_blocks("vdi3", 480);
}

int main(void)
{
	const char *b = getenv("DISK_BOOT");
	int fd, ok = 1;
	size_t i;

	TEST_BEGIN("disk_mbr");
	CHECK("DISK_BOOT is 1 or 2 (run by the disk suite)",
	      b && (atoi(b) == 1 || atoi(b) == 2));
	fd = open("/dev/vdi", O_RDWR);
	CHECK_OK("open /dev/vdi read-write", fd);
	for (i = 0; i < sizeof(touched) / sizeof(touched[0]); i++)
		ok &= pread(fd, saved[i], SECTOR, (off_t)(touched[i] * SECTOR)) ==
		      SECTOR;
	CHECK("save the sectors to be written", ok);
	CHECK("vdi holds a GPT", memcmp(saved[1], "EFI PART", 8) == 0);
	test_extended(fd);
	test_self_link(fd);
	for (i = 0; i < sizeof(touched) / sizeof(touched[0]); i++)
		ok &= write_sector(fd, saved[i], touched[i]) == 0;
	CHECK("put the GPT back", ok && fsync(fd) == 0 &&
	      ioctl(fd, BLKRRPART, 0) == 0);
	check_blocks("vdi1", 512);
	check_blocks("vdi3", 992);
	check_blocks("vdi5", -1);
	close(fd);
	return TEST_END();
}
