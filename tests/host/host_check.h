/*
 * host_check.h: the counting every host unit test shares. CHECK(cond)
 * counts a condition, printing the ones that fail with their place;
 * host_check_done() prints "N passed, N failed" and gives the test's
 * exit status. A random run's conditions go through EXPECT, counted in
 * `wrong` (which a CHECK then counts once), its numbers through
 * xorshift64. One test program includes it once (the counters are its
 * own).
 */
#ifndef TESTS_HOST_CHECK_H
#define TESTS_HOST_CHECK_H

#include <stdint.h>
#include <stdio.h>

static long passed, failed;
static long wrong __attribute__((unused));	/* EXPECT's failures */

#define CHECK(cond) do {						\
	if (cond) {							\
		passed++;						\
	} else {							\
		failed++;						\
		dprintf(2, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
	}								\
} while (0)

/* A condition of a random run: a failure is printed and counted. */
#define EXPECT(cond) do {						\
	if (!(cond)) {							\
		wrong++;						\
		dprintf(2, "WRONG %s:%d: %s\n", __FILE__, __LINE__, #cond); \
	}								\
} while (0)

/* The next number of a seeded xorshift sequence at @state (not 0). */
static inline uint64_t xorshift64(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

/* The summary line the run scripts read; returns the exit status. */
static inline int host_check_done(void)
{
	dprintf(1, "%ld passed, %ld failed\n", passed, failed);
	return failed != 0;
}

#endif
