/*
 * The timing loop of the benchmark programs (bench_micro.c, bench_net.c):
 * each benchmark runs in batches that double in size until its budget of
 * CLOCK_MONOTONIC time is used (BENCH_MS milliseconds from the
 * environment, default 250), so a slow kernel gets fewer iterations,
 * never a longer run, and prints "BENCH <name> <ns_per_unit> <units>".
 */
#pragma once
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define BENCH_DEFAULT_MS	250		/* guest time per benchmark */
#define BENCH_MAX_MS		60000

static uint64_t budget_ns;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Take the budget from BENCH_MS: 0, or -1 after a message naming @prog. */
static int bench_budget(const char *prog)
{
	const char *ms = getenv("BENCH_MS");
	unsigned long budget_ms = BENCH_DEFAULT_MS;
	char *end;

	if (ms && *ms) {
		budget_ms = strtoul(ms, &end, 10);
		if (*end || budget_ms == 0 || budget_ms > BENCH_MAX_MS) {
			fprintf(stderr, "%s: bad BENCH_MS '%s'\n", prog, ms);
			return -1;
		}
	}
	budget_ns = budget_ms * 1000000ULL;
	return 0;
}

/*
 * Time @op (after @warmups untimed calls) until the budget is used and
 * print its line, @units work units per call: 0, or the errno of the
 * first failing call (nothing is printed then).
 */
static int bench_time(const char *name, int (*op)(void), unsigned warmups,
		      unsigned units)
{
	uint64_t start, elapsed = 0, done = 0, batch = 1, i;

	for (i = 0; i < warmups; i++)
		if (op() < 0)
			return errno;
	start = now_ns();
	while (elapsed < budget_ns) {
		for (i = 0; i < batch; i++)
			if (op() < 0)
				return errno;
		done += batch;
		elapsed = now_ns() - start;
		if (batch < (1u << 16))
			batch *= 2;
	}
	done *= units;
	printf("BENCH %s %llu %llu\n", name,
	       (unsigned long long)(elapsed / done), (unsigned long long)done);
	fflush(stdout);
	return 0;
}
