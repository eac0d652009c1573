/*
 * disk_gpt: GUID partition tables as Linux 6.1 reads them (block/
 * partitions/efi.c). Run by the disk suite with tests/mkdisk.py's
 * gpt.img as vdi (read-write) and gpt-badprimary.img as vdj (read-only):
 * 4096 sectors of pattern, entries 1 and 3 partitions (LBA 64-1087 and
 * 2048-4031), entry 2 empty, entry 4 reaching past the disk. vdj's primary
 * header has a bad CRC: without `gpt` on the kernel command line (the
 * first boot) it has no partitions, with it (the second boot) the backup
 * header at the last LBA gives the same two. On vdi, hostile tables
 * written over the primary (the backup wiped) each give no partitions
 * (one, a protective entry not at LBA 1, does give them with `gpt`),
 * then the table is put back.
 */
#include "check.h"
#include "disk_util.h"
#include <fcntl.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#define GPT_SECTORS	4096
#define LAST_LBA	(GPT_SECTORS - 1)
#define ARRAY_SECTORS	32	/* 128 entries of 128 bytes */
#define P1_START	64
#define P1_SECTORS	1024
#define P3_START	2048
#define P3_SECTORS	1984

static uint32_t crc32(const unsigned char *p, size_t len)
{
	uint32_t c = ~0u;

	while (len--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (c & 1 ? 0xedb88320u : 0);
	}
	return ~c;
}

static void put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put64(unsigned char *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

/* Give header @h (header_size bytes of it) its CRC again. */
static void hdr_crc(unsigned char *h)
{
	uint32_t size;

	memcpy(&size, h + 12, 4);
	put32(h + 16, 0);
	put32(h + 16, crc32(h, size > SECTOR ? SECTOR : size));
}

/* /proc/partitions: @disk's line, then 1 and 3 (when @parts) and no 2, 4. */
static void check_table(const char *disk, int parts, const char *when)
{
	char name[32], what[160];

	snprintf(what, sizeof what, "/proc/partitions: %s of 2048 KiB (%s)",
		 disk, when);
	CHECK_EQ(what, proc_partition_blocks(disk), GPT_SECTORS / 2);
	for (int n = 1; n <= 4; n++) {
		long long want = -1;

		if (parts && n == 1)
			want = P1_SECTORS / 2;
		if (parts && n == 3)
			want = P3_SECTORS / 2;
		snprintf(name, sizeof name, "%s%d", disk, n);
		snprintf(what, sizeof what, "/proc/partitions: %s %s (%s)", name,
			 want < 0 ? "absent" : "present", when);
		CHECK_EQ(what, proc_partition_blocks(name), want);
	}
}

static int cmdline_has_gpt(void)
{
	char buf[1024];
	int fd = open("/proc/cmdline", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	return strstr(buf, " gpt ") || strstr(buf, " gpt\n") ||
	       strncmp(buf, "gpt ", 4) == 0;
}

/* The read-only copy whose primary is bad: partitions only with `gpt`. */
static void test_bad_primary(int boot)
{
	int force = boot == 2;

	CHECK(force ? "the second boot has gpt on the command line"
		    : "the first boot has no gpt on the command line",
	      cmdline_has_gpt() == force);
	check_node("/dev/vdj", 144, 1);
	check_node("/dev/vdj1", 145, force);
	check_node("/dev/vdj2", 146, 0);
	check_node("/dev/vdj3", 147, force);
	check_table("vdj", force, force ? "gpt: the backup header"
					: "a bad primary, no gpt option");
	if (force) {
		check_partition("/dev/vdj1", P1_START, P1_SECTORS);
		check_partition("/dev/vdj3", P3_START, P3_SECTORS);
	}
}

/* The disk's table as mkdisk.py wrote it. */
static unsigned char mbr[SECTOR], primary[SECTOR], backup[SECTOR];
static unsigned char array[ARRAY_SECTORS * SECTOR];

static void save_table(int fd)
{
	CHECK("read vdi's table (MBR, header, entries, backup header)",
	      pread(fd, mbr, SECTOR, 0) == SECTOR &&
	      pread(fd, primary, SECTOR, SECTOR) == SECTOR &&
	      pread(fd, array, sizeof array, 2 * SECTOR) == (ssize_t)sizeof array &&
	      pread(fd, backup, SECTOR, (off_t)LAST_LBA * SECTOR) == SECTOR);
	CHECK("vdi's header is \"EFI PART\"", memcmp(primary, "EFI PART", 8) == 0);
}

static int write_at(int fd, const void *buf, size_t len, uint64_t lba)
{
	return pwrite(fd, buf, len, (off_t)(lba * SECTOR)) == (ssize_t)len ? 0 : -1;
}

/* Write @m, @h and @a as the table (no backup), then BLKRRPART's result. */
static int rewrite(int fd, const unsigned char *m, const unsigned char *h,
		   const unsigned char *a)
{
	static const unsigned char zero[SECTOR];

	if (write_at(fd, m, SECTOR, 0) || write_at(fd, h, SECTOR, 1) ||
	    write_at(fd, a, sizeof array, 2) ||
	    write_at(fd, zero, SECTOR, LAST_LBA) || fsync(fd))
		return -2;
	return ioctl(fd, BLKRRPART, 0) == 0 ? 0 : -errno;
}

enum hostile {
	BAD_SIGNATURE, HDR_TOO_BIG, HDR_TOO_SMALL, BAD_CRC, BAD_MY_LBA,
	FIRST_USABLE_PAST, LAST_BEFORE_FIRST, ENTRY_SIZE, ARRAY_TOO_BIG,
	ARRAY_CRC, ARRAY_PAST_END, ARRAY_ACROSS_END, NO_ENTRIES, PMBR_START,
	HOSTILE_COUNT,
};

static const char *const hostile_name[] = {
	"a bad signature", "a header of 513 bytes", "a header of 91 bytes",
	"a wrong header CRC", "my_lba 2", "first_usable_lba past the disk",
	"last_usable_lba before first_usable_lba", "256-byte entries",
	"2^24 entries (2 GiB)", "a wrong entry array CRC",
	"the entry array past the last LBA",
	"an entry array reaching past the last LBA", "no entries",
	"a protective entry starting at LBA 2",
};

/* Damage copies of the table as @k says. */
static void make_hostile(enum hostile k, unsigned char *m, unsigned char *h)
{
	memcpy(m, mbr, SECTOR);
	memcpy(h, primary, SECTOR);
	switch (k) {
	case BAD_SIGNATURE:
		h[0] = 'e';
		break;
	case HDR_TOO_BIG:
		put32(h + 12, 513);
		break;
	case HDR_TOO_SMALL:
		put32(h + 12, 91);
		break;
	case BAD_CRC:
		h[16] ^= 1;
		return;
	case BAD_MY_LBA:
		put64(h + 24, 2);
		break;
	case FIRST_USABLE_PAST:
		put64(h + 40, GPT_SECTORS);
		break;
	case LAST_BEFORE_FIRST:
		put64(h + 40, 100);
		put64(h + 48, 99);
		break;
	case ENTRY_SIZE:
		put32(h + 84, 256);
		put32(h + 80, 64);
		break;
	case ARRAY_TOO_BIG:
		put32(h + 80, 1u << 24);
		break;
	case ARRAY_CRC:
		h[88] ^= 1;
		break;
	case ARRAY_PAST_END:
		put64(h + 72, GPT_SECTORS);
		break;
	case ARRAY_ACROSS_END:
		put64(h + 72, LAST_LBA - 8);
		break;
	case NO_ENTRIES:
		put32(h + 80, 0);
		break;
	case PMBR_START:
		put32(m + 0x1be + 8, 2);
		return;
	case HOSTILE_COUNT:
		break;
	}
	hdr_crc(h);
}

static void test_hostile(int fd, int force)
{
	unsigned char m[SECTOR], h[SECTOR];
	char what[160];

	for (int k = 0; k < HOSTILE_COUNT; k++) {
		make_hostile((enum hostile)k, m, h);
		/* Linux 6.1's BLKRRPART: 0 whatever the scan found */
		snprintf(what, sizeof what, "%s: BLKRRPART succeeds",
			 hostile_name[k]);
		CHECK_EQ(what, rewrite(fd, m, h, array), 0);
		if (k == PMBR_START && force) {
			/* `gpt`: no protective MBR needed */
			check_table("vdi", 1, "gpt, no protective MBR");
			continue;
		}
		snprintf(what, sizeof what, "%s: no partitions", hostile_name[k]);
		CHECK(what, proc_partition_blocks("vdi1") < 0 &&
		      proc_partition_blocks("vdi3") < 0 &&
		      proc_partition_blocks("vdi") == GPT_SECTORS / 2);
	}
}

/* Put the table back: both partitions again. */
static void restore(int fd)
{
	CHECK("write the table back",
	      write_at(fd, mbr, SECTOR, 0) == 0 && write_at(fd, primary, SECTOR, 1) == 0 &&
	      write_at(fd, array, sizeof array, 2) == 0 &&
	      write_at(fd, backup, SECTOR, LAST_LBA) == 0 && fsync(fd) == 0);
	CHECK_OK("BLKRRPART", ioctl(fd, BLKRRPART, 0));
	check_table("vdi", 1, "the table put back");
	check_partition("/dev/vdi1", P1_START, P1_SECTORS);
	check_partition("/dev/vdi3", P3_START, P3_SECTORS);
}

/* Only the primary: partitions, the backup being gone. */
static void test_primary_only(int fd)
{
	CHECK_EQ("the primary alone (backup wiped): BLKRRPART",
		 rewrite(fd, mbr, primary, array), 0);
	check_table("vdi", 1, "the primary alone");
}

/* The whole of sysfs file @path into @buf (@size), or "" if unreadable. */
static const char *sys_text(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, size - 1) : -1;

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = 0;
	return buf;
}

/*
 * The uevent files: a partition's number and GPT name, a disk's sequence
 * number (vdi is the ninth disk, and Linux counts from 1 with nothing
 * else before them).
 */
static void test_uevent(void)
{
	static const char disk[] = "MAJOR=254\nMINOR=128\nDEVNAME=vdi\n"
				   "DEVTYPE=disk\nDISKSEQ=";
	char buf[512], a[32], b[32];
	const char *seq;
	long long vda, vdi;

	CHECK_STR("vdi1's uevent",
		  sys_text("/sys/class/block/vdi1/uevent", buf, sizeof buf),
		  "MAJOR=254\nMINOR=129\nDEVNAME=vdi1\nDEVTYPE=partition\n"
		  "DISKSEQ=9\nPARTN=1\nPARTNAME=alpha\n");
	CHECK_STR("vdi3's uevent",
		  sys_text("/sys/class/block/vdi3/uevent", buf, sizeof buf),
		  "MAJOR=254\nMINOR=131\nDEVNAME=vdi3\nDEVTYPE=partition\n"
		  "DISKSEQ=9\nPARTN=3\nPARTNAME=gamma\n");
	sys_text("/sys/block/vdi/uevent", buf, sizeof buf);
	CHECK("vdi's uevent: a disk", !strncmp(buf, disk, sizeof(disk) - 1));
	seq = strstr(buf, "DISKSEQ=");
	vdi = seq ? atoll(seq + 8) : -1;
	vda = atoll(sys_text("/sys/block/vda/diskseq", a, sizeof a));
	CHECK_EQ("vdi's DISKSEQ: vda's and eight disks on", vdi, vda + 8);
	CHECK_EQ("/sys/block/vdi/diskseq is the uevent's",
		 atoll(sys_text("/sys/block/vdi/diskseq", b, sizeof b)), vdi);
}

int main(void)
{
	const char *b = getenv("DISK_BOOT");
	int boot = b ? atoi(b) : 0;
	int fd;

	TEST_BEGIN("disk_gpt");
	CHECK("DISK_BOOT is 1 or 2 (run by the disk suite)",
	      boot == 1 || boot == 2);
	check_node("/dev/vdi", 128, 1);
	check_node("/dev/vdi1", 129, 1);
	check_node("/dev/vdi2", 130, 0);
	check_node("/dev/vdi3", 131, 1);
	check_node("/dev/vdi4", 132, 0);
	check_table("vdi", 1, "as booted");
	check_partition("/dev/vdi1", P1_START, P1_SECTORS);
	check_partition("/dev/vdi3", P3_START, P3_SECTORS);
	test_uevent();
	test_bad_primary(boot);
	fd = open("/dev/vdi", O_RDWR);
	CHECK_OK("open /dev/vdi read-write", fd);
	save_table(fd);
	test_primary_only(fd);
	test_hostile(fd, boot == 2);
	restore(fd);
	close(fd);
	return TEST_END();
}
