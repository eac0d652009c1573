/*
 * Directories: getdents64, getdents, mkdir, mkdirat, rmdir, chdir,
 * fchdir, chroot (search permission; chroot also CAP_SYS_CHROOT) and
 * getcwd; the kernel's own chdir and chroot, used at boot.
 */
#include "posix_acl.h"
#include <kernel/fsnotify.h>
#include <kernel/syscall.h>
#include <aramid/string.h>
#include <platform/heap.h>
#include <platform/usercopy.h>
#include <svc/task.h>
#include <uapi/dirent.h>

/*
 * getdents fills the user buffer one record behind: a record's d_off is
 * the position of the entry after it, known only when that one arrives.
 */
struct getdents_ctx {
	struct dir_context ctx;
	uptr_t ubuf;
	size_t size, used;
	bool old_format;
	int error;
	size_t pending_len;	/* bytes of the record held in @pending */
	off_t pending_pos;	/* the position of that record's entry */
	char pending[sizeof(struct linux_dirent64) + NAME_MAX + 8];
};

static size_t dirent_reclen(bool old_format, size_t namelen)
{
	if (old_format)
		return ALIGN_UP(offsetof(struct linux_dirent, d_name) +
				namelen + 2, 8);
	return ALIGN_UP(offsetof(struct linux_dirent64, d_name) + namelen + 1,
			8);
}

/* Set the pending record's d_off to @next_pos and copy it out. */
static bool flush_pending(struct getdents_ctx *g, off_t next_pos)
{
	if (!g->pending_len)
		return true;
	if (g->old_format)
		((struct linux_dirent *)g->pending)->d_off = next_pos;
	else
		((struct linux_dirent64 *)g->pending)->d_off = next_pos;
	if (copy_to_user(uptr_add(g->ubuf, g->used), g->pending,
			 g->pending_len)) {
		g->error = -EFAULT;
		return false;
	}
	g->used += g->pending_len;
	g->pending_len = 0;
	return true;
}

static bool getdents_emit(struct dir_context *ctx, const char *name,
			  size_t len, ino_t ino, unsigned type)
{
	struct getdents_ctx *g = container_of(ctx, struct getdents_ctx, ctx);
	size_t reclen = dirent_reclen(g->old_format, len);

	if (len > NAME_MAX) {
		g->error = -EIO;
		return false;
	}
	if (g->used + g->pending_len + reclen > g->size) {
		if (!g->used && !g->pending_len)
			g->error = -EINVAL;
		return false;
	}
	if (!flush_pending(g, ctx->pos))
		return false;
	memset(g->pending, 0, reclen);
	if (g->old_format) {
		struct linux_dirent *d = (void *)g->pending;

		d->d_ino = ino;
		d->d_reclen = reclen;
		memcpy(d->d_name, name, len);
		g->pending[reclen - 1] = type;
	} else {
		struct linux_dirent64 *d = (void *)g->pending;

		d->d_ino = ino;
		d->d_reclen = reclen;
		d->d_type = type;
		memcpy(d->d_name, name, len);
	}
	g->pending_len = reclen;
	g->pending_pos = ctx->pos;
	return true;
}

static long do_getdents(int fd, uptr_t ubuf, long count, bool old_format)
{
	struct getdents_ctx *g;
	struct file *f;
	long ret;

	f = fd_get_io(fd);
	if (!f)
		return -EBADF;
	ret = -ENOTDIR;
	if (!S_ISDIR(f->inode->mode))
		goto out_put;
	ret = -ENOMEM;
	g = kzalloc(sizeof(*g));
	if (!g)
		goto out_put;
	g->ctx.emit = getdents_emit;
	g->ctx.pos = f->pos;
	g->ubuf = ubuf;
	g->size = count < 0 ? 0 : (size_t)MIN(count, (long)INT32_MAX);
	g->old_format = old_format;
	ret = vop_readdir(f, &g->ctx);
	fsnotify_file(f, IN_ACCESS);
	if (!g->error)
		flush_pending(g, g->ctx.pos);
	/* A record that could not be copied out is returned next time. */
	f->pos = g->pending_len ? g->pending_pos : g->ctx.pos;
	if (g->used)
		ret = g->used;
	else if (!ret)
		ret = g->error;
	kfree(g);
out_put:
	fput(f);
	return ret;
}

SYSCALL(__NR_getdents64, getdents64)(SYSCALL_ARGS)
{
	return do_getdents((int)a0, UPTR(a1), a2, false);
}

SYSCALL(__NR_getdents, getdents)(SYSCALL_ARGS)
{
	return do_getdents((int)a0, UPTR(a1), a2, true);
}

/* mkdir relative to @dfd with a kernel @name: 0 or -errno. */
int do_mkdirat(int dfd, const char *name, mode_t mode)
{
	struct nameidata *nd = kmalloc(sizeof(*nd));
	struct acl_create ac;
	struct inode *inode;
	int err;

	if (!nd)
		return -ENOMEM;
	err = namei(dfd, name, LOOKUP_CREATE, nd);
	if (err)
		goto out_free;
	err = -EEXIST;
	if (nd->path.inode || nd->last_type != LAST_NORM)
		goto out_put;
	err = mnt_want_write(nd->parent.mnt);
	if (!err)
		err = may_create(nd->parent.inode);
	if (err)
		goto out_put;
	mode = vfs_prepare_mode(nd->parent.inode, mode, 01777, S_IFDIR);
	err = posix_acl_create(nd->parent.inode, &mode, &ac);
	if (err)
		goto out_put;
	err = vop_mkdir(nd->parent.inode, nd->last, mode, &inode);
	if (err) {
		posix_acl_create_finish(NULL, &ac);
		goto out_put;
	}
	err = posix_acl_create_finish(inode, &ac);
	if (!err)
		fsnotify_dirent(nd->parent.inode, nd->last, inode, IN_CREATE);
	iput(inode);
out_put:
	nd_put(nd);
out_free:
	kfree(nd);
	return err;
}

static long user_mkdirat(int dfd, uptr_t uname, mode_t mode)
{
	char *name = getname(uname);
	long err;

	if (IS_ERR(name))
		return PTR_ERR(name);
	err = do_mkdirat(dfd, name, mode);
	kfree(name);
	return err;
}

SYSCALL(__NR_mkdir, mkdir)(SYSCALL_ARGS)
{
	return user_mkdirat(AT_FDCWD, UPTR(a0), (mode_t)a1);
}

SYSCALL(__NR_mkdirat, mkdirat)(SYSCALL_ARGS)
{
	return user_mkdirat((int)a0, UPTR(a1), (mode_t)a2);
}

/* rmdir relative to @dfd with a kernel @name: 0 or -errno. */
int do_rmdirat(int dfd, const char *name)
{
	struct nameidata *nd = kmalloc(sizeof(*nd));
	int err;

	if (!nd)
		return -ENOMEM;
	err = namei(dfd, name, LOOKUP_CREATE, nd);
	if (err)
		goto out_free;
	switch (nd->last_type) {
	case LAST_DOT:
		err = -EINVAL;
		goto out_put;
	case LAST_DOTDOT:
		err = -ENOTEMPTY;
		goto out_put;
	case LAST_ROOT:
		err = -EBUSY;
		goto out_put;
	case LAST_NORM:
		break;
	}
	err = -ENOENT;
	if (!nd->path.inode)
		goto out_put;
	err = -ENOTDIR;
	if (!S_ISDIR(nd->path.inode->mode))
		goto out_put;
	err = -EBUSY;
	if (nd->path.mnt != nd->parent.mnt ||
	    mnt_is_busy_point(nd->path.mnt, nd->path.inode))
		goto out_put;
	err = mnt_want_write(nd->parent.mnt);
	if (!err)
		err = may_delete(nd->parent.inode, nd->path.inode);
	if (err)
		goto out_put;
	err = vop_rmdir(nd->parent.inode, nd->last);
	if (!err) {
		fsnotify_unlinked(nd->path.inode, 1);
		fsnotify_dirent(nd->parent.inode, nd->last, nd->path.inode,
				IN_DELETE);
	}
out_put:
	nd_put(nd);
out_free:
	kfree(nd);
	return err;
}

SYSCALL(__NR_rmdir, rmdir)(SYSCALL_ARGS)
{
	char *name = getname(UPTR(a0));
	long err;

	if (IS_ERR(name))
		return PTR_ERR(name);
	err = do_rmdirat(AT_FDCWD, name);
	kfree(name);
	return err;
}

/* Replace *@slot (cwd or root) by @p, taking over @p's references. */
static void fs_set_path(struct path *slot, struct path *p)
{
	struct path old = *slot;

	*slot = *p;
	path_put(&old);
}

SYSCALL(__NR_chdir, chdir)(SYSCALL_ARGS)
{
	struct path p;
	long err;

	err = user_path_at(AT_FDCWD, UPTR(a0), LOOKUP_FOLLOW | LOOKUP_DIRECTORY,
			   &p);
	if (err)
		return err;
	err = inode_permission(p.inode, MAY_EXEC);
	if (err) {
		path_put(&p);
		return err;
	}
	fs_set_path(&current_fs()->cwd, &p);
	return 0;
}

SYSCALL(__NR_fchdir, fchdir)(SYSCALL_ARGS)
{
	struct file *f = fd_get((int)a0);
	struct path p;
	long err;

	if (!f)
		return -EBADF;
	if (!S_ISDIR(f->inode->mode) || !f->path.inode)
		err = -ENOTDIR;
	else
		err = inode_permission(f->inode, MAY_EXEC);
	if (!err) {
		p = f->path;
		path_get(&p);
		fs_set_path(&current_fs()->cwd, &p);
	}
	fput(f);
	return err;
}

SYSCALL(__NR_chroot, chroot)(SYSCALL_ARGS)
{
	struct path p;
	long err;

	err = user_path_at(AT_FDCWD, UPTR(a0), LOOKUP_FOLLOW | LOOKUP_DIRECTORY,
			   &p);
	if (err)
		return err;
	err = inode_permission(p.inode, MAY_EXEC);
	if (!err && !capable(CAP_SYS_CHROOT))
		err = -EPERM;
	if (err) {
		path_put(&p);
		return err;
	}
	fs_set_path(&current_fs()->root, &p);
	return 0;
}

/* chdir (@root false) or chroot (@root true) for the kernel: 0 or -errno. */
static int kernel_set_dir(const char *path, bool root)
{
	struct fs_context *fs = current_fs();
	struct path p;
	int err;

	err = path_lookup(AT_FDCWD, path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &p);
	if (err)
		return err;
	fs_set_path(root ? &fs->root : &fs->cwd, &p);
	return 0;
}

/* See include/kernel/vfs.h. */
int kernel_chdir(const char *path)
{
	return kernel_set_dir(path, false);
}

/* See include/kernel/vfs.h. */
int kernel_chroot(const char *path)
{
	return kernel_set_dir(path, true);
}

SYSCALL(__NR_getcwd, getcwd)(SYSCALL_ARGS)
{
	size_t size = (size_t)a1;
	char *buf = kmalloc(PATH_MAX);
	long len;

	if (!buf)
		return -ENOMEM;
	len = cwd_to_string(buf, PATH_MAX);
	if (len >= 0 && (size_t)len + 1 > size)
		len = -ERANGE;
	if (len >= 0) {
		if (copy_to_user(UPTR(a0), buf, len + 1))
			len = -EFAULT;
		else
			len++;
	}
	kfree(buf);
	return len;
}
