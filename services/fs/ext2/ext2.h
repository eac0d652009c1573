/*
 * ext2 internals shared by the files of services/fs/ext2/: the on-disk
 * layout as Debian's mke2fs writes it, the per-mount state and the
 * per-inode data. Everything read from the disk is untrusted:
 * ext2_super.c checks the super block and group descriptors at mount,
 * ext2_inode.c each inode and block number before use, ext2_dir.c each
 * directory entry, ext2_alloc.c each bitmap bit it flips. Damage is
 * -EUCLEAN (Linux's EFSCORRUPTED) with one log line naming it; a failed
 * read or write is -EIO.
 *
 * Writing (ext2_write.c, ext2_namei.c, ext2_dirent.c, ext2_alloc.c):
 * data, inodes, directory blocks, indirect blocks and bitmaps go to the
 * device as each op makes them; the free counts of the group
 * descriptors and the super block are written by the next sync, fsync
 * or umount (ext2_sync.c), which also flushes the disk's cache.
 *
 * Locking: each mount's lock (ext2_sb.lock) is held across every op that
 * reads or writes the disk, since I/O sleeps; it guards the inode list,
 * the metadata block cache, the bitmaps and the counts. An op holding it
 * drops inode references only after releasing it (evict takes it).
 */
#pragma once
#include <svc/blkdev.h>
#include <svc/vfs.h>
#include <platform/printk.h>

#define EXT2_SUPER_MAGIC	0xEF53
#define EXT2_SUPER_OFFSET	1024	/* bytes from the device's start */
#define EXT2_ROOT_INO		2
#define EXT2_GOOD_OLD_REV	0
#define EXT2_DYNAMIC_REV	1
#define EXT2_GOOD_OLD_INODE_SIZE 128
#define EXT2_GOOD_OLD_FIRST_INO	11
#define EXT2_MIN_BLOCK_LOG	10	/* 1 KiB */
#define EXT2_MAX_BLOCK_LOG	16	/* 64 KiB */
#define EXT2_NDIR_BLOCKS	12
#define EXT2_N_BLOCKS		15	/* 12 direct, single, double, triple */

/* The incompatible features this driver reads (the rest are refused). */
#define EXT2_FEATURE_INCOMPAT_FILETYPE	0x0002
#define EXT2_INCOMPAT_SUPP		EXT2_FEATURE_INCOMPAT_FILETYPE
#define EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER 0x0001
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE 0x0002
/* The read-only-compatible features this driver keeps when writing. */
#define EXT2_RO_COMPAT_SUPP	(EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER | \
				 EXT2_FEATURE_RO_COMPAT_LARGE_FILE)

#define EXT2_VALID_FS		0x0001	/* s_state: cleanly unmounted */
#define EXT2_INDEX_FL		0x1000	/* i_flags: a hashed directory */
#define EXT2_LINK_MAX		32000	/* Linux's ext2 */
#define EXT2_FAST_LINK_MAX	(EXT2_N_BLOCKS * 4)	/* i_block's bytes */

struct ext2_super_disk {
	uint32_t s_inodes_count;
	uint32_t s_blocks_count;
	uint32_t s_r_blocks_count;
	uint32_t s_free_blocks_count;
	uint32_t s_free_inodes_count;
	uint32_t s_first_data_block;
	uint32_t s_log_block_size;	/* block size = 1024 << this */
	uint32_t s_log_frag_size;
	uint32_t s_blocks_per_group;
	uint32_t s_frags_per_group;
	uint32_t s_inodes_per_group;
	uint32_t s_mtime, s_wtime;
	uint16_t s_mnt_count;
	int16_t s_max_mnt_count;
	uint16_t s_magic;
	uint16_t s_state, s_errors, s_minor_rev_level;
	uint32_t s_lastcheck, s_checkinterval, s_creator_os;
	uint32_t s_rev_level;
	uint16_t s_def_resuid, s_def_resgid;
	/* EXT2_DYNAMIC_REV */
	uint32_t s_first_ino;
	uint16_t s_inode_size;
	uint16_t s_block_group_nr;
	uint32_t s_feature_compat;
	uint32_t s_feature_incompat;
	uint32_t s_feature_ro_compat;
	uint8_t s_uuid[16];
	char s_volume_name[16];
	char s_last_mounted[64];
	uint32_t s_algorithm_usage_bitmap;
	uint8_t s_prealloc_blocks, s_prealloc_dir_blocks;
	uint16_t s_reserved_gdt_blocks;
} __packed;

struct ext2_group_desc {
	uint32_t bg_block_bitmap;
	uint32_t bg_inode_bitmap;
	uint32_t bg_inode_table;
	uint16_t bg_free_blocks_count;
	uint16_t bg_free_inodes_count;
	uint16_t bg_used_dirs_count;
	uint16_t bg_pad;
	uint32_t bg_reserved[3];
} __packed;

struct ext2_inode_disk {
	uint16_t i_mode;
	uint16_t i_uid;
	uint32_t i_size;
	uint32_t i_atime, i_ctime, i_mtime, i_dtime;
	uint16_t i_gid;
	uint16_t i_links_count;
	uint32_t i_blocks;		/* 512-byte sectors */
	uint32_t i_flags;
	uint32_t i_osd1;
	uint32_t i_block[EXT2_N_BLOCKS];
	uint32_t i_generation;
	uint32_t i_file_acl;
	uint32_t i_size_high;
	uint32_t i_faddr;
	uint16_t l_i_blocks_hi, l_i_file_acl_high;
	uint16_t l_i_uid_high, l_i_gid_high;
	uint16_t l_i_checksum_lo, l_i_reserved;
	/* Inodes larger than 128 bytes (ext4's extra fields). */
	uint16_t i_extra_isize;
	uint16_t i_checksum_hi;
	uint32_t i_ctime_extra, i_mtime_extra, i_atime_extra;
} __packed;

struct ext2_dirent_disk {
	uint32_t inode;
	uint16_t rec_len;
	uint8_t name_len;
	uint8_t file_type;
	char name[];
} __packed;

#define EXT2_DIRENT_HEAD	8
/* The smallest record holding a name of @n bytes. */
#define EXT2_DIR_REC_LEN(n)	(((n) + EXT2_DIRENT_HEAD + 3) & ~3u)

#define EXT2_META_SLOTS		16	/* metadata blocks kept (ext2_meta) */
#define EXT2_INODE_HASH		256	/* buckets of the live inodes */

struct ext2_sb {
	struct super_block *sb;
	struct svc_lock lock;
	char dev_name[DISK_NAME_LEN + 4];	/* "vdb", for log lines */
	uint64_t dev_sectors;
	uint32_t block_size, block_log;
	uint32_t blocks_count, first_data_block, r_blocks_count;
	uint32_t inodes_count, inodes_per_group, first_ino;
	uint32_t blocks_per_group, groups;
	uint32_t inode_size;
	uint32_t incompat, ro_compat;
	uint64_t overhead;		/* blocks of metadata (statfs) */
	uint64_t free_blocks, free_inodes;	/* summed descriptors */
	uint64_t max_bytes;		/* the largest file blocks can map */
	uint32_t fsid[2];
	struct ext2_group_desc *gd;	/* [groups], in its gd_blocks blocks */
	uint32_t gd_blocks;
	struct ext2_super_disk *raw;	/* the super block's 1024 bytes */
	uint16_t mount_state;	/* s_state when mounted */
	bool writable;		/* no feature forbids writing */
	bool in_use;		/* the disk's super block says "not clean" */
	bool counts_dirty;	/* free counts not written yet */
	/* Live inodes (held, or kept unused by ring 1), by inode->sb_link,
	 * hashed by number: ext2_inode_bucket. */
	struct list_head inodes[EXT2_INODE_HASH];
	struct {
		uint32_t block;		/* 0: empty */
		uint8_t *data;
	} meta[EXT2_META_SLOTS];
	unsigned meta_next;
};

/* What ext2 keeps per inode. */
struct ext2_inode {
	uint32_t block[EXT2_N_BLOCKS];
	uint32_t flags;
	uint32_t file_acl;
	uint32_t dtime;
	uint32_t goal;		/* where the next block is looked for */
	uint16_t extra_isize;	/* i_extra_isize */
	bool fast_link;		/* a symlink whose target is in block[] */
	bool loaded;		/* read and checked, or made: a live inode */
	bool is_new;		/* made here, never written: zero the slot */
};

static inline struct ext2_sb *EXT2_SB(const struct super_block *sb)
{
	return sb->priv;
}

static inline struct ext2_inode *EXT2_I(const struct inode *inode)
{
	return inode->priv;
}

/* One log line naming damage found on @es (Linux's ext2_error). */
#define ext2_error(es, fmt, ...)					\
	pr_err("EXT2-fs (%s): error: " fmt, (es)->dev_name, ##__VA_ARGS__)

extern struct service ext2_service;
extern const struct inode_ops ext2_dir_iops, ext2_file_iops,
	ext2_symlink_iops, ext2_special_iops;
extern const struct file_ops ext2_dir_fops, ext2_file_fops;

/* ext2_inode.c (the caller holds es->lock) */
/* Set @inode's ops from its mode (regular, directory, link, special). */
void ext2_set_ops(struct inode *inode);
/*
 * Write @inode's fields into its slot of the inode table (a new inode's
 * slot zeroed first): 0 or -errno.
 */
int ext2_write_inode(struct inode *inode);
/*
 * The path to block @lblk in the block map: the slot in i_block into
 * offs[0], the slot in each indirect block after, and how many indirect
 * levels into *@depth; -EFBIG past triple indirect.
 */
int ext2_block_path(const struct ext2_sb *es, uint64_t lblk,
		    uint32_t offs[4], unsigned *depth);
/*
 * Write @block (inside the filesystem, past the super block) from @buf:
 * 0, -EIO, or -EUCLEAN for a number outside the filesystem.
 */
int ext2_write_block(struct ext2_sb *es, uint32_t block, const void *buf);
/*
 * The inode numbered @ino of @sb, with a reference: the live one (held,
 * or unused and kept by ring 1, which then needs no disk read), else
 * read from its table. 0 or -errno.
 */
int ext2_iget(struct super_block *sb, uint32_t ino, struct inode **out);
/* The live-inode list inode number @ino belongs on. */
static inline struct list_head *ext2_inode_bucket(struct ext2_sb *es,
						  uint64_t ino)
{
	return &es->inodes[ino % EXT2_INODE_HASH];
}
/* Is @block a block of the filesystem that data may live in? */
bool ext2_block_ok(const struct ext2_sb *es, uint32_t block);
/*
 * Block @block of the device into @buf (block_size bytes): 0, -EIO, or
 * -EUCLEAN for a number outside the filesystem.
 */
int ext2_read_block(struct ext2_sb *es, uint32_t block, void *buf);
/*
 * The device block holding block @lblk of @inode into *@pblk (0: a
 * hole): 0, -EUCLEAN (a bad block number, logged), -EIO, -ENOMEM.
 */
int ext2_bmap(struct inode *inode, uint64_t lblk, uint32_t *pblk);
/*
 * @len bytes of @inode's data from @pos (inside the file) into @buf,
 * holes as zeros: 0 or -errno.
 */
int ext2_read_data(struct inode *inode, uint64_t pos, void *buf, size_t len);

/* ext2_dir.c (the caller holds es->lock) */
/*
 * Find @name (@len bytes) in directory @dir: its inode number into
 * *@ino, 0; -ENOENT, or the error of reading the directory.
 */
int ext2_dir_find(struct inode *dir, const char *name, size_t len,
		  uint32_t *ino);
/*
 * Directory block @lblk of @dir into @blk: 0, 1 for a hole (no entries
 * there), or -errno.
 */
int ext2_dir_block(struct inode *dir, uint64_t lblk, uint8_t *blk);
/*
 * The entry at @off of block @lblk of directory @dir (@blk), checked:
 * it and its record length in *@len, or NULL (the damage logged).
 */
struct ext2_dirent_disk *ext2_dirent_at(const struct ext2_sb *es,
					const struct inode *dir,
					uint64_t lblk, uint8_t *blk,
					uint32_t off, uint32_t *len);
/* A record length as the disk holds it (64 KiB blocks encode it). */
uint16_t ext2_rec_len_disk(const struct ext2_sb *es, uint32_t len);

/* ext2_dirent.c: changing directories (the caller holds es->lock) */
/*
 * Add the entry @name -> @ino (of type @mode) to @dir, in the first
 * block with room or a new one: 0, -EEXIST, -ENOSPC, -EUCLEAN, -EIO.
 */
int ext2_add_entry(struct inode *dir, const char *name, uint32_t ino,
		   mode_t mode);
/* Remove @name from @dir: 0 (its inode number in *@ino) or -errno. */
int ext2_remove_entry(struct inode *dir, const char *name, uint32_t *ino);
/* Point the existing entry @name of @dir at @ino of type @mode. */
int ext2_set_entry(struct inode *dir, const char *name, uint32_t ino,
		   mode_t mode);
/* 1 if directory @dir holds only "." and "..", 0 if not, or -errno. */
int ext2_dir_empty(struct inode *dir);
/* The first block of new directory @dir: "." and ".." (@parent). */
int ext2_dir_init(struct inode *dir, uint32_t parent);

/* ext2_alloc.c (the caller holds es->lock and called ext2_begin_write) */
/* A free block near @goal, marked used, into *@out: 0 or -errno. */
int ext2_new_block(struct ext2_sb *es, uint32_t goal, uint32_t *out);
/*
 * Is @block outside the data zone: past the filesystem, the primary
 * super block or descriptors, or a group's bitmaps or inode table?
 */
bool ext2_block_is_meta(const struct ext2_sb *es, uint32_t block);
/* Mark @block free: 0, or -EUCLEAN (not a data block, or free). */
int ext2_free_block(struct ext2_sb *es, uint32_t block);
/*
 * A free inode number for a child of directory @dir_ino (a directory
 * itself if @is_dir), marked used, into *@ino: 0 or -errno.
 */
int ext2_new_inode(struct ext2_sb *es, uint32_t dir_ino, bool is_dir,
		   uint32_t *ino);
/* Mark inode @ino free: 0 or -EUCLEAN. */
int ext2_free_inode(struct ext2_sb *es, uint32_t ino, bool is_dir);

/* ext2_write.c (the caller holds es->lock and called ext2_begin_write) */
/*
 * The device block of block @lblk of @inode into *@pblk, allocating it
 * and the indirect blocks on the way if missing; *@fresh says the data
 * block was just allocated (its bytes on the disk are not the file's).
 * 0 or -errno.
 */
int ext2_bmap_alloc(struct inode *inode, uint64_t lblk, uint32_t *pblk,
		    bool *fresh);
/*
 * Free the blocks of @inode from block @first on (indirect blocks
 * left empty too), as truncate and delete do: 0 or -errno.
 */
int ext2_free_blocks_from(struct inode *inode, uint64_t first);
/* file_ops.write of regular files. */
ssize_t ext2_file_write(struct file *file, struct uio *uio, off_t *pos);
/* inode_ops.setattr of every ext2 inode: mode, owner, times, size. */
int ext2_setattr(struct inode *inode, const struct iattr *attr);
/* Free the blocks and number of @inode, whose last link and use went. */
int ext2_delete_inode(struct inode *inode);

/* ext2_namei.c: the directory inode_ops that create and remove names. */
int ext2_mknod(struct inode *dir, const char *name, mode_t mode, dev_t rdev,
	       struct inode **out);
int ext2_mkdir(struct inode *dir, const char *name, mode_t mode,
	       struct inode **out);
int ext2_symlink(struct inode *dir, const char *name, const char *target,
		 struct inode **out);
int ext2_link(struct inode *dir, const char *name, struct inode *target);
int ext2_unlink(struct inode *dir, const char *name);
int ext2_rmdir(struct inode *dir, const char *name);
int ext2_rename(struct inode *olddir, const char *oldname,
		struct inode *newdir, const char *newname, unsigned flags);

/* ext2_sync.c */
/*
 * Before the first change to @es's disk: 0 once its super block says
 * "not clean" (Linux's ext2_setup_super), -EROFS if a feature forbids
 * writing, -EIO. The caller holds es->lock.
 */
int ext2_begin_write(struct ext2_sb *es);
/* The counts' descriptors and super block are to be written. */
static inline void ext2_counts_dirty(struct ext2_sb *es)
{
	es->counts_dirty = true;
}
/*
 * Write the group descriptors and the super block (with s_state as it
 * was at mount if @umount, else "not clean"), then flush the disk's
 * cache: 0 or -errno. The caller holds es->lock.
 */
int ext2_sync(struct ext2_sb *es, bool umount);
/* super_ops.sync_fs and file_ops.fsync of ext2. */
int ext2_sync_fs(struct super_block *sb);
int ext2_fsync(struct file *file);
/* super_ops.remount_fs of ext2. */
int ext2_remount_fs(struct super_block *sb, bool rdonly);

/* ext2_super.c */
/* Set up the metadata cache of @es (fill_super): 0 or -ENOMEM. */
int ext2_meta_init(struct ext2_sb *es);
void ext2_meta_free(struct ext2_sb *es);
/*
 * Metadata block @block (an indirect block, a bitmap, part of the inode
 * table) through the cache: 0 and its bytes in *@out, valid until the
 * next call; or -errno.
 */
int ext2_meta(struct ext2_sb *es, uint32_t block, const uint8_t **out);
/* ext2_meta, writable: changes reach the disk with ext2_meta_put. */
int ext2_meta_rw(struct ext2_sb *es, uint32_t block, uint8_t **out);
/*
 * A cache slot for new block @block, zeroed, without reading it: 0 and
 * its bytes in *@out (to be written with ext2_meta_put), or -errno.
 */
int ext2_meta_new(struct ext2_sb *es, uint32_t block, uint8_t **out);
/* Write cached block @block to the disk: 0, -EIO, -EINVAL (not cached). */
int ext2_meta_put(struct ext2_sb *es, uint32_t block);
/* Drop @block from the cache (freed, or written around it). */
void ext2_meta_forget(struct ext2_sb *es, uint32_t block);
