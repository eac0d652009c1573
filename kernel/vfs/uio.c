/*
 * I/O buffer descriptions (struct uio): moving bytes between a kernel
 * buffer and a scatter list of user or kernel memory.
 */
#include <svc/uio.h>
#include <aramid/compiler.h>
#include <aramid/string.h>
#include <platform/usercopy.h>
#include <platform/frame.h>
#include <uapi/errno.h>

/*
 * Move up to @n bytes between @kaddr and @uio in the uio's direction,
 * consuming the iovecs. Process context (user copies may fault in pages).
 * Returns 0, or -EFAULT with uio->resid telling what was left.
 */
int uiomove(void *kaddr, size_t n, struct uio *uio)
{
	char *k = kaddr;

	while (n > 0 && uio->resid > 0) {
		struct kiovec *iov = uio->iov;
		size_t cnt;
		int err = 0;

		if (uio->iovcnt <= 0)
			break;
		if (iov->len == 0) {
			uio->iov++;
			uio->iovcnt--;
			continue;
		}
		cnt = MIN(n, iov->len);
		if (uio->seg == UIO_KERNEL) {
			if (uio->dir == UIO_READ)
				memcpy(iov->kbase, k, cnt);
			else
				memcpy(k, iov->kbase, cnt);
			iov->kbase = (char *)iov->kbase + cnt;
		} else {
			if (uio->dir == UIO_READ)
				err = copy_to_user(iov->ubase, k, cnt);
			else
				err = copy_from_user(k, iov->ubase, cnt);
			if (err)
				return err;
			iov->ubase = uptr_add(iov->ubase, cnt);
		}
		iov->len -= cnt;
		uio->resid -= cnt;
		k += cnt;
		n -= cnt;
	}
	return 0;
}

/* See include/svc/uio.h. */
int uiomove_frame(paddr_t pa, size_t off, size_t n, struct uio *uio)
{
	while (n > 0 && uio->resid > 0 && uio->iovcnt > 0) {
		struct kiovec *iov = uio->iov;
		size_t cnt = MIN(n, iov->len);

		if (iov->len == 0) {
			uio->iov++;
			uio->iovcnt--;
			continue;
		}
		if (uio->seg == UIO_KERNEL) {
			if (uio->dir == UIO_READ)
				frame_read(pa, off, iov->kbase, cnt);
			else
				frame_write(pa, off, iov->kbase, cnt);
			iov->kbase = (char *)iov->kbase + cnt;
		} else {
			if (frame_copy_user(pa, off, iov->ubase, cnt,
					    uio->dir == UIO_READ))
				return -EFAULT;
			iov->ubase = uptr_add(iov->ubase, cnt);
		}
		iov->len -= cnt;
		uio->resid -= cnt;
		off += cnt;
		n -= cnt;
	}
	return 0;
}

/* See include/svc/uio.h. */
int uiomove_after_fault(void *kaddr, size_t n, struct uio *uio,
			size_t before, int err)
{
	char *k = kaddr;

	for (size_t done = before - uio->resid; done < n; done++)
		if (uiomove(k + done, 1, uio))
			break;
	return err;
}

/* A uio over the single user buffer @buf of @len bytes, stored in *@iov. */
void uio_init_user(struct uio *uio, struct kiovec *iov, uptr_t buf,
		   size_t len, enum uio_dir dir)
{
	iov->ubase = buf;
	iov->len = len;
	uio->iov = iov;
	uio->iovcnt = 1;
	uio->resid = len;
	uio->dir = dir;
	uio->seg = UIO_USER;
}

/* A uio over the kernel buffer @buf of @len bytes, stored in *@iov. */
void uio_init_kernel(struct uio *uio, struct kiovec *iov, void *buf,
		     size_t len, enum uio_dir dir)
{
	iov->kbase = buf;
	iov->len = len;
	uio->iov = iov;
	uio->iovcnt = 1;
	uio->resid = len;
	uio->dir = dir;
	uio->seg = UIO_KERNEL;
}

/* See uio.h. */
int user_probe_write(uptr_t p, size_t n)
{
	size_t off = 0;
	char c;

	if (!access_ok(p, n))
		return -EFAULT;
	while (off < n) {
		uptr_t q = uptr_add(p, off);

		if (get_user(c, q) || put_user(c, q))
			return -EFAULT;
		/* on to the start of the next page */
		off += PAGE_SIZE - (uptr_to_ulong(q) & (PAGE_SIZE - 1));
	}
	return 0;
}
