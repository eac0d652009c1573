/*
 * What threads and processes have used (include/kernel/usage.h): the
 * counts of a thread and of a whole process, the user/system split of
 * their run time, the accounting as threads exit and children are
 * reaped, and struct rusage as getrusage, wait4 and waitid write it.
 */
#include <kernel/usage.h>
#include <kernel/task.h>
#include <kernel/mm.h>
#include <platform/time.h>
#include <platform/usercopy.h>
#include <aramid/string.h>
#include <uapi/errno.h>

#define TICK_NS		(NSEC_PER_SEC / HZ)

/* See usage.h. */
void usage_thread(const struct task *t, struct usage *u)
{
	u->utime_ticks = t->utime_ticks;
	u->stime_ticks = t->stime_ticks;
	u->runtime_ns = sched_runtime_ns(t);
	u->min_flt = t->min_flt;
	u->maj_flt = t->maj_flt;
	u->nvcsw = t->nvcsw;
	u->nivcsw = t->nivcsw;
}

static void usage_add(struct usage *sum, const struct usage *u)
{
	sum->utime_ticks += u->utime_ticks;
	sum->stime_ticks += u->stime_ticks;
	sum->runtime_ns += u->runtime_ns;
	sum->min_flt += u->min_flt;
	sum->maj_flt += u->maj_flt;
	sum->nvcsw += u->nvcsw;
	sum->nivcsw += u->nivcsw;
}

/* See usage.h. */
void usage_process(const struct task *t, struct usage *u)
{
	const struct task *leader = task_leader((struct task *)t), *o;
	struct usage one;

	*u = leader->dead_threads;
	for_each_task(o) {
		/* An exited thread's counts are the leader's already. */
		if (o->tgid != t->tgid ||
		    (o->state == TASK_ZOMBIE && o != leader))
			continue;
		usage_thread(o, &one);
		usage_add(u, &one);
	}
}

/* @a * @b / @c for @a <= @c, dropping low bits where the product overflows. */
static uint64_t scale(uint64_t a, uint64_t b, uint64_t c)
{
	while (a && b > UINT64_MAX / a) {
		a >>= 1;
		c >>= 1;
	}
	return c ? a * b / c : b;
}

/*
 * Linux's cputime_adjust: @u's run time split between user and system
 * as its samples fell, neither part below what @prev last reported.
 */
static void usage_split(const struct usage *u, struct usage_split_prev *prev,
			struct rusage_totals *r)
{
	uint64_t rtime = u->runtime_ns, stime, utime;

	r->min_flt = u->min_flt;
	r->maj_flt = u->maj_flt;
	r->nvcsw = u->nvcsw;
	r->nivcsw = u->nivcsw;
	if (prev->utime_ns + prev->stime_ns >= rtime)
		goto out;
	if (!u->stime_ticks)
		stime = 0;
	else if (!u->utime_ticks)
		stime = rtime;
	else
		stime = scale(u->stime_ticks, rtime,
			      u->utime_ticks + u->stime_ticks);
	if (stime < prev->stime_ns)
		stime = prev->stime_ns;
	utime = rtime - stime;
	if (utime < prev->utime_ns) {
		utime = prev->utime_ns;
		stime = rtime - utime;
	}
	prev->utime_ns = utime;
	prev->stime_ns = stime;
out:
	r->utime_ns = prev->utime_ns;
	r->stime_ns = prev->stime_ns;
}

/* The high-water resident set of @mm in KiB (0 for none). */
static uint64_t mm_hiwater_kib(const struct mm *mm)
{
	return mm ? (uint64_t)MAX(mm->hiwater_rss_pages, mm->rss_pages) *
		    (PAGE_SIZE / 1024) : 0;
}

/* See usage.h. */
void usage_mm_done(struct task *t, const struct mm *mm)
{
	struct task *leader = task_leader(t);

	leader->maxrss_kib = MAX(leader->maxrss_kib, mm_hiwater_kib(mm));
}

/* See usage.h. */
void usage_thread_totals(struct task *t, struct rusage_totals *r)
{
	struct usage u;

	usage_thread(t, &u);
	usage_split(&u, &t->split_thread, r);
	r->maxrss_kib = mm_hiwater_kib(t->mm);
}

/* See usage.h. */
void usage_process_totals(struct task *t, struct rusage_totals *r)
{
	struct usage u;

	usage_process(t, &u);
	usage_split(&u, &task_leader(t)->split_process, r);
	r->maxrss_kib = MAX(task_leader(t)->maxrss_kib, mm_hiwater_kib(t->mm));
}

/* See usage.h. */
void usage_thread_exit(struct task *t)
{
	struct usage u;

	usage_thread(t, &u);
	usage_add(&task_leader(t)->dead_threads, &u);
}

static void totals_add(struct rusage_totals *sum, const struct rusage_totals *r)
{
	sum->utime_ns += r->utime_ns;
	sum->stime_ns += r->stime_ns;
	sum->min_flt += r->min_flt;
	sum->maj_flt += r->maj_flt;
	sum->nvcsw += r->nvcsw;
	sum->nivcsw += r->nivcsw;
	sum->maxrss_kib = MAX(sum->maxrss_kib, r->maxrss_kib);
}

/* See usage.h. */
void usage_with_reaped(struct task *t, struct rusage_totals *r)
{
	usage_process_totals(t, r);
	totals_add(r, &task_leader(t)->reaped);
}

/* See usage.h. */
void usage_reap(struct task *child)
{
	struct rusage_totals r;

	usage_with_reaped(child, &r);
	totals_add(&task_leader(current)->reaped, &r);
}

/* See usage.h. */
int usage_put_rusage(uptr_t ru, const struct rusage_totals *r)
{
	struct {
		int64_t utime_sec, utime_usec, stime_sec, stime_usec;
		int64_t maxrss, ixrss, idrss, isrss, minflt, majflt, nswap;
		int64_t inblock, oublock, msgsnd, msgrcv, nsignals, nvcsw, nivcsw;
	} k;

	memset(&k, 0, sizeof(k));
	k.utime_sec = (int64_t)(r->utime_ns / NSEC_PER_SEC);
	k.utime_usec = (int64_t)(r->utime_ns % NSEC_PER_SEC / 1000);
	k.stime_sec = (int64_t)(r->stime_ns / NSEC_PER_SEC);
	k.stime_usec = (int64_t)(r->stime_ns % NSEC_PER_SEC / 1000);
	k.maxrss = (int64_t)r->maxrss_kib;
	k.minflt = (int64_t)r->min_flt;
	k.majflt = (int64_t)r->maj_flt;
	k.nvcsw = (int64_t)r->nvcsw;
	k.nivcsw = (int64_t)r->nivcsw;
	return copy_to_user(ru, &k, sizeof(k)) ? -EFAULT : 0;
}

/* See usage.h. */
uint64_t usage_ns_to_clock_t(uint64_t ns)
{
	return ns / TICK_NS;
}
