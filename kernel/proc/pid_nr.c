/*
 * Per-namespace pid numbers (include/kernel/pid_ns.h): a task's number
 * in each PID namespace from its own up to the root, given at fork, and
 * the translations every system call that takes or gives a pid makes
 * to and from the caller's namespace (Linux's pid_nr_ns, pid_vnr,
 * find_task_by_vpid). Lookups walk the task list, as task_find does.
 */
#include <kernel/pid_ns.h>
#include <kernel/task.h>
#include <platform/heap.h>
#include <svc/task.h>
#include <uapi/errno.h>
#include "proc_internal.h"

/* See include/kernel/pid_ns.h. */
pid_t task_nr_ns(const struct task *t, const struct pid_ns *ns)
{
	/* A task being forked has no numbers yet; an idle thread none. */
	if (!t->ns_nr || !pid_ns_within(t->pid_ns, ns))
		return 0;
	return t->ns_nr[ns->level];
}

/* See include/kernel/pid_ns.h. */
pid_t task_tgid_nr_ns(struct task *t, const struct pid_ns *ns)
{
	return task_nr_ns(task_leader(t), ns);
}

/* See include/kernel/pid_ns.h. */
pid_t task_vnr(const struct task *t)
{
	return task_nr_ns(t, current->pid_ns);
}

/* See include/kernel/pid_ns.h. */
pid_t task_tgid_vnr(struct task *t)
{
	return task_tgid_nr_ns(t, current->pid_ns);
}

/* See include/kernel/pid_ns.h. */
pid_t pid_nr_ns(pid_t id, const struct pid_ns *ns)
{
	struct task *t;

	if (ns->level == 0)
		return id;
	t = task_find(id);
	return t ? task_nr_ns(t, ns) : 0;
}

/* See include/kernel/pid_ns.h. */
pid_t pid_vnr(pid_t id)
{
	return pid_nr_ns(id, current->pid_ns);
}

/* See include/kernel/pid_ns.h. */
struct task *task_find_ns(pid_t nr, const struct pid_ns *ns)
{
	struct task *t;

	if (ns->level == 0)
		return task_find(nr);
	if (nr <= 0)
		return NULL;
	for_each_task(t)
		if (task_nr_ns(t, ns) == nr)
			return t;
	return NULL;
}

/* See include/kernel/pid_ns.h. */
struct task *task_find_vpid(pid_t nr)
{
	return task_find_ns(nr, current->pid_ns);
}

/* See include/kernel/pid_ns.h. */
pid_t pid_from_vnr(pid_t nr)
{
	struct task *t;

	if (current->pid_ns->level == 0)
		return nr;
	t = task_find_vpid(nr);
	return t ? t->pid : 0;
}

/* Whether a task other than @self has number @nr at @ns's level. */
static bool nr_taken(const struct pid_ns *ns, pid_t nr, const struct task *self)
{
	struct task *t;

	for_each_task(t)
		if (t != self && task_nr_ns(t, ns) == nr)
			return true;
	return false;
}

/*
 * The next free number in @ns, cyclically from its last one, as Linux's
 * alloc_pid: from 1 the first time round, from RESERVED_PIDS once past
 * it. -EAGAIN when every number is taken.
 */
static pid_t nr_alloc(struct pid_ns *ns, const struct task *self)
{
	for (int tries = 0; tries < pid_max; tries++) {
		pid_t nr = ns->last_nr + 1;

		if (nr >= pid_max)
			nr = ns->last_nr > RESERVED_PIDS ? RESERVED_PIDS : 1;
		ns->last_nr = nr;
		if (!nr_taken(ns, nr, self))
			return nr;
	}
	return -EAGAIN;
}

/* See include/kernel/pid_ns.h. */
int pid_ns_assign(struct task *c)
{
	struct pid_ns *ns = c->pid_ns;
	pid_t *nr;

	if (ns->dead)
		return -ENOMEM;
	if (ns->level == 0) {
		c->ns_nr = &c->pid;
		return 0;
	}
	nr = kmalloc((ns->level + 1) * sizeof(*nr));
	if (!nr)
		return -ENOMEM;
	nr[0] = c->pid;
	for (struct pid_ns *p = ns; p->level > 0; p = p->parent) {
		pid_t n = nr_alloc(p, c);

		if (n < 0) {
			kfree(nr);
			return (int)n;
		}
		nr[p->level] = n;
	}
	c->ns_nr = nr;
	if (!ns->reaper)
		ns->reaper = c;
	return 0;
}

/* See include/kernel/pid_ns.h. */
void pid_ns_release(struct task *t)
{
	if (t->pid_ns && t->pid_ns->reaper == t)
		t->pid_ns->reaper = NULL;	/* dead, or a failed fork */
	if (t->ns_nr != &t->pid)
		kfree(t->ns_nr);
	t->ns_nr = NULL;
}
