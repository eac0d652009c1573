/*
 * Name operations: unlink, unlinkat, rename, renameat, renameat2, link,
 * linkat, symlink, symlinkat, readlink, readlinkat, mknod, mknodat, with
 * the permission to change the directories (permission.c).
 */
#include "posix_acl.h"
#include <kernel/fsnotify.h>
#include <kernel/syscall.h>
#include <aramid/string.h>
#include <platform/heap.h>
#include <platform/usercopy.h>
#include <svc/task.h>

#define RENAME_WHITEOUT	4

/*
 * Look up the parent of @name for creating or removing an entry, with
 * namei @flags besides LOOKUP_CREATE.
 */
static struct nameidata *nd_create_flags(int dfd, const char *name,
					 unsigned flags, int *err)
{
	struct nameidata *nd = kmalloc(sizeof(*nd));

	if (!nd) {
		*err = -ENOMEM;
		return NULL;
	}
	*err = namei(dfd, name, LOOKUP_CREATE | flags, nd);
	if (*err) {
		kfree(nd);
		return NULL;
	}
	return nd;
}

static struct nameidata *nd_create(int dfd, const char *name, int *err)
{
	return nd_create_flags(dfd, name, 0, err);
}

/* A name that is missing where a lookup that misses fails (procfs). */
static bool nd_missing_is_error(const struct nameidata *nd)
{
	return !nd->path.inode &&
	       (nd->parent.inode->sb->type->flags & FS_NO_NEGATIVE);
}

static void nd_free(struct nameidata *nd)
{
	nd_put(nd);
	kfree(nd);
}

/* unlink relative to @dfd with a kernel @name: 0 or -errno. */
int do_unlinkat(int dfd, const char *name)
{
	struct nameidata *nd;
	struct inode *inode;
	int err;

	nd = nd_create(dfd, name, &err);
	if (!nd)
		return err;
	inode = nd->path.inode;
	if (nd->last_type != LAST_NORM)
		err = -EISDIR;
	else if (!inode)
		err = -ENOENT;
	else if (S_ISDIR(inode->mode))
		err = -EISDIR;
	else if (nd->trailing_slash)
		err = -ENOTDIR;
	else if (nd->path.mnt != nd->parent.mnt ||
		 mnt_is_busy_point(nd->path.mnt, inode))
		err = -EBUSY;
	else
		err = mnt_want_write(nd->parent.mnt);
	if (!err)
		err = may_delete(nd->parent.inode, inode);
	if (!err)
		err = vop_unlink(nd->parent.inode, nd->last);
	if (!err) {
		fsnotify_inode(NULL, NULL, inode, IN_ATTRIB);
		fsnotify_unlinked(inode, 1);
		fsnotify_dirent(nd->parent.inode, nd->last, inode, IN_DELETE);
	}
	nd_free(nd);
	return err;
}

static long with_name(uptr_t uname, int dfd, int (*fn)(int, const char *))
{
	char *name = getname(uname);
	long err;

	if (IS_ERR(name))
		return PTR_ERR(name);
	err = fn(dfd, name);
	kfree(name);
	return err;
}

SYSCALL(__NR_unlink, unlink)(SYSCALL_ARGS)
{
	return with_name(UPTR(a0), AT_FDCWD, do_unlinkat);
}

SYSCALL(__NR_unlinkat, unlinkat)(SYSCALL_ARGS)
{
	if (a2 & ~AT_REMOVEDIR)
		return -EINVAL;
	return with_name(UPTR(a1), (int)a0,
			 (a2 & AT_REMOVEDIR) ? do_rmdirat : do_unlinkat);
}

/*
 * The permission checks of a rename (Linux's vfs_rename): removing the
 * old name (may_delete), creating the new one or removing what it names
 * (whose type must match, unless exchanging), and write permission on a
 * directory that moves to a new parent (its ".." changes). 0 or -errno.
 */
static int rename_may(struct nameidata *o, struct nameidata *n, bool exchange)
{
	struct inode *oi = o->path.inode, *ni = n->path.inode;
	int err = may_delete(o->parent.inode, oi);

	if (err)
		return err;
	if (ni)
		err = may_delete(n->parent.inode, ni);
	else
		err = may_create(n->parent.inode);
	if (err)
		return err;
	if (ni && !exchange && S_ISDIR(oi->mode) && !S_ISDIR(ni->mode))
		return -ENOTDIR;
	if (ni && !exchange && !S_ISDIR(oi->mode) && S_ISDIR(ni->mode))
		return -EISDIR;
	if (o->parent.inode == n->parent.inode)
		return 0;
	if (S_ISDIR(oi->mode)) {
		err = inode_permission(oi, MAY_WRITE);
		if (err)
			return err;
	}
	if (exchange && S_ISDIR(ni->mode))
		return inode_permission(ni, MAY_WRITE);
	return 0;
}

/*
 * The checks of renameat2(2) once both names are resolved, in Linux's
 * order: 0 to go ahead, 1 when both names are the same file (nothing to
 * do), or -errno.
 */
static int rename_check(struct nameidata *o, struct nameidata *n,
			unsigned flags)
{
	struct inode *oi = o->path.inode, *ni = n->path.inode;
	bool exchange = flags & RENAME_EXCHANGE;
	int err;

	if (o->parent.mnt != n->parent.mnt)
		return -EXDEV;
	if (o->last_type != LAST_NORM)
		return -EBUSY;
	if (n->last_type != LAST_NORM)
		return (flags & RENAME_NOREPLACE) ? -EEXIST : -EBUSY;
	err = mnt_want_write(o->parent.mnt);
	if (err)
		return err;
	if (!oi || nd_missing_is_error(n))
		return -ENOENT;
	if (ni && (flags & RENAME_NOREPLACE))
		return -EEXIST;
	if (exchange && !ni)
		return -ENOENT;
	if (exchange && !S_ISDIR(ni->mode) && n->trailing_slash)
		return -ENOTDIR;
	if (!S_ISDIR(oi->mode) &&
	    (o->trailing_slash || (!exchange && n->trailing_slash)))
		return -ENOTDIR;
	/* Neither may end up inside itself. */
	if (S_ISDIR(oi->mode) && oi != ni &&
	    is_ancestor(oi, n->parent.inode))
		return -EINVAL;
	if (ni && S_ISDIR(ni->mode) && oi != ni &&
	    is_ancestor(ni, o->parent.inode))
		return exchange ? -EINVAL : -ENOTEMPTY;
	if (oi == ni)
		return 1;
	err = rename_may(o, n, exchange);
	if (err)
		return err;
	if (o->path.mnt != o->parent.mnt ||
	    mnt_is_busy_point(o->path.mnt, oi))
		return -EBUSY;
	if (ni && (n->path.mnt != n->parent.mnt ||
		   mnt_is_busy_point(n->path.mnt, ni)))
		return -EBUSY;
	return 0;
}

/*
 * The events of a rename that happened (Linux's fsnotify_move, twice for
 * an exchange); a replaced target that is now unused is gone.
 */
static void rename_notify(struct nameidata *o, struct nameidata *n,
			  unsigned flags)
{
	struct inode *src = o->path.inode, *dst = n->path.inode;

	if (flags & RENAME_EXCHANGE) {
		fsnotify_move(o->parent.inode, o->last, n->parent.inode,
			      n->last, src, NULL);
		fsnotify_move(n->parent.inode, n->last, o->parent.inode,
			      o->last, dst, NULL);
		return;
	}
	fsnotify_move(o->parent.inode, o->last, n->parent.inode, n->last, src,
		      dst);
	if (dst)
		fsnotify_unlinked(dst, 1);
}

/* rename(2) with kernel names and renameat2 @flags: 0 or -errno. */
int do_renameat2(int odfd, const char *oldname, int ndfd, const char *newname,
		 unsigned flags)
{
	struct nameidata *o, *n;
	struct rename_names rn;
	int err;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & RENAME_EXCHANGE) &&
	    (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)))
		return -EINVAL;
	if (flags & RENAME_WHITEOUT)
		return -EINVAL;		/* no filesystem here has whiteouts */
	o = nd_create_flags(odfd, oldname, LOOKUP_ANY_NEGATIVE, &err);
	if (!o)
		return err;
	n = nd_create_flags(ndfd, newname, LOOKUP_ANY_NEGATIVE, &err);
	if (!n)
		goto out_put_old;
	err = rename_check(o, n, flags);
	if (err)
		goto out_put_new;	/* 1: the same file, nothing to do */
	err = rename_names_prepare(&rn, o, n, flags);
	if (err)
		goto out_put_new;
	err = vop_rename(o->parent.inode, o->last, n->parent.inode, n->last,
			 flags);
	if (!err) {
		rename_names_apply(&rn);
		rename_notify(o, n, flags);
	}
	rename_names_release(&rn);
out_put_new:
	nd_free(n);
out_put_old:
	nd_free(o);
	return err == 1 ? 0 : err;
}

/* Copy in two path names and call @fn with them (rename, link). */
static long with_two_names(uptr_t uold, uptr_t unew,
			   long (*fn)(const char *, const char *, void *),
			   void *arg)
{
	char *oldname, *newname;
	long err;

	oldname = getname(uold);
	if (IS_ERR(oldname))
		return PTR_ERR(oldname);
	newname = getname(unew);
	if (IS_ERR(newname)) {
		kfree(oldname);
		return PTR_ERR(newname);
	}
	err = fn(oldname, newname, arg);
	kfree(newname);
	kfree(oldname);
	return err;
}

struct two_dirs {
	int odfd, ndfd;
	unsigned flags;
};

static long rename_names(const char *oldname, const char *newname, void *arg)
{
	struct two_dirs *d = arg;

	return do_renameat2(d->odfd, oldname, d->ndfd, newname, d->flags);
}

static long user_renameat2(int odfd, uptr_t uold, int ndfd, uptr_t unew,
			   unsigned flags)
{
	struct two_dirs d = { odfd, ndfd, flags };

	return with_two_names(uold, unew, rename_names, &d);
}

SYSCALL(__NR_rename, rename)(SYSCALL_ARGS)
{
	return user_renameat2(AT_FDCWD, UPTR(a0), AT_FDCWD, UPTR(a1), 0);
}

SYSCALL(__NR_renameat, renameat)(SYSCALL_ARGS)
{
	return user_renameat2((int)a0, UPTR(a1), (int)a2, UPTR(a3), 0);
}

SYSCALL(__NR_renameat2, renameat2)(SYSCALL_ARGS)
{
	return user_renameat2((int)a0, UPTR(a1), (int)a2, UPTR(a3),
			      (unsigned)a4);
}

/*
 * Whether @old may be linked as @n names, in Linux's order (its
 * filename_create, then vfs_link): 0 or -errno.
 */
static int link_check(const struct path *old, struct nameidata *n)
{
	int err;

	if (n->path.inode || n->last_type != LAST_NORM)
		return -EEXIST;
	if (n->trailing_slash)
		return -ENOENT;
	err = mnt_want_write(n->parent.mnt);
	if (err)
		return err;
	if (old->mnt != n->parent.mnt)
		return -EXDEV;
	err = may_create(n->parent.inode);
	if (err)
		return err;
	if (S_ISDIR(old->inode->mode))
		return -EPERM;
	/* An unlinked file stays so, but for an O_TMPFILE one's first link. */
	if (old->inode->nlink == 0 && !old->inode->linkable)
		return -ENOENT;
	return 0;
}

/* link(2) with kernel names: 0 or -errno. */
int do_linkat(int olddfd, const char *oldname, int newdfd,
	      const char *newname, unsigned flags)
{
	unsigned lookup = 0;
	struct nameidata *n;
	struct path old;
	int err;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (flags & AT_SYMLINK_FOLLOW)
		lookup |= LOOKUP_FOLLOW;
	/* Linking an open file by its descriptor is privileged, as on Linux. */
	if ((flags & AT_EMPTY_PATH) && !capable(CAP_DAC_READ_SEARCH))
		return -ENOENT;
	if (flags & AT_EMPTY_PATH)
		lookup |= LOOKUP_EMPTY;
	err = path_lookup(olddfd, oldname, lookup, &old);
	if (err)
		return err;
	n = nd_create(newdfd, newname, &err);
	if (!n)
		goto out_put_old;
	err = link_check(&old, n);
	if (!err)
		err = vop_link(n->parent.inode, n->last, old.inode);
	if (!err) {
		old.inode->linkable = false;
		fsnotify_inode(NULL, NULL, old.inode, IN_ATTRIB);
		fsnotify_dirent(n->parent.inode, n->last, old.inode, IN_CREATE);
	}
	nd_free(n);
out_put_old:
	path_put(&old);
	return err;
}

static long link_names(const char *oldname, const char *newname, void *arg)
{
	struct two_dirs *d = arg;

	return do_linkat(d->odfd, oldname, d->ndfd, newname, d->flags);
}

static long user_linkat(int odfd, uptr_t uold, int ndfd, uptr_t unew,
			unsigned flags)
{
	struct two_dirs d = { odfd, ndfd, flags };

	return with_two_names(uold, unew, link_names, &d);
}

SYSCALL(__NR_link, link)(SYSCALL_ARGS)
{
	return user_linkat(AT_FDCWD, UPTR(a0), AT_FDCWD, UPTR(a1), 0);
}

SYSCALL(__NR_linkat, linkat)(SYSCALL_ARGS)
{
	return user_linkat((int)a0, UPTR(a1), (int)a2, UPTR(a3), (unsigned)a4);
}

/* symlink(2) with kernel strings: 0 or -errno. */
int do_symlinkat(const char *target, int dfd, const char *name)
{
	struct nameidata *nd;
	struct inode *inode;
	int err;

	if (!*target)
		return -ENOENT;
	nd = nd_create(dfd, name, &err);
	if (!nd)
		return err;
	if (nd->path.inode || nd->last_type != LAST_NORM)
		err = -EEXIST;
	else if (nd->trailing_slash)
		err = -ENOENT;
	else
		err = mnt_want_write(nd->parent.mnt);
	if (!err)
		err = may_create(nd->parent.inode);
	if (!err)
		err = vop_symlink(nd->parent.inode, nd->last, target, &inode);
	if (!err) {
		fsnotify_dirent(nd->parent.inode, nd->last, inode, IN_CREATE);
		iput(inode);
	}
	nd_free(nd);
	return err;
}

static long user_symlinkat(uptr_t utarget, int dfd, uptr_t uname)
{
	char *target, *name;
	long err;

	target = getname(utarget);
	if (IS_ERR(target))
		return PTR_ERR(target);
	name = getname(uname);
	if (IS_ERR(name)) {
		kfree(target);
		return PTR_ERR(name);
	}
	err = do_symlinkat(target, dfd, name);
	kfree(name);
	kfree(target);
	return err;
}

SYSCALL(__NR_symlink, symlink)(SYSCALL_ARGS)
{
	return user_symlinkat(UPTR(a0), AT_FDCWD, UPTR(a1));
}

SYSCALL(__NR_symlinkat, symlinkat)(SYSCALL_ARGS)
{
	return user_symlinkat(UPTR(a0), (int)a1, UPTR(a2));
}

/*
 * Linux's do_readlinkat: "" names the dirfd itself, and is ENOENT, not
 * EINVAL, when that is no symlink.
 */
static long do_readlinkat(int dfd, uptr_t uname, uptr_t ubuf, long bufsiz)
{
	struct path p;
	char *name, *buf;
	long len;

	if (bufsiz <= 0)
		return -EINVAL;
	name = getname(uname);
	if (IS_ERR(name))
		return PTR_ERR(name);
	len = path_lookup(dfd, name, LOOKUP_EMPTY, &p);
	if (len)
		goto out_name;
	buf = kmalloc(PATH_MAX);
	if (!buf) {
		len = -ENOMEM;
		goto out_put;
	}
	len = vop_readlink(p.inode, buf, PATH_MAX);
	if (len == -EINVAL && !*name)
		len = -ENOENT;
	if (len > bufsiz)
		len = bufsiz;
	if (len > 0 && copy_to_user(ubuf, buf, len))
		len = -EFAULT;
	kfree(buf);
out_put:
	path_put(&p);
out_name:
	kfree(name);
	return len;
}

SYSCALL(__NR_readlink, readlink)(SYSCALL_ARGS)
{
	return do_readlinkat(AT_FDCWD, UPTR(a0), UPTR(a1), a2);
}

SYSCALL(__NR_readlinkat, readlinkat)(SYSCALL_ARGS)
{
	return do_readlinkat((int)a0, UPTR(a1), UPTR(a2), a3);
}

/* mknod(2) with a kernel @name: 0 or -errno. */
int do_mknodat(int dfd, const char *name, mode_t mode, dev_t rdev)
{
	struct acl_create ac;
	struct nameidata *nd;
	struct inode *inode;
	int err;

	switch (mode & S_IFMT) {
	case 0:
		mode |= S_IFREG;
		break;
	case S_IFREG:
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		break;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	nd = nd_create(dfd, name, &err);
	if (!nd)
		return err;
	if (nd->path.inode || nd->last_type != LAST_NORM)
		err = -EEXIST;
	else if (nd->trailing_slash)
		err = -ENOENT;
	else
		err = mnt_want_write(nd->parent.mnt);
	if (!err)
		err = may_create(nd->parent.inode);
	/* Linux's vfs_mknod: devices need CAP_MKNOD. */
	if (!err && (S_ISCHR(mode) || S_ISBLK(mode)) && !capable(CAP_MKNOD))
		err = -EPERM;
	if (!err) {
		mode = vfs_prepare_mode(nd->parent.inode, mode, 07777,
					mode & S_IFMT);
		if (!S_ISCHR(mode) && !S_ISBLK(mode))
			rdev = 0;
		err = posix_acl_create(nd->parent.inode, &mode, &ac);
	}
	if (!err) {
		err = vop_mknod(nd->parent.inode, nd->last, mode, rdev, &inode);
		if (err)
			posix_acl_create_finish(NULL, &ac);
	}
	if (!err) {
		err = posix_acl_create_finish(inode, &ac);
		if (!err)
			fsnotify_dirent(nd->parent.inode, nd->last, inode,
					IN_CREATE);
		iput(inode);
	}
	nd_free(nd);
	return err;
}

static long user_mknodat(int dfd, uptr_t uname, long mode, long dev)
{
	uint32_t udev = (uint32_t)dev;	/* the ABI type is unsigned int */
	char *name;
	long err;

	if (!dev_user_valid(udev))
		return -EINVAL;
	name = getname(uname);
	if (IS_ERR(name))
		return PTR_ERR(name);
	err = do_mknodat(dfd, name, (mode_t)mode, dev_from_user(udev));
	kfree(name);
	return err;
}

SYSCALL(__NR_mknod, mknod)(SYSCALL_ARGS)
{
	return user_mknodat(AT_FDCWD, UPTR(a0), a1, a2);
}

SYSCALL(__NR_mknodat, mknodat)(SYSCALL_ARGS)
{
	return user_mknodat((int)a0, UPTR(a1), a2, a3);
}
