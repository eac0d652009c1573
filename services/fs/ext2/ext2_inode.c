/*
 * ext2 inodes: reading one from its group's inode table (each field that
 * later code relies on checked first), the live-inode list that keeps one
 * struct inode per number, and the block map: direct, single, double
 * and triple indirect blocks, every number checked to lie inside the
 * filesystem before it is read.
 */
#include "ext2.h"
#include <aramid/string.h>
#include <platform/heap.h>
#include <uapi/errno.h>

#define EXT2_FAST_LINK_MAX	(EXT2_N_BLOCKS * 4)	/* i_block's bytes */
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

/* The extra time word @field of @d, and whether its extra size covers it. */
#define EXTRA(d, isize, field)						\
	(isize) >= __builtin_offsetof(struct ext2_inode_disk, field) +	\
	sizeof((d)->field) - EXT2_GOOD_OLD_INODE_SIZE, (d)->field

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
	case S_IFCHR: case S_IFBLK: case S_IFIFO: case S_IFSOCK:
		inode->iops = &ext2_special_iops;
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
	ei->fast_link = S_ISLNK(mode) && fast_link(es, d);
	return 0;
}

/* Read inode @ino's bytes from its table into @d: 0 or -errno. */
static int inode_read(struct ext2_sb *es, uint32_t ino,
		      struct ext2_inode_disk *d)
{
	uint32_t group = (ino - 1) / es->inodes_per_group;
	uint64_t off = (uint64_t)((ino - 1) % es->inodes_per_group) *
		       es->inode_size;
	const uint8_t *blk;
	int err = ext2_meta(es, es->gd[group].bg_inode_table +
			    (uint32_t)(off >> es->block_log), &blk);

	if (err)
		return err;
	memset(d, 0, sizeof(*d));
	memcpy(d, blk + (off & (es->block_size - 1)),
	       MIN(sizeof(*d), (size_t)es->inode_size));
	return 0;
}

int ext2_iget(struct super_block *sb, uint32_t ino, struct inode **out)
{
	struct ext2_sb *es = EXT2_SB(sb);
	struct ext2_inode_disk d;
	struct inode *inode;
	int err;

	list_for_each_entry(inode, &es->inodes, sb_link) {
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
	list_add(&inode->sb_link, &es->inodes);
	err = inode_fill(es, ino, &d, inode);
	if (err) {
		iput(inode);
		return err;
	}
	*out = inode;
	return 0;
}

int ext2_bmap(struct inode *inode, uint64_t lblk, uint32_t *pblk)
{
	struct ext2_sb *es = EXT2_SB(inode->sb);
	const uint32_t *ib = EXT2_I(inode)->block;
	uint64_t p = es->block_size / 4, span = 1;
	unsigned depth = 0;
	uint32_t b;

	if (lblk < EXT2_NDIR_BLOCKS) {
		b = ib[lblk];
	} else {
		lblk -= EXT2_NDIR_BLOCKS;
		for (depth = 1, span = p; depth <= 3 && lblk >= span;
		     depth++, span *= p)
			lblk -= span;
		if (depth > 3)
			return -EFBIG;
		b = ib[EXT2_NDIR_BLOCKS + depth - 1];
	}
	while (b && depth--) {
		const uint8_t *blk;
		int err;

		if (!ext2_block_ok(es, b))
			break;
		err = ext2_meta(es, b, &blk);
		if (err)
			return err;
		span /= p;
		b = ((const uint32_t *)blk)[(lblk / span) % p];
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
