/*
 * File data in page frames (include/svc/file_page.h): the one place a
 * filesystem's pages meet I/O buffers, so the profile's frame-access rule
 * (CONFIG_FRAME_COPY_ONLY) is applied here, not in each filesystem.
 */
#include <svc/file_page.h>
#include <aramid/compiler.h>
#include <aramid/string.h>
#include <platform/frame.h>

#define ZEROS_SIZE	512

#if CONFIG_FRAME_COPY_ONLY
/*
 * Through a bounce buffer, byte-exact at a fault: the slow path, taken
 * from the entry a direct copy faulted on.
 */
static int file_page_bounce(paddr_t pa, size_t off, size_t n,
			    struct uio *uio)
{
	/*
	 * One page-sized bounce buffer serves every call: there is one CPU,
	 * and nothing here sleeps or re-enters file data.
	 */
	static char bounce[PAGE_SIZE];

	while (n > 0) {
		size_t chunk = MIN(n, sizeof(bounce));
		size_t before = uio->resid, moved;
		int err;

		if (uio->dir == UIO_READ)
			frame_read(pa, off, bounce, chunk);
		err = uiomove_exact(bounce, chunk, uio);
		moved = before - uio->resid;
		if (uio->dir == UIO_WRITE)
			frame_write(pa, off, bounce, moved);
		if (err || moved < chunk)	/* a fault, or @uio is full */
			return err;
		off += moved;
		n -= moved;
	}
	return 0;
}

/*
 * One copy between the frame and the buffers, inside platform/; a fault
 * goes over to the bounce path, which counts the bytes that got there.
 */
int file_page_uiomove(paddr_t pa, size_t off, size_t n, struct uio *uio)
{
	size_t before = uio->resid, moved;

	if (!uiomove_frame(pa, off, n, uio))
		return 0;
	moved = before - uio->resid;
	return file_page_bounce(pa, off + moved, n - moved, uio);
}
#endif

int file_hole_uiomove(size_t n, struct uio *uio)
{
	char zeros[ZEROS_SIZE];

	memset(zeros, 0, MIN(n, sizeof(zeros)));
	while (n > 0) {
		size_t chunk = MIN(n, sizeof(zeros));
		int err = uiomove_exact(zeros, chunk, uio);

		if (err)
			return err;
		n -= chunk;
	}
	return 0;
}

void file_page_zero(paddr_t pa, size_t off, size_t len)
{
	static const char zeros[ZEROS_SIZE];

	while (len > 0) {
		size_t n = MIN(len, sizeof(zeros));

		frame_write(pa, off, zeros, n);
		off += n;
		len -= n;
	}
}
