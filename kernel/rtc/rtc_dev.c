/*
 * /dev/rtc0, as Linux's drivers/rtc/dev.c: one opener at a time (EBUSY
 * for another), a read that waits for the next interrupt word (an
 * unsigned long, or an unsigned int for a read of exactly 4 bytes;
 * EINVAL for any other size under 8, 0 too; EAGAIN when non-blocking),
 * poll readable while one is counted, no write (EINVAL) and no lseek
 * (ESPIPE). The device itself is rtc_core.c; the ioctls rtc_ioctl.c.
 */
#include "rtc_internal.h"
#include <kernel/rtc.h>
#include <kernel/vfs.h>
#include <platform/panic.h>
#include <uapi/fcntl.h>

#define RTC_MINOR	0	/* rtc0, the only one */

static int rtc_open(struct inode *inode, struct file *file)
{
	int err;

	if (MINOR(inode->rdev) != RTC_MINOR)
		return -ENXIO;
	err = rtc_claim();
	if (err)
		return err;
	file->mode |= FMODE_NO_LSEEK | FMODE_READ_EMPTY;
	return 0;
}

static void rtc_release(struct file *file)
{
	rtc_unclaim();
}

static ssize_t rtc_read(struct file *file, struct uio *uio, off_t *pos)
{
	unsigned long data;
	uint32_t word;
	int err;

	if (uio->resid != sizeof(word) && uio->resid < sizeof(data))
		return -EINVAL;
	do {
		err = rtc_irq_wait(file->flags & O_NONBLOCK);
		if (err)
			return err;
		data = rtc_irq_take();	/* another reader may have been first */
	} while (!data);
	if (uio->resid == sizeof(word)) {
		word = (uint32_t)data;
		return uiomove(&word, sizeof(word), uio) ? -EFAULT :
			(ssize_t)sizeof(word);
	}
	return uiomove(&data, sizeof(data), uio) ? -EFAULT :
		(ssize_t)sizeof(data);
}

static unsigned rtc_poll(struct file *file, struct poll_table *pt)
{
	rtc_poll_wait(file, pt);
	return rtc_irq_pending(NULL) ? POLLIN | POLLRDNORM : 0;
}

static const struct file_ops rtc_fops = {
	.open = rtc_open,
	.release = rtc_release,
	.read = rtc_read,
	.poll = rtc_poll,
	.ioctl = rtc_ioctl,
};

/* See include/kernel/rtc.h. */
void rtc_dev_init(void)
{
	static const char *const names[] = { "rtc", NULL };
	int err;

	rtc_core_init();
	err = register_chrdev(RTC_MAJOR, names, &rtc_fops);
	if (err)
		panic("rtc_dev_init: major %d: error %d", RTC_MAJOR, err);
}
