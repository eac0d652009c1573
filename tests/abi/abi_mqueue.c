/*
 * abi_mqueue - POSIX message queues as Linux 6.1 has them: mq_open's
 * names, sizes and errors, priorities (highest first, FIFO within one),
 * O_NONBLOCK, absolute timeouts, signals, the access mode, mq_getsetattr,
 * mq_notify with SIGEV_SIGNAL and SIGEV_NONE (once, EBUSY, dropped on
 * close), RLIMIT_MSGQUEUE and fs.mqueue.queues_max, and the mqueue
 * filesystem: its directory, the QSIZE line, open(2) and unlink(2).
 */
#include "check.h"
#include <dirent.h>
#include <mqueue.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>

#define Q1 "/abi_mq_one"
#define Q2 "/abi_mq_two"
#define MNT "/tmp/abi_mq_mnt"
#define UID 1000

static volatile sig_atomic_t got_sig, got_code, got_value, got_pid;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = sig;
	got_code = si->si_code;
	got_value = si->si_value.sival_int;
	got_pid = si->si_pid;
}

static void on_alarm(int s)
{
	(void)s;
}

/* The raw system call, so that the C library does not look at @name. */
static long raw_open(const char *name, int oflag, mode_t mode,
		     struct mq_attr *attr)
{
	return syscall(SYS_mq_open, name, oflag, mode, attr);
}

static long raw_receive(int fd, char *buf, size_t len, unsigned *prio,
			const struct timespec *ts)
{
	return syscall(SYS_mq_timedreceive, fd, buf, len, prio, ts);
}

static long raw_send(int fd, const char *buf, size_t len, unsigned prio,
		     const struct timespec *ts)
{
	return syscall(SYS_mq_timedsend, fd, buf, len, prio, ts);
}

static void test_open(void)
{
	struct mq_attr a = { .mq_maxmsg = 4, .mq_msgsize = 64 }, g;
	long fd, fd2;

	mq_unlink(Q1);
	fd = raw_open(Q1 + 1, O_RDWR | O_CREAT | O_EXCL, 0600, &a);
	CHECK_OK("mq_open O_CREAT|O_EXCL", fd);
	CHECK_EQ("mq descriptors are close-on-exec",
		 fcntl((int)fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	CHECK_OK("mq_getattr", mq_getattr((mqd_t)fd, &g));
	CHECK_EQ("mq_maxmsg as asked", g.mq_maxmsg, 4);
	CHECK_EQ("mq_msgsize as asked", g.mq_msgsize, 64);
	CHECK_EQ("mq_curmsgs 0", g.mq_curmsgs, 0);
	CHECK_EQ("mq_flags 0", g.mq_flags, 0);
	CHECK_ERR("O_CREAT|O_EXCL again: EEXIST",
		  raw_open(Q1 + 1, O_RDWR | O_CREAT | O_EXCL, 0600, &a), EEXIST);
	CHECK_ERR("O_ACCMODE on an existing queue: EINVAL",
		  raw_open(Q1 + 1, O_ACCMODE, 0, NULL), EINVAL);
	fd2 = raw_open(Q1 + 1, O_RDONLY | O_CREAT, 0600, NULL);
	CHECK_OK("O_CREAT of an existing queue opens it", fd2);
	close((int)fd2);
	CHECK_ERR("absent without O_CREAT: ENOENT",
		  raw_open("abi_mq_absent", O_RDONLY, 0, NULL), ENOENT);
	CHECK_ERR("empty name: ENOENT", raw_open("", O_RDONLY | O_CREAT, 0600,
						 NULL), ENOENT);
	CHECK_ERR("a slash inside: EACCES",
		  raw_open("a/b", O_RDWR | O_CREAT, 0600, NULL), EACCES);
	CHECK_ERR("\"..\": EACCES", raw_open("..", O_RDWR | O_CREAT, 0600,
					     NULL), EACCES);
	char longname[300];
	memset(longname, 'x', 256);
	longname[256] = '\0';
	CHECK_ERR("a 256-byte name: ENAMETOOLONG",
		  raw_open(longname, O_RDWR | O_CREAT, 0600, NULL),
		  ENAMETOOLONG);
	CHECK_ERR("bad name pointer: EFAULT",
		  raw_open(BAD_LOW, O_RDWR | O_CREAT, 0600, NULL), EFAULT);
	CHECK_ERR("bad attr pointer: EFAULT",
		  raw_open("abi_mq_x", O_RDWR | O_CREAT, 0600, BAD_LOW),
		  EFAULT);
	a.mq_maxmsg = 0;
	CHECK_ERR("mq_maxmsg 0: EINVAL",
		  raw_open("abi_mq_x", O_RDWR | O_CREAT, 0600, &a), EINVAL);
	a.mq_maxmsg = 65537;
	CHECK_ERR("mq_maxmsg over HARD_MSGMAX: EINVAL",
		  raw_open("abi_mq_x", O_RDWR | O_CREAT, 0600, &a), EINVAL);
	a.mq_maxmsg = 20;
	a.mq_msgsize = 16384;
	fd2 = raw_open("abi_mq_x", O_RDWR | O_CREAT, 0600, &a);
	CHECK_OK("root may pass fs.mqueue.msg_max and msgsize_max", fd2);
	close((int)fd2);
	mq_unlink("/abi_mq_x");
	fd2 = raw_open("abi_mq_x", O_RDWR | O_CREAT, 0600, NULL);
	CHECK_OK("no attr: the defaults", fd2);
	CHECK_OK("mq_getattr of the defaults", mq_getattr((mqd_t)fd2, &g));
	CHECK_EQ("default mq_maxmsg 10", g.mq_maxmsg, 10);
	CHECK_EQ("default mq_msgsize 8192", g.mq_msgsize, 8192);
	close((int)fd2);
	CHECK_OK("mq_unlink", mq_unlink("/abi_mq_x"));
	CHECK_ERR("mq_unlink again: ENOENT", mq_unlink("/abi_mq_x"), ENOENT);
	CHECK_ERR("mq_unlink of \"\": ENOENT", syscall(SYS_mq_unlink, ""),
		  ENOENT);
	close((int)fd);
}

static void test_messages(void)
{
	struct mq_attr a = { .mq_maxmsg = 4, .mq_msgsize = 64 };
	struct timespec past = { 1, 0 }, bad = { 0, 1000000000L }, ts;
	char buf[128];
	unsigned prio = 99;
	int fd = (int)raw_open(Q1 + 1, O_RDWR, 0, NULL), wr, rd;

	CHECK_OK("reopen the queue", fd);
	CHECK_OK("send prio 1", mq_send(fd, "a", 1, 1));
	CHECK_OK("send prio 5", mq_send(fd, "bb", 2, 5));
	CHECK_OK("send prio 5 again", mq_send(fd, "ccc", 3, 5));
	CHECK_OK("send prio 3", mq_send(fd, "dddd", 4, 3));
	CHECK_ERR("full with O_NONBLOCK clear, past timeout: ETIMEDOUT",
		  raw_send(fd, "e", 1, 0, &past), ETIMEDOUT);
	CHECK_ERR("priority 32768: EINVAL", mq_send(fd, "e", 1, 32768),
		  EINVAL);
	CHECK_ERR("message over mq_msgsize: EMSGSIZE",
		  mq_send(fd, buf, 65, 0), EMSGSIZE);
	CHECK_ERR("receive buffer under mq_msgsize: EMSGSIZE",
		  mq_receive(fd, buf, 63, &prio), EMSGSIZE);
	CHECK_EQ("highest priority first", mq_receive(fd, buf, 64, &prio), 2);
	CHECK_EQ("its priority", prio, 5);
	CHECK_EQ("FIFO within a priority", mq_receive(fd, buf, 64, &prio), 3);
	CHECK(" ...the second of prio 5", !memcmp(buf, "ccc", 3));
	CHECK_EQ("then prio 3", mq_receive(fd, buf, 64, &prio), 4);
	CHECK_EQ(" ...its priority", prio, 3);
	CHECK_EQ("then prio 1", mq_receive(fd, buf, 64, NULL), 1);
	CHECK_ERR("empty, past timeout: ETIMEDOUT",
		  raw_receive(fd, buf, 64, NULL, &past), ETIMEDOUT);
	CHECK_ERR("invalid timespec: EINVAL",
		  raw_receive(fd, buf, 64, NULL, &bad), EINVAL);
	CHECK_ERR("bad timespec pointer: EFAULT",
		  raw_receive(fd, buf, 64, NULL, BAD_LOW), EFAULT);
	CHECK_ERR("invalid timespec beats a bad fd: EINVAL",
		  raw_receive(-1, buf, 64, NULL, &bad), EINVAL);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 50000000;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	long long t0 = now_ns();
	CHECK_ERR("a 50 ms timeout: ETIMEDOUT",
		  raw_receive(fd, buf, 64, NULL, &ts), ETIMEDOUT);
	CHECK("...after about 50 ms", now_ns() - t0 >= 40000000LL);

	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { .it_value = { 0, 50000 } };
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	CHECK_ERR("a signal interrupts the wait: EINTR",
		  mq_receive(fd, buf, 64, NULL), EINTR);

	struct mq_attr set = { .mq_flags = O_NONBLOCK }, old;
	CHECK_OK("mq_setattr O_NONBLOCK", mq_setattr(fd, &set, &old));
	CHECK_EQ("old mq_flags 0", old.mq_flags, 0);
	CHECK_ERR("empty with O_NONBLOCK: EAGAIN",
		  mq_receive(fd, buf, 64, NULL), EAGAIN);
	for (int i = 0; i < 4; i++)
		mq_send(fd, "x", 1, 0);
	CHECK_ERR("full with O_NONBLOCK: EAGAIN", mq_send(fd, "x", 1, 0),
		  EAGAIN);
	CHECK_OK("mq_getattr", mq_getattr(fd, &old));
	CHECK_EQ("mq_flags O_NONBLOCK", old.mq_flags, O_NONBLOCK);
	CHECK_EQ("mq_curmsgs 4", old.mq_curmsgs, 4);
	set.mq_flags = O_NONBLOCK | O_APPEND;
	CHECK_ERR("other mq_flags: EINVAL",
		  syscall(SYS_mq_getsetattr, fd, &set, NULL), EINVAL);
	for (int i = 0; i < 4; i++)
		mq_receive(fd, buf, 64, NULL);

	wr = (int)raw_open(Q1 + 1, O_WRONLY, 0, NULL);
	rd = (int)raw_open(Q1 + 1, O_RDONLY, 0, NULL);
	CHECK_ERR("receive on O_WRONLY: EBADF", mq_receive(wr, buf, 64, NULL),
		  EBADF);
	CHECK_ERR("send on O_RDONLY: EBADF", mq_send(rd, "x", 1, 0), EBADF);
	CHECK_ERR("send on a non-queue fd: EBADF", mq_send(0, "x", 1, 0),
		  EBADF);
	CHECK_ERR("send on fd -1: EBADF", mq_send(-1, "x", 1, 0), EBADF);
	CHECK_ERR("getattr on a non-queue fd: EBADF", mq_getattr(0, &old),
		  EBADF);
	CHECK_ERR("send from a bad buffer: EFAULT",
		  raw_send(wr, BAD_LOW, 1, 0, NULL), EFAULT);
	close(wr);
	close(rd);
	close(fd);
	(void)a;
}

static void test_notify(void)
{
	int fd = (int)raw_open(Q1 + 1, O_RDWR | O_NONBLOCK, 0, NULL);
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL,
			       .sigev_signo = SIGUSR1 };
	char buf[64];

	on_siginfo(SIGUSR1, on_usr1);
	ev.sigev_value.sival_int = 4242;
	CHECK_ERR("sigev_notify -1: EINVAL",
		  mq_notify(fd, &(struct sigevent){ .sigev_notify = -1 }),
		  EINVAL);
	CHECK_ERR("signal 65: EINVAL",
		  mq_notify(0, &(struct sigevent){
				.sigev_notify = SIGEV_SIGNAL,
				.sigev_signo = 65 }), EINVAL);
	CHECK_ERR("a non-queue fd: EBADF", mq_notify(0, &ev), EBADF);
	CHECK_OK("register SIGEV_SIGNAL", mq_notify(fd, &ev));
	CHECK_ERR("a second registration: EBUSY", mq_notify(fd, &ev), EBUSY);
	got_sig = 0;
	CHECK_OK("send to the empty queue", mq_send(fd, "m", 1, 0));
	CHECK_EQ("SIGUSR1 came", got_sig, SIGUSR1);
	CHECK_EQ("si_code SI_MESGQ", got_code, SI_MESGQ);
	CHECK_EQ("si_value", got_value, 4242);
	CHECK_EQ("si_pid the sender", got_pid, getpid());
	CHECK_OK("register again: the first went", mq_notify(fd, &ev));
	got_sig = 0;
	mq_send(fd, "m", 1, 0);
	CHECK_EQ("not for a queue that was not empty", got_sig, 0);
	mq_receive(fd, buf, 64, NULL);
	mq_receive(fd, buf, 64, NULL);
	CHECK_OK("unregister", mq_notify(fd, NULL));
	CHECK_OK("unregister with none", mq_notify(fd, NULL));
	mq_send(fd, "m", 1, 0);
	CHECK_EQ("no signal after unregistering", got_sig, 0);
	mq_receive(fd, buf, 64, NULL);
	CHECK_OK("register SIGEV_NONE",
		 mq_notify(fd, &(struct sigevent){
				.sigev_notify = SIGEV_NONE }));
	CHECK_ERR("SIGEV_NONE holds it: EBUSY", mq_notify(fd, &ev), EBUSY);
	int dup_fd = dup(fd);
	close(dup_fd);
	CHECK_OK("closing a descriptor drops the registration",
		 mq_notify(fd, &ev));
	mq_notify(fd, NULL);
	close(fd);
}

/* Child: become uid 1000 and try to make a queue; the errno, or 0. */
static int make_as_user(void *arg)
{
	struct mq_attr *a = arg;

	if (setresuid(UID, UID, UID))
		return 100;
	long fd = raw_open("abi_mq_user", O_RDWR | O_CREAT, 0600, a);
	if (fd >= 0) {
		mq_unlink("/abi_mq_user");
		return 0;
	}
	return errno;
}

static int make_with_rlimit(void *arg)
{
	struct rlimit r = { 0, 0 };

	(void)arg;
	if (setrlimit(RLIMIT_MSGQUEUE, &r))
		return 100;
	long fd = raw_open("abi_mq_rl", O_RDWR | O_CREAT, 0600, NULL);
	if (fd >= 0) {
		mq_unlink("/abi_mq_rl");
		return 0;
	}
	return errno;
}

static void test_limits(void)
{
	struct mq_attr big = { .mq_maxmsg = 11, .mq_msgsize = 16 };
	char buf[64], q[16];
	int st;

	CHECK_EQ("fs.mqueue.msg_max", slurp("/proc/sys/fs/mqueue/msg_max",
					    buf, sizeof buf), 3);
	CHECK_STR("msg_max is 10", buf, "10\n");
	slurp("/proc/sys/fs/mqueue/msgsize_max", buf, sizeof buf);
	CHECK_STR("msgsize_max is 8192", buf, "8192\n");
	slurp("/proc/sys/fs/mqueue/msg_default", buf, sizeof buf);
	CHECK_STR("msg_default is 10", buf, "10\n");
	slurp("/proc/sys/fs/mqueue/msgsize_default", buf, sizeof buf);
	CHECK_STR("msgsize_default is 8192", buf, "8192\n");
	slurp("/proc/sys/fs/mqueue/queues_max", q, sizeof q);
	CHECK_STR("queues_max is 256", q, "256\n");
	CHECK_ERR("msg_max 0 is refused: EINVAL",
		  write_text("/proc/sys/fs/mqueue/msg_max", "0"), EINVAL);
	st = run_child(make_as_user, &big);
	CHECK("a user past msg_max: EINVAL",
	      WIFEXITED(st) && WEXITSTATUS(st) == EINVAL);
	big.mq_maxmsg = 10;
	st = run_child(make_as_user, &big);
	CHECK("a user at msg_max: made",
	      WIFEXITED(st) && WEXITSTATUS(st) == 0);
	st = run_child(make_with_rlimit, NULL);
	CHECK("RLIMIT_MSGQUEUE 0: EMFILE",
	      WIFEXITED(st) && WEXITSTATUS(st) == EMFILE);
	CHECK_OK("queues_max 0", write_text("/proc/sys/fs/mqueue/queues_max",
					     "0"));
	st = run_child(make_as_user, &big);
	CHECK("a user past queues_max: ENOSPC",
	      WIFEXITED(st) && WEXITSTATUS(st) == ENOSPC);
	long fd = raw_open("abi_mq_root", O_RDWR | O_CREAT, 0600, NULL);
	CHECK_OK("root passes queues_max (CAP_SYS_RESOURCE)", fd);
	close((int)fd);
	mq_unlink("/abi_mq_root");
	q[strlen(q) - 1] = '\0';
	CHECK_OK("queues_max back", write_text("/proc/sys/fs/mqueue/queues_max",
						q));
}

static void test_fs(void)
{
	struct mq_attr a = { .mq_maxmsg = 2, .mq_msgsize = 16 };
	char buf[128], exp[128];
	int fd, f2;

	mkdir(MNT, 0755);
	CHECK_OK("mount -t mqueue", mount("none", MNT, "mqueue", 0, NULL));
	struct stat st;
	CHECK_OK("stat the root", stat(MNT, &st));
	CHECK_EQ("root mode 01777", st.st_mode & 07777, 01777);
	mq_unlink(Q2);
	fd = (int)raw_open(Q2 + 1, O_RDWR | O_CREAT, 0640, &a);
	CHECK_OK("make a queue", fd);
	CHECK_OK("stat its file", stat(MNT Q2, &st));
	CHECK(" a regular file", S_ISREG(st.st_mode));
	CHECK_EQ(" mode 0640 (umask 022 kept it)", st.st_mode & 0777, 0640);
	CHECK_EQ(" size 80", st.st_size, 80);
	int seen = 0;
	DIR *d = opendir(MNT);
	struct dirent *e;
	while (d && (e = readdir(d)))
		seen |= !strcmp(e->d_name, Q2 + 1);
	if (d)
		closedir(d);
	CHECK("readdir lists it", seen);
	mq_send(fd, "hello", 5, 0);
	mq_send(fd, "abc", 3, 0);
	snprintf(exp, sizeof exp,
		 "QSIZE:%-10lu NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n",
		 8UL, 0, 0, 0);
	CHECK_EQ("read the queue file", slurp(MNT Q2, buf, sizeof buf),
		 (long)strlen(exp));
	CHECK_STR("the QSIZE line", buf, exp);
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL,
			       .sigev_signo = SIGUSR2 };
	mq_notify(fd, &ev);
	snprintf(exp, sizeof exp,
		 "QSIZE:%-10lu NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n",
		 8UL, SIGEV_SIGNAL, SIGUSR2, getpid());
	slurp(MNT Q2, buf, sizeof buf);
	CHECK_STR("the line with a registration", buf, exp);
	mq_notify(fd, NULL);
	f2 = open(MNT Q2, O_RDWR);
	CHECK_OK("open(2) of the queue file", f2);
	CHECK_EQ("a queue through it", mq_receive(f2, buf, 16, NULL), 5);
	close(f2);
	f2 = open(MNT "/abi_mq_opened", O_RDWR | O_CREAT, 0600);
	CHECK_OK("open(2) O_CREAT makes a queue", f2);
	struct mq_attr g;
	CHECK_OK("mq_getattr on it", mq_getattr(f2, &g));
	CHECK_EQ(" of the default size", g.mq_maxmsg, 10);
	close(f2);
	CHECK_OK("unlink(2) removes it", unlink(MNT "/abi_mq_opened"));
	CHECK_ERR("mq_unlink after: ENOENT", mq_unlink("/abi_mq_opened"),
		  ENOENT);
	CHECK_ERR("mkdir in it: EPERM", mkdir(MNT "/d", 0755), EPERM);
	CHECK_OK("mq_unlink an open queue", mq_unlink(Q2));
	CHECK_ERR("its file is gone", stat(MNT Q2, &st), ENOENT);
	CHECK_EQ("the queue still works", mq_receive(fd, buf, 16, NULL), 3);
	close(fd);
	CHECK_OK("umount", umount(MNT));
}

int main(void)
{
	TEST_BEGIN("abi_mqueue");
	umask(022);
	test_open();
	test_messages();
	test_notify();
	test_limits();
	test_fs();
	mq_unlink(Q1);
	return TEST_END();
}
