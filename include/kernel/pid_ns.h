/*
 * PID namespaces (kernel/ns/pid_ns.c), as Linux's: a tree of them, the
 * initial one at its root (level 0). A task's pid lives in the namespace
 * it was forked into (task->pid_ns, its "active" one, kept until it is
 * reaped) and is seen from that one and every ancestor; the namespace its
 * children are forked into is task->pid_ns_children (the active one but
 * after unshare(CLONE_NEWPID) or setns(2); NULL once it has exited).
 * A task has a number in each namespace from its own up to the root
 * (task->ns_nr[level]; ns_nr[0] is task->pid, the number the kernel
 * knows it by); the first task forked into a namespace is its PID 1, its
 * reaper, and when that process ends every other task in it is killed
 * and no more are forked into it (ENOMEM).
 * One CPU, no kernel preemption: no locks.
 */
#pragma once
#include <kernel/ns.h>

/* The initial PID namespace's number (Linux's PROC_PID_INIT_INO). */
#define NS_INIT_PID_INO		0xEFFFFFFCU

/* How deep namespaces nest (Linux's MAX_PID_NS_LEVEL). */
#define PID_NS_MAX_LEVEL	32

struct task;

struct pid_ns {
	struct ns_common ns;
	struct pid_ns *parent;	/* a reference; NULL for the initial one */
	unsigned level;		/* its depth: 0 for the initial one */
	struct task *reaper;	/* its PID 1's leader; NULL before it forks */
	pid_t last_nr;		/* the number last given out in it */
	bool dead;		/* its PID 1 has ended: no more forks */
};

/* The namespace the kernel starts in; init's. */
extern struct pid_ns init_pid_ns;

/* Take a reference to @p and return it. */
struct pid_ns *pid_ns_get(struct pid_ns *p);
/* Drop a reference to @p (NULL is ignored); the last frees it. */
void pid_ns_put(struct pid_ns *p);

/* Whether @ns is @anc or one of its descendants. */
bool pid_ns_within(const struct pid_ns *ns, const struct pid_ns *anc);

/*
 * A new namespace below @parent (Linux's create_pid_namespace), one
 * reference for the caller: ERR_PTR -ENOSPC past PID_NS_MAX_LEVEL,
 * -ENOMEM.
 */
struct pid_ns *pid_ns_new(struct pid_ns *parent);

/*
 * Per-namespace numbers (kernel/proc/pid_nr.c). @t's thread id as seen
 * in @ns, 0 if @t is not in @ns or below it; the same for its process
 * id (its leader's number).
 */
pid_t task_nr_ns(const struct task *t, const struct pid_ns *ns);
pid_t task_tgid_nr_ns(struct task *t, const struct pid_ns *ns);
/* The same, as the calling task sees them. */
pid_t task_vnr(const struct task *t);
pid_t task_tgid_vnr(struct task *t);
/*
 * A process group or session id (a leader's task->pid) as @ns sees it:
 * 0 if its leader is gone or not visible there (in the initial
 * namespace the number itself).
 */
pid_t pid_nr_ns(pid_t id, const struct pid_ns *ns);
pid_t pid_vnr(pid_t id);
/* The task numbered @nr in @ns, or NULL; as the calling task sees it. */
struct task *task_find_ns(pid_t nr, const struct pid_ns *ns);
struct task *task_find_vpid(pid_t nr);
/*
 * The kernel's number (task->pid) of the task the caller calls @nr,
 * for process group and session ids: @nr itself in the initial
 * namespace, else 0 when no such task is visible.
 */
pid_t pid_from_vnr(pid_t nr);
/*
 * Give new task @c, whose c->pid_ns is set and whose c->pid is its
 * number in the initial namespace, a number in each namespace below it:
 * 0, -ENOMEM (also for a namespace whose PID 1 has ended, as Linux),
 * -EAGAIN when one is full. The first in a namespace becomes its reaper.
 */
int pid_ns_assign(struct task *c);
/* Release what pid_ns_assign gave @t (task_free). */
void pid_ns_release(struct task *t);
