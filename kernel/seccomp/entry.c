/*
 * The seccomp hook at system call entry (kernel/syscall/syscall.c calls
 * it for a task with SYSCALL_WORK_SECCOMP, after any PTRACE_SYSCALL
 * stop): strict mode's four calls, or the filters' verdict carried out
 * as Linux's __seccomp_filter does, each logged as Linux logs it
 * (log.c). Kernel lock held.
 */
#include <kernel/task.h>
#include <kernel/signal.h>
#include <platform/cpu.h>
#include <aramid/string.h>
#include <uapi/ptrace.h>
#include <uapi/errno.h>
#include <uapi/syscalls.h>
#include "seccomp_internal.h"

static bool fatal_pending(void)
{
	return (current->sig.pending & sigmask(SIGKILL)) != 0;
}

/* Strict mode: read, write, exit and rt_sigreturn; else the thread dies. */
static void strict_check(void)
{
	long nr = current->syscall_nr;

	if (nr == __NR_read || nr == __NR_write || nr == __NR_exit ||
	    nr == __NR_rt_sigreturn)
		return;
	seccomp_log((int)nr, SIGKILL, SECCOMP_RET_KILL_THREAD, true);
	task_exit(SIGKILL);
}

static void fill_data(struct seccomp_data *sd, const struct trapframe *tf)
{
	sd->nr = (int32_t)current->syscall_nr;
	sd->arch = AUDIT_ARCH_X86_64;
	sd->instruction_pointer = tf->rip;
	sd->args[0] = tf->rdi;
	sd->args[1] = tf->rsi;
	sd->args[2] = tf->rdx;
	sd->args[3] = tf->r10;
	sd->args[4] = tf->r8;
	sd->args[5] = tf->r9;
}

/* TRAP: SIGSYS with the call, as a handler may emulate it. */
static void send_sigsys(const struct seccomp_data *sd, uint32_t data)
{
	siginfo_t info;

	memset(&info, 0, sizeof(info));
	info.si_signo = SIGSYS;
	info.si_code = SYS_SECCOMP;
	info.si_errno = (int32_t)data;
	info.sys.call_addr = sd->instruction_pointer;
	info.sys.syscall = sd->nr;
	info.sys.arch = sd->arch;
	force_signal_info(&info);
}

/*
 * KILL_THREAD ends the thread, or the process when it is the last one;
 * KILL_PROCESS and any action Linux does not know end the process. The
 * wait status is SIGSYS's; no core is written (RLIMIT_CORE is 0).
 */
static __noreturn void kill_for(uint32_t action)
{
	if (action == SECCOMP_RET_KILL_THREAD && task_other_threads(current))
		task_exit(SIGSYS);
	task_exit_group(SIGSYS);
}

/*
 * Run the filters on the call in @tf and act: true if it is to run.
 * @rechecking: after a TRACE stop, where TRACE means run.
 */
static bool filter_check(struct trapframe *tf, bool rechecking)
{
	const struct seccomp_filter *match;
	struct seccomp_data sd;
	uint32_t ret, action, data;

	fill_data(&sd, tf);
	ret = seccomp_run_filters(&sd, &match);
	action = ret & SECCOMP_RET_ACTION_FULL;
	data = ret & SECCOMP_RET_DATA;
	switch (action) {
	case SECCOMP_RET_ALLOW:
		return true;
	case SECCOMP_RET_LOG:
		seccomp_log(sd.nr, 0, ret, true);
		return true;
	case SECCOMP_RET_ERRNO:
		tf->rax = (uint64_t)-(long)MIN(data, (uint32_t)MAX_ERRNO);
		break;
	case SECCOMP_RET_TRAP:
		tf->rax = (uint64_t)current->syscall_nr;  /* what the handler sees */
		send_sigsys(&sd, data);
		break;
	case SECCOMP_RET_USER_NOTIF:
		tf->rax = (uint64_t)-ENOSYS;	/* no listener: Linux's result */
		break;
	case SECCOMP_RET_TRACE:
		if (rechecking)
			return true;
		tf->rax = (uint64_t)-ENOSYS;
		if (!ptrace_event(PTRACE_EVENT_SECCOMP, data))
			break;		/* no tracer asking: ENOSYS */
		/* The tracer may have changed or skipped (-1) the call. */
		if (fatal_pending() || current->syscall_nr < 0)
			break;
		return filter_check(tf, true);
	default:
		seccomp_log(sd.nr, SIGSYS, ret, true);
		kill_for(action);
	}
	seccomp_log(sd.nr, 0, ret, match->log);
	return false;
}

/* See kernel/seccomp.h. */
bool seccomp_syscall_entry(struct trapframe *tf)
{
	/* PTRACE_O_SUSPEND_SECCOMP: a checkpointing tracer's tracee. */
	if (unlikely(current->ptrace.options & PTRACE_O_SUSPEND_SECCOMP))
		return true;
	if (current->seccomp.mode == SECCOMP_MODE_STRICT) {
		strict_check();
		return true;
	}
	return filter_check(tf, false);
}
