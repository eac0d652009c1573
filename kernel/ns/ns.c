/*
 * What every namespace shares (include/kernel/ns.h): its reference count,
 * its number and its name, and which one of a kind a task is in.
 */
#include <kernel/ns.h>
#include <kernel/uts_ns.h>
#include <kernel/mnt_ns.h>
#include <kernel/pid_ns.h>
#include <kernel/ipc_ns.h>
#include <kernel/time_ns.h>
#include <kernel/user_ns.h>
#include <kernel/task.h>
#include <aramid/string.h>
#include <platform/panic.h>
#include <uapi/clone.h>

/*
 * The next dynamic number (Linux's start at PROC_DYNAMIC_FIRST,
 * 0xF0000000), past those of the initial namespaces. Numbers are not
 * reused (Linux's ida reuses them); 2^28 of them last for any realistic
 * uptime.
 */
static unsigned next_inum = NS_INIT_MNT_INO + 1;

/* See include/kernel/ns.h. */
void ns_init(struct ns_common *ns, const struct ns_ops *ops)
{
	ns->refcount = 1;
	ns->inum = next_inum++;
	ns->ops = ops;
	ns->inode = NULL;
	/* The creator's user namespace owns it (for a user namespace: its parent). */
	ns->owner = user_ns_get(current_user_ns());
}

/* See include/kernel/ns.h. */
void ns_get(struct ns_common *ns)
{
	KASSERT(ns->refcount > 0);
	ns->refcount++;
}

/* See include/kernel/ns.h. */
void ns_put(struct ns_common *ns)
{
	if (!ns)
		return;
	KASSERT(ns->refcount > 0);
	if (--ns->refcount == 0) {
		struct user_ns *owner = ns->owner;

		ns->ops->free(ns);
		user_ns_put(owner);
	}
}

/* See include/kernel/ns.h. */
size_t ns_link_text(const struct ns_common *ns, char *buf, size_t len)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%s:[%u]", ns->ops->name, ns->inum);

	n = MIN((size_t)n, len);
	memcpy(buf, tmp, (size_t)n);
	return (size_t)n;
}

/* See include/kernel/ns.h. */
struct ns_common *task_ns(const struct task *t, unsigned type)
{
	switch (type) {
	case CLONE_NEWUTS:
		return t->uts_ns ? &t->uts_ns->ns : NULL;
	case CLONE_NEWNS:
		return t->mnt_ns ? &t->mnt_ns->ns : NULL;
	case CLONE_NEWPID:
		return t->pid_ns ? &t->pid_ns->ns : NULL;
	case CLONE_NEWIPC:
		return t->ipc_ns ? ipc_ns_common(t->ipc_ns) : NULL;
	case CLONE_NEWTIME:
		return t->time_ns ? &t->time_ns->ns : NULL;
	case CLONE_NEWUSER:
		return t->cred.user_ns ? &t->cred.user_ns->ns : NULL;
	default:
		return NULL;
	}
}

/* See include/kernel/ns.h. */
struct ns_common *task_pid_ns_children(const struct task *t)
{
	struct pid_ns *p = t->pid_ns_children;

	/* As Linux: none to show before its first process is forked. */
	if (!p || (!p->reaper && !p->dead))
		return NULL;
	return &p->ns;
}
