/* abi_ptrace_hw.c - ptrace's x86-64 debug registers as Linux 6.1 gives them through PEEKUSER/POKEUSER of u_debugreg (the checks of DR0-DR3, DR6 and DR7, with their EINVAL and EIO), instruction breakpoints and write/read watchpoints that stop the tracee with SIGTRAP TRAP_HWBKPT and DR6's cause bits, a single step's DR6, no stop for the kernel's own access to a watched word or for the #DB a mov to %ss delays into the kernel (CVE-2018-8897), the registers cleared by exec and what fork keeps, and PTRACE_PEEKSIGINFO. */
#include "ptrace_util.h"
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/uio.h>
#include <sys/mman.h>

#define T "abi_ptrace_hw"
#define DR(n) offsetof(struct user, u_debugreg[n])
#define PAGE 4096UL
#define TRAP_HWBKPT_ 4

/* DR7: slot @i enabled locally, R/W @rw (0 exec, 1 write, 3 rw), LEN @len. */
#define DR7_SLOT(i, rw, len) (1UL << (2 * (i)) | (unsigned long)(rw) << (16 + 4 * (i)) | (unsigned long)(len) << (18 + 4 * (i)))

static char self_path[256];
static unsigned long task_size_max;	/* Linux's: below its last page */
static volatile long watched;
static volatile long sink;
static short ss_word;

static long peek_dr(pid_t p, int n)
{
	long v = -1;

	if (pt(PTRACE_PEEKUSER, p, DR(n), (unsigned long)&v))
		return -2;
	return v;
}

static long poke_dr(pid_t p, int n, unsigned long v)
{
	return pt(PTRACE_POKEUSER, p, DR(n), v);
}

static void kill_reap(pid_t p)
{
	kill(p, SIGKILL);
	wait_st(p);
}

static int ret0(void)
{
	return 0;
}

__attribute__((noinline)) static int hw_target(int x)
{
	__asm__ __volatile__("" ::: "memory");
	return x + 1;
}

static int call_target_twice(void)
{
	return hw_target(hw_target(1));
}

static int write_watched(void)
{
	watched = 5;
	sink = 1;
	return 0;
}

static int read_watched(void)
{
	sink = watched;
	return 0;
}

/* The kernel reads and writes the watched word: no stop. */
static int kernel_touches_watched(void)
{
	int fd = open("/dev/zero", O_RDONLY), nul = open("/dev/null", O_WRONLY);

	if (fd < 0 || nul < 0)
		return 2;
	if (read(fd, (void *)&watched, sizeof watched) != sizeof watched)
		return 3;
	if (write(nul, (const void *)&watched, sizeof watched) != sizeof watched)
		return 4;
	return 0;			/* reading it here would stop */
}

static int movss_int3(void)
{
	__asm__ __volatile__("mov %%ss, %0\n\tmov %0, %%ss\n\tint $3" : "+m"(ss_word));
	return 0;
}

static int movss_syscall(void)
{
	long r;

	__asm__ __volatile__("mov %%ss, %1\n\tmov %1, %%ss\n\tsyscall"
			     : "=a"(r), "+m"(ss_word) : "a"((long)SYS_getpid)
			     : "rcx", "r11", "memory");
	return r == getpid() ? 0 : 1;
}

static int fork_one(void)
{
	pid_t q = fork();

	if (q == 0)
		_exit(0);
	return waitpid(q, NULL, 0) == q ? 0 : 1;
}

static void test_rules(void)
{
	pid_t p = spawn_traceme(ret0);
	unsigned long v;

	wait_st(p);
	CHECK_EQ("fresh DR0 reads 0", peek_dr(p, 0), 0);
	CHECK_EQ("fresh DR6 reads as the CPU resets it", peek_dr(p, 6), 0xffff0ff0L);
	CHECK_EQ("fresh DR7 reads 0", peek_dr(p, 7), 0);
	CHECK_EQ("DR4 reads 0", peek_dr(p, 4), 0);
	CHECK_EQ("DR5 reads 0", peek_dr(p, 5), 0);
	CHECK_ERR("POKEUSER DR4 EIO", poke_dr(p, 4, 0), EIO);
	CHECK_ERR("POKEUSER DR5 EIO", poke_dr(p, 5, 0), EIO);
	CHECK_ERR("POKEUSER of a misaligned DR offset EIO", pt(PTRACE_POKEUSER, p, DR(0) + 4, 0), EIO);
	CHECK_ERR("DR0 at TASK_SIZE_MAX EINVAL", poke_dr(p, 0, task_size_max), EINVAL);
	CHECK_ERR("DR0 in its last page EINVAL", poke_dr(p, 0, task_size_max + PAGE - 1), EINVAL);
	CHECK_ERR("DR0 at the kernel half's start EINVAL", poke_dr(p, 0, 0xffff800000000000UL), EINVAL);
	CHECK_ERR("DR0 at ~0 EINVAL", poke_dr(p, 0, ~0UL), EINVAL);
	CHECK_EQ("a refused DR0 stays unset: reads 0", peek_dr(p, 0), 0);
	CHECK_OK("DR0 at the last byte below TASK_SIZE_MAX", poke_dr(p, 0, task_size_max - 1));
	CHECK_EQ("DR0 reads back", peek_dr(p, 0), (long)(task_size_max - 1));
	CHECK_OK("DR0 at an odd address (a disabled 1-byte slot)", poke_dr(p, 0, 0x1001));
	CHECK_OK("DR6 takes any value", poke_dr(p, 6, 0x1234));
	CHECK_EQ("and reads it back", peek_dr(p, 6), 0x1234);
	CHECK_ERR("DR7: an I/O breakpoint (R/W 2) EINVAL", poke_dr(p, 7, DR7_SLOT(0, 2, 0)), EINVAL);
	CHECK_EQ("a refused DR7 leaves it as it was", peek_dr(p, 7), 0);
	CHECK_ERR("DR7: a 2-byte instruction breakpoint EINVAL", poke_dr(p, 7, DR7_SLOT(0, 0, 1)), EINVAL);
	CHECK_ERR("DR7: a 4-byte watchpoint at DR0's odd address EINVAL", poke_dr(p, 7, DR7_SLOT(0, 1, 3)), EINVAL);
	CHECK_ERR("DR7: an 8-byte one there EINVAL", poke_dr(p, 7, DR7_SLOT(0, 3, 2)), EINVAL);
	CHECK_OK("DR7: a 1-byte one there", poke_dr(p, 7, DR7_SLOT(0, 3, 0)));
	CHECK_OK("DR7: G0 instead of L0", poke_dr(p, 7, 2));
	CHECK_EQ("DR7 reads back", peek_dr(p, 7), 2);
	CHECK_OK("DR7: slot 1 enabled while DR1 unset (address 0)", poke_dr(p, 7, DR7_SLOT(1, 1, 3)));
	CHECK_EQ("DR1 reads 0", peek_dr(p, 1), 0);
	CHECK_ERR("DR1 misaligned for its 4 bytes EINVAL", poke_dr(p, 1, 0x1002), EINVAL);
	CHECK_EQ("DR1 unchanged", peek_dr(p, 1), 0);
	CHECK_OK("DR1 aligned", poke_dr(p, 1, 0x1004));
	CHECK_ERR("DR1 in the kernel half EINVAL", poke_dr(p, 1, 0xffffffffff600000UL), EINVAL);
	v = DR7_SLOT(1, 1, 3) | 0x400 | 0xff00002000UL;
	CHECK_OK("DR7 with reserved bits set", poke_dr(p, 7, v));
	CHECK_EQ("DR7 reads back as written, reserved bits too", peek_dr(p, 7), (long)v);
	CHECK_ERR("DR7: R/W 2 in a set-up slot, disabled, EINVAL", poke_dr(p, 7, DR7_SLOT(1, 1, 3) | 2UL << 16), EINVAL);
	CHECK_EQ("DR7 as it was", peek_dr(p, 7), (long)v);
	CHECK_OK("DR7: R/W 2 in a never-set slot, disabled, is fine", poke_dr(p, 7, DR7_SLOT(1, 1, 3) | 2UL << 24));
	CHECK_ERR("DR7: slot 3 refused after slots 0-2 passed EINVAL", poke_dr(p, 7, DR7_SLOT(0, 1, 0) | DR7_SLOT(2, 3, 3) | DR7_SLOT(3, 2, 0)), EINVAL);
	CHECK_EQ("DR7 as it was", peek_dr(p, 7), (long)(DR7_SLOT(1, 1, 3) | 2UL << 24));
	CHECK_EQ("DR2, set up by the refused write, reads 0", peek_dr(p, 2), 0);
	CHECK_OK("DR2 at an odd address: the undo left it an instruction slot", poke_dr(p, 2, 0x2001));
	kill_reap(p);

	/* LTP ptrace08: a kernel address into an enabled slot. */
	p = spawn_traceme(ret0);
	wait_st(p);
	CHECK_OK("DR0 = 1", poke_dr(p, 0, 1));
	CHECK_OK("DR7 = 1: enabled", poke_dr(p, 7, 1));
	CHECK_ERR("then DR0 at a kernel address EINVAL", poke_dr(p, 0, 0xffff800000000000UL), EINVAL);
	CHECK_ERR("or at ~0 EINVAL", poke_dr(p, 0, ~0UL), EINVAL);
	CHECK_EQ("DR0 still 1", peek_dr(p, 0), 1);
	kill_reap(p);
}

/* Resume @p and wait: the stop's signal and siginfo, or -1 (not stopped). */
static int cont_stop(pid_t p, siginfo_t *si, int *st)
{
	pt(PTRACE_CONT, p, 0, 0);
	*st = wait_st(p);
	if (!WIFSTOPPED(*st))
		return -1;
	memset(si, 0, sizeof *si);
	pt(PTRACE_GETSIGINFO, p, 0, (unsigned long)si);
	return WSTOPSIG(*st);
}

static void test_breakpoint(void)
{
	pid_t p = spawn_traceme(call_target_twice);
	struct user_regs_struct r;
	siginfo_t si;
	int st;

	wait_st(p);
	CHECK_OK("DR0 = an instruction of the child", poke_dr(p, 0, (unsigned long)hw_target));
	CHECK_OK("DR7: an instruction breakpoint", poke_dr(p, 7, DR7_SLOT(0, 0, 0)));
	CHECK_EQ("running into it: a SIGTRAP stop", cont_stop(p, &si, &st), SIGTRAP);
	CHECK_EQ("si_code TRAP_HWBKPT", si.si_code, TRAP_HWBKPT_);
	CHECK("si_addr the breakpoint", si.si_addr == (void *)hw_target);
	pt(PTRACE_GETREGS, p, 0, (unsigned long)&r);
	CHECK("rip at the breakpoint, not past it", r.rip == (unsigned long)hw_target);
	CHECK_EQ("DR6: B0", peek_dr(p, 6), 0xffff0ff1L);
	CHECK_EQ("resumed, it runs the instruction and hits it at the next call", cont_stop(p, &si, &st), SIGTRAP);
	pt(PTRACE_GETREGS, p, 0, (unsigned long)&r);
	CHECK("rip at the breakpoint again", r.rip == (unsigned long)hw_target && si.si_code == TRAP_HWBKPT_);
	CHECK_OK("DR7 = 0", poke_dr(p, 7, 0));
	CHECK_EQ("disabled: runs to its end", cont_stop(p, &si, &st), -1);
	CHECK("exit status 3", WIFEXITED(st) && WEXITSTATUS(st) == 3);
}

static volatile int handled;

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
}

static int handler_then_target(void)
{
	signal(SIGUSR1, on_usr1);
	hw_target(0);
	return handled;
}

/* A traced child running @fn, stopped at an instruction breakpoint on hw_target. */
static pid_t spawn_at_breakpoint(int (*fn)(void), const char *what)
{
	pid_t p = spawn_traceme(fn);
	siginfo_t si;
	int st;

	wait_st(p);
	poke_dr(p, 0, (unsigned long)hw_target);
	poke_dr(p, 7, DR7_SLOT(0, 0, 0));
	CHECK_EQ(what, cont_stop(p, &si, &st), SIGTRAP);
	return p;
}

/* A signal handled at an instruction breakpoint returns past it (RF). */
static void test_breakpoint_signal(void)
{
	pid_t p = spawn_at_breakpoint(handler_then_target, "a breakpoint hit, then a signal");
	int st;

	pt(PTRACE_CONT, p, 0, SIGUSR1);
	st = wait_st(p);
	CHECK("resumed with a handled signal: the handler runs, its return passes the breakpoint", WIFEXITED(st) && WEXITSTATUS(st) == 1);
	if (!WIFEXITED(st))
		kill_reap(p);
}

/* RF past an instruction breakpoint: GETREGS shows it, SETREGS clears it. */
static void test_breakpoint_rf(void)
{
	pid_t p = spawn_at_breakpoint(call_target_twice, "a breakpoint hit, then RF");
	struct user_regs_struct r;
	siginfo_t si;
	int st;

	pt(PTRACE_GETREGS, p, 0, (unsigned long)&r);
	CHECK("eflags shows RF at the stop", r.eflags & 0x10000);
	r.eflags &= ~0x10000UL;
	CHECK_OK("SETREGS clears RF", pt(PTRACE_SETREGS, p, 0, (unsigned long)&r));
	pt(PTRACE_GETREGS, p, 0, (unsigned long)&r);
	CHECK("GETREGS: RF clear", !(r.eflags & 0x10000));
	CHECK_EQ("without RF the same instruction hits again", cont_stop(p, &si, &st), SIGTRAP);
	pt(PTRACE_GETREGS, p, 0, (unsigned long)&r);
	CHECK("at the breakpoint, RF set again", r.rip == (unsigned long)hw_target && (r.eflags & 0x10000));
	poke_dr(p, 7, 0);
	CHECK_EQ("disabled: runs to its end", cont_stop(p, &si, &st), -1);
	CHECK("exit status 3", WIFEXITED(st) && WEXITSTATUS(st) == 3);
}

/* A watchpoint of R/W @rw on @watched in slot 1 with child @fn. */
static void watch_case(const char *what, int (*fn)(void), int rw, int hits)
{
	char buf[128];
	pid_t p = spawn_traceme(fn);
	siginfo_t si;
	int st, sig;

	wait_st(p);
	poke_dr(p, 1, (unsigned long)&watched);
	snprintf(buf, sizeof buf, "%s: DR7 set", what);
	CHECK_OK(buf, poke_dr(p, 7, DR7_SLOT(1, rw, 2)));
	sig = cont_stop(p, &si, &st);
	if (hits) {
		snprintf(buf, sizeof buf, "%s: a SIGTRAP stop, TRAP_HWBKPT", what);
		CHECK(buf, sig == SIGTRAP && si.si_code == TRAP_HWBKPT_);
		snprintf(buf, sizeof buf, "%s: DR6 B1", what);
		CHECK_EQ(buf, peek_dr(p, 6), 0xffff0ff2L);
		sig = cont_stop(p, &si, &st);
	}
	snprintf(buf, sizeof buf, "%s: then runs to its end", what);
	CHECK(buf, sig == -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	if (sig != -1)
		kill_reap(p);
}

static void test_watchpoints(void)
{
	watch_case("write watchpoint, a write", write_watched, 1, 1);
	watch_case("write watchpoint, a read", read_watched, 1, 0);
	watch_case("read/write watchpoint, a read", read_watched, 3, 1);
	watch_case("read/write watchpoint, the kernel's read and write", kernel_touches_watched, 3, 0);
}

static void test_step_dr6(void)
{
	pid_t p = spawn_traceme(ret0);
	int st;

	wait_st(p);
	poke_dr(p, 6, 0);
	pt(PTRACE_SINGLESTEP, p, 0, 0);
	st = wait_st(p);
	CHECK("a single step stops", WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP);
	CHECK_EQ("DR6: BS alone", peek_dr(p, 6), 0xffff4ff0L);
	kill_reap(p);
}

/* A mov to %ss delays the watchpoint's #DB into the kernel's entry. */
static void movss_case(const char *what, int (*fn)(void))
{
	char buf[128];
	pid_t p = spawn_traceme(fn);
	siginfo_t si;
	int st, n = 0;

	wait_st(p);
	poke_dr(p, 0, (unsigned long)&ss_word);
	poke_dr(p, 7, 0x30001);		/* LTP ptrace09's: 1-byte read/write */
	while (cont_stop(p, &si, &st) > 0 && n < 5)
		n++;
	snprintf(buf, sizeof buf, "%s: the child runs to its end", what);
	CHECK(buf, WIFEXITED(st) && WEXITSTATUS(st) == 0);
	if (!WIFEXITED(st))
		kill_reap(p);
}

static void test_movss(void)
{
	movss_case("mov %ss, then int3", movss_int3);
	movss_case("mov %ss, then syscall", movss_syscall);
}

static void test_exec_fork(void)
{
	pid_t p = fork(), q;
	unsigned long msg = 0;
	siginfo_t si;
	int st;

	if (p == 0) {
		char *argv[] = { self_path, "exit42", NULL };

		pt(PTRACE_TRACEME, 0, 0, 0);
		kill(getpid(), SIGSTOP);
		execv(self_path, argv);
		_exit(99);
	}
	wait_st(p);
	poke_dr(p, 0, (unsigned long)&watched);
	poke_dr(p, 7, DR7_SLOT(0, 1, 2));
	poke_dr(p, 6, 0x4001);
	pt(PTRACE_CONT, p, 0, 0);
	st = wait_st(p);
	CHECK("exec: its SIGTRAP stop", WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP);
	CHECK_EQ("exec clears DR0", peek_dr(p, 0), 0);
	CHECK_EQ("exec clears DR7", peek_dr(p, 7), 0);
	CHECK_EQ("exec clears DR6", peek_dr(p, 6), 0xffff0ff0L);
	pt(PTRACE_CONT, p, 0, 0);
	st = wait_st(p);
	CHECK("then exits 42", WIFEXITED(st) && WEXITSTATUS(st) == 42);

	p = spawn_traceme(fork_one);
	wait_st(p);
	pt(PTRACE_SETOPTIONS, p, 0, PTRACE_O_TRACEFORK);
	poke_dr(p, 0, (unsigned long)&sink);
	poke_dr(p, 7, DR7_SLOT(0, 1, 2));
	poke_dr(p, 6, 0x4001);
	pt(PTRACE_CONT, p, 0, 0);
	st = wait_st(p);
	CHECK("fork: the event stop", WIFSTOPPED(st) && (st >> 8) == (SIGTRAP | PTRACE_EVENT_FORK << 8));
	pt(PTRACE_GETEVENTMSG, p, 0, (unsigned long)&msg);
	q = (pid_t)msg;
	st = wait_st(q);
	CHECK("the new child's first stop", WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	CHECK_EQ("its DR0: no breakpoint", peek_dr(q, 0), 0);
	CHECK_EQ("its DR7: the parent's word", peek_dr(q, 7), (long)DR7_SLOT(0, 1, 2));
	CHECK_EQ("its DR6: the parent's word", peek_dr(q, 6), 0x4001);
	pt(PTRACE_CONT, q, 0, 0);
	st = wait_st(q);
	CHECK("it runs (no breakpoint) to its end", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	for (int i = 0; i < 3 && cont_stop(p, &si, &st) == SIGCHLD; i++)
		;			/* its SIGCHLD: a signal stop */
	CHECK("the parent too", WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* 2^56 less a page with 5-level paging (a page above 2^47 maps), else 2^47's. */
static unsigned long find_task_size_max(void)
{
	void *m = mmap((void *)(1UL << 47), PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (m == MAP_FAILED)
		return (1UL << 47) - PAGE;
	munmap(m, PAGE);
	return (1UL << 56) - PAGE;
}

#ifndef PTRACE_PEEKSIGINFO
#define PTRACE_PEEKSIGINFO 0x4209
#endif
struct peek_args {
	unsigned long long off;
	unsigned int flags;
	int nr;
};

static void queue_value(int sig, int val, int thread)
{
	siginfo_t si;

	sigqueue_info(&si, sig);
	si.si_value.sival_int = val;
	if (thread)
		syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), sig, &si);
	else
		syscall(SYS_rt_sigqueueinfo, getpid(), sig, &si);
}

/* Blocked, then sent in this order: thread, process, thread, process, thread. */
static int queue_signals(void)
{
	sigset_t m;

	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	sigaddset(&m, SIGUSR2);
	sigaddset(&m, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &m, NULL);
	queue_value(SIGRTMIN, 1, 1);
	queue_value(SIGRTMIN, 2, 0);
	syscall(SYS_tgkill, getpid(), gettid(), SIGUSR1);
	kill(getpid(), SIGUSR2);
	queue_value(SIGRTMIN, 3, 1);
	kill(getpid(), SIGSTOP);
	return 0;
}

static long peek(pid_t p, unsigned long long off, unsigned flags, int nr, void *buf)
{
	struct peek_args a = { off, flags, nr };

	return pt(PTRACE_PEEKSIGINFO, p, (unsigned long)&a, (unsigned long)buf);
}

static void test_peeksiginfo(void)
{
	pid_t p = spawn_traceme(queue_signals);
	siginfo_t si[8];
	char *pg;
	int st;

	wait_st(p);
	pt(PTRACE_CONT, p, 0, 0);
	st = wait_st(p);
	CHECK("the child queued its signals and stopped", WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	memset(si, 0, sizeof si);
	CHECK_EQ("PEEKSIGINFO: the thread's 3 signals", peek(p, 0, 0, 8, si), 3);
	CHECK("in the order sent: SIGRTMIN 1, SIGUSR1, SIGRTMIN 3",
	      si[0].si_signo == SIGRTMIN && si[0].si_value.sival_int == 1 &&
	      si[1].si_signo == SIGUSR1 && si[1].si_code == SI_TKILL &&
	      si[2].si_signo == SIGRTMIN && si[2].si_value.sival_int == 3);
	CHECK_EQ("the siginfo as sent: SI_QUEUE, the sender", si[0].si_code == SI_QUEUE && si[0].si_pid == p, 1);
	memset(si, 0, sizeof si);
	CHECK_EQ("PTRACE_PEEKSIGINFO_SHARED: the process's 2", peek(p, 0, 1, 8, si), 2);
	CHECK("in the order sent: SIGRTMIN 2, SIGUSR2",
	      si[0].si_signo == SIGRTMIN && si[0].si_value.sival_int == 2 &&
	      si[1].si_signo == SIGUSR2 && si[1].si_code == SI_USER);
	memset(si, 0, sizeof si);
	CHECK_EQ("off 1, nr 1: one", peek(p, 1, 0, 1, si), 1);
	CHECK_EQ("the second: SIGUSR1", si[0].si_signo, SIGUSR1);
	CHECK_EQ("off 2, nr 8: the last", peek(p, 2, 0, 8, si), 1);
	CHECK_EQ("off past the end: 0", peek(p, 3, 0, 8, si), 0);
	CHECK_EQ("off 2^63: 0", peek(p, 1ULL << 63, 0, 8, si), 0);
	CHECK_EQ("nr 0: 0", peek(p, 0, 0, 0, si), 0);
	CHECK_ERR("an unknown flag EINVAL", peek(p, 0, 2, 1, si), EINVAL);
	CHECK_ERR("nr -1 EINVAL", peek(p, 0, 0, -1, si), EINVAL);
	CHECK_ERR("the arguments unreadable EFAULT", pt(PTRACE_PEEKSIGINFO, p, 8, (unsigned long)si), EFAULT);
	CHECK_ERR("nowhere to write the first EFAULT", peek(p, 0, 0, 8, NULL), EFAULT);
	pg = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(pg + PAGE, PAGE);
	CHECK_EQ("room for one: the count copied", peek(p, 0, 0, 8, pg + PAGE - sizeof(siginfo_t)), 1);
	CHECK_EQ("an untraced pid ESRCH", peek(getppid(), 0, 0, 1, si) == -1 && errno == ESRCH, 1);
	munmap(pg, PAGE);
	kill_reap(p);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "exit42") == 0)
		_exit(42);
	ssize_t n = readlink("/proc/self/exe", self_path, sizeof self_path - 1);

	if (n <= 0)
		snprintf(self_path, sizeof self_path, "%s", argv[0]);
	TEST_BEGIN(T);
	task_size_max = find_task_size_max();
	test_rules();
	test_breakpoint();
	test_breakpoint_signal();
	test_breakpoint_rf();
	test_watchpoints();
	test_step_dr6();
	test_movss();
	test_exec_fork();
	test_peeksiginfo();
	return TEST_END();
}
