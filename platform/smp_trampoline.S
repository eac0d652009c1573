/*
 * Where an application processor starts: real mode at the page the
 * STARTUP IPI names (a copy of this code at SMP_TRAMPOLINE, smp.c puts it
 * there), through 32-bit protected mode to long mode on the boot page
 * tables (which map the first GiB both at 0 and at KERNEL_VMA), then a
 * jump into the kernel image, where ap_entry loads the kernel's tables
 * and the stack smp.c left for it, and calls ap_main().
 */
#include "layout.h"
#include "long_mode.h"

#define T(x)	((x) - smp_trampoline + SMP_TRAMPOLINE)

	.section .rodata
	.code16
	.globl	smp_trampoline
smp_trampoline:
	cli
	cld
	xorw	%ax, %ax
	movw	%ax, %ds
	lgdtl	T(tramp_gdt_ptr)
	movl	%cr0, %eax
	orl	$1, %eax			/* PE */
	movl	%eax, %cr0
	ljmpl	$0x18, $T(tramp32)

	.code32
tramp32:
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	ENTER_LONG_MODE T(smp_tramp_cr3)
	ljmpl	$0x08, $T(tramp64)

	.code64
tramp64:
	movq	T(smp_tramp_entry), %rax
	jmpq	*%rax

	.p2align 3
tramp_gdt:
	.quad	0
	.quad	0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad	0x00cf92000000ffff	/* 0x10: data */
	.quad	0x00cf9a000000ffff	/* 0x18: 32-bit code */
tramp_gdt_ptr:
	.word	tramp_gdt_ptr - tramp_gdt - 1
	.long	T(tramp_gdt)
	.p2align 3
	.globl	smp_tramp_cr3, smp_tramp_entry
smp_tramp_cr3:		.long 0		/* the boot page tables */
	.long	0
smp_tramp_entry:	.quad 0		/* ap_entry */
	.globl	smp_trampoline_end
smp_trampoline_end:

	.text
	.globl	ap_entry
ap_entry:
	movq	smp_ap_cr3(%rip), %rax
	movq	%rax, %cr3
	movq	smp_ap_stack(%rip), %rsp
	xorl	%ebp, %ebp
	callq	ap_main
1:	hlt
	jmp	1b
