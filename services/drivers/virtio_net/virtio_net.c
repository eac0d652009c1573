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
#include "virtio_pci.h"
#include <svc/net.h>
#include <platform/printk.h>
#include <platform/heap.h>
#include <aramid/compiler.h>
#include <aramid/string.h>
#include <uapi/errno.h>

#define VIRTIO_NET_TRANSITIONAL	0x1000
#define VIRTIO_NET_MODERN	0x1041

/* Feature bits. */
#define VIRTIO_NET_F_MAC	5
#define VIRTIO_NET_F_STATUS	16

/* struct virtio_net_config. */
#define NETCFG_MAC		0
#define NETCFG_STATUS		6
#define VIRTIO_NET_S_LINK_UP	1

#define VQ_MAX_SIZE		128
#define RX_QUEUE		0
#define TX_QUEUE		1

/* struct virtio_net_hdr with VERSION_1 (num_buffers always present). */
#define VNET_HDR_LEN		12
#define VNET_BUF_SIZE		2048	/* header + the largest frame, slack */

/* One virtqueue of the device: descriptor i always points at buffer i. */
struct vnet_queue {
	struct virtq q;
	uint8_t *bufs[VQ_MAX_SIZE];
	uint16_t free_ids[VQ_MAX_SIZE];	/* transmit: idle descriptors */
	uint16_t nfree;
};

static struct {
	struct virtio_pci dev;
	bool has_status;
	struct vnet_queue rx, tx;
	struct vnet_stats stats;
} vnet;

static void vnet_queue_free(struct vnet_queue *vq)
{
	for (unsigned i = 0; i < VQ_MAX_SIZE; i++)
		kfree(vq->bufs[i]);
	virtq_free(&vq->q);
	memset(vq, 0, sizeof(*vq));
}

/*
 * Set up queue @index with its rings and one buffer per descriptor: 0 or
 * -errno (then nothing is kept).
 */
static int vnet_queue_setup(struct vnet_queue *vq, uint16_t index,
			    bool device_writes)
{
	int err = virtq_setup(&vnet.dev, &vq->q, index, VQ_MAX_SIZE);

	if (err)
		return err;
	for (uint16_t i = 0; i < vq->q.size; i++) {
		vq->bufs[i] = kzalloc(VNET_BUF_SIZE);
		if (!vq->bufs[i]) {
			vnet_queue_free(vq);
			return -ENOMEM;
		}
		vq->q.desc[i].addr = dma_addr(vq->bufs[i], VNET_BUF_SIZE);
		vq->q.desc[i].len = VNET_BUF_SIZE;
		vq->q.desc[i].flags = device_writes ? VIRTQ_DESC_F_WRITE : 0;
	}
	return 0;
}

/* Take back the transmit buffers the device has finished with. */
static void tx_reclaim(void)
{
	struct vq_used_elem e;

	while (virtq_next_used(&vnet.tx.q, &e)) {
		if (e.id >= vnet.tx.q.size || vnet.tx.nfree >= vnet.tx.q.size) {
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
	vnet.tx.q.desc[id].len = (uint32_t)(VNET_HDR_LEN + len);
	virtq_post(&vnet.tx.q, id);
	virtq_kick(&vnet.dev, &vnet.tx.q);
	vnet.stats.tx_packets++;
	vnet.stats.tx_bytes += len;
	return 0;
}

void vnet_service(bool (*deliver)(const void *frame, size_t len))
{
	struct vq_used_elem e;
	bool posted = false;

	/* Reading the ISR status clears it and deasserts INTx. */
	(void)mmio_read8(vnet.dev.isr, 0);
	tx_reclaim();
	while (virtq_next_used(&vnet.rx.q, &e)) {
		if (e.id >= vnet.rx.q.size) {
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
		virtq_post(&vnet.rx.q, (uint16_t)e.id);
		posted = true;
	}
	if (posted)
		virtq_kick(&vnet.dev, &vnet.rx.q);
}

bool vnet_link_up(void)
{
	if (!vnet.has_status)
		return true;
	return mmio_read16(vnet.dev.device, NETCFG_STATUS) &
	       VIRTIO_NET_S_LINK_UP;
}

void vnet_get_stats(struct vnet_stats *st)
{
	*st = vnet.stats;
}

void vnet_count_rx_drop(void)
{
	vnet.stats.rx_dropped++;
}

int vnet_probe(uint8_t mac[6])
{
	const uint32_t feat_mac = 1u << VIRTIO_NET_F_MAC;
	const uint32_t feat_status = 1u << VIRTIO_NET_F_STATUS;
	struct pci_dev *pci = &vnet.dev.pci;
	uint32_t got;
	int err;

	err = virtio_pci_find(VIRTIO_NET_TRANSITIONAL, VIRTIO_NET_MODERN, 0, pci);
	if (err)
		return err;
	err = virtio_pci_start(&vnet.dev, NETCFG_STATUS + 2);
	if (err)
		goto err_log;
	err = virtio_pci_negotiate(&vnet.dev, feat_mac, feat_mac | feat_status,
				   &got);
	if (err)
		goto err_fail;
	vnet.has_status = got & feat_status;
	if (virtio_pci_num_queues(&vnet.dev) < 2) {
		err = -ENODEV;
		goto err_fail;
	}
	err = vnet_queue_setup(&vnet.rx, RX_QUEUE, true);
	if (err)
		goto err_fail;
	err = vnet_queue_setup(&vnet.tx, TX_QUEUE, false);
	if (err)
		goto err_free_rx;
	vnet.tx.q.avail->flags = VIRTQ_AVAIL_F_NO_INTERRUPT;
	for (uint16_t i = 0; i < vnet.tx.q.size; i++)
		vnet.tx.free_ids[vnet.tx.nfree++] = i;
	for (uint16_t i = 0; i < vnet.rx.q.size; i++)
		virtq_post(&vnet.rx.q, i);
	err = net_irq_attach(pci->irq_line);
	if (err)
		goto err_free_tx;
	for (unsigned i = 0; i < 6; i++)
		mac[i] = mmio_read8(vnet.dev.device, NETCFG_MAC + i);
	virtq_enable(&vnet.dev, &vnet.rx.q);
	virtq_enable(&vnet.dev, &vnet.tx.q);
	virtio_pci_set_status(&vnet.dev, VIRTIO_STATUS_DRIVER_OK);
	virtq_kick(&vnet.dev, &vnet.rx.q);
	pr_info("virtio-net: %02x:%02x:%02x:%02x:%02x:%02x, irq %u, "
		"%u rx / %u tx descriptors",
		mac[0], mac[1], mac[2], mac[3], mac[4], mac[5],
		pci->irq_line, vnet.rx.q.size, vnet.tx.q.size);
	return 0;

err_free_tx:
	vnet_queue_free(&vnet.tx);
err_free_rx:
	vnet_queue_free(&vnet.rx);
err_fail:
	virtio_pci_fail(&vnet.dev);
err_log:
	pr_err("virtio-net: device %02x:%02x.%u not usable (%d)",
	       pci->bus, pci->slot, pci->func, err);
	return err;
}
