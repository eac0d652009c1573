/*
 * The virtio 1.0 PCI transport and split virtqueues (virtio 1.0, 4.1 and
 * 2.6) that the virtio drivers share: see virtio_pci.h.
 */
#include "virtio_pci.h"
#include <platform/heap.h>
#include <aramid/compiler.h>
#include <aramid/string.h>
#include <uapi/errno.h>

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
#define COMMON_CFG_GENERATION	0x15
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

#define VIRTIO_F_VERSION_1	32

int virtio_pci_find(uint16_t transitional, uint16_t modern, unsigned index,
		    struct pci_dev *out)
{
	unsigned n = 0;

	while (pci_find(VIRTIO_VENDOR, transitional, n, out) == 0) {
		if (n == index)
			return 0;
		n++;
	}
	return pci_find(VIRTIO_VENDOR, modern, index - n, out);
}

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
static int map_vcap(struct virtio_pci *v, uint8_t type, uint32_t min,
		    struct mmio **out, struct vcap *cap)
{
	struct mmio *m;
	int err;

	err = find_vcap(&v->pci, type, cap);
	if (err)
		return err;
	if (cap->length < min)
		return -ENODEV;
	m = pci_map_bar(&v->pci, cap->bar, cap->offset, cap->length);
	if (IS_ERR(m))
		return (int)PTR_ERR(m);
	*out = m;
	return 0;
}

static int map_device(struct virtio_pci *v, uint32_t device_cfg_min)
{
	struct vcap cap;
	int err;

	err = map_vcap(v, VIRTIO_PCI_CAP_COMMON, COMMON_SIZE, &v->common, &cap);
	if (err)
		return err;
	err = map_vcap(v, VIRTIO_PCI_CAP_NOTIFY, 2, &v->notify, &cap);
	if (err)
		return err;
	v->notify_len = cap.length;
	v->notify_mult = pci_cfg_read32(&v->pci, cap.cfg_off + VCAP_NOTIFY_MULT);
	err = map_vcap(v, VIRTIO_PCI_CAP_ISR, 1, &v->isr, &cap);
	if (err)
		return err;
	return map_vcap(v, VIRTIO_PCI_CAP_DEVICE, device_cfg_min, &v->device,
			&cap);
}

void virtio_pci_set_status(struct virtio_pci *v, uint8_t bits)
{
	uint8_t s = mmio_read8(v->common, COMMON_STATUS);

	mmio_write8(v->common, COMMON_STATUS, s | bits);
}

int virtio_pci_start(struct virtio_pci *v, uint32_t device_cfg_min)
{
	int err;

	pci_enable(&v->pci);
	err = map_device(v, device_cfg_min);
	if (err)
		return err;
	mmio_write8(v->common, COMMON_STATUS, 0);	/* reset */
	if (mmio_read8(v->common, COMMON_STATUS) != 0)
		return -EIO;
	virtio_pci_set_status(v, VIRTIO_STATUS_ACKNOWLEDGE |
			      VIRTIO_STATUS_DRIVER);
	return 0;
}

int virtio_pci_negotiate(struct virtio_pci *v, uint32_t need, uint32_t want,
			 uint32_t *got)
{
	uint32_t lo, hi;

	mmio_write32(v->common, COMMON_DFSELECT, 0);
	lo = mmio_read32(v->common, COMMON_DF);
	mmio_write32(v->common, COMMON_DFSELECT, 1);
	hi = mmio_read32(v->common, COMMON_DF);
	if (!(hi & 1u << (VIRTIO_F_VERSION_1 - 32)) || (lo & need) != need)
		return -ENODEV;
	*got = lo & want;
	mmio_write32(v->common, COMMON_GFSELECT, 0);
	mmio_write32(v->common, COMMON_GF, *got);
	mmio_write32(v->common, COMMON_GFSELECT, 1);
	mmio_write32(v->common, COMMON_GF, 1u << (VIRTIO_F_VERSION_1 - 32));
	virtio_pci_set_status(v, VIRTIO_STATUS_FEATURES_OK);
	if (!(mmio_read8(v->common, COMMON_STATUS) & VIRTIO_STATUS_FEATURES_OK))
		return -ENODEV;
	return 0;
}

void virtio_pci_fail(struct virtio_pci *v)
{
	if (!v->common)
		return;		/* never mapped: nothing to reset */
	mmio_write8(v->common, COMMON_STATUS, 0);
	virtio_pci_set_status(v, VIRTIO_STATUS_FAILED);
}

uint16_t virtio_pci_num_queues(struct virtio_pci *v)
{
	return mmio_read16(v->common, COMMON_NUM_QUEUES);
}

uint8_t virtio_pci_config_generation(struct virtio_pci *v)
{
	return mmio_read8(v->common, COMMON_CFG_GENERATION);
}

void virtq_free(struct virtq *q)
{
	kfree(q->desc);
	kfree(q->avail);
	kfree(q->used);
	memset(q, 0, sizeof(*q));
}

int virtq_setup(struct virtio_pci *v, struct virtq *q, uint16_t index,
		uint16_t max_size)
{
	uint16_t max, size;

	mmio_write16(v->common, COMMON_Q_SELECT, index);
	max = mmio_read16(v->common, COMMON_Q_SIZE);
	if (max == 0 || mmio_read16(v->common, COMMON_Q_ENABLE))
		return -ENODEV;
	size = MIN(max, max_size);
	if (size & (size - 1))
		return -ENODEV;		/* split rings are a power of two */
	q->index = index;
	q->size = size;
	q->notify_off = mmio_read16(v->common, COMMON_Q_NOFF);
	if ((uint64_t)q->notify_off * v->notify_mult + 2 > v->notify_len)
		return -ENODEV;
	q->desc = kzalloc(sizeof(struct vq_desc) * size);
	q->avail = kzalloc(sizeof(struct vq_avail) + 2u * size + 2);
	q->used = kzalloc(sizeof(struct vq_used) +
			  sizeof(struct vq_used_elem) * size + 2);
	if (!q->desc || !q->avail || !q->used) {
		virtq_free(q);
		return -ENOMEM;
	}
	mmio_write16(v->common, COMMON_Q_SIZE, size);
	mmio_write16(v->common, COMMON_Q_MSIX, VIRTIO_MSI_NO_VECTOR);
	mmio_write64(v->common, COMMON_Q_DESC,
		     dma_addr(q->desc, sizeof(struct vq_desc) * size));
	mmio_write64(v->common, COMMON_Q_AVAIL,
		     dma_addr(q->avail, sizeof(struct vq_avail)));
	mmio_write64(v->common, COMMON_Q_USED,
		     dma_addr(q->used, sizeof(struct vq_used)));
	return 0;
}

void virtq_enable(struct virtio_pci *v, struct virtq *q)
{
	mmio_write16(v->common, COMMON_Q_SELECT, q->index);
	mmio_write16(v->common, COMMON_Q_ENABLE, 1);
}

void virtq_post(struct virtq *q, uint16_t id)
{
	q->avail->ring[q->avail_idx & (q->size - 1)] = id;
	q->avail_idx++;
}

void virtq_kick(struct virtio_pci *v, struct virtq *q)
{
	dma_mb();
	WRITE_ONCE(q->avail->idx, q->avail_idx);
	dma_mb();
	if (!(READ_ONCE(q->used->flags) & VIRTQ_USED_F_NO_NOTIFY))
		mmio_write16(v->notify, (uint64_t)q->notify_off * v->notify_mult,
			     q->index);
}

uint16_t virtq_used_pending(const struct virtq *q)
{
	return (uint16_t)(READ_ONCE(q->used->idx) - q->last_used);
}

bool virtq_next_used(struct virtq *q, struct vq_used_elem *e)
{
	if (READ_ONCE(q->used->idx) == q->last_used)
		return false;
	dma_mb();		/* the element after the index that covers it */
	*e = q->used->ring[q->last_used & (q->size - 1)];
	q->last_used++;
	return true;
}
