/* abi_timens.c - time namespaces as Linux 6.1: /proc/PID/ns/time and time_for_children, unshare(CLONE_NEWTIME), /proc/PID/timens_offsets (format, parsing, EINVAL, ERANGE, EPERM, EACCES once entered), the offsets in clock_gettime through the vDSO and the system call, absolute clock_nanosleep, timer_settime and timerfd_settime, /proc/uptime, sysinfo and /proc/PID/stat's start time, setns (EUSERS with shared memory), clone3, and EPERM without CAP_SYS_ADMIN. */
#include "check.h"
#include "ns_util.h"
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/sysinfo.h>
#include <sys/timerfd.h>

#define T "abi_timens"
#define INIT_TIME_INO 4026531834UL
#define CAP_SYS_TIME 25
#define MONO_OFF 1000
#define BOOT_OFF 2000
#define INIT_OFFSETS "monotonic           0         0\nboottime            0         0\n"

/* The whole of @path into @buf ("" on error). */
static const char *read_all(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, len - 1);

	if (fd >= 0)
		close(fd);
	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

/* Seconds of clock @clk through the vDSO (libc) or the system call. */
static long long secs(int clk, int raw)
{
	struct timespec ts = { 0, 0 };

	if (raw)
		syscall(SYS_clock_gettime, clk, &ts);
	else
		clock_gettime(clk, &ts);
	return ts.tv_sec;
}

static long long now_ms(int clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* The initial namespace: links, offsets, refusals. */
static void test_initial(void)
{
	char buf[128];
	int fd;

	CHECK_STR("/proc/self/ns/time reads time:[4026531834]",
		  link_of("/proc/self/ns/time", buf, sizeof buf), "time:[4026531834]");
	CHECK_STR("... time_for_children: the same",
		  link_of("/proc/self/ns/time_for_children", buf, sizeof buf),
		  "time:[4026531834]");
	CHECK_STR("/proc/self/timens_offsets: Linux's format, zeros",
		  read_all("/proc/self/timens_offsets", buf, sizeof buf), INIT_OFFSETS);
	CHECK_ERR("writing the initial namespace's offsets: EACCES",
		  write_str("/proc/self/timens_offsets", "monotonic 1 0"), EACCES);
	fd = open("/proc/self/ns/time", O_RDONLY);
	CHECK_OK("open /proc/self/ns/time", fd);
	CHECK_EQ("NS_GET_NSTYPE: CLONE_NEWTIME", ioctl(fd, NS_GET_NSTYPE), CLONE_NEWTIME);
	CHECK_ERR("NS_GET_PARENT: EINVAL", ioctl(fd, NS_GET_PARENT), EINVAL);
	CHECK_OK("setns(fd, CLONE_NEWTIME) to its own", setns_(fd, CLONE_NEWTIME));
	CHECK_ERR("setns(fd, CLONE_NEWIPC): EINVAL", setns_(fd, CLONE_NEWIPC), EINVAL);
	close(fd);
}

/* In a grandchild, in the new namespace: every clock that moves, moved. */
static void grandchild_clocks(long long mono, long long boot, long long real)
{
	struct sysinfo si;
	char buf[512];
	unsigned long long start = 0;
	double up = 0;

	CHECK("CLOCK_MONOTONIC through the vDSO: +1000 s",
	      secs(CLOCK_MONOTONIC, 0) - mono >= MONO_OFF &&
	      secs(CLOCK_MONOTONIC, 0) - mono < MONO_OFF + 30);
	CHECK("... through the system call", secs(CLOCK_MONOTONIC, 1) - mono >= MONO_OFF &&
	      secs(CLOCK_MONOTONIC, 1) - mono < MONO_OFF + 30);
	CHECK("CLOCK_MONOTONIC_COARSE: +1000 s", secs(CLOCK_MONOTONIC_COARSE, 0) - mono >=
	      MONO_OFF - 1 && secs(CLOCK_MONOTONIC_COARSE, 0) - mono < MONO_OFF + 30);
	CHECK("CLOCK_MONOTONIC_RAW: +1000 s", secs(CLOCK_MONOTONIC_RAW, 0) - mono >= MONO_OFF &&
	      secs(CLOCK_MONOTONIC_RAW, 0) - mono < MONO_OFF + 30);
	CHECK("CLOCK_BOOTTIME: +2000 s", secs(CLOCK_BOOTTIME, 0) - boot >= BOOT_OFF &&
	      secs(CLOCK_BOOTTIME, 0) - boot < BOOT_OFF + 30);
	CHECK("CLOCK_BOOTTIME_ALARM: +2000 s", secs(CLOCK_BOOTTIME_ALARM, 1) - boot >= BOOT_OFF);
	CHECK("CLOCK_REALTIME: unmoved", secs(CLOCK_REALTIME, 0) - real < 30);
	sscanf(read_all("/proc/uptime", buf, sizeof buf), "%lf", &up);
	CHECK("/proc/uptime: boottime's", up >= boot + BOOT_OFF && up < boot + BOOT_OFF + 30);
	sscanf(read_all("/proc/self/stat", buf, sizeof buf),
	       "%*d %*s %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d"
	       " %*d %*d %*d %*d %llu", &start);
	CHECK("/proc/self/stat start time: on the namespace's boot clock",
	      (long long)(start / sysconf(_SC_CLK_TCK)) >= boot + BOOT_OFF &&
	      (long long)(start / sysconf(_SC_CLK_TCK)) < boot + BOOT_OFF + 30);
	CHECK_OK("sysinfo", sysinfo(&si));
	CHECK("... uptime: boottime's", (long long)si.uptime >= boot + BOOT_OFF &&
	      (long long)si.uptime < boot + BOOT_OFF + 30);
}

/* Absolute timers in the namespace are on its clock. */
static void grandchild_timers(void)
{
	struct timespec ts;
	struct itimerspec its = { { 0, 0 }, { 0, 0 } }, cur;
	struct sigevent sev = { .sigev_notify = SIGEV_NONE };
	long long t0;
	uint64_t n;
	timer_t tid;
	int fd;

	alarm(20);		/* an unconverted deadline is 1000 s away */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_nsec += 50000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	t0 = now_ms(CLOCK_REALTIME);
	CHECK_EQ("clock_nanosleep TIMER_ABSTIME on the namespace's clock",
		 clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL), 0);
	CHECK("... slept about 50 ms", now_ms(CLOCK_REALTIME) - t0 >= 40 &&
	      now_ms(CLOCK_REALTIME) - t0 < 5000);
	fd = timerfd_create(CLOCK_MONOTONIC, 0);
	CHECK_OK("timerfd_create(CLOCK_MONOTONIC)", fd);
	clock_gettime(CLOCK_MONOTONIC, &its.it_value);
	its.it_value.tv_sec += 1;
	t0 = now_ms(CLOCK_REALTIME);
	CHECK_OK("timerfd_settime TFD_TIMER_ABSTIME, 1 s ahead",
		 timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL));
	CHECK_EQ("... read: one expiry", read(fd, &n, sizeof n), (ssize_t)sizeof n);
	CHECK("... after about 1 s", now_ms(CLOCK_REALTIME) - t0 >= 900 &&
	      now_ms(CLOCK_REALTIME) - t0 < 5000);
	close(fd);
	CHECK_OK("timer_create(CLOCK_BOOTTIME)", timer_create(CLOCK_BOOTTIME, &sev, &tid));
	clock_gettime(CLOCK_BOOTTIME, &its.it_value);
	its.it_value.tv_sec += 10;
	CHECK_OK("timer_settime TIMER_ABSTIME, 10 s ahead",
		 timer_settime(tid, TIMER_ABSTIME, &its, NULL));
	CHECK_OK("timer_gettime", timer_gettime(tid, &cur));
	CHECK("... 10 s left", cur.it_value.tv_sec >= 9 && cur.it_value.tv_sec <= 10);
	timer_delete(tid);
	alarm(0);
}

/*
 * In a child: unshare(CLONE_NEWTIME) makes time_for_children; its
 * offsets are set; a grandchild is in it; then they are fixed.
 */
static void child_unshare(void)
{
	long long mono = secs(CLOCK_MONOTONIC, 1), boot = secs(CLOCK_BOOTTIME, 1);
	long long real = secs(CLOCK_REALTIME, 1);
	char buf[128], want[128];
	unsigned long ino;
	pid_t g;

	CHECK_OK("unshare(CLONE_NEWTIME)", syscall(SYS_unshare, CLONE_NEWTIME));
	CHECK_EQ("... the caller stays in its namespace", ns_ino("/proc/self/ns/time"),
		 INIT_TIME_INO);
	ino = ns_ino("/proc/self/ns/time_for_children");
	CHECK("... time_for_children is a new one", ino && ino != INIT_TIME_INO);
	snprintf(want, sizeof want, "time:[%lu]", ino);
	CHECK_STR("... its link names it", link_of("/proc/self/ns/time_for_children", buf,
		  sizeof buf), want);
	CHECK_STR("... its offsets: copies, zeros",
		  read_all("/proc/self/timens_offsets", buf, sizeof buf), INIT_OFFSETS);
	CHECK_ERR("an unknown clock: EINVAL",
		  write_str("/proc/self/timens_offsets", "realtime 1 0"), EINVAL);
	CHECK_ERR("nsec of a second: EINVAL",
		  write_str("/proc/self/timens_offsets", "monotonic 1 1000000000"), EINVAL);
	CHECK_ERR("a missing field: EINVAL",
		  write_str("/proc/self/timens_offsets", "monotonic 1"), EINVAL);
	CHECK_ERR("a clock before 0: ERANGE",
		  write_str("/proc/self/timens_offsets", "boottime -100000000 0"), ERANGE);
	CHECK_OK("set both offsets", write_text("/proc/self/timens_offsets",
		 "monotonic 1000 0\n7 2000 500\n"));
	CHECK_STR("... read back, boottime by its number",
		  read_all("/proc/self/timens_offsets", buf, sizeof buf),
		  "monotonic        1000         0\nboottime         2000       500\n");
	CHECK("the caller's own clock unmoved", secs(CLOCK_MONOTONIC, 0) - mono < 30);
	g = fork();
	if (g == 0) {
		check_fails = 0;
		CHECK_EQ("the child is in it", ns_ino("/proc/self/ns/time"), ino);
		grandchild_clocks(mono, boot, real);
		grandchild_timers();
		_exit(check_fails ? 1 : 0);
	}
	CHECK_EQ("a child forked after it, in it, saw its clocks", reap(g), 0);
	CHECK_ERR("offsets once a task entered: EACCES",
		  write_str("/proc/self/timens_offsets", "monotonic 5 0"), EACCES);
}

/* setns: into the namespace of another, not with shared memory. */
static void child_setns(void)
{
	int up[2], down[2], fd;
	volatile int err = 0;
	char path[64], x;
	pid_t c, v;

	if (pipe(up) || pipe(down))
		return;
	c = fork();
	if (c == 0) {
		if (syscall(SYS_unshare, CLONE_NEWTIME) ||
		    write_text("/proc/self/timens_offsets", "monotonic 3000 0"))
			_exit(1);
		write(up[1], "x", 1);
		read(down[0], &x, 1);
		_exit(0);
	}
	read(up[0], &x, 1);
	snprintf(path, sizeof path, "/proc/%d/ns/time_for_children", c);
	fd = open(path, O_RDONLY);
	CHECK_OK("open another's time_for_children", fd);
	v = vfork();
	if (v == 0) {
		err = setns_(fd, CLONE_NEWTIME) ? errno : 0;
		_exit(0);
	}
	reap(v);
	CHECK_EQ("setns from a vfork child (shared memory): EUSERS", err, EUSERS);
	long long mono = secs(CLOCK_MONOTONIC, 1);

	CHECK_OK("setns(CLONE_NEWTIME)", setns_(fd, CLONE_NEWTIME));
	CHECK_EQ("... now in it", ns_ino("/proc/self/ns/time"), ns_ino(path));
	CHECK_EQ("... and its children too", ns_ino("/proc/self/ns/time_for_children"),
		 ns_ino(path));
	CHECK("... its offset through the vDSO", secs(CLOCK_MONOTONIC, 0) - mono >= 3000);
	CHECK("... through the system call", secs(CLOCK_MONOTONIC, 1) - mono >= 3000);
	CHECK_ERR("... then its offsets are fixed: EACCES",
		  write_str("/proc/self/timens_offsets", "monotonic 5 0"), EACCES);
	write(down[1], "x", 1);
	reap(c);
	close(fd);
}

/* clone3 with CLONE_NEWTIME: the child is in a new namespace at once. */
static void test_clone3(void)
{
	struct { uint64_t flags, pidfd, child_tid, parent_tid, exit_signal,
		 stack, stack_size, tls; } args = {
		.flags = CLONE_NEWTIME, .exit_signal = SIGCHLD,
	};
	long c = syscall(SYS_clone3, &args, sizeof args);

	if (c == 0) {
		unsigned long me = ns_ino("/proc/self/ns/time");

		_exit(me && me != INIT_TIME_INO &&
		      me == ns_ino("/proc/self/ns/time_for_children") ? 0 : 1);
	}
	CHECK_OK("clone3(CLONE_NEWTIME)", c);
	CHECK_EQ("... the child is in a new namespace, its children's too",
		 reap((pid_t)c), 0);
	CHECK_EQ("... the parent's stays", ns_ino("/proc/self/ns/time_for_children"),
		 INIT_TIME_INO);
}

/* Without CAP_SYS_ADMIN, or CAP_SYS_TIME for the offsets: EPERM. */
static void child_no_caps(void)
{
	CHECK_OK("unshare(CLONE_NEWTIME)", syscall(SYS_unshare, CLONE_NEWTIME));
	CHECK_OK("drop CAP_SYS_TIME", drop_cap(CAP_SYS_TIME));
	CHECK_ERR("writing offsets without CAP_SYS_TIME: EPERM",
		  write_str("/proc/self/timens_offsets", "monotonic 1 0"), EPERM);
	CHECK_OK("drop CAP_SYS_ADMIN", drop_cap(CAP_SYS_ADMIN));
	CHECK_ERR("unshare(CLONE_NEWTIME) without CAP_SYS_ADMIN: EPERM",
		  syscall(SYS_unshare, CLONE_NEWTIME), EPERM);
}

int main(void)
{
	TEST_BEGIN(T);
	test_initial();
	in_child(child_unshare);
	in_child(child_setns);
	test_clone3();
	in_child(child_no_caps);
	return TEST_END();
}
