/*
 * disk_bigread: a file larger than the guest's memory, read and mapped
 * through the page cache, which must give clean pages back under
 * pressure. Run by the disk suite in a fourth boot (DISK_BOOT=4,
 * alone, tests/run.py --bigdisk) with 128 MiB of memory and
 * tests/mkext2.py's ext2-big.img as vda: /big (160 MiB, each 8-byte
 * word its own offset), /small (256 KiB, the same pattern) and /dirty
 * (two pages of zeros). Checks: /big is larger than MemTotal; read()
 * twice and a shared mapping read twice give every word right; the
 * cache took a good share of memory meanwhile (Cached), and gives way
 * to a tmpfs file (a quarter of memory) written while it is full and to
 * anonymous memory (half of it, in a child); a page stored
 * through a shared mapping before the pressure is still there after it
 * (a dirty page is never dropped); the cache still keeps what is read
 * after the pressure (reading /small again costs no disk read,
 * /proc/diskstats); vm.drop_caches: EACCES to open for reading, EINVAL
 * for 0 and 5, and 3 gives the clean cache back (Cached down, MemFree
 * up again) and caching resumes. The files stay open throughout (what
 * a file nothing holds keeps cached is tests/abi/disk_icache.c's). The
 * same on Debian's Linux.
 */
#include "check.h"
#include "disk_util.h"
#include <stdint.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>

#define DEV	"/dev/vda"
#define MNT	"/tmp/big"
#define CHUNK	(64 * 1024)
#define STORE	"a store the pressure must not lose"
#define MIN(a, b)	((a) < (b) ? (a) : (b))

/* Sectors read from vda so far (/proc/diskstats' sixth field). */
static long long vda_sectors_read(void)
{
	char buf[8192], *p;
	unsigned maj, min;
	unsigned long long ios, merged, sectors;
	char name[32];

	if (slurp("/proc/diskstats", buf, sizeof buf) < 0)
		return -1;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (sscanf(p, "%u %u %31s %llu %llu %llu", &maj, &min, name,
			   &ios, &merged, &sectors) == 6 && !strcmp(name, "vda"))
			return (long long)sectors;
	return -1;
}

/* Do the @len bytes at @buf, from byte @off of a file, hold the pattern? */
static int words_ok(const unsigned char *buf, uint64_t off, size_t len)
{
	for (size_t i = 0; i + 8 <= len; i += 8) {
		uint64_t w;

		memcpy(&w, buf + i, 8);
		if (w != off + i)
			return 0;
	}
	return 1;
}

/* Read @fd whole from the start with read() in CHUNK pieces: 1 if every
 * word is right and there are @size bytes. */
static int read_all(int fd, off_t size)
{
	static unsigned char buf[CHUNK];
	off_t at = 0;
	int ok = lseek(fd, 0, SEEK_SET) == 0;

	while (ok && at < size) {
		ssize_t n = read(fd, buf, CHUNK);

		if (n <= 0 || n % 8 || !words_ok(buf, (uint64_t)at, (size_t)n))
			ok = 0;
		else
			at += n;
	}
	return ok && at == size;
}

/* Read the shared mapping @m of @size bytes twice: 1 if right both times. */
static int scan_map(const unsigned char *m, size_t size)
{
	for (int pass = 0; pass < 2; pass++)
		for (size_t at = 0; at < size; at += CHUNK)
			if (!words_ok(m + at, at, MIN(size - at, (size_t)CHUNK)))
				return 0;
	return 1;
}

/* A shared writable mapping of /dirty with STORE in its second page. */
static char *store_dirty(void)
{
	int fd = open(MNT "/dirty", O_RDWR);
	char *m;

	if (fd < 0)
		return NULL;
	m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return NULL;
	memcpy(m + 4096, STORE, sizeof(STORE));
	return m;
}

/* Is STORE in /dirty's second page, as read() sees it? */
static int store_read_back(void)
{
	char buf[sizeof(STORE)];
	int fd = open(MNT "/dirty", O_RDONLY);
	ssize_t n = fd >= 0 ? pread(fd, buf, sizeof(buf), 4096) : -1;

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)sizeof(buf) && !memcmp(buf, STORE, sizeof(STORE));
}

/* Touch @kb kB of fresh anonymous memory page by page: 0 if all went in. */
static int touch_anon(void *arg)
{
	size_t len = (size_t)*(long *)arg * 1024;
	unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return 1;
	for (size_t i = 0; i < len; i += 4096)
		p[i] = (unsigned char)(i >> 12);
	for (size_t i = 0; i < len; i += 4096)
		if (p[i] != (unsigned char)(i >> 12))
			return 2;
	return 0;
}

/* Write @kb kB to a new file on the tmpfs root and remove it: 1 if done. */
static int fill_tmpfs(long kb)
{
	static char buf[CHUNK];
	int fd = open("/bigread-tmpfs", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	long done = 0;

	if (fd < 0)
		return 0;
	memset(buf, 0x5a, sizeof(buf));
	while (done < kb && write(fd, buf, CHUNK) == CHUNK)
		done += CHUNK / 1024;
	close(fd);
	unlink("/bigread-tmpfs");
	return done >= kb;
}

/*
 * With the cache holding most of memory: a tmpfs file and anonymous
 * memory take a quarter and half of it, the clean cache giving way.
 */
static void test_cache_gives_way(long total)
{
	long half = total / 2;

	CHECK("a quarter of memory written to a tmpfs file",
	      fill_tmpfs(total / 4));
	CHECK_EQ("half of memory, anonymous, in a child: it exits 0",
		 run_child(touch_anon, &half), 0);
}

static void test_drop_caches_knob(void)
{
	CHECK_ERR("vm.drop_caches does not open for reading",
		  open("/proc/sys/vm/drop_caches", O_RDONLY), EACCES);
	CHECK_ERR("vm.drop_caches takes no 0",
		  write_str("/proc/sys/vm/drop_caches", "0"), EINVAL);
	CHECK_ERR("vm.drop_caches takes no 5",
		  write_str("/proc/sys/vm/drop_caches", "5"), EINVAL);
}

static void test_big(void)
{
	long total = meminfo("MemTotal"), free0, cached0, cached1, free2,
	     cached2;
	long long before;
	struct stat st;
	unsigned char *m;
	char *dirty;
	int fd, small;

	CHECK_OK("stat /big", stat(MNT "/big", &st));
	CHECK("/big is larger than MemTotal",
	      total > 0 && st.st_size > (off_t)total * 1024);
	write_str("/proc/sys/vm/drop_caches", "3");
	free0 = meminfo("MemFree");
	cached0 = meminfo("Cached");
	dirty = store_dirty();
	CHECK("a store through a shared mapping of /dirty", dirty != NULL);

	/* Open throughout: the cache of a file no one holds may go with it. */
	fd = open(MNT "/big", O_RDONLY);
	small = open(MNT "/small", O_RDONLY);
	CHECK("open /big and /small", fd >= 0 && small >= 0);
	CHECK("read() of /big: every word its offset", read_all(fd, st.st_size));
	cached1 = meminfo("Cached");
	CHECK("the cache took a quarter of memory or more",
	      cached1 - cached0 >= total / 4);
	test_cache_gives_way(total);
	CHECK("read() of /big again: every word its offset",
	      read_all(fd, st.st_size));
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	CHECK("mmap /big shared, read-only", m != MAP_FAILED);
	if (m != MAP_FAILED) {
		CHECK("the mapping of /big read twice: every word its offset",
		      scan_map(m, (size_t)st.st_size));
		munmap(m, (size_t)st.st_size);
	}
	CHECK("the store in /dirty outlived the pressure",
	      dirty && !memcmp(dirty + 4096, STORE, sizeof(STORE)));
	CHECK("and read() sees it", store_read_back());

	CHECK("read() of /small after the pressure",
	      read_all(small, 256 * 1024));
	before = vda_sectors_read();
	CHECK("read() of /small again", read_all(small, 256 * 1024));
	CHECK_EQ("and it came from the cache (no sectors read)",
		 vda_sectors_read() - before, 0);
	if (dirty) {
		CHECK_OK("msync /dirty", msync(dirty, 8192, MS_SYNC));
		munmap(dirty, 8192);
	}

	test_drop_caches_knob();
	CHECK_OK("echo 3 > /proc/sys/vm/drop_caches",
		 write_str("/proc/sys/vm/drop_caches", "3"));
	free2 = meminfo("MemFree");
	cached2 = meminfo("Cached");
	CHECK("Cached is back to within 2 MiB of where it started",
	      cached2 <= cached0 + 2048);
	CHECK("MemFree is back to within an eighth of memory",
	      free2 >= free0 - total / 8);
	CHECK("the store in /dirty is still there after drop_caches",
	      store_read_back());
	before = vda_sectors_read();
	CHECK("read() of /small after drop_caches", read_all(small, 256 * 1024));
	CHECK("comes from the disk", vda_sectors_read() > before);
	CHECK("and is cached again", meminfo("Cached") >= cached2 + 200);
	close(small);
	close(fd);
}

int main(void)
{
	const char *b = getenv("DISK_BOOT");

	TEST_BEGIN("disk_bigread");
	if (!b || atoi(b) != 4)
		return TEST_END();	/* the fourth boot's only */
	mkdir(MNT, 0755);
	CHECK_OK("mount -t ext2 " DEV " read-write",
		 mount(DEV, MNT, "ext2", 0, NULL));
	test_big();
	CHECK_OK("umount", umount(MNT));
	return TEST_END();
}
