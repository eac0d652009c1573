/*
 * AF_UNIX internals shared by kernel/net/unix*.c and scm.c.
 *
 * A struct unix_sock outlives its socket: a connection queued on a
 * listener has none yet (an "embryo"), and queued messages keep their
 * sender for its send-buffer accounting. References: the socket holds
 * one, a peer pointer one, every queued message one on its sender.
 * No locks: one CPU, no kernel preemption, no interrupt handler touches
 * these; a task rechecks the state after every sleep.
 */
#pragma once
#include <kernel/socket.h>
#include <aramid/list.h>
#include <platform/cpu.h>
#include <uapi/errno.h>

#define UNIX_MAX_DGRAM_QLEN	10	/* net.unix.max_dgram_qlen */

enum unix_state {
	UNIX_UNCONNECTED,
	UNIX_LISTENING,
	UNIX_CONNECTED,
};

/* A bound name: the sockaddr_un bytes and their length, shared. */
struct unix_addr {
	int refcount;
	int len;
	char name[sizeof(struct sockaddr_un) + 1];	/* path: with its NUL */
};

/* Descriptors passed with SCM_RIGHTS: a reference on each file. */
struct scm_fds {
	unsigned count;
	struct file *file[];
};

/* What a sendmsg's control messages carry. */
struct scm_send {
	struct scm_fds *fds;		/* SCM_RIGHTS, or NULL */
	bool has_cred;			/* SCM_CREDENTIALS given: @cred */
	struct ucred cred;
};

/* One queued message (datagram) or piece of a stream. */
struct unix_msg {
	struct list_head link;
	struct unix_sock *sender;	/* reference; its wmem counts len */
	size_t len;
	size_t off;			/* stream: bytes already read */
	struct scm_fds *fds;		/* or NULL */
	struct ucred cred;		/* SCM_CREDENTIALS: pid 0 for none */
	char *frag[];			/* the data, PAGE_SIZE per piece */
};

struct unix_sock {
	int refcount;
	struct socket *sock;		/* NULL for an embryo or once closed */
	int type;
	enum unix_state state;
	bool dead;			/* released */
	int shutdown;			/* RCV_SHUTDOWN | SEND_SHUTDOWN */
	int error;			/* an embryo's SO_ERROR */
	struct unix_sock *peer;		/* reference */
	struct unix_addr *addr;		/* bound name, or NULL */
	struct inode *inode;		/* reference: a filesystem name's node */
	struct list_head bound_link;	/* on the bound list while named */
	struct list_head all_link;	/* on unix_socks, for /proc/net/unix */
	struct list_head rcvq;		/* struct unix_msg, or embryos */
	unsigned rcv_count;
	size_t wmem;			/* bytes of ours queued somewhere */
	unsigned backlog;		/* listening: the most queued, + 1 */
	struct list_head accept_link;	/* embryo: on the listener's rcvq */
	struct ucred cred;		/* listener: credentials at listen */
	struct ucred peercred;		/* embryo: for its socket-to-be */
	struct wait_queue wq;		/* every change of this socket */
};

/* unix.c */
extern struct list_head unix_socks;	/* every unix_sock, embryos too */
void unix_get(struct unix_sock *u);
void unix_put(struct unix_sock *u);
void unix_set_error(struct unix_sock *u, int err);
/* Take and clear @u's pending error (SO_ERROR), or 0. */
int unix_take_error(struct unix_sock *u);
/* Wait on @wq for @cond, or -EAGAIN (@nonblock), -ERESTARTSYS. */
#define unix_wait(wq, nonblock, cond)					\
	({ (cond) ? 0 : (nonblock) ? -EAGAIN :				\
		wait_event_interruptible((wq), (cond)); })

/* unix_name.c */
void unix_addr_put(struct unix_addr *addr);
/* Check an address for bind/connect/sendto: 0 or -EINVAL. */
int unix_validate_addr(const void *addr, int len);
int unix_bind(struct socket *sock, const void *addr, int len);
/*
 * The bound socket of @type at @addr (validated), with a reference, or
 * an ERR_PTR: the lookup's errno for a path, -EACCES if the caller may
 * not write to the socket file, -ECONNREFUSED when no socket is there,
 * -EPROTOTYPE for another type.
 */
struct unix_sock *unix_find(const void *addr, int len, int type);
/* Forget @u's name (on release). */
void unix_unbind(struct unix_sock *u);
/* The name of @u into @addr: its length (2 when unbound). */
int unix_addr_copy(const struct unix_sock *u, void *addr);

/* unix_io.c */
ssize_t unix_sendmsg(struct socket *sock, struct sock_msg *msg);
ssize_t unix_recvmsg(struct socket *sock, struct sock_msg *msg);
/* Free a dequeued message: its data, files, and the sender's share. */
void unix_msg_free(struct unix_msg *m);

/* scm.c */
/*
 * Parse the control messages of @msg into @out (zeroed by the caller):
 * the files to pass, and credentials checked as Linux's scm_check_creds
 * (another pid needs CAP_SYS_ADMIN, ids not the sender's CAP_SETUID or
 * CAP_SETGID: -EPERM; -ESRCH for no such pid). 0 or -errno, nothing held.
 */
int scm_parse(const struct sock_msg *msg, struct scm_send *out);
/*
 * The credentials a message from @sock to @other carries (Linux's
 * unix_scm_to_skb and maybe_add_creds): those of @scm if given; else, if
 * either end asked for SO_PASSCRED (or @other is not yet accepted), the
 * sender's process id and real uid and gid; else none.
 */
struct ucred scm_msg_cred(const struct socket *sock,
			  const struct unix_sock *other,
			  const struct scm_send *scm);
/*
 * An SCM_CREDENTIALS message with @cred into the receiver's control
 * buffer, cut (MSG_CTRUNC) as Linux's put_cmsg cuts it. 0 or -EFAULT.
 */
int scm_put_cred(struct sock_msg *msg, const struct ucred *cred);
/* A second reference to every file of @fds (MSG_PEEK), or NULL. */
struct scm_fds *scm_dup(const struct scm_fds *fds);
void scm_free(struct scm_fds *fds);
/*
 * Install @fds (consumed) in the receiver and describe them in its
 * control buffer, setting MSG_CTRUNC for those that do not fit.
 * 0 or -EFAULT.
 */
int scm_deliver(struct sock_msg *msg, struct scm_fds *fds);
