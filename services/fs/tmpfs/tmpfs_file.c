/*
 * tmpfs regular files: data in page frames (sparse: a missing frame is a
 * hole that reads as zeros), moved to and from the caller's buffers by
 * the kernel's file-page helpers (include/svc/file_page.h), which apply
 * the profile's frame-access rule.
 */
#include "tmpfs.h"
#include <aramid/string.h>
#include <platform/frame.h>
#include <svc/file_page.h>
#include <platform/heap.h>
#include <uapi/errno.h>
#include <uapi/falloc.h>

#define TMPFS_MAX_SIZE	((off_t)INT64_MAX & ~(off_t)(PAGE_SIZE - 1))

static void update_blocks(struct inode *inode)
{
	inode->blocks = tmpfs_node(inode)->reg.nalloc * (PAGE_SIZE / 512);
}

/* Make pages[] hold at least @n slots: 0 or -ENOMEM. */
static int ensure_slots(struct tmpfs_node *node, size_t n)
{
	size_t cap = node->reg.npages ? node->reg.npages : 4;
	paddr_t *pages;

	if (n <= node->reg.npages)
		return 0;
	while (cap < n)
		cap *= 2;
	pages = kzalloc(cap * sizeof(*pages));
	if (!pages)
		return -ENOMEM;
	if (node->reg.npages)
		memcpy(pages, node->reg.pages,
		       node->reg.npages * sizeof(*pages));
	kfree(node->reg.pages);
	node->reg.pages = pages;
	node->reg.npages = cap;
	return 0;
}

/* The frame for page @pg, allocating a zero one: 0, -ENOMEM or -ENOSPC. */
static int page_for_write(struct inode *inode, size_t pg, paddr_t *out)
{
	struct tmpfs_node *node = tmpfs_node(inode);
	struct tmpfs_sb *ts = inode->sb->priv;
	paddr_t pa;
	int err;

	err = ensure_slots(node, pg + 1);
	if (err)
		return err;
	if (!node->reg.pages[pg]) {
		if (ts->max_pages && ts->used_pages >= ts->max_pages)
			return -ENOSPC;
		pa = frame_alloc();
		if (!pa)
			return -ENOSPC;
		node->reg.pages[pg] = pa;
		node->reg.nalloc++;
		ts->used_pages++;
		update_blocks(inode);
	}
	*out = node->reg.pages[pg];
	return 0;
}

static ssize_t tmpfs_read(struct file *file, struct uio *uio, off_t *pos)
{
	struct inode *inode = file->inode;
	struct tmpfs_node *node = tmpfs_node(inode);
	size_t start = uio->resid;

	while (uio->resid > 0 && *pos < inode->size) {
		size_t pg = (size_t)(*pos / PAGE_SIZE);
		size_t off = (size_t)(*pos % PAGE_SIZE);
		size_t n = MIN(MIN(uio->resid, PAGE_SIZE - off),
			       (size_t)(inode->size - *pos));
		size_t before = uio->resid;
		int err;

		if (pg < node->reg.npages && node->reg.pages[pg])
			err = file_page_uiomove(node->reg.pages[pg], off, n, uio);
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
		size_t pg = (size_t)(*pos / PAGE_SIZE);
		size_t off = (size_t)(*pos % PAGE_SIZE);
		size_t n = MIN(uio->resid, PAGE_SIZE - off);
		size_t before = uio->resid;
		paddr_t pa;

		err = page_for_write(inode, pg, &pa);
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

/* Free the frame of page @pg of @inode if it has one. */
static void page_free(struct inode *inode, size_t pg)
{
	struct tmpfs_node *node = tmpfs_node(inode);
	struct tmpfs_sb *ts = inode->sb->priv;

	if (pg < node->reg.npages && node->reg.pages[pg]) {
		frame_put(node->reg.pages[pg]);
		node->reg.pages[pg] = 0;
		node->reg.nalloc--;
		ts->used_pages--;
	}
}

/* Set the size of @inode, freeing whole pages past the end: 0 or -errno. */
int tmpfs_truncate(struct inode *inode, off_t size)
{
	struct tmpfs_node *node = tmpfs_node(inode);
	size_t keep, pg;

	if (size < 0)
		return -EINVAL;
	if (size > TMPFS_MAX_SIZE)
		return -EFBIG;
	if (size < inode->size) {
		keep = DIV_ROUND_UP((size_t)size, PAGE_SIZE);
		for (pg = keep; pg < node->reg.npages; pg++)
			page_free(inode, pg);
		/* Zero the tail of the last page: it must read as a hole. */
		pg = (size_t)size / PAGE_SIZE;
		if (size % PAGE_SIZE && pg < node->reg.npages &&
		    node->reg.pages[pg]) {
			size_t off = (size_t)size % PAGE_SIZE;

			file_page_zero(node->reg.pages[pg], off,
				       PAGE_SIZE - off);
		}
		update_blocks(inode);
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
	struct tmpfs_node *node = tmpfs_node(inode);
	size_t pg = (size_t)(offset / (off_t)PAGE_SIZE);
	size_t last = (size_t)((end - 1) / (off_t)PAGE_SIZE);

	for (; pg <= last && pg < node->reg.npages; pg++) {
		off_t from = MAX(offset, (off_t)(pg * PAGE_SIZE));
		off_t to = MIN(end, (off_t)((pg + 1) * PAGE_SIZE));

		if (!node->reg.pages[pg])
			continue;
		if (to - from == (off_t)PAGE_SIZE)
			page_free(inode, pg);
		else
			file_page_zero(node->reg.pages[pg], from % PAGE_SIZE,
				       (size_t)(to - from));
	}
	update_blocks(inode);
	inode->mtime = inode->ctime = current_time();
}

/* The holes among pages [@first, @end) of @node. */
static size_t holes_in(const struct tmpfs_node *node, size_t first, size_t end)
{
	size_t pg, n = 0;

	for (pg = first; pg < end; pg++) {
		if (pg >= node->reg.npages || !node->reg.pages[pg])
			n++;
	}
	return n;
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
	struct tmpfs_node *node = tmpfs_node(inode);
	struct tmpfs_sb *ts = inode->sb->priv;
	off_t end = offset + len;
	size_t first, last, need, pg;
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
	first = (size_t)(offset / (off_t)PAGE_SIZE);
	last = (size_t)DIV_ROUND_UP((uint64_t)end, PAGE_SIZE);
	if (ts->max_pages && last - first > ts->max_pages)
		return -ENOSPC;
	need = holes_in(node, first, last);
	frame_stats(&fs);
	if (need > fs.free ||
	    (ts->max_pages && need > ts->max_pages - ts->used_pages))
		return -ENOSPC;
	err = ensure_slots(node, last);
	if (err)
		return err;
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
	struct tmpfs_node *node = tmpfs_node(inode);
	struct tmpfs_sb *ts = inode->sb->priv;
	size_t pg;

	for (pg = 0; pg < node->reg.npages; pg++) {
		if (node->reg.pages[pg]) {
			frame_put(node->reg.pages[pg]);
			ts->used_pages--;
		}
	}
	kfree(node->reg.pages);
	node->reg.pages = NULL;
	node->reg.npages = node->reg.nalloc = 0;
}

/* inode_ops.get_page: the frame of page @pgoff with a reference. */
static int tmpfs_get_page(struct inode *inode, uint64_t pgoff, paddr_t *out)
{
	paddr_t pa;
	int err;

	if (pgoff >= DIV_ROUND_UP((uint64_t)inode->size, PAGE_SIZE))
		return -ENXIO;
	err = page_for_write(inode, (size_t)pgoff, &pa);
	if (err)
		return err;
	frame_get(pa);
	*out = pa;
	return 0;
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
};

const struct file_ops tmpfs_file_fops = {
	.svc = &tmpfs_service,
	.read = tmpfs_read,
	.write = tmpfs_write,
	.fsync = tmpfs_fsync,
	.fallocate = tmpfs_fallocate,
};
