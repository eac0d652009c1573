/*
 * The mount tree's operations for the rest of kernel/vfs/ (mount.c):
 * filesystem types, mounting and unmounting, and iteration. Procfs sees
 * the tree only through mounts_walk (include/svc/introspect.h).
 */
#pragma once
#include <kernel/vfs.h>
#include <kernel/mnt_ns.h>

/* The registered type called @name, or NULL. */
const struct fs_type *fs_type_find(const char *name);

/*
 * The block device @source names, into *@dev (mount_bdev.c): 0, a path
 * lookup's error, -ENOTBLK (not a block device) or -EACCES (on a nodev
 * mount). Process context.
 */
int lookup_bdev(const char *source, dev_t *dev);

int do_mount_new(const char *type_name, const char *source,
		 const struct path *mp, unsigned mnt_flags, const char *options);
int do_mount_bind(const struct path *src, const struct path *mp,
		  unsigned mnt_flags);
int do_remount(const struct path *p, unsigned mnt_flags, bool bind);
/*
 * Move the mount whose root @src is, with what is mounted below it, onto
 * @mp (MS_MOVE, Linux's do_move_mount): 0; -EINVAL if @src is no mount's
 * root, is the tree's root mount or a detached one, or is a directory
 * where @mp is not (or the reverse); -ELOOP onto itself or below it.
 */
int do_move_mount(const struct path *src, const struct path *mp);
int do_umount(const struct path *p, bool lazy);
int vfs_statfs(const struct path *p, struct statfs64 *st);
/*
 * A new instance of the filesystem @type_name for the kernel's own use,
 * as Linux's kern_mount (memfd's tmpfs, Linux's shm_mnt): a mount in no
 * tree, absent from /proc/mounts, holding one reference for the caller;
 * or an ERR_PTR (-ENODEV, the filesystem's errno). Process context.
 */
struct mount *kern_mount(const char *type_name);

/*
 * Attached mounts in mount order, of every namespace: mnt_next(NULL) is
 * the initial namespace's root mount.
 */
struct mount *mnt_next(struct mount *prev);

/*
 * A copy of the attached mount @m in namespace @ns, added at the end of
 * the table with a new id, of the same super block, root, flags and
 * source, but not yet in any place of the tree (parent and mountpoint
 * unset); NULL when memory is short.
 */
struct mount *mnt_clone(struct mount *m, struct mnt_ns *ns);
/*
 * Detach every mount of @ns, as a lazy unmount of the whole tree: those
 * no path holds are freed now, the others with their last reference.
 */
void mnt_umount_ns(struct mnt_ns *ns);

/* mnt_ns.c: the namespace the caller's mounts are in. */
struct mnt_ns *current_mnt_ns(void);

/* fs_context.c: make @root the root and cwd of the boot context. */
void fs_context_init_root(struct mount *root);
