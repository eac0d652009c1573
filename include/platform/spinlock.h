/*
 * Spinlocks (platform/spinlock.c): a lock a CPU holds with its
 * interrupts off, for short sections that never sleep. Each lock has a
 * class, a static descriptor with a name (struct lock_class,
 * <aramid/lockorder.h>), shared by every lock of one kind.
 *
 * Where the profile checks locks (CONFIG_LOCK_CHECKS) each lock records
 * the CPU that holds it and where it was taken, and every take and give
 * checks the rules: interrupts off while it is held, no recursion, given
 * back by the CPU that holds it (a panic naming the lock and the rule);
 * and the order of classes, a lock-order graph shared by every CPU: the
 * first take that closes a cycle (A taken while B is held, when B was
 * taken while A was held before) logs one warning with both classes and
 * both sites. Where it does not, take and give are an atomic exchange
 * and a store, and nothing is recorded.
 *
 * No spinlock may be held across a context switch, and none while this
 * CPU waits for another (a TLB shootdown, cpu_kick_wait).
 */
#pragma once
#include <aramid/lockorder.h>
#include <aramid/profile.h>
#include <platform/cpu.h>
#include <platform/panic.h>

struct spinlock {
	uint32_t locked;
	unsigned owner;		/* the holder's CPU + 1; 0: free (checked) */
	const char *site;	/* where the holder took it (checked) */
	struct lock_class *class;
};

/* Define lock class @var named @name; a lock of it: SPINLOCK_INIT(var). */
#define LOCK_CLASS_DEFINE(var, name)	struct lock_class var = { name, 0 }
#define SPINLOCK_INIT(cls)		{ .class = &(cls) }

#define SPIN_STR2(x)	#x
#define SPIN_STR(x)	SPIN_STR2(x)
/* The call site a take records: "file:line". */
#define SPIN_SITE	__FILE__ ":" SPIN_STR(__LINE__)

/*
 * Mask interrupts, take @l (spinning, serving other CPUs' TLB and stop
 * requests meanwhile), and return the interrupt state to give back to
 * spin_unlock_irqrestore. Any context; @l not held by this CPU.
 */
#define spin_lock_irqsave(l)	spin_lock_irqsave_at((l), SPIN_SITE)
irqflags_t spin_lock_irqsave_at(struct spinlock *l, const char *site);
/* Give @l back and restore interrupts to @flags. Held by this CPU. */
void spin_unlock_irqrestore(struct spinlock *l, irqflags_t flags);

/*
 * Take @l with interrupts already off (an interrupt handler, or inside
 * another spinlock); give it back with spin_unlock, interrupts still off.
 */
#define spin_lock(l)		spin_lock_at((l), SPIN_SITE)
void spin_lock_at(struct spinlock *l, const char *site);
void spin_unlock(struct spinlock *l);

/*
 * True if this CPU holds @l. Meaningful only where the profile checks
 * locks (the owner is recorded): use it through KASSERT_SPIN_HELD.
 */
bool spin_held(const struct spinlock *l);

/*
 * The calling function needs @l held by this CPU: checked where the
 * profile checks locks, compiled out elsewhere.
 */
#define KASSERT_SPIN_HELD(l)						\
	do {								\
		if (CONFIG_LOCK_CHECKS)					\
			KASSERT(spin_held(l));				\
	} while (0)

/*
 * The locks this CPU holds (checked profiles; 0 elsewhere): none may be
 * held where the caller may switch or wait for another CPU.
 */
unsigned spin_held_count(void);
