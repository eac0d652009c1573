/* abi_unix.c - AF_UNIX sockets: socket/socketpair flags and errors, bind to paths and abstract names, listen/accept/connect, stream and datagram I/O, EPIPE/SIGPIPE, shutdown, SCM_RIGHTS, names, socket options, poll readiness. */
#include "check.h"
#include <fcntl.h>
#include <stdio.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>

#define T "abi_unix"

static socklen_t mkaddr(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	strcpy(a->sun_path, path);
	return offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
}

/* An abstract name: a NUL and @name, the length without a trailing NUL. */
static socklen_t mkabstract(struct sockaddr_un *a, const char *name)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	strcpy(a->sun_path + 1, name);
	return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name);
}

static void test_create(void)
{
	int sv[2], fd;
	struct stat st;

	CHECK_ERR("socket bad family", socket(12345, SOCK_STREAM, 0), EAFNOSUPPORT);
	CHECK_ERR("socket type out of range", socket(AF_UNIX, 11, 0), EINVAL);
	CHECK_ERR("socket bad type flags", socket(AF_UNIX, SOCK_STREAM | 0x100, 0), EINVAL);
	CHECK_ERR("socket unix protocol 5", socket(AF_UNIX, SOCK_STREAM, 5), EPROTONOSUPPORT);
	CHECK_ERR("socket unix SOCK_RDM", socket(AF_UNIX, SOCK_RDM, 0), ESOCKTNOSUPPORT);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	CHECK_OK("socket stream nonblock cloexec", fd);
	CHECK_EQ("F_GETFL O_RDWR|O_NONBLOCK", fcntl(fd, F_GETFL) & (O_ACCMODE | O_NONBLOCK), O_RDWR | O_NONBLOCK);
	CHECK_EQ("FD_CLOEXEC set", fcntl(fd, F_GETFD), FD_CLOEXEC);
	CHECK_OK("fstat socket", fstat(fd, &st));
	CHECK("fstat S_ISSOCK", S_ISSOCK(st.st_mode));
	CHECK_ERR("lseek socket ESPIPE", lseek(fd, 0, SEEK_SET), ESPIPE);
	CHECK_ERR("read unconnected stream EINVAL", read(fd, &st, 1), EINVAL);
	CHECK_ERR("write unconnected stream ENOTCONN", send(fd, "x", 1, MSG_NOSIGNAL), ENOTCONN);
	char link[64], proc[64];
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(proc, link, sizeof link - 1);
	link[n > 0 ? n : 0] = 0;
	CHECK("/proc fd link socket:[ino]", !strncmp(link, "socket:[", 8));
	close(fd);

	CHECK_ERR("socketpair bad family", socketpair(AF_INET + 100, SOCK_STREAM, 0, sv), EAFNOSUPPORT);
	CHECK_ERR("socketpair EFAULT", syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, BAD_LOW), EFAULT);
	CHECK_OK("socketpair dgram cloexec", socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv));
	CHECK_EQ("socketpair cloexec both", fcntl(sv[0], F_GETFD) + fcntl(sv[1], F_GETFD), 2);
	close(sv[0]);
	close(sv[1]);

	int pf[2];
	pipe(pf);
	CHECK_ERR("bind on pipe ENOTSOCK", bind(pf[0], NULL, 0), ENOTSOCK);
	CHECK_ERR("listen bad fd EBADF", listen(999, 1), EBADF);
	CHECK_ERR("getsockopt on pipe ENOTSOCK", getsockopt(pf[0], SOL_SOCKET, SO_TYPE, &n, &(socklen_t){4}), ENOTSOCK);
	close(pf[0]);
	close(pf[1]);
}

static void test_stream_pair(void)
{
	int sv[2];
	char buf[64];

	CHECK_OK("socketpair stream", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	CHECK_EQ("write 5", write(sv[0], "hello", 5), 5);
	CHECK_EQ("send 3", send(sv[0], "abc", 3, 0), 3);
	CHECK_EQ("recv PEEK sees stream", recv(sv[1], buf, sizeof buf, MSG_PEEK), 8);
	CHECK_EQ("read 2", read(sv[1], buf, 2), 2);
	CHECK_EQ("read rest", read(sv[1], buf, sizeof buf), 6);
	CHECK("stream bytes in order", !memcmp(buf, "lloabc", 6));
	CHECK_ERR("recv MSG_DONTWAIT empty", recv(sv[1], buf, 1, MSG_DONTWAIT), EAGAIN);
	struct iovec iov[2] = { { "ab", 2 }, { "cdef", 4 } };
	CHECK_EQ("writev", writev(sv[1], iov, 2), 6);
	char a[3], b[3];
	struct iovec riov[2] = { { a, 3 }, { b, 3 } };
	CHECK_EQ("readv", readv(sv[0], riov, 2), 6);
	CHECK("readv data", !memcmp(a, "abc", 3) && !memcmp(b, "def", 3));
	CHECK_ERR("send with address EISCONN", sendto(sv[0], "x", 1, 0, (struct sockaddr *)&(struct sockaddr_un){ AF_UNIX, "x" }, 4), EISCONN);
	CHECK_ERR("recv bad buffer EFAULT", (write(sv[0], "x", 1), recv(sv[1], BAD_LOW, 1, 0)), EFAULT);
	CHECK_EQ("data kept after EFAULT", recv(sv[1], buf, 1, 0), 1);

	/* shutdown */
	CHECK_ERR("shutdown bad how", shutdown(sv[0], 3), EINVAL);
	CHECK_OK("shutdown SHUT_WR", shutdown(sv[0], SHUT_WR));
	CHECK_EQ("peer reads EOF", read(sv[1], buf, 1), 0);
	struct pollfd pf = { sv[1], POLLIN | POLLRDHUP | POLLOUT, 0 };
	CHECK_EQ("poll after peer SHUT_WR", poll(&pf, 1, 0), 1);
	CHECK_EQ("revents POLLIN|POLLRDHUP|POLLOUT", pf.revents, POLLIN | POLLRDHUP | POLLOUT);
	CHECK_ERR("send after SHUT_WR EPIPE", send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE);
	CHECK_EQ("other direction still works", write(sv[1], "z", 1), 1);
	CHECK_EQ("read other direction", read(sv[0], buf, 1), 1);
	close(sv[0]);
	pf.events = POLLIN | POLLOUT;
	poll(&pf, 1, 0);
	CHECK("POLLHUP after close", pf.revents & POLLHUP);

	/* EPIPE and SIGPIPE on a closed peer */
	signal(SIGPIPE, SIG_IGN);
	CHECK_ERR("write to closed peer EPIPE", write(sv[1], "x", 1), EPIPE);
	close(sv[1]);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	close(sv[1]);
	signal(SIGPIPE, SIG_DFL);
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &set, &old);
	CHECK_ERR("MSG_NOSIGNAL EPIPE", send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE);
	sigset_t pend;
	sigpending(&pend);
	CHECK("MSG_NOSIGNAL raises no SIGPIPE", !sigismember(&pend, SIGPIPE));
	CHECK_ERR("write EPIPE", write(sv[0], "x", 1), EPIPE);
	sigpending(&pend);
	CHECK("write raises SIGPIPE", sigismember(&pend, SIGPIPE));
	int sig;
	sigwait(&set, &sig);
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(sv[0]);

	/* unread data at close: the peer sees ECONNRESET once, then EOF */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	write(sv[0], "q", 1);
	close(sv[1]);
	CHECK_ERR("read after peer closed with unread data", read(sv[0], buf, 1), ECONNRESET);
	CHECK_EQ("then EOF", read(sv[0], buf, 1), 0);
	close(sv[0]);

	/* nonblocking fill */
	socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv);
	static char big[65536];
	long total = 0, r;
	while ((r = write(sv[0], big, sizeof big)) > 0)
		total += r;
	CHECK_ERR("full nonblocking stream EAGAIN", write(sv[0], big, 1), EAGAIN);
	CHECK("buffered something", total > 0);
	pf = (struct pollfd){ sv[0], POLLOUT, 0 };
	CHECK_EQ("full socket not POLLOUT", poll(&pf, 1, 0), 0);
	long drained = 0;
	while ((r = read(sv[1], big, sizeof big)) > 0)
		drained += r;
	CHECK_EQ("all data arrives", drained, total);
	CHECK_EQ("POLLOUT after draining", poll(&pf, 1, 0), 1);
	close(sv[0]);
	close(sv[1]);
}

static int child_writer(void *arg)
{
	int fd = *(int *)arg;
	usleep(50000);
	return write(fd, "late", 4) == 4 ? 0 : 1;
}

static void test_blocking(void)
{
	int sv[2];
	char buf[8];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	pid_t p = fork();
	if (p == 0)
		_exit(child_writer(&sv[1]));
	CHECK_EQ("blocking read waits for data", read(sv[0], buf, sizeof buf), 4);
	int st;
	waitpid(p, &st, 0);
	CHECK_EQ("writer ok", st, 0);
	close(sv[0]);
	close(sv[1]);
}

static void test_listen_connect(void)
{
	struct sockaddr_un a, got;
	socklen_t len, alen;
	int l, c, s, c2;
	char buf[16];

	unlink("/tmp/abi_unix.sock");
	alen = mkaddr(&a, "/tmp/abi_unix.sock");
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERR("listen unbound EINVAL", listen(l, 5), EINVAL);
	CHECK_ERR("bind short len EINVAL", bind(l, (struct sockaddr *)&a, 1), EINVAL);
	CHECK_ERR("bind len > sockaddr_un EINVAL", bind(l, (struct sockaddr *)&a, sizeof(a) + 1), EINVAL);
	CHECK_ERR("bind bad addr EFAULT", bind(l, BAD_LOW, alen), EFAULT);
	a.sun_family = AF_INET;
	CHECK_ERR("bind wrong family EINVAL", bind(l, (struct sockaddr *)&a, alen), EINVAL);
	a.sun_family = AF_UNIX;
	CHECK_ERR("bind missing dir ENOENT", bind(l, (struct sockaddr *)&(struct sockaddr_un){ AF_UNIX, "/nonexist/x" }, sizeof(struct sockaddr_un)), ENOENT);
	CHECK_OK("bind path", bind(l, (struct sockaddr *)&a, alen));
	struct stat st;
	CHECK_OK("socket node exists", stat("/tmp/abi_unix.sock", &st));
	CHECK("node is S_IFSOCK", S_ISSOCK(st.st_mode));
	CHECK_ERR("open socket node ENXIO", open("/tmp/abi_unix.sock", O_RDONLY), ENXIO);
	CHECK_ERR("bind again EINVAL", bind(l, (struct sockaddr *)&(struct sockaddr_un){ AF_UNIX, "/tmp/abi_unix.o" }, sizeof(struct sockaddr_un)), EINVAL);
	len = sizeof(got);
	CHECK_OK("getsockname", getsockname(l, (struct sockaddr *)&got, &len));
	CHECK_EQ("getsockname length includes NUL", len, alen);
	CHECK_STR("getsockname path", got.sun_path, "/tmp/abi_unix.sock");
	len = sizeof(got);
	CHECK_ERR("getpeername unconnected ENOTCONN", getpeername(l, (struct sockaddr *)&got, &len), ENOTCONN);

	c = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERR("connect to non-listener ECONNREFUSED", connect(c, (struct sockaddr *)&a, alen), ECONNREFUSED);
	int l2 = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERR("bind existing path EADDRINUSE", bind(l2, (struct sockaddr *)&a, alen), EADDRINUSE);
	close(l2);
	CHECK_ERR("accept not listening EINVAL", accept(l, NULL, NULL), EINVAL);
	CHECK_OK("listen", listen(l, 1));
	int v = 0;
	len = sizeof(v);
	getsockopt(l, SOL_SOCKET, SO_ACCEPTCONN, &v, &len);
	CHECK_EQ("SO_ACCEPTCONN", v, 1);
	CHECK_ERR("connect missing path ENOENT", connect(c, (struct sockaddr *)&(struct sockaddr_un){ AF_UNIX, "/tmp/nope.sock" }, sizeof(struct sockaddr_un)), ENOENT);
	CHECK_ERR("connect to a regular file ECONNREFUSED", connect(c, (struct sockaddr *)&(struct sockaddr_un){ AF_UNIX, "/proc/self/stat" }, sizeof(struct sockaddr_un)), ECONNREFUSED);
	int d = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK_ERR("dgram connect to stream EPROTOTYPE", connect(d, (struct sockaddr *)&a, alen), EPROTOTYPE);
	close(d);
	CHECK_OK("connect", connect(c, (struct sockaddr *)&a, alen));
	CHECK_ERR("connect again EISCONN", connect(c, (struct sockaddr *)&a, alen), EISCONN);
	struct pollfd pf = { l, POLLIN, 0 };
	CHECK_EQ("listener POLLIN with pending connection", poll(&pf, 1, 0), 1);
	CHECK_EQ("send before accept", send(c, "hi", 2, 0), 2);
	len = sizeof(got);
	memset(&got, 0x55, sizeof(got));
	s = accept(l, (struct sockaddr *)&got, &len);
	CHECK_OK("accept", s);
	CHECK_EQ("accept peer address unbound: length 2", len, 2);
	CHECK_EQ("accept peer family", got.sun_family, AF_UNIX);
	CHECK_EQ("data sent before accept arrives", recv(s, buf, sizeof buf, 0), 2);
	len = sizeof(got);
	getsockname(s, (struct sockaddr *)&got, &len);
	CHECK_STR("accepted socket has listener's name", got.sun_path, "/tmp/abi_unix.sock");
	len = sizeof(got);
	CHECK_OK("getpeername client", getpeername(c, (struct sockaddr *)&got, &len));
	CHECK_STR("client's peer is the listener path", got.sun_path, "/tmp/abi_unix.sock");
	len = 4;
	CHECK_OK("getsockname short buffer", getsockname(c, (struct sockaddr *)&got, &len));
	CHECK_EQ("unbound getsockname length 2", len, 2);
	len = sizeof(got);
	CHECK_ERR("getsockname bad len pointer", getsockname(c, (struct sockaddr *)&got, BAD_LOW), EFAULT);

	struct ucred cr;
	len = sizeof(cr);
	CHECK_OK("SO_PEERCRED", getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cr, &len));
	CHECK("SO_PEERCRED pid/uid/gid", cr.pid == getpid() && cr.uid == geteuid() && cr.gid == getegid() && len == sizeof(cr));

	int ln = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	CHECK_ERR("accept4 bad flags EINVAL", syscall(SYS_accept4, l, NULL, NULL, 0x1), EINVAL);
	close(ln);
	fcntl(l, F_SETFL, O_NONBLOCK);
	CHECK_ERR("nonblocking accept EAGAIN", accept(l, NULL, NULL), EAGAIN);
	/* backlog 1: two connections may wait, a third would block */
	c2 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	int c3 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	int c4 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	CHECK_OK("queued connect 1", connect(c2, (struct sockaddr *)&a, alen));
	CHECK_OK("queued connect 2", connect(c3, (struct sockaddr *)&a, alen));
	CHECK_ERR("backlog full nonblocking connect EAGAIN", connect(c4, (struct sockaddr *)&a, alen), EAGAIN);
	int s2 = accept4(l, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	CHECK_OK("accept4", s2);
	CHECK("accept4 flags", fcntl(s2, F_GETFD) == FD_CLOEXEC && (fcntl(s2, F_GETFL) & O_NONBLOCK));
	close(s2);
	close(c2);
	close(c3);
	close(c4);
	close(l);
	/* the listener is closed: its name refuses connections */
	c2 = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERR("connect after listener closed ECONNREFUSED", connect(c2, (struct sockaddr *)&a, alen), ECONNREFUSED);
	close(c2);
	unlink("/tmp/abi_unix.sock");
	close(c);
	close(s);
}

static void test_abstract(void)
{
	struct sockaddr_un a, got;
	socklen_t alen = mkabstract(&a, "abi_unix_abstract"), len;
	int l = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	CHECK_OK("seqpacket bind abstract", bind(l, (struct sockaddr *)&a, alen));
	int l2 = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	CHECK_ERR("abstract EADDRINUSE", bind(l2, (struct sockaddr *)&a, alen), EADDRINUSE);
	close(l2);
	len = sizeof(got);
	getsockname(l, (struct sockaddr *)&got, &len);
	CHECK("abstract getsockname", len == alen && !memcmp(&got, &a, alen));
	listen(l, 4);
	int c = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	CHECK_OK("connect abstract", connect(c, (struct sockaddr *)&a, alen));
	int s = accept(l, NULL, NULL);
	CHECK_EQ("seqpacket send", send(c, "one", 3, 0), 3);
	send(c, "two!", 4, 0);
	char buf[8];
	CHECK_EQ("seqpacket boundary 1", recv(s, buf, sizeof buf, 0), 3);
	CHECK_EQ("seqpacket boundary 2", recv(s, buf, sizeof buf, 0), 4);
	close(c);
	CHECK_EQ("seqpacket EOF", recv(s, buf, sizeof buf, 0), 0);
	close(s);
	close(l);
	c = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	CHECK_ERR("abstract name gone after close ECONNREFUSED", connect(c, (struct sockaddr *)&a, alen), ECONNREFUSED);
	close(c);

	int d = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK_OK("autobind", bind(d, (struct sockaddr *)&a, offsetof(struct sockaddr_un, sun_path)));
	len = sizeof(got);
	getsockname(d, (struct sockaddr *)&got, &len);
	CHECK("autobind name: abstract, 5 hex digits", len == 8 && got.sun_path[0] == 0);
	close(d);
}

static void test_dgram(void)
{
	struct sockaddr_un a, b, got;
	socklen_t alen = mkaddr(&a, "/tmp/abi_unix.dga");
	socklen_t blen = mkaddr(&b, "/tmp/abi_unix.dgb");
	socklen_t len;
	char buf[16];

	unlink(a.sun_path);
	unlink(b.sun_path);
	int r = socket(AF_UNIX, SOCK_DGRAM, 0);
	int s = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK_ERR("sendto nobody ENOENT", sendto(s, "x", 1, 0, (struct sockaddr *)&a, alen), ENOENT);
	CHECK_ERR("send unconnected dgram ENOTCONN", send(s, "x", 1, 0), ENOTCONN);
	bind(r, (struct sockaddr *)&a, alen);
	CHECK_EQ("sendto unbound sender", sendto(s, "hello", 5, 0, (struct sockaddr *)&a, alen), 5);
	len = sizeof(got);
	CHECK_EQ("recvfrom", recvfrom(r, buf, sizeof buf, 0, (struct sockaddr *)&got, &len), 5);
	CHECK_EQ("recvfrom unbound sender addrlen 0", len, 0);
	bind(s, (struct sockaddr *)&b, blen);
	sendto(s, "abcdefgh", 8, 0, (struct sockaddr *)&a, alen);
	sendto(s, "xy", 2, 0, (struct sockaddr *)&a, alen);
	len = sizeof(got);
	CHECK_EQ("recvfrom PEEK", recvfrom(r, buf, sizeof buf, MSG_PEEK, (struct sockaddr *)&got, &len), 8);
	CHECK("recvfrom sender name", len == blen && !strcmp(got.sun_path, b.sun_path));
	CHECK_EQ("recv truncated", recv(r, buf, 3, 0), 3);
	CHECK_EQ("next datagram intact", recv(r, buf, sizeof buf, 0), 2);
	sendto(s, "abcdefgh", 8, 0, (struct sockaddr *)&a, alen);
	CHECK_EQ("MSG_TRUNC returns real length", recv(r, buf, 3, MSG_TRUNC), 8);
	sendto(s, "abcdefgh", 8, 0, (struct sockaddr *)&a, alen);
	struct iovec iov = { buf, 4 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	CHECK_EQ("recvmsg truncated", recvmsg(r, &mh, 0), 4);
	CHECK_EQ("msg_flags MSG_TRUNC", mh.msg_flags & MSG_TRUNC, MSG_TRUNC);
	CHECK_EQ("zero-length datagram", send(s, "", 0, 0) < 0 ? sendto(s, "", 0, 0, (struct sockaddr *)&a, alen) : -2, 0);
	CHECK_EQ("receive zero-length datagram", recv(r, buf, sizeof buf, 0), 0);
	CHECK_ERR("empty dgram nonblocking EAGAIN", recv(r, buf, 1, MSG_DONTWAIT), EAGAIN);
	static char huge[300000];
	CHECK_ERR("datagram too big EMSGSIZE", sendto(s, huge, sizeof huge, 0, (struct sockaddr *)&a, alen), EMSGSIZE);
	CHECK_OK("connect dgram", connect(s, (struct sockaddr *)&a, alen));
	CHECK_EQ("send connected dgram", send(s, "c", 1, 0), 1);
	len = sizeof(got);
	CHECK_OK("getpeername dgram", getpeername(s, (struct sockaddr *)&got, &len));
	CHECK_STR("dgram peer name", got.sun_path, a.sun_path);
	int t = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK_ERR("sendto socket connected elsewhere EPERM", sendto(t, "x", 1, 0, (struct sockaddr *)&b, blen), EPERM);
	close(t);
	CHECK_OK("disconnect with AF_UNSPEC", connect(s, (struct sockaddr *)&(struct sockaddr){ .sa_family = AF_UNSPEC }, sizeof(struct sockaddr)));
	CHECK_ERR("send after disconnect ENOTCONN", send(s, "c", 1, 0), ENOTCONN);
	recv(r, buf, sizeof buf, 0);
	close(r);
	CHECK_ERR("sendto closed receiver ECONNREFUSED", sendto(s, "x", 1, 0, (struct sockaddr *)&a, alen), ECONNREFUSED);
	close(s);
	unlink(a.sun_path);
	unlink(b.sun_path);

	int sv[2];
	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	struct pollfd pf = { sv[1], POLLIN | POLLOUT, 0 };
	CHECK_EQ("dgram pair writable", poll(&pf, 1, 0), 1);
	CHECK_EQ("dgram revents POLLOUT only", pf.revents, POLLOUT);
	write(sv[0], "m", 1);
	poll(&pf, 1, 0);
	CHECK_EQ("dgram revents POLLIN|POLLOUT", pf.revents, POLLIN | POLLOUT);
	close(sv[0]);
	close(sv[1]);
}

static void test_rights(void)
{
	int sv[2], p[2];
	char buf[16];
	union { struct cmsghdr h; char b[CMSG_SPACE(3 * sizeof(int))]; } c;

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	pipe(p);
	struct iovec iov = { "F", 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.b, .msg_controllen = CMSG_SPACE(sizeof(int)) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &p[1], sizeof(int));
	CHECK_EQ("sendmsg SCM_RIGHTS", sendmsg(sv[0], &mh, 0), 1);
	close(p[1]);

	memset(&c, 0, sizeof(c));
	iov = (struct iovec){ buf, sizeof buf };
	mh = (struct msghdr){ .msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.b, .msg_controllen = sizeof(c.b) };
	CHECK_EQ("recvmsg SCM_RIGHTS", recvmsg(sv[1], &mh, MSG_CMSG_CLOEXEC), 1);
	cm = CMSG_FIRSTHDR(&mh);
	CHECK("cmsg SOL_SOCKET/SCM_RIGHTS", cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS);
	CHECK_EQ("cmsg_len one fd", cm ? cm->cmsg_len : 0, CMSG_LEN(sizeof(int)));
	CHECK_EQ("msg_controllen used", mh.msg_controllen, CMSG_SPACE(sizeof(int)));
	CHECK_EQ("no MSG_CTRUNC", mh.msg_flags & MSG_CTRUNC, 0);
	int nfd = -1;
	if (cm)
		memcpy(&nfd, CMSG_DATA(cm), sizeof(int));
	CHECK_EQ("received fd is cloexec", fcntl(nfd, F_GETFD), FD_CLOEXEC);
	CHECK_EQ("received fd writes to the pipe", write(nfd, "P", 1), 1);
	CHECK_EQ("pipe got it", read(p[0], buf, 1), 1);
	close(nfd);
	close(p[0]);

	/* too small a control buffer: MSG_CTRUNC, the fd is dropped */
	pipe(p);
	iov = (struct iovec){ "G", 1 };
	mh = (struct msghdr){ .msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.b, .msg_controllen = CMSG_SPACE(sizeof(int)) };
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &p[0], sizeof(int));
	sendmsg(sv[0], &mh, 0);
	close(p[0]);
	iov = (struct iovec){ buf, sizeof buf };
	mh = (struct msghdr){ .msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.b, .msg_controllen = sizeof(struct cmsghdr) };
	CHECK_EQ("recvmsg small control", recvmsg(sv[1], &mh, 0), 1);
	CHECK_EQ("MSG_CTRUNC", mh.msg_flags & MSG_CTRUNC, MSG_CTRUNC);
	CHECK_EQ("controllen 0", mh.msg_controllen, 0);
	signal(SIGPIPE, SIG_IGN);
	CHECK_ERR("dropped fd released: pipe has no reader", write(p[1], "x", 1), EPIPE);
	close(p[1]);

	/* bad control messages */
	mh = (struct msghdr){ .msg_iov = &iov, .msg_iovlen = 1, .msg_control = c.b, .msg_controllen = CMSG_SPACE(sizeof(int)) };
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	int bad = 999;
	memcpy(CMSG_DATA(cm), &bad, sizeof(int));
	CHECK_ERR("SCM_RIGHTS bad fd EBADF", sendmsg(sv[0], &mh, 0), EBADF);
	cm->cmsg_len = CMSG_SPACE(sizeof(int)) + 8;
	CHECK_ERR("cmsg_len too long EINVAL", sendmsg(sv[0], &mh, 0), EINVAL);
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	cm->cmsg_type = 77;
	CHECK_ERR("unknown SOL_SOCKET cmsg EINVAL", sendmsg(sv[0], &mh, 0), EINVAL);
	CHECK_ERR("sendmsg bad msghdr EFAULT", syscall(SYS_sendmsg, sv[0], BAD_LOW, 0), EFAULT);
	mh = (struct msghdr){ .msg_iov = &iov, .msg_iovlen = 1025 };
	CHECK_ERR("sendmsg iovlen > UIO_MAXIOV EMSGSIZE", syscall(SYS_sendmsg, sv[0], &mh, 0), EMSGSIZE);
	mh = (struct msghdr){ .msg_iov = BAD_LOW, .msg_iovlen = 1 };
	CHECK_ERR("sendmsg bad iov EFAULT", sendmsg(sv[0], &mh, 0), EFAULT);
	close(sv[0]);
	close(sv[1]);
}

static void test_sockopt(void)
{
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0), v;
	socklen_t len = sizeof(v);

	CHECK_OK("getsockopt SO_TYPE", getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len));
	CHECK("SO_TYPE dgram", v == SOCK_DGRAM && len == sizeof(int));
	len = sizeof(v);
	getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &v, &len);
	CHECK_EQ("SO_DOMAIN", v, AF_UNIX);
	len = sizeof(v);
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &v, &len);
	CHECK_EQ("SO_ERROR 0", v, 0);
	v = 8192;
	CHECK_OK("setsockopt SO_SNDBUF", setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)));
	len = sizeof(v);
	getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, &len);
	CHECK_EQ("SO_SNDBUF doubled", v, 16384);
	v = 8192;
	CHECK_OK("setsockopt SO_RCVBUF", setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)));
	CHECK_ERR("setsockopt short optlen EINVAL", setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, 2), EINVAL);
	CHECK_ERR("setsockopt bad optval EFAULT", setsockopt(fd, SOL_SOCKET, SO_SNDBUF, BAD_LOW, 4), EFAULT);
	len = sizeof(v);
	CHECK_ERR("getsockopt unknown option ENOPROTOOPT", getsockopt(fd, SOL_SOCKET, 9999, &v, &len), ENOPROTOOPT);
	len = (socklen_t)-1;
	CHECK_ERR("getsockopt negative optlen EINVAL", getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len), EINVAL);
	len = sizeof(v);
	CHECK_ERR("getsockopt bad optlen pointer EFAULT", getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, BAD_LOW), EFAULT);
	/* AF_UNIX has no options of its own: Linux's sock_no_setsockopt. */
	len = sizeof(v);
	CHECK_ERR("getsockopt at a protocol level EOPNOTSUPP",
		  getsockopt(fd, IPPROTO_TCP, 1, &v, &len), EOPNOTSUPP);
	CHECK_ERR("setsockopt at a protocol level EOPNOTSUPP",
		  setsockopt(fd, IPPROTO_TCP, 1, &v, sizeof(v)), EOPNOTSUPP);
	char c;
	CHECK_ERR("recv MSG_OOB on a datagram socket EOPNOTSUPP",
		  recv(fd, &c, 1, MSG_OOB | MSG_DONTWAIT), EOPNOTSUPP);
	close(fd);
	int sv[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	CHECK_ERR("recv MSG_OOB with no out-of-band byte EINVAL",
		  recv(sv[0], &c, 1, MSG_OOB | MSG_DONTWAIT), EINVAL);
	close(sv[0]);
	close(sv[1]);
}

/* The line of /proc/net/unix for socket inode @ino, into @line; 0 if none. */
static int proc_unix_line(unsigned long ino, char *line, size_t size)
{
	FILE *f = fopen("/proc/net/unix", "r");
	char buf[512];
	int found = 0;

	if (!f)
		return 0;
	while (!found && fgets(buf, sizeof(buf), f)) {
		unsigned long got;

		if (sscanf(buf, "%*s %*s %*s %*s %*s %*s %lu", &got) == 1 &&
		    got == ino) {
			snprintf(line, size, "%s", buf);
			found = 1;
		}
	}
	fclose(f);
	return found;
}

/* /proc/net/unix lists sockets as netstat -x reads them. */
static void test_proc_net_unix(void)
{
	struct sockaddr_un a;
	struct stat st;
	char line[512], head[128] = "";
	int l = socket(AF_UNIX, SOCK_STREAM, 0), d = socket(AF_UNIX, SOCK_DGRAM, 0);
	FILE *f;

	unlink("/tmp/abi_unix_proc.sock");
	bind(l, (struct sockaddr *)&a, mkaddr(&a, "/tmp/abi_unix_proc.sock"));
	listen(l, 1);
	bind(d, (struct sockaddr *)&a, mkabstract(&a, "abi_unix_proc"));
	f = fopen("/proc/net/unix", "r");
	CHECK("/proc/net/unix opens", f != NULL);
	if (f) {
		if (!fgets(head, sizeof(head), f))
			head[0] = 0;
		fclose(f);
	}
	CHECK("/proc/net/unix header", !strcmp(head, "Num       RefCount Protocol Flags    Type St Inode Path\n"));
	fstat(l, &st);
	CHECK("listening socket listed by inode", proc_unix_line(st.st_ino, line, sizeof(line)));
	CHECK("listening: flags __SO_ACCEPTCON, stream, unconnected, path",
	      strstr(line, " 00010000 0001 01 ") && strstr(line, " /tmp/abi_unix_proc.sock\n"));
	fstat(d, &st);
	CHECK("abstract datagram socket listed", proc_unix_line(st.st_ino, line, sizeof(line)));
	CHECK("abstract: flags 0, dgram, @name",
	      strstr(line, " 00000000 0002 01 ") && strstr(line, " @abi_unix_proc\n"));
	close(l);
	close(d);
	unlink("/tmp/abi_unix_proc.sock");
}

int main(void)
{
	TEST_BEGIN(T);
	test_create();
	test_stream_pair();
	test_blocking();
	test_listen_connect();
	test_abstract();
	test_dgram();
	test_rights();
	test_sockopt();
	test_proc_net_unix();
	return TEST_END();
}
