/*
 * The user breakpoints of a thread in the CPU's debug registers: the
 * checked breakpoints a thread is given (cpu_thread_set_breakpoints)
 * become its DR0-DR3 and DR7, loaded at a switch to it only if it or the
 * thread it follows has any, so the common switch pays one test. The
 * CPU's DR7 is always that of the thread running on it: 0 at boot, and
 * kept so by every switch. #DB itself is entry.S's debug_entry.
 */
#include <platform/cpu.h>
#include <platform/mmu.h>
#include <uapi/errno.h>
#include "x86.h"
#include "cpu_internal.h"

_Static_assert(DR6_RESET == DR6_INIT, "DR6_RESET");

#define DR7_GE		(1UL << 9)	/* exact data breakpoints */
#define DR7_G(i)	(1UL << (2 * (i) + 1))
#define DR7_RW(i, t)	((uint64_t)(t) << (16 + 4 * (i)))
#define DR7_LEN(i, l)	((uint64_t)(l) << (18 + 4 * (i)))

/* DR7's LEN field for @len bytes, or -1 for a length the CPU lacks. */
static int len_field(unsigned len)
{
	switch (len) {
	case 1: return 0;
	case 2: return 1;
	case 4: return 3;
	case 8: return 2;
	}
	return -1;
}

/* Breakpoint @i of @bp as DR7 bits (0: disabled), or -EINVAL. */
static int64_t dr7_bits(unsigned i, const struct cpu_breakpoint *bp)
{
	int len = len_field(bp->len);

	if (!bp->enabled)
		return 0;
	if (len < 0 || (bp->type != CPU_BP_EXEC && bp->type != CPU_BP_WRITE &&
			bp->type != CPU_BP_RW))
		return -EINVAL;
	if (bp->type == CPU_BP_EXEC && bp->len != 1)
		return -EINVAL;
	if ((bp->addr & (bp->len - 1)) || bp->addr >= USER_TOP ||
	    bp->addr + bp->len > USER_TOP)
		return -EINVAL;
	return (int64_t)(DR7_G(i) | DR7_RW(i, bp->type) | DR7_LEN(i, len));
}

/* See cpu_internal.h. */
void cpu_debugreg_load(const struct cpu_thread *t)
{
	if (t->dr7) {
		write_dr(0, t->dr[0]);
		write_dr(1, t->dr[1]);
		write_dr(2, t->dr[2]);
		write_dr(3, t->dr[3]);
	}
	write_dr7(t->dr7);
}

/* See include/platform/cpu.h. */
int cpu_thread_set_breakpoints(struct cpu_thread *t,
			       const struct cpu_breakpoint bp[CPU_BREAKPOINTS])
{
	uint64_t dr7 = 0;
	int64_t bits;

	for (unsigned i = 0; i < CPU_BREAKPOINTS; i++) {
		bits = dr7_bits(i, &bp[i]);
		if (bits < 0)
			return (int)bits;
		dr7 |= (uint64_t)bits;
	}
	for (unsigned i = 0; i < CPU_BREAKPOINTS; i++)
		t->dr[i] = dr7 ? bp[i].addr : 0;
	t->dr7 = dr7 ? dr7 | DR7_GE : 0;
	if (t == cpu_thread_running())
		cpu_debugreg_load(t);
	return 0;
}
