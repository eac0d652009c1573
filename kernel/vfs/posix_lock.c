/*
 * fcntl record locks with Linux's rules: F_GETLK, F_SETLK and F_SETLKW
 * (POSIX locks, owned by the process's descriptor table, reported with
 * the setter's pid, released on any close of the file by the process)
 * and F_OFD_GETLK, F_OFD_SETLK and F_OFD_SETLKW (owned by the open file
 * description, l_pid -1). Both kinds share an inode's list and conflict
 * with each other; an owner's own ranges are split and merged so that
 * it holds at most one lock per byte. A blocking POSIX request that
 * would close a cycle of waiting owners fails with EDEADLK.
 */
#include "file_lock.h"
#include <kernel/task.h>
#include <platform/heap.h>
#include <platform/usercopy.h>

#define MAX_DEADLK_ITERATIONS	10	/* Linux's bound on the chain walk */

/* struct flock on x86-64 (the same as struct flock64). */
struct flock64 {
	int16_t l_type;
	int16_t l_whence;
	int64_t l_start;
	int64_t l_len;
	int32_t l_pid;
};
_Static_assert(sizeof(struct flock64) == 32, "struct flock");

/* A POSIX owner asleep in F_SETLKW, and the owner it waits for. */
struct posix_waiter {
	struct list_head link;		/* posix_waiters */
	const void *owner;
	const void *blocker;
};

static LIST_HEAD(posix_waiters);

/*
 * The range and kind of a request from @l on @f (Linux's
 * flock64_to_posix_lock): 0, -EINVAL or -EOVERFLOW.
 */
static int flock_to_lock(struct file *f, const struct flock64 *l,
			 struct file_lock *req)
{
	off_t base;

	switch (l->l_whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->pos;
		break;
	case SEEK_END:
		base = f->inode->size;
		break;
	default:
		return -EINVAL;
	}
	if (l->l_start > OFFSET_MAX - base)
		return -EOVERFLOW;
	req->start = base + l->l_start;
	if (req->start < 0)
		return -EINVAL;
	if (l->l_len > 0) {
		if (l->l_len - 1 > OFFSET_MAX - req->start)
			return -EOVERFLOW;
		req->end = req->start + (l->l_len - 1);
	} else if (l->l_len < 0) {
		if (req->start + l->l_len < 0)
			return -EINVAL;
		req->end = req->start - 1;
		req->start += l->l_len;
	} else {
		req->end = OFFSET_MAX;
	}
	req->kind = LOCK_POSIX;
	req->owner = current->files;
	req->pid = current->tgid;
	if (l->l_type != F_RDLCK && l->l_type != F_WRLCK &&
	    l->l_type != F_UNLCK)
		return -EINVAL;
	req->type = l->l_type;
	return 0;
}

static bool overlap(const struct file_lock *a, const struct file_lock *b)
{
	return a->start <= b->end && b->start <= a->end;
}

/* The first lock on @inode that @req may not coexist with, or NULL. */
static struct file_lock *posix_conflict(struct inode *inode,
					const struct file_lock *req)
{
	struct file_locks *ctx = inode->locks;
	struct file_lock *fl;

	if (!ctx)
		return NULL;
	list_for_each_entry(fl, &ctx->posix, link) {
		if (fl->owner != req->owner && overlap(fl, req) &&
		    (fl->type == F_WRLCK || req->type == F_WRLCK))
			return fl;
	}
	return NULL;
}

/* What @owner waits for, if it is asleep in F_SETLKW; else NULL. */
static const void *waiting_for(const void *owner)
{
	struct posix_waiter *w;

	list_for_each_entry(w, &posix_waiters, link) {
		if (w->owner == owner)
			return w->blocker;
	}
	return NULL;
}

/* True if waiting for @blocker's owner would close a cycle back to @req's. */
static bool posix_deadlock(const struct file_lock *req,
			   const struct file_lock *blocker)
{
	const void *owner = blocker->owner;
	int i;

	if (req->kind != LOCK_POSIX)
		return false;
	for (i = 0; i <= MAX_DEADLK_ITERATIONS; i++) {
		owner = waiting_for(owner);
		if (!owner)
			return false;
		if (owner == req->owner)
			return true;
	}
	return false;
}

static bool adjacent(const struct file_lock *a, const struct file_lock *b)
{
	return (a->end != OFFSET_MAX && a->end + 1 == b->start) ||
	       (b->end != OFFSET_MAX && b->end + 1 == a->start);
}

/*
 * Give @req's owner exactly @req over its range (an unlock: nothing),
 * merging with its touching locks of the same type and cutting its
 * others back. @spare and @spare2 are free lock records, consumed or
 * freed here, so nothing can fail.
 */
static void posix_apply(struct file_locks *ctx, const struct file_lock *req,
			struct file_lock *spare, struct file_lock *spare2)
{
	struct file_lock new = *req, *fl, *n;

	list_for_each_entry_safe(fl, n, &ctx->posix, link) {
		if (fl->owner != req->owner)
			continue;
		if (fl->type == new.type) {
			if (!overlap(fl, &new) && !adjacent(fl, &new))
				continue;
			new.start = MIN(new.start, fl->start);
			new.end = MAX(new.end, fl->end);
			file_lock_delete(ctx, fl);
			continue;
		}
		if (!overlap(fl, req))
			continue;
		if (fl->start < req->start && fl->end > req->end) {
			*spare2 = *fl;
			spare2->start = req->end + 1;
			list_add(&spare2->link, &fl->link);
			spare2 = NULL;
			fl->end = req->start - 1;
		} else if (fl->start < req->start) {
			fl->end = req->start - 1;
		} else if (fl->end > req->end) {
			fl->start = req->end + 1;
		} else {
			file_lock_delete(ctx, fl);
			continue;
		}
		wq_wake_all(&ctx->wait);
	}
	if (new.type != F_UNLCK) {
		/* As Linux keeps them: an owner's locks together, in order
		 * of their starts, so F_GETLK reports the lowest conflict. */
		struct list_head *pos = &ctx->posix;
		bool owners = false;

		list_for_each_entry(fl, &ctx->posix, link) {
			if (fl->owner == req->owner)
				owners = true;
			if (owners && (fl->owner != req->owner ||
				       fl->start > new.start)) {
				pos = &fl->link;
				break;
			}
		}
		*spare = new;
		list_add_tail(&spare->link, pos);
		spare = NULL;
	}
	kfree(spare);
	kfree(spare2);
}

/*
 * Set or clear @req on @f's inode, waiting for conflicts to go if
 * @wait: 0, -EAGAIN, -EDEADLK, -ENOLCK or -ERESTARTSYS.
 */
static long posix_lock(struct file *f, const struct file_lock *req, bool wait)
{
	struct inode *inode = f->inode;
	struct posix_waiter me = { .owner = req->owner };
	struct file_lock *spare = NULL, *spare2 = NULL, *blocker;
	struct file_locks *ctx;
	long err;

	for (;;) {
		err = -ENOLCK;
		ctx = file_locks_get(inode);
		if (!ctx)
			break;
		blocker = req->type == F_UNLCK ? NULL : posix_conflict(inode, req);
		if (!blocker) {
			spare = kmalloc(sizeof(*spare));
			spare2 = kmalloc(sizeof(*spare2));
			if (!spare || !spare2) {
				kfree(spare);
				kfree(spare2);
				break;
			}
			posix_apply(ctx, req, spare, spare2);
			err = 0;
			break;
		}
		err = -EAGAIN;
		if (!wait)
			break;
		err = -EDEADLK;
		if (posix_deadlock(req, blocker))
			break;
		me.blocker = blocker->owner;
		if (req->kind == LOCK_POSIX)
			list_add_tail(&me.link, &posix_waiters);
		err = file_locks_wait(inode);
		if (req->kind == LOCK_POSIX)
			list_del(&me.link);
		if (err)
			break;
	}
	file_locks_tidy(inode);
	return err;
}

/* Fill @l with the conflicting lock @fl as F_GETLK reports it. */
static void lock_to_flock(const struct file_lock *fl, struct flock64 *l)
{
	l->l_type = (int16_t)fl->type;
	l->l_whence = SEEK_SET;
	l->l_start = fl->start;
	l->l_len = fl->end == OFFSET_MAX ? 0 : fl->end - fl->start + 1;
	l->l_pid = fl->kind == LOCK_OFD ? -1 : fl->pid;
}

static bool ofd_cmd(unsigned cmd)
{
	return cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
}

long fcntl_lock(struct file *f, unsigned cmd, uptr_t uarg)
{
	struct file_lock req = { 0 };
	struct file_lock *fl;
	struct flock64 l;
	long err;

	if (copy_from_user(&l, uarg, sizeof(l)))
		return -EFAULT;
	if ((cmd == F_GETLK || cmd == F_OFD_GETLK) && l.l_type == F_UNLCK)
		return -EINVAL;
	err = flock_to_lock(f, &l, &req);
	if (err)
		return err;
	if (cmd != F_GETLK && cmd != F_OFD_GETLK) {
		if (req.type == F_RDLCK && !(f->mode & FMODE_READ))
			return -EBADF;
		if (req.type == F_WRLCK && !(f->mode & FMODE_WRITE))
			return -EBADF;
	}
	if (ofd_cmd(cmd)) {
		if (l.l_pid != 0)
			return -EINVAL;
		req.kind = LOCK_OFD;
		req.owner = f;
	}
	switch (cmd) {
	case F_GETLK:
	case F_OFD_GETLK:
		fl = posix_conflict(f->inode, &req);
		if (fl)
			lock_to_flock(fl, &l);
		else
			l.l_type = F_UNLCK;
		return copy_to_user(uarg, &l, sizeof(l));
	default:
		return posix_lock(f, &req, cmd == F_SETLKW || cmd == F_OFD_SETLKW);
	}
}
