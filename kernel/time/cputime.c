/*
 * The CPU-time clocks (CLOCK_THREAD_CPUTIME_ID, CLOCK_PROCESS_CPUTIME_ID):
 * the user and system ticks the scheduler's tick charges each thread.
 */
#include <kernel/posix_timer.h>
#include <kernel/task.h>
#include <platform/time.h>

/* See posix_timer.h. */
uint64_t thread_cputime_ns(const struct task *t)
{
	return (t->utime_ticks + t->stime_ticks) * (NSEC_PER_SEC / HZ);
}

/* See posix_timer.h. */
uint64_t process_cputime_ns(const struct task *t)
{
	struct task *o;
	uint64_t ns = 0;

	for_each_task(o)
		if (o->tgid == t->tgid)
			ns += thread_cputime_ns(o);
	return ns;
}
