/*
 * The "#!" script loader of execve: the interpreter line of a script, and
 * the arguments that run the interpreter on the script.
 */
#include <platform/heap.h>
#include <aramid/string.h>
#include "binfmt.h"

/* Insert @s before the first argument (for #! interpreters). */
static int args_prepend(struct exec_args *a, const char *s)
{
	size_t n = strlen(s) + 1;
	char *nb;

	if (a->len + n > MAX_ARG_TOTAL)
		return -E2BIG;
	nb = kmalloc(a->len + n);
	if (!nb)
		return -ENOMEM;
	memcpy(nb, s, n);
	memcpy(nb + n, a->buf, a->len);
	kfree(a->buf);
	a->buf = nb;
	a->len += n;
	a->cap = a->len;
	a->argc++;
	return 0;
}

/* Drop the first argument string (argv[0] is replaced for #!). */
static void args_shift(struct exec_args *a)
{
	if (!a->argc)
		return;
	size_t n = strlen(a->buf) + 1;

	memmove(a->buf, a->buf + n, a->len - n);
	a->len -= n;
	a->argc--;
}

/* See binfmt.h. */
int script_parse(char *buf, size_t len, char **interp, char **arg)
{
	char *p, *end;

	buf[len < BINPRM_BUF ? len : BINPRM_BUF - 1] = '\0';
	end = strchr(buf, '\n');
	if (!end)
		end = buf + strlen(buf);
	*end = '\0';
	for (p = buf + 2; *p == ' ' || *p == '\t'; p++)
		;
	if (!*p)
		return -ENOEXEC;
	*interp = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	*arg = NULL;
	if (*p) {
		*p++ = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p) {
			*arg = p;
			/* Trailing blanks are trimmed; inner ones kept. */
			char *e = p + strlen(p);

			while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
				*--e = '\0';
		}
	}
	return 0;
}

/* See binfmt.h. */
int script_args(struct exec_args *a, const char *script, const char *interp,
		const char *arg)
{
	int err;

	args_shift(a);
	err = args_prepend(a, script);
	if (!err && arg)
		err = args_prepend(a, arg);
	if (!err)
		err = args_prepend(a, interp);
	return err;
}
