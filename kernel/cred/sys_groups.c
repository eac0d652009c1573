/*
 * getgroups and setgroups: the supplementary group list, kept sorted as
 * Linux keeps it, so getgroups reports it in ascending order (of kernel
 * ids; each is told in the caller's user namespace, 65534 if it has no
 * mapping there). setgroups needs CAP_SETGID in the caller's user
 * namespace, whose gid map must be written and not denied setgroups
 * (Linux's may_setgroups: EPERM); a gid without a mapping is EINVAL.
 */
#include <kernel/cred.h>
#include <kernel/task.h>
#include <kernel/user_ns.h>
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
		for (unsigned i = 0; i < n; i++) {
			gid_t gid = from_kgid_munged(g->gid[i]);

			if (copy_to_user(UPTR(a1 + i * sizeof(gid_t)), &gid,
					 sizeof(gid)))
				return -EFAULT;
		}
	}
	return n;
}

SYSCALL(__NR_setgroups, setgroups)(SYSCALL_ARGS)
{
	unsigned n = (unsigned)(int)a0;
	struct group_info *g = NULL;

	if (!ns_capable(current_user_ns(), CAP_SETGID) ||
	    !user_ns_may_setgroups(current_user_ns()))
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
		for (unsigned i = 0; i < n; i++) {
			g->gid[i] = make_kgid(g->gid[i]);
			if (g->gid[i] == INVALID_ID) {
				groups_put(g);
				return -EINVAL;
			}
		}
	}
	cred_set_groups(g);
	return 0;
}
