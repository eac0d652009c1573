/*
 * procfs inodes: built on demand from a table entry and a pid at each
 * lookup, freed when their last reference goes (super_ops.evict), with
 * the inode and file operations every /proc node shares. Inode numbers
 * encode (pid, kind, fd), so they are stable across lookups.
 */
#include "procfs.h"
#include <aramid/string.h>
#include <platform/heap.h>
#include <svc/task.h>
#include <uapi/errno.h>

/*
 * Linux's task_dump_owner: a task's nodes belong to its effective user and
 * group, or to root when it is not dumpable (or has no memory left), but
 * for its world-readable directories.
 */
static void task_owner(struct inode *inode, const struct task *t)
{
	if (inode->mode == (S_IFDIR | 0555) || (t->mm && t->mm->dumpable)) {
		inode->uid = t->cred.euid;
		inode->gid = t->cred.egid;
	} else {
		inode->uid = 0;
		inode->gid = 0;
	}
}

/*
 * A new inode for entry @e of task @pid (0 for system nodes), or NULL
 * when memory is short. Per-task nodes belong to the task's owner.
 */
struct inode *proc_inode_new(struct super_block *sb,
			     const struct proc_entry *e, pid_t pid, int fd)
{
	struct proc_node *node = kzalloc(sizeof(*node));
	struct inode *inode;
	struct task *t;

	if (!node)
		return NULL;
	inode = inode_new(sb);
	if (!inode) {
		kfree(node);
		return NULL;
	}
	node->entry = e;
	node->pid = pid;
	node->fd = fd;
	inode->priv = node;
	inode->ino = proc_ino(e->kind, pid, fd);
	inode->mode = e->mode;
	t = pid ? task_find(pid) : NULL;
	if (t)
		task_owner(inode, t);
	/* Linux's proc_fd_permission: a process may always see its fds. */
	if (t && e->kind == PROC_PID_FD_DIR)
		inode->owner_tgid = t->tgid;
	if (t && e->kind == PROC_PID_DIR) {
		inode->ino = proc_pid_dir_ino(pid);
		inode->proc_tgid = t->tgid;
		inode->proc_start_ns = t->start_ns;
	}
	if (S_ISDIR(e->mode)) {
		inode->nlink = 2;
		inode->iops = &proc_dir_iops;
		inode->fops = &proc_dir_fops;
	} else if (S_ISLNK(e->mode)) {
		inode->iops = &proc_link_iops;
	} else {
		inode->iops = &proc_file_iops;
		inode->fops = e->fops ? e->fops : &proc_file_fops;
	}
	return inode;
}

/* See procfs.h. */
ino_t proc_pid_dir_ino(pid_t pid)
{
	struct task *t = task_find(pid);

	return proc_ino(PROC_PID_DIR, pid,
			t ? (int)((t->start_ns >> 10) & 0xffff) : 0);
}

/* The task of a per-task node, or NULL if it has been reaped. */
struct task *proc_node_task(const struct inode *inode)
{
	return task_find(proc_node(inode)->pid);
}

/* The value of a canonical decimal @name, or -1 ("01", "+1", "" are not). */
long proc_parse_num(const char *name)
{
	long v = 0;

	if (!*name || (name[0] == '0' && name[1]) || strlen(name) > 9)
		return -1;
	for (; *name; name++) {
		if (*name < '0' || *name > '9')
			return -1;
		v = v * 10 + (*name - '0');
	}
	return v;
}

/* Look @name up among @entries (NULL-terminated) of task @pid. */
int proc_lookup_table(struct inode *dir, const struct proc_entry *const *e,
		      pid_t pid, const char *name, struct inode **out)
{
	for (; *e; e++) {
		if (strcmp((*e)->name, name))
			continue;
		*out = proc_inode_new(dir->sb, *e, pid, proc_node(dir)->fd);
		return *out ? 0 : -ENOMEM;
	}
	return -ENOENT;
}

/* "." and ".." at positions 0 and 1, then the table from position 2. */
bool proc_readdir_table(struct dir_context *ctx, ino_t self_ino,
			ino_t parent_ino, const struct proc_entry *const *e,
			pid_t pid, int fd)
{
	off_t i;

	if (ctx->pos == 0) {
		if (!ctx->emit(ctx, ".", 1, self_ino, DT_DIR))
			return false;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		if (!ctx->emit(ctx, "..", 2, parent_ino, DT_DIR))
			return false;
		ctx->pos = 2;
	}
	for (i = 2; e[i - 2]; i++) {
		const struct proc_entry *en = e[i - 2];

		if (ctx->pos > i)
			continue;
		if (!ctx->emit(ctx, en->name, strlen(en->name),
			       proc_ino(en->kind, pid, fd), IFTODT(en->mode)))
			return false;
		ctx->pos = i + 1;
	}
	return true;
}

/* 0, or -EACCES if @inode is guarded and its task hidden from the caller. */
static int proc_guard(const struct inode *inode)
{
	struct proc_node *node = proc_node(inode);
	struct task *t;

	if (!node->entry->guarded)
		return 0;
	t = task_find(node->pid);
	if (t && !ptrace_may_access(t, PTRACE_MODE_FSCREDS))
		return -EACCES;
	return 0;
}

static int proc_dir_lookup(struct inode *dir, const char *name,
			   struct inode **out)
{
	int err = proc_guard(dir);

	return err ? err : proc_node(dir)->entry->lookup(dir, name, out);
}

static int proc_dir_parent(struct inode *dir, struct inode **out)
{
	return proc_node(dir)->entry->parent(dir, out);
}

static int proc_dir_open(struct inode *inode, struct file *file)
{
	return proc_guard(inode);
}

static int proc_dir_readdir(struct file *file, struct dir_context *ctx)
{
	int err = proc_guard(file->inode);

	return err ? err : proc_node(file->inode)->entry->readdir(file->inode,
								  ctx);
}

/*
 * As Linux's proc_setattr: the mode is fixed, ownership belongs to the
 * task; truncation (O_TRUNC of comm) and timestamps are accepted and
 * have no lasting effect, since contents are generated.
 */
static int proc_setattr(struct inode *inode, const struct iattr *attr)
{
	if (attr->valid & (ATTR_MODE | ATTR_UID | ATTR_GID))
		return -EPERM;
	inode_copy_attr(inode, attr);	/* the timestamps */
	return 0;
}

/* Symlinks of a reaped task read as ENOENT, like a failed lookup. */
static ssize_t proc_readlink(struct inode *inode, char *buf, size_t len)
{
	struct proc_node *node = proc_node(inode);
	struct task *t = NULL;
	int err;

	if (node->pid) {
		t = task_find(node->pid);
		if (!t)
			return -ENOENT;
	}
	err = proc_guard(inode);
	return err ? err : node->entry->link(t, node->fd, proc_sb_ns(inode->sb),
						 buf, len);
}

/* inode_ops.link_fd: /proc/<pid>/fd/<n>, exe, cwd, root and ns/<name>. */
static int proc_link_fd(struct inode *inode, pid_t *pid, int *fd)
{
	struct proc_node *node = proc_node(inode);

	switch (node->entry->kind) {
	case PROC_PID_FD_LINK:
		*fd = node->fd;
		break;
	case PROC_PID_EXE:
		*fd = LINK_FD_EXE;
		break;
	case PROC_PID_CWD:
		*fd = LINK_FD_CWD;
		break;
	case PROC_PID_ROOT:
		*fd = LINK_FD_ROOT;
		break;
	case PROC_PID_NS_UTS:
		*fd = LINK_FD_NS_UTS;
		break;
	case PROC_PID_NS_MNT:
		*fd = LINK_FD_NS_MNT;
		break;
	case PROC_PID_NS_PID:
		*fd = LINK_FD_NS_PID;
		break;
	case PROC_PID_NS_PID_CHILDREN:
		*fd = LINK_FD_NS_PID_CHILDREN;
		break;
	case PROC_PID_NS_IPC:
		*fd = LINK_FD_NS_IPC;
		break;
	case PROC_PID_NS_TIME:
		*fd = LINK_FD_NS_TIME;
		break;
	case PROC_PID_NS_TIME_CHILDREN:
		*fd = LINK_FD_NS_TIME_CHILDREN;
		break;
	case PROC_PID_NS_USER:
		*fd = LINK_FD_NS_USER;
		break;
	default:
		return -EINVAL;
	}
	if (proc_guard(inode))
		return -EACCES;
	*pid = node->pid;
	return 0;
}

/*
 * The task a file's content comes from: 0 and *@t (NULL for a system
 * file), or -ESRCH once a per-task file's task has been reaped.
 */
static int proc_file_task(struct file *file, struct task **t)
{
	struct proc_node *node = proc_node(file->inode);

	*t = NULL;
	if (!node->pid)
		return 0;
	*t = task_find(node->pid);
	return *t ? 0 : -ESRCH;
}

/* Generate @file's content into a new buffer kept in file->priv. */
static int proc_file_generate(struct file *file)
{
	const struct proc_entry *e = proc_node(file->inode)->entry;
	struct proc_buf *old = file->priv, *b;
	struct task *t;
	int err = proc_file_task(file, &t);

	if (err)
		return err;
	b = kmalloc(sizeof(*b));
	if (!b)
		return -ENOMEM;
	pb_init(b);
	b->ns = proc_sb_ns(file->inode->sb);
	if (e->show)
		err = e->show(b, t);
	else if (e->show_fd)
		err = e->show_fd(b, t, proc_node(file->inode)->fd);
	else
		err = e->show_at(b, proc_node(file->inode)->fd);
	if (!err)
		err = b->error;
	if (err) {
		pb_free(b);
		kfree(b);
		return err;
	}
	if (old) {
		pb_free(old);
		kfree(old);
	}
	file->priv = b;
	return 0;
}

/*
 * Read a generated file. The content is made at the first read and again
 * at every read from offset 0, so reads in small chunks at increasing
 * offsets see one consistent snapshot, and a rewound reader sees fresh
 * figures (as with Linux's seq_file).
 */
static ssize_t proc_file_read(struct file *file, struct uio *uio, off_t *pos)
{
	const struct proc_entry *e = proc_node(file->inode)->entry;
	struct proc_buf *b;
	size_t start = uio->resid, n;
	struct task *t;
	int err;

	if (*pos < 0)
		return -EINVAL;
	if (e->read) {
		err = proc_file_task(file, &t);
		return err ? err : e->read(t, uio, pos);
	}
	if (!file->priv || *pos == 0) {
		err = proc_file_generate(file);
		if (err)
			return err;
	}
	b = file->priv;
	if ((size_t)*pos >= b->len)
		return 0;
	n = MIN(uio->resid, b->len - (size_t)*pos);
	err = uiomove(b->data + *pos, n, uio);
	n = start - uio->resid;
	*pos += (off_t)n;
	return n ? (ssize_t)n : err;
}

/* Largest write a /proc file takes (comm needs 15 bytes). */
#define PROC_WRITE_MAX	64

/*
 * A write to a write_max entry: one write at offset 0 of fewer than
 * write_max bytes, NUL-terminated, to the entry's op (for task @t).
 */
static ssize_t proc_file_write_whole(const struct proc_entry *e,
				     struct task *t, struct uio *uio,
				     off_t *pos)
{
	size_t total = uio->resid;
	char *buf;
	int err;

	if (*pos != 0 || total >= e->write_max)
		return -EINVAL;
	buf = kmalloc(total + 1);
	if (!buf)
		return -ENOMEM;
	err = uiomove(buf, total, uio);
	if (!err) {
		buf[total] = '\0';
		err = e->write(t, buf, total);
	}
	kfree(buf);
	if (err)
		return err;
	*pos += (off_t)total;
	return (ssize_t)total;
}

/*
 * Writes go to the entry's write op. As on Linux, system files without
 * one fail with EIO and per-task files with EINVAL.
 */
static ssize_t proc_file_write(struct file *file, struct uio *uio,
			       off_t *pos)
{
	const struct proc_entry *e = proc_node(file->inode)->entry;
	char buf[PROC_WRITE_MAX];
	size_t total = uio->resid, len = MIN(total, sizeof(buf));
	struct task *t;
	int err;

	if (!e->write && !e->write_at)
		return proc_node(file->inode)->pid ? -EINVAL : -EIO;
	err = proc_file_task(file, &t);
	if (err)
		return err;
	if (e->write_max)
		return proc_file_write_whole(e, t, uio, pos);
	err = uiomove(buf, len, uio);
	if (err)
		return err;
	if (e->write)
		err = e->write(t, buf, len);
	else
		err = e->write_at(proc_node(file->inode)->fd, buf, len);
	if (err)
		return err;
	/* The whole write counts as taken, as Linux's comm_write reports. */
	*pos += (off_t)total;
	return (ssize_t)total;
}

/*
 * As Linux's proc_sys_permission: a tunable opens for writing only if its
 * mode says so, and for reading likewise (vm.drop_caches is 0200), root
 * or not. Other files open and fail at write.
 */
static int proc_file_open(struct inode *inode, struct file *file)
{
	const struct proc_entry *e = proc_node(inode)->entry;

	if (e->show_at && (((file->mode & FMODE_WRITE) && !(e->mode & 0222)) ||
			   ((file->mode & FMODE_READ) && !(e->mode & 0444))))
		return -EACCES;
	return proc_guard(inode);
}

static void proc_file_release(struct file *file)
{
	struct proc_buf *b = file->priv;

	if (b) {
		pb_free(b);
		kfree(b);
		file->priv = NULL;
	}
}

const struct inode_ops proc_dir_iops = {
	.svc = &procfs_service,
	.lookup = proc_dir_lookup,
	.parent = proc_dir_parent,
	.setattr = proc_setattr,
};

const struct inode_ops proc_file_iops = {
	.svc = &procfs_service,
	.setattr = proc_setattr,
};

const struct inode_ops proc_link_iops = {
	.svc = &procfs_service,
	.readlink = proc_readlink,
	.link_fd = proc_link_fd,
	.setattr = proc_setattr,
};

const struct file_ops proc_dir_fops = {
	.svc = &procfs_service,
	.open = proc_dir_open,
	.readdir = proc_dir_readdir,
};

const struct file_ops proc_file_fops = {
	.svc = &procfs_service,
	.open = proc_file_open,
	.read = proc_file_read,
	.write = proc_file_write,
	.release = proc_file_release,
};
