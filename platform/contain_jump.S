/*
 * contain_enter / contain_resume: the register half of fault containment
 * (see include/platform/contain.h). Offsets follow struct contain_point.
 */
	.text
	.globl	contain_enter
contain_enter:
	movq	%rbx, 0(%rdi)
	movq	%rbp, 8(%rdi)
	movq	%r12, 16(%rdi)
	movq	%r13, 24(%rdi)
	movq	%r14, 32(%rdi)
	movq	%r15, 40(%rdi)
	leaq	8(%rsp), %rax		/* the caller's stack after return */
	movq	%rax, 48(%rdi)
	movq	(%rsp), %rax		/* the return address */
	movq	%rax, 56(%rdi)
	pushfq
	popq	64(%rdi)
	pushq	%rdi
	callq	contain_push		/* link it on the running thread */
	popq	%rdi
	xorl	%eax, %eax
	retq

/* contain_resume(struct contain_point *p): back into contain_enter's
 * caller, returning 1. Never returns. */
	.globl	contain_resume
contain_resume:
	movq	0(%rdi), %rbx
	movq	8(%rdi), %rbp
	movq	16(%rdi), %r12
	movq	24(%rdi), %r13
	movq	32(%rdi), %r14
	movq	40(%rdi), %r15
	movq	48(%rdi), %rsp
	pushq	64(%rdi)
	popfq
	movl	$1, %eax
	jmpq	*56(%rdi)
