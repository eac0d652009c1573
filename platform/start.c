/*
 * platform_start: from boot.S in long mode to kernel_main(). Reads the PVH
 * start_info (command line, initrd module, memory map), brings up the
 * CPU tables, memory, interrupts and clocks.
 */
#include <platform/boot.h>
#include <platform/panic.h>
#include <platform/frame.h>
#include <platform/upcall.h>
#include <platform/vdso.h>
#include <aramid/string.h>
#include "x86.h"
#include "frame_internal.h"

#define PVH_MAGIC	0x336ec578
#define E820_RAM	1

struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr;
	uint32_t memmap_entries;
	uint32_t reserved;
};

struct hvm_modlist_entry {
	uint64_t paddr, size, cmdline_paddr, reserved;
};

struct hvm_memmap_entry {
	uint64_t addr, size;
	uint32_t type, reserved;
};

static char cmdline[4096];
static struct boot_info boot_info;
extern char __kernel_end[];

/* Boot data lies in the first GiB, mapped at KERNEL_VMA by boot.S. */
static const void *early_phys(paddr_t pa)
{
	return (const void *)(pa + KERNEL_VMA);
}

/* Memory above 16 MiB in 64 KiB units, from CMOS (no memory map). */
static uint64_t cmos_mem_top(void)
{
	outb(0x70, 0x34);
	uint64_t lo = inb(0x71);

	outb(0x70, 0x35);
	uint64_t hi = inb(0x71);

	return (16UL << 20) + ((hi << 8 | lo) << 16);
}

static uint64_t find_mem_top(const struct hvm_start_info *si)
{
	uint64_t top = 0;

	if (si->version < 1 || !si->memmap_entries)
		return cmos_mem_top();
	const struct hvm_memmap_entry *e = early_phys(si->memmap_paddr);

	for (uint32_t i = 0; i < si->memmap_entries; i++) {
		uint64_t end = e[i].addr + e[i].size;

		/* The contiguous RAM from 1 MiB; we stay below 4 GiB. */
		if (e[i].type == E820_RAM && e[i].addr <= (1UL << 20) + 1 &&
		    end > top)
			top = end;
		if (e[i].type == E820_RAM && e[i].addr == (1UL << 20))
			top = end;
	}
	if (top > (4UL << 30))
		top = 4UL << 30;
	return top ? top : cmos_mem_top();
}

void boot_initrd_read(size_t off, void *buf, size_t len)
{
	memcpy(buf, (char *)phys_to_virt(boot_info.initrd_start) + off, len);
}

void boot_initrd_release(void)
{
	frame_release_range(boot_info.initrd_start,
			    boot_info.initrd_start + boot_info.initrd_size);
	boot_info.initrd_size = 0;
}

__noreturn void platform_start(uint32_t start_info_pa);

void platform_start(uint32_t start_info_pa)
{
	const struct hvm_start_info *si = early_phys(start_info_pa);

	serial_init();
	cpu_init();
	if (si->magic != PVH_MAGIC)
		panic("platform_start: no PVH start info (magic %x)", si->magic);
	if (si->cmdline_paddr)
		strlcpy(cmdline, early_phys(si->cmdline_paddr), sizeof(cmdline));
	boot_info.cmdline = cmdline;
	if (si->nr_modules) {
		const struct hvm_modlist_entry *m = early_phys(si->modlist_paddr);

		boot_info.initrd_start = m->paddr;
		boot_info.initrd_size = m->size;
	}
	uint64_t mem_top = find_mem_top(si);

	early_alloc_init(kimage_to_phys(__kernel_end));
	mmu_init(mem_top);
	frame_init(mem_top, 0, boot_info.initrd_start, boot_info.initrd_size);
	boot_info.mem_bytes = mem_top - (1UL << 20);

	pic_init();
	timer_init();
	rtc_init();
	vdso_init();
	serial_enable_irq();
	kernel_main(&boot_info);
}
