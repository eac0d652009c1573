/*
 * Nice values (getpriority, setpriority) and the ownership rules Linux
 * applies to changing another task's scheduling: set_one_prio's owner
 * test, can_nice's RLIMIT_NICE, check_same_owner.
 */
#include <kernel/task.h>
#include <kernel/syscall.h>
#include <svc/task.h>
#include "proc_internal.h"

#define PRIO_PROCESS	0
#define PRIO_PGRP	1
#define PRIO_USER	2

/* See proc_internal.h. */
bool task_can_nice(struct task *t, int nice)
{
	return (uint64_t)(20 - nice) <= task_rlimits(t)[RLIMIT_NICE].cur ||
	       capable(CAP_SYS_NICE);
}

/* See proc_internal.h. */
bool task_same_owner(const struct task *t)
{
	uid_t me = current->cred.euid;

	return me == t->cred.euid || me == t->cred.uid;
}

/*
 * The tasks @which and @who name: a thread (0: current), a process group
 * (0: current's) or every task of a real uid (0: current's).
 */
static bool prio_match(const struct task *t, int which, int who)
{
	switch (which) {
	case PRIO_PROCESS:
		return who ? t->pid == who : t == current;
	case PRIO_PGRP:
		return t->pgid == (who ? who : current->pgid);
	default:
		return t->cred.uid == (who ? (uid_t)who : current->cred.uid);
	}
}

/* Linux's set_one_prio: @err carries the result over the matched tasks. */
static int set_one_prio(struct task *t, int nice, int err)
{
	if (!task_same_owner(t) && !capable(CAP_SYS_NICE))
		return -EPERM;
	if (nice < t->nice && !task_can_nice(t, nice))
		return -EACCES;
	t->nice = nice;
	return err == -ESRCH ? 0 : err;
}

SYSCALL(__NR_setpriority, setpriority)(SYSCALL_ARGS)
{
	int which = (int)a0, who = (int)a1, nice = (int)a2, err = -ESRCH;
	struct task *t;

	if ((unsigned)which > PRIO_USER)
		return -EINVAL;
	nice = nice < -20 ? -20 : nice > 19 ? 19 : nice;
	for_each_task(t)
		if (prio_match(t, which, who))
			err = set_one_prio(t, nice, err);
	return err;
}

/* The highest priority (20 - nice) among the tasks named, or -ESRCH. */
SYSCALL(__NR_getpriority, getpriority)(SYSCALL_ARGS)
{
	int which = (int)a0, who = (int)a1;
	long ret = -ESRCH;
	struct task *t;

	if ((unsigned)which > PRIO_USER)
		return -EINVAL;
	for_each_task(t)
		if (prio_match(t, which, who) && 20 - t->nice > ret)
			ret = 20 - t->nice;
	return ret;
}
