/*
 * Linux x86-64 ABI of packet sockets (AF_PACKET): struct sockaddr_ll,
 * the Ethernet protocol numbers they take (ETH_P_*), packet types, the
 * SOL_PACKET options with struct packet_mreq, struct tpacket_auxdata
 * and struct tpacket_stats.
 */
#pragma once
#include <aramid/types.h>
#include <uapi/socket.h>

/* Ethernet protocol numbers (host order; sockets take them htons'd). */
#define ETH_P_ALL	0x0003	/* every frame, outgoing ones too */
#define ETH_P_IP	0x0800
#define ETH_P_ARP	0x0806
#define ETH_P_IPV6	0x86DD

#define ETH_ALEN	6
#define ETH_HLEN	14	/* destination, source, type */

struct sockaddr_ll {
	uint16_t sll_family;	/* AF_PACKET */
	uint16_t sll_protocol;	/* ETH_P_*, network byte order */
	int32_t sll_ifindex;
	uint16_t sll_hatype;	/* ARPHRD_* */
	uint8_t sll_pkttype;	/* PACKET_* */
	uint8_t sll_halen;
	uint8_t sll_addr[8];
};
#define SLL_ADDR_OFFSET	12	/* offsetof(struct sockaddr_ll, sll_addr) */
_Static_assert(sizeof(struct sockaddr_ll) == 20, "sockaddr_ll layout");
_Static_assert(__builtin_offsetof(struct sockaddr_ll, sll_addr) ==
	       SLL_ADDR_OFFSET, "sockaddr_ll layout");

/* sll_pkttype: who the frame was for. */
#define PACKET_HOST		0
#define PACKET_BROADCAST	1
#define PACKET_MULTICAST	2
#define PACKET_OTHERHOST	3
#define PACKET_OUTGOING		4

#define SOL_PACKET		263
#define PACKET_ADD_MEMBERSHIP	1
#define PACKET_DROP_MEMBERSHIP	2
#define PACKET_STATISTICS	6
#define PACKET_AUXDATA		8
#define PACKET_ORIGDEV		9
#define PACKET_IGNORE_OUTGOING	23

/* struct packet_mreq.mr_type */
#define PACKET_MR_MULTICAST	0
#define PACKET_MR_PROMISC	1
#define PACKET_MR_ALLMULTI	2
#define PACKET_MR_UNICAST	3

struct packet_mreq {
	int32_t mr_ifindex;
	uint16_t mr_type;
	uint16_t mr_alen;
	uint8_t mr_address[8];
};
_Static_assert(sizeof(struct packet_mreq) == 16, "packet_mreq layout");

/* The PACKET_AUXDATA control message of each received frame. */
struct tpacket_auxdata {
	uint32_t tp_status;
	uint32_t tp_len;	/* the frame's length */
	uint32_t tp_snaplen;	/* what the socket got of it */
	uint16_t tp_mac;
	uint16_t tp_net;	/* offset of the network header */
	uint16_t tp_vlan_tci;
	uint16_t tp_vlan_tpid;
};
_Static_assert(sizeof(struct tpacket_auxdata) == 20, "auxdata layout");
#define TP_STATUS_USER		1

/* PACKET_STATISTICS: counted since the last read, which resets them. */
struct tpacket_stats {
	uint32_t tp_packets;	/* received, dropped ones included */
	uint32_t tp_drops;
};
