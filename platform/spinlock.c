/*
 * Spinlocks (include/platform/spinlock.h): a test-and-set lock taken
 * with an atomic exchange, its waiters polling with `pause` and serving
 * the TLB and stop requests of other CPUs meanwhile (a holder may be
 * waiting for those, as for the kernel lock's waiters, klock.c).
 *
 * Where the profile checks spinlocks (CONFIG_SPINLOCK_CHECKS), the takes
 * and gives are here: spin_check_take and spin_check_give enforce the
 * rules (panicking) and run the lock-order graph (lib/lockorder.c) under
 * a raw lock of its own (a take with no other spinlock held needs
 * neither), printing what the graph reports as a warning once the raw
 * lock is given back. Sleeping locks (kernel/proc/mutex.c) order their
 * classes in the same graph through lock_order_take, with a stack per
 * task rather than per CPU. Elsewhere the takes and gives are inline in the
 * header and only the contended take's wait, spin_wait, is here; the
 * checks, the graph and the per-CPU stacks are not even compiled in.
 */
#include <platform/spinlock.h>
#include <platform/printk.h>
#include "cpu_local.h"

/*
 * Wait until @l is free and this CPU has it: the contended take.
 * Interrupts off.
 */
void spin_wait(struct spinlock *l)
{
	struct cpu_local *c = this_cpu();

	do {
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED)) {
			__builtin_ia32_pause();
			cpu_serve_requests(c);
		}
	} while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE));
}

#if CONFIG_SPINLOCK_CHECKS
static struct lockorder_graph order_graph;	/* under order_lock */
static struct lockorder_held order_held[CPU_MAX];	/* CPU i's own */
static uint32_t order_lock;

static void raw_lock(uint32_t *w)
{
	while (__atomic_exchange_n(w, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(w, __ATOMIC_RELAXED))
			__builtin_ia32_pause();
}

static void raw_unlock(uint32_t *w)
{
	__atomic_store_n(w, 0, __ATOMIC_RELEASE);
}

/* Log what the graph told about CPU @cpu's take. */
static void spin_report(unsigned cpu, const struct lockorder_report *r)
{
	switch (r->event) {
	case LOCKORDER_INVERSION:
		pr_warn("lock order inversion: CPU %u takes %s at %s while "
			"holding %s (taken at %s); earlier %s was held "
			"(taken at %s) when %s was taken at %s%s",
			cpu, r->taken_class, r->taken_site, r->held_class,
			r->held_site, r->taken_class, r->prior_held_site,
			r->prior_next_class, r->prior_taken_site,
			r->path > 1 ? ", on a longer path to it" : "");
		break;
	case LOCKORDER_DEPTH_EXCEEDED:
		pr_warn("lock order: CPU %u holds more than %u locks: %s "
			"(taken at %s, inside %s taken at %s) is not recorded",
			cpu, LOCKORDER_DEPTH, r->taken_class, r->taken_site,
			r->held_class, r->held_site);
		break;
	case LOCKORDER_TOO_MANY_CLASSES:
		pr_warn("lock order: more than %u lock classes: %s (taken "
			"at %s) goes unchecked", LOCKORDER_CLASSES,
			r->taken_class, r->taken_site);
		break;
	case LOCKORDER_OK:
		break;
	}
}

/*
 * Order the take of @l (of @class) at @site by CPU @cpu (@h the stack of
 * what it holds) against the other locks it holds, under the graph's raw
 * lock; log what it tells. Interrupts off.
 */
static __noinline void spin_check_order(const void *l,
					struct lock_class *class,
					const char *site, unsigned cpu,
					struct lockorder_held *h)
{
	struct lockorder_report rep;

	raw_lock(&order_lock);
	enum lockorder_event ev = lockorder_acquire(&order_graph, h, l,
						    class, site, &rep);
	raw_unlock(&order_lock);
	if (ev != LOCKORDER_OK)
		spin_report(cpu, &rep);
}

/*
 * Before taking @l at @site: the rules, then the order. Interrupts off.
 * Returns this CPU's number, for the record of the holder.
 */
static __noinline unsigned spin_check_take(struct spinlock *l,
					   const char *site)
{
	unsigned cpu = this_cpu()->id;
	unsigned owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
	struct lockorder_held *h = &order_held[cpu];

	if (unlikely(read_rflags() & RFLAGS_IF))
		panic("spinlock %s: taken at %s with interrupts on",
		      l->class->name, site);
	if (unlikely(owner == cpu + 1))
		panic("spinlock %s: recursion: CPU %u holds it (taken at %s) "
		      "and takes it again at %s", l->class->name, cpu,
		      l->site, site);
	/* With nothing held the graph is not looked at: no raw lock. */
	if (likely(!h->n))
		lockorder_acquire(&order_graph, h, l, l->class, site, NULL);
	else
		spin_check_order(l, l->class, site, cpu, h);
	return cpu;
}

/*
 * Before giving @l back at @site: the rules; forget the holder.
 * Interrupts off.
 */
static __noinline void spin_check_give(struct spinlock *l, const char *site)
{
	unsigned cpu = this_cpu()->id;
	unsigned owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);

	if (unlikely(read_rflags() & RFLAGS_IF))
		panic("spinlock %s: given back at %s with interrupts on "
		      "(taken at %s)", l->class->name, site, l->site);
	if (unlikely(owner != cpu + 1)) {
		if (owner)
			panic("spinlock %s: given back by CPU %u at %s, but "
			      "CPU %u holds it (taken at %s)", l->class->name,
			      cpu, site, owner - 1, l->site);
		panic("spinlock %s: given back by CPU %u at %s, but no CPU "
		      "holds it", l->class->name, cpu, site);
	}
	KASSERT(lockorder_release(&order_held[cpu], l));
	l->site = NULL;
	__atomic_store_n(&l->owner, 0, __ATOMIC_RELAXED);
}

/* Take @l, checked, and record the holder. */
static inline void spin_take(struct spinlock *l, const char *site)
{
	unsigned cpu = spin_check_take(l, site);

	if (unlikely(__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE)))
		spin_wait(l);
	l->site = site;
	__atomic_store_n(&l->owner, cpu + 1, __ATOMIC_RELAXED);
}

static inline void spin_give(struct spinlock *l, const char *site)
{
	spin_check_give(l, site);
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

void spin_lock_at(struct spinlock *l, const char *site)
{
	spin_take(l, site);
}

void spin_unlock_at(struct spinlock *l, const char *site)
{
	spin_give(l, site);
}

irqflags_t spin_lock_irqsave_at(struct spinlock *l, const char *site)
{
	irqflags_t fl = x86_irq_save();

	spin_take(l, site);
	return fl;
}

void spin_unlock_irqrestore_at(struct spinlock *l, irqflags_t flags,
			       const char *site)
{
	spin_give(l, site);
	x86_irq_restore(flags);
}

void lock_order_take(struct lockorder_held *held, const void *lock,
		     struct lock_class *class, const char *site)
{
	irqflags_t fl;

	if (likely(!held->n)) {
		lockorder_acquire(&order_graph, held, lock, class, site, NULL);
		return;
	}
	/* An interrupt's spinlock take must not find the graph's lock held. */
	fl = x86_irq_save();
	spin_check_order(lock, class, site, this_cpu()->id, held);
	x86_irq_restore(fl);
}

unsigned spin_held_count(void)
{
	const struct lockorder_held *h = &order_held[this_cpu()->id];

	return h->n + h->lost;
}
#endif

bool spin_held(const struct spinlock *l)
{
	return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) ==
	       this_cpu()->id + 1;
}
