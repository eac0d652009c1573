/*
 * The vDSO, linux-vdso.so.1: clock_gettime, gettimeofday, time and getcpu
 * answered in user space, without a system call, from the TSC and the
 * data page the kernel maps one page below this object (platform/vvar.h). The
 * arithmetic is clock_monotonic_ns()'s (platform/timer.c), so the vDSO
 * and the system calls agree. Clocks it cannot read fall back to the
 * system call, as do the monotonic ones in a time namespace.
 *
 * This file runs in user mode. It is built as its own position-
 * independent shared object without libc (Makefile, vdso.lds) and is
 * embedded in the kernel image (platform/vdso_image.S).
 */
#include <uapi/syscalls.h>
#include "vvar.h"

#define CLOCK_REALTIME		0
#define CLOCK_MONOTONIC		1
#define CLOCK_MONOTONIC_RAW	4
#define CLOCK_REALTIME_COARSE	5
#define CLOCK_MONOTONIC_COARSE	6
#define CLOCK_BOOTTIME		7

#define NSEC_PER_SEC	1000000000ULL

struct vdso_timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};

struct vdso_timeval {
	int64_t tv_sec;
	int64_t tv_usec;
};

struct vdso_timezone {
	int32_t tz_minuteswest;
	int32_t tz_dsttime;
};

/* Placed by vdso.lds one page below the vDSO's ELF header. */
extern const struct vvar_data vvar_page __attribute__((visibility("hidden")));

static uint64_t monotonic_ns(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	uint64_t d = (((uint64_t)hi << 32) | lo) - vvar_page.tsc_boot;

	return (uint64_t)(((unsigned __int128)d * vvar_page.tsc_mult) >> 32);
}

static uint64_t realtime_ns(void)
{
	return vvar_page.boot_realtime_ns + monotonic_ns();
}

static long syscall2(long nr, long a0, long a1)
{
	long ret;

	__asm__ __volatile__("syscall"
			     : "=a"(ret)
			     : "a"(nr), "D"(a0), "S"(a1)
			     : "rcx", "r11", "memory");
	return ret;
}

/* As Linux's vDSO: 0, or the fallback system call's -errno. */
int __vdso_clock_gettime(int clk, struct vdso_timespec *ts)
{
	uint64_t ns;

	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		ns = realtime_ns();
		break;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		if (vvar_page.clock_syscall)	/* a time namespace's offsets */
			return syscall2(__NR_clock_gettime, clk, (long)ts);
		ns = monotonic_ns();
		break;
	default:
		return syscall2(__NR_clock_gettime, clk, (long)ts);
	}
	ts->tv_sec = ns / NSEC_PER_SEC;
	ts->tv_nsec = ns % NSEC_PER_SEC;
	return 0;
}

/* The time zone is settimeofday's, as the system call reports it. */
int __vdso_gettimeofday(struct vdso_timeval *tv, struct vdso_timezone *tz)
{
	if (tv) {
		uint64_t ns = realtime_ns();

		tv->tv_sec = ns / NSEC_PER_SEC;
		tv->tv_usec = ns % NSEC_PER_SEC / 1000;
	}
	if (tz) {
		tz->tz_minuteswest = vvar_page.tz_minuteswest;
		tz->tz_dsttime = vvar_page.tz_dsttime;
	}
	return 0;
}

int64_t __vdso_time(int64_t *t)
{
	int64_t secs = realtime_ns() / NSEC_PER_SEC;

	if (t)
		*t = secs;
	return secs;
}

/*
 * The CPU from rdtscp's TSC_AUX, which each CPU sets to its number (one
 * NUMA node); the system call where the CPU has no rdtscp.
 */
long __vdso_getcpu(unsigned *cpu, unsigned *node, void *unused)
{
	uint32_t lo, hi, aux;

	if (!vvar_page.rdtscp)
		return syscall2(__NR_getcpu, (long)cpu, (long)node);
	__asm__ __volatile__("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
	if (cpu)
		*cpu = aux & 0xfff;
	if (node)
		*node = 0;
	return 0;
}

/* The plain names Linux's vDSO also exports. */
int clock_gettime(int, struct vdso_timespec *)
	__attribute__((weak, alias("__vdso_clock_gettime")));
int gettimeofday(struct vdso_timeval *, struct vdso_timezone *)
	__attribute__((weak, alias("__vdso_gettimeofday")));
int64_t time(int64_t *) __attribute__((weak, alias("__vdso_time")));
long getcpu(unsigned *, unsigned *, void *)
	__attribute__((weak, alias("__vdso_getcpu")));
