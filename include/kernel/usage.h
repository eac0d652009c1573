/*
 * What threads and processes have used of the CPU and of memory
 * (kernel/proc/usage.c), as getrusage, times, wait4, waitid, SIGCHLD
 * and /proc/<pid>/stat report it. The tick samples a thread's time as
 * user or system; the scheduler measures the time it actually ran, and
 * the reported user and system times are that run time split in the
 * samples' proportion (Linux's cputime_adjust), so a thread that ran
 * less than a tick is charged what it ran, not a whole tick or nothing.
 */
#pragma once
#include <aramid/types.h>

struct task;
struct mm;

/* A thread's or a whole process's raw counts. */
struct usage {
	uint64_t utime_ticks, stime_ticks;	/* the tick's samples */
	uint64_t runtime_ns;			/* run, as the scheduler measured */
	uint64_t min_flt, maj_flt;
	uint64_t nvcsw, nivcsw;			/* switches: slept, preempted */
};

/*
 * What getrusage reports: the run time split, faults and switches, and
 * the largest resident set (a maximum where the others are sums).
 */
struct rusage_totals {
	uint64_t utime_ns, stime_ns;
	uint64_t min_flt, maj_flt;
	uint64_t nvcsw, nivcsw;
	uint64_t maxrss_kib;
};

/* The last split reported (Linux's prev_cputime): neither part goes back. */
struct usage_split_prev {
	uint64_t utime_ns, stime_ns;
};

/* Thread @t's counts, its slice running now included. Interrupts any. */
void usage_thread(const struct task *t, struct usage *u);
/*
 * The counts of @t's whole process: its living threads' and what those
 * that exited used. Kernel lock held (it walks the task list).
 */
void usage_process(const struct task *t, struct usage *u);
/*
 * Fold @mm's high-water resident set into @t's process's largest (Linux's
 * setmax_mm_hiwater_rss into signal->maxrss): @mm is about to be dropped,
 * at exec or exit. Kernel lock held.
 */
void usage_mm_done(struct task *t, const struct mm *mm);
/* Thread @t's totals (RUSAGE_THREAD). Kernel lock held. */
void usage_thread_totals(struct task *t, struct rusage_totals *r);
/* The totals of @t's whole process (RUSAGE_SELF, times). Kernel lock held. */
void usage_process_totals(struct task *t, struct rusage_totals *r);
/*
 * The totals of @t's process and of its reaped children together
 * (Linux's RUSAGE_BOTH, what wait4 reports of a child). Kernel lock held.
 */
void usage_with_reaped(struct task *t, struct rusage_totals *r);
/*
 * Non-leader thread @t exits: its counts become its process's, kept by
 * the leader, so that the process's totals never drop when @t is freed.
 * Interrupts masked.
 */
void usage_thread_exit(struct task *t);
/*
 * Zombie @child is reaped by current's process: its process's totals,
 * and those of its own reaped children, become current's children's.
 * Kernel lock held.
 */
void usage_reap(struct task *child);
/*
 * Write a struct rusage of @r to user @ru.
 * Returns 0 or -EFAULT.
 */
int usage_put_rusage(uptr_t ru, const struct rusage_totals *r);
/* @ns in clock ticks (USER_HZ), as times and /proc report them. */
uint64_t usage_ns_to_clock_t(uint64_t ns);
