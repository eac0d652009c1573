/*
 * /proc/<pid>/fdinfo: a file per open descriptor with its position,
 * flags, mount id and inode number, and the locks it holds, as Linux's
 * seq_show (fs/proc/fd.c) and show_fd_locks print them, and an inotify
 * instance's watches as inotify_fdinfo does. The extra lines of eventfd,
 * epoll, timerfd and signalfd files are not shown;
 * anonymous files (pipes, sockets, those) have mount id 0, having no
 * mount.
 */
#include "procfs.h"
#include <uapi/errno.h>
#include <uapi/fcntl.h>

/* What show_fd_locks needs to pick one descriptor's locks. */
struct fd_locks {
	struct proc_buf *b;
	const struct file *file;
	const struct files *files;
	int id;
};

/* A POSIX lock of the descriptor table, or an OFD or flock lock of the file. */
static int fd_lock_line(void *arg, const struct lock_info *li)
{
	struct fd_locks *fl = arg;

	if (li->owner != fl->file && li->owner != fl->files)
		return 0;
	pb_printf(fl->b, "lock:\t");
	proc_lock_line(fl->b, ++fl->id, li);
	return 0;
}

/*
 * One watch: "inotify wd:%x ino:%lx sdev:%x mask:%x ignored_mask:0" and
 * the file handle, if the filesystem has them; sdev in Linux's kernel
 * dev_t encoding (major << 20 | minor).
 */
static int inotify_line(void *arg, const struct inotify_watch_info *wi)
{
	struct proc_buf *b = arg;

	pb_printf(b, "inotify wd:%x ino:%lx sdev:%x mask:%x ignored_mask:0 ",
		  wi->wd, (unsigned long)wi->ino,
		  (MAJOR(wi->dev) << 20) | MINOR(wi->dev), wi->mask);
	if (wi->fh_type >= 0) {
		pb_printf(b, "fhandle-bytes:%x fhandle-type:%x f_handle:",
			  wi->fh_bytes, wi->fh_type);
		for (unsigned i = 0; i < wi->fh_bytes; i++)
			pb_printf(b, "%02x", wi->fh[i]);
	}
	pb_printf(b, "\n");
	return 0;
}

static int fdinfo_show(struct proc_buf *b, struct task *t, int fd)
{
	struct file *f = t->files ? files_peek(t->files, fd) : NULL;
	struct fd_locks fl = { .b = b, .file = f, .files = t->files };
	unsigned flags;
	int err;

	if (!f)
		return -ENOENT;
	flags = f->flags | (files_peek_cloexec(t->files, fd) ? O_CLOEXEC : 0);
	pb_printf(b, "pos:\t%lld\nflags:\t0%o\nmnt_id:\t%d\nino:\t%lu\n",
		  (long long)f->pos, flags, file_mnt_id(f),
		  (unsigned long)f->inode->ino);
	err = file_locks_walk(f->inode, fd_lock_line, &fl);
	if (!err)
		err = inotify_watches_walk(f, inotify_line, b);
	return err;
}

static const struct proc_entry fdinfo_entry = {
	.name = "", .kind = PROC_PID_FDINFO, .mode = S_IFREG | 0444,
	.show_fd = fdinfo_show,
};

static int fdinfo_dir_lookup(struct inode *dir, const char *name,
			     struct inode **out)
{
	return proc_fd_dir_lookup(dir, name, &fdinfo_entry, out);
}

static int fdinfo_dir_readdir(struct inode *dir, struct dir_context *ctx)
{
	return proc_fd_dir_readdir(dir, ctx, PROC_PID_FDINFO, DT_REG);
}

const struct proc_entry proc_fdinfo_dir_entry = {
	.name = "fdinfo", .kind = PROC_PID_FDINFO_DIR,
	.mode = S_IFDIR | 0500, .guarded = true, .lookup = fdinfo_dir_lookup,
	.readdir = fdinfo_dir_readdir, .parent = proc_pid_subdir_parent,
};
