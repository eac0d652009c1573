/* ptrace_util.h - what abi_ptrace.c and abi_ptrace_hw.c share: the raw call, a wait, a traced child. */
#ifndef ABI_PTRACE_UTIL_H
#define ABI_PTRACE_UTIL_H
#include "check.h"
#include <sys/ptrace.h>

static long pt(long req, pid_t pid, unsigned long addr, unsigned long data)
{
	return syscall(SYS_ptrace, req, pid, addr, data);
}

/* Wait for @pid: its raw status, or -1. */
static int wait_st(pid_t pid)
{
	int st = -1;

	if (waitpid(pid, &st, __WALL) != pid)
		return -1;
	return st;
}

/* A child that is traced by us (TRACEME) and stopped by its SIGSTOP. */
static pid_t spawn_traceme(int (*then)(void))
{
	pid_t p = fork();

	if (p == 0) {
		if (pt(PTRACE_TRACEME, 0, 0, 0))
			_exit(100);
		kill(getpid(), SIGSTOP);
		_exit(then());
	}
	return p;
}
#endif
