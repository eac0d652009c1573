/*
 * The page cache (include/kernel/page_cache.h): pages of files whose
 * filesystem has no frames of its own, read through the file's read op
 * into a bounce buffer (so the service only ever fills a kernel buffer
 * through its uio, and a fault inside it is the boundary's EIO) and
 * copied into a frame kept in the inode's page index. The index holds
 * one frame reference per page; each mapping of it holds its own.
 *
 * A page a shared mapping writes is dirty: a second index names it
 * (with its frame, no reference of its own). A shared mapping's page
 * is mapped writable only while it is dirty, so writing a clean page
 * faults and marks it (fault.c); writeback takes the mark, makes every
 * mapping of the page read-only again, and writes the page through the
 * write op, as far as the end of the file, a run of dirty pages in one
 * op call; a failure leaves the pages dirty and is kept for the next
 * fsync to report. Reclaim writes the oldest dirty pages back the same
 * way when memory runs short (page_reclaim.c).
 *
 * read() copies from the cached pages, filling a miss with its
 * read-ahead window in one read op call; write() moves the user's bytes
 * into a bounce buffer, writes it through the write op and copies it
 * over the cached pages; a count of such writes lets a fill whose read
 * slept across one read again rather than keep stale bytes.
 *
 * Every cached page is on the LRU list of page_reclaim.c, which drops
 * the oldest clean ones when frames run short; a fill makes room first.
 */
#include <kernel/page_cache.h>
#include <kernel/mm.h>
#include <kernel/task.h>
#include <kernel/vfs.h>
#include <kernel/vfs_ops.h>
#include <platform/frame.h>
#include <platform/heap.h>
#include <platform/printk.h>
#include <svc/file_page.h>
#include <svc/page_index.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include "page_cache_internal.h"

/* The last page index of a file of the largest size (INT64_MAX bytes). */
#define LAST_INDEX	((uint64_t)INT64_MAX / PAGE_SIZE)

/* Read-ahead windows, in pages: Linux's default read_ahead_kb is 128. */
#define RA_MIN_PAGES	4
#define RA_MAX_PAGES	32
/* The most of a write() moved and written in one pass. */
#define WRITE_CHUNK	(64 * 1024)
/* What a fault's miss reads: Linux's fault_around_bytes, 64 KiB. */
#define RA_AROUND_PAGES	16
/* The most dirty pages (a run of them) one write op call writes back. */
#define WB_RUN_PAGES	16

/* The number of the last sync pass (page_cache_sync). */
static uint64_t sync_passes;

bool page_cache_serves(const struct inode *inode)
{
	return S_ISREG(inode->mode) && inode->sb && inode->sb->type &&
	       (inode->sb->type->flags & FS_PAGE_CACHE) && inode->fops &&
	       inode->fops->read && !(inode->iops && inode->iops->get_page);
}

static uint64_t pages_of(off_t size)
{
	return DIV_ROUND_UP((uint64_t)size, PAGE_SIZE);
}

/*
 * Bytes [@start, @start + @len) of @file's inode into @buf through the
 * read op, zero past the end of the file (which the op is not asked to
 * read: one call for a span the op reads whole): 0 or -errno. Sleeps.
 */
static int read_span(struct file *file, off_t start, void *buf, size_t len)
{
	off_t size = file->inode->size;
	size_t done = 0;

	memset(buf, 0, len);
	if (start >= size)
		return 0;
	len = (size_t)MIN((off_t)len, size - start);
	while (done < len) {
		off_t pos = start + (off_t)done;
		struct kiovec iov;
		struct uio uio;
		ssize_t n;

		uio_init_kernel(&uio, &iov, (char *)buf + done, len - done,
				UIO_READ);
		n = vop_read(file, &uio, &pos);
		if (n < 0)
			return (int)n;
		if (n == 0)
			break;			/* the end of the file */
		if ((size_t)n > len - done)
			return -EIO;		/* a service that lies */
		done += (size_t)n;
	}
	return 0;
}

/* Page @idx of @file's inode into @buf (PAGE_SIZE bytes): 0 or -errno. */
static int read_page(struct file *file, uint64_t idx, void *buf)
{
	return read_span(file, (off_t)(idx * PAGE_SIZE), buf, PAGE_SIZE);
}

/* @inode's page index, made on first use: NULL when memory is short. */
static struct page_cache *cache_of(struct inode *inode)
{
	if (!inode->cache)
		inode->cache = kzalloc(sizeof(*inode->cache));
	return inode->cache;
}

/*
 * A buffer of *@len bytes, or of half as many, and so on down to a page,
 * when the heap finds no run of frames that long (free frames scattered
 * by the cache's reclaim); *@len is what it has. NULL if not even that.
 */
static void *kmalloc_upto(size_t *len)
{
	void *buf = kmalloc(*len);

	while (!buf && *len > PAGE_SIZE) {
		*len = MAX(*len / 2, (size_t)PAGE_SIZE);
		buf = kmalloc(*len);
	}
	return buf;
}

/* Put frame @pa in @inode's cache as page @idx: 0 or -errno. */
static int keep_page(struct inode *inode, uint64_t idx, paddr_t pa)
{
	int err = page_index_insert(&inode->cache->pages, idx, pa);

	if (err)
		return err;
	err = page_lru_add(inode, idx, pa);
	if (err)
		page_index_erase(&inode->cache->pages, idx);
	return err;
}

/*
 * Read pages [@idx, @idx + @n) of @file's inode, none of them cached
 * when the call began, into the cache with one read op call (runs of
 * contiguous blocks become large disk requests), again if a write came
 * meanwhile. A page cached or cut off by a truncate meanwhile is left
 * alone. Returns 0 once page @idx is cached, with its frame and a
 * reference for the caller in *@first (so reclaim cannot take it before
 * the caller uses it), or 0 with *@first 0 if it is past the end of
 * the file; else -errno. Sleeps.
 */
static int fill_pages(struct file *file, uint64_t idx, unsigned n,
		      paddr_t *first)
{
	struct inode *inode = file->inode;
	size_t len = (size_t)n * PAGE_SIZE;
	char *buf = kmalloc_upto(&len);
	uint64_t writes;
	int err;

	*first = 0;
	if (!buf)
		return -ENOMEM;
	n = (unsigned)(len / PAGE_SIZE);
again:
	writes = inode->cache->writes;
	err = read_span(file, (off_t)(idx * PAGE_SIZE), buf,
			(size_t)n * PAGE_SIZE);
	/* A write between the op's chunks: what was read may be stale. */
	if (!err && inode->cache->writes != writes)
		goto again;
	for (unsigned i = 0; !err && i < n; i++) {
		uint64_t at = idx + i;
		paddr_t pa;

		/* The read slept: a truncate or another fill may have run. */
		if (at >= pages_of(inode->size))
			break;
		pa = page_index_lookup(&inode->cache->pages, at);
		if (pa) {
			if (!i) {
				frame_get(pa);
				*first = pa;
			}
			continue;
		}
		pa = frame_alloc_dirty();
		if (!pa) {
			err = i ? 0 : -ENOMEM;
			break;
		}
		frame_write(pa, 0, buf + (size_t)i * PAGE_SIZE, PAGE_SIZE);
		err = keep_page(inode, at, pa);
		if (err) {
			frame_put(pa);
			err = i ? 0 : err;
			break;
		}
		if (!i) {
			frame_get(pa);
			*first = pa;
		}
	}
	kfree(buf);
	return err;
}

/*
 * The pages a fault's miss at page @idx of @inode reads: up to
 * RA_AROUND_PAGES from it (what fault-around then maps), cut at the end
 * of the file and at the next cached page; only that one while memory
 * is short.
 */
static unsigned around_window(struct inode *inode, uint64_t idx)
{
	uint64_t n = MIN((uint64_t)RA_AROUND_PAGES,
			 pages_of(inode->size) - idx), next = idx + 1;
	paddr_t pa;

	if (!page_cache_make_room(n))
		return 1;
	if (n > 1 && page_index_next_present(&inode->cache->pages, &next,
					     idx + n - 1, &pa))
		n = next - idx;
	return (unsigned)n;
}

int page_cache_get(struct file *file, uint64_t idx, paddr_t *out)
{
	struct inode *inode = file->inode;
	paddr_t pa;
	int err;

	if (idx >= pages_of(inode->size))
		return -ENXIO;
	if (!cache_of(inode))
		return -ENOMEM;
	pa = page_index_lookup(&inode->cache->pages, idx);
	if (!pa) {
		err = fill_pages(file, idx, around_window(inode, idx), &pa);
		if (err)
			return err;
		/* Not there after the fill: a truncate came first. */
		if (!pa)
			return -ENXIO;
		*out = pa;
		return 0;
	}
	page_lru_touch(inode, idx);
	frame_get(pa);
	*out = pa;
	return 0;
}

bool page_cache_peek(const struct inode *inode, uint64_t idx, paddr_t *out)
{
	paddr_t pa;

	if (!inode->cache || idx >= pages_of(inode->size))
		return false;
	pa = page_index_lookup(&inode->cache->pages, idx);
	if (!pa)
		return false;
	page_lru_touch(inode, idx);
	frame_get(pa);
	*out = pa;
	return true;
}

/*
 * The number of pages to read from page @idx, a miss of a read() that
 * needs @want pages from there, and the window @file remembers: a miss
 * at the end of the last window is sequential and doubles it, up to
 * RA_MAX_PAGES (Linux's get_next_ra_size); a miss at the start of the
 * file or just past the last read starts one of four times the request,
 * as Linux's get_init_ra_size for small ones; any other (random) miss
 * reads only what the request needs. Cut at the end of the file and at
 * the next cached page.
 */
static unsigned ra_window(struct file *file, uint64_t idx, uint64_t want)
{
	struct inode *inode = file->inode;
	uint64_t n, end = pages_of(inode->size), next = idx + 1;
	paddr_t pa;

	if (file->ra_pages && idx == file->ra_next)
		file->ra_pages = MIN(file->ra_pages * 2, RA_MAX_PAGES);
	else if (idx == 0 || idx == file->ra_next)
		file->ra_pages = (unsigned)MIN(MAX(want * 4, RA_MIN_PAGES),
					       (uint64_t)RA_MAX_PAGES);
	else
		file->ra_pages = 0;
	n = MAX(want, (uint64_t)file->ra_pages);
	n = MIN(MIN(n, (uint64_t)RA_MAX_PAGES), end - idx);
	if (n > 1 && page_index_next_present(&inode->cache->pages, &next,
					     idx + n - 1, &pa))
		n = next - idx;
	file->ra_next = idx + n;
	return (unsigned)n;
}

ssize_t page_cache_read(struct file *file, struct uio *uio, off_t *pos)
{
	struct inode *inode = file->inode;
	size_t done = 0;
	int err = 0;

	if (!cache_of(inode))
		return -ENOMEM;
	while (uio->resid && *pos < inode->size) {
		uint64_t idx = (uint64_t)*pos / PAGE_SIZE;
		size_t off = (size_t)*pos % PAGE_SIZE, before = uio->resid;
		size_t n = MIN(MIN(PAGE_SIZE - off, uio->resid),
			       (size_t)MIN(inode->size - *pos,
					   (off_t)PAGE_SIZE));
		paddr_t pa = page_index_lookup(&inode->cache->pages, idx);
		ssize_t got;

		if (pa) {
			page_lru_touch(inode, idx);
			frame_get(pa);	/* the copy may fault and sleep */
		} else if (page_cache_make_room(RA_MAX_PAGES)) {
			uint64_t want = DIV_ROUND_UP((uint64_t)*pos +
						     uio->resid, PAGE_SIZE) -
					idx;

			err = fill_pages(file, idx, ra_window(file, idx, want),
					 &pa);
			if (err)
				break;
			if (!pa)
				continue;	/* a truncate came first */
		}
		if (pa) {
			err = file_page_uiomove(pa, off, n, uio);
			frame_put(pa);
			done += before - uio->resid;
			*pos += (off_t)(before - uio->resid);
			if (err)
				break;
			continue;
		}
		/* No room: the rest straight from the read op. */
		err = page_cache_flush(file, *pos, uio->resid);
		if (err)
			break;
		got = vop_read(file, uio, pos);
		if (got < 0)
			err = (int)got;
		else
			done += (size_t)got;
		break;
	}
	return done ? (ssize_t)done : err;
}

/*
 * Write @len bytes of @buf at @pos through @file's write op, the bytes
 * written into *@done: 0, or -errno once the op fails (-EIO if it
 * writes nothing or lies). Sleeps.
 */
static int write_span(struct file *file, off_t pos, void *buf, size_t len,
		      size_t *done)
{
	*done = 0;
	while (*done < len) {
		off_t at = pos + (off_t)*done;
		struct kiovec iov;
		struct uio uio;
		ssize_t n;

		uio_init_kernel(&uio, &iov, (char *)buf + *done, len - *done,
				UIO_WRITE);
		n = vop_write(file, &uio, &at);
		if (n < 0)
			return (int)n;
		if (n == 0 || (size_t)n > len - *done)
			return -EIO;
		*done += (size_t)n;
	}
	return 0;
}

/* Copy @len bytes of @buf over the cached pages of [@pos, @pos + @len). */
static void update_pages(struct inode *inode, off_t pos, const char *buf,
			 size_t len)
{
	size_t done = 0;

	inode->cache->writes++;
	while (done < len) {
		uint64_t idx = ((uint64_t)pos + done) / PAGE_SIZE;
		size_t off = ((size_t)pos + done) % PAGE_SIZE;
		size_t n = MIN(PAGE_SIZE - off, len - done);
		paddr_t pa = page_index_lookup(&inode->cache->pages, idx);

		if (pa)
			frame_write(pa, off, buf + done, n);
		done += n;
	}
}

/* True if some page of [@pos, @pos + @len) of @inode is cached. */
static bool range_cached(struct inode *inode, off_t pos, size_t len)
{
	uint64_t idx = (uint64_t)pos / PAGE_SIZE;
	paddr_t pa;

	return len && page_index_next_present(&inode->cache->pages, &idx,
					      ((uint64_t)pos + len - 1) /
					      PAGE_SIZE, &pa);
}

/* See page_cache.h. */
ssize_t page_cache_write_through(struct file *file, struct uio *uio,
				 off_t *pos)
{
	off_t at = *pos;
	ssize_t ret;

	page_cache_prefault(file->inode, uio);
	ret = vop_write(file, uio, pos);
	if (ret > 0)
		page_cache_changed(file, at, (size_t)ret);
	return ret;
}

ssize_t page_cache_write(struct file *file, struct uio *uio, off_t *pos)
{
	struct inode *inode = file->inode;
	size_t done = 0, chunk;
	int err = 0;
	char *buf;

	if (!cache_of(inode))
		return -ENOMEM;
	if (!range_cached(inode, *pos, uio->resid))
		return page_cache_write_through(file, uio, pos);
	chunk = MIN(uio->resid, (size_t)WRITE_CHUNK);
	buf = kmalloc_upto(&chunk);
	if (!buf)
		return -ENOMEM;
	while (uio->resid) {
		size_t before = uio->resid, n, w;
		off_t at = *pos;
		int werr;

		/* The user's bytes first, no lock of the service held. */
		err = uiomove_exact(buf, MIN(before, chunk), uio);
		n = before - uio->resid;
		if (!n)
			break;
		werr = write_span(file, at, buf, n, &w);
		update_pages(inode, at, buf, w);
		*pos += (off_t)w;
		done += w;
		if (werr)
			err = werr;
		if (err)
			break;
	}
	kfree(buf);
	return done ? (ssize_t)done : err;
}

/* Page @idx of @inode is clean from now on (if it was dirty). */
static void erase_dirty(struct inode *inode, uint64_t idx)
{
	if (page_index_erase(&inode->cache->dirty, idx))
		page_lru_dirty_count(-1);
}

/* Take page @idx out of @inode's cache, not out of its mappings. */
static void forget_page(struct inode *inode, uint64_t idx)
{
	page_index_erase(&inode->cache->pages, idx);
	erase_dirty(inode, idx);
	page_lru_del(inode, idx);
}

/* Take page @idx (frame @pa) out of @inode's cache and its mappings. */
static void drop_page(struct inode *inode, uint64_t idx, paddr_t pa)
{
	forget_page(inode, idx);
	mm_unmap_file_pages(inode, idx, idx, pa);
	frame_put(pa);
}

void page_cache_changed(struct file *file, off_t pos, size_t len)
{
	struct inode *inode = file->inode;
	uint64_t idx, last;
	paddr_t pa;
	void *buf;

	if (!inode->cache || !page_index_count(&inode->cache->pages) ||
	    !len || pos < 0)
		return;
	idx = (uint64_t)pos / PAGE_SIZE;
	last = ((uint64_t)pos + len - 1) / PAGE_SIZE;
	inode->cache->writes++;
	buf = kmalloc(PAGE_SIZE);
	while (page_index_next_present(&inode->cache->pages, &idx, last, &pa)) {
		int err = buf ? 0 : -ENOMEM;

		frame_get(pa);		/* the read sleeps: keep it */
		if (!err)
			err = read_page(file, idx, buf);
		if (page_index_lookup(&inode->cache->pages, idx) == pa) {
			if (err)
				drop_page(inode, idx, pa);
			else
				frame_write(pa, 0, buf, PAGE_SIZE);
		}
		frame_put(pa);
		if (idx == last)
			break;
		idx++;
	}
	kfree(buf);
}

/* Free the cached pages of @inode from page @idx on. */
static void free_from(struct inode *inode, uint64_t idx)
{
	paddr_t pa;

	while (page_index_next_present(&inode->cache->pages, &idx,
				       LAST_INDEX, &pa)) {
		forget_page(inode, idx);
		frame_put(pa);
	}
}

void page_cache_resize(struct inode *inode, off_t size)
{
	paddr_t pa;

	if (!inode->cache)
		return;
	mm_unmap_file_pages(inode, pages_of(size), UINT64_MAX, 0);
	free_from(inode, pages_of(size));
	if (size % PAGE_SIZE) {
		pa = page_index_lookup(&inode->cache->pages,
				       (uint64_t)size / PAGE_SIZE);
		if (pa)
			file_page_zero(pa, (size_t)size % PAGE_SIZE,
				       PAGE_SIZE - (size_t)size % PAGE_SIZE);
	}
}

void page_cache_evict(struct inode *inode)
{
	uint64_t dirty;

	if (!inode->cache)
		return;
	dirty = page_index_count(&inode->cache->dirty);
	if (dirty)
		pr_err("page_cache: inode %llu: %llu dirty pages lost "
		       "(their writeback failed)",
		       (unsigned long long)inode->ino,
		       (unsigned long long)dirty);
	free_from(inode, 0);
	kfree(inode->cache);
	inode->cache = NULL;
}

size_t page_cache_count(const struct inode *inode)
{
	return inode->cache ? page_index_count(&inode->cache->pages) : 0;
}

bool page_cache_has_dirty(const struct inode *inode)
{
	return inode->cache && page_index_count(&inode->cache->dirty);
}

int page_cache_dirty(struct inode *inode, uint64_t idx)
{
	paddr_t pa;

	if (!inode->cache)
		return 0;
	pa = page_index_lookup(&inode->cache->pages, idx);
	if (!pa || page_index_lookup(&inode->cache->dirty, idx))
		return 0;
	if (page_index_insert(&inode->cache->dirty, idx, pa))
		return -ENOMEM;
	page_lru_dirty_count(1);
	return 0;
}

/*
 * A failed writeback of @inode's pages, for the next fsync to report
 * once (Linux's mapping_set_error): ENOSPC as itself, any other failure
 * as EIO; a lack of memory wrote nothing and leaves nothing to report.
 */
static void note_error(struct inode *inode, int err)
{
	if (err != -ENOMEM)
		inode->cache->wb_err = err == -ENOSPC ? -ENOSPC : -EIO;
}

/*
 * Take for writeback the run of dirty pages of @inode from @idx on, up
 * to page @last and @max pages: each is clean from here (a store from
 * now on faults and marks it again), its shared mappings read-only,
 * its bytes copied into @buf before any sleep, and its frame held in
 * @pas, a reference each, so that reclaim keeps off it until the write
 * is done and a failed one can mark it dirty again. Returns the pages
 * taken (at least one if @idx is dirty). Does not sleep.
 */
static unsigned take_run(struct inode *inode, uint64_t idx, uint64_t last,
			 unsigned max, char *buf, paddr_t *pas)
{
	unsigned n = 0;
	paddr_t pa;

	while (n < max && idx + n <= last &&
	       (pa = page_index_lookup(&inode->cache->dirty, idx + n))) {
		frame_get(pa);
		erase_dirty(inode, idx + n);
		mm_wrprotect_file_page(inode, idx + n, pa);
		frame_read(pa, 0, buf + (size_t)n * PAGE_SIZE, PAGE_SIZE);
		pas[n++] = pa;
	}
	return n;
}

int page_cache_writeback(struct file *file, uint64_t first, uint64_t last)
{
	struct inode *inode = file->inode;
	size_t len = WB_RUN_PAGES * PAGE_SIZE;
	paddr_t pas[WB_RUN_PAGES], pa;
	uint64_t idx = first;
	int ret = 0;
	char *buf;

	if (!inode->cache || !page_index_count(&inode->cache->dirty))
		return 0;
	buf = kmalloc_upto(&len);
	if (!buf)
		return -ENOMEM;
	while (page_index_next_present(&inode->cache->dirty, &idx, last, &pa)) {
		unsigned n = take_run(inode, idx, last,
				      (unsigned)(len / PAGE_SIZE), buf, pas);
		off_t pos = (off_t)(idx * PAGE_SIZE);

		/* Only up to the end of the file; a page past it is clean. */
		if (pos < inode->size) {
			size_t bytes = (size_t)MIN((off_t)n * (off_t)PAGE_SIZE,
						   inode->size - pos), wrote;
			int err = write_span(file, pos, buf, bytes, &wrote);

			if (err) {
				note_error(inode, err);
				if (!ret)
					ret = err;
			}
			/* What was not written stays dirty for a later try;
			 * evict says if it is lost. */
			for (unsigned i = (unsigned)(wrote / PAGE_SIZE);
			     err && i < n; i++)
				if (page_cache_dirty(inode, idx + i))
					pr_err("page_cache: inode %llu page %llu "
					       "lost: its writeback failed",
					       (unsigned long long)inode->ino,
					       (unsigned long long)(idx + i));
		}
		for (unsigned i = 0; i < n; i++)
			frame_put(pas[i]);
		if (idx + n - 1 == last)
			break;
		idx += n;
	}
	kfree(buf);
	return ret;
}

int page_cache_take_error(struct inode *inode)
{
	int err;

	if (!inode->cache)
		return 0;
	err = inode->cache->wb_err;
	inode->cache->wb_err = 0;
	return err;
}

int page_cache_flush(struct file *file, off_t pos, size_t len)
{
	if (!file->inode->cache || !len || pos < 0)
		return 0;
	return page_cache_writeback(file, (uint64_t)pos / PAGE_SIZE,
				    ((uint64_t)pos + len - 1) / PAGE_SIZE);
}

bool page_cache_sync_pending(struct inode *inode, uint64_t pass)
{
	struct page_cache *pc = inode->cache;

	if (!pc || !page_index_count(&pc->dirty) || pc->sync_pass == pass)
		return false;
	pc->sync_pass = pass;
	return true;
}

int page_cache_sync(const struct super_block *sb)
{
	uint64_t pass = ++sync_passes;
	struct file *f;
	int ret = 0, err;

	/* One file at a time: the writeback sleeps, the mappings change. */
	while ((f = mm_dirty_shared_file(sb, pass))) {
		err = page_cache_writeback(f, 0, LAST_INDEX);
		if (err && !ret)
			ret = err;
		fput(f);
	}
	/* Then the inodes no one holds that a failed writeback left dirty. */
	err = inode_unused_writeback(sb, pass);
	return ret ? ret : err;
}

/* Fault in the pages of [@va, @va + @len) that @sb's page cache backs. */
static void prefault_range(struct mm *mm, const struct super_block *sb,
			   uintptr_t va, size_t len)
{
	uintptr_t page = ALIGN_DOWN(va, PAGE_SIZE), end = va + len;

	if (end < va)
		return;
	while (page < end) {
		struct vma *v = vma_find(mm, page);
		unsigned prot;
		paddr_t pa;

		if (!v) {
			page += PAGE_SIZE;
			continue;
		}
		if (!v->file || v->file->inode->sb != sb ||
		    !page_cache_serves(v->file->inode)) {
			page = v->end;
			continue;
		}
		for (; page < MIN(end, v->end); page += PAGE_SIZE)
			if (!mmu_lookup(mm->space, page, &pa, &prot))
				mm_fault(mm, page, false, false);
	}
}

void page_cache_prefault(const struct inode *inode, const struct uio *uio)
{
	struct mm *mm = current->mm;
	size_t left = uio->resid;

	if (uio->seg != UIO_USER || !mm || !page_cache_serves(inode))
		return;
	for (int i = 0; i < uio->iovcnt && left; i++) {
		size_t len = MIN(uio->iov[i].len, left);

		prefault_range(mm, inode->sb, uptr_to_ulong(uio->iov[i].ubase),
			       len);
		left -= len;
	}
}
