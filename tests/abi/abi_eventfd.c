/* abi_eventfd.c - eventfd/eventfd2: flags, the 8-byte read/write rules, counter and semaphore modes, the maximum, blocking and wake-ups, poll and epoll readiness. */
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

#define T "abi_eventfd"

static int rd(int fd, uint64_t *v) { return (int)read(fd, v, sizeof *v); }
static int wr(int fd, uint64_t v) { return (int)write(fd, &v, sizeof v); }

static short revents(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };
	return poll(&p, 1, 0) == 1 ? p.revents : 0;
}

static void test_create(void)
{
	char path[32], link[64] = "";
	int fd;

	CHECK_ERR("eventfd2 unknown flag", syscall(SYS_eventfd2, 0, 2), EINVAL);
	CHECK_ERR("eventfd2 O_APPEND", syscall(SYS_eventfd2, 0, O_APPEND), EINVAL);
	fd = (int)syscall(SYS_eventfd, 3);
	CHECK_OK("eventfd(3)", fd);
	CHECK_EQ("eventfd: no FD_CLOEXEC", fcntl(fd, F_GETFD), 0);
	CHECK_EQ("eventfd: O_RDWR, blocking", fcntl(fd, F_GETFL) & (O_ACCMODE | O_NONBLOCK), O_RDWR);
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	CHECK_OK("readlink eventfd", readlink(path, link, sizeof link - 1));
	CHECK_STR("eventfd link", link, "anon_inode:[eventfd]");
	uint64_t v = 0;
	CHECK_EQ("initial value read", rd(fd, &v), 8);
	CHECK_EQ("initial value 3", v, 3);
	close(fd);
	fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	CHECK_OK("eventfd2 EFD_CLOEXEC | EFD_NONBLOCK", fd);
	CHECK_EQ("EFD_CLOEXEC", fcntl(fd, F_GETFD), FD_CLOEXEC);
	CHECK("EFD_NONBLOCK", fcntl(fd, F_GETFL) & O_NONBLOCK);
	close(fd);
}

static void test_counter(void)
{
	int fd = eventfd(0, EFD_NONBLOCK);
	uint64_t v;
	char small[4];

	CHECK_ERR("empty: read EAGAIN", rd(fd, &v), EAGAIN);
	CHECK_ERR("read of 4 bytes", read(fd, small, 4), EINVAL);
	CHECK_ERR("write of 4 bytes", write(fd, small, 4), EINVAL);
	CHECK_ERR("write from a bad pointer", write(fd, BAD_LOW, 8), EFAULT);
	CHECK_ERR("write UINT64_MAX", wr(fd, UINT64_MAX), EINVAL);
	CHECK_EQ("poll empty: POLLOUT", revents(fd), POLLOUT);
	CHECK_EQ("write 5", wr(fd, 5), 8);
	CHECK_EQ("write 7", wr(fd, 7), 8);
	CHECK_EQ("write 0", wr(fd, 0), 8);
	CHECK_EQ("poll: POLLIN | POLLOUT", revents(fd), POLLIN | POLLOUT);
	char big[16];
	memset(big, 0x55, sizeof big);
	CHECK_EQ("read of 16 bytes moves 8", read(fd, big, sizeof big), 8);
	memcpy(&v, big, 8);
	CHECK_EQ("the sum, 12", v, 12);
	CHECK_EQ("bytes past 8 untouched", big[8], 0x55);
	CHECK_ERR("read resets the counter", rd(fd, &v), EAGAIN);

	/* The maximum is UINT64_MAX - 1. */
	CHECK_EQ("write UINT64_MAX - 1", wr(fd, UINT64_MAX - 1), 8);
	CHECK_EQ("full: POLLIN only", revents(fd), POLLIN);
	CHECK_ERR("full: write 1 EAGAIN", wr(fd, 1), EAGAIN);
	CHECK_EQ("full: write 0 still fits", wr(fd, 0), 8);
	CHECK_EQ("read the maximum", rd(fd, &v), 8);
	CHECK("value UINT64_MAX - 1", v == UINT64_MAX - 1);
	CHECK_EQ("write UINT64_MAX - 2", wr(fd, UINT64_MAX - 2), 8);
	CHECK_EQ("two below the maximum: POLLIN | POLLOUT", revents(fd), POLLIN | POLLOUT);
	CHECK_EQ("write 1 reaches the maximum", wr(fd, 1), 8);
	CHECK_ERR("and no more", wr(fd, 1), EAGAIN);
	close(fd);
	fd = eventfd(1, 0);
	CHECK_ERR("read into a bad pointer", read(fd, BAD_LOW, 8), EFAULT);
	close(fd);
}

static void test_semaphore(void)
{
	int fd = eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK);
	uint64_t v = 0;
	int ok = 1;

	for (int i = 0; i < 3; i++)
		ok &= rd(fd, &v) == 8 && v == 1;
	CHECK("semaphore: three reads of 1", ok);
	CHECK_ERR("semaphore: then empty", rd(fd, &v), EAGAIN);
	wr(fd, 2);
	rd(fd, &v);
	CHECK_EQ("semaphore: read after write 2 gives 1", v, 1);
	CHECK_EQ("semaphore: one left", revents(fd), POLLIN | POLLOUT);
	close(fd);
}

static volatile sig_atomic_t got_alarm;
static void on_alarm(int sig) { (void)sig; got_alarm = 1; }

static void test_blocking(void)
{
	int fd = eventfd(0, 0), ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET, .data.u32 = 1 };
	uint64_t v = 0;

	CHECK_OK("epoll ADD eventfd", epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
	CHECK_EQ("epoll: idle", epoll_wait(ep, &ev, 1, 0), 0);
	pid_t pid = fork();
	if (pid == 0) {
		usleep(50000);
		wr(fd, 42);
		_exit(0);
	}
	CHECK_EQ("epoll wait woken by a write", epoll_wait(ep, &ev, 1, 5000), 1);
	CHECK_EQ("epoll: then quiet (ET)", epoll_wait(ep, &ev, 1, 0), 0);
	CHECK_EQ("read it", rd(fd, &v), 8);
	CHECK_EQ("it reads 42", v, 42);
	waitpid(pid, NULL, 0);
	pid = fork();
	if (pid == 0) {
		usleep(50000);
		wr(fd, 43);
		_exit(0);
	}
	CHECK_EQ("blocking read woken by a write", rd(fd, &v), 8);
	CHECK_EQ("it reads 43", v, 43);
	waitpid(pid, NULL, 0);

	/* A full counter: the write blocks until a read. */
	wr(fd, UINT64_MAX - 1);
	pid = fork();
	if (pid == 0) {
		usleep(50000);
		rd(fd, &v);
		_exit(0);
	}
	CHECK_EQ("blocking write waits for room", wr(fd, 9), 8);
	waitpid(pid, NULL, 0);
	rd(fd, &v);
	CHECK_EQ("the blocked write landed", v, 9);

	/* A signal handler with SA_RESTART: the read is restarted. */
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
	sigaction(SIGALRM, &sa, NULL);
	pid = fork();
	if (pid == 0) {
		usleep(100000);
		wr(fd, 1);
		_exit(0);
	}
	ualarm(30000, 0);
	CHECK_EQ("read restarted after a handler", rd(fd, &v), 8);
	CHECK("the handler ran", got_alarm);
	waitpid(pid, NULL, 0);

	/* Without SA_RESTART: EINTR. */
	sa.sa_flags = 0;
	got_alarm = 0;
	sigaction(SIGALRM, &sa, NULL);
	ualarm(30000, 0);
	CHECK_ERR("read interrupted without SA_RESTART", rd(fd, &v), EINTR);
	signal(SIGALRM, SIG_DFL);
	close(ep);
	close(fd);
}

int main(void)
{
	TEST_BEGIN(T);
	test_create();
	test_counter();
	test_semaphore();
	test_blocking();
	return TEST_END();
}
