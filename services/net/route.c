/*
 * The IPv4 routing table as Linux keeps its main table: the subnet route
 * of every interface that is up with an address (none shown for lo,
 * whose routes Linux keeps in the local table), routes added with
 * SIOCADDRT or RTM_NEWROUTE (gateways, hosts, reject routes), dropped
 * when their interface goes down or is renumbered. lwIP routes the
 * connected subnets itself; everything else goes through its routing
 * hooks here (netif_route_hook, netif_route_gw_hook). Also
 * /proc/net/route, in Linux's format.
 */
#include "iface.h"
#include "lwip/etharp.h"
#include <platform/usercopy.h>
#include <aramid/compiler.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include <uapi/netlink.h>

#define ROUTE_MAX	32

struct route {
	bool used;
	bool reject;		/* RTN_UNREACHABLE (else RTN_UNICAST) */
	bool connected;		/* the subnet route of an address */
	bool onlink;		/* RTNH_F_ONLINK: the gateway is on the link */
	uint8_t protocol;	/* RTPROT_* */
	uint8_t scope;		/* RT_SCOPE_* */
	ip4_addr_t dst, mask, gw;	/* network byte order; gw 0 if none */
	int32_t metric;
	struct iface *ifc;	/* NULL only for a reject route */
};

static struct route routes[ROUTE_MAX];

/* Drop every route through @ifc (the interface went down or renumbered). */
void routes_flush(const struct iface *ifc)
{
	for (unsigned i = 0; i < ROUTE_MAX; i++)
		if (routes[i].used && routes[i].ifc == ifc)
			routes[i].used = false;
}

static struct route *route_slot(void)
{
	for (unsigned i = 0; i < ROUTE_MAX; i++)
		if (!routes[i].used)
			return &routes[i];
	return NULL;
}

/* Add @ifc's subnet route if it is up with an address (lo has none). */
void routes_connect(struct iface *ifc)
{
	struct route *r;

	if (!iface_up(ifc) || !iface_addr(ifc) ||
	    (ifc->fixed_flags & IFF_LOOPBACK))
		return;
	r = route_slot();
	if (!r)
		return;
	*r = (struct route){ .used = true, .connected = true, .ifc = ifc,
			     .protocol = RTPROT_KERNEL,
			     .scope = RT_SCOPE_LINK };
	ip4_addr_set_u32(&r->dst, iface_addr(ifc) & iface_mask(ifc));
	r->mask = *netif_ip4_netmask(ifc->nif);
}

/* The best route to @dest (longest prefix, then lowest metric), or NULL. */
static const struct route *route_lookup(uint32_t dest, const struct iface *on)
{
	const struct route *best = NULL;

	for (unsigned i = 0; i < ROUTE_MAX; i++) {
		const struct route *r = &routes[i];
		uint32_t m = ip4_addr_get_u32(&r->mask);

		if (!r->used || (dest & m) != ip4_addr_get_u32(&r->dst))
			continue;
		if (on && r->ifc != on)
			continue;
		if (r->ifc && !iface_running(r->ifc))
			continue;
		if (!best || lwip_ntohl(m) > lwip_ntohl(best->mask.addr) ||
		    (m == best->mask.addr && r->metric < best->metric))
			best = r;
	}
	return best;
}

/* lwIP's LWIP_HOOK_IP4_ROUTE: the interface for a non-local @dest. */
struct netif *netif_route_hook(const ip4_addr_t *dest)
{
	const struct route *r = route_lookup(ip4_addr_get_u32(dest), NULL);

	return r && !r->reject ? r->ifc->nif : NULL;
}

/* lwIP's LWIP_HOOK_ETHARP_GET_GW: the next hop to @dest on @nif. */
const ip4_addr_t *netif_route_gw_hook(struct netif *nif,
				      const ip4_addr_t *dest)
{
	const struct iface *ifc = iface_by_netif(nif);
	const struct route *r;

	if (!ifc)
		return NULL;
	r = route_lookup(ip4_addr_get_u32(dest), ifc);
	if (!r || r->reject)
		return NULL;
	return ip4_addr_get_u32(&r->gw) ? &r->gw : dest;
}

/*
 * A route request decoded (Linux's fib_config): from a struct rtentry or
 * a struct netif_route.
 */
struct route_req {
	uint32_t dst, mask, gw;
	int32_t metric;
	bool reject;
	bool onlink;
	uint8_t protocol;	/* 0: any (delete) */
	uint8_t scope;		/* RT_SCOPE_NOWHERE: any (delete) */
	struct iface *dev;	/* rt_dev, if given */
};

static int decode_route(unsigned cmd, const struct rtentry *rt,
			struct route_req *req)
{
	int len = 32;

	memset(req, 0, sizeof(*req));
	if (rt->rt_dst.sa_family != AF_INET)
		return -EAFNOSUPPORT;
	req->dst = in_addr_of(&rt->rt_dst);
	if (!(rt->rt_flags & RTF_HOST)) {
		uint32_t m = in_addr_of(&rt->rt_genmask);

		if (rt->rt_genmask.sa_family != AF_INET &&
		    (m || rt->rt_genmask.sa_family))
			return -EAFNOSUPPORT;
		len = mask_len(m);
		if (len < 0 || (req->dst & ~m))
			return -EINVAL;
	}
	req->mask = len_to_mask(len);
	req->metric = rt->rt_metric ? rt->rt_metric - 1 : 0;
	req->reject = rt->rt_flags & RTF_REJECT;
	req->protocol = cmd == SIOCADDRT ? RTPROT_BOOT : 0;
	req->scope = req->reject ? RT_SCOPE_HOST : RT_SCOPE_NOWHERE;
	if (req->reject)
		return 0;
	if (rt->rt_dev) {
		char name[IFNAMSIZ] = { 0 };
		char *colon;

		if (strncpy_from_user(name, UPTR(rt->rt_dev), IFNAMSIZ - 1) < 0)
			return -EFAULT;
		colon = strchr(name, ':');
		if (colon)
			*colon = '\0';
		req->dev = iface_by_name(name);
		if (!req->dev)
			return -ENODEV;
	}
	if (rt->rt_gateway.sa_family == AF_INET)
		req->gw = in_addr_of(&rt->rt_gateway);
	if (cmd == SIOCADDRT && (rt->rt_flags & RTF_GATEWAY) && !req->gw)
		return -EINVAL;
	if (cmd == SIOCADDRT)
		req->scope = req->gw && (rt->rt_flags & RTF_GATEWAY) ?
			     RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	return 0;
}

/* The interface a new route goes through: it or -errno (fib_check_nh). */
static struct iface *route_dev(const struct route_req *req)
{
	if (req->gw && req->onlink) {
		/* The gateway is on @dev's link, whatever its subnet. */
		if (!req->dev)
			return ERR_PTR(-EINVAL);
		if (!iface_up(req->dev))
			return ERR_PTR(-ENETDOWN);
		return req->dev;
	}
	if (req->gw) {
		/* The gateway must be on a connected subnet (of @dev). */
		for (unsigned i = 0; i < ROUTE_MAX; i++) {
			const struct route *r = &routes[i];

			if (r->used && r->connected &&
			    (!req->dev || r->ifc == req->dev) &&
			    (req->gw & r->mask.addr) == r->dst.addr)
				return r->ifc;
		}
		return ERR_PTR(-ENETUNREACH);
	}
	if (!req->dev)
		return ERR_PTR(-ENODEV);
	if (!iface_up(req->dev))
		return ERR_PTR(-ENETDOWN);
	return req->dev;
}

/*
 * Linux's fib_table_insert with netlink's flags @nlflags (SIOCADDRT
 * gives NLM_F_CREATE): NLM_F_EXCL refuses a route to the same prefix
 * and metric, NLM_F_REPLACE replaces the first such, and an exact
 * duplicate is refused; without NLM_F_CREATE nothing new is made.
 */
static int route_add(const struct route_req *req, unsigned nlflags)
{
	struct iface *ifc = NULL;
	struct route *r, *same = NULL;

	if (!req->reject) {
		ifc = route_dev(req);
		if (IS_ERR(ifc))
			return (int)PTR_ERR(ifc);
	}
	for (unsigned i = 0; i < ROUTE_MAX; i++) {
		r = &routes[i];
		if (!r->used || r->dst.addr != req->dst ||
		    r->mask.addr != req->mask || r->metric != req->metric)
			continue;
		if (nlflags & NLM_F_EXCL)
			return -EEXIST;
		same = same ? same : r;
		if (!(nlflags & NLM_F_REPLACE) && r->reject == req->reject &&
		    r->ifc == ifc && r->gw.addr == req->gw &&
		    r->scope == req->scope)
			return -EEXIST;
	}
	if (same && (nlflags & NLM_F_REPLACE))
		r = same;
	else if (!(nlflags & NLM_F_CREATE))
		return -ENOENT;
	else
		r = route_slot();
	if (!r)
		return -ENOBUFS;
	*r = (struct route){ .used = true, .reject = req->reject,
			     .onlink = req->onlink, .protocol = req->protocol,
			     .scope = req->scope, .metric = req->metric,
			     .ifc = ifc };
	ip4_addr_set_u32(&r->dst, req->dst);
	ip4_addr_set_u32(&r->mask, req->mask);
	ip4_addr_set_u32(&r->gw, req->gw);
	return 0;
}

static int route_del(const struct route_req *req)
{
	for (unsigned i = 0; i < ROUTE_MAX; i++) {
		struct route *r = &routes[i];

		if (!r->used || r->dst.addr != req->dst ||
		    r->mask.addr != req->mask || r->reject != req->reject)
			continue;
		if ((req->metric && r->metric != req->metric) ||
		    (req->dev && r->ifc != req->dev) ||
		    (req->gw && r->gw.addr != req->gw) ||
		    (req->protocol && r->protocol != req->protocol) ||
		    (req->scope != RT_SCOPE_NOWHERE && r->scope != req->scope))
			continue;
		r->used = false;
		return 0;
	}
	return -ESRCH;
}

/* See net.h: SIOCADDRT / SIOCDELRT on the kernel's copy of a rtentry. */
int netif_route_ioctl(unsigned cmd, const void *rtentry)
{
	struct route_req req;
	int err;

	if (cmd != SIOCADDRT && cmd != SIOCDELRT)
		return -EINVAL;
	err = decode_route(cmd, rtentry, &req);
	if (err)
		return err;
	return cmd == SIOCADDRT ? route_add(&req, NLM_F_CREATE) :
				  route_del(&req);
}

/* A netlink route request in the form of a decoded rtentry. */
static int route_req_of(const struct netif_route *nr, struct route_req *req)
{
	if (nr->dst_len < 0 || nr->dst_len > 32)
		return -EINVAL;
	*req = (struct route_req){
		.dst = nr->dst, .mask = len_to_mask(nr->dst_len),
		.gw = nr->gw, .metric = nr->metric,
		.reject = nr->type == RTN_UNREACHABLE, .onlink = nr->onlink,
		.protocol = nr->protocol, .scope = nr->scope,
	};
	if (req->dst & ~req->mask)
		return -EINVAL;
	if (nr->index) {
		req->dev = iface_by_index(nr->index);
		if (!req->dev)
			return -ENODEV;
	}
	return 0;
}

/* See net.h. */
int netif_route_add(const struct netif_route *nr, unsigned nlflags)
{
	struct route_req req;
	int err = route_req_of(nr, &req);

	return err ? err : route_add(&req, nlflags);
}

/* See net.h. */
int netif_route_del(const struct netif_route *nr)
{
	struct route_req req;
	int err = route_req_of(nr, &req);

	return err ? err : route_del(&req);
}

/* Route @a sorts before @b in /proc/net/route (Linux's trie order). */
static bool route_before(const struct route *a, const struct route *b)
{
	uint32_t da = lwip_ntohl(a->dst.addr), db = lwip_ntohl(b->dst.addr);

	if (da != db)
		return da < db;
	if (a->mask.addr != b->mask.addr)
		return lwip_ntohl(a->mask.addr) > lwip_ntohl(b->mask.addr);
	return a->metric < b->metric;
}

/* One line padded to 127 columns, as Linux's seq_setwidth/seq_pad. */
static void put_route_line(struct net_text *t, const char *line)
{
	net_text_printf(t, "%-127s\n", line);
}

/* The routes in @order, sorted as Linux's trie walks them: how many. */
static unsigned routes_sorted(const struct route **order)
{
	unsigned n = 0;

	for (unsigned i = 0; i < ROUTE_MAX; i++) {
		unsigned j;

		if (!routes[i].used)
			continue;
		for (j = n; j > 0 && route_before(&routes[i], order[j - 1]); j--)
			order[j] = order[j - 1];
		order[j] = &routes[i];
		n++;
	}
	return n;
}

/* See net.h. */
int netif_route_get(unsigned pos, struct netif_route *nr)
{
	const struct route *order[ROUTE_MAX];
	const struct route *r;

	if (pos >= routes_sorted(order))
		return -ENOENT;
	r = order[pos];
	*nr = (struct netif_route){
		.dst = r->dst.addr, .dst_len = mask_len(r->mask.addr),
		.gw = r->gw.addr, .metric = r->metric,
		.index = r->ifc ? r->ifc->index : 0,
		.protocol = r->protocol, .scope = r->scope,
		.type = r->reject ? RTN_UNREACHABLE : RTN_UNICAST,
		.onlink = r->onlink,
		.prefsrc = r->connected ? iface_addr(r->ifc) : 0,
	};
	return 0;
}

void route_show(struct net_text *t)
{
	const struct route *order[ROUTE_MAX];
	unsigned n = routes_sorted(order);
	char line[128];

	put_route_line(t, "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\t"
			  "Metric\tMask\t\tMTU\tWindow\tIRTT");
	for (unsigned i = 0; i < n; i++) {
		const struct route *r = order[i];
		unsigned flags = RTF_UP;

		if (r->reject)
			flags |= RTF_REJECT;
		if (r->gw.addr)
			flags |= RTF_GATEWAY;
		if (r->mask.addr == 0xffffffffu)
			flags |= RTF_HOST;
		snprintf(line, sizeof(line),
			 "%s\t%08X\t%08X\t%04X\t%d\t%u\t%d\t%08X\t%d\t%u\t%u",
			 r->ifc ? r->ifc->name : "*", (unsigned)r->dst.addr,
			 (unsigned)r->gw.addr, flags, 0, 0u, (int)r->metric,
			 (unsigned)r->mask.addr, 0, 0u, 0u);
		put_route_line(t, line);
	}
}