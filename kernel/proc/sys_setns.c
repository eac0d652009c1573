/*
 * setns(2), as Linux 6.1's: enter the namespace a /proc/PID/ns file
 * (nsfs) stands for, or, through a pidfd, those of its process that
 * @nstype names, all of them or none. The kinds there are to enter are
 * UTS, IPC, mount, PID (which changes only the namespace of the
 * caller's future children) and time, and through a namespace file the
 * user namespace; naming another is EINVAL, as on a Linux built without
 * it.
 */
#include <kernel/task.h>
#include <kernel/ns.h>
#include <kernel/vfs.h>
#include <kernel/syscall.h>
#include <svc/task.h>
#include <uapi/clone.h>
#include "proc_internal.h"

/* The kinds of namespace there are to enter. */
#define SETNS_KINDS	(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWPID | \
			 CLONE_NEWIPC | CLONE_NEWTIME)

/*
 * Linux's check_setns_flags, for a pidfd: one kind at least, each known
 * and configured (here: there).
 */
static int pidfd_flags_valid(unsigned flags)
{
	return !flags || (flags & ~SETNS_KINDS) ? -EINVAL : 0;
}

/*
 * The namespaces of @leader's process that @flags names into @ns (no
 * references; the caller does not sleep before using them), checked as
 * Linux's validate_nsset: -ESRCH once it has exited, -EPERM if the
 * caller may not inspect it.
 */
static int pidfd_namespaces(struct task *leader, unsigned flags,
			    struct ns_common **ns, int *n)
{
	*n = 0;
	if (!leader)
		return -ESRCH;
	if (!ptrace_may_access(leader, PTRACE_MODE_READ | PTRACE_MODE_REALCREDS))
		return -EPERM;
	for (unsigned kind = SETNS_KINDS; kind; kind &= kind - 1) {
		unsigned type = kind & -kind;

		if (!(flags & type))
			continue;
		ns[*n] = task_ns(leader, type);
		if (!ns[*n])
			return -ESRCH;	/* a zombie: its namespaces are gone */
		(*n)++;
	}
	return 0;
}

SYSCALL(__NR_setns, setns)(SYSCALL_ARGS)
{
	unsigned flags = (unsigned)a1;
	struct ns_common *ns[__builtin_popcount(SETNS_KINDS)], *one;
	struct file *f = fd_get_io((int)a0);
	struct task *leader;
	long err = 0;
	int n = 0;

	if (!f)
		return -EBADF;
	one = ns_of_inode(f->inode);
	if (one) {
		if (flags && flags != one->ops->type)
			err = -EINVAL;
		ns[n++] = one;
	} else if (pidfd_file_task(f, &leader)) {
		err = pidfd_flags_valid(flags);
		if (!err)
			err = pidfd_namespaces(leader, flags, ns, &n);
	} else {
		err = -EINVAL;
	}
	for (int i = 0; !err && i < n; i++)
		err = ns[i]->ops->may_install(ns[i]);
	for (int i = 0; !err && i < n; i++)
		ns[i]->ops->install(ns[i]);
	fput(f);
	return err;
}
