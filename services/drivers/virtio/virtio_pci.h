/*
 * The virtio 1.0 ("modern") PCI transport and split virtqueues, shared by
 * the virtio drivers (virtio_net, virtio_blk): finding a function, mapping
 * the regions its vendor capabilities name (common configuration, notify,
 * ISR status, device configuration), the status handshake, feature
 * negotiation, and queues whose rings live in heap memory. Each driver
 * keeps its own state; nothing here is global. Process context; the
 * caller serialises the calls on one device.
 */
#pragma once
#include <platform/pci.h>
#include <aramid/types.h>

#define VIRTIO_VENDOR		0x1af4

/* Device status bits. */
#define VIRTIO_STATUS_ACKNOWLEDGE	1
#define VIRTIO_STATUS_DRIVER		2
#define VIRTIO_STATUS_DRIVER_OK		4
#define VIRTIO_STATUS_FEATURES_OK	8
#define VIRTIO_STATUS_FAILED		128

/* Descriptor and ring flags. */
#define VIRTQ_DESC_F_NEXT	1
#define VIRTQ_DESC_F_WRITE	2
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1
#define VIRTQ_USED_F_NO_NOTIFY	1

struct virtio_pci {
	struct pci_dev pci;
	struct mmio *common, *notify, *isr, *device;
	uint64_t notify_len;
	uint32_t notify_mult;
};

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

/* One split virtqueue; what its descriptors point at is the driver's. */
struct virtq {
	uint16_t index;
	uint16_t size;		/* a power of two */
	uint16_t notify_off;
	uint16_t avail_idx;	/* our copy of avail->idx */
	uint16_t last_used;	/* used entries consumed so far */
	struct vq_desc *desc;
	struct vq_avail *avail;
	struct vq_used *used;
};

/*
 * The @index'th function (0, 1, ...) with the transitional device id
 * @transitional or, after all of those, the modern-only id @modern:
 * 0 and *@out, or -ENODEV.
 */
int virtio_pci_find(uint16_t transitional, uint16_t modern, unsigned index,
		    struct pci_dev *out);

/*
 * Enable @v->pci (set by virtio_pci_find), map its four regions (the
 * device configuration at least @device_cfg_min bytes), reset it and set
 * ACKNOWLEDGE and DRIVER: 0, or -ENODEV / -ENOMEM / -EIO (the device did
 * not reset).
 */
int virtio_pci_start(struct virtio_pci *v, uint32_t device_cfg_min);

/*
 * Accept VERSION_1 and those of the device's low 32 feature bits that are
 * in @want, and set FEATURES_OK: 0 and the accepted bits in *@got, or
 * -ENODEV when the device lacks VERSION_1 or a bit of @need (which must
 * be inside @want) or refuses the set.
 */
int virtio_pci_negotiate(struct virtio_pci *v, uint32_t need, uint32_t want,
			 uint32_t *got);

/* OR @bits into the device status. */
void virtio_pci_set_status(struct virtio_pci *v, uint8_t bits);

/* Reset the device and mark it FAILED (given up); nothing if unmapped. */
void virtio_pci_fail(struct virtio_pci *v);

/* How many queues the device has. */
uint16_t virtio_pci_num_queues(struct virtio_pci *v);

/* The device configuration generation (changes when the device's does). */
uint8_t virtio_pci_config_generation(struct virtio_pci *v);

/*
 * Set up queue @index with at most @max_size entries (a power of two),
 * its rings zeroed heap memory, and tell the device where they are:
 * 0, or -ENODEV / -ENOMEM (then nothing is kept).
 */
int virtq_setup(struct virtio_pci *v, struct virtq *q, uint16_t index,
		uint16_t max_size);
/* Free @q's rings (after a reset, or before the device ever saw them). */
void virtq_free(struct virtq *q);
/* Let the device use @q (after DRIVER_OK's prerequisites). */
void virtq_enable(struct virtio_pci *v, struct virtq *q);
/* Make the chain headed by descriptor @id available (see virtq_kick). */
void virtq_post(struct virtq *q, uint16_t id);
/* Publish the posted chains and notify the device unless it declines. */
void virtq_kick(struct virtio_pci *v, struct virtq *q);
/*
 * The next used element into *@e, or false when the device has returned
 * no more. The element is the device's word: the caller validates it.
 */
bool virtq_next_used(struct virtq *q, struct vq_used_elem *e);
/* How many used elements the device claims to have returned unread. */
uint16_t virtq_used_pending(const struct virtq *q);
