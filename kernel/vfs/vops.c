/*
 * The wrappers through which ring 1 calls filesystem services and drivers:
 * one per operation, each giving Linux's errno when the operation is
 * missing. Dispatch through the const ops tables happens only here.
 */
#include <kernel/vfs_ops.h>
#include <uapi/errno.h>

int vop_lookup(struct inode *dir, const char *name, struct inode **out)
{
	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	if (!dir->iops || !dir->iops->lookup)
		return -ENOTDIR;
	return dir->iops->lookup(dir, name, out);
}

/* The parent directory; a filesystem without the op is flat (itself). */
int vop_parent(struct inode *dir, struct inode **out)
{
	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	if (!dir->iops || !dir->iops->parent) {
		iget(dir);
		*out = dir;
		return 0;
	}
	return dir->iops->parent(dir, out);
}

int vop_mknod(struct inode *dir, const char *name, mode_t mode, dev_t rdev,
	      struct inode **out)
{
	if (!dir->iops || !dir->iops->mknod)
		return -EPERM;
	return dir->iops->mknod(dir, name, mode, rdev, out);
}

int vop_mkdir(struct inode *dir, const char *name, mode_t mode,
	      struct inode **out)
{
	if (!dir->iops || !dir->iops->mkdir)
		return -EPERM;
	return dir->iops->mkdir(dir, name, mode, out);
}

int vop_symlink(struct inode *dir, const char *name, const char *target,
		struct inode **out)
{
	if (!dir->iops || !dir->iops->symlink)
		return -EPERM;
	return dir->iops->symlink(dir, name, target, out);
}

int vop_link(struct inode *dir, const char *name, struct inode *target)
{
	if (!dir->iops || !dir->iops->link)
		return -EPERM;
	return dir->iops->link(dir, name, target);
}

int vop_unlink(struct inode *dir, const char *name)
{
	if (!dir->iops || !dir->iops->unlink)
		return -EPERM;
	return dir->iops->unlink(dir, name);
}

int vop_rmdir(struct inode *dir, const char *name)
{
	if (!dir->iops || !dir->iops->rmdir)
		return -EPERM;
	return dir->iops->rmdir(dir, name);
}

int vop_rename(struct inode *olddir, const char *oldname,
	       struct inode *newdir, const char *newname, unsigned flags)
{
	if (!olddir->iops || !olddir->iops->rename)
		return -EPERM;
	return olddir->iops->rename(olddir, oldname, newdir, newname, flags);
}

ssize_t vop_readlink(struct inode *inode, char *buf, size_t len)
{
	if (!S_ISLNK(inode->mode) || !inode->iops || !inode->iops->readlink)
		return -EINVAL;
	return inode->iops->readlink(inode, buf, len);
}

int vop_setattr(struct inode *inode, const struct iattr *attr)
{
	if (!inode->iops || !inode->iops->setattr)
		return -EPERM;
	return inode->iops->setattr(inode, attr);
}

int vop_get_page(struct inode *inode, uint64_t pgoff, paddr_t *out)
{
	if (!inode->iops || !inode->iops->get_page)
		return -ENODEV;
	return inode->iops->get_page(inode, pgoff, out);
}

/* An open op is optional: most files need no set-up. */
int vop_open(struct inode *inode, struct file *file)
{
	if (!file->fops || !file->fops->open)
		return 0;
	return file->fops->open(inode, file);
}

void vop_release(struct file *file)
{
	if (file->fops && file->fops->release)
		file->fops->release(file);
}

ssize_t vop_read(struct file *file, struct uio *uio, off_t *pos)
{
	if (!file->fops || !file->fops->read)
		return -EINVAL;
	return file->fops->read(file, uio, pos);
}

ssize_t vop_write(struct file *file, struct uio *uio, off_t *pos)
{
	if (!file->fops || !file->fops->write)
		return -EINVAL;
	return file->fops->write(file, uio, pos);
}

int vop_readdir(struct file *file, struct dir_context *ctx)
{
	if (!file->fops || !file->fops->readdir)
		return -ENOTDIR;
	return file->fops->readdir(file, ctx);
}

unsigned vop_poll(struct file *file, struct poll_table *pt)
{
	if (!file->fops || !file->fops->poll)
		return POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
	return file->fops->poll(file, pt);
}

long vop_ioctl(struct file *file, unsigned cmd, unsigned long arg)
{
	if (!file->fops || !file->fops->ioctl)
		return -ENOTTY;
	return file->fops->ioctl(file, cmd, arg);
}

int vop_fsync(struct file *file)
{
	if (!file->fops || !file->fops->fsync)
		return -EINVAL;
	return file->fops->fsync(file);
}

/* Let the filesystem free its data for @inode (refcount reached zero). */
void vop_evict(struct inode *inode)
{
	if (inode->sb && inode->sb->sops && inode->sb->sops->evict)
		inode->sb->sops->evict(inode);
}

int vop_statfs(struct super_block *sb, struct statfs64 *st)
{
	if (!sb->sops || !sb->sops->statfs)
		return -ENOSYS;
	return sb->sops->statfs(sb, st);
}

int vop_show_options(struct super_block *sb, char *buf, size_t len)
{
	if (!sb->sops || !sb->sops->show_options) {
		if (!len)
			return -ERANGE;
		buf[0] = '\0';
		return 0;
	}
	return sb->sops->show_options(sb, buf, len);
}
