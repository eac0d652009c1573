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
/*
 * A plain reference on @a for the caller, not a vma's hold (its user is
 * not told); shared_anon_put drops it.
 */
void shared_anon_hold(struct shared_anon *a);

/* The page-table protection (MMU_*) of @v's PROT_* bits. */
unsigned vma_mmu_prot(const struct vma *v);

/*
 * The vma bookkeeping of mm.c. vma_insert adds @nv, which overlaps no
 * vma, to @mm's list and tree; vma_unlink takes @v out (the caller frees
 * it with vma_free, which drops its file and shared-object holds);
 * vma_split splits @v at @addr inside it, @v keeping the low part (0 or
 * -ENOMEM, whatever vm.max_map_count says: the caller checks it).
 */
void vma_insert(struct mm *mm, struct vma *nv);
void vma_unlink(struct mm *mm, struct vma *v);
void vma_free(struct vma *v);
int vma_split(struct mm *mm, struct vma *v, uintptr_t addr);

/*
 * Make [start, end) of @mm a union of whole vmas by splitting those that
 * straddle its ends, each split only while @mm has fewer vmas than
 * vm.max_map_count (Linux's split_vma). 0 or -ENOMEM.
 */
int mm_split_range(struct mm *mm, uintptr_t start, uintptr_t end);
/*
 * Give the vmas of [start, end) of @mm the VMA_* flags @set and take
 * @clear away, but for those with a flag of @skip. A vma whose flags
 * change merges with a neighbour the change makes it match, else is
 * split at the range's ends (vma_modify); one that keeps them is left
 * alone (Linux's madvise_update_vma and mlock_fixup). 0 or -ENOMEM,
 * the vmas before the failure changed.
 */
int mm_change_vma_flags(struct mm *mm, uintptr_t start, uintptr_t end,
			unsigned set, unsigned clear, unsigned skip);

/*
 * A new vma's kind (its range and holds not set): a private writable
 * one is charged (VMA_ACCOUNT) unless MAP_NORESERVE, and a private
 * anonymous one's offset is its address in pages, as Linux's, which
 * merging compares.
 */
struct vma vma_new_kind(uintptr_t start, unsigned prot, unsigned flags,
			struct file *file, uint64_t pgoff, struct shared_anon *anon);
/*
 * Map a vma of @like's kind (its prot, flags, file, /dev/zero file or
 * shared object with new holds, pgoff, anon_vma and registration) over [start, start+len)
 * of @mm, replacing what was there, merged with its neighbours where
 * Linux would if @merge. 0 or -ENOMEM.
 */
int mm_map_vma_like(struct mm *mm, uintptr_t start, size_t len,
		    const struct vma *like, bool merge);

/*
 * Merging adjacent vmas by Linux 6.1's vma_merge rules (vma_merge.c).
 * Two vmas are one when their flags, protection, file (the same open
 * file) or shared object, userfaultfd registration and anon_vma allow
 * it and their offsets are contiguous; the vDSO's, an AIO ring and
 * System V shared memory never merge.
 */
/*
 * Linux's anon_vma_prepare, before private @v's first anonymous page
 * (a write fault, UFFDIO_COPY): @v takes a mergeable neighbour's
 * anon_vma, else a new one. Nothing to do if it has one.
 */
void vma_anon_prepare(struct mm *mm, struct vma *v);
/* A new anon_vma identity, for fork's copies. */
uint64_t vma_anon_new(void);
/*
 * Put @v (its range free in @mm, its holds its own) into @mm: with
 * @merge, a neighbour it can merge with grows over it instead and @v is
 * freed (Linux's mmap_region and copy_vma); else it is inserted.
 */
void vma_place(struct mm *mm, struct vma *v, bool merge);
/*
 * Give [start, end) of @v, inside it, @prot and @flags (and, with
 * @uffd_too, the registration @uffd in @uffd_modes), as Linux's
 * vma_merge then split_vma: merged into the neighbour it now matches, or
 * split off (each split only below vm.max_map_count). *@out is the vma
 * then covering [start, end). 0 or -ENOMEM (a split at @start may stay).
 */
int vma_modify(struct mm *mm, struct vma *v, uintptr_t start, uintptr_t end,
	       unsigned prot, unsigned flags, bool uffd_too,
	       struct uffd_ctx *uffd, uint64_t uffd_modes, struct vma **out);
/*
 * Grow @v in place to @end (the space above it free), merged with the
 * vma that then follows if it matches (Linux's mremap expanding).
 */
void vma_expand(struct mm *mm, struct vma *v, uintptr_t end);
/*
 * Whether a vma like @c, starting where @prev ends, could be part of
 * @prev (Linux's can_vma_merge_after), as brk asks.
 */
bool vma_can_follow(const struct vma *prev, const struct vma *c);

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
 * The VMA_* flags mlockall(MCL_FUTURE) gives @mm's new mappings (Linux's
 * mm->def_flags): VMA_LOCKED, with VMA_LOCKONFAULT for MCL_ONFAULT.
 */
unsigned mm_lock_future_flags(const struct mm *mm);
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
