/*
 * A file's I/O-signal owner and O_ASYNC, as Linux's fs/fcntl.c f_owner
 * and fasync (include/kernel/fasync.h says what each call does).
 *
 * The owner record is made on first use. While O_ASYNC is on, it holds
 * one callback waiter on each wait queue the file's poll op names (as an
 * epoll item does); a wake-up of one polls the file again and, if it is
 * ready, signals the owner with the reason its readiness gives. The
 * callback runs inside wq_wake_all, interrupts masked, in any context,
 * so waiters are linked and unlinked with interrupts masked.
 *
 * Linux's sigio_perm decides who may be signalled: the credentials of
 * whoever set the owner, kept with it, against the target's.
 */
#include <kernel/fasync.h>
#include <kernel/poll.h>
#include <kernel/signal.h>
#include <kernel/task.h>
#include <kernel/pid_ns.h>
#include <kernel/vfs_ops.h>
#include <platform/cpu.h>
#include <platform/heap.h>
#include <platform/usercopy.h>
#include <aramid/string.h>
#include <uapi/fcntl.h>

struct fown {
	int type;			/* F_OWNER_TID, _PID or _PGRP */
	pid_t pid;			/* 0: nobody */
	uid_t uid, euid;		/* of whoever set the owner */
	int signum;			/* F_SETSIG's; 0: plain SIGIO */
	int fd;				/* si_fd of the O_ASYNC signals */
	struct file *file;		/* whose record this is */
	struct list_head waits;		/* struct fasync_wait.link */
	bool nomem;			/* a waiter could not be queued */
};

/* One callback waiter on one wait queue of the file. */
struct fasync_wait {
	struct waiter waiter;		/* waiter.wake: fasync_wake */
	struct list_head link;		/* on fown.waits */
	struct fown *fown;
};

/* The poll table that queues the waiters. */
struct fasync_pqueue {
	struct poll_table pt;
	struct fown *fown;
};

/* si_band for each reason, POLL_IN to POLL_HUP (Linux's band_table). */
static const long band_table[] = {
	POLLIN | POLLRDNORM,
	POLLOUT | POLLWRNORM | POLLWRBAND,
	POLLIN | POLLRDNORM | POLLMSG,
	POLLERR,
	POLLPRI | POLLRDBAND,
	POLLHUP | POLLERR,
};

/* @f's owner record, made (nobody, SIGIO) if it has none; NULL: no memory. */
static struct fown *fown_of(struct file *f)
{
	struct fown *o = f->fown;

	if (o)
		return o;
	o = kzalloc(sizeof(*o));
	if (!o)
		return NULL;
	o->file = f;
	o->fd = -1;
	list_init(&o->waits);
	f->fown = o;
	return o;
}

/* Whether a task or a group uses @pid (Linux's find_vpid finding one). */
static bool pid_in_use(pid_t pid)
{
	return pid_check_free(pid) == -EEXIST;
}

/* Make (@type, @pid) the owner, with the caller's credentials. */
static int fown_store(struct file *f, int type, pid_t pid)
{
	struct fown *o = fown_of(f);

	if (!o)
		return -ENOMEM;
	o->type = type;
	o->pid = pid;
	o->uid = current->cred.uid;
	o->euid = current->cred.euid;
	return 0;
}

/* See fasync.h. */
int fown_set(struct file *f, int who)
{
	int type = F_OWNER_PID;

	if (who < 0) {
		if (who == INT32_MIN)
			return -EINVAL;
		type = F_OWNER_PGRP;
		who = -who;
	}
	if (who) {
		who = pid_from_vnr(who);	/* kept as the kernel's number */
		if (!who || !pid_in_use(who))
			return -ESRCH;
	}
	return fown_store(f, type, who);
}

/* See fasync.h. */
int fown_set_default(struct file *f)
{
	if (f->fown && f->fown->pid)
		return 0;
	return fown_store(f, F_OWNER_PID, current->tgid);
}

/* See fasync.h: Linux's f_delown, and the signal reset. */
void fown_clear(struct file *f)
{
	if (!f->fown)
		return;
	f->fown->type = F_OWNER_PID;
	f->fown->pid = 0;
	f->fown->uid = current->cred.uid;
	f->fown->euid = current->cred.euid;
	f->fown->signum = 0;
}

/* See fasync.h. */
int fown_get(struct file *f)
{
	const struct fown *o = f->fown;

	if (!o || !o->pid)
		return 0;
	if (o->type == F_OWNER_PGRP)
		return pgrp_exists(o->pid) ? -pid_vnr(o->pid) : 0;
	return task_find(o->pid) ? pid_vnr(o->pid) : 0;
}

static long setown_ex(struct file *f, uptr_t uarg)
{
	struct f_owner_ex ex;

	if (copy_from_user(&ex, uarg, sizeof(ex)))
		return -EFAULT;
	if (ex.type != F_OWNER_TID && ex.type != F_OWNER_PID &&
	    ex.type != F_OWNER_PGRP)
		return -EINVAL;
	if (ex.pid) {
		ex.pid = pid_from_vnr(ex.pid);
		if (!ex.pid || !pid_in_use(ex.pid))
			return -ESRCH;
	}
	return fown_store(f, ex.type, ex.pid);
}

static long getown_ex(struct file *f, uptr_t uarg)
{
	struct f_owner_ex ex = { F_OWNER_TID, 0 };

	if (f->fown) {
		ex.type = f->fown->type;
		ex.pid = pid_vnr(f->fown->pid);
	}
	return copy_to_user(uarg, &ex, sizeof(ex)) ? -EFAULT : 0;
}

/* See fasync.h. */
long fcntl_fown(struct file *f, unsigned cmd, unsigned long arg)
{
	struct fown *o;

	switch (cmd) {
	case F_SETOWN:
		return fown_set(f, (int)arg);
	case F_GETOWN:
		return fown_get(f);
	case F_SETOWN_EX:
		return setown_ex(f, UPTR(arg));
	case F_GETOWN_EX:
		return getown_ex(f, UPTR(arg));
	case F_SETSIG:
		if (arg > NSIG)
			return -EINVAL;
		o = fown_of(f);
		if (!o)
			return -ENOMEM;
		o->signum = (int)arg;
		return 0;
	case F_GETSIG:
		return f->fown ? f->fown->signum : 0;
	}
	return -EINVAL;
}

/* Linux's sigio_perm: may the owner's setter signal @t? */
static bool sigio_perm(const struct fown *o, const struct task *t)
{
	const struct cred *c = &t->cred;

	return o->euid == 0 || o->euid == c->suid || o->euid == c->uid ||
	       o->uid == c->suid || o->uid == c->uid;
}

/*
 * The signal to @t (its process if @process): F_SETSIG's with siginfo,
 * or, when that is 0 or cannot be queued, plain SIGIO (SI_KERNEL).
 */
static void sigio_to_task(const struct fown *o, struct task *t, bool process,
			  int fd, int reason)
{
	siginfo_t si;

	if (!sigio_perm(o, t))
		return;
	memset(&si, 0, sizeof(si));
	if (o->signum) {
		si.si_signo = o->signum;
		si.si_code = reason;
		si.poll.band = band_table[reason - POLL_IN];
		si.poll.fd = fd;
		if (!(process ? send_signal_process(t, o->signum, &si) :
				send_signal(t, o->signum, &si)))
			return;
		memset(&si, 0, sizeof(si));
	}
	si.si_signo = SIGIO;
	si.si_code = SI_KERNEL;
	if (process)
		send_signal_process(t, SIGIO, &si);
	else
		send_signal(t, SIGIO, &si);
}

/* See fasync.h. */
void fown_signal(struct file *f, int fd, int reason)
{
	const struct fown *o = f->fown;
	irqflags_t fl;
	struct task *t;

	if (!o || !o->pid)
		return;
	fl = irq_save();
	if (o->type != F_OWNER_PGRP) {
		t = task_find(o->pid);
		if (t && t->state != TASK_ZOMBIE &&
		    (o->type == F_OWNER_TID || t->pid == t->tgid))
			sigio_to_task(o, t, o->type == F_OWNER_PID, fd,
				      reason);
	} else {
		for_each_task(t)
			if (t->pgid == o->pid && t->pid == t->tgid &&
			    (t->state != TASK_ZOMBIE || task_other_threads(t)))
				sigio_to_task(o, t, true, fd, reason);
	}
	irq_restore(fl);
}

/* The reason a readiness @mask gives to signal, or 0 if not ready. */
static int poll_reason(unsigned mask)
{
	if (mask & POLLERR)
		return POLL_ERR;
	if (mask & POLLIN)
		return POLL_IN;
	if (mask & POLLOUT)
		return POLL_OUT;
	if (mask & POLLPRI)
		return POLL_PRI;
	if (mask & POLLHUP)
		return POLL_HUP;
	return 0;
}

/* A wait queue of the file woke: signal the owner if the file is ready. */
static void fasync_wake(struct waiter *w)
{
	struct fown *o = container_of(w, struct fasync_wait, waiter)->fown;
	int reason = poll_reason(vop_poll(o->file, NULL));

	if (reason)
		fown_signal(o->file, o->fd, reason);
}

/* poll_wait() while O_ASYNC turns on: queue a callback on @wq. */
static void fasync_queue(struct poll_table *pt, struct file *file,
			 struct wait_queue *wq)
{
	struct fown *o = container_of(pt, struct fasync_pqueue, pt)->fown;
	struct fasync_wait *fw = kmalloc(sizeof(*fw));
	irqflags_t fl;

	(void)file;
	if (!fw) {
		o->nomem = true;
		return;
	}
	fw->waiter.task = NULL;
	fw->waiter.wake = fasync_wake;
	fw->fown = o;
	list_add_tail(&fw->link, &o->waits);
	fl = irq_save();
	list_add_tail(&fw->waiter.link, &wq->waiters);
	irq_restore(fl);
}

/* Dequeue and free every waiter of @o. */
static void fasync_unwatch(struct fown *o)
{
	struct fasync_wait *fw, *next;
	irqflags_t fl = irq_save();

	list_for_each_entry(fw, &o->waits, link)
		list_del(&fw->waiter.link);
	irq_restore(fl);
	list_for_each_entry_safe(fw, next, &o->waits, link) {
		list_del(&fw->link);
		kfree(fw);
	}
}

/* See fasync.h. */
int fasync_set(struct file *f, int fd, bool on)
{
	struct fasync_pqueue pq;
	struct fown *o;

	if (!on) {
		if (f->fown)
			fasync_unwatch(f->fown);
		return 0;
	}
	o = fown_of(f);
	if (!o)
		return -ENOMEM;
	o->fd = fd;
	o->nomem = false;
	pq.pt.queue = fasync_queue;
	pq.fown = o;
	vop_poll(f, &pq.pt);
	if (o->nomem) {
		fasync_unwatch(o);
		return -ENOMEM;
	}
	return 0;
}

/* See fasync.h. */
void fasync_release(struct file *f)
{
	if (!f->fown)
		return;
	fasync_unwatch(f->fown);
	kfree(f->fown);
	f->fown = NULL;
}
