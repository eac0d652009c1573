/*
 * Ring 0's inline interrupt mask: the flags register, cli and sti
 * wrapped for C, for platform's hot paths (platform/x86.h and the
 * spinlocks' inline fast path, <platform/spinlock.h>). Only platform/
 * and its own headers include this (scripts/check-layers.sh); the rest
 * of the kernel masks interrupts with irq_save()/irq_restore()
 * (<platform/cpu.h>).
 */
#pragma once
#include <aramid/types.h>

#define RFLAGS_IF	(1UL << 9)

static inline uint64_t read_rflags(void)
{
	uint64_t v;

	__asm__ __volatile__("pushfq; popq %0" : "=r"(v));
	return v;
}

/* Mask interrupts; returns the flags to give x86_irq_restore. */
static inline uint64_t x86_irq_save(void)
{
	uint64_t f = read_rflags();

	__asm__ __volatile__("cli" ::: "memory");
	return f;
}

/* Unmask interrupts if @f (from x86_irq_save) had them on. */
static inline void x86_irq_restore(uint64_t f)
{
	if (f & RFLAGS_IF)
		__asm__ __volatile__("sti" ::: "memory");
}
