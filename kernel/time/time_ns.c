/*
 * Time namespaces (include/kernel/time_ns.h), as Linux 6.1's
 * kernel/time/namespace.c: the initial one, the copies unshare and
 * clone3 make, what setns(2) does with them, the clock offsets the
 * system calls apply, and /proc/PID/timens_offsets. A task that enters
 * a namespace other than the initial one gets the vDSO data page that
 * sends its monotonic clocks to the system call (platform/vdso.h).
 * Process context.
 */
#include <kernel/time_ns.h>
#include <kernel/task.h>
#include <kernel/mm.h>
#include <svc/introspect.h>
#include <svc/task.h>
#include <platform/heap.h>
#include <platform/time.h>
#include <platform/vdso.h>
#include <aramid/compiler.h>
#include <aramid/string.h>
#include <uapi/capability.h>
#include <uapi/clone.h>
#include <uapi/errno.h>
#include <uapi/time.h>

/* Linux's proc_ns.h: PROC_TIME_INIT_INO. */
#define NS_INIT_TIME_INO	0xEFFFFFFAU
/* Linux's KTIME_SEC_MAX: the seconds of KTIME_MAX. */
#define KTIME_SEC_MAX		(INT64_MAX / (int64_t)NSEC_PER_SEC)

static const struct ns_ops time_ns_ops;

struct time_ns init_time_ns = {
	.ns = { .refcount = 1, .inum = NS_INIT_TIME_INO, .ops = &time_ns_ops },
	.frozen = true,
};

static struct time_ns *to_time(struct ns_common *ns)
{
	return container_of(ns, struct time_ns, ns);
}

/* See include/kernel/time_ns.h. */
struct time_ns *time_ns_get(struct time_ns *t)
{
	ns_get(&t->ns);
	return t;
}

/* See include/kernel/time_ns.h. */
void time_ns_put(struct time_ns *t)
{
	if (t)
		ns_put(&t->ns);
}

/* See include/kernel/time_ns.h. */
struct time_ns *time_ns_copy(const struct time_ns *t)
{
	struct time_ns *n = kzalloc(sizeof(*n));

	if (!n)
		return NULL;
	ns_init(&n->ns, &time_ns_ops);
	n->monotonic = t->monotonic;
	n->boottime = t->boottime;
	return n;
}

/*
 * Give @mm the vDSO data page of namespace @t (Linux's
 * vdso_join_timens): 0 or -ENOMEM.
 */
static int time_ns_vdso_join(struct mm *mm, const struct time_ns *t)
{
	if (!mm || !mm->vdso_base)
		return 0;
	return vdso_map_data(mm->space, mm->vdso_base, t != &init_time_ns);
}

/* See include/kernel/time_ns.h. */
int time_ns_fork(struct task *c, uint64_t flags)
{
	struct time_ns *children = current->time_ns_children;

	if (flags & CLONE_NEWTIME) {
		children = time_ns_copy(children);
		if (!children)
			return -ENOMEM;
	} else {
		time_ns_get(children);
	}
	c->time_ns_children = children;
	c->time_ns = time_ns_get((flags & CLONE_VM) ? current->time_ns :
				 children);
	if (c->time_ns == current->time_ns)
		return 0;
	c->time_ns->frozen = true;
	return time_ns_vdso_join(c->mm, c->time_ns);
}

/* See include/kernel/ns.h. */
struct ns_common *task_time_ns_children(const struct task *t)
{
	return t->time_ns_children ? &t->time_ns_children->ns : NULL;
}

/* See include/kernel/time_ns.h. */
bool time_ns_vdso_syscall(void)
{
	return current->time_ns != &init_time_ns;
}

static int64_t offset_ns(const struct time_ns_offset *o)
{
	return o->sec * (int64_t)NSEC_PER_SEC + o->nsec;
}

/* See include/kernel/time_ns.h. */
int64_t time_ns_offset_ns(int clk)
{
	const struct time_ns *t = current->time_ns;

	switch (clk) {
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
		return offset_ns(&t->monotonic);
	case CLOCK_BOOTTIME:
	case CLOCK_BOOTTIME_ALARM:
		return offset_ns(&t->boottime);
	default:
		return 0;
	}
}

/* See include/kernel/time_ns.h. */
uint64_t time_ns_to_host(int clk, uint64_t ns)
{
	int64_t off = time_ns_offset_ns(clk);

	if (off >= 0)
		return ns < (uint64_t)off ? 0 : ns - (uint64_t)off;
	return ns > UINT64_MAX - (uint64_t)-off ? UINT64_MAX :
	       ns + (uint64_t)-off;
}

/* See include/svc/introspect.h. */
int64_t timens_boottime_offset_ns(void)
{
	return time_ns_offset_ns(CLOCK_BOOTTIME);
}

/* See include/svc/introspect.h: Linux's proc_timens_show_offsets. */
ssize_t timens_offsets_show(struct task *t, char *buf, size_t size)
{
	const struct time_ns *ns = t->time_ns_children;
	size_t len = 0;

	if (!ns)
		return -ESRCH;
	buf_printf(buf, size, &len, "%-10s %10lld %9ld\n", "monotonic",
		   (long long)ns->monotonic.sec, ns->monotonic.nsec);
	buf_printf(buf, size, &len, "%-10s %10lld %9ld\n", "boottime",
		   (long long)ns->boottime.sec, ns->boottime.nsec);
	return (ssize_t)MIN(len, size);
}

/* One offset as written: the clock it names and its value. */
struct offset_req {
	int clk;
	struct time_ns_offset val;
};

/*
 * A decimal number at *@p (a leading '-' if @sign), past blanks, into
 * *@v: 0 and *@p past it, or -EINVAL.
 */
static int parse_num(const char **p, const char *end, bool sign, int64_t *v)
{
	const char *s = *p;
	bool neg = false;
	uint64_t n = 0;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if (sign && s < end && (*s == '-' || *s == '+'))
		neg = *s++ == '-';
	if (s == end || *s < '0' || *s > '9')
		return -EINVAL;
	while (s < end && *s >= '0' && *s <= '9') {
		if (n > ((uint64_t)INT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -EINVAL;
		n = n * 10 + (uint64_t)(*s++ - '0');
	}
	*v = neg ? -(int64_t)n : (int64_t)n;
	*p = s;
	return 0;
}

/*
 * One line "<clock> <sec> <nsec>" of [@s, @end), as Linux's
 * timens_offsets_write reads it: the clock by name or number, nsec
 * below a second. 0 or -EINVAL.
 */
static int parse_offset(const char *s, const char *end, struct offset_req *r)
{
	const char *w;
	int64_t nsec;
	size_t n;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	for (w = s; w < end && *w != ' ' && *w != '\t'; w++)
		;
	n = (size_t)(w - s);
	if (n == 9 && !memcmp(s, "monotonic", 9))
		r->clk = CLOCK_MONOTONIC;
	else if (n == 8 && !memcmp(s, "boottime", 8))
		r->clk = CLOCK_BOOTTIME;
	else if (n == 1 && *s == '0' + CLOCK_MONOTONIC)
		r->clk = CLOCK_MONOTONIC;
	else if (n == 1 && *s == '0' + CLOCK_BOOTTIME)
		r->clk = CLOCK_BOOTTIME;
	else
		return -EINVAL;
	if (parse_num(&w, end, true, &r->val.sec) ||
	    parse_num(&w, end, false, &nsec) || nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	r->val.nsec = (long)nsec;
	return 0;
}

/*
 * See include/svc/introspect.h: Linux's timens_offsets_write and
 * proc_timens_set_offset.
 */
int timens_offsets_write(struct task *t, const char *buf, size_t len)
{
	struct offset_req req[2];
	const char *p = buf, *end = buf + len;
	struct time_ns *ns = t->time_ns_children;
	int n = 0;

	while (p < end && n < 2) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;

		if (parse_offset(p, eol, &req[n]))
			return -EINVAL;
		n++;
		p = nl ? nl + 1 : end;
	}
	if (!n)
		return -EINVAL;
	if (!ns)
		return -ESRCH;
	if (!capable(CAP_SYS_TIME))
		return -EPERM;
	for (int i = 0; i < n; i++) {
		int64_t now = (int64_t)(clock_monotonic_ns() / NSEC_PER_SEC);

		if (req[i].val.sec > KTIME_SEC_MAX ||
		    req[i].val.sec < -KTIME_SEC_MAX)
			return -ERANGE;
		now += req[i].val.sec;
		if (now < 0 || now > KTIME_SEC_MAX / 2)
			return -ERANGE;
	}
	if (ns->frozen)
		return -EACCES;
	for (int i = 0; i < n; i++)
		*(req[i].clk == CLOCK_MONOTONIC ? &ns->monotonic :
		  &ns->boottime) = req[i].val;
	return 0;
}

/* ns_ops.free; the initial namespace keeps its static reference. */
static void time_ns_free(struct ns_common *ns)
{
	kfree(to_time(ns));
}

/*
 * Linux's timens_install: CAP_SYS_ADMIN, and a single-threaded caller
 * whose memory no other process shares (EUSERS).
 */
static int time_ns_may_install(struct ns_common *ns)
{
	(void)ns;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (task_other_threads(current) ||
	    (current->mm && current->mm->refcount > 1))
		return -EUSERS;
	return 0;
}

/*
 * Both of current's namespaces become @ns, whose offsets are then
 * fixed, and its mm gets @ns's data page (the remap needs no new page
 * table here: the page is mapped already).
 */
static void time_ns_install(struct ns_common *ns)
{
	struct time_ns *t = to_time(ns);

	time_ns_put(current->time_ns);
	time_ns_put(current->time_ns_children);
	current->time_ns = time_ns_get(t);
	current->time_ns_children = time_ns_get(t);
	t->frozen = true;
	time_ns_vdso_join(current->mm, t);
}

static const struct ns_ops time_ns_ops = {
	.name = "time",
	.type = CLONE_NEWTIME,
	.free = time_ns_free,
	.may_install = time_ns_may_install,
	.install = time_ns_install,
};
