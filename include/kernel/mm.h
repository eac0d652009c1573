/*
 * Process address spaces (kernel/mm/): areas (vmas) over the platform's
 * page tables, demand paging, copy-on-write, mmap and brk.
 */
#pragma once
#include <aramid/list.h>
#include <platform/mmu.h>

struct file;

/* vma.flags */
#define VMA_SHARED	0x1	/* MAP_SHARED: writes reach the object */
#define VMA_GROWSDOWN	0x2	/* the stack */
#define VMA_HEAP	0x4	/* the brk area */
#define VMA_VVAR	0x8	/* the vDSO's data page */
#define VMA_VDSO	0x10	/* the vDSO's code */

struct shared_anon;

struct vma {
	uintptr_t start, end;	/* page aligned, end exclusive */
	unsigned prot;		/* PROT_READ | PROT_WRITE | PROT_EXEC */
	unsigned flags;		/* VMA_* */
	struct file *file;	/* file mapping, with a reference; or NULL */
	uint64_t pgoff;		/* page offset into file or shared object */
	struct shared_anon *anon; /* MAP_SHARED|MAP_ANONYMOUS object */
	struct list_head link;	/* mm.vmas, sorted by address */
};

struct mm {
	int refcount;		/* vfork children share their parent's */
	struct mmu_space *space;
	struct list_head vmas;
	uintptr_t brk_start, brk;
	uintptr_t start_code, end_code, start_data, end_data;
	uintptr_t start_stack, arg_start, arg_end, env_start, env_end;
	size_t rss_pages;	/* pages this mm faulted in (approximate) */
};

#define PROT_NONE	0
#define PROT_READ	1
#define PROT_WRITE	2
#define PROT_EXEC	4

/*
 * The stack ends below the top of the user half, as Linux's randomized
 * stack does, so that a buffer on it may be followed by some unmapped
 * user space (e.g. read(fd, stack_buf, 1 MiB) is not an EFAULT).
 */
#define STACK_TOP	0x00007ffffe000000UL
/*
 * The vDSO (platform/vdso.h) sits in the gap above the stack, which mmap
 * never allocates from: its data page, then its code.
 */
#define VDSO_BASE	0x00007fffff000000UL
#define MMAP_TOP	0x00007f0000000000UL	/* mmap allocates below this */
#define MMAP_MIN	0x0000000000010000UL	/* vm.mmap_min_addr */

struct mm *mm_new(void);
/* A copy of @src for fork: private pages become copy-on-write. */
struct mm *mm_fork(struct mm *src);
void mm_get(struct mm *mm);
void mm_put(struct mm *mm);
/* Make @mm the address space on the CPU. */
void mm_activate(struct mm *mm);

/* The vma containing @addr, or NULL. */
struct vma *vma_find(struct mm *mm, uintptr_t addr);
/*
 * Map [start, start+len) in @mm (both page aligned), replacing what was
 * there. @file gains a reference. 0 or -ENOMEM.
 */
int mm_map_region(struct mm *mm, uintptr_t start, size_t len, unsigned prot,
		  unsigned flags, struct file *file, uint64_t pgoff);
/* Unmap [start, start+len). 0 or -ENOMEM (vma split failed). */
int mm_unmap_region(struct mm *mm, uintptr_t start, size_t len);
/* Lowest... a free gap of @len below MMAP_TOP (top-down); 0 if none. */
uintptr_t mm_find_gap(struct mm *mm, size_t len);
/* Resolve a fault at @addr (see kernel_page_fault). 0 or -EFAULT. */
int mm_fault(struct mm *mm, uintptr_t addr, bool write, bool exec);
/* True if @addr lies in no vma of @mm (SEGV_MAPERR vs SEGV_ACCERR). */
bool mm_addr_unmapped(struct mm *mm, uintptr_t addr);
