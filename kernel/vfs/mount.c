/*
 * The mount tree and the filesystem type registry: creating and tearing
 * down super blocks, attaching and detaching mounts, and mounting the
 * root tmpfs at boot (vfs_init).
 */
#include "vfs_internal.h"
#include "vfs_mount.h"
#include <svc/introspect.h>
#include <kernel/blkdev.h>
#include <kernel/page_cache.h>
#include <aramid/string.h>
#include <platform/printk.h>
#include <platform/panic.h>
#include <platform/heap.h>
#include <uapi/errno.h>

/* statfs f_flags bits for the atime modes (not in uapi/mount.h). */
#define ST_NOATIME	0x0400
#define ST_RELATIME	0x1000

/* The registered types, in registration order; never unregistered. */
#define FS_TYPES_MAX	16
static const struct fs_type *fs_types[FS_TYPES_MAX];
static unsigned nr_fs_types;
static const struct fs_type *rootfs_type;
static LIST_HEAD(mounts);
struct mount *root_mount;

/* See include/svc/vfs.h. */
int register_filesystem(const struct fs_type *type)
{
	if (fs_type_find(type->name))
		return -EBUSY;
	if (nr_fs_types == FS_TYPES_MAX)
		return -ENOSPC;
	if (type->svc)
		svc_register(type->svc);
	fs_types[nr_fs_types++] = type;
	return 0;
}

/* See include/svc/vfs.h. */
int register_rootfs(const struct fs_type *type)
{
	if (rootfs_type)
		return -EBUSY;
	if (type->svc)
		svc_register(type->svc);
	rootfs_type = type;
	return 0;
}

/* See include/svc/introspect.h. */
const struct fs_type *fs_type_next(const struct fs_type *prev)
{
	unsigned i = 0;

	if (prev)
		while (i < nr_fs_types && fs_types[i++] != prev)
			;
	return i < nr_fs_types ? fs_types[i] : NULL;
}

/* The registered type called @name, or NULL. */
const struct fs_type *fs_type_find(const char *name)
{
	for (unsigned i = 0; i < nr_fs_types; i++)
		if (!strcmp(fs_types[i]->name, name))
			return fs_types[i];
	return NULL;
}

/* See include/kernel/vfs.h. */
void sb_get(struct super_block *sb)
{
	KASSERT(sb->refcount > 0);
	sb->refcount++;
}

/* See include/kernel/vfs.h. */
void sb_put(struct super_block *sb)
{
	KASSERT(sb->refcount > 0);
	if (--sb->refcount > 0)
		return;
	/* No inode is kept from here on; those kept so far go first. */
	sb->active = false;
	iput(sb->root);
	inode_unused_evict_sb(sb);
	vop_kill_super(sb);
	if (sb->type->flags & FS_REQUIRES_DEV)
		blk_mount_put(sb->dev);
	kfree(sb);
}

#define SYNC_BATCH	32	/* super blocks one pass of sync holds */

/* See include/kernel/vfs.h. */
void sync_filesystems(void)
{
	struct super_block *sbs[SYNC_BATCH];
	unsigned n = 0, done = 0, seen;
	struct mount *m;

	/* The pages shared mappings dirtied first, then the super blocks. */
	page_cache_sync(NULL);
	/* References first, calls after: a sync_fs sleeps, and the mount
	 * table may change meanwhile. Batches of SYNC_BATCH, in order. */
	do {
		n = 0;
		seen = 0;
		list_for_each_entry(m, &mounts, link) {
			if (seen++ < done)
				continue;
			if (n == SYNC_BATCH)
				break;
			sb_get(m->sb);
			sbs[n++] = m->sb;
		}
		done += n;
		for (unsigned i = 0; i < n; i++) {
			vop_sync_fs(sbs[i]);
			sb_put(sbs[i]);
		}
	} while (n == SYNC_BATCH);
}

/* Take a path reference on @m. */
void mnt_get(struct mount *m)
{
	m->refcount++;
}

static void mnt_free(struct mount *m)
{
	iput(m->root);
	sb_put(m->sb);
	kfree(m->source);
	kfree(m);
}

/* Drop a path reference; a lazily unmounted mount goes with its last. */
void mnt_put(struct mount *m)
{
	KASSERT(m->refcount > 0);
	if (--m->refcount == 0 && (m->flags & MNT_DETACHED))
		mnt_free(m);
}

/* The topmost mount stacked on @inode of @parent, or NULL. */
struct mount *mnt_lookup_child(struct mount *parent, struct inode *inode)
{
	struct mount *m, *found = NULL;

	list_for_each_entry(m, &mounts, link) {
		if (m->parent == parent && m->mountpoint == inode)
			found = m;
	}
	return found;
}

/* True if some mount is attached below @m. */
bool mnt_has_children(struct mount *m)
{
	struct mount *c;

	list_for_each_entry(c, &mounts, link) {
		if (c->parent == m)
			return true;
	}
	return false;
}

/* True if @inode of @m is a mount root or has a mount on it. */
bool mnt_is_busy_point(struct mount *m, struct inode *inode)
{
	return inode == m->root || mnt_lookup_child(m, inode) != NULL;
}

bool file_nosuid(const struct file *f)
{
	return f->path.mnt && (f->path.mnt->flags & MNT_NOSUID);
}

bool path_noexec(const struct path *p)
{
	return p->mnt && (p->mnt->flags & MNT_NOEXEC);
}

/* 0, or -EROFS if @m is a read-only mount or of a read-only sb. */
int mnt_want_write(struct mount *m)
{
	return m && ((m->flags & MNT_READONLY) || m->sb->rdonly) ? -EROFS : 0;
}

/*
 * A new super block of @type filled from @source and @options, with one
 * reference; ERR_PTR on failure. @bdev: the block device of an
 * FS_REQUIRES_DEV type, which the super block holds (blk_mount_get).
 * @rdonly: the mount is read-only, which fill_super sees in sb->rdonly
 * (a filesystem may refuse to be read-write, as Linux's SB_RDONLY).
 * An FS_SINGLE type's existing super block for the caller is shared
 * instead (a new reference; @source and @options are not looked at, as
 * Linux's get_tree_keyed reconfigures nothing).
 */
static struct super_block *sb_create(const struct fs_type *type,
				     const char *source, const char *options,
				     dev_t bdev, bool rdonly)
{
	struct super_block *sb;
	bool has_dev = type->flags & FS_REQUIRES_DEV;
	int err;

	if ((type->flags & FS_SINGLE) && type->single_sb()) {
		sb = type->single_sb();
		sb_get(sb);
		return sb;
	}
	sb = kzalloc(sizeof(*sb));
	if (!sb)
		return ERR_PTR(-ENOMEM);
	err = has_dev ? blk_mount_get(bdev) : 0;
	if (err)
		goto out_free;
	sb->type = type;
	sb->dev = has_dev ? bdev : anon_dev_alloc();
	sb->refcount = 1;
	sb->rdonly = rdonly;
	sb->cap = svc_mint(type->svc);	/* what the service's calls present */
	err = vop_fill_super(sb, source, options);
	if (!err && !sb->root) {
		pr_err("sb_create: %s gave no root inode", type->name);
		vop_kill_super(sb);
		err = -EIO;
	}
	if (!err) {
		sb->active = true;
		return sb;
	}
	if (has_dev)
		blk_mount_put(bdev);
out_free:
	kfree(sb);
	return ERR_PTR(err);
}

/*
 * The super block of @type already mounted from @bdev to *@out, with a
 * new reference, as Linux's get_tree_bdev shares one per device (NULL if
 * none). As there, -EBUSY if another type holds the device or the mount
 * would change the super block's read-only state (@rdonly), else 0.
 */
static int sb_find_bdev(const struct fs_type *type, dev_t bdev, bool rdonly,
			struct super_block **out)
{
	struct mount *m;

	*out = NULL;
	list_for_each_entry(m, &mounts, link) {
		struct super_block *sb = m->sb;

		if (!(sb->type->flags & FS_REQUIRES_DEV) || sb->dev != bdev)
			continue;
		if (sb->type != type)
			return -EBUSY;
		if (sb->rdonly != rdonly) {
			struct blk_part_info info;

			if (!blk_dev_info(bdev, &info))
				pr_warn("%s: %s: Can't mount, would change RO "
					"state", type->name, info.name);
			return -EBUSY;
		}
		sb_get(sb);
		*out = sb;
		return 0;
	}
	return 0;
}

/*
 * The lowest id no mount has, as Linux's mnt_alloc_id takes it from an
 * IDA (the root mount is 1).
 */
static int mnt_new_id(void)
{
	struct mount *m;
	int id = 1;

again:
	list_for_each_entry(m, &mounts, link) {
		if (m->id == id) {
			id++;
			goto again;
		}
	}
	return id;
}

/*
 * A mount of @root of @sb (the caller's sb reference moves in; @root
 * gains one) named @source (NULL: "none", as Linux shows it), in no
 * tree yet. Returns the mount or ERR_PTR(-ENOMEM) (then the sb
 * reference is dropped).
 */
static struct mount *mnt_alloc(struct super_block *sb, struct inode *root,
			       unsigned flags, const char *source)
{
	struct mount *m = kzalloc(sizeof(*m));
	size_t len;

	if (!source)
		source = "none";
	len = strlen(source);
	if (m)
		m->source = kmalloc(len + 1);
	if (!m || !m->source) {
		kfree(m);
		sb_put(sb);
		return ERR_PTR(-ENOMEM);
	}
	memcpy(m->source, source, len + 1);
	m->id = mnt_new_id();
	m->sb = sb;
	m->root = root;
	iget(root);
	m->flags = flags;
	list_init(&m->link);
	return m;
}

/*
 * mnt_alloc, then attach the mount at @mp (NULL for the root of the
 * tree). Returns the mount or ERR_PTR(-ENOMEM).
 */
static struct mount *mnt_attach(struct super_block *sb, struct inode *root,
				const struct path *mp, unsigned flags,
				const char *source)
{
	struct mount *m = mnt_alloc(sb, root, flags, source);

	if (IS_ERR(m))
		return m;
	if (mp) {
		m->parent = mp->mnt;
		m->mountpoint = mp->inode;
		iget(mp->inode);
	}
	m->ns = mp ? mp->mnt->ns : &init_mnt_ns;
	list_add_tail(&m->link, &mounts);
	return m;
}

/* See vfs_mount.h. */
struct mount *mnt_clone(struct mount *m, struct mnt_ns *ns)
{
	struct mount *c;

	sb_get(m->sb);
	c = mnt_alloc(m->sb, m->root, m->flags, m->source);
	if (IS_ERR(c))
		return NULL;
	c->ns = ns;
	list_add_tail(&c->link, &mounts);
	return c;
}

/* See vfs_mount.h. */
struct mount *kern_mount(const char *type_name)
{
	const struct fs_type *type = fs_type_find(type_name);
	struct super_block *sb;
	struct mount *m;

	if (!type)
		return ERR_PTR(-ENODEV);
	if (type->flags & FS_REQUIRES_DEV)
		return ERR_PTR(-EINVAL);
	sb = sb_create(type, type_name, NULL, 0, false);
	if (IS_ERR(sb))
		return ERR_PTR(PTR_ERR(sb));
	m = mnt_alloc(sb, sb->root, 0, type_name);
	if (!IS_ERR(m))
		m->refcount = 1;
	return m;
}

/* See include/kernel/vfs.h. */
int kern_mount_root(const char *type_name, struct path *out)
{
	struct mount *m = kern_mount(type_name);

	if (IS_ERR(m))
		return (int)PTR_ERR(m);
	iget(m->root);
	*out = (struct path){ m, m->root };
	return 0;
}

/* See include/kernel/vfs.h. */
void kern_unmount(const struct path *p)
{
	p->mnt->flags |= MNT_DETACHED;
	path_put(p);
}

/* Mount a new @type instance at @mp: 0 or -errno. */
int do_mount_new(const char *type_name, const char *source,
		 const struct path *mp, unsigned mnt_flags, const char *options)
{
	const struct fs_type *type = fs_type_find(type_name);
	struct super_block *sb = NULL;
	struct mount *m;
	dev_t bdev = 0;
	int err = 0;

	if (!type)
		return -ENODEV;
	if (type->flags & FS_REQUIRES_DEV) {
		err = source ? lookup_bdev(source, &bdev) : -EINVAL;
		if (err)
			return err;
		/* Linux opens the device for writing for a read-write mount */
		if (!(mnt_flags & MNT_READONLY) && blk_dev_ro(bdev))
			return -EACCES;
		err = sb_find_bdev(type, bdev, mnt_flags & MNT_READONLY, &sb);
		if (err)
			return err;
	}
	if ((type->flags & FS_RDONLY) && !(mnt_flags & MNT_READONLY))
		err = -EROFS;
	else if (!S_ISDIR(mp->inode->mode))
		err = -ENOTDIR;
	if (err) {
		if (sb)
			sb_put(sb);
		return err;
	}
	if (!sb)
		sb = sb_create(type, source, options, bdev,
			       mnt_flags & MNT_READONLY);
	if (IS_ERR(sb))
		return PTR_ERR(sb);
	m = mnt_attach(sb, sb->root, mp, mnt_flags, source);
	return IS_ERR(m) ? PTR_ERR(m) : 0;
}

/* Bind @src (a file or directory) at @mp: 0 or -errno. */
int do_mount_bind(const struct path *src, const struct path *mp,
		  unsigned mnt_flags)
{
	struct mount *m;

	if (S_ISDIR(src->inode->mode) != S_ISDIR(mp->inode->mode))
		return -ENOTDIR;
	src->mnt->sb->refcount++;
	m = mnt_attach(src->mnt->sb, src->inode, mp, mnt_flags,
		       src->mnt->source);
	return IS_ERR(m) ? PTR_ERR(m) : 0;
}

/* True if @m is @top or mounted somewhere below it. */
static bool mnt_within(const struct mount *m, const struct mount *top)
{
	for (; m; m = m->parent)
		if (m == top)
			return true;
	return false;
}

/* See vfs_mount.h. */
int do_move_mount(const struct path *src, const struct path *mp)
{
	struct mount *m = src->mnt, *c, *n;
	LIST_HEAD(moved);

	if (src->inode != m->root || !m->parent)
		return -EINVAL;
	if (S_ISDIR(src->inode->mode) != S_ISDIR(mp->inode->mode))
		return -EINVAL;
	if (mnt_within(mp->mnt, m))
		return -ELOOP;
	iput(m->mountpoint);
	m->parent = mp->mnt;
	m->mountpoint = mp->inode;
	iget(mp->inode);
	/* The moved tree goes last in the table, in its order, as Linux's
	 * commit_tree splices it. */
	list_for_each_entry_safe(c, n, &mounts, link) {
		if (mnt_within(c, m)) {
			list_del(&c->link);
			list_add_tail(&c->link, &moved);
		}
	}
	list_splice_init(&moved, mounts.prev);
	return 0;
}

/*
 * Change the flags of the mount whose root @p is, and unless @bind
 * (MS_BIND: that mount only) whether its super block is read-only (the
 * filesystem told first, which may refuse), as Linux's do_remount and
 * do_reconfigure_mnt: 0, -EINVAL, -EROFS (a type that mounts only
 * read-only made read-write), or the filesystem's refusal.
 */
int do_remount(const struct path *p, unsigned mnt_flags, bool bind)
{
	struct super_block *sb = p->mnt->sb;

	if (p->inode != p->mnt->root)
		return -EINVAL;
	/* Linux's reconfigure_super: read-write on a read-only device */
	if (!bind && !(mnt_flags & MNT_READONLY) &&
	    (sb->type->flags & FS_REQUIRES_DEV) && blk_dev_ro(sb->dev))
		return -EACCES;
	if (!bind && !(mnt_flags & MNT_READONLY) &&
	    (sb->type->flags & FS_RDONLY))
		return -EROFS;
	if (!bind && sb->rdonly != !!(mnt_flags & MNT_READONLY)) {
		int err = vop_remount_fs(sb, mnt_flags & MNT_READONLY);

		if (err)
			return err;
	}
	p->mnt->flags = (p->mnt->flags & MNT_DETACHED) | mnt_flags;
	if (!bind)
		p->mnt->sb->rdonly = mnt_flags & MNT_READONLY;
	return 0;
}

/* @m, out of the table, leaves the tree: freed with its last reference. */
static void mnt_detach(struct mount *m)
{
	iput(m->mountpoint);
	m->mountpoint = NULL;
	m->parent = NULL;
	m->ns = NULL;
	m->flags |= MNT_DETACHED;
}

/*
 * Unmount the mount whose root @p is (the caller holds @p's references,
 * which this does not drop). With @lazy, a busy mount is detached now
 * and freed when its last user goes. 0, -EINVAL, or -EBUSY.
 */
int do_umount(const struct path *p, bool lazy)
{
	struct mount *m = p->mnt;

	/* the tree's root mount, or one detached already: Linux's
	 * can_umount and do_umount refuse both with EINVAL */
	if (p->inode != m->root || !m->parent)
		return -EINVAL;
	if (mnt_has_children(m))
		return -EBUSY;
	if (m->refcount > 1 && !lazy)
		return -EBUSY;
	list_del(&m->link);
	mnt_detach(m);
	return 0;
}

/* See vfs_mount.h. */
void mnt_umount_ns(struct mnt_ns *ns)
{
	struct mount *m, *n;
	LIST_HEAD(gone);

	/* Every mount point goes before any super block can. */
	list_for_each_entry_safe(m, n, &mounts, link) {
		if (m->ns != ns)
			continue;
		list_del(&m->link);
		list_add_tail(&m->link, &gone);
		mnt_detach(m);
	}
	list_for_each_entry_safe(m, n, &gone, link) {
		list_del(&m->link);
		list_init(&m->link);
		if (!m->refcount)
			mnt_free(m);
	}
}

/* Fill @st for the mount of @p (statfs, fstatfs): 0 or -errno. */
int vfs_statfs(const struct path *p, struct statfs64 *st)
{
	struct super_block *sb = p->inode->sb;
	int err;

	memset(st, 0, sizeof(*st));
	if (!sb)
		return -ENOSYS;
	err = vop_statfs(sb, st);
	if (err)
		return err;
	/* A filesystem with its own (ext2's, from its UUID) keeps it; a
	 * pseudo one (no mount) shows none, as simple_statfs leaves it. */
	if (!st->f_fsid[0] && !st->f_fsid[1] && p->mnt)
		st->f_fsid[0] = (int32_t)dev_to_user(sb->dev);
	st->f_flags = ST_VALID;
	if (p->mnt) {
		if (p->mnt->flags & MNT_READONLY)
			st->f_flags |= ST_RDONLY;
		if (p->mnt->flags & MNT_NOSUID)
			st->f_flags |= ST_NOSUID;
		if (p->mnt->flags & MNT_NODEV)
			st->f_flags |= ST_NODEV;
		if (p->mnt->flags & MNT_NOEXEC)
			st->f_flags |= ST_NOEXEC;
		if (p->mnt->flags & MNT_NOATIME)
			st->f_flags |= ST_NOATIME;
		if (p->mnt->flags & MNT_RELATIME)
			st->f_flags |= ST_RELATIME;
	}
	return 0;
}

/* Iterate over attached mounts for /proc/mounts: the one after @prev. */
struct mount *mnt_next(struct mount *prev)
{
	struct list_head *next = prev ? prev->link.next : mounts.next;

	return next == &mounts ? NULL : list_entry(next, struct mount, link);
}

/*
 * Boot: mount the type registered for the root (register_rootfs: tmpfs
 * under the name Linux gives it, "rootfs", not mountable and absent from
 * /proc/filesystems) as the root of the tree, with no mount flags
 * (Linux's kernel-internal mount has no relatime either). Filesystem
 * services must have registered already. Panics if that is impossible.
 */
void vfs_init(void)
{
	struct super_block *sb;
	struct mount *m;

	if (!rootfs_type)
		panic("vfs_init: no root filesystem type registered");
	sb = sb_create(rootfs_type, "rootfs", NULL, 0, false);
	if (IS_ERR(sb))
		panic("vfs_init: root tmpfs: error %ld", PTR_ERR(sb));
	m = mnt_attach(sb, sb->root, NULL, 0, "rootfs");
	if (IS_ERR(m))
		panic("vfs_init: root mount: error %ld", PTR_ERR(m));
	root_mount = m;
	fs_context_init_root(m);
}
