/*
 * lwIP's configuration for Aramid (read by lwIP's opt.h). The stack runs
 * without OS threads (NO_SYS): the network service calls it from process
 * context only, on one CPU with a non-preemptive kernel, so it needs no
 * locks; the kernel's network thread (kernel/net/netd.c) feeds it received
 * frames and drives its timers. Memory comes from the kernel heap.
 */
#pragma once

#define NO_SYS			1
#define SYS_LIGHTWEIGHT_PROT	0
#define LWIP_TIMERS		1
#define LWIP_NETCONN		0
#define LWIP_SOCKET		0
#define LWIP_NO_CTYPE_H		1
#define LWIP_NO_INTTYPES_H	1

/* Memory: every pool and the heap from kmalloc (net_lwip_port.c). */
#define MEM_LIBC_MALLOC		1
#define MEMP_MEM_MALLOC		1
#define MEM_ALIGNMENT		8
#define mem_clib_malloc		lwip_port_malloc
#define mem_clib_calloc		lwip_port_calloc
#define mem_clib_free		lwip_port_free
#define MEMP_NUM_TCP_PCB	1024
#define MEMP_NUM_TCP_PCB_LISTEN	128
#define MEMP_NUM_UDP_PCB	256
#define MEMP_NUM_RAW_PCB	64
#define MEMP_NUM_TCP_SEG	4096
#define MEMP_NUM_PBUF		4096
#define MEMP_NUM_REASSDATA	16
#define MEMP_NUM_ARP_QUEUE	64
#define PBUF_POOL_SIZE		1024

/*
 * Protocols: IPv4 with ARP, ICMP, UDP, TCP and raw IP; IPv6 with ICMPv6,
 * neighbour discovery, MLD and stateless autoconfiguration (no DHCPv6).
 */
#define LWIP_IPV4		1
#define LWIP_IPV6		1
#define LWIP_IPV6_AUTOCONFIG	1
/*
 * Router solicitations a second apart (lwIP's default is Linux's 4 s
 * interval, but Linux sends its first as soon as the link-local address
 * is through DAD, lwIP at its next 4 s tick): an address from the
 * router's prefix within about 3 s of the interface coming up.
 */
#define ND6_RTR_SOLICITATION_INTERVAL 1000
#define LWIP_IPV6_DHCP6		0
#define LWIP_IPV6_NUM_ADDRESSES	3
/* 64-bit pointers do not fit in a fragment header: reassembly copies it. */
#define IPV6_FRAG_COPYHEADER	1
#define LWIP_ARP		1
#define LWIP_ETHERNET		1
#define LWIP_ICMP		1
#define LWIP_RAW		1
#define LWIP_UDP		1
#define LWIP_UDPLITE		1
#define LWIP_TCP		1
#define LWIP_DHCP		0	/* user space does it (udhcpc) */
#define LWIP_AUTOIP		0
#define LWIP_IGMP		0
#define LWIP_DNS		0	/* user space does it */
#define IP_FORWARD		0
#define IP_REASSEMBLY		1
#define IP_FRAG			1
#define LWIP_BROADCAST_PING	1
#define LWIP_MULTICAST_PING	1
#define IP_SOF_BROADCAST	0
#define SO_REUSE		1
#define ARP_TABLE_SIZE		32
#define ARP_QUEUEING		1
#define ETHARP_SUPPORT_STATIC_ENTRIES 1

/* Interfaces: lo (127.0.0.1) and the virtio-net device. */
#define LWIP_SINGLE_NETIF	0
#define LWIP_HAVE_LOOPIF	1
#define LWIP_NETIF_LOOPBACK	1
#define LWIP_LOOPBACK_MAX_PBUFS	0
#define LWIP_NETIF_HOSTNAME	0
#define LWIP_NETIF_STATUS_CALLBACK 0
#define LWIP_NETIF_LINK_CALLBACK 0

/*
 * TCP sized for a LAN: 256 KiB windows (scaled). The MSS is the largest
 * a connection may use: each is held to its interface's MTU (eth0: 1460),
 * so only loopback, which has none in lwIP, sends 16 KiB segments (Linux's
 * lo sends 64 KiB ones). The send queue counts segments of the smallest
 * MSS. TCP_SNDLOWAT is unused by the raw API (inet_tcp.c has its own
 * write threshold) and set low only to satisfy lwIP's sanity checks.
 */
#define TCP_MSS			(16384 - 40)
#define LWIP_WND_SCALE		1
#define TCP_RCV_SCALE		3
#define TCP_WND			(256 * 1024)
#define TCP_SND_BUF		(128 * 1024)
#define TCP_SND_QUEUELEN	(4 * TCP_SND_BUF / 536)
#define TCP_SNDLOWAT		128
/* Announce a reopened window after 4 Ethernet segments, not 4 of ours. */
#define TCP_WND_UPDATE_THRESHOLD (4 * 1460)
#define TCP_QUEUE_OOSEQ		1
#define TCP_LISTEN_BACKLOG	1
#define TCP_DEFAULT_LISTEN_BACKLOG 255
#define LWIP_TCP_KEEPALIVE	1
#define TCP_MAXRTX		12
#define TCP_SYNMAXRTX		6
#define LWIP_CALLBACK_API	1
#define LWIP_EVENT_API		0

/* Statistics feed /proc/net/snmp-like counters and /proc/net/dev. */
#define LWIP_STATS		0
#define LWIP_STATS_DISPLAY	0

/*
 * Checksums all in software: the device offers no offloads we use. The
 * loopback interface skips them (netif.c), per interface.
 */
#define LWIP_CHECKSUM_CTRL_PER_NETIF 1
#define CHECKSUM_GEN_IP		1
#define CHECKSUM_GEN_UDP	1
#define CHECKSUM_GEN_TCP	1
#define CHECKSUM_GEN_ICMP	1
#define CHECKSUM_CHECK_IP	1
#define CHECKSUM_CHECK_UDP	1
#define CHECKSUM_CHECK_TCP	1
#define CHECKSUM_CHECK_ICMP	1

/* Randomness (initial sequence numbers, ports) from the kernel's pool. */
#define LWIP_RAND()		lwip_port_rand()
unsigned int lwip_port_rand(void);

/*
 * Routes beyond the connected subnets (the default route, routes via a
 * gateway, host and reject routes) come from the Linux-style routing
 * table of netif.c; lwIP's own default netif and netif gateway stay unset.
 */
struct netif;
struct ip4_addr;
struct netif *netif_route_hook(const struct ip4_addr *dest);
const struct ip4_addr *netif_route_gw_hook(struct netif *netif,
					   const struct ip4_addr *dest);
#define LWIP_HOOK_IP4_ROUTE(dest)		netif_route_hook(dest)
#define LWIP_HOOK_ETHARP_GET_GW(netif, dest)	netif_route_gw_hook(netif, dest)

/*
 * Linux's default TTL (net.ipv4.ip_default_ttl), for ICMP replies too,
 * and its hop limit for the ICMPv6 ones (net.ipv6.conf.*.hop_limit);
 * neighbour discovery keeps its 255.
 */
#define IP_DEFAULT_TTL		64
#define ICMP_TTL		64
#define LWIP_ICMP6_HL		64
