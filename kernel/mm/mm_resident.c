/*
 * The calls about a range's pages rather than its mapping: msync,
 * mincore and the residency /proc/PID/smaps reports (the mlock family:
 * mm_lock.c). tmpfs pages are the file itself, so there is nothing to
 * write back; msync checks — and reports as Linux does — that the range
 * is mapped, and MS_SYNC writes the dirty pages of the page cache's
 * files (ext2) and syncs them.
 */
#include <kernel/mm.h>
#include <svc/introspect.h>
#include <kernel/task.h>
#include <kernel/syscall.h>
#include <platform/usercopy.h>
#include <platform/heap.h>
#include <aramid/string.h>
#include "mm_internal.h"

#define MS_ASYNC	1
#define MS_INVALIDATE	2
#define MS_SYNC		4
#define MINCORE_CHUNK	512	/* vector bytes copied out at a time */

/* See mm_internal.h. */
int mm_range_covered(struct mm *mm, uintptr_t start, uintptr_t end)
{
	struct vma *v;

	vma_for_each_from(v, mm, start) {
		if (start >= end || v->start > start)
			break;
		start = v->end;
	}
	return start >= end ? 0 : -ENOMEM;
}

/*
 * msync's walk over the vmas of [start, end), as Linux's: a hole is
 * ENOMEM at once for MS_SYNC alone, else at the end; MS_INVALIDATE of a
 * locked vma is EBUSY.
 */
static long msync_walk(struct mm *mm, uintptr_t start, uintptr_t end,
		       unsigned flags)
{
	long unmapped = 0;
	struct vma *v;

	vma_for_each_from(v, mm, start) {
		if (start < v->start) {
			if (flags == MS_SYNC || v->start >= end)
				return -ENOMEM;
			start = v->start;
			unmapped = -ENOMEM;
		}
		if ((flags & MS_INVALIDATE) && (v->flags & VMA_LOCKED))
			return -EBUSY;
		start = v->end;
		if (start >= end)
			return unmapped;
	}
	return -ENOMEM;
}

SYSCALL(__NR_msync, msync)(SYSCALL_ARGS)
{
	uintptr_t start = a0, end;
	unsigned flags = (unsigned)a2;
	long ret;

	if ((start & (PAGE_SIZE - 1)) ||
	    (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) ||
	    ((flags & MS_ASYNC) && (flags & MS_SYNC)))
		return -EINVAL;
	end = start + ALIGN_UP((size_t)a1, PAGE_SIZE);
	if (end < start)
		return -ENOMEM;
	if (end == start)
		return 0;
	ret = msync_walk(current->mm, start, end, flags);
	if (ret != -ENOMEM && ret < 0)
		return ret;
	if (flags & MS_SYNC) {
		int err = mm_writeback_range(current->mm, start, end, true);

		if (err)
			return err;
	}
	return ret;
}

/*
 * mincore: a byte per page of [addr, addr + len), 1 if the page is in
 * this address space's page tables (for a file mapping Linux also counts
 * file pages cached but not yet faulted in here). EINVAL for an unaligned
 * start, ENOMEM for an unmapped page, EFAULT for a bad vector.
 */
SYSCALL(__NR_mincore, mincore)(SYSCALL_ARGS)
{
	struct mm *mm = current->mm;
	uintptr_t start = a0;
	size_t pages = ALIGN_UP((size_t)a1, PAGE_SIZE) / PAGE_SIZE;
	uptr_t vec = UPTR(a2);
	uint8_t *buf;
	long err;

	if (start & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!access_ok(UPTR(start), (size_t)a1) || start + (size_t)a1 < start)
		return -ENOMEM;
	if (!pages)
		return 0;
	if (!access_ok(vec, pages))
		return -EFAULT;
	err = mm_range_covered(mm, start, start + pages * PAGE_SIZE);
	if (err)
		return err;
	buf = kmalloc(MINCORE_CHUNK);
	if (!buf)
		return -ENOMEM;
	for (size_t done = 0; done < pages && !err;) {
		size_t n = MIN(pages - done, (size_t)MINCORE_CHUNK);

		for (size_t i = 0; i < n; i++) {
			paddr_t pa;
			unsigned prot;

			buf[i] = mmu_lookup(mm->space, start + (done + i) *
					    PAGE_SIZE, &pa, &prot);
		}
		err = copy_to_user(uptr_add(vec, done), buf, n) ? -EFAULT : 0;
		done += n;
	}
	kfree(buf);
	return err;
}

/*
 * See svc/introspect.h. A private anonymous page's frame is referenced
 * by the page tables that map it alone, so its reference count is its
 * map count (Linux's page_mapcount).
 */
void mm_vma_pages(struct mm *mm, const struct vma *v, struct vma_pages *out)
{
	bool private_file = v->file && !(v->flags & VMA_SHARED);
	bool private_anon = !v->file && !v->anon;

	*out = (struct vma_pages){ 0 };
	for (uintptr_t va = v->start; va < v->end; va += PAGE_SIZE) {
		unsigned prot, maps = 1;
		paddr_t pa;

		if (!mmu_lookup(mm->space, va, &pa, &prot))
			continue;
		out->resident++;
		if (private_anon) {
			maps = frame_refcount(pa);
			if (maps > 1)
				out->anon_shared++;
			else
				maps = 1;
		}
		out->pss += (1ULL << VMA_PSS_SHIFT) / maps;
		if (private_anon || (private_file && (prot & MMU_WRITE)))
			out->anon++;
	}
}
