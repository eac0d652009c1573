/* abi_inet.c - AF_INET sockets on loopback: the lo interface ioctls, socket/bind/listen/accept/connect errors and names, TCP data (1 MB checksummed, PEEK, DONTWAIT, WAITALL, shutdown, EPIPE/SIGPIPE, ECONNRESET), poll readiness, socket options, TCP_CORK, UDP datagrams, 50 connections, 1000 in a row past TIME-WAIT, SO_RCVTIMEO. */
#include "check.h"
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>

#define T "abi_inet"
#define LO htonl(INADDR_LOOPBACK)
#define NCONN 50
#define BULK (1024 * 1024)

static struct sockaddr_in sin4(uint32_t addr, uint16_t port)
{
	struct sockaddr_in a;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = addr;
	a.sin_port = htons(port);
	return a;
}

#define SA(p) ((struct sockaddr *)(p))

static uint16_t local_port(int fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	if (getsockname(fd, SA(&a), &len) < 0)
		return 0;
	return ntohs(a.sin_port);
}

static int ephemeral(uint16_t port)
{
	return port >= 32768 && port <= 60999;
}

/* A TCP listener on 127.0.0.1 at an ephemeral port, or -1. */
static int listener(uint16_t *port, int backlog)
{
	struct sockaddr_in a = sin4(LO, 0);
	int l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0)
		return -1;
	if (bind(l, SA(&a), sizeof(a)) < 0 || listen(l, backlog) < 0) {
		close(l);
		return -1;
	}
	*port = local_port(l);
	return l;
}

/* A connected pair on loopback: *c the client, *s the accepted end. */
static int tcp_pair(int *c, int *s)
{
	uint16_t port;
	int l = listener(&port, 4);
	struct sockaddr_in a = sin4(LO, port);
	*c = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || *c < 0 || connect(*c, SA(&a), sizeof(a)) < 0) {
		close(l);
		return -1;
	}
	*s = accept(l, NULL, NULL);
	close(l);
	return *s < 0 ? -1 : 0;
}

static int geti(int fd, int level, int opt)
{
	int v = -1;
	socklen_t len = sizeof(v);
	if (getsockopt(fd, level, opt, &v, &len) < 0)
		return -100 - errno;
	return v;
}

static int seti(int fd, int level, int opt, int v)
{
	return setsockopt(fd, level, opt, &v, sizeof(v));
}

static int revents(int fd, short events)
{
	struct pollfd p = { fd, events, 0 };
	if (poll(&p, 1, 0) < 0)
		return -1;
	return p.revents;
}

/*
 * Wait up to a second until fd has at least n bytes to read: when the
 * bytes arrive depends on TCP timers (Nagle, delayed ACK), not on the ABI.
 */
static void wait_inq(int fd, int n)
{
	for (int i = 0; i < 100; i++) {
		int v = 0;
		if (ioctl(fd, FIONREAD, &v) < 0 || v >= n)
			return;
		usleep(10000);
	}
}

static int sigpipe_pending(void)
{
	sigset_t set;
	sigpending(&set);
	return sigismember(&set, SIGPIPE);
}

static void test_lo(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct ifreq ifr;
	struct sockaddr_in *a = (struct sockaddr_in *)&ifr.ifr_addr;

	CHECK_OK("socket for interface ioctls", fd);
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	CHECK_OK("SIOCGIFFLAGS lo", ioctl(fd, SIOCGIFFLAGS, &ifr));
	CHECK("lo has IFF_LOOPBACK", ifr.ifr_flags & IFF_LOOPBACK);
	ifr.ifr_flags |= IFF_UP;
	CHECK_OK("SIOCSIFFLAGS lo up", ioctl(fd, SIOCSIFFLAGS, &ifr));
	memset(&ifr.ifr_ifru, 0, sizeof(ifr.ifr_ifru));
	ioctl(fd, SIOCGIFFLAGS, &ifr);
	CHECK_EQ("lo IFF_LOOPBACK|IFF_UP after", ifr.ifr_flags & (IFF_LOOPBACK | IFF_UP), IFF_LOOPBACK | IFF_UP);

	memset(&ifr.ifr_ifru, 0, sizeof(ifr.ifr_ifru));
	CHECK_OK("SIOCGIFADDR lo", ioctl(fd, SIOCGIFADDR, &ifr));
	CHECK("lo address AF_INET 127.0.0.1", a->sin_family == AF_INET && a->sin_addr.s_addr == LO);
	memset(&ifr.ifr_ifru, 0, sizeof(ifr.ifr_ifru));
	CHECK_OK("SIOCGIFNETMASK lo", ioctl(fd, SIOCGIFNETMASK, &ifr));
	CHECK_EQ("lo netmask 255.0.0.0", a->sin_addr.s_addr, htonl(0xff000000));
	memset(&ifr.ifr_ifru, 0, sizeof(ifr.ifr_ifru));
	CHECK_OK("SIOCGIFINDEX lo", ioctl(fd, SIOCGIFINDEX, &ifr));
	CHECK_EQ("lo index 1", ifr.ifr_ifindex, 1);
	memset(&ifr.ifr_ifru, 0x55, sizeof(ifr.ifr_ifru));
	CHECK_OK("SIOCGIFHWADDR lo", ioctl(fd, SIOCGIFHWADDR, &ifr));
	CHECK_EQ("lo hwaddr family ARPHRD_LOOPBACK", ifr.ifr_hwaddr.sa_family, 772);
	CHECK("lo hwaddr all zero", !memcmp(ifr.ifr_hwaddr.sa_data, "\0\0\0\0\0\0", 6));
	memset(&ifr.ifr_ifru, 0, sizeof(ifr.ifr_ifru));
	CHECK_OK("SIOCGIFMTU lo", ioctl(fd, SIOCGIFMTU, &ifr));
	CHECK("lo mtu at least 1500", ifr.ifr_mtu >= 1500);

	strcpy(ifr.ifr_name, "nosuch0");
	CHECK_SERR("SIOCGIFFLAGS unknown name ENODEV", ioctl(fd, SIOCGIFFLAGS, &ifr), ENODEV);
	CHECK_SERR("SIOCGIFADDR unknown name ENODEV", ioctl(fd, SIOCGIFADDR, &ifr), ENODEV);
	CHECK_SERR("SIOCGIFINDEX unknown name ENODEV", ioctl(fd, SIOCGIFINDEX, &ifr), ENODEV);
	CHECK_SERR("SIOCGIFFLAGS bad pointer EFAULT", ioctl(fd, SIOCGIFFLAGS, BAD_LOW), EFAULT);

	struct ifreq reqs[16];
	struct ifconf ifc = { .ifc_len = 0, .ifc_req = NULL };
	CHECK_OK("SIOCGIFCONF length query", ioctl(fd, SIOCGIFCONF, &ifc));
	CHECK("SIOCGIFCONF needs a whole number of ifreqs", ifc.ifc_len > 0 && ifc.ifc_len % (int)sizeof(struct ifreq) == 0);
	ifc.ifc_len = sizeof(reqs);
	ifc.ifc_req = reqs;
	CHECK_OK("SIOCGIFCONF", ioctl(fd, SIOCGIFCONF, &ifc));
	int found = 0;
	for (int i = 0; i < ifc.ifc_len / (int)sizeof(struct ifreq); i++) {
		struct sockaddr_in *ia = (struct sockaddr_in *)&reqs[i].ifr_addr;
		if (!strcmp(reqs[i].ifr_name, "lo") && ia->sin_family == AF_INET && ia->sin_addr.s_addr == LO)
			found = 1;
	}
	CHECK("SIOCGIFCONF lists lo 127.0.0.1", found);
	ifc.ifc_len = sizeof(struct ifreq) - 1;
	CHECK_OK("SIOCGIFCONF buffer too small for one", ioctl(fd, SIOCGIFCONF, &ifc));
	CHECK_EQ("SIOCGIFCONF too small: length 0", ifc.ifc_len, 0);

	char name[IF_NAMESIZE];
	CHECK_EQ("if_nametoindex lo", if_nametoindex("lo"), 1);
	CHECK_STR("if_indextoname 1", if_indextoname(1, name), "lo");
	close(fd);
}

static void test_create(void)
{
	struct stat st;
	int fd;

	CHECK_SERR("socket bad family EAFNOSUPPORT", socket(12345, SOCK_STREAM, 0), EAFNOSUPPORT);
	CHECK_SERR("socket type out of range EINVAL", socket(AF_INET, 11, 0), EINVAL);
	CHECK_SERR("socket bad type flags EINVAL", socket(AF_INET, SOCK_STREAM | 0x100, 0), EINVAL);
	CHECK_SERR("stream with IPPROTO_UDP EPROTONOSUPPORT", socket(AF_INET, SOCK_STREAM, IPPROTO_UDP), EPROTONOSUPPORT);
	CHECK_SERR("dgram with IPPROTO_TCP EPROTONOSUPPORT", socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP), EPROTONOSUPPORT);
	CHECK_SERR("unknown protocol 256 EPROTONOSUPPORT", socket(AF_INET, SOCK_STREAM, 256), EPROTONOSUPPORT);
	CHECK_SERR("protocol beyond IPPROTO_MAX EINVAL", socket(AF_INET, SOCK_STREAM, 1000), EINVAL);
	CHECK_SERR("negative protocol EINVAL", socket(AF_INET, SOCK_STREAM, -1), EINVAL);
	CHECK_SERR("SOCK_SEQPACKET ESOCKTNOSUPPORT", socket(AF_INET, SOCK_SEQPACKET, 0), ESOCKTNOSUPPORT);
	fd = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
	CHECK_OK("socket stream IPPROTO_TCP", fd);
	close(fd);
	fd = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
	CHECK_OK("socket dgram IPPROTO_UDP", fd);
	close(fd);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	CHECK_OK("socket nonblock cloexec", fd);
	CHECK_EQ("F_GETFL O_RDWR|O_NONBLOCK", fcntl(fd, F_GETFL) & (O_ACCMODE | O_NONBLOCK), O_RDWR | O_NONBLOCK);
	CHECK_EQ("FD_CLOEXEC", fcntl(fd, F_GETFD), FD_CLOEXEC);
	CHECK_OK("fstat", fstat(fd, &st));
	CHECK("S_ISSOCK", S_ISSOCK(st.st_mode));
	CHECK_EQ("SO_DOMAIN AF_INET", geti(fd, SOL_SOCKET, SO_DOMAIN), AF_INET);
	CHECK_EQ("SO_PROTOCOL IPPROTO_TCP", geti(fd, SOL_SOCKET, SO_PROTOCOL), IPPROTO_TCP);
	close(fd);
}

#ifndef IPPROTO_UDPLITE
#define IPPROTO_UDPLITE 136
#endif
#define SOL_UDPLITE 136
#define UDPLITE_SEND_CSCOV 10
#define UDPLITE_RECV_CSCOV 11

/* UDP-Lite: datagrams over the loopback, its checksum coverage options. */
static void test_udplite(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = LO };
	socklen_t len = sizeof(a);
	char buf[16] = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE), udp, v;

	CHECK_OK("socket dgram IPPROTO_UDPLITE", fd);
	CHECK_EQ("SO_PROTOCOL IPPROTO_UDPLITE",
		 geti(fd, SOL_SOCKET, SO_PROTOCOL), IPPROTO_UDPLITE);
	CHECK_OK("bind it to 127.0.0.1:0", bind(fd, SA(&a), sizeof(a)));
	getsockname(fd, SA(&a), &len);
	CHECK_EQ("sendto itself", sendto(fd, "lite", 4, 0, SA(&a), sizeof(a)),
		 4);
	CHECK_EQ("recv the datagram", recv(fd, buf, sizeof buf, 0), 4);
	CHECK_STR("... intact", buf, "lite");
	CHECK_EQ("the coverage starts at 0 (all)",
		 geti(fd, SOL_UDPLITE, UDPLITE_SEND_CSCOV), 0);
	v = 4;
	CHECK_OK("UDPLITE_SEND_CSCOV 4", setsockopt(fd, SOL_UDPLITE,
						    UDPLITE_SEND_CSCOV, &v,
						    sizeof v));
	CHECK_EQ("... is raised to the 8-byte header",
		 geti(fd, SOL_UDPLITE, UDPLITE_SEND_CSCOV), 8);
	v = 20;
	setsockopt(fd, SOL_UDPLITE, UDPLITE_RECV_CSCOV, &v, sizeof v);
	CHECK_EQ("UDPLITE_RECV_CSCOV 20",
		 geti(fd, SOL_UDPLITE, UDPLITE_RECV_CSCOV), 20);
	v = 0;
	setsockopt(fd, SOL_UDPLITE, UDPLITE_SEND_CSCOV, &v, sizeof v);
	CHECK_EQ("a wholly covered datagram goes",
		 sendto(fd, "cover", 5, 0, SA(&a), sizeof(a)), 5);
	memset(buf, 0, sizeof buf);
	CHECK_EQ("... and arrives", recv(fd, buf, sizeof buf, 0), 5);
	udp = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK_SERR("UDPLITE_SEND_CSCOV on plain UDP is ENOPROTOOPT",
		   setsockopt(udp, SOL_UDPLITE, UDPLITE_SEND_CSCOV, &v,
			      sizeof v), ENOPROTOOPT);
	close(udp);
	close(fd);
}

static void test_bind(void)
{
	struct sockaddr_in a = sin4(LO, 0), got;
	socklen_t len;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int fd2 = socket(AF_INET, SOCK_STREAM, 0);

	len = sizeof(got);
	memset(&got, 0x55, sizeof(got));
	CHECK_OK("getsockname unbound", getsockname(fd, SA(&got), &len));
	CHECK("unbound name 0.0.0.0:0", len == sizeof(got) && got.sin_family == AF_INET && got.sin_port == 0 && got.sin_addr.s_addr == 0);
	CHECK_SERR("getpeername unconnected ENOTCONN", getpeername(fd, SA(&got), &len), ENOTCONN);

	CHECK_SERR("bind short len EINVAL", bind(fd, SA(&a), sizeof(a) - 1), EINVAL);
	CHECK_SERR("bind len > sockaddr_storage EINVAL", bind(fd, SA(&a), sizeof(struct sockaddr_storage) + 1), EINVAL);
	CHECK_SERR("bind bad pointer EFAULT", bind(fd, BAD_LOW, sizeof(a)), EFAULT);
	a.sin_family = AF_UNIX;
	CHECK_SERR("bind AF_UNIX family EAFNOSUPPORT", bind(fd, SA(&a), sizeof(a)), EAFNOSUPPORT);
	a.sin_family = AF_UNSPEC;
	CHECK_SERR("bind AF_UNSPEC non-any EAFNOSUPPORT", bind(fd, SA(&a), sizeof(a)), EAFNOSUPPORT);
	a = sin4(inet_addr("10.255.255.1"), 0);
	CHECK_SERR("bind non-local address EADDRNOTAVAIL", bind(fd, SA(&a), sizeof(a)), EADDRNOTAVAIL);

	a = sin4(LO, 0);
	CHECK_OK("bind 127.0.0.1:0", bind(fd, SA(&a), sizeof(a)));
	uint16_t port = local_port(fd);
	CHECK("bind port 0 picks an ephemeral port", ephemeral(port));
	len = sizeof(got);
	getsockname(fd, SA(&got), &len);
	CHECK_EQ("bound name address 127.0.0.1", got.sin_addr.s_addr, LO);
	CHECK_SERR("bind again EINVAL", bind(fd, SA(&a), sizeof(a)), EINVAL);
	a.sin_port = htons(port);
	CHECK_SERR("bind port in use EADDRINUSE", bind(fd2, SA(&a), sizeof(a)), EADDRINUSE);
	a.sin_addr.s_addr = htonl(INADDR_ANY);
	CHECK_SERR("bind any:port in use EADDRINUSE", bind(fd2, SA(&a), sizeof(a)), EADDRINUSE);
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	a.sin_addr.s_addr = LO;
	CHECK_OK("UDP may bind the port TCP holds", bind(u, SA(&a), sizeof(a)));
	close(u);
	close(fd);
	close(fd2);

	fd = socket(AF_INET, SOCK_STREAM, 0);
	a = sin4(htonl(INADDR_ANY), 0);
	a.sin_family = AF_UNSPEC;
	CHECK_OK("bind AF_UNSPEC INADDR_ANY accepted", bind(fd, SA(&a), sizeof(a)));
	CHECK("any:0 ephemeral port", ephemeral(local_port(fd)));
	close(fd);

	/* a connected socket is bound already */
	int c, s;
	if (tcp_pair(&c, &s) == 0) {
		a = sin4(LO, 0);
		CHECK_SERR("bind connected socket EINVAL", bind(c, SA(&a), sizeof(a)), EINVAL);
		close(c);
		close(s);
	} else {
		CHECK("tcp_pair for bind", 0);
	}
}

static void test_reuseaddr(void)
{
	uint16_t port;
	int l = socket(AF_INET, SOCK_STREAM, 0), l2, c, s;
	struct sockaddr_in a = sin4(LO, 0);

	CHECK_EQ("SO_REUSEADDR default 0", geti(l, SOL_SOCKET, SO_REUSEADDR), 0);
	CHECK_OK("set SO_REUSEADDR", seti(l, SOL_SOCKET, SO_REUSEADDR, 1));
	CHECK_EQ("SO_REUSEADDR reads 1", geti(l, SOL_SOCKET, SO_REUSEADDR), 1);
	bind(l, SA(&a), sizeof(a));
	listen(l, 4);
	port = local_port(l);
	a.sin_port = htons(port);
	l2 = socket(AF_INET, SOCK_STREAM, 0);
	seti(l2, SOL_SOCKET, SO_REUSEADDR, 1);
	CHECK_SERR("SO_REUSEADDR cannot share a listening port EADDRINUSE", bind(l2, SA(&a), sizeof(a)), EADDRINUSE);
	close(l2);

	/* the server closes first: its end of the connection waits in
	 * TIME_WAIT on the listening port after the listener is gone */
	c = socket(AF_INET, SOCK_STREAM, 0);
	CHECK_OK("connect for TIME_WAIT", connect(c, SA(&a), sizeof(a)));
	s = accept(l, NULL, NULL);
	close(s);
	usleep(50000);
	close(c);
	close(l);
	usleep(100000);
	l2 = socket(AF_INET, SOCK_STREAM, 0);
	CHECK_SERR("port in TIME_WAIT without SO_REUSEADDR EADDRINUSE", bind(l2, SA(&a), sizeof(a)), EADDRINUSE);
	close(l2);
	l2 = socket(AF_INET, SOCK_STREAM, 0);
	seti(l2, SOL_SOCKET, SO_REUSEADDR, 1);
	CHECK_OK("port in TIME_WAIT with SO_REUSEADDR binds", bind(l2, SA(&a), sizeof(a)));
	CHECK_OK("and listens", listen(l2, 4));
	close(l2);
}

static void test_listen_accept(void)
{
	struct sockaddr_in a, got, cname;
	socklen_t len;
	uint16_t port;
	int l, c, s;

	l = socket(AF_INET, SOCK_STREAM, 0);
	CHECK_SERR("accept on unlistening socket EINVAL", accept(l, NULL, NULL), EINVAL);
	CHECK_EQ("SO_ACCEPTCONN 0 before listen", geti(l, SOL_SOCKET, SO_ACCEPTCONN), 0);
	CHECK_OK("listen unbound socket autobinds", listen(l, 8));
	port = local_port(l);
	CHECK("listen autobind ephemeral port", ephemeral(port));
	CHECK_EQ("SO_ACCEPTCONN 1 after listen", geti(l, SOL_SOCKET, SO_ACCEPTCONN), 1);
	CHECK_OK("listen again (backlog change)", listen(l, 16));

	char line[256], want[64];
	snprintf(want, sizeof want, ":%04X 00000000:0000 0A ", port);
	FILE *f = fopen("/proc/net/tcp", "r");
	int listed = 0;
	while (f && fgets(line, sizeof line, f))
		if (strstr(line, want))
			listed = 1;
	if (f)
		fclose(f);
	CHECK("/proc/net/tcp lists the listener (state 0A)", listed);

	fcntl(l, F_SETFL, O_NONBLOCK);
	CHECK_SERR("nonblocking accept nothing pending EAGAIN", accept(l, NULL, NULL), EAGAIN);
	CHECK_EQ("idle listener: no events", revents(l, POLLIN | POLLOUT), 0);
	a = sin4(LO, port);
	c = socket(AF_INET, SOCK_STREAM, 0);
	CHECK_OK("connect", connect(c, SA(&a), sizeof(a)));
	len = sizeof(cname);
	getsockname(c, SA(&cname), &len);
	CHECK("client got an ephemeral port", ephemeral(ntohs(cname.sin_port)) && cname.sin_addr.s_addr == LO);
	CHECK_SERR("connect again EISCONN", connect(c, SA(&a), sizeof(a)), EISCONN);
	len = sizeof(got);
	CHECK_OK("getpeername connected", getpeername(c, SA(&got), &len));
	CHECK("peer is 127.0.0.1:port", len == sizeof(got) && got.sin_family == AF_INET && got.sin_addr.s_addr == LO && got.sin_port == htons(port));
	usleep(20000);
	CHECK_EQ("listener POLLIN with a pending connection", revents(l, POLLIN | POLLOUT), POLLIN);
	CHECK_SERR("accept4 bad flags EINVAL", syscall(SYS_accept4, l, NULL, NULL, 0x1), EINVAL);
	len = 4;
	memset(&got, 0x55, sizeof(got));
	s = accept4(l, SA(&got), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
	CHECK_OK("accept4 NONBLOCK|CLOEXEC", s);
	CHECK_EQ("accept short addrlen reports full length", len, sizeof(got));
	CHECK("accept truncated address: 4 bytes copied", got.sin_family == AF_INET && got.sin_port == cname.sin_port && got.sin_addr.s_addr == 0x55555555);
	CHECK("accept4 flags on new fd", fcntl(s, F_GETFD) == FD_CLOEXEC && (fcntl(s, F_GETFL) & O_NONBLOCK));
	CHECK_EQ("accepted socket SO_ACCEPTCONN 0", geti(s, SOL_SOCKET, SO_ACCEPTCONN), 0);
	len = sizeof(got);
	getsockname(s, SA(&got), &len);
	CHECK("accepted socket name is 127.0.0.1:port", got.sin_addr.s_addr == LO && got.sin_port == htons(port));
	len = sizeof(got);
	getpeername(s, SA(&got), &len);
	CHECK("accepted socket peer is the client", got.sin_addr.s_addr == LO && got.sin_port == cname.sin_port);
	CHECK_SERR("listen on connected socket EINVAL", listen(c, 1), EINVAL);
	close(s);
	close(c);

	/* the peer address from accept() */
	c = socket(AF_INET, SOCK_STREAM, 0);
	connect(c, SA(&a), sizeof(a));
	len = sizeof(cname);
	getsockname(c, SA(&cname), &len);
	len = sizeof(got);
	usleep(20000);
	s = accept(l, SA(&got), &len);
	CHECK_OK("accept with address", s);
	CHECK("accept peer address is the client's name", len == sizeof(got) && !memcmp(&got, &cname, sizeof(got)));
	CHECK_EQ("plain accept: no O_NONBLOCK inherited", fcntl(s, F_GETFL) & O_NONBLOCK, 0);
	close(s);
	close(c);
	close(l);

	int u = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK_SERR("listen on UDP EOPNOTSUPP", listen(u, 1), EOPNOTSUPP);
	CHECK_SERR("accept on UDP EOPNOTSUPP", accept(u, NULL, NULL), EOPNOTSUPP);
	close(u);
}

static void test_connect_errors(void)
{
	uint16_t port;
	int l = listener(&port, 1);
	close(l);	/* the port is now closed */
	struct sockaddr_in a = sin4(LO, port);
	int c = socket(AF_INET, SOCK_STREAM, 0);

	CHECK_SERR("connect short len EINVAL", connect(c, SA(&a), sizeof(a) - 1), EINVAL);
	CHECK_SERR("connect bad pointer EFAULT", connect(c, BAD_LOW, sizeof(a)), EFAULT);
	a.sin_family = AF_UNIX;
	CHECK_SERR("connect AF_UNIX family EAFNOSUPPORT", connect(c, SA(&a), sizeof(a)), EAFNOSUPPORT);
	a.sin_family = AF_INET;
	CHECK_SERR("connect closed port ECONNREFUSED", connect(c, SA(&a), sizeof(a)), ECONNREFUSED);
	CHECK_EQ("SO_ERROR consumed by connect", geti(c, SOL_SOCKET, SO_ERROR), 0);
	close(c);

	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	CHECK_SERR("nonblocking connect closed port EINPROGRESS", connect(c, SA(&a), sizeof(a)), EINPROGRESS);
	struct pollfd p = { c, POLLOUT, 0 };
	CHECK_EQ("poll reports the refusal", poll(&p, 1, 2000), 1);
	CHECK_EQ("refused: POLLOUT|POLLERR|POLLHUP", p.revents, POLLOUT | POLLERR | POLLHUP);
	CHECK_EQ("SO_ERROR ECONNREFUSED", geti(c, SOL_SOCKET, SO_ERROR), ECONNREFUSED);
	CHECK_EQ("SO_ERROR cleared after read", geti(c, SOL_SOCKET, SO_ERROR), 0);
	close(c);

	l = listener(&port, 4);
	a = sin4(LO, port);
	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	CHECK_SERR("nonblocking connect to listener EINPROGRESS", connect(c, SA(&a), sizeof(a)), EINPROGRESS);
	p = (struct pollfd){ c, POLLOUT, 0 };
	CHECK_EQ("nonblocking connect completes: POLLOUT", poll(&p, 1, 2000) == 1 ? p.revents : -1, POLLOUT);
	CHECK_EQ("SO_ERROR 0 after success", geti(c, SOL_SOCKET, SO_ERROR), 0);
	/* as on Linux: the first connect() after completion reports it */
	CHECK_OK("connect after completion returns 0", connect(c, SA(&a), sizeof(a)));
	CHECK_SERR("then connect EISCONN", connect(c, SA(&a), sizeof(a)), EISCONN);
	close(c);
	close(l);
}

static uint32_t fill_byte(uint32_t *state)
{
	*state = *state * 1103515245u + 12345u;
	return *state >> 16;
}

/* FNV-1a over len bytes of the pattern seeded by seed. */
static uint32_t pattern_sum(uint32_t seed, long len)
{
	uint32_t h = 2166136261u, st = seed;
	for (long i = 0; i < len; i++)
		h = (h ^ (fill_byte(&st) & 0xff)) * 16777619u;
	return h;
}

/* Write len bytes of the pattern seeded by seed; 0 or -1. */
static int send_pattern(int fd, uint32_t seed, long len)
{
	static char buf[32768];
	uint32_t st = seed;
	while (len > 0) {
		long n = len < (long)sizeof buf ? len : (long)sizeof buf;
		for (long i = 0; i < n; i++)
			buf[i] = (char)fill_byte(&st);
		for (long off = 0; off < n;) {
			ssize_t w = write(fd, buf + off, (size_t)(n - off));
			if (w <= 0)
				return -1;
			off += w;
		}
		len -= n;
	}
	return 0;
}

/* Read to EOF; the byte count, *sum the FNV-1a of the data. */
static long recv_sum(int fd, uint32_t *sum)
{
	static char buf[40000];
	uint32_t h = 2166136261u;
	long total = 0;
	ssize_t r;
	while ((r = read(fd, buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < r; i++)
			h = (h ^ (unsigned char)buf[i]) * 16777619u;
		total += r;
	}
	*sum = h;
	return r < 0 ? -1 : total;
}

static void test_bulk(void)
{
	int c, s, st;
	uint32_t sum;
	pid_t p;

	if (tcp_pair(&c, &s) < 0) {
		CHECK("tcp_pair for bulk", 0);
		return;
	}
	p = fork();
	if (p == 0) {
		close(s);
		_exit(send_pattern(c, 7, BULK) == 0 ? 0 : 1);
	}
	close(c);
	CHECK_EQ("1 MB client to server: length", recv_sum(s, &sum), BULK);
	CHECK_EQ("1 MB client to server: checksum", sum, pattern_sum(7, BULK));
	waitpid(p, &st, 0);
	CHECK_EQ("sender exit status", st, 0);
	close(s);

	if (tcp_pair(&c, &s) < 0) {
		CHECK("tcp_pair for bulk", 0);
		return;
	}
	p = fork();
	if (p == 0) {
		close(c);
		_exit(send_pattern(s, 99, BULK) == 0 ? 0 : 1);
	}
	close(s);
	CHECK_EQ("1 MB server to client: length", recv_sum(c, &sum), BULK);
	CHECK_EQ("1 MB server to client: checksum", sum, pattern_sum(99, BULK));
	waitpid(p, &st, 0);
	CHECK_EQ("sender exit status", st, 0);
	close(c);
}

/*
 * Data outlives its sender: 64 KiB written and the socket closed by a
 * process that has exited before the first read (on Aramid the receiver
 * holds the sender's own buffers, services/net/loop.c).
 */
#define GONE_LEN	65536
static void test_sender_gone(void)
{
	int c, s, st = -1;
	uint32_t sum;
	pid_t p;

	if (tcp_pair(&c, &s) < 0) {
		CHECK("tcp_pair for sender gone", 0);
		return;
	}
	p = fork();
	if (p == 0) {
		close(s);
		_exit(send_pattern(c, 5, GONE_LEN) == 0 && close(c) == 0 ?
		      0 : 1);
	}
	close(c);
	waitpid(p, &st, 0);
	CHECK_EQ("sender wrote, closed and exited before the read", st, 0);
	CHECK_EQ("64 KiB read after the sender's exit: length",
		 recv_sum(s, &sum), GONE_LEN);
	CHECK_EQ("64 KiB read after the sender's exit: checksum", sum,
		 pattern_sum(5, GONE_LEN));
	close(s);
}

static void test_stream_io(void)
{
	int c, s, v, st;
	char buf[64];

	if (tcp_pair(&c, &s) < 0) {
		CHECK("tcp_pair for stream I/O", 0);
		return;
	}
	CHECK_EQ("connected: POLLOUT only", revents(c, POLLIN | POLLOUT | POLLRDHUP), POLLOUT);
	CHECK_SERR("recv MSG_DONTWAIT empty EAGAIN", recv(s, buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
	CHECK_EQ("write client to server", write(c, "hello", 5), 5);
	CHECK_EQ("send more", send(c, "abc", 3, 0), 3);
	wait_inq(s, 8);
	v = -1;
	CHECK_OK("FIONREAD", ioctl(s, FIONREAD, &v));
	CHECK_EQ("FIONREAD counts queued bytes", v, 8);
	v = -1;
	CHECK_OK("SIOCATMARK", ioctl(s, SIOCATMARK, &v));
	CHECK_EQ("SIOCATMARK: no urgent data, not at the mark", v, 0);
	CHECK_SERR("SIOCATMARK to NULL EFAULT", ioctl(s, SIOCATMARK, NULL), EFAULT);
	CHECK_EQ("server POLLIN|POLLOUT", revents(s, POLLIN | POLLOUT | POLLRDHUP), POLLIN | POLLOUT);
	CHECK_EQ("MSG_PEEK sees the stream", recv(s, buf, sizeof buf, MSG_PEEK), 8);
	CHECK("MSG_PEEK data", !memcmp(buf, "helloabc", 8));
	CHECK_EQ("read 2", read(s, buf, 2), 2);
	CHECK_EQ("read rest", recv(s, buf, sizeof buf, 0), 6);
	CHECK("stream bytes in order", !memcmp(buf, "lloabc", 6));
	CHECK_EQ("server to client", send(s, "back", 4, 0), 4);
	CHECK_EQ("client reads reply", recv(c, buf, sizeof buf, 0), 4);
	CHECK_SERR("recv bad buffer EFAULT", (send(c, "z", 1, 0), wait_inq(s, 1), recv(s, BAD_LOW, 1, 0)), EFAULT);
	CHECK_EQ("data kept after EFAULT", recv(s, buf, 1, MSG_DONTWAIT), 1);
	/* A send large enough to be queued without lwIP's copy (tcp_block.c) */
	CHECK_SERR("send of 16 KiB from a bad buffer EFAULT", send(c, BAD_LOW, 16384, 0), EFAULT);
	CHECK_EQ("send after the EFAULT", send(c, "q", 1, 0), 1);
	wait_inq(s, 1);
	CHECK_EQ("nothing of the failed send queued", recv(s, buf, sizeof buf, MSG_DONTWAIT), 1);
	CHECK("the byte sent after it", buf[0] == 'q');

	/* MSG_WAITALL waits for the whole request across two segments */
	pid_t p = fork();
	if (p == 0) {
		write(c, "abc", 3);
		usleep(100000);
		write(c, "defgh", 5);
		_exit(0);
	}
	CHECK_EQ("MSG_WAITALL collects 8 bytes", recv(s, buf, 8, MSG_WAITALL), 8);
	CHECK("MSG_WAITALL data", !memcmp(buf, "abcdefgh", 8));
	waitpid(p, &st, 0);

	/* a blocking read waits for late data */
	p = fork();
	if (p == 0) {
		usleep(100000);
		_exit(write(s, "late", 4) == 4 ? 0 : 1);
	}
	CHECK_EQ("blocking read waits for data", read(c, buf, sizeof buf), 4);
	waitpid(p, &st, 0);

	/* shutdown */
	CHECK_SERR("shutdown bad how EINVAL", shutdown(c, 3), EINVAL);
	CHECK_OK("shutdown SHUT_WR", shutdown(c, SHUT_WR));
	usleep(20000);
	CHECK_EQ("peer POLLIN|POLLOUT|POLLRDHUP after SHUT_WR", revents(s, POLLIN | POLLOUT | POLLRDHUP), POLLIN | POLLOUT | POLLRDHUP);
	CHECK_EQ("peer reads EOF", read(s, buf, sizeof buf), 0);
	CHECK_EQ("EOF again", read(s, buf, sizeof buf), 0);
	CHECK_SERR("send after SHUT_WR EPIPE", send(c, "x", 1, MSG_NOSIGNAL), EPIPE);
	CHECK_EQ("the other direction still works", write(s, "z", 1), 1);
	CHECK_EQ("client reads it", read(c, buf, sizeof buf), 1);
	close(c);
	close(s);

	int u = socket(AF_INET, SOCK_STREAM, 0);
	CHECK_SERR("recv unconnected ENOTCONN", recv(u, buf, 1, 0), ENOTCONN);
	CHECK_SERR("send unconnected EPIPE (as Linux)", send(u, "x", 1, MSG_NOSIGNAL), EPIPE);
	CHECK_SERR("shutdown unconnected ENOTCONN", shutdown(u, SHUT_RDWR), ENOTCONN);
	close(u);
}

static void test_peer_close(void)
{
	int c, s;
	char buf[16];
	sigset_t set, old;
	int sig;

	if (tcp_pair(&c, &s) < 0) {
		CHECK("tcp_pair for peer close", 0);
		return;
	}
	close(s);
	usleep(50000);
	CHECK_EQ("after peer close: POLLIN|POLLOUT|POLLRDHUP", revents(c, POLLIN | POLLOUT | POLLRDHUP), POLLIN | POLLOUT | POLLRDHUP);
	CHECK_EQ("read EOF after peer close", read(c, buf, sizeof buf), 0);
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &set, &old);
	/* the first write reaches the closed peer, which answers RST */
	CHECK_EQ("first write after peer close succeeds", send(c, "x", 1, MSG_NOSIGNAL), 1);
	usleep(50000);
	CHECK_SERR("MSG_NOSIGNAL write to reset peer EPIPE", send(c, "x", 1, MSG_NOSIGNAL), EPIPE);
	CHECK("MSG_NOSIGNAL raises no SIGPIPE", !sigpipe_pending());
	CHECK_SERR("write to reset peer EPIPE", write(c, "x", 1), EPIPE);
	CHECK("write raises SIGPIPE", sigpipe_pending());
	if (sigpipe_pending())
		sigwait(&set, &sig);
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(c);

	/* closing with unread data resets the connection */
	if (tcp_pair(&c, &s) < 0) {
		CHECK("tcp_pair for reset", 0);
		return;
	}
	send(c, "unread", 6, 0);
	usleep(50000);
	close(s);
	usleep(50000);
	CHECK("reset peer: POLLERR|POLLHUP", (revents(c, POLLIN | POLLOUT) & (POLLERR | POLLHUP)) == (POLLERR | POLLHUP));
	CHECK_SERR("recv after reset ECONNRESET", recv(c, buf, sizeof buf, 0), ECONNRESET);
	close(c);

	/* SO_LINGER on with a zero timeout: close resets, no FIN */
	if (tcp_pair(&c, &s) < 0) {
		CHECK("tcp_pair for linger", 0);
		return;
	}
	struct linger lg = { 1, 0 };
	CHECK_OK("set SO_LINGER {1, 0}", setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	close(s);
	usleep(50000);
	CHECK_SERR("after a lingering-zero close: ECONNRESET", recv(c, buf, sizeof buf, 0), ECONNRESET);
	close(c);
}

/* SO_BINDTODEVICE: kept by name, read back as the name. */
static void test_bindtodevice(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	char name[IFNAMSIZ + 4];
	socklen_t len = sizeof(name);

	CHECK_OK("SO_BINDTODEVICE unbound: getsockopt", getsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, name, &len));
	CHECK_EQ("SO_BINDTODEVICE unbound: length 0", len, 0);
	CHECK_SERR("SO_BINDTODEVICE unknown interface ENODEV", setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, "nosuch0", 8), ENODEV);
	CHECK_OK("SO_BINDTODEVICE lo", setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3));
	len = sizeof(name);
	CHECK_OK("SO_BINDTODEVICE read back", getsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, name, &len));
	CHECK("SO_BINDTODEVICE gives the name", len == 3 && !strcmp(name, "lo"));
	len = 4;
	CHECK_SERR("SO_BINDTODEVICE short buffer EINVAL", getsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, name, &len), EINVAL);
	CHECK_OK("SO_BINDTODEVICE \"\" unbinds", setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, "", 1));
	len = sizeof(name);
	getsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, name, &len);
	CHECK_EQ("unbound again: length 0", len, 0);
	close(fd);
}

static void test_sockopt(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0), v;
	socklen_t len;

	CHECK_EQ("SO_TYPE stream", geti(fd, SOL_SOCKET, SO_TYPE), SOCK_STREAM);
	CHECK_EQ("SO_ERROR 0", geti(fd, SOL_SOCKET, SO_ERROR), 0);
	/* net.ipv4.tcp_rmem / tcp_wmem defaults */
	CHECK_EQ("TCP SO_RCVBUF default 131072", geti(fd, SOL_SOCKET, SO_RCVBUF), 131072);
	CHECK_EQ("TCP SO_SNDBUF default 16384", geti(fd, SOL_SOCKET, SO_SNDBUF), 16384);
	CHECK_EQ("TCP_NODELAY default 0", geti(fd, IPPROTO_TCP, TCP_NODELAY), 0);
	CHECK_OK("set TCP_NODELAY", seti(fd, IPPROTO_TCP, TCP_NODELAY, 1));
	CHECK_EQ("TCP_NODELAY reads 1", geti(fd, IPPROTO_TCP, TCP_NODELAY), 1);
	CHECK_OK("set SO_KEEPALIVE", seti(fd, SOL_SOCKET, SO_KEEPALIVE, 1));
	CHECK_EQ("SO_KEEPALIVE reads 1", geti(fd, SOL_SOCKET, SO_KEEPALIVE), 1);
	CHECK_OK("set SO_RCVBUF 8192", seti(fd, SOL_SOCKET, SO_RCVBUF, 8192));
	CHECK_EQ("SO_RCVBUF reads doubled", geti(fd, SOL_SOCKET, SO_RCVBUF), 16384);
	CHECK_OK("set SO_SNDBUF 8192", seti(fd, SOL_SOCKET, SO_SNDBUF, 8192));
	CHECK_EQ("SO_SNDBUF reads doubled", geti(fd, SOL_SOCKET, SO_SNDBUF), 16384);
	struct linger lg = { 1, 0 };
	CHECK_OK("set SO_LINGER", setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	lg = (struct linger){ 7, 7 };
	len = sizeof(lg);
	CHECK_OK("get SO_LINGER", getsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, &len));
	CHECK("SO_LINGER {1, 0}", lg.l_onoff == 1 && lg.l_linger == 0 && len == sizeof(lg));
	CHECK_SERR("setsockopt short optlen EINVAL", setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &v, 2), EINVAL);
	CHECK_SERR("setsockopt bad optval EFAULT", setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, BAD_LOW, 4), EFAULT);
	len = sizeof(v);
	CHECK_SERR("getsockopt unknown SOL_SOCKET option ENOPROTOOPT", getsockopt(fd, SOL_SOCKET, 9999, &v, &len), ENOPROTOOPT);
	len = sizeof(v);
	CHECK_SERR("getsockopt unknown TCP option ENOPROTOOPT", getsockopt(fd, IPPROTO_TCP, 9999, &v, &len), ENOPROTOOPT);
	len = sizeof(v);
	CHECK_SERR("getsockopt unknown level on TCP EOPNOTSUPP", getsockopt(fd, 500, SO_OOBINLINE, &v, &len), EOPNOTSUPP);
	len = sizeof(v);
	CHECK_SERR("getsockopt SOL_UDP on TCP EOPNOTSUPP", getsockopt(fd, IPPROTO_UDP, SO_OOBINLINE, &v, &len), EOPNOTSUPP);
	CHECK_SERR("setsockopt unknown level on TCP ENOPROTOOPT", setsockopt(fd, 500, 1, &v, sizeof(v)), ENOPROTOOPT);
	len = (socklen_t)-1;
	CHECK_SERR("getsockopt negative optlen EINVAL", getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len), EINVAL);
	CHECK_SERR("getsockopt bad optlen pointer EFAULT", getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, BAD_LOW), EFAULT);
	close(fd);

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK_EQ("SO_TYPE dgram", geti(fd, SOL_SOCKET, SO_TYPE), SOCK_DGRAM);
	CHECK_EQ("SO_PROTOCOL IPPROTO_UDP", geti(fd, SOL_SOCKET, SO_PROTOCOL), IPPROTO_UDP);
	CHECK_OK("set SO_BROADCAST", seti(fd, SOL_SOCKET, SO_BROADCAST, 1));
	CHECK_EQ("SO_BROADCAST reads 1", geti(fd, SOL_SOCKET, SO_BROADCAST), 1);
	len = sizeof(v);
	CHECK_SERR("getsockopt SOL_TCP on UDP EOPNOTSUPP", getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, &len), EOPNOTSUPP);
	CHECK_SERR("setsockopt SOL_TCP on UDP ENOPROTOOPT", setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, sizeof(v)), ENOPROTOOPT);
	close(fd);
}

/* Wait up to a second until the peer has acknowledged all fd sent
 * (SIOCOUTQ, which is TIOCOUTQ). */
static void wait_outq_empty(int fd)
{
	for (int i = 0; i < 100; i++) {
		int v = 0;
		if (ioctl(fd, TIOCOUTQ, &v) < 0 || v == 0)
			return;
		usleep(10000);
	}
}

/*
 * TCP_CORK (nginx's tcp_nopush): a partial segment waits while corked,
 * goes out when the cork is pulled or TCP_NODELAY is set, and otherwise
 * after Linux's 200 ms ceiling. Each corked send follows the peer's ACK
 * of what went before (Aramid's lwIP sends its queue on an ACK).
 */
static void test_cork(void)
{
	int c, s;
	char buf[16];
	struct pollfd p;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	CHECK_EQ("TCP_CORK default 0", geti(fd, IPPROTO_TCP, TCP_CORK), 0);
	CHECK_OK("set TCP_CORK", seti(fd, IPPROTO_TCP, TCP_CORK, 5));
	CHECK_EQ("TCP_CORK reads 1", geti(fd, IPPROTO_TCP, TCP_CORK), 1);
	CHECK_SERR("TCP_CORK short optlen EINVAL", setsockopt(fd, IPPROTO_TCP, TCP_CORK, &c, 2), EINVAL);
	close(fd);
	if (tcp_pair(&c, &s) < 0) {
		CHECK("tcp_pair for TCP_CORK", 0);
		return;
	}
	p = (struct pollfd){ s, POLLIN, 0 };
	CHECK_OK("cork the client", seti(c, IPPROTO_TCP, TCP_CORK, 1));
	CHECK_EQ("send while corked", send(c, "cork", 4, 0), 4);
	CHECK_EQ("corked: nothing arrives within 20 ms", poll(&p, 1, 20), 0);
	CHECK_OK("pull the cork", seti(c, IPPROTO_TCP, TCP_CORK, 0));
	CHECK_EQ("uncorked: the bytes arrive", poll(&p, 1, 2000), 1);
	CHECK_EQ("they read back", recv(s, buf, sizeof buf, 0), 4);
	wait_outq_empty(c);
	CHECK_OK("cork again", seti(c, IPPROTO_TCP, TCP_CORK, 1));
	CHECK_EQ("send while corked again", send(c, "nodelay", 7, 0), 7);
	CHECK_EQ("corked again: nothing within 20 ms", poll(&p, 1, 20), 0);
	CHECK_OK("set TCP_NODELAY while corked", seti(c, IPPROTO_TCP, TCP_NODELAY, 1));
	CHECK_EQ("TCP_NODELAY pushes the corked bytes", poll(&p, 1, 2000), 1);
	CHECK_EQ("TCP_CORK still reads 1", geti(c, IPPROTO_TCP, TCP_CORK), 1);
	CHECK_EQ("those read back", recv(s, buf, sizeof buf, 0), 7);
	CHECK_OK("clear TCP_NODELAY", seti(c, IPPROTO_TCP, TCP_NODELAY, 0));
	wait_outq_empty(c);
	CHECK_EQ("send, left corked", send(c, "ceiling", 7, 0), 7);
	CHECK_EQ("left corked: nothing within 20 ms", poll(&p, 1, 20), 0);
	CHECK_EQ("left corked: out within 2 s (the ceiling)", poll(&p, 1, 2000), 1);
	CHECK_EQ("the ceiling's bytes", recv(s, buf, sizeof buf, 0), 7);
	close(c);
	close(s);
}

/* Without privilege: the forced sizes and the high priorities refused. */
static int bufforce_unprivileged(void *arg)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	(void)arg;
	check_fails = 0;
	if (fd < 0 || setgroups(0, NULL) || setresgid(1000, 1000, 1000) ||
	    setresuid(1000, 1000, 1000)) {
		check_emit("FAIL %s: dropping privileges: %s", T,
			   errname(errno));
		return 1;
	}
	CHECK_SERR("SO_SNDBUFFORCE without CAP_NET_ADMIN EPERM",
		   seti(fd, SOL_SOCKET, SO_SNDBUFFORCE, 8192), EPERM);
	CHECK_SERR("SO_RCVBUFFORCE too",
		   seti(fd, SOL_SOCKET, SO_RCVBUFFORCE, 8192), EPERM);
	CHECK_EQ("and the size stays", geti(fd, SOL_SOCKET, SO_SNDBUF), 212992);
	CHECK_OK("SO_PRIORITY 6 for anyone", seti(fd, SOL_SOCKET, SO_PRIORITY, 6));
	CHECK_SERR("SO_PRIORITY 7 EPERM", seti(fd, SOL_SOCKET, SO_PRIORITY, 7),
		   EPERM);
	CHECK_SERR("SO_PRIORITY -1 EPERM", seti(fd, SOL_SOCKET, SO_PRIORITY, -1),
		   EPERM);
	CHECK_EQ("SO_PRIORITY still 6", geti(fd, SOL_SOCKET, SO_PRIORITY), 6);
	close(fd);
	return check_fails ? 1 : 0;
}

/*
 * SO_SNDBUF and SO_RCVBUF cut at net.core.wmem_max/rmem_max (212992)
 * before doubling, the FORCE options past it (never negative), and
 * SO_PRIORITY above 6 as root, as Linux 6.1's sock_setsockopt.
 */
static void test_bufforce(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0), v;
	socklen_t len = sizeof(v);

	CHECK_OK("SO_SNDBUF 1 MiB", seti(fd, SOL_SOCKET, SO_SNDBUF, 1 << 20));
	CHECK_EQ("cut at wmem_max, doubled", geti(fd, SOL_SOCKET, SO_SNDBUF),
		 425984);
	CHECK_OK("SO_SNDBUF -1", seti(fd, SOL_SOCKET, SO_SNDBUF, -1));
	CHECK_EQ("taken as unsigned: the maximum",
		 geti(fd, SOL_SOCKET, SO_SNDBUF), 425984);
	CHECK_OK("SO_SNDBUFFORCE 1 MiB as root",
		 seti(fd, SOL_SOCKET, SO_SNDBUFFORCE, 1 << 20));
	CHECK_EQ("past wmem_max", geti(fd, SOL_SOCKET, SO_SNDBUF), 2 << 20);
	CHECK_OK("SO_SNDBUFFORCE -1", seti(fd, SOL_SOCKET, SO_SNDBUFFORCE, -1));
	CHECK_EQ("negative is 0: the least send buffer",
		 geti(fd, SOL_SOCKET, SO_SNDBUF), 4608);
	CHECK_OK("SO_SNDBUFFORCE INT_MAX",
		 seti(fd, SOL_SOCKET, SO_SNDBUFFORCE, 0x7fffffff));
	CHECK_EQ("halved first, so that doubling fits",
		 geti(fd, SOL_SOCKET, SO_SNDBUF), 0x7ffffffe);
	CHECK_OK("SO_RCVBUFFORCE 1 MiB",
		 seti(fd, SOL_SOCKET, SO_RCVBUFFORCE, 1 << 20));
	CHECK_EQ("SO_RCVBUF past rmem_max", geti(fd, SOL_SOCKET, SO_RCVBUF),
		 2 << 20);
	CHECK_OK("SO_RCVBUFFORCE -5", seti(fd, SOL_SOCKET, SO_RCVBUFFORCE, -5));
	CHECK_EQ("the least receive buffer", geti(fd, SOL_SOCKET, SO_RCVBUF),
		 2304);
	CHECK_SERR("getsockopt SO_SNDBUFFORCE ENOPROTOOPT",
		   getsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &v, &len),
		   ENOPROTOOPT);
	CHECK_OK("SO_PRIORITY 7 as root", seti(fd, SOL_SOCKET, SO_PRIORITY, 7));
	CHECK_EQ("SO_PRIORITY reads 7", geti(fd, SOL_SOCKET, SO_PRIORITY), 7);
	close(fd);
	CHECK_EQ("the unprivileged child passed",
		 run_child(bufforce_unprivileged, NULL), 0);
}

static void test_udp(void)
{
	struct sockaddr_in ra = sin4(LO, 0), got, sname;
	socklen_t len;
	char buf[64];
	int r = socket(AF_INET, SOCK_DGRAM, 0);
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	int v;

	CHECK_SERR("send unconnected UDP EDESTADDRREQ", send(s, "x", 1, 0), EDESTADDRREQ);
	CHECK_SERR("recv unbound UDP MSG_DONTWAIT EAGAIN", recv(s, buf, 1, MSG_DONTWAIT), EAGAIN);
	CHECK_OK("bind UDP receiver", bind(r, SA(&ra), sizeof(ra)));
	ra.sin_port = htons(local_port(r));
	CHECK("UDP bind port 0 is ephemeral", ephemeral(ntohs(ra.sin_port)));
	CHECK_EQ("unbound UDP socket not POLLIN", revents(r, POLLIN | POLLOUT), POLLOUT);
	CHECK_EQ("sendto 5", sendto(s, "hello", 5, 0, SA(&ra), sizeof(ra)), 5);
	len = sizeof(sname);
	getsockname(s, SA(&sname), &len);
	CHECK("sender autobound to an ephemeral port", ephemeral(ntohs(sname.sin_port)));
	CHECK_EQ("sendto 8", sendto(s, "abcdefgh", 8, 0, SA(&ra), sizeof(ra)), 8);
	CHECK_EQ("sendto 2", sendto(s, "xy", 2, 0, SA(&ra), sizeof(ra)), 2);
	usleep(20000);
	CHECK_EQ("receiver POLLIN|POLLOUT", revents(r, POLLIN | POLLOUT), POLLIN | POLLOUT);
	v = -1;
	ioctl(r, FIONREAD, &v);
	CHECK_EQ("FIONREAD: the first datagram's size", v, 5);
	len = sizeof(got);
	memset(&got, 0, sizeof(got));
	CHECK_EQ("recvfrom first datagram", recvfrom(r, buf, sizeof buf, 0, SA(&got), &len), 5);
	CHECK("recvfrom source 127.0.0.1 and the sender's port", len == sizeof(got) && got.sin_family == AF_INET && got.sin_addr.s_addr == LO && got.sin_port == sname.sin_port);
	CHECK_EQ("MSG_PEEK datagram", recv(r, buf, sizeof buf, MSG_PEEK), 8);
	CHECK_EQ("truncating recv returns 3", recv(r, buf, 3, 0), 3);
	CHECK_EQ("rest of truncated datagram dropped", recv(r, buf, sizeof buf, 0), 2);
	CHECK("boundaries kept", !memcmp(buf, "xy", 2));
	sendto(s, "abcdefgh", 8, 0, SA(&ra), sizeof(ra));
	usleep(20000);
	CHECK_EQ("MSG_TRUNC returns the real length", recv(r, buf, 3, MSG_TRUNC), 8);
	sendto(s, "abcdefgh", 8, 0, SA(&ra), sizeof(ra));
	usleep(20000);
	struct iovec iov = { buf, 4 };
	struct msghdr mh = { .msg_name = &got, .msg_namelen = sizeof(got), .msg_iov = &iov, .msg_iovlen = 1 };
	CHECK_EQ("recvmsg truncated", recvmsg(r, &mh, 0), 4);
	CHECK_EQ("msg_flags MSG_TRUNC", mh.msg_flags & MSG_TRUNC, MSG_TRUNC);
	CHECK_EQ("recvmsg msg_namelen", mh.msg_namelen, sizeof(got));
	CHECK_EQ("zero-length datagram", sendto(s, "", 0, 0, SA(&ra), sizeof(ra)), 0);
	usleep(20000);
	CHECK_EQ("receive zero-length datagram", recv(r, buf, sizeof buf, MSG_DONTWAIT), 0);
	CHECK_SERR("empty UDP MSG_DONTWAIT EAGAIN", recv(r, buf, sizeof buf, MSG_DONTWAIT), EAGAIN);

	static char big[65600];
	CHECK_SERR("65508-byte datagram EMSGSIZE", sendto(s, big, 65508, 0, SA(&ra), sizeof(ra)), EMSGSIZE);
	for (int i = 0; i < 65507; i++)
		big[i] = (char)(i * 7);
	CHECK_EQ("65507-byte datagram", sendto(s, big, 65507, 0, SA(&ra), sizeof(ra)), 65507);
	static char bigr[65600];
	CHECK_EQ("receive 65507 bytes whole", recv(r, bigr, sizeof bigr, 0), 65507);
	CHECK("65507 bytes intact", !memcmp(big, bigr, 65507));
	struct sockaddr_in bad = ra;
	bad.sin_family = AF_UNIX;
	CHECK_SERR("sendto AF_UNIX address EAFNOSUPPORT", sendto(s, "x", 1, 0, SA(&bad), sizeof(bad)), EAFNOSUPPORT);
	CHECK_SERR("sendto short address EINVAL", sendto(s, "x", 1, 0, SA(&ra), 8), EINVAL);

	/* connected UDP */
	CHECK_OK("connect UDP", connect(s, SA(&ra), sizeof(ra)));
	CHECK_EQ("send connected UDP", send(s, "conn", 4, 0), 4);
	CHECK_EQ("receive it", recv(r, buf, sizeof buf, 0), 4);
	len = sizeof(got);
	CHECK_OK("getpeername connected UDP", getpeername(s, SA(&got), &len));
	CHECK("UDP peer address", got.sin_addr.s_addr == LO && got.sin_port == ra.sin_port);
	int o = socket(AF_INET, SOCK_DGRAM, 0);
	len = sizeof(sname);
	getsockname(s, SA(&sname), &len);
	sendto(o, "other", 5, 0, SA(&sname), sizeof(sname));
	sendto(r, "peer", 4, 0, SA(&sname), sizeof(sname));
	usleep(20000);
	CHECK_EQ("connected UDP receives only from its peer", recv(s, buf, sizeof buf, MSG_DONTWAIT), 4);
	CHECK_SERR("the stranger's datagram was dropped", recv(s, buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
	close(o);
	CHECK_OK("disconnect with AF_UNSPEC", connect(s, SA(&(struct sockaddr){ .sa_family = AF_UNSPEC }), sizeof(struct sockaddr)));
	CHECK_SERR("send after disconnect EDESTADDRREQ", send(s, "c", 1, 0), EDESTADDRREQ);

	/* a connected UDP socket learns of an unreachable port */
	close(r);
	CHECK_OK("connect UDP to a closed port", connect(s, SA(&ra), sizeof(ra)));
	CHECK_EQ("send to closed port succeeds", send(s, "x", 1, 0), 1);
	usleep(50000);
	CHECK_SERR("then recv ECONNREFUSED", recv(s, buf, sizeof buf, MSG_DONTWAIT), ECONNREFUSED);
	close(s);
}

static void test_many(void)
{
	uint16_t port;
	int l = listener(&port, 64);
	struct sockaddr_in a = sin4(LO, port);
	int c[NCONN], s[NCONN], okc = 0, oka = 0, okd = 0;

	for (int i = 0; i < NCONN; i++) {
		c[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (connect(c[i], SA(&a), sizeof(a)) == 0)
			okc++;
		unsigned char id = (unsigned char)i;
		write(c[i], &id, 1);
	}
	CHECK_EQ("50 concurrent connects", okc, NCONN);
	for (int i = 0; i < NCONN; i++) {
		s[i] = accept(l, NULL, NULL);
		if (s[i] >= 0)
			oka++;
	}
	CHECK_EQ("50 accepts", oka, NCONN);
	for (int i = 0; i < NCONN; i++) {
		unsigned char id = 0xff;
		if (s[i] >= 0 && read(s[i], &id, 1) == 1 && id == i && write(s[i], &id, 1) == 1)
			okd++;
	}
	CHECK_EQ("50 connections carry their own byte, in order", okd, NCONN);
	okd = 0;
	for (int i = 0; i < NCONN; i++) {
		unsigned char id = 0xff;
		if (read(c[i], &id, 1) == 1 && id == i)
			okd++;
		close(c[i]);
		close(s[i]);
	}
	CHECK_EQ("50 replies", okd, NCONN);
	close(l);
}

/*
 * NSEQ connections one after another whose server end closes first, so
 * each leaves a TIME-WAIT at the listener's port with the client's port
 * as its peer: a later connect must not pick such a port (its SYN would
 * meet the TIME-WAIT). Over 28,232 ephemeral ports, 1,000 random picks
 * that ignored them would collide with near certainty.
 */
#define NSEQ 1000
static void test_time_wait(void)
{
	uint16_t port;
	int l = listener(&port, 4);
	struct sockaddr_in a = sin4(LO, port);
	int ok = 0;

	for (int i = 0; i < NSEQ && l >= 0; i++) {
		char b;
		int c = socket(AF_INET, SOCK_STREAM, 0);
		if (c < 0 || connect(c, SA(&a), sizeof(a)) < 0) {
			close(c);
			break;
		}
		int s = accept(l, NULL, NULL);
		close(s);
		if (s >= 0 && read(c, &b, 1) == 0)
			ok++;
		close(c);
	}
	CHECK_EQ("1000 connections whose server closes first", ok, NSEQ);
	close(l);
}

static void test_rcvtimeo(void)
{
	int c, s;
	char buf[4];
	struct timeval tv = { 0, 200000 }, got;
	socklen_t len = sizeof(got);

	if (tcp_pair(&c, &s) < 0) {
		CHECK("tcp_pair for SO_RCVTIMEO", 0);
		return;
	}
	CHECK_OK("set SO_RCVTIMEO 200 ms", setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	CHECK_OK("get SO_RCVTIMEO", getsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &got, &len));
	CHECK("SO_RCVTIMEO reads back 200 ms", len == sizeof(got) && got.tv_sec == 0 && got.tv_usec == 200000);
	long long t0 = now_ns();
	CHECK_SERR("recv times out EAGAIN", recv(c, buf, sizeof buf, 0), EAGAIN);
	long long ms = (now_ns() - t0) / 1000000;
	CHECK("timeout took 150..2000 ms", ms >= 150 && ms <= 2000);
	tv.tv_usec = 1000000;
	CHECK_SERR("SO_RCVTIMEO tv_usec 1000000 EDOM", setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), EDOM);
	close(c);
	close(s);
}

int main(void)
{
	TEST_BEGIN(T);
	signal(SIGPIPE, SIG_DFL);
	test_lo();
	test_create();
	test_udplite();
	test_bind();
	test_reuseaddr();
	test_listen_accept();
	test_connect_errors();
	test_stream_io();
	test_bulk();
	test_sender_gone();
	test_peer_close();
	test_sockopt();
	test_cork();
	test_bufforce();
	test_bindtodevice();
	test_udp();
	test_many();
	test_time_wait();
	test_rcvtimeo();
	return TEST_END();
}
