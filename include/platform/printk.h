/*
 * The kernel log (platform/printk.c, platform/printk_ring.c): printk, the
 * ring of log records that syslog(2) and /dev/kmsg read, and the echo of
 * each record to the serial console, filtered by loglevel.
 */
#pragma once
#include <aramid/compiler.h>
#include <aramid/types.h>

/* Log levels, as Linux's printk prefixes. */
#define LOG_ERR		3
#define LOG_WARNING	4
#define LOG_NOTICE	5
#define LOG_INFO	6
#define LOG_DEBUG	7

/* Facilities: the kernel's own messages, and what user space writes. */
#define LOG_FAC_KERN	0
#define LOG_FAC_USER	1

/* Linux's limits: a record's text (less one byte), a formatted record. */
#define LOG_LINE_MAX	992
#define CONSOLE_LOG_MAX	1024
/* Bytes of record text the ring holds (syslog's SYSLOG_ACTION_SIZE_BUFFER). */
#define LOG_BUF_LEN	(1 << 16)

/* One record's header, as a reader gets it. */
struct printk_info {
	uint64_t seq;		/* its sequence number, from 0 at boot */
	uint64_t ts_ns;		/* when it was made: monotonic nanoseconds */
	uint16_t len;		/* bytes of text (< LOG_LINE_MAX), no newline */
	uint8_t level;		/* 0..7 */
	uint8_t facility;	/* LOG_FAC_KERN, LOG_FAC_USER, ... (0..255) */
};

/*
 * Print to the kernel log and, if the level passes loglevel, the console.
 * The text is cut at LOG_LINE_MAX - 1 bytes; one trailing newline is
 * dropped. Any context.
 */
void printk(int level, const char *fmt, ...) __printf(2, 3);
#define pr_err(...)	printk(LOG_ERR, __VA_ARGS__)
#define pr_warn(...)	printk(LOG_WARNING, __VA_ARGS__)
#define pr_notice(...)	printk(LOG_NOTICE, __VA_ARGS__)
#define pr_info(...)	printk(LOG_INFO, __VA_ARGS__)
#define pr_debug(...)	printk(LOG_DEBUG, __VA_ARGS__)

/*
 * Store @len bytes of @text as one record of @facility and @level (the
 * low 8 and 3 bits), cut and echoed as printk's: /dev/kmsg's writes. As
 * Linux keeps a record open for more text until its newline, one whose
 * text does not end in a newline reaches readers and the console only
 * when the next record is stored. Any context.
 */
void printk_emit(int facility, int level, const char *text, size_t len);
/* printk_emit's level for a record that names none (Linux's -1). */
#define LOGLEVEL_DEFAULT	(-1)

/*
 * The level LOGLEVEL_DEFAULT stands for: kernel.printk's second number,
 * Linux's default_message_loglevel (4 at boot). Any context.
 */
void printk_set_default_level(int level);
int printk_get_default_level(void);

/* Only messages with a level below this reach the console (loglevel=). */
void console_set_loglevel(int level);
int console_get_loglevel(void);

/*
 * The record @seq, or if it is gone the oldest one there is: its header
 * into *@info and, unless @text is NULL, its text into @text (room for
 * LOG_LINE_MAX bytes, not NUL-terminated). info->seq tells which record
 * it was. False, and nothing copied, if no record from @seq on exists
 * yet. Any context.
 */
bool printk_read(uint64_t seq, struct printk_info *info, char *text);
/* The oldest record's sequence number (the next one's when empty). */
uint64_t printk_first_seq(void);
/* The sequence number the next record will have. */
uint64_t printk_next_seq(void);
/* The first record after the last syslog clear (0 if never cleared). */
uint64_t printk_clear_seq(void);
void printk_set_clear_seq(uint64_t seq);

/*
 * The record @info with @text as Linux's record_print_text gives it: each
 * line of the text after a prefix, "<prio>" (facility << 3 | level) if
 * @syslog and then "[    T.TTTTTT] ", and a newline after each. Into
 * @buf of @size bytes (>= 1), NUL-terminated; the lines that no longer
 * fit whole are left out. Returns the length.
 */
size_t printk_record_text(const struct printk_info *info, const char *text,
			  bool syslog, char *buf, size_t size);
/* What printk_record_text gives with room enough for every line. */
size_t printk_record_text_size(const struct printk_info *info,
			       const char *text, bool syslog);
