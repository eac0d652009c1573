/*
 * The virtio-net driver behind eth0: a virtio 1.0 ("modern") PCI device
 * found through its vendor capabilities (common configuration, notify,
 * ISR status, device configuration), features VERSION_1, MAC and STATUS
 * and no offloads, a receive queue (0) kept full of heap buffers and a
 * transmit queue (1) with one buffer per descriptor that frames are
 * copied into. Receive interrupts arrive on the legacy INTx line, which
 * netd owns (net_irq_attach); netd then calls vnet_service through the
 * service's poll. Transmit completions are reaped without interrupts.
 */
#include "virtio_net.h"
#include <svc/net.h>
#include <platform/printk.h>
#include <platform/heap.h>
#include <platform/pci.h>
#include <aramid/compiler.h>
#include <aramid/string.h>
#include <uapi/errno.h>

#define VIRTIO_VENDOR		0x1af4
#define VIRTIO_NET_TRANSITIONAL	0x1000
#define VIRTIO_NET_MODERN	0x1041

/* PCI configuration space. */
#define PCI_STATUS		0x06
#define PCI_STATUS_CAP_LIST	0x10
#define PCI_CAP_PTR		0x34
#define PCI_CAP_VENDOR		0x09

/* struct virtio_pci_cap: where each configuration structure lives. */
#define VCAP_CFG_TYPE		3
#define VCAP_BAR		4
#define VCAP_OFFSET		8
#define VCAP_LENGTH		12
#define VCAP_NOTIFY_MULT	16	/* virtio_pci_notify_cap only */
#define VIRTIO_PCI_CAP_COMMON	1
#define VIRTIO_PCI_CAP_NOTIFY	2
#define VIRTIO_PCI_CAP_ISR	3
#define VIRTIO_PCI_CAP_DEVICE	4

/* struct virtio_pci_common_cfg. */
#define COMMON_DFSELECT		0x00
#define COMMON_DF		0x04
#define COMMON_GFSELECT		0x08
#define COMMON_GF		0x0c
#define COMMON_NUM_QUEUES	0x12
#define COMMON_STATUS		0x14
#define COMMON_Q_SELECT		0x16
#define COMMON_Q_SIZE		0x18
#define COMMON_Q_MSIX		0x1a
#define COMMON_Q_ENABLE		0x1c
#define COMMON_Q_NOFF		0x1e
#define COMMON_Q_DESC		0x20
#define COMMON_Q_AVAIL		0x28
#define COMMON_Q_USED		0x30
#define COMMON_SIZE		0x38
#define VIRTIO_MSI_NO_VECTOR	0xffff

/* Device status bits. */
#define STATUS_ACKNOWLEDGE	1
#define STATUS_DRIVER		2
#define STATUS_DRIVER_OK	4
#define STATUS_FEATURES_OK	8
#define STATUS_FAILED		128

/* Feature bits. */
#define VIRTIO_NET_F_MAC	5
#define VIRTIO_NET_F_STATUS	16
#define VIRTIO_F_VERSION_1	32

/* struct virtio_net_config. */
#define NETCFG_MAC		0
#define NETCFG_STATUS		6
#define VIRTIO_NET_S_LINK_UP	1

/* ISR status bits. */
#define ISR_QUEUE		1
#define ISR_CONFIG		2

/* Split virtqueues (virtio 1.0, 2.6). */
#define VIRTQ_DESC_F_WRITE	2
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1
#define VIRTQ_USED_F_NO_NOTIFY	1
#define VQ_MAX_SIZE		128
#define RX_QUEUE		0
#define TX_QUEUE		1

/* struct virtio_net_hdr with VERSION_1 (num_buffers always present). */
#define VNET_HDR_LEN		12
#define VNET_BUF_SIZE		2048	/* header + the largest frame, slack */

struct vq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct vq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];	/* then used_event */
};

struct vq_used_elem {
	uint32_t id;
	uint32_t len;
};

struct vq_used {
	uint16_t flags;
	uint16_t idx;
	struct vq_used_elem ring[];	/* then avail_event */
};

/* One virtqueue: descriptor i always points at buffer i. */
struct vq {
	uint16_t index;
	uint16_t size;
	uint16_t notify_off;
	uint16_t avail_idx;	/* our copy of avail->idx */
	uint16_t last_used;	/* used entries consumed so far */
	struct vq_desc *desc;
	struct vq_avail *avail;
	struct vq_used *used;
	uint8_t *bufs[VQ_MAX_SIZE];
	uint16_t free_ids[VQ_MAX_SIZE];	/* transmit: idle descriptors */
	uint16_t nfree;
};

static struct {
	struct pci_dev pci;
	struct mmio *common, *notify, *isr, *device;
	uint64_t notify_len;
	uint32_t notify_mult;
	bool has_status;
	struct vq rx, tx;
	struct vnet_stats stats;
} vnet;

/* A region of the device named by one of its virtio capabilities. */
struct vcap {
	uint8_t bar;
	uint32_t offset, length;
	unsigned cfg_off;	/* the capability in configuration space */
};

/* The first capability of @type: 0, or -ENODEV. */
static int find_vcap(const struct pci_dev *d, uint8_t type, struct vcap *out)
{
	unsigned off, hops = 0;

	if (!(pci_cfg_read16(d, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return -ENODEV;
	off = pci_cfg_read8(d, PCI_CAP_PTR) & 0xfc;
	while (off >= 0x40 && off <= 0xf0 && hops++ < 48) {
		if (pci_cfg_read8(d, off) == PCI_CAP_VENDOR &&
		    pci_cfg_read8(d, off + VCAP_CFG_TYPE) == type) {
			out->bar = pci_cfg_read8(d, off + VCAP_BAR);
			out->offset = pci_cfg_read32(d, off + VCAP_OFFSET);
			out->length = pci_cfg_read32(d, off + VCAP_LENGTH);
			out->cfg_off = off;
			return out->bar <= 5 ? 0 : -ENODEV;
		}
		off = pci_cfg_read8(d, off + 1) & 0xfc;
	}
	return -ENODEV;
}

/* Map the region of capability @type, at least @min bytes: 0 or -errno. */
static int map_vcap(uint8_t type, uint32_t min, struct mmio **out,
		    struct vcap *cap)
{
	struct mmio *m;
	int err;

	err = find_vcap(&vnet.pci, type, cap);
	if (err)
		return err;
	if (cap->length < min)
		return -ENODEV;
	m = pci_map_bar(&vnet.pci, cap->bar, cap->offset, cap->length);
	if (IS_ERR(m))
		return (int)PTR_ERR(m);
	*out = m;
	return 0;
}

static int map_device(void)
{
	struct vcap cap;
	int err;

	err = map_vcap(VIRTIO_PCI_CAP_COMMON, COMMON_SIZE, &vnet.common, &cap);
	if (err)
		return err;
	err = map_vcap(VIRTIO_PCI_CAP_NOTIFY, 2, &vnet.notify, &cap);
	if (err)
		return err;
	vnet.notify_len = cap.length;
	vnet.notify_mult = pci_cfg_read32(&vnet.pci,
					  cap.cfg_off + VCAP_NOTIFY_MULT);
	err = map_vcap(VIRTIO_PCI_CAP_ISR, 1, &vnet.isr, &cap);
	if (err)
		return err;
	return map_vcap(VIRTIO_PCI_CAP_DEVICE, NETCFG_STATUS + 2,
			&vnet.device, &cap);
}

static void set_status(uint8_t bits)
{
	uint8_t s = mmio_read8(vnet.common, COMMON_STATUS);

	mmio_write8(vnet.common, COMMON_STATUS, s | bits);
}

/* Offer what we use of the device's features: 0 or -ENODEV. */
static int negotiate(void)
{
	uint32_t lo, hi, want_lo;

	mmio_write32(vnet.common, COMMON_DFSELECT, 0);
	lo = mmio_read32(vnet.common, COMMON_DF);
	mmio_write32(vnet.common, COMMON_DFSELECT, 1);
	hi = mmio_read32(vnet.common, COMMON_DF);
	if (!(hi & 1u << (VIRTIO_F_VERSION_1 - 32)) ||
	    !(lo & 1u << VIRTIO_NET_F_MAC))
		return -ENODEV;
	want_lo = lo & (1u << VIRTIO_NET_F_MAC | 1u << VIRTIO_NET_F_STATUS);
	vnet.has_status = want_lo & 1u << VIRTIO_NET_F_STATUS;
	mmio_write32(vnet.common, COMMON_GFSELECT, 0);
	mmio_write32(vnet.common, COMMON_GF, want_lo);
	mmio_write32(vnet.common, COMMON_GFSELECT, 1);
	mmio_write32(vnet.common, COMMON_GF, 1u << (VIRTIO_F_VERSION_1 - 32));
	set_status(STATUS_FEATURES_OK);
	if (!(mmio_read8(vnet.common, COMMON_STATUS) & STATUS_FEATURES_OK))
		return -ENODEV;
	return 0;
}

static void vq_free(struct vq *q)
{
	for (unsigned i = 0; i < VQ_MAX_SIZE; i++)
		kfree(q->bufs[i]);
	kfree(q->desc);
	kfree(q->avail);
	kfree(q->used);
	memset(q, 0, sizeof(*q));
}

/*
 * Set up queue @index with its rings and one buffer per descriptor, and
 * tell the device where they are: 0 or -errno (then nothing is kept).
 */
static int vq_setup(struct vq *q, uint16_t index, bool device_writes)
{
	uint16_t max, size;

	mmio_write16(vnet.common, COMMON_Q_SELECT, index);
	max = mmio_read16(vnet.common, COMMON_Q_SIZE);
	if (max == 0 || mmio_read16(vnet.common, COMMON_Q_ENABLE))
		return -ENODEV;
	size = MIN(max, VQ_MAX_SIZE);
	if (size & (size - 1))
		return -ENODEV;		/* split rings are a power of two */
	q->index = index;
	q->size = size;
	q->notify_off = mmio_read16(vnet.common, COMMON_Q_NOFF);
	if ((uint64_t)q->notify_off * vnet.notify_mult + 2 > vnet.notify_len)
		return -ENODEV;
	q->desc = kzalloc(sizeof(struct vq_desc) * size);
	q->avail = kzalloc(sizeof(struct vq_avail) + 2u * size + 2);
	q->used = kzalloc(sizeof(struct vq_used) +
			  sizeof(struct vq_used_elem) * size + 2);
	if (!q->desc || !q->avail || !q->used)
		goto err_free;
	for (uint16_t i = 0; i < size; i++) {
		q->bufs[i] = kzalloc(VNET_BUF_SIZE);
		if (!q->bufs[i])
			goto err_free;
		q->desc[i].addr = dma_addr(q->bufs[i], VNET_BUF_SIZE);
		q->desc[i].len = VNET_BUF_SIZE;
		q->desc[i].flags = device_writes ? VIRTQ_DESC_F_WRITE : 0;
	}
	mmio_write16(vnet.common, COMMON_Q_SIZE, size);
	mmio_write16(vnet.common, COMMON_Q_MSIX, VIRTIO_MSI_NO_VECTOR);
	mmio_write64(vnet.common, COMMON_Q_DESC,
		     dma_addr(q->desc, sizeof(struct vq_desc) * size));
	mmio_write64(vnet.common, COMMON_Q_AVAIL,
		     dma_addr(q->avail, sizeof(struct vq_avail)));
	mmio_write64(vnet.common, COMMON_Q_USED,
		     dma_addr(q->used, sizeof(struct vq_used)));
	return 0;

err_free:
	vq_free(q);
	return -ENOMEM;
}

static void vq_enable(struct vq *q)
{
	mmio_write16(vnet.common, COMMON_Q_SELECT, q->index);
	mmio_write16(vnet.common, COMMON_Q_ENABLE, 1);
}

/* Make descriptor @id available to the device (published by vq_kick). */
static void vq_post(struct vq *q, uint16_t id)
{
	q->avail->ring[q->avail_idx & (q->size - 1)] = id;
	q->avail_idx++;
}

/* Publish the posted descriptors and notify the device if it asks. */
static void vq_kick(struct vq *q)
{
	dma_mb();
	WRITE_ONCE(q->avail->idx, q->avail_idx);
	dma_mb();
	if (!(READ_ONCE(q->used->flags) & VIRTQ_USED_F_NO_NOTIFY))
		mmio_write16(vnet.notify,
			     (uint64_t)q->notify_off * vnet.notify_mult,
			     q->index);
}

/* The next used element, or false when the device has returned no more. */
static bool vq_next_used(struct vq *q, struct vq_used_elem *e)
{
	if (READ_ONCE(q->used->idx) == q->last_used)
		return false;
	dma_mb();		/* the element after the index that covers it */
	*e = q->used->ring[q->last_used & (q->size - 1)];
	q->last_used++;
	return true;
}

/* Take back the transmit buffers the device has finished with. */
static void tx_reclaim(void)
{
	struct vq_used_elem e;

	while (vq_next_used(&vnet.tx, &e)) {
		if (e.id >= vnet.tx.size || vnet.tx.nfree >= vnet.tx.size) {
			vnet.stats.tx_errors++;
			continue;
		}
		vnet.tx.free_ids[vnet.tx.nfree++] = (uint16_t)e.id;
	}
}

int vnet_send(size_t len, void (*fill)(void *buf, size_t len, void *arg),
	      void *arg)
{
	uint16_t id;

	if (len > VNET_FRAME_MAX) {
		vnet.stats.tx_errors++;
		return -EMSGSIZE;
	}
	tx_reclaim();
	if (vnet.tx.nfree == 0) {
		vnet.stats.tx_dropped++;
		return -ENOBUFS;
	}
	id = vnet.tx.free_ids[--vnet.tx.nfree];
	memset(vnet.tx.bufs[id], 0, VNET_HDR_LEN);
	fill(vnet.tx.bufs[id] + VNET_HDR_LEN, len, arg);
	vnet.tx.desc[id].len = (uint32_t)(VNET_HDR_LEN + len);
	vq_post(&vnet.tx, id);
	vq_kick(&vnet.tx);
	vnet.stats.tx_packets++;
	vnet.stats.tx_bytes += len;
	return 0;
}

void vnet_service(bool (*deliver)(const void *frame, size_t len))
{
	struct vq_used_elem e;
	bool posted = false;

	/* Reading the ISR status clears it and deasserts INTx. */
	(void)mmio_read8(vnet.isr, 0);
	tx_reclaim();
	while (vq_next_used(&vnet.rx, &e)) {
		if (e.id >= vnet.rx.size) {
			vnet.stats.rx_errors++;
			continue;
		}
		if (e.len < VNET_HDR_LEN + 14 ||
		    e.len > VNET_HDR_LEN + VNET_FRAME_MAX + 4) {
			vnet.stats.rx_errors++;
		} else if (deliver(vnet.rx.bufs[e.id] + VNET_HDR_LEN,
				   e.len - VNET_HDR_LEN)) {
			vnet.stats.rx_packets++;
			vnet.stats.rx_bytes += e.len - VNET_HDR_LEN;
		}
		vq_post(&vnet.rx, (uint16_t)e.id);
		posted = true;
	}
	if (posted)
		vq_kick(&vnet.rx);
}

bool vnet_link_up(void)
{
	if (!vnet.has_status)
		return true;
	return mmio_read16(vnet.device, NETCFG_STATUS) & VIRTIO_NET_S_LINK_UP;
}

void vnet_get_stats(struct vnet_stats *st)
{
	*st = vnet.stats;
}

void vnet_count_rx_drop(void)
{
	vnet.stats.rx_dropped++;
}

/* The first virtio-net function, transitional or modern-only. */
static int find_device(struct pci_dev *d)
{
	if (pci_find(VIRTIO_VENDOR, VIRTIO_NET_TRANSITIONAL, 0, d) == 0)
		return 0;
	return pci_find(VIRTIO_VENDOR, VIRTIO_NET_MODERN, 0, d);
}

int vnet_probe(uint8_t mac[6])
{
	int err;

	err = find_device(&vnet.pci);
	if (err)
		return err;
	pci_enable(&vnet.pci);
	err = map_device();
	if (err)
		goto err_log;
	mmio_write8(vnet.common, COMMON_STATUS, 0);	/* reset */
	if (mmio_read8(vnet.common, COMMON_STATUS) != 0) {
		err = -EIO;
		goto err_log;
	}
	set_status(STATUS_ACKNOWLEDGE | STATUS_DRIVER);
	err = negotiate();
	if (err)
		goto err_fail;
	if (mmio_read16(vnet.common, COMMON_NUM_QUEUES) < 2) {
		err = -ENODEV;
		goto err_fail;
	}
	err = vq_setup(&vnet.rx, RX_QUEUE, true);
	if (err)
		goto err_fail;
	err = vq_setup(&vnet.tx, TX_QUEUE, false);
	if (err)
		goto err_free_rx;
	vnet.tx.avail->flags = VIRTQ_AVAIL_F_NO_INTERRUPT;
	for (uint16_t i = 0; i < vnet.tx.size; i++)
		vnet.tx.free_ids[vnet.tx.nfree++] = i;
	for (uint16_t i = 0; i < vnet.rx.size; i++)
		vq_post(&vnet.rx, i);
	err = net_irq_attach(vnet.pci.irq_line);
	if (err)
		goto err_free_tx;
	for (unsigned i = 0; i < 6; i++)
		mac[i] = mmio_read8(vnet.device, NETCFG_MAC + i);
	vq_enable(&vnet.rx);
	vq_enable(&vnet.tx);
	set_status(STATUS_DRIVER_OK);
	vq_kick(&vnet.rx);
	pr_info("virtio-net: %02x:%02x:%02x:%02x:%02x:%02x, irq %u, "
		"%u rx / %u tx descriptors",
		mac[0], mac[1], mac[2], mac[3], mac[4], mac[5],
		vnet.pci.irq_line, vnet.rx.size, vnet.tx.size);
	return 0;

err_free_tx:
	vq_free(&vnet.tx);
err_free_rx:
	vq_free(&vnet.rx);
err_fail:
	mmio_write8(vnet.common, COMMON_STATUS, 0);
	set_status(STATUS_FAILED);
err_log:
	pr_err("virtio-net: device %02x:%02x.%u not usable (%d)",
	       vnet.pci.bus, vnet.pci.slot, vnet.pci.func, err);
	return err;
}
