/*
 * Which address spaces map a file: the walk F_SEAL_WRITE makes (Linux
 * keeps a count, i_mmap_writable; sealing is rare, so a walk over every
 * task's areas does here), the unmapping of a file's pages a truncate
 * or the page cache makes (the same walk), the writeback of the
 * page-cache pages an address space's shared mappings dirtied, the
 * search of sync and syncfs for the files whose mappings dirtied some,
 * and reclaim's for a file to write a dirty page back through.
 */
#include <kernel/mm.h>
#include <kernel/task.h>
#include <kernel/vfs.h>
#include <kernel/vfs_ops.h>
#include <kernel/page_cache.h>
#include "mm_internal.h"

/*
 * Every vma @v of every task @t that has an address space. Threads share
 * theirs, so a walk may meet one address space more than once: each use
 * below is idempotent (a second unmap or write-protect finds nothing).
 */
#define for_each_task_vma(t, v)						\
	for_each_task(t)						\
		if (!(t)->mm) {} else					\
			list_for_each_entry(v, &(t)->mm->vmas, link)

/* True if @v maps page @idx of @inode. */
static bool vma_maps_file_page(const struct vma *v, const struct inode *inode,
			       uint64_t idx)
{
	return v->file && v->file->inode == inode && idx >= v->pgoff &&
	       idx - v->pgoff < (v->end - v->start) / PAGE_SIZE;
}

/* See include/kernel/mm.h. */
bool mm_inode_mapped_shared(const struct inode *inode)
{
	struct task *t;
	struct vma *v;

	/* Shared, through a writable file and may become writable (VM_SHARED
	 * and VM_MAYWRITE, as Linux counts). */
	for_each_task_vma(t, v) {
		if (v->file && v->file->inode == inode &&
		    (v->flags & VMA_SHARED) && !(v->flags & VMA_NOWRITE) &&
		    (v->file->mode & FMODE_WRITE))
			return true;
	}
	return false;
}

/* Unmap from @mm's mappings of @inode its pages [@first, @last] (@only). */
static void mm_unmap_file(struct mm *mm, const struct inode *inode,
			  uint64_t first, uint64_t last, paddr_t only)
{
	struct vma *v;

	list_for_each_entry(v, &mm->vmas, link) {
		uint64_t vlast = v->pgoff + (v->end - v->start) / PAGE_SIZE - 1;
		uint64_t lo = MAX(first, v->pgoff), hi = MIN(last, vlast);
		uintptr_t va, end;
		unsigned prot;
		paddr_t pa;
		size_t n = 0;

		if (!v->file || v->file->inode != inode || lo > hi)
			continue;
		va = v->start + (lo - v->pgoff) * PAGE_SIZE;
		end = v->start + (hi - v->pgoff + 1) * PAGE_SIZE;
		if (!only) {
			n = mmu_unmap(mm->space, va, end);
		} else {
			for (; va < end; va += PAGE_SIZE)
				if (mmu_lookup(mm->space, va, &pa, &prot) &&
				    pa == only)
					n += mmu_unmap(mm->space, va,
						       va + PAGE_SIZE);
		}
		mm->rss_pages -= MIN(n, mm->rss_pages);
	}
}

/* See include/kernel/mm.h. */
void mm_unmap_file_pages(const struct inode *inode, uint64_t first,
			 uint64_t last, paddr_t only)
{
	struct task *t;

	for_each_task(t) {
		if (t->mm)
			mm_unmap_file(t->mm, inode, first, last, only);
	}
}

/* See include/kernel/mm.h. */
bool mm_unmap_file_page(const struct inode *inode, uint64_t idx,
			paddr_t frame)
{
	struct task *t;
	struct vma *v;

	for_each_task_vma(t, v) {
		if ((v->flags & VMA_LOCKED) && vma_maps_file_page(v, inode, idx))
			return false;
	}
	mm_unmap_file_pages(inode, idx, idx, frame);
	return true;
}

/* See include/kernel/mm.h. */
void mm_wrprotect_file_page(const struct inode *inode, uint64_t idx,
			    paddr_t frame)
{
	struct task *t;
	struct vma *v;

	for_each_task_vma(t, v) {
		uintptr_t va = v->start + (idx - v->pgoff) * PAGE_SIZE;
		unsigned prot;
		paddr_t pa;

		if (!(v->flags & VMA_SHARED) || !vma_maps_file_page(v, inode, idx))
			continue;
		if (mmu_lookup(t->mm->space, va, &pa, &prot) && pa == frame &&
		    (prot & MMU_WRITE))
			mmu_protect(t->mm->space, va, va + PAGE_SIZE,
				    prot & ~MMU_WRITE);
	}
}

/* See include/kernel/mm.h. */
struct file *mm_dirty_shared_file(const struct super_block *sb,
				  uint64_t pass)
{
	struct task *t;
	struct vma *v;

	for_each_task_vma(t, v) {
		struct file *f = v->file;

		if (f && (v->flags & VMA_SHARED) &&
		    (!sb || f->inode->sb == sb) &&
		    page_cache_serves(f->inode) &&
		    page_cache_sync_pending(f->inode, pass)) {
			fget(f);
			return f;
		}
	}
	return NULL;
}

/* See include/kernel/mm.h. */
struct file *mm_shared_file(const struct inode *inode)
{
	struct task *t;
	struct vma *v;

	for_each_task_vma(t, v) {
		if (v->file && v->file->inode == inode &&
		    (v->flags & VMA_SHARED)) {
			fget(v->file);
			return v->file;
		}
	}
	return NULL;
}

/* See mm_internal.h. */
int mm_writeback_range(struct mm *mm, uintptr_t start, uintptr_t end,
		       bool sync)
{
	struct vma *v;
	int ret = 0;

again:
	vma_for_each_from(v, mm, start) {
		uintptr_t from = MAX(start, v->start), to = MIN(end, v->end);
		struct file *f = v->file;
		int err;

		if (v->start >= end)
			break;
		if (!f || !(v->flags & VMA_SHARED) ||
		    !page_cache_serves(f->inode))
			continue;
		fget(f);
		err = page_cache_writeback(f, v->pgoff +
					   (from - v->start) / PAGE_SIZE,
					   v->pgoff +
					   (to - v->start) / PAGE_SIZE - 1);
		if (!err && sync)
			err = vop_fsync(f);
		/* msync(MS_SYNC) reports a writeback error once, as fsync. */
		if (sync) {
			int werr = page_cache_take_error(f->inode);

			if (!err)
				err = werr;
		}
		fput(f);
		if (err && !ret)
			ret = err;
		start = to;
		if (start >= end)
			break;
		goto again;
	}
	return ret;
}
