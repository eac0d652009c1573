/*
 * abi_pty: Unix98 pseudo-terminals as Linux has them. posix_openpt,
 * grantpt, unlockpt and ptsname; the locked slave; /dev/pts/N as 136:N
 * with its /proc/self/fd name and ttyname; data both ways through the
 * slave's line discipline (canonical editing, echo, raw mode); poll on
 * both sides; the slave's cflag kept CS8 and CREAD; ^C, TIOCSIG and
 * TIOCSWINSZ signalling the slave's foreground group; TIOCGPTPEER; the
 * slave's close (master reads EIO, POLLHUP); the master's close (slave
 * node gone, reads 0, writes EIO, SIGHUP to the session leader); a
 * second devpts instance with options. Packet mode: abi_ptypkt.
 */
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <dirent.h>
#include <stdbool.h>

#ifndef TIOCGPTPEER
#define TIOCGPTPEER	0x5441
#endif

static int open_pair(int *s, char *name, size_t len)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);

	if (m < 0 || grantpt(m) || unlockpt(m) ||
	    ptsname_r(m, name, len)) {
		if (m >= 0)
			close(m);
		return -1;
	}
	*s = open(name, O_RDWR | O_NOCTTY);
	return m;
}

/* Read what arrives on @fd within @ms into @buf (NUL-terminated). */
static ssize_t read_avail(int fd, char *buf, size_t len, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n = 0;

	while ((size_t)n < len - 1 && poll(&p, 1, ms) == 1 &&
	       (p.revents & POLLIN)) {
		ssize_t r = read(fd, buf + n, len - 1 - (size_t)n);

		if (r <= 0)
			break;
		n += r;
		ms = 50;
	}
	buf[n] = '\0';
	return n;
}

static short poll_now(int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };

	return poll(&p, 1, 0) == 1 ? p.revents : 0;
}

static void test_open_and_names(void)
{
	char name[64], link[64], path[64], *tn;
	struct stat st, pst;
	int m, s, n = -1, lock = -1;
	DIR *d;
	struct dirent *de;
	bool seen_n = false, seen_ptmx = false;

	CHECK_OK("stat /dev/ptmx", stat("/dev/ptmx", &pst));
	CHECK("/dev/ptmx is char 5:2", S_ISCHR(pst.st_mode) &&
	      major(pst.st_rdev) == 5 && minor(pst.st_rdev) == 2);
	CHECK_OK("stat /dev/pts/ptmx", stat("/dev/pts/ptmx", &pst));
	CHECK("/dev/pts/ptmx is char 5:2, mode 000", S_ISCHR(pst.st_mode) &&
	      pst.st_rdev == makedev(5, 2) && (pst.st_mode & 07777) == 0);

	m = posix_openpt(O_RDWR | O_NOCTTY);
	CHECK_OK("posix_openpt", m);
	if (m < 0)
		return;
	CHECK_OK("TIOCGPTN", ioctl(m, TIOCGPTN, &n));
	CHECK_OK("TIOCGPTLCK", ioctl(m, TIOCGPTLCK, &lock));
	CHECK_EQ("a new pair is locked", lock, 1);
	CHECK_EQ("grantpt", grantpt(m), 0);
	CHECK_EQ("ptsname_r", ptsname_r(m, name, sizeof(name)), 0);
	snprintf(path, sizeof(path), "/dev/pts/%d", n);
	CHECK_STR("ptsname is /dev/pts/N", name, path);
	CHECK_OK("stat slave", stat(name, &st));
	CHECK("slave is char 136:N", S_ISCHR(st.st_mode) &&
	      major(st.st_rdev) == 136 && (int)minor(st.st_rdev) == n);
	CHECK_EQ("slave mode 0600 (mode= default)", st.st_mode & 07777, 0600);
	CHECK_EQ("slave owned by the opener", st.st_uid, getuid());
	CHECK_ERR("open locked slave", open(name, O_RDWR | O_NOCTTY), EIO);
	CHECK_ERR("TIOCGPTPEER on a locked pair",
		  ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY), EIO);
	CHECK_EQ("unlockpt", unlockpt(m), 0);
	CHECK_OK("TIOCGPTLCK after unlock", ioctl(m, TIOCGPTLCK, &lock));
	CHECK_EQ("unlocked", lock, 0);

	s = open(name, O_RDWR | O_NOCTTY);
	CHECK_OK("open unlocked slave", s);
	snprintf(link, sizeof(link), "/proc/self/fd/%d", s);
	n = (int)readlink(link, path, sizeof(path) - 1);
	path[n > 0 ? n : 0] = '\0';
	CHECK_STR("/proc/self/fd names /dev/pts/N", path, name);
	tn = ttyname(s);
	CHECK_STR("ttyname of the slave", tn, name);
	CHECK("isatty both sides", isatty(m) && isatty(s));
	CHECK_ERR("TIOCGPTN on the slave", ioctl(s, TIOCGPTN, &n), ENOTTY);
	CHECK_ERR("TIOCGPTPEER on the slave", ioctl(s, TIOCGPTPEER, O_RDWR),
		  EIO);

	d = opendir("/dev/pts");
	CHECK("opendir /dev/pts", d != NULL);
	while (d && (de = readdir(d))) {
		if (!strcmp(de->d_name, "ptmx"))
			seen_ptmx = de->d_type == DT_CHR;
		if (!strcmp(de->d_name, name + strlen("/dev/pts/")))
			seen_n = de->d_type == DT_CHR;
	}
	if (d)
		closedir(d);
	CHECK("readdir lists ptmx and N", seen_ptmx && seen_n);

	int p = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	CHECK_OK("TIOCGPTPEER", p);
	if (p >= 0) {
		struct stat a, b;

		CHECK("peer is the slave", !fstat(p, &a) && !fstat(s, &b) &&
		      a.st_rdev == b.st_rdev && a.st_ino == b.st_ino);
		CHECK_EQ("peer has O_CLOEXEC", fcntl(p, F_GETFD), FD_CLOEXEC);
		snprintf(link, sizeof(link), "/proc/self/fd/%d", p);
		n = (int)readlink(link, path, sizeof(path) - 1);
		path[n > 0 ? n : 0] = '\0';
		CHECK_STR("peer's /proc/self/fd name", path, name);
		close(p);
	}
	close(s);
	close(m);
	CHECK_ERR("slave node gone with the master", stat(name, &st), ENOENT);
}

static void test_data(void)
{
	char name[64], buf[256];
	struct termios t;
	int s, m = open_pair(&s, name, sizeof(name));
	int v = -1;

	CHECK("pair for data", m >= 0 && s >= 0);
	if (m < 0 || s < 0)
		return;
	CHECK_EQ("master: nothing to read", poll_now(m, POLLIN), 0);
	CHECK_EQ("slave: writable, nothing to read",
		 poll_now(s, POLLIN | POLLOUT), POLLOUT);
	CHECK_EQ("master writable", poll_now(m, POLLOUT), POLLOUT);
	fcntl(m, F_SETFL, O_NONBLOCK);
	CHECK_ERR("O_NONBLOCK master read", read(m, buf, 1), EAGAIN);
	fcntl(m, F_SETFL, 0);

	CHECK_EQ("master write", write(m, "hello\n", 6), 6);
	CHECK_EQ("slave: a line to read", poll_now(s, POLLIN), POLLIN);
	CHECK_EQ("slave reads the line", read(s, buf, sizeof(buf)), 6);
	CHECK("line is hello\\n", !memcmp(buf, "hello\n", 6));
	read_avail(m, buf, sizeof(buf), 500);
	CHECK_STR("echo on the master (ONLCR)", buf, "hello\r\n");

	CHECK_EQ("master write partial line", write(m, "ab", 2), 2);
	CHECK_EQ("slave: no complete line", poll_now(s, POLLIN), 0);
	CHECK_EQ("master write edits", write(m, "x\177c\n", 4), 4);
	CHECK_EQ("slave reads the edited line", read(s, buf, sizeof(buf)), 4);
	CHECK("edited line is abc\\n", !memcmp(buf, "abc\n", 4));
	read_avail(m, buf, sizeof(buf), 500);
	CHECK_STR("echo of the edit", buf, "abx\b \bc\r\n");

	CHECK_EQ("slave write", write(s, "out\n", 4), 4);
	CHECK_EQ("master readable", poll_now(m, POLLIN), POLLIN);
	CHECK_OK("FIONREAD on the master", ioctl(m, FIONREAD, &v));
	CHECK_EQ("FIONREAD counts ONLCR output", v, 5);
	read_avail(m, buf, sizeof(buf), 500);
	CHECK_STR("master reads slave output", buf, "out\r\n");

	/* As Linux's pty_set_termios: the slave is always CS8, CREAD. */
	CHECK_OK("tcgetattr on the slave", tcgetattr(s, &t));
	t.c_cflag = (t.c_cflag & ~(CSIZE | CREAD)) | CS7 | PARENB | CSTOPB;
	CHECK_OK("tcsetattr CS7 PARENB CSTOPB, no CREAD",
		 tcsetattr(s, TCSANOW, &t));
	CHECK_OK("tcgetattr after", tcgetattr(s, &t));
	CHECK_EQ("slave cflag: CS8|CREAD forced, PARENB cleared, CSTOPB kept",
		 t.c_cflag & (CSIZE | CREAD | PARENB | CSTOPB),
		 CS8 | CREAD | CSTOPB);
	t.c_cflag &= ~CSTOPB;
	tcsetattr(s, TCSANOW, &t);

	CHECK_OK("tcgetattr via the master", tcgetattr(m, &t));
	CHECK("master reports the slave's termios",
	      (t.c_lflag & (ICANON | ECHO)) == (ICANON | ECHO) &&
	      (t.c_oflag & ONLCR) && !(t.c_cflag & HUPCL));
	cfmakeraw(&t);
	CHECK_OK("tcsetattr raw via the master", tcsetattr(m, TCSANOW, &t));
	CHECK_OK("tcgetattr on the slave", tcgetattr(s, &t));
	CHECK_EQ("slave is raw", t.c_lflag & (ICANON | ECHO), 0);
	CHECK_EQ("raw: master write", write(m, "q\r", 2), 2);
	CHECK_EQ("raw: slave reads at once", read_avail(s, buf, sizeof(buf),
							500), 2);
	CHECK_STR("raw: no ICRNL", buf, "q\r");
	CHECK_EQ("raw: no echo", poll_now(m, POLLIN), 0);
	CHECK_EQ("raw: slave write", write(s, "a\nb", 3), 3);
	read_avail(m, buf, sizeof(buf), 500);
	CHECK_STR("raw: no ONLCR", buf, "a\nb");

	/* Closing the slave: data first, then EIO and POLLHUP. */
	CHECK_EQ("slave write before close", write(s, "zz", 2), 2);
	close(s);
	CHECK_EQ("master: data and POLLHUP", poll_now(m, POLLIN),
		 POLLIN | POLLHUP);
	CHECK_EQ("master reads what is left", read(m, buf, sizeof(buf)), 2);
	CHECK_ERR("master read after slave close", read(m, buf, 1), EIO);
	CHECK_EQ("master POLLHUP", poll_now(m, POLLIN) & POLLHUP, POLLHUP);
	s = open(name, O_RDWR | O_NOCTTY);
	CHECK_OK("slave reopened", s);
	CHECK_EQ("reopen clears POLLHUP", poll_now(m, POLLIN), 0);
	close(s);
	close(m);
}

/* The System V struct termio of TCGETA/TCSETA (<asm/termbits.h>). */
struct old_termio {
	unsigned short c_iflag, c_oflag, c_cflag, c_lflag;
	unsigned char c_line, c_cc[8];
};

/*
 * TCGETA and TCSETA*: the low halves of the termios words and its first
 * eight characters; a set keeps the high halves; bad pointers EFAULT.
 */
static void test_termio(void)
{
	char name[64];
	struct old_termio o;
	struct termios t, u;
	int s, m = open_pair(&s, name, sizeof(name));

	CHECK("pair for termio", m >= 0 && s >= 0);
	if (m < 0 || s < 0)
		return;
	tcgetattr(s, &t);
	CHECK_OK("TCGETA", ioctl(s, TCGETA, &o));
	CHECK("TCGETA: the low halves and c_cc[0..7]",
	      o.c_iflag == (t.c_iflag & 0xffff) && o.c_oflag == (t.c_oflag & 0xffff) &&
	      o.c_cflag == (t.c_cflag & 0xffff) && o.c_lflag == (t.c_lflag & 0xffff) &&
	      o.c_line == t.c_line && !memcmp(o.c_cc, t.c_cc, 8));
	o.c_lflag &= ~(ECHO | ICANON);
	o.c_cc[VMIN] = 3;
	CHECK_OK("TCSETA: no echo, not canonical, VMIN 3", ioctl(s, TCSETA, &o));
	tcgetattr(s, &u);
	CHECK("TCSETA took the lflag and VMIN",
	      !(u.c_lflag & (ECHO | ICANON)) && u.c_cc[VMIN] == 3);
	CHECK_EQ("TCSETA kept the high half of c_cflag", u.c_cflag >> 16, t.c_cflag >> 16);
	/* The kernel's c_cc has 19 characters (musl's struct has more). */
	CHECK("TCSETA kept c_cc[8..18]", !memcmp(u.c_cc + 8, t.c_cc + 8, 19 - 8));
	CHECK_OK("TCSETAF", ioctl(s, TCSETAF, &o));
	CHECK_OK("TCSETAW", ioctl(s, TCSETAW, &o));
	CHECK_ERR("TCGETA to a bad address", ioctl(s, TCGETA, (void *)-1), EFAULT);
	CHECK_ERR("TCGETA to NULL", ioctl(s, TCGETA, NULL), EFAULT);
	CHECK_ERR("TCSETA from NULL", ioctl(s, TCSETA, NULL), EFAULT);
	close(s);
	close(m);
}

static volatile sig_atomic_t got_int, got_winch, got_hup;

static void on_sig(int sig)
{
	if (sig == SIGINT)
		got_int++;
	else if (sig == SIGWINCH)
		got_winch++;
	else if (sig == SIGHUP)
		got_hup++;
}

/* Child: a session leader whose controlling tty is the slave @name. */
static void session_child(const char *name, int rep, int go)
{
	struct sigaction sa = { .sa_handler = on_sig };
	sigset_t block, old;
	char c = 0, buf[8];
	int s, t;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGWINCH);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGWINCH, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (setsid() < 0)
		_exit(10);
	s = open(name, O_RDWR | O_NOCTTY);
	if (s < 0 || ioctl(s, TIOCSCTTY, 0) < 0)
		_exit(11);
	/* /dev/tty is the pty: what is written to it reaches the master. */
	t = open("/dev/tty", O_RDWR);
	c = t >= 0 && write(t, "via-tty", 7) == 7 ? 'T' : 't';
	if (t >= 0)
		close(t);
	write(rep, &c, 1);
	/* Each step: the parent says go, then one signal is awaited. */
	while (read(go, &c, 1) == 1) {
		volatile sig_atomic_t *cnt = c == 'I' ? &got_int :
			c == 'W' ? &got_winch : &got_hup;

		while (!*cnt)
			sigsuspend(&old);
		write(rep, &c, 1);
		if (c == 'H')
			break;
	}
	/* Hung up: reads end of file, writes fail with EIO. */
	c = read(s, buf, sizeof(buf)) == 0 ? 'R' : 'r';
	write(rep, &c, 1);
	c = write(s, "x", 1) < 0 && errno == EIO ? 'E' : 'e';
	write(rep, &c, 1);
	c = open("/dev/tty", O_RDWR) < 0 && errno == ENXIO ? 'N' : 'n';
	write(rep, &c, 1);
	_exit(0);
}

/* The child's next report, or '?' after 5 s. */
static char report(int rep)
{
	struct pollfd p = { .fd = rep, .events = POLLIN };
	char c = '?';

	if (poll(&p, 1, 5000) == 1 && read(rep, &c, 1) != 1)
		c = '?';
	return c;
}

static void test_session(void)
{
	char name[64], buf[64];
	int rep[2], go[2], s, st = -1, pg = -1;
	struct winsize ws = { .ws_row = 33, .ws_col = 99 }, ws2;
	int m = open_pair(&s, name, sizeof(name));
	pid_t pid;

	CHECK("pair for the session", m >= 0 && s >= 0);
	if (m < 0 || s < 0 || pipe(rep) || pipe(go))
		return;
	pid = fork();
	if (pid == 0) {
		close(m);
		close(s);
		session_child(name, rep[1], go[0]);
	}
	close(go[0]);
	close(rep[1]);
	CHECK_EQ("child: /dev/tty opens", report(rep[0]), 'T');
	read_avail(m, buf, sizeof(buf), 300);
	CHECK_STR("child: /dev/tty is its pty", buf, "via-tty");
	CHECK_OK("TIOCGPGRP via the master", ioctl(m, TIOCGPGRP, &pg));
	CHECK_EQ("foreground group is the child's", pg, pid);
	CHECK_ERR("TIOCGPGRP on a slave that is not ours",
		  ioctl(s, TIOCGPGRP, &pg), ENOTTY);

	write(go[1], "I", 1);
	CHECK_EQ("^C on the master", write(m, "\003", 1), 1);
	CHECK_EQ("child got SIGINT", report(rep[0]), 'I');
	read_avail(m, buf, sizeof(buf), 300);
	CHECK_STR("^C echoed as ^C", buf, "^C");

	write(go[1], "I", 1);
	CHECK_OK("TIOCSIG SIGINT", ioctl(m, TIOCSIG, SIGINT));
	CHECK_EQ("child got SIGINT from TIOCSIG", report(rep[0]), 'I');
	CHECK_ERR("TIOCSIG SIGKILL", ioctl(m, TIOCSIG, SIGKILL), EINVAL);

	write(go[1], "W", 1);
	CHECK_OK("TIOCSWINSZ via the master", ioctl(m, TIOCSWINSZ, &ws));
	CHECK_EQ("child got SIGWINCH", report(rep[0]), 'W');
	CHECK_OK("TIOCGWINSZ on the slave", ioctl(s, TIOCGWINSZ, &ws2));
	CHECK("slave has the new size", ws2.ws_row == 33 && ws2.ws_col == 99);

	write(go[1], "H", 1);
	close(m);
	CHECK_EQ("master close: SIGHUP to the session leader",
		 report(rep[0]), 'H');
	CHECK_EQ("hung up: slave read returns 0", report(rep[0]), 'R');
	CHECK_EQ("hung up: slave write EIO", report(rep[0]), 'E');
	CHECK_EQ("hung up: no controlling tty (/dev/tty ENXIO)",
		 report(rep[0]), 'N');
	CHECK_EQ("our slave fd reads 0", read(s, buf, sizeof(buf)), 0);
	CHECK_ERR("our slave fd writes EIO", write(s, "x", 1), EIO);
	CHECK_EQ("hung-up poll", poll_now(s, POLLIN | POLLOUT),
		 POLLIN | POLLOUT | POLLERR | POLLHUP);
	CHECK_ERR("hung-up ioctl", ioctl(s, TIOCGWINSZ, &ws2), EIO);
	waitpid(pid, &st, 0);
	CHECK_EQ("child exit", st, 0);
	close(s);
	close(rep[0]);
	close(go[1]);
}

static void test_reuse_and_instance(void)
{
	char name[64], line[256];
	int s, a, b, n1 = -1, n2 = -2;
	struct stat st;
	FILE *f;
	bool shown = false;

	a = posix_openpt(O_RDWR | O_NOCTTY);
	CHECK_OK("TIOCGPTN first", ioctl(a, TIOCGPTN, &n1));
	close(a);
	b = posix_openpt(O_RDWR | O_NOCTTY);
	CHECK_OK("TIOCGPTN again", ioctl(b, TIOCGPTN, &n2));
	CHECK_EQ("a freed index is reused", n2, n1);
	close(b);

	mkdir("/tmp/pts2", 0755);
	CHECK_ERR("devpts: unknown option", mount("devpts", "/tmp/pts2",
						    "devpts", 0, "bogus=1"),
		  EINVAL);
	CHECK_OK("mount a second devpts", mount("devpts", "/tmp/pts2", "devpts",
				   0, "newinstance,ptmxmode=0666,mode=620,gid=5"));
	CHECK_OK("its ptmx", stat("/tmp/pts2/ptmx", &st));
	CHECK_EQ("ptmxmode=0666", st.st_mode & 07777, 0666);
	f = fopen("/proc/mounts", "r");
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, " /tmp/pts2 devpts ") &&
		    strstr(line, ",gid=5,mode=620,ptmxmode=666"))
			shown = true;
	if (f)
		fclose(f);
	CHECK("/proc/mounts shows the options", shown);
	a = open("/tmp/pts2/ptmx", O_RDWR | O_NOCTTY);
	CHECK_OK("open the instance's ptmx", a);
	CHECK_OK("TIOCGPTN in the instance", ioctl(a, TIOCGPTN, &n1));
	CHECK_EQ("a new instance counts from 0", n1, 0);
	unlockpt(a);
	snprintf(name, sizeof(name), "/tmp/pts2/%d", n1);
	CHECK_OK("its slave", stat(name, &st));
	CHECK("slave mode 0620, gid 5", (st.st_mode & 07777) == 0620 &&
	      st.st_gid == 5);
	s = ioctl(a, TIOCGPTPEER, O_RDWR | O_NOCTTY);
	CHECK_OK("TIOCGPTPEER in the instance", s);
	close(s);
	close(a);
	CHECK_OK("umount the instance", umount("/tmp/pts2"));
	rmdir("/tmp/pts2");
}

/*
 * O_NOCTTY keeps a session leader without a terminal from acquiring the
 * one it opens (forkpty's parent is often such a leader), and it is not
 * kept in the file's flags.
 */
static int noctty_child(void *arg)
{
	char name[64];
	int m, s, peer, tty;

	(void)arg;
	if (setsid() < 0)
		return 90;
	m = open_pair(&s, name, sizeof name);
	if (m < 0 || s < 0)
		return 91;
	peer = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY);
	if (peer < 0)
		return 92;
	if (open("/dev/tty", O_RDWR) != -1 || errno != ENXIO)
		return 1;	/* O_NOCTTY opens gave it a terminal */
	if (fcntl(s, F_GETFL) & O_NOCTTY)
		return 2;
	tty = open(name, O_RDWR);
	if (tty < 0)
		return 93;
	if (open("/dev/tty", O_RDWR) < 0)
		return 3;	/* without O_NOCTTY it is acquired */
	return 0;
}

static void test_noctty(void)
{
	int st = run_child(noctty_child, NULL);

	CHECK_EQ("a session leader's O_NOCTTY opens of a pty slave and "
		 "TIOCGPTPEER leave it without a terminal; an open without "
		 "acquires it; O_NOCTTY is not in F_GETFL",
		 WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0);
}

int main(void)
{
	TEST_BEGIN("abi_pty");
	test_noctty();
	test_open_and_names();
	test_data();
	test_termio();
	test_session();
	test_reuse_and_instance();
	return TEST_END();
}
