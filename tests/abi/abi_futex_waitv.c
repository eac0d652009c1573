/* abi_futex_waitv.c - futex_waitv(2): waking one of several futexes (private, and shared across fork), absolute timeouts on both clocks, a signal, and the checks in Linux 6.1's order. */
#include "check.h"
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <time.h>

#define T "abi_futex_waitv"
#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449
#endif

#define FUTEX_WAKE_P	(1 | 128)	/* FUTEX_WAKE | FUTEX_PRIVATE_FLAG */
#define FUTEX_32	2
#define FUTEX2_PRIVATE	128

struct futex_waitv {
	uint64_t val;
	uint64_t uaddr;
	uint32_t flags;
	uint32_t reserved;
};

static long waitv(struct futex_waitv *w, unsigned long n, unsigned long flags,
		  struct timespec *to, long clockid)
{
	return syscall(SYS_futex_waitv, w, n, flags, to, clockid);
}

/* An absolute time @ms from now on @clockid. */
static struct timespec in_ms(clockid_t clockid, long ms)
{
	struct timespec ts;

	clock_gettime(clockid, &ts);
	ts.tv_nsec += ms * 1000000L;
	ts.tv_sec += ts.tv_nsec / 1000000000L;
	ts.tv_nsec %= 1000000000L;
	return ts;
}

static uint32_t words[3];

static void set3(struct futex_waitv *w, uint32_t flags)
{
	for (int i = 0; i < 3; i++)
		w[i] = (struct futex_waitv){ 0, (uintptr_t)&words[i], flags, 0 };
}

static void test_errors(void)
{
	struct futex_waitv w[3];
	struct timespec to = in_ms(CLOCK_MONOTONIC, 1000), bad = { 0, 1000000000L };

	set3(w, FUTEX_32 | FUTEX2_PRIVATE);
	CHECK_ERR("flags 1 EINVAL", waitv(w, 1, 1, &to, CLOCK_MONOTONIC), EINVAL);
	CHECK_ERR("no futexes EINVAL", waitv(w, 0, 0, &to, CLOCK_MONOTONIC), EINVAL);
	CHECK_ERR("129 futexes EINVAL", waitv(w, 129, 0, &to, CLOCK_MONOTONIC), EINVAL);
	CHECK_ERR("a NULL array EINVAL", waitv(NULL, 1, 0, &to, CLOCK_MONOTONIC), EINVAL);
	CHECK_ERR("CLOCK_TAI EINVAL", waitv(w, 1, 0, &to, CLOCK_TAI), EINVAL);
	CHECK_ERR("CLOCK_TAI before a bad array: EINVAL", waitv(BAD_KTOP, 1, 0, &to, CLOCK_TAI), EINVAL);
	CHECK_ERR("a bad timeout pointer EFAULT", waitv(w, 1, 0, BAD_KTOP, CLOCK_MONOTONIC), EFAULT);
	CHECK_ERR("tv_nsec 1e9 EINVAL", waitv(w, 1, 0, &bad, CLOCK_MONOTONIC), EINVAL);
	bad = (struct timespec){ -1, 0 };
	CHECK_ERR("tv_sec -1 EINVAL", waitv(w, 1, 0, &bad, CLOCK_MONOTONIC), EINVAL);
	CHECK_ERR("a bad array EFAULT", waitv(BAD_KTOP, 1, 0, &to, CLOCK_MONOTONIC), EFAULT);
	w[1].flags = FUTEX2_PRIVATE;
	CHECK_ERR("an entry without FUTEX_32 EINVAL", waitv(w, 3, 0, &to, CLOCK_MONOTONIC), EINVAL);
	w[1].flags = FUTEX_32 | 4;
	CHECK_ERR("an unknown entry flag EINVAL", waitv(w, 3, 0, &to, CLOCK_MONOTONIC), EINVAL);
	w[1].flags = 3;
	CHECK_ERR("size bits 3 EINVAL", waitv(w, 3, 0, &to, CLOCK_MONOTONIC), EINVAL);
	w[1].flags = FUTEX_32;
	w[1].reserved = 1;
	CHECK_ERR("__reserved set EINVAL", waitv(w, 3, 0, &to, CLOCK_MONOTONIC), EINVAL);
	set3(w, FUTEX_32 | FUTEX2_PRIVATE);
	w[2].uaddr = (uintptr_t)&words[2] + 1;
	CHECK_ERR("a misaligned word EINVAL", waitv(w, 3, 0, &to, CLOCK_MONOTONIC), EINVAL);
	w[0].val = 5;
	CHECK_ERR("misaligned later beats a mismatch earlier: EINVAL", waitv(w, 3, 0, &to, CLOCK_MONOTONIC), EINVAL);
	set3(w, FUTEX_32 | FUTEX2_PRIVATE);
	w[1].uaddr = 0;
	CHECK_ERR("a NULL word EFAULT", waitv(w, 3, 0, &to, CLOCK_MONOTONIC), EFAULT);
	w[0].val = 5;
	CHECK_ERR("a mismatch before a NULL word: EAGAIN", waitv(w, 3, 0, &to, CLOCK_MONOTONIC), EAGAIN);
	set3(w, FUTEX_32 | FUTEX2_PRIVATE);
	w[2].val = 1;
	CHECK_ERR("the last word differs EAGAIN", waitv(w, 3, 0, &to, CLOCK_MONOTONIC), EAGAIN);
}

static void test_timeouts(void)
{
	struct futex_waitv w[3];
	struct timespec to;
	long long t0;

	set3(w, FUTEX_32 | FUTEX2_PRIVATE);
	to = in_ms(CLOCK_MONOTONIC, 30);
	t0 = now_ns();
	CHECK_ERR("CLOCK_MONOTONIC timeout ETIMEDOUT", waitv(w, 3, 0, &to, CLOCK_MONOTONIC), ETIMEDOUT);
	CHECK("after about 30 ms", now_ns() - t0 >= 25000000LL);
	to = in_ms(CLOCK_REALTIME, 30);
	CHECK_ERR("CLOCK_REALTIME timeout ETIMEDOUT", waitv(w, 3, 0, &to, CLOCK_REALTIME), ETIMEDOUT);
	to = (struct timespec){ 0, 0 };
	CHECK_ERR("a time long past ETIMEDOUT", waitv(w, 1, 0, &to, CLOCK_MONOTONIC), ETIMEDOUT);
	w[0].val = 1ULL << 32;
	CHECK_ERR("val's high bits are ignored: waits", waitv(w, 1, 0, &to, CLOCK_MONOTONIC), ETIMEDOUT);
}

static void *waker(void *arg)
{
	uint32_t *word = arg;

	for (int i = 0; i < 2000; i++) {
		if (syscall(SYS_futex, word, FUTEX_WAKE_P, 1, NULL, NULL, 0) == 1)
			return (void *)1;
		usleep(1000);
	}
	return NULL;
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void test_wake(void)
{
	struct futex_waitv w[3];
	struct timespec to = in_ms(CLOCK_MONOTONIC, 5000);
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { { 0, 0 }, { 0, 20000 } };
	pthread_t th;
	void *woke;
	uint32_t *sh;
	pid_t child;
	int st;

	set3(w, FUTEX_32 | FUTEX2_PRIVATE);
	CHECK("waker thread", pthread_create(&th, NULL, waker, &words[1]) == 0);
	CHECK_EQ("woken at index 1", waitv(w, 3, 0, &to, CLOCK_MONOTONIC), 1);
	pthread_join(th, &woke);
	CHECK("and the waker woke one", woke == (void *)1);

	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	CHECK_ERR("a signal without SA_RESTART EINTR", waitv(w, 3, 0, NULL, 0), EINTR);

	sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK("shared mapping", sh != MAP_FAILED);
	child = fork();
	if (child == 0) {
		struct futex_waitv cw[2] = {
			{ 0, (uintptr_t)&sh[0], FUTEX_32, 0 },
			{ 0, (uintptr_t)&sh[1], FUTEX_32, 0 },
		};
		struct timespec cto = in_ms(CLOCK_MONOTONIC, 5000);

		_exit(waitv(cw, 2, 0, &cto, CLOCK_MONOTONIC) == 0 ? 0 : 1);
	}
	for (int i = 0; i < 2000; i++) {
		if (syscall(SYS_futex, &sh[0], 1, 1, NULL, NULL, 0) == 1)
			break;
		usleep(1000);
	}
	waitpid(child, &st, 0);
	CHECK("shared futex woken from another process: index 0", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	munmap(sh, 4096);
}

int main(void)
{
	TEST_BEGIN(T);
	test_errors();
	test_timeouts();
	test_wake();
	return TEST_END();
}
