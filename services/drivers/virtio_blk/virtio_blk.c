/*
 * The virtio-blk driver (services/drivers/virtio_blk): each virtio 1.0
 * block device on the PCI bus becomes a disk, vda, vdb, ... (16 minors
 * each, as Linux's virtio_blk numbers them) under a dynamic major named
 * "virtblk". One request at a time on queue 0, polled for its completion
 * (no interrupt), with the data moved through the driver's own DMA
 * buffer, so the device never writes anywhere else. Features: RO,
 * FLUSH, SIZE_MAX; sectors are 512 bytes.
 *
 * The device is not trusted: a used element that names another chain,
 * claims a length the request did not offer, or comes with more of them
 * than were posted, a status that is not OK, or no answer within
 * VBLK_TIMEOUT_NS fails the request with EIO; all but a bad status give
 * the device up (it is reset and every later request fails).
 */
#include "virtio_pci.h"
#include <svc/blkdev.h>
#include <platform/heap.h>
#include <platform/printk.h>
#include <platform/time.h>
#include <aramid/compiler.h>
#include <aramid/string.h>
#include <uapi/errno.h>

#define VIRTIO_BLK_TRANSITIONAL	0x1001
#define VIRTIO_BLK_MODERN	0x1042

/* Feature bits. */
#define VIRTIO_BLK_F_SIZE_MAX	1
#define VIRTIO_BLK_F_RO		5
#define VIRTIO_BLK_F_FLUSH	9

/* struct virtio_blk_config, up to blk_size. */
#define BLKCFG_CAPACITY		0
#define BLKCFG_SIZE_MAX		8
#define BLKCFG_MIN		24

/* Request types and status values. */
#define VIRTIO_BLK_T_IN		0
#define VIRTIO_BLK_T_OUT	1
#define VIRTIO_BLK_T_FLUSH	4
#define VIRTIO_BLK_S_OK		0
#define STATUS_UNSET		0xff	/* no device writes this */

#define VBLK_MAX_DISKS		16	/* the block layer's BLK_MAX_DISKS */
#define VBLK_MINORS		16
#define VBLK_MAX_SECTORS	128	/* 64 KiB a request */
#define VBLK_QUEUE_SIZE		4	/* a request is a chain of 3 */
#define VBLK_TIMEOUT_NS		(30 * NSEC_PER_SEC)

struct vblk_req_hdr {
	uint32_t type;
	uint32_t ioprio;
	uint64_t sector;
};

struct vblk {
	struct virtio_pci dev;
	struct virtq q;
	struct vblk_req_hdr *hdr;	/* DMA memory, the device reads */
	uint8_t *status;		/* DMA memory, the device writes */
	uint8_t *data;			/* DMA memory, max_sectors sectors */
	struct svc_lock lock;
	bool dead;			/* given up: every request fails */
	struct gendisk disk;
};

/* The driver holds no state a fault could leave half-made but its
 * device's, which a restart would have to reset: not restartable yet. */
static SERVICE_DEFINE(vblk_service, "virtio_blk", false);
/* A disk's lock: one request on its queue at a time (vblk.lock). */
static LOCK_CLASS_DEFINE(vblk_class, "virtio-blk");

/* Give the device up after it broke the protocol: -EIO. */
static int vblk_give_up(struct vblk *vb, const char *why)
{
	pr_err("%s: %s: device given up", vb->disk.name, why);
	vb->dead = true;
	virtio_pci_fail(&vb->dev);
	return -EIO;
}

/*
 * Run the request whose header is filled in, with @count data sectors
 * (none for a flush), and check the device's answer: 0 or -EIO.
 */
static int vblk_run(struct vblk *vb, uint32_t count, bool device_writes)
{
	uint32_t data_len = count << SECTOR_SHIFT;
	uint32_t writable = (device_writes ? data_len : 0) + 1;
	struct vq_desc *d = vb->q.desc;
	struct vq_used_elem e;
	uint64_t deadline;

	d[0] = (struct vq_desc){ dma_addr(vb->hdr, sizeof(*vb->hdr)),
				 sizeof(*vb->hdr), VIRTQ_DESC_F_NEXT, 1 };
	d[1] = (struct vq_desc){ dma_addr(vb->data, data_len), data_len,
				 VIRTQ_DESC_F_NEXT |
				 (device_writes ? VIRTQ_DESC_F_WRITE : 0), 2 };
	d[2] = (struct vq_desc){ dma_addr(vb->status, 1), 1,
				 VIRTQ_DESC_F_WRITE, 0 };
	if (count == 0)
		d[0].next = 2;
	*vb->status = STATUS_UNSET;
	virtq_post(&vb->q, 0);
	virtq_kick(&vb->dev, &vb->q);
	deadline = clock_monotonic_ns() + VBLK_TIMEOUT_NS;
	while (virtq_used_pending(&vb->q) == 0)
		if (clock_monotonic_ns() > deadline)
			return vblk_give_up(vb, "request timed out");
	(void)mmio_read8(vb->dev.isr, 0);	/* clears the interrupt status */
	if (virtq_used_pending(&vb->q) != 1 || !virtq_next_used(&vb->q, &e))
		return vblk_give_up(vb, "more completions than requests");
	dma_mb();
	if (e.id != 0)
		return vblk_give_up(vb, "completion of an unknown request");
	if (e.len > writable || (device_writes && e.len != writable))
		return vblk_give_up(vb, "completion with a wrong length");
	if (READ_ONCE(*vb->status) != VIRTIO_BLK_S_OK) {
		pr_err("%s: I/O error, sector %llu, status %u", vb->disk.name,
		       (unsigned long long)vb->hdr->sector,
		       READ_ONCE(*vb->status));
		return -EIO;
	}
	return 0;
}

static int vblk_transfer(struct gendisk *disk, uint64_t sector,
			 uint32_t count, void *buf, bool write)
{
	struct vblk *vb = disk->priv;
	int err;

	if (count == 0 || count > disk->max_sectors ||
	    sector > disk->capacity || count > disk->capacity - sector ||
	    (write && disk->ro))
		return -EIO;
	svc_lock(&vb->lock);
	if (vb->dead) {
		err = -EIO;
		goto out_unlock;
	}
	*vb->hdr = (struct vblk_req_hdr){
		.type = write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN,
		.sector = sector,
	};
	if (write)
		memcpy(vb->data, buf, (size_t)count << SECTOR_SHIFT);
	err = vblk_run(vb, count, !write);
	if (!err && !write)
		memcpy(buf, vb->data, (size_t)count << SECTOR_SHIFT);
out_unlock:
	svc_unlock(&vb->lock);
	return err;
}

static int vblk_flush(struct gendisk *disk)
{
	struct vblk *vb = disk->priv;
	int err = -EIO;

	svc_lock(&vb->lock);
	if (!vb->dead) {
		*vb->hdr = (struct vblk_req_hdr){ .type = VIRTIO_BLK_T_FLUSH };
		err = vblk_run(vb, 0, false);
	}
	svc_unlock(&vb->lock);
	return err;
}

static const struct block_device_ops vblk_ops = {
	.svc = &vblk_service,
	.transfer = vblk_transfer,
	.flush = vblk_flush,
};

/* The capacity in sectors, read consistently (config generation). */
static uint64_t read_capacity(struct virtio_pci *v)
{
	uint32_t lo, hi;
	uint8_t gen;
	unsigned tries = 0;

	do {
		gen = virtio_pci_config_generation(v);
		lo = mmio_read32(v->device, BLKCFG_CAPACITY);
		hi = mmio_read32(v->device, BLKCFG_CAPACITY + 4);
	} while (gen != virtio_pci_config_generation(v) && ++tries < 16);
	return (uint64_t)hi << 32 | lo;
}

/* Bring up the device in vb->dev.pci as disk number @index: 0 or -errno. */
static int vblk_start(struct vblk *vb, unsigned index, unsigned major)
{
	const uint32_t want = 1u << VIRTIO_BLK_F_RO | 1u << VIRTIO_BLK_F_FLUSH |
			      1u << VIRTIO_BLK_F_SIZE_MAX;
	uint32_t got, max = VBLK_MAX_SECTORS;
	int err;

	err = virtio_pci_start(&vb->dev, BLKCFG_MIN);
	if (err)
		return err;
	err = virtio_pci_negotiate(&vb->dev, 0, want, &got);
	if (err)
		goto err_fail;
	if (got & 1u << VIRTIO_BLK_F_SIZE_MAX) {
		uint32_t size_max = mmio_read32(vb->dev.device, BLKCFG_SIZE_MAX);

		max = MIN(max, size_max >> SECTOR_SHIFT);
		err = -ENODEV;
		if (max == 0)
			goto err_fail;
	}
	err = virtq_setup(&vb->dev, &vb->q, 0, VBLK_QUEUE_SIZE);
	if (err)
		goto err_fail;
	err = -ENODEV;
	if (vb->q.size < 4)	/* room for a chain of 3 */
		goto err_free_q;
	err = -ENOMEM;
	vb->hdr = kzalloc(sizeof(*vb->hdr));
	vb->status = kzalloc(1);
	vb->data = kzalloc((size_t)max << SECTOR_SHIFT);
	if (!vb->hdr || !vb->status || !vb->data)
		goto err_free_bufs;
	vb->q.avail->flags = VIRTQ_AVAIL_F_NO_INTERRUPT;
	virtq_enable(&vb->dev, &vb->q);
	virtio_pci_set_status(&vb->dev, VIRTIO_STATUS_DRIVER_OK);

	snprintf(vb->disk.name, sizeof(vb->disk.name), "vd%c", 'a' + index);
	vb->disk.ops = &vblk_ops;
	vb->disk.major = major;
	vb->disk.first_minor = index * VBLK_MINORS;
	vb->disk.minors = VBLK_MINORS;
	vb->disk.capacity = read_capacity(&vb->dev);
	vb->disk.max_sectors = max;
	vb->disk.ro = got & 1u << VIRTIO_BLK_F_RO;
	vb->disk.can_flush = got & 1u << VIRTIO_BLK_F_FLUSH;
	vb->disk.priv = vb;
	return 0;

err_free_bufs:
	kfree(vb->hdr);
	kfree(vb->status);
	kfree(vb->data);
err_free_q:
	virtio_pci_fail(&vb->dev);	/* stop it before its rings go */
	virtq_free(&vb->q);
	return err;
err_fail:
	virtio_pci_fail(&vb->dev);
	return err;
}

static int vblk_init(void)
{
	int major = register_blkdev(0, "virtblk");
	unsigned n = 0;

	if (major < 0) {
		pr_err("virtio-blk: no block major (%d)", major);
		return major;
	}
	for (unsigned i = 0; i < VBLK_MAX_DISKS; i++) {
		struct vblk *vb = kzalloc(sizeof(*vb));
		int err;

		if (!vb)
			return -ENOMEM;
		svc_lock_init(&vb->lock, &vblk_class);
		if (virtio_pci_find(VIRTIO_BLK_TRANSITIONAL, VIRTIO_BLK_MODERN,
				    i, &vb->dev.pci)) {
			kfree(vb);
			break;
		}
		err = vblk_start(vb, n, (unsigned)major);
		if (!err)
			err = add_disk(&vb->disk);
		if (err) {
			/* The device is reset; its memory stays (it saw it). */
			virtio_pci_fail(&vb->dev);
			pr_err("virtio-blk: device %02x:%02x.%u not usable (%d)",
			       vb->dev.pci.bus, vb->dev.pci.slot,
			       vb->dev.pci.func, err);
			continue;
		}
		pr_info("%s: %llu 512-byte sectors (%llu MiB)%s%s",
			vb->disk.name, (unsigned long long)vb->disk.capacity,
			(unsigned long long)(vb->disk.capacity >> 11),
			vb->disk.ro ? ", read-only" : "",
			vb->disk.can_flush ? ", write cache" : "");
		n++;
	}
	return 0;
}
SERVICE_INIT(vblk_init);
