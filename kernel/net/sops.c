/*
 * The socket layer's calls into an address family (include/kernel/sops.h).
 * Dispatch through the proto_ops tables happens only here. In fortress and
 * balanced each call into a service's family crosses the boundary
 * (SVC_CALL: contained, capability checked); a ring-1 family (svc NULL)
 * is called plainly. In performance and ludicrous the table's pointer is
 * matched against the implementations found at build time
 * (scripts/gen-svc-direct.py), giving a direct call with no indirect call
 * on the path.
 */
#include <kernel/sops.h>
#include <kernel/vfs.h>
#include <uapi/errno.h>
#include <uapi/poll.h>

#if CONFIG_SVC_CONTAIN
#define PCALL(sock, op, ret, ...)					\
	SVC_CALL((sock)->ops->svc, (sock)->cap, #op, ret,		\
		 (sock)->ops->op(__VA_ARGS__))
#define PCALL_VOID(sock, op, ...)					\
	SVC_CALL_VOID((sock)->ops->svc, (sock)->cap, #op,		\
		      (sock)->ops->op(__VA_ARGS__))
#else
#include <kernel/svc_direct.h>
#include "svc_direct_list.h"

#define PCALL(sock, op, ret, ...)					\
	DIRECT(proto_ops, op, (sock)->ops->op, __VA_ARGS__)
#define PCALL_VOID(sock, op, ...)					\
	DIRECT_VOID(proto_ops, op, (sock)->ops->op, __VA_ARGS__)
#endif

void sop_release(struct socket *sock)
{
	PCALL_VOID(sock, release, sock);
}

int sop_bind(struct socket *sock, const void *addr, int len)
{
	int ret;

	PCALL(sock, bind, ret, sock, addr, len);
	return ret;
}

int sop_connect(struct socket *sock, const void *addr, int len,
		bool nonblock)
{
	int ret;

	PCALL(sock, connect, ret, sock, addr, len, nonblock);
	return ret;
}

int sop_socketpair(struct socket *a, struct socket *b)
{
	int ret;

	if (!a->ops->socketpair)
		return -EOPNOTSUPP;
	PCALL(a, socketpair, ret, a, b);
	return ret;
}

int sop_listen(struct socket *sock, int backlog)
{
	int ret;

	if (!sock->ops->listen)
		return -EOPNOTSUPP;
	PCALL(sock, listen, ret, sock, backlog);
	return ret;
}

int sop_accept(struct socket *sock, struct socket *child, bool nonblock)
{
	int ret;

	if (!sock->ops->accept)
		return -EOPNOTSUPP;
	PCALL(sock, accept, ret, sock, child, nonblock);
	return ret;
}

int sop_getname(struct socket *sock, void *addr, bool peer)
{
	int ret;

	PCALL(sock, getname, ret, sock, addr, peer);
	return ret;
}

int sop_shutdown(struct socket *sock, int how)
{
	int ret;

	PCALL(sock, shutdown, ret, sock, how);
	return ret;
}

ssize_t sop_sendmsg(struct socket *sock, struct sock_msg *msg)
{
	ssize_t ret;

	PCALL(sock, sendmsg, ret, sock, msg);
	return ret;
}

ssize_t sop_recvmsg(struct socket *sock, struct sock_msg *msg)
{
	ssize_t ret;

	PCALL(sock, recvmsg, ret, sock, msg);
	return ret;
}

/* A family whose service failed is in error: readable, writable, POLLERR. */
unsigned sop_poll(struct socket *sock, struct file *file,
		  struct poll_table *pt)
{
	long ret;

	PCALL(sock, poll, ret, sock, file, pt);
	return ret < 0 ? POLLERR | POLLIN | POLLOUT : (unsigned)ret;
}

int sop_setsockopt(struct socket *sock, int level, int name,
		   const void *val, int len)
{
	int ret;

	if (!sock->ops->setsockopt)
		return -ENOPROTOOPT;
	PCALL(sock, setsockopt, ret, sock, level, name, val, len);
	return ret;
}

int sop_getsockopt(struct socket *sock, int level, int name, void *val,
		   int *len)
{
	int ret;

	if (!sock->ops->getsockopt)
		return -ENOPROTOOPT;
	PCALL(sock, getsockopt, ret, sock, level, name, val, len);
	return ret;
}

long sop_ioctl(struct socket *sock, unsigned cmd, uptr_t arg)
{
	long ret;

	if (!sock->ops->ioctl)
		return -ENOTTY;
	PCALL(sock, ioctl, ret, sock, cmd, arg);
	return ret;
}
