/*
 * The lock checker's self-tests in the fault-injection build
 * (FAULT_INJECT=1 only; platform_start runs spin_selftest once at boot).
 *
 * Every boot: two test locks of their own classes taken in one order,
 * then in the other, then both again. Where the profile checks spinlocks
 * (CONFIG_SPINLOCK_CHECKS, fortress) the kernel log must show exactly
 * one inversion naming both classes and sites; elsewhere none. The fault
 * suite (tests/run.py, faults) reads the log.
 *
 * With "aramid.locktest=RULE" on the command line, one deliberate
 * misuse of a third test lock follows, which the checks must stop with
 * one panic naming the lock and its sites (the lock-panic suite,
 * tests/run.py): "recursion" takes it twice on this CPU, "irq" takes it
 * with spin_lock while interrupts are on, "owner" takes it here and
 * gives it back from the second CPU. Where the profile does not check
 * spinlocks the misuse would hang the boot or break the lock, so it is
 * skipped with a line saying so.
 */
#include <platform/spinlock.h>
#include <platform/printk.h>
#include <platform/kstack.h>
#include <aramid/string.h>
#include "cpu_local.h"

static LOCK_CLASS_DEFINE(selftest_a_class, "selftest-a");
static LOCK_CLASS_DEFINE(selftest_b_class, "selftest-b");
static LOCK_CLASS_DEFINE(selftest_misuse_class, "selftest-misuse");
static struct spinlock selftest_a = SPINLOCK_INIT(selftest_a_class);
static struct spinlock selftest_b = SPINLOCK_INIT(selftest_b_class);
static struct spinlock selftest_misuse = SPINLOCK_INIT(selftest_misuse_class);

/* A, then B inside it. */
static void take_a_then_b(void)
{
	irqflags_t fl = spin_lock_irqsave(&selftest_a);

	spin_lock(&selftest_b);
	spin_unlock(&selftest_b);
	spin_unlock_irqrestore(&selftest_a, fl);
}

/* B, then A inside it: the inversion. */
static void take_b_then_a(void)
{
	irqflags_t fl = spin_lock_irqsave(&selftest_b);

	spin_lock(&selftest_a);
	spin_unlock(&selftest_a);
	spin_unlock_irqrestore(&selftest_b, fl);
}

/* The value of word @key= in @cmdline, copied into @buf; false if none. */
static bool cmdline_word(const char *cmdline, const char *key, char *buf,
			 size_t len)
{
	size_t klen = strlen(key);

	for (const char *p = cmdline; *p;) {
		while (*p == ' ')
			p++;
		const char *end = p;

		while (*end && *end != ' ')
			end++;
		if ((size_t)(end - p) > klen && !strncmp(p, key, klen) &&
		    (size_t)(end - p - klen) < len) {
			memcpy(buf, p + klen, (size_t)(end - p - klen));
			buf[end - p - klen] = 0;
			return true;
		}
		p = end;
	}
	return false;
}

/* The second CPU's thread for "owner": give back the boot CPU's lock. */
static struct cpu_thread misuse_thread;

static __noreturn void give_from_other_cpu(void *arg)
{
	spin_unlock(&selftest_misuse);
	panic("spin_selftest: CPU %u gave back a lock CPU 0 holds, unchecked",
	      this_cpu()->id);
}

/* "owner": hold the test lock while the second CPU gives it back. */
static __noreturn void misuse_owner(void)
{
	void *stack = kstack_alloc();

	if (cpu_present_count() < 2 || !stack)
		panic("spin_selftest: owner: needs a second CPU (-smp 2)");
	misuse_thread.kstack_top = kstack_top(stack);
	(void)spin_lock_irqsave(&selftest_misuse);
	if (cpu_start(1, &misuse_thread, give_from_other_cpu, NULL))
		panic("spin_selftest: owner: CPU 1 did not start");
	/* Let CPU 1 into the kernel; wait, interrupts off, for its panic. */
	klock_give(this_cpu());
	for (;;) {
		__builtin_ia32_pause();
		cpu_serve_requests(this_cpu());
	}
}

/* The misuse @rule names; the checks panic before it returns. */
static void misuse(const char *rule)
{
	if (!strcmp(rule, "recursion")) {
		(void)spin_lock_irqsave(&selftest_misuse);
		spin_lock(&selftest_misuse);
		panic("spin_selftest: a held lock taken again, unchecked");
	} else if (!strcmp(rule, "irq")) {
		/* No tick may come in before the scheduler runs: mask it. */
		pic_mask(0);
		x86_irq_restore(RFLAGS_IF);
		spin_lock(&selftest_misuse);
		panic("spin_selftest: a lock taken with interrupts on, "
		      "unchecked");
	} else if (!strcmp(rule, "owner")) {
		misuse_owner();
	}
	pr_err("spinlock self-test: unknown aramid.locktest=%s", rule);
}

void spin_selftest(const char *cmdline)
{
	char rule[16];

	for (int round = 0; round < 2; round++) {
		take_a_then_b();
		take_b_then_a();
	}
	pr_info("spinlock self-test: selftest-a and selftest-b taken in "
		"both orders, twice");
	if (!cmdline_word(cmdline, "aramid.locktest=", rule, sizeof(rule)))
		return;
	if (!CONFIG_SPINLOCK_CHECKS) {
		pr_info("spinlock self-test: aramid.locktest=%s skipped: this "
			"profile does not check spinlocks", rule);
		return;
	}
	pr_info("spinlock self-test: aramid.locktest=%s: breaking the rule",
		rule);
	misuse(rule);
}
