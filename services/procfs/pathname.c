/*
 * Names of open files for /proc/<pid>/fd, exe and maps. The VFS names
 * directories (path_to_string walks their parents) but keeps no name for
 * other files, so a non-directory is found by a depth-first search of its
 * filesystem for its inode number, and named as "<its directory>/<name>".
 * The search reads directories through the VFS wrappers like any other
 * reader; it is bounded in depth and costs one pass over the tree.
 */
#include "procfs.h"
#include <kernel/vfs_ops.h>
#include <aramid/string.h>
#include <platform/heap.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>

#define SEARCH_DEPTH	32

struct name_scan {
	struct dir_context ctx;
	ino_t want;
	char *name;		/* NAME_MAX + 1 bytes: the name, once found */
	bool found;
	struct proc_buf subdirs; /* names of subdirectories, NUL-separated */
};

static bool is_dot_name(const char *name, size_t len)
{
	return (len == 1 && name[0] == '.') ||
	       (len == 2 && name[0] == '.' && name[1] == '.');
}

static bool scan_emit(struct dir_context *ctx, const char *name, size_t len,
		      ino_t ino, unsigned type)
{
	struct name_scan *s = container_of(ctx, struct name_scan, ctx);

	if (len > NAME_MAX || is_dot_name(name, len))
		return true;
	if (ino == s->want && type != DT_DIR) {
		memcpy(s->name, name, len);
		s->name[len] = '\0';
		s->found = true;
		return false;
	}
	if (type == DT_DIR || type == DT_UNKNOWN) {
		pb_write(&s->subdirs, name, len);
		pb_write(&s->subdirs, "", 1);
	}
	return true;
}

/*
 * Search @dir and below (@depth levels at most) for inode @want. On 0,
 * *@parent holds a reference to the directory that names it and @name
 * the name; -ENOENT if it is not there.
 */
static int search_dir(struct inode *dir, ino_t want, char *name, int depth,
		      struct inode **parent)
{
	struct name_scan s = {
		.ctx = { .emit = scan_emit, .pos = 0 },
		.want = want,
		.name = name,
	};
	struct file *f;
	size_t off;
	int err;

	if (depth <= 0)
		return -ENOENT;
	f = file_alloc(dir, NULL, O_RDONLY | O_DIRECTORY);
	if (!f)
		return -ENOMEM;
	pb_init(&s.subdirs);
	err = vop_readdir(f, &s.ctx);
	fput(f);
	if (!err)
		err = s.subdirs.error;
	if (err)
		goto out_free;
	if (s.found) {
		iget(dir);
		*parent = dir;
		goto out_free;
	}
	err = -ENOENT;
	for (off = 0; off < s.subdirs.len && err == -ENOENT;
	     off += strlen(s.subdirs.data + off) + 1) {
		struct inode *child;

		if (vop_lookup(dir, s.subdirs.data + off, &child))
			continue;
		if (S_ISDIR(child->mode) && child->sb == dir->sb)
			err = search_dir(child, want, name, depth - 1, parent);
		iput(child);
	}
out_free:
	pb_free(&s.subdirs);
	return err;
}

/*
 * The absolute name of @p as seen from the current root, NUL-terminated
 * in @buf of @len bytes: its length, or -ENOENT (not found, e.g. an
 * unlinked file), -ERANGE (too long for @buf), -ENOMEM.
 */
int proc_path_name(const struct path *p, char *buf, size_t len)
{
	struct inode *dir = NULL, *root = p->inode->sb ? p->inode->sb->root :
					  NULL;
	size_t dlen, nlen;
	char *name;
	int n;

	if (S_ISDIR(p->inode->mode))
		return path_to_string(p, buf, len);
	if (!root)
		return -ENOENT;
	name = kmalloc(NAME_MAX + 1);
	if (!name)
		return -ENOMEM;
	n = search_dir(root, p->inode->ino, name, SEARCH_DEPTH, &dir);
	if (n)
		goto out_free;
	n = path_to_string(&(struct path){ p->mnt, dir }, buf, len);
	iput(dir);
	if (n < 0)
		goto out_free;
	dlen = (size_t)n;
	if (dlen == 1)		/* "/": no separator to add */
		dlen = 0;
	nlen = strlen(name);
	if (dlen + 1 + nlen + 1 > len) {
		n = -ERANGE;
		goto out_free;
	}
	buf[dlen] = '/';
	memcpy(buf + dlen + 1, name, nlen + 1);
	n = (int)(dlen + 1 + nlen);
out_free:
	kfree(name);
	return n;
}

/*
 * The target text of /proc/<pid>/fd/N for @f: the file's name, or for
 * files without one "pipe:[ino]", "socket:[ino]", "anon_inode:[ino]".
 * Length, or -errno as proc_path_name.
 */
int proc_file_name(const struct file *f, char *buf, size_t len)
{
	const struct inode *inode = f->inode;
	const char *kind = "anon_inode:";
	int n;

	if (f->path.inode)
		return proc_path_name(&f->path, buf, len);
	if (S_ISFIFO(inode->mode))
		kind = "pipe:";
	else if (S_ISSOCK(inode->mode))
		kind = "socket:";
	n = snprintf(buf, len, "%s[%lu]", kind, inode->ino);
	return (size_t)n < len ? n : -ERANGE;
}
