/*
 * The network service's own interfaces between its parts (never included
 * outside services/net/):
 *   net_service.c  the ops table the kernel calls (include/svc/net.h)
 *   netif.c    the interfaces (lo, eth0), their ioctls and /proc/net files
 *   packet.c   AF_PACKET sockets: frames as they come and go on a link
 *   netlink.c  AF_NETLINK sockets: NETLINK_ROUTE's links, addresses, routes
 *   (services/drivers/virtio_net/: the virtio-net PCI driver behind eth0,
 *   linked into this service)
 *   inet*.c    AF_INET sockets over lwIP's raw API
 *   icmp_unreach.c  the destination unreachable lwIP's input sends
 *   lwip_port.c   lwIP's allocator, clock, randomness and diagnostics
 */
#pragma once
#include <svc/net.h>
#include <aramid/types.h>
#include <uapi/if.h>

extern struct service net_service;

/*
 * Hand frames lwIP queued on the loopback interface to lwIP's input now:
 * call after any operation that may have sent something, at the top level
 * of a socket call (never from inside an lwIP callback).
 */
void net_flush(void);

/* netif.c: bring up lo and, if there is a device, eth0 (down). */
int netif_setup(void);
/* netif.c: service the device: received frames, finished transmits. */
void netif_service(void);
int netif_ioctl(unsigned cmd, void *ifr);
int netif_conf(void *ifrs, int n);
int netif_route_ioctl(unsigned cmd, const void *rtentry);
/* netif.c: /proc/net/{dev,route,arp}: length, or -ENOENT for others. */
ssize_t netif_proc_show(const char *name, char *buf, size_t size);

/* What packet and netlink sockets need to know of an interface (netif.c). */
struct netif_link {
	int index;		/* Linux's ifindex */
	char name[IFNAMSIZ];
	uint16_t type;		/* ARPHRD_ETHER or ARPHRD_LOOPBACK */
	uint8_t addr[6];	/* the MAC address (lo: all zero) */
	bool up;		/* IFF_UP */
	bool carrier;		/* the device's link is up */
	int mtu, max_mtu;
	int txqlen;
	unsigned flags;		/* SIOCGIFFLAGS's, and IFF_LOWER_UP */
};
struct netif;
/* netif.c: Linux's ifindex of lwIP's interface @nif, 0 if none. */
int netif_index_of(const struct netif *nif);
/* netif.c: the interface of ifindex @index into *@link: 0 or -ENODEV. */
int netif_link_get(int index, struct netif_link *link);
/*
 * netif.c: send the Ethernet frame @frame of @len bytes on the interface
 * of @index (up): eth0 transmits it, lo receives it back. 0, -EMSGSIZE,
 * -ENOBUFS (device ring full), -ENODEV.
 */
int netif_link_xmit(int index, const void *frame, size_t len);

/* An interface's IPv4 address (netif.c; one per interface). */
struct netif_addr {
	uint32_t local;		/* network byte order */
	uint32_t broadcast;	/* network byte order; 0 for none */
	int prefixlen;
	uint32_t cstamp, tstamp;	/* set, changed: 1/100 s since boot */
};
/* netif.c: the address of ifindex @index: 0, -EADDRNOTAVAIL, -ENODEV. */
int netif_addr_get(int index, struct netif_addr *a);
/*
 * An interface's IPv6 address (netif.c; lwIP's slots of one interface):
 * ::1 on lo, set by hand; eth0's link-local one, made as it comes up, and
 * those stateless autoconfiguration makes from a router's prefixes.
 */
struct netif_addr6 {
	uint8_t addr[16];
	int prefixlen;		/* 128 for ::1, else lwIP's implied 64 */
	uint8_t scope;		/* IPv6 scope as if_inet6: 0x10 host, 0x20 link */
	uint32_t flags;		/* IFA_F_*: PERMANENT, or SLAAC's MANAGETEMPADDR */
	uint32_t preferred, valid;	/* seconds left, or INFINITY_LIFE_TIME */
	uint32_t cstamp, tstamp;	/* set, changed: 1/100 s since boot */
};
#define NETIF_ADDR6_SCOPE_GLOBAL	0x00
#define NETIF_ADDR6_SCOPE_HOST		0x10
#define NETIF_ADDR6_SCOPE_LINK		0x20
#define NETIF_ADDR6_SCOPE_SITE		0x40	/* fec0::/10 */
/*
 * netif.c: the IPv6 address in slot @slot of ifindex @index: 0,
 * -EADDRNOTAVAIL (an empty slot), -ENODEV (no such interface, or @slot
 * past the last).
 */
int netif_addr6_get(int index, int slot, struct netif_addr6 *a);
/*
 * netif.c: give ifindex @index the address @a (local 0: none), its
 * subnet route following, as SIOCSIFADDR does: 0, -ENODEV, -EINVAL.
 */
int netif_addr_set(int index, const struct netif_addr *a);

/*
 * An IPv6 route as Linux's fib6 would hold it (route6.c): made from
 * lwIP's state, never set by hand. The main table: ::1/128 on lo, each
 * link's fe80::/64, the on-link prefixes routers advertise, the default
 * route through each router; the local table: a local route per
 * address, ff00::/8 on each multicast link.
 */
struct netif_route6 {
	uint8_t dst[16];
	int dst_len;
	uint8_t gw[16];		/* all zero: none */
	int index;		/* the interface */
	uint32_t metric;
	uint8_t table;		/* RT_TABLE_MAIN or RT_TABLE_LOCAL */
	uint8_t protocol;	/* RTPROT_KERNEL or RTPROT_RA */
	uint8_t type;		/* RTN_UNICAST, RTN_LOCAL or RTN_MULTICAST */
	uint32_t expires;	/* seconds left, 0: never */
};
/*
 * route6.c: the route at @pos of Linux's dump order (the main table, then
 * the local one, each as a walk of its tree): 0, -ENOENT past the last.
 */
int netif_route6_get(unsigned pos, struct netif_route6 *r);

/* An IPv4 route of the main table (netif.c), as netlink describes it. */
struct netif_route {
	uint32_t dst, gw;	/* network byte order; gw 0: none */
	int dst_len;		/* prefix length */
	int32_t metric;		/* RTA_PRIORITY */
	int index;		/* the interface, 0: none (or any, to delete) */
	uint8_t protocol;	/* RTPROT_*; 0: any, to delete */
	uint8_t scope;		/* RT_SCOPE_*; NOWHERE: any, to delete */
	uint8_t type;		/* RTN_UNICAST or RTN_UNREACHABLE */
	bool onlink;		/* RTNH_F_ONLINK */
	uint32_t prefsrc;	/* from netif_route_get: RTA_PREFSRC or 0 */
};
/*
 * netif.c: add a route, with netlink's NLM_F_CREATE/EXCL/REPLACE in
 * @nlflags: 0, -EEXIST, -ENOENT, -ENODEV, -ENETUNREACH (the gateway is
 * on no connected subnet), -ENETDOWN, -EINVAL, -ENOBUFS (table full).
 */
int netif_route_add(const struct netif_route *rt, unsigned nlflags);
/* netif.c: delete the first route that matches @rt: 0, -ESRCH, -ENODEV. */
int netif_route_del(const struct netif_route *rt);
/* netif.c: the route at @pos in the table's order: 0, -ENOENT past it. */
int netif_route_get(unsigned pos, struct netif_route *rt);

/* netlink.c: a new AF_NETLINK socket (sets sock->ops and sock->priv). */
int netlink_create(struct socket *sock, int type, int protocol);

/* packet.c: a new AF_PACKET socket (sets sock->ops and sock->priv). */
int packet_create(struct socket *sock, int type, int protocol);
/*
 * packet.c: the frame @frame of @len bytes went out (@outgoing) or came
 * in on the interface of @index: a copy for each packet socket that
 * wants it (not @origin, the packet socket that sent it, if any). The
 * service's context (netd, or a socket call), never inside lwIP.
 */
void packet_rx(int index, const void *frame, size_t len, bool outgoing,
	       const void *origin);
/* packet.c: does some packet socket take outgoing frames (ETH_P_ALL)? */
bool packet_want_outgoing(void);

/* inet.c: a new AF_INET or AF_INET6 socket (sets sock->ops, sock->priv). */
int inet_create(struct socket *sock, int family, int type, int protocol);
/* inet*.c: /proc/net/{tcp,udp,raw}[6], if_inet6: length, or -ENOENT. */
ssize_t inet_proc_show(const char *name, char *buf, size_t size);

/* net_text.c: a /proc/net text being built, truncated at its size. */
struct net_text {
	char *buf;
	size_t size;
	size_t len;
};
void net_text_printf(struct net_text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Pad the current line with spaces to @width characters, then a newline. */
void net_text_pad(struct net_text *t, size_t line_start, size_t width);
