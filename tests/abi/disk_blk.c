/*
 * disk_blk: block device files on virtio-blk disks, as Linux 6.1 serves
 * them. Run by the disk suite (tests/run.py --suite disk) with the images
 * of tests/mkdisk.py: vda (8 MiB, an MBR with two partitions, every other
 * sector a known pattern) and vdb (1 MiB of pattern, read-only, no
 * partition table). DISK_BOOT=1 or 2 tells which of the suite's two boots
 * this is: the second checks what the first wrote, and the host checks
 * the image after both (tests/disk.py). Without the disks every check
 * fails: this program must not run without them.
 */
#include "check.h"
#include "disk_util.h"
#include <fcntl.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#define BLKROSET	0x125d
#define BLKROGET	0x125e
#define BLKGETSIZE	0x1260
#define BLKFLSBUF	0x1261
#define BLKIOMIN	0x1278
#define BLKIOOPT	0x1279
#define BLKPBSZGET	0x127b
#define BLK_UNKNOWN	0x12c8		/* _IO(0x12, 200): no such ioctl */

#define DISK_SECTORS	16384
#define RO_SECTORS	2048
#define P1_START	2048
#define P1_SECTORS	4096
#define P2_START	8192
#define P2_SECTORS	6144
/* What is written (tests/disk.py checks it from the host). */
#define UNALIGNED_SECTOR 15000
#define UNALIGNED_OFF	100
#define UNALIGNED_LEN	1000
#define MARK_SECTOR	16000

static void mark(int boot, unsigned char *buf)
{
	memset(buf, 0, SECTOR);
	snprintf((char *)buf, SECTOR, "ARAMID-DISK-BOOT %d\n", boot);
}

/* @path is block device 254:@minor, of st_size 0. */
static void check_dev_node(const char *path, unsigned minor)
{
	struct stat st;
	char what[96];

	check_node(path, minor, 1);
	snprintf(what, sizeof what, "%s: st_size 0 (the node's, as devtmpfs)",
		 path);
	CHECK_EQ(what, stat(path, &st) == 0 ? st.st_size : -1, 0);
}

static void test_nodes(void)
{
	struct stat st;

	check_dev_node("/dev/vda", 0);
	check_dev_node("/dev/vda1", 1);
	check_dev_node("/dev/vda2", 2);
	check_dev_node("/dev/vdb", 16);
	CHECK_ERR("no vda3: the MBR has two partitions", stat("/dev/vda3", &st),
		  ENOENT);
	CHECK_ERR("no vdb1: vdb has no partition table", stat("/dev/vdb1", &st),
		  ENOENT);
}

static void test_ioctls(int fd)
{
	unsigned long long size64 = 0;
	unsigned long sectors = 0;
	int n = -1;
	unsigned u = 0;

	CHECK_OK("BLKGETSIZE64", ioctl(fd, BLKGETSIZE64, &size64));
	CHECK_EQ("BLKGETSIZE64 is 8 MiB", size64, DISK_SECTORS * SECTOR);
	CHECK_OK("BLKGETSIZE", ioctl(fd, BLKGETSIZE, &sectors));
	CHECK_EQ("BLKGETSIZE is 16384 sectors", sectors, DISK_SECTORS);
	CHECK_OK("BLKSSZGET", ioctl(fd, BLKSSZGET, &n));
	CHECK_EQ("logical sectors of 512 bytes", n, SECTOR);
	CHECK_OK("BLKPBSZGET", ioctl(fd, BLKPBSZGET, &u));
	CHECK_EQ("physical sectors of 512 bytes", u, SECTOR);
	u = 1;
	CHECK_OK("BLKIOMIN", ioctl(fd, BLKIOMIN, &u));
	CHECK_EQ("BLKIOMIN is 512", u, SECTOR);
	u = 1;
	CHECK_OK("BLKIOOPT", ioctl(fd, BLKIOOPT, &u));
	CHECK_EQ("BLKIOOPT is 0", u, 0);
	n = -1;
	CHECK_OK("BLKROGET", ioctl(fd, BLKROGET, &n));
	CHECK_EQ("vda is writable", n, 0);
	CHECK_ERR("an unknown ioctl: ENOTTY", ioctl(fd, BLK_UNKNOWN, &n), ENOTTY);
	CHECK_ERR("BLKGETSIZE64 to a bad pointer: EFAULT",
		  ioctl(fd, BLKGETSIZE64, BAD_LOW), EFAULT);
	CHECK_ERR("BLKSSZGET to a bad pointer: EFAULT",
		  ioctl(fd, BLKSSZGET, BAD_NULL), EFAULT);
	CHECK_ERR("FIONREAD is not for block devices: ENOTTY",
		  ioctl(fd, FIONREAD, &n), ENOTTY);
	CHECK_OK("BLKFLSBUF as root", ioctl(fd, BLKFLSBUF, 0));
}

static void test_seek(int fd)
{
	off_t size = (off_t)DISK_SECTORS * SECTOR;

	CHECK_EQ("lseek SEEK_END is the size", lseek(fd, 0, SEEK_END), size);
	CHECK_EQ("lseek SEEK_END -512", lseek(fd, -512, SEEK_END), size - 512);
	CHECK_EQ("lseek to the size", lseek(fd, size, SEEK_SET), size);
	CHECK_ERR("lseek past the size: EINVAL", lseek(fd, size + 1, SEEK_SET),
		  EINVAL);
	CHECK_ERR("lseek SEEK_END +1: EINVAL", lseek(fd, 1, SEEK_END), EINVAL);
	CHECK_ERR("lseek before 0: EINVAL", lseek(fd, -1, SEEK_SET), EINVAL);
	CHECK_ERR("SEEK_DATA: EINVAL", lseek(fd, 4096, SEEK_DATA), EINVAL);
	CHECK_ERR("SEEK_HOLE: EINVAL", lseek(fd, 4096, SEEK_HOLE), EINVAL);
	CHECK_EQ("the position stays at the last good seek",
		 lseek(fd, 0, SEEK_CUR), size);
}

static void test_read(int fd)
{
	static unsigned char buf[100 * 1024 + 7];
	off_t size = (off_t)DISK_SECTORS * SECTOR;
	unsigned char sec[SECTOR];

	CHECK_EQ("read at the end: 0", read(fd, buf, 512), 0);
	CHECK_EQ("pread of sector 1", pread(fd, buf, SECTOR, SECTOR), SECTOR);
	pattern(1, sec);
	CHECK("sector 1 holds its pattern", memcmp(buf, sec, SECTOR) == 0);
	CHECK_EQ("pread of sector 0", pread(fd, buf, SECTOR, 0), SECTOR);
	CHECK("sector 0 is the MBR (0x55aa)", buf[510] == 0x55 && buf[511] == 0xaa);
	CHECK_EQ("unaligned pread of 700 bytes", pread(fd, buf, 700, 3 * SECTOR + 300),
		 700);
	CHECK("the unaligned bytes are the disk's", is_pattern(buf, 3 * SECTOR + 300, 700));
	CHECK_EQ("pread of 100 KiB + 7 from an odd offset",
		 pread(fd, buf, sizeof buf, 1024 * 1024 + 7), sizeof buf);
	CHECK("all of it is the disk's", is_pattern(buf, 1024 * 1024 + 7, sizeof buf));
	CHECK_EQ("pread at the end: 0", pread(fd, buf, SECTOR, size), 0);
	CHECK_EQ("pread past the end: 0", pread(fd, buf, SECTOR, size + 4096), 0);
	CHECK_EQ("pread across the end: cut short", pread(fd, buf, SECTOR, size - 100),
		 100);
	CHECK("the short read's bytes", is_pattern(buf, size - 100, 100));
	CHECK_EQ("lseek then read advances the position",
		 lseek(fd, 5 * SECTOR, SEEK_SET), 5 * SECTOR);
	CHECK_EQ("read of 10 bytes", read(fd, buf, 10), 10);
	CHECK_EQ("the position moved by 10", lseek(fd, 0, SEEK_CUR), 5 * SECTOR + 10);
	CHECK("those are sector 5's first bytes", is_pattern(buf, 5 * SECTOR, 10));
	CHECK_ERR("read into a bad pointer: EFAULT", read(fd, BAD_NULL, SECTOR), EFAULT);
	CHECK_ERR("pread into an unmapped low address: EFAULT",
		  pread(fd, BAD_LOW, SECTOR, 0), EFAULT);
}

/*
 * Partition @path from disk sector @start, @sectors long; its last sector
 * holds the pattern, or 0xa5 bytes when @written (test_write fills vda2's).
 */
static void test_partition(const char *path, off_t start, off_t sectors,
			   int written)
{
	unsigned char a5[SECTOR];
	unsigned char buf[SECTOR];
	unsigned long long size64 = 0;
	char what[96];
	int fd = open(path, O_RDONLY);

	snprintf(what, sizeof what, "open %s", path);
	CHECK_OK(what, fd);
	snprintf(what, sizeof what, "%s: BLKGETSIZE64 is %lld sectors", path,
		 (long long)sectors);
	CHECK(what, ioctl(fd, BLKGETSIZE64, &size64) == 0 &&
	      size64 == (unsigned long long)sectors * SECTOR);
	snprintf(what, sizeof what, "%s: lseek SEEK_END is its size", path);
	CHECK_EQ(what, lseek(fd, 0, SEEK_END), sectors * SECTOR);
	snprintf(what, sizeof what, "%s: its sector 0 is the disk's %lld", path,
		 (long long)start);
	CHECK(what, pread(fd, buf, SECTOR, 0) == SECTOR &&
	      is_pattern(buf, (uint64_t)start * SECTOR, SECTOR));
	snprintf(what, sizeof what, "%s: its last sector is the disk's %lld%s",
		 path, (long long)(start + sectors - 1),
		 written ? " (written by the first boot)" : "");
	memset(a5, 0xa5, sizeof a5);
	CHECK(what, pread(fd, buf, SECTOR, (sectors - 1) * SECTOR) == SECTOR &&
	      (written ? memcmp(buf, a5, SECTOR) == 0 :
	       is_pattern(buf, (uint64_t)(start + sectors - 1) * SECTOR, SECTOR)));
	snprintf(what, sizeof what, "%s: nothing past its end", path);
	CHECK_EQ(what, pread(fd, buf, SECTOR, sectors * SECTOR), 0);
	snprintf(what, sizeof what, "%s: BLKRRPART on a partition: EINVAL", path);
	CHECK_ERR(what, ioctl(fd, BLKRRPART, 0), EINVAL);
	close(fd);
}

static void test_write(int fd)
{
	unsigned char want[3 * SECTOR], got[3 * SECTOR], buf[2 * SECTOR];
	off_t at = (off_t)UNALIGNED_SECTOR * SECTOR + UNALIGNED_OFF;
	off_t p2_size = (off_t)P2_SECTORS * SECTOR;
	off_t size = (off_t)DISK_SECTORS * SECTOR;
	int p2;

	for (int i = 0; i < 3; i++)
		pattern(UNALIGNED_SECTOR + i, want + i * SECTOR);
	for (int j = 0; j < UNALIGNED_LEN; j++)
		want[UNALIGNED_OFF + j] = (unsigned char)((j * 13 + 5) & 0xff);
	CHECK_EQ("an unaligned pwrite of 1000 bytes across 3 sectors",
		 pwrite(fd, want + UNALIGNED_OFF, UNALIGNED_LEN, at), UNALIGNED_LEN);
	CHECK_EQ("read the 3 sectors back", pread(fd, got, sizeof got,
		 (off_t)UNALIGNED_SECTOR * SECTOR), sizeof got);
	CHECK("the bytes written, the sectors' others unchanged",
	      memcmp(got, want, sizeof got) == 0);
	CHECK_OK("fsync", fsync(fd));
	CHECK_OK("fdatasync", fdatasync(fd));

	CHECK_ERR("pwrite at the disk's end: ENOSPC", pwrite(fd, buf, SECTOR, size),
		  ENOSPC);
	CHECK_EQ("a zero-length pwrite at the end: 0", pwrite(fd, buf, 0, size), 0);
	CHECK_ERR("write from a bad pointer: EFAULT",
		  pwrite(fd, BAD_NULL, SECTOR, (off_t)UNALIGNED_SECTOR * SECTOR), EFAULT);
	CHECK_EQ("and it changed nothing", pread(fd, got, sizeof got,
		 (off_t)UNALIGNED_SECTOR * SECTOR), sizeof got);
	CHECK("(the sectors as before)", memcmp(got, want, sizeof got) == 0);

	p2 = open("/dev/vda2", O_RDWR);
	CHECK_OK("open /dev/vda2 read-write", p2);
	memset(buf, 0xa5, sizeof buf);
	CHECK_EQ("a pwrite across vda2's end is cut at it",
		 pwrite(p2, buf, sizeof buf, p2_size - SECTOR), SECTOR);
	CHECK_ERR("a pwrite at vda2's end: ENOSPC", pwrite(p2, buf, SECTOR, p2_size),
		  ENOSPC);
	CHECK_OK("fsync on a partition", fsync(p2));
	close(p2);
	CHECK_EQ("the disk's sector after vda2", pread(fd, got, SECTOR,
		 (off_t)(P2_START + P2_SECTORS) * SECTOR), SECTOR);
	CHECK("is untouched", is_pattern(got, (uint64_t)(P2_START + P2_SECTORS) * SECTOR,
					 SECTOR));
	CHECK_EQ("vda2's last sector read through the disk",
		 pread(fd, got, SECTOR, (off_t)(P2_START + P2_SECTORS - 1) * SECTOR),
		 SECTOR);
	CHECK("holds what was written", memcmp(got, buf, SECTOR) == 0);
}

static void test_roset(void)
{
	unsigned char buf[SECTOR];
	int fd = open("/dev/vda1", O_RDWR), n = 1;

	CHECK_OK("open /dev/vda1 read-write", fd);
	CHECK_EQ("pread its sector 0", pread(fd, buf, SECTOR, 0), SECTOR);
	CHECK_OK("BLKROSET 1 on vda1", ioctl(fd, BLKROSET, &n));
	n = 0;
	CHECK(("BLKROGET then says read-only"),
	      ioctl(fd, BLKROGET, &n) == 0 && n == 1);
	CHECK_ERR("a write to it: EPERM", pwrite(fd, buf, SECTOR, 0), EPERM);
	n = 0;
	CHECK_OK("BLKROSET 0", ioctl(fd, BLKROSET, &n));
	CHECK_EQ("a write goes through again (the same bytes)",
		 pwrite(fd, buf, SECTOR, 0), SECTOR);
	CHECK_ERR("BLKROSET from a bad pointer: EFAULT",
		  ioctl(fd, BLKROSET, BAD_NULL), EFAULT);
	close(fd);
}

static void test_rrpart(int fd)
{
	int p1 = open("/dev/vda1", O_RDONLY);

	CHECK_OK("open /dev/vda1", p1);
	CHECK_ERR("BLKRRPART while a partition is open: EBUSY",
		  ioctl(fd, BLKRRPART, 0), EBUSY);
	close(p1);
	CHECK_OK("BLKRRPART with none open", ioctl(fd, BLKRRPART, 0));
	test_partition("/dev/vda1", P1_START, P1_SECTORS, 0);
}

static void test_readonly(void)
{
	unsigned char buf[SECTOR];
	int n = 0, fd = open("/dev/vdb", O_RDWR);

	CHECK_OK("open read-only vdb O_RDWR", fd);
	CHECK(("BLKROGET says read-only"), ioctl(fd, BLKROGET, &n) == 0 && n == 1);
	CHECK_EQ("it reads", pread(fd, buf, SECTOR, 7 * SECTOR), SECTOR);
	CHECK("its sector 7", is_pattern(buf, 7 * SECTOR, SECTOR));
	CHECK_EQ("lseek SEEK_END is 1 MiB", lseek(fd, 0, SEEK_END),
		 RO_SECTORS * SECTOR);
	CHECK_ERR("a write: EPERM", pwrite(fd, buf, SECTOR, 0), EPERM);
	CHECK_ERR("a zero-length write: EPERM as well", pwrite(fd, buf, 0, 0),
		  EPERM);
	CHECK_OK("fsync", fsync(fd));
	close(fd);
}

static void test_proc_partitions(void)
{
	static const struct {
		unsigned minor;
		unsigned long long blocks;
		const char *name;
	} want[] = {
		{ 0, DISK_SECTORS / 2, "vda" },
		{ 1, P1_SECTORS / 2, "vda1" },
		{ 2, P2_SECTORS / 2, "vda2" },
		{ 16, RO_SECTORS / 2, "vdb" },
	};
	char text[4096], line[128], what[96];
	int fd = open("/proc/partitions", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, text, sizeof text - 1) : -1;

	CHECK("/proc/partitions reads", n > 0);
	text[n > 0 ? n : 0] = 0;
	close(fd);
	CHECK("its header and blank line",
	      strncmp(text, "major minor  #blocks  name\n\n", 28) == 0);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		snprintf(line, sizeof line, "\n%4d  %7u %10llu %s\n",
			 VIRTBLK_MAJOR, want[i].minor, want[i].blocks, want[i].name);
		snprintf(what, sizeof what, "a line for %s, in Linux's format",
			 want[i].name);
		CHECK(what, strstr(text + 27, line) != NULL);
	}
}

/* The mark of the previous boot, then this boot's. */
static void test_persist(int fd, int boot)
{
	unsigned char buf[SECTOR], want[SECTOR];
	off_t at = (off_t)MARK_SECTOR * SECTOR;

	if (boot == 2) {
		mark(1, want);
		CHECK("the first boot's mark survived the reboot",
		      pread(fd, buf, SECTOR, at) == SECTOR &&
		      memcmp(buf, want, SECTOR) == 0);
	}
	mark(boot, want);
	CHECK_EQ("write this boot's mark", pwrite(fd, want, SECTOR, at), SECTOR);
	CHECK_OK("fsync it", fsync(fd));
}

int main(void)
{
	const char *b = getenv("DISK_BOOT");
	int boot = b ? atoi(b) : 0;
	int fd;

	TEST_BEGIN("disk_blk");
	CHECK("DISK_BOOT is 1 or 2 (run by the disk suite)",
	      boot == 1 || boot == 2);
	test_nodes();
	fd = open("/dev/vda", O_RDWR);
	CHECK_OK("open /dev/vda read-write", fd);
	test_ioctls(fd);
	test_seek(fd);
	test_read(fd);
	test_partition("/dev/vda1", P1_START, P1_SECTORS, 0);
	test_partition("/dev/vda2", P2_START, P2_SECTORS, boot == 2);
	test_write(fd);
	test_roset();
	test_rrpart(fd);
	test_readonly();
	test_proc_partitions();
	test_persist(fd, boot);
	close(fd);
	return TEST_END();
}
