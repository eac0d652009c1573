/*
 * /proc/<pid>/mounts (and /proc/mounts through self), mountinfo and
 * /proc/filesystems, from the kernel's walk of its mount table
 * (include/svc/introspect.h).
 */
#include "procfs.h"
#include <svc/introspect.h>

/* One line of /proc/mounts, "source mountpoint type options 0 0". */
static int mount_line(void *arg, const struct mount_info *mi)
{
	struct proc_buf *b = arg;

	pb_mangle(b, mi->source);
	pb_printf(b, " ");
	pb_mangle(b, mi->mountpoint);
	pb_printf(b, " ");
	pb_mangle(b, mi->fstype);
	pb_printf(b, " ");
	pb_mangle(b, mi->mount_opts);
	pb_mangle(b, mi->fs_opts);
	pb_printf(b, " 0 0\n");
	return 0;
}

/*
 * One line of mountinfo, as Linux's show_mountinfo: "id parent
 * major:minor root mountpoint mount-options - type source
 * super-options". Every mount is private, so there are no optional
 * fields (shared:N, master:N) before the "-".
 */
static int mountinfo_line(void *arg, const struct mount_info *mi)
{
	struct proc_buf *b = arg;

	pb_printf(b, "%d %d %u:%u ", mi->id, mi->parent_id, MAJOR(mi->dev),
		  MINOR(mi->dev));
	pb_mangle(b, mi->root);
	pb_printf(b, " ");
	pb_mangle(b, mi->mountpoint);
	pb_printf(b, " ");
	pb_mangle(b, mi->mount_opts);
	pb_printf(b, " - ");
	pb_mangle(b, mi->fstype);
	pb_printf(b, " ");
	pb_mangle(b, mi->source);
	pb_printf(b, " %s", mi->readonly ? "ro" : "rw");
	pb_mangle(b, mi->fs_opts);
	pb_printf(b, "\n");
	return 0;
}

int proc_mountinfo_show(struct proc_buf *b, struct task *t)
{
	return mounts_walk(mountinfo_line, b);
}

/*
 * A line per mount, in mount order, as given to mount(2) ("tmpfs /tmp
 * tmpfs rw,relatime,inode64 0 0"); the root is "rootfs / rootfs
 * rw,inode64 0 0".
 */
int proc_mounts_show(struct proc_buf *b, struct task *t)
{
	return mounts_walk(mount_line, b);
}

/* "nodev\ttmpfs" per registered type, in registration order, as Linux. */
int proc_filesystems_show(struct proc_buf *b, struct task *t)
{
	const struct fs_type *type = NULL;

	while ((type = fs_type_next(type)))
		pb_printf(b, "%s\t%s\n",
			  type->flags & FS_REQUIRES_DEV ? "" : "nodev",
			  type->name);
	return 0;
}
