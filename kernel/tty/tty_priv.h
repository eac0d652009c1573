/*
 * Private to kernel/tty/: the tty object and the functions its files share.
 * tty.c holds the file operations, tty_ioctl.c the ioctls, tty_jobctl.c
 * controlling terminals and job control, console.c the serial console,
 * pty.c the pseudo-terminal pairs and devpts.c the filesystem naming
 * their slaves.
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
struct inode;
struct path;
struct super_block;
struct pty;

#define TTY_MAJOR		4	/* ttyS0 is 4:64 */
#define TTYAUX_MAJOR		5	/* tty, console, ptmx */
#define UNIX98_PTY_SLAVE_MAJOR	136	/* /dev/pts/N is 136:N */
#define UNIX98_PTY_MASTER_MAJOR	128
#define PTY_MAX			256	/* pairs per devpts: 8-bit minors */

enum tty_kind { TTY_SERIAL, TTY_PTY_MASTER, TTY_PTY_SLAVE };

struct tty {
	const char *name;		/* "ttyS0", "pts/3", "ptm/3" */
	dev_t devnum;
	enum tty_kind kind;
	struct n_tty ld;
	struct winsize winsize;
	pid_t session;			/* session it controls; 0: none */
	pid_t pgrp;			/* foreground group; 0: none */
	struct wait_queue read_wq;	/* readers and pollers: input */
	struct wait_queue write_wq;	/* writers and pollers: room */

	/* A pty side (NULL link for the console): */
	struct tty *link;		/* the other side of the pair */
	int count;			/* open files on this side */
	bool other_closed;		/* the other side was closed: read EIO */
	bool hung_up;			/* slave: its master is gone */
	bool packet;			/* master: TIOCPKT packet mode */
	uint8_t pktstatus;		/* slave: TIOCPKT_* for the master */
};

/*
 * True if @file of @tty is hung up: every file of a pty slave whose master
 * is gone, or this file, opened before its session leader's exit hung the
 * terminal up (Linux's hung_up_tty_fops).
 */
static inline bool tty_hung(const struct tty *tty, const struct file *file)
{
	return tty->hung_up || (file->mode & FMODE_HUNG_UP);
}

/* tty.c */
extern const struct file_ops tty_fops;
/* Set up @tty with the default termios and 24x80 window size. */
void tty_setup(struct tty *tty, const char *name, dev_t devnum,
	       const struct n_tty_ops *ops);
/*
 * Wake readers, pollers and writers after the line discipline changed,
 * and the writers of the other side of a pty (room may have been made).
 */
void tty_wake(struct tty *tty);
/* The tty a master's termios, window and job-control ioctls act on. */
static inline struct tty *tty_real(struct tty *tty)
{
	return tty->kind == TTY_PTY_MASTER ? tty->link : tty;
}

/* console.c: the tty of device @dev (ttyS0, /dev/console), or NULL. */
struct tty *tty_lookup(dev_t dev);

/* tty_ioctl.c */
long tty_ioctl(struct file *file, unsigned cmd, uptr_t arg);

/* pty.c */
/* Open /dev/ptmx or a devpts ptmx (@inode): a new pair. 0 or -errno. */
int pty_open_master(struct inode *inode, struct file *file);
/* Open the slave node @inode: 0, or -EIO (locked, master gone). */
int pty_open_slave(struct inode *inode, struct file *file, struct tty **out);
/* The last reference to a file on pty side @tty went away. */
void pty_release(struct tty *tty);
/* Feed @len bytes into @tty's input, as if typed (pty output). */
void pty_receive(struct tty *tty, const char *buf, size_t len);
/* The pty ioctls (TIOCGPTN, TIOCSPTLCK, TIOCPKT, ...) or -ENOTTY. */
long pty_ioctl(struct file *file, struct tty *tty, unsigned cmd, uptr_t p);
/*
 * The control status of @tty changed: if it is a pty slave whose master
 * is in packet mode, clear the TIOCPKT_* bits @clear and set @set in what
 * the master's next read reports, and wake the master's readers and
 * pollers (Linux's pty_stop, pty_flush_buffer, ...). Anything else:
 * nothing. Interrupts masked.
 */
void pty_packet_status(struct tty *tty, unsigned clear, unsigned set);
/*
 * Slave @tty is about to get termios @t (Linux's pty_set_termios): for a
 * master in packet mode, NOSTOP/DOSTOP when ^S/^Q flow control turns
 * off/on, IOCTL when the old or new termios has EXTPROC; and @t's cflag
 * is made CS8 with CREAD, without parity. Interrupts masked.
 */
void pty_set_termios(struct tty *tty, struct termios *t);

/* devpts.c */
/* Register the devpts filesystem type. Boot. 0 or -errno. */
int devpts_init(void);
/*
 * The root of the devpts instance a ptmx open of @file belongs to (its
 * own, for a devpts ptmx; else the devpts on "pts" beside it): 0 and a
 * referenced path, -ENOENT (no "pts") or -ENODEV (not a devpts root).
 */
int devpts_instance(struct file *file, struct path *root);
/*
 * A slave node for @pty in instance @sb at the lowest free index, owned
 * by the caller (or the uid=/gid= options) with the mode= option: the
 * index and *@out (a reference for the caller; the directory holds
 * another), or -ENOSPC / -ENOMEM with nothing changed.
 */
int devpts_pty_new(struct super_block *sb, struct pty *pty,
		   struct inode **out);
/* The master closed: slave node @node leaves the directory. */
void devpts_pty_kill(struct inode *node);
/* The pair at @index of @sb is gone: the index may be reused. */
void devpts_kill_index(struct super_block *sb, unsigned index);
/* The live pair behind slave node @inode, or NULL (not devpts, killed). */
struct pty *devpts_slave_pty(struct inode *inode);

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
/* On a pty master, @tty is the master and the slave is acted on. */
int tty_tiocspgrp(struct tty *tty, uptr_t p);
int tty_tiocgpgrp(struct tty *tty, uptr_t p);
int tty_tiocgsid(struct tty *tty, uptr_t p);
/*
 * Hang up @tty's session (its master went away): as Linux's vhangup,
 * every task loses it as controlling tty and the session leader gets
 * SIGHUP and SIGCONT.
 */
void tty_hangup_session(struct tty *tty);
