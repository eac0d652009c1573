/*
 * ptrace's debug registers as Linux 6.1 on x86-64 gives them through
 * PEEKUSER and POKEUSER of u_debugreg: DR0-DR3 breakpoint addresses,
 * DR6 the causes of the last #DB, DR7 their enables, lengths and kinds,
 * each write checked as Linux's breakpoint layer checks it (EINVAL for a
 * kernel address, a misaligned one, an I/O breakpoint or an instruction
 * breakpoint longer than a byte; a DR7 write that fails is undone), and
 * the #DB a hit or a single step raises. The CPU's registers are the
 * platform's (cpu_thread_set_breakpoints). Kernel lock held.
 */
#include <kernel/ptrace.h>
#include <kernel/task.h>
#include <kernel/mm.h>
#include <kernel/signal.h>
#include <platform/cpu.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include "ptrace_internal.h"

#define RW_EXEC		0
#define RW_WRITE	1
#define RW_RW		3
/* DR7's bits that Linux drops from a write before it decodes it. */
#define DR7_RESERVED	0xffffffff0000fc00UL
#define DR6_TRAPS	0xfUL

/* DR7's fields of slot @i. */
#define DR7_ON(v, i)	(((v) >> (2 * (i))) & 3)
#define DR7_RW(v, i)	(((v) >> (16 + 4 * (i))) & 3)
#define DR7_LEN(v, i)	(((v) >> (18 + 4 * (i))) & 3)

static const unsigned len_bytes[4] = { 1, 2, 8, 4 };

/* Bytes that slot settings @len and @type watch (an instruction: 1). */
static unsigned bp_bytes(unsigned len, unsigned type)
{
	return type == RW_EXEC ? 1 : len_bytes[len];
}

/*
 * Can a slot hold @len, @type at @addr? Linux's arch_bp_generic_fields
 * and hw_breakpoint_parse for a breakpoint that excludes the kernel:
 * 0 or -EINVAL.
 */
static int bp_check(uint64_t addr, unsigned len, unsigned type)
{
	unsigned bytes = bp_bytes(len, type);

	if (type != RW_EXEC && type != RW_WRITE && type != RW_RW)
		return -EINVAL;		/* I/O breakpoints */
	if (type == RW_EXEC && len != 0)
		return -EINVAL;
	if (addr & (bytes - 1))
		return -EINVAL;
	if (addr >= TASK_SIZE || addr + bytes - 1 >= TASK_SIZE)
		return -EINVAL;
	return 0;
}

/* Program @t's CPU debug registers with its enabled slots. */
static int load_breakpoints(struct task *t)
{
	struct cpu_breakpoint bp[CPU_BREAKPOINTS];

	for (unsigned i = 0; i < CPU_BREAKPOINTS; i++) {
		const struct ptrace_hwbp *s = &t->ptrace.debug.bp[i];

		bp[i].addr = s->addr;
		bp[i].len = bp_bytes(s->len, s->type);
		bp[i].type = (enum cpu_bp_type)s->type;
		bp[i].enabled = s->enabled;
	}
	return cpu_thread_set_breakpoints(&t->cpu, bp);
}

/* DR7 as the enabled slots give it (Linux's ptrace_get_dr7). */
static uint64_t slots_dr7(const struct ptrace_debugregs *d)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < 4; i++) {
		const struct ptrace_hwbp *s = &d->bp[i];

		if (s->enabled)
			v |= (uint64_t)(s->type | s->len << 2) << (16 + 4 * i) |
			     2UL << (2 * i);
	}
	return v;
}

/*
 * Set the slots to @dr7's fields in order, as Linux's ptrace_write_dr7:
 * an unused slot left disabled stays unused, one enabled is set up at
 * address 0. Stops at the first slot that cannot be: its -EINVAL.
 */
static int dr7_pass(struct ptrace_debugregs *d, uint64_t dr7)
{
	for (unsigned i = 0; i < 4; i++) {
		struct ptrace_hwbp *s = &d->bp[i];
		unsigned len = DR7_LEN(dr7, i), type = DR7_RW(dr7, i);
		bool on = DR7_ON(dr7, i) != 0;
		uint64_t addr = s->used ? s->addr : 0;
		int err;

		if (!s->used && !on)
			continue;
		err = bp_check(addr, len, type);
		if (err)
			return err;
		s->addr = addr;
		s->len = (uint8_t)len;
		s->type = (uint8_t)type;
		s->used = true;
		s->enabled = on;
	}
	return 0;
}

/* DR7 @v: its slots, or on failure back to what they were. */
static int write_dr7(struct task *t, uint64_t v)
{
	struct ptrace_debugregs *d = &t->ptrace.debug;
	uint64_t old = slots_dr7(d);
	int err = dr7_pass(d, v & ~DR7_RESERVED);

	if (err) {
		dr7_pass(d, old);	/* what passed once passes again */
		load_breakpoints(t);	/* the slots it went through */
		return err;
	}
	d->dr7 = v;
	return load_breakpoints(t);
}

/* DR@n (0-3) @v: an unused slot becomes a disabled 1-byte write one. */
static int write_addr(struct task *t, unsigned n, uint64_t v)
{
	struct ptrace_hwbp *s = &t->ptrace.debug.bp[n];
	int err;

	if (!s->used) {
		err = bp_check(v, 0, RW_WRITE);
		if (err)
			return err;
		memset(s, 0, sizeof(*s));
		s->type = RW_WRITE;
		s->used = true;
	} else {
		err = bp_check(v, s->len, s->type);
		if (err)
			return err;
	}
	s->addr = v;
	return s->enabled ? load_breakpoints(t) : 0;
}

/* See ptrace_internal.h. */
uint64_t ptrace_get_debugreg(struct task *t, unsigned n)
{
	const struct ptrace_debugregs *d = &t->ptrace.debug;

	if (n < 4)
		return d->bp[n].used ? d->bp[n].addr : 0;
	if (n == 6)
		return d->dr6 ^ DR6_INIT;	/* the CPU's polarity */
	if (n == 7)
		return d->dr7;
	return 0;
}

/* See ptrace_internal.h. */
int ptrace_set_debugreg(struct task *t, unsigned n, uint64_t v)
{
	if (n < 4)
		return write_addr(t, n, v);
	if (n == 6) {
		t->ptrace.debug.dr6 = v ^ DR6_INIT;
		return 0;
	}
	if (n == 7)
		return write_dr7(t, v);
	return -EIO;			/* DR4, DR5 */
}

/* See kernel/ptrace.h. */
void ptrace_debugregs_fork(struct task *c, const struct task *p)
{
	c->ptrace.debug.dr6 = p->ptrace.debug.dr6;
	c->ptrace.debug.dr7 = p->ptrace.debug.dr7;
}

/* See kernel/ptrace.h. */
void ptrace_debugregs_exec(void)
{
	struct ptrace_debugregs *d = &current->ptrace.debug;
	bool any = slots_dr7(d) != 0;

	memset(d, 0, sizeof(*d));
	if (any)
		load_breakpoints(current);
}

/* See kernel/ptrace.h. */
void ptrace_debug_trap(struct trapframe *tf)
{
	struct ptrace_debugregs *d = &current->ptrace.debug;
	uint64_t dr6 = tf->error ^ DR6_INIT;	/* set bits: the causes */
	int code;

	d->dr6 = dr6 & DR6_STEP;
	for (unsigned i = 0; i < 4; i++) {
		if (!(dr6 & DR6_TRAP(i)) || !d->bp[i].enabled)
			continue;
		d->dr6 |= DR6_TRAP(i);
		if (d->bp[i].type == RW_EXEC)
			tf->rflags |= RFLAGS_RF;	/* run it on return */
	}
	if (d->dr6 & DR6_STEP)
		code = TRAP_TRACE;
	else if (d->dr6 & DR6_TRAPS)
		code = TRAP_HWBKPT;
	else if (!dr6)
		code = TRAP_BRKPT;		/* int1 (icebp) */
	else
		return;
	force_signal(SIGTRAP, code, tf->rip);
}
