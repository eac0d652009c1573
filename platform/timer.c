/*
 * Time: the 8259 PIC, the 8254 PIT as the HZ tick, and the TSC for
 * nanosecond clocks (calibrated against the PIT at boot).
 */
#include <platform/time.h>
#include <platform/upcall.h>
#include "x86.h"
#include "vvar.h"

#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xa0
#define PIC2_DATA	0xa1
#define PIT_CH0		0x40
#define PIT_CH2		0x42
#define PIT_CMD		0x43
#define PIT_HZ		1193182

static volatile uint64_t ticks;
static uint64_t tsc_boot;
static uint64_t tsc_mult;	/* ns per TSC cycle, as 32.32 fixed point */

void pic_init(void)
{
	outb(PIC1_CMD, 0x11);
	outb(PIC2_CMD, 0x11);
	outb(PIC1_DATA, 32);		/* IRQ 0-7 at vectors 32-39 */
	outb(PIC2_DATA, 40);		/* IRQ 8-15 at vectors 40-47 */
	outb(PIC1_DATA, 4);
	outb(PIC2_DATA, 2);
	outb(PIC1_DATA, 1);
	outb(PIC2_DATA, 1);
	outb(PIC1_DATA, 0xfb);		/* all masked but the cascade */
	outb(PIC2_DATA, 0xff);
}

void pic_unmask(int irq)
{
	uint16_t port = irq < 8 ? PIC1_DATA : PIC2_DATA;

	outb(port, inb(port) & ~(1 << (irq & 7)));
}

void pic_mask(int irq)
{
	uint16_t port = irq < 8 ? PIC1_DATA : PIC2_DATA;

	outb(port, inb(port) | (1 << (irq & 7)));
}

void pic_eoi(int irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, 0x20);
	outb(PIC1_CMD, 0x20);
}

/*
 * Whether IRQ 7 or 15 (@irq) is spurious: its line fell before the CPU
 * took the vector, so the 8259 named its lowest-priority input, whose
 * in-service bit it never set. A spurious 15 still went through the
 * master's cascade input, which is in service and must be given back, or
 * the cascade and every line below it in priority (3 to 7, the slave's 8
 * to 15: the serial port and the PCI devices) stay blocked for good.
 * Interrupts off.
 */
bool pic_spurious(int irq)
{
	uint16_t cmd = irq < 8 ? PIC1_CMD : PIC2_CMD;
	bool in_service;

	outb(cmd, 0x0b);		/* OCW3: reads give the ISR */
	in_service = inb(cmd) & (1 << (irq & 7));
	outb(cmd, 0x0a);		/* back to the IRR */
	if (in_service)
		return false;
	if (irq >= 8)
		outb(PIC1_CMD, 0x20);
	return true;
}

#define CAL_TICKS	(PIT_HZ / 100)	/* 10 ms of PIT ticks */
#define CAL_SAMPLES	5
#define CAL_ROUNDS	10
#define PIT2_OUT	0x20	/* port 0x61: channel 2's output */

/*
 * The TSC and PIT channel 2's count, read as close together as
 * @CAL_SAMPLES tries manage: the count latched between two TSC reads,
 * the pair whose reads were nearest kept, its TSC their middle. A vCPU
 * taken away between the reads spoils that try only.
 */
static unsigned pit_sample(uint64_t *tsc)
{
	uint64_t best = UINT64_MAX;
	unsigned count = 0;

	for (int i = 0; i < CAL_SAMPLES; i++) {
		uint64_t t0 = cpu_cycles();
		unsigned c;

		outb(PIT_CMD, 0x80);		/* latch ch2's count */
		c = inb(PIT_CH2);
		c |= (unsigned)inb(PIT_CH2) << 8;
		uint64_t t1 = cpu_cycles();

		if (t1 - t0 < best) {
			best = t1 - t0;
			*tsc = t0 + (t1 - t0) / 2;
			count = c;
		}
	}
	return count;
}

/*
 * Count TSC cycles over 10 ms of PIT channel 2 (the speaker gate),
 * counting down from 0xffff: from one reading of its count to one at
 * least 10 ms of ticks later, each read between two TSC reads, so the
 * time QEMU's vCPU spends off the host CPU in between (a loaded host)
 * is counted on both clocks alike. A count that ran out (its output up:
 * 55 ms gone) starts over.
 */
static void tsc_calibrate(void)
{
	uint64_t t0 = 0, t1 = 0, ns;
	unsigned c0 = 0, c1 = 0;

	for (int round = 0; round < CAL_ROUNDS; round++) {
		/* Gate on, speaker off; ch2, lo/hi, mode 0. */
		outb(0x61, (inb(0x61) & ~0x02) | 0x01);
		outb(PIT_CMD, 0xb0);
		outb(PIT_CH2, 0xff);
		outb(PIT_CH2, 0xff);
		c0 = pit_sample(&t0);
		do
			c1 = pit_sample(&t1);
		while (c1 <= c0 && c0 - c1 < CAL_TICKS &&
		       !(inb(0x61) & PIT2_OUT));
		if (c1 < c0 && !(inb(0x61) & PIT2_OUT))
			break;
	}
	ns = c1 < c0 ? (uint64_t)(c0 - c1) * NSEC_PER_SEC / PIT_HZ : 10000000;
	if (t1 <= t0)
		t1 = t0 + 1;
	tsc_mult = (ns << 32) / (t1 - t0);
}

void timer_init(void)
{
	const unsigned divisor = PIT_HZ / HZ;

	tsc_calibrate();
	tsc_boot = cpu_cycles();
	outb(PIT_CMD, 0x34);			/* ch0, lo/hi, rate generator */
	outb(PIT_CH0, divisor & 0xff);
	outb(PIT_CH0, divisor >> 8);
	pic_unmask(0);
}

void timer_irq(bool from_user)
{
	ticks++;
	kernel_timer_tick(from_user);
}

uint64_t clock_ticks(void)
{
	return ticks;
}

uint64_t clock_monotonic_ns(void)
{
	if (!tsc_mult)
		return 0;
	uint64_t d = cpu_cycles() - tsc_boot;

	return (uint64_t)(((unsigned __int128)d * tsc_mult) >> 32);
}

/* For the vDSO data page (platform/vdso_map.c); see vvar.h. */
void tsc_clock_params(uint64_t *base, uint64_t *mult)
{
	*base = tsc_boot;
	*mult = tsc_mult;
}
