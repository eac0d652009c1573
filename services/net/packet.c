/*
 * AF_PACKET sockets (Linux's af_packet.c, root only): SOCK_RAW sockets
 * see and send whole Ethernet frames, SOCK_DGRAM ones the payload, with
 * the link header built from the sockaddr_ll on send and described by
 * it on receive. A socket takes the frames of its protocol (ETH_P_ALL:
 * every one, its own kind of frame going out included) on the interface
 * it is bound to (or on every one), each a copy made before lwIP sees
 * the frame (netif.c calls packet_rx), which lwIP then handles as ever.
 *
 * Options: SOL_PACKET PACKET_AUXDATA (a struct tpacket_auxdata control
 * message per frame), PACKET_ORIGDEV (no stacked devices: no
 * difference), PACKET_IGNORE_OUTGOING, PACKET_STATISTICS and PACKET_ADD/
 * DROP_MEMBERSHIP, which are checked and counted as Linux does but do
 * not change what the device receives (QEMU's device passes every frame
 * for the guest, and no other). SO_BINDTODEVICE is kept for getsockopt,
 * as on Linux it does not limit a packet socket. A filter attached with
 * SO_ATTACH_FILTER (checked and kept by kernel/net/socket.c) is not run:
 * the socket gets every frame of its protocol (udhcpc checks each packet
 * itself).
 * Not implemented: SOCK_PACKET, the mmap rings (PACKET_RX_RING...),
 * PACKET_VERSION, fanout: ENOPROTOOPT or ESOCKTNOSUPPORT.
 */
#include "net.h"
#include "lwip/opt.h"
#include "lwip/def.h"
#include <svc/task.h>
#include <svc/uio.h>
#include <platform/cpu.h>
#include <platform/heap.h>
#include <platform/usercopy.h>
#include <aramid/list.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include <uapi/if_packet.h>
#include <uapi/in.h>
#include <uapi/poll.h>

/* What a queued frame costs beyond its bytes (skb truesize, roughly). */
#define FRAME_OVERHEAD	768
#define MC_MAX		16	/* memberships per socket */
/* The flags recvmsg takes (Linux's packet_recvmsg; ERRQUEUE is empty). */
#define RECV_FLAGS	(MSG_PEEK | MSG_DONTWAIT | MSG_TRUNC | MSG_ERRQUEUE)

struct packet_mc {
	int ifindex;
	uint16_t type, alen;
	uint8_t addr[8];
	unsigned count;		/* 0: a free slot */
};

struct packet_sock {
	struct socket *sock;
	struct list_head link;	/* on packet_socks */
	uint16_t proto;		/* ETH_P_*, network order; 0 takes nothing */
	int ifindex;		/* bind(2): 0 for every interface */
	bool auxdata;
	bool origdev;
	bool ignore_outgoing;
	struct wait_queue wq;
	struct list_head rcvq;	/* struct packet_frame */
	size_t rcv_bytes;	/* memory charged against SO_RCVBUF */
	uint32_t stat_packets, stat_drops;	/* PACKET_STATISTICS */
	struct packet_mc mc[MC_MAX];
};

/* A frame as the socket gets it, with its source. */
struct packet_frame {
	struct list_head link;
	struct sockaddr_ll from;
	uint16_t net_off;	/* where the network header starts in data */
	size_t len;
	uint8_t data[];
};

static LIST_HEAD(packet_socks);

extern const struct proto_ops packet_ops;

/* See net.h. */
int packet_create(struct socket *sock, int type, int protocol)
{
	struct packet_sock *ps;

	if (!capable(CAP_NET_RAW))
		return -EPERM;
	if (type != SOCK_DGRAM && type != SOCK_RAW)
		return -ESOCKTNOSUPPORT;
	ps = kzalloc(sizeof(*ps));
	if (!ps)
		return -ENOMEM;
	ps->sock = sock;
	ps->proto = (uint16_t)protocol;
	wq_init(&ps->wq);
	list_init(&ps->rcvq);
	list_add_tail(&ps->link, &packet_socks);
	sock->priv = ps;
	sock->ops = &packet_ops;
	return 0;
}

static void packet_release(struct socket *sock)
{
	struct packet_sock *ps = sock->priv;
	struct packet_frame *f, *next;

	list_del(&ps->link);
	list_for_each_entry_safe(f, next, &ps->rcvq, link) {
		list_del(&f->link);
		kfree(f);
	}
	kfree(ps);
}

/*
 * Who a frame coming in on @link was for, by its destination address
 * (Linux's eth_type_trans): lo has no broadcast address, so all-ones is
 * a multicast one there.
 */
static uint8_t pkttype_of(const struct netif_link *link, const uint8_t *dst)
{
	static const uint8_t bcast[ETH_ALEN] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff
	};

	if (dst[0] & 1) {
		if (link->type == ARPHRD_ETHER && !memcmp(dst, bcast, ETH_ALEN))
			return PACKET_BROADCAST;
		return PACKET_MULTICAST;
	}
	if (!memcmp(dst, link->addr, ETH_ALEN))
		return PACKET_HOST;
	return PACKET_OTHERHOST;
}

/* Does @ps take a frame of @type (network order) on interface @index? */
static bool packet_wants(const struct packet_sock *ps, int index,
			 uint16_t type, bool outgoing, const void *origin)
{
	if (ps == origin || !ps->proto)
		return false;
	if (ps->ifindex && ps->ifindex != index)
		return false;
	if (outgoing)
		return ps->proto == PP_HTONS(ETH_P_ALL) &&
		       !ps->ignore_outgoing;
	return ps->proto == PP_HTONS(ETH_P_ALL) || ps->proto == type;
}

/* Queue a copy of @frame for @ps, or count a drop (buffer full, memory). */
static void packet_queue(struct packet_sock *ps, const struct sockaddr_ll *from,
			 const uint8_t *frame, size_t len)
{
	size_t off = ps->sock->type == SOCK_DGRAM ? ETH_HLEN : 0;
	struct packet_frame *f;

	ps->stat_packets++;
	if (ps->rcv_bytes >= (size_t)ps->sock->rcvbuf)
		goto drop;
	f = kmalloc(sizeof(*f) + len - off);
	if (!f)
		goto drop;
	f->from = *from;
	f->net_off = (uint16_t)(ETH_HLEN - off);
	f->len = len - off;
	memcpy(f->data, frame + off, f->len);
	list_add_tail(&f->link, &ps->rcvq);
	ps->rcv_bytes += f->len + FRAME_OVERHEAD;
	wq_wake_all(&ps->wq);
	return;

drop:
	ps->stat_drops++;
}

/* See net.h. */
void packet_rx(int index, const void *frame, size_t len, bool outgoing,
	       const void *origin)
{
	const uint8_t *eth = frame;
	struct netif_link link;
	struct sockaddr_ll from;
	struct packet_sock *ps;
	uint16_t type;

	if (list_empty(&packet_socks) || len < ETH_HLEN ||
	    netif_link_get(index, &link))
		return;
	memcpy(&type, eth + 12, sizeof(type));
	from = (struct sockaddr_ll){
		.sll_family = AF_PACKET,
		.sll_protocol = type,
		.sll_ifindex = index,
		.sll_hatype = link.type,
		.sll_pkttype = outgoing ? PACKET_OUTGOING :
					  pkttype_of(&link, eth),
		.sll_halen = ETH_ALEN,
	};
	memcpy(from.sll_addr, eth + ETH_ALEN, ETH_ALEN);	/* the source */
	list_for_each_entry(ps, &packet_socks, link) {
		if (packet_wants(ps, index, type, outgoing, origin))
			packet_queue(ps, &from, eth, len);
	}
}

/* See net.h. */
bool packet_want_outgoing(void)
{
	struct packet_sock *ps;

	list_for_each_entry(ps, &packet_socks, link) {
		if (ps->proto == PP_HTONS(ETH_P_ALL) && !ps->ignore_outgoing)
			return true;
	}
	return false;
}

/*
 * Linux's packet_bind: a sockaddr_ll with the interface (0: every one)
 * and the protocol (0: keep the socket's). Bound to an interface that is
 * down, the socket succeeds but reports ENETDOWN once.
 */
static int packet_bind(struct socket *sock, const void *addr, int len)
{
	struct packet_sock *ps = sock->priv;
	struct netif_link link = { .up = true };
	struct sockaddr_ll sll;

	if (len < (int)sizeof(sll))
		return -EINVAL;
	memcpy(&sll, addr, sizeof(sll));
	if (sll.sll_family != AF_PACKET)
		return -EINVAL;
	if (sll.sll_ifindex && netif_link_get(sll.sll_ifindex, &link))
		return -ENODEV;
	ps->ifindex = sll.sll_ifindex;
	if (sll.sll_protocol)
		ps->proto = sll.sll_protocol;
	if (ps->proto && !link.up) {
		sock->error = ENETDOWN;
		wq_wake_all(&ps->wq);
	}
	return 0;
}

/* Packet sockets have no peer: connect, listen, shutdown are refused. */
static int packet_connect(struct socket *sock, const void *addr, int len,
		   bool nonblock)
{
	return -EOPNOTSUPP;
}

static int packet_shutdown(struct socket *sock, int how)
{
	return -EOPNOTSUPP;
}

/* The bound interface and protocol, with the interface's address. */
static int packet_getname(struct socket *sock, void *addr, bool peer)
{
	struct packet_sock *ps = sock->priv;
	struct netif_link link;
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = ps->proto,
		.sll_ifindex = ps->ifindex,
	};

	if (peer)
		return -EOPNOTSUPP;
	if (!netif_link_get(ps->ifindex, &link)) {
		sll.sll_hatype = link.type;
		sll.sll_halen = ETH_ALEN;
		memcpy(sll.sll_addr, link.addr, ETH_ALEN);
	}
	memcpy(addr, &sll, sizeof(sll));
	return SLL_ADDR_OFFSET + sll.sll_halen;
}

/*
 * The frame to send: the caller's bytes (SOCK_RAW; a header shorter than
 * Ethernet's is padded with zeros, as for root on Linux) or an Ethernet
 * header to @dst (NULL: lo's all-zero address) before them. 0 or -errno.
 */
static int build_frame(const struct packet_sock *ps,
		       const struct netif_link *link, const uint8_t *dst,
		       uint16_t proto, struct uio *uio, uint8_t **framep,
		       size_t *lenp)
{
	bool dgram = ps->sock->type == SOCK_DGRAM;
	size_t len = uio->resid, hlen = dgram ? ETH_HLEN : 0;
	size_t total = MAX(hlen + len, (size_t)ETH_HLEN);
	uint8_t *frame;
	int err;

	if (len > (size_t)link->mtu + (dgram ? 0 : ETH_HLEN))
		return -EMSGSIZE;
	frame = kzalloc(total);
	if (!frame)
		return -ENOBUFS;
	if (dgram) {
		if (dst)
			memcpy(frame, dst, ETH_ALEN);
		memcpy(frame + ETH_ALEN, link->addr, ETH_ALEN);
		memcpy(frame + 12, &proto, sizeof(proto));
	}
	err = uiomove(frame + hlen, len, uio);
	if (err) {
		kfree(frame);
		return err;
	}
	*framep = frame;
	*lenp = total;
	return 0;
}

/*
 * Linux's packet_snd: to the sockaddr_ll's interface and protocol (with
 * SOCK_DGRAM's link address), or without one to the bound interface.
 */
static ssize_t packet_sendmsg(struct socket *sock, struct sock_msg *msg)
{
	struct packet_sock *ps = sock->priv;
	size_t len = msg->uio->resid, flen;
	const uint8_t *dst = NULL;
	struct netif_link link;
	struct sockaddr_ll sll;
	uint16_t proto = ps->proto;
	int index = ps->ifindex, err;
	uint8_t *frame;

	if (msg->namelen) {
		if (msg->namelen < (int)sizeof(sll))
			return -EINVAL;
		memcpy(&sll, msg->name, sizeof(sll));
		if (msg->namelen < SLL_ADDR_OFFSET + sll.sll_halen)
			return -EINVAL;
		proto = sll.sll_protocol;
		index = sll.sll_ifindex;
		dst = sll.sll_addr;
	}
	if (!index || netif_link_get(index, &link))
		return -ENXIO;
	if (!link.up)
		return -ENETDOWN;
	if (sock->type == SOCK_DGRAM && !dst && link.type != ARPHRD_LOOPBACK)
		return -EINVAL;		/* no link address to send to */
	err = build_frame(ps, &link, dst, proto, msg->uio, &frame, &flen);
	if (err)
		return err;
	packet_rx(index, frame, flen, true, ps);
	err = netif_link_xmit(index, frame, flen);
	kfree(frame);
	net_flush();
	return err ? err : (ssize_t)len;
}

static bool packet_readable(const void *arg)
{
	const struct packet_sock *ps = arg;

	return !list_empty(&ps->rcvq) || ps->sock->error;
}

/*
 * Sleep until a frame or an error comes: 0, -EAGAIN (nonblocking, or
 * the SO_RCVTIMEO deadline passed), -ERESTARTSYS on a signal (-EINTR
 * with a deadline, as Linux's sock_intr_errno).
 */
static int packet_wait(struct packet_sock *ps, bool nonblock)
{
	return wq_wait_deadline(&ps->wq, nonblock,
				wq_deadline(ps->sock->rcvtimeo_ns),
				packet_readable, ps);
}

/* One frame, its source in msg->name; MSG_PEEK and MSG_TRUNC as Linux. */
static ssize_t packet_recvmsg(struct socket *sock, struct sock_msg *msg)
{
	struct packet_sock *ps = sock->priv;
	struct packet_frame *f;
	size_t n;
	int err;

	if (msg->flags & ~RECV_FLAGS)
		return -EINVAL;
	if (msg->flags & MSG_ERRQUEUE)
		return -EAGAIN;		/* nothing is ever queued there */
	err = packet_wait(ps, msg->flags & MSG_DONTWAIT);
	if (err)
		return err;
	if (sock->error) {
		err = sock->error;
		sock->error = 0;
		return -err;
	}
	f = list_first_entry(&ps->rcvq, struct packet_frame, link);
	n = MIN(f->len, msg->uio->resid);
	err = uiomove(f->data, n, msg->uio);
	if (err)
		return err;
	if (n < f->len)
		msg->out_flags |= MSG_TRUNC;
	/* A whole sockaddr_ll at least, as Linux since 5.17 (18 before). */
	memcpy(msg->name, &f->from, sizeof(f->from));
	msg->namelen = MAX(SLL_ADDR_OFFSET + f->from.sll_halen,
			   (int)sizeof(f->from));
	if (ps->auxdata) {
		struct tpacket_auxdata aux = {
			.tp_status = TP_STATUS_USER,
			.tp_len = (uint32_t)f->len,
			.tp_snaplen = (uint32_t)f->len,
			.tp_net = f->net_off,
		};

		err = sock_put_cmsg(msg, SOL_PACKET, PACKET_AUXDATA, &aux,
			            sizeof(aux));
		if (err)
			return err;
	}
	if (!(msg->flags & MSG_PEEK)) {
		list_del(&f->link);
		ps->rcv_bytes -= f->len + FRAME_OVERHEAD;
		n = (msg->flags & MSG_TRUNC) ? f->len : n;
		kfree(f);
		return (ssize_t)n;
	}
	return (ssize_t)((msg->flags & MSG_TRUNC) ? f->len : n);
}

/* Datagram readiness: writable always, readable with a frame queued. */
static unsigned packet_poll(struct socket *sock, struct file *file,
		     struct poll_table *pt)
{
	struct packet_sock *ps = sock->priv;
	unsigned mask = POLLOUT | POLLWRNORM | POLLWRBAND;

	poll_wait(file, &ps->wq, pt);
	if (sock->error)
		mask |= POLLERR;
	if (!list_empty(&ps->rcvq))
		mask |= POLLIN | POLLRDNORM;
	return mask;
}

/* PACKET_ADD_MEMBERSHIP / PACKET_DROP_MEMBERSHIP (packet_mc_add/_drop). */
static int packet_membership(struct packet_sock *ps, bool add,
			     const void *val, int len)
{
	struct packet_mreq mr;
	struct netif_link link;
	struct packet_mc *slot = NULL;

	if (len < (int)sizeof(mr))
		return -EINVAL;
	memcpy(&mr, val, sizeof(mr));
	if (mr.mr_alen > sizeof(mr.mr_address))
		return -EINVAL;
	if (add && netif_link_get(mr.mr_ifindex, &link))
		return -ENODEV;
	if (add && mr.mr_alen > ETH_ALEN)
		return -EINVAL;
	for (unsigned i = 0; i < MC_MAX; i++) {
		struct packet_mc *mc = &ps->mc[i];

		if (!mc->count) {
			slot = slot ? slot : mc;
			continue;
		}
		if (mc->ifindex != mr.mr_ifindex || mc->type != mr.mr_type ||
		    mc->alen != mr.mr_alen ||
		    memcmp(mc->addr, mr.mr_address, mr.mr_alen))
			continue;
		if (add)
			mc->count++;
		else
			mc->count--;
		return 0;
	}
	if (!add)
		return 0;	/* Linux drops what is not there quietly */
	if (!slot)
		return -ENOBUFS;
	*slot = (struct packet_mc){
		.ifindex = mr.mr_ifindex, .type = mr.mr_type,
		.alen = mr.mr_alen, .count = 1,
	};
	memcpy(slot->addr, mr.mr_address, mr.mr_alen);
	return 0;
}

static int packet_setsockopt(struct socket *sock, int level, int name,
		      const void *val, int len)
{
	struct packet_sock *ps = sock->priv;
	int v;

	if (level == SOL_SOCKET)
		return 0;	/* kept by the socket layer */
	if (level != SOL_PACKET)
		return -ENOPROTOOPT;
	switch (name) {
	case PACKET_ADD_MEMBERSHIP:
	case PACKET_DROP_MEMBERSHIP:
		return packet_membership(ps, name == PACKET_ADD_MEMBERSHIP,
					 val, len);
	case PACKET_AUXDATA:
	case PACKET_ORIGDEV:
	case PACKET_IGNORE_OUTGOING:
		break;
	default:
		return -ENOPROTOOPT;
	}
	if (len < (int)sizeof(int))
		return -EINVAL;
	memcpy(&v, val, sizeof(v));
	if (name == PACKET_AUXDATA)
		ps->auxdata = v != 0;
	else if (name == PACKET_ORIGDEV)
		ps->origdev = v != 0;
	else if (v < 0 || v > 1)
		return -EINVAL;
	else
		ps->ignore_outgoing = v;
	return 0;
}

static int packet_getsockopt(struct socket *sock, int level, int name, void *val,
		      int *len)
{
	struct packet_sock *ps = sock->priv;
	struct tpacket_stats st;
	int v;

	if (level != SOL_PACKET)
		return -ENOPROTOOPT;
	if (*len < 0)
		return -EINVAL;
	switch (name) {
	case PACKET_STATISTICS:
		st.tp_packets = ps->stat_packets;
		st.tp_drops = ps->stat_drops;
		ps->stat_packets = ps->stat_drops = 0;
		*len = MIN(*len, (int)sizeof(st));
		memcpy(val, &st, (size_t)*len);
		return 0;
	case PACKET_AUXDATA:
		v = ps->auxdata;
		break;
	case PACKET_ORIGDEV:
		v = ps->origdev;
		break;
	case PACKET_IGNORE_OUTGOING:
		v = ps->ignore_outgoing;
		break;
	default:
		return -ENOPROTOOPT;
	}
	*len = MIN(*len, (int)sizeof(v));
	memcpy(val, &v, (size_t)*len);
	return 0;
}

/* SIOCINQ (FIONREAD): the next frame's size; SIOCOUTQ: sent at once. */
static long packet_ioctl(struct socket *sock, unsigned cmd, uptr_t arg)
{
	struct packet_sock *ps = sock->priv;
	int v = 0;

	switch (cmd) {
	case SIOCINQ:
		if (!list_empty(&ps->rcvq))
			v = (int)list_first_entry(&ps->rcvq,
						  struct packet_frame,
						  link)->len;
		break;
	case SIOCOUTQ:
		break;
	default:
		return -ENOTTY;
	}
	return put_user(v, arg) ? -EFAULT : 0;
}

const struct proto_ops packet_ops = {
	.svc = &net_service,
	.release = packet_release,
	.bind = packet_bind,
	.connect = packet_connect,
	.getname = packet_getname,
	.shutdown = packet_shutdown,
	.sendmsg = packet_sendmsg,
	.recvmsg = packet_recvmsg,
	.poll = packet_poll,
	.setsockopt = packet_setsockopt,
	.getsockopt = packet_getsockopt,
	.ioctl = packet_ioctl,
};
