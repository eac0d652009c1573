/*
 * The tracee's side of ptrace(2): the link to its tracer, the stops
 * (signal delivery, group stop, system call entry and exit, events,
 * PTRACE_INTERRUPT), each reported to the tracer as wait4 and waitid see
 * it (kernel/proc/exit.c), the trace a new child inherits, and what a
 * tracer's exit lets go. All under the kernel lock.
 */
#include <kernel/ptrace.h>
#include <kernel/task.h>
#include <kernel/signal.h>
#include <platform/cpu.h>
#include <aramid/string.h>
#include <uapi/ptrace.h>
#include <uapi/clone.h>
#include <uapi/errno.h>
#include "proc_internal.h"

/* See kernel/ptrace.h. */
void ptrace_state_init(struct ptrace_state *p)
{
	memset(p, 0, sizeof(*p));
	list_init(&p->tracees);
	list_init(&p->link);
}

/* See proc_internal.h. */
void ptrace_link(struct task *t, struct task *tracer, bool seized,
		 unsigned options)
{
	struct ptrace_state *p = &t->ptrace;

	p->tracer = tracer;
	p->seized = seized;
	p->options = options;
	p->stop_unreported = false;
	list_add_tail(&p->link, &tracer->ptrace.tracees);
}

/* See kernel/ptrace.h. */
void ptrace_unlink(struct task *t)
{
	struct ptrace_state *p = &t->ptrace;

	if (!p->tracer)
		return;
	list_del(&p->link);
	list_init(&p->link);
	p->tracer = NULL;
	p->seized = p->interrupt = p->listening = false;
	t->syscall_work &= ~SYSCALL_WORK_TRACE;
	p->stop_unreported = p->has_siginfo = p->cont_notify = false;
	p->options = 0;
	if (p->singlestep && t->state != TASK_ZOMBIE)
		task_frame(t)->rflags &= ~RFLAGS_TF;
	p->singlestep = false;
}

/* See proc_internal.h. */
void ptrace_release(struct task *t, int sig)
{
	bool zombie = t->state == TASK_ZOMBIE;

	ptrace_unlink(t);
	if (zombie) {
		/* A thread's zombie was kept for the tracer; a process that
		 * ended while traced is now its parent's to hear of. */
		if (t->pid != t->tgid)
			task_free(t);
		else if (!task_other_threads(t))
			exit_notify_parent(t);
		return;
	}
	t->ptrace.resume_sig = sig;
	if (t->state == TASK_TRACED)
		sched_make_runnable(t);
}

static bool fatal_pending(void)
{
	return (current->sig.pending & sigmask(SIGKILL)) != 0;
}

/*
 * Stop current for its tracer with stop code @code (the wait status's
 * signal | event << 8), siginfo @info (NULL: none) and event message
 * @msg, until the tracer resumes it, lets it go or SIGKILL comes.
 * Returns the signal it was resumed with.
 */
static int ptrace_stop(int code, const siginfo_t *info, uint64_t msg)
{
	struct ptrace_state *p = &current->ptrace;

	if (!p->tracer || fatal_pending())
		return 0;
	p->stop_code = code;
	p->message = msg;
	p->has_siginfo = info != NULL;
	if (info)
		p->siginfo = *info;
	p->resume_sig = 0;
	p->listening = p->cont_notify = false;
	p->stop_unreported = true;
	current->state = TASK_TRACED;
	signal_notify_tracer(current, CLD_TRAPPED, code & 0x7f);
	schedule();
	p->stop_unreported = false;
	p->has_siginfo = false;
	return p->resume_sig;
}

/*
 * A stop of the tracer's asking (syscall, event, a seized group stop):
 * signal @sig's siginfo with si_code @code as Linux's ptrace_do_notify
 * gives it.
 */
static int ptrace_notify_sig(int sig, int code, uint64_t msg)
{
	siginfo_t info;

	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = code;
	info.kill.pid = current->pid;
	info.kill.uid = current->cred.uid;
	return ptrace_stop(code, &info, msg);
}

static int ptrace_notify(int code, uint64_t msg)
{
	return ptrace_notify_sig(SIGTRAP, code, msg);
}

/* See kernel/ptrace.h. */
int ptrace_signal(int sig, siginfo_t *info)
{
	struct task *tracer = current->ptrace.tracer;
	int nsig = ptrace_stop(sig, info, 0);

	if (!nsig)
		return 0;
	*info = current->ptrace.siginfo;	/* as SETSIGINFO left it */
	if (nsig != info->si_signo) {
		memset(info, 0, sizeof(*info));
		info->si_signo = nsig;
		info->si_code = SI_USER;
		if (tracer) {
			info->kill.pid = tracer->pid;
			info->kill.uid = tracer->cred.uid;
		}
	}
	if ((current->sig.blocked & sigmask(nsig)) || fatal_pending()) {
		send_signal(current, nsig, info);
		return 0;
	}
	return nsig;
}

/* See kernel/ptrace.h. */
void ptrace_group_stop(int sig)
{
	/* Seized: PTRACE_EVENT_STOP with a siginfo, which LISTEN needs. */
	if (current->ptrace.seized)
		ptrace_notify_sig(sig, sig | PTRACE_EVENT_STOP << 8, 0);
	else
		ptrace_stop(sig, NULL, 0);
}

/* See kernel/ptrace.h. */
void ptrace_continued(struct task *t)
{
	struct ptrace_state *p = &t->ptrace;

	if (!p->listening) {
		p->cont_notify = true;
		return;
	}
	p->listening = false;
	p->interrupt = true;
	p->resume_sig = 0;
	sched_make_runnable(t);
}

/* See kernel/ptrace.h. */
void ptrace_take_interrupt(void)
{
	if (likely(!current->ptrace.interrupt))
		return;
	current->ptrace.interrupt = false;
	ptrace_notify(SIGTRAP | PTRACE_EVENT_STOP << 8, 0);
}

/* SIGTRAP, or with TRACESYSGOOD SIGTRAP | 0x80: a syscall stop's code. */
static int syscall_stop_code(void)
{
	return current->ptrace.options & PTRACE_O_TRACESYSGOOD ?
	       SIGTRAP | 0x80 : SIGTRAP;
}

/*
 * A syscall stop, its event message PTRACE_EVENTMSG_SYSCALL_ENTRY or
 * _EXIT (@msg); after it the signal resumed with is sent, as Linux does.
 */
static void syscall_stop(uint64_t msg)
{
	int sig = ptrace_notify(syscall_stop_code(), msg);

	if (sig)
		send_signal(current, sig, NULL);
}

/* See kernel/ptrace.h. */
bool ptrace_syscall_entry(struct trapframe *tf)
{
	tf->rax = (uint64_t)-ENOSYS;
	syscall_stop(PTRACE_EVENTMSG_SYSCALL_ENTRY);
	return !fatal_pending() && current->syscall_nr != -1;
}

/* See kernel/ptrace.h. */
void ptrace_syscall_exit(struct trapframe *tf)
{
	siginfo_t info;

	if (current->ptrace.singlestep) {
		/* The step over `syscall` ends here: TF was masked inside. */
		memset(&info, 0, sizeof(info));
		info.si_signo = SIGTRAP;
		info.si_code = TRAP_TRACE;
		info.fault.addr = tf->rip;
		send_signal(current, SIGTRAP, &info);
		return;
	}
	syscall_stop(PTRACE_EVENTMSG_SYSCALL_EXIT);
}

/* See kernel/ptrace.h. */
bool ptrace_event(int event, uint64_t msg)
{
	if (!task_traced(current) || !(current->ptrace.options & (1u << event)))
		return false;
	ptrace_notify(SIGTRAP | event << 8, msg);
	return true;
}

/* See kernel/ptrace.h. */
bool ptrace_exec_unsafe(void)
{
	struct task *tracer = current->ptrace.tracer;

	return tracer && !cred_capable(&tracer->cred, CAP_SYS_PTRACE);
}

/* See kernel/ptrace.h. */
void ptrace_exec(pid_t old_pid)
{
	if (ptrace_event(PTRACE_EVENT_EXEC, (uint64_t)old_pid))
		return;
	if (!current->ptrace.seized)
		send_signal(current, SIGTRAP, NULL);
}

/*
 * A new traced child's SIGSTOP, pending before it first runs, with the
 * siginfo Linux's bare pending bit yields (SI_USER, no sender).
 */
static void ptrace_queue_stop(struct task *child)
{
	siginfo_t *si = &child->sig.info[SIGSTOP - 1];

	memset(si, 0, sizeof(*si));
	si->si_signo = SIGSTOP;
	si->si_code = SI_USER;
	child->sig.pending |= sigmask(SIGSTOP);
}

/* See kernel/ptrace.h. */
int ptrace_fork(struct task *child, uint64_t flags, int exit_signal)
{
	struct ptrace_state *p = &current->ptrace;
	int event;

	if (!p->tracer || (flags & CLONE_UNTRACED))
		return 0;
	if (flags & CLONE_VFORK)
		event = PTRACE_EVENT_VFORK;
	else if (exit_signal != SIGCHLD)
		event = PTRACE_EVENT_CLONE;
	else
		event = PTRACE_EVENT_FORK;
	if (!(p->options & (1u << event)))
		event = 0;
	if (!event && !(flags & CLONE_PTRACE))
		return 0;
	ptrace_link(child, p->tracer, p->seized, p->options);
	/* Its first stop: SIGSTOP, or a seized child's event stop. */
	if (p->seized)
		child->ptrace.interrupt = true;
	else
		ptrace_queue_stop(child);
	return event;
}

/* See kernel/ptrace.h. */
void ptrace_exit(struct task *t)
{
	struct ptrace_state *p, *n;

	list_for_each_entry_safe(p, n, &t->ptrace.tracees, link) {
		struct task *tracee = container_of(p, struct task, ptrace);

		if (p->options & PTRACE_O_EXITKILL)
			send_signal(tracee, SIGKILL, NULL);
		ptrace_release(tracee, 0);
	}
}
