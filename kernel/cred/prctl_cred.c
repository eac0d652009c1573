/*
 * The prctl options that belong to credentials (commoncap.c's
 * cap_task_prctl, and no_new_privs from kernel/sys.c): the bounding set,
 * securebits, keep-caps and the ambient set.
 */
#include <kernel/cred.h>
#include <kernel/task.h>
#include <svc/task.h>
#include <uapi/errno.h>

#define PR_GET_KEEPCAPS		7
#define PR_SET_KEEPCAPS		8
#define PR_CAPBSET_READ		23
#define PR_CAPBSET_DROP		24
#define PR_GET_SECUREBITS	27
#define PR_SET_SECUREBITS	28
#define PR_SET_NO_NEW_PRIVS	38
#define PR_GET_NO_NEW_PRIVS	39
#define PR_CAP_AMBIENT		47
#define PR_CAP_AMBIENT_IS_SET		1
#define PR_CAP_AMBIENT_RAISE		2
#define PR_CAP_AMBIENT_LOWER		3
#define PR_CAP_AMBIENT_CLEAR_ALL	4

static long set_securebits(struct cred *c, unsigned long bits)
{
	unsigned old = c->securebits;

	if ((((old & SECURE_ALL_LOCKS) >> 1) & (old ^ bits)) ||
	    (old & SECURE_ALL_LOCKS & ~bits) ||
	    (bits & ~(unsigned long)(SECURE_ALL_LOCKS | SECURE_ALL_BITS)) ||
	    !cred_capable(c, CAP_SETPCAP))
		return -EPERM;
	c->securebits = (unsigned)bits;
	return 0;
}

static long cap_ambient(struct cred *c, unsigned long op, unsigned long cap,
			unsigned long a3, unsigned long a4)
{
	if (op == PR_CAP_AMBIENT_CLEAR_ALL) {
		if (cap | a3 | a4)
			return -EINVAL;
		c->cap_ambient = 0;
		return 0;
	}
	if (!cap_in_range(cap) || a3 || a4)
		return -EINVAL;
	switch (op) {
	case PR_CAP_AMBIENT_IS_SET:
		return cap_raised(c->cap_ambient, cap);
	case PR_CAP_AMBIENT_RAISE:
		if (!cap_raised(c->cap_permitted, cap) ||
		    !cap_raised(c->cap_inheritable, cap) ||
		    (c->securebits & SECBIT(SECURE_NO_CAP_AMBIENT_RAISE)))
			return -EPERM;
		c->cap_ambient |= CAP_BIT(cap);
		return 0;
	case PR_CAP_AMBIENT_LOWER:
		c->cap_ambient &= ~CAP_BIT(cap);
		return 0;
	}
	return -EINVAL;
}

long prctl_cred(int option, unsigned long a1, unsigned long a2,
		unsigned long a3, unsigned long a4)
{
	struct cred *c = &current->cred;

	switch (option) {
	case PR_CAPBSET_READ:
		return cap_in_range(a1) ? cap_raised(c->cap_bset, a1) : -EINVAL;
	case PR_CAPBSET_DROP:
		if (!cred_capable(c, CAP_SETPCAP))
			return -EPERM;
		if (!cap_in_range(a1))
			return -EINVAL;
		c->cap_bset &= ~CAP_BIT(a1);
		return 0;
	case PR_SET_SECUREBITS:
		return set_securebits(c, a1);
	case PR_GET_SECUREBITS:
		return c->securebits;
	case PR_GET_KEEPCAPS:
		return (c->securebits & SECBIT(SECURE_KEEP_CAPS)) != 0;
	case PR_SET_KEEPCAPS:
		if (a1 > 1)
			return -EINVAL;
		if (c->securebits & SECBIT(SECURE_KEEP_CAPS) << 1)
			return -EPERM;
		c->securebits = (c->securebits & ~SECBIT(SECURE_KEEP_CAPS)) |
				(a1 ? SECBIT(SECURE_KEEP_CAPS) : 0);
		return 0;
	case PR_CAP_AMBIENT:
		return cap_ambient(c, a1, a2, a3, a4);
	case PR_SET_NO_NEW_PRIVS:
		if (a1 != 1 || a2 || a3 || a4)
			return -EINVAL;
		current->no_new_privs = true;
		return 0;
	case PR_GET_NO_NEW_PRIVS:
		if (a1 || a2 || a3 || a4)
			return -EINVAL;
		return current->no_new_privs;
	}
	return -ENOSYS;
}
