/*
 * The mqueue filesystem, as Linux 6.1's: one super block (FS_SINGLE)
 * shared by the kernel's own mount, where mq_open and mq_unlink find
 * names, and every `mount -t mqueue`. Its root (mode 01777) holds one
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

#define MQUEUE_MAGIC	0x19800202
#define MQ_DIRENT_SIZE	20	/* what a name adds to the root's size */

/* A name in the root: the queue's inode, which it holds a reference to. */
struct mq_dirent {
	struct list_head link;		/* mq_names, in creation order */
	struct inode *inode;
	char name[];
};

static LIST_HEAD(mq_names);
static int mq_queues;			/* queues alive, for queues_max */
static struct path mq_root;		/* the kernel's mount */

static const struct fs_type mqueue_type;
static const struct inode_ops mq_dir_iops;
static const struct file_ops mq_dir_fops, mq_file_fops;
static const struct super_ops mq_sops;

/* See mqueue.h. */
struct mqueue *mq_of_file(const struct file *file)
{
	return file->fops == &mq_file_fops ? file->inode->priv : NULL;
}

static struct mq_dirent *mq_find(const char *name)
{
	struct mq_dirent *d;

	list_for_each_entry(d, &mq_names, link) {
		if (!strcmp(d->name, name))
			return d;
	}
	return NULL;
}

/*
 * A new queue called @name in @dir with @mode and @attr (NULL: the
 * defaults), as Linux's mqueue_create_attr: its inode, with a reference
 * for the caller besides the name's; -ENOSPC past fs.mqueue.queues_max
 * without CAP_SYS_RESOURCE, mq_alloc's errors, -ENOMEM.
 */
static int mq_create(struct inode *dir, const char *name, mode_t mode,
		     const struct mq_attr *attr, struct inode **out)
{
	size_t len = strlen(name);
	struct mq_dirent *d;
	struct inode *inode;
	struct mqueue *q;
	int err;

	if (mq_queues >= mq_limits.queues_max && !capable(CAP_SYS_RESOURCE))
		return -ENOSPC;
	err = mq_alloc(attr, &q);
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
	list_add_tail(&d->link, &mq_names);
	mq_queues++;
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
 * lookup_one_len's checks of a single-component @name in the root, then
 * the root's search permission: 0, -EACCES, -ENAMETOOLONG.
 */
static int mq_check_name(const char *name)
{
	if (!strcmp(name, ".") || !strcmp(name, "..") || strchr(name, '/'))
		return -EACCES;
	if (strlen(name) > NAME_MAX)
		return -ENAMETOOLONG;
	return inode_permission(mq_root.inode, MAY_EXEC);
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
	struct file *f;
	int err;

	err = mq_check_name(name);
	if (err)
		return ERR_PTR(err);
	d = mq_find(name);
	if (d) {
		err = mq_open_existing(d->inode, oflag);
		if (err)
			return ERR_PTR(err);
		inode = d->inode;
		iget(inode);
	} else {
		if (!(oflag & O_CREAT))
			return ERR_PTR(-ENOENT);
		err = may_create(mq_root.inode);
		if (!err)
			err = mq_create(mq_root.inode, name, mode, attr, &inode);
		if (err)
			return ERR_PTR(err);
	}
	f = file_alloc(inode, &mq_root, (unsigned)oflag);
	iput(inode);
	return f ? f : ERR_PTR(-ENFILE);
}

/* See mqueue.h. */
int mq_unlink_name(const char *name)
{
	struct mq_dirent *d;
	int err;

	err = mq_check_name(name);
	if (err)
		return err;
	d = mq_find(name);
	if (!d)
		return -ENOENT;
	err = may_delete(mq_root.inode, d->inode);
	if (err)
		return err;
	mq_drop_name(mq_root.inode, d);
	return 0;
}

/* inode_ops.lookup: a queue's name. */
static int mq_lookup(struct inode *dir, const char *name, struct inode **out)
{
	struct mq_dirent *d = mq_find(name);

	(void)dir;
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
	struct mq_dirent *d = mq_find(name);

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
	list_for_each_entry(d, &mq_names, link) {
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
	if (!S_ISREG(inode->mode) || !inode->priv)
		return;
	mq_free(inode->priv);
	inode->priv = NULL;
	mq_queues--;
}

/* fs_type.fill_super: the one super block's root directory. */
static int mq_fill_super(struct super_block *sb, const char *source,
			 const char *options)
{
	struct inode *root = inode_new(sb);

	(void)source;
	(void)options;
	if (!root)
		return -ENOMEM;
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

static const struct fs_type mqueue_type = {
	.name = "mqueue",
	.flags = FS_SINGLE,
	.fill_super = mq_fill_super,
};

/* See include/kernel/ipc.h. */
void mqueue_init(void)
{
	int err = register_filesystem(&mqueue_type);

	if (!err)
		err = kern_mount_root("mqueue", &mq_root);
	if (err)
		panic("mqueue_init: error %d", err);
}
