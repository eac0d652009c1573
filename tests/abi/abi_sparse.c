/* abi_sparse.c - sparse tmpfs files: holes, SEEK_DATA/SEEK_HOLE, truncate, huge offsets, size= limits. */
#include "check.h"
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#define T "abi_sparse"
#define PG 4096L
#define GIB (1L << 30)
#define FAR (100 * GIB)

static long long bfree(void)
{
	struct statfs sf;

	return statfs(".", &sf) == 0 ? (long long)sf.f_bfree : -1;
}

static long long blocks(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 ? (long long)st.st_blocks : -1;
}

static long long size(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 ? (long long)st.st_size : -1;
}

/* True if @n bytes at @off read back as zeros. */
static int reads_zero(int fd, off_t off, size_t n)
{
	char buf[8192];

	memset(buf, 0x55, sizeof buf);
	if (n > sizeof buf || pread(fd, buf, n, off) != (ssize_t)n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (buf[i])
			return 0;
	return 1;
}

/* One byte at 100 GiB: a page of memory, not an array for 100 GiB. */
static void test_far_byte(void)
{
	long long before = bfree(), after;
	char buf[4];
	int fd = open("far", O_RDWR | O_CREAT | O_TRUNC, 0644);

	CHECK("open far", fd >= 0);
	CHECK_EQ("pwrite 1 byte at 100 GiB", pwrite(fd, "z", 1, FAR), 1);
	CHECK_EQ("st_size is 100 GiB + 1", size(fd), FAR + 1);
	CHECK_EQ("st_blocks is one page", blocks(fd), 8);
	after = bfree();
	CHECK("statfs f_bfree barely changes (< 64 pages)",
	      before >= 0 && after >= 0 && before - after < 64);
	CHECK("a hole at 50 GiB reads as zeros", reads_zero(fd, 50 * GIB, 8192));
	CHECK("the page of the byte reads zeros before it", reads_zero(fd, FAR - 100, 100));
	CHECK_EQ("pread across the byte stops at EOF", pread(fd, buf, 4, FAR - 2), 3);
	CHECK("pread gives \\0\\0z", memcmp(buf, "\0\0z", 3) == 0);
	CHECK_EQ("st_blocks unchanged by reading holes", blocks(fd), 8);

	CHECK_EQ("SEEK_DATA from 0", lseek(fd, 0, SEEK_DATA), FAR);
	CHECK_EQ("SEEK_HOLE from 0", lseek(fd, 0, SEEK_HOLE), 0);
	CHECK_EQ("SEEK_HOLE from 1 GiB + 5", lseek(fd, GIB + 5, SEEK_HOLE), GIB + 5);
	CHECK_EQ("SEEK_DATA inside the data page", lseek(fd, FAR, SEEK_DATA), FAR);
	CHECK_EQ("SEEK_HOLE inside the data page: EOF", lseek(fd, FAR, SEEK_HOLE), FAR + 1);
	CHECK_EQ("file position follows SEEK_HOLE", lseek(fd, 0, SEEK_CUR), FAR + 1);
	CHECK_ERR("SEEK_DATA at EOF: ENXIO", lseek(fd, FAR + 1, SEEK_DATA), ENXIO);
	CHECK_ERR("SEEK_HOLE at EOF: ENXIO", lseek(fd, FAR + 1, SEEK_HOLE), ENXIO);
	CHECK_ERR("SEEK_DATA past EOF: ENXIO", lseek(fd, FAR + 5 * PG, SEEK_DATA), ENXIO);
	CHECK_ERR("SEEK_HOLE at -1: ENXIO", lseek(fd, -1, SEEK_HOLE), ENXIO);

	/* Growing costs nothing, and the tail past the data is a hole. */
	CHECK_OK("ftruncate up by 3 pages", ftruncate(fd, FAR + 3 * PG));
	CHECK_EQ("st_blocks after growing", blocks(fd), 8);
	CHECK_EQ("SEEK_HOLE after the data page", lseek(fd, FAR + 10, SEEK_HOLE), FAR + PG);
	CHECK_ERR("SEEK_DATA in the grown tail: ENXIO", lseek(fd, FAR + PG, SEEK_DATA), ENXIO);
	CHECK_EQ("SEEK_DATA mid-page gives the offset", lseek(fd, FAR + 100, SEEK_DATA), FAR + 100);

	/* Shrinking frees the page; growing again reads zeros. */
	CHECK_OK("ftruncate down to 1 page", ftruncate(fd, PG));
	CHECK_EQ("st_blocks after shrinking", blocks(fd), 0);
	CHECK_ERR("SEEK_DATA in an empty file of 1 page: ENXIO", lseek(fd, 0, SEEK_DATA), ENXIO);
	CHECK_EQ("SEEK_HOLE in an empty file of 1 page", lseek(fd, 0, SEEK_HOLE), 0);
	CHECK_OK("ftruncate up to 1 TiB", ftruncate(fd, 1L << 40));
	CHECK_EQ("st_size 1 TiB", size(fd), 1L << 40);
	CHECK_EQ("st_blocks 0 for 1 TiB of hole", blocks(fd), 0);
	CHECK("the old byte's place reads zero", reads_zero(fd, FAR, 1));
	CHECK("the last bytes of 1 TiB read zero", reads_zero(fd, (1L << 40) - 16, 16));

	/* A cut inside a page zeroes the cut part. */
	CHECK_EQ("pwrite abcdef at 0", pwrite(fd, "abcdef", 6, 0), 6);
	CHECK_OK("ftruncate to 3", ftruncate(fd, 3));
	CHECK_OK("ftruncate to 2 pages", ftruncate(fd, 2 * PG));
	memset(buf, 0x55, sizeof buf);
	CHECK_EQ("pread 4 at 2", pread(fd, buf, 4, 2), 4);
	CHECK("the cut bytes read zero", memcmp(buf, "c\0\0\0", 4) == 0);
	close(fd);
	unlink("far");
	after = bfree();
	CHECK("statfs f_bfree back after unlink", before >= 0 && after >= 0 && before - after < 64);
}

/* The largest offsets: Linux's MAX_LFS_FILESIZE is 2^63 - 1. */
static void test_huge_offsets(void)
{
	int fd = open("huge", O_RDWR | O_CREAT | O_TRUNC, 0644);
	char c = 0;

	CHECK("open huge", fd >= 0);
	CHECK_EQ("pwrite at 2^62", pwrite(fd, "h", 1, 1L << 62), 1);
	CHECK_EQ("st_size 2^62 + 1", size(fd), (1L << 62) + 1);
	CHECK_EQ("st_blocks one page", blocks(fd), 8);
	CHECK_EQ("pread at 2^62", pread(fd, &c, 1, 1L << 62), 1);
	CHECK_EQ("pread at 2^62 gives the byte", c, 'h');
	CHECK_EQ("lseek SEEK_DATA finds 2^62", lseek(fd, 0, SEEK_DATA), 1L << 62);
	CHECK_EQ("pwrite of the last byte (2^63 - 2)", pwrite(fd, "e", 1, INT64_MAX - 1), 1);
	CHECK_EQ("st_size 2^63 - 1", size(fd), INT64_MAX);
	CHECK_ERR("pwrite 1 byte at 2^63 - 1: EINVAL (past off_t)", pwrite(fd, "x", 1, INT64_MAX), EINVAL);
	CHECK_ERR("pwrite 2 bytes at 2^63 - 2: EINVAL", pwrite(fd, "xy", 2, INT64_MAX - 1), EINVAL);
	CHECK_ERR("pread 1 byte at 2^63 - 1: EINVAL", pread(fd, &c, 1, INT64_MAX), EINVAL);
	CHECK_EQ("pwrite 0 bytes at 2^63 - 1", pwrite(fd, "x", 0, INT64_MAX), 0);
	close(fd);
	fd = open("huge", O_WRONLY | O_APPEND);
	CHECK_ERR("O_APPEND write at size 2^63 - 1: EFBIG", write(fd, "x", 1), EFBIG);
	CHECK_EQ("st_size unchanged", size(fd), INT64_MAX);
	CHECK_OK("ftruncate to 2^63 - 1", ftruncate(fd, INT64_MAX));
	CHECK_ERR("ftruncate to -1: EINVAL", ftruncate(fd, -1), EINVAL);
	close(fd);
	unlink("huge");
}

/* Many pages far apart, found again by reading and by seeking. */
static void test_scattered(void)
{
	enum { N = 300 };
	long long before = bfree();
	int fd = open("scatter", O_RDWR | O_CREAT | O_TRUNC, 0644);
	int ok = 1, found = 0;
	off_t off;
	char *map;

	CHECK("open scatter", fd >= 0);
	for (int i = 0; i < N; i++) {
		off_t at = (off_t)i * 7919 * PG * 13 + (i % 4096);
		char c = (char)('A' + i % 26);

		ok &= pwrite(fd, &c, 1, at) == 1;
	}
	CHECK("300 scattered pwrites", ok);
	CHECK_EQ("st_blocks counts 300 pages", blocks(fd), N * 8);
	ok = 1;
	for (int i = 0; i < N; i++) {
		off_t at = (off_t)i * 7919 * PG * 13 + (i % 4096);
		char c = 0;

		ok &= pread(fd, &c, 1, at) == 1 && c == 'A' + i % 26;
		ok &= i == 0 || reads_zero(fd, at - 1, 1);
	}
	CHECK("every scattered byte reads back", ok);
	ok = 1;
	for (off = 0; (off = lseek(fd, off, SEEK_DATA)) >= 0; found++) {
		off_t expect = (off_t)found * 7919 * PG * 13;

		ok &= off == expect;
		ok &= lseek(fd, off, SEEK_HOLE) == (found == N - 1 ?
			size(fd) : expect + PG);
		off += PG;
	}
	CHECK("the SEEK_DATA walk ends with ENXIO", errno == ENXIO);
	CHECK_EQ("SEEK_DATA walk finds 300 data pages", found, N);
	CHECK("each data page's hole follows it", ok);

	/* A run of pages is one data extent. */
	for (int i = 0; i < 10; i++)
		ok &= pwrite(fd, "r", 1, GIB + i * PG + 7) == 1;
	CHECK_EQ("SEEK_DATA into a run", lseek(fd, GIB - 5 * PG, SEEK_DATA), GIB);
	CHECK_EQ("SEEK_HOLE after a run of 10 pages", lseek(fd, GIB + 3, SEEK_HOLE), GIB + 10 * PG);

	/* A shared mapping of a hole: its store allocates the page. */
	map = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 2 * GIB);
	CHECK("mmap a hole at 2 GiB", map != MAP_FAILED);
	if (map != MAP_FAILED) {
		char c = 0;

		CHECK_EQ("the mapped hole reads zero", map[100], 0);
		map[100] = 'm';
		CHECK_EQ("st_blocks after storing through the map",
			 blocks(fd), (N + 11) * 8);
		CHECK_EQ("pread sees the store", pread(fd, &c, 1, 2 * GIB + 100), 1);
		CHECK_EQ("pread gives 'm'", c, 'm');
		CHECK_EQ("SEEK_DATA finds the mapped page",
			 lseek(fd, 2 * GIB - PG, SEEK_DATA), 2 * GIB);
		munmap(map, PG);
	}
	CHECK_OK("ftruncate to 0", ftruncate(fd, 0));
	CHECK_EQ("st_blocks 0 after ftruncate 0", blocks(fd), 0);
	close(fd);
	unlink("scatter");
	CHECK("statfs f_bfree back after the scattered file",
	      before >= 0 && before - bfree() < 64);
}

/* size= counts the pages written, wherever they are. */
static void test_size_limit(void)
{
	struct statfs sf;
	int fd, ok = 1;

	CHECK_OK("mkdir lim", mkdir("lim", 0755));
	CHECK_OK("mount tmpfs size=64k", mount("none", "lim", "tmpfs", 0, "size=64k"));
	fd = open("lim/f", O_RDWR | O_CREAT, 0644);
	CHECK("open lim/f", fd >= 0);
	for (int i = 0; i < 16; i++)
		ok &= pwrite(fd, "s", 1, FAR + (off_t)i * 1000 * PG) == 1;
	CHECK("16 scattered pages fit in size=64k", ok);
	CHECK_OK("statfs lim", statfs("lim", &sf));
	CHECK_EQ("f_blocks 16", sf.f_blocks, 16);
	CHECK_EQ("f_bfree 0", sf.f_bfree, 0);
	CHECK_ERR("a 17th page: ENOSPC", pwrite(fd, "s", 1, 7 * GIB), ENOSPC);
	CHECK_EQ("rewriting a page written is fine", pwrite(fd, "t", 1, FAR + 1), 1);
	CHECK_EQ("st_blocks 16 pages", blocks(fd), 16 * 8);
	CHECK_OK("ftruncate keeps 8 pages", ftruncate(fd, FAR + 8 * 1000 * PG));
	CHECK_OK("statfs lim after ftruncate", statfs("lim", &sf));
	CHECK_EQ("f_bfree 8", sf.f_bfree, 8);
	CHECK_EQ("a new page fits again", pwrite(fd, "s", 1, 7 * GIB), 1);
	close(fd);
	CHECK_OK("umount lim", umount("lim"));
	rmdir("lim");
}

int main(void)
{
	TEST_BEGIN(T);
	test_far_byte();
	test_huge_offsets();
	test_scattered();
	test_size_limit();
	return TEST_END();
}
