/*
 * AF_INET and AF_INET6 sockets in the network service: socket creation
 * with Linux's choice of protocol and errno, and what the protocols share
 * (inet.h): sockaddrs in and out, local and broadcast addresses,
 * ephemeral ports, blocking waits, datagram receive queues, IPPROTO_IP
 * options and /proc/net/{tcp,udp,raw}[6].
 */
#include "inet.h"
#include "lwip/netif.h"
#include <svc/task.h>
#include <svc/random.h>
#include <platform/cpu.h>
#include <platform/heap.h>
#include <platform/usercopy.h>
#include <aramid/string.h>

#define SOCK_BUF_DEFAULT	212992	/* net.core.rmem_default */

/* See net.h. */
int inet_create(struct socket *sock, int family, int type, int protocol)
{
	struct inet_sock *is;
	int err;

	/* inet_create: the protocol switch for each type, as Linux. */
	if (protocol < 0 || protocol >= IPPROTO_MAX)
		return -EINVAL;
	switch (type) {
	case SOCK_STREAM:
		if (protocol == IPPROTO_IP)
			protocol = IPPROTO_TCP;
		if (protocol != IPPROTO_TCP)
			return -EPROTONOSUPPORT;
		break;
	case SOCK_DGRAM:
		if (protocol == IPPROTO_IP)
			protocol = IPPROTO_UDP;
		if (protocol == (family == AF_INET6 ? IPPROTO_ICMPV6 :
				 IPPROTO_ICMP)) {
			/*
			 * Ping sockets: only for groups within
			 * net.ipv4.ping_group_range, "1 0" (none) by default.
			 */
			return -EACCES;
		}
		if (protocol != IPPROTO_UDP && protocol != IPPROTO_UDPLITE)
			return -EPROTONOSUPPORT;
		break;
	case SOCK_RAW:
		if (protocol == IPPROTO_IP)
			return -EPROTONOSUPPORT;
		if (!capable(CAP_NET_RAW))
			return -EPERM;
		break;
	default:
		return -ESOCKTNOSUPPORT;
	}
	is = inet_sock_alloc(sock, family, type, protocol);
	if (!is)
		return -ENOMEM;
	sock->protocol = protocol;
	sock->priv = is;
	if (type == SOCK_STREAM)
		err = inet_tcp_create(is);
	else if (type == SOCK_DGRAM)
		err = inet_udp_create(is);
	else
		err = inet_raw_create(is);
	if (err) {
		sock->priv = NULL;
		inet_sock_free(is);
	}
	return err;
}

/* See inet.h. */
struct inet_sock *inet_sock_alloc(struct socket *sock, int family,
				  int type, int protocol)
{
	struct inet_sock *is = kzalloc(sizeof(*is));

	if (!is)
		return NULL;
	is->sock = sock;
	is->family = family;
	is->type = type;
	is->protocol = protocol;
	wq_init(&is->wq);
	list_init(&is->rcvq);
	list_init(&is->errq);
	list_init(&is->accq);
	list_init(&is->acc_link);
	list_init(&is->raw_link);
	is->ttl = -1;
	is->hops = -1;
	is->keep_idle = 7200;	/* net.ipv4.tcp_keepalive_time */
	is->keep_intvl = 75;	/* tcp_keepalive_intvl */
	is->keep_cnt = 9;	/* tcp_keepalive_probes */
	return is;
}

/* See inet.h. */
void inet_sock_free(struct inet_sock *is)
{
	struct inet_pkt *pkt, *next;

	list_for_each_entry_safe(pkt, next, &is->rcvq, link) {
		list_del(&pkt->link);
		pbuf_free(pkt->p);
		kfree(pkt);
	}
	inet_errq_purge(is);
	kfree(is);
}

/* See inet.h. */
int inet_addr_in4(const void *addr, int len, bool unspec_ok, ip_addr_t *ip,
		  u16_t *port)
{
	struct sockaddr_in sin;

	if (len < (int)sizeof(sin))
		return -EINVAL;
	memcpy(&sin, addr, sizeof(sin));
	if (sin.sin_family != AF_INET &&
	    !(unspec_ok && sin.sin_family == AF_UNSPEC))
		return -EAFNOSUPPORT;
	ip_addr_set_ip4_u32_val(*ip, sin.sin_addr.s_addr);
	*port = lwip_ntohs(sin.sin_port);
	return 0;
}

/* See inet.h. */
int inet_addr_in(const struct inet_sock *is, const void *addr, int len,
		 bool unspec_ok, ip_addr_t *ip, u16_t *port)
{
	sa_family_t family;

	if (is->family == AF_INET6) {
		/* Linux's inet6_bind and tcp_v6_connect: RFC 2133's size. */
		if (len < SIN6_LEN_RFC2133)
			return -EINVAL;
		memcpy(&family, addr, sizeof(family));
		if (family != AF_INET6)
			return -EAFNOSUPPORT;
		inet6_addr_in(addr, len, ip, port);
		return 0;
	}
	return inet_addr_in4(addr, len, unspec_ok, ip, port);
}

/* See inet.h. */
int inet_addr_out(const struct inet_sock *is, void *addr,
		  const ip_addr_t *ip, u16_t port)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = lwip_htons(port),
	};

	if (is->family == AF_INET6)
		return inet6_addr_out(addr, ip, port);
	if (ip && IP_IS_V4(ip))
		sin.sin_addr.s_addr = ip4_addr_get_u32(ip_2_ip4(ip));
	memcpy(addr, &sin, sizeof(sin));
	return sizeof(sin);
}

/* See inet.h. */
bool inet_addr_is_local(const ip_addr_t *ip)
{
	struct netif *netif;

	if (IP_IS_V6(ip)) {
		NETIF_FOREACH(netif) {
			if (netif_get_ip6_addr_match(netif, ip_2_ip6(ip)) >= 0)
				return true;
		}
		return false;
	}
	if (ip4_addr_isloopback(ip_2_ip4(ip)))
		return true;
	NETIF_FOREACH(netif) {
		if (!ip4_addr_isany(netif_ip4_addr(netif)) &&
		    ip4_addr_cmp(netif_ip4_addr(netif), ip_2_ip4(ip)))
			return true;
	}
	return false;
}

/* See inet.h. */
bool inet_addr_is_broadcast(const ip_addr_t *ip)
{
	struct netif *netif;

	if (!IP_IS_V4(ip))
		return false;
	if (ip4_addr_get_u32(ip_2_ip4(ip)) == IPADDR_BROADCAST)
		return true;
	NETIF_FOREACH(netif) {
		if (ip4_addr_isbroadcast(ip_2_ip4(ip), netif))
			return true;
	}
	return false;
}

/* See inet.h. */
bool inet_addr_is_multicast(const ip_addr_t *ip)
{
	return IP_IS_V6(ip) ? ip6_addr_ismulticast(ip_2_ip6(ip)) :
		ip4_addr_ismulticast(ip_2_ip4(ip));
}

/* See inet.h. */
bool inet_addr_overlap(const ip_addr_t *a, const ip_addr_t *b)
{
	if (IP_IS_ANY_TYPE_VAL(*a) || IP_IS_ANY_TYPE_VAL(*b))
		return true;
	if (IP_GET_TYPE(a) != IP_GET_TYPE(b))
		return false;
	return ip_addr_isany(a) || ip_addr_isany(b) || ip_addr_cmp(a, b);
}

/* See inet.h. */
const ip_addr_t *inet_any(const struct inet_sock *is)
{
	if (is->family != AF_INET6)
		return IP4_ADDR_ANY;
	return is->v6only ? IP6_ADDR_ANY : IP_ANY_TYPE;
}

/* See inet.h. */
void inet_set_loopback(ip_addr_t *ip)
{
	if (IP_IS_V6(ip))
		ip_addr_set_loopback(1, ip);
	else
		ip_addr_set_ip4_u32(ip, PP_HTONL(INADDR_LOOPBACK));
}

/* See inet.h. */
u8_t inet_pcb_type(const struct inet_sock *is)
{
	return is->family == AF_INET6 ? IPADDR_TYPE_ANY : IPADDR_TYPE_V4;
}

/* See inet.h. */
int inet_check_family(const struct inet_sock *is, const ip_addr_t *ip)
{
	if (is->family == AF_INET6 && is->v6only && IP_IS_V4(ip))
		return -ENETUNREACH;
	return 0;
}

/* The bind checks common to the protocols (inet_bind_addr). */
static int inet_bind_allowed(const ip_addr_t *ip, u16_t port)
{
	if (!ip_addr_isany(ip) && !inet_addr_is_local(ip) &&
	    !inet_addr_is_multicast(ip) && !inet_addr_is_broadcast(ip))
		return -EADDRNOTAVAIL;
	if (port && port < INET_PROT_SOCK && !capable(CAP_NET_BIND_SERVICE))
		return -EACCES;		/* CAP_NET_BIND_SERVICE */
	return 0;
}

/* See inet.h. */
sa_family_t inet_addr_family(const void *addr)
{
	sa_family_t family;

	memcpy(&family, addr, sizeof(family));
	return family;
}

/* See inet.h. */
bool inet_addr_is_unspec(const void *addr)
{
	return inet_addr_family(addr) == AF_UNSPEC;
}

/* See inet.h. */
int inet_bind_addr(const struct inet_sock *is, const void *addr, int len,
		   ip_addr_t *ip, u16_t *port)
{
	int err;

	err = inet_addr_in(is, addr, len, true, ip, port);
	if (err)
		return err;
	if (is->family == AF_INET6) {
		/* Linux's __inet6_bind: v4-mapped needs a dual-stack socket. */
		if (IP_IS_V4(ip) && is->v6only)
			return -EINVAL;
		if (IP_IS_V6(ip) && ip6_addr_isany(ip_2_ip6(ip)))
			ip_addr_copy(*ip, *inet_any(is));
		if (IP_IS_V6(ip) && ip6_addr_islinklocal(ip_2_ip6(ip)) &&
		    !ip6_addr_has_zone(ip_2_ip6(ip)))
			return -EINVAL;	/* a link-local address needs a scope */
	} else if (inet_addr_is_unspec(addr) && !ip_addr_isany(ip)) {
		/* Linux takes AF_UNSPEC for INADDR_ANY only, for old programs. */
		return -EAFNOSUPPORT;
	}
	if (IP_IS_ANY_TYPE_VAL(*ip))
		return inet_bind_allowed(IP4_ADDR_ANY, *port);
	return inet_bind_allowed(ip, *port);
}

/* See inet.h. */
u16_t inet_ephemeral_port(bool (*in_use)(u16_t port))
{
	unsigned range = INET_PORT_HIGH - INET_PORT_LOW + 1;
	unsigned start;

	random_bytes(&start, sizeof(start));
	for (unsigned i = 0; i < range; i++) {
		u16_t port = (u16_t)(INET_PORT_LOW + (start + i) % range);

		if (!in_use(port))
			return port;
	}
	return 0;
}

struct inet_wait_ctx {
	const struct inet_sock *is;
	bool (*ready)(const struct inet_sock *is);
};

static bool inet_wait_cond(const void *arg)
{
	const struct inet_wait_ctx *ctx = arg;

	return ctx->ready(ctx->is);
}

/* See inet.h. */
int inet_wait(struct inet_sock *is, bool nonblock, uint64_t deadline,
	      bool (*ready)(const struct inet_sock *is))
{
	struct inet_wait_ctx ctx = { .is = is, .ready = ready };

	return wq_wait_deadline(&is->wq, nonblock, deadline, inet_wait_cond,
				&ctx);
}

/* See inet.h. */
void inet_set_error(struct inet_sock *is, int err)
{
	if (is->sock)
		is->sock->error = err;
	else
		is->err = err;
	wq_wake_all(&is->wq);
}

/* See inet.h. */
int inet_take_error(struct inet_sock *is)
{
	int err = is->sock ? is->sock->error : is->err;

	if (is->sock)
		is->sock->error = 0;
	else
		is->err = 0;
	return err;
}

/* See inet.h. */
int inet_rcvbuf(const struct inet_sock *is)
{
	return is->sock ? is->sock->rcvbuf : SOCK_BUF_DEFAULT;
}

/* See inet.h. */
int inet_pbuf_to_uio(const struct pbuf *p, size_t off, size_t n,
		     struct uio *uio)
{
	for (; p && n; p = p->next) {
		size_t chunk;
		int err;

		if (off >= p->len) {
			off -= p->len;
			continue;
		}
		chunk = MIN(n, (size_t)p->len - off);
		err = uiomove((char *)p->payload + off, chunk, uio);
		if (err)
			return err;
		n -= chunk;
		off = 0;
	}
	return 0;
}

/* See inet.h. */
int inet_pbuf_from_uio(struct pbuf *p, size_t n, struct uio *uio)
{
	for (; p && n; p = p->next) {
		size_t chunk = MIN(n, (size_t)p->len);
		int err = uiomove(p->payload, chunk, uio);

		if (err)
			return err;
		n -= chunk;
	}
	return 0;
}

/* See inet.h. */
void inet_dgram_queue(struct inet_sock *is, struct pbuf *p,
		      const ip_addr_t *ip, u16_t port)
{
	size_t cost = p->tot_len + INET_PKT_OVERHEAD;
	struct inet_pkt *pkt;

	if (is->rcv_bytes + cost > (size_t)inet_rcvbuf(is) ||
	    (is->shutdown & RCV_SHUTDOWN))
		goto drop;
	pkt = kzalloc(sizeof(*pkt));
	if (!pkt)
		goto drop;
	pkt->p = p;
	ip_addr_copy(pkt->addr, *ip);
	pkt->port = port;
	inet_pkt_info_capture(&pkt->info);
	list_add_tail(&pkt->link, &is->rcvq);
	is->rcv_bytes += cost;
	wq_wake_all(&is->wq);
	return;

drop:
	pbuf_free(p);
}

static bool dgram_readable(const struct inet_sock *is)
{
	return !list_empty(&is->rcvq) || (is->shutdown & RCV_SHUTDOWN) ||
		(is->sock && is->sock->error);
}

/* See inet.h. */
ssize_t inet_dgram_recvmsg(struct socket *sock, struct sock_msg *msg)
{
	struct inet_sock *is = sock->priv;
	uint64_t deadline = wq_deadline(sock->rcvtimeo_ns);
	struct inet_pkt *pkt;
	size_t len, n;
	int err;

	if (msg->flags & MSG_ERRQUEUE)
		return inet_errq_recv(is, msg);
	if ((msg->flags & MSG_OOB) && is->type == SOCK_RAW)
		return -EOPNOTSUPP;
	err = inet_wait(is, msg->flags & MSG_DONTWAIT, deadline,
			dgram_readable);
	if (err)
		return err;
	if (list_empty(&is->rcvq)) {
		err = inet_take_error(is);
		return err ? -err : 0;	/* shut down for reading: EOF */
	}
	pkt = list_first_entry(&is->rcvq, struct inet_pkt, link);
	len = pkt->p->tot_len;
	n = MIN(len, msg->uio->resid);
	err = inet_pbuf_to_uio(pkt->p, 0, n, msg->uio);
	if (err)
		return err;
	if (n < len)
		msg->out_flags |= MSG_TRUNC;
	msg->namelen = inet_addr_out(is, msg->name, &pkt->addr, pkt->port);
	err = inet_pkt_info_put(is, msg, pkt);
	if (err)
		return err;
	if (!(msg->flags & MSG_PEEK)) {
		list_del(&pkt->link);
		is->rcv_bytes -= len + INET_PKT_OVERHEAD;
		pbuf_free(pkt->p);
		kfree(pkt);
	}
	return (ssize_t)((msg->flags & MSG_TRUNC) ? len : n);
}

/* See inet.h. */
long inet_dgram_ioctl(struct socket *sock, unsigned cmd, uptr_t arg)
{
	struct inet_sock *is = sock->priv;
	int v = 0;

	switch (cmd) {
	case SIOCINQ:		/* FIONREAD: the next datagram's size */
		if (!list_empty(&is->rcvq))
			v = list_first_entry(&is->rcvq, struct inet_pkt,
					     link)->p->tot_len;
		break;
	case SIOCOUTQ:		/* sent at once: nothing waits */
		break;
	default:
		return -ENOTTY;
	}
	return put_user(v, arg) ? -EFAULT : 0;
}

/* See inet.h. */
unsigned inet_dgram_poll(struct socket *sock, struct file *file,
			 struct poll_table *pt)
{
	struct inet_sock *is = sock->priv;
	unsigned mask = POLLOUT | POLLWRNORM | POLLWRBAND;

	poll_wait(file, &is->wq, pt);
	if (is->sock->error || !list_empty(&is->errq))
		mask |= POLLERR;
	if (is->shutdown & RCV_SHUTDOWN)
		mask |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (is->shutdown == SHUTDOWN_MASK)
		mask |= POLLHUP;
	if (!list_empty(&is->rcvq))
		mask |= POLLIN | POLLRDNORM;
	return mask;
}

/* See inet.h. */
int inet_dgram_setsockopt(struct socket *sock, int level, int name,
			  const void *val, int len)
{
	struct inet_sock *is = sock->priv;

	if (level == SOL_SOCKET) {
		inet_apply_ip(is, is->pcb.any);
		return 0;
	}
	if (level == SOL_IP)
		return inet_ip_setsockopt(is, is->pcb.any, name, val, len);
	if (level == SOL_IPV6 && is->family == AF_INET6)
		return inet6_setsockopt(is, is->pcb.any, name, val, len);
	return -ENOPROTOOPT;
}

/* See inet.h. */
int inet_dgram_getsockopt(struct socket *sock, int level, int name,
			  void *val, int *len)
{
	struct inet_sock *is = sock->priv;

	if (level == SOL_IP)
		return inet_ip_getsockopt(is, name, val, len);
	if (is->family == AF_INET6)	/* Linux's ipv6_getsockopt */
		return level == SOL_IPV6 ?
			inet6_getsockopt(is, name, val, len) : -ENOPROTOOPT;
	return -EOPNOTSUPP;	/* Linux's do_ip_getsockopt for another level */
}

/* See inet.h. */
void inet_apply_ip(const struct inet_sock *is, struct ip_pcb *pcb)
{
	struct socket *sock = is->sock;

	if (is->family == AF_INET6) {
		pcb->ttl = (u8_t)(is->hops < 0 ? INET_DEFAULT_TTL : is->hops);
		pcb->tos = is->tclass;
	} else {
		pcb->ttl = (u8_t)(is->ttl < 0 ? INET_DEFAULT_TTL : is->ttl);
		pcb->tos = is->tos;
	}
	if (!sock)
		return;
	if (sock->reuseaddr)
		ip_set_option(pcb, SOF_REUSEADDR);
	else
		ip_reset_option(pcb, SOF_REUSEADDR);
	if (sock->keepalive)
		ip_set_option(pcb, SOF_KEEPALIVE);
	else
		ip_reset_option(pcb, SOF_KEEPALIVE);
}

/* See inet.h. */
int inet_get_int(const void *val, int len, int *v)
{
	if (len < (int)sizeof(int))
		return -EINVAL;
	memcpy(v, val, sizeof(int));
	return 0;
}

/* See inet.h. */
int inet_put_int(void *val, int *len, int v)
{
	if (*len < 0)
		return -EINVAL;
	*len = MIN(*len, (int)sizeof(int));
	memcpy(val, &v, (size_t)*len);
	return 0;
}

#ifdef FAULT_INJECT
/*
 * The fault-injection hook: a write through a NULL pointer. Both the
 * pointer and the store are volatile, or the compiler drops the store
 * as undefined behaviour.
 */
static void inet_fault(void)
{
	volatile int *volatile p = NULL;

	*p = INET_FAULT_OPT;
}
#endif

/*
 * An IPPROTO_IP option's int value: Linux takes an int, or a single byte
 * when the option is shorter. 0 or -EINVAL.
 */
static int ip_opt_int(const void *val, int len, int *v)
{
	if (len >= (int)sizeof(int)) {
		memcpy(v, val, sizeof(int));
		return 0;
	}
	if (len < 1)
		return -EINVAL;
	*v = *(const unsigned char *)val;
	return 0;
}

/* See inet.h. */
int inet_ip_setsockopt(struct inet_sock *is, struct ip_pcb *pcb, int name,
		       const void *val, int len)
{
	unsigned bit;
	int v, err;

#ifdef FAULT_INJECT
	if (name == INET_FAULT_OPT)
		inet_fault();
#endif
	switch (name) {
	case IP_TTL:
		err = ip_opt_int(val, len, &v);
		if (err)
			return err;
		if (v != -1 && (v < 1 || v > 255))
			return -EINVAL;
		is->ttl = v;
		break;
	case IP_TOS:
		err = ip_opt_int(val, len, &v);
		if (err)
			return err;
		if (is->type == SOCK_STREAM)	/* the ECN bits are TCP's */
			v = (v & ~3) | (is->tos & 3);
		is->tos = (u8_t)v;
		break;
	case IP_RECVERR:
		err = ip_opt_int(val, len, &v);
		if (err)
			return err;
		is->recverr = v != 0;
		if (!is->recverr)
			inet_errq_purge(is);
		return 0;
	default:
		bit = inet_rx_opt(SOL_IP, name);
		if (!bit)
			return -ENOPROTOOPT;
		err = ip_opt_int(val, len, &v);
		if (err)
			return err;
		is->rx_opts = v ? is->rx_opts | bit : is->rx_opts & ~bit;
		return 0;
	}
	if (pcb)
		inet_apply_ip(is, pcb);
	return 0;
}

/* See inet.h. */
int inet_ip_getsockopt(struct inet_sock *is, int name, void *val, int *len)
{
	unsigned char c;
	int v;

	switch (name) {
	case IP_TTL:
		v = is->ttl < 0 ? INET_DEFAULT_TTL : is->ttl;
		break;
	case IP_TOS:
		v = is->tos;
		break;
	case IP_RECVERR:
		v = is->recverr;
		break;
	default:
		if (!inet_rx_opt(SOL_IP, name))
			return -ENOPROTOOPT;
		v = !!(is->rx_opts & inet_rx_opt(SOL_IP, name));
		break;
	}
	if (*len < 0)
		return -EINVAL;
	if (*len > 0 && *len < (int)sizeof(int) && v >= 0 && v <= 255) {
		c = (unsigned char)v;	/* a short buffer gets one byte */
		memcpy(val, &c, 1);
		*len = 1;
		return 0;
	}
	return inet_put_int(val, len, v);
}

/* See inet.h. */
unsigned long inet_sock_ino(const struct inet_sock *is)
{
	return is && is->sock ? (unsigned long)is->sock->inode->ino : 0;
}

/* See inet.h. */
unsigned inet_sock_uid(const struct inet_sock *is)
{
	return is && is->sock ? is->sock->inode->uid : 0;
}

/* See net.h. */
ssize_t inet_proc_show(const char *name, char *buf, size_t size)
{
	if (!strcmp(name, "tcp"))
		return inet_tcp_proc(buf, size, false);
	if (!strcmp(name, "udp"))
		return inet_udp_proc(buf, size, false);
	if (!strcmp(name, "raw"))
		return inet_raw_proc(buf, size, false);
	if (!strcmp(name, "tcp6"))
		return inet_tcp_proc(buf, size, true);
	if (!strcmp(name, "udp6"))
		return inet_udp_proc(buf, size, true);
	if (!strcmp(name, "raw6"))
		return inet_raw_proc(buf, size, true);
	if (!strcmp(name, "if_inet6"))
		return inet6_if_proc(buf, size);
	return -ENOENT;
}
