/* abi_time.c - clocks and time: the vDSO, clock_gettime/getres, gettimeofday, time, nanosleep, clock_nanosleep, times, getrandom, sysinfo. */
#include "check.h"
#include <sys/auxv.h>
#include <sys/random.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <signal.h>
#include <fcntl.h>

#define T "abi_time"
#define Y2020 1577836800LL

static long long ts_ns(const struct timespec *t) { return (long long)t->tv_sec * 1000000000LL + t->tv_nsec; }

/* raw clock_gettime: musl would use the vDSO, we want the syscall */
static long raw_gettime(clockid_t c, struct timespec *t) { return syscall(SYS_clock_gettime, c, t); }

static void test_clocks(void)
{
	struct timespec a, b;
	CHECK_OK("clock_gettime MONOTONIC (syscall)", raw_gettime(CLOCK_MONOTONIC, &a));
	int mono = 1;
	long long prev = ts_ns(&a);
	for (int i = 0; i < 1000; i++) {
		raw_gettime(CLOCK_MONOTONIC, &b);
		if (ts_ns(&b) < prev)
			mono = 0;
		prev = ts_ns(&b);
	}
	CHECK("MONOTONIC never goes backwards (syscall)", mono);
	prev = now_ns();
	for (int i = 0; i < 1000; i++) {
		long long n = now_ns();
		if (n < prev)
			mono = 0;
		prev = n;
	}
	CHECK("MONOTONIC never goes backwards (libc/vDSO)", mono);
	CHECK("tv_nsec in range", a.tv_nsec >= 0 && a.tv_nsec < 1000000000L);
	raw_gettime(CLOCK_REALTIME, &a);
	CHECK("CLOCK_REALTIME after 2020", a.tv_sec > Y2020);
	/* MONOTONIC first: BOOTTIME read after it is never behind it. */
	raw_gettime(CLOCK_MONOTONIC, &a);
	CHECK_OK("CLOCK_BOOTTIME", raw_gettime(CLOCK_BOOTTIME, &b));
	CHECK("BOOTTIME >= MONOTONIC", ts_ns(&b) >= ts_ns(&a));
	CHECK_OK("CLOCK_MONOTONIC_RAW", raw_gettime(CLOCK_MONOTONIC_RAW, &b));
	CHECK_OK("CLOCK_MONOTONIC_COARSE", raw_gettime(CLOCK_MONOTONIC_COARSE, &b));
	CHECK_OK("CLOCK_REALTIME_COARSE", raw_gettime(CLOCK_REALTIME_COARSE, &b));
	CHECK_OK("CLOCK_PROCESS_CPUTIME_ID", raw_gettime(CLOCK_PROCESS_CPUTIME_ID, &a));
	volatile unsigned long spin = 0;
	for (unsigned long i = 0; i < 20000000UL; i++)
		spin += i;
	raw_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
	CHECK("process CPU time advances while spinning", ts_ns(&b) > ts_ns(&a));
	CHECK_OK("CLOCK_THREAD_CPUTIME_ID", raw_gettime(CLOCK_THREAD_CPUTIME_ID, &b));
	/* The alarm clocks read as REALTIME and BOOTTIME (an RTC is there). */
	raw_gettime(CLOCK_REALTIME, &a);
	CHECK_OK("CLOCK_REALTIME_ALARM", raw_gettime(CLOCK_REALTIME_ALARM, &b));
	CHECK("REALTIME_ALARM tracks REALTIME", ts_ns(&b) >= ts_ns(&a) &&
	      ts_ns(&b) - ts_ns(&a) < 2000000000LL);
	raw_gettime(CLOCK_BOOTTIME, &a);
	CHECK_OK("CLOCK_BOOTTIME_ALARM", raw_gettime(CLOCK_BOOTTIME_ALARM, &b));
	CHECK("BOOTTIME_ALARM tracks BOOTTIME", ts_ns(&b) >= ts_ns(&a) &&
	      ts_ns(&b) - ts_ns(&a) < 2000000000LL);
	CHECK_OK("clock_getres BOOTTIME_ALARM",
		 syscall(SYS_clock_getres, CLOCK_BOOTTIME_ALARM, &b));
	struct timespec ms = { 0, 1000000 };
	CHECK_ERR("clock_nanosleep ALARM with a flag other than ABSTIME",
		  syscall(SYS_clock_nanosleep, CLOCK_BOOTTIME_ALARM, 2, &ms, NULL), EINVAL);
	CHECK_OK("clock_nanosleep BOOTTIME_ALARM 1 ms (root)",
		 syscall(SYS_clock_nanosleep, CLOCK_BOOTTIME_ALARM, 0, &ms, NULL));
	CHECK_ERR("clock_gettime bad clock id", raw_gettime(12345, &a), EINVAL);
	CHECK_ERR("clock_gettime negative bad clock", raw_gettime(-100, &a), EINVAL);

	struct timespec res;
	CHECK_OK("clock_getres MONOTONIC", syscall(SYS_clock_getres, CLOCK_MONOTONIC, &res));
	CHECK("MONOTONIC resolution in (0, 10ms]", res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 10000000);
	CHECK_OK("clock_getres NULL res allowed", syscall(SYS_clock_getres, CLOCK_REALTIME, NULL));
	CHECK_ERR("clock_getres bad clock", syscall(SYS_clock_getres, 12345, &res), EINVAL);

	struct timeval tv;
	CHECK_OK("gettimeofday (syscall)", syscall(SYS_gettimeofday, &tv, NULL));
	raw_gettime(CLOCK_REALTIME, &a);
	CHECK("gettimeofday close to CLOCK_REALTIME", llabs((long long)tv.tv_sec - a.tv_sec) <= 2);
	CHECK("tv_usec in range", tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	CHECK_OK("gettimeofday NULL tv allowed", syscall(SYS_gettimeofday, NULL, NULL));
	time_t t1 = 0;
	long t0 = syscall(SYS_time, &t1);
	CHECK("time() returns and stores seconds", t0 == t1 && t0 > Y2020);
	CHECK("time(NULL)", syscall(SYS_time, NULL) >= t0);
}

static void test_sleep(void)
{
	struct timespec req = { 0, 50000000 }, rem = { 9, 9 };
	long long t0 = now_ns();
	CHECK_OK("nanosleep 50ms", nanosleep(&req, &rem));
	long long dt = now_ns() - t0;
	CHECK("nanosleep slept >= 50ms", dt >= 50000000LL);
	CHECK("nanosleep slept < 2s", dt < 2000000000LL);
	struct timespec bad = { 0, 1000000000 };
	CHECK_ERR("nanosleep nsec 1e9", syscall(SYS_nanosleep, &bad, NULL), EINVAL);
	struct timespec neg = { -1, 0 };
	CHECK_ERR("nanosleep negative", syscall(SYS_nanosleep, &neg, NULL), EINVAL);
	struct timespec z = { 0, 0 };
	CHECK_OK("nanosleep zero", nanosleep(&z, NULL));

	t0 = now_ns();
	req.tv_nsec = 30000000;
	CHECK_EQ("clock_nanosleep relative", clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL), 0);
	CHECK("clock_nanosleep relative >= 30ms", now_ns() - t0 >= 30000000LL);
	struct timespec abs;
	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 40000000;
	if (abs.tv_nsec >= 1000000000L) { abs.tv_sec++; abs.tv_nsec -= 1000000000L; }
	CHECK_EQ("clock_nanosleep TIMER_ABSTIME", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL), 0);
	struct timespec after;
	clock_gettime(CLOCK_MONOTONIC, &after);
	CHECK("woke at or after absolute deadline", ts_ns(&after) >= ts_ns(&abs));
	CHECK_EQ("clock_nanosleep past deadline returns at once",
		 clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &z, NULL), 0);
	/* clock_nanosleep returns the error number instead of setting errno */
	CHECK_EQ("clock_nanosleep bad clock", clock_nanosleep(12345, 0, &req, NULL), EINVAL);
	/* no nsleep for per-thread CPU clocks: the syscall says EOPNOTSUPP (musl maps it to EINVAL) */
	CHECK_ERR("clock_nanosleep THREAD_CPUTIME_ID unsupported", syscall(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, &req, NULL), EOPNOTSUPP);
	CHECK_ERR("clock_nanosleep bad nsec (syscall)", syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &bad, NULL), EINVAL);
}

static volatile sig_atomic_t cpu_timer_fired;
static void on_cpu_timer(int sig) { cpu_timer_fired = sig; }

/* ITIMER_VIRTUAL and ITIMER_PROF count CPU time: a busy loop gets the
 * signal, and getitimer shows a running timer. */
static void test_cpu_itimers(void)
{
	static const struct { int which, sig; const char *name; } t[] = {
		{ ITIMER_VIRTUAL, SIGVTALRM, "ITIMER_VIRTUAL" },
		{ ITIMER_PROF, SIGPROF, "ITIMER_PROF" },
	};

	for (int i = 0; i < 2; i++) {
		struct itimerval v = { { 0, 0 }, { 0, 30000 } }, cur;
		char what[64];

		signal(t[i].sig, on_cpu_timer);
		cpu_timer_fired = 0;
		snprintf(what, sizeof what, "setitimer %s", t[i].name);
		CHECK_OK(what, setitimer(t[i].which, &v, NULL));
		snprintf(what, sizeof what, "getitimer %s is armed", t[i].name);
		CHECK(what, getitimer(t[i].which, &cur) == 0 &&
		      (cur.it_value.tv_sec || cur.it_value.tv_usec));
		struct timespec a, b;

		clock_gettime(CLOCK_MONOTONIC, &a);
		do {
			clock_gettime(CLOCK_MONOTONIC, &b);
		} while (!cpu_timer_fired && b.tv_sec - a.tv_sec < 3);
		snprintf(what, sizeof what, "%s delivers its signal to a busy loop",
			 t[i].name);
		CHECK(what, cpu_timer_fired == t[i].sig);
	}
	CHECK_ERR("setitimer bad which", setitimer(7, NULL, NULL), EINVAL);
}

static void test_misc(void)
{
	struct tms tm;
	errno = 0;
	clock_t c = times(&tm);
	CHECK("times succeeds", c != (clock_t)-1 && errno == 0);
	CHECK("times utime+stime >= 0", tm.tms_utime >= 0 && tm.tms_stime >= 0);
	CHECK_OK("times NULL buffer allowed", syscall(SYS_times, NULL));
	CHECK_EQ("CLK_TCK is 100", sysconf(_SC_CLK_TCK), 100);

	unsigned char a[32], b[32];
	memset(a, 0, sizeof a);
	memset(b, 0, sizeof b);
	CHECK_EQ("getrandom 32 bytes", getrandom(a, sizeof a, 0), 32);
	CHECK_EQ("getrandom GRND_NONBLOCK", getrandom(b, sizeof b, GRND_NONBLOCK), 32);
	int nz = 0;
	for (int i = 0; i < 32; i++)
		nz |= a[i];
	CHECK("getrandom output not all zero", nz != 0);
	CHECK("two getrandom calls differ", memcmp(a, b, sizeof a) != 0);
	CHECK_EQ("getrandom 0 bytes", getrandom(a, 0, 0), 0);
	CHECK_ERR("getrandom bad flags", syscall(SYS_getrandom, a, 8, 0x100), EINVAL);

	struct sysinfo si;
	CHECK_OK("sysinfo", sysinfo(&si));
	CHECK("sysinfo uptime > 0", si.uptime > 0);
	CHECK("sysinfo totalram > freeram > 0", si.totalram > 0 && si.freeram > 0 && si.freeram <= si.totalram);
	CHECK("sysinfo mem_unit >= 1", si.mem_unit >= 1);
	CHECK("sysinfo procs >= 1", si.procs >= 1);
	struct timespec bt;
	clock_gettime(CLOCK_BOOTTIME, &bt);
	CHECK("sysinfo uptime matches BOOTTIME", llabs((long long)si.uptime - bt.tv_sec) <= 2);
}

/* The vDSO: given in the auxv, mapped, and agreeing with the syscalls. */
static void test_vdso(void)
{
	unsigned long ehdr = getauxval(AT_SYSINFO_EHDR);
	CHECK("AT_SYSINFO_EHDR given", ehdr != 0);
	if (ehdr)
		CHECK("AT_SYSINFO_EHDR points at an ELF header", !memcmp((const void *)ehdr, "\x7f" "ELF", 4));

	struct timespec a, b, c;
	int agree = 1;
	for (int i = 0; i < 100; i++) {
		raw_gettime(CLOCK_MONOTONIC, &a);
		clock_gettime(CLOCK_MONOTONIC, &b);
		raw_gettime(CLOCK_MONOTONIC, &c);
		if (ts_ns(&b) < ts_ns(&a) - 2000000 || ts_ns(&b) > ts_ns(&c) + 2000000)
			agree = 0;
	}
	CHECK("libc and syscall MONOTONIC agree within 2 ms", agree);
	raw_gettime(CLOCK_REALTIME, &a);
	clock_gettime(CLOCK_REALTIME, &b);
	raw_gettime(CLOCK_REALTIME, &c);
	CHECK("libc and syscall REALTIME agree within 2 ms",
	      ts_ns(&b) >= ts_ns(&a) - 2000000 && ts_ns(&b) <= ts_ns(&c) + 2000000);
	struct timeval tv;
	CHECK_OK("gettimeofday (libc)", gettimeofday(&tv, NULL));
	raw_gettime(CLOCK_REALTIME, &c);
	CHECK("gettimeofday agrees with REALTIME",
	      tv.tv_sec * 1000000000LL + tv.tv_usec * 1000LL >= ts_ns(&a) - 2000000 &&
	      tv.tv_sec * 1000000000LL + tv.tv_usec * 1000LL <= ts_ns(&c) + 2000000);
	time_t t = time(NULL);
	raw_gettime(CLOCK_REALTIME, &c);
	CHECK("time() agrees with REALTIME", t >= a.tv_sec && t <= c.tv_sec);
	CHECK_ERR("libc clock_gettime bad clock", clock_gettime(12345, &a), EINVAL);

	char maps[8192];
	int fd = open("/proc/self/maps", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, maps, sizeof maps - 1);
	if (fd >= 0)
		close(fd);
	maps[n > 0 ? n : 0] = 0;
	CHECK("/proc/self/maps shows [vdso]", strstr(maps, "[vdso]") != NULL);
	CHECK("/proc/self/maps shows [vvar]", strstr(maps, "[vvar]") != NULL);
}

/* The dynamic CPU clocks: ~pid << 3 | per-thread 4 | PROF 0, VIRT 1, SCHED 2. */
static clockid_t cpu_clock(pid_t pid, int thread, int which)
{
	return (clockid_t)((~(unsigned)pid << 3) | (thread ? 4 : 0) | which);
}

static void test_dynamic_cpu_clocks(void)
{
	struct timespec ts;
	clockid_t c;
	pid_t child;
	volatile unsigned long spin = 0;

	while (spin < 20000000UL)
		spin++;
	CHECK_OK("clock_gettime: own thread's SCHED clock",
		 clock_gettime(cpu_clock(gettid(), 1, 2), &ts));
	CHECK("... some CPU time", ts.tv_sec > 0 || ts.tv_nsec > 0);
	CHECK_OK("clock_gettime: own process's PROF clock",
		 clock_gettime(cpu_clock(getpid(), 0, 0), &ts));
	CHECK_OK("clock_gettime: own process's VIRT clock",
		 clock_gettime(cpu_clock(getpid(), 0, 1), &ts));
	CHECK_OK("clock_gettime: pid 0 means the caller",
		 clock_gettime(cpu_clock(0, 1, 2), &ts));
	CHECK_OK("clock_getcpuclockid(1): another process's clock",
		 clock_getcpuclockid(1, &c));
	CHECK_OK("... can be read", clock_gettime(c, &ts));
	CHECK_ERR("a thread clock of another process is EINVAL",
		  clock_gettime(cpu_clock(1, 1, 2), &ts), EINVAL);
	CHECK_ERR("a clock of no process is EINVAL",
		  clock_gettime(cpu_clock(999999, 0, 2), &ts), EINVAL);
	CHECK_ERR("clock kind 3 is EINVAL",
		  clock_gettime(cpu_clock(getpid(), 0, 3), &ts), EINVAL);
	CHECK_ERR("clock_settime of a CPU clock is EPERM",
		  clock_settime(cpu_clock(getpid(), 0, 2), &ts), EPERM);
	child = fork();
	if (child == 0) {
		pause();
		_exit(0);
	}
	CHECK_OK("a child's process clock", clock_gettime(cpu_clock(child, 0,
							2), &ts));
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
}

int main(void)
{
	TEST_BEGIN(T);
	test_dynamic_cpu_clocks();
	test_vdso();
	test_clocks();
	test_sleep();
	test_misc();
	test_cpu_itimers();
	return TEST_END();
}
