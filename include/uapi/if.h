/*
 * Linux x86-64 ABI of network interfaces and IPv4 routes: interface flags,
 * the SIOC* socket ioctl numbers (linux/sockios.h), struct ifreq and
 * struct ifconf (linux/if.h), struct rtentry and its RTF_* flags
 * (linux/route.h), and the ARP hardware types (linux/if_arp.h).
 */
#pragma once
#include <aramid/types.h>
#include <uapi/socket.h>

#define IFNAMSIZ	16

/* Interface flags (struct ifreq.ifr_flags, the low 16 bits are user's). */
#define IFF_UP		0x1
#define IFF_BROADCAST	0x2
#define IFF_DEBUG	0x4
#define IFF_LOOPBACK	0x8
#define IFF_POINTOPOINT	0x10
#define IFF_NOTRAILERS	0x20
#define IFF_RUNNING	0x40
#define IFF_NOARP	0x80
#define IFF_PROMISC	0x100
#define IFF_ALLMULTI	0x200
#define IFF_MASTER	0x400
#define IFF_SLAVE	0x800
#define IFF_MULTICAST	0x1000
#define IFF_PORTSEL	0x2000
#define IFF_AUTOMEDIA	0x4000
#define IFF_DYNAMIC	0x8000
#define IFF_LOWER_UP	0x10000
#define IFF_DORMANT	0x20000
#define IFF_ECHO	0x40000

/* Routing table ioctls. */
#define SIOCADDRT	0x890B
#define SIOCDELRT	0x890C
#define SIOCRTMSG	0x890D

/* Interface ioctls. */
#define SIOCGIFNAME	0x8910
#define SIOCSIFLINK	0x8911
#define SIOCGIFCONF	0x8912
#define SIOCGIFFLAGS	0x8913
#define SIOCSIFFLAGS	0x8914
#define SIOCGIFADDR	0x8915
#define SIOCSIFADDR	0x8916
#define SIOCGIFDSTADDR	0x8917
#define SIOCSIFDSTADDR	0x8918
#define SIOCGIFBRDADDR	0x8919
#define SIOCSIFBRDADDR	0x891a
#define SIOCGIFNETMASK	0x891b
#define SIOCSIFNETMASK	0x891c
#define SIOCGIFMETRIC	0x891d
#define SIOCSIFMETRIC	0x891e
#define SIOCGIFMEM	0x891f
#define SIOCSIFMEM	0x8920
#define SIOCGIFMTU	0x8921
#define SIOCSIFMTU	0x8922
#define SIOCSIFNAME	0x8923
#define SIOCSIFHWADDR	0x8924
#define SIOCGIFENCAP	0x8925
#define SIOCSIFENCAP	0x8926
#define SIOCGIFHWADDR	0x8927
#define SIOCGIFSLAVE	0x8929
#define SIOCSIFSLAVE	0x8930
#define SIOCADDMULTI	0x8931
#define SIOCDELMULTI	0x8932
#define SIOCGIFINDEX	0x8933
#define SIOCSIFPFLAGS	0x8934
#define SIOCGIFPFLAGS	0x8935
#define SIOCDIFADDR	0x8936
#define SIOCSIFHWBROADCAST 0x8937
#define SIOCGIFCOUNT	0x8938
#define SIOCGIFBR	0x8940
#define SIOCSIFBR	0x8941
#define SIOCGIFTXQLEN	0x8942
#define SIOCSIFTXQLEN	0x8943

/* The interface ioctls are the numbers from SIOCGIFNAME to here. */
#define SIOC_IF_FIRST	SIOCGIFNAME
#define SIOC_IF_LAST	SIOCSIFTXQLEN

/* ARP cache ioctls. */
#define SIOCDARP	0x8953
#define SIOCGARP	0x8954
#define SIOCSARP	0x8955

/* ARP entry flags (/proc/net/arp, struct arpreq). */
#define ATF_COM		0x02	/* completed: the hardware address is known */
#define ATF_PERM	0x04	/* permanent */

/* ARP hardware types (sa_family of a hardware address). */
#define ARPHRD_ETHER	1
#define ARPHRD_LOOPBACK	772

/*
 * struct sockaddr: the generic address in interface and route requests
 * (for AF_INET: port in sa_data[0..1], address in sa_data[2..5], both in
 * network byte order; for a hardware address: the bytes from sa_data[0]).
 */
struct if_sockaddr {
	sa_family_t sa_family;
	uint8_t sa_data[14];
};
_Static_assert(sizeof(struct if_sockaddr) == 16, "sockaddr layout");

#define IF_SA_INADDR_OFFSET	2	/* sin_addr within sockaddr_in */

/* struct ifmap (SIOCGIFMAP): the device's I/O resources. */
struct ifmap {
	uint64_t mem_start;
	uint64_t mem_end;
	uint16_t base_addr;
	uint8_t irq;
	uint8_t dma;
	uint8_t port;
};
_Static_assert(sizeof(struct ifmap) == 24, "ifmap layout");

/* struct ifreq: an interface name and one argument (40 bytes). */
struct ifreq {
	char ifr_name[IFNAMSIZ];
	union {
		struct if_sockaddr ifr_addr;
		struct if_sockaddr ifr_dstaddr;
		struct if_sockaddr ifr_broadaddr;
		struct if_sockaddr ifr_netmask;
		struct if_sockaddr ifr_hwaddr;
		int16_t ifr_flags;
		int32_t ifr_ifindex;
		int32_t ifr_metric;
		int32_t ifr_mtu;
		int32_t ifr_qlen;	/* ifr_ifru.ifru_ivalue */
		struct ifmap ifr_map;
		char ifr_slave[IFNAMSIZ];
		char ifr_newname[IFNAMSIZ];
		uint64_t ifr_data;	/* a user pointer */
	};
};
_Static_assert(sizeof(struct ifreq) == 40, "ifreq layout");

/* struct ifconf (SIOCGIFCONF): a user buffer of struct ifreq. */
struct ifconf {
	int32_t ifc_len;
	uint32_t pad;
	uint64_t ifc_buf;	/* a user pointer: char * / struct ifreq * */
};
_Static_assert(sizeof(struct ifconf) == 16, "ifconf layout");

/* Route flags (struct rtentry.rt_flags and /proc/net/route). */
#define RTF_UP		0x0001
#define RTF_GATEWAY	0x0002
#define RTF_HOST	0x0004
#define RTF_REINSTATE	0x0008
#define RTF_DYNAMIC	0x0010
#define RTF_MODIFIED	0x0020
#define RTF_MTU		0x0040
#define RTF_MSS		RTF_MTU
#define RTF_WINDOW	0x0080
#define RTF_IRTT	0x0100
#define RTF_REJECT	0x0200

/* struct rtentry (SIOCADDRT, SIOCDELRT), x86-64 layout (120 bytes). */
struct rtentry {
	uint64_t rt_pad1;
	struct if_sockaddr rt_dst;
	struct if_sockaddr rt_gateway;
	struct if_sockaddr rt_genmask;
	uint16_t rt_flags;
	int16_t rt_pad2;
	uint64_t rt_pad3;
	uint64_t rt_pad4;	/* void * */
	int16_t rt_metric;	/* +1 for binary compatibility */
	uint64_t rt_dev;	/* char *, a user pointer: the device name */
	uint64_t rt_mtu;
	uint64_t rt_window;
	uint16_t rt_irtt;
};
_Static_assert(sizeof(struct rtentry) == 120, "rtentry layout");
_Static_assert(__builtin_offsetof(struct rtentry, rt_flags) == 56,
	       "rtentry layout");
_Static_assert(__builtin_offsetof(struct rtentry, rt_metric) == 80,
	       "rtentry layout");
_Static_assert(__builtin_offsetof(struct rtentry, rt_dev) == 88,
	       "rtentry layout");
