/*
 * Spinlocks (platform/spinlock.c): a lock a CPU holds with its
 * interrupts off, for short sections that never sleep. Each lock has a
 * class, a static descriptor with a name (struct lock_class,
 * <aramid/lockorder.h>), shared by every lock of one kind.
 *
 * Where the profile checks spinlocks (CONFIG_SPINLOCK_CHECKS, fortress)
 * each lock records
 * the CPU that holds it and where it was taken, and every take and give
 * checks the rules: interrupts off while it is held, no recursion, given
 * back by the CPU that holds it (a panic naming the lock and the rule);
 * and the order of classes, a lock-order graph shared by every CPU: the
 * first take that closes a cycle (A taken while B is held, when B was
 * taken while A was held before) logs one warning with both classes and
 * both sites; take and give are calls into platform/spinlock.c. Where
 * it does not, nothing is recorded and they are inline: an uncontended
 * take masks interrupts and wins one atomic exchange, a give is a store
 * (and the unmask); the exchange only once a second CPU may run
 * (klock_on; before, the mask is the whole lock). Only a contended take
 * calls out, to spin_wait.
 *
 * No spinlock may be held across a context switch, and none while this
 * CPU waits for another (a TLB shootdown, cpu_kick_wait).
 */
#pragma once
#include <aramid/lockorder.h>
#include <aramid/profile.h>
#include <platform/cpu.h>
#include <platform/irqflags.h>
#include <platform/panic.h>

struct spinlock {
	uint32_t locked;
	unsigned owner;		/* the holder's CPU + 1; 0: free (checked) */
	const char *site;	/* where the holder took it (checked) */
	struct lock_class *class;
};

/* A lock of class @cls (LOCK_CLASS_DEFINE, <aramid/lockorder.h>). */
#define SPINLOCK_INIT(cls)		{ .class = &(cls) }

/* The call site a take or give records: "file:line". */
#define SPIN_SITE	LOCK_SITE

/*
 * Mask interrupts, take @l (spinning, serving other CPUs' TLB and stop
 * requests meanwhile), and return the interrupt state to give back to
 * spin_unlock_irqrestore. Any context; @l not held by this CPU.
 */
#define spin_lock_irqsave(l)	spin_lock_irqsave_at((l), SPIN_SITE)
/*
 * Take @l with interrupts already off (an interrupt handler, or inside
 * another spinlock); give it back with spin_unlock, interrupts still off.
 */
#define spin_lock(l)		spin_lock_at((l), SPIN_SITE)
/*
 * Give @l back (interrupts still off) / and restore interrupts to @flags
 * from spin_lock_irqsave. Held by this CPU; the checks name the give's
 * site too.
 */
#define spin_unlock(l)		spin_unlock_at((l), SPIN_SITE)
#define spin_unlock_irqrestore(l, flags)				\
	spin_unlock_irqrestore_at((l), (flags), SPIN_SITE)

/*
 * The contended take: wait until @l is free and this CPU has it.
 * Interrupts off; called by the takes only (inline below where the
 * profile does not check spinlocks).
 */
void spin_wait(struct spinlock *l);

/*
 * Set once a second CPU may run (klock_enable, platform/klock.c, at the
 * first AP's start, with no spinlock held), never cleared; entry.S tests
 * it too. Until then masking interrupts alone excludes every other taker,
 * and the unchecked takes leave the lock word alone.
 */
extern bool klock_on;

#if CONFIG_SPINLOCK_CHECKS
irqflags_t spin_lock_irqsave_at(struct spinlock *l, const char *site);
void spin_unlock_irqrestore_at(struct spinlock *l, irqflags_t flags,
			       const char *site);
void spin_lock_at(struct spinlock *l, const char *site);
void spin_unlock_at(struct spinlock *l, const char *site);
#else
static inline void spin_lock_at(struct spinlock *l, const char *site)
{
	if (klock_on &&
	    unlikely(__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE)))
		spin_wait(l);
}

/* The word is 0 already while klock_on is false: the store is harmless. */
static inline void spin_unlock_at(struct spinlock *l, const char *site)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

static inline irqflags_t spin_lock_irqsave_at(struct spinlock *l,
					      const char *site)
{
	irqflags_t fl = x86_irq_save();

	spin_lock_at(l, site);
	return fl;
}

static inline void spin_unlock_irqrestore_at(struct spinlock *l,
					     irqflags_t flags,
					     const char *site)
{
	spin_unlock_at(l, site);
	x86_irq_restore(flags);
}
#endif

/*
 * True if this CPU holds @l. Meaningful only where the profile checks
 * spinlocks (the owner is recorded): use it through KASSERT_SPIN_HELD.
 */
bool spin_held(const struct spinlock *l);

/*
 * The calling function needs @l held by this CPU: checked where the
 * profile checks spinlocks, compiled out elsewhere.
 */
#define KASSERT_SPIN_HELD(l)						\
	do {								\
		if (CONFIG_SPINLOCK_CHECKS)				\
			KASSERT(spin_held(l));				\
	} while (0)

/*
 * The locks this CPU holds (where the profile checks spinlocks; 0
 * elsewhere): none may be held where the caller may switch or wait for
 * another CPU.
 */
#if CONFIG_SPINLOCK_CHECKS
unsigned spin_held_count(void);
/*
 * A sleeping lock's take (kernel/proc/mutex.c): order @lock of @class,
 * taken at @site, against the locks its holder's stack @held records, in
 * the spinlocks' graph, log the inversion it closes as the spinlocks'
 * are logged, and push it on @held. Task context, no spinlock held.
 */
void lock_order_take(struct lockorder_held *held, const void *lock,
		     struct lock_class *class, const char *site);
#else
static inline unsigned spin_held_count(void)
{
	return 0;
}
#endif
