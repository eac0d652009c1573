/*
 * membarrier, as Linux 6.1's kernel/sched/membarrier.c. A barrier on
 * other CPUs is a kick they must answer (cpu_kick_wait): a CPU answers
 * once it has left the user code it ran and waits for the kernel lock,
 * and taking that lock is a full barrier. MEMBARRIER_CMD_GLOBAL kicks
 * every busy CPU (the grace period Linux waits for ends no sooner), the
 * expedited commands only those running a registered process's threads;
 * the RSEQ command also aborts the restartable sequences of the threads
 * it kicks, as if they had been preempted.
 */
#include <kernel/task.h>
#include <kernel/mm.h>
#include <kernel/rseq.h>
#include <kernel/syscall.h>
#include <platform/smp.h>

#define MEMBARRIER_CMD_QUERY				0
#define MEMBARRIER_CMD_GLOBAL				(1 << 0)
#define MEMBARRIER_CMD_GLOBAL_EXPEDITED			(1 << 1)
#define MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED	(1 << 2)
#define MEMBARRIER_CMD_PRIVATE_EXPEDITED		(1 << 3)
#define MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED	(1 << 4)
#define MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE	(1 << 5)
#define MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE (1 << 6)
#define MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ		(1 << 7)
#define MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ	(1 << 8)
#define MEMBARRIER_CMD_FLAG_CPU				(1 << 0)

/* What QUERY reports: every command Linux 6.1 has on x86. */
#define MEMBARRIER_CMD_BITMASK	0x1ff

/* The CPUs other than this one whose running task passes @want. */
static uint32_t cpus_running(bool (*want)(struct task *, struct mm *),
			     struct mm *mm)
{
	unsigned n = cpu_online_count(), me = cpu_this();
	uint32_t cpus = 0;

	for (unsigned i = 0; i < n; i++) {
		struct task *t = sched_cpu_task(i);

		if (i != me && t->mm && want(t, mm))
			cpus |= 1U << i;
	}
	return cpus;
}

static bool any_user_task(struct task *t, struct mm *mm)
{
	return true;
}

static bool registered_global(struct task *t, struct mm *mm)
{
	return t->mm->membarrier_registered &
	       MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED;
}

static bool same_mm(struct task *t, struct mm *mm)
{
	return t->mm == mm;
}

/* The private expedited commands: @cmd's registration is the bit above. */
static long private_expedited(int cmd, int cpu)
{
	struct mm *mm = current->mm;
	uint32_t cpus;

	if (!(mm->membarrier_registered & ((unsigned)cmd << 1)))
		return -EPERM;
	if (cmd != MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE &&
	    (mm->refcount == 1 || cpu_online_count() == 1))
		return 0;	/* no other thread can run on another CPU */
	if (cpu >= 0) {
		if ((unsigned)cpu >= cpu_online_count() ||
		    sched_cpu_task(cpu)->mm != mm)
			return 0;
		cpus = 1U << cpu;
	} else {
		cpus = cpus_running(same_mm, mm);
	}
	if (cmd == MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ)
		for (unsigned i = 0; i < cpu_online_count(); i++)
			if (cpus & (1U << i))
				rseq_preempt(sched_cpu_task(i));
	cpu_kick_wait(cpus);
	return 0;
}

SYSCALL(__NR_membarrier, membarrier)(SYSCALL_ARGS)
{
	int cmd = (int)a0;
	unsigned flags = (unsigned)a1;
	int cpu = (int)a2;
	struct mm *mm = current->mm;

	if (cmd == MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ ?
	    flags & ~MEMBARRIER_CMD_FLAG_CPU : flags)
		return -EINVAL;
	if (!(flags & MEMBARRIER_CMD_FLAG_CPU))
		cpu = -1;
	switch (cmd) {
	case MEMBARRIER_CMD_QUERY:
		return MEMBARRIER_CMD_BITMASK;
	case MEMBARRIER_CMD_GLOBAL:
		cpu_kick_wait(cpus_running(any_user_task, mm));
		return 0;
	case MEMBARRIER_CMD_GLOBAL_EXPEDITED:
		cpu_kick_wait(cpus_running(registered_global, mm));
		return 0;
	case MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED:
	case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED:
	case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE:
	case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ:
		mm->membarrier_registered |= (unsigned)cmd;
		return 0;
	case MEMBARRIER_CMD_PRIVATE_EXPEDITED:
	case MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE:
	case MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ:
		return private_expedited(cmd, cpu);
	}
	return -EINVAL;
}
