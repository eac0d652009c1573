/*
 * The page cache (kernel/mm/page_cache.c): the pages of a regular file
 * whose filesystem keeps no frames of its own (no get_page op) but
 * reads through its read op, for mmap, exec, read() and write(). A page
 * is read through that op, across the service boundary, the first time
 * a mapping faults on it or a read() needs it (with read-ahead and
 * read-around), and kept in the inode's page index (inode->cache) until
 * the file changes size below it, the inode is evicted (not at its last
 * reference if the inode cache keeps it: kernel/vfs/inode_unused.c), or
 * it is among
 * the oldest when memory runs short (kernel/mm/page_reclaim.c; a dirty
 * one written back first) or, clean, drop_caches drops it. write()
 * writes through the write op at once and copies its bytes over the
 * cached pages; O_DIRECT I/O, fallocate and truncate through the VFS
 * keep the cached pages equal to the file too.
 * A shared mapping's stores make a page dirty; writeback writes dirty
 * pages through the write op: at msync(MS_SYNC), fsync, the end of the
 * mapping (munmap, exit, exec), before O_DIRECT read() and write() of
 * their range, and at sync, syncfs and
 * sync_file_range(SYNC_FILE_RANGE_WRITE) through the mapping's file.
 * With no mapping left there is nothing dirty but what a failed
 * writeback left; an unused inode kept with such pages
 * (kernel/vfs/inode_unused.c) is written by sync and before it goes.
 *
 * Locking: the kernel lock, and no kernel preemption; a fill sleeps in
 * the read op, so what it found is checked again before it is kept.
 * Under memory pressure a fault from user mode has reclaim write dirty
 * pages back (page_reclaim.c), so a shared mapping larger than memory
 * reaches the disk.
 */
#pragma once
#include <aramid/types.h>

struct file;
struct inode;
struct super_block;
struct uio;

/*
 * True if @inode's pages are mapped through the page cache: a regular
 * file of an FS_PAGE_CACHE filesystem with a read op and no get_page.
 */
bool page_cache_serves(const struct inode *inode);

/*
 * The frame of page @idx of @file's inode (one that page_cache_serves),
 * read through @file on first use (with the up to 15 pages after it not
 * cached yet, for fault-around to map), with a reference for the caller.
 * Process context; may sleep. Returns 0; -ENXIO at or past the end of
 * the file; -EIO (or the read op's error) if the page cannot be read,
 * the service failing included; -ENOMEM.
 */
int page_cache_get(struct file *file, uint64_t idx, paddr_t *out);

/*
 * read(2) and its flavours on @file (one that page_cache_serves, not
 * O_DIRECT) at *@pos into @uio, from the cache: a page not cached is
 * read through the read op first, with the pages after it that the
 * file's read-ahead window takes (one op call for them all, so large
 * disk requests), and kept. So a read sees what shared mappings stored
 * without writing it back. While memory is short (the reserve reached and
 * no clean page left to reclaim) what is not cached is read through the
 * op and not kept. Moves
 * *@pos on; bytes read (0 at the end of the file) or -errno (the read
 * op's, -EFAULT, -ENOMEM) if none. Process context; sleeps.
 */
ssize_t page_cache_read(struct file *file, struct uio *uio, off_t *pos);

/*
 * The frame of page @idx of @inode if it is cached (and inside the
 * file), with a reference for the caller: true; else false, reading
 * nothing. Fault-around's look-up. Does not sleep.
 */
bool page_cache_peek(const struct inode *inode, uint64_t idx, paddr_t *out);

/*
 * write(2) and its flavours on @file (one that page_cache_serves, not
 * O_DIRECT) at *@pos from @uio, after the VFS's checks and cuts: the
 * user's bytes are copied in 64 KiB at a time, less if the heap has no
 * run of frames that long (so the write op never
 * copies from user memory, which may map a file of the same
 * filesystem), written through the write op at once (write-through:
 * allocation, ENOSPC and the size are the op's, and the data is on the
 * disk when the call returns) and copied over the cached pages of the
 * range, so every mapping and later read sees them without a read; a
 * dirty page stays dirty for its other bytes. A write none of whose
 * pages is cached goes to the write op from the caller's buffers, as an
 * O_DIRECT one does (no bounce; the source faulted in first, and a page
 * a fill cached meanwhile read again). Moves *@pos on; bytes written or
 * -errno if none. Process context; sleeps.
 */
ssize_t page_cache_write(struct file *file, struct uio *uio, off_t *pos);

/*
 * A write to @file that bypasses its cached pages: straight through the
 * write op from the caller's buffers (no bounce), those of them that
 * map a file of the same filesystem faulted in first, and a cached page
 * it overlaps read again after. For page_cache_write's writes that find
 * no page cached, and for files the cache does not take (O_DIRECT, or
 * filesystems without it; the caller writes mapped pages back first).
 * Moves *@pos on; bytes or -errno. Process context; sleeps.
 */
ssize_t page_cache_write_through(struct file *file, struct uio *uio,
				 off_t *pos);

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

/* How many pages of @inode are cached; does any of them is dirty. */
size_t page_cache_count(const struct inode *inode);
bool page_cache_has_dirty(const struct inode *inode);

/*
 * Page @idx of @inode, cached, was written through a shared mapping
 * (the write fault that makes its mapping writable): 0, or -ENOMEM if
 * it cannot be marked (the fault then fails). Process context.
 */
int page_cache_dirty(struct inode *inode, uint64_t idx);

/*
 * Write the dirty pages [@first, @last] of @file's inode through
 * @file's write op (any file of the inode: the op must not depend on
 * its access mode), each up to the end of the file, a run of up to 16
 * contiguous ones in one op call, and make their shared mappings
 * read-only again (the next store marks the page once more). Returns 0
 * or the first error (-EIO...; the pages not written stay dirty, and
 * the error is also kept for page_cache_take_error). Process context;
 * sleeps.
 */
int page_cache_writeback(struct file *file, uint64_t first, uint64_t last);

/*
 * The error a writeback of @inode's pages met since the last call
 * (-EIO, or -ENOSPC), 0 if none, and forget it: what fsync, fdatasync,
 * msync(MS_SYNC) and aio's fsync report, once, as Linux reports a
 * writeback error (reclaim's among them, which has no caller to tell).
 * Does not sleep.
 */
int page_cache_take_error(struct inode *inode);

/*
 * page_cache_writeback of the pages holding bytes [@pos, @pos + @len)
 * of @file: what read() and write() of that range do first, so that
 * they see what shared mappings stored and do not overwrite it.
 */
int page_cache_flush(struct file *file, off_t pos, size_t len);

/*
 * Before a write to @inode from @uio: fault in the pages of @uio's user
 * buffers that mappings of files of @inode's filesystem put there (read
 * access), so that the write op, which may copy from them holding the
 * filesystem's own lock, never faults into the same filesystem (whose
 * read op would wait for that lock for ever). Linux's
 * fault_in_iov_iter_readable. Errors are left to the copy. Process
 * context; may sleep.
 */
void page_cache_prefault(const struct inode *inode, const struct uio *uio);

/*
 * True if @inode has dirty cached pages that sync pass @pass has not
 * taken yet; they are taken now (so a page whose writeback fails is
 * tried once a pass, not for ever). Does not sleep.
 */
bool page_cache_sync_pending(struct inode *inode, uint64_t pass);

/*
 * sync(2) and syncfs(2): write back the dirty pages of every file of
 * @sb (of every filesystem for NULL), each through the file of a shared
 * mapping of it, then those of unused inodes (inode_unused_writeback).
 * Returns 0 or the first error (that page stays dirty).
 * Process context; sleeps.
 */
int page_cache_sync(const struct super_block *sb);

/* How page_cache_reclaim may free a page. */
#define RECLAIM_MAPPED		1	/* unmap it from its mappings */
#define RECLAIM_WRITEBACK	2	/* write it back first if dirty */

/*
 * Drop up to @want of the oldest page-cache pages (page_reclaim.c):
 * clean ones nothing maps; with RECLAIM_MAPPED in @how clean ones only
 * unlocked mappings map, unmapped from them first; with
 * RECLAIM_WRITEBACK too dirty ones, unmapped, written back through the
 * file of a shared mapping of theirs (page_cache_writeback; an error
 * leaves the page dirty and is kept for the next fsync) and dropped.
 * Returns the pages freed. Kernel lock, process context, nothing of
 * the cache or the page tables held half-changed; does not sleep
 * unless RECLAIM_WRITEBACK, which only a caller that holds no service's
 * lock may ask (the write op takes its filesystem's) and which a
 * reclaim inside that write never asks again.
 */
size_t page_cache_reclaim(size_t want, unsigned how);

/*
 * Reclaim pages as page_cache_reclaim(RECLAIM_MAPPED, and @writeback's
 * RECLAIM_WRITEBACK) while free memory is below the reserve the cache
 * leaves (a sixty-fourth of memory): the fault path's check before it
 * takes frames.
 */
void page_cache_keep_reserve(bool writeback);

/*
 * vm.drop_caches' 1: drop every clean page-cache page nothing maps, as
 * Linux's drop_pagecache_sb does. As page_cache_reclaim.
 */
void page_cache_drop_clean(void);
