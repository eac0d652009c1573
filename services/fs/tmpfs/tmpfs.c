/*
 * tmpfs (also registered as ramfs): a filesystem in RAM. This file owns
 * the super block, inodes and directories; tmpfs_file.c owns file data.
 * Directory entries live in an array whose slots keep their index, so a
 * readdir position stays valid while entries come and go.
 */
#include "tmpfs.h"
#include <aramid/string.h>
#include <platform/frame.h>
#include <platform/heap.h>
#include <svc/random.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>

static const struct super_ops tmpfs_sops;

/*
 * The tmpfs service (also devtmpfs, ramfs and the root). It holds files'
 * data, so a fault marks it failed rather than restarting it.
 */
SERVICE_DEFINE(tmpfs_service, "tmpfs", false);

/*
 * A new inode of @mode in @sb with its node, refcount 1, owned as the VFS
 * decides for a new entry of @dir (NULL for the root); NULL: ENOMEM.
 */
static struct inode *tmpfs_new_inode(struct super_block *sb,
				     const struct inode *dir, mode_t mode,
				     dev_t rdev)
{
	struct inode *inode = inode_new(sb);
	struct tmpfs_node *node;

	if (!inode)
		return NULL;
	node = kzalloc(sizeof(*node));
	if (!node) {
		iput(inode);
		return NULL;
	}
	node->inode = inode;
	random_bytes(&node->generation, sizeof(node->generation));
	list_init(&node->xattrs);
	inode->priv = node;
	list_add(&inode->sb_link, &((struct tmpfs_sb *)sb->priv)->inodes);
	inode_init_owner(inode, dir, mode);
	inode->rdev = rdev;
	switch (mode & S_IFMT) {
	case S_IFDIR:
		inode->iops = &tmpfs_dir_iops;
		inode->fops = &tmpfs_dir_fops;
		inode->nlink = 2;
		inode->size = 2 * BOGO_DIRENT_SIZE;
		break;
	case S_IFREG:
		inode->iops = &tmpfs_file_iops;
		inode->fops = &tmpfs_file_fops;
		break;
	case S_IFLNK:
		inode->iops = &tmpfs_link_iops;
		break;
	default:
		inode->iops = &tmpfs_special_iops;
		break;
	}
	return inode;
}

/* The slot holding @name in @dir, or -1. */
static long dir_find(struct tmpfs_node *dir, const char *name)
{
	size_t i;

	for (i = 0; i < dir->dir.nents; i++) {
		if (dir->dir.ents[i].name && !strcmp(dir->dir.ents[i].name, name))
			return (long)i;
	}
	return -1;
}

/* A free slot of @dir, growing the array if needed: index or -ENOMEM. */
static long dir_reserve_slot(struct tmpfs_node *dir)
{
	struct tmpfs_dirent *ents;
	size_t i, cap;

	for (i = 0; i < dir->dir.nents; i++) {
		if (!dir->dir.ents[i].name)
			return (long)i;
	}
	if (dir->dir.nents < dir->dir.cap)
		return (long)dir->dir.nents;
	cap = dir->dir.cap ? dir->dir.cap * 2 : 8;
	ents = kzalloc(cap * sizeof(*ents));
	if (!ents)
		return -ENOMEM;
	if (dir->dir.nents)
		memcpy(ents, dir->dir.ents, dir->dir.nents * sizeof(*ents));
	kfree(dir->dir.ents);
	dir->dir.ents = ents;
	dir->dir.cap = cap;
	return (long)dir->dir.nents;
}

static void dir_touch(struct inode *dir)
{
	dir->mtime = dir->ctime = current_time();
	dir->size = (tmpfs_node(dir)->dir.count + 2) * BOGO_DIRENT_SIZE;
}

/* Fill slot @slot of @dir with (@name, @inode), taking a reference. */
static void dir_set_slot(struct inode *dir, long slot, char *name,
			 struct inode *inode)
{
	struct tmpfs_node *d = tmpfs_node(dir);

	d->dir.ents[slot].name = name;
	d->dir.ents[slot].inode = inode;
	iget(inode);
	if ((size_t)slot == d->dir.nents)
		d->dir.nents++;
	d->dir.count++;
	dir_touch(dir);
}

/* Empty slot @slot of @dir, dropping its name and inode reference. */
static void dir_clear_slot(struct inode *dir, long slot)
{
	struct tmpfs_node *d = tmpfs_node(dir);
	struct inode *inode = d->dir.ents[slot].inode;

	kfree(d->dir.ents[slot].name);
	d->dir.ents[slot].name = NULL;
	d->dir.ents[slot].inode = NULL;
	d->dir.count--;
	dir_touch(dir);
	iput(inode);
}

/* Add @inode to @dir as @name: 0, -EEXIST or -ENOMEM. */
static int dir_add(struct inode *dir, const char *name, struct inode *inode)
{
	struct tmpfs_node *d = tmpfs_node(dir);
	size_t len = strlen(name);
	char *copy;
	long slot;

	if (dir_find(d, name) >= 0)
		return -EEXIST;
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	slot = dir_reserve_slot(d);
	if (slot < 0)
		return (int)slot;
	copy = kmalloc(len + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, name, len + 1);
	dir_set_slot(dir, slot, copy, inode);
	return 0;
}

static int tmpfs_lookup(struct inode *dir, const char *name,
			struct inode **out)
{
	struct tmpfs_node *d = tmpfs_node(dir);
	long slot = dir_find(d, name);

	if (slot < 0)
		return -ENOENT;
	*out = d->dir.ents[slot].inode;
	iget(*out);
	return 0;
}

static int tmpfs_parent(struct inode *dir, struct inode **out)
{
	struct tmpfs_node *d = tmpfs_node(dir);

	if (d->dir.dead)
		return -ENOENT;
	*out = d->dir.parent ? d->dir.parent : dir;
	iget(*out);
	return 0;
}

/* Create @name in @dir as a new inode of @mode; *@out gets a reference. */
static int tmpfs_create(struct inode *dir, const char *name, mode_t mode,
			dev_t rdev, struct inode **out)
{
	struct inode *inode;
	int err;

	if (tmpfs_node(dir)->dir.dead)
		return -ENOENT;
	inode = tmpfs_new_inode(dir->sb, dir, mode, rdev);
	if (!inode)
		return -ENOMEM;
	err = dir_add(dir, name, inode);
	if (err) {
		inode->nlink = 0;
		iput(inode);
		return err;
	}
	*out = inode;
	return 0;
}

/* inode_ops.mknod: regular files, fifos, devices and sockets. */
int tmpfs_mknod(struct inode *dir, const char *name, mode_t mode, dev_t rdev,
		struct inode **out)
{
	if (S_ISDIR(mode) || S_ISLNK(mode))
		return -EINVAL;
	return tmpfs_create(dir, name, mode, rdev, out);
}

/*
 * inode_ops.tmpfile (Linux's shmem_tmpfile): a regular file of @mode in
 * no directory, whose life ends with its last reference unless linkat
 * names it.
 */
static int tmpfs_tmpfile(struct inode *dir, mode_t mode, struct inode **out)
{
	struct inode *inode;

	if (!S_ISREG(mode))
		return -EINVAL;
	if (tmpfs_node(dir)->dir.dead)
		return -ENOENT;
	inode = tmpfs_new_inode(dir->sb, dir, mode, 0);
	if (!inode)
		return -ENOMEM;
	inode->nlink = 0;
	*out = inode;
	return 0;
}

/* inode_ops.mkdir. */
static int tmpfs_mkdir(struct inode *dir, const char *name, mode_t mode,
		struct inode **out)
{
	int err = tmpfs_create(dir, name, (mode & 07777) | S_IFDIR, 0, out);

	if (err)
		return err;
	tmpfs_node(*out)->dir.parent = dir;
	dir->nlink++;
	return 0;
}

/* inode_ops.symlink. */
int tmpfs_symlink(struct inode *dir, const char *name, const char *target,
		  struct inode **out)
{
	size_t len = strlen(target);
	char *copy = kmalloc(len + 1);
	int err;

	if (!copy)
		return -ENOMEM;
	memcpy(copy, target, len + 1);
	err = tmpfs_create(dir, name, S_IFLNK | 0777, 0, out);
	if (err) {
		kfree(copy);
		return err;
	}
	tmpfs_node(*out)->target = copy;
	(*out)->size = (off_t)len;
	return 0;
}

static int tmpfs_link(struct inode *dir, const char *name,
		      struct inode *target)
{
	int err;

	if (tmpfs_node(dir)->dir.dead)
		return -ENOENT;
	err = dir_add(dir, name, target);
	if (err)
		return err;
	target->nlink++;
	target->ctime = current_time();
	return 0;
}

static int tmpfs_unlink(struct inode *dir, const char *name)
{
	long slot = dir_find(tmpfs_node(dir), name);
	struct inode *inode;

	if (slot < 0)
		return -ENOENT;
	inode = tmpfs_node(dir)->dir.ents[slot].inode;
	if (S_ISDIR(inode->mode))
		return -EISDIR;
	inode->nlink--;
	inode->ctime = current_time();
	dir_clear_slot(dir, slot);
	return 0;
}

/* Mark directory @victim removed from @dir (rmdir, rename over it). */
static void dir_kill(struct inode *dir, struct inode *victim)
{
	struct tmpfs_node *v = tmpfs_node(victim);

	v->dir.dead = true;
	v->dir.parent = NULL;
	victim->nlink = 0;
	victim->ctime = current_time();
	dir->nlink--;
}

static int tmpfs_rmdir(struct inode *dir, const char *name)
{
	long slot = dir_find(tmpfs_node(dir), name);
	struct inode *inode;

	if (slot < 0)
		return -ENOENT;
	inode = tmpfs_node(dir)->dir.ents[slot].inode;
	if (!S_ISDIR(inode->mode))
		return -ENOTDIR;
	if (tmpfs_node(inode)->dir.count)
		return -ENOTEMPTY;
	dir_kill(dir, inode);
	dir_clear_slot(dir, slot);
	return 0;
}

/*
 * RENAME_EXCHANGE: the two slots trade inodes and keep their names; a
 * directory that changes parent takes its ".." link along.
 */
static void tmpfs_exchange(struct inode *olddir, long oslot,
			   struct inode *newdir, long nslot)
{
	struct tmpfs_dirent *oe = &tmpfs_node(olddir)->dir.ents[oslot];
	struct tmpfs_dirent *ne = &tmpfs_node(newdir)->dir.ents[nslot];
	struct inode *oi = oe->inode, *ni = ne->inode;

	oe->inode = ni;
	ne->inode = oi;
	if (olddir != newdir) {
		if (S_ISDIR(oi->mode)) {
			tmpfs_node(oi)->dir.parent = newdir;
			olddir->nlink--;
			newdir->nlink++;
		}
		if (S_ISDIR(ni->mode)) {
			tmpfs_node(ni)->dir.parent = olddir;
			newdir->nlink--;
			olddir->nlink++;
		}
	}
	dir_touch(olddir);
	dir_touch(newdir);
	oi->ctime = ni->ctime = current_time();
}

static int tmpfs_rename(struct inode *olddir, const char *oldname,
			struct inode *newdir, const char *newname,
			unsigned flags)
{
	struct tmpfs_node *od = tmpfs_node(olddir), *nd = tmpfs_node(newdir);
	long oslot = dir_find(od, oldname), nslot;
	struct inode *oi, *ni = NULL;
	char *copy;
	size_t len = strlen(newname);

	if (oslot < 0)
		return -ENOENT;
	if (nd->dir.dead)
		return -ENOENT;
	oi = od->dir.ents[oslot].inode;
	nslot = dir_find(nd, newname);
	if (flags & RENAME_EXCHANGE) {
		if (nslot < 0)
			return -ENOENT;
		tmpfs_exchange(olddir, oslot, newdir, nslot);
		return 0;
	}
	if (nslot >= 0) {
		ni = nd->dir.ents[nslot].inode;
		if (ni == oi)
			return 0;
		if (S_ISDIR(oi->mode) && !S_ISDIR(ni->mode))
			return -ENOTDIR;
		if (!S_ISDIR(oi->mode) && S_ISDIR(ni->mode))
			return -EISDIR;
		if (S_ISDIR(ni->mode) && tmpfs_node(ni)->dir.count)
			return -ENOTEMPTY;
	} else {
		nslot = dir_reserve_slot(nd);
		if (nslot < 0)
			return (int)nslot;
	}
	copy = kmalloc(len + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, newname, len + 1);

	/* Nothing fails from here on. */
	iget(oi);
	if (ni) {
		if (S_ISDIR(ni->mode))
			dir_kill(newdir, ni);
		else
			ni->nlink--;
		ni->ctime = current_time();
		dir_clear_slot(newdir, nslot);
	}
	dir_clear_slot(olddir, oslot);
	dir_set_slot(newdir, nslot, copy, oi);
	iput(oi);
	if (S_ISDIR(oi->mode) && olddir != newdir) {
		olddir->nlink--;
		newdir->nlink++;
		tmpfs_node(oi)->dir.parent = newdir;
	}
	oi->ctime = current_time();
	return 0;
}

static ssize_t tmpfs_readlink(struct inode *inode, char *buf, size_t len)
{
	const char *target = tmpfs_node(inode)->target;
	size_t n = MIN(len, strlen(target));

	memcpy(buf, target, n);
	return (ssize_t)n;
}

/* inode_ops.setattr: mode, owner, size (regular files) and times. */
int tmpfs_setattr(struct inode *inode, const struct iattr *attr)
{
	if (attr->valid & ATTR_SIZE) {
		int err;

		if (!S_ISREG(inode->mode))
			return -EINVAL;
		err = tmpfs_truncate(inode, attr->size);
		if (err)
			return err;
	}
	inode_copy_attr(inode, attr);
	return 0;
}

/* file_ops.readdir: ".", "..", then the slots in index order. */
static int tmpfs_readdir(struct file *file, struct dir_context *ctx)
{
	struct inode *dir = file->inode;
	struct tmpfs_node *d = tmpfs_node(dir);

	if (ctx->pos < 0)
		return -EINVAL;
	if (ctx->pos == 0) {
		if (!ctx->emit(ctx, ".", 1, dir->ino, DT_DIR))
			return 0;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		struct inode *parent = d->dir.parent ? d->dir.parent : dir;

		if (!ctx->emit(ctx, "..", 2, parent->ino, DT_DIR))
			return 0;
		ctx->pos = 2;
	}
	while ((size_t)(ctx->pos - 2) < d->dir.nents) {
		struct tmpfs_dirent *e = &d->dir.ents[ctx->pos - 2];

		if (e->name && !ctx->emit(ctx, e->name, strlen(e->name),
					  e->inode->ino,
					  IFTODT(e->inode->mode)))
			return 0;
		ctx->pos++;
	}
	return 0;
}

static int tmpfs_dir_fsync(struct file *file)
{
	return 0;
}

static void tmpfs_evict(struct inode *inode)
{
	struct tmpfs_node *node = tmpfs_node(inode);
	size_t i;

	if (!node)
		return;
	switch (inode->mode & S_IFMT) {
	case S_IFDIR:
		for (i = 0; i < node->dir.nents; i++) {
			if (node->dir.ents[i].name) {
				kfree(node->dir.ents[i].name);
				iput(node->dir.ents[i].inode);
			}
		}
		kfree(node->dir.ents);
		break;
	case S_IFREG:
		tmpfs_free_pages(inode);
		break;
	case S_IFLNK:
		kfree(node->target);
		break;
	}
	tmpfs_xattrs_free(node);
	list_del(&inode->sb_link);
	kfree(node);
	inode->priv = NULL;
}

static int tmpfs_statfs(struct super_block *sb, struct statfs64 *st)
{
	struct tmpfs_sb *ts = sb->priv;
	struct frame_stats fs;

	st->f_type = (int64_t)sb->magic;
	st->f_bsize = PAGE_SIZE;
	st->f_frsize = PAGE_SIZE;
	st->f_namelen = NAME_MAX;
	if (sb->magic == RAMFS_MAGIC)
		return 0;	/* Linux's ramfs counts nothing (df skips it) */
	frame_stats(&fs);
	if (ts->max_pages) {
		st->f_blocks = ts->max_pages;
		st->f_bfree = ts->max_pages - MIN(ts->used_pages, ts->max_pages);
		st->f_bfree = MIN(st->f_bfree, (uint64_t)fs.free);
	} else {
		st->f_blocks = fs.total;
		st->f_bfree = fs.free;
	}
	st->f_bavail = st->f_bfree;
	st->f_files = fs.total;
	st->f_ffree = fs.free;
	return 0;
}

/* Parse an unsigned number with an optional k/m/g suffix. */
static bool parse_size(const char *s, size_t len, uint64_t *out, bool *pct)
{
	uint64_t v = 0;
	size_t i = 0;

	*pct = false;
	if (!len)
		return false;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		v = v * 10 + (uint64_t)(s[i] - '0');
	if (i == 0)
		return false;
	if (i < len) {
		switch (s[i++] | 0x20) {
		case 'k': v <<= 10; break;
		case 'm': v <<= 20; break;
		case 'g': v <<= 30; break;
		case '%' | 0x20: *pct = true; break;
		default: return false;
		}
	}
	*out = v;
	return i == len;
}

static bool parse_octal(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!len)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '7')
			return false;
		v = v * 8 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return true;
}

/* The '=' in @s[0..len), or NULL. */
static const char *find_eq(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '=')
			return s + i;
	}
	return NULL;
}

/* Apply "mode=,uid=,gid=,size=" options to @sb and its root: 0 or -EINVAL. */
static int parse_options(struct super_block *sb, const char *opts)
{
	struct tmpfs_sb *ts = sb->priv;
	struct inode *root = sb->root;

	ts->mode = sb->magic == RAMFS_MAGIC ? RAMFS_DEFAULT_MODE :
		TMPFS_DEFAULT_MODE;

	while (opts && *opts) {
		const char *end = strchr(opts, ',');
		size_t len = end ? (size_t)(end - opts) : strlen(opts);
		const char *eq = find_eq(opts, len);
		size_t klen = eq ? (size_t)(eq - opts) : len;
		const char *val = eq ? eq + 1 : "";
		size_t vlen = eq ? len - klen - 1 : 0;
		uint64_t v;
		bool pct;

		if (klen == 4 && !strncmp(opts, "mode", 4) &&
		    parse_octal(val, vlen, &v))
			ts->mode = v & 07777;
		else if (klen == 3 && !strncmp(opts, "uid", 3) &&
			 parse_size(val, vlen, &v, &pct) && !pct)
			ts->uid = (uid_t)v;
		else if (klen == 3 && !strncmp(opts, "gid", 3) &&
			 parse_size(val, vlen, &v, &pct) && !pct)
			ts->gid = (gid_t)v;
		else if (klen == 4 && !strncmp(opts, "size", 4) &&
			 parse_size(val, vlen, &v, &pct)) {
			struct frame_stats fs;

			frame_stats(&fs);
			ts->max_pages = pct ? fs.total * v / 100 :
				DIV_ROUND_UP(v, PAGE_SIZE);
		} else if (len)
			return -EINVAL;
		opts += len + (end ? 1 : 0);
	}
	root->mode = S_IFDIR | ts->mode;
	root->uid = ts->uid;
	root->gid = ts->gid;
	return 0;
}

/* fs_type.fill_super: an empty root directory (mode 1777). */
int tmpfs_fill_super(struct super_block *sb, const char *source,
		     const char *options)
{
	struct inode *root;
	int err;

	sb->priv = kzalloc(sizeof(struct tmpfs_sb));
	if (!sb->priv)
		return -ENOMEM;
	list_init(&((struct tmpfs_sb *)sb->priv)->inodes);
	sb->sops = &tmpfs_sops;
	sb->magic = strcmp(sb->type->name, "ramfs") ? TMPFS_MAGIC : RAMFS_MAGIC;
	root = tmpfs_new_inode(sb, NULL, S_IFDIR | TMPFS_DEFAULT_MODE, 0);
	if (!root) {
		kfree(sb->priv);
		return -ENOMEM;
	}
	sb->root = root;
	err = parse_options(sb, options);
	if (err) {
		sb->root = NULL;
		iput(root);
		kfree(sb->priv);
		return err;
	}
	return 0;
}

/* Append to the @len-byte @buf holding *@n bytes; *@n counts on past @len. */
static void __attribute__((format(printf, 4, 5)))
opt_add(char *buf, size_t len, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int w;

	va_start(ap, fmt);
	w = vsnprintf(buf + MIN(*n, len), len - MIN(*n, len), fmt, ap);
	va_end(ap);
	*n += w > 0 ? (size_t)w : 0;
}

/*
 * super_ops.show_options: what Linux's tmpfs (shmem_show_options) and
 * ramfs print for the same mount: the size limit if one was set, then
 * mode, uid and gid where they differ from the defaults; tmpfs ends in
 * "inode64" (its inode numbers are 64-bit).
 */
static int tmpfs_show_options(struct super_block *sb, char *buf, size_t len)
{
	struct tmpfs_sb *ts = sb->priv;
	size_t n = 0;

	if (!len)
		return -ERANGE;
	buf[0] = '\0';
	if (sb->magic == RAMFS_MAGIC) {
		if (ts->mode != RAMFS_DEFAULT_MODE)
			opt_add(buf, len, &n, ",mode=%o", ts->mode);
	} else {
		if (ts->max_pages)
			opt_add(buf, len, &n, ",size=%luk",
				(unsigned long)ts->max_pages * (PAGE_SIZE / 1024));
		if (ts->mode != TMPFS_DEFAULT_MODE)
			opt_add(buf, len, &n, ",mode=%03o", ts->mode);
		if (ts->uid)
			opt_add(buf, len, &n, ",uid=%u", ts->uid);
		if (ts->gid)
			opt_add(buf, len, &n, ",gid=%u", ts->gid);
		opt_add(buf, len, &n, ",inode64");
	}
	return n < len ? (int)n : -ERANGE;
}

/*
 * fs_type.kill_super: the tree went with the root; free the accounting
 * (an inode still referenced leaves the list it is on intact).
 */
void tmpfs_kill_super(struct super_block *sb)
{
	struct tmpfs_sb *ts = sb->priv;

	list_del(&ts->inodes);
	kfree(ts);
}

const struct inode_ops tmpfs_dir_iops = {
	.svc = &tmpfs_service,
	.lookup = tmpfs_lookup,
	.parent = tmpfs_parent,
	.mknod = tmpfs_mknod,
	.tmpfile = tmpfs_tmpfile,
	.mkdir = tmpfs_mkdir,
	.symlink = tmpfs_symlink,
	.link = tmpfs_link,
	.unlink = tmpfs_unlink,
	.rmdir = tmpfs_rmdir,
	.rename = tmpfs_rename,
	.setattr = tmpfs_setattr,
	.getxattr = tmpfs_getxattr,
	.setxattr = tmpfs_setxattr,
	.removexattr = tmpfs_removexattr,
	.listxattr = tmpfs_listxattr,
};

const struct inode_ops tmpfs_link_iops = {
	.svc = &tmpfs_service,
	.readlink = tmpfs_readlink,
	.setattr = tmpfs_setattr,
	.getxattr = tmpfs_getxattr,
	.setxattr = tmpfs_setxattr,
	.removexattr = tmpfs_removexattr,
	.listxattr = tmpfs_listxattr,
};

const struct inode_ops tmpfs_special_iops = {
	.svc = &tmpfs_service,
	.setattr = tmpfs_setattr,
	.getxattr = tmpfs_getxattr,
	.setxattr = tmpfs_setxattr,
	.removexattr = tmpfs_removexattr,
	.listxattr = tmpfs_listxattr,
};

const struct file_ops tmpfs_dir_fops = {
	.svc = &tmpfs_service,
	.readdir = tmpfs_readdir,
	.fsync = tmpfs_dir_fsync,
};

static const struct super_ops tmpfs_sops = {
	.svc = &tmpfs_service,
	.evict = tmpfs_evict,
	.statfs = tmpfs_statfs,
	.show_options = tmpfs_show_options,
	.encode_fh = tmpfs_encode_fh,
	.fh_to_inode = tmpfs_fh_to_inode,
	.get_name = tmpfs_get_name,
};

static const struct fs_type tmpfs_type = {
	.svc = &tmpfs_service,
	.name = "tmpfs",
	.flags = FS_SEALS | FS_FILE_DATA | FS_POSIX_ACL,
	.fill_super = tmpfs_fill_super,
	.kill_super = tmpfs_kill_super,
};

static const struct fs_type ramfs_type = {
	.svc = &tmpfs_service,
	.name = "ramfs",
	.flags = FS_FILE_DATA,
	.fill_super = tmpfs_fill_super,
	.kill_super = tmpfs_kill_super,
};

/* The root of the tree: a tmpfs under the name Linux gives it. */
static const struct fs_type rootfs_type = {
	.svc = &tmpfs_service,
	.name = "rootfs",
	.flags = FS_SEALS | FS_FILE_DATA | FS_POSIX_ACL,
	.fill_super = tmpfs_fill_super,
	.kill_super = tmpfs_kill_super,
};

static int tmpfs_init(void)
{
	int err = register_filesystem(&tmpfs_type);

	if (!err)
		err = register_filesystem(&ramfs_type);
	return err ? err : register_rootfs(&rootfs_type);
}
SERVICE_INIT(tmpfs_init);
