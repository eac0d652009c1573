/*
 * Physical page frames (platform/frame.c). Frames are reference counted;
 * outside platform/ their contents are reached through the copy
 * operations below. Only where the profile allows (not fortress,
 * CONFIG_FRAME_COPY_ONLY) does frame_map() also give a direct pointer.
 */
#pragma once
#include <aramid/types.h>
#include <aramid/profile.h>

#define PAGE_SIZE	4096UL
#define PAGE_SHIFT	12
#define PAGE_MASK	(~(PAGE_SIZE - 1))

/* A frame with refcount 1, zero-filled; 0 when memory is exhausted. */
paddr_t frame_alloc(void);
/* A frame with refcount 1, contents undefined; 0 when exhausted. */
paddr_t frame_alloc_dirty(void);
void frame_get(paddr_t pa);
/* Drop a reference; the frame is freed when the last one goes. */
void frame_put(paddr_t pa);
unsigned frame_refcount(paddr_t pa);

void frame_zero(paddr_t pa);
void frame_copy(paddr_t dst, paddr_t src);
/* Copy bytes within one frame: @off + @len must not pass PAGE_SIZE. */
void frame_read(paddr_t pa, size_t off, void *buf, size_t len);
void frame_write(paddr_t pa, size_t off, const void *buf, size_t len);
/*
 * Copy @len bytes between frame @pa at @off (@off + @len within the
 * page) and user memory @u, into user memory if @to_user, checked as
 * every user copy is (include/platform/usercopy.h): one copy, no bounce
 * buffer, so every profile can move file data at the copy's speed. 0,
 * or -EFAULT with nothing known of how much moved.
 */
int frame_copy_user(paddr_t pa, size_t off, uptr_t u, size_t len,
		    bool to_user);

#if !CONFIG_FRAME_COPY_ONLY
/*
 * The fast path: the kernel's direct-mapped address of frame @pa's first
 * byte, valid while the caller holds a reference to the frame. Not
 * declared in fortress, where frames are reached only by copying, so
 * code that uses it there does not compile (tests/compile proves it).
 */
void *frame_map(paddr_t pa);
#endif

struct frame_stats {
	size_t total;	/* usable frames */
	size_t free;
};
void frame_stats(struct frame_stats *st);
