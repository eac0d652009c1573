/*
 * The mount table as /proc/mounts and mountinfo show it (mounts_walk,
 * include/svc/introspect.h), for procfs: each mount's ids, device, root,
 * source, mount point, type and options, in mount order, as Linux's
 * show_vfsmnt and show_mountinfo, of the caller's mount namespace, those
 * outside the caller's root (after a chroot) left out. The
 * list is copied, with references, before any mount point is named,
 * since naming may sleep in a filesystem while mounts come and go.
 */
#include <svc/introspect.h>
#include "vfs_internal.h"
#include "vfs_mount.h"
#include <aramid/compiler.h>
#include <aramid/string.h>
#include <platform/heap.h>
#include <uapi/errno.h>

#define OPTS_MAX	256

struct mount_ref {
	struct path mountpoint;		/* references held; mnt NULL at "/" */
	struct mount *mnt;		/* a reference held */
};

/*
 * The per-mount options into @buf (OPTS_MAX bytes): "rw" or "ro", then
 * the per-mount flags (show_mnt_opts).
 */
static void mount_options(struct mount *m, char *buf)
{
	static const struct { unsigned flag; const char *name; } flags[] = {
		{ MNT_NOSUID, ",nosuid" }, { MNT_NODEV, ",nodev" },
		{ MNT_NOEXEC, ",noexec" }, { MNT_NOATIME, ",noatime" },
		{ MNT_RELATIME, ",relatime" },
	};
	size_t len = strlcpy(buf, m->flags & MNT_READONLY ? "ro" : "rw",
			     OPTS_MAX);

	for (size_t i = 0; i < ARRAY_SIZE(flags); i++)
		if (m->flags & flags[i].flag)
			len += strlcpy(buf + len, flags[i].name, OPTS_MAX - len);
}

int file_mnt_id(const struct file *f)
{
	return f->path.mnt ? f->path.mnt->id : 0;
}

int mounts_walk(int (*fn)(void *arg, const struct mount_info *mi),
		void *arg)
{
	struct mnt_ns *ns = current_mnt_ns();
	const struct path *croot = &current_fs()->root;
	struct mount_ref *refs;
	struct mount *m = NULL;
	size_t n = 0, i = 0;
	char *name, *opts, *fs_opts, *root;
	int err = 0;

	while ((m = mnt_next(m)))
		n += m->ns == ns;
	refs = kzalloc((n ? n : 1) * sizeof(*refs));
	name = kmalloc(2 * PATH_MAX + 2 * OPTS_MAX);
	if (!refs || !name) {
		err = -ENOMEM;
		goto out_free;
	}
	root = name + PATH_MAX;
	opts = root + PATH_MAX;
	fs_opts = opts + OPTS_MAX;
	for (m = mnt_next(NULL); m && i < n; m = mnt_next(m)) {
		if (m->ns != ns)
			continue;
		refs[i].mnt = m;
		mnt_get(m);
		if (m->parent) {
			refs[i].mountpoint = (struct path){ m->parent,
							    m->mountpoint };
			path_get(&refs[i].mountpoint);
		}
		i++;
	}
	n = i;
	for (i = 0; i < n && !err; i++) {
		const struct path *mp = &refs[i].mountpoint;
		struct mount *lm = refs[i].mnt;
		struct mount_info mi;

		if (lm == croot->mnt && lm->root == croot->inode)
			strlcpy(name, "/", PATH_MAX);	/* the reader's root */
		else if (!mp->inode ||
			 path_to_string_within(mp, name, PATH_MAX) < 0)
			continue;	/* outside the reader's root */
		if (dir_name_in_fs(lm->root, root, PATH_MAX) < 0)
			continue;	/* a bind mount of a removed directory */
		mount_options(lm, opts);
		if (vop_show_options(lm->sb, fs_opts, OPTS_MAX) < 0)
			fs_opts[0] = '\0';
		mi = (struct mount_info){
			.id = lm->id,
			.parent_id = lm->parent ? lm->parent->id : lm->id,
			.dev = lm->sb->dev, .root = root,
			.source = lm->source, .mountpoint = name,
			.fstype = lm->sb->type->name,
			.mount_opts = opts, .fs_opts = fs_opts,
			.readonly = lm->sb->rdonly,
		};
		err = fn(arg, &mi);
	}
	for (i = 0; i < n; i++) {
		path_put(&refs[i].mountpoint);
		mnt_put(refs[i].mnt);
	}
out_free:
	kfree(name);
	kfree(refs);
	return err;
}
