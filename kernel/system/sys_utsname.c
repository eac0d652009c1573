/*
 * The system's names: uname, and sethostname and setdomainname, which
 * edit the answer uname gives, all of the caller's UTS namespace (with
 * CAP_SYS_ADMIN in the user namespace that owns it).
 */
#include <kernel/syscall.h>
#include <platform/usercopy.h>
#include <aramid/string.h>
#include <svc/task.h>
#include <kernel/uts_ns.h>
#include <kernel/user_ns.h>
#include <kernel/task.h>

SYSCALL(__NR_uname, uname)(SYSCALL_ARGS)
{
	return copy_to_user(UPTR(a0), current_utsname(),
			    sizeof(struct utsname)) ? -EFAULT : 0;
}

static long set_name(char *dst, uptr_t src, long len)
{
	char buf[UTS_LEN] = { 0 };

	if (len < 0 || len >= UTS_LEN)
		return -EINVAL;
	if (!ns_capable(ns_owner(&current->uts_ns->ns), CAP_SYS_ADMIN))
		return -EPERM;
	if (copy_from_user(buf, src, len))
		return -EFAULT;
	memcpy(dst, buf, UTS_LEN);	/* zero-filled past the name, as Linux */
	return 0;
}

SYSCALL(__NR_sethostname, sethostname)(SYSCALL_ARGS)
{
	return set_name(current_utsname()->nodename, UPTR(a0), a1);
}

SYSCALL(__NR_setdomainname, setdomainname)(SYSCALL_ARGS)
{
	return set_name(current_utsname()->domainname, UPTR(a0), a1);
}
