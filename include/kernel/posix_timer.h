/*
 * POSIX timers (kernel/time/posix_timer.c) and the CPU-time clocks
 * (kernel/time/cputime.c) that two of them run on.
 */
#pragma once
#include <aramid/types.h>

struct task;

/*
 * Delete every POSIX timer of the process @leader leads: at exec and as
 * its last thread exits. Process context.
 */
void posix_timers_exit(struct task *leader);
/*
 * The tick charged @t one tick of CPU time: fire the CPU-time timers of
 * its process that expired. Interrupts disabled.
 */
void posix_cpu_timers_tick(struct task *t);

/* CPU time (user + system) of thread @t, in ns, at the tick's resolution. */
uint64_t thread_cputime_ns(const struct task *t);
/* CPU time of the threads of @t's process still in the task list, in ns. */
uint64_t process_cputime_ns(const struct task *t);
