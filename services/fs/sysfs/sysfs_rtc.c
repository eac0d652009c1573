/*
 * The real-time clock in sysfs, where Linux 6.1 in QEMU has it: the CMOS
 * clock is PNP device 00:05 (PNP0b00), its rtc0 at
 * devices/pnp0/00:05/rtc/rtc0, linked from class/rtc/rtc0 and from
 * dev/char/MAJOR:0, with rtc-sysfs.c's attributes: name, date, time,
 * since_epoch, max_user_freq, hctosys, wakealarm and dev. Each reads
 * the clock (include/svc/sysfacts.h) when read.
 */
#include "sysfs.h"
#include <aramid/rtc_time.h>
#include <aramid/string.h>
#include <uapi/errno.h>

#define RTC0_PATH	"devices/pnp0/00:05/rtc/rtc0"
#define ALARM_OFF_AHEAD	300	/* where an alarm switched off is put */

static int name_show(struct sysfs_out *o, int index)
{
	so_printf(o, "rtc_cmos 00:05\n");
	return 0;
}

static int pnp_id_show(struct sysfs_out *o, int index)
{
	so_printf(o, "PNP0b00\n");
	return 0;
}

static int date_show(struct sysfs_out *o, int index)
{
	struct rtc_time tm;
	int err = rtc_read_time(&tm);

	if (!err)
		so_printf(o, "%04d-%02d-%02d\n", tm.tm_year + 1900,
			  tm.tm_mon + 1, tm.tm_mday);
	return err;
}

static int time_show(struct sysfs_out *o, int index)
{
	struct rtc_time tm;
	int err = rtc_read_time(&tm);

	if (!err)
		so_printf(o, "%02d:%02d:%02d\n", tm.tm_hour, tm.tm_min,
			  tm.tm_sec);
	return err;
}

static int since_epoch_show(struct sysfs_out *o, int index)
{
	struct rtc_time tm;
	int err = rtc_read_time(&tm);

	if (!err)
		so_printf(o, "%lld\n", (long long)rtc_tm_to_time64(&tm));
	return err;
}

static int max_user_freq_show(struct sysfs_out *o, int index)
{
	so_printf(o, "%d\n", rtc_max_user_freq());
	return 0;
}

/* As Linux's max_user_freq_store: kstrtoul, then 1..4095. */
static int max_user_freq_store(int index, char *buf, size_t len)
{
	long long v;
	int err = so_parse_ll(buf, 0, 0x7fffffffffffffffLL, &v);

	return err ? err : rtc_set_max_user_freq((unsigned long)v);
}

static int hctosys_show(struct sysfs_out *o, int index)
{
	so_printf(o, "%d\n", rtc_hctosys() ? 1 : 0);
	return 0;
}

static int dev_show(struct sysfs_out *o, int index)
{
	dev_t d = rtc_devt();

	so_printf(o, "%u:%u\n", MAJOR(d), MINOR(d));
	return 0;
}

/* An enabled alarm's time in seconds; nothing when it is off. */
static int wakealarm_show(struct sysfs_out *o, int index)
{
	struct rtc_wkalrm alm;

	rtc_read_alarm(&alm);
	if (alm.enabled)
		so_printf(o, "%lld\n", (long long)rtc_tm_to_time64(&alm.time));
	return 0;
}

/*
 * As Linux's wakealarm_store: seconds since the epoch, "+N" from now or
 * "+=N" past the alarm that is set. A time to come sets the alarm on
 * (EBUSY while one is on, but for "+="; EINVAL for "+=" with none on);
 * another switches it off, leaving it five minutes ahead.
 */
static int wakealarm_store(int index, char *buf, size_t len)
{
	struct rtc_wkalrm alm;
	bool adjust = false, push = false;
	long long alarm;
	int64_t now;
	char *s = buf;
	int err = rtc_read_time(&alm.time);

	if (err)
		return err;
	now = rtc_tm_to_time64(&alm.time);
	if (*s == '+') {
		s++;
		if (*s == '=') {
			s++;
			push = true;
		} else {
			adjust = true;
		}
	}
	err = so_parse_ll(s, -0x7fffffffffffffffLL - 1, 0x7fffffffffffffffLL,
			  &alarm);
	if (err)
		return err;
	if (adjust)	/* wrapping, as the kernel's arithmetic does */
		alarm = (long long)((uint64_t)alarm + (uint64_t)now);
	if (alarm > now || push) {
		rtc_read_alarm(&alm);
		if (alm.enabled && !push)
			return -EBUSY;
		if (!alm.enabled && push)
			return -EINVAL;
		if (push)
			alarm = (long long)((uint64_t)alarm +
				(uint64_t)rtc_tm_to_time64(&alm.time));
		alm.enabled = 1;
	} else {
		alm.enabled = 0;
		alarm = now + ALARM_OFF_AHEAD;
	}
	rtc_time64_to_tm(alarm, &alm.time);
	return rtc_set_alarm(&alm);
}

/* rtc0's own directory: links to its device and its class. */
static int device_link(int index, char *buf, size_t len)
{
	snprintf(buf, len, "../../../00:05");
	return 0;
}

static int subsystem_link(int index, char *buf, size_t len)
{
	snprintf(buf, len, "../../../../../class/rtc");
	return 0;
}

/* class/rtc/rtc0 and dev/char/MAJOR:0: to the device directory. */
static int rtc0_link(int index, char *buf, size_t len)
{
	snprintf(buf, len, "../../" RTC0_PATH);
	return 0;
}

/* dev/char lists the one device: index 0. */
static int rtc_dev_next(int parent, int from)
{
	return from <= 0 ? 0 : -1;
}

static int rtc_dev_name(int index, char *buf, size_t len)
{
	dev_t d = rtc_devt();

	snprintf(buf, len, "%u:%u", MAJOR(d), MINOR(d));
	return 0;
}

static const struct sysfs_entry date = SYSFS_RO("date", date_show);
static const struct sysfs_entry dev = SYSFS_RO("dev", dev_show);
static const struct sysfs_entry device = {
	.name = "device", .mode = S_IFLNK | 0777, .link = device_link,
};
static const struct sysfs_entry hctosys = SYSFS_RO("hctosys", hctosys_show);
static const struct sysfs_entry max_user_freq =
	SYSFS_RW("max_user_freq", max_user_freq_show, max_user_freq_store);
static const struct sysfs_entry name = SYSFS_RO("name", name_show);
static const struct sysfs_entry since_epoch =
	SYSFS_RO("since_epoch", since_epoch_show);
static const struct sysfs_entry subsystem = {
	.name = "subsystem", .mode = S_IFLNK | 0777, .link = subsystem_link,
};
static const struct sysfs_entry time_attr = SYSFS_RO("time", time_show);
static const struct sysfs_entry wakealarm =
	SYSFS_RW("wakealarm", wakealarm_show, wakealarm_store);

static const struct sysfs_entry rtc0_dir = SYSFS_DIR("rtc0",
	SYSFS_CHILDREN(&date, &dev, &device, &hctosys, &max_user_freq, &name,
		       &since_epoch, &subsystem, &time_attr, &wakealarm));
static const struct sysfs_entry rtc_dir =
	SYSFS_DIR("rtc", SYSFS_CHILDREN(&rtc0_dir));
static const struct sysfs_entry pnp_id = SYSFS_RO("id", pnp_id_show);
static const struct sysfs_entry pnp_rtc_dir =
	SYSFS_DIR("00:05", SYSFS_CHILDREN(&pnp_id, &rtc_dir));

const struct sysfs_entry sysfs_pnp0_dir =
	SYSFS_DIR("pnp0", SYSFS_CHILDREN(&pnp_rtc_dir));

static const struct sysfs_entry class_rtc0 = {
	.name = "rtc0", .mode = S_IFLNK | 0777, .link = rtc0_link,
};

const struct sysfs_entry sysfs_class_rtc_dir =
	SYSFS_DIR("rtc", SYSFS_CHILDREN(&class_rtc0));

static const struct sysfs_entry char_rtc0 = {
	.mode = S_IFLNK | 0777, .link = rtc0_link,
	.next = rtc_dev_next, .name_of = rtc_dev_name,
};

const struct sysfs_entry sysfs_dev_char_dir =
	SYSFS_DIR("char", .family = &char_rtc0);
