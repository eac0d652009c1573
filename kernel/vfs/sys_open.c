/*
 * Opening and closing: open, openat, creat (O_TMPFILE too; openat2's
 * checks are sys_openat2.c's), close,
 * close_range, and the kernel's own kernel_open().
 */
#include "file_lock.h"
#include "posix_acl.h"
#include <kernel/blkdev.h>
#include <kernel/fsnotify.h>
#include <kernel/pipe.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <platform/heap.h>
#include <aramid/string.h>

#define CLOSE_RANGE_UNSHARE	0x2
#define CLOSE_RANGE_CLOEXEC	0x4

/* Flags that O_PATH keeps; the rest are ignored as on Linux. */
#define O_PATH_FLAGS	(O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC)

/* Create the regular file nd->last in nd->parent: 0 or -errno. */
static int open_create(struct nameidata *nd, mode_t mode)
{
	struct acl_create ac;
	struct inode *inode;
	int err;

	if (nd->last_type != LAST_NORM || nd->trailing_slash)
		return -EISDIR;
	err = mnt_want_write(nd->parent.mnt);
	/* A filesystem that makes no files (Linux's lookup_open checks
	 * this first, but a read-only ext2 here has no mknod yet) */
	if (!err && !vop_can_mknod(nd->parent.inode))
		err = -EACCES;
	if (!err)
		err = may_create(nd->parent.inode);
	if (err)
		return err;
	mode = vfs_prepare_mode(nd->parent.inode, mode, 07777, S_IFREG);
	err = posix_acl_create(nd->parent.inode, &mode, &ac);
	if (err)
		return err;
	err = vop_mknod(nd->parent.inode, nd->last, mode, 0, &inode);
	if (err) {
		posix_acl_create_finish(NULL, &ac);
		return err;
	}
	err = posix_acl_create_finish(inode, &ac);
	if (err) {
		iput(inode);
		return err;
	}
	fsnotify_dirent(nd->parent.inode, nd->last, inode, IN_CREATE);
	nd->path.inode = inode;
	return 0;
}

/* What an open with @flags asks of the file (Linux's ACC_MODE, O_TRUNC). */
static int open_mask(unsigned flags)
{
	static const int acc[4] = {
		MAY_READ, MAY_WRITE, MAY_READ | MAY_WRITE, MAY_READ | MAY_WRITE
	};

	return acc[flags & O_ACCMODE] | ((flags & O_TRUNC) ? MAY_WRITE : 0);
}

/*
 * Check an existing @inode against the open @flags in Linux's order
 * (do_open, may_open, then do_dentry_open's write access): 0 or -errno.
 */
static int may_open(struct nameidata *nd, unsigned flags)
{
	struct inode *inode = nd->path.inode;
	int mask = open_mask(flags);
	int err;

	if (flags & O_PATH)
		return 0;
	if (S_ISREG(inode->mode) && (flags & O_TRUNC)) {
		err = mnt_want_write(nd->path.mnt);
		if (err)
			return err;
	}
	if (S_ISLNK(inode->mode))
		return -ELOOP;
	if (S_ISDIR(inode->mode) && ((mask & MAY_WRITE) || (flags & O_CREAT)))
		return -EISDIR;
	err = inode_permission(inode, mask);
	if (err)
		return err;
	if ((flags & O_NOATIME) && !inode_owner_or_capable(inode))
		return -EPERM;
	if (S_ISSOCK(inode->mode))
		return -ENXIO;
	if (S_ISREG(inode->mode) && (mask & MAY_WRITE))
		return mnt_want_write(nd->path.mnt);
	return 0;
}

/* Connect @f to its device or fifo and run the open op: 0 or -errno. */
static int open_file_ops(struct file *f)
{
	struct inode *inode = f->inode;

	if (f->flags & O_PATH) {
		f->fops = NULL;
		return 0;
	}
	if (S_ISCHR(inode->mode)) {
		f->fops = chrdev_ops(inode->rdev);
		if (!f->fops)
			return -ENXIO;
	} else if (S_ISBLK(inode->mode)) {
		f->fops = &blkdev_fops;
	} else if (S_ISFIFO(inode->mode)) {
		f->fops = NULL;
		return fifo_open(inode, f);
	}
	return vop_open(inode, f);
}

/*
 * Finish opening the new file @f, whose naming gave @err: its write
 * access and its open op. 0, or -errno and @f is gone.
 */
static int open_finish(struct file *f, int err)
{
	if (!err)
		err = file_take_write_access(f);
	if (!err && S_ISREG(f->inode->mode) && !(f->flags & O_PATH))
		err = break_lease(f->inode, f->flags);
	if (!err)
		err = open_file_ops(f);
	f->flags &= ~O_NOCTTY;	/* as Linux: for the open op's eyes only */
	if (err) {
		f->fops = NULL;	/* not opened: no release */
		fput(f);
		return err;
	}
	/* Linux's do_dentry_open, once the file is open: EINVAL. */
	if ((f->flags & O_DIRECT) && !(f->flags & O_PATH) &&
	    !file_can_direct_io(f)) {
		fput(f);
		return -EINVAL;
	}
	if ((f->mode & (FMODE_READ | FMODE_WRITE)) == FMODE_READ) {
		f->inode->readcount++;
		f->mode |= FMODE_READER;
	}
	return 0;
}

/*
 * Open the file @nd resolved to (@created by this open): a file with one
 * reference, or an ERR_PTR. @nd keeps its references.
 */
static struct file *open_resolved(struct nameidata *nd, unsigned flags,
				  bool created)
{
	struct file *f;
	int err;

	f = file_alloc(nd->path.inode, &nd->path, flags);
	if (!f)
		return ERR_PTR(-ENOMEM);
	err = open_finish(f, file_name_set(f, nd));
	if (err)
		return ERR_PTR(err);
	if ((flags & O_TRUNC) && !created && !(flags & O_PATH) &&
	    S_ISREG(f->inode->mode)) {
		err = vfs_truncate(nd->path.mnt, f->inode, 0,
				   file_entry_name(f));
		if (err) {
			fput(f);
			return ERR_PTR(err);
		}
	}
	if (!(flags & O_PATH))
		fsnotify_file(f, IN_OPEN);
	return f;
}

/*
 * vfs_tmpfile, the new inode also given the ACLs of @ac (NULL: none, as
 * for memfd_create), which are released in every case.
 */
static struct file *tmpfile_acl(const struct path *dir, mode_t mode,
				unsigned flags, const char *last,
				struct acl_create *ac)
{
	struct inode *inode;
	struct path path;
	struct file *f;
	char hash[24];
	int err;

	err = mnt_want_write(dir->mnt);
	if (!err)
		err = vop_tmpfile(dir->inode, S_IFREG | (mode & 07777), &inode);
	if (err) {
		if (ac)
			posix_acl_create_finish(NULL, ac);
		return ERR_PTR(err);
	}
	err = ac ? posix_acl_create_finish(inode, ac) : 0;
	if (err) {
		iput(inode);
		return ERR_PTR(err);
	}
	inode->linkable = !(flags & O_EXCL);
	path = (struct path){ dir->mnt, inode };
	f = file_alloc(inode, &path, flags);
	iput(inode);
	if (!f)
		return ERR_PTR(-ENOMEM);
	if (!last) {
		snprintf(hash, sizeof(hash), "#%lu", (unsigned long)inode->ino);
		last = hash;
	}
	err = open_finish(f, file_name_set_at(f, dir, last));
	return err ? ERR_PTR(err) : f;
}

/* See include/kernel/vfs.h. */
struct file *vfs_tmpfile(const struct path *dir, mode_t mode, unsigned flags,
			 const char *last)
{
	return tmpfile_acl(dir, mode, flags, last, NULL);
}

/*
 * O_TMPFILE's file in the directory @dir, its flags checked: the mount
 * (EROFS), write and search permission on @dir (EACCES), then the
 * filesystem (EOPNOTSUPP if it cannot). @dir keeps its references.
 */
static struct file *tmpfile_in(const struct path *dir, unsigned flags,
			       mode_t mode)
{
	struct acl_create ac;
	int err;

	err = mnt_want_write(dir->mnt);
	if (!err)
		err = may_create(dir->inode);
	mode = vfs_prepare_mode(dir->inode, mode, 07777, S_IFREG);
	if (!err)
		err = posix_acl_create(dir->inode, &mode, &ac);
	return err ? ERR_PTR(err) : tmpfile_acl(dir, mode, flags, NULL, &ac);
}

/*
 * O_TMPFILE (Linux's build_open_flags and do_tmpfile): O_DIRECTORY
 * without O_CREAT, and write access (else EINVAL); then the directory,
 * its mount (EROFS), write and search permission on it (EACCES) and
 * its filesystem (EOPNOTSUPP if it cannot).
 */
static struct file *open_tmpfile(int dfd, const char *name, unsigned flags,
				 mode_t mode, unsigned lookup)
{
	struct file *f;
	struct path dir;
	int err;

	if ((flags & (O_TMPFILE | O_CREAT)) != O_TMPFILE ||
	    (flags & O_ACCMODE) == O_RDONLY)
		return ERR_PTR(-EINVAL);
	lookup |= LOOKUP_DIRECTORY;
	if (!(flags & O_NOFOLLOW))
		lookup |= LOOKUP_FOLLOW;
	err = path_lookup(dfd, name, lookup, &dir);
	if (err)
		return ERR_PTR(err);
	f = tmpfile_in(&dir, flags, mode);
	path_put(&dir);
	return f;
}

/* See include/kernel/vfs.h. */
struct file *do_open(int dfd, const char *name, unsigned flags, mode_t mode)
{
	return do_open_lookup(dfd, name, flags, mode, 0);
}

/* See vfs_internal.h. */
struct file *do_open_lookup(int dfd, const char *name, unsigned flags,
			    mode_t mode, unsigned lookup)
{
	struct nameidata *nd;
	struct file *f;
	bool created = false;
	int err;

	if (flags & O_PATH)
		flags &= O_PATH_FLAGS;
	else
		flags |= O_LARGEFILE;	/* always, on 64-bit Linux */
	if (flags & __O_TMPFILE)
		return open_tmpfile(dfd, name, flags, mode, lookup);
	if ((flags & (O_CREAT | O_DIRECTORY)) == (O_CREAT | O_DIRECTORY))
		return ERR_PTR(-EINVAL);
	if (!(flags & O_NOFOLLOW) &&
	    (flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL))
		lookup |= LOOKUP_FOLLOW;
	if (flags & O_CREAT)
		lookup |= LOOKUP_CREATE;
	if (flags & O_DIRECTORY)
		lookup |= LOOKUP_DIRECTORY;

	nd = kmalloc(sizeof(*nd));
	if (!nd)
		return ERR_PTR(-ENOMEM);
	err = namei(dfd, name, lookup, nd);
	if (err)
		goto out_free;
	/* Linux's open_last_lookups: O_CREAT of "name/" is EISDIR at once. */
	err = -EISDIR;
	if ((flags & O_CREAT) && nd->trailing_slash)
		goto out_put;
	if (!nd->path.inode) {
		err = open_create(nd, mode);
		if (err)
			goto out_put;
		created = true;
	} else if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) {
		err = -EEXIST;
		goto out_put;
	} else {
		err = may_open(nd, flags);
		if (err)
			goto out_put;
	}
	f = open_resolved(nd, flags, created);
	if (IS_ERR(f)) {
		err = PTR_ERR(f);
		goto out_put;
	}
	nd_put(nd);
	kfree(nd);
	return f;

out_put:
	nd_put(nd);
out_free:
	kfree(nd);
	return ERR_PTR(err);
}

/* See vfs_internal.h. */
struct file *vfs_open_path(const struct path *p, const struct path *dir,
			   const char *last, unsigned flags)
{
	struct nameidata *nd;
	struct file *f;
	int err;

	if (flags & O_PATH)
		flags &= O_PATH_FLAGS;
	else
		flags |= O_LARGEFILE;
	if (flags & __O_TMPFILE) {
		if ((flags & (O_TMPFILE | O_CREAT)) != O_TMPFILE ||
		    (flags & O_ACCMODE) == O_RDONLY)
			return ERR_PTR(-EINVAL);
		if (!S_ISDIR(p->inode->mode))
			return ERR_PTR(-ENOTDIR);
		return tmpfile_in(p, flags, 0);
	}
	if ((flags & (O_CREAT | O_DIRECTORY)) == (O_CREAT | O_DIRECTORY))
		return ERR_PTR(-EINVAL);
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return ERR_PTR(-EEXIST);
	if ((flags & O_DIRECTORY) && !S_ISDIR(p->inode->mode))
		return ERR_PTR(-ENOTDIR);
	nd = kzalloc(sizeof(*nd));
	if (!nd)
		return ERR_PTR(-ENOMEM);
	nd->parent = dir ? *dir : *p;
	nd->path = *p;
	path_get(&nd->parent);
	path_get(p);
	nd->last_type = dir ? LAST_NORM : LAST_ROOT;
	if (dir)
		strlcpy(nd->last, last, sizeof(nd->last));
	err = may_open(nd, flags);
	f = err ? ERR_PTR(err) : open_resolved(nd, flags, false);
	nd_put(nd);
	kfree(nd);
	return f;
}

/* See include/kernel/vfs.h. */
struct file *vfs_open_child(const struct path *dir, const char *name,
			    unsigned flags)
{
	size_t len = strlen(name);
	struct nameidata *nd;
	struct inode *inode;
	struct file *f;
	int err;

	if (len > NAME_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	nd = kzalloc(sizeof(*nd));
	if (!nd)
		return ERR_PTR(-ENOMEM);
	err = vop_lookup(dir->inode, name, &inode);
	if (err) {
		kfree(nd);
		return ERR_PTR(err);
	}
	nd->parent = *dir;
	path_get(dir);
	nd->path = (struct path){ dir->mnt, inode };
	if (dir->mnt)
		mnt_get(dir->mnt);
	memcpy(nd->last, name, len + 1);
	nd->last_type = LAST_NORM;
	err = may_open(nd, flags);
	f = err ? ERR_PTR(err) : open_resolved(nd, flags | O_LARGEFILE, false);
	nd_put(nd);
	kfree(nd);
	return f;
}

/* See vfs_internal.h. */
long open_fd(int dfd, uptr_t uname, unsigned flags, mode_t mode,
	     unsigned lookup)
{
	struct file *f;
	char *name;
	int fd;

	fd = fd_reserve(0, flags & O_CLOEXEC);
	if (fd < 0)
		return fd;
	name = getname(uname);
	if (IS_ERR(name)) {
		fd_unreserve(fd);
		return PTR_ERR(name);
	}
	f = do_open_lookup(dfd, name, flags, mode, lookup);
	kfree(name);
	if (IS_ERR(f)) {
		fd_unreserve(fd);
		return PTR_ERR(f);
	}
	fd_install_reserved(fd, f);
	return fd;
}

SYSCALL(__NR_open, open)(SYSCALL_ARGS)
{
	return open_fd(AT_FDCWD, UPTR(a0), (unsigned)a1, (mode_t)a2, 0);
}

SYSCALL(__NR_openat, openat)(SYSCALL_ARGS)
{
	return open_fd((int)a0, UPTR(a1), (unsigned)a2, (mode_t)a3, 0);
}

SYSCALL(__NR_creat, creat)(SYSCALL_ARGS)
{
	return open_fd(AT_FDCWD, UPTR(a0), O_CREAT | O_WRONLY | O_TRUNC,
		       (mode_t)a1, 0);
}

SYSCALL(__NR_close, close)(SYSCALL_ARGS)
{
	return fd_close((int)a0);
}

SYSCALL(__NR_close_range, close_range)(SYSCALL_ARGS)
{
	unsigned first = (unsigned)a0, last = (unsigned)a1;
	unsigned flags = (unsigned)a2;
	int fd, max;

	if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC))
		return -EINVAL;
	if (first > last)
		return -EINVAL;
	/* A table shared by CLONE_FILES is copied first, as Linux's unshare. */
	if ((flags & CLOSE_RANGE_UNSHARE) && current->files &&
	    files_shared(current->files)) {
		struct files *own = files_dup(current->files);

		if (IS_ERR(own))
			return PTR_ERR(own);
		files_put(current->files);
		current->files = own;
	}
	max = current->files ? files_max_fd(current->files) : 0;
	for (fd = (int)MIN(first, (unsigned)max);
	     fd < max && (unsigned)fd <= last; fd++) {
		if (flags & CLOSE_RANGE_CLOEXEC)
			fd_set_cloexec(fd, true);
		else
			fd_close(fd);
	}
	return 0;
}

/* See include/kernel/vfs.h. */
struct file *vfs_reopen(struct file *f, unsigned flags)
{
	struct file *n = file_alloc(f->inode, &f->path, flags);
	int err;

	if (!n)
		return ERR_PTR(-ENOMEM);
	file_name_share(n, f);
	err = open_finish(n, 0);
	return err ? ERR_PTR(err) : n;
}

/* Open @path for the kernel (exec, boot): a file or an ERR_PTR. */
struct file *kernel_open(const char *path, unsigned flags, mode_t mode)
{
	return do_open(AT_FDCWD, path, flags, mode);
}
