/*
 * Extended attributes: setxattr, getxattr, listxattr, removexattr and
 * their l (no final symlink) and f (descriptor) variants, with Linux's
 * order of checks: the file first (lookup or descriptor, then EROFS for
 * a change), then the flags, the name (1..255 bytes, else ERANGE) and
 * the value's size (64 KiB, else E2BIG), then the namespace's rules
 * (xattr_permission); what a namespace holds is the filesystem's
 * (inode_ops getxattr...; EOPNOTSUPP where it keeps none), but for the
 * POSIX ACL names, whose rules are ring 1's (acl_inode.c).
 */
#include "posix_acl.h"
#include <aramid/string.h>
#include <kernel/syscall.h>
#include <platform/heap.h>
#include <platform/usercopy.h>
#include <svc/task.h>
#include <uapi/xattr.h>

struct xattr_name {
	char name[XATTR_NAME_MAX + 1];
};

/* Copy the user name @uname: 0, -ERANGE (empty or too long), -EFAULT. */
static int xattr_name_get(struct xattr_name *kn, uptr_t uname)
{
	long len = strncpy_from_user(kn->name, uname, sizeof(kn->name));

	if (len == 0 || len == -ENAMETOOLONG)
		return -ERANGE;
	return len < 0 ? (int)len : 0;
}

static bool has_prefix(const char *name, const char *prefix)
{
	return !strncmp(name, prefix, strlen(prefix));
}

/*
 * Linux's xattr_permission for the caller: "security." and "system."
 * are the filesystem's and its security modules' (on Debian's kernel the
 * BPF LSM's default hook stands in for commoncap's CAP_SYS_ADMIN check,
 * so anyone may set a "security." name); "trusted." needs CAP_SYS_ADMIN
 * (EPERM to change, ENODATA to read); "user." exists only on regular
 * files and directories, and only the owner or CAP_FOWNER may change one
 * of a sticky directory (EPERM); "user." and unknown names then need
 * read or write permission on the file (EACCES).
 */
static int xattr_permission(const struct inode *inode, const char *name,
			    bool write)
{
	if (has_prefix(name, XATTR_SECURITY_PREFIX) ||
	    has_prefix(name, XATTR_SYSTEM_PREFIX))
		return 0;
	if (has_prefix(name, XATTR_TRUSTED_PREFIX)) {
		if (!capable(CAP_SYS_ADMIN))
			return write ? -EPERM : -ENODATA;
		return 0;
	}
	if (has_prefix(name, XATTR_USER_PREFIX)) {
		if (!S_ISREG(inode->mode) && !S_ISDIR(inode->mode))
			return write ? -EPERM : -ENODATA;
		if (S_ISDIR(inode->mode) && (inode->mode & S_ISVTX) && write &&
		    !inode_owner_or_capable(inode))
			return -EPERM;
	}
	return inode_permission(inode, write ? MAY_WRITE : MAY_READ);
}

/* Resolve @uname (following a final symlink if @follow): 0 or -errno. */
static int target_path(struct path *p, uptr_t uname, bool follow)
{
	return user_path_at(AT_FDCWD, uname, follow ? LOOKUP_FOLLOW : 0, p);
}

/* The path (references taken) of the file open at @fd, not O_PATH. */
static int target_fd(struct path *p, int fd)
{
	struct file *f = fd_get_io(fd);

	if (!f)
		return -EBADF;
	*p = f->path;
	p->inode = f->inode;
	path_get(p);
	fput(f);
	return 0;
}

static long do_setxattr(struct path *t, uptr_t uname, uptr_t uvalue,
			size_t size, int flags)
{
	struct xattr_name kn;
	void *value = NULL;
	long err = mnt_want_write(t->mnt);
	int type;

	if (err)
		goto out;
	err = -EINVAL;
	if (flags & ~(XATTR_CREATE | XATTR_REPLACE))
		goto out;
	err = xattr_name_get(&kn, uname);
	if (err)
		goto out;
	err = -E2BIG;
	if (size > XATTR_SIZE_MAX)
		goto out;
	err = -ENOMEM;
	value = kmalloc(size ? size : 1);
	if (!value)
		goto out;
	err = copy_from_user(value, uvalue, size);
	if (err)
		goto out;
	err = xattr_permission(t->inode, kn.name, true);
	if (err)
		goto out;
	type = acl_xattr_type(kn.name);
	if (type >= 0)
		err = acl_xattr_set(t->inode, type, value, size);
	else
		err = vop_setxattr(t->inode, kn.name, value, size, flags);
out:
	kfree(value);
	path_put(t);
	return err;
}

static long do_getxattr(struct path *t, uptr_t uname, uptr_t ubuf,
			size_t size)
{
	struct xattr_name kn;
	void *buf = NULL;
	long ret = xattr_name_get(&kn, uname);
	int type;

	if (ret)
		goto out;
	size = MIN(size, (size_t)XATTR_SIZE_MAX);
	ret = -ENOMEM;
	if (size && !(buf = kmalloc(size)))
		goto out;
	ret = xattr_permission(t->inode, kn.name, false);
	if (ret)
		goto out;
	type = acl_xattr_type(kn.name);
	if (type >= 0)
		ret = acl_xattr_get(t->inode, type, buf, size);
	else
		ret = vop_getxattr(t->inode, kn.name, buf, size);
	if (ret > 0 && size && copy_to_user(ubuf, buf, (size_t)ret))
		ret = -EFAULT;
	else if (ret == -ERANGE && size >= XATTR_SIZE_MAX)
		ret = -E2BIG;
out:
	kfree(buf);
	path_put(t);
	return ret;
}

static long do_listxattr(struct path *t, uptr_t ubuf, size_t size)
{
	char *buf = NULL;
	long ret = -ENOMEM;

	size = MIN(size, (size_t)XATTR_LIST_MAX);
	if (size && !(buf = kmalloc(size)))
		goto out;
	ret = vop_listxattr(t->inode, buf, size);
	if (ret > 0 && size && copy_to_user(ubuf, buf, (size_t)ret))
		ret = -EFAULT;
	else if (ret == -ERANGE && size >= XATTR_LIST_MAX)
		ret = -E2BIG;
out:
	kfree(buf);
	path_put(t);
	return ret;
}

static long do_removexattr(struct path *t, uptr_t uname)
{
	struct xattr_name kn;
	long err = mnt_want_write(t->mnt);
	int type;

	if (!err)
		err = xattr_name_get(&kn, uname);
	if (!err)
		err = xattr_permission(t->inode, kn.name, true);
	if (err)
		goto out;
	type = acl_xattr_type(kn.name);
	if (type >= 0)
		err = acl_xattr_set(t->inode, type, NULL, 0);
	else
		err = vop_removexattr(t->inode, kn.name);
out:
	path_put(t);
	return err;
}

/* setxattr and lsetxattr: the named file, following a symlink or not. */
static long path_setxattr(SYSCALL_ARGS, bool follow)
{
	struct path t;
	long err = target_path(&t, UPTR(a0), follow);

	return err ? err : do_setxattr(&t, UPTR(a1), UPTR(a2), (size_t)a3,
				       (int)a4);
}

SYSCALL(__NR_setxattr, setxattr)(SYSCALL_ARGS)
{
	return path_setxattr(a0, a1, a2, a3, a4, a5, true);
}

SYSCALL(__NR_lsetxattr, lsetxattr)(SYSCALL_ARGS)
{
	return path_setxattr(a0, a1, a2, a3, a4, a5, false);
}

SYSCALL(__NR_fsetxattr, fsetxattr)(SYSCALL_ARGS)
{
	struct path t;
	long err = target_fd(&t, (int)a0);

	return err ? err : do_setxattr(&t, UPTR(a1), UPTR(a2), (size_t)a3,
				       (int)a4);
}

static long path_getxattr(SYSCALL_ARGS, bool follow)
{
	struct path t;
	long err = target_path(&t, UPTR(a0), follow);

	return err ? err : do_getxattr(&t, UPTR(a1), UPTR(a2), (size_t)a3);
}

SYSCALL(__NR_getxattr, getxattr)(SYSCALL_ARGS)
{
	return path_getxattr(a0, a1, a2, a3, a4, a5, true);
}

SYSCALL(__NR_lgetxattr, lgetxattr)(SYSCALL_ARGS)
{
	return path_getxattr(a0, a1, a2, a3, a4, a5, false);
}

SYSCALL(__NR_fgetxattr, fgetxattr)(SYSCALL_ARGS)
{
	struct path t;
	long err = target_fd(&t, (int)a0);

	return err ? err : do_getxattr(&t, UPTR(a1), UPTR(a2), (size_t)a3);
}

static long path_listxattr(SYSCALL_ARGS, bool follow)
{
	struct path t;
	long err = target_path(&t, UPTR(a0), follow);

	return err ? err : do_listxattr(&t, UPTR(a1), (size_t)a2);
}

SYSCALL(__NR_listxattr, listxattr)(SYSCALL_ARGS)
{
	return path_listxattr(a0, a1, a2, a3, a4, a5, true);
}

SYSCALL(__NR_llistxattr, llistxattr)(SYSCALL_ARGS)
{
	return path_listxattr(a0, a1, a2, a3, a4, a5, false);
}

SYSCALL(__NR_flistxattr, flistxattr)(SYSCALL_ARGS)
{
	struct path t;
	long err = target_fd(&t, (int)a0);

	return err ? err : do_listxattr(&t, UPTR(a1), (size_t)a2);
}

static long path_removexattr(SYSCALL_ARGS, bool follow)
{
	struct path t;
	long err = target_path(&t, UPTR(a0), follow);

	return err ? err : do_removexattr(&t, UPTR(a1));
}

SYSCALL(__NR_removexattr, removexattr)(SYSCALL_ARGS)
{
	return path_removexattr(a0, a1, a2, a3, a4, a5, true);
}

SYSCALL(__NR_lremovexattr, lremovexattr)(SYSCALL_ARGS)
{
	return path_removexattr(a0, a1, a2, a3, a4, a5, false);
}

SYSCALL(__NR_fremovexattr, fremovexattr)(SYSCALL_ARGS)
{
	struct path t;
	long err = target_fd(&t, (int)a0);

	return err ? err : do_removexattr(&t, UPTR(a1));
}
