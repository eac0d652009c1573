/*
 * The /proc directory: the system files, the self link, and one
 * directory per live task, listed in pid order after the fixed entries
 * (positions from ROOT_PID_POS + pid, so a listing resumes correctly
 * while tasks come and go).
 */
#include "procfs.h"
#include <aramid/string.h>
#include <uapi/errno.h>

#define ROOT_PID_POS	256	/* Linux's FIRST_PROCESS_ENTRY */

/* "/proc/mounts" is "self/mounts", as on Linux. */
static ssize_t mounts_link(struct task *t, int fd, const struct pid_ns *ns,
			       char *buf, size_t len)
{
	static const char target[] = "self/mounts";
	size_t n = MIN(len, sizeof(target) - 1);

	memcpy(buf, target, n);
	return (ssize_t)n;
}

#define SYS_FILE(n, k, fn) \
	{ .name = n, .kind = k, .mode = S_IFREG | 0444, .show = fn }

static const struct proc_entry self_entry = {
	.name = "self", .kind = PROC_SELF, .mode = S_IFLNK | 0777,
	.link = proc_self_link,
};
static const struct proc_entry thread_self_entry = {
	.name = "thread-self", .kind = PROC_THREAD_SELF,
	.mode = S_IFLNK | 0777, .link = proc_thread_self_link,
};
static const struct proc_entry mounts_entry = {
	.name = "mounts", .kind = PROC_MOUNTS_LINK, .mode = S_IFLNK | 0777,
	.link = mounts_link,
};
static const struct proc_entry meminfo_entry =
	SYS_FILE("meminfo", PROC_MEMINFO, proc_meminfo_show);
static const struct proc_entry cpuinfo_entry =
	SYS_FILE("cpuinfo", PROC_CPUINFO, proc_cpuinfo_show);
static const struct proc_entry uptime_entry =
	SYS_FILE("uptime", PROC_UPTIME, proc_uptime_show);
static const struct proc_entry loadavg_entry =
	SYS_FILE("loadavg", PROC_LOADAVG, proc_loadavg_show);
static const struct proc_entry stat_entry =
	SYS_FILE("stat", PROC_STAT, proc_stat_show);
static const struct proc_entry version_entry =
	SYS_FILE("version", PROC_VERSION, proc_version_show);
static const struct proc_entry cmdline_entry =
	SYS_FILE("cmdline", PROC_CMDLINE, proc_cmdline_show);
static const struct proc_entry vmstat_entry =
	SYS_FILE("vmstat", PROC_VMSTAT, proc_vmstat_show);
static const struct proc_entry locks_entry =
	SYS_FILE("locks", PROC_LOCKS, proc_locks_show);
static const struct proc_entry filesystems_entry =
	SYS_FILE("filesystems", PROC_FILESYSTEMS, proc_filesystems_show);
static const struct proc_entry partitions_entry =
	SYS_FILE("partitions", PROC_PARTITIONS, proc_partitions_show);
static const struct proc_entry diskstats_entry =
	SYS_FILE("diskstats", PROC_DISKSTATS, proc_diskstats_show);
static const struct proc_entry swaps_entry =
	SYS_FILE("swaps", PROC_SWAPS, proc_swaps_show);

static const struct proc_entry sysrq_entry = {
	.name = "sysrq-trigger", .kind = PROC_SYSRQ_TRIGGER,
	.mode = S_IFREG | 0200, .write = proc_sysrq_write,
};

static const struct proc_entry *const root_entries[] = {
	&cmdline_entry, &cpuinfo_entry, &proc_devices_entry,
	&proc_driver_dir_entry, &diskstats_entry, &filesystems_entry, &proc_key_users_entry,
	&proc_keys_entry, &loadavg_entry,
	&locks_entry, &meminfo_entry, &mounts_entry, &partitions_entry,
	&proc_net_dir_entry,
	&stat_entry, &swaps_entry, &proc_sys_dir_entry, &sysrq_entry,
	&proc_sysvipc_dir_entry, &uptime_entry, &version_entry, &vmstat_entry,
	&self_entry, &thread_self_entry, NULL,
};

static int root_lookup(struct inode *dir, const char *name,
		       struct inode **out)
{
	long pid = proc_parse_num(name);

	struct task *t;

	if (pid < 0)
		return proc_lookup_table(dir, root_entries, 0, name, out);
	t = pid <= INT32_MAX ? task_find_ns((pid_t)pid, proc_sb_ns(dir->sb)) :
			       NULL;
	if (!t)
		return -ENOENT;
	*out = proc_inode_new(dir->sb, &proc_pid_dir_entry, t->pid, 0);
	return *out ? 0 : -ENOMEM;
}

/*
 * The lowest process id at least @from in @ns, or 0, and its process's
 * kernel number in *@kpid. Only processes are listed, as on Linux; a
 * thread's /proc/<tid> is still found by lookup.
 */
static pid_t next_pid(const struct pid_ns *ns, long from, pid_t *kpid)
{
	pid_t best = 0;
	struct task *t;

	for_each_task(t) {
		pid_t nr = t->pid == t->tgid ? task_nr_ns(t, ns) : 0;

		if (nr > 0 && nr >= from && (!best || nr < best)) {
			best = nr;
			*kpid = t->pid;
		}
	}
	return best;
}

static int root_readdir(struct inode *dir, struct dir_context *ctx)
{
	char name[16];
	pid_t pid, kpid = 0;

	if (ctx->pos < ROOT_PID_POS) {
		if (!proc_readdir_table(ctx, dir->ino, dir->ino, root_entries,
					0, 0))
			return 0;
		ctx->pos = ROOT_PID_POS;
	}
	while ((pid = next_pid(proc_sb_ns(dir->sb), ctx->pos - ROOT_PID_POS,
			       &kpid)) > 0) {
		int n = snprintf(name, sizeof(name), "%d", pid);

		ctx->pos = ROOT_PID_POS + pid;
		if (!ctx->emit(ctx, name, (size_t)n,
			       proc_pid_dir_ino(kpid), DT_DIR))
			return 0;
		ctx->pos = ROOT_PID_POS + pid + 1;
	}
	return 0;
}

/* /proc is the root of its filesystem: its own parent. */
static int root_parent(struct inode *dir, struct inode **out)
{
	iget(dir);
	*out = dir;
	return 0;
}

const struct proc_entry proc_root_entry = {
	.name = "/", .kind = PROC_ROOT, .mode = S_IFDIR | 0555,
	.lookup = root_lookup, .readdir = root_readdir,
	.parent = root_parent,
};
