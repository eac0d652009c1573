/*
 * The CMOS real-time clock, read once at boot for the wall-clock time,
 * and the realtime offset the kernel sets later (settimeofday...).
 */
#include <platform/time.h>
#include <platform/vdso.h>
#include <aramid/compiler.h>
#include "x86.h"

static uint64_t boot_realtime_ns;

static uint8_t cmos_read(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static unsigned bcd(uint8_t v, bool is_bcd)
{
	return is_bcd ? (v & 0xf) + (v >> 4) * 10 : v;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + (int64_t)doe - 719468;
}

void rtc_init(void)
{
	uint8_t sec, min, hour, day, mon, year, status_b;

	while (cmos_read(0x0a) & 0x80)	/* update in progress */
		;
	sec = cmos_read(0x00);
	min = cmos_read(0x02);
	hour = cmos_read(0x04);
	day = cmos_read(0x07);
	mon = cmos_read(0x08);
	year = cmos_read(0x09);
	status_b = cmos_read(0x0b);

	bool is_bcd = !(status_b & 0x04);
	int64_t days = days_from_civil(2000 + bcd(year, is_bcd),
				       bcd(mon, is_bcd), bcd(day, is_bcd));
	uint64_t secs = days * 86400 + bcd(hour & 0x7f, is_bcd) * 3600 +
			bcd(min, is_bcd) * 60 + bcd(sec, is_bcd);

	boot_realtime_ns = secs * NSEC_PER_SEC - clock_monotonic_ns();
}

uint64_t clock_boot_realtime_ns(void)
{
	return boot_realtime_ns;
}

void clock_set_realtime(uint64_t boot_realtime)
{
	WRITE_ONCE(boot_realtime_ns, boot_realtime);
	vdso_set_realtime(boot_realtime);
}
