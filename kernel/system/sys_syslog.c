/*
 * syslog(2), as Linux 6.1's do_syslog: the kernel log's records in the
 * syslog format ("<prio>[    T.TTTTTT] text\n"), read once in order
 * (READ, waiting for records) or all from the last clear (READ_ALL), the
 * console loglevel, and kernel.dmesg_restrict with the permission check
 * /dev/kmsg shares.
 */
#include <kernel/syscall.h>
#include <kernel/klog.h>
#include <kernel/task.h>
#include <svc/klog.h>
#include <svc/task.h>
#include <platform/printk.h>
#include <platform/cpu.h>
#include <platform/heap.h>
#include <platform/usercopy.h>
#include <aramid/string.h>
#include "sysctl.h"

#define SYSLOG_ACTION_CLOSE		0
#define SYSLOG_ACTION_OPEN		1
#define SYSLOG_ACTION_READ		2
#define SYSLOG_ACTION_READ_ALL		3
#define SYSLOG_ACTION_READ_CLEAR	4
#define SYSLOG_ACTION_CLEAR		5
#define SYSLOG_ACTION_CONSOLE_OFF	6
#define SYSLOG_ACTION_CONSOLE_ON	7
#define SYSLOG_ACTION_CONSOLE_LEVEL	8
#define SYSLOG_ACTION_SIZE_UNREAD	9
#define SYSLOG_ACTION_SIZE_BUFFER	10

int dmesg_restrict;
int minimum_console_loglevel = 1;
int default_console_loglevel = 7;

/* See kernel/klog.h. */
int printk_levels_show(char *buf, size_t size)
{
	char t[48];

	snprintf(t, sizeof(t), "%d\t%d\t%d\t%d", console_get_loglevel(),
		 printk_get_default_level(), minimum_console_loglevel,
		 default_console_loglevel);
	return show_text(buf, size, t);
}

/* See kernel/klog.h. */
int printk_levels_store(const char *buf, size_t len)
{
	int v[4] = { console_get_loglevel(), printk_get_default_level(),
		     minimum_console_loglevel, default_console_loglevel };
	int n = parse_int_list(buf, len, v, 4);

	if (n < 0)
		return n;
	console_set_loglevel(v[0]);
	printk_set_default_level(v[1]);
	minimum_console_loglevel = v[2];
	default_console_loglevel = v[3];
	return 0;
}

/* SYSLOG_ACTION_READ's place: the next record, and bytes of it given. */
static uint64_t syslog_seq;
static size_t syslog_partial;
/* The loglevel CONSOLE_OFF saved for CONSOLE_ON. */
static int saved_console_loglevel = LOGLEVEL_DEFAULT;

/* A record being read: its header and text. */
struct syslog_record {
	struct printk_info info;
	char text[LOG_LINE_MAX];
};

/*
 * Linux's check_syslog_permissions for a caller of syslog(2) or a reader
 * of /dev/kmsg (SYSLOG_FROM_READER): with dmesg_restrict clear, reading
 * the whole log and asking its size are for everyone; anything else
 * needs CAP_SYSLOG, or CAP_SYS_ADMIN (with printk.c's warning, once).
 * 0 or -EPERM.
 */
static int syslog_permission(int type)
{
	static bool warned;

	if (!dmesg_restrict && (type == SYSLOG_ACTION_READ_ALL ||
				type == SYSLOG_ACTION_SIZE_BUFFER))
		return 0;
	if (capable(CAP_SYSLOG))
		return 0;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (!warned) {
		warned = true;
		pr_warn("printk: %s (%d): Attempt to access syslog with CAP_SYS_ADMIN but no CAP_SYSLOG (deprecated).",
			current->comm, current->tgid);
	}
	return 0;
}

/* See svc/klog.h. */
int syslog_read_permission(void)
{
	return syslog_permission(SYSLOG_ACTION_READ_ALL);
}

/*
 * SYSLOG_ACTION_READ: records from syslog_seq in the syslog format, the
 * first one in part if @size is short of it (the rest comes next time);
 * those dropped meanwhile are skipped. Bytes copied, or -EFAULT if none.
 */
static long syslog_print(uptr_t buf, size_t size, struct syslog_record *r,
			 char *text)
{
	long len = 0;

	while (size > 0 && printk_read(syslog_seq, &r->info, r->text)) {
		size_t n, skip;

		if (r->info.seq != syslog_seq) {
			syslog_seq = r->info.seq;
			syslog_partial = 0;
		}
		skip = syslog_partial;
		n = printk_record_text(&r->info, r->text, true, text,
				       CONSOLE_LOG_MAX);
		if (n - syslog_partial <= size) {
			syslog_seq = r->info.seq + 1;
			n -= syslog_partial;
			syslog_partial = 0;
		} else if (!len) {
			n = size;
			syslog_partial += n;
		} else {
			break;
		}
		if (copy_to_user(buf, text + skip, n)) {
			if (!len)
				len = -EFAULT;
			break;
		}
		len += (long)n;
		size -= n;
		buf = uptr_add(buf, n);
	}
	return len;
}

/*
 * As Linux's find_first_fitting_seq: the first record from @seq on such
 * that it and all after it fit in @size bytes in the syslog format.
 */
static uint64_t first_fitting_seq(uint64_t seq, size_t size,
				  struct syslog_record *r)
{
	size_t len = 0;
	uint64_t s;

	for (s = seq; printk_read(s, &r->info, r->text); s = r->info.seq + 1)
		len += printk_record_text_size(&r->info, r->text, true);
	for (s = seq; len > size && printk_read(s, &r->info, r->text);
	     s = r->info.seq + 1)
		len -= printk_record_text_size(&r->info, r->text, true);
	return s;
}

/*
 * SYSLOG_ACTION_READ_ALL and READ_CLEAR: the newest whole records since
 * the last clear that fit in @size bytes; @clear starts the next read
 * after them. Bytes copied, or -EFAULT.
 */
static long syslog_print_all(uptr_t buf, size_t size, bool clear,
			     struct syslog_record *r, char *text)
{
	uint64_t seq = first_fitting_seq(printk_clear_seq(), size, r);
	long len = 0;

	for (; printk_read(seq, &r->info, r->text); seq = r->info.seq + 1) {
		size_t n = printk_record_text(&r->info, r->text, true, text,
					      CONSOLE_LOG_MAX);

		if ((size_t)len + n > size)
			break;
		if (copy_to_user(uptr_add(buf, len), text, n)) {
			len = -EFAULT;
			break;
		}
		len += (long)n;
	}
	if (clear)
		printk_set_clear_seq(seq);
	return len;
}

/* The bytes SYSLOG_ACTION_READ has still to give. */
static long syslog_size_unread(struct syslog_record *r)
{
	long size = 0;

	if (!printk_read(syslog_seq, &r->info, NULL))
		return 0;
	if (r->info.seq != syslog_seq) {
		syslog_seq = r->info.seq;
		syslog_partial = 0;
	}
	for (uint64_t s = syslog_seq; printk_read(s, &r->info, r->text);
	     s = r->info.seq + 1)
		size += (long)printk_record_text_size(&r->info, r->text, true);
	return size - (long)syslog_partial;
}

/* The actions that read records, with their buffers. */
static long syslog_read(int type, uptr_t buf, int len)
{
	struct syslog_record *r;
	char *text = NULL;
	long ret;

	if (type != SYSLOG_ACTION_SIZE_UNREAD) {
		if (uptr_null(buf) || len < 0)
			return -EINVAL;
		if (!len)
			return 0;
		if (!access_ok(buf, (size_t)len))
			return -EFAULT;
	}
	if (type == SYSLOG_ACTION_READ) {
		ret = wait_event_interruptible(*log_wait_queue(),
					       syslog_seq < printk_next_seq());
		if (ret)
			return ret;
	}
	r = kmalloc(sizeof(*r));
	if (!r)
		return -ENOMEM;
	if (type != SYSLOG_ACTION_SIZE_UNREAD) {
		text = kmalloc(CONSOLE_LOG_MAX);
		if (!text) {
			ret = -ENOMEM;
			goto out_free_record;
		}
	}
	switch (type) {
	case SYSLOG_ACTION_READ:
		ret = syslog_print(buf, (size_t)len, r, text);
		break;
	case SYSLOG_ACTION_SIZE_UNREAD:
		ret = syslog_size_unread(r);
		break;
	default:
		ret = syslog_print_all(buf, (size_t)len,
				       type == SYSLOG_ACTION_READ_CLEAR, r, text);
		break;
	}
	kfree(text);
out_free_record:
	kfree(r);
	return ret;
}

SYSCALL(__NR_syslog, syslog)(SYSCALL_ARGS)
{
	int type = (int)a0, len = (int)a2;
	int err = syslog_permission(type);

	if (err)
		return err;
	switch (type) {
	case SYSLOG_ACTION_CLOSE:
	case SYSLOG_ACTION_OPEN:
		return 0;
	case SYSLOG_ACTION_READ:
	case SYSLOG_ACTION_READ_ALL:
	case SYSLOG_ACTION_READ_CLEAR:
	case SYSLOG_ACTION_SIZE_UNREAD:
		return syslog_read(type, UPTR(a1), len);
	case SYSLOG_ACTION_CLEAR:
		printk_set_clear_seq(printk_next_seq());
		return 0;
	case SYSLOG_ACTION_CONSOLE_OFF:
		if (saved_console_loglevel == LOGLEVEL_DEFAULT)
			saved_console_loglevel = console_get_loglevel();
		console_set_loglevel(minimum_console_loglevel);
		return 0;
	case SYSLOG_ACTION_CONSOLE_ON:
		if (saved_console_loglevel != LOGLEVEL_DEFAULT) {
			console_set_loglevel(saved_console_loglevel);
			saved_console_loglevel = LOGLEVEL_DEFAULT;
		}
		return 0;
	case SYSLOG_ACTION_CONSOLE_LEVEL:
		if (len < 1 || len > 8)
			return -EINVAL;
		console_set_loglevel(MAX(len, minimum_console_loglevel));
		saved_console_loglevel = LOGLEVEL_DEFAULT;
		return 0;
	case SYSLOG_ACTION_SIZE_BUFFER:
		return LOG_BUF_LEN;
	default:
		return -EINVAL;
	}
}
