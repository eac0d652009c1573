/*
 * Exception and interrupt dispatch: page faults go to the kernel's mm (or
 * to a user-copy fixup), other user-mode exceptions become signals, kernel
 * exceptions panic, IRQs go to the timers and the drivers, IPIs to what
 * they ask. The C halves of the entries take the kernel lock.
 */
#include <platform/printk.h>
#include <platform/mmu.h>
#include <platform/upcall.h>
#include <platform/pci.h>
#include <uapi/errno.h>
#include "x86.h"
#include "cpu_local.h"

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

#define VEC_INVALID_OPCODE 6
#define OPCODE_UD2_0	0x0f	/* ud2 is 0f 0b */
#define OPCODE_UD2_1	0x0b

/*
 * The name of kernel-mode exception @tf. A #UD on `ud2` is the trap that
 * the profile's compiler checks insert (-fsanitize=bounds and friends
 * with -fsanitize-undefined-trap-on-error), so it is named as such. The
 * second byte is read only after a 0f escape: the CPU fetched both bytes
 * to decode such an instruction, so neither read can fault.
 */
static const char *kernel_trap_name(const struct trapframe *tf)
{
	const uint8_t *ip = (const uint8_t *)tf->rip;

	if (tf->vector == VEC_INVALID_OPCODE && ip[0] == OPCODE_UD2_0 &&
	    ip[1] == OPCODE_UD2_1)
		return "bounds/overflow trap (compiler-inserted ud2)";
	if (tf->vector < ARRAY_SIZE(exception_names) &&
	    exception_names[tf->vector])
		return exception_names[tf->vector];
	return "exception";
}

static void page_fault(struct trapframe *tf)
{
	uintptr_t addr = read_cr2();
	bool user_mode = tf->cs & 3;
	bool write = tf->error & PF_WRITE;
	bool exec = tf->error & PF_INSN;

	if (addr < USER_TOP &&
	    kernel_page_fault(addr, write, exec, user_mode) == 0)
		return;
	if (user_mode) {
		kernel_user_fault(tf, addr);
		return;
	}
	/*
	 * A user-copy routine's fault is EFAULT at any address: ludicrous
	 * has no access_ok(), so a kernel-half pointer from user space
	 * reaches the copy, and an unmapped one (a kernel-stack guard page
	 * included) must not pass for the kernel's own fault.
	 */
	if (extable_fixup(tf))
		return;
	if (kstack_guard_hit(addr)) {
		printk(LOG_ERR, "kernel stack overflow: guard page %p hit",
		       (void *)addr);
		panic_frame("kernel stack overflow", tf);
	}
	if (contain_trap(tf, "page fault", addr))
		return;
	printk(LOG_ERR, "page fault at %p (%s %s)", (void *)addr,
	       write ? "write" : "read", exec ? "exec" : "");
	panic_frame("kernel page fault", tf);
}

/* Device lines handed out by irq_attach() (include/platform/pci.h). */
static void (*line_handler[16])(int line);

int irq_attach(int line, void (*handler)(int line))
{
	if (line < 1 || line > 15 || line == 2 || line == 4 || line == 7)
		return -EINVAL;
	if (line_handler[line])
		return -EBUSY;
	line_handler[line] = handler;
	pic_unmask(line);
	return 0;
}

void irq_unmask_line(int line)
{
	if (line >= 1 && line <= 15 && line_handler[line])
		pic_unmask(line);
}

static void irq(int n, bool from_user)
{
	if (n < 16 && line_handler[n]) {
		/* Level-triggered PCI lines stay masked until serviced. */
		pic_mask(n);
		pic_eoi(n);
		line_handler[n](n);
		return;
	}
	switch (n) {
	case 0:
		timer_irq(from_user);
		break;
	case 4:
		serial_irq();
		break;
	case 7:
	case 15:
		if (pic_spurious(n))
			return;		/* no EOI of its own */
		break;
	}
	pic_eoi(n);
}

/* The local APIC's vectors: its timer and the IPIs that need the lock. */
static void local_irq(unsigned v, bool from_user)
{
	lapic_eoi();
	if (v == VEC_LAPIC_TIMER)
		kernel_cpu_tick(from_user);
	/* VEC_RESCHED: entering the kernel was the point. */
}

void trap_dispatch(struct trapframe *tf)
{
	unsigned v = tf->vector;

	if (v >= VEC_LAPIC_TIMER) {
		local_irq(v, tf->cs & 3);
		return;
	}
	if (v >= VEC_IRQ0) {
		irq(v - VEC_IRQ0, tf->cs & 3);
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
	if (v == 8 && kstack_guard_hit(tf->rsp))	/* #PF could not push */
		panic_frame("kernel stack overflow (double fault)", tf);
	if (extable_fixup(tf))	/* #GP: a non-canonical user-copy address */
		return;
	if (v != 8 && v != 2 && v != 18 &&	/* not #DF, NMI, #MC */
	    contain_trap(tf, kernel_trap_name(tf), 0))
		return;
	panic_frame(kernel_trap_name(tf), tf);
}

/*
 * Every exception and interrupt, from entry.S, interrupts off. The
 * requests of other CPUs are served without the kernel lock (the CPU that
 * sent them holds it); the rest takes it unless this CPU holds it already
 * (an interrupt of kernel code); on the way back to user mode signals are
 * delivered and the lock given up. A double fault touches nothing but
 * the panic.
 */
void trap_entry(struct trapframe *tf)
{
	struct cpu_local *c;
	bool took;

	if (tf->vector >> 4 == VEC_CLASS_LOCKLESS) {	/* TLB, stop, wake */
		lapic_eoi();
		cpu_serve_requests(this_cpu());
		return;
	}
	/* No EOI, and no lock: the APIC sends it also to a CPU halted for
	 * the lock (klock.c), for an interrupt its priority holds back. */
	if (tf->vector == VEC_SPURIOUS)
		return;
	if (tf->vector == 8) {
		trap_dispatch(tf);
		return;
	}
	c = this_cpu();
	took = !c->klock_held;
	if (took)
		klock_take(c);
	trap_dispatch(tf);
	if (tf->cs & 3) {
		kernel_return_to_user(tf);
		irq_disable();
		klock_give_if_held();
	} else if (took) {
		irq_disable();
		klock_give(c);
	}
}
