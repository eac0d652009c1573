/*
 * ext2 block and inode allocation with the group bitmaps (read and
 * written through the metadata cache), keeping the group descriptors'
 * and the super block's free counts (and the groups' directory counts)
 * in step; they reach the disk at the next sync (ext2_sync.c). Blocks
 * are looked for from a goal on (near a file's last block, or in its
 * inode's group), inodes in the parent's group, new directories in the
 * group with the most free inodes. Every bit found is checked against
 * the group's layout before it is handed out, and a bit freed twice is
 * damage, not a silent no-op.
 */
#include "ext2.h"
#include <uapi/errno.h>

static uint32_t group_first(const struct ext2_sb *es, uint32_t g)
{
	return es->first_data_block + g * es->blocks_per_group;
}

/* The blocks group @g holds (the last one may be short). */
static uint32_t group_blocks(const struct ext2_sb *es, uint32_t g)
{
	return MIN(es->blocks_per_group, es->blocks_count - group_first(es, g));
}

/* The first clear bit of @map (@nbits) from @start on, wrapping; or -1. */
static int64_t find_zero(const uint8_t *map, uint32_t nbits, uint32_t start)
{
	uint32_t b = start < nbits ? start : 0;

	for (uint32_t seen = 0; seen < nbits;) {
		if (!(b & 7) && b + 8 <= nbits && map[b >> 3] == 0xff) {
			b += 8;
			seen += 8;
		} else {
			if (!(map[b >> 3] & (1u << (b & 7))))
				return b;
			b++;
			seen++;
		}
		if (b >= nbits)
			b = 0;
	}
	return -1;
}

/* Is @block one of group @g's bitmaps or inode table blocks? */
static bool group_meta(const struct ext2_sb *es, uint32_t g, uint32_t block)
{
	const struct ext2_group_desc *gd = &es->gd[g];
	uint32_t itb = (uint32_t)(((uint64_t)es->inodes_per_group *
				   es->inode_size + es->block_size - 1) >>
				  es->block_log);

	return block == gd->bg_block_bitmap || block == gd->bg_inode_bitmap ||
	       (block >= gd->bg_inode_table &&
		block - gd->bg_inode_table < itb);
}

bool ext2_block_is_meta(const struct ext2_sb *es, uint32_t block)
{
	if (!ext2_block_ok(es, block))
		return true;
	if (block <= es->first_data_block + es->gd_blocks)
		return true;	/* the super block and its descriptors */
	return group_meta(es, (block - es->first_data_block) /
			  es->blocks_per_group, block);
}

int ext2_new_block(struct ext2_sb *es, uint32_t goal, uint32_t *out)
{
	uint32_t g0;

	if (!es->free_blocks)
		return -ENOSPC;
	if (goal < es->first_data_block || goal >= es->blocks_count)
		goal = es->first_data_block;
	g0 = (goal - es->first_data_block) / es->blocks_per_group;
	for (uint32_t i = 0; i < es->groups; i++) {
		uint32_t g = (g0 + i) % es->groups, block;
		struct ext2_group_desc *gd = &es->gd[g];
		uint8_t *map;
		int64_t bit;
		int err;

		if (!gd->bg_free_blocks_count)
			continue;
		err = ext2_meta_rw(es, gd->bg_block_bitmap, &map);
		if (err)
			return err;
		bit = find_zero(map, group_blocks(es, g),
				i ? 0 : goal - group_first(es, g));
		if (bit < 0) {
			ext2_error(es, "group %u: free blocks count %u, but "
				   "the bitmap is full", g,
				   gd->bg_free_blocks_count);
			return -EUCLEAN;
		}
		block = group_first(es, g) + (uint32_t)bit;
		if (ext2_block_is_meta(es, block)) {
			ext2_error(es, "allocating block in system zone - "
				   "block = %u", block);
			return -EUCLEAN;
		}
		map[bit >> 3] |= (uint8_t)(1u << (bit & 7));
		err = ext2_meta_put(es, gd->bg_block_bitmap);
		if (err) {
			map[bit >> 3] &= (uint8_t)~(1u << (bit & 7));
			return err;
		}
		gd->bg_free_blocks_count--;
		es->free_blocks--;
		ext2_counts_dirty(es);
		*out = block;
		return 0;
	}
	return -ENOSPC;
}

int ext2_free_block(struct ext2_sb *es, uint32_t block)
{
	uint32_t g, bit;
	struct ext2_group_desc *gd;
	uint8_t *map;
	int err;

	if (!ext2_block_ok(es, block)) {
		ext2_error(es, "freeing blocks not in datazone - block = %u",
			   block);
		return -EUCLEAN;
	}
	if (ext2_block_is_meta(es, block)) {
		ext2_error(es, "freeing blocks in system zones - block = %u",
			   block);
		return -EUCLEAN;
	}
	g = (block - es->first_data_block) / es->blocks_per_group;
	bit = block - group_first(es, g);
	gd = &es->gd[g];
	err = ext2_meta_rw(es, gd->bg_block_bitmap, &map);
	if (err)
		return err;
	if (!(map[bit >> 3] & (1u << (bit & 7)))) {
		ext2_error(es, "bit already cleared for block %u", block);
		return -EUCLEAN;
	}
	map[bit >> 3] &= (uint8_t)~(1u << (bit & 7));
	err = ext2_meta_put(es, gd->bg_block_bitmap);
	if (err)
		return err;
	ext2_meta_forget(es, block);
	gd->bg_free_blocks_count++;
	es->free_blocks++;
	ext2_counts_dirty(es);
	return 0;
}

/* The group a new inode is looked for in first. */
static uint32_t inode_goal(const struct ext2_sb *es, uint32_t dir_ino,
			   bool is_dir)
{
	uint32_t best = (dir_ino - 1) / es->inodes_per_group;

	if (!is_dir)
		return best < es->groups ? best : 0;
	best = 0;
	for (uint32_t g = 1; g < es->groups; g++)
		if (es->gd[g].bg_free_inodes_count >
		    es->gd[best].bg_free_inodes_count &&
		    es->gd[g].bg_free_blocks_count)
			best = g;
	return best;
}

int ext2_new_inode(struct ext2_sb *es, uint32_t dir_ino, bool is_dir,
		   uint32_t *ino)
{
	uint32_t g0 = inode_goal(es, dir_ino, is_dir);

	if (!es->free_inodes)
		return -ENOSPC;
	for (uint32_t i = 0; i < es->groups; i++) {
		uint32_t g = (g0 + i) % es->groups, n;
		struct ext2_group_desc *gd = &es->gd[g];
		uint8_t *map;
		int64_t bit;
		int err;

		if (!gd->bg_free_inodes_count)
			continue;
		err = ext2_meta_rw(es, gd->bg_inode_bitmap, &map);
		if (err)
			return err;
		bit = find_zero(map, es->inodes_per_group, 0);
		n = g * es->inodes_per_group + (uint32_t)bit + 1;
		if (bit < 0 || n < es->first_ino || n > es->inodes_count) {
			ext2_error(es, "group %u: free inodes count %u, but "
				   "no usable inode in the bitmap", g,
				   gd->bg_free_inodes_count);
			return -EUCLEAN;
		}
		map[bit >> 3] |= (uint8_t)(1u << (bit & 7));
		err = ext2_meta_put(es, gd->bg_inode_bitmap);
		if (err) {
			map[bit >> 3] &= (uint8_t)~(1u << (bit & 7));
			return err;
		}
		gd->bg_free_inodes_count--;
		if (is_dir)
			gd->bg_used_dirs_count++;
		es->free_inodes--;
		ext2_counts_dirty(es);
		*ino = n;
		return 0;
	}
	return -ENOSPC;
}

int ext2_free_inode(struct ext2_sb *es, uint32_t ino, bool is_dir)
{
	uint32_t g, bit;
	struct ext2_group_desc *gd;
	uint8_t *map;
	int err;

	if (ino < es->first_ino || ino > es->inodes_count) {
		ext2_error(es, "reserved or nonexistent inode %u", ino);
		return -EUCLEAN;
	}
	g = (ino - 1) / es->inodes_per_group;
	bit = (ino - 1) % es->inodes_per_group;
	gd = &es->gd[g];
	err = ext2_meta_rw(es, gd->bg_inode_bitmap, &map);
	if (err)
		return err;
	if (!(map[bit >> 3] & (1u << (bit & 7)))) {
		ext2_error(es, "bit already cleared for inode %u", ino);
		return -EUCLEAN;
	}
	map[bit >> 3] &= (uint8_t)~(1u << (bit & 7));
	err = ext2_meta_put(es, gd->bg_inode_bitmap);
	if (err)
		return err;
	gd->bg_free_inodes_count++;
	if (is_dir && gd->bg_used_dirs_count)
		gd->bg_used_dirs_count--;
	es->free_inodes++;
	ext2_counts_dirty(es);
	return 0;
}
