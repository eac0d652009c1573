/*
 * First instructions: the PVH entry point (QEMU -kernel with an ELF that
 * carries a XEN_ELFNOTE_PHYS32_ENTRY note), the switch from 32-bit protected
 * mode to long mode, and the jump to platform_start() in the higher half.
 *
 * Entry state (PVH ABI): 32-bit flat protected mode, paging off, interrupts
 * off, %ebx = physical address of struct hvm_start_info.
 */
#include "layout.h"
#include "long_mode.h"

#define PHYS(x)	((x) - KERNEL_VMA)

	.section .note.pvh, "a"
	.p2align 2
	.long 4			/* namesz: "Xen\0" */
	.long 8			/* descsz */
	.long 18		/* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.quad PHYS(pvh_entry)

	.section .boot.text, "ax"
	.code32
	.globl pvh_entry
pvh_entry:
	cli
	cld
	movl	%ebx, %edi		/* keep start_info for platform_start */
	movl	$PHYS(boot_stack_top), %esp

	/* Page tables: PML4[0] and PML4[511] both reach the first GiB. */
	movl	$PHYS(boot_pdpt_low), %eax
	orl	$0x3, %eax
	movl	%eax, PHYS(boot_pml4)
	movl	$PHYS(boot_pdpt_high), %eax
	orl	$0x3, %eax
	movl	%eax, PHYS(boot_pml4) + 511 * 8
	movl	$PHYS(boot_pd), %eax
	orl	$0x3, %eax
	movl	%eax, PHYS(boot_pdpt_low)
	movl	%eax, PHYS(boot_pdpt_high) + 510 * 8

	/* boot_pd: 512 x 2 MiB pages, present | writable | large. */
	xorl	%ecx, %ecx
1:	movl	%ecx, %eax
	shll	$21, %eax
	orl	$0x83, %eax
	movl	%eax, PHYS(boot_pd)(, %ecx, 8)
	incl	%ecx
	cmpl	$512, %ecx
	jne	1b

	ENTER_LONG_MODE $PHYS(boot_pml4)

	lgdt	PHYS(boot_gdt_ptr)
	ljmp	$KERNEL_CS, $PHYS(long_mode)

	.code64
long_mode:
	movl	$KERNEL_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	movabsq	$boot_stack_top, %rsp
	movabsq	$platform_start, %rax
	xorl	%ebp, %ebp
	callq	*%rax
2:	hlt
	jmp	2b

	.section .boot.data, "aw"
	.p2align 3
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: kernel code, 64-bit */
	.quad 0x00cf92000000ffff	/* 0x10: kernel data */
boot_gdt_end:
boot_gdt_ptr:
	.word boot_gdt_end - boot_gdt - 1
	.long PHYS(boot_gdt)

	.section .bss
	.p2align 12
	.globl boot_pml4
boot_pml4:	.skip 4096
boot_pdpt_low:	.skip 4096
boot_pdpt_high:	.skip 4096
boot_pd:	.skip 4096
	/*
	 * Laid out as a kernel stack (include/platform/kstack.h): a block of
	 * its own alignment whose last word names the running thread (none
	 * until the kernel's first task adopts it, cpu_thread_adopt).
	 */
	.p2align 15
	.globl boot_stack
boot_stack:	.skip BOOT_STACK_BLOCK
	.globl boot_stack_top
	.set boot_stack_top, boot_stack + BOOT_STACK_BLOCK - 16
