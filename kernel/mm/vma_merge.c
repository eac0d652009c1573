/*
 * Merging adjacent vmas as Linux 6.1's mm/mmap.c does (vma_merge,
 * can_vma_merge_before/after, is_mergeable_anon_vma), so that
 * /proc/PID/maps and vm.max_map_count see the areas Linux would: a new
 * mapping joins the neighbour it continues, and a change of protection
 * or flags joins the part changed to the neighbour it now matches
 * instead of splitting it off.
 *
 * Linux's anon_vma is emulated by an identity per private vma
 * (vma.anon_vma, 0 before its first anonymous page) and whether fork
 * gave it (vma.anon_forked), which is what Linux's rules look at: two
 * vmas with different anon_vmas never merge, nor does a vma without one
 * with an inherited one.
 *
 * Locking: the caller's, as for any change of @mm's vmas.
 */
#include <kernel/mm.h>
#include <uapi/errno.h>
#include "mm_internal.h"

/* Never merged: Linux's VM_SPECIAL (VM_DONTEXPAND, VM_IO) mappings. */
#define VMA_NOMERGE	(VMA_VVAR | VMA_VDSO | VMA_AIO)

static uint64_t anon_vma_ids;

/* See mm_internal.h. */
uint64_t vma_anon_new(void)
{
	return ++anon_vma_ids;
}

static uint64_t vma_pages(const struct vma *v)
{
	return (v->end - v->start) / PAGE_SIZE;
}

/*
 * Linux's is_mergeable_vma: the same flags, protection, file or shared
 * object (System V's, with an owner told of each vma, has vm_ops->close:
 * never) and userfaultfd registration.
 */
static bool same_kind(const struct vma *v, const struct vma *c)
{
	if (v->flags != c->flags || v->prot != c->prot ||
	    (v->flags & VMA_NOMERGE))
		return false;
	if (v->file != c->file || v->zero_file != c->zero_file ||
	    v->anon != c->anon || (v->anon && shared_anon_user(v->anon)))
		return false;
	return v->uffd == c->uffd && v->uffd_modes == c->uffd_modes;
}

/*
 * Linux's is_mergeable_anon_vma(@av, @v's, @v): either lacks one and @v
 * has its own, not fork's (a singular anon_vma_chain), or they are equal.
 */
static bool anon_vma_fits(const struct vma *v, uint64_t av)
{
	if ((!av || !v->anon_vma) && v->anon_vma && !v->anon_forked)
		return true;
	return av == v->anon_vma;
}

/* See mm_internal.h. Linux's can_vma_merge_after. */
bool vma_can_follow(const struct vma *prev, const struct vma *c)
{
	return prev->end == c->start && same_kind(prev, c) &&
	       anon_vma_fits(prev, c->anon_vma) &&
	       prev->pgoff + vma_pages(prev) == c->pgoff;
}

/* Linux's can_vma_merge_before: @c, ending where @next starts. */
static bool can_precede(const struct vma *next, const struct vma *c)
{
	return c->end == next->start && same_kind(next, c) &&
	       anon_vma_fits(next, c->anon_vma) &&
	       c->pgoff + vma_pages(c) == next->pgoff;
}

/* The third test of Linux's case 1: prev and next join over the middle. */
static bool anon_vmas_join(const struct vma *prev, const struct vma *next)
{
	return !prev->anon_vma || !next->anon_vma ||
	       prev->anon_vma == next->anon_vma;
}

/* @keep takes @from's anon_vma if it has none (Linux's __vma_adjust). */
static void take_anon_vma(struct vma *keep, const struct vma *from)
{
	if (!keep->anon_vma && from->anon_vma) {
		keep->anon_vma = from->anon_vma;
		keep->anon_forked = from->anon_forked;
	}
}

/* @keep grows over its neighbour @gone, which goes. */
static void absorb(struct mm *mm, struct vma *keep, struct vma *gone)
{
	if (gone->start < keep->start) {
		keep->start = gone->start;
		keep->pgoff = gone->pgoff;
	} else {
		keep->end = gone->end;
	}
	take_anon_vma(keep, gone);
	vma_unlink(mm, gone);
	vma_free(gone);
}

/*
 * Linux's find_mergeable_anon_vma: the anon_vma of a neighbour that
 * differs from @v at most in protection, continues it, and has one of
 * its own (not fork's), or 0.
 */
static uint64_t neighbour_anon_vma(const struct vma *v, const struct vma *n)
{
	const struct vma *lo = n->start < v->start ? n : v;
	const struct vma *hi = lo == v ? n : v;

	if (lo->end != hi->start || lo->file != hi->file ||
	    lo->zero_file != hi->zero_file || lo->anon != hi->anon || lo->flags != hi->flags ||
	    lo->pgoff + vma_pages(lo) != hi->pgoff || n->anon_forked)
		return 0;
	return n->anon_vma;
}

/* See mm_internal.h. */
void vma_anon_prepare(struct mm *mm, struct vma *v)
{
	struct vma *n;
	uint64_t av = 0;

	if (v->anon_vma || (v->flags & VMA_SHARED))
		return;
	n = vma_next(mm, v);
	if (n)
		av = neighbour_anon_vma(v, n);
	n = vma_prev(mm, v);
	if (!av && n)
		av = neighbour_anon_vma(v, n);
	v->anon_vma = av ? av : vma_anon_new();
	v->anon_forked = false;
}

/* See mm_internal.h. */
void vma_place(struct mm *mm, struct vma *v, bool merge)
{
	struct vma *next = vma_first_from(mm, v->start);
	struct vma *prev = next ? vma_prev(mm, next) :
			   list_empty(&mm->vmas) ? NULL :
			   list_entry(mm->vmas.prev, struct vma, link);

	if (prev && prev->end != v->start)
		prev = NULL;
	if (next && (!merge || !can_precede(next, v)))
		next = NULL;
	if (merge && prev && vma_can_follow(prev, v)) {
		prev->end = v->end;
		take_anon_vma(prev, v);
		vma_free(v);
		if (next && anon_vmas_join(prev, next))
			absorb(mm, prev, next);
		return;
	}
	if (next) {
		next->start = v->start;
		next->pgoff = v->pgoff;
		take_anon_vma(next, v);
		vma_free(v);
		return;
	}
	vma_insert(mm, v);
}

/* See mm_internal.h. */
int vma_modify(struct mm *mm, struct vma *v, uintptr_t start, uintptr_t end,
	       unsigned prot, unsigned flags, bool uffd_too,
	       struct uffd_ctx *uffd, uint64_t uffd_modes, struct vma **out)
{
	struct vma c = *v, *prev, *next;
	int err;

	c.start = start;
	c.end = end;
	c.pgoff = v->pgoff + (start - v->start) / PAGE_SIZE;
	c.prot = prot;
	c.flags = flags;
	if (uffd_too) {
		c.uffd = uffd;
		c.uffd_modes = uffd_modes;
	}
	prev = start == v->start ? vma_prev(mm, v) : NULL;
	next = end == v->end ? vma_next(mm, v) : NULL;
	if (prev && !vma_can_follow(prev, &c))
		prev = NULL;
	if (next && !can_precede(next, &c))
		next = NULL;
	if (prev) {
		if (end < v->end) {	/* Linux's case 5: prev takes a part */
			prev->end = end;
			take_anon_vma(prev, v);
			v->pgoff += (end - v->start) / PAGE_SIZE;
			v->start = end;
		} else {
			absorb(mm, prev, v);
			if (next && anon_vmas_join(prev, next))
				absorb(mm, prev, next);
		}
		*out = prev;
		return 0;
	}
	if (next) {
		if (start > v->start) {	/* case 4: next takes a part */
			next->start = start;
			next->pgoff = c.pgoff;
			take_anon_vma(next, v);
			v->end = start;
		} else {
			absorb(mm, next, v);
		}
		*out = next;
		return 0;
	}
	if (start > v->start) {
		if (mm->map_count >= max_map_count)
			return -ENOMEM;
		err = vma_split(mm, v, start);
		if (err)
			return err;
		v = vma_next(mm, v);
	}
	if (end < v->end) {
		err = mm->map_count >= max_map_count ? -ENOMEM :
		      vma_split(mm, v, end);
		if (err)
			return err;
	}
	v->prot = prot;
	v->flags = flags;
	if (uffd_too) {
		v->uffd = uffd;
		v->uffd_modes = uffd_modes;
	}
	*out = v;
	return 0;
}

/* See mm_internal.h. */
void vma_expand(struct mm *mm, struct vma *v, uintptr_t end)
{
	struct vma *next = vma_next(mm, v);

	v->end = end;
	if (next && can_precede(next, v) && anon_vmas_join(v, next))
		absorb(mm, v, next);
}
