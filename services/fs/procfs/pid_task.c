/*
 * /proc/<pid>/task: a directory per thread of the process, named by its
 * thread id and listed in tid order (positions 2 + tid), each a thread
 * view of the per-task files (pid.c's tid_entries); and a thread's
 * children file.
 */
#include "procfs.h"
#include <aramid/string.h>
#include <uapi/errno.h>

/*
 * The lowest tid in @ns at least @from in process @tgid, or 0, and the
 * thread's kernel number in *@ktid.
 */
static pid_t next_tid(const struct pid_ns *ns, pid_t tgid, long from,
		      pid_t *ktid)
{
	pid_t best = 0;
	struct task *t;

	for_each_task(t) {
		pid_t nr = t->tgid == tgid ? task_nr_ns(t, ns) : 0;

		if (nr > 0 && nr >= from && (!best || nr < best)) {
			best = nr;
			*ktid = t->pid;
		}
	}
	return best;
}

static int task_dir_lookup(struct inode *dir, const char *name,
			   struct inode **out)
{
	struct task *p = proc_node_task(dir), *t;
	long tid = proc_parse_num(name);

	if (!p || tid < 0 || tid > INT32_MAX)
		return -ENOENT;
	t = task_find_ns((pid_t)tid, proc_sb_ns(dir->sb));
	if (!t || t->tgid != p->tgid)
		return -ENOENT;
	*out = proc_inode_new(dir->sb, &proc_tid_dir_entry, t->pid,
			      PROC_TID_VIEW);
	return *out ? 0 : -ENOMEM;
}

static int task_dir_readdir(struct inode *dir, struct dir_context *ctx)
{
	static const struct proc_entry *const none[] = { NULL };
	struct task *p = proc_node_task(dir);
	pid_t tgid, tid, ktid = 0;
	char name[16];

	if (!p)
		return -ENOENT;
	tgid = p->tgid;
	if (!proc_readdir_table(ctx, dir->ino, proc_pid_subdir_parent_ino(dir),
				none, 0, 0))
		return 0;
	while ((tid = next_tid(proc_sb_ns(dir->sb), tgid, ctx->pos - 2,
			       &ktid)) > 0) {
		int n = snprintf(name, sizeof(name), "%d", tid);

		ctx->pos = tid + 2;
		if (!ctx->emit(ctx, name, (size_t)n,
			       proc_ino(PROC_TID_DIR, ktid, PROC_TID_VIEW),
			       DT_DIR))
			return 0;
		ctx->pos = tid + 3;
	}
	return 0;
}

const struct proc_entry proc_task_dir_entry = {
	.name = "task", .kind = PROC_PID_TASK_DIR, .mode = S_IFDIR | 0555,
	.lookup = task_dir_lookup, .readdir = task_dir_readdir,
	.parent = proc_pid_subdir_parent,
};

/*
 * As Linux's children file: the pid of each child process @t made, a
 * space after each, no newline. Children belong to the process's leader
 * here, so other threads list none.
 */
int proc_tid_children_show(struct proc_buf *b, struct task *t)
{
	struct task *c;

	for_each_task(c) {
		if (c->parent == t && c->pid == c->tgid &&
		    task_nr_ns(c, b->ns))
			pb_printf(b, "%d ", task_nr_ns(c, b->ns));
	}
	return 0;
}
