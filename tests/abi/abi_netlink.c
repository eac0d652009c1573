/* abi_netlink.c - AF_NETLINK NETLINK_ROUTE on lo: creation errors, sockaddr_nl port ids (autobind to the pid, EADDRINUSE), link dumps and gets with their layout, MSG_PEEK|MSG_TRUNC sizes, NLMSG_ERROR acknowledgements with the request's seq and errno (ENODEV, EADDRNOTAVAIL, EEXIST, ESRCH, EINVAL, ENETUNREACH, EOPNOTSUPP), an address removed and put back, a route added, dumped and deleted. */
#include "check.h"
#include "net_util.h"
#include <arpa/inet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

/* musl has no <linux/netlink.h>: Linux's values, written out. */
#define NETLINK_ROUTE	0
#define MAX_LINKS	32
struct sockaddr_nl {
	unsigned short nl_family, nl_pad;
	unsigned nl_pid, nl_groups;
};
struct nlmsghdr {
	unsigned nlmsg_len;
	unsigned short nlmsg_type, nlmsg_flags;
	unsigned nlmsg_seq, nlmsg_pid;
};
struct nlmsgerr {
	int error;
	struct nlmsghdr msg;
};
struct rtattr {
	unsigned short rta_len, rta_type;
};
struct rtgenmsg {
	unsigned char rtgen_family;
};
struct ifinfomsg {
	unsigned char ifi_family, ifi_pad;
	unsigned short ifi_type;
	int ifi_index;
	unsigned ifi_flags, ifi_change;
};
struct ifaddrmsg {
	unsigned char ifa_family, ifa_prefixlen, ifa_flags, ifa_scope;
	unsigned ifa_index;
};
struct rtmsg {
	unsigned char rtm_family, rtm_dst_len, rtm_src_len, rtm_tos;
	unsigned char rtm_table, rtm_protocol, rtm_scope, rtm_type;
	unsigned rtm_flags;
};
#define NLM_F_REQUEST	0x01
#define NLM_F_MULTI	0x02
#define NLM_F_ACK	0x04
#define NLM_F_DUMP	0x300
#define NLM_F_EXCL	0x200
#define NLM_F_CREATE	0x400
#define NLM_F_CAPPED	0x100
#define NLMSG_NOOP	1
#define NLMSG_ERROR	2
#define NLMSG_DONE	3
#define NLMSG_ALIGN(len)	(((len) + 3u) & ~3u)
#define NLMSG_HDRLEN	((int)NLMSG_ALIGN(sizeof(struct nlmsghdr)))
#define NLMSG_LENGTH(len)	((len) + NLMSG_HDRLEN)
#define NLMSG_DATA(h)	((void *)((char *)(h) + NLMSG_HDRLEN))
#define NLMSG_OK(h, len)	((len) >= (int)sizeof(struct nlmsghdr) && \
	(h)->nlmsg_len >= sizeof(struct nlmsghdr) && (h)->nlmsg_len <= (unsigned)(len))
#define NLMSG_NEXT(h, len)	((len) -= NLMSG_ALIGN((h)->nlmsg_len), \
	(struct nlmsghdr *)((char *)(h) + NLMSG_ALIGN((h)->nlmsg_len)))
#define RTA_ALIGN(len)	(((len) + 3u) & ~3u)
#define RTA_LENGTH(len)	(RTA_ALIGN(sizeof(struct rtattr)) + (len))
#define RTA_DATA(a)	((void *)((char *)(a) + RTA_LENGTH(0)))
#define RTA_PAYLOAD(a)	((int)(a)->rta_len - (int)RTA_LENGTH(0))
#define RTA_OK(a, len)	((len) >= (int)sizeof(struct rtattr) && \
	(a)->rta_len >= sizeof(struct rtattr) && (a)->rta_len <= (unsigned)(len))
#define RTA_NEXT(a, len)	((len) -= RTA_ALIGN((a)->rta_len), \
	(struct rtattr *)((char *)(a) + RTA_ALIGN((a)->rta_len)))
#define RTM_NEWLINK	16
#define RTM_GETLINK	18
#define RTM_NEWADDR	20
#define RTM_DELADDR	21
#define RTM_GETADDR	22
#define RTM_NEWROUTE	24
#define RTM_DELROUTE	25
#define RTM_GETROUTE	26
#define IFLA_ADDRESS	1
#define IFLA_IFNAME	3
#define IFLA_MTU	4
#define IFA_ADDRESS	1
#define IFA_LOCAL	2
#define RTA_DST		1
#define RTA_OIF		4
#define RTA_GATEWAY	5
#define RT_TABLE_MAIN	254
#define RTPROT_BOOT	3
#define RT_SCOPE_UNIVERSE	0
#define RT_SCOPE_LINK	253
#define RT_SCOPE_HOST	254
#define RT_SCOPE_NOWHERE	255
#define RTN_UNICAST	1

static unsigned seq = 100;
static unsigned myport;
static char buf[16384] __attribute__((aligned(8)));

/* A request under construction. */
struct req {
	struct nlmsghdr n;
	char data[1024];
} __attribute__((aligned(8)));

static void req_init(struct req *r, int type, int flags, const void *hdr,
		     size_t len)
{
	memset(r, 0, sizeof(*r));
	r->n.nlmsg_len = NLMSG_LENGTH(len);
	r->n.nlmsg_type = (unsigned short)type;
	r->n.nlmsg_flags = (unsigned short)(NLM_F_REQUEST | flags);
	r->n.nlmsg_seq = ++seq;
	memcpy(NLMSG_DATA(&r->n), hdr, len);
}

static void req_attr(struct req *r, int type, const void *data, size_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)r + NLMSG_ALIGN(r->n.nlmsg_len));

	a->rta_type = (unsigned short)type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(a), data, len);
	r->n.nlmsg_len = NLMSG_ALIGN(r->n.nlmsg_len) + RTA_ALIGN(a->rta_len);
}

static void req_u32(struct req *r, int type, unsigned v)
{
	req_attr(r, type, &v, 4);
}

static int send_req(int fd, struct req *r)
{
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };

	return (int)sendto(fd, r, r->n.nlmsg_len, 0, (struct sockaddr *)&to,
			   sizeof(to));
}

/* The next datagram (nonblocking): its length, or -1. */
static int recv_one(int fd)
{
	struct sockaddr_nl from;
	socklen_t fl = sizeof(from);

	return (int)recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
			     (struct sockaddr *)&from, &fl);
}

/* Send @r and read its NLMSG_ERROR: the error (0 for an ack), or 1. */
static int talk(int fd, struct req *r)
{
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	struct nlmsgerr *e = NLMSG_DATA(h);

	if (send_req(fd, r) < 0)
		return 1000 + errno;
	if (recv_one(fd) < (int)NLMSG_LENGTH(sizeof(*e)) ||
	    h->nlmsg_type != NLMSG_ERROR || h->nlmsg_seq != r->n.nlmsg_seq ||
	    h->nlmsg_pid != myport)
		return 1;
	return e->error;
}

static int nl_open(void)
{
	return socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
}

static void test_sockets(void)
{
	struct sockaddr_nl sa;
	socklen_t len = sizeof(sa);
	int fd, fd2, fd3;

	CHECK_ERR("SOCK_STREAM: ESOCKTNOSUPPORT",
		  socket(AF_NETLINK, SOCK_STREAM, NETLINK_ROUTE), ESOCKTNOSUPPORT);
	CHECK_ERR("protocol MAX_LINKS: EPROTONOSUPPORT",
		  socket(AF_NETLINK, SOCK_RAW, MAX_LINKS), EPROTONOSUPPORT);
	fd = socket(AF_NETLINK, SOCK_DGRAM, NETLINK_ROUTE);
	CHECK_OK("SOCK_DGRAM NETLINK_ROUTE", fd);
	memset(&sa, 0xff, sizeof(sa));
	CHECK_OK("getsockname unbound", getsockname(fd, (struct sockaddr *)&sa, &len));
	CHECK_EQ("getsockname length 12", len, 12);
	CHECK_EQ("getsockname family", sa.nl_family, AF_NETLINK);
	CHECK_EQ("unbound: port 0", sa.nl_pid, 0);
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	CHECK_ERR("bind short address: EINVAL",
		  bind(fd, (struct sockaddr *)&sa, 8), EINVAL);
	sa.nl_family = AF_INET;
	CHECK_ERR("bind AF_INET address: EINVAL",
		  bind(fd, (struct sockaddr *)&sa, sizeof(sa)), EINVAL);
	sa.nl_family = AF_NETLINK;
	CHECK_OK("bind port 0", bind(fd, (struct sockaddr *)&sa, sizeof(sa)));
	len = sizeof(sa);
	getsockname(fd, (struct sockaddr *)&sa, &len);
	CHECK_EQ("first socket's port is the pid", sa.nl_pid, getpid());
	fd2 = nl_open();
	sa.nl_pid = 0;
	CHECK_OK("second socket bind", bind(fd2, (struct sockaddr *)&sa, sizeof(sa)));
	len = sizeof(sa);
	getsockname(fd2, (struct sockaddr *)&sa, &len);
	CHECK("second socket's port is negative", (int)sa.nl_pid < 0);
	fd3 = nl_open();
	sa.nl_pid = (unsigned)getpid();
	CHECK_ERR("bind a taken port: EADDRINUSE",
		  bind(fd3, (struct sockaddr *)&sa, sizeof(sa)), EADDRINUSE);
	close(fd3);
	close(fd2);
	close(fd);
}

/* Bring lo up as the other tests do (down at boot on both kernels). */
/* Find attribute @type in the attributes of message @h after @hdrlen. */
static struct rtattr *find_attr(struct nlmsghdr *h, size_t hdrlen, int type)
{
	struct rtattr *a = (struct rtattr *)((char *)NLMSG_DATA(h) + NLMSG_ALIGN(hdrlen));
	int len = (int)h->nlmsg_len - NLMSG_LENGTH(NLMSG_ALIGN(hdrlen));

	for (; RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type == type)
			return a;
	return NULL;
}

static void test_links(int fd)
{
	struct rtgenmsg g = { .rtgen_family = AF_UNSPEC };
	struct ifinfomsg ifi = { 0 };
	struct nlmsghdr *h;
	struct req r;
	int n, peek, found = 0, done = 0, multi = 1, i;
	struct sockaddr_nl from;
	socklen_t fl = sizeof(from);
	struct pollfd p = { .fd = fd, .events = POLLIN };

	req_init(&r, RTM_GETLINK, NLM_F_DUMP, &g, sizeof(g));
	CHECK_EQ("send dump request", send_req(fd, &r), r.n.nlmsg_len);
	CHECK_EQ("poll: readable", poll(&p, 1, 1000), 1);
	peek = (int)recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
	CHECK("MSG_PEEK|MSG_TRUNC gives the size", peek > (int)NLMSG_LENGTH(sizeof(ifi)));
	n = (int)recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
			  (struct sockaddr *)&from, &fl);
	CHECK_EQ("the peeked datagram comes whole", n, peek);
	CHECK_EQ("sender address length", fl, sizeof(from));
	CHECK_EQ("sender is the kernel (port 0)", from.nl_pid, 0);
	for (i = 0; i < 8 && !done && n > 0; i++) {
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			struct ifinfomsg *m = NLMSG_DATA(h);
			struct rtattr *a;

			if (h->nlmsg_seq != r.n.nlmsg_seq || h->nlmsg_pid != myport ||
			    !(h->nlmsg_flags & NLM_F_MULTI))
				multi = 0;
			if (h->nlmsg_type == NLMSG_DONE) {
				done = 1;
				break;
			}
			if (h->nlmsg_type != RTM_NEWLINK || m->ifi_index != 1)
				continue;
			found = 1;
			CHECK_EQ("lo: ARPHRD_LOOPBACK", m->ifi_type, ARPHRD_LOOPBACK);
			CHECK("lo: IFF_UP|IFF_LOOPBACK",
			      (m->ifi_flags & (IFF_UP | IFF_LOOPBACK)) == (IFF_UP | IFF_LOOPBACK));
			a = find_attr(h, sizeof(*m), IFLA_IFNAME);
			CHECK_STR("lo: IFLA_IFNAME", a ? (char *)RTA_DATA(a) : NULL, "lo");
			a = find_attr(h, sizeof(*m), IFLA_MTU);
			CHECK_EQ("lo: IFLA_MTU", a ? *(unsigned *)RTA_DATA(a) : 0, 65536);
			a = find_attr(h, sizeof(*m), IFLA_ADDRESS);
			CHECK_EQ("lo: IFLA_ADDRESS is 6 bytes", a ? RTA_PAYLOAD(a) : 0, 6);
		}
		if (!done)
			n = recv_one(fd);
	}
	CHECK("dump has lo with ifindex 1", found);
	CHECK("dump messages: NLM_F_MULTI, seq and port", multi);
	CHECK("dump ends with NLMSG_DONE", done);

	ifi.ifi_index = 1;
	req_init(&r, RTM_GETLINK, 0, &ifi, sizeof(ifi));
	send_req(fd, &r);
	n = recv_one(fd);
	h = (struct nlmsghdr *)buf;
	CHECK("get link 1: one RTM_NEWLINK",
	      n > 0 && h->nlmsg_type == RTM_NEWLINK && h->nlmsg_flags == 0 &&
	      h->nlmsg_seq == r.n.nlmsg_seq);
	ifi.ifi_index = 0;
	req_init(&r, RTM_GETLINK, 0, &ifi, sizeof(ifi));
	req_attr(&r, IFLA_IFNAME, "lo", 3);
	send_req(fd, &r);
	n = recv_one(fd);
	CHECK("get link by IFLA_IFNAME lo",
	      n > 0 && h->nlmsg_type == RTM_NEWLINK &&
	      ((struct ifinfomsg *)NLMSG_DATA(h))->ifi_index == 1);
	ifi.ifi_index = 9999;
	req_init(&r, RTM_GETLINK, 0, &ifi, sizeof(ifi));
	n = talk(fd, &r);
	CHECK_EQ("get link 9999: ENODEV", n, -ENODEV);
	CHECK_EQ("error echoes the whole request",
		 h->nlmsg_len, NLMSG_LENGTH(sizeof(int)) + r.n.nlmsg_len);
	CHECK_EQ("error: no NLM_F_CAPPED", h->nlmsg_flags, 0);
	req_init(&r, RTM_GETLINK, 0, &ifi, 4);
	CHECK_EQ("get link, short ifinfomsg: EINVAL", talk(fd, &r), -EINVAL);
	req_init(&r, 200, NLM_F_ACK, &ifi, sizeof(ifi));
	CHECK_EQ("type 200: EOPNOTSUPP", talk(fd, &r), -EOPNOTSUPP);
	req_init(&r, NLMSG_NOOP, NLM_F_ACK, &ifi, sizeof(ifi));
	CHECK_EQ("NLMSG_NOOP with NLM_F_ACK: acked", talk(fd, &r), 0);
	CHECK_EQ("ack: NLM_F_CAPPED", h->nlmsg_flags, NLM_F_CAPPED);
	CHECK_EQ("ack: header only", h->nlmsg_len, NLMSG_LENGTH(sizeof(struct nlmsgerr)));
	CHECK_ERR("nothing more queued", recv_one(fd), EAGAIN);
}

static void addr_req(struct req *r, int type, int flags, unsigned addr, int plen)
{
	struct ifaddrmsg ifa = { .ifa_family = AF_INET, .ifa_prefixlen = (unsigned char)plen,
				 .ifa_scope = RT_SCOPE_HOST, .ifa_index = 1 };

	req_init(r, type, NLM_F_ACK | flags, &ifa, sizeof(ifa));
	req_u32(r, IFA_LOCAL, addr);
	req_u32(r, IFA_ADDRESS, addr);
}

/* Does an address dump list @addr/@plen on lo? */
static int lo_has_addr(int fd, unsigned addr, int plen)
{
	struct rtgenmsg g = { .rtgen_family = AF_INET };
	struct req r;
	int n, found = 0;

	req_init(&r, RTM_GETADDR, NLM_F_DUMP, &g, sizeof(g));
	send_req(fd, &r);
	while ((n = recv_one(fd)) > 0) {
		struct nlmsghdr *h;

		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			struct ifaddrmsg *m = NLMSG_DATA(h);
			struct rtattr *a;

			if (h->nlmsg_type == NLMSG_DONE)
				return found;
			if (h->nlmsg_type != RTM_NEWADDR || m->ifa_index != 1)
				continue;
			a = find_attr(h, sizeof(*m), IFA_LOCAL);
			if (a && *(unsigned *)RTA_DATA(a) == addr &&
			    m->ifa_prefixlen == plen && m->ifa_family == AF_INET)
				found = 1;
		}
	}
	return found;
}

static void test_addrs(int fd)
{
	unsigned lo1 = inet_addr("127.0.0.1");
	struct req r;

	CHECK("lo up has 127.0.0.1/8", lo_has_addr(fd, lo1, 8));
	addr_req(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, lo1, 8);
	CHECK_EQ("add 127.0.0.1/8 again: EEXIST", talk(fd, &r), -EEXIST);
	addr_req(&r, RTM_NEWADDR, NLM_F_CREATE, lo1, 33);
	CHECK_EQ("prefix 33: EINVAL", talk(fd, &r), -EINVAL);
	addr_req(&r, RTM_DELADDR, 0, lo1, 8);
	CHECK_EQ("delete 127.0.0.1/8", talk(fd, &r), 0);
	CHECK("address gone from the dump", !lo_has_addr(fd, lo1, 8));
	addr_req(&r, RTM_DELADDR, 0, lo1, 8);
	CHECK_EQ("delete again: EADDRNOTAVAIL", talk(fd, &r), -EADDRNOTAVAIL);
	addr_req(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, lo1, 8);
	CHECK_EQ("add 127.0.0.1/8 back", talk(fd, &r), 0);
	CHECK("address back in the dump", lo_has_addr(fd, lo1, 8));
	addr_req(&r, RTM_NEWADDR, NLM_F_CREATE, lo1, 8);
	((struct ifaddrmsg *)NLMSG_DATA(&r.n))->ifa_index = 9999;
	CHECK_EQ("add on ifindex 9999: ENODEV", talk(fd, &r), -ENODEV);
}

static void route_req(struct req *r, int type, int flags, const char *dst,
		      int plen, const char *gw, int oif)
{
	struct rtmsg rtm = { .rtm_family = AF_INET, .rtm_dst_len = (unsigned char)plen,
			     .rtm_table = RT_TABLE_MAIN, .rtm_protocol = RTPROT_BOOT,
			     .rtm_scope = gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK,
			     .rtm_type = RTN_UNICAST };

	if (type == RTM_DELROUTE) {
		rtm.rtm_protocol = 0;
		rtm.rtm_scope = RT_SCOPE_NOWHERE;
	}
	req_init(r, type, NLM_F_ACK | flags, &rtm, sizeof(rtm));
	req_u32(r, RTA_DST, inet_addr(dst));
	if (gw)
		req_u32(r, RTA_GATEWAY, inet_addr(gw));
	if (oif)
		req_u32(r, RTA_OIF, (unsigned)oif);
}

/* Does a route dump list @dst/@plen through ifindex @oif in main? */
static int has_route(int fd, const char *dst, int plen, int oif)
{
	struct rtgenmsg g = { .rtgen_family = AF_INET };
	struct req r;
	int n, found = 0;

	req_init(&r, RTM_GETROUTE, NLM_F_DUMP, &g, sizeof(g));
	send_req(fd, &r);
	while ((n = recv_one(fd)) > 0) {
		struct nlmsghdr *h;

		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			struct rtmsg *m = NLMSG_DATA(h);
			struct rtattr *d, *o;

			if (h->nlmsg_type == NLMSG_DONE)
				return found;
			if (h->nlmsg_type != RTM_NEWROUTE || m->rtm_table != RT_TABLE_MAIN)
				continue;
			d = find_attr(h, sizeof(*m), RTA_DST);
			o = find_attr(h, sizeof(*m), RTA_OIF);
			if (d && o && *(unsigned *)RTA_DATA(d) == inet_addr(dst) &&
			    m->rtm_dst_len == plen && *(int *)RTA_DATA(o) == oif &&
			    m->rtm_type == RTN_UNICAST)
				found = 1;
		}
	}
	return found;
}

static void test_routes(int fd)
{
	struct req r;

	route_req(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, "10.99.0.0", 16, NULL, 1);
	CHECK_EQ("add 10.99.0.0/16 dev lo", talk(fd, &r), 0);
	CHECK("route in the dump", has_route(fd, "10.99.0.0", 16, 1));
	route_req(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, "10.99.0.0", 16, NULL, 1);
	CHECK_EQ("add it again (NLM_F_EXCL): EEXIST", talk(fd, &r), -EEXIST);
	route_req(&r, RTM_DELROUTE, 0, "10.99.0.0", 16, NULL, 1);
	CHECK_EQ("delete it", talk(fd, &r), 0);
	CHECK("route gone from the dump", !has_route(fd, "10.99.0.0", 16, 1));
	route_req(&r, RTM_DELROUTE, 0, "10.99.0.0", 16, NULL, 1);
	CHECK_EQ("delete again: ESRCH", talk(fd, &r), -ESRCH);
	route_req(&r, RTM_NEWROUTE, NLM_F_CREATE, "10.99.1.0", 8, NULL, 1);
	CHECK_EQ("host bits beyond the prefix: EINVAL", talk(fd, &r), -EINVAL);
	route_req(&r, RTM_NEWROUTE, NLM_F_CREATE, "10.99.0.0", 33, NULL, 1);
	CHECK_EQ("prefix 33: EINVAL", talk(fd, &r), -EINVAL);
	route_req(&r, RTM_NEWROUTE, NLM_F_CREATE, "10.99.0.0", 16, NULL, 9999);
	CHECK_EQ("dev 9999: ENODEV", talk(fd, &r), -ENODEV);
	route_req(&r, RTM_NEWROUTE, NLM_F_CREATE, "10.99.0.0", 16, "10.200.0.1", 0);
	CHECK_EQ("gateway on no subnet: ENETUNREACH", talk(fd, &r), -ENETUNREACH);
}

int main(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	socklen_t len = sizeof(sa);
	int fd;

	TEST_BEGIN("abi_netlink");
	test_sockets();
	lo_up();
	fd = nl_open();
	CHECK_OK("socket NETLINK_ROUTE", fd);
	CHECK_OK("bind", bind(fd, (struct sockaddr *)&sa, sizeof(sa)));
	getsockname(fd, (struct sockaddr *)&sa, &len);
	myport = sa.nl_pid;
	test_links(fd);
	test_addrs(fd);
	test_routes(fd);
	close(fd);
	return TEST_END();
}
