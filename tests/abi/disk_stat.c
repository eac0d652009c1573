/*
 * disk_stat: /proc/diskstats and /sys/block as Linux 6.1 shows them
 * (Documentation/admin-guide/iostats.rst). Run by the disk suite after
 * disk_gpt, on its vdi (tests/mkdisk.py's gpt.img: partitions 1 at LBA
 * 64, 1024 sectors, and 3 at 2048, 1984 sectors) and vdj (read-only):
 * the formats, and the counters growing by what O_DIRECT reads, writes
 * and an fsync send, on the partition and on the disk.
 */
#include "check.h"
#include "disk_util.h"
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>

#define NFIELDS		17	/* after major, minor and name */
#define F_READS		0
#define F_RSECT		2
#define F_RMS		3
#define F_WRITES	4
#define F_WSECT		6
#define F_WMS		7
#define F_INFLIGHT	8
#define F_TICKS		9
#define F_QUEUE		10
#define F_FLUSHES	15

struct dstat {
	unsigned long long f[NFIELDS];
};

/*
 * @name's /proc/diskstats line into *@s: 1, 0 without one. Every line
 * must have 20 fields printed as Linux prints them (*@format).
 */
static int diskstats(const char *name, struct dstat *s, int *format)
{
	char line[512], again[512], dev[64];
	unsigned maj, min;
	int found = 0;
	FILE *f = fopen("/proc/diskstats", "r");

	*format = f != NULL;
	while (f && fgets(line, sizeof line, f)) {
		struct dstat t;
		unsigned long long *v = t.f;
		int n = sscanf(line, "%u %u %63s %llu %llu %llu %llu %llu %llu %llu "
			       "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
			       &maj, &min, dev, &v[0], &v[1], &v[2], &v[3], &v[4],
			       &v[5], &v[6], &v[7], &v[8], &v[9], &v[10], &v[11],
			       &v[12], &v[13], &v[14], &v[15], &v[16]);

		snprintf(again, sizeof again, "%4u %7u %s %llu %llu %llu %llu "
			 "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu "
			 "%llu %llu\n", maj, min, dev, v[0], v[1], v[2], v[3], v[4],
			 v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13],
			 v[14], v[15], v[16]);
		if (n != 20 || strcmp(line, again))
			*format = 0;
		if (n == 20 && !strcmp(dev, name)) {
			*s = t;
			found = 1;
		}
	}
	if (f)
		fclose(f);
	return found;
}

static void snap(const char *name, struct dstat *s)
{
	char what[96];
	int format;

	snprintf(what, sizeof what, "/proc/diskstats has a line for %s", name);
	CHECK(what, diskstats(name, s, &format));
	snprintf(what, sizeof what,
		 "/proc/diskstats: 20 fields a line, in Linux's format (%s)", name);
	CHECK(what, format);
}

static void check_text(const char *path, const char *want)
{
	char buf[256], what[160];

	snprintf(what, sizeof what, "%s is \"%.*s\"", path,
		 (int)strcspn(want, "\n"), want);
	CHECK(what, slurp(path, buf, sizeof buf) > 0 && !strcmp(buf, want));
}

/* Counters that only grow, from @a to @b, and nothing in flight. */
static void check_monotonic(const char *name, const struct dstat *a,
			    const struct dstat *b)
{
	char what[128];
	int ok = 1;

	for (int i = 0; i < NFIELDS; i++)
		if (i != F_INFLIGHT && b->f[i] < a->f[i])
			ok = 0;
	snprintf(what, sizeof what, "%s: no counter went down", name);
	CHECK(what, ok);
	snprintf(what, sizeof what, "%s: nothing in flight", name);
	CHECK_EQ(what, b->f[F_INFLIGHT], 0);
	snprintf(what, sizeof what,
		 "%s: time in queue at least the reads' and writes' ms", name);
	CHECK(what, b->f[F_QUEUE] + 1 >= b->f[F_RMS] + b->f[F_WMS]);
}

/* Field @i grew by @min..@max from @a to @b. */
static void check_delta(const char *what, const struct dstat *a,
			const struct dstat *b, int i, unsigned long long min,
			unsigned long long max)
{
	unsigned long long d = b->f[i] - a->f[i];
	char w[160];

	snprintf(w, sizeof w, "%s (grew by %llu)", what, d);
	CHECK(w, b->f[i] >= a->f[i] && d >= min && d <= max);
}

static void test_counters(void)
{
	struct dstat d0, p0, q0, d1, p1, d2, q2, p2, d3, q3;
	unsigned char *buf = aligned_alloc(4096, 64 * 1024);
	int fd;

	CHECK("a 64 KiB aligned buffer", buf != NULL);
	if (!buf)
		return;
	snap("vdi", &d0);
	snap("vdi1", &p0);
	snap("vdi3", &q0);
	fd = open("/dev/vdi1", O_RDONLY | O_DIRECT);
	CHECK_OK("open /dev/vdi1 O_DIRECT", fd);
	CHECK_EQ("an O_DIRECT read of 64 KiB", pread(fd, buf, 64 * 1024, 0),
		 64 * 1024);
	CHECK("it is the partition's", is_pattern(buf, 64 * SECTOR, 64 * 1024));
	close(fd);
	snap("vdi", &d1);
	snap("vdi1", &p1);
	check_delta("vdi1: reads completed", &p0, &p1, F_READS, 1, 16);
	check_delta("vdi1: sectors read: 128", &p0, &p1, F_RSECT, 128, 128);
	check_delta("vdi1: no writes", &p0, &p1, F_WRITES, 0, 0);
	check_delta("vdi: reads completed", &d0, &d1, F_READS, 1, 16);
	check_delta("vdi: sectors read: 128", &d0, &d1, F_RSECT, 128, 128);
	check_delta("vdi: no writes", &d0, &d1, F_WRITES, 0, 0);
	check_monotonic("vdi", &d0, &d1);
	check_monotonic("vdi1", &p0, &p1);

	fd = open("/dev/vdi3", O_RDWR | O_DIRECT);
	CHECK_OK("open /dev/vdi3 O_DIRECT read-write", fd);
	CHECK_EQ("an O_DIRECT read of its first 8 KiB", pread(fd, buf, 8192, 0),
		 8192);
	CHECK_EQ("written back with O_DIRECT", pwrite(fd, buf, 8192, 0), 8192);
	snap("vdi", &d2);
	snap("vdi3", &q2);
	snap("vdi1", &p2);
	check_delta("vdi3: writes completed", &q0, &q2, F_WRITES, 1, 2);
	check_delta("vdi3: sectors written: 16", &q0, &q2, F_WSECT, 16, 16);
	check_delta("vdi3: sectors read: 16", &q0, &q2, F_RSECT, 16, 16);
	check_delta("vdi: sectors written: 16", &d1, &d2, F_WSECT, 16, 16);
	check_delta("vdi1: unchanged by vdi3's", &p1, &p2, F_RSECT, 0, 0);
	CHECK_OK("fsync /dev/vdi3", fsync(fd));
	close(fd);
	snap("vdi", &d3);
	snap("vdi3", &q3);
	check_delta("vdi: the flush counted", &d2, &d3, F_FLUSHES, 1, 2);
	check_delta("vdi3: flushes count on the disk only", &q2, &q3, F_FLUSHES,
		    0, 0);
	check_delta("vdi: the fsync wrote nothing", &d2, &d3, F_WSECT, 0, 0);
	check_monotonic("vdi", &d2, &d3);
	check_monotonic("vdi3", &q2, &q3);
	free(buf);
}

/* /sys/block/vdi/stat: /proc/diskstats' 17 counters, 8 wide each. */
static void test_sys_stat(void)
{
	char text[512], want[512];
	struct dstat d;
	int format;
	unsigned long long *v = d.f;

	CHECK("/sys/block/vdi/stat reads", slurp("/sys/block/vdi/stat", text,
						 sizeof text) > 0);
	CHECK("and /proc/diskstats' vdi line", diskstats("vdi", &d, &format));
	snprintf(want, sizeof want, "%8llu %8llu %8llu %8llu %8llu %8llu %8llu "
		 "%8llu %8llu %8llu %8llu %8llu %8llu %8llu %8llu %8llu %8llu\n",
		 v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9],
		 v[10], v[11], v[12], v[13], v[14], v[15], v[16]);
	CHECK("/sys/block/vdi/stat is the same counters, 8 wide", !strcmp(text, want));
	check_text("/sys/block/vdi/vdi1/inflight", "       0        0\n");
}

static void check_link(const char *path, const char *tail)
{
	char buf[256], what[160];
	ssize_t n = readlink(path, buf, sizeof buf - 1);
	size_t len = strlen(tail);

	buf[n > 0 ? n : 0] = 0;
	snprintf(what, sizeof what, "%s links to .../%s", path, tail);
	CHECK(what, n > (ssize_t)len && !strcmp(buf + n - len, tail) &&
	      buf[n - len - 1] == '/');
}

static void test_sysfs(void)
{
	struct stat st;

	check_link("/sys/block/vdi", "block/vdi");
	check_link("/sys/class/block/vdi", "block/vdi");
	check_link("/sys/class/block/vdi3", "block/vdi/vdi3");
	check_link("/sys/dev/block/254:128", "block/vdi");
	check_link("/sys/dev/block/254:129", "block/vdi/vdi1");
	check_text("/sys/block/vdi/size", "4096\n");
	check_text("/sys/block/vdi/dev", "254:128\n");
	check_text("/sys/block/vdi/ro", "0\n");
	check_text("/sys/block/vdj/ro", "1\n");
	check_text("/sys/block/vdi/removable", "0\n");
	check_text("/sys/block/vdi/range", "16\n");
	check_text("/sys/block/vdi/queue/logical_block_size", "512\n");
	check_text("/sys/block/vdi/queue/physical_block_size", "512\n");
	check_text("/sys/block/vdi/queue/hw_sector_size", "512\n");
	check_text("/sys/block/vdi/queue/rotational", "1\n");
	check_text("/sys/block/vdi/vdi1/start", "64\n");
	check_text("/sys/block/vdi/vdi1/size", "1024\n");
	check_text("/sys/block/vdi/vdi1/partition", "1\n");
	check_text("/sys/block/vdi/vdi1/dev", "254:129\n");
	check_text("/sys/block/vdi/vdi1/ro", "0\n");
	check_text("/sys/block/vdi/vdi3/start", "2048\n");
	check_text("/sys/block/vdi/vdi3/size", "1984\n");
	check_text("/sys/block/vdi/vdi3/partition", "3\n");
	check_text("/sys/class/block/vdi3/dev", "254:131\n");
	check_text("/sys/dev/block/254:129/start", "64\n");
	check_text("/sys/block/vdi/inflight", "       0        0\n");
	CHECK_ERR("no /sys/block/vdi/vdi2", stat("/sys/block/vdi/vdi2", &st), ENOENT);
	CHECK_ERR("no /sys/block/vdi1: only disks there",
		  lstat("/sys/block/vdi1", &st), ENOENT);
	CHECK("/sys/block/vdi/holders is a directory",
	      stat("/sys/block/vdi/holders", &st) == 0 && S_ISDIR(st.st_mode));
}

int main(void)
{
	TEST_BEGIN("disk_stat");
	test_counters();
	test_sys_stat();
	test_sysfs();
	return TEST_END();
}
