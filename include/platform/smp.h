/*
 * The machine's CPUs (platform/smp.c): how many the firmware lists, the
 * start of the others, and the kick that sends one back into the kernel.
 *
 * The kernel runs under one lock, the kernel lock: a CPU takes it on
 * every entry from user mode or from idle and gives it back on the way
 * out, so kernel code runs on one CPU at a time and masking interrupts
 * still keeps the rest of that CPU's kernel code out, as on one CPU; user
 * code runs on every CPU at once. The platform takes and gives the lock
 * (entry.S, trap.c, cpu_idle); the kernel only sees it hold.
 */
#pragma once
#include <platform/cpu.h>
#include <aramid/profile.h>

#define CPU_MAX		8	/* the CPUs the kernel starts, at most */

/*
 * This CPU's number, 0 (the boot CPU) .. cpu_online_count() - 1. After
 * the first task is adopted (cpu_thread_adopt); a task may move to
 * another CPU whenever it sleeps, so the answer is only a hint then.
 */
static inline unsigned cpu_this(void)
{
	return cpu_thread_running()->cpu;
}

/*
 * Panic, naming @fn, unless this CPU holds the kernel lock (or the lock
 * is not switched on yet: one CPU). See KASSERT_KLOCK_HELD.
 */
void klock_check_held(const char *fn);
/*
 * The calling function needs the kernel lock: checked where the profile
 * checks locks (CONFIG_LOCK_CHECKS), compiled out elsewhere.
 */
#define KASSERT_KLOCK_HELD()						\
	do {								\
		if (CONFIG_LOCK_CHECKS)					\
			klock_check_held(__func__);			\
	} while (0)

/* The CPUs the firmware lists (ACPI's MADT), at most CPU_MAX; >= 1. */
unsigned cpu_present_count(void);
/* The CPUs running so far: 1 until cpu_start brings up the others. */
unsigned cpu_online_count(void);
/* CPU @cpu's local APIC id (< cpu_present_count()). */
unsigned cpu_apic_id(unsigned cpu);

/*
 * Start CPU @cpu (the next of 1 .. cpu_present_count() - 1) running
 * @fn(@arg) on thread @t (kstack_top set, never run), with the kernel
 * lock held and interrupts off; @fn never returns. Boot CPU, process
 * context. Returns 0 once the CPU runs, -EIO if it did not answer (it is
 * then left out, and so are those after it).
 */
int cpu_start(unsigned cpu, struct cpu_thread *t, void (*fn)(void *),
	      void *arg);

/*
 * Interrupt CPU @cpu, if it is not this one, so that it enters the
 * kernel soon: it then looks for work (an idle CPU) or for a signal or a
 * reschedule of the thread it runs. Kernel lock held.
 */
void cpu_kick(unsigned cpu);

/*
 * Kick every CPU in @cpus (bit i: CPU i) other than this one, and wait
 * until each has stopped what it was running (user code or idle) and
 * waits for the kernel lock: once this returns none of them runs user
 * code until it has passed through kernel_return_to_user, and each has
 * executed a full memory barrier (membarrier). Kernel lock held.
 */
void cpu_kick_wait(uint32_t cpus);
