/*
 * The cgroup2 hierarchy (mount -t cgroup2): the root group alone, with
 * no controllers, so every task is in it. Its files are the core ones
 * Linux 6.1 puts on the root (cgroup.type, .events, .freeze and .kill
 * are never on the root): cgroup.procs and cgroup.threads list the
 * processes and threads and take a pid (moving a task into the group it
 * is in: a no-op), cgroup.controllers and cgroup.subtree_control are
 * empty, cgroup.stat counts no descendants, and cgroup.max.depth and
 * cgroup.max.descendants keep what is written. Child groups are not
 * supported: mkdir fails with EPERM.
 */
#include "sysfs.h"
#include <aramid/string.h>
#include <uapi/errno.h>

#define CG_MAX		0x7fffffff	/* "max": INT_MAX, as Linux */
#define PID_TEXT_MAX	12		/* "2147483647\n" */

/* The root group's limits (reset to "max" if the service restarts). */
static int max_depth = CG_MAX, max_descendants = CG_MAX;

static bool is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* @s without leading and trailing white space (Linux's strstrip). */
static char *strip(char *s)
{
	size_t n;

	while (is_space(*s))
		s++;
	n = strlen(s);
	while (n && is_space(s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* As Linux's kstrtoint(s, 0, out). */
static int parse_int(const char *s, int *out)
{
	long long v;
	int err = so_parse_ll(s, -CG_MAX - 1LL, CG_MAX, &v);

	if (!err)
		*out = (int)v;
	return err;
}

/* The text of every process (or thread) id, one a line, ascending. */
static int ids_show(struct sysfs_out *o, bool threads)
{
	for (pid_t id = task_next_id(1, threads, false); id > 0;
	     id = task_next_id(id + 1, threads, false))
		so_printf(o, "%d\n", id);
	return 0;
}

/* Room for every id (tasks come and go only while the caller sleeps). */
static size_t ids_size(bool threads)
{
	size_t n = 1;

	for (pid_t id = task_next_id(1, threads, false); id > 0;
	     id = task_next_id(id + 1, threads, false))
		n += PID_TEXT_MAX;
	return n;
}

/*
 * As Linux's cgroup_procs_write_start: one pid (0: the caller), which
 * must name a task: EINVAL for anything else, ESRCH for no such task.
 * Every task is in the root group already, so there is nothing to move.
 */
static int id_store(int index, char *buf, size_t len)
{
	int pid, err = parse_int(strip(buf), &pid);

	if (err || pid < 0)
		return -EINVAL;
	if (pid && task_next_id(pid, true, true) != pid)
		return -ESRCH;
	return 0;
}

static int procs_show(struct sysfs_out *o, int index)
{
	return ids_show(o, false);
}

static size_t procs_size(int index)
{
	return ids_size(false);
}

static int threads_show(struct sysfs_out *o, int index)
{
	return ids_show(o, true);
}

static size_t threads_size(int index)
{
	return ids_size(true);
}

/* No controllers: an empty line, as Linux prints an empty mask. */
static int no_controllers_show(struct sysfs_out *o, int index)
{
	so_printf(o, "\n");
	return 0;
}

/*
 * As cgroup_subtree_control_write: "+name" and "-name" tokens, each of
 * which must name a controller; there are none, so only blanks pass.
 */
static int subtree_control_store(int index, char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!is_space(buf[i]))
			return -EINVAL;
	return 0;
}

static int stat_show(struct sysfs_out *o, int index)
{
	so_printf(o, "nr_descendants 0\nnr_dying_descendants 0\n");
	return 0;
}

static void limit_print(struct sysfs_out *o, int v)
{
	if (v == CG_MAX)
		so_printf(o, "max\n");
	else
		so_printf(o, "%d\n", v);
}

/* As cgroup_max_depth_write: "max" or a count, at least 0, into *@v. */
static int limit_parse(char *buf, int *v)
{
	char *s = strip(buf);
	int n, err;

	if (!strcmp(s, "max")) {
		*v = CG_MAX;
		return 0;
	}
	err = parse_int(s, &n);
	if (err)
		return err;
	if (n < 0)
		return -EINVAL;
	*v = n;
	return 0;
}

static int max_depth_show(struct sysfs_out *o, int index)
{
	limit_print(o, max_depth);
	return 0;
}

static int max_depth_store(int index, char *buf, size_t len)
{
	return limit_parse(buf, &max_depth);
}

static int max_descendants_show(struct sysfs_out *o, int index)
{
	limit_print(o, max_descendants);
	return 0;
}

static int max_descendants_store(int index, char *buf, size_t len)
{
	return limit_parse(buf, &max_descendants);
}

static const struct sysfs_entry controllers =
	SYSFS_RO("cgroup.controllers", no_controllers_show);
static const struct sysfs_entry max_depth_file = SYSFS_RW("cgroup.max.depth",
	max_depth_show, max_depth_store);
static const struct sysfs_entry max_descendants_file =
	SYSFS_RW("cgroup.max.descendants", max_descendants_show,
		 max_descendants_store);
static const struct sysfs_entry procs = {
	.name = "cgroup.procs", .mode = S_IFREG | 0644, .show = procs_show,
	.store = id_store, .size = procs_size,
};
static const struct sysfs_entry stat = SYSFS_RO("cgroup.stat", stat_show);
static const struct sysfs_entry subtree_control =
	SYSFS_RW("cgroup.subtree_control", no_controllers_show,
		 subtree_control_store);
static const struct sysfs_entry threads = {
	.name = "cgroup.threads", .mode = S_IFREG | 0644, .show = threads_show,
	.store = id_store, .size = threads_size,
};

static const struct sysfs_entry cgroup_root = SYSFS_DIR("/",
	SYSFS_CHILDREN(&controllers, &max_depth_file, &max_descendants_file,
		       &procs, &stat, &subtree_control, &threads));

const struct sysfs_tree cgroup_tree = {
	.root = &cgroup_root, .magic = CGROUP2_SUPER_MAGIC, .file_size = 0,
};
