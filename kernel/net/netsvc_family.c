/*
 * AF_INET, AF_INET6, AF_PACKET and AF_NETLINK as the kernel sees them: the
 * families whose sockets the network service implements, the interface
 * and route ioctls every socket accepts, and /proc/net's files; each
 * crosses the service boundary into the ops the service registered
 * (include/kernel/net_service.h). Without a network service (none
 * registered, or it failed), each family gives Linux's errno for a
 * family that is not there.
 */
#include "netsvc.h"
#include <kernel/task.h>
#include <platform/printk.h>
#include <platform/heap.h>
#include <platform/usercopy.h>
#include <aramid/string.h>
#include <svc/sysfacts.h>
#include <uapi/errno.h>
#include <uapi/if.h>
#include <uapi/if_packet.h>

const struct net_service_ops *net_ops;
struct svc_cap net_cap;

/* See include/svc/net.h. */
void net_service_register(const struct net_service_ops *ops)
{
	if (net_ops) {
		pr_err("net: a second network service is refused");
		return;
	}
	svc_register(ops->svc);
	net_cap = svc_mint(ops->svc);
	net_ops = ops;
	netd_start();
}


/* A socket of a family the service implements, through the boundary. */
static int net_family_create(struct socket *sock, int type, int protocol)
{
	if (!net_ops)
		return -EAFNOSUPPORT;
	sock->cap = net_cap;
	return netsvc_create(sock, sock->family, type, protocol);
}

const struct net_family inet_family = {
	.family = AF_INET,
	.create = net_family_create,
};

const struct net_family inet6_family = {
	.family = AF_INET6,
	.create = net_family_create,
};

const struct net_family packet_family = {
	.family = AF_PACKET,
	.create = net_family_create,
};

const struct net_family netlink_family = {
	.family = AF_NETLINK,
	.create = net_family_create,
};

bool net_is_if_ioctl(unsigned cmd)
{
	return cmd == SIOCADDRT || cmd == SIOCDELRT ||
	       (cmd >= SIOC_IF_FIRST && cmd <= SIOC_IF_LAST);
}


/* See include/kernel/net_service.h. */
int net_if_index(const char *name)
{
	struct ifreq ifr;
	int err;

	if (!net_ops)
		return -ENODEV;
	memset(&ifr, 0, sizeof(ifr));
	strlcpy(ifr.ifr_name, name, IFNAMSIZ);
	err = netsvc_if_ioctl(SIOCGIFINDEX, &ifr);
	return err ? err : ifr.ifr_ifindex;
}



/* See include/svc/sysfacts.h: the name by index, then the rest by name. */
int net_if_facts(int ifindex, struct net_if_facts *out)
{
	struct ifreq ifr;
	int err;

	if (!net_ops)
		return -ENODEV;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_ifindex = ifindex;
	err = netsvc_if_ioctl(SIOCGIFNAME, &ifr);
	if (err)
		return err;
	memset(out, 0, sizeof(*out));
	strlcpy(out->name, ifr.ifr_name, sizeof(out->name));
	err = netsvc_if_ioctl(SIOCGIFFLAGS, &ifr);
	if (err)
		return err;
	out->flags = (uint16_t)ifr.ifr_flags;
	err = netsvc_if_ioctl(SIOCGIFMTU, &ifr);
	if (err)
		return err;
	out->mtu = ifr.ifr_mtu;
	err = netsvc_if_ioctl(SIOCGIFTXQLEN, &ifr);
	if (err)
		return err;
	out->txqlen = ifr.ifr_qlen;
	err = netsvc_if_ioctl(SIOCGIFHWADDR, &ifr);
	if (err)
		return err;
	out->type = ifr.ifr_hwaddr.sa_family;
	memcpy(out->addr, ifr.ifr_hwaddr.sa_data, sizeof(out->addr));
	return 0;
}


/* SIOCGIFCONF: as many ifreqs as fit, ifc_len set to the bytes used. */
static long ifconf_ioctl(uptr_t arg)
{
	struct ifconf ifc;
	struct ifreq *ifrs;
	int n, total, err;

	if (copy_from_user(&ifc, arg, sizeof(ifc)))
		return -EFAULT;
	if (ifc.ifc_len < 0)
		return -EINVAL;
	n = ifc.ifc_len / (int)sizeof(struct ifreq);
	if (!ifc.ifc_buf)
		n = 0;		/* a NULL buffer asks for the length needed */
	n = MIN(n, 64);
	ifrs = kzalloc((size_t)MAX(n, 1) * sizeof(*ifrs));
	if (!ifrs)
		return -ENOMEM;
	total = netsvc_if_conf(ifrs, n);
	err = total;
	if (total < 0)
		goto out_free;
	if (ifc.ifc_buf) {
		n = MIN(n, total);
		err = -EFAULT;
		if (copy_to_user(UPTR(ifc.ifc_buf), ifrs,
				 (size_t)n * sizeof(*ifrs)))
			goto out_free;
	} else {
		n = total;
	}
	ifc.ifc_len = n * (int)sizeof(struct ifreq);
	err = copy_to_user(arg, &ifc, sizeof(ifc)) ? -EFAULT : 0;
out_free:
	kfree(ifrs);
	return err;
}

/* Does @cmd change the configuration (needs CAP_NET_ADMIN, gives EPERM)? */
static bool if_ioctl_sets(unsigned cmd)
{
	switch (cmd) {
	case SIOCSIFFLAGS: case SIOCSIFADDR: case SIOCSIFDSTADDR:
	case SIOCSIFBRDADDR: case SIOCSIFNETMASK: case SIOCSIFMETRIC:
	case SIOCSIFMTU: case SIOCSIFHWADDR: case SIOCSIFTXQLEN:
	case SIOCADDRT: case SIOCDELRT:
		return true;
	}
	return false;
}

long net_sock_ioctl(unsigned cmd, uptr_t arg)
{
	long err;

	if (!net_ops)
		return -ENOTTY;
	if (if_ioctl_sets(cmd) && current->cred.euid != 0)
		return -EPERM;
	if (cmd == SIOCGIFCONF)
		return ifconf_ioctl(arg);
	if (cmd == SIOCADDRT || cmd == SIOCDELRT) {
		struct rtentry rt;

		if (copy_from_user(&rt, arg, sizeof(rt)))
			return -EFAULT;
		return netsvc_route_ioctl(cmd, &rt);
	}
	struct ifreq ifr;

	if (copy_from_user(&ifr, arg, sizeof(ifr)))
		return -EFAULT;
	ifr.ifr_name[IFNAMSIZ - 1] = '\0';
	err = netsvc_if_ioctl(cmd, &ifr);
	if (err)
		return err;
	if (!if_ioctl_sets(cmd) && copy_to_user(arg, &ifr, sizeof(ifr)))
		return -EFAULT;
	return 0;
}


ssize_t net_proc_show(const char *name, char *buf, size_t size)
{
	if (!net_ops)
		return -ENOENT;
	return netsvc_proc_show(name, buf, size);
}
