/*
 * PCI devices (platform/pci.c): configuration space through the legacy
 * 0xcf8/0xcfc ports, the memory BARs a device decodes mapped uncached
 * into the kernel (struct mmio, accessed only through bounds-checked
 * reads and writes), buffers a device may reach by DMA, and the device's
 * legacy interrupt line. Drivers in services/ use only this interface.
 */
#pragma once
#include <aramid/types.h>

struct pci_dev {
	uint8_t bus, slot, func;
	uint16_t vendor, device;
	uint8_t irq_line;	/* the PIC line the firmware routed INTx to */
};

/*
 * The @index'th function (0, 1, ...) with @vendor and @device: 0 and
 * *@out, or -ENODEV.
 */
int pci_find(uint16_t vendor, uint16_t device, unsigned index,
	     struct pci_dev *out);

/* Configuration space (@off < 256, naturally aligned). */
uint8_t pci_cfg_read8(const struct pci_dev *d, unsigned off);
uint16_t pci_cfg_read16(const struct pci_dev *d, unsigned off);
uint32_t pci_cfg_read32(const struct pci_dev *d, unsigned off);
void pci_cfg_write8(const struct pci_dev *d, unsigned off, uint8_t v);
void pci_cfg_write16(const struct pci_dev *d, unsigned off, uint16_t v);
void pci_cfg_write32(const struct pci_dev *d, unsigned off, uint32_t v);

/* Turn on memory decoding and bus mastering (DMA) for @d. */
void pci_enable(const struct pci_dev *d);

/* A mapped memory BAR (or a window of one). */
struct mmio;

/*
 * Map @len bytes at @off in memory BAR @bar of @d, uncached: the region or
 * an ERR_PTR (-ENODEV: not a memory BAR or the window is outside it;
 * -ENOMEM). Mappings last for the life of the kernel.
 */
struct mmio *pci_map_bar(const struct pci_dev *d, int bar, uint64_t off,
			 uint64_t len);

/*
 * Device register access at byte @off of @m. An access outside the region
 * is a kernel bug: it panics (inside a service call, a contained one).
 */
uint8_t mmio_read8(const struct mmio *m, uint64_t off);
uint16_t mmio_read16(const struct mmio *m, uint64_t off);
uint32_t mmio_read32(const struct mmio *m, uint64_t off);
void mmio_write8(const struct mmio *m, uint64_t off, uint8_t v);
void mmio_write16(const struct mmio *m, uint64_t off, uint16_t v);
void mmio_write32(const struct mmio *m, uint64_t off, uint32_t v);
void mmio_write64(const struct mmio *m, uint64_t off, uint64_t v);

/*
 * The bus address of @len bytes at @p, which must lie inside one block
 * from the kernel heap (kmalloc: every heap block is physically
 * contiguous). Panics if @p is not heap memory.
 */
uint64_t dma_addr(const void *p, size_t len);
/* Order memory accesses against a device: full barrier. */
void dma_mb(void);

/*
 * Route legacy interrupt line @line (1..15, not 0, 2 or 4) to @handler,
 * called in interrupt context with the line masked at the PIC: the
 * handler's owner unmasks it (irq_unmask_line) once the device has been
 * serviced and no longer asserts it. 0, or -EBUSY / -EINVAL.
 */
int irq_attach(int line, void (*handler)(int line));
void irq_unmask_line(int line);
