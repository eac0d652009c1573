/*
 * The wrappers through which the socket layer (kernel/net/socket.c) calls
 * an address family's proto_ops (kernel/net/sops.c): a plain call for a
 * ring-1 family (AF_UNIX, ops->svc NULL), a call across the service
 * boundary for a service's family (AF_INET: the network service),
 * presenting the socket's capability. An optional operation the family
 * lacks gives Linux's errno for it.
 */
#pragma once
#include <kernel/socket.h>

void sop_release(struct socket *sock);
int sop_bind(struct socket *sock, const void *addr, int len);
int sop_connect(struct socket *sock, const void *addr, int len,
		bool nonblock);
int sop_socketpair(struct socket *a, struct socket *b);
int sop_listen(struct socket *sock, int backlog);
int sop_accept(struct socket *sock, struct socket *child, bool nonblock);
int sop_getname(struct socket *sock, void *addr, bool peer);
int sop_shutdown(struct socket *sock, int how);
ssize_t sop_sendmsg(struct socket *sock, struct sock_msg *msg);
ssize_t sop_recvmsg(struct socket *sock, struct sock_msg *msg);
unsigned sop_poll(struct socket *sock, struct file *file,
		  struct poll_table *pt);
int sop_setsockopt(struct socket *sock, int level, int name,
		   const void *val, int len);
int sop_getsockopt(struct socket *sock, int level, int name, void *val,
		   int *len);
long sop_ioctl(struct socket *sock, unsigned cmd, uptr_t arg);
