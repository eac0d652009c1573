/*
 * What ring 1 keeps for the kernel log's readers and writers in ring 2
 * (/dev/kmsg: services/drivers/mem/kmsg.c); the records themselves are
 * ring 0's (platform/printk.h). Implemented in kernel/system/klog.c and
 * kernel/system/sys_syslog.c. Process context.
 */
#pragma once
#include <svc/wait.h>

/*
 * The wait queue of the log's readers (Linux's log_wait): woken within a
 * tick of each new record, since printk, which runs in any context,
 * wakes nobody itself (Linux defers its wake-up to irq_work too).
 */
struct wait_queue *log_wait_queue(void);

/*
 * Linux's check_syslog_permissions(SYSLOG_ACTION_READ_ALL,
 * SYSLOG_FROM_READER), what opening /dev/kmsg to read needs: 0, or
 * -EPERM when kernel.dmesg_restrict is set and the caller has neither
 * CAP_SYSLOG nor CAP_SYS_ADMIN.
 */
int syslog_read_permission(void);

/* kernel.printk_devkmsg, what /dev/kmsg does with user records: */
#define DEVKMSG_RATELIMIT	0	/* "ratelimit": 10 per 5 s per open file */
#define DEVKMSG_ON		1	/* "on": every one is kept */
#define DEVKMSG_OFF		2	/* "off": no open, writes ignored */
int devkmsg_mode(void);
