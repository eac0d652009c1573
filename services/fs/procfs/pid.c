/*
 * /proc/<pid>: the per-process directory and, under task/, one per
 * thread (the thread view, PROC_TID_VIEW), their fd/ directories of
 * descriptor links, the exe, cwd and root links, and /proc/self. Every
 * operation looks the task up again by pid, so nodes outliving their
 * task fail cleanly (ENOENT) instead of touching freed state.
 */
#include "procfs.h"
#include <aramid/string.h>
#include <platform/heap.h>
#include <uapi/errno.h>

/* "<pid>" of the caller: the target of /proc/self. */
ssize_t proc_self_link(struct task *t, int fd, const struct pid_ns *ns,
			       char *buf, size_t len)
{
	char tmp[16];
	int n;

	pid_t tgid = current ? task_tgid_nr_ns(current, ns) : 0;

	if (tgid <= 0)
		return -ENOENT;		/* not in the mount's namespace */
	n = snprintf(tmp, sizeof(tmp), "%d", tgid);
	n = MIN((size_t)n, len);
	memcpy(buf, tmp, (size_t)n);
	return n;
}

/* See procfs.h. */
ssize_t proc_thread_self_link(struct task *t, int fd, const struct pid_ns *ns,
			       char *buf, size_t len)
{
	char tmp[40];
	int n;

	pid_t tgid = current ? task_tgid_nr_ns(current, ns) : 0;

	if (tgid <= 0)
		return -ENOENT;
	n = snprintf(tmp, sizeof(tmp), "%d/task/%d", tgid,
		     task_nr_ns(current, ns));
	n = MIN((size_t)n, len);
	memcpy(buf, tmp, (size_t)n);
	return n;
}

/*
 * Write the name of @p (or, with @p NULL, of open file @f) into @buf of
 * @len bytes without a NUL: the link text length or -errno. Names longer
 * than @len are cut, as readlink(2) cuts them.
 */
static ssize_t name_link(const struct path *p, struct file *f,
			 char *buf, size_t len)
{
	char *tmp = kmalloc(PATH_MAX);
	int n;

	if (!tmp)
		return -ENOMEM;
	n = p ? path_to_string(p, tmp, PATH_MAX) :
		file_path_string(f, tmp, PATH_MAX);
	if (n >= 0) {
		n = MIN((size_t)n, len);
		memcpy(buf, tmp, (size_t)n);
	}
	kfree(tmp);
	return n;
}

/* Naming may sleep in a filesystem: hold the path meanwhile. */
static ssize_t held_path_link(struct path p, char *buf, size_t len)
{
	ssize_t n;

	path_get(&p);
	n = name_link(&p, NULL, buf, len);
	path_put(&p);
	return n;
}

/* Likewise for an open file (of a descriptor, or the executable). */
static ssize_t held_file_link(struct file *f, char *buf, size_t len)
{
	ssize_t n;

	fget(f);
	n = name_link(NULL, f, buf, len);
	fput(f);
	return n;
}

static ssize_t cwd_link(struct task *t, int fd, const struct pid_ns *ns,
			       char *buf, size_t len)
{
	if (!t->fs)
		return -ENOENT;
	return held_path_link(t->fs->cwd, buf, len);
}

static ssize_t root_link(struct task *t, int fd, const struct pid_ns *ns,
			       char *buf, size_t len)
{
	if (!t->fs)
		return -ENOENT;
	return held_path_link(t->fs->root, buf, len);
}

/* The executable the task's address space runs. */
static ssize_t exe_link(struct task *t, int fd, const struct pid_ns *ns,
			       char *buf, size_t len)
{
	if (!t->mm || !t->mm->exe_file)
		return -ENOENT;
	return held_file_link(t->mm->exe_file, buf, len);
}

static ssize_t fd_link(struct task *t, int fd, const struct pid_ns *ns,
			       char *buf, size_t len)
{
	struct file *f = t->files ? files_peek(t->files, fd) : NULL;

	if (!f)
		return -ENOENT;
	return held_file_link(f, buf, len);
}

/* One fd link: its mode shows how the descriptor was opened (Linux). */
static const struct proc_entry fd_link_entry = {
	.name = "", .kind = PROC_PID_FD_LINK, .mode = S_IFLNK | 0700,
	.guarded = true, .link = fd_link,
};

static mode_t fd_link_mode(const struct file *f)
{
	mode_t m = S_IFLNK;

	if (f->mode & FMODE_READ)
		m |= 0500;
	if (f->mode & FMODE_WRITE)
		m |= 0300;
	return m;
}

int proc_fd_dir_lookup(struct inode *dir, const char *name,
		       const struct proc_entry *e, struct inode **out)
{
	struct task *t = proc_node_task(dir);
	long fd = proc_parse_num(name);

	if (!t || fd < 0 || !t->files || !files_peek(t->files, (int)fd))
		return -ENOENT;
	*out = proc_inode_new(dir->sb, e, t->pid, (int)fd);
	return *out ? 0 : -ENOMEM;
}

static int fd_dir_lookup(struct inode *dir, const char *name,
			 struct inode **out)
{
	struct task *t;
	int err = proc_fd_dir_lookup(dir, name, &fd_link_entry, out);

	if (err)
		return err;
	t = proc_node_task(dir);
	(*out)->mode = fd_link_mode(files_peek(t->files, proc_node(*out)->fd));
	return 0;
}

static const struct proc_entry *const no_entries[] = { NULL };

/* Positions: ".", "..", then 2 + fd for each open descriptor. */
int proc_fd_dir_readdir(struct inode *dir, struct dir_context *ctx,
			unsigned kind, unsigned dtype)
{
	pid_t pid = proc_node(dir)->pid;
	struct task *t = task_find(pid);
	char name[16];

	if (!t)
		return -ENOENT;
	if (!proc_readdir_table(ctx, dir->ino, proc_pid_subdir_parent_ino(dir),
				no_entries, pid, 0))
		return 0;
	for (;;) {
		/* Look again each time: emit may sleep on a page fault. */
		int fd = (int)ctx->pos - 2, max, n;

		t = task_find(pid);
		if (!t || !t->files)
			return 0;
		max = files_max_fd(t->files);
		while (fd < max && !files_peek(t->files, fd))
			fd++;
		if (fd >= max)
			return 0;
		ctx->pos = fd + 2;
		n = snprintf(name, sizeof(name), "%d", fd);
		if (!ctx->emit(ctx, name, (size_t)n, proc_ino(kind, pid, fd),
			       dtype))
			return 0;
		ctx->pos = fd + 3;
	}
}

static int fd_dir_readdir(struct inode *dir, struct dir_context *ctx)
{
	return proc_fd_dir_readdir(dir, ctx, PROC_PID_FD_LINK, DT_LNK);
}

static bool thread_view(const struct inode *dir)
{
	return proc_node(dir)->fd == PROC_TID_VIEW;
}

ino_t proc_pid_subdir_parent_ino(const struct inode *dir)
{
	pid_t pid = proc_node(dir)->pid;

	return thread_view(dir) ? proc_ino(PROC_TID_DIR, pid, PROC_TID_VIEW) :
				  proc_pid_dir_ino(pid);
}

int proc_pid_subdir_parent(struct inode *dir, struct inode **out)
{
	*out = proc_inode_new(dir->sb, thread_view(dir) ? &proc_tid_dir_entry :
			      &proc_pid_dir_entry, proc_node(dir)->pid,
			      proc_node(dir)->fd);
	return *out ? 0 : -ENOMEM;
}

/*
 * The task's cgroup2 group: always the root, the only group there is
 * (services/fs/sysfs/cgroup.c), and no v1 hierarchies.
 */
static int cgroup_show(struct proc_buf *b, struct task *t)
{
	pb_printf(b, "0::/\n");
	return 0;
}

/*
 * Where the task sleeps: Linux names the kernel function, or prints "0"
 * (no newline) when it may not be told; kernel symbols are not told here.
 */
static int wchan_show(struct proc_buf *b, struct task *t)
{
	pb_printf(b, "0");
	return 0;
}

#define PID_FILE(n, k, m, ...) \
	{ .name = n, .kind = k, .mode = S_IFREG | (m), __VA_ARGS__ }
#define PID_LINK(n, k, fn) \
	{ .name = n, .kind = k, .mode = S_IFLNK | 0777, .guarded = true, \
	  .link = fn }

static const struct proc_entry fd_dir_entry = {
	.name = "fd", .kind = PROC_PID_FD_DIR, .mode = S_IFDIR | 0500,
	.lookup = fd_dir_lookup, .readdir = fd_dir_readdir,
	.parent = proc_pid_subdir_parent,
};
static const struct proc_entry environ_entry = PID_FILE("environ",
	PROC_PID_ENVIRON, 0400, .guarded = true,
	.read = proc_pid_environ_read);
static const struct proc_entry status_entry = PID_FILE("status",
	PROC_PID_STATUS, 0444, .show = proc_pid_status_show);
static const struct proc_entry limits_entry = PID_FILE("limits",
	PROC_PID_LIMITS, 0444, .show = proc_pid_limits_show);
static const struct proc_entry comm_entry = PID_FILE("comm",
	PROC_PID_COMM, 0644, .show = proc_pid_comm_show,
	.write = proc_pid_comm_write);
static const struct proc_entry cmdline_entry = PID_FILE("cmdline",
	PROC_PID_CMDLINE, 0444, .read = proc_pid_cmdline_read);
static const struct proc_entry stat_entry = PID_FILE("stat",
	PROC_PID_STAT, 0444, .show = proc_pid_stat_show);
static const struct proc_entry tid_stat_entry = PID_FILE("stat",
	PROC_TID_STAT, 0444, .show = proc_tid_stat_show);
static const struct proc_entry statm_entry = PID_FILE("statm",
	PROC_PID_STATM, 0444, .show = proc_pid_statm_show);
static const struct proc_entry maps_entry = PID_FILE("maps",
	PROC_PID_MAPS, 0444, .guarded = true, .show = proc_pid_maps_show);
static const struct proc_entry children_entry = PID_FILE("children",
	PROC_TID_CHILDREN, 0444, .show = proc_tid_children_show);
static const struct proc_entry mounts_entry = PID_FILE("mounts",
	PROC_PID_MOUNTS, 0444, .show = proc_mounts_show);
static const struct proc_entry mountinfo_entry = PID_FILE("mountinfo",
	PROC_PID_MOUNTINFO, 0444, .show = proc_mountinfo_show);
static const struct proc_entry wchan_entry = PID_FILE("wchan",
	PROC_PID_WCHAN, 0444, .show = wchan_show);
static const struct proc_entry cgroup_entry = PID_FILE("cgroup",
	PROC_PID_CGROUP, 0444, .show = cgroup_show);
static const struct proc_entry oom_score_entry = PID_FILE("oom_score",
	PROC_PID_OOM_SCORE, 0444, .show = proc_pid_oom_score_show);
static const struct proc_entry oom_adj_entry = PID_FILE("oom_adj",
	PROC_PID_OOM_ADJ, 0644, .show = proc_pid_oom_adj_show,
	.write = proc_pid_oom_adj_write);
static const struct proc_entry oom_score_adj_entry = PID_FILE(
	"oom_score_adj", PROC_PID_OOM_SCORE_ADJ, 0644,
	.show = proc_pid_oom_score_adj_show,
	.write = proc_pid_oom_score_adj_write);
static const struct proc_entry io_entry = PID_FILE("io",
	PROC_PID_IO, 0400, .show = proc_pid_io_show);
static const struct proc_entry tid_io_entry = PID_FILE("io",
	PROC_TID_IO, 0400, .show = proc_tid_io_show);
static const struct proc_entry auxv_entry = PID_FILE("auxv",
	PROC_PID_AUXV, 0400, .fops = &proc_auxv_fops);
static const struct proc_entry personality_entry = PID_FILE("personality",
	PROC_PID_PERSONALITY, 0400, .show = proc_pid_personality_show);
static const struct proc_entry syscall_entry = PID_FILE("syscall",
	PROC_PID_SYSCALL, 0400, .show = proc_pid_syscall_show);
static const struct proc_entry mem_entry = PID_FILE("mem",
	PROC_PID_MEM, 0600, .fops = &proc_mem_fops);
static const struct proc_entry smaps_entry = PID_FILE("smaps",
	PROC_PID_SMAPS, 0444, .guarded = true, .show = proc_pid_smaps_show);
static const struct proc_entry smaps_rollup_entry = PID_FILE(
	"smaps_rollup", PROC_PID_SMAPS_ROLLUP, 0444, .guarded = true,
	.show = proc_pid_smaps_rollup_show);
static const struct proc_entry pagemap_entry = PID_FILE("pagemap",
	PROC_PID_PAGEMAP, 0400, .fops = &proc_pagemap_fops);
static const struct proc_entry stack_entry = PID_FILE("stack",
	PROC_PID_STACK, 0400, .show = proc_pid_stack_show);
static const struct proc_entry timens_offsets_entry = PID_FILE(
	"timens_offsets", PROC_PID_TIMENS_OFFSETS, 0644,
	.show = proc_pid_timens_offsets_show,
	.write = proc_pid_timens_offsets_write);
static const struct proc_entry timerslack_entry = PID_FILE(
	"timerslack_ns", PROC_PID_TIMERSLACK, 0666,
	.show = proc_pid_timerslack_show, .write = proc_pid_timerslack_write);
static const struct proc_entry sessionid_entry = PID_FILE("sessionid",
	PROC_PID_SESSIONID, 0444, .show = proc_pid_sessionid_show);
static const struct proc_entry loginuid_entry = PID_FILE("loginuid",
	PROC_PID_LOGINUID, 0644, .show = proc_pid_loginuid_show,
	.write = proc_pid_loginuid_write);
static const struct proc_entry coredump_filter_entry = PID_FILE(
	"coredump_filter", PROC_PID_COREDUMP_FILTER, 0644,
	.show = proc_pid_coredump_filter_show,
	.write = proc_pid_coredump_filter_write);
static const struct proc_entry uid_map_entry = PID_FILE("uid_map",
	PROC_PID_UID_MAP, 0644, .show = proc_pid_uid_map_show,
	.write = proc_pid_uid_map_write, .write_max = USERNS_MAP_WRITE_MAX);
static const struct proc_entry gid_map_entry = PID_FILE("gid_map",
	PROC_PID_GID_MAP, 0644, .show = proc_pid_gid_map_show,
	.write = proc_pid_gid_map_write, .write_max = USERNS_MAP_WRITE_MAX);
static const struct proc_entry projid_map_entry = PID_FILE("projid_map",
	PROC_PID_PROJID_MAP, 0644, .show = proc_pid_projid_map_show,
	.write = proc_pid_projid_map_write, .write_max = USERNS_MAP_WRITE_MAX);
static const struct proc_entry setgroups_entry = PID_FILE("setgroups",
	PROC_PID_SETGROUPS, 0644, .show = proc_pid_setgroups_show,
	.write = proc_pid_setgroups_write, .write_max = 8);
static const struct proc_entry cwd_entry =
	PID_LINK("cwd", PROC_PID_CWD, cwd_link);
static const struct proc_entry root_entry =
	PID_LINK("root", PROC_PID_ROOT, root_link);
static const struct proc_entry exe_entry =
	PID_LINK("exe", PROC_PID_EXE, exe_link);

/* In the order Linux lists them (fs/proc/base.c tgid_base_stuff). */
static const struct proc_entry *const pid_entries[] = {
	&proc_task_dir_entry, &fd_dir_entry, &proc_fdinfo_dir_entry,
	&proc_ns_dir_entry, &environ_entry, &auxv_entry, &status_entry, &personality_entry,
	&limits_entry, &comm_entry, &syscall_entry, &cmdline_entry,
	&stat_entry, &statm_entry, &maps_entry, &mem_entry, &cwd_entry,
	&root_entry, &exe_entry, &mounts_entry, &mountinfo_entry,
	&smaps_entry, &smaps_rollup_entry, &pagemap_entry, &wchan_entry,
	&stack_entry,
	&cgroup_entry, &oom_score_entry, &oom_adj_entry,
	&oom_score_adj_entry, &loginuid_entry, &sessionid_entry,
	&coredump_filter_entry, &io_entry, &uid_map_entry,
	&gid_map_entry, &projid_map_entry, &setgroups_entry,
	&timens_offsets_entry,
	&timerslack_entry, NULL,
};

/*
 * A thread's (tid_base_stuff): no task/, a children file, and stat and
 * io of the thread alone.
 */
static const struct proc_entry *const tid_entries[] = {
	&fd_dir_entry, &proc_fdinfo_dir_entry, &proc_ns_dir_entry,
	&environ_entry, &auxv_entry, &status_entry, &personality_entry, &limits_entry,
	&comm_entry, &syscall_entry, &cmdline_entry, &tid_stat_entry,
	&statm_entry, &maps_entry, &children_entry, &mem_entry, &cwd_entry,
	&root_entry, &exe_entry, &mounts_entry, &mountinfo_entry,
	&smaps_entry, &smaps_rollup_entry, &pagemap_entry, &wchan_entry,
	&stack_entry,
	&cgroup_entry, &oom_score_entry, &oom_adj_entry,
	&oom_score_adj_entry, &loginuid_entry, &sessionid_entry, &tid_io_entry,
	&uid_map_entry, &gid_map_entry, &projid_map_entry, &setgroups_entry,
	NULL,
};

/* The entries of a process's or a thread's directory. */
static const struct proc_entry *const *dir_entries(const struct inode *dir)
{
	return thread_view(dir) ? tid_entries : pid_entries;
}

static int pid_dir_lookup(struct inode *dir, const char *name,
			  struct inode **out)
{
	pid_t pid = proc_node(dir)->pid;

	if (!task_find(pid))
		return -ENOENT;
	return proc_lookup_table(dir, dir_entries(dir), pid, name, out);
}

static int pid_dir_readdir(struct inode *dir, struct dir_context *ctx)
{
	pid_t pid = proc_node(dir)->pid;
	struct task *t = task_find(pid);
	ino_t parent;

	if (!t)
		return -ENOENT;
	parent = thread_view(dir) ? proc_ino(PROC_PID_TASK_DIR, t->tgid, 0) :
				    dir->sb->root->ino;
	proc_readdir_table(ctx, dir->ino, parent, dir_entries(dir), pid,
			   proc_node(dir)->fd);
	return 0;
}

/* A process directory's parent is /proc itself. */
static int pid_dir_parent(struct inode *dir, struct inode **out)
{
	iget(dir->sb->root);
	*out = dir->sb->root;
	return 0;
}

/* A thread directory's is its process's task/. */
static int tid_dir_parent(struct inode *dir, struct inode **out)
{
	struct task *t = proc_node_task(dir);

	if (!t)
		return -ENOENT;
	*out = proc_inode_new(dir->sb, &proc_task_dir_entry, t->tgid, 0);
	return *out ? 0 : -ENOMEM;
}

const struct proc_entry proc_pid_dir_entry = {
	.name = "", .kind = PROC_PID_DIR, .mode = S_IFDIR | 0555,
	.lookup = pid_dir_lookup, .readdir = pid_dir_readdir,
	.parent = pid_dir_parent,
};

const struct proc_entry proc_tid_dir_entry = {
	.name = "", .kind = PROC_TID_DIR, .mode = S_IFDIR | 0555,
	.lookup = pid_dir_lookup, .readdir = pid_dir_readdir,
	.parent = tid_dir_parent,
};
