/*
 * ns_util.h - what the namespace tests (abi_ns.c, abi_pidns.c) share:
 * the nsfs ioctls and capability ABI musl lacks, setns by number, an ns
 * link's text and inode, and running part of a test in a child.
 */
#pragma once
#include "check.h"
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define V3 0x20080522		/* _LINUX_CAPABILITY_VERSION_3 */
#define CAP_SYS_ADMIN 21
#define NS_GET_PARENT 0xb702
#define NS_GET_NSTYPE 0xb703
#define NS_GET_OWNER_UID 0xb704

struct cap_hdr { unsigned version; int pid; };
struct cap_data { unsigned eff, prm, inh; };

static inline long setns_(int fd, int type)
{
	return syscall(SYS_setns, fd, type);
}

/* The link text of @path ("" on error) into @buf of @len bytes. */
static inline const char *link_of(const char *path, char *buf, size_t len)
{
	ssize_t n = readlink(path, buf, len - 1);

	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

/* The inode number of the namespace @path leads to, or 0. */
static inline unsigned long ns_ino(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : (unsigned long)st.st_ino;
}

/* Wait for child @c: its exit status, or -1 if a signal ended it. */
static inline int reap(pid_t c)
{
	int st;

	if (waitpid(c, &st, 0) != c)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Drop @cap from the effective set (capset, still uid 0): 0 or -1. */
static inline int drop_cap(int cap)
{
	struct cap_hdr h = { V3, 0 };
	struct cap_data d[2] = { { 0 } };

	if (syscall(SYS_capget, &h, d))
		return -1;
	d[0].eff &= ~(1u << cap);
	return (int)syscall(SYS_capset, &h, d);
}

/*
 * Run @fn in a child, which reports its own checks; its failures count
 * as ours (its exit status is its failure count).
 */
static inline void in_child(void (*fn)(void))
{
	pid_t c = fork();
	int st;

	if (c == 0) {
		fn();
		_exit(check_fails ? 1 : 0);
	}
	st = reap(c);
	if (st)
		check_fails++;
	if (st < 0)
		CHECK("child ended normally", 0);
}
