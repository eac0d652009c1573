/* abi_epoll.c - epoll: create/ctl/wait errors, level and edge triggering, EPOLLONESHOT, EPOLLEXCLUSIVE rules, nesting and loops, hangups, sockets, FIFOs, close semantics, signal masks and timeouts. */
#include "check.h"
#include "net_util.h"
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/ioctl.h>

#define T "abi_epoll"

#ifndef SYS_epoll_pwait2
#define SYS_epoll_pwait2 441
#endif

/* Register @fd in @ep for @events with @fd as the data. */
static int add(int ep, int fd, unsigned events)
{
	struct epoll_event ev = { .events = events, .data.u64 = (uint64_t)fd };
	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static int mod(int ep, int fd, unsigned events)
{
	struct epoll_event ev = { .events = events, .data.u64 = (uint64_t)fd };
	return epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
}

/* One epoll_wait for a single event: the count, *ev filled. */
static int wait1(int ep, struct epoll_event *ev, int ms)
{
	return epoll_wait(ep, ev, 1, ms);
}

static void test_create(void)
{
	char link[64] = "";
	char path[32];
	int ep;

	CHECK("struct epoll_event is 12 bytes", sizeof(struct epoll_event) == 12);
	CHECK_ERR("epoll_create(0)", syscall(SYS_epoll_create, 0), EINVAL);
	CHECK_ERR("epoll_create(-1)", syscall(SYS_epoll_create, -1), EINVAL);
	ep = (int)syscall(SYS_epoll_create, 1);
	CHECK_OK("epoll_create(1)", ep);
	CHECK_EQ("epoll_create: no FD_CLOEXEC", fcntl(ep, F_GETFD), 0);
	close(ep);
	CHECK_ERR("epoll_create1 unknown flag", epoll_create1(1), EINVAL);
	CHECK_ERR("epoll_create1 O_NONBLOCK", epoll_create1(O_NONBLOCK), EINVAL);
	ep = epoll_create1(EPOLL_CLOEXEC);
	CHECK_OK("epoll_create1(EPOLL_CLOEXEC)", ep);
	CHECK_EQ("EPOLL_CLOEXEC sets FD_CLOEXEC", fcntl(ep, F_GETFD), FD_CLOEXEC);
	CHECK_EQ("epoll fd is O_RDWR", fcntl(ep, F_GETFL) & O_ACCMODE, O_RDWR);
	snprintf(path, sizeof path, "/proc/self/fd/%d", ep);
	CHECK_OK("readlink epoll fd", readlink(path, link, sizeof link - 1));
	CHECK_STR("epoll fd link", link, "anon_inode:[eventpoll]");
	char c;
	CHECK_ERR("read from an epoll fd", read(ep, &c, 1), EINVAL);
	close(ep);
}

static void test_ctl_errors(void)
{
	int ep = epoll_create1(0), ep2 = epoll_create1(0), p[2], p2[2];
	struct epoll_event ev = { .events = EPOLLIN };

	pipe(p);
	pipe(p2);
	CHECK_ERR("ctl bad epfd", epoll_ctl(-1, EPOLL_CTL_ADD, p[0], &ev), EBADF);
	CHECK_ERR("ctl closed epfd", epoll_ctl(999, EPOLL_CTL_ADD, p[0], &ev), EBADF);
	CHECK_ERR("ctl bad fd", epoll_ctl(ep, EPOLL_CTL_ADD, 999, &ev), EBADF);
	CHECK_ERR("ctl epfd == fd", epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev), EINVAL);
	CHECK_ERR("ctl on a non-epoll epfd", epoll_ctl(p2[0], EPOLL_CTL_ADD, p[0], &ev), EINVAL);
	CHECK_ERR("ctl bad event pointer", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], BAD_LOW), EFAULT);
	CHECK_ERR("ctl NULL event on ADD", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], NULL), EFAULT);
	CHECK_ERR("ctl unknown op", epoll_ctl(ep, 99, p[0], &ev), EINVAL);
	CHECK_ERR("ctl MOD unregistered", epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), ENOENT);
	CHECK_ERR("ctl DEL unregistered", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), ENOENT);
	CHECK_OK("ctl ADD pipe", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	CHECK_ERR("ctl ADD twice", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), EEXIST);
	CHECK_OK("ctl MOD", epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev));
	CHECK_OK("ctl DEL with a NULL event", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	CHECK_ERR("ctl DEL again", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), ENOENT);

	/* Files without a poll op: EPERM. */
	int reg = open("/tmp/abi_epoll_reg", O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK_ERR("ctl regular file", epoll_ctl(ep, EPOLL_CTL_ADD, reg, &ev), EPERM);
	close(reg);
	unlink("/tmp/abi_epoll_reg");
	int dir = open("/", O_RDONLY | O_DIRECTORY);
	CHECK_ERR("ctl directory", epoll_ctl(ep, EPOLL_CTL_ADD, dir, &ev), EPERM);
	close(dir);
	int opath = open("/", O_PATH);
	CHECK_ERR("ctl O_PATH fd", epoll_ctl(ep, EPOLL_CTL_ADD, opath, &ev), EBADF);
	close(opath);

	/* EPOLLEXCLUSIVE: ADD only, with few flags, not on an epoll. */
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	CHECK_ERR("EPOLLEXCLUSIVE on MOD", epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), EINVAL);
	ev.events = EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT;
	CHECK_ERR("EPOLLEXCLUSIVE | EPOLLONESHOT", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), EINVAL);
	ev.events = EPOLLIN | EPOLLEXCLUSIVE | EPOLLRDHUP;
	CHECK_ERR("EPOLLEXCLUSIVE | EPOLLRDHUP", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev), EINVAL);
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	CHECK_ERR("EPOLLEXCLUSIVE on an epoll fd", epoll_ctl(ep, EPOLL_CTL_ADD, ep2, &ev), EINVAL);
	ev.events = EPOLLIN | EPOLLOUT | EPOLLET | EPOLLEXCLUSIVE;
	CHECK_OK("EPOLLEXCLUSIVE | EPOLLIN | EPOLLET", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
	ev.events = EPOLLIN;
	CHECK_ERR("MOD of an exclusive item", epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev), EINVAL);
	CHECK_OK("DEL of an exclusive item", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));

	/* Loops between epoll fds. */
	CHECK_OK("ADD epoll into epoll", add(ep, ep2, EPOLLIN));
	CHECK_ERR("ADD making a cycle", add(ep2, ep, EPOLLIN), ELOOP);
	int ep3 = epoll_create1(0);
	CHECK_OK("ADD a third level", add(ep2, ep3, EPOLLIN));
	CHECK_ERR("ADD making a longer cycle", add(ep3, ep, EPOLLIN), ELOOP);
	close(ep3);
	close(ep);
	close(ep2);
	close(p[0]); close(p[1]); close(p2[0]); close(p2[1]);
}

static void test_wait_errors(void)
{
	int ep = epoll_create1(0), p[2];
	struct epoll_event evs[4];
	sigset_t set;

	pipe(p);
	CHECK_ERR("wait maxevents 0", epoll_wait(ep, evs, 0, 0), EINVAL);
	CHECK_ERR("wait maxevents -1", epoll_wait(ep, evs, -1, 0), EINVAL);
	CHECK_ERR("wait maxevents too big", epoll_wait(ep, evs, INT_MAX / 12 + 1, 0), EINVAL);
	CHECK_ERR("wait maxevents checked before epfd", epoll_wait(-1, evs, 0, 0), EINVAL);
	CHECK_ERR("wait bad epfd", epoll_wait(-1, evs, 1, 0), EBADF);
	CHECK_ERR("wait non-epoll fd", epoll_wait(p[0], evs, 1, 0), EINVAL);
	CHECK_EQ("raw epoll_wait, nothing ready", syscall(SYS_epoll_wait, ep, evs, 4, 0), 0);
	sigemptyset(&set);
	CHECK_ERR("pwait sigsetsize 7", syscall(SYS_epoll_pwait, ep, evs, 1, 0, &set, 7), EINVAL);
	CHECK_ERR("pwait bad sigmask", syscall(SYS_epoll_pwait, ep, evs, 1, 0, BAD_LOW, 8), EFAULT);
	CHECK_EQ("pwait sigmask, nothing ready", syscall(SYS_epoll_pwait, ep, evs, 1, 0, &set, 8), 0);
	struct timespec ts = { 0, -1 };
	CHECK_ERR("pwait2 negative nsec", syscall(SYS_epoll_pwait2, ep, evs, 1, &ts, NULL, 8), EINVAL);
	ts.tv_sec = -1; ts.tv_nsec = 0;
	CHECK_ERR("pwait2 negative sec", syscall(SYS_epoll_pwait2, ep, evs, 1, &ts, NULL, 8), EINVAL);
	CHECK_ERR("pwait2 bad timeout pointer", syscall(SYS_epoll_pwait2, ep, evs, 1, BAD_LOW, NULL, 8), EFAULT);
	ts.tv_sec = 0; ts.tv_nsec = 0;
	CHECK_EQ("pwait2 zero timeout", syscall(SYS_epoll_pwait2, ep, evs, 1, &ts, NULL, 8), 0);
	ts.tv_nsec = 50000000;
	long long t0 = now_ns();
	CHECK_EQ("pwait2 50 ms timeout", syscall(SYS_epoll_pwait2, ep, evs, 1, &ts, NULL, 8), 0);
	CHECK("pwait2 waited about 50 ms", now_ns() - t0 >= 45000000LL);
	t0 = now_ns();
	CHECK_EQ("wait 100 ms timeout", epoll_wait(ep, evs, 1, 100), 0);
	CHECK("wait waited about 100 ms", now_ns() - t0 >= 95000000LL);

	/* A bad events buffer faults only once there is an event to write. */
	add(ep, p[0], EPOLLIN);
	CHECK_EQ("NULL events, nothing ready", epoll_wait(ep, NULL, 1, 0), 0);
	write(p[1], "x", 1);
	CHECK_ERR("NULL events with an event", epoll_wait(ep, NULL, 1, 0), EFAULT);
	CHECK_ERR("unmapped events pointer", epoll_wait(ep, BAD_LOW, 1, 0), EFAULT);
	CHECK_EQ("event kept after EFAULT", epoll_wait(ep, evs, 4, 0), 1);
	close(ep);
	close(p[0]); close(p[1]);
}

static void test_level_edge_oneshot(void)
{
	int ep = epoll_create1(0), p[2];
	struct epoll_event ev;
	char buf[8];

	pipe(p);
	CHECK_OK("ADD read end, level-triggered", add(ep, p[0], EPOLLIN));
	CHECK_EQ("empty pipe: no event", wait1(ep, &ev, 0), 0);
	write(p[1], "ab", 2);
	CHECK_EQ("LT: readable", wait1(ep, &ev, 0), 1);
	CHECK("LT: EPOLLIN with the data", ev.events == EPOLLIN && ev.data.u64 == (uint64_t)p[0]);
	CHECK_EQ("LT: reported again", wait1(ep, &ev, 0), 1);
	read(p[0], buf, 2);
	CHECK_EQ("LT: drained, no event", wait1(ep, &ev, 0), 0);

	CHECK_OK("MOD to edge-triggered", mod(ep, p[0], EPOLLIN | EPOLLET));
	write(p[1], "a", 1);
	CHECK_EQ("ET: first report", wait1(ep, &ev, 0), 1);
	CHECK_EQ("ET: not again without new data", wait1(ep, &ev, 0), 0);
	write(p[1], "b", 1);
	CHECK_EQ("ET: new data reports again", wait1(ep, &ev, 0), 1);
	CHECK_EQ("ET: then quiet", wait1(ep, &ev, 0), 0);
	CHECK_OK("ET: MOD re-reports a ready file", mod(ep, p[0], EPOLLIN | EPOLLET));
	CHECK_EQ("ET: after MOD", wait1(ep, &ev, 0), 1);
	read(p[0], buf, sizeof buf);

	CHECK_OK("MOD to EPOLLONESHOT", mod(ep, p[0], EPOLLIN | EPOLLONESHOT));
	write(p[1], "c", 1);
	CHECK_EQ("ONESHOT: first report", wait1(ep, &ev, 0), 1);
	CHECK_EQ("ONESHOT: disabled after it", wait1(ep, &ev, 0), 0);
	write(p[1], "d", 1);
	CHECK_EQ("ONESHOT: new data stays quiet", wait1(ep, &ev, 0), 0);
	CHECK_OK("ONESHOT: MOD rearms", mod(ep, p[0], EPOLLIN | EPOLLONESHOT));
	CHECK_EQ("ONESHOT: reported after rearm", wait1(ep, &ev, 0), 1);
	CHECK_EQ("ONESHOT: and disabled again", wait1(ep, &ev, 0), 0);
	CHECK_ERR("ONESHOT: ADD still EEXIST", add(ep, p[0], EPOLLIN), EEXIST);
	read(p[0], buf, sizeof buf);

	/* Write end: EPOLLOUT, EPOLLERR once the reader is gone. */
	CHECK_OK("ADD write end", add(ep, p[1], EPOLLOUT | EPOLLWAKEUP));
	CHECK_OK("DEL read end", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	CHECK_EQ("write end writable", wait1(ep, &ev, 0), 1);
	CHECK_EQ("EPOLLOUT only (EPOLLWAKEUP not reported)", ev.events, EPOLLOUT);
	close(p[0]);
	CHECK_EQ("reader gone", wait1(ep, &ev, 0), 1);
	CHECK_EQ("EPOLLOUT | EPOLLERR", ev.events, EPOLLOUT | EPOLLERR);
	close(p[1]);

	/* Read end: EPOLLHUP once the writer is gone, even unasked. */
	pipe(p);
	add(ep, p[0], EPOLLRDHUP);
	CHECK_EQ("open pipe: no hangup", wait1(ep, &ev, 0), 0);
	close(p[1]);
	CHECK_EQ("writer gone", wait1(ep, &ev, 0), 1);
	CHECK_EQ("EPOLLHUP always reported", ev.events, EPOLLHUP);
	close(p[0]);
	close(ep);
}

/* Several ready items and maxevents 1: each wait reports the next. */
static void test_round_robin(void)
{
	int ep = epoll_create1(0), p[3][2];
	struct epoll_event ev, evs[8];
	int seen = 0;

	for (int i = 0; i < 3; i++) {
		pipe(p[i]);
		write(p[i][1], "x", 1);
		add(ep, p[i][0], EPOLLIN);
	}
	for (int i = 0; i < 3; i++) {
		if (wait1(ep, &ev, 0) == 1)
			for (int j = 0; j < 3; j++)
				if (ev.data.u64 == (uint64_t)p[j][0])
					seen |= 1 << j;
	}
	CHECK_EQ("maxevents 1: three waits see three files", seen, 7);
	CHECK_EQ("all three at once", epoll_wait(ep, evs, 8, 0), 3);
	for (int i = 0; i < 3; i++) {
		close(p[i][0]);
		close(p[i][1]);
	}
	CHECK_EQ("closed files leave the set", epoll_wait(ep, evs, 8, 0), 0);
	close(ep);
}

/* Registrations are keyed on (file, fd) and end with the file. */
static void test_close(void)
{
	int ep = epoll_create1(0), p[2], d;
	struct epoll_event ev;

	pipe(p);
	write(p[1], "x", 1);
	d = dup(p[0]);
	CHECK_OK("ADD a dup", add(ep, d, EPOLLIN));
	CHECK_OK("ADD the original too", add(ep, p[0], EPOLLIN));
	CHECK_OK("DEL the original", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	close(d);
	CHECK_EQ("closed dup: still registered via the file", wait1(ep, &ev, 0), 1);
	CHECK_EQ("reported with the closed fd's data", ev.data.u64, (uint64_t)d);
	CHECK_ERR("DEL of the closed fd", epoll_ctl(ep, EPOLL_CTL_DEL, d, NULL), EBADF);
	CHECK_ERR("DEL via the other fd: another key", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL), ENOENT);
	close(p[0]);
	CHECK_EQ("last reference closed: gone", wait1(ep, &ev, 0), 0);
	close(p[1]);

	/* Closing the epoll fd with registrations, and a watched file after. */
	pipe(p);
	add(ep, p[0], EPOLLIN);
	close(ep);
	CHECK_EQ("pipe fine after its epoll closed", write(p[1], "y", 1), 1);
	close(p[0]);
	close(p[1]);
}

static void test_nested(void)
{
	int outer = epoll_create1(0), inner = epoll_create1(0), p[2];
	struct epoll_event ev;
	struct pollfd pfd;
	char c;

	pipe(p);
	add(inner, p[0], EPOLLIN);
	CHECK_OK("ADD inner epoll to outer", add(outer, inner, EPOLLIN));
	CHECK_EQ("nested: nothing yet", wait1(outer, &ev, 0), 0);
	pfd.fd = inner;
	pfd.events = POLLIN;
	CHECK_EQ("poll on an idle epoll fd", poll(&pfd, 1, 0), 0);
	write(p[1], "x", 1);
	CHECK_EQ("nested: inner readable", wait1(outer, &ev, 0), 1);
	CHECK("nested: reported for the inner fd", ev.events == EPOLLIN && ev.data.u64 == (uint64_t)inner);
	CHECK_EQ("poll on a ready epoll fd", poll(&pfd, 1, 0), 1);
	CHECK_EQ("poll: POLLIN", pfd.revents, POLLIN);
	read(p[0], &c, 1);
	CHECK_EQ("nested: quiet once drained", wait1(outer, &ev, 0), 0);

	/* A blocked outer wait is woken through the inner epoll. */
	pid_t pid = fork();
	if (pid == 0) {
		usleep(50000);
		write(p[1], "y", 1);
		_exit(0);
	}
	CHECK_EQ("nested: blocking wait woken", wait1(outer, &ev, 5000), 1);
	waitpid(pid, NULL, 0);
	read(p[0], &c, 1);
	close(outer);
	close(inner);
	close(p[0]);
	close(p[1]);
}

static void test_blocking(void)
{
	int ep = epoll_create1(0), p[2];
	struct epoll_event ev;

	pipe(p);
	add(ep, p[0], EPOLLIN);
	pid_t pid = fork();
	if (pid == 0) {
		usleep(50000);
		write(p[1], "x", 1);
		_exit(0);
	}
	long long t0 = now_ns();
	CHECK_EQ("infinite wait woken by a write", wait1(ep, &ev, -1), 1);
	CHECK("it did wait for the writer", now_ns() - t0 >= 30000000LL);
	waitpid(pid, NULL, 0);

	/* The writer exits: the blocked reader sees the hangup. */
	char c;
	read(p[0], &c, 1);
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		usleep(50000);
		_exit(0);
	}
	close(p[1]);
	CHECK_EQ("hangup wakes a blocking wait", wait1(ep, &ev, 5000), 1);
	CHECK_EQ("EPOLLHUP", ev.events, EPOLLHUP);
	waitpid(pid, NULL, 0);
	close(p[0]);
	close(ep);
}

static volatile sig_atomic_t got_usr1;
static void on_usr1(int sig) { (void)sig; got_usr1 = 1; }

static void test_signals(void)
{
	int ep = epoll_create1(0);
	struct epoll_event ev;
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
	sigset_t block, empty, now;

	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigemptyset(&empty);
	sigprocmask(SIG_BLOCK, &block, NULL);
	raise(SIGUSR1);
	CHECK_EQ("blocked signal: wait times out", wait1(ep, &ev, 10), 0);
	CHECK_ERR("pwait: the mask lets it in", epoll_pwait(ep, &ev, 1, 1000, &empty), EINTR);
	CHECK("pwait: the handler ran", got_usr1);
	sigprocmask(SIG_BLOCK, NULL, &now);
	CHECK("pwait: the old mask is back", sigismember(&now, SIGUSR1));
	sigprocmask(SIG_UNBLOCK, &block, NULL);

	/* SA_RESTART does not restart epoll_wait. */
	got_usr1 = 0;
	pid_t parent = getpid(), pid = fork();
	if (pid == 0) {
		usleep(50000);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	CHECK_ERR("wait interrupted despite SA_RESTART", wait1(ep, &ev, 5000), EINTR);
	CHECK("handler ran", got_usr1);
	waitpid(pid, NULL, 0);
	signal(SIGUSR1, SIG_DFL);
	close(ep);
}

/* Bring the loopback interface up (it starts down). */
static void test_sockets(void)
{
	int ep = epoll_create1(0), sv[2];
	struct epoll_event ev;
	char buf[16];

	CHECK_OK("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK_OK("ADD unix socket", add(ep, sv[0], EPOLLIN | EPOLLOUT | EPOLLRDHUP));
	CHECK_EQ("unix: writable", wait1(ep, &ev, 0), 1);
	CHECK_EQ("unix: EPOLLOUT", ev.events, EPOLLOUT);
	send(sv[1], "hi", 2, 0);
	wait1(ep, &ev, 0);
	CHECK_EQ("unix: EPOLLIN | EPOLLOUT", ev.events, EPOLLIN | EPOLLOUT);
	recv(sv[0], buf, sizeof buf, 0);
	shutdown(sv[1], SHUT_WR);
	wait1(ep, &ev, 0);
	CHECK_EQ("unix: peer shutdown gives EPOLLRDHUP", ev.events, EPOLLIN | EPOLLOUT | EPOLLRDHUP);
	close(sv[1]);
	wait1(ep, &ev, 0);
	CHECK("unix: peer closed gives EPOLLHUP", ev.events & EPOLLHUP);
	close(sv[0]);

	/* AF_INET: a listener becomes readable with a connection. */
	lo_up();
	int l = socket(AF_INET, SOCK_STREAM, 0), c = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof a;
	CHECK_OK("tcp bind", bind(l, (struct sockaddr *)&a, sizeof a));
	listen(l, 4);
	getsockname(l, (struct sockaddr *)&a, &alen);
	CHECK_OK("ADD tcp listener", add(ep, l, EPOLLIN));
	CHECK_EQ("tcp listener idle", wait1(ep, &ev, 0), 0);
	CHECK_OK("tcp connect", connect(c, (struct sockaddr *)&a, sizeof a));
	CHECK_EQ("tcp listener readable", wait1(ep, &ev, 2000), 1);
	int s = accept4(l, NULL, NULL, SOCK_NONBLOCK);
	CHECK_OK("tcp accept", s);
	epoll_ctl(ep, EPOLL_CTL_DEL, l, NULL);
	CHECK_OK("ADD tcp stream, ET", add(ep, s, EPOLLIN | EPOLLET));
	CHECK_EQ("tcp stream idle", wait1(ep, &ev, 0), 0);
	send(c, "data", 4, 0);
	CHECK_EQ("tcp data wakes a wait", wait1(ep, &ev, 2000), 1);
	CHECK_EQ("tcp EPOLLIN", ev.events, EPOLLIN);
	CHECK_EQ("tcp read", recv(s, buf, sizeof buf, 0), 4);
	close(c);
	CHECK_EQ("tcp peer close", wait1(ep, &ev, 2000), 1);
	CHECK("tcp EPOLLIN at EOF", ev.events & EPOLLIN);
	close(s);
	close(l);

	/* AF_INET datagrams. */
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	a.sin_port = 0;
	bind(u, (struct sockaddr *)&a, sizeof a);
	alen = sizeof a;
	getsockname(u, (struct sockaddr *)&a, &alen);
	add(ep, u, EPOLLIN);
	CHECK_EQ("udp idle", wait1(ep, &ev, 0), 0);
	sendto(u, "d", 1, 0, (struct sockaddr *)&a, sizeof a);
	CHECK_EQ("udp datagram readable", wait1(ep, &ev, 2000), 1);
	close(u);
	close(ep);
}

static void test_fifo_tty(void)
{
	int ep = epoll_create1(0);
	struct epoll_event ev;

	unlink("/tmp/abi_epoll_fifo");
	mkfifo("/tmp/abi_epoll_fifo", 0600);
	int f = open("/tmp/abi_epoll_fifo", O_RDWR | O_NONBLOCK);
	CHECK_OK("open FIFO", f);
	CHECK_OK("ADD FIFO", add(ep, f, EPOLLIN | EPOLLOUT));
	wait1(ep, &ev, 0);
	CHECK_EQ("FIFO: writable", ev.events, EPOLLOUT);
	write(f, "z", 1);
	wait1(ep, &ev, 0);
	CHECK_EQ("FIFO: readable and writable", ev.events, EPOLLIN | EPOLLOUT);
	close(f);
	unlink("/tmp/abi_epoll_fifo");
	if (isatty(1)) {
		CHECK_OK("ADD tty", add(ep, 1, EPOLLOUT));
		CHECK_EQ("tty writable", wait1(ep, &ev, 0), 1);
		CHECK_EQ("tty EPOLLOUT", ev.events, EPOLLOUT);
	}
	close(ep);
}

int main(void)
{
	TEST_BEGIN(T);
	test_create();
	test_ctl_errors();
	test_wait_errors();
	test_level_edge_oneshot();
	test_round_robin();
	test_close();
	test_nested();
	test_blocking();
	test_signals();
	test_sockets();
	test_fifo_tty();
	return TEST_END();
}
