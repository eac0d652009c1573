/*
 * abi_sched: scheduling policies and parameters (sched_setscheduler,
 * sched_setparam, sched_getparam, sched_getscheduler, sched_setattr,
 * sched_getattr, sched_rr_get_interval) and I/O priorities (ioprio_set,
 * ioprio_get), with the values and errors Linux 6.1 gives. musl does not
 * wrap the sched_* calls, so they are made raw.
 */
#include "check.h"
#include <sched.h>
#include <stdint.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/resource.h>

#define RESET_ON_FORK	0x40000000
#define RR_KNOB		"/proc/sys/kernel/sched_rr_timeslice_ms"

struct attr {
	uint32_t size, policy;
	uint64_t flags;
	int32_t nice;
	uint32_t prio;
	uint64_t runtime, deadline, period;
	uint32_t umin, umax;
};

static long setsched(pid_t pid, long policy, int prio)
{
	struct sched_param sp = { .sched_priority = prio };

	return syscall(SYS_sched_setscheduler, pid, policy, &sp);
}

static int getprio(void)
{
	struct sched_param sp = { .sched_priority = -1 };

	syscall(SYS_sched_getparam, 0, &sp);
	return sp.sched_priority;
}

static long rr_ns(void)
{
	struct timespec ts = { -1, -1 };

	if (syscall(SYS_sched_rr_get_interval, 0, &ts))
		return -1;
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static void test_policies(void)
{
	struct sched_param sp = { 0 };

	CHECK_EQ("a task starts as SCHED_OTHER", syscall(SYS_sched_getscheduler, 0), SCHED_OTHER);
	CHECK_EQ("with priority 0", getprio(), 0);
	CHECK_ERR("SCHED_OTHER with a priority: EINVAL", setsched(0, SCHED_OTHER, 5), EINVAL);
	CHECK_ERR("SCHED_FIFO with priority 0: EINVAL", setsched(0, SCHED_FIFO, 0), EINVAL);
	CHECK_ERR("SCHED_RR with priority 100: EINVAL", setsched(0, SCHED_RR, 100), EINVAL);
	CHECK_OK("SCHED_RR 10", setsched(0, SCHED_RR, 10));
	CHECK_EQ("getscheduler says SCHED_RR", syscall(SYS_sched_getscheduler, 0), SCHED_RR);
	CHECK_EQ("getparam says 10", getprio(), 10);
	CHECK_EQ("RR's interval is 100 ms", rr_ns(), 100000000L);
	sp.sched_priority = 20;
	CHECK_OK("setparam keeps the policy", syscall(SYS_sched_setparam, 0, &sp));
	CHECK_EQ("and sets the priority", getprio(), 20);
	sp.sched_priority = 0;
	CHECK_ERR("setparam 0 under SCHED_RR: EINVAL", syscall(SYS_sched_setparam, 0, &sp), EINVAL);
	CHECK_ERR("an unknown policy: EINVAL", setsched(0, 7, 0), EINVAL);
	CHECK_ERR("a negative pid: EINVAL", setsched(-1, SCHED_OTHER, 0), EINVAL);
	CHECK_ERR("no param: EINVAL", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, NULL), EINVAL);
	CHECK_ERR("a bad param pointer: EFAULT", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, BAD_LOW), EFAULT);
	CHECK_ERR("no such pid: ESRCH", setsched(99999, SCHED_OTHER, 0), ESRCH);
	CHECK_ERR("getparam of no such pid: ESRCH", syscall(SYS_sched_getparam, 99999, &sp), ESRCH);
	CHECK_ERR("getparam without a param: EINVAL", syscall(SYS_sched_getparam, 0, NULL), EINVAL);
	CHECK_ERR("getscheduler of a negative pid: EINVAL", syscall(SYS_sched_getscheduler, -1), EINVAL);
	CHECK_OK("SCHED_BATCH with reset-on-fork", setsched(0, SCHED_BATCH | RESET_ON_FORK, 0));
	CHECK_EQ("getscheduler shows the flag", syscall(SYS_sched_getscheduler, 0), SCHED_BATCH | RESET_ON_FORK);
	CHECK("a fair policy has an interval (0 under load on Linux)", rr_ns() >= 0);
	CHECK_OK("SCHED_FIFO 1 with reset-on-fork", setsched(0, SCHED_FIFO | RESET_ON_FORK, 1));
	CHECK_EQ("FIFO has no interval", rr_ns(), 0);

	pid_t c = fork();

	if (c == 0)
		_exit(syscall(SYS_sched_getscheduler, 0) == SCHED_OTHER && getprio() == 0 ? 0 : 1);
	int st = -1;

	waitpid(c, &st, 0);
	CHECK("a reset-on-fork child starts as SCHED_OTHER", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK_OK("SCHED_FIFO 3 without the flag", setsched(0, SCHED_FIFO, 3));
	c = fork();
	if (c == 0)
		_exit(syscall(SYS_sched_getscheduler, 0) == SCHED_FIFO && getprio() == 3 ? 0 : 1);
	waitpid(c, &st, 0);
	CHECK("otherwise a child inherits the policy", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK_OK("SCHED_IDLE", setsched(0, SCHED_IDLE, 0));
	CHECK_EQ("is reported", syscall(SYS_sched_getscheduler, 0), SCHED_IDLE);
	CHECK_ERR("SCHED_DEADLINE through setscheduler: EINVAL", setsched(0, 6, 0), EINVAL);
	CHECK_OK("back to SCHED_OTHER", setsched(0, SCHED_OTHER, 0));
}

/* kernel.sched_rr_timeslice_ms: SCHED_RR's slice, as written. */
static void test_rr_timeslice(void)
{
	char buf[32] = "";

	CHECK_OK("SCHED_RR 10", setsched(0, SCHED_RR, 10));
	CHECK(RR_KNOB " reads", slurp(RR_KNOB, buf, sizeof buf) > 0);
	CHECK_STR("its default is 100", buf, "100\n");
	CHECK_OK("20 is taken", write_text(RR_KNOB, "20"));
	slurp(RR_KNOB, buf, sizeof buf);
	CHECK_STR("and read back", buf, "20\n");
	CHECK_EQ("RR's interval is then 20 ms", rr_ns(), 20000000L);
	CHECK_ERR("a word: EINVAL", write_str(RR_KNOB, "ms"), EINVAL);
	CHECK_OK("0 is taken", write_text(RR_KNOB, "0"));
	CHECK_EQ("and restores the 100 ms interval", rr_ns(), 100000000L);
	slurp(RR_KNOB, buf, sizeof buf);
	CHECK_STR("which is read back", buf, "100\n");
	CHECK_OK("40", write_text(RR_KNOB, "40"));
	CHECK_EQ("is 40 ms", rr_ns(), 40000000L);
	CHECK_OK("-5 is taken", write_text(RR_KNOB, "-5"));
	slurp(RR_KNOB, buf, sizeof buf);
	CHECK_STR("and reads back as the default", buf, "100\n");
	CHECK_EQ("the interval is 100 ms again", rr_ns(), 100000000L);
	CHECK_OK("back to SCHED_OTHER", setsched(0, SCHED_OTHER, 0));
}

/* An unprivileged user's limits: RLIMIT_RTPRIO, RLIMIT_NICE, the owner. */
static int unprivileged(void *arg)
{
	struct rlimit rl = { 0, 0 }, up = { 10, 10 };

	(void)arg;
	check_fails = 0;
	setrlimit(RLIMIT_RTPRIO, &rl);
	if (setresuid(65534, 65534, 65534))
		return 2;
	CHECK_ERR("no RLIMIT_RTPRIO: SCHED_FIFO is EPERM", setsched(0, SCHED_FIFO, 1), EPERM);
	CHECK_ERR("SCHED_RR too", setsched(0, SCHED_RR, 1), EPERM);
	CHECK_ERR("and the limit cannot be raised", setrlimit(RLIMIT_RTPRIO, &up), EPERM);
	CHECK_OK("SCHED_BATCH needs nothing", setsched(0, SCHED_BATCH, 0));
	return check_fails;
}

static int unprivileged_rtprio(void *arg)
{
	struct rlimit rl = { 10, 10 };
	struct sched_param sp = { 0 }, zero = { 0 };
	pid_t parent = *(pid_t *)arg;

	check_fails = 0;
	setrlimit(RLIMIT_RTPRIO, &rl);
	if (setresuid(65534, 65534, 65534))
		return 2;
	CHECK_OK("RLIMIT_RTPRIO 10: SCHED_FIFO 5", setsched(0, SCHED_FIFO, 5));
	CHECK_EQ("is set", syscall(SYS_sched_getscheduler, 0), SCHED_FIFO);
	sp.sched_priority = 10;
	CHECK_OK("priority 10 is within the limit", syscall(SYS_sched_setparam, 0, &sp));
	sp.sched_priority = 11;
	CHECK_ERR("11 is not: EPERM", syscall(SYS_sched_setparam, 0, &sp), EPERM);
	sp.sched_priority = 3;
	CHECK_OK("lowering it is allowed", syscall(SYS_sched_setparam, 0, &sp));
	CHECK_OK("so is SCHED_RR 3", setsched(0, SCHED_RR, 3));
	CHECK_ERR("another user's task: EPERM", setsched(parent, SCHED_FIFO, 1), EPERM);
	CHECK_ERR("its param with priority 3: EINVAL first", syscall(SYS_sched_setparam, parent, &sp), EINVAL);
	CHECK_ERR("with priority 0: EPERM", syscall(SYS_sched_setparam, parent, &zero), EPERM);
	CHECK_EQ("getscheduler of another user's task is allowed", syscall(SYS_sched_getscheduler, parent), SCHED_OTHER);
	CHECK_OK("SCHED_FIFO 2 with reset-on-fork", setsched(0, SCHED_FIFO | RESET_ON_FORK, 2));
	CHECK_ERR("dropping the flag: EPERM", setsched(0, SCHED_FIFO, 2), EPERM);
	CHECK_OK("setparam keeps it", syscall(SYS_sched_setparam, 0, &sp));
	CHECK_EQ("still shown", syscall(SYS_sched_getscheduler, 0), SCHED_FIFO | RESET_ON_FORK);
	CHECK_OK("SCHED_IDLE with the flag", setsched(0, SCHED_IDLE | RESET_ON_FORK, 0));
	CHECK_ERR("leaving SCHED_IDLE needs RLIMIT_NICE: EPERM", setsched(0, SCHED_OTHER | RESET_ON_FORK, 0), EPERM);
	CHECK_OK("SCHED_IDLE again is allowed", setsched(0, SCHED_IDLE | RESET_ON_FORK, 0));
	return check_fails;
}

static void test_permissions(void)
{
	pid_t self = getpid();
	int st;

	st = run_child(unprivileged, &self);
	CHECK("unprivileged without RLIMIT_RTPRIO", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	st = run_child(unprivileged_rtprio, &self);
	CHECK("unprivileged with RLIMIT_RTPRIO 10", WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/*
 * Whether a child forked by a task of @policy and priority 10 runs while
 * the parent spins for @spin_ms on CPU 0, both pinned there.
 */
static int child_ran_during_spin(long policy, long spin_ms)
{
	volatile int *ran = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long long end;
	int seen, st;
	pid_t c;

	if (ran == MAP_FAILED || setsched(0, policy, 10))
		return -1;
	*ran = 0;
	c = fork();
	if (c == 0) {
		*ran = 1;
		_exit(0);
	}
	end = now_ns() + spin_ms * 1000000LL;
	while (now_ns() < end && !*ran)
		;
	seen = *ran;
	setsched(0, SCHED_OTHER, 0);
	waitpid(c, &st, 0);
	munmap((void *)ran, 4096);
	return seen;
}

/* Real-time tasks run first on their CPU; SCHED_RR shares with equals. */
static void test_rt_order(void)
{
	unsigned long cpu0 = 1, all = ~0UL;
	struct timespec pause = { 0, 200000000 };

	CHECK_OK("pinned to CPU 0", syscall(SYS_sched_setaffinity, 0, sizeof cpu0, &cpu0));
	CHECK_EQ("a SCHED_OTHER child waits for its SCHED_FIFO parent",
		 child_ran_during_spin(SCHED_FIFO | RESET_ON_FORK, 150), 0);
	nanosleep(&pause, NULL);
	CHECK_EQ("a SCHED_FIFO child of equal priority waits too",
		 child_ran_during_spin(SCHED_FIFO, 150), 0);
	nanosleep(&pause, NULL);
	CHECK_EQ("a SCHED_RR child runs once its parent's slice is over",
		 child_ran_during_spin(SCHED_RR, 400), 1);
	syscall(SYS_sched_setaffinity, 0, sizeof all, &all);
}

static void test_attr(void)
{
	struct attr a;

	memset(&a, 0, sizeof a);
	CHECK_OK("sched_getattr", syscall(SYS_sched_getattr, 0, &a, sizeof a, 0));
	CHECK_EQ("its size is 56", a.size, 56);
	CHECK_EQ("its policy SCHED_OTHER", a.policy, SCHED_OTHER);
	CHECK_ERR("getattr with a size below 48: EINVAL", syscall(SYS_sched_getattr, 0, &a, 20, 0), EINVAL);
	CHECK_ERR("getattr with flags: EINVAL", syscall(SYS_sched_getattr, 0, &a, sizeof a, 1), EINVAL);
	memset(&a, 0, sizeof a);
	a.size = 48;
	a.nice = 5;
	CHECK_OK("setattr sets the nice value", syscall(SYS_sched_setattr, 0, &a, 0));
	CHECK_EQ("as getpriority sees", getpriority(0, 0), 5);
	a.size = 20;
	CHECK_ERR("setattr with a size below 48: E2BIG", syscall(SYS_sched_setattr, 0, &a, 0), E2BIG);
	CHECK_EQ("and the kernel's size written back", a.size, 56);
	a.size = 48;
	CHECK_ERR("setattr with flags: EINVAL", syscall(SYS_sched_setattr, 0, &a, 1), EINVAL);
	a.flags = 0x100;
	CHECK_ERR("an unknown sched_flags bit: EINVAL", syscall(SYS_sched_setattr, 0, &a, 0), EINVAL);
	a.flags = 0;
	a.policy = 6;
	a.runtime = 10000000;
	a.deadline = 30000000;
	a.period = 30000000;
	CHECK_OK("SCHED_DEADLINE with valid parameters", syscall(SYS_sched_setattr, 0, &a, 0));
	CHECK_EQ("is reported", syscall(SYS_sched_getscheduler, 0), 6);
	a.deadline = 5000000;
	CHECK_ERR("a deadline below the runtime: EINVAL", syscall(SYS_sched_setattr, 0, &a, 0), EINVAL);
	memset(&a, 0, sizeof a);
	a.nice = 1;
	CHECK_OK("size 0 means the first version", syscall(SYS_sched_setattr, 0, &a, 0));
	CHECK_EQ("back to SCHED_OTHER, nice 1", syscall(SYS_sched_getscheduler, 0) * 100 + getpriority(0, 0), 1);
	CHECK_ERR("setattr without attr: EINVAL", syscall(SYS_sched_setattr, 0, NULL, 0), EINVAL);
	setpriority(0, 0, 0);
}

static void test_ioprio(void)
{
	CHECK_EQ("no I/O priority at first", syscall(SYS_ioprio_get, 1, 0), 0);
	CHECK_OK("best effort 3", syscall(SYS_ioprio_set, 1, 0, 2 << 13 | 3));
	CHECK_EQ("is reported", syscall(SYS_ioprio_get, 1, 0), 2 << 13 | 3);
	CHECK_ERR("class 4: EINVAL", syscall(SYS_ioprio_set, 1, 0, 4 << 13 | 3), EINVAL);
	CHECK_ERR("an unknown which: EINVAL", syscall(SYS_ioprio_get, 9, 0), EINVAL);
	CHECK_OK("idle 5", syscall(SYS_ioprio_set, 1, 0, 3 << 13 | 5));
	CHECK_EQ("is reported", syscall(SYS_ioprio_get, 1, 0), 3 << 13 | 5);
	CHECK_OK("none again", syscall(SYS_ioprio_set, 1, 0, 0));
	CHECK_EQ("is reported", syscall(SYS_ioprio_get, 1, 0), 0);
	CHECK_ERR("no such pid: ESRCH", syscall(SYS_ioprio_get, 1, 99999), ESRCH);
	CHECK_OK("real time 0 (root)", syscall(SYS_ioprio_set, 1, 0, 1 << 13));
	CHECK_EQ("the process group's best", syscall(SYS_ioprio_get, 2, 0), 1 << 13);
	CHECK_EQ("the user's best", syscall(SYS_ioprio_get, 3, 0), 1 << 13);
	pid_t c = fork();

	if (c == 0)
		_exit(syscall(SYS_ioprio_get, 1, 0) == 1 << 13 ? 0 : 1);
	int st = -1;

	waitpid(c, &st, 0);
	CHECK("a child inherits it", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	syscall(SYS_ioprio_set, 1, 0, 0);
}

/* sched_getaffinity's size rules, and what it writes. */
static void test_affinity(void)
{
	CHECK_EQ("sched_get_priority_max(SCHED_DEADLINE) is 0",
		 syscall(SYS_sched_get_priority_max, 6), 0);
	CHECK_EQ("sched_get_priority_min(SCHED_DEADLINE) is 0",
		 syscall(SYS_sched_get_priority_min, 6), 0);

	unsigned long set[16];
	long n;

	memset(set, 0xab, sizeof set);
	n = syscall(SYS_sched_getaffinity, 0, sizeof set, set);
	CHECK("sched_getaffinity returns its mask size, a multiple of 8",
	      n >= 8 && n % 8 == 0 && n < (long)sizeof set);
	CHECK("... CPU 0 is in it", n > 0 && (set[0] & 1));
	CHECK("... and the bytes after it are not written",
	      n > 0 && n < (long)sizeof set &&
	      ((unsigned char *)set)[n] == 0xab &&
	      set[15] == (unsigned long)0xabababababababab);
	CHECK_ERR("a size that is not a multiple of 8 is EINVAL",
		  syscall(SYS_sched_getaffinity, 0, 12, set), EINVAL);
	CHECK_ERR("a size below the CPUs is EINVAL",
		  syscall(SYS_sched_getaffinity, 0, 0, set), EINVAL);
	CHECK_ERR("no such pid is ESRCH",
		  syscall(SYS_sched_getaffinity, 999999, sizeof set, set), ESRCH);
	CHECK_ERR("a negative pid is ESRCH too",
		  syscall(SYS_sched_getaffinity, -1, sizeof set, set), ESRCH);
	CHECK_ERR("... after the size check",
		  syscall(SYS_sched_getaffinity, -1, 12, set), EINVAL);
	CHECK_ERR("sched_setaffinity of pid -1 is ESRCH", ({
		unsigned long one = 1;

		syscall(SYS_sched_setaffinity, -1, sizeof one, &one);
	}), ESRCH);
	CHECK_OK("a 4-byte mask is zero-extended", ({
		unsigned one = 1;

		syscall(SYS_sched_setaffinity, 0, sizeof one, &one);
	}));
	CHECK_OK("sched_setaffinity to CPU 0", ({
		unsigned long one = 1;

		syscall(SYS_sched_setaffinity, 0, sizeof one, &one);
	}));
	CHECK_ERR("a mask without an online CPU is EINVAL", ({
		unsigned long none = 0;

		syscall(SYS_sched_setaffinity, 0, sizeof none, &none);
	}), EINVAL);
}

int main(void)
{
	TEST_BEGIN("abi_sched");
	test_affinity();
	test_policies();
	test_rr_timeslice();
	test_permissions();
	test_rt_order();
	test_attr();
	test_ioprio();
	return TEST_END();
}
