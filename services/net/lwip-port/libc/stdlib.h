/*
 * lwIP's <stdlib.h>: its allocator is the port's (lwipopts.h); the one
 * other routine it uses is atoi, for interface numbers ("en0").
 */
#pragma once
#include <aramid/types.h>

static inline int atoi(const char *s)
{
	int n = 0;

	while (*s >= '0' && *s <= '9' && n < 100000000)
		n = n * 10 + (*s++ - '0');
	return n;
}
