/*
 * Changing and checking attributes: chmod, chown, utimensat and friends,
 * truncate, ftruncate, access, faccessat, faccessat2 and umask.
 */
#include "vfs_internal.h"
#include <kernel/fsnotify.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <platform/usercopy.h>

#define UTIME_NOW	((1L << 30) - 1)
#define UTIME_OMIT	((1L << 30) - 2)

/* Apply @attr to @inode (ctime stamped): 0, -EROFS or the fs's errno. */
int vfs_setattr(struct mount *mnt, struct inode *inode, struct iattr *attr,
		struct file *named)
{
	int err = mnt_want_write(mnt);

	if (err)
		return err;
	if (!(attr->valid & ATTR_CTIME)) {
		attr->valid |= ATTR_CTIME;
		attr->ctime = current_time();
	}
	err = vop_setattr(inode, attr);
	if (!err)
		fsnotify_change(named, inode, attr);
	return err;
}

/*
 * Set the size of regular file @inode to @len: 0 or -errno (-ETXTBSY for
 * a running program's image, -EPERM against its seals).
 */
int vfs_truncate(struct mount *mnt, struct inode *inode, off_t len,
		 struct file *named)
{
	struct iattr attr = { .valid = ATTR_SIZE | ATTR_MTIME, .size = len };
	int err;

	if (len < 0)
		return -EINVAL;
	if (S_ISDIR(inode->mode))
		return -EISDIR;
	if (!S_ISREG(inode->mode))
		return -EINVAL;
	err = file_seal_resize(inode, len);
	if (err)
		return err;
	err = inode_get_write_access(inode);
	if (err)
		return err;
	attr.mtime = current_time();
	err = vfs_setattr(mnt, inode, &attr, named);
	inode_put_write_access(inode);
	return err;
}

static long path_setattr(int dfd, uptr_t name, unsigned lookup,
			 struct iattr *attr)
{
	struct path p;
	long err = user_path_at(dfd, name, lookup, &p);

	if (err)
		return err;
	err = vfs_setattr(p.mnt, p.inode, attr, NULL);
	path_put(&p);
	return err;
}

static long fd_setattr(int fd, struct iattr *attr)
{
	struct file *f = fd_get_io(fd);
	long err;

	if (!f)
		return -EBADF;
	err = vfs_setattr(f->path.mnt, f->inode, attr, f);
	fput(f);
	return err;
}

static struct iattr chmod_attr(long mode)
{
	return (struct iattr){ .valid = ATTR_MODE, .mode = mode & 07777 };
}

SYSCALL(__NR_chmod, chmod)(SYSCALL_ARGS)
{
	struct iattr attr = chmod_attr(a1);

	return path_setattr(AT_FDCWD, UPTR(a0), LOOKUP_FOLLOW, &attr);
}

SYSCALL(__NR_fchmodat, fchmodat)(SYSCALL_ARGS)
{
	struct iattr attr = chmod_attr(a2);

	return path_setattr((int)a0, UPTR(a1), LOOKUP_FOLLOW, &attr);
}

SYSCALL(__NR_fchmod, fchmod)(SYSCALL_ARGS)
{
	struct iattr attr = chmod_attr(a1);

	return fd_setattr((int)a0, &attr);
}

static struct iattr chown_attr(long uid, long gid)
{
	struct iattr attr = { 0 };

	if ((uid_t)uid != (uid_t)-1) {
		attr.valid |= ATTR_UID;
		attr.uid = (uid_t)uid;
	}
	if ((gid_t)gid != (gid_t)-1) {
		attr.valid |= ATTR_GID;
		attr.gid = (gid_t)gid;
	}
	return attr;
}

static long do_fchownat(int dfd, uptr_t name, long uid, long gid,
			unsigned flags)
{
	struct iattr attr = chown_attr(uid, gid);
	unsigned lookup = LOOKUP_FOLLOW;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (flags & AT_SYMLINK_NOFOLLOW)
		lookup = 0;
	if (flags & AT_EMPTY_PATH)
		lookup |= LOOKUP_EMPTY;
	return path_setattr(dfd, name, lookup, &attr);
}

SYSCALL(__NR_chown, chown)(SYSCALL_ARGS)
{
	return do_fchownat(AT_FDCWD, UPTR(a0), a1, a2, 0);
}

SYSCALL(__NR_lchown, lchown)(SYSCALL_ARGS)
{
	return do_fchownat(AT_FDCWD, UPTR(a0), a1, a2, AT_SYMLINK_NOFOLLOW);
}

SYSCALL(__NR_fchownat, fchownat)(SYSCALL_ARGS)
{
	return do_fchownat((int)a0, UPTR(a1), a2, a3, (unsigned)a4);
}

SYSCALL(__NR_fchown, fchown)(SYSCALL_ARGS)
{
	struct iattr attr = chown_attr(a1, a2);

	return fd_setattr((int)a0, &attr);
}

/* Fill @attr's times from @ts (NULL: both now): 0 or -EINVAL. */
static int times_attr(const struct timespec64 *ts, struct iattr *attr)
{
	struct timespec64 now = current_time();
	int i;

	attr->valid = 0;
	for (i = 0; i < 2; i++) {
		struct timespec64 t = ts ? ts[i] : (struct timespec64){ 0, UTIME_NOW };
		unsigned bit = i ? ATTR_MTIME : ATTR_ATIME;

		if (t.nsec == UTIME_OMIT)
			continue;
		if (t.nsec == UTIME_NOW)
			t = now;
		else if (t.nsec < 0 || t.nsec >= (int64_t)1000000000)
			return -EINVAL;
		attr->valid |= bit;
		if (i)
			attr->mtime = t;
		else
			attr->atime = t;
	}
	return 0;
}

/* utimensat with kernel @ts (NULL: now); a NULL @name means @dfd itself. */
static long do_utimes(int dfd, uptr_t name, const struct timespec64 *ts,
		      unsigned flags)
{
	struct iattr attr;
	unsigned lookup;
	long err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = times_attr(ts, &attr);
	if (err)
		return err;
	if (uptr_null(name)) {
		if (dfd == AT_FDCWD)
			return -EFAULT;
		return fd_setattr(dfd, &attr);
	}
	lookup = (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	if (flags & AT_EMPTY_PATH)
		lookup |= LOOKUP_EMPTY;
	return path_setattr(dfd, name, lookup, &attr);
}

SYSCALL(__NR_utimensat, utimensat)(SYSCALL_ARGS)
{
	struct timespec64 ts[2];

	if (a2 && copy_from_user(ts, UPTR(a2), sizeof(ts)))
		return -EFAULT;
	return do_utimes((int)a0, UPTR(a1), a2 ? ts : NULL, (unsigned)a3);
}

/* utimes/futimesat: struct timeval pairs, microseconds checked. */
static long do_futimesat(int dfd, uptr_t name, uptr_t utv)
{
	struct { int64_t sec, usec; } tv[2];
	struct timespec64 ts[2];
	int i;

	if (uptr_null(utv))
		return do_utimes(dfd, name, NULL, 0);
	if (copy_from_user(tv, utv, sizeof(tv)))
		return -EFAULT;
	for (i = 0; i < 2; i++) {
		if (tv[i].usec < 0 || tv[i].usec >= 1000000)
			return -EINVAL;
		ts[i] = (struct timespec64){ tv[i].sec, tv[i].usec * 1000 };
	}
	return do_utimes(dfd, name, ts, 0);
}

SYSCALL(__NR_utimes, utimes)(SYSCALL_ARGS)
{
	return do_futimesat(AT_FDCWD, UPTR(a0), UPTR(a1));
}

SYSCALL(__NR_futimesat, futimesat)(SYSCALL_ARGS)
{
	return do_futimesat((int)a0, UPTR(a1), UPTR(a2));
}

SYSCALL(__NR_utime, utime)(SYSCALL_ARGS)
{
	struct { int64_t actime, modtime; } ub;
	struct timespec64 ts[2];

	if (!a1)
		return do_utimes(AT_FDCWD, UPTR(a0), NULL, 0);
	if (copy_from_user(&ub, UPTR(a1), sizeof(ub)))
		return -EFAULT;
	ts[0] = (struct timespec64){ ub.actime, 0 };
	ts[1] = (struct timespec64){ ub.modtime, 0 };
	return do_utimes(AT_FDCWD, UPTR(a0), ts, 0);
}

SYSCALL(__NR_truncate, truncate)(SYSCALL_ARGS)
{
	struct path p;
	long err;

	if (a1 < 0)
		return -EINVAL;
	err = user_path_at(AT_FDCWD, UPTR(a0), LOOKUP_FOLLOW, &p);
	if (err)
		return err;
	err = vfs_truncate(p.mnt, p.inode, a1, NULL);
	path_put(&p);
	return err;
}

SYSCALL(__NR_ftruncate, ftruncate)(SYSCALL_ARGS)
{
	struct file *f;
	long err;

	if (a1 < 0)
		return -EINVAL;
	f = fd_get_io((int)a0);
	if (!f)
		return -EBADF;
	if (!S_ISREG(f->inode->mode) || !(f->mode & FMODE_WRITE))
		err = -EINVAL;
	else
		err = vfs_truncate(f->path.mnt, f->inode, a1, f);
	fput(f);
	return err;
}

/* access(2) for root: existence, EROFS for writes, some x bit for X_OK. */
static long do_faccessat(int dfd, uptr_t name, long mode, unsigned flags)
{
	unsigned lookup = LOOKUP_FOLLOW;
	struct path p;
	long err;

	if (mode & ~(long)(F_OK | R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (flags & AT_SYMLINK_NOFOLLOW)
		lookup = 0;
	if (flags & AT_EMPTY_PATH)
		lookup |= LOOKUP_EMPTY;
	err = user_path_at(dfd, name, lookup, &p);
	if (err)
		return err;
	if ((mode & W_OK) && (S_ISREG(p.inode->mode) ||
			      S_ISDIR(p.inode->mode) || S_ISLNK(p.inode->mode)))
		err = mnt_want_write(p.mnt);
	if (!err && (mode & X_OK) && !S_ISDIR(p.inode->mode) &&
	    !(p.inode->mode & 0111))
		err = -EACCES;
	path_put(&p);
	return err;
}

SYSCALL(__NR_access, access)(SYSCALL_ARGS)
{
	return do_faccessat(AT_FDCWD, UPTR(a0), a1, 0);
}

SYSCALL(__NR_faccessat, faccessat)(SYSCALL_ARGS)
{
	return do_faccessat((int)a0, UPTR(a1), a2, 0);
}

SYSCALL(__NR_faccessat2, faccessat2)(SYSCALL_ARGS)
{
	return do_faccessat((int)a0, UPTR(a1), a2, (unsigned)a3);
}

SYSCALL(__NR_umask, umask)(SYSCALL_ARGS)
{
	long old = current->umask;

	current->umask = a0 & 0777;
	return old;
}
