/*
 * CPU state the kernel may see: the user register frame, interrupt
 * masking, and the per-thread machine context (kernel stack, FPU, TLS).
 */
#pragma once
#include <aramid/compiler.h>
#include <platform/kstack.h>

/*
 * Registers of an interrupted user (or kernel) context, as pushed by the
 * platform's entry code. The layout is fixed by platform/entry.S.
 */
struct trapframe {
	uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	uint64_t rax, rcx, rdx, rsi, rdi;
	uint64_t vector, error;		/* #DB (vector 1): error is DR6 */
	uint64_t rip, cs, rflags, rsp, ss;
};

#define TRAP_SYSCALL	0x100	/* trapframe.vector of a syscall entry */
#define RFLAGS_TF	(1UL << 8)	/* trap flag: #DB after each instruction */
#define RFLAGS_RF	(1UL << 16)	/* resume: no instruction breakpoint */

/* DR6's status bits (1: the cause of a #DB); its other bits read 1. */
#define DR6_INIT	0xffff0ff0UL	/* as the CPU resets it */
#define DR6_TRAP(i)	(1UL << (i))	/* breakpoint @i's condition met */
#define DR6_STEP	(1UL << 14)	/* a single step (RFLAGS.TF) */

/* Interrupt masking. The kernel runs on one CPU: masking is the lock. */
typedef uint64_t irqflags_t;
irqflags_t irq_save(void);
void irq_restore(irqflags_t flags);
void irq_enable(void);
void irq_disable(void);
/* Halt until the next interrupt, with interrupts enabled. */
void cpu_idle(void);

/*
 * Room for a thread's FPU state: the XSAVE area in standard format for
 * x87, SSE, AVX and AVX-512 (the most XCR0 enables), or an FXSAVE image.
 */
#define FPU_STATE_MAX	2688

/*
 * Machine context of one kernel thread. Embedded in the kernel's task.
 * @sp is the saved kernel stack pointer while the thread is switched out.
 */
struct contain_point;

struct cpu_thread {
	uint64_t sp;
	uint64_t kstack_top;		/* owner word at + 8 (kstack.h) */
	unsigned cpu;			/* the CPU it runs on, or last ran on */
	uint64_t fs_base;
	struct contain_point *contain;	/* innermost armed point, or NULL */
	bool notsc;			/* rdtsc faults in user mode (CR4.TSD) */
	uint64_t dr7;			/* its debug registers: 0 for none */
	uint64_t dr[4];
	uint8_t fpu[FPU_STATE_MAX] __aligned(64);	/* XSAVE needs 64 */
};

/*
 * Prepare @t to start running @entry(@arg) on the kernel stack that ends
 * at @kstack_top, the first time it is switched to.
 */
void cpu_thread_init(struct cpu_thread *t, uint64_t kstack_top,
		     void (*entry)(void *), void *arg);
/* Give @t (64-byte aligned) the initial FPU state (cpu_thread_init). */
void cpu_thread_init_fpu(struct cpu_thread *t);
/*
 * Copy the FPU state of the running thread into @t's area (for fork, and
 * for a signal frame: the image then lies in @t->fpu, cpu_fpu_size()
 * bytes, in the format cpu_fpu_xfeatures() tells).
 */
void cpu_thread_copy_fpu(struct cpu_thread *t);
/* Reset @t's FPU state to the initial one (for execve). */
void cpu_thread_reset_fpu(struct cpu_thread *t);
/*
 * The thread running on this CPU: the owner word of the kernel stack in
 * use (include/platform/kstack.h), found from the frame pointer, so it
 * changes exactly when cpu_switch changes stacks. NULL on the boot stack
 * before cpu_thread_adopt. Any context but the double-fault handler.
 */
static inline struct cpu_thread *cpu_thread_running(void)
{
	uintptr_t fp = (uintptr_t)__builtin_frame_address(0);

	return *(struct cpu_thread **)((fp | (KSTACK_ALIGN - 1)) - 7);
}

/*
 * Let the code running on the boot stack count as thread @t (the first
 * task, whose stack it uses once it enters user mode). Boot, once.
 */
void cpu_thread_adopt(struct cpu_thread *t);
/*
 * Switch from thread @prev (the running one) to @next. Interrupts off, no
 * spinlock held (checked where the profile checks locks).
 */
void cpu_switch(struct cpu_thread *prev, struct cpu_thread *next);
/*
 * Make @t (its kstack_top set) the running thread without a switch: the
 * first task, about to enter user mode from the boot stack.
 */
void cpu_thread_first(struct cpu_thread *t);
/* Set the running thread's FS base (arch_prctl ARCH_SET_FS). */
void cpu_set_fs_base(struct cpu_thread *t, uint64_t base);
/*
 * Let thread @t read the time-stamp counter in user mode, or make rdtsc
 * and rdtscp fault there (PR_SET_TSC's PR_TSC_SIGSEGV): CR4.TSD follows
 * the running thread. @t is the running thread or not running.
 */
void cpu_set_tsc_user(struct cpu_thread *t, bool allowed);

/* A hardware breakpoint (its condition: execution, or a data access). */
enum cpu_bp_type {
	CPU_BP_EXEC = 0,		/* the instruction at addr; len 1 */
	CPU_BP_WRITE = 1,
	CPU_BP_RW = 3,			/* reads and writes */
};

struct cpu_breakpoint {
	uint64_t addr;			/* a user address, len-aligned */
	unsigned len;			/* 1, 2, 4 or 8 bytes */
	enum cpu_bp_type type;
	bool enabled;
};

#define CPU_BREAKPOINTS	4

/*
 * Give thread @t the user breakpoints @bp[CPU_BREAKPOINTS] (its debug
 * registers, loaded while it runs; with none enabled a switch to or from
 * it costs nothing more). @t is the running thread or not running. The
 * CPU then raises #DB in user mode for a hit, DR6 in the trapframe's
 * error word; in kernel mode a hit (a user copy of a watched word) is
 * dropped. 0, or -EINVAL, nothing changed, for a breakpoint the CPU
 * cannot take (an enabled one not wholly below USER_TOP, misaligned, an
 * EXEC one longer than 1 byte, a bad length or type).
 */
int cpu_thread_set_breakpoints(struct cpu_thread *t,
			       const struct cpu_breakpoint bp[CPU_BREAKPOINTS]);

/*
 * The trapframe at the top of a thread's kernel stack: its user registers.
 */
static inline struct trapframe *cpu_thread_frame(struct cpu_thread *t)
{
	return (struct trapframe *)t->kstack_top - 1;
}

/*
 * Leave the kernel for user mode with the registers in @tf (which must be
 * the frame at the top of the running thread's kernel stack).
 */
__noreturn void cpu_enter_user(struct trapframe *tf);

/* Set up @tf for a fresh user context at @rip with stack @rsp. */
void cpu_user_frame_init(struct trapframe *tf, uint64_t rip, uint64_t rsp);
/* True if @tf is a valid user context to return to (segments, rflags). */
void cpu_user_frame_sanitize(struct trapframe *tf);

/* Read the CPU's cycle counter. */
uint64_t cpu_cycles(void);

/*
 * The feature word execve gives a program as AT_HWCAP: CPUID leaf 1's EDX,
 * as Linux gives it on x86-64.
 */
uint32_t cpu_hwcap(void);
/*
 * CPUID leaf @leaf, subleaf @subleaf, into @r (EAX, EBX, ECX, EDX), as
 * this kernel presents the CPU (/proc/cpuinfo): zeros past the highest
 * leaf of its range, and leaf 7's FSGSBASE, PKU and LA57 only where CR4
 * enables them.
 */
void cpu_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t r[4]);
/*
 * AT_HWCAP2: HWCAP2_FSGSBASE (bit 1) if CR4 lets user space use the
 * FSGSBASE instructions, as Linux sets it.
 */
uint32_t cpu_hwcap2(void);

/*
 * The FPU image format: its size in bytes (512 for FXSAVE, else the XSAVE
 * standard-format size for XCR0) and XCR0 (0: no XSAVE, FXSAVE images).
 */
size_t cpu_fpu_size(void);
uint64_t cpu_fpu_xfeatures(void);

/*
 * Load an FPU image from user space (sigreturn) as @t's state, @t the
 * running thread. @xsave: @image is an XSAVE area of cpu_fpu_size()
 * bytes, of which the components in @rfbm are loaded; else a 512-byte
 * FXSAVE image. What is not loaded starts from the initial state.
 * Returns 0, or -EINVAL if the CPU refuses the image (reserved MXCSR or
 * header bits): the state is then the initial one.
 */
int cpu_thread_load_fpu(struct cpu_thread *t, const uint8_t *image,
			bool xsave, uint64_t rfbm);
/*
 * The x87 and SSE state of @t, not running (a stopped tracee), as the
 * 512-byte FXSAVE image ptrace's GETFPREGS gives (struct
 * user_fpregs_struct); set: load such an image into @t's state (its
 * MXCSR_MASK and reserved bytes ignored). 0, or -EINVAL for MXCSR bits
 * the CPU does not have.
 */
void cpu_thread_get_fxregs(const struct cpu_thread *t, uint8_t *out);
int cpu_thread_set_fxregs(struct cpu_thread *t, const uint8_t *in);
/*
 * With XSAVE only (cpu_fpu_xfeatures() != 0): the whole state of @t, not
 * running, as ptrace's NT_X86_XSTATE gives it, cpu_fpu_size() bytes of
 * standard-format XSAVE area with XCR0 in bytes 464..471; set: load such
 * an area as Linux checks it (no XSTATE_BV bit outside XCR0, no XCOMP_BV,
 * a zero rest of the header, a valid MXCSR where used): 0 or -EINVAL,
 * nothing changed then. The components the header leaves out start from
 * their initial state.
 */
void cpu_thread_get_xstate(const struct cpu_thread *t, uint8_t *out);
int cpu_thread_set_xstate(struct cpu_thread *t, const uint8_t *in);
