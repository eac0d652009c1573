/*
 * The serial console as a tty: ttyS0 (4:64), also reached as /dev/console
 * (5:1). Received bytes come from the UART interrupt through
 * kernel_console_rx(); output goes to serial_write().
 */
#include <aramid/compiler.h>
#include <platform/panic.h>
#include <platform/serial.h>
#include <platform/cpu.h>
#include <platform/upcall.h>
#include <kernel/tty.h>
#include <kernel/vfs.h>
#include "tty_priv.h"

#define TTYS0_MINOR	64

static struct tty console_tty;
static bool console_ready;

static void console_output(struct n_tty *ld, const char *buf, size_t len)
{
	serial_write(buf, len);
}

static void console_signal(struct n_tty *ld, int sig)
{
	tty_signal_fg(container_of(ld, struct tty, ld), sig);
}

static const struct n_tty_ops console_ldisc_ops = {
	.output = console_output,
	.signal = console_signal,
};

void tty_init(void)
{
	/* The names of Linux's regions of each major, as /proc/devices has them. */
	static const char *const tty_names[] = { "ttyS", NULL };
	static const char *const aux_names[] = {
		"/dev/tty", "/dev/console", "/dev/ptmx", NULL,
	};
	static const char *const pts_names[] = { "pts", NULL };
	irqflags_t fl;
	int err;

	tty_setup(&console_tty, "ttyS0", MKDEV(TTY_MAJOR, TTYS0_MINOR),
		  &console_ldisc_ops);
	err = register_chrdev(TTY_MAJOR, tty_names, &tty_fops);
	if (err)
		panic("tty_init: major %d: error %d", TTY_MAJOR, err);
	err = register_chrdev(TTYAUX_MAJOR, aux_names, &tty_fops);
	if (err)
		panic("tty_init: major %d: error %d", TTYAUX_MAJOR, err);
	err = register_chrdev(UNIX98_PTY_SLAVE_MAJOR, pts_names,
			      &tty_fops);
	if (err)
		panic("tty_init: major %d: error %d", UNIX98_PTY_SLAVE_MAJOR,
		      err);
	err = devpts_init();
	if (err)
		panic("tty_init: devpts: error %d", err);
	fl = irq_save();
	console_ready = true;
	irq_restore(fl);
}

struct tty *tty_lookup(dev_t dev)
{
	if (dev == MKDEV(TTY_MAJOR, TTYS0_MINOR) ||
	    dev == MKDEV(TTYAUX_MAJOR, 1))
		return &console_tty;
	return NULL;
}

/*
 * A byte from the UART (interrupt context): the line discipline buffers,
 * echoes and signals; readers and writers are woken.
 */
void kernel_console_rx(uint8_t c)
{
	struct tty *tty = &console_tty;
	irqflags_t fl = irq_save();

	if (console_ready && (tty->ld.termios.c_cflag & CREAD)) {
		n_tty_receive(&tty->ld, c);
		tty_wake(tty);
	}
	irq_restore(fl);
}
