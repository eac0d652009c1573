/*
 * Host unit test of the N_TTY line discipline (kernel/tty/n_tty.c):
 * canonical editing, EOF, signal characters, echo, input translation,
 * non-canonical VMIN, output processing and flow control with its stop,
 * start and flush events. Prints "N passed, N failed".
 */
#include <stdio.h>
#include <aramid/string.h>
#include <uapi/signal.h>
#include "n_tty.h"

static char out[8192];
static size_t out_len;
static int last_sig, nsig;
static int nstop, nstart, nflushed;
static int passed, failed;

static void t_output(struct n_tty *ld, const char *buf, size_t len)
{
	memcpy(out + out_len, buf, len);
	out_len += len;
}

static void t_signal(struct n_tty *ld, int sig)
{
	last_sig = sig;
	nsig++;
}

static void t_flow(struct n_tty *ld, bool stopped)
{
	if (stopped)
		nstop++;
	else
		nstart++;
}

static void t_flushed(struct n_tty *ld)
{
	nflushed++;
}

static const struct n_tty_ops test_ops = {
	.output = t_output,
	.signal = t_signal,
	.flow = t_flow,
	.flushed = t_flushed,
};

static struct n_tty ld;

static void reset(void)
{
	n_tty_init(&ld, &test_ops);
	out_len = 0;
	last_sig = nsig = 0;
	nstop = nstart = nflushed = 0;
}

static void type(const char *s)
{
	while (*s)
		n_tty_receive(&ld, (uint8_t)*s++);
}

static void check(const char *name, bool ok)
{
	if (ok) {
		passed++;
	} else {
		failed++;
		printf("FAIL: %s\n", name);
	}
}

/* Read one chunk of up to @len bytes; check it equals @want (@wlen). */
static void check_read(const char *name, size_t len, const char *want,
		       size_t wlen)
{
	char buf[8192];
	bool done;
	size_t n = n_tty_read(&ld, buf, len, &done);

	check(name, n == wlen && !memcmp(buf, want, wlen));
}

static void check_echo(const char *name, const char *want)
{
	size_t wlen = strlen(want);

	check(name, out_len == wlen && !memcmp(out, want, wlen));
}

static void set_lflag(uint32_t on, uint32_t off)
{
	struct termios t = ld.termios;

	t.c_lflag = (t.c_lflag | on) & ~off;
	n_tty_set_termios(&ld, &t);
}

static void test_canon(void)
{
	bool done;
	char buf[16];

	reset();
	type("abc");
	check("partial line not readable", !n_tty_input_available(&ld, false));
	type("\r");
	check("CR completes line (ICRNL)", n_tty_input_available(&ld, false));
	check_echo("echo with ONLCR", "abc\r\n");
	check_read("line read", sizeof(buf), "abc\n", 4);

	reset();
	type("abx\x7f" "c\n");
	check_read("erase", 16, "abc\n", 4);
	check_echo("erase echo", "abx\b \bc\r\n");

	reset();
	type("ab\bc\n");
	check_read("^H erases", 16, "ac\n", 3);

	reset();
	type("junk\x15ok\n");
	check_read("kill", 16, "ok\n", 3);
	check_echo("kill echo (ECHOKE)",
		   "junk\b \b\b \b\b \b\b \bok\r\n");

	reset();
	set_lflag(0, ECHOKE);
	type("xy\x15z\n");
	check_echo("kill echo without ECHOKE", "xy^U\r\nz\r\n");

	reset();
	type("one two\x17three\n");
	check_read("word erase", 32, "one three\n", 10);

	reset();
	type("x\x16\x7fy\n");
	check_read("literal next", 16, "x\x7fy\n", 4);

	reset();
	type("hi\x04");
	check_read("EOF returns pending data", 16, "hi", 2);
	n_tty_read(&ld, buf, sizeof(buf), &done);
	check("nothing left after EOF read",
	      !n_tty_input_available(&ld, false));

	reset();
	type("\x04");
	check("EOF at line start is available",
	      n_tty_input_available(&ld, false));
	check("EOF read returns 0",
	      n_tty_read(&ld, buf, sizeof(buf), &done) == 0 && done);
	check("EOF not echoed", out_len == 0);

	reset();
	type("abcdef\n");
	check_read("short read 1", 4, "abcd", 4);
	check_read("short read 2", 4, "ef\n", 3);

	reset();
	type("l1\nl2\n");
	check_read("one line per read", 16, "l1\n", 3);
	check("FIONREAD counts rest", n_tty_readable(&ld) == 3);

	reset();
	for (int i = 0; i < 5000; i++)
		type("a");
	type("\n");
	check("line capped at 4095 + newline", n_tty_readable(&ld) == 4096);

	reset();
	type("a\tb\x7f\x7f");
	check_echo("tab erase", "a\tb\b \b\b\b\b\b\b\b\b");
	check("column after tab erase", ld.column == 1);
}

static void test_isig(void)
{
	reset();
	type("abc\x03");
	check("VINTR -> SIGINT", last_sig == SIGINT && nsig == 1);
	check("input flushed", n_tty_readable(&ld) == 0 &&
	      ld.read_head == ld.canon_head);
	check_echo("^C echoed", "abc^C");

	reset();
	type("\x1c");
	check("VQUIT -> SIGQUIT", last_sig == SIGQUIT);
	reset();
	type("\x1a");
	check("VSUSP -> SIGTSTP", last_sig == SIGTSTP);

	reset();
	set_lflag(NOFLSH, 0);
	type("ab\x03" "c\n");
	check_read("NOFLSH keeps input", 16, "abc\n", 4);

	reset();
	set_lflag(0, ISIG);
	type("\x03\n");
	check("no ISIG: no signal", nsig == 0);
	check_read("no ISIG: ^C is data", 16, "\x03\n", 2);
}

static void test_echo_ctl(void)
{
	reset();
	type("\x01\x1b\n");
	check_echo("ECHOCTL", "^A^[\r\n");

	reset();
	type("\x01\x7f");
	check_echo("erase of ^A takes two cells", "^A\b \b\b \b");

	reset();
	set_lflag(0, ECHOCTL);
	type("\x01\n");
	check_echo("no ECHOCTL: raw", "\x01\r\n");

	reset();
	set_lflag(ECHONL, ECHO);
	type("pw\n");
	check_echo("ECHONL without ECHO", "\r\n");
}

static void test_input_translation(void)
{
	struct termios t;

	reset();
	t = ld.termios;
	t.c_iflag = IGNCR;
	n_tty_set_termios(&ld, &t);
	type("a\rb\n");
	check_read("IGNCR", 16, "ab\n", 3);

	reset();
	t = ld.termios;
	t.c_iflag = INLCR;
	t.c_lflag &= ~ICANON;
	n_tty_set_termios(&ld, &t);
	type("\n");
	check_read("INLCR", 16, "\r", 1);

	reset();
	t = ld.termios;
	t.c_iflag = ISTRIP;
	t.c_lflag &= ~ICANON;
	n_tty_set_termios(&ld, &t);
	type("\xc1");
	check_read("ISTRIP", 16, "A", 1);

	reset();
	type("\x13x\x11\n");
	check_read("IXON: ^S/^Q consumed, rest kept", 16, "x\n", 2);
}

static void test_noncanon(void)
{
	struct termios t;

	reset();
	type("ab");
	t = ld.termios;
	t.c_lflag &= ~(ICANON | ECHO);
	t.c_cc[VMIN] = 3;
	t.c_cc[VTIME] = 0;
	n_tty_set_termios(&ld, &t);
	check("partial line readable after -icanon",
	      n_tty_input_available(&ld, false));
	check("poll waits for VMIN", !n_tty_input_available(&ld, true));
	type("c");
	check("poll ready at VMIN", n_tty_input_available(&ld, true));
	check("no echo with -echo", out_len == 2);
	check_read("raw read", 16, "abc", 3);

	reset();
	t = ld.termios;
	t.c_lflag &= ~ICANON;
	n_tty_set_termios(&ld, &t);
	type("\x7f\x04\n");
	check_read("raw: no editing", 16, "\x7f\x04\n", 3);

	reset();
	type("xy");
	t = ld.termios;
	t.c_lflag &= ~ICANON;
	n_tty_set_termios(&ld, &t);
	t.c_lflag |= ICANON;
	n_tty_set_termios(&ld, &t);
	check_read("icanon again: pending input is a line", 16, "xy", 2);
}

static void test_output(void)
{
	struct termios t;

	reset();
	n_tty_write(&ld, "a\nb", 3);
	check_echo("ONLCR", "a\r\nb");

	reset();
	t = ld.termios;
	t.c_oflag = 0;
	n_tty_set_termios(&ld, &t);
	n_tty_write(&ld, "a\nb", 3);
	check_echo("no OPOST", "a\nb");

	reset();
	t = ld.termios;
	t.c_oflag = OPOST | ONLCR | XTABS;
	n_tty_set_termios(&ld, &t);
	n_tty_write(&ld, "ab\tc", 4);
	check_echo("XTABS", "ab      c");

}

/* Flow control as Linux's stop_tty/start_tty and TCXONC. */
static void test_flow(void)
{
	struct termios t;

	reset();
	n_tty_flow(&ld, TCOOFF);
	check("TCOOFF stops", n_tty_output_stopped(&ld) && nstop == 1);
	n_tty_flow(&ld, TCOOFF);
	check("TCOOFF twice: one stop", nstop == 1);
	type("\x11");
	check("^Q cannot undo TCOOFF", n_tty_output_stopped(&ld) && !nstart);
	n_tty_flow(&ld, TCOON);
	check("TCOON restarts", !n_tty_output_stopped(&ld) && nstart == 1);
	n_tty_flow(&ld, TCOON);
	check("TCOON when running: nothing", nstart == 1);

	reset();
	type("\x13");
	check("^S stops", n_tty_output_stopped(&ld) && nstop == 1);
	type("\x13");
	check("^S twice: one stop", nstop == 1);
	n_tty_flow(&ld, TCOON);
	check("TCOON does not undo ^S", n_tty_output_stopped(&ld) && !nstart);
	type("\x11");
	check("^Q restarts", !n_tty_output_stopped(&ld) && nstart == 1);
	check("^S/^Q are not input", !n_tty_input_available(&ld, false) &&
	      ld.read_head == 0);

	reset();
	type("\x13");
	t = ld.termios;
	t.c_iflag &= ~IXON;
	n_tty_set_termios(&ld, &t);
	check("clearing IXON restarts", !n_tty_output_stopped(&ld) &&
	      nstart == 1);
	t.c_iflag |= IXON;
	n_tty_set_termios(&ld, &t);
	n_tty_flow(&ld, TCOOFF);
	t.c_iflag &= ~IXON;
	n_tty_set_termios(&ld, &t);
	check("... but not under TCOOFF", n_tty_output_stopped(&ld) &&
	      nstart == 1);

	reset();
	t = ld.termios;
	t.c_iflag |= IXANY;
	n_tty_set_termios(&ld, &t);
	type("\x13" "a");
	check("IXANY: any character restarts", !n_tty_output_stopped(&ld) &&
	      nstop == 1 && nstart == 1);

	reset();
	type("ab\x13\x03");
	check("ISIG: flushed and restarted", nflushed == 1 && nstart == 1 &&
	      !n_tty_output_stopped(&ld) && last_sig == SIGINT &&
	      ld.read_head == 0);
	set_lflag(NOFLSH, 0);
	type("ab\x03");
	check("NOFLSH: not flushed", nflushed == 1 && ld.read_head == 2);
}

int main(void)
{
	test_canon();
	test_isig();
	test_echo_ctl();
	test_input_translation();
	test_noncanon();
	test_output();
	test_flow();
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
