/*
 * The network interfaces as Linux shows them: lo (lwIP's loopback
 * interface) and, when there is a virtio-net device, eth0. This file owns
 * their Linux state (flags, broadcast address, MTU, queue length,
 * counters), the link layer as packet sockets see it (eth0's frames in
 * and out, and the frames they send, are offered to packet.c), their
 * IPv4 addresses, the interface ioctls (SIOCGIF and SIOCSIF), and
 * /proc/net/dev and /proc/net/arp. The routing table is route.c's.
 *
 * Like Linux, lo starts down without an address (bringing it up gives it
 * 127.0.0.1/8 and ::1/128) and eth0 starts down without an address.
 */
#include "iface.h"
#include "virtio_net.h"
#include "lwip/etharp.h"
#include "lwip/ethip6.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "netif/ethernet.h"
#include <platform/heap.h>
#include <platform/usercopy.h>
#include <aramid/compiler.h>
#include <aramid/string.h>
#include <platform/time.h>
#include <uapi/errno.h>
#include <uapi/if.h>
#include <uapi/netlink.h>

#define LO_MTU		65536
#define MIN_MTU		68
#define TXQLEN_DEFAULT	1000

/* The flags SIOCSIFFLAGS may change (Linux's dev_change_flags). */
#define IFF_USER_MASK	(IFF_UP | IFF_DEBUG | IFF_NOTRAILERS | IFF_NOARP | \
			 IFF_PROMISC | IFF_ALLMULTI | IFF_MULTICAST | \
			 IFF_PORTSEL | IFF_AUTOMEDIA | IFF_DYNAMIC)


static struct netif eth_netif;
static struct iface ifaces[IFACE_MAX];
static unsigned nifaces;



uint32_t in_addr_of(const struct if_sockaddr *sa)
{
	uint32_t a;

	memcpy(&a, sa->sa_data + IF_SA_INADDR_OFFSET, sizeof(a));
	return a;
}

static void set_in_addr(struct if_sockaddr *sa, uint32_t a)
{
	memset(sa, 0, sizeof(*sa));
	sa->sa_family = AF_INET;
	memcpy(sa->sa_data + IF_SA_INADDR_OFFSET, &a, sizeof(a));
}

struct iface *iface_by_name(const char *name)
{
	for (unsigned i = 0; i < nifaces; i++)
		if (strcmp(ifaces[i].name, name) == 0)
			return &ifaces[i];
	return NULL;
}

struct iface *iface_by_netif(const struct netif *nif)
{
	for (unsigned i = 0; i < nifaces; i++)
		if (ifaces[i].nif == nif)
			return &ifaces[i];
	return NULL;
}

/* See net.h. */
int netif_index_of(const struct netif *nif)
{
	const struct iface *ifc = iface_by_netif(nif);

	return ifc ? ifc->index : 0;
}

bool iface_up(const struct iface *ifc)
{
	return ifc->flags & IFF_UP;
}

uint32_t iface_addr(const struct iface *ifc)
{
	return ip4_addr_get_u32(netif_ip4_addr(ifc->nif));
}

uint32_t iface_mask(const struct iface *ifc)
{
	return ip4_addr_get_u32(netif_ip4_netmask(ifc->nif));
}

bool iface_running(const struct iface *ifc)
{
	return iface_up(ifc) && netif_is_link_up(ifc->nif);
}

/* The flags as SIOCGIFFLAGS reports them. */
static uint16_t iface_flags(const struct iface *ifc)
{
	return ifc->flags | ifc->fixed_flags |
	       (iface_running(ifc) ? IFF_RUNNING : 0);
}

/* The prefix length of a contiguous mask, or -1. */
int mask_len(uint32_t mask_be)
{
	uint32_t m = lwip_ntohl(mask_be);
	int len = 0;

	while (len < 32 && (m & 0x80000000u)) {
		m <<= 1;
		len++;
	}
	return m ? -1 : len;
}

uint32_t len_to_mask(int len)
{
	return lwip_htonl(len ? 0xffffffffu << (32 - len) : 0);
}

/*
 * The classful prefix Linux gives a new address (inet_abc_len): 0 for
 * 0.0.0.0/8 and 255.255.255.255, -1 for a multicast address.
 */
static int classful_len(uint32_t addr_be)
{
	uint32_t a = lwip_ntohl(addr_be);

	if ((a >> 24) == 0 || a == 0xffffffffu)
		return 0;
	if (!(a & 0x80000000u))
		return 8;
	if ((a & 0xc0000000u) == 0x80000000u)
		return 16;
	if ((a & 0xe0000000u) == 0xc0000000u)
		return 24;
	if ((a & 0xf0000000u) == 0xf0000000u)
		return 32;
	return -1;
}



/* The address, mask or broadcast of @ifc changed: Linux's re-insertion. */
static void iface_renumbered(struct iface *ifc)
{
	routes_flush(ifc);
	routes_connect(ifc);
}

/* Hundredths of a second since boot, as IFA_CACHEINFO's stamps. */
static uint32_t stamp_now(void)
{
	return (uint32_t)(clock_monotonic_ns() / 10000000u);
}

static void iface_set_up(struct iface *ifc, bool up)
{
	if (up == iface_up(ifc))
		return;
	if (up) {
		ifc->flags |= IFF_UP;
		if (!iface_addr(ifc) && (ifc->fixed_flags & IFF_LOOPBACK)) {
			ip4_addr_t a, m;

			IP4_ADDR(&a, 127, 0, 0, 1);
			IP4_ADDR(&m, 255, 0, 0, 0);
			netif_set_addr(ifc->nif, &a, &m, IP4_ADDR_ANY4);
			ifc->addr_cstamp = ifc->addr_tstamp = stamp_now();
		}
		/*
		 * Linux's addrconf gives lo ::1 as it comes up, and another
		 * interface its link-local address from the MAC (EUI-64,
		 * after duplicate address detection) and those stateless
		 * autoconfiguration makes from a router's advertisements.
		 */
		if (ifc->fixed_flags & IFF_LOOPBACK) {
			netif_ip6_addr_set_state(ifc->nif, 0,
						 IP6_ADDR_PREFERRED);
		} else {
			netif_create_ip6_linklocal_address(ifc->nif, 1);
			netif_set_ip6_autoconfig_enabled(ifc->nif, 1);
		}
		netif_set_up(ifc->nif);
		routes_connect(ifc);
	} else {
		ifc->flags &= (uint16_t)~IFF_UP;
		/* ... and takes them away as it goes down (keep_addr_on_down
		 * is 0). */
		for (int i = 0; i < LWIP_IPV6_NUM_ADDRESSES; i++)
			netif_ip6_addr_set_state(ifc->nif, (s8_t)i,
						 IP6_ADDR_INVALID);
		netif_set_ip6_autoconfig_enabled(ifc->nif, 0);
		netif_set_down(ifc->nif);
		routes_flush(ifc);
	}
}




/* Counting lo's traffic: what it sends it also receives. */
static err_t lo_output(struct netif *nif, struct pbuf *p,
		       const ip4_addr_t *addr)
{
	err_t err = net_loop_output(nif, p);

	if (err == ERR_OK) {
		ifaces[0].lo_packets++;
		ifaces[0].lo_bytes += p->tot_len + SIZEOF_ETH_HDR;
	}
	return err;
}

static void copy_pbuf(void *buf, size_t len, void *arg)
{
	pbuf_copy_partial(arg, buf, (u16_t)len, 0);
}

/* lwIP's frames going out on eth0, as ETH_P_ALL packet sockets see them. */
static void eth_tap_out(struct pbuf *p)
{
	void *frame;

	if (!packet_want_outgoing())
		return;
	frame = kmalloc(p->tot_len);
	if (!frame)
		return;
	pbuf_copy_partial(p, frame, p->tot_len, 0);
	packet_rx(ifaces[1].index, frame, p->tot_len, true, NULL);
	kfree(frame);
}

static err_t eth_linkoutput(struct netif *nif, struct pbuf *p)
{
	eth_tap_out(p);
	switch (vnet_send(p->tot_len, copy_pbuf, p)) {
	case 0:
		return ERR_OK;
	case -EMSGSIZE:
		return ERR_BUF;
	default:
		return ERR_MEM;
	}
}

static err_t eth_init(struct netif *nif)
{
	nif->name[0] = 'e';
	nif->name[1] = 't';
	nif->output = etharp_output;
	nif->output_ip6 = ethip6_output;
	nif->linkoutput = eth_linkoutput;
	nif->mtu = VNET_MTU;
	nif->hwaddr_len = ETH_HWADDR_LEN;
	nif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP |
		     NETIF_FLAG_ETHERNET | NETIF_FLAG_MLD6;
	return ERR_OK;
}

/* A received frame for lwIP: taken, or false (down, or out of memory). */
static bool eth_deliver(const void *frame, size_t len)
{
	struct pbuf *p;

	if (!netif_is_up(&eth_netif))
		return false;
	packet_rx(ifaces[1].index, frame, len, false, NULL);
	p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);
	if (!p) {
		vnet_count_rx_drop();
		return false;
	}
	pbuf_take(p, frame, (u16_t)len);
	if (eth_netif.input(p, &eth_netif) != ERR_OK) {
		pbuf_free(p);
		vnet_count_rx_drop();
		return false;
	}
	return true;
}

/* See net.h. */
int netif_link_get(int index, struct netif_link *link)
{
	for (unsigned i = 0; i < nifaces; i++) {
		const struct iface *ifc = &ifaces[i];

		if (ifc->index != index)
			continue;
		*link = (struct netif_link){
			.index = index, .type = ifc->type, .up = iface_up(ifc),
			.mtu = ifc->mtu, .flags = iface_flags(ifc),
			.txqlen = ifc->txqlen,
			.carrier = netif_is_link_up(ifc->nif),
			.max_mtu = ifc->type == ARPHRD_ETHER ? VNET_MTU : LO_MTU,
		};
		if (iface_running(ifc))
			link->flags |= IFF_LOWER_UP;
		strlcpy(link->name, ifc->name, sizeof(link->name));
		if (ifc->type == ARPHRD_ETHER)
			memcpy(link->addr, ifc->nif->hwaddr, ETH_HWADDR_LEN);
		return 0;
	}
	return -ENODEV;
}

static void copy_flat(void *buf, size_t len, void *arg)
{
	memcpy(buf, arg, len);
}

/*
 * A frame sent on lo comes back in: to the packet sockets, and an IPv4
 * one for this host (to the all-zero address of lo, or a multicast one)
 * to lwIP, as Linux's ip_rcv takes what is not PACKET_OTHERHOST.
 */
static int lo_xmit(struct iface *ifc, const uint8_t *frame, size_t len)
{
	static const uint8_t zero[ETH_HWADDR_LEN];
	struct netif *lo = ifc->nif;
	struct pbuf *p;
	uint16_t type;

	ifc->lo_packets++;
	ifc->lo_bytes += len;
	packet_rx(ifc->index, frame, len, false, NULL);
	memcpy(&type, frame + 12, sizeof(type));
	if (len <= SIZEOF_ETH_HDR || type != PP_HTONS(ETHTYPE_IP) ||
	    (memcmp(frame, zero, ETH_HWADDR_LEN) && !(frame[0] & 1)))
		return 0;
	p = pbuf_alloc(PBUF_RAW, (u16_t)(len - SIZEOF_ETH_HDR), PBUF_RAM);
	if (!p)
		return 0;	/* dropped, as a full backlog would */
	pbuf_take(p, frame + SIZEOF_ETH_HDR, (u16_t)(len - SIZEOF_ETH_HDR));
	if (lo->input(p, lo) != ERR_OK)
		pbuf_free(p);
	return 0;
}

/* See net.h. */
int netif_link_xmit(int index, const void *frame, size_t len)
{
	for (unsigned i = 0; i < nifaces; i++) {
		struct iface *ifc = &ifaces[i];

		if (ifc->index != index)
			continue;
		if (ifc->type == ARPHRD_LOOPBACK)
			return lo_xmit(ifc, frame, len);
		return vnet_send(len, copy_flat, (void *)frame);
	}
	return -ENODEV;
}

/* See net.h. Boot, from the service's init (after lwip_init). */
int netif_setup(void)
{
	struct netif *lo = NULL, *nif;
	uint8_t mac[6];
	int err;

	NETIF_FOREACH(nif)
		if (nif->name[0] == 'l' && nif->name[1] == 'o')
			lo = nif;
	if (!lo)
		return -ENODEV;
	/* Linux's lo starts down and without an address (lwIP's has ::1). */
	netif_set_down(lo);
	netif_set_addr(lo, IP4_ADDR_ANY4, IP4_ADDR_ANY4, IP4_ADDR_ANY4);
	netif_ip6_addr_set_state(lo, 0, IP6_ADDR_INVALID);
	lo->output = lo_output;
	/*
	 * Frames never leave memory: no checksums, as Linux's lo, but for
	 * the ICMP messages the stack answers with, whose checksum a raw
	 * socket shows (Linux's icmp_reply and icmpv6_echo_reply make it).
	 */
	NETIF_SET_CHECKSUM_CTRL(lo, NETIF_CHECKSUM_GEN_ICMP |
			       NETIF_CHECKSUM_GEN_ICMP6);
	ifaces[0] = (struct iface){
		.name = "lo", .nif = lo, .index = netif_get_index(lo),
		.type = ARPHRD_LOOPBACK, .fixed_flags = IFF_LOOPBACK,
		.mtu = LO_MTU, .txqlen = TXQLEN_DEFAULT,
	};
	nifaces = 1;

	err = vnet_probe(mac);
	if (err == -ENODEV)
		return 0;	/* no network device: lo only */
	if (err)
		return err;
	if (!netif_add(&eth_netif, IP4_ADDR_ANY4, IP4_ADDR_ANY4, IP4_ADDR_ANY4,
		       NULL, eth_init, ethernet_input))
		return -ENOMEM;
	memcpy(eth_netif.hwaddr, mac, sizeof(mac));
	if (vnet_link_up())
		netif_set_link_up(&eth_netif);
	ifaces[1] = (struct iface){
		.name = "eth0", .nif = &eth_netif,
		.index = netif_get_index(&eth_netif), .type = ARPHRD_ETHER,
		.flags = IFF_MULTICAST, .fixed_flags = IFF_BROADCAST,
		.mtu = VNET_MTU, .txqlen = TXQLEN_DEFAULT,
	};
	nifaces = 2;
	return 0;
}

/* See net.h. netd, with the device's interrupt line masked. */
void netif_service(void)
{
	if (nifaces < 2)
		return;
	vnet_service(eth_deliver);
	if (vnet_link_up() != netif_is_link_up(&eth_netif)) {
		if (vnet_link_up())
			netif_set_link_up(&eth_netif);
		else
			netif_set_link_down(&eth_netif);
	}
}

/*
 * The one way an address changes: @a (0 removes it) with the mask of
 * @len bits and the broadcast address @brd, then the routes follow.
 */
static void iface_set_addr(struct iface *ifc, uint32_t a, int len,
			   uint32_t brd)
{
	ip4_addr_t addr, mask;

	ip4_addr_set_u32(&addr, a);
	ip4_addr_set_u32(&mask, a ? len_to_mask(len) : 0);
	netif_set_addr(ifc->nif, &addr, &mask, IP4_ADDR_ANY4);
	ifc->broadcast = a ? brd : 0;
	ifc->addr_tstamp = stamp_now();
	if (a && ifc->addr_cstamp == 0)
		ifc->addr_cstamp = ifc->addr_tstamp;
	if (!a)
		ifc->addr_cstamp = 0;
	iface_renumbered(ifc);
}

/* SIOCSIFADDR (Linux's devinet_ioctl): 0.0.0.0 removes the address. */
static int set_addr(struct iface *ifc, uint32_t a)
{
	int len = classful_len(a);
	uint32_t brd = 0;

	if (len < 0)
		return -EINVAL;
	if (a == iface_addr(ifc))
		return 0;
	if (a && (ifc->fixed_flags & IFF_BROADCAST) && len < 31)
		brd = a | ~len_to_mask(len);
	ifc->addr_cstamp = 0;
	iface_set_addr(ifc, a, len, brd);
	return 0;
}

struct iface *iface_by_index(int index)
{
	for (unsigned i = 0; i < nifaces; i++)
		if (ifaces[i].index == index)
			return &ifaces[i];
	return NULL;
}

/* See net.h. */
int netif_addr_get(int index, struct netif_addr *a)
{
	const struct iface *ifc = iface_by_index(index);

	if (!ifc)
		return -ENODEV;
	if (!iface_addr(ifc))
		return -EADDRNOTAVAIL;
	*a = (struct netif_addr){
		.local = iface_addr(ifc),
		.broadcast = ifc->broadcast,
		.prefixlen = mask_len(iface_mask(ifc)),
		.cstamp = ifc->addr_cstamp,
		.tstamp = ifc->addr_tstamp,
	};
	return 0;
}

/* See net.h. */
int netif_addr6_get(int index, int slot, struct netif_addr6 *a)
{
	const struct iface *ifc = iface_by_index(index);
	const ip6_addr_t *ip6;
	u8_t state;

	if (!ifc || slot < 0 || slot >= LWIP_IPV6_NUM_ADDRESSES)
		return -ENODEV;
	state = netif_ip6_addr_state(ifc->nif, slot);
	if (!ip6_addr_isvalid(state) && !ip6_addr_istentative(state))
		return -EADDRNOTAVAIL;
	ip6 = netif_ip6_addr(ifc->nif, slot);
	*a = (struct netif_addr6){
		.prefixlen = 64,
		.scope = NETIF_ADDR6_SCOPE_GLOBAL,
		.flags = IFA_F_PERMANENT,
		.preferred = INFINITY_LIFE_TIME,
		.valid = INFINITY_LIFE_TIME,
		.cstamp = ifc->addr_cstamp,
		.tstamp = ifc->addr_tstamp,
	};
	memcpy(a->addr, ip6->addr, sizeof(a->addr));
	if (ip6_addr_isloopback(ip6)) {
		a->prefixlen = 128;
		a->scope = NETIF_ADDR6_SCOPE_HOST;
	} else if (ip6_addr_islinklocal(ip6)) {
		a->scope = NETIF_ADDR6_SCOPE_LINK;
	} else if (ip6_addr_issitelocal(ip6)) {
		a->scope = NETIF_ADDR6_SCOPE_SITE;
	}
	/* One autoconfiguration made from a router's prefix: its lifetimes. */
	if (!netif_ip6_addr_isstatic(ifc->nif, slot)) {
		a->flags = IFA_F_MANAGETEMPADDR;
		a->valid = netif_ip6_addr_valid_life(ifc->nif, slot);
		a->preferred = netif_ip6_addr_pref_life(ifc->nif, slot);
	}
	if (ip6_addr_istentative(state))
		a->flags |= IFA_F_TENTATIVE;
	else if (ip6_addr_isdeprecated(state))
		a->flags |= IFA_F_DEPRECATED;
	return 0;
}

/* See net.h. */
int netif_addr_set(int index, const struct netif_addr *a)
{
	struct iface *ifc = iface_by_index(index);

	if (!ifc)
		return -ENODEV;
	if (a->prefixlen < 0 || a->prefixlen > 32)
		return -EINVAL;
	iface_set_addr(ifc, a->local, a->prefixlen, a->broadcast);
	return 0;
}

static int set_netmask(struct iface *ifc, uint32_t m)
{
	uint32_t old = iface_mask(ifc), a = iface_addr(ifc);
	int len = mask_len(m);
	ip4_addr_t mask;

	if (len < 0)
		return -EINVAL;
	if (m == old)
		return 0;
	ip4_addr_set_u32(&mask, m);
	netif_set_netmask(ifc->nif, &mask);
	/* A broadcast address that followed the old mask follows the new. */
	if ((ifc->fixed_flags & IFF_BROADCAST) && len < 31 &&
	    ifc->broadcast == (a | ~old))
		ifc->broadcast = a | ~m;
	iface_renumbered(ifc);
	return 0;
}

static int set_flags(struct iface *ifc, int16_t f)
{
	uint16_t want = (uint16_t)f & IFF_USER_MASK;

	ifc->flags = (uint16_t)((ifc->flags & IFF_UP) | (want & ~IFF_UP));
	iface_set_up(ifc, want & IFF_UP);
	return 0;
}

static int set_mtu(struct iface *ifc, int32_t mtu)
{
	int32_t max = ifc->type == ARPHRD_ETHER ? VNET_MTU : LO_MTU;

	if (mtu < MIN_MTU || mtu > max)
		return -EINVAL;
	ifc->mtu = mtu;
	if (ifc->type == ARPHRD_ETHER)
		ifc->nif->mtu = (u16_t)mtu;
	return 0;
}

static int set_hwaddr(struct iface *ifc, const struct if_sockaddr *sa)
{
	const uint8_t *mac = sa->sa_data;
	static const uint8_t zero[ETH_HWADDR_LEN];

	if (sa->sa_family != ifc->type)
		return -EINVAL;
	if (ifc->type != ARPHRD_ETHER)
		return -EOPNOTSUPP;
	if ((mac[0] & 1) || memcmp(mac, zero, ETH_HWADDR_LEN) == 0)
		return -EADDRNOTAVAIL;	/* multicast or all zeros */
	memcpy(ifc->nif->hwaddr, mac, ETH_HWADDR_LEN);
	return 0;
}

static void get_hwaddr(const struct iface *ifc, struct if_sockaddr *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sa_family = ifc->type;
	if (ifc->type == ARPHRD_ETHER)
		memcpy(sa->sa_data, ifc->nif->hwaddr, ETH_HWADDR_LEN);
}

/* The IPv4 address ioctls (Linux's devinet_ioctl). */
static int addr_ioctl(unsigned cmd, struct iface *ifc, struct ifreq *ifr)
{
	uint32_t a = iface_addr(ifc);

	if (!a && cmd != SIOCSIFADDR)
		return -EADDRNOTAVAIL;
	switch (cmd) {
	case SIOCGIFADDR:
	case SIOCGIFDSTADDR:
		set_in_addr(&ifr->ifr_addr, a);
		return 0;
	case SIOCGIFBRDADDR:
		set_in_addr(&ifr->ifr_broadaddr, ifc->broadcast);
		return 0;
	case SIOCGIFNETMASK:
		set_in_addr(&ifr->ifr_netmask, iface_mask(ifc));
		return 0;
	case SIOCSIFADDR:
		return set_addr(ifc, in_addr_of(&ifr->ifr_addr));
	case SIOCSIFNETMASK:
		return set_netmask(ifc, in_addr_of(&ifr->ifr_netmask));
	case SIOCSIFBRDADDR:
		if (ifc->broadcast != in_addr_of(&ifr->ifr_broadaddr)) {
			ifc->broadcast = in_addr_of(&ifr->ifr_broadaddr);
			iface_renumbered(ifc);
		}
		return 0;
	default:	/* SIOCSIFDSTADDR: only point-to-point links have one */
		return 0;
	}
}

static bool is_addr_ioctl(unsigned cmd)
{
	switch (cmd) {
	case SIOCGIFADDR: case SIOCSIFADDR: case SIOCGIFDSTADDR:
	case SIOCSIFDSTADDR: case SIOCGIFBRDADDR: case SIOCSIFBRDADDR:
	case SIOCGIFNETMASK: case SIOCSIFNETMASK:
		return true;
	}
	return false;
}

static bool is_addr_set(unsigned cmd)
{
	return cmd == SIOCSIFADDR || cmd == SIOCSIFDSTADDR ||
	       cmd == SIOCSIFBRDADDR || cmd == SIOCSIFNETMASK;
}

/* See net.h: @ifr_arg is the kernel's copy of the caller's struct ifreq. */
int netif_ioctl(unsigned cmd, void *ifr_arg)
{
	struct ifreq *ifr = ifr_arg;
	struct iface *ifc;

	if (cmd == SIOCGIFNAME) {
		for (unsigned i = 0; i < nifaces; i++) {
			if (ifaces[i].index == ifr->ifr_ifindex) {
				strlcpy(ifr->ifr_name, ifaces[i].name,
					IFNAMSIZ);
				return 0;
			}
		}
		return -ENODEV;
	}
	/* Linux checks the family of a new address before the name. */
	if (is_addr_set(cmd) && ifr->ifr_addr.sa_family != AF_INET)
		return -EINVAL;
	ifc = iface_by_name(ifr->ifr_name);
	if (!ifc)
		return -ENODEV;
	if (is_addr_ioctl(cmd))
		return addr_ioctl(cmd, ifc, ifr);
	switch (cmd) {
	case SIOCGIFFLAGS:
		ifr->ifr_flags = (int16_t)iface_flags(ifc);
		return 0;
	case SIOCSIFFLAGS:
		return set_flags(ifc, ifr->ifr_flags);
	case SIOCGIFMETRIC:
		ifr->ifr_metric = 0;
		return 0;
	case SIOCGIFMTU:
		ifr->ifr_mtu = ifc->mtu;
		return 0;
	case SIOCSIFMTU:
		return set_mtu(ifc, ifr->ifr_mtu);
	case SIOCGIFHWADDR:
		get_hwaddr(ifc, &ifr->ifr_hwaddr);
		return 0;
	case SIOCSIFHWADDR:
		return set_hwaddr(ifc, &ifr->ifr_hwaddr);
	case SIOCGIFINDEX:
		ifr->ifr_ifindex = ifc->index;
		return 0;
	case SIOCGIFTXQLEN:
		ifr->ifr_qlen = ifc->txqlen;
		return 0;
	case SIOCSIFTXQLEN:
		if (ifr->ifr_qlen < 0)
			return -EINVAL;
		ifc->txqlen = ifr->ifr_qlen;
		return 0;
	case SIOCSIFMETRIC:
	case SIOCSIFNAME:
	case SIOCSIFLINK:
	case SIOCADDMULTI:
	case SIOCDELMULTI:
	case SIOCSIFHWBROADCAST:
		return -EOPNOTSUPP;
	default:
		return -ENOTTY;
	}
}

/* See net.h: SIOCGIFCONF, the interfaces that have an IPv4 address. */
int netif_conf(void *ifrs_arg, int n)
{
	struct ifreq *ifrs = ifrs_arg;
	int count = 0;

	for (unsigned i = 0; i < nifaces; i++) {
		if (!iface_addr(&ifaces[i]))
			continue;
		if (count < n) {
			memset(&ifrs[count], 0, sizeof(ifrs[count]));
			strlcpy(ifrs[count].ifr_name, ifaces[i].name, IFNAMSIZ);
			set_in_addr(&ifrs[count].ifr_addr, iface_addr(&ifaces[i]));
		}
		count++;
	}
	return count;
}



static void show_dev(struct net_text *t)
{
	net_text_printf(t, "Inter-|   Receive                                          "
	       "      |  Transmit\n"
	       " face |bytes    packets errs drop fifo frame compressed "
	       "multicast|bytes    packets errs drop fifo colls carrier "
	       "compressed\n");
	for (unsigned i = 0; i < nifaces; i++) {
		const struct iface *ifc = &ifaces[i];
		struct vnet_stats s = { 0 };

		if (ifc->type == ARPHRD_ETHER) {
			vnet_get_stats(&s);
		} else {
			s.rx_packets = s.tx_packets = ifc->lo_packets;
			s.rx_bytes = s.tx_bytes = ifc->lo_bytes;
		}
		net_text_printf(t, "%6s:%8llu %7llu %4llu %4llu %4llu %5llu %10llu %9llu "
		       "%8llu %7llu %4llu %4llu %4llu %5llu %7llu %10llu\n",
		    ifc->name,
		    (unsigned long long)s.rx_bytes,
		    (unsigned long long)s.rx_packets,
		    (unsigned long long)s.rx_errors,
		    (unsigned long long)s.rx_dropped, 0ULL, 0ULL, 0ULL, 0ULL,
		    (unsigned long long)s.tx_bytes,
		    (unsigned long long)s.tx_packets,
		    (unsigned long long)s.tx_errors,
		    (unsigned long long)s.tx_dropped, 0ULL, 0ULL, 0ULL, 0ULL);
	}
}


static void show_arp(struct net_text *t)
{
	net_text_printf(t, "IP address       HW type     Flags       HW address"
	       "            Mask     Device\n");
	for (size_t i = 0; i < ARP_TABLE_SIZE; i++) {
		ip4_addr_t *ip;
		struct netif *nif;
		struct eth_addr *eth;
		const struct iface *ifc;
		char addr[16], hw[18], type[12], flags[12];
		const uint8_t *a;

		if (!etharp_get_entry(i, &ip, &nif, &eth))
			continue;
		ifc = iface_by_netif(nif);
		if (!ifc)
			continue;
		a = (const uint8_t *)&ip->addr;
		snprintf(addr, sizeof(addr), "%u.%u.%u.%u",
			 a[0], a[1], a[2], a[3]);
		snprintf(hw, sizeof(hw), "%02x:%02x:%02x:%02x:%02x:%02x",
			 eth->addr[0], eth->addr[1], eth->addr[2],
			 eth->addr[3], eth->addr[4], eth->addr[5]);
		snprintf(type, sizeof(type), "0x%x", ARPHRD_ETHER);
		snprintf(flags, sizeof(flags), "0x%x", ATF_COM);
		net_text_printf(t, "%-16s %-12s%-12s%s     *        %s\n",
		    addr, type, flags, hw, ifc->name);
	}
}

/* See net.h. */
ssize_t netif_proc_show(const char *name, char *buf, size_t size)
{
	struct net_text t = { .buf = buf, .size = size, .len = 0 };

	if (strcmp(name, "dev") == 0)
		show_dev(&t);
	else if (strcmp(name, "route") == 0)
		route_show(&t);
	else if (strcmp(name, "arp") == 0)
		show_arp(&t);
	else
		return -ENOENT;
	return (ssize_t)t.len;
}
