/*
 * The network side of the ring-2 API: the network service (services/net/)
 * as the kernel sees it and what it may ask of the kernel. It is
 * lwIP with the virtio-net driver. The kernel's half (kernel/net/netsvc_family.c,
 * kernel/net/netd.c) crosses the service boundary for every call:
 *
 *  - AF_INET sockets: inet_family.create calls the service's create(),
 *    which sets sock->ops to one of the service's proto_ops tables (their
 *    .svc is the network service); every later operation on the socket
 *    goes through the wrappers of kernel/net/sops.c, contained in fortress
 *    and balanced, direct calls in performance and ludicrous.
 *  - The network thread (netd): a kernel thread that calls poll() when
 *    the device interrupts (the line stays masked until poll returns) and
 *    when the timer poll() asked for is due.
 *  - Interface and route ioctls and /proc/net files, on kernel copies.
 *
 * The service runs only in process context (syscalls, netd) on one CPU
 * with a non-preemptive kernel: it needs no locks as long as it does not
 * sleep in the middle of changing its own state. It sleeps only on its
 * sockets' wait queues (wq_sleep, with -ERESTARTSYS on a signal).
 */
#pragma once
#include <svc/socket.h>
#include <svc/service.h>

/*
 * The network service's operations (include/svc/iface.h says how to read
 * the list); the kernel calls them through the wrappers of
 * kernel/net/netsvc_call.c (netsvc_<op>), which give @missing while no
 * service is registered.
 */
#define NET_SERVICE_OPS(OP, OP_VOID, OP_OWN, I)				\
	/*								\
	 * A new socket of @family (AF_INET[6], AF_PACKET, AF_NETLINK),	\
	 * @type and @protocol: set sock->ops and sock->priv, or the	\
	 * family's errno.						\
	 */								\
	OP(I, int, create, net,						\
	   (struct socket *sock, int family, int type, int protocol),	\
	   (sock, family, type, protocol), -EAFNOSUPPORT)		\
	/*								\
	 * Service the device (its interrupt is masked while this runs,	\
	 * and unmasked after) and lwIP's due timers. Returns the	\
	 * milliseconds until the next timer (then netd calls again), or \
	 * -1 for none.							\
	 */								\
	OP(I, long, poll, net, (void), (), -1)				\
	/*								\
	 * An interface ioctl (SIOCGIFFLAGS, SIOCSIFADDR, ...) on @ifr, a \
	 * kernel copy of the caller's struct ifreq (40 bytes) that is	\
	 * copied back on success. 0 or -errno (-ENODEV: no such	\
	 * interface).							\
	 */								\
	OP(I, int, if_ioctl, net, (unsigned cmd, void *ifr), (cmd, ifr), \
	   -ENODEV)							\
	/*								\
	 * SIOCGIFCONF: fill up to @n struct ifreq (name + AF_INET	\
	 * address) into @ifrs; returns how many interfaces with an	\
	 * address there are (may exceed @n: the caller copies out MIN of \
	 * the two).							\
	 */								\
	OP(I, int, if_conf, net, (void *ifrs, int n), (ifrs, n), 0)	\
	/* SIOCADDRT / SIOCDELRT with a kernel copy of struct rtentry. */ \
	OP(I, int, route_ioctl, net, (unsigned cmd, const void *rtentry), \
	   (cmd, rtentry), -ENODEV)					\
	/*								\
	 * The text of /proc/net/@name (dev, route, tcp, udp, arp, ...)	\
	 * into @buf of @size: its length (truncated at @size), or	\
	 * -ENOENT.							\
	 */								\
	OP(I, ssize_t, proc_show, net,					\
	   (const char *name, char *buf, size_t size), (name, buf, size), \
	   -ENOENT)

SVC_OPS_TYPES(NET_SERVICE_OPS, net_service_ops)

struct net_service_ops {
	struct service *svc;
	SVC_OPS_MEMBERS(NET_SERVICE_OPS, net_service_ops)
};

/* The service announces itself at boot (from its init function). */
void net_service_register(const struct net_service_ops *ops);

/*
 * The device's interrupt line @line goes to netd: on an interrupt the line
 * is masked and netd calls poll(), then unmasks it. 0 or -errno.
 */
int net_irq_attach(int line);

/*
 * The service has a timer due in @ms milliseconds (-1: none): netd polls
 * then at the latest. For socket calls that start lwIP timers.
 */
void net_timer_arm(long ms);
