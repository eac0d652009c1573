/*
 * The mqueue filesystem, as Linux 6.1's: one super block per IPC
 * namespace (FS_SINGLE) shared by the namespace's own kernel mount,
 * made on first use, where mq_open and mq_unlink find names, and every
 * `mount -t mqueue` by a task of the namespace. When the namespace ends
 * its kernel mount goes; a super block still mounted keeps its queues
 * but makes no new ones (EACCES). Its root (mode 01777) holds one
 * regular file per queue; reading one gives Linux's "QSIZE:..." line,
 * open(2) with O_CREAT makes a queue of the default sizes, unlink(2)
 * removes a name, and a queue lives until its last file is closed.
 *
 * Why ring 1: a queue is IPC state the system calls of mqueue.c and
 * mqueue_notify.c work on directly (messages, waits, signals, a
 * netlink socket), as Linux keeps it in ipc/; the filesystem only
 * names it.
 *
 * Locking: process context, one CPU, no preemption; nothing here sleeps.
 */
#include <kernel/task.h>
#include <kernel/ipc.h>
#include <kernel/vfs.h>
#include <svc/task.h>
#include <platform/heap.h>
#include <platform/panic.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/time.h>
#include "mqueue.h"
#include "ipc.h"
#include "ipc_ns_end.h"

#define MQUEUE_MAGIC	0x19800202
#define MQ_DIRENT_SIZE	20	/* what a name adds to the root's size */

/* A name in the root: the queue's inode, which it holds a reference to. */
struct mq_dirent {
	struct list_head link;		/* mq_sb_info.names, creation order */
	struct inode *inode;
	char name[];
};

/* A super block's (sb->priv): its names and its namespace while it lives. */
struct mq_sb_info {
	struct list_head names;
	struct ipc_ns *ns;
};

static const struct fs_type mqueue_type;
static const struct inode_ops mq_dir_iops;
static const struct file_ops mq_dir_fops, mq_file_fops;
static const struct super_ops mq_sops;

/* See mqueue.h. */
struct mqueue *mq_of_file(const struct file *file)
{
	return file->fops == &mq_file_fops ? file->inode->priv : NULL;
}

static struct mq_sb_info *mq_info(const struct super_block *sb)
{
	return sb->priv;
}

static struct mq_dirent *mq_find(const struct super_block *sb,
				 const char *name)
{
	struct mq_dirent *d;

	list_for_each_entry(d, &mq_info(sb)->names, link) {
		if (!strcmp(d->name, name))
			return d;
	}
	return NULL;
}

/*
 * A new queue called @name in @dir with @mode and @attr (NULL: the
 * defaults), as Linux's mqueue_create_attr: its inode, with a reference
 * for the caller besides the name's; -EACCES once the super block's
 * namespace has ended, -ENOSPC past its fs.mqueue.queues_max without
 * CAP_SYS_RESOURCE, mq_alloc's errors, -ENOMEM.
 */
static int mq_create(struct inode *dir, const char *name, mode_t mode,
		     const struct mq_attr *attr, struct inode **out)
{
	size_t len = strlen(name);
	struct ipc_ns *ns = mq_info(dir->sb)->ns;
	struct mq_dirent *d;
	struct inode *inode;
	struct mqueue *q;
	int err;

	if (!ns)
		return -EACCES;
	if (ns->mq_queues >= ns->mq_limits.queues_max &&
	    !capable(CAP_SYS_RESOURCE))
		return -ENOSPC;
	err = mq_alloc(&ns->mq_limits, attr, &q);
	if (err)
		return err;
	err = -ENOMEM;
	d = kmalloc(sizeof(*d) + len + 1);
	if (!d)
		goto err_queue;
	inode = inode_new(dir->sb);
	if (!inode)
		goto err_dirent;
	inode->mode = S_IFREG | (mode & 07777);
	inode->uid = current->cred.fsuid;
	inode->gid = current->cred.fsgid;
	inode->size = MQ_FILENT_SIZE;
	inode->fops = &mq_file_fops;
	inode->priv = q;
	memcpy(d->name, name, len + 1);
	d->inode = inode;
	iget(inode);
	list_add_tail(&d->link, &mq_info(dir->sb)->names);
	ns->mq_queues++;
	dir->size += MQ_DIRENT_SIZE;
	dir->mtime = dir->ctime = current_time();
	*out = inode;
	return 0;

err_dirent:
	kfree(d);
err_queue:
	mq_free(q);
	return err;
}

/* Take name @d out of the root @dir; its queue stays while open. */
static void mq_drop_name(struct inode *dir, struct mq_dirent *d)
{
	struct inode *inode = d->inode;

	list_del(&d->link);
	kfree(d);
	dir->size -= MQ_DIRENT_SIZE;
	dir->mtime = dir->ctime = inode->ctime = current_time();
	inode->nlink = 0;
	iput(inode);
}

/*
 * The root of the caller's namespace's kernel mount, made on first use:
 * 0, or kern_mount_root's -ENOMEM.
 */
static int mq_ns_root(struct path **out)
{
	struct ipc_ns *ns = ipc_ns_cur();
	int err = 0;

	if (!ns->mq_root.mnt)
		err = kern_mount_root("mqueue", &ns->mq_root);
	*out = &ns->mq_root;
	return err;
}

/*
 * lookup_one_len's checks of a single-component @name in the caller's
 * root, then the root's search permission, with the root in *@root:
 * 0, -EACCES, -ENAMETOOLONG, -ENOMEM.
 */
static int mq_check_name(const char *name, struct path **root)
{
	int err = mq_ns_root(root);

	if (err)
		return err;
	if (!strcmp(name, ".") || !strcmp(name, "..") || strchr(name, '/'))
		return -EACCES;
	if (strlen(name) > NAME_MAX)
		return -ENAMETOOLONG;
	return inode_permission((*root)->inode, MAY_EXEC);
}

/* Linux's prepare_open for an existing queue @inode. */
static int mq_open_existing(struct inode *inode, int oflag)
{
	static const int acc[3] = { MAY_READ, MAY_WRITE, MAY_READ | MAY_WRITE };

	if ((oflag & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return -EEXIST;
	if ((oflag & O_ACCMODE) == O_ACCMODE)
		return -EINVAL;
	return inode_permission(inode, acc[oflag & O_ACCMODE]);
}

/* See mqueue.h. */
struct file *mq_open_name(const char *name, int oflag, mode_t mode,
			  const struct mq_attr *attr)
{
	struct mq_dirent *d;
	struct inode *inode;
	struct path *root;
	struct file *f;
	int err;

	err = mq_check_name(name, &root);
	if (err)
		return ERR_PTR(err);
	d = mq_find(root->inode->sb, name);
	if (d) {
		err = mq_open_existing(d->inode, oflag);
		if (err)
			return ERR_PTR(err);
		inode = d->inode;
		iget(inode);
	} else {
		if (!(oflag & O_CREAT))
			return ERR_PTR(-ENOENT);
		err = may_create(root->inode);
		if (!err)
			err = mq_create(root->inode, name, mode, attr, &inode);
		if (err)
			return ERR_PTR(err);
	}
	f = file_alloc(inode, root, (unsigned)oflag);
	iput(inode);
	return f ? f : ERR_PTR(-ENFILE);
}

/* See mqueue.h. */
int mq_unlink_name(const char *name)
{
	struct mq_dirent *d;
	struct path *root;
	int err;

	err = mq_check_name(name, &root);
	if (err)
		return err;
	d = mq_find(root->inode->sb, name);
	if (!d)
		return -ENOENT;
	err = may_delete(root->inode, d->inode);
	if (err)
		return err;
	mq_drop_name(root->inode, d);
	return 0;
}

/* inode_ops.lookup: a queue's name. */
static int mq_lookup(struct inode *dir, const char *name, struct inode **out)
{
	struct mq_dirent *d = mq_find(dir->sb, name);

	if (strlen(name) > NAME_MAX)
		return -ENAMETOOLONG;
	if (!d)
		return -ENOENT;
	iget(d->inode);
	*out = d->inode;
	return 0;
}

/* inode_ops.mknod: open(2) with O_CREAT makes a queue of the defaults. */
static int mq_mknod(struct inode *dir, const char *name, mode_t mode,
		    dev_t rdev, struct inode **out)
{
	(void)rdev;
	if (!S_ISREG(mode))
		return -EPERM;
	return mq_create(dir, name, mode, NULL, out);
}

/* inode_ops.unlink: as mq_unlink (the VFS checked the permissions). */
static int mq_unlink_op(struct inode *dir, const char *name)
{
	struct mq_dirent *d = mq_find(dir->sb, name);

	if (!d)
		return -ENOENT;
	mq_drop_name(dir, d);
	return 0;
}

/* file_ops.readdir: ".", "..", then the queues in creation order. */
static int mq_readdir(struct file *file, struct dir_context *ctx)
{
	struct inode *dir = file->inode;
	struct mq_dirent *d;
	off_t i = 2;

	if (ctx->pos < 0)
		return -EINVAL;
	for (; ctx->pos < 2; ctx->pos++) {
		if (!ctx->emit(ctx, "..", (size_t)ctx->pos + 1, dir->ino,
			       DT_DIR))
			return 0;
	}
	list_for_each_entry(d, &mq_info(dir->sb)->names, link) {
		if (i++ < ctx->pos)
			continue;
		if (!ctx->emit(ctx, d->name, strlen(d->name), d->inode->ino,
			       DT_REG))
			return 0;
		ctx->pos++;
	}
	return 0;
}

/* file_ops.read: Linux's mqueue_read_file line. */
static ssize_t mq_read(struct file *file, struct uio *uio, off_t *pos)
{
	struct mqueue *q = file->inode->priv;
	bool owned = q->notify_owner != 0;
	char line[MQ_FILENT_SIZE];
	size_t n;
	int len;

	len = snprintf(line, sizeof(line),
		       "QSIZE:%-10lu NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n",
		       q->qsize, owned ? q->notify : 0,
		       owned && q->notify == SIGEV_SIGNAL ? q->signo : 0,
		       q->notify_owner);
	if (len < 0 || *pos >= len || !uio->resid)
		return 0;
	n = MIN((size_t)(len - *pos), uio->resid);
	if (uiomove(line + *pos, n, uio))
		return -EFAULT;
	*pos += (off_t)n;
	file->inode->atime = file->inode->ctime = current_time();
	return (ssize_t)n;
}

/* file_ops.poll: a message to receive, room to send. */
static unsigned mq_poll(struct file *file, struct poll_table *pt)
{
	struct mqueue *q = file->inode->priv;
	unsigned mask = 0;

	poll_wait(file, &q->rd_wait, pt);
	poll_wait(file, &q->wr_wait, pt);
	if (q->curmsgs)
		mask |= POLLIN | POLLRDNORM;
	if (q->curmsgs < q->maxmsg)
		mask |= POLLOUT | POLLWRNORM;
	return mask;
}

/* file_ops.flush: the registering process's close drops its registration. */
static void mq_flush(struct file *file)
{
	struct mqueue *q = file->inode->priv;

	if (q->notify_owner && q->notify_owner == current->tgid)
		mq_notify_remove(q);
}

/* super_ops.evict: a queue whose name and files are all gone. */
static void mq_evict(struct inode *inode)
{
	struct ipc_ns *ns = mq_info(inode->sb)->ns;

	if (!S_ISREG(inode->mode) || !inode->priv)
		return;
	mq_free(inode->priv);
	inode->priv = NULL;
	if (ns)
		ns->mq_queues--;
}

/* fs_type.single_sb: the caller's namespace's super block, if any. */
static struct super_block *mq_single_sb(void)
{
	return ipc_ns_cur()->mq_sb;
}

/*
 * fs_type.fill_super: the caller's namespace's super block, recorded
 * there, and its root directory.
 */
static int mq_fill_super(struct super_block *sb, const char *source,
			 const char *options)
{
	struct mq_sb_info *info = kmalloc(sizeof(*info));
	struct inode *root;

	(void)source;
	(void)options;
	if (!info)
		return -ENOMEM;
	root = inode_new(sb);
	if (!root) {
		kfree(info);
		return -ENOMEM;
	}
	list_init(&info->names);
	info->ns = ipc_ns_cur();
	info->ns->mq_sb = sb;
	sb->priv = info;
	root->mode = S_IFDIR | S_ISVTX | 0777;
	root->nlink = 2;
	root->size = 2 * MQ_DIRENT_SIZE;
	root->iops = &mq_dir_iops;
	root->fops = &mq_dir_fops;
	sb->sops = &mq_sops;
	sb->magic = MQUEUE_MAGIC;
	sb->root = root;
	return 0;
}

static const struct inode_ops mq_dir_iops = {
	.lookup = mq_lookup,
	.mknod = mq_mknod,
	.unlink = mq_unlink_op,
};

static const struct file_ops mq_dir_fops = {
	.readdir = mq_readdir,
};

static const struct file_ops mq_file_fops = {
	.read = mq_read,
	.poll = mq_poll,
	.flush = mq_flush,
};

static const struct super_ops mq_sops = {
	.evict = mq_evict,
};

/*
 * fs_type.kill_super: the last mount went; the names' queues go with
 * them, and the namespace, if it lives, forgets the super block.
 */
static void mq_kill_super(struct super_block *sb)
{
	struct mq_sb_info *info = mq_info(sb);
	struct mq_dirent *d, *n;

	list_for_each_entry_safe(d, n, &info->names, link) {
		list_del(&d->link);
		iput(d->inode);
		kfree(d);
	}
	if (info->ns)
		info->ns->mq_sb = NULL;
	kfree(info);
}

static const struct fs_type mqueue_type = {
	.name = "mqueue",
	.flags = FS_SINGLE,
	.single_sb = mq_single_sb,
	.fill_super = mq_fill_super,
	.kill_super = mq_kill_super,
};

/* See ipc_ns_end.h. */
void mq_ns_end(struct ipc_ns *n)
{
	if (n->mq_sb)
		mq_info(n->mq_sb)->ns = NULL;
	n->mq_sb = NULL;
	if (n->mq_root.mnt)
		kern_unmount(&n->mq_root);
}

/* See include/kernel/ipc.h. */
void mqueue_init(void)
{
	int err = register_filesystem(&mqueue_type);

	if (err)
		panic("mqueue_init: error %d", err);
}
