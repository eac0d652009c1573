/*
 * Linux x86-64 ABI of AF_INET sockets (<netinet/in.h>, <netinet/tcp.h>):
 * struct sockaddr_in, the IPPROTO_* numbers, the well-known addresses and
 * the IPPROTO_IP and IPPROTO_TCP option names. Addresses and ports in the
 * structures are in network byte order, as on the wire.
 */
#pragma once
#include <uapi/socket.h>

#define IPPROTO_IP	0
#define IPPROTO_ICMP	1
#define IPPROTO_IGMP	2
#define IPPROTO_TCP	6
#define IPPROTO_UDP	17
#define IPPROTO_IPV6	41
#define IPPROTO_ICMPV6	58
#define IPPROTO_SCTP	132
#define IPPROTO_UDPLITE	136
#define IPPROTO_RAW	255
#define IPPROTO_MAX	263

/* Host byte order, as <netinet/in.h> defines them. */
#define INADDR_ANY		0x00000000U
#define INADDR_BROADCAST	0xffffffffU
#define INADDR_NONE		0xffffffffU
#define INADDR_LOOPBACK		0x7f000001U

struct in_addr {
	uint32_t s_addr;
};

struct sockaddr_in {
	sa_family_t sin_family;
	uint16_t sin_port;
	struct in_addr sin_addr;
	uint8_t sin_zero[8];
};

_Static_assert(sizeof(struct sockaddr_in) == 16, "sockaddr_in layout");

/* Option levels: the protocol numbers. */
#define SOL_IP		0
#define SOL_TCP		6
#define SOL_UDP		17
#define SOL_UDPLITE	136
#define UDP_CORK		1	/* SOL_UDP */
#define UDPLITE_SEND_CSCOV	10
#define UDPLITE_RECV_CSCOV	11

/* IPPROTO_IP options. */
#define IP_TOS			1
#define IP_TTL			2
#define IP_HDRINCL		3
#define IP_OPTIONS		4
#define IP_PKTINFO		8
#define IP_RECVERR		11
#define IP_RECVTTL		12
#define IP_RECVTOS		13
#define IP_MTU_DISCOVER		10
#define IP_MULTICAST_IF		32
#define IP_MULTICAST_TTL	33
#define IP_MULTICAST_LOOP	34
#define IP_ADD_MEMBERSHIP	35
#define IP_DROP_MEMBERSHIP	36

/* The IP_PKTINFO control message: the interface, the local address a
 * reply would come from, the header's destination. */
struct in_pktinfo {
	int32_t ipi_ifindex;
	uint32_t ipi_spec_dst;
	uint32_t ipi_addr;
};

/* IPPROTO_TCP options. */
#define TCP_NODELAY	1
#define TCP_MAXSEG	2
#define TCP_CORK	3
#define TCP_KEEPIDLE	4
#define TCP_KEEPINTVL	5
#define TCP_KEEPCNT	6
#define TCP_INFO	11

/* Socket queue ioctls (<linux/sockios.h>): the terminal ioctls' numbers. */
#define SIOCINQ		0x541B	/* FIONREAD */
#define SIOCOUTQ	0x5411	/* TIOCOUTQ */
#define SIOCATMARK	0x8905
