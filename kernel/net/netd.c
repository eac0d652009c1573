/*
 * netd: the kernel thread that drives the network service outside system
 * calls. It sleeps until the device interrupts or the timer the service
 * asked for is due, then calls the service's poll() across the boundary.
 * The device's interrupt line stays masked from the interrupt until that
 * poll() has serviced the device, so a level-triggered line cannot storm
 * and ring-2 code never runs in interrupt context.
 */
#include "netsvc.h"
#include <kernel/task.h>
#include <platform/panic.h>
#include <platform/pci.h>
#include <platform/time.h>
#include <uapi/errno.h>

static struct task *netd_task;
static struct wait_queue netd_wq = WAIT_QUEUE_INIT(netd_wq);
static int irq_line = -1;
static bool irq_pending;		/* interrupts off to touch */
static uint64_t timer_due_ns;		/* 0: no timer; interrupts off */
static bool timer_fired = true;		/* the first poll starts the timers */


/* Interrupt context: the line is masked; netd services the device. */
static void netd_irq(int line)
{
	irq_pending = true;
	wq_wake_all(&netd_wq);
}

int net_irq_attach(int line)
{
	int err;

	if (irq_line >= 0)
		return -EBUSY;
	err = irq_attach(line, netd_irq);
	if (!err)
		irq_line = line;
	return err;
}

void netd_tick(uint64_t now_ns)
{
	if (timer_due_ns && now_ns >= timer_due_ns) {
		timer_due_ns = 0;
		timer_fired = true;
		wq_wake_all(&netd_wq);
	}
}

/* See include/svc/net.h. */
void net_timer_arm(long ms)
{
	irqflags_t fl;
	uint64_t due;

	if (ms < 0)
		return;
	due = clock_monotonic_ns() + (uint64_t)ms * 1000000 + 1;
	fl = irq_save();
	if (!timer_due_ns || due < timer_due_ns)
		timer_due_ns = due;
	irq_restore(fl);
}

static __noreturn void netd_main(void *arg)
{
	for (;;) {
		irqflags_t fl = irq_save();
		bool from_irq;
		long ms;

		while (!READ_ONCE(irq_pending) && !READ_ONCE(timer_fired))
			wq_sleep(&netd_wq, 0);
		from_irq = irq_pending;
		irq_pending = false;
		timer_fired = false;
		irq_restore(fl);

		ms = netsvc_poll();
		/* A failed service (-EIO) no longer quiets its device: the
		 * line stays masked rather than storm. */
		if (from_irq && ms != -EIO)
			irq_unmask_line(irq_line);
		fl = irq_save();
		timer_due_ns = 0;
		irq_restore(fl);
		net_timer_arm(ms);
	}
}

void netd_start(void)
{
	netd_task = kthread_start("netd", netd_main, NULL);
	if (!netd_task)
		panic("netd_start: no memory for the network thread");
}
