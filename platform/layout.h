/* Virtual memory layout and segment selectors, shared by C and assembly. */
#pragma once

#define KERNEL_VMA	0xffffffff80000000	/* kernel image = phys + this */
#define DIRECT_MAP	0xffff800000000000	/* all RAM = phys + this */
#define MMIO_AREA	0xfffffe8000000000	/* device registers, slot 509 */
#define KSTACK_AREA	0xffffff0000000000	/* kernel stacks, PML4 slot 510 */
#define KERNEL_PHYS	0x00200000		/* where the image loads */
#define SMP_TRAMPOLINE	0x00008000		/* where APs start (smp.c) */

#define KERNEL_CS	0x08
#define KERNEL_DS	0x10
#define USER_DS		0x1b			/* 0x18 | RPL 3 */
#define USER_CS		0x23			/* 0x20 | RPL 3 */
#define TSS_SEL		0x28

/* struct cpu_local's SYSCALL scratch words, at %gs: in entry.S. */
#define CPU_GS_KSTACK	0
#define CPU_GS_USER_RSP	8
/*
 * The top of the #DB handler's own stack (IST 2) in struct cpu_local: 8
 * words, its frame (vector .. ss) and a saved %rax (entry.S).
 */
#define CPU_GS_DB_TOP	80
/* DR6 as the CPU resets it (its reserved bits read 1). */
#define DR6_RESET	0xffff0ff0			/* = DR6_INIT (platform/cpu.h) */

#define BOOT_STACK_BLOCK 32768			/* = KSTACK_ALIGN */

/* Offsets into struct trapframe, for entry.S (checked in cpu.c). */
#define TF_R11		48
#define TF_RCX		88
#define TF_RIP		136
#define TF_CS		144
#define TF_RFLAGS	152
#define TF_RSP		160
#define TF_SS		168
