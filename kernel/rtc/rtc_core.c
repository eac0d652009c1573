/*
 * The real-time clock device, as Linux's rtc class core (drivers/rtc/
 * interface.c) runs rtc-cmos: the time read and set through the chip
 * (platform/rtc.c), the alarm and the update interrupt as timers on the
 * RTC's own seconds (the update timer due each second from one after
 * it is switched on), and the periodic interrupt as a kernel timer at
 * the rate asked for, as Linux's hrtimer emulation. Each event adds to
 * the interrupt word a read of /dev/rtc0 returns and wakes its waiters.
 *
 * No chip interrupt is taken: a kernel timer, the watcher, reads the
 * chip at each tick from a tenth of a second before an RTC timer is due
 * (every tick until it has seen a second begin, to learn where seconds
 * begin), so an event comes at most a tick (10 ms) after the second
 * that it is due at began. Everything the tick also changes is changed
 * with interrupts masked.
 */
#include "rtc_internal.h"
#include <kernel/ktimer.h>
#include <platform/cpu.h>
#include <platform/rtc.h>
#include <platform/time.h>
#include <svc/vfs.h>
#include <svc/wait.h>
#include <aramid/rtc_time.h>
#include <aramid/string.h>
#include <uapi/errno.h>

#define SECS_PER_DAY	86400
#define WATCH_EARLY_NS	(NSEC_PER_SEC / 10)
#define TICK_NS		(NSEC_PER_SEC / HZ)

/* A timer on the RTC's clock: due at @expires, in its seconds. */
struct rtc_timer {
	int64_t expires;
	bool enabled;
};

static struct {
	bool busy;			/* an open file has the device */
	unsigned long irq_data;		/* count << 8 | RTC_IRQF | modes */
	struct wait_queue wq;		/* readers and pollers */
	struct rtc_timer aie, uie;	/* the alarm, the update interrupt */
	bool pie_enabled;
	int irq_freq, max_user_freq;
	uint64_t pie_next_ns;		/* the next period's end, monotonic */
	struct ktimer pie_timer;
	/* The watcher: the RTC second it last read, and when. */
	struct ktimer watch_timer;
	bool seen_valid;
	int64_t seen;
	uint64_t seen_ns;
	/* When the second @seen began, if the watcher saw it begin. */
	bool start_known;
	uint64_t start_ns;
} rtc = {
	.wq = WAIT_QUEUE_INIT(rtc.wq),
	.irq_freq = RTC_DEFAULT_FREQ,
	.max_user_freq = RTC_MAX_USER_FREQ,
};

/* @n more events of @mode in the word; readers woken. Interrupts masked. */
static void rtc_post(unsigned long n, unsigned long mode)
{
	rtc.irq_data = (rtc.irq_data + (n << 8)) | RTC_IRQF | mode;
	wq_wake_all(&rtc.wq);
}

/*
 * Linux's rtc_timer_do_work at RTC time @now: every timer due fires,
 * the update timer once for each second it has passed and is due again
 * a second on, the alarm once and then off. Interrupts masked.
 */
static void rtc_expire(int64_t now)
{
	if (rtc.uie.enabled && rtc.uie.expires <= now) {
		int64_t n = now - rtc.uie.expires + 1;

		rtc.uie.expires += n;
		rtc_post((unsigned long)n, RTC_UF);
	}
	if (rtc.aie.enabled && rtc.aie.expires <= now) {
		rtc.aie.enabled = false;
		rtc_post(1, RTC_AF);
	}
}

/* The earliest enabled RTC timer's time into *@next; false if none. */
static bool rtc_next(int64_t *next)
{
	if (!rtc.uie.enabled && !rtc.aie.enabled)
		return false;
	if (!rtc.uie.enabled)
		*next = rtc.aie.expires;
	else if (!rtc.aie.enabled)
		*next = rtc.uie.expires;
	else
		*next = MIN(rtc.uie.expires, rtc.aie.expires);
	return true;
}

/*
 * Arm the watcher for the RTC timers, the RTC's time being @now at the
 * monotonic @mono: far off, most of the way there on the monotonic
 * clock (the two may run at different rates); within two seconds, a
 * tenth of a second before the second that is due begins, when the
 * watcher knows where seconds begin, else at the next tick. Nothing
 * enabled: it stops, and forgets. Interrupts masked.
 */
static void watch_schedule(int64_t now, uint64_t mono)
{
	uint64_t at = mono + 1;
	int64_t next, secs;

	if (!rtc_next(&next)) {
		ktimer_cancel(&rtc.watch_timer);
		rtc.seen_valid = rtc.start_known = false;
		return;
	}
	secs = MIN(next - now, 2 * SECS_PER_DAY);
	if (secs > 2) {
		at = mono + (uint64_t)(secs - 2) * (NSEC_PER_SEC / 10 * 9);
	} else if (rtc.start_known && secs > 0) {
		uint64_t due = rtc.start_ns + (uint64_t)secs * NSEC_PER_SEC -
			       WATCH_EARLY_NS;

		at = MAX(at, due);
	}
	ktimer_arm(&rtc.watch_timer, at);
}

/*
 * The RTC timers changed: the watcher looks at the next tick, and then
 * arms itself for them (or stops). Interrupts masked.
 */
static void watch_kick(void)
{
	ktimer_arm(&rtc.watch_timer, clock_monotonic_ns() + 1);
}

/*
 * The watcher (the tick): read the chip, note a second that began since
 * the last read a tick ago, fire what is due and arm again. A chip that
 * cannot be read is tried again at the next tick.
 */
static void watch_fire(struct ktimer *t)
{
	uint64_t mono = clock_monotonic_ns();
	struct rtc_time tm;
	int64_t now;

	if (cmos_read_time(&tm) || !rtc_tm_valid(&tm)) {
		ktimer_arm(t, mono + 1);
		return;
	}
	now = rtc_tm_to_time64(&tm);
	if (rtc.seen_valid && now != rtc.seen) {
		rtc.start_known = mono - rtc.seen_ns <= 2 * TICK_NS;
		rtc.start_ns = mono;
	}
	rtc.seen_valid = true;
	rtc.seen = now;
	rtc.seen_ns = mono;
	rtc_expire(now);
	watch_schedule(now, mono);
}

/* The periodic timer: every period passed counts one. */
static void pie_fire(struct ktimer *t)
{
	uint64_t period = NSEC_PER_SEC / (unsigned)rtc.irq_freq;
	uint64_t n = ktimer_forward(&rtc.pie_next_ns, period,
				    clock_monotonic_ns());

	if (n)
		rtc_post((unsigned long)n, RTC_PF);
	ktimer_arm(t, rtc.pie_next_ns);
}

/* Start the periodic timer afresh, or stop it. Interrupts masked. */
static void pie_restart(void)
{
	ktimer_cancel(&rtc.pie_timer);
	if (!rtc.pie_enabled)
		return;
	rtc.pie_next_ns = clock_monotonic_ns() +
			  NSEC_PER_SEC / (unsigned)rtc.irq_freq;
	ktimer_arm(&rtc.pie_timer, rtc.pie_next_ns);
}

/*
 * The alarm as the chip holds it at boot, as Linux's __rtc_read_alarm
 * and rtc_initialize_alarm take it: the fields the chip matches any
 * value in from the time now, the date today's, or tomorrow's if that
 * time has passed; off, as rtc-cmos leaves the chip's alarm interrupt.
 */
static void rtc_alarm_init(void)
{
	struct rtc_time alarm, now;
	int64_t t;

	if (rtc_read_time(&now))
		return;
	cmos_read_alarm(&alarm);
	alarm.tm_sec = alarm.tm_sec < 0 ? now.tm_sec : alarm.tm_sec;
	alarm.tm_min = alarm.tm_min < 0 ? now.tm_min : alarm.tm_min;
	alarm.tm_hour = alarm.tm_hour < 0 ? now.tm_hour : alarm.tm_hour;
	alarm.tm_mday = now.tm_mday;
	alarm.tm_mon = now.tm_mon;
	alarm.tm_year = now.tm_year;
	if (!rtc_tm_valid(&alarm))
		return;
	t = rtc_tm_to_time64(&alarm);
	if (t <= rtc_tm_to_time64(&now))
		t += SECS_PER_DAY;
	rtc.aie.expires = t;
}

/* See rtc_internal.h. */
void rtc_core_init(void)
{
	ktimer_init(&rtc.watch_timer, watch_fire);
	ktimer_init(&rtc.pie_timer, pie_fire);
	rtc_alarm_init();
}

/* See sysfacts.h. */
int rtc_read_time(struct rtc_time *tm)
{
	int err = cmos_read_time(tm);

	if (err)
		return err;
	return rtc_tm_valid(tm) ? 0 : -EINVAL;
}

/* The RTC's time in seconds into *@now: 0 or -errno. */
static int rtc_now(int64_t *now)
{
	struct rtc_time tm;
	int err = rtc_read_time(&tm);

	if (!err)
		*now = rtc_tm_to_time64(&tm);
	return err;
}

/* See rtc_internal.h. */
int rtc_set_time(const struct rtc_time *tm)
{
	irqflags_t fl;
	int err;

	if (!rtc_tm_valid(tm))
		return -EINVAL;
	err = cmos_set_time(tm);
	if (err)
		return err;
	/* The seconds begin anew; a timer may be due at the new time. */
	fl = irq_save();
	rtc.seen_valid = rtc.start_known = false;
	rtc_expire(rtc_tm_to_time64(tm));
	watch_kick();
	irq_restore(fl);
	return 0;
}

/*
 * Linux's rtc_timer_enqueue of @t, at RTC time @now: on. If it comes
 * first, the chip's alarm would be set for it: one due already fires at
 * once (Linux's -ETIME path), one over a day ahead is refused as
 * rtc-cmos's alarm, without a day register in QEMU, refuses it
 * (-EINVAL, and @t stays off). Interrupts masked.
 */
static int rtc_timer_enqueue(struct rtc_timer *t, int64_t now)
{
	const struct rtc_timer *other = t == &rtc.aie ? &rtc.uie : &rtc.aie;
	bool first = !other->enabled || other->expires < now ||
		     t->expires < other->expires;

	if (first && t->expires > now && t->expires > now + SECS_PER_DAY - 1)
		return -EINVAL;
	t->enabled = true;
	rtc_expire(now);
	return 0;
}

/* See sysfacts.h. */
void rtc_read_alarm(struct rtc_wkalrm *alm)
{
	irqflags_t fl = irq_save();
	int64_t expires = rtc.aie.expires;
	bool enabled = rtc.aie.enabled;

	irq_restore(fl);
	memset(alm, 0, sizeof(*alm));
	alm->enabled = enabled;
	rtc_time64_to_tm(expires, &alm->time);
}

/* See sysfacts.h. */
int rtc_set_alarm(const struct rtc_wkalrm *alm)
{
	irqflags_t fl;
	int64_t now;
	int err;

	if (!rtc_tm_valid(&alm->time))
		return -EINVAL;
	err = rtc_now(&now);
	if (err)
		return err;
	fl = irq_save();
	rtc.aie.enabled = false;
	rtc.aie.expires = rtc_tm_to_time64(&alm->time);
	if (alm->enabled)
		err = rtc_timer_enqueue(&rtc.aie, now);
	watch_kick();
	irq_restore(fl);
	return err;
}

/* Switch RTC timer @t off. */
static void rtc_timer_off(struct rtc_timer *t)
{
	irqflags_t fl = irq_save();

	t->enabled = false;
	watch_kick();
	irq_restore(fl);
}

/*
 * Switch RTC timer @t on, due a second from now when @in_a_second (the
 * update timer), else when it was set for: 0 or -errno.
 */
static int rtc_timer_on(struct rtc_timer *t, bool in_a_second)
{
	irqflags_t fl;
	int64_t now;
	int err = rtc_now(&now);

	if (err)
		return err;
	fl = irq_save();
	if (!t->enabled) {
		if (in_a_second)
			t->expires = now + 1;
		err = rtc_timer_enqueue(t, now);
		watch_kick();
	}
	irq_restore(fl);
	return err;
}

/* See rtc_internal.h. */
int rtc_alarm_irq_enable(bool on)
{
	if (!on) {
		rtc_timer_off(&rtc.aie);
		return 0;
	}
	return rtc_timer_on(&rtc.aie, false);
}

/* See rtc_internal.h. */
int rtc_update_irq_enable(bool on)
{
	if (!on) {
		rtc_timer_off(&rtc.uie);
		return 0;
	}
	return rtc_timer_on(&rtc.uie, true);
}

/* See rtc_internal.h. */
void rtc_irq_set_state(bool on)
{
	irqflags_t fl = irq_save();

	rtc.pie_enabled = on;
	pie_restart();
	irq_restore(fl);
}

/* See rtc_internal.h. */
int rtc_irq_set_freq(int freq)
{
	irqflags_t fl;

	if (freq <= 0 || freq > RTC_MAX_FREQ)
		return -EINVAL;
	fl = irq_save();
	rtc.irq_freq = freq;
	if (rtc.pie_enabled)
		pie_restart();
	irq_restore(fl);
	return 0;
}

/* See rtc_internal.h. */
void rtc_irq_settings(struct rtc_irq_settings *s)
{
	s->uie = rtc.uie.enabled;
	s->pie = rtc.pie_enabled;
	s->irq_freq = rtc.irq_freq;
	s->max_user_freq = rtc.max_user_freq;
}

/* See sysfacts.h. */
int rtc_max_user_freq(void)
{
	return rtc.max_user_freq;
}

/* See sysfacts.h: Linux's max_user_freq_store. */
int rtc_set_max_user_freq(unsigned long freq)
{
	if (freq == 0 || freq >= 4096)
		return -EINVAL;
	rtc.max_user_freq = (int)freq;
	return 0;
}

/* See rtc_internal.h: Linux's rtc_dev_open. */
int rtc_claim(void)
{
	irqflags_t fl;

	if (rtc.busy)
		return -EBUSY;
	rtc.busy = true;
	fl = irq_save();
	rtc.irq_data = 0;
	irq_restore(fl);
	return 0;
}

/* See rtc_internal.h: Linux's rtc_dev_release. */
void rtc_unclaim(void)
{
	rtc_update_irq_enable(false);
	rtc_irq_set_state(false);
	rtc.busy = false;
}

/* See rtc_internal.h. */
unsigned long rtc_irq_take(void)
{
	irqflags_t fl = irq_save();
	unsigned long data = rtc.irq_data;

	rtc.irq_data = 0;
	irq_restore(fl);
	return data;
}

/* See rtc_internal.h. */
bool rtc_irq_pending(const void *unused)
{
	return rtc.irq_data != 0;
}

/* See rtc_internal.h. */
int rtc_irq_wait(bool nonblock)
{
	return wq_wait_deadline(&rtc.wq, nonblock, 0, rtc_irq_pending, NULL);
}

/* See rtc_internal.h. */
void rtc_poll_wait(struct file *file, struct poll_table *pt)
{
	poll_wait(file, &rtc.wq, pt);
}

/* See sysfacts.h. */
dev_t rtc_devt(void)
{
	return MKDEV(RTC_MAJOR, 0);
}

/* See sysfacts.h. */
bool rtc_hctosys(void)
{
	return cmos_hctosys();
}
