/*
 * mq_notify(2), as Linux 6.1's do_mq_notify: one process may ask to hear
 * when a message arrives on an empty queue no receiver waits on; the
 * registration then goes. SIGEV_NONE only registers, SIGEV_SIGNAL sends
 * a signal with SI_MESGQ, SIGEV_THREAD writes the C library's 32-byte
 * cookie to its netlink socket (the last byte NOTIFY_WOKENUP, or
 * NOTIFY_REMOVED when the registration is dropped), which the library's
 * helper thread reads. Process context.
 */
#include <kernel/task.h>
#include <kernel/signal.h>
#include <kernel/socket.h>
#include <kernel/sops.h>
#include <kernel/syscall.h>
#include <platform/usercopy.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include <uapi/signal.h>
#include <uapi/time.h>
#include "mqueue.h"

#define NOTIFY_WOKENUP	1
#define NOTIFY_REMOVED	2

/* Send SIGEV_THREAD's cookie, marked @how; the socket is let go. */
static void mq_send_cookie(struct mqueue *q, uint8_t how)
{
	struct socket *sock = file_socket(q->nl_file);

	q->cookie[NOTIFY_COOKIE_LEN - 1] = how;
	sop_kernel_send(sock, q->cookie, NOTIFY_COOKIE_LEN);
	fput(q->nl_file);
	q->nl_file = NULL;
}

/* See mqueue.h. */
void mq_notify_remove(struct mqueue *q)
{
	if (q->notify_owner && q->notify == SIGEV_THREAD)
		mq_send_cookie(q, NOTIFY_REMOVED);
	q->notify_owner = 0;
}

/* SIGEV_SIGNAL's signal, from the sender (current) to the owner. */
static void mq_signal(struct mqueue *q)
{
	struct task *owner = task_find(q->notify_owner);
	siginfo_t info;

	if (!q->signo || !owner || owner->tgid != q->notify_owner)
		return;
	memset(&info, 0, sizeof(info));
	info.si_signo = q->signo;
	info.si_code = SI_MESGQ;
	info.rt.pid = current->tgid;
	info.rt.uid = current->cred.uid;
	info.rt.value = q->value;
	send_signal_process(owner, q->signo, &info);
}

/* See mqueue.h. */
void mq_notify_arrival(struct mqueue *q)
{
	if (!q->notify_owner || q->curmsgs != 1)
		return;
	if (q->notify == SIGEV_SIGNAL)
		mq_signal(q);
	else if (q->notify == SIGEV_THREAD)
		mq_send_cookie(q, NOTIFY_WOKENUP);
	q->notify_owner = 0;
}

/*
 * SIGEV_THREAD's part of @ev: the cookie at sigev_value into @cookie and
 * the netlink socket sigev_signo names into *@nl (a reference): 0,
 * -EFAULT, -EBADF, -ENOTSOCK, or -EINVAL for another family.
 */
static int mq_thread_target(const struct k_sigevent *ev, uint8_t *cookie,
			    struct file **nl)
{
	struct socket *sock;
	long err;

	if (copy_from_user(cookie, UPTR(ev->sigev_value), NOTIFY_COOKIE_LEN))
		return -EFAULT;
	sock = sockfd_get(ev->sigev_signo, nl, &err);
	if (!sock)
		return (int)err;
	if (sock->family != AF_NETLINK) {
		fput(*nl);
		return -EINVAL;
	}
	return 0;
}

SYSCALL(__NR_mq_notify, mq_notify)(SYSCALL_ARGS)
{
	uint8_t cookie[NOTIFY_COOKIE_LEN];
	bool registering = !uptr_null(UPTR(a1));
	struct file *nl = NULL, *f;
	struct k_sigevent ev;
	struct mqueue *q;
	long err = 0;

	if (registering) {
		if (copy_from_user(&ev, UPTR(a1), sizeof(ev)))
			return -EFAULT;
		if (ev.sigev_notify != SIGEV_NONE &&
		    ev.sigev_notify != SIGEV_SIGNAL &&
		    ev.sigev_notify != SIGEV_THREAD)
			return -EINVAL;
		if (ev.sigev_notify == SIGEV_SIGNAL &&
		    (unsigned)ev.sigev_signo > NSIG)
			return -EINVAL;
		if (ev.sigev_notify == SIGEV_THREAD) {
			err = mq_thread_target(&ev, cookie, &nl);
			if (err)
				return err;
		}
	}
	q = mq_fd_get((int)a0, 0, &f);
	if (!q) {
		err = -EBADF;
		goto out_nl;
	}
	if (!registering) {
		if (q->notify_owner == current->tgid)
			mq_notify_remove(q);
	} else if (q->notify_owner) {
		err = -EBUSY;
	} else {
		q->notify_owner = current->tgid;
		q->notify = ev.sigev_notify;
		q->signo = ev.sigev_signo;
		q->value = ev.sigev_value;
		if (nl) {
			memcpy(q->cookie, cookie, NOTIFY_COOKIE_LEN);
			q->nl_file = nl;
			nl = NULL;
		}
	}
	fput(f);
out_nl:
	if (nl)
		fput(nl);
	return err;
}
