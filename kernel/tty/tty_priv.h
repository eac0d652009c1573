/*
 * Private to kernel/tty/: the tty object and the functions its files share.
 * tty.c holds the file operations, tty_ioctl.c the ioctls, tty_jobctl.c
 * controlling terminals and job control, console.c the serial console.
 *
 * Locking: the line discipline is touched with interrupts masked (input
 * arrives in interrupt context); session and pgrp fields only from
 * process context, which is never preempted.
 */
#pragma once
#include <aramid/types.h>
#include <svc/wait.h>
#include <uapi/termios.h>
#include "n_tty.h"

struct file;
struct file_ops;

struct tty {
	const char *name;		/* "ttyS0" */
	dev_t devnum;
	struct n_tty ld;
	struct winsize winsize;
	pid_t session;			/* session it controls; 0: none */
	pid_t pgrp;			/* foreground group; 0: none */
	struct wait_queue read_wq;	/* readers and pollers: input */
	struct wait_queue write_wq;	/* writers: output restarted */
};

/* tty.c */
extern const struct file_ops tty_fops;
/* Set up @tty with the default termios and 24x80 window size. */
void tty_setup(struct tty *tty, const char *name, dev_t devnum,
	       const struct n_tty_ops *ops);
/* Wake readers, pollers and writers after the line discipline changed. */
void tty_wake(struct tty *tty);

/* console.c: the tty of device @dev (ttyS0, /dev/console), or NULL. */
struct tty *tty_lookup(dev_t dev);

/* tty_ioctl.c */
long tty_ioctl(struct file *file, unsigned cmd, uptr_t arg);

/* tty_jobctl.c */
/*
 * Job control for a read (@sig SIGTTIN) or a terminal-changing call
 * (SIGTTOU) on @tty by current: 0 to go ahead, -ERESTARTSYS after
 * signalling current's background group, or -EIO (SIGTTIN blocked or
 * ignored, or an orphaned group).
 */
int tty_check_change(struct tty *tty, int sig);
/* Signal @tty's foreground group as the kernel does. Any context. */
void tty_signal_fg(struct tty *tty, int sig);
/* An open without O_NOCTTY: a session leader without one acquires @tty. */
void tty_open_ctty(struct tty *tty);
/* The job-control ioctls. 0 or -errno. */
int tty_tiocsctty(struct tty *tty, unsigned long arg);
int tty_tiocnotty(struct tty *tty);
int tty_tiocspgrp(struct tty *tty, uptr_t p);
int tty_tiocgpgrp(struct tty *tty, uptr_t p);
int tty_tiocgsid(struct tty *tty, uptr_t p);
