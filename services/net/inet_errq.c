/*
 * IP_RECVERR's error queue: the ICMP errors about datagrams an AF_INET
 * socket sent, kept as Linux's ip_icmp_error keeps them and read back
 * with recvmsg(MSG_ERRQUEUE) as its ip_recv_error gives them: the quoted
 * payload as data, the datagram's destination as the name, and a
 * sock_extended_err with the offender's address in an IP_RECVERR
 * control message. The oldest queued error is also the socket's pending
 * error; taking a record makes the next one's pending, or clears it.
 */
#include "inet.h"
#include "lwip/prot/icmp.h"
#include "lwip/icmp.h"
#include "lwip/prot/icmp6.h"
#include <platform/heap.h>
#include <aramid/string.h>
#include <uapi/errqueue.h>

/* Linux's icmp_err_convert: a destination unreachable's code. */
static const struct {
	u8_t errnum;
	bool fatal;
} unreach_errno[] = {
	{ ENETUNREACH, false },		/* net unreachable */
	{ EHOSTUNREACH, false },	/* host unreachable */
	{ ENOPROTOOPT, true },		/* protocol unreachable */
	{ ECONNREFUSED, true },		/* port unreachable */
	{ EMSGSIZE, false },		/* fragmentation needed */
	{ EOPNOTSUPP, false },		/* source route failed */
	{ ENETUNREACH, true },		/* net unknown */
	{ EHOSTDOWN, true },		/* host unknown */
	{ ENONET, true },		/* host isolated */
	{ ENETUNREACH, true },		/* net prohibited */
	{ EHOSTUNREACH, true },		/* host prohibited */
	{ ENETUNREACH, false },		/* net unreachable for TOS */
	{ EHOSTUNREACH, false },	/* host unreachable for TOS */
	{ EHOSTUNREACH, true },		/* communication prohibited */
	{ EHOSTUNREACH, true },		/* host precedence violation */
	{ EHOSTUNREACH, true },		/* precedence cut off */
};

/* See inet.h. */
int inet_icmp_errno(u8_t type, u8_t code, bool *fatal)
{
	*fatal = false;
	switch (type) {
	case ICMP_DUR:
		if (code == ICMP_DUR_FRAG) {
			/* Path MTU discovery is on (IP_PMTUDISC_WANT). */
			*fatal = true;
			return EMSGSIZE;
		}
		if (code >= ARRAY_SIZE(unreach_errno))
			return EHOSTUNREACH;
		*fatal = unreach_errno[code].fatal;
		return unreach_errno[code].errnum;
	case ICMP_PP:
		*fatal = true;
		return EPROTO;
	case ICMP_TE:
		return EHOSTUNREACH;
	default:	/* source quench and redirect are no errors */
		return 0;
	}
}

/* Linux's icmpv6_err_convert: a destination unreachable's code. */
static const struct {
	u8_t errnum;
	bool fatal;
} unreach6_errno[] = {
	{ ENETUNREACH, false },		/* no route */
	{ EACCES, true },		/* administratively prohibited */
	{ EHOSTUNREACH, false },	/* beyond the source's scope */
	{ EHOSTUNREACH, false },	/* address unreachable */
	{ ECONNREFUSED, true },		/* port unreachable */
	{ EACCES, true },		/* source address failed policy */
	{ EACCES, true },		/* reject route */
};

/* See inet.h. */
int inet_icmp6_errno(u8_t type, u8_t code, bool *fatal)
{
	*fatal = true;
	switch (type) {
	case ICMP6_TYPE_DUR:
		if (code >= ARRAY_SIZE(unreach6_errno))
			return EPROTO;
		*fatal = unreach6_errno[code].fatal;
		return unreach6_errno[code].errnum;
	case ICMP6_TYPE_PTB:	/* path MTU discovery is on: a hard error */
		return EMSGSIZE;
	case ICMP6_TYPE_PP:
		return EPROTO;
	case ICMP6_TYPE_TE:
		*fatal = false;
		return EHOSTUNREACH;
	default:	/* informational messages are no errors */
		*fatal = false;
		return 0;
	}
}

static size_t err_cost(const struct inet_err *e)
{
	return e->len + INET_PKT_OVERHEAD;
}

/* See inet.h. */
void inet_errq_add(struct inet_sock *is, const struct inet_err *rec,
		   struct pbuf *p, u16_t off, u16_t len)
{
	struct inet_err *e;

	if (is->rcv_bytes + len + INET_PKT_OVERHEAD >= (size_t)inet_rcvbuf(is))
		return;
	e = kmalloc(sizeof(*e) + len);
	if (!e)
		return;
	*e = *rec;
	e->len = pbuf_copy_partial(p, e->data, len, off);
	list_add_tail(&e->link, &is->errq);
	is->rcv_bytes += err_cost(e);
	wq_wake_all(&is->wq);
}

static void errq_drop(struct inet_sock *is, struct inet_err *e)
{
	list_del(&e->link);
	is->rcv_bytes -= err_cost(e);
	kfree(e);
}

/* See inet.h. */
void inet_errq_purge(struct inet_sock *is)
{
	struct inet_err *e, *next;

	list_for_each_entry_safe(e, next, &is->errq, link)
		errq_drop(is, e);
}

/* See inet.h. */
ssize_t inet_errq_recv(struct inet_sock *is, struct sock_msg *msg)
{
	struct {
		struct sock_extended_err ee;
		struct sockaddr_in offender;
	} eh;
	struct inet_err *e;
	ip_addr_t dest;
	size_t n;
	int err;

	if (list_empty(&is->errq))
		return -EAGAIN;
	e = list_first_entry(&is->errq, struct inet_err, link);
	n = MIN((size_t)e->len, msg->uio->resid);
	err = uiomove(e->data, n, msg->uio);
	if (err)
		return err;
	if (n < e->len)
		msg->out_flags |= MSG_TRUNC;
	ip_addr_copy_from_ip4(dest, e->dest);
	msg->namelen = inet_addr_out(is, msg->name, &dest, e->port);
	memset(&eh, 0, sizeof(eh));
	eh.ee.ee_errno = e->errnum;
	eh.ee.ee_origin = SO_EE_ORIGIN_ICMP;
	eh.ee.ee_type = e->type;
	eh.ee.ee_code = e->code;
	eh.ee.ee_info = e->info;
	eh.offender.sin_family = AF_INET;
	eh.offender.sin_addr.s_addr = ip4_addr_get_u32(&e->offender);
	err = sock_put_cmsg(msg, SOL_IP, IP_RECVERR, &eh, sizeof(eh));
	if (err)
		return err;
	msg->out_flags |= MSG_ERRQUEUE;
	errq_drop(is, e);
	if (list_empty(&is->errq)) {
		inet_take_error(is);
	} else {
		e = list_first_entry(&is->errq, struct inet_err, link);
		inet_set_error(is, (int)e->errnum);
	}
	return (ssize_t)n;
}
