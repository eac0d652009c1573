/*
 * Private to platform/: what each CPU keeps of its own (smp.c owns the
 * table): its descriptor tables, the SYSCALL entry's scratch words (at
 * %gs:0 and %gs:8 while entry.S holds the kernel GS base), the #DB
 * handler's stack, its LAPIC, the address space loaded, the requests
 * other CPUs leave it, and the kernel lock's bookkeeping.
 */
#pragma once
#include <platform/smp.h>
#include <platform/spinlock.h>
#include "x86.h"

/* The 64-bit TSS. */
struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __packed;

struct mmu_space;

struct cpu_local {
	uint64_t syscall_kstack;	/* %gs:0: the running thread's stack top */
	uint64_t syscall_user_rsp;	/* %gs:8: the user's rsp, briefly */
	/* %gs:16: the #DB stack; its top is CPU_GS_DB_TOP (layout.h). */
	uint64_t db_stack[8];
	unsigned id;			/* 0 .. CPU_MAX - 1 */
	uint32_t apic_id;
	uint64_t gdt[7] __aligned(16);
	struct tss tss __aligned(16);
	/* Right after the TSS, inside its limit: the I/O bitmap, then the
	 * all-ones byte the CPU may read past its end. */
	uint8_t io_map[CPU_IO_BYTES + 1];
	uint64_t io_seq;		/* the bitmap loaded in io_map, 0: none */
	unsigned io_bytes;		/* ... its bytes that are not all ones */
	uint64_t df_stack_top;		/* the double-fault handler's stack */
	struct mmu_space *space;	/* loaded in CR3 (NULL: kernel's) */
	/* TLB shootdown: set by the sender, cleared once flushed. */
	uint32_t tlb_pending;
	struct mmu_space *tlb_drop;	/* stop using this one, it goes */
	/* cpu_kick_wait: set by the sender, cleared once interrupted. */
	uint32_t kick_pending;
	bool online;
	bool klock_held;		/* this CPU holds the kernel lock */
	/* Halted until its ticket of the kernel lock is served (klock.c). */
	bool klock_halted;
	uint32_t klock_ticket;
} __aligned(64);

extern struct cpu_local cpu_locals[CPU_MAX];

/*
 * This CPU's block: the running thread's CPU; the boot CPU's while the
 * boot stack has no owner yet.
 */
static inline struct cpu_local *this_cpu(void)
{
	struct cpu_thread *t = cpu_thread_running();

	return &cpu_locals[t ? t->cpu : 0];
}

/*
 * The interrupt vectors of the local APIC (lapic.c) and of IPIs. The
 * requests served without the kernel lock are in a priority class
 * (vector / 16) of their own, above every other vector: a CPU that halts
 * waiting for the lock masks the classes below (klock.c).
 */
#define VEC_LAPIC_TIMER	48
#define VEC_RESCHED	49	/* cpu_kick: look for work */
#define VEC_SPURIOUS	63
#define VEC_TLB		64	/* flush the TLB (mmu.c's shootdown) */
#define VEC_STOP	65	/* halt: another CPU panics */
#define VEC_KLOCK_WAKE	66	/* klock.c: the halted waiter's turn */
#define NR_VECTORS	67	/* the stubs entry.S has */
#define VEC_CLASS_LOCKLESS	(VEC_TLB >> 4)

/*
 * The local APIC (lapic.c): map and enable it on the boot CPU (@pa from
 * the MADT), enable it on another; start its periodic timer at HZ (APs:
 * the boot CPU keeps the PIT); acknowledge an interrupt; send vector @vec
 * to the CPU with APIC id @apic_id; INIT and STARTUP for a CPU's boot.
 */
void lapic_init_boot(paddr_t pa);
void lapic_init_ap(void);
uint32_t lapic_id(void);
void lapic_timer_start(void);
void lapic_eoi(void);
void lapic_send_ipi(uint32_t apic_id, unsigned vec);
/*
 * Hold every interrupt of this CPU but the lockless requests
 * (VEC_CLASS_LOCKLESS) pending, or let them in again: false, doing
 * nothing, on the CPU that takes the 8259's interrupts, which the APIC
 * cannot hold back. Interrupts off.
 */
bool lapic_hold_locked_irqs(bool hold);
void lapic_send_init(uint32_t apic_id);
void lapic_send_startup(uint32_t apic_id, unsigned page);

/*
 * ACPI (acpi.c): the enabled local APICs the MADT lists, boot CPU first,
 * into @ids (at most @max), and the LAPIC's physical address. Returns
 * the count; 0 without a usable MADT. @rsdp_pa: from the boot protocol,
 * or 0 to search the BIOS area.
 */
unsigned acpi_find_cpus(paddr_t rsdp_pa, uint32_t *ids, unsigned max,
			paddr_t *lapic_pa);

/*
 * The kernel lock (klock.c). klock_take: spin until this CPU holds it,
 * serving the TLB and stop requests of other CPUs meanwhile; interrupts
 * off, not held. klock_give: hand it on; held. Both no-ops until
 * klock_enable (the first AP's start); klock_give_if_held for the paths
 * to user mode, which may come from a thread that never took it.
 */
void klock_enable(void);
void klock_take(struct cpu_local *c);
void klock_give(struct cpu_local *c);
void klock_give_if_held(void);
/* klock_on: <platform/spinlock.h>. */
/* The syscall entry's take (entry.S calls it once klock_on). */
void klock_take_syscall(void);
/* Serve what other CPUs asked of @c (TLB flush, stop). Interrupts off. */
void cpu_serve_requests(struct cpu_local *c);

/*
 * The TLB shootdown's receiving end (mmu.c): flush this CPU's TLB, or
 * load the kernel's tables if @c->tlb_drop is loaded, and clear the
 * request. Interrupts off.
 */
void mmu_tlb_request(struct cpu_local *c);
/* The kernel-only page tables' physical address, for an AP's CR3. */
paddr_t mmu_kernel_tables(void);

/* This CPU's descriptor tables, syscall MSRs and FPU (cpu.c). */
void cpu_init_local(struct cpu_local *c);

/*
 * smp.c: the boot CPU's block (first thing at boot); the MADT's CPUs and
 * the LAPIC (memory and clocks up); stop the others for a panic (false:
 * another CPU already reports one, this one should halt).
 */
void smp_init_boot_cpu(void);
void smp_init(paddr_t rsdp_pa);
bool smp_stop_others(void);
