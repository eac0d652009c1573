/*
 * Entry points the platform calls in the kernel (ring 1). The platform
 * declares them so that it never includes a kernel header; kernel/
 * defines them.
 */
#pragma once
#include <platform/boot.h>
#include <platform/cpu.h>

/* The boot CPU is set up; start the system. Never returns. */
__noreturn void kernel_main(const struct boot_info *bi);
/* A system call: number in tf->rax, result stored in tf->rax. */
void kernel_syscall(struct trapframe *tf);
/*
 * A page fault on user address @addr, from user mode (@user) or from a
 * user copy. Returns 0 if the access may be retried (resolved, or the
 * process is being killed and will not return to it), -EFAULT otherwise.
 */
int kernel_page_fault(uintptr_t addr, bool write, bool exec, bool user);
/*
 * A user-mode CPU exception the kernel turns into a signal (#PF not
 * resolved, #GP, #UD, #DE, ...). @addr is the faulting address for #PF.
 */
void kernel_user_fault(struct trapframe *tf, uintptr_t addr);
/*
 * The boot CPU's periodic timer ticked (interrupt context, kernel lock
 * held), in user mode or not: the machine's clock work and this CPU's.
 */
void kernel_timer_tick(bool user);
/* Another CPU's periodic timer ticked: that CPU's own share of the work. */
void kernel_cpu_tick(bool user);
/* A byte arrived on the serial console (interrupt context). */
void kernel_console_rx(uint8_t c);
/*
 * About to return to user mode with @tf: deliver signals, reschedule.
 * Interrupts enabled.
 */
void kernel_return_to_user(struct trapframe *tf);
/*
 * The frame allocator is out of frames for @n of them, called where
 * that is safe (interrupts on, the kernel lock held, not inside the
 * heap): free what can be freed at once, without sleeping and without
 * changing any page table (kernel/mm/page_reclaim.c). Returns the
 * frames freed; the allocator then tries again.
 */
size_t kernel_frames_short(size_t n);
