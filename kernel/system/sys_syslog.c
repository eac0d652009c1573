/* syslog (dmesg): read and clear the kernel log, set the console level. */
#include <kernel/syscall.h>
#include <platform/printk.h>
#include <platform/heap.h>
#include <platform/usercopy.h>
#include <aramid/string.h>
#include <svc/task.h>

#define SYSLOG_ACTION_READ		2
#define SYSLOG_ACTION_READ_ALL		3
#define SYSLOG_ACTION_READ_CLEAR	4
#define SYSLOG_ACTION_CLEAR		5
#define SYSLOG_ACTION_CONSOLE_OFF	6
#define SYSLOG_ACTION_CONSOLE_ON	7
#define SYSLOG_ACTION_CONSOLE_LEVEL	8
#define SYSLOG_ACTION_SIZE_UNREAD	9
#define SYSLOG_ACTION_SIZE_BUFFER	10

/*
 * Linux's check_syslog_permissions with kernel.dmesg_restrict 0: all but
 * reading the whole log and asking its size need CAP_SYSLOG (or
 * CAP_SYS_ADMIN). 0 or -EPERM.
 */
static int syslog_permitted(int type)
{
	if (type == SYSLOG_ACTION_READ_ALL || type == SYSLOG_ACTION_SIZE_BUFFER)
		return 0;
	return capable(CAP_SYSLOG) || capable(CAP_SYS_ADMIN) ? 0 : -EPERM;
}

SYSCALL(__NR_syslog, syslog)(SYSCALL_ARGS)
{
	int type = (int)a0, len = (int)a2;

	if (syslog_permitted(type))
		return -EPERM;
	switch (type) {
	case 0:
	case 1:
		return 0;		/* close, open */
	case SYSLOG_ACTION_READ:
	case SYSLOG_ACTION_READ_ALL:
	case SYSLOG_ACTION_READ_CLEAR: {
		if (len < 0)
			return -EINVAL;
		if (!len)
			return 0;
		if (!a1)
			return -EINVAL;
		size_t size = printk_log_size(), n = MIN((size_t)len, size);
		char *buf = kmalloc(n ? n : 1);

		if (!buf)
			return -ENOMEM;
		/* READ_ALL gives the newest @len bytes. */
		n = printk_log_read(buf, n, size - n);
		long ret = copy_to_user(UPTR(a1), buf, n) ? -EFAULT : (long)n;

		kfree(buf);
		if (ret >= 0 && type != SYSLOG_ACTION_READ_ALL)
			printk_log_clear();
		return ret;
	}
	case SYSLOG_ACTION_CLEAR:
		printk_log_clear();
		return 0;
	case SYSLOG_ACTION_CONSOLE_OFF:
		console_set_loglevel(1);
		return 0;
	case SYSLOG_ACTION_CONSOLE_ON:
		console_set_loglevel(7);
		return 0;
	case SYSLOG_ACTION_CONSOLE_LEVEL:
		if (len < 1 || len > 8)
			return -EINVAL;
		console_set_loglevel(len);
		return 0;
	case SYSLOG_ACTION_SIZE_UNREAD:
		return printk_log_size();
	case SYSLOG_ACTION_SIZE_BUFFER:
		return 64 * 1024;
	default:
		return -EINVAL;
	}
}
