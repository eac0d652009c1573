/*
 * Direct dispatch, for the profiles without a service boundary
 * (performance, ludicrous): the prototype of each operation, used by the
 * list that scripts/gen-svc-direct.py generates from the ops tables, so
 * that kernel/vfs/vops.c can turn an ops-table pointer into a direct call
 * the compiler may inline.
 */
#pragma once
#include <kernel/vfs.h>

#define SVC_PROTO_inode_ops_lookup(fn) \
	int fn(struct inode *, const char *, struct inode **)
#define SVC_PROTO_inode_ops_parent(fn) int fn(struct inode *, struct inode **)
#define SVC_PROTO_inode_ops_mknod(fn) \
	int fn(struct inode *, const char *, mode_t, dev_t, struct inode **)
#define SVC_PROTO_inode_ops_mkdir(fn) \
	int fn(struct inode *, const char *, mode_t, struct inode **)
#define SVC_PROTO_inode_ops_symlink(fn) \
	int fn(struct inode *, const char *, const char *, struct inode **)
#define SVC_PROTO_inode_ops_link(fn) \
	int fn(struct inode *, const char *, struct inode *)
#define SVC_PROTO_inode_ops_unlink(fn) int fn(struct inode *, const char *)
#define SVC_PROTO_inode_ops_rmdir(fn) int fn(struct inode *, const char *)
#define SVC_PROTO_inode_ops_rename(fn) \
	int fn(struct inode *, const char *, struct inode *, const char *, unsigned)
#define SVC_PROTO_inode_ops_readlink(fn) \
	ssize_t fn(struct inode *, char *, size_t)
#define SVC_PROTO_inode_ops_setattr(fn) \
	int fn(struct inode *, const struct iattr *)
#define SVC_PROTO_inode_ops_get_page(fn) \
	int fn(struct inode *, uint64_t, paddr_t *)
#define SVC_PROTO_file_ops_open(fn) int fn(struct inode *, struct file *)
#define SVC_PROTO_file_ops_release(fn) void fn(struct file *)
#define SVC_PROTO_file_ops_read(fn) \
	ssize_t fn(struct file *, struct uio *, off_t *)
#define SVC_PROTO_file_ops_write(fn) \
	ssize_t fn(struct file *, struct uio *, off_t *)
#define SVC_PROTO_file_ops_readdir(fn) \
	int fn(struct file *, struct dir_context *)
#define SVC_PROTO_file_ops_poll(fn) \
	unsigned fn(struct file *, struct poll_table *)
#define SVC_PROTO_file_ops_ioctl(fn) \
	long fn(struct file *, unsigned, unsigned long)
#define SVC_PROTO_file_ops_fsync(fn) int fn(struct file *)
#define SVC_PROTO_super_ops_evict(fn) void fn(struct inode *)
#define SVC_PROTO_super_ops_statfs(fn) \
	int fn(struct super_block *, struct statfs64 *)
#define SVC_PROTO_super_ops_show_options(fn) \
	int fn(struct super_block *, char *, size_t)
#define SVC_PROTO_fs_type_fill_super(fn) \
	int fn(struct super_block *, const char *, const char *)
#define SVC_PROTO_fs_type_kill_super(fn) void fn(struct super_block *)

/* No implementation in the list: a table the generator did not see. */
__noreturn void svc_direct_miss(const char *op, const void *fn);
