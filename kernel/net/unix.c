/*
 * AF_UNIX sockets (unix(7)): creation and release, connections (listen,
 * connect, accept, socketpair), names as getsockname/getpeername report
 * them, shutdown and poll readiness. Data transfer is in unix_io.c,
 * names in unix_name.c.
 */
#include "unix.h"
#include <kernel/task.h>
#include <platform/heap.h>
#include <aramid/string.h>

static const struct proto_ops unix_ops;

/* See unix.h. */
LIST_HEAD(unix_socks);

static struct unix_sock *unix_alloc(int type)
{
	struct unix_sock *u = kzalloc(sizeof(*u));

	if (!u)
		return NULL;
	u->refcount = 1;
	u->type = type;
	list_init(&u->bound_link);
	list_init(&u->rcvq);
	list_init(&u->accept_link);
	wq_init(&u->wq);
	list_add_tail(&u->all_link, &unix_socks);
	return u;
}

void unix_get(struct unix_sock *u)
{
	u->refcount++;
}

void unix_put(struct unix_sock *u)
{
	if (--u->refcount)
		return;
	list_del(&u->all_link);
	unix_addr_put(u->addr);
	wq_release(&u->wq);	/* a datagram peer's epoll may wait on it */
	kfree(u);
}

/* See unix.h. */
void unix_set_error(struct unix_sock *u, int err)
{
	if (u->sock)
		u->sock->error = err;
	else
		u->error = err;
}

/* See unix.h. */
int unix_take_error(struct unix_sock *u)
{
	int err = u->sock ? u->sock->error : u->error;

	unix_set_error(u, 0);
	return err;
}

static bool is_connection(int type)
{
	return type == SOCK_STREAM || type == SOCK_SEQPACKET;
}

/* Attach @u to @sock. */
static void unix_attach(struct socket *sock, struct unix_sock *u)
{
	sock->ops = &unix_ops;
	sock->priv = u;
	u->sock = sock;
}

static int unix_create(struct socket *sock, int type, int protocol)
{
	struct unix_sock *u;

	if (protocol && protocol != AF_UNIX)
		return -EPROTONOSUPPORT;
	switch (type) {
	case SOCK_RAW:
		sock->type = type = SOCK_DGRAM;	/* as Linux does */
		break;
	case SOCK_STREAM:
	case SOCK_DGRAM:
	case SOCK_SEQPACKET:
		break;
	default:
		return -ESOCKTNOSUPPORT;
	}
	u = unix_alloc(type);
	if (!u)
		return -ENOMEM;
	unix_attach(sock, u);
	return 0;
}

const struct net_family unix_family = {
	.family = AF_UNIX,
	.create = unix_create,
};

/*
 * The socket @u goes away (closed, or an embryo whose listener closed):
 * its peer sees the end of the connection, its queue and embryos are
 * dropped. The caller then drops its own reference.
 */
static void unix_release_sock(struct unix_sock *u, bool embryo)
{
	struct unix_sock *peer = u->peer, *child;
	struct unix_msg *m;

	u->dead = true;
	u->shutdown = SHUTDOWN_MASK;
	u->sock = NULL;
	unix_unbind(u);
	if (peer) {
		if (is_connection(u->type)) {
			peer->shutdown = SHUTDOWN_MASK;
			if (!list_empty(&u->rcvq) || embryo)
				unix_set_error(peer, ECONNRESET);
		}
		u->peer = NULL;
		wq_wake_all(&peer->wq);
		unix_put(peer);
	}
	while (!list_empty(&u->rcvq)) {
		if (u->state == UNIX_LISTENING) {
			child = list_first_entry(&u->rcvq, struct unix_sock,
						 accept_link);
			list_del(&child->accept_link);
			unix_release_sock(child, true);
			unix_put(child);
		} else {
			m = list_first_entry(&u->rcvq, struct unix_msg, link);
			list_del(&m->link);
			unix_msg_free(m);
		}
	}
	u->rcv_count = 0;
	wq_wake_all(&u->wq);
}

static void unix_release(struct socket *sock)
{
	struct unix_sock *u = sock->priv;

	unix_release_sock(u, false);
	unix_put(u);
}

/* Connect @a and @b to each other (references both ways). */
static void unix_pair(struct unix_sock *a, struct unix_sock *b)
{
	unix_get(b);
	a->peer = b;
	unix_get(a);
	b->peer = a;
	a->state = b->state = UNIX_CONNECTED;
}

static int unix_socketpair(struct socket *a, struct socket *b)
{
	unix_pair(a->priv, b->priv);
	a->peercred = b->peercred = sock_current_cred();
	return 0;
}

static int unix_listen(struct socket *sock, int backlog)
{
	struct unix_sock *u = sock->priv;

	if (!is_connection(u->type))
		return -EOPNOTSUPP;
	if (!u->addr || u->state == UNIX_CONNECTED)
		return -EINVAL;
	u->backlog = (unsigned)backlog;
	u->state = UNIX_LISTENING;
	u->cred = sock_current_cred();
	sock->listening = true;
	wq_wake_all(&u->wq);	/* connects waiting for room may fit now */
	return 0;
}

static bool accept_queue_full(const struct unix_sock *l)
{
	return l->rcv_count > l->backlog;
}

/* connect(2) of a stream or seqpacket socket. */
static int unix_stream_connect(struct socket *sock, const void *addr,
			       int len, bool nonblock)
{
	struct unix_sock *u = sock->priv, *l, *child;
	int err;

	err = unix_validate_addr(addr, len);
	if (err)
		return err;
	child = unix_alloc(u->type);
	if (!child)
		return -ENOMEM;
	for (;;) {
		l = unix_find(addr, len, u->type);
		err = PTR_ERR(l);
		if (IS_ERR(l))
			goto err_put_child;
		err = -ECONNREFUSED;
		if (l->state != UNIX_LISTENING || (l->shutdown & RCV_SHUTDOWN))
			goto err_put_l;
		if (!accept_queue_full(l))
			break;
		err = unix_wait(l->wq, nonblock,
				l->dead || !accept_queue_full(l));
		unix_put(l);
		if (err)
			goto err_put_child;
	}
	err = -EISCONN;
	if (u->state == UNIX_CONNECTED)
		goto err_put_l;
	err = -EINVAL;
	if (u->state != UNIX_UNCONNECTED)
		goto err_put_l;

	l->addr->refcount++;
	child->addr = l->addr;
	child->peercred = sock_current_cred();
	unix_pair(u, child);
	sock->peercred = l->cred;
	list_add_tail(&child->accept_link, &l->rcvq);
	l->rcv_count++;
	wq_wake_all(&l->wq);
	unix_put(l);
	return 0;

err_put_l:
	unix_put(l);
err_put_child:
	unix_put(child);
	return err;
}

/* connect(2) of a datagram socket: set or (AF_UNSPEC) clear the peer. */
static int unix_dgram_connect(struct socket *sock, const void *addr,
			      int len, bool nonblock)
{
	struct unix_sock *u = sock->priv, *other = NULL;
	sa_family_t family;
	int err;

	if (len < (int)sizeof(family))
		return -EINVAL;
	memcpy(&family, addr, sizeof(family));
	if (family != AF_UNSPEC) {
		err = unix_validate_addr(addr, len);
		if (err)
			return err;
		other = unix_find(addr, len, u->type);
		if (IS_ERR(other))
			return PTR_ERR(other);
		if (other->peer && other->peer != u) {
			unix_put(other);
			return -EPERM;
		}
	}
	if (u->peer)
		unix_put(u->peer);
	u->peer = other;
	u->state = other ? UNIX_CONNECTED : UNIX_UNCONNECTED;
	return 0;
}

static int unix_connect(struct socket *sock, const void *addr, int len,
			bool nonblock)
{
	if (is_connection(sock->type))
		return unix_stream_connect(sock, addr, len, nonblock);
	return unix_dgram_connect(sock, addr, len, nonblock);
}

static int unix_accept(struct socket *sock, struct socket *child,
		       bool nonblock)
{
	struct unix_sock *u = sock->priv, *c;
	int err;

	if (!is_connection(u->type))
		return -EOPNOTSUPP;
	if (u->state != UNIX_LISTENING)
		return -EINVAL;
	err = unix_wait(u->wq, nonblock,
			!list_empty(&u->rcvq) || u->state != UNIX_LISTENING);
	if (err)
		return err;
	if (u->state != UNIX_LISTENING)
		return -EINVAL;
	c = list_first_entry(&u->rcvq, struct unix_sock, accept_link);
	list_del(&c->accept_link);
	list_init(&c->accept_link);
	u->rcv_count--;
	wq_wake_all(&u->wq);	/* room for a waiting connect */
	unix_attach(child, c);	/* the queue's reference moves over */
	child->peercred = c->peercred;
	child->error = c->error;
	return 0;
}

static int unix_getname(struct socket *sock, void *addr, bool peer)
{
	struct unix_sock *u = sock->priv;

	if (peer) {
		if (!u->peer)
			return -ENOTCONN;
		u = u->peer;
	}
	return unix_addr_copy(u, addr);
}

static int unix_shutdown(struct socket *sock, int how)
{
	struct unix_sock *u = sock->priv, *peer = u->peer;
	int mode = how + 1, peer_mode = 0;

	u->shutdown |= mode;
	if (peer && is_connection(u->type)) {
		if (mode & RCV_SHUTDOWN)
			peer_mode |= SEND_SHUTDOWN;
		if (mode & SEND_SHUTDOWN)
			peer_mode |= RCV_SHUTDOWN;
		peer->shutdown |= peer_mode;
		wq_wake_all(&peer->wq);
	}
	wq_wake_all(&u->wq);
	return 0;
}

/* Room for more of @u's data: a quarter of its send buffer, as Linux. */
static bool unix_writable(const struct unix_sock *u)
{
	return u->state != UNIX_LISTENING &&
		u->wmem * 4 <= (size_t)u->sock->sndbuf;
}

/* Readiness as Linux's unix_poll and unix_dgram_poll give it. */
static unsigned unix_poll(struct socket *sock, struct file *file,
			  struct poll_table *pt)
{
	struct unix_sock *u = sock->priv, *peer = u->peer;
	unsigned mask = 0;
	bool writable;

	poll_wait(file, &u->wq, pt);
	if (sock->error)
		mask |= POLLERR;
	if (u->shutdown == SHUTDOWN_MASK)
		mask |= POLLHUP;
	if (u->shutdown & RCV_SHUTDOWN)
		mask |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (!list_empty(&u->rcvq))
		mask |= POLLIN | POLLRDNORM;
	if (is_connection(u->type) && u->state == UNIX_UNCONNECTED)
		mask |= POLLHUP;
	writable = unix_writable(u);
	if (writable && u->type != SOCK_STREAM && peer && peer->peer != u) {
		poll_wait(file, &peer->wq, pt);
		if (peer->rcv_count > UNIX_MAX_DGRAM_QLEN)
			writable = false;
	}
	if (writable)
		mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
	return mask;
}

static const struct proto_ops unix_ops = {
	.release = unix_release,
	.bind = unix_bind,
	.connect = unix_connect,
	.socketpair = unix_socketpair,
	.listen = unix_listen,
	.accept = unix_accept,
	.getname = unix_getname,
	.shutdown = unix_shutdown,
	.sendmsg = unix_sendmsg,
	.recvmsg = unix_recvmsg,
	.poll = unix_poll,
};
