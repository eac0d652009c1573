/* Private: x86 instructions wrapped for C. Only platform/ includes this. */
#pragma once
#include <aramid/types.h>
#include <platform/irqflags.h>

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ __volatile__("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ __volatile__("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t v;

	__asm__ __volatile__("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	__asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ __volatile__("wrmsr"
			     : : "c"(msr), "a"((uint32_t)v),
			       "d"((uint32_t)(v >> 32)));
}

static inline uint64_t read_cr2(void)
{
	uint64_t v;

	__asm__ __volatile__("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_cr3(void)
{
	uint64_t v;

	__asm__ __volatile__("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(uint64_t v)
{
	__asm__ __volatile__("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline uint64_t read_cr0(void)
{
	uint64_t v;

	__asm__ __volatile__("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline void write_cr0(uint64_t v)
{
	__asm__ __volatile__("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline uint64_t read_cr4(void)
{
	uint64_t v;

	__asm__ __volatile__("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void write_cr4(uint64_t v)
{
	__asm__ __volatile__("mov %0, %%cr4" : : "r"(v) : "memory");
}

/* The debug registers: DR0-DR3 (addresses, @n constant) and DR7. */
#define write_dr(n, v) \
	__asm__ __volatile__("mov %0, %%dr" #n : : "r"((uint64_t)(v)))

static inline void write_dr7(uint64_t v)
{
	write_dr(7, v);
}

static inline void invlpg(uintptr_t va)
{
	__asm__ __volatile__("invlpg (%0)" : : "r"(va) : "memory");
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ __volatile__("cpuid"
			     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			     : "a"(leaf), "c"(sub));
}

#define MSR_EFER		0xc0000080
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_FMASK		0xc0000084
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_TSC_AUX		0xc0000103

/* Physical <-> direct-map translation; platform-internal. */
#include "layout.h"
#define phys_to_virt(pa)	((void *)((uintptr_t)(pa) + DIRECT_MAP))
#define virt_to_phys(va)	((paddr_t)((uintptr_t)(va) - DIRECT_MAP))
#define kimage_to_phys(va)	((paddr_t)((uintptr_t)(va) - KERNEL_VMA))

/* Internal interfaces between platform files. */
struct trapframe;
void serial_init(void);
void serial_enable_irq(void);
void serial_irq(void);
/* RAM the boot memory map lists, [start, end), for frame_init. */
struct ram_range {
	paddr_t start, end;
};
#define RAM_RANGES_MAX	32
void frame_init(const struct ram_range *ram, unsigned nram,
		paddr_t initrd_start, size_t initrd_size);
void frame_release_range(paddr_t start, paddr_t end);
void mmu_init(uint64_t mem_top);
/* Where the direct map ends: RAM's top, rounded up to 2 MiB (mmu.c). */
extern paddr_t direct_map_top;
void timer_init(void);
/*
 * FAULT_INJECT builds: the lock checker's self-tests (spinlock_selftest.c),
 * aramid.locktest= read from @cmdline. Boot CPU, once, before the APs.
 */
void spin_selftest(const char *cmdline);
void pic_init(void);
void pic_unmask(int irq);
void pic_mask(int irq);
void pic_eoi(int irq);
bool pic_spurious(int irq);
void timer_irq(bool from_user);
/* The CMOS clock at boot (rtc.c); @rsdp_pa as for acpi_find_cpus. */
void rtc_init(paddr_t rsdp_pa);
/*
 * The CMOS register of the century that the FADT names (acpi.c), where
 * the FADT is revision 3 or later, as Linux's mc146818-lib uses it; 0
 * for none.
 */
uint8_t acpi_rtc_century(paddr_t rsdp_pa);
void trap_dispatch(struct trapframe *tf);
void trap_entry(struct trapframe *tf);
bool extable_fixup(struct trapframe *tf);
void panic_frame(const char *what, struct trapframe *tf) __attribute__((noreturn));
int kernel_map_page(uintptr_t va, paddr_t pa);
int kernel_map_mmio(uintptr_t va, paddr_t pa, size_t len);
void kernel_unmap_range(uintptr_t start, uintptr_t end);
bool kstack_guard_hit(uintptr_t addr);
bool contain_trap(struct trapframe *tf, const char *what, uint64_t addr);
void contain_panic(const char *msg, uint64_t rip);
void contain_note_alloc(void *block);
void contain_note_free(const void *block);
