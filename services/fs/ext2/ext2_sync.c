/*
 * ext2's super block state and write-back: the "not clean" mark made
 * before the first change of a mount (as Linux's ext2_setup_super makes
 * it at a read-write mount), the group descriptors and super block with
 * their free counts written by sync, syncfs, fsync and umount, and the
 * disk's cache flushed after. The state at mount is put back at umount
 * and at a remount read-only, so a cleanly unmounted image is clean for
 * e2fsck.
 */
#include "ext2.h"
#include <uapi/errno.h>

/* The super block's 1024 bytes, with the current counts, to the disk. */
static int super_write(struct ext2_sb *es)
{
	struct ext2_super_disk *d = es->raw;

	d->s_free_blocks_count = (uint32_t)es->free_blocks;
	d->s_free_inodes_count = (uint32_t)es->free_inodes;
	d->s_wtime = (uint32_t)current_time().sec;
	return sb_bdev_write(es->sb, EXT2_SUPER_OFFSET / SECTOR_SIZE,
			     1024 / SECTOR_SIZE, d);
}

int ext2_begin_write(struct ext2_sb *es)
{
	struct ext2_super_disk *d = es->raw;
	int err;

	if (!es->writable)
		return -EROFS;
	if (es->in_use)
		return 0;
	d->s_state &= (uint16_t)~EXT2_VALID_FS;
	d->s_mnt_count++;
	d->s_mtime = (uint32_t)current_time().sec;
	err = super_write(es);
	if (!err)
		err = sb_bdev_flush(es->sb);
	if (err) {
		ext2_error(es, "the super block could not be written");
		return err;
	}
	es->in_use = true;
	return 0;
}

int ext2_sync(struct ext2_sb *es, bool umount)
{
	int err = 0;

	if (!es->in_use)
		return 0;
	if (es->counts_dirty) {
		const uint8_t *gd = (const uint8_t *)es->gd;

		for (uint32_t i = 0; i < es->gd_blocks && !err; i++)
			err = ext2_write_block(es, es->first_data_block + 1 + i,
					       gd + ((size_t)i << es->block_log));
		if (err)
			return err;
		es->counts_dirty = false;
	}
	if (umount)
		es->raw->s_state = es->mount_state;
	err = super_write(es);
	if (!err)
		err = sb_bdev_flush(es->sb);
	if (!err && umount)
		es->in_use = false;
	return err;
}

int ext2_sync_fs(struct super_block *sb)
{
	struct ext2_sb *es = EXT2_SB(sb);
	int err;

	svc_lock(&es->lock);
	err = ext2_sync(es, false);
	svc_unlock(&es->lock);
	return err;
}

/* Data and inodes are written as they change: the rest, and a flush. */
int ext2_fsync(struct file *file)
{
	struct ext2_sb *es = EXT2_SB(file->inode->sb);
	int err;

	svc_lock(&es->lock);
	err = es->in_use ? ext2_sync(es, false) : sb_bdev_flush(es->sb);
	svc_unlock(&es->lock);
	return err;
}

/*
 * Read-only: everything written and the super block clean, as at umount
 * (the next change marks it again). Read-write: refused for a feature
 * this driver cannot keep, as Linux's ext2_remount refuses it.
 */
int ext2_remount_fs(struct super_block *sb, bool rdonly)
{
	struct ext2_sb *es = EXT2_SB(sb);
	int err = 0;

	if (!rdonly && !es->writable) {
		ext2_error(es, "couldn't remount RDWR because of unsupported "
			   "optional features (%x)",
			   es->ro_compat & ~EXT2_RO_COMPAT_SUPP);
		return -EROFS;
	}
	if (rdonly) {
		svc_lock(&es->lock);
		err = ext2_sync(es, true);
		svc_unlock(&es->lock);
	}
	return err;
}
