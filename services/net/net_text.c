/*
 * The text of the network service's /proc/net files: a bounded buffer
 * that printf-style pieces are appended to, truncated at its size (the
 * caller, services/fs/procfs/proc_net.c, asks again with a larger one).
 */
#include "net.h"
#include <aramid/string.h>

/* See net.h. */
void net_text_printf(struct net_text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->len >= t->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, t->size - t->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len = MIN(t->len + (size_t)n, t->size);
}

/* See net.h. */
void net_text_pad(struct net_text *t, size_t line_start, size_t width)
{
	while (t->len < t->size && t->len - line_start < width)
		t->buf[t->len++] = ' ';
	if (t->len < t->size)
		t->buf[t->len++] = '\n';
}
