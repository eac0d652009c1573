/*
 * The growing text buffer /proc files are generated into. Appends never
 * fail on their own: the first failed allocation is remembered in
 * b->error and the caller checks it once, at the end.
 */
#include "procfs.h"
#include <aramid/string.h>
#include <platform/heap.h>
#include <uapi/errno.h>

#define PB_INITIAL	1024

/* An empty buffer. */
void pb_init(struct proc_buf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->error = 0;
}

/* Free the buffer's memory (it may be reused after pb_init). */
void pb_free(struct proc_buf *b)
{
	kfree(b->data);
	pb_init(b);
}

/* Make room for @more bytes after the content: true if there is. */
static bool pb_reserve(struct proc_buf *b, size_t more)
{
	size_t cap = b->cap ? b->cap : PB_INITIAL;
	char *data;

	if (b->error)
		return false;
	if (b->len + more <= b->cap)
		return true;
	while (cap < b->len + more)
		cap *= 2;
	data = kmalloc(cap);
	if (!data) {
		b->error = -ENOMEM;
		return false;
	}
	if (b->len)
		memcpy(data, b->data, b->len);
	kfree(b->data);
	b->data = data;
	b->cap = cap;
	return true;
}

/* Append @len bytes of @data. */
void pb_write(struct proc_buf *b, const void *data, size_t len)
{
	if (!pb_reserve(b, len))
		return;
	memcpy(b->data + b->len, data, len);
	b->len += len;
}

/* Append formatted text (the subset lib/string.c's vsnprintf knows). */
void pb_printf(struct proc_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0 || !pb_reserve(b, (size_t)n + 1))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* Append @s escaped as /proc/mounts escapes names (Linux's mangle()). */
void pb_mangle(struct proc_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\\')
			pb_printf(b, "\\%o%o%o", (*s >> 6) & 7, (*s >> 3) & 7,
				  *s & 7);
		else
			pb_write(b, s, 1);
	}
}
