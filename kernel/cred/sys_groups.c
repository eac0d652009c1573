/*
 * getgroups and setgroups: the supplementary group list, kept sorted as
 * Linux keeps it, so getgroups reports it in ascending order.
 */
#include <kernel/cred.h>
#include <kernel/task.h>
#include <kernel/syscall.h>
#include <platform/usercopy.h>
#include <svc/task.h>

SYSCALL(__NR_getgroups, getgroups)(SYSCALL_ARGS)
{
	const struct group_info *g = current->cred.groups;
	int size = (int)a0;
	unsigned n = g ? g->ngroups : 0;

	if (size < 0)
		return -EINVAL;
	if (size) {
		if (n > (unsigned)size)
			return -EINVAL;
		if (n && copy_to_user(UPTR(a1), g->gid, n * sizeof(gid_t)))
			return -EFAULT;
	}
	return n;
}

SYSCALL(__NR_setgroups, setgroups)(SYSCALL_ARGS)
{
	unsigned n = (unsigned)(int)a0;
	struct group_info *g = NULL;

	if (!capable(CAP_SETGID))
		return -EPERM;
	if (n > NGROUPS_MAX)
		return -EINVAL;
	if (n) {
		g = groups_alloc(n);
		if (!g)
			return -ENOMEM;
		if (copy_from_user(g->gid, UPTR(a1), n * sizeof(gid_t))) {
			groups_put(g);
			return -EFAULT;
		}
	}
	cred_set_groups(g);
	return 0;
}
