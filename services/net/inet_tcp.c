/*
 * AF_INET and AF_INET6 SOCK_STREAM sockets over lwIP's tcp_pcb:
 * connection set-up and tear-down, the byte stream both ways with flow
 * control, readiness and options, with Linux's states and errnos, and
 * /proc/net/tcp and tcp6.
 *
 * The socket owns its pcb until lwIP drops it (the err callback), the
 * connection goes on to TIME_WAIT (which lwIP frees without a word, so
 * the socket lets go of the pcb as the peer's FIN closes it) or the
 * socket is released (then the pcb is detached and closed, and lwIP
 * finishes the close alone).
 */
#include "inet.h"
#include "tcp_block.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/sys.h"
#include <svc/task.h>
#include <platform/heap.h>
#include <platform/usercopy.h>
#include <aramid/string.h>

/* Linux's TCP states, as /proc/net/tcp numbers them. */
enum {
	TCPS_ESTABLISHED = 1,
	TCPS_SYN_SENT,
	TCPS_SYN_RECV,
	TCPS_FIN_WAIT1,
	TCPS_FIN_WAIT2,
	TCPS_TIME_WAIT,
	TCPS_CLOSE,
	TCPS_CLOSE_WAIT,
	TCPS_LAST_ACK,
	TCPS_LISTEN,
	TCPS_CLOSING,
};

#define TCP_MIN_MSS		88
#define TCP_MAX_WINDOW		32767
#define TCP_MAX_KEEPIDLE	32767
#define TCP_MAX_KEEPINTVL	32767
#define TCP_MAX_KEEPCNT		127
#define TCP_MSS_DEFAULT		536
#define SEND_CHUNK		TCP_BLOCK_MAX	/* bytes queued per tcp_write */
#define SEND_BLOCK_MIN		4096	/* from this many, lwIP shares them */
#define TCP_CORK_CEILING_MS	200	/* Linux's longest TCP_CORK hold */
#define TCP_WRITABLE_SPACE	(32 * 1024)	/* poll: POLLOUT above this */
#define TCP_RMEM_DEFAULT	131072
#define TCP_WMEM_DEFAULT	16384
#define PROC_TCP_WIDTH		149

static const u8_t linux_state[] = {
	[CLOSED] = TCPS_CLOSE,
	[LISTEN] = TCPS_LISTEN,
	[SYN_SENT] = TCPS_SYN_SENT,
	[SYN_RCVD] = TCPS_SYN_RECV,
	[ESTABLISHED] = TCPS_ESTABLISHED,
	[FIN_WAIT_1] = TCPS_FIN_WAIT1,
	[FIN_WAIT_2] = TCPS_FIN_WAIT2,
	[CLOSE_WAIT] = TCPS_CLOSE_WAIT,
	[CLOSING] = TCPS_CLOSING,
	[LAST_ACK] = TCPS_LAST_ACK,
	[TIME_WAIT] = TCPS_TIME_WAIT,
};

/* The Linux state of @is. */
static int tcp_lstate(const struct inet_sock *is)
{
	const struct tcp_pcb *pcb = is->pcb.tcp;

	return pcb ? linux_state[pcb->state] : is->gone_state;
}

/* Stop every lwIP callback to @is on @pcb (not a listening pcb). */
static void tcp_detach(struct tcp_pcb *pcb)
{
	tcp_arg(pcb, NULL);
	tcp_recv(pcb, NULL);
	tcp_sent(pcb, NULL);
	tcp_err(pcb, NULL);
	tcp_poll(pcb, NULL, 0);
}

/* Keep the names of @is's connection and let go of its pcb. */
static void tcp_forget_pcb(struct inet_sock *is, int state)
{
	struct tcp_pcb *pcb = is->pcb.tcp;

	ip_addr_copy(is->gone_local, pcb->local_ip);
	ip_addr_copy(is->gone_remote, pcb->remote_ip);
	is->gone_lport = pcb->local_port;
	is->gone_rport = pcb->remote_port;
	is->gone_state = state;
	is->pcb.tcp = NULL;
}

static err_t tcp_cb_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p,
			 err_t err)
{
	struct inet_sock *is = arg;
	struct inet_pkt *pkt;

	if (!p) {
		is->rcv_fin = true;
		is->shutdown |= RCV_SHUTDOWN;
		/*
		 * Both FINs are out: lwIP takes the pcb on to TIME_WAIT
		 * and frees it alone, so let go of it now.
		 */
		if (pcb->state == TIME_WAIT || pcb->state == CLOSING) {
			tcp_forget_pcb(is, TCPS_TIME_WAIT);
			tcp_detach(pcb);
		}
		wq_wake_all(&is->wq);
		return ERR_OK;
	}
	pkt = kzalloc(sizeof(*pkt));
	if (!pkt)
		return ERR_MEM;		/* lwIP offers it again later */
	pkt->p = p;
	/* Pushed data is acknowledged at once, like Linux's quick-ack
	 * mode, so a Nagle-held segment of the peer's follows quickly. */
	if (p->flags & PBUF_FLAG_PUSH)
		tcp_ack_now(pcb);
	list_add_tail(&pkt->link, &is->rcvq);
	is->rcv_bytes += p->tot_len;
	wq_wake_all(&is->wq);
	return ERR_OK;
}

static err_t tcp_cb_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
	struct inet_sock *is = arg;

	wq_wake_all(&is->wq);
	return ERR_OK;
}

/* lwIP has freed the pcb: a reset, a timeout, or the close completed. */
static void tcp_cb_err(void *arg, err_t err)
{
	struct inet_sock *is = arg;
	bool syn_sent = !is->established;
	int e = 0;

	is->pcb.tcp = NULL;
	is->gone_state = TCPS_CLOSE;
	is->shutdown = SHUTDOWN_MASK;
	if (err == ERR_RST)
		e = syn_sent ? ECONNREFUSED : is->rcv_fin ? EPIPE : ECONNRESET;
	else if (err == ERR_ABRT)
		e = ETIMEDOUT;
	if (e)
		inet_set_error(is, e);
	wq_wake_all(&is->wq);
}

/* The MSS limit of TCP_MAXSEG on an established pcb. */
static void tcp_apply_mss(const struct inet_sock *is, struct tcp_pcb *pcb)
{
	if (is->user_mss && pcb->mss > is->user_mss)
		pcb->mss = is->user_mss;
}

static err_t tcp_cb_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct inet_sock *is = arg;

	is->established = true;
	tcp_apply_mss(is, pcb);
	wq_wake_all(&is->wq);
	return ERR_OK;
}

/*
 * lwIP's slow timer (every 500 ms) sends the unsent queue after this
 * returns ERR_OK: a corked partial segment waits for Linux's ceiling.
 */
static err_t tcp_cb_poll(void *arg, struct tcp_pcb *pcb)
{
	struct inet_sock *is = arg;

	if (!is || !is->cork || !is->cork_held || !pcb->unsent)
		return ERR_OK;
	if (sys_now() - is->cork_since < TCP_CORK_CEILING_MS)
		return ERR_INPROGRESS;
	is->cork_held = false;
	return ERR_OK;
}

/* The socket's options onto @pcb. */
static void tcp_apply(const struct inet_sock *is, struct tcp_pcb *pcb)
{
	inet_apply_ip(is, (struct ip_pcb *)pcb);
	if (pcb->state == LISTEN)
		return;
	if (is->nodelay)
		tcp_nagle_disable(pcb);
	else
		tcp_nagle_enable(pcb);
	pcb->keep_idle = is->keep_idle * 1000;
	pcb->keep_intvl = is->keep_intvl * 1000;
	pcb->keep_cnt = is->keep_cnt;
}

static void tcp_setup_pcb(struct inet_sock *is, struct tcp_pcb *pcb)
{
	tcp_arg(pcb, is);
	tcp_recv(pcb, tcp_cb_recv);
	tcp_sent(pcb, tcp_cb_sent);
	tcp_err(pcb, tcp_cb_err);
	tcp_poll(pcb, tcp_cb_poll, 1);
	tcp_apply(is, pcb);
}

/* Does @pcb, connected or in TIME-WAIT, have its other end on this host
 * at @port? Then a connection from @port to its local end would have
 * the same four addresses. */
static bool tcp_peer_here_at(const struct tcp_pcb *pcb, u16_t port)
{
	return pcb->remote_port == port &&
	       (ip_addr_isloopback(&pcb->remote_ip) ||
		ip_addr_cmp(&pcb->remote_ip, &pcb->local_ip));
}

/*
 * Is @port taken for a new connection from this host: bound by any TCP
 * pcb, or the peer port of a connection between two of its sockets?
 * The second keeps a client from picking the port of a connection whose
 * server end is still in TIME-WAIT, where lwIP would answer its SYN
 * with a reset; Linux's connect() likewise skips a port whose four
 * addresses a TIME-WAIT socket holds.
 */
static bool tcp_port_in_use(u16_t port)
{
	for (int i = 0; i < NUM_TCP_PCB_LISTS; i++) {
		for (struct tcp_pcb *pcb = *tcp_pcb_lists[i]; pcb;
		     pcb = pcb->next) {
			if (pcb->local_port == port)
				return true;
		}
	}
	for (struct tcp_pcb *pcb = tcp_active_pcbs; pcb; pcb = pcb->next) {
		if (tcp_peer_here_at(pcb, port))
			return true;
	}
	for (struct tcp_pcb *pcb = tcp_tw_pcbs; pcb; pcb = pcb->next) {
		if (tcp_peer_here_at(pcb, port))
			return true;
	}
	return false;
}

/* Does a listener hold @ip:@port (overlapping addresses)? */
static bool tcp_listener_at(const ip_addr_t *ip, u16_t port)
{
	for (struct tcp_pcb_listen *l = tcp_listen_pcbs.listen_pcbs; l;
	     l = l->next) {
		if (l->local_port == port && inet_addr_overlap(ip, &l->local_ip))
			return true;
	}
	return false;
}

/*
 * Does binding @ip:@port conflict with a TCP socket that holds the port,
 * by Linux's rule: overlapping addresses conflict unless both sockets
 * have SO_REUSEADDR and the holder is not listening; SO_REUSEADDR on the
 * new socket alone passes over TIME-WAIT. lwIP's own check misses the
 * dual-stack wildcard against an IPv6 address (their types differ), so
 * the overlap here is inet_addr_overlap's.
 */
static bool tcp_bind_conflict(const struct inet_sock *is, const ip_addr_t *ip,
			      u16_t port)
{
	bool reuse = is->sock->reuseaddr;
	int lists = reuse ? NUM_TCP_PCB_LISTS_NO_TIME_WAIT : NUM_TCP_PCB_LISTS;

	if (tcp_listener_at(ip, port))
		return true;
	for (int i = 0; i < lists; i++) {
		for (struct tcp_pcb *pcb = *tcp_pcb_lists[i]; pcb;
		     pcb = pcb->next) {
			if (pcb->local_port == port &&
			    inet_addr_overlap(ip, &pcb->local_ip) &&
			    !(reuse && ip_get_option(pcb, SOF_REUSEADDR)))
				return true;
		}
	}
	return false;
}

static int tcp_errno(err_t err)
{
	switch (err) {
	case ERR_OK:
		return 0;
	case ERR_USE:
		return -EADDRINUSE;
	case ERR_RTE:
		return -ENETUNREACH;
	case ERR_MEM:
	case ERR_BUF:
		return -ENOMEM;
	case ERR_CONN:
	case ERR_CLSD:
		return -EPIPE;
	default:
		return -EINVAL;
	}
}

/* Bind @pcb to @ip:@port (0: an ephemeral port). 0 or -errno. */
static int tcp_do_bind(struct inet_sock *is, struct tcp_pcb *pcb,
		       const ip_addr_t *ip, u16_t port)
{
	if (!port) {
		port = inet_ephemeral_port(tcp_port_in_use);
		if (!port)
			return -EADDRINUSE;
	} else if (tcp_bind_conflict(is, ip, port)) {
		return -EADDRINUSE;
	}
	tcp_apply(is, pcb);
	return tcp_errno(tcp_bind(pcb, ip, port));
}

/* Bind @is's pcb to an ephemeral port if it is not bound: 0 or -errno. */
static int tcp_autobind(struct inet_sock *is)
{
	struct tcp_pcb *pcb = is->pcb.tcp;

	return pcb->local_port ? 0 : tcp_do_bind(is, pcb, inet_any(is), 0);
}

/*
 * A fresh pcb for a socket whose pcb lwIP dropped (after a reset or a
 * disconnect), bound again where the user bound it. 0 or -errno.
 */
static int tcp_renew(struct inet_sock *is)
{
	struct tcp_pcb *pcb;
	struct inet_pkt *pkt, *next;
	int err = 0;

	if (is->pcb.tcp)
		return 0;
	pcb = tcp_new_ip_type(inet_pcb_type(is));
	if (!pcb)
		return -ENOMEM;
	tcp_setup_pcb(is, pcb);
	if (is->user_bound)
		err = tcp_errno(tcp_bind(pcb, &is->bind_addr, is->bind_port));
	if (err) {
		tcp_detach(pcb);
		tcp_abort(pcb);
		return err;
	}
	list_for_each_entry_safe(pkt, next, &is->rcvq, link) {
		list_del(&pkt->link);
		pbuf_free(pkt->p);
		kfree(pkt);
	}
	is->rcv_bytes = 0;
	is->pcb.tcp = pcb;
	is->established = false;
	is->rcv_fin = false;
	is->shutdown = 0;
	return 0;
}

/* See inet.h. */
int inet_tcp_create(struct inet_sock *is)
{
	struct tcp_pcb *pcb = tcp_new_ip_type(inet_pcb_type(is));

	if (!pcb)
		return -ENOMEM;
	is->pcb.tcp = pcb;
	is->gone_state = TCPS_CLOSE;
	tcp_setup_pcb(is, pcb);
	is->sock->ops = &inet_tcp_ops;
	/* What Linux's TCP reports (net.ipv4.tcp_rmem, tcp_wmem defaults). */
	is->sock->rcvbuf = TCP_RMEM_DEFAULT;
	is->sock->sndbuf = TCP_WMEM_DEFAULT;
	return 0;
}

/* Reset every connection waiting on listener @is and stop listening. */
static void tcp_stop_listen(struct inet_sock *is)
{
	struct inet_sock *e, *next;

	list_for_each_entry_safe(e, next, &is->accq, acc_link) {
		list_del(&e->acc_link);
		if (e->pcb.tcp) {
			tcp_detach(e->pcb.tcp);
			tcp_abort(e->pcb.tcp);
		}
		inet_sock_free(e);
	}
	is->acc_count = 0;
	if (is->pcb.tcp) {
		tcp_arg(is->pcb.tcp, NULL);
		tcp_accept(is->pcb.tcp, NULL);
		tcp_close(is->pcb.tcp);		/* frees a listener at once */
		is->pcb.tcp = NULL;
	}
	is->gone_state = TCPS_CLOSE;
	if (is->sock)
		is->sock->listening = false;
	wq_wake_all(&is->wq);
}

/* Tear the connection down with a reset (connect(AF_UNSPEC), close). */
static void tcp_reset_conn(struct inet_sock *is)
{
	struct tcp_pcb *pcb = is->pcb.tcp;

	if (!pcb)
		return;
	tcp_detach(pcb);
	tcp_abort(pcb);
	is->pcb.tcp = NULL;
	is->gone_state = TCPS_CLOSE;
}

static void inet_tcp_release(struct socket *sock)
{
	struct inet_sock *is = sock->priv;
	struct tcp_pcb *pcb = is->pcb.tcp;

	is->sock = NULL;
	if (pcb && pcb->state == LISTEN) {
		tcp_stop_listen(is);
	} else if (pcb) {
		tcp_detach(pcb);
		/*
		 * Unread data, or SO_LINGER on with a zero timeout, makes
		 * Linux reset rather than close.
		 */
		if (is->rcv_bytes ||
		    (sock->linger.l_onoff && !sock->linger.l_linger) ||
		    tcp_close(pcb) != ERR_OK)
			tcp_abort(pcb);
		is->pcb.tcp = NULL;
	}
	net_flush();
	inet_sock_free(is);
}

static int inet_tcp_bind(struct socket *sock, const void *addr, int len)
{
	struct inet_sock *is = sock->priv;
	ip_addr_t ip;
	u16_t port;
	int err;

	err = inet_bind_addr(is, addr, len, &ip, &port);
	if (err)
		return err;
	if (is->user_bound || (is->pcb.tcp && (is->pcb.tcp->local_port ||
					       is->pcb.tcp->state != CLOSED)))
		return -EINVAL;
	err = tcp_renew(is);
	if (err)
		return err;
	err = tcp_do_bind(is, is->pcb.tcp, &ip, port);
	if (err)
		return err;
	is->user_bound = true;
	ip_addr_copy(is->bind_addr, ip);
	is->bind_port = is->pcb.tcp->local_port;
	return 0;
}

static err_t tcp_cb_accept(void *arg, struct tcp_pcb *newpcb, err_t err)
{
	struct inet_sock *is = arg, *e;

	if (err != ERR_OK || !newpcb || !is)
		return ERR_VAL;
	e = inet_sock_alloc(NULL, is->family, SOCK_STREAM, IPPROTO_TCP);
	if (!e)
		return ERR_MEM;		/* lwIP resets the connection */
	e->ttl = is->ttl;
	e->tos = is->tos;
	e->v6only = is->v6only;
	e->hops = is->hops;
	e->tclass = is->tclass;
	e->nodelay = is->nodelay;
	e->cork = is->cork;
	e->user_mss = is->user_mss;
	e->keep_idle = is->keep_idle;
	e->keep_intvl = is->keep_intvl;
	e->keep_cnt = is->keep_cnt;
	e->conn = INET_CONNECTED;
	e->established = true;
	e->gone_state = TCPS_CLOSE;
	e->pcb.tcp = newpcb;
	tcp_setup_pcb(e, newpcb);
	tcp_apply_mss(e, newpcb);
	/* Counted against the backlog until accept() takes it. */
	tcp_backlog_delayed(newpcb);
	list_add_tail(&e->acc_link, &is->accq);
	is->acc_count++;
	wq_wake_all(&is->wq);
	return ERR_OK;
}

static int inet_tcp_listen(struct socket *sock, int backlog)
{
	struct inet_sock *is = sock->priv;
	struct tcp_pcb *pcb, *lpcb;
	/* Linux queues backlog + 1; lwIP counts up to its u8 backlog. */
	u8_t lw_backlog = (u8_t)MIN(backlog + 1, 255);
	err_t lerr;
	int err;

	if (is->conn != INET_UNCONNECTED)
		return -EINVAL;
	pcb = is->pcb.tcp;
	if (pcb && pcb->state == LISTEN) {
		is->backlog = backlog;
		tcp_backlog_set(pcb, lw_backlog);
		return 0;
	}
	if (pcb && pcb->state != CLOSED)
		return -EINVAL;
	err = tcp_renew(is);
	if (err)
		return err;
	pcb = is->pcb.tcp;
	if (pcb->local_port && sock->reuseaddr &&
	    tcp_listener_at(&pcb->local_ip, pcb->local_port))
		return -EADDRINUSE;
	err = tcp_autobind(is);
	if (err)
		return err;
	pcb = is->pcb.tcp;
	lpcb = tcp_listen_with_backlog_and_err(pcb, lw_backlog, &lerr);
	if (!lpcb)
		return tcp_errno(lerr);
	is->pcb.tcp = lpcb;	/* pcb is freed; its arg carried over */
	tcp_accept(lpcb, tcp_cb_accept);
	is->backlog = backlog;
	sock->listening = true;
	return 0;
}

static bool accept_ready(const struct inet_sock *is)
{
	return !list_empty(&is->accq) || !is->pcb.tcp;
}

static int inet_tcp_accept(struct socket *sock, struct socket *child,
		    bool nonblock)
{
	struct inet_sock *is = sock->priv, *e;
	int err;

	if (!sock->listening)
		return -EINVAL;
	err = inet_wait(is, nonblock, wq_deadline(sock->rcvtimeo_ns),
			accept_ready);
	if (err)
		return err;
	if (list_empty(&is->accq))
		return -EINVAL;		/* shut down while we waited */
	e = list_first_entry(&is->accq, struct inet_sock, acc_link);
	list_del(&e->acc_link);
	list_init(&e->acc_link);
	is->acc_count--;
	if (e->pcb.tcp)
		tcp_backlog_accepted(e->pcb.tcp);
	e->sock = child;
	child->ops = &inet_tcp_ops;
	child->priv = e;
	child->protocol = IPPROTO_TCP;
	child->reuseaddr = sock->reuseaddr;
	child->keepalive = sock->keepalive;
	child->rcvbuf = sock->rcvbuf;	/* inherited, as on Linux */
	child->sndbuf = sock->sndbuf;
	child->error = e->err;
	e->err = 0;
	return 0;
}

static bool handshake_done(const struct inet_sock *is)
{
	int st = tcp_lstate(is);

	return st != TCPS_SYN_SENT && st != TCPS_SYN_RECV;
}

/* connect(AF_UNSPEC): drop the connection, back to a closed socket. */
static int tcp_disconnect(struct inet_sock *is)
{
	int st = tcp_lstate(is);

	if (st == TCPS_LISTEN) {
		tcp_stop_listen(is);
	} else if (is->pcb.tcp && st != TCPS_CLOSE) {
		tcp_reset_conn(is);
		inet_set_error(is, ECONNRESET);
	}
	is->conn = INET_UNCONNECTED;
	net_flush();
	return 0;
}

static int inet_tcp_connect(struct socket *sock, const void *addr, int len,
		     bool nonblock)
{
	struct inet_sock *is = sock->priv;
	struct tcp_pcb *pcb;
	ip_addr_t ip;
	u16_t port;
	int err, werr;

	if (len < (int)sizeof(sa_family_t))
		return -EINVAL;
	if (inet_addr_is_unspec(addr))
		return tcp_disconnect(is);
	switch (is->conn) {
	case INET_CONNECTED:
		return -EISCONN;
	case INET_CONNECTING:
		err = -EALREADY;
		break;
	default:
		if (tcp_lstate(is) != TCPS_CLOSE)
			return -EISCONN;
		err = inet_addr_in(is, addr, len, false, &ip, &port);
		if (!err)
			err = inet_check_family(is, &ip);
		if (err)
			return err;
		if (ip_addr_isany(&ip))		/* Linux: the loopback */
			inet_set_loopback(&ip);
		if (inet_addr_is_multicast(&ip) || inet_addr_is_broadcast(&ip))
			return -ENETUNREACH;
		err = tcp_renew(is);
		if (!err)
			err = tcp_autobind(is);
		if (err)
			return err == -EADDRINUSE ? -EADDRNOTAVAIL : err;
		pcb = is->pcb.tcp;
		tcp_apply(is, pcb);
		err = tcp_errno(tcp_connect(pcb, &ip, port,
					    tcp_cb_connected));
		if (err)
			return err == -EADDRINUSE ? -EADDRNOTAVAIL : err;
		is->conn = INET_CONNECTING;
		net_flush();
		err = -EINPROGRESS;
		break;
	}
	/* A new nonblocking connect is in progress, even if loopback's
	 * handshake has already finished: the caller learns the outcome
	 * from poll and SO_ERROR (or the next connect), as on Linux. */
	if (nonblock && (err == -EINPROGRESS || !handshake_done(is)))
		return err;
	if (!handshake_done(is)) {
		werr = inet_wait(is, false, wq_deadline(sock->sndtimeo_ns),
				 handshake_done);
		if (werr == -EAGAIN)
			return err;	/* SO_SNDTIMEO: still in progress */
		if (werr)
			return werr;
	}
	if (tcp_lstate(is) == TCPS_CLOSE) {
		is->conn = INET_UNCONNECTED;
		err = inet_take_error(is);
		return err ? -err : -ECONNABORTED;
	}
	is->conn = INET_CONNECTED;
	return 0;
}

static int inet_tcp_getname(struct socket *sock, void *addr, bool peer)
{
	struct inet_sock *is = sock->priv;
	const struct tcp_pcb *pcb = is->pcb.tcp;
	int st = tcp_lstate(is);

	if (peer) {
		if (st == TCPS_CLOSE || st == TCPS_SYN_SENT ||
		    st == TCPS_LISTEN)
			return -ENOTCONN;
		return pcb ? inet_addr_out(is, addr, &pcb->remote_ip,
					   pcb->remote_port) :
			inet_addr_out(is, addr, &is->gone_remote,
				      is->gone_rport);
	}
	if (pcb)
		return inet_addr_out(is, addr, &pcb->local_ip,
				     pcb->local_port);
	if (st == TCPS_TIME_WAIT)
		return inet_addr_out(is, addr, &is->gone_local,
				     is->gone_lport);
	if (is->user_bound)
		return inet_addr_out(is, addr, &is->bind_addr, is->bind_port);
	return inet_addr_out(is, addr, NULL, 0);
}

static int inet_tcp_shutdown(struct socket *sock, int how)
{
	struct inet_sock *is = sock->priv;
	int mask = how + 1;	/* SHUT_RD -> RCV_SHUTDOWN ... */
	int st = tcp_lstate(is), err = 0;

	switch (st) {
	case TCPS_LISTEN:
		if (mask & RCV_SHUTDOWN)
			tcp_stop_listen(is);
		break;
	case TCPS_SYN_SENT:
		tcp_reset_conn(is);
		is->conn = INET_UNCONNECTED;
		break;
	case TCPS_CLOSE:
		err = -ENOTCONN;
		is->shutdown |= mask;
		break;
	default:
		is->shutdown |= mask;
		if ((mask & SEND_SHUTDOWN) && is->pcb.tcp &&
		    (st == TCPS_ESTABLISHED || st == TCPS_SYN_RECV ||
		     st == TCPS_CLOSE_WAIT))
			tcp_shutdown(is->pcb.tcp, 0, 1);
		net_flush();
		break;
	}
	wq_wake_all(&is->wq);
	return err;
}

/* Can data be queued in the state the connection is in? */
static bool tcp_sending_state(const struct inet_sock *is)
{
	int st = tcp_lstate(is);

	return st == TCPS_ESTABLISHED || st == TCPS_CLOSE_WAIT;
}

/* Bytes lwIP takes now, within its buffer and its segment queue. */
static size_t tcp_room(const struct tcp_pcb *pcb)
{
	int segs = TCP_SND_QUEUELEN - 2 - (int)tcp_sndqueuelen(pcb);

	if (segs <= 0)
		return 0;
	return MIN((size_t)tcp_sndbuf(pcb), (size_t)segs * pcb->mss);
}

/*
 * TCP_CORK, MSG_MORE (@more): may the queue go out now? Not while corked
 * or with more to come when less than a full segment is unsent: that one
 * waits for the next send, or for tcp_cb_poll (TCP_CORK's ceiling, from
 * now if nothing waited yet; lwIP's next slow timer after a MSG_MORE).
 */
static bool tcp_may_output(struct inet_sock *is, const struct tcp_pcb *pcb,
			   bool more)
{
	const struct tcp_seg *seg = pcb->unsent;

	if (!seg || seg->next || seg->len >= pcb->mss ||
	    (!is->cork && !more)) {
		is->cork_held = false;
		return true;
	}
	if (!is->cork)
		return false;
	if (!is->cork_held) {
		is->cork_held = true;
		is->cork_since = sys_now();
	}
	return false;
}

static bool send_ready(const struct inet_sock *is)
{
	return !tcp_sending_state(is) || is->sock->error ||
		(is->shutdown & SEND_SHUTDOWN) || tcp_room(is->pcb.tcp);
}

/*
 * Queue @n bytes of @uio on @pcb, copied once, into a block that the
 * segments carrying them share (tcp_block.c). 0 or a negative errno;
 * nothing is queued on an error.
 */
static int send_block(struct tcp_pcb *pcb, size_t n, u8_t wflags,
		      struct uio *uio)
{
	struct tcp_block *b;
	int err;

	b = tcp_block_fill(n, uio, &err);
	if (!b)
		return err;
	err = tcp_errno(tcp_block_write(pcb, b, (u16_t)n, wflags));
	tcp_block_put(b);
	return err;
}

/*
 * Queue @n bytes of @uio on @pcb through *@buf, a buffer of @size
 * bytes allocated on first use (the caller frees it), that lwIP copies
 * into its segments. 0 or a negative errno; nothing is queued on an
 * error.
 */
static int send_copy(struct tcp_pcb *pcb, char **buf, size_t size,
		     size_t n, u8_t wflags, struct uio *uio)
{
	int err;

	if (!*buf) {
		*buf = kmalloc(size);
		if (!*buf)
			return -ENOMEM;
	}
	err = uiomove(*buf, n, uio);
	if (err)
		return err;
	return tcp_errno(tcp_write(pcb, *buf, (u16_t)n,
				   (u8_t)(wflags | TCP_WRITE_FLAG_COPY)));
}

static ssize_t inet_tcp_sendmsg(struct socket *sock, struct sock_msg *msg)
{
	struct inet_sock *is = sock->priv;
	bool nonblock = msg->flags & MSG_DONTWAIT;
	uint64_t deadline = wq_deadline(sock->sndtimeo_ns);
	size_t total = msg->uio->resid, sent = 0, n;
	struct tcp_pcb *pcb;
	char *buf = NULL;
	u8_t wflags;
	int err = 0;

	if (msg->flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (!tcp_sending_state(is) && !sock->error) {
		if (handshake_done(is)) {
			err = -EPIPE;
			goto out;
		}
		err = inet_wait(is, nonblock, deadline, handshake_done);
		if (err)
			goto out;
	}
	do {
		err = -EPIPE;
		if (sock->error || (is->shutdown & SEND_SHUTDOWN) ||
		    !tcp_sending_state(is))
			break;
		err = inet_wait(is, nonblock, deadline, send_ready);
		if (err)
			break;
		pcb = is->pcb.tcp;
		err = -EPIPE;
		if (sock->error || (is->shutdown & SEND_SHUTDOWN) ||
		    !tcp_sending_state(is))
			break;
		err = 0;
		if (sent == total)
			break;
		n = MIN(MIN(total - sent, (size_t)SEND_CHUNK), tcp_room(pcb));
		wflags = sent + n < total || (msg->flags & MSG_MORE) ?
			 TCP_WRITE_FLAG_MORE : 0;
		if (n >= SEND_BLOCK_MIN)
			err = send_block(pcb, n, wflags, msg->uio);
		else
			err = send_copy(pcb, &buf, MIN(total, (size_t)SEND_CHUNK),
					n, wflags, msg->uio);
		if (err)
			break;
		sent += n;
		if (tcp_may_output(is, pcb, msg->flags & MSG_MORE)) {
			tcp_output(pcb);
			net_flush();
		}
	} while (sent < total);
out:
	kfree(buf);
	if (sent)
		return (ssize_t)sent;
	if (err == -EPIPE) {
		int e = inet_take_error(is);

		if (e)
			return -e;
	}
	return sigpipe_on_epipe(err, msg->flags & MSG_NOSIGNAL);
}

/*
 * Copy @n queued bytes from offset @off into @uio (or only count them,
 * @copy false): the bytes moved; *@err -EFAULT on a bad buffer.
 */
static size_t tcp_copy_out(struct inet_sock *is, size_t off, size_t n,
			   struct uio *uio, bool copy, int *err)
{
	struct inet_pkt *pkt;
	size_t done = 0;

	*err = 0;
	list_for_each_entry(pkt, &is->rcvq, link) {
		size_t len = pkt->p->tot_len, chunk, before;

		if (off >= len) {
			off -= len;
			continue;
		}
		chunk = MIN(n - done, len - off);
		before = uio->resid;
		if (copy)
			*err = inet_pbuf_to_uio(pkt->p, off, chunk, uio);
		done += copy ? before - uio->resid : chunk;
		if (*err || done == n)
			break;
		off = 0;
	}
	return done;
}

/* Drop @n bytes from the head of the queue and open the window. */
static void tcp_consume(struct inet_sock *is, size_t n)
{
	size_t left = n;

	is->rcv_bytes -= n;
	while (left) {
		struct inet_pkt *pkt = list_first_entry(&is->rcvq,
							struct inet_pkt, link);
		u16_t k = (u16_t)MIN(left, (size_t)pkt->p->tot_len);

		pkt->p = pbuf_free_header(pkt->p, k);
		left -= k;
		if (!pkt->p) {
			list_del(&pkt->link);
			kfree(pkt);
		}
	}
	while (is->pcb.tcp && n) {
		u16_t k = (u16_t)MIN(n, (size_t)0xffff);

		tcp_recved(is->pcb.tcp, k);
		n -= k;
	}
}

static bool recv_ready(const struct inet_sock *is)
{
	return is->rcv_bytes || (is->shutdown & RCV_SHUTDOWN) ||
		is->sock->error || tcp_lstate(is) == TCPS_CLOSE;
}

static ssize_t inet_tcp_recvmsg(struct socket *sock, struct sock_msg *msg)
{
	struct inet_sock *is = sock->priv;
	bool peek = msg->flags & MSG_PEEK;
	bool nonblock = msg->flags & MSG_DONTWAIT;
	uint64_t deadline = wq_deadline(sock->rcvtimeo_ns);
	size_t len = msg->uio->resid, copied = 0, n;
	size_t target = (msg->flags & MSG_WAITALL) && !peek ? len : 1;
	ssize_t ret = 0;
	int err;

	if (tcp_lstate(is) == TCPS_LISTEN)
		return -ENOTCONN;
	if (msg->flags & MSG_OOB)
		return -EINVAL;		/* no urgent data is ever kept */
	if (msg->flags & MSG_ERRQUEUE)
		return -EAGAIN;
	while (copied < len) {
		size_t avail = is->rcv_bytes - (peek ? copied : 0);

		if (avail) {
			n = tcp_copy_out(is, peek ? copied : 0,
					 MIN(avail, len - copied), msg->uio,
					 !(msg->flags & MSG_TRUNC), &err);
			if (!peek)
				tcp_consume(is, n);
			copied += n;
			if (err) {
				ret = copied ? 0 : err;
				break;
			}
			continue;
		}
		if (copied >= target)
			break;
		if (copied) {
			if (sock->error || (is->shutdown & RCV_SHUTDOWN) ||
			    tcp_lstate(is) == TCPS_CLOSE)
				break;
		} else {
			if (sock->error) {
				ret = -inet_take_error(is);
				break;
			}
			if (is->shutdown & RCV_SHUTDOWN)
				break;
			if (tcp_lstate(is) == TCPS_CLOSE) {
				ret = -ENOTCONN;	/* never connected */
				break;
			}
		}
		err = inet_wait(is, nonblock, deadline, recv_ready);
		if (err) {
			ret = copied ? 0 : err;
			break;
		}
	}
	net_flush();		/* window updates */
	return ret ? ret : (ssize_t)copied;
}

static unsigned inet_tcp_poll(struct socket *sock, struct file *file,
		       struct poll_table *pt)
{
	struct inet_sock *is = sock->priv;
	const struct tcp_pcb *pcb = is->pcb.tcp;
	int st = tcp_lstate(is);
	unsigned mask = 0;

	poll_wait(file, &is->wq, pt);
	if (st == TCPS_LISTEN)
		return list_empty(&is->accq) ? 0 : POLLIN | POLLRDNORM;
	if (is->shutdown == SHUTDOWN_MASK || st == TCPS_CLOSE)
		mask |= POLLHUP;
	if (is->shutdown & RCV_SHUTDOWN)
		mask |= POLLIN | POLLRDNORM | POLLRDHUP;
	if (st != TCPS_SYN_SENT && st != TCPS_SYN_RECV) {
		if (is->rcv_bytes)
			mask |= POLLIN | POLLRDNORM;
		if ((is->shutdown & SEND_SHUTDOWN) || !pcb ||
		    pcb->state == CLOSED ||
		    (tcp_sndbuf(pcb) > TCP_WRITABLE_SPACE &&
		     tcp_sndqueuelen(pcb) < TCP_SNDQUEUELOWAT))
			mask |= POLLOUT | POLLWRNORM;
	}
	if (sock->error)
		mask |= POLLERR;
	return mask;
}

/* SOL_SOCKET options changed: carry them to the pcb. */
static int tcp_sync_sockopts(struct inet_sock *is)
{
	if (is->pcb.tcp)
		tcp_apply(is, is->pcb.tcp);
	return 0;
}

static int inet_tcp_setsockopt(struct socket *sock, int level, int name,
			const void *val, int len)
{
	struct inet_sock *is = sock->priv;
	bool push = false;
	int v, err;

	if (level == SOL_SOCKET)
		return tcp_sync_sockopts(is);
	if (level == SOL_IP)
		return inet_ip_setsockopt(is, (struct ip_pcb *)is->pcb.tcp,
					  name, val, len);
	if (level == SOL_IPV6 && is->family == AF_INET6)
		return inet6_setsockopt(is, (struct ip_pcb *)is->pcb.tcp,
					name, val, len);
	if (level != SOL_TCP)
		return -ENOPROTOOPT;
	err = inet_get_int(val, len, &v);
	if (err)
		return err;
	switch (name) {
	case TCP_NODELAY:
		is->nodelay = v != 0;
		push = is->nodelay;	/* as Linux: even while corked */
		break;
	case TCP_CORK:
		is->cork = v != 0;
		is->cork_held = false;
		push = !is->cork;
		break;
	case TCP_MAXSEG:
		if (v && (v < TCP_MIN_MSS || v > TCP_MAX_WINDOW))
			return -EINVAL;
		is->user_mss = (u16_t)v;
		break;
	case TCP_KEEPIDLE:
		if (v < 1 || v > TCP_MAX_KEEPIDLE)
			return -EINVAL;
		is->keep_idle = (u32_t)v;
		break;
	case TCP_KEEPINTVL:
		if (v < 1 || v > TCP_MAX_KEEPINTVL)
			return -EINVAL;
		is->keep_intvl = (u32_t)v;
		break;
	case TCP_KEEPCNT:
		if (v < 1 || v > TCP_MAX_KEEPCNT)
			return -EINVAL;
		is->keep_cnt = (u32_t)v;
		break;
	default:
		return -ENOPROTOOPT;
	}
	tcp_sync_sockopts(is);
	if (push && tcp_sending_state(is)) {
		/* Whatever waited goes now: a later partial segment's wait
		 * starts afresh (tcp_may_output), not from this one's. */
		is->cork_held = false;
		tcp_output(is->pcb.tcp);
		net_flush();
	}
	return 0;
}

static int inet_tcp_getsockopt(struct socket *sock, int level, int name,
			void *val, int *len)
{
	struct inet_sock *is = sock->priv;
	const struct tcp_pcb *pcb = is->pcb.tcp;
	int st = tcp_lstate(is), v;

	if (level == SOL_IP)
		return inet_ip_getsockopt(is, name, val, len);
	if (level != SOL_TCP && is->family == AF_INET6)
		return level == SOL_IPV6 ?
			inet6_getsockopt(is, name, val, len) : -ENOPROTOOPT;
	if (level != SOL_TCP)	/* Linux's ip_getsockopt: EOPNOTSUPP past IP */
		return -EOPNOTSUPP;
	switch (name) {
	case TCP_NODELAY:
		v = is->nodelay;
		break;
	case TCP_CORK:
		v = is->cork;
		break;
	case TCP_MAXSEG:
		v = pcb && st != TCPS_CLOSE && st != TCPS_LISTEN ?
			pcb->mss : TCP_MSS_DEFAULT;
		if (is->user_mss && (st == TCPS_CLOSE || st == TCPS_LISTEN))
			v = is->user_mss;
		break;
	case TCP_KEEPIDLE:
		v = (int)is->keep_idle;
		break;
	case TCP_KEEPINTVL:
		v = (int)is->keep_intvl;
		break;
	case TCP_KEEPCNT:
		v = (int)is->keep_cnt;
		break;
	default:
		return -ENOPROTOOPT;
	}
	return inet_put_int(val, len, v);
}

static long inet_tcp_ioctl(struct socket *sock, unsigned cmd, uptr_t arg)
{
	struct inet_sock *is = sock->priv;
	const struct tcp_pcb *pcb = is->pcb.tcp;
	int st = tcp_lstate(is), v;

	switch (cmd) {
	case SIOCINQ:
		if (st == TCPS_LISTEN)
			return -EINVAL;
		v = st == TCPS_SYN_SENT || st == TCPS_SYN_RECV ? 0 :
			(int)is->rcv_bytes;
		break;
	case SIOCOUTQ:
		if (st == TCPS_LISTEN)
			return -EINVAL;
		v = pcb && pcb->state != CLOSED ?
			(int)(TCP_SND_BUF - tcp_sndbuf(pcb)) : 0;
		break;
	case SIOCATMARK:
		v = 0;		/* no urgent data is ever kept: never at a mark */
		break;
	default:
		return -ENOTTY;
	}
	return put_user(v, arg) ? -EFAULT : 0;
}

const struct proto_ops inet_tcp_ops = {
	.svc = &net_service,
	.release = inet_tcp_release,
	.bind = inet_tcp_bind,
	.connect = inet_tcp_connect,
	.listen = inet_tcp_listen,
	.accept = inet_tcp_accept,
	.getname = inet_tcp_getname,
	.shutdown = inet_tcp_shutdown,
	.sendmsg = inet_tcp_sendmsg,
	.recvmsg = inet_tcp_recvmsg,
	.poll = inet_tcp_poll,
	.setsockopt = inet_tcp_setsockopt,
	.getsockopt = inet_tcp_getsockopt,
	.ioctl = inet_tcp_ioctl,
};

/*
 * One /proc/net/tcp line for @pcb, as Linux's get_tcp4_sock (or one of
 * tcp6, get_tcp6_sock, with @v6: 32-digit addresses and no padding).
 */
static void proc_tcp_line(struct net_text *t, int i,
			  const struct tcp_pcb *pcb, bool v6)
{
	const struct inet_sock *is = pcb->callback_arg;
	size_t start = t->len;
	int st = linux_state[pcb->state];
	unsigned txq = 0, rxq = 0;

	net_text_printf(t, "%4d: ", i);
	inet_proc_addr(t, &pcb->local_ip, pcb->local_port, v6);
	net_text_printf(t, " ");
	if (st == TCPS_LISTEN)
		inet_proc_addr(t, IP_IS_V6_VAL(pcb->local_ip) ? IP6_ADDR_ANY :
			       IP4_ADDR_ANY, 0, v6);
	else
		inet_proc_addr(t, &pcb->remote_ip, pcb->remote_port, v6);
	if (st == TCPS_TIME_WAIT) {
		net_text_printf(t, " %02X %08X:%08X %02X:%08lX %08X %5d %8d "
				 "%d %d %016lx", st, 0, 0, 3, 0UL, 0, 0, 0,
				 0, 1, 0UL);
		if (v6)
			net_text_printf(t, "\n");
		else
			net_text_pad(t, start, PROC_TCP_WIDTH);
		return;
	}
	if (st == TCPS_LISTEN) {
		rxq = is ? is->acc_count : 0;
	} else {
		txq = TCP_SND_BUF - tcp_sndbuf(pcb);
		rxq = is ? (unsigned)is->rcv_bytes : 0;
	}
	net_text_printf(t, " %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu %d "
			 "%016lx %lu %lu %u %u %d",
			 st, txq, rxq, 0, 0UL, 0, inet_sock_uid(is), 0,
			 inet_sock_ino(is), is ? 2 : 1, 0UL,
			 st == TCPS_LISTEN ? 100UL :
			 (unsigned long)pcb->rto * TCP_SLOW_INTERVAL / 10,
			 0UL, 0U, st == TCPS_LISTEN ? 1U :
			 (unsigned)(pcb->cwnd / (pcb->mss ? pcb->mss : 1)),
			 st == TCPS_LISTEN ? 0 : -1);
	if (v6)
		net_text_printf(t, "\n");
	else
		net_text_pad(t, start, PROC_TCP_WIDTH);
}

/* Does @pcb belong in /proc/net/tcp6 (@v6) or tcp? */
static bool proc_tcp_wanted(const struct tcp_pcb *pcb, bool v6)
{
	return inet_proc_is_v6(pcb->callback_arg, &pcb->local_ip) == v6;
}

/* See inet.h. */
ssize_t inet_tcp_proc(char *buf, size_t size, bool v6)
{
	struct net_text t = { .buf = buf, .size = size };
	const struct tcp_pcb *lists[] = {
		(const struct tcp_pcb *)tcp_listen_pcbs.listen_pcbs,
		tcp_active_pcbs, tcp_tw_pcbs,
	};
	int i = 0;

	if (v6) {
		net_text_printf(&t, "  sl  local_address                     "
				 "    remote_address                        st "
				 "tx_queue rx_queue tr tm->when retrnsmt   uid "
				 " timeout inode\n");
	} else {
		net_text_printf(&t, "  sl  local_address rem_address   st "
				 "tx_queue rx_queue tr tm->when retrnsmt   uid "
				 " timeout inode");
		net_text_pad(&t, 0, PROC_TCP_WIDTH);
	}
	for (size_t l = 0; l < ARRAY_SIZE(lists); l++) {
		for (const struct tcp_pcb *pcb = lists[l]; pcb;
		     pcb = pcb->next) {
			if (proc_tcp_wanted(pcb, v6))
				proc_tcp_line(&t, i++, pcb, v6);
		}
	}
	return (ssize_t)t.len;
}
