/*
 * Linux x86-64 ABI of poll(2), ppoll(2), select(2) and pselect6(2): the
 * structures they read and write. The POLL* event bits live in
 * kernel/vfs.h, beside the file_ops.poll that reports them.
 */
#pragma once
#include <aramid/types.h>

struct pollfd {
	int32_t fd;
	int16_t events;
	int16_t revents;
};

/* An fd_set is a bitmap of 64-bit words; select(2) takes up to 1024 fds. */
#define FD_SETSIZE	1024
#define NFDBITS		64

/* struct timeval, as select(2) takes and updates it. */
struct __kernel_old_timeval {
	int64_t tv_sec;
	int64_t tv_usec;
};

/* struct timespec, as ppoll(2) and pselect6(2) take and update it. */
struct __kernel_timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};

/* The sixth argument of pselect6(2): the signal mask and its size. */
struct sigset_argpack {
	uint64_t sigmask;	/* user pointer to a sigset_t, or 0 */
	uint64_t sigsetsize;
};

_Static_assert(sizeof(struct pollfd) == 8, "struct pollfd");
_Static_assert(sizeof(struct __kernel_old_timeval) == 16, "struct timeval");
_Static_assert(sizeof(struct __kernel_timespec) == 16, "struct timespec");
_Static_assert(sizeof(struct sigset_argpack) == 16, "sigset_argpack");
