/*
 * The timing loop of the benchmark programs (bench_micro.c, bench_net.c):
 * each benchmark runs in batches that double in size until its budget of
 * CLOCK_MONOTONIC time is used (BENCH_MS milliseconds from the
 * environment, default 250), so a slow kernel gets fewer iterations,
 * never a longer run, and prints "BENCH <name> <ns_per_unit> <units>".
 * An operation that times only part of itself (the faults of a loop, not
 * the mmap and munmap around them) adds that part with bench_part(); the
 * figure is then the parts' sum per unit, while the budget still counts
 * whole operations.
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
static uint64_t part_ns;		/* sum of bench_part() this benchmark */
static int part_used;			/* bench_part() was called */

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

/* Count @ns of the current operation as its timed part. */
static inline void bench_part(uint64_t ns)
{
	part_ns += ns;
	part_used = 1;
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
	part_ns = 0;
	part_used = 0;
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
	if (part_used)
		elapsed = part_ns;
	printf("BENCH %s %llu %llu\n", name,
	       (unsigned long long)(elapsed / done), (unsigned long long)done);
	fflush(stdout);
	return 0;
}
