/*
 * Linux x86-64 ABI of netlink sockets (AF_NETLINK) and of the routing
 * family NETLINK_ROUTE on them: <linux/netlink.h>, <linux/rtnetlink.h>,
 * and the parts of <linux/if_link.h> and <linux/if_addr.h> that describe
 * links and IPv4 addresses. Values as in Linux 6.1.
 */
#pragma once
#include <aramid/types.h>

/* Netlink protocols (socket(2)'s third argument). */
#define NETLINK_ROUTE		0
#define NETLINK_USERSOCK	2
#define NETLINK_FIREWALL	3
#define NETLINK_SOCK_DIAG	4
#define NETLINK_NFLOG		5
#define NETLINK_XFRM		6
#define NETLINK_SELINUX		7
#define NETLINK_ISCSI		8
#define NETLINK_AUDIT		9
#define NETLINK_FIB_LOOKUP	10
#define NETLINK_CONNECTOR	11
#define NETLINK_NETFILTER	12
#define NETLINK_IP6_FW		13
#define NETLINK_DNRTMSG		14
#define NETLINK_KOBJECT_UEVENT	15
#define NETLINK_GENERIC		16
#define NETLINK_SCSITRANSPORT	18
#define NETLINK_ECRYPTFS	19
#define NETLINK_RDMA		20
#define NETLINK_CRYPTO		21
#define NETLINK_SMC		22
#define MAX_LINKS		32

struct sockaddr_nl {
	uint16_t nl_family;	/* AF_NETLINK */
	uint16_t nl_pad;
	uint32_t nl_pid;	/* port id: 0 is the kernel */
	uint32_t nl_groups;	/* multicast group mask */
};
_Static_assert(sizeof(struct sockaddr_nl) == 12, "sockaddr_nl is 12 bytes");

struct nlmsghdr {
	uint32_t nlmsg_len;	/* header included */
	uint16_t nlmsg_type;
	uint16_t nlmsg_flags;
	uint32_t nlmsg_seq;
	uint32_t nlmsg_pid;	/* the sending port */
};
_Static_assert(sizeof(struct nlmsghdr) == 16, "nlmsghdr is 16 bytes");

/* nlmsg_flags: every message; GET requests; NEW requests; DEL requests. */
#define NLM_F_REQUEST		0x01
#define NLM_F_MULTI		0x02
#define NLM_F_ACK		0x04
#define NLM_F_ECHO		0x08
#define NLM_F_DUMP_INTR		0x10
#define NLM_F_DUMP_FILTERED	0x20
#define NLM_F_ROOT		0x100
#define NLM_F_MATCH		0x200
#define NLM_F_ATOMIC		0x400
#define NLM_F_DUMP		(NLM_F_ROOT | NLM_F_MATCH)
#define NLM_F_REPLACE		0x100
#define NLM_F_EXCL		0x200
#define NLM_F_CREATE		0x400
#define NLM_F_APPEND		0x800
#define NLM_F_NONREC		0x100
#define NLM_F_BULK		0x200
/* Flags of an NLMSG_ERROR acknowledgement. */
#define NLM_F_CAPPED		0x100
#define NLM_F_ACK_TLVS		0x200

#define NLMSG_ALIGNTO		4u
#define NLMSG_ALIGN(len)	(((len) + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1))
#define NLMSG_HDRLEN		((int)NLMSG_ALIGN(sizeof(struct nlmsghdr)))
#define NLMSG_LENGTH(len)	((len) + NLMSG_HDRLEN)

/* Control message types; the families' own start at NLMSG_MIN_TYPE. */
#define NLMSG_NOOP		0x1
#define NLMSG_ERROR		0x2
#define NLMSG_DONE		0x3
#define NLMSG_OVERRUN		0x4
#define NLMSG_MIN_TYPE		0x10

struct nlmsgerr {
	int32_t error;		/* -errno, 0 for an acknowledgement */
	struct nlmsghdr msg;	/* the request (and its payload, on error) */
};
_Static_assert(sizeof(struct nlmsgerr) == 20, "nlmsgerr is 20 bytes");

/* setsockopt level SOL_NETLINK. */
#define SOL_NETLINK			270
#define NETLINK_ADD_MEMBERSHIP		1
#define NETLINK_DROP_MEMBERSHIP		2
#define NETLINK_PKTINFO			3
#define NETLINK_BROADCAST_ERROR		4
#define NETLINK_NO_ENOBUFS		5
#define NETLINK_RX_RING			6
#define NETLINK_TX_RING			7
#define NETLINK_LISTEN_ALL_NSID		8
#define NETLINK_LIST_MEMBERSHIPS	9
#define NETLINK_CAP_ACK			10
#define NETLINK_EXT_ACK			11
#define NETLINK_GET_STRICT_CHK		12

/* Attributes (struct rtattr and struct nlattr share the layout). */
struct rtattr {
	uint16_t rta_len;	/* header included */
	uint16_t rta_type;
};
#define RTA_ALIGNTO		4u
#define RTA_ALIGN(len)		(((len) + RTA_ALIGNTO - 1) & ~(RTA_ALIGNTO - 1))
#define RTA_LENGTH(len)		(RTA_ALIGN(sizeof(struct rtattr)) + (len))

/* rtnetlink message types. */
#define RTM_BASE		16
#define RTM_NEWLINK		16
#define RTM_DELLINK		17
#define RTM_GETLINK		18
#define RTM_SETLINK		19
#define RTM_NEWADDR		20
#define RTM_DELADDR		21
#define RTM_GETADDR		22
#define RTM_NEWROUTE		24
#define RTM_DELROUTE		25
#define RTM_GETROUTE		26
#define RTM_NEWNEIGH		28
#define RTM_DELNEIGH		29
#define RTM_GETNEIGH		30
#define RTM_MAX			123	/* Linux 6.1 */

/* Multicast groups as bind(2)'s nl_groups mask (RTMGRP_*). */
#define RTMGRP_LINK		0x1
#define RTMGRP_NOTIFY		0x2
#define RTMGRP_NEIGH		0x4
#define RTMGRP_TC		0x8
#define RTMGRP_IPV4_IFADDR	0x10
#define RTMGRP_IPV4_MROUTE	0x20
#define RTMGRP_IPV4_ROUTE	0x40
#define RTMGRP_IPV4_RULE	0x80

struct rtgenmsg {
	uint8_t rtgen_family;
};

/* RTM_*LINK. */
struct ifinfomsg {
	uint8_t ifi_family;	/* AF_UNSPEC */
	uint8_t ifi_pad;
	uint16_t ifi_type;	/* ARPHRD_* */
	int32_t ifi_index;
	uint32_t ifi_flags;	/* IFF_* */
	uint32_t ifi_change;	/* the IFF_* bits to change (0: all) */
};
_Static_assert(sizeof(struct ifinfomsg) == 16, "ifinfomsg is 16 bytes");

#define IFLA_UNSPEC		0
#define IFLA_ADDRESS		1
#define IFLA_BROADCAST		2
#define IFLA_IFNAME		3
#define IFLA_MTU		4
#define IFLA_LINK		5
#define IFLA_QDISC		6
#define IFLA_STATS		7
#define IFLA_MASTER		10
#define IFLA_TXQLEN		13
#define IFLA_OPERSTATE		16
#define IFLA_LINKMODE		17
#define IFLA_LINKINFO		18
#define IFLA_IFALIAS		20
#define IFLA_STATS64		23
#define IFLA_GROUP		27
#define IFLA_EXT_MASK		29
#define IFLA_PROMISCUITY	30
#define IFLA_NUM_TX_QUEUES	31
#define IFLA_NUM_RX_QUEUES	32
#define IFLA_CARRIER		33
#define IFLA_CARRIER_CHANGES	35
#define IFLA_PROTO_DOWN		39
#define IFLA_MIN_MTU		50
#define IFLA_MAX_MTU		51
#define IFLA_ALT_IFNAME		53
#define IFLA_PERM_ADDRESS	54

/* IFLA_OPERSTATE (RFC 2863). */
#define IF_OPER_UNKNOWN		0
#define IF_OPER_NOTPRESENT	1
#define IF_OPER_DOWN		2
#define IF_OPER_LOWERLAYERDOWN	3
#define IF_OPER_TESTING		4
#define IF_OPER_DORMANT		5
#define IF_OPER_UP		6

/* RTM_*ADDR. */
struct ifaddrmsg {
	uint8_t ifa_family;
	uint8_t ifa_prefixlen;
	uint8_t ifa_flags;	/* IFA_F_* (the low 8 bits) */
	uint8_t ifa_scope;	/* RT_SCOPE_* */
	uint32_t ifa_index;
};
_Static_assert(sizeof(struct ifaddrmsg) == 8, "ifaddrmsg is 8 bytes");

#define IFA_UNSPEC		0
#define IFA_ADDRESS		1
#define IFA_LOCAL		2
#define IFA_LABEL		3
#define IFA_BROADCAST		4
#define IFA_ANYCAST		5
#define IFA_CACHEINFO		6
#define IFA_MULTICAST		7
#define IFA_FLAGS		8
#define IFA_RT_PRIORITY		9

#define IFA_F_SECONDARY		0x01
#define IFA_F_DEPRECATED	0x20
#define IFA_F_TENTATIVE		0x40
#define IFA_F_PERMANENT		0x80
#define IFA_F_MANAGETEMPADDR	0x100	/* SLAAC's: "mngtmpaddr", flags 100 */

struct ifa_cacheinfo {
	uint32_t ifa_prefered;
	uint32_t ifa_valid;
	uint32_t cstamp;	/* created, hundredths of a second since boot */
	uint32_t tstamp;	/* updated */
};
#define INFINITY_LIFE_TIME	0xffffffffu

/* RTM_*ROUTE. */
struct rtmsg {
	uint8_t rtm_family;
	uint8_t rtm_dst_len;
	uint8_t rtm_src_len;
	uint8_t rtm_tos;
	uint8_t rtm_table;	/* RT_TABLE_* */
	uint8_t rtm_protocol;	/* RTPROT_* */
	uint8_t rtm_scope;	/* RT_SCOPE_* */
	uint8_t rtm_type;	/* RTN_* */
	uint32_t rtm_flags;	/* RTM_F_*, RTNH_F_* */
};
_Static_assert(sizeof(struct rtmsg) == 12, "rtmsg is 12 bytes");

#define RTN_UNSPEC		0
#define RTN_UNICAST		1
#define RTN_LOCAL		2
#define RTN_BROADCAST		3
#define RTN_ANYCAST		4
#define RTN_MULTICAST		5
#define RTN_BLACKHOLE		6
#define RTN_UNREACHABLE		7
#define RTN_PROHIBIT		8
#define RTN_THROW		9
#define RTN_NAT			10
#define RTN_XRESOLVE		11
#define RTN_MAX			11

#define RTPROT_UNSPEC		0
#define RTPROT_REDIRECT		1
#define RTPROT_KERNEL		2
#define RTPROT_BOOT		3
#define RTPROT_STATIC		4
#define RTPROT_RA		9	/* from a router advertisement */

#define RT_SCOPE_UNIVERSE	0
#define RT_SCOPE_SITE		200
#define RT_SCOPE_LINK		253
#define RT_SCOPE_HOST		254
#define RT_SCOPE_NOWHERE	255

#define RT_TABLE_UNSPEC		0
#define RT_TABLE_COMPAT		252
#define RT_TABLE_DEFAULT	253
#define RT_TABLE_MAIN		254
#define RT_TABLE_LOCAL		255

#define RTM_F_NOTIFY		0x100
#define RTM_F_CLONED		0x200

#define RTNH_F_DEAD		1
#define RTNH_F_PERVASIVE	2
#define RTNH_F_ONLINK		4
#define RTNH_F_LINKDOWN		16

#define RTA_UNSPEC		0
#define RTA_DST			1
#define RTA_SRC			2
#define RTA_IIF			3
#define RTA_OIF			4
#define RTA_GATEWAY		5
#define RTA_PRIORITY		6
#define RTA_PREFSRC		7
#define RTA_METRICS		8
#define RTA_MULTIPATH		9
#define RTA_FLOW		11
#define RTA_CACHEINFO		12
#define RTA_TABLE		15
#define RTA_MARK		16
#define RTA_VIA			18
#define RTA_PREF		20	/* IPv6 router preference: 0 medium */
#define RTA_NH_ID		30

/* RTA_CACHEINFO of a route; rta_expires in USER_HZ (100) ticks. */
struct rta_cacheinfo {
	uint32_t rta_clntref;
	uint32_t rta_lastuse;
	int32_t rta_expires;
	uint32_t rta_error;
	uint32_t rta_used;
	uint32_t rta_id;
	uint32_t rta_ts;
	uint32_t rta_tsage;
};
