/*
 * Loopback without lwIP's copy of every frame. A TCP segment sent to
 * this host (on lo, or to an interface's own address: ip4.c's calls of
 * netif_loop_output come here, see the Makefile) is queued for
 * netif_poll as a copy of its IP and TCP headers, which the receiving
 * side rewrites in place (tcp_input turns them to host order), followed
 * by references to the sender's data, which nothing writes once it is
 * sent: pbufs lwIP filled (PBUF_RAM) or over a send's block
 * (tcp_block.c). The sender's pbufs live on until the receiver lets go
 * of the data; lwIP retransmits no segment whose pbuf another holds
 * (tcp_output_segment_busy), and on loopback nothing is lost. Anything
 * else (segments of less than half an MSS, other protocols, data the
 * pbuf does not own) goes through lwIP's netif_loop_output, which copies
 * it whole.
 */
#include "iface.h"
#include "tcp_block.h"
#include "lwip/pbuf.h"
#include "lwip/prot/ip.h"
#include "lwip/prot/ip4.h"
#include "lwip/prot/tcp.h"
#include <platform/heap.h>
#include <aramid/string.h>

/*
 * Less data than this is copied. A segment's pbuf may be allocated for a
 * whole MSS (lwIP's oversize) however little it carries, and the
 * receiver holds it until the data is read: sharing only segments at
 * least half full keeps that within twice the data.
 */
#define LOOP_SHARE_MIN	(TCP_MSS / 2)

/* A pbuf of the receiver over the data of a pbuf of the sender. */
struct loop_ref {
	struct pbuf_custom pc;	/* first: lwIP frees it as a pbuf */
	struct pbuf *src;	/* the sender's, referenced */
};

static void loop_ref_free(struct pbuf *p)
{
	struct loop_ref *r = (struct loop_ref *)p;

	pbuf_free(r->src);
	kfree(r);
}

/*
 * The bytes of IP and TCP header at the start of @p, when @p is a TCP
 * segment with both headers in its first pbuf, at least LOOP_SHARE_MIN
 * bytes of data, and pbufs that own their data or are over a send's
 * block (not lwIP's references to a caller's memory); else 0.
 */
static u16_t shareable(const struct pbuf *p)
{
	const struct ip_hdr *iph = p->payload;
	const struct tcp_hdr *th;
	u16_t ihl, hlen;

	if (p->len < IP_HLEN + TCP_HLEN || IPH_V(iph) != 4 ||
	    IPH_PROTO(iph) != IP_PROTO_TCP)
		return 0;
	ihl = IPH_HL_BYTES(iph);
	if (ihl < IP_HLEN || p->len < ihl + TCP_HLEN)
		return 0;
	th = (const struct tcp_hdr *)((const u8_t *)p->payload + ihl);
	hlen = (u16_t)(ihl + TCPH_HDRLEN_BYTES(th));
	if (hlen < ihl + TCP_HLEN || p->len < hlen ||
	    p->tot_len - hlen < LOOP_SHARE_MIN)
		return 0;
	for (const struct pbuf *q = p; q; q = q->next)
		if (!tcp_block_pbuf(q) &&
		    (!(q->type_internal & PBUF_TYPE_FLAG_STRUCT_DATA_CONTIGUOUS) ||
		     (q->flags & PBUF_FLAG_IS_CUSTOM)))
			return 0;
	return hlen;
}

/* @p's first @hlen bytes copied, the rest referenced; NULL: no memory. */
static struct pbuf *share(struct pbuf *p, u16_t hlen)
{
	struct pbuf *r = pbuf_alloc(PBUF_RAW, hlen, PBUF_RAM);
	u16_t off = hlen;

	if (!r)
		return NULL;
	memcpy(r->payload, p->payload, hlen);
	for (struct pbuf *q = p; q; q = q->next, off = 0) {
		struct loop_ref *ref;
		u16_t len = (u16_t)(q->len - off);

		if (!len)
			continue;
		ref = kmalloc(sizeof(*ref));
		if (!ref) {
			pbuf_free(r);
			return NULL;
		}
		ref->pc.custom_free_function = loop_ref_free;
		ref->src = q;
		pbuf_ref(q);
		pbuf_cat(r, pbuf_alloced_custom(PBUF_RAW, len, PBUF_REF,
						&ref->pc,
						(u8_t *)q->payload + off, len));
	}
	return r;
}

/* See iface.h. */
err_t net_loop_output(struct netif *netif, struct pbuf *p)
{
	u16_t hlen = shareable(p);
	struct pbuf *r, *last;

	if (!hlen)
		return netif_loop_output(netif, p);
	r = share(p, hlen);
	if (!r)
		return ERR_MEM;
	for (last = r; last->next; last = last->next)
		;
	if (netif->loop_first)
		netif->loop_last->next = r;
	else
		netif->loop_first = r;
	netif->loop_last = last;
	return ERR_OK;
}
