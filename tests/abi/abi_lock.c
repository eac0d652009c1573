/* abi_lock.c - advisory locks as Linux gives them: fcntl POSIX record locks (conflicts between processes, l_pid, ranges split and merged, negative and zero lengths, whence, EINVAL/EOVERFLOW/EBADF, release on any close, not inherited by fork, F_SETLKW woken by an unlock or cut by a signal, EDEADLK), OFD locks (owned by the open file description, l_pid -1, against POSIX locks) and flock(2) (shared by dup and fork, conversions, LOCK_NB, release on the last close). */
#include "check.h"
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/file.h>

#define T "abi_lock"
#define FILE_NAME "lockfile"

static int lk(int fd, int cmd, int type, int whence, off_t start, off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = whence,
			    .l_start = start, .l_len = len };
	return fcntl(fd, cmd, &fl);
}

/* F_GETLK (or F_OFD_GETLK) for a write lock on [start, start+len). */
static struct flock getlk(int fd, int cmd, off_t start, off_t len)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
			    .l_start = start, .l_len = len, .l_pid = 0 };
	if (fcntl(fd, cmd, &fl) < 0)
		fl.l_type = -1;
	return fl;
}

static int open_rw(void)
{
	return open(FILE_NAME, O_RDWR);
}

/* Wait until @pid sleeps (state S in /proc/PID/stat): 1, or 0 after 10 s. */
static int wait_sleeping(pid_t pid)
{
	char path[64], buf[256];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	for (int i = 0; i < 1000; i++) {
		int fd = open(path, O_RDONLY);
		ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
		if (fd >= 0)
			close(fd);
		if (n > 0) {
			buf[n] = 0;
			char *p = strrchr(buf, ')');
			if (p && p[1] == ' ' && p[2] == 'S')
				return 1;
		}
		usleep(10000);
	}
	return 0;
}

static int child_wait(pid_t pid)
{
	int st = -1;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* No SA_RESTART: an interrupted lock wait fails with EINTR. */
static void arm_alarm_handler(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
}

/* Checks made by a second process while the parent holds WR [0,10) and RD [20,30). */
static int posix_child(void *arg)
{
	pid_t parent = *(pid_t *)arg;
	int fd = open_rw();
	struct flock fl = getlk(fd, F_GETLK, 5, 1);
	CHECK_EQ("F_GETLK reports the parent's write lock", fl.l_type, F_WRLCK);
	CHECK_EQ("F_GETLK l_pid is the holder's", fl.l_pid, parent);
	CHECK_EQ("F_GETLK l_start", fl.l_start, 0);
	CHECK_EQ("F_GETLK l_len", fl.l_len, 10);
	CHECK_EQ("F_GETLK l_whence SEEK_SET", fl.l_whence, SEEK_SET);
	CHECK_ERR("conflicting F_SETLK EAGAIN", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 9, 2), EAGAIN);
	CHECK_ERR("read lock on a write lock EAGAIN", lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 0, 1), EAGAIN);
	CHECK_OK("read lock on a read lock", lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 25, 10));
	CHECK_ERR("write lock on a read lock EAGAIN", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 29, 1), EAGAIN);
	CHECK_OK("write lock beside the parent's", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 10, 10));
	fl = getlk(fd, F_GETLK, 15, 100);
	CHECK_EQ("GETLK over the parent's read lock", fl.l_type, F_RDLCK);
	CHECK_EQ("read lock range start", fl.l_start, 20);
	close(fd);
	return check_fails;
}

/* What another process's F_GETLK of [off, off+len) reports. */
static void seen_over(off_t off, off_t len, struct flock *out)
{
	int p[2];
	pipe(p);
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open_rw();
		struct flock fl = getlk(fd, F_GETLK, off, len);
		write(p[1], &fl, sizeof fl);
		_exit(0);
	}
	close(p[1]);
	memset(out, 0xff, sizeof *out);
	read(p[0], out, sizeof *out);
	close(p[0]);
	waitpid(pid, NULL, 0);
}

/* What another process sees at @off: F_UNLCK, or type and range start. */
static void seen_at(off_t off, struct flock *out)
{
	seen_over(off, 1, out);
}

static void test_posix_basic(void)
{
	int fd = open_rw();
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 3, .l_len = 4, .l_pid = 77 };
	CHECK_OK("F_GETLK without locks", fcntl(fd, F_GETLK, &fl));
	CHECK_EQ("no conflict: F_UNLCK", fl.l_type, F_UNLCK);
	CHECK("no conflict: the rest untouched", fl.l_start == 3 && fl.l_len == 4 && fl.l_pid == 77);
	CHECK_OK("F_SETLK write [0,10)", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10));
	CHECK_OK("F_SETLK read [20,30)", lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 20, 10));
	CHECK_EQ("own locks never conflict", getlk(fd, F_GETLK, 0, 0).l_type, F_UNLCK);
	pid_t me = getpid(), c = fork();
	if (c == 0)
		_exit(posix_child(&me));
	CHECK_EQ("another process sees and respects them", child_wait(c), 0);
	CHECK_OK("unlock everything", lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0));
	struct flock s;
	seen_at(5, &s);
	CHECK_EQ("unlocked: others see F_UNLCK", s.l_type, F_UNLCK);

	/* An owner's locks are kept in order: F_GETLK reports the lowest. */
	CHECK_OK("write lock [10,15)", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 10, 5));
	CHECK_OK("then read lock [1,6)", lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 1, 5));
	seen_over(0, 0, &s);
	CHECK("F_GETLK of the whole file reports the lowest lock",
	      s.l_type == F_RDLCK && s.l_start == 1 && s.l_len == 5);
	seen_over(6, 0, &s);
	CHECK("and past it the next one",
	      s.l_type == F_WRLCK && s.l_start == 10 && s.l_len == 5);
	CHECK_OK("unlock them", lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0));

	/* Splitting: a write lock to EOF with a hole unlocked in it. */
	CHECK_OK("write lock to EOF (len 0)", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 0));
	CHECK_OK("unlock [10,20) inside it", lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 10, 10));
	seen_at(15, &s);
	CHECK_EQ("split: the hole is free", s.l_type, F_UNLCK);
	seen_at(5, &s);
	CHECK("split: the head is [0,10)", s.l_type == F_WRLCK && s.l_start == 0 && s.l_len == 10);
	seen_at(25, &s);
	CHECK("split: the tail is [20,EOF)", s.l_type == F_WRLCK && s.l_start == 20 && s.l_len == 0);
	CHECK_OK("read lock over part of the head", lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 5, 2));
	seen_at(5, &s);
	CHECK("downgraded range is its own lock", s.l_type == F_RDLCK && s.l_start == 5 && s.l_len == 2);
	seen_at(8, &s);
	CHECK("the rest of the head stays a write lock", s.l_type == F_WRLCK && s.l_start == 7 && s.l_len == 3);
	lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);

	/* Merging: adjacent read locks of one owner become one. */
	CHECK_OK("read [0,10)", lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 0, 10));
	CHECK_OK("read [10,20)", lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 10, 10));
	seen_at(3, &s);
	CHECK("adjacent locks merged to [0,20)", s.l_type == F_RDLCK && s.l_start == 0 && s.l_len == 20);
	lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);

	/* Negative lengths and whence. */
	CHECK_OK("start 20 len -10 locks [10,20)", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 20, -10));
	seen_at(10, &s);
	CHECK("negative length range", s.l_type == F_WRLCK && s.l_start == 10 && s.l_len == 10);
	lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
	CHECK_ERR("negative length before 0 EINVAL", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 5, -10), EINVAL);
	lseek(fd, 50, SEEK_SET);
	CHECK_OK("SEEK_CUR start -5 len 5", lk(fd, F_SETLK, F_WRLCK, SEEK_CUR, -5, 5));
	seen_at(47, &s);
	CHECK("SEEK_CUR range is [45,50)", s.l_type == F_WRLCK && s.l_start == 45 && s.l_len == 5);
	CHECK_OK("SEEK_END start 0 len 0", lk(fd, F_SETLK, F_WRLCK, SEEK_END, 0, 0));
	seen_at(100, &s);
	CHECK("SEEK_END range starts at the size", s.l_type == F_WRLCK && s.l_start == 100 && s.l_len == 0);
	lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);

	CHECK_ERR("bad l_whence EINVAL", lk(fd, F_SETLK, F_WRLCK, 5, 0, 1), EINVAL);
	CHECK_ERR("bad l_type EINVAL", lk(fd, F_SETLK, 7, SEEK_SET, 0, 1), EINVAL);
	CHECK_ERR("F_GETLK of F_UNLCK EINVAL", lk(fd, F_GETLK, F_UNLCK, SEEK_SET, 0, 1), EINVAL);
	CHECK_ERR("negative start EINVAL", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, -1, 1), EINVAL);
	CHECK_ERR("start past OFFSET_MAX EOVERFLOW", lk(fd, F_SETLK, F_WRLCK, SEEK_END, INT64_MAX, 1), EOVERFLOW);
	CHECK_ERR("end past OFFSET_MAX EOVERFLOW", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, INT64_MAX, 2), EOVERFLOW);
	CHECK_OK("last byte lockable", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, INT64_MAX, 1));
	lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
	CHECK_ERR("bad flock pointer EFAULT", fcntl(fd, F_SETLK, (void *)0x10), EFAULT);
	CHECK_ERR("F_SETLK on a bad fd EBADF", lk(-1, F_SETLK, F_WRLCK, SEEK_SET, 0, 1), EBADF);
	int ro = open(FILE_NAME, O_RDONLY), wo = open(FILE_NAME, O_WRONLY);
	CHECK_ERR("write lock on a read-only fd EBADF", lk(ro, F_SETLK, F_WRLCK, SEEK_SET, 0, 1), EBADF);
	CHECK_ERR("read lock on a write-only fd EBADF", lk(wo, F_SETLK, F_RDLCK, SEEK_SET, 0, 1), EBADF);
	CHECK_OK("read lock on a read-only fd", lk(ro, F_SETLK, F_RDLCK, SEEK_SET, 0, 1));
	CHECK_OK("unlock on a write-only fd", lk(wo, F_SETLK, F_UNLCK, SEEK_SET, 0, 1));
	CHECK_OK("F_GETLK write on a read-only fd", lk(ro, F_GETLK, F_WRLCK, SEEK_SET, 0, 1));
	close(ro);
	close(wo);

	/* Any close of the file by the process drops its POSIX locks. */
	CHECK_OK("lock through one fd", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10));
	int other = open_rw();
	close(other);
	seen_at(0, &s);
	CHECK_EQ("closing another fd of the file releases it", s.l_type, F_UNLCK);
	CHECK_OK("lock again", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10));
	int pathfd = open(FILE_NAME, O_PATH);
	close(pathfd);
	seen_at(0, &s);
	CHECK_EQ("closing an O_PATH fd does not", s.l_type, F_WRLCK);
	close(fd);
}

/* A child blocked in F_SETLKW gets the lock when the parent drops it. */
static void test_posix_wait(void)
{
	int fd = open_rw(), p[2];
	lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10);
	pipe(p);
	pid_t c = fork();
	if (c == 0) {
		int cfd = open_rw();
		write(p[1], "r", 1);
		int r = lk(cfd, F_SETLKW, F_WRLCK, SEEK_SET, 5, 1);
		_exit(r == 0 && getlk(cfd, F_GETLK, 0, 10).l_type == F_UNLCK ? 0 : 1);
	}
	char ch;
	read(p[0], &ch, 1);
	CHECK("child blocks in F_SETLKW", wait_sleeping(c));
	CHECK_OK("unlock", lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0));
	CHECK_EQ("F_SETLKW woken by the unlock", child_wait(c), 0);

	/* A signal cuts the wait short. */
	lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10);
	c = fork();
	if (c == 0) {
		int cfd = open_rw();
		arm_alarm_handler();
		alarm(1);
		errno = 0;
		int r = lk(cfd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1);
		_exit(r == -1 && errno == EINTR ? 0 : 1);
	}
	CHECK_EQ("F_SETLKW interrupted by a signal EINTR", child_wait(c), 0);

	/* Deadlock: the child holds B and waits for A; the parent holds A and asks for B. */
	c = fork();
	if (c == 0) {
		int cfd = open_rw();
		lk(cfd, F_SETLK, F_WRLCK, SEEK_SET, 20, 1);
		write(p[1], "b", 1);
		int r = lk(cfd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1);
		_exit(r == 0 ? 0 : 1);
	}
	read(p[0], &ch, 1);
	CHECK("child blocks waiting for A", wait_sleeping(c));
	CHECK_ERR("F_SETLKW closing a cycle EDEADLK", lk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 20, 1), EDEADLK);
	CHECK_ERR("F_SETLK on it EAGAIN", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 20, 1), EAGAIN);
	lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
	CHECK_EQ("the child gets A after the unlock", child_wait(c), 0);
	close(p[0]);
	close(p[1]);
	close(fd);
}

static void test_ofd(void)
{
	int a = open_rw(), b = open_rw();
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10, .l_pid = 1 };
	CHECK_ERR("F_OFD_SETLK with l_pid set EINVAL", fcntl(a, F_OFD_SETLK, &fl), EINVAL);
	CHECK_ERR("F_OFD_GETLK with l_pid set EINVAL", fcntl(a, F_OFD_GETLK, &fl), EINVAL);
	CHECK_OK("F_OFD_SETLK write [0,10)", lk(a, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 10));
	CHECK_ERR("another description of the same process EAGAIN", lk(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 5, 1), EAGAIN);
	CHECK_ERR("a POSIX lock of the same process conflicts", lk(b, F_SETLK, F_RDLCK, SEEK_SET, 5, 1), EAGAIN);
	fl = getlk(b, F_OFD_GETLK, 0, 1);
	CHECK("F_OFD_GETLK sees it", fl.l_type == F_WRLCK && fl.l_start == 0 && fl.l_len == 10);
	CHECK_EQ("an OFD lock's l_pid is -1", fl.l_pid, -1);
	CHECK_EQ("F_GETLK l_pid -1 too", getlk(b, F_GETLK, 0, 1).l_pid, -1);
	CHECK_EQ("own description: no conflict", getlk(a, F_OFD_GETLK, 0, 1).l_type, F_UNLCK);
	int d = dup(a);
	close(d);
	CHECK_EQ("closing a dup keeps the OFD lock", getlk(b, F_OFD_GETLK, 0, 1).l_type, F_WRLCK);
	pid_t c = fork();
	if (c == 0)
		_exit(lk(a, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 20) == 0 ? 0 : 1);
	CHECK_EQ("a forked child shares the description's lock", child_wait(c), 0);
	fl = getlk(b, F_OFD_GETLK, 15, 1);
	CHECK("the child's change applies to the description", fl.l_type == F_WRLCK && fl.l_len == 20);
	CHECK_OK("POSIX lock through b", lk(b, F_SETLK, F_WRLCK, SEEK_SET, 30, 1));
	CHECK_ERR("OFD lock against the process's POSIX lock EAGAIN", lk(a, F_OFD_SETLK, F_WRLCK, SEEK_SET, 30, 1), EAGAIN);
	close(a);
	CHECK_EQ("the last close drops the OFD lock", getlk(b, F_OFD_GETLK, 0, 1).l_type, F_UNLCK);
	close(b);
}

static void test_flock(void)
{
	int a = open_rw(), b = open_rw();
	CHECK_OK("LOCK_EX", flock(a, LOCK_EX));
	CHECK_ERR("LOCK_EX|LOCK_NB elsewhere EWOULDBLOCK", flock(b, LOCK_EX | LOCK_NB), EWOULDBLOCK);
	CHECK_ERR("LOCK_SH|LOCK_NB elsewhere EWOULDBLOCK", flock(b, LOCK_SH | LOCK_NB), EWOULDBLOCK);
	CHECK_OK("flock is apart from POSIX locks", lk(b, F_SETLK, F_WRLCK, SEEK_SET, 0, 0));
	lk(b, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
	int d = dup(a);
	CHECK_OK("a dup shares the lock", flock(d, LOCK_EX | LOCK_NB));
	close(d);
	CHECK_ERR("closing the dup keeps it", flock(b, LOCK_EX | LOCK_NB), EWOULDBLOCK);
	pid_t c = fork();
	if (c == 0)
		_exit(flock(a, LOCK_EX | LOCK_NB) == 0 && flock(a, LOCK_UN) == 0 ? 0 : 1);
	CHECK_EQ("a forked child shares it and unlocks it", child_wait(c), 0);
	CHECK_OK("the child's LOCK_UN released it", flock(b, LOCK_EX | LOCK_NB));
	CHECK_OK("LOCK_UN", flock(b, LOCK_UN));
	CHECK_OK("LOCK_UN without a lock", flock(b, LOCK_UN));
	CHECK_OK("LOCK_SH on a", flock(a, LOCK_SH));
	CHECK_OK("LOCK_SH on b too", flock(b, LOCK_SH | LOCK_NB));
	CHECK_ERR("converting a to LOCK_EX EWOULDBLOCK", flock(a, LOCK_EX | LOCK_NB), EWOULDBLOCK);
	CHECK_OK("the failed conversion dropped a's lock", flock(b, LOCK_EX | LOCK_NB));
	CHECK_OK("converting b back to LOCK_SH", flock(b, LOCK_SH));
	CHECK_OK("a shares again", flock(a, LOCK_SH | LOCK_NB));
	flock(a, LOCK_UN);
	CHECK_OK("b converts to LOCK_EX", flock(b, LOCK_EX | LOCK_NB));

	/* Blocking: woken by the last close of the holder's description. */
	int p[2];
	pipe(p);
	c = fork();
	if (c == 0) {
		int cfd = open_rw();
		close(b);	/* the parent's close must be the last */
		write(p[1], "w", 1);
		_exit(flock(cfd, LOCK_EX) == 0 ? 0 : 1);
	}
	char ch;
	read(p[0], &ch, 1);
	CHECK("child blocks in flock", wait_sleeping(c));
	close(b);
	CHECK_EQ("the last close wakes it", child_wait(c), 0);
	b = open_rw();
	flock(b, LOCK_EX);
	c = fork();
	if (c == 0) {
		int cfd = open_rw();
		arm_alarm_handler();
		alarm(1);
		errno = 0;
		int r = flock(cfd, LOCK_SH);
		_exit(r == -1 && errno == EINTR ? 0 : 1);
	}
	CHECK_EQ("flock interrupted by a signal EINTR", child_wait(c), 0);
	close(p[0]);
	close(p[1]);

	CHECK_ERR("no operation EINVAL", flock(a, 0), EINVAL);
	CHECK_ERR("LOCK_SH|LOCK_EX EINVAL", flock(a, LOCK_SH | LOCK_EX), EINVAL);
	CHECK_ERR("LOCK_NB alone EINVAL", flock(a, LOCK_NB), EINVAL);
	CHECK_ERR("a bad operation before a bad fd EINVAL", flock(-1, 0), EINVAL);
	CHECK_ERR("bad fd EBADF", flock(-1, LOCK_SH), EBADF);
	int pathfd = open(FILE_NAME, O_PATH);
	CHECK_ERR("O_PATH fd EBADF", flock(pathfd, LOCK_SH), EBADF);
	close(pathfd);
	int ro = open(FILE_NAME, O_RDONLY);
	CHECK_ERR("LOCK_EX on a read-only fd conflicts like any", flock(ro, LOCK_EX | LOCK_NB), EWOULDBLOCK);
	close(b);
	CHECK_OK("LOCK_EX on a read-only fd", flock(ro, LOCK_EX | LOCK_NB));
	close(ro);
	int pp[2];
	pipe(pp);
	CHECK_OK("flock on a pipe", flock(pp[0], LOCK_EX | LOCK_NB));
	close(pp[0]);
	close(pp[1]);
	close(a);
}

int main(void)
{
	TEST_BEGIN(T);
	int fd = open(FILE_NAME, O_CREAT | O_RDWR, 0644);
	char buf[100] = { 0 };
	write(fd, buf, sizeof buf);
	close(fd);
	test_posix_basic();
	test_posix_wait();
	test_ofd();
	test_flock();
	return TEST_END();
}
