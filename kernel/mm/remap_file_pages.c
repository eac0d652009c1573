/*
 * remap_file_pages(2) as Linux has emulated it since 4.0: the pages of a
 * shared mapping's file (or shared object) from @pgoff are mapped over
 * the range by a new mapping, as mmap(MAP_SHARED|MAP_FIXED|MAP_POPULATE)
 * of the same object would, instead of a nonlinear one.
 */
#include <kernel/mm.h>
#include <kernel/task.h>
#include <kernel/vfs.h>
#include <kernel/syscall.h>
#include <platform/printk.h>
#include "mm_internal.h"

#define MAP_NONBLOCK	0x10000

/* Linux's VM_SPECIAL mappings: the vDSO's, an AIO ring. */
#define VMA_SPECIAL	(VMA_VVAR | VMA_VDSO | VMA_AIO)

/*
 * Whether vmas like @first (its object, protection and flags) map all of
 * [@first's start, end) of @mm, no hole between them: Linux's walk over
 * the vmas after the first.
 */
static bool range_like(struct mm *mm, struct vma *first, uintptr_t end)
{
	struct vma *prev = first, *v;

	while (prev->end < end) {
		v = vma_next(mm, prev);
		if (!v || v->start != prev->end || v->file != first->file ||
		    v->anon != first->anon || v->flags != first->flags ||
		    v->prot != first->prot)
			return false;
		prev = v;
	}
	return true;
}

/*
 * Linux's SYSCALL_DEFINE5(remap_file_pages), in its order: the warning
 * (once), prot must be 0, the range and @pgoff must not wrap, the range
 * must lie in shared mappings of one object with one protection; then
 * the range is unmapped and mapped again from @pgoff, populated unless
 * MAP_NONBLOCK (other flags are ignored). A System V segment that the
 * unmap destroyed (removed, its last attach gone) is not mapped again:
 * EINVAL with the range left unmapped, as Linux's shm_mmap. 0 or -errno.
 */
SYSCALL(__NR_remap_file_pages, remap_file_pages)(SYSCALL_ARGS)
{
	static bool warned;
	uintptr_t start = (uintptr_t)a0 & ~(uintptr_t)(PAGE_SIZE - 1);
	size_t size = (size_t)a1 & ~(size_t)(PAGE_SIZE - 1);
	uint64_t pgoff = (uint64_t)a3;
	unsigned flags = (unsigned)a4 & MAP_NONBLOCK;
	struct mm *mm = current->mm;
	struct shared_anon *anon;
	struct file *file;
	struct vma *v, like;
	bool owned;
	int err;

	if (!warned) {
		warned = true;
		pr_warn("mmap: %s (%d) uses deprecated remap_file_pages() syscall. See Documentation/mm/remap_file_pages.rst.",
			current->comm, current->tgid);
	}
	if (a2)
		return -EINVAL;
	if (start + size <= start)
		return -EINVAL;
	if (pgoff + size / PAGE_SIZE < pgoff)
		return -EINVAL;
	v = vma_find(mm, start);
	if (!v || !(v->flags & VMA_SHARED) || (v->flags & VMA_SPECIAL) ||
	    (!v->file && !v->anon))
		return -EINVAL;
	if (!range_like(mm, v, start + size))
		return -EINVAL;
	if ((v->flags & VMA_LOCKED) && !mm_lock_within(mm, size / PAGE_SIZE))
		return -EAGAIN;

	/* Linux's do_mmap of the vma's file: a new vma's flags. */
	file = v->file;
	anon = v->anon;
	like = vma_new_kind(start, v->prot,
			    (v->flags & (VMA_SHARED | VMA_LOCKED | VMA_NOWRITE |
					 VMA_NOEXEC)) | mm_lock_future_flags(mm),
			    file, pgoff, anon);
	if (file)
		fget(file);
	if (anon)
		shared_anon_hold(anon);
	owned = anon && shared_anon_user(anon);
	err = mm_unmap_region(mm, start, size);
	if (err)
		goto out;
	err = -EINVAL;		/* its owner let it go with the last attach */
	if (owned && !shared_anon_user(anon))
		goto out;
	err = mm_map_vma_like(mm, start, size, &like, true);
	if (err)
		goto out;
	if (!(flags & MAP_NONBLOCK))
		mm_populate(mm, start, start + size, true);
out:
	if (file)
		fput(file);
	if (anon)
		shared_anon_put(anon);
	return err;
}
