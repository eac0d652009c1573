/*
 * /proc/<pid>/ns: a magic link per namespace of the task, reading
 * "<kind>:[<number>]" (ENOENT once it has exited); opening one gives the
 * namespace's nsfs file (the VFS follows it through link_fd), which
 * setns(2) takes. The kinds listed are those there are, in Linux's
 * order: uts, ipc, pid, pid_for_children, user, mnt, time and
 * time_for_children. And /proc/<pid>/timens_offsets, the offsets of its
 * children's time namespace, which the kernel formats and sets
 * (timens_offsets_show, _write).
 */
#include "procfs.h"
#include <svc/introspect.h>
#include <uapi/clone.h>
#include <uapi/errno.h>

static ssize_t ns_text(struct ns_common *ns, char *buf, size_t len)
{
	if (!ns)
		return -ENOENT;
	return (ssize_t)ns_link_text(ns, buf, len);
}

static ssize_t ns_link(struct task *t, unsigned type, char *buf, size_t len)
{
	return ns_text(task_ns(t, type), buf, len);
}

static ssize_t uts_link(struct task *t, int fd, const struct pid_ns *ns,
			       char *buf, size_t len)
{
	(void)fd;
	return ns_link(t, CLONE_NEWUTS, buf, len);
}

static ssize_t mnt_link(struct task *t, int fd, const struct pid_ns *ns,
			       char *buf, size_t len)
{
	(void)fd;
	return ns_link(t, CLONE_NEWNS, buf, len);
}

static ssize_t pid_link(struct task *t, int fd, const struct pid_ns *ns,
			       char *buf, size_t len)
{
	(void)fd;
	return ns_link(t, CLONE_NEWPID, buf, len);
}

static ssize_t pid_children_link(struct task *t, int fd,
				 const struct pid_ns *ns, char *buf, size_t len)
{
	(void)fd;
	return ns_text(task_pid_ns_children(t), buf, len);
}

static ssize_t ipc_link(struct task *t, int fd, const struct pid_ns *ns,
			char *buf, size_t len)
{
	(void)fd;
	return ns_link(t, CLONE_NEWIPC, buf, len);
}

static ssize_t time_link(struct task *t, int fd, const struct pid_ns *ns,
			 char *buf, size_t len)
{
	(void)fd;
	return ns_link(t, CLONE_NEWTIME, buf, len);
}

static ssize_t time_children_link(struct task *t, int fd,
				  const struct pid_ns *ns, char *buf,
				  size_t len)
{
	(void)fd;
	return ns_text(task_time_ns_children(t), buf, len);
}

static const struct proc_entry time_entry = {
	.name = "time", .kind = PROC_PID_NS_TIME, .mode = S_IFLNK | 0777,
	.guarded = true, .link = time_link,
};
static const struct proc_entry time_children_entry = {
	.name = "time_for_children", .kind = PROC_PID_NS_TIME_CHILDREN,
	.mode = S_IFLNK | 0777, .guarded = true, .link = time_children_link,
};
static const struct proc_entry ipc_entry = {
	.name = "ipc", .kind = PROC_PID_NS_IPC, .mode = S_IFLNK | 0777,
	.guarded = true, .link = ipc_link,
};

static ssize_t user_link(struct task *t, int fd, const struct pid_ns *ns,
			 char *buf, size_t len)
{
	(void)fd;
	return ns_link(t, CLONE_NEWUSER, buf, len);
}

static const struct proc_entry user_entry = {
	.name = "user", .kind = PROC_PID_NS_USER, .mode = S_IFLNK | 0777,
	.guarded = true, .link = user_link,
};
static const struct proc_entry uts_entry = {
	.name = "uts", .kind = PROC_PID_NS_UTS, .mode = S_IFLNK | 0777,
	.guarded = true, .link = uts_link,
};
static const struct proc_entry mnt_entry = {
	.name = "mnt", .kind = PROC_PID_NS_MNT, .mode = S_IFLNK | 0777,
	.guarded = true, .link = mnt_link,
};

static const struct proc_entry pid_entry = {
	.name = "pid", .kind = PROC_PID_NS_PID, .mode = S_IFLNK | 0777,
	.guarded = true, .link = pid_link,
};
static const struct proc_entry pid_children_entry = {
	.name = "pid_for_children", .kind = PROC_PID_NS_PID_CHILDREN,
	.mode = S_IFLNK | 0777, .guarded = true, .link = pid_children_link,
};

/* In the order Linux lists them (fs/proc/namespaces.c ns_entries). */
static const struct proc_entry *const ns_entries[] = {
	&uts_entry, &ipc_entry, &pid_entry, &pid_children_entry, &user_entry,
	&mnt_entry, &time_entry, &time_children_entry, NULL,
};

static int ns_dir_lookup(struct inode *dir, const char *name,
			 struct inode **out)
{
	if (!proc_node_task(dir))
		return -ENOENT;
	return proc_lookup_table(dir, ns_entries, proc_node(dir)->pid, name,
				 out);
}

static int ns_dir_readdir(struct inode *dir, struct dir_context *ctx)
{
	if (!proc_node_task(dir))
		return -ENOENT;
	proc_readdir_table(ctx, dir->ino, proc_pid_subdir_parent_ino(dir),
			   ns_entries, proc_node(dir)->pid, proc_node(dir)->fd);
	return 0;
}

const struct proc_entry proc_ns_dir_entry = {
	.name = "ns", .kind = PROC_PID_NS_DIR, .mode = S_IFDIR | 0511,
	.lookup = ns_dir_lookup, .readdir = ns_dir_readdir,
	.parent = proc_pid_subdir_parent,
};

/* See procfs.h. */
int proc_pid_timens_offsets_show(struct proc_buf *b, struct task *t)
{
	char text[96];
	ssize_t n = timens_offsets_show(t, text, sizeof(text) - 1);

	if (n < 0)
		return (int)n;
	text[n] = '\0';
	pb_printf(b, "%s", text);
	return 0;
}

/* See procfs.h. */
int proc_pid_timens_offsets_write(struct task *t, const char *buf,
				  size_t len)
{
	return timens_offsets_write(t, buf, len);
}
