/*
 * Mount namespaces (include/kernel/mnt_ns.h): the initial one, the
 * copies of a tree clone and unshare make, and setns into one.
 */
#include "vfs_internal.h"
#include "vfs_mount.h"
#include <kernel/task.h>
#include <kernel/user_ns.h>
#include <svc/task.h>
#include <platform/heap.h>
#include <uapi/capability.h>
#include <uapi/clone.h>
#include <uapi/errno.h>

static const struct ns_ops mnt_ns_ops;

struct mnt_ns init_mnt_ns = {
	.ns = { .refcount = 1, .inum = NS_INIT_MNT_INO, .ops = &mnt_ns_ops },
};

static struct mnt_ns *to_mnt_ns(struct ns_common *ns)
{
	return container_of(ns, struct mnt_ns, ns);
}

/* See vfs_mount.h. */
struct mnt_ns *current_mnt_ns(void)
{
	return current && current->mnt_ns ? current->mnt_ns : &init_mnt_ns;
}

/* See include/kernel/mnt_ns.h. */
struct mnt_ns *mnt_ns_get(struct mnt_ns *m)
{
	ns_get(&m->ns);
	return m;
}

/* See include/kernel/mnt_ns.h. */
void mnt_ns_put(struct mnt_ns *m)
{
	if (m)
		ns_put(&m->ns);
}

/* The copy of @m among the @n pairs (@from[i] copied as @to[i]). */
static struct mount *copy_of(struct mount *m, struct mount **from,
			     struct mount **to, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (from[i] == m)
			return to[i];
	}
	return NULL;
}

/* Point @p, a path in @from's copies, at the same place among @to's. */
static void path_to_copy(struct path *p, struct mount **from,
			 struct mount **to, size_t n)
{
	struct mount *c = copy_of(p->mnt, from, to, n);

	if (!c)
		return;		/* not in the tree (a detached mount) */
	mnt_get(c);
	mnt_put(p->mnt);
	p->mnt = c;
}

/* See include/kernel/mnt_ns.h. */
struct mnt_ns *mnt_ns_copy(struct mnt_ns *old, struct fs_context *fs)
{
	struct mount *m = NULL, **from, **to;
	struct mnt_ns *ns;
	size_t n = 0, i;

	while ((m = mnt_next(m)))
		n += m->ns == old;
	ns = kmalloc(sizeof(*ns));
	from = kmalloc(2 * n * sizeof(*from));
	if (!ns || !from)
		goto err_free;
	to = from + n;
	for (m = mnt_next(NULL), i = 0; m && i < n; m = mnt_next(m)) {
		if (m->ns == old)
			from[i++] = m;
	}
	ns_init(&ns->ns, &mnt_ns_ops);
	for (i = 0; i < n; i++) {
		to[i] = mnt_clone(from[i], ns);
		if (!to[i]) {
			mnt_umount_ns(ns);
			goto err_free;
		}
	}
	for (i = 0; i < n; i++) {
		to[i]->parent = copy_of(from[i]->parent, from, to, n);
		to[i]->mountpoint = from[i]->mountpoint;
		if (to[i]->mountpoint)
			iget(to[i]->mountpoint);
	}
	path_to_copy(&fs->root, from, to, n);
	path_to_copy(&fs->cwd, from, to, n);
	kfree(from);
	return ns;

err_free:
	kfree(from);
	kfree(ns);
	return NULL;
}

/* ns_ops.free; the initial namespace keeps its static reference. */
static void mnt_ns_free(struct ns_common *ns)
{
	mnt_umount_ns(to_mnt_ns(ns));
	kfree(to_mnt_ns(ns));
}

/*
 * Linux's mntns_install: CAP_SYS_ADMIN in the namespace's owner, and
 * CAP_SYS_CHROOT and CAP_SYS_ADMIN in the caller's user namespace, and a
 * root and working directory no other task shares (EINVAL).
 */
static int mnt_ns_may_install(struct ns_common *ns)
{
	struct user_ns *mine = current_user_ns();

	if (!ns_capable(ns_owner(ns), CAP_SYS_ADMIN) ||
	    !ns_capable(mine, CAP_SYS_CHROOT) || !ns_capable(mine, CAP_SYS_ADMIN))
		return -EPERM;
	return current->fs->refcount > 1 ? -EINVAL : 0;
}

/* The root of @ns's tree, with what is mounted on it, referenced. */
static struct path ns_root(struct mnt_ns *ns)
{
	struct mount *m = mnt_next(NULL), *up;

	while (m->ns != ns || m->parent)
		m = mnt_next(m);
	while ((up = mnt_lookup_child(m, m->root)))
		m = up;
	mnt_get(m);
	iget(m->root);
	return (struct path){ m, m->root };
}

/* See include/kernel/mnt_ns.h. */
bool current_chrooted(void)
{
	struct path root = ns_root(current_mnt_ns());
	bool chrooted = root.mnt != current->fs->root.mnt ||
			root.inode != current->fs->root.inode;

	path_put(&root);
	return chrooted;
}

static void mnt_ns_install(struct ns_common *ns)
{
	struct fs_context *fs = current->fs;
	struct mnt_ns *old = current->mnt_ns;
	struct path root = ns_root(to_mnt_ns(ns));

	current->mnt_ns = mnt_ns_get(to_mnt_ns(ns));
	mnt_ns_put(old);
	path_put(&fs->root);
	path_put(&fs->cwd);
	fs->root = root;
	fs->cwd = root;
	path_get(&fs->cwd);
}

static const struct ns_ops mnt_ns_ops = {
	.name = "mnt",
	.type = CLONE_NEWNS,
	.free = mnt_ns_free,
	.may_install = mnt_ns_may_install,
	.install = mnt_ns_install,
};
