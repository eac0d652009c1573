/*
 * AF_INET and AF_INET6 SOCK_DGRAM sockets over lwIP's udp_pcb: bind,
 * connect (the default peer; AF_UNSPEC forgets it), datagrams with
 * Linux's limits and errnos, ICMP port-unreachable reported to a
 * connected IPv4 socket as ECONNREFUSED, and /proc/net/udp and udp6.
 */
#include "inet.h"
#include "lwip/ip4.h"
#include "lwip/ip6.h"
#include "lwip/raw.h"
#include "lwip/prot/icmp.h"
#include "lwip/icmp.h"
#include "lwip/inet_chksum.h"
#include "lwip/prot/ip6.h"
#include <platform/heap.h>
#include <aramid/string.h>

#define PROC_UDP_WIDTH	127
#define UDPS_ESTABLISHED 1
#define UDPS_CLOSE	7

static void udp_cb_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p,
			const ip_addr_t *addr, u16_t port)
{
	inet_dgram_queue(arg, p, addr, port);
}

static bool udp_port_in_use(u16_t port)
{
	for (struct udp_pcb *pcb = udp_pcbs; pcb; pcb = pcb->next) {
		if (pcb->local_port == port)
			return true;
	}
	return false;
}

static bool udp_connected(const struct udp_pcb *pcb)
{
	return pcb->flags & UDP_FLAGS_CONNECTED;
}

static struct udp_pcb *udp_pcb_new(struct inet_sock *is)
{
	struct udp_pcb *pcb = udp_new_ip_type(inet_pcb_type(is));

	if (!pcb)
		return NULL;
	if (is->protocol == IPPROTO_UDPLITE) {
		pcb->flags |= UDP_FLAGS_UDPLITE;
		pcb->chksum_len_tx = is->cscov_send;
		pcb->chksum_len_rx = is->cscov_recv;
	}
	udp_recv(pcb, udp_cb_recv, is);
	inet_apply_ip(is, (struct ip_pcb *)pcb);
	return pcb;
}

#define ICMP_PORT_UNREACH	3

/* Is @a the address @ip, of @ip's version? */
static bool addr_is(const ip_addr_t *a, const ip_addr_t *ip)
{
	if (IP_IS_V4(ip))
		return IP_IS_V4_VAL(*a) && ip4_addr_cmp(ip_2_ip4(a), ip_2_ip4(ip));
	return IP_IS_V6_VAL(*a) && ip6_addr_cmp_zoneless(ip_2_ip6(a),
							 ip_2_ip6(ip));
}

/*
 * The socket a datagram from @src:@sport to @dst:@dport came from, as
 * Linux's __udp4_lib_lookup and __udp6_lib_lookup find it for an ICMP
 * error about it: bound to @sport on @src or the any address (of @src's
 * version, or dual-stack), and if connected, to @dst:@dport; a connected
 * socket wins. NULL when there is none.
 */
static struct inet_sock *udp_sender(const ip_addr_t *src, u16_t sport,
				    const ip_addr_t *dst, u16_t dport)
{
	struct inet_sock *best = NULL;

	for (struct udp_pcb *pcb = udp_pcbs; pcb; pcb = pcb->next) {
		if (pcb->local_port != sport || !pcb->recv_arg ||
		    (IP_IS_V4(src) ? IP_IS_V6_VAL(pcb->local_ip) :
				     IP_IS_V4_VAL(pcb->local_ip)) ||
		    !(ip_addr_isany(&pcb->local_ip) ||
		      addr_is(&pcb->local_ip, src)))
			continue;
		if (!udp_connected(pcb)) {
			if (!best)
				best = pcb->recv_arg;
			continue;
		}
		if (pcb->remote_port == dport && addr_is(&pcb->remote_ip, dst))
			return pcb->recv_arg;
	}
	return best;
}

/*
 * Every ICMP message passes here before lwIP's own ICMP input (the raw
 * pcb never consumes it). An error about a datagram a UDP socket sent
 * goes to that socket as Linux's __udp4_lib_err sends it: with
 * IP_RECVERR (AF_INET) onto its error queue and as its pending error;
 * without, as the pending error of a connected socket, if hard.
 */
static u8_t udp_icmp_watch(void *arg, struct raw_pcb *raw, struct pbuf *p,
			   const ip_addr_t *addr)
{
	u8_t hdr[20 + 8 + 60 + 8];	/* IP, ICMP, quoted IP, UDP */
	u16_t n = pbuf_copy_partial(p, hdr, sizeof(hdr), 0);
	struct netif *inp = ip_current_input_netif();
	struct inet_err rec;
	struct inet_sock *is;
	unsigned ihl, qihl;
	ip4_addr_t src4;
	ip_addr_t src, dst;
	u16_t sum;
	bool fatal;
	int errnum;

	if (n < 20)
		return 0;
	ihl = (hdr[0] & 0xf) * 4u;
	if (ihl < 20 || n < ihl + 8 + 20)
		return 0;
	qihl = (hdr[ihl + 8] & 0xf) * 4u;
	if (qihl < 20 || n < ihl + 8 + qihl + 8 ||
	    (hdr[ihl + 8 + 9] != IP_PROTO_UDP &&
	     hdr[ihl + 8 + 9] != IP_PROTO_UDPLITE))
		return 0;
	errnum = inet_icmp_errno(hdr[ihl], hdr[ihl + 1], &fatal);
	if (!errnum)
		return 0;
	if (inp && (inp->chksum_flags & NETIF_CHECKSUM_CHECK_ICMP)) {
		if (pbuf_remove_header(p, ihl))
			return 0;
		sum = inet_chksum_pbuf(p);
		pbuf_add_header_force(p, ihl);
		if (sum)
			return 0;
	}
	memset(&rec, 0, sizeof(rec));
	memcpy(&src4, &hdr[ihl + 8 + 12], sizeof(src4));
	memcpy(&rec.dest, &hdr[ihl + 8 + 16], sizeof(rec.dest));
	rec.port = (u16_t)(hdr[ihl + 8 + qihl + 2] << 8 |
			   hdr[ihl + 8 + qihl + 3]);
	ip_addr_copy_from_ip4(src, src4);
	ip_addr_copy_from_ip4(dst, rec.dest);
	is = udp_sender(&src, (u16_t)(hdr[ihl + 8 + qihl] << 8 |
				      hdr[ihl + 8 + qihl + 1]),
			&dst, rec.port);
	if (!is)
		return 0;
	if (is->family == AF_INET && is->recverr) {
		rec.errnum = (u32_t)errnum;
		rec.type = hdr[ihl];
		rec.code = hdr[ihl + 1];
		if (rec.type == ICMP_DUR && rec.code == ICMP_DUR_FRAG)
			rec.info = (u32_t)(hdr[ihl + 6] << 8 | hdr[ihl + 7]);
		else if (rec.type == ICMP_PP)
			rec.info = hdr[ihl + 4];
		ip4_addr_copy(rec.offender, *ip_2_ip4(addr));
		inet_errq_add(is, &rec, p, (u16_t)(ihl + 8 + qihl + 8),
			      (u16_t)(p->tot_len - (ihl + 8 + qihl + 8)));
	} else if (!fatal || !udp_connected(is->pcb.udp)) {
		return 0;
	}
	inet_set_error(is, errnum);
	return 0;
}

/*
 * Every ICMPv6 message passes here before lwIP's own input. An error about
 * a datagram a UDP socket sent becomes its pending error as Linux's
 * __udp6_lib_err makes it: a hard one on a connected socket, any with
 * IPV6_RECVERR (whose queue is not kept: the pending error only).
 */
static u8_t udp_icmp6_watch(void *arg, struct raw_pcb *raw, struct pbuf *p,
			    const ip_addr_t *addr)
{
	u16_t hlen = ip_current_header_tot_len();
	u8_t m[8 + IP6_HLEN + 8];	/* ICMPv6, the quoted IPv6 and UDP */
	struct netif *inp = ip_current_input_netif();
	ip_addr_t src, dst;
	struct inet_sock *is;
	bool fatal;
	int errnum;

	if (pbuf_copy_partial(p, m, sizeof(m), hlen) != sizeof(m) ||
	    (m[8 + 6] != IP_PROTO_UDP && m[8 + 6] != IP_PROTO_UDPLITE))
		return 0;
	errnum = inet_icmp6_errno(m[0], m[1], &fatal);
	if (!errnum)
		return 0;
	if (inp && (inp->chksum_flags & NETIF_CHECKSUM_CHECK_ICMP6)) {
		u16_t sum;

		if (pbuf_remove_header(p, hlen))
			return 0;
		sum = ip6_chksum_pseudo(p, IP6_NEXTH_ICMP6, p->tot_len,
					ip6_current_src_addr(),
					ip6_current_dest_addr());
		pbuf_add_header_force(p, hlen);
		if (sum)
			return 0;
	}
	IP_SET_TYPE_VAL(src, IPADDR_TYPE_V6);
	IP_SET_TYPE_VAL(dst, IPADDR_TYPE_V6);
	memcpy(ip_2_ip6(&src)->addr, &m[8 + 8], 16);
	memcpy(ip_2_ip6(&dst)->addr, &m[8 + 24], 16);
	ip6_addr_clear_zone(ip_2_ip6(&src));
	ip6_addr_clear_zone(ip_2_ip6(&dst));
	is = udp_sender(&src, (u16_t)(m[8 + IP6_HLEN] << 8 |
				      m[8 + IP6_HLEN + 1]),
			&dst, (u16_t)(m[8 + IP6_HLEN + 2] << 8 |
				      m[8 + IP6_HLEN + 3]));
	if (!is || (!is->recverr6 && !(fatal && udp_connected(is->pcb.udp))))
		return 0;
	inet_set_error(is, errnum);
	return 0;
}

/* See inet.h. */
int inet_udp_create(struct inet_sock *is)
{
	static struct raw_pcb *icmp_watch, *icmp6_watch;

	if (!icmp_watch) {
		icmp_watch = raw_new(IP_PROTO_ICMP);
		if (!icmp_watch)
			return -ENOMEM;
		raw_recv(icmp_watch, udp_icmp_watch, NULL);
	}
	if (!icmp6_watch) {
		icmp6_watch = raw_new_ip_type(IPADDR_TYPE_V6, IP6_NEXTH_ICMP6);
		if (!icmp6_watch)
			return -ENOMEM;
		raw_recv(icmp6_watch, udp_icmp6_watch, NULL);
	}
	is->pcb.udp = udp_pcb_new(is);
	if (!is->pcb.udp)
		return -ENOMEM;
	is->sock->ops = &inet_udp_ops;
	return 0;
}

static int udp_errno(err_t err)
{
	switch (err) {
	case ERR_OK:
		return 0;
	case ERR_USE:
		return -EADDRINUSE;
	case ERR_RTE:
		return -ENETUNREACH;
	case ERR_MEM:
	case ERR_BUF:
		return -ENOBUFS;
	default:
		return -EINVAL;
	}
}

/* Drop the datagram being gathered, if any. */
static void udp_cork_drop(struct inet_sock *is)
{
	if (is->cork_p)
		pbuf_free(is->cork_p);
	is->cork_p = NULL;
}

/* Send the datagram being gathered, if any: 0 or -errno. */
static int udp_cork_push(struct inet_sock *is)
{
	struct pbuf *p = is->cork_p;
	int err;

	if (!p)
		return 0;
	is->cork_p = NULL;
	err = udp_errno(udp_sendto(is->pcb.udp, p, &is->cork_ip,
				   is->cork_port));
	pbuf_free(p);
	net_flush();
	return err;
}

static void inet_udp_release(struct socket *sock)
{
	struct inet_sock *is = sock->priv;

	udp_cork_drop(is);
	udp_remove(is->pcb.udp);
	inet_sock_free(is);
}

/* Bind to an ephemeral port if not bound yet: 0 or -EAGAIN (Linux). */
static int udp_autobind(struct inet_sock *is)
{
	u16_t port;

	if (is->pcb.udp->local_port)
		return 0;
	port = inet_ephemeral_port(udp_port_in_use);
	if (!port || udp_bind(is->pcb.udp, inet_any(is), port) != ERR_OK)
		return -EAGAIN;
	return 0;
}

static int inet_udp_bind(struct socket *sock, const void *addr, int len)
{
	struct inet_sock *is = sock->priv;
	struct udp_pcb *pcb = is->pcb.udp;
	ip_addr_t ip;
	u16_t port;
	int err;

	err = inet_bind_addr(is, addr, len, &ip, &port);
	if (err)
		return err;
	if (pcb->local_port)
		return -EINVAL;
	if (!port) {
		port = inet_ephemeral_port(udp_port_in_use);
		if (!port)
			return -EADDRINUSE;
	}
	inet_apply_ip(is, (struct ip_pcb *)pcb);
	err = udp_errno(udp_bind(pcb, &ip, port));
	if (err)
		return err;
	is->user_bound = true;
	ip_addr_copy(is->bind_addr, ip);
	is->bind_port = port;
	return 0;
}

/* connect(AF_UNSPEC): no default peer; an automatic port goes too. */
static int udp_disconnect_sock(struct inet_sock *is)
{
	struct udp_pcb *pcb = is->pcb.udp, *fresh;

	udp_disconnect(pcb);
	if (!is->user_bound && pcb->local_port) {
		fresh = udp_pcb_new(is);
		if (fresh) {
			udp_remove(pcb);
			is->pcb.udp = fresh;
		}
	}
	return 0;
}

/*
 * Check a destination: -EACCES for a broadcast without SO_BROADCAST,
 * -ENETUNREACH without a route or for IPv4 with IPV6_V6ONLY. The any
 * address becomes the loopback.
 */
static int udp_check_dest(struct inet_sock *is, ip_addr_t *ip)
{
	int err = inet_check_family(is, ip);

	if (err)
		return err;
	if (ip_addr_isany(ip))
		inet_set_loopback(ip);
	if (IP_IS_V6(ip)) {
		if (!ip6_addr_ismulticast(ip_2_ip6(ip)) &&
		    !ip6_route(IP6_ADDR_ANY6, ip_2_ip6(ip)))
			return -ENETUNREACH;
		return 0;
	}
	if (inet_addr_is_broadcast(ip) && !is->sock->broadcast)
		return -EACCES;
	if (!ip4_addr_ismulticast(ip_2_ip4(ip)) &&
	    ip4_addr_get_u32(ip_2_ip4(ip)) != IPADDR_BROADCAST &&
	    !ip4_route(ip_2_ip4(ip)))
		return -ENETUNREACH;
	return 0;
}

static int inet_udp_connect(struct socket *sock, const void *addr, int len,
		     bool nonblock)
{
	struct inet_sock *is = sock->priv;
	ip_addr_t ip;
	u16_t port;
	int err;

	if (len < (int)sizeof(sa_family_t))
		return -EINVAL;
	if (inet_addr_is_unspec(addr))
		return udp_disconnect_sock(is);
	if (is->family == AF_INET6 && inet_addr_family(addr) == AF_INET) {
		/* Linux's ip6_datagram_connect: IPv4 on a dual socket. */
		if (is->v6only)
			return -EAFNOSUPPORT;
		err = inet_addr_in4(addr, len, false, &ip, &port);
	} else {
		err = inet_addr_in(is, addr, len, false, &ip, &port);
	}
	if (err)
		return err;
	err = udp_autobind(is);
	if (err)
		return err;
	err = udp_check_dest(is, &ip);
	if (err)
		return err;
	return udp_errno(udp_connect(is->pcb.udp, &ip, port));
}

static int inet_udp_getname(struct socket *sock, void *addr, bool peer)
{
	struct inet_sock *is = sock->priv;
	const struct udp_pcb *pcb = is->pcb.udp;
	struct netif *netif;

	if (peer) {
		if (!udp_connected(pcb))
			return -ENOTCONN;
		return inet_addr_out(is, addr, &pcb->remote_ip,
				     pcb->remote_port);
	}
	/* Connected from any address: the route's source, as Linux. */
	if (ip_addr_isany(&pcb->local_ip) && udp_connected(pcb)) {
		netif = ip_route(&pcb->local_ip, &pcb->remote_ip);
		if (netif)
			return inet_addr_out(is, addr,
					     ip_netif_get_local_ip(netif,
							&pcb->remote_ip),
					     pcb->local_port);
	}
	return inet_addr_out(is, addr, &pcb->local_ip, pcb->local_port);
}

static int inet_udp_shutdown(struct socket *sock, int how)
{
	struct inet_sock *is = sock->priv;

	is->shutdown |= how + 1;	/* SHUT_RD -> RCV_SHUTDOWN ... */
	wq_wake_all(&is->wq);
	return udp_connected(is->pcb.udp) ? 0 : -ENOTCONN;
}

/*
 * The destination of a sendmsg with an address: as inet_addr_in, and on
 * AF_INET6 Linux's udpv6_sendmsg: a sockaddr_in goes to IPv4 (unless
 * IPV6_V6ONLY: -ENETUNREACH), AF_UNSPEC means no address (msg->namelen
 * becomes 0), another family -EINVAL. 0 or -errno.
 */
static int udp_dest_in(struct inet_sock *is, struct sock_msg *msg,
		       ip_addr_t *ip, u16_t *port)
{
	if (is->family != AF_INET6)
		return inet_addr_in(is, msg->name, msg->namelen, true, ip,
				    port);
	if (msg->namelen < (int)sizeof(sa_family_t))
		return -EINVAL;
	switch (inet_addr_family(msg->name)) {
	case AF_INET6:
		return inet_addr_in(is, msg->name, msg->namelen, false, ip,
				    port);
	case AF_INET:
		if (is->v6only)
			return -ENETUNREACH;
		return inet_addr_in4(msg->name, msg->namelen, false, ip, port);
	case AF_UNSPEC:
		msg->namelen = 0;
		return 0;
	default:
		return -EINVAL;
	}
}

/*
 * Check a send's destination (the socket's peer without a name) into
 * @ip and @port: 0 or -errno as Linux's udp_sendmsg.
 */
static int udp_send_dest(struct inet_sock *is, struct sock_msg *msg,
			 ip_addr_t *ip, u16_t *port)
{
	struct udp_pcb *pcb = is->pcb.udp;
	int err = msg->namelen ? udp_dest_in(is, msg, ip, port) : 0;

	if (err)
		return err;
	if (msg->namelen) {
		if (!*port)
			return -EINVAL;
	} else {
		if (!udp_connected(pcb))
			return -EDESTADDRREQ;
		ip_addr_copy(*ip, pcb->remote_ip);
		*port = pcb->remote_port;
	}
	return udp_check_dest(is, ip);
}

/*
 * A datagram, or a part of one while corked (MSG_MORE, UDP_CORK): the
 * first part fixes the destination, as on Linux, and a part that makes
 * the whole too big is EMSGSIZE and drops what was gathered.
 */
static ssize_t inet_udp_sendmsg(struct socket *sock, struct sock_msg *msg)
{
	struct inet_sock *is = sock->priv;
	size_t len = msg->uio->resid;
	bool more = (msg->flags & MSG_MORE) || is->udp_cork;
	size_t gathered = is->cork_p ? is->cork_p->tot_len : 0;
	struct pbuf *p;
	ip_addr_t ip;
	u16_t port;
	int err;

	if (len > 0xffff)
		return -EMSGSIZE;
	if (msg->flags & MSG_OOB)
		return -EOPNOTSUPP;
	err = udp_autobind(is);
	if (err)
		return err;
	if (!is->cork_p) {
		err = udp_send_dest(is, msg, &ip, &port);
		if (err)
			return err;
	}
	if (gathered + len > INET_UDP_MAX) {
		udp_cork_drop(is);
		return -EMSGSIZE;
	}
	/* As Linux's sock_alloc_send_skb: a pending error fails the send. */
	err = inet_take_error(is);
	if (err)
		return -err;
	if (is->shutdown & SEND_SHUTDOWN)
		return -EPIPE;
	p = pbuf_alloc(is->cork_p ? PBUF_RAW : PBUF_TRANSPORT, (u16_t)len,
		       PBUF_RAM);
	if (!p)
		return -ENOBUFS;
	err = inet_pbuf_from_uio(p, len, msg->uio);
	if (err) {
		pbuf_free(p);
		return err;
	}
	if (is->cork_p) {
		pbuf_cat(is->cork_p, p);
	} else {
		is->cork_p = p;
		ip_addr_copy(is->cork_ip, ip);
		is->cork_port = port;
	}
	if (!more)
		err = udp_cork_push(is);
	return err ? err : (ssize_t)len;
}

/*
 * The UDP and UDP-Lite options (Linux's udp_lib_setsockopt): UDP_CORK
 * (turning it off sends what was gathered), and the checksum coverage
 * of a UDP-Lite socket, 0 for the whole datagram or at least its 8-byte
 * header (ENOPROTOOPT for a plain UDP socket).
 */
static int udp_setsockopt(struct socket *sock, int level, int name,
			  const void *val, int len)
{
	struct inet_sock *is = sock->priv;
	int v;

	if (level != SOL_UDP && level != SOL_UDPLITE)
		return inet_dgram_setsockopt(sock, level, name, val, len);
	if (len < (int)sizeof(int))
		return -EINVAL;
	memcpy(&v, val, sizeof(v));
	if (name == UDP_CORK) {
		is->udp_cork = v != 0;
		return is->udp_cork ? 0 : udp_cork_push(is);
	}
	if ((name != UDPLITE_SEND_CSCOV && name != UDPLITE_RECV_CSCOV) ||
	    is->protocol != IPPROTO_UDPLITE)
		return -ENOPROTOOPT;
	if (v != 0 && v < 8)
		v = 8;
	else if (v > 0xffff || v < 0)
		v = 0xffff;
	if (name == UDPLITE_SEND_CSCOV)
		is->cscov_send = is->pcb.udp->chksum_len_tx = (u16_t)v;
	else
		is->cscov_recv = is->pcb.udp->chksum_len_rx = (u16_t)v;
	return 0;
}

static int udp_getsockopt(struct socket *sock, int level, int name,
			  void *val, int *len)
{
	struct inet_sock *is = sock->priv;

	if (level != SOL_UDP && level != SOL_UDPLITE)
		return inet_dgram_getsockopt(sock, level, name, val, len);
	if (name == UDP_CORK)
		return *len < 0 ? -EINVAL : inet_put_int(val, len, is->udp_cork);
	if ((name != UDPLITE_SEND_CSCOV && name != UDPLITE_RECV_CSCOV) ||
	    is->protocol != IPPROTO_UDPLITE)
		return -ENOPROTOOPT;
	if (*len < 0)
		return -EINVAL;
	return inet_put_int(val, len, name == UDPLITE_SEND_CSCOV ?
			    is->cscov_send : is->cscov_recv);
}

const struct proto_ops inet_udp_ops = {
	.svc = &net_service,
	.release = inet_udp_release,
	.bind = inet_udp_bind,
	.connect = inet_udp_connect,
	.getname = inet_udp_getname,
	.shutdown = inet_udp_shutdown,
	.sendmsg = inet_udp_sendmsg,
	.recvmsg = inet_dgram_recvmsg,
	.poll = inet_dgram_poll,
	.setsockopt = udp_setsockopt,
	.getsockopt = udp_getsockopt,
	.ioctl = inet_dgram_ioctl,
};

/* See inet.h: Linux's udp4_format_sock (udp6_sock_seq_show with @v6). */
ssize_t inet_udp_proc(char *buf, size_t size, bool v6)
{
	struct net_text t = { .buf = buf, .size = size };

	if (v6) {
		net_text_printf(&t, "  sl  local_address                     "
				 "    remote_address                        st "
				 "tx_queue rx_queue tr tm->when retrnsmt   uid "
				 " timeout inode ref pointer drops\n");
	} else {
		net_text_printf(&t, "   sl  local_address rem_address   st "
				 "tx_queue rx_queue tr tm->when retrnsmt   uid "
				 " timeout inode ref pointer drops");
		net_text_pad(&t, 0, PROC_UDP_WIDTH);
	}
	for (struct udp_pcb *pcb = udp_pcbs; pcb; pcb = pcb->next) {
		const struct inet_sock *is = pcb->recv_arg;
		size_t start = t.len;

		if (inet_proc_is_v6(is, &pcb->local_ip) != v6)
			continue;
		net_text_printf(&t, "%5d: ", pcb->local_port & 0xff);
		inet_proc_addr(&t, &pcb->local_ip, pcb->local_port, v6);
		net_text_printf(&t, " ");
		inet_proc_addr(&t, &pcb->remote_ip,
			       udp_connected(pcb) ? pcb->remote_port : 0, v6);
		net_text_printf(&t, " %02X %08X:%08X %02X:%08lX %08X %5u %8d "
				 "%lu %d %016lx %u",
				 udp_connected(pcb) ? UDPS_ESTABLISHED :
				 UDPS_CLOSE, 0, is ? (unsigned)is->rcv_bytes : 0,
				 0, 0UL, 0, inet_sock_uid(is), 0,
				 inet_sock_ino(is), 2, 0UL, 0U);
		if (v6)
			net_text_printf(&t, "\n");
		else
			net_text_pad(&t, start, PROC_UDP_WIDTH);
	}
	return (ssize_t)t.len;
}
