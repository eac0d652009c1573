/*
 * I/O priorities (ioprio_set, ioprio_get) as Linux 6.1 checks and reports
 * them: class << 13 | data, kept per task and inherited across fork. No
 * block device honours them yet; they are recorded for the programs that
 * set and read them (ionice, schedulers of background work). Beside them,
 * the identity of each task's I/O context as Linux makes and shares it,
 * for kcmp(KCMP_IO).
 */
#include <kernel/task.h>
#include <kernel/pid_ns.h>
#include <kernel/syscall.h>
#include <svc/task.h>
#include <uapi/capability.h>
#include "proc_internal.h"

#define IOPRIO_WHO_PROCESS	1
#define IOPRIO_WHO_PGRP		2
#define IOPRIO_WHO_USER		3
#define IOPRIO_CLASS_NONE	0
#define IOPRIO_CLASS_RT		1
#define IOPRIO_CLASS_BE		2
#define IOPRIO_CLASS_IDLE	3
#define IOPRIO_CLASS(p)		((p) >> 13)
#define IOPRIO_LEVEL(p)		((p) & 7)	/* bits 3..12 are hints */
/* What a task without a priority counts as when tasks are compared. */
#define IOPRIO_DEFAULT		(IOPRIO_CLASS_BE << 13 | 4)

/* See kernel/task.h. */
int ioprio_check(unsigned prio)
{
	switch (IOPRIO_CLASS(prio)) {
	case IOPRIO_CLASS_RT:
		if (!capable(CAP_SYS_NICE) && !capable(CAP_SYS_ADMIN))
			return -EPERM;
		return 0;
	case IOPRIO_CLASS_BE:
	case IOPRIO_CLASS_IDLE:
		return 0;
	case IOPRIO_CLASS_NONE:
		return IOPRIO_LEVEL(prio) ? -EINVAL : 0;
	default:
		return -EINVAL;
	}
}

/* True if @t is among the tasks @which and @who name. */
static bool ioprio_match(struct task *t, int which, int who)
{
	switch (which) {
	case IOPRIO_WHO_PGRP:
		return t->pgid == (who ? who : current->pgid);
	case IOPRIO_WHO_USER:
		return t->cred.uid == (uid_t)(who ? who : (int)current->cred.uid);
	default:
		return false;
	}
}

/* The identities of I/O contexts, never reused. */
static uint64_t io_context_seq;

/* See proc_internal.h. */
void io_context_fork(struct task *child, const struct task *parent,
		     bool share)
{
	if (share)
		child->io_context = parent->io_context;
	else if (parent->io_context && IOPRIO_CLASS(parent->ioprio))
		child->io_context = ++io_context_seq;
	else
		child->io_context = 0;
}

/*
 * Linux's set_task_ioprio: only a task whose real uid is the caller's
 * real or effective uid, or with CAP_SYS_NICE. 0 or -EPERM. A task
 * without an I/O context gets one, as on Linux.
 */
static int set_task_ioprio(struct task *t, unsigned prio)
{
	const struct cred *me = &current->cred;

	if (t->cred.uid != me->euid && t->cred.uid != me->uid &&
	    !capable(CAP_SYS_NICE))
		return -EPERM;
	if (!t->io_context)
		t->io_context = ++io_context_seq;
	t->ioprio = prio;
	return 0;
}

/* A group or a user's tasks stop at the first refusal, as Linux's. */
SYSCALL(__NR_ioprio_set, ioprio_set)(SYSCALL_ARGS)
{
	int which = (int)a0, who = (int)a1, err;
	unsigned prio = (unsigned)a2;
	struct task *t;

	if (which < IOPRIO_WHO_PROCESS || which > IOPRIO_WHO_USER)
		return -EINVAL;
	err = ioprio_check(prio);
	if (err)
		return err;
	if (which == IOPRIO_WHO_PROCESS) {
		t = who ? task_find_vpid(who) : current;
		if (!t)
			return -ESRCH;
		return set_task_ioprio(t, prio);
	}
	err = -ESRCH;
	for_each_task(t) {
		if (t->state != TASK_ZOMBIE && ioprio_match(t, which, who)) {
			err = set_task_ioprio(t, prio);
			if (err)
				break;
		}
	}
	return err;
}

/* As Linux's ioprio_best: the higher priority, unset counting as BE/4. */
static unsigned ioprio_best(unsigned a, unsigned b)
{
	if (IOPRIO_CLASS(a) == IOPRIO_CLASS_NONE)
		a = IOPRIO_DEFAULT;
	if (IOPRIO_CLASS(b) == IOPRIO_CLASS_NONE)
		b = IOPRIO_DEFAULT;
	return a < b ? a : b;
}

SYSCALL(__NR_ioprio_get, ioprio_get)(SYSCALL_ARGS)
{
	int which = (int)a0, who = (int)a1;
	long ret = -ESRCH;
	struct task *t;

	if (which < IOPRIO_WHO_PROCESS || which > IOPRIO_WHO_USER)
		return -EINVAL;
	if (which == IOPRIO_WHO_PROCESS) {
		t = who ? task_find_vpid(who) : current;
		return t ? (long)t->ioprio : -ESRCH;
	}
	for_each_task(t) {
		if (t->state == TASK_ZOMBIE || !ioprio_match(t, which, who))
			continue;
		ret = ret == -ESRCH ? (long)t->ioprio :
		      (long)ioprio_best((unsigned)ret, t->ioprio);
	}
	return ret;
}
