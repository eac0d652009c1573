/*
 * Ring 1's state beside the kernel log's records (platform/printk_ring.c):
 * the wait queue the log's readers sleep on, woken from the tick, and
 * /dev/kmsg's mode, kernel.printk_devkmsg (Linux's devkmsg_log), which
 * printk.devkmsg= on the command line sets for good.
 */
#include <svc/klog.h>
#include <kernel/klog.h>
#include <platform/printk.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include "sysctl.h"

/* Linux's DEVKMSG_STR_MAX_SIZE: "ratelimit" and its NUL. */
#define DEVKMSG_STR_MAX	10

static struct wait_queue log_wait = WAIT_QUEUE_INIT(log_wait);
static uint64_t log_woken_seq;	/* printk_next_seq() at the last wake-up */

static int devkmsg = DEVKMSG_RATELIMIT;
static bool devkmsg_locked;	/* set on the command line */
static char devkmsg_str[DEVKMSG_STR_MAX] = "ratelimit";

static const struct {
	const char *name;
	int mode;
} devkmsg_modes[] = {
	{ "on", DEVKMSG_ON },
	{ "off", DEVKMSG_OFF },
	{ "ratelimit", DEVKMSG_RATELIMIT },
};

struct wait_queue *log_wait_queue(void)
{
	return &log_wait;
}

void log_wait_tick(void)
{
	uint64_t next = printk_next_seq();

	if (next == log_woken_seq)
		return;
	log_woken_seq = next;
	wq_wake_all(&log_wait);
}

int devkmsg_mode(void)
{
	return devkmsg;
}

/*
 * As Linux's __control_devkmsg: the mode whose name @s begins with into
 * *@mode, and the name's length; -EINVAL if there is none.
 */
static int devkmsg_parse(const char *s, int *mode)
{
	for (size_t i = 0; i < ARRAY_SIZE(devkmsg_modes); i++) {
		size_t n = strlen(devkmsg_modes[i].name);

		if (!strncmp(s, devkmsg_modes[i].name, n)) {
			*mode = devkmsg_modes[i].mode;
			return (int)n;
		}
	}
	return -EINVAL;
}

/* See klog.h. Boot, before user space. */
void devkmsg_setup(const char *val)
{
	int mode;

	if (devkmsg_parse(val, &mode) < 0)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(devkmsg_modes); i++)
		if (devkmsg_modes[i].mode == mode)
			strlcpy(devkmsg_str, devkmsg_modes[i].name,
				sizeof(devkmsg_str));
	devkmsg = mode;
	devkmsg_locked = true;
}

/* See klog.h. */
int devkmsg_show(char *buf, size_t size)
{
	return show_text(buf, size, devkmsg_str);
}

/*
 * See klog.h. As Linux's devkmsg_sysctl_set_loglvl: the text is the
 * first line, at most 9 bytes of it, as proc_dostring keeps it; it must
 * begin with a mode's name and the write be one byte longer than that
 * name (its newline), else -EINVAL and nothing changes. -EINVAL too once
 * the command line has set the mode.
 */
int devkmsg_store(const char *buf, size_t len)
{
	char str[DEVKMSG_STR_MAX];
	size_t n = 0;
	int mode, matched;

	if (devkmsg_locked)
		return -EINVAL;
	while (n < len && n < DEVKMSG_STR_MAX - 1 && buf[n] && buf[n] != '\n') {
		str[n] = buf[n];
		n++;
	}
	str[n] = '\0';
	matched = devkmsg_parse(str, &mode);
	if (matched < 0 || (size_t)matched + 1 != len)
		return -EINVAL;
	memcpy(devkmsg_str, str, n + 1);
	devkmsg = mode;
	return 0;
}
