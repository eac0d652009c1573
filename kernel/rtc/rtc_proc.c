/*
 * /proc/driver/rtc, as Linux's rtc-proc.c prints it for rtc0, with
 * rtc-cmos's lines after: the chip's own interrupt bits (never set: the
 * kernel watches the clock with a timer, so HPET_emulated is "no"), its
 * counting mode, daylight saving switch and battery.
 */
#include "rtc_internal.h"
#include <platform/rtc.h>
#include <svc/introspect.h>
#include <aramid/string.h>

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

/* "%ptRt" and "%ptRd" of Linux's printk: HH:MM:SS, YYYY-MM-DD. */
static void put_tm(char *buf, size_t size, size_t *len, const char *time_key,
		   const char *date_key, const struct rtc_time *tm)
{
	buf_printf(buf, size, len, "%s\t: %02d:%02d:%02d\n", time_key,
		   tm->tm_hour, tm->tm_min, tm->tm_sec);
	buf_printf(buf, size, len, "%s\t: %04d-%02d-%02d\n", date_key,
		   tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday);
}

/* See introspect.h. */
ssize_t rtc_proc_show(char *buf, size_t size)
{
	struct rtc_irq_settings s;
	struct cmos_status st;
	struct rtc_wkalrm alm;
	struct rtc_time tm;
	size_t len = 0;

	if (!rtc_read_time(&tm))
		put_tm(buf, size, &len, "rtc_time", "rtc_date", &tm);
	rtc_read_alarm(&alm);
	put_tm(buf, size, &len, "alrm_time", "alrm_date", &alm.time);
	rtc_irq_settings(&s);
	cmos_read_status(&st);
	buf_printf(buf, size, &len,
		   "alarm_IRQ\t: %s\n"
		   "alrm_pending\t: %s\n"
		   "update IRQ enabled\t: %s\n"
		   "periodic IRQ enabled\t: %s\n"
		   "periodic IRQ frequency\t: %d\n"
		   "max user IRQ frequency\t: %d\n"
		   "24hr\t\t: yes\n",
		   yes_no(alm.enabled), yes_no(alm.pending), yes_no(s.uie),
		   yes_no(s.pie), s.irq_freq, s.max_user_freq);
	buf_printf(buf, size, &len,
		   "periodic_IRQ\t: %s\n"
		   "update_IRQ\t: %s\n"
		   "HPET_emulated\t: no\n"
		   "BCD\t\t: %s\n"
		   "DST_enable\t: %s\n"
		   "periodic_freq\t: %d\n"
		   "batt_status\t: %s\n",
		   yes_no(st.pie), yes_no(st.uie), yes_no(st.bcd),
		   yes_no(st.dst), s.irq_freq, st.battery_ok ? "okay" : "dead");
	return (ssize_t)len;
}
