/*
 * Changing ext2 directories: adding an entry (in the first record with
 * room, splitting its rec_len, or in a new block at the end), removing
 * one (merged into the record before it, or cleared at a block's
 * start), repointing one (rename), and the first block of a new
 * directory. Every record is checked (ext2_dirent_at) before it is
 * relied on; a damaged block is not written to. A hashed (htree)
 * directory that changes loses EXT2_INDEX_FL, as Linux's ext2 clears
 * it: its index blocks read as empty records, so the plain layout
 * stays valid. The file type byte is kept with the filetype feature.
 */
#include "ext2.h"
#include <aramid/string.h>
#include <platform/heap.h>
#include <uapi/errno.h>

/* The on-disk file type of @mode (filetype feature), 0 without it. */
static uint8_t file_type(const struct ext2_sb *es, mode_t mode)
{
	static const uint8_t types[16] = {
		[S_IFREG >> 12] = 1, [S_IFDIR >> 12] = 2, [S_IFCHR >> 12] = 3,
		[S_IFBLK >> 12] = 4, [S_IFIFO >> 12] = 5, [S_IFSOCK >> 12] = 6,
		[S_IFLNK >> 12] = 7,
	};

	if (!(es->incompat & EXT2_FEATURE_INCOMPAT_FILETYPE))
		return 0;
	return types[(mode & S_IFMT) >> 12];
}

/* @dir changed: its times, no index any more, and its inode written. */
static int dir_touch(struct inode *dir)
{
	dir->mtime = dir->ctime = current_time();
	EXT2_I(dir)->flags &= ~(uint32_t)EXT2_INDEX_FL;
	return ext2_write_inode(dir);
}

/* Fill @de with @name (@len) -> @ino of @mode. */
static void dirent_fill(const struct ext2_sb *es, struct ext2_dirent_disk *de,
			const char *name, size_t len, uint32_t ino,
			mode_t mode)
{
	de->inode = ino;
	de->name_len = (uint8_t)len;
	de->file_type = file_type(es, mode);
	memcpy(de->name, name, len);
}

/* Where an entry is: its block and offset, and the record before it. */
struct dirpos {
	uint64_t lblk;
	uint32_t off, prev;	/* prev == off: the first in its block */
};

/*
 * Find @name in @dir, leaving its block in @blk: 0 and its place, or
 * -ENOENT, -EUCLEAN (a damaged record on the way), -EIO.
 */
static int entry_find(struct inode *dir, const char *name, uint8_t *blk,
		      struct dirpos *at)
{
	struct ext2_sb *es = EXT2_SB(dir->sb);
	uint64_t nblocks = (uint64_t)dir->size >> es->block_log;
	size_t len = strlen(name);

	for (uint64_t lblk = 0; lblk < nblocks; lblk++) {
		uint32_t rl, prev = 0;
		int err = ext2_dir_block(dir, lblk, blk);

		if (err < 0)
			return err;
		if (err)
			continue;
		for (uint32_t off = 0; off < es->block_size; off += rl) {
			struct ext2_dirent_disk *de =
				ext2_dirent_at(es, dir, lblk, blk, off, &rl);

			if (!de)
				return -EUCLEAN;
			if (de->inode && de->name_len == len &&
			    !memcmp(de->name, name, len)) {
				*at = (struct dirpos){ lblk, off, prev };
				return 0;
			}
			prev = off;
		}
	}
	return -ENOENT;
}

/* Write back directory block @lblk of @dir from @blk. */
static int dir_block_write(struct inode *dir, uint64_t lblk,
			   const uint8_t *blk)
{
	uint32_t pblk;
	int err = ext2_bmap(dir, lblk, &pblk);

	if (!err && ext2_block_is_meta(EXT2_SB(dir->sb), pblk)) {
		ext2_error(EXT2_SB(dir->sb), "directory #%llu: block %u in a "
			   "system zone", (unsigned long long)dir->ino, pblk);
		err = -EUCLEAN;
	}
	return err ? err : ext2_write_block(EXT2_SB(dir->sb), pblk, blk);
}

/* A new last block for @dir holding one empty record, into @blk. */
static int dir_grow(struct inode *dir, uint8_t *blk, uint64_t *lblk)
{
	struct ext2_sb *es = EXT2_SB(dir->sb);
	struct ext2_dirent_disk *de = (void *)blk;
	uint32_t pblk;
	bool fresh;
	int err;

	*lblk = (uint64_t)dir->size >> es->block_log;
	err = ext2_bmap_alloc(dir, *lblk, &pblk, &fresh);
	if (err)
		return err;
	memset(blk, 0, es->block_size);
	de->rec_len = ext2_rec_len_disk(es, es->block_size);
	dir->size += es->block_size;
	return 0;
}

int ext2_add_entry(struct inode *dir, const char *name, uint32_t ino,
		   mode_t mode)
{
	struct ext2_sb *es = EXT2_SB(dir->sb);
	uint64_t nblocks = (uint64_t)dir->size >> es->block_log, at_blk = 0;
	size_t len = strlen(name);
	uint32_t need = EXT2_DIR_REC_LEN(len), at_off = 0, at_used = 0;
	uint8_t *blk = kmalloc(2 * (size_t)es->block_size), *room;
	bool found = false;
	struct ext2_dirent_disk *de;
	int err = 0;

	if (!blk)
		return -ENOMEM;
	room = blk + es->block_size;	/* the block with room, once found */
	for (uint64_t lblk = 0; lblk < nblocks && !err; lblk++) {
		uint32_t rl;

		err = ext2_dir_block(dir, lblk, blk);
		if (err) {
			err = err > 0 ? 0 : err;
			continue;
		}
		for (uint32_t off = 0; off < es->block_size; off += rl) {
			uint32_t used;

			de = ext2_dirent_at(es, dir, lblk, blk, off, &rl);
			if (!de) {
				err = -EUCLEAN;
				break;
			}
			if (de->inode && de->name_len == len &&
			    !memcmp(de->name, name, len)) {
				err = -EEXIST;
				break;
			}
			used = de->inode ? EXT2_DIR_REC_LEN(de->name_len) : 0;
			if (!found && rl - used >= need) {
				found = true;
				at_blk = lblk;
				at_off = off;
				at_used = used;
				memcpy(room, blk, es->block_size);
			}
		}
	}
	if (!err && !found) {
		err = dir_grow(dir, room, &at_blk);
		at_off = at_used = 0;
	}
	if (err)
		goto out;
	de = (void *)(room + at_off);
	if (at_used) {
		uint32_t rl = 0;

		ext2_dirent_at(es, dir, at_blk, room, at_off, &rl);
		de->rec_len = ext2_rec_len_disk(es, at_used);
		de = (void *)(room + at_off + at_used);
		de->rec_len = ext2_rec_len_disk(es, rl - at_used);
	}
	dirent_fill(es, de, name, len, ino, mode);
	err = dir_block_write(dir, at_blk, room);
	if (!err)
		err = dir_touch(dir);
out:
	kfree(blk);
	return err;
}

int ext2_remove_entry(struct inode *dir, const char *name, uint32_t *ino)
{
	struct ext2_sb *es = EXT2_SB(dir->sb);
	uint8_t *blk = kmalloc(es->block_size);
	struct ext2_dirent_disk *de, *prev;
	struct dirpos at;
	uint32_t rl, prl;
	int err;

	if (!blk)
		return -ENOMEM;
	err = entry_find(dir, name, blk, &at);
	if (err)
		goto out;
	de = ext2_dirent_at(es, dir, at.lblk, blk, at.off, &rl);
	*ino = de->inode;
	if (at.prev == at.off) {
		de->inode = 0;
	} else {
		prev = ext2_dirent_at(es, dir, at.lblk, blk, at.prev, &prl);
		prev->rec_len = ext2_rec_len_disk(es, prl + rl);
	}
	err = dir_block_write(dir, at.lblk, blk);
	if (!err)
		err = dir_touch(dir);
out:
	kfree(blk);
	return err;
}

int ext2_set_entry(struct inode *dir, const char *name, uint32_t ino,
		   mode_t mode)
{
	struct ext2_sb *es = EXT2_SB(dir->sb);
	uint8_t *blk = kmalloc(es->block_size);
	struct ext2_dirent_disk *de;
	struct dirpos at;
	uint32_t rl;
	int err;

	if (!blk)
		return -ENOMEM;
	err = entry_find(dir, name, blk, &at);
	if (!err) {
		de = ext2_dirent_at(es, dir, at.lblk, blk, at.off, &rl);
		de->inode = ino;
		de->file_type = file_type(es, mode);
		err = dir_block_write(dir, at.lblk, blk);
	}
	if (!err)
		err = dir_touch(dir);
	kfree(blk);
	return err;
}

int ext2_dir_empty(struct inode *dir)
{
	struct ext2_sb *es = EXT2_SB(dir->sb);
	uint64_t nblocks = (uint64_t)dir->size >> es->block_log;
	uint8_t *blk = kmalloc(es->block_size);
	int err = 1;

	if (!blk)
		return -ENOMEM;
	for (uint64_t lblk = 0; lblk < nblocks && err == 1; lblk++) {
		uint32_t rl;

		err = ext2_dir_block(dir, lblk, blk);
		if (err) {
			err = err > 0 ? 1 : err;
			continue;
		}
		err = 1;
		for (uint32_t off = 0; off < es->block_size; off += rl) {
			struct ext2_dirent_disk *de =
				ext2_dirent_at(es, dir, lblk, blk, off, &rl);

			if (!de) {
				err = -EUCLEAN;
				break;
			}
			if (!de->inode)
				continue;
			if (!(de->name_len == 1 && de->name[0] == '.') &&
			    !(de->name_len == 2 && de->name[0] == '.' &&
			      de->name[1] == '.')) {
				err = 0;
				break;
			}
		}
	}
	kfree(blk);
	return err;
}

int ext2_dir_init(struct inode *dir, uint32_t parent)
{
	struct ext2_sb *es = EXT2_SB(dir->sb);
	uint8_t *blk = kmalloc(es->block_size);
	struct ext2_dirent_disk *de;
	uint64_t lblk;
	int err;

	if (!blk)
		return -ENOMEM;
	err = dir_grow(dir, blk, &lblk);
	if (err)
		goto out;
	de = (void *)blk;
	dirent_fill(es, de, ".", 1, (uint32_t)dir->ino, S_IFDIR);
	de->rec_len = ext2_rec_len_disk(es, EXT2_DIR_REC_LEN(1));
	de = (void *)(blk + EXT2_DIR_REC_LEN(1));
	dirent_fill(es, de, "..", 2, parent, S_IFDIR);
	de->rec_len = ext2_rec_len_disk(es, es->block_size -
					EXT2_DIR_REC_LEN(1));
	err = dir_block_write(dir, lblk, blk);
out:
	kfree(blk);
	return err;
}
