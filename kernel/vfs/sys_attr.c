/*
 * Changing attributes: chmod, chown, utimensat and friends, truncate,
 * ftruncate and umask (the rules are attr.c's).
 */
#include "file_lock.h"
#include <kernel/fsnotify.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <kernel/user_ns.h>
#include <platform/heap.h>
#include <platform/usercopy.h>

#define UTIME_NOW	((1L << 30) - 1)
#define UTIME_OMIT	((1L << 30) - 2)

static long path_setattr(int dfd, uptr_t name, unsigned lookup,
			 struct iattr *attr)
{
	struct nameidata *nd = kmalloc(sizeof(*nd));
	long err;

	if (!nd)
		return -ENOMEM;
	err = user_namei(dfd, name, lookup, nd);
	if (!err) {
		err = vfs_setattr(nd->path.mnt, nd->path.inode, attr,
				  nd_entry_name(nd));
		nd_put(nd);
	}
	kfree(nd);
	return err;
}

static long fd_setattr(int fd, struct iattr *attr)
{
	struct file *f = fd_get_io(fd);
	long err;

	if (!f)
		return -EBADF;
	err = vfs_setattr(f->path.mnt, f->inode, attr, file_entry_name(f));
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

/*
 * chown's change: the ids (kernel ids of the caller's user namespace's;
 * INVALID_ID, which vfs_setattr refuses, for one it cannot name), and
 * the set-id bits lost (non-directories).
 */
static struct iattr chown_attr(long uid, long gid)
{
	struct iattr attr = { .valid = ATTR_KILL_SUID | ATTR_KILL_SGID };

	if ((uid_t)uid != (uid_t)-1) {
		attr.valid |= ATTR_UID;
		attr.uid = make_kuid((uid_t)uid);
	}
	if ((gid_t)gid != (gid_t)-1) {
		attr.valid |= ATTR_GID;
		attr.gid = make_kgid((gid_t)gid);
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

/*
 * Fill @attr's times from @ts (NULL: both now) as Linux's vfs_utimes:
 * explicit times are ATTR_TIMES_SET, times all set to now ATTR_TOUCH;
 * both omitted leave ATTR_TIMES_SET alone (nothing to do). 0 or -EINVAL.
 */
static int times_attr(const struct timespec64 *ts, struct iattr *attr)
{
	struct timespec64 now = current_time();
	int i;

	for (i = 0; ts && i < 2; i++) {
		if (ts[i].nsec != UTIME_NOW && ts[i].nsec != UTIME_OMIT &&
		    (ts[i].nsec < 0 || ts[i].nsec >= (int64_t)1000000000))
			return -EINVAL;
	}
	if (ts && ts[0].nsec == UTIME_NOW && ts[1].nsec == UTIME_NOW)
		ts = NULL;
	attr->valid = ts ? ATTR_TIMES_SET : ATTR_TOUCH;
	for (i = 0; i < 2; i++) {
		struct timespec64 t = ts ? ts[i] : (struct timespec64){ 0, UTIME_NOW };
		unsigned bit = i ? ATTR_MTIME : ATTR_ATIME;

		if (t.nsec == UTIME_OMIT)
			continue;
		if (t.nsec == UTIME_NOW)
			t = now;
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
	struct nameidata *nd;
	struct path *p;
	long err;

	if (a1 < 0)
		return -EINVAL;
	nd = kmalloc(sizeof(*nd));
	if (!nd)
		return -ENOMEM;
	err = user_namei(AT_FDCWD, UPTR(a0), LOOKUP_FOLLOW, nd);
	if (err)
		goto out;
	p = &nd->path;
	/* Linux's vfs_truncate: EROFS, then write permission. */
	if (S_ISREG(p->inode->mode)) {
		err = mnt_want_write(p->mnt);
		if (!err)
			err = inode_permission(p->inode, MAY_WRITE);
	}
	if (!err && S_ISREG(p->inode->mode))
		err = break_lease(p->inode, O_WRONLY);
	if (!err)
		err = vfs_truncate(p->mnt, p->inode, a1, nd_entry_name(nd));
	nd_put(nd);
out:
	kfree(nd);
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
		err = vfs_truncate(f->path.mnt, f->inode, a1,
				   file_entry_name(f));
	fput(f);
	return err;
}

SYSCALL(__NR_umask, umask)(SYSCALL_ARGS)
{
	long old = current->umask;

	current->umask = a0 & 0777;
	return old;
}
