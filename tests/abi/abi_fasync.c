/* abi_fasync.c - a file's I/O-signal owner (F_SETOWN/F_GETOWN(_EX), F_SETSIG, O_ASYNC, FIOASYNC, FIOSETOWN) with SIGIO's si_code/si_band/si_fd, leases (F_SETLEASE/F_GETLEASE and their break), dnotify (F_NOTIFY) and fs.pipe-max-size. */
#include "check.h"
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>

#define T "abi_fasync"
#define DIR_ "/fasync_test"
#define LEASE_FILE DIR_ "/leased"
#define NOBODY 65534

#ifndef F_SETSIG
#define F_SETSIG 10
#define F_GETSIG 11
#endif
#ifndef F_SETLEASE
#define F_SETLEASE 1024
#define F_GETLEASE 1025
#define F_NOTIFY 1026
#endif

static const struct timespec zero_ts, long_ts = { 5, 0 };

/* Block @sig and wait for it up to @ts: the signal (info in @si) or -1. */
static int wait_sig(int sig, siginfo_t *si, const struct timespec *ts)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	memset(si, 0, sizeof(*si));
	return sigtimedwait(&set, si, ts);
}

static void block(int sig)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

/* A pid no task has: a child's, once reaped. */
static pid_t free_pid(void)
{
	pid_t p = fork();

	if (p == 0)
		_exit(0);
	waitpid(p, NULL, 0);
	return p;
}

static void test_owner(void)
{
	struct f_owner_ex ex;
	int p[2];

	CHECK_OK("pipe", pipe(p));
	CHECK_EQ("fresh: F_GETOWN 0", syscall(SYS_fcntl, p[0], F_GETOWN), 0);
	memset(&ex, 0xff, sizeof(ex));
	CHECK_OK("fresh: F_GETOWN_EX", fcntl(p[0], F_GETOWN_EX, &ex));
	CHECK_EQ("fresh: type F_OWNER_TID", ex.type, F_OWNER_TID);
	CHECK_EQ("fresh: pid 0", ex.pid, 0);
	CHECK_EQ("fresh: F_GETSIG 0", fcntl(p[0], F_GETSIG), 0);

	CHECK_OK("F_SETOWN getpid()", fcntl(p[0], F_SETOWN, getpid()));
	CHECK_EQ("F_GETOWN", syscall(SYS_fcntl, p[0], F_GETOWN), getpid());
	CHECK_OK("F_GETOWN_EX", fcntl(p[0], F_GETOWN_EX, &ex));
	CHECK_EQ("F_SETOWN pid: type F_OWNER_PID", ex.type, F_OWNER_PID);
	CHECK_EQ("F_SETOWN pid: pid", ex.pid, getpid());
	CHECK_EQ("the other end keeps no owner", syscall(SYS_fcntl, p[1], F_GETOWN), 0);

	CHECK_OK("F_SETOWN -pgrp", fcntl(p[0], F_SETOWN, -getpgrp()));
	CHECK_OK("F_GETOWN_EX of a group", fcntl(p[0], F_GETOWN_EX, &ex));
	CHECK_EQ("group: type F_OWNER_PGRP", ex.type, F_OWNER_PGRP);
	CHECK_EQ("group: pid is the pgid", ex.pid, getpgrp());

	CHECK_ERR("F_SETOWN a free pid", fcntl(p[0], F_SETOWN, free_pid()), ESRCH);
	CHECK_ERR("F_SETOWN INT_MIN", syscall(SYS_fcntl, p[0], F_SETOWN, (long)-2147483647 - 1), EINVAL);
	CHECK_OK("F_SETOWN 0", fcntl(p[0], F_SETOWN, 0));
	CHECK_EQ("F_SETOWN 0: F_GETOWN 0", syscall(SYS_fcntl, p[0], F_GETOWN), 0);

	ex.type = 3;
	ex.pid = getpid();
	CHECK_ERR("F_SETOWN_EX type 3", fcntl(p[0], F_SETOWN_EX, &ex), EINVAL);
	ex.type = F_OWNER_TID;
	ex.pid = free_pid();
	CHECK_ERR("F_SETOWN_EX a free tid", fcntl(p[0], F_SETOWN_EX, &ex), ESRCH);
	CHECK_ERR("F_SETOWN_EX bad pointer", fcntl(p[0], F_SETOWN_EX, BAD_LOW), EFAULT);
	CHECK_ERR("F_GETOWN_EX bad pointer", fcntl(p[0], F_GETOWN_EX, BAD_LOW), EFAULT);
	ex.type = F_OWNER_TID;
	ex.pid = (pid_t)syscall(SYS_gettid);
	CHECK_OK("F_SETOWN_EX F_OWNER_TID", fcntl(p[0], F_SETOWN_EX, &ex));
	memset(&ex, 0, sizeof(ex));
	CHECK_OK("F_GETOWN_EX after F_OWNER_TID", fcntl(p[0], F_GETOWN_EX, &ex));
	CHECK_EQ("F_OWNER_TID kept", ex.type, F_OWNER_TID);
	CHECK_EQ("F_OWNER_TID pid", ex.pid, syscall(SYS_gettid));

	CHECK_ERR("F_SETSIG 65", fcntl(p[0], F_SETSIG, 65), EINVAL);
	CHECK_ERR("F_SETSIG -1", fcntl(p[0], F_SETSIG, -1), EINVAL);
	CHECK_OK("F_SETSIG 64", fcntl(p[0], F_SETSIG, 64));
	CHECK_EQ("F_GETSIG 64", fcntl(p[0], F_GETSIG), 64);
	CHECK_OK("F_SETSIG 0", fcntl(p[0], F_SETSIG, 0));
	CHECK_EQ("F_GETSIG 0", fcntl(p[0], F_GETSIG), 0);

	int on = 1;
	CHECK_OK("FIOASYNC on", ioctl(p[0], FIOASYNC, &on));
	CHECK("FIOASYNC sets O_ASYNC", fcntl(p[0], F_GETFL) & O_ASYNC);
	on = 0;
	CHECK_OK("FIOASYNC off", ioctl(p[0], FIOASYNC, &on));
	CHECK("FIOASYNC clears O_ASYNC", !(fcntl(p[0], F_GETFL) & O_ASYNC));
	CHECK_ERR("FIOASYNC bad pointer", ioctl(p[0], FIOASYNC, BAD_LOW), EFAULT);
	close(p[0]);
	close(p[1]);
}

static void test_pipe_signals(void)
{
	int sig = SIGRTMIN + 1, p[2];
	siginfo_t si;
	char buf[65536];

	block(sig);
	block(SIGIO);
	CHECK_OK("pipe", pipe2(p, O_NONBLOCK));
	fcntl(p[0], F_SETOWN, getpid());
	CHECK_OK("F_SETSIG SIGRTMIN+1", fcntl(p[0], F_SETSIG, sig));
	CHECK_EQ("write without O_ASYNC", write(p[1], "a", 1), 1);
	CHECK_ERR("no O_ASYNC: no signal", wait_sig(sig, &si, &zero_ts), EAGAIN);
	read(p[0], buf, sizeof(buf));
	CHECK_OK("F_SETFL O_ASYNC", fcntl(p[0], F_SETFL, O_ASYNC | O_NONBLOCK));
	CHECK_ERR("O_ASYNC on an empty pipe: no signal yet", wait_sig(sig, &si, &zero_ts), EAGAIN);
	CHECK_EQ("write", write(p[1], "b", 1), 1);
	CHECK_EQ("the reader's F_SETSIG signal", wait_sig(sig, &si, &zero_ts), sig);
	CHECK_EQ("si_code POLL_IN", si.si_code, POLL_IN);
	CHECK_EQ("si_band POLLIN|POLLRDNORM", si.si_band, POLLIN | POLLRDNORM);
	CHECK_EQ("si_fd the read end", si.si_fd, p[0]);
	read(p[0], buf, sizeof(buf));

	CHECK_OK("F_SETSIG 0", fcntl(p[0], F_SETSIG, 0));
	CHECK_EQ("write", write(p[1], "c", 1), 1);
	CHECK_EQ("signal 0: plain SIGIO", wait_sig(SIGIO, &si, &zero_ts), SIGIO);
	CHECK_EQ("plain SIGIO: si_code SI_KERNEL", si.si_code, SI_KERNEL);
	read(p[0], buf, sizeof(buf));
	CHECK_OK("O_ASYNC off", fcntl(p[0], F_SETFL, O_NONBLOCK));
	CHECK_EQ("write", write(p[1], "d", 1), 1);
	CHECK_ERR("O_ASYNC off: no signal", wait_sig(SIGIO, &si, &zero_ts), EAGAIN);
	read(p[0], buf, sizeof(buf));

	/* The write end: room after a read. */
	while (write(p[1], buf, sizeof(buf)) > 0)
		;
	fcntl(p[1], F_SETOWN, getpid());
	fcntl(p[1], F_SETSIG, sig);
	CHECK_OK("O_ASYNC on the write end", fcntl(p[1], F_SETFL, O_ASYNC | O_NONBLOCK));
	CHECK_EQ("read all", read(p[0], buf, sizeof(buf)), sizeof(buf));
	CHECK_EQ("the writer's signal", wait_sig(sig, &si, &zero_ts), sig);
	CHECK_EQ("si_code POLL_OUT", si.si_code, POLL_OUT);
	CHECK_EQ("si_band POLLOUT|POLLWRNORM|POLLWRBAND", si.si_band, POLLOUT | POLLWRNORM | POLLWRBAND);
	CHECK_EQ("si_fd the write end", si.si_fd, p[1]);
	while (wait_sig(sig, &si, &zero_ts) == sig)
		;
	close(p[0]);
	close(p[1]);
}

/* Child: as nobody, make its parent the owner and write to the pipe. */
static int nobody_owns_and_writes(void *arg)
{
	int *p = arg;

	if (setuid(NOBODY))
		return 2;
	if (fcntl(p[0], F_SETOWN, getppid()) || fcntl(p[0], F_SETFL, O_ASYNC))
		return 3;
	return write(p[1], "x", 1) == 1 ? 0 : 4;
}

/* Child: as nobody, write to the pipe. */
static int nobody_writes(void *arg)
{
	int *p = arg;

	if (setuid(NOBODY))
		return 2;
	return write(p[1], "y", 1) == 1 ? 0 : 4;
}

static void test_perm(void)
{
	siginfo_t si;
	char buf[8];
	int p[2];

	if (getuid() != 0)
		return;
	block(SIGIO);
	CHECK_OK("pipe", pipe(p));
	CHECK_EQ("nobody sets root as owner and writes", run_child(nobody_owns_and_writes, p), 0);
	CHECK_ERR("an owner set by nobody cannot signal root", wait_sig(SIGIO, &si, &zero_ts), EAGAIN);
	read(p[0], buf, 1);
	CHECK_OK("root sets itself owner", fcntl(p[0], F_SETOWN, getpid()));
	CHECK_EQ("nobody writes", run_child(nobody_writes, p), 0);
	CHECK_EQ("root's owner signals root, whoever writes", wait_sig(SIGIO, &si, &zero_ts), SIGIO);
	close(p[0]);
	close(p[1]);
}

static void test_socket(void)
{
	int sig = SIGRTMIN + 2, sv[2], pid = 0;
	siginfo_t si;
	char c;

	block(sig);
	CHECK_OK("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	pid = getpid();
	CHECK_OK("FIOSETOWN", ioctl(sv[0], FIOSETOWN, &pid));
	pid = 0;
	CHECK_OK("SIOCGPGRP", ioctl(sv[0], SIOCGPGRP, &pid));
	CHECK_EQ("SIOCGPGRP: the owner", pid, getpid());
	pid = -getpgrp();
	CHECK_OK("SIOCSPGRP -pgrp", ioctl(sv[0], SIOCSPGRP, &pid));
	pid = 0;
	CHECK_OK("FIOGETOWN", ioctl(sv[0], FIOGETOWN, &pid));
	CHECK_EQ("FIOGETOWN: minus the group", pid, -getpgrp());
	CHECK_ERR("FIOSETOWN bad pointer", ioctl(sv[0], FIOSETOWN, BAD_LOW), EFAULT);
	fcntl(sv[0], F_SETSIG, sig);
	CHECK_OK("O_ASYNC on a socket", fcntl(sv[0], F_SETFL, O_ASYNC));
	CHECK_EQ("send", write(sv[1], "s", 1), 1);
	CHECK_EQ("the group gets the socket's signal", wait_sig(sig, &si, &long_ts), sig);
	CHECK_EQ("socket: si_code POLL_IN", si.si_code, POLL_IN);
	CHECK_EQ("socket: si_fd", si.si_fd, sv[0]);
	read(sv[0], &c, 1);
	while (wait_sig(sig, &si, &zero_ts) == sig)
		;
	close(sv[0]);
	close(sv[1]);
}

static void test_dnotify(void)
{
	int sig = SIGRTMIN + 3, dfd, ffd;
	siginfo_t si;

	block(sig);
	dfd = open(DIR_, O_RDONLY | O_DIRECTORY);
	CHECK_OK("open the directory", dfd);
	ffd = open(DIR_ "/f1", O_CREAT | O_RDWR, 0644);
	CHECK_ERR("F_NOTIFY on a file", fcntl(ffd, F_NOTIFY, DN_MODIFY), ENOTDIR);
	CHECK_OK("F_NOTIFY 0 on a file", fcntl(ffd, F_NOTIFY, 0));
	close(ffd);
	CHECK_OK("F_SETSIG", fcntl(dfd, F_SETSIG, sig));
	CHECK_OK("F_NOTIFY DN_CREATE", fcntl(dfd, F_NOTIFY, DN_CREATE));
	CHECK_EQ("F_NOTIFY made us the owner", syscall(SYS_fcntl, dfd, F_GETOWN), getpid());
	CHECK_ERR("no event yet", wait_sig(sig, &si, &zero_ts), EAGAIN);
	close(open(DIR_ "/f2", O_CREAT | O_RDWR, 0644));
	CHECK_EQ("DN_CREATE: the signal", wait_sig(sig, &si, &zero_ts), sig);
	CHECK_EQ("dnotify: si_code POLL_MSG", si.si_code, POLL_MSG);
	CHECK_EQ("dnotify: si_band POLLIN|POLLRDNORM|POLLMSG", si.si_band, POLLIN | POLLRDNORM | POLLMSG);
	CHECK_EQ("dnotify: si_fd", si.si_fd, dfd);
	close(open(DIR_ "/f3", O_CREAT | O_RDWR, 0644));
	CHECK_ERR("without DN_MULTISHOT: one signal only", wait_sig(sig, &si, &zero_ts), EAGAIN);
	CHECK_OK("F_NOTIFY DN_DELETE|DN_MULTISHOT", fcntl(dfd, F_NOTIFY, DN_DELETE | DN_MULTISHOT));
	CHECK_OK("unlink f2", unlink(DIR_ "/f2"));
	CHECK_OK("unlink f3", unlink(DIR_ "/f3"));
	CHECK_EQ("DN_MULTISHOT: first", wait_sig(sig, &si, &zero_ts), sig);
	CHECK_EQ("DN_MULTISHOT: second", wait_sig(sig, &si, &zero_ts), sig);
	CHECK_OK("chmod f1", chmod(DIR_ "/f1", 0600));
	CHECK_ERR("DN_ATTRIB not asked for", wait_sig(sig, &si, &zero_ts), EAGAIN);
	CHECK_OK("F_NOTIFY DN_ATTRIB adds to the watch", fcntl(dfd, F_NOTIFY, DN_ATTRIB | DN_MULTISHOT));
	CHECK_OK("chmod f1", chmod(DIR_ "/f1", 0644));
	CHECK_EQ("DN_ATTRIB on an entry", wait_sig(sig, &si, &zero_ts), sig);
	CHECK_OK("F_NOTIFY 0 ends the watch", fcntl(dfd, F_NOTIFY, 0));
	CHECK_OK("unlink f1", unlink(DIR_ "/f1"));
	CHECK_ERR("no watch: no signal", wait_sig(sig, &si, &zero_ts), EAGAIN);
	close(dfd);
}

static void test_lease_rules(void)
{
	int ro, ro2, rw, p[2];

	close(open(LEASE_FILE, O_CREAT | O_RDWR, 0644));
	ro = open(LEASE_FILE, O_RDONLY);
	CHECK_OK("pipe", pipe(p));
	CHECK_ERR("F_SETLEASE on a pipe", fcntl(p[0], F_SETLEASE, F_RDLCK), EINVAL);
	close(p[0]);
	close(p[1]);
	CHECK_ERR("F_SETLEASE 3", fcntl(ro, F_SETLEASE, 3), EINVAL);
	CHECK_EQ("F_GETLEASE: none", fcntl(ro, F_GETLEASE), F_UNLCK);
	CHECK_ERR("F_UNLCK without a lease", fcntl(ro, F_SETLEASE, F_UNLCK), EAGAIN);
	CHECK_OK("F_RDLCK on a read-only fd", fcntl(ro, F_SETLEASE, F_RDLCK));
	CHECK_EQ("F_GETLEASE F_RDLCK", fcntl(ro, F_GETLEASE), F_RDLCK);
	CHECK_EQ("F_SETLEASE set the owner", syscall(SYS_fcntl, ro, F_GETOWN), getpid());
	CHECK_OK("upgrade to F_WRLCK, alone", fcntl(ro, F_SETLEASE, F_WRLCK));
	CHECK_EQ("F_GETLEASE F_WRLCK", fcntl(ro, F_GETLEASE), F_WRLCK);
	CHECK_OK("F_SETSIG", fcntl(ro, F_SETSIG, SIGUSR1));
	CHECK_OK("F_UNLCK", fcntl(ro, F_SETLEASE, F_UNLCK));
	CHECK_EQ("F_UNLCK resets F_SETSIG", fcntl(ro, F_GETSIG), 0);
	CHECK_EQ("F_UNLCK leaves no owner", syscall(SYS_fcntl, ro, F_GETOWN), 0);
	ro2 = open(LEASE_FILE, O_RDONLY);
	CHECK_ERR("F_WRLCK with another reader", fcntl(ro, F_SETLEASE, F_WRLCK), EAGAIN);
	CHECK_OK("F_RDLCK with another reader", fcntl(ro, F_SETLEASE, F_RDLCK));
	CHECK_OK("a second F_RDLCK", fcntl(ro2, F_SETLEASE, F_RDLCK));
	CHECK_ERR("F_WRLCK with another's lease", fcntl(ro, F_SETLEASE, F_WRLCK), EAGAIN);
	close(ro2);
	CHECK_EQ("another's close leaves this lease", fcntl(ro, F_GETLEASE), F_RDLCK);
	CHECK_OK("F_UNLCK", fcntl(ro, F_SETLEASE, F_UNLCK));
	rw = open(LEASE_FILE, O_RDWR);
	CHECK_ERR("F_RDLCK on a file open for writing", fcntl(rw, F_SETLEASE, F_RDLCK), EAGAIN);
	CHECK_ERR("F_RDLCK through another fd while it is", fcntl(ro, F_SETLEASE, F_RDLCK), EAGAIN);
	close(rw);
	close(ro);
}

/* Child: as nobody, try a lease on root's file. */
static int nobody_leases(void *arg)
{
	(void)arg;
	if (setuid(NOBODY))
		return 2;
	int fd = open(LEASE_FILE, O_RDONLY);
	if (fd < 0)
		return 3;
	if (fcntl(fd, F_SETLEASE, F_RDLCK) != -1 || errno != EACCES)
		return 4;
	return 0;
}

/* Child: hold a write lease, give it up on the break signal. */
static int holder(void *arg)
{
	int *ready = arg, fd = open(LEASE_FILE, O_RDONLY);
	siginfo_t si;

	block(SIGUSR2);
	if (fd < 0 || fcntl(fd, F_SETSIG, SIGUSR2) ||
	    fcntl(fd, F_SETLEASE, F_WRLCK))
		return 2;
	if (write(ready[1], "r", 1) != 1)
		return 3;
	if (wait_sig(SIGUSR2, &si, &long_ts) != SIGUSR2 ||
	    si.si_code != POLL_MSG || si.si_fd != fd)
		return 4;
	if (fcntl(fd, F_GETLEASE) != F_UNLCK)	/* an unlock is due */
		return 5;
	if (fcntl(fd, F_SETLEASE, F_UNLCK))
		return 6;
	pause();
	return 0;
}

static void test_lease_break(void)
{
	int fd, fd2, ready[2];
	siginfo_t si;
	char c;

	if (getuid() == 0)
		CHECK_EQ("nobody may not lease another's file", run_child(nobody_leases, NULL), 0);
	block(SIGIO);
	fd = open(LEASE_FILE, O_RDONLY);
	CHECK_OK("F_WRLCK", fcntl(fd, F_SETLEASE, F_WRLCK));
	CHECK_ERR("a reader's O_NONBLOCK open", open(LEASE_FILE, O_RDONLY | O_NONBLOCK), EWOULDBLOCK);
	CHECK_EQ("the holder got SIGIO", wait_sig(SIGIO, &si, &zero_ts), SIGIO);
	CHECK_EQ("plain SIGIO for a lease: SI_KERNEL", si.si_code, SI_KERNEL);
	CHECK_EQ("a downgrade is due", fcntl(fd, F_GETLEASE), F_RDLCK);
	CHECK_OK("downgrade", fcntl(fd, F_SETLEASE, F_RDLCK));
	fd2 = open(LEASE_FILE, O_RDONLY | O_NONBLOCK);
	CHECK_OK("a reader may open beside a read lease", fd2);
	close(fd2);
	close(fd);

	/* A blocked opener waits for the holder to give way. */
	CHECK_OK("pipe", pipe(ready));
	pid_t child = fork();
	if (child == 0)
		_exit(holder(ready));
	CHECK_EQ("holder ready", read(ready[0], &c, 1), 1);
	long long t0 = now_ns();
	fd2 = open(LEASE_FILE, O_RDWR);
	CHECK_OK("a writer's open waits for the break", fd2);
	CHECK("and is let in well before lease-break-time", now_ns() - t0 < 20000000000LL);
	close(fd2);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	close(ready[0]);
	close(ready[1]);
}

static void test_lease_timeout(void)
{
	char old[32] = "";
	int fd, fd2, w;

	if (getuid() != 0 || slurp("/proc/sys/fs/lease-break-time", old, sizeof(old)) <= 0)
		return;
	CHECK_EQ("lease-break-time 45", atoi(old), 45);
	w = open("/proc/sys/fs/lease-break-time", O_WRONLY);
	CHECK_EQ("set lease-break-time 1", write(w, "1\n", 2), 2);
	close(w);
	block(SIGIO);
	fd = open(LEASE_FILE, O_RDONLY);
	CHECK_OK("F_RDLCK", fcntl(fd, F_SETLEASE, F_RDLCK));
	long long t0 = now_ns();
	fd2 = open(LEASE_FILE, O_WRONLY);
	long long dt = now_ns() - t0;
	CHECK_OK("a writer gets in once lease-break-time passes", fd2);
	CHECK("after about a second", dt > 500000000LL && dt < 10000000000LL);
	CHECK_EQ("the ignored lease is gone", fcntl(fd, F_GETLEASE), F_UNLCK);
	close(fd2);
	close(fd);
	siginfo_t si;
	while (wait_sig(SIGIO, &si, &zero_ts) == SIGIO)
		;
	w = open("/proc/sys/fs/lease-break-time", O_WRONLY);
	CHECK_EQ("restore lease-break-time", write(w, old, strlen(old)), (long)strlen(old));
	close(w);
}

/* Child: as nobody, the size a new pipe gets. */
static int nobody_pipe_size(void *arg)
{
	int p[2];

	(void)arg;
	if (setuid(NOBODY) || pipe(p))
		return 255;
	return fcntl(p[0], F_GETPIPE_SZ) / 4096;
}

static void test_pipe_max_size(void)
{
	const char *path = "/proc/sys/fs/pipe-max-size";
	char old[32] = "", now[32];
	int w, p[2], st;

	if (getuid() != 0 || slurp(path, old, sizeof(old)) <= 0)
		return;
	CHECK_EQ("pipe-max-size 1 MiB", atoi(old), 1048576);
	w = open(path, O_WRONLY);
	CHECK_EQ("set 5000", write(w, "5000", 4), 4);
	slurp(path, now, sizeof(now));
	CHECK_STR("rounded up to a power of two pages", now, "8192\n");
	CHECK_EQ("set 0", pwrite(w, "0", 1, 0), 1);
	slurp(path, now, sizeof(now));
	CHECK_STR("0: one page", now, "4096\n");
	CHECK_ERR("-1", pwrite(w, "-1", 2, 0), EINVAL);
	CHECK_ERR("above 2 GiB", pwrite(w, "2147483649", 10, 0), EINVAL);
	CHECK_ERR("above UINT_MAX", pwrite(w, "4294967296", 10, 0), EINVAL);
	slurp(path, now, sizeof(now));
	CHECK_STR("failed writes keep it", now, "4096\n");
	CHECK_OK("pipe", pipe(p));
	CHECK_EQ("root's new pipe: 16 pages still", fcntl(p[0], F_GETPIPE_SZ), 65536);
	CHECK_EQ("root may grow past it", fcntl(p[0], F_SETPIPE_SZ, 131072), 131072);
	close(p[0]);
	close(p[1]);
	st = run_child(nobody_pipe_size, NULL);
	CHECK("nobody's new pipe: capped at one page", WIFEXITED(st) && WEXITSTATUS(st) == 1);
	CHECK_EQ("restore", pwrite(w, old, strlen(old), 0), (long)strlen(old));
	close(w);
}

int main(void)
{
	TEST_BEGIN(T);
	setpgid(0, 0);	/* signals to our group reach no one else */
	mkdir(DIR_, 0755);
	test_owner();
	test_pipe_signals();
	test_perm();
	test_socket();
	test_dnotify();
	test_lease_rules();
	test_lease_break();
	test_lease_timeout();
	test_pipe_max_size();
	unlink(LEASE_FILE);
	rmdir(DIR_);
	return TEST_END();
}
