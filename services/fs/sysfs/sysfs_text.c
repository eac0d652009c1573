/*
 * The text of attribute files: formatted appends into the page a show
 * fills (an overflow is an error, never a cut value), and CPU sets as
 * Linux prints them, a range list ("%*pbl") or a hex mask ("%*pb": one
 * digit per four CPUs, a comma between 32-bit words).
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
