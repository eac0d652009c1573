/*
 * The N_TTY line discipline (see n_tty.h): what Linux's drivers/tty/n_tty.c
 * does for one terminal, minus parity marking (a pty master's packet mode
 * is the tty layer's, told of flow changes through ops->flow). Input bytes
 * go through n_tty_receive(): input translation, flow-control and signal
 * characters, canonical editing (erase, word erase, kill, literal next,
 * reprint, EOF, EOL) and echo. Output (echo and writes) goes through the
 * OPOST translation and column tracking of output_char().
 */
#include <aramid/compiler.h>
#include <aramid/string.h>
#include <uapi/signal.h>
#include "n_tty.h"

#define MASK(pos)	((pos) & (N_TTY_BUF_SIZE - 1))
#define CTRL(c)		((c) & 0x1f)

const struct termios n_tty_default_termios = {
	.c_iflag = ICRNL | IXON,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = B38400 | CS8 | CREAD | HUPCL,
	.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE |
		   IEXTEN,
	.c_line = N_TTY,
	.c_cc = {
		[VINTR] = CTRL('C'),	[VQUIT] = CTRL('\\'),
		[VERASE] = 0177,	[VKILL] = CTRL('U'),
		[VEOF] = CTRL('D'),	[VTIME] = 0,
		[VMIN] = 1,		[VSWTC] = 0,
		[VSTART] = CTRL('Q'),	[VSTOP] = CTRL('S'),
		[VSUSP] = CTRL('Z'),	[VEOL] = 0,
		[VREPRINT] = CTRL('R'),	[VDISCARD] = CTRL('O'),
		[VWERASE] = CTRL('W'),	[VLNEXT] = CTRL('V'),
		[VEOL2] = 0,
	},
};

static bool is_cntrl(uint8_t c)
{
	return c < 0x20 || c == 0x7f;
}

/* A word character for VWERASE; bytes of UTF-8 sequences count as one. */
static bool is_word(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static bool is_continuation(const struct n_tty *ld, uint8_t c)
{
	return (ld->termios.c_iflag & IUTF8) && (c & 0xc0) == 0x80;
}

/* True if @c is the (enabled) control character c_cc[@idx]. */
static bool is_cc(const struct n_tty *ld, uint8_t c, int idx)
{
	uint8_t v = ld->termios.c_cc[idx];

	return v != _POSIX_VDISABLE && c == v;
}

static size_t read_cnt(const struct n_tty *ld)
{
	return ld->read_head - ld->read_tail;
}

/* --- output ----------------------------------------------------------- */

static void flush_output(struct n_tty *ld)
{
	if (ld->olen) {
		ld->ops->output(ld, ld->obuf, ld->olen);
		ld->olen = 0;
	}
}

static void put_raw(struct n_tty *ld, uint8_t c)
{
	if (ld->olen == sizeof(ld->obuf))
		flush_output(ld);
	ld->obuf[ld->olen++] = (char)c;
}

/* Output @c with OPOST processing, keeping the column up to date. */
static void output_char(struct n_tty *ld, uint8_t c)
{
	uint32_t oflag = ld->termios.c_oflag;
	unsigned spaces;

	if (!(oflag & OPOST)) {
		put_raw(ld, c);
		return;
	}
	switch (c) {
	case '\n':
		if (oflag & ONLRET)
			ld->column = 0;
		if (oflag & ONLCR) {
			ld->column = ld->canon_column = 0;
			put_raw(ld, '\r');
			put_raw(ld, '\n');
			return;
		}
		ld->canon_column = ld->column;
		break;
	case '\r':
		if ((oflag & ONOCR) && ld->column == 0)
			return;
		if (oflag & OCRNL) {
			c = '\n';
			if (oflag & ONLRET)
				ld->column = ld->canon_column = 0;
			break;
		}
		ld->column = ld->canon_column = 0;
		break;
	case '\t':
		spaces = 8 - (ld->column & 7);
		ld->column += spaces;
		if ((oflag & TABDLY) == XTABS) {
			while (spaces--)
				put_raw(ld, ' ');
			return;
		}
		break;
	case '\b':
		if (ld->column > 0)
			ld->column--;
		break;
	default:
		if (!is_cntrl(c)) {
			if ((oflag & OLCUC) && c >= 'a' && c <= 'z')
				c -= 'a' - 'A';
			if (!is_continuation(ld, c))
				ld->column++;
		}
		break;
	}
	put_raw(ld, c);
}

/* Echo @c as typed: a control character as ^X under ECHOCTL (not TAB). */
static void echo_char(struct n_tty *ld, uint8_t c)
{
	if ((ld->termios.c_lflag & ECHOCTL) && is_cntrl(c) && c != '\t') {
		put_raw(ld, '^');
		put_raw(ld, c ^ 0100);
		ld->column += 2;
	} else {
		output_char(ld, c);
	}
}

/* Close an ECHOPRT erase sequence "\...". */
static void finish_erasing(struct n_tty *ld)
{
	if (ld->erasing) {
		output_char(ld, '/');
		ld->erasing = false;
	}
}

/* Remember where the line being edited starts on screen. */
static void set_canon_column(struct n_tty *ld)
{
	if (ld->canon_head == ld->read_head)
		ld->canon_column = ld->column;
}

static void echo_erase_cell(struct n_tty *ld)
{
	output_char(ld, '\b');
	output_char(ld, ' ');
	output_char(ld, '\b');
}

/*
 * Move the cursor back over an erased TAB: @num_chars columns were used
 * since the previous TAB (@after_tab) or since the start of the line.
 */
static void echo_erase_tab(struct n_tty *ld, unsigned num_chars,
			   bool after_tab)
{
	unsigned num_bs;

	if (!after_tab)
		num_chars += ld->canon_column;
	num_bs = 8 - (num_chars & 7);
	while (num_bs--) {
		put_raw(ld, '\b');
		if (ld->column > 0)
			ld->column--;
	}
}

/* --- flow control ----------------------------------------------------- */

/* Linux's stop_tty: stop output, telling the terminal if it was running. */
static void stop_output(struct n_tty *ld)
{
	if (ld->stopped)
		return;
	ld->stopped = true;
	if (ld->ops->flow)
		ld->ops->flow(ld, true);
}

/* Linux's start_tty: restart output, unless TCOOFF holds it. */
static void start_output(struct n_tty *ld)
{
	if (!ld->stopped || ld->tco_stopped)
		return;
	ld->stopped = false;
	if (ld->ops->flow)
		ld->ops->flow(ld, false);
}

/* --- input ------------------------------------------------------------ */

static void put_input(struct n_tty *ld, uint8_t c, uint8_t flags)
{
	ld->buf[MASK(ld->read_head)] = c;
	ld->flags[MASK(ld->read_head)] = flags;
	ld->read_head++;
}

void n_tty_flush_input(struct n_tty *ld)
{
	ld->read_tail = ld->canon_head = ld->read_head = 0;
	memset(ld->flags, 0, sizeof(ld->flags));
	ld->erasing = false;
	ld->lnext = false;
}

enum kill_type { ERASE, WERASE, KILL };

/* Echo the erasure of the character of @cnt bytes at @head. */
static void echo_erased(struct n_tty *ld, enum kill_type kill_type,
			uint8_t typed, size_t head, size_t cnt)
{
	uint32_t lflag = ld->termios.c_lflag;
	uint8_t c = ld->buf[MASK(head)];

	if (lflag & ECHOPRT) {
		if (!ld->erasing) {
			output_char(ld, '\\');
			ld->erasing = true;
		}
		echo_char(ld, c);
		while (--cnt > 0) {
			output_char(ld, ld->buf[MASK(++head)]);
			if (ld->column > 0)
				ld->column--;
		}
	} else if (kill_type == ERASE && !(lflag & ECHOE)) {
		echo_char(ld, typed);
	} else if (c == '\t') {
		unsigned num_chars = 0;
		bool after_tab = false;
		size_t tail = ld->read_head;

		while (tail != ld->canon_head) {
			uint8_t t = ld->buf[MASK(--tail)];

			if (t == '\t') {
				after_tab = true;
				break;
			}
			if (is_cntrl(t)) {
				if (lflag & ECHOCTL)
					num_chars += 2;
			} else if (!is_continuation(ld, t)) {
				num_chars++;
			}
		}
		echo_erase_tab(ld, num_chars, after_tab);
	} else {
		/* ^X took two cells, a raw control character none. */
		if (is_cntrl(c) && (lflag & ECHOCTL))
			echo_erase_cell(ld);
		if (!is_cntrl(c) || (lflag & ECHOCTL))
			echo_erase_cell(ld);
	}
}

/*
 * Erase (VERASE or ^H: one character), word erase (VWERASE) or kill
 * (VKILL: the whole line) in the line being edited, with their echo.
 */
static void eraser(struct n_tty *ld, uint8_t c)
{
	uint32_t lflag = ld->termios.c_lflag;
	enum kill_type kill_type;
	unsigned seen_alnums = 0;

	if (ld->read_head == ld->canon_head)
		return;
	if (is_cc(ld, c, VERASE) || c == '\b') {
		kill_type = ERASE;
	} else if (is_cc(ld, c, VWERASE)) {
		kill_type = WERASE;
	} else {
		if (!(lflag & ECHO)) {
			ld->read_head = ld->canon_head;
			return;
		}
		if (!(lflag & ECHOK) || !(lflag & ECHOKE) ||
		    !(lflag & ECHOE)) {
			ld->read_head = ld->canon_head;
			finish_erasing(ld);
			echo_char(ld, c);
			if (lflag & ECHOK)
				output_char(ld, '\n');
			return;
		}
		kill_type = KILL;
	}

	while (ld->read_head != ld->canon_head) {
		size_t head = ld->read_head;
		uint8_t prev;

		/* One character, which may be several UTF-8 bytes. */
		do {
			prev = ld->buf[MASK(--head)];
		} while (is_continuation(ld, prev) && head != ld->canon_head);
		if (is_continuation(ld, prev))
			break;
		if (kill_type == WERASE) {
			if (is_word(prev))
				seen_alnums++;
			else if (seen_alnums)
				break;
		}
		size_t cnt = ld->read_head - head;

		ld->read_head = head;
		if (lflag & ECHO)
			echo_erased(ld, kill_type, c, head, cnt);
		if (kill_type == ERASE)
			break;
	}
	if (ld->read_head == ld->canon_head && (lflag & ECHO))
		finish_erasing(ld);
}

/* End the line being edited with @c (@flags adds NTTY_F_EOF). */
static void end_line(struct n_tty *ld, uint8_t c, uint8_t flags)
{
	if (read_cnt(ld) >= N_TTY_BUF_SIZE)
		return;
	put_input(ld, c, NTTY_F_DELIM | flags);
	ld->canon_head = ld->read_head;
}

/*
 * An ordinary character: echo and store it. One byte of the buffer is
 * kept for a line delimiter, so a canonical line holds 4095 characters;
 * what arrives beyond that is dropped, unechoed.
 */
static void receive_plain(struct n_tty *ld, uint8_t c, bool raw_newline)
{
	if (read_cnt(ld) >= N_TTY_BUF_SIZE - 1)
		return;
	if (ld->termios.c_lflag & ECHO) {
		finish_erasing(ld);
		if (c == '\n' && raw_newline) {
			output_char(ld, '\n');
		} else {
			set_canon_column(ld);
			echo_char(ld, c);
		}
	}
	put_input(ld, c, 0);
}

/* A canonical-mode special character: true if @c was consumed. */
static bool receive_canon(struct n_tty *ld, uint8_t c)
{
	uint32_t lflag = ld->termios.c_lflag;
	bool iexten = lflag & IEXTEN;

	if (is_cc(ld, c, VERASE) || is_cc(ld, c, VKILL) || c == '\b' ||
	    (iexten && is_cc(ld, c, VWERASE))) {
		eraser(ld, c);
		return true;
	}
	if (iexten && is_cc(ld, c, VLNEXT)) {
		ld->lnext = true;
		if (lflag & ECHO) {
			finish_erasing(ld);
			if (lflag & ECHOCTL) {
				output_char(ld, '^');
				output_char(ld, '\b');
			}
		}
		return true;
	}
	if (iexten && (lflag & ECHO) && is_cc(ld, c, VREPRINT)) {
		finish_erasing(ld);
		echo_char(ld, c);
		output_char(ld, '\n');
		for (size_t p = ld->canon_head; p != ld->read_head; p++)
			echo_char(ld, ld->buf[MASK(p)]);
		return true;
	}
	if (c == '\n') {
		if (lflag & (ECHO | ECHONL))
			output_char(ld, '\n');
		end_line(ld, c, 0);
		return true;
	}
	if (is_cc(ld, c, VEOF)) {
		end_line(ld, 0, NTTY_F_EOF);
		return true;
	}
	if (is_cc(ld, c, VEOL) || (iexten && is_cc(ld, c, VEOL2))) {
		if (lflag & ECHO) {
			set_canon_column(ld);
			echo_char(ld, c);
		}
		end_line(ld, c, 0);
		return true;
	}
	return false;
}

/* VINTR, VQUIT or VSUSP under ISIG. */
static void receive_signal_char(struct n_tty *ld, uint8_t c, int sig)
{
	ld->ops->signal(ld, sig);
	if (!(ld->termios.c_lflag & NOFLSH)) {
		n_tty_flush_input(ld);
		if (ld->ops->flushed)
			ld->ops->flushed(ld);
	}
	if (ld->termios.c_iflag & IXON)
		start_output(ld);
	if (ld->termios.c_lflag & ECHO)
		echo_char(ld, c);
}

static void receive_char(struct n_tty *ld, uint8_t c)
{
	uint32_t iflag = ld->termios.c_iflag;
	uint32_t lflag = ld->termios.c_lflag;
	bool from_cr = false;
	int sig = 0;

	if (iflag & ISTRIP)
		c &= 0x7f;
	if ((iflag & IUCLC) && (lflag & IEXTEN) && c >= 'A' && c <= 'Z')
		c += 'a' - 'A';

	if (ld->lnext) {
		ld->lnext = false;
		receive_plain(ld, c, false);
		return;
	}
	if (iflag & IXON) {
		if (is_cc(ld, c, VSTART)) {
			start_output(ld);
			return;
		}
		if (is_cc(ld, c, VSTOP)) {
			stop_output(ld);
			return;
		}
	}
	if (lflag & ISIG) {
		if (is_cc(ld, c, VINTR))
			sig = SIGINT;
		else if (is_cc(ld, c, VQUIT))
			sig = SIGQUIT;
		else if (is_cc(ld, c, VSUSP))
			sig = SIGTSTP;
		if (sig) {
			receive_signal_char(ld, c, sig);
			return;
		}
	}
	if ((iflag & (IXON | IXANY)) == (IXON | IXANY))
		start_output(ld);

	if (c == '\r') {
		if (iflag & IGNCR)
			return;
		if (iflag & ICRNL) {
			c = '\n';
			from_cr = true;
		}
	} else if (c == '\n' && (iflag & INLCR)) {
		c = '\r';
	}

	if ((lflag & ICANON) && receive_canon(ld, c))
		return;
	receive_plain(ld, c, from_cr);
}

void n_tty_receive(struct n_tty *ld, uint8_t c)
{
	receive_char(ld, c);
	flush_output(ld);
}

void n_tty_init(struct n_tty *ld, const struct n_tty_ops *ops)
{
	memset(ld, 0, sizeof(*ld));
	ld->termios = n_tty_default_termios;
	ld->ops = ops;
}

void n_tty_set_termios(struct n_tty *ld, const struct termios *t)
{
	uint32_t old_lflag = ld->termios.c_lflag;
	uint32_t old_iflag = ld->termios.c_iflag;

	ld->termios = *t;
	if ((old_lflag ^ t->c_lflag) & ICANON) {
		/* Line structure is forgotten, EOF marks become NUL data. */
		memset(ld->flags, 0, sizeof(ld->flags));
		if (!(t->c_lflag & ICANON) || read_cnt(ld) == 0) {
			ld->canon_head = ld->read_tail;
		} else {
			ld->flags[MASK(ld->read_head - 1)] = NTTY_F_DELIM;
			ld->canon_head = ld->read_head;
		}
		ld->erasing = false;
		ld->lnext = false;
	}
	if ((old_iflag & IXON) && !(t->c_iflag & IXON))
		start_output(ld);
}

bool n_tty_input_available(const struct n_tty *ld, bool poll)
{
	const struct termios *t = &ld->termios;
	size_t amt = 1;

	if (t->c_lflag & ICANON)
		return ld->canon_head != ld->read_tail;
	if (poll && t->c_cc[VTIME] == 0 && t->c_cc[VMIN] != 0)
		amt = t->c_cc[VMIN];
	return read_cnt(ld) >= amt;
}

size_t n_tty_receive_room(const struct n_tty *ld)
{
	size_t used = read_cnt(ld);

	if (used < N_TTY_BUF_SIZE - 1)
		return N_TTY_BUF_SIZE - 1 - used;
	return (ld->termios.c_lflag & ICANON) && ld->canon_head == ld->read_tail;
}

size_t n_tty_readable(const struct n_tty *ld)
{
	size_t nr;

	if (!(ld->termios.c_lflag & ICANON))
		return read_cnt(ld);
	nr = ld->canon_head - ld->read_tail;
	for (size_t p = ld->read_tail; p != ld->canon_head; p++)
		if (ld->flags[MASK(p)] & NTTY_F_EOF)
			nr--;
	return nr;
}

size_t n_tty_read(struct n_tty *ld, char *dst, size_t len, bool *line_done)
{
	size_t n = 0;

	*line_done = false;
	if (!(ld->termios.c_lflag & ICANON)) {
		while (n < len && ld->read_tail != ld->read_head)
			dst[n++] = (char)ld->buf[MASK(ld->read_tail++)];
		return n;
	}
	while (ld->read_tail != ld->canon_head) {
		size_t i = MASK(ld->read_tail);
		uint8_t f = ld->flags[i];

		if (f & NTTY_F_EOF) {
			ld->flags[i] = 0;
			ld->read_tail++;
			*line_done = true;
			break;
		}
		if (n == len)
			break;
		dst[n++] = (char)ld->buf[i];
		ld->flags[i] = 0;
		ld->read_tail++;
		if (f & NTTY_F_DELIM) {
			*line_done = true;
			break;
		}
	}
	return n;
}

void n_tty_write(struct n_tty *ld, const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		output_char(ld, (uint8_t)buf[i]);
	flush_output(ld);
}

void n_tty_flow(struct n_tty *ld, int action)
{
	uint8_t c;

	switch (action) {
	case TCOOFF:
		if (!ld->tco_stopped) {
			ld->tco_stopped = true;
			stop_output(ld);
		}
		break;
	case TCOON:
		if (ld->tco_stopped) {
			ld->tco_stopped = false;
			start_output(ld);
		}
		break;
	case TCIOFF:
	case TCION:
		c = ld->termios.c_cc[action == TCIOFF ? VSTOP : VSTART];
		if (c != _POSIX_VDISABLE) {
			put_raw(ld, c);
			flush_output(ld);
		}
		break;
	}
}
