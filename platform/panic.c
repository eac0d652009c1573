/*
 * Kernel panic: the message, the registers of the faulting frame, a
 * backtrace symbolized from the kernel's own symbol table, then a failure
 * exit from QEMU so that a scripted run ends at once.
 */
#include <platform/console.h>
#include <platform/cpu.h>
#include <platform/power.h>
#include <aramid/string.h>
#include "x86.h"

struct ksym {
	uint64_t addr;
	const char *name;
};
extern const struct ksym __ksymtab_start[], __ksymtab_end[];
extern char __kernel_start[], __kernel_end[];

static bool in_panic;

/* The symbol containing @addr, or NULL. */
static const struct ksym *ksym_find(uint64_t addr)
{
	const struct ksym *best = NULL;

	for (const struct ksym *s = __ksymtab_start; s < __ksymtab_end; s++) {
		if (s->addr > addr)
			break;
		best = s;
	}
	return best;
}

static void print_addr(uint64_t addr)
{
	const struct ksym *s = ksym_find(addr);

	if (s)
		printk(LOG_ERR, "  [<%p>] %s+0x%lx", (void *)addr, s->name,
		       addr - s->addr);
	else
		printk(LOG_ERR, "  [<%p>] ?", (void *)addr);
}

static void backtrace(uint64_t rbp)
{
	printk(LOG_ERR, "Call trace:");
	for (int depth = 0; depth < 24; depth++) {
		if (rbp < (uint64_t)DIRECT_MAP || (rbp & 7))
			break;
		uint64_t *frame = (uint64_t *)rbp;
		uint64_t ret = frame[1];

		if (ret < (uint64_t)__kernel_start || ret >= (uint64_t)__kernel_end)
			break;
		print_addr(ret);
		rbp = frame[0];
	}
}

static void dump_frame(struct trapframe *tf)
{
	printk(LOG_ERR, "RIP: %016lx CS: %lx RFLAGS: %016lx vector %lu error %lx",
	       tf->rip, tf->cs, tf->rflags, tf->vector, tf->error);
	if (!(tf->cs & 3))
		print_addr(tf->rip);
	printk(LOG_ERR, "RSP: %016lx RBP: %016lx CR2: %016lx",
	       tf->rsp, tf->rbp, read_cr2());
	printk(LOG_ERR, "RAX: %016lx RBX: %016lx RCX: %016lx",
	       tf->rax, tf->rbx, tf->rcx);
	printk(LOG_ERR, "RDX: %016lx RSI: %016lx RDI: %016lx",
	       tf->rdx, tf->rsi, tf->rdi);
	printk(LOG_ERR, "R8:  %016lx R9:  %016lx R10: %016lx",
	       tf->r8, tf->r9, tf->r10);
	printk(LOG_ERR, "R11: %016lx R12: %016lx R13: %016lx",
	       tf->r11, tf->r12, tf->r13);
	printk(LOG_ERR, "R14: %016lx R15: %016lx", tf->r14, tf->r15);
}

static void panic_enter(void)
{
	irq_disable();
	if (in_panic)		/* a panic while panicking: just stop */
		machine_fail();
	in_panic = true;
	console_set_loglevel(8);
}

void panic_frame(const char *what, struct trapframe *tf)
{
	panic_enter();
	printk(LOG_ERR, "Kernel panic: %s", what);
	dump_frame(tf);
	backtrace(tf->rbp);
	machine_fail();
}

void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	panic_enter();
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(LOG_ERR, "Kernel panic: %s", msg);
	backtrace((uint64_t)__builtin_frame_address(0));
	machine_fail();
}
