/*
 * UTS namespaces (kernel/ns/uts_ns.c): the names uname(2) gives, one
 * copy per namespace. A task points at its namespace (task->uts_ns, a
 * reference); fork shares it, clone and unshare with CLONE_NEWUTS give
 * the new task a copy, setns(2) moves a task into another.
 * sethostname, setdomainname and kernel.hostname/domainname edit the
 * caller's. One CPU, no kernel preemption: no locks.
 */
#pragma once
#include <kernel/ns.h>

#define UTS_LEN 65

struct utsname {
	char sysname[UTS_LEN];
	char nodename[UTS_LEN];
	char release[UTS_LEN];
	char version[UTS_LEN];
	char machine[UTS_LEN];
	char domainname[UTS_LEN];
};

struct uts_ns {
	struct ns_common ns;
	struct utsname name;
};

/* The namespace the kernel starts in; init's. */
extern struct uts_ns init_uts_ns;

/* The names of the caller's namespace (current's). */
struct utsname *current_utsname(void);

/* Take a reference to @u and return it. */
struct uts_ns *uts_ns_get(struct uts_ns *u);
/* Drop a reference to @u (NULL is ignored). */
void uts_ns_put(struct uts_ns *u);
/*
 * A new namespace with a copy of @u's names (Linux's copy_utsname), one
 * reference for the caller, or NULL when memory is short.
 */
struct uts_ns *uts_ns_copy(const struct uts_ns *u);
