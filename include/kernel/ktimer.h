/*
 * Kernel timers (kernel/time/ktimer.c): a function called from the tick
 * once the monotonic clock reaches a deadline, for objects that must wake
 * their waiters at a time (timerfd). The tick's period (1/HZ) is their
 * resolution.
 */
#pragma once
#include <aramid/list.h>
#include <aramid/types.h>

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
