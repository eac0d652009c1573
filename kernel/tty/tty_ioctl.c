/*
 * Terminal ioctls: termios (and the old termio) get/set, window size, flushing and flow
 * control, queue sizes, the line discipline number; the job-control ones
 * are passed on to tty_jobctl.c, the rest to pty.c (-ENOTTY there but on
 * a pty master). On a master, the termios, window and job-control
 * requests act on its slave, as Linux's tty_pair_get_tty.
 */
#include <aramid/compiler.h>
#include <aramid/string.h>
#include <platform/cpu.h>
#include <platform/usercopy.h>
#include <kernel/vfs.h>
#include <uapi/errno.h>
#include <uapi/ioctls.h>
#include <uapi/signal.h>
#include "tty_priv.h"

static int tty_get_termios(struct tty *tty, uptr_t p)
{
	struct termios t = tty->ld.termios;

	return copy_to_user(p, &t, sizeof(t));
}

/* TCGETA: the termios as a struct termio (the low 16 bits of each word). */
static int tty_get_termio(struct tty *tty, uptr_t p)
{
	const struct termios *t = &tty->ld.termios;
	struct termio o = {
		.c_iflag = (uint16_t)t->c_iflag, .c_oflag = (uint16_t)t->c_oflag,
		.c_cflag = (uint16_t)t->c_cflag, .c_lflag = (uint16_t)t->c_lflag,
		.c_line = t->c_line,
	};

	memcpy(o.c_cc, t->c_cc, NCC);
	return copy_to_user(p, &o, sizeof(o));
}

/*
 * The new termios of TCSETS* (a whole struct termios) or TCSETA* (a
 * struct termio over the low halves and first NCC characters of the
 * current one, as Linux's user_termio_to_kernel_termios).
 */
static int tty_read_termios(struct tty *tty, bool termio, uptr_t p,
			    struct termios *t)
{
	struct termio o;

	if (!termio)
		return copy_from_user(t, p, sizeof(*t)) ? -EFAULT : 0;
	if (copy_from_user(&o, p, sizeof(o)))
		return -EFAULT;
	*t = tty->ld.termios;
	t->c_iflag = (t->c_iflag & 0xffff0000u) | o.c_iflag;
	t->c_oflag = (t->c_oflag & 0xffff0000u) | o.c_oflag;
	t->c_cflag = (t->c_cflag & 0xffff0000u) | o.c_cflag;
	t->c_lflag = (t->c_lflag & 0xffff0000u) | o.c_lflag;
	t->c_line = o.c_line;
	memcpy(t->c_cc, o.c_cc, NCC);
	return 0;
}

/*
 * TCSETS, TCSETSW (output is never queued: no drain) and TCSETSF, and
 * their termio forms TCSETA, TCSETAW and TCSETAF; a pty slave's
 * packet-mode master is told of the flush and the change.
 */
static int tty_set_termios(struct tty *tty, unsigned cmd, uptr_t p)
{
	bool termio = cmd == TCSETA || cmd == TCSETAW || cmd == TCSETAF;
	struct termios t;
	irqflags_t fl;
	int ret;

	ret = tty_check_change(tty, SIGTTOU);
	if (ret)
		return ret;
	ret = tty_read_termios(tty, termio, p, &t);
	if (ret)
		return ret;
	fl = irq_save();
	if (cmd == TCSETSF || cmd == TCSETAF) {
		n_tty_flush_input(&tty->ld);
		pty_packet_status(tty, 0, TIOCPKT_FLUSHREAD);
	}
	if (tty->kind == TTY_PTY_SLAVE)
		pty_set_termios(tty, &t);
	n_tty_set_termios(&tty->ld, &t);
	irq_restore(fl);
	tty_wake(tty);
	return 0;
}

static int tty_set_winsize(struct tty *tty, uptr_t p)
{
	struct winsize ws;

	if (copy_from_user(&ws, p, sizeof(ws)))
		return -EFAULT;
	if (!memcmp(&ws, &tty->winsize, sizeof(ws)))
		return 0;
	tty->winsize = ws;
	tty_signal_fg(tty, SIGWINCH);
	return 0;
}

/*
 * TCFLSH. Output is never queued (the UART is written synchronously, a
 * pty's output is already the other side's input), so only input is
 * discarded; a pty slave's packet-mode master hears of both.
 */
static int tty_flush(struct tty *tty, unsigned long arg)
{
	unsigned status;
	irqflags_t fl;
	int ret;

	ret = tty_check_change(tty, SIGTTOU);
	if (ret)
		return ret;
	switch (arg) {
	case TCIFLUSH:
		status = TIOCPKT_FLUSHREAD;
		break;
	case TCOFLUSH:
		status = TIOCPKT_FLUSHWRITE;
		break;
	case TCIOFLUSH:
		status = TIOCPKT_FLUSHREAD | TIOCPKT_FLUSHWRITE;
		break;
	default:
		return -EINVAL;
	}
	fl = irq_save();
	if (status & TIOCPKT_FLUSHREAD)
		n_tty_flush_input(&tty->ld);
	pty_packet_status(tty, 0, status);
	irq_restore(fl);
	return 0;
}

static int tty_xonc(struct tty *tty, unsigned long arg)
{
	irqflags_t fl;
	int ret;

	ret = tty_check_change(tty, SIGTTOU);
	if (ret)
		return ret;
	if (arg > TCION)
		return -EINVAL;
	fl = irq_save();
	n_tty_flow(&tty->ld, (int)arg);
	irq_restore(fl);
	tty_wake(tty);
	return 0;
}

static int put_int(uptr_t p, int v)
{
	return put_user(v, p);
}

/* struct serial_struct, for TIOCGSERIAL. */
struct serial_struct {
	int32_t type, line;
	uint32_t port;
	int32_t irq, flags, xmit_fifo_size, custom_divisor, baud_base;
	uint16_t close_delay;
	uint8_t io_type, reserved_char;
	int32_t hub6;
	uint16_t closing_wait, closing_wait2;
	uint64_t iomem_base;
	uint16_t iomem_reg_shift;
	uint32_t port_high;
	uint64_t iomap_base;
};
_Static_assert(sizeof(struct serial_struct) == 72, "serial_struct");

/*
 * TIOCGSERIAL: the one serial line, COM1 (ttyS0). BusyBox's cttyhack asks
 * this of the console to find the tty behind it.
 */
static int tty_get_serial(uptr_t p)
{
	struct serial_struct ss = {
		.type = 4,		/* PORT_16550A */
		.line = 0,
		.port = 0x3f8,
		.irq = 4,
		.xmit_fifo_size = 16,
		.baud_base = 115200,
		.close_delay = 50,
		.closing_wait = 3000,
	};

	return copy_to_user(p, &ss, sizeof(ss));
}

/*
 * file_ops.ioctl of every tty. Process context. @p is the argument as
 * the caller passed it: a user pointer for most requests, a number by
 * value for TIOCSCTTY, TCFLSH and TCXONC (uptr_to_ulong).
 */
long tty_ioctl(struct file *file, unsigned cmd, uptr_t p)
{
	struct tty *tty = file->priv;
	struct tty *real = tty_real(tty);
	irqflags_t fl;
	int v;

	/* A hung-up file: Linux's hung_up_tty_ioctl. */
	if (tty_hung(tty, file))
		return cmd == TIOCSPGRP ? -ENOTTY : -EIO;
	switch (cmd) {
	case TCGETS:
		return tty_get_termios(real, p);
	case TCGETA:
		return tty_get_termio(real, p);
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
	case TCSETA:
	case TCSETAW:
	case TCSETAF:
		return tty_set_termios(real, cmd, p);
	case TIOCGWINSZ:
		return copy_to_user(p, &real->winsize, sizeof(real->winsize));
	case TIOCSWINSZ:
		return tty_set_winsize(real, p);
	case TIOCGPGRP:
		return tty_tiocgpgrp(tty, p);
	case TIOCSPGRP:
		return tty_tiocspgrp(tty, p);
	case TIOCGSID:
		return tty_tiocgsid(tty, p);
	case TIOCSCTTY:
		return tty_tiocsctty(real, uptr_to_ulong(p));
	case TIOCNOTTY:
		return tty_tiocnotty(tty);
	case FIONREAD:
		fl = irq_save();
		v = (int)n_tty_readable(&tty->ld);
		irq_restore(fl);
		return put_int(p, v);
	case TIOCOUTQ:
		/* Output is written to the UART synchronously. */
		return put_int(p, 0);
	case TCFLSH:
		return tty_flush(tty, uptr_to_ulong(p));
	case TCXONC:
		return tty_xonc(tty, uptr_to_ulong(p));
	case TCSBRK:
	case TCSBRKP:
	case TIOCSBRK:
	case TIOCCBRK:
		/*
		 * The drain half of TCSBRK is immediate (no output queue);
		 * the UART driver cannot send a break, and Linux reports
		 * success for such drivers.
		 */
		return tty_check_change(tty, SIGTTOU);
	case TIOCGSERIAL:
		return tty->link ? -ENOTTY : tty_get_serial(p);
	case TIOCGETD:
		return put_int(p, N_TTY);
	case TIOCSETD:
		if (get_user(v, p))
			return -EFAULT;
		return v == N_TTY ? 0 : -EINVAL;
	case TIOCEXCL:
	case TIOCNXCL:
		/*
		 * Exclusive mode only refuses unprivileged opens, and every
		 * process is privileged here (there are no credentials).
		 */
		return 0;
	default:
		return pty_ioctl(file, tty, cmd, p);
	}
}
