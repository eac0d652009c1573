/*
 * System call dispatch: the table built from every SYSCALL() definition,
 * the entry from the platform, and the way back to user space (reschedule,
 * signals). An unimplemented call returns ENOSYS and is logged once.
 */
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <kernel/signal.h>
#include <kernel/rseq.h>
#include <kernel/seccomp.h>
#include <platform/upcall.h>
#include <platform/printk.h>
#include <platform/panic.h>
#include <aramid/checked.h>
#include "syscall_names.h"

extern const struct syscall_entry __syscalls_start[], __syscalls_end[];

static syscall_fn_t table[NR_SYSCALLS];
static uint64_t warned[NR_SYSCALLS / 64 + 1];

void syscall_table_init(void)
{
	for (const struct syscall_entry *e = __syscalls_start;
	     e < __syscalls_end; e++) {
		if (e->nr >= NR_SYSCALLS || table[e->nr])
			panic("syscall_table_init: bad or duplicate entry "
			      "%u (%s)", e->nr, e->name);
		table[e->nr] = e->fn;
	}
}

static long unimplemented(uint64_t nr)
{
	if (nr < NR_SYSCALLS && !(warned[nr / 64] & (1UL << (nr % 64)))) {
		warned[nr / 64] |= 1UL << (nr % 64);
		pr_notice("%s[%d]: unimplemented system call %lu (%s)",
			  current->comm, current->pid, nr,
			  syscall_names[nr] ? syscall_names[nr] : "?");
	}
	return -ENOSYS;
}

/* Run system call @nr with @tf's arguments: its result. */
static long syscall_dispatch(struct trapframe *tf, uint64_t nr)
{
	if (nr < NR_SYSCALLS && table[nr])
		return CHECKED_INDEX(table, nr)(tf->rdi, tf->rsi, tf->rdx,
						tf->r10, tf->r8, tf->r9);
	return unimplemented(nr);
}

/*
 * The entry work of a task that has some: the PTRACE_SYSCALL stop (the
 * tracer may change the call or skip it), then seccomp, which sees the
 * call as the tracer left it. True if the call is to run.
 */
static bool syscall_entry_work(struct trapframe *tf)
{
	unsigned work = current->syscall_work;

	if ((work & SYSCALL_WORK_TRACE) && !ptrace_syscall_entry(tf))
		return false;
	if (work & SYSCALL_WORK_SECCOMP)
		return seccomp_syscall_entry(tf);
	return true;
}

/*
 * A task with no entry work (no PTRACE_SYSCALL, no seccomp) pays one
 * test of syscall_work; the exit stop costs it one more test. The exit
 * stop is asked for again after the call: the tracer may have resumed
 * with PTRACE_SYSCALL from a stop inside it.
 */
void kernel_syscall(struct trapframe *tf)
{
	uint64_t nr = tf->rax;

	current->syscall_nr = nr;
	current->in_syscall = true;
	if (unlikely(current->syscall_work)) {
		if (syscall_entry_work(tf))
			tf->rax = syscall_dispatch(tf, current->syscall_nr);
	} else {
		tf->rax = syscall_dispatch(tf, nr);
	}
	if (unlikely((current->syscall_work & SYSCALL_WORK_TRACE) |
		     current->ptrace.singlestep))
		ptrace_syscall_exit(tf);
}

void kernel_return_to_user(struct trapframe *tf)
{
	struct task *t = current;	/* the same after schedule() */

	for (;;) {
		if (t->need_resched)
			schedule();
		if (t->rseq_notify)
			rseq_resume(tf);
		long rax = (long)tf->rax;
		bool restart = t->in_syscall && rax <= -ERESTARTSYS &&
			       rax >= -ERESTART_RESTARTBLOCK;

		if (task_signal_pending(t) || restart ||
		    t->sig.restore_saved_mask)
			signal_deliver(tf);
		t->in_syscall = false;
		if (!t->need_resched)
			break;
	}
}
