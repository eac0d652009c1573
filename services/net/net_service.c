/*
 * The network service's face to the kernel: its registration and the ops
 * table of include/svc/net.h, each entry handing over to the
 * part of the service that owns the job. lwIP runs without threads: the
 * kernel's network thread calls net_svc_poll for device events and
 * timers, socket calls come in through the AF_INET, AF_PACKET and
 * AF_NETLINK proto_ops.
 */
#include "net.h"
#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/timeouts.h"
#include <uapi/errno.h>
#include <uapi/if_packet.h>

/* A fault leaves lwIP's state half-changed: the service is then failed. */
SERVICE_DEFINE(net_service, "net", false);

/* lwIP's next timeout in ms for the kernel's netd, -1 for none. */
static long next_timeout_ms(void)
{
	u32_t sleep = sys_timeouts_sleeptime();

	return sleep == SYS_TIMEOUTS_SLEEPTIME_INFINITE ? -1 : (long)sleep;
}

/* Frames still queued on some interface's loopback queue? */
static bool loop_pending(void)
{
	struct netif *n;

	NETIF_FOREACH(n) {
		if (n->loop_first)
			return true;
	}
	return false;
}

/*
 * Deliver looped-back frames until none is left: an answer to one (an
 * ACK, an ICMP error) is queued again while the batch is delivered. The
 * bound stops a pair of sockets that answer each other forever.
 */
static void loop_drain(void)
{
	for (int round = 0; round < 16 && loop_pending(); round++)
		netif_poll_all();
}

void net_flush(void)
{
	loop_drain();
	net_timer_arm(next_timeout_ms());
}

static int net_svc_create(struct socket *sock, int family, int type, int protocol)
{
	if (family == AF_PACKET)
		return packet_create(sock, type, protocol);
	if (family == AF_NETLINK)
		return netlink_create(sock, type, protocol);
	if (family == AF_INET || family == AF_INET6)
		return inet_create(sock, family, type, protocol);
	return -EAFNOSUPPORT;
}

static long net_svc_poll(void)
{
	netif_service();
	loop_drain();
	sys_check_timeouts();
	loop_drain();
	if (loop_pending())
		return 0;	/* more next time round */
	return next_timeout_ms();
}

static int net_svc_if_ioctl(unsigned cmd, void *ifr)
{
	return netif_ioctl(cmd, ifr);
}

static int net_svc_if_conf(void *ifrs, int n)
{
	return netif_conf(ifrs, n);
}

static int net_svc_route_ioctl(unsigned cmd, const void *rtentry)
{
	return netif_route_ioctl(cmd, rtentry);
}

static ssize_t net_svc_proc_show(const char *name, char *buf, size_t size)
{
	ssize_t n = netif_proc_show(name, buf, size);

	return n == -ENOENT ? inet_proc_show(name, buf, size) : n;
}

static const struct net_service_ops net_ops = {
	.svc = &net_service,
	.create = net_svc_create,
	.poll = net_svc_poll,
	.if_ioctl = net_svc_if_ioctl,
	.if_conf = net_svc_if_conf,
	.route_ioctl = net_svc_route_ioctl,
	.proc_show = net_svc_proc_show,
};

static int net_init(void)
{
	int err;

	lwip_init();
	err = netif_setup();
	if (err)
		return err;
	net_service_register(&net_ops);
	return 0;
}
SERVICE_INIT(net_init);
