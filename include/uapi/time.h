/* Linux's clock ids, timer flags, struct itimerspec and struct sigevent. */
#pragma once
#include <aramid/types.h>
#include <uapi/poll.h>

#define CLOCK_REALTIME			0
#define CLOCK_MONOTONIC			1
#define CLOCK_PROCESS_CPUTIME_ID	2
#define CLOCK_THREAD_CPUTIME_ID		3
#define CLOCK_MONOTONIC_RAW		4
#define CLOCK_REALTIME_COARSE		5
#define CLOCK_MONOTONIC_COARSE		6
#define CLOCK_BOOTTIME			7
#define CLOCK_REALTIME_ALARM		8
#define CLOCK_BOOTTIME_ALARM		9
#define CLOCK_TAI			11

#define TIMER_ABSTIME			1

/* sigev_notify: SIGEV_THREAD_ID is or'd with SIGEV_SIGNAL (0). */
#define SIGEV_SIGNAL			0
#define SIGEV_NONE			1
#define SIGEV_THREAD			2
#define SIGEV_THREAD_ID			4

/* DELAYTIMER_MAX: the overrun count a POSIX timer reports saturates here. */
#define DELAYTIMER_MAX			0x7fffffff

struct itimerspec64 {
	struct __kernel_timespec it_interval;
	struct __kernel_timespec it_value;
};

/* struct sigevent as timer_create(2) reads it (64 bytes). */
struct k_sigevent {
	uint64_t sigev_value;
	int32_t sigev_signo;
	int32_t sigev_notify;
	int32_t sigev_notify_thread_id;
	int32_t _pad[11];
};

_Static_assert(sizeof(struct itimerspec64) == 32, "struct itimerspec");
_Static_assert(sizeof(struct k_sigevent) == 64, "struct sigevent");
