/*
 * printk: the kernel's messages and the user's /dev/kmsg writes become
 * records of the log ring (printk_ring.c), each echoed to the serial
 * console when its level is below the console loglevel, in Linux's
 * console format ("[    T.TTTTTT] text", each line prefixed).
 */
#include <platform/printk.h>
#include <platform/serial.h>
#include <platform/cpu.h>
#include <platform/time.h>
#include <aramid/string.h>
#include "printk_ring.h"

static int console_loglevel = 7;
/* Linux's default_message_loglevel: the level of a record given none. */
static int default_message_loglevel = 4;
/* The console's copy of a record as printed; used with interrupts off. */
static char console_text[CONSOLE_LOG_MAX];

void console_set_loglevel(int level)
{
	console_loglevel = level;
}

int console_get_loglevel(void)
{
	return console_loglevel;
}

void printk_set_default_level(int level)
{
	default_message_loglevel = level;
}

int printk_get_default_level(void)
{
	return default_message_loglevel;
}

/* "<prio>" if @syslog, then "[    T.TTTTTT] ", into @buf (32 bytes). */
static size_t record_prefix(const struct printk_info *info, bool syslog,
			    char buf[32])
{
	size_t n = 0;

	if (syslog)
		n = (size_t)snprintf(buf, 32, "<%u>",
				     (unsigned)info->facility << 3 | info->level);
	n += (size_t)snprintf(buf + n, 32 - n, "[%5lu.%06lu] ",
			      (unsigned long)(info->ts_ns / 1000000000),
			      (unsigned long)(info->ts_ns % 1000000000 / 1000));
	return n;
}

/*
 * See printk.h. As Linux, a line goes out whole or not at all: once the
 * rest of the text cannot fit, it is cut to what can, and the line the
 * cut falls in is dropped with everything after it.
 */
size_t printk_record_text(const struct printk_info *info, const char *text,
			  bool syslog, char *buf, size_t size)
{
	char prefix[32];
	size_t plen = record_prefix(info, syslog, prefix);
	size_t left = info->len, out = 0;
	bool cut = false;

	for (;;) {
		const char *nl = memchr(text, '\n', left);
		size_t line;

		if (nl) {
			line = (size_t)(nl - text);
		} else {
			if (cut)
				break;
			line = left;
		}
		/* Room for the prefix, the text, a newline and the NUL. */
		if (out + plen + left + 2 > size) {
			if (out + plen + line + 2 > size)
				break;
			left = size - out - plen - 2;
			cut = true;
		}
		memcpy(buf + out, prefix, plen);
		memcpy(buf + out + plen, text, line);
		out += plen + line;
		buf[out++] = '\n';
		if (line == left)
			break;
		text += line + 1;
		left -= line + 1;
	}
	buf[out] = '\0';
	return out;
}

size_t printk_record_text_size(const struct printk_info *info,
			       const char *text, bool syslog)
{
	char prefix[32];
	size_t lines = 1;

	for (size_t i = 0; i < info->len; i++)
		lines += text[i] == '\n';
	return record_prefix(info, syslog, prefix) * lines + info->len + 1;
}

/* The record just stored, on the serial console, '\n' as "\r\n". */
static void console_echo(const struct printk_info *info, const char *text)
{
	size_t n = printk_record_text(info, text, false, console_text,
				      sizeof(console_text));

	for (size_t i = 0; i < n; i++) {
		if (console_text[i] == '\n')
			serial_write("\r", 1);
		serial_write(&console_text[i], 1);
	}
}

/*
 * The newest record, if a user's text left it open, is final from now,
 * as Linux's next prb_reserve makes it: readers see it, the console
 * shows it. Interrupts disabled, before anything is reserved.
 */
static void close_last(void)
{
	struct printk_info info;
	const char *text;

	if (ring_close(&info, &text) && info.level < console_loglevel)
		console_echo(&info, text);
}

/*
 * Make the @len bytes reserved at @text a record, its trailing newline
 * dropped, and echo it. A text without one stays open if @may_open (a
 * user's, as Linux's prb_commit leaves it), else (the kernel's: every
 * printk is a line) it is final at once. Interrupts disabled.
 */
static void log_store(char *text, size_t len, uint8_t facility,
		      uint8_t level, uint64_t ts_ns, bool may_open)
{
	struct printk_info info;
	bool newline = len && text[len - 1] == '\n';
	bool open = may_open && !newline;

	if (newline)
		len--;
	info.seq = ring_commit(len, facility, level, ts_ns, open);
	info.ts_ns = ts_ns;
	info.len = (uint16_t)len;
	info.level = level;
	info.facility = facility;
	if (!open && level < console_loglevel)
		console_echo(&info, text);
}

void printk(int level, const char *fmt, ...)
{
	uint64_t ts_ns = clock_monotonic_ns();
	va_list ap, count;
	size_t size, len;
	irqflags_t fl;
	char *text;

	/* The exact length first, so that the ring gives up no more room. */
	va_start(ap, fmt);
	va_copy(count, ap);
	size = (size_t)vsnprintf(NULL, 0, fmt, count) + 1;
	va_end(count);
	size = MIN(size, (size_t)LOG_LINE_MAX);
	fl = irq_save();
	close_last();
	text = ring_reserve(size);
	len = (size_t)vsnprintf(text, size, fmt, ap);
	len = MIN(len, size - 1);
	log_store(text, len, LOG_FAC_KERN, (uint8_t)(level & 7), ts_ns, false);
	irq_restore(fl);
	va_end(ap);
}

void printk_emit(int facility, int level, const char *text, size_t len)
{
	uint64_t ts_ns = clock_monotonic_ns();
	irqflags_t fl;
	char *dst;

	if (level == LOGLEVEL_DEFAULT)
		level = default_message_loglevel;
	len = MIN(len, (size_t)LOG_LINE_MAX - 1);
	fl = irq_save();
	close_last();
	dst = ring_reserve(len);
	memcpy(dst, text, len);
	log_store(dst, len, (uint8_t)facility, (uint8_t)(level & 7), ts_ns,
		  true);
	irq_restore(fl);
}
