/* abi_rtc.c - the real-time clock as Linux 6.1's rtc-cmos gives it in QEMU: /dev/rtc0 (its major in /proc/devices, one opener at a time), reading and setting the CMOS clock (rtc_valid_tm's EINVAL, EACCES without CAP_SYS_TIME, the system clock untouched), the update, alarm and periodic interrupts through read and poll, the alarm ioctls, RTC_PARAM_GET, /proc/driver/rtc, /sys/class/rtc/rtc0 and BusyBox's hwclock. */
#include "check.h"
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>

#define T "abi_rtc"
#define DEV "/dev/rtc0"
#define RTC_MAJOR_61 251	/* Linux 6.1 in QEMU: just below dax (252) */
#define SYSDIR "/sys/class/rtc/rtc0/"

struct rtc_time {
	int tm_sec, tm_min, tm_hour, tm_mday, tm_mon, tm_year;
	int tm_wday, tm_yday, tm_isdst;
};

struct rtc_wkalrm {
	unsigned char enabled, pending;
	struct rtc_time time;
};

struct rtc_param {
	uint64_t param;
	uint64_t uvalue;
	uint32_t index, pad;
};

struct rtc_pll_info {
	int ctrl, value, max, min, posmult, negmult;
	long clock;
};

#define RTC_AIE_ON	_IO('p', 0x01)
#define RTC_AIE_OFF	_IO('p', 0x02)
#define RTC_UIE_ON	_IO('p', 0x03)
#define RTC_UIE_OFF	_IO('p', 0x04)
#define RTC_PIE_ON	_IO('p', 0x05)
#define RTC_PIE_OFF	_IO('p', 0x06)
#define RTC_ALM_SET	_IOW('p', 0x07, struct rtc_time)
#define RTC_ALM_READ	_IOR('p', 0x08, struct rtc_time)
#define RTC_RD_TIME	_IOR('p', 0x09, struct rtc_time)
#define RTC_SET_TIME	_IOW('p', 0x0a, struct rtc_time)
#define RTC_IRQP_READ	_IOR('p', 0x0b, unsigned long)
#define RTC_IRQP_SET	_IOW('p', 0x0c, unsigned long)
#define RTC_EPOCH_READ	_IOR('p', 0x0d, unsigned long)
#define RTC_EPOCH_SET	_IOW('p', 0x0e, unsigned long)
#define RTC_WKALM_SET	_IOW('p', 0x0f, struct rtc_wkalrm)
#define RTC_WKALM_RD	_IOR('p', 0x10, struct rtc_wkalrm)
#define RTC_PLL_GET	_IOR('p', 0x11, struct rtc_pll_info)
#define RTC_PARAM_GET	_IOW('p', 0x13, struct rtc_param)
#define RTC_PARAM_SET	_IOW('p', 0x14, struct rtc_param)
#define RTC_VL_READ	_IOR('p', 0x13, unsigned int)

#define RTC_IRQF	0x80
#define RTC_PF		0x40
#define RTC_AF		0x20
#define RTC_UF		0x10

#define RTC_PARAM_FEATURES	0
#define RTC_PARAM_CORRECTION	1
#define RTC_FEATURE_ALARM		0
#define RTC_FEATURE_UPDATE_INTERRUPT	4

static char text[4096];

/* The whole of @path, in text; "(error)" there if it cannot be read. */
static const char *value(const char *path)
{
	if (slurp(path, text, sizeof(text)) < 0)
		strcpy(text, "(error)");
	return text;
}

/* Write @s to @path: 0, or -1 with errno. */
static int put(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;
	int e;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	e = errno;
	close(fd);
	errno = e;
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

static time_t tm_secs(const struct rtc_time *r)
{
	struct tm tm = {
		.tm_sec = r->tm_sec, .tm_min = r->tm_min, .tm_hour = r->tm_hour,
		.tm_mday = r->tm_mday, .tm_mon = r->tm_mon,
		.tm_year = r->tm_year,
	};

	return timegm(&tm);
}

static struct rtc_time secs_tm(time_t t)
{
	struct tm tm;
	struct rtc_time r;

	gmtime_r(&t, &tm);
	r = (struct rtc_time){
		.tm_sec = tm.tm_sec, .tm_min = tm.tm_min, .tm_hour = tm.tm_hour,
		.tm_mday = tm.tm_mday, .tm_mon = tm.tm_mon,
		.tm_year = tm.tm_year, .tm_wday = tm.tm_wday,
		.tm_yday = tm.tm_yday,
	};
	return r;
}

/* The RTC's time in seconds since the epoch, or -1. */
static time_t rtc_now(int fd)
{
	struct rtc_time tm;

	if (ioctl(fd, RTC_RD_TIME, &tm))
		return -1;
	return tm_secs(&tm);
}

static double now_s(void)
{
	return (double)now_ns() / 1e9;
}

/* One interrupt word, waiting for it: the word, or 0 on an error. */
static unsigned long irq_word(int fd)
{
	unsigned long data = 0;

	if (read(fd, &data, sizeof(data)) != (ssize_t)sizeof(data))
		return 0;
	return data;
}

/* Throw away what has been counted so far (the file is blocking). */
static void drain(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	unsigned long data;

	while (poll(&p, 1, 0) == 1)
		if (read(fd, &data, sizeof(data)) < 0)
			break;
}

/* The line of /proc/driver/rtc that starts with @key, or "". */
static const char *proc_line(const char *key)
{
	static char line[128];
	const char *p = text;
	size_t klen = strlen(key);

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (len > klen && !strncmp(p, key, klen) &&
		    (p[klen] == '\t' || p[klen] == ' ') &&
		    len < sizeof(line)) {
			memcpy(line, p, len);
			line[len] = '\0';
			return line;
		}
		p += len + (nl ? 1 : 0);
	}
	return "";
}

static void test_node(void)
{
	struct stat st;
	char link[64];
	ssize_t n;
	const char *p;
	int major_seen = -1;

	CHECK_OK("stat " DEV, stat(DEV, &st));
	CHECK("it is a character device", S_ISCHR(st.st_mode));
	CHECK_EQ("mode 0600, as devtmpfs makes it", st.st_mode & 07777, 0600);
	CHECK_EQ("owned by root", st.st_uid, 0);
	CHECK_EQ("major 251, as Linux 6.1 allocates it here",
		 major(st.st_rdev), RTC_MAJOR_61);
	CHECK_EQ("minor 0", minor(st.st_rdev), 0);

	CHECK("/proc/devices reads",
	      slurp("/proc/devices", text, sizeof(text)) > 0);
	CHECK("it begins with the character devices",
	      !strncmp(text, "Character devices:\n", 19));
	CHECK("the block devices follow after an empty line",
	      strstr(text, "\n\nBlock devices:\n") != NULL);
	CHECK("  1 mem is listed", strstr(text, "\n  1 mem\n") != NULL);
	for (p = text; (p = strstr(p, " rtc\n")); p++) {
		const char *q = p;

		while (q > text && q[-1] != '\n')
			q--;
		major_seen = atoi(q);
		break;
	}
	CHECK_EQ("its rtc line names the node's major", major_seen,
		 major(st.st_rdev));

	n = readlink("/dev/rtc", link, sizeof(link) - 1);
	if (n >= 0) {
		link[n] = '\0';
		CHECK_STR("/dev/rtc, where it exists, is udev's link to rtc0",
			  link, "rtc0");
	} else {
		CHECK_EQ("without udev, /dev/rtc is not there", errno, ENOENT);
	}
}

static void test_sysfs(void)
{
	char link[128], want[32];
	struct stat st;
	ssize_t n;
	long epoch;
	time_t now = time(NULL);
	struct tm tm;

	n = readlink("/sys/class/rtc/rtc0", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	CHECK_STR("/sys/class/rtc/rtc0 links to the PNP device's rtc0", link,
		  "../../devices/pnp0/00:05/rtc/rtc0");
	CHECK_STR("name", value(SYSDIR "name"), "rtc_cmos 00:05\n");
	stat(DEV, &st);
	snprintf(want, sizeof(want), "%u:0\n", major(st.st_rdev));
	CHECK_STR("dev is the node's number", value(SYSDIR "dev"), want);
	CHECK_STR("hctosys: it set the system clock at boot",
		  value(SYSDIR "hctosys"), "1\n");
	CHECK_STR("max_user_freq", value(SYSDIR "max_user_freq"), "64\n");
	epoch = atol(value(SYSDIR "since_epoch"));
	CHECK("since_epoch is the system clock's time, within 2 s",
	      epoch >= now - 2 && epoch <= now + 2);
	gmtime_r(&now, &tm);
	value(SYSDIR "date");
	CHECK("date is YYYY-MM-DD", strlen(text) == 11 && text[4] == '-' &&
	      text[7] == '-' && text[10] == '\n');
	CHECK_EQ("of this year", atoi(text), tm.tm_year + 1900);
	value(SYSDIR "time");
	CHECK("time is HH:MM:SS", strlen(text) == 9 && text[2] == ':' &&
	      text[5] == ':' && text[8] == '\n');
	CHECK_STR("wakealarm is empty with no alarm set",
		  value(SYSDIR "wakealarm"), "");
	CHECK_OK("the attributes are files", stat(SYSDIR "date", &st));
	CHECK_EQ("read-only ones 0444", st.st_mode & 0777, 0444);
	stat(SYSDIR "max_user_freq", &st);
	CHECK_EQ("max_user_freq 0644", st.st_mode & 0777, 0644);
	stat(SYSDIR "wakealarm", &st);
	CHECK_EQ("wakealarm 0644", st.st_mode & 0777, 0644);
	n = readlink(SYSDIR "subsystem", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	CHECK_STR("its subsystem is the rtc class", link,
		  "../../../../../class/rtc");
	stat(DEV, &st);
	snprintf(want, sizeof(want), "/sys/dev/char/%u:0", major(st.st_rdev));
	n = readlink(want, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	CHECK_STR("/sys/dev/char/251:0 is the same device", link,
		  "../../devices/pnp0/00:05/rtc/rtc0");
	CHECK_STR("the PNP device's id", value("/sys/devices/pnp0/00:05/id"),
		  "PNP0b00\n");

	CHECK_ERR("max_user_freq takes no 0", put(SYSDIR "max_user_freq", "0"),
		  EINVAL);
	CHECK_ERR("nor 4096", put(SYSDIR "max_user_freq", "4096"), EINVAL);
	CHECK_ERR("nor words", put(SYSDIR "max_user_freq", "many"), EINVAL);
	CHECK_OK("but 128", put(SYSDIR "max_user_freq", "128"));
	CHECK_STR("which reads back", value(SYSDIR "max_user_freq"), "128\n");
	value("/proc/driver/rtc");
	CHECK_STR("and shows in /proc/driver/rtc",
		  proc_line("max user IRQ frequency"),
		  "max user IRQ frequency\t: 128");
	CHECK_OK("0x40 in hex", put(SYSDIR "max_user_freq", "0x40"));
	CHECK_STR("is 64 again", value(SYSDIR "max_user_freq"), "64\n");
}

static void test_open(void)
{
	int fd = open(DEV, O_RDONLY), fd2;

	CHECK("open " DEV, fd >= 0);
	CHECK_ERR("a second opener is EBUSY", open(DEV, O_RDONLY), EBUSY);
	CHECK_ERR("also for writing", open(DEV, O_RDWR), EBUSY);
	close(fd);
	fd2 = open(DEV, O_RDWR);
	CHECK("once closed it opens again, read-write too", fd2 >= 0);
	CHECK_ERR("write is EINVAL: the device has none", write(fd2, "x", 1),
		  EINVAL);
	close(fd2);
}

static void test_read_time(int fd)
{
	struct rtc_time tm;
	struct rtc_pll_info pll;
	unsigned long ul;
	unsigned int ui;
	char buf[16];
	struct pollfd p = { .fd = fd, .events = POLLIN };
	time_t t, now;
	int fl;

	memset(&tm, 0x55, sizeof(tm));
	CHECK_OK("RTC_RD_TIME", ioctl(fd, RTC_RD_TIME, &tm));
	now = time(NULL);
	t = tm_secs(&tm);
	CHECK("the RTC keeps UTC: CLOCK_REALTIME within 2 s",
	      t >= now - 2 && t <= now + 2);
	CHECK("its fields are a valid date", tm.tm_mon >= 0 && tm.tm_mon < 12 &&
	      tm.tm_mday >= 1 && tm.tm_mday <= 31 && tm.tm_hour < 24 &&
	      tm.tm_min < 60 && tm.tm_sec < 60 && tm.tm_year >= 70);
	CHECK_EQ("tm_wday is not filled in (0)", tm.tm_wday, 0);
	CHECK_EQ("nor tm_yday", tm.tm_yday, 0);
	CHECK_EQ("tm_isdst 0", tm.tm_isdst, 0);
	CHECK_ERR("RTC_RD_TIME to a bad pointer is EFAULT",
		  ioctl(fd, RTC_RD_TIME, BAD_LOW), EFAULT);
	CHECK_ERR("and to a non-canonical one",
		  ioctl(fd, RTC_RD_TIME, (void *)0x8000000000000000UL), EFAULT);
	CHECK_ERR("an unknown ioctl is ENOTTY", ioctl(fd, _IO('p', 0x7f)),
		  ENOTTY);
	CHECK_ERR("a terminal's too", ioctl(fd, TCGETS, buf), ENOTTY);
	CHECK_ERR("RTC_EPOCH_READ: not for rtc-cmos", ioctl(fd, RTC_EPOCH_READ,
		  &ul), ENOTTY);
	CHECK_ERR("RTC_EPOCH_SET as root: the same", ioctl(fd, RTC_EPOCH_SET,
		  1900UL), ENOTTY);
	CHECK_ERR("RTC_VL_READ too", ioctl(fd, RTC_VL_READ, &ui), ENOTTY);
	CHECK_ERR("RTC_PLL_GET too", ioctl(fd, RTC_PLL_GET, &pll), ENOTTY);
	CHECK_ERR("lseek is ESPIPE", lseek(fd, 0, SEEK_SET), ESPIPE);
	CHECK_ERR("write on a read-only file is EBADF", write(fd, buf, 8),
		  EBADF);

	fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	CHECK_ERR("read of 0 bytes is EINVAL", read(fd, buf, 0), EINVAL);
	CHECK_ERR("of 3 too", read(fd, buf, 3), EINVAL);
	CHECK_ERR("and of 7", read(fd, buf, 7), EINVAL);
	CHECK_ERR("4 bytes (an int) with nothing counted: EAGAIN",
		  read(fd, buf, 4), EAGAIN);
	CHECK_ERR("8 (a long) too", read(fd, buf, 8), EAGAIN);
	CHECK_ERR("16 too", read(fd, buf, 16), EAGAIN);
	CHECK_ERR("pread is a read at any offset", pread(fd, buf, 8, 4),
		  EAGAIN);
	fcntl(fd, F_SETFL, fl);
	CHECK_EQ("poll: not readable", poll(&p, 1, 0), 0);
}

static int unprivileged(void *arg)
{
	int fd = *(int *)arg;
	struct rtc_time tm;
	struct rtc_param prm = { .param = RTC_PARAM_CORRECTION };
	unsigned long freq = 0;

	check_fails = 0;
	if (setgroups(0, NULL) || setresgid(1000, 1000, 1000) ||
	    setresuid(1000, 1000, 1000)) {
		check_emit("FAIL %s: dropping privileges: %s", T,
			   errname(errno));
		return 1;
	}
	CHECK_OK("an unprivileged holder of the file reads the time",
		 ioctl(fd, RTC_RD_TIME, &tm));
	CHECK_ERR("RTC_SET_TIME without CAP_SYS_TIME is EACCES",
		  ioctl(fd, RTC_SET_TIME, &tm), EACCES);
	CHECK_ERR("checked before the pointer",
		  ioctl(fd, RTC_SET_TIME, BAD_LOW), EACCES);
	CHECK_ERR("RTC_PARAM_SET too", ioctl(fd, RTC_PARAM_SET, &prm), EACCES);
	CHECK_ERR("RTC_EPOCH_SET too", ioctl(fd, RTC_EPOCH_SET, 1900UL),
		  EACCES);
	CHECK_OK("RTC_IRQP_READ", ioctl(fd, RTC_IRQP_READ, &freq));
	CHECK_EQ("the periodic rate is 1024 Hz", freq, 1024);
	CHECK_ERR("RTC_PIE_ON at a rate over max_user_freq (64) is EACCES",
		  ioctl(fd, RTC_PIE_ON), EACCES);
	CHECK_ERR("RTC_IRQP_SET over it too", ioctl(fd, RTC_IRQP_SET, 128UL),
		  EACCES);
	CHECK_OK("RTC_IRQP_SET of 32 is allowed",
		 ioctl(fd, RTC_IRQP_SET, 32UL));
	CHECK_OK("and RTC_PIE_ON then", ioctl(fd, RTC_PIE_ON));
	CHECK_OK("RTC_PIE_OFF", ioctl(fd, RTC_PIE_OFF));
	CHECK_ERR("opening " DEV " (0600) is EACCES", open(DEV, O_RDONLY),
		  EACCES);
	return check_fails;
}

static void set_tm(struct rtc_time *tm, int year, int mon, int mday, int hour,
		   int min, int sec)
{
	*tm = (struct rtc_time){
		.tm_year = year - 1900, .tm_mon = mon - 1, .tm_mday = mday,
		.tm_hour = hour, .tm_min = min, .tm_sec = sec,
	};
}

static void bad_tm(int fd, const char *what, struct rtc_time tm)
{
	CHECK_ERR(what, ioctl(fd, RTC_SET_TIME, &tm), EINVAL);
}

static void test_set_time(int fd)
{
	struct rtc_time tm, got, base;
	struct timespec before, after;
	time_t want, t;
	int st;

	clock_gettime(CLOCK_REALTIME, &before);
	set_tm(&tm, 2030, 6, 15, 12, 34, 56);
	want = tm_secs(&tm);
	CHECK_OK("root sets the RTC to 2030-06-15 12:34:56",
		 ioctl(fd, RTC_SET_TIME, &tm));
	ioctl(fd, RTC_RD_TIME, &got);
	t = tm_secs(&got);
	CHECK("RTC_RD_TIME reads it back (and it ticks on)",
	      t >= want && t <= want + 2);
	clock_gettime(CLOCK_REALTIME, &after);
	CHECK("the system clock is not changed",
	      after.tv_sec >= before.tv_sec &&
	      after.tv_sec <= before.tv_sec + 3);

	set_tm(&tm, 2024, 2, 29, 23, 59, 58);
	CHECK_OK("2024-02-29, a leap day", ioctl(fd, RTC_SET_TIME, &tm));
	ioctl(fd, RTC_RD_TIME, &got);
	CHECK("reads back", got.tm_year == 124 && got.tm_mon == 1 &&
	      got.tm_mday == 29 && got.tm_hour == 23);
	set_tm(&tm, 2069, 12, 31, 0, 0, 0);
	CHECK_OK("2069 is in range", ioctl(fd, RTC_SET_TIME, &tm));
	ioctl(fd, RTC_RD_TIME, &got);
	CHECK_EQ("which reads back", got.tm_year, 169);
	set_tm(&tm, 2070, 1, 1, 0, 0, 0);
	CHECK_ERR("2070 is not: QEMU's FADT (revision 1) gives no century",
		  ioctl(fd, RTC_SET_TIME, &tm), EINVAL);
	set_tm(&tm, 1970, 1, 1, 0, 0, 0);
	CHECK_OK("1970 is the earliest", ioctl(fd, RTC_SET_TIME, &tm));
	ioctl(fd, RTC_RD_TIME, &got);
	CHECK_EQ("and reads back", got.tm_year, 70);

	set_tm(&base, 2031, 4, 10, 10, 20, 30);
	tm = base; tm.tm_mon = 12;
	bad_tm(fd, "tm_mon 12 is EINVAL", tm);
	tm = base; tm.tm_mon = -1;
	bad_tm(fd, "tm_mon -1", tm);
	tm = base; tm.tm_mday = 0;
	bad_tm(fd, "tm_mday 0", tm);
	tm = base; tm.tm_mday = 31;
	bad_tm(fd, "April 31", tm);
	set_tm(&tm, 2023, 2, 29, 0, 0, 0);
	bad_tm(fd, "February 29 of 2023", tm);
	set_tm(&tm, 2100, 2, 29, 0, 0, 0);
	bad_tm(fd, "February 29 of 2100", tm);
	tm = base; tm.tm_hour = 24;
	bad_tm(fd, "tm_hour 24", tm);
	tm = base; tm.tm_min = 60;
	bad_tm(fd, "tm_min 60", tm);
	tm = base; tm.tm_sec = 60;
	bad_tm(fd, "tm_sec 60 (no leap seconds)", tm);
	tm = base; tm.tm_sec = -1;
	bad_tm(fd, "tm_sec -1", tm);
	tm = base; tm.tm_year = 69;
	bad_tm(fd, "1969, before the epoch", tm);
	tm = base; tm.tm_year = 0x7fffffff;
	bad_tm(fd, "tm_year INT_MAX", tm);
	tm = base; tm.tm_wday = 9; tm.tm_yday = -5; tm.tm_isdst = 7;
	CHECK_OK("tm_wday, tm_yday and tm_isdst are ignored",
		 ioctl(fd, RTC_SET_TIME, &tm));
	CHECK_ERR("RTC_SET_TIME from a bad pointer is EFAULT",
		  ioctl(fd, RTC_SET_TIME, BAD_LOW), EFAULT);

	st = run_child(unprivileged, &fd);
	CHECK_EQ("the unprivileged child passed", st, 0);
	CHECK_OK("root sets the rate back to 1024 Hz",
		 ioctl(fd, RTC_IRQP_SET, 1024UL));

	tm = secs_tm(time(NULL));
	CHECK_OK("and the clock back to the system's",
		 ioctl(fd, RTC_SET_TIME, &tm));
}

static void test_uie(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLRDNORM };
	unsigned long data;
	unsigned int word;
	double t0, dt;
	time_t r0, r1, r2;
	int fl;

	drain(fd);	/* what the unprivileged child's PIE_ON counted */
	CHECK_OK("RTC_UIE_ON", ioctl(fd, RTC_UIE_ON));
	r0 = rtc_now(fd);
	t0 = now_s();
	data = irq_word(fd);
	dt = now_s() - t0;
	r1 = rtc_now(fd);
	CHECK_EQ("read waits for the update: one, RTC_UF | RTC_IRQF",
		 data, (1 << 8) | RTC_UF | RTC_IRQF);
	CHECK("within a second", dt < 1.2);
	CHECK("at the RTC's next second", r1 == r0 || r1 == r0 + 1);
	t0 = now_s();
	data = irq_word(fd);
	dt = now_s() - t0;
	r2 = rtc_now(fd);
	CHECK_EQ("the next update", data, (1 << 8) | RTC_UF | RTC_IRQF);
	CHECK("a second later", dt > 0.6 && dt < 1.4);
	CHECK_EQ("when the RTC's second has moved on by one", r2 - r1, 1);
	value("/proc/driver/rtc");
	CHECK_STR("/proc/driver/rtc: update IRQ enabled",
		  proc_line("update IRQ enabled"), "update IRQ enabled\t: yes");

	t0 = now_s();
	CHECK_EQ("poll waits for the next update", poll(&p, 1, 3000), 1);
	dt = now_s() - t0;
	CHECK_EQ("POLLIN | POLLRDNORM", p.revents, POLLIN | POLLRDNORM);
	CHECK("within a second", dt < 1.4);
	fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	CHECK_EQ("a non-blocking read then gets it", irq_word(fd),
		 (1 << 8) | RTC_UF | RTC_IRQF);
	CHECK_ERR("and the next is EAGAIN", read(fd, &data, sizeof(data)),
		  EAGAIN);
	fcntl(fd, F_SETFL, fl);
	CHECK_OK("RTC_UIE_ON again changes nothing", ioctl(fd, RTC_UIE_ON));
	poll(&p, 1, 3000);
	CHECK_EQ("a read of 4 bytes returns an int",
		 read(fd, &word, sizeof(word)), 4);
	CHECK_EQ("holding the same word", word, (1 << 8) | RTC_UF | RTC_IRQF);
	CHECK_ERR("the word to a bad pointer is EFAULT",
		  (poll(&p, 1, 3000), read(fd, BAD_LOW, 8)), EFAULT);

	sleep(2);
	data = irq_word(fd);
	CHECK("two seconds unread: the count is 2 (or 3)",
	      (data & 0xff) == (RTC_UF | RTC_IRQF) &&
	      (data >> 8 == 2 || data >> 8 == 3));
	CHECK_OK("RTC_UIE_OFF", ioctl(fd, RTC_UIE_OFF));
	drain(fd);
	CHECK_EQ("no more updates", poll(&p, 1, 1300), 0);
	value("/proc/driver/rtc");
	CHECK_STR("update IRQ enabled: no", proc_line("update IRQ enabled"),
		  "update IRQ enabled\t: no");
	CHECK_OK("RTC_UIE_OFF when off", ioctl(fd, RTC_UIE_OFF));
}

static void test_pie(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	unsigned long freq = 0, data;
	unsigned int count;
	double t0, dt;

	CHECK_OK("RTC_IRQP_READ", ioctl(fd, RTC_IRQP_READ, &freq));
	CHECK_EQ("1024 Hz", freq, 1024);
	CHECK_ERR("RTC_IRQP_READ to a bad pointer is EFAULT",
		  ioctl(fd, RTC_IRQP_READ, BAD_LOW), EFAULT);
	CHECK_ERR("RTC_IRQP_SET of 0 is EINVAL", ioctl(fd, RTC_IRQP_SET, 0UL),
		  EINVAL);
	CHECK_ERR("of 8193 too", ioctl(fd, RTC_IRQP_SET, 8193UL), EINVAL);
	CHECK_ERR("of ULONG_MAX (an int's -1) too",
		  ioctl(fd, RTC_IRQP_SET, ~0UL), EINVAL);
	CHECK_OK("8192 Hz is allowed for root",
		 ioctl(fd, RTC_IRQP_SET, 8192UL));
	CHECK_OK("any rate, not just a power of two",
		 ioctl(fd, RTC_IRQP_SET, 3UL));
	ioctl(fd, RTC_IRQP_READ, &freq);
	CHECK_EQ("RTC_IRQP_READ", freq, 3);
	value("/proc/driver/rtc");
	CHECK_STR("/proc/driver/rtc's periodic IRQ frequency",
		  proc_line("periodic IRQ frequency"),
		  "periodic IRQ frequency\t: 3");
	CHECK_STR("and rtc-cmos's periodic_freq", proc_line("periodic_freq"),
		  "periodic_freq\t: 3");

	CHECK_OK("at 64 Hz", ioctl(fd, RTC_IRQP_SET, 64UL));
	t0 = now_s();
	CHECK_OK("RTC_PIE_ON", ioctl(fd, RTC_PIE_ON));
	value("/proc/driver/rtc");
	CHECK_STR("periodic IRQ enabled", proc_line("periodic IRQ enabled"),
		  "periodic IRQ enabled\t: yes");
	usleep(250000);
	data = irq_word(fd);
	dt = now_s() - t0;
	count = (unsigned)(data >> 8);
	CHECK_EQ("the word is RTC_PF | RTC_IRQF", data & 0xff,
		 RTC_PF | RTC_IRQF);
	CHECK("counting the periods in a quarter second",
	      count >= 8 && count <= (unsigned)(dt * 64) + 2);
	t0 = now_s();
	data = irq_word(fd);
	dt = now_s() - t0;
	CHECK("the next comes within a period or two",
	      (data & 0xff) == (RTC_PF | RTC_IRQF) && dt < 0.1);
	CHECK_OK("RTC_PIE_OFF", ioctl(fd, RTC_PIE_OFF));
	drain(fd);
	CHECK_EQ("then nothing", poll(&p, 1, 300), 0);
	CHECK_OK("RTC_PIE_OFF when off", ioctl(fd, RTC_PIE_OFF));
	CHECK_OK("RTC_IRQP_SET back to 1024", ioctl(fd, RTC_IRQP_SET, 1024UL));
}

/* Closing the file ends its update and periodic interrupts. */
static void test_release(void)
{
	int fd = open(DEV, O_RDONLY);
	struct pollfd p = { .events = POLLIN };

	ioctl(fd, RTC_UIE_ON);
	ioctl(fd, RTC_PIE_ON);
	usleep(100000);
	close(fd);
	value("/proc/driver/rtc");
	CHECK_STR("close turns the update interrupt off",
		  proc_line("update IRQ enabled"), "update IRQ enabled\t: no");
	CHECK_STR("and the periodic one", proc_line("periodic IRQ enabled"),
		  "periodic IRQ enabled\t: no");
	fd = open(DEV, O_RDONLY);
	p.fd = fd;
	CHECK_EQ("a new opener starts with nothing counted", poll(&p, 1, 0), 0);
	close(fd);
}

static struct rtc_wkalrm wk(time_t t, int enabled)
{
	struct rtc_wkalrm a = { .enabled = (unsigned char)enabled };

	a.time = secs_tm(t);
	return a;
}

static void test_alarm(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct rtc_wkalrm a, got;
	struct rtc_time tm, tod;
	time_t now, at, then;
	unsigned long data;
	char num[32];
	double t0, dt;

	now = rtc_now(fd);
	at = now + 2;
	a = wk(at, 1);
	CHECK_OK("RTC_WKALM_SET, enabled, 2 s ahead",
		 ioctl(fd, RTC_WKALM_SET, &a));
	memset(&got, 0x55, sizeof(got));
	CHECK_OK("RTC_WKALM_RD", ioctl(fd, RTC_WKALM_RD, &got));
	CHECK("reads it back, enabled, not pending",
	      tm_secs(&got.time) == at && got.enabled == 1 && got.pending == 0);
	CHECK("with its weekday, and its day of the year counted from 1",
	      got.time.tm_wday == a.time.tm_wday &&
	      got.time.tm_yday == a.time.tm_yday + 1 && got.time.tm_isdst == 0);
	value("/proc/driver/rtc");
	CHECK_STR("/proc/driver/rtc: alarm_IRQ yes", proc_line("alarm_IRQ"),
		  "alarm_IRQ\t: yes");
	snprintf(num, sizeof(num), "%lld\n", (long long)at);
	CHECK_STR("sysfs wakealarm shows it", value(SYSDIR "wakealarm"), num);
	t0 = now_s();
	data = irq_word(fd);
	dt = now_s() - t0;
	CHECK_EQ("read waits for it: RTC_AF | RTC_IRQF", data,
		 (1 << 8) | RTC_AF | RTC_IRQF);
	CHECK("after about 2 s", dt > 0.5 && dt < 3.5);
	CHECK("when the RTC has reached it", rtc_now(fd) >= at);
	ioctl(fd, RTC_WKALM_RD, &got);
	CHECK("a fired alarm is off, its time kept",
	      got.enabled == 0 && tm_secs(&got.time) == at);
	CHECK_STR("wakealarm is empty again", value(SYSDIR "wakealarm"), "");

	a = wk(rtc_now(fd) - 10, 1);
	CHECK_OK("an enabled alarm in the past is accepted",
		 ioctl(fd, RTC_WKALM_SET, &a));
	CHECK_EQ("and goes off at once", poll(&p, 1, 1500), 1);
	CHECK_EQ("RTC_AF", irq_word(fd), (1 << 8) | RTC_AF | RTC_IRQF);
	a = wk(rtc_now(fd) + 2 * 86400, 1);
	CHECK_ERR("an enabled alarm over a day ahead is EINVAL",
		  ioctl(fd, RTC_WKALM_SET, &a), EINVAL);
	ioctl(fd, RTC_WKALM_RD, &got);
	CHECK_EQ("and is left off", got.enabled, 0);
	a.enabled = 0;
	CHECK_OK("a disabled one is kept", ioctl(fd, RTC_WKALM_SET, &a));
	ioctl(fd, RTC_WKALM_RD, &got);
	CHECK("as set", tm_secs(&got.time) == tm_secs(&a.time) && !got.enabled);
	CHECK_ERR("RTC_AIE_ON for it is EINVAL", ioctl(fd, RTC_AIE_ON), EINVAL);
	a = wk(rtc_now(fd) + 600, 0);
	a.time.tm_mon = 12;
	CHECK_ERR("RTC_WKALM_SET of a bad date is EINVAL",
		  ioctl(fd, RTC_WKALM_SET, &a), EINVAL);
	CHECK_ERR("from a bad pointer EFAULT",
		  ioctl(fd, RTC_WKALM_SET, BAD_LOW), EFAULT);
	CHECK_ERR("RTC_WKALM_RD to one EFAULT",
		  ioctl(fd, RTC_WKALM_RD, BAD_LOW), EFAULT);

	now = rtc_now(fd);
	tod = secs_tm(now + 3600);
	tm = (struct rtc_time){ .tm_hour = tod.tm_hour, .tm_min = tod.tm_min,
				.tm_sec = tod.tm_sec, .tm_mday = 99,
				.tm_year = 3 };
	CHECK_OK("RTC_ALM_SET: a time of day an hour ahead (date ignored)",
		 ioctl(fd, RTC_ALM_SET, &tm));
	memset(&tm, 0x55, sizeof(tm));
	CHECK_OK("RTC_ALM_READ", ioctl(fd, RTC_ALM_READ, &tm));
	CHECK("reads it back", tm.tm_hour == tod.tm_hour &&
	      tm.tm_min == tod.tm_min && tm.tm_sec == tod.tm_sec);
	ioctl(fd, RTC_WKALM_RD, &got);
	CHECK("on the date it next comes, not enabled",
	      tm_secs(&got.time) == now + 3600 && !got.enabled);
	tod = secs_tm(now - 3600);
	tm = (struct rtc_time){ .tm_hour = tod.tm_hour, .tm_min = tod.tm_min,
				.tm_sec = tod.tm_sec };
	CHECK_OK("a time of day an hour ago", ioctl(fd, RTC_ALM_SET, &tm));
	ioctl(fd, RTC_WKALM_RD, &got);
	/* Passed today: tomorrow. (At 00:xx it is today's 23:xx, the same.) */
	then = now - 3600 + 86400;
	CHECK("goes off tomorrow", tm_secs(&got.time) == then);
	CHECK_OK("RTC_AIE_ON", ioctl(fd, RTC_AIE_ON));
	ioctl(fd, RTC_WKALM_RD, &got);
	CHECK_EQ("enables it", got.enabled, 1);
	snprintf(num, sizeof(num), "%lld\n", (long long)then);
	CHECK_STR("wakealarm shows it", value(SYSDIR "wakealarm"), num);
	CHECK_OK("RTC_AIE_OFF", ioctl(fd, RTC_AIE_OFF));
	ioctl(fd, RTC_WKALM_RD, &got);
	CHECK_EQ("disables it", got.enabled, 0);
	tm.tm_hour = 24;
	CHECK_ERR("RTC_ALM_SET of hour 24 is EINVAL",
		  ioctl(fd, RTC_ALM_SET, &tm), EINVAL);
	CHECK_ERR("from a bad pointer EFAULT", ioctl(fd, RTC_ALM_SET, BAD_LOW),
		  EFAULT);
	CHECK_ERR("RTC_ALM_READ to one EFAULT",
		  ioctl(fd, RTC_ALM_READ, BAD_LOW), EFAULT);

	now = rtc_now(fd);
	CHECK_OK("wakealarm takes +600", put(SYSDIR "wakealarm", "+600"));
	ioctl(fd, RTC_WKALM_RD, &got);
	CHECK("an enabled alarm 600 s ahead",
	      got.enabled && tm_secs(&got.time) >= now + 600 &&
	      tm_secs(&got.time) <= now + 602);
	CHECK_ERR("a second one while it is set is EBUSY",
		  put(SYSDIR "wakealarm", "+700"), EBUSY);
	CHECK_OK("+=60 pushes it on", put(SYSDIR "wakealarm", "+=60"));
	ioctl(fd, RTC_WKALM_RD, &got);
	CHECK("by 60 s", got.enabled && tm_secs(&got.time) >= now + 660 &&
	      tm_secs(&got.time) <= now + 662);
	CHECK_ERR("wakealarm takes no words", put(SYSDIR "wakealarm", "soon"),
		  EINVAL);
	CHECK_OK("0 clears it", put(SYSDIR "wakealarm", "0"));
	ioctl(fd, RTC_WKALM_RD, &got);
	CHECK("off, set 300 s ahead", !got.enabled &&
	      tm_secs(&got.time) >= now + 300 &&
	      tm_secs(&got.time) <= now + 302);
	CHECK_ERR("+= with no alarm set is EINVAL",
		  put(SYSDIR "wakealarm", "+=60"), EINVAL);
	drain(fd);
}

static void test_param(int fd)
{
	struct rtc_param prm = { .param = RTC_PARAM_FEATURES };

	CHECK_OK("RTC_PARAM_GET of the features",
		 ioctl(fd, RTC_PARAM_GET, &prm));
	CHECK_EQ("alarm and update interrupt", prm.uvalue,
		 (1 << RTC_FEATURE_ALARM) |
		 (1 << RTC_FEATURE_UPDATE_INTERRUPT));
	prm.index = 1;
	CHECK_ERR("index 1 is EINVAL", ioctl(fd, RTC_PARAM_GET, &prm), EINVAL);
	prm = (struct rtc_param){ .param = RTC_PARAM_CORRECTION };
	CHECK_ERR("no correction: EINVAL", ioctl(fd, RTC_PARAM_GET, &prm),
		  EINVAL);
	prm.param = 99;
	CHECK_ERR("an unknown parameter EINVAL",
		  ioctl(fd, RTC_PARAM_GET, &prm), EINVAL);
	CHECK_ERR("from a bad pointer EFAULT",
		  ioctl(fd, RTC_PARAM_GET, BAD_LOW), EFAULT);
	prm = (struct rtc_param){ .param = RTC_PARAM_FEATURES };
	CHECK_ERR("RTC_PARAM_SET of the features is EINVAL",
		  ioctl(fd, RTC_PARAM_SET, &prm), EINVAL);
	prm.param = RTC_PARAM_CORRECTION;
	CHECK_ERR("of the correction too", ioctl(fd, RTC_PARAM_SET, &prm),
		  EINVAL);
	CHECK_ERR("from a bad pointer EFAULT",
		  ioctl(fd, RTC_PARAM_SET, BAD_LOW), EFAULT);
}

static void test_proc(int fd)
{
	static const char *const keys[] = {
		"rtc_time", "rtc_date", "alrm_time", "alrm_date", "alarm_IRQ",
		"alrm_pending", "update IRQ enabled", "periodic IRQ enabled",
		"periodic IRQ frequency", "max user IRQ frequency", "24hr",
		"periodic_IRQ", "update_IRQ", "HPET_emulated", "BCD",
		"DST_enable", "periodic_freq", "batt_status",
	};
	struct rtc_time tm;
	const char *p;
	size_t i;
	int ok = 1, h, m, s, y, mo, d;
	time_t t;

	CHECK("/proc/driver/rtc reads",
	      slurp("/proc/driver/rtc", text, sizeof(text)) > 0);
	ioctl(fd, RTC_RD_TIME, &tm);
	for (i = 0, p = text; i < sizeof(keys) / sizeof(keys[0]); i++) {
		size_t k = strlen(keys[i]);

		if (strncmp(p, keys[i], k) || (p[k] != '\t' && p[k] != ' ') ||
		    !strchr(p, '\n')) {
			ok = 0;
			break;
		}
		p = strchr(p, '\n') + 1;
	}
	CHECK("its lines are rtc-proc's and rtc-cmos's, in order", ok && !*p);
	CHECK("rtc_time is HH:MM:SS",
	      sscanf(proc_line("rtc_time"), "rtc_time\t: %d:%d:%d", &h, &m,
		     &s) == 3 && strlen(proc_line("rtc_time")) == 19);
	CHECK("rtc_date is YYYY-MM-DD",
	      sscanf(proc_line("rtc_date"), "rtc_date\t: %d-%d-%d", &y, &mo,
		     &d) == 3 && strlen(proc_line("rtc_date")) == 21);
	{
		struct rtc_time r = { .tm_sec = s, .tm_min = m, .tm_hour = h,
				      .tm_mday = d, .tm_mon = mo - 1,
				      .tm_year = y - 1900 };

		t = tm_secs(&r);
	}
	CHECK("and they are the RTC's time",
	      t >= tm_secs(&tm) - 1 && t <= tm_secs(&tm) + 1);
	CHECK("alrm_time is HH:MM:SS", strlen(proc_line("alrm_time")) == 20);
	CHECK("alrm_date is YYYY-MM-DD", strlen(proc_line("alrm_date")) == 22);
	CHECK_STR("alarm_IRQ", proc_line("alarm_IRQ"), "alarm_IRQ\t: no");
	CHECK_STR("alrm_pending", proc_line("alrm_pending"),
		  "alrm_pending\t: no");
	CHECK_STR("update IRQ enabled", proc_line("update IRQ enabled"),
		  "update IRQ enabled\t: no");
	CHECK_STR("periodic IRQ enabled", proc_line("periodic IRQ enabled"),
		  "periodic IRQ enabled\t: no");
	CHECK_STR("periodic IRQ frequency", proc_line("periodic IRQ frequency"),
		  "periodic IRQ frequency\t: 1024");
	CHECK_STR("max user IRQ frequency", proc_line("max user IRQ frequency"),
		  "max user IRQ frequency\t: 64");
	CHECK_STR("24hr", proc_line("24hr"), "24hr\t\t: yes");
	CHECK_STR("periodic_IRQ (the chip's PIE bit)",
		  proc_line("periodic_IRQ"), "periodic_IRQ\t: no");
	CHECK_STR("update_IRQ (its UIE bit)", proc_line("update_IRQ"),
		  "update_IRQ\t: no");
	CHECK("HPET_emulated is yes or no",
	      !strcmp(proc_line("HPET_emulated"), "HPET_emulated\t: yes") ||
	      !strcmp(proc_line("HPET_emulated"), "HPET_emulated\t: no"));
	CHECK_STR("BCD: QEMU's CMOS counts in BCD", proc_line("BCD"),
		  "BCD\t\t: yes");
	CHECK_STR("DST_enable", proc_line("DST_enable"), "DST_enable\t: no");
	CHECK_STR("periodic_freq", proc_line("periodic_freq"),
		  "periodic_freq\t: 1024");
	CHECK_STR("batt_status", proc_line("batt_status"),
		  "batt_status\t: okay");
}

/* BusyBox's hwclock, as a user would run it: -r shows the clock, -w sets it. */
static void test_hwclock(void)
{
	char out[256] = "";
	struct tm tm = { 0 };
	FILE *f;
	time_t t, now;
	int fd, st;

	f = popen("hwclock -r -u 2>&1", "r");
	if (f) {
		if (!fgets(out, sizeof(out), f))
			out[0] = '\0';
		st = pclose(f);
	} else {
		st = -1;
	}
	now = time(NULL);
	CHECK_EQ("hwclock -r -u runs", st, 0);
	CHECK("and prints a date", strptime(out, "%a %b %d %H:%M:%S %Y", &tm) !=
	      NULL);
	t = timegm(&tm);
	CHECK_EQ("the system clock's, within 2 s",
		 t >= now - 2 && t <= now + 2 ? 0 : (long long)(t - now), 0);
	CHECK_EQ("hwclock -w -u sets the RTC from the system clock",
		 system("hwclock -w -u"), 0);
	fd = open(DEV, O_RDONLY);
	t = rtc_now(fd);
	now = time(NULL);
	CHECK("which reads back, within a second",
	      t >= now - 1 && t <= now + 1);
	close(fd);
}

int main(void)
{
	int fd;

	TEST_BEGIN(T);
	test_node();
	test_sysfs();
	test_open();
	fd = open(DEV, O_RDONLY);
	test_read_time(fd);
	test_proc(fd);
	test_param(fd);
	test_set_time(fd);
	test_uie(fd);
	test_pie(fd);
	test_alarm(fd);
	close(fd);
	test_release();
	test_hwclock();
	return TEST_END();
}
