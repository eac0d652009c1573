/*
 * Kernel stacks (platform/kstack.c): KSTACK_BYTES each, with an unmapped
 * guard page below, in an area every address space shares. An overflow
 * into the guard page panics with "kernel stack overflow".
 */
#pragma once
#include <aramid/types.h>

#define KSTACK_BYTES	16384

/* The lowest address of a new stack (its top is + KSTACK_BYTES); NULL. */
void *kstack_alloc(void);
void kstack_free(void *stack);
