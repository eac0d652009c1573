/* abi_inet6.c - AF_INET6 sockets on loopback: ::1 on lo (/proc/net/if_inet6), socket/bind/connect errno for short and wrong-family addresses, TCP and UDP over ::1 with their names, a dual-stack [::] listener reached over 127.0.0.1 (the peer ::ffff:127.0.0.1), IPV6_V6ONLY refusing it, bind conflicts between [::], ::1 and 127.0.0.1 with and without SO_REUSEADDR, v4-mapped connects, IPPROTO_IPV6 options, /proc/net/tcp6 and udp6, the RTM_GETADDR dump of AF_INET6. */
#include "check.h"
#include "net_util.h"
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#define T "abi_inet6"

/* musl has no <linux/netlink.h>: the few values of Linux's used here. */
#define NETLINK_ROUTE	0
struct nlmsghdr {
	unsigned nlmsg_len;
	unsigned short nlmsg_type, nlmsg_flags;
	unsigned nlmsg_seq, nlmsg_pid;
};
struct rtattr {
	unsigned short rta_len, rta_type;
};
struct ifaddrmsg {
	unsigned char ifa_family, ifa_prefixlen, ifa_flags, ifa_scope;
	unsigned ifa_index;
};
#define NLM_F_REQUEST	0x01
#define NLM_F_DUMP	0x300
#define NLMSG_ERROR	2
#define NLMSG_DONE	3
#define RTM_GETADDR	22
#define IFA_ADDRESS	1
#define RT_SCOPE_HOST	254
#define NLMSG_ALIGN(len)	(((len) + 3u) & ~3u)
#define NLMSG_HDRLEN	((int)NLMSG_ALIGN(sizeof(struct nlmsghdr)))
#define NLMSG_DATA(h)	((void *)((char *)(h) + NLMSG_HDRLEN))
#define NLMSG_OK(h, len)	((len) >= (int)sizeof(struct nlmsghdr) && \
	(h)->nlmsg_len >= sizeof(struct nlmsghdr) && \
	(h)->nlmsg_len <= (unsigned)(len))
#define NLMSG_NEXT(h, len)	((len) -= NLMSG_ALIGN((h)->nlmsg_len), \
	(struct nlmsghdr *)((char *)(h) + NLMSG_ALIGN((h)->nlmsg_len)))
#define RTA_ALIGN(len)	(((len) + 3u) & ~3u)
#define RTA_DATA(a)	((void *)((char *)(a) + RTA_ALIGN(sizeof(struct rtattr))))
#define RTA_PAYLOAD(a)	((int)(a)->rta_len - (int)RTA_ALIGN(sizeof(struct rtattr)))
#define RTA_OK(a, len)	((len) >= (int)sizeof(struct rtattr) && \
	(a)->rta_len >= sizeof(struct rtattr) && \
	(a)->rta_len <= (unsigned)(len))
#define RTA_NEXT(a, len)	((len) -= RTA_ALIGN((a)->rta_len), \
	(struct rtattr *)((char *)(a) + RTA_ALIGN((a)->rta_len)))
#define IFA_RTA(ifa)	((struct rtattr *)((char *)(ifa) + \
	NLMSG_ALIGN(sizeof(struct ifaddrmsg))))
#define IFA_PAYLOAD(h)	((int)(h)->nlmsg_len - NLMSG_HDRLEN - \
	(int)NLMSG_ALIGN(sizeof(struct ifaddrmsg)))
#define SA(p) ((struct sockaddr *)(p))
/* RFC 2133's sockaddr_in6, without sin6_scope_id: the least Linux takes. */
#define SIN6_LEN_RFC2133 24

static struct sockaddr_in6 sin6(const char *addr, uint16_t port)
{
	struct sockaddr_in6 a;

	memset(&a, 0, sizeof(a));
	a.sin6_family = AF_INET6;
	inet_pton(AF_INET6, addr, &a.sin6_addr);
	a.sin6_port = htons(port);
	return a;
}

static struct sockaddr_in sin4(uint16_t port)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons(port);
	return a;
}

/* Is @a the address @text (and, unless 0, the port @port)? */
static int is_addr(const struct sockaddr_in6 *a, const char *text,
		   uint16_t port)
{
	struct in6_addr want;

	inet_pton(AF_INET6, text, &want);
	return a->sin6_family == AF_INET6 &&
	       !memcmp(&a->sin6_addr, &want, sizeof(want)) &&
	       (!port || ntohs(a->sin6_port) == port);
}

static uint16_t port_of(int fd)
{
	struct sockaddr_in6 a;
	socklen_t len = sizeof(a);

	memset(&a, 0, sizeof(a));
	if (getsockname(fd, SA(&a), &len) < 0)
		return 0;
	return a.sin6_family == AF_INET6 ? ntohs(a.sin6_port) :
		ntohs(((struct sockaddr_in *)&a)->sin_port);
}

/* A TCP listener of AF_INET6 on @addr at an ephemeral port, or -1. */
static int listener6(const char *addr, int v6only, uint16_t *port)
{
	struct sockaddr_in6 a = sin6(addr, 0);
	int l = socket(AF_INET6, SOCK_STREAM, 0);

	if (l < 0)
		return -1;
	if ((v6only >= 0 && setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY,
				       &v6only, sizeof(v6only)) < 0) ||
	    bind(l, SA(&a), sizeof(a)) < 0 || listen(l, 4) < 0) {
		close(l);
		return -1;
	}
	*port = port_of(l);
	return l;
}

/* Does /proc/net/@file have a line containing @needle? */
static int proc_has(const char *file, const char *needle)
{
	char path[64], buf[16384];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/net/%s", file);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	return strstr(buf, needle) != NULL;
}

/* lo up, and ::1 on it. */
static void lo_up6(void)
{
	lo_up();
	CHECK("if_inet6 has ::1 on lo",
	      proc_has("if_inet6", "00000000000000000000000000000001 01 80 "
		       "10 80       lo"));
}

/*
 * RTM_GETADDR dump of AF_INET6 (ip -6 addr): ::1/128 on lo, scope host,
 * and no IPv4 address in it.
 */
static void test_netlink(void)
{
	struct {
		struct nlmsghdr h;
		struct ifaddrmsg ifa;
	} req;
	static char buf[16384];
	int s = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE), lo = 0, v4 = 0;
	int done = 0;
	struct in6_addr one;

	inet_pton(AF_INET6, "::1", &one);
	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = sizeof(req);
	req.h.nlmsg_type = RTM_GETADDR;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.h.nlmsg_seq = 1;
	req.ifa.ifa_family = AF_INET6;
	CHECK_OK("RTM_GETADDR AF_INET6 dump", send(s, &req, sizeof(req), 0));
	while (!done) {
		ssize_t n = recv(s, buf, sizeof(buf), 0);
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		if (n <= 0)
			break;
		for (; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			struct ifaddrmsg *ifa = NLMSG_DATA(h);
			struct rtattr *a = IFA_RTA(ifa);
			int len = IFA_PAYLOAD(h);

			if (h->nlmsg_type == NLMSG_DONE ||
			    h->nlmsg_type == NLMSG_ERROR) {
				done = 1;
				break;
			}
			if (ifa->ifa_family != AF_INET6) {
				v4++;
				continue;
			}
			for (; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
				if (a->rta_type == IFA_ADDRESS &&
				    RTA_PAYLOAD(a) == 16 &&
				    !memcmp(RTA_DATA(a), &one, 16) &&
				    ifa->ifa_prefixlen == 128 &&
				    ifa->ifa_scope == RT_SCOPE_HOST &&
				    ifa->ifa_index == if_nametoindex("lo"))
					lo++;
			}
		}
	}
	CHECK("dump ends in NLMSG_DONE", done);
	CHECK_EQ("::1/128 scope host on lo, once", lo, 1);
	CHECK_EQ("no other family in the dump", v4, 0);
	close(s);
}

static void test_create(void)
{
	int fd;

	fd = socket(AF_INET6, SOCK_STREAM, 0);
	CHECK_OK("socket AF_INET6 SOCK_STREAM", fd);
	close(fd);
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	CHECK_OK("socket AF_INET6 SOCK_DGRAM", fd);
	close(fd);
	fd = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
	CHECK_OK("socket AF_INET6 SOCK_STREAM IPPROTO_TCP", fd);
	close(fd);
	CHECK_SERR("socket AF_INET6 SOCK_STREAM IPPROTO_UDP",
		   socket(AF_INET6, SOCK_STREAM, IPPROTO_UDP), EPROTONOSUPPORT);
	CHECK_SERR("socket AF_INET6 SOCK_DGRAM IPPROTO_TCP",
		   socket(AF_INET6, SOCK_DGRAM, IPPROTO_TCP), EPROTONOSUPPORT);
}

static void test_bind_errors(void)
{
	struct sockaddr_in6 a = sin6("::1", 0);
	struct sockaddr_in6 got;
	struct sockaddr_in v4 = sin4(0);
	socklen_t len;
	int s = socket(AF_INET6, SOCK_STREAM, 0), v4s;

	CHECK_SERR("bind short sockaddr_in6 EINVAL",
		   bind(s, SA(&a), SIN6_LEN_RFC2133 - 1), EINVAL);
	CHECK_SERR("bind sockaddr_in EINVAL (too short)",
		   bind(s, SA(&v4), sizeof(v4)), EINVAL);
	a.sin6_family = AF_INET;
	CHECK_SERR("bind AF_INET family EAFNOSUPPORT",
		   bind(s, SA(&a), sizeof(a)), EAFNOSUPPORT);
	a = sin6("2001:db8::1", 0);
	CHECK_SERR("bind foreign address EADDRNOTAVAIL",
		   bind(s, SA(&a), sizeof(a)), EADDRNOTAVAIL);
	a = sin6("::1", 0);
	CHECK_OK("bind [::1]:0 with 24 bytes",
		 bind(s, SA(&a), SIN6_LEN_RFC2133));
	memset(&got, 0, sizeof(got));
	len = sizeof(got);
	CHECK_OK("getsockname", getsockname(s, SA(&got), &len));
	CHECK_EQ("getsockname length", len, sizeof(struct sockaddr_in6));
	CHECK("getsockname ::1", is_addr(&got, "::1", 0));
	CHECK("getsockname ephemeral port", ntohs(got.sin6_port) >= 32768);
	CHECK_SERR("bind twice EINVAL", bind(s, SA(&a), sizeof(a)), EINVAL);
	close(s);

	/* An AF_INET socket takes no sockaddr_in6. */
	v4s = socket(AF_INET, SOCK_STREAM, 0);
	a = sin6("::1", 0);
	CHECK_SERR("AF_INET bind sockaddr_in6 EAFNOSUPPORT",
		   bind(v4s, SA(&a), sizeof(a)), EAFNOSUPPORT);
	close(v4s);

	s = socket(AF_INET6, SOCK_STREAM, 0);
	CHECK_SERR("connect short sockaddr_in6 EINVAL",
		   connect(s, SA(&a), SIN6_LEN_RFC2133 - 1), EINVAL);
	a.sin6_family = AF_INET;
	CHECK_SERR("connect AF_INET family EAFNOSUPPORT",
		   connect(s, SA(&a), sizeof(a)), EAFNOSUPPORT);
	close(s);
}

/* An AF_INET6 socket of @type with SO_REUSEADDR and IPV6_V6ONLY set as
 * given (-1 leaves V6ONLY at its default), or -1. */
static int sock6(int type, int reuse, int v6only)
{
	int s = socket(AF_INET6, type, 0);

	if (s < 0)
		return -1;
	if (setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof(reuse)) < 0 ||
	    (v6only >= 0 && setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &v6only,
				       sizeof(v6only)) < 0)) {
		close(s);
		return -1;
	}
	return s;
}

/* One bind conflict: @second bound after @first on the same port. */
struct bind_case {
	const char *what;
	int type, reuse, v6only;	/* both sockets' */
	const char *first, *second;
	int listen_first;
	int err;			/* the second bind's errno, or 0 */
};

static const struct bind_case bind_cases[] = {
	{ "[::1] on a bound [::] port EADDRINUSE",
	  SOCK_STREAM, 0, -1, "::", "::1", 0, EADDRINUSE },
	{ "[::] on a bound [::1] port EADDRINUSE",
	  SOCK_STREAM, 0, -1, "::1", "::", 0, EADDRINUSE },
	{ "SO_REUSEADDR [::1] beside a bound [::]",
	  SOCK_STREAM, 1, -1, "::", "::1", 0, 0 },
	{ "SO_REUSEADDR [::1] on a listening [::] EADDRINUSE",
	  SOCK_STREAM, 1, -1, "::", "::1", 1, EADDRINUSE },
	{ "a second V6ONLY [::] EADDRINUSE",
	  SOCK_STREAM, 0, 1, "::", "::", 1, EADDRINUSE },
	{ "UDP [::1] on a bound [::] port EADDRINUSE",
	  SOCK_DGRAM, 0, -1, "::", "::1", 0, EADDRINUSE },
	{ "UDP SO_REUSEADDR [::1] beside [::]",
	  SOCK_DGRAM, 1, -1, "::", "::1", 0, 0 },
};

/* Run @c at a fresh port: the first socket's setup is a check too. */
static void bind_case_run(const struct bind_case *c)
{
	struct sockaddr_in6 first = sin6(c->first, 0), second;
	int a = sock6(c->type, c->reuse, c->v6only);
	int b = sock6(c->type, c->reuse, c->v6only);
	int ok = bind(a, SA(&first), sizeof(first)) == 0 &&
		 (!c->listen_first || listen(a, 4) == 0);
	char what[96];

	snprintf(what, sizeof(what), "%s: the first socket", c->what);
	CHECK(what, ok);
	second = sin6(c->second, port_of(a));
	if (c->err)
		CHECK_SERR(c->what, bind(b, SA(&second), sizeof(second)),
			   c->err);
	else
		CHECK_OK(c->what, bind(b, SA(&second), sizeof(second)));
	close(b);
	close(a);
}

/* The wildcard [::] and a specific address share one port space: each
 * holds the port against the other, as Linux's bind conflict rules say,
 * and SO_REUSEADDR lets them share it only while neither listens. */
static void test_bind_conflicts(void)
{
	struct sockaddr_in6 any = sin6("::", 0), one;
	struct sockaddr_in v4 = sin4(0);
	int a, b, c;

	for (size_t i = 0; i < sizeof(bind_cases) / sizeof(bind_cases[0]); i++)
		bind_case_run(&bind_cases[i]);

	a = sock6(SOCK_STREAM, 1, -1);
	b = sock6(SOCK_STREAM, 1, -1);
	CHECK_OK("SO_REUSEADDR bind [::]:0", bind(a, SA(&any), sizeof(any)));
	one = sin6("::1", port_of(a));
	CHECK_OK("SO_REUSEADDR [::1] on its port",
		 bind(b, SA(&one), sizeof(one)));
	CHECK_OK("listen on [::1]", listen(b, 4));
	CHECK_SERR("listen on [::] beside a listening [::1] EADDRINUSE",
		   listen(a, 4), EADDRINUSE);
	close(b);
	close(a);

	/* A V6ONLY wildcard leaves the port's IPv4 half free. */
	a = sock6(SOCK_STREAM, 0, 1);
	CHECK_OK("V6ONLY listen on [::]",
		 bind(a, SA(&any), sizeof(any)) || listen(a, 4));
	v4.sin_port = htons(port_of(a));
	c = socket(AF_INET, SOCK_STREAM, 0);
	CHECK_OK("127.0.0.1 beside a V6ONLY [::]", bind(c, SA(&v4), sizeof(v4)));
	close(c);
	close(a);
}

static void test_tcp(void)
{
	struct sockaddr_in6 a, peer;
	socklen_t len;
	uint16_t port;
	char buf[16];
	int l = listener6("::1", -1, &port), c, s;

	CHECK_OK("listen [::1]", l);
	a = sin6("::1", port);
	c = socket(AF_INET6, SOCK_STREAM, 0);
	CHECK_OK("connect [::1]", connect(c, SA(&a), sizeof(a)));
	memset(&peer, 0, sizeof(peer));
	len = sizeof(peer);
	s = accept(l, SA(&peer), &len);
	CHECK_OK("accept", s);
	CHECK_EQ("accept address length", len, sizeof(struct sockaddr_in6));
	CHECK("accept peer is ::1 at the client's port",
	      is_addr(&peer, "::1", port_of(c)));
	memset(&peer, 0, sizeof(peer));
	len = sizeof(peer);
	CHECK_OK("getpeername", getpeername(c, SA(&peer), &len));
	CHECK("getpeername [::1]:port", is_addr(&peer, "::1", port));
	CHECK_EQ("write", write(c, "hello6", 6), 6);
	CHECK_EQ("read", read(s, buf, sizeof(buf)), 6);
	CHECK("data", !memcmp(buf, "hello6", 6));
	CHECK_EQ("write back", write(s, "ok", 2), 2);
	CHECK_EQ("read back", read(c, buf, sizeof(buf)), 2);
	snprintf(buf, sizeof(buf), ":%04X", port);
	CHECK("tcp6 shows the listener on ::1",
	      proc_has("tcp6", "00000000000000000000000001000000") &&
	      proc_has("tcp6", buf));
	close(c);
	close(s);
	close(l);
}

static void test_dual_stack(void)
{
	struct sockaddr_in6 peer, a;
	struct sockaddr_in v4;
	socklen_t len;
	uint16_t port;
	int l, c, s, v = -1;

	l = listener6("::", -1, &port);
	CHECK_OK("listen [::] dual-stack", l);
	len = sizeof(v);
	CHECK_OK("getsockopt IPV6_V6ONLY",
		 getsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &v, &len));
	CHECK_EQ("IPV6_V6ONLY defaults to 0", v, 0);
	v4 = sin4(port);
	c = socket(AF_INET, SOCK_STREAM, 0);
	CHECK_OK("connect 127.0.0.1 to [::] listener",
		 connect(c, SA(&v4), sizeof(v4)));
	memset(&peer, 0, sizeof(peer));
	len = sizeof(peer);
	s = accept(l, SA(&peer), &len);
	CHECK_OK("accept the IPv4 connection", s);
	CHECK_EQ("its address length", len, sizeof(struct sockaddr_in6));
	CHECK("peer ::ffff:127.0.0.1 at the client's port",
	      is_addr(&peer, "::ffff:127.0.0.1", port_of(c)));
	memset(&peer, 0, sizeof(peer));
	len = sizeof(peer);
	CHECK_OK("getsockname accepted", getsockname(s, SA(&peer), &len));
	CHECK("local ::ffff:127.0.0.1", is_addr(&peer, "::ffff:127.0.0.1",
						 port));
	CHECK_EQ("v4 -> v6 data", write(c, "x", 1), 1);
	CHECK_EQ("v6 reads it", read(s, &v, 1), 1);
	close(s);
	close(c);

	/* An AF_INET bind to the port: the dual [::] listener holds it. */
	c = socket(AF_INET, SOCK_STREAM, 0);
	CHECK_SERR("127.0.0.1 bind on the [::] port EADDRINUSE",
		   bind(c, SA(&v4), sizeof(v4)), EADDRINUSE);
	close(c);

	/* A v6 socket connects to an IPv4 listener by its mapped address. */
	a = sin6("::ffff:127.0.0.1", port);
	c = socket(AF_INET6, SOCK_STREAM, 0);
	CHECK_OK("connect ::ffff:127.0.0.1", connect(c, SA(&a), sizeof(a)));
	memset(&peer, 0, sizeof(peer));
	len = sizeof(peer);
	CHECK_OK("getpeername", getpeername(c, SA(&peer), &len));
	CHECK("peer ::ffff:127.0.0.1", is_addr(&peer, "::ffff:127.0.0.1",
						port));
	s = accept(l, NULL, NULL);
	CHECK_OK("accept it", s);
	close(s);
	close(c);
	close(l);

	/* IPV6_V6ONLY: the IPv4 connection is refused. */
	l = listener6("::", 1, &port);
	CHECK_OK("listen [::] IPV6_V6ONLY", l);
	v = 0;
	CHECK_SERR("IPV6_V6ONLY after bind EINVAL",
		   setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &v, sizeof(v)),
		   EINVAL);
	v4 = sin4(port);
	c = socket(AF_INET, SOCK_STREAM, 0);
	CHECK_SERR("connect 127.0.0.1 to a V6ONLY listener ECONNREFUSED",
		   connect(c, SA(&v4), sizeof(v4)), ECONNREFUSED);
	close(c);
	a = sin6("::1", port);
	c = socket(AF_INET6, SOCK_STREAM, 0);
	CHECK_OK("V6ONLY listener takes ::1", connect(c, SA(&a), sizeof(a)));
	close(c);
	c = socket(AF_INET6, SOCK_STREAM, 0);
	v = 1;
	setsockopt(c, IPPROTO_IPV6, IPV6_V6ONLY, &v, sizeof(v));
	a = sin6("::ffff:127.0.0.1", port);
	CHECK_SERR("V6ONLY connect to a mapped address ENETUNREACH",
		   connect(c, SA(&a), sizeof(a)), ENETUNREACH);
	CHECK_SERR("V6ONLY bind to a mapped address EINVAL",
		   bind(c, SA(&a), sizeof(a)), EINVAL);
	close(c);
	close(l);
}

static void test_udp(void)
{
	struct sockaddr_in6 a, from;
	struct sockaddr_in v4;
	socklen_t len;
	uint16_t port, cport;
	char buf[16];
	int r = socket(AF_INET6, SOCK_DGRAM, 0);
	int s = socket(AF_INET6, SOCK_DGRAM, 0), s4;

	a = sin6("::1", 0);
	CHECK_OK("udp bind [::1]", bind(r, SA(&a), sizeof(a)));
	port = port_of(r);
	a = sin6("::1", port);
	CHECK_SERR("sendto short address EINVAL",
		   sendto(s, "x", 1, 0, SA(&a), SIN6_LEN_RFC2133 - 1), EINVAL);
	a.sin6_family = AF_PACKET;
	CHECK_SERR("sendto another family EINVAL",
		   sendto(s, "x", 1, 0, SA(&a), sizeof(a)), EINVAL);
	a.sin6_family = AF_INET6;
	CHECK_EQ("sendto [::1]", sendto(s, "dgram", 5, 0, SA(&a), sizeof(a)),
		 5);
	cport = port_of(s);
	memset(&from, 0, sizeof(from));
	len = sizeof(from);
	CHECK_EQ("recvfrom", recvfrom(r, buf, sizeof(buf), 0, SA(&from),
				      &len), 5);
	CHECK_EQ("recvfrom address length", len, sizeof(struct sockaddr_in6));
	CHECK("recvfrom source [::1]:port", is_addr(&from, "::1", cport));
	snprintf(buf, sizeof(buf), ":%04X", port);
	CHECK("udp6 shows the socket",
	      proc_has("udp6", "00000000000000000000000001000000") &&
	      proc_has("udp6", buf));
	CHECK_OK("udp connect [::1]", connect(s, SA(&a), sizeof(a)));
	CHECK_EQ("send", send(s, "ab", 2, 0), 2);
	CHECK_EQ("recv", recv(r, buf, sizeof(buf), 0), 2);
	memset(&from, 0, sizeof(from));
	len = sizeof(from);
	CHECK_OK("udp getpeername", getpeername(s, SA(&from), &len));
	CHECK("udp peer [::1]:port", is_addr(&from, "::1", port));
	close(s);
	close(r);

	/* A dual-stack UDP socket hears IPv4 as ::ffff:127.0.0.1. */
	r = socket(AF_INET6, SOCK_DGRAM, 0);
	a = sin6("::", 0);
	CHECK_OK("udp bind [::]", bind(r, SA(&a), sizeof(a)));
	port = port_of(r);
	s4 = socket(AF_INET, SOCK_DGRAM, 0);
	v4 = sin4(port);
	CHECK_EQ("v4 sendto 127.0.0.1", sendto(s4, "v4", 2, 0, SA(&v4),
					       sizeof(v4)), 2);
	memset(&from, 0, sizeof(from));
	len = sizeof(from);
	CHECK_EQ("v6 recvfrom", recvfrom(r, buf, sizeof(buf), 0, SA(&from),
					 &len), 2);
	CHECK("source ::ffff:127.0.0.1", is_addr(&from, "::ffff:127.0.0.1",
						  port_of(s4)));
	/* ... and sends to a sockaddr_in, as Linux's udpv6_sendmsg. */
	CHECK_EQ("v6 sendto a sockaddr_in", sendto(r, "back", 4, 0, SA(&from),
						   sizeof(from)), 4);
	CHECK_EQ("v4 hears it", recv(s4, buf, sizeof(buf), MSG_DONTWAIT), 4);
	close(s4);
	close(r);
}

/* Sets an int socket option to value and reads it back: the value read,
 * or -1000 - errno when either call fails. */
static int set_get(int fd, int level, int opt, int value)
{
	int got = -999;
	socklen_t len = sizeof(got);

	if (setsockopt(fd, level, opt, &value, sizeof(value)) < 0 ||
	    getsockopt(fd, level, opt, &got, &len) < 0)
		return -1000 - errno;
	return got;
}

static void test_options(void)
{
	int s = socket(AF_INET6, SOCK_DGRAM, 0), t, v;
	int v4 = socket(AF_INET, SOCK_DGRAM, 0);
	socklen_t len = sizeof(v);

	CHECK_OK("get IPV6_UNICAST_HOPS",
		 getsockopt(s, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &v, &len));
	CHECK_EQ("IPV6_UNICAST_HOPS default 64", v, 64);
	CHECK_EQ("IPV6_UNICAST_HOPS 10",
		 set_get(s, IPPROTO_IPV6, IPV6_UNICAST_HOPS, 10), 10);
	v = 256;
	CHECK_SERR("IPV6_UNICAST_HOPS 256 EINVAL",
		   setsockopt(s, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &v, sizeof(v)),
		   EINVAL);
	CHECK_EQ("IPV6_UNICAST_HOPS -1 is the default",
		 set_get(s, IPPROTO_IPV6, IPV6_UNICAST_HOPS, -1), 64);
	CHECK_EQ("IPV6_TCLASS", set_get(s, IPPROTO_IPV6, IPV6_TCLASS, 0x28),
		 0x28);
	v = 0x100;
	CHECK_SERR("IPV6_TCLASS 256 EINVAL",
		   setsockopt(s, IPPROTO_IPV6, IPV6_TCLASS, &v, sizeof(v)),
		   EINVAL);
	/* glibc's resolver sets these on its UDP socket, and gives up if
	 * either fails. Nothing is queued, so the error queue is empty. */
	CHECK_EQ("IPV6_RECVERR on",
		 set_get(s, IPPROTO_IPV6, IPV6_RECVERR, 1), 1);
	CHECK_SERR("IPV6_RECVERR short EINVAL",
		   setsockopt(s, IPPROTO_IPV6, IPV6_RECVERR, &v, 1), EINVAL);
	CHECK_EQ("IP_RECVERR on", set_get(v4, IPPROTO_IP, IP_RECVERR, 1), 1);
	{
		char b[8];
		struct iovec iov = { b, sizeof(b) };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

		CHECK_SERR("MSG_ERRQUEUE with nothing queued EAGAIN",
			   recvmsg(v4, &mh, MSG_ERRQUEUE), EAGAIN);
	}
	CHECK_EQ("IP_RECVERR off", set_get(v4, IPPROTO_IP, IP_RECVERR, 0), 0);
	v = 1;
	CHECK_SERR("IPV6_V6ONLY short EINVAL",
		   setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &v, 1), EINVAL);
	CHECK_SERR("unknown IPPROTO_IPV6 option ENOPROTOOPT",
		   setsockopt(s, IPPROTO_IPV6, 9999, &v, sizeof(v)),
		   ENOPROTOOPT);
	len = sizeof(v);
	CHECK_SERR("IPPROTO_IPV6 on an AF_INET socket EOPNOTSUPP",
		   getsockopt(v4, IPPROTO_IPV6, IPV6_V6ONLY, &v, &len),
		   EOPNOTSUPP);
	CHECK_SERR("set IPPROTO_IPV6 on an AF_INET socket ENOPROTOOPT",
		   setsockopt(v4, IPPROTO_IPV6, IPV6_V6ONLY, &v, sizeof(v)),
		   ENOPROTOOPT);
	t = socket(AF_INET6, SOCK_STREAM, 0);
	v = 1;
	CHECK_OK("set IPV6_V6ONLY on TCP",
		 setsockopt(t, IPPROTO_IPV6, IPV6_V6ONLY, &v, sizeof(v)));
	v = 0;
	len = sizeof(v);
	getsockopt(t, IPPROTO_IPV6, IPV6_V6ONLY, &v, &len);
	CHECK_EQ("IPV6_V6ONLY 1", v, 1);
	close(t);
	close(v4);
	close(s);
}

/*
 * The ICMPv6 port unreachable a datagram to a closed port on ::1 brings:
 * ECONNREFUSED on a connected socket (once), nothing on an unconnected
 * one, unless IPV6_RECVERR asks for every error.
 */
static void test_udp_refused(void)
{
	int closed = socket(AF_INET6, SOCK_DGRAM, 0);
	int s = socket(AF_INET6, SOCK_DGRAM, 0);
	int u = socket(AF_INET6, SOCK_DGRAM, 0);
	struct sockaddr_in6 a = sin6("::1", 0);
	int v = 1, e = 0;
	socklen_t len = sizeof(e);
	char buf[8];

	/* A port that was bound and is free again. */
	bind(closed, SA(&a), sizeof(a));
	a = sin6("::1", port_of(closed));
	close(closed);
	CHECK_OK("connect to a closed port on ::1", connect(s, SA(&a),
		 sizeof(a)));
	CHECK_EQ("send to it", send(s, "x", 1, 0), 1);
	usleep(100000);
	CHECK_SERR("recv: the port unreachable is ECONNREFUSED",
		   recv(s, buf, sizeof(buf), MSG_DONTWAIT), ECONNREFUSED);
	CHECK_SERR("... taken: then EAGAIN", recv(s, buf, sizeof(buf),
		   MSG_DONTWAIT), EAGAIN);
	CHECK_EQ("an unconnected socket's sendto", sendto(u, "x", 1, 0,
		 SA(&a), sizeof(a)), 1);
	usleep(100000);
	getsockopt(u, SOL_SOCKET, SO_ERROR, &e, &len);
	CHECK_EQ("... no error for it", e, 0);
	setsockopt(u, IPPROTO_IPV6, IPV6_RECVERR, &v, sizeof(v));
	sendto(u, "x", 1, 0, SA(&a), sizeof(a));
	usleep(100000);
	len = sizeof(e);
	getsockopt(u, SOL_SOCKET, SO_ERROR, &e, &len);
	CHECK_EQ("... with IPV6_RECVERR: SO_ERROR ECONNREFUSED", e,
		 ECONNREFUSED);
	close(s);
	close(u);
}

int main(void)
{
	TEST_BEGIN(T);
	lo_up6();
	test_netlink();
	test_create();
	test_bind_errors();
	test_bind_conflicts();
	test_tcp();
	test_dual_stack();
	test_udp();
	test_udp_refused();
	test_options();
	return TEST_END();
}
