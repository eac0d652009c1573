/*
 * Per-process settings: prctl, arch_prctl (the FS base), set_tid_address
 * and personality.
 */
#include <kernel/task.h>
#include <kernel/pid_ns.h>
#include <kernel/cred.h>
#include <kernel/mm.h>
#include <kernel/syscall.h>
#include <platform/usercopy.h>
#include <aramid/string.h>

#define PR_SET_PDEATHSIG	1
#define PR_GET_PDEATHSIG	2
#define PR_GET_DUMPABLE		3
#define PR_SET_DUMPABLE		4
#define PR_GET_SECCOMP		21
#define PR_SET_SECCOMP		22
#define PR_SET_NAME		15
#define PR_GET_NAME		16
#define PR_SET_CHILD_SUBREAPER	36
#define PR_GET_CHILD_SUBREAPER	37
#define PR_GET_TSC		25
#define PR_SET_TSC		26
#define PR_TSC_ENABLE		1
#define PR_TSC_SIGSEGV		2
#define PR_SET_TIMERSLACK	29
#define PR_GET_TIMERSLACK	30

SYSCALL(__NR_prctl, prctl)(SYSCALL_ARGS)
{
	char name[TASK_COMM_LEN];
	long ret = prctl_cred((int)a0, a1, a2, a3, a4);

	if (ret != -ENOSYS)
		return ret;
	switch ((int)a0) {
	case PR_SET_PDEATHSIG:
		if (a1 < 0 || a1 > NSIG)
			return -EINVAL;
		current->pdeath_signal = a1;
		return 0;
	case PR_GET_PDEATHSIG: {
		int sig = current->pdeath_signal;

		return put_user(sig, UPTR(a1)) ? -EFAULT : 0;
	}
	case PR_GET_DUMPABLE:
		return current->mm->dumpable;
	case PR_SET_DUMPABLE:
		if (a1 != 0 && a1 != 1)
			return -EINVAL;
		current->mm->dumpable = a1;
		return 0;
	case PR_SET_NAME: {
		long n = strncpy_from_user(name, UPTR(a1), sizeof(name));

		if (n == -EFAULT)
			return -EFAULT;
		if (n < 0) {	/* longer: truncated to 15, as Linux does */
			if (copy_from_user(name, UPTR(a1), sizeof(name) - 1))
				return -EFAULT;
			name[sizeof(name) - 1] = '\0';
		}
		memcpy(current->comm, name, sizeof(name));
		return 0;
	}
	case PR_GET_NAME:
		return copy_to_user(UPTR(a1), current->comm, TASK_COMM_LEN) ?
		       -EFAULT : 0;
	case PR_SET_CHILD_SUBREAPER:
		task_leader(current)->child_subreaper = a1 != 0;
		return 0;
	case PR_GET_CHILD_SUBREAPER: {
		int on = task_leader(current)->child_subreaper;

		return put_user(on, UPTR(a1)) ? -EFAULT : 0;
	}
	case PR_GET_SECCOMP:
		return seccomp_prctl_get();
	case PR_SET_SECCOMP:
		return seccomp_prctl_set(a1, UPTR(a2));
	case PR_GET_TSC: {
		int v = current->cpu.notsc ? PR_TSC_SIGSEGV : PR_TSC_ENABLE;

		return put_user(v, UPTR(a1)) ? -EFAULT : 0;
	}
	case PR_SET_TSC:
		if (a1 != PR_TSC_ENABLE && a1 != PR_TSC_SIGSEGV)
			return -EINVAL;
		cpu_set_tsc_user(&current->cpu, a1 == PR_TSC_ENABLE);
		return 0;
	case PR_SET_TIMERSLACK:
		current->timer_slack_ns = a1 <= 0 ? current->default_slack_ns :
				       (uint64_t)a1;
		return 0;
	case PR_GET_TIMERSLACK:
		return (long)current->timer_slack_ns;
	default:
		return -EINVAL;
	}
}

#define ARCH_SET_FS	0x1002
#define ARCH_GET_FS	0x1003
#define ARCH_SET_GS	0x1001
#define ARCH_GET_GS	0x1004
#define ARCH_GET_CPUID	0x1011
#define ARCH_SET_CPUID	0x1012

SYSCALL(__NR_arch_prctl, arch_prctl)(SYSCALL_ARGS)
{
	switch ((int)a0) {
	case ARCH_SET_FS:
		if ((uint64_t)a1 >= USER_TOP)
			return -EPERM;
		cpu_set_fs_base(&current->cpu, a1);
		return 0;
	case ARCH_GET_FS:
		return put_user(current->cpu.fs_base, UPTR(a1)) ? -EFAULT : 0;
	case ARCH_GET_CPUID:
		return 1;	/* cpuid never faults here */
	case ARCH_SET_CPUID:
		return -ENODEV;	/* as Linux without the CPUID-faulting feature */
	default:
		return -EINVAL;
	}
}

SYSCALL(__NR_set_tid_address, set_tid_address)(SYSCALL_ARGS)
{
	current->clear_child_tid = UPTR(a0);
	return task_vnr(current);	/* in its own PID namespace */
}

/* As Linux: any persona is taken; 0xffffffff only asks. The old one. */
SYSCALL(__NR_personality, personality)(SYSCALL_ARGS)
{
	unsigned old = current->personality;

	if ((unsigned)a0 != 0xffffffff)
		current->personality = (unsigned)a0;
	return old;
}
