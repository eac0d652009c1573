/*
 * /proc/<pid>/mounts (and /proc/mounts through self) and
 * /proc/filesystems. The mount list is copied, with references, before
 * any mount point is named, since naming may sleep in a filesystem while
 * mounts come and go.
 */
#include "procfs.h"
#include <kernel/vfs_internal.h>
#include <kernel/vfs_mount.h>
#include <aramid/string.h>
#include <platform/heap.h>
#include <uapi/errno.h>

struct mount_line {
	struct path mountpoint;		/* references held; mnt NULL at "/" */
	const char *type;
	unsigned flags;
};

/* "rw" or "ro", then the per-mount flags, as Linux's show_mnt_opts. */
static void mount_options(struct proc_buf *b, unsigned flags)
{
	pb_printf(b, "%s", flags & MNT_READONLY ? "ro" : "rw");
	if (flags & MNT_NOSUID)
		pb_printf(b, ",nosuid");
	if (flags & MNT_NODEV)
		pb_printf(b, ",nodev");
	if (flags & MNT_NOEXEC)
		pb_printf(b, ",noexec");
}

/*
 * "source mountpoint type options 0 0" per mount, in mount order. The
 * VFS keeps no mount source string, so the type name stands for it
 * ("proc /proc proc rw 0 0", "tmpfs /tmp tmpfs rw 0 0").
 */
int proc_mounts_show(struct proc_buf *b, struct task *t)
{
	struct mount_line *lines;
	struct mount *m = NULL;
	size_t n = 0, i = 0;
	char *name;
	int err = 0;

	while ((m = mnt_next(m)))
		n++;
	lines = kzalloc((n ? n : 1) * sizeof(*lines));
	name = kmalloc(PATH_MAX);
	if (!lines || !name) {
		err = -ENOMEM;
		goto out_free;
	}
	for (m = mnt_next(NULL); m && i < n; m = mnt_next(m), i++) {
		lines[i].type = m->sb->type->name;
		lines[i].flags = m->flags;
		if (m->parent) {
			lines[i].mountpoint = (struct path){ m->parent,
							     m->mountpoint };
			path_get(&lines[i].mountpoint);
		}
	}
	n = i;
	for (i = 0; i < n; i++) {
		const struct path *mp = &lines[i].mountpoint;
		int len = 1;

		if (mp->inode)
			len = path_to_string(mp, name, PATH_MAX);
		else
			strlcpy(name, "/", PATH_MAX);
		if (len < 0)
			continue;	/* outside the reader's root */
		pb_mangle(b, lines[i].type);
		pb_printf(b, " ");
		pb_mangle(b, name);
		pb_printf(b, " ");
		pb_mangle(b, lines[i].type);
		pb_printf(b, " ");
		mount_options(b, lines[i].flags);
		pb_printf(b, " 0 0\n");
	}
	for (i = 0; i < n; i++)
		path_put(&lines[i].mountpoint);
out_free:
	kfree(name);
	kfree(lines);
	return err;
}

/*
 * The VFS offers lookup of a filesystem type by name but no iteration,
 * so the list is every type the kernel has a service for, in the order
 * Linux registers them, filtered by what is registered.
 */
static const char *const known_types[] = {
	"sysfs", "tmpfs", "proc", "devtmpfs", "devpts", "ramfs", "ext2",
};

int proc_filesystems_show(struct proc_buf *b, struct task *t)
{
	for (size_t i = 0; i < ARRAY_SIZE(known_types); i++) {
		const struct fs_type *type = fs_type_find(known_types[i]);

		if (type)
			pb_printf(b, "%s\t%s\n",
				  type->flags & FS_REQUIRES_DEV ? "" : "nodev",
				  type->name);
	}
	return 0;
}
