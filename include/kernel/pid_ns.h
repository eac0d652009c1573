/*
 * PID namespaces (kernel/ns/pid_ns.c), as Linux's: a tree of them, the
 * initial one at its root (level 0). A task's pid lives in the namespace
 * it was forked into (task->pid_ns, its "active" one, kept until it is
 * reaped) and is seen from that one and every ancestor; the namespace its
 * children are forked into is task->pid_ns_children (the active one but
 * after unshare(CLONE_NEWPID) or setns(2); NULL once it has exited).
 * One CPU, no kernel preemption: no locks.
 */
#pragma once
#include <kernel/ns.h>

/* The initial PID namespace's number (Linux's PROC_PID_INIT_INO). */
#define NS_INIT_PID_INO		0xEFFFFFFCU

struct pid_ns {
	struct ns_common ns;
	struct pid_ns *parent;	/* a reference; NULL for the initial one */
	unsigned level;		/* its depth: 0 for the initial one */
};

/* The namespace the kernel starts in; init's. */
extern struct pid_ns init_pid_ns;

/* Take a reference to @p and return it. */
struct pid_ns *pid_ns_get(struct pid_ns *p);
/* Drop a reference to @p (NULL is ignored); the last frees it. */
void pid_ns_put(struct pid_ns *p);

/* Whether @ns is @anc or one of its descendants. */
bool pid_ns_within(const struct pid_ns *ns, const struct pid_ns *anc);
