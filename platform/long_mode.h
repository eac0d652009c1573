/*
 * The switch from 32-bit protected mode to long mode that both the boot
 * CPU (boot.S) and the APs (smp_trampoline.S) make: PAE, the page tables
 * @pml4 names (an operand movl accepts), LME and NXE, then paging with
 * write protection. A far jump to a 64-bit code segment must follow.
 * Assembly only; clobbers %eax, %ecx, %edx.
 */
#pragma once

.macro ENTER_LONG_MODE pml4
	movl	%cr4, %eax
	orl	$(1 << 5), %eax			/* PAE */
	movl	%eax, %cr4
	movl	\pml4, %eax
	movl	%eax, %cr3
	movl	$0xc0000080, %ecx		/* EFER */
	rdmsr
	orl	$((1 << 8) | (1 << 11)), %eax	/* LME | NXE */
	wrmsr
	movl	%cr0, %eax
	orl	$((1 << 31) | (1 << 16) | 1), %eax	/* PG | WP | PE */
	movl	%eax, %cr0
.endm
