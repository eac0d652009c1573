/*
 * host_check.h: the counting every host unit test shares. CHECK(cond)
 * counts a condition, printing the ones that fail with their place;
 * host_check_done() prints "N passed, N failed" and gives the test's
 * exit status. One test program includes it once (the counters are its
 * own).
 */
#ifndef TESTS_HOST_CHECK_H
#define TESTS_HOST_CHECK_H

#include <stdio.h>

static long passed, failed;

#define CHECK(cond) do {						\
	if (cond) {							\
		passed++;						\
	} else {							\
		failed++;						\
		dprintf(2, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
	}								\
} while (0)

/* The summary line the run scripts read; returns the exit status. */
static inline int host_check_done(void)
{
	dprintf(1, "%ld passed, %ld failed\n", passed, failed);
	return failed != 0;
}

#endif
