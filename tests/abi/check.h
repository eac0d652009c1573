/* check.h - tiny assertion helpers shared by the Aramid in-guest ABI tests. */
#ifndef ABI_CHECK_H
#define ABI_CHECK_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/utsname.h>

/*
 * Every check prints exactly one line with a single write(2), so output is
 * never duplicated by fork() or torn by stdio buffering:
 *   PASS <prog>: <what>
 *   FAIL <prog>: <what>: got X expected Y (ERRNO)
 * and the program ends with "DONE <prog>".
 */
static const char *check_prog = "?";
static int check_fails;

/* Addresses that must never be dereferenced by the kernel on our behalf. */
#define BAD_NULL   ((void *)0)
#define BAD_LOW    ((void *)0x10)
#define BAD_KHALF  ((void *)0xffff800000000000UL)
#define BAD_KTEXT  ((void *)0xffffffff81000000UL)
/* Kernel half, mapped by no kernel (past Aramid's kernel window and
 * Linux's fixmap): EFAULT in every profile, ludicrous's too. */
#define BAD_KTOP   ((void *)0xffffffffffff0000UL)

/* Whether this is Aramid's ludicrous profile (no user range checks). */
static inline int profile_is_ludicrous(void)
{
	struct utsname u;

	return uname(&u) == 0 && strstr(u.version, "Aramid ludicrous");
}

static inline const char *errname(int e)
{
	switch (e) {
	case 0: return "0";
#define E(x) case x: return #x;
	E(EPERM) E(ENOENT) E(ESRCH) E(EINTR) E(EIO) E(ENXIO) E(E2BIG)
	E(ENOEXEC) E(EBADF) E(ECHILD) E(EAGAIN) E(ENOMEM) E(EACCES)
	E(EFAULT) E(EBUSY) E(EEXIST) E(EXDEV) E(ENODEV) E(ENOTDIR)
	E(EISDIR) E(EINVAL) E(ENFILE) E(EMFILE) E(ENOTTY) E(EFBIG)
	E(ENOSPC) E(ESPIPE) E(EROFS) E(EMLINK) E(EPIPE) E(ERANGE)
	E(ENAMETOOLONG) E(ENOSYS) E(ENOTEMPTY) E(ELOOP) E(EOVERFLOW)
	E(ETIMEDOUT) E(EOPNOTSUPP) E(ENOTSOCK) E(ETXTBSY) E(ENODATA) E(ELIBBAD)
	E(EDEADLK)
#undef E
	default: return "E?";
	}
}

static inline void check_emit(const char *fmt, ...)
{
	char buf[600];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if (n > (int)sizeof buf - 2)
		n = (int)sizeof buf - 2;
	buf[n++] = '\n';
	ssize_t off = 0;
	while (off < n) {
		ssize_t w = write(1, buf + off, (size_t)(n - off));
		if (w <= 0)
			break;
		off += w;
	}
}

static inline void check_result(int ok, const char *what, const char *got,
				 const char *exp, int err)
{
	if (ok) {
		check_emit("PASS %s: %s", check_prog, what);
	} else {
		check_fails++;
		check_emit("FAIL %s: %s: got %s expected %s (%s)", check_prog,
			   what, got, exp, errname(err));
	}
}

/* Boolean condition. */
#define CHECK(what, cond) do {						\
	int ok_ = !!(cond); int e_ = errno;				\
	check_result(ok_, (what), ok_ ? "true" : "false", "true", e_);	\
} while (0)

/* Integer equality. */
#define CHECK_EQ(what, got, exp) do {					\
	long long g_ = (long long)(got), x_ = (long long)(exp);		\
	int e_ = errno; char gs_[32], xs_[32];				\
	snprintf(gs_, sizeof gs_, "%lld", g_);				\
	snprintf(xs_, sizeof xs_, "%lld", x_);				\
	check_result(g_ == x_, (what), gs_, xs_, e_);			\
} while (0)

/* Call must succeed (return >= 0). */
#define CHECK_OK(what, expr) do {					\
	errno = 0; long long r_ = (long long)(expr); int e_ = errno;	\
	char gs_[32]; snprintf(gs_, sizeof gs_, "%lld", r_);		\
	check_result(r_ >= 0, (what), gs_, ">=0", e_);			\
} while (0)

/* Call must fail with -1 and the given errno. */
#define CHECK_ERR(what, expr, eno) do {					\
	errno = 0; long long r_ = (long long)(expr); int e_ = errno;	\
	char gs_[64], xs_[64];						\
	snprintf(gs_, sizeof gs_, "%lld/%s", r_, errname(e_));		\
	snprintf(xs_, sizeof xs_, "-1/%s", errname(eno));		\
	check_result(r_ == -1 && e_ == (eno), (what), gs_, xs_, e_);	\
} while (0)

/* CHECK_ERR for any errno: errname() names only the classic ones. */
#define CHECK_SERR(what, expr, eno) do {				\
	errno = 0; long long r_ = (long long)(expr); int e_ = errno;	\
	char gs_[80], xs_[80];						\
	snprintf(gs_, sizeof gs_, "%lld/%d %s", r_, e_, strerror(e_));	\
	snprintf(xs_, sizeof xs_, "-1/%d %s", (eno), strerror(eno));	\
	check_result(r_ == -1 && e_ == (eno), (what), gs_, xs_, e_);	\
} while (0)

/* String equality. */
#define CHECK_STR(what, got, exp) do {					\
	const char *g_ = (got), *x_ = (exp); int e_ = errno;		\
	check_result(g_ && strcmp(g_, x_) == 0, (what),			\
		     g_ ? g_ : "(null)", x_, e_);			\
} while (0)

#define TEST_BEGIN(name) (check_prog = (name))
#define TEST_END() (check_emit("DONE %s", check_prog), check_fails ? 1 : 0)

/* Make @fn the SA_SIGINFO handler of @sig (no other flags); 0 or -1. */
#include <signal.h>
static inline int on_siginfo(int sig, void (*fn)(int, siginfo_t *, void *))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO;
	return sigaction(sig, &sa, NULL);
}

/* @si as sigqueue(3) fills it for @sig: SI_QUEUE from this process. */
static inline void sigqueue_info(siginfo_t *si, int sig)
{
	memset(si, 0, sizeof *si);
	si->si_signo = sig;
	si->si_code = SI_QUEUE;
	si->si_pid = getpid();
	si->si_uid = getuid();
}

/* Run fn() in a forked child; returns the raw wait status (or -1). */
static inline int run_child(int (*fn)(void *), void *arg)
{
	pid_t p = fork();
	if (p < 0)
		return -1;
	if (p == 0)
		_exit(fn(arg));
	int st = -1;
	if (waitpid(p, &st, 0) != p)
		return -1;
	return st;
}

/*
 * The whole of file @path, NUL-terminated, into @buf of @size (what does
 * not fit is left unread): its length, or -1 if it cannot be opened or
 * read.
 */
#include <fcntl.h>
static inline ssize_t slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0;
	ssize_t n = 0;

	if (fd < 0)
		return -1;
	while (len + 1 < size && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	return n < 0 ? -1 : (ssize_t)len;
}

/*
 * Write @s to the existing file @path (a /proc knob, say) in one
 * write(2): what write returned, or -1 with errno if it cannot be
 * opened. write_text: 0 if all of it was taken, else -1.
 */
static inline int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n < 0 ? -1 : (int)n;
}

static inline int write_text(const char *path, const char *s)
{
	return write_str(path, s) == (int)strlen(s) ? 0 : -1;
}

/* Monotonic clock in nanoseconds. */
#include <time.h>
static inline long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

#endif
