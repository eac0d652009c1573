/*
 * The kernel's random number generator (kernel/random/random.c): a ChaCha20
 * stream with fast key erasure, behind getrandom(2), /dev/urandom and
 * AT_RANDOM. See kernel/random/random.c for how strong it is (and is not).
 */
#pragma once
#include <aramid/types.h>

/* Fill @buf with @n random bytes. Any context; does not sleep. */
void random_bytes(void *buf, size_t n);

/*
 * Stir @n bytes of caller data (a write to /dev/random, timings) into the
 * generator's key. Never lowers its strength. Any context.
 */
void random_mix(const void *buf, size_t n);
