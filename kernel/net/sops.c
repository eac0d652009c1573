/*
 * The socket layer's calls into an address family (include/kernel/sops.h):
 * generated from the proto_ops list of include/svc/socket.h, with
 * poll, whose failure is a readiness mask, written out. The boundary and
 * the profile's way of crossing it are include/kernel/svc_dispatch.h's.
 */
#include <kernel/sops.h>
#include <kernel/vfs.h>
#include <uapi/errno.h>
#include <uapi/poll.h>

#define proto_ops_table(sock)	((sock)->ops)
#define proto_ops_cap(sock)	((sock)->cap)

SVC_WRAPPERS(PROTO_OPS, proto_ops)

/* A family whose service failed is in error: readable, writable, POLLERR. */
unsigned sop_poll(struct socket *sock, struct file *file,
		  struct poll_table *pt)
{
	long ret;

	if (!sock->ops->poll)
		return POLLERR;
	SVC_DISPATCH(proto_ops, poll, sock->ops, sock->cap, ret,
		     (sock, file, pt));
	return ret < 0 ? POLLERR | POLLIN | POLLOUT : (unsigned)ret;
}
