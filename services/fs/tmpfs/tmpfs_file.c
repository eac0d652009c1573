/*
 * tmpfs regular files: data in page frames found through a sparse page
 * index (include/svc/page_index.h), so a file costs memory for the pages
 * written, not for its size; a missing frame is a hole that reads as
 * zeros. Bytes move to and from the caller's buffers through the
 * kernel's file-page helpers (include/svc/file_page.h), which apply the
 * profile's frame-access rule.
 */
#include "tmpfs.h"
#include <aramid/string.h>
#include <platform/frame.h>
#include <svc/file_page.h>
#include <uapi/errno.h>
#include <uapi/falloc.h>
#include <uapi/fcntl.h>

/* Linux's MAX_LFS_FILESIZE, the largest size, and the last page below it. */
#define TMPFS_MAX_SIZE	((off_t)INT64_MAX)
#define TMPFS_LAST_PAGE	((uint64_t)TMPFS_MAX_SIZE / PAGE_SIZE)

static void update_blocks(struct inode *inode)
{
	inode->blocks = page_index_count(&tmpfs_node(inode)->reg.pages) *
			(PAGE_SIZE / 512);
}

/*
 * A zero frame for page @pg, a hole: 0, -ENOSPC (no frame, or the
 * mount's size= reached) or -ENOMEM (no index node).
 */
static int add_page(struct inode *inode, uint64_t pg, paddr_t *out)
{
	struct tmpfs_sb *ts = inode->sb->priv;
	paddr_t pa;
	int err;

	if (ts->max_pages && ts->used_pages >= ts->max_pages)
		return -ENOSPC;
	pa = frame_alloc();
	if (!pa)
		return -ENOSPC;
	err = page_index_insert(&tmpfs_node(inode)->reg.pages, pg, pa);
	if (err) {
		frame_put(pa);
		return err;
	}
	ts->used_pages++;
	update_blocks(inode);
	*out = pa;
	return 0;
}

/* The frame for page @pg, adding a zero one for a hole: 0 or -errno. */
static inline int page_for_write(struct inode *inode, uint64_t pg,
				 paddr_t *out)
{
	*out = page_index_lookup(&tmpfs_node(inode)->reg.pages, pg);
	return *out ? 0 : add_page(inode, pg, out);
}

/* Free frame @pa of page @pg and the index nodes only it used. */
static void erase_page(struct inode *inode, uint64_t pg, paddr_t pa)
{
	struct tmpfs_sb *ts = inode->sb->priv;

	page_index_erase(&tmpfs_node(inode)->reg.pages, pg);
	frame_put(pa);
	ts->used_pages--;
}

/* Free the frames of pages @first and up, and the index nodes they used. */
static void free_pages_from(struct inode *inode, uint64_t first)
{
	struct page_index *pages = &tmpfs_node(inode)->reg.pages;
	uint64_t pg = first;
	paddr_t pa;

	while (page_index_next_present(pages, &pg, TMPFS_LAST_PAGE, &pa))
		erase_page(inode, pg, pa);
	update_blocks(inode);
}

static ssize_t tmpfs_read(struct file *file, struct uio *uio, off_t *pos)
{
	struct inode *inode = file->inode;
	struct tmpfs_node *node = tmpfs_node(inode);
	size_t start = uio->resid;

	while (uio->resid > 0 && *pos < inode->size) {
		paddr_t pa = page_index_lookup(&node->reg.pages,
					       (uint64_t)*pos / PAGE_SIZE);
		size_t off = (size_t)(*pos % PAGE_SIZE);
		size_t n = MIN(MIN(uio->resid, PAGE_SIZE - off),
			       (size_t)(inode->size - *pos));
		size_t before = uio->resid;
		int err;

		if (pa)
			err = file_page_uiomove(pa, off, n, uio);
		else
			err = file_hole_uiomove(n, uio);
		*pos += (off_t)(before - uio->resid);
		if (err) {
			if (uio->resid == start)
				return err;
			break;
		}
	}
	inode->atime = current_time();
	return (ssize_t)(start - uio->resid);
}

static ssize_t tmpfs_write(struct file *file, struct uio *uio, off_t *pos)
{
	struct inode *inode = file->inode;
	size_t start = uio->resid;
	int err = 0;

	if (*pos >= TMPFS_MAX_SIZE)
		return -EFBIG;
	while (uio->resid > 0 && *pos < TMPFS_MAX_SIZE) {
		size_t off = (size_t)(*pos % PAGE_SIZE);
		size_t n = MIN(MIN(uio->resid, PAGE_SIZE - off),
			       (size_t)(TMPFS_MAX_SIZE - *pos));
		size_t before = uio->resid;
		paddr_t pa;

		err = page_for_write(inode, (uint64_t)*pos / PAGE_SIZE, &pa);
		if (err)
			break;
		err = file_page_uiomove(pa, off, n, uio);
		*pos += (off_t)(before - uio->resid);
		if (*pos > inode->size)
			inode->size = *pos;
		if (err)
			break;
	}
	if (uio->resid != start)
		inode->mtime = inode->ctime = current_time();
	if (uio->resid == start && err)
		return err;
	return (ssize_t)(start - uio->resid);
}

/*
 * Set the size of @inode: shrinking frees the pages past the end and
 * zeroes the tail of the last one, growing costs nothing (a hole).
 * 0 or -errno.
 */
int tmpfs_truncate(struct inode *inode, off_t size)
{
	struct tmpfs_node *node = tmpfs_node(inode);

	if (size < 0)
		return -EINVAL;
	if (size > TMPFS_MAX_SIZE)
		return -EFBIG;
	if (size < inode->size) {
		paddr_t tail = page_index_lookup(&node->reg.pages,
						 (uint64_t)size / PAGE_SIZE);

		free_pages_from(inode, DIV_ROUND_UP((uint64_t)size, PAGE_SIZE));
		/* Zero the tail of the last page: it must read as a hole. */
		if (size % PAGE_SIZE && tail)
			file_page_zero(tail, (size_t)size % PAGE_SIZE,
				       PAGE_SIZE - (size_t)size % PAGE_SIZE);
	}
	inode->size = size;
	inode->mtime = inode->ctime = current_time();
	return 0;
}

/*
 * FALLOC_FL_PUNCH_HOLE: the whole pages of [@offset, @end) are freed,
 * the parts of pages at its edges zeroed (as Linux's
 * shmem_truncate_range); the size stays.
 */
static void punch_hole(struct inode *inode, off_t offset, off_t end)
{
	struct page_index *pages = &tmpfs_node(inode)->reg.pages;
	uint64_t pg = (uint64_t)offset / PAGE_SIZE;
	uint64_t last = (uint64_t)(end - 1) / PAGE_SIZE;
	paddr_t pa;

	for (; page_index_next_present(pages, &pg, last, &pa); pg++) {
		off_t from = MAX(offset, (off_t)(pg * PAGE_SIZE));
		off_t to = MIN(end, (off_t)((pg + 1) * PAGE_SIZE));

		if (to - from == (off_t)PAGE_SIZE)
			erase_page(inode, pg, pa);
		else
			file_page_zero(pa, from % PAGE_SIZE, (size_t)(to - from));
	}
	update_blocks(inode);
	inode->mtime = inode->ctime = current_time();
}

/* The holes among pages [@first, @end) of @inode, @end > @first. */
static uint64_t holes_in(struct inode *inode, uint64_t first, uint64_t end)
{
	const struct page_index *pages = &tmpfs_node(inode)->reg.pages;
	uint64_t pg = first, present = 0;
	paddr_t pa;

	for (; page_index_next_present(pages, &pg, end - 1, &pa); pg++)
		present++;
	return end - first - present;
}

/*
 * file_ops.fallocate (Linux's shmem_fallocate): mode 0 gives every page
 * of the range a frame and extends the size, KEEP_SIZE only the frames,
 * PUNCH_HOLE|KEEP_SIZE frees them; anything else EOPNOTSUPP. -EFBIG
 * past the largest size, -ENOSPC when the mount's size or memory cannot
 * hold the new pages (checked before any is taken), -ENOMEM.
 */
static int tmpfs_fallocate(struct file *file, int mode, off_t offset,
			   off_t len)
{
	struct inode *inode = file->inode;
	struct tmpfs_sb *ts = inode->sb->priv;
	off_t end = offset + len;
	uint64_t first, last, need, pg;
	struct frame_stats fs;
	int err;

	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE))
		return -EOPNOTSUPP;
	if (mode & FALLOC_FL_PUNCH_HOLE) {
		punch_hole(inode, offset, end);
		return 0;
	}
	if (end > TMPFS_MAX_SIZE)
		return -EFBIG;
	first = (uint64_t)offset / PAGE_SIZE;
	last = DIV_ROUND_UP((uint64_t)end, PAGE_SIZE);
	frame_stats(&fs);
	if (last - first > fs.total ||
	    (ts->max_pages && last - first > ts->max_pages))
		return -ENOSPC;
	need = holes_in(inode, first, last);
	if (need > fs.free ||
	    (ts->max_pages && need > ts->max_pages - ts->used_pages))
		return -ENOSPC;
	for (pg = first; pg < last; pg++) {
		paddr_t pa;

		err = page_for_write(inode, pg, &pa);
		if (err)
			return err;
	}
	if (!(mode & FALLOC_FL_KEEP_SIZE) && end > inode->size)
		inode->size = end;
	return 0;
}

/* Free every frame of regular file @inode (evict). */
void tmpfs_free_pages(struct inode *inode)
{
	free_pages_from(inode, 0);
}

/* inode_ops.get_page: the frame of page @pgoff with a reference. */
static int tmpfs_get_page(struct inode *inode, uint64_t pgoff, paddr_t *out)
{
	paddr_t pa;
	int err;

	if (pgoff >= DIV_ROUND_UP((uint64_t)inode->size, PAGE_SIZE))
		return -ENXIO;
	err = page_for_write(inode, pgoff, &pa);
	if (err)
		return err;
	frame_get(pa);
	*out = pa;
	return 0;
}

/* inode_ops.peek_pages: the pages present, for a fault's neighbours. */
static int tmpfs_peek_pages(struct inode *inode, uint64_t pgoff, unsigned n,
			    paddr_t *out)
{
	const struct page_index *pages = &tmpfs_node(inode)->reg.pages;
	uint64_t end = DIV_ROUND_UP((uint64_t)inode->size, PAGE_SIZE);

	for (unsigned i = 0; i < n; i++) {
		out[i] = pgoff + i < end ? page_index_lookup(pages, pgoff + i)
					 : 0;
		if (out[i])
			frame_get(out[i]);
	}
	return 0;
}

/*
 * file_ops.seek_data: SEEK_DATA or SEEK_HOLE from @off, inside the file
 * (the VFS checked). A page present is data, as in Linux's tmpfs, and
 * the end of the file is a hole.
 */
static off_t tmpfs_seek_data(struct file *file, off_t off, int whence)
{
	struct inode *inode = file->inode;
	const struct page_index *pages = &tmpfs_node(inode)->reg.pages;
	uint64_t pg = (uint64_t)off / PAGE_SIZE;
	uint64_t last = (uint64_t)(inode->size - 1) / PAGE_SIZE;
	paddr_t pa;

	if (whence == SEEK_DATA) {
		if (!page_index_next_present(pages, &pg, last, &pa))
			return -ENXIO;
	} else if (!page_index_next_hole(pages, &pg, last)) {
		return inode->size;
	}
	return MAX(off, (off_t)(pg * PAGE_SIZE));
}

static int tmpfs_fsync(struct file *file)
{
	return 0;
}

const struct inode_ops tmpfs_file_iops = {
	.svc = &tmpfs_service,
	.setattr = tmpfs_setattr,
	.getxattr = tmpfs_getxattr,
	.setxattr = tmpfs_setxattr,
	.removexattr = tmpfs_removexattr,
	.listxattr = tmpfs_listxattr,
	.get_page = tmpfs_get_page,
	.peek_pages = tmpfs_peek_pages,
};

const struct file_ops tmpfs_file_fops = {
	.svc = &tmpfs_service,
	.read = tmpfs_read,
	.write = tmpfs_write,
	.seek_data = tmpfs_seek_data,
	.fsync = tmpfs_fsync,
	.fallocate = tmpfs_fallocate,
};
