/*
 * The tty object and its file operations, for the console and both sides
 * of a pty: open (device lookup and controlling-tty acquisition),
 * blocking read with the canonical and VMIN/VTIME rules of termios(3),
 * chunked write through the line discipline's output processing (or, on
 * a pty master, into the slave's input), poll, and the hung-up state of
 * a pty slave whose master has gone.
 */
#include <aramid/compiler.h>
#include <aramid/string.h>
#include <platform/cpu.h>
#include <platform/time.h>
#include <kernel/signal.h>
#include <kernel/task.h>
#include <kernel/tty.h>
#include <kernel/vfs.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/ioctls.h>
#include "tty_priv.h"

/* Bytes moved per step between user memory and the line discipline. */
#define TTY_CHUNK	256

#define NSEC_PER_DECISECOND	100000000ULL

void tty_setup(struct tty *tty, const char *name, dev_t devnum,
	       const struct n_tty_ops *ops)
{
	memset(tty, 0, sizeof(*tty));
	tty->name = name;
	tty->devnum = devnum;
	n_tty_init(&tty->ld, ops);
	tty->winsize.ws_row = 24;
	tty->winsize.ws_col = 80;
	wq_init(&tty->read_wq);
	wq_init(&tty->write_wq);
}

void tty_wake(struct tty *tty)
{
	wq_wake_all(&tty->read_wq);
	wq_wake_all(&tty->write_wq);
	if (tty->link)
		wq_wake_all(&tty->link->write_wq);
}

/*
 * Devices of majors 4 and 5 and the pty slaves (136): the console, the
 * caller's controlling tty (/dev/tty, 5:0), /dev/console (5:1), a new
 * pty pair (/dev/ptmx, 5:2) or a pty slave.
 */
static int tty_open(struct inode *inode, struct file *file)
{
	dev_t dev = inode->rdev;
	bool noctty = file->flags & O_NOCTTY;
	struct tty *tty;
	int err;

	if (dev == MKDEV(TTYAUX_MAJOR, 2))
		return pty_open_master(inode, file);
	if (MAJOR(dev) == UNIX98_PTY_SLAVE_MAJOR) {
		err = pty_open_slave(inode, file, &tty);
		if (err)
			return err;
	} else if (dev == MKDEV(TTYAUX_MAJOR, 0)) {
		/* /dev/tty: the caller's controlling terminal. */
		tty = current->tty;
		if (!tty)
			return -ENXIO;
		if (tty->kind == TTY_PTY_SLAVE)
			tty->count++;
		noctty = true;
	} else {
		tty = tty_lookup(dev);
		if (!tty)
			return -ENXIO;
		/* As Linux, opening /dev/console never acquires it. */
		if (dev == MKDEV(TTYAUX_MAJOR, 1))
			noctty = true;
	}
	file->priv = tty;
	if (!noctty && (file->mode & FMODE_READ))
		tty_open_ctty(tty);
	return 0;
}

static void tty_release(struct file *file)
{
	struct tty *tty = file->priv;

	if (tty && tty->link)
		pty_release(tty);
}

/*
 * A packet-mode master's read finds the slave's control status pending:
 * return it alone and clear it. Interrupts masked, restored here.
 */
static ssize_t tty_read_status(struct tty *tty, struct uio *uio,
			       irqflags_t fl)
{
	char c = (char)tty->link->pktstatus;

	tty->link->pktstatus = 0;
	irq_restore(fl);
	return uiomove(&c, 1, uio) ? -EFAULT : 1;
}

/*
 * read(2): canonical mode returns at most one line, waiting for a
 * complete one. Otherwise, with MIN = VMIN and TIME = VTIME tenths of a
 * second: MIN > 0 waits for MIN bytes, TIME > 0 then being an inter-byte
 * timer started after the first; MIN = 0 returns what is there, waiting
 * up to TIME for at least one byte; once MIN is reached, what else is
 * already there comes too. A pty master in packet mode (TIOCPKT) returns
 * either the slave's pending control status, a byte alone, or
 * TIOCPKT_DATA and the data after it, as Linux's n_tty_read.
 */
static ssize_t tty_read(struct file *file, struct uio *uio, off_t *pos)
{
	struct tty *tty = file->priv;
	struct n_tty *ld = &tty->ld;
	size_t start = uio->resid;
	char kbuf[TTY_CHUNK];
	bool canon = ld->termios.c_lflag & ICANON;
	bool packet = tty->packet;
	bool may_wait = true, more = false;
	size_t minimum = 0;
	uint64_t interval_ns = 0, deadline = 0;
	ssize_t ret;

	/* A hung-up file reads end of file (Linux's hung_up_tty_read). */
	if (tty_hung(tty, file))
		return 0;
	ret = tty_check_change(tty, SIGTTIN);
	if (ret)
		return ret;
	if (!canon) {
		uint64_t time_ns = ld->termios.c_cc[VTIME] *
				   NSEC_PER_DECISECOND;

		minimum = ld->termios.c_cc[VMIN];
		if (minimum) {
			interval_ns = time_ns;
		} else {
			minimum = 1;
			if (time_ns)
				deadline = clock_monotonic_ns() + time_ns;
			else
				may_wait = false;
		}
	}

	while (uio->resid) {
		irqflags_t fl = irq_save();
		bool line_done;
		size_t n = 0;

		if (packet && !more && tty->link->pktstatus) {
			if (start != uio->resid) {
				irq_restore(fl);
				break;
			}
			return tty_read_status(tty, uio, fl);
		}
		if (!n_tty_input_available(ld, false)) {
			/* Another reader took what was left. */
			if (more) {
				irq_restore(fl);
				break;
			}
			/* Hung up while waiting: end of file. */
			if (file->mode & FMODE_HUNG_UP) {
				irq_restore(fl);
				break;
			}
			/* A pty whose other side went away: Linux's EIO. */
			if (tty->other_closed) {
				irq_restore(fl);
				ret = -EIO;
				break;
			}
			if (!may_wait ||
			    (deadline && clock_monotonic_ns() >= deadline)) {
				irq_restore(fl);
				break;
			}
			if (file->flags & O_NONBLOCK) {
				irq_restore(fl);
				ret = -EAGAIN;
				break;
			}
			ret = wq_sleep(&tty->read_wq, deadline);
			irq_restore(fl);
			if (ret)
				break;
			continue;
		}
		if (packet && !canon && start == uio->resid)
			kbuf[n++] = TIOCPKT_DATA;
		n += n_tty_read(ld, kbuf + n,
				MIN(sizeof(kbuf), uio->resid) - n, &line_done);
		more = n_tty_input_available(ld, false);
		if (tty->link)
			wq_wake_all(&tty->link->write_wq);
		irq_restore(fl);
		if (uiomove(kbuf, n, uio)) {
			ret = -EFAULT;
			break;
		}
		if (canon) {
			if (line_done)
				break;
			continue;
		}
		if (start - uio->resid >= minimum) {
			if (!more)
				break;
			continue;
		}
		if (interval_ns)
			deadline = clock_monotonic_ns() + interval_ns;
	}
	if (start != uio->resid)
		return (ssize_t)(start - uio->resid);
	return ret;
}

/*
 * Bytes a write may hand to the line discipline now: none while output
 * is stopped; for a pty, what the other side's input has room for, an
 * eighth of it under OPOST (a TAB may become eight spaces).
 */
static size_t tty_write_room(struct tty *tty)
{
	size_t room;

	if (n_tty_output_stopped(&tty->ld))
		return 0;
	if (!tty->link)
		return TTY_CHUNK;
	room = n_tty_receive_room(&tty->link->ld);
	if (tty->ld.termios.c_oflag & OPOST)
		room /= 8;
	return MIN(room, (size_t)TTY_CHUNK);
}

/* Wait for room to write: the bytes that may go, or -errno. */
static ssize_t tty_wait_room(struct tty *tty, struct file *file)
{
	irqflags_t fl = irq_save();
	ssize_t ret;

	for (;;) {
		if (tty_hung(tty, file)) {
			ret = -EIO;
			break;
		}
		ret = (ssize_t)tty_write_room(tty);
		if (ret)
			break;
		if (file->flags & O_NONBLOCK) {
			ret = -EAGAIN;
			break;
		}
		ret = wq_sleep(&tty->write_wq, 0);
		if (ret)
			break;
	}
	irq_restore(fl);
	return ret;
}

/* Send @len bytes written to @tty on their way. */
static void tty_send(struct tty *tty, const char *buf, size_t len)
{
	irqflags_t fl = irq_save();

	/* A master has no output processing: its bytes are slave input. */
	if (tty->kind == TTY_PTY_MASTER)
		pty_receive(tty->link, buf, len);
	else
		n_tty_write(&tty->ld, buf, len);
	irq_restore(fl);
}

/*
 * write(2): with TOSTOP a background group is stopped first; the data
 * goes out in chunks, so a signal ends a long write early with the count
 * written so far. A hung-up file gets EIO.
 */
static ssize_t tty_write(struct file *file, struct uio *uio, off_t *pos)
{
	struct tty *tty = file->priv;
	size_t start = uio->resid;
	char kbuf[TTY_CHUNK];
	ssize_t ret = 0;

	if (tty_hung(tty, file))
		return -EIO;
	if (tty->ld.termios.c_lflag & TOSTOP) {
		ret = tty_check_change(tty, SIGTTOU);
		if (ret)
			return ret;
	}
	while (uio->resid) {
		size_t before = uio->resid;
		int err;

		if (signal_pending()) {
			ret = -ERESTARTSYS;
			break;
		}
		ret = tty_wait_room(tty, file);
		if (ret < 0)
			break;
		err = uiomove(kbuf, MIN((size_t)ret, uio->resid), uio);
		tty_send(tty, kbuf, before - uio->resid);
		ret = 0;
		if (err) {
			ret = -EFAULT;
			break;
		}
	}
	if (start != uio->resid)
		return (ssize_t)(start - uio->resid);
	return ret;
}

/*
 * poll: input to read; room to write (always on the console); POLLHUP on
 * a master whose slave was closed; POLLPRI (and POLLIN) on a master in
 * packet mode with the slave's status pending; everything on a hung-up
 * file.
 */
static unsigned tty_poll(struct file *file, struct poll_table *pt)
{
	struct tty *tty = file->priv;
	unsigned mask = 0;
	irqflags_t fl;

	if (tty_hung(tty, file))
		return POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDNORM |
		       POLLWRNORM;
	poll_wait(file, &tty->read_wq, pt);
	poll_wait(file, &tty->write_wq, pt);
	fl = irq_save();
	if (n_tty_input_available(&tty->ld, true))
		mask |= POLLIN | POLLRDNORM;
	if (tty->packet && tty->link->pktstatus)
		mask |= POLLPRI | POLLIN | POLLRDNORM;
	if (tty->other_closed)
		mask |= POLLHUP;
	if (!tty->link || tty_write_room(tty))
		mask |= POLLOUT | POLLWRNORM;
	irq_restore(fl);
	return mask;
}

const struct file_ops tty_fops = {
	.open = tty_open,
	.release = tty_release,
	.read = tty_read,
	.write = tty_write,
	.poll = tty_poll,
	.ioctl = tty_ioctl,
};

const char *tty_name(struct tty *tty)
{
	return tty ? tty->name : "";
}

dev_t tty_devnum(struct tty *tty)
{
	return tty ? tty->devnum : 0;
}
