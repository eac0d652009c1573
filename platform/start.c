/*
 * platform_start: from boot.S in long mode to kernel_main(). Reads the PVH
 * start_info (command line, initrd module, memory map), brings up the
 * CPU tables, memory, interrupts and clocks, and finds the other CPUs.
 */
#include <platform/boot.h>
#include <platform/panic.h>
#include <platform/printk.h>
#include <platform/frame.h>
#include <platform/upcall.h>
#include <platform/vdso.h>
#include <aramid/string.h>
#include "x86.h"
#include "frame_internal.h"
#include "cpu_local.h"

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

static struct ram_range ram[RAM_RANGES_MAX];
static unsigned nram;

/* RAM to 16 MiB and above it in 64 KiB units, from CMOS (no memory map). */
static void cmos_ram(void)
{
	outb(0x70, 0x34);
	uint64_t lo = inb(0x71);

	outb(0x70, 0x35);
	uint64_t hi = inb(0x71);

	ram[0] = (struct ram_range){ 1UL << 20, (16UL << 20) + ((hi << 8 | lo) << 16) };
	nram = 1;
}

/*
 * The RAM ranges of the PVH memory map (E820 type 1), whole pages, above
 * the first MiB: that stays the firmware's and the AP trampoline's.
 */
static void find_ram(const struct hvm_start_info *si)
{
	nram = 0;
	if (si->version < 1 || !si->memmap_entries) {
		cmos_ram();
		return;
	}
	const struct hvm_memmap_entry *e = early_phys(si->memmap_paddr);

	for (uint32_t i = 0; i < si->memmap_entries; i++) {
		paddr_t start = MAX(ALIGN_UP(e[i].addr, PAGE_SIZE), 1UL << 20);
		paddr_t end = ALIGN_DOWN(e[i].addr + e[i].size, PAGE_SIZE);

		if (e[i].type != E820_RAM || end <= start)
			continue;
		if (nram == RAM_RANGES_MAX) {
			pr_warn("boot: memory map past %u RAM ranges ignored",
			RAM_RANGES_MAX);
			break;
		}
		ram[nram++] = (struct ram_range){ start, end };
	}
	if (!nram)
		cmos_ram();
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
	smp_init_boot_cpu();
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
	find_ram(si);
	paddr_t mem_top = 0;

	boot_info.mem_bytes = 0;
	for (unsigned i = 0; i < nram; i++) {
		mem_top = ram[i].end > mem_top ? ram[i].end : mem_top;
		boot_info.mem_bytes += ram[i].end - ram[i].start;
	}
	early_alloc_init(kimage_to_phys(__kernel_end));
	mmu_init(mem_top);
	frame_init(ram, nram, boot_info.initrd_start, boot_info.initrd_size);

	pic_init();
	timer_init();
	smp_init(si->version >= 1 ? si->rsdp_paddr : 0);
	rtc_init(si->version >= 1 ? si->rsdp_paddr : 0);
	vdso_init();
#ifdef FAULT_INJECT
	spin_selftest(cmdline);
#endif
	serial_enable_irq();
	kernel_main(&boot_info);
}
