/*
 * I/O buffers (kernel/vfs/uio.c): a scatter list of user or kernel memory
 * that file operations fill or drain with uiomove(), so one read()
 * implementation serves read, readv, pread and in-kernel reads alike.
 */
#pragma once
#include <aramid/types.h>

#define MAX_RW_COUNT	0x7ffff000L	/* a read or write's most: INT_MAX
					 * rounded down to a page, as Linux */
#define UIO_MAXIOV	1024		/* the most entries of an iovec */

/* One buffer: which member holds its address is the uio's seg. */
struct kiovec {
	union {
		uptr_t ubase;	/* UIO_USER */
		void *kbase;	/* UIO_KERNEL */
	};
	size_t len;
};

enum uio_seg {
	UIO_USER,		/* the buffers are user memory (ubase) */
	UIO_KERNEL,		/* the buffers are kernel memory (kbase) */
};

enum uio_dir {
	UIO_READ,		/* data moves into the buffers (read) */
	UIO_WRITE,		/* data moves out of the buffers (write) */
};

struct uio {
	struct kiovec *iov;	/* consumed as data moves */
	int iovcnt;
	size_t resid;		/* bytes left to move */
	enum uio_dir dir;
	enum uio_seg seg;	/* which kiovec member holds the addresses */
};

/*
 * Move up to @n bytes between @kaddr and the buffers, in the direction of
 * @uio. Returns 0 or -EFAULT (after moving what it could; uio->resid
 * tells how much).
 */
int uiomove(void *kaddr, size_t n, struct uio *uio);

/*
 * uiomove() with frame @pa's bytes from @off in place of a kernel buffer
 * (@off + @n within the page), copied by platform/ without a pointer to
 * the frame. 0, or -EFAULT having moved the entries before the one that
 * faulted (uio->resid tells how much).
 */
int uiomove_frame(paddr_t pa, size_t off, size_t n, struct uio *uio);

/*
 * The fault path of uiomove_exact (uio.c): after uiomove() of @n bytes at
 * @kaddr failed with @err, with uio->resid @before the call, move the
 * bytes up to the faulting one a byte at a time. Returns @err.
 */
int uiomove_after_fault(void *kaddr, size_t n, struct uio *uio,
			size_t before, int err);

/*
 * uiomove() of @n bytes at @kaddr, but on a fault also the bytes before
 * it, as Linux counts a read or write (uiomove() moves a span whole or
 * not at all). Process context. 0 or -EFAULT; uio->resid tells how much
 * moved. Inline: file data moves through it a page at a time.
 */
static inline int uiomove_exact(void *kaddr, size_t n, struct uio *uio)
{
	size_t before = uio->resid;
	int err = uiomove(kaddr, n, uio);

	return err ? uiomove_after_fault(kaddr, n, uio, before, err) : 0;
}

/* A uio over one buffer: *@iov is the storage for its single entry. */
void uio_init_user(struct uio *uio, struct kiovec *iov, uptr_t buf,
		   size_t len, enum uio_dir dir);
void uio_init_kernel(struct uio *uio, struct kiovec *iov, void *buf,
		     size_t len, enum uio_dir dir);

/*
 * Check that [@p, @p + @n) is writable user memory, faulting its pages
 * in, without changing it: one byte per page is read and written back.
 * For a system call that must know a later copy_to_user() will succeed
 * before it acts. Process context. Returns 0 or -EFAULT.
 */
int user_probe_write(uptr_t p, size_t n);
