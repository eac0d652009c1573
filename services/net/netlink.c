/*
 * AF_NETLINK sockets (Linux's af_netlink.c): SOCK_RAW and SOCK_DGRAM
 * sockets with port ids (autobound to the process id first, as Linux),
 * messages between user sockets by port id and multicast group, and
 * requests to port 0, which NETLINK_ROUTE answers at once in the
 * caller's sendmsg (rtnetlink.c). Subscribing to groups works; the kernel
 * never sends to them (no RTMGRP_* notifications). NETLINK_PKTINFO is not
 * there; NETLINK_EXT_ACK is kept but there is never an error message to
 * add. NETLINK_USERSOCK and NETLINK_KOBJECT_UEVENT sockets exist but the
 * kernel neither answers nor sends anything on them; the other protocols
 * give EPROTONOSUPPORT, as Linux does for a module not loaded.
 */

#include "netlink.h"
#include "lwip/opt.h"
#include "lwip/def.h"
#include <svc/task.h>
#include <svc/uio.h>
#include <platform/cpu.h>
#include <platform/heap.h>
#include <aramid/list.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include <uapi/netlink.h>
#include <uapi/poll.h>

#define NL_RECV_MAX	32448	/* SKB_WITH_OVERHEAD(32768) */
#define NL_OVERHEAD	256	/* what a queued datagram costs beyond its data */
#define RTNLGRP_MAX	35	/* NETLINK_ROUTE's groups in Linux 6.1 */

struct nl_dgram {
	struct list_head link;
	uint32_t portid;	/* the sender: 0 for the kernel */
	uint32_t group;		/* the multicast group sent to (0: none) */
	size_t len;
	uint8_t data[];
};

static LIST_HEAD(nl_socks);

extern const struct proto_ops netlink_ops;

/* See netlink.h. */
bool nl_capable(void)
{
	return capable(CAP_NET_ADMIN);
}

/* How many multicast groups @protocol has (Linux's ngroups). */
static unsigned nl_ngroups(int protocol)
{
	switch (protocol) {
	case NETLINK_ROUTE:
		return RTNLGRP_MAX;
	case NETLINK_KOBJECT_UEVENT:
		return 1;
	default:
		return 32;
	}
}

/* See net.h. */
int netlink_create(struct socket *sock, int type, int protocol)
{
	struct nl_sock *ns;

	if (type != SOCK_RAW && type != SOCK_DGRAM)
		return -ESOCKTNOSUPPORT;
	if (protocol != NETLINK_ROUTE && protocol != NETLINK_USERSOCK &&
	    protocol != NETLINK_KOBJECT_UEVENT)
		return -EPROTONOSUPPORT;
	ns = kzalloc(sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	ns->sock = sock;
	ns->protocol = protocol;
	wq_init(&ns->wq);
	list_init(&ns->rcvq);
	list_add_tail(&ns->link, &nl_socks);
	sock->priv = ns;
	sock->ops = &netlink_ops;
	return 0;
}

static void drop_queue(struct nl_sock *ns)
{
	struct nl_dgram *d, *next;

	list_for_each_entry_safe(d, next, &ns->rcvq, link) {
		list_del(&d->link);
		kfree(d);
	}
	ns->rcv_bytes = 0;
}

static void netlink_release(struct socket *sock)
{
	struct nl_sock *ns = sock->priv;

	list_del(&ns->link);
	drop_queue(ns);
	kfree(ns);
}

/* The bound socket of @protocol with port id @portid, or NULL. */
static struct nl_sock *nl_lookup(int protocol, uint32_t portid)
{
	struct nl_sock *ns;

	list_for_each_entry(ns, &nl_socks, link) {
		if (ns->protocol == protocol && ns->bound &&
		    ns->portid == portid)
			return ns;
	}
	return NULL;
}

/* Linux's netlink_autobind: the process id, else -4097, -4098, ... */
static void nl_autobind(struct nl_sock *ns)
{
	static int32_t rover = -4096;
	uint32_t portid = (uint32_t)current_tgid();

	while (nl_lookup(ns->protocol, portid)) {
		portid = (uint32_t)rover--;
		if (rover > -4096)
			rover = -4097;
	}
	ns->portid = portid;
	ns->bound = true;
}

/* See netlink.h. */
int nl_deliver(struct nl_sock *ns, uint32_t portid, uint32_t group,
	       const void *data, size_t len, bool charge)
{
	struct nl_dgram *d;

	if (charge && ns->rcv_bytes >= (size_t)ns->sock->rcvbuf)
		return -EAGAIN;
	d = kmalloc(sizeof(*d) + len);
	if (!d)
		return -ENOMEM;
	d->portid = portid;
	d->group = group;
	d->len = len;
	memcpy(d->data, data, len);
	list_add_tail(&d->link, &ns->rcvq);
	ns->rcv_bytes += len + NL_OVERHEAD;
	wq_wake_all(&ns->wq);
	return 0;
}

/* May this socket send to other ports and groups (NL_CFG_F_NONROOT_SEND)? */
static bool may_send_to_users(const struct nl_sock *ns)
{
	return ns->protocol == NETLINK_USERSOCK || nl_capable();
}

/* A copy for each other socket in @group (netlink_broadcast). */
static void nl_broadcast(struct nl_sock *from, uint32_t group,
			 const void *data, size_t len)
{
	struct nl_sock *ns;

	list_for_each_entry(ns, &nl_socks, link) {
		if (ns == from || ns->protocol != from->protocol ||
		    !(ns->groups & (1ull << (group - 1))))
			continue;
		if (nl_deliver(ns, from->portid, group, data, len, true) &&
		    !ns->no_enobufs) {
			ns->sock->error = ENOBUFS;
			wq_wake_all(&ns->wq);
		}
	}
}

/* Linux's netlink_bind: the port id (0: autobind) and the groups. */
static int netlink_bind(struct socket *sock, const void *addr, int len)
{
	struct nl_sock *ns = sock->priv;
	unsigned ngroups = nl_ngroups(ns->protocol);
	struct sockaddr_nl nl;
	uint64_t groups;

	if (len < (int)sizeof(nl))
		return -EINVAL;
	memcpy(&nl, addr, sizeof(nl));
	if (nl.nl_family != AF_NETLINK)
		return -EINVAL;
	groups = nl.nl_groups;
	if (ngroups < 64)
		groups &= (1ull << ngroups) - 1;
	if (ns->bound && nl.nl_pid != ns->portid)
		return -EINVAL;
	if (!ns->bound) {
		if (!nl.nl_pid) {
			nl_autobind(ns);
		} else {
			if (nl_lookup(ns->protocol, nl.nl_pid))
				return -EADDRINUSE;
			ns->portid = nl.nl_pid;
			ns->bound = true;
		}
	}
	ns->groups = (ns->groups & ~0xffffffffull) | groups;
	return 0;
}

/* Linux's netlink_connect: the default destination; AF_UNSPEC clears. */
static int netlink_connect(struct socket *sock, const void *addr, int len,
		    bool nonblock)
{
	struct nl_sock *ns = sock->priv;
	struct sockaddr_nl nl = { 0 };

	if (len < (int)sizeof(nl.nl_family))
		return -EINVAL;
	memcpy(&nl, addr, MIN((size_t)len, sizeof(nl)));
	if (nl.nl_family == AF_UNSPEC) {
		ns->dst_portid = 0;
		ns->dst_group = 0;
		return 0;
	}
	if (nl.nl_family != AF_NETLINK || len < (int)sizeof(nl))
		return -EINVAL;
	if ((nl.nl_groups || nl.nl_pid) && !may_send_to_users(ns))
		return -EPERM;
	if (!ns->bound)
		nl_autobind(ns);
	ns->dst_portid = nl.nl_pid;
	ns->dst_group = (uint32_t)__builtin_ffs((int)nl.nl_groups);
	return 0;
}

/* Linux's netlink_getname: the port and groups, or the destination. */
static int netlink_getname(struct socket *sock, void *addr, bool peer)
{
	struct nl_sock *ns = sock->priv;
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK };

	if (peer) {
		nl.nl_pid = ns->dst_portid;
		nl.nl_groups = ns->dst_group ? 1u << (ns->dst_group - 1) : 0;
	} else {
		nl.nl_pid = ns->portid;
		nl.nl_groups = (uint32_t)ns->groups;
	}
	memcpy(addr, &nl, sizeof(nl));
	return sizeof(nl);
}

/*
 * Linux's netlink_sendmsg: to the sockaddr_nl's port and group (or the
 * connected ones); port 0 is the kernel, which answers NETLINK_ROUTE
 * requests before this returns. The whole length, or -errno.
 */
static ssize_t netlink_sendmsg(struct socket *sock, struct sock_msg *msg)
{
	struct nl_sock *ns = sock->priv;
	size_t len = msg->uio->resid;
	uint32_t dst_portid = ns->dst_portid, dst_group = ns->dst_group;
	struct nl_sock *peer = NULL;
	uint8_t *buf;
	int err;

	if (msg->flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (msg->namelen) {
		struct sockaddr_nl nl;

		if (msg->namelen < (int)sizeof(nl))
			return -EINVAL;
		memcpy(&nl, msg->name, sizeof(nl));
		if (nl.nl_family != AF_NETLINK)
			return -EINVAL;
		dst_portid = nl.nl_pid;
		dst_group = (uint32_t)__builtin_ffs((int)nl.nl_groups);
		if ((dst_group || dst_portid) && !may_send_to_users(ns))
			return -EPERM;
	}
	if (!ns->bound)
		nl_autobind(ns);
	if (len > (size_t)sock->sndbuf - 32)
		return -EMSGSIZE;
	if (dst_portid) {
		peer = nl_lookup(ns->protocol, dst_portid);
		if (!peer)
			return -ECONNREFUSED;
	} else if (ns->protocol != NETLINK_ROUTE) {
		return -ECONNREFUSED;	/* no kernel input for the protocol */
	}
	buf = kmalloc(MAX(len, (size_t)1));
	if (!buf)
		return -ENOBUFS;
	err = uiomove(buf, len, msg->uio);
	if (err)
		goto out_free;
	if (dst_group)
		nl_broadcast(ns, dst_group, buf, len);
	if (peer)
		err = nl_deliver(peer, ns->portid, 0, buf, len, true);
	else
		rtnl_input(ns, buf, len);
out_free:
	kfree(buf);
	return err ? err : (ssize_t)len;
}

/* A datagram or an error to take (a wq_wait_deadline condition). */
static bool nl_readable(const void *arg)
{
	const struct nl_sock *ns = arg;

	return !list_empty(&ns->rcvq) || ns->sock->error;
}

/* Sleep until a datagram or an error: as packet.c's packet_wait. */
static int nl_wait(struct nl_sock *ns, bool nonblock)
{
	return wq_wait_deadline(&ns->wq, nonblock,
				wq_deadline(ns->sock->rcvtimeo_ns),
				nl_readable, ns);
}

/* One datagram, its sender in msg->name; MSG_PEEK and MSG_TRUNC as Linux. */
static ssize_t netlink_recvmsg(struct socket *sock, struct sock_msg *msg)
{
	struct nl_sock *ns = sock->priv;
	size_t want = msg->uio->resid, n;
	struct sockaddr_nl from = { .nl_family = AF_NETLINK };
	struct nl_dgram *d;
	int err;

	if (msg->flags & MSG_OOB)
		return -EOPNOTSUPP;
	err = nl_wait(ns, msg->flags & MSG_DONTWAIT);
	if (err)
		return err;
	if (list_empty(&ns->rcvq)) {
		err = sock->error;
		sock->error = 0;
		return -err;
	}
	d = list_first_entry(&ns->rcvq, struct nl_dgram, link);
	n = MIN(d->len, want);
	err = uiomove(d->data, n, msg->uio);
	if (err)
		return err;
	if (n < d->len)
		msg->out_flags |= MSG_TRUNC;
	from.nl_pid = d->portid;
	from.nl_groups = d->group ? 1u << (d->group - 1) : 0;
	memcpy(msg->name, &from, sizeof(from));
	msg->namelen = sizeof(from);
	ns->max_recvmsg_len = MIN(MAX(ns->max_recvmsg_len, want),
				  (size_t)NL_RECV_MAX);
	if (msg->flags & MSG_TRUNC)
		n = d->len;
	if (!(msg->flags & MSG_PEEK)) {
		list_del(&d->link);
		ns->rcv_bytes -= d->len + NL_OVERHEAD;
		kfree(d);
	}
	return (ssize_t)n;
}

/* Datagram readiness: writable always, readable with a datagram queued. */
static unsigned netlink_poll(struct socket *sock, struct file *file,
		      struct poll_table *pt)
{
	struct nl_sock *ns = sock->priv;
	unsigned mask = POLLOUT | POLLWRNORM | POLLWRBAND;

	poll_wait(file, &ns->wq, pt);
	if (sock->error)
		mask |= POLLERR;
	if (!list_empty(&ns->rcvq))
		mask |= POLLIN | POLLRDNORM;
	return mask;
}

/* The boolean SOL_NETLINK option @name of @ns, or NULL. */
static bool *nl_flag(struct nl_sock *ns, int name)
{
	switch (name) {
	case NETLINK_BROADCAST_ERROR:
		return &ns->bcast_error;
	case NETLINK_NO_ENOBUFS:
		return &ns->no_enobufs;
	case NETLINK_LISTEN_ALL_NSID:
		return &ns->all_nsid;
	case NETLINK_CAP_ACK:
		return &ns->cap_ack;
	case NETLINK_EXT_ACK:
		return &ns->ext_ack;
	case NETLINK_GET_STRICT_CHK:
		return &ns->strict_chk;
	default:
		return NULL;
	}
}

/* Linux's netlink_setsockopt (a value shorter than an int counts as 0). */
static int netlink_setsockopt(struct socket *sock, int level, int name,
		       const void *val, int len)
{
	struct nl_sock *ns = sock->priv;
	unsigned ngroups = nl_ngroups(ns->protocol);
	int v = 0;
	bool *flag;

	if (level != SOL_NETLINK)
		return -ENOPROTOOPT;
	if (len >= (int)sizeof(v))
		memcpy(&v, val, sizeof(v));
	if (name == NETLINK_ADD_MEMBERSHIP || name == NETLINK_DROP_MEMBERSHIP) {
		if (!v || (unsigned)v - 1 >= ngroups)
			return -EINVAL;
		if (!ns->bound)
			nl_autobind(ns);
		if (name == NETLINK_ADD_MEMBERSHIP)
			ns->groups |= 1ull << (v - 1);
		else
			ns->groups &= ~(1ull << (v - 1));
		return 0;
	}
	if (name == NETLINK_LISTEN_ALL_NSID && !nl_capable())
		return -EPERM;
	flag = nl_flag(ns, name);
	if (!flag)
		return -ENOPROTOOPT;
	*flag = v != 0;
	return 0;
}

static int netlink_getsockopt(struct socket *sock, int level, int name, void *val,
		       int *len)
{
	struct nl_sock *ns = sock->priv;
	bool *flag;
	int v;

	if (level != SOL_NETLINK)
		return -ENOPROTOOPT;
	if (*len < 0)
		return -EINVAL;
	if (name == NETLINK_LIST_MEMBERSHIPS) {
		unsigned bytes = (nl_ngroups(ns->protocol) + 31) / 32 * 4;

		memcpy(val, &ns->groups, MIN((size_t)*len, (size_t)bytes));
		*len = (int)bytes;
		return 0;
	}
	if (name == NETLINK_PKTINFO) {
		v = 0;
	} else {
		flag = nl_flag(ns, name);
		if (!flag)
			return -ENOPROTOOPT;
		v = *flag;
	}
	if (*len < (int)sizeof(v))
		return -EINVAL;
	*len = sizeof(v);
	memcpy(val, &v, sizeof(v));
	return 0;
}

/* Netlink sockets take no ioctls of their own. */
static long netlink_ioctl(struct socket *sock, unsigned cmd, uptr_t arg)
{
	return -ENOTTY;
}

/* proto_ops.kernel_send: a datagram from the kernel (port 0). */
static int netlink_kernel_send(struct socket *sock, const void *data,
			       size_t len)
{
	return nl_deliver(sock->priv, 0, 0, data, len, false);
}

const struct proto_ops netlink_ops = {
	.svc = &net_service,
	.release = netlink_release,
	.bind = netlink_bind,
	.connect = netlink_connect,
	.getname = netlink_getname,
	.sendmsg = netlink_sendmsg,
	.recvmsg = netlink_recvmsg,
	.poll = netlink_poll,
	.setsockopt = netlink_setsockopt,
	.getsockopt = netlink_getsockopt,
	.ioctl = netlink_ioctl,
	.kernel_send = netlink_kernel_send,
};
