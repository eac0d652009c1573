/*
 * The "ext2" filesystem type: mounting a block device (the super block
 * and group descriptors read and checked before anything trusts them;
 * read-write only without features this driver cannot keep), statfs,
 * tear-down (the super block marked clean again), the metadata block
 * cache, and registration at boot.
 */
#include "ext2.h"
#include <aramid/string.h>
#include <platform/heap.h>
#include <uapi/errno.h>

/*
 * The ext2 service. It keeps no state across calls that a fault could
 * leave half-made but each mount's, so a fault fails the call only.
 */
SERVICE_DEFINE(ext2_service, "ext2", true);

static const struct super_ops ext2_sops;
/* Every mounted ext2 super block's lock (ext2_sb.lock). */
static LOCK_CLASS_DEFINE(ext2_sb_class, "ext2-sb");

#define EXT2_FEATURE_COMPAT_RESIZE_INODE	0x0010

/* The incompatible features by bit, for the refusal's log line. */
static const char *const incompat_names[] = {
	"compression", "filetype", "needs_recovery", "journal_dev",
	"meta_bg", NULL, "extent", "64bit", "mmp", "flex_bg", "ea_inode",
	NULL, "dirdata", "metadata_csum_seed", "large_dir", "inline_data",
	"encrypt", "casefold",
};

int ext2_meta_init(struct ext2_sb *es)
{
	for (unsigned i = 0; i < EXT2_META_SLOTS; i++) {
		es->meta[i].data = kmalloc(es->block_size);
		if (!es->meta[i].data)
			return -ENOMEM;
	}
	return 0;
}

void ext2_meta_free(struct ext2_sb *es)
{
	for (unsigned i = 0; i < EXT2_META_SLOTS; i++)
		kfree(es->meta[i].data);
}

/* The cache slot holding @block, or -1. */
static int meta_slot(const struct ext2_sb *es, uint32_t block)
{
	for (unsigned slot = 0; slot < EXT2_META_SLOTS; slot++)
		if (es->meta[slot].block == block)
			return (int)slot;
	return -1;
}

int ext2_meta_rw(struct ext2_sb *es, uint32_t block, uint8_t **out)
{
	int slot = meta_slot(es, block), err;

	if (slot >= 0) {
		*out = es->meta[slot].data;
		return 0;
	}
	slot = (int)(es->meta_next++ % EXT2_META_SLOTS);
	es->meta[slot].block = 0;
	err = ext2_read_block(es, block, es->meta[slot].data);
	if (err)
		return err;
	es->meta[slot].block = block;
	*out = es->meta[slot].data;
	return 0;
}

int ext2_meta(struct ext2_sb *es, uint32_t block, const uint8_t **out)
{
	uint8_t *data;
	int err = ext2_meta_rw(es, block, &data);

	if (!err)
		*out = data;
	return err;
}

int ext2_meta_new(struct ext2_sb *es, uint32_t block, uint8_t **out)
{
	int slot = meta_slot(es, block);

	if (!ext2_block_ok(es, block)) {
		ext2_error(es, "new metadata block %u out of range", block);
		return -EUCLEAN;
	}
	if (slot < 0)
		slot = (int)(es->meta_next++ % EXT2_META_SLOTS);
	memset(es->meta[slot].data, 0, es->block_size);
	es->meta[slot].block = block;
	*out = es->meta[slot].data;
	return 0;
}

int ext2_meta_put(struct ext2_sb *es, uint32_t block)
{
	int slot = meta_slot(es, block);

	if (slot < 0 || !block)
		return -EINVAL;
	return ext2_write_block(es, block, es->meta[slot].data);
}

void ext2_meta_forget(struct ext2_sb *es, uint32_t block)
{
	int slot = meta_slot(es, block);

	if (slot >= 0 && block)
		es->meta[slot].block = 0;
}

/* Does group @g hold a copy of the super block (sparse_super's rule)? */
static bool group_has_super(const struct ext2_sb *es, uint32_t g)
{
	if (g <= 1 || !(es->ro_compat & EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER))
		return true;
	for (uint32_t base = 3; base <= 7; base += 2) {
		uint64_t n = base;

		while (n < g)
			n *= base;
		if (n == g)
			return true;
	}
	return false;
}

/* Log the refused incompatible features of @bits by name. */
static void log_incompat(const struct ext2_sb *es, uint32_t bits)
{
	char names[160];
	size_t len = 0;

	names[0] = '\0';
	for (unsigned b = 0; b < 32; b++) {
		const char *n = b < ARRAY_SIZE(incompat_names) ?
				incompat_names[b] : NULL;

		if (!(bits & (1u << b)))
			continue;
		len += (size_t)snprintf(names + len, sizeof(names) - len,
					" %s", n ? n : "unknown");
		if (len >= sizeof(names))
			break;
	}
	ext2_error(es, "couldn't mount because of unsupported optional "
		   "features (%x):%s", bits, names);
}

/* statfs's f_fsid as Linux's ext4 makes it: the UUID's halves XORed. */
static void fsid_from_uuid(struct ext2_sb *es, const uint8_t uuid[16])
{
	uint64_t a, b;

	memcpy(&a, uuid, sizeof(a));
	memcpy(&b, uuid + 8, sizeof(b));
	es->fsid[0] = (uint32_t)(a ^ b);
	es->fsid[1] = (uint32_t)((a ^ b) >> 32);
}

/* Check the super block @d and take its geometry into @es: 0 or -EINVAL. */
static int super_check(struct ext2_sb *es, const struct ext2_super_disk *d)
{
	uint64_t dev_blocks, groups, p;

	if (d->s_magic != EXT2_SUPER_MAGIC) {
		ext2_error(es, "can't find an ext2 filesystem on dev %s.",
			   es->dev_name);
		return -EINVAL;
	}
	if (d->s_rev_level > EXT2_DYNAMIC_REV) {
		ext2_error(es, "revision level too high (%u)", d->s_rev_level);
		return -EINVAL;
	}
	es->incompat = d->s_rev_level ? d->s_feature_incompat : 0;
	es->ro_compat = d->s_rev_level ? d->s_feature_ro_compat : 0;
	if (es->incompat & ~EXT2_INCOMPAT_SUPP) {
		log_incompat(es, es->incompat & ~EXT2_INCOMPAT_SUPP);
		return -EINVAL;
	}
	es->writable = !(es->ro_compat & ~EXT2_RO_COMPAT_SUPP);
	if (!es->sb->rdonly && !es->writable) {
		ext2_error(es, "couldn't mount RDWR because of unsupported "
			   "optional features (%x)",
			   es->ro_compat & ~EXT2_RO_COMPAT_SUPP);
		return -EINVAL;
	}
	if (d->s_log_block_size >
	    EXT2_MAX_BLOCK_LOG - EXT2_MIN_BLOCK_LOG) {
		ext2_error(es, "invalid log block size: %u",
			   d->s_log_block_size);
		return -EINVAL;
	}
	es->block_log = EXT2_MIN_BLOCK_LOG + d->s_log_block_size;
	es->block_size = 1u << es->block_log;
	if (d->s_rev_level == EXT2_GOOD_OLD_REV) {
		es->inode_size = EXT2_GOOD_OLD_INODE_SIZE;
		es->first_ino = EXT2_GOOD_OLD_FIRST_INO;
	} else {
		es->inode_size = d->s_inode_size;
		es->first_ino = d->s_first_ino;
	}
	if (es->inode_size < EXT2_GOOD_OLD_INODE_SIZE ||
	    es->inode_size > es->block_size ||
	    (es->inode_size & (es->inode_size - 1))) {
		ext2_error(es, "unsupported inode size: %u", es->inode_size);
		return -EINVAL;
	}
	es->blocks_count = d->s_blocks_count;
	es->first_data_block = d->s_first_data_block;
	es->r_blocks_count = d->s_r_blocks_count;
	es->inodes_count = d->s_inodes_count;
	es->inodes_per_group = d->s_inodes_per_group;
	es->blocks_per_group = d->s_blocks_per_group;
	if (es->blocks_per_group == 0 ||
	    es->blocks_per_group > 8 * es->block_size) {
		ext2_error(es, "invalid blocks per group: %u",
			   es->blocks_per_group);
		return -EINVAL;
	}
	if (es->inodes_per_group < es->block_size / es->inode_size ||
	    es->inodes_per_group > 8 * es->block_size) {
		ext2_error(es, "invalid inodes per group: %u",
			   es->inodes_per_group);
		return -EINVAL;
	}
	if (es->first_data_block >= es->blocks_count ||
	    es->first_data_block != (es->block_size == 1024 ? 1u : 0u)) {
		ext2_error(es, "bad geometry: first data block %u, %u blocks",
			   es->first_data_block, es->blocks_count);
		return -EINVAL;
	}
	dev_blocks = es->dev_sectors >> (es->block_log - SECTOR_SHIFT);
	if (es->blocks_count > dev_blocks) {
		ext2_error(es, "bad geometry: block count %u exceeds size of "
			   "device (%llu blocks)", es->blocks_count,
			   (unsigned long long)dev_blocks);
		return -EINVAL;
	}
	groups = (es->blocks_count - es->first_data_block +
		  es->blocks_per_group - 1) / es->blocks_per_group;
	if (groups * es->inodes_per_group != es->inodes_count ||
	    es->first_ino < EXT2_GOOD_OLD_FIRST_INO ||
	    es->first_ino > es->inodes_count) {
		ext2_error(es, "inodes count not valid: %u vs %llu",
			   es->inodes_count,
			   (unsigned long long)(groups * es->inodes_per_group));
		return -EINVAL;
	}
	es->groups = (uint32_t)groups;
	p = es->block_size / 4;
	es->max_bytes = (EXT2_NDIR_BLOCKS + p + p * p + p * p * p)
			<< es->block_log;
	if (!(es->ro_compat & EXT2_FEATURE_RO_COMPAT_LARGE_FILE) &&
	    es->max_bytes > 0x7fffffffull)
		es->max_bytes = 0x7fffffffull;
	fsid_from_uuid(es, d->s_uuid);
	return 0;
}

/* Is [@start, @start + @n) inside group @g? */
static bool in_group(const struct ext2_sb *es, uint32_t g, uint64_t start,
		     uint64_t n)
{
	uint64_t first = es->first_data_block +
			 (uint64_t)g * es->blocks_per_group;
	uint64_t last = g == es->groups - 1 ? es->blocks_count - 1ull :
			first + es->blocks_per_group - 1;

	return start >= first && n <= last - first + 1 &&
	       start - first <= last - first + 1 - n;
}

/*
 * Read and check the group descriptors (Linux's ext2_check_descriptors),
 * summing the free counts and the metadata overhead: 0 or -errno.
 */
static int groups_load(struct ext2_sb *es, const struct ext2_super_disk *d)
{
	uint32_t per_block = es->block_size / sizeof(struct ext2_group_desc);
	uint32_t gd_blocks = (es->groups + per_block - 1) / per_block;
	uint32_t itb = (uint32_t)(((uint64_t)es->inodes_per_group *
				   es->inode_size + es->block_size - 1) >>
				  es->block_log);
	uint32_t reserved = (d->s_feature_compat &
			     EXT2_FEATURE_COMPAT_RESIZE_INODE) ?
			    d->s_reserved_gdt_blocks : 0;
	uint8_t *buf;
	int err;

	if (gd_blocks >= es->blocks_per_group) {
		ext2_error(es, "group descriptors corrupted");
		return -EUCLEAN;
	}
	buf = kmalloc((size_t)gd_blocks << es->block_log);
	if (!buf)
		return -ENOMEM;
	for (uint32_t i = 0; i < gd_blocks; i++) {
		err = ext2_read_block(es, es->first_data_block + 1 + i,
				      buf + ((size_t)i << es->block_log));
		if (err)
			goto out;
	}
	/* the blocks as read, so that a sync writes them back whole */
	es->gd = (struct ext2_group_desc *)buf;
	es->gd_blocks = gd_blocks;
	buf = NULL;
	es->overhead = es->first_data_block;
	for (uint32_t g = 0; g < es->groups; g++) {
		const struct ext2_group_desc *gd = &es->gd[g];
		const char *what = NULL;

		if (!in_group(es, g, gd->bg_block_bitmap, 1))
			what = "Block bitmap";
		else if (!in_group(es, g, gd->bg_inode_bitmap, 1))
			what = "Inode bitmap";
		else if (!in_group(es, g, gd->bg_inode_table, itb))
			what = "Inode table";
		if (what) {
			ext2_error(es, "%s for group %u not in group",
				   what, g);
			err = -EUCLEAN;
			goto out;
		}
		es->free_blocks += gd->bg_free_blocks_count;
		es->free_inodes += gd->bg_free_inodes_count;
		es->overhead += 2 + itb;
		if (group_has_super(es, g))
			es->overhead += 1 + gd_blocks + reserved;
	}
	err = 0;
out:
	kfree(buf);
	return err;
}

static void ext2_kill_super(struct super_block *sb)
{
	struct ext2_sb *es = EXT2_SB(sb);

	if (!es)
		return;
	if (es->in_use) {
		svc_lock(&es->lock);
		if (ext2_sync(es, true))
			ext2_error(es, "the super block could not be written "
				   "at umount");
		svc_unlock(&es->lock);
	}
	ext2_meta_free(es);
	kfree(es->gd);
	kfree(es->raw);
	kfree(es);
	sb->priv = NULL;
}

/* Read @sb's super block from the device and make its root: 0 or -errno. */
static int fill(struct super_block *sb, struct ext2_sb *es)
{
	struct blk_part_info info;
	struct ext2_super_disk *d;
	struct inode *root;
	int err = sb_bdev_info(sb, &info);

	if (err)
		return err;
	strlcpy(es->dev_name, info.name, sizeof(es->dev_name));
	es->dev_sectors = info.nr_sects;
	if (es->dev_sectors < (EXT2_SUPER_OFFSET + 1024) / SECTOR_SIZE) {
		ext2_error(es, "can't find an ext2 filesystem on dev %s.",
			   es->dev_name);
		return -EINVAL;
	}
	d = kmalloc(1024);
	if (!d)
		return -ENOMEM;
	es->raw = d;	/* kill_super frees it */
	err = sb_bdev_read(sb, EXT2_SUPER_OFFSET / SECTOR_SIZE,
			   1024 / SECTOR_SIZE, d);
	if (!err)
		err = super_check(es, d);
	if (!err)
		err = ext2_meta_init(es);
	if (!err)
		err = groups_load(es, d);
	if (err)
		return err;
	es->mount_state = d->s_state;
	if (!sb->rdonly && !(d->s_state & EXT2_VALID_FS))
		pr_warn("EXT2-fs (%s): warning: mounting unchecked fs, "
			"running e2fsck is recommended", es->dev_name);
	err = ext2_iget(sb, EXT2_ROOT_INO, &root);
	if (err)
		return err;
	if (!S_ISDIR(root->mode) || !root->size) {
		ext2_error(es, "corrupt root inode, run e2fsck");
		iput(root);
		return -EUCLEAN;
	}
	sb->root = root;
	return 0;
}

static int ext2_fill_super(struct super_block *sb, const char *source,
			   const char *options)
{
	struct ext2_sb *es = kzalloc(sizeof(*es));
	int err;

	if (!es)
		return -ENOMEM;
	es->sb = sb;
	svc_lock_init(&es->lock, &ext2_sb_class);
	for (unsigned i = 0; i < EXT2_INODE_HASH; i++)
		list_init(&es->inodes[i]);
	sb->priv = es;
	sb->magic = EXT2_SUPER_MAGIC;
	sb->sops = &ext2_sops;
	svc_lock(&es->lock);
	err = fill(sb, es);
	svc_unlock(&es->lock);
	if (err)
		ext2_kill_super(sb);
	return err;
}

/* Figures as Linux's ext4_statfs gives them for an ext2 mount. */
static int ext2_statfs(struct super_block *sb, struct statfs64 *st)
{
	const struct ext2_sb *es = EXT2_SB(sb);

	st->f_type = EXT2_SUPER_MAGIC;
	st->f_bsize = es->block_size;
	st->f_frsize = es->block_size;
	st->f_blocks = es->blocks_count - es->overhead;
	st->f_bfree = es->free_blocks;
	st->f_bavail = es->free_blocks > es->r_blocks_count ?
		       es->free_blocks - es->r_blocks_count : 0;
	st->f_files = es->inodes_count;
	st->f_ffree = es->free_inodes;
	st->f_fsid[0] = (int32_t)(es->fsid[0]);
	st->f_fsid[1] = (int32_t)(es->fsid[1]);
	st->f_namelen = NAME_MAX;
	return 0;
}

/*
 * An inode ring 1 does not keep unused is evicted (its last reference
 * went with its last link, or the mount is going, or ring 1 pruned it):
 * it leaves the mount's list at once (before anything sleeps, so no
 * lookup finds it again), and one whose last link went is deleted from
 * the disk.
 */
static void ext2_evict(struct inode *inode)
{
	struct ext2_sb *es = EXT2_SB(inode->sb);
	struct ext2_inode *ei = EXT2_I(inode);

	list_del(&inode->sb_link);
	if (ei && ei->loaded && inode->nlink == 0) {
		svc_lock(&es->lock);
		if (ext2_delete_inode(inode))
			ext2_error(es, "inode #%llu: not freed",
				   (unsigned long long)inode->ino);
		svc_unlock(&es->lock);
	}
	kfree(inode->priv);
	inode->priv = NULL;
}

static const struct super_ops ext2_sops = {
	.svc = &ext2_service,
	.evict = ext2_evict,
	.sync_fs = ext2_sync_fs,
	.remount_fs = ext2_remount_fs,
	.statfs = ext2_statfs,
};

static const struct fs_type ext2_fs_type = {
	.svc = &ext2_service,
	.name = "ext2",
	.flags = FS_REQUIRES_DEV | FS_FILE_DATA | FS_DIRECT_IO |
		 FS_PAGE_CACHE,
	.fill_super = ext2_fill_super,
	.kill_super = ext2_kill_super,
};

static int ext2_init(void)
{
	return register_filesystem(&ext2_fs_type);
}
SERVICE_INIT(ext2_init);
