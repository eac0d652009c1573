/*
 * Kernel timers (include/kernel/ktimer.h): an unsorted list of armed
 * timers the tick walks. Few objects arm one (timerfds, POSIX timers),
 * so a walk per tick costs less than keeping the list in order.
 * Interrupts are masked around every change of the list, which the tick
 * also changes. And the expiry arithmetic the timers share, and the
 * timeouts system calls take.
 */
#include <kernel/ktimer.h>
#include <kernel/timekeeping.h>
#include <kernel/time_ns.h>
#include <platform/cpu.h>
#include <platform/time.h>
#include <platform/usercopy.h>
#include <uapi/errno.h>

static LIST_HEAD(armed);

/* See ktimer.h. */
void ktimer_arm(struct ktimer *t, uint64_t expires_ns)
{
	irqflags_t fl = irq_save();

	list_del(&t->link);
	t->expires_ns = expires_ns;
	list_add_tail(&t->link, &armed);
	irq_restore(fl);
}

/* See ktimer.h. */
void ktimer_cancel(struct ktimer *t)
{
	irqflags_t fl = irq_save();

	list_del(&t->link);
	irq_restore(fl);
}

/* See ktimer.h. */
void ktimer_run(uint64_t now_ns)
{
	struct ktimer *t, *next;

	list_for_each_entry_safe(t, next, &armed, link) {
		if (now_ns < t->expires_ns)
			continue;
		list_del(&t->link);
		t->fn(t);
	}
}

/* See ktimer.h. */
uint64_t ktimer_forward(uint64_t *expires, uint64_t interval_ns, uint64_t now)
{
	uint64_t n;

	if (now < *expires)
		return 0;
	n = (now - *expires) / interval_ns + 1;
	*expires = n > (UINT64_MAX - *expires) / interval_ns ? UINT64_MAX :
		   *expires + n * interval_ns;
	return n;
}

/* See ktimer.h. */
uint64_t timespec_to_ns(const struct __kernel_timespec *ts)
{
	if ((uint64_t)ts->tv_sec >= (uint64_t)INT64_MAX / NSEC_PER_SEC)
		return INT64_MAX;
	return (uint64_t)ts->tv_sec * NSEC_PER_SEC + (uint64_t)ts->tv_nsec;
}

/* See ktimer.h. */
struct __kernel_timespec ns_to_timespec(uint64_t ns)
{
	return (struct __kernel_timespec){
		.tv_sec = (int64_t)(ns / NSEC_PER_SEC),
		.tv_nsec = (int64_t)(ns % NSEC_PER_SEC),
	};
}

static bool timespec_valid(const struct __kernel_timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 &&
	       ts->tv_nsec < (int64_t)NSEC_PER_SEC;
}

/* See ktimer.h. */
bool itimerspec_valid(const struct itimerspec64 *its)
{
	return timespec_valid(&its->it_value) &&
	       timespec_valid(&its->it_interval);
}

/* See ktimer.h. */
uint64_t ktimer_expiry(int clockid, bool abstime, uint64_t value,
		       uint64_t now)
{
	uint64_t boot = clock_boot_realtime_ns();

	if (!abstime)
		return value > UINT64_MAX - now ? UINT64_MAX : now + value;
	if (clockid == CLOCK_TAI)
		boot += (uint64_t)clock_tai_offset_ns();
	if (clockid == CLOCK_REALTIME || clockid == CLOCK_REALTIME_ALARM ||
	    clockid == CLOCK_TAI)
		return value > boot ? value - boot : 0;
	return time_ns_to_host(clockid, value);
}

/* See ktimer.h. */
int timeout_from_user(uptr_t uts, int clockid, bool abstime,
		      uint64_t *deadline)
{
	struct __kernel_timespec ts;

	*deadline = 0;
	if (uptr_null(uts))
		return 0;
	if (get_user(ts, uts))
		return -EFAULT;
	if (!timespec_valid(&ts))
		return -EINVAL;
	*deadline = ktimer_expiry(clockid, abstime, timespec_to_ns(&ts),
				  clock_monotonic_ns());
	if (!*deadline)
		*deadline = 1;		/* already past */
	return 0;
}
