/*
 * printk: the kernel log ring (read by syslog(2)/dmesg) and its echo to
 * the serial console, filtered by loglevel.
 */
#include <platform/printk.h>
#include <platform/serial.h>
#include <platform/cpu.h>
#include <platform/time.h>
#include <aramid/string.h>

#define LOG_BUF_SIZE	(64 * 1024)

static char log_buf[LOG_BUF_SIZE];
static size_t log_head;		/* total bytes ever written */
static size_t log_cleared;	/* log_head when last cleared */
static int console_loglevel = 7;

void console_set_loglevel(int level)
{
	console_loglevel = level;
}

static void log_append(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		log_buf[(log_head + i) % LOG_BUF_SIZE] = s[i];
	log_head += n;
}

void printk(int level, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	uint64_t ns = clock_monotonic_ns();
	int n = snprintf(line, sizeof(line), "[%5u.%06u] ",
			 (unsigned)(ns / 1000000000), (unsigned)(ns / 1000 % 1000000));

	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	if ((size_t)n >= sizeof(line) - 1)
		n = sizeof(line) - 2;
	if (line[n - 1] != '\n')
		line[n++] = '\n';

	irqflags_t fl = irq_save();
	log_append(line, n);
	if (level < console_loglevel) {
		for (int i = 0; i < n; i++) {
			if (line[i] == '\n')
				serial_write("\r", 1);
			serial_write(&line[i], 1);
		}
	}
	irq_restore(fl);
}

size_t printk_log_size(void)
{
	size_t avail = log_head - log_cleared;

	return avail < LOG_BUF_SIZE ? avail : LOG_BUF_SIZE;
}

size_t printk_log_read(char *buf, size_t len, size_t offset)
{
	irqflags_t fl = irq_save();
	size_t size = printk_log_size();
	size_t first = log_head - size;
	size_t n = 0;

	for (; offset + n < size && n < len; n++)
		buf[n] = log_buf[(first + offset + n) % LOG_BUF_SIZE];
	irq_restore(fl);
	return n;
}

void printk_log_clear(void)
{
	log_cleared = log_head;
}
