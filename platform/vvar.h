/*
 * The vDSO's data page (vvar), shared by the kernel, which fills it at
 * boot (platform/vdso_map.c), and the vDSO code, which reads it in user
 * space (platform/vdso/vdso.c). There are two, alike but for
 * clock_syscall: the tasks of a time namespace other than the initial
 * one map the second, whose monotonic clocks the system call reads (it
 * adds the namespace's offsets). Only the realtime offset and the time
 * zone change after boot (settimeofday, clock_settime, adjtimex), each
 * one aligned 64-bit store under the kernel lock, so a reader on any CPU
 * sees the old value or the new one and needs no sequence counter.
 */
#pragma once
#include <aramid/types.h>

struct vvar_data {
	uint64_t tsc_boot;		/* TSC when the monotonic clock was 0 */
	uint64_t tsc_mult;		/* ns per TSC cycle, 32.32 fixed point */
	uint64_t boot_realtime_ns;	/* CLOCK_REALTIME - CLOCK_MONOTONIC */
	int32_t tz_minuteswest;		/* settimeofday's time zone */
	int32_t tz_dsttime;
	uint32_t rdtscp;		/* rdtscp works: TSC_AUX is the CPU */
	uint32_t clock_syscall;		/* monotonic clocks: the system call */
};

/* The TSC parameters of clock_monotonic_ns() (platform/timer.c). */
void tsc_clock_params(uint64_t *tsc_boot, uint64_t *tsc_mult);
