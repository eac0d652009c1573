/*
 * disk_ext2m: mmap and exec of ext2 files, as Linux 6.1 (whose ext4
 * driver mounts ext2) gives them. Run by the disk suite, in its first
 * boot, with tests/mkext2.py's ext2.img as vdc (read-only) and ext2w.img
 * as vdg (read-write; everything made here is removed again, before
 * disk_ext2w runs). Checks: a mapping reads what read() does, holes
 * and the end of the last page as zeros, SIGBUS a page past the end; a
 * MAP_PRIVATE write stays private; write() and pwrite() after mmap are
 * seen through the mapping, an append in the last page too; a truncate
 * makes the pages past the end SIGBUS and zeroes the rest of the last
 * page; a shared writable mapping's stores are seen by read() and
 * pwrite() at once and reach the disk by msync, fsync and munmap (a
 * child's too), not past the end of the file; write() from a mapping
 * of a file of the same filesystem; sync, syncfs, fdatasync and
 * sync_file_range write a live mapping's stores to the disk (the raw
 * device read with O_DIRECT finds them), and read() does not; read()
 * in sizes and at offsets read-ahead could get wrong; fault-around maps
 * the cached pages about a fault, inside the file and the mapping;
 * write() from a mapping of the file itself, beside a store not written
 * back, and from a buffer that faults half way;
 * a static and a dynamically linked program (its libc on ext2 too) run
 * from ext2; mapping and running again and again costs no memory, and
 * an umount gives back what the cache took.
 */
#include "check.h"
#include "smaps_util.h"
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/param.h>
#include <sys/mount.h>
#include <sys/stat.h>

#define RO_DEV	"/dev/vdc"
#define RO_MNT	"/tmp/ext2m-ro"
#define RW_DEV	"/dev/vdg"
#define RW_MNT	"/tmp/ext2m"
#define DIR	RW_MNT "/mm"
#define PG	4096
#define CHILD_EXIT 42

static sigjmp_buf jump;
static volatile int got_sig;
static volatile unsigned char sink;	/* where pages are touched */

static void on_fault(int sig)
{
	got_sig = sig;
	siglongjmp(jump, 1);
}

/* The signal reading byte @p raises (0 for none); its value into *@v. */
static int read_sig(const volatile unsigned char *p, unsigned char *v)
{
	got_sig = 0;
	if (!sigsetjmp(jump, 1))
		*v = *p;
	return got_sig;
}

/* The whole of @path into a new buffer; its length into *@len. */
static unsigned char *slurp_all(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	unsigned char *buf;
	ssize_t n;
	size_t got = 0;

	if (fd < 0 || fstat(fd, &st))
		return NULL;
	buf = malloc((size_t)st.st_size + 1);
	while (buf && got < (size_t)st.st_size &&
	       (n = read(fd, buf + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)n;
	close(fd);
	*len = got;
	return buf;
}

static int copy_file(const char *from, const char *to, mode_t mode)
{
	size_t len;
	unsigned char *buf = slurp_all(from, &len);
	int fd, ok;

	if (!buf)
		return -1;
	fd = open(to, O_WRONLY | O_CREAT | O_TRUNC, mode);
	ok = fd >= 0 && write(fd, buf, len) == (ssize_t)len;
	if (fd >= 0)
		close(fd);
	free(buf);
	return ok ? 0 : -1;
}

static long mem_free_kb(void)
{
	char buf[4096], *p;

	if (slurp("/proc/meminfo", buf, sizeof buf) < 0)
		return -1;
	p = strstr(buf, "MemFree:");
	return p ? atol(p + 8) : -1;
}

/* Map @path whole (read-only, private); its length into *@len. */
static unsigned char *map_file(const char *path, int prot, int flags,
			       size_t *len)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	void *p;

	if (fd < 0 || fstat(fd, &st))
		return NULL;
	*len = (size_t)st.st_size;
	p = mmap(NULL, (size_t)st.st_size, prot, flags, fd, 0);
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

/* The read-only image: mappings against read(). */
static void test_read_only(void)
{
	static const char *const files[] = { "/dind", "/sparse", "/indirect",
					     "/one", "/small" };
	char path[64];

	mkdir(RO_MNT, 0755);
	CHECK_OK("mount -t ext2 " RO_DEV " read-only",
		 mount(RO_DEV, RO_MNT, "ext2", MS_RDONLY, NULL));
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char what[128];
		size_t len, mlen;
		unsigned char *data, *m;

		snprintf(path, sizeof path, RO_MNT "%s", files[i]);
		data = slurp_all(path, &len);
		m = map_file(path, PROT_READ, MAP_PRIVATE, &mlen);
		snprintf(what, sizeof what, "mmap of %s reads what read() does",
			 files[i]);
		CHECK(what, data && m && mlen == len && !memcmp(m, data, len));
		if (m && len % PG) {
			unsigned char v = 1;
			size_t end = (len + PG - 1) / PG * PG;
			int zero = 1;

			for (size_t j = len; j < end; j++)
				zero &= read_sig(m + j, &v) == 0 && v == 0;
			snprintf(what, sizeof what,
				 "%s: the last page is zero past the end",
				 files[i]);
			CHECK(what, zero);
		}
		if (m)
			munmap(m, mlen);
		free(data);
	}

	size_t len;
	unsigned char v, *m;
	int fd = open(RO_MNT "/dind", O_RDONLY);

	m = mmap(NULL, 80 * PG, PROT_READ, MAP_SHARED, fd, 0);
	CHECK("MAP_SHARED of a file open read-only", m != MAP_FAILED);
	if (m != MAP_FAILED) {
		CHECK_EQ("a page past the end: SIGBUS", read_sig(m + 76 * PG, &v),
			 SIGBUS);
		CHECK_ERR("mlock over it: ENOMEM", mlock(m, 80 * PG), ENOMEM);
		munmap(m, 80 * PG);
	}
	m = mmap(NULL, PG, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	CHECK("an executable mapping", m != MAP_FAILED);
	if (m != MAP_FAILED)
		munmap(m, PG);
	m = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK("a private writable mapping of a read-only file",
	      m != MAP_FAILED);
	if (m != MAP_FAILED) {
		unsigned char before[8];

		pread(fd, before, sizeof before, PG);
		memset(m + PG, 0x5a, 8);
		unsigned char after[8];

		CHECK("its write stays private",
		      pread(fd, after, sizeof after, PG) == 8 &&
		      !memcmp(before, after, 8) && m[PG] == 0x5a);
		munmap(m, 2 * PG);
	}
	close(fd);

	/* Mapped and touched again and again: the same pages, no more. */
	long before = mem_free_kb(), after;

	for (int round = 0; round < 30; round++) {
		m = map_file(RO_MNT "/dind", PROT_READ, MAP_PRIVATE, &len);
		if (!m)
			break;
		for (size_t j = 0; j < len; j += PG)
			sink = m[j];
		munmap(m, len);
	}
	after = mem_free_kb();
	CHECK("30 rounds of mapping a 300 KiB file cost no memory",
	      before > 0 && after > before - 512);
	CHECK_OK("umount", umount(RO_MNT));
}

/* A file of @len bytes of pattern: byte i is (i * 7 + 3) & 0xff. */
static int make_pattern(const char *path, size_t len)
{
	unsigned char *buf = malloc(len);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644), ok;

	for (size_t i = 0; buf && i < len; i++)
		buf[i] = (unsigned char)(i * 7 + 3);
	ok = buf && fd >= 0 && write(fd, buf, len) == (ssize_t)len;
	free(buf);
	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

/* Coherence with write(), pwrite() and truncate. */
static void test_coherence(void)
{
	const size_t len = 3 * PG + 100;
	unsigned char v, buf[8], *shr, *prv;
	int fd, rw;

	CHECK_OK("make a file", make_pattern(DIR "/f", len));
	fd = open(DIR "/f", O_RDONLY);
	rw = open(DIR "/f", O_WRONLY);
	shr = mmap(NULL, 4 * PG, PROT_READ, MAP_SHARED, fd, 0);
	prv = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK("map it shared (read-only) and private",
	      shr != MAP_FAILED && prv != MAP_FAILED);
	if (shr == MAP_FAILED || prv == MAP_FAILED)
		return;
	CHECK("both read the file", shr[PG + 1] == (unsigned char)((PG + 1) * 7 + 3) &&
	      prv[len - 1] == (unsigned char)((len - 1) * 7 + 3));
	prv[10] = 0xee;
	CHECK("a MAP_PRIVATE write does not reach the file",
	      pread(fd, buf, 1, 10) == 1 && buf[0] == (unsigned char)(10 * 7 + 3) &&
	      shr[10] == buf[0]);
	CHECK("nor the other mapping", shr[10] != 0xee && prv[10] == 0xee);
	CHECK_EQ("pwrite after mmap", pwrite(rw, "NEWDATA", 7, PG + 5), 7);
	CHECK("the shared mapping sees it", !memcmp(shr + PG + 5, "NEWDATA", 7));
	CHECK("the private one too, on a page it did not write",
	      !memcmp(prv + PG + 5, "NEWDATA", 7));
	CHECK("and keeps its own page", prv[10] == 0xee);
	lseek(rw, 0, SEEK_END);
	CHECK_EQ("an append in the last page", write(rw, "TAIL", 4), 4);
	CHECK("the mapping sees it", !memcmp(shr + len, "TAIL", 4));
	CHECK_OK("truncate to a page and 10 bytes", ftruncate(rw, PG + 10));
	CHECK_EQ("a page past the new end: SIGBUS", read_sig(shr + 2 * PG, &v),
		 SIGBUS);
	CHECK_EQ("in the private mapping too", read_sig(prv + 3 * PG, &v),
		 SIGBUS);
	CHECK("the last page is zero past the new end",
	      read_sig(shr + PG + 10, &v) == 0 && v == 0 &&
	      read_sig(shr + PG + 9, &v) == 0 && v == 'A');
	CHECK_OK("grow it again", ftruncate(rw, 3 * PG));
	CHECK("the pages are back, as zeros",
	      read_sig(shr + 2 * PG + 7, &v) == 0 && v == 0);
	munmap(shr, 4 * PG);
	munmap(prv, 4 * PG);

	close(fd);
	close(rw);
	CHECK_OK("unlink it", unlink(DIR "/f"));
}

static void remount(void);

/* The bytes of @path at @off equal @s (@n of them). */
static int file_has(const char *path, off_t off, const char *s, size_t n)
{
	char buf[64];
	int fd = open(path, O_RDONLY), ok;

	ok = fd >= 0 && pread(fd, buf, n, off) == (ssize_t)n &&
	     !memcmp(buf, s, n);
	if (fd >= 0)
		close(fd);
	return ok;
}

/* MAP_SHARED writable: stores reach read() and, written back, the disk. */
static void test_shared(void)
{
	const size_t len = 2 * PG + 50;
	struct stat st;
	unsigned char *m;
	char buf[8];
	int fd, st2;
	pid_t pid;

	CHECK_OK("make a file", make_pattern(DIR "/s", len));
	fd = open(DIR "/s", O_RDWR);
	m = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK("MAP_SHARED|PROT_WRITE of a file open read-write",
	      m != MAP_FAILED);
	if (m == MAP_FAILED) {
		close(fd);
		return;
	}
	memcpy(m + 100, "STORE", 5);
	CHECK("read() sees a store at once",
	      pread(fd, buf, 5, 100) == 5 && !memcmp(buf, "STORE", 5));
	CHECK_EQ("a pwrite in the same page", pwrite(fd, "W", 1, 200), 1);
	CHECK("keeps the store, and the mapping sees the pwrite",
	      file_has(DIR "/s", 100, "STORE", 5) && m[200] == 'W');
	CHECK_OK("msync MS_SYNC", msync(m, 3 * PG, MS_SYNC));
	memcpy(m + PG + 7, "AGAIN", 5);
	CHECK_OK("a store after msync, then fsync", fsync(fd));
	pid = fork();
	if (pid == 0) {
		memcpy(m + 2 * PG, "CHILD", 5);
		_exit(0);
	}
	CHECK("a child's store", pid > 0 && waitpid(pid, &st2, 0) == pid &&
	      !memcmp(m + 2 * PG, "CHILD", 5));
	m[len + 5] = 'X';	/* past the end in the last page: not kept */
	memcpy(m + 2 * PG + 10, "LAST", 4);
	CHECK_OK("munmap", munmap(m, 3 * PG));
	close(fd);
	remount();
	CHECK("after munmap and umount the disk has every store",
	      file_has(DIR "/s", 100, "STORE", 5) &&
	      file_has(DIR "/s", 200, "W", 1) &&
	      file_has(DIR "/s", PG + 7, "AGAIN", 5) &&
	      file_has(DIR "/s", 2 * PG, "CHILD", 5) &&
	      file_has(DIR "/s", 2 * PG + 10, "LAST", 4));
	CHECK("and the size is unchanged",
	      !stat(DIR "/s", &st) && st.st_size == (off_t)len);
	CHECK_OK("unlink it", unlink(DIR "/s"));
}

/* Marker @n of this run: bytes no file of the image holds otherwise. */
static void marker(char *buf, size_t len, int n)
{
	snprintf(buf, len, "<mark %d:%ld>", n, (long)getpid() * 7919 + n);
}

/*
 * True if the raw device holds @s, read past every cache (O_DIRECT, as
 * Linux's block device has a cache of its own): what the host would
 * find in the image now. The filesystem's blocks are 1 KiB, so a
 * marker within one never straddles two 1 MiB chunks.
 */
static int disk_has(const char *s)
{
	const size_t chunk = 1 << 20, n = strlen(s);
	int fd = open(RW_DEV, O_RDONLY | O_DIRECT), found = 0;
	unsigned char *buf = NULL;
	ssize_t got;

	if (fd < 0 || posix_memalign((void **)&buf, PG, chunk))
		goto out;
	while (!found && (got = read(fd, buf, chunk)) >= (ssize_t)n)
		found = memmem(buf, (size_t)got, s, n) != NULL;
out:
	free(buf);
	if (fd >= 0)
		close(fd);
	return found;
}

/*
 * sync, syncfs, fdatasync and sync_file_range write a shared mapping's
 * stores to the disk while the mapping is still there.
 */
static void test_sync(void)
{
	char m1[32], m2[32], m3[32], m4[32];
	unsigned char *m;
	int fd, dir;

	marker(m1, sizeof m1, 1);
	marker(m2, sizeof m2, 2);
	marker(m3, sizeof m3, 3);
	marker(m4, sizeof m4, 4);
	CHECK_OK("make a file to sync", make_pattern(DIR "/y", 4 * PG));
	fd = open(DIR "/y", O_RDWR);
	dir = open(DIR, O_RDONLY | O_DIRECTORY);
	m = fd < 0 ? MAP_FAILED : mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE,
				       MAP_SHARED, fd, 0);
	CHECK("map it shared", m != MAP_FAILED && dir >= 0);
	if (m == MAP_FAILED)
		goto out;
	memcpy(m + 100, m1, strlen(m1));
	sync();
	CHECK("sync() writes a store of a mapping still there to the disk",
	      disk_has(m1));
	memcpy(m + PG + 100, m2, strlen(m2));
	CHECK_OK("syncfs through another file of the filesystem", syncfs(dir));
	CHECK("and syncfs() writes the next one", disk_has(m2));
	memcpy(m + 2 * PG + 100, m3, strlen(m3));
	CHECK_OK("fdatasync", fdatasync(fd));
	CHECK("fdatasync() writes it too", disk_has(m3));
	memcpy(m + 3 * PG + 100, m4, strlen(m4));
	CHECK_OK("sync_file_range of that page",
		 sync_file_range(fd, 3 * PG, PG, SYNC_FILE_RANGE_WAIT_BEFORE |
				 SYNC_FILE_RANGE_WRITE |
				 SYNC_FILE_RANGE_WAIT_AFTER));
	CHECK("sync_file_range(SYNC_FILE_RANGE_WRITE) too", disk_has(m4));
	munmap(m, 4 * PG);
out:
	if (dir >= 0)
		close(dir);
	if (fd >= 0)
		close(fd);
	CHECK_OK("unlink it", unlink(DIR "/y"));
}

/* True if the @n bytes at @buf are the pattern's from offset @off. */
static int is_pattern(const unsigned char *buf, size_t n, size_t off)
{
	for (size_t i = 0; i < n; i++)
		if (buf[i] != (unsigned char)((off + i) * 7 + 3))
			return 0;
	return 1;
}

/*
 * read() of a file in every shape a page cache with read-ahead could get
 * wrong: sequential reads of one size and another, reads across pages
 * and across the end, random preads, a write into pages read already,
 * a truncate and a growth under them; a read does not write a shared
 * mapping's store back (Linux writes it at writeback, not at read).
 */
static void test_read(void)
{
	const size_t len = 256 * PG + 333;
	static const size_t sizes[] = { 100, PG, 3 * PG + 5, 64 * 1024 };
	unsigned char *buf = malloc(64 * 1024), *m;
	char mark[32];
	int fd, ok;

	CHECK_OK("make a 1 MiB file", make_pattern(DIR "/r", len));
	remount();
	fd = open(DIR "/r", O_RDWR);
	for (size_t k = 0; buf && fd >= 0 && k < sizeof sizes / sizeof sizes[0];
	     k++) {
		size_t at = 0;
		ssize_t n;

		ok = lseek(fd, 0, SEEK_SET) == 0;
		while (ok && (n = read(fd, buf, sizes[k])) > 0) {
			ok = is_pattern(buf, (size_t)n, at);
			at += (size_t)n;
		}
		CHECK("sequential reads give the file", ok && at == len);
	}
	ok = buf && fd >= 0;
	for (unsigned i = 0; ok && i < 200; i++) {
		size_t at = (i * 2654435761u) % len, want = 1 + i * 37 % 9000;
		ssize_t n = pread(fd, buf, want, (off_t)at);

		ok = n == (ssize_t)MIN(want, len - at) &&
		     is_pattern(buf, (size_t)n, at);
	}
	CHECK("random preads give the file", ok);
	CHECK_EQ("a read at the end gives 0",
		 buf ? pread(fd, buf, 10, (off_t)len) : -1, 0);
	CHECK_EQ("a pwrite into pages read already",
		 pwrite(fd, "WRITTEN", 7, 5 * PG - 3), 7);
	CHECK("read() sees it", buf && pread(fd, buf, 7, 5 * PG - 3) == 7 &&
	      !memcmp(buf, "WRITTEN", 7));
	CHECK_OK("truncate to 2 pages and 10 bytes", ftruncate(fd, 2 * PG + 10));
	CHECK_EQ("read() stops at the new end",
		 buf ? pread(fd, buf, PG, 2 * PG) : -1, 10);
	CHECK_OK("grow it to 4 pages", ftruncate(fd, 4 * PG));
	CHECK("read() gives zeros past the old end",
	      buf && pread(fd, buf, PG, 2 * PG) == PG &&
	      is_pattern(buf, 10, 2 * PG) && buf[10] == 0 &&
	      buf[PG - 1] == 0);
	m = fd < 0 ? MAP_FAILED : mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE,
				       MAP_SHARED, fd, 0);
	CHECK("map it shared", m != MAP_FAILED);
	if (m != MAP_FAILED && buf) {
		marker(mark, sizeof mark, 5);
		memcpy(m + 3 * PG + 9, mark, strlen(mark));
		CHECK("read() sees a store not written back",
		      pread(fd, buf, strlen(mark), 3 * PG + 9) ==
		      (ssize_t)strlen(mark) && !memcmp(buf, mark, strlen(mark)));
		CHECK("and leaves it in memory, not on the disk",
		      !disk_has(mark));
		CHECK_OK("fsync", fsync(fd));
		CHECK("which writes it", disk_has(mark));
		munmap(m, 4 * PG);
	}
	if (fd >= 0)
		close(fd);
	free(buf);
	CHECK_OK("unlink it", unlink(DIR "/r"));
}

/*
 * Fault-around: a read fault maps the pages about it that are cached
 * already, as Linux's fault_around_bytes (64 KiB) does: 16 from the
 * fault rounded down to 64 KiB, not past the end of the file nor out of
 * the mapping. Mapped at an address 2 MiB aligned, so that one page
 * table holds the window, as Linux's does.
 */
static void test_fault_around(void)
{
	const size_t len = 20 * PG + 100, span = 2 << 20;
	unsigned char *area, *base, *m, buf[PG];
	int fd;

	CHECK_OK("make a 21-page file", make_pattern(DIR "/fa", len));
	fd = open(DIR "/fa", O_RDONLY);
	while (fd >= 0 && read(fd, buf, sizeof buf) > 0)
		;		/* every page cached */
	area = mmap(NULL, 2 * span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	if (fd < 0 || area == MAP_FAILED) {
		CHECK("open it and reserve an area", 0);
		return;
	}
	base = (unsigned char *)(((uintptr_t)area + span - 1) & ~(span - 1));
	m = mmap(base, 32 * PG, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0);
	CHECK("map it at a 2 MiB boundary", m == base);
	sink = m[5];
	CHECK_EQ("a fault on the first page maps 16", rss_kb(m), 64);
	sink = m[17 * PG];
	CHECK_EQ("one at page 17 maps 16 to 20, not past the end",
		 rss_kb(m), 64 + 5 * 4);
	CHECK("and reads the file", m[17 * PG] ==
	      (unsigned char)(17 * PG * 7 + 3));
	m = mmap(base, 8 * PG, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
	CHECK("map 8 pages privately there",
	      m == base && mmap(base + 8 * PG, 8 * PG, PROT_READ | PROT_EXEC,
				MAP_PRIVATE | MAP_FIXED, fd, 8 * PG) ==
	      base + 8 * PG);
	sink = m[3 * PG];
	CHECK("a fault maps only inside its mapping",
	      rss_kb(m) == 32 && rss_kb(base + 8 * PG) == 0);
	munmap(area, 2 * span);
	close(fd);
	CHECK_OK("unlink it", unlink(DIR "/fa"));
}

/*
 * write() to an ext2 file from a mapping of another one, its pages not
 * yet read: the copy faults them in from the same filesystem.
 */
static void test_write_from_map(void)
{
	const size_t len = 3 * PG;
	unsigned char *m, *back;
	size_t mlen, blen;
	int fd;

	CHECK_OK("make a source file", make_pattern(DIR "/src", len));
	remount();
	m = map_file(DIR "/src", PROT_READ, MAP_PRIVATE, &mlen);
	fd = open(DIR "/dst", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK_EQ("write() from a mapping of a file of the same filesystem",
		 m && fd >= 0 ? write(fd, m, mlen) : -1, (long long)len);
	if (fd >= 0)
		close(fd);
	back = slurp_all(DIR "/dst", &blen);
	CHECK("the copy is the file", m && back && blen == len &&
	      !memcmp(back, m, len));
	free(back);
	if (m)
		munmap(m, mlen);
	unlink(DIR "/src");
	unlink(DIR "/dst");
}

/*
 * write() through the cache: from a mapping of the same file (its pages
 * faulted in while the write runs), over pages a mapping has dirtied,
 * and from a buffer whose second page is not mapped (the first is
 * written, as Linux counts).
 */
static void test_write_cached(void)
{
	char mark[32], buf[64];
	unsigned char *m, *half;
	int fd, ok = 1;

	CHECK_OK("make an 8-page file", make_pattern(DIR "/w", 8 * PG));
	remount();
	fd = open(DIR "/w", O_RDWR);
	m = fd < 0 ? MAP_FAILED : mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE,
				       MAP_SHARED, fd, 0);
	CHECK("map it shared", m != MAP_FAILED);
	if (m == MAP_FAILED)
		goto out;
	for (int i = 4; i < 8; i++)
		memset(m + i * PG, 'A' + i, PG);
	CHECK_EQ("write() its last 4 pages over its first 4, from the mapping",
		 pwrite(fd, m + 4 * PG, 4 * PG, 0), 4 * PG);
	for (size_t i = 0; i < 4 * PG; i += 997)
		ok &= m[i] == 'E' + i / PG;
	CHECK("the mapping sees the copy", ok);
	marker(mark, sizeof mark, 6);
	memcpy(m + 6 * PG + 50, mark, strlen(mark));
	CHECK_EQ("a pwrite beside a store not written back",
		 pwrite(fd, "BESIDE", 6, 6 * PG + 10), 6);
	CHECK("read() sees both", pread(fd, buf, 64, 6 * PG + 10) == 64 &&
	      !memcmp(buf, "BESIDE", 6) && !memcmp(buf + 40, mark, strlen(mark)));
	munmap(m, 8 * PG);
	half = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (half != MAP_FAILED) {
		memset(half, 'h', PG);
		munmap(half + PG, PG);
		CHECK_EQ("a write whose second page faults writes the first",
			 pwrite(fd, half, 2 * PG, PG), PG);
		munmap(half, PG);
	}
	close(fd);
	fd = -1;
	remount();
	ok = file_has(DIR "/w", 6 * PG + 10, "BESIDE", 6) &&
	     file_has(DIR "/w", 6 * PG + 50, mark, strlen(mark)) &&
	     file_has(DIR "/w", PG, "hhhh", 4);
	CHECK("after umount the disk has them all", ok);
	CHECK("and the copy", file_has(DIR "/w", 10, "EEEE", 4) &&
	      file_has(DIR "/w", 2 * PG + 10, "GGGG", 4) &&
	      file_has(DIR "/w", 4 * PG - 4, "HHHH", 4) &&
	      file_has(DIR "/w", 7 * PG, "HHHH", 4));
out:
	if (fd >= 0)
		close(fd);
	CHECK_OK("unlink it", unlink(DIR "/w"));
}

/* Run @path with @arg (and @env): its wait status, or -1. */
static int run(const char *path, const char *arg, char *const env[])
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		char *argv[] = { (char *)path, (char *)arg, NULL };
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0)
			dup2(null, 1);
		execve(path, argv, env);
		_exit(127);
	}
	return waitpid(pid, &st, 0) == pid ? st : -1;
}

/* Remount the writable image, so what follows reads the disk afresh. */
static void remount(void)
{
	CHECK_OK("umount", umount(RW_MNT));
	CHECK_OK("mount it again", mount(RW_DEV, RW_MNT, "ext2", 0, NULL));
}

static const char *find_libc(void)
{
	static const char *const at[] = { "/lib/x86_64-linux-gnu/libc.so.6",
					  "/usr/lib/x86_64-linux-gnu/libc.so.6",
					  "/lib64/libc.so.6" };

	for (size_t i = 0; i < sizeof at / sizeof at[0]; i++)
		if (!access(at[i], R_OK))
			return at[i];
	return NULL;
}

static void test_exec(void)
{
	char *env[] = { "LD_LIBRARY_PATH=" DIR "/lib", NULL };
	const char *libc = find_libc();
	long before, after;
	int st;

	CHECK_OK("copy this static program to ext2",
		 copy_file("/proc/self/exe", DIR "/static", 0755));
	CHECK_OK("copy abi_dynamic to ext2",
		 copy_file("/tests/abi_dynamic", DIR "/dyn", 0755));
	CHECK_OK("mkdir lib", mkdir(DIR "/lib", 0755));
	CHECK("and its libc", libc &&
	      !copy_file(libc, DIR "/lib/libc.so.6", 0755));
	remount();
	st = run(DIR "/static", "child", env);
	CHECK("exec of a static program on ext2",
	      st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == CHILD_EXIT);
	st = run(DIR "/dyn", "exit", env);
	CHECK("exec of a dynamic program on ext2, its libc there too",
	      st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	before = mem_free_kb();
	for (int i = 0; i < 20; i++) {
		run(DIR "/static", "child", env);
		run(DIR "/dyn", "exit", env);
	}
	after = mem_free_kb();
	CHECK("20 more runs of each cost no memory",
	      before > 0 && after > before - 512);
	unlink(DIR "/static");
	unlink(DIR "/dyn");
	unlink(DIR "/lib/libc.so.6");
	rmdir(DIR "/lib");
}

/* An umount gives back what the cache of a 4 MiB file took. */
static void test_umount_frees(void)
{
	const size_t len = 4 << 20;
	long before, mapped, after;
	unsigned char *m;
	size_t mlen;

	CHECK_OK("make a 4 MiB file", make_pattern(DIR "/big", len));
	remount();
	CHECK_OK("umount", umount(RW_MNT));
	before = mem_free_kb();
	CHECK_OK("mount", mount(RW_DEV, RW_MNT, "ext2", 0, NULL));
	m = map_file(DIR "/big", PROT_READ, MAP_PRIVATE, &mlen);
	CHECK("map it", m != NULL && mlen == len);
	for (size_t j = 0; m && j < mlen; j += PG)
		sink = m[j];
	mapped = mem_free_kb();
	CHECK("its pages take memory", mapped < before - 2048);
	if (m)
		munmap(m, mlen);
	CHECK_OK("umount", umount(RW_MNT));
	after = mem_free_kb();
	CHECK("and the umount gives it back", after > before - 512);
	CHECK_OK("mount", mount(RW_DEV, RW_MNT, "ext2", 0, NULL));
	CHECK_OK("unlink it", unlink(DIR "/big"));
}

int main(int argc, char **argv)
{
	const char *b = getenv("DISK_BOOT");
	struct sigaction sa;

	if (argc > 1 && !strcmp(argv[1], "child"))
		return CHILD_EXIT;
	TEST_BEGIN("disk_ext2m");
	if (!b || atoi(b) != 1)
		return TEST_END();	/* the first boot's only */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fault;
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	test_read_only();
	mkdir(RW_MNT, 0755);
	CHECK_OK("mount -t ext2 " RW_DEV " read-write",
		 mount(RW_DEV, RW_MNT, "ext2", 0, NULL));
	CHECK_OK("mkdir", mkdir(DIR, 0755));
	test_coherence();
	test_shared();
	test_sync();
	test_read();
	test_fault_around();
	test_write_cached();
	test_write_from_map();
	test_exec();
	test_umount_frees();
	CHECK_OK("rmdir", rmdir(DIR));
	CHECK_OK("umount", umount(RW_MNT));
	return TEST_END();
}
