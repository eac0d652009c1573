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
