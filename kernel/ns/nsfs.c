/*
 * nsfs, Linux's filesystem of namespace files: what opening a
 * /proc/PID/ns/<name> link gives. Each namespace gets one inode on an
 * internal super block, made on first use, numbered with the namespace's
 * number and holding a reference to it until its own last reference goes
 * (the namespace only points back to it). Its files take the NS_GET_*
 * ioctls and setns(2). One CPU, no kernel preemption: no locks.
 */
#include <kernel/ns.h>
#include <kernel/vfs.h>
#include <kernel/user_ns.h>
#include <platform/usercopy.h>
#include <uapi/clone.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/nsfs.h>

static const struct file_ops nsfs_fops;
static const struct super_ops nsfs_sops;

static struct super_block nsfs_sb = {
	.magic = NSFS_MAGIC,
	.sops = &nsfs_sops,
};

/* super_ops.evict: the inode's reference to its namespace goes. */
static void nsfs_evict(struct inode *inode)
{
	struct ns_common *ns = inode->priv;

	ns->inode = NULL;
	ns_put(ns);
}

/*
 * file_ops.open: an nsfs inode is immutable (EPERM to open for writing,
 * as Linux's S_IMMUTABLE makes it) and has no positions (ESPIPE for
 * lseek, Linux's no_llseek).
 */
static int nsfs_open(struct inode *inode, struct file *file)
{
	(void)inode;
	if (file->mode & FMODE_WRITE)
		return -EPERM;
	file->mode |= FMODE_NO_LSEEK;
	return 0;
}

/*
 * Linux's open_related_ns: a new read-only, close-on-exec descriptor for
 * @ns's file, or -ENOMEM, -EMFILE.
 */
static long nsfs_open_fd(struct ns_common *ns)
{
	struct inode *inode = ns_inode_get(ns);
	struct file *f;

	if (!inode)
		return -ENOMEM;
	f = file_alloc(inode, NULL, O_RDONLY);
	iput(inode);
	if (!f)
		return -ENOMEM;
	f->mode |= FMODE_NO_LSEEK;
	return fd_install(f, true);
}

/* NS_GET_PARENT: EINVAL for a kind that does not nest. */
static long nsfs_parent(struct ns_common *ns)
{
	struct ns_common *parent;

	if (!ns->ops->get_parent)
		return -EINVAL;
	parent = ns->ops->get_parent(ns);
	if (IS_ERR(parent))
		return PTR_ERR(parent);
	return nsfs_open_fd(parent);
}

/*
 * NS_GET_USERNS, Linux's ns_get_owner: the user namespace owning @ns, if
 * it is the caller's or below it (else EPERM, as for the initial one's
 * parent).
 */
static long nsfs_owner(struct ns_common *ns)
{
	struct user_ns *owner = ns_owner(ns);

	if (!owner || !current_in_userns(owner))
		return -EPERM;
	return nsfs_open_fd(&owner->ns);
}

/*
 * NS_GET_OWNER_UID: the uid of a user namespace's creator, as the
 * caller's namespace names it (EINVAL for other kinds).
 */
static long nsfs_owner_uid(struct ns_common *ns, uptr_t arg)
{
	struct user_ns *u;
	uid_t uid;

	if (ns->ops->type != CLONE_NEWUSER)
		return -EINVAL;
	u = container_of(ns, struct user_ns, ns);
	uid = from_kuid_munged(u->owner);
	return put_user(uid, arg) ? -EFAULT : 0;
}

/*
 * Linux's ns_ioctl (6.1: the PID-translating requests of later kernels
 * are unknown here too: ENOTTY).
 */
static long nsfs_ioctl(struct file *file, unsigned cmd, uptr_t arg)
{
	struct ns_common *ns = file->inode->priv;

	switch (cmd) {
	case NS_GET_USERNS:
		return nsfs_owner(ns);
	case NS_GET_NSTYPE:
		return ns->ops->type;
	case NS_GET_PARENT:
		return nsfs_parent(ns);
	case NS_GET_OWNER_UID:
		return nsfs_owner_uid(ns, arg);
	default:
		return -ENOTTY;
	}
}

/* See include/kernel/ns.h. */
struct inode *ns_inode_get(struct ns_common *ns)
{
	struct inode *inode = ns->inode;

	if (inode) {
		iget(inode);
		return inode;
	}
	if (!nsfs_sb.dev)
		nsfs_sb.dev = anon_dev_alloc();
	inode = inode_new(&nsfs_sb);
	if (!inode)
		return NULL;
	inode->ino = ns->inum;
	inode->mode = S_IFREG | 0444;
	inode->fops = &nsfs_fops;
	inode->priv = ns;
	ns_get(ns);
	ns->inode = inode;
	return inode;
}

/* See include/kernel/ns.h. */
struct ns_common *ns_of_inode(const struct inode *inode)
{
	return inode->sb == &nsfs_sb ? inode->priv : NULL;
}

static const struct file_ops nsfs_fops = {
	.open = nsfs_open,
	.ioctl = nsfs_ioctl,
};

static const struct super_ops nsfs_sops = {
	.evict = nsfs_evict,
};
