/*
 * futex_waitv(2), as Linux 6.1's: wait on up to 128 32-bit futexes at
 * once until one of them is woken (FUTEX_WAKE on any of them), an
 * absolute timeout on CLOCK_MONOTONIC or CLOCK_REALTIME, or a signal.
 * Returns the index of a woken futex (the highest, when several were).
 *
 * Each entry is an ordinary plain waiter on the one futex list
 * (futex_internal.h), all of them for the calling task; wakers and
 * requeues treat them as FUTEX_WAIT's. Checks in Linux's order: flags,
 * the count and array pointer, the clock and timeout, every entry's
 * flags, every entry's key (alignment), then the values.
 */
#include <kernel/task.h>
#include <kernel/ktimer.h>
#include <kernel/syscall.h>
#include <platform/heap.h>
#include <platform/time.h>
#include <platform/usercopy.h>
#include <svc/wait.h>
#include <uapi/time.h>
#include "futex_internal.h"

#define FUTEX_WAITV_MAX		128
#define FUTEX2_SIZE_U32		0x02
#define FUTEX2_PRIVATE		128
#define FUTEXV_WAITER_MASK	(FUTEX2_SIZE_U32 | FUTEX2_PRIVATE)

/* The user's struct futex_waitv. */
struct futex_waitv {
	uint64_t val;
	uint64_t uaddr;
	uint32_t flags;
	uint32_t reserved;
};

/*
 * The monotonic deadline of the absolute timeout at @uts on @clockid
 * (0: none; 1: already past). 0, -EINVAL or -EFAULT.
 */
static long waitv_deadline(uptr_t uts, int clockid, uint64_t *deadline)
{
	*deadline = 0;
	if (!uptr_null(uts) && clockid != CLOCK_REALTIME &&
	    clockid != CLOCK_MONOTONIC)
		return -EINVAL;
	return timeout_from_user(uts, clockid, true, deadline);
}

/* One futex waited on: its waiter, where it is, and the value expected. */
struct waitv_entry {
	struct futex_waiter w;
	uptr_t uaddr;
	uint32_t val;
	bool private;
};

/* Read the @n entries at @uwaitv into @e: 0, -EFAULT or -EINVAL. */
static long waitv_parse(uptr_t uwaitv, unsigned n, struct waitv_entry *e)
{
	struct futex_waitv v;

	for (unsigned i = 0; i < n; i++) {
		if (copy_from_user(&v, uptr_add(uwaitv, i * sizeof(v)),
				   sizeof(v)))
			return -EFAULT;
		if ((v.flags & ~(uint32_t)FUTEXV_WAITER_MASK) || v.reserved ||
		    !(v.flags & FUTEX2_SIZE_U32))
			return -EINVAL;
		e[i].uaddr = UPTR(v.uaddr);
		/* As Linux, the word is compared with the low 32 bits. */
		e[i].val = (uint32_t)v.val;
		e[i].private = v.flags & FUTEX2_PRIVATE;
		e[i].w = (struct futex_waiter){
			.task = current,
			.bitset = FUTEX_BITSET_MATCH_ANY,
			.kind = FUTEX_Q_PLAIN,
		};
	}
	return 0;
}

/*
 * Key every entry, then compare every word with its value: 0, -EINVAL
 * (a misaligned word), -EFAULT or -EAGAIN. The words are compared twice:
 * a read may sleep to fault its page in, while a waker changes a word
 * already compared; the second pass finds every page present, so nothing
 * sleeps from it to the queueing (no preemption) and no wake is missed.
 */
static long waitv_setup(unsigned n, struct waitv_entry *e)
{
	uint32_t cur;
	long err;

	for (unsigned i = 0; i < n; i++) {
		err = futex_key(e[i].uaddr, e[i].private, &e[i].w.key);
		if (err)
			return err;
	}
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned i = 0; i < n; i++) {
			if (get_user(cur, e[i].uaddr))
				return -EFAULT;
			if (cur != e[i].val)
				return -EAGAIN;
		}
	}
	return 0;
}

/*
 * Queue every entry and sleep until one is woken, @deadline (monotonic,
 * 0: none) passes or a signal comes; unqueue those not woken. The highest
 * index woken, -ETIMEDOUT or -ERESTARTSYS.
 */
static long waitv_sleep(unsigned n, struct waitv_entry *e, uint64_t deadline)
{
	irqflags_t fl = irq_save();
	long ret = 0, woken = -1;

	for (unsigned i = 0; i < n; i++)
		list_add_tail(&e[i].w.link, &futex_waiters);
	for (;;) {
		for (unsigned i = 0; i < n; i++)
			if (e[i].w.woken)
				woken = i;
		if (woken >= 0)
			break;
		ret = futex_sleep_step(deadline);
		if (ret)
			break;
	}
	for (unsigned i = 0; i < n; i++) {
		if (e[i].w.woken)
			woken = i;
		else
			list_del(&e[i].w.link);
	}
	irq_restore(fl);
	return woken >= 0 ? woken : ret;
}

SYSCALL(__NR_futex_waitv, futex_waitv)(SYSCALL_ARGS)
{
	uptr_t uwaitv = UPTR(a0);
	unsigned n = (unsigned)a1;
	struct waitv_entry *e;
	uint64_t deadline;
	long ret;

	if ((unsigned)a2)
		return -EINVAL;
	if (!n || n > FUTEX_WAITV_MAX || uptr_null(uwaitv))
		return -EINVAL;
	ret = waitv_deadline(UPTR(a3), (int)a4, &deadline);
	if (ret)
		return ret;
	e = kmalloc(n * sizeof(*e));
	if (!e)
		return -ENOMEM;
	ret = waitv_parse(uwaitv, n, e);
	if (!ret)
		ret = waitv_setup(n, e);
	if (!ret)
		ret = waitv_sleep(n, e, deadline);
	kfree(e);
	return ret;
}
