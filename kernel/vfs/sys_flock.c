/*
 * flock(2) with Linux's rules: whole-file locks owned by the open file
 * description (shared by dup and fork, released with its last
 * reference), independent of fcntl record locks. A conversion drops the
 * old lock before it waits for or fails on the new one, as Linux's
 * flock_lock_inode does; LOCK_MAND is ignored (0).
 */
#include "file_lock.h"
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <platform/heap.h>

#define LOCK_SH		1
#define LOCK_EX		2
#define LOCK_NB		4
#define LOCK_UN		8
#define LOCK_MAND	32

/* The lock type of flock command @cmd (LOCK_NB cleared), or -EINVAL. */
static int flock_type(unsigned cmd)
{
	switch (cmd) {
	case LOCK_SH:
		return F_RDLCK;
	case LOCK_EX:
		return F_WRLCK;
	case LOCK_UN:
		return F_UNLCK;
	}
	return -EINVAL;
}

/* @f's own flock lock, or NULL. */
static struct file_lock *flock_find(struct file_locks *ctx, struct file *f)
{
	struct file_lock *fl;

	list_for_each_entry(fl, &ctx->flock, link) {
		if (fl->owner == f)
			return fl;
	}
	return NULL;
}

/* True if another description holds a lock @type cannot share. */
static bool flock_conflict(struct file_locks *ctx, struct file *f, int type)
{
	struct file_lock *fl;

	list_for_each_entry(fl, &ctx->flock, link) {
		if (fl->owner != f && (fl->type == F_WRLCK || type == F_WRLCK))
			return true;
	}
	return false;
}

/*
 * Take (or drop) @f's lock of @type: 0, -EAGAIN if it conflicts and
 * !@wait, -ENOLCK, -ERESTARTSYS.
 */
static long flock_lock(struct file *f, int type, bool wait)
{
	struct inode *inode = f->inode;
	struct file_locks *ctx = file_locks_get(inode);
	struct file_lock *fl, *mine;
	long err = -ENOLCK;

	if (!ctx)
		return err;
	mine = flock_find(ctx, f);
	if (mine && mine->type == type) {
		err = 0;
		goto out;
	}
	fl = type == F_UNLCK ? NULL : kzalloc(sizeof(*fl));
	if (type != F_UNLCK && !fl)
		goto out;
	if (mine)
		file_lock_delete(ctx, mine);
	err = 0;
	if (!fl)
		goto out;
	while (flock_conflict(ctx, f, type)) {
		err = -EAGAIN;
		if (!wait)
			break;
		err = file_locks_wait(inode);
		if (err)
			break;
	}
	if (err) {
		kfree(fl);
		goto out;
	}
	fl->kind = LOCK_FLOCK;
	fl->type = type;
	fl->owner = f;
	fl->start = 0;
	fl->end = OFFSET_MAX;
	fl->pid = current->tgid;
	list_add_tail(&fl->link, &ctx->flock);
out:
	file_locks_tidy(inode);
	return err;
}

SYSCALL(__NR_flock, flock)(SYSCALL_ARGS)
{
	unsigned cmd = (unsigned)a1;
	int type;
	struct file *f;
	long err;

	if (cmd & LOCK_MAND)
		return 0;
	type = flock_type(cmd & ~LOCK_NB);
	if (type < 0)
		return type;
	f = fd_get_io((int)a0);
	if (!f)
		return -EBADF;
	err = -EBADF;
	if (type == F_UNLCK || (f->mode & (FMODE_READ | FMODE_WRITE)))
		err = flock_lock(f, type, !(cmd & LOCK_NB));
	fput(f);
	return err;
}
