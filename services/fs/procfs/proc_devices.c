/*
 * /proc/devices and /proc/driver/rtc: the character devices and the
 * real-time clock's file, as the kernel renders them when read
 * (devices_proc_show, rtc_proc_show).
 */
#include "procfs.h"
#include <uapi/errno.h>

static ssize_t devices_text(const char *name, char *buf, size_t size)
{
	return devices_proc_show(buf, size);
}

static ssize_t rtc_text(const char *name, char *buf, size_t size)
{
	return rtc_proc_show(buf, size);
}

static int devices_show(struct proc_buf *b, struct task *t)
{
	return proc_show_generated(b, "devices", devices_text);
}

static int driver_rtc_show(struct proc_buf *b, struct task *t)
{
	return proc_show_generated(b, "rtc", rtc_text);
}

const struct proc_entry proc_devices_entry = {
	.name = "devices", .kind = PROC_DEVICES, .mode = S_IFREG | 0444,
	.show = devices_show,
};

static const struct proc_entry driver_rtc_entry = {
	.name = "rtc", .kind = PROC_DRIVER_RTC, .mode = S_IFREG | 0444,
	.show = driver_rtc_show,
};

static const struct proc_entry *const driver_entries[] = {
	&driver_rtc_entry, NULL,
};

static int driver_lookup(struct inode *dir, const char *name,
			 struct inode **out)
{
	return proc_lookup_table(dir, driver_entries, 0, name, out);
}

static int driver_readdir(struct inode *dir, struct dir_context *ctx)
{
	proc_readdir_table(ctx, dir->ino, proc_ino(PROC_ROOT, 0, 0),
			   driver_entries, 0, 0);
	return 0;
}

static int driver_parent(struct inode *dir, struct inode **out)
{
	*out = proc_inode_new(dir->sb, &proc_root_entry, 0, 0);
	return *out ? 0 : -ENOMEM;
}

const struct proc_entry proc_driver_dir_entry = {
	.name = "driver", .kind = PROC_DRIVER_DIR, .mode = S_IFDIR | 0555,
	.lookup = driver_lookup, .readdir = driver_readdir,
	.parent = driver_parent,
};
