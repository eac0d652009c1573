/*
 * A file's I/O-signal owner (kernel/vfs/fasync.c), Linux's f_owner and
 * fasync: F_SETOWN(_EX), F_SETSIG and O_ASYNC. While O_ASYNC is on, the
 * file is watched through its poll op, as epoll watches it, and every
 * wake-up that leaves it ready sends the owner SIGIO (or the F_SETSIG
 * signal, with si_code POLL_*, si_band and si_fd). dnotify and leases
 * signal the same owner (fown_signal). One CPU, no kernel preemption.
 */
#pragma once
#include <kernel/vfs.h>

/*
 * fcntl's F_SETOWN, F_GETOWN, F_SETOWN_EX, F_GETOWN_EX, F_SETSIG and
 * F_GETSIG on @f, with Linux's results and errors. Process context.
 */
long fcntl_fown(struct file *f, unsigned cmd, unsigned long arg);
/*
 * F_SETOWN's core (also the sockets' FIOSETOWN and SIOCSPGRP): @who > 0
 * a process, < 0 a process group, 0 nobody. 0, -ESRCH, -EINVAL or
 * -ENOMEM. Process context.
 */
int fown_set(struct file *f, int who);
/*
 * Make the calling process @f's owner unless it has one (dnotify and
 * leases do, as Linux's __f_setown without force): 0 or -ENOMEM.
 */
int fown_set_default(struct file *f);
/* Leave @f without an owner or F_SETSIG signal (a lease's F_UNLCK). */
void fown_clear(struct file *f);
/* F_GETOWN's core: the owner process, minus the group, or 0. */
int fown_get(struct file *f);
/*
 * O_ASYNC of @f, set through descriptor @fd, is turning @on (or off):
 * start or stop watching the file. Called before the flag changes, which
 * it must not when this fails: 0 or -ENOMEM. Process context.
 */
int fasync_set(struct file *f, int fd, bool on);
/* The last reference to @f went: stop watching, free the owner. */
void fasync_release(struct file *f);
/*
 * Send @f's owner its I/O signal for @reason (POLL_IN...), naming
 * descriptor @fd, if it has an owner and may signal it (Linux's
 * send_sigio). Any context, interrupts masked or not.
 */
void fown_signal(struct file *f, int fd, int reason);
