/*
 * ptrace(2), the tracer's side, with Linux's rules and errno: TRACEME,
 * ATTACH and SEIZE (ptrace_may_access; EPERM for the caller's own
 * process, a traced or exiting task), the requests on a tracee in a
 * ptrace stop of the calling thread (ESRCH otherwise): resume (CONT,
 * SYSCALL, SINGLESTEP), DETACH, KILL, INTERRUPT and LISTEN, memory
 * (PEEK/POKE TEXT and DATA through mm_access_remote), registers
 * (ptrace_regs.c), options, the event message, the stop's siginfo, the
 * pending signals' (PEEKSIGINFO) and the signal mask. Unknown requests are EIO. Kernel lock held.
 */
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <kernel/pid_ns.h>
#include <kernel/mm.h>
#include <platform/usercopy.h>
#include <svc/introspect.h>
#include <svc/task.h>
#include <aramid/string.h>
#include <uapi/ptrace.h>
#include <uapi/seccomp.h>
#include <uapi/capability.h>
#include <uapi/errno.h>
#include "ptrace_internal.h"
#include "proc_internal.h"

#define PTRACE_PEEKSIGINFO	0x4209
#define PTRACE_GETSIGMASK	0x420a
#define PTRACE_SETSIGMASK	0x420b
#define PTRACE_SECCOMP_GET_FILTER	0x420c
#define PTRACE_SECCOMP_GET_METADATA	0x420d

/* Linux's valid_signal: 0..NSIG (64). */
static bool valid_signal(uint64_t sig)
{
	return sig <= NSIG;
}

/* PTRACE_TRACEME: be traced by the parent. EPERM if traced already. */
static long ptrace_traceme(void)
{
	struct task *p = current->parent;

	if (task_traced(current) || !p || p->group_exiting ||
	    p->state == TASK_ZOMBIE)
		return -EPERM;
	ptrace_link(current, p, false, 0);
	return 0;
}

/* The checks of SETOPTIONS and SEIZE's options: 0 or -EINVAL. */
static int options_check(uint64_t opts)
{
	if (opts & ~(uint64_t)PTRACE_O_MASK)
		return -EINVAL;
	/* Only a privileged tracer outside seccomp may suspend it. */
	if (opts & PTRACE_O_SUSPEND_SECCOMP) {
		if (!capable(CAP_SYS_ADMIN))
			return -EPERM;
		if (current->seccomp.mode != SECCOMP_MODE_DISABLED ||
		    (current->ptrace.options & PTRACE_O_SUSPEND_SECCOMP))
			return -EPERM;
	}
	return 0;
}

/* Make @t, sleeping or running, enter the kernel to find a new stop. */
static void ptrace_wake(struct task *t)
{
	if (t->state == TASK_SLEEPING)
		sched_make_runnable(t);
	else if (t->state == TASK_RUNNING)
		sched_kick(t);
}

/*
 * @t, just traced, is in a job-control stop: it is in a ptrace stop for
 * its tracer from now on, as Linux turns it into one before ATTACH or
 * SEIZE returns; the tracer's wait reports the stop signal (seized: as
 * PTRACE_EVENT_STOP, with its siginfo).
 */
static void ptrace_trap_stopped(struct task *t)
{
	struct ptrace_state *p = &t->ptrace;
	int sig = t->sig.stop_signal;

	p->stop_code = p->seized ? sig | PTRACE_EVENT_STOP << 8 : sig;
	p->has_siginfo = p->seized;
	if (p->seized) {
		memset(&p->siginfo, 0, sizeof(p->siginfo));
		p->siginfo.si_signo = sig;
		p->siginfo.si_code = p->stop_code;
		p->siginfo.kill.pid = t->pid;
		p->siginfo.kill.uid = t->cred.uid;
	}
	p->resume_sig = 0;
	p->stop_unreported = true;
	t->state = TASK_TRACED;
}

/* PTRACE_ATTACH (a SIGSTOP) or PTRACE_SEIZE (options @data) of @t. */
static long ptrace_attach(struct task *t, bool seize, uint64_t addr,
			  uint64_t data)
{
	siginfo_t info;
	int err;

	if (seize) {
		if (addr || (data & ~(uint64_t)PTRACE_O_MASK))
			return -EIO;
		err = options_check(data);
		if (err)
			return err;
	}
	if (t->tgid == current->tgid)
		return -EPERM;
	if (!ptrace_may_access(t, PTRACE_MODE_ATTACH | PTRACE_MODE_REALCREDS))
		return -EPERM;
	if (t->state == TASK_ZOMBIE || task_traced(t))
		return -EPERM;
	ptrace_link(t, current, seize, seize ? (unsigned)data : 0);
	if (!seize) {
		memset(&info, 0, sizeof(info));
		info.si_signo = SIGSTOP;
		info.si_code = SI_KERNEL;
		send_signal(t, SIGSTOP, &info);
	}
	if (t->state == TASK_STOPPED)
		ptrace_trap_stopped(t);
	return 0;
}

/*
 * Linux's ptrace_check_attach: @t is traced by the calling thread and
 * (unless @any_state) in a ptrace stop, not listening. 0 or -ESRCH.
 */
static int check_attach(struct task *t, bool any_state)
{
	if (t->ptrace.tracer != current)
		return -ESRCH;
	if (any_state)
		return 0;
	if (t->state != TASK_TRACED || t->ptrace.listening ||
	    (t->sig.pending & sigmask(SIGKILL)))
		return -ESRCH;
	return 0;
}

/* CONT, SYSCALL, SINGLESTEP: resume @t with signal @sig. */
static long ptrace_resume(struct task *t, long request, uint64_t sig)
{
	struct ptrace_state *p = &t->ptrace;

	if (!valid_signal(sig))
		return -EIO;
	if (request == PTRACE_SYSCALL)
		t->syscall_work |= SYSCALL_WORK_TRACE;
	else
		t->syscall_work &= ~SYSCALL_WORK_TRACE;
	if (request == PTRACE_SINGLESTEP) {
		if (!(task_frame(t)->rflags & RFLAGS_TF))
			p->singlestep = true;
		task_frame(t)->rflags |= RFLAGS_TF;
	} else if (p->singlestep) {
		task_frame(t)->rflags &= ~RFLAGS_TF;
		p->singlestep = false;
	}
	p->resume_sig = (int)sig;
	p->stop_unreported = p->cont_notify = false;
	sched_make_runnable(t);
	return 0;
}

/* PEEKTEXT/PEEKDATA (the word to *@data) and POKETEXT/POKEDATA. */
static long ptrace_mem(struct task *t, bool poke, uint64_t addr,
		       uint64_t data)
{
	uint64_t word = data;

	if (!t->mm || mm_access_remote(t->mm, addr, &word, sizeof(word),
				       poke) != sizeof(word))
		return -EIO;
	if (poke)
		return 0;
	return put_user(word, UPTR(data)) ? -EFAULT : 0;
}

/* GETSIGINFO and SETSIGINFO: the siginfo of @t's stop, or EINVAL. */
static long ptrace_siginfo(struct task *t, bool set, uptr_t data)
{
	siginfo_t info;

	if (set) {
		if (copy_from_user(&info, data, sizeof(info)))
			return -EFAULT;
		if (!t->ptrace.has_siginfo)
			return -EINVAL;
		t->ptrace.siginfo = info;
		return 0;
	}
	if (!t->ptrace.has_siginfo)
		return -EINVAL;
	return copy_to_user(data, &t->ptrace.siginfo, sizeof(info)) ?
	       -EFAULT : 0;
}

/*
 * PEEKSIGINFO: up to nr siginfos of @t's pending signals (the process's
 * with PTRACE_PEEKSIGINFO_SHARED) from the off-th, in the order sent,
 * to @data: how many (0 past the end), or EINVAL, or EFAULT if not even
 * the first could be copied. A signal for the tracer ends it early.
 */
static long ptrace_peeksiginfo(struct task *t, uptr_t uargs, uptr_t data)
{
	struct ptrace_peeksiginfo_args a;
	uint64_t after = 0;
	siginfo_t info;
	int32_t i;
	bool shared;

	if (copy_from_user(&a, uargs, sizeof(a)))
		return -EFAULT;
	if ((a.flags & ~(uint32_t)PTRACE_PEEKSIGINFO_SHARED) || a.nr < 0)
		return -EINVAL;
	shared = a.flags & PTRACE_PEEKSIGINFO_SHARED;
	for (uint64_t skip = 0; skip < a.off; skip++)
		if (!signal_peek_pending(t, shared, &after, &info))
			return 0;
	for (i = 0; i < a.nr; i++) {
		if (!signal_peek_pending(t, shared, &after, &info))
			break;
		if (copy_to_user(uptr_add(data, (size_t)i * sizeof(info)), &info,
				 sizeof(info)))
			return i ? i : -EFAULT;
		if (signal_pending())
			return i + 1;
	}
	return i;
}

/* GETSIGMASK and SETSIGMASK (@size must be sizeof(sigset_t)). */
static long ptrace_sigmask(struct task *t, bool set, uint64_t size,
			   uptr_t data)
{
	sigset_t m;

	if (size != sizeof(sigset_t))
		return -EINVAL;
	if (!set)
		return put_user(t->sig.blocked, data) ? -EFAULT : 0;
	if (copy_from_user(&m, data, sizeof(m)))
		return -EFAULT;
	t->sig.blocked = m & ~(sigmask(SIGKILL) | sigmask(SIGSTOP));
	return 0;
}

/* PTRACE_INTERRUPT of seized @t: an event stop as soon as it can. */
static long ptrace_interrupt(struct task *t)
{
	if (!t->ptrace.seized)
		return -EIO;
	t->ptrace.interrupt = true;
	if (t->state == TASK_TRACED && t->ptrace.listening) {
		t->ptrace.listening = false;
		t->ptrace.resume_sig = 0;
		sched_make_runnable(t);
	} else {
		ptrace_wake(t);
	}
	return 0;
}

/*
 * PTRACE_LISTEN of seized @t in an event stop: it stays stopped, but
 * not for requests (ESRCH), until SIGCONT or INTERRUPT wakes it to stop
 * again, or SIGKILL.
 */
static long ptrace_listen(struct task *t)
{
	const siginfo_t *si = &t->ptrace.siginfo;

	if (!t->ptrace.seized || !t->ptrace.has_siginfo ||
	    (si->si_code >> 8) != PTRACE_EVENT_STOP)
		return -EIO;
	t->ptrace.listening = true;
	if (t->ptrace.cont_notify) {
		t->ptrace.cont_notify = false;
		ptrace_continued(t);
	}
	return 0;
}

/* The requests on a tracee that check_attach let through. */
static long ptrace_request(struct task *t, long request, uint64_t addr,
			   uint64_t data)
{
	switch (request) {
	case PTRACE_PEEKTEXT:
	case PTRACE_PEEKDATA:
		return ptrace_mem(t, false, addr, data);
	case PTRACE_POKETEXT:
	case PTRACE_POKEDATA:
		return ptrace_mem(t, true, addr, data);
	case PTRACE_PEEKUSR:
		return ptrace_peekuser(t, addr, UPTR(data));
	case PTRACE_POKEUSR:
		return ptrace_pokeuser(t, addr, data);
	case PTRACE_GETREGS:
		return ptrace_getregs(t, UPTR(data), sizeof(struct user_regs_struct));
	case PTRACE_SETREGS:
		return ptrace_setregs(t, UPTR(data), sizeof(struct user_regs_struct));
	case PTRACE_GETFPREGS:
		return ptrace_getfpregs(t, UPTR(data), USER_FPREGS_SIZE);
	case PTRACE_SETFPREGS:
		return ptrace_setfpregs(t, UPTR(data), USER_FPREGS_SIZE);
	case PTRACE_GETREGSET:
	case PTRACE_SETREGSET:
		return ptrace_regset(t, request == PTRACE_SETREGSET,
				     (unsigned)addr, UPTR(data));
	case PTRACE_CONT:
	case PTRACE_SYSCALL:
	case PTRACE_SINGLESTEP:
		return ptrace_resume(t, request, data);
	case PTRACE_DETACH:
		if (!valid_signal(data))
			return -EIO;
		ptrace_release(t, (int)data);
		return 0;
	case PTRACE_KILL:
		if (t->state != TASK_ZOMBIE)
			send_signal(t, SIGKILL, NULL);
		return 0;
	case PTRACE_SETOPTIONS:
		if (options_check(data))
			return -EINVAL;
		t->ptrace.options = (unsigned)data;
		return 0;
	case PTRACE_GETEVENTMSG:
		return put_user(t->ptrace.message, UPTR(data)) ? -EFAULT : 0;
	case PTRACE_GETSIGINFO:
	case PTRACE_SETSIGINFO:
		return ptrace_siginfo(t, request == PTRACE_SETSIGINFO, UPTR(data));
	case PTRACE_PEEKSIGINFO:
		return ptrace_peeksiginfo(t, UPTR(addr), UPTR(data));
	case PTRACE_GETSIGMASK:
	case PTRACE_SETSIGMASK:
		return ptrace_sigmask(t, request == PTRACE_SETSIGMASK, addr,
				      UPTR(data));
	case PTRACE_GET_SYSCALL_INFO:
		return ptrace_syscall_info(t, addr, UPTR(data));
	case PTRACE_SECCOMP_GET_FILTER:
		return seccomp_get_filter(t, addr, UPTR(data));
	case PTRACE_SECCOMP_GET_METADATA:
		return seccomp_get_metadata(t, addr, UPTR(data));
	case PTRACE_INTERRUPT:
		return ptrace_interrupt(t);
	case PTRACE_LISTEN:
		return ptrace_listen(t);
	}
	return -EIO;
}

/* ptrace(request, pid, addr, data), in Linux's order of checks. */
SYSCALL(__NR_ptrace, ptrace)(SYSCALL_ARGS)
{
	long request = a0;
	struct task *t;
	int err;

	if (request == PTRACE_TRACEME)
		return ptrace_traceme();
	t = (pid_t)a1 > 0 ? task_find_vpid((pid_t)a1) : NULL;
	if (!t)
		return -ESRCH;
	if (request == PTRACE_ATTACH || request == PTRACE_SEIZE)
		return ptrace_attach(t, request == PTRACE_SEIZE, a2, a3);
	err = check_attach(t, request == PTRACE_KILL ||
			   request == PTRACE_INTERRUPT);
	if (err)
		return err;
	return ptrace_request(t, request, a2, a3);
}
