/* Private to kernel/mm/: shared anonymous objects and range helpers. */
#pragma once
#include <kernel/mm.h>

/*
 * The pages of a MAP_SHARED|MAP_ANONYMOUS mapping or a System V shared
 * memory segment, shared across fork.
 */
struct shared_anon {
	int refcount;
	struct shared_anon_user *user;	/* told of each vma's hold */
	size_t npages;
	paddr_t pages[];	/* 0 until first touched */
};

/* A vma takes or drops its hold on @a (told to @a's user). */
void shared_anon_get(struct shared_anon *a);
void shared_anon_vma_put(struct shared_anon *a);

/* The page-table protection (MMU_*) of @v's PROT_* bits. */
unsigned vma_mmu_prot(const struct vma *v);

/*
 * Make [start, end) of @mm a union of whole vmas by splitting those that
 * straddle its ends, each split only while @mm has fewer vmas than
 * vm.max_map_count (Linux's split_vma). 0 or -ENOMEM.
 */
int mm_split_range(struct mm *mm, uintptr_t start, uintptr_t end);
/*
 * Give the vmas of [start, end) of @mm the VMA_* flags @set and take
 * @clear away, but for those with a flag of @skip. A vma whose flags
 * change is first split at the range's ends, as mm_split_range; one
 * that keeps them is left whole (Linux's madvise_update_vma and
 * mlock_fixup). 0 or -ENOMEM, the vmas before the failure changed.
 */
int mm_change_vma_flags(struct mm *mm, uintptr_t start, uintptr_t end,
			unsigned set, unsigned clear, unsigned skip);

/*
 * Write the dirty page-cache pages of @mm's shared file mappings in
 * [start, end) (mm_file_maps.c), before those mappings go or for
 * msync(MS_SYNC) (@sync: each file then synced too, as Linux's
 * vfs_fsync_range). Process context; sleeps, so the vmas are found
 * anew after each file. 0 or the first error (each range is tried).
 */
int mm_writeback_range(struct mm *mm, uintptr_t start, uintptr_t end,
		       bool sync);

/* 0 if vmas cover all of [start, end) of @mm, else -ENOMEM (mm_resident.c). */
int mm_range_covered(struct mm *mm, uintptr_t start, uintptr_t end);

/*
 * Linux's can_do_mlock (mm_lock.c): a nonzero RLIMIT_MEMLOCK or
 * CAP_IPC_LOCK lets current lock memory.
 */
bool mm_can_mlock(void);
/*
 * Linux's mlock_future_check: whether @pages more locked pages in @mm keep
 * current within RLIMIT_MEMLOCK (always, with CAP_IPC_LOCK).
 */
bool mm_lock_within(struct mm *mm, size_t pages);
/*
 * Fault in the pages of @mm's vmas in [start, end) as Linux's
 * populate_vma_page_range (mm_lock.c): writable private memory for
 * writing (its copy made now), the rest for reading; vmas without access
 * and the vDSO's are skipped. 0, or the first fault's -errno unless
 * @ignore_errors (Linux's mm_populate for mmap, mlockall and brk).
 */
int mm_populate(struct mm *mm, uintptr_t start, uintptr_t end,
		bool ignore_errors);
/* Pages of @mm's vmas in [start, end): locked ones only if @locked. */
size_t mm_pages_in(struct mm *mm, uintptr_t start, uintptr_t end,
		   bool locked);

/*
 * Linux's get_user_pages with FOLL_FORCE, for /proc/PID/mem (fault.c):
 * the frame backing @addr of @mm into *@pa (no reference; valid until
 * the caller sleeps), resolved as a fault would be whatever the area's
 * protection: a write to a read-only private mapping breaks
 * copy-on-write into a private page the task still sees read-only.
 * -EFAULT for an unmapped address, the vDSO's data page, a PROT_NONE
 * area or a write to a read-only shared one; -ENOMEM. May sleep.
 */
int mm_fault_force(struct mm *mm, uintptr_t addr, bool write, paddr_t *pa);
