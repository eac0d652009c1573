/*
 * futex(2): FUTEX_WAIT, FUTEX_WAKE, their bitset forms and
 * FUTEX_(CMP_)REQUEUE. A waiter sleeps on a global list keyed by
 * (address space, address), or by physical address for a futex in shared
 * memory.
 */
#include <kernel/task.h>
#include <kernel/mm.h>
#include <kernel/syscall.h>
#include <platform/time.h>
#include <platform/usercopy.h>
#include <aramid/string.h>
#include "proc_internal.h"

#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_REQUEUE		3
#define FUTEX_CMP_REQUEUE	4
#define FUTEX_WAIT_BITSET	9
#define FUTEX_WAKE_BITSET	10
#define FUTEX_PRIVATE_FLAG	128
#define FUTEX_CLOCK_REALTIME	256
#define FUTEX_CMD_MASK		(~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))
#define FUTEX_BITSET_MATCH_ANY	0xffffffffu

struct futex_key {
	const void *space;	/* the mm, or NULL for a physical key */
	uint64_t addr;
};

struct futex_waiter {
	struct list_head link;
	struct futex_key key;
	struct task *task;
	uint32_t bitset;
	bool woken;
};

static LIST_HEAD(futex_waiters);

/* A futex word must be 4-byte aligned; Linux checks it (EINVAL) before
 * it reads the word (EFAULT). */
static bool futex_misaligned(uptr_t uaddr)
{
	return uptr_to_ulong(uaddr) & 3;
}

static int futex_key(uptr_t uaddr, bool private, struct futex_key *key)
{
	uintptr_t addr = uptr_to_ulong(uaddr);
	paddr_t pa;
	unsigned prot;

	if (futex_misaligned(uaddr))
		return -EINVAL;
	/*
	 * As Linux: a private futex, or a shared one in private memory, is
	 * named by (address space, address); in shared memory by the frame.
	 */
	struct vma *v = vma_find(current->mm, addr);

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

static bool key_eq(const struct futex_key *a, const struct futex_key *b)
{
	return a->space == b->space && a->addr == b->addr;
}

static long futex_wait(uptr_t uaddr, bool private, uint32_t val,
		       uint64_t deadline, uint32_t bitset)
{
	struct futex_waiter w = { .task = current, .bitset = bitset };
	uint32_t cur;
	irqflags_t fl;
	long ret;

	if (!bitset || futex_misaligned(uaddr))
		return -EINVAL;
	if (get_user(cur, uaddr))
		return -EFAULT;
	ret = futex_key(uaddr, private, &w.key);
	if (ret)
		return ret;
	fl = irq_save();
	/* No preemption: nothing can change the word between read and queue. */
	if (cur != val) {
		irq_restore(fl);
		return -EAGAIN;
	}
	list_add_tail(&w.link, &futex_waiters);
	ret = 0;
	while (!w.woken) {
		if (deadline && clock_monotonic_ns() >= deadline) {
			ret = -ETIMEDOUT;
			break;
		}
		if (sched_sleep_until(deadline)) {
			ret = -ERESTARTSYS;
			break;
		}
	}
	list_del(&w.link);
	irq_restore(fl);
	return w.woken ? 0 : ret;
}

/* Wake up to @nr waiters of @key whose bitset meets @bitset. */
static long wake_key(const struct futex_key *key, int nr, uint32_t bitset)
{
	struct futex_waiter *w;
	long woken = 0;
	irqflags_t fl = irq_save();

	list_for_each_entry(w, &futex_waiters, link) {
		if (woken >= nr)
			break;
		if (w->woken || !key_eq(&w->key, key) || !(w->bitset & bitset))
			continue;
		w->woken = true;
		sched_make_runnable(w->task);
		woken++;
	}
	irq_restore(fl);
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

static long futex_requeue(uptr_t uaddr, uptr_t uaddr2, bool private,
			  int nr_wake, int nr_requeue, bool cmp, uint32_t val3)
{
	struct futex_key k1, k2;
	struct futex_waiter *w;
	uint32_t cur;
	long err, n;

	if (nr_wake < 0 || nr_requeue < 0 || futex_misaligned(uaddr) ||
	    futex_misaligned(uaddr2))
		return -EINVAL;
	if (cmp && get_user(cur, uaddr))
		return -EFAULT;
	err = futex_key(uaddr, private, &k1);
	if (!err)
		err = futex_key(uaddr2, private, &k2);
	if (err)
		return err;
	if (cmp && cur != val3)
		return -EAGAIN;
	n = wake_key(&k1, nr_wake, FUTEX_BITSET_MATCH_ANY);
	irqflags_t fl = irq_save();

	list_for_each_entry(w, &futex_waiters, link) {
		if (nr_requeue <= 0)
			break;
		if (w->woken || !key_eq(&w->key, &k1))
			continue;
		w->key = k2;
		nr_requeue--;
		if (cmp)
			n++;	/* CMP_REQUEUE counts the requeued too */
	}
	irq_restore(fl);
	return n;
}

/* The absolute monotonic deadline of a futex timeout; 0 for none. */
static long futex_deadline(uptr_t uts, bool absolute, bool realtime,
			   uint64_t *deadline)
{
	struct { int64_t sec, nsec; } ts;
	uint64_t ns, now;

	*deadline = 0;
	if (uptr_null(uts))
		return 0;
	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	ns = ts.sec * NSEC_PER_SEC + ts.nsec;
	now = clock_monotonic_ns();
	if (!absolute)
		*deadline = now + ns;
	else if (realtime)
		*deadline = now + (ns > clock_boot_realtime_ns() + now ?
				   ns - clock_boot_realtime_ns() - now : 0);
	else
		*deadline = ns;
	if (!*deadline)
		*deadline = 1;		/* already past */
	return 0;
}

SYSCALL(__NR_futex, futex)(SYSCALL_ARGS)
{
	uptr_t uaddr = UPTR(a0);
	int op = (int)a1;
	int cmd = op & FUTEX_CMD_MASK;
	bool private = op & FUTEX_PRIVATE_FLAG;
	bool realtime = op & FUTEX_CLOCK_REALTIME;
	uint64_t deadline;
	long err;

	if (realtime && cmd != FUTEX_WAIT_BITSET && cmd != FUTEX_WAIT)
		return -ENOSYS;
	switch (cmd) {
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET:
		err = futex_deadline(UPTR(a3), cmd == FUTEX_WAIT_BITSET,
				     realtime, &deadline);
		if (err)
			return err;
		return futex_wait(uaddr, private, (uint32_t)a2, deadline,
				  cmd == FUTEX_WAIT ? FUTEX_BITSET_MATCH_ANY :
				  (uint32_t)a5);
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET: {
		struct futex_key key;

		if (cmd == FUTEX_WAKE_BITSET && !(uint32_t)a5)
			return -EINVAL;
		err = futex_key(uaddr, private, &key);
		if (err)
			return err;
		return wake_key(&key, (int)a2 < 0 ? 0 : (int)a2,
				cmd == FUTEX_WAKE ? FUTEX_BITSET_MATCH_ANY :
				(uint32_t)a5);
	}
	case FUTEX_REQUEUE:
	case FUTEX_CMP_REQUEUE:
		return futex_requeue(uaddr, UPTR(a4), private, (int)a2,
				     (int)a3, cmd == FUTEX_CMP_REQUEUE,
				     (uint32_t)a5);
	default:
		return -ENOSYS;
	}
}
