/*
 * The ext2 directory operations that make and remove names: mknod
 * (regular files, devices, fifos, sockets), mkdir, symlink (a fast one
 * inside i_block below 60 bytes, a slow one in a block), link, unlink,
 * rmdir and rename (across directories, over an existing name, and
 * RENAME_EXCHANGE), with the link counts and "..". Each takes the
 * mount's lock for the whole change and drops inode references only
 * after releasing it. An op that fails after allocating a new inode
 * frees it again.
 */
#include "ext2.h"
#include <aramid/string.h>
#include <platform/heap.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>

/* A new inode of @mode (type included) for a name in @dir, not written. */
static int new_node(struct inode *dir, mode_t mode, struct inode **out)
{
	struct ext2_sb *es = EXT2_SB(dir->sb);
	struct ext2_inode *ei;
	struct inode *inode;
	uint32_t ino;
	int err = ext2_new_inode(es, (uint32_t)dir->ino, S_ISDIR(mode), &ino);

	if (err)
		return err;
	inode = inode_new(dir->sb);
	ei = kzalloc(sizeof(*ei));
	if (!inode || !ei) {
		kfree(ei);
		iput(inode);	/* no ext2 data yet: evict takes no lock */
		ext2_free_inode(es, ino, S_ISDIR(mode));
		return -ENOMEM;
	}
	inode->priv = ei;
	inode->ino = ino;
	inode_init_owner(inode, dir, mode);
	inode->nlink = S_ISDIR(mode) ? 2 : 1;
	inode->size = 0;
	inode->blocks = 0;
	ei->loaded = true;
	ei->is_new = true;
	/* Linux's ext4 makes its new inodes' extra part this size */
	if (es->inode_size > EXT2_GOOD_OLD_INODE_SIZE)
		ei->extra_isize = (uint16_t)MIN(32u, es->inode_size -
						EXT2_GOOD_OLD_INODE_SIZE);
	ext2_set_ops(inode);
	list_add(&inode->sb_link, ext2_inode_bucket(es, ino));
	inode->keep_unused = true;	/* discard_node leaves it no link */
	*out = inode;
	return 0;
}

/* Undo new_node after a failure: blocks and number freed (logged). */
static void discard_node(struct inode *inode)
{
	inode->nlink = 0;
	if (ext2_delete_inode(inode))
		ext2_error(EXT2_SB(inode->sb), "inode #%llu: not freed",
			   (unsigned long long)inode->ino);
	EXT2_I(inode)->loaded = false;
}

/*
 * Make a node of @mode named @name in @dir; @setup fills what its type
 * needs (a directory's block, a link's target) before it is written.
 */
static int create(struct inode *dir, const char *name, mode_t mode,
		  int (*setup)(struct inode *inode, struct inode *dir,
			       const void *arg),
		  const void *arg, struct inode **out)
{
	struct ext2_sb *es = EXT2_SB(dir->sb);
	struct inode *inode = NULL;
	int err;

	if (strlen(name) > NAME_MAX)
		return -ENAMETOOLONG;
	if (S_ISDIR(mode) && dir->nlink >= EXT2_LINK_MAX)
		return -EMLINK;
	svc_lock(&es->lock);
	err = ext2_begin_write(es);
	if (!err)
		err = new_node(dir, mode, &inode);
	if (err)
		goto out;
	err = setup ? setup(inode, dir, arg) : 0;
	if (!err)
		err = ext2_write_inode(inode);
	if (!err)
		err = ext2_add_entry(dir, name, (uint32_t)inode->ino, mode);
	if (!err && S_ISDIR(mode)) {
		dir->nlink++;
		err = ext2_write_inode(dir);
	}
	if (err)
		discard_node(inode);
out:
	svc_unlock(&es->lock);
	if (err) {
		iput(inode);
		return err;
	}
	*out = inode;
	return 0;
}

/* A device's number in i_block, as Linux's ext2 keeps it. */
static int setup_dev(struct inode *inode, struct inode *dir, const void *arg)
{
	struct ext2_inode *ei = EXT2_I(inode);
	dev_t rdev = *(const dev_t *)arg;
	uint32_t ma = MAJOR(rdev), mi = MINOR(rdev);

	(void)dir;
	inode->rdev = rdev;
	if (ma < 256 && mi < 256)
		ei->block[0] = ma << 8 | mi;
	else
		ei->block[1] = (mi & 0xff) | ma << 8 | (mi & ~0xffu) << 12;
	return 0;
}

int ext2_mknod(struct inode *dir, const char *name, mode_t mode, dev_t rdev,
	       struct inode **out)
{
	bool dev = S_ISCHR(mode) || S_ISBLK(mode);

	if (!S_ISREG(mode) && !dev && !S_ISFIFO(mode) && !S_ISSOCK(mode))
		return -EINVAL;
	return create(dir, name, mode, dev ? setup_dev : NULL, &rdev, out);
}

static int setup_dir(struct inode *inode, struct inode *dir, const void *arg)
{
	(void)arg;
	return ext2_dir_init(inode, (uint32_t)dir->ino);
}

int ext2_mkdir(struct inode *dir, const char *name, mode_t mode,
	       struct inode **out)
{
	return create(dir, name, S_IFDIR | (mode & 07777), setup_dir, NULL,
		      out);
}

/* The target: in i_block below EXT2_FAST_LINK_MAX bytes, else a block. */
static int setup_link(struct inode *inode, struct inode *dir, const void *arg)
{
	struct ext2_sb *es = EXT2_SB(inode->sb);
	struct ext2_inode *ei = EXT2_I(inode);
	const char *target = arg;
	size_t len = strlen(target);
	uint8_t *blk;
	uint32_t pblk;
	bool fresh;
	int err;

	(void)dir;
	inode->size = (off_t)len;
	if (len < EXT2_FAST_LINK_MAX) {
		memcpy(ei->block, target, len);
		ei->fast_link = true;
		return 0;
	}
	blk = kzalloc(es->block_size);
	if (!blk)
		return -ENOMEM;
	err = ext2_bmap_alloc(inode, 0, &pblk, &fresh);
	if (!err) {
		memcpy(blk, target, len);
		err = ext2_write_block(es, pblk, blk);
	}
	kfree(blk);
	return err;
}

int ext2_symlink(struct inode *dir, const char *name, const char *target,
		 struct inode **out)
{
	size_t len = strlen(target);

	if (len >= EXT2_SB(dir->sb)->block_size)
		return -ENAMETOOLONG;
	return create(dir, name, S_IFLNK | 0777, setup_link, target, out);
}

int ext2_link(struct inode *dir, const char *name, struct inode *target)
{
	struct ext2_sb *es = EXT2_SB(dir->sb);
	int err;

	if (strlen(name) > NAME_MAX)
		return -ENAMETOOLONG;
	if (target->nlink >= EXT2_LINK_MAX)
		return -EMLINK;
	svc_lock(&es->lock);
	err = ext2_begin_write(es);
	if (!err)
		err = ext2_add_entry(dir, name, (uint32_t)target->ino,
				     target->mode);
	if (!err) {
		target->nlink++;
		target->ctime = current_time();
		err = ext2_write_inode(target);
	}
	svc_unlock(&es->lock);
	return err;
}

/*
 * The inode @name of @dir names, with a reference: 0 or -errno. The
 * caller holds the lock (and drops the reference after releasing it).
 */
static int child_get(struct inode *dir, const char *name, struct inode **out)
{
	uint32_t ino;
	int err = ext2_dir_find(dir, name, strlen(name), &ino);

	return err ? err : ext2_iget(dir->sb, ino, out);
}

/*
 * Directory @dir lost a subdirectory's "..". A damaged count never
 * drops below the two links of an empty directory, which would delete
 * it at its last iput.
 */
static void dir_unref(struct inode *dir)
{
	if (dir->nlink > 2)
		dir->nlink--;
}

/* @inode lost the link from @dir (a directory: both of its own). */
static int drop_link(struct inode *dir, struct inode *inode)
{
	int err = 0;

	inode->ctime = current_time();
	if (S_ISDIR(inode->mode)) {
		inode->nlink = 0;
		dir_unref(dir);
		err = ext2_write_inode(dir);
	} else if (inode->nlink) {
		inode->nlink--;
	}
	return err ? err : ext2_write_inode(inode);
}

/* unlink and rmdir: remove @name, of a directory if @want_dir. */
static int remove_name(struct inode *dir, const char *name, bool want_dir)
{
	struct ext2_sb *es = EXT2_SB(dir->sb);
	struct inode *victim = NULL;
	uint32_t ino;
	int err;

	svc_lock(&es->lock);
	err = ext2_begin_write(es);
	if (!err)
		err = child_get(dir, name, &victim);
	if (!err && want_dir && !S_ISDIR(victim->mode))
		err = -ENOTDIR;
	else if (!err && !want_dir && S_ISDIR(victim->mode))
		err = -EISDIR;
	if (!err && want_dir) {
		err = ext2_dir_empty(victim);
		err = err < 0 ? err : err ? 0 : -ENOTEMPTY;
	}
	if (!err)
		err = ext2_remove_entry(dir, name, &ino);
	if (!err)
		err = drop_link(dir, victim);
	svc_unlock(&es->lock);
	iput(victim);
	return err;
}

int ext2_unlink(struct inode *dir, const char *name)
{
	return remove_name(dir, name, false);
}

int ext2_rmdir(struct inode *dir, const char *name)
{
	return remove_name(dir, name, true);
}

/* Directory @child moved from @from to @to: its ".." and the counts. */
static int reparent(struct inode *child, struct inode *from, struct inode *to)
{
	int err = ext2_set_entry(child, "..", (uint32_t)to->ino, S_IFDIR);

	if (err)
		return err;
	dir_unref(from);
	to->nlink++;
	err = ext2_write_inode(from);
	return err ? err : ext2_write_inode(to);
}

/* RENAME_EXCHANGE: the two entries trade inodes. */
static int exchange(struct inode *olddir, const char *oldname,
		    struct inode *oi, struct inode *newdir,
		    const char *newname, struct inode *ni)
{
	int err = ext2_set_entry(olddir, oldname, (uint32_t)ni->ino,
				 ni->mode);

	if (!err)
		err = ext2_set_entry(newdir, newname, (uint32_t)oi->ino,
				     oi->mode);
	if (!err && olddir != newdir && S_ISDIR(oi->mode))
		err = reparent(oi, olddir, newdir);
	if (!err && olddir != newdir && S_ISDIR(ni->mode))
		err = reparent(ni, newdir, olddir);
	oi->ctime = ni->ctime = current_time();
	if (!err)
		err = ext2_write_inode(oi);
	return err ? err : ext2_write_inode(ni);
}

/* What rename(2) refuses for moving @oi over @ni (NULL: no target). */
static int rename_check(struct inode *oi, struct inode *ni,
			struct inode *olddir, struct inode *newdir)
{
	int err;

	if (!ni) {
		if (S_ISDIR(oi->mode) && olddir != newdir &&
		    newdir->nlink >= EXT2_LINK_MAX)
			return -EMLINK;
		return 0;
	}
	if (S_ISDIR(oi->mode) && !S_ISDIR(ni->mode))
		return -ENOTDIR;
	if (!S_ISDIR(oi->mode) && S_ISDIR(ni->mode))
		return -EISDIR;
	if (!S_ISDIR(ni->mode))
		return 0;
	err = ext2_dir_empty(ni);
	return err < 0 ? err : err ? 0 : -ENOTEMPTY;
}

int ext2_rename(struct inode *olddir, const char *oldname,
		struct inode *newdir, const char *newname, unsigned flags)
{
	struct ext2_sb *es = EXT2_SB(olddir->sb);
	struct inode *oi = NULL, *ni = NULL;
	uint32_t ino;
	int err;

	if (strlen(newname) > NAME_MAX)
		return -ENAMETOOLONG;
	svc_lock(&es->lock);
	err = ext2_begin_write(es);
	if (!err)
		err = child_get(olddir, oldname, &oi);
	if (!err) {
		err = child_get(newdir, newname, &ni);
		if (err == -ENOENT && !(flags & RENAME_EXCHANGE))
			err = 0;
	}
	if (err || oi == ni)	/* two links of one inode: nothing to do */
		goto out;
	if (flags & RENAME_EXCHANGE) {
		err = exchange(olddir, oldname, oi, newdir, newname, ni);
		goto out;
	}
	err = rename_check(oi, ni, olddir, newdir);
	if (err)
		goto out;
	if (ni) {
		err = ext2_set_entry(newdir, newname, (uint32_t)oi->ino,
				     oi->mode);
		if (!err)
			err = drop_link(newdir, ni);
	} else {
		err = ext2_add_entry(newdir, newname, (uint32_t)oi->ino,
				     oi->mode);
	}
	if (!err)
		err = ext2_remove_entry(olddir, oldname, &ino);
	if (!err && S_ISDIR(oi->mode) && olddir != newdir)
		err = reparent(oi, olddir, newdir);
	if (!err) {
		oi->ctime = current_time();
		err = ext2_write_inode(oi);
	}
out:
	svc_unlock(&es->lock);
	iput(ni);
	iput(oi);
	return err;
}
