/*
 * /proc/sysrq-trigger: Linux's magic SysRq keys, by writing a character.
 * c crashes the kernel (a panic: message, registers, backtrace, failure
 * exit from QEMU), b reboots, o powers off, e and i end every process but
 * init with SIGTERM or SIGKILL, s and u are accepted (RAM filesystems have
 * nothing to sync or remount). Others print the help line, as Linux does.
 */
#include "procfs.h"
#include <platform/printk.h>
#include <platform/panic.h>
#include <platform/power.h>

static void signal_all_but_init(int sig)
{
	struct task *t;

	for_each_task(t)
		if (t->pid > 1 && t->state != TASK_ZOMBIE)
			send_signal(t, sig, NULL);
}

int proc_sysrq_write(struct task *t, const char *buf, size_t len)
{
	if (!len)
		return 0;
	switch (buf[0]) {
	case 'c':
		pr_info("sysrq: Trigger a crash");
		crash_system("sysrq triggered crash");
	case 'b':
		pr_info("sysrq: Resetting");
		machine_reboot();
	case 'o':
		pr_info("sysrq: Power Off");
		machine_power_off();
	case 'e':
		pr_info("sysrq: Terminate All Tasks");
		signal_all_but_init(SIGTERM);
		return 0;
	case 'i':
		pr_info("sysrq: Kill All Tasks");
		signal_all_but_init(SIGKILL);
		return 0;
	case 's':
		pr_info("sysrq: Emergency Sync");
		return 0;
	case 'u':
		pr_info("sysrq: Emergency Remount R/O");
		return 0;
	default:
		pr_info("sysrq: HELP : reboot(b) crash(c) terminate-all-tasks(e) "
			"kill-all-tasks(i) poweroff(o) sync(s) unmount(u)");
		return 0;
	}
}
