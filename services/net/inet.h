/*
 * AF_INET and AF_INET6 sockets over lwIP's raw API, inside the network
 * service (services/net/inet*.c): the socket state they share and the
 * helpers of inet.c (addresses, ports, waiting, receive queues, IP-level
 * options). An AF_INET6 socket's pcb is dual-stack (IPADDR_TYPE_ANY)
 * unless IPV6_V6ONLY: IPv4 peers are IPv4 addresses inside the service
 * and ::ffff:a.b.c.d in the socket's sockaddr_in6.
 *
 *   inet.c      inet_create, sockaddrs in and out, local addresses,
 *               ephemeral ports, waits, datagram queues, SOL_IP options
 *   inet6.c     sockaddr_in6, IPPROTO_IPV6 options, /proc/net/if_inet6
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
#include "lwip/icmp.h"
#include "lwip/ip.h"
#include "lwip/pbuf.h"
#include "lwip/raw.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"
#include <svc/socket.h>
#include <svc/wait.h>
#include <aramid/list.h>
#include <uapi/errno.h>
#include <uapi/in6.h>

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

/*
 * An ICMP error on IP_RECVERR's queue (inet_errq.c), with the bytes of
 * the datagram it quotes after the transport header.
 */
struct inet_err {
	struct list_head link;
	u32_t errnum;		/* ee_errno */
	u8_t type, code;	/* the ICMP message's */
	u32_t info;		/* ee_info */
	ip4_addr_t offender;	/* the ICMP message's source */
	ip4_addr_t dest;	/* the datagram's destination, */
	u16_t port;		/* ... and its port (host order) */
	u16_t len;		/* bytes of data */
	u8_t data[];
};

/* The socket layer's connection state (Linux's SS_*), for TCP. */
enum inet_conn {
	INET_UNCONNECTED,
	INET_CONNECTING,
	INET_CONNECTED,
};

/*
 * What a received datagram's IP header and interface said, for the
 * control messages IP_PKTINFO, IP_RECVTTL, IPV6_RECVHOPLIMIT and the like
 * ask for (inet_pktinfo.c).
 */
struct inet_pkt_info {
	ip_addr_t dst;		/* the header's destination */
	int ifindex;		/* Linux's index of the interface it came in on */
	u8_t ttl;		/* TTL or hop limit */
	u8_t tos;		/* TOS or traffic class */
};

/* A received datagram (with its source), or a piece of a TCP stream. */
struct inet_pkt {
	struct list_head link;
	struct pbuf *p;		/* the data, from p->payload */
	ip_addr_t addr;
	u16_t port;
	struct inet_pkt_info info;	/* datagrams only */
};

struct inet_sock {
	/* The socket, or NULL: an embryo on a listener, or released. */
	struct socket *sock;
	int family;		/* AF_INET or AF_INET6 */
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
	ip_addr_t bind_addr;
	u16_t bind_port;
	/* IPPROTO_IP options: -1 is the default TTL. */
	int ttl;
	u8_t tos;
	/* IP_RECVERR, IPV6_RECVERR; the ICMP errors IP_RECVERR queues on
	 * an AF_INET socket (struct inet_err, charged to rcv_bytes). */
	bool recverr, recverr6;
	struct list_head errq;
	/* The control messages recvmsg gives a datagram (INET_RX_*). */
	unsigned rx_opts;
	/* Raw IPv6: the ICMPv6 types ICMPV6_FILTER blocks (a set bit). */
	u32_t icmp6_filter[8];
	/* IPPROTO_IPV6 options: -1 is the default hop limit. */
	bool v6only;
	int hops;
	u8_t tclass;
	/* UDP-Lite checksum coverage, bytes (0: all), as Linux's pcslen/pcrlen. */
	u16_t cscov_send, cscov_recv;
	/* UDP corking (MSG_MORE, UDP_CORK): the datagram being gathered
	 * (NULL: none), to the first part's destination. */
	bool udp_cork;
	struct pbuf *cork_p;
	ip_addr_t cork_ip;
	u16_t cork_port;
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
	ip_addr_t gone_local, gone_remote;
	u16_t gone_lport, gone_rport;
	/* Raw: on the list of raw sockets, for /proc/net/raw[6]; the port
	 * a connect named (Linux's inet_dport: 0 leaves getpeername
	 * ENOTCONN); IPv6: IPV6_CHECKSUM's offset, -1 for none. */
	struct list_head raw_link;
	u16_t raw_peer_port;
	int raw6_csum;
};

extern const struct proto_ops inet_tcp_ops;
extern const struct proto_ops inet_udp_ops;
extern const struct proto_ops inet_raw_ops;
extern const struct proto_ops inet_raw6_ops;

/* inet.c: the socket state, with defaults; NULL when out of memory. */
struct inet_sock *inet_sock_alloc(struct socket *sock, int family,
				  int type, int protocol);
/* Free @is and its receive queue (its pcb is already gone or detached). */
void inet_sock_free(struct inet_sock *is);

/*
 * The sockaddr of @is's family (sockaddr_in, or sockaddr_in6 for
 * AF_INET6) of @len bytes at @addr: 0 with the address and port (host
 * order), -EINVAL when too short, -EAFNOSUPPORT for another family
 * (AF_UNSPEC passes when @unspec_ok). A v4-mapped IPv6 address comes out
 * as the IPv4 address, ::ffff:0.0.0.0 as 0.0.0.0.
 */
int inet_addr_in(const struct inet_sock *is, const void *addr, int len,
		 bool unspec_ok, ip_addr_t *ip, u16_t *port);
/* The sockaddr_in part of inet_addr_in (for any socket's family). */
int inet_addr_in4(const void *addr, int len, bool unspec_ok, ip_addr_t *ip,
		  u16_t *port);
/* The family of the sockaddr @addr (the caller checked it is there). */
sa_family_t inet_addr_family(const void *addr);
/*
 * Write the sockaddr of @is's family for @ip (NULL: the any address),
 * @port (host order) to @addr (SOCKADDR_STORAGE_SIZE bytes): its length.
 */
int inet_addr_out(const struct inet_sock *is, void *addr,
		  const ip_addr_t *ip, u16_t port);
/* Is @ip one of this host's addresses (127/8 and ::1 included)? */
bool inet_addr_is_local(const ip_addr_t *ip);
/* Is @ip an IPv4 broadcast address (limited, or a subnet's)? */
bool inet_addr_is_broadcast(const ip_addr_t *ip);
/* Is @ip a multicast address (either version)? */
bool inet_addr_is_multicast(const ip_addr_t *ip);
/*
 * Do bound addresses @a and @b overlap (either is a wildcard of the
 * other's version, a dual-stack wildcard, or they are equal)?
 */
bool inet_addr_overlap(const ip_addr_t *a, const ip_addr_t *b);
/*
 * The wildcard address @is binds to: 0.0.0.0 for AF_INET; for AF_INET6
 * :: (IPv6 only) with IPV6_V6ONLY, else the dual-stack wildcard.
 */
const ip_addr_t *inet_any(const struct inet_sock *is);
/* The loopback address of @ip's version, for a connect to a wildcard. */
void inet_set_loopback(ip_addr_t *ip);
/* The pcb address type for a new pcb of @is (V4, or ANY for AF_INET6). */
u8_t inet_pcb_type(const struct inet_sock *is);
/*
 * Is the sockaddr @addr (at least its family, which the caller checked is
 * there) AF_UNSPEC: for connect, "dissolve the association"?
 */
bool inet_addr_is_unspec(const void *addr);
/*
 * The address of a bind(2) (AF_INET, or AF_UNSPEC with INADDR_ANY; for
 * AF_INET6 a sockaddr_in6, :: becoming inet_any()) into *@ip and *@port,
 * with the checks common to the protocols: -EACCES for a privileged port
 * without root, -EADDRNOTAVAIL for an address not of this host, -EINVAL
 * for a v4-mapped address with IPV6_V6ONLY. 0 or -errno.
 */
int inet_bind_addr(const struct inet_sock *is, const void *addr, int len,
		   ip_addr_t *ip, u16_t *port);
/*
 * A destination of @is (an AF_INET6 socket's) that is IPv4: -ENETUNREACH
 * with IPV6_V6ONLY, else 0.
 */
int inet_check_family(const struct inet_sock *is, const ip_addr_t *ip);
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
 * it when the receive buffer is full. lwIP input callback context: what
 * the datagram's IP header says is kept with it (inet_pkt_info_capture).
 */
void inet_dgram_queue(struct inet_sock *is, struct pbuf *p,
		      const ip_addr_t *ip, u16_t port);
/*
 * The operations UDP and raw sockets share (in both their proto_ops).
 * recvmsg on a datagram socket (UDP, raw): one datagram, MSG_PEEK and
 * MSG_TRUNC as Linux; the source into msg->name. Bytes or -errno.
 */
ssize_t inet_dgram_recvmsg(struct socket *sock, struct sock_msg *msg);

/*
 * icmp_unreach.c: answer @p (its payload at the IP header) with a
 * destination unreachable of code @t, sent back to its source, quoting
 * as much of it as Linux does; lwIP's ip4.c and udp.c call it by the
 * name icmp_dest_unreach (the Makefile renames their calls). netd or the
 * sending call, inside the service; out of memory, nothing is sent.
 */
void net_icmp_dest_unreach(struct pbuf *p, enum icmp_dur_type t);

/*
 * inet_errq.c, IP_RECVERR's error queue; netd or the sending call,
 * inside the service.
 * The errno of ICMP @type and @code as Linux's UDP takes it, *@fatal
 * when it is a hard error (one that reaches a socket without
 * IP_RECVERR too, if connected); 0 for a message that is no error.
 */
int inet_icmp_errno(u8_t type, u8_t code, bool *fatal);
/* The same for ICMPv6 (Linux's icmpv6_err_convert). */
int inet_icmp6_errno(u8_t type, u8_t code, bool *fatal);
/*
 * Queue @rec's copy with @len bytes of @p from @off as its data, unless
 * the receive buffer is full (then the error is only pending, as Linux).
 */
void inet_errq_add(struct inet_sock *is, const struct inet_err *rec,
		   struct pbuf *p, u16_t off, u16_t len);
/* Drop every queued error (IP_RECVERR off, the socket's end). */
void inet_errq_purge(struct inet_sock *is);
/*
 * recvmsg(MSG_ERRQUEUE): the oldest error's data, its datagram's
 * destination as the name and an IP_RECVERR control message, as Linux's
 * ip_recv_error. The bytes, or -EAGAIN when none is queued, -EFAULT.
 */
ssize_t inet_errq_recv(struct inet_sock *is, struct sock_msg *msg);
/* FIONREAD/SIOCINQ and SIOCOUTQ on a datagram socket. */
long inet_dgram_ioctl(struct socket *sock, unsigned cmd, uptr_t arg);
/* Datagram socket readiness (Linux's datagram_poll). */
unsigned inet_dgram_poll(struct socket *sock, struct file *file,
			 struct poll_table *pt);
/*
 * Datagram socket options: SOL_IP ones, SOL_IPV6 ones on AF_INET6, and
 * SOL_SOCKET changes carried over to the pcb (else -ENOPROTOOPT).
 */
int inet_dgram_setsockopt(struct socket *sock, int level, int name,
			  const void *val, int len);
int inet_dgram_getsockopt(struct socket *sock, int level, int name,
			  void *val, int *len);

/*
 * The pcb's IP options from @is and its socket: TTL and TOS (the hop
 * limit and traffic class on AF_INET6), SO_REUSEADDR, SO_KEEPALIVE. For
 * a new pcb and after every option change.
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

/*
 * inet6.c: sockaddr_in6 in (for inet_addr_in: @len and the family are
 * checked) and out; the IPPROTO_IPV6 options of an AF_INET6 socket
 * (@pcb may be NULL), with Linux's checks: 0 or -errno.
 */
void inet6_addr_in(const void *addr, int len, ip_addr_t *ip, u16_t *port);
int inet6_addr_out(void *addr, const ip_addr_t *ip, u16_t port);
int inet6_setsockopt(struct inet_sock *is, struct ip_pcb *pcb, int name,
		     const void *val, int len);
int inet6_getsockopt(struct inet_sock *is, int name, void *val, int *len);
/*
 * An address and port as /proc/net/{tcp,udp}[6] show them: 8 hex digits
 * (IPv4) or 32 (@v6: IPv4 as ::ffff:a.b.c.d), a colon, 4 for the port.
 */
void inet_proc_addr(struct net_text *t, const ip_addr_t *ip, u16_t port,
		    bool v6);
/* Does a pcb of @is (NULL: @ip's version decides) belong in a *6 file? */
bool inet_proc_is_v6(const struct inet_sock *is, const ip_addr_t *ip);
/* /proc/net/if_inet6 into @buf of @size: the length. */
ssize_t inet6_if_proc(char *buf, size_t size);

/* inet_tcp.c, inet_udp.c, inet_raw.c */
int inet_tcp_create(struct inet_sock *is);
int inet_udp_create(struct inet_sock *is);
int inet_raw_create(struct inet_sock *is);
/* /proc/net/{tcp,udp}[6] (@v6) and raw into @buf of @size: the length. */
ssize_t inet_tcp_proc(char *buf, size_t size, bool v6);
ssize_t inet_udp_proc(char *buf, size_t size, bool v6);
ssize_t inet_raw_proc(char *buf, size_t size, bool v6);
/* inet_raw.c: the raw operations both families share. */
void inet_raw_release(struct socket *sock);
/*
 * connect(2) of a raw socket: AF_UNSPEC forgets the peer, else @dest
 * checks @addr of @len into *ip and *port (0 or -errno), which become
 * the peer (the port only for getpeername, as Linux's inet_dport).
 */
typedef int (*inet_raw_dest_fn)(struct inet_sock *is, const void *addr,
				int len, ip_addr_t *ip, u16_t *port);
int inet_raw_connect_with(struct socket *sock, const void *addr, int len,
			  inet_raw_dest_fn dest);
int inet_raw_getname(struct socket *sock, void *addr, bool peer);
int inet_raw_shutdown(struct socket *sock, int how);
/*
 * inet_raw6.c: a new raw IPv6 socket's checksum default (ICMPv6 at 2);
 * lwIP's receive callback of its pcb.
 */
void inet_raw6_init(struct inet_sock *is);
u8_t inet_raw6_recv(void *arg, struct raw_pcb *pcb, struct pbuf *p,
		    const ip_addr_t *addr);

/* The inode number and owner of @is's socket for /proc (0 if none). */
unsigned long inet_sock_ino(const struct inet_sock *is);
unsigned inet_sock_uid(const struct inet_sock *is);

/*
 * inet_pktinfo.c: the control messages of received datagrams.
 * INET_RX_* are the bits of inet_sock.rx_opts, one per option that asks
 * for a message (IP_PKTINFO, IP_RECVTTL, IP_RECVTOS; IPV6_RECVPKTINFO,
 * IPV6_RECVHOPLIMIT, IPV6_RECVTCLASS and RFC 2292's IPV6_2292PKTINFO and
 * IPV6_2292HOPLIMIT).
 */
#define INET_RX_PKTINFO		0x01
#define INET_RX_TTL		0x02
#define INET_RX_TOS		0x04
#define INET_RX6_PKTINFO	0x10
#define INET_RX6_HOPLIMIT	0x20
#define INET_RX6_TCLASS		0x40
#define INET_RX6_2292PKTINFO	0x80
#define INET_RX6_2292HOPLIMIT	0x100
/*
 * The INET_RX_* bit of option @name at @level (SOL_IP or SOL_IPV6), or 0
 * if it is not one of them.
 */
unsigned inet_rx_opt(int level, int name);
/* Fill *@info from the header lwIP's input is handling now. */
void inet_pkt_info_capture(struct inet_pkt_info *info);
/*
 * Put the control messages @is's options ask for about @pkt into @msg,
 * in Linux's order (ip_cmsg_recv_offset, ip6_datagram_recv_ctl): 0 or
 * -EFAULT.
 */
int inet_pkt_info_put(const struct inet_sock *is, struct sock_msg *msg,
		      const struct inet_pkt *pkt);
