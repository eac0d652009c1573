/*
 * The system's names: uname, and sethostname and setdomainname, which
 * edit the answer uname gives.
 */
#include <kernel/syscall.h>
#include <platform/usercopy.h>
#include <aramid/profile.h>
#include <aramid/string.h>
#include <svc/task.h>
#include "uts.h"

/* The answer to uname(2), kept ready; sethostname/setdomainname edit it. */
struct utsname system_uts = {
	.sysname = "Linux",
	.nodename = "(none)",
	.release = "6.1.0-aramid",
	.version = "#1 Aramid " PROFILE_NAME,
	.machine = "x86_64",
	.domainname = "(none)",
};

SYSCALL(__NR_uname, uname)(SYSCALL_ARGS)
{
	return copy_to_user(UPTR(a0), &system_uts, sizeof(system_uts)) ? -EFAULT : 0;
}

static long set_name(char *dst, uptr_t src, long len)
{
	char buf[UTS_LEN] = { 0 };

	if (len < 0 || len >= UTS_LEN)
		return -EINVAL;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (copy_from_user(buf, src, len))
		return -EFAULT;
	memcpy(dst, buf, UTS_LEN);	/* zero-filled past the name, as Linux */
	return 0;
}

SYSCALL(__NR_sethostname, sethostname)(SYSCALL_ARGS)
{
	return set_name(system_uts.nodename, UPTR(a0), a1);
}

SYSCALL(__NR_setdomainname, setdomainname)(SYSCALL_ARGS)
{
	return set_name(system_uts.domainname, UPTR(a0), a1);
}
