/*
 * The CPU-time clocks (CLOCK_THREAD_CPUTIME_ID, CLOCK_PROCESS_CPUTIME_ID,
 * and the dynamic ones naming another thread or process), as Linux's
 * cpu_clock_sample: SCHED, the time the scheduler measured the thread
 * or process run, to the nanosecond; PROF and VIRT, the tick's samples
 * of all or of user time. And RLIMIT_CPU, checked against PROF at each
 * tick.
 */
#include <kernel/posix_timer.h>
#include <kernel/signal.h>
#include <kernel/task.h>
#include <kernel/pid_ns.h>
#include <aramid/string.h>
#include <platform/time.h>
#include <uapi/errno.h>

#define TICK_NS		(NSEC_PER_SEC / HZ)

/* See posix_timer.h. */
uint64_t thread_cputime_ns(const struct task *t)
{
	return sched_runtime_ns(t);
}

/* See posix_timer.h. */
uint64_t process_cputime_ns(const struct task *t)
{
	struct usage u;

	usage_process(t, &u);
	return u.runtime_ns;
}

/* The dynamic clocks' encoding (include/linux/posix-timers.h). */
#define CPUCLOCK_PID(clk)	((pid_t)~((clk) >> 3))
#define CPUCLOCK_PERTHREAD(clk)	(((clk) & 4) != 0)
#define CPUCLOCK_WHICH(clk)	((clk) & 3)
#define CPUCLOCK_PROF		0
#define CPUCLOCK_VIRT		1
#define CPUCLOCK_SCHED		2

/* Clock @which of the counts @u, in ns. */
static uint64_t clock_sample(const struct usage *u, unsigned which)
{
	switch (which) {
	case CPUCLOCK_SCHED:
		return u->runtime_ns;
	case CPUCLOCK_VIRT:
		return u->utime_ticks * TICK_NS;
	default:
		return (u->utime_ticks + u->stime_ticks) * TICK_NS;
	}
}

/* See posix_timer.h. */
int64_t cpu_clock_read(int clk)
{
	pid_t pid = CPUCLOCK_PID(clk);
	bool thread = CPUCLOCK_PERTHREAD(clk);
	unsigned which = CPUCLOCK_WHICH(clk);
	const struct task *t = current;
	struct usage u;

	if (which > CPUCLOCK_SCHED)
		return -EINVAL;
	if (pid) {
		t = task_find_vpid(pid);
		if (!t || t->state == TASK_ZOMBIE)
			return -EINVAL;
		if (thread ? t->tgid != current->tgid :
		    t->pid != t->tgid && t != current)
			return -EINVAL;
	}
	if (thread)
		usage_thread(t, &u);
	else
		usage_process(t, &u);
	return (int64_t)clock_sample(&u, which);
}

/* SIGXCPU or SIGKILL from the kernel to @t's process (SEND_SIG_PRIV). */
static void rlimit_signal(struct task *t, int sig)
{
	siginfo_t info;

	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = SI_KERNEL;
	send_signal_process(t, sig, &info);
}

/* See posix_timer.h. */
void rlimit_cpu_tick(struct task *t)
{
	struct rlimit64 *lim = &task_rlimits(t)[RLIMIT_CPU];
	uint64_t soft = lim->cur, hard = lim->max;
	struct usage u;
	uint64_t ns;

	if (soft == RLIM_INFINITY || !t->mm)	/* kernel threads: none */
		return;
	/* Limits too large to reach in nanoseconds are never reached. */
	usage_process(t, &u);
	ns = clock_sample(&u, CPUCLOCK_PROF);
	if (hard < UINT64_MAX / NSEC_PER_SEC && ns >= hard * NSEC_PER_SEC) {
		rlimit_signal(t, SIGKILL);
		return;
	}
	if (soft >= UINT64_MAX / NSEC_PER_SEC || ns < soft * NSEC_PER_SEC)
		return;
	rlimit_signal(t, SIGXCPU);
	lim->cur = soft + 1;	/* the next SIGXCPU a second later, as Linux */
}
