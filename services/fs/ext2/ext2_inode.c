/*
 * ext2 inodes: reading one from its group's inode table (each field that
 * later code relies on checked first) and writing it back, the
 * live-inode list that keeps one struct inode per number (an inode no
 * one holds stays on it while ring 1 keeps it unused, and iget takes it
 * back from there without reading the disk), and the block
 * map: direct, single, double and triple indirect blocks, every number
 * checked to lie inside the filesystem before it is read.
 */
#include "ext2.h"
#include <aramid/string.h>
#include <platform/heap.h>
#include <uapi/errno.h>

#define RUN_MAX			(64 * 1024)	/* most one read moves */

bool ext2_block_ok(const struct ext2_sb *es, uint32_t block)
{
	return block > es->first_data_block && block < es->blocks_count;
}

int ext2_read_block(struct ext2_sb *es, uint32_t block, void *buf)
{
	if (block >= es->blocks_count) {
		ext2_error(es, "block %u beyond the end of the filesystem",
			   block);
		return -EUCLEAN;
	}
	return sb_bdev_read(es->sb, (uint64_t)block <<
			    (es->block_log - SECTOR_SHIFT),
			    es->block_size >> SECTOR_SHIFT, buf);
}

int ext2_write_block(struct ext2_sb *es, uint32_t block, const void *buf)
{
	if (block <= es->first_data_block || block >= es->blocks_count) {
		ext2_error(es, "writing block %u outside the filesystem",
			   block);
		return -EUCLEAN;
	}
	return sb_bdev_write(es->sb, (uint64_t)block <<
			     (es->block_log - SECTOR_SHIFT),
			     es->block_size >> SECTOR_SHIFT, buf);
}

/* A time of @raw seconds and, if @has_extra, its extra word @extra. */
static struct timespec64 inode_time(uint32_t raw, bool has_extra,
				    uint32_t extra)
{
	struct timespec64 t = { .sec = (int32_t)raw, .nsec = 0 };

	if (has_extra) {
		t.sec += (int64_t)(extra & 3) << 32;
		t.nsec = extra >> 2;
		if (t.nsec > 999999999)
			t.nsec = 0;
	}
	return t;
}

/* Does an extra size of @isize cover the extra field @field? */
#define HAS_EXTRA(isize, field)						\
	((isize) >= __builtin_offsetof(struct ext2_inode_disk, field) +	\
	 sizeof(((struct ext2_inode_disk *)0)->field) -			\
	 EXT2_GOOD_OLD_INODE_SIZE)

/* The extra time word @field of @d, and whether its extra size covers it. */
#define EXTRA(d, isize, field)	HAS_EXTRA(isize, field), (d)->field

static dev_t inode_rdev(const struct ext2_inode_disk *d)
{
	uint32_t old = d->i_block[0], nw = d->i_block[1];

	if (old)
		return MKDEV((old >> 8) & 0xff, old & 0xff);
	return MKDEV((nw & 0xfff00) >> 8, (nw & 0xff));
}

/* Fast symlinks keep their target in i_block: no data blocks. */
static bool fast_link(const struct ext2_sb *es,
		      const struct ext2_inode_disk *d)
{
	uint32_t ea = d->i_file_acl ? es->block_size >> SECTOR_SHIFT : 0;

	return d->i_blocks == ea && d->i_size < EXT2_FAST_LINK_MAX;
}

/*
 * Are the block numbers in i_block of @d (inode @ino) inside the
 * filesystem, as Linux's block_validity checks them at iget? (A fast
 * symlink's and a device's i_block holds no block numbers.) Logs if not.
 */
static bool iblock_ok(const struct ext2_sb *es, uint32_t ino,
		      const struct ext2_inode_disk *d)
{
	mode_t mode = d->i_mode;

	if (!S_ISREG(mode) && !S_ISDIR(mode) && !S_ISLNK(mode))
		return true;
	if (S_ISLNK(mode) && fast_link(es, d))
		return true;
	for (unsigned i = 0; i < EXT2_N_BLOCKS; i++)
		if (d->i_block[i] && !ext2_block_ok(es, d->i_block[i])) {
			ext2_error(es, "inode #%u: invalid block reference %u",
				   ino, d->i_block[i]);
			return false;
		}
	return true;
}

/* Check @d (inode @ino) and fill @inode from it: 0 or -EUCLEAN. */
static int inode_fill(struct ext2_sb *es, uint32_t ino,
		      const struct ext2_inode_disk *d, struct inode *inode)
{
	struct ext2_inode *ei = EXT2_I(inode);
	uint32_t isize = 0;
	mode_t mode = d->i_mode;

	if (d->i_links_count == 0) {
		ext2_error(es, "deleted inode referenced: %u", ino);
		return -EUCLEAN;
	}
	if (es->inode_size > EXT2_GOOD_OLD_INODE_SIZE) {
		isize = d->i_extra_isize;
		if (isize & 3 || EXT2_GOOD_OLD_INODE_SIZE + isize >
		    es->inode_size) {
			ext2_error(es, "inode #%u: bad extra_isize %u", ino,
				   isize);
			return -EUCLEAN;
		}
	}
	inode->size = d->i_size;
	if (S_ISREG(mode))
		inode->size |= (off_t)((uint64_t)d->i_size_high << 32);
	switch (mode & S_IFMT) {
	case S_IFREG: case S_IFDIR: case S_IFLNK:
		break;
	case S_IFCHR: case S_IFBLK: case S_IFIFO: case S_IFSOCK:
		inode->rdev = inode_rdev(d);
		break;
	default:
		ext2_error(es, "inode #%u: bogus i_mode (%o)", ino, mode);
		return -EUCLEAN;
	}
	if (inode->size < 0 || (uint64_t)inode->size > es->max_bytes ||
	    (S_ISLNK(mode) && (inode->size == 0 ||
			       inode->size >= (off_t)es->block_size))) {
		ext2_error(es, "inode #%u: bad i_size %llu", ino,
			   (unsigned long long)inode->size);
		return -EUCLEAN;
	}
	if (!iblock_ok(es, ino, d))
		return -EUCLEAN;
	inode->ino = ino;
	inode->mode = mode;
	ext2_set_ops(inode);
	inode->uid = d->i_uid | (uint32_t)d->l_i_uid_high << 16;
	inode->gid = d->i_gid | (uint32_t)d->l_i_gid_high << 16;
	inode->nlink = d->i_links_count;
	inode->blocks = d->i_blocks;
	inode->atime = inode_time(d->i_atime, EXTRA(d, isize, i_atime_extra));
	inode->mtime = inode_time(d->i_mtime, EXTRA(d, isize, i_mtime_extra));
	inode->ctime = inode_time(d->i_ctime, EXTRA(d, isize, i_ctime_extra));
	memcpy(ei->block, d->i_block, sizeof(ei->block));
	ei->flags = d->i_flags;
	ei->file_acl = d->i_file_acl;
	ei->dtime = d->i_dtime;
	ei->extra_isize = (uint16_t)isize;
	ei->fast_link = S_ISLNK(mode) && fast_link(es, d);
	ei->loaded = true;
	return 0;
}

void ext2_set_ops(struct inode *inode)
{
	switch (inode->mode & S_IFMT) {
	case S_IFREG:
		inode->iops = &ext2_file_iops;
		inode->fops = &ext2_file_fops;
		break;
	case S_IFDIR:
		inode->iops = &ext2_dir_iops;
		inode->fops = &ext2_dir_fops;
		break;
	case S_IFLNK:
		inode->iops = &ext2_symlink_iops;
		break;
	default:
		inode->iops = &ext2_special_iops;
		break;
	}
}

/* @t as a time word and, with @extra, its extra word (epoch, nsec). */
static uint32_t time_word(struct timespec64 t, uint32_t *extra)
{
	*extra = (uint32_t)(((t.sec - (int32_t)t.sec) >> 32) & 3) |
		 (uint32_t)(t.nsec << 2);
	return (uint32_t)t.sec;
}

/* The slot of inode @ino in its table: the block and byte offset. */
static void inode_slot(const struct ext2_sb *es, uint32_t ino,
		       uint32_t *block, uint32_t *off)
{
	uint32_t group = (ino - 1) / es->inodes_per_group;
	uint64_t at = (uint64_t)((ino - 1) % es->inodes_per_group) *
		      es->inode_size;

	*block = es->gd[group].bg_inode_table + (uint32_t)(at >> es->block_log);
	*off = (uint32_t)(at & (es->block_size - 1));
}

/* The fields of @inode into @d (the slot's other bytes kept). */
static void inode_put(const struct inode *inode, struct ext2_inode_disk *d)
{
	const struct ext2_inode *ei = EXT2_I(inode);
	uint32_t isize = ei->extra_isize, extra;

	d->i_mode = (uint16_t)inode->mode;
	d->i_uid = (uint16_t)inode->uid;
	d->l_i_uid_high = (uint16_t)(inode->uid >> 16);
	d->i_gid = (uint16_t)inode->gid;
	d->l_i_gid_high = (uint16_t)(inode->gid >> 16);
	d->i_size = (uint32_t)inode->size;
	if (S_ISREG(inode->mode))
		d->i_size_high = (uint32_t)((uint64_t)inode->size >> 32);
	d->i_links_count = (uint16_t)inode->nlink;
	d->i_blocks = (uint32_t)inode->blocks;
	d->l_i_blocks_hi = 0;
	d->i_flags = ei->flags;
	d->i_dtime = ei->dtime;
	memcpy(d->i_block, ei->block, sizeof(d->i_block));
	d->i_atime = time_word(inode->atime, &extra);
	if (HAS_EXTRA(isize, i_atime_extra))
		d->i_atime_extra = extra;
	d->i_mtime = time_word(inode->mtime, &extra);
	if (HAS_EXTRA(isize, i_mtime_extra))
		d->i_mtime_extra = extra;
	d->i_ctime = time_word(inode->ctime, &extra);
	if (HAS_EXTRA(isize, i_ctime_extra))
		d->i_ctime_extra = extra;
}

int ext2_write_inode(struct inode *inode)
{
	struct ext2_sb *es = EXT2_SB(inode->sb);
	struct ext2_inode *ei = EXT2_I(inode);
	size_t n = MIN(sizeof(struct ext2_inode_disk), (size_t)es->inode_size);
	struct ext2_inode_disk d;
	uint32_t block, off;
	uint8_t *blk;
	int err;

	inode_slot(es, (uint32_t)inode->ino, &block, &off);
	err = ext2_meta_rw(es, block, &blk);
	if (err)
		return err;
	if (ei->is_new) {
		memset(blk + off, 0, es->inode_size);
		if (es->inode_size > EXT2_GOOD_OLD_INODE_SIZE)
			((struct ext2_inode_disk *)(blk + off))->i_extra_isize =
				ei->extra_isize;
	}
	memset(&d, 0, sizeof(d));
	memcpy(&d, blk + off, n);
	inode_put(inode, &d);
	memcpy(blk + off, &d, n);
	err = ext2_meta_put(es, block);
	if (!err)
		ei->is_new = false;
	return err;
}

/* Read inode @ino's bytes from its table into @d: 0 or -errno. */
static int inode_read(struct ext2_sb *es, uint32_t ino,
		      struct ext2_inode_disk *d)
{
	uint32_t block, off;
	const uint8_t *blk;
	int err;

	inode_slot(es, ino, &block, &off);
	err = ext2_meta(es, block, &blk);
	if (err)
		return err;
	memset(d, 0, sizeof(*d));
	memcpy(d, blk + off, MIN(sizeof(*d), (size_t)es->inode_size));
	return 0;
}

int ext2_iget(struct super_block *sb, uint32_t ino, struct inode **out)
{
	struct ext2_sb *es = EXT2_SB(sb);
	struct ext2_inode_disk d;
	struct inode *inode;
	int err;

	list_for_each_entry(inode, ext2_inode_bucket(es, ino), sb_link) {
		if (inode->ino == ino) {
			iget(inode);
			*out = inode;
			return 0;
		}
	}
	if (ino == 0 || ino > es->inodes_count ||
	    (ino != EXT2_ROOT_INO && ino < es->first_ino)) {
		ext2_error(es, "bad inode number: %u", ino);
		return -EUCLEAN;
	}
	err = inode_read(es, ino, &d);
	if (err)
		return err;
	inode = inode_new(sb);
	if (!inode)
		return -ENOMEM;
	inode->priv = kzalloc(sizeof(struct ext2_inode));
	if (!inode->priv) {
		list_init(&inode->sb_link);
		iput(inode);
		return -ENOMEM;
	}
	list_add(&inode->sb_link, ext2_inode_bucket(es, ino));
	err = inode_fill(es, ino, &d, inode);
	if (err) {
		iput(inode);
		return err;
	}
	inode->keep_unused = true;	/* found on the list again */
	*out = inode;
	return 0;
}

int ext2_block_path(const struct ext2_sb *es, uint64_t lblk,
		    uint32_t offs[4], unsigned *depth)
{
	uint64_t p = es->block_size / 4, span = p;
	unsigned d;

	if (lblk < EXT2_NDIR_BLOCKS) {
		offs[0] = (uint32_t)lblk;
		*depth = 0;
		return 0;
	}
	lblk -= EXT2_NDIR_BLOCKS;
	for (d = 1; d <= 3 && lblk >= span; d++, span *= p)
		lblk -= span;
	if (d > 3)
		return -EFBIG;
	offs[0] = EXT2_NDIR_BLOCKS + d - 1;
	for (unsigned i = d; i >= 1; i--) {
		offs[i] = (uint32_t)(lblk % p);
		lblk /= p;
	}
	*depth = d;
	return 0;
}

int ext2_bmap(struct inode *inode, uint64_t lblk, uint32_t *pblk)
{
	struct ext2_sb *es = EXT2_SB(inode->sb);
	uint32_t offs[4], b;
	unsigned depth, level = 1;
	int err = ext2_block_path(es, lblk, offs, &depth);

	if (err)
		return err;
	b = EXT2_I(inode)->block[offs[0]];
	for (; b && level <= depth; level++) {
		const uint8_t *blk;

		if (!ext2_block_ok(es, b))
			break;
		err = ext2_meta(es, b, &blk);
		if (err)
			return err;
		b = ((const uint32_t *)blk)[offs[level]];
	}
	if (b && !ext2_block_ok(es, b)) {
		ext2_error(es, "inode #%llu: block %u out of range",
			   (unsigned long long)inode->ino, b);
		return -EUCLEAN;
	}
	*pblk = b;
	return 0;
}

/* How many blocks from @lblk (at @pblk) lie in a row on the device. */
static int run_length(struct inode *inode, uint64_t lblk, uint32_t pblk,
		      uint32_t max, uint32_t *n)
{
	uint32_t next;
	int err;

	for (*n = 1; *n < max; (*n)++) {
		err = ext2_bmap(inode, lblk + *n, &next);
		if (err)
			return err;
		if (next != pblk + *n)
			break;
	}
	return 0;
}

int ext2_read_data(struct inode *inode, uint64_t pos, void *buf, size_t len)
{
	struct ext2_sb *es = EXT2_SB(inode->sb);
	uint8_t *dst = buf, *bounce = NULL;
	int err = 0;

	while (len && !err) {
		uint64_t lblk = pos >> es->block_log;
		size_t off = pos & (es->block_size - 1);
		size_t n = MIN(len, es->block_size - off);
		uint32_t pblk, run = 1;

		err = ext2_bmap(inode, lblk, &pblk);
		if (err)
			break;
		if (!pblk) {
			memset(dst, 0, n);
		} else if (!off && n == es->block_size) {
			err = run_length(inode, lblk, pblk,
					 (uint32_t)(MIN(len, RUN_MAX) >>
						    es->block_log), &run);
			if (!err)
				err = sb_bdev_read(es->sb, (uint64_t)pblk <<
					(es->block_log - SECTOR_SHIFT),
					run << (es->block_log - SECTOR_SHIFT),
					dst);
			n = (size_t)run << es->block_log;
		} else {
			if (!bounce)
				bounce = kmalloc(es->block_size);
			err = bounce ? ext2_read_block(es, pblk, bounce) :
				       -ENOMEM;
			if (!err)
				memcpy(dst, bounce + off, n);
		}
		dst += n;
		pos += n;
		len -= n;
	}
	kfree(bounce);
	return err;
}
