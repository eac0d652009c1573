/* abi_posixtimer.c - POSIX timers: timer_create/settime/gettime/getoverrun/delete, SI_TIMER siginfo, overruns, absolute and CPU-time timers, SIGEV_NONE/THREAD_ID, fork and exec. */
#include "check.h"
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <time.h>

#define T "abi_posixtimer"
#define MS 1000000LL

#ifndef SIGEV_THREAD_ID
#define SIGEV_THREAD_ID 4
#endif

static char self[256];

/* Raw system calls: the kernel's own ids and errors, not libc's. */
static long tcreate(clockid_t clk, struct sigevent *ev, int *id)
{
	return syscall(SYS_timer_create, clk, ev, id);
}

static long tset(int id, int flags, long long value_ns, long long interval_ns,
		 struct itimerspec *old)
{
	struct itimerspec its = {
		.it_value = { value_ns / 1000000000LL, value_ns % 1000000000LL },
		.it_interval = { interval_ns / 1000000000LL,
				 interval_ns % 1000000000LL },
	};
	return syscall(SYS_timer_settime, id, flags, &its, old);
}

static long tget(int id, struct itimerspec *cur)
{
	return syscall(SYS_timer_gettime, id, cur);
}

static long long ts_ns(const struct timespec *ts)
{
	return (long long)ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

static void sleep_ns(long long ns)
{
	struct timespec ts = { ns / 1000000000LL, ns % 1000000000LL };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void block(int sig)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(SIG_BLOCK, &s, NULL);
}

/* Wait up to @ms for blocked @sig; its number or -1. */
static int wait_sig(int sig, siginfo_t *si, long ms)
{
	sigset_t s;
	struct timespec to = { ms / 1000, (ms % 1000) * MS };
	sigemptyset(&s);
	sigaddset(&s, sig);
	memset(si, 0, sizeof(*si));
	return sigtimedwait(&s, si, &to);
}

static struct sigevent sev(int notify, int signo, long value)
{
	struct sigevent ev;
	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = notify;
	ev.sigev_signo = signo;
	ev.sigev_value.sival_ptr = (void *)value;
	return ev;
}

/* Ids count from 0 per process and are not reused; NULL sigevent. */
static int ids_child(void *arg)
{
	int a = -1, b = -1, c = -1, d = -1, bad = 0;
	siginfo_t si;
	(void)arg;
	bad |= tcreate(CLOCK_MONOTONIC, NULL, &a) != 0 || a != 0;
	bad |= (tcreate(CLOCK_MONOTONIC, NULL, &b) != 0 || b != 1) << 1;
	bad |= (syscall(SYS_timer_delete, a) != 0) << 2;
	bad |= (tcreate(CLOCK_REALTIME, NULL, &c) != 0 || c != 2) << 3;
	/* a failed create still uses its id up, as Linux */
	bad |= (tcreate(CLOCK_MONOTONIC, NULL, (int *)BAD_LOW) != -1 || errno != EFAULT) << 4;
	bad |= (tcreate(CLOCK_MONOTONIC, NULL, &d) != 0 || d != 4) << 5;
	/* NULL sigevent: SIGALRM, sival_int = the id */
	block(SIGALRM);
	tset(b, 0, 10 * MS, 0, NULL);
	if (wait_sig(SIGALRM, &si, 2000) != SIGALRM || si.si_code != SI_TIMER ||
	    si.si_timerid != 1 || si.si_value.sival_int != 1 || si.si_overrun != 0)
		bad |= 1 << 6;
	return bad;
}

static void test_ids(void)
{
	int st = run_child(ids_child, NULL);
	CHECK_EQ("ids 0,1 then 2 after a delete, a failed create uses one up; NULL sigevent is SIGALRM with the id (status bits)", st, 0);
}

static volatile sig_atomic_t got_sig, got_code, got_tid, got_overrun;
static void *volatile got_ptr;

static void rt_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_sig = sig;
	got_code = si->si_code;
	got_tid = si->si_timerid;
	got_overrun = si->si_overrun;
	got_ptr = si->si_value.sival_ptr;
}

static void test_signal(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = rt_handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGRTMIN + 1, &sa, NULL);
	struct sigevent ev = sev(SIGEV_SIGNAL, SIGRTMIN + 1, 0x1234567890L);
	int id = -1;
	CHECK_OK("timer_create SIGEV_SIGNAL", tcreate(CLOCK_MONOTONIC, &ev, &id));
	long long t0 = now_ns();
	CHECK_OK("timer_settime relative 30ms", tset(id, 0, 30 * MS, 0, NULL));
	while (!got_sig && now_ns() - t0 < 3000 * MS)
		pause();
	long long el = now_ns() - t0;
	CHECK_EQ("handler got the timer's signal", got_sig, SIGRTMIN + 1);
	CHECK_EQ("si_code SI_TIMER", got_code, SI_TIMER);
	CHECK_EQ("si_timerid is the id", got_tid, id);
	CHECK_EQ("si_value is the sigevent's", (long)got_ptr, 0x1234567890L);
	CHECK_EQ("si_overrun 0", got_overrun, 0);
	CHECK("not before its time", el >= 29 * MS);
	struct itimerspec cur;
	CHECK_OK("timer_gettime after a one-shot fired", tget(id, &cur));
	CHECK("a fired one-shot reads as disarmed",
	      ts_ns(&cur.it_value) == 0 && ts_ns(&cur.it_interval) == 0);
	CHECK_EQ("timer_getoverrun 0", syscall(SYS_timer_getoverrun, id), 0);
	CHECK_OK("timer_delete", syscall(SYS_timer_delete, id));
	CHECK_ERR("timer_settime after delete EINVAL", tset(id, 0, MS, 0, NULL), EINVAL);
	CHECK_ERR("timer_gettime after delete EINVAL", tget(id, &cur), EINVAL);
	CHECK_ERR("timer_getoverrun after delete EINVAL", syscall(SYS_timer_getoverrun, id), EINVAL);
	CHECK_ERR("timer_delete twice EINVAL", syscall(SYS_timer_delete, id), EINVAL);
	signal(SIGRTMIN + 1, SIG_DFL);
}

/* A fast periodic timer with its signal blocked: one signal, overruns. */
static void test_overrun(void)
{
	struct sigevent ev = sev(SIGEV_SIGNAL, SIGUSR1, 7);
	int id = -1;
	siginfo_t si;
	struct itimerspec cur;
	block(SIGUSR1);
	tcreate(CLOCK_MONOTONIC, &ev, &id);
	long long t0 = now_ns();
	CHECK_OK("periodic 1ms timer", tset(id, 0, MS, MS, NULL));
	sleep_ns(200 * MS);
	CHECK_OK("timer_gettime with the signal pending", tget(id, &cur));
	CHECK("pending: interval 1ms, value within it",
	      ts_ns(&cur.it_interval) == MS && ts_ns(&cur.it_value) > 0 &&
	      ts_ns(&cur.it_value) <= MS);
	CHECK_EQ("one signal pending", wait_sig(SIGUSR1, &si, 0), SIGUSR1);
	long long t1 = now_ns();
	CHECK("si_overrun counts the periods missed (~199)",
	      si.si_overrun >= 150 && si.si_overrun <= (t1 - t0) / MS + 2);
	CHECK_EQ("si_value", (long)si.si_value.sival_ptr, 7);
	CHECK_EQ("timer_getoverrun matches si_overrun",
		 syscall(SYS_timer_getoverrun, id), si.si_overrun);
	/* reloaded at the dequeue: the next signal counts from there */
	sleep_ns(50 * MS);
	CHECK_EQ("next signal after the reload", wait_sig(SIGUSR1, &si, 0), SIGUSR1);
	CHECK("its overrun counts only since the reload",
	      si.si_overrun >= 30 && si.si_overrun <= (now_ns() - t1) / MS + 2);
	/* re-setting clears the last overrun */
	tset(id, 0, 0, 0, NULL);
	CHECK_EQ("disarm resets timer_getoverrun", syscall(SYS_timer_getoverrun, id), 0);
	CHECK_OK("gettime disarmed", tget(id, &cur));
	CHECK("disarmed reads zero", ts_ns(&cur.it_value) == 0 && ts_ns(&cur.it_interval) == 0);
	/* delete with the signal pending: Linux still delivers it */
	tset(id, 0, 5 * MS, 0, NULL);
	sleep_ns(50 * MS);
	CHECK_OK("timer_delete with its signal pending", syscall(SYS_timer_delete, id));
	CHECK_EQ("the pending signal survives the delete", wait_sig(SIGUSR1, &si, 0), SIGUSR1);
	CHECK_EQ("and is SI_TIMER", si.si_code, SI_TIMER);
}

/* A real-time signal would queue once per send: the timer queues one. */
static void test_one_instance(void)
{
	struct sigevent ev = sev(SIGEV_SIGNAL, SIGRTMIN + 3, 0);
	siginfo_t si;
	int id = -1, n = 0;
	block(SIGRTMIN + 3);
	tcreate(CLOCK_MONOTONIC, &ev, &id);
	tset(id, 0, MS, MS, NULL);
	sleep_ns(100 * MS);
	tset(id, 0, 0, 0, NULL);	/* disarmed; the queued signal stays */
	while (wait_sig(SIGRTMIN + 3, &si, 0) == SIGRTMIN + 3)
		n++;
	CHECK_EQ("100 expirations with the signal blocked queue one instance", n, 1);
	syscall(SYS_timer_delete, id);
}

static void test_abs_and_gettime(void)
{
	struct sigevent ev = sev(SIGEV_SIGNAL, SIGUSR2, 0);
	int id = -1;
	siginfo_t si;
	struct itimerspec cur, old;
	struct timespec now;
	block(SIGUSR2);
	CHECK_OK("timer on CLOCK_REALTIME", tcreate(CLOCK_REALTIME, &ev, &id));
	clock_gettime(CLOCK_REALTIME, &now);
	long long t0 = now_ns();
	CHECK_OK("TIMER_ABSTIME at now+60ms", tset(id, TIMER_ABSTIME, ts_ns(&now) + 60 * MS, 0, NULL));
	CHECK_OK("gettime of an absolute timer", tget(id, &cur));
	CHECK("reports the time left (<= 60ms, > 0)",
	      ts_ns(&cur.it_value) <= 60 * MS && ts_ns(&cur.it_value) > 0);
	CHECK_EQ("absolute realtime timer fires", wait_sig(SIGUSR2, &si, 3000), SIGUSR2);
	CHECK("at its time", now_ns() - t0 >= 59 * MS);
	clock_gettime(CLOCK_REALTIME, &now);
	t0 = now_ns();
	tset(id, TIMER_ABSTIME, ts_ns(&now) - 1000 * MS, 0, NULL);
	CHECK_EQ("absolute time in the past fires at once", wait_sig(SIGUSR2, &si, 3000), SIGUSR2);
	CHECK("promptly", now_ns() - t0 < 500 * MS);
	syscall(SYS_timer_delete, id);

	CHECK_OK("timer on CLOCK_MONOTONIC", tcreate(CLOCK_MONOTONIC, &ev, &id));
	clock_gettime(CLOCK_MONOTONIC, &now);
	t0 = now_ns();
	tset(id, TIMER_ABSTIME, ts_ns(&now) + 40 * MS, 0, NULL);
	CHECK_EQ("absolute monotonic timer fires", wait_sig(SIGUSR2, &si, 3000), SIGUSR2);
	CHECK("at its time", now_ns() - t0 >= 39 * MS);

	/* gettime counts down; settime's old value */
	tset(id, 0, 10000 * MS, 500 * MS, NULL);
	struct itimerspec a, b;
	tget(id, &a);
	sleep_ns(30 * MS);
	tget(id, &b);
	CHECK("timer_gettime value decreases",
	      ts_ns(&b.it_value) < ts_ns(&a.it_value) &&
	      ts_ns(&a.it_value) <= 10000 * MS && ts_ns(&a.it_value) > 9000 * MS);
	CHECK_EQ("timer_gettime interval", ts_ns(&b.it_interval), 500 * MS);
	CHECK_OK("settime with old", tset(id, 0, 0, 0, &old));
	CHECK("old value is the previous setting",
	      ts_ns(&old.it_value) <= ts_ns(&b.it_value) &&
	      ts_ns(&old.it_value) > 9000 * MS && ts_ns(&old.it_interval) == 500 * MS);
	CHECK_ERR("timer_settime old EFAULT", tset(id, 0, 1000 * MS, 0, (struct itimerspec *)BAD_LOW), EFAULT);
	tget(id, &cur);
	CHECK("the setting took effect despite EFAULT", ts_ns(&cur.it_value) > 500 * MS);
	CHECK_ERR("timer_settime NULL new EINVAL", syscall(SYS_timer_settime, id, 0, NULL, NULL), EINVAL);
	CHECK_ERR("timer_settime bad new EFAULT", syscall(SYS_timer_settime, id, 0, BAD_LOW, NULL), EFAULT);
	CHECK_ERR("timer_settime tv_nsec 1e9 EINVAL",
		  syscall(SYS_timer_settime, id, 0,
			  &(struct itimerspec){ .it_value = { 0, 1000000000L } }, NULL), EINVAL);
	CHECK_ERR("timer_settime negative interval EINVAL",
		  syscall(SYS_timer_settime, id, 0,
			  &(struct itimerspec){ .it_value = { 1, 0 }, .it_interval = { -1, 0 } }, NULL), EINVAL);
	CHECK_ERR("timer_gettime bad pointer EFAULT", tget(id, (struct itimerspec *)BAD_LOW), EFAULT);
	CHECK_ERR("timer_settime bad id EINVAL", tset(12345, 0, MS, 0, NULL), EINVAL);
	CHECK_ERR("timer_gettime negative id EINVAL", tget(-1, &cur), EINVAL);
	syscall(SYS_timer_delete, id);
}

static void test_create_errors(void)
{
	int id;
	struct sigevent ev = sev(SIGEV_SIGNAL, SIGUSR1, 0);
	CHECK_ERR("bad clock EINVAL", tcreate(99, &ev, &id), EINVAL);
	CHECK_ERR("CLOCK_MONOTONIC_RAW EOPNOTSUPP", tcreate(CLOCK_MONOTONIC_RAW, &ev, &id), EOPNOTSUPP);
	CHECK_ERR("CLOCK_REALTIME_COARSE EOPNOTSUPP", tcreate(CLOCK_REALTIME_COARSE, &ev, &id), EOPNOTSUPP);
	CHECK_ERR("bad sigevent pointer EFAULT", tcreate(CLOCK_MONOTONIC, (struct sigevent *)BAD_LOW, &id), EFAULT);
	ev = sev(99, SIGUSR1, 0);
	CHECK_ERR("bad sigev_notify EINVAL", tcreate(CLOCK_MONOTONIC, &ev, &id), EINVAL);
	ev = sev(SIGEV_SIGNAL, 0, 0);
	CHECK_ERR("signal 0 EINVAL", tcreate(CLOCK_MONOTONIC, &ev, &id), EINVAL);
	ev = sev(SIGEV_SIGNAL, 65, 0);
	CHECK_ERR("signal 65 EINVAL", tcreate(CLOCK_MONOTONIC, &ev, &id), EINVAL);
	ev = sev(SIGEV_THREAD_ID, SIGUSR1, 0);
	ev.sigev_notify_thread_id = getppid();
	CHECK_ERR("SIGEV_THREAD_ID to another process EINVAL", tcreate(CLOCK_MONOTONIC, &ev, &id), EINVAL);
	ev.sigev_notify_thread_id = 999999;
	CHECK_ERR("SIGEV_THREAD_ID to no thread EINVAL", tcreate(CLOCK_MONOTONIC, &ev, &id), EINVAL);
	ev = sev(SIGEV_NONE, 0, 0);
	CHECK_OK("SIGEV_NONE ignores sigev_signo", tcreate(CLOCK_BOOTTIME, &ev, &id));
	syscall(SYS_timer_delete, id);
}

static void test_sigev_none(void)
{
	struct sigevent ev = sev(SIGEV_NONE, SIGUSR1, 0);
	struct itimerspec cur;
	siginfo_t si;
	int id = -1;
	tcreate(CLOCK_MONOTONIC, &ev, &id);
	tset(id, 0, 50 * MS, 0, NULL);
	tget(id, &cur);
	CHECK("SIGEV_NONE counts down", ts_ns(&cur.it_value) > 0 && ts_ns(&cur.it_value) <= 50 * MS);
	sleep_ns(80 * MS);
	tget(id, &cur);
	CHECK_EQ("SIGEV_NONE one-shot reads 0 once expired", ts_ns(&cur.it_value), 0);
	CHECK_EQ("and sent no signal", wait_sig(SIGUSR1, &si, 0), -1);
	tset(id, 0, 20 * MS, 20 * MS, NULL);
	sleep_ns(70 * MS);
	tget(id, &cur);
	CHECK("periodic SIGEV_NONE: value within its period",
	      ts_ns(&cur.it_value) > 0 && ts_ns(&cur.it_value) <= 20 * MS);
	syscall(SYS_timer_delete, id);
}

static volatile pid_t thr_tid;
static volatile int thr_sig, thr_code, thr_ready;

static void *sig_thread(void *arg)
{
	siginfo_t si;
	(void)arg;
	thr_tid = (pid_t)syscall(SYS_gettid);
	thr_ready = 1;
	thr_sig = wait_sig(SIGRTMIN + 2, &si, 3000);
	thr_code = si.si_code;
	return NULL;
}

static void test_thread_id(void)
{
	pthread_t th;
	siginfo_t si;
	int id = -1;
	block(SIGRTMIN + 2);	/* inherited by the thread */
	pthread_create(&th, NULL, sig_thread, NULL);
	while (!thr_ready)
		sched_yield();
	struct sigevent ev = sev(SIGEV_THREAD_ID, SIGRTMIN + 2, 0);
	ev.sigev_notify_thread_id = thr_tid;
	CHECK_OK("SIGEV_THREAD_ID to a thread of the process", tcreate(CLOCK_MONOTONIC, &ev, &id));
	tset(id, 0, 20 * MS, 0, NULL);
	pthread_join(th, NULL);
	CHECK_EQ("that thread got the signal", thr_sig, SIGRTMIN + 2);
	CHECK_EQ("with SI_TIMER", thr_code, SI_TIMER);
	CHECK_EQ("the main thread did not", wait_sig(SIGRTMIN + 2, &si, 0), -1);
	syscall(SYS_timer_delete, id);
}

static volatile int notified;
static void notify_fn(union sigval v)
{
	notified = v.sival_int;
}

/* SIGEV_THREAD: libc's, on SIGEV_THREAD_ID. */
static void test_libc_thread(void)
{
	struct sigevent ev;
	timer_t t;
	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_THREAD;
	ev.sigev_notify_function = notify_fn;
	ev.sigev_value.sival_int = 77;
	CHECK_EQ("libc timer_create SIGEV_THREAD", timer_create(CLOCK_MONOTONIC, &ev, &t), 0);
	struct itimerspec its = { .it_value = { 0, 20 * MS } };
	CHECK_EQ("libc timer_settime", timer_settime(t, 0, &its, NULL), 0);
	long long t0 = now_ns();
	while (!notified && now_ns() - t0 < 3000 * MS)
		sleep_ns(5 * MS);
	CHECK_EQ("the notify function ran with the value", notified, 77);
	CHECK_EQ("libc timer_delete", timer_delete(t), 0);
}

static void test_cputime(void)
{
	struct sigevent ev = sev(SIGEV_SIGNAL, SIGVTALRM, 0);
	struct itimerspec cur;
	siginfo_t si;
	sigset_t pend;
	int id = -1;
	clockid_t clocks[2] = { CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID };
	const char *names[2] = { "CLOCK_PROCESS_CPUTIME_ID", "CLOCK_THREAD_CPUTIME_ID" };
	block(SIGVTALRM);
	for (int i = 0; i < 2; i++) {
		char what[120];
		struct timespec c0, c1;
		snprintf(what, sizeof what, "timer on %s", names[i]);
		CHECK_OK(what, tcreate(clocks[i], &ev, &id));
		/* c0 before arming: the CPU time from here to the signal is
		 * at least the timer's 50 ms, however the clock advances
		 * between the calls (a tick-based clock may take several
		 * ticks at once on a busy host). */
		clock_gettime(clocks[i], &c0);
		tset(id, 0, 50 * MS, 0, NULL);
		tget(id, &cur);
		snprintf(what, sizeof what, "%s gettime <= 50ms", names[i]);
		CHECK(what, ts_ns(&cur.it_value) > 0 && ts_ns(&cur.it_value) <= 50 * MS);
		long long t0 = now_ns();
		do {
			sigpending(&pend);
		} while (!sigismember(&pend, SIGVTALRM) && now_ns() - t0 < 5000 * MS);
		clock_gettime(clocks[i], &c1);
		/* Three checks, so that a failure says which part failed. */
		si.si_code = 0;
		snprintf(what, sizeof what, "%s timer fires within 5 s", names[i]);
		CHECK(what, wait_sig(SIGVTALRM, &si, 0) == SIGVTALRM);
		snprintf(what, sizeof what, "%s timer signal is SI_TIMER", names[i]);
		CHECK(what, si.si_code == SI_TIMER);
		snprintf(what, sizeof what, "%s timer fires after 40ms or more of CPU", names[i]);
		CHECK(what, ts_ns(&c1) - ts_ns(&c0) >= 40 * MS);
		syscall(SYS_timer_delete, id);
	}
	/* sleeping uses no CPU: a CPU timer does not advance */
	tcreate(CLOCK_PROCESS_CPUTIME_ID, &ev, &id);
	tset(id, 0, 1000 * MS, 0, NULL);
	sleep_ns(100 * MS);
	tget(id, &cur);
	CHECK("CPU timer does not run while asleep", ts_ns(&cur.it_value) > 900 * MS);
	syscall(SYS_timer_delete, id);
}

static int fork_child(void *arg)
{
	struct itimerspec cur;
	int id = -1;
	if (tget(*(int *)arg, &cur) != -1 || errno != EINVAL)
		return 1;
	if (tcreate(CLOCK_MONOTONIC, NULL, &id) != 0 || id != 0)
		return 2;
	return 0;
}

static int exec_child(void *arg)
{
	int a, b;
	(void)arg;
	tcreate(CLOCK_MONOTONIC, NULL, &a);
	tcreate(CLOCK_MONOTONIC, NULL, &b);
	/* SIGALRM's default kills: it must not fire in the new image */
	tset(b, 0, 30 * MS, 0, NULL);
	char *av[] = { self, "--after-exec", NULL };
	execv(self, av);
	return 99;
}

static int after_exec(void)
{
	struct itimerspec cur;
	int id = -1;
	sleep_ns(100 * MS);
	if (tget(0, &cur) != -1 || errno != EINVAL || tget(1, &cur) != -1)
		return 1;
	/* the id count belongs to the process and survives exec */
	if (tcreate(CLOCK_MONOTONIC, NULL, &id) != 0 || id != 2)
		return 2;
	return 0;
}

/* A thread that spins for 60 ms of its own CPU time, then says how much. */
static void *burn_cpu(void *arg)
{
	struct timespec ts;

	do
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	while (ts_ns(&ts) < 60 * MS);
	*(long long *)arg = ts_ns(&ts);
	return NULL;
}

/* The process clock keeps what its exited threads ran, as Linux's
 * signal_struct does, after they are long gone. */
static void test_cputime_dead_thread(void)
{
	long long burnt = 0;
	struct timespec ts;
	pthread_t th;

	if (pthread_create(&th, NULL, burn_cpu, &burnt) != 0) {
		CHECK_OK("pthread_create for the CPU burner", -1);
		return;
	}
	pthread_join(th, NULL);
	sleep_ns(50 * MS);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	CHECK("CLOCK_PROCESS_CPUTIME_ID keeps an exited thread's CPU time",
	      burnt >= 50 * MS && ts_ns(&ts) >= burnt);
}

static void test_fork_exec(void)
{
	int id = -1;
	tcreate(CLOCK_MONOTONIC, NULL, &id);
	tset(id, 0, 10000 * MS, 0, NULL);
	CHECK_EQ("fork: the child has no timers and counts ids from 0",
		 run_child(fork_child, &id), 0);
	syscall(SYS_timer_delete, id);
	int st = run_child(exec_child, NULL);
	CHECK("exec deletes the timers (the armed one never fires); ids go on",
	      WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--after-exec"))
		return after_exec();
	TEST_BEGIN(T);
	if (argv[0][0] == '/')
		snprintf(self, sizeof self, "%s", argv[0]);
	else if (readlink("/proc/self/exe", self, sizeof self - 1) < 0)
		snprintf(self, sizeof self, "%s", argv[0]);
	test_ids();
	test_signal();
	test_overrun();
	test_one_instance();
	test_abs_and_gettime();
	test_create_errors();
	test_sigev_none();
	test_thread_id();
	test_libc_thread();
	test_cputime();
	test_cputime_dead_thread();
	test_fork_exec();
	return TEST_END();
}
