/*
 * The sparse page index (include/svc/page_index.h): a 64-way radix tree
 * from page index to frame, published to ring 2 for tmpfs and the file
 * systems and page cache to come. A node at level L (1: a leaf of
 * frames) covers 64^L indices; the digit of an index at level L is bits
 * 6(L-1) .. 6L-1. Nodes come from the kernel heap, zeroed.
 */
#include <svc/page_index.h>
#include <platform/heap.h>
#include <uapi/errno.h>

#define MAX_HEIGHT	11	/* 11 * 6 >= 64 index bits */
#define DIGIT_MASK	(PAGE_INDEX_SLOTS - 1)

static inline struct page_index_node *node_of(uintptr_t e)
{
	return (struct page_index_node *)e;
}

/* The slot of @idx in a node of level @level. */
static inline unsigned digit(uint64_t idx, unsigned level)
{
	return (unsigned)(idx >> (PAGE_INDEX_SHIFT * (level - 1))) & DIGIT_MASK;
}

/* True if a tree of @height covers @idx (indices below 64^height). */
static inline bool covers(unsigned height, uint64_t idx)
{
	unsigned bits = PAGE_INDEX_SHIFT * height;

	return bits >= 64 || (idx >> bits) == 0;
}

/* The least height that covers @idx. */
static unsigned height_for(uint64_t idx)
{
	unsigned bits = idx ? 64 - (unsigned)__builtin_clzll(idx) : 0;

	return (bits + PAGE_INDEX_SHIFT - 1) / PAGE_INDEX_SHIFT;
}

static bool node_empty(const struct page_index_node *n, unsigned from)
{
	for (unsigned i = from; i < PAGE_INDEX_SLOTS; i++)
		if (n->slot[i])
			return false;
	return true;
}

/*
 * Nodes an insert at @idx must allocate to reach height @newh (at least
 * pi->height): the levels added on top, then the nodes missing on the
 * path from the (new) root down to the leaf.
 */
static unsigned nodes_needed(const struct page_index *pi, uint64_t idx,
			     unsigned newh)
{
	unsigned level;
	uintptr_t e;

	if (pi->count == 0)
		return newh;
	/* A node added on top holds the old tree in slot 0 only. */
	for (level = newh; level > pi->height; level--)
		if (digit(idx, level))
			return newh - pi->height + level - 1;
	e = pi->root;
	for (level = pi->height; level >= 2; level--) {
		e = node_of(e)->slot[digit(idx, level)];
		if (!e)
			return newh - pi->height + level - 1;
	}
	return newh - pi->height;
}

int page_index_insert(struct page_index *pi, uint64_t idx, paddr_t frame)
{
	struct page_index_node *pool[2 * MAX_HEIGHT];
	unsigned newh, need, used = 0, level;
	uintptr_t *slotp;

	if (!frame)
		return -EINVAL;
	if (page_index_lookup(pi, idx))
		return -EEXIST;
	newh = height_for(idx);
	if (newh < pi->height)
		newh = pi->height;
	need = nodes_needed(pi, idx, newh);
	for (unsigned i = 0; i < need; i++) {
		pool[i] = kzalloc(sizeof(*pool[i]));
		if (!pool[i]) {
			while (i > 0)
				kfree(pool[--i]);
			return -ENOMEM;
		}
	}
	/* Nothing fails from here on. */
	if (pi->count == 0) {
		pi->root = 0;
		pi->height = newh;
	}
	while (pi->height < newh) {
		pool[used]->slot[0] = pi->root;
		pi->root = (uintptr_t)pool[used++];
		pi->height++;
	}
	slotp = &pi->root;
	for (level = pi->height; level >= 1; level--) {
		if (!*slotp)
			*slotp = (uintptr_t)pool[used++];
		slotp = &node_of(*slotp)->slot[digit(idx, level)];
	}
	*slotp = (uintptr_t)frame;
	pi->count++;
	return 0;
}

/* Lower the tree while its root node uses slot 0 alone. */
static void shrink(struct page_index *pi)
{
	while (pi->height > 0 && node_empty(node_of(pi->root), 1)) {
		struct page_index_node *top = node_of(pi->root);

		pi->root = top->slot[0];
		pi->height--;
		kfree(top);
	}
}

paddr_t page_index_erase(struct page_index *pi, uint64_t idx)
{
	uintptr_t *slotp[MAX_HEIGHT + 1];
	unsigned level, h = pi->height;
	paddr_t frame;

	if (!covers(h, idx))
		return 0;
	/* slotp[L]: the slot that holds the level-L node (0: the entry). */
	slotp[h] = &pi->root;
	for (level = h; level >= 1; level--) {
		if (!*slotp[level])
			return 0;
		slotp[level - 1] = &node_of(*slotp[level])->slot[digit(idx, level)];
	}
	frame = (paddr_t)*slotp[0];
	if (!frame)
		return 0;
	*slotp[0] = 0;
	pi->count--;
	for (level = 1; level <= h; level++) {
		struct page_index_node *n = node_of(*slotp[level]);

		if (!node_empty(n, 0))
			break;
		kfree(n);
		*slotp[level] = 0;
	}
	if (pi->count == 0)
		pi->height = 0;		/* every node went above */
	else
		shrink(pi);
	return frame;
}

/*
 * Search the subtree @e of @level levels of nodes (0: @e is an entry),
 * covering indices from @base, for the first index from *@idx (inside
 * the subtree) to @last that is present (@want) or a hole (!@want).
 */
static bool scan(uintptr_t e, unsigned level, uint64_t base, uint64_t *idx,
		 uint64_t last, bool want)
{
	unsigned shift, i;

	if (!e)
		return !want;
	if (level == 0)
		return want;
	shift = PAGE_INDEX_SHIFT * (level - 1);
	for (i = (unsigned)((*idx - base) >> shift); i < PAGE_INDEX_SLOTS; i++) {
		uint64_t child = base + ((uint64_t)i << shift);

		if (shift + PAGE_INDEX_SHIFT > 64 && (i >> (64 - shift)))
			break;		/* the top of a full 64-bit tree */
		if (child > last)
			break;
		if (child > *idx)
			*idx = child;
		if (scan(node_of(e)->slot[i], level - 1, child, idx, last, want))
			return true;
	}
	return false;
}

/*
 * The first index in [*@idx, @last] present (@want) or a hole (!@want):
 * true with *@idx set to it; false, *@idx unchanged, if there is none.
 */
static bool next_match(const struct page_index *pi, uint64_t *idx,
		       uint64_t last, bool want)
{
	unsigned bits = PAGE_INDEX_SHIFT * pi->height;
	uint64_t at = *idx;

	if (at > last)
		return false;
	if (!covers(pi->height, at))
		return !want;		/* past the tree: all holes */
	if (!scan(pi->root, pi->height, 0, &at, last, want)) {
		if (want || bits >= 64 || ((uint64_t)1 << bits) > last)
			return false;
		at = (uint64_t)1 << bits;	/* the first index past the tree */
	}
	*idx = at;
	return true;
}

bool page_index_next_present(const struct page_index *pi, uint64_t *idx,
			     uint64_t last, paddr_t *frame)
{
	if (!next_match(pi, idx, last, true))
		return false;
	*frame = page_index_lookup(pi, *idx);
	return true;
}

bool page_index_next_hole(const struct page_index *pi, uint64_t *idx,
			  uint64_t last)
{
	return next_match(pi, idx, last, false);
}
