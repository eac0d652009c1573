/* reboot: restart or power off the machine (platform/power.c). */
#include <kernel/syscall.h>
#include <platform/printk.h>
#include <platform/power.h>
#include <svc/task.h>

#define LINUX_REBOOT_MAGIC1		0xfee1dead
#define LINUX_REBOOT_CMD_RESTART	0x01234567
#define LINUX_REBOOT_CMD_HALT		0xcdef0123
#define LINUX_REBOOT_CMD_CAD_ON		0x89abcdef
#define LINUX_REBOOT_CMD_CAD_OFF	0x00000000
#define LINUX_REBOOT_CMD_POWER_OFF	0x4321fedc

SYSCALL(__NR_reboot, reboot)(SYSCALL_ARGS)
{
	unsigned m2 = a1;

	if (!capable(CAP_SYS_BOOT))
		return -EPERM;
	if ((unsigned)a0 != LINUX_REBOOT_MAGIC1 ||
	    (m2 != 672274793 && m2 != 85072278 && m2 != 369367448 &&
	     m2 != 537993216))
		return -EINVAL;
	switch ((unsigned)a2) {
	case LINUX_REBOOT_CMD_CAD_ON:
	case LINUX_REBOOT_CMD_CAD_OFF:
		return 0;
	case LINUX_REBOOT_CMD_RESTART:
		pr_notice("reboot: Restarting system");
		machine_reboot();
	case LINUX_REBOOT_CMD_HALT:
	case LINUX_REBOOT_CMD_POWER_OFF:
		pr_notice("reboot: Power down");
		machine_power_off();
	default:
		return -EINVAL;
	}
}
