/*
 * Ring 1's state beside the kernel log's records (platform/printk_ring.c):
 * the wait queue the log's readers sleep on, woken from the tick.
 */
#include <svc/klog.h>
#include <kernel/klog.h>
#include <platform/printk.h>

static struct wait_queue log_wait = WAIT_QUEUE_INIT(log_wait);
static uint64_t log_woken_seq;	/* printk_next_seq() at the last wake-up */

struct wait_queue *log_wait_queue(void)
{
	return &log_wait;
}

void log_wait_tick(void)
{
	uint64_t next = printk_next_seq();

	if (next == log_woken_seq)
		return;
	log_woken_seq = next;
	wq_wake_all(&log_wait);
}
