/*
 * The CPU-time clocks (CLOCK_THREAD_CPUTIME_ID, CLOCK_PROCESS_CPUTIME_ID,
 * and the dynamic ones naming another thread or process): the user and
 * system ticks the scheduler's tick charges each thread; and RLIMIT_CPU,
 * checked against the process's CPU time at each tick.
 */
#include <kernel/posix_timer.h>
#include <kernel/signal.h>
#include <kernel/task.h>
#include <aramid/string.h>
#include <platform/time.h>
#include <uapi/errno.h>

/* See posix_timer.h. */
uint64_t thread_cputime_ns(const struct task *t)
{
	return (t->utime_ticks + t->stime_ticks) * (NSEC_PER_SEC / HZ);
}

/*
 * The user ticks (@virt) or all ticks of @t's process, its exited
 * threads' included, in ns.
 */
static uint64_t process_ticks_ns(const struct task *t, bool virt)
{
	const struct task *leader = task_leader((struct task *)t), *o;
	uint64_t ticks = leader->dead_utime_ticks +
			 (virt ? 0 : leader->dead_stime_ticks);

	for_each_task(o)
		if (o->tgid == t->tgid)
			ticks += o->utime_ticks + (virt ? 0 : o->stime_ticks);
	return ticks * (NSEC_PER_SEC / HZ);
}

/* See posix_timer.h. */
uint64_t process_cputime_ns(const struct task *t)
{
	return process_ticks_ns(t, false);
}

/* The dynamic clocks' encoding (include/linux/posix-timers.h). */
#define CPUCLOCK_PID(clk)	((pid_t)~((clk) >> 3))
#define CPUCLOCK_PERTHREAD(clk)	(((clk) & 4) != 0)
#define CPUCLOCK_WHICH(clk)	((clk) & 3)
#define CPUCLOCK_PROF		0
#define CPUCLOCK_VIRT		1
#define CPUCLOCK_SCHED		2

/* The user ticks (@virt) or all ticks of @t, in ns. */
static uint64_t ticks_ns(const struct task *t, bool virt)
{
	return (t->utime_ticks + (virt ? 0 : t->stime_ticks)) *
	       (NSEC_PER_SEC / HZ);
}

/* See posix_timer.h. */
int64_t cpu_clock_read(int clk)
{
	pid_t pid = CPUCLOCK_PID(clk);
	bool thread = CPUCLOCK_PERTHREAD(clk);
	unsigned which = CPUCLOCK_WHICH(clk);
	const struct task *t = current;

	if (which > CPUCLOCK_SCHED)
		return -EINVAL;
	if (pid) {
		t = task_find(pid);
		if (!t || t->state == TASK_ZOMBIE)
			return -EINVAL;
		if (thread ? t->tgid != current->tgid :
		    t->pid != t->tgid && t != current)
			return -EINVAL;
	}
	if (thread)	/* SCHED and PROF both count every tick here */
		return (int64_t)ticks_ns(t, which == CPUCLOCK_VIRT);
	return (int64_t)process_ticks_ns(t, which == CPUCLOCK_VIRT);
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
	uint64_t ns;

	if (soft == RLIM_INFINITY || !t->mm)	/* kernel threads: none */
		return;
	/* Limits too large to reach in nanoseconds are never reached. */
	ns = process_cputime_ns(t);
	if (hard < UINT64_MAX / NSEC_PER_SEC && ns >= hard * NSEC_PER_SEC) {
		rlimit_signal(t, SIGKILL);
		return;
	}
	if (soft >= UINT64_MAX / NSEC_PER_SEC || ns < soft * NSEC_PER_SEC)
		return;
	rlimit_signal(t, SIGXCPU);
	lim->cur = soft + 1;	/* the next SIGXCPU a second later, as Linux */
}
