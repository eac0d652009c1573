/*
 * The control messages a received datagram carries on request (UDP and
 * raw sockets of both families): which interface and local address it
 * came to (IP_PKTINFO, IPV6_PKTINFO), its TTL or hop limit (IP_RECVTTL,
 * IPV6_RECVHOPLIMIT), its TOS or traffic class (IP_RECVTOS,
 * IPV6_RECVTCLASS), and RFC 2292's older IPV6_2292PKTINFO and
 * IPV6_2292HOPLIMIT, which BusyBox's ping still asks for. What the IP
 * header said is kept with each queued datagram as lwIP's input hands it
 * over (inet_pkt_info_capture); recvmsg writes the messages.
 */
#include "inet.h"
#include "lwip/ip4.h"
#include "lwip/ip6.h"
#include "lwip/prot/ip4.h"
#include "lwip/prot/ip6.h"
#include <aramid/string.h>

/* The options that ask for a message, and the bit each sets. */
static const struct {
	int level, name;
	unsigned bit;
} rx_opts[] = {
	{ SOL_IP, IP_PKTINFO, INET_RX_PKTINFO },
	{ SOL_IP, IP_RECVTTL, INET_RX_TTL },
	{ SOL_IP, IP_RECVTOS, INET_RX_TOS },
	{ SOL_IPV6, IPV6_RECVPKTINFO, INET_RX6_PKTINFO },
	{ SOL_IPV6, IPV6_RECVHOPLIMIT, INET_RX6_HOPLIMIT },
	{ SOL_IPV6, IPV6_RECVTCLASS, INET_RX6_TCLASS },
	{ SOL_IPV6, IPV6_2292PKTINFO, INET_RX6_2292PKTINFO },
	{ SOL_IPV6, IPV6_2292HOPLIMIT, INET_RX6_2292HOPLIMIT },
};

/* See inet.h. */
unsigned inet_rx_opt(int level, int name)
{
	for (size_t i = 0; i < ARRAY_SIZE(rx_opts); i++)
		if (rx_opts[i].level == level && rx_opts[i].name == name)
			return rx_opts[i].bit;
	return 0;
}

/* See inet.h. */
void inet_pkt_info_capture(struct inet_pkt_info *info)
{
	const struct netif *nif = ip_current_input_netif();

	ip_addr_copy(info->dst, *ip_current_dest_addr());
	info->ifindex = nif ? netif_index_of(nif) : 0;
	if (ip_current_is_v6()) {
		const struct ip6_hdr *h = ip6_current_header();

		info->ttl = IP6H_HOPLIM(h);
		info->tos = IP6H_TC(h);
	} else {
		const struct ip_hdr *h = ip4_current_header();

		info->ttl = IPH_TTL(h);
		info->tos = IPH_TOS(h);
	}
}

/*
 * IP_PKTINFO's local address: the destination of a unicast datagram, the
 * interface's own address for a broadcast or multicast one, as Linux's
 * fib_compute_spec_dst.
 */
static u32_t spec_dst(const struct inet_pkt_info *info)
{
	const ip4_addr_t *dst = ip_2_ip4(&info->dst);
	struct netif_addr a;

	if (!ip4_addr_ismulticast(dst) && !inet_addr_is_broadcast(&info->dst))
		return ip4_addr_get_u32(dst);
	return netif_addr_get(info->ifindex, &a) ? 0 : a.local;
}

/* The IPv4 header's messages, as Linux's ip_cmsg_recv_offset. */
static int put_ip_cmsgs(unsigned opts, struct sock_msg *msg,
			const struct inet_pkt_info *info)
{
	int err = 0;

	if (opts & INET_RX_PKTINFO) {
		struct in_pktinfo pi = {
			.ipi_ifindex = info->ifindex,
			.ipi_spec_dst = spec_dst(info),
			.ipi_addr = ip4_addr_get_u32(ip_2_ip4(&info->dst)),
		};

		err = sock_put_cmsg(msg, SOL_IP, IP_PKTINFO, &pi, sizeof(pi));
	}
	if (!err && (opts & INET_RX_TTL)) {
		int ttl = info->ttl;

		err = sock_put_cmsg(msg, SOL_IP, IP_TTL, &ttl, sizeof(ttl));
	}
	/* IP_TOS is the one byte of the header, not an int. */
	if (!err && (opts & INET_RX_TOS))
		err = sock_put_cmsg(msg, SOL_IP, IP_TOS, &info->tos, 1);
	return err;
}

/* An in6_pktinfo of @info: a v4-mapped address for an IPv4 datagram. */
static struct in6_pktinfo pktinfo6(const struct inet_pkt_info *info)
{
	struct in6_pktinfo pi = { .ipi6_ifindex = info->ifindex };
	struct sockaddr_in6 sin6;

	inet6_addr_out(&sin6, &info->dst, 0);
	pi.ipi6_addr = sin6.sin6_addr;
	return pi;
}

/* An int control message of SOL_IPV6. */
static int put_int6(struct sock_msg *msg, int type, int v)
{
	return sock_put_cmsg(msg, SOL_IPV6, type, &v, sizeof(v));
}

/* See inet.h. */
int inet_pkt_info_put(const struct inet_sock *is, struct sock_msg *msg,
		      const struct inet_pkt *pkt)
{
	const struct inet_pkt_info *info = &pkt->info;
	unsigned opts = is->rx_opts;
	struct in6_pktinfo pi;
	int err = 0;

	if (!opts)
		return 0;
	if (is->family == AF_INET)
		return put_ip_cmsgs(opts, msg, info);
	/* ip6_datagram_recv_common_ctl: IPV6_PKTINFO for either version. */
	pi = pktinfo6(info);
	if (opts & INET_RX6_PKTINFO)
		err = sock_put_cmsg(msg, SOL_IPV6, IPV6_PKTINFO, &pi,
				    sizeof(pi));
	/* An IPv4 datagram on a dual-stack socket: the IPv4 options. */
	if (IP_IS_V4(&info->dst))
		return err ? err : put_ip_cmsgs(opts, msg, info);
	/* ip6_datagram_recv_specific_ctl's order. */
	if (!err && (opts & INET_RX6_HOPLIMIT))
		err = put_int6(msg, IPV6_HOPLIMIT, info->ttl);
	if (!err && (opts & INET_RX6_TCLASS))
		err = put_int6(msg, IPV6_TCLASS, info->tos);
	if (!err && (opts & INET_RX6_2292PKTINFO))
		err = sock_put_cmsg(msg, SOL_IPV6, IPV6_2292PKTINFO, &pi,
				    sizeof(pi));
	if (!err && (opts & INET_RX6_2292HOPLIMIT))
		err = put_int6(msg, IPV6_2292HOPLIMIT, info->ttl);
	return err;
}
