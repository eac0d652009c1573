/*
 * What AF_INET6 sockets add to the AF_INET ones (inet.h): sockaddr_in6
 * in and out (v4-mapped addresses are IPv4 inside the service), the
 * IPPROTO_IPV6 options IPV6_V6ONLY, IPV6_UNICAST_HOPS and IPV6_TCLASS
 * with Linux's checks (net/ipv6/ipv6_sockglue.c), the addresses of
 * /proc/net/{tcp,udp}6 and /proc/net/if_inet6.
 */
#include "inet.h"
#include <aramid/string.h>

#define IF_INDEX_MAX		16	/* interfaces are looked for below this */

static const u8_t v4mapped_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff,
};

/* See inet.h. */
void inet6_addr_in(const void *addr, int len, ip_addr_t *ip, u16_t *port)
{
	struct sockaddr_in6 sin6 = { 0 };
	ip6_addr_t *a6;
	u32_t a4;

	memcpy(&sin6, addr, (size_t)MIN(len, (int)sizeof(sin6)));
	*port = lwip_ntohs(sin6.sin6_port);
	if (!memcmp(sin6.sin6_addr.s6_addr, v4mapped_prefix,
		    sizeof(v4mapped_prefix))) {
		memcpy(&a4, &sin6.sin6_addr.s6_addr[12], sizeof(a4));
		ip_addr_set_ip4_u32(ip, a4);
		return;
	}
	IP_SET_TYPE(ip, IPADDR_TYPE_V6);
	a6 = ip_2_ip6(ip);
	memcpy(a6->addr, sin6.sin6_addr.s6_addr, sizeof(a6->addr));
	ip6_addr_clear_zone(a6);
	if (sin6.sin6_scope_id && ip6_addr_has_scope(a6, IP6_UNKNOWN))
		ip6_addr_set_zone(a6, (u8_t)MIN(sin6.sin6_scope_id, 255u));
}

/* See inet.h. */
int inet6_addr_out(void *addr, const ip_addr_t *ip, u16_t port)
{
	struct sockaddr_in6 sin6 = {
		.sin6_family = AF_INET6,
		.sin6_port = lwip_htons(port),
	};
	u32_t a4;

	if (ip && IP_IS_V4(ip)) {
		a4 = ip4_addr_get_u32(ip_2_ip4(ip));
		memcpy(sin6.sin6_addr.s6_addr, v4mapped_prefix,
		       sizeof(v4mapped_prefix));
		memcpy(&sin6.sin6_addr.s6_addr[12], &a4, sizeof(a4));
	} else if (ip && IP_IS_V6(ip)) {
		memcpy(sin6.sin6_addr.s6_addr, ip_2_ip6(ip)->addr,
		       sizeof(sin6.sin6_addr));
		if (ip6_addr_has_zone(ip_2_ip6(ip)))
			sin6.sin6_scope_id = ip6_addr_zone(ip_2_ip6(ip));
	}
	memcpy(addr, &sin6, sizeof(sin6));
	return sizeof(sin6);
}

/*
 * Has @is a local port (bound, or given one by connect or listen)? A raw
 * socket's is its protocol, as Linux's inet_num.
 */
static bool inet6_bound(const struct inet_sock *is)
{
	if (is->user_bound || is->type == SOCK_RAW)
		return true;
	if (is->type == SOCK_STREAM)
		return is->pcb.tcp && is->pcb.tcp->local_port;
	return is->pcb.udp && is->pcb.udp->local_port;
}

/* See inet.h. */
int inet6_setsockopt(struct inet_sock *is, struct ip_pcb *pcb, int name,
		     const void *val, int len)
{
	unsigned bit;
	int v;

	/* Linux's do_ipv6_setsockopt: these take a whole int. */
	if (len < (int)sizeof(int)) {
		if (name == IPV6_V6ONLY || name == IPV6_UNICAST_HOPS ||
		    name == IPV6_TCLASS || name == IPV6_RECVERR ||
		    inet_rx_opt(SOL_IPV6, name))
			return -EINVAL;
		return -ENOPROTOOPT;
	}
	memcpy(&v, val, sizeof(v));
	bit = inet_rx_opt(SOL_IPV6, name);
	if (bit) {
		is->rx_opts = v ? is->rx_opts | bit : is->rx_opts & ~bit;
		return 0;
	}
	switch (name) {
	case IPV6_V6ONLY:
		if (inet6_bound(is))
			return -EINVAL;
		is->v6only = v != 0;
		return 0;
	case IPV6_UNICAST_HOPS:
		if (v < -1 || v > 255)
			return -EINVAL;
		is->hops = v;
		break;
	case IPV6_TCLASS:
		if (v < -1 || v > 0xff)
			return -EINVAL;
		if (v == -1)
			v = 0;		/* RFC 3542's default */
		if (is->type == SOCK_STREAM)	/* the ECN bits are TCP's */
			v = (v & ~3) | (is->tclass & 3);
		is->tclass = (u8_t)v;
		break;
	case IPV6_RECVERR:
		is->recverr6 = v != 0;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
	if (pcb)
		inet_apply_ip(is, pcb);
	return 0;
}

/* See inet.h. */
int inet6_getsockopt(struct inet_sock *is, int name, void *val, int *len)
{
	int v;

	switch (name) {
	case IPV6_V6ONLY:
		v = is->v6only;
		break;
	case IPV6_UNICAST_HOPS:
		v = is->hops < 0 ? INET_DEFAULT_TTL : is->hops;
		break;
	case IPV6_TCLASS:
		v = is->tclass;
		break;
	case IPV6_RECVERR:
		v = is->recverr6;
		break;
	default:
		if (!inet_rx_opt(SOL_IPV6, name))
			return -ENOPROTOOPT;
		v = !!(is->rx_opts & inet_rx_opt(SOL_IPV6, name));
		break;
	}
	return inet_put_int(val, len, v);
}

/* See inet.h. */
void inet_proc_addr(struct net_text *t, const ip_addr_t *ip, u16_t port,
		    bool v6)
{
	u32_t w[4] = { 0, 0, 0, 0 };

	if (!v6) {
		net_text_printf(t, "%08X:%04X", IP_IS_V4(ip) ?
				 ip4_addr_get_u32(ip_2_ip4(ip)) : 0, port);
		return;
	}
	if (IP_IS_V6(ip)) {
		memcpy(w, ip_2_ip6(ip)->addr, sizeof(w));
	} else if (IP_IS_V4(ip) && !ip4_addr_isany(ip_2_ip4(ip))) {
		w[2] = PP_HTONL(0x0000ffffUL);
		w[3] = ip4_addr_get_u32(ip_2_ip4(ip));
	}
	net_text_printf(t, "%08X%08X%08X%08X:%04X", w[0], w[1], w[2], w[3],
			 port);
}

/* See inet.h. */
bool inet_proc_is_v6(const struct inet_sock *is, const ip_addr_t *ip)
{
	if (is)
		return is->family == AF_INET6;
	return IP_IS_V6(ip);
}

/* See inet.h: Linux's if6_seq_show, one line per address. */
ssize_t inet6_if_proc(char *buf, size_t size)
{
	struct net_text t = { .buf = buf, .size = size };
	struct netif_link link;
	struct netif_addr6 a;

	for (int index = 1; index < IF_INDEX_MAX; index++) {
		if (netif_link_get(index, &link))
			continue;
		for (int slot = 0;; slot++) {
			int err = netif_addr6_get(index, slot, &a);

			if (err == -ENODEV)
				break;
			if (err)
				continue;
			for (int i = 0; i < 16; i++)
				net_text_printf(&t, "%02x", a.addr[i]);
			/* The flags' low byte, as Linux's %02x of a u8. */
			net_text_printf(&t, " %02x %02x %02x %02x %8s\n",
					 index, a.prefixlen, a.scope,
					 a.flags & 0xff, link.name);
		}
	}
	return (ssize_t)t.len;
}
