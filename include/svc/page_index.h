/*
 * A sparse page index (kernel/mm/page_index.c): a 64-way radix tree from
 * a page's index in a file (any uint64_t) to the frame that holds it,
 * for filesystems and the page cache, so a file costs memory for the
 * pages it has, not for its size. Frame 0 is a hole; the index stores
 * frame numbers and never takes or drops frame references: what an entry
 * means is the caller's.
 *
 * Shape: height 0 holds at most index 0, in the root itself; a tree of
 * height h has h levels of 512-byte nodes and covers indices below
 * 64^h. The height grows with the highest index present and shrinks
 * again when the entries above a level go, and a node is freed as soon
 * as it is empty, so the tree holds one leaf per 64-page-aligned group
 * in use plus at most h interior nodes on each path. A zeroed struct is
 * an empty index.
 *
 * Costs: lookup is h loads (none past a test for a file of one page,
 * one for up to 64 pages, two up to 4096); insert allocates at most the
 * levels it adds on top plus the h nodes of its path; erase and the
 * searches walk one path, scanning at most 64 slots per level. h is at
 * most 11 (9 for the page indices of a 2^63-byte file).
 *
 * Locking: none inside. Nothing here sleeps, but an index is plain
 * memory: the caller must make sure no two calls on the same index
 * overlap (the kernel lock keeps kernel code on one CPU at a time and
 * calls come from process context only, so today a filesystem's own call
 * sequence is enough; with finer locks the owner's, e.g. the inode's,
 * must cover every call). A frame
 * found stays the caller's to use only while nothing erases it.
 */
#pragma once
#include <aramid/types.h>

#define PAGE_INDEX_SHIFT	6
#define PAGE_INDEX_SLOTS	(1U << PAGE_INDEX_SHIFT)

/* A node: frames in a leaf, child nodes (as addresses) above. */
struct page_index_node {
	uintptr_t slot[PAGE_INDEX_SLOTS];
};

struct page_index {
	uintptr_t root;		/* height 0: index 0's frame, else a node */
	unsigned height;
	uint64_t count;		/* entries present */
};

/*
 * The frame at @idx, 0 for a hole: one load per level, inline, with a
 * fast path for a small file (height 1: up to 64 pages), so that it
 * costs what an array did.
 */
static inline paddr_t page_index_lookup(const struct page_index *pi,
					uint64_t idx)
{
	unsigned shift = PAGE_INDEX_SHIFT * pi->height;
	uintptr_t e = pi->root;

	if (shift == PAGE_INDEX_SHIFT && idx < PAGE_INDEX_SLOTS)
		return (paddr_t)((const struct page_index_node *)e)->slot[idx];
	if (shift < 64 && (idx >> shift))
		return 0;	/* past the tree */
	while (shift && e) {
		shift -= PAGE_INDEX_SHIFT;
		e = ((const struct page_index_node *)e)->
			slot[(idx >> shift) & (PAGE_INDEX_SLOTS - 1)];
	}
	return (paddr_t)e;
}

/*
 * Store frame @frame (not 0) at @idx, a hole. Returns 0, -EEXIST if @idx
 * holds a frame, -EINVAL for frame 0, or -ENOMEM when a node cannot be
 * allocated: on any error the index is unchanged.
 */
int page_index_insert(struct page_index *pi, uint64_t idx, paddr_t frame);

/*
 * Make @idx a hole, freeing the nodes that empties and lowering the tree
 * when the entries above a level are gone. Returns the frame that was
 * there (the caller's to release), 0 if @idx was a hole. Never fails.
 */
paddr_t page_index_erase(struct page_index *pi, uint64_t idx);

/*
 * The first entry present at an index in [*@idx, @last], in index order:
 * true with *@idx and *@frame set to it; false, *@idx unchanged, if
 * there is none. Walk a range with it: erasing what it found before the
 * next call is allowed. Skips empty subtrees: one path and its slots.
 */
bool page_index_next_present(const struct page_index *pi, uint64_t *idx,
			     uint64_t last, paddr_t *frame);

/*
 * The first hole at an index in [*@idx, @last]: true with *@idx set to
 * it; false, *@idx unchanged, if every index of the range is present.
 * Walks every entry of a run of present pages before the hole.
 */
bool page_index_next_hole(const struct page_index *pi, uint64_t *idx,
			  uint64_t last);

/* Entries present. */
static inline uint64_t page_index_count(const struct page_index *pi)
{
	return pi->count;
}
