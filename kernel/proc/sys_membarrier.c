/*
 * membarrier (Linux's kernel/sched/membarrier.c) on one CPU: every
 * command's barrier is the system call itself, since no other CPU runs
 * threads that could miss it; what remains is Linux's interface: the
 * commands QUERY reports, the registrations the expedited private
 * commands need (EPERM without), and EINVAL for unknown commands and
 * flags.
 */
#include <kernel/task.h>
#include <kernel/mm.h>
#include <kernel/syscall.h>

#define MEMBARRIER_CMD_QUERY				0
#define MEMBARRIER_CMD_GLOBAL				(1 << 0)
#define MEMBARRIER_CMD_GLOBAL_EXPEDITED			(1 << 1)
#define MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED	(1 << 2)
#define MEMBARRIER_CMD_PRIVATE_EXPEDITED		(1 << 3)
#define MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED	(1 << 4)
#define MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE	(1 << 5)
#define MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE (1 << 6)
#define MEMBARRIER_CMD_FLAG_CPU				(1 << 0)

/* What QUERY reports: every command but the rseq ones (no rseq here). */
#define MEMBARRIER_CMD_BITMASK	(MEMBARRIER_CMD_GLOBAL | \
	MEMBARRIER_CMD_GLOBAL_EXPEDITED | \
	MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED | \
	MEMBARRIER_CMD_PRIVATE_EXPEDITED | \
	MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED | \
	MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE | \
	MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE)

SYSCALL(__NR_membarrier, membarrier)(SYSCALL_ARGS)
{
	int cmd = (int)a0;
	unsigned flags = (unsigned)a1;
	struct mm *mm = current->mm;

	if (flags)
		return -EINVAL;
	switch (cmd) {
	case MEMBARRIER_CMD_QUERY:
		return MEMBARRIER_CMD_BITMASK;
	case MEMBARRIER_CMD_GLOBAL:
	case MEMBARRIER_CMD_GLOBAL_EXPEDITED:
		return 0;
	case MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED:
	case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED:
	case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE:
		mm->membarrier_registered |= (unsigned)cmd;
		return 0;
	case MEMBARRIER_CMD_PRIVATE_EXPEDITED:
	case MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE:
		/* Each needs the registration one bit above it. */
		return mm->membarrier_registered & ((unsigned)cmd << 1) ? 0 :
		       -EPERM;
	}
	return -EINVAL;
}
