/*
 * AF_INET sockets over lwIP's raw API, inside the network service
 * (services/net/inet*.c): the socket state they share and the helpers of
 * inet.c (addresses, ports, waiting, receive queues, IP-level options).
 *
 *   inet.c      inet_create, sockaddr_in in and out, local addresses,
 *               ephemeral ports, waits, datagram queues, SOL_IP options
 *   inet_tcp.c  SOCK_STREAM over tcp_pcb, and /proc/net/tcp
 *   inet_udp.c  SOCK_DGRAM over udp_pcb, and /proc/net/udp
 *   inet_raw.c  SOCK_RAW over raw_pcb (ping), and /proc/net/raw
 *
 * lwIP calls back (recv, sent, err, accept) only from inside the service,
 * with the caller in process context; the callbacks queue data, record
 * errors and wake the socket's wait queue, nothing more. A socket call
 * never sleeps in the middle of an lwIP operation, and rechecks its pcb
 * after every sleep and every net_flush (a callback may have freed it).
 */
#pragma once
#include "net.h"
#include "lwip/ip.h"
#include "lwip/pbuf.h"
#include "lwip/raw.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"
#include <svc/socket.h>
#include <svc/wait.h>
#include <aramid/list.h>
#include <uapi/errno.h>
#include <uapi/in.h>

/* net.ipv4.ip_local_port_range and ip_unprivileged_port_start. */
#define INET_PORT_LOW		32768
#define INET_PORT_HIGH		60999
#define INET_PROT_SOCK		1024
#define INET_DEFAULT_TTL	64	/* net.ipv4.ip_default_ttl */
/* The largest UDP payload: an IPv4 datagram of 65535 less the headers. */
#define INET_UDP_MAX		(0xffff - 20 - 8)
/* What a queued datagram costs beyond its bytes (skb truesize, roughly). */
#define INET_PKT_OVERHEAD	768

/*
 * Fault injection (builds with -DFAULT_INJECT only): setsockopt(fd,
 * SOL_IP, INET_FAULT_OPT, ...) on any AF_INET socket makes the service
 * fault inside the call (a write through a NULL pointer), so tests can
 * see the containment: -EIO and a living kernel in fortress and balanced,
 * the network service failed after it. The value spells "AF".
 */
#define INET_FAULT_OPT		0x4146

/* The socket layer's connection state (Linux's SS_*), for TCP. */
enum inet_conn {
	INET_UNCONNECTED,
	INET_CONNECTING,
	INET_CONNECTED,
};

/* A received datagram (with its source), or a piece of a TCP stream. */
struct inet_pkt {
	struct list_head link;
	struct pbuf *p;		/* the data, from p->payload */
	ip4_addr_t addr;
	u16_t port;
};

struct inet_sock {
	/* The socket, or NULL: an embryo on a listener, or released. */
	struct socket *sock;
	int type;
	int protocol;
	union {
		struct tcp_pcb *tcp;
		struct udp_pcb *udp;
		struct raw_pcb *raw;
		void *any;
	} pcb;			/* NULL once lwIP has dropped it */
	struct wait_queue wq;	/* every change of this socket */
	struct list_head rcvq;	/* struct inet_pkt */
	size_t rcv_bytes;	/* TCP: bytes queued; else memory charged */
	int shutdown;		/* RCV_SHUTDOWN | SEND_SHUTDOWN */
	int err;		/* an embryo's pending error, for its socket */
	/* bind(2) by the user: kept across a disconnect, as Linux does. */
	bool user_bound;
	ip4_addr_t bind_addr;
	u16_t bind_port;
	/* IPPROTO_IP options: -1 is the default TTL. */
	int ttl;
	u8_t tos;
	/* UDP-Lite checksum coverage, bytes (0: all), as Linux's pcslen/pcrlen. */
	u16_t cscov_send, cscov_recv;
	/* TCP. */
	enum inet_conn conn;
	bool established;	/* the handshake completed */
	bool rcv_fin;		/* the peer's FIN came */
	bool nodelay;
	bool cork;		/* TCP_CORK: partial segments wait */
	bool cork_held;		/* ... and one waits since cork_since */
	u32_t cork_since;	/* sys_now(), ms */
	u16_t user_mss;		/* TCP_MAXSEG, or 0 */
	u32_t keep_idle, keep_intvl, keep_cnt;	/* seconds, count */
	int backlog;		/* listening: at most backlog + 1 queued */
	struct list_head accq;	/* listening: embryos, struct inet_sock */
	unsigned acc_count;
	struct list_head acc_link;	/* embryo: on its listener's accq */
	/*
	 * TCP without its pcb (lwIP freed it, or it went on to TIME_WAIT
	 * alone): the Linux state and the names to report.
	 */
	int gone_state;
	ip4_addr_t gone_local, gone_remote;
	u16_t gone_lport, gone_rport;
	/* Raw: on the list of raw sockets, for /proc/net/raw. */
	struct list_head raw_link;
};

extern const struct proto_ops inet_tcp_ops;
extern const struct proto_ops inet_udp_ops;
extern const struct proto_ops inet_raw_ops;

/* inet.c: the socket state, with defaults; NULL when out of memory. */
struct inet_sock *inet_sock_alloc(struct socket *sock, int type,
				  int protocol);
/* Free @is and its receive queue (its pcb is already gone or detached). */
void inet_sock_free(struct inet_sock *is);

/*
 * A sockaddr_in of @len bytes at @addr: 0 with the address and port (host
 * order), -EINVAL when too short, -EAFNOSUPPORT for another family
 * (AF_UNSPEC passes when @unspec_ok).
 */
int inet_addr_in(const void *addr, int len, bool unspec_ok, ip4_addr_t *ip,
		 u16_t *port);
/* Write a sockaddr_in of @ip, @port (host order) to @addr: its length. */
int inet_addr_out(void *addr, const ip4_addr_t *ip, u16_t port);
/* Is @ip one of this host's addresses (127/8 included)? */
bool inet_addr_is_local(const ip4_addr_t *ip);
/* Is @ip a broadcast address (limited, or an interface's subnet's)? */
bool inet_addr_is_broadcast(const ip4_addr_t *ip);
/*
 * Is the sockaddr @addr (at least its family, which the caller checked is
 * there) AF_UNSPEC: for connect, "dissolve the association"?
 */
bool inet_addr_is_unspec(const void *addr);
/*
 * The address of a bind(2) (AF_INET, or AF_UNSPEC with INADDR_ANY) into
 * *@ip and *@port, with the checks common to the protocols: -EACCES for a
 * privileged port without root, -EADDRNOTAVAIL for an address not of
 * this host. 0 or -errno.
 */
int inet_bind_addr(const void *addr, int len, ip4_addr_t *ip, u16_t *port);
/*
 * A free port of the ephemeral range, as @in_use judges, from a random
 * starting point: the port, or 0 when every port is taken.
 */
u16_t inet_ephemeral_port(bool (*in_use)(u16_t port));

/*
 * Sleep on @is's wait queue until @ready(@is), as wq_wait_deadline():
 * 0; -EAGAIN when @nonblock or once @deadline (wq_deadline) passes;
 * -ERESTARTSYS on a signal, -EINTR if there is a deadline. Never inside
 * an lwIP operation.
 */
int inet_wait(struct inet_sock *is, bool nonblock, uint64_t deadline,
	      bool (*ready)(const struct inet_sock *is));
/* Record a pending error (SO_ERROR) and wake the socket. */
void inet_set_error(struct inet_sock *is, int err);
/* Take the pending error (0 if none). */
int inet_take_error(struct inet_sock *is);
/* The socket's SO_RCVBUF (the default for an embryo). */
int inet_rcvbuf(const struct inet_sock *is);

/*
 * Copy @n bytes from offset @off of the pbuf chain @p into @uio: 0 or
 * -EFAULT. Send side: fill @n bytes of @p from @uio.
 */
int inet_pbuf_to_uio(const struct pbuf *p, size_t off, size_t n,
		     struct uio *uio);
int inet_pbuf_from_uio(struct pbuf *p, size_t n, struct uio *uio);

/*
 * Queue a received datagram @p (consumed) from @ip, @port on @is, or drop
 * it when the receive buffer is full. lwIP callback context.
 */
void inet_dgram_queue(struct inet_sock *is, struct pbuf *p,
		      const ip4_addr_t *ip, u16_t port);
/*
 * The operations UDP and raw sockets share (in both their proto_ops).
 * recvmsg on a datagram socket (UDP, raw): one datagram, MSG_PEEK and
 * MSG_TRUNC as Linux; the source into msg->name. Bytes or -errno.
 */
ssize_t inet_dgram_recvmsg(struct socket *sock, struct sock_msg *msg);
/* FIONREAD/SIOCINQ and SIOCOUTQ on a datagram socket. */
long inet_dgram_ioctl(struct socket *sock, unsigned cmd, uptr_t arg);
/* Datagram socket readiness (Linux's datagram_poll). */
unsigned inet_dgram_poll(struct socket *sock, struct file *file,
			 struct poll_table *pt);
/*
 * Datagram socket options: SOL_IP ones, and SOL_SOCKET changes carried
 * over to the pcb (the other levels: -ENOPROTOOPT).
 */
int inet_dgram_setsockopt(struct socket *sock, int level, int name,
			  const void *val, int len);
int inet_dgram_getsockopt(struct socket *sock, int level, int name,
			  void *val, int *len);

/*
 * The pcb's IP options from @is and its socket: TTL, TOS, SO_REUSEADDR,
 * SO_KEEPALIVE. For a new pcb and after every option change.
 */
void inet_apply_ip(const struct inet_sock *is, struct ip_pcb *pcb);
/* SOL_IP options of any AF_INET socket (@pcb may be NULL). */
int inet_ip_setsockopt(struct inet_sock *is, struct ip_pcb *pcb, int name,
		       const void *val, int len);
int inet_ip_getsockopt(struct inet_sock *is, int name, void *val, int *len);
/* Write the int @v as getsockopt does: at most *@len bytes. */
int inet_put_int(void *val, int *len, int v);
/* An int option value from setsockopt: 0 or -EINVAL if too short. */
int inet_get_int(const void *val, int len, int *v);

/* inet_tcp.c, inet_udp.c, inet_raw.c */
int inet_tcp_create(struct inet_sock *is);
int inet_udp_create(struct inet_sock *is);
int inet_raw_create(struct inet_sock *is);
/* /proc/net/{tcp,udp,raw} into @buf of @size: the length. */
ssize_t inet_tcp_proc(char *buf, size_t size);
ssize_t inet_udp_proc(char *buf, size_t size);
ssize_t inet_raw_proc(char *buf, size_t size);

/* The inode number and owner of @is's socket for /proc (0 if none). */
unsigned long inet_sock_ino(const struct inet_sock *is);
unsigned inet_sock_uid(const struct inet_sock *is);
