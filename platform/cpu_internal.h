/*
 * Private to platform/: what cpu.c shares with entry.S (its entry points,
 * the SYSCALL stack, the stack switch) and with contain.c (the running
 * thread). Interrupts off, or the single running thread, for each use.
 */
#pragma once
#include <platform/cpu.h>

/* The 256 interrupt and exception stubs, 16 bytes apart (entry.S). */
extern char trap_vectors[];
/* The SYSCALL instruction's entry (entry.S), which MSR_LSTAR holds. */
extern char syscall_entry[];

/* A new thread's first return address (entry.S): calls r12(r13). */
extern char cpu_thread_start[];
/*
 * Save the callee-saved registers on this stack and the stack pointer in
 * *@save_sp, then resume the stack at @new_sp (entry.S). Interrupts off.
 */
void cpu_switch_stack(uint64_t *save_sp, uint64_t new_sp);

/*
 * The thread that is running (its stack's owner word), for its chain of
 * containment points (contain.c).
 */
#define cpu_running	cpu_thread_running()

/*
 * The FPU (fpu.c): enable x87/SSE and, with XSAVE, XCR0 (boot, before
 * any thread); save the live state into, and load it from, a thread's
 * area (cpu_switch, interrupts off).
 */
void fpu_init(void);
void fpu_save(uint8_t *area);
void fpu_restore(const uint8_t *area);

/*
 * Load the debug registers of @t, about to run or running, into the CPU
 * (debugreg.c): a switch calls it only if the thread leaving or @t has
 * breakpoints. Interrupts off.
 */
void cpu_debugreg_load(const struct cpu_thread *t);
