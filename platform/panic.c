/*
 * Kernel panic: the message, the registers of the faulting frame, a
 * backtrace symbolized from the kernel's own symbol table, then a failure
 * exit from QEMU so that a scripted run ends at once.
 */
#include <platform/printk.h>
#include <platform/panic.h>
#include <platform/cpu.h>
#include <platform/power.h>
#include <aramid/string.h>
#include "x86.h"
#include "cpu_local.h"

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

/*
 * Print @addr with its symbol. A return address (@ret) is looked up one
 * byte back, so a call that never returns (to panic) names its caller and
 * not the function that happens to follow it.
 */
static void print_addr(uint64_t addr, bool ret)
{
	const struct ksym *s = ksym_find(ret ? addr - 1 : addr);

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
		print_addr(ret, true);
		rbp = frame[0];
	}
}

static void dump_frame(struct trapframe *tf)
{
	printk(LOG_ERR, "RIP: %016lx CS: %lx RFLAGS: %016lx vector %lu error %lx",
	       tf->rip, tf->cs, tf->rflags, tf->vector, tf->error);
	if (!(tf->cs & 3))
		print_addr(tf->rip, false);
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
	if (!smp_stop_others())		/* another CPU reports */
		for (;;)
			__asm__ __volatile__("cli; hlt");
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

/* The registers at the call of panic(), as a frame for dump_frame(). */
static void capture_frame(struct trapframe *tf)
{
	__asm__ __volatile__(
		"movq %%rax, %c[rax](%0)\n\t"
		"movq %%rbx, %c[rbx](%0)\n\t"
		"movq %%rcx, %c[rcx](%0)\n\t"
		"movq %%rdx, %c[rdx](%0)\n\t"
		"movq %%rsi, %c[rsi](%0)\n\t"
		"movq %%rdi, %c[rdi](%0)\n\t"
		"movq %%rbp, %c[rbp](%0)\n\t"
		"movq %%rsp, %c[rsp](%0)\n\t"
		"movq %%r8, %c[r8](%0)\n\t"
		"movq %%r9, %c[r9](%0)\n\t"
		"movq %%r10, %c[r10](%0)\n\t"
		"movq %%r11, %c[r11](%0)\n\t"
		"movq %%r12, %c[r12](%0)\n\t"
		"movq %%r13, %c[r13](%0)\n\t"
		"movq %%r14, %c[r14](%0)\n\t"
		"movq %%r15, %c[r15](%0)\n\t"
		"leaq 0(%%rip), %%rax\n\t"
		"movq %%rax, %c[rip](%0)\n\t"
		"pushfq\n\t"
		"popq %c[rflags](%0)"
		: : "r"(tf),
		  [rax] "i"(offsetof(struct trapframe, rax)),
		  [rbx] "i"(offsetof(struct trapframe, rbx)),
		  [rcx] "i"(offsetof(struct trapframe, rcx)),
		  [rdx] "i"(offsetof(struct trapframe, rdx)),
		  [rsi] "i"(offsetof(struct trapframe, rsi)),
		  [rdi] "i"(offsetof(struct trapframe, rdi)),
		  [rbp] "i"(offsetof(struct trapframe, rbp)),
		  [rsp] "i"(offsetof(struct trapframe, rsp)),
		  [r8] "i"(offsetof(struct trapframe, r8)),
		  [r9] "i"(offsetof(struct trapframe, r9)),
		  [r10] "i"(offsetof(struct trapframe, r10)),
		  [r11] "i"(offsetof(struct trapframe, r11)),
		  [r12] "i"(offsetof(struct trapframe, r12)),
		  [r13] "i"(offsetof(struct trapframe, r13)),
		  [r14] "i"(offsetof(struct trapframe, r14)),
		  [r15] "i"(offsetof(struct trapframe, r15)),
		  [rip] "i"(offsetof(struct trapframe, rip)),
		  [rflags] "i"(offsetof(struct trapframe, rflags))
		: "rax", "memory");
	tf->cs = KERNEL_CS;
	tf->ss = KERNEL_DS;
}

static bool crashing;	/* crash_system(): no containment point may catch it */

void crash_system(const char *why)
{
	crashing = true;
	panic("%s", why);
}

void panic(const char *fmt, ...)
{
	struct trapframe tf = { 0 };
	char msg[256];
	va_list ap;

	capture_frame(&tf);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* Inside a contained call this ends the call, not the kernel. */
	if (!in_panic && !crashing)
		contain_panic(msg, (uint64_t)__builtin_return_address(0));
	panic_enter();
	printk(LOG_ERR, "Kernel panic: %s", msg);
	dump_frame(&tf);
	backtrace((uint64_t)__builtin_frame_address(0));
	machine_fail();
}
