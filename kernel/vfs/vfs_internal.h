/*
 * Private interfaces between the files of kernel/vfs/: the mount tree,
 * path resolution, descriptor tables and helpers shared by the system
 * calls. Nothing outside kernel/vfs/ should need this header.
 */
#pragma once
#include <kernel/vfs.h>
#include <kernel/vfs_ops.h>
#include <uapi/fcntl.h>
#include <uapi/mount.h>

/* A mounted filesystem: @root of @sb, attached at @mountpoint of @parent. */
struct mount {
	struct mount *parent;		/* NULL for the root of the tree */
	struct inode *mountpoint;	/* in parent; holds a reference */
	struct super_block *sb;		/* holds one sb->refcount */
	struct inode *root;		/* holds a reference */
	unsigned flags;			/* MNT_* below */
	int id;				/* unique, from 1: /proc/<pid>/mountinfo */
	char *source;			/* as given to mount(2), or "none" */
	int refcount;			/* struct path references */
	struct list_head link;		/* all mounts */
	struct mnt_ns *ns;		/* the namespace whose tree it is in;
					 * NULL for the kernel's own */
};

#define MNT_READONLY	0x1
#define MNT_NOSUID	0x2
#define MNT_NODEV	0x4
#define MNT_NOEXEC	0x8
#define MNT_NOATIME	0x10
#define MNT_RELATIME	0x20		/* the default for mount(2) */
#define MNT_DETACHED	0x100		/* lazily unmounted, freed at refcount 0 */

/*
 * Free @inode, whose last reference went (refcount 0, on no unused
 * list): its cached pages, the filesystem's data (super_ops.evict) and
 * its ACLs (inode.c). Process context; the evict op may sleep.
 */
void inode_evict(struct inode *inode);
/*
 * The unused list (inode_unused.c): @inode, just at refcount 0, goes on
 * at the young end (the oldest beyond the cap evicted); del takes it
 * off for iget. Kernel lock; add may evict (see inode_unused_prune).
 */
void inode_unused_add(struct inode *inode);
void inode_unused_del(struct inode *inode);

/* Mount tree (mount.c). */
void mnt_get(struct mount *m);
void mnt_put(struct mount *m);
/* The mount stacked on @inode of @parent, or NULL. No reference taken. */
struct mount *mnt_lookup_child(struct mount *parent, struct inode *inode);
bool mnt_has_children(struct mount *m);
/* True if @inode of @m has something mounted on it or is a mount root. */
bool mnt_is_busy_point(struct mount *m, struct inode *inode);
/* 0, or -EROFS if @m (may be NULL) is read-only. */
int mnt_want_write(struct mount *m);
/* The root of the mount tree, set by vfs_init. */
extern struct mount *root_mount;

/*
 * The name of directory @dir within its own filesystem ("/" for its
 * root), as path_to_string returns names (fs_context.c): the root column
 * of /proc/<pid>/mountinfo for a bind mount.
 */
int dir_name_in_fs(struct inode *dir, char *buf, size_t len);
/*
 * As path_to_string, but -ENOENT for a directory the caller's root is
 * not above (fs_context.c): how /proc/mounts leaves out, as Linux's
 * seq_path_root, the mounts outside a chroot.
 */
int path_to_string_within(const struct path *p, char *buf, size_t len);

/*
 * Whether @f may have O_DIRECT (file.c): a block device, or a regular
 * file of a filesystem that does direct I/O (FS_DIRECT_IO); Linux gives
 * EINVAL to open or F_SETFL anything else with it.
 */
bool file_can_direct_io(const struct file *f);

/* Path resolution (namei.c). */
#define LOOKUP_FOLLOW		0x1	/* follow a final symlink */
#define LOOKUP_DIRECTORY	0x2	/* the result must be a directory */
#define LOOKUP_EMPTY		0x4	/* "" means the dirfd itself */
#define LOOKUP_CREATE		0x8	/* a missing last component is fine */
#define LOOKUP_ANY_NEGATIVE	0x400	/* ... even on FS_NO_NEGATIVE, whose
					 * caller judges it (renameat2 asks
					 * about the mounts first) */
/* openat2's RESOLVE_* (Linux's LOOKUP_NO_XDEV...): */
#define LOOKUP_NO_XDEV		0x10	/* crossing a mount: EXDEV */
#define LOOKUP_NO_MAGICLINKS	0x20	/* a magic link: ELOOP */
#define LOOKUP_NO_SYMLINKS	0x40	/* any symlink followed: ELOOP */
#define LOOKUP_BENEATH		0x80	/* leaving the dirfd's tree: EXDEV */
#define LOOKUP_IN_ROOT		0x100	/* the dirfd is "/" (and ".." stops) */
#define LOOKUP_MOUNTPOINT	0x200	/* end on what is mounted on the result,
					 * "/" and "." too (umount) */
#define LOOKUP_SCOPED		(LOOKUP_BENEATH | LOOKUP_IN_ROOT)

/*
 * How a changed inode was reached, for the event hooks (inotify names
 * it by it): entry @name of directory @dir; @dir NULL if unknown.
 */
struct entry_name {
	struct inode *dir;
	const char *name;
};

enum last_type { LAST_NORM, LAST_DOT, LAST_DOTDOT, LAST_ROOT };

struct nameidata {
	struct path parent;		/* directory holding the last component */
	struct path path;		/* the result; inode NULL if missing */
	char last[NAME_MAX + 1];
	enum last_type last_type;
	bool trailing_slash;		/* the name ended in '/' */
	/* The open file a final magic link stood for (a reference), or NULL. */
	struct file *magic;
};

/*
 * Resolve @name (kernel memory) relative to @dfd. On 0, nd->parent and
 * nd->path hold references (nd->path.inode is NULL only for a missing
 * last component under LOOKUP_CREATE); release them with nd_put().
 */
int namei(int dfd, const char *name, unsigned flags, struct nameidata *nd);
void nd_put(struct nameidata *nd);
/* Resolve to a single path (references) without the parent. */
int path_lookup(int dfd, const char *name, unsigned flags, struct path *out);
/* namei() on a user path; empty paths allowed only with LOOKUP_EMPTY. */
int user_path_at(int dfd, uptr_t name, unsigned flags, struct path *out);
/*
 * namei() on a user path for an existing file, as user_path_at, keeping
 * the parent: release @nd with nd_put() after 0.
 */
int user_namei(int dfd, uptr_t name, unsigned flags, struct nameidata *nd);
/* The entry a resolved @nd names (its magic link's file's, if one). */
struct entry_name nd_entry_name(const struct nameidata *nd);
/* True if @ancestor is @dir or one of its ancestors in its filesystem. */
bool is_ancestor(struct inode *ancestor, struct inode *dir);

/*
 * Discretionary access control beyond inode_permission (permission.c),
 * for the calling task. inode_owner_or_capable: its fsuid owns @inode or
 * it has CAP_FOWNER. (may_create and may_delete: include/kernel/vfs.h.)
 */
bool inode_owner_or_capable(const struct inode *inode);
/*
 * Linux's capable_wrt_inode_uidgid: the caller has @cap in its user
 * namespace, which maps @inode's owner and group.
 */
bool capable_wrt_inode(const struct inode *inode, int cap);

/*
 * The mode a new inode of @type (S_IFREG...) in @dir gets from the @mode
 * asked for (inode_owner.c, Linux's vfs_prepare_mode): S_ISGID stripped
 * as mode_strip_sgid does, then the umask (unless @dir's filesystem
 * keeps ACLs: posix_acl_create decides), then only the @perms bits.
 */
mode_t vfs_prepare_mode(const struct inode *dir, mode_t mode, mode_t perms,
			mode_t type);

/*
 * Open the file at @p as open(2) with @flags would once it had named it
 * (sys_open.c; open_by_handle_at): O_CREAT with O_EXCL is EEXIST,
 * O_DIRECTORY needs a directory (ENOTDIR), O_TMPFILE makes its file in
 * @p; then may_open's checks. A non-directory goes by @last in @dir
 * (NULL: by no name). A file with one reference, or an ERR_PTR; the
 * paths keep their references.
 */
struct file *vfs_open_path(const struct path *p, const struct path *dir,
			   const char *last, unsigned flags);
/*
 * Open @name relative to @dfd as do_open (sys_open.c), the walk also
 * restricted by the LOOKUP_NO_XDEV... flags in @lookup (openat2).
 */
struct file *do_open_lookup(int dfd, const char *name, unsigned flags,
			    mode_t mode, unsigned lookup);
/*
 * Open user path @uname as do_open_lookup into a new descriptor (close
 * on exec with O_CLOEXEC): the descriptor, or -errno.
 */
long open_fd(int dfd, uptr_t uname, unsigned flags, mode_t mode,
	     unsigned lookup);

/* Per-process state (fs_context.c). */
struct fs_context *current_fs(void);
/*
 * Every task (and the boot context) whose root or working directory is
 * @from gets @to instead (pivot_root; Linux's chroot_fs_refs).
 */
void fs_contexts_move(const struct path *from, const struct path *to);
/* The file creation mask of the running task (0 at boot). */
mode_t current_umask(void);

/* Descriptor table (fdtable.c). */
/* Descriptors must stay below this: RLIMIT_NOFILE, capped by fs.nr_open. */
int fd_limit(void);
struct files {
	int refcount;
	int size;			/* slots in fd[] and flags[] */
	struct file **fd;
	uint8_t *flags;			/* FDF_* */
};
#define FDF_CLOEXEC	0x01		/* close on execve */
#define FDF_RESERVED	0x02		/* taken by fd_reserve(), no file yet */
int fd_set_cloexec(int fd, bool on);

/* Names of open files (file_name.c). */
/* Give @f the name @nd resolved to (non-directories): 0 or -ENOMEM. */
int file_name_set(struct file *f, const struct nameidata *nd);
/* Give @f (an O_TMPFILE or memfd file) the name @last in @dir: 0 or -ENOMEM. */
int file_name_set_at(struct file *f, const struct path *dir, const char *last);
void file_name_share(struct file *dst, const struct file *src);
/* Drop @f's name (its last reference is going). */
void file_name_drop(struct file *f);
/*
 * The directory @f was opened in, with the name in *@last, or NULL if it
 * has no name (directories, anonymous files).
 */
struct inode *file_name_dir(const struct file *f, const char **last);

/* What rename needs to carry the names of open files along. */
struct rename_names {
	const struct nameidata *o, *n;
	unsigned flags;			/* RENAME_EXCHANGE matters */
	struct inode *oi, *ni;		/* the inodes at the two names */
	struct file_name *to_new, *to_old;
};
/* Before the rename of @o to @n: allocate the new names. 0 or -ENOMEM. */
int rename_names_prepare(struct rename_names *rn, const struct nameidata *o,
			 const struct nameidata *n, unsigned flags);
/* After the rename succeeded: rename the open files. Cannot fail. */
void rename_names_apply(struct rename_names *rn);
/* Drop what prepare allocated (after apply, or instead of it). */
void rename_names_release(struct rename_names *rn);


/* File I/O helpers (sys_rw.c). */
bool file_is_stream(const struct file *f);
/*
 * RLIMIT_FSIZE (kernel/vfs/file_limit.c): for a write of *@len bytes at
 * @pos to @f, cut *@len at the limit, or SIGXFSZ and -EFBIG when @pos is
 * at or past it; for a new size of @inode, 0 or SIGXFSZ and -EFBIG when
 * it grows the file past the limit.
 */
int write_size_limit(const struct file *f, off_t pos, size_t *len);
int inode_newsize_ok(const struct inode *inode, off_t size);
/*
 * Attribute changes (attr.c). Beside the ATTR_* bits filesystems see,
 * ring 1's own, cleared before the setattr op: ATTR_KILL_SUID and
 * ATTR_KILL_SGID (remove the set-id bits, chown and writes), ATTR_FORCE
 * (the kernel's own change: no permission checks), ATTR_TIMES_SET
 * (explicit times: the owner or CAP_FOWNER) and ATTR_TOUCH (times set
 * to now: also anyone who may write the file).
 */
#define ATTR_KILL_SUID	0x1000
#define ATTR_KILL_SGID	0x2000
#define ATTR_FORCE	0x4000
#define ATTR_TIMES_SET	0x8000
#define ATTR_TOUCH	0x10000
#define ATTR_VFS_ONLY	(ATTR_KILL_SUID | ATTR_KILL_SGID | ATTR_FORCE | \
			 ATTR_TIMES_SET | ATTR_TOUCH)
/* The entry open file @f was opened by (file_name.c), if known. */
struct entry_name file_entry_name(const struct file *f);
/*
 * Set attributes on @inode (EROFS checked against @mnt, then the
 * caller's right to make the change), reached as @at. Process context.
 */
int vfs_setattr(struct mount *mnt, struct inode *inode, struct iattr *attr,
		struct entry_name at);
/*
 * Truncate a regular file to @len (checks type and size; removes the
 * set-id bits as a write does), reached as @at. No permission check:
 * the caller's.
 */
int vfs_truncate(struct mount *mnt, struct inode *inode, off_t len,
		 struct entry_name at);
/*
 * Before a write to @f: clear a regular file's S_ISUID and its
 * group-executable S_ISGID unless the caller has CAP_FSETID (Linux's
 * file_remove_privs). 0 or -errno.
 */
int file_remove_privs(struct file *f);

/* Devices numbers as user space encodes them (stat, mknod). */
static inline uint64_t dev_to_user(dev_t dev)
{
	uint64_t ma = MAJOR(dev), mi = MINOR(dev);

	return (mi & 0xff) | (ma << 8) | ((mi & ~0xffULL) << 12);
}

static inline dev_t dev_from_user(uint64_t udev)
{
	unsigned ma = (udev & 0xfff00) >> 8;
	unsigned mi = (udev & 0xff) | ((udev >> 12) & 0xfff00);

	return MKDEV(ma, mi);
}

/* True if @udev fits this kernel's dev_t (12-bit major, 8-bit minor). */
static inline bool dev_user_valid(uint64_t udev)
{
	return ((udev >> 12) & 0xfff00) == 0;
}

/* Directory operations on kernel names (sys_dir.c, sys_namei.c). */
int do_mkdirat(int dfd, const char *name, mode_t mode);
int do_rmdirat(int dfd, const char *name);
int do_unlinkat(int dfd, const char *name);
int do_mknodat(int dfd, const char *name, mode_t mode, dev_t rdev);
int do_symlinkat(const char *target, int dfd, const char *name);
int do_renameat2(int odfd, const char *oldname, int ndfd, const char *newname,
		 unsigned flags);
int do_linkat(int olddfd, const char *oldname, int newdfd,
	      const char *newname, unsigned flags);
