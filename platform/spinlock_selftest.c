/*
 * The lock-order self-test of the fault-injection build (FAULT_INJECT=1
 * only; platform_start runs it once at boot): two test locks of their
 * own classes taken in one order, then in the other, then both again.
 * Where the profile checks spinlocks (CONFIG_SPINLOCK_CHECKS, fortress)
 * the kernel log must show exactly one inversion naming both classes and
 * sites; elsewhere none. The fault suite (tests/run.py, faults) reads
 * the log.
 */
#include <platform/spinlock.h>
#include <platform/printk.h>
#include "x86.h"

static LOCK_CLASS_DEFINE(selftest_a_class, "selftest-a");
static LOCK_CLASS_DEFINE(selftest_b_class, "selftest-b");
static struct spinlock selftest_a = SPINLOCK_INIT(selftest_a_class);
static struct spinlock selftest_b = SPINLOCK_INIT(selftest_b_class);

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

void spin_selftest(void)
{
	for (int round = 0; round < 2; round++) {
		take_a_then_b();
		take_b_then_a();
	}
	pr_info("spinlock self-test: selftest-a and selftest-b taken in "
		"both orders, twice");
}
