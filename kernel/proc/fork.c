/*
 * Process and thread creation: fork, vfork, clone and clone3, one
 * mechanism as Linux's kernel_clone. A new process gets a copy-on-write
 * copy of the address space, or shares it for CLONE_VM|CLONE_VFORK until
 * it execs or exits; a new thread (CLONE_THREAD) joins its creator's
 * process and shares what the flags say (CLONE_VM, CLONE_FILES, CLONE_FS,
 * CLONE_SIGHAND). CLONE_PIDFD hands the parent a pidfd for the child.
 */
#include <kernel/task.h>
#include <kernel/ioport.h>
#include <kernel/mm.h>
#include <kernel/ipc.h>
#include <kernel/keys.h>
#include <kernel/vfs.h>
#include <kernel/uts_ns.h>
#include <kernel/ipc_ns.h>
#include <kernel/time_ns.h>
#include <kernel/pid_ns.h>
#include <kernel/mnt_ns.h>
#include <kernel/syscall.h>
#include <kernel/rseq.h>
#include <platform/usercopy.h>
#include <platform/upcall.h>
#include <aramid/string.h>
#include <uapi/clone.h>
#include <uapi/ptrace.h>
#include "proc_internal.h"

/* struct clone_args sizes: the first version, and the one with cgroup. */
#define CLONE_ARGS_SIZE_VER0	64
#define CLONE_ARGS_SIZE_VER2	88

/* One clone request, as Linux's kernel_clone_args. */
struct clone_req {
	uint64_t flags;
	uptr_t pidfd;			/* CLONE_PIDFD: where the fd goes */
	uptr_t child_tid;
	uptr_t parent_tid;
	int exit_signal;
	uint64_t stack;			/* the child's rsp; 0: the parent's */
	uint64_t tls;
	bool want_tid;			/* set_tid: the pid asked for */
	pid_t set_tid;
};

/* A new child starts here, then leaves for user space. */
static void child_entry(void *arg)
{
	if (!uptr_null(current->set_child_tid)) {
		pid_t tid = task_vnr(current);

		put_user(tid, current->set_child_tid);
	}
	/* What waits for it (a traced child's first stop) comes first. */
	kernel_return_to_user(task_frame(current));
	cpu_enter_user(task_frame(current));
}

/*
 * The checks Linux's kernel_clone and copy_process make on the flags
 * before anything is allocated: 0 or -EINVAL.
 */
static int clone_flags_valid(const struct clone_req *r)
{
	uint64_t flags = r->flags;

	if ((flags & CLONE_PIDFD) && (flags & CLONE_PARENT_SETTID) &&
	    uptr_eq(r->pidfd, r->parent_tid))
		return -EINVAL;
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	/* A namespace's init has no parent to share (Linux's SIGNAL_UNKILLABLE). */
	if ((flags & CLONE_PARENT) &&
	    task_leader(current) == current->pid_ns->reaper)
		return -EINVAL;
	/* A thread stays in its process's PID namespace. */
	if ((flags & CLONE_THREAD) &&
	    ((flags & (CLONE_NEWUSER | CLONE_NEWPID)) ||
	     current->pid_ns != current->pid_ns_children))
		return -EINVAL;
	if ((flags & CLONE_PIDFD) && (flags & (CLONE_DETACHED | CLONE_THREAD)))
		return -EINVAL;
	return clone_ns_check(flags);
}

/*
 * The PID namespace new task @c goes into: its parent's children's, or
 * with CLONE_NEWPID a new one below it (EINVAL after
 * unshare(CLONE_NEWPID) has made the two differ, as Linux's
 * copy_pid_ns), and its numbers there. 0 or -errno; what it set is
 * released by the caller's unwinding and task_free.
 */
static int clone_pid_ns(struct task *c, struct task *p, uint64_t flags)
{
	struct pid_ns *ns;

	if (flags & CLONE_NEWPID) {
		if (p->pid_ns_children != p->pid_ns)
			return -EINVAL;
		ns = pid_ns_new(p->pid_ns_children);
		if (IS_ERR(ns))
			return (int)PTR_ERR(ns);
	} else {
		ns = pid_ns_get(p->pid_ns_children);
	}
	c->pid_ns = ns;
	c->pid_ns_children = pid_ns_get(ns);
	return pid_ns_assign(c);
}

/* The level of the PID namespace a child of current's will be in. */
static unsigned child_pid_level(uint64_t flags)
{
	return current->pid_ns_children->level + !!(flags & CLONE_NEWPID);
}

/* CLONE_CLEAR_SIGHAND: handlers back to SIG_DFL, ignored ones stay. */
static void clear_sighand(struct signal_state *s)
{
	for (int i = 0; i < NSIG; i++) {
		struct k_sigaction *act = &s->action[i];

		if (act->handler != SIG_IGN)
			act->handler = SIG_DFL;
		act->flags = 0;
		act->restorer = 0;
		act->mask = 0;
	}
}

/*
 * CLONE_PIDFD: a pidfd for @c in the parent's table, its number written
 * to @r->pidfd. 0 with the reserved fd in *@fd and the file in *@f, or
 * -errno with nothing left over.
 */
static int clone_pidfd(struct task *c, const struct clone_req *r, int *fd,
		       struct file **f)
{
	int err;

	*fd = fd_reserve(0, true);
	if (*fd < 0)
		return *fd;
	err = -ENOMEM;
	*f = pidfd_file_new(c, 0);
	if (!*f)
		goto err_unreserve;
	err = -EFAULT;
	if (put_user(*fd, r->pidfd))
		goto err_fput;
	return 0;

err_fput:
	fput(*f);
err_unreserve:
	fd_unreserve(*fd);
	return err;
}

/* Wait, uninterruptibly, for the vfork child to exec or exit. */
static void vfork_wait(struct vfork_done *vfork)
{
	/*
	 * Signals do not end this wait (they are delivered after it), so
	 * sleep on the queue directly rather than through wq_sleep().
	 */
	struct waiter w = { .task = current };
	irqflags_t fl = irq_save();

	list_add_tail(&w.link, &vfork->wq.waiters);
	while (!vfork->done) {
		current->state = TASK_SLEEPING;
		schedule();
	}
	list_del(&w.link);
	irq_restore(fl);
}

static long do_fork(const struct clone_req *r)
{
	uint64_t flags = r->flags;
	struct task *p = current, *c;
	struct file *pidfile = NULL;
	struct vfork_done vfork;
	int pidfd = -1;
	long err;

	err = clone_flags_valid(r);
	if (err)
		return err;
	/* Linux's copy_process: the user's limit, then the kernel's. */
	err = user_count_may_fork();
	if (err)
		return err;
	if (task_count() >= task_max_threads())
		return -EAGAIN;
	if (r->want_tid) {
		/* Linux's order: the range, the privilege, then pid in use. */
		err = pid_check_free(r->set_tid);
		if (err == -EINVAL)
			return err;
		if (!cred_capable(&p->cred, CAP_CHECKPOINT_RESTORE))
			return -EPERM;
		/* set_tid names numbers in the initial namespace only. */
		if (child_pid_level(flags))
			return -EINVAL;
		if (err)
			return err;
	}
	if (flags & CLONE_INTO_CGROUP)
		return -EBADF;		/* no cgroup2 directory to name */
	c = task_alloc(r->want_tid ? r->set_tid : 0);
	if (!c)
		return -EAGAIN;
	/* Linux's copy_creds: a new user namespace before the others. */
	cred_copy(&c->cred, &p->cred);
	err = clone_user_ns(&c->cred, flags);
	if (err)
		goto err_free;

	err = -ENOMEM;
	if (flags & CLONE_VM) {
		c->mm = p->mm;
		mm_get(c->mm);
	} else {
		c->mm = mm_fork(p->mm);
		if (!c->mm)
			goto err_free;
	}
	if (flags & CLONE_FILES) {
		c->files = p->files;
		files_get(c->files);
	} else {
		c->files = files_dup(p->files);
		if (IS_ERR(c->files)) {
			err = PTR_ERR(c->files);
			c->files = NULL;
			goto err_mm;
		}
	}
	if (flags & CLONE_FS) {
		c->fs = p->fs;
		fs_context_get(c->fs);
	} else {
		c->fs = fs_context_dup(p->fs);
		if (!c->fs)
			goto err_files;
	}
	/* The child's fs is its own copy: CLONE_NEWNS excludes CLONE_FS. */
	if (flags & CLONE_NEWNS) {
		c->mnt_ns = mnt_ns_copy(p->mnt_ns, c->fs);
		if (!c->mnt_ns)
			goto err_fs;
	} else {
		c->mnt_ns = mnt_ns_get(p->mnt_ns);
	}
	if (flags & CLONE_NEWUTS) {
		c->uts_ns = uts_ns_copy(p->uts_ns);
		if (!c->uts_ns)
			goto err_mnt;
	} else {
		c->uts_ns = uts_ns_get(p->uts_ns);
	}
	c->ipc_ns = (flags & CLONE_NEWIPC) ? ipc_ns_new() :
		    ipc_ns_get(p->ipc_ns);
	if (!c->ipc_ns)
		goto err_uts;
	err = time_ns_fork(c, flags);
	if (err)
		goto err_uts;
	err = clone_pid_ns(c, p, flags);
	if (err)
		goto err_uts;
	clone_ns_owners(c, flags);
	if (flags & CLONE_PIDFD) {
		err = clone_pidfd(c, r, &pidfd, &pidfile);
		if (err)
			goto err_uts;
	}

	/*
	 * A thread joins the process; a new process is a child of the
	 * creating process (of its leader, whichever thread forks).
	 */
	struct task *leader = task_leader(p);

	if (flags & CLONE_THREAD) {
		c->tgid = p->tgid;
		c->parent = leader->parent;
		c->exit_signal = -1;
	} else if ((flags & CLONE_PARENT) && leader->parent) {
		c->parent = leader->parent;
		c->exit_signal = leader->exit_signal;
	} else {
		c->parent = leader;
		c->exit_signal = r->exit_signal;
	}
	if (!(flags & CLONE_THREAD))
		list_add_tail(&c->sibling, &c->parent->children);
	c->pgid = p->pgid;
	c->sid = p->sid;
	c->tty = p->tty;
	keys_fork(c, p);
	user_count_fork(c, p);
	c->no_new_privs = p->no_new_privs;
	seccomp_fork(c, p);
	c->umask = p->umask;
	c->nice = p->nice;
	c->cpus_allowed = p->cpus_allowed;
	c->sched = p->sched;
	c->ioprio = p->ioprio;
	io_context_fork(c, p, flags & CLONE_IO);
	c->oom_score_adj = task_leader(p)->oom_score_adj;
	c->loginuid = p->loginuid;
	c->sessionid = p->sessionid;
	sched_policy_fork(c);
	c->personality = p->personality;
	c->timer_slack_ns = c->default_slack_ns = p->timer_slack_ns;
	memcpy(c->rlim, task_rlimits(p), sizeof(c->rlim));
	memcpy(c->comm, p->comm, sizeof(c->comm));
	c->sig.blocked = p->sig.blocked;
	memcpy(c->sig.action, p->sig.action, sizeof(c->sig.action));
	if (flags & CLONE_CLEAR_SIGHAND)
		clear_sighand(&c->sig);
	c->sig.altstack = p->sig.altstack;
	rseq_fork(c, flags & CLONE_VM);
	sem_fork(c, flags & CLONE_SYSVSEM);

	cpu_thread_init(&c->cpu, kstack_top(c->kstack),
			child_entry, NULL);
	cpu_thread_copy_fpu(&c->cpu);
	c->cpu.fs_base = (flags & CLONE_SETTLS) ? r->tls : p->cpu.fs_base;
	cpu_set_tsc_user(&c->cpu, !p->cpu.notsc);	/* kept, as Linux's TIF_NOTSC */
	ioport_fork(c, p);
	ptrace_debugregs_fork(c, p);
	*task_frame(c) = *task_frame(p);
	task_frame(c)->rax = 0;
	if (r->stack)
		task_frame(c)->rsp = r->stack;

	if (flags & CLONE_CHILD_CLEARTID)
		c->clear_child_tid = r->child_tid;
	if (flags & CLONE_CHILD_SETTID)
		c->set_child_tid = r->child_tid;
	if (pidfile)
		fd_install_reserved(pidfd, pidfile);

	pid_t pid = task_vnr(c);	/* a thread's id, or the new process's */

	if (flags & CLONE_PARENT_SETTID)
		put_user(pid, r->parent_tid);
	if (flags & CLONE_VFORK) {
		wq_init(&vfork.wq);
		vfork.done = false;
		c->vfork = &vfork;
	}
	int event = ptrace_fork(c, flags, c->exit_signal);

	sched_add_new(c);
	if (event)
		ptrace_event(event, (uint64_t)pid);
	if (flags & CLONE_VFORK) {
		vfork_wait(&vfork);
		if (event)
			ptrace_event(PTRACE_EVENT_VFORK_DONE, (uint64_t)pid);
	}
	return pid;

err_uts:
	pid_ns_put(c->pid_ns_children);
	ipc_ns_put(c->ipc_ns);
	time_ns_put(c->time_ns);
	time_ns_put(c->time_ns_children);
	uts_ns_put(c->uts_ns);
err_mnt:
	mnt_ns_put(c->mnt_ns);
err_fs:
	fs_context_put(c->fs);
err_files:
	files_put(c->files);
err_mm:
	mm_put(c->mm);
err_free:
	task_free(c);
	return err;
}

/* Release a vfork parent: the child has exec'd or is exiting. */
void vfork_release(struct task *t)
{
	if (t->vfork) {
		t->vfork->done = true;
		wq_wake_all(&t->vfork->wq);
		t->vfork = NULL;
	}
}

SYSCALL(__NR_fork, fork)(SYSCALL_ARGS)
{
	struct clone_req r = { .exit_signal = SIGCHLD };

	return do_fork(&r);
}

SYSCALL(__NR_vfork, vfork)(SYSCALL_ARGS)
{
	struct clone_req r = {
		.flags = CLONE_VM | CLONE_VFORK, .exit_signal = SIGCHLD,
	};

	return do_fork(&r);
}

/*
 * clone(flags, stack, parent_tid, child_tid, tls) on x86-64: the low 32
 * bits of @flags, the exit signal in CSIGNAL; a CLONE_PIDFD pidfd goes
 * where parent_tid points.
 */
SYSCALL(__NR_clone, clone)(SYSCALL_ARGS)
{
	uint32_t flags = (uint32_t)a0;
	struct clone_req r = {
		.flags = flags & ~CSIGNAL,
		.exit_signal = (int)(flags & CSIGNAL),
		.stack = (uint64_t)a1,
		.pidfd = UPTR(a2),
		.parent_tid = UPTR(a2),
		.child_tid = UPTR(a3),
		.tls = (uint64_t)a4,
	};

	return do_fork(&r);
}

/* struct clone_args of clone3(2), up to CLONE_ARGS_SIZE_VER2. */
struct clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal;
	uint64_t stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};

_Static_assert(sizeof(struct clone_args) == CLONE_ARGS_SIZE_VER2,
	       "clone_args");

/*
 * Copy clone3's @usize bytes at @uargs into @a as Linux's
 * copy_struct_from_user: a shorter struct is zero-extended, a longer one
 * must be zero past what is known. 0, -EINVAL, -E2BIG or -EFAULT.
 */
static int clone_args_copy(struct clone_args *a, uptr_t uargs, size_t usize)
{
	if (usize > PAGE_SIZE)
		return -E2BIG;
	if (usize < CLONE_ARGS_SIZE_VER0)
		return -EINVAL;
	return copy_struct_from_user(a, sizeof(*a), uargs, usize);
}

/*
 * The checks of Linux's copy_clone_args_from_user and clone3_args_valid
 * on @a (of @usize bytes), filling @r: 0, -EINVAL or -EFAULT (set_tid).
 */
static int clone3_req(const struct clone_args *a, size_t usize,
		      struct clone_req *r)
{
	uint64_t stack = a->stack;

	if (a->set_tid_size > 1)
		return -EINVAL;		/* one pid namespace level */
	if (!a->set_tid != !a->set_tid_size)
		return -EINVAL;
	if (a->exit_signal & ~(uint64_t)CSIGNAL || a->exit_signal > NSIG)
		return -EINVAL;
	if ((a->flags & CLONE_INTO_CGROUP) &&
	    (a->cgroup > INT32_MAX || usize < CLONE_ARGS_SIZE_VER2))
		return -EINVAL;
	if (a->flags & ~(CLONE_LEGACY_FLAGS | CLONE_CLEAR_SIGHAND |
			 CLONE_INTO_CGROUP))
		return -EINVAL;
	if (a->flags & (CLONE_DETACHED | (CSIGNAL & ~CLONE_NEWTIME)))
		return -EINVAL;
	if ((a->flags & CLONE_SIGHAND) && (a->flags & CLONE_CLEAR_SIGHAND))
		return -EINVAL;
	if ((a->flags & (CLONE_THREAD | CLONE_PARENT)) && a->exit_signal)
		return -EINVAL;
	if (!stack != !a->stack_size)
		return -EINVAL;
	if (stack) {
		if (stack > TASK_SIZE || a->stack_size > TASK_SIZE - stack)
			return -EINVAL;		/* Linux's access_ok */
		stack += a->stack_size;		/* the stack grows down */
	}
	*r = (struct clone_req){
		.flags = a->flags,
		.pidfd = UPTR(a->pidfd),
		.child_tid = UPTR(a->child_tid),
		.parent_tid = UPTR(a->parent_tid),
		.exit_signal = (int)a->exit_signal,
		.stack = stack,
		.tls = a->tls,
		.want_tid = a->set_tid != 0,
	};
	if (a->set_tid && get_user(r->set_tid, UPTR(a->set_tid)))
		return -EFAULT;
	return 0;
}

/* clone3(args, size): clone with a struct, as Linux 6.1. */
SYSCALL(__NR_clone3, clone3)(SYSCALL_ARGS)
{
	struct clone_args a;
	struct clone_req r;
	int err;

	err = clone_args_copy(&a, UPTR(a0), (size_t)a1);
	if (err)
		return err;
	err = clone3_req(&a, (size_t)a1, &r);
	if (err)
		return err;
	return do_fork(&r);
}
