/*
 * Per-process filesystem context (root and working directory) and the
 * reverse mapping from a path to its name, for getcwd and /proc links.
 */
#include "vfs_internal.h"
#include "vfs_mount.h"
#include <kernel/task.h>
#include <aramid/string.h>
#include <platform/panic.h>
#include <platform/heap.h>
#include <uapi/errno.h>

/* The boot context: rooted at the root mount, used until init has one. */
static struct fs_context init_fs = { .refcount = 1 };

/* Set the boot context to the root of @root (vfs_init). */
void fs_context_init_root(struct mount *root)
{
	init_fs.root = (struct path){ root, root->root };
	init_fs.cwd = init_fs.root;
	path_get(&init_fs.root);
	path_get(&init_fs.cwd);
}

/* The fs context of the running task, or the boot one before it has one. */
struct fs_context *current_fs(void)
{
	if (current && current->fs)
		return current->fs;
	return &init_fs;
}

/* The running task's umask; 0 for the kernel's own files at boot. */
mode_t current_umask(void)
{
	return current ? current->umask : 0;
}

/* A context (refcount 1) rooted at the boot root, or NULL: ENOMEM. */
struct fs_context *fs_context_new(void)
{
	return fs_context_dup(&init_fs);
}

/* A copy of @src for fork, or NULL when memory is short. */
struct fs_context *fs_context_dup(struct fs_context *src)
{
	struct fs_context *fs = kzalloc(sizeof(*fs));

	if (!fs)
		return NULL;
	fs->refcount = 1;
	fs->root = src->root;
	fs->cwd = src->cwd;
	path_get(&fs->root);
	path_get(&fs->cwd);
	return fs;
}

/* Share @fs with a new thread (CLONE_FS). */
void fs_context_get(struct fs_context *fs)
{
	fs->refcount++;
}

/* Drop a reference to @fs (NULL is ignored). */
void fs_context_put(struct fs_context *fs)
{
	if (!fs)
		return;
	KASSERT(fs->refcount > 0);
	if (--fs->refcount > 0)
		return;
	path_put(&fs->root);
	path_put(&fs->cwd);
	kfree(fs);
}

/* Point @slot, if it is @from, at @to instead. */
static void path_move(struct path *slot, const struct path *from,
		      const struct path *to)
{
	if (slot->mnt != from->mnt || slot->inode != from->inode)
		return;
	path_get(to);
	path_put(slot);
	*slot = *to;
}

/* See vfs_internal.h. */
void fs_contexts_move(const struct path *from, const struct path *to)
{
	struct task *t;

	path_move(&init_fs.root, from, to);
	path_move(&init_fs.cwd, from, to);
	for_each_task(t) {
		if (!t->fs)
			continue;
		path_move(&t->fs->root, from, to);
		path_move(&t->fs->cwd, from, to);
	}
}

struct name_search {
	struct dir_context ctx;
	ino_t ino;
	char *name;		/* NAME_MAX + 1 bytes */
	bool found;
};

static bool name_search_emit(struct dir_context *ctx, const char *name,
			     size_t len, ino_t ino, unsigned type)
{
	struct name_search *s = container_of(ctx, struct name_search, ctx);

	if (ino != s->ino || len > NAME_MAX ||
	    (len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.'))
		return true;
	memcpy(s->name, name, len);
	s->name[len] = '\0';
	s->found = true;
	return false;
}

/* The name of @child in directory @dir, into @name: 0 or -ENOENT. */
static int dir_find_name(struct inode *dir, struct inode *child, char *name)
{
	struct name_search s = {
		.ctx = { .emit = name_search_emit, .pos = 0 },
		.ino = child->ino,
		.name = name,
	};
	struct file *f = file_alloc(dir, NULL, O_RDONLY | O_DIRECTORY);
	int err;

	if (!f)
		return -ENOMEM;
	err = vop_readdir(f, &s.ctx);
	fput(f);
	if (err)
		return err;
	return s.found ? 0 : -ENOENT;
}

/* Prepend "/" @name to the string that ends at buf + len; new start. */
static int prepend(char *buf, int start, const char *name)
{
	int n = strlen(name);

	if (start < n + 1)
		return -ENAMETOOLONG;
	start -= n;
	memcpy(buf + start, name, n);
	buf[--start] = '/';
	return start;
}

/*
 * The name of directory @p as seen from @root (up to the top of the tree
 * if @root is not above it), as path_to_string returns it; @unreachable
 * (if given) tells which.
 */
static int name_from(const struct path *p, const struct path *root,
		     char *buf, size_t len, bool *unreachable)
{
	struct mount *mnt = p->mnt;
	struct inode *inode = p->inode;
	char *tmp, *name;
	int start = PATH_MAX - 1, err = 0;

	if (!S_ISDIR(inode->mode))
		return -ENOTDIR;
	tmp = kmalloc(PATH_MAX + NAME_MAX + 1);
	if (!tmp)
		return -ENOMEM;
	name = tmp + PATH_MAX;
	tmp[start] = '\0';
	if (unreachable)
		*unreachable = false;
	iget(inode);
	while (!(inode == root->inode && mnt == root->mnt)) {
		struct inode *parent;

		if (mnt && inode == mnt->root) {
			if (!mnt->parent) {	/* outside the current root */
				if (unreachable)
					*unreachable = true;
				break;
			}
			iput(inode);
			inode = mnt->mountpoint;
			iget(inode);
			mnt = mnt->parent;
			continue;
		}
		err = vop_parent(inode, &parent);
		if (!err && parent == inode) {
			iput(parent);
			err = -ENOENT;
		}
		if (err) {
			iput(inode);
			goto out_free;
		}
		err = dir_find_name(parent, inode, name);
		if (!err)
			err = prepend(tmp, start, name);
		iput(inode);
		inode = parent;
		if (err < 0) {
			iput(inode);
			goto out_free;
		}
		start = err;
		err = 0;
	}
	iput(inode);
	if (start == PATH_MAX - 1)
		tmp[--start] = '/';
	if ((size_t)(PATH_MAX - start) > len) {
		err = -ERANGE;
		goto out_free;
	}
	memcpy(buf, tmp + start, PATH_MAX - start);
	err = PATH_MAX - 1 - start;
out_free:
	kfree(tmp);
	return err;
}

/*
 * Write the absolute name of directory @p, as seen from the current root,
 * into @buf of @len bytes (NUL-terminated). Returns the length without
 * the NUL, -ERANGE if @buf is too small, -ENOENT for a removed directory,
 * or -ENOTDIR for a non-directory (whose parent is unknown).
 */
int path_to_string(const struct path *p, char *buf, size_t len)
{
	return name_from(p, &current_fs()->root, buf, len, NULL);
}

/* See vfs_internal.h. */
int path_to_string_within(const struct path *p, char *buf, size_t len)
{
	bool outside;
	int ret = name_from(p, &current_fs()->root, buf, len, &outside);

	return ret >= 0 && outside ? -ENOENT : ret;
}

/* See include/kernel/vfs.h. */
int cwd_to_string(char *buf, size_t len)
{
	static const char mark[] = "(unreachable)";
	const size_t n = sizeof(mark) - 1;
	bool outside;
	int ret;

	ret = name_from(&current_fs()->cwd, &current_fs()->root, buf, len,
			&outside);
	if (ret < 0 || !outside)
		return ret;
	if ((size_t)ret + 1 + n > len)
		return -ERANGE;
	memmove(buf + n, buf, (size_t)ret + 1);
	memcpy(buf, mark, n);
	return ret + (int)n;
}

int dir_name_in_fs(struct inode *dir, char *buf, size_t len)
{
	const struct path p = { NULL, dir }, top = { NULL, dir->sb->root };

	return name_from(&p, &top, buf, len, NULL);
}
