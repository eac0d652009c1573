/*
 * The page cache (kernel/mm/page_cache.c): the pages of a regular file
 * whose filesystem keeps no frames of its own (no get_page op) but
 * reads through its read op, for mmap and exec. A page is read through
 * that op, across the service boundary, the first time a mapping
 * faults on it, and kept in the inode's page index (inode->cache) until
 * the file changes size below it or the inode is evicted. Writes and
 * truncates through the VFS keep the cached pages equal to the file.
 * Only clean pages: nothing here writes to the filesystem, so a shared
 * mapping of a cached file is never writable (mmap.c refuses one).
 *
 * Locking: one CPU and no kernel preemption; a fill sleeps in the read
 * op, so what it found is checked again before it is kept.
 */
#pragma once
#include <aramid/types.h>

struct file;
struct inode;

/*
 * True if @inode's pages are mapped through the page cache: a regular
 * file of an FS_PAGE_CACHE filesystem with a read op and no get_page.
 */
bool page_cache_serves(const struct inode *inode);

/*
 * The frame of page @idx of @file's inode (one that page_cache_serves),
 * read through @file on first use, with a reference for the caller.
 * Process context; may sleep. Returns 0; -ENXIO at or past the end of
 * the file; -EIO (or the read op's error) if the page cannot be read,
 * the service failing included; -ENOMEM.
 */
int page_cache_get(struct file *file, uint64_t idx, paddr_t *out);

/*
 * The data of [@pos, @pos + @len) of @file's inode changed through
 * @file (a write, fallocate): the cached pages of that range are read
 * again through it, in place, so every mapping sees the new bytes; a
 * page that cannot be read is dropped and unmapped from the mappings
 * that shared it. Nothing to do for an inode with no cache. Process
 * context; may sleep.
 */
void page_cache_changed(struct file *file, off_t pos, size_t len);

/*
 * @inode's size became @size (truncate): the cached pages past the new
 * end are unmapped from every address space (a later access is SIGBUS)
 * and freed, and the bytes past @size in the last page zeroed.
 * Process context.
 */
void page_cache_resize(struct inode *inode, off_t size);

/*
 * Free every cached page of @inode and its index: its last reference
 * is going (no mapping is left). Process context.
 */
void page_cache_evict(struct inode *inode);
