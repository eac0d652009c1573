/*
 * Advisory file locks inside kernel/vfs/: the per-inode lock state that
 * fcntl record locks (posix_lock.c) and flock(2) (sys_flock.c) share,
 * and the hooks descriptor close and the last fput call. Locks live here
 * in ring 1, never in a filesystem. One CPU, no kernel preemption: the
 * lists change only in process context, between sleeps.
 */
#pragma once
#include "vfs_internal.h"

#define F_RDLCK		0
#define F_WRLCK		1
#define F_UNLCK		2

#define OFFSET_MAX	INT64_MAX	/* a lock's end: to the end of file */

enum lock_kind { LOCK_POSIX, LOCK_OFD, LOCK_FLOCK };

/* One granted lock. */
struct file_lock {
	struct list_head link;		/* file_locks.posix or .flock */
	enum lock_kind kind;
	int type;			/* F_RDLCK or F_WRLCK */
	const void *owner;		/* POSIX: struct files; else the file */
	pid_t pid;			/* the setter's process (POSIX) */
	off_t start, end;		/* bytes [start, end]; end OFFSET_MAX: EOF */
};

/* An inode's locks (inode->locks, made on the first lock request). */
struct file_locks {
	struct list_head all;		/* every inode's, newest first */
	struct inode *inode;		/* whose locks these are */
	struct list_head posix;		/* POSIX and OFD record locks */
	struct list_head flock;		/* flock(2) locks */
	struct list_head lease;		/* struct file_lease (lease.c) */
	struct wait_queue wait;		/* requests waiting for a change */
	int waiters;			/* tasks asleep on @wait */
};

/* @inode's lock state, made if needed: NULL when memory is short. */
struct file_locks *file_locks_get(struct inode *inode);
/* Free @inode's lock state if it holds no lock and no waiter. */
void file_locks_tidy(struct inode *inode);
/* Remove @fl from its list and wake every waiter of @fl's inode. */
void file_lock_delete(struct file_locks *ctx, struct file_lock *fl);

/*
 * Sleep on @inode's lock state until it changes or the monotonic
 * @deadline (0: none) passes: 0, or -ERESTARTSYS on a signal. The caller
 * retries its request after each return.
 */
int file_locks_wait_until(struct inode *inode, uint64_t deadline);
/* file_locks_wait_until without a deadline. */
int file_locks_wait(struct inode *inode);

/*
 * Descriptor close (fdtable.c): drop the POSIX locks @files holds on
 * @f's inode, whichever descriptor set them.
 */
void locks_remove_posix(struct file *f, const struct files *files);
/* The last reference to @f went: drop its OFD and flock locks. */
void locks_remove_file(struct file *f);

/* fcntl's F_GETLK, F_SETLK(W) and F_OFD_* commands (posix_lock.c). */
long fcntl_lock(struct file *f, unsigned cmd, uptr_t uarg);

/*
 * fcntl's F_SETLEASE (@arg F_RDLCK, F_WRLCK or F_UNLCK, through
 * descriptor @fd) and F_GETLEASE on @f (lease.c), with Linux's errors.
 */
long fcntl_lease(struct file *f, int fd, unsigned cmd, unsigned long arg);
/*
 * An open of @inode with @flags (O_ACCMODE, O_NONBLOCK), or a truncate
 * (O_WRONLY), is about to happen: break the leases it conflicts with
 * (their holders get their signal) and wait until they are gone or
 * fs.lease-break-time has passed. 0, -EWOULDBLOCK with O_NONBLOCK,
 * -ERESTARTSYS on a signal, -ENOMEM.
 */
int break_lease(struct inode *inode, unsigned flags);
/* @f's last reference went: its lease ends (locks_remove_file). */
void lease_remove_file(struct file *f);
