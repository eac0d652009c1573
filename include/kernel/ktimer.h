/*
 * Kernel timers (kernel/time/ktimer.c): a function called from the tick
 * once the monotonic clock reaches a deadline, for objects that must wake
 * their waiters at a time (timerfds, POSIX timers). The tick's period
 * (1/HZ) is their resolution. Also the expiry arithmetic both share.
 */
#pragma once
#include <aramid/list.h>
#include <aramid/types.h>
#include <uapi/time.h>

struct ktimer {
	struct list_head link;		/* on the armed list; empty if not */
	uint64_t expires_ns;		/* monotonic */
	/* Called from the tick, interrupts disabled; may re-arm @t. */
	void (*fn)(struct ktimer *t);
};

static inline void ktimer_init(struct ktimer *t, void (*fn)(struct ktimer *))
{
	list_init(&t->link);
	t->expires_ns = 0;
	t->fn = fn;
}

/* (Re-)arm @t to fire once the monotonic clock reaches @expires_ns. Any context. */
void ktimer_arm(struct ktimer *t, uint64_t expires_ns);
/* Disarm @t if armed. Any context. */
void ktimer_cancel(struct ktimer *t);
/* Fire the timers due at @now_ns (the tick, interrupts disabled). */
void ktimer_run(uint64_t now_ns);

/*
 * As Linux's hrtimer_forward: once @now reaches *@expires, move *@expires
 * past @now by whole periods of @interval_ns (non-zero) and return the
 * expirations passed (at least 1); before that, 0.
 */
uint64_t ktimer_forward(uint64_t *expires, uint64_t interval_ns, uint64_t now);
/* A valid timespec in ns, saturating at INT64_MAX. */
uint64_t timespec_to_ns(const struct __kernel_timespec *ts);
struct __kernel_timespec ns_to_timespec(uint64_t ns);
/* Both members are valid timespecs (tv_sec >= 0, tv_nsec in [0, 1e9)). */
bool itimerspec_valid(const struct itimerspec64 *its);
/*
 * The expiry, on the timeline of @now, of a timer on @clockid set to
 * @value (absolute, or relative to @now). The wall clocks keep monotonic
 * time too: their absolute values are moved by the boot-time wall clock,
 * and the monotonic ones' by the caller's time namespace's offsets.
 */
uint64_t ktimer_expiry(int clockid, bool abstime, uint64_t value,
		       uint64_t now);
/*
 * The monotonic deadline of the timeout a system call takes at user
 * @uts on @clockid, absolute or relative (Linux's get_timespec64 and
 * the expiry its callers work out): 0 for a null pointer (none), 1 for
 * one already past. Returns 0, -EFAULT, or -EINVAL for an invalid
 * timespec. Process context.
 */
int timeout_from_user(uptr_t uts, int clockid, bool abstime,
		      uint64_t *deadline);
