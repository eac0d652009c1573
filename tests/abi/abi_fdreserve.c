/*
 * abi_fdreserve.c - calls that make descriptors fail without consuming
 * anything: accept4 at EMFILE leaves the connection queued, pipe2 and
 * socketpair with a bad pointer give EFAULT and leak no descriptor,
 * accept4 with a bad address gives EFAULT/EINVAL and leaks none;
 * fs.nr_open's range, and its hold on RLIMIT_NOFILE, dup2, fork and
 * unshare(CLONE_FILES).
 */
#include "check.h"
#include <fcntl.h>
#include <sched.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>

#define T "abi_fdreserve"

/* The lowest free descriptor, found by dup and given back. */
static int lowest_free(void)
{
	int fd = dup(1);

	if (fd >= 0)
		close(fd);
	return fd;
}

/* A listening AF_UNIX stream socket (non-blocking) on abstract @name. */
static int listener(const char *name, struct sockaddr_un *sa, socklen_t *len)
{
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);

	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	memcpy(sa->sun_path + 1, name, strlen(name));
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
	if (s < 0 || bind(s, (struct sockaddr *)sa, *len) || listen(s, 4)) {
		if (s >= 0)
			close(s);
		return -1;
	}
	return s;
}

static int connect_to(const struct sockaddr_un *sa, socklen_t len)
{
	int c = socket(AF_UNIX, SOCK_STREAM, 0);

	if (c >= 0 && connect(c, (const struct sockaddr *)sa, len)) {
		close(c);
		return -1;
	}
	return c;
}

static void test_accept_emfile(void)
{
	struct sockaddr_un sa;
	struct rlimit old, lim;
	socklen_t len;
	int s, c, fds[64], n = 0, a;

	s = listener("aramid-fdres-emfile", &sa, &len);
	CHECK("listener", s >= 0);
	c = connect_to(&sa, len);
	CHECK("connect", c >= 0);
	getrlimit(RLIMIT_NOFILE, &old);
	lim = old;
	lim.rlim_cur = (rlim_t)lowest_free() + 4;
	CHECK_OK("lower RLIMIT_NOFILE", setrlimit(RLIMIT_NOFILE, &lim));
	while (n < 64 && (fds[n] = dup(1)) >= 0)
		n++;
	CHECK_ERR("descriptor table full", dup(1), EMFILE);
	CHECK_ERR("accept4 at EMFILE", accept4(s, NULL, NULL, 0), EMFILE);
	CHECK_ERR("accept at EMFILE", accept(s, NULL, NULL), EMFILE);
	if (n > 0)
		close(fds[--n]);
	a = accept4(s, NULL, NULL, SOCK_CLOEXEC);
	CHECK("connection still queued after EMFILE", a >= 0);
	CHECK_EQ("accept4 honours SOCK_CLOEXEC", fcntl(a, F_GETFD), FD_CLOEXEC);
	CHECK_EQ("accepted socket talks to the client", write(c, "x", 1), 1);
	char ch = 0;
	CHECK_EQ("data arrives on the accepted socket", read(a, &ch, 1), 1);
	close(a);
	CHECK_ERR("queue now empty", accept4(s, NULL, NULL, 0), EAGAIN);
	while (n > 0)
		close(fds[--n]);
	setrlimit(RLIMIT_NOFILE, &old);
	close(c);
	close(s);
}

static void test_accept_bad_addr(void)
{
	struct sockaddr_un sa, peer;
	socklen_t len, plen;
	int s, c1, c2, c3, free_fd;

	s = listener("aramid-fdres-addr", &sa, &len);
	CHECK("listener", s >= 0);
	c1 = connect_to(&sa, len);
	c2 = connect_to(&sa, len);
	c3 = connect_to(&sa, len);
	CHECK("connect x3", c1 >= 0 && c2 >= 0 && c3 >= 0);
	free_fd = lowest_free();
	plen = sizeof(peer);
	CHECK_ERR("accept4 bad addr EFAULT",
		  accept4(s, BAD_LOW, &plen, 0), EFAULT);
	CHECK_ERR("accept4 bad addrlen EFAULT",
		  accept4(s, (struct sockaddr *)&peer, BAD_LOW, 0), EFAULT);
	plen = (socklen_t)-1;
	CHECK_ERR("accept4 negative addrlen EINVAL",
		  accept4(s, (struct sockaddr *)&peer, &plen, 0), EINVAL);
	CHECK_EQ("no descriptor leaked", lowest_free(), free_fd);
	close(c1);
	close(c2);
	close(c3);
	close(s);
}

/*
 * The address is checked only once a connection is there, as Linux does:
 * a socket that does not listen says EINVAL, an empty queue EAGAIN.
 */
static void test_accept_addr_checked_last(void)
{
	struct sockaddr_un sa;
	socklen_t len, plen = sizeof(sa);
	int quiet = socket(AF_UNIX, SOCK_STREAM, 0);
	int s = listener("aramid-fdres-order", &sa, &len);

	CHECK("sockets", quiet >= 0 && s >= 0);
	CHECK_ERR("not listening, bad addr: EINVAL",
		  accept4(quiet, BAD_LOW, &plen, 0), EINVAL);
	CHECK_ERR("not listening, bad addrlen: EINVAL",
		  accept4(quiet, (struct sockaddr *)&sa, BAD_LOW, 0), EINVAL);
	CHECK_ERR("empty queue, bad addr: EAGAIN",
		  accept4(s, BAD_LOW, &plen, 0), EAGAIN);
	close(quiet);
	close(s);
}

static void test_pipe2_efault(void)
{
	int free_fd = lowest_free();
	int *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK_ERR("pipe2 bad pointer EFAULT", syscall(SYS_pipe2, BAD_LOW, 0), EFAULT);
	CHECK_ERR("pipe bad pointer EFAULT", syscall(SYS_pipe, BAD_NULL), EFAULT);
	CHECK("mmap read-only page", ro != MAP_FAILED);
	CHECK_ERR("pipe2 read-only array EFAULT", pipe2(ro, 0), EFAULT);
	CHECK("read-only array unchanged", ro[0] == 0 && ro[1] == 0);
	munmap(ro, 4096);
	CHECK_EQ("pipe2 EFAULT leaks no descriptor", lowest_free(), free_fd);
	CHECK_ERR("socketpair bad pointer EFAULT",
		  syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, BAD_LOW), EFAULT);
	CHECK_EQ("socketpair EFAULT leaks no descriptor", lowest_free(), free_fd);
}

static void test_pipe2_emfile(void)
{
	struct rlimit old, lim;
	int p[2] = { -7, -7 }, free_fd = lowest_free();

	getrlimit(RLIMIT_NOFILE, &old);
	lim = old;
	lim.rlim_cur = (rlim_t)free_fd + 1;	/* room for one descriptor */
	CHECK_OK("lower RLIMIT_NOFILE", setrlimit(RLIMIT_NOFILE, &lim));
	CHECK_ERR("pipe2 with one free slot EMFILE", pipe2(p, 0), EMFILE);
	CHECK("pipe2 EMFILE leaves the array unchanged", p[0] == -7 && p[1] == -7);
	CHECK_ERR("socketpair with one free slot EMFILE",
		  socketpair(AF_UNIX, SOCK_STREAM, 0, p), EMFILE);
	CHECK_EQ("the one slot is still free", lowest_free(), free_fd);
	setrlimit(RLIMIT_NOFILE, &old);
}

static int write_nr_open(const char *v)
{
	int fd = open("/proc/sys/fs/nr_open", O_WRONLY);
	ssize_t n = fd < 0 ? -1 : write(fd, v, strlen(v));

	if (fd >= 0)
		close(fd);
	return n < 0 ? -1 : (int)n;
}

/* In a child sharing the parent's table: unshare's copy must fit nr_open. */
static int unshare_files_child(void *arg)
{
	(void)arg;
	return unshare(CLONE_FILES) == -1 ? errno : 0;
}

/* fs.nr_open: writable within [64, INT_MAX in words], and enforced. */
static void test_nr_open(void)
{
	char b[32] = "";
	struct rlimit rl, big;
	static char stack[65536];

	CHECK_OK("read fs.nr_open", (int)slurp("/proc/sys/fs/nr_open", b, sizeof b));
	CHECK_STR("fs.nr_open is 1048576", b, "1048576\n");
	CHECK_ERR("63 is below its minimum", write_nr_open("63"), EINVAL);
	CHECK_ERR("2147483647 is above its maximum", write_nr_open("2147483647"), EINVAL);
	CHECK_EQ("64 is taken", write_nr_open("64"), 2);
	getrlimit(RLIMIT_NOFILE, &rl);
	big = rl;
	big.rlim_max = 65;
	if (big.rlim_cur > 65)
		big.rlim_cur = 65;
	CHECK_ERR("RLIMIT_NOFILE's hard limit above it: EPERM", setrlimit(RLIMIT_NOFILE, &big), EPERM);
	CHECK_ERR("dup2 to 64, under RLIMIT_NOFILE: EBADF", dup2(2, 64), EBADF);
	CHECK_EQ("write 1048576 back", write_nr_open("1048576"), 7);
	CHECK_EQ("dup2 to 65", dup2(2, 65), 65);
	CHECK_EQ("64 again", write_nr_open("64"), 2);
	pid_t p = clone(unshare_files_child, stack + sizeof stack, CLONE_FILES | SIGCHLD, NULL);
	int st = -1;
	CHECK("clone(CLONE_FILES)", p > 0 && waitpid(p, &st, 0) == p);
	CHECK_EQ("unshare(CLONE_FILES) with fd 65 open: EMFILE", WIFEXITED(st) ? WEXITSTATUS(st) : -1, EMFILE);
	p = fork();
	if (p == 0)
		_exit(0);
	int fork_errno = p < 0 ? errno : 0;
	if (p > 0)
		waitpid(p, &st, 0);
	CHECK_EQ("fork with fd 65 open: EMFILE", fork_errno, EMFILE);
	CHECK_EQ("write 1048576 back", write_nr_open("1048576"), 7);
	close(65);
	p = fork();
	if (p == 0)
		_exit(0);
	CHECK("fork works again", p > 0 && waitpid(p, &st, 0) == p);
}

int main(void)
{
	TEST_BEGIN(T);
	test_accept_emfile();
	test_accept_bad_addr();
	test_accept_addr_checked_last();
	test_pipe2_efault();
	test_pipe2_emfile();
	test_nr_open();
	return TEST_END();
}
