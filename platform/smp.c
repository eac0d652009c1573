/*
 * More than one CPU: the per-CPU blocks, the APs' start (INIT, STARTUP,
 * STARTUP, as the MP specification has it, one CPU at a time), the kick
 * and the requests CPUs make of each other (TLB flush, stop).
 */
#include <platform/smp.h>
#include <platform/printk.h>
#include <platform/panic.h>
#include <platform/time.h>
#include <platform/kstack.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include "cpu_local.h"

struct cpu_local cpu_locals[CPU_MAX];
static unsigned present = 1, online = 1;
static bool stop_all;		/* a CPU panics: the others halt */
static uint32_t stopper;	/* its APIC id */

extern char smp_trampoline[], smp_trampoline_end[];
extern char smp_tramp_cr3[], smp_tramp_entry[];
extern char ap_entry[];
extern uint64_t boot_pml4[];

/* What ap_entry and ap_main read of the CPU being started. */
uint64_t smp_ap_cr3, smp_ap_stack;
static struct cpu_thread *ap_thread;
static void (*ap_fn)(void *);
static void *ap_arg;
static unsigned ap_cpu;

/*
 * The boot CPU's double-fault stack, laid out as a kernel stack with no
 * owner (the APs' come from kstack_alloc).
 */
static uint8_t boot_df_stack[KSTACK_ALIGN] __aligned(KSTACK_ALIGN);

unsigned cpu_present_count(void)
{
	return present;
}

unsigned cpu_online_count(void)
{
	return __atomic_load_n(&online, __ATOMIC_ACQUIRE);
}

unsigned cpu_apic_id(unsigned cpu)
{
	return cpu_locals[cpu].apic_id;
}

/*
 * The boot CPU's block and tables (before anything else, boot stack), and
 * later, with memory and the clock up, the CPUs the MADT lists and the
 * local APIC.
 */
void smp_init_boot_cpu(void)
{
	struct cpu_local *c = &cpu_locals[0];

	c->id = 0;
	c->df_stack_top = kstack_top(boot_df_stack + KSTACK_ALIGN - KSTACK_BYTES);
	c->online = true;
	cpu_init_local(c);
}

void smp_init(paddr_t rsdp_pa)
{
	uint32_t ids[CPU_MAX];
	paddr_t lapic_pa = 0;
	unsigned n = acpi_find_cpus(rsdp_pa, ids, CPU_MAX, &lapic_pa);

	if (!n || !lapic_pa) {
		pr_info("smp: no ACPI MADT: one CPU");
		return;
	}
	lapic_init_boot(lapic_pa);
	cpu_locals[0].apic_id = lapic_id();
	for (unsigned i = 1; i < n; i++) {
		cpu_locals[i].id = i;
		cpu_locals[i].apic_id = ids[i];
	}
	present = n;
}

/* Busy-wait @ns nanoseconds of the TSC clock. */
static void delay_ns(uint64_t ns)
{
	uint64_t t0 = clock_monotonic_ns();

	while (clock_monotonic_ns() - t0 < ns)
		__builtin_ia32_pause();
}

int cpu_start(unsigned cpu, struct cpu_thread *t, void (*fn)(void *),
	      void *arg)
{
	struct cpu_local *c = &cpu_locals[cpu];

	if (cpu != online || cpu >= present)
		return -EINVAL;
	void *df = kstack_alloc();

	if (!df)
		return -ENOMEM;
	c->df_stack_top = kstack_top(df);
	if (online == 1) {
		/* The trampoline in low memory, which find_ram keeps free. */
		size_t len = smp_trampoline_end - smp_trampoline;
		char *page = phys_to_virt(SMP_TRAMPOLINE);

		memcpy(page, smp_trampoline, len);
		*(uint32_t *)(page + (smp_tramp_cr3 - smp_trampoline)) =
			(uint32_t)kimage_to_phys(boot_pml4);
		*(uint64_t *)(page + (smp_tramp_entry - smp_trampoline)) =
			(uint64_t)ap_entry;
		klock_enable();
	}
	t->cpu = cpu;
	*(struct cpu_thread **)(t->kstack_top + 8) = t;	/* its stack's owner */
	ap_thread = t;
	ap_fn = fn;
	ap_arg = arg;
	ap_cpu = cpu;
	smp_ap_cr3 = mmu_kernel_tables();	/* what c->space NULL means */
	smp_ap_stack = t->kstack_top;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);

	lapic_send_init(c->apic_id);
	delay_ns(10000000);
	for (int i = 0; i < 2 && !__atomic_load_n(&c->online, __ATOMIC_ACQUIRE); i++) {
		lapic_send_startup(c->apic_id, SMP_TRAMPOLINE >> 12);
		delay_ns(200000);
	}
	for (int ms = 0; ms < 1000; ms++) {
		if (__atomic_load_n(&c->online, __ATOMIC_ACQUIRE)) {
			__atomic_store_n(&online, online + 1, __ATOMIC_RELEASE);
			return 0;
		}
		delay_ns(1000000);
	}
	kstack_free(df);
	pr_err("smp: CPU %u (APIC id %u) did not start", cpu, c->apic_id);
	return -EIO;
}

/* The AP's first C code (ap_entry): on @ap_thread's stack, interrupts off. */
__noreturn void ap_main(void);

void ap_main(void)
{
	struct cpu_local *c = &cpu_locals[ap_cpu];
	void (*fn)(void *) = ap_fn;
	void *arg = ap_arg;

	cpu_init_local(c);
	lapic_init_ap();
	c->space = NULL;	/* ap_entry loaded the kernel's tables */
	__atomic_store_n(&c->online, true, __ATOMIC_RELEASE);
	klock_take(c);
	lapic_timer_start();
	fn(arg);
	panic("ap_main: CPU %u's first thread returned", c->id);
}

void cpu_kick(unsigned cpu)
{
	if (cpu < cpu_online_count() && cpu != cpu_this())
		lapic_send_ipi(cpu_locals[cpu].apic_id, VEC_RESCHED);
}

void cpu_kick_wait(uint32_t cpus)
{
	unsigned n = cpu_online_count(), me = cpu_this();
	uint32_t sent = 0;

	KASSERT_KLOCK_HELD();
	for (unsigned i = 0; i < n; i++) {
		if (i == me || !(cpus & (1U << i)))
			continue;
		__atomic_store_n(&cpu_locals[i].kick_pending, 1, __ATOMIC_RELEASE);
		lapic_send_ipi(cpu_locals[i].apic_id, VEC_RESCHED);
		sent |= 1U << i;
	}
	/*
	 * A kicked CPU spins for the lock we hold and answers there
	 * (klock.c); one halted for it is out of user mode too, and answers
	 * by being so.
	 */
	for (unsigned i = 0; i < n; i++)
		while ((sent & (1U << i)) &&
		       __atomic_load_n(&cpu_locals[i].kick_pending, __ATOMIC_ACQUIRE) &&
		       !__atomic_load_n(&cpu_locals[i].klock_halted, __ATOMIC_ACQUIRE))
			__builtin_ia32_pause();
}

void cpu_serve_requests(struct cpu_local *c)
{
	mmu_tlb_request(c);
	if (__atomic_load_n(&stop_all, __ATOMIC_ACQUIRE))
		for (;;)
			__asm__ __volatile__("cli; hlt");
}

/*
 * Stop every other CPU for a panic: they halt at their next interrupt or
 * at once if they wait for the kernel lock. Returns false if another CPU
 * stopped first (this one should then halt: the report is that CPU's).
 */
bool smp_stop_others(void)
{
	uint32_t r[4];
	bool was = false;

	cpuid(1, 0, r);		/* the APIC id: even on the double-fault stack */
	uint32_t me = r[1] >> 24;

	if (!__atomic_compare_exchange_n(&stop_all, &was, true, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return __atomic_load_n(&stopper, __ATOMIC_ACQUIRE) == me;
	__atomic_store_n(&stopper, me, __ATOMIC_RELEASE);
	unsigned n = cpu_online_count();

	for (unsigned i = 0; i < n; i++)
		if (cpu_locals[i].apic_id != me)
			lapic_send_ipi(cpu_locals[i].apic_id, VEC_STOP);
	if (n > 1)
		printk(LOG_ERR, "CPU with APIC id %u stopped the other %u", me, n - 1);
	return true;
}
