/*
 * AF_INET SOCK_RAW sockets over lwIP's raw_pcb, as BusyBox ping uses them
 * (root only, like Linux without CAP_NET_RAW): every received packet of
 * the socket's protocol arrives whole (IP header first) while the stack
 * goes on handling it; sending takes the protocol's message (or, for
 * IPPROTO_RAW, the whole IP packet) to an address. And /proc/net/raw.
 */
#include "inet.h"
#include "lwip/ip4.h"
#include <platform/heap.h>
#include <aramid/string.h>

#define RAWS_ESTABLISHED 1
#define RAWS_CLOSE	7

/* The raw sockets, for /proc/net/raw (lwIP keeps its list private). */
static LIST_HEAD(raw_socks);

/* A copy of each packet for the socket; lwIP keeps the original. */
static u8_t raw_cb_recv(void *arg, struct raw_pcb *pcb, struct pbuf *p,
			const ip_addr_t *addr)
{
	struct inet_sock *is = arg;
	struct pbuf *copy = pbuf_clone(PBUF_RAW, PBUF_RAM, p);

	if (copy)
		inet_dgram_queue(is, copy, addr, 0);
	return 0;
}

/* See inet.h. */
int inet_raw_create(struct inet_sock *is)
{
	bool v6 = is->family == AF_INET6;
	struct raw_pcb *pcb;

	pcb = raw_new_ip_type(v6 ? IPADDR_TYPE_V6 : IPADDR_TYPE_V4,
			      (u8_t)is->protocol);
	if (!pcb)
		return -ENOMEM;
	if (is->protocol == IPPROTO_RAW)
		raw_setflags(pcb, RAW_FLAGS_HDRINCL);
	if (v6)
		inet_raw6_init(is);
	raw_recv(pcb, v6 ? inet_raw6_recv : raw_cb_recv, is);
	inet_apply_ip(is, (struct ip_pcb *)pcb);
	is->pcb.raw = pcb;
	list_add_tail(&is->raw_link, &raw_socks);
	is->sock->ops = v6 ? &inet_raw6_ops : &inet_raw_ops;
	return 0;
}

/* See inet.h. */
void inet_raw_release(struct socket *sock)
{
	struct inet_sock *is = sock->priv;

	list_del(&is->raw_link);
	raw_remove(is->pcb.raw);
	inet_sock_free(is);
}

/* Linux's raw_bind looks at the address only, whatever the family. */
static int inet_raw_bind(struct socket *sock, const void *addr, int len)
{
	struct inet_sock *is = sock->priv;
	struct sockaddr_in sin;
	ip_addr_t ip;

	if (len < (int)sizeof(sin))
		return -EINVAL;
	memcpy(&sin, addr, sizeof(sin));
	ip_addr_set_ip4_u32_val(ip, sin.sin_addr.s_addr);
	if (!ip_addr_isany(&ip) && !inet_addr_is_local(&ip) &&
	    !inet_addr_is_multicast(&ip) && !inet_addr_is_broadcast(&ip))
		return -EADDRNOTAVAIL;
	raw_bind(is->pcb.raw, &ip);
	return 0;
}

/* See inet.h. */
int inet_raw_connect_with(struct socket *sock, const void *addr, int len,
			  inet_raw_dest_fn dest)
{
	struct inet_sock *is = sock->priv;
	ip_addr_t ip;
	u16_t port;
	int err;

	if (len < (int)sizeof(sa_family_t))
		return -EINVAL;
	if (inet_addr_is_unspec(addr)) {
		raw_disconnect(is->pcb.raw);
		is->raw_peer_port = 0;
		return 0;
	}
	err = dest(is, addr, len, &ip, &port);
	if (err)
		return err;
	raw_connect(is->pcb.raw, &ip);
	is->raw_peer_port = port;
	return 0;
}

/* An IPv4 raw socket's peer: a broadcast needs SO_BROADCAST, a route. */
static int raw4_dest(struct inet_sock *is, const void *addr, int len,
		     ip_addr_t *ip, u16_t *port)
{
	int err = inet_addr_in(is, addr, len, false, ip, port);

	if (err)
		return err;
	if (inet_addr_is_broadcast(ip) && !is->sock->broadcast)
		return -EACCES;
	if (!ip_addr_isany(ip) && !inet_addr_is_multicast(ip) &&
	    !ip4_route(ip_2_ip4(ip)))
		return -ENETUNREACH;
	return 0;
}

static int inet_raw_connect(struct socket *sock, const void *addr, int len,
			    bool nonblock)
{
	return inet_raw_connect_with(sock, addr, len, raw4_dest);
}

static bool raw_connected(const struct raw_pcb *pcb)
{
	return pcb->flags & RAW_FLAGS_CONNECTED;
}

/*
 * See inet.h. Linux's inet_getname: the local port of a raw socket is its
 * protocol, the peer's the port connect was given (none: ENOTCONN).
 */
int inet_raw_getname(struct socket *sock, void *addr, bool peer)
{
	struct inet_sock *is = sock->priv;
	const struct raw_pcb *pcb = is->pcb.raw;

	if (peer) {
		if (!raw_connected(pcb) || !is->raw_peer_port)
			return -ENOTCONN;
		return inet_addr_out(is, addr, &pcb->remote_ip,
				     is->raw_peer_port);
	}
	return inet_addr_out(is, addr, &pcb->local_ip, (u16_t)is->protocol);
}

/* See inet.h. */
int inet_raw_shutdown(struct socket *sock, int how)
{
	struct inet_sock *is = sock->priv;

	is->shutdown |= how + 1;
	wq_wake_all(&is->wq);
	return raw_connected(is->pcb.raw) ? 0 : -ENOTCONN;
}

static ssize_t inet_raw_sendmsg(struct socket *sock, struct sock_msg *msg)
{
	struct inet_sock *is = sock->priv;
	struct raw_pcb *pcb = is->pcb.raw;
	size_t len = msg->uio->resid;
	ip_addr_t ip;
	struct pbuf *p;
	u16_t port;
	int err;

	if (len > 0xffff)
		return -EMSGSIZE;
	if (msg->flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (msg->namelen) {
		err = inet_addr_in(is, msg->name, msg->namelen, true, &ip,
				   &port);
		if (err)
			return err;
	} else {
		if (!raw_connected(pcb))
			return -EDESTADDRREQ;
		ip_addr_copy(ip, pcb->remote_ip);
	}
	if (is->protocol != IPPROTO_RAW && len > 0xffff - 20)
		return -EMSGSIZE;
	if (inet_addr_is_broadcast(&ip) && !sock->broadcast)
		return -EACCES;
	if (!inet_addr_is_multicast(&ip) && !ip4_route(ip_2_ip4(&ip)))
		return -ENETUNREACH;
	/* IPPROTO_RAW: the caller's buffer holds the IP header too. */
	p = pbuf_alloc(is->protocol == IPPROTO_RAW ? PBUF_LINK : PBUF_IP,
		       (u16_t)len, PBUF_RAM);
	if (!p)
		return -ENOBUFS;
	err = inet_pbuf_from_uio(p, len, msg->uio);
	if (!err && raw_sendto(pcb, p, &ip) != ERR_OK)
		err = -ENOBUFS;
	pbuf_free(p);
	net_flush();
	return err ? err : (ssize_t)len;
}

const struct proto_ops inet_raw_ops = {
	.svc = &net_service,
	.release = inet_raw_release,
	.bind = inet_raw_bind,
	.connect = inet_raw_connect,
	.getname = inet_raw_getname,
	.shutdown = inet_raw_shutdown,
	.sendmsg = inet_raw_sendmsg,
	.recvmsg = inet_dgram_recvmsg,
	.poll = inet_dgram_poll,
	.setsockopt = inet_dgram_setsockopt,
	.getsockopt = inet_dgram_getsockopt,
	.ioctl = inet_dgram_ioctl,
};

/*
 * See inet.h: Linux's raw4_format_sock, and raw6's with @v6 (the "port"
 * is the protocol).
 */
ssize_t inet_raw_proc(char *buf, size_t size, bool v6)
{
	struct net_text t = { .buf = buf, .size = size };
	struct inet_sock *is;
	int i = 0;

	if (v6)
		net_text_printf(&t, "  sl  local_address                     "
				 "    remote_address                        st "
				 "tx_queue rx_queue tr tm->when retrnsmt   uid "
				 " timeout inode ref pointer drops\n");
	else
		net_text_printf(&t, "  sl  local_address rem_address   st "
				 "tx_queue rx_queue tr tm->when retrnsmt   uid "
				 " timeout inode ref pointer drops\n");
	list_for_each_entry(is, &raw_socks, raw_link) {
		const struct raw_pcb *pcb = is->pcb.raw;

		if ((is->family == AF_INET6) != v6)
			continue;
		net_text_printf(&t, "%4d: ", i++);
		inet_proc_addr(&t, &pcb->local_ip, (u16_t)is->protocol, v6);
		net_text_printf(&t, " ");
		inet_proc_addr(&t, &pcb->remote_ip, 0, v6);
		net_text_printf(&t, " %02X %08X:%08X %02X:%08lX %08X %5u %8d "
				 "%lu %d %016lx %u\n",
				 raw_connected(pcb) ? RAWS_ESTABLISHED :
				 RAWS_CLOSE, 0, (unsigned)is->rcv_bytes, 0,
				 0UL, 0, inet_sock_uid(is), 0,
				 inet_sock_ino(is), 2, 0UL, 0U);
	}
	return (ssize_t)t.len;
}
