/*
 * Open file objects: allocation and reference counting, and the
 * (mount, inode) path references they and the fs contexts hold.
 */
#include "vfs_internal.h"
#include <kernel/event.h>
#include "dnotify.h"
#include "file_lock.h"
#include <kernel/fasync.h>
#include <kernel/fsnotify.h>
#include <platform/panic.h>
#include <platform/heap.h>

/* Open file objects in existence, for fs.file-nr. */
static unsigned long nr_files;

/* See include/kernel/vfs.h. */
unsigned long files_count(void)
{
	return nr_files;
}

/* Take references to both halves of @p (either may be NULL). */
void path_get(const struct path *p)
{
	if (p->mnt)
		mnt_get(p->mnt);
	if (p->inode)
		iget(p->inode);
}

/* Drop the references path_get took. */
void path_put(const struct path *p)
{
	if (p->inode)
		iput(p->inode);
	if (p->mnt)
		mnt_put(p->mnt);
}

/* See vfs_internal.h. */
bool file_can_direct_io(const struct file *f)
{
	const struct inode *inode = f->inode;

	return S_ISBLK(inode->mode) ||
	       (S_ISREG(inode->mode) && inode->sb && inode->sb->type &&
		(inode->sb->type->flags & FS_DIRECT_IO));
}

/*
 * A new open file on @inode (found at @path, which may be NULL for
 * pipes and sockets) with open flags @flags, refcount 1, using the
 * inode's file_ops; NULL when memory is short. The file holds references
 * to @inode and @path.
 */
struct file *file_alloc(struct inode *inode, const struct path *path,
			unsigned flags)
{
	struct file *f = kzalloc(sizeof(*f));

	if (!f)
		return NULL;
	nr_files++;
	f->refcount = 1;
	list_init(&f->named);
	list_init(&f->epitems);
	/* O_NOCTTY stays for the open op to see (open_finish drops it). */
	f->flags = flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC);
	if (flags & O_PATH)
		f->mode = 0;
	else
		f->mode = (flags + 1) & O_ACCMODE;	/* Linux's OPEN_FMODE */
	f->inode = inode;
	iget(inode);
	if (path) {
		f->path = *path;
		path_get(path);
	}
	f->fops = inode->fops;
	return f;
}

/* Take a reference to @f. */
void fget(struct file *f)
{
	KASSERT(f->refcount > 0);
	f->refcount++;
}

/*
 * Drop a reference; the last one ends the file's epoll registrations,
 * drops the description's OFD and flock locks and releases the file
 * (fops->release).
 */
void fput(struct file *f)
{
	KASSERT(f->refcount > 0);
	if (--f->refcount > 0)
		return;
	if (!list_empty(&f->epitems))
		eventpoll_release(f);
	dnotify_flush(f, NULL);
	fasync_release(f);
	if (!(f->flags & O_PATH) && f->fops) {
		fsnotify_file(f, (f->mode & FMODE_WRITE) ? IN_CLOSE_WRITE :
				 IN_CLOSE_NOWRITE);
	}
	if (!(f->flags & O_PATH)) {
		locks_remove_file(f);
		vop_release(f);
	}
	if (f->mode & FMODE_WRITER)
		inode_put_write_access(f->inode);
	if (f->mode & FMODE_READER)
		f->inode->readcount--;
	file_name_drop(f);
	path_put(&f->path);
	iput(f->inode);
	kfree(f);
	nr_files--;
}
