/*
 * User address spaces (platform/mmu.c): page tables as an opaque object.
 * The kernel's mm decides what to map; the platform owns the tables.
 * Calls with interrupts enabled or disabled; no sleeping inside.
 */
#pragma once
#include <aramid/types.h>
#include <platform/frame.h>

#define USER_TOP	0x0000800000000000UL	/* first non-user address */

/* Page protections. */
#define MMU_READ	0x1
#define MMU_WRITE	0x2
#define MMU_EXEC	0x4

struct mmu_space;

/* A new, empty user space sharing the kernel half. NULL on -ENOMEM. */
struct mmu_space *mmu_space_create(void);
/* Free the page tables. All user mappings must be unmapped first. */
void mmu_space_destroy(struct mmu_space *s);
/* Load @s on the CPU. */
void mmu_switch(struct mmu_space *s);

/*
 * Map frame @pa at page @va with @prot, taking over the caller's
 * reference to @pa. A previous mapping at @va is dropped (its frame put).
 * Returns 0 or -ENOMEM (the reference to @pa is then dropped too).
 */
int mmu_map(struct mmu_space *s, uintptr_t va, paddr_t pa, unsigned prot);
/* Unmap [start, end), put every frame mapped there; returns how many. */
size_t mmu_unmap(struct mmu_space *s, uintptr_t start, uintptr_t end);
/* Change protection of every mapped page in [start, end). */
void mmu_protect(struct mmu_space *s, uintptr_t start, uintptr_t end,
		 unsigned prot);
/*
 * Look up page @va: true and *@pa, *@prot if mapped (no reference taken).
 */
bool mmu_lookup(struct mmu_space *s, uintptr_t va, paddr_t *pa,
		unsigned *prot);
/*
 * Share [start, end) of @src into @dst for fork: each mapped frame gains a
 * reference; with @cow, write access is removed in both spaces so the first
 * write faults and copies. Returns the pages shared, or -ENOMEM.
 */
long mmu_fork_range(struct mmu_space *dst, struct mmu_space *src,
		    uintptr_t start, uintptr_t end, bool cow);
