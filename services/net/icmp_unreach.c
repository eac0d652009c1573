/*
 * The destination unreachable lwIP's IPv4 and UDP input send (for a
 * protocol or a port nothing listens on): ip4.c and udp.c are built to
 * call net_icmp_dest_unreach in place of lwIP's icmp_dest_unreach
 * (Makefile). This one quotes as much of the datagram as fits in a
 * 576-byte reply, as Linux's icmp_send does (RFC 1812, 4.3.2.3), where
 * lwIP's quotes its IP header and 8 bytes: the quoted payload is what
 * the sender's IP_RECVERR queue gives back (inet_errq.c).
 */
#include "inet.h"
#include "lwip/inet_chksum.h"
#include "lwip/ip4.h"
#include "lwip/netif.h"
#include "lwip/prot/icmp.h"
#include "lwip/prot/ip.h"
#include "lwip/prot/ip4.h"

/* An ICMP error's IPv4 datagram at most, its own headers included. */
#define ICMP_ERROR_MAX	576

/* See inet.h. */
void net_icmp_dest_unreach(struct pbuf *p, enum icmp_dur_type t)
{
	u16_t quote = LWIP_MIN(p->tot_len, ICMP_ERROR_MAX - IP_HLEN -
			       sizeof(struct icmp_echo_hdr));
	struct icmp_echo_hdr *icmp;
	struct ip_hdr iph;
	struct netif *netif;
	ip4_addr_t to;
	struct pbuf *q;

	if (pbuf_copy_partial(p, &iph, IP_HLEN, 0) != IP_HLEN)
		return;
	ip4_addr_copy(to, iph.src);
	netif = ip4_route(&to);
	if (!netif)
		return;
	q = pbuf_alloc(PBUF_IP, (u16_t)(sizeof(*icmp) + quote), PBUF_RAM);
	if (!q)
		return;
	icmp = q->payload;
	icmp->type = ICMP_DUR;
	icmp->code = (u8_t)t;
	icmp->chksum = 0;
	icmp->id = 0;
	icmp->seqno = 0;
	pbuf_copy_partial(p, icmp + 1, quote, 0);
	if (netif->chksum_flags & NETIF_CHECKSUM_GEN_ICMP)
		icmp->chksum = inet_chksum(icmp, q->len);
	ip4_output_if(q, NULL, &to, ICMP_TTL, 0, IP_PROTO_ICMP, netif);
	pbuf_free(q);
}
