/*
 * The time of day as kernel/time/timeofday.c keeps it beyond the
 * platform's clocks: the TAI offset adjtimex sets (ADJ_TAI).
 */
#pragma once
#include <aramid/types.h>

/* CLOCK_TAI - CLOCK_REALTIME in ns (0 until adjtimex sets it). */
int64_t clock_tai_offset_ns(void);
