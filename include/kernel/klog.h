/*
 * Ring 1's own side of the kernel log (kernel/system/klog.c and
 * sys_syslog.c): the readers' wake-up at the tick, and the tunable
 * /proc/sys sets.
 */
#pragma once
#include <aramid/types.h>

/*
 * Wake the log's readers if records came since the last call. The boot
 * CPU's timer tick (interrupt context).
 */
void log_wait_tick(void);

/* kernel.dmesg_restrict: reading the log needs CAP_SYSLOG when set (0, 1). */
extern int dmesg_restrict;
