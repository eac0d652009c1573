/*
 * The text of attribute files: formatted appends into the page a show
 * fills (an overflow is an error, never a cut value), CPU sets as Linux
 * prints them, a range list ("%*pbl") or a hex mask ("%*pb": one digit
 * per four CPUs, a comma between 32-bit words), and numbers written to
 * them, read as Linux's kstrto* functions read them.
 */
#include "sysfs.h"
#include <aramid/string.h>
#include <uapi/errno.h>

/* See sysfs.h. */
void so_printf(struct sysfs_out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->error)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, o->size - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->size - o->len) {
		o->error = -EFBIG;
		return;
	}
	o->len += (size_t)n;
}

/* See sysfs.h. */
void so_cpu_list(struct sysfs_out *o, unsigned first, unsigned count)
{
	if (count == 1)
		so_printf(o, "%u\n", first);
	else
		so_printf(o, "%u-%u\n", first, first + count - 1);
}

/* The hex digit of bits @lo .. @lo + 3 of the set. */
static unsigned mask_digit(unsigned lo, unsigned first, unsigned count)
{
	unsigned d = 0;

	for (unsigned b = 0; b < 4; b++)
		if (lo + b >= first && lo + b < first + count)
			d |= 1u << b;
	return d;
}

/* See sysfs.h: nr_cpu_ids bits wide, the highest digit first. */
void so_cpu_mask(struct sysfs_out *o, unsigned first, unsigned count)
{
	unsigned digits = (cpu_count() + 3) / 4;

	for (unsigned d = digits; d > 0; d--) {
		so_printf(o, "%x", mask_digit((d - 1) * 4, first, count));
		if (d > 1 && (d - 1) % 8 == 0)
			so_printf(o, ",");
	}
	so_printf(o, "\n");
}

/* The value of digit @c in @base, or -1. */
static int digit_value(char c, unsigned base)
{
	int v = c >= '0' && c <= '9' ? c - '0' :
		c >= 'a' && c <= 'f' ? c - 'a' + 10 :
		c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

	return v >= 0 && (unsigned)v < base ? v : -1;
}

/* See sysfs.h. */
int so_parse_ll(const char *s, long long min, long long max, long long *out)
{
	unsigned long long v = 0, limit;
	unsigned base = 10;
	bool neg = false;

	if (*s == '+' || (*s == '-' && min < 0))
		neg = *s++ == '-';
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
	    digit_value(s[2], 16) >= 0) {
		base = 16;
		s += 2;
	} else if (s[0] == '0') {
		base = 8;
	}
	if (digit_value(*s, base) < 0)
		return -EINVAL;
	limit = neg ? 0 - (unsigned long long)min : (unsigned long long)max;
	for (; digit_value(*s, base) >= 0; s++) {
		unsigned d = (unsigned)digit_value(*s, base);

		if (d > limit || v > (limit - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	*out = neg ? (long long)(0 - v) : (long long)v;
	return 0;
}
