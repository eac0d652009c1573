/*
 * Kernel timers (include/kernel/ktimer.h): an unsorted list of armed
 * timers the tick walks. Few objects arm one (timerfds), so a walk per
 * tick costs less than keeping the list in order. Interrupts are masked
 * around every change of the list, which the tick also changes.
 */
#include <kernel/ktimer.h>
#include <platform/cpu.h>

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
