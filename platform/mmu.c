/*
 * x86-64 four-level page tables: the kernel's own tables (direct map of
 * all RAM, the kernel image) and user address spaces that share them.
 * With more than one CPU, a change that takes a translation away (unmap,
 * protect, copy-on-write, kernel unmap) is shot down on every other CPU
 * that has the tables loaded before the call returns: the caller holds
 * the kernel lock, so no frame it freed can be reused meanwhile.
 */
#include <platform/mmu.h>
#include <platform/heap.h>
#include <aramid/compiler.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include "x86.h"
#include "frame_internal.h"
#include "cpu_local.h"

#define PTE_P		(1UL << 0)
#define PTE_W		(1UL << 1)
#define PTE_U		(1UL << 2)
#define PTE_PWT		(1UL << 3)
#define PTE_PCD		(1UL << 4)
#define PTE_PS		(1UL << 7)
#define PTE_NX		(1UL << 63)
/*
 * Software bit (ignored by the CPU): a PROT_NONE page, kept mapped to its
 * frame but not present, so that no access reaches it, not even the
 * kernel's user copy (which a present supervisor page would let through).
 */
#define PTE_PROTNONE	(1UL << 9)
#define PTE_ADDR	0x000ffffffffff000UL

#define PML4_DIRECT	256	/* DIRECT_MAP's slot */
#define PML4_MMIO	509	/* MMIO_AREA's slot */
#define PML4_KSTACK	510	/* KSTACK_AREA's slot */
#define PML4_KERNEL	511	/* KERNEL_VMA's slot */

/*
 * @leaf caches the level-1 table last walked to, the one for the 2 MiB
 * of addresses @leaf_tag (va >> 21): faults and the range walks mostly
 * stay inside one, and a user space's tables are only freed with it.
 */
struct mmu_space {
	paddr_t pml4;
	uintptr_t leaf_tag;
	uint64_t *leaf;
};

#define LEAF_SHIFT	21

/* A leaf entry that holds a frame: present, or PROT_NONE. */
static bool pte_mapped(uint64_t pte)
{
	return pte & (PTE_P | PTE_PROTNONE);
}

static paddr_t kernel_pml4;
paddr_t direct_map_top;

extern uint64_t boot_pml4[];

static inline uint64_t *table_of(uint64_t entry)
{
	return phys_to_virt(entry & PTE_ADDR);
}

/*
 * Build the kernel page tables: DIRECT_MAP + pa for all RAM in 2 MiB
 * pages, and the kernel image slot taken over from the boot tables.
 * Tables come from early_alloc() and are reached through KERNEL_VMA.
 */
void mmu_init(uint64_t mem_top)
{
	uint64_t *pml4, *pdpt;

	kernel_pml4 = early_alloc(PAGE_SIZE);
	pml4 = (uint64_t *)(kernel_pml4 + KERNEL_VMA);
	paddr_t pdpt_pa = early_alloc(PAGE_SIZE);

	pdpt = (uint64_t *)(pdpt_pa + KERNEL_VMA);
	pml4[PML4_DIRECT] = pdpt_pa | PTE_P | PTE_W;
	pml4[PML4_KERNEL] = boot_pml4[PML4_KERNEL];
	/* The stack area's top table exists from boot, so all spaces share it. */
	pml4[PML4_KSTACK] = early_alloc(PAGE_SIZE) | PTE_P | PTE_W;
	pml4[PML4_MMIO] = early_alloc(PAGE_SIZE) | PTE_P | PTE_W;

	uint64_t top = ALIGN_UP(mem_top, 1UL << 21);

	direct_map_top = top;

	for (uint64_t gib = 0; gib * (1UL << 30) < top; gib++) {
		paddr_t pd_pa = early_alloc(PAGE_SIZE);
		uint64_t *pd = (uint64_t *)(pd_pa + KERNEL_VMA);

		pdpt[gib] = pd_pa | PTE_P | PTE_W;
		for (int i = 0; i < 512; i++) {
			uint64_t pa = gib * (1UL << 30) + i * (1UL << 21);

			if (pa >= top)
				break;
			pd[i] = pa | PTE_P | PTE_W | PTE_PS | PTE_NX;
		}
	}
	write_cr3(kernel_pml4);
}

struct mmu_space *mmu_space_create(void)
{
	struct mmu_space *s = kzalloc(sizeof(*s));

	if (!s)
		return NULL;
	s->pml4 = frame_alloc();
	if (!s->pml4) {
		kfree(s);
		return NULL;
	}
	uint64_t *pml4 = phys_to_virt(s->pml4);
	uint64_t *kpml4 = phys_to_virt(kernel_pml4);

	pml4[PML4_DIRECT] = kpml4[PML4_DIRECT];
	pml4[PML4_KSTACK] = kpml4[PML4_KSTACK];
	pml4[PML4_MMIO] = kpml4[PML4_MMIO];
	pml4[PML4_KERNEL] = kpml4[PML4_KERNEL];
	return s;
}

static void free_tables(uint64_t *table, int level)
{
	for (int i = 0; i < 512; i++) {
		if (level == 1) {
			if (pte_mapped(table[i]))	/* leftover mapping */
				frame_put(table[i] & PTE_ADDR);
			continue;
		}
		if (!(table[i] & PTE_P))
			continue;
		free_tables(table_of(table[i]), level - 1);
		frame_put(table[i] & PTE_ADDR);
	}
}

/*
 * Ask every other online CPU that has @s loaded (every one, for NULL: the
 * kernel's mappings) to flush its TLB, or with @drop to load the kernel's
 * tables instead, and wait until each has. Kernel lock held.
 */
static void shootdown(struct mmu_space *s, bool drop)
{
	unsigned n, me;
	uint32_t sent = 0;

	if (!klock_on)		/* one CPU: nothing else caches translations */
		return;
	n = cpu_online_count();
	KASSERT_KLOCK_HELD();	/* the others wait for it, serving us */
	me = this_cpu()->id;
	for (unsigned i = 0; i < n; i++) {
		struct cpu_local *c = &cpu_locals[i];

		if (i == me || (s && c->space != s))
			continue;
		c->tlb_drop = drop ? s : NULL;
		__atomic_store_n(&c->tlb_pending, 1, __ATOMIC_RELEASE);
		lapic_send_ipi(c->apic_id, VEC_TLB);
		sent |= 1U << i;
	}
	for (unsigned i = 0; i < n; i++)
		while ((sent & (1U << i)) &&
		       __atomic_load_n(&cpu_locals[i].tlb_pending, __ATOMIC_ACQUIRE))
			__builtin_ia32_pause();
}

void mmu_tlb_request(struct cpu_local *c)
{
	if (!__atomic_load_n(&c->tlb_pending, __ATOMIC_ACQUIRE))
		return;
	if (c->tlb_drop && c->space == c->tlb_drop) {
		c->space = NULL;
		write_cr3(kernel_pml4);
	} else {
		write_cr3(read_cr3());
	}
	c->tlb_drop = NULL;
	__atomic_store_n(&c->tlb_pending, 0, __ATOMIC_RELEASE);
}

void mmu_space_destroy(struct mmu_space *s)
{
	uint64_t *pml4 = phys_to_virt(s->pml4);

	if (this_cpu()->space == s)
		mmu_switch(NULL);
	shootdown(s, true);
	for (int i = 0; i < PML4_DIRECT; i++) {
		if (!(pml4[i] & PTE_P))
			continue;
		free_tables(table_of(pml4[i]), 3);
		frame_put(pml4[i] & PTE_ADDR);
	}
	frame_put(s->pml4);
	kfree(s);
}

paddr_t mmu_kernel_tables(void)
{
	return kernel_pml4;
}

/* Load @s, or the kernel-only tables for NULL. */
void mmu_switch(struct mmu_space *s)
{
	struct cpu_local *c = this_cpu();

	if (s == c->space)
		return;
	c->space = s;
	write_cr3(s ? s->pml4 : kernel_pml4);
}

/* pte_get()'s walk down from the top, remembering the level-1 table. */
static __noinline uint64_t *pte_walk(struct mmu_space *s, uintptr_t va,
				     bool alloc)
{
	uint64_t *table = phys_to_virt(s->pml4);

	for (int shift = 39; shift > 12; shift -= 9) {
		uint64_t *e = &table[(va >> shift) & 511];

		if (!(*e & PTE_P)) {
			if (!alloc)
				return NULL;
			paddr_t pa = frame_alloc();

			if (!pa)
				return NULL;
			*e = pa | PTE_P | PTE_W | PTE_U;
		}
		table = table_of(*e);
	}
	s->leaf_tag = va >> LEAF_SHIFT;
	s->leaf = table;
	return &table[(va >> 12) & 511];
}

/* The level-1 entry for @va, allocating tables on the way if @alloc. */
static inline uint64_t *pte_get(struct mmu_space *s, uintptr_t va, bool alloc)
{
	if (s->leaf && s->leaf_tag == va >> LEAF_SHIFT)
		return &s->leaf[(va >> 12) & 511];
	return pte_walk(s, va, alloc);
}

/* Protection 0 keeps the frame but denies all access (PROT_NONE). */
static uint64_t pte_flags(unsigned prot)
{
	uint64_t f = prot ? PTE_P | PTE_U : PTE_PROTNONE;

	if (prot & MMU_WRITE)
		f |= PTE_W;
	if (!(prot & MMU_EXEC))
		f |= PTE_NX;
	return f;
}

static unsigned pte_prot(uint64_t pte)
{
	unsigned prot = MMU_READ;

	if (!(pte & PTE_P))
		return 0;
	if (pte & PTE_W)
		prot |= MMU_WRITE;
	if (!(pte & PTE_NX))
		prot |= MMU_EXEC;
	return prot;
}

static void flush_page(struct mmu_space *s, uintptr_t va)
{
	if (s == this_cpu()->space)
		invlpg(va);
	shootdown(s, false);
}

/* Flush [start, end) of @s from the TLB: page by page when it is small. */
static void flush_range(struct mmu_space *s, uintptr_t start, uintptr_t end)
{
	shootdown(s, false);
	if (s != this_cpu()->space)
		return;
	if (end - start > 32 * PAGE_SIZE) {
		write_cr3(s->pml4);
		return;
	}
	for (uintptr_t va = start; va < end; va += PAGE_SIZE)
		invlpg(va);
}

/* mmu_map() took the place of @old at @va: out of line, as it is rare. */
static __noinline void pte_replaced(struct mmu_space *s, uintptr_t va,
				    uint64_t old)
{
	flush_page(s, va);
	frame_put(old & PTE_ADDR);
}

static inline void pte_set(struct mmu_space *s, uint64_t *pte, uintptr_t va,
			   paddr_t pa, unsigned prot)
{
	uint64_t old = *pte;

	*pte = pa | pte_flags(prot);
	if (pte_mapped(old))
		pte_replaced(s, va, old);
}

/* mmu_map() outside the remembered table: walk down, making tables. */
static __noinline int map_walk(struct mmu_space *s, uintptr_t va, paddr_t pa,
			       unsigned prot)
{
	uint64_t *pte = pte_walk(s, va, true);

	if (!pte) {
		frame_put(pa);
		return -ENOMEM;
	}
	pte_set(s, pte, va, pa, prot);
	return 0;
}

/* Split so that a fault's usual case, in the remembered table, needs no
 * registers saved. */
int mmu_map(struct mmu_space *s, uintptr_t va, paddr_t pa, unsigned prot)
{
	if (!s->leaf || s->leaf_tag != va >> LEAF_SHIFT)
		return map_walk(s, va, pa, prot);
	pte_set(s, &s->leaf[(va >> 12) & 511], va, pa, prot);
	return 0;
}

static inline bool pte_read(const uint64_t *pte, paddr_t *pa, unsigned *prot)
{
	if (!pte || !pte_mapped(*pte))
		return false;
	*pa = *pte & PTE_ADDR;
	*prot = pte_prot(*pte);
	return true;
}

/* mmu_lookup() outside the remembered table. */
static __noinline bool lookup_walk(struct mmu_space *s, uintptr_t va,
				   paddr_t *pa, unsigned *prot)
{
	return pte_read(pte_walk(s, va, false), pa, prot);
}

/* Split as mmu_map() is. */
bool mmu_lookup(struct mmu_space *s, uintptr_t va, paddr_t *pa,
		unsigned *prot)
{
	if (!s->leaf || s->leaf_tag != va >> LEAF_SHIFT)
		return lookup_walk(s, va, pa, prot);
	return pte_read(&s->leaf[(va >> 12) & 511], pa, prot);
}

/*
 * Call @fn on every mapped level-1 entry in [start, end), skipping
 * absent tables a whole level at a time and walking down once per
 * level-1 table. @fn may not free a table of @s.
 */
static void walk_range(struct mmu_space *s, uintptr_t start, uintptr_t end,
		       void (*fn)(uint64_t *pte, uintptr_t va, void *ctx),
		       void *ctx)
{
	uintptr_t va = start;

	while (va < end) {
		uint64_t *table = phys_to_virt(s->pml4);
		int shift;

		for (shift = 39; shift > 12; shift -= 9) {
			uint64_t e = table[(va >> shift) & 511];

			if (!(e & PTE_P))
				break;
			table = table_of(e);
		}
		if (shift > 12) {	/* no table: skip what it would cover */
			uintptr_t next = ALIGN_DOWN(va, 1UL << shift) + (1UL << shift);

			if (next <= va)
				break;
			va = next;
			continue;
		}
		uintptr_t stop = ALIGN_DOWN(va, 1UL << LEAF_SHIFT) +
				 (1UL << LEAF_SHIFT);

		if (stop <= va || stop > end)
			stop = end;
		for (; va < stop; va += PAGE_SIZE) {
			uint64_t *pte = &table[(va >> 12) & 511];

			if (pte_mapped(*pte))
				fn(pte, va, ctx);
		}
	}
}

static void unmap_one(uint64_t *pte, uintptr_t va, void *ctx)
{
	(void)va;
	paddr_t pa = *pte & PTE_ADDR;

	*pte = 0;
	frame_put(pa);
	(*(size_t *)ctx)++;
}

size_t mmu_unmap(struct mmu_space *s, uintptr_t start, uintptr_t end)
{
	size_t n = 0;

	walk_range(s, start, end, unmap_one, &n);
	if (n)
		flush_range(s, start, end);
	return n;
}

static void protect_one(uint64_t *pte, uintptr_t va, void *ctx)
{
	(void)va;
	*pte = (*pte & PTE_ADDR) | pte_flags(*(unsigned *)ctx);
}

void mmu_protect(struct mmu_space *s, uintptr_t start, uintptr_t end,
		 unsigned prot)
{
	walk_range(s, start, end, protect_one, &prot);
	flush_range(s, start, end);
}

struct fork_ctx {
	struct mmu_space *dst;
	bool cow;
	int err;
	long pages;
};

static void fork_one(uint64_t *pte, uintptr_t va, void *ctx)
{
	struct fork_ctx *f = ctx;

	if (f->err)
		return;
	uint64_t *dpte = pte_get(f->dst, va, true);

	if (!dpte) {
		f->err = -ENOMEM;
		return;
	}
	if (f->cow)
		*pte &= ~PTE_W;
	frame_get(*pte & PTE_ADDR);
	*dpte = *pte;
	f->pages++;
}

long mmu_fork_range(struct mmu_space *dst, struct mmu_space *src,
		    uintptr_t start, uintptr_t end, bool cow)
{
	struct fork_ctx f = { dst, cow, 0, 0 };

	walk_range(src, start, end, fork_one, &f);
	if (cow)
		flush_range(src, start, end);
	return f.err ? f.err : f.pages;
}

/* Map @pa at kernel address @va (the stack area), writable, no exec. */
int kernel_map_page(uintptr_t va, paddr_t pa)
{
	struct mmu_space kernel = { .pml4 = kernel_pml4 };
	uint64_t *pte = pte_get(&kernel, va, true);

	if (!pte)
		return -ENOMEM;
	/* Kernel-only: the tables above were made with PTE_U, the leaf not. */
	*pte = pa | PTE_P | PTE_W | PTE_NX;
	invlpg(va);
	return 0;
}

/*
 * Map device registers [pa, pa + len) at kernel address @va (MMIO_AREA),
 * uncached, no exec. The frames are not RAM: no reference is taken.
 */
int kernel_map_mmio(uintptr_t va, paddr_t pa, size_t len)
{
	struct mmu_space kernel = { .pml4 = kernel_pml4 };

	for (size_t off = 0; off < len; off += PAGE_SIZE) {
		uint64_t *pte = pte_get(&kernel, va + off, true);

		if (!pte)
			return -ENOMEM;
		*pte = (pa + off) | PTE_P | PTE_W | PTE_PCD | PTE_PWT | PTE_NX;
		invlpg(va + off);
	}
	return 0;
}

/* Unmap and free the frames of kernel range [start, end). */
void kernel_unmap_range(uintptr_t start, uintptr_t end)
{
	struct mmu_space kernel = { .pml4 = kernel_pml4 };

	for (uintptr_t va = start; va < end; va += PAGE_SIZE) {
		uint64_t *pte = pte_get(&kernel, va, false);

		if (pte && (*pte & PTE_P)) {
			paddr_t pa = *pte & PTE_ADDR;

			*pte = 0;
			invlpg(va);
			frame_put(pa);
		}
	}
	shootdown(NULL, false);
}
