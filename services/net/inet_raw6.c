/*
 * AF_INET6 SOCK_RAW sockets over an IPv6 raw_pcb, as BusyBox's ping -6
 * uses them (root only): a received packet of the socket's protocol
 * arrives without its IPv6 header (Linux's rawv6_rcv), ICMPv6 ones
 * through the ICMPV6_FILTER of types; sending adds the header, and the
 * checksum where IPV6_CHECKSUM says (ICMPv6 always, at offset 2). The
 * operations both families share live in inet_raw.c.
 */
#include "inet.h"
#include "lwip/ip6.h"
#include "lwip/inet_chksum.h"
#include "lwip/prot/ip6.h"
#include <aramid/string.h>

#define IPPROTO_MH	135	/* Mobile IPv6: checksum at offset 4 */

/* See inet.h. */
void inet_raw6_init(struct inet_sock *is)
{
	if (is->protocol == IPPROTO_ICMPV6)
		is->raw6_csum = 2;
	else if (is->protocol == IPPROTO_MH)
		is->raw6_csum = 4;
	else
		is->raw6_csum = -1;
}

/* Does @is's ICMPV6_FILTER block the ICMPv6 message @p starts with? */
static bool icmp6_blocked(const struct inet_sock *is, const struct pbuf *p)
{
	u8_t type;

	if (is->protocol != IPPROTO_ICMPV6)
		return false;
	if (pbuf_copy_partial(p, &type, 1, 0) != 1)
		return true;	/* too short to be one: Linux drops it too */
	return is->icmp6_filter[type >> 5] & (1U << (type & 31));
}

/* Are the checksums of what @nif receives checked (lo's are not made)? */
static bool checksums_checked(const struct netif *nif)
{
	return nif && (nif->chksum_flags & NETIF_CHECKSUM_CHECK_ICMP6);
}

/*
 * A copy of each packet for the socket, from its transport header on;
 * lwIP keeps the original. A checksum the socket checks must be right,
 * on an interface whose checksums are checked (lo's are not made).
 */
u8_t inet_raw6_recv(void *arg, struct raw_pcb *pcb, struct pbuf *p,
		    const ip_addr_t *addr)
{
	struct inet_sock *is = arg;
	u16_t hlen = ip_current_header_tot_len();
	struct pbuf *copy;

	if (p->tot_len <= hlen)
		return 0;
	copy = pbuf_clone(PBUF_RAW, PBUF_RAM, p);
	if (!copy)
		return 0;
	pbuf_remove_header(copy, hlen);
	if (icmp6_blocked(is, copy))
		goto drop;
	if (is->raw6_csum >= 0 && checksums_checked(ip_current_input_netif()) &&
	    ip6_chksum_pseudo(copy, is->protocol, copy->tot_len,
			      ip6_current_src_addr(), ip6_current_dest_addr()))
		goto drop;
	inet_dgram_queue(is, copy, addr, 0);
	return 0;

drop:
	pbuf_free(copy);
	return 0;
}

/*
 * A raw IPv6 socket's sockaddr_in6 @addr into *@ip and its sin6_port
 * into *@proto: -EINVAL if short, @bad_family if of another family than
 * AF_INET6 (or AF_UNSPEC, when @unspec_ok).
 */
static int raw6_addr_in(const void *addr, int len, bool unspec_ok,
			int bad_family, ip_addr_t *ip, u16_t *proto)
{
	sa_family_t family;

	if (len < SIN6_LEN_RFC2133)
		return -EINVAL;
	memcpy(&family, addr, sizeof(family));
	if (family != AF_INET6 && !(unspec_ok && family == AF_UNSPEC))
		return bad_family;
	inet6_addr_in(addr, len, ip, proto);
	return 0;
}

/* Linux's rawv6_bind: an address of this host, or multicast, or ::. */
static int inet_raw6_bind(struct socket *sock, const void *addr, int len)
{
	struct inet_sock *is = sock->priv;
	ip_addr_t ip;
	u16_t proto;
	int err;

	err = raw6_addr_in(addr, len, false, -EINVAL, &ip, &proto);
	if (err)
		return err;
	if (IP_IS_V4(&ip))
		return -EADDRNOTAVAIL;
	if (!ip_addr_isany(&ip) && !inet_addr_is_local(&ip) &&
	    !inet_addr_is_multicast(&ip))
		return -EADDRNOTAVAIL;
	raw_bind(is->pcb.raw, &ip);
	return 0;
}

/* Is there a route to @ip (IPv6)? */
static bool raw6_routable(const ip_addr_t *ip)
{
	return inet_addr_is_multicast(ip) ||
	       ip6_route(IP6_ADDR_ANY6, ip_2_ip6(ip)) != NULL;
}

/* ip6_datagram_connect's checks of a raw IPv6 socket's peer. */
static int raw6_dest(struct inet_sock *is, const void *addr, int len,
		     ip_addr_t *ip, u16_t *port)
{
	int err = raw6_addr_in(addr, len, false, -EAFNOSUPPORT, ip, port);

	if (err)
		return err;
	if (IP_IS_V4(ip))
		return -ENETUNREACH;
	if (ip_addr_isany(ip))
		inet_set_loopback(ip);	/* BSD's rule: :: is ::1 */
	return raw6_routable(ip) ? 0 : -ENETUNREACH;
}

/* sin6_port is kept, as getpeername shows. */
static int inet_raw6_connect(struct socket *sock, const void *addr, int len,
			     bool nonblock)
{
	return inet_raw_connect_with(sock, addr, len, raw6_dest);
}

static ssize_t inet_raw6_sendmsg(struct socket *sock, struct sock_msg *msg)
{
	struct inet_sock *is = sock->priv;
	struct raw_pcb *pcb = is->pcb.raw;
	size_t len = msg->uio->resid;
	const u16_t zero = 0;
	ip_addr_t ip;
	struct pbuf *p;
	u16_t proto;
	int csum, err;

	if (msg->flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (msg->namelen) {
		err = raw6_addr_in(msg->name, msg->namelen, true,
				   -EAFNOSUPPORT, &ip, &proto);
		if (err)
			return err;
		/* sin6_port is the next header: 0, or the socket's. */
		if (proto && proto != is->protocol)
			return -EINVAL;
	} else {
		if (!(pcb->flags & RAW_FLAGS_CONNECTED))
			return -EDESTADDRREQ;
		ip_addr_copy(ip, pcb->remote_ip);
	}
	if (IP_IS_V4(&ip))
		return -ENETUNREACH;
	if (ip_addr_isany(&ip))
		inet_set_loopback(&ip);
	/* The payload length is 16 bits; lwIP adds its header in the pbuf. */
	if (len > 0xffff - ((pcb->flags & RAW_FLAGS_HDRINCL) ? 0 : IP6_HLEN))
		return -EMSGSIZE;
	/* rawv6_push_pending_frames: the field must be inside. */
	csum = (pcb->flags & RAW_FLAGS_HDRINCL) ? -1 : is->raw6_csum;
	if (csum >= 0 && (size_t)csum + 2 > len)
		return -EINVAL;
	if ((pcb->flags & RAW_FLAGS_HDRINCL) && len < IP6_HLEN)
		return -EINVAL;
	if (!raw6_routable(&ip))
		return -ENETUNREACH;
	p = pbuf_alloc((pcb->flags & RAW_FLAGS_HDRINCL) ? PBUF_LINK : PBUF_IP,
		       (u16_t)len, PBUF_RAM);
	if (!p)
		return -ENOBUFS;
	err = inet_pbuf_from_uio(p, len, msg->uio);
	/* The checksum is computed over a zero field, whatever was there. */
	pcb->chksum_reqd = csum >= 0;
	pcb->chksum_offset = csum >= 0 ? (u16_t)csum : 0;
	if (!err && csum >= 0)
		pbuf_take_at(p, &zero, sizeof(zero), (u16_t)csum);
	if (!err && raw_sendto(pcb, p, &ip) != ERR_OK)
		err = -ENOBUFS;
	pbuf_free(p);
	net_flush();
	return err ? err : (ssize_t)len;
}

/*
 * The options only raw IPv6 sockets have: SOL_RAW's and SOL_IPV6's
 * IPV6_CHECKSUM and IPV6_HDRINCL, SOL_ICMPV6's ICMPV6_FILTER (Linux's
 * rawv6_setsockopt); others go to the datagram options.
 */
static int inet_raw6_setsockopt(struct socket *sock, int level, int name,
				const void *val, int len)
{
	struct inet_sock *is = sock->priv;
	struct raw_pcb *pcb = is->pcb.raw;
	int v;

	if (level == SOL_ICMPV6) {
		if (is->protocol != IPPROTO_ICMPV6)
			return -EOPNOTSUPP;
		if (name != ICMPV6_FILTER)
			return -ENOPROTOOPT;
		if (len < 0)
			return -EINVAL;
		memcpy(is->icmp6_filter, val,
		       MIN((size_t)len, sizeof(is->icmp6_filter)));
		return 0;
	}
	if (level != SOL_RAW && !(level == SOL_IPV6 &&
				  (name == IPV6_CHECKSUM ||
				   name == IPV6_HDRINCL)))
		return inet_dgram_setsockopt(sock, level, name, val, len);
	if (inet_get_int(val, len, &v))
		return -EINVAL;
	switch (name) {
	case IPV6_HDRINCL:
		if (v)
			raw_setflags(pcb, raw_flags(pcb) | RAW_FLAGS_HDRINCL);
		else
			raw_setflags(pcb, raw_flags(pcb) & ~RAW_FLAGS_HDRINCL);
		return 0;
	case IPV6_CHECKSUM:
		/* RFC 3542: not at IPPROTO_IPV6 on an ICMPv6 socket. */
		if (is->protocol == IPPROTO_ICMPV6 && level == SOL_IPV6)
			return -EINVAL;
		if (v > 0 && (v & 1))
			return -EINVAL;
		is->raw6_csum = v < 0 ? -1 : v;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

static int inet_raw6_getsockopt(struct socket *sock, int level, int name,
				void *val, int *len)
{
	struct inet_sock *is = sock->priv;
	const struct raw_pcb *pcb = is->pcb.raw;

	if (level == SOL_ICMPV6) {
		if (is->protocol != IPPROTO_ICMPV6)
			return -EOPNOTSUPP;
		if (name != ICMPV6_FILTER)
			return -ENOPROTOOPT;
		if (*len < 0)
			return -EINVAL;
		*len = MIN(*len, (int)sizeof(is->icmp6_filter));
		memcpy(val, is->icmp6_filter, (size_t)*len);
		return 0;
	}
	if (level != SOL_RAW && !(level == SOL_IPV6 &&
				  (name == IPV6_CHECKSUM ||
				   name == IPV6_HDRINCL)))
		return inet_dgram_getsockopt(sock, level, name, val, len);
	if (*len < 0)
		return -EINVAL;
	switch (name) {
	case IPV6_HDRINCL:
		return inet_put_int(val, len,
				    !!(raw_flags(pcb) & RAW_FLAGS_HDRINCL));
	case IPV6_CHECKSUM:
		return inet_put_int(val, len, is->raw6_csum);
	default:
		return -ENOPROTOOPT;
	}
}

const struct proto_ops inet_raw6_ops = {
	.svc = &net_service,
	.release = inet_raw_release,
	.bind = inet_raw6_bind,
	.connect = inet_raw6_connect,
	.getname = inet_raw_getname,
	.shutdown = inet_raw_shutdown,
	.sendmsg = inet_raw6_sendmsg,
	.recvmsg = inet_dgram_recvmsg,
	.poll = inet_dgram_poll,
	.setsockopt = inet_raw6_setsockopt,
	.getsockopt = inet_raw6_getsockopt,
	.ioctl = inet_dgram_ioctl,
};
