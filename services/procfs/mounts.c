/*
 * /proc/<pid>/mounts (and /proc/mounts through self) and
 * /proc/filesystems. The mount list is copied, with references, before
 * any mount point is named, since naming may sleep in a filesystem while
 * mounts come and go.
 */
#include "procfs.h"
#include <kernel/vfs_internal.h>
#include <kernel/vfs_mount.h>
#include <kernel/vfs_ops.h>
#include <aramid/string.h>
#include <platform/heap.h>
#include <uapi/errno.h>

#define OPTS_MAX	256

struct mount_line {
	struct path mountpoint;		/* references held; mnt NULL at "/" */
	struct mount *mnt;		/* a reference held */
};

/*
 * The options column, as Linux's show_vfsmnt: "rw" or "ro", the
 * per-mount flags (show_mnt_opts), then the filesystem's own options.
 */
static void mount_options(struct proc_buf *b, struct mount *m, char *opts)
{
	unsigned flags = m->flags;

	pb_printf(b, "%s", flags & MNT_READONLY ? "ro" : "rw");
	if (flags & MNT_NOSUID)
		pb_printf(b, ",nosuid");
	if (flags & MNT_NODEV)
		pb_printf(b, ",nodev");
	if (flags & MNT_NOEXEC)
		pb_printf(b, ",noexec");
	if (flags & MNT_NOATIME)
		pb_printf(b, ",noatime");
	if (flags & MNT_RELATIME)
		pb_printf(b, ",relatime");
	if (vop_show_options(m->sb, opts, OPTS_MAX) > 0)
		pb_mangle(b, opts);
}

/*
 * "source mountpoint type options 0 0" per mount, in mount order, as
 * given to mount(2) ("tmpfs /tmp tmpfs rw,relatime,inode64 0 0"); the
 * root is "rootfs / rootfs rw,inode64 0 0".
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
	name = kmalloc(PATH_MAX + OPTS_MAX);
	if (!lines || !name) {
		err = -ENOMEM;
		goto out_free;
	}
	for (m = mnt_next(NULL); m && i < n; m = mnt_next(m), i++) {
		lines[i].mnt = m;
		mnt_get(m);
		if (m->parent) {
			lines[i].mountpoint = (struct path){ m->parent,
							     m->mountpoint };
			path_get(&lines[i].mountpoint);
		}
	}
	n = i;
	for (i = 0; i < n; i++) {
		const struct path *mp = &lines[i].mountpoint;
		struct mount *lm = lines[i].mnt;
		int len = 1;

		if (mp->inode)
			len = path_to_string(mp, name, PATH_MAX);
		else
			strlcpy(name, "/", PATH_MAX);
		if (len < 0)
			continue;	/* outside the reader's root */
		pb_mangle(b, lm->source);
		pb_printf(b, " ");
		pb_mangle(b, name);
		pb_printf(b, " ");
		pb_mangle(b, lm->sb->type->name);
		pb_printf(b, " ");
		mount_options(b, lm, name + PATH_MAX);
		pb_printf(b, " 0 0\n");
	}
	for (i = 0; i < n; i++) {
		path_put(&lines[i].mountpoint);
		mnt_put(lines[i].mnt);
	}
out_free:
	kfree(name);
	kfree(lines);
	return err;
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
