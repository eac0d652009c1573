/*
 * Reclaim of the page cache's pages (kernel/mm/page_cache.c), clean ones
 * and, where a writeback may run, dirty ones written back first:
 * every cached page has an entry on one least-recently-used list, put
 * at the young end when it is cached and each time read(), a fault or
 * fault-around finds it. When frames run short the oldest clean pages
 * go: a page no mapping holds (the index's reference its only one) is
 * dropped at once; one that mappings hold is unmapped from all of them
 * first (their next access faults it in again), unless a locked
 * (mlock) mapping holds it, and dropped only if nothing else holds it
 * then; unmapped pages are looked for first. A dirty page (stored
 * through a shared mapping, not written back yet) is dropped only by a
 * reclaim that may write it back (RECLAIM_WRITEBACK): it is unmapped,
 * written through the file of a shared mapping of it with the dirty
 * pages after it (page_cache_writeback, one op call for a run), and
 * dropped once clean and held by the index alone; the others of the
 * run are clean then, for the scan to drop next. A page passed over
 * goes to the young end, so a pass over the list sees each page at
 * most once.
 *
 * Reclaim runs where nothing of the cache or of the page tables is held
 * half-changed: before a fill takes frames (page_cache_make_room), when
 * a fault lacks memory (kernel/mm/fault.c), at drop_caches, and from the
 * frame allocator when it is out of frames with interrupts on under the
 * kernel lock (kernel_frames_short; unmapped pages only, so no page
 * table changes under a caller that holds a frame it found mapped).
 * Locking: the kernel lock; nothing here sleeps but a writeback, which
 * only a fault from user mode asks (kernel/mm/fault.c): its task holds
 * no lock of a service then, while a fault in kernel mode may be a
 * service's copy from a user buffer under its filesystem's lock, which
 * the write op would wait for forever. Inside the writeback (the
 * service's allocations, its faults in kernel mode) reclaim takes only
 * clean pages, so it never recurses into another writeback; the
 * "reclaiming" guard is let go for the sleep, so that those and other
 * tasks find clean pages meanwhile, and the scan looks at the list
 * anew after it.
 */
#include <kernel/page_cache.h>
#include <kernel/mm.h>
#include <kernel/vfs.h>
#include <kernel/vfs_ops.h>
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
/* The pages from a dirty one on that reclaim writes back with it. */
#define WRITEBACK_SPAN	32

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
	/* An unused inode's last page: it becomes prunable. */
	if (!inode->refcount && !page_index_count(&inode->cache->lru))
		inode_unused_emptied(inode);
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

/* The dirty pages of @inode in [@idx, @last]. */
static size_t dirty_in(struct inode *inode, uint64_t idx, uint64_t last)
{
	size_t n = 0;
	paddr_t pa;

	while (page_index_next_present(&inode->cache->dirty, &idx, last, &pa)) {
		n++;
		if (idx++ == last)
			break;
	}
	return n;
}

/*
 * Write back @e's dirty page, with the dirty pages after it (up to a
 * writeback run), through the file of a shared mapping of it, having
 * unmapped it from every mapping (none locked), and drop it if it is
 * clean then and held by the index alone: true if it was dropped. A
 * page with no shared mapping left (its writeback is the unmap's) or a
 * locked one stays. Sleeps in the write op: @e may be gone after, so
 * the page is found again by its inode, which the file's reference
 * keeps. Called with "reclaiming" set, which is let go for the write.
 */
static bool write_back(struct cached_page *e)
{
	struct inode *inode = e->inode;
	uint64_t idx = e->idx;
	paddr_t pa = e->pa;
	struct file *f = mm_shared_file(inode);
	bool dropped = false;
	size_t n;
	int err;

	if (!f)
		return false;
	if (!mm_unmap_file_page(inode, idx, pa))
		goto out;
	frame_get(pa);		/* the frame, not another, after the sleep */
	n = dirty_in(inode, idx, idx + WRITEBACK_SPAN - 1);
	reclaiming = false;
	err = page_cache_writeback(f, idx, idx + WRITEBACK_SPAN - 1);
	reclaiming = true;
	if (!err)
		stats.written += n;
	frame_put(pa);
	/* Truncated, evicted, dirty again or mapped again meanwhile: kept. */
	if (!err && inode->cache &&
	    page_index_lookup(&inode->cache->pages, idx) == pa &&
	    !page_index_lookup(&inode->cache->dirty, idx) &&
	    frame_refcount(pa) == 1) {
		drop((struct cached_page *)(uintptr_t)
		     page_index_lookup(&inode->cache->lru, idx));
		dropped = true;
	}
out:
	fput(f);
	return dropped;
}

/*
 * Drop up to @want pages from the old end of the list, looking at no
 * more than @scan of them, as @how allows (RECLAIM_MAPPED: mapped ones
 * too; RECLAIM_WRITEBACK: dirty ones, written back first): the pages
 * freed.
 */
static size_t scan_lru(size_t want, size_t scan, unsigned how)
{
	size_t got = 0;

	while (got < want && scan-- && !list_empty(&lru)) {
		struct cached_page *e = list_first_entry(&lru,
							 struct cached_page,
							 link);
		bool dirty;

		stats.scanned++;
		if (reclaimable(e, how & RECLAIM_MAPPED)) {
			drop(e);
			got++;
			continue;
		}
		dirty = page_index_lookup(&e->inode->cache->dirty, e->idx);
		list_del(&e->link);	/* a second chance */
		list_add_tail(&e->link, &lru);
		if (dirty && (how & RECLAIM_WRITEBACK) && write_back(e))
			got++;
	}
	return got;
}

/*
 * See include/kernel/page_cache.h. With RECLAIM_MAPPED, the pages
 * nothing maps are looked for first among the oldest (SCAN_UNMAPPED
 * times what is wanted), so that the pages processes use (their
 * programs' text, say) stay while the cache has others to give; dirty
 * pages are written back only in the second pass, oldest first; if
 * they are still not enough, as many unused inodes without pages as
 * pages are missing are evicted (kernel/vfs/inode_unused.c; not by the
 * frame allocator's upcall, which may come from inside any service's
 * call).
 */
size_t page_cache_reclaim(size_t want, unsigned how)
{
	size_t got;

	if (reclaiming)
		return 0;
	reclaiming = true;
	if (!(how & RECLAIM_MAPPED)) {
		got = scan_lru(want, stats.pages, 0);
	} else {
		got = scan_lru(want, want > stats.pages / SCAN_UNMAPPED ?
				     stats.pages : want * SCAN_UNMAPPED, 0);
		if (got < want)
			got += scan_lru(want - got, stats.pages, how);
		/* Clean pages not enough: the unused inodes' memory goes too. */
		if (got < want)
			inode_unused_prune(NULL, want - got, false);
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
	page_cache_reclaim(low + n + RECLAIM_BATCH - st.free, RECLAIM_MAPPED);
	frame_stats(&st);
	return st.free >= low + n;
}

/* See include/kernel/page_cache.h. */
void page_cache_keep_reserve(bool writeback)
{
	struct frame_stats st;
	size_t low;

	if (!stats.pages)
		return;
	frame_stats(&st);
	low = reserve(&st);
	if (st.free < low)
		page_cache_reclaim(low + RECLAIM_BATCH - st.free,
				   RECLAIM_MAPPED |
				   (writeback ? RECLAIM_WRITEBACK : 0));
}

/* See include/platform/upcall.h. */
size_t kernel_frames_short(size_t n)
{
	return page_cache_reclaim(MAX(n, (size_t)RECLAIM_BATCH), 0);
}

/* See include/kernel/page_cache.h. */
void page_cache_drop_clean(void)
{
	page_cache_reclaim(~(size_t)0, 0);
	stats.drops++;
}

/* See include/svc/introspect.h. */
void page_cache_stats(struct page_cache_stats *out)
{
	*out = stats;
}
