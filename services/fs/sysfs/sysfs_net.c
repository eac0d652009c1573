/*
 * Network interfaces in sysfs, from the network service's facts
 * (net_if_facts): /sys/class/net/<name> links to the device directory,
 * devices/virtual/net/<name> for the loopback interface and, for the
 * Ethernet interface, the virtio-net PCI function the driver binds (the
 * first virtio-net function, as services/drivers/virtio_net probes it),
 * devices/pci0000:00/0000:BB:SS.F/virtio0/net/<name>. Each holds the
 * attributes Linux 6.1 shows that the facts cover.
 */
#include "sysfs.h"
#include <aramid/string.h>
#include <platform/pci.h>
#include <uapi/errno.h>
#include <uapi/if.h>

#define NET_IF_MAX		64	/* interface indexes looked at */
#define VIRTIO_VENDOR		0x1af4
#define VIRTIO_NET_LEGACY	0x1000
#define VIRTIO_NET_MODERN	0x1041

/* The NIC's PCI function: 0 and *@d, or -ENODEV. */
static int nic_pci(struct pci_dev *d)
{
	if (!pci_find(VIRTIO_VENDOR, VIRTIO_NET_LEGACY, 0, d))
		return 0;
	return pci_find(VIRTIO_VENDOR, VIRTIO_NET_MODERN, 0, d);
}

/* Which interfaces a family lists. */
enum if_kind { IF_ANY, IF_LOOPBACK, IF_PCI };

/* The lowest index at least @from of an interface of @kind, or -1. */
static int if_next(int from, enum if_kind kind)
{
	struct net_if_facts f;
	struct pci_dev d;

	for (int i = from < 1 ? 1 : from; i <= NET_IF_MAX; i++) {
		if (net_if_facts(i, &f))
			continue;
		if (kind == IF_ANY ||
		    (kind == IF_LOOPBACK && f.type == ARPHRD_LOOPBACK) ||
		    (kind == IF_PCI && f.type != ARPHRD_LOOPBACK &&
		     !nic_pci(&d)))
			return i;
	}
	return -1;
}

static int if_name(int index, char *buf, size_t len)
{
	struct net_if_facts f;
	int err = net_if_facts(index, &f);

	if (!err)
		snprintf(buf, len, "%s", f.name);
	return err;
}

static int any_if_next(int parent, int from)
{
	return if_next(from, IF_ANY);
}

static int loopback_next(int parent, int from)
{
	return if_next(from, IF_LOOPBACK);
}

static int pci_if_next(int parent, int from)
{
	return if_next(from, IF_PCI);
}

/* Below a PCI function's directory: its own interface. */
static int own_if_next(int parent, int from)
{
	return from <= parent ? parent : -1;
}

/* The "0000:00:03.0" name of the NIC's PCI function. */
static int pci_name(int index, char *buf, size_t len)
{
	struct pci_dev d;
	int err = nic_pci(&d);

	if (!err)
		snprintf(buf, len, "0000:%02x:%02x.%x", d.bus, d.slot, d.func);
	return err;
}

/* /sys/class/net/<name>: to the device directory, relative. */
static int class_link(int index, char *buf, size_t len)
{
	struct net_if_facts f;
	char pci[16];
	int err = net_if_facts(index, &f);

	if (err)
		return err;
	if (f.type == ARPHRD_LOOPBACK) {
		snprintf(buf, len, "../../devices/virtual/net/%s", f.name);
		return 0;
	}
	err = pci_name(index, pci, sizeof(pci));
	if (!err)
		snprintf(buf, len, "../../devices/pci0000:00/%s/virtio0/net/%s",
			 pci, f.name);
	return err;
}

/* The attributes of an interface directory. */
enum if_attr {
	IF_ADDR_LEN, IF_ADDRESS, IF_BROADCAST, IF_CARRIER, IF_FLAGS,
	IF_IFINDEX, IF_MTU, IF_OPERSTATE, IF_TX_QUEUE_LEN, IF_TYPE,
};

static void hwaddr_print(struct sysfs_out *o, const uint8_t *a)
{
	so_printf(o, "%02x:%02x:%02x:%02x:%02x:%02x\n", a[0], a[1], a[2], a[3],
		  a[4], a[5]);
}

/*
 * RFC 2863 state as Linux reports it: down while administratively down,
 * "unknown" for loopback (which never sets one), else by the carrier.
 */
static const char *operstate(const struct net_if_facts *f)
{
	if (!(f->flags & IFF_UP))
		return "down";
	if (f->type == ARPHRD_LOOPBACK)
		return "unknown";
	return f->flags & IFF_RUNNING ? "up" : "down";
}

/* Attribute @a of interface @index, as Linux's net-sysfs.c prints it. */
static int if_attr_show(struct sysfs_out *o, int index, enum if_attr a)
{
	static const uint8_t all_ones[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t zeros[6];
	struct net_if_facts f;
	int err = net_if_facts(index, &f);

	if (err)
		return err;
	switch (a) {
	case IF_ADDR_LEN:
		so_printf(o, "%d\n", (int)sizeof(f.addr));
		break;
	case IF_ADDRESS:
		hwaddr_print(o, f.addr);
		break;
	case IF_BROADCAST:	/* loopback has none: zeros */
		hwaddr_print(o, f.type == ARPHRD_ETHER ? all_ones : zeros);
		break;
	case IF_CARRIER:	/* EINVAL while down, as carrier_show */
		if (!(f.flags & IFF_UP))
			return -EINVAL;
		so_printf(o, "%d\n", !!(f.flags & IFF_RUNNING));
		break;
	case IF_FLAGS:		/* dev->flags: no IFF_RUNNING, SIOCGIFFLAGS adds it */
		so_printf(o, "0x%x\n", f.flags & ~(unsigned)IFF_RUNNING);
		break;
	case IF_IFINDEX:	/* ifindex and iflink: its own link */
		so_printf(o, "%d\n", index);
		break;
	case IF_MTU:
		so_printf(o, "%d\n", f.mtu);
		break;
	case IF_OPERSTATE:
		so_printf(o, "%s\n", operstate(&f));
		break;
	case IF_TX_QUEUE_LEN:
		so_printf(o, "%d\n", f.txqlen);
		break;
	case IF_TYPE:
		so_printf(o, "%u\n", f.type);
		break;
	}
	return 0;
}

#define IF_ATTR(var, n, a)						\
	static int var##_show(struct sysfs_out *o, int index)		\
	{								\
		return if_attr_show(o, index, a);			\
	}								\
	static const struct sysfs_entry var = SYSFS_RO(n, var##_show)

IF_ATTR(addr_len, "addr_len", IF_ADDR_LEN);
IF_ATTR(address, "address", IF_ADDRESS);
IF_ATTR(broadcast, "broadcast", IF_BROADCAST);
IF_ATTR(carrier, "carrier", IF_CARRIER);
IF_ATTR(flags, "flags", IF_FLAGS);
IF_ATTR(ifindex, "ifindex", IF_IFINDEX);
IF_ATTR(iflink, "iflink", IF_IFINDEX);
IF_ATTR(mtu, "mtu", IF_MTU);
IF_ATTR(operstate_attr, "operstate", IF_OPERSTATE);
IF_ATTR(tx_queue_len, "tx_queue_len", IF_TX_QUEUE_LEN);
IF_ATTR(type, "type", IF_TYPE);

/* Shared by both device directories: files only (see sysfs.h). */
static const struct sysfs_entry *const if_attrs[] = {
	&addr_len, &address, &broadcast, &carrier, &flags, &ifindex, &iflink,
	&mtu, &operstate_attr, &tx_queue_len, &type, NULL,
};

static const struct sysfs_entry class_net_link = {
	.mode = S_IFLNK | 0777, .link = class_link,
	.next = any_if_next, .name_of = if_name,
};

const struct sysfs_entry sysfs_class_net_dir =
	SYSFS_DIR("net", .family = &class_net_link);

static const struct sysfs_entry virtual_if = SYSFS_DIR(NULL,
	.children = if_attrs, .next = loopback_next, .name_of = if_name);

const struct sysfs_entry sysfs_virtual_net_dir =
	SYSFS_DIR("net", .family = &virtual_if);

static const struct sysfs_entry pci_if = SYSFS_DIR(NULL,
	.children = if_attrs, .next = own_if_next, .name_of = if_name,
	.parent_keeps_index = true);
static const struct sysfs_entry pci_net_dir =
	SYSFS_DIR("net", .family = &pci_if);
static const struct sysfs_entry virtio_dir =
	SYSFS_DIR("virtio0", SYSFS_CHILDREN(&pci_net_dir));
static const struct sysfs_entry pci_function = SYSFS_DIR(NULL,
	SYSFS_CHILDREN(&virtio_dir), .next = pci_if_next,
	.name_of = pci_name);

const struct sysfs_entry sysfs_pci_root_dir =
	SYSFS_DIR("pci0000:00", .family = &pci_function);
