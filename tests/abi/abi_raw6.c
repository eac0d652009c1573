/* abi_raw6.c - raw IPv6 sockets and the receive control messages: an ICMPv6 echo to ::1 and its reply through a SOCK_RAW IPPROTO_ICMPV6 socket (the kernel's checksum, ICMPV6_FILTER, no IPv6 header on receive), IPV6_CHECKSUM and the address and option errnos of Linux's rawv6, /proc/net/raw6; IP_PKTINFO, IP_RECVTTL, IP_RECVTOS on UDP over 127.0.0.1 and IPV6_RECVPKTINFO, IPV6_RECVHOPLIMIT, IPV6_RECVTCLASS and RFC 2292's IPV6_2292HOPLIMIT over ::1, in Linux's order. */
#include "check.h"
#include "net_util.h"
#include <arpa/inet.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <sys/socket.h>

#define T "abi_raw6"

#ifndef SOL_RAW
#define SOL_RAW		255
#endif
#ifndef SOL_ICMPV6
#define SOL_ICMPV6	58
#endif
#ifndef IPV6_HDRINCL
#define IPV6_HDRINCL	36
#endif
#ifndef IPV6_2292HOPLIMIT
#define IPV6_2292HOPLIMIT 8
#endif
#define SA(p) ((struct sockaddr *)(p))

static struct sockaddr_in6 loop6(void)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6 };

	a.sin6_addr = in6addr_loopback;
	return a;
}

/* -errno of a call that returned @r. */
static long err_of(long r)
{
	return r < 0 ? -errno : r;
}

/* The one's-complement sum of @len bytes at @p, added to @sum. */
static unsigned long csum_add(unsigned long sum, const void *p, size_t len)
{
	const unsigned char *b = p;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (unsigned)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		sum += (unsigned)(b[len - 1] << 8);
	return sum;
}

/* Is the checksum of the ICMPv6 message @m of @len bytes, ::1 to ::1, right? */
static int icmp6_csum_ok(const void *m, size_t len)
{
	unsigned char pseudo[40] = { 0 };
	unsigned long sum;

	memcpy(pseudo, &in6addr_loopback, 16);
	memcpy(pseudo + 16, &in6addr_loopback, 16);
	pseudo[34] = (unsigned char)(len >> 8);
	pseudo[35] = (unsigned char)len;
	pseudo[39] = IPPROTO_ICMPV6;
	sum = csum_add(csum_add(0, pseudo, sizeof(pseudo)), m, len);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum == 0xffff;
}

/* An ICMPv6 echo request of id @id, seq @seq, with 8 bytes of data. */
static size_t echo_request(unsigned char *buf, unsigned id, unsigned seq)
{
	struct icmp6_hdr h = { .icmp6_type = ICMP6_ECHO_REQUEST };

	h.icmp6_id = htons((unsigned short)id);
	h.icmp6_seq = htons((unsigned short)seq);
	h.icmp6_cksum = 0x1234;	/* the kernel computes it over a zero field */
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), "ping6abc", 8);
	return sizeof(h) + 8;
}

/* Receive one message on @s (1 s at most) with its control data. */
static ssize_t recv_ctl(int s, void *buf, size_t len, struct sockaddr_in6 *from,
			void *ctl, size_t ctllen, size_t *ctlused)
{
	struct iovec iov = { buf, len };
	struct msghdr mh = {
		.msg_name = from, .msg_namelen = sizeof(*from),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl, .msg_controllen = ctllen,
	};
	struct timeval tv = { 1, 0 };
	ssize_t n;

	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	n = recvmsg(s, &mh, 0);
	*ctlused = mh.msg_controllen;
	return n < 0 ? -errno : n;
}

/* The first control message of @level and @type in @ctl, or NULL. */
static struct cmsghdr *find_cmsg(void *ctl, size_t used, int level, int type)
{
	struct msghdr mh = { .msg_control = ctl, .msg_controllen = used };

	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == level && c->cmsg_type == type)
			return c;
	return NULL;
}

/* The types of the control messages in @ctl, as "level/type ...". */
static void cmsg_types(void *ctl, size_t used, char *out, size_t outlen)
{
	struct msghdr mh = { .msg_control = ctl, .msg_controllen = used };
	size_t off = 0;

	out[0] = 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c && off < outlen;
	     c = CMSG_NXTHDR(&mh, c))
		off += (size_t)snprintf(out + off, outlen - off, "%s%d/%d",
					off ? " " : "", c->cmsg_level,
					c->cmsg_type);
}

static void test_create(void)
{
	int s;

	CHECK_ERR("SOCK_RAW protocol 0", socket(AF_INET6, SOCK_RAW, 0),
		  EPROTONOSUPPORT);
	s = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
	CHECK("SOCK_RAW IPPROTO_ICMPV6", s >= 0);
	close(s);
	/* Ping sockets: net.ipv4.ping_group_range is "1 0", no group. */
	CHECK_ERR("SOCK_DGRAM IPPROTO_ICMPV6 (a ping socket)",
		  socket(AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6), EACCES);
	CHECK_ERR("AF_INET SOCK_DGRAM IPPROTO_ICMPV6",
		  socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMPV6), EPROTONOSUPPORT);
}

static void test_options(void)
{
	int s = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
	int u = socket(AF_INET6, SOCK_RAW, IPPROTO_UDP);
	struct icmp6_filter f;
	socklen_t len = sizeof(int);
	int v = 0;

	CHECK_OK("ICMPv6: IPV6_CHECKSUM readable at SOL_RAW",
		 getsockopt(s, SOL_RAW, IPV6_CHECKSUM, &v, &len));
	CHECK_EQ("ICMPv6: the checksum is at offset 2", v, 2);
	v = 4;
	CHECK_ERR("ICMPv6: IPV6_CHECKSUM at SOL_IPV6 is refused",
		  setsockopt(s, SOL_IPV6, IPV6_CHECKSUM, &v, sizeof(v)),
		  EINVAL);
	len = sizeof(int);
	getsockopt(u, SOL_IPV6, IPV6_CHECKSUM, &v, &len);
	CHECK_EQ("another protocol: no checksum (-1)", v, -1);
	v = 3;
	CHECK_ERR("IPV6_CHECKSUM: an odd offset", setsockopt(u, SOL_RAW,
		  IPV6_CHECKSUM, &v, sizeof(v)), EINVAL);
	CHECK_ERR("IPV6_CHECKSUM: a short value", setsockopt(u, SOL_RAW,
		  IPV6_CHECKSUM, &v, 2), EINVAL);
	v = 6;
	CHECK_OK("IPV6_CHECKSUM 6 at SOL_IPV6", setsockopt(u, SOL_IPV6,
		 IPV6_CHECKSUM, &v, sizeof(v)));
	len = sizeof(int);
	v = 0;
	getsockopt(u, SOL_RAW, IPV6_CHECKSUM, &v, &len);
	CHECK_EQ("IPV6_CHECKSUM reads back", v, 6);
	CHECK_ERR("SOL_RAW: an unknown option", setsockopt(u, SOL_RAW, 99, &v,
		  sizeof(v)), ENOPROTOOPT);

	len = sizeof(f);
	memset(&f, 0xa5, sizeof(f));
	CHECK_OK("ICMPV6_FILTER readable", getsockopt(s, SOL_ICMPV6,
		 ICMP6_FILTER, &f, &len));
	CHECK_EQ("ICMPV6_FILTER: 32 bytes", len, 32);
	CHECK("ICMPV6_FILTER: passes every type by default",
	      ICMP6_FILTER_WILLPASS(ICMP6_ECHO_REPLY, &f) &&
	      ICMP6_FILTER_WILLPASS(ICMP6_ECHO_REQUEST, &f) &&
	      ICMP6_FILTER_WILLPASS(0, &f) && ICMP6_FILTER_WILLPASS(255, &f));
	CHECK_ERR("ICMPV6_FILTER on another protocol", setsockopt(u,
		  SOL_ICMPV6, ICMP6_FILTER, &f, sizeof(f)), EOPNOTSUPP);
	CHECK_ERR("SOL_ICMPV6: an unknown option", setsockopt(s, SOL_ICMPV6,
		  2, &f, sizeof(f)), ENOPROTOOPT);
	len = (socklen_t)-1;
	CHECK_ERR("ICMPV6_FILTER: a negative length", getsockopt(s,
		  SOL_ICMPV6, ICMP6_FILTER, &f, &len), EINVAL);
	v = 1;
	CHECK_ERR("IPV6_V6ONLY on a raw socket", setsockopt(s, SOL_IPV6,
		  IPV6_V6ONLY, &v, sizeof(v)), EINVAL);
	close(s);
	close(u);
}

static void test_addresses(void)
{
	int s = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
	struct sockaddr_in6 a = loop6(), name;
	struct sockaddr_in v4 = { .sin_family = AF_INET };
	socklen_t len = sizeof(name);
	unsigned char buf[64];
	size_t n = echo_request(buf, 1, 1);

	CHECK_ERR("sendto: a sockaddr_in6 shorter than RFC 2133's",
		  sendto(s, buf, n, 0, SA(&a), 20), EINVAL);
	CHECK_ERR("sendto: an AF_INET address", sendto(s, buf, n, 0, SA(&v4),
		  sizeof(a)), EAFNOSUPPORT);
	a.sin6_port = htons(IPPROTO_UDP);
	CHECK_ERR("sendto: sin6_port names another protocol",
		  sendto(s, buf, n, 0, SA(&a), sizeof(a)), EINVAL);
	CHECK_ERR("send: not connected", send(s, buf, n, 0), EDESTADDRREQ);
	CHECK_ERR("bind: an AF_INET address", bind(s, SA(&v4), sizeof(a)),
		  EINVAL);
	a = loop6();
	inet_pton(AF_INET6, "2001:db8::1", &a.sin6_addr);
	CHECK_ERR("bind: an address not of this host", bind(s, SA(&a),
		  sizeof(a)), EADDRNOTAVAIL);
	a = loop6();
	CHECK_OK("bind ::1", bind(s, SA(&a), sizeof(a)));
	CHECK_OK("getsockname", getsockname(s, SA(&name), &len));
	CHECK("getsockname: ::1", IN6_IS_ADDR_LOOPBACK(&name.sin6_addr));
	CHECK_EQ("getsockname: the port is the protocol",
		 ntohs(name.sin6_port), IPPROTO_ICMPV6);
	len = sizeof(name);
	CHECK_ERR("getpeername: not connected", getpeername(s, SA(&name),
		  &len), ENOTCONN);
	CHECK_OK("connect ::1", connect(s, SA(&a), sizeof(a)));
	len = sizeof(name);
	CHECK_ERR("getpeername: connected with no port is ENOTCONN",
		  getpeername(s, SA(&name), &len), ENOTCONN);
	close(s);
}

static void test_echo(void)
{
	int s = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
	int u = socket(AF_INET6, SOCK_RAW, IPPROTO_UDP);
	struct sockaddr_in6 a = loop6(), from;
	unsigned char buf[256], ctl[256];
	struct icmp6_hdr h;
	struct icmp6_filter f;
	struct cmsghdr *c;
	size_t n, used;
	char types[128];
	ssize_t r;
	int v = 1, hl = -1;

	n = echo_request(buf, 0x4242, 7);
	CHECK_EQ("echo request to ::1", err_of(sendto(s, buf, n, 0, SA(&a),
		 sizeof(a))), (long)n);
	r = recv_ctl(s, buf, sizeof(buf), &from, ctl, sizeof(ctl), &used);
	memcpy(&h, buf, sizeof(h));
	CHECK_EQ("the request itself arrives first, without its IPv6 header",
		 r == (ssize_t)n ? h.icmp6_type : -1, ICMP6_ECHO_REQUEST);
	CHECK("... its checksum made by the kernel",
	      r == (ssize_t)n && h.icmp6_cksum != 0x1234 &&
	      icmp6_csum_ok(buf, n));
	CHECK("... from ::1, sin6_port 0", IN6_IS_ADDR_LOOPBACK(&from.sin6_addr)
	      && from.sin6_port == 0 && from.sin6_family == AF_INET6);
	CHECK_EQ("... no control message unasked", used, 0);
	r = recv_ctl(s, buf, sizeof(buf), &from, ctl, sizeof(ctl), &used);
	memcpy(&h, buf, sizeof(h));
	CHECK_EQ("the echo reply", r == (ssize_t)n ? h.icmp6_type : -1,
		 ICMP6_ECHO_REPLY);
	CHECK("... its id, sequence and data", ntohs(h.icmp6_id) == 0x4242 &&
	      ntohs(h.icmp6_seq) == 7 && !memcmp(buf + 8, "ping6abc", 8));
	CHECK("... a right checksum", icmp6_csum_ok(buf, n));

	/* Only replies, with the hop limit and where it came to. */
	ICMP6_FILTER_SETBLOCKALL(&f);
	ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
	CHECK_OK("ICMPV6_FILTER: echo replies only", setsockopt(s, SOL_ICMPV6,
		 ICMP6_FILTER, &f, sizeof(f)));
	CHECK_OK("IPV6_RECVHOPLIMIT", setsockopt(s, SOL_IPV6,
		 IPV6_RECVHOPLIMIT, &v, sizeof(v)));
	CHECK_OK("IPV6_RECVPKTINFO", setsockopt(s, SOL_IPV6, IPV6_RECVPKTINFO,
		 &v, sizeof(v)));
	CHECK_OK("IPV6_2292HOPLIMIT (BusyBox ping's)", setsockopt(s, SOL_IPV6,
		 IPV6_2292HOPLIMIT, &v, sizeof(v)));
	n = echo_request(buf, 0x4343, 8);
	sendto(s, buf, n, 0, SA(&a), sizeof(a));
	r = recv_ctl(s, buf, sizeof(buf), &from, ctl, sizeof(ctl), &used);
	memcpy(&h, buf, sizeof(h));
	CHECK_EQ("filtered: the reply comes first", r == (ssize_t)n ?
		 h.icmp6_type : -1, ICMP6_ECHO_REPLY);
	cmsg_types(ctl, used, types, sizeof(types));
	CHECK_STR("control messages in Linux's order", types,
		  "41/50 41/52 41/8");
	c = find_cmsg(ctl, used, SOL_IPV6, IPV6_HOPLIMIT);
	if (c)
		memcpy(&hl, CMSG_DATA(c), sizeof(hl));
	CHECK_EQ("IPV6_HOPLIMIT: the reply's hop limit", hl, 64);
	c = find_cmsg(ctl, used, SOL_IPV6, IPV6_PKTINFO);
	CHECK("IPV6_PKTINFO: ::1 on lo", c && c->cmsg_len ==
	      CMSG_LEN(sizeof(struct in6_pktinfo)) &&
	      IN6_IS_ADDR_LOOPBACK(&((struct in6_pktinfo *)CMSG_DATA(c))
				   ->ipi6_addr) &&
	      ((struct in6_pktinfo *)CMSG_DATA(c))->ipi6_ifindex ==
	      if_nametoindex("lo"));
	r = recv_ctl(s, buf, sizeof(buf), &from, ctl, sizeof(ctl), &used);
	CHECK_EQ("nothing else passes the filter", r, -EAGAIN);

	/* Another protocol: the checksum where IPV6_CHECKSUM puts it. */
	v = 100;
	setsockopt(u, SOL_RAW, IPV6_CHECKSUM, &v, sizeof(v));
	CHECK_ERR("a checksum offset past the data", sendto(u, buf, 16, 0,
		  SA(&a), sizeof(a)), EINVAL);
	close(s);
	close(u);
}

/* A raw socket's line in /proc/net/raw6: its protocol as the port. */
static void test_proc(void)
{
	int s = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
	char buf[4096];
	int fd = open("/proc/net/raw6", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	buf[n > 0 ? n : 0] = 0;
	CHECK("/proc/net/raw6 lists the socket, protocol 58 as the port",
	      strstr(buf, "00000000000000000000000000000000:003A "
		     "00000000000000000000000000000000:0000 07") != NULL);
	if (fd >= 0)
		close(fd);
	close(s);
}

/* UDP over 127.0.0.1 with IP_PKTINFO, IP_RECVTTL and IP_RECVTOS. */
static void test_ip_cmsgs(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int rx = socket(AF_INET, SOCK_DGRAM, 0), tx = socket(AF_INET,
							      SOCK_DGRAM, 0);
	struct sockaddr_in6 from;
	socklen_t len = sizeof(a);
	unsigned char ctl[256];
	char buf[16], types[128];
	struct in_pktinfo pi;
	struct cmsghdr *c;
	int v = 1, ttl = 9, tos = 0x10;
	size_t used;
	ssize_t r;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(rx, SA(&a), sizeof(a));
	getsockname(rx, SA(&a), &len);
	CHECK_OK("IP_PKTINFO", setsockopt(rx, SOL_IP, IP_PKTINFO, &v,
		 sizeof(v)));
	CHECK_OK("IP_RECVTTL", setsockopt(rx, SOL_IP, IP_RECVTTL, &v,
		 sizeof(v)));
	CHECK_OK("IP_RECVTOS, one byte", setsockopt(rx, SOL_IP, IP_RECVTOS,
		 "\1", 1));
	len = sizeof(v);
	v = 0;
	getsockopt(rx, SOL_IP, IP_RECVTOS, &v, &len);
	CHECK_EQ("IP_RECVTOS reads back", v, 1);
	setsockopt(tx, SOL_IP, IP_TTL, &ttl, sizeof(ttl));
	setsockopt(tx, SOL_IP, IP_TOS, &tos, sizeof(tos));
	sendto(tx, "x", 1, 0, SA(&a), sizeof(a));
	r = recv_ctl(rx, buf, sizeof(buf), &from, ctl, sizeof(ctl), &used);
	CHECK_EQ("the datagram", r, 1);
	cmsg_types(ctl, used, types, sizeof(types));
	CHECK_STR("IP_PKTINFO, IP_TTL, IP_TOS in Linux's order", types,
		  "0/8 0/2 0/1");
	c = find_cmsg(ctl, used, SOL_IP, IP_PKTINFO);
	memset(&pi, 0, sizeof(pi));
	if (c)
		memcpy(&pi, CMSG_DATA(c), sizeof(pi));
	CHECK("IP_PKTINFO: lo, 127.0.0.1 twice",
	      pi.ipi_ifindex == (int)if_nametoindex("lo") &&
	      pi.ipi_spec_dst.s_addr == htonl(INADDR_LOOPBACK) &&
	      pi.ipi_addr.s_addr == htonl(INADDR_LOOPBACK));
	c = find_cmsg(ctl, used, SOL_IP, IP_TTL);
	v = -1;
	if (c)
		memcpy(&v, CMSG_DATA(c), sizeof(v));
	CHECK_EQ("IP_TTL: the sender's TTL, an int", c ? (long)c->cmsg_len -
		 (long)CMSG_LEN(0) : -1, (long)sizeof(int));
	CHECK_EQ("IP_TTL's value", v, 9);
	c = find_cmsg(ctl, used, SOL_IP, IP_TOS);
	CHECK("IP_TOS: one byte, the sender's TOS", c && c->cmsg_len ==
	      CMSG_LEN(1) && *CMSG_DATA(c) == 0x10);
	close(rx);
	close(tx);
}

/* UDP over ::1 with the IPv6 options. */
static void test_ip6_cmsgs(void)
{
	struct sockaddr_in6 a = loop6(), from;
	int rx = socket(AF_INET6, SOCK_DGRAM, 0), tx = socket(AF_INET6,
							       SOCK_DGRAM, 0);
	socklen_t len = sizeof(a);
	unsigned char ctl[256];
	char buf[16], types[128];
	struct cmsghdr *c;
	int v = 1, hops = 7, tclass = 0x20, got = -1;
	size_t used;
	ssize_t r;

	bind(rx, SA(&a), sizeof(a));
	getsockname(rx, SA(&a), &len);
	CHECK_ERR("IPV6_RECVHOPLIMIT: a short value", setsockopt(rx, SOL_IPV6,
		  IPV6_RECVHOPLIMIT, &v, 1), EINVAL);
	setsockopt(rx, SOL_IPV6, IPV6_RECVTCLASS, &v, sizeof(v));
	setsockopt(rx, SOL_IPV6, IPV6_RECVHOPLIMIT, &v, sizeof(v));
	setsockopt(rx, SOL_IPV6, IPV6_RECVPKTINFO, &v, sizeof(v));
	len = sizeof(v);
	v = 0;
	getsockopt(rx, SOL_IPV6, IPV6_RECVPKTINFO, &v, &len);
	CHECK_EQ("IPV6_RECVPKTINFO reads back", v, 1);
	setsockopt(tx, SOL_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof(hops));
	setsockopt(tx, SOL_IPV6, IPV6_TCLASS, &tclass, sizeof(tclass));
	sendto(tx, "y", 1, 0, SA(&a), sizeof(a));
	r = recv_ctl(rx, buf, sizeof(buf), &from, ctl, sizeof(ctl), &used);
	CHECK_EQ("the datagram over ::1", r, 1);
	cmsg_types(ctl, used, types, sizeof(types));
	CHECK_STR("IPV6_PKTINFO, IPV6_HOPLIMIT, IPV6_TCLASS in Linux's order",
		  types, "41/50 41/52 41/67");
	c = find_cmsg(ctl, used, SOL_IPV6, IPV6_HOPLIMIT);
	if (c)
		memcpy(&got, CMSG_DATA(c), sizeof(got));
	CHECK_EQ("IPV6_HOPLIMIT: the sender's hop limit", got, 7);
	c = find_cmsg(ctl, used, SOL_IPV6, IPV6_TCLASS);
	got = -1;
	if (c)
		memcpy(&got, CMSG_DATA(c), sizeof(got));
	CHECK_EQ("IPV6_TCLASS: the sender's class, an int", got, 0x20);
	close(rx);
	close(tx);
}

int main(void)
{
	TEST_BEGIN(T);
	lo_up();
	test_create();
	test_options();
	test_addresses();
	test_echo();
	test_proc();
	test_ip_cmsgs();
	test_ip6_cmsgs();
	return TEST_END();
}
