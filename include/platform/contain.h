/*
 * Fault containment points (platform/contain.S, contain.c). A recovery
 * point is armed with contain_enter(), which returns 0; if a CPU exception
 * or a panic() happens in kernel mode while it is the innermost armed
 * point of the running thread, execution resumes by returning 1 from that
 * contain_enter() instead (like setjmp/longjmp), with the interrupt state
 * it had. The kernel's service boundary builds on this.
 */
#pragma once
#include <aramid/types.h>

#define CONTAIN_MAX_ALLOCS	16

struct contain_point {
	uint64_t rbx, rbp, r12, r13, r14, r15, rsp, rip;
	uint64_t rflags;
	struct contain_point *prev;	/* the enclosing point, if nested */
	/* What happened, filled in before the second return. */
	const char *fault;		/* e.g. "page fault", or "panic" */
	bool panicked;			/* a panic(): see panic_msg */
	uint64_t fault_rip;
	uint64_t fault_addr;
	char panic_msg[160];		/* a lock check names two sites */
	/* Heap blocks allocated while this point was innermost. */
	void *allocs[CONTAIN_MAX_ALLOCS];
	unsigned nallocs;
	unsigned untracked;		/* allocations beyond the array */
};

/* Arm @p on the running thread: 0 now, 1 after a contained fault. */
int contain_enter(struct contain_point *p) __attribute__((returns_twice));
/* Disarm @p (the innermost point) after a normal return. */
void contain_exit(struct contain_point *p);
/* The running thread's innermost armed point, or NULL. */
struct contain_point *contain_current(void);
/* Free what was allocated under @p (after a fault: it is unreachable). */
void contain_free_allocs(struct contain_point *p);
