/*
 * Direct dispatch, for the profiles without a service boundary
 * (performance, ludicrous): the prototype of each operation, used by the
 * list that scripts/gen-svc-direct.py generates from the ops tables, so
 * that the boundary wrappers (kernel/vfs/vops.c, kernel/net/sops.c, ...)
 * can turn an ops-table pointer into a direct call the compiler may
 * inline, and the macros that do it.
 */
#pragma once
#include <kernel/vfs.h>
#include <kernel/net_service.h>

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
	long fn(struct file *, unsigned, uptr_t)
#define SVC_PROTO_file_ops_fsync(fn) int fn(struct file *)
#define SVC_PROTO_super_ops_evict(fn) void fn(struct inode *)
#define SVC_PROTO_super_ops_statfs(fn) \
	int fn(struct super_block *, struct statfs64 *)
#define SVC_PROTO_super_ops_show_options(fn) \
	int fn(struct super_block *, char *, size_t)
#define SVC_PROTO_fs_type_fill_super(fn) \
	int fn(struct super_block *, const char *, const char *)
#define SVC_PROTO_fs_type_kill_super(fn) void fn(struct super_block *)

#define SVC_PROTO_proto_ops_release(fn) void fn(struct socket *)
#define SVC_PROTO_proto_ops_bind(fn) int fn(struct socket *, const void *, int)
#define SVC_PROTO_proto_ops_connect(fn) \
	int fn(struct socket *, const void *, int, bool)
#define SVC_PROTO_proto_ops_socketpair(fn) \
	int fn(struct socket *, struct socket *)
#define SVC_PROTO_proto_ops_listen(fn) int fn(struct socket *, int)
#define SVC_PROTO_proto_ops_accept(fn) \
	int fn(struct socket *, struct socket *, bool)
#define SVC_PROTO_proto_ops_getname(fn) int fn(struct socket *, void *, bool)
#define SVC_PROTO_proto_ops_shutdown(fn) int fn(struct socket *, int)
#define SVC_PROTO_proto_ops_sendmsg(fn) \
	ssize_t fn(struct socket *, struct sock_msg *)
#define SVC_PROTO_proto_ops_recvmsg(fn) \
	ssize_t fn(struct socket *, struct sock_msg *)
#define SVC_PROTO_proto_ops_poll(fn) \
	unsigned fn(struct socket *, struct file *, struct poll_table *)
#define SVC_PROTO_proto_ops_setsockopt(fn) \
	int fn(struct socket *, int, int, const void *, int)
#define SVC_PROTO_proto_ops_getsockopt(fn) \
	int fn(struct socket *, int, int, void *, int *)
#define SVC_PROTO_proto_ops_ioctl(fn) long fn(struct socket *, unsigned, uptr_t)
#define SVC_PROTO_net_service_ops_create(fn) \
	int fn(struct socket *, int, int, int)
#define SVC_PROTO_net_service_ops_poll(fn) long fn(void)
#define SVC_PROTO_net_service_ops_if_ioctl(fn) int fn(unsigned, void *)
#define SVC_PROTO_net_service_ops_if_conf(fn) int fn(void *, int)
#define SVC_PROTO_net_service_ops_route_ioctl(fn) \
	int fn(unsigned, const void *)
#define SVC_PROTO_net_service_ops_proc_show(fn) \
	ssize_t fn(const char *, char *, size_t)

/* No implementation in the list: a table the generator did not see. */
__noreturn void svc_direct_miss(const char *op, const void *fn);

/*
 * In a wrapper function: call @ptr, an operation @op of ops-table @kind,
 * as the implementation it is, directly, and return its value from the
 * wrapper (DIRECT_VOID: return). A pointer not in the generated list
 * ends in svc_direct_miss.
 */
#define DIRECT(kind, op, ptr, ...)					\
	do {								\
		__typeof__(ptr) __p = (ptr);				\
		SVC_IMPLS_##kind##_##op(DIRECT_TRY, (__VA_ARGS__))	\
		svc_direct_miss(#op, (const void *)__p);		\
	} while (0)
#define DIRECT_TRY(fn, args)	if (__p == (fn)) return (fn) args;
#define DIRECT_VOID(kind, op, ptr, ...)					\
	do {								\
		__typeof__(ptr) __p = (ptr);				\
		SVC_IMPLS_##kind##_##op(DIRECT_TRY_VOID, (__VA_ARGS__))	\
		svc_direct_miss(#op, (const void *)__p);		\
	} while (0)
#define DIRECT_TRY_VOID(fn, args) if (__p == (fn)) { (fn) args; return; }
