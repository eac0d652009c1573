/*
 * futex(2), as Linux 6.1's kernel/futex: FUTEX_WAIT(_BITSET),
 * FUTEX_WAKE(_BITSET), FUTEX_(CMP_)REQUEUE and FUTEX_WAKE_OP here; the
 * PI operations in futex_pi.c, robust lists in futex_robust.c. The
 * waiters and the word's atomicity are described in futex_internal.h.
 */
#include <kernel/task.h>
#include <kernel/mm.h>
#include <kernel/ktimer.h>
#include <kernel/syscall.h>
#include <platform/time.h>
#include <platform/usercopy.h>
#include <aramid/string.h>
#include "proc_internal.h"
#include "futex_internal.h"

#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_REQUEUE		3
#define FUTEX_CMP_REQUEUE	4
#define FUTEX_WAKE_OP		5
#define FUTEX_LOCK_PI		6
#define FUTEX_UNLOCK_PI		7
#define FUTEX_TRYLOCK_PI	8
#define FUTEX_WAIT_BITSET	9
#define FUTEX_WAKE_BITSET	10
#define FUTEX_WAIT_REQUEUE_PI	11
#define FUTEX_CMP_REQUEUE_PI	12
#define FUTEX_LOCK_PI2		13
#define FUTEX_PRIVATE_FLAG	128
#define FUTEX_CLOCK_REALTIME	256
#define FUTEX_CMD_MASK		(~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))

/* FUTEX_WAKE_OP's val3: op << 28 | cmp << 24 | oparg << 12 | cmparg. */
#define FUTEX_OP_SET		0
#define FUTEX_OP_ADD		1
#define FUTEX_OP_OR		2
#define FUTEX_OP_ANDN		3
#define FUTEX_OP_XOR		4
#define FUTEX_OP_OPARG_SHIFT	8	/* in op: oparg is 1 << oparg */
#define FUTEX_OP_CMP_EQ		0
#define FUTEX_OP_CMP_NE		1
#define FUTEX_OP_CMP_LT		2
#define FUTEX_OP_CMP_LE		3
#define FUTEX_OP_CMP_GT		4
#define FUTEX_OP_CMP_GE		5

LIST_HEAD(futex_waiters);

/* See futex_internal.h. */
bool futex_misaligned(uptr_t uaddr)
{
	return uptr_to_ulong(uaddr) & 3;
}

/* See futex_internal.h. */
int futex_key(uptr_t uaddr, bool private, struct futex_key *key)
{
	uintptr_t addr = uptr_to_ulong(uaddr);
	paddr_t pa;
	unsigned prot;

	if (futex_misaligned(uaddr))
		return -EINVAL;
	/*
	 * As Linux: a private futex, or a shared one in private memory, is
	 * named by (address space, address), the two apart (Linux's
	 * FUT_OFF_MMSHARED: a robust owner's death wakes shared waiters
	 * only); in shared memory by the frame.
	 */
	struct vma *v;

	key->shared_op = !private;
	/*
	 * A shared futex's page is faulted in as Linux's get_user_pages does
	 * (a read suffices): unmapped, PROT_NONE or beyond a file's end is
	 * EFAULT even for a wake.
	 */
	if (!private && mm_fault(current->mm, addr, false, false))
		return -EFAULT;
	v = vma_find(current->mm, addr);
	if (private || !v || !(v->flags & VMA_SHARED)) {
		key->space = current->mm;
		key->addr = addr;
		return 0;
	}
	if (!mmu_lookup(current->mm->space, ALIGN_DOWN(addr, PAGE_SIZE),
			&pa, &prot))
		return -EFAULT;
	key->space = NULL;
	key->addr = pa + (addr & (PAGE_SIZE - 1));
	return 0;
}

/* See futex_internal.h. */
bool futex_key_eq(const struct futex_key *a, const struct futex_key *b)
{
	return a->space == b->space && a->addr == b->addr &&
	       a->shared_op == b->shared_op;
}

/* See futex_internal.h. */
int futex_cmpxchg(uptr_t uaddr, uint32_t old, uint32_t newval, uint32_t *cur)
{
	if (get_user(*cur, uaddr))
		return -EFAULT;
	if (*cur == old && put_user(newval, uaddr))
		return -EFAULT;
	return 0;
}

/* See futex_internal.h. */
long futex_sleep_step(uint64_t deadline)
{
	if (deadline && clock_monotonic_ns() >= deadline)
		return -ETIMEDOUT;
	return sched_sleep_until(deadline) ? -ERESTARTSYS : 0;
}

/* See futex_internal.h. */
long futex_sleep(struct futex_waiter *w, uint64_t deadline)
{
	irqflags_t fl = irq_save();
	long ret = 0;

	list_add_tail(&w->link, &futex_waiters);
	while (!w->woken) {
		ret = futex_sleep_step(deadline);
		if (ret)
			break;
	}
	if (w->woken)
		ret = 0;
	else
		list_del(&w->link);
	irq_restore(fl);
	return ret;
}

/* See futex_internal.h. */
void futex_wake_waiter(struct futex_waiter *w)
{
	irqflags_t fl = irq_save();

	list_del(&w->link);
	w->woken = true;
	sched_make_runnable(w->task);
	irq_restore(fl);
}

/* See futex_internal.h. */
struct futex_waiter *futex_top_waiter(const struct futex_key *key)
{
	struct futex_waiter *w;

	list_for_each_entry(w, &futex_waiters, link)
		if (futex_key_eq(&w->key, key))
			return w;
	return NULL;
}

/*
 * Wake waiters of @key whose bitset meets @bitset; as Linux, at least
 * one even if @nr < 1. The count, or -EINVAL on meeting a PI waiter.
 */
static long wake_key(const struct futex_key *key, int nr, uint32_t bitset)
{
	struct futex_waiter *w, *n;
	long woken = 0;

	list_for_each_entry_safe(w, n, &futex_waiters, link) {
		if (!futex_key_eq(&w->key, key))
			continue;
		if (w->kind != FUTEX_Q_PLAIN)
			return -EINVAL;
		if (!(w->bitset & bitset))
			continue;
		futex_wake_waiter(w);
		if (++woken >= nr)
			break;
	}
	return woken;
}

long futex_wake(uptr_t uaddr, int nr, bool private)
{
	struct futex_key key;
	long err = futex_key(uaddr, private, &key);

	if (err)
		return err;
	return wake_key(&key, nr, FUTEX_BITSET_MATCH_ANY);
}

static long futex_wait(uptr_t uaddr, bool private, uint32_t val,
		       uint64_t deadline, uint32_t bitset)
{
	struct futex_waiter w = { .task = current, .bitset = bitset };
	uint32_t cur;
	long ret;

	if (!bitset)
		return -EINVAL;
	ret = futex_key(uaddr, private, &w.key);
	if (ret)
		return ret;
	if (get_user(cur, uaddr))
		return -EFAULT;
	/* No preemption: nothing changes the word between read and queue. */
	if (cur != val)
		return -EAGAIN;
	return futex_sleep(&w, deadline);
}

static long futex_requeue(uptr_t uaddr, uptr_t uaddr2, bool private,
			  int nr_wake, int nr_requeue, const uint32_t *cmpval,
			  bool pi)
{
	struct futex_key k1, k2;
	struct futex_waiter *w, *n;
	uint32_t cur;
	long err, count = 0;

	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
	if (pi && (uptr_to_ulong(uaddr) == uptr_to_ulong(uaddr2) ||
		   nr_wake != 1))
		return -EINVAL;
	err = futex_key(uaddr, private, &k1);
	if (!err)
		err = futex_key(uaddr2, private, &k2);
	if (err)
		return err;
	if (pi && futex_key_eq(&k1, &k2))
		return -EINVAL;
	if (cmpval && get_user(cur, uaddr))
		return -EFAULT;
	if (cmpval && cur != *cmpval)
		return -EAGAIN;
	if (pi)
		return futex_requeue_pi(&k1, &k2, uaddr2, nr_requeue);
	list_for_each_entry_safe(w, n, &futex_waiters, link) {
		if (count - nr_wake >= nr_requeue)
			break;
		if (!futex_key_eq(&w->key, &k1))
			continue;
		if (w->kind != FUTEX_Q_PLAIN)
			return -EINVAL;
		if (++count <= nr_wake) {
			futex_wake_waiter(w);
		} else if (!futex_key_eq(&k1, &k2)) {
			/* Behind the waiters already on @k2. */
			w->key = k2;
			list_del(&w->link);
			list_add_tail(&w->link, &futex_waiters);
		}
	}
	return count;
}

/*
 * FUTEX_WAKE_OP's operation on the word at @uaddr: the comparison of its
 * old value (1 or 0), or -errno; an unknown comparison is -ENOSYS after
 * the operation, as Linux's futex_atomic_op_inuser.
 */
static int wake_op_apply(uptr_t uaddr, uint32_t encoded)
{
	unsigned op = (encoded >> 28) & 7, cmp = (encoded >> 24) & 15;
	int oparg = (int)((encoded >> 12) & 0xfff);	/* 12 bits, signed */
	int cmparg = (int)(encoded & 0xfff);
	int old, val;

	if (oparg & 0x800)
		oparg -= 0x1000;
	if (cmparg & 0x800)
		cmparg -= 0x1000;
	if (encoded & ((uint32_t)FUTEX_OP_OPARG_SHIFT << 28))
		oparg = (int)(1u << (oparg & 31));
	if (op > FUTEX_OP_XOR)
		return -ENOSYS;
	if (get_user(old, uaddr))
		return -EFAULT;
	switch (op) {
	case FUTEX_OP_SET:
		val = oparg;
		break;
	case FUTEX_OP_ADD:
		val = (int)((uint32_t)old + (uint32_t)oparg);
		break;
	case FUTEX_OP_OR:
		val = old | oparg;
		break;
	case FUTEX_OP_ANDN:
		val = old & ~oparg;
		break;
	default:
		val = old ^ oparg;
		break;
	}
	if (put_user(val, uaddr))
		return -EFAULT;
	switch (cmp) {
	case FUTEX_OP_CMP_EQ: return old == cmparg;
	case FUTEX_OP_CMP_NE: return old != cmparg;
	case FUTEX_OP_CMP_LT: return old < cmparg;
	case FUTEX_OP_CMP_LE: return old <= cmparg;
	case FUTEX_OP_CMP_GT: return old > cmparg;
	case FUTEX_OP_CMP_GE: return old >= cmparg;
	default: return -ENOSYS;
	}
}

/* FUTEX_WAKE_OP: operate on @uaddr2; wake @uaddr's, then @uaddr2's if so. */
static long futex_wake_op(uptr_t uaddr, uptr_t uaddr2, bool private,
			  int nr_wake, int nr_wake2, uint32_t encoded)
{
	struct futex_key k1, k2;
	long err, n, n2;
	int op_ret;

	err = futex_key(uaddr, private, &k1);
	if (!err)
		err = futex_key(uaddr2, private, &k2);
	if (err)
		return err;
	op_ret = wake_op_apply(uaddr2, encoded);
	if (op_ret < 0)
		return op_ret;
	n = wake_key(&k1, nr_wake, FUTEX_BITSET_MATCH_ANY);
	if (n < 0 || op_ret == 0)
		return n;
	n2 = wake_key(&k2, nr_wake2, FUTEX_BITSET_MATCH_ANY);
	return n2 < 0 ? n2 : n + n2;
}

static bool cmd_has_timeout(int cmd)
{
	return cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET ||
	       cmd == FUTEX_LOCK_PI || cmd == FUTEX_LOCK_PI2 ||
	       cmd == FUTEX_WAIT_REQUEUE_PI;
}

/*
 * The monotonic deadline of @cmd's timeout at @uts (0: none): relative
 * for FUTEX_WAIT, an absolute CLOCK_REALTIME time for FUTEX_LOCK_PI, else
 * absolute on CLOCK_MONOTONIC or, with FUTEX_CLOCK_REALTIME, the wall.
 */
static long futex_deadline(uptr_t uts, int cmd, bool realtime,
			   uint64_t *deadline)
{
	*deadline = 0;
	if (!cmd_has_timeout(cmd))
		return 0;
	return timeout_from_user(uts, realtime || cmd == FUTEX_LOCK_PI ?
				 CLOCK_REALTIME : CLOCK_MONOTONIC,
				 cmd != FUTEX_WAIT, deadline);
}

SYSCALL(__NR_futex, futex)(SYSCALL_ARGS)
{
	uptr_t uaddr = UPTR(a0), uaddr2 = UPTR(a4);
	int op = (int)a1;
	int cmd = op & FUTEX_CMD_MASK;
	bool private = op & FUTEX_PRIVATE_FLAG;
	bool realtime = op & FUTEX_CLOCK_REALTIME;
	uint32_t val = (uint32_t)a2, val3 = (uint32_t)a5;
	int val2 = (int)(uint32_t)a3;	/* the timeout's slot, as a count */
	uint64_t deadline;
	long err;

	err = futex_deadline(UPTR(a3), cmd, realtime, &deadline);
	if (err)
		return err;
	if (realtime && cmd != FUTEX_WAIT_BITSET &&
	    cmd != FUTEX_WAIT_REQUEUE_PI && cmd != FUTEX_LOCK_PI2)
		return -ENOSYS;
	switch (cmd) {
	case FUTEX_WAIT:
		val3 = FUTEX_BITSET_MATCH_ANY;
		/* fallthrough */
	case FUTEX_WAIT_BITSET:
		return futex_wait(uaddr, private, val, deadline, val3);
	case FUTEX_WAKE:
		val3 = FUTEX_BITSET_MATCH_ANY;
		/* fallthrough */
	case FUTEX_WAKE_BITSET: {
		struct futex_key key;

		if (!val3)
			return -EINVAL;
		err = futex_key(uaddr, private, &key);
		if (err)
			return err;
		return wake_key(&key, (int)val, val3);
	}
	case FUTEX_REQUEUE:
		return futex_requeue(uaddr, uaddr2, private, (int)val, val2,
				     NULL, false);
	case FUTEX_CMP_REQUEUE:
	case FUTEX_CMP_REQUEUE_PI:
		return futex_requeue(uaddr, uaddr2, private, (int)val, val2,
				     &val3, cmd == FUTEX_CMP_REQUEUE_PI);
	case FUTEX_WAKE_OP:
		return futex_wake_op(uaddr, uaddr2, private, (int)val, val2,
				     val3);
	case FUTEX_LOCK_PI:
	case FUTEX_LOCK_PI2:
		return futex_lock_pi(uaddr, private, deadline, false);
	case FUTEX_TRYLOCK_PI:
		return futex_lock_pi(uaddr, private, 0, true);
	case FUTEX_UNLOCK_PI:
		return futex_unlock_pi(uaddr, private);
	case FUTEX_WAIT_REQUEUE_PI:
		return futex_wait_requeue_pi(uaddr, private, val, deadline,
					     uaddr2);
	default:
		return -ENOSYS;
	}
}
