/*
 * The VFS's own API for the rest of ring 1 (kernel/vfs/): kernel-internal
 * file access, descriptor tables, per-process filesystem context and the
 * naming of paths and open files. What filesystem services share with
 * it is include/svc/vfs.h.
 */
#pragma once
#include <svc/vfs.h>

/* Kernel-internal file access (exec, initramfs). */
struct file *kernel_open(const char *path, unsigned flags, mode_t mode);
ssize_t kernel_read(struct file *f, void *buf, size_t len, off_t pos);
ssize_t kernel_write(struct file *f, const void *buf, size_t len, off_t pos);
int kernel_mkdir(const char *path, mode_t mode);
int kernel_mknod(const char *path, mode_t mode, dev_t rdev);
int kernel_symlink(const char *target, const char *path);
int kernel_mount(const char *source, const char *target, const char *type,
		 unsigned long flags, const char *options);
/* The caller's working directory or root set to directory @path (boot,
 * no permission checks): 0 or the lookup's -errno. */
int kernel_chdir(const char *path);
int kernel_chroot(const char *path);
/* Whether @path (followed) may be executed, as Linux's init_eaccess: 0
 * or -errno (the lookup's, -EACCES). */
int kernel_eaccess(const char *path);

/*
 * Keep super block @sb (and its filesystem's state) alive past its last
 * unmount, as a pty does its devpts instance; sb_put drops it, the last
 * reference killing the super block. Process context.
 */
void sb_get(struct super_block *sb);
void sb_put(struct super_block *sb);

/*
 * The unused inodes (kernel/vfs/inode_unused.c): inodes of disk
 * filesystems kept with their cached pages after their last reference,
 * oldest first, for the filesystem's iget to find again.
 *
 * inode_unused_prune evicts up to @max of them (of @sb, or of every
 * super block for NULL), oldest first: those without cached pages, and
 * with @with_pages then those with clean pages (their pages freed);
 * returns how many went. Kernel lock; does not sleep (an unused inode
 * has links, so its evict op deletes nothing).
 *
 * inode_unused_emptied: the last cached page of @inode went; if it is
 * unused it moves to the young end of those without pages. Kernel lock;
 * does not sleep.
 *
 * inode_unused_writeback writes back the dirty pages of those of @sb
 * (every one for NULL) that sync pass @pass has not taken yet, each
 * through a kernel file of its own: 0 or the first error. Process
 * context, no service lock held; sleeps.
 *
 * inode_unused_evict_sb evicts every unused inode of @sb, whose last
 * mount went (sb->active already false), dirty pages written back
 * first: what the super block's end does before kill_super. Process
 * context; sleeps.
 *
 * inode_unused_count is how many there are.
 */
size_t inode_unused_prune(const struct super_block *sb, size_t max,
			  bool with_pages);
void inode_unused_emptied(struct inode *inode);
int inode_unused_writeback(const struct super_block *sb, uint64_t pass);
void inode_unused_evict_sb(struct super_block *sb);
size_t inode_unused_count(void);

/*
 * How many open file objects exist (fs.file-nr's first number, Linux's
 * get_nr_files). Process context, under the kernel lock.
 */
unsigned long files_count(void);

/*
 * sync(2): every mounted super block's sync_fs, as Linux's
 * ksys_sync walks the super blocks. Errors are not reported (sync
 * returns nothing). Process context; sleeps.
 */
void sync_filesystems(void);

/*
 * Open the file @f is (an O_PATH descriptor's too) anew with open(2)
 * @flags, as opening /proc/self/fd/N does: a file with one reference, or
 * an ERR_PTR. Process context.
 */
struct file *vfs_reopen(struct file *f, unsigned flags);
/* What inode_permission is asked for (Linux's MAY_* values). */
#define MAY_EXEC	1
#define MAY_WRITE	2
#define MAY_READ	4

/*
 * Whether the calling task may read, write or execute (search, for a
 * directory) @inode, as @mask asks, from its mode or access ACL: 0 or
 * -EACCES (Linux's generic_permission, kernel/vfs/permission.c), an
 * error reading a stored ACL, -EROFS for writing a
 * file, directory or symlink of a read-only super block first (Linux's
 * sb_permission); the process an inode is open to (inode->owner_tgid)
 * passes. Read-only mounts are the caller's check (mnt_want_write).
 */
int inode_permission(const struct inode *inode, int mask);
/*
 * may_create: the calling task's write and search permission on @dir
 * (0 or -EACCES). may_delete: the same, then the sticky bit of @dir lets
 * only @victim's owner, @dir's owner or CAP_FOWNER remove or rename
 * @victim (-EPERM), as Linux's may_delete (kernel/vfs/permission.c).
 */
int may_create(const struct inode *dir);
int may_delete(const struct inode *dir, const struct inode *victim);

/* Whether @f lives on a nosuid mount: exec ignores its set-id bits. */
bool file_nosuid(const struct file *f);
/*
 * Whether @p is on a noexec mount: exec refuses its files (EACCES), and
 * so does mmap with PROT_EXEC (EPERM).
 */
bool path_noexec(const struct path *p);
/*
 * A new instance of filesystem @type_name for the kernel's own use (an
 * FS_SINGLE type's super block for the caller), as Linux's kern_mount:
 * its root as a referenced path in *@out (never in the tree nor
 * /proc/mounts), or
 * -ENODEV or the filesystem's errno (kernel/vfs/mount.c). Boot or
 * process context.
 */
int kern_mount_root(const char *type_name, struct path *out);
/*
 * Drop a kern_mount_root path @p: the mount goes with its last reference,
 * and its super block with its own last (Linux's kern_unmount).
 */
void kern_unmount(const struct path *p);
/*
 * A kernel copy of user path @name in a new PATH_MAX buffer (kfree it),
 * or an ERR_PTR: -EFAULT, -ENAMETOOLONG, -ENOMEM (kernel/vfs/namei.c).
 */
char *getname(uptr_t name);
/* Open @name relative to @dfd as open(2) does (kernel/vfs/sys_open.c). */
struct file *do_open(int dfd, const char *name, unsigned flags, mode_t mode);
/*
 * A new core file @name, relative to the current directory, as Linux
 * makes one (kernel/vfs/core_file.c): what had the name unlinked, then
 * created exclusively, mode 0600, not through a symlink. A file open for
 * writing, or an ERR_PTR: the open's error, or -EPERM if the file is not
 * a regular file of one link owned by the caller's fsuid with mode 0600.
 * Process context.
 */
struct file *vfs_core_create(const char *name);

/*
 * What @name in the directory @f was opened from resolves to, after
 * mounts (what Linux's path_pts finds for "pts" beside /dev/ptmx): 0 and
 * a referenced path (path_put it), -ENOENT (@f has no directory, no such
 * entry) or another lookup error.
 */
int file_sibling_path(struct file *f, const char *name, struct path *out);

/*
 * Open @name in directory @dir with open(2) @flags (no creation), as an
 * open by path would: a file with one reference and its name, or an
 * ERR_PTR. Process context.
 */
struct file *vfs_open_child(const struct path *dir, const char *name,
			    unsigned flags);

/*
 * Write access to regular files (kernel/vfs/write_access.c), as Linux's
 * get/put_write_access and deny/allow_write_access: 0 or -ETXTBSY.
 * inode_get_write_access counts a writer (truncate by path); an open for
 * writing takes it with file_take_write_access (marking the file
 * FMODE_WRITER, given back by its last fput); exec denies writing its
 * image while it runs (file_deny_write_access, file_allow_write_access).
 */
int inode_get_write_access(struct inode *inode);
void inode_put_write_access(struct inode *inode);
int file_take_write_access(struct file *f);
int file_deny_write_access(struct file *f);
void file_allow_write_access(struct file *f);

/*
 * File seals (kernel/vfs/file_seal.c), as Linux 6.1's memfd seals.
 * file_seal_fcntl: F_ADD_SEALS (@arg the seals) or F_GET_SEALS on @f:
 * 0 or the seals, -EPERM (not open for writing, F_SEAL_SEAL), -EINVAL
 * (unknown seals, a file that takes none), -EBUSY (F_SEAL_WRITE while a
 * shared writable mapping exists). The checks, each 0 or -EPERM:
 * file_seal_write for a write of *@len bytes at @pos (under F_SEAL_GROW
 * it may shorten *@len to the whole pages inside the file, as Linux's
 * page-by-page write stops); file_seal_resize for a new size;
 * file_seal_fallocate for a punch or an allocation ending at @end;
 * file_seal_mmap for a mapping of @f with @prot (@shared: MAP_SHARED),
 * setting *@no_write if the mapping may never become writable.
 */
long file_seal_fcntl(struct file *f, unsigned cmd, unsigned long arg);
int file_seal_write(const struct inode *inode, off_t pos, size_t *len);
int file_seal_resize(const struct inode *inode, off_t size);
int file_seal_fallocate(const struct inode *inode, bool punch, off_t end);
int file_seal_mmap(const struct file *f, bool shared, unsigned prot,
		   bool *no_write);

/*
 * Open a new unnamed regular file of @mode (permission bits) in
 * directory @dir with open(2) @flags, as O_TMPFILE and memfd_create do
 * (kernel/vfs/sys_open.c): /proc names it @last in @dir (NULL: "#" and
 * its inode number, as Linux does) and " (deleted)"; linkat may give it
 * a name unless @flags has O_EXCL. A file with one reference, or an
 * ERR_PTR (-EROFS, -EOPNOTSUPP if the filesystem cannot, -ENOMEM...).
 * Process context.
 */
struct file *vfs_tmpfile(const struct path *dir, mode_t mode, unsigned flags,
			 const char *last);

/*
 * fs.lease-break-time (seconds a lease holder has to give way; 0 or
 * less: no limit) and fs.leases-enable (0: F_SETLEASE makes none), as
 * /proc/sys sets them (kernel/vfs/lease.c).
 */
extern int lease_break_time, leases_enable;

/* Per-process state (kernel/vfs/fdtable.c, fs_context.c). */
struct files;
struct fs_context {
	int refcount;
	struct path root;
	struct path cwd;
};

struct files *files_new(void);
/*
 * fs.nr_open: no descriptor at or above it (Linux's sysctl_nr_open,
 * 1048576 by default, from 64 to NR_OPEN_MAX), and RLIMIT_NOFILE's hard
 * limit stays within it.
 */
extern int nr_open;
#define NR_OPEN_MIN	64
#define NR_OPEN_MAX	2147483584	/* INT_MAX, in whole 64-bit words */
/*
 * A copy of @src for fork and unshare: every open file gains a
 * reference. ERR_PTR(-EMFILE) if its open descriptors do not fit below
 * fs.nr_open (in whole 64-bit words, as Linux's dup_fd sizes it), or
 * ERR_PTR(-ENOMEM).
 */
struct files *files_dup(struct files *src);
void files_get(struct files *files);
void files_put(struct files *files);
/* Whether another task shares @files (CLONE_FILES). */
bool files_shared(const struct files *files);
/* Close every O_CLOEXEC descriptor (execve). */
void files_close_on_exec(struct files *files);
/* The file for @fd with a reference, or NULL. */
struct file *fd_get(int fd);
/* fd_get, but NULL (-EBADF) for O_PATH descriptors (read, write, ...). */
struct file *fd_get_io(int fd);
/* Install @f (the caller's reference moves in) at the lowest free fd. */
int fd_install(struct file *f, bool cloexec);
/*
 * Two-step install (fdtable.c): reserve the lowest free fd >= @start
 * (or -EMFILE), then fill it (cannot fail) or give it back.
 */
int fd_reserve(int start, bool cloexec);
void fd_install_reserved(int fd, struct file *f);
void fd_unreserve(int fd);
/*
 * Both descriptors of a pipe2 or socketpair at once, with the check that
 * the user array @ufds takes them (fdtable.c): 0, -EMFILE or -EFAULT,
 * nothing reserved on failure; fd_unreserve_pair gives both back.
 */
int fd_reserve_pair(int fds[2], bool cloexec, uptr_t ufds);
void fd_unreserve_pair(const int fds[2]);
/* Install at exactly @fd, closing what was there. */
int fd_install_at(int fd, struct file *f, bool cloexec);
/* The close-on-exec flag of current's open @fd (false if not open). */
bool fd_get_cloexec(int fd);
/*
 * Call @fn for every open file of every task's descriptor table (a file
 * in several tables or slots is seen each time). Must not sleep.
 */
void files_for_each_file(void (*fn)(struct file *f, void *arg), void *arg);
int fd_close(int fd);
/* Number of open descriptors / iteration, for /proc/pid/fd. */
int files_max_fd(struct files *files);
struct file *files_peek(struct files *files, int fd);

/*
 * Copy in a user iovec array of @cnt entries as a uio moving @dir (the
 * kiovec array is kmalloc'd into *@kiov; kfree it). The total is clamped
 * to MAX_RW_COUNT as on Linux. 0, -EINVAL (a count above UIO_MAXIOV or
 * an absurd length), -EFAULT or -ENOMEM (kernel/vfs/sys_rw.c).
 */
int import_iovec(uptr_t uiov, long cnt, enum uio_dir dir, struct uio *uio,
		 struct kiovec **kiov);
/*
 * Read or write @uio at *@pos of @f (kernel/vfs/sys_rw.c), after the
 * checks every read or write makes (the file's mode, the range, the
 * seals and RLIMIT_FSIZE; a write to an O_APPEND regular file goes to
 * its end): bytes moved, *@pos advanced, or -errno. Process context.
 */
ssize_t file_read(struct file *f, struct uio *uio, off_t *pos);
ssize_t file_write(struct file *f, struct uio *uio, off_t *pos);
/* The close-on-exec flag of @fd in @files (false if not open). */
bool files_peek_cloexec(struct files *files, int fd);

struct fs_context *fs_context_new(void);
struct fs_context *fs_context_dup(struct fs_context *src);
void fs_context_get(struct fs_context *fs);
void fs_context_put(struct fs_context *fs);

/* Path of @p as seen from the current root, into @buf: length or -errno. */
int path_to_string(const struct path *p, char *buf, size_t len);
/*
 * getcwd's name of the current directory: as path_to_string, with
 * Linux's "(unreachable)" before it when it is outside the current root
 * (after a chroot that left it behind). Length or -errno.
 */
int cwd_to_string(char *buf, size_t len);
/*
 * The name of open file @f as /proc shows it (fd links, exe, maps), as
 * seen from the current root, NUL-terminated in @buf of @len bytes: the
 * path it was opened by (after symlinks, following renames), with
 * " (deleted)" once its last link is gone; "pipe:[ino]", "socket:[ino]",
 * a namespace's "uts:[ino]" or "mnt:[ino]", or "anon_inode:[ino]" for a
 * file without a name. Returns the length,
 * or -ERANGE (@buf too small), -ENOENT (its directory was removed),
 * -ENOMEM. Process context.
 */
int file_path_string(struct file *f, char *buf, size_t len);

/*
 * Anonymous-inode files (kernel/vfs/anon_inode.c), as Linux's
 * anon_inode_getfile: a file of @kind (its name, "[eventfd]", and ops),
 * with @priv and open flags @flags, refcount 1, or NULL when memory is
 * short. /proc shows it as "anon_inode:" and the name. Process context.
 */
struct anon_inode_kind {
	const char *name;
	const struct file_ops *fops;
	struct inode *inode;	/* made by the first file, kept for good */
};

struct file *anon_inode_file(struct anon_inode_kind *kind, void *priv,
			     unsigned flags);
/*
 * Make @fops the device at @minor of the misc major (10), as Linux's
 * misc_register (kernel/vfs/misc_dev.c): opening the minor gives a file
 * with @fops (its open called). Boot only; panics if the minor is taken.
 */
void misc_register(unsigned minor, const struct file_ops *fops);

/* The name of @inode if it is an anonymous inode, else NULL. */
const char *anon_inode_name(const struct inode *inode);

/* VFS boot: the root tmpfs, then the initramfs of @size bytes. */
void vfs_init(void);
int initramfs_unpack(size_t size);
/*
 * What Linux's built-in initramfs always holds, made in the root tmpfs
 * before any initramfs is unpacked (kernel/vfs/initramfs.c): /dev
 * (0755), /dev/console (5:1, 0600) and /root (0700). Boot only.
 */
void initramfs_default(void);

/* The root device of the command line (root=, rootfstype=, ...). */
struct root_args {
	const char *name;	/* root=: "/dev/vda1", "254:1", "fe01" */
	const char *fstypes;	/* rootfstype=: "ext2,..." or NULL: all */
	const char *data;	/* rootflags=: the filesystem's options */
	bool rw;		/* rw (ro, the default, clears it) */
	bool wait;		/* rootwait */
};

/*
 * Mount the root device @ra names and make it the caller's root and
 * working directory, as Linux's prepare_namespace when the initramfs
 * has no init (kernel/vfs/mount_root.c). Panics, as Linux does, if the
 * device is not there or no filesystem type mounts it. Boot only, in
 * init's context before it runs.
 */
void mount_root(const struct root_args *ra);
