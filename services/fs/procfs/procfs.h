/*
 * Private interfaces of the proc filesystem service (services/fs/procfs/):
 * the table entries that describe every /proc node, the inodes built
 * from them on demand, and the text buffer file contents are generated
 * into. Everything in /proc is made from kernel state when it is read.
 */
#pragma once
#include <svc/introspect.h>

#define PROC_SUPER_MAGIC	0x9fa0

/* Resource limit indexes, as Linux numbers them. */

/*
 * proc_node.fd of a thread's directory under /proc/<pid>/task and of
 * the nodes below it: their view is of the thread, not of its process.
 */
#define PROC_TID_VIEW		1

/* Generated text: grows as needed; a failed allocation sticks as -ENOMEM. */
struct proc_buf {
	char *data;
	size_t len, cap;
	int error;
	const struct pid_ns *ns;	/* the mount's: the pids it shows */
};

/*
 * The PID namespace of the task that mounted @sb (Linux's proc_pid_ns):
 * the one whose numbers its names and files show.
 */
static inline const struct pid_ns *proc_sb_ns(const struct super_block *sb)
{
	return sb->priv;
}

void pb_init(struct proc_buf *b);
void pb_free(struct proc_buf *b);
void pb_printf(struct proc_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void pb_write(struct proc_buf *b, const void *data, size_t len);
/* Append @s with space, tab, newline and backslash as octal escapes. */
void pb_mangle(struct proc_buf *b, const char *s);

/*
 * One kind of /proc node. @kind is unique per entry and goes into the
 * inode number with the pid (and fd), so a node keeps its number across
 * lookups. Exactly one group of operations is set, by the type in @mode.
 */
struct proc_entry {
	const char *name;
	unsigned kind;
	mode_t mode;
	/*
	 * Opened, looked into or followed only if ptrace_may_access lets
	 * the caller inspect the task (Linux's proc_mem_open,
	 * proc_fd_access_allowed, proc_fdinfo_permission): else EACCES.
	 */
	bool guarded;
	/* Regular file: append the whole content (@t NULL: system file). */
	int (*show)(struct proc_buf *b, struct task *t);
	/* Regular file read straight from its source at *@pos instead. */
	ssize_t (*read)(struct task *t, struct uio *uio, off_t *pos);
	/* Writable file: take @len bytes (kernel memory); 0 or -errno. */
	int (*write)(struct task *t, const char *buf, size_t len);
	/*
	 * Nonzero: the file takes one write of fewer than @write_max
	 * bytes at offset 0, whole (else EINVAL, as Linux's map_write),
	 * NUL-terminated, instead of the first PROC_WRITE_MAX bytes.
	 */
	size_t write_max;
	/* Or, for a per-descriptor file (fdinfo), of descriptor @fd: */
	int (*show_fd)(struct proc_buf *b, struct task *t, int fd);
	/* Or, for one of a family of files told apart by node->fd: */
	int (*show_at)(struct proc_buf *b, int index);
	int (*write_at)(int index, const char *buf, size_t len);
	/*
	 * Symlink: the target into @buf (no NUL); its length or -errno.
	 * @ns: the PID namespace of the mount, whose numbers it shows.
	 */
	ssize_t (*link)(struct task *t, int fd, const struct pid_ns *ns,
			char *buf, size_t len);
	/* Directory: find @name / list entries from ctx->pos. */
	int (*lookup)(struct inode *dir, const char *name, struct inode **out);
	int (*readdir)(struct inode *dir, struct dir_context *ctx);
	/* Directory: its parent within /proc (new reference). */
	int (*parent)(struct inode *dir, struct inode **out);
	/* Regular file with its own file operations instead of the above. */
	const struct file_ops *fops;
};

/* What a procfs inode stands for (inode->priv). */
struct proc_node {
	const struct proc_entry *entry;
	pid_t pid;		/* 0 for system nodes */
	int fd;			/* the descriptor of a /proc/<pid>/fd link
				 * or fdinfo file, which node of a family
				 * (/proc/sys), or PROC_TID_VIEW */
};

/* Entry kinds (inode number bits 16..31). */
enum {
	PROC_ROOT = 1,
	PROC_SELF,
	PROC_MOUNTS_LINK,
	PROC_MEMINFO,
	PROC_CPUINFO,
	PROC_UPTIME,
	PROC_LOADAVG,
	PROC_STAT,
	PROC_VERSION,
	PROC_CMDLINE,
	PROC_FILESYSTEMS,
	PROC_PARTITIONS,
	PROC_DISKSTATS,
	PROC_SYSRQ_TRIGGER,
	PROC_SWAPS,
	PROC_PID_DIR,
	PROC_PID_FD_DIR,
	PROC_PID_FD_LINK,
	PROC_PID_ENVIRON,
	PROC_PID_STATUS,
	PROC_PID_COMM,
	PROC_PID_CMDLINE,
	PROC_PID_STAT,
	PROC_PID_STATM,
	PROC_PID_MAPS,
	PROC_PID_CWD,
	PROC_PID_ROOT,
	PROC_PID_EXE,
	PROC_PID_MOUNTS,
	PROC_PID_CGROUP,
	PROC_PID_TASK_DIR,
	PROC_TID_DIR,
	PROC_TID_STAT,
	PROC_TID_CHILDREN,
	PROC_TID_IO,
	PROC_PID_FDINFO_DIR,
	PROC_PID_FDINFO,
	PROC_PID_LIMITS,
	PROC_PID_MOUNTINFO,
	PROC_PID_WCHAN,
	PROC_PID_OOM_SCORE,
	PROC_PID_OOM_ADJ,
	PROC_PID_OOM_SCORE_ADJ,
	PROC_PID_IO,
	PROC_VMSTAT,
	PROC_LOCKS,
	PROC_NET_DIR,
	PROC_NET_DEV,
	PROC_NET_ROUTE,
	PROC_NET_ARP,
	PROC_NET_TCP,
	PROC_NET_UDP,
	PROC_NET_RAW,
	PROC_NET_TCP6,
	PROC_NET_IF_INET6,
	PROC_NET_UDP6,
	PROC_NET_RAW6,
	PROC_NET_UNIX,
	PROC_NET_PSCHED,
	PROC_SYSVIPC_DIR,
	PROC_SYSVIPC_SHM,
	PROC_SYSVIPC_SEM,
	PROC_SYSVIPC_MSG,
	PROC_SYS_DIR,
	PROC_SYS_FILE_RO,
	PROC_SYS_FILE_RW,
	PROC_PID_AUXV,
	PROC_PID_PERSONALITY,
	PROC_PID_SYSCALL,
	PROC_PID_MEM,
	PROC_PID_SMAPS,
	PROC_PID_SMAPS_ROLLUP,
	PROC_PID_PAGEMAP,
	PROC_PID_STACK,
	PROC_PID_TIMERSLACK,
	PROC_PID_SESSIONID,
	PROC_PID_LOGINUID,
	PROC_PID_COREDUMP_FILTER,
	PROC_PID_UID_MAP,
	PROC_PID_GID_MAP,
	PROC_PID_SETGROUPS,
	PROC_PID_PROJID_MAP,
	PROC_THREAD_SELF,
	PROC_DEVICES,
	PROC_DRIVER_DIR,
	PROC_DRIVER_RTC,
	PROC_KEYS,
	PROC_KEY_USERS,
	PROC_PID_NS_DIR,
	PROC_PID_NS_UTS,
	PROC_PID_NS_MNT,
	PROC_PID_NS_PID,
	PROC_PID_NS_PID_CHILDREN,
	PROC_PID_NS_IPC,
	PROC_PID_NS_TIME,
	PROC_PID_NS_TIME_CHILDREN,
	PROC_PID_TIMENS_OFFSETS,
	PROC_PID_NS_USER,
	PROC_SYS_FILE_WO,
};

/* inode.c: nodes and their inodes. */
extern const struct proc_entry proc_root_entry;
/*
 * A new inode (refcount 1) for @e of task @pid (0: system node) and
 * descriptor @fd; NULL when memory is short.
 */
struct inode *proc_inode_new(struct super_block *sb,
			     const struct proc_entry *e, pid_t pid, int fd);
static inline struct proc_node *proc_node(const struct inode *inode)
{
	return inode->priv;
}
/* The task a per-task node belongs to; NULL once it has been reaped. */
struct task *proc_node_task(const struct inode *inode);
/*
 * Look @name up in the NULL-terminated table @entries for task @pid; the
 * new node inherits @dir's proc_node.fd (its thread view).
 */
int proc_lookup_table(struct inode *dir, const struct proc_entry *const *e,
		      pid_t pid, const char *name, struct inode **out);
/*
 * Emit "." (@self_ino), ".." (@parent_ino), then @entries of @pid (node
 * fd @fd) from ctx->pos (positions 0, 1, 2...). Returns false if the
 * caller's buffer filled.
 */
bool proc_readdir_table(struct dir_context *ctx, ino_t self_ino,
			ino_t parent_ino, const struct proc_entry *const *e,
			pid_t pid, int fd);
/* The inode number of entry @kind for @pid and @fd. */
static inline ino_t proc_ino(unsigned kind, pid_t pid, int fd)
{
	return ((ino_t)(uint32_t)pid << 32) | ((ino_t)kind << 16) |
	       (ino_t)(fd & 0xffff);
}
/*
 * The inode number of /proc/@pid: proc_ino's with the process's start
 * time folded into the low bits, so that a later process given the same
 * pid has another, as Linux numbers each pid's directory afresh.
 */
ino_t proc_pid_dir_ino(pid_t pid);
/*
 * Linux's kstrtoull for what is written to a /proc file (proc_parse.c):
 * @len bytes of @buf in @base (0: by prefix). 0, -EINVAL or -ERANGE.
 */
int proc_kstrtoull(const char *buf, size_t len, unsigned base, uint64_t *out);
/* Parse a decimal name ("123") without sign or leading zero; -1 if not. */
long proc_parse_num(const char *name);
extern const struct inode_ops proc_dir_iops, proc_file_iops, proc_link_iops;
extern const struct file_ops proc_dir_fops, proc_file_fops;

/* net.c: /proc/net. */
extern const struct proc_entry proc_net_dir_entry;
/*
 * Append the text @gen makes of the file @name (a ring-1 generator, as
 * net_proc_show), growing the buffer until the text fits: 0 or -errno.
 */
int proc_show_generated(struct proc_buf *b, const char *name,
			ssize_t (*gen)(const char *name, char *buf,
				       size_t size));

/* proc_sysvipc.c: /proc/sysvipc. */
extern const struct proc_entry proc_sysvipc_dir_entry;

/* proc_devices.c: /proc/devices and /proc/driver (rtc). */
extern const struct proc_entry proc_devices_entry, proc_driver_dir_entry;

/* proc_keys.c: /proc/keys and /proc/key-users. */
extern const struct proc_entry proc_keys_entry, proc_key_users_entry;

/* proc_sys.c: /proc/sys, the kernel's tunables. */
extern const struct proc_entry proc_sys_dir_entry;

/* pid_ns.c: /proc/<pid>/ns, the task's namespaces. */
extern const struct proc_entry proc_ns_dir_entry;

/* pid.c: /proc/<pid> and /proc/<pid>/task/<tid>, /proc/<pid>/fd. */
extern const struct proc_entry proc_pid_dir_entry, proc_tid_dir_entry;
/*
 * The directory a per-task subdirectory (fd, fdinfo, task) is in:
 * /proc/<pid>, or /proc/<pid>/task/<tid> in the thread view. The inode
 * number, or a new inode into *@out (0 or -ENOMEM).
 */
ino_t proc_pid_subdir_parent_ino(const struct inode *dir);
int proc_pid_subdir_parent(struct inode *dir, struct inode **out);

/*
 * The fd/ and fdinfo/ directories: look up descriptor @name of the
 * directory's task as a new @e node (0, -ENOENT, -ENOMEM), and list the
 * open descriptors as @kind nodes of d_type @dtype.
 */
int proc_fd_dir_lookup(struct inode *dir, const char *name,
		       const struct proc_entry *e, struct inode **out);
int proc_fd_dir_readdir(struct inode *dir, struct dir_context *ctx,
			unsigned kind, unsigned dtype);

/* pid_task.c: /proc/<pid>/task, a directory per thread. */
extern const struct proc_entry proc_task_dir_entry;
/* The children of thread @t, "pid " each (tid/children). */
int proc_tid_children_show(struct proc_buf *b, struct task *t);

/* pid_fdinfo.c: /proc/<pid>/fdinfo. */
extern const struct proc_entry proc_fdinfo_dir_entry;

/* pid_limits.c: limits, io, oom_score, oom_adj, oom_score_adj. */
int proc_pid_limits_show(struct proc_buf *b, struct task *t);
int proc_pid_io_show(struct proc_buf *b, struct task *t);
int proc_tid_io_show(struct proc_buf *b, struct task *t);
int proc_pid_oom_score_show(struct proc_buf *b, struct task *t);
int proc_pid_oom_adj_show(struct proc_buf *b, struct task *t);
int proc_pid_oom_adj_write(struct task *t, const char *buf, size_t len);
int proc_pid_oom_score_adj_show(struct proc_buf *b, struct task *t);
int proc_pid_oom_score_adj_write(struct task *t, const char *buf,
				 size_t len);
/* /proc/self: "<tgid>" of the caller; its length, or -ENOENT. */
ssize_t proc_self_link(struct task *t, int fd, const struct pid_ns *ns,
			       char *buf, size_t len);
/* /proc/thread-self: "<tgid>/task/<tid>" of the caller. */
ssize_t proc_thread_self_link(struct task *t, int fd, const struct pid_ns *ns,
			       char *buf, size_t len);

/* pid_stat.c, pid_mem.c: per-task files. */
int proc_pid_stat_show(struct proc_buf *b, struct task *t);
int proc_tid_stat_show(struct proc_buf *b, struct task *t);
int proc_pid_statm_show(struct proc_buf *b, struct task *t);
int proc_pid_status_show(struct proc_buf *b, struct task *t);
int proc_pid_comm_show(struct proc_buf *b, struct task *t);
int proc_pid_comm_write(struct task *t, const char *buf, size_t len);
int proc_pid_maps_show(struct proc_buf *b, struct task *t);
/* Linux pads a maps name to column 73: seq_setwidth(25 + 6 * 8 - 1). */
#define PROC_MAPS_NAME_COL	72
/* One area of maps, copied out of the vma list so naming may sleep. */
struct map_line {
	uintptr_t start, end;
	unsigned prot, flags;
	uint64_t pgoff;
	bool shared_anon;
	bool heap;		/* anonymous and meeting [brk_start, brk] */
	struct file *file;	/* with a reference, or NULL */
	struct vma_pages pages;	/* if asked for */
};
/*
 * The areas of @t's address space into a new array *@out of *@count
 * (with their pages counted if @pages): 0 or -ENOMEM. Does not sleep;
 * free with proc_map_lines_free.
 */
int proc_map_lines(struct task *t, bool pages, struct map_line **out,
		   size_t *count);
void proc_map_lines_free(struct map_line *lines, size_t n);
/* Append @l's maps line; @name is a PATH_MAX scratch buffer. */
void proc_maps_line(struct proc_buf *b, const struct map_line *l, char *name);
/* pid_ns.c: timens_offsets, of the task's children's time namespace. */
int proc_pid_timens_offsets_show(struct proc_buf *b, struct task *t);
int proc_pid_timens_offsets_write(struct task *t, const char *buf,
				  size_t len);

/* pid_trace.c: personality, syscall, stack and timerslack_ns. */
int proc_pid_personality_show(struct proc_buf *b, struct task *t);
int proc_pid_syscall_show(struct proc_buf *b, struct task *t);
int proc_pid_stack_show(struct proc_buf *b, struct task *t);
int proc_pid_timerslack_show(struct proc_buf *b, struct task *t);
int proc_pid_timerslack_write(struct task *t, const char *buf, size_t len);
/*
 * pid_userns.c: uid_map, gid_map and projid_map of the task's user
 * namespace as the reader's namespace sees them, and setgroups ("allow"
 * or "deny"), written once as Linux's rules say (user_ns_map.c);
 * sessionid and loginuid (the task's audit session and login uid).
 */
int proc_pid_uid_map_show(struct proc_buf *b, struct task *t);
int proc_pid_gid_map_show(struct proc_buf *b, struct task *t);
int proc_pid_projid_map_show(struct proc_buf *b, struct task *t);
int proc_pid_uid_map_write(struct task *t, const char *buf, size_t len);
int proc_pid_gid_map_write(struct task *t, const char *buf, size_t len);
int proc_pid_projid_map_write(struct task *t, const char *buf, size_t len);
int proc_pid_setgroups_show(struct proc_buf *b, struct task *t);
int proc_pid_setgroups_write(struct task *t, const char *buf, size_t len);
int proc_pid_sessionid_show(struct proc_buf *b, struct task *t);
int proc_pid_loginuid_show(struct proc_buf *b, struct task *t);
int proc_pid_loginuid_write(struct task *t, const char *buf, size_t len);
/*
 * coredump_filter (pid_limits.c): the bits of the process's address
 * space, "%08x"; a write (Linux's kstrtouint base 0) keeps the low
 * COREDUMP_FILTER_BITS. A task without memory shows and takes nothing.
 */
int proc_pid_coredump_filter_show(struct proc_buf *b, struct task *t);
int proc_pid_coredump_filter_write(struct task *t, const char *buf, size_t len);
/* pid_memfile.c: mem and auxv, bound to an address space at open. */
extern const struct file_ops proc_mem_fops, proc_auxv_fops, proc_pagemap_fops;
/* pid_smaps.c: smaps and smaps_rollup. */
int proc_pid_smaps_show(struct proc_buf *b, struct task *t);
int proc_pid_smaps_rollup_show(struct proc_buf *b, struct task *t);
ssize_t proc_pid_cmdline_read(struct task *t, struct uio *uio, off_t *pos);
ssize_t proc_pid_environ_read(struct task *t, struct uio *uio, off_t *pos);

/* sysinfo.c: system-wide files. */
int proc_meminfo_show(struct proc_buf *b, struct task *t);
int proc_uptime_show(struct proc_buf *b, struct task *t);
int proc_loadavg_show(struct proc_buf *b, struct task *t);
int proc_stat_show(struct proc_buf *b, struct task *t);
int proc_version_show(struct proc_buf *b, struct task *t);
int proc_cmdline_show(struct proc_buf *b, struct task *t);
int proc_swaps_show(struct proc_buf *b, struct task *t);
/* proc_vmstat.c, proc_locks.c */
int proc_vmstat_show(struct proc_buf *b, struct task *t);
int proc_locks_show(struct proc_buf *b, struct task *t);
/* A lock as /proc/locks and fdinfo print it, after "@id: ". */
void proc_lock_line(struct proc_buf *b, int id, const struct lock_info *li);
int proc_sysrq_write(struct task *t, const char *buf, size_t len);
/* Resident and committed memory of all processes, in kB. */
void proc_process_memory(unsigned long *rss_kb, unsigned long *commit_kb);

/* cpuinfo.c: /proc/cpuinfo from CPUID. */
int proc_cpuinfo_show(struct proc_buf *b, struct task *t);
/* Note the CPU's cycle counter at start-up, to measure its clock rate. */
void proc_cpuinfo_init(void);

/* mounts.c */
int proc_mounts_show(struct proc_buf *b, struct task *t);
/* The mount table with ids and devices, as Linux's show_mountinfo. */
int proc_mountinfo_show(struct proc_buf *b, struct task *t);
int proc_filesystems_show(struct proc_buf *b, struct task *t);
/* /proc/partitions and /proc/diskstats (partitions.c). */
int proc_partitions_show(struct proc_buf *b, struct task *t);
int proc_diskstats_show(struct proc_buf *b, struct task *t);

/* The procfs service: it keeps no state a fault could spoil, so it restarts. */
extern struct service procfs_service;
