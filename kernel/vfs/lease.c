/*
 * File leases, as Linux 6.1's fs/locks.c has them for fcntl: F_SETLEASE
 * and F_GETLEASE, and the break an open (or a truncate by path) makes.
 *
 * A lease belongs to one open file of a regular file and lives on the
 * inode's lock state (file_lock.h). An open that conflicts with it (any
 * lease for a writer, a write lease for a reader) marks it as breaking,
 * sends its file's owner the I/O signal (SIGIO, or F_SETSIG's with
 * POLL_MSG and si_fd), then waits until the holder gives way with
 * F_SETLEASE (F_UNLCK, or F_RDLCK for a reader) or closes the file, or
 * until fs.lease-break-time seconds pass and the kernel does it for the
 * holder; an O_NONBLOCK opener gets EWOULDBLOCK after the signals.
 * One CPU, no kernel preemption: the lists change in process context.
 */
#include "file_lock.h"
#include <kernel/fasync.h>
#include <kernel/task.h>
#include <platform/heap.h>
#include <platform/time.h>
#include <uapi/capability.h>
#include <uapi/signal.h>

#define NSEC_PER_SEC	1000000000ULL

/* See include/kernel/vfs.h. */
int lease_break_time = 45;
int leases_enable = 1;

struct file_lease {
	struct list_head link;		/* on file_locks.lease */
	struct file *file;		/* the holder: its last fput ends it */
	int fd;				/* si_fd of the break signal */
	int type;			/* F_RDLCK or F_WRLCK */
	bool unlock_pending;		/* a writer waits: F_UNLCK due */
	bool downgrade_pending;		/* a reader waits: F_RDLCK due */
	uint64_t break_time;		/* when the kernel unlocks it; 0 */
	uint64_t downgrade_time;	/* when it downgrades it; 0 */
};

/* The type the holder is asked to give it (Linux's target_leasetype). */
static int target_type(const struct file_lease *l)
{
	if (l->unlock_pending)
		return F_UNLCK;
	if (l->downgrade_pending)
		return F_RDLCK;
	return l->type;
}

/*
 * Change @l to @type (Linux's lease_modify): pending requests it meets
 * are cleared; F_UNLCK frees it and leaves its file without an owner
 * or signal, as Linux does. Wakes the openers waiting on @ctx.
 */
static void lease_modify(struct file_locks *ctx, struct file_lease *l,
			 int type)
{
	l->type = type;
	if (type == F_UNLCK)
		l->unlock_pending = false;
	l->downgrade_pending = false;
	wq_wake_all(&ctx->wait);
	if (type != F_UNLCK)
		return;
	fown_clear(l->file);
	list_del(&l->link);
	kfree(l);
}

static bool past(uint64_t t)
{
	return t && clock_monotonic_ns() >= t;
}

/* The holders that let their break time pass lose (Linux's time_out_leases). */
static void time_out_leases(struct file_locks *ctx)
{
	struct file_lease *l, *n;

	list_for_each_entry_safe(l, n, &ctx->lease, link) {
		if (past(l->downgrade_time))
			lease_modify(ctx, l, F_RDLCK);
		if (past(l->break_time))
			lease_modify(ctx, l, F_UNLCK);
	}
}

/* An opener wanting @write conflicts with @l if either writes. */
static bool conflicts(const struct file_lease *l, bool write)
{
	return write || l->type == F_WRLCK;
}

static bool any_conflict(struct file_locks *ctx, bool write)
{
	struct file_lease *l;

	list_for_each_entry(l, &ctx->lease, link)
		if (conflicts(l, write))
			return true;
	return false;
}

/*
 * Linux's check_conflicting_open: a read lease needs no writer open, a
 * write lease no open but @f itself. 0 or -EAGAIN.
 */
static int check_conflicting_open(const struct file *f, int type)
{
	const struct inode *inode = f->inode;
	int self_w = 0, self_r = 0;

	if (type == F_RDLCK)
		return inode->writecount > 0 ? -EAGAIN : 0;
	if (f->mode & FMODE_WRITE)
		self_w = 1;
	else if (f->mode & FMODE_READ)
		self_r = 1;
	if (inode->writecount != self_w || inode->readcount != self_r)
		return -EAGAIN;
	return 0;
}

static struct file_lease *find_lease(struct file_locks *ctx,
				     const struct file *f)
{
	struct file_lease *l;

	if (!ctx)
		return NULL;
	list_for_each_entry(l, &ctx->lease, link)
		if (l->file == f)
			return l;
	return NULL;
}

/* Linux's generic_add_lease for F_RDLCK or F_WRLCK. */
static long add_lease(struct file *f, int fd, int type)
{
	struct file_locks *ctx = file_locks_get(f->inode);
	struct file_lease *l, *mine = NULL;
	long err;

	if (!ctx)
		return -ENOMEM;
	time_out_leases(ctx);
	err = check_conflicting_open(f, type);
	if (err)
		goto out;
	err = -EAGAIN;
	list_for_each_entry(l, &ctx->lease, link) {
		if (l->file == f) {
			mine = l;
			continue;
		}
		if (type == F_WRLCK || l->unlock_pending)
			goto out;
	}
	l = mine;
	if (!l) {
		err = -EINVAL;
		if (!leases_enable)
			goto out;
		err = -ENOMEM;
		l = kzalloc(sizeof(*l));
		if (!l)
			goto out;
	}
	err = fown_set_default(f);
	if (err) {
		if (!mine)
			kfree(l);
		goto out;
	}
	l->fd = fd;
	if (mine) {
		lease_modify(ctx, mine, type);
	} else {
		l->file = f;
		l->type = type;
		list_add_tail(&l->link, &ctx->lease);
	}
out:
	file_locks_tidy(f->inode);
	return err;
}

/* Linux's generic_delete_lease: -EAGAIN if @f holds none. */
static long delete_lease(struct file *f)
{
	struct file_locks *ctx = f->inode->locks;
	struct file_lease *l = find_lease(ctx, f);

	if (!l)
		return -EAGAIN;
	lease_modify(ctx, l, F_UNLCK);
	file_locks_tidy(f->inode);
	return 0;
}

static long get_lease(struct file *f)
{
	struct file_locks *ctx = f->inode->locks;
	const struct file_lease *l;
	int type = F_UNLCK;

	if (!ctx)
		return F_UNLCK;
	time_out_leases(ctx);
	l = find_lease(ctx, f);
	if (l)
		type = target_type(l);
	file_locks_tidy(f->inode);
	return type;
}

/* See file_lock.h. */
long fcntl_lease(struct file *f, int fd, unsigned cmd, unsigned long arg)
{
	if (cmd == F_GETLEASE)
		return get_lease(f);
	if (arg != F_RDLCK && arg != F_WRLCK && arg != F_UNLCK)
		return -EINVAL;
	/* Linux's vfs_setlease: the owner or CAP_LEASE, then a regular file. */
	if (f->inode->uid != current->cred.fsuid && !capable(CAP_LEASE))
		return -EACCES;
	if (!S_ISREG(f->inode->mode))
		return -EINVAL;
	if (arg == F_UNLCK)
		return delete_lease(f);
	return add_lease(f, fd, (int)arg);
}

/*
 * Ask the holders of the leases an opener wanting @write conflicts with
 * to give way, by @deadline (Linux's __break_lease loop body).
 */
static void start_breaks(struct file_locks *ctx, bool write,
			 uint64_t deadline)
{
	struct file_lease *l, *n;

	list_for_each_entry_safe(l, n, &ctx->lease, link) {
		if (!conflicts(l, write))
			continue;
		if (write) {
			if (l->unlock_pending)
				continue;
			l->unlock_pending = true;
			l->break_time = deadline;
		} else {
			if (l->unlock_pending || l->downgrade_pending)
				continue;
			l->downgrade_pending = true;
			l->downgrade_time = deadline;
		}
		fown_signal(l->file, l->fd, POLL_MSG);
	}
}

/* The break time of the first lease still in the way, or 0. */
static uint64_t first_break_time(struct file_locks *ctx, bool write)
{
	struct file_lease *l;

	list_for_each_entry(l, &ctx->lease, link)
		if (conflicts(l, write))
			return write ? l->break_time : l->downgrade_time;
	return 0;
}

/* See file_lock.h. */
int break_lease(struct inode *inode, unsigned flags)
{
	struct file_locks *ctx = inode->locks;
	bool write = (flags & O_ACCMODE) != O_RDONLY;
	uint64_t deadline = 0;
	int err = 0;

	if (!ctx || list_empty(&ctx->lease))
		return 0;
	time_out_leases(ctx);
	if (!any_conflict(ctx, write))
		goto out;
	if (lease_break_time > 0)	/* else no deadline, as on Linux */
		deadline = clock_monotonic_ns() +
			   (uint64_t)lease_break_time * NSEC_PER_SEC;
	start_breaks(ctx, write, deadline);
	if (flags & O_NONBLOCK) {
		err = -EAGAIN;	/* EWOULDBLOCK */
		goto out;
	}
	while (any_conflict(ctx, write)) {
		err = file_locks_wait_until(inode, first_break_time(ctx, write));
		if (err)
			break;
		time_out_leases(ctx);
	}
out:
	file_locks_tidy(inode);
	return err;
}

/* See file_lock.h. */
void lease_remove_file(struct file *f)
{
	struct file_locks *ctx = f->inode->locks;
	struct file_lease *l = find_lease(ctx, f);

	if (l)
		lease_modify(ctx, l, F_UNLCK);
}
