/* Clocks and the periodic tick (platform/timer.c, rtc.c). */
#pragma once
#include <aramid/types.h>

#define HZ		100
#define NSEC_PER_SEC	1000000000ULL

/* Nanoseconds since boot, monotonic. */
uint64_t clock_monotonic_ns(void);
/* Wall-clock time at boot, from the CMOS RTC, in ns since the epoch. */
uint64_t clock_boot_realtime_ns(void);
/*
 * Make CLOCK_REALTIME - CLOCK_MONOTONIC @boot_realtime (the realtime
 * clock being set), for the kernel and the vDSO. Interrupts may be on.
 */
void clock_set_realtime(uint64_t boot_realtime);
/* Ticks since boot. */
uint64_t clock_ticks(void);
