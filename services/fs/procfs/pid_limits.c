/*
 * /proc/<pid>/limits, io, oom_score, oom_adj, oom_score_adj and
 * coredump_filter, in the formats of Linux 6.1 (fs/proc/base.c). io counts what read(2),
 * write(2) and their vectored and positioned kin moved; the kernel has no
 * page cache to charge storage I/O to, so read_bytes, write_bytes and
 * cancelled_write_bytes are 0. The OOM adjustment is kept per process
 * and shown, but the kernel's OOM killer ends the faulting task whatever
 * its score.
 */
#include "procfs.h"
#include <svc/task.h>
#include <aramid/string.h>
#include <platform/frame.h>
#include <uapi/errno.h>

#define OOM_SCORE_ADJ_MIN	(-1000)
#define OOM_SCORE_ADJ_MAX	1000
#define OOM_DISABLE		(-17)
#define OOM_ADJUST_MAX		15

/* Linux's lnames[]: the name column and the unit of each limit. */
static const struct { const char *name, *unit; } limit_names[RLIM_NLIMITS] = {
	{ "Max cpu time", "seconds" }, { "Max file size", "bytes" },
	{ "Max data size", "bytes" }, { "Max stack size", "bytes" },
	{ "Max core file size", "bytes" }, { "Max resident set", "bytes" },
	{ "Max processes", "processes" }, { "Max open files", "files" },
	{ "Max locked memory", "bytes" }, { "Max address space", "bytes" },
	{ "Max file locks", "locks" }, { "Max pending signals", "signals" },
	{ "Max msgqueue size", "bytes" }, { "Max nice priority", NULL },
	{ "Max realtime priority", NULL }, { "Max realtime timeout", "us" },
};

/* One limit value in a column of 20 and a space, "unlimited" for infinity. */
static void limit_value(struct proc_buf *b, uint64_t v)
{
	char num[24];

	snprintf(num, sizeof(num), "%lu", (unsigned long)v);
	pb_printf(b, "%-20s ", v == RLIM_INFINITY ? "unlimited" : num);
}

int proc_pid_limits_show(struct proc_buf *b, struct task *t)
{
	pb_printf(b, "%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit",
		  "Hard Limit", "Units");
	for (int i = 0; i < RLIM_NLIMITS; i++) {
		pb_printf(b, "%-25s ", limit_names[i].name);
		limit_value(b, task_rlimits(t)[i].cur);
		limit_value(b, task_rlimits(t)[i].max);
		if (limit_names[i].unit)
			pb_printf(b, "%-10s", limit_names[i].unit);
		pb_printf(b, "\n");
	}
	return 0;
}

/* The counters of thread @t, or (@whole) summed over its process. */
static int io_show(struct proc_buf *b, struct task *t, bool whole)
{
	uint64_t rchar = 0, wchar = 0, syscr = 0, syscw = 0;
	struct task *o;

	if (!ptrace_may_access(t, PTRACE_MODE_FSCREDS))
		return -EACCES;		/* Linux's do_io_accounting */

	for_each_task(o) {
		if (o == t || (whole && o->tgid == t->tgid)) {
			rchar += o->rchar;
			wchar += o->wchar;
			syscr += o->syscr;
			syscw += o->syscw;
		}
	}
	pb_printf(b, "rchar: %lu\nwchar: %lu\nsyscr: %lu\nsyscw: %lu\n"
		  "read_bytes: 0\nwrite_bytes: 0\ncancelled_write_bytes: 0\n",
		  rchar, wchar, syscr, syscw);
	return 0;
}

int proc_pid_io_show(struct proc_buf *b, struct task *t)
{
	return io_show(b, t, true);
}

int proc_tid_io_show(struct proc_buf *b, struct task *t)
{
	return io_show(b, t, false);
}

/*
 * As Linux's oom_badness and proc_oom_score: resident pages plus the
 * adjustment in thousandths of memory, scaled into 0..2000 (0 for an
 * unkillable -1000).
 */
int proc_pid_oom_score_show(struct proc_buf *b, struct task *t)
{
	int adj = task_leader(t)->oom_score_adj;
	struct frame_stats fs;
	long total, points = 0;

	frame_stats(&fs);
	total = (long)fs.total > 0 ? (long)fs.total : 1;
	if (adj != OOM_SCORE_ADJ_MIN) {
		long badness = t->mm ? (long)t->mm->rss_pages : 0;

		badness += (long)adj * (total / 1000);
		points = (1000 + badness * 1000 / total) * 2 / 3;
	}
	pb_printf(b, "%ld\n", points);
	return 0;
}

int proc_pid_oom_score_adj_show(struct proc_buf *b, struct task *t)
{
	pb_printf(b, "%d\n", task_leader(t)->oom_score_adj);
	return 0;
}

/* The legacy scale: -17 (OOM_DISABLE) to 15, from the -1000..1000 one. */
int proc_pid_oom_adj_show(struct proc_buf *b, struct task *t)
{
	int adj = task_leader(t)->oom_score_adj;

	if (adj == OOM_SCORE_ADJ_MAX)
		adj = OOM_ADJUST_MAX;
	else
		adj = adj * -OOM_DISABLE / OOM_SCORE_ADJ_MAX;
	pb_printf(b, "%d\n", adj);
	return 0;
}

/*
 * As Linux's kstrtoint(strstrip(buf), 0): blanks around an optional sign
 * and a decimal, 0x hexadecimal or 0 octal number within an int. 0 or
 * -EINVAL.
 */
static int parse_int(const char *buf, size_t len, int *out)
{
	size_t i = 0, end = strnlen(buf, len);
	unsigned base = 10;
	bool neg = false;
	long v = 0;

	while (end > 0 && (buf[end - 1] == ' ' || buf[end - 1] == '\t' ||
			   buf[end - 1] == '\n'))
		end--;
	while (i < end && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n'))
		i++;
	if (i < end && (buf[i] == '-' || buf[i] == '+'))
		neg = buf[i++] == '-';
	if (i + 1 < end && buf[i] == '0' && (buf[i + 1] | 0x20) == 'x') {
		base = 16;
		i += 2;
	} else if (i + 1 < end && buf[i] == '0') {
		base = 8;
	}
	if (i == end)
		return -EINVAL;
	for (; i < end; i++) {
		char c = buf[i];
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0') :
			     (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ?
			     (unsigned)((c | 0x20) - 'a' + 10) : 16;

		if (d >= base)
			return -EINVAL;
		v = v * base + d;
		if (v > (long)INT32_MAX + neg)
			return -EINVAL;
	}
	*out = (int)(neg ? -v : v);
	return 0;
}

/*
 * Set the process's adjustment. As Linux's oom_score_adj_min (0 unless
 * root set less), going below 0 or below a lower value already set takes
 * privilege: EACCES otherwise, as without CAP_SYS_RESOURCE.
 */
static int set_oom_adj(struct task *t, int adj)
{
	struct task *leader = task_leader(t);

	if (adj < MIN(leader->oom_score_adj, 0) && current->cred.euid != 0)
		return -EACCES;
	leader->oom_score_adj = adj;
	return 0;
}

int proc_pid_oom_score_adj_write(struct task *t, const char *buf, size_t len)
{
	int adj, err = parse_int(buf, len, &adj);

	if (err)
		return err;
	if (adj < OOM_SCORE_ADJ_MIN || adj > OOM_SCORE_ADJ_MAX)
		return -EINVAL;
	return set_oom_adj(t, adj);
}

/* The legacy scale, converted as Linux's oom_adj_write converts it. */
int proc_pid_oom_adj_write(struct task *t, const char *buf, size_t len)
{
	int adj, err = parse_int(buf, len, &adj);

	if (err)
		return err;
	if (adj < OOM_DISABLE || adj > OOM_ADJUST_MAX)
		return -EINVAL;
	if (adj == OOM_ADJUST_MAX)
		adj = OOM_SCORE_ADJ_MAX;
	else
		adj = adj * OOM_SCORE_ADJ_MAX / -OOM_DISABLE;
	return set_oom_adj(t, adj);
}

/* See procfs.h. */
int proc_pid_coredump_filter_show(struct proc_buf *b, struct task *t)
{
	if (t->mm)
		pb_printf(b, "%08x\n", t->mm->coredump_filter);
	return 0;
}

/* See procfs.h. */
int proc_pid_coredump_filter_write(struct task *t, const char *buf, size_t len)
{
	uint64_t v;
	int err = proc_kstrtoull(buf, len, 0, &v);

	if (err)
		return err;
	if (v > UINT32_MAX)
		return -ERANGE;
	if (t->mm)
		t->mm->coredump_filter = (unsigned)v & ((1U << COREDUMP_FILTER_BITS) - 1);
	return 0;
}
