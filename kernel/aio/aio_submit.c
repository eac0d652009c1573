/*
 * io_submit and io_cancel (Linux 6.1's fs/aio.c): each iocb checked in
 * Linux's order and its errors returned as Linux returns them, from
 * io_submit for what is wrong with the request and in the event for
 * what the I/O itself gives. Reads, writes and syncs run to the end at
 * submission, as the filesystems here complete at once, and their event
 * is in the ring before io_submit returns; a poll waits (aio_poll.c).
 * Kernel lock held throughout.
 */
#include <kernel/event.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <kernel/vfs.h>
#include <kernel/vfs_ops.h>
#include <platform/heap.h>
#include <platform/usercopy.h>
#include <uapi/fs.h>
#include "aio.h"
#include <kernel/page_cache.h>

/* As Linux's aio_prep_rw: the priority and the RWF_* flags. */
static int rw_prep(const struct iocb *cb)
{
	int err;

	if (cb->aio_flags & IOCB_FLAG_IOPRIO) {
		err = ioprio_check((uint16_t)cb->aio_reqprio);
		if (err)
			return err;
	}
	/* No file here can promise not to block (FMODE_NOWAIT). */
	if ((unsigned)cb->aio_rw_flags & ~RWF_SUPPORTED ||
	    (cb->aio_rw_flags & RWF_NOWAIT))
		return -EOPNOTSUPP;
	return 0;
}

/*
 * Linux's aio_read and aio_write: 0 with the result in *@res (bytes or
 * -errno, a signal's restart turned into -EINTR), or the -errno
 * io_submit returns.
 */
static int aio_rw(struct file *f, const struct iocb *cb, enum uio_dir dir,
		  bool vectored, int64_t *res)
{
	bool reading = dir == UIO_READ;
	struct kiovec one, *iov = NULL;
	off_t pos = cb->aio_offset;
	struct uio uio;
	ssize_t ret;
	int err = rw_prep(cb);

	if (err)
		return err;
	if (!(f->mode & (reading ? FMODE_READ : FMODE_WRITE)))
		return -EBADF;
	if (!f->fops || !(reading ? f->fops->read : f->fops->write))
		return -EINVAL;
	if (vectored) {
		err = import_iovec(UPTR(cb->aio_buf), (long)cb->aio_nbytes,
				   dir, &uio, &iov);
		if (err)
			return err;
	} else {
		size_t len = MIN(cb->aio_nbytes, (uint64_t)MAX_RW_COUNT);

		if (!access_ok(UPTR(cb->aio_buf), len))
			return -EFAULT;
		uio_init_user(&uio, &one, UPTR(cb->aio_buf), len, dir);
	}
	/* rw_verify_area */
	if (pos < 0 || pos > INT64_MAX - (off_t)uio.resid) {
		kfree(iov);
		return -EINVAL;
	}
	if (!reading && (cb->aio_rw_flags & RWF_APPEND) &&
	    S_ISREG(f->inode->mode))
		pos = f->inode->size;
	ret = reading ? file_read(f, &uio, &pos) : file_write(f, &uio, &pos);
	if (ret > 0 && !reading && S_ISREG(f->inode->mode) &&
	    (cb->aio_rw_flags & (RWF_DSYNC | RWF_SYNC))) {
		err = vop_fsync(f);
		if (err)
			ret = err;
	}
	if (ret == -ERESTARTSYS || ret == -ERESTARTNOHAND)
		ret = -EINTR;
	*res = ret;
	kfree(iov);
	return 0;
}

/* Linux's aio_fsync: only the descriptor may be given. */
static int aio_fsync(struct file *f, const struct iocb *cb, int64_t *res)
{
	int err;

	if (cb->aio_buf || cb->aio_offset || cb->aio_nbytes ||
	    cb->aio_rw_flags)
		return -EINVAL;
	if (!f->fops || !f->fops->fsync)
		return -EINVAL;
	*res = page_cache_writeback(f, 0, UINT64_MAX);
	if (!*res)
		*res = vop_fsync(f);
	err = page_cache_take_error(f->inode);
	if (!*res)
		*res = err;
	return 0;
}

/* See aio.h. */
void aio_req_free(struct aio_req *req)
{
	fput(req->file);
	if (req->eventfd)
		fput(req->eventfd);
	aio_ctx_put(req->ctx);
	kfree(req);
}

/*
 * A poll's request (its slot already counted in ctx->inflight), which
 * owns @f and @efd from here on if it is queued or completes.
 */
static int submit_poll(struct aio_ctx *ctx, const struct iocb *cb,
		       struct file *f, struct file *efd,
		       const struct io_event *ev)
{
	struct aio_req *req = kzalloc(sizeof(*req));
	int err;

	if (!req)
		return -ENOMEM;
	req->ctx = ctx;
	req->file = f;
	req->eventfd = efd;
	req->ev = *ev;
	ctx->refs++;
	err = aio_poll_submit(req, cb);
	if (err) {
		req->file = NULL;
		req->eventfd = NULL;
		aio_ctx_put(ctx);
		kfree(req);
	}
	return err;
}

/* Linux's io_submit_one and __io_submit_one, for the iocb at @ucb. */
static int submit_one(struct aio_ctx *ctx, uptr_t ucb)
{
	struct io_event ev = { .obj = uptr_to_ulong(ucb) };
	struct file *f, *efd = NULL;
	uint32_t key = 0;
	struct iocb cb;
	int err;

	if (copy_from_user(&cb, ucb, sizeof(cb)))
		return -EFAULT;
	if (cb.aio_reserved2)
		return -EINVAL;
	if ((int64_t)cb.aio_nbytes < 0)
		return -EINVAL;
	if (ctx->inflight + aio_ring_events(ctx) >= ctx->nr_events - 1)
		return -EAGAIN;
	f = fd_get_io((int)cb.aio_fildes);
	if (!f)
		return -EBADF;
	if (cb.aio_flags & IOCB_FLAG_RESFD) {
		efd = eventfd_fget((int)cb.aio_resfd);
		if (IS_ERR(efd)) {
			err = PTR_ERR(efd);
			efd = NULL;
			goto out;
		}
	}
	err = -EFAULT;
	if (put_user(key, uptr_add(ucb, offsetof(struct iocb, aio_key))))
		goto out;
	ev.data = cb.aio_data;
	ctx->inflight++;	/* a read may sleep: its slot is taken now */
	switch (cb.aio_lio_opcode) {
	case IOCB_CMD_PREAD:
	case IOCB_CMD_PREADV:
		err = aio_rw(f, &cb, UIO_READ,
			     cb.aio_lio_opcode == IOCB_CMD_PREADV, &ev.res);
		break;
	case IOCB_CMD_PWRITE:
	case IOCB_CMD_PWRITEV:
		err = aio_rw(f, &cb, UIO_WRITE,
			     cb.aio_lio_opcode == IOCB_CMD_PWRITEV, &ev.res);
		break;
	case IOCB_CMD_FSYNC:
	case IOCB_CMD_FDSYNC:
		err = aio_fsync(f, &cb, &ev.res);
		break;
	case IOCB_CMD_POLL:
		err = submit_poll(ctx, &cb, f, efd, &ev);
		if (!err)
			return 0;
		break;
	default:
		err = -EINVAL;
		break;
	}
	if (err)
		ctx->inflight--;
	else
		aio_complete(ctx, &ev, efd);
out:
	fput(f);
	if (efd)
		fput(efd);
	return err;
}

/* io_submit(ctx, nr, iocbpp): how many were queued, or the first error. */
SYSCALL(__NR_io_submit, io_submit)(SYSCALL_ARGS)
{
	long nr = a1, i;
	uptr_t uv = UPTR(a2);
	struct aio_ctx *ctx;
	int ret = 0;

	if (nr < 0)
		return -EINVAL;
	ctx = aio_ctx_lookup((uintptr_t)a0);
	if (!ctx)
		return -EINVAL;
	if (nr > (long)ctx->nr_events)
		nr = ctx->nr_events;
	for (i = 0; i < nr; i++) {
		uint64_t ucb;

		if (get_user(ucb, uptr_add(uv, i * sizeof(ucb)))) {
			ret = -EFAULT;
			break;
		}
		ret = submit_one(ctx, UPTR(ucb));
		if (ret)
			break;
	}
	aio_ctx_put(ctx);
	return i ? i : ret;
}

/*
 * io_cancel(ctx, iocb, result): a waiting poll is cancelled, its event
 * delivered through the ring (EINPROGRESS, as Linux 6.1: @result is not
 * used); EINVAL for anything that is not waiting.
 */
SYSCALL(__NR_io_cancel, io_cancel)(SYSCALL_ARGS)
{
	uptr_t ucb = UPTR(a1);
	struct aio_ctx *ctx;
	struct aio_req *req;
	uint32_t key;
	long ret = -EINVAL;

	if (get_user(key, uptr_add(ucb, offsetof(struct iocb, aio_key))))
		return -EFAULT;
	if (key != 0)
		return -EINVAL;
	ctx = aio_ctx_lookup((uintptr_t)a0);
	if (!ctx)
		return -EINVAL;
	list_for_each_entry(req, &ctx->active, link) {
		if (req->ev.obj == uptr_to_ulong(ucb)) {
			aio_poll_cancel(req);
			ret = -EINPROGRESS;
			break;
		}
	}
	aio_ctx_put(ctx);
	return ret;
}
