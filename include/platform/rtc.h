/*
 * The CMOS real-time clock (platform/rtc.c), the only code that touches
 * the chip: its calendar read and set as broken-down time (the chip
 * keeps UTC in QEMU), the time-of-day alarm registers and the status
 * bits /proc/driver/rtc shows. Whatever the chip's modes (BCD or binary,
 * 12 or 24 hours), callers see Linux's struct rtc_time. Any context:
 * each call masks interrupts around its register accesses.
 */
#pragma once
#include <uapi/rtc.h>

/*
 * The chip's time into @tm, read between two update cycles, as Linux's
 * mc146818_get_time (tm_wday, tm_yday and tm_isdst 0; the caller checks
 * that it is a valid date): 0, or -EIO if an update never ended.
 */
int cmos_read_time(struct rtc_time *tm);
/*
 * Set the chip to @tm, valid (rtc_tm_valid), as mc146818_set_time:
 * updates held and the divider reset while the registers are written,
 * so the next second begins half a second later. 0, or -EINVAL for a
 * year the chip cannot hold: 1970-2069 without a century register.
 */
int cmos_set_time(const struct rtc_time *tm);
/*
 * The alarm registers into tm_hour, tm_min and tm_sec (24-hour, as
 * rtc-cmos reads them), each -1 where the chip matches any value; the
 * other fields -1.
 */
void cmos_read_alarm(struct rtc_time *tm);

/* What the chip's control and status registers say. */
struct cmos_status {
	bool bcd;		/* counts in BCD (else binary) */
	bool dst;		/* daylight saving time switching on */
	bool pie, uie;		/* its periodic and update interrupts enabled */
	bool battery_ok;	/* valid RAM and time */
};

void cmos_read_status(struct cmos_status *st);
/* Whether the clock's time set the system clock at boot (sysfs hctosys). */
bool cmos_hctosys(void);
