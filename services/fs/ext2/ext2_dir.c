/*
 * ext2 directories: entries checked before use as Linux's
 * ext2_check_page and ext4_check_dir_entry check them (rec_len, name_len,
 * the inode number), lookup, the parent, and readdir with the file type
 * of the filetype feature. A damaged entry is logged and the rest of its
 * block skipped, as Linux's ext4 driver (which mounts ext2) does.
 */
#include "ext2.h"
#include <aramid/string.h>
#include <platform/heap.h>
#include <uapi/errno.h>

/* The d_type of each on-disk file type (filetype feature). */
static const unsigned char ftype_dt[8] = {
	DT_UNKNOWN, DT_REG, DT_DIR, DT_CHR, DT_BLK, DT_FIFO, DT_SOCK, DT_LNK,
};

uint16_t ext2_rec_len_disk(const struct ext2_sb *es, uint32_t len)
{
	if (es->block_size < 65536 || len < 65536)
		return (uint16_t)len;
	if (len == 65536)
		return 65535;
	return (uint16_t)((len & 65532u) | ((len >> 16) & 3));
}

static uint32_t rec_len(const struct ext2_sb *es, uint16_t raw)
{
	if (es->block_size < 65536)
		return raw;
	if (raw == 65535 || raw == 0)
		return 65536;
	return (raw & 65532u) | ((uint32_t)(raw & 3) << 16);
}

struct ext2_dirent_disk *ext2_dirent_at(const struct ext2_sb *es,
					const struct inode *dir,
					uint64_t lblk, uint8_t *blk,
					uint32_t off, uint32_t *len)
{
	struct ext2_dirent_disk *de = (void *)(blk + off);
	const char *bad = NULL;
	uint32_t rl = 0;

	if (es->block_size - off < EXT2_DIR_REC_LEN(1)) {
		bad = "directory entry across blocks";
	} else {
		rl = rec_len(es, de->rec_len);
		if (rl < EXT2_DIR_REC_LEN(1))
			bad = "rec_len is smaller than minimal";
		else if (rl & 3)
			bad = "unaligned directory entry";
		else if (rl < EXT2_DIR_REC_LEN(de->name_len))
			bad = "rec_len is too small for name_len";
		else if (rl > es->block_size - off)
			bad = "directory entry across blocks";
		else if (de->inode > es->inodes_count)
			bad = "inode out of bounds";
	}
	if (bad) {
		ext2_error(es, "bad entry in directory #%llu: %s - offset=%llu, "
			   "rec_len=%u", (unsigned long long)dir->ino, bad,
			   (unsigned long long)((lblk << es->block_log) + off),
			   rl);
		return NULL;
	}
	*len = rl;
	return de;
}

/* A hole in a directory has no entries: skipped, as Linux's ext4 does. */
int ext2_dir_block(struct inode *dir, uint64_t lblk, uint8_t *blk)
{
	struct ext2_sb *es = EXT2_SB(dir->sb);
	uint32_t pblk;
	int err = ext2_bmap(dir, lblk, &pblk);

	if (!err && !pblk)
		err = 1;
	if (!err)
		err = ext2_read_block(es, pblk, blk);
	return err;
}

int ext2_dir_find(struct inode *dir, const char *name, size_t len,
		  uint32_t *ino)
{
	struct ext2_sb *es = EXT2_SB(dir->sb);
	uint64_t nblocks = ((uint64_t)dir->size + es->block_size - 1) >>
			   es->block_log;
	uint8_t *blk = kmalloc(es->block_size);
	int err = -ENOENT;

	if (!blk)
		return -ENOMEM;
	for (uint64_t lblk = 0; lblk < nblocks && err == -ENOENT; lblk++) {
		const struct ext2_dirent_disk *de;
		uint32_t rl;

		err = ext2_dir_block(dir, lblk, blk);
		if (err < 0)
			break;
		if (err > 0) {		/* a hole: nothing to find */
			err = -ENOENT;
			continue;
		}
		err = -ENOENT;
		for (uint32_t off = 0; off < es->block_size; off += rl) {
			de = ext2_dirent_at(es, dir, lblk, blk, off, &rl);
			if (!de)
				break;
			if (de->inode && de->name_len == len &&
			    !memcmp(de->name, name, len)) {
				*ino = de->inode;
				err = 0;
				break;
			}
		}
	}
	kfree(blk);
	return err;
}

/* Look @name up in @dir and get its inode: 0 or -errno. */
static int dir_get(struct inode *dir, const char *name, struct inode **out)
{
	struct ext2_sb *es = EXT2_SB(dir->sb);
	uint32_t ino;
	int err;

	svc_lock(&es->lock);
	err = ext2_dir_find(dir, name, strlen(name), &ino);
	if (!err)
		err = ext2_iget(dir->sb, ino, out);
	svc_unlock(&es->lock);
	return err;
}

static int ext2_lookup(struct inode *dir, const char *name,
		       struct inode **out)
{
	if (strlen(name) > NAME_MAX)
		return -ENAMETOOLONG;
	return dir_get(dir, name, out);
}

static int ext2_parent(struct inode *dir, struct inode **out)
{
	return dir_get(dir, "..", out);
}

/* file_ops.readdir: the entries in disk order; pos is a byte offset. */
static int ext2_readdir(struct file *file, struct dir_context *ctx)
{
	struct inode *dir = file->inode;
	struct ext2_sb *es = EXT2_SB(dir->sb);
	uint8_t *blk;
	int err = 0;

	if (ctx->pos < 0)
		return -EINVAL;
	blk = kmalloc(es->block_size);
	if (!blk)
		return -ENOMEM;
	while (ctx->pos < dir->size) {
		uint64_t lblk = (uint64_t)ctx->pos >> es->block_log;
		uint32_t want = ctx->pos & (es->block_size - 1), rl;
		off_t next = (off_t)((lblk + 1) << es->block_log);

		svc_lock(&es->lock);
		err = ext2_dir_block(dir, lblk, blk);
		svc_unlock(&es->lock);
		if (err < 0)
			break;
		for (uint32_t off = 0; !err && off < es->block_size;
		     off += rl) {
			const struct ext2_dirent_disk *de =
				ext2_dirent_at(es, dir, lblk, blk, off, &rl);
			unsigned dt = DT_UNKNOWN;

			if (!de)
				break;
			if (off < want)
				continue;
			if (es->incompat & EXT2_FEATURE_INCOMPAT_FILETYPE)
				dt = ftype_dt[de->file_type & 7];
			ctx->pos = (off_t)(lblk << es->block_log) + off;
			if (de->inode && !ctx->emit(ctx, de->name, de->name_len,
						    de->inode, dt))
				goto out;
		}
		ctx->pos = next;
		err = 0;
	}
out:
	kfree(blk);
	return err;
}

const struct inode_ops ext2_dir_iops = {
	.svc = &ext2_service,
	.lookup = ext2_lookup,
	.parent = ext2_parent,
	.mknod = ext2_mknod,
	.mkdir = ext2_mkdir,
	.symlink = ext2_symlink,
	.link = ext2_link,
	.unlink = ext2_unlink,
	.rmdir = ext2_rmdir,
	.rename = ext2_rename,
	.setattr = ext2_setattr,
};

const struct file_ops ext2_dir_fops = {
	.svc = &ext2_service,
	.readdir = ext2_readdir,
	.fsync = ext2_fsync,
};
