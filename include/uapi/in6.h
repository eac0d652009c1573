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

/* IPPROTO_IPV6 options. */
#define IPV6_UNICAST_HOPS	16
#define IPV6_MULTICAST_IF	17
#define IPV6_MULTICAST_HOPS	18
#define IPV6_MULTICAST_LOOP	19
#define IPV6_RECVERR		25
#define IPV6_V6ONLY		26
#define IPV6_RECVTCLASS		66
#define IPV6_TCLASS		67
