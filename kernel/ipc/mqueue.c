/*
 * POSIX message queues, as Linux 6.1's ipc/mqueue.c: the queue object
 * (its sizes and RLIMIT_MSGQUEUE charge), and the system calls mq_open,
 * mq_unlink, mq_timedsend, mq_timedreceive and mq_getsetattr. Messages
 * are kept highest priority first, FIFO within a priority; a sender
 * waits while the queue is full, a receiver while it is empty, until an
 * absolute CLOCK_REALTIME timeout or a signal. Process context.
 */
#include <kernel/task.h>
#include <kernel/syscall.h>
#include <kernel/ipc.h>
#include <kernel/ktimer.h>
#include <kernel/vfs.h>
#include <svc/task.h>
#include <svc/wait.h>
#include <platform/cpu.h>
#include <platform/heap.h>
#include <platform/time.h>
#include <platform/usercopy.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include "mqueue.h"

/* What Linux accounts per message and per priority node (x86_64). */
#define MQ_MSG_OVERHEAD		48	/* struct msg_msg */
#define MQ_NODE_OVERHEAD	48	/* struct posix_msg_tree_node */

/* See mqueue.h. */
int mq_alloc(const struct mq_limits *lim, const struct mq_attr *attr,
	     struct mqueue **out)
{
	long maxmsg = attr ? attr->mq_maxmsg : lim->msg_default;
	long msgsize = attr ? attr->mq_msgsize : lim->msgsize_default;
	unsigned long bytes, tree;
	struct mqueue *q;

	if (maxmsg <= 0 || msgsize <= 0)
		return -EINVAL;
	if (capable(CAP_SYS_RESOURCE)) {
		if (maxmsg > MQ_HARD_MSGMAX || msgsize > MQ_HARD_MSGSIZEMAX)
			return -EINVAL;
	} else if (maxmsg > lim->msg_max || msgsize > lim->msgsize_max) {
		return -EINVAL;
	}
	if ((unsigned long)msgsize > UINT64_MAX / (unsigned long)maxmsg)
		return -EOVERFLOW;
	tree = (unsigned long)maxmsg * MQ_MSG_OVERHEAD +
	       (unsigned long)MIN(maxmsg, MQ_PRIO_MAX) * MQ_NODE_OVERHEAD;
	bytes = (unsigned long)maxmsg * (unsigned long)msgsize;
	if (bytes + tree < bytes)
		return -EOVERFLOW;
	bytes += tree;
	q = kzalloc(sizeof(*q));
	if (!q)
		return -ENOMEM;
	q->user = user_mq_charge(bytes);
	if (!q->user) {
		kfree(q);
		return -EMFILE;
	}
	q->charged = bytes;
	q->maxmsg = maxmsg;
	q->msgsize = msgsize;
	list_init(&q->msgs);
	wq_init(&q->rd_wait);
	wq_init(&q->wr_wait);
	*out = q;
	return 0;
}

/* See mqueue.h. */
void mq_free(struct mqueue *q)
{
	struct mq_msg *m, *n;

	list_for_each_entry_safe(m, n, &q->msgs, link)
		kfree(m);
	if (q->nl_file)
		fput(q->nl_file);
	user_mq_uncharge(q->user, q->charged);
	kfree(q);
}

/* Queue @m behind every message of its priority or higher. */
static void mq_insert(struct mqueue *q, struct mq_msg *m)
{
	struct mq_msg *pos;

	list_for_each_entry(pos, &q->msgs, link) {
		if (pos->prio < m->prio)
			break;
	}
	list_add_tail(&m->link, &pos->link);
	q->curmsgs++;
	q->qsize += m->len;
}

/* The oldest message of the highest priority, taken off @q. */
static struct mq_msg *mq_take(struct mqueue *q)
{
	struct mq_msg *m = list_first_entry(&q->msgs, struct mq_msg, link);

	list_del(&m->link);
	q->curmsgs--;
	q->qsize -= m->len;
	return m;
}

/* Every message operation touches the queue file's times, as Linux's. */
static void mq_touch(struct file *f)
{
	struct timespec64 now = current_time();

	f->inode->atime = f->inode->mtime = f->inode->ctime = now;
}

/*
 * The monotonic deadline of the absolute CLOCK_REALTIME timeout at @uts
 * (0: none, for a null pointer), as Linux's prepare_timeout: 0, -EFAULT,
 * or -EINVAL for an invalid timespec.
 */
static int mq_deadline(uptr_t uts, uint64_t *deadline)
{
	return timeout_from_user(uts, CLOCK_REALTIME, true, deadline);
}

/*
 * Sleep on @wq until @q has a message (@receive) or room: 0,
 * -ETIMEDOUT once @deadline passes, -ERESTARTSYS for a signal.
 */
static int mq_wait(struct mqueue *q, bool receive, uint64_t deadline)
{
	struct wait_queue *wq = receive ? &q->rd_wait : &q->wr_wait;
	irqflags_t fl = irq_save();
	int err = 0;

	if (receive)
		q->rd_sleepers++;
	while (receive ? !q->curmsgs : q->curmsgs >= q->maxmsg) {
		if (deadline && clock_monotonic_ns() >= deadline) {
			err = -ETIMEDOUT;
			break;
		}
		if (wq_sleep(wq, deadline)) {
			err = -ERESTARTSYS;
			break;
		}
	}
	if (receive)
		q->rd_sleepers--;
	irq_restore(fl);
	return err;
}

/* See mqueue.h. */
struct mqueue *mq_fd_get(int fd, unsigned fmode, struct file **filp)
{
	struct file *f = fd_get(fd);
	struct mqueue *q;

	if (!f)
		return NULL;
	q = mq_of_file(f);
	if (!q || (f->flags & O_PATH) || (fmode && !(f->mode & fmode))) {
		fput(f);
		return NULL;
	}
	*filp = f;
	return q;
}

SYSCALL(__NR_mq_timedsend, mq_timedsend)(SYSCALL_ARGS)
{
	size_t len = (size_t)a2;
	unsigned prio = (unsigned)a3;
	uint64_t deadline;
	struct mqueue *q;
	struct mq_msg *m;
	struct file *f;
	long err;

	if (prio >= MQ_PRIO_MAX)
		return -EINVAL;
	err = mq_deadline(UPTR(a4), &deadline);
	if (err)
		return err;
	q = mq_fd_get((int)a0, FMODE_WRITE, &f);
	if (!q)
		return -EBADF;
	err = -EMSGSIZE;
	if (len > (size_t)q->msgsize)
		goto out;
	err = -ENOMEM;
	m = kmalloc(sizeof(*m) + len);
	if (!m)
		goto out;
	err = -EFAULT;
	if (copy_from_user(m->data, UPTR(a1), len))
		goto out_free;
	m->len = len;
	m->prio = prio;
	if (q->curmsgs >= q->maxmsg) {
		err = -EAGAIN;
		if (f->flags & O_NONBLOCK)
			goto out_free;
		err = mq_wait(q, false, deadline);
		if (err)
			goto out_free;
	}
	mq_insert(q, m);
	mq_touch(f);
	if (!q->rd_sleepers)
		mq_notify_arrival(q);
	wq_wake_all(&q->rd_wait);
	fput(f);
	return 0;

out_free:
	kfree(m);
out:
	fput(f);
	return err;
}

SYSCALL(__NR_mq_timedreceive, mq_timedreceive)(SYSCALL_ARGS)
{
	size_t len = (size_t)a2;
	uint64_t deadline;
	struct mqueue *q;
	struct mq_msg *m;
	struct file *f;
	long err;

	err = mq_deadline(UPTR(a4), &deadline);
	if (err)
		return err;
	q = mq_fd_get((int)a0, FMODE_READ, &f);
	if (!q)
		return -EBADF;
	err = -EMSGSIZE;
	if (len < (size_t)q->msgsize)
		goto out;
	if (!q->curmsgs) {
		err = -EAGAIN;
		if (f->flags & O_NONBLOCK)
			goto out;
		err = mq_wait(q, true, deadline);
		if (err)
			goto out;
	}
	m = mq_take(q);
	mq_touch(f);
	wq_wake_all(&q->wr_wait);
	/* As Linux, the message is gone even if the copy-out fails. */
	err = (long)m->len;
	if ((!uptr_null(UPTR(a3)) && put_user(m->prio, UPTR(a3))) ||
	    copy_to_user(UPTR(a1), m->data, m->len))
		err = -EFAULT;
	kfree(m);
out:
	fput(f);
	return err;
}

SYSCALL(__NR_mq_getsetattr, mq_getsetattr)(SYSCALL_ARGS)
{
	struct mq_attr new, old;
	struct mqueue *q;
	struct file *f;
	long err = 0;

	if (!uptr_null(UPTR(a1))) {
		if (copy_from_user(&new, UPTR(a1), sizeof(new)))
			return -EFAULT;
		if (new.mq_flags & ~(int64_t)O_NONBLOCK)
			return -EINVAL;
	}
	q = mq_fd_get((int)a0, 0, &f);
	if (!q)
		return -EBADF;
	memset(&old, 0, sizeof(old));
	old.mq_flags = f->flags & O_NONBLOCK;
	old.mq_maxmsg = q->maxmsg;
	old.mq_msgsize = q->msgsize;
	old.mq_curmsgs = q->curmsgs;
	if (!uptr_null(UPTR(a1))) {
		if (new.mq_flags & O_NONBLOCK)
			f->flags |= O_NONBLOCK;
		else
			f->flags &= ~(unsigned)O_NONBLOCK;
	}
	if (!uptr_null(UPTR(a2)) && copy_to_user(UPTR(a2), &old, sizeof(old)))
		err = -EFAULT;
	fput(f);
	return err;
}

SYSCALL(__NR_mq_open, mq_open)(SYSCALL_ARGS)
{
	int oflag = (int)a1;
	struct mq_attr attr;
	struct file *f;
	char *name;
	int fd;

	if (!uptr_null(UPTR(a3)) &&
	    copy_from_user(&attr, UPTR(a3), sizeof(attr)))
		return -EFAULT;
	name = getname(UPTR(a0));
	if (IS_ERR(name))
		return PTR_ERR(name);
	fd = -ENOENT;
	if (!*name)
		goto out;
	fd = fd_reserve(0, true);
	if (fd < 0)
		goto out;
	f = mq_open_name(name, oflag, (mode_t)a2 & ~current->umask,
			 uptr_null(UPTR(a3)) ? NULL : &attr);
	if (IS_ERR(f)) {
		fd_unreserve(fd);
		fd = PTR_ERR(f);
		goto out;
	}
	fd_install_reserved(fd, f);
out:
	kfree(name);
	return fd;
}

SYSCALL(__NR_mq_unlink, mq_unlink)(SYSCALL_ARGS)
{
	char *name = getname(UPTR(a0));
	int err;

	if (IS_ERR(name))
		return PTR_ERR(name);
	err = *name ? mq_unlink_name(name) : -ENOENT;
	kfree(name);
	return err;
}
