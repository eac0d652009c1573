/*
 * The socket layer's own API for the rest of ring 1 (kernel/net/): the
 * address families and the socket files. What families in services
 * share with it is include/svc/socket.h.
 */
#pragma once
#include <kernel/vfs.h>
#include <svc/socket.h>

/*
 * An address family: create() sets sock->ops and sock->priv for a new
 * socket of @type and @protocol, or fails with the family's errno.
 */
struct net_family {
	int family;
	int (*create)(struct socket *sock, int type, int protocol);
};

extern const struct net_family unix_family;

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

/*
 * The socket behind descriptor @fd, its file (with a reference, for fput)
 * into *@filp; NULL and *@err -EBADF or -ENOTSOCK (kernel/net/socket.c).
 */
struct socket *sockfd_get(int fd, struct file **filp, long *err);
/*
 * sendmsg(2) and recvmsg(2) of the user msghdr at @umsg on @sock, open
 * as @f: bytes moved or -errno. Send: the bytes not sent into *@left
 * (if given); receive: the message's flags into *@msg_flags (if given).
 * Process context; may sleep.
 */
long sock_sendmsg_user(struct socket *sock, const struct file *f,
		       uptr_t umsg, int flags, size_t *left);
long sock_recvmsg_user(struct socket *sock, const struct file *f,
		       uptr_t umsg, int flags, int *msg_flags);
