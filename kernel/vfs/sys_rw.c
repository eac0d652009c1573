/*
 * Reading and writing: read, write, the vectored and positioned variants,
 * lseek, sendfile, and kernel_read()/kernel_write().
 */
#include "vfs_internal.h"
#include <kernel/syscall.h>
#include <platform/heap.h>
#include <platform/usercopy.h>

#define MAX_RW_COUNT	0x7ffff000L	/* INT_MAX rounded down to a page */
#define UIO_MAXIOV	1024
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
	if (!(f->mode & FMODE_READ))
		return -EBADF;
	if (!rw_range_ok(*pos, uio))
		return -EINVAL;
	if (S_ISDIR(f->inode->mode))
		return -EISDIR;
	if (uio->resid == 0)
		return 0;
	return vop_read(f, uio, pos);
}

/* Write @uio to @f at *@pos (at the end for O_APPEND): bytes or -errno. */
ssize_t file_write(struct file *f, struct uio *uio, off_t *pos)
{
	if (!(f->mode & FMODE_WRITE))
		return -EBADF;
	if (!rw_range_ok(*pos, uio))
		return -EINVAL;
	if ((f->flags & O_APPEND) && S_ISREG(f->inode->mode))
		*pos = f->inode->size;
	if (uio->resid == 0)
		return 0;
	return vop_write(f, uio, pos);
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

/*
 * Copy in a user iovec array as a uio (the kiovec array is kmalloc'd into
 * *@kiov; kfree it). The total is clamped to MAX_RW_COUNT as on Linux.
 */
static int import_iovec(uptr_t uiov, long cnt, enum uio_dir dir,
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
 * The body of every read/write flavour, on @f (the caller's reference,
 * looked up once per call); @positioned: at @upos, else at the file
 * position.
 */
static long do_rw(struct file *f, struct uio *uio, off_t upos,
		  bool positioned)
{
	off_t pos;
	long ret;

	if (positioned) {
		if (file_is_stream(f))
			return -ESPIPE;
		if (upos < 0)
			return -EINVAL;
		pos = upos;
	} else {
		pos = f->pos;
	}
	if (uio->dir == UIO_READ)
		ret = file_read(f, uio, &pos);
	else
		ret = file_write(f, uio, &pos);
	if (!positioned && ret >= 0)
		f->pos = pos;
	return ret;
}

static long rw_one(int fd, uptr_t buf, long count, enum uio_dir dir,
		   off_t pos, bool positioned)
{
	struct kiovec iov;
	struct uio uio;
	struct file *f = fd_get_io(fd);
	long ret;

	/* As vfs_read/vfs_write: EBADF first, then the whole buffer's range. */
	if (!f)
		return -EBADF;
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
		   off_t pos, bool positioned)
{
	struct kiovec *iov;
	struct uio uio;
	struct file *f = fd_get_io(fd);
	long ret;

	if (!f)
		return -EBADF;
	ret = import_iovec(uiov, cnt, dir, &uio, &iov);
	if (ret)
		goto out_put;
	ret = do_rw(f, &uio, pos, positioned);
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
	return rw_vec((int)a0, UPTR(a1), a2, UIO_READ, 0, false);
}

SYSCALL(__NR_writev, writev)(SYSCALL_ARGS)
{
	return rw_vec((int)a0, UPTR(a1), a2, UIO_WRITE, 0, false);
}

SYSCALL(__NR_preadv, preadv)(SYSCALL_ARGS)
{
	return rw_vec((int)a0, UPTR(a1), a2, UIO_READ, a3, true);
}

SYSCALL(__NR_pwritev, pwritev)(SYSCALL_ARGS)
{
	return rw_vec((int)a0, UPTR(a1), a2, UIO_WRITE, a3, true);
}

/* The new position for lseek on @f, or -errno. */
static off_t lseek_pos(struct file *f, off_t off, int whence)
{
	struct inode *inode = f->inode;
	off_t base;

	if (S_ISCHR(inode->mode))
		return 0;	/* memory devices: always at 0, as Linux */
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
	if (file_is_stream(f))
		pos = -ESPIPE;
	else
		pos = lseek_pos(f, a1, (int)a2);
	if (pos >= 0)
		f->pos = pos;
	fput(f);
	return pos;
}

/* Copy up to @count bytes from @in at *@pos to @out's position. */
static long sendfile_copy(struct file *out, struct file *in, off_t *pos,
			  size_t count)
{
	char *buf = kmalloc(SENDFILE_CHUNK);
	size_t done = 0;
	long ret = 0;

	if (!buf)
		return -ENOMEM;
	while (done < count) {
		size_t chunk = MIN(count - done, (size_t)SENDFILE_CHUNK);
		off_t opos = out->pos;
		ssize_t n, w;

		n = kernel_read(in, buf, chunk, *pos);
		if (n <= 0) {
			ret = n;
			break;
		}
		w = kernel_write(out, buf, n, opos);
		if (w <= 0) {
			ret = w;
			break;
		}
		if (!file_is_stream(out))
			out->pos = opos + w;
		*pos += w;
		done += w;
		if (w < n)
			break;
	}
	kfree(buf);
	return done ? (long)done : ret;
}

SYSCALL(__NR_sendfile, sendfile)(SYSCALL_ARGS)
{
	struct file *out = fd_get_io((int)a0), *in = fd_get_io((int)a1);
	uptr_t uoff = UPTR(a2);
	size_t count = MIN((size_t)a3, (size_t)MAX_RW_COUNT);
	off_t pos;
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
	ret = sendfile_copy(out, in, &pos, count);
	if (!uptr_null(uoff)) {
		if (put_user(pos, uoff))
			ret = -EFAULT;
	} else {
		in->pos = pos;
	}
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
