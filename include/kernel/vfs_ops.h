/*
 * The wrappers through which ring 1 calls filesystem services and
 * drivers' file operations (kernel/vfs/vops.c): vop_<op> for every
 * operation of the filesystem interfaces (include/svc/vfs.h, where
 * each is described), with the same parameters and results. They check
 * what the operation needs and give Linux's errno when a service lacks
 * it. Nothing else calls ->iops, ->fops, ->sops or an fs_type's ops.
 */
#pragma once
#include <kernel/vfs.h>
#include <kernel/svc_dispatch.h>

#define inode_ops_wrapper(name)	vop_##name
#define file_ops_wrapper(name)	vop_##name
#define super_ops_wrapper(name)	vop_##name
#define fs_type_wrapper(name)	vop_##name

SVC_WRAPPER_DECLS(INODE_OPS, inode_ops)
SVC_WRAPPER_DECLS(FILE_OPS, file_ops)
SVC_WRAPPER_DECLS(SUPER_OPS, super_ops)
SVC_WRAPPER_DECLS(FS_TYPE_OPS, fs_type)

/*
 * Whether directory @dir's filesystem makes nodes in it (has mknod): an
 * open(O_CREAT) there is EACCES without, as Linux's lookup_open says.
 */
bool vop_can_mknod(const struct inode *dir);
