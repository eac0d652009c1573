/*
 * Linux x86-64 ABI of AF_INET6 sockets (<netinet/in.h>, <linux/in6.h>):
 * struct sockaddr_in6 and the IPPROTO_IPV6 option names. Addresses and
 * ports in the structures are in network byte order, as on the wire.
 */
#pragma once
#include <uapi/in.h>

struct in6_addr {
	uint8_t s6_addr[16];
};

struct sockaddr_in6 {
	sa_family_t sin6_family;
	uint16_t sin6_port;
	uint32_t sin6_flowinfo;
	struct in6_addr sin6_addr;
	uint32_t sin6_scope_id;
};

_Static_assert(sizeof(struct sockaddr_in6) == 28, "sockaddr_in6 layout");

/* RFC 2133's sockaddr_in6, without sin6_scope_id: the least Linux takes. */
#define SIN6_LEN_RFC2133	24

#define SOL_IPV6		41

/* IPPROTO_IPV6 options (2292: RFC 2292's older numbers, still served). */
#define IPV6_2292PKTINFO	2
#define IPV6_CHECKSUM		7	/* also SOL_RAW */
#define IPV6_2292HOPLIMIT	8
#define IPV6_UNICAST_HOPS	16
#define IPV6_MULTICAST_IF	17
#define IPV6_MULTICAST_HOPS	18
#define IPV6_MULTICAST_LOOP	19
#define IPV6_RECVERR		25
#define IPV6_V6ONLY		26
#define IPV6_HDRINCL		36
#define IPV6_RECVPKTINFO	49
#define IPV6_PKTINFO		50
#define IPV6_RECVHOPLIMIT	51
#define IPV6_HOPLIMIT		52
#define IPV6_RECVTCLASS		66
#define IPV6_TCLASS		67

/* The IPV6_PKTINFO control message: the header's destination, the
 * interface it came in on. */
struct in6_pktinfo {
	struct in6_addr ipi6_addr;
	int32_t ipi6_ifindex;
};

/* Raw sockets' own level (IPV6_CHECKSUM), and ICMPv6's (<linux/icmpv6.h>). */
#define SOL_RAW			255
#define SOL_ICMPV6		58
#define ICMPV6_FILTER		1

/* ICMPV6_FILTER: a set bit blocks that ICMPv6 type. */
struct icmp6_filter {
	uint32_t data[8];
};
