/*
 * Tasks: allocation, pids, lookup, and the identity system calls
 * (getpid family, process groups and sessions).
 */
#include <kernel/task.h>
#include <kernel/ioport.h>
#include <kernel/syscall.h>
#include <kernel/mm.h>
#include <kernel/vfs.h>
#include <kernel/keys.h>
#include <kernel/pid_ns.h>
#include <platform/frame.h>
#include <platform/heap.h>
#include <platform/usercopy.h>
#include <platform/time.h>
#include <aramid/string.h>
#include <svc/sysfacts.h>
#include <svc/task.h>
#include "proc_internal.h"


LIST_HEAD(all_tasks);
static pid_t last_pid;
static unsigned long nr_forks;	/* tasks made since boot */

struct task *task_find(pid_t pid)
{
	struct task *t;

	if (pid <= 0)
		return NULL;
	for_each_task(t)
		if (t->pid == pid)
			return t;
	return NULL;
}

struct task *task_leader(struct task *t)
{
	struct task *l;

	if (t->tgid == t->pid)
		return t;
	l = task_find(t->tgid);
	return l ? l : t;
}

struct rlimit64 *task_rlimits(struct task *t)
{
	return task_leader(t)->rlim;
}

uint64_t rlimit(int res)
{
	return task_rlimits(current)[res].cur;
}

/*
 * See include/svc/sysfacts.h. A process lives while any of its threads
 * does (a leader that exited first is a zombie until the last thread
 * goes, and its process is still listed, as Linux lists it).
 */
pid_t task_next_id(pid_t from, bool threads, bool zombies)
{
	pid_t best = 0;
	struct task *t;

	for_each_task(t) {
		pid_t id = threads ? t->pid : t->tgid;

		if ((!zombies && t->state == TASK_ZOMBIE) || id < from ||
		    (best && id >= best))
			continue;
		best = id;
	}
	return best;
}

unsigned task_other_threads(struct task *t)
{
	struct task *o;
	unsigned n = 0;

	for_each_task(o)
		if (o != t && o->tgid == t->tgid && o->state != TASK_ZOMBIE)
			n++;
	return n;
}

unsigned task_count(void)
{
	unsigned n = 0;
	struct task *t;

	for_each_task(t)
		n++;
	return n;
}

/* See task.h. */
int pid_max = PID_MAX_DEFAULT;

static unsigned long max_threads_set;	/* kernel.threads-max; 0: not set */

unsigned long task_max_threads(void)
{
	struct frame_stats st;

	if (max_threads_set)
		return max_threads_set;
	frame_stats(&st);
	return MAX(st.total / (8 * KSTACK_SIZE / PAGE_SIZE), 20UL);
}

/* See task.h. */
void task_set_max_threads(unsigned long n)
{
	max_threads_set = n;
}

/* See task.h. */
int pid_check_free(pid_t pid)
{
	struct task *t;

	if (pid < 1 || pid >= pid_max)
		return -EINVAL;
	for_each_task(t)
		if (t->pid == pid || t->pgid == pid || t->sid == pid)
			return -EEXIST;
	return 0;
}

unsigned long task_nr_forks(void)
{
	return nr_forks;
}

pid_t task_last_pid(void)
{
	return last_pid;
}

/* See task.h. */
void task_set_last_pid(pid_t pid)
{
	last_pid = pid;
}

/* A pid not used by any task, process group or session. */
static pid_t pid_alloc(void)
{
	for (int tries = 0; tries < pid_max; tries++) {
		pid_t pid = last_pid + 1 >= pid_max ? RESERVED_PIDS : last_pid + 1;

		last_pid = pid;
		if (!pid_check_free(pid))
			return pid;
	}
	return -EAGAIN;
}

/*
 * A new task with a kernel stack and pid @pid (0: the next free one),
 * linked into the task list, not yet runnable. NULL on failure.
 */
struct task *task_alloc(pid_t pid)
{
	struct task *t = kzalloc(sizeof(*t));

	if (!t)
		return NULL;
	t->kstack = kstack_alloc();
	if (!t->kstack)
		goto err_free_task;
	t->pid = pid ? pid : pid_alloc();
	if (t->pid < 0)
		goto err_free_stack;
	t->tgid = t->pid;
	nr_forks++;
	list_init(&t->children);
	list_init(&t->sibling);
	list_init(&t->run_link);
	list_init(&t->posix_timers);
	list_init(&t->shm_created);
	wq_init(&t->child_wait);
	signal_state_init(&t->sig);
	ptrace_state_init(&t->ptrace);
	t->start_ns = clock_monotonic_ns();
	t->timer_slack_ns = t->default_slack_ns = TIMER_SLACK_DEFAULT_NS;
	t->cpus_allowed = ~0ULL;	/* every CPU, as Linux's init */
	t->loginuid = t->sessionid = AUDIT_UNSET;
	list_add_tail(&t->all, &all_tasks);
	return t;

err_free_stack:
	kstack_free(t->kstack);
err_free_task:
	kfree(t);
	return NULL;
}

/* Free a reaped task. Its resources (mm, files) are already released. */
void task_free(struct task *t)
{
	pidfd_detach(t);
	ptrace_unlink(t);
	seccomp_release(t);
	ioport_release(t);
	signal_state_release(&t->sig);
	cred_release(&t->cred);
	keys_release(t);
	user_count_release(t);
	pid_ns_release(t);
	pid_ns_put(t->pid_ns);
	list_del(&t->all);
	kstack_free(t->kstack);
	kfree(t);
}

bool pgrp_exists(pid_t pgid)
{
	struct task *t;

	for_each_task(t)
		if (t->pgid == pgid)
			return true;
	return false;
}

bool pgrp_in_session(pid_t pgid, pid_t sid)
{
	struct task *t;

	for_each_task(t)
		if (t->pgid == pgid && t->sid == sid)
			return true;
	return false;
}

/* The identity calls answer in the caller's PID namespace (pid_nr.c). */
SYSCALL(__NR_getpid, getpid)(SYSCALL_ARGS)
{
	return task_tgid_vnr(current);
}

SYSCALL(__NR_gettid, gettid)(SYSCALL_ARGS)
{
	return task_vnr(current);
}

/* 0 for a parent outside the caller's namespace, as Linux. */
SYSCALL(__NR_getppid, getppid)(SYSCALL_ARGS)
{
	struct task *p = task_leader(current)->parent;

	return p ? task_tgid_vnr(p) : 0;
}

SYSCALL(__NR_getpgrp, getpgrp)(SYSCALL_ARGS)
{
	return pid_vnr(current->pgid);
}

static struct task *task_or_self(pid_t pid)
{
	return pid == 0 ? current : task_find_vpid(pid);
}

SYSCALL(__NR_getpgid, getpgid)(SYSCALL_ARGS)
{
	if ((pid_t)a0 < 0)
		return -ESRCH;
	struct task *t = task_or_self((pid_t)a0);

	return t ? pid_vnr(t->pgid) : -ESRCH;
}

SYSCALL(__NR_getsid, getsid)(SYSCALL_ARGS)
{
	if ((pid_t)a0 < 0)
		return -ESRCH;
	struct task *t = task_or_self((pid_t)a0);

	return t ? pid_vnr(t->sid) : -ESRCH;
}

/* setpgid(2) with Linux's checks, in Linux's order. */
SYSCALL(__NR_setpgid, setpgid)(SYSCALL_ARGS)
{
	pid_t pid = (pid_t)a0, pgid = (pid_t)a1;
	struct task *t;

	if (pid == 0)
		pid = task_tgid_vnr(current);
	if (pgid == 0)
		pgid = pid;		/* setpgid(-1, 0) is EINVAL too */
	if (pgid < 0)
		return -EINVAL;
	t = task_find_vpid(pid);
	if (!t || (t != current && t->parent != current))
		return -ESRCH;
	pid = t->pid;
	pgid = pgid == task_vnr(t) ? t->pid : pid_from_vnr(pgid);
	if (t != current) {
		if (t->sid != current->sid)
			return -EPERM;
		if (t->did_exec)
			return -EACCES;
	}
	if (t->tgid == t->sid)
		return -EPERM;		/* a session leader */
	if (pgid != pid && !pgrp_in_session(pgid, current->sid))
		return -EPERM;
	t->pgid = pgid;
	return 0;
}

SYSCALL(__NR_setsid, setsid)(SYSCALL_ARGS)
{
	if (current->pgid == current->tgid || pgrp_exists(current->tgid))
		return -EPERM;
	current->sid = current->pgid = current->tgid;
	current->tty = NULL;
	return task_tgid_vnr(current);
}
