/*
 * The system's names (kernel/system/sys_utsname.c), private to
 * kernel/system/: uname(2) copies them out whole; sethostname,
 * setdomainname and /proc/sys/kernel (sysctl.c) edit or show them.
 */
#pragma once

#define UTS_LEN 65

struct utsname {
	char sysname[UTS_LEN];
	char nodename[UTS_LEN];
	char release[UTS_LEN];
	char version[UTS_LEN];
	char machine[UTS_LEN];
	char domainname[UTS_LEN];
};

extern struct utsname system_uts;
