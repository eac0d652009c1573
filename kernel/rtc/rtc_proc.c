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

/* Append to @buf of @size at *@len; stops adding once it is full. */
static void add(char *buf, size_t size, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	*len += n > 0 ? (size_t)n : 0;
}

/* "%ptRt" and "%ptRd" of Linux's printk: HH:MM:SS, YYYY-MM-DD. */
static void add_tm(char *buf, size_t size, size_t *len, const char *time_key,
		   const char *date_key, const struct rtc_time *tm)
{
	add(buf, size, len, "%s\t: %02d:%02d:%02d\n", time_key, tm->tm_hour,
	    tm->tm_min, tm->tm_sec);
	add(buf, size, len, "%s\t: %04d-%02d-%02d\n", date_key,
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
		add_tm(buf, size, &len, "rtc_time", "rtc_date", &tm);
	rtc_read_alarm(&alm);
	add_tm(buf, size, &len, "alrm_time", "alrm_date", &alm.time);
	rtc_irq_settings(&s);
	add(buf, size, &len, "alarm_IRQ\t: %s\n", yes_no(alm.enabled));
	add(buf, size, &len, "alrm_pending\t: %s\n", yes_no(alm.pending));
	add(buf, size, &len, "update IRQ enabled\t: %s\n", yes_no(s.uie));
	add(buf, size, &len, "periodic IRQ enabled\t: %s\n", yes_no(s.pie));
	add(buf, size, &len, "periodic IRQ frequency\t: %d\n", s.irq_freq);
	add(buf, size, &len, "max user IRQ frequency\t: %d\n",
	    s.max_user_freq);
	add(buf, size, &len, "24hr\t\t: yes\n");
	cmos_read_status(&st);
	add(buf, size, &len, "periodic_IRQ\t: %s\n", yes_no(st.pie));
	add(buf, size, &len, "update_IRQ\t: %s\n", yes_no(st.uie));
	add(buf, size, &len, "HPET_emulated\t: no\n");
	add(buf, size, &len, "BCD\t\t: %s\n", yes_no(st.bcd));
	add(buf, size, &len, "DST_enable\t: %s\n", yes_no(st.dst));
	add(buf, size, &len, "periodic_freq\t: %d\n", s.irq_freq);
	add(buf, size, &len, "batt_status\t: %s\n",
	    st.battery_ok ? "okay" : "dead");
	return (ssize_t)MIN(len, size);
}
