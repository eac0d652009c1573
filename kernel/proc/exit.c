/*
 * Process exit and the wait family: exit, exit_group, wait4, waitid.
 * An exiting task releases its resources, hands its children to its PID
 * namespace's init (the end of which ends the namespace) and stays a
 * zombie until its parent reaps it (or is reaped at once when the parent
 * ignores SIGCHLD).
 */
#include <kernel/task.h>
#include <kernel/mm.h>
#include <kernel/coredump.h>
#include <kernel/ipc.h>
#include <kernel/vfs.h>
#include <kernel/uts_ns.h>
#include <kernel/ipc_ns.h>
#include <kernel/time_ns.h>
#include <kernel/pid_ns.h>
#include <kernel/mnt_ns.h>
#include <kernel/tty.h>
#include <kernel/posix_timer.h>
#include <kernel/syscall.h>
#include <platform/usercopy.h>
#include <platform/panic.h>
#include <platform/time.h>
#include <aramid/string.h>
#include <aramid/checked.h>
#include <uapi/ptrace.h>
#include "proc_internal.h"

#define WNOHANG		0x00000001
#define WUNTRACED	0x00000002
#define WSTOPPED	WUNTRACED
#define WEXITED		0x00000004
#define WCONTINUED	0x00000008
#define WNOWAIT		0x01000000
#define __WNOTHREAD	0x20000000
#define __WALL		0x40000000
#define __WCLONE	0x80000000

#define P_ALL		0
#define P_PID		1
#define P_PGID		2
#define P_PIDFD		3

static bool parent_reaps_silently(struct task *p, struct task *child)
{
	struct k_sigaction *act = &p->sig.action[SIGCHLD - 1];

	return child->exit_signal == SIGCHLD &&
	       (act->handler == SIG_IGN || (act->flags & SA_NOCLDWAIT));
}

/*
 * Who adopts the children of the ending process @leader, as Linux's
 * find_new_reaper: the nearest ancestor in its PID namespace still
 * running that asked to be a child subreaper, else the namespace's init
 * (the initial one's once that is gone).
 */
static struct task *find_reaper(struct task *leader)
{
	struct pid_ns *ns = leader->pid_ns;

	for (struct task *r = leader->parent;
	     r && r->pid_ns == ns && r != ns->reaper; r = r->parent)
		if (r->child_subreaper && !r->group_exiting &&
		    (r->state != TASK_ZOMBIE || task_other_threads(r)))
			return r;
	return ns->reaper ? ns->reaper : task_find(1);
}

/*
 * Give @t's children to their new reaper; each thread of theirs that
 * asked for a parent-death signal gets it sent to its process.
 */
static void reparent_children(struct task *t)
{
	struct task *reaper = find_reaper(t), *c, *n, *th;

	list_for_each_entry_safe(c, n, &t->children, sibling) {
		list_del(&c->sibling);
		c->parent = reaper;
		list_add_tail(&c->sibling, &reaper->children);
		for_each_task(th)
			if (th->tgid == c->tgid && th->pdeath_signal &&
			    th->state != TASK_ZOMBIE)
				send_signal(c, (int)th->pdeath_signal, NULL);
		if (c->state == TASK_ZOMBIE)
			signal_notify_parent(c, CLD_EXITED, 0);
	}
}

/* The CLD_* code of wait status @status: 0x80 tells of a core dump. */
static int wait_code(int status)
{
	if (!(status & 0x7f))
		return CLD_EXITED;
	return (status & 0x80) ? CLD_DUMPED : CLD_KILLED;
}

/* SIGCHLD for @t's end with wait status @status, to its tracer or parent. */
static void notify_exit(struct task *t, int status, bool tracer)
{
	int code = wait_code(status);
	int st = code == CLD_EXITED ? (status >> 8) & 0xff : status & 0x7f;

	if (tracer)
		signal_notify_tracer(t, code, st);
	else
		signal_notify_parent(t, code, st);
}

/* See proc_internal.h. */
void exit_notify_parent(struct task *leader)
{
	struct task *p = leader->parent;
	int status = leader->exit_status;

	if (parent_reaps_silently(p, leader)) {
		list_del(&leader->sibling);
		wq_wake_all(&p->child_wait);
		/* A zombie leader is off every CPU, and freed now, as wait
		 * frees one; a CPU defers one task, the one it runs. */
		if (leader == current)
			sched_defer_free(leader);
		else
			task_free(leader);
	} else {
		notify_exit(leader, status, false);
	}
}

static void reap(struct task *c);

/* @t is traced by a process other than its parent's. */
static bool traced_by_other(const struct task *t)
{
	return t->ptrace.tracer && t->ptrace.tracer->tgid != t->parent->tgid;
}

/*
 * Tell the parent that the process of @leader has ended with @status;
 * a tracer that is not the parent hears first, and the parent once the
 * tracer has waited for it or let it go (ptrace_release).
 */
static void report_process_exit(struct task *leader, int status)
{
	leader->exit_status = status;
	pidfd_notify_exit(leader);
	if (traced_by_other(leader)) {
		notify_exit(leader, status, true);
		return;
	}
	exit_notify_parent(leader);
}

/*
 * The end of a PID namespace's init, the last thread of @leader's
 * process, as Linux's zap_pid_ns_processes: nothing more is forked into
 * the namespace, every other task in it (and below) gets SIGKILL, and
 * the init waits, reaping its children as they end (its SIGCHLD
 * ignored, so the orphans it adopts meanwhile go too), until it has
 * none.
 */
static void pid_ns_end(struct task *leader)
{
	struct pid_ns *ns = leader->pid_ns;
	struct task *t, *c, *n;
	irqflags_t fl;

	ns->dead = true;
	CHECKED_INDEX(leader->sig.action, SIGCHLD - 1).handler = SIG_IGN;
	for_each_task(t)
		if (t->tgid != leader->tgid && pid_ns_within(t->pid_ns, ns))
			send_signal(t, SIGKILL, NULL);
	fl = irq_save();
	for (;;) {
		list_for_each_entry_safe(c, n, &leader->children, sibling)
			if (c->state == TASK_ZOMBIE && !task_other_threads(c) &&
			    !traced_by_other(c))
				reap(c);
		if (list_empty(&leader->children))
			break;
		wq_sleep_nosignal(&leader->child_wait);
	}
	irq_restore(fl);
}

void task_exit(int status)
{
	struct task *t = current, *leader = task_leader(t);
	bool last;

	/* A thread of a process dumping core waits for the dump first. */
	coredump_park();
	last = task_other_threads(t) == 0;

	if (t->pid == 1 && last)
		panic("task_exit: attempted to kill init! exit status 0x%08x",
		      status);
	if (unlikely(task_traced(t)))
		ptrace_event(PTRACE_EVENT_EXIT, (uint64_t)(leader->group_exiting ?
				leader->group_exit_status : status));
	ptrace_exit(t);
	futex_exit(t);
	if (!uptr_null(t->clear_child_tid)) {
		int zero = 0;

		if (!put_user(zero, t->clear_child_tid))
			futex_wake(t->clear_child_tid, 1, false);
	}
	vfork_release(t);
	sem_exit(t);
	if (last) {
		t->itimer_deadline_ns = 0;
		posix_timers_exit(leader);
		if (leader->sid == leader->tgid && leader->tty)
			tty_session_leader_exit(leader);
	}
	files_put(t->files);
	t->files = NULL;
	fs_context_put(t->fs);
	t->fs = NULL;
	uts_ns_put(t->uts_ns);
	t->uts_ns = NULL;
	mnt_ns_put(t->mnt_ns);
	t->mnt_ns = NULL;
	pid_ns_put(t->pid_ns_children);
	t->pid_ns_children = NULL;
	if (t->mm)
		usage_mm_done(t, t->mm);
	mm_put(t->mm);
	t->mm = NULL;
	shm_exit(t);
	ipc_ns_put(t->ipc_ns);
	t->ipc_ns = NULL;
	time_ns_put(t->time_ns);
	t->time_ns = NULL;
	time_ns_put(t->time_ns_children);
	t->time_ns_children = NULL;
	if (last && leader == leader->pid_ns->reaper && leader->pid_ns->level)
		pid_ns_end(leader);
	if (last)
		reparent_children(leader);

	irq_disable();
	if (leader->group_exiting)
		status = leader->group_exit_status;
	t->exit_status = status;
	t->state = TASK_ZOMBIE;
	if (t != leader) {
		/* A thread leaves no zombie, but for its tracer, which reaps
		 * it (ptrace_release); the last one out reports. What it
		 * used stays the process's, though it is freed later. */
		usage_thread_exit(t);
		if (task_traced(t))
			notify_exit(t, status, true);
		else
			sched_defer_free(t);
		if (last)
			report_process_exit(leader, status);
	} else if (last) {
		report_process_exit(t, status);
	}
	/* else: a leader waits, a zombie, for its last thread. */
	schedule();
	panic("task_exit: zombie %d scheduled", t->pid);
}

/* See proc_internal.h. */
bool task_live_sibling(const struct task *t)
{
	return t != current && t->tgid == current->tgid &&
	       t->state != TASK_ZOMBIE;
}

/* See proc_internal.h. */
void task_kill_siblings(void)
{
	struct task *t;

	for_each_task(t)
		if (task_live_sibling(t))
			send_signal(t, SIGKILL, NULL);
}

void task_exit_group(int status)
{
	struct task *leader = task_leader(current);

	if (!leader->group_exiting) {
		leader->group_exiting = true;
		leader->group_exit_status = status;
		task_kill_siblings();
	}
	task_exit(status);
}

SYSCALL(__NR_exit, exit)(SYSCALL_ARGS)
{
	task_exit((a0 & 0xff) << 8);
}

SYSCALL(__NR_exit_group, exit_group)(SYSCALL_ARGS)
{
	task_exit_group((a0 & 0xff) << 8);
}

struct wait_result {
	pid_t pid;
	uid_t uid;
	int status;		/* wait4 status word */
	int code;		/* CLD_* for waitid */
	int si_status;
	struct rusage_totals ru;	/* the child's, its reaped children's */
};

/* @id: a process id (task->pid) for P_PID, a group's for P_PGID. */
static bool child_matches(struct task *c, int idtype, pid_t id)
{
	switch (idtype) {
	case P_PID:
		return c->pid == id;
	case P_PGID:
		return c->pgid == id;
	default:
		return true;
	}
}

/* Reap zombie @c: account what it used to the parent and free it. */
static void reap(struct task *c)
{
	usage_reap(c);
	list_del(&c->sibling);
	task_free(c);
}

/* Fill @res for zombie @c, the last of its process; reap it if asked. */
static void wait_zombie(struct task *c, struct wait_result *res)
{
	int st = c->exit_status;

	res->status = st;
	res->code = wait_code(st);
	res->si_status = (st & 0x7f) ? st & 0x7f : (st >> 8) & 0xff;
	usage_with_reaped(c, &res->ru);
}

/*
 * Report a stop or continue of @c with wait status @status, CLD_* @code
 * and @si_status in @res; unless WNOWAIT, *@unreported is consumed.
 */
static int wait_report(struct task *c, int options, struct wait_result *res,
		       int status, int code, int si_status, bool *unreported)
{
	res->status = status;
	res->code = code;
	res->si_status = si_status;
	usage_with_reaped(c, &res->ru);
	if (!(options & WNOWAIT))
		*unreported = false;
	return 1;
}

/*
 * @c's ptrace stop, if no wait has reported it: 1 with @res filled.
 * A tracer sees it without WUNTRACED, as on Linux.
 */
static int wait_traced(struct task *c, int options, struct wait_result *res)
{
	int code = c->ptrace.stop_code;

	if (c->state != TASK_TRACED || !c->ptrace.stop_unreported)
		return 0;
	return wait_report(c, options, res, (code << 8) | 0x7f, CLD_TRAPPED,
			   code, &c->ptrace.stop_unreported);
}

/* Is @c traced by a thread of the calling process? */
static bool traced_by_me(const struct task *c)
{
	return c->ptrace.tracer && c->ptrace.tracer->tgid == current->tgid;
}

/*
 * The tracees of the calling process that are not its children (those
 * wait_scan saw): 1 with @res filled for a stop or an ended process
 * (which the parent then hears of), else 0; *@any set if one matches.
 */
static int wait_tracees(int idtype, pid_t id, int options,
			struct wait_result *res, bool *any)
{
	struct task *leader = task_leader(current), *th, *c;
	struct ptrace_state *p;

	for_each_task(th) {
		if (th->tgid != current->tgid)
			continue;
		list_for_each_entry(p, &th->ptrace.tracees, link) {
			c = container_of(p, struct task, ptrace);
			if ((c->pid == c->tgid && c->parent == leader) ||
			    !child_matches(c, idtype, id))
				continue;
			*any = true;
			res->pid = task_vnr(c);
			res->uid = c->cred.uid;
			/* A thread's zombie, or a process that ended. */
			if (c->state == TASK_ZOMBIE && (options & WEXITED) &&
			    (c->pid != c->tgid || !task_other_threads(c))) {
				wait_zombie(c, res);
				if (!(options & WNOWAIT))
					ptrace_release(c, 0);
				return 1;
			}
			if (wait_traced(c, options, res))
				return 1;
		}
	}
	return 0;
}

/*
 * One pass over the children and tracees: 1 with @res filled if one is
 * ready, 0 if matching ones exist but none is ready, -ECHILD if none
 * matches. A child traced by another process shows its parent neither
 * its ptrace stops nor its end before the tracer lets it go.
 */
static int wait_scan(int idtype, pid_t id, int options, struct wait_result *res)
{
	struct task *c;
	bool any = false;

	/* Any thread may wait for the children of its process. */
	list_for_each_entry(c, &task_leader(current)->children, sibling) {
		if (!child_matches(c, idtype, id))
			continue;
		any = true;
		res->pid = task_vnr(c);
		res->uid = c->cred.uid;
		if (traced_by_other(c))
			continue;
		if (c->state == TASK_ZOMBIE && (options & WEXITED) &&
		    !task_other_threads(c)) {
			wait_zombie(c, res);
			if (!(options & WNOWAIT))
				reap(c);
			return 1;
		}
		if (traced_by_me(c) && wait_traced(c, options, res))
			return 1;
		if (c->state == TASK_STOPPED && c->sig.stop_unreported &&
		    (options & WSTOPPED))
			return wait_report(c, options, res,
					   (c->sig.stop_signal << 8) | 0x7f,
					   CLD_STOPPED, c->sig.stop_signal,
					   &c->sig.stop_unreported);
		if (c->sig.cont_unreported && (options & WCONTINUED))
			return wait_report(c, options, res, 0xffff,
					   CLD_CONTINUED, SIGCONT,
					   &c->sig.cont_unreported);
	}
	if (wait_tracees(idtype, id, options, res, &any))
		return 1;
	return any ? 0 : -ECHILD;
}

static long do_wait(int idtype, pid_t id, int options, struct wait_result *res)
{
	long ret;
	irqflags_t fl = irq_save();

	/*
	 * As Linux's do_wait: each wake-up scans again before a pending
	 * signal interrupts, so an exit that wakes a waiter and signals it
	 * (SIGCHLD, which a tracee queues even when ignored) is returned.
	 */
	for (;;) {
		ret = wait_scan(idtype, id, options, res);
		if (ret || (options & WNOHANG))
			break;
		if (signal_pending()) {
			ret = -ERESTARTSYS;
			break;
		}
		wq_sleep(&task_leader(current)->child_wait, 0);
	}
	irq_restore(fl);
	return ret;
}

/* The rusage of a waited-for child to @ru, if given: 0 or -EFAULT. */
static int put_child_rusage(uptr_t ru, const struct wait_result *res)
{
	return uptr_null(ru) ? 0 : usage_put_rusage(ru, &res->ru);
}

SYSCALL(__NR_wait4, wait4)(SYSCALL_ARGS)
{
	pid_t pid = (pid_t)a0;
	int options = (int)a2;
	struct wait_result res;
	int idtype = P_ALL;
	long ret;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD |
			__WALL | __WCLONE))
		return -EINVAL;
	if (pid == INT32_MIN)
		return -ESRCH;
	if (pid > 0) {
		idtype = P_PID;
		pid = pid_from_vnr(pid);
	} else if (pid == 0) {
		idtype = P_PGID;
		pid = current->pgid;
	} else if (pid < -1) {
		idtype = P_PGID;
		pid = pid_from_vnr(-pid);
	}
	ret = do_wait(idtype, pid, options | WEXITED, &res);
	if (ret <= 0)
		return ret;
	if (a1 && put_user(res.status, UPTR(a1)))
		return -EFAULT;
	if (put_child_rusage(UPTR(a3), &res))
		return -EFAULT;
	return res.pid;
}

SYSCALL(__NR_waitid, waitid)(SYSCALL_ARGS)
{
	int idtype = (int)a0, options = (int)a3;
	pid_t id = (pid_t)a1;
	struct wait_result res;
	bool nonblock = false;
	siginfo_t info;
	long ret;

	if (options & ~(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED |
			__WNOTHREAD | __WALL | __WCLONE))
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	switch (idtype) {
	case P_ALL:
		break;
	case P_PID:
	case P_PGID:
		if (id <= 0 && !(idtype == P_PGID && id == 0))
			return -EINVAL;
		if (idtype == P_PGID && id == 0)
			id = current->pgid;
		else
			id = pid_from_vnr(id);
		break;
	case P_PIDFD:
		if (id < 0)
			return -EINVAL;
		ret = pidfd_wait_target(id, &id, &nonblock);
		if (ret)
			return ret;
		idtype = P_PID;
		break;
	default:
		return -EINVAL;
	}
	ret = do_wait(idtype, id, nonblock ? options | WNOHANG : options, &res);
	/* A pidfd opened O_NONBLOCK does not wait: EAGAIN, as Linux. */
	if (!ret && nonblock && !(options & WNOHANG))
		ret = -EAGAIN;
	if (ret < 0)
		return ret;
	memset(&info, 0, sizeof(info));
	if (ret > 0) {
		info.si_signo = SIGCHLD;
		info.si_code = res.code;
		info.kill.pid = res.pid;
		info.kill.uid = res.uid;
		info.kill.status = res.si_status;
	}
	if (a2 && copy_to_user(UPTR(a2), &info, sizeof(info)))
		return -EFAULT;
	if (ret > 0 && put_child_rusage(UPTR(a4), &res))
		return -EFAULT;
	return 0;
}
