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
 * A waiter that has spun a while halts instead (but on the boot CPU,
 * whose 8259 interrupts no priority holds back), so that on an emulator
 * or hypervisor with fewer host CPUs than guest ones it gives its host
 * CPU to the holder rather than spinning against it (lock-holder
 * preemption). It masks every interrupt but the lockless requests (the
 * TLB, stop and wake IPIs, a class above the rest) so that nothing takes
 * the lock a second time, and the holder whose give serves its ticket
 * wakes it with an IPI.
 *
 * Until the first AP starts, the boot CPU is alone and the lock costs
 * nothing: klock_enable makes the boot CPU its first holder.
 */
#include <platform/panic.h>
#include <aramid/profile.h>
#include "cpu_local.h"

#define KLOCK_SPINS	256	/* polls of the lock before a waiter halts */

static struct {
	uint32_t next;		/* the ticket the next taker draws */
	uint32_t serving;	/* the ticket that holds the lock */
	uint32_t halted;	/* waiters halted for their tickets */
	unsigned owner;		/* the holder's CPU number, for the checks */
} klock __aligned(64);
bool klock_on;

/*
 * Halt @c until its @ticket is served (or a lockless request arrives),
 * unless it is served already or @c cannot hold its interrupts back.
 * The count and the serving ticket are read and written in one total
 * order (seq_cst), so either klock_give sees this CPU halted or this CPU
 * sees its ticket served. Interrupts off.
 */
static void klock_halt(struct cpu_local *c, uint32_t ticket)
{
	if (!lapic_hold_locked_irqs(true))	/* the boot CPU spins on */
		return;
	c->klock_ticket = ticket;
	__atomic_store_n(&c->klock_halted, true, __ATOMIC_RELEASE);
	__atomic_fetch_add(&klock.halted, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&klock.serving, __ATOMIC_SEQ_CST) != ticket)
		__asm__ __volatile__("sti; hlt; cli" ::: "memory");
	__atomic_fetch_sub(&klock.halted, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&c->klock_halted, false, __ATOMIC_RELEASE);
	lapic_hold_locked_irqs(false);
}

/* Wake the CPU halted for @ticket, if one is. */
static void klock_wake(uint32_t ticket)
{
	for (unsigned i = 0; i < cpu_online_count(); i++) {
		struct cpu_local *o = &cpu_locals[i];

		if (__atomic_load_n(&o->klock_halted, __ATOMIC_ACQUIRE) &&
		    o->klock_ticket == ticket)
			lapic_send_ipi(o->apic_id, VEC_KLOCK_WAKE);
	}
}

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
	unsigned spins = 0;

	while (__atomic_load_n(&klock.serving, __ATOMIC_ACQUIRE) != ticket) {
		__builtin_ia32_pause();
		cpu_serve_requests(c);
		if (__atomic_load_n(&c->kick_pending, __ATOMIC_ACQUIRE))
			__atomic_store_n(&c->kick_pending, 0, __ATOMIC_RELEASE);
		if (++spins == KLOCK_SPINS) {
			klock_halt(c, ticket);
			spins = 0;
		}
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
	uint32_t next = __atomic_add_fetch(&klock.serving, 1, __ATOMIC_SEQ_CST);

	if (__atomic_load_n(&klock.halted, __ATOMIC_SEQ_CST))
		klock_wake(next);
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
