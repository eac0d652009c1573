/*
 * disk_writeback: files larger than the guest's memory written to ext2,
 * by write() and through a shared mapping, must reach the disk: the
 * page cache writes dirty pages back under pressure rather than fill
 * memory with them. Run by the disk suite in a fifth boot
 * (DISK_BOOT=5, alone, 128 MiB of memory, tests/run.py --wbdisk) with
 * tests/mkext2.py's ext2-wb.img as vda, whose /written and /mapped
 * hold PRE_MB MiB of 0xee bytes (their blocks in place: allocating
 * every block, each a bitmap write, would make the boot slow under
 * TCG; the last FILE_MB - PRE_MB MiB of each are allocated here).
 * Checks: /written overwritten and extended to FILE_MB MiB (more than
 * MemTotal) with write() in 64 KiB pieces, fsync'd, then after sync and
 * drop_caches read back with every 8-byte word right; /mapped extended
 * to FILE_MB MiB with ftruncate (more than MemFree), mapped MAP_SHARED
 * and every word stored through the mapping, the whole mapping still
 * there: its start (long since stored) reads back right with read(),
 * Dirty stays below MemTotal, msync(MS_SYNC) and fsync report no
 * error; then, unmapped, after umount and a fresh mount (nothing of it
 * cached), both files have their size and read() gives every word. The
 * same on Debian's Linux (before the reclaim's writeback, Aramid's
 * mapping was an OOM kill).
 */
#include "check.h"
#include "disk_util.h"
#include <stdint.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>

#define DEV	"/dev/vda"
#define MNT	"/tmp/wb"
#define CHUNK	(64 * 1024)
#define FILE_MB	160		/* each file's size at the end */
#define PRE_MB	152		/* tests/mkext2.py's WB_PRE_MB */
#define WRITE_SEED	0x5772697465000000ULL	/* "Write" */
#define MAP_SEED	0x4d61707065640000ULL	/* "Mapped" */

/* The words of bytes [@off, @off + @len) of a file of seed @seed. */
static void fill(unsigned char *buf, uint64_t off, size_t len, uint64_t seed)
{
	for (size_t i = 0; i + 8 <= len; i += 8) {
		uint64_t w = (off + i) ^ seed;

		memcpy(buf + i, &w, 8);
	}
}

/* Do the @len bytes at @buf, from byte @off, hold seed @seed's words? */
static int words_ok(const unsigned char *buf, uint64_t off, size_t len,
		    uint64_t seed)
{
	for (size_t i = 0; i + 8 <= len; i += 8) {
		uint64_t w;

		memcpy(&w, buf + i, 8);
		if (w != ((off + i) ^ seed))
			return 0;
	}
	return 1;
}

/* Read @len bytes of @path from the start: 1 if every word is right. */
static int read_back(const char *path, off_t len, uint64_t seed)
{
	static unsigned char buf[CHUNK];
	int fd = open(path, O_RDONLY);
	off_t at = 0;
	int ok = fd >= 0;

	while (ok && at < len) {
		ssize_t n = read(fd, buf, CHUNK);

		if (n <= 0 || n % 8 || !words_ok(buf, (uint64_t)at, (size_t)n,
						 seed))
			ok = 0;
		else
			at += n;
	}
	if (ok && read(fd, buf, 1) != 0)
		ok = 0;		/* nothing past the end */
	if (fd >= 0)
		close(fd);
	return ok && at == len;
}

/* Write @len bytes of seed @seed's words over @path: 1 if all went. */
static int write_file(const char *path, off_t len, uint64_t seed)
{
	static unsigned char buf[CHUNK];
	int fd = open(path, O_WRONLY);
	off_t at = 0;
	int ok = fd >= 0;

	while (ok && at < len) {
		fill(buf, (uint64_t)at, CHUNK, seed);
		if (write(fd, buf, CHUNK) != CHUNK)
			ok = 0;
		else
			at += CHUNK;
	}
	if (ok && fsync(fd))
		ok = 0;
	if (fd >= 0 && close(fd))
		ok = 0;
	return ok;
}

static void test_write(long total)
{
	off_t len = (off_t)FILE_MB << 20;
	struct stat st;

	CHECK("it is larger than MemTotal", len > (off_t)total * 1024);
	CHECK("/written holds what the image was made with",
	      stat(MNT "/written", &st) == 0 &&
	      st.st_size == (off_t)PRE_MB << 20);
	CHECK("write() of a file larger than memory, fsync'd",
	      write_file(MNT "/written", len, WRITE_SEED));
	sync();
	CHECK_OK("echo 3 > /proc/sys/vm/drop_caches",
		 write_str("/proc/sys/vm/drop_caches", "3"));
	CHECK("read() gives every word back after drop_caches",
	      read_back(MNT "/written", len, WRITE_SEED));
}

/* Store every word of seed MAP_SEED through the mapping @m of @len. */
static long store_all(unsigned char *m, size_t len)
{
	long dirty_max = 0;

	for (size_t at = 0; at < len; at += CHUNK) {
		fill(m + at, at, CHUNK, MAP_SEED);
		if (at % (16 << 20) == 0) {
			long d = meminfo("Dirty");

			if (d > dirty_max)
				dirty_max = d;
		}
	}
	return dirty_max;
}

static void test_map(long total)
{
	size_t len = (size_t)FILE_MB << 20;
	static unsigned char buf[CHUNK];
	long dirty_max;
	unsigned char *m;
	int fd;

	fd = open(MNT "/mapped", O_RDWR);
	CHECK("open the file to map", fd >= 0);
	if (fd < 0)
		return;
	CHECK_OK("ftruncate it longer, to the mapping's size",
		 ftruncate(fd, (off_t)len));
	CHECK("the mapping is larger than MemFree",
	      (long)(len / 1024) > meminfo("MemFree"));
	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK("mmap it shared, read-write", m != MAP_FAILED);
	if (m == MAP_FAILED) {
		close(fd);
		return;
	}
	dirty_max = store_all(m, len);
	CHECK("Dirty stayed below MemTotal meanwhile",
	      dirty_max >= 0 && dirty_max < total);
	CHECK("its first 64 KiB read() back right, the mapping still there",
	      pread(fd, buf, CHUNK, 0) == CHUNK &&
	      words_ok(buf, 0, CHUNK, MAP_SEED));
	CHECK("and the mapping's own view of them",
	      words_ok(m, 0, CHUNK, MAP_SEED));
	CHECK_OK("msync(MS_SYNC) of the whole mapping: no error",
		 msync(m, len, MS_SYNC));
	CHECK_OK("fsync: no error", fsync(fd));
	CHECK_OK("fsync again: no error", fsync(fd));
	CHECK_OK("munmap", munmap(m, len));
	CHECK_OK("close", close(fd));
}

int main(void)
{
	const char *b = getenv("DISK_BOOT");
	long total;
	struct stat st;

	TEST_BEGIN("disk_writeback");
	if (!b || atoi(b) != 5)
		return TEST_END();	/* the fifth boot's only */
	mkdir(MNT, 0755);
	CHECK_OK("mount -t ext2 " DEV " read-write",
		 mount(DEV, MNT, "ext2", 0, NULL));
	total = meminfo("MemTotal");
	CHECK("MemTotal is known", total > 0);
	test_write(total);
	test_map(total);
	CHECK_OK("umount", umount(MNT));
	CHECK_OK("mount it again", mount(DEV, MNT, "ext2", 0, NULL));
	CHECK("the written file has its size", stat(MNT "/written", &st) == 0 &&
	      st.st_size == (off_t)FILE_MB << 20);
	CHECK("the mapped file has its size", stat(MNT "/mapped", &st) == 0 &&
	      st.st_size == (off_t)FILE_MB << 20);
	CHECK("read() of the written file from the disk: every word",
	      read_back(MNT "/written", (off_t)FILE_MB << 20, WRITE_SEED));
	CHECK("read() of the mapped file from the disk: every word",
	      read_back(MNT "/mapped", (off_t)FILE_MB << 20, MAP_SEED));
	CHECK_OK("umount", umount(MNT));
	return TEST_END();
}
