/*
 * Kernel stacks with guards: each stack is the upper half of its own
 * KSTACK_ALIGN-aligned slot of a dedicated kernel area (shared by every
 * address space), the lower half left unmapped, so an overflow faults at
 * once instead of corrupting the memory next to it. The slot's last word
 * is the owner word cpu_thread_running() reads (cpu_thread_init sets it).
 */
#include <platform/kstack.h>
#include <platform/cpu.h>
#include <platform/frame.h>
#include "x86.h"
#include "frame_internal.h"

#define SLOT_SIZE	KSTACK_ALIGN			/* guard + stack */
#define GUARD_BYTES	(KSTACK_ALIGN - KSTACK_BYTES)
#define MAX_STACKS	4096

static uint64_t used[MAX_STACKS / 64];

void *kstack_alloc(void)
{
	irqflags_t fl = irq_save();
	int slot = -1;

	for (int w = 0; w < MAX_STACKS / 64 && slot < 0; w++)
		if (~used[w])
			slot = w * 64 + __builtin_ctzl(~used[w]);
	if (slot >= 0)
		used[slot / 64] |= 1UL << (slot % 64);
	irq_restore(fl);
	if (slot < 0)
		return NULL;

	uintptr_t base = KSTACK_AREA + (uintptr_t)slot * SLOT_SIZE + GUARD_BYTES;

	for (size_t off = 0; off < KSTACK_BYTES; off += PAGE_SIZE) {
		paddr_t pa = frame_alloc_dirty();

		if (!pa || kernel_map_page(base + off, pa)) {
			if (pa)
				frame_put(pa);
			kstack_free((void *)base);
			return NULL;
		}
	}
	*(uint64_t *)(base + KSTACK_BYTES - 8) = 0;	/* no owner yet */
	return (void *)base;
}

void kstack_free(void *stack)
{
	uintptr_t base = (uintptr_t)stack;
	size_t slot = (base - KSTACK_AREA) / SLOT_SIZE;

	kernel_unmap_range(base, base + KSTACK_BYTES);
	irqflags_t fl = irq_save();

	used[slot / 64] &= ~(1UL << (slot % 64));
	irq_restore(fl);
}

bool kstack_guard_hit(uintptr_t addr)
{
	if (addr < KSTACK_AREA || addr >= KSTACK_AREA + MAX_STACKS * SLOT_SIZE)
		return false;
	return (addr - KSTACK_AREA) % SLOT_SIZE < GUARD_BYTES;
}
