/*
 * bench_micro: the system-call and memory microbenchmarks of `make bench`.
 *
 *   bench_micro [FILTER]
 *
 * Runs every benchmark whose name contains FILTER (all without one) in the
 * current directory and prints one line per benchmark:
 *
 *   BENCH <name> <ns_per_op> <iterations>
 *
 * Each benchmark is calibrated by time, not by a fixed count: it runs in
 * batches that double in size until its budget of CLOCK_MONOTONIC time is
 * used (BENCH_MS milliseconds from the environment, default 250), so a
 * slow kernel gets fewer iterations, never a longer run. The
 * same static binary runs unchanged on Linux and on Aramid. Nothing here
 * judges a figure; a failing call prints "BENCH-ERROR <name> <errno>" and
 * the benchmark is left out.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "bench_time.h"

#define PAGE		4096
#define FAULT_PAGES	64		/* pages touched per mapping */
#define BIG_MAP		(16 << 20)	/* the large anonymous mapping */
#define COW_MAP		(4 << 20)	/* the region a forked child writes */
#define FILE_MAP	(4 << 20)	/* the tmpfs file mapped and read */
#define BIG_READ	(64 * 1024)
#define BIG_WRITE	(1024 * 1024)
#define TINY_PATH	"/bench/tiny"

/* One benchmark: setup, then op() run n times, then teardown. An op
 * returns 0, or -1 with errno set; units says how many operations one
 * call of op() counts for (the page-fault benchmark touches many pages). */
struct bench {
	const char *name;
	int (*setup)(void);
	int (*op)(void);
	void (*teardown)(void);
	unsigned units;
};

static int fd_file;		/* a small cached file */
static int fd_big;		/* the 64 KiB file, then the 1 MiB file */
static int fd_null, fd_zero, fd_dir;
static int fd_kmsg;		/* /dev/kmsg, non-blocking, at its end */
static int ping[2], pong[2];	/* pipe round trip */
static pid_t partner;		/* the second process of two-process benches */
static char *big_buf;
static void *map_page;
static char *cow_region;	/* COW_MAP bytes the parent has touched */
static volatile uint64_t *cow_ns;	/* a shared page: the child's time */
static int fd_map;		/* the FILE_MAP-byte file on tmpfs */
static volatile sig_atomic_t handled;

/* ---- setups and teardowns ---- */

static int make_file(const char *path, size_t size)
{
	char chunk[4096];
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		return -1;
	memset(chunk, 'a', sizeof(chunk));
	while (size > 0) {
		size_t n = size < sizeof(chunk) ? size : sizeof(chunk);

		if (write(fd, chunk, n) != (ssize_t)n) {
			close(fd);
			return -1;
		}
		size -= n;
	}
	return fd;
}

/* Write @v to the first byte of every page of [p, p + len). */
static void touch_pages(char *p, size_t len, char v)
{
	size_t i;

	for (i = 0; i < len; i += PAGE)
		((volatile char *)p)[i] = v;
}

static int setup_file(void)
{
	fd_file = make_file("file", 4096);
	return fd_file < 0 ? -1 : 0;
}

static void teardown_file(void)
{
	close(fd_file);
}

static int setup_devs(void)
{
	fd_null = open("/dev/null", O_WRONLY);
	fd_zero = open("/dev/zero", O_RDONLY);
	return fd_null < 0 || fd_zero < 0 ? -1 : 0;
}

static void teardown_devs(void)
{
	close(fd_null);
	close(fd_zero);
}

/* /dev/kmsg read from its end: each read finds no record (EAGAIN). */
static int setup_kmsg(void)
{
	fd_kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (fd_kmsg < 0)
		return -1;
	return lseek(fd_kmsg, 0, SEEK_END) < 0 ? -1 : 0;
}

static void teardown_kmsg(void)
{
	close(fd_kmsg);
}

static int setup_dir(void)
{
	char name[32];
	int i, fd;

	if (mkdir("dir", 0755) < 0 && errno != EEXIST)
		return -1;
	for (i = 0; i < 16; i++) {
		snprintf(name, sizeof(name), "dir/entry-%02d", i);
		fd = open(name, O_WRONLY | O_CREAT, 0644);
		if (fd < 0)
			return -1;
		close(fd);
	}
	fd_dir = open("dir", O_RDONLY | O_DIRECTORY);
	return fd_dir < 0 ? -1 : 0;
}

static void teardown_dir(void)
{
	close(fd_dir);
}

static int setup_big_read(void)
{
	big_buf = malloc(BIG_READ);
	if (!big_buf)
		return -1;
	fd_big = make_file("big-read", BIG_READ);
	return fd_big < 0 ? -1 : 0;
}

static int setup_big_write(void)
{
	big_buf = malloc(BIG_WRITE);
	if (!big_buf)
		return -1;
	memset(big_buf, 'w', BIG_WRITE);
	fd_big = open("big-write", O_RDWR | O_CREAT | O_TRUNC, 0644);
	return fd_big < 0 ? -1 : 0;
}

static void teardown_big(void)
{
	close(fd_big);
	free(big_buf);
}

/* The partner echoes every byte from ping back on pong. */
static int setup_pipe(void)
{
	char c;

	if (pipe(ping) < 0 || pipe(pong) < 0)
		return -1;
	partner = fork();
	if (partner < 0)
		return -1;
	if (partner == 0) {
		close(ping[1]);
		close(pong[0]);
		while (read(ping[0], &c, 1) == 1)
			if (write(pong[1], &c, 1) != 1)
				break;
		_exit(0);
	}
	close(ping[0]);
	close(pong[1]);
	return 0;
}

static void teardown_pipe(void)
{
	close(ping[1]);
	close(pong[0]);
	waitpid(partner, NULL, 0);
}

/* The partner yields back for as long as it lives. */
static int setup_yield(void)
{
	partner = fork();
	if (partner < 0)
		return -1;
	if (partner == 0) {
		for (;;)
			sched_yield();
	}
	return 0;
}

static void teardown_yield(void)
{
	kill(partner, SIGKILL);
	waitpid(partner, NULL, 0);
}

static void on_usr1(int sig)
{
	handled++;
}

static int setup_signal(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	return sigaction(SIGUSR1, &sa, NULL);
}

static void teardown_signal(void)
{
	signal(SIGUSR1, SIG_DFL);
}

static int setup_page(void)
{
	map_page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map_page == MAP_FAILED)
		return -1;
	*(volatile char *)map_page = 1;
	return 0;
}

static void teardown_page(void)
{
	munmap(map_page, PAGE);
}

/* The parent's COW_MAP region, every page touched, and the shared page
 * on which each forked child leaves the time its writes took. */
static int setup_cow(void)
{
	cow_region = mmap(NULL, COW_MAP, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (cow_region == MAP_FAILED)
		return -1;
	cow_ns = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (cow_ns == MAP_FAILED) {
		munmap(cow_region, COW_MAP);
		return -1;
	}
	touch_pages(cow_region, COW_MAP, 1);
	*cow_ns = 0;
	return 0;
}

static void teardown_cow(void)
{
	munmap(cow_region, COW_MAP);
	munmap((void *)cow_ns, PAGE);
}

/* The cwd is the benchmark's tmpfs directory (/tmp/bench-XXXXXX). */
static int setup_map_file(void)
{
	fd_map = make_file("map-file", FILE_MAP);
	return fd_map < 0 ? -1 : 0;
}

static void teardown_map_file(void)
{
	close(fd_map);
}

/* ---- the operations ---- */

static int op_getpid(void)
{
	return syscall(SYS_getpid) < 0 ? -1 : 0;
}

static int op_gettid(void)
{
	return syscall(SYS_gettid) < 0 ? -1 : 0;
}

/* As programs call it: through the vDSO where the kernel offers one. */
static int op_clock_gettime(void)
{
	struct timespec ts;

	return clock_gettime(CLOCK_MONOTONIC, &ts);
}

/* The system call itself, vDSO or not. */
static int op_clock_gettime_sys(void)
{
	struct timespec ts;

	return syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts) < 0 ? -1 : 0;
}

static int op_uname(void)
{
	struct utsname u;

	return uname(&u);
}

static int op_read_zero(void)
{
	char c;

	return read(fd_zero, &c, 1) == 1 ? 0 : -1;
}

/* A read of an open /dev/kmsg: its lock taken and given, no record. */
static int op_read_kmsg(void)
{
	char buf[256];

	return read(fd_kmsg, buf, sizeof(buf)) < 0 && errno == EAGAIN ? 0 : -1;
}

static int op_write_null(void)
{
	char c = 'x';

	return write(fd_null, &c, 1) == 1 ? 0 : -1;
}

static int op_pread(void)
{
	char c;

	return pread(fd_file, &c, 1, 100) == 1 ? 0 : -1;
}

static int op_writev(void)
{
	char a = 'a', b = 'b';
	struct iovec iov[2] = { { &a, 1 }, { &b, 1 } };

	return writev(fd_null, iov, 2) == 2 ? 0 : -1;
}

static int op_open_close(void)
{
	int fd = open("file", O_RDONLY);

	if (fd < 0)
		return -1;
	return close(fd);
}

static int op_stat(void)
{
	struct stat st;

	return stat("file", &st);
}

static int op_fstat(void)
{
	struct stat st;

	return fstat(fd_file, &st);
}

static int op_lseek(void)
{
	return lseek(fd_file, 0, SEEK_SET) < 0 ? -1 : 0;
}

/* Rewind and read the whole 18-entry directory in one call. */
static int op_getdents64(void)
{
	char buf[4096];

	if (lseek(fd_dir, 0, SEEK_SET) < 0)
		return -1;
	return syscall(SYS_getdents64, fd_dir, buf, sizeof(buf)) <= 0 ? -1 : 0;
}

static int op_dup_close(void)
{
	int fd = dup(fd_file);

	if (fd < 0)
		return -1;
	return close(fd);
}

static int op_fcntl(void)
{
	return fcntl(fd_file, F_GETFL) < 0 ? -1 : 0;
}

static int op_pipe_pingpong(void)
{
	char c = 'p';

	if (write(ping[1], &c, 1) != 1)
		return -1;
	return read(pong[0], &c, 1) == 1 ? 0 : -1;
}

static int op_sched_yield(void)
{
	return sched_yield();
}

static int op_signal(void)
{
	sig_atomic_t before = handled;

	if (kill(getpid(), SIGUSR1) < 0)
		return -1;
	return handled == before ? (errno = EINTR, -1) : 0;
}

/* One operation: block SIGUSR1, then unblock it (two calls). */
static int op_sigprocmask(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	return sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static int op_mmap_munmap(void)
{
	void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	return munmap(p, PAGE);
}

/* FAULT_PAGES demand-zero faults; reported per page. */
static int op_page_fault(void)
{
	char *p = mmap(NULL, FAULT_PAGES * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int i;

	if (p == MAP_FAILED)
		return -1;
	for (i = 0; i < FAULT_PAGES; i++)
		((volatile char *)p)[i * PAGE] = 1;
	return munmap(p, FAULT_PAGES * PAGE);
}

/* Demand-zero faults over a BIG_MAP mapping, one write per page; only the
 * writes are timed, reported per page. */
static int op_fault_anon(void)
{
	char *p = mmap(NULL, BIG_MAP, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t t0;

	if (p == MAP_FAILED)
		return -1;
	t0 = now_ns();
	touch_pages(p, BIG_MAP, 1);
	bench_part(now_ns() - t0);
	return munmap(p, BIG_MAP);
}

/* munmap of a BIG_MAP mapping whose every page is touched; only the
 * munmap is timed, reported per page. */
static int op_fault_munmap(void)
{
	char *p = mmap(NULL, BIG_MAP, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t t0;
	int err;

	if (p == MAP_FAILED)
		return -1;
	touch_pages(p, BIG_MAP, 1);
	t0 = now_ns();
	err = munmap(p, BIG_MAP);
	bench_part(now_ns() - t0);
	return err;
}

/* Copy-on-write: a forked child writes every page of the parent's
 * COW_MAP region and times its writes (read from the shared page), per
 * page; fork, exit and wait are not timed. */
static int op_fault_cow(void)
{
	int status;
	pid_t pid = fork();
	uint64_t t0;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		now_ns();		/* fault in the clock's pages first */
		t0 = now_ns();
		touch_pages(cow_region, COW_MAP, 2);
		*cow_ns = now_ns() - t0;
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return (errno = ECHILD, -1);
	bench_part(*cow_ns);
	return 0;
}

/* File-backed faults: a private read-only mapping of the FILE_MAP-byte
 * tmpfs file, one read per page; only the reads are timed, per page. */
static int op_fault_file(void)
{
	char *p = mmap(NULL, FILE_MAP, PROT_READ, MAP_PRIVATE, fd_map, 0);
	uint64_t t0;
	size_t i;

	if (p == MAP_FAILED)
		return -1;
	t0 = now_ns();
	for (i = 0; i < FILE_MAP; i += PAGE)
		(void)((volatile char *)p)[i];
	bench_part(now_ns() - t0);
	return munmap(p, FILE_MAP);
}

/* One operation: make the page read-only, then writable again. */
static int op_mprotect(void)
{
	if (mprotect(map_page, PAGE, PROT_READ) < 0)
		return -1;
	return mprotect(map_page, PAGE, PROT_READ | PROT_WRITE);
}

/* One operation: grow the break by a page, then shrink it back. */
static int op_brk(void)
{
	long cur = syscall(SYS_brk, 0);

	if (syscall(SYS_brk, cur + PAGE) != cur + PAGE)
		return (errno = ENOMEM, -1);
	return syscall(SYS_brk, cur) == cur ? 0 : (errno = ENOMEM, -1);
}

static int op_fork(void)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(0);
	return waitpid(pid, &status, 0) == pid ? 0 : -1;
}

static int op_fork_exec(void)
{
	static char *const argv[] = { TINY_PATH, NULL };
	static char *const envp[] = { NULL };
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		execve(TINY_PATH, argv, envp);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ?
		0 : (errno = ENOEXEC, -1);
}

static int op_read_64k(void)
{
	return pread(fd_big, big_buf, BIG_READ, 0) == BIG_READ ? 0 : -1;
}

static int op_write_1m_fsync(void)
{
	if (pwrite(fd_big, big_buf, BIG_WRITE, 0) != BIG_WRITE)
		return -1;
	return fsync(fd_big);
}

static const struct bench benches[] = {
	{ "getpid", NULL, op_getpid, NULL, 1 },
	{ "gettid", NULL, op_gettid, NULL, 1 },
	{ "clock_gettime", NULL, op_clock_gettime, NULL, 1 },
	{ "clock_gettime_sys", NULL, op_clock_gettime_sys, NULL, 1 },
	{ "uname", NULL, op_uname, NULL, 1 },
	{ "read_devzero", setup_devs, op_read_zero, teardown_devs, 1 },
	{ "write_devnull", setup_devs, op_write_null, teardown_devs, 1 },
	{ "read_devkmsg", setup_kmsg, op_read_kmsg, teardown_kmsg, 1 },
	{ "pread", setup_file, op_pread, teardown_file, 1 },
	{ "writev", setup_devs, op_writev, teardown_devs, 1 },
	{ "open_close", setup_file, op_open_close, teardown_file, 1 },
	{ "stat", setup_file, op_stat, teardown_file, 1 },
	{ "fstat", setup_file, op_fstat, teardown_file, 1 },
	{ "lseek", setup_file, op_lseek, teardown_file, 1 },
	{ "getdents64", setup_dir, op_getdents64, teardown_dir, 1 },
	{ "dup_close", setup_file, op_dup_close, teardown_file, 1 },
	{ "fcntl", setup_file, op_fcntl, teardown_file, 1 },
	{ "pipe_pingpong", setup_pipe, op_pipe_pingpong, teardown_pipe, 1 },
	{ "sched_yield", setup_yield, op_sched_yield, teardown_yield, 1 },
	{ "signal", setup_signal, op_signal, teardown_signal, 1 },
	{ "sigprocmask", NULL, op_sigprocmask, NULL, 1 },
	{ "mmap_munmap", NULL, op_mmap_munmap, NULL, 1 },
	{ "page_fault", NULL, op_page_fault, NULL, FAULT_PAGES },
	{ "fault_anon_16m", NULL, op_fault_anon, NULL, BIG_MAP / PAGE },
	{ "fault_munmap_16m", NULL, op_fault_munmap, NULL, BIG_MAP / PAGE },
	{ "fault_cow_4m", setup_cow, op_fault_cow, teardown_cow,
	  COW_MAP / PAGE },
	{ "fault_tmpfs_4m", setup_map_file, op_fault_file, teardown_map_file,
	  FILE_MAP / PAGE },
	{ "mprotect", setup_page, op_mprotect, teardown_page, 1 },
	{ "brk", NULL, op_brk, NULL, 1 },
	{ "fork_exit_wait", NULL, op_fork, NULL, 1 },
	{ "fork_exec_wait", NULL, op_fork_exec, NULL, 1 },
	{ "read_64k", setup_big_read, op_read_64k, teardown_big, 1 },
	{ "write_1m_fsync", setup_big_write, op_write_1m_fsync, teardown_big, 1 },
};

/* Run one benchmark: 0, or the errno of a failing setup or call. */
static int run(const struct bench *b)
{
	int err;

	if (b->setup && b->setup() < 0)
		return errno;
	/* Warm-up: fault in code and data, fill caches. */
	err = bench_time(b->name, b->op, 4, b->units);
	if (b->teardown)
		b->teardown();
	return err;
}

int main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : "";
	size_t i;
	int err;

	if (bench_budget("bench_micro"))
		return 2;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < sizeof(benches) / sizeof(benches[0]); i++) {
		if (!strstr(benches[i].name, filter))
			continue;
		err = run(&benches[i]);
		if (err)
			printf("BENCH-ERROR %s %d\n", benches[i].name, err);
	}
	return 0;
}
