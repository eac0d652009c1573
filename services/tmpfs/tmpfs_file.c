/*
 * tmpfs regular files: data in page frames (sparse: a missing frame is a
 * hole that reads as zeros). read and write move data straight between
 * the frame and the caller's buffers, except in fortress, where frames
 * are reached only by copying and data goes through a bounce buffer.
 */
#include "tmpfs.h"
#include <aramid/string.h>
#include <platform/frame.h>
#include <platform/heap.h>
#include <uapi/errno.h>

#define BOUNCE_SIZE	512
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

/*
 * uiomove() of @n bytes at @k, but on a fault also the bytes before it:
 * like Linux's shmem, a read or write counts every byte that reached
 * its destination. uiomove() moves a span whole or not at all, so after
 * a fault the rest goes a byte at a time up to the faulting one.
 * Returns 0 or -EFAULT; uio->resid tells how much moved.
 */
static int uiomove_exact(char *k, size_t n, struct uio *uio)
{
	size_t before = uio->resid;
	int err = uiomove(k, n, uio);

	if (!err)
		return 0;
	for (size_t done = before - uio->resid; done < n; done++)
		if (uiomove(k + done, 1, uio))
			break;
	return err;
}

/*
 * Move @n bytes between offset @off of frame @pa and @uio, in the uio's
 * direction (@off + @n within the page). Outside fortress straight
 * through the frame's direct mapping; in fortress, which reaches frames
 * only by copying, through a bounce buffer. Returns 0 or -EFAULT;
 * uio->resid tells how much moved.
 */
static int frame_uiomove(paddr_t pa, size_t off, size_t n, struct uio *uio)
{
#if !CONFIG_FRAME_COPY_ONLY
	return uiomove_exact((char *)frame_map(pa) + off, n, uio);
#else
	/*
	 * One page-sized bounce buffer serves every call: there is one CPU,
	 * and nothing here sleeps or re-enters tmpfs file data.
	 */
	static char bounce[PAGE_SIZE];

	while (n > 0) {
		size_t chunk = MIN(n, sizeof(bounce));
		size_t before = uio->resid, moved;
		int err;

		if (uio->dir == UIO_READ)
			frame_read(pa, off, bounce, chunk);
		err = uiomove_exact(bounce, chunk, uio);
		moved = before - uio->resid;
		if (uio->dir == UIO_WRITE)
			frame_write(pa, off, bounce, moved);
		if (err || moved < chunk)	/* a fault, or @uio is full */
			return err;
		off += moved;
		n -= moved;
	}
	return 0;
#endif
}

/* Move @n zero bytes (a hole) into @uio: 0 or -EFAULT. */
static int hole_uiomove(size_t n, struct uio *uio)
{
	char zeros[BOUNCE_SIZE];

	memset(zeros, 0, MIN(n, sizeof(zeros)));
	while (n > 0) {
		size_t chunk = MIN(n, sizeof(zeros));
		int err = uiomove_exact(zeros, chunk, uio);

		if (err)
			return err;
		n -= chunk;
	}
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
			err = frame_uiomove(node->reg.pages[pg], off, n, uio);
		else
			err = hole_uiomove(n, uio);
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
		err = frame_uiomove(pa, off, n, uio);
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

/* Set the size of @inode, freeing whole pages past the end: 0 or -errno. */
int tmpfs_truncate(struct inode *inode, off_t size)
{
	struct tmpfs_node *node = tmpfs_node(inode);
	struct tmpfs_sb *ts = inode->sb->priv;
	static const char zeros[BOUNCE_SIZE];
	size_t keep, pg;

	if (size < 0)
		return -EINVAL;
	if (size > TMPFS_MAX_SIZE)
		return -EFBIG;
	if (size < inode->size) {
		keep = DIV_ROUND_UP((size_t)size, PAGE_SIZE);
		for (pg = keep; pg < node->reg.npages; pg++) {
			if (node->reg.pages[pg]) {
				frame_put(node->reg.pages[pg]);
				node->reg.pages[pg] = 0;
				node->reg.nalloc--;
				ts->used_pages--;
			}
		}
		/* Zero the tail of the last page: it must read as a hole. */
		pg = (size_t)size / PAGE_SIZE;
		if (size % PAGE_SIZE && pg < node->reg.npages &&
		    node->reg.pages[pg]) {
			size_t off = (size_t)size % PAGE_SIZE;

			while (off < PAGE_SIZE) {
				size_t n = MIN(PAGE_SIZE - off, sizeof(zeros));

				frame_write(node->reg.pages[pg], off, zeros, n);
				off += n;
			}
		}
		update_blocks(inode);
	}
	inode->size = size;
	inode->mtime = inode->ctime = current_time();
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
	.get_page = tmpfs_get_page,
};

const struct file_ops tmpfs_file_fops = {
	.svc = &tmpfs_service,
	.read = tmpfs_read,
	.write = tmpfs_write,
	.fsync = tmpfs_fsync,
};
