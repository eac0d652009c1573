/*
 * abi_ptypkt: pty packet mode (TIOCPKT, TIOCGPKT) as Linux has it. The
 * mode is the master's (ENOTTY on the slave and on other files, EFAULT
 * on a bad pointer); every master read then begins with a byte: 0
 * (TIOCPKT_DATA) before data, or alone, the slave's pending control
 * status (FLUSHREAD/FLUSHWRITE from tcflush, TCSETSF and an ISIG
 * character; STOP/START from tcflow and ^S/^Q; NOSTOP/DOSTOP when IXON
 * with ^S/^Q starts or stops applying; IOCTL when EXTPROC is involved),
 * which poll and select report as POLLPRI and which wakes a blocked
 * read. Enabling the mode clears what is pending.
 */
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <termios.h>

#ifndef EXTPROC
#define EXTPROC	0200000
#endif

static int open_pair(int *s)
{
	char name[64];
	int m = posix_openpt(O_RDWR | O_NOCTTY);

	if (m < 0 || grantpt(m) || unlockpt(m) ||
	    ptsname_r(m, name, sizeof(name))) {
		if (m >= 0)
			close(m);
		return -1;
	}
	*s = open(name, O_RDWR | O_NOCTTY);
	if (*s < 0) {
		close(m);
		return -1;
	}
	return m;
}

static int set_pkt(int m, int on)
{
	return ioctl(m, TIOCPKT, &on);
}

static int get_pkt(int m)
{
	int v = -1;

	return ioctl(m, TIOCGPKT, &v) ? -1 : v;
}

/* poll's revents for POLLIN|POLLPRI after waiting up to @ms. */
static short wait_ev(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLPRI };

	return poll(&p, 1, ms) == 1 ? p.revents : 0;
}

/*
 * One packet-mode read of up to @len bytes from master @m, once poll
 * says something is there (at most 2 s): the byte count, or -1 for
 * nothing or an error. The first byte is the packet header.
 */
static ssize_t pkt_read(int m, unsigned char *buf, size_t len)
{
	if (!(wait_ev(m, 2000) & (POLLIN | POLLPRI)))
		return -1;
	return read(m, buf, len);
}

/* The status byte of the next read, or -1 if it is not a lone status. */
static int status_read(int m)
{
	unsigned char buf[64];
	ssize_t n = pkt_read(m, buf, sizeof(buf));

	return n == 1 ? buf[0] : -1;
}

/*
 * Status bits that Linux sets in separate steps, waking the reader after
 * each (a TCIOFLUSH flushes input, then output; an ISIG character flushes
 * output, then input, then restarts output): a reader on another CPU
 * may get them in more than one byte. OR lone status bytes together
 * until they make @want, or nothing more comes.
 */
static int status_bits(int m, int want)
{
	int acc = 0, c;

	while (acc != want && (c = status_read(m)) >= 0)
		acc |= c;
	return acc;
}

/* Nothing pending on master @m within 100 ms: no status, no data. */
static bool quiet(int m)
{
	return wait_ev(m, 100) == 0;
}

static void test_mode(void)
{
	int s, m = open_pair(&s), v;

	CHECK("pair", m >= 0);
	if (m < 0)
		return;
	CHECK_EQ("TIOCGPKT: off on a new master", get_pkt(m), 0);
	CHECK_OK("TIOCPKT 1", set_pkt(m, 1));
	CHECK_EQ("TIOCGPKT: on", get_pkt(m), 1);
	CHECK_OK("TIOCPKT 0", set_pkt(m, 0));
	CHECK_EQ("TIOCGPKT: off", get_pkt(m), 0);
	CHECK_OK("TIOCPKT 5 (any nonzero)", set_pkt(m, 5));
	CHECK_EQ("TIOCGPKT: reads back 1", get_pkt(m), 1);
	CHECK_OK("TIOCPKT -1", set_pkt(m, -1));
	CHECK_EQ("TIOCGPKT: still 1", get_pkt(m), 1);

	CHECK_ERR("TIOCPKT bad pointer", ioctl(m, TIOCPKT, BAD_LOW), EFAULT);
	CHECK_EQ("mode kept after EFAULT", get_pkt(m), 1);
	CHECK_ERR("TIOCGPKT bad pointer", ioctl(m, TIOCGPKT, BAD_LOW), EFAULT);

	v = 1;
	CHECK_ERR("TIOCPKT on the slave", ioctl(s, TIOCPKT, &v), ENOTTY);
	CHECK_ERR("TIOCGPKT on the slave", ioctl(s, TIOCGPKT, &v), ENOTTY);
	CHECK_ERR("TIOCPKT on the slave, bad pointer",
		  ioctl(s, TIOCPKT, BAD_LOW), ENOTTY);
	int n = open("/dev/null", O_RDWR);
	CHECK_ERR("TIOCPKT on /dev/null", ioctl(n, TIOCPKT, &v), ENOTTY);
	CHECK_ERR("TIOCGPKT on /dev/null", ioctl(n, TIOCGPKT, &v), ENOTTY);
	close(n);
	int p[2];
	if (pipe(p) == 0) {
		CHECK_ERR("TIOCPKT on a pipe", ioctl(p[0], TIOCPKT, &v), ENOTTY);
		close(p[0]);
		close(p[1]);
	}
	close(s);
	close(m);
}

static void test_data(void)
{
	unsigned char buf[2048];
	int s, m = open_pair(&s);
	struct termios t;
	ssize_t n;

	CHECK("pair", m >= 0);
	if (m < 0)
		return;
	/* Raw slave output, so the bytes arrive as written. */
	tcgetattr(s, &t);
	t.c_oflag &= ~OPOST;
	tcsetattr(s, TCSANOW, &t);
	set_pkt(m, 1);
	CHECK("nothing pending at first", quiet(m));
	fcntl(m, F_SETFL, O_NONBLOCK);
	CHECK_ERR("O_NONBLOCK read with nothing: EAGAIN", read(m, buf, 8),
		  EAGAIN);
	fcntl(m, F_SETFL, 0);

	CHECK_EQ("slave writes", write(s, "hi", 2), 2);
	CHECK_EQ("data: POLLIN, no POLLPRI", wait_ev(m, 2000), POLLIN);
	n = pkt_read(m, buf, sizeof(buf));
	CHECK_EQ("read: header and data", n, 3);
	CHECK("header is TIOCPKT_DATA", n == 3 && buf[0] == TIOCPKT_DATA &&
	      !memcmp(buf + 1, "hi", 2));

	CHECK_EQ("slave writes xyz", write(s, "xyz", 3), 3);
	n = pkt_read(m, buf, 1);
	CHECK_EQ("1-byte read: the header alone", n, 1);
	CHECK_EQ("... which is TIOCPKT_DATA", buf[0], TIOCPKT_DATA);
	n = pkt_read(m, buf, 2);
	CHECK("2-byte read: header and one byte",
	      n == 2 && buf[0] == 0 && buf[1] == 'x');
	n = pkt_read(m, buf, sizeof(buf));
	CHECK("next read: header and the rest",
	      n == 3 && buf[0] == 0 && !memcmp(buf + 1, "yz", 2));

	/* All that is waiting comes in one read, after one header. */
	memset(buf, 'q', 1000);
	CHECK_EQ("slave writes 1000 bytes", write(s, buf, 1000), 1000);
	usleep(100000);
	memset(buf, 0, sizeof(buf));
	n = pkt_read(m, buf, sizeof(buf));
	CHECK_EQ("one read: the header and all 1000 bytes", n, 1001);
	CHECK("... data after one header", buf[0] == 0 && buf[1] == 'q' &&
	      buf[1000] == 'q');

	/* Packet mode off: plain data again. */
	set_pkt(m, 0);
	write(s, "ab", 2);
	n = pkt_read(m, buf, sizeof(buf));
	CHECK("mode off: no header", n == 2 && !memcmp(buf, "ab", 2));
	close(s);
	close(m);
}

static void test_flush(void)
{
	unsigned char buf[64];
	struct termios t;
	int s, m = open_pair(&s);
	ssize_t n;

	CHECK("pair", m >= 0);
	if (m < 0)
		return;
	/* Without packet mode nothing is reported. */
	tcflush(s, TCIOFLUSH);
	CHECK("mode off: a flush reports nothing", quiet(m));

	set_pkt(m, 1);
	CHECK_OK("tcflush(slave, TCIFLUSH)", tcflush(s, TCIFLUSH));
	CHECK_EQ("status: POLLPRI|POLLIN", wait_ev(m, 2000), POLLIN | POLLPRI);
	CHECK_EQ("TCIFLUSH: TIOCPKT_FLUSHREAD", status_read(m),
		 TIOCPKT_FLUSHREAD);
	CHECK("status cleared by the read", quiet(m));
	CHECK_OK("tcflush(slave, TCOFLUSH)", tcflush(s, TCOFLUSH));
	CHECK_EQ("TCOFLUSH: TIOCPKT_FLUSHWRITE", status_read(m),
		 TIOCPKT_FLUSHWRITE);
	CHECK_OK("tcflush(slave, TCIOFLUSH)", tcflush(s, TCIOFLUSH));
	CHECK_EQ("TCIOFLUSH: FLUSHREAD|FLUSHWRITE",
		 status_bits(m, TIOCPKT_FLUSHREAD | TIOCPKT_FLUSHWRITE),
		 TIOCPKT_FLUSHREAD | TIOCPKT_FLUSHWRITE);
	CHECK_OK("tcflush(master, TCIOFLUSH)", tcflush(m, TCIOFLUSH));
	CHECK("a flush of the master reports nothing", quiet(m));

	/* The status comes alone, before data already waiting. */
	write(s, "ab", 2);
	CHECK_EQ("data waiting", wait_ev(m, 2000), POLLIN);
	usleep(50000);
	tcflush(s, TCIFLUSH);
	CHECK_EQ("status and data: POLLPRI|POLLIN", wait_ev(m, 2000),
		 POLLIN | POLLPRI);
	n = read(m, buf, sizeof(buf));
	CHECK("status byte alone first", n == 1 && buf[0] == TIOCPKT_FLUSHREAD);
	n = pkt_read(m, buf, sizeof(buf));
	CHECK("then the data", n == 3 && buf[0] == 0 &&
	      !memcmp(buf + 1, "ab", 2));

	/* TCSETSF flushes the slave's input. */
	tcgetattr(s, &t);
	CHECK_OK("tcsetattr(slave, TCSAFLUSH)", tcsetattr(s, TCSAFLUSH, &t));
	CHECK_EQ("TCSETSF: TIOCPKT_FLUSHREAD", status_read(m),
		 TIOCPKT_FLUSHREAD);
	CHECK_OK("tcsetattr(master, TCSAFLUSH) sets the slave's",
		 tcsetattr(m, TCSAFLUSH, &t));
	CHECK_EQ("... and flushes the slave: FLUSHREAD", status_read(m),
		 TIOCPKT_FLUSHREAD);
	tcsetattr(s, TCSANOW, &t);
	CHECK("an unchanged TCSETS reports nothing", quiet(m));

	/* An ISIG character flushes input and output, then echoes. */
	CHECK_EQ("^C into the slave", write(m, "\003", 1), 1);
	CHECK_EQ("^C: FLUSHREAD|FLUSHWRITE",
		 status_bits(m, TIOCPKT_FLUSHREAD | TIOCPKT_FLUSHWRITE),
		 TIOCPKT_FLUSHREAD | TIOCPKT_FLUSHWRITE);
	n = pkt_read(m, buf, sizeof(buf));
	CHECK("then its echo", n == 3 && buf[0] == 0 &&
	      !memcmp(buf + 1, "^C", 2));
	t.c_lflag |= NOFLSH;
	tcsetattr(s, TCSANOW, &t);
	write(m, "\003", 1);
	n = pkt_read(m, buf, sizeof(buf));
	CHECK("NOFLSH: no status, just the echo", n == 3 && buf[0] == 0 &&
	      !memcmp(buf + 1, "^C", 2));

	/* Pending status, then the slave closes: status, then EIO. */
	tcflush(s, TCIFLUSH);
	close(s);
	CHECK_EQ("slave closed: the status first", status_read(m),
		 TIOCPKT_FLUSHREAD);
	CHECK_ERR("then EIO", read(m, buf, sizeof(buf)), EIO);
	close(m);
}

static void test_flow(void)
{
	unsigned char buf[64];
	int s, m = open_pair(&s);

	CHECK("pair", m >= 0);
	if (m < 0)
		return;
	set_pkt(m, 1);
	CHECK_OK("tcflow(slave, TCOOFF)", tcflow(s, TCOOFF));
	CHECK_EQ("TCOOFF: TIOCPKT_STOP", status_read(m), TIOCPKT_STOP);
	CHECK_OK("tcflow(slave, TCOOFF) again", tcflow(s, TCOOFF));
	CHECK("already stopped: nothing", quiet(m));
	CHECK_OK("tcflow(slave, TCOON)", tcflow(s, TCOON));
	CHECK_EQ("TCOON: TIOCPKT_START", status_read(m), TIOCPKT_START);
	CHECK_OK("tcflow(slave, TCOON) again", tcflow(s, TCOON));
	CHECK("not stopped: nothing", quiet(m));
	tcflow(s, TCOOFF);
	tcflow(s, TCOON);
	CHECK_EQ("STOP then START unread: START alone", status_read(m),
		 TIOCPKT_START);
	tcflow(s, TCOON);
	tcflow(s, TCOOFF);
	CHECK_EQ("START then STOP unread: STOP alone", status_read(m),
		 TIOCPKT_STOP);
	tcflow(s, TCOON);
	CHECK_EQ("restarted", status_read(m), TIOCPKT_START);
	CHECK_OK("tcflow(master, TCOOFF)", tcflow(m, TCOOFF));
	CHECK("the master's own flow reports nothing", quiet(m));
	tcflow(m, TCOON);

	/* ^S and ^Q typed into the slave (IXON). */
	CHECK_EQ("^S into the slave", write(m, "\023", 1), 1);
	CHECK_EQ("^S: TIOCPKT_STOP", status_read(m), TIOCPKT_STOP);
	fcntl(s, F_SETFL, O_NONBLOCK);
	CHECK_ERR("stopped: slave write EAGAIN", write(s, "x", 1), EAGAIN);
	CHECK_OK("TCOON after ^S", tcflow(s, TCOON));
	CHECK("TCOON does not undo ^S: nothing", quiet(m));
	CHECK_ERR("still stopped", write(s, "x", 1), EAGAIN);
	write(m, "\021", 1);
	CHECK_EQ("^Q: TIOCPKT_START", status_read(m), TIOCPKT_START);
	CHECK_EQ("output flows again", write(s, "x", 1), 1);
	fcntl(s, F_SETFL, 0);
	CHECK("and is read as data", pkt_read(m, buf, sizeof(buf)) == 2 &&
	      buf[0] == 0 && buf[1] == 'x');

	/* TCOOFF then ^S, ^Q: still stopped until TCOON. */
	tcflow(s, TCOOFF);
	CHECK_EQ("TCOOFF", status_read(m), TIOCPKT_STOP);
	write(m, "\023\021", 2);
	CHECK("^S ^Q under TCOOFF: nothing", quiet(m));
	tcflow(s, TCOON);
	CHECK_EQ("TCOON: START", status_read(m), TIOCPKT_START);

	/* An ISIG character restarts output (IXON). */
	write(m, "\023", 1);
	CHECK_EQ("^S again", status_read(m), TIOCPKT_STOP);
	write(m, "\003", 1);
	CHECK_EQ("^C: flushes and restarts",
		 status_bits(m, TIOCPKT_FLUSHREAD | TIOCPKT_FLUSHWRITE |
			     TIOCPKT_START),
		 TIOCPKT_FLUSHREAD | TIOCPKT_FLUSHWRITE | TIOCPKT_START);
	close(s);
	close(m);
}

static int set_iflag(int s, tcflag_t on, tcflag_t off)
{
	struct termios t;

	if (tcgetattr(s, &t))
		return -1;
	t.c_iflag = (t.c_iflag | on) & ~off;
	return tcsetattr(s, TCSANOW, &t);
}

static void test_stop_modes(void)
{
	struct termios t, orig;
	int s, m = open_pair(&s);

	CHECK("pair", m >= 0);
	if (m < 0)
		return;
	tcgetattr(s, &orig);
	set_iflag(s, 0, IXON);
	CHECK("mode off: IXON change reports nothing", quiet(m));
	set_iflag(s, IXON, 0);
	set_pkt(m, 1);
	CHECK_OK("clear IXON", set_iflag(s, 0, IXON));
	CHECK_EQ("IXON off: TIOCPKT_NOSTOP", status_read(m), TIOCPKT_NOSTOP);
	CHECK_OK("set IXON", set_iflag(s, IXON, 0));
	CHECK_EQ("IXON on: TIOCPKT_DOSTOP", status_read(m), TIOCPKT_DOSTOP);
	set_iflag(s, IXON, 0);
	CHECK("IXON unchanged: nothing", quiet(m));
	set_iflag(s, 0, IXON);
	set_iflag(s, IXON, 0);
	CHECK_EQ("off then on unread: DOSTOP alone", status_read(m),
		 TIOCPKT_DOSTOP);
	CHECK_OK("clear IXON via the master", set_iflag(m, 0, IXON));
	CHECK_EQ("via the master: NOSTOP", status_read(m), TIOCPKT_NOSTOP);
	set_iflag(s, IXON, 0);
	status_read(m);

	t = orig;
	t.c_cc[VSTOP] = 030;
	tcsetattr(s, TCSANOW, &t);
	CHECK_EQ("VSTOP not ^S: NOSTOP", status_read(m), TIOCPKT_NOSTOP);
	t.c_cc[VSTART] = 030;
	tcsetattr(s, TCSANOW, &t);
	CHECK("still not ^S/^Q: nothing", quiet(m));
	tcsetattr(s, TCSANOW, &orig);
	CHECK_EQ("^S/^Q again: DOSTOP", status_read(m), TIOCPKT_DOSTOP);

	/* Clearing IXON while ^S stopped output restarts it. */
	write(m, "\023", 1);
	CHECK_EQ("^S", status_read(m), TIOCPKT_STOP);
	set_iflag(s, 0, IXON);
	CHECK_EQ("IXON off while stopped: NOSTOP|START",
		 status_bits(m, TIOCPKT_NOSTOP | TIOCPKT_START),
		 TIOCPKT_NOSTOP | TIOCPKT_START);
	set_iflag(s, IXON, 0);
	CHECK_EQ("IXON on", status_read(m), TIOCPKT_DOSTOP);
	tcflow(s, TCOOFF);
	CHECK_EQ("TCOOFF", status_read(m), TIOCPKT_STOP);
	set_iflag(s, 0, IXON);
	CHECK_EQ("IXON off under TCOOFF: NOSTOP only", status_read(m),
		 TIOCPKT_NOSTOP);
	tcflow(s, TCOON);
	CHECK_EQ("TCOON", status_read(m), TIOCPKT_START);

	/* EXTPROC: every termios change while it is or was set. */
	t = orig;
	t.c_lflag |= EXTPROC;
	CHECK_OK("set EXTPROC", tcsetattr(s, TCSANOW, &t));
	CHECK_EQ("EXTPROC set: TIOCPKT_IOCTL|DOSTOP", status_read(m),
		 TIOCPKT_IOCTL | TIOCPKT_DOSTOP);
	tcsetattr(s, TCSANOW, &t);
	CHECK_EQ("EXTPROC kept, nothing changed: TIOCPKT_IOCTL",
		 status_read(m), TIOCPKT_IOCTL);
	t.c_iflag &= ~IXON;
	tcsetattr(s, TCSANOW, &t);
	CHECK_EQ("EXTPROC and IXON off: IOCTL|NOSTOP", status_read(m),
		 TIOCPKT_IOCTL | TIOCPKT_NOSTOP);
	t.c_lflag &= ~EXTPROC;
	tcsetattr(s, TCSANOW, &t);
	CHECK_EQ("EXTPROC cleared: TIOCPKT_IOCTL", status_read(m),
		 TIOCPKT_IOCTL);
	tcsetattr(s, TCSANOW, &t);
	CHECK("without EXTPROC: nothing", quiet(m));
	close(s);
	close(m);
}

static void test_enable_and_poll(void)
{
	unsigned char buf[64];
	int s, m = open_pair(&s);
	struct timeval tv = { 0, 0 };
	fd_set rd, ex;
	ssize_t n;

	CHECK("pair", m >= 0);
	if (m < 0)
		return;
	set_pkt(m, 1);
	tcflush(s, TCIFLUSH);
	CHECK_EQ("pending status", wait_ev(m, 2000), POLLIN | POLLPRI);
	FD_ZERO(&rd);
	FD_ZERO(&ex);
	FD_SET(m, &rd);
	FD_SET(m, &ex);
	CHECK_EQ("select: readable and exceptional",
		 select(m + 1, &rd, NULL, &ex, &tv), 2);
	CHECK("select: both sets", FD_ISSET(m, &rd) && FD_ISSET(m, &ex));
	set_pkt(m, 1);
	CHECK_EQ("TIOCPKT 1 when on keeps the status", wait_ev(m, 0),
		 POLLIN | POLLPRI);
	set_pkt(m, 0);
	CHECK_EQ("mode off: no POLLPRI", wait_ev(m, 0), 0);
	write(s, "ab", 2);
	n = pkt_read(m, buf, sizeof(buf));
	CHECK("mode off: data without the status", n == 2 &&
	      !memcmp(buf, "ab", 2));
	set_pkt(m, 1);
	CHECK("TIOCPKT 1 clears what was pending", quiet(m));
	fcntl(m, F_SETFL, O_NONBLOCK);
	CHECK_ERR("nothing to read", read(m, buf, sizeof(buf)), EAGAIN);
	fcntl(m, F_SETFL, 0);

	/* A status change while off is not kept. */
	set_pkt(m, 0);
	tcflush(s, TCIFLUSH);
	set_pkt(m, 1);
	CHECK("a change while off is lost", quiet(m));
	close(s);
	close(m);
}

/* A blocked packet-mode read returns the status when it changes. */
static void test_wakeup(void)
{
	unsigned char c[8];
	int s, m = open_pair(&s), rep[2], st = -1;
	pid_t pid;

	CHECK("pair", m >= 0);
	if (m < 0 || pipe(rep))
		return;
	set_pkt(m, 1);
	pid = fork();
	if (pid == 0) {
		ssize_t n;

		alarm(5);
		n = read(m, c, sizeof(c));
		c[1] = (unsigned char)n;
		write(rep[1], c, 2);
		_exit(0);
	}
	usleep(200000);
	tcflow(s, TCOOFF);
	struct pollfd p = { .fd = rep[0], .events = POLLIN };
	CHECK_EQ("the blocked read returned", poll(&p, 1, 3000), 1);
	CHECK("with the STOP status alone",
	      read(rep[0], c, 2) == 2 && c[0] == TIOCPKT_STOP && c[1] == 1);
	waitpid(pid, &st, 0);
	CHECK_EQ("reader exit", st, 0);

	/* And a blocked poll wakes with POLLPRI. */
	pid = fork();
	if (pid == 0) {
		usleep(200000);
		tcflow(s, TCOON);
		_exit(0);
	}
	CHECK_EQ("blocked poll wakes: POLLPRI|POLLIN", wait_ev(m, 3000),
		 POLLIN | POLLPRI);
	CHECK_EQ("START", status_read(m), TIOCPKT_START);
	waitpid(pid, &st, 0);
	close(rep[0]);
	close(rep[1]);
	close(s);
	close(m);
}

int main(void)
{
	TEST_BEGIN("abi_ptypkt");
	test_mode();
	test_data();
	test_flush();
	test_flow();
	test_stop_modes();
	test_enable_and_poll();
	test_wakeup();
	return TEST_END();
}
