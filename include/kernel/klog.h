/*
 * Ring 1's own side of the kernel log (kernel/system/klog.c and
 * sys_syslog.c): the readers' wake-up at the tick, and the tunables
 * /proc/sys and the command line set.
 */
#pragma once
#include <aramid/types.h>

/*
 * Wake the log's readers if records came since the last call. The boot
 * CPU's timer tick (interrupt context).
 */
void log_wait_tick(void);

/*
 * printk.devkmsg= on the command line: "on", "off" or "ratelimit" (a
 * prefix of the word is enough, as Linux reads it) sets the mode for
 * good; /proc/sys can no longer change it. Anything else is ignored.
 */
void devkmsg_setup(const char *val);

/* kernel.printk_devkmsg's text, as sysctl shows and takes it. */
int devkmsg_show(char *buf, size_t size);
int devkmsg_store(const char *buf, size_t len);

/* kernel.dmesg_restrict: reading the log needs CAP_SYSLOG when set (0, 1). */
extern int dmesg_restrict;
