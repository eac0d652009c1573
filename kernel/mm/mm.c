/*
 * Address spaces: the mm object, its vmas (a list in address order for
 * walks and a red-black tree over the same vmas for lookups), splitting
 * and unmapping ranges within vm.max_map_count, fork's copy, and the
 * shared anonymous objects behind MAP_SHARED|MAP_ANONYMOUS.
 */
#include <kernel/mm.h>
#include <kernel/aio.h>
#include <kernel/vfs.h>
#include <kernel/task.h>
#include <svc/task.h>
#include <platform/heap.h>
#include <aramid/string.h>
#include <uapi/capability.h>
#include <uapi/errno.h>
#include "mm_internal.h"

int max_map_count = 65530;	/* Linux's DEFAULT_MAX_MAP_COUNT */

struct mm *mm_new(void)
{
	static uint64_t serials;
	struct mm *mm = kzalloc(sizeof(*mm));

	if (!mm)
		return NULL;
	mm->space = mmu_space_create();
	if (!mm->space) {
		kfree(mm);
		return NULL;
	}
	mm->refcount = 1;
	mm->serial = ++serials;
	mm->dumpable = true;
	mm->coredump_filter = current && current->mm ?
			      current->mm->coredump_filter : COREDUMP_FILTER_DEFAULT;
	list_init(&mm->vmas);
	return mm;
}

void mm_get(struct mm *mm)
{
	mm->refcount++;
}

/* See mm_internal.h. */
void vma_free(struct vma *v)
{
	if (v->file)
		fput(v->file);
	if (v->zero_file)
		fput(v->zero_file);
	if (v->anon)
		shared_anon_vma_put(v->anon);
	kfree(v);
}

void mm_put(struct mm *mm)
{
	struct vma *v, *n;

	if (--mm->refcount > 0)
		return;
	aio_mm_exit(mm);
	mm_writeback_range(mm, 0, UINTPTR_MAX, false);
	list_for_each_entry_safe(v, n, &mm->vmas, link) {
		mmu_unmap(mm->space, v->start, v->end);
		list_del(&v->link);
		vma_free(v);
	}
	if (mm->exe_file) {
		file_allow_write_access(mm->exe_file);
		fput(mm->exe_file);
	}
	mmu_space_destroy(mm->space);
	kfree(mm);
}

void mm_activate(struct mm *mm)
{
	mmu_switch(mm->space);
}

struct vma *vma_first_from(struct mm *mm, uintptr_t addr)
{
	struct rb_node *n = mm->vma_tree.node;
	struct vma *best = NULL;

	/* vmas never overlap: in the order of their starts, their ends
	 * are in order too. */
	while (n) {
		struct vma *v = rb_entry(n, struct vma, node);

		if (v->end > addr) {
			best = v;
			if (v->start <= addr)
				break;
			n = n->child[RB_LEFT];
		} else {
			n = n->child[RB_RIGHT];
		}
	}
	return best;
}

struct vma *vma_find(struct mm *mm, uintptr_t addr)
{
	struct vma *v = mm->vma_cache;

	/* vmas never overlap: a live one that holds @addr is the one. */
	if (v && addr >= v->start && addr < v->end)
		return v;
	v = vma_first_from(mm, addr);
	if (!v || v->start > addr)
		return NULL;
	mm->vma_cache = v;
	return v;
}

bool mm_addr_unmapped(struct mm *mm, uintptr_t addr)
{
	return vma_find(mm, addr) == NULL;
}

/* See mm_internal.h. */
void vma_insert(struct mm *mm, struct vma *nv)
{
	struct rb_node **link = &mm->vma_tree.node, *parent = NULL;
	struct vma *next = NULL;	/* the first vma above @nv */

	while (*link) {
		struct vma *v = rb_entry(*link, struct vma, node);

		parent = *link;
		if (nv->start < v->start) {
			next = v;
			link = &parent->child[RB_LEFT];
		} else {
			link = &parent->child[RB_RIGHT];
		}
	}
	rb_link(&nv->node, parent, link);
	rb_insert_fixup(&mm->vma_tree, &nv->node);
	list_add_tail(&nv->link, next ? &next->link : &mm->vmas);
	mm->map_count++;
}

/* See mm_internal.h. */
void vma_unlink(struct mm *mm, struct vma *v)
{
	if (mm->vma_cache == v)
		mm->vma_cache = NULL;
	list_del(&v->link);
	rb_erase(&mm->vma_tree, &v->node);
	mm->map_count--;
}

/* See mm_internal.h. */
int vma_split(struct mm *mm, struct vma *v, uintptr_t addr)
{
	struct vma *hi = kmalloc(sizeof(*hi));

	if (!hi)
		return -ENOMEM;
	*hi = *v;
	hi->start = addr;
	hi->pgoff = v->pgoff + (addr - v->start) / PAGE_SIZE;
	if (hi->file)
		fget(hi->file);
	if (hi->zero_file)
		fget(hi->zero_file);
	if (hi->anon)
		shared_anon_get(hi->anon);
	v->end = addr;
	vma_insert(mm, hi);
	return 0;
}

/*
 * Split the vmas that straddle @start or @end so that [start, end) is a
 * union of whole vmas; with @limit, each split only while @mm has fewer
 * than vm.max_map_count vmas (Linux's split_vma). 0 or -ENOMEM.
 */
static int split_ends(struct mm *mm, uintptr_t start, uintptr_t end,
		      bool limit)
{
	struct vma *v = vma_first_from(mm, start);
	int err;

	if (v && v->start < start) {
		if (limit && mm->map_count >= max_map_count)
			return -ENOMEM;
		err = vma_split(mm, v, start);
		if (err)
			return err;
	}
	v = vma_find(mm, end - 1);
	if (v && v->end > end) {
		if (limit && mm->map_count >= max_map_count)
			return -ENOMEM;
		return vma_split(mm, v, end);
	}
	return 0;
}

int mm_split_range(struct mm *mm, uintptr_t start, uintptr_t end)
{
	return split_ends(mm, start, end, true);
}

/* See mm_internal.h. */
int mm_change_vma_flags(struct mm *mm, uintptr_t start, uintptr_t end,
			unsigned set, unsigned clear, unsigned skip)
{
	uintptr_t addr = start;
	struct vma *v;
	int err;

	while ((v = vma_first_from(mm, addr)) && v->start < end) {
		unsigned flags = (v->flags | set) & ~clear;

		addr = v->end;
		if (flags == v->flags || (v->flags & skip))
			continue;
		err = vma_modify(mm, v, MAX(start, v->start), MIN(end, v->end),
				 v->prot, flags, false, NULL, 0, &v);
		if (err)
			return err;
		addr = v->end;
	}
	return 0;
}

int mm_unmap_region(struct mm *mm, uintptr_t start, size_t len)
{
	uintptr_t end = start + len;
	struct vma *v, *n;
	int err;

	/* Before anything changes: the writeback sleeps. */
	mm_writeback_range(mm, start, end, false);
	/* Linux's do_mas_align_munmap: a hole punched in one vma must not
	 * leave more than vm.max_map_count; the ends split freely else. */
	v = vma_first_from(mm, start);
	if (v && v->start < start && v->end > end &&
	    mm->map_count >= max_map_count)
		return -ENOMEM;
	err = split_ends(mm, start, end, false);
	if (err)
		return err;
	for (v = vma_first_from(mm, start); v && v->start < end; v = n) {
		n = vma_next(mm, v);
		vma_unlink(mm, v);
		vma_free(v);
	}
	size_t pages = mmu_unmap(mm->space, start, end);

	mm->rss_pages -= MIN(pages, mm->rss_pages);
	return 0;
}

/*
 * Map @tmpl's kind of vma over [start, start+len), merged with its
 * neighbours where Linux would if @merge; it takes over @tmpl's file
 * and shared-object holds, which are dropped on failure. 0 or -ENOMEM.
 */
static int map_region(struct mm *mm, uintptr_t start, size_t len,
		      const struct vma *tmpl, bool merge)
{
	struct vma *v = kmalloc(sizeof(*v));
	int err;

	if (!v) {
		if (tmpl->file)
			fput(tmpl->file);
		if (tmpl->zero_file)
			fput(tmpl->zero_file);
		if (tmpl->anon)
			shared_anon_vma_put(tmpl->anon);
		return -ENOMEM;
	}
	*v = *tmpl;
	err = -ENOMEM;		/* Linux's do_mmap and do_brk_flags */
	if (mm->map_count > max_map_count)
		goto err_free;
	err = mm_unmap_region(mm, start, len);
	if (err)
		goto err_free;
	v->start = start;
	v->end = start + len;
	vma_place(mm, v, merge);
	return 0;

err_free:
	vma_free(v);
	return err;
}

/* See mm_internal.h. */
struct vma vma_new_kind(uintptr_t start, unsigned prot, unsigned flags,
			struct file *file, uint64_t pgoff, struct shared_anon *anon)
{
	struct vma t = {
		.prot = prot, .flags = flags, .file = file, .anon = anon,
		.pgoff = file || anon ? pgoff : start / PAGE_SIZE,
	};

	if ((prot & PROT_WRITE) && !(flags & (VMA_SHARED | VMA_NORESERVE)))
		t.flags |= VMA_ACCOUNT;
	return t;
}

/* See mm.h. */
int mm_map_region(struct mm *mm, uintptr_t start, size_t len, unsigned prot,
		  unsigned flags, struct file *file, uint64_t pgoff)
{
	struct shared_anon *anon = NULL;
	struct vma t;

	if ((flags & VMA_SHARED) && !file) {
		anon = shared_anon_new(len / PAGE_SIZE);
		if (!anon)
			return -ENOMEM;
	}
	if (file)
		fget(file);
	t = vma_new_kind(start, prot, flags, file, pgoff, anon);
	return map_region(mm, start, len, &t, true);
}

/* See mm_internal.h. */
int mm_map_vma_like(struct mm *mm, uintptr_t start, size_t len,
		    const struct vma *like, bool merge)
{
	struct vma t = *like;

	if (t.file)
		fget(t.file);
	if (t.zero_file)
		fget(t.zero_file);
	if (t.anon)
		shared_anon_get(t.anon);
	return map_region(mm, start, len, &t, merge);
}

/* See mm.h. */
int mm_map_shared_anon(struct mm *mm, uintptr_t start, size_t len,
		       unsigned prot, unsigned flags, struct shared_anon *a)
{
	struct vma t = vma_new_kind(start, prot, flags | VMA_SHARED, NULL, 0, a);

	shared_anon_get(a);
	return map_region(mm, start, len, &t, true);
}

uintptr_t mm_find_gap(struct mm *mm, size_t len)
{
	uintptr_t top = mm->mmap_base;
	struct vma *v;

	/* Walk from the highest vma down, looking below each one. */
	list_for_each_entry_reverse(v, &mm->vmas, link) {
		if (v->start >= top)
			continue;
		if (v->end <= top && top - v->end >= len)
			return top - len;
		if (v->start < top)
			top = v->start;
	}
	return top - MMAP_MIN >= len ? top - len : 0;
}

/* See mm.h. */
int mm_fixed_range_check(uintptr_t start, size_t len)
{
	if (len > TASK_SIZE || start > TASK_SIZE - len)
		return -ENOMEM;
	if (start < MMAP_MIN && !capable(CAP_SYS_RAWIO))
		return -EPERM;
	return 0;
}

/* See mm.h. */
int mm_set_exe_file(struct mm *mm, struct file *f)
{
	int err = file_deny_write_access(f);

	if (err)
		return err;
	fget(f);
	mm->exe_file = f;
	return 0;
}

/*
 * Whether fork copies the page-table entries of @v, as Linux's
 * vma_needs_copy: not for memory a fault in the child finds again in its
 * object, a shared mapping of a file or of a shared anonymous object
 * (tmpfs, memfd, System V shared memory), nor for a private file mapping
 * with no anonymous page yet (no anon_vma: every page it maps is the
 * file's, read-only). Private anonymous memory (whose read faults give
 * it pages of its own too), a private file mapping with copy-on-write
 * pages and the vDSO's and AIO ring's pages, which no fault would make,
 * are copied; a MADV_WIPEONFORK copy is empty.
 */
static bool fork_copies_pages(const struct vma *v)
{
	if (v->flags & VMA_WIPEONFORK)
		return false;
	if (v->flags & (VMA_VVAR | VMA_VDSO | VMA_AIO))
		return true;
	if (v->flags & VMA_SHARED)
		return !v->file && !v->anon;
	return !v->file || v->anon_vma;
}

struct mm *mm_fork(struct mm *src)
{
	struct mm *mm = mm_new();
	struct vma *v;
	size_t rss = 0;

	if (!mm)
		return NULL;
	list_for_each_entry(v, &src->vmas, link) {
		struct vma *nv;

		if (v->flags & VMA_DONTFORK)
			continue;
		nv = kmalloc(sizeof(*nv));
		if (!nv)
			goto err_put;
		*nv = *v;
		/* locks are not inherited */
		nv->flags &= ~(VMA_LOCKED | VMA_LOCKONFAULT);
		uffd_vma_detach(nv);	/* no UFFD_FEATURE_EVENT_FORK */
		/* Linux's anon_vma_fork: a new anon_vma under the parent's. */
		nv->anon_forked = nv->anon_vma && !(v->flags & VMA_WIPEONFORK);
		nv->anon_vma = nv->anon_forked ? vma_anon_new() : 0;
		if (nv->file)
			fget(nv->file);
		if (nv->zero_file)
			fget(nv->zero_file);
		if (nv->anon)
			shared_anon_get(nv->anon);
		vma_insert(mm, nv);
		if (fork_copies_pages(v)) {
			long n = mmu_fork_range(mm->space, src->space, v->start,
						v->end, !(v->flags & VMA_SHARED));

			if (n < 0)
				goto err_put;
			rss += (size_t)n;
		}
	}
	/* Cannot fail: @src's own hold already keeps writers out. */
	if (src->exe_file && mm_set_exe_file(mm, src->exe_file))
		goto err_put;
	mm->brk_start = src->brk_start;
	mm->brk = src->brk;
	mm->start_code = src->start_code;
	mm->end_code = src->end_code;
	mm->start_data = src->start_data;
	mm->end_data = src->end_data;
	mm->start_stack = src->start_stack;
	mm->stack_top = src->stack_top;
	mm->mmap_base = src->mmap_base;
	mm->vdso_base = src->vdso_base;
	mm->randomized = src->randomized;
	mm->dumpable = src->dumpable;
	mm->coredump_filter = src->coredump_filter;
	mm->membarrier_registered = src->membarrier_registered;
	mm->arg_start = src->arg_start;
	mm->arg_end = src->arg_end;
	mm->env_start = src->env_start;
	mm->env_end = src->env_end;
	mm->rss_pages = rss;		/* the pages fork mapped */
	mm->hiwater_rss_pages = rss;	/* as Linux's dup_mm */
	memcpy(mm->saved_auxv, src->saved_auxv, sizeof(mm->saved_auxv));
	return mm;

err_put:
	mm_put(mm);
	return NULL;
}
