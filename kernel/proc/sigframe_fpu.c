/*
 * The FPU state in a signal frame, as Linux lays it out on x86-64: the
 * FXSAVE image, or with XSAVE the standard-format XSAVE area, whose
 * FXSAVE software-reserved bytes describe it (FP_XSTATE_MAGIC1, sizes,
 * features) and which FP_XSTATE_MAGIC2 follows; with XSAVE, rt_sigreturn
 * checks the description as Linux does and falls back to the FXSAVE part
 * when it does not hold. Runs for the current task only.
 */
#include <kernel/task.h>
#include <platform/cpu.h>
#include <platform/usercopy.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include "proc_internal.h"

#define FP_XSTATE_MAGIC1	0x46505853U
#define FP_XSTATE_MAGIC2	0x46505845U
#define FXSAVE_SIZE		512
#define XSAVE_MIN_SIZE		(FXSAVE_SIZE + 64)	/* with the header */
#define SW_BYTES_OFF		464	/* in the FXSAVE image */
#define XSTATE_BV_OFF		512
#define XFEATURE_FPSSE		0x3UL

/* The FXSAVE image's software-reserved bytes (Linux's _fpx_sw_bytes). */
struct fpx_sw_bytes {
	uint32_t magic1;
	uint32_t extended_size;		/* the XSAVE area and MAGIC2 */
	uint64_t xfeatures;
	uint32_t xstate_size;		/* the XSAVE area */
	uint32_t padding[7];
};
_Static_assert(sizeof(struct fpx_sw_bytes) == 48, "fpx_sw_bytes");

/*
 * Linux's worst-case frame parts (arch/x86/kernel/signal.c): the largest
 * frame struct (the 32-bit sigframe, 732 bytes), its 16-byte alignment,
 * the i387 fsave header a 32-bit frame adds (112 bytes) and the XSAVE
 * area's 64-byte alignment.
 */
#define FRAME_STRUCT_MAX	732
#define FRAME_ALIGN		16
#define FSAVE_HEADER		112
#define XSAVE_ALIGN		64

size_t sigframe_fpu_size(void)
{
	return cpu_fpu_size() + (cpu_fpu_xfeatures() ? 4 : 0);
}

unsigned long sigframe_min_stack(void)
{
	size_t n = FRAME_STRUCT_MAX + FRAME_ALIGN - 1 + sigframe_fpu_size() +
		   FSAVE_HEADER + XSAVE_ALIGN - 1;

	return ALIGN_UP(n, FRAME_ALIGN);
}

int sigframe_fpu_save(uint64_t fp_addr)
{
	uint8_t *img = current->cpu.fpu;
	uint64_t xfeatures = cpu_fpu_xfeatures();
	uint32_t size = cpu_fpu_size(), magic2 = FP_XSTATE_MAGIC2;
	struct fpx_sw_bytes sw = {	/* Linux tags an FXSAVE image too */
		.magic1 = FP_XSTATE_MAGIC1,
		.extended_size = size + 4,
		.xfeatures = xfeatures,
		.xstate_size = size,
	};

	cpu_thread_copy_fpu(&current->cpu);
	if (xfeatures) {
		uint64_t bv;

		/* Linux always marks x87 and SSE present, for old readers. */
		memcpy(&bv, img + XSTATE_BV_OFF, 8);
		bv |= XFEATURE_FPSSE;
		memcpy(img + XSTATE_BV_OFF, &bv, 8);
	}
	memcpy(img + SW_BYTES_OFF, &sw, sizeof(sw));
	if (copy_to_user(UPTR(fp_addr), img, size))
		return -EFAULT;
	if (xfeatures && put_user(magic2, UPTR(fp_addr + size)))
		return -EFAULT;
	return 0;
}

/*
 * Whether the XSAVE area at @fp_addr is described as one (Linux's
 * check_xstate_in_sigframe): *@xsave and *@size tell what to load.
 */
static int xstate_in_frame(uint64_t fp_addr, bool *xsave, uint32_t *size,
			   uint64_t *rfbm)
{
	struct fpx_sw_bytes sw;
	uint32_t magic2;

	*xsave = false;
	*size = FXSAVE_SIZE;
	*rfbm = XFEATURE_FPSSE;
	if (copy_from_user(&sw, UPTR(fp_addr + SW_BYTES_OFF), sizeof(sw)))
		return -EFAULT;
	if (sw.magic1 != FP_XSTATE_MAGIC1 || sw.xstate_size < XSAVE_MIN_SIZE ||
	    sw.xstate_size > cpu_fpu_size() ||
	    sw.xstate_size > sw.extended_size)
		return 0;
	if (get_user(magic2, UPTR(fp_addr + sw.xstate_size)))
		return -EFAULT;
	if (magic2 != FP_XSTATE_MAGIC2)
		return 0;
	*xsave = true;
	*size = sw.xstate_size;
	*rfbm = sw.xfeatures;
	return 0;
}

int sigframe_fpu_restore(uint64_t fp_addr)
{
	uint8_t img[FPU_STATE_MAX] __aligned(64);
	bool xsave = false;
	uint32_t size = FXSAVE_SIZE;
	uint64_t rfbm = XFEATURE_FPSSE;
	int err;

	if (!fp_addr) {			/* no FPU state: start afresh */
		cpu_thread_reset_fpu(&current->cpu);
		return 0;
	}
	if (cpu_fpu_xfeatures()) {
		err = xstate_in_frame(fp_addr, &xsave, &size, &rfbm);
		if (err)
			goto fail;
	}
	/* XRSTOR and FXRSTOR fault on a misaligned image. */
	err = -EFAULT;
	if (fp_addr % (xsave ? 64 : 16))
		goto fail;
	/* Only what cpu_thread_load_fpu reads: the image it is given. */
	memset(img + size, 0, (xsave ? cpu_fpu_size() : FXSAVE_SIZE) - size);
	if (copy_from_user(img, UPTR(fp_addr), size))
		goto fail;
	return cpu_thread_load_fpu(&current->cpu, img, xsave, rfbm);
fail:
	cpu_thread_reset_fpu(&current->cpu);
	return err;
}
