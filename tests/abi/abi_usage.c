/* abi_usage.c - what a thread, a process and its children used: the CPU clocks to below a tick, getrusage (SELF, THREAD, CHILDREN), times, wait4's rusage, SIGCHLD's si_utime and /proc/<pid>/stat, each counting every thread, the exited ones too. */
#include "check.h"
#include <pthread.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/times.h>
#include <sys/wait.h>

#define T "abi_usage"
#define MS 1000000LL

static long long clock_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long tv_ns(const struct timeval *tv)
{
	return ((long long)tv->tv_sec * 1000000 + tv->tv_usec) * 1000;
}

/* ru_utime + ru_stime, in ns. */
static long long ru_cpu_ns(const struct rusage *ru)
{
	return tv_ns(&ru->ru_utime) + tv_ns(&ru->ru_stime);
}

/* Spin until @c has advanced by @ns. */
static void spin_on(clockid_t c, long long ns)
{
	long long end = clock_ns(c) + ns;

	while (clock_ns(c) < end)
		;
}

/*
 * A CPU clock measures what ran, not whole ticks: a millisecond of
 * spinning moves it by more than nothing and by less than the
 * wall-clock time it took plus a millisecond (Linux's CPU clock and
 * CLOCK_MONOTONIC run at slightly different rates), in at least three
 * tries of five (a preemption on a loaded host can spoil one; a clock
 * moving in whole ticks passes at most one).
 */
static void check_fine_clock(const char *what, clockid_t c)
{
	int good = 0;

	for (int i = 0; i < 5; i++) {
		long long c0 = clock_ns(c), w0 = clock_ns(CLOCK_MONOTONIC);

		spin_on(CLOCK_MONOTONIC, MS);
		long long c1 = clock_ns(c), w1 = clock_ns(CLOCK_MONOTONIC);
		good += c1 > c0 && c1 - c0 < w1 - w0 + MS;
	}
	CHECK(what, good >= 3);
}

static void test_fine_clocks(void)
{
	check_fine_clock("CLOCK_THREAD_CPUTIME_ID counts 1 ms of spinning, not ticks",
			 CLOCK_THREAD_CPUTIME_ID);
	check_fine_clock("CLOCK_PROCESS_CPUTIME_ID counts 1 ms of spinning, not ticks",
			 CLOCK_PROCESS_CPUTIME_ID);
}

static void *burn_100ms(void *arg)
{
	(void)arg;
	spin_on(CLOCK_THREAD_CPUTIME_ID, 100 * MS);
	return NULL;
}

/* The fields 14 and 15 of @path (utime + stime), in clock ticks, or -1. */
static long long stat_cpu_ticks(const char *path)
{
	char buf[1024], *p;
	unsigned long long ut, st;

	if (slurp(path, buf, sizeof buf) < 0 || !(p = strrchr(buf, ')')))
		return -1;
	/* after ")": state, then fields 4..13, then utime and stime */
	if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
		   &ut, &st) != 2)
		return -1;
	return (long long)(ut + st);
}

/* A joined thread's 100 ms stays its process's in every report. */
static void test_exited_thread(void)
{
	long long hz = sysconf(_SC_CLK_TCK), before, after, proc;
	struct rusage self, thread;
	char path[64];
	struct tms tm;
	pthread_t th;

	if (pthread_create(&th, NULL, burn_100ms, NULL) != 0) {
		CHECK_OK("pthread_create for the CPU burner", -1);
		return;
	}
	pthread_join(th, NULL);
	before = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	CHECK_OK("getrusage(RUSAGE_SELF)", getrusage(RUSAGE_SELF, &self));
	after = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	CHECK_OK("getrusage(RUSAGE_THREAD)", getrusage(RUSAGE_THREAD, &thread));
	CHECK("RUSAGE_SELF counts an exited thread's 100 ms",
	      ru_cpu_ns(&self) >= 100 * MS);
	CHECK("RUSAGE_SELF's user + system time is the process clock's (to 1 us)",
	      ru_cpu_ns(&self) >= before - 1000 && ru_cpu_ns(&self) <= after);
	CHECK("RUSAGE_THREAD counts the calling thread alone",
	      ru_cpu_ns(&thread) < ru_cpu_ns(&self) - 80 * MS);
	times(&tm);
	CHECK("times counts an exited thread's 100 ms",
	      (tm.tms_utime + tm.tms_stime) * 1000 / hz >= 90);
	proc = stat_cpu_ticks("/proc/self/stat");
	CHECK("/proc/self/stat counts an exited thread's 100 ms",
	      proc * 1000 / hz >= 90);
	snprintf(path, sizeof path, "/proc/self/task/%d/stat", getpid());
	long long mine = stat_cpu_ticks(path);
	CHECK("/proc/self/task/<tid>/stat counts that thread alone",
	      mine >= 0 && mine <= proc - 5 * hz / 100);
}

/* A child: a thread spins 100 ms, and it touches 64 new pages. */
static int busy_child(void *arg)
{
	char *p = mmap(NULL, 64 * 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pthread_t th;

	(void)arg;
	if (p == MAP_FAILED || pthread_create(&th, NULL, burn_100ms, NULL))
		return 1;
	pthread_join(th, NULL);
	for (int i = 0; i < 64; i++)
		p[i * 4096] = 1;
	return 0;
}

static void test_children(void)
{
	long long hz = sysconf(_SC_CLK_TCK);
	struct rusage ru, ch0, ch1;
	struct tms t0, t1;
	int st = -1;
	pid_t pid;

	getrusage(RUSAGE_CHILDREN, &ch0);
	times(&t0);
	pid = fork();
	if (pid == 0)
		_exit(busy_child(NULL));
	memset(&ru, 0, sizeof ru);
	CHECK_EQ("wait4 with a rusage", wait4(pid, &st, 0, &ru), pid);
	CHECK("the busy child exited 0", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK("wait4's rusage counts the child's exited thread",
	      ru_cpu_ns(&ru) >= 100 * MS);
	CHECK("wait4's rusage counts the child's page faults",
	      ru.ru_minflt >= 64);
	getrusage(RUSAGE_CHILDREN, &ch1);
	CHECK("RUSAGE_CHILDREN grows by the child's CPU time",
	      ru_cpu_ns(&ch1) - ru_cpu_ns(&ch0) >= 100 * MS);
	CHECK("RUSAGE_CHILDREN grows by the child's page faults",
	      ch1.ru_minflt - ch0.ru_minflt >= 64);
	times(&t1);
	CHECK("times' tms_cutime + tms_cstime grow by the child's CPU time",
	      (t1.tms_cutime + t1.tms_cstime - t0.tms_cutime - t0.tms_cstime) *
	      1000 / hz >= 90);
}

/* SIGCHLD's si_utime + si_stime: the whole child's, in clock ticks. */
static void test_sigchld_times(void)
{
	long long hz = sysconf(_SC_CLK_TCK);
	sigset_t set, old;
	siginfo_t si;
	pid_t pid;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, &old);
	pid = fork();
	if (pid == 0)
		_exit(busy_child(NULL));
	memset(&si, 0, sizeof si);
	CHECK_EQ("sigwaitinfo takes the child's SIGCHLD", sigwaitinfo(&set, &si),
		 SIGCHLD);
	CHECK("SIGCHLD's si_utime + si_stime count the child's thread",
	      si.si_pid == pid && (si.si_utime + si.si_stime) * 1000 / hz >= 80);
	waitpid(pid, NULL, 0);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* Each sleep is a voluntary switch, counted for the thread and process. */
static void test_switches(void)
{
	struct rusage s0, s1, t0, t1;

	getrusage(RUSAGE_SELF, &s0);
	getrusage(RUSAGE_THREAD, &t0);
	for (int i = 0; i < 3; i++)
		usleep(1000);
	getrusage(RUSAGE_THREAD, &t1);
	getrusage(RUSAGE_SELF, &s1);
	CHECK("RUSAGE_THREAD's ru_nvcsw counts three sleeps",
	      t1.ru_nvcsw - t0.ru_nvcsw >= 3);
	CHECK("RUSAGE_SELF's ru_nvcsw counts three sleeps",
	      s1.ru_nvcsw - s0.ru_nvcsw >= 3);
	CHECK_ERR("getrusage(RUSAGE_BOTH) is EINVAL",
		  getrusage(-2, &s1), EINVAL);
}

/* Touch @mib MiB of fresh memory, then give it back. */
static void touch_mib(int mib)
{
	size_t len = (size_t)mib << 20;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return;
	for (size_t i = 0; i < len; i += 4096)
		p[i] = 1;
	munmap(p, len);
}

/*
 * ru_maxrss: the high-water resident set of the process; of the
 * children, the largest of any reaped descendant (a grandchild's too);
 * a fresh child's children have none; wait4's is the child's.
 */
static void test_maxrss(void)
{
	struct rusage self, ru, ch;
	int st;
	pid_t pid;

	char *held = mmap(NULL, 4 << 20, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	getrusage(RUSAGE_SELF, &self);
	for (size_t i = 0; held != MAP_FAILED && i < 4 << 20; i += 4096)
		held[i] = 1;
	getrusage(RUSAGE_SELF, &ru);
	CHECK("RUSAGE_SELF maxrss counts 4 MiB touched (Linux's counters lag by up to 64 pages)",
	      ru.ru_maxrss >= self.ru_maxrss && ru.ru_maxrss >= 4096 - 256);
	if (held != MAP_FAILED)
		munmap(held, 4 << 20);
	pid = fork();
	if (pid == 0) {
		getrusage(RUSAGE_CHILDREN, &ch);
		touch_mib(8);
		_exit(ch.ru_maxrss == 0 ? 0 : 1);
	}
	memset(&ru, 0, sizeof ru);
	wait4(pid, &st, 0, &ru);
	CHECK("a new child's RUSAGE_CHILDREN maxrss is 0",
	      WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK("wait4's maxrss is the child's 8 MiB", ru.ru_maxrss >= 8192);
	getrusage(RUSAGE_CHILDREN, &ch);
	CHECK("RUSAGE_CHILDREN maxrss: the child's 8 MiB", ch.ru_maxrss >= 8192 &&
	      ch.ru_maxrss < 8192 + self.ru_maxrss + 4096);
	pid = fork();
	if (pid == 0) {
		pid_t g = fork();

		if (g == 0) {
			touch_mib(16);
			_exit(0);
		}
		waitpid(g, NULL, 0);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	getrusage(RUSAGE_CHILDREN, &ch);
	CHECK("RUSAGE_CHILDREN maxrss: a grandchild's 16 MiB", ch.ru_maxrss >= 16384);
}

int main(void)
{
	TEST_BEGIN(T);
	test_fine_clocks();
	test_exited_thread();
	test_children();
	test_maxrss();
	test_sigchld_times();
	test_switches();
	return TEST_END();
}
