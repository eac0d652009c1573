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
