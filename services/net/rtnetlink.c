/*
 * NETLINK_ROUTE's kernel side (Linux's rtnetlink): requests that a
 * netlink socket sends to port 0, answered in the sender's sendmsg
 * through netlink.h. Links (RTM_GETLINK dump and get, RTM_NEWLINK/SETLINK
 * changes through netif.c's interface ioctls), IPv4 addresses
 * (RTM_GETADDR dump, RTM_NEWADDR, RTM_DELADDR; one address per
 * interface, as lwIP keeps), IPv6 addresses (RTM_GETADDR dump) and the
 * main routing table (RTM_GETROUTE
 * dump, RTM_NEWROUTE, RTM_DELROUTE through netif.c's routing table).
 * Errors and NLM_F_ACK acknowledgements are NLMSG_ERROR messages, dumps
 * end in NLMSG_DONE. Not there: RTM_GETROUTE for one destination, the
 * local table's routes, route types other than unicast and unreachable,
 * tables other than main.
 */

#include "netlink.h"
#include "lwip/opt.h"
#include "lwip/def.h"
#include <svc/task.h>
#include <svc/uio.h>
#include <platform/cpu.h>
#include <platform/panic.h>
#include <platform/heap.h>
#include <platform/time.h>
#include <aramid/list.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include <uapi/netlink.h>
#include <uapi/poll.h>

#define NL_MSG_MAX	512	/* room for any one message this file makes */
#define NL_IFINDEX_MAX	16	/* interfaces are looked for below this */
#define NL_DUMPED	1	/* a dump was answered: no acknowledgement */

/* A message under construction (at most NL_MSG_MAX bytes). */
struct nl_msg {
	size_t len;
	uint8_t buf[NL_MSG_MAX] __aligned(8);
};

/* Start a @type message answering @req with a zeroed @hdrlen header. */
static void *msg_start(struct nl_msg *m, const struct nl_sock *ns,
		       const struct nlmsghdr *req, uint16_t type,
		       uint16_t flags, size_t hdrlen)
{
	struct nlmsghdr *h = (struct nlmsghdr *)m->buf;

	memset(m->buf, 0, NLMSG_HDRLEN + NLMSG_ALIGN(hdrlen));
	h->nlmsg_type = type;
	h->nlmsg_flags = flags;
	h->nlmsg_seq = req->nlmsg_seq;
	h->nlmsg_pid = ns->portid;
	m->len = NLMSG_HDRLEN + NLMSG_ALIGN(hdrlen);
	h->nlmsg_len = (uint32_t)m->len;
	return m->buf + NLMSG_HDRLEN;
}

static void msg_attr(struct nl_msg *m, uint16_t type, const void *data,
		     size_t len)
{
	struct rtattr a = { .rta_len = (uint16_t)RTA_LENGTH(len),
			    .rta_type = type };
	size_t total = RTA_ALIGN(RTA_LENGTH(len));

	KASSERT(m->len + total <= NL_MSG_MAX);
	memset(m->buf + m->len, 0, total);
	memcpy(m->buf + m->len, &a, sizeof(a));
	memcpy(m->buf + m->len + sizeof(a), data, len);
	m->len += total;
	((struct nlmsghdr *)m->buf)->nlmsg_len = (uint32_t)m->len;
}

static void msg_u32(struct nl_msg *m, uint16_t type, uint32_t v)
{
	msg_attr(m, type, &v, sizeof(v));
}

static void msg_u8(struct nl_msg *m, uint16_t type, uint8_t v)
{
	msg_attr(m, type, &v, sizeof(v));
}

static void msg_str(struct nl_msg *m, uint16_t type, const char *s)
{
	msg_attr(m, type, s, strlen(s) + 1);
}

/*
 * A dump's answer: messages gathered into datagrams of the size Linux
 * gives a dump's buffer, each queued when the next does not fit.
 */
struct nl_batch {
	struct nl_sock *ns;
	size_t len, cap;
	uint8_t *buf;
};

static int batch_init(struct nl_batch *b, struct nl_sock *ns)
{
	b->ns = ns;
	b->len = 0;
	b->cap = MAX((size_t)NL_GOODSIZE, ns->max_recvmsg_len);
	b->buf = kmalloc(b->cap);
	return b->buf ? 0 : -ENOBUFS;
}

static int batch_flush(struct nl_batch *b)
{
	int err = 0;

	if (b->len)
		err = nl_deliver(b->ns, 0, 0, b->buf, b->len, false);
	b->len = 0;
	return err;
}

static int batch_add(struct nl_batch *b, const struct nl_msg *m)
{
	int err;

	if (b->len + m->len > b->cap) {
		err = batch_flush(b);
		if (err)
			return err;
	}
	memcpy(b->buf + b->len, m->buf, m->len);
	b->len += m->len;
	return 0;
}

/*
 * End a dump that ended with @err (0: queue what is left, then NLMSG_DONE
 * in a datagram of its own): NL_DUMPED, or -errno.
 */
static int batch_done(struct nl_batch *b, const struct nlmsghdr *req,
		      int err)
{
	struct nl_msg m;
	int32_t zero = 0;

	if (!err)
		err = batch_flush(b);
	kfree(b->buf);
	if (err)
		return err;
	memcpy(msg_start(&m, b->ns, req, NLMSG_DONE, NLM_F_MULTI,
			 sizeof(zero)), &zero, sizeof(zero));
	err = nl_deliver(b->ns, 0, 0, m.buf, m.len, false);
	return err ? err : NL_DUMPED;
}

/* Queue one message as its own datagram. */
static int nl_reply(struct nl_sock *ns, const struct nl_msg *m)
{
	return nl_deliver(ns, 0, 0, m->buf, m->len, false);
}

/*
 * Linux's netlink_ack: NLMSG_ERROR with @err and the request's header,
 * and on an error the whole request unless NETLINK_CAP_ACK.
 */
static int nl_ack(struct nl_sock *ns, const struct nlmsghdr *req, int err)
{
	bool capped = !err || ns->cap_ack;
	size_t copy = capped ? sizeof(*req) : req->nlmsg_len;
	size_t len = NLMSG_HDRLEN + sizeof(int32_t) + copy;
	struct nlmsghdr h = {
		.nlmsg_len = (uint32_t)len,
		.nlmsg_type = NLMSG_ERROR,
		.nlmsg_flags = capped ? NLM_F_CAPPED : 0,
		.nlmsg_seq = req->nlmsg_seq,
		.nlmsg_pid = ns->portid,
	};
	int32_t e = err;
	uint8_t *buf = kzalloc(NLMSG_ALIGN(len));
	int ret;

	if (!buf)
		return -ENOBUFS;
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + NLMSG_HDRLEN, &e, sizeof(e));
	memcpy(buf + NLMSG_HDRLEN + sizeof(e), req, copy);
	ret = nl_deliver(ns, 0, 0, buf, NLMSG_ALIGN(len), false);
	kfree(buf);
	return ret;
}

/* A request's attributes, after its family header, by type. */
#define ATTR_MAX	32
struct nl_attrs {
	const struct rtattr *tb[ATTR_MAX + 1];
};

/* Linux's lenient (deprecated) attribute parse: bad tails are ignored. */
static void parse_attrs(const struct nlmsghdr *h, size_t hdrlen,
			struct nl_attrs *at)
{
	size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(hdrlen);
	const uint8_t *p = (const uint8_t *)h;

	memset(at, 0, sizeof(*at));
	while (off + sizeof(struct rtattr) <= h->nlmsg_len) {
		const struct rtattr *a = (const struct rtattr *)(p + off);

		if (a->rta_len < sizeof(*a) || off + a->rta_len > h->nlmsg_len)
			break;
		if (a->rta_type <= ATTR_MAX)
			at->tb[a->rta_type] = a;
		off += RTA_ALIGN(a->rta_len);
	}
}

static const void *attr_data(const struct rtattr *a)
{
	return (const uint8_t *)a + RTA_LENGTH(0);
}

static size_t attr_len(const struct rtattr *a)
{
	return a->rta_len - RTA_LENGTH(0);
}

/* A 4-byte attribute into *@v if present: 0, or -ERANGE if short. */
static int attr_u32(const struct nl_attrs *at, int type, uint32_t *v)
{
	const struct rtattr *a = at->tb[type];

	if (!a)
		return 0;
	if (attr_len(a) < sizeof(*v))
		return -ERANGE;
	memcpy(v, attr_data(a), sizeof(*v));
	return 0;
}

/* Does string attribute @a name @name (Linux's nla_strcmp)? */
static bool attr_is(const struct rtattr *a, const char *name)
{
	size_t len = attr_len(a);
	const char *s = attr_data(a);

	if (len && s[len - 1] == '\0')
		len--;
	return len == strlen(name) && memcmp(s, name, len) == 0;
}

/* The interface named by string attribute @a into @link: 0 or -ENODEV. */
static int link_by_name(const struct rtattr *a, struct netif_link *link)
{
	for (int i = 1; i < NL_IFINDEX_MAX; i++) {
		if (!netif_link_get(i, link) && attr_is(a, link->name))
			return 0;
	}
	return -ENODEV;
}

/* Linux's operstate of a link as IFLA_OPERSTATE gives it. */
static uint8_t link_operstate(const struct netif_link *link)
{
	if (!link->up)
		return IF_OPER_DOWN;
	if (link->type == ARPHRD_LOOPBACK)
		return IF_OPER_UNKNOWN;
	return link->carrier ? IF_OPER_UP : IF_OPER_DOWN;
}

/* The queueing discipline Linux gives the link (noop while down). */
static const char *link_qdisc(const struct netif_link *link)
{
	if (!link->up)
		return "noop";
	return link->type == ARPHRD_LOOPBACK ? "noqueue" : "pfifo_fast";
}

/* An RTM_NEWLINK message describing @link (Linux's rtnl_fill_ifinfo). */
static void link_fill(struct nl_msg *m, struct nl_sock *ns,
		      const struct nlmsghdr *req, uint16_t flags,
		      const struct netif_link *link)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t zero[6];
	struct ifinfomsg *ifi;
	bool lo = link->type == ARPHRD_LOOPBACK;

	ifi = msg_start(m, ns, req, RTM_NEWLINK, flags, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_type = link->type;
	ifi->ifi_index = link->index;
	ifi->ifi_flags = link->flags;
	msg_str(m, IFLA_IFNAME, link->name);
	msg_u32(m, IFLA_TXQLEN, (uint32_t)link->txqlen);
	msg_u8(m, IFLA_OPERSTATE, link_operstate(link));
	msg_u8(m, IFLA_LINKMODE, 0);
	msg_u32(m, IFLA_MTU, (uint32_t)link->mtu);
	msg_u32(m, IFLA_MIN_MTU, lo ? 0 : 68);
	msg_u32(m, IFLA_MAX_MTU, lo ? 0 : (uint32_t)link->max_mtu);
	msg_u32(m, IFLA_GROUP, 0);
	msg_u32(m, IFLA_PROMISCUITY, 0);
	msg_u32(m, IFLA_NUM_TX_QUEUES, 1);
	msg_u32(m, IFLA_NUM_RX_QUEUES, 1);
	msg_u8(m, IFLA_CARRIER, lo || link->carrier);
	msg_str(m, IFLA_QDISC, link_qdisc(link));
	msg_u8(m, IFLA_PROTO_DOWN, 0);
	msg_attr(m, IFLA_ADDRESS, lo ? zero : link->addr, 6);
	msg_attr(m, IFLA_BROADCAST, lo ? zero : bcast, 6);
}

static int link_dump(struct nl_sock *ns, const struct nlmsghdr *req)
{
	struct netif_link link;
	struct nl_batch b;
	struct nl_msg m;
	int err = batch_init(&b, ns);

	if (err)
		return err;
	for (int i = 1; i < NL_IFINDEX_MAX && !err; i++) {
		if (netif_link_get(i, &link))
			continue;
		link_fill(&m, ns, req, NLM_F_MULTI, &link);
		err = batch_add(&b, &m);
	}
	return batch_done(&b, req, err);
}

/* The link a RTM_*LINK request names, by index or IFLA_IFNAME. */
static int link_of(const struct nlmsghdr *req, const struct nl_attrs *at,
		   struct netif_link *link)
{
	struct ifinfomsg ifi;

	memcpy(&ifi, (const uint8_t *)req + NLMSG_HDRLEN, sizeof(ifi));
	if (ifi.ifi_index > 0)
		return netif_link_get(ifi.ifi_index, link);
	if (at->tb[IFLA_IFNAME])
		return link_by_name(at->tb[IFLA_IFNAME], link);
	return -EINVAL;
}

static int link_get(struct nl_sock *ns, const struct nlmsghdr *req)
{
	struct netif_link link;
	struct nl_attrs at;
	struct nl_msg m;
	int err;

	if (req->nlmsg_len < NLMSG_LENGTH(sizeof(struct ifinfomsg)))
		return -EINVAL;
	parse_attrs(req, sizeof(struct ifinfomsg), &at);
	err = link_of(req, &at, &link);
	if (err)
		return err;
	link_fill(&m, ns, req, 0, &link);
	return nl_reply(ns, &m);
}

/* An interface ioctl of netif.c on the link named @name. */
static int link_ioctl(const char *name, unsigned cmd, struct ifreq *ifr)
{
	strlcpy(ifr->ifr_name, name, IFNAMSIZ);
	return netif_ioctl(cmd, ifr);
}

/*
 * Linux's do_setlink for what these links have: the name (kept: no
 * renaming), the hardware address, the MTU, the flags, the queue
 * length, each through the interface ioctl that sets it.
 */
static int link_change(const struct nlmsghdr *req, const struct nl_attrs *at,
		       const struct netif_link *link)
{
	struct ifinfomsg ifi;
	struct ifreq ifr;
	uint32_t v;
	int err;

	memcpy(&ifi, (const uint8_t *)req + NLMSG_HDRLEN, sizeof(ifi));
	if (at->tb[IFLA_LINKINFO] || at->tb[IFLA_MASTER] || at->tb[19] ||
	    at->tb[28])		/* IFLA_NET_NS_PID, IFLA_NET_NS_FD */
		return -EOPNOTSUPP;
	if (at->tb[IFLA_IFNAME] && !attr_is(at->tb[IFLA_IFNAME], link->name))
		return -EOPNOTSUPP;
	if (at->tb[IFLA_ADDRESS]) {
		if (attr_len(at->tb[IFLA_ADDRESS]) < 6)
			return -EINVAL;
		memset(&ifr, 0, sizeof(ifr));
		ifr.ifr_hwaddr.sa_family = link->type;
		memcpy(ifr.ifr_hwaddr.sa_data, attr_data(at->tb[IFLA_ADDRESS]),
		       6);
		err = link_ioctl(link->name, SIOCSIFHWADDR, &ifr);
		if (err)
			return err;
	}
	if (at->tb[IFLA_MTU]) {
		err = attr_u32(at, IFLA_MTU, &v);
		if (err)
			return err;
		memset(&ifr, 0, sizeof(ifr));
		ifr.ifr_mtu = (int32_t)v;
		err = link_ioctl(link->name, SIOCSIFMTU, &ifr);
		if (err)
			return err;
	}
	if (ifi.ifi_flags || ifi.ifi_change) {
		uint32_t flags = ifi.ifi_flags;

		if (ifi.ifi_change)
			flags = (flags & ifi.ifi_change) |
				(link->flags & ~ifi.ifi_change);
		memset(&ifr, 0, sizeof(ifr));
		ifr.ifr_flags = (int16_t)flags;
		err = link_ioctl(link->name, SIOCSIFFLAGS, &ifr);
		if (err)
			return err;
	}
	if (at->tb[IFLA_TXQLEN]) {
		err = attr_u32(at, IFLA_TXQLEN, &v);
		if (err)
			return err;
		memset(&ifr, 0, sizeof(ifr));
		ifr.ifr_qlen = (int32_t)v;
		return link_ioctl(link->name, SIOCSIFTXQLEN, &ifr);
	}
	return 0;
}

/* RTM_NEWLINK and RTM_SETLINK: change a link (none can be created). */
static int link_set(const struct nlmsghdr *req)
{
	struct netif_link link;
	struct nl_attrs at;
	int err;

	if (req->nlmsg_len < NLMSG_LENGTH(sizeof(struct ifinfomsg)))
		return -EINVAL;
	parse_attrs(req, sizeof(struct ifinfomsg), &at);
	err = link_of(req, &at, &link);
	if (req->nlmsg_type == RTM_SETLINK && err)
		return err;
	if (err == -EINVAL || err == -ENODEV) {
		if (!(req->nlmsg_flags & NLM_F_CREATE))
			return -ENODEV;
		return -EOPNOTSUPP;	/* no kinds of link to make */
	}
	if (req->nlmsg_type == RTM_NEWLINK) {
		if (req->nlmsg_flags & NLM_F_EXCL)
			return -EEXIST;
		if (req->nlmsg_flags & NLM_F_REPLACE)
			return -EOPNOTSUPP;
	}
	return link_change(req, &at, &link);
}

static uint8_t addr_scope(uint32_t local)
{
	return ((const uint8_t *)&local)[0] == 127 ? RT_SCOPE_HOST :
						     RT_SCOPE_UNIVERSE;
}

/* An RTM_NEWADDR message's header: an address of either family. */
static void addr_start(struct nl_msg *m, struct nl_sock *ns,
		       const struct nlmsghdr *req, int family,
		       int prefixlen, uint8_t scope, int index, uint32_t flags)
{
	struct ifaddrmsg *ifa;

	ifa = msg_start(m, ns, req, RTM_NEWADDR, NLM_F_MULTI, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)family;
	ifa->ifa_prefixlen = (uint8_t)prefixlen;
	ifa->ifa_flags = (uint8_t)flags;
	ifa->ifa_scope = scope;
	ifa->ifa_index = (uint32_t)index;
}

/* IFA_CACHEINFO: lifetimes (seconds), made and changed then. */
static void addr_cacheinfo(struct nl_msg *m, uint32_t preferred,
			   uint32_t valid, uint32_t cstamp, uint32_t tstamp)
{
	struct ifa_cacheinfo ci = {
		.ifa_prefered = preferred,
		.ifa_valid = valid,
		.cstamp = cstamp,
		.tstamp = tstamp,
	};

	msg_attr(m, IFA_CACHEINFO, &ci, sizeof(ci));
}

/* An RTM_NEWADDR message (Linux's inet_fill_ifaddr). */
static void addr_fill(struct nl_msg *m, struct nl_sock *ns,
		      const struct nlmsghdr *req, const struct netif_link *link,
		      const struct netif_addr *a)
{
	addr_start(m, ns, req, AF_INET, a->prefixlen, addr_scope(a->local),
		   link->index, IFA_F_PERMANENT);
	msg_u32(m, IFA_ADDRESS, a->local);
	msg_u32(m, IFA_LOCAL, a->local);
	if (a->broadcast)
		msg_u32(m, IFA_BROADCAST, a->broadcast);
	msg_str(m, IFA_LABEL, link->name);
	msg_u32(m, IFA_FLAGS, IFA_F_PERMANENT);
	addr_cacheinfo(m, INFINITY_LIFE_TIME, INFINITY_LIFE_TIME, a->cstamp,
		       a->tstamp);
}

/* An IPv6 RTM_NEWADDR message (Linux's inet6_fill_ifaddr). */
static void addr6_fill(struct nl_msg *m, struct nl_sock *ns,
		       const struct nlmsghdr *req,
		       const struct netif_link *link,
		       const struct netif_addr6 *a)
{
	uint8_t scope = a->scope == NETIF_ADDR6_SCOPE_HOST ? RT_SCOPE_HOST :
			a->scope == NETIF_ADDR6_SCOPE_LINK ? RT_SCOPE_LINK :
			a->scope == NETIF_ADDR6_SCOPE_SITE ? RT_SCOPE_SITE :
			RT_SCOPE_UNIVERSE;

	addr_start(m, ns, req, AF_INET6, a->prefixlen, scope, link->index,
		   a->flags);
	msg_attr(m, IFA_ADDRESS, a->addr, sizeof(a->addr));
	addr_cacheinfo(m, a->preferred, a->valid, a->cstamp, a->tstamp);
	msg_u32(m, IFA_FLAGS, a->flags);
}

/* Add @family's addresses (AF_INET or AF_INET6) to the dump @b. */
static int addr_dump_family(struct nl_batch *b, struct nl_sock *ns,
			    const struct nlmsghdr *req, int family)
{
	struct netif_link link;
	struct netif_addr a;
	struct netif_addr6 a6;
	struct nl_msg m;
	int err = 0;

	for (int i = 1; i < NL_IFINDEX_MAX && !err; i++) {
		if (netif_link_get(i, &link))
			continue;
		if (family == AF_INET) {
			if (netif_addr_get(i, &a))
				continue;
			addr_fill(&m, ns, req, &link, &a);
			err = batch_add(b, &m);
			continue;
		}
		for (int slot = 0; !err; slot++) {
			int r = netif_addr6_get(i, slot, &a6);

			if (r == -ENODEV)
				break;
			if (r)
				continue;
			addr6_fill(&m, ns, req, &link, &a6);
			err = batch_add(b, &m);
		}
	}
	return err;
}

/* RTM_GETADDR's dump: IPv4, then IPv6, as Linux's family order. */
static int addr_dump(struct nl_sock *ns, const struct nlmsghdr *req)
{
	uint8_t family = ((const uint8_t *)req)[NLMSG_HDRLEN];
	struct nl_batch b;
	int err = batch_init(&b, ns);

	if (err)
		return err;
	if (family == AF_UNSPEC || family == AF_INET)
		err = addr_dump_family(&b, ns, req, AF_INET);
	if (!err && (family == AF_UNSPEC || family == AF_INET6))
		err = addr_dump_family(&b, ns, req, AF_INET6);
	return batch_done(&b, req, err);
}

/* RTM_NEWADDR and RTM_DELADDR (inet_rtm_newaddr, inet_rtm_deladdr). */
static int addr_change(const struct nlmsghdr *req)
{
	struct netif_addr cur, want = { 0 };
	struct netif_link link;
	struct ifaddrmsg ifa;
	struct nl_attrs at;
	uint32_t local = 0, address = 0;
	bool del = req->nlmsg_type == RTM_DELADDR;
	int err;

	if (req->nlmsg_len < NLMSG_LENGTH(sizeof(ifa)))
		return -EINVAL;
	memcpy(&ifa, (const uint8_t *)req + NLMSG_HDRLEN, sizeof(ifa));
	parse_attrs(req, sizeof(ifa), &at);
	if ((err = attr_u32(&at, IFA_LOCAL, &local)) ||
	    (err = attr_u32(&at, IFA_ADDRESS, &address)) ||
	    (err = attr_u32(&at, IFA_BROADCAST, &want.broadcast)))
		return err;
	if (!at.tb[IFA_LOCAL])
		local = address;
	if (!del && (ifa.ifa_prefixlen > 32 ||
		     (!at.tb[IFA_LOCAL] && !at.tb[IFA_ADDRESS])))
		return -EINVAL;
	if (ifa.ifa_index > NL_IFINDEX_MAX ||
	    netif_link_get((int)ifa.ifa_index, &link))
		return -ENODEV;
	err = netif_addr_get(link.index, &cur);
	if (del) {
		uint32_t mask = cur.prefixlen ?
			lwip_htonl(0xffffffffu << (32 - cur.prefixlen)) : 0;

		if (err ||
		    (at.tb[IFA_LOCAL] && local != cur.local) ||
		    (at.tb[IFA_LABEL] && !attr_is(at.tb[IFA_LABEL], link.name)) ||
		    (at.tb[IFA_ADDRESS] &&
		     (ifa.ifa_prefixlen != cur.prefixlen ||
		      ((address ^ cur.local) & mask))))
			return -EADDRNOTAVAIL;
		return netif_addr_set(link.index, &want);
	}
	if (!err) {
		if (cur.local != local || cur.prefixlen != ifa.ifa_prefixlen)
			return -EOPNOTSUPP;	/* one address per interface */
		if ((req->nlmsg_flags & NLM_F_EXCL) ||
		    !(req->nlmsg_flags & NLM_F_REPLACE))
			return -EEXIST;
	}
	want.local = local;
	want.prefixlen = ifa.ifa_prefixlen;
	return netif_addr_set(link.index, &want);
}

/* An RTM_NEWROUTE message (Linux's fib_dump_info). */
static void route_fill(struct nl_msg *m, struct nl_sock *ns,
		       const struct nlmsghdr *req, const struct netif_route *r)
{
	struct rtmsg *rtm;

	rtm = msg_start(m, ns, req, RTM_NEWROUTE, NLM_F_MULTI, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = (uint8_t)r->dst_len;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = r->protocol;
	rtm->rtm_scope = r->scope;
	rtm->rtm_type = r->type;
	rtm->rtm_flags = r->onlink ? RTNH_F_ONLINK : 0;
	msg_u32(m, RTA_TABLE, RT_TABLE_MAIN);
	if (r->dst_len)
		msg_u32(m, RTA_DST, r->dst);
	if (r->metric)
		msg_u32(m, RTA_PRIORITY, (uint32_t)r->metric);
	if (r->prefsrc)
		msg_u32(m, RTA_PREFSRC, r->prefsrc);
	if (r->gw)
		msg_u32(m, RTA_GATEWAY, r->gw);
	if (r->index)
		msg_u32(m, RTA_OIF, (uint32_t)r->index);
}

/* An IPv6 RTM_NEWROUTE message (Linux's rt6_fill_node). */
static void route6_fill(struct nl_msg *m, struct nl_sock *ns,
			const struct nlmsghdr *req,
			const struct netif_route6 *r)
{
	static const uint8_t none[16];
	struct rta_cacheinfo ci = {
		.rta_expires = (int32_t)MIN(r->expires, 0x7fffffffu / 100) * 100,
	};
	struct rtmsg *rtm;
	uint8_t pref = 0;	/* ICMPV6_ROUTER_PREF_MEDIUM */

	rtm = msg_start(m, ns, req, RTM_NEWROUTE, NLM_F_MULTI, sizeof(*rtm));
	rtm->rtm_family = AF_INET6;
	rtm->rtm_dst_len = (uint8_t)r->dst_len;
	rtm->rtm_table = r->table;
	rtm->rtm_protocol = r->protocol;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = r->type;
	msg_u32(m, RTA_TABLE, r->table);
	if (r->dst_len)
		msg_attr(m, RTA_DST, r->dst, sizeof(r->dst));
	if (memcmp(r->gw, none, sizeof(none)))
		msg_attr(m, RTA_GATEWAY, r->gw, sizeof(r->gw));
	msg_u32(m, RTA_OIF, (uint32_t)r->index);
	msg_u32(m, RTA_PRIORITY, r->metric);
	msg_attr(m, RTA_CACHEINFO, &ci, sizeof(ci));
	msg_attr(m, RTA_PREF, &pref, sizeof(pref));
}

/* RTM_GETROUTE's dump: IPv4's main table, then IPv6's tables. */
static int route_dump(struct nl_sock *ns, const struct nlmsghdr *req)
{
	uint8_t family = ((const uint8_t *)req)[NLMSG_HDRLEN];
	struct netif_route6 r6;
	struct netif_route r;
	struct nl_batch b;
	struct nl_msg m;
	int err = batch_init(&b, ns);

	if (err)
		return err;
	for (unsigned i = 0; family != AF_INET6 && !err &&
	     !netif_route_get(i, &r); i++) {
		if (family != AF_UNSPEC && family != AF_INET)
			break;
		route_fill(&m, ns, req, &r);
		err = batch_add(&b, &m);
	}
	for (unsigned i = 0; (family == AF_UNSPEC || family == AF_INET6) &&
	     !err && !netif_route6_get(i, &r6); i++) {
		route6_fill(&m, ns, req, &r6);
		err = batch_add(&b, &m);
	}
	return batch_done(&b, req, err);
}

/* RTM_NEWROUTE and RTM_DELROUTE (rtm_to_fib_config, then the table). */
static int route_change(const struct nlmsghdr *req)
{
	bool del = req->nlmsg_type == RTM_DELROUTE;
	struct netif_route r = { 0 };
	uint32_t table, oif = 0, prio = 0;
	struct nl_attrs at;
	struct rtmsg rtm;
	int err;

	if (req->nlmsg_len < NLMSG_LENGTH(sizeof(rtm)))
		return -EINVAL;
	memcpy(&rtm, (const uint8_t *)req + NLMSG_HDRLEN, sizeof(rtm));
	parse_attrs(req, sizeof(rtm), &at);
	if (rtm.rtm_type > RTN_MAX)
		return -EINVAL;
	table = rtm.rtm_table;
	if ((err = attr_u32(&at, RTA_TABLE, &table)) ||
	    (err = attr_u32(&at, RTA_DST, &r.dst)) ||
	    (err = attr_u32(&at, RTA_GATEWAY, &r.gw)) ||
	    (err = attr_u32(&at, RTA_OIF, &oif)) ||
	    (err = attr_u32(&at, RTA_PRIORITY, &prio)) ||
	    (err = attr_u32(&at, RTA_PREFSRC, &r.prefsrc)))
		return err;
	if (table != RT_TABLE_UNSPEC && table != RT_TABLE_MAIN)
		return del ? -ESRCH : -EOPNOTSUPP;
	if (rtm.rtm_dst_len > 32)
		return -EINVAL;
	r.dst_len = rtm.rtm_dst_len;
	r.metric = (int32_t)prio;
	r.index = (int)oif;
	r.protocol = rtm.rtm_protocol;
	r.scope = rtm.rtm_scope;
	r.type = rtm.rtm_type;
	r.onlink = rtm.rtm_flags & RTNH_F_ONLINK;
	if (del)
		return netif_route_del(&r);
	if (r.type != RTN_UNICAST && r.type != RTN_UNREACHABLE)
		return r.type == RTN_UNSPEC ? -EINVAL : -EOPNOTSUPP;
	if (r.prefsrc || at.tb[RTA_METRICS] || at.tb[RTA_MULTIPATH])
		return -EOPNOTSUPP;
	if (r.scope == RT_SCOPE_HOST && r.gw)
		return -EINVAL;
	return netif_route_add(&r, req->nlmsg_flags);
}

/*
 * One rtnetlink request (Linux's rtnetlink_rcv_msg): 0 or -errno for
 * the acknowledgement, NL_DUMPED when a dump answered it.
 */
static int rtnl_msg(struct nl_sock *ns, const struct nlmsghdr *req)
{
	uint16_t type = req->nlmsg_type;
	bool dump = req->nlmsg_flags & NLM_F_DUMP;

	if (type > RTM_MAX)
		return -EOPNOTSUPP;
	if (req->nlmsg_len < NLMSG_LENGTH(sizeof(struct rtgenmsg)))
		return 0;
	if (((type - RTM_BASE) & 3) != 2 && !nl_capable())
		return -EPERM;
	switch (type) {
	case RTM_GETLINK:
		return dump ? link_dump(ns, req) : link_get(ns, req);
	case RTM_NEWLINK:
	case RTM_SETLINK:
		return link_set(req);
	case RTM_GETADDR:
		return dump ? addr_dump(ns, req) : -EOPNOTSUPP;
	case RTM_GETROUTE:
		return dump ? route_dump(ns, req) : -EOPNOTSUPP;
	}
	if (((const uint8_t *)req)[NLMSG_HDRLEN] != AF_INET)
		return -EOPNOTSUPP;	/* no other family has these */
	switch (type) {
	case RTM_NEWADDR:
	case RTM_DELADDR:
		return addr_change(req);
	case RTM_NEWROUTE:
	case RTM_DELROUTE:
		return route_change(req);
	default:
		return -EOPNOTSUPP;
	}
}

/*
 * NETLINK_ROUTE's input (Linux's netlink_rcv_skb): each request in
 * turn, an acknowledgement for an error or an NLM_F_ACK; a malformed
 * header ends the datagram quietly.
 */
void rtnl_input(struct nl_sock *ns, const uint8_t *data, size_t len)
{
	while (len >= NLMSG_HDRLEN) {
		const struct nlmsghdr *h = (const struct nlmsghdr *)data;
		size_t step;
		int err = 0;

		if (h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > len)
			return;
		if ((h->nlmsg_flags & NLM_F_REQUEST) &&
		    h->nlmsg_type >= NLMSG_MIN_TYPE)
			err = rtnl_msg(ns, h);
		if (err != NL_DUMPED && (err || (h->nlmsg_flags & NLM_F_ACK)))
			nl_ack(ns, h, err);
		step = MIN((size_t)NLMSG_ALIGN(h->nlmsg_len), len);
		data += step;
		len -= step;
	}
}

