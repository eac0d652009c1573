/*
 * Signal system calls: rt_sigaction, rt_sigprocmask, rt_sigpending,
 * rt_sigsuspend, rt_sigtimedwait, rt_sigreturn, sigaltstack, pause,
 * kill, tkill, tgkill.
 */
#include <kernel/signal.h>
#include <kernel/task.h>
#include <kernel/pid_ns.h>
#include <kernel/syscall.h>
#include <platform/usercopy.h>
#include <platform/time.h>
#include <aramid/string.h>
#include <aramid/checked.h>

#define UNBLOCKABLE	(sigmask(SIGKILL) | sigmask(SIGSTOP))
#define SS_AUTODISARM	(1U << 31)

SYSCALL(__NR_rt_sigaction, rt_sigaction)(SYSCALL_ARGS)
{
	int sig = (int)a0;
	struct k_sigaction act, *cur;

	if (a3 != sizeof(sigset_t))
		return -EINVAL;
	if (sig < 1 || sig > NSIG)
		return -EINVAL;
	cur = &CHECKED_INDEX(current->sig.action, sig - 1);
	if (a1 && copy_from_user(&act, UPTR(a1), sizeof(act)))
		return -EFAULT;
	if (a1 && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	if (a2 && copy_to_user(UPTR(a2), cur, sizeof(*cur)))
		return -EFAULT;
	if (a1) {
		struct task *t;

		act.mask &= ~UNBLOCKABLE;
		/*
		 * The threads of a process share their handlers; setting
		 * SIG_IGN (or default-ignore) discards it pending in each.
		 */
		for_each_task(t) {
			if (t->tgid != current->tgid)
				continue;
			CHECKED_INDEX(t->sig.action, sig - 1) = act;
			if (signal_ignored(t, sig))
				signal_flush(&t->sig, sigmask(sig));
		}
	}
	return 0;
}

SYSCALL(__NR_rt_sigprocmask, rt_sigprocmask)(SYSCALL_ARGS)
{
	sigset_t set, old = current->sig.blocked;

	if (a3 != sizeof(sigset_t))
		return -EINVAL;
	if (a1) {
		if (copy_from_user(&set, UPTR(a1), sizeof(set)))
			return -EFAULT;
		switch ((int)a0) {
		case SIG_BLOCK:
			current->sig.blocked |= set;
			break;
		case SIG_UNBLOCK:
			current->sig.blocked &= ~set;
			break;
		case SIG_SETMASK:
			current->sig.blocked = set;
			break;
		default:
			return -EINVAL;
		}
		current->sig.blocked &= ~UNBLOCKABLE;
	}
	if (a2 && copy_to_user(UPTR(a2), &old, sizeof(old))) {
		current->sig.blocked = old;
		return -EFAULT;
	}
	return 0;
}

SYSCALL(__NR_rt_sigpending, rt_sigpending)(SYSCALL_ARGS)
{
	sigset_t set = current->sig.pending & current->sig.blocked;

	if ((size_t)a1 > sizeof(sigset_t))
		return -EINVAL;
	return copy_to_user(UPTR(a0), &set, a1) ? -EFAULT : 0;
}

SYSCALL(__NR_rt_sigsuspend, rt_sigsuspend)(SYSCALL_ARGS)
{
	sigset_t set;

	if (a1 != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&set, UPTR(a0), sizeof(set)))
		return -EFAULT;
	current->sig.saved_mask = current->sig.blocked;
	current->sig.restore_saved_mask = true;
	current->sig.blocked = set & ~UNBLOCKABLE;
	irqflags_t fl = irq_save();

	while (!signal_pending())
		sched_sleep_until(0);
	irq_restore(fl);
	return -ERESTARTNOHAND;
}

SYSCALL(__NR_pause, pause)(SYSCALL_ARGS)
{
	irqflags_t fl = irq_save();

	while (!signal_pending())
		sched_sleep_until(0);
	irq_restore(fl);
	return -ERESTARTNOHAND;
}

SYSCALL(__NR_rt_sigtimedwait, rt_sigtimedwait)(SYSCALL_ARGS)
{
	sigset_t set;
	struct { int64_t sec, nsec; } ts;
	uint64_t deadline = 0;

	if (a3 != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&set, UPTR(a0), sizeof(set)))
		return -EFAULT;
	if (a2) {
		if (copy_from_user(&ts, UPTR(a2), sizeof(ts)))
			return -EFAULT;
		if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= 1000000000)
			return -EINVAL;
		deadline = clock_monotonic_ns() + ts.sec * NSEC_PER_SEC + ts.nsec;
		if (!deadline)
			deadline = 1;
	}
	set &= ~UNBLOCKABLE;
	irqflags_t fl = irq_save();
	long ret;

	/* The awaited signals stay blocked; send_signal wakes us for them. */
	current->sig.waitset = set;
	for (;;) {
		sigset_t ready = current->sig.pending & set;

		if (ready) {
			int sig = __builtin_ctzl(ready) + 1;
			siginfo_t info;

			signal_take(&current->sig, sig);
			info = current->sig.info[sig - 1];
			current->sig.waitset = 0;
			irq_restore(fl);
			if (a1 && copy_to_user(UPTR(a1), &info, sizeof(info)))
				return -EFAULT;
			return sig;
		}
		if (a2 && clock_monotonic_ns() >= deadline) {
			ret = -EAGAIN;
			break;
		}
		/*
		 * Woken by a signal: an awaited one is taken even if not
		 * blocked (no handler runs, as Linux's); EINTR for another.
		 */
		if (sched_sleep_until(a2 ? deadline : 0) &&
		    !(current->sig.pending & set)) {
			ret = -EINTR;	/* another signal, with a handler */
			break;
		}
	}
	current->sig.waitset = 0;
	irq_restore(fl);
	return ret;
}

SYSCALL(__NR_rt_sigreturn, rt_sigreturn)(SYSCALL_ARGS)
{
	return signal_return(task_frame(current));
}

SYSCALL(__NR_sigaltstack, sigaltstack)(SYSCALL_ARGS)
{
	stack_t ss, old = current->sig.altstack;
	uint64_t sp = task_frame(current)->rsp;
	bool on = !(old.ss_flags & SS_DISABLE) && sp > old.ss_sp &&
		  sp - old.ss_sp <= old.ss_size;

	old.ss_flags = (old.ss_flags & SS_DISABLE) ? SS_DISABLE :
		       on ? SS_ONSTACK : 0;
	if (a0) {
		if (copy_from_user(&ss, UPTR(a0), sizeof(ss)))
			return -EFAULT;
		if (on)
			return -EPERM;
		unsigned mode = ss.ss_flags & ~SS_AUTODISARM;

		if (mode != 0 && mode != SS_DISABLE && mode != SS_ONSTACK)
			return -EINVAL;
		if (mode == SS_DISABLE) {
			ss.ss_sp = 0;
			ss.ss_size = 0;
		} else if (ss.ss_size < MINSIGSTKSZ) {
			return -ENOMEM;
		}
		ss.ss_flags = mode == SS_DISABLE ? SS_DISABLE : 0;
	}
	if (a1 && copy_to_user(UPTR(a1), &old, sizeof(old)))
		return -EFAULT;
	if (a0)
		current->sig.altstack = ss;
	return 0;
}

/*
 * kill(-1, sig): every process the caller sees but its namespace's init
 * and the caller's. Refusals do not
 * count against the result (Linux's __kill_something_info): 0 unless a
 * permitted send failed, -ESRCH if there was no other process.
 */
static long kill_all(int sig)
{
	struct task *t;
	long ret = 0;
	bool found = false;

	for_each_task(t) {
		if (task_vnr(t) > 1 && t->pid == t->tgid &&
		    t->tgid != current->tgid && t->state != TASK_ZOMBIE) {
			int err = signal_may_send(t, sig);

			if (!err)
				err = send_signal_process(t, sig, NULL);
			found = true;
			if (err != -EPERM)
				ret = err;
		}
	}
	return found ? ret : -ESRCH;
}

SYSCALL(__NR_kill, kill)(SYSCALL_ARGS)
{
	pid_t pid = (pid_t)a0;
	int sig = (int)a1;
	struct task *t;
	long err;

	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (pid > 0) {
		t = task_find_vpid(pid);
		if (!t)
			return -ESRCH;
		err = signal_may_send(t, sig);
		return err ? err : send_signal_process(t, sig, NULL);
	}
	if (pid == 0)
		return kill_pgrp(current->pgid, sig);
	if (pid == -1)
		return kill_all(sig);
	if (pid == INT32_MIN)
		return -ESRCH;
	return kill_pgrp(pid_from_vnr(-pid), sig);
}

static long do_tkill(pid_t tgid, pid_t tid, int sig)
{
	struct task *t = task_find_vpid(tid);
	siginfo_t info;

	long err;

	if (!t || (tgid > 0 && task_tgid_vnr(t) != tgid) ||
	    t->state == TASK_ZOMBIE)
		return -ESRCH;
	err = signal_may_send(t, sig);
	if (err || !sig)
		return err;
	memset(&info, 0, sizeof(info));
	info.si_code = SI_TKILL;
	info.kill.pid = task_tgid_vnr(current);
	info.kill.uid = current->cred.uid;
	return send_signal(t, sig, &info);
}

SYSCALL(__NR_tkill, tkill)(SYSCALL_ARGS)
{
	if ((pid_t)a0 <= 0 || (int)a1 < 0 || (int)a1 > NSIG)
		return -EINVAL;
	return do_tkill(0, (pid_t)a0, (int)a1);
}

SYSCALL(__NR_tgkill, tgkill)(SYSCALL_ARGS)
{
	if ((pid_t)a0 <= 0 || (pid_t)a1 <= 0 || (int)a2 < 0 || (int)a2 > NSIG)
		return -EINVAL;
	return do_tkill((pid_t)a0, (pid_t)a1, (int)a2);
}

/*
 * rt_sigqueueinfo (to process @pid) and rt_tgsigqueueinfo (to thread
 * @pid of process @tgid, @thread): a signal with the caller's siginfo, in
 * Linux's order. Only the kernel may claim kernel or kill() origins
 * (si_code >= 0, SI_TKILL) for a task other than the calling thread.
 */
static long do_sigqueue(pid_t tgid, pid_t pid, int sig, uptr_t uinfo,
			bool thread)
{
	siginfo_t info;
	struct task *t;

	if (copy_from_user(&info, uinfo, sizeof(info)))
		return -EFAULT;
	if ((info.si_code >= 0 || info.si_code == SI_TKILL) &&
	    task_vnr(current) != pid)
		return -EPERM;
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	t = task_find_vpid(pid);
	if (thread && (!t || task_tgid_vnr(t) != tgid ||
		       t->state == TASK_ZOMBIE))
		return -ESRCH;
	if (!t || (t->state == TASK_ZOMBIE && !task_other_threads(t)))
		return -ESRCH;
	if (signal_may_send(t, sig))
		return -EPERM;
	info.si_signo = sig;
	if (!thread)
		return send_signal_process(t, sig, &info);
	return sig ? send_signal(t, sig, &info) : 0;
}

SYSCALL(__NR_rt_sigqueueinfo, rt_sigqueueinfo)(SYSCALL_ARGS)
{
	return do_sigqueue(0, (pid_t)a0, (int)a1, UPTR(a2), false);
}

SYSCALL(__NR_rt_tgsigqueueinfo, rt_tgsigqueueinfo)(SYSCALL_ARGS)
{
	if ((pid_t)a0 <= 0 || (pid_t)a1 <= 0)
		return -EINVAL;
	return do_sigqueue((pid_t)a0, (pid_t)a1, (int)a2, UPTR(a3), true);
}
