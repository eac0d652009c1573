/*
 * Reading and writing: read, write, the vectored and positioned variants
 * (preadv2/pwritev2 with their RWF_* flags), lseek, sendfile,
 * copy_file_range, and kernel_read()/kernel_write().
 */
#include "vfs_internal.h"
#include <kernel/blkdev.h>
#include <kernel/fsnotify.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <kernel/signal.h>
#include <platform/heap.h>
#include <platform/usercopy.h>
#include <uapi/fs.h>
#include <kernel/page_cache.h>

#define SENDFILE_CHUNK	4096

/* Terminal majors: tty, console/ptmx, pty slaves. */
static bool is_tty_dev(dev_t rdev)
{
	unsigned ma = MAJOR(rdev);

	return ma == 4 || ma == 5 || ma == 136;
}

/* True if @f has no file position: pipes, fifos, sockets, terminals. */
bool file_is_stream(const struct file *f)
{
	mode_t m = f->inode->mode;

	return S_ISFIFO(m) || S_ISSOCK(m) || (S_ISCHR(m) && is_tty_dev(f->inode->rdev));
}

/* As Linux's rw_verify_area: the range must end at an offset an off_t holds. */
static bool rw_range_ok(off_t pos, const struct uio *uio)
{
	return pos <= INT64_MAX - (off_t)uio->resid;
}

/* Read from @f at *@pos into @uio after the access checks: bytes or -errno. */
ssize_t file_read(struct file *f, struct uio *uio, off_t *pos)
{
	ssize_t ret;

	if (!(f->mode & FMODE_READ))
		return -EBADF;
	if (!rw_range_ok(*pos, uio))
		return -EINVAL;
	if (S_ISDIR(f->inode->mode))
		return -EISDIR;
	if (uio->resid == 0 && !(f->mode & FMODE_READ_EMPTY))
		return 0;
	if (page_cache_serves(f->inode) && !(f->flags & O_DIRECT)) {
		ret = page_cache_read(f, uio, pos);
	} else {
		ret = page_cache_flush(f, *pos, uio->resid);
		if (ret)
			return ret;
		ret = vop_read(f, uio, pos);
	}
	if (ret > 0)
		fsnotify_file(f, IN_ACCESS);
	return ret;
}

/*
 * What a write of *@len bytes at @pos to regular file @f passes first:
 * RLIMIT_FSIZE and the seals, which may shorten *@len, then the set-id
 * bits it clears. Other files have none of these, and skip them. 0 or
 * -errno.
 */
static int regular_write_checks(struct file *f, off_t pos, size_t *len)
{
	int err = write_size_limit(f, pos, len);

	if (!err)
		err = file_seal_write(f->inode, pos, len);
	if (!err)
		err = file_remove_privs(f);
	return err;
}

/*
 * Write @uio to regular file @f at *@pos, where its page cache does not
 * take the write (no cache, or O_DIRECT): mapped pages it overlaps are
 * written back first, and cached copies of the pages it wrote updated
 * after. Bytes or -errno.
 */
static ssize_t write_uncached(struct file *f, struct uio *uio, off_t *pos)
{
	int err = page_cache_flush(f, *pos, uio->resid);

	return err ? err : page_cache_write_through(f, uio, pos);
}

/*
 * Write @uio to @f at *@pos (at the end for O_APPEND), as far as the
 * file's seals let it: bytes or -errno.
 */
ssize_t file_write(struct file *f, struct uio *uio, off_t *pos)
{
	bool regular = S_ISREG(f->inode->mode);
	size_t len = uio->resid, cut;
	ssize_t ret;
	int err;

	if (!(f->mode & FMODE_WRITE))
		return -EBADF;
	if (!rw_range_ok(*pos, uio))
		return -EINVAL;
	if ((f->flags & O_APPEND) && regular)
		*pos = f->inode->size;
	/* A block device refuses even nothing when read-only, as Linux. */
	if (uio->resid == 0 && !S_ISBLK(f->inode->mode))
		return 0;
	if (regular) {
		err = regular_write_checks(f, *pos, &len);
		if (err)
			return err;
	}
	cut = uio->resid - len;
	uio->resid = len;
	if (!regular)
		ret = vop_write(f, uio, pos);
	else if (page_cache_serves(f->inode) && !(f->flags & O_DIRECT))
		ret = page_cache_write(f, uio, pos);
	else
		ret = write_uncached(f, uio, pos);
	uio->resid += cut;
	if (ret > 0)
		fsnotify_file(f, IN_MODIFY);
	return ret;
}

/* Read up to @len bytes at @pos into kernel @buf: bytes or -errno. */
ssize_t kernel_read(struct file *f, void *buf, size_t len, off_t pos)
{
	struct kiovec iov;
	struct uio uio;

	uio_init_kernel(&uio, &iov, buf, len, UIO_READ);
	return file_read(f, &uio, &pos);
}

/* Write @len bytes of kernel @buf at @pos: bytes or -errno. */
ssize_t kernel_write(struct file *f, const void *buf, size_t len, off_t pos)
{
	struct kiovec iov;
	struct uio uio;

	uio_init_kernel(&uio, &iov, (void *)buf, len, UIO_WRITE);
	return file_write(f, &uio, &pos);
}

/* See vfs_internal.h. */
int import_iovec(uptr_t uiov, long cnt, enum uio_dir dir,
			struct uio *uio, struct kiovec **kiov)
{
	struct { uint64_t base, len; } v;
	size_t total = 0;
	struct kiovec *iov;
	long i;

	if (cnt < 0 || cnt > UIO_MAXIOV)
		return -EINVAL;
	iov = kmalloc(sizeof(*iov) * (cnt ? cnt : 1));
	if (!iov)
		return -ENOMEM;
	for (i = 0; i < cnt; i++) {
		if (copy_from_user(&v, uptr_add(uiov, i * sizeof(v)), sizeof(v))) {
			kfree(iov);
			return -EFAULT;
		}
		if (v.len > (uint64_t)INT64_MAX) {
			kfree(iov);
			return -EINVAL;
		}
		v.len = MIN(v.len, (uint64_t)(MAX_RW_COUNT - total));
		iov[i].ubase = UPTR(v.base);
		iov[i].len = v.len;
		total += v.len;
	}
	uio->iov = iov;
	uio->iovcnt = (int)cnt;
	uio->resid = total;
	uio->dir = dir;
	uio->seg = UIO_USER;
	*kiov = iov;
	return 0;
}

/*
 * The file of a read/write flavour, after Linux's first checks: a
 * negative offset (EINVAL, before even the descriptor), the descriptor
 * (EBADF), and a positioned call on a file without positions (ESPIPE).
 * A reference for the caller, or NULL and *@err.
 */
static struct file *rw_file(int fd, off_t pos, bool positioned, long *err)
{
	struct file *f;

	*err = -EINVAL;
	if (positioned && pos < 0)
		return NULL;
	*err = -EBADF;
	f = fd_get_io(fd);
	if (!f)
		return NULL;
	*err = -ESPIPE;
	if (positioned && file_is_stream(f)) {
		fput(f);
		return NULL;
	}
	return f;
}

/*
 * The body of every read/write flavour, on @f (from rw_file, looked up
 * once per call); @positioned: at @upos, else at the file position.
 */
static long do_rw(struct file *f, struct uio *uio, off_t upos,
		  bool positioned)
{
	off_t pos;
	long ret;

	pos = positioned ? upos : f->pos;
	/* Counted for /proc/<pid>/io, as Linux's add_rchar and inc_syscr. */
	if (uio->dir == UIO_READ) {
		ret = file_read(f, uio, &pos);
		current->syscr++;
		current->rchar += ret > 0 ? (uint64_t)ret : 0;
	} else {
		ret = file_write(f, uio, &pos);
		current->syscw++;
		current->wchar += ret > 0 ? (uint64_t)ret : 0;
	}
	if (!positioned && ret >= 0)
		f->pos = pos;
	return ret;
}

/*
 * As Linux's kiocb_set_rw_flags, once the descriptor, offset and iovec
 * are known good and there is something to move: unknown flags are
 * EOPNOTSUPP, and so is RWF_NOWAIT, which no file here supports (Linux
 * 6.1 refuses it on tmpfs and pipes too; it takes it on sockets). 0 or
 * -errno.
 */
static int rwf_check(struct file *f, const struct uio *uio, unsigned rwf)
{
	unsigned need = uio->dir == UIO_READ ? FMODE_READ : FMODE_WRITE;

	if (!(f->mode & need) || uio->resid == 0)
		return 0;	/* do_rw gives EBADF, or moves nothing */
	if (rwf & ~RWF_SUPPORTED || (rwf & RWF_NOWAIT))
		return -EOPNOTSUPP;
	return 0;
}

/*
 * do_rw with RWF_* flags: RWF_APPEND writes at the end of a regular file
 * (and leaves the position there if the call used it), RWF_DSYNC and
 * RWF_SYNC write through with the file's fsync; RWF_HIPRI means nothing
 * without polled I/O.
 */
static long do_rw_flags(struct file *f, struct uio *uio, off_t upos,
			bool positioned, unsigned rwf)
{
	bool regular_write = uio->dir == UIO_WRITE && S_ISREG(f->inode->mode);
	long ret, err;

	if ((rwf & RWF_APPEND) && regular_write && (f->mode & FMODE_WRITE)) {
		upos = f->inode->size;
		if (!positioned) {
			ret = do_rw(f, uio, upos, true);
			if (ret >= 0)
				f->pos = upos + ret;
			goto sync;
		}
	}
	ret = do_rw(f, uio, upos, positioned);
sync:
	if (ret > 0 && regular_write && (rwf & (RWF_DSYNC | RWF_SYNC))) {
		err = vop_fsync(f);
		if (err)
			return err;
	}
	return ret;
}

static long rw_one(int fd, uptr_t buf, long count, enum uio_dir dir,
		   off_t pos, bool positioned)
{
	struct kiovec iov;
	struct uio uio;
	long ret;
	struct file *f = rw_file(fd, pos, positioned, &ret);

	/* As vfs_read/vfs_write: the file first, then the buffer's range. */
	if (!f)
		return ret;
	ret = -EFAULT;
	if ((f->mode & (dir == UIO_READ ? FMODE_READ : FMODE_WRITE)) &&
	    !access_ok(buf, (size_t)count))
		goto out_put;
	if (count < 0)
		count = MAX_RW_COUNT;
	uio_init_user(&uio, &iov, buf, MIN(count, MAX_RW_COUNT), dir);
	ret = do_rw(f, &uio, pos, positioned);
out_put:
	fput(f);
	return ret;
}

static long rw_vec(int fd, uptr_t uiov, long cnt, enum uio_dir dir,
		   off_t pos, bool positioned, unsigned rwf)
{
	struct kiovec *iov;
	struct uio uio;
	long ret;
	struct file *f = rw_file(fd, pos, positioned, &ret);

	if (!f)
		return ret;
	ret = import_iovec(uiov, cnt, dir, &uio, &iov);
	if (ret)
		goto out_put;
	ret = rwf_check(f, &uio, rwf);
	if (!ret)
		ret = do_rw_flags(f, &uio, pos, positioned, rwf);
	kfree(iov);
out_put:
	fput(f);
	return ret;
}

SYSCALL(__NR_read, read)(SYSCALL_ARGS)
{
	return rw_one((int)a0, UPTR(a1), a2, UIO_READ, 0, false);
}

SYSCALL(__NR_write, write)(SYSCALL_ARGS)
{
	return rw_one((int)a0, UPTR(a1), a2, UIO_WRITE, 0, false);
}

SYSCALL(__NR_pread64, pread64)(SYSCALL_ARGS)
{
	return rw_one((int)a0, UPTR(a1), a2, UIO_READ, a3, true);
}

SYSCALL(__NR_pwrite64, pwrite64)(SYSCALL_ARGS)
{
	return rw_one((int)a0, UPTR(a1), a2, UIO_WRITE, a3, true);
}

SYSCALL(__NR_readv, readv)(SYSCALL_ARGS)
{
	return rw_vec((int)a0, UPTR(a1), a2, UIO_READ, 0, false, 0);
}

SYSCALL(__NR_writev, writev)(SYSCALL_ARGS)
{
	return rw_vec((int)a0, UPTR(a1), a2, UIO_WRITE, 0, false, 0);
}

SYSCALL(__NR_preadv, preadv)(SYSCALL_ARGS)
{
	return rw_vec((int)a0, UPTR(a1), a2, UIO_READ, a3, true, 0);
}

SYSCALL(__NR_pwritev, pwritev)(SYSCALL_ARGS)
{
	return rw_vec((int)a0, UPTR(a1), a2, UIO_WRITE, a3, true, 0);
}

/* An offset of -1 means the file position, as readv and writev use it. */
SYSCALL(__NR_preadv2, preadv2)(SYSCALL_ARGS)
{
	return rw_vec((int)a0, UPTR(a1), a2, UIO_READ, a3, a3 != -1,
		      (unsigned)a5);
}

SYSCALL(__NR_pwritev2, pwritev2)(SYSCALL_ARGS)
{
	return rw_vec((int)a0, UPTR(a1), a2, UIO_WRITE, a3, a3 != -1,
		      (unsigned)a5);
}

/* The new position for lseek on @f, or -errno. */
static off_t lseek_pos(struct file *f, off_t off, int whence)
{
	struct inode *inode = f->inode;
	off_t base;

	if (S_ISCHR(inode->mode))
		return vop_llseek(f, off, whence);
	if (S_ISBLK(inode->mode))
		return blkdev_llseek(f, off, whence);
	if (S_ISDIR(inode->mode) && whence != SEEK_SET && whence != SEEK_CUR)
		return -EINVAL;
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->pos;
		break;
	case SEEK_END:
		base = inode->size;
		break;
	case SEEK_DATA:
	case SEEK_HOLE:
		if (off < 0 || off >= inode->size)
			return -ENXIO;
		return vop_seek_data(f, off, whence);
	default:
		return -EINVAL;
	}
	if (__builtin_add_overflow(base, off, &base) || base < 0)
		return -EINVAL;
	return base;
}

SYSCALL(__NR_lseek, lseek)(SYSCALL_ARGS)
{
	struct file *f = fd_get_io((int)a0);
	off_t pos;

	if (!f)
		return -EBADF;
	if ((unsigned)a2 > SEEK_HOLE)
		pos = -EINVAL;	/* Linux's SEEK_MAX, before the file's rule */
	else if (file_is_stream(f) || (f->mode & FMODE_NO_LSEEK))
		pos = -ESPIPE;
	else
		pos = lseek_pos(f, a1, (int)a2);
	if (pos >= 0)
		f->pos = pos;
	fput(f);
	return pos;
}

/*
 * Copy up to @count bytes from @in at *@ipos to @out at *@opos, both
 * advanced by what was copied: the bytes copied, or -errno if none were.
 * A pending signal ends the copy after a chunk, with the count so far, as
 * Linux's copy loops stop (a gigabyte from /dev/zero is not one step).
 */
static long file_copy(struct file *out, off_t *opos, struct file *in,
		      off_t *ipos, size_t count)
{
	char *buf = kmalloc(SENDFILE_CHUNK);
	size_t done = 0;
	long ret = 0;

	if (!buf)
		return -ENOMEM;
	while (done < count && !(done && signal_pending())) {
		size_t chunk = MIN(count - done, (size_t)SENDFILE_CHUNK);
		ssize_t n, w;

		n = kernel_read(in, buf, chunk, *ipos);
		if (n <= 0) {
			ret = n;
			break;
		}
		w = kernel_write(out, buf, n, *opos);
		if (w <= 0) {
			ret = w;
			break;
		}
		*opos += w;
		*ipos += w;
		done += w;
		if (w < n)
			break;
	}
	kfree(buf);
	return done ? (long)done : ret;
}

/* An offset from user memory, or the file's position if @uoff is NULL. */
static int get_offset(uptr_t uoff, struct file *f, off_t *pos)
{
	if (uptr_null(uoff)) {
		*pos = f->pos;
		return 0;
	}
	return get_user(*pos, uoff) ? -EFAULT : 0;
}

/* Store @pos back where get_offset found it: 0 or -EFAULT. */
static int put_offset(uptr_t uoff, struct file *f, off_t pos)
{
	if (uptr_null(uoff)) {
		f->pos = pos;
		return 0;
	}
	return put_user(pos, uoff) ? -EFAULT : 0;
}

SYSCALL(__NR_sendfile, sendfile)(SYSCALL_ARGS)
{
	struct file *out = fd_get_io((int)a0), *in = fd_get_io((int)a1);
	uptr_t uoff = UPTR(a2);
	size_t count = MIN((size_t)a3, (size_t)MAX_RW_COUNT);
	off_t pos, opos;
	long ret;

	ret = -EBADF;
	if (!out || !in || !(in->mode & FMODE_READ) ||
	    !(out->mode & FMODE_WRITE))
		goto out_put;
	ret = -EINVAL;
	if (out->flags & O_APPEND)
		goto out_put;
	if (!uptr_null(uoff)) {
		ret = -EFAULT;
		if (get_user(pos, uoff))
			goto out_put;
		ret = -ESPIPE;
		if (file_is_stream(in))
			goto out_put;
		ret = -EINVAL;
		if (pos < 0)
			goto out_put;
	} else {
		pos = in->pos;
	}
	if (S_ISDIR(in->inode->mode)) {
		ret = -EINVAL;
		goto out_put;
	}
	opos = out->pos;
	ret = file_copy(out, &opos, in, &pos, count);
	if (!file_is_stream(out))
		out->pos = opos;
	if (put_offset(uoff, in, pos))
		ret = -EFAULT;
out_put:
	if (out)
		fput(out);
	if (in)
		fput(in);
	return ret;
}

/*
 * As Linux's generic_copy_file_checks: regular files on one superblock
 * (tmpfs has no copy_file_range of its own, so Linux refuses other
 * pairs with EXDEV), readable and writable (not O_APPEND), offsets that
 * do not wrap (EOVERFLOW), the count cut at the source's end, no overlap
 * within one file, then offsets neither negative nor ending past
 * INT64_MAX (EINVAL). 0 or -errno; *@count may shrink.
 */
static int copy_range_checks(struct file *in, off_t ipos, struct file *out,
			     off_t opos, size_t *count)
{
	struct inode *ii = in->inode, *oi = out->inode;

	if (S_ISDIR(ii->mode) || S_ISDIR(oi->mode))
		return -EISDIR;
	if (!S_ISREG(ii->mode) || !S_ISREG(oi->mode))
		return -EINVAL;
	if (!(in->mode & FMODE_READ) || !(out->mode & FMODE_WRITE) ||
	    (out->flags & O_APPEND))
		return -EBADF;
	if (ii->sb != oi->sb)
		return -EXDEV;
	/* Linux adds the count to the offsets unsigned: -1 wraps, -5 not. */
	if ((uint64_t)ipos + *count < (uint64_t)ipos ||
	    (uint64_t)opos + *count < (uint64_t)opos)
		return -EOVERFLOW;
	*count = ipos >= ii->size ? 0 : MIN(*count, (size_t)(ii->size - ipos));
	if (ii == oi && opos + (off_t)*count > ipos && opos < ipos + (off_t)*count)
		return -EINVAL;
	/* Then rw_verify_area's: no negative offset, no end past INT64_MAX. */
	if (ipos < 0 || opos < 0 || (int64_t)((uint64_t)ipos + *count) < 0 ||
	    (int64_t)((uint64_t)opos + *count) < 0)
		return -EINVAL;
	return 0;
}


SYSCALL(__NR_copy_file_range, copy_file_range)(SYSCALL_ARGS)
{
	uptr_t uoff_in = UPTR(a1), uoff_out = UPTR(a3);
	size_t count = MIN((size_t)a4, (size_t)MAX_RW_COUNT);
	struct file *in = NULL, *out = NULL;
	off_t ipos, opos;
	long ret = -EINVAL;

	if (a5)
		goto out_put;
	ret = -EBADF;
	in = fd_get_io((int)a0);
	out = in ? fd_get_io((int)a2) : NULL;
	if (!out)
		goto out_put;
	ret = get_offset(uoff_in, in, &ipos);
	if (!ret)
		ret = get_offset(uoff_out, out, &opos);
	if (!ret)
		ret = copy_range_checks(in, ipos, out, opos, &count);
	if (ret || !count)
		goto out_put;
	ret = file_copy(out, &opos, in, &ipos, count);
	if (ret <= 0)
		goto out_put;
	if (put_offset(uoff_in, in, ipos))
		ret = -EFAULT;
	if (put_offset(uoff_out, out, opos))
		ret = -EFAULT;
out_put:
	if (out)
		fput(out);
	if (in)
		fput(in);
	return ret;
}

SYSCALL(__NR_readahead, readahead)(SYSCALL_ARGS)
{
	struct file *f = fd_get_io((int)a0);
	long ret = 0;

	if (!f || !(f->mode & FMODE_READ))
		ret = -EBADF;
	else if (!S_ISREG(f->inode->mode))
		ret = -EINVAL;
	if (f)
		fput(f);
	return ret;
}

SYSCALL(__NR_fadvise64, fadvise64)(SYSCALL_ARGS)
{
	struct file *f = fd_get_io((int)a0);
	long ret = 0;

	if (!f)
		return -EBADF;
	if (S_ISFIFO(f->inode->mode))
		ret = -ESPIPE;
	else if (a2 < 0 || (unsigned long)a3 > 5)
		ret = -EINVAL;
	fput(f);
	return ret;
}
