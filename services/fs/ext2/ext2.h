/*
 * ext2 (read-only) internals shared by the files of services/fs/ext2/:
 * the on-disk layout as Debian's mke2fs writes it, the per-mount state
 * and the per-inode data. Everything read from the disk is untrusted:
 * ext2_super.c checks the super block and group descriptors at mount,
 * ext2_inode.c each inode and block number before use, ext2_dir.c each
 * directory entry. Damage is -EUCLEAN (Linux's EFSCORRUPTED) with one
 * log line naming it; a failed read is -EIO.
 *
 * Locking: each mount's lock (ext2_sb.lock) is held across every op that
 * reads the disk, since a read sleeps; it guards the inode list and the
 * metadata block cache.
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
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE 0x0002

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

#define EXT2_META_SLOTS		4	/* metadata blocks kept (ext2_meta) */

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
	struct ext2_group_desc *gd;	/* [groups] */
	struct list_head inodes;	/* live inodes, by inode->sb_link */
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
	bool fast_link;		/* a symlink whose target is in block[] */
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
/* The inode numbered @ino of @sb, with a reference: 0 or -errno. */
int ext2_iget(struct super_block *sb, uint32_t ino, struct inode **out);
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

/* ext2_super.c */
/* Set up the metadata cache of @es (fill_super): 0 or -ENOMEM. */
int ext2_meta_init(struct ext2_sb *es);
void ext2_meta_free(struct ext2_sb *es);
/*
 * Metadata block @block (an indirect block) through the cache: 0 and
 * its bytes in *@out, valid until the next call; or -errno.
 */
int ext2_meta(struct ext2_sb *es, uint32_t block, const uint8_t **out);
