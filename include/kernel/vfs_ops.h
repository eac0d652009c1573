/*
 * One wrapper per filesystem operation (kernel/vfs/vops.c). Every call
 * from ring 1 into a filesystem service, or into a driver's file_ops,
 * goes through these: they check the protocol and give Linux's errno
 * when a service lacks an operation. Nothing else calls ->iops, ->fops
 * or ->sops directly.
 */
#pragma once
#include <kernel/vfs.h>

/* inode_ops. Each returns 0 or -errno unless noted. */
int vop_lookup(struct inode *dir, const char *name, struct inode **out);
int vop_parent(struct inode *dir, struct inode **out);
int vop_mknod(struct inode *dir, const char *name, mode_t mode, dev_t rdev,
	      struct inode **out);
int vop_mkdir(struct inode *dir, const char *name, mode_t mode,
	      struct inode **out);
int vop_symlink(struct inode *dir, const char *name, const char *target,
		struct inode **out);
int vop_link(struct inode *dir, const char *name, struct inode *target);
int vop_unlink(struct inode *dir, const char *name);
int vop_rmdir(struct inode *dir, const char *name);
/* @flags: 0, RENAME_NOREPLACE (checked by the caller) or RENAME_EXCHANGE. */
int vop_rename(struct inode *olddir, const char *oldname,
	       struct inode *newdir, const char *newname, unsigned flags);
/* The link target (no NUL) into @buf: its length, or -EINVAL if no link. */
ssize_t vop_readlink(struct inode *inode, char *buf, size_t len);
int vop_setattr(struct inode *inode, const struct iattr *attr);
/* Frame of page @pgoff with a reference for the caller (mmap, exec). */
int vop_get_page(struct inode *inode, uint64_t pgoff, paddr_t *out);

/* file_ops. */
int vop_open(struct inode *inode, struct file *file);
void vop_release(struct file *file);
/* Bytes moved (0 at end of file) or -errno; advances *@pos. */
ssize_t vop_read(struct file *file, struct uio *uio, off_t *pos);
ssize_t vop_write(struct file *file, struct uio *uio, off_t *pos);
int vop_readdir(struct file *file, struct dir_context *ctx);
/* Readiness mask; files without a poll op are always ready. */
unsigned vop_poll(struct file *file, struct poll_table *pt);
long vop_ioctl(struct file *file, unsigned cmd, uptr_t arg);
int vop_fsync(struct file *file);

/* super_ops. */
void vop_evict(struct inode *inode);
int vop_statfs(struct super_block *sb, struct statfs64 *st);
/* Options text for /proc/mounts (see super_ops); "" if the fs has none. */
int vop_show_options(struct super_block *sb, char *buf, size_t len);
/* A service's mount and unmount of a super block (fs_type ops). */
int vop_fill_super(struct super_block *sb, const char *source,
		   const char *options);
void vop_kill_super(struct super_block *sb);
