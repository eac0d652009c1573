/*
 * The kernel lock: a ticket lock that the CPU running kernel code holds
 * (include/platform/smp.h). It is held by a CPU, not by a thread: a
 * thread that sleeps in the kernel hands the CPU, lock and all, to the
 * next thread, and whichever thread leaves for user mode gives it back.
 * While a CPU spins for it, interrupts are off, so it serves the TLB and
 * stop requests of the CPU that holds it, which may be waiting for them,
 * and answers its cpu_kick_wait: only the spin answers that, since a CPU
 * that spins has left user mode and goes back through the kernel.
 *
 * Until the first AP starts, the boot CPU is alone and the lock costs
 * nothing: klock_enable makes the boot CPU its first holder.
 */
#include <platform/panic.h>
#include <aramid/profile.h>
#include "cpu_local.h"

static struct {
	uint32_t next;		/* the ticket the next taker draws */
	uint32_t serving;	/* the ticket that holds the lock */
	unsigned owner;		/* the holder's CPU number, for the checks */
} klock __aligned(64);
bool klock_on;

/* Interrupts off: an interrupt here would take the lock a second time. */
void klock_enable(void)
{
	irqflags_t fl = irq_save();

	klock_on = true;
	klock_take(this_cpu());
	irq_restore(fl);
}

void klock_take(struct cpu_local *c)
{
	if (!klock_on)
		return;
	if (CONFIG_LOCK_CHECKS) {
		KASSERT(!(read_rflags() & RFLAGS_IF));
		KASSERT(!c->klock_held);
	}
	uint32_t ticket = __atomic_fetch_add(&klock.next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&klock.serving, __ATOMIC_ACQUIRE) != ticket) {
		__builtin_ia32_pause();
		cpu_serve_requests(c);
		if (__atomic_load_n(&c->kick_pending, __ATOMIC_ACQUIRE))
			__atomic_store_n(&c->kick_pending, 0, __ATOMIC_RELEASE);
	}
	c->klock_held = true;
	klock.owner = c->id;
}

void klock_take_syscall(void)
{
	klock_take(this_cpu());
}

void klock_give(struct cpu_local *c)
{
	if (!klock_on)
		return;
	if (CONFIG_LOCK_CHECKS) {
		KASSERT(!(read_rflags() & RFLAGS_IF));
		KASSERT(c->klock_held && klock.owner == c->id);
	}
	c->klock_held = false;
	__atomic_store_n(&klock.serving, klock.serving + 1, __ATOMIC_RELEASE);
}

void klock_check_held(const char *fn)
{
	if (klock_on && !this_cpu()->klock_held)
		panic("%s: called without the kernel lock", fn);
}

void klock_give_if_held(void)
{
	struct cpu_local *c = this_cpu();

	if (c->klock_held)
		klock_give(c);
}
