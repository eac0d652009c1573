/* The kernel heap (platform/heap.c). Any context except interrupts. */
#pragma once
#include <aramid/types.h>

/* Zeroed memory of @size bytes, or NULL. */
void *kzalloc(size_t size);
void *kmalloc(size_t size);
void kfree(const void *p);
/* Bytes the heap holds (for /proc/meminfo). */
size_t heap_bytes_used(void);
