/* abi_signalfd.c - signalfd/signalfd4: flags and errors, reading blocked signals as 128-byte records (sender, sigqueue values, several per read), the mask and its update, blocking reads, poll and epoll readiness. */
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>

#define T "abi_signalfd"

static int readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	return poll(&p, 1, 0) == 1 && p.revents == POLLIN;
}

static void test_errors(void)
{
	sigset_t set;
	char path[32], link[64] = "";
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK("struct signalfd_siginfo is 128 bytes", sizeof(struct signalfd_siginfo) == 128);
	CHECK_ERR("sizemask 4", syscall(SYS_signalfd4, -1, &set, 4, 0), EINVAL);
	CHECK_ERR("sizemask 16", syscall(SYS_signalfd4, -1, &set, 16, 0), EINVAL);
	CHECK_ERR("bad mask pointer", syscall(SYS_signalfd4, -1, BAD_LOW, 8, 0), EFAULT);
	CHECK_ERR("bad flags", syscall(SYS_signalfd4, -1, &set, 8, 1), EINVAL);
	CHECK_ERR("bad ufd", syscall(SYS_signalfd4, 999, &set, 8, 0), EBADF);
	CHECK_ERR("ufd not a signalfd", syscall(SYS_signalfd4, 0, &set, 8, 0), EINVAL);
	fd = (int)syscall(SYS_signalfd, -1, &set, 8);
	CHECK_OK("signalfd (old call)", fd);
	CHECK_EQ("no FD_CLOEXEC", fcntl(fd, F_GETFD), 0);
	close(fd);
	fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	CHECK_OK("signalfd4 SFD_CLOEXEC | SFD_NONBLOCK", fd);
	CHECK_EQ("SFD_CLOEXEC", fcntl(fd, F_GETFD), FD_CLOEXEC);
	CHECK("SFD_NONBLOCK", fcntl(fd, F_GETFL) & O_NONBLOCK);
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	CHECK_OK("readlink signalfd", readlink(path, link, sizeof link - 1));
	CHECK_STR("signalfd link", link, "anon_inode:[signalfd]");
	struct signalfd_siginfo si;
	CHECK_ERR("nothing pending: EAGAIN", read(fd, &si, sizeof si), EAGAIN);
	CHECK_ERR("read of 127 bytes", read(fd, &si, sizeof si - 1), EINVAL);
	CHECK_ERR("write", write(fd, &si, sizeof si), EINVAL);
	sigaddset(&set, SIGKILL);
	CHECK_EQ("SIGKILL in the mask is accepted, update returns ufd", signalfd(fd, &set, 0), fd);
	close(fd);
}

static void test_read(void)
{
	sigset_t set, pend;
	struct signalfd_siginfo si[3];
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &set, NULL);
	fd = signalfd(-1, &set, SFD_NONBLOCK);
	CHECK("idle: not readable", !readable(fd));
	kill(getpid(), SIGUSR1);
	CHECK("SIGUSR1 pending: readable", readable(fd));
	memset(si, 0, sizeof si);
	CHECK_EQ("read one record", read(fd, si, sizeof si), (long)sizeof si[0]);
	CHECK_EQ("ssi_signo", si[0].ssi_signo, SIGUSR1);
	CHECK_EQ("ssi_code SI_USER", si[0].ssi_code, SI_USER);
	CHECK_EQ("ssi_pid", si[0].ssi_pid, getpid());
	CHECK_EQ("ssi_uid", si[0].ssi_uid, getuid());
	sigpending(&pend);
	CHECK("the read dequeued it", !sigismember(&pend, SIGUSR1));
	CHECK("then not readable", !readable(fd));

	/* Queued real-time signals: each instance, with its value. */
	union sigval v1 = { .sival_int = 42 }, v2 = { .sival_int = 43 };
	sigqueue(getpid(), SIGRTMIN, v1);
	sigqueue(getpid(), SIGRTMIN, v2);
	kill(getpid(), SIGUSR1);
	CHECK_EQ("three records in one read", read(fd, si, sizeof si), (long)sizeof si);
	CHECK_EQ("lowest first: SIGUSR1", si[0].ssi_signo, SIGUSR1);
	CHECK_EQ("then SIGRTMIN", si[1].ssi_signo, SIGRTMIN);
	CHECK_EQ("ssi_code SI_QUEUE", si[1].ssi_code, SI_QUEUE);
	CHECK_EQ("first value", si[1].ssi_int, 42);
	CHECK_EQ("ssi_ptr holds the value too", si[1].ssi_ptr, 42);
	CHECK_EQ("second instance", si[2].ssi_signo, SIGRTMIN);
	CHECK_EQ("second value", si[2].ssi_int, 43);

	/* Signals outside the mask stay pending; the mask can change. */
	sigset_t two;
	sigemptyset(&two);
	sigaddset(&two, SIGUSR2);
	sigprocmask(SIG_BLOCK, &two, NULL);
	kill(getpid(), SIGUSR2);
	CHECK("SIGUSR2 not in the mask: not readable", !readable(fd));
	CHECK_ERR("and not read", read(fd, si, sizeof si[0]), EAGAIN);
	CHECK_EQ("update the mask to SIGUSR2", signalfd(fd, &two, 0), fd);
	CHECK("now readable", readable(fd));
	CHECK_EQ("read SIGUSR2", read(fd, si, sizeof si[0]), (long)sizeof si[0]);
	CHECK_EQ("ssi_signo SIGUSR2", si[0].ssi_signo, SIGUSR2);
	signalfd(fd, &set, 0);
	close(fd);
	sigprocmask(SIG_UNBLOCK, &two, NULL);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static void test_blocking(void)
{
	sigset_t set;
	struct signalfd_siginfo si;
	int fd, ep;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	fd = signalfd(-1, &set, 0);
	pid_t parent = getpid(), pid = fork();
	if (pid == 0) {
		usleep(50000);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	CHECK_EQ("blocking read woken by a signal", read(fd, &si, sizeof si), (long)sizeof si);
	CHECK_EQ("from the child", si.ssi_pid, pid);
	waitpid(pid, NULL, 0);

	ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN };
	CHECK_OK("epoll ADD signalfd", epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
	CHECK_EQ("epoll: idle", epoll_wait(ep, &ev, 1, 0), 0);
	pid = fork();
	if (pid == 0) {
		usleep(50000);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	CHECK_EQ("epoll woken by the signal", epoll_wait(ep, &ev, 1, 5000), 1);
	CHECK_EQ("EPOLLIN", ev.events, EPOLLIN);
	read(fd, &si, sizeof si);
	CHECK_EQ("epoll: drained", epoll_wait(ep, &ev, 1, 0), 0);
	waitpid(pid, NULL, 0);
	close(ep);
	close(fd);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

int main(void)
{
	TEST_BEGIN(T);
	test_errors();
	test_read();
	test_blocking();
	return TEST_END();
}
