/*
 * Resource limits and usage: init's limits, prlimit64, getrlimit,
 * setrlimit and getrusage.
 */
#include <kernel/task.h>
#include <kernel/pid_ns.h>
#include <kernel/mm.h>
#include <kernel/syscall.h>
#include <kernel/vfs.h>
#include <platform/frame.h>
#include <platform/time.h>
#include <platform/usercopy.h>
#include <aramid/checked.h>
#include <aramid/string.h>
#include <svc/task.h>


/*
 * init's limits, as Linux sets them: RLIMIT_NPROC and RLIMIT_SIGPENDING are
 * half of max_threads, so that one user's tasks leave the other half to
 * root.
 */
void rlimits_init(struct rlimit64 *r)
{
	uint64_t threads = task_max_threads() / 2;

	for (int i = 0; i < RLIM_NLIMITS; i++)
		r[i].cur = r[i].max = RLIM_INFINITY;
	r[RLIMIT_STACK].cur = 8 * 1024 * 1024;
	r[RLIMIT_CORE].cur = 0;
	r[RLIMIT_NPROC].cur = r[RLIMIT_NPROC].max = threads;
	r[RLIMIT_NOFILE].cur = 1024;
	r[RLIMIT_NOFILE].max = 4096;
	r[RLIMIT_MEMLOCK].cur = r[RLIMIT_MEMLOCK].max = 8 * 1024 * 1024;
	r[RLIMIT_SIGPENDING].cur = r[RLIMIT_SIGPENDING].max = threads;
	r[RLIMIT_MSGQUEUE].cur = r[RLIMIT_MSGQUEUE].max = 819200;
	r[RLIMIT_NICE].cur = r[RLIMIT_NICE].max = 0;
	r[RLIMIT_RTPRIO].cur = r[RLIMIT_RTPRIO].max = 0;
}

/*
 * Set @t's limit @res to *@new (if given, already copied in) and report
 * the old one at @old (if given), with Linux's checks in its order.
 */
static long do_prlimit(struct task *t, unsigned res,
		       const struct rlimit64 *new, uptr_t old)
{
	if (res >= RLIM_NLIMITS)
		return -EINVAL;
	if (new) {
		if (new->cur > new->max)
			return -EINVAL;
		if (res == RLIMIT_NOFILE && new->max > (uint64_t)nr_open)
			return -EPERM;
		if (new->max > CHECKED_INDEX(task_leader(t)->rlim, res).max &&
		    !capable(CAP_SYS_RESOURCE))
			return -EPERM;
	}
	if (!uptr_null(old) && copy_to_user(old, &CHECKED_INDEX(task_leader(t)->rlim, res),
					    sizeof(struct rlimit64)))
		return -EFAULT;
	if (new)
		CHECKED_INDEX(task_leader(t)->rlim, res) = *new;
	return 0;
}

/*
 * Linux's check_prlimit_permission: another process's limits only if all
 * its uids and gids are the caller's real ones, or with CAP_SYS_RESOURCE.
 */
static bool may_prlimit(const struct task *t)
{
	const struct cred *me = &current->cred, *c = &t->cred;

	if (t == current)
		return true;
	if (me->uid == c->uid && me->uid == c->euid && me->uid == c->suid &&
	    me->gid == c->gid && me->gid == c->egid && me->gid == c->sgid)
		return true;
	return capable(CAP_SYS_RESOURCE);
}

SYSCALL(__NR_prlimit64, prlimit64)(SYSCALL_ARGS)
{
	struct rlimit64 r;
	struct task *t;

	/* Linux's order: the new limit copied in, the task, the right. */
	if (a2 && copy_from_user(&r, UPTR(a2), sizeof(r)))
		return -EFAULT;
	t = (pid_t)a0 ? task_find_vpid((pid_t)a0) : current;
	if (!t)
		return -ESRCH;
	if (!may_prlimit(t))
		return -EPERM;
	return do_prlimit(t, (unsigned)a1, a2 ? &r : NULL, UPTR(a3));
}

SYSCALL(__NR_getrlimit, getrlimit)(SYSCALL_ARGS)
{
	if ((unsigned long)a0 >= RLIM_NLIMITS)
		return -EINVAL;
	return copy_to_user(UPTR(a1), &CHECKED_INDEX(task_leader(current)->rlim, a0),
			    sizeof(struct rlimit64)) ? -EFAULT : 0;
}

SYSCALL(__NR_setrlimit, setrlimit)(SYSCALL_ARGS)
{
	struct rlimit64 r;

	if (copy_from_user(&r, UPTR(a1), sizeof(r)))
		return -EFAULT;
	return do_prlimit(current, (unsigned)a0, &r, UPTR(0));
}

SYSCALL(__NR_getrusage, getrusage)(SYSCALL_ARGS)
{
	struct rusage_totals r;

	switch ((int)a0) {
	case 0:		/* RUSAGE_SELF: every thread of the process */
		usage_process_totals(current, &r);
		break;
	case 1:		/* RUSAGE_THREAD */
		usage_thread_totals(current, &r);
		break;
	case -1:	/* RUSAGE_CHILDREN: those reaped, and theirs */
		r = task_leader(current)->reaped;
		break;
	default:
		return -EINVAL;
	}
	return usage_put_rusage(UPTR(a1), &r);
}
