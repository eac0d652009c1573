/*
 * Reclaim of the page cache's clean pages (kernel/mm/page_cache.c):
 * every cached page has an entry on one least-recently-used list, put
 * at the young end when it is cached and each time read(), a fault or
 * fault-around finds it. When frames run short the oldest clean pages
 * go: a page no mapping holds (the index's reference its only one) is
 * dropped at once; one that mappings hold is unmapped from all of them
 * first (their next access faults it in again), unless a locked
 * (mlock) mapping holds it, and dropped only if nothing else holds it
 * then; unmapped pages are looked for first. Dirty pages (stored
 * through a shared mapping, not written back yet) are never dropped. A
 * page passed over goes to the young end, so a pass over the list sees
 * each page at most once.
 *
 * Reclaim runs where nothing of the cache or of the page tables is held
 * half-changed: before a fill takes frames (page_cache_make_room), when
 * a fault lacks memory (kernel/mm/fault.c), at drop_caches, and from the
 * frame allocator when it is out of frames with interrupts on under the
 * kernel lock (kernel_frames_short; unmapped pages only, so no page
 * table changes under a caller that holds a frame it found mapped).
 * Locking: the kernel lock; nothing here sleeps.
 */
#include <kernel/page_cache.h>
#include <kernel/mm.h>
#include <kernel/vfs.h>
#include <platform/frame.h>
#include <platform/heap.h>
#include <platform/upcall.h>
#include <svc/introspect.h>
#include <aramid/list.h>
#include <uapi/errno.h>
#include "page_cache_internal.h"

/* Pages a shortage reclaims beyond what it needs, so the next few
 * allocations find frames without another scan. */
#define RECLAIM_BATCH	32
/* How far past what it wants a reclaim looks for unmapped pages first. */
#define SCAN_UNMAPPED	4

struct cached_page {
	struct list_head link;		/* on lru, oldest first */
	struct inode *inode;		/* whose cache holds it */
	uint64_t idx;
	paddr_t pa;
};

static LIST_HEAD(lru);
static struct page_cache_stats stats;
static bool reclaiming;		/* no reclaim inside reclaim */

/* See page_cache_internal.h. */
int page_lru_add(struct inode *inode, uint64_t idx, paddr_t pa)
{
	struct cached_page *e = kmalloc(sizeof(*e));
	int err;

	if (!e)
		return -ENOMEM;
	e->inode = inode;
	e->idx = idx;
	e->pa = pa;
	err = page_index_insert(&inode->cache->lru, idx, (paddr_t)(uintptr_t)e);
	if (err) {
		kfree(e);
		return err;
	}
	list_add_tail(&e->link, &lru);
	stats.pages++;
	return 0;
}

/* See page_cache_internal.h. */
void page_lru_del(struct inode *inode, uint64_t idx)
{
	struct cached_page *e = (struct cached_page *)(uintptr_t)
		page_index_erase(&inode->cache->lru, idx);

	if (!e)
		return;
	list_del(&e->link);
	stats.pages--;
	kfree(e);
}

/* See page_cache_internal.h. */
void page_lru_touch(const struct inode *inode, uint64_t idx)
{
	struct cached_page *e = (struct cached_page *)(uintptr_t)
		page_index_lookup(&inode->cache->lru, idx);

	if (e && e->link.next != &lru) {
		list_del(&e->link);
		list_add_tail(&e->link, &lru);
	}
}

/* See page_cache_internal.h. */
void page_lru_dirty_count(long delta)
{
	stats.dirty = (size_t)((long)stats.dirty + delta);
}

/* Drop @e's page: it is clean and its index reference is the only one. */
static void drop(struct cached_page *e)
{
	struct page_cache *pc = e->inode->cache;
	paddr_t pa = e->pa;

	page_index_erase(&pc->pages, e->idx);
	page_lru_del(e->inode, e->idx);
	frame_put(pa);
}

/*
 * True if @e's page can go now: clean, and held by the index alone, once
 * @mapped has let its mappings (none locked) be taken away.
 */
static bool reclaimable(struct cached_page *e, bool mapped)
{
	if (page_index_lookup(&e->inode->cache->dirty, e->idx))
		return false;
	if (frame_refcount(e->pa) == 1)
		return true;
	if (!mapped || !mm_unmap_file_page(e->inode, e->idx, e->pa))
		return false;
	return frame_refcount(e->pa) == 1;
}

/*
 * Drop up to @want pages from the old end of the list, looking at no
 * more than @scan of them, mapped ones too if @mapped: the pages freed.
 */
static size_t scan_lru(size_t want, size_t scan, bool mapped)
{
	size_t got = 0;

	while (got < want && scan-- && !list_empty(&lru)) {
		struct cached_page *e = list_first_entry(&lru,
							 struct cached_page,
							 link);

		stats.scanned++;
		if (!reclaimable(e, mapped)) {
			list_del(&e->link);	/* a second chance */
			list_add_tail(&e->link, &lru);
			continue;
		}
		drop(e);
		got++;
	}
	return got;
}

/*
 * See include/kernel/page_cache.h. With @mapped, the pages nothing maps
 * are looked for first among the oldest (SCAN_UNMAPPED times what is
 * wanted), so that the pages processes use (their programs' text, say)
 * stay while the cache has others to give.
 */
size_t page_cache_reclaim(size_t want, bool mapped)
{
	size_t got;

	if (reclaiming)
		return 0;
	reclaiming = true;
	if (!mapped) {
		got = scan_lru(want, stats.pages, false);
	} else {
		got = scan_lru(want, want > stats.pages / SCAN_UNMAPPED ?
				     stats.pages : want * SCAN_UNMAPPED, false);
		if (got < want)
			got += scan_lru(want - got, stats.pages, true);
	}
	stats.reclaimed += got;
	reclaiming = false;
	return got;
}

/*
 * The free frames below which the cache gives pages back rather than
 * take more: a sixty-fourth of memory, at least 64 frames, so that the
 * heap (which never reclaims) and the allocations before the next
 * reclaim find frames.
 */
static size_t reserve(const struct frame_stats *st)
{
	return MAX(st->total / 64, (size_t)64);
}

/* See page_cache_internal.h. */
bool page_cache_make_room(size_t n)
{
	struct frame_stats st;
	size_t low;

	frame_stats(&st);
	low = reserve(&st);
	if (st.free >= low + n)
		return true;
	page_cache_reclaim(low + n + RECLAIM_BATCH - st.free, true);
	frame_stats(&st);
	return st.free >= low + n;
}

/* See include/kernel/page_cache.h. */
void page_cache_keep_reserve(void)
{
	struct frame_stats st;
	size_t low;

	if (!stats.pages)
		return;
	frame_stats(&st);
	low = reserve(&st);
	if (st.free < low)
		page_cache_reclaim(low + RECLAIM_BATCH - st.free, true);
}

/* See include/platform/upcall.h. */
size_t kernel_frames_short(size_t n)
{
	return page_cache_reclaim(MAX(n, (size_t)RECLAIM_BATCH), false);
}

/* See include/kernel/page_cache.h. */
void page_cache_drop_clean(void)
{
	page_cache_reclaim(~(size_t)0, false);
	stats.drops++;
}

/* See include/svc/introspect.h. */
void page_cache_stats(struct page_cache_stats *out)
{
	*out = stats;
}
