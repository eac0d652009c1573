/*
 * Controlling terminals and job control: which session a tty controls and
 * its foreground process group, acquiring and giving up a controlling
 * tty, SIGTTIN/SIGTTOU for background groups, and the hangup signals when
 * a session leader exits or vhangup(2) is called. As Linux, a task's controlling tty is kept in
 * task->tty: set for the session leader when it acquires one, inherited
 * across fork, and cleared for the whole session when it goes away.
 */
#include <aramid/compiler.h>
#include <aramid/string.h>
#include <platform/usercopy.h>
#include <kernel/signal.h>
#include <kernel/task.h>
#include <kernel/pid_ns.h>
#include <kernel/tty.h>
#include <kernel/vfs.h>
#include <kernel/syscall.h>
#include <svc/task.h>
#include <uapi/errno.h>
#include "tty_priv.h"

/* A signal from the terminal: si_code SI_KERNEL, no sender. */
static siginfo_t tty_siginfo(int sig)
{
	siginfo_t info;

	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = SI_KERNEL;
	return info;
}

static void tty_signal_pgrp(pid_t pgrp, int sig)
{
	siginfo_t info = tty_siginfo(sig);

	send_signal_pgrp(pgrp, sig, &info);
}

static void tty_signal_task(struct task *t, int sig)
{
	siginfo_t info = tty_siginfo(sig);

	send_signal_process(t, sig, &info);
}

void tty_signal_fg(struct tty *tty, int sig)
{
	if (tty->pgrp > 0)
		tty_signal_pgrp(tty->pgrp, sig);
}

int tty_foreground_pgrp(struct tty *tty)
{
	return tty ? tty->pgrp : -1;
}

static bool is_session_leader(const struct task *t)
{
	return t->pid == t->sid;
}

/*
 * POSIX: a group is orphaned if no member has its parent in a different
 * group of the same session. As Linux, zombies and children of init do
 * not count.
 */
static bool pgrp_orphaned(pid_t pgid)
{
	struct task *t;

	for_each_task(t) {
		struct task *parent = t->parent;

		if (t->pgid != pgid || t->state == TASK_ZOMBIE)
			continue;
		if (!parent || parent->pid == 1)
			continue;
		if (parent->pgid != pgid && parent->sid == t->sid)
			return false;
	}
	return true;
}

int tty_check_change(struct tty *tty, int sig)
{
	if (current->tty != tty || tty->pgrp <= 0 ||
	    current->pgid == tty->pgrp)
		return 0;
	if (signal_blocked_or_ignored(current, sig))
		return sig == SIGTTIN ? -EIO : 0;
	if (pgrp_orphaned(current->pgid))
		return -EIO;
	tty_signal_pgrp(current->pgid, sig);
	return -ERESTARTSYS;
}

/* Make @tty the controlling tty of current's session (current leads it). */
static void set_ctty(struct tty *tty)
{
	tty->session = current->sid;
	tty->pgrp = current->pgid;
	current->tty = tty;
}

/* No task of session @sid has a controlling tty any more. */
static void session_clear_tty(pid_t sid)
{
	struct task *t;

	for_each_task(t)
		if (t->sid == sid)
			t->tty = NULL;
}

/*
 * Session @sid gives up @tty: hang up its foreground group (SIGHUP, then
 * SIGCONT so that stopped members see it) and detach both sides.
 */
static void disassociate(struct tty *tty, pid_t sid)
{
	if (tty->session == sid) {
		if (tty->pgrp > 0) {
			tty_signal_pgrp(tty->pgrp, SIGHUP);
			tty_signal_pgrp(tty->pgrp, SIGCONT);
		}
		tty->session = 0;
		tty->pgrp = 0;
	}
	session_clear_tty(sid);
}

void tty_open_ctty(struct tty *tty)
{
	if (is_session_leader(current) && !current->tty && !tty->session)
		set_ctty(tty);
}

/*
 * Hang up @file if it is a file of the terminal @arg, except those opened
 * as /dev/console, which Linux redirects and never hangs up.
 */
static void hang_up_file(struct file *file, void *arg)
{
	if (file->fops == &tty_fops && file->priv == arg &&
	    file->inode->rdev != MKDEV(TTYAUX_MAJOR, 1))
		file->mode |= FMODE_HUNG_UP;
}

/*
 * As Linux's disassociate_ctty on exit: a terminal that is not a pty is
 * hung up (tty_vhangup_session) — the files open on it read end of file
 * and fail to write from now on, so a shell left on it ends and its init
 * starts a new one on a fresh open; a pty's session only gets the
 * signals.
 */
void tty_session_leader_exit(struct task *leader)
{
	struct tty *tty = leader->tty;

	if (!tty)
		return;
	if (tty->kind == TTY_SERIAL) {
		files_for_each_file(hang_up_file, tty);
		tty_wake(tty);
	}
	disassociate(tty, leader->sid);
}

/*
 * TIOCSCTTY: a session leader without a controlling tty acquires @tty;
 * @arg 1 steals it from another session (privileged, as every process
 * is here).
 */
int tty_tiocsctty(struct tty *tty, unsigned long arg)
{
	if (is_session_leader(current) && tty->session == current->sid)
		return 0;
	if (!is_session_leader(current) || current->tty)
		return -EPERM;
	if (tty->session) {
		if (arg != 1)
			return -EPERM;
		session_clear_tty(tty->session);
	}
	set_ctty(tty);
	return 0;
}

/* TIOCNOTTY: a session leader hangs up its session, others just leave. */
int tty_tiocnotty(struct tty *tty)
{
	if (current->tty != tty)
		return -ENOTTY;
	if (is_session_leader(current))
		disassociate(tty, current->sid);
	else
		current->tty = NULL;
	return 0;
}

/* The session of process group @pgrp, or of the process @pgrp, as Linux. */
static int session_of_pgrp(pid_t pgrp, pid_t sid, bool *same)
{
	struct task *t;

	if (pgrp > 0 && pgrp_exists(pgrp)) {
		*same = pgrp_in_session(pgrp, sid);
		return 0;
	}
	t = pgrp > 0 ? task_find(pgrp) : NULL;
	if (!t)
		return -ESRCH;
	*same = t->sid == sid;
	return 0;
}

int tty_tiocspgrp(struct tty *file_tty, uptr_t p)
{
	struct tty *tty = tty_real(file_tty);
	pid_t pgrp;
	bool same;
	int ret;

	ret = tty_check_change(tty, SIGTTOU);
	if (ret == -EIO)
		return -ENOTTY;
	if (ret)
		return ret;
	if (get_user(pgrp, p))
		return -EFAULT;
	if (pgrp < 0)
		return -EINVAL;
	if (current->tty != tty || tty->session != current->sid)
		return -ENOTTY;
	pgrp = pgrp ? pid_from_vnr(pgrp) : 0;	/* the kernel's number */
	ret = session_of_pgrp(pgrp, current->sid, &same);
	if (ret)
		return ret;
	if (!same)
		return -EPERM;
	tty->pgrp = pgrp;
	return 0;
}

/* As Linux, a master may ask without being anyone's controlling tty. */
int tty_tiocgpgrp(struct tty *file_tty, uptr_t p)
{
	struct tty *tty = tty_real(file_tty);
	pid_t pgrp = tty->pgrp > 0 ? pid_vnr(tty->pgrp) : tty->pgrp;

	if (tty == file_tty && current->tty != tty)
		return -ENOTTY;
	return put_user(pgrp, p);
}

int tty_tiocgsid(struct tty *file_tty, uptr_t p)
{
	struct tty *tty = tty_real(file_tty);
	pid_t sid = tty->session;

	if ((tty == file_tty && current->tty != tty) || !sid)
		return -ENOTTY;
	sid = pid_vnr(sid);
	return put_user(sid, p);
}

void tty_hangup_session(struct tty *tty)
{
	pid_t sid = tty->session;
	struct task *t;

	for_each_task(t) {
		if (t->tty == tty)
			t->tty = NULL;
		if (sid && t->sid == sid && is_session_leader(t) &&
		    t->state != TASK_ZOMBIE) {
			tty_signal_task(t, SIGHUP);
			tty_signal_task(t, SIGCONT);
		}
	}
	tty->session = 0;
	tty->pgrp = 0;
}

/*
 * vhangup(2), Linux's tty_vhangup_self: with CAP_SYS_TTY_CONFIG, hang up
 * the caller's controlling terminal as a modem hangup would: every file
 * open on it reads end of file and fails to write from now on (the
 * console's redirection excepted), its session leader gets SIGHUP and
 * SIGCONT, and the session loses it. Without a controlling tty, nothing.
 */
SYSCALL(__NR_vhangup, vhangup)(SYSCALL_ARGS)
{
	struct tty *tty = current->tty;

	if (!capable(CAP_SYS_TTY_CONFIG))
		return -EPERM;
	if (!tty)
		return 0;
	files_for_each_file(hang_up_file, tty);
	tty_wake(tty);
	tty_hangup_session(tty);
	return 0;
}
