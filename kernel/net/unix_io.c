/*
 * AF_UNIX data transfer: messages on receive queues, stream send and
 * receive (byte stream, EPIPE/SIGPIPE, EOF, MSG_WAITALL, MSG_PEEK) and
 * datagram/seqpacket send and receive (boundaries kept, MSG_TRUNC), with
 * SCM_RIGHTS files riding on the messages.
 *
 * Flow control as Linux: a sender may have at most its SO_SNDBUF bytes
 * queued anywhere (struct unix_sock.wmem); a datagram receiver that is
 * not connected back to the sender takes at most UNIX_MAX_DGRAM_QLEN + 1
 * messages.
 */
#include "unix.h"
#include <aramid/string.h>
#include <kernel/signal.h>
#include <kernel/task.h>
#include <platform/frame.h>
#include <platform/heap.h>

#define DGRAM_OVERHEAD	32	/* a datagram may be sndbuf - 32 bytes */
#define STREAM_CHUNK_OVERHEAD 64

/* A message of @len bytes filled from @uio, or an ERR_PTR. */
static struct unix_msg *msg_alloc(size_t len, struct uio *uio)
{
	size_t nfrag = DIV_ROUND_UP(len, PAGE_SIZE);
	struct unix_msg *m = kzalloc(sizeof(*m) + nfrag * sizeof(m->frag[0]));
	int err = -ENOMEM;

	if (!m)
		return ERR_PTR(-ENOMEM);
	m->len = len;
	for (size_t i = 0; i < nfrag; i++) {
		size_t n = MIN(PAGE_SIZE, len - i * PAGE_SIZE);

		err = -ENOMEM;
		m->frag[i] = kmalloc(n);
		if (!m->frag[i])
			goto err_free;
		err = uiomove(m->frag[i], n, uio);
		if (err)
			goto err_free;
	}
	return m;

err_free:
	unix_msg_free(m);
	return ERR_PTR(err);
}

/* See unix.h. */
void unix_msg_free(struct unix_msg *m)
{
	struct unix_sock *sender = m->sender;

	for (size_t i = 0; i < DIV_ROUND_UP(m->len, PAGE_SIZE); i++)
		kfree(m->frag[i]);
	scm_free(m->fds);
	if (sender) {
		sender->wmem -= m->len;
		wq_wake_all(&sender->wq);
		unix_put(sender);
	}
	kfree(m);
}

/* Copy @n bytes at @off of @m into @uio: the bytes moved; *@err. */
static size_t msg_copy_out(struct unix_msg *m, size_t off, size_t n,
			   struct uio *uio, int *err)
{
	size_t done = 0;

	*err = 0;
	while (done < n) {
		size_t pos = off + done;
		size_t chunk = MIN(n - done, PAGE_SIZE - pos % PAGE_SIZE);
		size_t before = uio->resid;

		*err = uiomove(m->frag[pos / PAGE_SIZE] + pos % PAGE_SIZE,
			       chunk, uio);
		done += before - uio->resid;
		if (*err)
			break;
	}
	return done;
}

/* Queue @m from @u on @other's receive queue. */
static void msg_enqueue(struct unix_sock *u, struct unix_sock *other,
			struct unix_msg *m)
{
	unix_get(u);
	m->sender = u;
	u->wmem += m->len;
	list_add_tail(&m->link, &other->rcvq);
	other->rcv_count++;
	wq_wake_all(&other->wq);
}

/* Take @m off @u's queue and free it. */
static void msg_dequeue(struct unix_sock *u, struct unix_msg *m)
{
	list_del(&m->link);
	u->rcv_count--;
	wq_wake_all(&u->wq);	/* datagram senders waiting for room */
	unix_msg_free(m);
}

static bool stream_broken(const struct unix_sock *u,
			  const struct unix_sock *other)
{
	return (u->shutdown & SEND_SHUTDOWN) || other->dead ||
		(other->shutdown & RCV_SHUTDOWN);
}

static ssize_t stream_send(struct socket *sock, struct sock_msg *msg,
			   struct scm_send *scm)
{
	struct scm_fds *fds = scm->fds;
	struct unix_sock *u = sock->priv, *other = u->peer;
	bool nonblock = msg->flags & MSG_DONTWAIT;
	size_t sent = 0, total = msg->uio->resid;
	struct unix_msg *m;
	int err = 0;

	if (msg->flags & MSG_OOB) {
		err = -EOPNOTSUPP;
		goto out;
	}
	if (msg->namelen) {
		err = u->state == UNIX_CONNECTED ? -EISCONN : -EOPNOTSUPP;
		goto out;
	}
	if (u->state != UNIX_CONNECTED || !other) {
		err = -ENOTCONN;
		goto out;
	}
	while (sent < total || (u->shutdown & SEND_SHUTDOWN)) {
		size_t size = MIN(total - sent,
				  (size_t)(sock->sndbuf / 2 -
					   STREAM_CHUNK_OVERHEAD));

		err = unix_wait(u->wq, nonblock, stream_broken(u, other) ||
				u->wmem < (size_t)sock->sndbuf);
		if (err)
			break;
		if (stream_broken(u, other)) {
			err = -EPIPE;
			break;
		}
		m = msg_alloc(size, msg->uio);
		if (IS_ERR(m)) {
			err = PTR_ERR(m);
			break;
		}
		m->fds = fds;
		fds = NULL;
		m->cred = scm_msg_cred(sock, other, scm);
		msg_enqueue(u, other, m);
		sent += size;
	}
out:
	scm_free(fds);
	if (sent)
		return (ssize_t)sent;
	return sigpipe_on_epipe(err, msg->flags & MSG_NOSIGNAL);
}

/* Wait for a datagram receiver @other to have room for one from @u. */
static int dgram_wait_room(struct unix_sock *u, struct unix_sock *other,
			   bool nonblock)
{
	return unix_wait(other->wq, nonblock, other->dead ||
			 other->peer == u ||
			 other->rcv_count <= UNIX_MAX_DGRAM_QLEN);
}

static ssize_t dgram_send(struct socket *sock, struct sock_msg *msg,
			  struct scm_send *scm)
{
	struct scm_fds *fds = scm->fds;
	struct unix_sock *u = sock->priv, *other;
	bool nonblock = msg->flags & MSG_DONTWAIT;
	size_t len = msg->uio->resid;
	struct unix_msg *m;
	int err;

	err = -EOPNOTSUPP;
	if (msg->flags & MSG_OOB)
		goto err_free_fds;
	if (u->type == SOCK_SEQPACKET) {
		err = -ENOTCONN;
		if (u->state != UNIX_CONNECTED)
			goto err_free_fds;
		msg->namelen = 0;
	}
	if (msg->namelen) {
		err = unix_validate_addr(msg->name, msg->namelen);
		if (err)
			goto err_free_fds;
	} else if (!u->peer) {
		err = -ENOTCONN;
		goto err_free_fds;
	}
	err = -EMSGSIZE;
	if (len > (size_t)sock->sndbuf - DGRAM_OVERHEAD)
		goto err_free_fds;
	err = unix_wait(u->wq, nonblock, u->wmem < (size_t)sock->sndbuf);
	if (err)
		goto err_free_fds;
	m = msg_alloc(len, msg->uio);
	if (IS_ERR(m)) {
		err = PTR_ERR(m);
		goto err_free_fds;
	}
	m->fds = fds;
	if (msg->namelen) {
		other = unix_find(msg->name, msg->namelen, u->type);
		if (IS_ERR(other)) {
			err = PTR_ERR(other);
			goto err_free_msg;
		}
	} else {
		other = u->peer;
		unix_get(other);
	}
	for (;;) {
		err = -EPERM;
		if (other->peer && other->peer != u)
			goto err_put_other;
		if (other->dead) {
			if (u->peer == other) {
				u->peer = NULL;
				u->state = UNIX_UNCONNECTED;
				unix_put(other);
			}
			err = u->type == SOCK_SEQPACKET ? -EPIPE :
				-ECONNREFUSED;
			goto err_put_other;
		}
		err = -EPIPE;
		if (other->shutdown & RCV_SHUTDOWN)
			goto err_put_other;
		if (other == u || other->peer == u ||
		    other->rcv_count <= UNIX_MAX_DGRAM_QLEN)
			break;
		err = dgram_wait_room(u, other, nonblock);
		if (err)
			goto err_put_other;
	}
	m->cred = scm_msg_cred(sock, other, scm);
	msg_enqueue(u, other, m);
	unix_put(other);
	return (ssize_t)len;

err_put_other:
	unix_put(other);
err_free_msg:
	unix_msg_free(m);
	return err;
err_free_fds:
	scm_free(fds);
	return err;
}

/* sendmsg on any AF_UNIX socket (also write(2)). */
ssize_t unix_sendmsg(struct socket *sock, struct sock_msg *msg)
{
	struct scm_send scm = { 0 };
	int err = 0;

	if (msg->controllen)
		err = scm_parse(msg, &scm);
	if (err)
		return err;
	if (sock->type == SOCK_STREAM)
		return stream_send(sock, msg, &scm);
	return dgram_send(sock, msg, &scm);
}

/* The source address of @m into @msg (nothing for an unbound sender). */
static void msg_name(struct sock_msg *msg, const struct unix_msg *m)
{
	if (m->sender->addr)
		msg->namelen = unix_addr_copy(m->sender, msg->name);
}

/* Can a stream reader stop waiting on @u: data, error, or EOF. */
static bool stream_readable(const struct unix_sock *u)
{
	return !list_empty(&u->rcvq) || u->sock->error ||
		(u->shutdown & RCV_SHUTDOWN);
}

static ssize_t stream_recv(struct socket *sock, struct sock_msg *msg)
{
	struct unix_sock *u = sock->priv;
	struct uio *uio = msg->uio;
	bool peek = msg->flags & MSG_PEEK;
	bool nonblock = msg->flags & MSG_DONTWAIT;
	size_t target = (msg->flags & MSG_WAITALL) ? uio->resid : 1;
	struct list_head *pos = &u->rcvq;	/* the last message peeked */
	struct scm_fds *fds = NULL;
	size_t copied = 0, moved;
	struct unix_msg *m;
	struct ucred cred;
	bool has_cred = false;
	int err = 0;

	/* Linux's unix_stream_recv_urg with no out-of-band byte queued:
	 * none ever is, since sending one is EOPNOTSUPP here. */
	if (msg->flags & MSG_OOB)
		return -EINVAL;
	if (u->state != UNIX_CONNECTED)
		return -EINVAL;
	while (uio->resid) {
		struct list_head *next = peek ? pos->next : u->rcvq.next;

		if (next == &u->rcvq) {
			if (copied >= target || (peek && copied))
				break;
			err = -unix_take_error(u);
			if (err || (u->shutdown & RCV_SHUTDOWN))
				break;
			err = unix_wait(u->wq, nonblock, stream_readable(u));
			if (err)
				break;
			continue;
		}
		m = list_entry(next, struct unix_msg, link);
		/* With SO_PASSCRED, never glue different senders' bytes. */
		if (has_cred && memcmp(&cred, &m->cred, sizeof(cred)))
			break;
		if (sock->passcred && !has_cred) {
			cred = m->cred;
			has_cred = true;
		}
		if (!copied)
			msg_name(msg, m);
		moved = msg_copy_out(m, m->off, MIN(m->len - m->off,
						     uio->resid), uio, &err);
		copied += moved;
		if (m->fds) {
			fds = peek ? scm_dup(m->fds) : m->fds;
			if (!peek)
				m->fds = NULL;
		}
		if (peek) {
			pos = next;
		} else {
			m->off += moved;
			if (m->off == m->len)
				msg_dequeue(u, m);
		}
		if (err || fds)
			break;
	}
	if (has_cred && copied)
		scm_put_cred(msg, &cred);
	if (fds)
		scm_deliver(msg, fds);
	return copied ? (ssize_t)copied : err;
}

static bool dgram_readable(const struct unix_sock *u)
{
	return !list_empty(&u->rcvq) || u->sock->error ||
		(u->shutdown & RCV_SHUTDOWN);
}

static ssize_t dgram_recv(struct socket *sock, struct sock_msg *msg)
{
	struct unix_sock *u = sock->priv;
	bool nonblock = msg->flags & MSG_DONTWAIT;
	struct scm_fds *fds = NULL;
	struct unix_msg *m;
	struct ucred cred;
	size_t len, n;
	int err;

	if (msg->flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (u->type == SOCK_SEQPACKET && u->state != UNIX_CONNECTED)
		return -ENOTCONN;
	for (;;) {
		err = -unix_take_error(u);
		if (err)
			return err;
		if (!list_empty(&u->rcvq))
			break;
		if ((u->shutdown & RCV_SHUTDOWN) &&
		    (!nonblock || u->type == SOCK_SEQPACKET))
			return 0;
		err = unix_wait(u->wq, nonblock, dgram_readable(u));
		if (err)
			return err;
	}
	m = list_first_entry(&u->rcvq, struct unix_msg, link);
	len = m->len;
	msg_name(msg, m);
	n = MIN(len, msg->uio->resid);
	if (n < len)
		msg->out_flags |= MSG_TRUNC;
	msg_copy_out(m, 0, n, msg->uio, &err);
	cred = m->cred;
	if (m->fds) {
		fds = (msg->flags & MSG_PEEK) ? scm_dup(m->fds) : m->fds;
		if (!(msg->flags & MSG_PEEK))
			m->fds = NULL;
	}
	if (!(msg->flags & MSG_PEEK))
		msg_dequeue(u, m);
	if (err) {
		scm_free(fds);
		return err;
	}
	if (sock->passcred)
		scm_put_cred(msg, &cred);
	if (fds)
		scm_deliver(msg, fds);
	return (ssize_t)((msg->flags & MSG_TRUNC) ? len : n);
}

/* recvmsg on any AF_UNIX socket (also read(2)). */
ssize_t unix_recvmsg(struct socket *sock, struct sock_msg *msg)
{
	if (sock->type == SOCK_STREAM)
		return stream_recv(sock, msg);
	return dgram_recv(sock, msg);
}
