/*
 * What ring 1 keeps for the kernel log's readers; the records
 * themselves are ring 0's (platform/printk.h). Implemented in
 * kernel/system/klog.c. Process context.
 */
#pragma once
#include <svc/wait.h>

/*
 * The wait queue of the log's readers (Linux's log_wait): woken within a
 * tick of each new record, since printk, which runs in any context,
 * wakes nobody itself (Linux defers its wake-up to irq_work too).
 */
struct wait_queue *log_wait_queue(void);
