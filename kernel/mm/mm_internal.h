/* Private to kernel/mm/: shared anonymous objects and range helpers. */
#pragma once
#include <kernel/mm.h>

/* The pages of a MAP_SHARED|MAP_ANONYMOUS mapping, shared across fork. */
struct shared_anon {
	int refcount;
	size_t npages;
	paddr_t pages[];	/* 0 until first touched */
};

struct shared_anon *shared_anon_new(size_t npages);
void shared_anon_get(struct shared_anon *a);
void shared_anon_put(struct shared_anon *a);
/* The frame for page @idx, allocated zeroed on first use, with a ref. */
int shared_anon_page(struct shared_anon *a, size_t idx, paddr_t *out);

int mm_split_range(struct mm *mm, uintptr_t start, uintptr_t end);
