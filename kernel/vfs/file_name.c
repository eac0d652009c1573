/*
 * Names of open files, for /proc/<pid>/fd, exe and maps. A directory is
 * named by walking up its parents (path_to_string), but other files have
 * no parent to walk to, so each one opened by name records the directory
 * (a referenced path) and the final component it was opened by, after
 * symlinks. Named files sit on one list, which rename walks to carry the
 * names of the files it moves along, as Linux's moved dentries do.
 *
 * Limits: names are matched by directory inode, so a rename through
 * another bind mount of the same directory re-bases the name onto the
 * renamer's mount; " (deleted)" is shown once the inode's last link is
 * gone (Linux also shows it when only the opened link was removed); a
 * file whose directory was removed cannot be named (-ENOENT).
 */
#include "vfs_internal.h"
#include <kernel/ns.h>
#include <aramid/string.h>
#include <platform/panic.h>
#include <platform/heap.h>
#include <uapi/errno.h>

#define DELETED_SUFFIX	" (deleted)"

/* A directory and a name in it, shared by the files that go by it. */
struct file_name {
	int refcount;
	struct path dir;	/* holds references */
	char last[];		/* the final component */
};

/* Every open file with a name (file->named), for rename. */
static LIST_HEAD(named_files);

/* A new name (refcount 1) for @last in @dir, or NULL. */
static struct file_name *fname_new(const struct path *dir, const char *last)
{
	size_t len = strlen(last);
	struct file_name *fn = kmalloc(sizeof(*fn) + len + 1);

	if (!fn)
		return NULL;
	fn->refcount = 1;
	fn->dir = *dir;
	path_get(dir);
	memcpy(fn->last, last, len + 1);
	return fn;
}

static void fname_put(struct file_name *fn)
{
	KASSERT(fn->refcount > 0);
	if (--fn->refcount > 0)
		return;
	path_put(&fn->dir);
	kfree(fn);
}

/*
 * Record where @f was found by the lookup in @nd (called by open before
 * the file is visible to anyone); through a magic link, the name of the
 * file it led to. Directories, the lookups that end in "." or ".." and
 * files in no mount need no name. Returns 0 or -ENOMEM.
 */
int file_name_set(struct file *f, const struct nameidata *nd)
{
	if (nd->magic) {
		file_name_share(f, nd->magic);	/* the file's own name */
		return 0;
	}
	if (nd->last_type != LAST_NORM || S_ISDIR(f->inode->mode))
		return 0;
	if (!nd->path.mnt)
		return 0;	/* a namespace's file, named by its kind */
	return file_name_set_at(f, &nd->parent, nd->last);
}

/* Let @f go by @last in @dir (an unnamed file): 0 or -ENOMEM. */
int file_name_set_at(struct file *f, const struct path *dir, const char *last)
{
	f->name = fname_new(dir, last);
	if (!f->name)
		return -ENOMEM;
	list_add_tail(&f->named, &named_files);
	return 0;
}

/* Let @dst, a new file on @src's inode, go by @src's name too. */
void file_name_share(struct file *dst, const struct file *src)
{
	if (!src->name)
		return;
	src->name->refcount++;
	dst->name = src->name;
	list_add_tail(&dst->named, &named_files);
}

/* See include/kernel/vfs.h. */
int file_sibling_path(struct file *f, const char *name, struct path *out)
{
	struct inode *inode;
	struct mount *m;
	int err;

	if (!f->name)
		return -ENOENT;
	err = vop_lookup(f->name->dir.inode, name, &inode);
	if (err)
		return err;
	out->mnt = f->name->dir.mnt;
	out->inode = inode;
	while (out->mnt && (m = mnt_lookup_child(out->mnt, out->inode))) {
		iput(out->inode);
		out->mnt = m;
		out->inode = m->root;
		iget(out->inode);
	}
	if (out->mnt)
		mnt_get(out->mnt);
	return 0;
}

/* Forget @f's name, if it has one (its last reference is going). */
void file_name_drop(struct file *f)
{
	if (!f->name)
		return;
	list_del(&f->named);
	fname_put(f->name);
	f->name = NULL;
}

/*
 * Allocate the names the files renamed from @o to @n (and, for
 * RENAME_EXCHANGE, from @n to @o) will take, before anything changes.
 * @o and @n must stay valid until rename_names_release. 0 or -ENOMEM.
 */
int rename_names_prepare(struct rename_names *rn, const struct nameidata *o,
			 const struct nameidata *n, unsigned flags)
{
	*rn = (struct rename_names){
		.o = o, .n = n, .flags = flags,
		.oi = o->path.inode, .ni = n->path.inode,
	};
	rn->to_new = fname_new(&n->parent, n->last);
	if (!rn->to_new)
		return -ENOMEM;
	if (flags & RENAME_EXCHANGE) {
		rn->to_old = fname_new(&o->parent, o->last);
		if (!rn->to_old) {
			fname_put(rn->to_new);
			rn->to_new = NULL;
			return -ENOMEM;
		}
	}
	return 0;
}

/* True if @f is @inode opened as @last in directory @dir. */
static bool named_as(const struct file *f, struct inode *inode,
		     const struct path *dir, const char *last)
{
	return f->inode == inode && f->name->dir.inode == dir->inode &&
	       !strcmp(f->name->last, last);
}

/*
 * The rename prepared in @rn has happened: the files opened by the old
 * name go by the new one (and the other way round for an exchange).
 * A file that was replaced keeps its name; its nlink tells it is gone.
 */
void rename_names_apply(struct rename_names *rn)
{
	bool exchange = rn->flags & RENAME_EXCHANGE;
	struct file *f;

	list_for_each_entry(f, &named_files, named) {
		struct file_name *to;

		if (named_as(f, rn->oi, &rn->o->parent, rn->o->last))
			to = rn->to_new;
		else if (exchange &&
			 named_as(f, rn->ni, &rn->n->parent, rn->n->last))
			to = rn->to_old;
		else
			continue;
		to->refcount++;
		fname_put(f->name);
		f->name = to;
	}
}

/* Drop the references rename_names_prepare took. */
void rename_names_release(struct rename_names *rn)
{
	if (rn->to_new)
		fname_put(rn->to_new);
	if (rn->to_old)
		fname_put(rn->to_old);
}

/* See vfs_internal.h. */
struct inode *file_name_dir(const struct file *f, const char **last)
{
	if (!f->name)
		return NULL;
	*last = f->name->last;
	return f->name->dir.inode;
}

/* See vfs_internal.h. */
struct entry_name file_entry_name(const struct file *f)
{
	struct entry_name at = { NULL, NULL };

	at.dir = file_name_dir(f, &at.name);
	return at;
}

/* "<dir>/<last>", " (deleted)" if unlinked, into @buf: length or -errno. */
static int named_string(struct file *f, char *buf, size_t len)
{
	const char *tail = f->inode->nlink ? "" : DELETED_SUFFIX;
	size_t dlen, nlen = strlen(f->name->last), tlen = strlen(tail);
	int n;

	n = path_to_string(&f->name->dir, buf, len);
	if (n < 0)
		return n;
	dlen = n == 1 ? 0 : (size_t)n;	/* "/": no separator to add */
	if (dlen + 1 + nlen + tlen + 1 > len)
		return -ERANGE;
	buf[dlen] = '/';
	memcpy(buf + dlen + 1, f->name->last, nlen);
	memcpy(buf + dlen + 1 + nlen, tail, tlen + 1);
	return (int)(dlen + 1 + nlen + tlen);
}

/* See vfs.h. */
int file_path_string(struct file *f, char *buf, size_t len)
{
	const char *kind = "anon_inode:";
	int n;

	if (f->name)
		return named_string(f, buf, len);
	if (ns_of_inode(f->inode)) {
		n = (int)ns_link_text(ns_of_inode(f->inode), buf, len);
		if ((size_t)n >= len)
			return -ERANGE;
		buf[n] = '\0';
		return n;
	}
	if (f->path.inode)
		return path_to_string(&f->path, buf, len);
	if (anon_inode_name(f->inode)) {
		n = snprintf(buf, len, "%s%s", kind, anon_inode_name(f->inode));
		return n >= 0 && (size_t)n < len ? n : -ERANGE;
	}
	if (S_ISFIFO(f->inode->mode))
		kind = "pipe:";
	else if (S_ISSOCK(f->inode->mode))
		kind = "socket:";
	n = snprintf(buf, len, "%s[%lu]", kind, (unsigned long)f->inode->ino);
	return n >= 0 && (size_t)n < len ? n : -ERANGE;
}
