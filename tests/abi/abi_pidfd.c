/* abi_pidfd.c - pidfd_open, pidfd_send_signal, pidfd_getfd, poll on a pidfd, waitid(P_PIDFD), clone CLONE_PIDFD and clone3 (processes, threads, set_tid, argument checks) as Linux 6.1. */
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/stat.h>
#ifndef FUTEX_WAIT
#define FUTEX_WAIT 0
#endif

#define PIDFD_NONBLOCK		O_NONBLOCK
#ifndef P_PIDFD
#define P_PIDFD			3
#endif
#define CLONE_PIDFD_F		0x00001000
#define CLONE_CLEAR_SIGHAND_F	0x100000000ULL
#define CLONE_INTO_CGROUP_F	0x200000000ULL

struct clone_args_v2 {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal;
	uint64_t stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};

static int pidfd_open(pid_t pid, unsigned flags)
{
	return (int)syscall(SYS_pidfd_open, pid, flags);
}

static int pidfd_send(int fd, int sig, siginfo_t *info, unsigned flags)
{
	return (int)syscall(SYS_pidfd_send_signal, fd, sig, info, flags);
}

static int pidfd_getfd(int fd, int target, unsigned flags)
{
	return (int)syscall(SYS_pidfd_getfd, fd, target, flags);
}

static long clone3(struct clone_args_v2 *a, size_t size)
{
	return syscall(SYS_clone3, a, size);
}

static int readable(int fd, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n = poll(&p, 1, timeout_ms);

	return n < 0 ? -1 : n == 0 ? 0 : p.revents;
}

/* A child that waits for a byte on @rd (or EOF), then exits with 7. */
static pid_t waiting_child(int *wr)
{
	int p[2];
	char c;

	if (pipe(p))
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		close(p[1]);
		while (read(p[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(7);
	}
	close(p[0]);
	*wr = p[1];
	return pid;
}

static volatile long sleeper_tid;

static void *sleeper(void *arg)
{
	(void)arg;
	sleeper_tid = syscall(SYS_gettid);
	for (;;)
		pause();
	return NULL;
}

static void test_open(void)
{
	char link[64], buf[64];
	int fd, wr;

	CHECK_ERR("pidfd_open bad flags", pidfd_open(getpid(), 1), EINVAL);
	CHECK_ERR("pidfd_open pid 0", pidfd_open(0, 0), EINVAL);
	CHECK_ERR("pidfd_open pid -1", pidfd_open(-1, 0), EINVAL);
	fd = pidfd_open(getpid(), 0);
	CHECK_OK("pidfd_open self", fd);
	CHECK_EQ("pidfd is close-on-exec", fcntl(fd, F_GETFD), FD_CLOEXEC);
	CHECK_EQ("pidfd is O_RDWR", fcntl(fd, F_GETFL) & (O_ACCMODE | O_NONBLOCK),
		 O_RDWR);
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	CHECK_STR("readlink of a pidfd", buf, "anon_inode:[pidfd]");
	CHECK_ERR("read of a pidfd", read(fd, buf, sizeof buf), EINVAL);
	CHECK_EQ("own pidfd not readable", readable(fd, 0), 0);
	close(fd);
	fd = pidfd_open(getpid(), PIDFD_NONBLOCK);
	CHECK_EQ("PIDFD_NONBLOCK is O_NONBLOCK", fcntl(fd, F_GETFL) & O_NONBLOCK,
		 O_NONBLOCK);
	close(fd);

	/* A thread is not a process. */
	pthread_t th;
	pthread_create(&th, NULL, sleeper, NULL);
	usleep(20000);
	long long end = now_ns() + 5000000000LL;
	while (!sleeper_tid && now_ns() < end)
		usleep(1000);
	CHECK("the thread runs", sleeper_tid > 0);
	CHECK_ERR("pidfd_open of a thread", pidfd_open(sleeper_tid, 0), EINVAL);

	/* Gone after reaping; a zombie still has its pidfd. */
	pid_t pid = waiting_child(&wr);
	close(wr);
	usleep(50000);
	fd = pidfd_open(pid, 0);
	CHECK_OK("pidfd_open of a zombie", fd);
	CHECK_EQ("zombie's pidfd readable", readable(fd, 1000), POLLIN);
	int st;
	CHECK_EQ("reap", waitpid(pid, &st, 0), pid);
	CHECK_EQ("reaped: still readable", readable(fd, 0), POLLIN);
	CHECK_ERR("pidfd_open after reaping", pidfd_open(pid, 0), ESRCH);
	close(fd);
}

static void test_poll(void)
{
	int wr, fd, st;
	pid_t pid = waiting_child(&wr);

	fd = pidfd_open(pid, 0);
	CHECK_EQ("running child not readable", readable(fd, 0), 0);
	if (fork() == 0) {	/* let it go while the parent polls */
		usleep(100000);
		write(wr, "x", 1);
		_exit(0);
	}
	CHECK_EQ("poll wakes at exit: POLLIN", readable(fd, 5000), POLLIN);
	CHECK_EQ("exit status", waitpid(pid, &st, 0) == pid ?
		 WEXITSTATUS(st) : -1, 7);
	wait(NULL);
	close(wr);
	close(fd);
}

/* The leader exits first: the pidfd waits for the last thread. */
static void *late_exit(void *arg)
{
	(void)arg;
	usleep(400000);
	_exit(3);
}

static void test_poll_threads(void)
{
	int p[2], st;
	char c;

	pipe(p);
	pid_t pid = fork();
	if (pid == 0) {
		pthread_t th;
		pthread_create(&th, NULL, late_exit, NULL);
		write(p[1], "x", 1);
		syscall(SYS_exit, 0);	/* the leader thread only */
	}
	int fd = pidfd_open(pid, 0);
	read(p[0], &c, 1);
	usleep(100000);
	CHECK_EQ("leader gone, thread alive: not readable", readable(fd, 0), 0);
	CHECK_EQ("readable once the last thread exits", readable(fd, 5000), POLLIN);
	CHECK_EQ("process status is the thread's",
		 waitpid(pid, &st, 0) == pid ? WEXITSTATUS(st) : -1, 3);
	close(fd);
	close(p[0]);
	close(p[1]);
}

static volatile sig_atomic_t got_sig, got_code, got_val;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = sig;
	got_code = si->si_code;
	got_val = si->si_value.sival_int;
}

static void test_send_signal(void)
{
	int wr, fd, st, p[2];
	siginfo_t info;
	pid_t pid = waiting_child(&wr);

	fd = pidfd_open(pid, 0);
	pipe(p);
	CHECK_ERR("send_signal flags", pidfd_send(fd, 0, NULL, 1), EINVAL);
	CHECK_ERR("send_signal bad fd", pidfd_send(-1, 0, NULL, 0), EBADF);
	CHECK_ERR("send_signal not a pidfd", pidfd_send(p[0], 0, NULL, 0), EBADF);
	CHECK_EQ("send_signal sig 0", pidfd_send(fd, 0, NULL, 0), 0);
	CHECK_ERR("send_signal sig 65", pidfd_send(fd, 65, NULL, 0), EINVAL);
	CHECK_ERR("send_signal bad info", pidfd_send(fd, SIGUSR1, BAD_LOW, 0),
		  EFAULT);
	memset(&info, 0, sizeof info);
	info.si_signo = SIGUSR2;
	info.si_code = SI_QUEUE;
	CHECK_ERR("send_signal signo mismatch", pidfd_send(fd, SIGUSR1, &info, 0),
		  EINVAL);
	info.si_signo = SIGUSR1;
	info.si_code = SI_USER;
	CHECK_ERR("send_signal SI_USER info to another", pidfd_send(fd, SIGUSR1,
		  &info, 0), EPERM);
	info.si_code = SI_TKILL;
	CHECK_ERR("send_signal SI_TKILL info to another", pidfd_send(fd, SIGUSR1,
		  &info, 0), EPERM);
	CHECK_EQ("send_signal SIGKILL", pidfd_send(fd, SIGKILL, NULL, 0), 0);
	CHECK_EQ("poll after SIGKILL", readable(fd, 5000), POLLIN);
	CHECK_EQ("zombie: sig 0 succeeds", pidfd_send(fd, 0, NULL, 0), 0);
	CHECK_EQ("killed by SIGKILL", waitpid(pid, &st, 0) == pid &&
		 WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, 1);
	CHECK_ERR("send_signal after reaping", pidfd_send(fd, 0, NULL, 0), ESRCH);
	CHECK_ERR("reaped: sig 65 is ESRCH first", pidfd_send(fd, 65, NULL, 0),
		  ESRCH);
	close(fd);
	close(wr);

	/* SI_QUEUE info to another process arrives as given. */
	pid = fork();
	if (pid == 0) {
		sigset_t s;
		siginfo_t si;
		sigemptyset(&s);
		sigaddset(&s, SIGUSR1);
		sigprocmask(SIG_BLOCK, &s, NULL);
		write(p[1], "r", 1);
		if (sigwaitinfo(&s, &si) != SIGUSR1)
			_exit(1);
		_exit(si.si_code == SI_QUEUE && si.si_value.sival_int == 42 &&
		      si.si_pid == 4242 ? 0 : 2);
	}
	char c;
	read(p[0], &c, 1);
	fd = pidfd_open(pid, 0);
	memset(&info, 0, sizeof info);
	info.si_signo = SIGUSR1;
	info.si_code = SI_QUEUE;
	info.si_pid = 4242;
	info.si_value.sival_int = 42;
	CHECK_EQ("send_signal SI_QUEUE info", pidfd_send(fd, SIGUSR1, &info, 0), 0);
	CHECK_EQ("child got the queued info", waitpid(pid, &st, 0) == pid &&
		 WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0);
	close(fd);

	/* To itself any si_code is allowed; without info it is SI_USER. */
	struct sigaction sa = { .sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO };
	sigaction(SIGUSR1, &sa, NULL);
	fd = pidfd_open(getpid(), 0);
	info.si_code = SI_USER;
	info.si_value.sival_int = 9;
	CHECK_EQ("send_signal SI_USER info to self", pidfd_send(fd, SIGUSR1,
		 &info, 0), 0);
	CHECK_EQ("self: handler ran with SI_USER", got_sig == SIGUSR1 &&
		 got_code == SI_USER, 1);
	got_sig = 0;
	CHECK_EQ("send_signal to self, no info", pidfd_send(fd, SIGUSR1, NULL, 0), 0);
	CHECK_EQ("no info: SI_USER", got_sig == SIGUSR1 && got_code == SI_USER, 1);
	close(fd);

	/* A /proc/PID directory's descriptor serves as a pidfd, as Linux. */
	char path[64];

	snprintf(path, sizeof path, "/proc/%d", getpid());
	fd = open(path, O_RDONLY | O_DIRECTORY);
	got_sig = 0;
	CHECK_EQ("send_signal through a /proc/PID directory",
		 pidfd_send(fd, SIGUSR1, NULL, 0), 0);
	CHECK_EQ("... the handler ran", got_sig, SIGUSR1);
	close(fd);
	snprintf(path, sizeof path, "/proc/%d/task/%d", getpid(), getpid());
	fd = open(path, O_RDONLY | O_DIRECTORY);
	CHECK_ERR("a /proc/PID/task/TID directory is EBADF",
		  pidfd_send(fd, SIGUSR1, NULL, 0), EBADF);
	close(fd);
	fd = open("/proc/self/stat", O_RDONLY);
	CHECK_ERR("a /proc file is EBADF", pidfd_send(fd, SIGUSR1, NULL, 0),
		  EBADF);
	close(fd);
	signal(SIGUSR1, SIG_DFL);
	close(p[0]);
	close(p[1]);
}

static void test_getfd(void)
{
	int p[2], q[2], st;
	char c;

	pipe(p);
	pipe(q);
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open("/proc/self/stat", O_RDONLY);
		close(p[0]);
		write(p[1], &fd, sizeof fd);
		read(q[0], &c, 1);
		_exit(0);
	}
	int target = -1;
	read(p[0], &target, sizeof target);
	int fd = pidfd_open(pid, 0);
	CHECK_ERR("getfd flags", pidfd_getfd(fd, target, 1), EINVAL);
	CHECK_ERR("getfd bad pidfd", pidfd_getfd(-1, target, 0), EBADF);
	CHECK_ERR("getfd not a pidfd", pidfd_getfd(p[0], target, 0), EBADF);
	CHECK_ERR("getfd target not open", pidfd_getfd(fd, 900, 0), EBADF);
	CHECK_ERR("getfd negative target", pidfd_getfd(fd, -1, 0), EBADF);
	int got = pidfd_getfd(fd, target, 0);
	CHECK_OK("getfd", got);
	CHECK_EQ("getfd: close-on-exec", fcntl(got, F_GETFD), FD_CLOEXEC);
	char buf[32] = "";
	read(got, buf, sizeof buf - 1);
	char want[16];
	snprintf(want, sizeof want, "%d ", pid);
	CHECK("getfd: the child's /proc/self/stat", !strncmp(buf, want, strlen(want)));
	off_t pos = lseek(got, 0, SEEK_CUR);
	CHECK("getfd: the same open file (offset moved)", pos > 0);
	close(got);
	write(q[1], "x", 1);
	readable(fd, 5000);
	CHECK_ERR("getfd from a zombie: ESRCH", pidfd_getfd(fd, target, 0), ESRCH);
	waitpid(pid, &st, 0);
	CHECK_ERR("getfd after reaping", pidfd_getfd(fd, target, 0), ESRCH);
	close(fd);

	/* An unprivileged process may not take root's files. */
	pid = fork();
	if (pid == 0) {
		int pfd = pidfd_open(getppid(), 0);
		if (setuid(65534))
			_exit(1);
		errno = 0;
		_exit(pidfd_getfd(pfd, 0, 0) == -1 && errno == EPERM ? 0 : 2);
	}
	CHECK_EQ("getfd of root's fd by nobody: EPERM", waitpid(pid, &st, 0) == pid &&
		 WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0);
	close(p[0]); close(p[1]); close(q[0]); close(q[1]);
}

static void test_waitid(void)
{
	siginfo_t si;
	int wr, fd;
	pid_t pid = waiting_child(&wr);

	fd = pidfd_open(pid, 0);
	CHECK_ERR("waitid P_PIDFD id -1", waitid(P_PIDFD, (id_t)-1, &si, WEXITED),
		  EINVAL);
	CHECK_ERR("waitid P_PIDFD bad fd", waitid(P_PIDFD, 999, &si, WEXITED), EBADF);
	CHECK_ERR("waitid P_PIDFD not a pidfd", waitid(P_PIDFD, 0, &si, WEXITED),
		  EBADF);
	int self = pidfd_open(getpid(), 0);
	CHECK_ERR("waitid P_PIDFD not a child", waitid(P_PIDFD, self, &si, WEXITED),
		  ECHILD);
	close(self);
	memset(&si, 0xff, sizeof si);
	CHECK_EQ("waitid P_PIDFD WNOHANG running", waitid(P_PIDFD, fd, &si,
		 WEXITED | WNOHANG), 0);
	CHECK_EQ("WNOHANG: si_pid 0", si.si_pid, 0);
	int nb = pidfd_open(pid, PIDFD_NONBLOCK);
	CHECK_ERR("waitid nonblocking pidfd running: EAGAIN",
		  waitid(P_PIDFD, nb, &si, WEXITED), EAGAIN);
	CHECK_EQ("nonblocking pidfd with WNOHANG: 0", waitid(P_PIDFD, nb, &si,
		 WEXITED | WNOHANG), 0);
	close(wr);
	memset(&si, 0, sizeof si);
	CHECK_EQ("waitid P_PIDFD", waitid(P_PIDFD, fd, &si, WEXITED), 0);
	CHECK_EQ("waitid P_PIDFD si_pid", si.si_pid, pid);
	CHECK_EQ("waitid P_PIDFD si_status", si.si_status, 7);
	CHECK_EQ("waitid P_PIDFD si_code", si.si_code, CLD_EXITED);
	CHECK_ERR("waitid P_PIDFD after reaping", waitid(P_PIDFD, fd, &si, WEXITED),
		  ECHILD);
	close(fd);
	close(nb);
}

static void test_clone_pidfd(void)
{
	int pidfd = -1, st;
	long pid;

	pid = syscall(SYS_clone, CLONE_PIDFD_F | SIGCHLD, 0, &pidfd, 0, 0);
	if (pid == 0)
		_exit(5);
	CHECK("clone CLONE_PIDFD", pid > 0 && pidfd >= 0);
	CHECK_EQ("clone pidfd close-on-exec", fcntl(pidfd, F_GETFD), FD_CLOEXEC);
	siginfo_t si = { 0 };
	CHECK_EQ("waitid on clone's pidfd", waitid(P_PIDFD, pidfd, &si, WEXITED), 0);
	CHECK_EQ("its pid", si.si_pid, pid);
	close(pidfd);
	CHECK_ERR("clone PIDFD|PARENT_SETTID same pointer", syscall(SYS_clone,
		  CLONE_PIDFD_F | CLONE_PARENT_SETTID | SIGCHLD, 0, &pidfd, 0, 0),
		  EINVAL);
	CHECK_ERR("clone PIDFD|DETACHED", syscall(SYS_clone, CLONE_PIDFD_F |
		  CLONE_DETACHED | SIGCHLD, 0, &pidfd, 0, 0), EINVAL);
	CHECK_ERR("clone PIDFD|THREAD", syscall(SYS_clone, CLONE_PIDFD_F |
		  CLONE_THREAD | CLONE_SIGHAND | CLONE_VM, 0, &pidfd, 0, 0), EINVAL);
	CHECK_ERR("clone PIDFD bad pointer", syscall(SYS_clone, CLONE_PIDFD_F |
		  SIGCHLD, 0, BAD_LOW, 0, 0), EFAULT);
	CHECK_ERR("no child left behind", waitpid(-1, &st, WNOHANG), ECHILD);
}

static void test_clone3_args(void)
{
	static char big[8192];
	struct clone_args_v2 a;

	memset(&a, 0, sizeof a);
	a.exit_signal = SIGCHLD;
	CHECK_ERR("clone3 size 63", clone3(&a, 63), EINVAL);
	CHECK_ERR("clone3 size 0", clone3(&a, 0), EINVAL);
	CHECK_ERR("clone3 size > page", clone3((void *)big, 4097), E2BIG);
	CHECK_ERR("clone3 bad pointer", clone3(BAD_LOW, 64), EFAULT);
	memcpy(big, &a, sizeof a);
	big[200] = 1;
	CHECK_ERR("clone3 nonzero tail", clone3((void *)big, 4096), E2BIG);
	big[200] = 0;
	((struct clone_args_v2 *)big)->flags = 1ULL << 40;
	CHECK_ERR("clone3 big zero-tailed struct, unknown flag", clone3((void *)big,
		  4096), EINVAL);
#define BAD3(what, field, val, eno) do {				\
	struct clone_args_v2 b_ = a; b_.field = (val);			\
	CHECK_ERR(what, clone3(&b_, sizeof b_), eno);			\
} while (0)
	BAD3("clone3 unknown flag", flags, 1ULL << 40, EINVAL);
	BAD3("clone3 CSIGNAL bits in flags", flags, SIGCHLD, EINVAL);
	BAD3("clone3 CLONE_DETACHED", flags, CLONE_DETACHED, EINVAL);
	BAD3("clone3 exit_signal 65", exit_signal, 65, EINVAL);
	BAD3("clone3 exit_signal high bits", exit_signal, (1ULL << 32) | SIGCHLD,
	     EINVAL);
	BAD3("clone3 CLONE_PARENT with exit_signal", flags, CLONE_PARENT, EINVAL);
	BAD3("clone3 SIGHAND|CLEAR_SIGHAND", flags, CLONE_VM | CLONE_SIGHAND |
	     CLONE_CLEAR_SIGHAND_F, EINVAL);
	BAD3("clone3 stack without size", stack, (uint64_t)(uintptr_t)big, EINVAL);
	BAD3("clone3 size without stack", stack_size, 4096, EINVAL);
	BAD3("clone3 stack in kernel half", stack, 0xffff800000000000ULL, EINVAL);
	BAD3("clone3 set_tid_size 2", set_tid_size, 2, EINVAL);
	BAD3("clone3 set_tid_size without set_tid", set_tid_size, 1, EINVAL);
	BAD3("clone3 set_tid without size", set_tid, (uint64_t)(uintptr_t)big,
	     EINVAL);
	{
		struct clone_args_v2 b = a;
		b.flags = CLONE_INTO_CGROUP_F;
		b.cgroup = 1ULL << 31;
		CHECK_ERR("clone3 INTO_CGROUP cgroup > INT_MAX", clone3(&b, sizeof b),
			  EINVAL);
		b.cgroup = 0;
		CHECK_ERR("clone3 INTO_CGROUP in a v0 struct", clone3(&b, 64), EINVAL);
		b.cgroup = 900;
		CHECK_ERR("clone3 INTO_CGROUP closed fd", clone3(&b, sizeof b), EBADF);
		b = a;
		b.flags = CLONE_THREAD | CLONE_SIGHAND | CLONE_VM;
		CHECK_ERR("clone3 THREAD with exit_signal", clone3(&b, sizeof b), EINVAL);
		b.exit_signal = 0;
		b.flags = CLONE_THREAD | CLONE_VM;
		CHECK_ERR("clone3 THREAD without SIGHAND", clone3(&b, sizeof b), EINVAL);
		b.flags = CLONE_SIGHAND;
		CHECK_ERR("clone3 SIGHAND without VM", clone3(&b, sizeof b), EINVAL);
		int pfd;
		b = a;
		b.flags = CLONE_PIDFD_F | CLONE_PARENT_SETTID;
		b.pidfd = b.parent_tid = (uint64_t)(uintptr_t)&pfd;
		CHECK_ERR("clone3 PIDFD and PARENT_SETTID same address",
			  clone3(&b, sizeof b), EINVAL);
		b.flags = CLONE_PIDFD_F;
		b.pidfd = (uint64_t)(uintptr_t)BAD_LOW;
		CHECK_ERR("clone3 PIDFD bad address", clone3(&b, sizeof b), EFAULT);
		pid_t tid = 0;
		b = a;
		b.set_tid = (uint64_t)(uintptr_t)&tid;
		b.set_tid_size = 1;
		CHECK_ERR("clone3 set_tid 0", clone3(&b, sizeof b), EINVAL);
		tid = 1 << 30;
		CHECK_ERR("clone3 set_tid past pid_max", clone3(&b, sizeof b), EINVAL);
		tid = getpid();
		CHECK_ERR("clone3 set_tid in use", clone3(&b, sizeof b), EEXIST);
		b.set_tid = (uint64_t)(uintptr_t)BAD_LOW;
		CHECK_ERR("clone3 set_tid bad address", clone3(&b, sizeof b), EFAULT);
	}
	int st;
	CHECK_ERR("no child left behind", waitpid(-1, &st, WNOHANG), ECHILD);
#undef BAD3
}

static void test_clone3_process(void)
{
	struct clone_args_v2 a;
	int pidfd = -1, st;
	pid_t ptid = 0;

	memset(&a, 0, sizeof a);
	a.exit_signal = SIGCHLD;
	long pid = clone3(&a, 64);
	if (pid == 0)
		_exit(11);
	CHECK("clone3 v0 fork", pid > 0);
	CHECK_EQ("clone3 child status",
		 waitpid(pid, &st, 0) == pid ? WEXITSTATUS(st) : -1, 11);

	a.flags = CLONE_PIDFD_F | CLONE_PARENT_SETTID;
	a.pidfd = (uint64_t)(uintptr_t)&pidfd;
	a.parent_tid = (uint64_t)(uintptr_t)&ptid;
	pid = clone3(&a, sizeof a);
	if (pid == 0)
		_exit(12);
	CHECK("clone3 CLONE_PIDFD", pid > 0 && pidfd >= 0);
	CHECK_EQ("clone3 parent_tid written", ptid, pid);
	CHECK_EQ("clone3 pidfd close-on-exec", fcntl(pidfd, F_GETFD), FD_CLOEXEC);
	CHECK_EQ("clone3 pidfd readable at exit", readable(pidfd, 5000), POLLIN);
	siginfo_t si = { 0 };
	CHECK_EQ("clone3 waitid P_PIDFD", waitid(P_PIDFD, pidfd, &si, WEXITED) == 0 &&
		 si.si_pid == pid, 1);
	CHECK_EQ("clone3 P_PIDFD status", si.si_status, 12);
	close(pidfd);

	/* CLONE_CLEAR_SIGHAND: handlers reset, ignored signals stay so. */
	struct sigaction sa = { .sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO };
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGUSR2, SIG_IGN);
	memset(&a, 0, sizeof a);
	a.exit_signal = SIGCHLD;
	a.flags = CLONE_CLEAR_SIGHAND_F;
	pid = clone3(&a, sizeof a);
	if (pid == 0) {
		struct sigaction o1, o2;
		sigaction(SIGUSR1, NULL, &o1);
		sigaction(SIGUSR2, NULL, &o2);
		_exit(o1.sa_handler == SIG_DFL && o2.sa_handler == SIG_IGN ? 0 : 1);
	}
	CHECK_EQ("clone3 CLONE_CLEAR_SIGHAND", waitpid(pid, &st, 0) == pid &&
		 WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);

	/* CLONE_VFORK: the parent waits for the child's exit. */
	a.flags = CLONE_VFORK;
	long long t0 = now_ns();
	pid = clone3(&a, sizeof a);
	if (pid == 0) {
		usleep(100000);
		_exit(13);
	}
	CHECK("clone3 CLONE_VFORK: parent resumed after the child's exit",
	      pid > 0 && now_ns() - t0 >= 90000000LL);
	CHECK_EQ("clone3 CLONE_VFORK status",
		 waitpid(pid, &st, 0) == pid ? WEXITSTATUS(st) : -1, 13);

	/* set_tid: a free pid, as root. */
	pid = fork();
	if (pid == 0)
		_exit(0);
	waitpid(pid, &st, 0);
	pid_t want = (pid_t)pid;
	memset(&a, 0, sizeof a);
	a.exit_signal = SIGCHLD;
	a.set_tid = (uint64_t)(uintptr_t)&want;
	a.set_tid_size = 1;
	pid = clone3(&a, sizeof a);
	if (pid == 0)
		_exit(getpid() == want ? 0 : 1);
	CHECK_EQ("clone3 set_tid: the pid asked for", pid, want);
	CHECK_EQ("clone3 set_tid: child sees it", waitpid(pid, &st, 0) == pid &&
		 WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0);

	/* set_tid needs privilege: EPERM for nobody, before EEXIST. */
	pid = fork();
	if (pid == 0) {
		pid_t t = getpid();
		struct clone_args_v2 b = a;
		b.set_tid = (uint64_t)(uintptr_t)&t;
		if (setuid(65534))
			_exit(1);
		errno = 0;
		_exit(clone3(&b, sizeof b) == -1 && errno == EPERM ? 0 : 2);
	}
	CHECK_EQ("clone3 set_tid unprivileged: EPERM", waitpid(pid, &st, 0) == pid &&
		 WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0);
}

/* clone3 of a thread on its own stack: the child calls @fn, then exits. */
static long clone3_thread(struct clone_args_v2 *a, void (*fn)(void))
{
	register void (*r12)(void) __asm__("r12") = fn;
	long ret;

	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "xor %%ebp, %%ebp\n\t"
			 "and $-16, %%rsp\n\t"
			 "call *%%r12\n\t"
			 "mov $60, %%eax\n\t"
			 "xor %%edi, %%edi\n\t"
			 "syscall\n\t"
			 "hlt\n"
			 "1:"
			 : "=a"(ret)
			 : "a"((long)SYS_clone3), "D"(a), "S"(sizeof *a), "r"(r12)
			 : "rcx", "r11", "rdx", "memory");
	return ret;
}

static volatile long thr_tid, thr_pid;

static void thread_body(void)
{
	thr_tid = syscall(SYS_gettid);
	thr_pid = syscall(SYS_getpid);
}

static void test_clone3_thread(void)
{
	static char stack[65536] __attribute__((aligned(16)));
	volatile pid_t ptid = 0, ctid = -1;
	unsigned long fs = 0;
	struct clone_args_v2 a;

	syscall(SYS_arch_prctl, 0x1003 /* ARCH_GET_FS */, &fs);
	memset(&a, 0, sizeof a);
	a.flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
		  CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID |
		  CLONE_CHILD_CLEARTID;
	a.parent_tid = (uint64_t)(uintptr_t)&ptid;
	a.child_tid = (uint64_t)(uintptr_t)&ctid;
	a.stack = (uint64_t)(uintptr_t)stack;
	a.stack_size = sizeof stack;
	a.tls = fs;
	long tid = clone3_thread(&a, thread_body);
	CHECK("clone3 thread", tid > 0);
	CHECK_EQ("clone3 thread: parent_tid", ptid, tid);
	/* CLONE_CHILD_CLEARTID: zeroed and woken at the thread's exit. */
	long long end = now_ns() + 5000000000LL;
	while (ctid != 0 && now_ns() < end) {
		pid_t v = ctid;
		if (v != 0)
			syscall(SYS_futex, &ctid, FUTEX_WAIT, v, NULL, NULL, 0);
	}
	CHECK_EQ("clone3 thread: child_tid cleared at exit", ctid, 0);
	CHECK_EQ("clone3 thread: its tid", thr_tid, tid);
	CHECK_EQ("clone3 thread: same process", thr_pid, getpid());
}

int main(void)
{
	TEST_BEGIN("abi_pidfd");
	test_open();
	test_poll();
	test_poll_threads();
	test_send_signal();
	test_getfd();
	test_waitid();
	test_clone_pidfd();
	test_clone3_args();
	test_clone3_process();
	test_clone3_thread();
	return TEST_END();
}
