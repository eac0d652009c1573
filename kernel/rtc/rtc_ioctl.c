/*
 * The ioctls of /dev/rtc0, as Linux 6.1's rtc_dev_ioctl with rtc-cmos
 * behind it: the privilege checks first (setting the time, the epoch or
 * a parameter needs CAP_SYS_TIME, a periodic rate above max_user_freq
 * CAP_SYS_RESOURCE: EACCES), then the time, the alarm (RTC_ALM_* by
 * time of day within the next 24 hours, RTC_WKALM_* whole), the update,
 * alarm and periodic interrupts, the periodic rate and RTC_PARAM_GET's
 * features. The rest, the epoch calls among them, is ENOTTY.
 */
#include "rtc_internal.h"
#include <kernel/vfs.h>
#include <platform/usercopy.h>
#include <svc/task.h>
#include <aramid/rtc_time.h>
#include <aramid/string.h>
#include <uapi/errno.h>

#define SECS_PER_DAY	86400

/* The features rtc-cmos with its interrupt has (RTC_PARAM_FEATURES). */
#define RTC_FEATURES	((1U << RTC_FEATURE_ALARM) | \
			 (1U << RTC_FEATURE_UPDATE_INTERRUPT))

/* The capability check rtc_dev_ioctl makes before anything: 0 or -EACCES. */
static int rtc_ioctl_allowed(unsigned cmd, unsigned long arg)
{
	struct rtc_irq_settings s;

	switch (cmd) {
	case RTC_EPOCH_SET:
	case RTC_SET_TIME:
	case RTC_PARAM_SET:
		return capable(CAP_SYS_TIME) ? 0 : -EACCES;
	case RTC_IRQP_SET:
		return arg > (unsigned long)rtc_max_user_freq() &&
		       !capable(CAP_SYS_RESOURCE) ? -EACCES : 0;
	case RTC_PIE_ON:
		rtc_irq_settings(&s);
		return s.irq_freq > s.max_user_freq &&
		       !capable(CAP_SYS_RESOURCE) ? -EACCES : 0;
	default:
		return 0;
	}
}

/*
 * RTC_ALM_SET: an alarm at @tm's time of day, off, today or, if that
 * time has passed, tomorrow (the date fields are ignored).
 */
static int rtc_alm_set(const struct rtc_time *tm)
{
	struct rtc_wkalrm alm = { .time = *tm };
	struct rtc_time now_tm, next;
	int64_t now;
	int err = rtc_read_time(&now_tm);

	if (err)
		return err;
	alm.time.tm_wday = alm.time.tm_yday = alm.time.tm_isdst = -1;
	alm.time.tm_mday = now_tm.tm_mday;
	alm.time.tm_mon = now_tm.tm_mon;
	alm.time.tm_year = now_tm.tm_year;
	if (!rtc_tm_valid(&alm.time))
		return -EINVAL;
	now = rtc_tm_to_time64(&now_tm);
	if (rtc_tm_to_time64(&alm.time) < now) {
		rtc_time64_to_tm(now + SECS_PER_DAY, &next);
		alm.time.tm_mday = next.tm_mday;
		alm.time.tm_mon = next.tm_mon;
		alm.time.tm_year = next.tm_year;
	}
	return rtc_set_alarm(&alm);
}

/*
 * RTC_PARAM_GET: the features word (index 0) alone; rtc-cmos has no
 * correction and no other parameter (EINVAL).
 */
static int rtc_param_get(uptr_t arg)
{
	struct rtc_param p;

	if (copy_from_user(&p, arg, sizeof(p)))
		return -EFAULT;
	if (p.param != RTC_PARAM_FEATURES || p.index != 0)
		return -EINVAL;
	p.value = RTC_FEATURES;
	return copy_to_user(arg, &p, sizeof(p)) ? -EFAULT : 0;
}

/* See rtc_internal.h. Process context. */
long rtc_ioctl(struct file *file, unsigned cmd, uptr_t arg)
{
	struct rtc_irq_settings s;
	struct rtc_wkalrm alm;
	struct rtc_param p;
	struct rtc_time tm;
	unsigned long freq;
	int err = rtc_ioctl_allowed(cmd, uptr_to_ulong(arg));

	if (err)
		return err;
	switch (cmd) {
	case RTC_RD_TIME:
		err = rtc_read_time(&tm);
		if (!err && copy_to_user(arg, &tm, sizeof(tm)))
			err = -EFAULT;
		return err;
	case RTC_SET_TIME:
		if (copy_from_user(&tm, arg, sizeof(tm)))
			return -EFAULT;
		return rtc_set_time(&tm);
	case RTC_ALM_READ:
		rtc_read_alarm(&alm);
		return copy_to_user(arg, &alm.time, sizeof(alm.time)) ?
			-EFAULT : 0;
	case RTC_ALM_SET:
		if (copy_from_user(&tm, arg, sizeof(tm)))
			return -EFAULT;
		return rtc_alm_set(&tm);
	case RTC_WKALM_RD:
		rtc_read_alarm(&alm);
		return copy_to_user(arg, &alm, sizeof(alm)) ? -EFAULT : 0;
	case RTC_WKALM_SET:
		if (copy_from_user(&alm, arg, sizeof(alm)))
			return -EFAULT;
		return rtc_set_alarm(&alm);
	case RTC_AIE_ON:
	case RTC_AIE_OFF:
		return rtc_alarm_irq_enable(cmd == RTC_AIE_ON);
	case RTC_UIE_ON:
	case RTC_UIE_OFF:
		return rtc_update_irq_enable(cmd == RTC_UIE_ON);
	case RTC_PIE_ON:
	case RTC_PIE_OFF:
		rtc_irq_set_state(cmd == RTC_PIE_ON);
		return 0;
	case RTC_IRQP_SET:	/* an int, as rtc_irq_set_freq takes it */
		return rtc_irq_set_freq((int)uptr_to_ulong(arg));
	case RTC_IRQP_READ:
		rtc_irq_settings(&s);
		freq = (unsigned long)s.irq_freq;
		return put_user(freq, arg) ? -EFAULT : 0;
	case RTC_PARAM_GET:
		return rtc_param_get(arg);
	case RTC_PARAM_SET:	/* nothing rtc-cmos can set */
		return copy_from_user(&p, arg, sizeof(p)) ? -EFAULT : -EINVAL;
	default:
		return -ENOTTY;
	}
}
