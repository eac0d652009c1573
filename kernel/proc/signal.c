/*
 * Signal generation and delivery with Linux semantics: pending and
 * blocked sets, default actions (terminate, ignore, stop, continue),
 * handler frames (struct rt_sigframe) on the user or alternate stack,
 * and the EINTR/restart rules for interrupted system calls.
 */
#include <kernel/signal.h>
#include <kernel/rseq.h>
#include <kernel/task.h>
#include <kernel/ioport.h>
#include <kernel/pid_ns.h>
#include <kernel/mm.h>
#include <platform/cpu.h>
#include <platform/usercopy.h>
#include <platform/heap.h>
#include <aramid/string.h>
#include <aramid/checked.h>
#include <kernel/coredump.h>
#include <svc/task.h>
#include <uapi/errno.h>
#include <uapi/syscalls.h>
#include "proc_internal.h"

#define UNBLOCKABLE	(sigmask(SIGKILL) | sigmask(SIGSTOP))
#define STOP_SIGNALS	(sigmask(SIGSTOP) | sigmask(SIGTSTP) | \
			 sigmask(SIGTTIN) | sigmask(SIGTTOU))
#define IGNORE_SIGNALS	(sigmask(SIGCHLD) | sigmask(SIGURG) | \
			 sigmask(SIGWINCH) | sigmask(SIGCONT))
/* The signals whose default action is a core dump. */
#define CORE_SIGNALS	(sigmask(SIGQUIT) | sigmask(SIGILL) | \
			 sigmask(SIGTRAP) | sigmask(SIGABRT) | \
			 sigmask(SIGFPE) | sigmask(SIGSEGV) | \
			 sigmask(SIGBUS) | sigmask(SIGSYS) | \
			 sigmask(SIGXCPU) | sigmask(SIGXFSZ))

/* Counts the signals queued: each one's place in the order sent. */
static uint64_t signal_seq;

struct rt_sigframe {
	uint64_t pretcode;
	struct ucontext uc;
	siginfo_t info;
};

static bool sig_default_ignored(int sig)
{
	return sig >= SIGRTMIN ? false : (IGNORE_SIGNALS & sigmask(sig)) != 0;
}

bool signal_ignored(struct task *t, int sig)
{
	uint64_t h = CHECKED_INDEX(t->sig.action, sig - 1).handler;

	return h == SIG_IGN || (h == SIG_DFL && sig_default_ignored(sig));
}

bool signal_blocked_or_ignored(struct task *t, int sig)
{
	return (t->sig.blocked & sigmask(sig)) ||
	       CHECKED_INDEX(t->sig.action, sig - 1).handler == SIG_IGN;
}

bool signal_pending(void)
{
	return task_signal_pending(current);
}

void signal_state_init(struct signal_state *s)
{
	list_init(&s->rt_queue);
	s->rt_queued = 0;
	wq_init(&s->signalfd_wq);
}

void signal_state_release(struct signal_state *s)
{
	signal_flush(s, ~(sigset_t)0);
	wq_release(&s->signalfd_wq);
}

/* Unlink queued @q; an allocated entry is freed, an owned one told. */
static void sigqueue_unlink(struct signal_state *s, struct sigqueue *q,
			    siginfo_t *info)
{
	list_del(&q->link);
	if (q->dequeued) {
		q->dequeued(q, info);
		return;
	}
	user_sigpending_put(q->user);
	kfree(q);
	s->rt_queued--;
}

/* Standard signal @sig's info is gone: uncharge its user. */
static void legacy_release(struct signal_state *s, int sig)
{
	struct user_count **u = &CHECKED_INDEX(s->legacy_user, sig);

	if (*u)
		user_sigpending_put(*u);
	*u = NULL;
}

/* See signal.h. */
void signal_flush(struct signal_state *s, sigset_t mask)
{
	struct sigqueue *q, *n;
	irqflags_t fl = irq_save();

	list_for_each_entry_safe(q, n, &s->rt_queue, link)
		if (mask & sigmask(q->info.si_signo))
			sigqueue_unlink(s, q, NULL);
	for (int sig = 1; sig < SIGRTMIN; sig++)
		if (mask & s->legacy & sigmask(sig))
			legacy_release(s, sig);
	s->pending &= ~mask;
	s->legacy &= ~mask;
	irq_restore(fl);
}

/* Whether the sender, current, has no number in @t's PID namespace. */
static bool sent_from_outside(const struct task *t)
{
	return current && !task_nr_ns(current, t->pid_ns);
}

/*
 * The info of @sig for @t: @info, or kill()'s (the caller's process id
 * as it sees it, as Linux's prepare_kill_siginfo). A sender @t cannot
 * see is pid 0 there, as Linux's send_signal_locked makes it.
 */
static void fill_info(siginfo_t *si, struct task *t, int sig,
		      const siginfo_t *info)
{
	memset(si, 0, sizeof(*si));
	if (info) {
		*si = *info;
	} else {
		si->si_code = SI_USER;
		si->kill.pid = current ? task_tgid_vnr(current) : 0;
		si->kill.uid = current ? current->cred.uid : 0;
	}
	if ((si->si_code == SI_USER || si->si_code == SI_TKILL ||
	     si->si_code == SI_QUEUE || si->si_code == SI_MESGQ) &&
	    sent_from_outside(t))
		si->kill.pid = 0;
	si->si_signo = sig;
}

/*
 * Queue one more instance of real-time signal @sig: every instance is
 * delivered, each charged to @t's real user up to @t's RLIMIT_SIGPENDING
 * (Linux's __sigqueue_alloc). kill()'s instances (SI_USER) are queued
 * over it, as Linux still delivers them. Returns 0 or -EAGAIN.
 */
static int queue_rt(struct task *t, int sig, const siginfo_t *info,
		    bool shared)
{
	bool force = !info || info->si_code == SI_USER;
	struct sigqueue *q;

	if (!user_sigpending_get(t->user, task_rlimits(t)[RLIMIT_SIGPENDING].cur, force))
		return -EAGAIN;		/* RLIMIT_SIGPENDING */
	q = kmalloc(sizeof(*q));
	if (!q) {
		user_sigpending_put(t->user);
		return -EAGAIN;
	}
	fill_info(&q->info, t, sig, info);
	q->dequeued = NULL;
	q->user = t->user;
	q->seq = ++signal_seq;
	q->shared = shared;
	list_add_tail(&q->link, &t->sig.rt_queue);
	t->sig.rt_queued++;
	return 0;
}

/*
 * Charge standard signal @sig's info, just filled in, to @t's user as
 * Linux's __sigqueue_alloc does: the kernel's and kill()'s over
 * RLIMIT_SIGPENDING too; a sigqueue() one over it loses its info and
 * arrives as a bare SI_USER.
 */
static void legacy_charge(struct task *t, int sig, const siginfo_t *info)
{
	struct user_count **u = &CHECKED_INDEX(t->sig.legacy_user, sig);
	siginfo_t *si = &CHECKED_INDEX(t->sig.info, sig - 1);
	bool force = !info || info->si_code >= 0;

	*u = NULL;
	if (user_sigpending_get(t->user, task_rlimits(t)[RLIMIT_SIGPENDING].cur, force)) {
		*u = t->user;
		return;
	}
	memset(si, 0, sizeof(*si));
	si->si_signo = sig;
	si->si_code = SI_USER;
}

/*
 * A PID namespace's init gets only the signals it has handlers for, or
 * blocks (a blocked signal may be waited for, or handled once
 * unblocked), a traced init the SIGSTOP of PTRACE_ATTACH, and SIGKILL
 * and SIGSTOP from an ancestor namespace (Linux's SIGNAL_UNKILLABLE).
 */
static bool init_drops(struct task *t, int sig)
{
	if (sig == SIGSTOP && task_traced(t))
		return false;		/* ptrace's, for its tracer */
	if ((sig == SIGKILL || sig == SIGSTOP) && sent_from_outside(t))
		return false;
	return task_leader(t) == t->pid_ns->reaper &&
	       CHECKED_INDEX(t->sig.action, sig - 1).handler == SIG_DFL &&
	       !(t->sig.blocked & sigmask(sig));
}

/*
 * The side effects of generating @sig for @t (SIGCONT, SIGKILL and the
 * stop signals cancel each other); then true if @t ignores it, so that
 * it is not queued. Interrupts masked.
 */
static bool signal_prepare(struct task *t, int sig)
{
	struct signal_state *s = &t->sig;

	if (sig == SIGCONT || sig == SIGKILL) {
		signal_flush(s, STOP_SIGNALS);
		if (t->state == TASK_STOPPED) {
			s->stop_unreported = false;
			s->cont_unreported = true;
			sched_make_runnable(t);
			if (sig == SIGCONT && t->parent)
				signal_notify_parent(t, CLD_CONTINUED, SIGCONT);
		} else if (sig == SIGCONT && t->state == TASK_TRACED &&
			   t->ptrace.seized) {
			ptrace_continued(t);
		}
	} else if (STOP_SIGNALS & sigmask(sig)) {
		signal_flush(s, sigmask(SIGCONT));
	}
	/* A tracer sees even the signals its tracee ignores. */
	return signal_ignored(t, sig) && !(s->blocked & sigmask(sig)) &&
	       sig != SIGKILL && !task_traced(t);
}

/* @sig is now pending for @t: wake its signalfds and, if it takes it, @t. */
static void signal_wake(struct task *t, int sig)
{
	struct signal_state *s = &t->sig;

	s->pending |= sigmask(sig);
	wq_wake_all(&s->signalfd_wq);
	if (!(s->blocked & sigmask(sig)) || (s->waitset & sigmask(sig)) ||
	    sig == SIGKILL) {
		if (t->state == TASK_SLEEPING || sig == SIGKILL)
			sched_make_runnable(t);
		else
			sched_kick(t);
	}
}

/* send_signal, to the process if @shared (PTRACE_PEEKSIGINFO tells). */
static int queue_signal(struct task *t, int sig, const siginfo_t *info,
			bool shared)
{
	struct signal_state *s = &t->sig;
	irqflags_t fl;
	int err = 0;

	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (sig == 0 || t->state == TASK_ZOMBIE || init_drops(t, sig))
		return 0;

	fl = irq_save();
	if (signal_prepare(t, sig))
		goto out;
	if (sig >= SIGRTMIN) {
		err = queue_rt(t, sig, info, shared);
		if (err)
			goto out;
	} else if (!(s->pending & sigmask(sig))) {
		fill_info(&CHECKED_INDEX(s->info, sig - 1), t, sig, info);
		legacy_charge(t, sig, info);
		s->legacy |= sigmask(sig);
		s->legacy_shared = (s->legacy_shared & ~sigmask(sig)) |
				   (shared ? sigmask(sig) : 0);
		CHECKED_INDEX(s->legacy_seq, sig) = ++signal_seq;
	} else {
		goto out;
	}
	signal_wake(t, sig);
out:
	irq_restore(fl);
	return err;
}

/* See include/svc/task.h. */
long sigpipe_on_epipe(long err, bool nosignal)
{
	if (err == -EPIPE && !nosignal)
		send_signal(current, SIGPIPE, NULL);
	return err;
}

/* The thread of @t's process that takes a process-directed @sig. */
static struct task *process_target(struct task *t, int sig)
{
	struct task *leader = task_leader(t), *o, *target = leader;

	/* Any thread that does not block the signal may take it. */
	if (sig && (leader->sig.blocked & sigmask(sig)) && !leader->group_exiting) {
		for_each_task(o) {
			if (o->tgid == leader->tgid && o->state != TASK_ZOMBIE &&
			    !(o->sig.blocked & sigmask(sig))) {
				target = o;
				break;
			}
		}
	}
	if (target->state == TASK_ZOMBIE) {	/* leader gone, threads live */
		for_each_task(o)
			if (o->tgid == leader->tgid && o->state != TASK_ZOMBIE)
				target = o;
	}
	return target;
}

int send_signal(struct task *t, int sig, const siginfo_t *info)
{
	return queue_signal(t, sig, info, false);
}

int send_signal_process(struct task *t, int sig, const siginfo_t *info)
{
	return queue_signal(process_target(t, sig), sig, info, true);
}

/* See signal.h. */
int send_sigqueue(struct task *t, struct sigqueue *q, bool process)
{
	int sig = q->info.si_signo;

	if (process)
		t = process_target(t, sig);
	if (t->state == TASK_ZOMBIE)
		return -ESRCH;
	if (init_drops(t, sig) || signal_prepare(t, sig))
		return 1;
	if (!list_empty(&q->link)) {
		q->info.timer.overrun++;
		return 0;
	}
	q->info.timer.overrun = 0;
	q->seq = ++signal_seq;
	q->shared = process;
	list_add_tail(&q->link, &t->sig.rt_queue);
	signal_wake(t, sig);
	return 0;
}

/* See signal.h. */
int signal_may_send(const struct task *t, int sig)
{
	const struct cred *me = &current->cred, *tc = &t->cred;

	if (t->tgid == current->tgid)
		return 0;
	if (me->euid == tc->suid || me->euid == tc->uid ||
	    me->uid == tc->suid || me->uid == tc->uid)
		return 0;
	if (capable(CAP_KILL))
		return 0;
	if (sig == SIGCONT && t->sid == current->sid)
		return 0;
	return -EPERM;
}

/*
 * @sig to every process of group @pgid, each checked first if @check:
 * 0 if any took it, else the last error (-ESRCH for an empty group), as
 * Linux's __kill_pgrp_info.
 */
static int pgrp_send(pid_t pgid, int sig, const siginfo_t *info, bool check)
{
	struct task *t;
	int ret = -ESRCH;
	bool sent = false;

	for_each_task(t) {
		if (t->pgid == pgid && t->pid == t->tgid &&
		    (t->state != TASK_ZOMBIE || task_other_threads(t))) {
			ret = check ? signal_may_send(t, sig) : 0;
			if (!ret)
				ret = send_signal_process(t, sig, info);
			sent |= !ret;
		}
	}
	return sent ? 0 : ret;
}

int send_signal_pgrp(pid_t pgid, int sig, const siginfo_t *info)
{
	return pgrp_send(pgid, sig, info, false);
}

/* See signal.h. */
int kill_pgrp(pid_t pgid, int sig)
{
	return pgrp_send(pgid, sig, NULL, true);
}

void force_signal_info(const siginfo_t *info)
{
	struct signal_state *s = &current->sig;
	int sig = info->si_signo;

	/* A fault the program blocks or ignores kills it, as on Linux. */
	if ((s->blocked & sigmask(sig)) || s->action[sig - 1].handler == SIG_IGN) {
		s->blocked &= ~sigmask(sig);
		s->action[sig - 1].handler = SIG_DFL;
	}
	signal_flush(s, sigmask(sig));	/* the fault's own info wins */
	send_signal(current, sig, info);
}

void force_signal(int sig, int code, uint64_t addr)
{
	siginfo_t info;

	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = code;
	info.fault.addr = addr;
	force_signal_info(&info);
}

void force_sigsegv(int sig)
{
	if (sig == SIGSEGV)
		current->sig.action[SIGSEGV - 1].handler = SIG_DFL;
	force_signal(SIGSEGV, SI_KERNEL, 0);
}

/*
 * Wake the waiters of process @p and send it SIGCHLD for @child's @code
 * and @status, unless SA_NOCLDSTOP spares it a stop or a continue.
 */
static void notify_process(struct task *p, struct task *child, int code,
			   int status)
{
	struct k_sigaction *act;
	struct rusage_totals u;
	siginfo_t info;

	act = &p->sig.action[SIGCHLD - 1];
	wq_wake_all(&p->child_wait);
	if (code != CLD_EXITED && code != CLD_KILLED && code != CLD_DUMPED &&
	    (act->flags & SA_NOCLDSTOP))
		return;
	memset(&info, 0, sizeof(info));
	info.si_signo = SIGCHLD;
	info.si_code = code;
	info.kill.pid = task_nr_ns(child, p->pid_ns);
	info.kill.uid = child->cred.uid;
	info.kill.status = status;
	usage_process_totals(child, &u);
	info.kill.utime = (long)usage_ns_to_clock_t(u.utime_ns);
	info.kill.stime = (long)usage_ns_to_clock_t(u.stime_ns);
	send_signal_process(p, SIGCHLD, &info);
}

void signal_notify_parent(struct task *child, int code, int status)
{
	if (child->parent)
		notify_process(child->parent, child, code, status);
}

/* See signal.h. */
void signal_notify_tracer(struct task *tracee, int code, int status)
{
	if (tracee->ptrace.tracer)
		notify_process(task_leader(tracee->ptrace.tracer), tracee, code,
			       status);
}

void signal_exec_reset(struct signal_state *s)
{
	for (int i = 0; i < NSIG; i++) {
		if (s->action[i].handler != SIG_IGN)
			s->action[i].handler = SIG_DFL;
		s->action[i].flags = 0;
		s->action[i].restorer = 0;
		s->action[i].mask = 0;
	}
	memset(&s->altstack, 0, sizeof(s->altstack));
	s->altstack.ss_flags = SS_DISABLE;
}

static bool on_altstack(uint64_t sp)
{
	stack_t *ss = &current->sig.altstack;

	return !(ss->ss_flags & SS_DISABLE) && sp > ss->ss_sp &&
	       sp - ss->ss_sp <= ss->ss_size;
}

/* Build the handler frame for @sig on the user stack and point @tf at it. */
static int setup_frame(struct trapframe *tf, int sig, struct k_sigaction *act,
		       sigset_t old_mask)
{
	struct signal_state *s = &current->sig;
	struct rt_sigframe frame;
	uint64_t sp = tf->rsp - 128;		/* the red zone */
	uint64_t fp_addr, frame_addr;

	if ((act->flags & SA_ONSTACK) && !(s->altstack.ss_flags & SS_DISABLE) &&
	    !on_altstack(tf->rsp))
		sp = s->altstack.ss_sp + s->altstack.ss_size;
	fp_addr = ALIGN_DOWN(sp - sigframe_fpu_size(), 64);
	frame_addr = ALIGN_DOWN(fp_addr - sizeof(frame), 16) - 8;

	memset(&frame, 0, sizeof(frame));
	frame.pretcode = act->restorer;
	frame.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS |
			    (cpu_fpu_xfeatures() ? UC_FP_XSTATE : 0);
	frame.info = s->info[sig - 1];
	frame.uc.uc_stack.ss_sp = s->altstack.ss_sp;
	frame.uc.uc_stack.ss_size = s->altstack.ss_size;
	frame.uc.uc_stack.ss_flags = (s->altstack.ss_flags & SS_DISABLE) ?
				     SS_DISABLE : on_altstack(tf->rsp) ? SS_ONSTACK : 0;
	struct sigcontext *mc = &frame.uc.uc_mcontext;

	mc->r8 = tf->r8; mc->r9 = tf->r9; mc->r10 = tf->r10; mc->r11 = tf->r11;
	mc->r12 = tf->r12; mc->r13 = tf->r13; mc->r14 = tf->r14; mc->r15 = tf->r15;
	mc->rdi = tf->rdi; mc->rsi = tf->rsi; mc->rbp = tf->rbp; mc->rbx = tf->rbx;
	mc->rdx = tf->rdx; mc->rax = tf->rax; mc->rcx = tf->rcx; mc->rsp = tf->rsp;
	mc->rip = tf->rip;
	mc->eflags = tf->rflags;
	mc->cs = tf->cs;
	mc->ss = tf->ss;
	mc->trapno = tf->vector == TRAP_SYSCALL ? 0 : tf->vector;
	mc->err = tf->error;
	mc->oldmask = old_mask;
	mc->cr2 = (sig == SIGSEGV || sig == SIGBUS) ? frame.info.fault.addr : 0;
	mc->fpstate = fp_addr;
	frame.uc.uc_sigmask = old_mask;

	if (sigframe_fpu_save(fp_addr) ||
	    copy_to_user(UPTR(frame_addr), &frame, sizeof(frame)))
		return -EFAULT;

	tf->rsp = frame_addr;
	tf->rip = act->handler;
	tf->rdi = sig;
	tf->rsi = frame_addr + offsetof(struct rt_sigframe, info);
	tf->rdx = frame_addr + offsetof(struct rt_sigframe, uc);
	tf->rax = 0;
	tf->rflags &= ~(RFLAGS_TF | (1UL << 10) | RFLAGS_RF);	/* DF */
	cpu_thread_reset_fpu(&current->cpu);
	return 0;
}

/* Decide what an interrupted system call returns, given a handler or not. */
static void syscall_restart(struct trapframe *tf, struct k_sigaction *act)
{
	long ret = (long)tf->rax;

	switch (ret) {
	case -ERESTARTNOHAND:
	case -ERESTART_RESTARTBLOCK:
		if (act) {
			tf->rax = -EINTR;
			return;
		}
		break;
	case -ERESTARTSYS:
		if (act && !(act->flags & SA_RESTART)) {
			tf->rax = -EINTR;
			return;
		}
		break;
	case -ERESTARTNOINTR:
		break;
	default:
		return;
	}
	tf->rax = ret == -ERESTART_RESTARTBLOCK ? __NR_restart_syscall :
		  (uint64_t)current->syscall_nr;
	tf->rip -= 2;			/* back over the syscall instruction */
}

/*
 * A fatal signal ends the whole process; one whose default action is a
 * core dump first dumps it if it can (coredump.c), and the process's
 * status then has 0x80 (do_coredump sets it).
 */
static __noreturn void die_by_signal(int sig)
{
	if (CORE_SIGNALS & sigmask(sig))
		do_coredump(sig);
	task_exit_group(sig);
}

static void do_stop(int sig)
{
	if (task_traced(current)) {
		ptrace_group_stop(sig);
		return;
	}
	current->state = TASK_STOPPED;
	current->sig.stop_signal = sig;
	current->sig.stop_unreported = true;
	current->sig.cont_unreported = false;
	signal_notify_parent(current, CLD_STOPPED, sig);
	schedule();
}

/*
 * Remove one instance of pending @sig, leaving its siginfo in s->info.
 * A real-time signal stays pending while more instances are queued.
 */
void signal_take(struct signal_state *s, int sig)
{
	siginfo_t *info = &CHECKED_INDEX(s->info, sig - 1);
	struct sigqueue *q;
	bool more = false;

	s->pending &= ~sigmask(sig);
	/*
	 * A standard signal's own info is older than any queued entry (an
	 * owner's, queued while it was pending) as Linux orders them.
	 */
	if (s->legacy & sigmask(sig)) {
		s->legacy &= ~sigmask(sig);
		legacy_release(s, sig);
	} else {
		list_for_each_entry(q, &s->rt_queue, link) {
			if (q->info.si_signo != sig)
				continue;
			*info = q->info;
			sigqueue_unlink(s, q, info);
			break;
		}
	}
	list_for_each_entry(q, &s->rt_queue, link)
		if (q->info.si_signo == sig)
			more = true;
	if (more)
		s->pending |= sigmask(sig);
}

/* See signal.h. */
int signal_dequeue(struct signal_state *s, sigset_t mask)
{
	sigset_t ready = s->pending & mask;

	if (!ready)
		return 0;
	/* Synchronous faults first, as Linux does. */
	sigset_t sync = ready & (sigmask(SIGSEGV) | sigmask(SIGBUS) |
				 sigmask(SIGILL) | sigmask(SIGFPE) |
				 sigmask(SIGTRAP));
	int sig = __builtin_ctzl(sync ? sync : ready) + 1;

	signal_take(s, sig);
	return sig;
}

/* Take the lowest pending unblocked signal; 0 if none. */
static int dequeue_signal(void)
{
	return signal_dequeue(&current->sig, ~current->sig.blocked);
}

void signal_deliver(struct trapframe *tf)
{
	struct signal_state *s = &current->sig;
	bool syscall = current->in_syscall;

	current->in_syscall = false;
	for (;;) {
		ptrace_take_interrupt();
		irqflags_t fl = irq_save();
		int sig = dequeue_signal();

		irq_restore(fl);
		if (!sig)
			break;
		if (task_traced(current) && sig != SIGKILL) {
			siginfo_t info = s->info[sig - 1];

			sig = ptrace_signal(sig, &info);
			if (!sig)
				continue;
			s->info[sig - 1] = info;
		}
		struct k_sigaction *act = &s->action[sig - 1];

		if (act->handler == SIG_IGN)
			continue;
		if (act->handler == SIG_DFL) {
			if (sig_default_ignored(sig))
				continue;
			if (STOP_SIGNALS & sigmask(sig)) {
				do_stop(sig);
				continue;
			}
			die_by_signal(sig);
		}
		/* A handler. */
		if (syscall)
			syscall_restart(tf, act);
		syscall = false;
		sigset_t old = s->restore_saved_mask ? s->saved_mask : s->blocked;

		s->restore_saved_mask = false;
		rseq_signal_deliver(sig, tf);
		if (setup_frame(tf, sig, act, old)) {
			force_sigsegv(sig);
			continue;
		}
		s->blocked |= act->mask;
		if (!(act->flags & SA_NODEFER))
			s->blocked |= sigmask(sig);
		s->blocked &= ~UNBLOCKABLE;
		/* As Linux: only the handler resets; sa_flags stay as set. */
		if (act->flags & SA_RESETHAND)
			act->handler = SIG_DFL;
		return;
	}
	if (syscall)
		syscall_restart(tf, NULL);
	if (s->restore_saved_mask) {
		s->restore_saved_mask = false;
		s->blocked = s->saved_mask;
	}
}

/* rt_sigreturn: restore the context saved by setup_frame. */
long signal_return(struct trapframe *tf)
{
	struct rt_sigframe frame;
	uint64_t frame_addr = tf->rsp - 8;

	if (copy_from_user(&frame, UPTR(frame_addr), sizeof(frame)))
		goto bad;
	struct sigcontext *mc = &frame.uc.uc_mcontext;

	if (sigframe_fpu_restore(mc->fpstate))
		goto bad;
	tf->r8 = mc->r8; tf->r9 = mc->r9; tf->r10 = mc->r10; tf->r11 = mc->r11;
	tf->r12 = mc->r12; tf->r13 = mc->r13; tf->r14 = mc->r14; tf->r15 = mc->r15;
	tf->rdi = mc->rdi; tf->rsi = mc->rsi; tf->rbp = mc->rbp; tf->rbx = mc->rbx;
	tf->rdx = mc->rdx; tf->rax = mc->rax; tf->rcx = mc->rcx; tf->rsp = mc->rsp;
	tf->rip = mc->rip;
	tf->rflags = mc->eflags;
	cpu_user_frame_sanitize(tf);
	current->sig.blocked = frame.uc.uc_sigmask & ~UNBLOCKABLE;
	/* The altstack setting travels in uc_stack too (as sigaltstack). */
	current->in_syscall = false;
	return (long)tf->rax;
bad:
	force_signal(SIGSEGV, SI_KERNEL, 0);
	return (long)tf->rax;
}

void kernel_user_fault(struct trapframe *tf, uintptr_t addr)
{
	switch (tf->vector) {
	case 14:
		force_signal(SIGSEGV, current->mm && mm_addr_unmapped(current->mm, addr) ?
			     SEGV_MAPERR : SEGV_ACCERR, addr);
		break;
	case 0:
		force_signal(SIGFPE, FPE_INTDIV, tf->rip);
		break;
	case 6:
		force_signal(SIGILL, ILL_ILLOPN, tf->rip);
		break;
	case 1:				/* #DB: a step, a breakpoint, int1 */
		ptrace_debug_trap(tf);
		break;
	case 3:				/* int3: as Linux, the kernel's */
		force_signal(SIGTRAP, SI_KERNEL, 0);
		break;
	case 16:
	case 19:
		force_signal(SIGFPE, 0, tf->rip);
		break;
	case 17:
		force_signal(SIGBUS, BUS_ADRERR, 0);
		break;
	case 13:
		if (ioport_fixup_cli(tf))
			break;
		force_signal(SIGSEGV, SI_KERNEL, 0);
		break;
	default:			/* #SS, #NP... */
		force_signal(SIGSEGV, SI_KERNEL, 0);
		break;
	}
}
