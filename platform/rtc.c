/*
 * The CMOS real-time clock, an MC146818 behind ports 0x70 (index) and
 * 0x71 (data), as Linux's mc146818-lib and rtc-cmos drive it: the
 * calendar read between update cycles and set with updates held, in the
 * chip's BCD or binary and 12- or 24-hour modes, with the century
 * register the ACPI FADT names (revision 3 on; QEMU's revision 1 names
 * none, so the year register's 70-99 are 1970-1999 and 00-69 2000-2069).
 * Also the wall-clock time at boot and the realtime offset the kernel
 * sets later (settimeofday...).
 */
#include <platform/rtc.h>
#include <platform/cpu.h>
#include <platform/printk.h>
#include <platform/time.h>
#include <platform/vdso.h>
#include <aramid/compiler.h>
#include <aramid/rtc_time.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include "x86.h"

#define CMOS_INDEX	0x70
#define CMOS_DATA	0x71

#define REG_SEC		0x00
#define REG_SEC_ALARM	0x01
#define REG_MIN		0x02
#define REG_MIN_ALARM	0x03
#define REG_HOUR	0x04
#define REG_HOUR_ALARM	0x05
#define REG_MDAY	0x07
#define REG_MON		0x08
#define REG_YEAR	0x09
#define REG_A		0x0a
#define REG_B		0x0b
#define REG_C		0x0c
#define REG_D		0x0d

#define A_UIP		0x80	/* update in progress */
#define A_DIV_RESET2	0x70	/* divider held in reset */
#define B_SET		0x80	/* updates held for setting */
#define B_PIE		0x40
#define B_AIE		0x20
#define B_UIE		0x10
#define B_DM_BINARY	0x04
#define B_24H		0x02
#define B_DST		0x01
#define D_VRT		0x80	/* valid RAM and time */
#define HOUR_PM		0x80	/* 12-hour mode */

#define READ_TRIES	100
#define UIP_WAIT_NS	100000	/* an update takes at most ~2 ms */

static uint64_t boot_realtime_ns;
static uint8_t century_reg;	/* 0: none */
static bool hctosys;

/* One register. Interrupts masked by the caller, so index and data pair. */
static uint8_t cmos_read(uint8_t reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

static void cmos_write(uint8_t reg, uint8_t v)
{
	outb(CMOS_INDEX, reg);
	outb(CMOS_DATA, v);
}

static unsigned from_chip(uint8_t v, bool bcd)
{
	return bcd ? (v & 0xf) + (v >> 4) * 10 : v;
}

static uint8_t to_chip(unsigned v, bool bcd)
{
	return (uint8_t)(bcd ? (v / 10) << 4 | v % 10 : v);
}

static void spin_ns(uint64_t ns)
{
	uint64_t end = clock_monotonic_ns() + ns;

	while (clock_monotonic_ns() < end)
		;
}

/* The registers of one consistent reading. */
struct cmos_regs {
	uint8_t sec, min, hour, mday, mon, year, century, b;
};

/*
 * Read the calendar registers outside an update cycle, as Linux's
 * mc146818_avoid_UIP: the seconds before and after, and the UIP bit
 * clear around the reads. False if no attempt succeeds.
 */
static bool read_regs(struct cmos_regs *r)
{
	for (int i = 0; i < READ_TRIES; i++) {
		irqflags_t fl = irq_save();
		bool ok;

		r->sec = cmos_read(REG_SEC);
		if (cmos_read(REG_A) & A_UIP) {
			irq_restore(fl);
			spin_ns(UIP_WAIT_NS);
			continue;
		}
		r->min = cmos_read(REG_MIN);
		r->hour = cmos_read(REG_HOUR);
		r->mday = cmos_read(REG_MDAY);
		r->mon = cmos_read(REG_MON);
		r->year = cmos_read(REG_YEAR);
		r->century = century_reg ? cmos_read(century_reg) : 0;
		r->b = cmos_read(REG_B);
		ok = !(cmos_read(REG_A) & A_UIP) &&
		     cmos_read(REG_SEC) == r->sec;
		irq_restore(fl);
		if (ok)
			return true;
	}
	return false;
}

/* See rtc.h. */
int cmos_read_time(struct rtc_time *tm)
{
	struct cmos_regs r;
	bool bcd;
	unsigned hour;

	memset(tm, 0, sizeof(*tm));
	if (!read_regs(&r))
		return -EIO;
	bcd = !(r.b & B_DM_BINARY);
	hour = from_chip(r.hour & 0x7f, bcd);
	if (!(r.b & B_24H))	/* 12 is midnight or noon */
		hour = hour % 12 + (r.hour & HOUR_PM ? 12 : 0);
	tm->tm_sec = (int)from_chip(r.sec, bcd);
	tm->tm_min = (int)from_chip(r.min, bcd);
	tm->tm_hour = (int)hour;
	tm->tm_mday = (int)from_chip(r.mday, bcd);
	tm->tm_mon = (int)from_chip(r.mon, bcd) - 1;
	tm->tm_year = (int)from_chip(r.year, bcd);
	if (century_reg && from_chip(r.century, bcd) > 19)
		tm->tm_year += ((int)from_chip(r.century, bcd) - 19) * 100;
	if (tm->tm_year <= 69)
		tm->tm_year += 100;
	return 0;
}

/* See rtc.h. */
int cmos_set_time(const struct rtc_time *tm)
{
	unsigned yrs = (unsigned)tm->tm_year, century = 0, hour;
	uint8_t a, b, hour_reg;
	irqflags_t fl;
	bool bcd;

	if (yrs > 255)
		return -EINVAL;
	if (century_reg) {
		century = (yrs + 1900) / 100;
		yrs %= 100;
	}
	if (yrs > 169)
		return -EINVAL;
	if (yrs >= 100)
		yrs -= 100;

	fl = irq_save();
	b = cmos_read(REG_B);
	a = cmos_read(REG_A) & ~A_UIP;
	bcd = !(b & B_DM_BINARY);
	hour = (unsigned)tm->tm_hour;
	if (b & B_24H)
		hour_reg = to_chip(hour, bcd);
	else
		hour_reg = to_chip(hour % 12 ? hour % 12 : 12, bcd) |
			   (hour >= 12 ? HOUR_PM : 0);
	cmos_write(REG_B, b | B_SET);
	cmos_write(REG_A, a | A_DIV_RESET2);
	cmos_write(REG_YEAR, to_chip(yrs, bcd));
	cmos_write(REG_MON, to_chip((unsigned)tm->tm_mon + 1, bcd));
	cmos_write(REG_MDAY, to_chip((unsigned)tm->tm_mday, bcd));
	cmos_write(REG_HOUR, hour_reg);
	cmos_write(REG_MIN, to_chip((unsigned)tm->tm_min, bcd));
	cmos_write(REG_SEC, to_chip((unsigned)tm->tm_sec, bcd));
	if (century_reg)
		cmos_write(century_reg, to_chip(century, bcd));
	cmos_write(REG_B, b);
	cmos_write(REG_A, a);
	irq_restore(fl);
	return 0;
}

/* An alarm register's value, or -1 for "any" (at or past @limit). */
static int alarm_field(uint8_t v, unsigned limit, bool bcd)
{
	unsigned n = from_chip(v, bcd);

	return v >= (bcd ? to_chip(limit, true) : limit) ? -1 : (int)n;
}

/* See rtc.h. */
void cmos_read_alarm(struct rtc_time *tm)
{
	irqflags_t fl = irq_save();
	uint8_t sec = cmos_read(REG_SEC_ALARM), min = cmos_read(REG_MIN_ALARM);
	uint8_t hour = cmos_read(REG_HOUR_ALARM);
	bool bcd = !(cmos_read(REG_B) & B_DM_BINARY);

	irq_restore(fl);
	memset(tm, 0xff, sizeof(*tm));
	tm->tm_sec = alarm_field(sec, 60, bcd);
	tm->tm_min = alarm_field(min, 60, bcd);
	tm->tm_hour = alarm_field(hour, 24, bcd);
}

/* See rtc.h. */
void cmos_read_status(struct cmos_status *st)
{
	irqflags_t fl = irq_save();
	uint8_t b = cmos_read(REG_B), d = cmos_read(REG_D);

	irq_restore(fl);
	st->bcd = !(b & B_DM_BINARY);
	st->dst = b & B_DST;
	st->pie = b & B_PIE;
	st->uie = b & B_UIE;
	st->battery_ok = d & D_VRT;
}

/* See rtc.h. */
bool cmos_hctosys(void)
{
	return hctosys;
}

/*
 * At boot: the century register from the FADT, the chip's interrupts
 * off (as rtc-cmos leaves them: the kernel never takes IRQ 8), and the
 * system clock from its time, which is UTC.
 */
void rtc_init(paddr_t rsdp_pa)
{
	struct rtc_time tm;
	irqflags_t fl;

	century_reg = acpi_rtc_century(rsdp_pa);
	if (century_reg < REG_D + 1 || century_reg >= 0x80)
		century_reg = 0;	/* a clock register, or no CMOS byte */
	fl = irq_save();
	cmos_write(REG_B, cmos_read(REG_B) & ~(B_PIE | B_AIE | B_UIE));
	cmos_read(REG_C);	/* acknowledge whatever was flagged */
	irq_restore(fl);
	if (cmos_read_time(&tm) || !rtc_tm_valid(&tm)) {
		pr_warn("rtc: no valid time in the CMOS clock; "
			"the system clock starts at 1970");
		return;
	}
	boot_realtime_ns = (uint64_t)rtc_tm_to_time64(&tm) * NSEC_PER_SEC -
			   clock_monotonic_ns();
	hctosys = true;
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
