/*
 * Ways into and out of the kernel: exception and IRQ stubs, the syscall
 * instruction's entry, return to user mode, and the thread switch.
 * Every entry builds a struct trapframe (include/platform/cpu.h).
 *
 * The kernel never uses %gs but in the syscall entry and the #DB entry
 * from user mode, which swap in the kernel GS base (this CPU's struct
 * cpu_local) just long enough to find their stack: so every other path
 * may take the user's GS as it is.
 * Every entry takes the kernel lock (trap_entry; the syscall entry through
 * klock_take_syscall, and only once there is a second CPU), and every way
 * back to user mode gives it up (klock_give_if_held).
 *
 * Entered from user mode, the C code is called with %rbp zero and the
 * entry's unwind rule says the return address is undefined, so both a
 * panic's frame-pointer backtrace and GDB stop here, at the boundary,
 * instead of walking into the user's frames.
 */
#include "layout.h"

	.cfi_sections .debug_frame

/* Push the general registers in struct trapframe order (r15 lowest). */
.macro PUSH_REGS
	pushq	%rdi
	pushq	%rsi
	pushq	%rdx
	pushq	%rcx
	pushq	%rax
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
.endm

.macro POP_REGS
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rax
	popq	%rcx
	popq	%rdx
	popq	%rsi
	popq	%rdi
.endm

/* Vectors with a CPU-pushed error code: 8, 10-14, 17, 21, 29, 30. */
.macro VECTOR n
	.p2align 4
vector_\n:
	.if !(\n == 8 || (\n >= 10 && \n <= 14) || \n == 17 || \n == 21 || \n == 29 || \n == 30)
	pushq	$0
	.endif
	pushq	$\n
	.if \n == 1
	jmp	debug_entry
	.else
	jmp	trap_common
	.endif
.endm

	.text
	.globl	trap_vectors
trap_vectors:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23
	VECTOR \n
	.endr
	.irp n, 24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
	VECTOR \n
	.endr
	.irp n, 48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63
	VECTOR \n
	.endr
	.irp n, 64,65,66
	VECTOR \n
	.endr

trap_common:
	.cfi_startproc simple
	.cfi_def_cfa rsp, 0
	.cfi_undefined rip
	cld
	PUSH_REGS
	testb	$3, TF_CS(%rsp)
	jz	0f
	xorl	%ebp, %ebp		/* from user mode: the outermost frame */
0:	movq	%rsp, %rdi
	callq	trap_entry
	cli
	POP_REGS
	addq	$16, %rsp		/* vector, error */
	iretq
	.cfi_endproc

/*
 * #DB, on its own small stack in struct cpu_local (IST 2): a `mov %ss`
 * or `pop %ss` delays a user breakpoint's #DB past the next instruction,
 * so one can come at the first instruction of the syscall entry, on the
 * user's stack and GS, or of another entry. DR6 goes to the frame's
 * error word and is reset for the next #DB. From kernel mode (such a
 * delayed one, or the kernel's own copy touching a watched user word)
 * it is dropped, as Linux drops a user breakpoint's hit in the kernel:
 * neither the stack nor GS can be trusted there, and nothing is owed.
 * From user mode the frame moves to the thread's kernel stack, as the
 * CPU would have pushed it there, and goes the way of every exception.
 * Interrupts stay off, so nothing else runs on this stack meanwhile;
 * nothing here touches user memory, so no #DB comes again.
 */
debug_entry:
	.cfi_startproc simple
	.cfi_def_cfa rsp, 0
	.cfi_undefined rip
	pushq	%rax
	movq	%dr6, %rax
	movq	%rax, 16(%rsp)		/* rax vector error: DR6 into error */
	movl	$DR6_RESET, %eax
	movq	%rax, %dr6
	popq	%rax
	testb	$3, TF_CS - TF_RIP + 16(%rsp)	/* vector error rip cs */
	jnz	1f
	addq	$16, %rsp
	iretq
1:	swapgs				/* from user: the kernel GS base */
	movq	%gs:CPU_GS_KSTACK, %rsp
	.irp w, 1, 2, 3, 4, 5, 6, 7	/* ss first, vector last */
	pushq	%gs:CPU_GS_DB_TOP - 8 * \w
	.endr
	swapgs
	jmp	trap_common
	.cfi_endproc

/*
 * syscall: %rcx = user rip, %r11 = user rflags, IF cleared by FMASK.
 */
	.p2align 4
	.globl	syscall_entry
syscall_entry:
	.cfi_startproc simple
	.cfi_def_cfa rsp, 0
	.cfi_undefined rip
	swapgs
	movq	%rsp, %gs:CPU_GS_USER_RSP
	movq	%gs:CPU_GS_KSTACK, %rsp
	pushq	$USER_DS		/* ss */
	pushq	%gs:CPU_GS_USER_RSP	/* rsp */
	swapgs
	pushq	%r11			/* rflags */
	pushq	$USER_CS		/* cs */
	pushq	%rcx			/* rip */
	pushq	$0			/* error */
	pushq	$0x100			/* vector: TRAP_SYSCALL */
	PUSH_REGS
	xorl	%ebp, %ebp		/* the outermost frame */
	cld
	cmpb	$0, klock_on(%rip)	/* one CPU: no lock to take */
	je	1f
	callq	klock_take_syscall
1:	sti				/* the call runs with interrupts on */
	movq	%rsp, %rdi
	callq	kernel_syscall
	movq	%rsp, %rdi
	callq	kernel_return_to_user
	jmp	return_to_user
	.cfi_endproc

/*
 * cpu_enter_user(struct trapframe *tf): leave for user mode with @tf,
 * which sits at the top of the current kernel stack.
 */
	.globl	cpu_enter_user
cpu_enter_user:
	movq	%rdi, %rsp
return_to_user:
	cli
	cmpb	$0, klock_on(%rip)	/* one CPU: no lock to give */
	je	1f
	callq	klock_give_if_held	/* the frame is above: rsp stays put */
1:
	/* sysret when the frame allows it, else iret. */
	movq	TF_RCX(%rsp), %rcx
	cmpq	TF_RIP(%rsp), %rcx
	jne	2f
	movq	TF_R11(%rsp), %r11
	cmpq	TF_RFLAGS(%rsp), %r11
	jne	2f
	cmpq	$USER_CS, TF_CS(%rsp)
	jne	2f
	cmpq	$USER_DS, TF_SS(%rsp)
	jne	2f
	/* sysret with a non-canonical %rcx would fault in ring 0. */
	movabsq	$0x00007ffffffff000, %rax
	cmpq	%rax, %rcx
	jae	2f
	testq	$0x10100, %r11		/* RF or TF: iret restores them right */
	jnz	2f
	POP_REGS
	movq	8 * 5(%rsp), %rsp	/* user rsp (frame: vec err rip cs fl rsp) */
	sysretq
2:	POP_REGS
	addq	$16, %rsp
	iretq

/*
 * cpu_switch_stack(uint64_t *save_sp, uint64_t new_sp): save callee-saved
 * registers on this stack, store %rsp, and resume the other stack.
 */
	.globl	cpu_switch_stack
cpu_switch_stack:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	retq

/* First return of a new thread: call entry(arg) held in r12/r13. */
	.globl	cpu_thread_start
cpu_thread_start:
	movq	%r13, %rdi
	sti
	callq	*%r12
	ud2
