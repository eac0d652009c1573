/*
 * btime: the timer of the workload benchmarks.
 *
 *   btime NAME BUDGET_MS COMMAND [ARG...]
 *
 * Runs COMMAND (found through PATH) to completion again and again, at
 * least once and until BUDGET_MS milliseconds of CLOCK_MONOTONIC time are
 * used, then prints "BENCH <NAME> <ns_per_run> <runs>". COMMAND's standard
 * output goes to /dev/null, its standard error stays. A run that fails
 * (cannot start, or exits non-zero, or is killed) prints
 * "BENCH-ERROR <NAME> <wait status>" instead, and btime exits 1.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MIN_RUNS 1

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Run argv once; its wait status, or -1 if fork or wait failed. */
static int run_once(char **argv)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null < 0 || dup2(null, 1) < 0)
			_exit(126);
		close(null);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

int main(int argc, char **argv)
{
	uint64_t budget, start, elapsed = 0, runs = 0;
	char *end;
	int status;

	if (argc < 4) {
		fprintf(stderr, "usage: btime NAME BUDGET_MS COMMAND [ARG...]\n");
		return 2;
	}
	budget = strtoull(argv[2], &end, 10) * 1000000ULL;
	if (*end || end == argv[2]) {
		fprintf(stderr, "btime: bad budget '%s'\n", argv[2]);
		return 2;
	}
	start = now_ns();
	while (runs < MIN_RUNS || elapsed < budget) {
		status = run_once(argv + 3);
		if (status != 0) {
			printf("BENCH-ERROR %s %d\n", argv[1], status);
			return 1;
		}
		runs++;
		elapsed = now_ns() - start;
	}
	printf("BENCH %s %llu %llu\n", argv[1],
	       (unsigned long long)(elapsed / runs), (unsigned long long)runs);
	return 0;
}
