/*
 * /proc/PID/pagemap's entries (Linux 6.1's fs/proc/task_mmu.c format):
 * 64 bits a virtual page, computed from an address space's vmas and page
 * tables for procfs. There is no swap, and no clear_refs, so every page
 * inside a vma is soft-dirty, as every new Linux vma is (VM_SOFTDIRTY).
 */
#include <kernel/mm.h>
#include <kernel/task.h>
#include <kernel/vfs.h>
#include <svc/introspect.h>
#include <platform/frame.h>
#include "mm_internal.h"

#define PM_PFN_MASK		((1ULL << 55) - 1)
#define PM_SOFT_DIRTY		(1ULL << 55)
#define PM_MMAP_EXCLUSIVE	(1ULL << 56)
#define PM_FILE			(1ULL << 61)
#define PM_PRESENT		(1ULL << 63)

/* Whether an earlier task of the list than @t has @t's address space. */
static bool mm_seen_before(const struct task *t)
{
	const struct task *u;

	for_each_task(u) {
		if (u == t)
			return false;
		if (u->mm == t->mm)
			return true;
	}
	return false;
}

/*
 * How many page-table entries map frame @pa as page @idx of @v's file or
 * shared object, in every address space, counted up to 2 (Linux's
 * page_mapcount, which the exclusive bit compares with 1).
 */
static unsigned object_mapcount(const struct vma *v, uint64_t idx, paddr_t pa)
{
	const struct inode *inode = v->file ? v->file->inode : NULL;
	struct task *t;
	unsigned n = 0;

	for_each_task(t) {
		struct vma *w;

		if (!t->mm || mm_seen_before(t))
			continue;
		list_for_each_entry(w, &t->mm->vmas, link) {
			uint64_t pages = (w->end - w->start) / PAGE_SIZE;
			unsigned prot;
			paddr_t q;

			if ((inode ? !w->file || w->file->inode != inode :
			     w->anon != v->anon) ||
			    idx < w->pgoff || idx - w->pgoff >= pages)
				continue;
			if (mmu_lookup(t->mm->space, w->start +
				       (idx - w->pgoff) * PAGE_SIZE, &q, &prot) &&
			    q == pa && ++n > 1)
				return n;
		}
	}
	return n;
}

/* The entry of page @va of @v in @mm. */
static uint64_t pagemap_entry(struct mm *mm, const struct vma *v,
			      uintptr_t va, bool show_pfn)
{
	uint64_t e = PM_SOFT_DIRTY, idx;
	unsigned prot, maps;
	bool anon;
	paddr_t pa;

	if (!mmu_lookup(mm->space, va, &pa, &prot))
		return e;
	e |= PM_PRESENT;
	if (show_pfn)
		e |= (pa >> PAGE_SHIFT) & PM_PFN_MASK;
	/* A private file page written is the task's own copy (as smaps). */
	anon = !v->file && !v->anon;
	if (v->file && !(v->flags & VMA_SHARED) && (prot & MMU_WRITE))
		anon = true;
	if (anon) {
		maps = frame_refcount(pa);
	} else {
		e |= PM_FILE;
		idx = v->pgoff + (va - v->start) / PAGE_SIZE;
		maps = object_mapcount(v, idx, pa);
	}
	if (maps == 1)
		e |= PM_MMAP_EXCLUSIVE;
	return e;
}

/* See include/svc/introspect.h. */
void mm_pagemap(struct mm *mm, uintptr_t va, uint64_t *out, size_t n,
		bool show_pfn)
{
	struct vma *v = vma_first_from(mm, va);

	for (size_t i = 0; i < n; i++, va += PAGE_SIZE) {
		while (v && v->end <= va)
			v = vma_next(mm, v);
		out[i] = v && v->start <= va ?
			 pagemap_entry(mm, v, va, show_pfn) : 0;
	}
}
