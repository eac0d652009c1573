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
/*
 * Linux's RLIMIT_CPU check (check_process_timers): once @t's process has
 * used its soft limit of CPU seconds, SIGXCPU and the soft limit one
 * second later (so again each second); at the hard limit, SIGKILL.
 * Interrupts disabled.
 */
void rlimit_cpu_tick(struct task *t);

/* The time thread @t has run, in ns (CLOCK_THREAD_CPUTIME_ID). */
uint64_t thread_cputime_ns(const struct task *t);
/*
 * The time @t's process has run, its exited threads' included, in ns
 * (CLOCK_PROCESS_CPUTIME_ID). Kernel lock held.
 */
uint64_t process_cputime_ns(const struct task *t);
/*
 * A dynamic CPU-time clock (a negative clock id, as glibc's
 * pthread_getcpuclockid and clock_getcpuclockid make: ~pid << 3, the
 * per-thread bit 4 and PROF 0, VIRT 1 or SCHED 2): its reading in ns, or
 * -EINVAL when it names no thread of the caller's process, or no process
 * (Linux's pid_for_clock).
 */
int64_t cpu_clock_read(int clk);
