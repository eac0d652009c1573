/*
 * Character device registry: the file_ops of each driver, by major number.
 * Minor numbers are the driver's business: its ->open looks at the minor
 * of the inode and may replace file->fops with the ops of that device.
 */
#include <kernel/service.h>
#include <kernel/vfs.h>
#include <uapi/errno.h>

#define CHRDEV_MAJORS	256

static const struct file_ops *chrdevs[CHRDEV_MAJORS];

/*
 * Register @fops for every device of @major (1..255). Called at boot from
 * a SERVICE_INIT function. Returns 0, -EINVAL for a bad major or NULL ops,
 * -EBUSY if the major is taken.
 */
int register_chrdev(unsigned major, const struct file_ops *fops)
{
	if (fops && fops->svc)
		svc_register(fops->svc);
	if (major == 0 || major >= CHRDEV_MAJORS || !fops)
		return -EINVAL;
	if (chrdevs[major])
		return -EBUSY;
	chrdevs[major] = fops;
	return 0;
}

/* The ops registered for the major of @rdev, or NULL. Any process context. */
const struct file_ops *chrdev_ops(dev_t rdev)
{
	unsigned major = MAJOR(rdev);

	if (major >= CHRDEV_MAJORS)
		return NULL;
	return chrdevs[major];
}
