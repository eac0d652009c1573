/*
 * ext2 regular files and symbolic links: read (pread, readv...) through
 * the block map, holes as zeros; fast and slow link targets; the ops
 * tables of files, links and special nodes (writing: ext2_write.c).
 */
#include "ext2.h"
#include <aramid/string.h>
#include <platform/heap.h>
#include <uapi/errno.h>

#define READ_CHUNK	(64 * 1024)	/* the most one pass reads */

static ssize_t ext2_file_read(struct file *file, struct uio *uio, off_t *pos)
{
	struct inode *inode = file->inode;
	struct ext2_sb *es = EXT2_SB(inode->sb);
	size_t done = 0;
	uint8_t *buf;
	int err = 0;

	if (*pos >= inode->size || !uio->resid)
		return 0;
	buf = kmalloc(READ_CHUNK);
	if (!buf)
		return -ENOMEM;
	while (uio->resid && *pos < inode->size) {
		size_t n = MIN(MIN(uio->resid, (size_t)READ_CHUNK),
			       (size_t)(inode->size - *pos));
		size_t before = uio->resid;

		svc_lock(&es->lock);
		err = ext2_read_data(inode, (uint64_t)*pos, buf, n);
		svc_unlock(&es->lock);
		if (!err)
			err = uiomove_exact(buf, n, uio);
		done += before - uio->resid;
		*pos += (off_t)(before - uio->resid);
		if (err)
			break;
	}
	kfree(buf);
	return done ? (ssize_t)done : err;
}

static ssize_t ext2_readlink(struct inode *inode, char *buf, size_t len)
{
	struct ext2_sb *es = EXT2_SB(inode->sb);
	size_t n = MIN(len, (size_t)inode->size);
	uint8_t *blk;
	int err;

	if (EXT2_I(inode)->fast_link) {
		memcpy(buf, EXT2_I(inode)->block, n);
		return (ssize_t)n;
	}
	blk = kmalloc(es->block_size);
	if (!blk)
		return -ENOMEM;
	svc_lock(&es->lock);
	err = ext2_read_data(inode, 0, blk, es->block_size);
	svc_unlock(&es->lock);
	if (!err)
		memcpy(buf, blk, n);
	kfree(blk);
	return err ? err : (ssize_t)n;
}

const struct inode_ops ext2_file_iops = {
	.svc = &ext2_service,
	.setattr = ext2_setattr,
};

const struct inode_ops ext2_symlink_iops = {
	.svc = &ext2_service,
	.readlink = ext2_readlink,
	.setattr = ext2_setattr,
};

const struct inode_ops ext2_special_iops = {
	.svc = &ext2_service,
	.setattr = ext2_setattr,
};

const struct file_ops ext2_file_fops = {
	.svc = &ext2_service,
	.read = ext2_file_read,
	.write = ext2_file_write,
	.fsync = ext2_fsync,
};
