/*
 * dnotify, as Linux 6.1's fs/notify/dnotify: a watch ties a directory
 * to the open file and descriptor table that asked (fcntl F_NOTIFY);
 * the events inotify's hooks see on the directory, or on its entries,
 * send the file's owner its signal (SIGIO, or F_SETSIG's with si_code
 * POLL_MSG and si_fd the descriptor). A watch without DN_MULTISHOT ends
 * after its first signal. All watches sit on one list, scanned only
 * while one exists. One CPU, no kernel preemption: no locks.
 */
#include "dnotify.h"
#include <kernel/fasync.h>
#include <kernel/fsnotify.h>
#include <kernel/task.h>
#include <platform/heap.h>
#include <uapi/signal.h>

#define DN_EVENTS	(DN_ACCESS | DN_MODIFY | DN_CREATE | DN_DELETE | \
			 DN_RENAME | DN_ATTRIB)

struct dnotify_watch {
	struct list_head link;		/* on all_watches */
	struct inode *inode;		/* the directory: @file's inode */
	struct file *file;		/* no reference: closing it ends this */
	const struct files *files;	/* the descriptor table that asked */
	int fd;				/* si_fd */
	uint32_t mask;			/* DN_* bits */
};

static LIST_HEAD(all_watches);

static struct dnotify_watch *find_watch(const struct file *f,
					const struct files *files)
{
	struct dnotify_watch *w;

	list_for_each_entry(w, &all_watches, link)
		if (w->file == f && w->files == files)
			return w;
	return NULL;
}

/* See dnotify.h. */
long fcntl_dnotify(struct file *f, int fd, unsigned long arg)
{
	const struct files *files = current->files;
	struct dnotify_watch *w;
	bool fresh;
	int err;

	if (!(arg & ~(unsigned long)DN_MULTISHOT)) {
		dnotify_flush(f, files);
		return 0;
	}
	if (!S_ISDIR(f->inode->mode))
		return -ENOTDIR;
	w = find_watch(f, files);
	fresh = !w;
	if (fresh) {
		w = kzalloc(sizeof(*w));
		if (!w)
			return -ENOMEM;
	}
	err = fown_set_default(f);
	if (err) {
		if (fresh)
			kfree(w);
		return err;
	}
	if (fresh) {
		w->inode = f->inode;
		w->file = f;
		w->files = files;
		list_add_tail(&w->link, &all_watches);
	}
	w->fd = fd;
	w->mask |= (uint32_t)arg & (DN_EVENTS | DN_MULTISHOT);
	return 0;
}

/* Signal the watches on @inode that want one of @dn_mask. */
static void notify(struct inode *inode, uint32_t dn_mask)
{
	struct dnotify_watch *w, *n;

	list_for_each_entry_safe(w, n, &all_watches, link) {
		if (w->inode != inode || !(w->mask & dn_mask))
			continue;
		fown_signal(w->file, w->fd, POLL_MSG);
		if (!(w->mask & DN_MULTISHOT)) {
			list_del(&w->link);
			kfree(w);
		}
	}
}

/* See dnotify.h. */
bool dnotify_watching(void)
{
	return !list_empty(&all_watches);
}

/* See dnotify.h: Linux's convert_arg, the other way round. */
void dnotify_event(struct inode *inode, uint32_t in_mask)
{
	uint32_t dn = 0;

	if (list_empty(&all_watches))
		return;
	if (in_mask & IN_ACCESS)
		dn |= DN_ACCESS;
	if (in_mask & IN_MODIFY)
		dn |= DN_MODIFY;
	if (in_mask & IN_ATTRIB)
		dn |= DN_ATTRIB;
	if (in_mask & (IN_CREATE | IN_MOVED_TO))
		dn |= DN_CREATE;
	if (in_mask & (IN_DELETE | IN_MOVED_FROM))
		dn |= DN_DELETE;
	if (dn)
		notify(inode, dn);
}

/* See dnotify.h. */
void dnotify_rename(struct inode *dir)
{
	if (!list_empty(&all_watches))
		notify(dir, DN_RENAME);
}

/* See dnotify.h. */
void dnotify_flush(struct file *f, const struct files *files)
{
	struct dnotify_watch *w, *n;

	list_for_each_entry_safe(w, n, &all_watches, link) {
		if (w->file == f && (!files || w->files == files)) {
			list_del(&w->link);
			kfree(w);
		}
	}
}
