/*
 * seccomp(2) and prctl's PR_GET_SECCOMP and PR_SET_SECCOMP, with Linux
 * 6.1's checks and errors. User notification is not offered: the
 * NEW_LISTENER flag (and WAIT_KILLABLE_RECV, which needs it) is EINVAL,
 * as on a kernel without it, so a filter's USER_NOTIF finds no listener
 * and gives ENOSYS as Linux's does then. Kernel lock held.
 */
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <platform/usercopy.h>
#include <uapi/errno.h>
#include "seccomp_internal.h"

#define FILTER_FLAGS	(SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_LOG | \
			 SECCOMP_FILTER_FLAG_SPEC_ALLOW | \
			 SECCOMP_FILTER_FLAG_TSYNC_ESRCH)

/* The sizes seccomp(SECCOMP_GET_NOTIF_SIZES) reports, as Linux's. */
struct seccomp_notif_sizes {
	uint16_t seccomp_notif;
	uint16_t seccomp_notif_resp;
	uint16_t seccomp_data;
};

static long set_mode_filter(unsigned flags, uptr_t ufprog)
{
	/* SPEC_ALLOW: there is no speculation control to leave alone. */
	if (flags & ~FILTER_FLAGS)
		return -EINVAL;
	return seccomp_install_filter(flags, ufprog);
}

static long get_action_avail(uptr_t uaction)
{
	uint32_t action;

	if (get_user(action, uaction))
		return -EFAULT;
	switch (action) {
	case SECCOMP_RET_KILL_PROCESS:
	case SECCOMP_RET_KILL_THREAD:
	case SECCOMP_RET_TRAP:
	case SECCOMP_RET_ERRNO:
	case SECCOMP_RET_USER_NOTIF:
	case SECCOMP_RET_TRACE:
	case SECCOMP_RET_LOG:
	case SECCOMP_RET_ALLOW:
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

static long get_notif_sizes(uptr_t usizes)
{
	struct seccomp_notif_sizes sizes = {
		.seccomp_notif = 80,		/* id, pid, flags, data */
		.seccomp_notif_resp = 24,	/* id, val, error, flags */
		.seccomp_data = sizeof(struct seccomp_data),
	};

	return copy_to_user(usizes, &sizes, sizeof(sizes)) ? -EFAULT : 0;
}

static long do_seccomp(unsigned op, unsigned flags, uptr_t uargs)
{
	switch (op) {
	case SECCOMP_SET_MODE_STRICT:
		if (flags || !uptr_null(uargs))
			return -EINVAL;
		return seccomp_enter_strict();
	case SECCOMP_SET_MODE_FILTER:
		return set_mode_filter(flags, uargs);
	case SECCOMP_GET_ACTION_AVAIL:
		if (flags)
			return -EINVAL;
		return get_action_avail(uargs);
	case SECCOMP_GET_NOTIF_SIZES:
		if (flags)
			return -EINVAL;
		return get_notif_sizes(uargs);
	default:
		return -EINVAL;
	}
}

SYSCALL(__NR_seccomp, seccomp)(SYSCALL_ARGS)
{
	return do_seccomp((unsigned)a0, (unsigned)a1, UPTR(a2));
}

/* See kernel/seccomp.h. */
long seccomp_prctl_get(void)
{
	return current->seccomp.mode;
}

/* See kernel/seccomp.h. */
long seccomp_prctl_set(unsigned long mode, uptr_t filter)
{
	switch (mode) {
	case SECCOMP_MODE_STRICT:
		return do_seccomp(SECCOMP_SET_MODE_STRICT, 0, UPTR(0));
	case SECCOMP_MODE_FILTER:
		return do_seccomp(SECCOMP_SET_MODE_FILTER, 0, filter);
	default:
		return -EINVAL;
	}
}
