/*
 * Kernel stacks (platform/kstack.c): KSTACK_BYTES each, the upper half of
 * a KSTACK_ALIGN-aligned block of an area every address space shares,
 * with the unmapped lower half as the guard: an overflow into it panics
 * with "kernel stack overflow" instead of corrupting its neighbour.
 *
 * The last word of a block names the thread that owns the stack (see
 * cpu_thread_running() in platform/cpu.h): so any CPU finds the thread it
 * runs from its stack pointer alone. A thread's stack top (the end of its
 * user trapframe) lies just below that word, kstack_top() bytes in.
 */
#pragma once
#include <aramid/types.h>

#define KSTACK_BYTES	16384
#define KSTACK_ALIGN	(2 * KSTACK_BYTES)

/* The lowest address of a new stack (its top is kstack_top()); NULL. */
void *kstack_alloc(void);
void kstack_free(void *stack);

/* Where the stack that starts at @stack ends for the thread using it. */
static inline uint64_t kstack_top(void *stack)
{
	return (uint64_t)stack + KSTACK_BYTES - 16;
}
