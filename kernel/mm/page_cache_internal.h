/*
 * Private to the page cache (kernel/mm/page_cache.c) and its reclaim
 * (kernel/mm/page_reclaim.c): what an inode's cache holds, and the
 * least-recently-used list that reclaim drops clean pages from.
 */
#pragma once
#include <aramid/types.h>
#include <svc/page_index.h>

struct inode;

struct page_cache {
	struct page_index pages;	/* the frames, a reference each */
	struct page_index dirty;	/* those written through a mapping */
	struct page_index lru;		/* each page's LRU entry (page_lru) */
	uint64_t sync_pass;		/* the last sync pass that took it */
	uint64_t writes;		/* writes through it: a fill's check */
	int wb_err;			/* a failed writeback's, for fsync */
};

/*
 * Put page @idx of @inode, just cached as frame @pa, at the young end
 * of the LRU list: 0 or -ENOMEM (then the caller takes it out again).
 * Kernel lock; does not sleep.
 */
int page_lru_add(struct inode *inode, uint64_t idx, paddr_t pa);

/* Take page @idx of @inode off the LRU list (cache leaving it). */
void page_lru_del(struct inode *inode, uint64_t idx);

/* Page @idx of @inode was used: it becomes the youngest. */
void page_lru_touch(const struct inode *inode, uint64_t idx);

/* The count of dirty pages, for /proc/meminfo, moved by @delta. */
void page_lru_dirty_count(long delta);

/*
 * True if the cache may take @n more frames: free memory stays above
 * the reserve, clean pages reclaimed (mapped ones too) to keep it so.
 * Process context, nothing of the cache held between look-up and use.
 */
bool page_cache_make_room(size_t n);
