/*
 * Scheduling system calls: nice values (getpriority, setpriority),
 * sched_yield, CPU affinity, policy and priority-range queries, getcpu.
 */
#include <kernel/task.h>
#include <kernel/syscall.h>
#include <platform/usercopy.h>
#include <svc/sysfacts.h>

#define PRIO_PROCESS	0
#define PRIO_PGRP	1
#define PRIO_USER	2

/* The mask of the online CPUs (at most 64 of them for now). */
static uint64_t online_mask(void)
{
	unsigned n = cpu_count();

	return n >= 64 ? ~0ULL : (1ULL << n) - 1;
}

SYSCALL(__NR_getpriority, getpriority)(SYSCALL_ARGS)
{
	struct task *t;

	if ((unsigned)a0 > PRIO_USER)
		return -EINVAL;
	if ((int)a0 != PRIO_PROCESS)
		return 20 - current->nice;
	t = (pid_t)a1 ? task_find((pid_t)a1) : current;
	return t ? 20 - t->nice : -ESRCH;
}

SYSCALL(__NR_setpriority, setpriority)(SYSCALL_ARGS)
{
	struct task *t;
	int nice = (int)a2;

	if ((unsigned)a0 > PRIO_USER)
		return -EINVAL;
	nice = nice < -20 ? -20 : nice > 19 ? 19 : nice;
	if ((int)a0 != PRIO_PROCESS) {
		current->nice = nice;
		return 0;
	}
	t = (pid_t)a1 ? task_find((pid_t)a1) : current;
	if (!t)
		return -ESRCH;
	t->nice = nice;
	return 0;
}

SYSCALL(__NR_sched_yield, sched_yield)(SYSCALL_ARGS)
{
	schedule();
	return 0;
}

SYSCALL(__NR_sched_getaffinity, sched_getaffinity)(SYSCALL_ARGS)
{
	uint64_t mask = online_mask();

	if ((pid_t)a0 < 0)
		return -EINVAL;
	if ((pid_t)a0 && !task_find((pid_t)a0))
		return -ESRCH;
	if ((size_t)a1 < sizeof(mask) || (a1 & 7))
		return -EINVAL;
	if (clear_user(UPTR(a2), a1) || copy_to_user(UPTR(a2), &mask, sizeof(mask)))
		return -EFAULT;
	return sizeof(mask);
}

SYSCALL(__NR_sched_setaffinity, sched_setaffinity)(SYSCALL_ARGS)
{
	uint64_t mask;

	if ((pid_t)a0 < 0)
		return -EINVAL;
	if ((pid_t)a0 && !task_find((pid_t)a0))
		return -ESRCH;
	if ((size_t)a1 < sizeof(mask))
		return -EINVAL;
	if (copy_from_user(&mask, UPTR(a2), sizeof(mask)))
		return -EFAULT;
	return (mask & online_mask()) ? 0 : -EINVAL;
}

SYSCALL(__NR_sched_getscheduler, sched_getscheduler)(SYSCALL_ARGS)
{
	if ((pid_t)a0 < 0)
		return -EINVAL;
	if ((pid_t)a0 && !task_find((pid_t)a0))
		return -ESRCH;
	return 0;	/* SCHED_OTHER */
}

SYSCALL(__NR_sched_get_priority_max, sched_get_priority_max)(SYSCALL_ARGS)
{
	if (a0 == 1 || a0 == 2)		/* SCHED_FIFO, SCHED_RR */
		return 99;
	return a0 == 0 || a0 == 3 || a0 == 5 ? 0 : -EINVAL;
}

SYSCALL(__NR_sched_get_priority_min, sched_get_priority_min)(SYSCALL_ARGS)
{
	if (a0 == 1 || a0 == 2)
		return 1;
	return a0 == 0 || a0 == 3 || a0 == 5 ? 0 : -EINVAL;
}

SYSCALL(__NR_getcpu, getcpu)(SYSCALL_ARGS)
{
	unsigned zero = 0;

	if (a0 && put_user(zero, UPTR(a0)))
		return -EFAULT;
	if (a1 && put_user(zero, UPTR(a1)))
		return -EFAULT;
	return 0;
}
