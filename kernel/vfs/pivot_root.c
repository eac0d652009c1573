/*
 * pivot_root(2) as Linux 6.1's: the mount whose root @new_root is takes
 * the place of the mount the caller's root is, which moves to @put_old
 * beneath it; every task rooted or working at the old root follows to
 * the new one. CAP_SYS_ADMIN only.
 */
#include "vfs_internal.h"
#include <kernel/syscall.h>
#include <svc/task.h>

/* Whether @m is attached to the tree (Linux's check_mnt). */
static bool mnt_attached(const struct mount *m)
{
	return m && !(m->flags & MNT_DETACHED);
}

/*
 * Whether @inode of @m can be reached from @root by walking down the
 * tree (Linux's is_path_reachable).
 */
static bool path_reachable(struct mount *m, struct inode *inode,
			   const struct path *root)
{
	while (m != root->mnt && m->parent) {
		inode = m->mountpoint;
		m = m->parent;
	}
	return m == root->mnt && is_ancestor(root->inode, inode);
}

/* Whether directory @dir was removed (Linux's d_unlinked). */
static bool dir_unlinked(struct inode *dir)
{
	struct inode *parent;

	if (vop_parent(dir, &parent))
		return true;
	iput(parent);
	return false;
}

/* Linux's checks, in its order: 0 or -EINVAL, -ENOENT, -EBUSY. */
static int pivot_check(const struct path *new, const struct path *old,
		       const struct path *root)
{
	struct mount *new_mnt = new->mnt, *root_mnt = root->mnt;

	if (!mnt_attached(root_mnt) || !mnt_attached(new_mnt) ||
	    !mnt_attached(old->mnt))
		return -EINVAL;
	if (dir_unlinked(new->inode))
		return -ENOENT;
	if (new_mnt == root_mnt || old->mnt == root_mnt)
		return -EBUSY;
	/* Both roots must be roots of attached mounts. */
	if (root->inode != root_mnt->root || !root_mnt->parent)
		return -EINVAL;
	if (new->inode != new_mnt->root || !new_mnt->parent)
		return -EINVAL;
	if (!path_reachable(old->mnt, old->inode, new) ||
	    !path_reachable(new_mnt, new->inode, root))
		return -EINVAL;
	return 0;
}

/*
 * Move the mounts: @new's takes the place of @root's, which goes onto
 * @old. The mount points' inode references move with them.
 */
static void pivot_mounts(const struct path *new, const struct path *old,
			 const struct path *root)
{
	struct mount *new_mnt = new->mnt, *root_mnt = root->mnt;
	struct inode *gone = new_mnt->mountpoint;

	new_mnt->parent = root_mnt->parent;
	new_mnt->mountpoint = root_mnt->mountpoint;
	root_mnt->parent = old->mnt;
	root_mnt->mountpoint = old->inode;
	iget(old->inode);
	iput(gone);
}

static long do_pivot_root(const struct path *new, const struct path *old)
{
	struct path root = current_fs()->root;
	int err;

	path_get(&root);
	err = pivot_check(new, old, &root);
	if (!err) {
		pivot_mounts(new, old, &root);
		fs_contexts_move(&root, new);
	}
	path_put(&root);
	return err;
}

SYSCALL(__NR_pivot_root, pivot_root)(SYSCALL_ARGS)
{
	struct path new, old;
	long err;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	err = user_path_at(AT_FDCWD, UPTR(a0), LOOKUP_FOLLOW | LOOKUP_DIRECTORY,
			   &new);
	if (err)
		return err;
	err = user_path_at(AT_FDCWD, UPTR(a1), LOOKUP_FOLLOW | LOOKUP_DIRECTORY,
			   &old);
	if (!err) {
		err = do_pivot_root(&new, &old);
		path_put(&old);
	}
	path_put(&new);
	return err;
}
