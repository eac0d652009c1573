/*
 * The socket side of the ring-2 API: the family-independent socket
 * object and the ops table through which the system calls of
 * kernel/net/socket.c reach an address family (AF_UNIX in ring 1,
 * kernel/net/unix*.c; AF_INET, AF_PACKET and AF_NETLINK in the network
 * service). A socket is a ring-1 kernel object like a pipe: an inode of
 * the socket pseudo filesystem and one open file, whose priv is the
 * struct socket.
 */
#pragma once
#include <svc/vfs.h>
#include <svc/wait.h>
#include <svc/service.h>
#include <uapi/socket.h>
#include <uapi/if.h>

struct socket;

/* Shutdown bits (struct socket.shutdown), as Linux's sk_shutdown. */
#define RCV_SHUTDOWN	1
#define SEND_SHUTDOWN	2
#define SHUTDOWN_MASK	3

/* A sendmsg or recvmsg in kernel form. */
struct sock_msg {
	struct uio *uio;	/* the data */
	/* send: the destination (namelen 0: none); recv: the source. */
	char name[SOCKADDR_STORAGE_SIZE];
	int namelen;
	int flags;		/* MSG_*; O_NONBLOCK comes as MSG_DONTWAIT */
	/* send: the control messages, copied in (kernel memory). */
	const void *control;
	size_t controllen;
	/* recv: the user's control buffer, and how much of it was used. */
	uptr_t ucontrol;
	size_t ucontrollen;
	size_t control_used;
	int out_flags;		/* recv: msg_flags for user space */
};

/*
 * Append a control message of @level, @type and @len bytes of @data to
 * @msg's control buffer (ring 1, kernel/net/sock_cmsg.c), cut to what
 * room is left and MSG_CTRUNC set when it does not fit, as Linux's
 * put_cmsg. Process context. 0 or -EFAULT.
 */
int sock_put_cmsg(struct sock_msg *msg, int level, int type,
		  const void *data, size_t len);

/*
 * An address family's operations. Each returns 0 (or a count) or -errno
 * with Linux's errno for the family; process context, may sleep where a
 * blocking socket waits (then -ERESTARTSYS on a signal).
 */
/*
 * An address family's operations (include/svc/iface.h says how to read
 * the list), called by the socket layer through the wrappers of
 * kernel/net/sops.c: plainly for a ring-1 family (AF_UNIX, .svc NULL),
 * across the service boundary for a service's family, presenting the
 * socket's capability. Each returns 0 or -errno unless noted.
 */
#define PROTO_OPS(OP, OP_VOID, OP_OWN, I)				\
	/* The socket's file is closing: let go of the family's state. */ \
	OP_VOID(I, release, sock, (struct socket *sock), (sock))	\
	OP(I, int, bind, sock,						\
	   (struct socket *sock, const void *addr, int len),		\
	   (sock, addr, len), -EOPNOTSUPP)				\
	OP(I, int, connect, sock,					\
	   (struct socket *sock, const void *addr, int len, bool nonblock), \
	   (sock, addr, len, nonblock), -EOPNOTSUPP)			\
	/* Connect two new sockets to each other (socketpair). */	\
	OP(I, int, socketpair, a, (struct socket *a, struct socket *b),	\
	   (a, b), -EOPNOTSUPP)						\
	OP(I, int, listen, sock, (struct socket *sock, int backlog),	\
	   (sock, backlog), -EOPNOTSUPP)				\
	/* Wait for a connection on @sock; attach it to the new @child. */ \
	OP(I, int, accept, sock,					\
	   (struct socket *sock, struct socket *child, bool nonblock),	\
	   (sock, child, nonblock), -EOPNOTSUPP)			\
	/* The local (@peer false) or peer address into @addr: its length. */ \
	OP(I, int, getname, sock,					\
	   (struct socket *sock, void *addr, bool peer),		\
	   (sock, addr, peer), -EOPNOTSUPP)				\
	OP(I, int, shutdown, sock, (struct socket *sock, int how),	\
	   (sock, how), -EOPNOTSUPP)					\
	/* Bytes sent or received, or -errno. */			\
	OP(I, ssize_t, sendmsg, sock,					\
	   (struct socket *sock, struct sock_msg *msg), (sock, msg),	\
	   -EOPNOTSUPP)							\
	OP(I, ssize_t, recvmsg, sock,					\
	   (struct socket *sock, struct sock_msg *msg), (sock, msg),	\
	   -EOPNOTSUPP)							\
	/* Readiness mask; a family whose service failed: POLLERR, IN, OUT. */ \
	OP_OWN(I, unsigned, poll, sock,					\
	       (struct socket *sock, struct file *file,			\
		struct poll_table *pt), (sock, file, pt))	\
	/*								\
	 * Options: every level but SOL_SOCKET goes to the family;	\
	 * SOL_SOCKET options are kept in struct socket by		\
	 * kernel/net/socket.c, which then calls setsockopt too, so the	\
	 * family may act on them (its -ENOPROTOOPT, or the missing op's \
	 * -EOPNOTSUPP, is then ignored). A family without the ops is	\
	 * Linux's sock_no_setsockopt: every other level EOPNOTSUPP.	\
	 * getsockopt writes at most *@len bytes to @val (a kernel buffer \
	 * of 64) and sets *@len.					\
	 */								\
	OP(I, int, setsockopt, sock,					\
	   (struct socket *sock, int level, int name, const void *val,	\
	    int len), (sock, level, name, val, len), -EOPNOTSUPP)	\
	OP(I, int, getsockopt, sock,					\
	   (struct socket *sock, int level, int name, void *val,	\
	    int *len), (sock, level, name, val, len), -EOPNOTSUPP)	\
	/* A socket ioctl (FIONREAD, SIOCOUTQ...); -ENOTTY if unknown. */ \
	OP(I, long, ioctl, sock,					\
	   (struct socket *sock, unsigned cmd, uptr_t arg),		\
	   (sock, cmd, arg), -ENOTTY)					\
	/*								\
	 * Queue @len bytes at @data (kernel memory) on @sock as a	\
	 * message from the kernel, never refused for a full buffer	\
	 * (Linux's netlink_sendskb, for mq_notify's SIGEV_THREAD).	\
	 */								\
	OP(I, int, kernel_send, sock,					\
	   (struct socket *sock, const void *data, size_t len),		\
	   (sock, data, len), -EOPNOTSUPP)

SVC_OPS_TYPES(PROTO_OPS, proto_ops)

struct proto_ops {
	/* The service that implements the family (NULL: ring 1 itself). */
	struct service *svc;
	SVC_OPS_MEMBERS(PROTO_OPS, proto_ops)
};

struct socket {
	int family;
	int type;		/* SOCK_STREAM... */
	int protocol;
	const struct proto_ops *ops;
	void *priv;		/* the family's own state */
	struct file *file;	/* no reference: the file owns the socket */
	struct inode *inode;	/* no reference: the file holds it */
	/* Generic SOL_SOCKET state the family keeps up to date. */
	int sndbuf, rcvbuf;
	bool reuseaddr;
	bool listening;		/* SO_ACCEPTCONN */
	int error;		/* SO_ERROR: a pending asynchronous error */
	struct ucred peercred;	/* SO_PEERCRED */
	bool reuseport;		/* SO_REUSEPORT */
	bool keepalive;		/* SO_KEEPALIVE */
	bool broadcast;		/* SO_BROADCAST */
	bool oobinline;		/* SO_OOBINLINE */
	bool dontroute;		/* SO_DONTROUTE */
	bool passcred;		/* SO_PASSCRED: receive SCM_CREDENTIALS */
	int priority;		/* SO_PRIORITY */
	int rcvlowat;		/* SO_RCVLOWAT (1 by default) */
	struct linger linger;	/* SO_LINGER */
	bool filter;		/* SO_ATTACH_FILTER: a program is attached */
	int bound_dev_if;	/* SO_BINDTODEVICE: the index, 0 for none */
	char bound_dev[IFNAMSIZ];	/* and the interface's name */
	uint64_t rcvtimeo_ns;	/* SO_RCVTIMEO (0: none) */
	uint64_t sndtimeo_ns;	/* SO_SNDTIMEO (0: none) */
	struct svc_cap cap;	/* presented at every call into ops->svc */
};
