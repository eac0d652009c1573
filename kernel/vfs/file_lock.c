/*
 * The per-inode state of advisory locks (kernel/vfs/file_lock.h): made
 * on an inode's first lock request, freed when its last lock and waiter
 * are gone; the sleep of a blocking request, and the release of locks
 * when a descriptor is closed (POSIX) or an open file description's
 * last reference goes (OFD, flock).
 */
#include "file_lock.h"
#include <platform/cpu.h>
#include <platform/heap.h>

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
	wq_init(&ctx->wait);
	inode->locks = ctx;
	return ctx;
}

void file_locks_tidy(struct inode *inode)
{
	struct file_locks *ctx = inode->locks;

	if (ctx && list_empty(&ctx->posix) && list_empty(&ctx->flock) &&
	    !ctx->waiters) {
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

int file_locks_wait(struct inode *inode)
{
	struct file_locks *ctx = inode->locks;
	irqflags_t fl;
	int err;

	ctx->waiters++;
	fl = irq_save();
	err = wq_sleep(&ctx->wait, 0);
	irq_restore(fl);
	ctx->waiters--;
	return err;
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
	file_locks_tidy(f->inode);
}
