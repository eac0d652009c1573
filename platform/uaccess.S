/*
 * Raw user-memory accessors. Each faulting instruction has an exception
 * table entry (see extable_fixup) that resumes at a fixup which reports
 * how much was left undone, whatever the faulting address (trap.c asks
 * the table before it treats a kernel fault as the kernel's). Callers
 * (usercopy.c) check the range first where the profile has access_ok().
 */

.macro EXTABLE fault, fixup
	.pushsection __extable, "a"
	.quad \fault, \fixup
	.popsection
.endm

	.text
/*
 * size_t uc_copy(void *dst, const void *src, size_t n): bytes not copied.
 * 8-byte moves for the body, bytes for the tail: under emulation every
 * iteration of a string instruction costs about the same, whatever its
 * width, and on hardware a long rep movsq is as fast as rep movsb. A
 * fault in the body copies the rest of it again byte by byte, so the
 * count stops at the faulting byte, as Linux's copy_user_generic does.
 */
	.globl	uc_copy
uc_copy:
	movq	%rdx, %rcx
	shrq	$3, %rcx
	andl	$7, %edx
1:	rep movsq
	movl	%edx, %ecx
2:	rep movsb
	xorl	%eax, %eax
	retq
3:	leaq	(%rdx, %rcx, 8), %rcx	/* fault in the body: the rest bytewise */
	jmp	2b
4:	movq	%rcx, %rax		/* fault at a byte */
	retq
	EXTABLE 1b, 3b
	EXTABLE 2b, 4b

/* size_t uc_clear(void *dst, size_t n): bytes not cleared; as uc_copy */
	.globl	uc_clear
uc_clear:
	movq	%rsi, %rcx
	shrq	$3, %rcx
	andl	$7, %esi
	xorl	%eax, %eax
1:	rep stosq
	movl	%esi, %ecx
2:	rep stosb
	retq
3:	leaq	(%rsi, %rcx, 8), %rcx
	jmp	2b
4:	movq	%rcx, %rax
	retq
	EXTABLE 1b, 3b
	EXTABLE 2b, 4b

/* long uc_strncpy(char *dst, const char *src, size_t max): the length of
 * the string (index of its NUL), max if none within max, -1 on a fault. */
	.globl	uc_strncpy
uc_strncpy:
	xorl	%eax, %eax
1:	cmpq	%rdx, %rax
	je	3f
2:	movb	(%rsi, %rax), %cl
	movb	%cl, (%rdi, %rax)
	testb	%cl, %cl
	jz	3f
	incq	%rax
	jmp	1b
3:	retq
4:	movq	$-1, %rax
	retq
	EXTABLE 2b, 4b
