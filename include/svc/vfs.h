/*
 * The filesystem side of the ring-2 API: the interfaces between the VFS
 * (kernel/vfs/, ring 1) and the filesystem services and drivers of ring
 * 2, and the objects they share. A service provides a fs_type and const
 * ops tables; the kernel calls them only through the wrappers of
 * kernel/vfs/vops.c (one per operation), which is where the safety
 * profile decides dispatch and containment.
 *
 * Locking: the kernel lock (platform/klock.c) keeps kernel code on one
 * CPU at a time and nothing preempts it, so ops run without being
 * interleaved unless they sleep; an op that sleeps must revalidate.
 */
#pragma once
#include <aramid/list.h>
#include <svc/uio.h>
#include <svc/wait.h>
#include <svc/service.h>
#include <svc/iface.h>
#include <uapi/errno.h>
#include <uapi/stat.h>

#define NAME_MAX	255
#define PATH_MAX	4096

struct inode;
struct file;
struct super_block;
struct poll_table;
struct dir_context;
struct statfs64;
struct file_locks;
struct posix_acl;
struct page_cache;

struct timespec64 {
	int64_t sec;
	int64_t nsec;
};

/* Attribute changes for inode_ops.setattr (chmod, chown, truncate, utimes). */
#define ATTR_MODE	0x01
#define ATTR_UID	0x02
#define ATTR_GID	0x04
#define ATTR_SIZE	0x08
#define ATTR_ATIME	0x10
#define ATTR_MTIME	0x20
#define ATTR_CTIME	0x40

struct iattr {
	unsigned valid;		/* ATTR_* */
	mode_t mode;
	uid_t uid;
	gid_t gid;
	off_t size;
	struct timespec64 atime, mtime, ctime;
};

/*
 * The filesystem interfaces (include/svc/iface.h says how to read the
 * lists). Every ops table names the ring-2 service it belongs to (NULL
 * for ring-1 objects such as pipes and ttys), so the wrappers know whose
 * boundary a call crosses. Each returns 0 or -errno unless noted.
 */
#define INODE_OPS(OP, OP_VOID, OP_OWN, I)				\
	/* Find @name (not "." or "..") in @dir: 0 and a new reference. */ \
	OP_OWN(I, int, lookup, dir,					\
	       (struct inode *dir, const char *name, struct inode **out), \
	       (dir, name, out))				\
	/* The parent of directory @dir in its filesystem (root: itself). */ \
	OP_OWN(I, int, parent, dir, (struct inode *dir, struct inode **out), \
	       (dir, out))						\
	/* Create a non-directory node (regular, fifo, device, socket). */ \
	OP(I, int, mknod, dir,						\
	   (struct inode *dir, const char *name, mode_t mode, dev_t rdev, \
	    struct inode **out), (dir, name, mode, rdev, out), -EPERM)	\
	/*								\
	 * Create an unnamed regular file of @mode (type included) in	\
	 * directory @dir, with no link (O_TMPFILE, memfd_create).	\
	 */								\
	OP(I, int, tmpfile, dir,					\
	   (struct inode *dir, mode_t mode, struct inode **out),	\
	   (dir, mode, out), -EOPNOTSUPP)				\
	OP(I, int, mkdir, dir,						\
	   (struct inode *dir, const char *name, mode_t mode,		\
	    struct inode **out), (dir, name, mode, out), -EPERM)	\
	OP(I, int, symlink, dir,					\
	   (struct inode *dir, const char *name, const char *target,	\
	    struct inode **out), (dir, name, target, out), -EPERM)	\
	OP(I, int, link, dir,						\
	   (struct inode *dir, const char *name, struct inode *target),	\
	   (dir, name, target), -EPERM)					\
	OP(I, int, unlink, dir, (struct inode *dir, const char *name),	\
	   (dir, name), -EPERM)						\
	OP(I, int, rmdir, dir, (struct inode *dir, const char *name),	\
	   (dir, name), -EPERM)						\
	/*								\
	 * Move @oldname to @newname, replacing an existing @newname as	\
	 * rename(2) does; with RENAME_EXCHANGE in @flags, swap the two	\
	 * existing entries instead (RENAME_NOREPLACE is checked by the	\
	 * VFS, as are the other rules of renameat2(2)).		\
	 */								\
	OP(I, int, rename, olddir,					\
	   (struct inode *olddir, const char *oldname,			\
	    struct inode *newdir, const char *newname, unsigned flags),	\
	   (olddir, oldname, newdir, newname, flags), -EPERM)		\
	/*								\
	 * A magic link (/proc/PID/fd/N): the task and descriptor whose	\
	 * open file path resolution jumps to instead of walking the	\
	 * link's text (Linux's nd_jump_link), or LINK_FD_EXE, _CWD,	\
	 * _ROOT or _NS_* for /proc/PID/exe, cwd, root or ns/<name>;	\
	 * -EINVAL for an ordinary link.				\
	 */								\
	OP(I, int, link_fd, inode,					\
	   (struct inode *inode, pid_t *pid, int *fd), (inode, pid, fd), \
	   -EINVAL)							\
	/* The link target (no NUL) into @buf: its length; -EINVAL if no link. */ \
	OP_OWN(I, ssize_t, readlink, inode,				\
	       (struct inode *inode, char *buf, size_t len),		\
	       (inode, buf, len))				\
	/* Without it, Linux's simple_setattr: the attributes are copied. */ \
	OP_OWN(I, int, setattr, inode,					\
	       (struct inode *inode, const struct iattr *attr),		\
	       (inode, attr))						\
	/*								\
	 * The frame holding page @pgoff of a regular file, with a	\
	 * reference for the caller (mmap, exec); a hole inside the file \
	 * gets a zero page.						\
	 */								\
	OP(I, int, get_page, inode,					\
	   (struct inode *inode, uint64_t pgoff, paddr_t *out),	\
	   (inode, pgoff, out), -ENODEV)				\
	/*								\
	 * Fault-around for a filesystem with get_page: the frames of	\
	 * pages @pgoff to @pgoff + @n - 1 that the file holds already,	\
	 * each with a reference for the caller, 0 in @out for one it	\
	 * does not (nothing is allocated). Returns 0.			\
	 */								\
	OP(I, int, peek_pages, inode,					\
	   (struct inode *inode, uint64_t pgoff, unsigned n,		\
	    paddr_t *out),						\
	   (inode, pgoff, n, out), -ENODEV)				\
	/*								\
	 * Extended attributes (the VFS has checked the name's length,	\
	 * the flags, the value's size and the caller's permission for	\
	 * the name's namespace). getxattr: the value's length, copied	\
	 * into @buf unless @size is 0; -ENODATA if not set, -ERANGE if \
	 * @size is too small, -EOPNOTSUPP for a namespace the		\
	 * filesystem does not keep.					\
	 */								\
	OP(I, ssize_t, getxattr, inode,					\
	   (struct inode *inode, const char *name, void *buf, size_t size), \
	   (inode, name, buf, size), -EOPNOTSUPP)			\
	/* Set @name to @size bytes at @value; @flags XATTR_CREATE/REPLACE. */ \
	OP(I, int, setxattr, inode,					\
	   (struct inode *inode, const char *name, const void *value,	\
	    size_t size, int flags),					\
	   (inode, name, value, size, flags), -EOPNOTSUPP)		\
	/* Remove @name: 0, -ENODATA if not set, -EOPNOTSUPP. */	\
	OP(I, int, removexattr, inode,					\
	   (struct inode *inode, const char *name),			\
	   (inode, name), -EOPNOTSUPP)					\
	/*								\
	 * The names the caller may see, each NUL-terminated, into @buf	\
	 * unless @size is 0: their total length, or -ERANGE if @size	\
	 * is too small; none (0) without the op.			\
	 */								\
	OP(I, ssize_t, listxattr, inode,				\
	   (struct inode *inode, char *buf, size_t size),		\
	   (inode, buf, size), 0)

#define FILE_OPS(OP, OP_VOID, OP_OWN, I)				\
	/* Set up @file, just opened on @inode; optional. */		\
	OP(I, int, open, file, (struct inode *inode, struct file *file), \
	   (inode, file), 0)						\
	/* The last reference to @file went away. */			\
	OP_VOID(I, release, file, (struct file *file), (file))		\
	/* A descriptor of @file is being closed (Linux's flush). */	\
	OP_VOID(I, flush, file, (struct file *file), (file))		\
	/* Bytes moved (0 at end of file) or -errno; advances *@pos. */	\
	OP(I, ssize_t, read, file,					\
	   (struct file *file, struct uio *uio, off_t *pos),		\
	   (file, uio, pos), -EINVAL)					\
	OP(I, ssize_t, write, file,					\
	   (struct file *file, struct uio *uio, off_t *pos),		\
	   (file, uio, pos), -EINVAL)					\
	/*								\
	 * lseek's SEEK_DATA or SEEK_HOLE (@whence) from @off, which the \
	 * VFS checked is inside the file: the first offset from @off	\
	 * that is data (-ENXIO if none) or in a hole (the size if none: \
	 * the end counts as one). A file without the op is all data.	\
	 */								\
	OP_OWN(I, off_t, seek_data, file,				\
	       (struct file *file, off_t off, int whence),		\
	       (file, off, whence))					\
	/*								\
	 * lseek(2) on a character device: the new position (the VFS	\
	 * stores it in file->pos) or -errno. A device without the op	\
	 * stays at 0, as Linux's memory devices do.			\
	 */								\
	OP(I, off_t, llseek, file,					\
	   (struct file *file, off_t off, int whence),			\
	   (file, off, whence), 0)					\
	/* Emit entries from file->pos on; see struct dir_context. */	\
	OP(I, int, readdir, file,					\
	   (struct file *file, struct dir_context *ctx), (file, ctx),	\
	   -ENOTDIR)							\
	/*								\
	 * Readiness mask (POLLIN...), registering on wait queues with	\
	 * poll_wait; a file without the op is always ready, one whose	\
	 * service fails reports POLLERR | POLLHUP.			\
	 */								\
	OP_OWN(I, unsigned, poll, file,					\
	       (struct file *file, struct poll_table *pt), (file, pt))	\
	OP(I, long, ioctl, file,					\
	   (struct file *file, unsigned cmd, uptr_t arg),	\
	   (file, cmd, arg), -ENOTTY)					\
	OP(I, int, fsync, file, (struct file *file), (file), -EINVAL)	\
	/*								\
	 * fallocate(2) on a regular file: @mode's FALLOC_FL_* flags;	\
	 * the VFS has checked the access mode, the file type and that	\
	 * @offset >= 0, @len > 0 and their sum does not wrap.		\
	 */								\
	OP(I, int, fallocate, file,					\
	   (struct file *file, int mode, off_t offset, off_t len),	\
	   (file, mode, offset, len), -EOPNOTSUPP)

#define SUPER_OPS(OP, OP_VOID, OP_OWN, I)				\
	/* Last reference to @inode dropped: free it if the fs need not keep it. */ \
	OP_VOID(I, evict, inode->sb, (struct inode *inode), (inode))	\
	/*								\
	 * Write out whatever of @sb is not on its device yet and make	\
	 * it durable (sync, syncfs); nothing to do without the op.	\
	 */								\
	OP(I, int, sync_fs, sb, (struct super_block *sb), (sb), 0)	\
	/*								\
	 * @sb is to become read-only (@rdonly) or read-write again	\
	 * (mount -o remount): 0, or -errno to refuse, sb->rdonly	\
	 * unchanged. Nothing to do without the op.			\
	 */								\
	OP(I, int, remount_fs, sb, (struct super_block *sb, bool rdonly), \
	   (sb, rdonly), 0)						\
	/* Without it, Linux's simple_statfs: the magic, a page a block. */ \
	OP_OWN(I, int, statfs, sb,					\
	       (struct super_block *sb, struct statfs64 *st), (sb, st))	\
	/*								\
	 * The filesystem's own mount options for /proc/mounts, each with \
	 * a leading ',' (",size=1024k,mode=755"), NUL-terminated in @buf \
	 * of @len bytes: the length, or -ERANGE; "" without the op.	\
	 */								\
	OP_OWN(I, int, show_options, sb,				\
	       (struct super_block *sb, char *buf, size_t len),		\
	       (sb, buf, len))						\
	/*								\
	 * Export support (Linux's export_operations), for		\
	 * name_to_handle_at and open_by_handle_at. encode_fh: the	\
	 * handle of @inode into @fh, which has room for *@len 32-bit	\
	 * words, setting *@len to the words it takes: its handle type \
	 * (>= 0), or FILEID_INVALID when *@len is too small;		\
	 * -EOPNOTSUPP for a filesystem without export support.	\
	 */								\
	OP(I, int, encode_fh, inode->sb,				\
	   (struct inode *inode, uint32_t *fh, int *len),		\
	   (inode, fh, len), -EOPNOTSUPP)				\
	/*								\
	 * The inode of @sb a handle of @len words at @fh and @type	\
	 * names, with a reference for the caller; -ESTALE if none	\
	 * (deleted, or never of @sb).					\
	 */								\
	OP(I, int, fh_to_inode, sb,					\
	   (struct super_block *sb, const uint32_t *fh, int len, int type, \
	    struct inode **out), (sb, fh, len, type, out), -ESTALE)	\
	/*								\
	 * A name of non-directory @inode, found by a handle, for	\
	 * /proc's links (Linux's exportfs get_name and dentry alias):	\
	 * a directory holding an entry for it (a reference) and the	\
	 * entry's name into @name (NAME_MAX + 1 bytes); -ENOENT if	\
	 * none (unlinked).						\
	 */								\
	OP(I, int, get_name, inode->sb,					\
	   (struct inode *inode, struct inode **dir, char *name),	\
	   (inode, dir, name), -ENOENT)

#define FS_TYPE_OPS(OP, OP_VOID, OP_OWN, I)				\
	/*								\
	 * Fill in @sb (root, ops, priv) for a new mount; @sb->cap is	\
	 * minted before, and for an FS_REQUIRES_DEV type @sb->dev is	\
	 * the block device the source names (include/svc/blkdev.h).	\
	 */								\
	OP(I, int, fill_super, sb,					\
	   (struct super_block *sb, const char *source, const char *options), \
	   (sb, source, options), -ENODEV)				\
	/* Tear down @sb after its last mount went away. */		\
	OP_VOID(I, kill_super, sb, (struct super_block *sb), (sb))

SVC_OPS_TYPES(INODE_OPS, inode_ops)
SVC_OPS_TYPES(FILE_OPS, file_ops)
SVC_OPS_TYPES(SUPER_OPS, super_ops)
SVC_OPS_TYPES(FS_TYPE_OPS, fs_type)

struct inode_ops {
	struct service *svc;
	SVC_OPS_MEMBERS(INODE_OPS, inode_ops)
};

struct file_ops {
	struct service *svc;
	SVC_OPS_MEMBERS(FILE_OPS, file_ops)
};

struct super_ops {
	struct service *svc;
	SVC_OPS_MEMBERS(SUPER_OPS, super_ops)
};

struct inode {
	ino_t ino;
	mode_t mode;
	uid_t uid;
	gid_t gid;
	uint32_t nlink;
	off_t size;
	dev_t rdev;
	uint64_t blocks;	/* 512-byte blocks */
	struct timespec64 atime, mtime, ctime;
	int refcount;
	struct super_block *sb;
	const struct inode_ops *iops;
	const struct file_ops *fops;
	void *priv;		/* the service's own data */
	struct list_head sb_link; /* service's use */
	/*
	 * Set by the filesystem once its iget can find this inode again
	 * (Linux's hashed inode): at the last reference, while it has links
	 * and its super block is live, the inode and its cached pages stay
	 * on ring 1's unused list (kernel/vfs/inode_unused.c) instead of
	 * being evicted, and iget takes it back. Unset: evicted at once.
	 */
	bool keep_unused;
	struct list_head unused;	/* ring 1's: that list, while on it */
	/*
	 * Ring 1's: open files writing the inode (> 0), or running images
	 * that forbid writing it (< 0): kernel/vfs/write_access.c.
	 */
	int writecount;
	/* Ring 1's: open files only reading it (Linux's i_readcount). */
	int readcount;
	/*
	 * A process (thread-group id) that passes every access check on
	 * this inode whatever its mode, as Linux's proc_fd_permission lets
	 * a process into its own /proc/PID/fd; 0 for none. Set by the
	 * filesystem when it makes the inode; ring 1 reads it.
	 */
	pid_t owner_tgid;
	/*
	 * The process a /proc/PID directory stands for (Linux's proc_pid of
	 * it): pidfd_send_signal takes such a directory's descriptor for a
	 * pidfd. 0 for every other inode. Set by procfs.
	 */
	pid_t proc_tgid;
	/*
	 * That process's start time (task.start_ns), so that a later
	 * process given the same pid is not taken for it. Set by procfs.
	 */
	uint64_t proc_start_ns;
	struct file_locks *locks; /* ring 1's (kernel/vfs/file_lock.c) */
	/* Ring 1's: inotify watches, each holding a reference (inotify.c). */
	int watchers;
	/*
	 * Ring 1's: the F_SEAL_* seals (kernel/vfs/file_seal.c; only files
	 * of an FS_SEALS type take more than F_SEAL_SEAL), and whether an
	 * unlinked O_TMPFILE inode may be linked (Linux's I_LINKABLE).
	 */
	unsigned seals;
	bool linkable;
	/*
	 * Ring 1's: the POSIX ACLs (access, default) parsed from the
	 * filesystem's system.posix_acl_* attributes, each valid once its
	 * bit (1 << type) is in acls_cached (kernel/vfs/acl_inode.c).
	 */
	struct posix_acl *acls[2];
	unsigned char acls_cached;
	/*
	 * Ring 1's: the pages of a regular file of an FS_PAGE_CACHE type
	 * read for mmap and exec (kernel/mm/page_cache.c), or NULL.
	 */
	struct page_cache *cache;
};

/* inode_ops.link_fd's descriptors for the other magic links of a task: */
#define LINK_FD_EXE	(-1)	/* /proc/PID/exe: its executable */
#define LINK_FD_CWD	(-2)	/* /proc/PID/cwd: its working directory */
#define LINK_FD_ROOT	(-3)	/* /proc/PID/root: its root directory */
#define LINK_FD_NS_UTS	(-4)	/* /proc/PID/ns/uts: its UTS namespace */
#define LINK_FD_NS_MNT	(-5)	/* /proc/PID/ns/mnt: its mount namespace */
#define LINK_FD_NS_PID	(-6)	/* /proc/PID/ns/pid: its pid's namespace */
#define LINK_FD_NS_PID_CHILDREN (-7)	/* .../pid_for_children */
#define LINK_FD_NS_IPC	(-9)	/* /proc/PID/ns/ipc: its IPC namespace */
#define LINK_FD_NS_TIME	(-10)	/* /proc/PID/ns/time: its time namespace */
#define LINK_FD_NS_TIME_CHILDREN (-11)	/* .../time_for_children */
#define LINK_FD_NS_USER	(-8)	/* /proc/PID/ns/user: its user namespace */

/* encode_fh's type for a handle that did not fit (Linux's FILEID_INVALID). */
#define FILEID_INVALID	255

#define FS_REQUIRES_DEV	0x1	/* mount needs a block device source */
#define FS_SEALS	0x2	/* its files take seals (Linux's shmem) */
#define FS_FILE_DATA	0x4	/* regular files hold data: RLIMIT_FSIZE
				 * applies (Linux's generic_write_checks) */
#define FS_POSIX_ACL	0x8	/* stores system.posix_acl_* attributes,
				 * which ring 1 enforces (SB_POSIXACL) */
#define FS_RDONLY	0x10	/* mounts only read-only: a mount without
				 * MS_RDONLY, or a remount read-write,
				 * is EROFS */
#define FS_DIRECT_IO	0x40	/* its regular files take O_DIRECT
				 * (Linux's FMODE_CAN_ODIRECT) */
#define FS_SINGLE	0x80	/* one super block for the kernel's own
				 * mount (kern_mount) and every mount of
				 * the type in the caller's context, which
				 * its single_sb names (Linux's
				 * get_tree_keyed, as mqueue's super block
				 * of each IPC namespace) */
#define FS_PAGE_CACHE	0x100	/* its regular files, which have a read
				 * op and no get_page, are mapped (mmap,
				 * exec) through ring 1's page cache,
				 * filled by that read op and written
				 * back by its write op (which must not
				 * depend on the file's access mode) */
#define FS_NO_NEGATIVE	0x20	/* a name its lookup does not find is
				 * ENOENT to create too (Linux's procfs
				 * lookups fail, leaving no negative
				 * dentry) */

struct fs_type {
	struct service *svc;	/* the service behind it (registered with it) */
	const char *name;
	unsigned flags;
	/*
	 * FS_SINGLE: the caller's super block of the type, if one lives
	 * (no reference), or NULL; its fill_super records a new one where
	 * this finds it and its kill_super forgets it. Ring 1's types only.
	 */
	struct super_block *(*single_sb)(void);
	SVC_OPS_MEMBERS(FS_TYPE_OPS, fs_type)
};

struct super_block {
	const struct fs_type *type;
	const struct super_ops *sops;
	struct inode *root;
	dev_t dev;
	uint64_t magic;		/* f_type for statfs */
	struct svc_cap cap;	/* presented on every call into the service */
	void *priv;
	int refcount;		/* mounts of this sb */
	/*
	 * Ring 1's: mounted or remounted read-only (Linux's SB_RDONLY);
	 * every mount of it is read-only then, a bind mount too.
	 */
	bool rdonly;
	/*
	 * Ring 1's: filled and not yet going away (Linux's SB_ACTIVE); only
	 * then are its unused inodes kept (inode->keep_unused).
	 */
	bool active;
};

/*
 * Register a filesystem type (from its service's SERVICE_INIT function):
 * 0, -EBUSY if the name is taken, -ENOSPC if the registry is full.
 */
int register_filesystem(const struct fs_type *type);
/*
 * Register the type the root of the tree is made of at boot (not
 * mountable by name, not in /proc/filesystems): 0, or -EBUSY.
 */
int register_rootfs(const struct fs_type *type);

/* Inode life cycle (kernel/vfs/inode.c). */
struct inode *inode_new(struct super_block *sb);	/* refcount 1 */
/*
 * Take a reference to @inode: one held already, or one on the unused
 * list (refcount 0), which leaves it (a filesystem's iget finding it).
 */
void iget(struct inode *inode);
/*
 * Drop a reference. At the last one an inode the filesystem keeps
 * (keep_unused) that still has links on a live super block goes on the
 * unused list with its pages; any other is evicted (super_ops.evict).
 */
void iput(struct inode *inode);
/*
 * Apply the mode, owner and time changes of @attr to @inode (Linux's
 * setattr_copy): what a setattr op does once it has handled ATTR_SIZE.
 */
void inode_copy_attr(struct inode *inode, const struct iattr *attr);
/*
 * Give @inode, new in directory @dir (NULL for a filesystem's root), the
 * calling task's owner and @mode (type and permission bits, as the VFS
 * passed them to the op): its filesystem uid, and its filesystem gid or
 * the group of a set-group-id @dir, whose S_ISGID a new directory
 * inherits (Linux's inode_init_owner). Every filesystem that creates
 * inodes for mknod, mkdir, symlink or tmpfile calls it.
 */
void inode_init_owner(struct inode *inode, const struct inode *dir,
		      mode_t mode);
/* Unique inode number and device number allocation. */
ino_t inode_next_ino(void);
dev_t anon_dev_alloc(void);
struct timespec64 current_time(void);

/* Poll support (kernel/vfs/poll.c). */
#define POLLIN		0x001
#define POLLPRI		0x002
#define POLLOUT		0x004
#define POLLERR		0x008
#define POLLHUP		0x010
#define POLLNVAL	0x020
#define POLLRDNORM	0x040
#define POLLRDBAND	0x080
#define POLLWRNORM	0x100
#define POLLWRBAND	0x200
#define POLLMSG		0x400
#define POLLRDHUP	0x2000

/* Register the caller to be woken by @wq while it polls (NULL pt: no-op). */
void poll_wait(struct file *file, struct wait_queue *wq, struct poll_table *pt);

/* Directory iteration: an op calls emit() for each entry from ctx->pos. */
struct dir_context {
	/* Returns false when the caller's buffer is full: stop, keep pos. */
	bool (*emit)(struct dir_context *ctx, const char *name, size_t len,
		     ino_t ino, unsigned type);
	off_t pos;		/* the op advances it past each emitted entry */
};

/* d_type values. */
#define DT_UNKNOWN	0
#define DT_FIFO		1
#define DT_CHR		2
#define DT_DIR		4
#define DT_BLK		6
#define DT_REG		8
#define DT_LNK		10
#define DT_SOCK		12
#define IFTODT(mode)	(((mode) & S_IFMT) >> 12)

/* Open files (kernel/vfs/file.c). */
struct mount;

struct path {
	struct mount *mnt;
	struct inode *inode;
};

struct file_name;

struct file {
	int refcount;
	unsigned flags;		/* O_* status flags (O_APPEND, O_NONBLOCK...) */
	unsigned mode;		/* FMODE_READ | FMODE_WRITE */
	off_t pos;
	struct path path;	/* for /proc/pid/fd and fchdir */
	/*
	 * The directory and name a non-directory was opened by (NULL for
	 * directories, which are named by walking up, and anonymous files);
	 * kept on a list so rename can follow it (kernel/vfs/file_name.c).
	 */
	struct file_name *name;
	struct list_head named;
	struct inode *inode;
	const struct file_ops *fops;
	void *priv;		/* the opener's own data (pipe, tty...) */
	/* The epoll registrations watching this file (kernel/event/). */
	struct list_head epitems;
	/*
	 * Ring 1's: who gets this file's I/O signals (F_SETOWN, F_SETSIG,
	 * O_ASYNC: kernel/vfs/fasync.c); NULL until one is set.
	 */
	struct fown *fown;
	/*
	 * Ring 1's: read-ahead through the page cache (kernel/mm/
	 * page_cache.c): the first page past the last window read, and
	 * that window's size in pages (0: none yet).
	 */
	uint64_t ra_next;
	unsigned ra_pages;
};

#define FMODE_READ	0x1
#define FMODE_WRITE	0x2
#define FMODE_WRITER	0x4	/* counted in inode->writecount */
#define FMODE_HUNG_UP	0x8	/* a terminal file after a hangup (kernel/tty) */
#define FMODE_NO_LSEEK	0x10	/* lseek is ESPIPE, as Linux's no_llseek;
				 * pread and pwrite still work */
#define FMODE_READER	0x40	/* counted in inode->readcount */
#define FMODE_READ_EMPTY 0x20	/* a read of 0 bytes reaches the read op,
				 * as Linux's vfs_read passes every count
				 * on (a device that reads whole words
				 * says EINVAL); else it reads nothing */

void path_get(const struct path *p);
void path_put(const struct path *p);

/* A file on @inode with @flags (O_ACCMODE and status flags), refcount 1. */
struct file *file_alloc(struct inode *inode, const struct path *path,
			unsigned flags);
void fget(struct file *f);
void fput(struct file *f);

/* Character devices: drivers register their file_ops by major number. */
#define MKDEV(ma, mi)	(((dev_t)(ma) << 8) | (mi))
#define MAJOR(d)	((unsigned)((d) >> 8) & 0xfff)
#define MINOR(d)	((unsigned)(d) & 0xff)
int register_chrdev(unsigned major, const char *const *names,
		    const struct file_ops *fops);
/* The ops for device @rdev, or NULL. */
const struct file_ops *chrdev_ops(dev_t rdev);
