/* abi_packet.c - AF_PACKET sockets on lo: creation and bind errors, names, frames sent and received whole (SOCK_RAW) and without the link header (SOCK_DGRAM) with their sockaddr_ll, outgoing copies for ETH_P_ALL, PACKET_AUXDATA, MSG_TRUNC/FIONREAD, memberships, filters, SO_BINDTODEVICE and EPERM without root. */
#include "check.h"
#include <net/if.h>
#include <net/ethernet.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <poll.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#define T "abi_packet"
#define ETYPE 0x88b5		/* IEEE local experimental ethertype */
#define ARPHRD_LOOPBACK_ 772
#define PACKET_STATISTICS_ 6
#define TP_STATUS_USER_ 1
#define SA(p) ((struct sockaddr *)(p))

/* Linux's struct tpacket_auxdata, struct tpacket_stats, sock_fprog. */
struct aux {
	uint32_t status, len, snaplen;
	uint16_t mac, net, vlan_tci, vlan_tpid;
};
struct stats {
	uint32_t packets, drops;
};
struct bpf_insn {
	uint16_t code;
	uint8_t jt, jf;
	uint32_t k;
};
struct bpf_prog {
	unsigned short len;
	struct bpf_insn *filter;
};

static const uint8_t BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t SRC[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static int lo_index;

static struct sockaddr_ll sll(int proto, int index)
{
	struct sockaddr_ll a;
	memset(&a, 0, sizeof(a));
	a.sll_family = AF_PACKET;
	a.sll_protocol = htons(proto);
	a.sll_ifindex = index;
	return a;
}

/* A socket of @type for @proto bound to lo, or -1. */
static int lo_sock(int type, int proto)
{
	int fd = socket(AF_PACKET, type, htons(proto));
	struct sockaddr_ll a = sll(proto, lo_index);
	if (fd >= 0 && bind(fd, SA(&a), sizeof(a)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The next frame of our ethertype on @fd (others skipped): its length. */
static int recv_ours(int fd, void *buf, size_t size, struct sockaddr_ll *from,
		     socklen_t *flen)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 2000) != 1)
			return -1;
		*flen = sizeof(*from);
		int n = recvfrom(fd, buf, size, 0, SA(from), flen);
		if (n < 0 || from->sll_protocol == htons(ETYPE))
			return n;
	}
}

/* As recv_ours, skipping outgoing copies too. */
static int recv_in(int fd, void *buf, size_t size, struct sockaddr_ll *from,
		   socklen_t *flen)
{
	int n;
	do
		n = recv_ours(fd, buf, size, from, flen);
	while (n >= 0 && from->sll_pkttype == PACKET_OUTGOING);
	return n;
}

static void test_lo_up(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	CHECK_OK("SIOCGIFINDEX lo", ioctl(fd, SIOCGIFINDEX, &ifr));
	lo_index = ifr.ifr_ifindex;
	ioctl(fd, SIOCGIFFLAGS, &ifr);
	ifr.ifr_flags |= IFF_UP;
	CHECK_OK("lo up", ioctl(fd, SIOCSIFFLAGS, &ifr));
	close(fd);
}

static void test_create_bind(void)
{
	CHECK_SERR("SOCK_STREAM ESOCKTNOSUPPORT", socket(AF_PACKET, SOCK_STREAM, htons(ETH_P_ALL)), ESOCKTNOSUPPORT);
	int fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));
	CHECK_OK("socket SOCK_DGRAM ETH_P_IP", fd);
	int v = -1;
	socklen_t len = sizeof(v);
	CHECK_OK("SO_DOMAIN", getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &v, &len));
	CHECK_EQ("SO_DOMAIN is AF_PACKET", v, AF_PACKET);
	len = sizeof(v);
	getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len);
	CHECK_EQ("SO_TYPE is SOCK_DGRAM", v, SOCK_DGRAM);

	struct sockaddr_ll a;
	len = sizeof(a);
	memset(&a, 0x55, sizeof(a));
	CHECK_OK("getsockname unbound", getsockname(fd, SA(&a), &len));
	CHECK_EQ("unbound name length 12 (no address)", len, 12);
	CHECK_EQ("name family", a.sll_family, AF_PACKET);
	CHECK_EQ("name protocol ETH_P_IP", a.sll_protocol, htons(ETH_P_IP));
	CHECK_EQ("name ifindex 0", a.sll_ifindex, 0);
	len = sizeof(a);
	CHECK_SERR("getpeername EOPNOTSUPP", getpeername(fd, SA(&a), &len), EOPNOTSUPP);

	a = sll(ETH_P_IP, lo_index);
	CHECK_SERR("bind short length EINVAL", bind(fd, SA(&a), 10), EINVAL);
	a.sll_family = AF_INET;
	CHECK_SERR("bind AF_INET family EINVAL", bind(fd, SA(&a), sizeof(a)), EINVAL);
	a = sll(ETH_P_IP, 9999);
	CHECK_SERR("bind unknown ifindex ENODEV", bind(fd, SA(&a), sizeof(a)), ENODEV);
	char b[4] = "abc";
	CHECK_SERR("send unbound, no address ENXIO", send(fd, b, 3, 0), ENXIO);
	a = sll(ETH_P_IP, lo_index);
	CHECK_SERR("sendto short address EINVAL", sendto(fd, b, 3, 0, SA(&a), 10), EINVAL);
	CHECK_SERR("connect EOPNOTSUPP", connect(fd, SA(&a), sizeof(a)), EOPNOTSUPP);
	CHECK_SERR("listen EOPNOTSUPP", listen(fd, 1), EOPNOTSUPP);
	CHECK_SERR("shutdown EOPNOTSUPP", shutdown(fd, SHUT_RDWR), EOPNOTSUPP);

	/* bind with protocol 0 keeps the socket's */
	a = sll(0, lo_index);
	CHECK_OK("bind lo", bind(fd, SA(&a), sizeof(a)));
	len = sizeof(a);
	memset(&a, 0x55, sizeof(a));
	CHECK_OK("getsockname bound", getsockname(fd, SA(&a), &len));
	CHECK_EQ("bound name length 18", len, 18);
	CHECK_EQ("bound name ifindex lo", a.sll_ifindex, lo_index);
	CHECK_EQ("bound name protocol kept", a.sll_protocol, htons(ETH_P_IP));
	CHECK_EQ("bound name hatype ARPHRD_LOOPBACK", a.sll_hatype, ARPHRD_LOOPBACK_);
	CHECK_EQ("bound name halen 6", a.sll_halen, 6);
	CHECK_SERR("recv MSG_WAITALL EINVAL", recv(fd, b, 3, MSG_WAITALL | MSG_DONTWAIT), EINVAL);
	CHECK_SERR("recv nothing queued EAGAIN", recv(fd, b, 3, MSG_DONTWAIT), EAGAIN);
	close(fd);
}

static void test_frames(void)
{
	int tx = lo_sock(SOCK_RAW, ETH_P_ALL);
	int all = lo_sock(SOCK_RAW, ETH_P_ALL);
	int dg = lo_sock(SOCK_DGRAM, ETYPE);
	CHECK("three sockets bound to lo", tx >= 0 && all >= 0 && dg >= 0);

	uint8_t frame[64], buf[256];
	memcpy(frame, BCAST, 6);
	memcpy(frame + 6, SRC, 6);
	frame[12] = ETYPE >> 8;
	frame[13] = ETYPE & 0xff;
	memcpy(frame + 14, "aramid-packet", 13);
	CHECK_EQ("SOCK_RAW send 27 bytes", send(tx, frame, 27, 0), 27);

	struct sockaddr_ll from;
	socklen_t flen;
	int n = recv_ours(all, buf, sizeof buf, &from, &flen);
	CHECK_EQ("ETH_P_ALL gets the outgoing copy, 27 bytes", n, 27);
	CHECK_EQ("outgoing: PACKET_OUTGOING", from.sll_pkttype, PACKET_OUTGOING);
	n = recv_ours(all, buf, sizeof buf, &from, &flen);
	CHECK_EQ("ETH_P_ALL gets the frame coming in, 27 bytes", n, 27);
	CHECK("the whole frame", n == 27 && memcmp(buf, frame, 27) == 0);
	/* lo has no broadcast address: all-ones is a multicast one */
	CHECK_EQ("incoming: PACKET_MULTICAST", from.sll_pkttype, PACKET_MULTICAST);
	CHECK_EQ("from: address length 20", flen, 20);
	CHECK_EQ("from: family", from.sll_family, AF_PACKET);
	CHECK_EQ("from: ifindex lo", from.sll_ifindex, lo_index);
	CHECK_EQ("from: hatype ARPHRD_LOOPBACK", from.sll_hatype, ARPHRD_LOOPBACK_);
	CHECK_EQ("from: halen 6", from.sll_halen, 6);
	CHECK("from: the source address", memcmp(from.sll_addr, SRC, 6) == 0);
	n = recv_ours(tx, buf, sizeof buf, &from, &flen);
	CHECK_EQ("the sender gets its frame coming in only", from.sll_pkttype, PACKET_MULTICAST);

	n = recv_ours(dg, buf, sizeof buf, &from, &flen);
	CHECK_EQ("SOCK_DGRAM gets the payload, 13 bytes", n, 13);
	CHECK("the payload", n == 13 && memcmp(buf, "aramid-packet", 13) == 0);
	CHECK_EQ("SOCK_DGRAM from: protocol", from.sll_protocol, htons(ETYPE));
	CHECK_SERR("SOCK_DGRAM: nothing more", recv(dg, buf, sizeof buf, MSG_DONTWAIT), EAGAIN);

	/* SOCK_DGRAM send: the service builds the header */
	struct sockaddr_ll to = sll(ETYPE, lo_index);
	to.sll_halen = 6;
	CHECK_EQ("SOCK_DGRAM sendto 5 bytes", sendto(dg, "dgram", 5, 0, SA(&to), sizeof(to)), 5);
	n = recv_in(tx, buf, sizeof buf, &from, &flen);
	CHECK_EQ("SOCK_RAW gets 19 bytes", n, 19);
	static const uint8_t zero[6];
	CHECK("header: to and from lo's zero address, our type",
	      n == 19 && !memcmp(buf, zero, 6) && !memcmp(buf + 6, zero, 6) &&
	      buf[12] == ETYPE >> 8 && buf[13] == (ETYPE & 0xff) &&
	      !memcmp(buf + 14, "dgram", 5));
	CHECK_EQ("to lo's own address: PACKET_HOST", from.sll_pkttype, PACKET_HOST);
	n = recv_ours(dg, buf, sizeof buf, &from, &flen);
	CHECK("the SOCK_DGRAM sender gets its frame coming in",
	      n == 5 && from.sll_pkttype == PACKET_HOST);

	/* PACKET_AUXDATA, FIONREAD, MSG_TRUNC, MSG_PEEK */
	int one = 1;
	CHECK_OK("PACKET_AUXDATA on", setsockopt(dg, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one)));
	CHECK_EQ("SOCK_RAW send again", send(tx, frame, 27, 0), 27);
	struct pollfd p = { .fd = dg, .events = POLLIN };
	CHECK_EQ("poll: readable", poll(&p, 1, 2000), 1);
	int q = -1;
	CHECK_OK("FIONREAD", ioctl(dg, FIONREAD, &q));
	CHECK_EQ("FIONREAD is the payload size", q, 13);
	union { struct cmsghdr h; char b[CMSG_SPACE(sizeof(struct aux))]; } cbuf;
	struct iovec iov = { .iov_base = buf, .iov_len = 4 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = &cbuf, .msg_controllen = sizeof(cbuf) };
	CHECK_EQ("recvmsg 4 of 13", recvmsg(dg, &m, 0), 4);
	CHECK("MSG_TRUNC set", m.msg_flags & MSG_TRUNC);
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	CHECK("a PACKET_AUXDATA message", c && c->cmsg_level == SOL_PACKET && c->cmsg_type == PACKET_AUXDATA &&
	      c->cmsg_len == CMSG_LEN(sizeof(struct aux)));
	if (c) {
		struct aux ax;
		memcpy(&ax, CMSG_DATA(c), sizeof(ax));
		CHECK("auxdata: TP_STATUS_USER", ax.status & TP_STATUS_USER_);
		CHECK_EQ("auxdata: tp_len 13", ax.len, 13);
		CHECK_EQ("auxdata: tp_snaplen 13", ax.snaplen, 13);
		CHECK_EQ("auxdata: tp_net 0 (no link header)", ax.net, 0);
	}
	CHECK_EQ("SOCK_RAW send a third", send(tx, frame, 27, 0), 27);
	CHECK_EQ("poll: readable again", poll(&p, 1, 2000), 1);
	CHECK_EQ("MSG_PEEK|MSG_TRUNC gives the whole length", recv(dg, buf, 4, MSG_PEEK | MSG_TRUNC), 13);
	CHECK_EQ("MSG_TRUNC takes it", recv(dg, buf, 4, MSG_TRUNC), 13);

	struct stats st;
	socklen_t sl = sizeof(st);
	CHECK_OK("PACKET_STATISTICS", getsockopt(dg, SOL_PACKET, PACKET_STATISTICS_, &st, &sl));
	CHECK("statistics: 4 frames, no drops", sl == sizeof(st) && st.packets == 4 && st.drops == 0);
	sl = sizeof(st);
	getsockopt(dg, SOL_PACKET, PACKET_STATISTICS_, &st, &sl);
	CHECK_EQ("statistics reset by reading", st.packets, 0);
	close(tx);
	close(all);
	close(dg);
}

static void test_options(void)
{
	int fd = lo_sock(SOCK_RAW, ETH_P_ARP);
	struct packet_mreq mr;
	memset(&mr, 0, sizeof(mr));
	mr.mr_ifindex = lo_index;
	mr.mr_type = PACKET_MR_PROMISC;
	CHECK_OK("PACKET_ADD_MEMBERSHIP promisc", setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)));
	CHECK_OK("PACKET_DROP_MEMBERSHIP", setsockopt(fd, SOL_PACKET, PACKET_DROP_MEMBERSHIP, &mr, sizeof(mr)));
	CHECK_OK("dropping one not there is quiet", setsockopt(fd, SOL_PACKET, PACKET_DROP_MEMBERSHIP, &mr, sizeof(mr)));
	CHECK_SERR("membership short EINVAL", setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, 8), EINVAL);
	mr.mr_ifindex = 9999;
	CHECK_SERR("membership unknown ifindex ENODEV", setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)), ENODEV);
	int v = 0;
	CHECK_SERR("unknown SOL_PACKET option ENOPROTOOPT", setsockopt(fd, SOL_PACKET, 9999, &v, sizeof(v)), ENOPROTOOPT);

	struct bpf_insn accept_all = { 0x06, 0, 0, 0xffffffff };	/* ret #-1 */
	struct bpf_prog prog = { 1, &accept_all };
	CHECK_SERR("SO_DETACH_FILTER without one ENOENT", setsockopt(fd, SOL_SOCKET, SO_DETACH_FILTER, &v, sizeof(v)), ENOENT);
	CHECK_SERR("SO_ATTACH_FILTER bad length EINVAL", setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, 8), EINVAL);
	prog.len = 0;
	CHECK_SERR("SO_ATTACH_FILTER empty EINVAL", setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)), EINVAL);
	prog.len = 1;
	CHECK_OK("SO_ATTACH_FILTER accept-all", setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)));
	CHECK_OK("SO_DETACH_FILTER", setsockopt(fd, SOL_SOCKET, SO_DETACH_FILTER, &v, sizeof(v)));
	/* Socket filters are for every socket, not only packet ones. */
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK_OK("SO_ATTACH_FILTER on a UDP socket", setsockopt(u, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)));
	CHECK_OK("SO_DETACH_FILTER on a UDP socket", setsockopt(u, SOL_SOCKET, SO_DETACH_FILTER, &v, sizeof(v)));
	CHECK_SERR("then none left: ENOENT", setsockopt(u, SOL_SOCKET, SO_DETACH_FILTER, &v, sizeof(v)), ENOENT);
	close(u);

	char name[IFNAMSIZ];
	socklen_t len = sizeof(name);
	CHECK_OK("SO_BINDTODEVICE unbound reads", getsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, name, &len));
	CHECK_EQ("unbound: length 0", len, 0);
	CHECK_OK("SO_BINDTODEVICE lo", setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3));
	len = sizeof(name);
	CHECK_OK("SO_BINDTODEVICE reads", getsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, name, &len));
	CHECK("reads lo, length 3", len == 3 && strcmp(name, "lo") == 0);
	CHECK_SERR("SO_BINDTODEVICE unknown ENODEV", setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, "nosuchdev0", 11), ENODEV);
	close(fd);

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK_OK("UDP SO_BINDTODEVICE lo", setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3));
	CHECK_SERR("UDP SO_BINDTODEVICE unknown ENODEV", setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, "nosuchdev0", 11), ENODEV);
	CHECK_OK("UDP SO_BINDTODEVICE \"\" unbinds", setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, "", 0));
	close(fd);
}

static int unprivileged(void *arg)
{
	(void)arg;
	if (setuid(65534) != 0)
		return 2;
	errno = 0;
	int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	return fd < 0 && errno == EPERM ? 0 : 1;
}

int main(void)
{
	TEST_BEGIN(T);
	test_lo_up();
	test_create_bind();
	test_frames();
	test_options();
	int st = run_child(unprivileged, NULL);
	CHECK("EPERM without root", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	return TEST_END();
}
