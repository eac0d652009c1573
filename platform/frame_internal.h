/* Private: frame allocator entry points for the heap and the MMU code. */
#pragma once
#include <aramid/types.h>

void early_alloc_init(paddr_t start);
paddr_t early_alloc(size_t bytes);
paddr_t frame_alloc_contig(size_t n);
/* Free a run from frame_alloc_contig(); returns its length in frames. */
size_t frame_free_contig(paddr_t pa);
/* True if [pa, pa + len) is RAM the frame allocator manages. */
bool frame_range_is_ram(paddr_t pa, size_t len);
