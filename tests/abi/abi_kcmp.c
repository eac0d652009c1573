/* abi_kcmp.c - kcmp(2): each object type between a process, its forks, clones and threads, the 0/1/2 ordering, KCMP_EPOLL_TFD, and the errors (ESRCH, EPERM, EBADF, EINVAL, EFAULT, ENOENT) as Linux 6.1. */
#include "check.h"
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ipc.h>
#include <sys/sem.h>

#define T "abi_kcmp"

enum { KCMP_FILE, KCMP_VM, KCMP_FILES, KCMP_FS, KCMP_SIGHAND, KCMP_IO,
       KCMP_SYSVSEM, KCMP_EPOLL_TFD, KCMP_TYPES };

struct kcmp_epoll_slot {
	uint32_t efd;
	uint32_t tfd;
	uint64_t toff;
};

static long kcmp(pid_t p1, pid_t p2, int type, unsigned long i1, unsigned long i2)
{
	return syscall(SYS_kcmp, p1, p2, type, i1, i2);
}

/* A child that waits for a byte on @fd, then exits. */
static pid_t parked_child(int *wfd)
{
	int p[2];
	char c;
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		read(p[0], &c, 1);
		_exit(0);
	}
	close(p[0]);
	*wfd = p[1];
	return pid;
}

static void unpark(pid_t pid, int wfd)
{
	close(wfd);
	waitpid(pid, NULL, 0);
}

static void test_self_and_order(void)
{
	pid_t me = getpid();
	int a = open("/proc/self/stat", O_RDONLY), b = open("/proc/self/stat", O_RDONLY);
	int c = open("/proc/self/stat", O_RDONLY), d = dup(a);
	long ab, ba, ac, bc;

	for (int type = KCMP_FILE; type <= KCMP_SYSVSEM; type++) {
		char what[64];

		snprintf(what, sizeof what, "self against self, type %d: 0", type);
		CHECK_EQ(what, kcmp(me, me, type, (unsigned long)a, (unsigned long)a), 0);
	}
	CHECK_EQ("a dup is the same file", kcmp(me, me, KCMP_FILE, a, d), 0);
	ab = kcmp(me, me, KCMP_FILE, a, b);
	ba = kcmp(me, me, KCMP_FILE, b, a);
	CHECK("two opens are 1 or 2", ab == 1 || ab == 2);
	CHECK_EQ("and the other way the reverse", ba, 3 - ab);
	ac = kcmp(me, me, KCMP_FILE, a, c);
	bc = kcmp(me, me, KCMP_FILE, b, c);
	CHECK("three files order consistently",
	      !(ab == 1 && bc == 1 && ac != 1) && !(ab == 2 && bc == 2 && ac != 2));
	CHECK_EQ("fd above 2^32 is taken as an unsigned int", kcmp(me, me, KCMP_FILE, a, (1UL << 32) | (unsigned)d), 0);
	close(a);
	close(b);
	close(c);
	close(d);
}

static void test_fork(void)
{
	pid_t me = getpid(), child;
	int wfd, fd = open("/proc/self/stat", O_RDONLY);

	child = parked_child(&wfd);
	CHECK("forked", child > 0);
	CHECK("fork: VM differs", kcmp(me, child, KCMP_VM, 0, 0) > 0);
	CHECK("fork: FILES differ", kcmp(me, child, KCMP_FILES, 0, 0) > 0);
	CHECK("fork: FS differs", kcmp(me, child, KCMP_FS, 0, 0) > 0);
	CHECK("fork: SIGHAND differs", kcmp(me, child, KCMP_SIGHAND, 0, 0) > 0);
	CHECK_EQ("fork: neither has an I/O context, IO equal", kcmp(me, child, KCMP_IO, 0, 0), 0);
	CHECK_EQ("fork: neither has undo lists, SYSVSEM equal", kcmp(me, child, KCMP_SYSVSEM, 0, 0), 0);
	CHECK_EQ("fork: an inherited descriptor is the same file", kcmp(me, child, KCMP_FILE, fd, fd), 0);
	CHECK_ERR("fork: a descriptor the child lacks EBADF", kcmp(me, child, KCMP_FILE, fd, wfd + 100), EBADF);
	CHECK_OK("ioprio_set on the child", syscall(SYS_ioprio_set, 1, child, 2 << 13 | 4));
	CHECK("then IO differs", kcmp(me, child, KCMP_IO, 0, 0) > 0);
	unpark(child, wfd);
	close(fd);
}

static int clone_fn(void *arg)
{
	char c;

	read(*(int *)arg, &c, 1);
	return 0;
}

/* kcmp of @type between the caller and a clone(@flags) child. */
static long clone_kcmp(int flags, int type)
{
	static char stack[65536] __attribute__((aligned(16)));
	int p[2];
	long r;
	pid_t pid;

	if (pipe(p))
		return -100;
	pid = clone(clone_fn, stack + sizeof stack, flags | SIGCHLD, &p[0]);
	if (pid < 0)
		return -101;
	r = kcmp(getpid(), pid, type, 0, 0);
	/* A byte, not EOF: the child may hold its own copy of p[1]. */
	write(p[1], "x", 1);
	waitpid(pid, NULL, 0);
	close(p[0]);
	close(p[1]);
	return r;
}

static volatile pid_t thread_tid;

/* Publish the thread's id, then wait for the pipe to close. */
static void *thread_fn(void *arg)
{
	char c;

	thread_tid = (pid_t)syscall(SYS_gettid);
	read(*(int *)arg, &c, 1);
	return NULL;
}

static void test_shared(void)
{
	pthread_t th;
	int p[2];
	pid_t tid;

	CHECK_EQ("CLONE_VM: VM equal", clone_kcmp(CLONE_VM, KCMP_VM), 0);
	CHECK_EQ("CLONE_FS: FS equal", clone_kcmp(CLONE_FS, KCMP_FS), 0);
	CHECK_EQ("CLONE_FILES: FILES equal", clone_kcmp(CLONE_FILES, KCMP_FILES), 0);
	CHECK_EQ("CLONE_IO: IO equal", clone_kcmp(CLONE_IO, KCMP_IO), 0);
	CHECK_EQ("CLONE_SYSVSEM: SYSVSEM equal", clone_kcmp(CLONE_SYSVSEM, KCMP_SYSVSEM), 0);
	CHECK("CLONE_FS: FILES differ", clone_kcmp(CLONE_FS, KCMP_FILES) > 0);

	CHECK("pipe", pipe(p) == 0);
	CHECK("thread", pthread_create(&th, NULL, thread_fn, &p[0]) == 0);
	while (!thread_tid)
		sched_yield();
	tid = thread_tid;
	CHECK("thread id found", tid > 0);
	CHECK_EQ("thread: VM equal", kcmp(getpid(), tid, KCMP_VM, 0, 0), 0);
	CHECK_EQ("thread: FILES equal", kcmp(getpid(), tid, KCMP_FILES, 0, 0), 0);
	CHECK_EQ("thread: SIGHAND equal", kcmp(getpid(), tid, KCMP_SIGHAND, 0, 0), 0);
	CHECK_EQ("thread: FS equal", kcmp(getpid(), tid, KCMP_FS, 0, 0), 0);
	CHECK_EQ("thread: a descriptor is the same file", kcmp(getpid(), tid, KCMP_FILE, p[0], p[0]), 0);
	close(p[1]);
	pthread_join(th, NULL);
	close(p[0]);
}

static void test_sysvsem(void)
{
	int id = semget(IPC_PRIVATE, 1, 0600);
	struct sembuf op = { 0, 1, SEM_UNDO };
	pid_t child;
	int wfd;

	CHECK("semget", id >= 0);
	CHECK_OK("semop SEM_UNDO", semop(id, &op, 1));
	child = parked_child(&wfd);
	CHECK("with an undo list, a fork's SYSVSEM differs", kcmp(getpid(), child, KCMP_SYSVSEM, 0, 0) > 0);
	unpark(child, wfd);
	CHECK_EQ("CLONE_SYSVSEM shares the undo list", clone_kcmp(CLONE_SYSVSEM, KCMP_SYSVSEM), 0);
	semctl(id, 0, IPC_RMID);
}

static void test_epoll(void)
{
	pid_t me = getpid();
	int ep = epoll_create1(0), a = eventfd(0, 0), b = eventfd(0, 0);
	struct epoll_event ev = { .events = EPOLLIN };
	struct kcmp_epoll_slot s = { 0 };

	CHECK_OK("EPOLL_CTL_ADD", epoll_ctl(ep, EPOLL_CTL_ADD, a, &ev));
	s.efd = (uint32_t)ep;
	s.tfd = (uint32_t)a;
	CHECK_EQ("EPOLL_TFD: the watched file", kcmp(me, me, KCMP_EPOLL_TFD, a, (unsigned long)&s), 0);
	CHECK("EPOLL_TFD: another file is 1 or 2", kcmp(me, me, KCMP_EPOLL_TFD, b, (unsigned long)&s) > 0);
	s.toff = 1;
	CHECK_ERR("EPOLL_TFD: no second registration ENOENT", kcmp(me, me, KCMP_EPOLL_TFD, a, (unsigned long)&s), ENOENT);
	s.toff = 0;
	s.tfd = (uint32_t)b;
	CHECK_ERR("EPOLL_TFD: an unwatched fd ENOENT", kcmp(me, me, KCMP_EPOLL_TFD, a, (unsigned long)&s), ENOENT);
	s.efd = (uint32_t)b;
	CHECK_ERR("EPOLL_TFD: efd not an epoll EINVAL", kcmp(me, me, KCMP_EPOLL_TFD, a, (unsigned long)&s), EINVAL);
	s.efd = 999;
	CHECK_ERR("EPOLL_TFD: efd not open EBADF", kcmp(me, me, KCMP_EPOLL_TFD, a, (unsigned long)&s), EBADF);
	s.efd = (uint32_t)ep;
	s.tfd = (uint32_t)a;
	CHECK_ERR("EPOLL_TFD: idx1 not open EBADF", kcmp(me, me, KCMP_EPOLL_TFD, 999, (unsigned long)&s), EBADF);
	CHECK_ERR("EPOLL_TFD: slot NULL EFAULT", kcmp(me, me, KCMP_EPOLL_TFD, a, 0), EFAULT);
	CHECK_ERR("EPOLL_TFD: slot in the kernel EFAULT", kcmp(me, me, KCMP_EPOLL_TFD, a, (unsigned long)BAD_KTOP), EFAULT);
	CHECK_ERR("EPOLL_TFD: bad slot and idx1: EFAULT first", kcmp(me, me, KCMP_EPOLL_TFD, 999, 0), EFAULT);
	CHECK_ERR("EPOLL_TFD: bad slot and pid: ESRCH first", kcmp(me, 0, KCMP_EPOLL_TFD, a, 0), ESRCH);
	close(a);
	close(b);
	close(ep);
}

static int child_nobody(void *arg)
{
	pid_t me;

	(void)arg;
	if (setresuid(65534, 65534, 65534))
		return 2;
	me = getpid();
	errno = 0;
	if (kcmp(me, me, KCMP_VM, 0, 0) != 0)
		return 3;
	if (kcmp(me, 1, KCMP_VM, 0, 0) != -1 || errno != EPERM)
		return 4;
	if (kcmp(1, me, KCMP_FILE, 0, 0) != -1 || errno != EPERM)
		return 5;
	if (kcmp(1, me, 99, 0, 0) != -1 || errno != EPERM)
		return 6;
	return 0;
}

static void test_errors(void)
{
	pid_t me = getpid(), gone;
	int st;

	gone = fork();
	if (gone == 0)
		_exit(0);
	waitpid(gone, NULL, 0);
	CHECK_ERR("a reaped pid ESRCH", kcmp(me, gone, KCMP_VM, 0, 0), ESRCH);
	CHECK_ERR("first pid reaped ESRCH", kcmp(gone, me, KCMP_VM, 0, 0), ESRCH);
	CHECK_ERR("pid 0 ESRCH", kcmp(0, me, KCMP_VM, 0, 0), ESRCH);
	CHECK_ERR("pid -1 ESRCH", kcmp(me, -1, KCMP_VM, 0, 0), ESRCH);
	CHECK_ERR("bad pid and bad type: ESRCH first", kcmp(me, gone, 99, 0, 0), ESRCH);
	CHECK_ERR("type KCMP_TYPES EINVAL", kcmp(me, me, KCMP_TYPES, 0, 0), EINVAL);
	CHECK_ERR("type -1 EINVAL", kcmp(me, me, -1, 0, 0), EINVAL);
	CHECK_ERR("KCMP_FILE of a closed fd EBADF", kcmp(me, me, KCMP_FILE, 0, 999), EBADF);
	CHECK_ERR("KCMP_FILE of fd -1 EBADF", kcmp(me, me, KCMP_FILE, -1UL, 0), EBADF);
	st = run_child(child_nobody, NULL);
	CHECK_EQ("nobody: itself 0; init EPERM, before the type", WIFEXITED(st) ? WEXITSTATUS(st) : 100, 0);
	CHECK_EQ("root may compare with init", kcmp(me, 1, KCMP_VM, 0, 0) > 0, 1);
}

int main(void)
{
	TEST_BEGIN(T);
	test_self_and_order();
	test_fork();
	test_shared();
	test_sysvsem();
	test_epoll();
	test_errors();
	return TEST_END();
}
