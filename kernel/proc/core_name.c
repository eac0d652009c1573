/*
 * The name of a core file: kernel.core_pattern expanded as Linux 6.1's
 * format_corename does, and kernel.core_uses_pid. A pattern starting
 * with '|' names a program to pipe the core to, which Aramid does not
 * run: such a pattern dumps nothing.
 */
#include <kernel/coredump.h>
#include <kernel/task.h>
#include <kernel/mm.h>
#include <kernel/uts_ns.h>
#include <kernel/vfs.h>
#include <platform/heap.h>
#include <platform/time.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include <uapi/resource.h>
#include "coredump_internal.h"

char core_pattern[CORE_PATTERN_MAX] = "core";
int core_uses_pid;

struct core_name {
	char *buf;
	size_t size, used;
	bool overflow;
};

/* Append @s; with @escape its '/' become '!' (a name must stay one). */
static void cn_put(struct core_name *cn, const char *s, bool escape)
{
	for (; *s; s++) {
		if (cn->used + 1 >= cn->size) {
			cn->overflow = true;
			return;
		}
		cn->buf[cn->used++] = escape && *s == '/' ? '!' : *s;
	}
	cn->buf[cn->used] = '\0';
}

static void cn_num(struct core_name *cn, unsigned long long v)
{
	char t[24];

	snprintf(t, sizeof(t), "%llu", v);
	cn_put(cn, t, false);
}

/*
 * %E and %f: the program's path (or only its last part), escaped; with
 * no program, Linux's "<comm> (path unknown)".
 */
static void cn_exe(struct core_name *cn, bool name_only)
{
	struct file *exe = current->mm ? current->mm->exe_file : NULL;
	char *path, *s;

	if (!exe) {
		cn_put(cn, current->comm, true);
		cn_put(cn, " (path unknown)", false);
		return;
	}
	path = kmalloc(PATH_MAX);
	if (!path || file_path_string(exe, path, PATH_MAX) < 0) {
		cn->overflow = true;
		kfree(path);
		return;
	}
	s = name_only && strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	cn_put(cn, s, true);
	kfree(path);
}

/* See coredump_internal.h. */
int core_name_format(char *buf, size_t size, int sig)
{
	struct core_name cn = { .buf = buf, .size = size };
	struct task *leader = task_leader(current);
	const char *p = core_pattern;
	bool pid_seen = false;

	if (*p == '|')
		return -EOPNOTSUPP;
	buf[0] = '\0';
	for (; *p && !cn.overflow; p++) {
		char c[2] = { *p, '\0' };

		if (*p != '%') {
			cn_put(&cn, c, false);
			continue;
		}
		switch (*++p) {
		case '\0':			/* a lone % at the end */
			p--;
			break;
		case '%':
			cn_put(&cn, "%", false);
			break;
		case 'p':
			pid_seen = true;
			cn_num(&cn, (unsigned)leader->tgid);
			break;
		case 'P':			/* no pid namespaces: as %p */
			cn_num(&cn, (unsigned)leader->tgid);
			break;
		case 'i':
		case 'I':
			cn_num(&cn, (unsigned)current->pid);
			break;
		case 'u':
			cn_num(&cn, current->cred.uid);
			break;
		case 'g':
			cn_num(&cn, current->cred.gid);
			break;
		case 'd':			/* only a dumpable mm dumps */
			cn_num(&cn, 1);
			break;
		case 's':
			cn_num(&cn, (unsigned)sig);
			break;
		case 't':
			cn_num(&cn, (clock_boot_realtime_ns() +
				     clock_monotonic_ns()) / 1000000000ULL);
			break;
		case 'h':
			cn_put(&cn, current_utsname()->nodename, true);
			break;
		case 'e':
			cn_put(&cn, current->comm, true);
			break;
		case 'E':
			cn_exe(&cn, false);
			break;
		case 'f':
			cn_exe(&cn, true);
			break;
		case 'c':
			cn_num(&cn, rlimit(RLIMIT_CORE));
			break;
		default:			/* unknown: dropped */
			break;
		}
	}
	if (!pid_seen && core_uses_pid) {
		cn_put(&cn, ".", false);
		cn_num(&cn, (unsigned)leader->tgid);
	}
	return cn.overflow ? -ENAMETOOLONG : 0;
}
