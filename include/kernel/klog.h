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

/*
 * kernel.printk, as Linux's: the console loglevel, the default message
 * loglevel, the minimum console loglevel (syslog's CONSOLE_OFF and
 * CONSOLE_LEVEL floor) and the default console loglevel, tab-separated;
 * a write sets as many as it gives, in order, any int. Process context.
 */
int printk_levels_show(char *buf, size_t size);
int printk_levels_store(const char *buf, size_t len);
extern int minimum_console_loglevel;
extern int default_console_loglevel;

/* kernel.dmesg_restrict: reading the log needs CAP_SYSLOG when set (0, 1). */
extern int dmesg_restrict;
