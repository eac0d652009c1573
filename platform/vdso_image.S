/* The vDSO shared object (platform/vdso/), embedded page aligned. */
	.section .rodata
	.balign 4096
	.globl vdso_image_start, vdso_image_end
vdso_image_start:
	.incbin VDSO_SO
vdso_image_end:
	.previous
	.section .note.GNU-stack, "", @progbits
