/*
 * smp_work: fixed amounts of work for the scaling benchmarks
 * (bench/smp_scale.sh, timed there by btime), so that the time one run
 * takes at -smp 1 against -smp 2 is the speed-up.
 *
 *   smp_work cpu N        N processes, each a fixed CPU-bound loop
 *   smp_work futex        two threads passing a token 20,000 times
 *                         through a futex each way
 *   smp_work forkexec N   N processes, each forking and executing
 *                         /bench/tiny 50 times and waiting for it
 *
 * Exits 0 when the work is done and every part of it succeeded.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define FUTEX_WAIT_PRIVATE	128	/* FUTEX_WAIT | FUTEX_PRIVATE_FLAG */
#define FUTEX_WAKE_PRIVATE	129
#define CPU_LOOPS	500000000UL
#define PINGPONGS	20000
#define EXECS		50

/* A CPU-bound loop the compiler cannot fold: 0, or 1 if it went wrong. */
static int cpu_loop(void)
{
	volatile uint64_t sink;
	uint64_t x = 1;

	for (unsigned long i = 0; i < CPU_LOOPS; i++)
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
	sink = x;
	return sink == 0;
}

static int forkexec_loop(void)
{
	for (int i = 0; i < EXECS; i++) {
		int st;
		pid_t p = fork();

		if (p < 0)
			return 1;
		if (p == 0) {
			execl("/bench/tiny", "tiny", (char *)NULL);
			_exit(127);
		}
		if (waitpid(p, &st, 0) != p || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != 0)
			return 1;
	}
	return 0;
}

/* Run @fn in @n child processes at once: 0 if every one returned 0. */
static int in_processes(int n, int (*fn)(void))
{
	int bad = 0;

	for (int i = 0; i < n; i++) {
		pid_t p = fork();

		if (p < 0)
			return 1;
		if (p == 0)
			_exit(fn());
	}
	for (int i = 0; i < n; i++) {
		int st;

		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			bad = 1;
	}
	return bad;
}

static volatile int token;	/* whose turn: 0 main thread, 1 the other */

static void futex_wait(volatile int *w, int val)
{
	syscall(SYS_futex, w, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void futex_wake(volatile int *w)
{
	syscall(SYS_futex, w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* Wait for the token to be @mine, then hand it over, @rounds times. */
static void pass_token(int mine, int rounds)
{
	for (int i = 0; i < rounds; i++) {
		while (__atomic_load_n(&token, __ATOMIC_ACQUIRE) != mine)
			futex_wait(&token, !mine);
		__atomic_store_n(&token, !mine, __ATOMIC_RELEASE);
		futex_wake(&token);
	}
}

static void *pong(void *arg)
{
	(void)arg;
	pass_token(1, PINGPONGS);
	return NULL;
}

static int pingpong(void)
{
	pthread_t th;

	if (pthread_create(&th, NULL, pong, NULL))
		return 1;
	pass_token(0, PINGPONGS);
	return pthread_join(th, NULL) != 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: smp_work cpu N | futex | forkexec N\n");
	return 2;
}

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[2]) : 0;

	if (argc == 3 && !strcmp(argv[1], "cpu") && n > 0 && n <= 64)
		return in_processes(n, cpu_loop);
	if (argc == 3 && !strcmp(argv[1], "forkexec") && n > 0 && n <= 64)
		return in_processes(n, forkexec_loop);
	if (argc == 2 && !strcmp(argv[1], "futex"))
		return pingpong();
	return usage();
}
