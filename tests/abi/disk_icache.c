/*
 * disk_icache: the inode cache of a disk filesystem, as Linux keeps
 * unused inodes and their pages. On tests/mkext2.py's ext2-icache.img as
 * vdk (read-write; /data, DATA_KB KiB, each 8-byte word its offset), in
 * the disk suite's first and second boots, counting the sectors read
 * from vdk (/sys/block/vdk/stat's third field) around each read of
 * /data, each by a fresh open: the first read reads the file from the
 * disk, a second one none of it (the inode and its pages outlived the
 * close; only the directory look-up may touch the disk); after
 * drop_caches 1 (the pages) and 3 (the pages, then the unused inodes)
 * it comes from the disk again, and is cached again after, but not
 * after 2 alone (an inode's cached pages keep it from the inode
 * shrinker, as on Linux since 5.16).
 * A cached inode keeps what was written through an earlier open (size,
 * bytes), and one name of a linked file going keeps the cache of the
 * other. Unlinking a file open elsewhere keeps its blocks until the
 * last close (statfs's f_bfree), and unlinking one nothing holds (its
 * inode cached) frees them at once; its name made again is a new, empty
 * file. umount is EBUSY while a file is open and works after its close
 * with inodes cached; after a new mount /data comes from the disk
 * again. The files it makes are gone at the end, so the host's
 * e2fsck -fn finds the image clean (tests/disk.py). The same on
 * Debian's Linux.
 */
#include "check.h"
#include "disk_util.h"
#include <stdint.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#define DEV		"/dev/vdk"
#define MNT		"/tmp/icache"
#define DATA		MNT "/data"
#define DATA_KB		2048	/* tests/mkext2.py's ICACHE_DATA_KB */
#define DATA_SECTORS	(DATA_KB * 2)
/* What a look-up may read when the data comes from the cache: the
 * directory's blocks (there is no dentry cache here; Linux reads none). */
#define LOOKUP_SECTORS	16
#define VICTIM_KB	1024
#define GONE_KB		256
#define CHUNK		(64 * 1024)

/* Sectors read from vdk so far (/sys/block/vdk/stat's third field). */
static long long sectors_read(void)
{
	char buf[512];
	unsigned long long ios, merged, sectors;

	if (slurp("/sys/block/vdk/stat", buf, sizeof buf) < 0 ||
	    sscanf(buf, "%llu %llu %llu", &ios, &merged, &sectors) != 3)
		return -1;
	return (long long)sectors;
}

/* Open @path anew and read it whole: 1 if it has @size bytes, each
 * 8-byte word its offset. */
static int read_words(const char *path, off_t size)
{
	static unsigned char buf[CHUNK];
	off_t at = 0;
	int fd = open(path, O_RDONLY), ok = fd >= 0;

	while (ok) {
		ssize_t n = read(fd, buf, CHUNK);

		if (n == 0)
			break;
		if (n < 0 || n % 8)
			ok = 0;
		for (ssize_t i = 0; ok && i < n; i += 8) {
			uint64_t w;

			memcpy(&w, buf + i, 8);
			ok = w == (uint64_t)(at + i);
		}
		at += n > 0 ? n : 0;
	}
	if (fd >= 0)
		close(fd);
	return ok && at == size;
}

/* Read /data by a fresh open: the sectors read from vdk meanwhile, or -1
 * if its bytes are wrong. */
static long long read_data(void)
{
	long long before = sectors_read();

	if (!read_words(DATA, DATA_KB * 1024))
		return -1;
	return sectors_read() - before;
}

/* A cached read: the data right, and no more than a look-up's sectors. */
static void check_cached(const char *what)
{
	long long n = read_data();
	char line[160];

	snprintf(line, sizeof line, "%s: /data right, none of it from the "
		 "disk (%lld sectors read)", what, n);
	CHECK(line, n >= 0 && n <= LOOKUP_SECTORS);
}

/* A read from the disk: the data right, all of it read from vdk. */
static void check_uncached(const char *what)
{
	long long n = read_data();
	char line[160];

	snprintf(line, sizeof line, "%s: /data right, read from the disk "
		 "(%lld sectors)", what, n);
	CHECK(line, n >= DATA_SECTORS);
}

/* Make @path of @kb KiB of byte @c, fsync'd: 0 or -1. */
static int make_file(const char *path, unsigned kb, int c)
{
	static char buf[1024];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644), ok = fd >= 0;

	memset(buf, c, sizeof buf);
	for (unsigned i = 0; ok && i < kb; i++)
		ok = write(fd, buf, sizeof buf) == sizeof buf;
	if (ok)
		ok = fsync(fd) == 0;
	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

/* Free blocks of the mount (statfs's f_bfree), -1 on failure. */
static long long bfree(void)
{
	struct statfs st;

	return statfs(MNT, &st) ? -1 : (long long)st.f_bfree;
}

static void test_drop_caches(void)
{
	check_uncached("the first read");
	check_cached("read again, reopened");
	check_cached("and again");
	CHECK_OK("echo 1 > /proc/sys/vm/drop_caches",
		 write_str("/proc/sys/vm/drop_caches", "1"));
	check_uncached("after drop_caches 1");
	check_cached("cached again after");
	CHECK_OK("echo 2 > /proc/sys/vm/drop_caches",
		 write_str("/proc/sys/vm/drop_caches", "2"));
	check_cached("after drop_caches 2 alone (its pages pin the inode)");
	CHECK_OK("sync", (sync(), 0));
	CHECK_OK("echo 3 > /proc/sys/vm/drop_caches",
		 write_str("/proc/sys/vm/drop_caches", "3"));
	check_uncached("after drop_caches 3");
	check_cached("cached again after drop_caches 3");
}

/* A cached inode keeps what an earlier open wrote. */
static void test_write_kept(void)
{
	char buf[8192], c;
	struct stat st;
	int fd;

	CHECK_OK("make " MNT "/new (8 KiB of 'a')",
		 make_file(MNT "/new", 8, 'a'));
	fd = open(MNT "/new", O_WRONLY | O_APPEND);
	CHECK("append 'b' to it through a second open",
	      fd >= 0 && write(fd, "b", 1) == 1 && close(fd) == 0);
	CHECK("a third open sees the size 8193",
	      stat(MNT "/new", &st) == 0 && st.st_size == 8193);
	fd = open(MNT "/new", O_RDONLY);
	CHECK("and reads 8192 'a' then 'b'",
	      fd >= 0 && read(fd, buf, sizeof buf) == sizeof buf &&
	      buf[0] == 'a' && buf[8191] == 'a' && read(fd, &c, 1) == 1 &&
	      c == 'b' && read(fd, &c, 1) == 0);
	if (fd >= 0)
		close(fd);
	CHECK_OK("unlink " MNT "/new", unlink(MNT "/new"));

	CHECK_OK("link /data /data-link", link(DATA, MNT "/data-link"));
	CHECK("/data has 2 links", stat(DATA, &st) == 0 && st.st_nlink == 2);
	CHECK_OK("unlink /data-link", unlink(MNT "/data-link"));
	CHECK("/data has 1 link again", stat(DATA, &st) == 0 &&
	      st.st_nlink == 1);
	check_cached("/data after its other name went");
}

/* Blocks of an unlinked file go at its last close, or at once. */
static void test_unlink(void)
{
	long long before, during;
	struct stat st;
	char c;
	int fd;

	CHECK_OK("make /victim (1 MiB)",
		 make_file(MNT "/victim", VICTIM_KB, 'v'));
	before = bfree();
	fd = open(MNT "/victim", O_RDONLY);
	CHECK_OK("open /victim", fd);
	CHECK_OK("unlink it while it is open", unlink(MNT "/victim"));
	during = bfree();
	CHECK_EQ("f_bfree unchanged while it is open", during, before);
	CHECK("it reads on, with no link",
	      fstat(fd, &st) == 0 && st.st_nlink == 0 &&
	      pread(fd, &c, 1, VICTIM_KB * 1024 - 1) == 1 && c == 'v');
	CHECK_OK("close it", close(fd));
	CHECK("its blocks are free after the close",
	      before >= 0 && bfree() >= before + VICTIM_KB);

	CHECK_OK("make /gone (256 KiB)", make_file(MNT "/gone", GONE_KB, 'g'));
	fd = open(MNT "/gone", O_RDONLY);
	CHECK("read it and close it (its inode cached)",
	      fd >= 0 && read(fd, &c, 1) == 1 && c == 'g' && close(fd) == 0);
	before = bfree();
	CHECK_OK("unlink it, nothing holding it", unlink(MNT "/gone"));
	CHECK("its blocks are free at once",
	      before >= 0 && bfree() >= before + GONE_KB);
	CHECK_ERR("stat it: ENOENT", stat(MNT "/gone", &st), ENOENT);
	fd = open(MNT "/gone", O_RDWR | O_CREAT | O_EXCL, 0644);
	CHECK("the name made again is a new, empty file",
	      fd >= 0 && fstat(fd, &st) == 0 && st.st_size == 0 &&
	      st.st_nlink == 1 && read(fd, &c, 1) == 0);
	if (fd >= 0)
		close(fd);
	CHECK_OK("unlink it again", unlink(MNT "/gone"));
}

static void test_umount(void)
{
	int fd = open(DATA, O_RDONLY);

	CHECK_OK("open /data", fd);
	CHECK_ERR("umount while it is open: EBUSY", umount(MNT), EBUSY);
	if (fd >= 0)
		close(fd);
	CHECK_OK("umount after its close, inodes cached", umount(MNT));
	CHECK_OK("mount it again", mount(DEV, MNT, "ext2", 0, NULL));
	check_uncached("after the new mount");
	check_cached("cached again");
}

int main(void)
{
	const char *b = getenv("DISK_BOOT");

	TEST_BEGIN("disk_icache");
	if (!b || (atoi(b) != 1 && atoi(b) != 2))
		return TEST_END();	/* the first two boots' */
	mkdir(MNT, 0755);
	CHECK_OK("mount -t ext2 " DEV " read-write",
		 mount(DEV, MNT, "ext2", 0, NULL));
	test_drop_caches();
	test_write_kept();
	test_unlink();
	test_umount();
	CHECK_OK("umount", umount(MNT));
	return TEST_END();
}
