/*
 * Pipes and FIFOs (kernel/pipe/pipe.c): pipe(2)/pipe2(2), and the open of a
 * named FIFO, which the VFS hands over here.
 */
#pragma once
#include <kernel/vfs.h>

#define PIPE_BUF	4096	/* writes up to this size are atomic */

/*
 * Open the FIFO @inode (S_IFIFO, of any filesystem) as @file, with
 * Linux's blocking rules: a reader waits for a writer and a writer for a
 * reader, O_RDONLY|O_NONBLOCK succeeds at once, O_WRONLY|O_NONBLOCK
 * without a reader is -ENXIO, O_RDWR never waits. On success sets
 * file->fops and file->priv (the VFS must use file->fops afterwards and
 * fput the file to close it); on failure leaves @file untouched.
 * Returns 0, -ENXIO, -ENOMEM, -EINVAL (no access mode) or -ERESTARTSYS
 * (a signal interrupted the wait). Process context; may sleep.
 */
int fifo_open(struct inode *inode, struct file *file);

/*
 * F_GETPIPE_SZ / F_SETPIPE_SZ on @file: the pipe's capacity in bytes,
 * after F_SETPIPE_SZ rounded the size asked for up to a power-of-two
 * number of pages (Linux's rules: -EINVAL above 2 GiB, -EPERM above
 * fs.pipe-max-size without CAP_SYS_RESOURCE, -EBUSY if the data would
 * not fit). -EBADF if @file is not a pipe or FIFO.
 */
long pipe_fcntl(struct file *file, unsigned cmd, unsigned long arg);

/* fs.pipe-max-size: the largest pipe an unprivileged user may ask for. */
unsigned pipe_max_size_get(void);
/*
 * Set it to @size rounded up as F_SETPIPE_SZ rounds (at least a page):
 * 0, or -EINVAL above 2 GiB. The caller checks the power to do it.
 */
int pipe_max_size_set(unsigned long size);

/*
 * What splice, tee and vmsplice (kernel/vfs/sys_splice.c) need of a
 * pipe: its buffered bytes seen, taken and added without a user copy.
 * Process context; the waits sleep interruptibly.
 */
struct pipe;

/* The pipe @f is an end of (a pipe or FIFO), or NULL. */
struct pipe *pipe_of_file(struct file *f);
/*
 * Wait until @p holds data: 1, or 0 at end of file (no writers),
 * -EAGAIN if @nonblock and it is empty, -ERESTARTSYS on a signal.
 */
int pipe_wait_data(struct pipe *p, bool nonblock);
/*
 * Wait until @p has room: 0, -EPIPE with SIGPIPE raised when it has no
 * reader, -EAGAIN if @nonblock and it is full, -ERESTARTSYS.
 */
int pipe_wait_room(struct pipe *p, bool nonblock);
/* The bytes @p holds, and the room it has left. */
size_t pipe_buffered(const struct pipe *p);
size_t pipe_room(const struct pipe *p);
/*
 * Copy up to @n bytes into @buf, keeping them, from the oldest but
 * @skip: how many.
 */
size_t pipe_peek(struct pipe *p, size_t skip, void *buf, size_t n);
/* Drop the @n oldest bytes (at most what it holds) and wake writers. */
void pipe_consume(struct pipe *p, size_t n);
/*
 * Append up to @n bytes of @buf, as many as there is room for (callers
 * wait for room first), and wake readers: the bytes added, or -ENOMEM.
 */
ssize_t pipe_fill(struct pipe *p, const void *buf, size_t n);
