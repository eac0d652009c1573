/*
 * UTS namespaces (include/kernel/uts_ns.h): the initial one, with the
 * names the kernel boots with, and the copies clone and unshare make.
 */
#include <kernel/uts_ns.h>
#include <kernel/task.h>
#include <kernel/user_ns.h>
#include <svc/task.h>
#include <platform/heap.h>
#include <aramid/profile.h>
#include <aramid/compiler.h>
#include <uapi/capability.h>
#include <uapi/clone.h>
#include <uapi/errno.h>

static const struct ns_ops uts_ns_ops;

struct uts_ns init_uts_ns = {
	.ns = { .refcount = 1, .inum = NS_INIT_UTS_INO, .ops = &uts_ns_ops },
	.name = {
		.sysname = "Linux",
		.nodename = "(none)",
		.release = "6.1.0-aramid",
		.version = "#1 Aramid " PROFILE_NAME,
		.machine = "x86_64",
		.domainname = "(none)",
	},
};

static struct uts_ns *to_uts(struct ns_common *ns)
{
	return container_of(ns, struct uts_ns, ns);
}

/* See include/kernel/uts_ns.h. */
struct utsname *current_utsname(void)
{
	return &current->uts_ns->name;
}

/* See include/kernel/uts_ns.h. */
struct uts_ns *uts_ns_get(struct uts_ns *u)
{
	ns_get(&u->ns);
	return u;
}

/* See include/kernel/uts_ns.h. */
void uts_ns_put(struct uts_ns *u)
{
	if (u)
		ns_put(&u->ns);
}

/* See include/kernel/uts_ns.h. */
struct uts_ns *uts_ns_copy(const struct uts_ns *u)
{
	struct uts_ns *n = kmalloc(sizeof(*n));

	if (!n)
		return NULL;
	ns_init(&n->ns, &uts_ns_ops);
	n->name = u->name;
	return n;
}

/* ns_ops.free; the initial namespace keeps its static reference. */
static void uts_ns_free(struct ns_common *ns)
{
	kfree(to_uts(ns));
}

/*
 * Linux's utsns_install: CAP_SYS_ADMIN in the namespace's owner and in
 * the caller's user namespace.
 */
static int uts_ns_may_install(struct ns_common *ns)
{
	return ns_capable(ns_owner(ns), CAP_SYS_ADMIN) &&
	       ns_capable(current_user_ns(), CAP_SYS_ADMIN) ? 0 : -EPERM;
}

static void uts_ns_install(struct ns_common *ns)
{
	struct uts_ns *old = current->uts_ns;

	current->uts_ns = uts_ns_get(to_uts(ns));
	uts_ns_put(old);
}

static const struct ns_ops uts_ns_ops = {
	.name = "uts",
	.type = CLONE_NEWUTS,
	.free = uts_ns_free,
	.may_install = uts_ns_may_install,
	.install = uts_ns_install,
};
