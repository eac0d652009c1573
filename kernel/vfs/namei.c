/*
 * Path resolution: names to (mount, inode) paths, relative to a dirfd,
 * the working directory or the root, with "." and "..", mount crossing
 * in both directions and symlinks (at most MAXSYMLINKS per lookup); a
 * magic link (/proc/PID/fd/N) leads to the open file itself, as on Linux.
 * Each directory walked through needs search permission (EACCES).
 * openat2's restrictions apply here too (LOOKUP_NO_XDEV...): no mount
 * crossed, no (magic) link followed, or the walk scoped to the dirfd,
 * beneath it or with it as the root, as Linux's path walk does.
 */
#include "vfs_internal.h"
#include <kernel/task.h>
#include <kernel/mm.h>
#include <kernel/ns.h>
#include <aramid/string.h>
#include <platform/heap.h>
#include <platform/usercopy.h>
#include <uapi/errno.h>
#include <uapi/clone.h>

#define MAXSYMLINKS	40

struct walk {
	struct path root;	/* "/": the task's, or the dirfd if scoped */
	struct path cur;	/* the directory being walked; references */
	unsigned flags;		/* LOOKUP_* */
	int nlinks;
	char *buf;		/* the expanded name after a symlink, or NULL */
};

static void path_set(struct path *dst, const struct path *src)
{
	path_get(src);
	path_put(dst);
	*dst = *src;
}

/* The starting directory for a relative name: cwd or @dfd's file. */
static int dfd_path(int dfd, struct path *out, bool need_dir)
{
	struct file *f;

	if (dfd == AT_FDCWD) {
		*out = current_fs()->cwd;
		path_get(out);
		return 0;
	}
	f = fd_get(dfd);
	if (!f)
		return -EBADF;
	if (f->path.inode)
		*out = f->path;
	else
		*out = (struct path){ NULL, f->inode };
	fput(f);
	if (need_dir && !S_ISDIR(out->inode->mode))
		return -ENOTDIR;
	path_get(out);
	return 0;
}

/*
 * Step from w->cur to its parent, crossing mounts upward (".."); at the
 * root it stays, or is EXDEV beneath a dirfd, as is crossing a mount
 * under LOOKUP_NO_XDEV (Linux's follow_dotdot).
 */
static int follow_dotdot(struct walk *w)
{
	struct inode *parent;
	int err;

	for (;;) {
		struct mount *m = w->cur.mnt;

		if (w->cur.inode == w->root.inode && m == w->root.mnt)
			goto in_root;
		if (!m || w->cur.inode != m->root)
			break;
		if (!m->parent)
			goto in_root;
		path_set(&w->cur, &(struct path){ m->parent, m->mountpoint });
		if (w->flags & LOOKUP_NO_XDEV)
			return -EXDEV;
	}
	err = vop_parent(w->cur.inode, &parent);
	if (err)
		return err;
	iput(w->cur.inode);
	w->cur.inode = parent;
	return 0;
in_root:
	return (w->flags & LOOKUP_BENEATH) ? -EXDEV : 0;
}

/* Cross onto whatever is mounted on @p, repeatedly: whether it did. */
static bool follow_mounts(struct path *p)
{
	struct mount *m;
	bool crossed = false;

	while (p->mnt && (m = mnt_lookup_child(p->mnt, p->inode))) {
		path_set(p, &(struct path){ m, m->root });
		crossed = true;
	}
	return crossed;
}

/*
 * Look up component @name in w->cur: 0 and *@out with references;
 * -EXDEV for a mount point under LOOKUP_NO_XDEV.
 */
static int lookup_one(struct walk *w, const char *name, struct path *out)
{
	struct inode *inode;
	int err;

	err = vop_lookup(w->cur.inode, name, &inode);
	if (err)
		return err;
	out->mnt = w->cur.mnt;
	if (out->mnt)
		mnt_get(out->mnt);
	out->inode = inode;
	if (follow_mounts(out) && (w->flags & LOOKUP_NO_XDEV)) {
		path_put(out);
		return -EXDEV;
	}
	return 0;
}

/*
 * Go to w->root for a name or link text starting with '/' (Linux's
 * nd_jump_root): EXDEV beneath a dirfd, or under LOOKUP_NO_XDEV from
 * another mount.
 */
static int jump_root(struct walk *w)
{
	if (w->flags & LOOKUP_BENEATH)
		return -EXDEV;
	if ((w->flags & LOOKUP_NO_XDEV) && w->cur.mnt != w->root.mnt)
		return -EXDEV;
	path_set(&w->cur, &w->root);
	return 0;
}

/*
 * Whether a symlink may be followed (Linux's pick_link and
 * nd_jump_link): ELOOP under LOOKUP_NO_SYMLINKS; a magic link standing
 * leading to @magic (NULL for ordinary ones) is ELOOP under
 * LOOKUP_NO_MAGICLINKS and EXDEV to another mount under LOOKUP_NO_XDEV
 * or in a scoped walk.
 */
static int may_follow(struct walk *w, const struct path *magic)
{
	if (w->flags & LOOKUP_NO_SYMLINKS)
		return -ELOOP;
	if (!magic)
		return 0;
	if (w->flags & LOOKUP_NO_MAGICLINKS)
		return -ELOOP;
	if ((w->flags & LOOKUP_NO_XDEV) && magic->mnt != w->cur.mnt)
		return -EXDEV;
	return (w->flags & LOOKUP_SCOPED) ? -EXDEV : 0;
}

/*
 * Replace the name being walked by @link's target followed by @rest
 * (joined by '/' when @rest is not empty). Returns the new name to walk,
 * or an ERR_PTR.
 */
static const char *expand_link(struct walk *w, struct inode *link,
			       const char *rest)
{
	size_t rlen = strlen(rest);
	char *nbuf;
	ssize_t len;

	if (++w->nlinks > MAXSYMLINKS)
		return ERR_PTR(-ELOOP);
	nbuf = kmalloc(PATH_MAX);
	if (!nbuf)
		return ERR_PTR(-ENOMEM);
	len = vop_readlink(link, nbuf, PATH_MAX);
	if (len >= 0 && len + 1 + rlen >= PATH_MAX)
		len = -ENAMETOOLONG;
	if (len == 0)
		len = -ENOENT;
	if (len < 0) {
		kfree(nbuf);
		return ERR_PTR(len);
	}
	if (rlen) {
		nbuf[len++] = '/';
		memcpy(nbuf + len, rest, rlen);
	}
	nbuf[len + rlen] = '\0';
	kfree(w->buf);		/* @rest may point into it: copied above */
	w->buf = nbuf;
	return nbuf;
}

/*
 * Where a /proc/PID/ns link of @t leads (@fd: its LINK_FD_NS_*): the
 * nsfs inode of that namespace, in no mount. 1, -ENOENT once @t has
 * exited, -ENOMEM.
 */
static int ns_jump(struct task *t, int fd, struct path *to)
{
	struct ns_common *ns = NULL;

	if (t && fd == LINK_FD_NS_UTS)
		ns = task_ns(t, CLONE_NEWUTS);
	else if (t && fd == LINK_FD_NS_MNT)
		ns = task_ns(t, CLONE_NEWNS);
	else if (t && fd == LINK_FD_NS_PID)
		ns = task_ns(t, CLONE_NEWPID);
	else if (t && fd == LINK_FD_NS_IPC)
		ns = task_ns(t, CLONE_NEWIPC);
	else if (t && fd == LINK_FD_NS_TIME)
		ns = task_ns(t, CLONE_NEWTIME);
	else if (t && fd == LINK_FD_NS_TIME_CHILDREN)
		ns = task_time_ns_children(t);
	else if (t && fd == LINK_FD_NS_USER)
		ns = task_ns(t, CLONE_NEWUSER);
	else if (t)
		ns = task_pid_ns_children(t);
	if (!ns)
		return -ENOENT;
	to->mnt = NULL;
	to->inode = ns_inode_get(ns);
	return to->inode ? 1 : -ENOMEM;
}

/*
 * If @link is a magic link, where it leads (Linux's nd_jump_link): 1,
 * *@to (references) and *@file, the open file it stands for (with a
 * reference; NULL for /proc/PID/cwd and root, which are directories);
 * 0 for an ordinary link and for a file without a path but a pipe
 * (its link text fails to resolve, as before); -ENXIO for a socket;
 * -ENOENT once the descriptor is closed or the task gone, -ELOOP.
 */
static int magic_link(struct walk *w, struct inode *link, struct path *to,
		      struct file **file)
{
	struct task *t;
	struct file *f;
	pid_t pid;
	int fd, err;

	*file = NULL;
	err = vop_link_fd(link, &pid, &fd);
	if (err == -EINVAL)
		return 0;
	if (err)
		return err;
	if (++w->nlinks > MAXSYMLINKS)
		return -ELOOP;
	t = task_find(pid);
	if (fd == LINK_FD_CWD || fd == LINK_FD_ROOT) {
		if (!t || !t->fs)
			return -ENOENT;
		*to = fd == LINK_FD_CWD ? t->fs->cwd : t->fs->root;
		path_get(to);
		return 1;
	}
	if (fd == LINK_FD_NS_UTS || fd == LINK_FD_NS_MNT ||
	    fd == LINK_FD_NS_PID || fd == LINK_FD_NS_PID_CHILDREN ||
	    fd == LINK_FD_NS_IPC || fd == LINK_FD_NS_TIME ||
	    fd == LINK_FD_NS_TIME_CHILDREN || fd == LINK_FD_NS_USER)
		return ns_jump(t, fd, to);
	if (fd == LINK_FD_EXE)
		f = t && t->mm ? t->mm->exe_file : NULL;
	else
		f = t && t->files ? files_peek(t->files, fd) : NULL;
	if (!f)
		return -ENOENT;
	if (!f->path.inode) {
		/*
		 * A pipe is reopened by its inode, as a FIFO (Linux's pipefs
		 * dentry); a socket cannot be opened (ENXIO); other files
		 * without a path resolve their link text, as before.
		 */
		if (S_ISSOCK(f->inode->mode))
			return -ENXIO;
		if (!S_ISFIFO(f->inode->mode))
			return 0;
	}
	fget(f);
	*file = f;
	*to = f->path.inode ? f->path : (struct path){ NULL, f->inode };
	path_get(to);
	return 1;
}

/*
 * Walk every component of @name but the last, leaving w->cur at the
 * directory that holds it and the last component in @nd.
 */
static int walk_components(struct walk *w, const char *name,
			   struct nameidata *nd)
{
	const char *p = name;
	int err;

restart:
	if (*p == '/') {
		err = jump_root(w);
		if (err)
			return err;
		while (*p == '/')
			p++;
	}
	if (!*p) {
		nd->last[0] = '\0';
		nd->last_type = LAST_ROOT;
		nd->trailing_slash = false;
		return 0;
	}
	for (;;) {
		const char *next;
		char comp[NAME_MAX + 1];
		size_t len = 0;
		bool slash;
		struct path child;

		/* Every component needs search permission on its directory. */
		err = inode_permission(w->cur.inode, MAY_EXEC);
		if (err)
			return err;
		while (p[len] && p[len] != '/')
			len++;
		if (len > NAME_MAX)
			return -ENAMETOOLONG;
		next = p + len;
		slash = *next == '/';
		while (*next == '/')
			next++;
		memcpy(comp, p, len);
		comp[len] = '\0';
		if (!*next) {
			memcpy(nd->last, comp, len + 1);
			nd->trailing_slash = slash;
			if (!strcmp(comp, "."))
				nd->last_type = LAST_DOT;
			else if (!strcmp(comp, ".."))
				nd->last_type = LAST_DOTDOT;
			else
				nd->last_type = LAST_NORM;
			return 0;
		}
		p = next;
		if (!strcmp(comp, "."))
			continue;
		if (!strcmp(comp, "..")) {
			err = follow_dotdot(w);
			if (err)
				return err;
			continue;
		}
		err = lookup_one(w, comp, &child);
		if (err)
			return err;
		if (S_ISLNK(child.inode->mode)) {
			struct file *f = NULL;
			struct path to;

			err = may_follow(w, NULL);
			if (!err)
				err = magic_link(w, child.inode, &to, &f);
			if (err) {
				path_put(&child);
				if (err < 0)
					return err;
				if (f)
					fput(f);
				err = may_follow(w, &to);
				if (!err)
					path_set(&w->cur, &to);
				path_put(&to);
				if (err)
					return err;
				if (!S_ISDIR(w->cur.inode->mode))
					return -ENOTDIR;
				continue;
			}
			p = expand_link(w, child.inode, p);
			path_put(&child);
			if (IS_ERR(p))
				return PTR_ERR(p);
			goto restart;
		}
		if (!S_ISDIR(child.inode->mode)) {
			path_put(&child);
			return -ENOTDIR;
		}
		path_put(&w->cur);
		w->cur = child;
	}
}

/*
 * Follow the last component, a symlink in nd->path: 1 if it was a
 * magic link, nd->path now where it led (nd->magic the file it stood
 * for, or NULL); 0 to walk its text; or -errno with nd->path released.
 */
static int final_magic(struct walk *w, struct nameidata *nd)
{
	struct path to;
	int err = may_follow(w, NULL);

	if (!err)
		err = magic_link(w, nd->path.inode, &to, &nd->magic);
	if (err > 0) {
		err = may_follow(w, &to);
		path_put(&nd->path);
		nd->path = to;
		if (!err)
			return 1;
	}
	if (err < 0) {
		path_put(&nd->path);
		nd->path = (struct path){ NULL, NULL };
		if (nd->magic)
			fput(nd->magic);
		nd->magic = NULL;
	}
	return err;
}

/*
 * Where the walk of @name starts (Linux's path_init), with references:
 * w->root is the task's root, or the dirfd for a scoped walk; w->cur
 * the root for an absolute name (EXDEV beneath a dirfd), else @dfd's
 * directory or the working directory.
 */
static int walk_start(struct walk *w, int dfd, const char *name)
{
	int err;

	if (*name == '/' && !(w->flags & LOOKUP_IN_ROOT)) {
		if (w->flags & LOOKUP_BENEATH)
			return -EXDEV;
		w->root = current_fs()->root;
		path_get(&w->root);
		w->cur = w->root;
		path_get(&w->cur);
		return 0;
	}
	err = dfd_path(dfd, &w->cur, true);
	if (err)
		return err;
	w->root = (w->flags & LOOKUP_SCOPED) ? w->cur : current_fs()->root;
	path_get(&w->root);
	return 0;
}

/*
 * Resolve @name relative to @dfd (see vfs_internal.h for the flags).
 * Process context. Returns 0 with references in @nd, or -errno.
 */
int namei(int dfd, const char *name, unsigned flags, struct nameidata *nd)
{
	struct walk w = { .flags = flags };
	const char *p = name;
	int err;

	memset(nd, 0, sizeof(*nd));
	if (!*name) {
		if (!(flags & LOOKUP_EMPTY))
			return -ENOENT;
		err = dfd_path(dfd, &nd->path, false);
		if (err)
			return err;
		nd->parent = nd->path;
		path_get(&nd->parent);
		nd->last_type = LAST_DOT;
		goto check_dir;
	}
	err = walk_start(&w, dfd, name);
	if (err)
		return err;
	for (;;) {
		err = walk_components(&w, p, nd);
		if (err)
			goto err_put;
		if (nd->last_type != LAST_NORM) {
			nd->parent = w.cur;
			path_get(&nd->parent);
			if (nd->last_type == LAST_DOTDOT) {
				err = follow_dotdot(&w);
				if (err)
					goto err_put;
			}
			nd->path = w.cur;
			w.cur = (struct path){ NULL, NULL };
			break;
		}
		err = lookup_one(&w, nd->last, &nd->path);
		if (err == -ENOENT && (flags & LOOKUP_CREATE) &&
		    ((flags & LOOKUP_ANY_NEGATIVE) ||
		     !(w.cur.inode->sb->type->flags & FS_NO_NEGATIVE))) {
			nd->path = (struct path){ w.cur.mnt, NULL };
			if (nd->path.mnt)
				mnt_get(nd->path.mnt);
			err = 0;
		}
		if (err)
			goto err_put;
		/* A final symlink is followed when asked, or for a trailing
		 * slash; never for a creating call's "name/", which is judged
		 * as it stands (open(O_CREAT) of "link/" is EISDIR). */
		if (nd->path.inode && S_ISLNK(nd->path.inode->mode) &&
		    ((flags & LOOKUP_FOLLOW) || nd->trailing_slash) &&
		    !(nd->trailing_slash && (flags & LOOKUP_CREATE))) {
			err = final_magic(&w, nd);
			if (err < 0)
				goto err_put;
			if (err) {
				nd->parent = w.cur;
				break;
			}
			p = expand_link(&w, nd->path.inode,
					nd->trailing_slash ? "." : "");
			path_put(&nd->path);
			nd->path = (struct path){ NULL, NULL };
			if (IS_ERR(p)) {
				err = PTR_ERR(p);
				goto err_put;
			}
			continue;
		}
		nd->parent = w.cur;
		break;
	}
	path_put(&w.root);
	kfree(w.buf);
	if ((flags & LOOKUP_MOUNTPOINT) && nd->path.inode)
		follow_mounts(&nd->path);
check_dir:
	/* Creating calls judge a trailing slash themselves (EEXIST first). */
	if (nd->path.inode && !S_ISDIR(nd->path.inode->mode) &&
	    ((nd->trailing_slash && !(flags & LOOKUP_CREATE)) ||
	     (flags & LOOKUP_DIRECTORY))) {
		nd_put(nd);
		return -ENOTDIR;
	}
	return 0;

err_put:
	path_put(&w.root);
	path_put(&w.cur);
	path_put(&nd->parent);
	kfree(w.buf);
	memset(nd, 0, sizeof(*nd));
	return err;
}

/* Release the references namei() left in @nd. */
void nd_put(struct nameidata *nd)
{
	if (nd->magic)
		fput(nd->magic);
	path_put(&nd->path);
	path_put(&nd->parent);
	memset(nd, 0, sizeof(*nd));
}

/* Resolve @name to one existing path with references: 0 or -errno. */
int path_lookup(int dfd, const char *name, unsigned flags, struct path *out)
{
	struct nameidata *nd = kmalloc(sizeof(*nd));
	int err;

	if (!nd)
		return -ENOMEM;
	err = namei(dfd, name, flags & ~LOOKUP_CREATE, nd);
	if (!err) {
		*out = nd->path;
		path_put(&nd->parent);
		if (nd->magic)
			fput(nd->magic);
	}
	kfree(nd);
	return err;
}

/* A kernel copy of user path @name (kfree it), or an ERR_PTR. */
char *getname(uptr_t name)
{
	char *buf = kmalloc(PATH_MAX);
	long len;

	if (!buf)
		return ERR_PTR(-ENOMEM);
	len = strncpy_from_user(buf, name, PATH_MAX);
	if (len < 0) {
		kfree(buf);
		return ERR_PTR(len);
	}
	return buf;
}

/* path_lookup() on a user-space name. */
int user_path_at(int dfd, uptr_t name, unsigned flags, struct path *out)
{
	char *kname = getname(name);
	int err;

	if (IS_ERR(kname))
		return PTR_ERR(kname);
	err = path_lookup(dfd, kname, flags, out);
	kfree(kname);
	return err;
}

/* See vfs_internal.h. */
int user_namei(int dfd, uptr_t name, unsigned flags, struct nameidata *nd)
{
	char *kname = getname(name);
	int err;

	if (IS_ERR(kname))
		return PTR_ERR(kname);
	err = namei(dfd, kname, flags & ~LOOKUP_CREATE, nd);
	kfree(kname);
	return err;
}

/* See vfs_internal.h. */
struct entry_name nd_entry_name(const struct nameidata *nd)
{
	struct entry_name at = { NULL, NULL };

	if (nd->magic)
		return file_entry_name(nd->magic);
	if (nd->last_type == LAST_NORM) {
		at.dir = nd->parent.inode;
		at.name = nd->last;
	}
	return at;
}

/* True if @ancestor is @dir or above it within @dir's filesystem. */
bool is_ancestor(struct inode *ancestor, struct inode *dir)
{
	struct inode *cur = dir, *parent;
	bool found = false;

	iget(cur);
	for (;;) {
		if (cur == ancestor) {
			found = true;
			break;
		}
		if (vop_parent(cur, &parent))
			break;
		iput(cur);
		if (parent == cur) {
			cur = parent;
			break;
		}
		cur = parent;
	}
	iput(cur);
	return found;
}
