/*
 * Ring 1's side of the network service (kernel/net/netsvc_family.c, netd.c): the
 * families it serves, the ioctls it takes, and the thread that drives it.
 * The service's own interface is include/svc/net.h.
 */
#pragma once
#include <kernel/socket.h>
#include <svc/net.h>

/*
 * Kernel side of the ioctls and /proc/net (kernel/net/netsvc_family.c): is @cmd an
 * interface or route ioctl (for any socket), and do it.
 */
bool net_is_if_ioctl(unsigned cmd);
long net_sock_ioctl(unsigned cmd, uptr_t arg);

/*
 * The index of the interface named @name (SO_BINDTODEVICE), or -ENODEV
 * (also without a network service).
 */
int net_if_index(const char *name);

extern const struct net_family inet_family;
extern const struct net_family inet6_family;
extern const struct net_family packet_family;
extern const struct net_family netlink_family;

/* kernel/net/netd.c: start the network thread (the service is registered). */
void netd_start(void);
/* The timer tick (interrupt context): wake netd if its timer is due. */
void netd_tick(uint64_t now_ns);
