/*
 * capget and capset (kernel/capability.c, cap_capset): the three sets a
 * process reads and changes in the v1 (32-bit) or v2/v3 (64-bit) layout;
 * an unknown version is answered with the preferred one and EINVAL.
 */
#include <kernel/cred.h>
#include <kernel/task.h>
#include <kernel/pid_ns.h>
#include <kernel/syscall.h>
#include <platform/usercopy.h>
#include <svc/task.h>

/* The header's version: 0 and the number of 32-bit words, or -errno. */
static int cap_words(uptr_t hdr, unsigned *words)
{
	uint32_t version;

	if (get_user(version, hdr))
		return -EFAULT;
	switch (version) {
	case _LINUX_CAPABILITY_VERSION_1:
		*words = 1;
		return 0;
	case _LINUX_CAPABILITY_VERSION_2:
	case _LINUX_CAPABILITY_VERSION_3:
		*words = 2;
		return 0;
	}
	version = _LINUX_CAPABILITY_VERSION_3;
	if (put_user(version, hdr))
		return -EFAULT;
	return -EINVAL;
}

static int cap_header_pid(uptr_t hdr, int *pid)
{
	return copy_from_user(pid, uptr_add(hdr, sizeof(uint32_t)),
			      sizeof(*pid)) ? -EFAULT : 0;
}

SYSCALL(__NR_capget, capget)(SYSCALL_ARGS)
{
	uptr_t hdr = UPTR(a0), data = UPTR(a1);
	struct user_cap_data d[2];
	const struct cred *c;
	unsigned words;
	int err, pid;

	err = cap_words(hdr, &words);
	if (uptr_null(data) || err)
		return uptr_null(data) && err == -EINVAL ? 0 : err;
	if (cap_header_pid(hdr, &pid))
		return -EFAULT;
	if (pid < 0)
		return -EINVAL;
	c = &current->cred;
	if (pid && pid != task_vnr(current)) {
		struct task *t = task_find_vpid(pid);

		if (!t)
			return -ESRCH;
		c = &t->cred;
	}
	for (unsigned i = 0; i < words; i++)
		d[i] = (struct user_cap_data){
			.effective = (uint32_t)(c->cap_effective >> (32 * i)),
			.permitted = (uint32_t)(c->cap_permitted >> (32 * i)),
			.inheritable =
				(uint32_t)(c->cap_inheritable >> (32 * i)),
		};
	if (copy_to_user(data, d, words * sizeof(d[0])))
		return -EFAULT;
	return 0;
}

SYSCALL(__NR_capset, capset)(SYSCALL_ARGS)
{
	uptr_t hdr = UPTR(a0);
	struct cred *c = &current->cred;
	struct user_cap_data d[2];
	kernel_cap_t eff, prm, inh;
	unsigned words;
	int err, pid;

	err = cap_words(hdr, &words);
	if (err)
		return err;
	if (cap_header_pid(hdr, &pid))
		return -EFAULT;
	if (pid && pid != task_vnr(current))
		return -EPERM;
	if (copy_from_user(d, UPTR(a1), words * sizeof(d[0])))
		return -EFAULT;
	eff = prm = inh = 0;
	for (unsigned i = 0; i < words; i++) {
		eff |= (kernel_cap_t)d[i].effective << (32 * i);
		prm |= (kernel_cap_t)d[i].permitted << (32 * i);
		inh |= (kernel_cap_t)d[i].inheritable << (32 * i);
	}
	eff &= CAP_FULL_SET;
	prm &= CAP_FULL_SET;
	inh &= CAP_FULL_SET;

	if (!cred_capable(c, CAP_SETPCAP) &&
	    !cap_issubset(inh, c->cap_inheritable | c->cap_permitted))
		return -EPERM;
	if (!cap_issubset(inh, c->cap_inheritable | c->cap_bset) ||
	    !cap_issubset(prm, c->cap_permitted) || !cap_issubset(eff, prm))
		return -EPERM;
	c->cap_effective = eff;
	c->cap_permitted = prm;
	c->cap_inheritable = inh;
	c->cap_ambient &= prm & inh;
	return 0;
}
