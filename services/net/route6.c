/*
 * The IPv6 routes netlink lists, as Linux's fib6 holds them after its
 * addrconf and router discovery: lwIP routes IPv6 by itself (on-link
 * prefixes, then its default routers), so this only describes what it
 * does, from its interfaces' addresses, its prefix list and its
 * default router list. Linux dumps the main table, then the local one,
 * each in a post-order walk of its radix tree: by address, a route
 * before one whose prefix holds it.
 */
#include "iface.h"
#include "lwip/nd6.h"
#include "lwip/priv/nd6_priv.h"
#include <aramid/string.h>
#include <uapi/netlink.h>

#define ROUTE6_MAX	32
#define PRIO_ADDRCONF	256	/* IP6_RT_PRIO_ADDRCONF */
#define PRIO_USER	1024	/* IP6_RT_PRIO_USER: a router's default */

struct route6_set {
	struct netif_route6 r[ROUTE6_MAX];
	unsigned n;
};

static void add(struct route6_set *set, const struct netif_route6 *r)
{
	for (unsigned i = 0; i < set->n; i++)
		if (set->r[i].table == r->table &&
		    set->r[i].dst_len == r->dst_len &&
		    set->r[i].index == r->index &&
		    !memcmp(set->r[i].dst, r->dst, 16) &&
		    !memcmp(set->r[i].gw, r->gw, 16))
			return;	/* one per prefix and link */
	if (set->n < ROUTE6_MAX)
		set->r[set->n++] = *r;
}

/* @a's first @len bits, the rest zero, into @out. */
static void prefix_of(uint8_t out[16], const uint8_t a[16], int len)
{
	for (int i = 0; i < 16; i++) {
		int bits = len - 8 * i;

		out[i] = bits >= 8 ? a[i] :
			 bits <= 0 ? 0 : (uint8_t)(a[i] & (0xff << (8 - bits)));
	}
}

/* Linux's order: the table, then the tree walk (see the file's top). */
static int route6_cmp(const struct netif_route6 *a,
		      const struct netif_route6 *b)
{
	int len = MIN(a->dst_len, b->dst_len), c;
	uint8_t pa[16], pb[16];

	if (a->table != b->table)
		return a->table == RT_TABLE_MAIN ? -1 : 1;
	prefix_of(pa, a->dst, len);
	prefix_of(pb, b->dst, len);
	c = memcmp(pa, pb, 16);
	if (c)
		return c;
	if (a->dst_len != b->dst_len)
		return b->dst_len - a->dst_len;	/* the longer one first */
	if (a->index != b->index)
		return a->index - b->index;
	return memcmp(a->gw, b->gw, 16);
}

/* An interface's address routes: its prefix in main, itself in local. */
static void add_addresses(struct route6_set *set, const struct iface *ifc)
{
	for (int slot = 0; slot < LWIP_IPV6_NUM_ADDRESSES; slot++) {
		const ip6_addr_t *a = netif_ip6_addr(ifc->nif, slot);
		struct netif_route6 r = {
			.index = ifc->index,
			.protocol = RTPROT_KERNEL,
			.type = RTN_UNICAST,
			.table = RT_TABLE_MAIN,
			.metric = PRIO_ADDRCONF,
		};

		if (!ip6_addr_isvalid(netif_ip6_addr_state(ifc->nif, slot)))
			continue;
		/* Only ::1 and link-local prefixes are the kernel's own; an
		 * autoconfigured address's prefix is the router's. */
		if (ip6_addr_isloopback(a)) {
			memcpy(r.dst, a->addr, 16);
			r.dst_len = 128;
			add(set, &r);
		} else if (ip6_addr_islinklocal(a)) {
			r.dst[0] = 0xfe;
			r.dst[1] = 0x80;
			r.dst_len = 64;
			add(set, &r);
		}
		r = (struct netif_route6){
			.index = ifc->index,
			.protocol = RTPROT_KERNEL,
			.type = RTN_LOCAL,
			.table = RT_TABLE_LOCAL,
			.dst_len = 128,
		};
		memcpy(r.dst, a->addr, 16);
		add(set, &r);
	}
	if (!(ifc->fixed_flags & IFF_LOOPBACK)) {
		struct netif_route6 mc = {
			.dst = { 0xff },
			.dst_len = 8,
			.index = ifc->index,
			.metric = PRIO_ADDRCONF,
			.table = RT_TABLE_LOCAL,
			.protocol = RTPROT_KERNEL,
			.type = RTN_MULTICAST,
		};

		add(set, &mc);
	}
}

/* What router discovery gave: on-link prefixes and default routers. */
static void add_router_routes(struct route6_set *set)
{
	for (int i = 0; i < LWIP_ND6_NUM_PREFIXES; i++) {
		const struct nd6_prefix_list_entry *p = &prefix_list[i];
		const struct iface *ifc = p->netif ? iface_by_netif(p->netif)
						   : NULL;
		struct netif_route6 r = {
			.dst_len = 64,
			.metric = PRIO_ADDRCONF,
			.table = RT_TABLE_MAIN,
			.protocol = RTPROT_RA,
			.type = RTN_UNICAST,
			.expires = p->invalidation_timer,
		};

		if (!ifc || !iface_up(ifc) || !p->invalidation_timer)
			continue;
		memcpy(r.dst, p->prefix.addr, 16);
		r.index = ifc->index;
		add(set, &r);
	}
	for (int i = 0; i < LWIP_ND6_NUM_ROUTERS; i++) {
		const struct nd6_router_list_entry *d = &default_router_list[i];
		const struct nd6_neighbor_cache_entry *n = d->neighbor_entry;
		const struct iface *ifc = n && n->netif ?
					  iface_by_netif(n->netif) : NULL;
		struct netif_route6 r = {
			.metric = PRIO_USER,
			.table = RT_TABLE_MAIN,
			.protocol = RTPROT_RA,
			.type = RTN_UNICAST,
			.expires = d->invalidation_timer,
		};

		if (!ifc || !iface_up(ifc) || !d->invalidation_timer)
			continue;
		memcpy(r.gw, n->next_hop_address.addr, 16);
		r.index = ifc->index;
		add(set, &r);
	}
}

/* See net.h. */
int netif_route6_get(unsigned pos, struct netif_route6 *r)
{
	struct route6_set set = { .n = 0 };
	const struct netif_route6 *best = NULL;
	unsigned i;

	for (int index = 1; index < 16; index++) {
		const struct iface *ifc = iface_by_index(index);

		if (ifc && iface_up(ifc))
			add_addresses(&set, ifc);
	}
	add_router_routes(&set);
	if (pos >= set.n)
		return -ENOENT;
	/* The pos-th in order: a selection, the set is small. */
	for (unsigned k = 0; k <= pos; k++) {
		const struct netif_route6 *prev = best;

		best = NULL;
		for (i = 0; i < set.n; i++) {
			const struct netif_route6 *c = &set.r[i];

			if (prev && route6_cmp(c, prev) <= 0)
				continue;
			if (!best || route6_cmp(c, best) < 0)
				best = c;
		}
	}
	*r = *best;
	return 0;
}
