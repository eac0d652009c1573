/*
 * The appender the /proc and /sys text generators build their files with,
 * apart from string.c so that the host unit tests (tests/host) link this
 * very code on the host C library's vsnprintf.
 */
#include <aramid/string.h>
#include <aramid/compiler.h>

/* See string.h. */
void buf_printf(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len = MIN(*len + (size_t)n, size);
}
