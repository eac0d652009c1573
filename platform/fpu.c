/*
 * The FPU/SSE/AVX register state of user threads. With XSAVE (CPUID leaf
 * 1) the boot CPU enables, in XCR0, what it has of x87, SSE, AVX and
 * AVX-512, and each thread's state is an XSAVE area in the standard (not
 * compacted) format, sized by CPUID leaf 0xD; without XSAVE it is the
 * 512-byte FXSAVE image. The state is switched eagerly with each thread.
 */
#include <platform/cpu.h>
#include <platform/panic.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include "x86.h"
#include "cpu_internal.h"

#define CR4_OSFXSR	(1UL << 9)
#define CR4_OSXMMEXCPT	(1UL << 10)
#define CR4_OSXSAVE	(1UL << 18)
#define CPUID1_XSAVE	(1U << 26)	/* leaf 1 ECX */

/* XCR0 components: x87, SSE, AVX; AVX-512's opmask, ZMM_Hi256, Hi16_ZMM. */
#define XFEATURE_FPSSE	0x03UL
#define XFEATURE_AVX	0x04UL
#define XFEATURE_AVX512	0xe0UL

#define FXSAVE_SIZE	512
#define XSAVE_HDR_SIZE	64		/* after the legacy area: XSTATE_BV, ... */

static uint8_t fpu_initial[FPU_STATE_MAX] __aligned(64);
static uint32_t fpu_size = FXSAVE_SIZE;	/* bytes of a thread's image */
static uint64_t fpu_xfeatures;		/* XCR0; 0 without XSAVE */

static void xsetbv0(uint64_t v)
{
	__asm__ __volatile__("xsetbv" : : "c"(0), "a"((uint32_t)v),
			     "d"((uint32_t)(v >> 32)));
}

/* Save the live state into @area (FPU_STATE_MAX bytes, 64-aligned). */
void fpu_save(uint8_t *area)
{
	if (fpu_xfeatures)
		__asm__ __volatile__("xsave64 %0" : "+m"(*(uint8_t (*)[FPU_STATE_MAX])area)
				     : "a"((uint32_t)fpu_xfeatures),
				       "d"((uint32_t)(fpu_xfeatures >> 32)));
	else
		__asm__ __volatile__("fxsave64 %0"
				     : "=m"(*(uint8_t (*)[FXSAVE_SIZE])area));
}

/* Load the state in @area, which fpu_save or a checked load made valid. */
void fpu_restore(const uint8_t *area)
{
	if (fpu_xfeatures)
		__asm__ __volatile__("xrstor64 %0"
				     : : "m"(*(const uint8_t (*)[FPU_STATE_MAX])area),
				       "a"((uint32_t)fpu_xfeatures),
				       "d"((uint32_t)(fpu_xfeatures >> 32)));
	else
		__asm__ __volatile__("fxrstor64 %0"
				     : : "m"(*(const uint8_t (*)[FXSAVE_SIZE])area));
}

/*
 * Load an image that may be invalid: XRSTOR of the components in @rfbm,
 * or FXRSTOR if not @xsave. A #GP (reserved MXCSR or header bits, an
 * XSTATE_BV bit outside XCR0) resumes at the fault label by the exception
 * table. Returns 0, or -EINVAL after such a fault.
 */
static int fpu_restore_checked(const uint8_t *area, bool xsave, uint64_t rfbm)
{
	if (xsave)
		__asm__ goto("1: xrstor64 %0\n\t"
			     ".pushsection __extable, \"a\"\n\t"
			     ".quad 1b, %l[fault]\n\t"
			     ".popsection"
			     : : "m"(*(const uint8_t (*)[FPU_STATE_MAX])area),
			       "a"((uint32_t)rfbm), "d"((uint32_t)(rfbm >> 32))
			     : "memory" : fault);
	else
		__asm__ goto("1: fxrstor64 %0\n\t"
			     ".pushsection __extable, \"a\"\n\t"
			     ".quad 1b, %l[fault]\n\t"
			     ".popsection"
			     : : "m"(*(const uint8_t (*)[FXSAVE_SIZE])area)
			     : "memory" : fault);
	return 0;
fault:
	return -EINVAL;
}

/* The XCR0 to enable: x87|SSE, AVX if present, AVX-512 if all of it is. */
static uint64_t fpu_pick_xfeatures(void)
{
	uint32_t r[4];

	cpuid(0xd, 0, r);
	uint64_t have = r[0] | (uint64_t)r[3] << 32, want = XFEATURE_FPSSE;

	if (have & XFEATURE_AVX) {
		want |= XFEATURE_AVX;
		if ((have & XFEATURE_AVX512) == XFEATURE_AVX512)
			want |= XFEATURE_AVX512;
	}
	return want;
}

void fpu_init(void)
{
	uint64_t cr0 = read_cr0(), cr4 = read_cr4();
	uint32_t r[4];

	cr0 &= ~(1UL << 2);		/* EM off */
	cr0 |= (1UL << 1) | (1UL << 5);	/* MP, NE */
	write_cr0(cr0);
	cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT;
	cpuid(1, 0, r);
	if (r[2] & CPUID1_XSAVE)
		cr4 |= CR4_OSXSAVE;
	write_cr4(cr4);
	if (r[2] & CPUID1_XSAVE) {
		fpu_xfeatures = fpu_pick_xfeatures();
		xsetbv0(fpu_xfeatures);
		cpuid(0xd, 0, r);	/* EBX: the area for what XCR0 enables */
		if (r[1] > FPU_STATE_MAX)
			panic("fpu: XSAVE area of %u bytes", r[1]);
		fpu_size = r[1];
	}
	__asm__ __volatile__("fninit");
	uint32_t mxcsr = 0x1f80;

	__asm__ __volatile__("ldmxcsr %0" : : "m"(mxcsr));
	fpu_save(fpu_initial);
}

size_t cpu_fpu_size(void)
{
	return fpu_size;
}

uint64_t cpu_fpu_xfeatures(void)
{
	return fpu_xfeatures;
}

void cpu_thread_init_fpu(struct cpu_thread *t)
{
	KASSERT(((uintptr_t)t->fpu & 63) == 0);
	memcpy(t->fpu, fpu_initial, sizeof(t->fpu));
}

void cpu_thread_copy_fpu(struct cpu_thread *t)
{
	fpu_save(t->fpu);
}

void cpu_thread_reset_fpu(struct cpu_thread *t)
{
	memcpy(t->fpu, fpu_initial, fpu_size);
	fpu_restore(t->fpu);
}

int cpu_thread_load_fpu(struct cpu_thread *t, const uint8_t *image,
			bool xsave, uint64_t rfbm)
{
	uint64_t mask = rfbm & fpu_xfeatures, bv;

	KASSERT(!xsave || fpu_xfeatures);
	/*
	 * What the image leaves out starts from the initial state. An XSAVE
	 * image is loaded with every component requested and XSTATE_BV cut
	 * to @rfbm, so one XRSTOR inits the ones the frame does not name (as
	 * Linux's init_bv restore); an FXSAVE image leaves the registers past
	 * SSE to a restore of the initial state first.
	 */
	if (xsave) {
		memcpy(t->fpu, image, fpu_size);
		memcpy(&bv, t->fpu + FXSAVE_SIZE, sizeof(bv));
		bv &= ~(fpu_xfeatures & ~mask);	/* bad bits stay: they fault */
		memcpy(t->fpu + FXSAVE_SIZE, &bv, sizeof(bv));
		mask = fpu_xfeatures;
	} else {
		cpu_thread_reset_fpu(t);
		memcpy(t->fpu, image, FXSAVE_SIZE);
	}
	if (fpu_restore_checked(t->fpu, xsave, mask)) {
		cpu_thread_reset_fpu(t);
		return -EINVAL;
	}
	/* The header past XSTATE_BV: XSAVE keeps, and signal frames show, 0. */
	if (fpu_xfeatures)
		memset(t->fpu + FXSAVE_SIZE + 8, 0, XSAVE_HDR_SIZE - 8);
	return 0;
}

#define FX_MXCSR	24
#define FX_MXCSR_MASK	28
#define FX_ST0		32		/* eight 16-byte x87 registers */
#define FX_XMM0		160		/* sixteen 16-byte XMM registers */
#define FX_XMM_END	416

/* See cpu.h. */
void cpu_thread_get_fxregs(const struct cpu_thread *t, uint8_t *out)
{
	uint64_t bv;

	memcpy(out, t->fpu, FXSAVE_SIZE);
	if (!fpu_xfeatures)
		return;
	/* A component XSTATE_BV calls initial reads as its initial values. */
	memcpy(&bv, t->fpu + FXSAVE_SIZE, sizeof(bv));
	if (!(bv & 1)) {
		memset(out, 0, FX_MXCSR);
		out[0] = 0x7f;		/* FCW 0x037f */
		out[1] = 0x03;
		memset(out + FX_ST0, 0, FX_XMM0 - FX_ST0);
	}
	if (!(bv & 2))
		memset(out + FX_XMM0, 0, FX_XMM_END - FX_XMM0);
}

/* See cpu.h. */
int cpu_thread_set_fxregs(struct cpu_thread *t, const uint8_t *in)
{
	uint32_t mxcsr, mask;
	uint64_t bv;

	memcpy(&mxcsr, in + FX_MXCSR, sizeof(mxcsr));
	memcpy(&mask, fpu_initial + FX_MXCSR_MASK, sizeof(mask));
	if (!mask)
		mask = 0xffbf;		/* the architectural default */
	if (mxcsr & ~mask)
		return -EINVAL;
	memcpy(t->fpu, in, FX_MXCSR_MASK);
	memcpy(t->fpu + FX_ST0, in + FX_ST0, FX_XMM_END - FX_ST0);
	if (fpu_xfeatures) {
		memcpy(&bv, t->fpu + FXSAVE_SIZE, sizeof(bv));
		bv |= XFEATURE_FPSSE;
		memcpy(t->fpu + FXSAVE_SIZE, &bv, sizeof(bv));
	}
	return 0;
}

#define FX_SW_BYTES	464		/* bytes 464..511: the software's */
#define XSAVE_HDR_RESERVED 16		/* header bytes past XSTATE_BV, XCOMP_BV */
#define XFEATURE_MAX	64

/* See cpu.h. */
void cpu_thread_get_xstate(const struct cpu_thread *t, uint8_t *out)
{
	KASSERT(fpu_xfeatures);
	memcpy(out, t->fpu, fpu_size);
	cpu_thread_get_fxregs(t, out);
	memset(out + FX_XMM_END, 0, FXSAVE_SIZE - FX_XMM_END);
	/* Linux's USER_XSTATE_XCR0_WORD: what XCR0 enables. */
	memcpy(out + FX_SW_BYTES, &fpu_xfeatures, sizeof(fpu_xfeatures));
	memset(out + FXSAVE_SIZE + 8, 0, XSAVE_HDR_SIZE - 8);
}

/* The standard-format offset and size of XSAVE component @i (>= 2). */
static void xfeature_place(unsigned i, uint32_t *off, uint32_t *size)
{
	uint32_t r[4];

	cpuid(0xd, i, r);
	*size = r[0];
	*off = r[1];
}

/* See cpu.h. */
int cpu_thread_set_xstate(struct cpu_thread *t, const uint8_t *in)
{
	uint64_t bv, xcomp, mask_fpsse_ymm = XFEATURE_FPSSE | XFEATURE_AVX;
	uint32_t mxcsr, mask;

	KASSERT(fpu_xfeatures);
	memcpy(&bv, in + FXSAVE_SIZE, sizeof(bv));
	memcpy(&xcomp, in + FXSAVE_SIZE + 8, sizeof(xcomp));
	if ((bv & ~fpu_xfeatures) || xcomp)
		return -EINVAL;
	for (unsigned i = 16; i < XSAVE_HDR_SIZE; i++)
		if (in[FXSAVE_SIZE + i])
			return -EINVAL;
	memcpy(&mxcsr, in + FX_MXCSR, sizeof(mxcsr));
	memcpy(&mask, fpu_initial + FX_MXCSR_MASK, sizeof(mask));
	if (!mask)
		mask = 0xffbf;
	if ((bv & mask_fpsse_ymm) && (mxcsr & ~mask))
		return -EINVAL;
	/* Nothing fails from here: the components named, and MXCSR. */
	if (bv & 1)
		memcpy(t->fpu, in, FX_ST0 + 128);
	else if (bv & mask_fpsse_ymm)
		memcpy(t->fpu + FX_MXCSR, &mxcsr, sizeof(mxcsr));
	if (bv & 2)
		memcpy(t->fpu + FX_XMM0, in + FX_XMM0, FX_XMM_END - FX_XMM0);
	for (unsigned i = 2; i < XFEATURE_MAX; i++) {
		uint32_t off, size;

		if (!(bv & (1ULL << i)))
			continue;
		xfeature_place(i, &off, &size);
		if (off + size <= fpu_size)
			memcpy(t->fpu + off, in + off, size);
	}
	/* A component left out of XSTATE_BV is loaded in its initial state. */
	memcpy(t->fpu + FXSAVE_SIZE, &bv, sizeof(bv));
	return 0;
}
