/*
 * The PI futex operations, as Linux 6.1's kernel/futex/pi.c and
 * requeue.c: FUTEX_LOCK_PI(2), FUTEX_TRYLOCK_PI, FUTEX_UNLOCK_PI,
 * FUTEX_WAIT_REQUEUE_PI and FUTEX_CMP_REQUEUE_PI. The word holds the
 * owner's tid, FUTEX_WAITERS while the kernel has waiters (or had), and
 * FUTEX_OWNER_DIED after a robust owner's death.
 *
 * Linux's pi_state is the set of PI waiters queued on a key, each
 * recording the owner (0 once it died). The lock passes to the first
 * waiter in arrival order: one CPU and one fair scheduler, so there is no
 * priority to inherit; ownership and the word follow Linux exactly.
 */
#include <kernel/task.h>
#include <kernel/pid_ns.h>
#include <kernel/syscall.h>
#include "futex_internal.h"

/* The recorded owner of @key's PI waiters: false if it has none. */
static bool pi_state_owner(const struct futex_key *key, pid_t *owner)
{
	struct futex_waiter *w;

	list_for_each_entry(w, &futex_waiters, link) {
		if (w->kind == FUTEX_Q_PI && futex_key_eq(&w->key, key)) {
			*owner = w->pi_owner;
			return true;
		}
	}
	return false;
}

static void pi_state_set_owner(const struct futex_key *key, pid_t owner)
{
	struct futex_waiter *w;

	list_for_each_entry(w, &futex_waiters, link)
		if (w->kind == FUTEX_Q_PI && futex_key_eq(&w->key, key))
			w->pi_owner = owner;
}

/* Linux's attach_to_pi_state: does word @uval agree with @owner? */
static int pi_state_check(uint32_t uval, pid_t owner)
{
	pid_t pid = pid_from_vnr(uval & FUTEX_TID_MASK);

	if (uval & FUTEX_OWNER_DIED) {
		if (!owner)
			return pid ? -EINVAL : 0;
		if (!pid)
			return 0;
	} else if (!owner) {
		return -EINVAL;
	}
	return pid == owner ? 0 : -EINVAL;
}

/*
 * Linux's futex_lock_pi_atomic for @task: 1 if it took the free lock
 * (with FUTEX_WAITERS if @set_waiters), 0 if it must wait for the owner,
 * given in *@owner (FUTEX_WAITERS now set), or -errno.
 */
static int pi_lock_atomic(uptr_t uaddr, const struct futex_key *key,
			  struct task *task, bool set_waiters, pid_t *owner)
{
	uint32_t uval, newval, cur;
	struct task *o;

	if (get_user(uval, uaddr))
		return -EFAULT;
	if ((uval & FUTEX_TID_MASK) == (uint32_t)task_vnr(task))
		return -EDEADLK;
	if (pi_state_owner(key, owner))
		return pi_state_check(uval, *owner);
	if (!(uval & FUTEX_TID_MASK)) {
		newval = (uval & FUTEX_OWNER_DIED) | (uint32_t)task_vnr(task);
		if (set_waiters)
			newval |= FUTEX_WAITERS;
		return futex_cmpxchg(uaddr, uval, newval, &cur) ? -EFAULT : 1;
	}
	if (futex_cmpxchg(uaddr, uval, uval | FUTEX_WAITERS, &cur))
		return -EFAULT;
	/* An owner that has exited: Linux's handle_exit_race. */
	o = task_find_vpid(uval & FUTEX_TID_MASK);
	if (!o || o->state == TASK_ZOMBIE)
		return -ESRCH;
	*owner = o->pid;
	return 0;
}

/* The lock came from a dead owner: our tid into the word (fixup_pi_owner). */
static long pi_fixup_owner(uptr_t uaddr)
{
	uint32_t uval, cur;

	if (get_user(uval, uaddr))
		return -EFAULT;
	return futex_cmpxchg(uaddr, uval, (uval & FUTEX_OWNER_DIED) |
			     FUTEX_WAITERS | (uint32_t)task_vnr(current), &cur);
}

/* See futex_internal.h. */
long futex_lock_pi(uptr_t uaddr, bool private, uint64_t deadline,
		   bool trylock)
{
	struct futex_waiter w = {
		.task = current, .kind = FUTEX_Q_PI,
		.bitset = FUTEX_BITSET_MATCH_ANY,
	};
	long ret;

	ret = futex_key(uaddr, private, &w.key);
	if (ret)
		return ret;
	ret = pi_lock_atomic(uaddr, &w.key, current, false, &w.pi_owner);
	if (ret)
		return ret > 0 ? 0 : ret;
	if (trylock)
		return -EAGAIN;		/* FUTEX_WAITERS stays set, as Linux */
	ret = futex_sleep(&w, deadline);
	if (!ret && w.fixup)
		ret = pi_fixup_owner(uaddr);
	return ret == -ERESTARTSYS ? -ERESTARTNOINTR : ret;
}

/* See futex_internal.h. */
long futex_unlock_pi(uptr_t uaddr, bool private)
{
	struct futex_key key;
	struct futex_waiter *top;
	uint32_t uval, cur;
	long err;

	if (get_user(uval, uaddr))
		return -EFAULT;
	if ((uval & FUTEX_TID_MASK) != (uint32_t)task_vnr(current))
		return -EPERM;
	err = futex_key(uaddr, private, &key);
	if (err)
		return err;
	top = futex_top_waiter(&key);
	if (!top)	/* no waiters: neither FUTEX_WAITERS nor OWNER_DIED stays */
		return futex_cmpxchg(uaddr, uval, 0, &cur);
	if (top->kind != FUTEX_Q_PI || top->pi_owner != current->pid)
		return -EINVAL;
	/* To the first waiter; FUTEX_WAITERS stays while the kernel knows the lock. */
	if (futex_cmpxchg(uaddr, uval, FUTEX_WAITERS | (uint32_t)task_vnr(top->task),
			  &cur))
		return -EFAULT;
	pi_state_set_owner(&key, top->task->pid);
	futex_wake_waiter(top);
	return 0;
}

/* See futex_internal.h. */
long futex_wait_requeue_pi(uptr_t uaddr, bool private, uint32_t val,
			   uint64_t deadline, uptr_t uaddr2)
{
	struct futex_waiter w = {
		.task = current, .kind = FUTEX_Q_REQUEUE_PI,
		.bitset = FUTEX_BITSET_MATCH_ANY,
	};
	uint32_t cur;
	long ret;

	if (uptr_to_ulong(uaddr) == uptr_to_ulong(uaddr2))
		return -EINVAL;
	ret = futex_key(uaddr2, private, &w.pi_key);
	if (!ret)
		ret = futex_key(uaddr, private, &w.key);
	if (ret)
		return ret;
	if (get_user(cur, uaddr))
		return -EFAULT;
	if (cur != val)
		return -EAGAIN;
	if (futex_key_eq(&w.key, &w.pi_key))
		return -EINVAL;
	ret = futex_sleep(&w, deadline);
	if (!ret)
		return w.fixup ? pi_fixup_owner(uaddr2) : 0;
	if (w.kind == FUTEX_Q_PI)	/* requeued: a restart would only see EAGAIN */
		return ret == -ERESTARTSYS ? -EAGAIN : ret;
	return ret == -ERESTARTSYS ? -ERESTARTNOINTR : ret;
}

/* Make @w, waiting on the condition, a PI waiter of @k2 owned by @owner. */
static void requeue_to_pi(struct futex_waiter *w, const struct futex_key *k2,
			  pid_t owner)
{
	w->key = *k2;
	w->kind = FUTEX_Q_PI;
	w->pi_owner = owner;
	list_del(&w->link);
	list_add_tail(&w->link, &futex_waiters);
}

/* See futex_internal.h. */
long futex_requeue_pi(const struct futex_key *k1, const struct futex_key *k2,
		      uptr_t uaddr2, int nr_requeue)
{
	struct futex_waiter *top = futex_top_waiter(k1), *w, *n;
	pid_t owner = 0;
	long count = 0;
	int ret;

	if (!top)
		return 0;
	if (top->kind != FUTEX_Q_REQUEUE_PI || !futex_key_eq(&top->pi_key, k2))
		return -EINVAL;
	/* Linux's futex_proxy_trylock_atomic: the lock for the first waiter. */
	ret = pi_lock_atomic(uaddr2, k2, top->task, nr_requeue > 0, &owner);
	if (ret < 0)
		return ret;
	if (ret == 1) {
		requeue_to_pi(top, k2, top->task->pid);
		futex_wake_waiter(top);
		owner = top->task->pid;
		count++;
	}
	list_for_each_entry_safe(w, n, &futex_waiters, link) {
		if (count - 1 >= nr_requeue)
			break;
		if (!futex_key_eq(&w->key, k1))
			continue;
		if (w->kind != FUTEX_Q_REQUEUE_PI ||
		    !futex_key_eq(&w->pi_key, k2))
			return -EINVAL;
		requeue_to_pi(w, k2, owner);
		count++;
	}
	return count;
}

/* See futex_internal.h. */
void futex_pi_exit(struct task *t)
{
	struct futex_waiter *w;
	bool again = true;

	while (again) {
		again = false;
		list_for_each_entry(w, &futex_waiters, link) {
			if (w->kind != FUTEX_Q_PI || w->pi_owner != t->pid)
				continue;
			pi_state_set_owner(&w->key, w->task->pid);
			w->fixup = true;
			futex_wake_waiter(w);
			again = true;
			break;
		}
	}
}
