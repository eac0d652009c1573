/*
 * Sockets (kernel/net/): the family-independent socket object and the
 * ops table through which the system calls of kernel/net/socket.c reach
 * an address family (AF_UNIX: kernel/net/unix*.c). A socket is a ring-1
 * kernel object like a pipe: an inode of the socket pseudo filesystem
 * and one open file, whose priv is the struct socket.
 */
#pragma once
#include <kernel/vfs.h>
#include <kernel/wait.h>
#include <kernel/service.h>
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
 * An address family's operations. Each returns 0 (or a count) or -errno
 * with Linux's errno for the family; process context, may sleep where a
 * blocking socket waits (then -ERESTARTSYS on a signal).
 */
struct proto_ops {
	/* The service that implements the family (NULL: ring 1 itself). */
	struct service *svc;
	/* The socket's file is closing: let go of the family's state. */
	void (*release)(struct socket *sock);
	int (*bind)(struct socket *sock, const void *addr, int len);
	int (*connect)(struct socket *sock, const void *addr, int len,
		       bool nonblock);
	/* Connect two new sockets to each other (socketpair). */
	int (*socketpair)(struct socket *a, struct socket *b);
	int (*listen)(struct socket *sock, int backlog);
	/* Wait for a connection on @sock; attach it to the new @child. */
	int (*accept)(struct socket *sock, struct socket *child,
		      bool nonblock);
	/* The local (@peer false) or peer address into @addr: its length. */
	int (*getname)(struct socket *sock, void *addr, bool peer);
	int (*shutdown)(struct socket *sock, int how);
	ssize_t (*sendmsg)(struct socket *sock, struct sock_msg *msg);
	ssize_t (*recvmsg)(struct socket *sock, struct sock_msg *msg);
	unsigned (*poll)(struct socket *sock, struct file *file,
			 struct poll_table *pt);
	/*
	 * Options: every level but SOL_SOCKET goes to the family; SOL_SOCKET
	 * options are kept in struct socket by kernel/net/socket.c, which
	 * then calls setsockopt too, so the family may act on them (its
	 * -ENOPROTOOPT is then ignored). getsockopt writes at most *@len
	 * bytes to @val (a kernel buffer of 64) and sets *@len. Optional.
	 */
	int (*setsockopt)(struct socket *sock, int level, int name,
			  const void *val, int len);
	int (*getsockopt)(struct socket *sock, int level, int name,
			  void *val, int *len);
	/* A socket ioctl (FIONREAD, SIOCOUTQ...); -ENOTTY if unknown. */
	long (*ioctl)(struct socket *sock, unsigned cmd, uptr_t arg);
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

/*
 * An address family: create() sets sock->ops and sock->priv for a new
 * socket of @type and @protocol, or fails with the family's errno.
 */
struct net_family {
	int family;
	int (*create)(struct socket *sock, int type, int protocol);
};

extern const struct net_family unix_family;
/*
 * /proc/net/unix into @buf of @size (kernel/net/unix_proc.c): its length,
 * truncated at @size.
 */
ssize_t unix_proc_show(char *buf, size_t size);

/* The socket behind @file, or NULL if it is not a socket. */
struct socket *file_socket(const struct file *file);

/*
 * A new unattached socket of @family and @type, in an open file with
 * status flags @flags (O_NONBLOCK), for accept: the family's ops and
 * priv are set by the caller. Returns the socket or an ERR_PTR.
 */
struct socket *sock_alloc_file(int family, int type, int protocol,
			       unsigned flags);
/* Drop a socket made by sock_alloc_file (closes its file). */
void sock_free_file(struct socket *sock);

/* The credentials of the current process, for SO_PEERCRED. */
struct ucred sock_current_cred(void);
