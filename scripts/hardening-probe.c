/*
 * Probe of the compiler hardening (scripts/check-hardening.sh): compiled
 * with a profile's CFLAGS, each function shows by its code whether that
 * check is in the profile. Never linked into the kernel.
 */
#include <aramid/checked.h>

int probe_table[8];

/* An index the compiler cannot prove in range: -fsanitize=bounds traps. */
int probe_bounds(unsigned long i)
{
	return probe_table[i];
}

/* -fsanitize=signed-integer-overflow traps. */
int probe_overflow(int a, int b)
{
	return a + b;
}

/* -fsanitize=shift traps on a shift count out of range. */
int probe_shift(int a, int b)
{
	return a << b;
}

/* CHECKED_INDEX calls checked_index_fail() unless the profile is ludicrous. */
int probe_checked(unsigned long i)
{
	return CHECKED_INDEX(probe_table, i);
}
