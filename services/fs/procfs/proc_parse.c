/*
 * Numbers written to /proc files, parsed as Linux's kstrtoull: an
 * optional '+', digits in @base (0: a 0x prefix is hexadecimal, a
 * leading 0 octal, else decimal), one optional newline, nothing else
 * before the first NUL.
 */
#include "procfs.h"
#include <aramid/string.h>
#include <uapi/errno.h>

/* The value of digit @c, or 16 (no digit of any base here). */
static unsigned digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned)(c - '0');
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return (unsigned)(c - 'a') + 10;
	return 16;
}

/* See procfs.h. */
int proc_kstrtoull(const char *buf, size_t len, unsigned base, uint64_t *out)
{
	size_t i = 0, end = strnlen(buf, len), digits = 0;
	uint64_t v = 0;
	unsigned d;

	if (i < end && buf[i] == '+')
		i++;
	if (base == 0 || base == 16) {
		if (i + 1 < end && buf[i] == '0' && (buf[i + 1] | 0x20) == 'x' &&
		    i + 2 < end && digit_value(buf[i + 2]) < 16) {
			base = 16;
			i += 2;
		} else if (base == 0) {
			base = i < end && buf[i] == '0' ? 8 : 10;
		}
	}
	for (; i < end && (d = digit_value(buf[i])) < base; i++, digits++) {
		if (v > (UINT64_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	if (!digits)
		return -EINVAL;
	if (i < end && buf[i] == '\n')
		i++;
	if (i < end)
		return -EINVAL;
	*out = v;
	return 0;
}
