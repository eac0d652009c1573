/*
 * Each CPU's GDT and TSS, the shared IDT, the syscall MSRs, and the
 * per-thread machine context (stack switch, FS base; the FPU state is
 * fpu.c's, the debug registers debugreg.c's).
 */
#include <platform/cpu.h>
#include <platform/spinlock.h>
#include <aramid/string.h>
#include "x86.h"
#include "cpu_internal.h"
#include "cpu_local.h"

#define CR4_TSD		(1UL << 2)
#define CR4_LA57	(1UL << 12)
#define CR4_FSGSBASE	(1UL << 16)
#define CR4_PKE		(1UL << 22)
#define CPUID7_EBX_FSGSBASE	(1U << 0)
#define CPUID7_ECX_PKU		(1U << 3)
#define CPUID7_ECX_LA57		(1U << 16)
#define HWCAP2_FSGSBASE	(1U << 1)

_Static_assert(offsetof(struct trapframe, r11) == TF_R11, "TF_R11");
_Static_assert(offsetof(struct trapframe, rcx) == TF_RCX, "TF_RCX");
_Static_assert(offsetof(struct trapframe, rip) == TF_RIP, "TF_RIP");
_Static_assert(offsetof(struct trapframe, cs) == TF_CS, "TF_CS");
_Static_assert(offsetof(struct trapframe, rflags) == TF_RFLAGS, "TF_RFLAGS");
_Static_assert(offsetof(struct trapframe, rsp) == TF_RSP, "TF_RSP");
_Static_assert(offsetof(struct trapframe, ss) == TF_SS, "TF_SS");
_Static_assert(sizeof(struct trapframe) == 176, "trapframe size");

struct idt_entry {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t zero;
} __packed;

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __packed;

_Static_assert(offsetof(struct cpu_local, syscall_kstack) == CPU_GS_KSTACK,
	       "CPU_GS_KSTACK");
_Static_assert(offsetof(struct cpu_local, syscall_user_rsp) == CPU_GS_USER_RSP,
	       "CPU_GS_USER_RSP");
_Static_assert(offsetof(struct cpu_local, db_stack) +
	       sizeof(((struct cpu_local *)0)->db_stack) == CPU_GS_DB_TOP &&
	       CPU_GS_DB_TOP % 16 == 0 &&
	       sizeof(((struct cpu_local *)0)->db_stack) == 8 * 8,
	       "CPU_GS_DB_TOP: 8 words, 16-aligned");

static const uint64_t gdt_template[5] = {
	0,
	0x00af9a000000ffff,	/* 0x08 kernel code */
	0x00cf92000000ffff,	/* 0x10 kernel data */
	0x00cff2000000ffff,	/* 0x18 user data */
	0x00affa000000ffff,	/* 0x20 user code, 64-bit */
	/* 0x28: the CPU's TSS, two slots */
};
static struct idt_entry idt[NR_VECTORS] __aligned(16);

static void gdt_init(struct cpu_local *c)
{
	uint64_t base = (uint64_t)&c->tss, limit = sizeof(c->tss) - 1;

	memcpy(c->gdt, gdt_template, sizeof(gdt_template));
	c->tss.iomap_base = sizeof(c->tss);
	c->tss.ist[0] = c->df_stack_top;
	c->tss.ist[1] = (uint64_t)c + CPU_GS_DB_TOP;
	c->gdt[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
		    (0x89UL << 40) | (((limit >> 16) & 0xf) << 48) |
		    (((base >> 24) & 0xff) << 56);
	c->gdt[6] = base >> 32;

	struct desc_ptr p = { sizeof(c->gdt) - 1, (uint64_t)c->gdt };

	__asm__ __volatile__(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movl %2, %%eax\n\t"
		"movl %%eax, %%ds\n\t"
		"movl %%eax, %%es\n\t"
		"movl %%eax, %%ss\n\t"
		"ltr %w3"
		: : "m"(p), "i"(KERNEL_CS), "i"(KERNEL_DS), "r"(TSS_SEL)
		: "rax", "memory");
}

/* The IDT, the same on every CPU: built once, loaded by each. */
static void idt_init(void)
{
	if (idt[0].sel)
		goto load;
	for (int v = 0; v < NR_VECTORS; v++) {
		uint64_t h = (uint64_t)trap_vectors + v * 16;

		idt[v] = (struct idt_entry){
			.off_lo = h & 0xffff,
			.sel = KERNEL_CS,
			/* Double fault and #DB: their own stacks. */
			.ist = v == 8 ? 1 : v == 1 ? 2 : 0,
			.type = v == 3 ? 0xee : 0x8e,	/* int3 callable from user */
			.off_mid = (h >> 16) & 0xffff,
			.off_hi = h >> 32,
		};
	}
load:;
	struct desc_ptr p = { sizeof(idt) - 1, (uint64_t)idt };

	__asm__ __volatile__("lidt %0" : : "m"(p));
}

/* The SYSCALL instruction: enable it and point it at syscall_entry. */
static void syscall_msr_init(void)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | 1);		/* SCE */
	wrmsr(MSR_STAR, ((uint64_t)(USER_DS - 8 - 3) << 48) |
			((uint64_t)KERNEL_CS << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	/* Clear IF, TF, DF, AC, NT on entry. */
	wrmsr(MSR_FMASK, RFLAGS_IF | (1 << 8) | (1 << 10) | (1 << 18) | (1 << 14));
}

/*
 * The SYSCALL entry finds @c through the kernel GS base (entry.S swaps it
 * in for a few instructions); rdtscp and rdpid read its number.
 */
void cpu_init_local(struct cpu_local *c)
{
	gdt_init(c);
	idt_init();
	syscall_msr_init();
	wrmsr(MSR_KERNEL_GS_BASE, (uint64_t)c);
	wrmsr(MSR_TSC_AUX, c->id);
	fpu_init();
}

irqflags_t irq_save(void)
{
	return x86_irq_save();
}

void irq_restore(irqflags_t f)
{
	x86_irq_restore(f);
}

void irq_enable(void)
{
	__asm__ __volatile__("sti" ::: "memory");
}

void irq_disable(void)
{
	__asm__ __volatile__("cli" ::: "memory");
}

/*
 * The kernel lock is given up for the halt and taken again before
 * returning, interrupts off. `sti; hlt` lets no interrupt in between.
 */
void cpu_idle(void)
{
	struct cpu_local *c = this_cpu();

	klock_give(c);
	__asm__ __volatile__("sti; hlt; cli" ::: "memory");
	klock_take(c);
}

uint64_t cpu_cycles(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

uint32_t cpu_hwcap(void)
{
	uint32_t r[4];

	cpuid(1, 0, r);
	return r[3];
}

void cpu_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t r[4])
{
	uint32_t max[4];

	cpuid(leaf & 0x80000000, 0, max);	/* the highest leaf of its range */
	if (leaf > max[0]) {
		r[0] = r[1] = r[2] = r[3] = 0;
		return;
	}
	cpuid(leaf, subleaf, r);
	if (leaf == 7 && subleaf == 0) {
		uint64_t cr4 = read_cr4();

		if (!(cr4 & CR4_FSGSBASE))
			r[1] &= ~CPUID7_EBX_FSGSBASE;
		if (!(cr4 & CR4_PKE))
			r[2] &= ~CPUID7_ECX_PKU;
		if (!(cr4 & CR4_LA57))
			r[2] &= ~CPUID7_ECX_LA57;
	}
}

uint32_t cpu_hwcap2(void)
{
	return (read_cr4() & CR4_FSGSBASE) ? HWCAP2_FSGSBASE : 0;
}

/* Where the CPU and the syscall entry find the running thread's stack. */
static void set_kstack(struct cpu_local *c, uint64_t top)
{
	c->tss.rsp[0] = top;
	c->syscall_kstack = top;
}

_Static_assert(BOOT_STACK_BLOCK == KSTACK_ALIGN, "boot stack block");

/* Name @t the owner of the kernel stack whose top is @t->kstack_top. */
static void set_owner(struct cpu_thread *t)
{
	*(struct cpu_thread **)(t->kstack_top + 8) = t;
}

void cpu_thread_init(struct cpu_thread *t, uint64_t kstack_top,
		     void (*entry)(void *), void *arg)
{
	/* Below the user trapframe: the frame cpu_switch_stack pops. */
	uint64_t *sp = (uint64_t *)(kstack_top - sizeof(struct trapframe));

	*--sp = (uint64_t)cpu_thread_start;	/* return address */
	*--sp = 0;				/* rbp */
	*--sp = 0;				/* rbx */
	*--sp = (uint64_t)entry;		/* r12 */
	*--sp = (uint64_t)arg;			/* r13 */
	*--sp = 0;				/* r14 */
	*--sp = 0;				/* r15 */
	t->sp = (uint64_t)sp;
	t->kstack_top = kstack_top;
	set_owner(t);
	t->fs_base = 0;
	t->contain = NULL;
	t->notsc = false;
	t->dr7 = 0;
	cpu_thread_init_fpu(t);
}

extern char boot_stack[];

void cpu_thread_adopt(struct cpu_thread *t)
{
	*(struct cpu_thread **)(boot_stack + BOOT_STACK_BLOCK - 8) = t;
	t->cpu = 0;
}

void cpu_switch(struct cpu_thread *prev, struct cpu_thread *next)
{
	if (CONFIG_SPINLOCK_CHECKS)
		KASSERT(spin_held_count() == 0);
	next->cpu = prev->cpu;
	fpu_save(prev->fpu);
	fpu_restore(next->fpu);
	if (prev->fs_base != next->fs_base)
		wrmsr(MSR_FS_BASE, next->fs_base);
	if (prev->notsc != next->notsc)
		write_cr4(read_cr4() ^ CR4_TSD);
	if (unlikely(prev->dr7 | next->dr7))
		cpu_debugreg_load(next);
	set_kstack(&cpu_locals[next->cpu], next->kstack_top);
	cpu_switch_stack(&prev->sp, next->sp);
}

void cpu_set_tsc_user(struct cpu_thread *t, bool allowed)
{
	if (t->notsc == !allowed)
		return;
	t->notsc = !allowed;
	if (t == cpu_thread_running())
		write_cr4(read_cr4() ^ CR4_TSD);
}

void cpu_thread_first(struct cpu_thread *t)
{
	t->cpu = cpu_thread_running()->cpu;
	set_owner(t);
	if (t->notsc)
		write_cr4(read_cr4() | CR4_TSD);
	set_kstack(&cpu_locals[t->cpu], t->kstack_top);
	wrmsr(MSR_FS_BASE, t->fs_base);
	fpu_restore(t->fpu);
}

void cpu_set_fs_base(struct cpu_thread *t, uint64_t base)
{
	t->fs_base = base;
	wrmsr(MSR_FS_BASE, base);
}

void cpu_user_frame_init(struct trapframe *tf, uint64_t rip, uint64_t rsp)
{
	memset(tf, 0, sizeof(*tf));
	tf->rip = rip;
	tf->rsp = rsp;
	tf->cs = USER_CS;
	tf->ss = USER_DS;
	tf->rflags = RFLAGS_IF | 0x2;
}

/*
 * Make a frame that user space supplied (sigreturn) safe to return to:
 * user segments, no IOPL, interrupts on. RF stays as Linux keeps it: a
 * handler run at an instruction breakpoint returns past it.
 */
void cpu_user_frame_sanitize(struct trapframe *tf)
{
	const uint64_t user_flags = 0xcd5 | (1 << 8) | (1 << 10) | (1 << 18) |
				    (1 << 21) | RFLAGS_RF;
					/* CF PF AF ZF SF TF DF OF AC ID RF */

	tf->cs = USER_CS;
	tf->ss = USER_DS;
	tf->rflags = (tf->rflags & user_flags) | RFLAGS_IF | 0x2;
}
