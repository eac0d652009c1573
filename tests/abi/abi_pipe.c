/* abi_pipe.c - pipes: pipe/pipe2 flags, EOF/EPIPE rules, capacity, poll/ppoll/select/pselect readiness and timeouts, dup semantics. */
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/socket.h>

#define T "abi_pipe"

static void test_basic(void)
{
	int p[2];
	char buf[128];
	CHECK_OK("pipe", pipe(p));
	CHECK("pipe fds distinct", p[0] >= 0 && p[1] >= 0 && p[0] != p[1]);
	CHECK_EQ("pipe read end O_RDONLY", fcntl(p[0], F_GETFL) & O_ACCMODE, O_RDONLY);
	CHECK_EQ("pipe write end O_WRONLY", fcntl(p[1], F_GETFL) & O_ACCMODE, O_WRONLY);
	CHECK_EQ("pipe no FD_CLOEXEC", fcntl(p[0], F_GETFD), 0);
	struct stat st;
	fstat(p[0], &st);
	CHECK("fstat pipe S_ISFIFO", S_ISFIFO(st.st_mode));
	CHECK_EQ("write to pipe", write(p[1], "hello", 5), 5);
	int avail = -1;
	ioctl(p[0], FIONREAD, &avail);
	CHECK_EQ("FIONREAD bytes available", avail, 5);
	CHECK_EQ("short read returns available", read(p[0], buf, sizeof buf), 5);
	CHECK("pipe data intact", !memcmp(buf, "hello", 5));
	write(p[1], "abcdef", 6);
	CHECK_EQ("partial read", read(p[0], buf, 2), 2);
	CHECK_EQ("rest of data", read(p[0], buf, sizeof buf), 4);
	CHECK("FIFO order", !memcmp(buf, "cdef", 4));
	CHECK_ERR("write to read end", write(p[0], "x", 1), EBADF);
	CHECK_ERR("read from write end", read(p[1], buf, 1), EBADF);
	CHECK_ERR("lseek on pipe", lseek(p[0], 0, SEEK_SET), ESPIPE);
	CHECK_ERR("pread on pipe", pread(p[0], buf, 1, 0), ESPIPE);
	CHECK_EQ("zero-length write", write(p[1], buf, 0), 0);

	/* EOF only after every write end is closed (including dups) */
	int w2 = dup(p[1]);
	close(p[1]);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	CHECK_ERR("dup'd writer keeps pipe open (EAGAIN not EOF)", read(p[0], buf, 1), EAGAIN);
	close(w2);
	CHECK_EQ("EOF after all writers close", read(p[0], buf, 1), 0);
	close(p[0]);
}

static void test_pipe2(void)
{
	int p[2];
	CHECK_OK("pipe2 O_CLOEXEC", pipe2(p, O_CLOEXEC));
	CHECK("O_CLOEXEC on both ends", fcntl(p[0], F_GETFD) == FD_CLOEXEC && fcntl(p[1], F_GETFD) == FD_CLOEXEC);
	close(p[0]); close(p[1]);
	CHECK_OK("pipe2 O_NONBLOCK", pipe2(p, O_NONBLOCK));
	CHECK("O_NONBLOCK in F_GETFL", (fcntl(p[0], F_GETFL) & O_NONBLOCK) && (fcntl(p[1], F_GETFL) & O_NONBLOCK));
	char buf[4096];
	CHECK_ERR("empty nonblocking read EAGAIN", read(p[0], buf, 1), EAGAIN);
	CHECK_EQ("default pipe capacity 64KiB", fcntl(p[1], F_GETPIPE_SZ), 65536);
	memset(buf, 'x', sizeof buf);
	long total = 0, r;
	while ((r = write(p[1], buf, sizeof buf)) > 0)
		total += r;
	CHECK_EQ("nonblocking fill stops at capacity", total, 65536);
	CHECK_ERR("full nonblocking write EAGAIN", write(p[1], buf, 1), EAGAIN);
	struct pollfd pf = { p[1], POLLOUT, 0 };
	CHECK_EQ("full pipe not POLLOUT", poll(&pf, 1, 0), 0);
	read(p[0], buf, sizeof buf);
	CHECK_EQ("POLLOUT after draining a page", poll(&pf, 1, 0), 1);
	close(p[0]); close(p[1]);
	CHECK_ERR("pipe2 bad flags", pipe2(p, O_APPEND), EINVAL);
}

static void test_poll(void)
{
	int p[2];
	pipe(p);
	struct pollfd pf[2] = { { p[0], POLLIN, 0 }, { p[1], POLLOUT, 0 } };
	CHECK_EQ("poll: only write end ready", poll(pf, 2, 0), 1);
	CHECK("poll: revents", pf[0].revents == 0 && pf[1].revents == POLLOUT);
	long long t0 = now_ns();
	CHECK_EQ("poll timeout returns 0", poll(pf, 1, 100), 0);
	long long dt = now_ns() - t0;
	CHECK("poll 100ms timeout took 90ms..3s", dt >= 90000000LL && dt < 3000000000LL);
	write(p[1], "z", 1);
	CHECK_EQ("poll: POLLIN after write", poll(pf, 1, 1000), 1);
	CHECK_EQ("POLLIN revents", pf[0].revents, POLLIN);

	/* wake-up from another process */
	char c;
	read(p[0], &c, 1);
	pid_t k = fork();
	if (k == 0) {
		usleep(100000);
		write(p[1], "w", 1);
		_exit(0);
	}
	CHECK_EQ("poll woken by writer in child", poll(pf, 1, 5000), 1);
	waitpid(k, NULL, 0);
	read(p[0], &c, 1);

	close(p[1]);
	pf[0].revents = 0;
	poll(pf, 1, 0);
	CHECK("POLLHUP when writers gone", pf[0].revents & POLLHUP);
	int q[2];
	pipe(q);
	close(q[0]);
	struct pollfd w = { q[1], POLLOUT, 0 };
	poll(&w, 1, 0);
	CHECK("POLLERR on write end with no reader", w.revents & POLLERR);
	close(q[1]);
	struct pollfd nv[2] = { { 9999, POLLIN, 0 }, { -1, POLLIN, 77 } };
	CHECK_EQ("poll counts invalid fd", poll(nv, 2, 0), 1);
	CHECK_EQ("POLLNVAL for bad fd", nv[0].revents, POLLNVAL);
	CHECK_EQ("negative fd ignored, revents 0", nv[1].revents, 0);
	CHECK_EQ("poll nfds 0 timeout", poll(NULL, 0, 10), 0);
	CHECK_ERR("poll nfds > RLIMIT_NOFILE", syscall(SYS_poll, pf, 1UL << 30, 0), EINVAL);
	close(p[0]);

	pipe(p);
	struct pollfd pp = { p[0], POLLIN, 0 };
	struct timespec ts = { 0, 50000000 };
	t0 = now_ns();
	CHECK_EQ("ppoll timeout", ppoll(&pp, 1, &ts, NULL), 0);
	CHECK("ppoll waited >= 45ms", now_ns() - t0 >= 45000000LL);
	write(p[1], "a", 1);
	CHECK_EQ("ppoll ready", ppoll(&pp, 1, &ts, NULL), 1);
	struct timespec bad = { 0, 1000000000 };
	CHECK_ERR("ppoll bad timespec", ppoll(&pp, 1, &bad, NULL), EINVAL);
	close(p[0]); close(p[1]);
}

static void test_select(void)
{
	int p[2];
	pipe(p);
	fd_set r, w;
	FD_ZERO(&r); FD_ZERO(&w);
	FD_SET(p[0], &r); FD_SET(p[1], &w);
	int n = (p[0] > p[1] ? p[0] : p[1]) + 1;
	struct timeval tv = { 0, 0 };
	CHECK_EQ("select: write end ready", select(n, &r, &w, NULL, &tv), 1);
	CHECK("select: fd sets updated", !FD_ISSET(p[0], &r) && FD_ISSET(p[1], &w));
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	tv.tv_sec = 0; tv.tv_usec = 100000;
	long long t0 = now_ns();
	/* raw syscall: musl passes a copy of tv, Linux updates it in place */
	CHECK_EQ("select timeout returns 0", syscall(SYS_select, n, &r, NULL, NULL, &tv), 0);
	CHECK("select waited >= 90ms", now_ns() - t0 >= 90000000LL);
	CHECK("select timeout updated to remaining (0)", tv.tv_sec == 0 && tv.tv_usec == 0);
	write(p[1], "s", 1);
	FD_SET(p[0], &r);
	tv.tv_sec = 1; tv.tv_usec = 0;
	CHECK_EQ("select readable", select(n, &r, NULL, NULL, &tv), 1);
	CHECK("select read set", FD_ISSET(p[0], &r));
	fd_set bad;
	FD_ZERO(&bad);
	int closed = dup(p[0]);        /* a closed fd inside the fd table */
	close(closed);
	FD_SET(closed, &bad);
	tv.tv_sec = 0; tv.tv_usec = 0;
	CHECK_ERR("select on closed fd EBADF", syscall(SYS_select, closed + 1, &bad, NULL, NULL, &tv), EBADF);
	CHECK_ERR("select negative nfds", syscall(SYS_select, -1, NULL, NULL, NULL, &tv), EINVAL);
	struct timeval btv = { 0, -1 };
	CHECK_ERR("select bad timeval", syscall(SYS_select, n, &r, NULL, NULL, &btv), EINVAL);

	struct timespec ts = { 0, 30000000 };
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	CHECK_EQ("pselect readable", pselect(n, &r, NULL, NULL, &ts, NULL), 1);
	char c;
	read(p[0], &c, 1);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	t0 = now_ns();
	CHECK_EQ("pselect timeout", pselect(n, &r, NULL, NULL, &ts, NULL), 0);
	CHECK("pselect waited >= 25ms", now_ns() - t0 >= 25000000LL);
	close(p[1]);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	CHECK_EQ("select: EOF counts as readable", select(n, &r, NULL, NULL, NULL), 1);
	close(p[0]);
}

static void test_epipe_and_atomic(void)
{
	signal(SIGPIPE, SIG_IGN);
	int p[2];
	pipe(p);
	close(p[0]);
	CHECK_ERR("write without reader EPIPE", write(p[1], "x", 1), EPIPE);
	close(p[1]);
	signal(SIGPIPE, SIG_DFL);

	/* two writers of PIPE_BUF-sized chunks never interleave */
	pipe(p);
	pid_t a = fork();
	if (a == 0) {
		char b[4096];
		memset(b, 'A', sizeof b);
		for (int i = 0; i < 8; i++)
			write(p[1], b, sizeof b);
		_exit(0);
	}
	pid_t b2 = fork();
	if (b2 == 0) {
		char b[4096];
		memset(b, 'B', sizeof b);
		for (int i = 0; i < 8; i++)
			write(p[1], b, sizeof b);
		_exit(0);
	}
	close(p[1]);
	static char all[16 * 4096 + 16];
	long got = 0, r;
	while ((r = read(p[0], all + got, sizeof all - got)) > 0)
		got += r;
	int ok = got == 16 * 4096;
	for (long i = 0; ok && i < got; i += 4096)
		for (long j = 1; j < 4096; j++)
			if (all[i + j] != all[i]) { ok = 0; break; }
	CHECK("PIPE_BUF writes are atomic", ok);
	waitpid(a, NULL, 0);
	waitpid(b2, NULL, 0);
	close(p[0]);

	/* pipe across fork: parent reads child's data then EOF */
	pipe(p);
	pid_t c = fork();
	if (c == 0) {
		close(p[0]);
		write(p[1], "from-child", 10);
		_exit(0);
	}
	close(p[1]);
	char buf[32] = { 0 };
	long n = 0;
	while ((r = read(p[0], buf + n, sizeof buf - 1 - n)) > 0)
		n += r;
	CHECK_STR("data from child then EOF", buf, "from-child");
	waitpid(c, NULL, 0);
	close(p[0]);

	int fifo_ok = mkfifo("fifo", 0644) == 0;
	struct stat st;
	CHECK("mkfifo creates FIFO", fifo_ok && stat("fifo", &st) == 0 && S_ISFIFO(st.st_mode));
	int rfd = open("fifo", O_RDONLY | O_NONBLOCK);
	CHECK("open FIFO O_RDONLY|O_NONBLOCK without writer", rfd >= 0);
	int wfd = open("fifo", O_WRONLY | O_NONBLOCK);
	CHECK("open FIFO for write while reader exists", wfd >= 0);
	write(wfd, "ff", 2);
	memset(buf, 0, sizeof buf);
	CHECK_EQ("data through FIFO", read(rfd, buf, sizeof buf), 2);
	close(wfd);
	close(rfd);
	CHECK_ERR("open FIFO O_WRONLY|O_NONBLOCK without reader", open("fifo", O_WRONLY | O_NONBLOCK), ENXIO);
	unlink("fifo");
}

/* F_SETPIPE_SZ: sizes rounded to powers of two pages, data kept. */
static void test_pipe_size(void)
{
	static char buf[1 << 16], got[1 << 16];
	int p[2];

	pipe2(p, O_NONBLOCK);
	CHECK_EQ("F_SETPIPE_SZ 1 gives one page", fcntl(p[1], F_SETPIPE_SZ, 1),
		 4096);
	CHECK_EQ("... F_GETPIPE_SZ agrees", fcntl(p[0], F_GETPIPE_SZ), 4096);
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (char)(i * 7 + i / 251);
	CHECK_EQ("a one-page pipe takes 4096 bytes", write(p[1], buf, 8192),
		 4096);
	CHECK_ERR("... and no more", write(p[1], buf, 1), EAGAIN);
	CHECK_EQ("F_SETPIPE_SZ 100000 rounds up to 128 KiB",
		 fcntl(p[1], F_SETPIPE_SZ, 100000), 131072);
	CHECK_EQ("the bigger pipe takes 64 KiB more",
		 write(p[1], buf + 4096, sizeof buf - 4096), sizeof buf - 4096);
	CHECK_ERR("shrinking below the data is EBUSY",
		  fcntl(p[1], F_SETPIPE_SZ, 4096), EBUSY);
	CHECK_EQ("the data survived the resize in order",
		 read(p[0], got, sizeof got) == sizeof got &&
		 memcmp(got, buf, sizeof got) == 0, 1);
	CHECK_ERR("F_SETPIPE_SZ above 2 GiB is EINVAL",
		  fcntl(p[1], F_SETPIPE_SZ, (1U << 31) + 1), EINVAL);
	CHECK_EQ("F_SETPIPE_SZ 0 gives one page once it fits",
		 (read(p[0], got, sizeof got), fcntl(p[1], F_SETPIPE_SZ, 0)),
		 4096);
	CHECK_EQ("root may go past fs.pipe-max-size",
		 fcntl(p[1], F_SETPIPE_SZ, 2 << 20), 2 << 20);
	pid_t c = fork();

	if (c == 0) {
		if (setresuid(1000, 1000, 1000))
			_exit(2);
		if (fcntl(p[1], F_SETPIPE_SZ, 1 << 20) != 1 << 20)
			_exit(3);
		_exit(fcntl(p[1], F_SETPIPE_SZ, 4 << 20) == -1 &&
		      errno == EPERM ? 0 : 4);
	}
	int st = -1;

	waitpid(c, &st, 0);
	CHECK_EQ("an ordinary user may shrink but not grow past 1 MiB: EPERM",
		 st, 0);
	int fd = open("/proc/self/stat", O_RDONLY);

	CHECK_ERR("F_SETPIPE_SZ on a regular file is EBADF",
		  fcntl(fd, F_SETPIPE_SZ, 4096), EBADF);
	close(fd);
	close(p[0]);
	close(p[1]);
}

/* /proc/self/fd/N of a pipe reopens it as a FIFO; of a socket: ENXIO. */
static void test_reopen(void)
{
	char path[64], buf[8] = { 0 };
	int p[2], r, w, sv[2];

	pipe(p);
	snprintf(path, sizeof path, "/proc/self/fd/%d", p[0]);
	r = open(path, O_RDONLY);
	CHECK_OK("open /proc/self/fd/N of a pipe's read end", r);
	snprintf(path, sizeof path, "/proc/self/fd/%d", p[1]);
	w = open(path, O_WRONLY);
	CHECK_OK("... and of its write end", w);
	CHECK_EQ("write through the reopened end", write(w, "abc", 3), 3);
	CHECK_EQ("read through the other", read(r, buf, sizeof buf), 3);
	CHECK_STR("... the same pipe", buf, "abc");
	CHECK_EQ("the reopened file is the same pipe",
		 fcntl(r, F_GETPIPE_SZ), fcntl(p[0], F_GETPIPE_SZ));
	close(r);
	close(w);
	close(p[0]);
	close(p[1]);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	snprintf(path, sizeof path, "/proc/self/fd/%d", sv[0]);
	CHECK_ERR("open /proc/self/fd/N of a socket is ENXIO",
		  open(path, O_RDWR), ENXIO);
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	TEST_BEGIN(T);
	test_reopen();
	test_pipe_size();
	test_basic();
	test_pipe2();
	test_poll();
	test_select();
	test_epipe_and_atomic();
	return TEST_END();
}
