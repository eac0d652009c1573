/*
 * The kernel's tunables as /proc/sys shows them (procfs renders the tree
 * from this table through include/svc/introspect.h): each a path under
 * /proc/sys, a mode, and how its text is made and, if writable, taken:
 * a constant, a pair of functions, or a number kept in a variable (an
 * int within bounds or an unsigned long, as Linux's proc_dointvec_minmax
 * and proc_doulongvec_minmax; a global one, or one of the caller's IPC
 * namespace's tunables), written only with the power its entry
 * names, if any. Values and formats are Linux 6.1's; those with no
 * mechanism behind them here are Linux's defaults, read-only. Process
 * context.
 */
#include <svc/introspect.h>
#include <svc/random.h>
#include <svc/task.h>
#include <kernel/aio.h>
#include <kernel/coredump.h>
#include <kernel/ipc.h>
#include <kernel/task.h>
#include <kernel/keys.h>
#include <kernel/mm.h>
#include <kernel/page_cache.h>
#include <platform/printk.h>
#include <kernel/fsnotify.h>
#include <kernel/klog.h>
#include <kernel/pipe.h>
#include <kernel/vfs.h>
#include <kernel/uts_ns.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include "sysctl.h"

struct sysctl {
	const char *path;
	mode_t mode;
	const char *fixed;			/* a constant value, or */
	int (*show)(char *buf, size_t size);	/* its length or -errno */
	int (*store)(const char *buf, size_t len);	/* 0 or -errno, or */
	void *num;			/* an int or an unsigned long, or */
	void *(*base)(void);		/* what holds it, at offset @off */
	size_t off;
	bool ulong;			/* *num is an unsigned long, any value */
	int min, max;			/* an int's bounds */
	bool (*may_store)(void);	/* the power a write needs, if any */
};

/* See sysctl.h. */
int show_text(char *buf, size_t size, const char *value)
{
	size_t n = strlen(value);

	if (n + 1 > size)
		return -EFBIG;
	memcpy(buf, value, n);
	buf[n] = '\n';
	return (int)n + 1;
}

static int show_int(char *buf, size_t size, int v)
{
	char t[16];

	snprintf(t, sizeof(t), "%d", v);
	return show_text(buf, size, t);
}

static int show_ulong(char *buf, size_t size, unsigned long v)
{
	char t[24];

	snprintf(t, sizeof(t), "%lu", v);
	return show_text(buf, size, t);
}

/*
 * As Linux's proc_dostring: the first line of @len bytes, at most
 * UTS_LEN - 1 of it kept, into @dst (zero-filled).
 */
static int store_uts(char *dst, const char *buf, size_t len)
{
	size_t n = 0;

	while (n < len && n < UTS_LEN - 1 && buf[n] != '\n' && buf[n])
		n++;
	memset(dst, 0, UTS_LEN);
	memcpy(dst, buf, n);
	return 0;
}

static int hostname_show(char *buf, size_t size)
{
	return show_text(buf, size, current_utsname()->nodename);
}

static int hostname_store(const char *buf, size_t len)
{
	return store_uts(current_utsname()->nodename, buf, len);
}

static int domainname_show(char *buf, size_t size)
{
	return show_text(buf, size, current_utsname()->domainname);
}

static int domainname_store(const char *buf, size_t len)
{
	return store_uts(current_utsname()->domainname, buf, len);
}

static int core_pattern_show(char *buf, size_t size)
{
	return show_text(buf, size, core_pattern);
}

/* As Linux's proc_dostring: the first line, CORE_PATTERN_MAX - 1 kept. */
static int core_pattern_store(const char *buf, size_t len)
{
	size_t n = 0;

	while (n < len && n < CORE_PATTERN_MAX - 1 && buf[n] != '\n' &&
	       buf[n])
		n++;
	memcpy(core_pattern, buf, n);
	core_pattern[n] = '\0';
	return 0;
}

static int osrelease_show(char *buf, size_t size)
{
	return show_text(buf, size, current_utsname()->release);
}

static int version_show(char *buf, size_t size)
{
	return show_text(buf, size, current_utsname()->version);
}

/* A random version-4 UUID in its 36-character text form. */
static void uuid_text(char out[37])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t u[16];
	int k = 0;

	random_bytes(u, sizeof(u));
	u[6] = (u[6] & 0x0f) | 0x40;	/* version 4 */
	u[8] = (u[8] & 0x3f) | 0x80;	/* RFC 4122 variant */
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[k++] = '-';
		out[k++] = hex[u[i] >> 4];
		out[k++] = hex[u[i] & 15];
	}
	out[k] = '\0';
}

/* A new UUID at every read, as Linux's random/uuid. */
static int uuid_show(char *buf, size_t size)
{
	char u[37];

	uuid_text(u);
	return show_text(buf, size, u);
}

/* One UUID for the life of the system, made at its first read. */
static int boot_id_show(char *buf, size_t size)
{
	static char id[37];

	if (!id[0])
		uuid_text(id);
	return show_text(buf, size, id);
}

static int randomize_show(char *buf, size_t size)
{
	return show_int(buf, size, mm_randomize_level());
}

/*
 * One number of @len bytes: blanks, a sign if @sign allows one ('-' or
 * '+'), digits within an unsigned long, blanks or a newline. Its digits'
 * value into *@val, whether a '-' came first into *@neg: 0 or -EINVAL.
 */
static int parse_number(const char *buf, size_t len, bool sign,
			unsigned long *val, bool *neg)
{
	unsigned long v = 0;
	size_t i = 0;
	bool digits = false;

	*neg = false;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t'))
		i++;
	if (sign && i < len && (buf[i] == '-' || buf[i] == '+'))
		*neg = buf[i++] == '-';
	for (; i < len && buf[i] >= '0' && buf[i] <= '9'; i++) {
		unsigned d = (unsigned)(buf[i] - '0');

		if (v > (~0UL - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
		digits = true;
	}
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n'))
		i++;
	if (!digits || i != len)
		return -EINVAL;
	*val = v;
	return 0;
}

static int pipe_max_size_show(char *buf, size_t size)
{
	return show_ulong(buf, size, pipe_max_size_get());
}

/* As Linux's proc_dopipe_max_size: an unsigned int, rounded up. */
static int pipe_max_size_store(const char *buf, size_t len)
{
	unsigned long v;
	bool neg;

	if (parse_number(buf, len, true, &v, &neg) || neg || v > UINT32_MAX)
		return -EINVAL;
	return pipe_max_size_set(v);
}

/* See sysctl.h. */
int parse_int(const char *buf, size_t len, int *out)
{
	unsigned long v;
	bool neg;

	if (parse_number(buf, len, true, &v, &neg) ||
	    v > (unsigned long)INT32_MAX + neg)
		return -EINVAL;
	*out = neg ? (int)-(long)v : (int)v;
	return 0;
}

/* See sysctl.h. */
int parse_int_list(const char *buf, size_t len, int *v, int max)
{
	size_t i = 0;
	int n = 0;

	while (i < len && n < max) {
		size_t start;

		while (i < len && (buf[i] == ' ' || buf[i] == '\t' ||
				   buf[i] == '\n'))
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && buf[i] != ' ' && buf[i] != '\t' &&
		       buf[i] != '\n')
			i++;
		if (parse_int(buf + start, i - start, &v[n]))
			return -EINVAL;
		n++;
	}
	return n ? n : -EINVAL;
}

/* As proc_dointvec_minmax for one int: within [@min, @max], or -EINVAL. */
static int parse_int_minmax(const char *buf, size_t len, int *out, int min,
			    int max)
{
	int v;

	if (parse_int(buf, len, &v) || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

#define MAX_THREADS	0x3fffffff	/* Linux's FUTEX_TID_MASK */

static int threads_max_show(char *buf, size_t size)
{
	return show_ulong(buf, size, task_max_threads());
}

/* As Linux's sysctl_max_threads: an int within 1..MAX_THREADS. */
static int threads_max_store(const char *buf, size_t len)
{
	int n, err = parse_int_minmax(buf, len, &n, 1, MAX_THREADS);

	if (!err)
		task_set_max_threads((unsigned long)n);
	return err;
}

static int randomize_store(const char *buf, size_t len)
{
	int level, err = parse_int(buf, len, &level);

	if (!err)
		mm_set_randomize(level);
	return err;
}

static int rr_timeslice_show(char *buf, size_t size)
{
	return show_int(buf, size, sched_rr_timeslice_ms());
}

/* As Linux's sched_rr_handler: any int (<= 0: the default). */
static int rr_timeslice_store(const char *buf, size_t len)
{
	int ms, err = parse_int(buf, len, &ms);

	if (!err)
		sched_set_rr_timeslice_ms(ms);
	return err;
}

/* As Linux's checkpoint_restore_ns_capable, which guards *_next_id. */
static bool checkpoint_restore_capable(void)
{
	return capable(CAP_SYS_ADMIN) || capable(CAP_CHECKPOINT_RESTORE);
}

/* fs.file-max: open files are bounded by memory and RLIMIT_NOFILE only. */
#define FILE_MAX	"9223372036854775807"

/* As Linux's fs.file-nr: files open, 0 (freed ones kept), the maximum. */
static int file_nr_show(char *buf, size_t size)
{
	char t[48];

	snprintf(t, sizeof(t), "%lu\t0\t" FILE_MAX, files_count());
	return show_text(buf, size, t);
}

static int aio_nr_show(char *buf, size_t size)
{
	return show_ulong(buf, size, aio_nr_get());
}

static int ns_last_pid_show(char *buf, size_t size)
{
	return show_int(buf, size, task_last_pid());
}

/*
 * As Linux's pid_ns_ctl_handler: anyone may try (mode 0666), but only
 * with CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE (EPERM, before the text
 * is read); an int within 0..pid_max.
 */
static int ns_last_pid_store(const char *buf, size_t len)
{
	int pid, err;

	if (!checkpoint_restore_capable())
		return -EPERM;
	err = parse_int_minmax(buf, len, &pid, 0, pid_max);
	if (!err)
		task_set_last_pid(pid);
	return err;
}

/* vm.drop_caches: the last value written, and whether 4 silenced the log. */
static int drop_caches;
static bool drop_caches_quiet;

static int drop_caches_show(char *buf, size_t size)
{
	return show_int(buf, size, drop_caches);
}

/*
 * As Linux's drop_caches_sysctl_handler: 1..4; bit 1 drops the clean
 * page cache nothing maps, bit 2 the reclaimable objects: the unused
 * inodes without cached pages (pages pin an inode, as on Linux since
 * 5.16), and a log line names the writer until a write with bit 4.
 */
static int drop_caches_store(const char *buf, size_t len)
{
	int n, err = parse_int_minmax(buf, len, &n, 1, 4);

	if (err)
		return err;
	drop_caches = n;
	if (n & 1)
		page_cache_drop_clean();
	if (n & 2)
		inode_unused_prune(NULL, ~(size_t)0, false);
	if (!drop_caches_quiet)
		pr_info("%s (%d): drop_caches: %d", current->comm,
			current->pid, n);
	drop_caches_quiet |= n & 4;
	return 0;
}

/* As Linux's proc_dointvec_minmax_sysadmin (kptr_restrict, dmesg_restrict). */
static bool sys_admin_capable(void)
{
	return capable(CAP_SYS_ADMIN);
}

/* Where a number entry's value is (the caller's, for a per-namespace one). */
static void *num_ptr(const struct sysctl *s)
{
	return s->base ? (char *)s->base() + s->off : s->num;
}

/* A number entry's text: its value in decimal. */
static int num_show(const struct sysctl *s, char *buf, size_t size)
{
	if (s->ulong)
		return show_ulong(buf, size, *(unsigned long *)num_ptr(s));
	return show_int(buf, size, *(int *)num_ptr(s));
}

/*
 * A number entry's new text: -EPERM without the power it names, before
 * the text is looked at; -EINVAL for garbage, a sign on an unsigned long,
 * a value past the type or outside an int's bounds; else 0.
 */
static int num_store(const struct sysctl *s, const char *buf, size_t len)
{
	unsigned long v;
	bool neg;
	int n;

	if (s->may_store && !s->may_store())
		return -EPERM;
	if (s->ulong) {
		if (parse_number(buf, len, false, &v, &neg))
			return -EINVAL;
		*(unsigned long *)num_ptr(s) = v;
		return 0;
	}
	if (parse_int_minmax(buf, len, &n, s->min, s->max))
		return -EINVAL;
	*(int *)num_ptr(s) = n;
	return 0;
}

#define FIXED(p, v)	{ .path = p, .mode = 0444, .fixed = v }
#define SHOWN(p, fn)	{ .path = p, .mode = 0444, .show = fn }
#define TUNED(p, name)	{ .path = p, .mode = 0644, .show = name##_show, \
			  .store = name##_store }
#define NUM_INT(p, var, lo, hi) { .path = p, .mode = 0644, .num = &(var), \
			  .min = lo, .max = hi }
#define NUM_ULONG(p, var) { .path = p, .mode = 0644, .num = &(var), \
			  .ulong = true }
/* An int that only CAP_SYS_ADMIN may change. */
#define NUM_ADMIN(p, var, lo, hi) { .path = p, .mode = 0644, .num = &(var), \
			  .min = lo, .max = hi, .may_store = sys_admin_capable }
/* Text that only CAP_SYS_ADMIN may change, through name_show/_store. */
#define TUNED_ADMIN(p, sh, st) { .path = p, .mode = 0644, .show = sh, \
			  .store = st, .may_store = sys_admin_capable }
static void *ipc_base(void)
{
	return current_ipc_limits();
}

static void *mq_base(void)
{
	return current_mq_limits();
}

/* One of the caller's IPC namespace's ints, or unsigned longs. */
#define IPC_INT(p, f, lo, hi) { .path = p, .mode = 0644, .base = ipc_base, \
			  .off = offsetof(struct ipc_limits, f), \
			  .min = lo, .max = hi }
#define IPC_ULONG(p, f)	{ .path = p, .mode = 0644, .base = ipc_base, \
			  .off = offsetof(struct ipc_limits, f), .ulong = true }
/* One of its fs.mqueue ints. */
#define MQ_INT(p, f, lo, hi) { .path = p, .mode = 0644, .base = mq_base, \
			  .off = offsetof(struct mq_limits, f), \
			  .min = lo, .max = hi }
/* A System V IPC id for checkpoint/restore (Linux's ipc/ipc_sysctl.c). */
#define NEXT_ID(p, f)	{ .path = p, .mode = 0644, .base = ipc_base, \
			  .off = offsetof(struct ipc_limits, f), \
			  .min = 0, .max = INT32_MAX, \
			  .may_store = checkpoint_restore_capable }

/* Sorted by path, so that a directory's entries are together. */
static const struct sysctl sysctls[] = {
	NUM_ULONG("fs/aio-max-nr", aio_max_nr),
	SHOWN("fs/aio-nr", aio_nr_show),
	FIXED("fs/file-max", FILE_MAX),
	SHOWN("fs/file-nr", file_nr_show),
	NUM_INT("fs/inotify/max_queued_events", inotify_max_queued_events, 0,
		INT32_MAX),
	NUM_INT("fs/inotify/max_user_instances", inotify_max_user_instances, 0,
		INT32_MAX),
	NUM_INT("fs/inotify/max_user_watches", inotify_max_user_watches, 0,
		INT32_MAX),
	NUM_INT("fs/lease-break-time", lease_break_time, INT32_MIN, INT32_MAX),
	NUM_INT("fs/leases-enable", leases_enable, INT32_MIN, INT32_MAX),
	MQ_INT("fs/mqueue/msg_default", msg_default, 1, MQ_HARD_MSGMAX),
	MQ_INT("fs/mqueue/msg_max", msg_max, 1, MQ_HARD_MSGMAX),
	MQ_INT("fs/mqueue/msgsize_default", msgsize_default,
	       MQ_MIN_MSGSIZEMAX, MQ_HARD_MSGSIZEMAX),
	MQ_INT("fs/mqueue/msgsize_max", msgsize_max, MQ_MIN_MSGSIZEMAX,
	       MQ_HARD_MSGSIZEMAX),
	MQ_INT("fs/mqueue/queues_max", queues_max, INT32_MIN, INT32_MAX),
	NUM_INT("fs/nr_open", nr_open, NR_OPEN_MIN, NR_OPEN_MAX),
	TUNED("fs/pipe-max-size", pipe_max_size),
	FIXED("fs/pipe-user-pages-hard", "0"),
	FIXED("fs/pipe-user-pages-soft", "16384"),
	FIXED("kernel/cap_last_cap", "40"),
	TUNED("kernel/core_pattern", core_pattern),
	NUM_INT("kernel/core_uses_pid", core_uses_pid, INT32_MIN, INT32_MAX),
	NUM_ADMIN("kernel/dmesg_restrict", dmesg_restrict, 0, 1),
	TUNED("kernel/domainname", domainname),
	TUNED("kernel/hostname", hostname),
	NUM_INT("kernel/keys/gc_delay", key_limits.gc_delay, 0, INT32_MAX),
	NUM_INT("kernel/keys/maxbytes", key_limits.maxbytes, 1, INT32_MAX),
	NUM_INT("kernel/keys/maxkeys", key_limits.maxkeys, 1, INT32_MAX),
	NUM_INT("kernel/keys/root_maxbytes", key_limits.root_maxbytes, 1,
		INT32_MAX),
	NUM_INT("kernel/keys/root_maxkeys", key_limits.root_maxkeys, 1,
		INT32_MAX),
	FIXED("kernel/kptr_restrict", "0"),
	NEXT_ID("kernel/msg_next_id", msg_next_id),
	IPC_INT("kernel/msgmax", msgmax, 0, INT32_MAX),
	IPC_INT("kernel/msgmnb", msgmnb, 0, INT32_MAX),
	IPC_INT("kernel/msgmni", msgmni, 0, IPCMNI),
	FIXED("kernel/ngroups_max", "65536"),
	{ .path = "kernel/ns_last_pid", .mode = 0666,
	  .show = ns_last_pid_show, .store = ns_last_pid_store },
	SHOWN("kernel/osrelease", osrelease_show),
	FIXED("kernel/ostype", "Linux"),
	FIXED("kernel/overflowgid", "65534"),
	FIXED("kernel/overflowuid", "65534"),
	FIXED("kernel/panic", "0"),
	NUM_INT("kernel/pid_max", pid_max, PID_MAX_MIN, PID_MAX_LIMIT),
	TUNED("kernel/printk", printk_levels),
	TUNED("kernel/printk_devkmsg", devkmsg),
	SHOWN("kernel/random/boot_id", boot_id_show),
	FIXED("kernel/random/entropy_avail", "256"),
	FIXED("kernel/random/poolsize", "256"),
	SHOWN("kernel/random/uuid", uuid_show),
	TUNED("kernel/randomize_va_space", randomize),
	TUNED("kernel/sched_rr_timeslice_ms", rr_timeslice),
	FIXED("kernel/seccomp/actions_avail", SECCOMP_ACTIONS_AVAIL),
	TUNED_ADMIN("kernel/seccomp/actions_logged",
		    seccomp_actions_logged_show, seccomp_actions_logged_store),
	TUNED("kernel/sem", sem),
	NEXT_ID("kernel/sem_next_id", sem_next_id),
	NEXT_ID("kernel/shm_next_id", shm_next_id),
	TUNED("kernel/shm_rmid_forced", shm_rmid_forced),
	IPC_ULONG("kernel/shmall", shmall),
	IPC_ULONG("kernel/shmmax", shmmax),
	IPC_INT("kernel/shmmni", shmmni, 0, IPCMNI),
	FIXED("kernel/sysrq", "438"),
	FIXED("kernel/tainted", "0"),
	TUNED("kernel/threads-max", threads_max),
	SHOWN("kernel/version", version_show),
	FIXED("net/core/somaxconn", "4096"),
	FIXED("net/ipv4/ip_local_port_range", "32768\t60999"),
	{ .path = "vm/drop_caches", .mode = 0200, .show = drop_caches_show,
	  .store = drop_caches_store },
	NUM_INT("vm/max_map_count", max_map_count, 0, INT32_MAX),
	FIXED("vm/mmap_min_addr", "65536"),
	FIXED("vm/overcommit_memory", "0"),
	FIXED("vm/overcommit_ratio", "50"),
	FIXED("vm/swappiness", "60"),
	NUM_INT("vm/unprivileged_userfaultfd", unprivileged_userfaultfd, 0, 1),
};

/* See introspect.h. */
const char *sysctl_name(unsigned i, mode_t *mode)
{
	if (i >= ARRAY_SIZE(sysctls))
		return NULL;
	*mode = sysctls[i].mode;
	return sysctls[i].path;
}

/* See introspect.h. */
int sysctl_read(unsigned i, char *buf, size_t size)
{
	if (i >= ARRAY_SIZE(sysctls))
		return -ENOENT;
	if (sysctls[i].fixed)
		return show_text(buf, size, sysctls[i].fixed);
	if (sysctls[i].num || sysctls[i].base)
		return num_show(&sysctls[i], buf, size);
	return sysctls[i].show(buf, size);
}

/* See introspect.h. */
int sysctl_write(unsigned i, const char *buf, size_t len)
{
	if (i >= ARRAY_SIZE(sysctls))
		return -ENOENT;
	if (sysctls[i].num || sysctls[i].base)
		return num_store(&sysctls[i], buf, len);
	if (!sysctls[i].store)
		return -EACCES;
	if (sysctls[i].may_store && !sysctls[i].may_store())
		return -EPERM;
	return sysctls[i].store(buf, len);
}
