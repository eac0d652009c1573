/*
 * splice, tee and vmsplice (Linux's fs/splice.c): data moved between a
 * pipe and a file, socket or another pipe, duplicated from one pipe into
 * another, or between a pipe and user memory. The bytes go through a
 * kernel bounce buffer; what counts is Linux's rules: which ends may be
 * pipes, offsets only on the side that is not one (ESPIPE), a wait only
 * until the first bytes can move, SPLICE_F_NONBLOCK (or O_NONBLOCK on a
 * pipe end) for EAGAIN instead, and bytes leave a pipe only once they
 * were written.
 */
#include "vfs_internal.h"
#include <kernel/pipe.h>
#include <kernel/syscall.h>
#include <platform/heap.h>
#include <platform/usercopy.h>

#define SPLICE_F_MOVE		0x01
#define SPLICE_F_NONBLOCK	0x02
#define SPLICE_F_MORE		0x04
#define SPLICE_F_GIFT		0x08
#define SPLICE_F_ALL		0x0f
#define SPLICE_CHUNK		65536

/* The buffer bytes move through, or NULL. */
static char *bounce(void)
{
	return kmalloc(SPLICE_CHUNK);
}

/* Where a pipe's bytes go: the count it took of @n at @buf, or -errno. */
typedef ssize_t (*pipe_sink)(void *ctx, const char *buf, size_t n);

/*
 * Up to @len bytes from pipe @ip into @sink, once the pipe has some;
 * bytes leave the pipe only as the sink takes them. The bytes moved, 0
 * at end of file, or -errno if none moved.
 */
static long pipe_drain(struct pipe *ip, size_t len, bool nonblock,
		       pipe_sink sink, void *ctx)
{
	size_t done = 0;
	long ret;
	char *buf;

	ret = pipe_wait_data(ip, nonblock);
	if (ret <= 0)
		return ret;
	buf = bounce();
	if (!buf)
		return -ENOMEM;
	while (done < len && pipe_buffered(ip)) {
		size_t n = pipe_peek(ip, 0, buf, MIN(len - done,
						     (size_t)SPLICE_CHUNK));
		ssize_t w = sink(ctx, buf, n);

		if (w <= 0) {
			ret = w;
			break;
		}
		pipe_consume(ip, (size_t)w);
		done += (size_t)w;
		if ((size_t)w < n)
			break;
	}
	kfree(buf);
	return done ? (long)done : ret;
}

/* A file at a position, as a pipe_sink. */
struct file_sink {
	struct file *f;
	off_t *pos;
};

static ssize_t to_file(void *ctx, const char *buf, size_t n)
{
	struct file_sink *fs = ctx;
	ssize_t w = kernel_write(fs->f, buf, n, *fs->pos);

	if (w > 0)
		*fs->pos += w;
	return w;
}

/*
 * @n bytes between @buf and user memory, in @uio's direction: the bytes
 * moved before a fault, else -errno.
 */
static ssize_t user_move(struct uio *uio, char *buf, size_t n)
{
	size_t before = uio->resid;
	int err = uiomove_exact(buf, n, uio);

	return before > uio->resid ? (ssize_t)(before - uio->resid) : err;
}

/* User memory (a uio), as a pipe_sink: the bytes before a fault count. */
static ssize_t to_user(void *ctx, const char *buf, size_t n)
{
	return user_move(ctx, (char *)buf, n);
}

/*
 * Where a pipe's bytes come from: the count it put in @buf of the @n
 * asked for, 0 if it has no more, or -errno.
 */
typedef ssize_t (*pipe_source)(void *ctx, char *buf, size_t n);

/*
 * Up to @len bytes from @source into pipe @op, once the pipe has room,
 * as much as the room allows. Each chunk the source gives goes in whole:
 * if another writer took the room while the source slept, this waits for
 * room again, whatever @nonblock says, so that no byte it gave is lost.
 * A chunk short of what was asked is the last. The bytes added, 0 if the
 * source had none, or -errno if none were added.
 */
static long pipe_pour(struct pipe *op, size_t len, bool nonblock,
		      pipe_source source, void *ctx)
{
	size_t done = 0;
	long ret;
	char *buf;

	ret = pipe_wait_room(op, nonblock);
	if (ret)
		return ret;
	buf = bounce();
	if (!buf)
		return -ENOMEM;
	while (done < len && pipe_room(op)) {
		size_t want = MIN(MIN(len - done, pipe_room(op)),
				  (size_t)SPLICE_CHUNK);
		ssize_t n = source(ctx, buf, want);
		size_t put = 0;

		if (n <= 0) {
			ret = n;
			break;
		}
		while (put < (size_t)n) {
			ssize_t w = pipe_fill(op, buf + put, (size_t)n - put);

			if (w < 0) {
				ret = w;
				goto out;
			}
			put += (size_t)w;
			done += (size_t)w;
			if (put < (size_t)n) {
				ret = pipe_wait_room(op, false);
				if (ret)
					goto out;
			}
		}
		if ((size_t)n < want)
			break;
	}
out:
	kfree(buf);
	return done ? (long)done : ret;
}

/*
 * A file at a position, as a pipe_source: one read a splice, as a second
 * could wait on a stream once the first took what it had.
 */
struct file_source {
	struct file *f;
	off_t pos;
	bool read;
};

static ssize_t from_file(void *ctx, char *buf, size_t n)
{
	struct file_source *fs = ctx;

	if (fs->read)
		return 0;
	fs->read = true;
	return kernel_read(fs->f, buf, n, fs->pos);
}

/* User memory (a uio), as a pipe_source: the bytes before a fault count. */
static ssize_t from_user(void *ctx, char *buf, size_t n)
{
	return user_move(ctx, buf, n);
}

/*
 * Move (@consume: splice) or copy (tee) up to @len bytes from pipe @ip to
 * pipe @op, waiting only until some can go. A copy starts at the oldest
 * byte, as Linux's link_pipe.
 */
static long pipe_to_pipe(struct pipe *ip, struct pipe *op, size_t len,
			 bool nonblock, bool consume)
{
	size_t done = 0;
	long ret;
	char *buf;

	ret = pipe_wait_data(ip, nonblock);
	if (ret <= 0)
		return ret;
	ret = pipe_wait_room(op, nonblock);
	if (ret)
		return ret;
	buf = bounce();
	if (!buf)
		return -ENOMEM;
	while (done < len && pipe_room(op)) {
		size_t skip = consume ? 0 : done;
		size_t n = pipe_peek(ip, skip, buf,
				     MIN(MIN(len - done, pipe_room(op)),
					 (size_t)SPLICE_CHUNK));
		ssize_t w;

		if (!n)
			break;
		w = pipe_fill(op, buf, n);
		if (w < 0) {
			ret = w;
			break;
		}
		if (consume)
			pipe_consume(ip, (size_t)w);
		done += (size_t)w;
	}
	kfree(buf);
	return done ? (long)done : ret;
}

/*
 * The offset a splice names for its side that is not a pipe (@uoff, else
 * the file position): 0 or -EFAULT.
 */
static int splice_offset(struct file *f, uptr_t uoff, off_t *pos)
{
	if (uptr_null(uoff)) {
		*pos = f->pos;
		return 0;
	}
	return get_user(*pos, uoff) ? -EFAULT : 0;
}

/* Store the new position where splice_offset found it. */
static int splice_offset_done(struct file *f, uptr_t uoff, off_t pos)
{
	if (uptr_null(uoff)) {
		if (!file_is_stream(f))
			f->pos = pos;
		return 0;
	}
	return put_user(pos, uoff) ? -EFAULT : 0;
}

/*
 * Whether the file side of a splice may take part, as Linux's do_splice
 * asks: an explicit offset needs a seekable file, an output no O_APPEND,
 * a directory has no data, and the offset may not be negative.
 */
static int splice_file_ok(struct file *f, uptr_t uoff, off_t pos, bool out)
{
	if (!uptr_null(uoff) && file_is_stream(f))
		return -EINVAL;
	if ((out && (f->flags & O_APPEND)) || S_ISDIR(f->inode->mode))
		return -EINVAL;
	return pos < 0 ? -EINVAL : 0;
}

static long do_splice(struct file *in, uptr_t off_in, struct file *out,
		      uptr_t off_out, size_t len, unsigned flags)
{
	struct pipe *ip = pipe_of_file(in), *op = pipe_of_file(out);
	bool nonblock = flags & SPLICE_F_NONBLOCK;
	off_t ipos = 0, opos = 0;
	long ret;

	if ((ip && !uptr_null(off_in)) || (op && !uptr_null(off_out)))
		return -ESPIPE;
	if ((!op && splice_offset(out, off_out, &opos)) ||
	    (!ip && splice_offset(in, off_in, &ipos)))
		return -EFAULT;
	if (!(in->mode & FMODE_READ) || !(out->mode & FMODE_WRITE))
		return -EBADF;
	len = MIN(len, (size_t)MAX_RW_COUNT);
	if (ip && op) {
		if (ip == op)
			return -EINVAL;
		nonblock |= (in->flags | out->flags) & O_NONBLOCK;
		return pipe_to_pipe(ip, op, len, nonblock, true);
	}
	if (ip) {
		struct file_sink fs = { out, &opos };

		ret = splice_file_ok(out, off_out, opos, true);
		if (ret)
			return ret;
		nonblock |= in->flags & O_NONBLOCK;
		ret = pipe_drain(ip, len, nonblock, to_file, &fs);
		if (ret >= 0 && splice_offset_done(out, off_out, opos))
			ret = -EFAULT;
		return ret;
	}
	if (op) {
		struct file_source fs = { in, ipos, false };

		ret = splice_file_ok(in, off_in, ipos, false);
		if (ret)
			return ret;
		nonblock |= out->flags & O_NONBLOCK;
		ret = pipe_pour(op, len, nonblock, from_file, &fs);
		if (ret > 0)
			ipos += ret;
		if (ret >= 0 && splice_offset_done(in, off_in, ipos))
			ret = -EFAULT;
		return ret;
	}
	return -EINVAL;
}

SYSCALL(__NR_splice, splice)(SYSCALL_ARGS)
{
	struct file *in, *out;
	long ret;

	if (!a4)
		return 0;
	if ((unsigned)a5 & ~SPLICE_F_ALL)
		return -EINVAL;
	in = fd_get((int)a0);
	if (!in)
		return -EBADF;
	out = fd_get((int)a2);
	if (!out) {
		fput(in);
		return -EBADF;
	}
	ret = do_splice(in, UPTR(a1), out, UPTR(a3), (size_t)a4, (unsigned)a5);
	fput(out);
	fput(in);
	return ret;
}

SYSCALL(__NR_tee, tee)(SYSCALL_ARGS)
{
	struct file *in, *out;
	struct pipe *ip, *op;
	long ret = -EBADF;

	if ((unsigned)a3 & ~SPLICE_F_ALL)
		return -EINVAL;
	if (!a2)
		return 0;
	in = fd_get((int)a0);
	if (!in)
		return -EBADF;
	out = fd_get((int)a1);
	if (!out)
		goto out_in;
	if (!(in->mode & FMODE_READ) || !(out->mode & FMODE_WRITE))
		goto out_out;
	ip = pipe_of_file(in);
	op = pipe_of_file(out);
	ret = -EINVAL;
	if (ip && op && ip != op)
		ret = pipe_to_pipe(ip, op, MIN((size_t)a2, (size_t)MAX_RW_COUNT),
				   ((unsigned)a3 & SPLICE_F_NONBLOCK) ||
				   ((in->flags | out->flags) & O_NONBLOCK),
				   false);
out_out:
	fput(out);
out_in:
	fput(in);
	return ret;
}

SYSCALL(__NR_vmsplice, vmsplice)(SYSCALL_ARGS)
{
	unsigned flags = (unsigned)a3;
	struct kiovec *kiov = NULL;
	enum uio_dir dir;
	struct file *f;
	struct pipe *p;
	struct uio uio;
	long ret;

	if (flags & ~SPLICE_F_ALL)
		return -EINVAL;
	f = fd_get((int)a0);
	if (!f)
		return -EBADF;
	ret = -EBADF;
	if (f->mode & FMODE_WRITE)
		dir = UIO_WRITE;	/* user memory into the pipe */
	else if (f->mode & FMODE_READ)
		dir = UIO_READ;
	else
		goto out_put;
	ret = import_iovec(UPTR(a1), a2, dir, &uio, &kiov);
	if (ret)
		goto out_put;
	p = pipe_of_file(f);
	if (!uio.resid)
		ret = 0;
	else if (!p)
		ret = -EBADF;
	else if (dir == UIO_WRITE)
		ret = pipe_pour(p, uio.resid, flags & SPLICE_F_NONBLOCK,
				from_user, &uio);
	else
		ret = pipe_drain(p, uio.resid, flags & SPLICE_F_NONBLOCK,
				 to_user, &uio);
	kfree(kiov);
out_put:
	fput(f);
	return ret;
}
