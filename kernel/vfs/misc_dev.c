/*
 * The misc character devices (major 10), as Linux's drivers/char/misc.c:
 * one major shared by small devices, each at its own minor, whose open
 * hands the file the ops of the device the minor names. Devices register
 * at boot, from ring 1's init.
 */
#include <kernel/vfs.h>
#include <platform/panic.h>
#include <uapi/errno.h>

#define MISC_MAJOR	10
#define MISC_MINORS	256

static const struct file_ops *misc_devices[MISC_MINORS];

static int misc_open(struct inode *inode, struct file *file)
{
	const struct file_ops *fops = misc_devices[MINOR(inode->rdev)];

	if (!fops)
		return -ENODEV;
	file->fops = fops;
	return fops->open ? fops->open(inode, file) : 0;
}

static const struct file_ops misc_fops = {
	.open = misc_open,
};

/* See include/kernel/vfs.h. */
void misc_register(unsigned minor, const struct file_ops *fops)
{
	static const char *const names[] = { "misc", NULL };
	static bool registered;

	if (minor >= MISC_MINORS || misc_devices[minor])
		panic("misc_register: minor %u taken or out of range", minor);
	if (!registered && register_chrdev(MISC_MAJOR, names, &misc_fops))
		panic("misc_register: major %d is taken", MISC_MAJOR);
	registered = true;
	misc_devices[minor] = fops;
}
