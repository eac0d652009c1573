/*
 * Private to kernel/seccomp/: a filter of a chain, and what the system
 * call side (sys_seccomp.c) and the entry hook (entry.c) share of
 * filter.c. Kernel lock held throughout.
 */
#pragma once
#include <kernel/seccomp.h>
#include <uapi/seccomp.h>

/*
 * One attached filter. A chain is a singly linked list from a thread's
 * newest filter to its first; fork shares a chain, so chains form a tree
 * and each node counts the threads and newer nodes that hold it. A node
 * never changes once attached, but for @refs.
 */
struct seccomp_filter {
	unsigned refs;
	bool log;			/* SECCOMP_FILTER_FLAG_LOG */
	unsigned count;			/* nodes on the path to the root */
	struct seccomp_filter *prev;	/* the older one, or NULL */
	unsigned len;
	struct sock_filter insns[];
};

/*
 * Install a filter on current (and its threads with @flags' TSYNC):
 * copy the struct sock_fprog at @ufprog and its program, check them, and
 * attach. @flags were checked by the caller. 0, or -EFAULT, -EINVAL,
 * -EACCES, -ENOMEM, -EINVAL (strict mode), -ESRCH or the tid of a
 * thread TSYNC cannot move.
 */
long seccomp_install_filter(unsigned flags, uptr_t ufprog);
/* Enter strict mode: 0, or -EINVAL if current is in filter mode. */
long seccomp_enter_strict(void);
/*
 * Run every filter of current's chain on @sd: the return value whose
 * action comes first in Linux's order, the newest filter's among equal
 * actions; *@match is that filter (the newest when all allow).
 */
uint32_t seccomp_run_filters(const struct seccomp_data *sd,
			     const struct seccomp_filter **match);

/*
 * Linux's seccomp_log: the audit line of call @nr's @action (the data
 * masked off or not), @sig the signal that kills or 0, if
 * kernel.seccomp.actions_logged names the action and, for TRAP, ERRNO,
 * USER_NOTIF and TRACE, the filter asked (@requested; its
 * SECCOMP_FILTER_FLAG_LOG). Rate-limited as Linux's printk.
 */
void seccomp_log(int nr, int sig, uint32_t action, bool requested);
