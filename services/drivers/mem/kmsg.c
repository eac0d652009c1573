/*
 * /dev/kmsg (1:11), as Linux 6.1's devkmsg_*: every open file reads the
 * kernel log's records (platform/printk.h) from a place of its own, one
 * record a read, in the format of Linux's Documentation/ABI/testing/
 * dev-kmsg ("prio,seq,ts_usec,flag;text\n"); a write is one record of
 * the user's, its level and facility from a leading "<N>", rate-limited
 * per open file unless kernel.printk_devkmsg says otherwise.
 */
#include "mem.h"
#include <svc/klog.h>
#include <svc/task.h>
#include <platform/cpu.h>
#include <platform/heap.h>
#include <platform/printk.h>
#include <platform/time.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>

/* Linux's DEFAULT_RATELIMIT_INTERVAL (5 s) and DEFAULT_RATELIMIT_BURST. */
#define RATELIMIT_INTERVAL_NS	(5 * 1000000000ULL)
#define RATELIMIT_BURST		10
/* The longest line a read gives: the header, every byte escaped, '\n'. */
#define KMSG_LINE_MAX	(64 + 4 * LOG_LINE_MAX)

/* Linux's ratelimit_state with RATELIMIT_MSG_ON_RELEASE. */
struct kmsg_ratelimit {
	uint64_t begin;		/* when the interval began; 0: not yet */
	int printed;		/* records let through in it */
	int missed;		/* records dropped since the open */
};

/* An open file's state (file->priv). */
struct kmsg_file {
	uint64_t seq;		/* the next record to read */
	struct kmsg_ratelimit rs;
	struct svc_lock lock;	/* one reader at a time */
	struct printk_info info;	/* the record being read */
	char text[LOG_LINE_MAX];
	char line[KMSG_LINE_MAX];	/* as the reader gets it */
};

/* An open /dev/kmsg's lock, held by a read while it waits for a record. */
static LOCK_CLASS_DEFINE(kmsg_file_class, "kmsg-file");

/* As Linux's ___ratelimit: whether a write of @rs's file may log now. */
static bool kmsg_ratelimit(struct kmsg_ratelimit *rs)
{
	uint64_t now = clock_monotonic_ns();

	if (!rs->begin)
		rs->begin = now;
	if (now > rs->begin + RATELIMIT_INTERVAL_NS) {
		rs->begin = now;
		rs->printed = 0;
	}
	if (rs->printed < RATELIMIT_BURST) {
		rs->printed++;
		return true;
	}
	rs->missed++;
	return false;
}

/*
 * The record in @kf as Linux's info_print_ext_header and
 * msg_print_ext_body give it, into kf->line: "prio,seq,ts_usec,-;", the
 * text with every byte outside ' '..'~' and every '\' as "\xNN", and a
 * newline (no dictionary lines: records carry none). There are no
 * continuation records, so the flag is always '-'. Its length.
 */
static size_t kmsg_format(struct kmsg_file *kf)
{
	static const char hex[] = "0123456789abcdef";
	const struct printk_info *info = &kf->info;
	char *p = kf->line;
	size_t n;

	n = (size_t)snprintf(p, KMSG_LINE_MAX, "%u,%lu,%lu,-;",
			     (unsigned)info->facility << 3 | info->level,
			     (unsigned long)info->seq,
			     (unsigned long)(info->ts_ns / 1000));
	for (size_t i = 0; i < info->len; i++) {
		unsigned char c = (unsigned char)kf->text[i];

		if (c < ' ' || c >= 127 || c == '\\') {
			p[n++] = '\\';
			p[n++] = 'x';
			p[n++] = hex[c >> 4];
			p[n++] = hex[c & 15];
		} else {
			p[n++] = (char)c;
		}
	}
	p[n++] = '\n';
	return n;
}

/*
 * Linux's devkmsg_read for a buffer of @count bytes: the next record,
 * waiting for one unless O_NONBLOCK (-EAGAIN); -EPIPE once when it is
 * gone, the place moving to the oldest record there is; -EINVAL when it
 * does not fit, the record passed over all the same.
 */
static ssize_t kmsg_read_one(struct file *file, struct kmsg_file *kf,
			     struct uio *uio, size_t count)
{
	size_t len;
	int err;

	if (!printk_read(kf->seq, &kf->info, kf->text)) {
		if (file->flags & O_NONBLOCK)
			return -EAGAIN;
		err = wait_event_interruptible(*log_wait_queue(),
				printk_read(kf->seq, &kf->info, kf->text));
		if (err)
			return err;
	}
	if (kf->info.seq != kf->seq) {
		kf->seq = kf->info.seq;
		return -EPIPE;
	}
	len = kmsg_format(kf);
	kf->seq = kf->info.seq + 1;
	if (len > count)
		return -EINVAL;
	if (uiomove(kf->line, len, uio))
		return -EFAULT;
	return (ssize_t)len;
}

/* The bytes of @uio's next buffer that has any room. */
static size_t uio_segment(const struct uio *uio)
{
	for (int i = 0; i < uio->iovcnt; i++)
		if (uio->iov[i].len)
			return MIN(uio->iov[i].len, uio->resid);
	return 0;
}

/*
 * A read gives one record; readv one a buffer, going on while each
 * record fills its buffer exactly, as Linux reads a device that has no
 * read_iter. The bytes read, or the first record's error.
 */
static ssize_t kmsg_read(struct file *file, struct uio *uio, off_t *pos)
{
	struct kmsg_file *kf = file->priv;
	ssize_t done = 0;

	svc_lock(&kf->lock);
	while (uio->resid) {
		size_t count = uio_segment(uio);
		ssize_t n = kmsg_read_one(file, kf, uio, count);

		if (n < 0) {
			if (!done)
				done = n;
			break;
		}
		done += n;
		if ((size_t)n != count)
			break;
	}
	svc_unlock(&kf->lock);
	return done;
}

/*
 * A leading "<N>" as Linux's devkmsg_write reads it: decimal digits
 * (none is 0), the value cut to 32 bits as simple_strtoul's is, then
 * '>'. Its level (N & 7) into *@level and, unless it is LOG_KERN (0),
 * its facility (N >> 3 & 0xff) into *@facility: user space cannot pose
 * as the kernel. Returns the text after it, or @buf when there is none.
 */
static char *kmsg_prefix(char *buf, int *facility, int *level)
{
	uint32_t u = 0;
	char *p = buf + 1;

	if (buf[0] != '<')
		return buf;
	while (*p >= '0' && *p <= '9')
		u = u * 10 + (uint32_t)(*p++ - '0');
	if (*p != '>')
		return buf;
	*level = (int)(u & 7);
	if (u >> 3 & 0xff)
		*facility = (int)(u >> 3 & 0xff);
	return p + 1;
}

/*
 * As Linux's devkmsg_write: one record of the whole write (readv's
 * buffers together), its text up to the first NUL byte. -EINVAL past
 * LOG_LINE_MAX bytes; swallowed whole, and no record made, when
 * printk_devkmsg is "off" or the rate limit says so.
 */
static ssize_t kmsg_write(struct file *file, struct uio *uio, off_t *pos)
{
	struct kmsg_file *kf = file->priv;
	int facility = LOG_FAC_USER, level = LOGLEVEL_DEFAULT;
	size_t len = uio->resid;
	int mode = devkmsg_mode();
	char *buf, *line;

	if (len > LOG_LINE_MAX)
		return -EINVAL;
	if (mode == DEVKMSG_OFF)
		return (ssize_t)len;
	if (mode != DEVKMSG_ON && !kmsg_ratelimit(&kf->rs))
		return (ssize_t)len;
	buf = kmalloc(len + 1);
	if (!buf)
		return -ENOMEM;
	if (uiomove(buf, len, uio)) {
		kfree(buf);
		return -EFAULT;
	}
	buf[len] = '\0';
	line = kmsg_prefix(buf, &facility, &level);
	printk_emit(facility, level, line, strlen(line));
	kfree(buf);
	return (ssize_t)len;
}

/*
 * As Linux's devkmsg_llseek: offset 0 only (else -ESPIPE); SEEK_SET to
 * the oldest record, SEEK_DATA to the first after the last syslog
 * clear, SEEK_END past the newest; any other whence -EINVAL. The file
 * position stays 0.
 */
static off_t kmsg_llseek(struct file *file, off_t off, int whence)
{
	struct kmsg_file *kf = file->priv;

	if (off)
		return -ESPIPE;
	switch (whence) {
	case SEEK_SET:
		kf->seq = printk_first_seq();
		return 0;
	case SEEK_DATA:
		kf->seq = printk_clear_seq();
		return 0;
	case SEEK_END:
		kf->seq = printk_next_seq();
		return 0;
	default:
		return -EINVAL;
	}
}

/* Readable when a record waits; an error too when the place's is gone. */
static unsigned kmsg_poll(struct file *file, struct poll_table *pt)
{
	struct kmsg_file *kf = file->priv;
	struct printk_info info;

	poll_wait(file, log_wait_queue(), pt);
	if (!printk_read(kf->seq, &info, NULL))
		return 0;
	if (info.seq != kf->seq)
		return POLLIN | POLLRDNORM | POLLERR | POLLPRI;
	return POLLIN | POLLRDNORM;
}

/*
 * The rate limit's count, as Linux's ratelimit_state_exit logs it (from
 * printk.c, hence its "printk: " prefix).
 */
static void kmsg_release(struct file *file)
{
	struct kmsg_file *kf = file->priv;
	char comm[CURRENT_COMM_LEN];

	if (kf->rs.missed) {
		current_comm(comm);
		pr_warn("printk: %s: %d output lines suppressed due to ratelimiting",
			comm, kf->rs.missed);
	}
	kfree(kf);
}

static const struct file_ops kmsg_fops = {
	.svc = &mem_service,
	.release = kmsg_release,
	.read = kmsg_read,
	.write = kmsg_write,
	.llseek = kmsg_llseek,
	.poll = kmsg_poll,
};

/*
 * See mem.h. -EPERM when printk_devkmsg is "off", or for a reader that
 * syslog's permission check refuses (a writer needs none).
 */
int kmsg_open(struct inode *inode, struct file *file)
{
	struct kmsg_file *kf;
	int err;

	if (devkmsg_mode() == DEVKMSG_OFF)
		return -EPERM;
	if ((file->flags & O_ACCMODE) != O_WRONLY) {
		err = syslog_read_permission();
		if (err)
			return err;
	}
	kf = kmalloc(sizeof(*kf));
	if (!kf)
		return -ENOMEM;
	memset(kf, 0, sizeof(*kf));
	svc_lock_init(&kf->lock, &kmsg_file_class);
	kf->seq = printk_first_seq();
	file->priv = kf;
	file->fops = &kmsg_fops;
	return 0;
}
