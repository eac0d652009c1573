/*
 * The network service's own interfaces between its parts (never included
 * outside services/net/):
 *   service.c  the ops table the kernel calls (include/kernel/net_service.h)
 *   netif.c    the interfaces (lo, eth0), their ioctls and /proc/net files
 *   virtio_net.c  the virtio-net PCI driver behind eth0
 *   inet*.c    AF_INET sockets over lwIP's raw API
 *   lwip_port.c   lwIP's allocator, clock, randomness and diagnostics
 */
#pragma once
#include <kernel/net_service.h>
#include <aramid/types.h>

extern struct service net_service;

/*
 * Hand frames lwIP queued on the loopback interface to lwIP's input now:
 * call after any operation that may have sent something, at the top level
 * of a socket call (never from inside an lwIP callback).
 */
void net_flush(void);

/* netif.c: bring up lo and, if there is a device, eth0 (down). */
int netif_setup(void);
/* netif.c: service the device: received frames, finished transmits. */
void netif_service(void);
int netif_ioctl(unsigned cmd, void *ifr);
int netif_conf(void *ifrs, int n);
int netif_route_ioctl(unsigned cmd, const void *rtentry);
/* netif.c: /proc/net/{dev,route,arp}: length, or -ENOENT for others. */
ssize_t netif_proc_show(const char *name, char *buf, size_t size);

/* inet.c: a new AF_INET socket (sets sock->ops and sock->priv). */
int inet_create(struct socket *sock, int type, int protocol);
/* inet*.c: /proc/net/{tcp,udp,raw}: length, or -ENOENT for others. */
ssize_t inet_proc_show(const char *name, char *buf, size_t size);
