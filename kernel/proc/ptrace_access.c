/*
 * Linux's ptrace_may_access without a ptrace: whether the calling task may
 * look into (or take from) another task, for /proc/PID's sensitive files
 * and pidfd_getfd.
 */
#include <kernel/task.h>
#include <kernel/mm.h>
#include <svc/task.h>

/* See include/svc/task.h. */
bool ptrace_may_access(const struct task *t, unsigned mode)
{
	const struct cred *me = &current->cred, *c = &t->cred;
	bool fs = mode & PTRACE_MODE_FSCREDS;
	uid_t uid = fs ? me->fsuid : me->uid;
	gid_t gid = fs ? me->fsgid : me->gid;

	if (t->tgid == current->tgid)
		return true;
	if ((uid != c->uid || uid != c->euid || uid != c->suid ||
	     gid != c->gid || gid != c->egid || gid != c->sgid) &&
	    !capable(CAP_SYS_PTRACE))
		return false;
	return !t->mm || t->mm->dumpable || capable(CAP_SYS_PTRACE);
}
