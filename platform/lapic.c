/*
 * The local APIC in xAPIC mode: one per CPU at the same physical address,
 * mapped once into the shared MMIO area. It delivers the IPIs, gives each
 * AP its periodic tick, and carries the 8259's interrupts to the boot CPU
 * (LINT0 as ExtINT), which keeps the PIT as its tick.
 */
#include <platform/frame.h>
#include <platform/time.h>
#include <platform/panic.h>
#include "cpu_local.h"

#define LAPIC_VA	(MMIO_AREA + (1UL << 30))	/* past pci.c's window */

#define REG_ID		0x020
#define REG_TPR		0x080
#define REG_EOI		0x0b0
#define REG_SVR		0x0f0
#define REG_ICR_LO	0x300
#define REG_ICR_HI	0x310
#define REG_LVT_TIMER	0x320
#define REG_LVT_LINT0	0x350
#define REG_LVT_LINT1	0x360
#define REG_LVT_ERROR	0x370
#define REG_TIMER_INIT	0x380
#define REG_TIMER_CUR	0x390
#define REG_TIMER_DIV	0x3e0

#define SVR_ENABLE	(1U << 8)
#define LVT_MASKED	(1U << 16)
#define LVT_PERIODIC	(1U << 17)
#define LVT_EXTINT	(7U << 8)
#define LVT_NMI		(4U << 8)
#define ICR_INIT	(5U << 8)
#define ICR_STARTUP	(6U << 8)
#define ICR_ASSERT	(1U << 14)
#define ICR_PENDING	(1U << 12)
#define TIMER_DIV_16	3

static uint32_t timer_count;	/* timer counts per tick, divided by 16 */

static inline uint32_t lapic_read(unsigned reg)
{
	return *(volatile uint32_t *)(LAPIC_VA + reg);
}

static inline void lapic_write(unsigned reg, uint32_t v)
{
	*(volatile uint32_t *)(LAPIC_VA + reg) = v;
}

/* Enable this CPU's APIC: every priority, errors masked. */
static void lapic_enable(bool boot)
{
	lapic_write(REG_TPR, 0);
	lapic_write(REG_LVT_ERROR, LVT_MASKED);
	lapic_write(REG_LVT_TIMER, LVT_MASKED);
	/* The 8259 reaches the boot CPU only; NMIs too. */
	lapic_write(REG_LVT_LINT0, boot ? LVT_EXTINT : LVT_MASKED);
	lapic_write(REG_LVT_LINT1, boot ? LVT_NMI : LVT_MASKED);
	lapic_write(REG_SVR, SVR_ENABLE | VEC_SPURIOUS);
}

/*
 * See cpu_local.h. Not on the boot CPU: the 8259's ExtINT ignores the
 * task priority, and masking LINT0 while one is pending makes QEMU 7.2
 * deliver a vector that is not there (a #GP at the halt).
 */
bool lapic_hold_locked_irqs(bool hold)
{
	if (this_cpu()->id == 0)
		return false;
	lapic_write(REG_TPR, hold ? (VEC_CLASS_LOCKLESS - 1) << 4 : 0);
	return true;
}

/* Count the timer over 10 ms of the TSC clock, for HZ ticks a second. */
static void timer_calibrate(void)
{
	lapic_write(REG_TIMER_DIV, TIMER_DIV_16);
	lapic_write(REG_LVT_TIMER, LVT_MASKED);
	lapic_write(REG_TIMER_INIT, 0xffffffff);
	uint64_t t0 = clock_monotonic_ns();

	while (clock_monotonic_ns() - t0 < 10000000)
		__builtin_ia32_pause();
	uint32_t counted = 0xffffffff - lapic_read(REG_TIMER_CUR);

	lapic_write(REG_TIMER_INIT, 0);
	timer_count = (uint32_t)((uint64_t)counted * 100 / HZ);
	if (!timer_count)
		timer_count = 1;
}

void lapic_init_boot(paddr_t pa)
{
	if (kernel_map_mmio(LAPIC_VA, pa, PAGE_SIZE))
		panic("lapic: cannot map the local APIC at %lx", pa);
	lapic_enable(true);
	timer_calibrate();
}

void lapic_init_ap(void)
{
	lapic_enable(false);
}

uint32_t lapic_id(void)
{
	return lapic_read(REG_ID) >> 24;
}

void lapic_timer_start(void)
{
	lapic_write(REG_TIMER_DIV, TIMER_DIV_16);
	lapic_write(REG_LVT_TIMER, LVT_PERIODIC | VEC_LAPIC_TIMER);
	lapic_write(REG_TIMER_INIT, timer_count);
}

void lapic_eoi(void)
{
	lapic_write(REG_EOI, 0);
}

/*
 * Write the ICR and wait until the APIC has sent it, interrupts off: an
 * interrupt handler that sent an IPI between the two writes would send
 * ours to its CPU.
 */
static void icr_send(uint32_t apic_id, uint32_t lo)
{
	irqflags_t fl = irq_save();

	lapic_write(REG_ICR_HI, apic_id << 24);
	lapic_write(REG_ICR_LO, lo);
	while (lapic_read(REG_ICR_LO) & ICR_PENDING)
		__builtin_ia32_pause();
	irq_restore(fl);
}

void lapic_send_ipi(uint32_t apic_id, unsigned vec)
{
	icr_send(apic_id, vec);
}

void lapic_send_init(uint32_t apic_id)
{
	icr_send(apic_id, ICR_INIT | ICR_ASSERT);
}

void lapic_send_startup(uint32_t apic_id, unsigned page)
{
	icr_send(apic_id, ICR_STARTUP | (page & 0xff));
}
