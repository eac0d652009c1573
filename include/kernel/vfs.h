/*
 * The virtual file system: the interface between ring 1 (kernel/vfs/) and
 * the filesystem services of ring 2 (services/). A service provides an
 * fs_type and const ops tables; the kernel calls them only through the
 * wrappers in kernel/vfs/vops.c (one per operation), which is where the
 * safety profile decides dispatch and containment.
 *
 * Locking: one CPU and no kernel preemption, so ops run without being
 * interleaved unless they sleep; an op that sleeps must revalidate.
 */
#pragma once
#include <aramid/list.h>
#include <kernel/uio.h>
#include <kernel/wait.h>
#include <kernel/service.h>
#include <uapi/stat.h>

#define NAME_MAX	255
#define PATH_MAX	4096

struct inode;
struct file;
struct super_block;
struct poll_table;
struct dir_context;

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
 * Every ops table names the ring-2 service it belongs to (NULL for ring-1
 * objects such as pipes and ttys), so the wrappers know whose boundary
 * a call crosses.
 */
struct inode_ops {
	struct service *svc;
	/* Find @name (not "." or "..") in @dir: 0 and a new reference. */
	int (*lookup)(struct inode *dir, const char *name, struct inode **out);
	/* The parent of directory @dir within its filesystem (its root: itself). */
	int (*parent)(struct inode *dir, struct inode **out);
	/* Create a non-directory node (regular, fifo, device, socket). */
	int (*mknod)(struct inode *dir, const char *name, mode_t mode,
		     dev_t rdev, struct inode **out);
	int (*mkdir)(struct inode *dir, const char *name, mode_t mode,
		     struct inode **out);
	int (*symlink)(struct inode *dir, const char *name, const char *target,
		       struct inode **out);
	int (*link)(struct inode *dir, const char *name, struct inode *target);
	int (*unlink)(struct inode *dir, const char *name);
	int (*rmdir)(struct inode *dir, const char *name);
	/*
	 * Move @oldname to @newname, replacing an existing @newname as
	 * rename(2) does; with RENAME_EXCHANGE in @flags, swap the two
	 * existing entries instead. The VFS has done the checks of
	 * renameat2(2) (types, ancestry, mounts) before calling.
	 */
	int (*rename)(struct inode *olddir, const char *oldname,
		      struct inode *newdir, const char *newname,
		      unsigned flags);
	/* Copy the link target into @buf (no NUL); returns its length. */
	ssize_t (*readlink)(struct inode *inode, char *buf, size_t len);
	int (*setattr)(struct inode *inode, const struct iattr *attr);
	/*
	 * The frame holding page @pgoff of a regular file, with a reference
	 * (for mmap); allocates a zero page for a hole inside the file.
	 */
	int (*get_page)(struct inode *inode, uint64_t pgoff, paddr_t *out);
};

struct file_ops {
	struct service *svc;
	int (*open)(struct inode *inode, struct file *file);
	void (*release)(struct file *file);
	ssize_t (*read)(struct file *file, struct uio *uio, off_t *pos);
	ssize_t (*write)(struct file *file, struct uio *uio, off_t *pos);
	/* Emit entries from file->pos on; see struct dir_context. */
	int (*readdir)(struct file *file, struct dir_context *ctx);
	/* Readiness mask (POLLIN...); register on wait queues via poll_wait. */
	unsigned (*poll)(struct file *file, struct poll_table *pt);
	long (*ioctl)(struct file *file, unsigned cmd, uptr_t arg);
	int (*fsync)(struct file *file);
};

struct super_ops {
	struct service *svc;
	/* Last reference to @inode dropped: free it if the fs need not keep it. */
	void (*evict)(struct inode *inode);
	int (*statfs)(struct super_block *sb, struct statfs64 *st);
	/*
	 * The filesystem's own mount options for /proc/mounts, each with a
	 * leading ',' (",size=1024k,mode=755"), NUL-terminated in @buf of
	 * @len bytes: the length, or -ERANGE.
	 */
	int (*show_options)(struct super_block *sb, char *buf, size_t len);
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
};

#define FS_REQUIRES_DEV	0x1	/* mount needs a block device source */

struct fs_type {
	struct service *svc;	/* the service behind it (registered with it) */
	const char *name;
	unsigned flags;
	/* Fill in @sb (root, ops, priv) for a new mount. */
	int (*fill_super)(struct super_block *sb, const char *source,
			  const char *options);
	/* Tear down @sb after its last mount went away. */
	void (*kill_super)(struct super_block *sb);
	struct list_head link;
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
};

/* Register a filesystem service (from its SERVICE_INIT function). */
int register_filesystem(struct fs_type *type);

/*
 * Service start-up: SERVICE_INIT(fn) runs fn() once at boot, after the
 * kernel core is up and before the root filesystem is mounted.
 */
typedef int (*service_init_fn)(void);
#define SERVICE_INIT(fn)						\
	static const service_init_fn __service_init_##fn		\
		__section(".service_init") __used __aligned(8) = fn

/* Inode life cycle (kernel/vfs/inode.c). */
struct inode *inode_new(struct super_block *sb);	/* refcount 1 */
void iget(struct inode *inode);
void iput(struct inode *inode);
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
};

#define FMODE_READ	0x1
#define FMODE_WRITE	0x2

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
int register_chrdev(unsigned major, const struct file_ops *fops);
/* The ops for device @rdev, or NULL. */
const struct file_ops *chrdev_ops(dev_t rdev);

/* Kernel-internal file access (exec, initramfs). */
struct file *kernel_open(const char *path, unsigned flags, mode_t mode);
ssize_t kernel_read(struct file *f, void *buf, size_t len, off_t pos);
ssize_t kernel_write(struct file *f, const void *buf, size_t len, off_t pos);
int kernel_mkdir(const char *path, mode_t mode);
int kernel_mknod(const char *path, mode_t mode, dev_t rdev);
int kernel_symlink(const char *target, const char *path);
int kernel_mount(const char *source, const char *target, const char *type,
		 unsigned long flags, const char *options);

/* Per-process state (kernel/vfs/fdtable.c, fs_context.c). */
struct files;
struct fs_context {
	int refcount;
	struct path root;
	struct path cwd;
};

struct files *files_new(void);
struct files *files_dup(struct files *src);
void files_get(struct files *files);
void files_put(struct files *files);
/* Close every O_CLOEXEC descriptor (execve). */
void files_close_on_exec(struct files *files);
/* The file for @fd with a reference, or NULL. */
struct file *fd_get(int fd);
/* Install @f (the caller's reference moves in) at the lowest free fd. */
int fd_install(struct file *f, bool cloexec);
/*
 * Two-step install (fdtable.c): reserve the lowest free fd >= @start
 * (or -EMFILE), then fill it (cannot fail) or give it back.
 */
int fd_reserve(int start, bool cloexec);
void fd_install_reserved(int fd, struct file *f);
void fd_unreserve(int fd);
/* Install at exactly @fd, closing what was there. */
int fd_install_at(int fd, struct file *f, bool cloexec);
int fd_close(int fd);
/* Number of open descriptors / iteration, for /proc/pid/fd. */
int files_max_fd(struct files *files);
struct file *files_peek(struct files *files, int fd);

struct fs_context *fs_context_new(void);
struct fs_context *fs_context_dup(struct fs_context *src);
void fs_context_get(struct fs_context *fs);
void fs_context_put(struct fs_context *fs);

/* Path of @p as seen from the current root, into @buf: length or -errno. */
int path_to_string(const struct path *p, char *buf, size_t len);
/*
 * The name of open file @f as /proc shows it (fd links, exe, maps), as
 * seen from the current root, NUL-terminated in @buf of @len bytes: the
 * path it was opened by (after symlinks, following renames), with
 * " (deleted)" once its last link is gone; "pipe:[ino]", "socket:[ino]"
 * or "anon_inode:[ino]" for a file without a name. Returns the length,
 * or -ERANGE (@buf too small), -ENOENT (its directory was removed),
 * -ENOMEM. Process context.
 */
int file_path_string(struct file *f, char *buf, size_t len);

/* VFS boot: the root tmpfs, then the initramfs of @size bytes. */
void vfs_init(void);
int initramfs_unpack(size_t size);
