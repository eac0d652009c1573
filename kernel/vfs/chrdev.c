/*
 * Character device registry: the file_ops of each driver, by major number,
 * and the names /proc/devices lists for it. Minor numbers are the
 * driver's business: its ->open looks at the minor of the inode and may
 * replace file->fops with the ops of that device.
 */
#include <kernel/service.h>
#include <kernel/vfs.h>
#include <kernel/blkdev.h>
#include <svc/introspect.h>
#include <aramid/string.h>
#include <uapi/errno.h>

#define CHRDEV_MAJORS	256

static struct {
	const struct file_ops *fops;
	const char *const *names;
} chrdevs[CHRDEV_MAJORS];

/*
 * Register @fops for every device of @major (1..255), under @names
 * (NULL-terminated, at least one: the names Linux's drivers register
 * regions of the major under, in minor order). Called at boot from a
 * SERVICE_INIT function or ring 1's init. Returns 0, -EINVAL for a bad
 * major, no name or NULL ops, -EBUSY if the major is taken.
 */
int register_chrdev(unsigned major, const char *const *names,
		    const struct file_ops *fops)
{
	if (fops && fops->svc)
		svc_register(fops->svc);
	if (major == 0 || major >= CHRDEV_MAJORS || !fops || !names ||
	    !names[0])
		return -EINVAL;
	if (chrdevs[major].fops)
		return -EBUSY;
	chrdevs[major].fops = fops;
	chrdevs[major].names = names;
	return 0;
}

/* The ops registered for the major of @rdev, or NULL. Any process context. */
const struct file_ops *chrdev_ops(dev_t rdev)
{
	unsigned major = MAJOR(rdev);

	if (major >= CHRDEV_MAJORS)
		return NULL;
	return chrdevs[major].fops;
}

/* See introspect.h: Linux's chrdev_show, then the block majors. */
ssize_t devices_proc_show(char *buf, size_t size)
{
	size_t len = 0;

	buf_printf(buf, size, &len, "Character devices:\n");
	for (unsigned major = 1; major < CHRDEV_MAJORS; major++) {
		const char *const *name = chrdevs[major].names;

		for (; name && *name; name++)
			buf_printf(buf, size, &len, "%3u %s\n", major, *name);
	}
	buf_printf(buf, size, &len, "\nBlock devices:\n");
	blk_majors_show(buf, size, &len);
	return (ssize_t)len;
}
