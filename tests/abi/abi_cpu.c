/*
 * abi_cpu: the CPU as Linux presents it. AVX code runs where CPUID and
 * XCR0 say it may; the AVX registers survive a signal handler and other
 * processes that clobber them; the signal frame's FPU state is an XSAVE
 * area tagged as Linux tags it (FP_XSTATE_MAGIC1/2), rt_sigreturn loads
 * it (or only its FXSAVE part when untagged, nothing for a NULL fpstate)
 * and kills with SIGSEGV for an image the CPU refuses; AT_MINSIGSTKSZ
 * covers the frame; /proc/cpuinfo agrees with CPUID.
 */
#include "check.h"
#include <cpuid.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>

#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ	51
#endif
#define FP_XSTATE_MAGIC1	0x46505853U
#define FP_XSTATE_MAGIC2	0x46505845U
#define UC_FP_XSTATE		0x1
#define MXCSR_OFF		24	/* in the FXSAVE image */
#define XMM_OFF(n)		(160 + 16 * (n))
#define SW_OFF			464	/* software-reserved bytes */
#define XSTATE_BV_OFF		512

static unsigned leaf1_ecx, leaf1_edx, leaf7_ebx, ext_edx;
static int has_xsave, has_avx;
static uint64_t xcr0;
static unsigned xsave_size, ymm_off;	/* CPUID 0xD: area, AVX component */

static void cpu_facts(void)
{
	unsigned a, b, c, d;

	__cpuid(1, a, b, leaf1_ecx, leaf1_edx);
	__cpuid_count(7, 0, a, leaf7_ebx, c, d);
	__cpuid(0x80000001, a, b, c, ext_edx);
	has_xsave = (leaf1_ecx >> 27) & 1;	/* OSXSAVE: the OS enabled it */
	if (has_xsave) {
		unsigned lo, hi;

		__asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
		xcr0 = lo | (uint64_t)hi << 32;
		__cpuid_count(0xd, 0, a, xsave_size, c, d);
		__cpuid_count(0xd, 2, a, ymm_off, c, d);
	}
	has_avx = has_xsave && ((leaf1_ecx >> 28) & 1) && (xcr0 & 6) == 6;
}

static void check_avx_add(void)
{
	float a[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, b[8], r[8];
	int ok = 1;

	if (!has_avx) {
		CHECK("no AVX: CPUID or XCR0 leaves it off", !has_avx);
		return;
	}
	for (int i = 0; i < 8; i++)
		b[i] = 0.5f * i;
	__asm__ __volatile__("vmovups %1, %%ymm0\n\t"
			     "vmovups %2, %%ymm1\n\t"
			     "vaddps %%ymm1, %%ymm0, %%ymm2\n\t"
			     "vmovups %%ymm2, %0\n\t"
			     "vzeroupper"
			     : "=m"(r) : "m"(a), "m"(b) : "xmm0", "xmm1", "xmm2");
	for (int i = 0; i < 8; i++)
		ok &= r[i] == a[i] + b[i];
	CHECK("vaddps on ymm registers adds 8 floats", ok);
}

/* The signal tests: what the handler sees and does. */
enum mode { LOOK, REWRITE_HI, NULL_FPSTATE, UNTAG, BAD_XSTATE_BV, BAD_XCOMP_BV };
static volatile enum mode mode;
static volatile uintptr_t seen_uc, seen_fp;
static volatile uint32_t seen_ext, seen_magic1, seen_size, seen_magic2, seen_mxcsr;
static volatile uint64_t seen_xfeatures, seen_bv, seen_ucflags;
static uint8_t seen_ymm8[32];
static const uint8_t rewrite_hi[16] = "rewritten-upper";

static void handler(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	uint8_t *fp = (uint8_t *)uc->uc_mcontext.fpregs;

	(void)sig; (void)si;
	seen_uc = (uintptr_t)uc;
	seen_fp = (uintptr_t)fp;
	seen_ucflags = uc->uc_flags;
	memcpy((void *)&seen_mxcsr, fp + MXCSR_OFF, 4);
	memcpy((void *)&seen_magic1, fp + SW_OFF, 4);
	memcpy((void *)&seen_xfeatures, fp + SW_OFF + 8, 8);
	memcpy((void *)&seen_size, fp + SW_OFF + 16, 4);
	memcpy(seen_ymm8, fp + XMM_OFF(8), 16);
	memcpy((void *)&seen_ext, fp + SW_OFF + 4, 4);
	if (has_xsave && seen_magic1 == FP_XSTATE_MAGIC1) {
		memcpy((void *)&seen_magic2, fp + seen_size, 4);
		memcpy((void *)&seen_bv, fp + XSTATE_BV_OFF, 8);
		memcpy(seen_ymm8 + 16, fp + ymm_off + 16 * 8, 16);
	}
	if (has_avx)	/* the handler's own use of the registers */
		__asm__ __volatile__("vpcmpeqd %%ymm8, %%ymm8, %%ymm8" ::: "xmm8");
	switch (mode) {
	case LOOK:
		break;
	case REWRITE_HI:
		memcpy(fp + ymm_off + 16 * 8, rewrite_hi, 16);
		break;
	case NULL_FPSTATE:
		uc->uc_mcontext.fpregs = NULL;
		break;
	case UNTAG:
		memset(fp + SW_OFF, 0, 4);
		break;
	case BAD_XSTATE_BV:
		fp[XSTATE_BV_OFF + 7] |= 0x80;
		break;
	case BAD_XCOMP_BV:
		fp[XSTATE_BV_OFF + 8] |= 1;
		break;
	}
}

/* ymm8 = @in; kill(self, SIGUSR1) in the same asm block; @out = ymm8. */
static void ymm_across_signal(const uint8_t in[32], uint8_t out[32])
{
	long ret;

	__asm__ __volatile__("vmovdqu %[in], %%ymm8\n\t"
			     "syscall\n\t"
			     "vmovdqu %%ymm8, %[out]"
			     : [out] "=m"(*(uint8_t (*)[32])out), "=a"(ret)
			     : [in] "m"(*(const uint8_t (*)[32])in),
			       "a"((long)SYS_kill), "D"((long)getpid()),
			       "S"((long)SIGUSR1)
			     : "rcx", "r11", "xmm8", "memory");
}

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + 7 * i);
}

static void check_frame_layout(void)
{
	size_t alt_size = 65536;
	uint8_t *alt = malloc(alt_size);
	stack_t ss = { .ss_sp = alt, .ss_size = alt_size };
	struct sigaction sa = { .sa_sigaction = handler,
				.sa_flags = SA_SIGINFO | SA_ONSTACK };
	uint8_t in[32], out[32];
	unsigned long minstk = getauxval(AT_MINSIGSTKSZ);
	uintptr_t top = (uintptr_t)alt + alt_size;

	CHECK_OK("sigaltstack", sigaltstack(&ss, NULL));
	CHECK_OK("sigaction SIGUSR1", sigaction(SIGUSR1, &sa, NULL));
	fill(in, 32, 1);
	mode = LOOK;
	if (has_avx)
		ymm_across_signal(in, out);
	else
		raise(SIGUSR1);
	CHECK("handler ran on the alternate stack",
	      seen_uc > (uintptr_t)alt && seen_uc < top);
	CHECK("fpstate lies in the frame, above the ucontext",
	      seen_fp > seen_uc && seen_fp < top);
	CHECK("fpstate is 64-byte aligned", seen_fp % 64 == 0);
	/* The handler's rsp is the ucontext address less the return slot. */
	unsigned long used = top - (seen_uc - 8);
	char got[64];

	snprintf(got, sizeof got, "%lu used, AT_MINSIGSTKSZ %lu", used, minstk);
	check_result(used <= minstk, "AT_MINSIGSTKSZ covers the signal frame",
		     got, "used <= AT_MINSIGSTKSZ", 0);
	CHECK_EQ("default MXCSR in the frame", seen_mxcsr, 0x1f80);
	/* Linux tags the FXSAVE image too, only without MAGIC2 after it. */
	CHECK_EQ("fpstate FP_XSTATE_MAGIC1", seen_magic1, FP_XSTATE_MAGIC1);
	CHECK_EQ("fpstate xstate_size: CPUID 0xD's size for XCR0, or 512",
		 seen_size, has_xsave ? xsave_size : 512);
	CHECK_EQ("fpstate extended_size: xstate_size + 4", seen_ext, seen_size + 4);
	CHECK("uc_flags has UC_SIGCONTEXT_SS|UC_STRICT_RESTORE_SS",
	      (seen_ucflags & 6) == 6);
	if (has_xsave) {
		CHECK_EQ("FP_XSTATE_MAGIC2 after the XSAVE area", seen_magic2,
			 FP_XSTATE_MAGIC2);
		CHECK("fpstate xfeatures: x87|SSE, within XCR0",
		      (seen_xfeatures & 3) == 3 && !(seen_xfeatures & ~xcr0));
		CHECK("XSTATE_BV has x87|SSE, within XCR0",
		      (seen_bv & 3) == 3 && !(seen_bv & ~xcr0));
		CHECK("uc_flags has UC_FP_XSTATE", seen_ucflags & UC_FP_XSTATE);
	} else {
		CHECK_EQ("no XSAVE: fpstate xfeatures 0", seen_xfeatures, 0);
		CHECK("no XSAVE: uc_flags without UC_FP_XSTATE",
		      !(seen_ucflags & UC_FP_XSTATE));
	}
	if (has_avx) {
		CHECK("frame holds ymm8 (xmm part and AVX upper half)",
		      !memcmp(seen_ymm8, in, 32));
		CHECK("ymm8 restored after a handler clobbered it",
		      !memcmp(out, in, 32));
		CHECK("XSTATE_BV marks the AVX state in use", seen_bv & 4);
	}
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
	free(alt);
}

/* rt_sigreturn loads what the handler left in the frame. */
static void check_frame_restore(void)
{
	uint8_t in[32], out[32], zero[32] = { 0 };
	uint32_t mxcsr = 0x9fc0, now = 0;	/* FTZ, DAZ */

	if (!has_avx) {
		CHECK("no AVX: frame rewriting of ymm skipped", !has_avx);
		return;
	}
	fill(in, 32, 40);
	mode = REWRITE_HI;
	ymm_across_signal(in, out);
	CHECK("a rewritten upper ymm8 in the frame is loaded",
	      !memcmp(out, in, 16) && !memcmp(out + 16, rewrite_hi, 16));

	mode = UNTAG;
	ymm_across_signal(in, out);
	CHECK("untagged frame: the FXSAVE part (xmm8) is loaded",
	      !memcmp(out, in, 16));
	CHECK("untagged frame: the AVX upper half starts at 0",
	      !memcmp(out + 16, zero, 16));

	__asm__ __volatile__("ldmxcsr %0" : : "m"(mxcsr));
	mode = NULL_FPSTATE;
	ymm_across_signal(in, out);
	__asm__ __volatile__("stmxcsr %0" : "=m"(now));
	CHECK("NULL fpstate: ymm8 is reset to 0", !memcmp(out, zero, 32));
	CHECK_EQ("NULL fpstate: MXCSR is reset", now, 0x1f80);
}

static int bad_image_child(void *arg)
{
	mode = (enum mode)(intptr_t)arg;
	raise(SIGUSR1);
	return 0;
}

/*
 * A header the CPU refuses. (Reserved MXCSR bits would do on hardware,
 * but QEMU's TCG loads them without the #GP.)
 */
static void check_bad_images(void)
{
	int st;

	if (!has_xsave) {
		CHECK("no XSAVE: header checks skipped", !has_xsave);
		return;
	}
	st = run_child(bad_image_child, (void *)(intptr_t)BAD_XSTATE_BV);
	CHECK("XSTATE_BV bit outside XCR0 in the frame: SIGSEGV",
	      WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	st = run_child(bad_image_child, (void *)(intptr_t)BAD_XCOMP_BV);
	CHECK("nonzero XCOMP_BV in a standard-format frame: SIGSEGV",
	      WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
}

/* Another process clobbers every ymm register between our time slices. */
static void check_yield(void)
{
	volatile long *count = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	uint8_t in[32], out[32];

	if (!has_avx) {
		CHECK("no AVX: ymm across sched_yield skipped", !has_avx);
		return;
	}
	pid_t p = fork();

	if (p == 0) {
		for (;;) {
			__asm__ __volatile__(
				"vpcmpeqd %%ymm8, %%ymm8, %%ymm8\n\t"
				"vpcmpeqd %%ymm0, %%ymm0, %%ymm0"
				::: "xmm0", "xmm8");
			(*count)++;
			sched_yield();
		}
	}
	fill(in, 32, 90);
	while (*count == 0)
		sched_yield();
	long before = *count;

	/* Yield until the other process has run twice (or give up). */
	__asm__ __volatile__("vmovdqu %[in], %%ymm8\n\t"
			     "mov $100000, %%ebx\n"
			     "1:\tmov %[nr], %%eax\n\t"
			     "syscall\n\t"
			     "cmp %[want], %[count]\n\t"
			     "jge 2f\n\t"
			     "dec %%ebx\n\t"
			     "jnz 1b\n"
			     "2:\tvmovdqu %%ymm8, %[out]"
			     : [out] "=m"(out)
			     : [in] "m"(in), [nr] "i"(SYS_sched_yield),
			       [count] "m"(*count), [want] "r"(before + 2)
			     : "rax", "rbx", "rcx", "r11", "xmm8", "memory", "cc");
	long after = *count;

	kill(p, SIGKILL);
	waitpid(p, NULL, 0);
	CHECK("the clobbering process ran meanwhile", after > before);
	CHECK("ymm8 preserved across sched_yield", !memcmp(out, in, 32));
}

/*
 * arch_prctl's CPUID control: without the cpuid_fault feature setting it is
 * ENODEV and ARCH_GET_CPUID reports cpuid enabled (1); with it, it takes.
 */
static void check_arch_cpuid(int faulting)
{
	if (faulting)
		CHECK_OK("ARCH_SET_CPUID 1 with cpuid_fault",
			 syscall(SYS_arch_prctl, 0x1012 /* ARCH_SET_CPUID */, 1));
	else
		CHECK_ERR("ARCH_SET_CPUID without cpuid_fault",
			  syscall(SYS_arch_prctl, 0x1012 /* ARCH_SET_CPUID */, 1), ENODEV);
	CHECK_EQ("ARCH_GET_CPUID: cpuid enabled",
		 syscall(SYS_arch_prctl, 0x1011 /* ARCH_GET_CPUID */, 0), 1);
	CHECK_ERR("arch_prctl unknown code", syscall(SYS_arch_prctl, 0x10ff, 0), EINVAL);
}

static char cpuinfo[65536];

/* The value of the first "@key\t...: value" line, or NULL. */
static const char *field(const char *key, char *buf, size_t len)
{
	size_t klen = strlen(key);

	for (const char *l = cpuinfo; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : l) {
		if (strncmp(l, key, klen) || l[klen] != '\t')
			continue;
		const char *v = strstr(l, ": ");
		const char *e = strchr(l, '\n');

		if (!v || (e && v > e))
			return NULL;
		v += 2;
		size_t n = e ? (size_t)(e - v) : strlen(v);

		if (n >= len)
			n = len - 1;
		memcpy(buf, v, n);
		buf[n] = 0;
		return buf;
	}
	return NULL;
}

static int has_flag(const char *flags, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = flags; (p = strstr(p, name)); p += n)
		if ((p == flags || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return 1;
	return 0;
}

static void check_cpuinfo(void)
{
	int fd = open("/proc/cpuinfo", O_RDONLY);
	ssize_t n = 0, r;
	char flags[4096], v[256], want[64];
	unsigned a, b, c, d, regs[12];

	CHECK("open /proc/cpuinfo", fd >= 0);
	while (fd >= 0 && (r = read(fd, cpuinfo + n, sizeof(cpuinfo) - 1 - n)) > 0)
		n += r;
	close(fd);
	cpuinfo[n > 0 ? n : 0] = 0;
	CHECK_STR("processor", field("processor", v, sizeof v), "0");
	__cpuid(0, a, b, c, d);
	memcpy(want, &b, 4);
	memcpy(want + 4, &d, 4);
	memcpy(want + 8, &c, 4);
	want[12] = 0;
	CHECK_STR("vendor_id is CPUID 0's", field("vendor_id", v, sizeof v), want);
	__cpuid(1, a, b, c, d);
	unsigned fam = (a >> 8) & 0xf, model = (a >> 4) & 0xf;

	if (fam == 0xf)
		fam += (a >> 20) & 0xff;
	if (fam >= 6)
		model += ((a >> 16) & 0xf) << 4;
	snprintf(want, sizeof want, "%u", fam);
	CHECK_STR("cpu family", field("cpu family", v, sizeof v), want);
	snprintf(want, sizeof want, "%u", model);
	CHECK_STR("model", field("model", v, sizeof v), want);
	snprintf(want, sizeof want, "%u", a & 0xf);
	CHECK_STR("stepping", field("stepping", v, sizeof v), want);
	__cpuid(0x80000000, a, b, c, d);
	if (a >= 0x80000004) {
		char brand[49], *s = brand, *e;

		for (int i = 0; i < 3; i++)
			__cpuid(0x80000002 + i, regs[4 * i], regs[4 * i + 1],
				regs[4 * i + 2], regs[4 * i + 3]);
		memcpy(brand, regs, 48);
		brand[48] = 0;
		while (*s == ' ')
			s++;
		for (e = s + strlen(s); e > s && e[-1] == ' '; e--)
			e[-1] = 0;
		CHECK_STR("model name is the CPUID brand string",
			  field("model name", v, sizeof v), s);
	}
	CHECK("flags line", field("flags", flags, sizeof flags) != NULL);
	CHECK("flags: fpu", has_flag(flags, "fpu"));
	CHECK("flags: sse2", has_flag(flags, "sse2"));
	CHECK_EQ("flags: avx iff usable", has_flag(flags, "avx"), has_avx);
	CHECK_EQ("flags: cx8 iff CPUID", has_flag(flags, "cx8"), (leaf1_edx >> 8) & 1);
	CHECK_EQ("flags: cmov iff CPUID", has_flag(flags, "cmov"), (leaf1_edx >> 15) & 1);
	CHECK_EQ("flags: pni iff CPUID", has_flag(flags, "pni"), leaf1_ecx & 1);
	CHECK_EQ("flags: ssse3 iff CPUID", has_flag(flags, "ssse3"), (leaf1_ecx >> 9) & 1);
	CHECK_EQ("flags: sse4_2 iff CPUID", has_flag(flags, "sse4_2"), (leaf1_ecx >> 20) & 1);
	CHECK_EQ("flags: popcnt iff CPUID", has_flag(flags, "popcnt"), (leaf1_ecx >> 23) & 1);
	CHECK_EQ("flags: avx2 iff CPUID and AVX", has_flag(flags, "avx2"),
		 has_avx && ((leaf7_ebx >> 5) & 1));
	CHECK_EQ("flags: bmi1 iff CPUID", has_flag(flags, "bmi1"), (leaf7_ebx >> 3) & 1);
	CHECK_EQ("flags: lm iff CPUID", has_flag(flags, "lm"), (ext_edx >> 29) & 1);
	CHECK_EQ("flags: nx iff CPUID", has_flag(flags, "nx"), (ext_edx >> 20) & 1);
	CHECK("clflush size", field("clflush size", v, sizeof v) != NULL);
	CHECK("address sizes", field("address sizes", v, sizeof v) &&
	      strstr(v, " bits physical, ") && strstr(v, " bits virtual"));
	int procs = 0;

	for (const char *p = cpuinfo; (p = strstr(p, "processor\t: ")); p++)
		procs++;
	CHECK_EQ("one processor block per online CPU", procs,
		 sysconf(_SC_NPROCESSORS_ONLN));
	check_arch_cpuid(has_flag(flags, "cpuid_fault"));
}

int main(void)
{
	TEST_BEGIN("abi_cpu");
	cpu_facts();
	if (has_xsave)
		CHECK_EQ("XCR0 enables x87 and SSE", xcr0 & 3, 3);
	check_avx_add();
	check_frame_layout();
	check_frame_restore();
	check_bad_images();
	check_yield();
	check_cpuinfo();
	return TEST_END();
}
