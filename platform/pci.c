/*
 * PCI for drivers (include/platform/pci.h): configuration space through
 * the legacy 0xcf8/0xcfc mechanism, memory BARs mapped uncached into
 * MMIO_AREA and reached only through bounds-checked accessors, the bus
 * address of heap memory for DMA, and legacy interrupt lines handed to a
 * driver's owner with the line masked.
 */
#include <platform/pci.h>
#include <platform/panic.h>
#include <platform/heap.h>
#include <platform/frame.h>
#include <platform/cpu.h>
#include <uapi/errno.h>
#include "x86.h"
#include "frame_internal.h"

#define PCI_ADDR	0xcf8
#define PCI_DATA	0xcfc
#define PCI_VENDOR	0x00
#define PCI_COMMAND	0x04
#define PCI_HEADER	0x0e
#define PCI_BAR0	0x10
#define PCI_IRQ_LINE	0x3c
#define CMD_MEMORY	(1 << 1)
#define CMD_MASTER	(1 << 2)
#define CMD_INTX_OFF	(1 << 10)
#define BAR_IO		0x1
#define BAR_TYPE_64	0x4
#define MMIO_AREA_SIZE	(1UL << 30)	/* what one kernel lifetime may map */

struct mmio {
	uintptr_t va;
	uint64_t len;
};

static uint32_t cfg_addr(const struct pci_dev *d, unsigned off)
{
	if (off >= 256)
		panic("pci_cfg: offset %#x out of configuration space", off);
	return 0x80000000u | (uint32_t)d->bus << 16 | (uint32_t)d->slot << 11 |
	       (uint32_t)d->func << 8 | (off & 0xfc);
}

uint32_t pci_cfg_read32(const struct pci_dev *d, unsigned off)
{
	irqflags_t fl = irq_save();
	uint32_t v;

	outl(PCI_ADDR, cfg_addr(d, off));
	v = inl(PCI_DATA);
	irq_restore(fl);
	return v;
}

uint16_t pci_cfg_read16(const struct pci_dev *d, unsigned off)
{
	return (uint16_t)(pci_cfg_read32(d, off & ~3u) >> ((off & 2) * 8));
}

uint8_t pci_cfg_read8(const struct pci_dev *d, unsigned off)
{
	return (uint8_t)(pci_cfg_read32(d, off & ~3u) >> ((off & 3) * 8));
}

void pci_cfg_write32(const struct pci_dev *d, unsigned off, uint32_t v)
{
	irqflags_t fl = irq_save();

	outl(PCI_ADDR, cfg_addr(d, off));
	outl(PCI_DATA, v);
	irq_restore(fl);
}

/* A narrow write as a read-modify-write of its dword. */
static void cfg_write_part(const struct pci_dev *d, unsigned off,
			   uint32_t v, uint32_t mask)
{
	unsigned shift = (off & 3) * 8;
	uint32_t old = pci_cfg_read32(d, off & ~3u);

	pci_cfg_write32(d, off & ~3u, (old & ~(mask << shift)) | v << shift);
}

void pci_cfg_write16(const struct pci_dev *d, unsigned off, uint16_t v)
{
	cfg_write_part(d, off, v, 0xffff);
}

void pci_cfg_write8(const struct pci_dev *d, unsigned off, uint8_t v)
{
	cfg_write_part(d, off, v, 0xff);
}

int pci_find(uint16_t vendor, uint16_t device, unsigned index,
	     struct pci_dev *out)
{
	for (unsigned bus = 0; bus < 256; bus++) {
		for (unsigned slot = 0; slot < 32; slot++) {
			for (unsigned func = 0; func < 8; func++) {
				struct pci_dev d = { bus, slot, func, 0, 0, 0 };
				uint32_t id = pci_cfg_read32(&d, PCI_VENDOR);

				if ((id & 0xffff) == 0xffff) {
					if (func == 0)
						break;
					continue;
				}
				if ((id & 0xffff) == vendor && id >> 16 == device &&
				    index-- == 0) {
					d.vendor = vendor;
					d.device = device;
					d.irq_line = pci_cfg_read8(&d, PCI_IRQ_LINE);
					*out = d;
					return 0;
				}
				if (func == 0 &&
				    !(pci_cfg_read8(&d, PCI_HEADER) & 0x80))
					break;	/* single-function device */
			}
		}
	}
	return -ENODEV;
}

void pci_enable(const struct pci_dev *d)
{
	uint16_t cmd = pci_cfg_read16(d, PCI_COMMAND);

	cmd |= CMD_MEMORY | CMD_MASTER;
	cmd &= (uint16_t)~CMD_INTX_OFF;
	pci_cfg_write16(d, PCI_COMMAND, cmd);
}

/* The physical base of memory BAR @bar: 0 if it is none (or I/O). */
static uint64_t bar_base(const struct pci_dev *d, int bar)
{
	uint32_t lo = pci_cfg_read32(d, PCI_BAR0 + 4 * bar);
	uint64_t base = lo & ~0xfu;

	if (lo & BAR_IO)
		return 0;
	if (lo & BAR_TYPE_64) {
		if (bar >= 5)
			return 0;
		base |= (uint64_t)pci_cfg_read32(d, PCI_BAR0 + 4 * (bar + 1)) << 32;
	}
	return base;
}

/* The size of memory BAR @bar, by the all-ones probe (decoding off). */
static uint64_t bar_size(const struct pci_dev *d, int bar)
{
	unsigned off = PCI_BAR0 + 4 * bar;
	uint16_t cmd = pci_cfg_read16(d, PCI_COMMAND);
	uint32_t lo = pci_cfg_read32(d, off), hi = 0, szlo, szhi = 0xffffffff;
	bool is64 = lo & BAR_TYPE_64;

	pci_cfg_write16(d, PCI_COMMAND, cmd & (uint16_t)~CMD_MEMORY);
	pci_cfg_write32(d, off, 0xffffffff);
	szlo = pci_cfg_read32(d, off) & ~0xfu;
	pci_cfg_write32(d, off, lo);
	if (is64) {
		hi = pci_cfg_read32(d, off + 4);
		pci_cfg_write32(d, off + 4, 0xffffffff);
		szhi = pci_cfg_read32(d, off + 4);
		pci_cfg_write32(d, off + 4, hi);
	}
	pci_cfg_write16(d, PCI_COMMAND, cmd);
	uint64_t mask = (uint64_t)szhi << 32 | szlo;

	return mask ? ~mask + 1 : 0;
}

struct mmio *pci_map_bar(const struct pci_dev *d, int bar, uint64_t off,
			 uint64_t len)
{
	static uintptr_t next_va = MMIO_AREA;
	uint64_t base, size, page_off, map_len;
	struct mmio *m;

	if (bar < 0 || bar > 5)
		return ERR_PTR(-ENODEV);
	base = bar_base(d, bar);
	size = bar_size(d, bar);
	if (!base || !len || off > size || len > size - off)
		return ERR_PTR(-ENODEV);
	page_off = (base + off) & (PAGE_SIZE - 1);
	map_len = ALIGN_UP(page_off + len, PAGE_SIZE);
	if (next_va + map_len > MMIO_AREA + MMIO_AREA_SIZE)
		return ERR_PTR(-ENOMEM);
	m = kmalloc(sizeof(*m));
	if (!m)
		return ERR_PTR(-ENOMEM);
	if (kernel_map_mmio(next_va, base + off - page_off, map_len)) {
		kfree(m);
		return ERR_PTR(-ENOMEM);
	}
	m->va = next_va + page_off;
	m->len = len;
	next_va += map_len;
	return m;
}

/* The register at @off of width @w, checked against the region. */
static uintptr_t reg(const struct mmio *m, uint64_t off, unsigned w)
{
	if (off > m->len || w > m->len - off || (off & (w - 1)))
		panic("mmio: access of %u bytes at %#lx outside a %#lx-byte region",
		      w, (unsigned long)off, (unsigned long)m->len);
	return m->va + off;
}

uint8_t mmio_read8(const struct mmio *m, uint64_t off)
{
	return *(volatile uint8_t *)reg(m, off, 1);
}

uint16_t mmio_read16(const struct mmio *m, uint64_t off)
{
	return *(volatile uint16_t *)reg(m, off, 2);
}

uint32_t mmio_read32(const struct mmio *m, uint64_t off)
{
	return *(volatile uint32_t *)reg(m, off, 4);
}

void mmio_write8(const struct mmio *m, uint64_t off, uint8_t v)
{
	*(volatile uint8_t *)reg(m, off, 1) = v;
}

void mmio_write16(const struct mmio *m, uint64_t off, uint16_t v)
{
	*(volatile uint16_t *)reg(m, off, 2) = v;
}

void mmio_write32(const struct mmio *m, uint64_t off, uint32_t v)
{
	*(volatile uint32_t *)reg(m, off, 4) = v;
}

void mmio_write64(const struct mmio *m, uint64_t off, uint64_t v)
{
	/* Two halves, low first: what virtio's 64-bit fields expect. */
	mmio_write32(m, off, (uint32_t)v);
	mmio_write32(m, off + 4, (uint32_t)(v >> 32));
}

uint64_t dma_addr(const void *p, size_t len)
{
	uintptr_t va = (uintptr_t)p;
	paddr_t pa = virt_to_phys(va);

	if (va < DIRECT_MAP || !frame_range_is_ram(pa, len ? len : 1))
		panic("dma_addr: %p (+%zu) is not kernel heap memory", p, len);
	return pa;
}

void dma_mb(void)
{
	__asm__ __volatile__("mfence" ::: "memory");
}
