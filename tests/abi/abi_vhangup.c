/* abi_vhangup.c - vhangup(2) (CAP_SYS_TTY_CONFIG, no controlling tty, hanging up a pty as the controlling terminal) as Linux 6.1. */
#include "check.h"
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#define T "abi_vhangup"
#define CAP_SYS_TTY_CONFIG_BIT 26

struct cap_hdr { unsigned version; int pid; };
struct cap_data { unsigned eff, prm, inh; };

static volatile sig_atomic_t hups;

static void on_hup(int sig)
{
	(void)sig;
	hups++;
}

static long vhangup_(void)
{
	return syscall(SYS_vhangup);
}

/* In a child: vhangup as nobody. */
static int child_nobody(void *arg)
{
	(void)arg;
	if (setresuid(65534, 65534, 65534))
		return 2;
	errno = 0;
	return vhangup_() == -1 && errno == EPERM ? 0 : 1;
}

/* In a child: root without CAP_SYS_TTY_CONFIG in its effective set. */
static int child_nocap(void *arg)
{
	struct cap_hdr h = { 0x20080522, 0 };
	struct cap_data d[2];

	(void)arg;
	if (syscall(SYS_capget, &h, d))
		return 2;
	d[0].eff &= ~(1u << CAP_SYS_TTY_CONFIG_BIT);
	if (syscall(SYS_capset, &h, d))
		return 2;
	errno = 0;
	return vhangup_() == -1 && errno == EPERM ? 0 : 1;
}

/* In a child: a new session, so no controlling terminal at all. */
static int child_nocty(void *arg)
{
	(void)arg;
	if (setsid() < 0)
		return 2;
	return vhangup_() == 0 ? 0 : 1;
}

/*
 * In a child: a pty's slave as the controlling terminal of a new session;
 * after vhangup the leader has had SIGHUP, the session no longer has the
 * terminal, and the slave descriptor writes EIO. Exit status bits say
 * which step failed.
 */
static int child_pty(void *arg)
{
	int m = *(int *)arg, s, bad = 0;
	pid_t sid;
	char c = 'x';

	if (setsid() < 0)
		return 64;
	s = open(ptsname(m), O_RDWR | O_NOCTTY);
	if (s < 0 || ioctl(s, TIOCSCTTY, 0))
		return 65;
	if (ioctl(s, TIOCGSID, &sid) || sid != getpid())
		return 66;
	signal(SIGHUP, on_hup);
	if (vhangup_() != 0)
		bad |= 1;
	if (hups != 1)
		bad |= 2;
	if (ioctl(s, TIOCGSID, &sid) != -1)
		bad |= 4;
	errno = 0;
	if (write(s, &c, 1) != -1 || errno != EIO)
		bad |= 8;
	if (open("/dev/tty", O_RDWR) != -1 || errno != ENXIO)
		bad |= 16;
	return bad;
}

static void test_vhangup(void)
{
	int st, m;

	st = run_child(child_nobody, NULL);
	CHECK("nobody: EPERM", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	st = run_child(child_nocap, NULL);
	CHECK("root without CAP_SYS_TTY_CONFIG: EPERM", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	st = run_child(child_nocty, NULL);
	CHECK("no controlling tty: 0, nothing to do", WIFEXITED(st) && WEXITSTATUS(st) == 0);

	m = posix_openpt(O_RDWR | O_NOCTTY);
	CHECK("posix_openpt", m >= 0 && grantpt(m) == 0 && unlockpt(m) == 0);
	st = run_child(child_pty, &m);
	CHECK_EQ("pty: vhangup 0, SIGHUP, session gone, write EIO, no /dev/tty",
		 WIFEXITED(st) ? WEXITSTATUS(st) : 1000 + st, 0);
	close(m);
}

int main(void)
{
	TEST_BEGIN(T);
	test_vhangup();
	return TEST_END();
}
