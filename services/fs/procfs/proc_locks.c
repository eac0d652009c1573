/*
 * /proc/locks: every granted advisory lock, one line each, from the
 * kernel's walk of its lock state (include/svc/introspect.h), in the
 * format of Linux's lock_get_status (fs/locks.c), which fdinfo's "lock:"
 * lines share.
 */
#include "procfs.h"

void proc_lock_line(struct proc_buf *b, int id, const struct lock_info *li)
{
	static const char *const kinds[] = {
		[LOCKINFO_POSIX] = "POSIX  ADVISORY ",
		[LOCKINFO_OFD] = "OFDLCK ADVISORY ",
		[LOCKINFO_FLOCK] = "FLOCK  ADVISORY ",
	};

	pb_printf(b, "%d: %s %s %d %02x:%02x:%lu ", id, kinds[li->kind],
		  li->write ? "WRITE" : "READ", li->pid, MAJOR(li->dev),
		  MINOR(li->dev), (unsigned long)li->ino);
	if (li->kind == LOCKINFO_FLOCK)
		pb_printf(b, "0 EOF\n");
	else if (li->end < 0)
		pb_printf(b, "%lld EOF\n", (long long)li->start);
	else
		pb_printf(b, "%lld %lld\n", (long long)li->start,
			  (long long)li->end);
}

/* Numbered from 1, as Linux numbers the lines. */
struct lock_lines {
	struct proc_buf *b;
	int id;
};

static int lock_line(void *arg, const struct lock_info *li)
{
	struct lock_lines *l = arg;

	proc_lock_line(l->b, ++l->id, li);
	return 0;
}

int proc_locks_show(struct proc_buf *b, struct task *t)
{
	struct lock_lines l = { .b = b };

	return file_locks_walk(NULL, lock_line, &l);
}
