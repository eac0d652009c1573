/*
 * PID namespaces (include/kernel/pid_ns.h): the initial one, their
 * references, and what setns(2) and the NS_GET_PARENT ioctl do with
 * them, as Linux's kernel/pid_namespace.c.
 */
#include <kernel/pid_ns.h>
#include <kernel/task.h>
#include <kernel/user_ns.h>
#include <svc/task.h>
#include <platform/heap.h>
#include <aramid/compiler.h>
#include <uapi/capability.h>
#include <uapi/clone.h>
#include <uapi/errno.h>

static const struct ns_ops pid_ns_ops;

struct pid_ns init_pid_ns = {
	.ns = { .refcount = 1, .inum = NS_INIT_PID_INO, .ops = &pid_ns_ops },
};

static struct pid_ns *to_pid_ns(struct ns_common *ns)
{
	return container_of(ns, struct pid_ns, ns);
}

/* See include/kernel/pid_ns.h. */
struct pid_ns *pid_ns_get(struct pid_ns *p)
{
	ns_get(&p->ns);
	return p;
}

/* See include/kernel/pid_ns.h. */
void pid_ns_put(struct pid_ns *p)
{
	if (p)
		ns_put(&p->ns);
}

/* See include/kernel/pid_ns.h. */
bool pid_ns_within(const struct pid_ns *ns, const struct pid_ns *anc)
{
	while (ns && ns->level > anc->level)
		ns = ns->parent;
	return ns == anc;
}

/* ns_ops.free: its parent's reference goes with it. */
static void pid_ns_free(struct ns_common *ns)
{
	struct pid_ns *p = to_pid_ns(ns);

	pid_ns_put(p->parent);
	kfree(p);
}

/*
 * Linux's pidns_install: CAP_SYS_ADMIN in the namespace's owner and in
 * the caller's user namespace, and only the caller's active namespace or
 * one below it (EINVAL for any other). Only the namespace of the
 * caller's future children changes.
 */
static int pid_ns_may_install(struct ns_common *ns)
{
	if (!ns_capable(ns_owner(ns), CAP_SYS_ADMIN) ||
	    !ns_capable(current_user_ns(), CAP_SYS_ADMIN))
		return -EPERM;
	return pid_ns_within(to_pid_ns(ns), current->pid_ns) ? 0 : -EINVAL;
}

static void pid_ns_install(struct ns_common *ns)
{
	struct pid_ns *old = current->pid_ns_children;

	current->pid_ns_children = pid_ns_get(to_pid_ns(ns));
	pid_ns_put(old);
}

/*
 * Linux's pidns_get_parent: @ns's parent if the caller sees it (it is
 * the caller's active namespace or below it), else -EPERM, as at the
 * root.
 */
static struct ns_common *pid_ns_parent(struct ns_common *ns)
{
	struct pid_ns *parent = to_pid_ns(ns)->parent;

	if (!parent || !pid_ns_within(parent, current->pid_ns))
		return ERR_PTR(-EPERM);
	return &parent->ns;
}

static const struct ns_ops pid_ns_ops = {
	.name = "pid",
	.type = CLONE_NEWPID,
	.free = pid_ns_free,
	.may_install = pid_ns_may_install,
	.install = pid_ns_install,
	.get_parent = pid_ns_parent,
};

/* See include/kernel/pid_ns.h. */
struct pid_ns *pid_ns_new(struct pid_ns *parent)
{
	struct pid_ns *p;

	if (parent->level + 1 > PID_NS_MAX_LEVEL)
		return ERR_PTR(-ENOSPC);
	p = kzalloc(sizeof(*p));
	if (!p)
		return ERR_PTR(-ENOMEM);
	ns_init(&p->ns, &pid_ns_ops);
	p->parent = pid_ns_get(parent);
	p->level = parent->level + 1;
	return p;
}
