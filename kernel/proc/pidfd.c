/*
 * Process file descriptors, as Linux 6.1's: pidfd_open, pidfd_send_signal
 * and pidfd_getfd, the pidfds clone and clone3 hand out (CLONE_PIDFD) and
 * the target of waitid(P_PIDFD). A pidfd is an "anon_inode:[pidfd]" file
 * whose priv is a struct pidfd_ref: Linux's struct pid, the process's
 * identity outliving it. A process's leader points at its ref (made with
 * its first pidfd); the ref points back until the leader is freed, and
 * its wait queue wakes pollers when the whole process has exited.
 *
 * One CPU, no kernel preemption: no locks.
 */
#include <kernel/task.h>
#include <kernel/pid_ns.h>
#include <svc/task.h>
#include <kernel/vfs.h>
#include <kernel/syscall.h>
#include <platform/heap.h>
#include <platform/usercopy.h>
#include <uapi/fcntl.h>
#include <aramid/string.h>
#include "proc_internal.h"

#define PIDFD_NONBLOCK	O_NONBLOCK

struct pidfd_ref {
	int refcount;			/* the leader's, and one per file */
	struct task *task;		/* the leader; NULL once freed */
	struct wait_queue wq;		/* pollers, woken at process exit */
};

static const struct file_ops pidfd_fops;

static struct anon_inode_kind pidfd_kind = {
	.name = "[pidfd]",
	.fops = &pidfd_fops,
};

static void pidref_put(struct pidfd_ref *r)
{
	if (--r->refcount == 0)
		kfree(r);
}

/* True once every thread of the process has exited (or it was reaped). */
static bool pidref_exited(const struct pidfd_ref *r)
{
	return !r->task || (r->task->state == TASK_ZOMBIE &&
			    !task_other_threads(r->task));
}

static void pidfd_release(struct file *f)
{
	pidref_put(f->priv);
}

/* Readable (POLLIN) once the whole process has exited, as Linux 6.1. */
static unsigned pidfd_poll(struct file *f, struct poll_table *pt)
{
	struct pidfd_ref *r = f->priv;

	poll_wait(f, &r->wq, pt);
	return pidref_exited(r) ? POLLIN | POLLRDNORM : 0;
}

static const struct file_ops pidfd_fops = {
	.release = pidfd_release,
	.poll = pidfd_poll,
};

/* See proc_internal.h. */
struct file *pidfd_file_new(struct task *leader, unsigned flags)
{
	struct pidfd_ref *r = leader->pidref;
	bool made = false;
	struct file *f;

	if (!r) {
		r = kzalloc(sizeof(*r));
		if (!r)
			return NULL;
		r->refcount = 1;
		r->task = leader;
		wq_init(&r->wq);
		made = true;
	}
	f = anon_inode_file(&pidfd_kind, r, O_RDWR | (flags & O_NONBLOCK));
	if (!f) {
		if (made)
			kfree(r);
		return NULL;
	}
	leader->pidref = r;
	r->refcount++;
	return f;
}

/* See proc_internal.h. */
void pidfd_notify_exit(struct task *leader)
{
	if (leader->pidref)
		wq_wake_all(&leader->pidref->wq);
}

/* See proc_internal.h. */
void pidfd_detach(struct task *t)
{
	struct pidfd_ref *r = t->pidref;

	if (!r)
		return;
	t->pidref = NULL;
	r->task = NULL;
	wq_wake_all(&r->wq);
	pidref_put(r);
}

/*
 * The pidfd_ref of descriptor @fd with the file's reference in *@fp
 * (fput it): -EBADF if @fd is not open or not a pidfd.
 */
static struct pidfd_ref *pidfd_get(int fd, struct file **fp)
{
	struct file *f = fd_get(fd);

	if (!f)
		return NULL;
	if (f->fops != &pidfd_fops) {
		fput(f);
		return NULL;
	}
	*fp = f;
	return f->priv;
}

/* See proc_internal.h. */
bool pidfd_file_task(const struct file *f, struct task **leader)
{
	if (f->fops != &pidfd_fops)
		return false;
	*leader = ((struct pidfd_ref *)f->priv)->task;
	return true;
}

/* See proc_internal.h. */
int pidfd_wait_target(int fd, pid_t *pid, bool *nonblock)
{
	struct file *f;
	struct pidfd_ref *r = pidfd_get(fd, &f);

	if (!r)
		return -EBADF;
	*pid = r->task ? r->task->pid : -1;	/* reaped: matches nothing */
	*nonblock = f->flags & O_NONBLOCK;
	fput(f);
	return 0;
}

/* pidfd_open(pid, flags): a pidfd for the process @pid leads. */
SYSCALL(__NR_pidfd_open, pidfd_open)(SYSCALL_ARGS)
{
	pid_t pid = (pid_t)a0;
	unsigned flags = (unsigned)a1;
	struct task *t;
	struct file *f;
	int fd;

	if (flags & ~PIDFD_NONBLOCK)
		return -EINVAL;
	if (pid <= 0)
		return -EINVAL;
	t = task_find_vpid(pid);
	if (!t)
		return -ESRCH;
	if (t->pid != t->tgid)
		return -EINVAL;		/* a thread, not a process */
	fd = fd_reserve(0, true);
	if (fd < 0)
		return fd;
	f = pidfd_file_new(t, flags);
	if (!f) {
		fd_unreserve(fd);
		return -ENOMEM;
	}
	fd_install_reserved(fd, f);
	return fd;
}

/*
 * pidfd_send_signal(pidfd, sig, info, flags): kill(2) through a pidfd,
 * or rt_sigqueueinfo(2) with @info, checked in Linux's order.
 */
/*
 * The process pidfd_send_signal's @fd names: a pidfd's, or that of a
 * /proc/PID directory as Linux also takes (NULL once it has ended, even
 * if another process has its pid now). 0,
 * and the file in *@fp to fput, or -EBADF for any other descriptor.
 */
static int signal_target(int fd, struct file **fp, struct task **target)
{
	struct file *f = fd_get(fd);
	struct task *t;

	if (!f)
		return -EBADF;
	if (f->fops == &pidfd_fops) {
		*target = ((struct pidfd_ref *)f->priv)->task;
	} else if (f->inode->proc_tgid && S_ISDIR(f->inode->mode)) {
		t = task_find(f->inode->proc_tgid);
		*target = t && t->start_ns == f->inode->proc_start_ns &&
			  t->pid == t->tgid && !t->group_exiting &&
			  t->state != TASK_ZOMBIE ? t : NULL;
	} else {
		fput(f);
		return -EBADF;
	}
	*fp = f;
	return 0;
}

SYSCALL(__NR_pidfd_send_signal, pidfd_send_signal)(SYSCALL_ARGS)
{
	int sig = (int)a1;
	uptr_t uinfo = UPTR(a2);
	struct task *target;
	siginfo_t info;
	struct file *f;
	long ret;

	if ((unsigned)a3)
		return -EINVAL;
	ret = signal_target((int)a0, &f, &target);
	if (ret)
		return ret;
	if (!uptr_null(uinfo)) {
		ret = -EFAULT;
		if (copy_from_user(&info, uinfo, sizeof(info)))
			goto out;
		ret = -EINVAL;
		if (info.si_signo != sig)
			goto out;
		/* Only to itself may a thread claim kernel or kill() origins. */
		ret = -EPERM;
		if (target != current &&
		    (info.si_code >= 0 || info.si_code == SI_TKILL))
			goto out;
	}
	ret = -ESRCH;
	if (!target)
		goto out;
	ret = -EINVAL;
	if (sig < 0 || sig > NSIG)
		goto out;
	ret = signal_may_send(target, sig);
	if (ret)
		goto out;
	ret = send_signal_process(target, sig, uptr_null(uinfo) ? NULL : &info);
out:
	fput(f);
	return ret;
}

/* pidfd_getfd(pidfd, targetfd, flags): a copy of another process's fd. */
SYSCALL(__NR_pidfd_getfd, pidfd_getfd)(SYSCALL_ARGS)
{
	int targetfd = (int)a1;
	struct pidfd_ref *r;
	struct file *f, *got;
	long ret;
	int fd;

	if ((unsigned)a2)
		return -EINVAL;
	r = pidfd_get((int)a0, &f);
	if (!r)
		return -EBADF;
	ret = -ESRCH;
	if (!r->task)
		goto out;
	ret = -EPERM;
	if (!ptrace_may_access(r->task, PTRACE_MODE_REALCREDS))
		goto out;
	/* An exiting leader has let go of its files: ESRCH, as Linux. */
	ret = -ESRCH;
	if (!r->task->files)
		goto out;
	ret = -EBADF;
	got = files_peek(r->task->files, targetfd);
	if (!got)
		goto out;
	fd = fd_reserve(0, true);
	ret = fd;
	if (fd < 0)
		goto out;
	fget(got);
	fd_install_reserved(fd, got);
out:
	fput(f);
	return ret;
}
