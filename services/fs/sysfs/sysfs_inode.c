/*
 * The sysfs core: inodes for (entry, index) built at each lookup and
 * freed with their last reference, directory lookup and listing over the
 * entry tables, and the parent of a directory, found by walking the tree
 * from its root (trees are small). Inode numbers are (the entry's place
 * in a depth-first walk, index), so they are stable across lookups; a
 * node's inode is found again while it lives (struct sysfs_sb).
 */
#include "sysfs.h"
#include <aramid/string.h>
#include <platform/heap.h>
#include <uapi/errno.h>

#define SYSFS_NAME_MAX	64

static const struct sysfs_tree *sb_tree(const struct super_block *sb)
{
	return ((const struct sysfs_sb *)sb->priv)->tree;
}

static const struct sysfs_tree *node_tree(const struct inode *inode)
{
	return sb_tree(inode->sb);
}

static struct sysfs_node *node_of(const struct inode *inode)
{
	return inode->priv;
}

/* Child @k of @dir: its static children, then its family; NULL after. */
static const struct sysfs_entry *child_at(const struct sysfs_entry *dir,
					  unsigned k)
{
	unsigned n = 0;

	while (dir->children && dir->children[n])
		n++;
	if (k < n)
		return dir->children[k];
	return k == n ? dir->family : NULL;
}

/*
 * Find @target in the tree below @dir, which has place *@pos in a
 * depth-first walk: true, *@pos the target's place and *@parent the
 * directory listing it (untouched for @dir itself).
 */
static bool walk(const struct sysfs_entry *dir,
		 const struct sysfs_entry *target, unsigned *pos,
		 const struct sysfs_entry **parent)
{
	const struct sysfs_entry *c;

	if (dir == target)
		return true;
	for (unsigned k = 0; (c = child_at(dir, k)); k++) {
		(*pos)++;
		if (c == target) {
			*parent = dir;
			return true;
		}
		if (walk(c, target, pos, parent))
			return true;
	}
	return false;
}

/* The inode number of @e with @index in @tree. */
static ino_t node_ino(const struct sysfs_tree *tree,
		      const struct sysfs_entry *e, int index)
{
	const struct sysfs_entry *parent = NULL;
	unsigned pos = 0;

	walk(tree->root, e, &pos, &parent);
	return ((ino_t)(pos + 1) << 16) | (uint16_t)index;
}

/* Subdirectories of a directory (static and instances), for st_nlink. */
static unsigned subdirs(const struct sysfs_entry *e, int index)
{
	const struct sysfs_entry *const *c;
	unsigned n = 0;
	int i;

	for (c = e->children; c && *c; c++)
		n += S_ISDIR((*c)->mode);
	if (e->family && S_ISDIR(e->family->mode))
		for (i = e->family->next(index, 0); i >= 0;
		     i = e->family->next(index, i + 1))
			n++;
	return n;
}

/* @e's inode for @index (a new reference), or NULL when memory is short. */
static struct inode *node_new(struct super_block *sb,
			      const struct sysfs_entry *e, int index)
{
	struct sysfs_sb *ss = sb->priv;
	ino_t ino = node_ino(ss->tree, e, index);
	struct sysfs_node *node;
	struct inode *inode;

	list_for_each_entry(inode, &ss->inodes, sb_link) {
		if (inode->ino == ino) {
			iget(inode);
			return inode;
		}
	}
	node = kzalloc(sizeof(*node));
	if (!node)
		return NULL;
	inode = inode_new(sb);
	if (!inode) {
		kfree(node);
		return NULL;
	}
	node->entry = e;
	node->index = index;
	inode->priv = node;
	inode->ino = ino;
	inode->mode = e->mode;
	if (S_ISDIR(e->mode)) {
		inode->nlink = 2 + subdirs(e, index);
		inode->iops = &sysfs_dir_iops;
		inode->fops = &sysfs_dir_fops;
	} else if (S_ISLNK(e->mode)) {
		inode->iops = &sysfs_link_iops;
	} else {
		inode->size = ss->tree->file_size;
		inode->iops = &sysfs_file_iops;
		inode->fops = &sysfs_file_fops;
	}
	list_add(&inode->sb_link, &ss->inodes);
	return inode;
}

/* See sysfs.h. */
struct inode *sysfs_root_inode(struct super_block *sb)
{
	return node_new(sb, sb_tree(sb)->root, 0);
}

/* Is @name instance @i of family @f? */
static bool instance_named(const struct sysfs_entry *f, int i,
			   const char *name)
{
	char buf[SYSFS_NAME_MAX];

	return !f->name_of(i, buf, sizeof(buf)) && !strcmp(buf, name);
}

static int sysfs_lookup(struct inode *dir, const char *name,
			struct inode **out)
{
	const struct sysfs_node *node = node_of(dir);
	const struct sysfs_entry *e = node->entry, *f = e->family;
	const struct sysfs_entry *const *c;
	int i;

	for (c = e->children; c && *c; c++) {
		if (!strcmp((*c)->name, name)) {
			*out = node_new(dir->sb, *c, node->index);
			return *out ? 0 : -ENOMEM;
		}
	}
	if (!f)
		return -ENOENT;
	for (i = f->next(node->index, 0); i >= 0; i = f->next(node->index, i + 1)) {
		if (instance_named(f, i, name)) {
			*out = node_new(dir->sb, f, i);
			return *out ? 0 : -ENOMEM;
		}
	}
	return -ENOENT;
}

/* The directory listing @e's node with @index (the root: itself). */
static int sysfs_parent(struct inode *dir, struct inode **out)
{
	const struct sysfs_node *node = node_of(dir);
	const struct sysfs_entry *parent = NULL;
	unsigned pos = 0;
	int index = node->index;

	walk(node_tree(dir)->root, node->entry, &pos, &parent);
	if (!parent) {
		iget(dir);
		*out = dir;
		return 0;
	}
	if (parent->family == node->entry && !node->entry->parent_keeps_index)
		index = 0;
	*out = node_new(dir->sb, parent, index);
	return *out ? 0 : -ENOMEM;
}

static int parent_ino(struct inode *dir, ino_t *ino)
{
	struct inode *p;
	int err = sysfs_parent(dir, &p);

	if (err)
		return err;
	*ino = p->ino;
	iput(p);
	return 0;
}

/*
 * Positions: 0 ".", 1 "..", then 2 + i for static child i, then
 * 2 + (static children) + instance for each instance of the family.
 */
static int sysfs_readdir(struct file *file, struct dir_context *ctx)
{
	struct inode *dir = file->inode;
	const struct sysfs_node *node = node_of(dir);
	const struct sysfs_entry *e = node->entry, *f = e->family;
	const struct sysfs_tree *tree = node_tree(dir);
	char name[SYSFS_NAME_MAX];
	off_t base = 2;
	ino_t up;
	int err, i;

	if (ctx->pos == 0) {
		if (!ctx->emit(ctx, ".", 1, dir->ino, DT_DIR))
			return 0;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		err = parent_ino(dir, &up);
		if (err)
			return err;
		if (!ctx->emit(ctx, "..", 2, up, DT_DIR))
			return 0;
		ctx->pos = 2;
	}
	for (i = 0; e->children && e->children[i]; i++, base++) {
		const struct sysfs_entry *c = e->children[i];

		if (ctx->pos > base)
			continue;
		if (!ctx->emit(ctx, c->name, strlen(c->name),
			       node_ino(tree, c, node->index), IFTODT(c->mode)))
			return 0;
		ctx->pos = base + 1;
	}
	if (!f)
		return 0;
	if (ctx->pos < base)
		ctx->pos = base;
	for (i = f->next(node->index, (int)(ctx->pos - base)); i >= 0;
	     i = f->next(node->index, i + 1)) {
		err = f->name_of(i, name, sizeof(name));
		if (err)
			return err;
		ctx->pos = base + i;
		if (!ctx->emit(ctx, name, strlen(name), node_ino(tree, f, i),
			       IFTODT(f->mode)))
			return 0;
		ctx->pos = base + i + 1;
	}
	return 0;
}

/* Modes and owners are fixed; timestamps are taken and not kept. */
static int sysfs_setattr(struct inode *inode, const struct iattr *attr)
{
	if (attr->valid & (ATTR_MODE | ATTR_UID | ATTR_GID))
		return -EPERM;
	inode_copy_attr(inode, attr);	/* the timestamps */
	return 0;
}

/* readlink cuts the target at @len, as readlink(2) does. */
static ssize_t sysfs_readlink(struct inode *inode, char *buf, size_t len)
{
	const struct sysfs_node *node = node_of(inode);
	char target[PATH_MAX / 16];
	size_t n;
	int err = node->entry->link(node->index, target, sizeof(target));

	if (err)
		return err;
	n = MIN(strlen(target), len);
	memcpy(buf, target, n);
	return (ssize_t)n;
}

const struct inode_ops sysfs_dir_iops = {
	.svc = &sysfs_service,
	.lookup = sysfs_lookup,
	.parent = sysfs_parent,
	.setattr = sysfs_setattr,
};

const struct inode_ops sysfs_file_iops = {
	.svc = &sysfs_service,
	.setattr = sysfs_setattr,
};

const struct inode_ops sysfs_link_iops = {
	.svc = &sysfs_service,
	.readlink = sysfs_readlink,
	.setattr = sysfs_setattr,
};

const struct file_ops sysfs_dir_fops = {
	.svc = &sysfs_service,
	.readdir = sysfs_readdir,
};
