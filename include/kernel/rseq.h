/*
 * Restartable sequences (kernel/proc/rseq.c), as Linux 6.1: the hooks the
 * scheduler, signal delivery, fork and exec call for a thread that has
 * registered an rseq area.
 */
#pragma once
#include <kernel/task.h>

struct trapframe;

/*
 * @t is switched out (or must act as if it were: membarrier's RSEQ
 * command): before it runs user code again its critical section, if it
 * is in one, is aborted and its cpu_id rewritten. Kernel lock held.
 */
static inline void rseq_preempt(struct task *t)
{
	if (!uptr_null(t->rseq))
		t->rseq_event = t->rseq_notify = true;
}

/*
 * On the way back to user mode with current->rseq_notify set: abort the
 * critical section @tf is in, if an event calls for it, and write the
 * CPU's number into the area. A fault or a bad descriptor raises
 * SIGSEGV. Process context.
 */
void rseq_resume(struct trapframe *tf);

/*
 * Signal @sig is about to get a handler frame built from @tf: the same
 * work first, so that the frame holds the abort address. Failure raises
 * SIGSEGV (fatal when @sig is SIGSEGV itself, as on Linux).
 */
void rseq_signal_deliver(int sig, struct trapframe *tf);

/*
 * The child @c of current made by clone: one that @shares_vm (CLONE_VM:
 * a thread, or vfork's child) starts unregistered, a new process keeps
 * the registration and writes its own cpu_id before it runs.
 */
void rseq_fork(struct task *c, bool shares_vm);

/* exec: the registration ends with the old image. */
void rseq_exec(struct task *t);
