/*
 * abi_usercopy.c - the kernel's user copy, end to end: every length
 * 0..4097 at every source and destination alignment through a tmpfs file
 * and a pipe arrives byte-exact, and a user buffer that runs into an
 * unmapped or PROT_NONE page gives Linux's result (a partial count or
 * EFAULT, and for pipes Linux's rule of what stays buffered).
 */
#include "check.h"
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>

#define T "abi_usercopy"
#define PG 4096
#define MAXLEN (PG + 1)
#define DIR "/usercopy"

static unsigned char pattern[MAXLEN + 16];

/* Bytes that differ at every position of a page and every alignment. */
static void fill_pattern(void)
{
	for (unsigned i = 0; i < sizeof pattern; i++)
		pattern[i] = (unsigned char)(i * 131 + (i >> 8) * 7 + 1);
}

/*
 * Buffer @dst (@len bytes at alignment @al of a 16-aligned area) holds
 * pattern + @src_al, and the 8 bytes either side still hold 0xa5.
 */
static int landed(const unsigned char *area, unsigned al, size_t len,
		  unsigned src_al)
{
	for (unsigned i = 0; i < 8; i++)
		if (area[i] != 0xa5 || area[8 + al + len + i] != 0xa5)
			return 0;
	return !memcmp(area + 8 + al, pattern + src_al, len);
}

/*
 * Every length 0..MAXLEN: pwrite from a source at alignment a to a file
 * offset at alignment (a + len) % 8, then pread into a destination at
 * alignment (a + 3 * len) % 8. Over eight consecutive lengths each of
 * the user and kernel sides meets all 64 alignment pairs.
 */
static void test_file_sweep(int fd)
{
	static unsigned char area[MAXLEN + 32] __attribute__((aligned(16)));
	long bad_write = -1, bad_read = -1, bad_data = -1;

	for (size_t len = 0; len <= MAXLEN; len++) {
		for (unsigned a = 0; a < 8; a++) {
			unsigned da = (unsigned)(a + 3 * len) % 8;
			off_t off = PG - 8 + (off_t)((a + len) % 8);

			if (pwrite(fd, pattern + a, len, off) != (ssize_t)len &&
			    bad_write < 0)
				bad_write = (long)len;
			memset(area, 0xa5, len + 24);
			if (pread(fd, area + 8 + da, len, off) != (ssize_t)len &&
			    bad_read < 0)
				bad_read = (long)len;
			if (!landed(area, da, len, a) && bad_data < 0)
				bad_data = (long)(len * 8 + a);
		}
	}
	CHECK_EQ("tmpfs pwrite: all lengths 0..4097, 8 alignments", bad_write, -1);
	CHECK_EQ("tmpfs pread: all lengths 0..4097, 8 alignments", bad_read, -1);
	CHECK_EQ("tmpfs round trip byte-exact, no byte outside the buffer (len*8+align)",
		 bad_data, -1);
}

/* The same through a pipe: write at alignment len % 8, read at len / 8 % 8. */
static void test_pipe_sweep(void)
{
	static unsigned char area[MAXLEN + 32] __attribute__((aligned(16)));
	long bad_write = -1, bad_read = -1, bad_data = -1;
	int p[2];

	if (pipe(p)) {
		CHECK_OK("pipe", -1);
		return;
	}
	for (size_t len = 0; len <= MAXLEN; len++) {
		unsigned sa = len % 8, da = len / 8 % 8;

		if (write(p[1], pattern + sa, len) != (ssize_t)len &&
		    bad_write < 0)
			bad_write = (long)len;
		memset(area, 0xa5, len + 24);
		if (len && read(p[0], area + 8 + da, len) != (ssize_t)len &&
		    bad_read < 0)
			bad_read = (long)len;
		if (!landed(area, da, len, sa) && bad_data < 0)
			bad_data = (long)len;
	}
	CHECK_EQ("pipe write: all lengths 0..4097", bad_write, -1);
	CHECK_EQ("pipe read: all lengths 0..4097", bad_read, -1);
	CHECK_EQ("pipe round trip byte-exact, no byte outside the buffer",
		 bad_data, -1);
	close(p[0]);
	close(p[1]);
}

/*
 * Two pages: the first read-write, the second made inaccessible by
 * @how ("unmapped" or "PROT_NONE"). Returns the start of the first.
 */
static unsigned char *edge_pages(const char *how)
{
	unsigned char *m = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		return NULL;
	memset(m, 0x5a, 2 * PG);
	if (!strcmp(how, "unmapped"))
		munmap(m + PG, PG);
	else
		mprotect(m + PG, PG, PROT_NONE);
	return m;
}

/* Reads and writes of a tmpfs file with a buffer that runs off the edge. */
static void test_file_edge(int fd, const char *how)
{
	unsigned char *m = edge_pages(how), *edge;
	char what[120];

	if (!m) {
		CHECK_OK("mmap", -1);
		return;
	}
	edge = m + PG;
	pwrite(fd, pattern, MAXLEN, 0);

	/* read: the bytes that fit before the edge, exactly. */
	for (unsigned fit = 1; fit <= 13; fit += 4) {
		lseek(fd, 0, SEEK_SET);
		snprintf(what, sizeof what,
			 "tmpfs read %u bytes before a %s page: count", fit, how);
		CHECK_EQ(what, read(fd, edge - fit, 200), fit);
		snprintf(what, sizeof what,
			 "tmpfs read %u bytes before a %s page: data", fit, how);
		CHECK(what, !memcmp(edge - fit, pattern, fit));
		snprintf(what, sizeof what,
			 "tmpfs read %u bytes before a %s page: offset", fit, how);
		CHECK_EQ(what, lseek(fd, 0, SEEK_CUR), fit);
	}
	lseek(fd, 0, SEEK_SET);
	snprintf(what, sizeof what, "tmpfs read of a page-aligned buffer into a %s page", how);
	CHECK_EQ(what, read(fd, m, 2 * PG), PG);
	snprintf(what, sizeof what, "tmpfs read 3996 bytes then a %s page", how);
	CHECK_EQ(what, pread(fd, m + 100, PG, 1), PG - 100);
	snprintf(what, sizeof what, "tmpfs read 3996 bytes then a %s page: data", how);
	CHECK(what, !memcmp(m + 100, pattern + 1, PG - 100));
	lseek(fd, 5, SEEK_SET);
	snprintf(what, sizeof what, "tmpfs read into a %s page: EFAULT", how);
	CHECK_ERR(what, read(fd, edge, 10), EFAULT);
	snprintf(what, sizeof what, "tmpfs read into a %s page: offset unchanged", how);
	CHECK_EQ(what, lseek(fd, 0, SEEK_CUR), 5);

	/* write: the bytes before the edge go in, exactly. */
	memcpy(edge - 100, pattern, 100);
	ftruncate(fd, 0);
	snprintf(what, sizeof what, "tmpfs write 100 bytes then a %s page: count", how);
	CHECK_EQ(what, pwrite(fd, edge - 100, 200, 3), 100);
	struct stat st;
	fstat(fd, &st);
	snprintf(what, sizeof what, "tmpfs write 100 bytes then a %s page: size", how);
	CHECK_EQ(what, st.st_size, 103);
	unsigned char back[100];
	pread(fd, back, 100, 3);
	snprintf(what, sizeof what, "tmpfs write 100 bytes then a %s page: data", how);
	CHECK(what, !memcmp(back, pattern, 100));
	memcpy(m, pattern, PG);
	snprintf(what, sizeof what, "tmpfs write 4093 bytes then a %s page", how);
	CHECK_EQ(what, pwrite(fd, m + 3, 2 * PG, 0), PG - 3);
	ftruncate(fd, 0);
	snprintf(what, sizeof what, "tmpfs write from a %s page: EFAULT", how);
	CHECK_ERR(what, pwrite(fd, edge, 10, 0), EFAULT);
	fstat(fd, &st);
	snprintf(what, sizeof what, "tmpfs write from a %s page: size unchanged", how);
	CHECK_EQ(what, st.st_size, 0);
	munmap(m, 2 * PG);
}

static int pipe_avail(int fd)
{
	int n = -1;

	ioctl(fd, FIONREAD, &n);
	return n;
}

/* A new empty pipe in p[], closing the old one if open. */
static int fresh_pipe(int p[2])
{
	if (p[0] >= 0) {
		close(p[0]);
		close(p[1]);
	}
	return pipe(p);
}

/*
 * Pipes move whole buffers (pages): a buffer that is copied only in part
 * is neither consumed by read nor added by write, as on Linux 6.1; the
 * call returns what whole buffers moved, or EFAULT. Each case starts
 * from an empty pipe.
 */
static void test_pipe_edge(const char *how)
{
	unsigned char *m = edge_pages(how), *edge, buf[PG + 200];
	char what[120];
	int p[2] = { -1, -1 };

	if (!m || fresh_pipe(p)) {
		CHECK_OK("mmap and pipe", -1);
		return;
	}
	edge = m + PG;

	write(p[1], pattern, 200);
	snprintf(what, sizeof what, "pipe read of one buffer running into a %s page: EFAULT", how);
	CHECK_ERR(what, read(p[0], edge - 100, 200), EFAULT);
	snprintf(what, sizeof what, "pipe read EFAULT consumed nothing (%s)", how);
	CHECK_EQ(what, pipe_avail(p[0]), 200);
	snprintf(what, sizeof what, "pipe read after EFAULT gets every byte (%s)", how);
	CHECK(what, read(p[0], buf, sizeof buf) == 200 && !memcmp(buf, pattern, 200));

	fresh_pipe(p);
	write(p[1], pattern, PG);
	write(p[1], pattern, 200);
	snprintf(what, sizeof what, "pipe read: a whole page, then a %s page", how);
	CHECK_EQ(what, read(p[0], m, PG + 200), PG);
	snprintf(what, sizeof what, "pipe read: the second buffer stays (%s)", how);
	CHECK_EQ(what, pipe_avail(p[0]), 200);

	memcpy(m, pattern, PG);
	fresh_pipe(p);
	snprintf(what, sizeof what, "pipe write of one page running into a %s page: EFAULT", how);
	CHECK_ERR(what, write(p[1], m + 100, PG), EFAULT);
	snprintf(what, sizeof what, "pipe write EFAULT added nothing (%s)", how);
	CHECK_EQ(what, pipe_avail(p[0]), 0);
	fresh_pipe(p);
	snprintf(what, sizeof what, "pipe write of 100 bytes then a %s page: EFAULT", how);
	CHECK_ERR(what, write(p[1], edge - 100, 200), EFAULT);
	fresh_pipe(p);
	snprintf(what, sizeof what, "pipe write: a whole page, then a %s page", how);
	CHECK_EQ(what, write(p[1], m, PG + 100), PG);
	snprintf(what, sizeof what, "pipe write: only the whole page is buffered (%s)", how);
	CHECK(what, pipe_avail(p[0]) == PG && read(p[0], buf, sizeof buf) == PG &&
	      !memcmp(buf, pattern, PG));
	close(p[0]);
	close(p[1]);
	munmap(m, 2 * PG);
}

int main(void)
{
	TEST_BEGIN(T);
	fill_pattern();
	mkdir(DIR, 0755);
	CHECK_OK("mount tmpfs", mount("none", DIR, "tmpfs", 0, NULL));
	int fd = open(DIR "/f", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK_OK("open tmpfs file", fd);
	if (fd >= 0) {
		test_file_sweep(fd);
		test_file_edge(fd, "unmapped");
		test_file_edge(fd, "PROT_NONE");
		close(fd);
	}
	test_pipe_sweep();
	test_pipe_edge("unmapped");
	test_pipe_edge("PROT_NONE");
	unlink(DIR "/f");
	umount(DIR);
	rmdir(DIR);
	return TEST_END();
}
