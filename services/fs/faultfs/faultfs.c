/*
 * faultfs: a test-only filesystem service (built with FAULT_INJECT=1,
 * never by `make run`) whose files each make the service fault inside its
 * read operation, to prove the service boundary:
 *   panic  null-deref  gp  ud  divide  bounds  overflow  stack-smash
 *   lock-then-panic  forged-cap   (and ok, which reads "ok\n")
 * and lock-twice, which takes its lock again while it holds it where the
 * profile checks mutexes (fortress: the check's panic, contained) and
 * reads as ok elsewhere, where the second take would hang.
 * In fortress and balanced each read ends with EIO and the kernel lives
 * on; in performance and ludicrous the first fault panics the kernel.
 * forged-cap corrupts the token the kernel presents on the next call
 * (refused with EPERM in fortress, where tokens are checked). Its files
 * are mapped through ring 1's page cache, so a fault in a mapping makes
 * the service fault filling the page (SIGBUS where contained). One
 * file, write-eio, is writable: the service's first write of it fails
 * with EIO (no fault), later ones take the bytes and keep nothing, for
 * the page cache's report of a failed writeback at the next fsync.
 */
#include <svc/vfs.h>
#include <platform/panic.h>
#include <platform/heap.h>
#include <aramid/string.h>
#include <uapi/errno.h>

static SERVICE_DEFINE(faultfs_service, "faultfs", true);

enum fault {
	F_OK, F_PANIC, F_NULL, F_GP, F_UD, F_DIVIDE, F_BOUNDS, F_OVERFLOW,
	F_STACK, F_LOCK, F_MUTEX, F_FORGED, F_WRITE_EIO, F_COUNT
};

static const char *const names[F_COUNT] = {
	[F_OK] = "ok", [F_PANIC] = "panic", [F_NULL] = "null-deref",
	[F_GP] = "gp", [F_UD] = "ud", [F_DIVIDE] = "divide",
	[F_BOUNDS] = "bounds", [F_OVERFLOW] = "overflow",
	[F_STACK] = "stack-smash", [F_LOCK] = "lock-then-panic",
	[F_MUTEX] = "lock-twice",
	[F_FORGED] = "forged-cap", [F_WRITE_EIO] = "write-eio",
};

/* Held by lock-then-panic when it panics: containment must release it. */
static LOCK_CLASS_DEFINE(faultfs_class, "faultfs");
static struct svc_lock faultfs_lock = { MUTEX_INIT(faultfs_class), NULL };
/* write-eio's first write has failed (once a boot). */
static bool write_failed;

static const struct inode_ops faultfs_dir_iops;
static const struct file_ops faultfs_dir_fops, faultfs_file_fops;

/* Kept out of the optimizer's sight so each fault really happens. */
static volatile int zero;
static volatile long bad_index = 8;
static volatile size_t smash_len = 64;
static volatile int big = 0x7fffffff;

static void smash(void)
{
	char buf[16];
	char *volatile p = buf;

	memset(p, 'A', smash_len);	/* past buf, over the canary */
}

/* Make the fault of @f happen, here, inside the service's read. */
static long do_fault(struct file *file, enum fault f)
{
	int small[4] = { 1, 2, 3, 4 };
	long r = 0;

	switch (f) {
	case F_PANIC:
		panic("faultfs: deliberate panic in read");
	case F_NULL:
		r = *(volatile long *)(uintptr_t)zero;
		break;
	case F_GP:
		r = *(volatile long *)0x8000000000000000UL;
		break;
	case F_UD:
		__builtin_trap();
	case F_DIVIDE:
		r = 100 / zero;
		break;
	case F_BOUNDS:
		r = small[bad_index];
		break;
	case F_OVERFLOW:
		r = big + (int)(1 + zero);
		break;
	case F_STACK:
		smash();
		break;
	case F_LOCK:
		svc_lock(&faultfs_lock);
		panic("faultfs: deliberate panic holding a lock");
	case F_MUTEX:
		svc_lock(&faultfs_lock);
		if (CONFIG_MUTEX_CHECKS)
			svc_lock(&faultfs_lock);	/* the check panics */
		svc_unlock(&faultfs_lock);
		break;
	case F_FORGED:
#if CONFIG_SVC_CAP_RUNTIME
		file->inode->sb->cap.nonce ^= 1;	/* a forged token */
#endif
		break;
	default:
		break;
	}
	return r;
}

static struct inode *faultfs_inode(struct super_block *sb, mode_t mode,
				   enum fault f)
{
	struct inode *inode = inode_new(sb);

	if (!inode)
		return NULL;
	inode->ino = f + 2;
	inode->mode = mode;
	inode->nlink = S_ISDIR(mode) ? 2 : 1;
	inode->priv = (void *)(uintptr_t)f;
	inode->atime = inode->mtime = inode->ctime = current_time();
	if (S_ISDIR(mode)) {
		inode->iops = &faultfs_dir_iops;
		inode->fops = &faultfs_dir_fops;
	} else {
		inode->fops = &faultfs_file_fops;
		/* Its text, "NAME 0\n" for a read that returns: the page
		 * cache reads no further, in one call of the read op. */
		inode->size = (off_t)strlen(names[f]) + 3;
	}
	return inode;
}

static int faultfs_lookup(struct inode *dir, const char *name,
			  struct inode **out)
{
	for (int f = 0; f < F_COUNT; f++) {
		if (!strcmp(name, names[f])) {
			*out = faultfs_inode(dir->sb, S_IFREG |
					     (f == F_WRITE_EIO ? 0644 : 0444),
					     f);
			return *out ? 0 : -ENOMEM;
		}
	}
	return -ENOENT;
}

/* ".", "..", then one entry per file; positions count entries. */
static int faultfs_readdir(struct file *file, struct dir_context *ctx)
{
	static const char *const dots[2] = { ".", ".." };

	for (; ctx->pos < F_COUNT + 2; ctx->pos++) {
		off_t i = ctx->pos;
		const char *name = i < 2 ? dots[i] : names[i - 2];

		if (!ctx->emit(ctx, name, strlen(name), i < 2 ? 2 : i,
			       i < 2 ? DT_DIR : DT_REG))
			break;
	}
	return 0;
}

static ssize_t faultfs_read(struct file *file, struct uio *uio, off_t *pos)
{
	enum fault f = (enum fault)(uintptr_t)file->inode->priv;
	char text[32];
	long r = do_fault(file, f);
	size_t len = snprintf(text, sizeof(text), "%s %ld\n", names[f], r);

	if (*pos >= (off_t)len)
		return 0;
	size_t n = MIN(len - *pos, uio->resid);
	int err = uiomove(text + *pos, n, uio);

	if (err)
		return err;
	*pos += n;
	return n;
}

/* write-eio's: EIO the first time, then every byte taken, none kept. */
static ssize_t faultfs_write(struct file *file, struct uio *uio, off_t *pos)
{
	char sink[64];
	size_t done = 0;

	if ((enum fault)(uintptr_t)file->inode->priv != F_WRITE_EIO)
		return -EINVAL;		/* as a filesystem with no write op */
	if (!write_failed) {
		write_failed = true;
		return -EIO;
	}
	while (uio->resid) {
		size_t n = MIN(uio->resid, sizeof(sink));
		int err = uiomove(sink, n, uio);

		if (err)
			return done ? (ssize_t)done : err;
		done += n;
	}
	*pos += (off_t)done;
	return (ssize_t)done;
}

/* Nothing is kept, so nothing to make durable. */
static int faultfs_fsync(struct file *file)
{
	return 0;
}

static const struct inode_ops faultfs_dir_iops = {
	.svc = &faultfs_service,
	.lookup = faultfs_lookup,
};

static const struct file_ops faultfs_dir_fops = {
	.svc = &faultfs_service,
	.readdir = faultfs_readdir,
};

static const struct file_ops faultfs_file_fops = {
	.svc = &faultfs_service,
	.read = faultfs_read,
	.write = faultfs_write,
	.fsync = faultfs_fsync,
};

static int faultfs_fill_super(struct super_block *sb, const char *source,
			      const char *options)
{
	sb->magic = 0xfa017f5;
	sb->root = faultfs_inode(sb, S_IFDIR | 0555, F_OK);
	return sb->root ? 0 : -ENOMEM;
}

static const struct fs_type faultfs_type = {
	.svc = &faultfs_service,
	.name = "faultfs",
	.flags = FS_PAGE_CACHE,	/* its faults fill pages too (mmap) */
	.fill_super = faultfs_fill_super,
};

static int faultfs_init(void)
{
	return register_filesystem(&faultfs_type);
}
SERVICE_INIT(faultfs_init);
