/*
 * The wrappers through which ring 1 calls filesystem services and
 * drivers (include/kernel/vfs_ops.h): generated from the interface lists
 * of include/svc/vfs.h, with the few whose rules a list entry cannot
 * say written out below. Every call into a ring-2 service crosses the
 * service boundary here (include/kernel/svc_dispatch.h decides how, by
 * profile).
 *
 * Inode and super-block operations present the super block's token; file
 * operations present it too when the file's ops belong to the service that
 * owns the inode, else (a driver's file on a device node) the driver
 * service's own registration token.
 */
#include <kernel/vfs_ops.h>
#include <platform/frame.h>
#include <platform/panic.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>

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

#define inode_ops_table(inode)	((inode)->iops)
#define inode_ops_cap(inode)	sb_cap(inode)
#define file_ops_table(file)	((file)->fops)
#define file_ops_cap(file)	file_cap(file)
#define super_ops_table(sb)	((sb) ? (sb)->sops : NULL)
#define super_ops_cap(sb)	((sb)->cap)
#define fs_type_table(sb)	((sb)->type)
#define fs_type_cap(sb)		((sb)->cap)

SVC_WRAPPERS(INODE_OPS, inode_ops)
SVC_WRAPPERS(FILE_OPS, file_ops)
SVC_WRAPPERS(SUPER_OPS, super_ops)
SVC_WRAPPERS(FS_TYPE_OPS, fs_type)

#if !CONFIG_SVC_CONTAIN
void svc_direct_miss(const char *iface, const char *op, const void *fn)
{
	panic("%s.%s: %p is no implementation known at build time", iface,
	      op, fn);
}
#endif

/* See vfs_ops.h. */
bool vop_can_mknod(const struct inode *dir)
{
	return dir->iops && dir->iops->mknod;
}

/* Only a directory has entries to look up. */
int vop_lookup(struct inode *dir, const char *name, struct inode **out)
{
	int ret;

	if (!S_ISDIR(dir->mode) || !dir->iops || !dir->iops->lookup)
		return -ENOTDIR;
	SVC_DISPATCH(inode_ops, lookup, dir->iops, sb_cap(dir), ret,
		     (dir, name, out));
	return ret;
}

/* A filesystem without the op is flat: a directory is its own parent. */
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
	SVC_DISPATCH(inode_ops, parent, dir->iops, sb_cap(dir), ret,
		     (dir, out));
	return ret;
}

/* Only a symbolic link has a target. */
ssize_t vop_readlink(struct inode *inode, char *buf, size_t len)
{
	ssize_t ret;

	if (!S_ISLNK(inode->mode) || !inode->iops || !inode->iops->readlink)
		return -EINVAL;
	SVC_DISPATCH(inode_ops, readlink, inode->iops, sb_cap(inode), ret,
		     (inode, buf, len));
	return ret;
}

/* A poll that faults or is refused reports an error condition. */
unsigned vop_poll(struct file *file, struct poll_table *pt)
{
	long ret;

	if (!file->fops || !file->fops->poll)
		return POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
	SVC_DISPATCH(file_ops, poll, file->fops, file_cap(file), ret,
		     (file, pt));
	return ret < 0 ? POLLERR | POLLHUP : (unsigned)ret;
}

/* A file without the op is all data, with the end of the file its hole. */
off_t vop_seek_data(struct file *file, off_t off, int whence)
{
	off_t ret;

	if (!file->fops || !file->fops->seek_data)
		return whence == SEEK_DATA ? off : file->inode->size;
	SVC_DISPATCH(file_ops, seek_data, file->fops, file_cap(file), ret,
		     (file, off, whence));
	return ret;
}

/* An inode whose filesystem keeps no attributes of its own (a pipe,
 * a socket, an anonymous inode) takes them as Linux's simple_setattr. */
int vop_setattr(struct inode *inode, const struct iattr *attr)
{
	int ret;

	if (!inode->iops || !inode->iops->setattr) {
		if (attr->valid & ATTR_SIZE)
			return -EPERM;	/* no data to cut */
		inode_copy_attr(inode, attr);
		return 0;
	}
	SVC_DISPATCH(inode_ops, setattr, inode->iops, sb_cap(inode), ret,
		     (inode, attr));
	return ret;
}

/* A pseudo filesystem (pipes, sockets, anonymous inodes) as Linux's
 * simple_statfs fills it: its magic, page-sized blocks, NAME_MAX. */
int vop_statfs(struct super_block *sb, struct statfs64 *st)
{
	int ret;

	if (!sb->sops || !sb->sops->statfs) {
		st->f_type = sb->magic;
		st->f_bsize = PAGE_SIZE;
		st->f_frsize = PAGE_SIZE;
		st->f_namelen = NAME_MAX;
		return 0;
	}
	SVC_DISPATCH(super_ops, statfs, sb->sops, sb->cap, ret, (sb, st));
	return ret;
}

/* A filesystem without options shows none. */
int vop_show_options(struct super_block *sb, char *buf, size_t len)
{
	int ret;

	if (!sb->sops || !sb->sops->show_options) {
		if (!len)
			return -ERANGE;
		buf[0] = '\0';
		return 0;
	}
	SVC_DISPATCH(super_ops, show_options, sb->sops, sb->cap, ret,
		     (sb, buf, len));
	return ret;
}
