/*
 * What seccomp writes to the kernel log: Linux's audit record of an
 * action (type 1326, AUDIT_SECCOMP), for the actions that
 * kernel.seccomp.actions_logged names, under Linux's printk_ratelimit
 * (10 lines in any 5 seconds), as Linux prints it with no audit daemon;
 * and that sysctl. Kernel lock held.
 */
#include <kernel/task.h>
#include <platform/printk.h>
#include <platform/time.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include "seccomp_internal.h"

#define LOG_BURST	10
#define LOG_INTERVAL_NS	(5 * NSEC_PER_SEC)
#define NAMES_MAX	sizeof(SECCOMP_ACTIONS_AVAIL)

/* The actions in actions_logged's order, with their names. */
static const struct {
	uint32_t action;
	const char *name;
} names[] = {
	{ SECCOMP_RET_KILL_PROCESS, "kill_process" },
	{ SECCOMP_RET_KILL_THREAD, "kill_thread" },
	{ SECCOMP_RET_TRAP, "trap" },
	{ SECCOMP_RET_ERRNO, "errno" },
	{ SECCOMP_RET_USER_NOTIF, "user_notif" },
	{ SECCOMP_RET_TRACE, "trace" },
	{ SECCOMP_RET_LOG, "log" },
	{ SECCOMP_RET_ALLOW, "allow" },
};

#define ALLOW_BIT	(1u << 7)
/* Bit i: names[i] is logged. Linux's default: all but allow. */
static unsigned logged = 0x7f;

static bool is_logged(uint32_t action)
{
	for (unsigned i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].action == action)
			return logged & (1u << i);
	return logged & 1u;		/* unknown: as KILL_PROCESS */
}

static bool ratelimit_ok(void)
{
	static uint64_t start_ns;
	static unsigned printed;
	uint64_t now = clock_monotonic_ns();

	if (!start_ns || now - start_ns >= LOG_INTERVAL_NS) {
		start_ns = now;
		printed = 0;
	}
	return printed++ < LOG_BURST;
}

/* See seccomp_internal.h. */
void seccomp_log(int nr, int sig, uint32_t action, bool requested)
{
	action &= SECCOMP_RET_ACTION_FULL;
	switch (action) {
	case SECCOMP_RET_ALLOW:
		return;
	case SECCOMP_RET_TRAP:
	case SECCOMP_RET_ERRNO:
	case SECCOMP_RET_USER_NOTIF:
	case SECCOMP_RET_TRACE:
		if (!requested)
			return;
		break;
	default:
		break;
	}
	if (!is_logged(action) || !ratelimit_ok())
		return;
	pr_notice("audit: type=1326 pid=%d uid=%u comm=\"%s\" sig=%d "
		  "arch=%x syscall=%d compat=0 ip=0x%lx code=0x%x",
		  current->pid, current->cred.uid, current->comm, sig,
		  AUDIT_ARCH_X86_64, nr, task_frame(current)->rip, action);
}

/* See kernel/seccomp.h. */
int seccomp_actions_logged_show(char *buf, size_t size)
{
	char text[NAMES_MAX + 1] = "";
	size_t n = 0;

	for (unsigned i = 0; i < ARRAY_SIZE(names); i++) {
		if (!(logged & (1u << i)))
			continue;
		n += snprintf(text + n, sizeof(text) - n, "%s%s", n ? " " : "",
			      names[i].name);
	}
	if (n + 1 > size)
		return -EFBIG;
	memcpy(buf, text, n);
	buf[n] = '\n';
	return (int)n + 1;
}

/* The bit of action name @name of @len bytes, or 0 if none. */
static unsigned name_bit(const char *name, size_t len)
{
	for (unsigned i = 0; i < ARRAY_SIZE(names); i++)
		if (strlen(names[i].name) == len &&
		    !memcmp(names[i].name, name, len))
			return 1u << i;
	return 0;
}

/* See kernel/seccomp.h. */
int seccomp_actions_logged_store(const char *buf, size_t len)
{
	unsigned mask = 0, bit;
	size_t end = 0, i = 0;

	/* proc_dostring: the first line, at most NAMES_MAX - 1 bytes. */
	while (end < len && end < NAMES_MAX - 1 && buf[end] &&
	       buf[end] != '\n')
		end++;
	while (i < end && buf[i] != ' ') {
		size_t start = i;

		while (i < end && buf[i] != ' ')
			i++;
		bit = name_bit(buf + start, i - start);
		if (!bit)
			return -EINVAL;
		mask |= bit;
		if (i < end)
			i++;		/* the blank; a second one ends it */
	}
	if (mask & ALLOW_BIT)
		return -EINVAL;
	logged = mask;
	return 0;
}
