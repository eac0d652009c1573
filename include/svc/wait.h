/*
 * Wait queues and sleeping (kernel/proc/sched.c). Under the kernel lock,
 * a sleeper checks its condition with interrupts masked, so a wake-up
 * cannot slip in between the check and the sleep.
 */
#pragma once
#include <aramid/list.h>
#include <aramid/types.h>

struct task;

struct wait_queue {
	struct list_head waiters;	/* struct waiter.link */
};

/*
 * One waiter: a task to make runnable, or, when @wake is set, a function
 * called instead with interrupts disabled (epoll's per-file callback).
 */
struct waiter {
	struct list_head link;
	struct task *task;
	void (*wake)(struct waiter *w);
};

#define WAIT_QUEUE_INIT(name)	{ LIST_HEAD_INIT((name).waiters) }

static inline void wq_init(struct wait_queue *wq)
{
	list_init(&wq->waiters);
}

/* Wake every task sleeping on @wq. Any context, interrupts included. */
void wq_wake_all(struct wait_queue *wq);

/*
 * The owner of @wq is about to free it (Linux's wake_up_pollfree): wake
 * every waiter and unlink them all, so that a waiter which outlives the
 * queue (an epoll registration) finds its link empty. Any context.
 */
void wq_release(struct wait_queue *wq);

/*
 * Sleep on @wq once: until woken, a signal arrives (interruptible), or
 * @deadline_ns (monotonic; 0 = none) passes. The caller rechecks its
 * condition. Returns 0 when woken or timed out, -ERESTARTSYS if a signal
 * is pending. Call with interrupts disabled (irq_save); they are disabled
 * again on return.
 */
int wq_sleep(struct wait_queue *wq, uint64_t deadline_ns);

/*
 * Sleep on @wq once, until woken: a pending signal neither prevents nor
 * ends the sleep (SIGKILL still wakes it). The caller rechecks its
 * condition. Call with interrupts disabled, as wq_sleep.
 */
void wq_sleep_nosignal(struct wait_queue *wq);

/*
 * Sleep the current task (interruptible) until it is woken through any
 * wait queue it has queued a waiter on, a signal arrives, or the monotonic
 * @deadline_ns passes (0 = none). For callers that queue on several wait
 * queues themselves (poll). Call with interrupts disabled; returns
 * -ERESTARTSYS if a signal is pending, 0 otherwise.
 */
int sched_sleep_until(uint64_t deadline_ns);

/*
 * Sleep until @cond holds. Evaluates to 0, or -ERESTARTSYS when a signal
 * interrupts the wait. Process context.
 */
#define wait_event_interruptible(wq, cond)				\
	({								\
		int __ret = 0;						\
		irqflags_t __fl = irq_save();				\
		while (!(cond)) {					\
			__ret = wq_sleep(&(wq), 0);			\
			if (__ret)					\
				break;					\
		}							\
		irq_restore(__fl);					\
		__ret;							\
	})

/*
 * The monotonic deadline of a wait of @timeo_ns from now, as a socket's
 * SO_RCVTIMEO/SO_SNDTIMEO gives it (0: no timeout, so no deadline).
 */
uint64_t wq_deadline(uint64_t timeo_ns);

/*
 * Wait on @wq until @cond(@arg) holds: 0 at once if it does; -EAGAIN if
 * not and @nonblock, or once the monotonic @deadline (0: none, see
 * wq_deadline) passes; on a signal -ERESTARTSYS, or -EINTR when there is
 * a deadline (Linux's sock_intr_errno: a timed wait is not restarted).
 * Process context; interrupts are masked around each check of @cond, so
 * @cond must not sleep.
 */
int wq_wait_deadline(struct wait_queue *wq, bool nonblock, uint64_t deadline,
		     bool (*cond)(const void *arg), const void *arg);

/*
 * Sleep until the monotonic @deadline_ns has passed: 0, or -ERESTARTSYS
 * if a signal cut the sleep short. Process context.
 */
int sched_sleep_deadline(uint64_t deadline_ns);
