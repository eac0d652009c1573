/*
 * The N_TTY line discipline: input processing, canonical line editing,
 * echo, ISIG signal characters, software flow control state and output
 * post-processing, on a 4096-byte read buffer. It knows nothing of the
 * hardware or of processes: output and signals leave through a const ops
 * table, so it can be tested on the host.
 *
 * Locking: the caller serializes every call (the kernel masks interrupts
 * around them, since input arrives in interrupt context).
 */
#pragma once
#include <aramid/types.h>
#include <uapi/termios.h>

#define N_TTY_BUF_SIZE	4096	/* a power of two */
#define N_TTY_OBUF_SIZE	64	/* output batch before ops->output */

struct n_tty;

struct n_tty_ops {
	/* Send processed output bytes to the terminal. */
	void (*output)(struct n_tty *ld, const char *buf, size_t len);
	/* An ISIG character arrived: signal the foreground process group. */
	void (*signal)(struct n_tty *ld, int sig);
	/*
	 * Optional (NULL: nothing to tell). Output was stopped (@stopped)
	 * or started again: Linux's tty stop and start driver operations.
	 */
	void (*flow)(struct n_tty *ld, bool stopped);
	/*
	 * Optional. An ISIG character without NOFLSH discarded the input
	 * and whatever output was pending.
	 */
	void (*flushed)(struct n_tty *ld);
};

struct n_tty {
	struct termios termios;
	const struct n_tty_ops *ops;

	/*
	 * Free-running positions in buf (index with & (N_TTY_BUF_SIZE - 1)):
	 * read_tail <= canon_head <= read_head. In canonical mode
	 * [read_tail, canon_head) holds complete lines and [canon_head,
	 * read_head) the line being edited; in non-canonical mode
	 * canon_head == read_tail and everything is readable.
	 */
	size_t read_tail, canon_head, read_head;
	uint8_t buf[N_TTY_BUF_SIZE];
	uint8_t flags[N_TTY_BUF_SIZE];	/* NTTY_F_*, per byte of buf */

	unsigned column;		/* output column, for tabs and erase */
	unsigned canon_column;		/* column where the line began */
	bool lnext;			/* the next character is literal */
	bool erasing;			/* inside an ECHOPRT "\...../" */
	bool stopped;			/* output stopped (VSTOP or TCOOFF) */
	bool tco_stopped;		/* ... and TCOOFF is one of the causes */

	char obuf[N_TTY_OBUF_SIZE];
	size_t olen;
};

#define NTTY_F_DELIM	0x1	/* ends a line (newline, EOL, EOF) */
#define NTTY_F_EOF	0x2	/* an EOF mark: ends a line, is not data */

/* The termios a fresh Linux tty starts with. */
extern const struct termios n_tty_default_termios;

/* Initialize @ld with the default termios, an empty buffer and @ops. */
void n_tty_init(struct n_tty *ld, const struct n_tty_ops *ops);

/* Process one received byte: editing, echo, signals, flow control. */
void n_tty_receive(struct n_tty *ld, uint8_t c);

/*
 * Install @t (TCSETS): a switch into canonical mode turns pending input
 * into a complete line, a switch out of it makes all of it readable;
 * clearing IXON restarts output the STOP character stopped.
 */
void n_tty_set_termios(struct n_tty *ld, const struct termios *t);

/* Discard all buffered input (TCIFLUSH, ISIG without NOFLSH). */
void n_tty_flush_input(struct n_tty *ld);

/*
 * True if a read would find data: a complete line in canonical mode;
 * otherwise at least one byte, or for @poll with VTIME 0, VMIN bytes.
 */
bool n_tty_input_available(const struct n_tty *ld, bool poll);

/*
 * Bytes n_tty_receive() can store now without dropping any: 0 when the
 * buffer is full, except that a canonical line that fills it lets bytes
 * through (to be dropped) so that erase and a delimiter still work.
 */
size_t n_tty_receive_room(const struct n_tty *ld);

/* Bytes a read could return now (FIONREAD): EOF marks do not count. */
size_t n_tty_readable(const struct n_tty *ld);

/*
 * Copy up to @len bytes of input into @dst; returns the number copied.
 * Canonical mode copies from one line only and sets *@line_done when that
 * line (with its delimiter) has been consumed; an EOF mark is consumed
 * but not copied, so an EOF at the start of a line yields 0 bytes and
 * *@line_done. Non-canonical mode copies what is there.
 */
size_t n_tty_read(struct n_tty *ld, char *dst, size_t len, bool *line_done);

/* Output @len bytes with OPOST processing through ops->output. */
void n_tty_write(struct n_tty *ld, const char *buf, size_t len);

/* Output stopped by flow control (STOP character or TCOOFF). */
static inline bool n_tty_output_stopped(const struct n_tty *ld)
{
	return ld->stopped;
}

/*
 * TCXONC: TCOOFF/TCOON stop and restart output (TCIOFF/TCION send the
 * STOP/START character). As Linux, TCOON only undoes TCOOFF, and the
 * START character cannot restart output TCOOFF stopped.
 */
void n_tty_flow(struct n_tty *ld, int action);
