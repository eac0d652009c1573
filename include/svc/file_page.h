/*
 * File data in page frames, for filesystem services (kernel/vfs/
 * file_page.c): moving bytes between a page of a file and an I/O buffer.
 * How a frame's bytes are reached is the profile's decision, taken here
 * once for every filesystem: through the frame's direct mapping where
 * the profile allows it, in fortress by platform/'s copy between the
 * frame and the buffer (no frame pointer outside platform/).
 * A filesystem owns its frames (platform/frame.h: frame_alloc, frame_get,
 * frame_put) and names them to these calls; a page cache can take that
 * ownership later behind the same calls.
 */
#pragma once
#include <aramid/profile.h>
#include <aramid/types.h>
#include <platform/frame.h>
#include <svc/uio.h>

/*
 * Move @n bytes between offset @off of frame @pa and @uio, in the uio's
 * direction (@off + @n within the page). Like Linux's shmem, a fault
 * still counts every byte that reached its destination. Process context,
 * the caller holding a reference to the frame. Returns 0 or -EFAULT;
 * uio->resid tells how much moved. Straight through the frame's direct
 * mapping, inline, where the profile allows it; in fortress by one copy
 * inside platform/ (kernel/vfs/file_page.c), a bounce buffer only to
 * count the bytes at a fault.
 */
#if !CONFIG_FRAME_COPY_ONLY
static inline int file_page_uiomove(paddr_t pa, size_t off, size_t n,
				    struct uio *uio)
{
	return uiomove_exact((char *)frame_map(pa) + off, n, uio);
}
#else
int file_page_uiomove(paddr_t pa, size_t off, size_t n, struct uio *uio);
#endif

/* Move @n zero bytes (a hole in the file) into @uio: 0 or -EFAULT. */
int file_hole_uiomove(size_t n, struct uio *uio);

/*
 * Zero @len bytes of frame @pa from @off (a truncated tail, a punched
 * hole); @off + @len must not pass PAGE_SIZE.
 */
void file_page_zero(paddr_t pa, size_t off, size_t len);
