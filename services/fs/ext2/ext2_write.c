/*
 * Writing ext2 files: the block map grown on demand (direct, single,
 * double and triple indirect blocks, each new indirect block zeroed on
 * the disk before anything points at it), write(2) through it with
 * holes left unallocated, truncate freeing data and emptied indirect
 * blocks, setattr, and the deletion of an inode whose last link and
 * last user went. i_size (with i_size_high past 4 GiB, the large_file
 * feature), i_blocks and the times follow every change.
 */
#include "ext2.h"
#include <aramid/string.h>
#include <platform/heap.h>
#include <uapi/errno.h>

#define WRITE_CHUNK	(64 * 1024)	/* the most one pass copies in */
#define EXT2_XATTR_MAGIC 0xEA020000u

/* 512-byte sectors one block counts for in i_blocks. */
static uint64_t block_sectors(const struct ext2_sb *es)
{
	return es->block_size >> SECTOR_SHIFT;
}

/* A new block for @inode, near its last one or in its inode's group. */
static int alloc_for(struct inode *inode, uint32_t *out)
{
	struct ext2_sb *es = EXT2_SB(inode->sb);
	struct ext2_inode *ei = EXT2_I(inode);
	uint32_t goal = ei->goal;
	int err;

	if (!goal)
		goal = es->first_data_block + (uint32_t)((inode->ino - 1) /
			es->inodes_per_group) * es->blocks_per_group;
	err = ext2_new_block(es, goal, out);
	if (err)
		return err;
	ei->goal = *out + 1;
	inode->blocks += block_sectors(es);
	return 0;
}

/* A new indirect block, zeroed on the disk, into *@out. */
static int alloc_indirect(struct inode *inode, uint32_t *out)
{
	struct ext2_sb *es = EXT2_SB(inode->sb);
	uint8_t *blk;
	int err = alloc_for(inode, out);

	if (!err)
		err = ext2_meta_new(es, *out, &blk);
	if (!err)
		err = ext2_meta_put(es, *out);
	return err;
}

int ext2_bmap_alloc(struct inode *inode, uint64_t lblk, uint32_t *pblk,
		    bool *fresh)
{
	struct ext2_sb *es = EXT2_SB(inode->sb);
	struct ext2_inode *ei = EXT2_I(inode);
	uint32_t offs[4], b;
	unsigned depth;
	int err = ext2_block_path(es, lblk, offs, &depth);

	if (err)
		return err;
	*fresh = false;
	b = ei->block[offs[0]];
	if (!b) {
		err = depth ? alloc_indirect(inode, &b) : alloc_for(inode, &b);
		if (err)
			return err;
		ei->block[offs[0]] = b;
		*fresh = !depth;
	}
	for (unsigned level = 1; level <= depth; level++) {
		uint8_t *blk;
		uint32_t next;

		if (ext2_block_is_meta(es, b)) {
			ext2_error(es, "inode #%llu: indirect block %u in a "
				   "system zone",
				   (unsigned long long)inode->ino, b);
			return -EUCLEAN;
		}
		err = ext2_meta_rw(es, b, &blk);
		if (err)
			return err;
		next = ((uint32_t *)blk)[offs[level]];
		if (!next) {
			err = level < depth ? alloc_indirect(inode, &next) :
					      alloc_for(inode, &next);
			/* the allocation may have reused blk's cache slot */
			if (!err)
				err = ext2_meta_rw(es, b, &blk);
			if (err)
				return err;
			((uint32_t *)blk)[offs[level]] = next;
			err = ext2_meta_put(es, b);
			if (err)
				return err;
			*fresh = level == depth;
		}
		b = next;
	}
	/* data never overwrites metadata, whatever a damaged map says */
	if (ext2_block_is_meta(es, b)) {
		ext2_error(es, "inode #%llu: block %u in a system zone",
			   (unsigned long long)inode->ino, b);
		return -EUCLEAN;
	}
	*pblk = b;
	return 0;
}

/*
 * Write @len bytes of @buf at @pos of @inode, allocating what is
 * missing; whole blocks in a row on the device go in one request.
 * The bytes written into *@done: 0 or -errno.
 */
static int write_data(struct inode *inode, uint64_t pos, const uint8_t *buf,
		      size_t len, size_t *done)
{
	struct ext2_sb *es = EXT2_SB(inode->sb);
	uint32_t spb_log = es->block_log - SECTOR_SHIFT;
	uint32_t run_start = 0, run_n = 0;	/* whole blocks pending */
	const uint8_t *run_src = NULL;
	uint8_t *bounce = NULL;
	int err = 0;

	*done = 0;
	while (len && !err) {
		uint64_t lblk = pos >> es->block_log;
		size_t off = pos & (es->block_size - 1);
		size_t n = MIN(len, es->block_size - off);
		uint32_t pblk;
		bool fresh;

		err = ext2_bmap_alloc(inode, lblk, &pblk, &fresh);
		if (err)
			break;
		if (run_n && (n != es->block_size ||
			      pblk != run_start + run_n)) {
			err = sb_bdev_write(es->sb, (uint64_t)run_start <<
					    spb_log, run_n << spb_log, run_src);
			if (err)
				break;
			*done += (size_t)run_n << es->block_log;
			run_n = 0;
		}
		if (n == es->block_size) {
			if (!run_n) {
				run_start = pblk;
				run_src = buf;
			}
			run_n++;
		} else {
			if (!bounce)
				bounce = kmalloc(es->block_size);
			if (!bounce) {
				err = -ENOMEM;
				break;
			}
			if (fresh)
				memset(bounce, 0, es->block_size);
			else
				err = ext2_read_block(es, pblk, bounce);
			if (!err) {
				memcpy(bounce + off, buf, n);
				err = ext2_write_block(es, pblk, bounce);
			}
			if (err)
				break;
			*done += n;
		}
		buf += n;
		pos += n;
		len -= n;
	}
	if (!err && run_n) {
		err = sb_bdev_write(es->sb, (uint64_t)run_start << spb_log,
				    run_n << spb_log, run_src);
		if (!err)
			*done += (size_t)run_n << es->block_log;
	}
	kfree(bounce);
	return err;
}

/* The VFS has placed O_APPEND's *@pos. */
ssize_t ext2_file_write(struct file *file, struct uio *uio, off_t *pos)
{
	struct inode *inode = file->inode;
	struct ext2_sb *es = EXT2_SB(inode->sb);
	size_t total = 0, chunk;
	uint8_t *buf;
	int err;

	if ((uint64_t)*pos >= es->max_bytes)
		return uio->resid ? -EFBIG : 0;
	if (!uio->resid)
		return 0;
	/* No larger than the write: reclaim's writeback of a page under
	 * memory pressure asks for one page, not a run of 16. */
	chunk = MIN(uio->resid, (size_t)WRITE_CHUNK);
	buf = kmalloc(chunk);
	if (!buf)
		return -ENOMEM;
	svc_lock(&es->lock);
	err = ext2_begin_write(es);
	while (!err && uio->resid && (uint64_t)*pos < es->max_bytes) {
		size_t n = MIN(MIN(uio->resid, chunk),
			       (size_t)(es->max_bytes - (uint64_t)*pos));
		size_t before = uio->resid, moved, done;

		err = uiomove_exact(buf, n, uio);
		moved = before - uio->resid;
		if (moved) {
			int werr = write_data(inode, (uint64_t)*pos, buf,
					      moved, &done);

			*pos += (off_t)done;
			total += done;
			if (*pos > inode->size)
				inode->size = *pos;
			if (werr)
				err = werr;
		}
	}
	if (total) {
		int ierr;

		inode->mtime = inode->ctime = current_time();
		ierr = ext2_write_inode(inode);
		if (!err)
			err = ierr;
	}
	svc_unlock(&es->lock);
	kfree(buf);
	return total ? (ssize_t)total : err;
}

/*
 * Free what indirect block *@slot (of @depth levels) maps from its
 * block @start on; with @start 0 the block itself goes and *@slot is
 * cleared. @span: the blocks one of its pointers maps.
 */
static int free_tree(struct inode *inode, uint32_t *slot, unsigned depth,
		     uint64_t start, uint64_t span)
{
	struct ext2_sb *es = EXT2_SB(inode->sb);
	uint32_t p = es->block_size / 4;
	bool changed = false;
	uint32_t *ptr;
	int err;

	if (ext2_block_is_meta(es, *slot)) {
		ext2_error(es, "inode #%llu: indirect block %u in a system "
			   "zone", (unsigned long long)inode->ino, *slot);
		return -EUCLEAN;
	}
	ptr = kmalloc(es->block_size);
	if (!ptr)
		return -ENOMEM;
	err = ext2_read_block(es, *slot, ptr);
	for (uint32_t c = (uint32_t)(start / span); !err && c < p; c++) {
		uint64_t from = c == start / span ? start % span : 0;

		if (!ptr[c])
			continue;
		if (depth == 1) {
			err = ext2_free_block(es, ptr[c]);
			if (!err) {
				inode->blocks -= block_sectors(es);
				ptr[c] = 0;
			}
		} else {
			err = free_tree(inode, &ptr[c], depth - 1, from,
					span / p);
		}
		changed = true;
	}
	if (!err && !start) {
		err = ext2_free_block(es, *slot);
		if (!err) {
			inode->blocks -= block_sectors(es);
			*slot = 0;
		}
	} else if (changed) {
		int werr = ext2_write_block(es, *slot, ptr);

		ext2_meta_forget(es, *slot);
		if (!err)
			err = werr;
	}
	kfree(ptr);
	return err;
}

int ext2_free_blocks_from(struct inode *inode, uint64_t first)
{
	struct ext2_sb *es = EXT2_SB(inode->sb);
	struct ext2_inode *ei = EXT2_I(inode);
	uint64_t p = es->block_size / 4, base = EXT2_NDIR_BLOCKS, span = p;
	int err = 0;

	for (uint64_t i = first; i < EXT2_NDIR_BLOCKS && !err; i++) {
		if (!ei->block[i])
			continue;
		err = ext2_free_block(es, ei->block[i]);
		if (!err) {
			inode->blocks -= block_sectors(es);
			ei->block[i] = 0;
		}
	}
	for (unsigned depth = 1; depth <= 3 && !err; depth++) {
		uint32_t *slot = &ei->block[EXT2_NDIR_BLOCKS + depth - 1];

		if (*slot && first < base + span)
			err = free_tree(inode, slot, depth,
					first > base ? first - base : 0,
					span / p);
		base += span;
		span *= p;
	}
	ei->goal = 0;
	return err;
}

/* Zero the bytes of @inode's block holding @size from @size on. */
static int zero_tail(struct inode *inode, uint64_t size)
{
	struct ext2_sb *es = EXT2_SB(inode->sb);
	size_t off = size & (es->block_size - 1);
	uint8_t *blk;
	uint32_t pblk;
	int err;

	if (!off)
		return 0;
	err = ext2_bmap(inode, size >> es->block_log, &pblk);
	if (err || !pblk)
		return err;
	if (ext2_block_is_meta(es, pblk)) {
		ext2_error(es, "inode #%llu: block %u in a system zone",
			   (unsigned long long)inode->ino, pblk);
		return -EUCLEAN;
	}
	blk = kmalloc(es->block_size);
	if (!blk)
		return -ENOMEM;
	err = ext2_read_block(es, pblk, blk);
	if (!err) {
		memset(blk + off, 0, es->block_size - off);
		err = ext2_write_block(es, pblk, blk);
	}
	kfree(blk);
	return err;
}

/* Set @inode's size to @size, freeing the blocks past a smaller one. */
static int truncate(struct inode *inode, off_t size)
{
	struct ext2_sb *es = EXT2_SB(inode->sb);
	int err = 0;

	if (size < inode->size) {
		err = zero_tail(inode, (uint64_t)size);
		if (!err)
			err = ext2_free_blocks_from(inode,
				((uint64_t)size + es->block_size - 1) >>
				es->block_log);
	}
	if (!err)
		inode->size = size;
	return err;
}

int ext2_setattr(struct inode *inode, const struct iattr *attr)
{
	struct ext2_sb *es = EXT2_SB(inode->sb);
	int err;

	if (attr->valid & ATTR_SIZE) {
		if (!S_ISREG(inode->mode))
			return -EINVAL;
		if (attr->size < 0)
			return -EINVAL;
		if ((uint64_t)attr->size > es->max_bytes)
			return -EFBIG;
	}
	svc_lock(&es->lock);
	err = ext2_begin_write(es);
	if (!err && (attr->valid & ATTR_SIZE) && attr->size != inode->size)
		err = truncate(inode, attr->size);
	if (!err)
		inode_copy_attr(inode, attr);
	if (!err || (attr->valid & ATTR_SIZE)) {
		int ierr = ext2_write_inode(inode);

		if (!err)
			err = ierr;
	}
	svc_unlock(&es->lock);
	return err;
}

/* Drop @inode's reference to its extended attribute block. */
static int xattr_drop(struct inode *inode)
{
	struct ext2_sb *es = EXT2_SB(inode->sb);
	struct ext2_inode *ei = EXT2_I(inode);
	uint32_t *hdr;
	int err;

	if (!ei->file_acl)
		return 0;
	if (!ext2_block_ok(es, ei->file_acl)) {
		ext2_error(es, "inode #%llu: bad extended attribute block %u",
			   (unsigned long long)inode->ino, ei->file_acl);
		return -EUCLEAN;
	}
	hdr = kmalloc(es->block_size);
	if (!hdr)
		return -ENOMEM;
	err = ext2_read_block(es, ei->file_acl, hdr);
	if (!err && (hdr[0] != EXT2_XATTR_MAGIC || !hdr[1])) {
		ext2_error(es, "inode #%llu: bad extended attribute block %u",
			   (unsigned long long)inode->ino, ei->file_acl);
		err = -EUCLEAN;
	}
	if (!err && hdr[1] > 1) {
		hdr[1]--;	/* h_refcount: others share it */
		err = ext2_write_block(es, ei->file_acl, hdr);
	} else if (!err) {
		err = ext2_free_block(es, ei->file_acl);
		if (!err)
			inode->blocks -= block_sectors(es);
	}
	if (!err)
		ei->file_acl = 0;
	kfree(hdr);
	return err;
}

int ext2_delete_inode(struct inode *inode)
{
	struct ext2_sb *es = EXT2_SB(inode->sb);
	struct ext2_inode *ei = EXT2_I(inode);
	int err = ext2_begin_write(es);
	bool maps = S_ISREG(inode->mode) || S_ISDIR(inode->mode) ||
		    (S_ISLNK(inode->mode) && !ei->fast_link);

	if (!err && maps)
		err = ext2_free_blocks_from(inode, 0);
	if (!err)
		err = xattr_drop(inode);
	if (err)
		return err;
	inode->size = 0;
	ei->dtime = (uint32_t)current_time().sec;
	err = ext2_write_inode(inode);
	if (!err)
		err = ext2_free_inode(es, (uint32_t)inode->ino,
				      S_ISDIR(inode->mode));
	return err;
}
