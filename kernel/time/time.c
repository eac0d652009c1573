/*
 * Time system calls: clock_gettime, clock_getres, time,
 * nanosleep, clock_nanosleep (and its restart), times, alarm, getitimer,
 * setitimer (ITIMER_REAL in wall time, ITIMER_VIRTUAL and ITIMER_PROF in
 * the CPU time the tick charges).
 */
#include <kernel/task.h>
#include <kernel/signal.h>
#include <kernel/syscall.h>
#include <kernel/posix_timer.h>
#include <kernel/timekeeping.h>
#include <kernel/time_ns.h>
#include <uapi/time.h>
#include <platform/time.h>
#include <platform/usercopy.h>
#include <svc/task.h>
#include <aramid/string.h>

#define ITIMER_REAL	0
#define ITIMER_VIRTUAL	1
#define ITIMER_PROF	2

struct k_timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};

struct k_timeval {
	int64_t tv_sec;
	int64_t tv_usec;
};

static uint64_t realtime_ns(void)
{
	return clock_boot_realtime_ns() + clock_monotonic_ns();
}

/*
 * The clock's reading in ns, the monotonic ones with the offsets of the
 * caller's time namespace; -EINVAL for an unknown clock.
 */
static int64_t clock_read(int clk)
{
	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_REALTIME_ALARM:	/* the RTC is there to wake: readable */
		return realtime_ns();
	case CLOCK_TAI:
		return realtime_ns() + clock_tai_offset_ns();
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
	case CLOCK_BOOTTIME_ALARM:
		return (int64_t)clock_monotonic_ns() + time_ns_offset_ns(clk);
	case CLOCK_PROCESS_CPUTIME_ID:
		return process_cputime_ns(current);
	case CLOCK_THREAD_CPUTIME_ID:
		return thread_cputime_ns(current);
	default:
		return clk < 0 ? cpu_clock_read(clk) : -EINVAL;
	}
}

static struct k_timespec ns_to_ts(uint64_t ns)
{
	return (struct k_timespec){ ns / NSEC_PER_SEC, ns % NSEC_PER_SEC };
}

static int get_timespec(uptr_t p, uint64_t *ns)
{
	struct k_timespec ts;

	if (copy_from_user(&ts, p, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	if ((uint64_t)ts.tv_sec > (UINT64_MAX - NSEC_PER_SEC) / NSEC_PER_SEC / 2)
		*ns = UINT64_MAX / 2;
	else
		*ns = ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
	return 0;
}

SYSCALL(__NR_clock_gettime, clock_gettime)(SYSCALL_ARGS)
{
	int64_t ns = clock_read((int)a0);
	struct k_timespec ts;

	if (ns < 0)
		return -EINVAL;
	ts = ns_to_ts(ns);
	return copy_to_user(UPTR(a1), &ts, sizeof(ts)) ? -EFAULT : 0;
}

SYSCALL(__NR_clock_getres, clock_getres)(SYSCALL_ARGS)
{
	struct k_timespec ts = { 0, 1 };

	if (clock_read((int)a0) < 0)
		return -EINVAL;
	if ((int)a0 == CLOCK_REALTIME_COARSE || (int)a0 == CLOCK_MONOTONIC_COARSE)
		ts.tv_nsec = NSEC_PER_SEC / HZ;
	if (a1 && copy_to_user(UPTR(a1), &ts, sizeof(ts)))
		return -EFAULT;
	return 0;
}

SYSCALL(__NR_time, time)(SYSCALL_ARGS)
{
	int64_t t = realtime_ns() / NSEC_PER_SEC;

	if (a0 && put_user(t, UPTR(a0)))
		return -EFAULT;
	return t;
}

/*
 * Sleep until the monotonic @deadline; on a signal store the time left in
 * @rem (if given) and arrange restart_syscall to finish the sleep.
 */
static long sleep_until(uint64_t deadline, uptr_t rem)
{
	int ret = sched_sleep_deadline(deadline);

	if (!ret)
		return 0;
	if (!uptr_null(rem)) {
		uint64_t now = clock_monotonic_ns();
		struct k_timespec left = ns_to_ts(now < deadline ? deadline - now : 0);

		if (copy_to_user(rem, &left, sizeof(left)))
			return -EFAULT;
	}
	current->restart_deadline_ns = deadline;
	current->restart_rem = rem;
	return -ERESTART_RESTARTBLOCK;
}

SYSCALL(__NR_nanosleep, nanosleep)(SYSCALL_ARGS)
{
	uint64_t ns;
	int err = get_timespec(UPTR(a0), &ns);

	if (err)
		return err;
	return sleep_until(clock_monotonic_ns() + ns, UPTR(a1));
}

SYSCALL(__NR_clock_nanosleep, clock_nanosleep)(SYSCALL_ARGS)
{
	int clk = (int)a0;
	uint64_t ns, deadline;
	int err;

	if (clock_read(clk) < 0)
		return -EINVAL;
	/* Sleeping on a CPU-time clock: Linux has no nsleep for threads. */
	if (clk == CLOCK_THREAD_CPUTIME_ID || clk == CLOCK_PROCESS_CPUTIME_ID ||
	    clk < 0)
		return -EOPNOTSUPP;
	/* Linux's alarm_timer_nsleep: TIMER_ABSTIME alone, CAP_WAKE_ALARM. */
	if (clk == CLOCK_REALTIME_ALARM || clk == CLOCK_BOOTTIME_ALARM) {
		if (a1 & ~(uint64_t)TIMER_ABSTIME)
			return -EINVAL;
		if (!capable(CAP_WAKE_ALARM))
			return -EPERM;
	}
	err = get_timespec(UPTR(a2), &ns);
	if (err)
		return err;
	if (a1 & TIMER_ABSTIME) {
		int64_t now = clock_read(clk);

		deadline = clock_monotonic_ns() +
			   ((int64_t)ns > now ? ns - now : 0);
		return sleep_until(deadline, UPTR(0));
	}
	return sleep_until(clock_monotonic_ns() + ns, UPTR(a3));
}

SYSCALL(__NR_restart_syscall, restart_syscall)(SYSCALL_ARGS)
{
	return sleep_until(current->restart_deadline_ns, current->restart_rem);
}

SYSCALL(__NR_times, times)(SYSCALL_ARGS)
{
	const struct rusage_totals *c = &task_leader(current)->reaped;
	struct rusage_totals r;
	struct { int64_t utime, stime, cutime, cstime; } t;

	usage_process_totals(current, &r);
	t.utime = (int64_t)usage_ns_to_clock_t(r.utime_ns);
	t.stime = (int64_t)usage_ns_to_clock_t(r.stime_ns);
	t.cutime = (int64_t)usage_ns_to_clock_t(c->utime_ns);
	t.cstime = (int64_t)usage_ns_to_clock_t(c->stime_ns);
	if (a0 && copy_to_user(UPTR(a0), &t, sizeof(t)))
		return -EFAULT;
	return clock_ticks();
}

struct k_itimerval {
	struct k_timeval interval, value;
};

static uint64_t tv_to_ns(const struct k_timeval *tv)
{
	return tv->tv_sec * NSEC_PER_SEC + tv->tv_usec * 1000;
}

static struct k_timeval ns_to_tv(uint64_t ns)
{
	/* Round up, so that an armed timer never reads as zero. */
	uint64_t us = DIV_ROUND_UP(ns, 1000);

	return (struct k_timeval){ us / 1000000, us % 1000000 };
}

static void itimer_get(struct k_itimerval *v)
{
	uint64_t now = clock_monotonic_ns(), d = current->itimer_deadline_ns;

	v->interval = ns_to_tv(current->itimer_interval_ns);
	v->value = ns_to_tv(d > now ? d - now : d ? 1000 : 0);
}

/* ITIMER_VIRTUAL (user time) and ITIMER_PROF (user + system time). */
static void itimer_cpu_get(int which, struct k_itimerval *v)
{
	v->interval = ns_to_tv(current->itimer_cpu_interval_ns[which - 1]);
	v->value = ns_to_tv(current->itimer_cpu_left_ns[which - 1]);
}

void itimer_cpu_tick(struct task *t, bool user)
{
	static const int signals[2] = { SIGVTALRM, SIGPROF };
	const uint64_t tick = NSEC_PER_SEC / HZ;

	for (int i = 0; i < 2; i++) {
		uint64_t *left = &t->itimer_cpu_left_ns[i];

		if (!*left || (i == 0 && !user))
			continue;
		if (*left > tick) {
			*left -= tick;
			continue;
		}
		*left = t->itimer_cpu_interval_ns[i];
		send_signal_process(t, signals[i], NULL);
	}
}

static void itimer_read(int which, struct k_itimerval *v)
{
	if (which == ITIMER_REAL)
		itimer_get(v);
	else
		itimer_cpu_get(which, v);
}

SYSCALL(__NR_getitimer, getitimer)(SYSCALL_ARGS)
{
	struct k_itimerval v = { 0 };

	if ((unsigned)a0 > ITIMER_PROF)
		return -EINVAL;
	itimer_read((int)a0, &v);
	return copy_to_user(UPTR(a1), &v, sizeof(v)) ? -EFAULT : 0;
}

SYSCALL(__NR_setitimer, setitimer)(SYSCALL_ARGS)
{
	struct k_itimerval v, old = { 0 };
	int which = (int)a0;

	if ((unsigned)which > ITIMER_PROF)
		return -EINVAL;
	if (a1) {
		if (copy_from_user(&v, UPTR(a1), sizeof(v)))
			return -EFAULT;
		if (v.value.tv_usec < 0 || v.value.tv_usec >= 1000000 ||
		    v.interval.tv_usec < 0 || v.interval.tv_usec >= 1000000 ||
		    v.value.tv_sec < 0 || v.interval.tv_sec < 0)
			return -EINVAL;
	} else {
		memset(&v, 0, sizeof(v));
	}
	itimer_read(which, &old);
	uint64_t value = tv_to_ns(&v.value);

	if (which == ITIMER_REAL) {
		current->itimer_interval_ns = tv_to_ns(&v.interval);
		current->itimer_deadline_ns = value ? clock_monotonic_ns() + value : 0;
	} else {
		current->itimer_cpu_interval_ns[which - 1] = tv_to_ns(&v.interval);
		current->itimer_cpu_left_ns[which - 1] = value;
	}
	if (a2 && copy_to_user(UPTR(a2), &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL(__NR_alarm, alarm)(SYSCALL_ARGS)
{
	struct k_itimerval old;

	itimer_get(&old);
	current->itimer_interval_ns = 0;
	current->itimer_deadline_ns = a0 ? clock_monotonic_ns() +
				      (uint64_t)(unsigned)a0 * NSEC_PER_SEC : 0;
	/* Seconds left, rounded to nearest; an armed timer reports >= 1. */
	long left = old.value.tv_sec + (old.value.tv_usec >= 500000);

	return left || !old.value.tv_usec ? left : 1;
}
