/* The kernel log (platform/printk.c): printk, its levels and dmesg's reads. */
#pragma once
#include <aramid/compiler.h>

/* Log levels, as Linux's printk prefixes. */
#define LOG_ERR		3
#define LOG_WARNING	4
#define LOG_NOTICE	5
#define LOG_INFO	6
#define LOG_DEBUG	7

/* Print to the kernel log and, if the level passes loglevel, the console. */
void printk(int level, const char *fmt, ...) __printf(2, 3);
#define pr_err(...)	printk(LOG_ERR, __VA_ARGS__)
#define pr_warn(...)	printk(LOG_WARNING, __VA_ARGS__)
#define pr_notice(...)	printk(LOG_NOTICE, __VA_ARGS__)
#define pr_info(...)	printk(LOG_INFO, __VA_ARGS__)
#define pr_debug(...)	printk(LOG_DEBUG, __VA_ARGS__)

/* Only messages with a level below this reach the console (loglevel=). */
void console_set_loglevel(int level);

/*
 * Copy up to @len bytes of the log into @buf, from its oldest retained byte.
 * Returns the number of bytes copied. Any context.
 */
size_t printk_log_read(char *buf, size_t len, size_t offset);
size_t printk_log_size(void);
void printk_log_clear(void);
