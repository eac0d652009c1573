/*
 * The per-task files about what a task is doing, as Linux 6.1's
 * fs/proc/base.c: personality, syscall and stack (behind lock_trace's
 * ptrace check), and timerslack_ns (CAP_SYS_NICE for another task's).
 */
#include "procfs.h"
#include <aramid/string.h>
#include <svc/task.h>
#include <uapi/errno.h>

/* Linux's lock_trace: EPERM unless the caller may attach to @t. */
static int trace_allowed(struct task *t)
{
	if (!ptrace_may_access(t, PTRACE_MODE_ATTACH | PTRACE_MODE_FSCREDS))
		return -EPERM;
	return 0;
}

int proc_pid_personality_show(struct proc_buf *b, struct task *t)
{
	int err = trace_allowed(t);

	if (!err)
		pb_printf(b, "%08x\n", t->personality);
	return err;
}

/*
 * The system call @t is in, its six arguments, stack pointer and
 * instruction pointer; "-1 sp pc" when it is not in one.
 */
int proc_pid_syscall_show(struct proc_buf *b, struct task *t)
{
	const struct trapframe *tf;
	int err = trace_allowed(t);

	if (err)
		return err;
	if (!t->mm) {		/* no user context */
		pb_printf(b, "-1 0x0 0x0\n");
		return 0;
	}
	tf = task_frame(t);
	if (!t->in_syscall) {
		pb_printf(b, "-1 0x%lx 0x%lx\n", tf->rsp, tf->rip);
		return 0;
	}
	pb_printf(b, "%ld 0x%lx 0x%lx 0x%lx 0x%lx 0x%lx 0x%lx 0x%lx 0x%lx\n",
		  t->syscall_nr, tf->rdi, tf->rsi, tf->rdx, tf->r10, tf->r8,
		  tf->r9, tf->rsp, tf->rip);
	return 0;
}

/*
 * The kernel stack, for CAP_SYS_ADMIN alone (EACCES otherwise). Aramid
 * does not unwind kernel stacks: it prints no frames, what Linux prints
 * when its unwinder finds none.
 */
int proc_pid_stack_show(struct proc_buf *b, struct task *t)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EACCES;
	return trace_allowed(t);
}

/* Another task's slack is read or set with CAP_SYS_NICE only. */
static int slack_allowed(struct task *t)
{
	return t == current || capable(CAP_SYS_NICE) ? 0 : -EPERM;
}

int proc_pid_timerslack_show(struct proc_buf *b, struct task *t)
{
	int err = slack_allowed(t);

	if (!err)
		pb_printf(b, "%lu\n", t->timer_slack_ns);
	return err;
}

/* 0 restores the task's default slack (that of its creation). */
int proc_pid_timerslack_write(struct task *t, const char *buf, size_t len)
{
	uint64_t ns;
	int err = proc_kstrtoull(buf, len, 10, &ns);

	if (!err)
		err = slack_allowed(t);
	if (!err)
		t->timer_slack_ns = ns ? ns : t->default_slack_ns;
	return err;
}
