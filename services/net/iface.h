/*
 * Private to the interface files of the network service: the interfaces
 * as Linux shows them (netif.c) and the IPv4 routing table (route.c).
 */
#pragma once
#include "net.h"
#include "lwip/netif.h"
#include <uapi/if.h>

#define IFACE_MAX	2	/* lo and eth0 */

struct iface {
	const char *name;
	struct netif *nif;
	int index;		/* Linux's ifindex */
	uint16_t type;		/* ARPHRD_* */
	uint16_t flags;		/* the IFF_USER_MASK part */
	uint16_t fixed_flags;	/* IFF_LOOPBACK or IFF_BROADCAST */
	uint32_t broadcast;	/* network byte order; 0 if none */
	int32_t mtu;
	int32_t txqlen;
	uint32_t addr_cstamp, addr_tstamp;	/* IFA_CACHEINFO's stamps */
	uint64_t lo_packets, lo_bytes;	/* lo: what it carried */
};

/*
 * netif.c: the interface named @name, behind lwIP's @nif, or of Linux
 * index @index (NULL if none); whether it is up (IFF_UP) and running
 * (up with its link up); its IPv4 address.
 */
struct iface *iface_by_name(const char *name);
struct iface *iface_by_netif(const struct netif *nif);
struct iface *iface_by_index(int index);
bool iface_up(const struct iface *ifc);
bool iface_running(const struct iface *ifc);
uint32_t iface_addr(const struct iface *ifc);	/* network byte order */
uint32_t iface_mask(const struct iface *ifc);
/* The IPv4 address in a struct sockaddr of an ioctl. */
uint32_t in_addr_of(const struct if_sockaddr *sa);
/* The prefix length of a contiguous mask, or -1; and the other way. */
int mask_len(uint32_t mask_be);
uint32_t len_to_mask(int len);

/*
 * loop.c: queue @p, sent to this host through @netif, for netif_poll:
 * lwIP's netif_loop_output, with a large TCP segment's data shared
 * rather than copied. ERR_OK, or ERR_MEM. lwIP's ip4.c calls it by
 * that name (the Makefile renames its calls).
 */
err_t net_loop_output(struct netif *netif, struct pbuf *p);

/* route.c: the table as interfaces change. */
/* Drop every route through @ifc (it went down or was renumbered). */
void routes_flush(const struct iface *ifc);
/* Add @ifc's subnet route if it is up with an address (lo has none). */
void routes_connect(struct iface *ifc);
/* /proc/net/route. */
void route_show(struct net_text *t);
