/*
 * Exception and interrupt dispatch: page faults go to the kernel's mm (or
 * to a user-copy fixup), other user-mode exceptions become signals, kernel
 * exceptions panic, IRQs go to the timer and the serial driver.
 */
#include <platform/console.h>
#include <platform/mmu.h>
#include <platform/upcall.h>
#include "x86.h"

#define VEC_PAGE_FAULT	14
#define VEC_IRQ0	32

#define PF_WRITE	(1 << 1)
#define PF_USER		(1 << 2)
#define PF_INSN		(1 << 4)

static const char *const exception_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow",
	"bound range", "invalid opcode", "device not available",
	"double fault", "coprocessor overrun", "invalid TSS",
	"segment not present", "stack fault", "general protection",
	"page fault", "reserved", "x87 error", "alignment check",
	"machine check", "SIMD error", "virtualization", "control protection",
};

static void page_fault(struct trapframe *tf)
{
	uintptr_t addr = read_cr2();
	bool user_mode = tf->cs & 3;
	bool write = tf->error & PF_WRITE;
	bool exec = tf->error & PF_INSN;

	if (addr < USER_TOP) {
		if (kernel_page_fault(addr, write, exec, user_mode) == 0)
			return;
		if (user_mode) {
			kernel_user_fault(tf, addr);
			return;
		}
		if (extable_fixup(tf))
			return;
	}
	if (user_mode) {
		kernel_user_fault(tf, addr);
		return;
	}
	printk(LOG_ERR, "page fault at %p (%s %s)", (void *)addr,
	       write ? "write" : "read", exec ? "exec" : "");
	panic_frame("kernel page fault", tf);
}

static void irq(int n)
{
	switch (n) {
	case 0:
		timer_irq();
		break;
	case 4:
		serial_irq();
		break;
	case 7:
	case 15:
		return;		/* spurious: no EOI */
	}
	pic_eoi(n);
}

void trap_dispatch(struct trapframe *tf)
{
	unsigned v = tf->vector;

	if (v >= VEC_IRQ0) {
		irq(v - VEC_IRQ0);
		return;
	}
	if (v == VEC_PAGE_FAULT) {
		page_fault(tf);
		return;
	}
	if (tf->cs & 3) {
		kernel_user_fault(tf, tf->rip);
		return;
	}
	if (extable_fixup(tf))	/* e.g. #GP on a non-canonical user address */
		return;
	panic_frame(exception_names[v] ? exception_names[v] : "exception", tf);
}
