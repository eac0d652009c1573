/*
 * Page faults: demand-zero anonymous pages, file pages mapped straight
 * from the filesystem's frames, copy-on-write, and the stack's growth.
 * Also the shared anonymous objects that back MAP_SHARED|MAP_ANONYMOUS.
 */
#include <kernel/mm.h>
#include <kernel/page_cache.h>
#include <kernel/task.h>
#include <kernel/vfs.h>
#include <kernel/vfs_ops.h>
#include <platform/heap.h>
#include <platform/upcall.h>
#include <platform/printk.h>
#include <kernel/signal.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include "mm_internal.h"

#define STACK_GUARD_GAP	(256 * PAGE_SIZE)

struct shared_anon *shared_anon_new(size_t npages)
{
	struct shared_anon *a = kzalloc(sizeof(*a) + npages * sizeof(paddr_t));

	if (a) {
		a->refcount = 1;
		a->npages = npages;
	}
	return a;
}

void shared_anon_get(struct shared_anon *a)
{
	a->refcount++;
	if (a->user)
		a->user->attach(a->user, 1);
}

/* See mm_internal.h. */
void shared_anon_hold(struct shared_anon *a)
{
	a->refcount++;
}

/* The user may drop its own reference from attach: count after it. */
void shared_anon_vma_put(struct shared_anon *a)
{
	if (a->user)
		a->user->attach(a->user, -1);
	shared_anon_put(a);
}

void shared_anon_set_user(struct shared_anon *a, struct shared_anon_user *u)
{
	a->user = u;
}

struct shared_anon_user *shared_anon_user(const struct shared_anon *a)
{
	return a->user;
}

size_t shared_anon_resident(const struct shared_anon *a)
{
	size_t n = 0;

	for (size_t i = 0; i < a->npages; i++)
		n += a->pages[i] != 0;
	return n;
}

void shared_anon_put(struct shared_anon *a)
{
	if (--a->refcount > 0)
		return;
	for (size_t i = 0; i < a->npages; i++)
		if (a->pages[i])
			frame_put(a->pages[i]);
	kfree(a);
}

int shared_anon_page(struct shared_anon *a, size_t idx, paddr_t *out)
{
	if (idx >= a->npages)
		return -EFAULT;
	if (!a->pages[idx]) {
		a->pages[idx] = frame_alloc();
		if (!a->pages[idx])
			return -ENOMEM;
	}
	frame_get(a->pages[idx]);
	*out = a->pages[idx];
	return 0;
}

/* See mm_internal.h. */
unsigned vma_mmu_prot(const struct vma *v)
{
	unsigned p = 0;

	if (v->prot & PROT_READ)
		p |= MMU_READ;
	if (v->prot & PROT_WRITE)
		p |= MMU_WRITE;
	if (v->prot & PROT_EXEC)
		p |= MMU_EXEC | MMU_READ;
	return p;
}

/*
 * The frame backing page @page of @v, with a reference; *@cached: the
 * page cache's (else the filesystem's own, or anonymous).
 */
static int backing_page(struct vma *v, uintptr_t page, paddr_t *out,
			bool *cached)
{
	uint64_t idx = v->pgoff + (page - v->start) / PAGE_SIZE;

	*cached = false;
	if (v->anon)
		return shared_anon_page(v->anon, idx, out);
	if (v->file) {
		struct inode *inode = v->file->inode;
		int err;

		if (idx >= DIV_ROUND_UP((uint64_t)inode->size, PAGE_SIZE))
			return -EIO;		/* past EOF: SIGBUS */
		/* A filesystem with its own frames (tmpfs) first: the page
		 * cache never serves one. */
		if (inode->iops && inode->iops->get_page) {
			err = vop_get_page(inode, idx, out);
		} else if (page_cache_serves(inode)) {
			*cached = true;
			err = page_cache_get(v->file, idx, out);
		} else {
			err = vop_get_page(inode, idx, out);
		}
		/* A page that cannot be had is SIGBUS, as on Linux. */
		return err && err != -ENOMEM ? -EIO : err;
	}
	*out = frame_alloc();
	return *out ? 0 : -ENOMEM;
}

/*
 * A store to page @page of shared vma @v: a page-cache page is dirty
 * from now on. 0 or -ENOMEM.
 */
static int cached_dirty(struct vma *v, uintptr_t page)
{
	if (!v->file || !page_cache_serves(v->file->inode))
		return 0;
	return page_cache_dirty(v->file->inode,
				v->pgoff + (page - v->start) / PAGE_SIZE);
}

/* Linux's fault_around_bytes (64 KiB), and the span one page table maps. */
#define FAULT_AROUND_PAGES	16
#define PT_SPAN			(512 * PAGE_SIZE)

/*
 * After a read fault on page @page of @v, a file mapping: map read-only
 * the pages around it that the file holds already (in the page cache,
 * or a filesystem's own frames through one peek_pages call, tmpfs's)
 * and nothing maps yet, as Linux's do_fault_around: from @page rounded
 * down to 64 KiB (not before the vma) for 16 pages, inside the vma, the
 * page table and the file. A store to one faults as any read-only page
 * does. Nothing is read and nothing fails: a page that cannot be mapped
 * is left to its own fault.
 */
static void fault_around(struct mm *mm, struct vma *v, uintptr_t page,
			 bool cached)
{
	uintptr_t start = MAX(ALIGN_DOWN(page, FAULT_AROUND_PAGES * PAGE_SIZE),
			      v->start);
	uintptr_t end = MIN(MIN(start + FAULT_AROUND_PAGES * PAGE_SIZE, v->end),
			    ALIGN_DOWN(start, PT_SPAN) + PT_SPAN);
	unsigned prot = vma_mmu_prot(v) & ~MMU_WRITE, cur, n, i = 0;
	uint64_t first = v->pgoff + (start - v->start) / PAGE_SIZE;
	paddr_t own[FAULT_AROUND_PAGES], pa, old;

	if (!(prot & (MMU_READ | MMU_EXEC)))
		return;
	n = (unsigned)((end - start) / PAGE_SIZE);
	if (!cached && vop_peek_pages(v->file->inode, first, n, own))
		return;
	for (uintptr_t va = start; va < end; va += PAGE_SIZE, i++) {
		if (cached) {
			if (va == page ||
			    mmu_lookup(mm->space, va, &old, &cur) ||
			    !page_cache_peek(v->file->inode, first + i, &pa))
				continue;
		} else {
			pa = own[i];
			if (!pa)
				continue;
			if (va == page ||
			    mmu_lookup(mm->space, va, &old, &cur)) {
				frame_put(pa);
				continue;
			}
		}
		if (mmu_map(mm->space, va, pa, prot))
			break;		/* and the reference with it */
		if (++mm->rss_pages > mm->hiwater_rss_pages)
			mm->hiwater_rss_pages = mm->rss_pages;
	}
	/* The own frames not reached keep no reference. */
	while (!cached && ++i < n)
		if (own[i])
			frame_put(own[i]);
}

/* Grow the stack vma @v down to cover @addr, if the gap allows. */
static struct vma *stack_grow(struct mm *mm, uintptr_t addr)
{
	/* @addr is in no vma: the first that ends above it starts above. */
	struct vma *v = vma_first_from(mm, addr), *prev;

	if (!v || !(v->flags & VMA_GROWSDOWN))
		return NULL;
	prev = vma_prev(mm, v);
	uintptr_t page = ALIGN_DOWN(addr, PAGE_SIZE);
	uint64_t limit = rlimit(RLIMIT_STACK);

	if (v->end - page > limit)
		return NULL;
	if (prev && page < prev->end + STACK_GUARD_GAP)
		return NULL;
	v->pgoff -= (v->start - page) / PAGE_SIZE;
	v->start = page;
	return v;
}

int mm_fault(struct mm *mm, uintptr_t addr, bool write, bool exec)
{
	struct vma *v = vma_find(mm, addr);
	uintptr_t page = ALIGN_DOWN(addr, PAGE_SIZE);
	paddr_t pa, old;
	unsigned prot, cur;
	bool cached;
	int err;

	if (!v) {
		v = stack_grow(mm, addr);
		if (!v)
			return -EFAULT;
	}
	if ((write && !(v->prot & PROT_WRITE)) ||
	    (exec && !(v->prot & PROT_EXEC)) ||
	    (!(v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC))))
		return -EFAULT;
	/* A store to private memory makes an anonymous page. */
	if (write)
		vma_anon_prepare(mm, v);
	prot = vma_mmu_prot(v);

	if (mmu_lookup(mm->space, page, &old, &cur)) {
		if (!write || (cur & MMU_WRITE))
			return 0;		/* already resolved */
		if (v->flags & VMA_SHARED) {
			err = cached_dirty(v, page);
			if (err)
				return err;
			frame_get(old);
			return mmu_map(mm->space, page, old, prot);
		}
		/* Copy-on-write; the last holder takes the frame as it is. */
		if (frame_refcount(old) == 1) {
			frame_get(old);
			return mmu_map(mm->space, page, old, prot);
		}
		pa = frame_alloc_dirty();
		if (!pa)
			return -ENOMEM;
		frame_copy(pa, old);
		return mmu_map(mm->space, page, pa, prot);
	}

	err = backing_page(v, page, &pa, &cached);
	if (err)
		return err;
	if (cached && (v->flags & VMA_SHARED)) {
		/* Writable only once dirty: the first store must mark it. */
		err = write ? cached_dirty(v, page) : 0;
		if (err) {
			frame_put(pa);
			return err;
		}
		if (!write)
			prot &= ~MMU_WRITE;
	}
	if (v->file && !(v->flags & VMA_SHARED)) {
		if (write) {		/* private copy of the file page */
			paddr_t copy = frame_alloc_dirty();

			if (!copy) {
				frame_put(pa);
				return -ENOMEM;
			}
			frame_copy(copy, pa);
			frame_put(pa);
			pa = copy;
		} else {
			prot &= ~MMU_WRITE;	/* copy on a later write */
		}
	}
	if (++mm->rss_pages > mm->hiwater_rss_pages)
		mm->hiwater_rss_pages = mm->rss_pages;
	err = mmu_map(mm->space, page, pa, prot);
	/*
	 * Not for a userfaultfd's range: its faults are its own to resolve.
	 * Not for a program's code in a filesystem's own frames (tmpfs, the
	 * initramfs): a short-lived program runs little of each 64 KiB of
	 * its code, and mapping a binary's untouched neighbours made
	 * `sh -c true` 12% slower, even with fork leaving them to faults.
	 */
	if (!err && !write && !v->uffd && v->file &&
	    (cached || (!(v->prot & PROT_EXEC) && v->file->inode->iops &&
			v->file->inode->iops->peek_pages)))
		fault_around(mm, v, page, cached);
	return err;
}

/* A private copy of the page at @page for a forced write. */
static int force_cow(struct mm *mm, struct vma *v, uintptr_t page,
		     paddr_t *pa)
{
	paddr_t old, copy;
	unsigned cur;
	int err = mm_fault(mm, page, false, false);

	if (err)
		return err;
	if (!mmu_lookup(mm->space, page, &old, &cur))
		return -EFAULT;
	if (frame_refcount(old) == 1) {	/* already this mm's own */
		*pa = old;
		return 0;
	}
	copy = frame_alloc_dirty();
	if (!copy)
		return -ENOMEM;
	frame_copy(copy, old);
	err = mmu_map(mm->space, page, copy, vma_mmu_prot(v));
	if (!err)
		*pa = copy;
	return err;
}

/* See mm_internal.h. */
int mm_fault_force(struct mm *mm, uintptr_t addr, bool write, paddr_t *pa)
{
	struct vma *v = vma_find(mm, addr);
	uintptr_t page = ALIGN_DOWN(addr, PAGE_SIZE);
	unsigned cur;
	int err;

	if (!v || (v->flags & VMA_VVAR) || !v->prot)
		return -EFAULT;
	if (write && !(v->prot & PROT_WRITE)) {
		if (v->flags & VMA_SHARED)
			return -EFAULT;
		vma_anon_prepare(mm, v);
		return force_cow(mm, v, page, pa);
	}
	err = mm_fault(mm, page, write, false);
	if (err)
		return err;
	return mmu_lookup(mm->space, page, pa, &cur) ? 0 : -EFAULT;
}

/* Since boot, for /proc/vmstat. */
static struct mm_events events;

void mm_events(struct mm_events *e)
{
	*e = events;
}

/* The page-cache pages a fault short of memory reclaims before it retries. */
#define FAULT_RECLAIM	64

/*
 * Out of memory while resolving a fault: as Linux's OOM killer would, end
 * the process that needs the memory (SIGKILL) rather than the kernel.
 */
static void oom_kill_current(void)
{
	pr_err("Out of memory: Killed process %d (%s)", current->pid,
	       current->comm);
	events.oom_kill++;
	send_signal(current, SIGKILL, NULL);
}

int kernel_page_fault(uintptr_t addr, bool write, bool exec, bool user)
{
	struct task *t = current;
	struct mm *mm = t ? t->mm : NULL;
	unsigned reclaim;
	int err;

	if (!mm)
		return -EFAULT;
	t->min_flt++;
	events.pgfault++;
	/*
	 * Page-cache pages give way before the fault takes frames; dirty
	 * ones are written back only for a fault from user mode, whose task
	 * holds no service's lock (one in kernel mode may be a filesystem's
	 * copy from a user buffer under its lock, which the write op would
	 * wait for).
	 */
	reclaim = RECLAIM_MAPPED | (user ? RECLAIM_WRITEBACK : 0);
	page_cache_keep_reserve(user);
	err = mm->uffd_used ? uffd_fault(mm, addr, write, user) : 1;
	if (err > 0) {
		err = mm_fault(mm, addr, write, exec);
		if (err == -ENOMEM && page_cache_reclaim(FAULT_RECLAIM, reclaim))
			err = mm_fault(mm, addr, write, exec);
	}
	if (err == -ENOMEM) {
		oom_kill_current();
		/* From user mode, SIGKILL is delivered before any retry. */
		return user ? 0 : -EFAULT;
	}
	if (err == -EIO && user) {
		force_signal(SIGBUS, BUS_ADRERR, addr);
		return 0;
	}
	return err ? -EFAULT : 0;
}
