/*
 * The per-inode state of advisory locks (kernel/vfs/file_lock.h): made
 * on an inode's first lock request, freed when its last lock and waiter
 * are gone; the sleep of a blocking request, the release of locks
 * when a descriptor is closed (POSIX) or an open file description's
 * last reference goes (OFD, flock), and the walk /proc/locks shows.
 */
#include "file_lock.h"
#include <svc/introspect.h>
#include <platform/cpu.h>
#include <platform/heap.h>

/* Every inode's lock state, the newest first (/proc/locks). */
static LIST_HEAD(all_locks);

struct file_locks *file_locks_get(struct inode *inode)
{
	struct file_locks *ctx = inode->locks;

	if (ctx)
		return ctx;
	ctx = kzalloc(sizeof(*ctx));
	if (!ctx)
		return NULL;
	list_init(&ctx->posix);
	list_init(&ctx->flock);
	list_init(&ctx->lease);
	wq_init(&ctx->wait);
	ctx->inode = inode;
	list_add(&ctx->all, &all_locks);
	inode->locks = ctx;
	return ctx;
}

void file_locks_tidy(struct inode *inode)
{
	struct file_locks *ctx = inode->locks;

	if (ctx && list_empty(&ctx->posix) && list_empty(&ctx->flock) &&
	    list_empty(&ctx->lease) && !ctx->waiters) {
		list_del(&ctx->all);
		inode->locks = NULL;
		kfree(ctx);
	}
}

void file_lock_delete(struct file_locks *ctx, struct file_lock *fl)
{
	list_del(&fl->link);
	kfree(fl);
	wq_wake_all(&ctx->wait);
}

int file_locks_wait_until(struct inode *inode, uint64_t deadline)
{
	struct file_locks *ctx = inode->locks;
	irqflags_t fl;
	int err;

	ctx->waiters++;
	fl = irq_save();
	err = wq_sleep(&ctx->wait, deadline);
	irq_restore(fl);
	ctx->waiters--;
	return err;
}

int file_locks_wait(struct inode *inode)
{
	return file_locks_wait_until(inode, 0);
}

/* Drop every lock of @list whose owner is @owner and kind is @kind. */
static void remove_owned(struct file_locks *ctx, struct list_head *list,
			 const void *owner, enum lock_kind kind)
{
	struct file_lock *fl, *n;

	list_for_each_entry_safe(fl, n, list, link) {
		if (fl->owner == owner && fl->kind == kind)
			file_lock_delete(ctx, fl);
	}
}

void locks_remove_posix(struct file *f, const struct files *files)
{
	struct file_locks *ctx = f->inode->locks;

	if (!ctx)
		return;
	remove_owned(ctx, &ctx->posix, files, LOCK_POSIX);
	file_locks_tidy(f->inode);
}

void locks_remove_file(struct file *f)
{
	struct file_locks *ctx = f->inode->locks;

	if (!ctx)
		return;
	remove_owned(ctx, &ctx->posix, f, LOCK_OFD);
	remove_owned(ctx, &ctx->flock, f, LOCK_FLOCK);
	lease_remove_file(f);
	file_locks_tidy(f->inode);
}

/* Report each lock of @list to @fn: 0 or the first non-zero return. */
static int walk_list(const struct list_head *list, const struct inode *inode,
		     int (*fn)(void *arg, const struct lock_info *li),
		     void *arg)
{
	static const enum lock_info_kind kinds[] = {
		[LOCK_POSIX] = LOCKINFO_POSIX, [LOCK_OFD] = LOCKINFO_OFD,
		[LOCK_FLOCK] = LOCKINFO_FLOCK,
	};
	struct file_lock *fl;
	int err;

	list_for_each_entry(fl, list, link) {
		struct lock_info li = {
			.kind = kinds[fl->kind], .write = fl->type == F_WRLCK,
			.pid = fl->kind == LOCK_OFD ? -1 : fl->pid,
			.dev = inode->sb->dev, .ino = inode->ino,
			.start = fl->start,
			.end = fl->end == OFFSET_MAX ? -1 : fl->end,
			.owner = fl->owner,
		};

		err = fn(arg, &li);
		if (err)
			return err;
	}
	return 0;
}

int file_locks_walk(const struct inode *only,
		    int (*fn)(void *arg, const struct lock_info *li),
		    void *arg)
{
	struct file_locks *ctx;
	int err = 0;

	list_for_each_entry(ctx, &all_locks, all) {
		if (only && ctx->inode != only)
			continue;
		err = walk_list(&ctx->posix, ctx->inode, fn, arg);
		if (!err)
			err = walk_list(&ctx->flock, ctx->inode, fn, arg);
		if (err)
			break;
	}
	return err;
}
