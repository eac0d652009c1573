/*
 * The ioctls of a userfaultfd (userfaultfd.c), as Linux 6.1's: UFFDIO_API
 * first (every other is EINVAL before it), then REGISTER and UNREGISTER
 * of ranges of anonymous private memory in missing-page mode, and the
 * resolutions COPY, ZEROPAGE and WAKE. Unknown requests are EINVAL.
 * Process context, under the kernel lock; the context's address space
 * may be another process's (a descriptor inherited across fork).
 */
#include <kernel/mm.h>
#include <kernel/task.h>
#include <svc/task.h>
#include <platform/usercopy.h>
#include <uapi/capability.h>
#include <uapi/errno.h>
#include "mm_internal.h"
#include "userfaultfd_internal.h"

#define API_IOCTLS	(1ULL << _UFFDIO_REGISTER | 1ULL << _UFFDIO_UNREGISTER | \
			 1ULL << _UFFDIO_API)
#define RANGE_IOCTLS	(1ULL << _UFFDIO_WAKE | 1ULL << _UFFDIO_COPY | \
			 1ULL << _UFFDIO_ZEROPAGE)

/*
 * Linux's validate_range: page-aligned, not empty, from vm.mmap_min_addr
 * up, within the user half. 0 or -EINVAL.
 */
static int validate_range(uint64_t start, uint64_t len)
{
	if ((start | len) & (PAGE_SIZE - 1) || !len || start < MMAP_MIN ||
	    start >= TASK_SIZE || len > TASK_SIZE - start)
		return -EINVAL;
	return 0;
}

/* Linux's vma_can_userfault, for the memory this kernel supports. */
static bool vma_can_userfault(const struct vma *v)
{
	return !v->file && !v->anon && !(v->flags & (VMA_SHARED | VMA_VVAR |
						     VMA_VDSO | VMA_AIO));
}

static long uffd_api(struct uffd_ctx *ctx, uptr_t arg)
{
	struct uffdio_api api;
	uint64_t wanted;
	long err;

	if (ctx->api_done)
		return -EINVAL;
	if (copy_from_user(&api, arg, sizeof(api)))
		return -EFAULT;
	err = -EINVAL;
	if (api.api != UFFD_API || (api.features & ~UFFD_FEATURES_SUPPORTED))
		goto refuse;
	wanted = api.features;
	api.features = UFFD_FEATURES_SUPPORTED;
	api.ioctls = API_IOCTLS;
	if (copy_to_user(arg, &api, sizeof(api)))
		return -EFAULT;
	ctx->features = wanted;
	ctx->api_done = true;
	return 0;

refuse:		/* Linux zeroes the caller's structure */
	api = (struct uffdio_api){ 0 };
	return copy_to_user(arg, &api, sizeof(api)) ? -EFAULT : err;
}

/*
 * The checks register and unregister make of each vma in [start, end):
 * at least one (ENOMEM if no vma ends above @start, as Linux's
 * find_vma_prev finds none, else EINVAL), each of a kind that can be
 * registered, and (@reg) not another context's (EBUSY), nor a vma that
 * can never be written (EPERM).
 */
static int check_vmas(struct uffd_ctx *ctx, uintptr_t start, uintptr_t end,
		      bool reg)
{
	struct vma *v;
	bool found = false;
	int err = -ENOMEM;

	list_for_each_entry(v, &ctx->mm->vmas, link) {
		if (v->end <= start)
			continue;
		err = -EINVAL;
		if (v->start >= end)
			break;
		if (!vma_can_userfault(v))
			return -EINVAL;
		if (reg && (v->flags & VMA_NOWRITE))
			return -EPERM;
		if (reg && v->uffd && v->uffd != ctx)
			return -EBUSY;
		found = true;
	}
	return found ? 0 : err;
}

/* See userfaultfd_internal.h. */
int uffd_set_range(struct uffd_ctx *ctx, uintptr_t start, uintptr_t end,
		   struct uffd_ctx *to, uint64_t modes)
{
	struct mm *mm = ctx->mm;
	uintptr_t addr = start;
	struct vma *v;
	int err;

	while ((v = vma_first_from(mm, addr)) && v->start < end) {
		addr = v->end;
		if ((v->uffd == to && v->uffd_modes == modes) ||
		    (!to && v->uffd != ctx))
			continue;
		err = vma_modify(mm, v, MAX(start, v->start), MIN(end, v->end),
				 v->prot, v->flags, true, to, modes, &v);
		if (err)
			return err;
		addr = v->end;
	}
	return 0;
}

static long uffd_register(struct uffd_ctx *ctx, uptr_t arg)
{
	struct uffdio_register reg;
	uintptr_t start, end;
	uint64_t ioctls = RANGE_IOCTLS;
	int err;

	/* the last field is the kernel's answer: not read */
	if (copy_from_user(&reg, arg, offsetof(struct uffdio_register, ioctls)))
		return -EFAULT;
	if (reg.mode != UFFDIO_REGISTER_MODE_MISSING)
		return -EINVAL;
	err = validate_range(reg.range.start, reg.range.len);
	if (err)
		return err;
	start = reg.range.start;
	end = start + reg.range.len;
	err = check_vmas(ctx, start, end, true);
	if (!err)
		err = uffd_set_range(ctx, start, end, ctx, reg.mode);
	if (err)
		return err;
	ctx->mm->uffd_used = true;
	if (copy_to_user(uptr_add(arg, offsetof(struct uffdio_register, ioctls)),
			 &ioctls, sizeof(ioctls)))
		return -EFAULT;
	return 0;
}

/* The struct uffdio_range at @arg, validated: 0, -EFAULT or -EINVAL. */
static int read_range(uptr_t arg, struct uffdio_range *range)
{
	if (copy_from_user(range, arg, sizeof(*range)))
		return -EFAULT;
	return validate_range(range->start, range->len);
}

static long uffd_unregister(struct uffd_ctx *ctx, uptr_t arg)
{
	struct uffdio_range range;
	uintptr_t start, end;
	int err = read_range(arg, &range);

	if (err)
		return err;
	start = range.start;
	end = start + range.len;
	err = check_vmas(ctx, start, end, false);
	/* This context's vmas only: another descriptor's registration
	 * stays (Linux 6.1 clears it too; later kernels refuse with EINVAL). */
	if (!err)
		err = uffd_set_range(ctx, start, end, NULL, 0);
	if (err)
		return err;
	uffd_wake_range(ctx, start, range.len);
	return 0;
}

static long uffd_wake(struct uffd_ctx *ctx, uptr_t arg)
{
	struct uffdio_range range;
	int err = read_range(arg, &range);

	if (err)
		return err;
	uffd_wake_range(ctx, range.start, range.len);
	return 0;
}

/*
 * Linux's find_dst_vma: the one vma holding all of [start, start+len),
 * registered with @ctx, or NULL (ENOENT).
 */
static struct vma *dst_vma(struct uffd_ctx *ctx, uintptr_t start, size_t len)
{
	struct vma *v = vma_find(ctx->mm, start);

	if (!v || start + len > v->end || v->uffd != ctx)
		return NULL;
	return v;
}

/*
 * Fill the missing pages of [dst, dst+len) of @ctx's address space, from
 * the caller's memory at @src (or with zeroes if @src is NULL): the bytes
 * filled, or -errno if none were: ENOENT (not one registered vma), EEXIST
 * (a page is already there), EFAULT (@src), ENOMEM.
 */
static long fill_pages(struct uffd_ctx *ctx, uintptr_t dst, const uptr_t *src,
		       size_t len)
{
	struct mm *mm = ctx->mm;
	struct vma *v = dst_vma(ctx, dst, len);
	size_t done;
	long err = 0;

	if (!v)
		return -ENOENT;
	vma_anon_prepare(mm, v);
	for (done = 0; done < len; done += PAGE_SIZE) {
		unsigned cur;
		paddr_t pa;

		if (mmu_lookup(mm->space, dst + done, &pa, &cur)) {
			err = -EEXIST;
			break;
		}
		pa = src ? frame_alloc_dirty() : frame_alloc();
		if (!pa) {
			err = -ENOMEM;
			break;
		}
		if (src && frame_copy_user(pa, 0, uptr_add(*src, done),
					   PAGE_SIZE, false)) {
			frame_put(pa);
			err = -EFAULT;
			break;
		}
		err = mmu_map(mm->space, dst + done, pa, vma_mmu_prot(v));
		if (err)
			break;
		if (++mm->rss_pages > mm->hiwater_rss_pages)
			mm->hiwater_rss_pages = mm->rss_pages;
	}
	return done ? (long)done : err;
}

/*
 * The end of COPY and ZEROPAGE: the result into the caller's field at
 * @result, the filled part woken unless @dontwake, and 0 when all of
 * @len was filled, -EAGAIN when only part was.
 */
static long fill_done(struct uffd_ctx *ctx, uptr_t result, long filled,
		      uintptr_t dst, size_t len, bool dontwake)
{
	int64_t r = filled;

	if (copy_to_user(result, &r, sizeof(r)))
		return -EFAULT;
	if (filled < 0)
		return filled;
	if (!dontwake)
		uffd_wake_range(ctx, dst, (size_t)filled);
	return (size_t)filled == len ? 0 : -EAGAIN;
}

static long uffd_copy(struct uffd_ctx *ctx, uptr_t arg)
{
	struct uffdio_copy c;
	uptr_t src;
	long err;

	if (copy_from_user(&c, arg, offsetof(struct uffdio_copy, copy)))
		return -EFAULT;
	err = validate_range(c.dst, c.len);
	if (err)
		return err;
	if (c.src + c.len <= c.src ||
	    (c.mode & ~(UFFDIO_COPY_MODE_DONTWAKE | UFFDIO_COPY_MODE_WP)))
		return -EINVAL;
	if (c.mode & UFFDIO_COPY_MODE_WP)
		return -EINVAL;	/* no write-protect mode to map it under */
	src = UPTR(c.src);
	return fill_done(ctx, uptr_add(arg, offsetof(struct uffdio_copy, copy)),
			 fill_pages(ctx, c.dst, &src, c.len), c.dst, c.len,
			 c.mode & UFFDIO_COPY_MODE_DONTWAKE);
}

static long uffd_zeropage(struct uffd_ctx *ctx, uptr_t arg)
{
	struct uffdio_zeropage z;
	long err;

	if (copy_from_user(&z, arg, offsetof(struct uffdio_zeropage, zeropage)))
		return -EFAULT;
	err = validate_range(z.range.start, z.range.len);
	if (err)
		return err;
	if (z.mode & ~UFFDIO_ZEROPAGE_MODE_DONTWAKE)
		return -EINVAL;
	return fill_done(ctx, uptr_add(arg,
				       offsetof(struct uffdio_zeropage, zeropage)),
			 fill_pages(ctx, z.range.start, NULL, z.range.len),
			 z.range.start, z.range.len,
			 z.mode & UFFDIO_ZEROPAGE_MODE_DONTWAKE);
}

/* See userfaultfd_internal.h. */
long uffd_ioctl(struct uffd_ctx *ctx, unsigned cmd, uptr_t arg)
{
	if (cmd != UFFDIO_API && !ctx->api_done)
		return -EINVAL;
	switch (cmd) {
	case UFFDIO_API:
		return uffd_api(ctx, arg);
	case UFFDIO_REGISTER:
		return uffd_register(ctx, arg);
	case UFFDIO_UNREGISTER:
		return uffd_unregister(ctx, arg);
	case UFFDIO_WAKE:
		return uffd_wake(ctx, arg);
	case UFFDIO_COPY:
		return uffd_copy(ctx, arg);
	case UFFDIO_ZEROPAGE:
		return uffd_zeropage(ctx, arg);
	}
	return -EINVAL;
}
