/*
 * /proc/cpuinfo in Linux 6.1's format (arch/x86/kernel/cpu/proc.c), one
 * block per CPU, built from CPUID as the platform presents it: vendor,
 * family/model/stepping, brand string, cache and TLB sizes, address
 * sizes, and the feature flags under Linux's names in Linux's order (its
 * capability words; the flags Linux synthesizes from its own judgement,
 * such as rep_good or the bugs list, are left out). The clock rate is
 * measured from the cycle counter.
 */
#include "procfs.h"
#include <platform/cpu.h>
#include <platform/time.h>
#include <aramid/string.h>

enum { EAX, EBX, ECX, EDX };

/*
 * One capability word: a CPUID register, or a function that makes the
 * word, and the names of its bits.
 */
struct cap_word {
	uint32_t leaf, subleaf;
	int reg;
	uint32_t (*make)(void);
	const char *name[32];	/* NULL: a bit Linux does not show */
};

static uint32_t cpuid_reg(uint32_t leaf, uint32_t subleaf, int reg)
{
	uint32_t r[4];

	cpu_cpuid(leaf, subleaf, r);
	return r[reg];
}

/* Linux's word 3, of what CPUID shows: the invariant TSC, and CPUID. */
static uint32_t linux_word3(void)
{
	uint32_t tsc = (cpuid_reg(0x80000007, 0, EDX) >> 8) & 1;

	return tsc << 8 | tsc << 24 | 1U << 25;
}

static const struct cap_word cap_words[] = {
	{ 1, 0, EDX, NULL, {		/* word 0 */
		"fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce",
		"cx8", "apic", NULL, "sep", "mtrr", "pge", "mca", "cmov",
		"pat", "pse36", "pn", "clflush", NULL, "dts", "acpi", "mmx",
		"fxsr", "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe" } },
	{ 0x80000001, 0, EDX, NULL, {	/* word 1: what word 0 does not repeat */
		[11] = "syscall", [19] = "mp", [20] = "nx", [22] = "mmxext",
		[25] = "fxsr_opt", [26] = "pdpe1gb", [27] = "rdtscp",
		[29] = "lm", [30] = "3dnowext", [31] = "3dnow" } },
	{ 0, 0, 0, linux_word3, {	/* word 3 */
		[8] = "constant_tsc", [24] = "nonstop_tsc", [25] = "cpuid" } },
	{ 1, 0, ECX, NULL, {		/* word 4; OSXSAVE (27) is hidden */
		"pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx",
		"est", "tm2", "ssse3", "cid", "sdbg", "fma", "cx16", "xtpr",
		"pdcm", NULL, "pcid", "dca", "sse4_1", "sse4_2", "x2apic",
		"movbe", "popcnt", "tsc_deadline_timer", "aes", "xsave", NULL,
		"avx", "f16c", "rdrand", "hypervisor" } },
	{ 0x80000001, 0, ECX, NULL, {	/* word 6 */
		"lahf_lm", "cmp_legacy", "svm", "extapic", "cr8_legacy", "abm",
		"sse4a", "misalignsse", "3dnowprefetch", "osvw", "ibs", "xop",
		"skinit", "wdt", NULL, "lwp", "fma4", "tce", NULL, "nodeid_msr",
		NULL, "tbm", "topoext", "perfctr_core", "perfctr_nb", NULL,
		"bpext", "ptsc", "perfctr_llc", "mwaitx" } },
	{ 7, 0, EBX, NULL, {		/* word 9 */
		"fsgsbase", "tsc_adjust", "sgx", "bmi1", "hle", "avx2", NULL,
		"smep", "bmi2", "erms", "invpcid", "rtm", "cqm", NULL, "mpx",
		"rdt_a", "avx512f", "avx512dq", "rdseed", "adx", "smap",
		"avx512ifma", NULL, "clflushopt", "clwb", "intel_pt",
		"avx512pf", "avx512er", "avx512cd", "sha_ni", "avx512bw",
		"avx512vl" } },
	{ 0xd, 1, EAX, NULL, {	/* word 10 */
		"xsaveopt", "xsavec", "xgetbv1", "xsaves" } },
	{ 7, 1, EAX, NULL, {		/* word 12 */
		[4] = "avx_vnni", [5] = "avx512_bf16" } },
	{ 0x80000008, 0, EBX, NULL, {	/* word 13 */
		"clzero", "irperf", "xsaveerptr", NULL, "rdpru", NULL, NULL,
		NULL, NULL, "wbnoinvd" } },
	{ 6, 0, EAX, NULL, {		/* word 14 */
		"dtherm", "ida", "arat", NULL, "pln", NULL, "pts", "hwp",
		"hwp_notify", "hwp_act_window", "hwp_epp", "hwp_pkg_req" } },
	{ 0x8000000a, 0, EDX, NULL, {	/* word 15 */
		"npt", "lbrv", "svm_lock", "nrip_save", "tsc_scale",
		"vmcb_clean", "flushbyasid", "decodeassists", NULL, NULL,
		"pausefilter", NULL, "pfthreshold", "avic", NULL,
		"v_vmsave_vmload", "vgif", NULL, NULL, NULL, "v_spec_ctrl" } },
	{ 7, 0, ECX, NULL, {		/* word 16 */
		NULL, "avx512vbmi", "umip", "pku", "ospke", "waitpkg",
		"avx512_vbmi2", NULL, "gfni", "vaes", "vpclmulqdq",
		"avx512_vnni", "avx512_bitalg", "tme", "avx512_vpopcntdq",
		NULL, "la57", NULL, NULL, NULL, NULL, NULL, "rdpid", NULL,
		"bus_lock_detect", "cldemote", NULL, "movdiri", "movdir64b",
		"enqcmd", "sgx_lc" } },
	{ 0x80000007, 0, EBX, NULL, {	/* word 17 */
		"overflow_recov", "succor", NULL, "smca" } },
	{ 7, 0, EDX, NULL, {		/* word 18 */
		[2] = "avx512_4vnniw", [3] = "avx512_4fmaps", [4] = "fsrm",
		[8] = "avx512_vp2intersect", [10] = "md_clear",
		[14] = "serialize", [16] = "tsxldtrk", [18] = "pconfig",
		[19] = "arch_lbr", [20] = "ibt", [22] = "amx_bf16",
		[23] = "avx512_fp16", [24] = "amx_tile", [25] = "amx_int8",
		[26] = "spec_ctrl", [27] = "intel_stibp", [28] = "flush_l1d",
		[29] = "arch_capabilities", [30] = "core_capabilities",
		[31] = "spec_ctrl_ssbd" } },
};

/* CPUID 0x80000007 EDX, as "power management:" names it. */
static const char *const power_flags[] = {
	"ts", "fid", "vid", "ttp", "tm", "stc", "100mhzsteps", "hwpstate",
	"", "cpb", "eff_freq_ro", "proc_feedback", "acc_power",
};

/* The cycle counter and clock at start-up, to measure the CPU clock. */
static uint64_t boot_cycles, boot_ns;

void proc_cpuinfo_init(void)
{
	boot_cycles = cpu_cycles();
	boot_ns = clock_monotonic_ns();
}

/* The cycle counter's rate since start-up, in kHz (0 if too early). */
static unsigned long cpu_khz(void)
{
	uint64_t us = (clock_monotonic_ns() - boot_ns) / 1000;

	if (!us)
		return 0;
	return (unsigned long)((cpu_cycles() - boot_cycles) * 1000 / us);
}

/* The brand string (leaves 0x80000002-4), without its outer blanks. */
static void model_name(char out[49])
{
	uint32_t r[12];
	char *s = out;

	for (int i = 0; i < 3; i++)
		cpu_cpuid(0x80000002 + i, 0, r + 4 * i);
	memcpy(out, r, 48);
	out[48] = 0;
	while (*s == ' ')
		s++;
	memmove(out, s, strlen(s) + 1);
	for (size_t n = strlen(out); n && out[n - 1] == ' '; n--)
		out[n - 1] = 0;
	if (!*out)
		strlcpy(out, "unknown", 49);
}

/*
 * Linux's x86_cache_size in KB: the last-level cache by leaf 4 on Intel,
 * else the L2 size of leaf 0x80000006.
 */
static unsigned cache_kb(const char *vendor)
{
	unsigned kb = cpuid_reg(0x80000006, 0, ECX) >> 16;

	if (strcmp(vendor, "GenuineIntel"))
		return kb;
	unsigned best_level = 0;

	for (uint32_t i = 0; i < 16; i++) {
		uint32_t r[4];

		cpu_cpuid(4, i, r);
		if (!(r[EAX] & 0x1f))
			break;
		unsigned level = (r[EAX] >> 5) & 7;
		uint64_t bytes = (uint64_t)((r[EBX] >> 22) + 1) *
				 (((r[EBX] >> 12) & 0x3ff) + 1) *
				 ((r[EBX] & 0xfff) + 1) * ((uint64_t)r[ECX] + 1);

		if ((r[EAX] & 0x1f) != 2 && level >= best_level) {
			best_level = level;	/* data or unified */
			kb = bytes / 1024;
		}
	}
	return kb;
}

static void show_flags(struct proc_buf *b)
{
	pb_printf(b, "flags\t\t:");
	for (size_t w = 0; w < ARRAY_SIZE(cap_words); w++) {
		const struct cap_word *c = &cap_words[w];
		uint32_t bits = c->make ? c->make() :
				cpuid_reg(c->leaf, c->subleaf, c->reg);

		for (int i = 0; i < 32; i++)
			if ((bits & (1U << i)) && c->name[i])
				pb_printf(b, " %s", c->name[i]);
	}
	pb_printf(b, "\n");
}

static void show_power(struct proc_buf *b)
{
	uint32_t pm = cpuid_reg(0x80000007, 0, EDX);

	pb_printf(b, "power management:");
	for (int i = 0; i < 32; i++) {
		if (!(pm & (1U << i)))
			continue;
		if (i < (int)ARRAY_SIZE(power_flags))
			pb_printf(b, "%s%s", power_flags[i][0] ? " " : "",
				  power_flags[i]);
		else
			pb_printf(b, " [%d]", i);
	}
	pb_printf(b, "\n\n");
}

static void show_cpu(struct proc_buf *b, unsigned cpu, unsigned long khz)
{
	uint32_t r[4], sig, ebx1;
	char vendor[13], name[49];

	cpu_cpuid(0, 0, r);
	uint32_t level = r[EAX];

	memcpy(vendor, &r[EBX], 4);
	memcpy(vendor + 4, &r[EDX], 4);
	memcpy(vendor + 8, &r[ECX], 4);
	vendor[12] = 0;
	cpu_cpuid(1, 0, r);
	sig = r[EAX];
	ebx1 = r[EBX];
	unsigned family = (sig >> 8) & 0xf, model = (sig >> 4) & 0xf;

	if (family == 0xf)
		family += (sig >> 20) & 0xff;
	if (family >= 6)
		model += ((sig >> 16) & 0xf) << 4;
	model_name(name);
	pb_printf(b, "processor\t: %u\nvendor_id\t: %s\ncpu family\t: %u\n"
		  "model\t\t: %u\nmodel name\t: %s\nstepping\t: %u\n",
		  cpu, vendor, family, model, name, sig & 0xf);
	pb_printf(b, "cpu MHz\t\t: %lu.%03lu\n", khz / 1000, khz % 1000);
	unsigned kb = cache_kb(vendor);

	if (kb)
		pb_printf(b, "cache size\t: %u KB\n", kb);
	pb_printf(b, "physical id\t: 0\nsiblings\t: %u\ncore id\t\t: %u\n"
		  "cpu cores\t: %u\napicid\t\t: %u\ninitial apicid\t: %u\n",
		  cpu_count(), cpu, cpu_count(), cpu_apicid(cpu), cpu_apicid(cpu));
	pb_printf(b, "fpu\t\t: yes\nfpu_exception\t: yes\ncpuid level\t: %u\n"
		  "wp\t\t: yes\n", level);
	show_flags(b);
	unsigned long bogo = khz / 5;	/* in hundredths: 2 per MHz */

	pb_printf(b, "bugs\t\t:\nbogomips\t: %lu.%02lu\n", bogo / 100, bogo % 100);
	uint32_t tlb = cpuid_reg(0x80000006, 0, EBX);

	if (tlb)
		pb_printf(b, "TLB size\t: %u 4K pages\n",
			  ((tlb >> 16) & 0xfff) + (tlb & 0xfff));
	uint32_t clflush = ((ebx1 >> 8) & 0xff) * 8, sizes;

	pb_printf(b, "clflush size\t: %u\ncache_alignment\t: %u\n", clflush,
		  clflush);
	sizes = cpuid_reg(0x80000008, 0, EAX);
	if (sizes)
		pb_printf(b, "address sizes\t: %u bits physical, %u bits virtual\n",
			  sizes & 0xff, (sizes >> 8) & 0xff);
	show_power(b);
}

int proc_cpuinfo_show(struct proc_buf *b, struct task *t)
{
	unsigned long khz = cpu_khz();

	(void)t;
	for (unsigned cpu = 0; cpu < cpu_count(); cpu++)
		show_cpu(b, cpu, khz);
	return 0;
}
