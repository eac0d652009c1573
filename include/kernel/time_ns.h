/*
 * Time namespaces (kernel/time/time_ns.c), as Linux's: offsets to
 * CLOCK_MONOTONIC (and its _RAW and _COARSE) and CLOCK_BOOTTIME (and
 * _ALARM) that the tasks of a namespace see. A task has the namespace it
 * is in (task->time_ns) and the one its children are forked into
 * (task->time_ns_children); unshare(CLONE_NEWTIME) gives it a new one
 * of the latter, with a copy of its offsets, which /proc/PID/
 * timens_offsets sets until a task first enters it. A task in a
 * namespace other than the initial one reads those clocks through the
 * system call, which adds the offsets (its vDSO data page says so). One
 * CPU, no kernel preemption: no locks.
 */
#pragma once
#include <kernel/ns.h>

struct mm;

struct time_ns_offset {
	int64_t sec;
	long nsec;		/* 0 .. 999999999 */
};

struct time_ns {
	struct ns_common ns;
	struct time_ns_offset monotonic, boottime;
	bool frozen;		/* a task entered it: offsets fixed */
};

/* The namespace the kernel starts in; init's (its offsets are 0). */
extern struct time_ns init_time_ns;

/* Take a reference to @t and return it. */
struct time_ns *time_ns_get(struct time_ns *t);
/* Drop a reference to @t (NULL is ignored). */
void time_ns_put(struct time_ns *t);
/*
 * A new namespace with @t's offsets, not yet entered, one reference for
 * the caller, or NULL when memory is short (Linux's copy_time_ns).
 */
struct time_ns *time_ns_copy(const struct time_ns *t);
/*
 * The namespaces of new task @c, created by current with clone @flags:
 * its children's namespace is current's or, with CLONE_NEWTIME, a copy
 * of it; it is in that one too, unless it shares current's memory
 * (CLONE_VM), as Linux's timens_on_fork. Entering fixes the offsets and
 * gives @c's mm the namespace's vDSO data page. 0 or -ENOMEM; what it
 * set is released by the caller's unwinding (time_ns_put of both).
 */
int time_ns_fork(struct task *c, uint64_t flags);
/*
 * Whether @mm's vDSO should answer the namespace's clocks through the
 * system call: current is in a namespace other than the initial one
 * (exec maps the data page by it).
 */
bool time_ns_vdso_syscall(void);

/*
 * CLOCK_MONOTONIC's and CLOCK_BOOTTIME's offsets of current's namespace,
 * in ns (the monotonic ones for @clk, 0 for other clocks).
 */
int64_t time_ns_offset_ns(int clk);
/*
 * An absolute time @ns of clock @clk as current's namespace sees it, as
 * the host's (Linux's timens_ktime_to_host): past ones as 0.
 */
uint64_t time_ns_to_host(int clk, uint64_t ns);
