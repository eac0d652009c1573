/*
 * What futex.c (waiting, waking, requeueing), futex_pi.c (the PI locks)
 * and futex_robust.c (robust lists) share. Every waiter of every futex
 * is on one list in arrival order, keyed by (address space, address) or,
 * in shared memory, by physical address. One CPU and no preemption in
 * the kernel: a read and a write of a futex word with no sleep between
 * them are atomic for every other task, and interrupts masked around the
 * list keep the tick (which wakes timed sleepers) out.
 */
#pragma once
#include <kernel/task.h>
#include <platform/usercopy.h>

#define FUTEX_WAITERS		0x80000000u
#define FUTEX_OWNER_DIED	0x40000000u
#define FUTEX_TID_MASK		0x3fffffffu
#define FUTEX_BITSET_MATCH_ANY	0xffffffffu

struct futex_key {
	const void *space;	/* the mm, or NULL for a physical key */
	uint64_t addr;
	bool shared_op;		/* a shared operation on private memory */
};

enum futex_kind {
	FUTEX_Q_PLAIN,		/* FUTEX_WAIT(_BITSET) */
	FUTEX_Q_PI,		/* FUTEX_LOCK_PI: waits to own the lock */
	FUTEX_Q_REQUEUE_PI,	/* FUTEX_WAIT_REQUEUE_PI, not yet requeued */
};

struct futex_waiter {
	struct list_head link;		/* futex_waiters */
	struct futex_key key;
	struct task *task;
	uint32_t bitset;
	enum futex_kind kind;
	struct futex_key pi_key;	/* REQUEUE_PI: the PI futex expected */
	pid_t pi_owner;			/* PI: the lock's owner; 0 if it died */
	bool woken;			/* woken; PI: and the lock is ours */
	bool fixup;			/* PI: ours from a dead owner: write the tid */
};

extern struct list_head futex_waiters;

/* The word at @uaddr is not 4-byte aligned (EINVAL before EFAULT). */
bool futex_misaligned(uptr_t uaddr);
/* The key of the futex at @uaddr in current's space: 0 or -EINVAL/-EFAULT. */
int futex_key(uptr_t uaddr, bool private, struct futex_key *key);
bool futex_key_eq(const struct futex_key *a, const struct futex_key *b);
/*
 * Queue @w and sleep until woken, the monotonic @deadline (0: none) or a
 * signal; unqueue it unless a waker did. 0, -ETIMEDOUT or -ERESTARTSYS.
 * Interrupts masked.
 */
long futex_sleep(struct futex_waiter *w, uint64_t deadline);
/*
 * One sleep of a futex wait (interrupts masked, the waiters queued):
 * -ETIMEDOUT once @deadline (monotonic, 0: none) has passed, else a
 * sleep until a wake-up, the deadline or a signal: -ERESTARTSYS for a
 * signal, 0 otherwise (the caller looks at its waiters again).
 */
long futex_sleep_step(uint64_t deadline);
/* Mark @w woken, off the queue, and make its task runnable. Masked. */
void futex_wake_waiter(struct futex_waiter *w);
/* The first waiter queued on @key, or NULL. Interrupts masked. */
struct futex_waiter *futex_top_waiter(const struct futex_key *key);
/*
 * Replace the word at @uaddr by @newval if it holds @old; its value
 * before in *@cur. 0 or -EFAULT.
 */
int futex_cmpxchg(uptr_t uaddr, uint32_t old, uint32_t newval, uint32_t *cur);

/* FUTEX_LOCK_PI(2) and FUTEX_TRYLOCK_PI (futex_pi.c); 0 or -errno. */
long futex_lock_pi(uptr_t uaddr, bool private, uint64_t deadline,
		   bool trylock);
/* FUTEX_UNLOCK_PI (futex_pi.c); 0 or -errno. */
long futex_unlock_pi(uptr_t uaddr, bool private);
/* FUTEX_WAIT_REQUEUE_PI (futex_pi.c); 0 owning @uaddr2's lock, or -errno. */
long futex_wait_requeue_pi(uptr_t uaddr, bool private, uint32_t val,
			   uint64_t deadline, uptr_t uaddr2);
/*
 * FUTEX_CMP_REQUEUE_PI's part after the checks (futex_pi.c): take the
 * PI lock @k2 at @uaddr2 for the first waiter of @k1 if free, requeue
 * up to @nr_requeue more as its PI waiters. Woken + requeued or -errno.
 * Interrupts masked.
 */
long futex_requeue_pi(const struct futex_key *k1, const struct futex_key *k2,
		      uptr_t uaddr2, int nr_requeue);
/*
 * Hand every PI lock @t owns with waiters to its first waiter, marked
 * owner-died (Linux's exit_pi_state_list; futex_pi.c).
 */
void futex_pi_exit(struct task *t);
