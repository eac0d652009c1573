/* abi_thread.c - threads: clone via pthreads, tids, shared memory, futex wait/wake/timeout, tgkill to a thread, exit_group, per-thread masks. */
#include "check.h"
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <time.h>

#define T "abi_thread"
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_PRIVATE 128

static long futex(volatile int *uaddr, int op, int val, const struct timespec *to)
{
	return syscall(SYS_futex, uaddr, op, val, to, NULL, 0);
}

static volatile int shared_word;
static pid_t thread_tid, thread_pid;

static void *basic_thread(void *arg)
{
	thread_tid = (pid_t)syscall(SYS_gettid);
	thread_pid = getpid();
	shared_word = 42;
	return (void *)((intptr_t)arg + 1);
}

static volatile int fword;
static volatile int waiter_ready;
static void *futex_waiter(void *arg)
{
	(void)arg;
	waiter_ready = 1;
	while (fword == 0)
		futex(&fword, FUTEX_WAIT | FUTEX_PRIVATE, 0, NULL);
	return (void *)7;
}

static pthread_mutex_t mtx = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static void *incrementer(void *arg)
{
	(void)arg;
	for (int i = 0; i < 20000; i++) {
		pthread_mutex_lock(&mtx);
		counter++;
		pthread_mutex_unlock(&mtx);
	}
	return NULL;
}

static volatile pid_t handler_tid;
static void tid_handler(int sig)
{
	(void)sig;
	handler_tid = (pid_t)syscall(SYS_gettid);
}

static volatile int stop_spin;
static volatile pid_t spinner_tid;
static void *spinner(void *arg)
{
	(void)arg;
	spinner_tid = (pid_t)syscall(SYS_gettid);
	while (!stop_spin)
		usleep(1000);
	return NULL;
}

static void *mask_thread(void *arg)
{
	(void)arg;
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &s, NULL);
	return NULL;
}

static void *exiter(void *arg)
{
	(void)arg;
	usleep(50000);
	_exit(5);        /* exit_group: takes the whole process down */
}

/* A thread changes a limit: resource limits belong to the process. */
static void *limit_thread(void *arg)
{
	struct rlimit rl;

	(void)arg;
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = 100;
	return (void *)(intptr_t)setrlimit(RLIMIT_NOFILE, &rl);
}

static void test_process_limits(void)
{
	struct rlimit old, now;
	pthread_t th;
	void *ret = (void *)1;

	getrlimit(RLIMIT_NOFILE, &old);
	pthread_create(&th, NULL, limit_thread, NULL);
	pthread_join(th, &ret);
	CHECK_EQ("another thread's setrlimit", (intptr_t)ret, 0);
	getrlimit(RLIMIT_NOFILE, &now);
	CHECK_EQ("... is the whole process's limit", now.rlim_cur, 100);
	setrlimit(RLIMIT_NOFILE, &old);
}

/* The tasks in the system: the second number of loadavg's "1/45". */
static int tasks_total(void)
{
	char buf[128], *slash;

	if (slurp("/proc/loadavg", buf, sizeof buf) < 0 ||
	    !(slash = strchr(buf, '/')))
		return -1;
	return atoi(slash + 1);
}

static void *outlive_leader(void *arg)
{
	(void)arg;
	usleep(20000);
	return NULL;
}

/* A process whose leader exits first: its thread is the last one out. */
static void leader_exits_first(void)
{
	pthread_t th;

	if (pthread_create(&th, NULL, outlive_leader, NULL) == 0)
		syscall(SYS_exit, 0);
	_exit(1);
}

/*
 * Processes whose last thread out is not the leader, reaped by their
 * parent ignoring SIGCHLD, leave no task behind (at most one per CPU
 * that has not switched off its stack yet).
 */
static void test_leader_exits_first(void)
{
	int before = tasks_total(), after, left = 10;
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;

	sigaction(SIGCHLD, &ign, &old);
	for (int i = 0; i < 10; i++) {
		pid_t p = fork();

		if (p == 0)
			leader_exits_first();
		left -= p > 0;
	}
	/* With SIGCHLD ignored, wait returns ECHILD once all are gone. */
	CHECK_ERR("wait with SIGCHLD ignored ends in ECHILD", waitpid(-1, NULL, 0),
		  ECHILD);
	usleep(50000);
	after = tasks_total();
	sigaction(SIGCHLD, &old, NULL);
	CHECK("ten processes whose leader exits first, reaped silently, leave no task",
	      left == 0 && before > 0 && after >= 0 && after <= before + 2);
}

int main(void)
{
	TEST_BEGIN(T);
	test_process_limits();
	test_leader_exits_first();
	pthread_t th;
	void *ret = NULL;
	CHECK_EQ("pthread_create", pthread_create(&th, NULL, basic_thread, (void *)41), 0);
	CHECK_EQ("pthread_join", pthread_join(th, &ret), 0);
	CHECK_EQ("thread return value", (intptr_t)ret, 42);
	CHECK_EQ("thread wrote shared memory", shared_word, 42);
	CHECK_EQ("getpid same in thread", thread_pid, getpid());
	CHECK("thread has its own tid", thread_tid > 0 && thread_tid != getpid());

	/* futex basics */
	volatile int w = 1;
	CHECK_ERR("FUTEX_WAIT value mismatch EAGAIN", futex(&w, FUTEX_WAIT, 0, NULL), EAGAIN);
	struct timespec to = { 0, 50000000 };
	long long t0 = now_ns();
	CHECK_ERR("FUTEX_WAIT timeout ETIMEDOUT", futex(&w, FUTEX_WAIT, 1, &to), ETIMEDOUT);
	CHECK("FUTEX_WAIT waited >= 45ms", now_ns() - t0 >= 45000000LL);
	CHECK_EQ("FUTEX_WAKE with no waiters", futex(&w, FUTEX_WAKE, 1, NULL), 0);
	CHECK_ERR("FUTEX_WAIT unaligned", futex((volatile int *)((char *)&w + 1), FUTEX_WAIT, 0, NULL), EINVAL);
	CHECK_ERR("FUTEX_WAIT bad address", futex((volatile int *)BAD_LOW, FUTEX_WAIT, 0, NULL), EFAULT);
	CHECK_ERR("futex bad op", futex(&w, 99, 0, NULL), ENOSYS);
	struct timespec bto = { 0, 1000000000 };
	CHECK_ERR("FUTEX_WAIT bad timeout", futex(&w, FUTEX_WAIT, 1, &bto), EINVAL);

	fword = 0;
	pthread_create(&th, NULL, futex_waiter, NULL);
	while (!waiter_ready)
		usleep(1000);
	usleep(50000);    /* let it block in FUTEX_WAIT */
	fword = 1;
	long woke = futex(&fword, FUTEX_WAKE | FUTEX_PRIVATE, 1, NULL);
	pthread_join(th, &ret);
	CHECK("FUTEX_WAKE woke the blocked thread", woke == 1 && (intptr_t)ret == 7);

	/* contention */
	pthread_t ts[4];
	for (int i = 0; i < 4; i++)
		pthread_create(&ts[i], NULL, incrementer, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(ts[i], NULL);
	CHECK_EQ("mutex-protected counter from 4 threads", counter, 80000);

	/* tgkill targets one thread */
	signal(SIGUSR1, tid_handler);
	pthread_create(&th, NULL, spinner, NULL);
	while (!spinner_tid)
		usleep(1000);
	handler_tid = 0;
	CHECK_OK("tgkill to thread", syscall(SYS_tgkill, getpid(), spinner_tid, SIGUSR1));
	t0 = now_ns();
	while (!handler_tid && now_ns() - t0 < 2000000000LL)
		usleep(1000);
	CHECK_EQ("handler ran in the target thread", handler_tid, spinner_tid);
	stop_spin = 1;
	pthread_join(th, NULL);
	/* the tid is cleared (waking join) slightly before the thread is gone */
	long r = 0;
	t0 = now_ns();
	while ((r = syscall(SYS_tgkill, getpid(), spinner_tid, 0)) == 0 && now_ns() - t0 < 2000000000LL)
		usleep(1000);
	(void)r;
	CHECK_ERR("tgkill to exited thread ESRCH", syscall(SYS_tgkill, getpid(), spinner_tid, 0), ESRCH);
	signal(SIGUSR1, SIG_DFL);

	/* signal masks are per thread */
	pthread_create(&th, NULL, mask_thread, NULL);
	pthread_join(th, NULL);
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	CHECK("thread's mask change does not affect main", !sigismember(&cur, SIGUSR2));

	/* exit_group from a thread ends the process */
	pid_t c = fork();
	if (c == 0) {
		pthread_t t2;
		pthread_create(&t2, NULL, exiter, NULL);
		for (;;)
			pause();
	}
	int st = 0;
	waitpid(c, &st, 0);
	CHECK("exit_group from thread ends process with its status", WIFEXITED(st) && WEXITSTATUS(st) == 5);

	/* a thread returning (SYS_exit) ends only that thread */
	pthread_create(&th, NULL, basic_thread, (void *)0);
	CHECK_EQ("join after plain thread exit", pthread_join(th, &ret), 0);
	CHECK_EQ("process survives a thread's exit", (intptr_t)ret, 1);
	return TEST_END();
}
