/*
 * The wrappers through which ring 1 calls filesystem services and drivers:
 * one per operation, each giving Linux's errno when the operation is
 * missing. Dispatch through the const ops tables happens only here, and
 * every call into a ring-2 service crosses the service boundary here
 * (SVC_CALL, include/kernel/service.h): inside a fault-containment point
 * with the caller's capability in the containing profiles. The others
 * call the implementation directly: the table's pointer is matched against
 * the implementations found at build time (scripts/gen-svc-direct.py), so
 * the call is a direct one the compiler may inline, with no indirect call
 * on the path (scripts/check-direct.sh proves it from the object code).
 *
 * Inode and super-block operations present the super block's token; file
 * operations present it too when the file's ops belong to the service that
 * owns the inode, else (a driver's file on a device node) the driver
 * service's own registration token.
 */
#include <kernel/vfs_ops.h>
#include <platform/console.h>
#include <uapi/errno.h>

static inline struct svc_cap sb_cap(const struct inode *inode)
{
	return inode->sb ? inode->sb->cap : svc_mint(NULL);
}

static inline struct svc_cap file_cap(const struct file *file)
{
	const struct super_block *sb = file->inode ? file->inode->sb : NULL;

	if (sb && sb->type && sb->type->svc == file->fops->svc)
		return sb->cap;
	return svc_mint(file->fops->svc);
}

#if CONFIG_SVC_CONTAIN
#define ICALL(inode, op, ret, ...)					\
	SVC_CALL((inode)->iops->svc, sb_cap(inode), #op, ret,		\
		 (inode)->iops->op(__VA_ARGS__))
#define FCALL(file, op, ret, ...)					\
	SVC_CALL((file)->fops->svc, file_cap(file), #op, ret,		\
		 (file)->fops->op(__VA_ARGS__))
#define FCALL_VOID(file, op, ...)					\
	SVC_CALL_VOID((file)->fops->svc, file_cap(file), #op,		\
		      (file)->fops->op(__VA_ARGS__))
#define SCALL(sb, op, ret, ...)						\
	SVC_CALL((sb)->sops->svc, (sb)->cap, #op, ret,			\
		 (sb)->sops->op(__VA_ARGS__))
#define SCALL_VOID(sb, op, ...)						\
	SVC_CALL_VOID((sb)->sops->svc, (sb)->cap, #op,			\
		      (sb)->sops->op(__VA_ARGS__))
#define TCALL(sb, op, ret, ...)						\
	SVC_CALL((sb)->type->svc, (sb)->cap, #op, ret,			\
		 (sb)->type->op(__VA_ARGS__))
#define TCALL_VOID(sb, op, ...)						\
	SVC_CALL_VOID((sb)->type->svc, (sb)->cap, #op,			\
		      (sb)->type->op(__VA_ARGS__))
#else
#include <kernel/svc_direct.h>
#include "svc_direct_list.h"

#define ICALL(inode, op, ret, ...)					\
	DIRECT(inode_ops, op, (inode)->iops->op, __VA_ARGS__)
#define FCALL(file, op, ret, ...)					\
	DIRECT(file_ops, op, (file)->fops->op, __VA_ARGS__)
#define FCALL_VOID(file, op, ...)					\
	DIRECT_VOID(file_ops, op, (file)->fops->op, __VA_ARGS__)
#define SCALL(sb, op, ret, ...)						\
	DIRECT(super_ops, op, (sb)->sops->op, __VA_ARGS__)
#define SCALL_VOID(sb, op, ...)						\
	DIRECT_VOID(super_ops, op, (sb)->sops->op, __VA_ARGS__)
#define TCALL(sb, op, ret, ...)						\
	DIRECT(fs_type, op, (sb)->type->op, __VA_ARGS__)
#define TCALL_VOID(sb, op, ...)						\
	DIRECT_VOID(fs_type, op, (sb)->type->op, __VA_ARGS__)

void svc_direct_miss(const char *op, const void *fn)
{
	panic("vop %s: %p is no implementation known at build time", op, fn);
}
#endif

int vop_lookup(struct inode *dir, const char *name, struct inode **out)
{
	int ret;

	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	if (!dir->iops || !dir->iops->lookup)
		return -ENOTDIR;
	ICALL(dir, lookup, ret, dir, name, out);
	return ret;
}

/* The parent directory; a filesystem without the op is flat (itself). */
int vop_parent(struct inode *dir, struct inode **out)
{
	int ret;

	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	if (!dir->iops || !dir->iops->parent) {
		iget(dir);
		*out = dir;
		return 0;
	}
	ICALL(dir, parent, ret, dir, out);
	return ret;
}

int vop_mknod(struct inode *dir, const char *name, mode_t mode, dev_t rdev,
	      struct inode **out)
{
	int ret;

	if (!dir->iops || !dir->iops->mknod)
		return -EPERM;
	ICALL(dir, mknod, ret, dir, name, mode, rdev, out);
	return ret;
}

int vop_mkdir(struct inode *dir, const char *name, mode_t mode,
	      struct inode **out)
{
	int ret;

	if (!dir->iops || !dir->iops->mkdir)
		return -EPERM;
	ICALL(dir, mkdir, ret, dir, name, mode, out);
	return ret;
}

int vop_symlink(struct inode *dir, const char *name, const char *target,
		struct inode **out)
{
	int ret;

	if (!dir->iops || !dir->iops->symlink)
		return -EPERM;
	ICALL(dir, symlink, ret, dir, name, target, out);
	return ret;
}

int vop_link(struct inode *dir, const char *name, struct inode *target)
{
	int ret;

	if (!dir->iops || !dir->iops->link)
		return -EPERM;
	ICALL(dir, link, ret, dir, name, target);
	return ret;
}

int vop_unlink(struct inode *dir, const char *name)
{
	int ret;

	if (!dir->iops || !dir->iops->unlink)
		return -EPERM;
	ICALL(dir, unlink, ret, dir, name);
	return ret;
}

int vop_rmdir(struct inode *dir, const char *name)
{
	int ret;

	if (!dir->iops || !dir->iops->rmdir)
		return -EPERM;
	ICALL(dir, rmdir, ret, dir, name);
	return ret;
}

int vop_rename(struct inode *olddir, const char *oldname,
	       struct inode *newdir, const char *newname, unsigned flags)
{
	int ret;

	if (!olddir->iops || !olddir->iops->rename)
		return -EPERM;
	ICALL(olddir, rename, ret, olddir, oldname, newdir, newname, flags);
	return ret;
}

ssize_t vop_readlink(struct inode *inode, char *buf, size_t len)
{
	ssize_t ret;

	if (!S_ISLNK(inode->mode) || !inode->iops || !inode->iops->readlink)
		return -EINVAL;
	ICALL(inode, readlink, ret, inode, buf, len);
	return ret;
}

int vop_setattr(struct inode *inode, const struct iattr *attr)
{
	int ret;

	if (!inode->iops || !inode->iops->setattr)
		return -EPERM;
	ICALL(inode, setattr, ret, inode, attr);
	return ret;
}

int vop_get_page(struct inode *inode, uint64_t pgoff, paddr_t *out)
{
	int ret;

	if (!inode->iops || !inode->iops->get_page)
		return -ENODEV;
	ICALL(inode, get_page, ret, inode, pgoff, out);
	return ret;
}

/* An open op is optional: most files need no set-up. */
int vop_open(struct inode *inode, struct file *file)
{
	int ret;

	if (!file->fops || !file->fops->open)
		return 0;
	FCALL(file, open, ret, inode, file);
	return ret;
}

void vop_release(struct file *file)
{
	if (file->fops && file->fops->release)
		FCALL_VOID(file, release, file);
}

ssize_t vop_read(struct file *file, struct uio *uio, off_t *pos)
{
	ssize_t ret;

	if (!file->fops || !file->fops->read)
		return -EINVAL;
	FCALL(file, read, ret, file, uio, pos);
	return ret;
}

ssize_t vop_write(struct file *file, struct uio *uio, off_t *pos)
{
	ssize_t ret;

	if (!file->fops || !file->fops->write)
		return -EINVAL;
	FCALL(file, write, ret, file, uio, pos);
	return ret;
}

int vop_readdir(struct file *file, struct dir_context *ctx)
{
	int ret;

	if (!file->fops || !file->fops->readdir)
		return -ENOTDIR;
	FCALL(file, readdir, ret, file, ctx);
	return ret;
}

/* A poll that faults or is refused reports an error condition. */
unsigned vop_poll(struct file *file, struct poll_table *pt)
{
	long ret;

	if (!file->fops || !file->fops->poll)
		return POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
	FCALL(file, poll, ret, file, pt);
	return ret < 0 ? POLLERR | POLLHUP : (unsigned)ret;
}

long vop_ioctl(struct file *file, unsigned cmd, uptr_t arg)
{
	long ret;

	if (!file->fops || !file->fops->ioctl)
		return -ENOTTY;
	FCALL(file, ioctl, ret, file, cmd, arg);
	return ret;
}

int vop_fsync(struct file *file)
{
	int ret;

	if (!file->fops || !file->fops->fsync)
		return -EINVAL;
	FCALL(file, fsync, ret, file);
	return ret;
}

/* Let the filesystem free its data for @inode (refcount reached zero). */
void vop_evict(struct inode *inode)
{
	struct super_block *sb = inode->sb;

	if (sb && sb->sops && sb->sops->evict)
		SCALL_VOID(sb, evict, inode);
}

int vop_statfs(struct super_block *sb, struct statfs64 *st)
{
	int ret;

	if (!sb->sops || !sb->sops->statfs)
		return -ENOSYS;
	SCALL(sb, statfs, ret, sb, st);
	return ret;
}

int vop_show_options(struct super_block *sb, char *buf, size_t len)
{
	int ret;

	if (!sb->sops || !sb->sops->show_options) {
		if (!len)
			return -ERANGE;
		buf[0] = '\0';
		return 0;
	}
	SCALL(sb, show_options, ret, sb, buf, len);
	return ret;
}

/* Fill a new super block: the service's mount. @sb->cap is minted first. */
int vop_fill_super(struct super_block *sb, const char *source,
		   const char *options)
{
	int ret;

	sb->cap = svc_mint(sb->type->svc);
	TCALL(sb, fill_super, ret, sb, source, options);
	return ret;
}

void vop_kill_super(struct super_block *sb)
{
	if (sb->type->kill_super)
		TCALL_VOID(sb, kill_super, sb);
}
