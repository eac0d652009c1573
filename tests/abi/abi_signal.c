/* abi_signal.c - signals: sigaction flags and siginfo, masks/pending, kill/tgkill, altstack, SIGCHLD, SIGPIPE, SIGSEGV, timers. */
#include "check.h"
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/time.h>

#define T "abi_signal"

static volatile sig_atomic_t hits;
static volatile int got_signo, got_code, got_pid, got_status, got_val;
static volatile void *got_addr;
static volatile int blocked_inside;
static volatile uintptr_t handler_sp;

static void info_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	hits++;
	got_signo = si->si_signo;
	got_code = si->si_code;
	got_pid = si->si_pid;
	got_status = si->si_status;
	got_val = si->si_value.sival_int;
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	blocked_inside = sigismember(&cur, sig);
	int local;
	handler_sp = (uintptr_t)&local;
}

static void count_handler(int sig) { (void)sig; hits++; }

static int set_handler(int sig, int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = info_handler;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL);
}

static void test_sigaction(void)
{
	hits = 0;
	CHECK_OK("sigaction SA_SIGINFO", set_handler(SIGUSR1, 0));
	kill(getpid(), SIGUSR1);
	CHECK_EQ("handler ran once", hits, 1);
	CHECK_EQ("si_signo", got_signo, SIGUSR1);
	CHECK_EQ("si_code SI_USER from kill", got_code, SI_USER);
	CHECK_EQ("si_pid is sender", got_pid, getpid());
	CHECK_EQ("signal blocked inside handler by default", blocked_inside, 1);

	syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR1);
	CHECK_EQ("tgkill delivered", hits, 2);
	CHECK_EQ("si_code SI_TKILL from tgkill", got_code, SI_TKILL);
	union sigval v = { .sival_int = 777 };
	sigqueue(getpid(), SIGUSR1, v);
	CHECK_EQ("sigqueue si_code SI_QUEUE", got_code, SI_QUEUE);
	CHECK_EQ("sigqueue si_value", got_val, 777);
	raise(SIGUSR1);
	CHECK_EQ("raise delivered", hits, 4);

	set_handler(SIGUSR2, SA_NODEFER);
	kill(getpid(), SIGUSR2);
	CHECK_EQ("SA_NODEFER: not blocked inside handler", blocked_inside, 0);

	set_handler(SIGUSR2, SA_RESETHAND);
	hits = 0;
	kill(getpid(), SIGUSR2);
	struct sigaction old;
	sigaction(SIGUSR2, NULL, &old);
	CHECK("SA_RESETHAND: handler ran and reset to SIG_DFL", hits == 1 && old.sa_handler == SIG_DFL);
	CHECK("SA_RESETHAND: sa_flags kept (SA_SIGINFO, SA_RESETHAND)",
	      (old.sa_flags & (SA_SIGINFO | SA_RESETHAND)) == (SA_SIGINFO | SA_RESETHAND));

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = count_handler;
	CHECK_ERR("sigaction SIGKILL", sigaction(SIGKILL, &sa, NULL), EINVAL);
	CHECK_ERR("sigaction SIGSTOP", sigaction(SIGSTOP, &sa, NULL), EINVAL);
	CHECK_ERR("rt_sigaction signal 0", syscall(SYS_rt_sigaction, 0, NULL, &old, 8), EINVAL);
	CHECK_ERR("rt_sigaction signal 65", syscall(SYS_rt_sigaction, 65, NULL, &old, 8), EINVAL);
	CHECK_ERR("rt_sigaction bad sigsetsize", syscall(SYS_rt_sigaction, SIGUSR1, NULL, &old, 4), EINVAL);
	CHECK_OK("query SIGKILL action allowed", sigaction(SIGKILL, NULL, &old));
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
}

static void test_mask(void)
{
	sigset_t s, old, pend;
	signal(SIGUSR1, count_handler);
	hits = 0;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	CHECK_OK("sigprocmask SIG_BLOCK", sigprocmask(SIG_BLOCK, &s, &old));
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR1);
	CHECK_EQ("blocked signal not delivered", hits, 0);
	sigpending(&pend);
	CHECK("sigpending shows SIGUSR1", sigismember(&pend, SIGUSR1));
	CHECK("sigpending not SIGUSR2", !sigismember(&pend, SIGUSR2));
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK_EQ("unblock delivers standard signal once", hits, 1);
	sigpending(&pend);
	CHECK("pending cleared", !sigismember(&pend, SIGUSR1));

	/* real-time signals queue */
	signal(SIGRTMIN, count_handler);
	sigemptyset(&s);
	sigaddset(&s, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &s, NULL);
	hits = 0;
	kill(getpid(), SIGRTMIN);
	kill(getpid(), SIGRTMIN);
	kill(getpid(), SIGRTMIN);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	CHECK_EQ("real-time signals are queued", hits, 3);

	/* SIGKILL/SIGSTOP cannot be blocked */
	sigfillset(&s);
	sigprocmask(SIG_SETMASK, &s, &old);
	sigset_t cur;
	sigprocmask(SIG_SETMASK, NULL, &cur);
	CHECK("SIGKILL/SIGSTOP silently unblockable", !sigismember(&cur, SIGKILL) && !sigismember(&cur, SIGSTOP));
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK_ERR("sigprocmask bad how", syscall(SYS_rt_sigprocmask, 99, &s, NULL, 8), EINVAL);

	/* sigtimedwait consumes a pending blocked signal */
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	sigprocmask(SIG_BLOCK, &s, NULL);
	kill(getpid(), SIGUSR2);
	siginfo_t si;
	struct timespec to = { 1, 0 };
	CHECK_EQ("sigtimedwait returns signal", sigtimedwait(&s, &si, &to), SIGUSR2);
	CHECK_EQ("sigtimedwait si_pid", si.si_pid, getpid());
	struct timespec zero = { 0, 20000000 };
	CHECK_ERR("sigtimedwait timeout EAGAIN", sigtimedwait(&s, &si, &zero), EAGAIN);
	sigprocmask(SIG_UNBLOCK, &s, NULL);

	/*
	 * Waiting for unblocked signals: the wait takes one with a handler
	 * (the handler does not run); an ignored one is discarded as sent.
	 */
	hits = 0;
	signal(SIGUSR2, count_handler);
	pid_t k = fork();
	if (k == 0) {
		usleep(100000);
		kill(getppid(), SIGUSR2);
		usleep(100000);
		kill(getppid(), SIGURG);
		_exit(0);
	}
	struct timespec five = { 5, 0 };
	CHECK_EQ("sigtimedwait for an unblocked signal with a handler",
		 sigtimedwait(&s, &si, &five), SIGUSR2);
	CHECK("... its siginfo from the sender, no handler run",
	      si.si_pid == k && si.si_code == SI_USER && hits == 0);
	signal(SIGURG, SIG_IGN);
	sigemptyset(&s);
	sigaddset(&s, SIGURG);
	struct timespec half = { 0, 500000000 };
	CHECK_ERR("sigtimedwait for an ignored, unblocked signal: discarded",
		  sigtimedwait(&s, &si, &half), EAGAIN);
	waitpid(k, NULL, 0);
	sigprocmask(SIG_SETMASK, NULL, &cur);
	CHECK("... the mask is as before the wait",
	      !sigismember(&cur, SIGUSR2) && !sigismember(&cur, SIGURG));
	signal(SIGURG, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGRTMIN, SIG_DFL);

	CHECK_OK("kill(pid, 0) existence probe", kill(getpid(), 0));
	CHECK_ERR("kill nonexistent pid", kill(0x3ffffff, SIGUSR1), ESRCH);
	CHECK_ERR("kill invalid signal", kill(getpid(), 999), EINVAL);
	CHECK_ERR("tgkill wrong tgid", syscall(SYS_tgkill, 0x3ffffff, syscall(SYS_gettid), 0), ESRCH);
	CHECK_ERR("tgkill invalid tid", syscall(SYS_tgkill, getpid(), 0, SIGUSR1), EINVAL);
}

static void test_sigsuspend(void)
{
	sigset_t s, old, wait_mask;
	signal(SIGUSR1, count_handler);
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, &old);
	hits = 0;
	kill(getpid(), SIGUSR1);
	sigemptyset(&wait_mask);
	CHECK_ERR("sigsuspend returns EINTR", sigsuspend(&wait_mask), EINTR);
	CHECK_EQ("sigsuspend ran handler", hits, 1);
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	CHECK("sigsuspend restores mask", sigismember(&cur, SIGUSR1));
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGUSR1, SIG_DFL);
}

static char altstack[65536];

static void test_altstack(void)
{
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 }, old;
	CHECK_OK("sigaltstack set", sigaltstack(&ss, &old));
	CHECK_EQ("previous altstack disabled", old.ss_flags, SS_DISABLE);
	set_handler(SIGUSR1, SA_ONSTACK);
	kill(getpid(), SIGUSR1);
	CHECK("SA_ONSTACK handler runs on altstack",
	      handler_sp >= (uintptr_t)altstack && handler_sp < (uintptr_t)altstack + sizeof altstack);
	set_handler(SIGUSR1, 0);
	kill(getpid(), SIGUSR1);
	CHECK("handler without SA_ONSTACK on normal stack",
	      !(handler_sp >= (uintptr_t)altstack && handler_sp < (uintptr_t)altstack + sizeof altstack));
	stack_t small = { .ss_sp = altstack, .ss_size = 512, .ss_flags = 0 };
	CHECK_ERR("sigaltstack too small", syscall(SYS_sigaltstack, &small, NULL), ENOMEM);
	stack_t badf = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0x1234 };
	CHECK_ERR("sigaltstack bad flags", syscall(SYS_sigaltstack, &badf, NULL), EINVAL);
	stack_t dis = { .ss_flags = SS_DISABLE };
	sigaltstack(&dis, NULL);
	sigaltstack(NULL, &old);
	CHECK_EQ("altstack disabled again", old.ss_flags, SS_DISABLE);
	signal(SIGUSR1, SIG_DFL);
}

static void test_sigchld(void)
{
	set_handler(SIGCHLD, 0);
	hits = 0;
	pid_t c = fork();
	if (c == 0)
		_exit(6);
	int st;
	waitpid(c, &st, 0);
	CHECK_EQ("SIGCHLD delivered on child exit", hits, 1);
	CHECK_EQ("SIGCHLD si_code CLD_EXITED", got_code, CLD_EXITED);
	CHECK_EQ("SIGCHLD si_pid", got_pid, c);
	CHECK_EQ("SIGCHLD si_status", got_status, 6);
	signal(SIGCHLD, SIG_DFL);

	/* SA_NOCLDWAIT / SIG_IGN: children are auto-reaped */
	signal(SIGCHLD, SIG_IGN);
	c = fork();
	if (c == 0)
		_exit(0);
	CHECK_ERR("SIGCHLD SIG_IGN auto-reaps (wait ECHILD)", waitpid(c, &st, 0), ECHILD);
	signal(SIGCHLD, SIG_DFL);
}

static int pipe_writer(void *a)
{
	(void)a;
	int p[2];
	pipe(p);
	close(p[0]);
	write(p[1], "x", 1);
	return 0;
}

static void test_sigpipe(void)
{
	int st = run_child(pipe_writer, NULL);
	CHECK("write to readerless pipe kills with SIGPIPE", WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE);
	signal(SIGPIPE, SIG_IGN);
	int p[2];
	pipe(p);
	close(p[0]);
	CHECK_ERR("ignored SIGPIPE gives EPIPE", write(p[1], "x", 1), EPIPE);
	close(p[1]);
	signal(SIGPIPE, SIG_DFL);
}

static sigjmp_buf jb;
static volatile uintptr_t low_addr = 8;   /* volatile: hide from the compiler */
static void segv_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_signo = sig;
	got_code = si->si_code;
	got_addr = si->si_addr;
	siglongjmp(jb, 1);
}

static void test_sigsegv(void)
{
	on_siginfo(SIGSEGV, segv_handler);
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(p + 4096, 4096);
	volatile char *target = p + 4096 + 123;
	got_addr = NULL;
	if (sigsetjmp(jb, 1) == 0) {
		*target = 1;
		CHECK("write to unmapped page faults", 0);
	} else {
		CHECK_EQ("SIGSEGV delivered", got_signo, SIGSEGV);
		CHECK("si_addr is faulting address", got_addr == (void *)target);
		CHECK_EQ("si_code SEGV_MAPERR", got_code, SEGV_MAPERR);
	}
	mprotect(p, 4096, PROT_READ);
	if (sigsetjmp(jb, 1) == 0) {
		((volatile char *)p)[7] = 1;
		CHECK("write to read-only page faults", 0);
	} else {
		CHECK("si_addr on read-only page", got_addr == (void *)(p + 7));
		CHECK_EQ("si_code SEGV_ACCERR", got_code, SEGV_ACCERR);
	}
	/* mask restored by siglongjmp(…,1): SIGSEGV must be deliverable again */
	if (sigsetjmp(jb, 1) == 0) {
		*(volatile int *)low_addr = 0;
		CHECK("NULL-page write faults", 0);
	} else {
		CHECK("si_addr 8 for NULL-page write", got_addr == (void *)8);
	}
	munmap(p, 4096);
	signal(SIGSEGV, SIG_DFL);
}

static int segv_no_stack(void *arg)
{
	on_siginfo(SIGSEGV, (void (*)(int, siginfo_t *, void *))arg);
	/* No stack for the handler's frame: the fault cannot be handled. */
	__asm__ __volatile__("movq $64, %%rsp\n\tmovb $0, 0" ::: "memory");
	return 0;
}

/* A SIGSEGV whose handler frame cannot be written kills, as on Linux. */
static void test_sigsegv_unhandleable(void)
{
	int st = run_child(segv_no_stack, (void *)segv_handler);

	CHECK("SIGSEGV with no stack for its handler kills the process",
	      st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
}

static void test_restart(int flags, const char *what_ok)
{
	int p[2];
	pipe(p);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = count_handler;
	sa.sa_flags = flags;
	sigaction(SIGALRM, &sa, NULL);
	pid_t c = fork();
	if (c == 0) {
		usleep(700000);   /* well after the 100ms SIGALRM */
		write(p[1], "r", 1);
		_exit(0);
	}
	hits = 0;
	struct itimerval it = { { 0, 0 }, { 0, 100000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	char ch = 0;
	errno = 0;
	long r = read(p[0], &ch, 1);
	if (flags & SA_RESTART)
		CHECK(what_ok, r == 1 && ch == 'r' && hits == 1);
	else
		CHECK(what_ok, r == -1 && errno == EINTR && hits == 1);
	int st;
	waitpid(c, &st, 0);
	close(p[0]); close(p[1]);
	signal(SIGALRM, SIG_DFL);
}

static void test_timers(void)
{
	test_restart(SA_RESTART, "SA_RESTART: pipe read resumes after SIGALRM");
	test_restart(0, "no SA_RESTART: pipe read fails EINTR");

	signal(SIGALRM, count_handler);
	hits = 0;
	CHECK_EQ("alarm returns 0 when none pending", alarm(10), 0);
	CHECK("alarm returns remaining seconds", alarm(0) >= 9);
	struct itimerval it = { { 0, 0 }, { 5, 0 } }, cur;
	setitimer(ITIMER_REAL, &it, NULL);
	getitimer(ITIMER_REAL, &cur);
	CHECK("getitimer shows remaining time", cur.it_value.tv_sec >= 4 && cur.it_value.tv_sec <= 5);
	memset(&it, 0, sizeof it);
	setitimer(ITIMER_REAL, &it, &cur);
	CHECK("setitimer returns old value", cur.it_value.tv_sec >= 4);
	struct itimerval per = { { 0, 20000 }, { 0, 20000 } };
	setitimer(ITIMER_REAL, &per, NULL);
	long long t0 = now_ns();
	while (hits < 3 && now_ns() - t0 < 3000000000LL)
		pause();
	memset(&it, 0, sizeof it);
	setitimer(ITIMER_REAL, &it, NULL);
	CHECK("periodic ITIMER_REAL fires repeatedly", hits >= 3);
	CHECK_ERR("setitimer bad which", setitimer(99, &it, NULL), EINVAL);
	struct itimerval badv = { { 0, 0 }, { 0, 2000000 } };
	CHECK_ERR("setitimer bad usec", setitimer(ITIMER_REAL, &badv, NULL), EINVAL);
	signal(SIGALRM, SIG_DFL);

	/* default action of SIGALRM terminates */
	pid_t c = fork();
	if (c == 0) {
		alarm(1);
		for (;;)
			pause();
	}
	int st;
	waitpid(c, &st, 0);
	CHECK("alarm default action kills with SIGALRM", WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM);
}

static void test_exec_and_fork_inherit(void)
{
	/* fork inherits handlers and mask; pending signals are not inherited */
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, NULL);
	kill(getpid(), SIGUSR1);
	pid_t c = fork();
	if (c == 0) {
		sigset_t pend, cur;
		sigpending(&pend);
		sigprocmask(SIG_BLOCK, NULL, &cur);
		_exit((sigismember(&pend, SIGUSR1) ? 1 : 0) | (sigismember(&cur, SIGUSR1) ? 0 : 2));
	}
	int st;
	waitpid(c, &st, 0);
	CHECK_EQ("fork: mask inherited, pending cleared", WEXITSTATUS(st), 0);
	signal(SIGUSR1, SIG_IGN);   /* discard the pending one */
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	signal(SIGUSR1, SIG_DFL);

	c = fork();
	if (c == 0) {
		for (;;)
			pause();
	}
	kill(c, SIGUSR1);
	waitpid(c, &st, 0);
	CHECK("SIGUSR1 default action terminates", WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR1);
}

static volatile pid_t tg_tid;
static volatile int tg_got;

/* Waits for SIGRTMIN+1 (blocked by its creator) directed at it. */
static void *tg_receiver(void *arg)
{
	sigset_t set;
	siginfo_t si;
	struct timespec to = { 5, 0 };
	(void)arg;
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 1);
	tg_tid = (pid_t)syscall(SYS_gettid);
	tg_got = sigtimedwait(&set, &si, &to) == SIGRTMIN + 1 &&
		 si.si_code == SI_QUEUE && si.si_value.sival_int == 4242 &&
		 si.si_pid == getpid() ? 1 : -1;
	return NULL;
}

/*
 * rt_tgsigqueueinfo to another thread of the process: it alone gets the
 * siginfo; a thread of another process, a missing one, a bad id, and a
 * kernel si_code for another thread are refused as Linux does.
 */
static void test_tgsigqueueinfo(void)
{
	sigset_t set, old, pend;
	siginfo_t si;
	pthread_t th;

	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 1);
	sigprocmask(SIG_BLOCK, &set, &old);
	tg_tid = 0;
	tg_got = 0;
	CHECK_EQ("receiver thread", pthread_create(&th, NULL, tg_receiver, NULL), 0);
	while (!tg_tid)
		sched_yield();
	memset(&si, 0, sizeof si);
	si.si_code = SI_USER;
	CHECK_ERR("rt_tgsigqueueinfo SI_USER to another thread EPERM",
		  syscall(SYS_rt_tgsigqueueinfo, getpid(), tg_tid, SIGRTMIN + 1, &si), EPERM);
	CHECK_OK("rt_tgsigqueueinfo SI_USER, signal 0, to itself",
		 syscall(SYS_rt_tgsigqueueinfo, getpid(), syscall(SYS_gettid), 0, &si));
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	si.si_uid = getuid();
	si.si_value.sival_int = 4242;
	CHECK_ERR("rt_tgsigqueueinfo to a thread of another process ESRCH",
		  syscall(SYS_rt_tgsigqueueinfo, 1, tg_tid, SIGRTMIN + 1, &si), ESRCH);
	CHECK_ERR("rt_tgsigqueueinfo to a missing thread ESRCH",
		  syscall(SYS_rt_tgsigqueueinfo, getpid(), 4000000, SIGRTMIN + 1, &si), ESRCH);
	CHECK_ERR("rt_tgsigqueueinfo tgid 0 EINVAL",
		  syscall(SYS_rt_tgsigqueueinfo, 0, tg_tid, SIGRTMIN + 1, &si), EINVAL);
	CHECK_OK("rt_tgsigqueueinfo SI_QUEUE to the other thread",
		 syscall(SYS_rt_tgsigqueueinfo, getpid(), tg_tid, SIGRTMIN + 1, &si));
	pthread_join(th, NULL);
	CHECK_EQ("... it got the signal with the siginfo", tg_got, 1);
	sigpending(&pend);
	CHECK("... and the process has nothing pending", !sigismember(&pend, SIGRTMIN + 1));
	sigprocmask(SIG_SETMASK, &old, NULL);
}

int main(void)
{
	TEST_BEGIN(T);
	test_sigaction();
	test_mask();
	test_sigsuspend();
	test_altstack();
	test_sigchld();
	test_sigpipe();
	test_sigsegv();
	test_sigsegv_unhandleable();
	test_timers();
	test_tgsigqueueinfo();
	test_exec_and_fork_inherit();
	return TEST_END();
}
