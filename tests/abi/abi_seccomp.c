/* abi_seccomp.c - seccomp(2) and PR_{GET,SET}_SECCOMP as Linux 6.1: the errors (EINVAL, EFAULT, EACCES, EOPNOTSUPP), the classic BPF verifier, strict mode, filter actions and their precedence in a chain, seccomp_data (nr, arch, ip, args, the x32 bit), TRAP's SIGSYS, TRACE with and without a tracer, KILL_THREAD and KILL_PROCESS, TSYNC, fork and exec inheritance, /proc/PID/status. Every filter is installed in a forked child. */
#include "check.h"
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <ucontext.h>

#define T "abi_seccomp"

/* linux/seccomp.h and linux/filter.h: musl ships no kernel headers. */
struct sock_filter { uint16_t code; uint8_t jt, jf; uint32_t k; };
struct sock_fprog { unsigned short len; struct sock_filter *filter; };
#define STMT(c, k)		{ (c), 0, 0, (k) }
#define JUMP(c, k, t, f)	{ (c), (t), (f), (k) }
#define LD_ABS	0x20		/* BPF_LD | BPF_W | BPF_ABS */
#define LD_LEN	0x80		/* BPF_LD | BPF_W | BPF_LEN */
#define LD_IMM	0x00
#define LDX_IMM	0x01
#define LD_MEM	0x60
#define ST	0x02
#define RET_K	0x06
#define RET_A	0x16
#define JA	0x05
#define JEQ_K	0x15
#define JSET_K	0x45
#define ALU_ADD_K 0x04
#define ALU_MUL_K 0x24
#define ALU_DIV_K 0x34
#define ALU_DIV_X 0x3c
#define ALU_OR_K  0x44
#define ALU_LSH_K 0x64
#define ALU_MOD_K 0x94

#define SET_STRICT	0
#define SET_FILTER	1
#define ACTION_AVAIL	2
#define NOTIF_SIZES	3
#define F_TSYNC		1u
#define F_LOG		2u
#define F_SPEC_ALLOW	4u
#define F_NEW_LISTENER	8u
#define F_TSYNC_ESRCH	16u
#define F_WAIT_KILLABLE	32u

#define R_KILL_PROCESS	0x80000000u
#define R_KILL_THREAD	0x00000000u
#define R_TRAP		0x00030000u
#define R_ERRNO		0x00050000u
#define R_USER_NOTIF	0x7fc00000u
#define R_TRACE		0x7ff00000u
#define R_LOG		0x7ffc0000u
#define R_ALLOW		0x7fff0000u
#define ARCH_X86_64	0xc000003eu
#define X32_BIT		0x40000000
#define SYS_SECCOMP_CODE 1
#define EVENT_SECCOMP	7
#define O_TRACESECCOMP	0x80
#define O_SUSPEND_SECCOMP (1 << 21)

/* seccomp_data offsets */
#define OFF_NR		0
#define OFF_ARCH	4
#define OFF_IP		8
#define OFF_ARG0	16

static long sc(unsigned op, unsigned flags, const void *args)
{
	return syscall(SYS_seccomp, op, flags, args);
}

static long install(struct sock_filter *f, unsigned n, unsigned flags)
{
	struct sock_fprog p = { (unsigned short)n, f };

	return sc(SET_FILTER, flags, &p);
}

/* A filter: getppid gives @ret, everything else runs. */
static long on_getppid(uint32_t ret, unsigned flags)
{
	struct sock_filter f[] = {
		STMT(LD_ABS, OFF_NR),
		JUMP(JEQ_K, SYS_getppid, 0, 1),
		STMT(RET_K, ret),
		STMT(RET_K, R_ALLOW),
	};

	return install(f, 4, flags);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* run_child with the failure count of the child's own checks only. */
static int (*sub_fn)(void *);

static int sub_entry(void *arg)
{
	check_fails = 0;
	return sub_fn(arg);
}

static int sub(int (*fn)(void *), void *arg)
{
	sub_fn = fn;
	return run_child(sub_entry, arg);
}

/* A child's wait status as text-free number: exit code, or 1000 + signal. */
static int outcome(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 1000 + WTERMSIG(st);
	return -1;
}

/* The value of "@key:\t" in /proc/@pid/status, or -1. */
static long status_field(pid_t pid, const char *key)
{
	char path[64], buf[4096], pat[64];
	const char *p;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if (slurp(path, buf, sizeof buf) < 0)
		return -1;
	snprintf(pat, sizeof pat, "\n%s:\t", key);
	p = strstr(buf, pat);
	return p ? strtol(p + strlen(pat), NULL, 10) : -1;
}

static void test_errors(void)
{
	struct sock_filter ok[] = { STMT(RET_K, R_ALLOW) };
	struct sock_fprog p = { 1, ok }, zero = { 0, ok }, big = { 4097, ok };
	struct sock_fprog badptr = { 1, BAD_LOW };
	uint32_t a;
	uint16_t sizes[3] = { 0, 0, 0 };

	CHECK_EQ("PR_GET_SECCOMP 0 outside seccomp", prctl(PR_GET_SECCOMP), 0);
	CHECK_ERR("unknown op EINVAL", sc(4, 0, NULL), EINVAL);
	CHECK_ERR("STRICT with flags EINVAL", sc(SET_STRICT, 1, NULL), EINVAL);
	CHECK_ERR("STRICT with args EINVAL", sc(SET_STRICT, 0, &p), EINVAL);
	CHECK_ERR("FILTER NULL EFAULT", sc(SET_FILTER, 0, NULL), EFAULT);
	CHECK_ERR("FILTER unknown flag EINVAL", sc(SET_FILTER, 64, &p), EINVAL);
	CHECK_ERR("TSYNC|NEW_LISTENER EINVAL", sc(SET_FILTER, F_TSYNC | F_NEW_LISTENER, &p), EINVAL);
	CHECK_ERR("WAIT_KILLABLE_RECV alone EINVAL", sc(SET_FILTER, F_WAIT_KILLABLE, &p), EINVAL);
	CHECK_ERR("len 0 EINVAL", sc(SET_FILTER, 0, &zero), EINVAL);
	CHECK_ERR("len 4097 EINVAL", sc(SET_FILTER, 0, &big), EINVAL);
	CHECK_ERR("bad insns pointer EFAULT", sc(SET_FILTER, 0, &badptr), EFAULT);
	CHECK_ERR("bad fprog pointer EFAULT", sc(SET_FILTER, 0, BAD_KTOP), EFAULT);
	CHECK_ERR("PR_SET_SECCOMP mode 3 EINVAL", prctl(PR_SET_SECCOMP, 3, 0, 0, 0), EINVAL);
	CHECK_ERR("PR_SET_SECCOMP mode 0 EINVAL", prctl(PR_SET_SECCOMP, 0, 0, 0, 0), EINVAL);
	CHECK_ERR("PR_SET_SECCOMP FILTER NULL EFAULT", prctl(PR_SET_SECCOMP, 2, 0, 0, 0), EFAULT);

	static const uint32_t avail[] = { R_KILL_PROCESS, R_KILL_THREAD, R_TRAP,
		R_ERRNO, R_USER_NOTIF, R_TRACE, R_LOG, R_ALLOW };
	int all = 1;

	for (unsigned i = 0; i < N(avail); i++) {
		a = avail[i];
		all &= sc(ACTION_AVAIL, 0, &a) == 0;
	}
	CHECK("ACTION_AVAIL: the eight actions", all);
	a = 0x00010000;
	CHECK_ERR("ACTION_AVAIL unknown EOPNOTSUPP", sc(ACTION_AVAIL, 0, &a), EOPNOTSUPP);
	a = R_ERRNO | 1;
	CHECK_ERR("ACTION_AVAIL with data EOPNOTSUPP", sc(ACTION_AVAIL, 0, &a), EOPNOTSUPP);
	a = R_ALLOW;
	CHECK_ERR("ACTION_AVAIL flags EINVAL", sc(ACTION_AVAIL, 1, &a), EINVAL);
	CHECK_ERR("ACTION_AVAIL NULL EFAULT", sc(ACTION_AVAIL, 0, NULL), EFAULT);
	CHECK_EQ("GET_NOTIF_SIZES", sc(NOTIF_SIZES, 0, sizes), 0);
	CHECK("notif sizes 80 24 64", sizes[0] == 80 && sizes[1] == 24 && sizes[2] == 64);
	CHECK_ERR("GET_NOTIF_SIZES flags EINVAL", sc(NOTIF_SIZES, 1, sizes), EINVAL);
	CHECK_EQ("still mode 0 after the errors", prctl(PR_GET_SECCOMP), 0);
}

/* Programs the verifier refuses: EINVAL each, nothing installed. */
static void test_verifier(void)
{
	struct { const char *what; struct sock_filter f[4]; unsigned n; } bad[] = {
		{ "no RET last", { STMT(LD_ABS, 0) }, 1 },
		{ "JA past the end", { STMT(JA, 1), STMT(RET_K, R_ALLOW) }, 2 },
		{ "JEQ jt past the end", { JUMP(JEQ_K, 0, 1, 0), STMT(RET_K, R_ALLOW) }, 2 },
		{ "JEQ jf past the end", { JUMP(JEQ_K, 0, 0, 5), STMT(RET_K, R_ALLOW) }, 2 },
		{ "misaligned load", { STMT(LD_ABS, 2), STMT(RET_K, R_ALLOW) }, 2 },
		{ "load past seccomp_data", { STMT(LD_ABS, 64), STMT(RET_K, R_ALLOW) }, 2 },
		{ "halfword load", { STMT(0x28, 0), STMT(RET_K, R_ALLOW) }, 2 },
		{ "byte load", { STMT(0x30, 0), STMT(RET_K, R_ALLOW) }, 2 },
		{ "indirect load", { STMT(0x40, 0), STMT(RET_K, R_ALLOW) }, 2 },
		{ "LDX MSH", { STMT(0xb1, 0), STMT(RET_K, R_ALLOW) }, 2 },
		{ "divide by constant 0", { STMT(ALU_DIV_K, 0), STMT(RET_K, R_ALLOW) }, 2 },
		{ "MOD (not for seccomp)", { STMT(ALU_MOD_K, 3), STMT(RET_K, R_ALLOW) }, 2 },
		{ "shift by 32", { STMT(ALU_LSH_K, 32), STMT(RET_K, R_ALLOW) }, 2 },
		{ "scratch load before store", { STMT(LD_MEM, 0), STMT(RET_K, R_ALLOW) }, 2 },
		{ "scratch word 16", { STMT(ST, 16), STMT(RET_K, R_ALLOW) }, 2 },
		{ "store on one path only", { JUMP(JEQ_K, 0, 0, 1), STMT(ST, 1),
					      STMT(LD_MEM, 1), STMT(RET_K, R_ALLOW) }, 4 },
		{ "unknown opcode", { STMT(0xffff, 0), STMT(RET_K, R_ALLOW) }, 2 },
	};

	for (unsigned i = 0; i < N(bad); i++) {
		char what[96];

		snprintf(what, sizeof what, "verifier: %s EINVAL", bad[i].what);
		CHECK_ERR(what, install(bad[i].f, bad[i].n, 0), EINVAL);
	}
	CHECK_EQ("verifier: nothing installed", prctl(PR_GET_SECCOMP), 0);
}

static int child_eacces(void *arg)
{
	struct sock_filter ok[] = { STMT(RET_K, R_ALLOW) };
	struct sock_fprog zero = { 0, ok }, nul = { 1, NULL };

	(void)arg;
	if (setuid(65534))
		return 90;
	CHECK_ERR("nobody: len 0 EINVAL before EACCES", sc(SET_FILTER, 0, &zero), EINVAL);
	CHECK_ERR("nobody without no_new_privs EACCES", install(ok, 1, 0), EACCES);
	CHECK_ERR("nobody: EACCES before the NULL insns EINVAL", sc(SET_FILTER, 0, &nul), EACCES);
	CHECK_EQ("PR_SET_NO_NEW_PRIVS", prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
	CHECK_ERR("nobody with no_new_privs: NULL insns EINVAL", sc(SET_FILTER, 0, &nul), EINVAL);
	CHECK_EQ("nobody with no_new_privs installs", install(ok, 1, 0), 0);
	CHECK_EQ("PR_GET_SECCOMP 2", prctl(PR_GET_SECCOMP), 2);
	return check_fails ? 1 : 0;
}

static int strict_pipe[2];

static int child_strict(void *arg)
{
	char c;
	static const char msg[] = "PASS abi_seccomp: strict: write allowed\n";

	(void)arg;
	if (prctl(PR_SET_SECCOMP, 1, 0, 0, 0))
		return 91;
	write(1, msg, sizeof msg - 1);
	if (read(strict_pipe[0], &c, 1) != 1)
		syscall(SYS_exit, 92);
	if (c == 'x')
		syscall(SYS_exit, 7);
	if (c == 'g')
		syscall(SYS_exit_group, 8);	/* not allowed */
	syscall(SYS_getpid);
	syscall(SYS_exit, 93);
	return 94;
}

static int strict_run(char c, int *mode)
{
	pid_t pid;
	int st = -1;

	if (pipe(strict_pipe))
		return -1;
	pid = fork();
	if (pid == 0)
		_exit(child_strict(NULL));
	usleep(100000);
	*mode = (int)status_field(pid, "Seccomp");
	write(strict_pipe[1], &c, 1);
	waitpid(pid, &st, 0);
	close(strict_pipe[0]);
	close(strict_pipe[1]);
	return outcome(st);
}

static void test_strict(void)
{
	int mode = -1;

	CHECK_EQ("strict: getpid SIGKILL", strict_run('p', &mode), 1000 + SIGKILL);
	CHECK_EQ("strict: Seccomp: 1 in /proc/PID/status", mode, 1);
	CHECK_EQ("strict: exit allowed", strict_run('x', &mode), 7);
	CHECK_EQ("strict: exit_group SIGKILL", strict_run('g', &mode), 1000 + SIGKILL);
}

static int child_actions(void *arg)
{
	(void)arg;
	CHECK_EQ("ERRNO EPERM installs", on_getppid(R_ERRNO | EPERM, 0), 0);
	CHECK_ERR("ERRNO: getppid EPERM", syscall(SYS_getppid), EPERM);
	CHECK_EQ("PR_GET_SECCOMP 2", prctl(PR_GET_SECCOMP), 2);
	CHECK_EQ("Seccomp: 2", status_field(getpid(), "Seccomp"), 2);
	CHECK_EQ("Seccomp_filters: 1", status_field(getpid(), "Seccomp_filters"), 1);
	CHECK_ERR("STRICT after FILTER EINVAL", sc(SET_STRICT, 0, NULL), EINVAL);
	CHECK_ERR("PR_SET_SECCOMP STRICT after FILTER EINVAL", prctl(PR_SET_SECCOMP, 1, 0, 0, 0), EINVAL);
	CHECK_EQ("newer ERRNO 2 installs", on_getppid(R_ERRNO | 2, 0), 0);
	CHECK_ERR("equal actions: the newest filter's data", syscall(SYS_getppid), 2);
	CHECK_EQ("Seccomp_filters: 2", status_field(getpid(), "Seccomp_filters"), 2);
	CHECK_EQ("TRACE installs", on_getppid(R_TRACE | 5, 0), 0);
	CHECK_EQ("ALLOW and LOG install", on_getppid(R_LOG, 0) | on_getppid(R_ALLOW, F_LOG), 0);
	CHECK_ERR("ERRNO beats TRACE, LOG, ALLOW", syscall(SYS_getppid), 2);
	return check_fails ? 1 : 0;
}

static int child_errno_values(void *arg)
{
	(void)arg;
	on_getppid(R_ERRNO | 5000, 0);
	CHECK_ERR("ERRNO data 5000 capped at 4095", syscall(SYS_getppid), 4095);
	return check_fails ? 1 : 0;
}

static int child_errno0(void *arg)
{
	(void)arg;
	on_getppid(R_ERRNO | 0, 0);
	CHECK_EQ("ERRNO 0: the call returns 0 unrun", syscall(SYS_getppid), 0);
	return check_fails ? 1 : 0;
}

/* Whether the kernel log holds an audit record of LOG for getppid. */
static int kmsg_has_log_record(void)
{
	char rec[1024];
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK), found = 0;
	ssize_t n;

	if (fd < 0)
		return 0;
	while ((n = read(fd, rec, sizeof rec - 1)) != 0) {
		if (n < 0) {
			if (errno == EPIPE)
				continue;	/* overwritten records */
			break;
		}
		rec[n] = '\0';
		if (strstr(rec, "audit: type=1326") && strstr(rec, " syscall=110 ") &&
		    strstr(rec, " code=0x7ffc0000"))
			found = 1;
	}
	close(fd);
	return found;
}

static int child_simple(void *arg)
{
	pid_t ppid = getppid();

	(void)arg;
	on_getppid(R_LOG, 0);
	CHECK_EQ("LOG: the call runs", syscall(SYS_getppid), ppid);
	CHECK("LOG: the audit record in the kernel log", kmsg_has_log_record());
	on_getppid(R_ALLOW, 0);
	CHECK_EQ("ALLOW and LOG: runs", syscall(SYS_getppid), ppid);
	on_getppid(R_USER_NOTIF, 0);
	CHECK_ERR("USER_NOTIF without a listener ENOSYS", syscall(SYS_getppid), ENOSYS);
	return check_fails ? 1 : 0;
}

static int child_trace_untraced(void *arg)
{
	(void)arg;
	on_getppid(R_TRACE | 1, 0);
	CHECK_ERR("TRACE without a tracer ENOSYS", syscall(SYS_getppid), ENOSYS);
	on_getppid(R_ERRNO | EDOM, 0);
	CHECK_ERR("ERRNO beats TRACE", syscall(SYS_getppid), EDOM);
	on_getppid(R_TRAP, 0);
	/* TRAP beats ERRNO: the default SIGSYS kills. */
	syscall(SYS_getppid);
	return 95;
}

static uint32_t kill_ret;

static int child_kill(void *arg)
{
	struct rlimit r = { 0, 0 };

	(void)arg;
	setrlimit(RLIMIT_CORE, &r);
	on_getppid(kill_ret, 0);
	syscall(SYS_getppid);
	return 96;
}

static void *thread_getppid(void *arg)
{
	(void)arg;
	syscall(SYS_getppid);
	return (void *)1;
}

/*
 * A thread's getppid meets kill_ret (KILL_THREAD or KILL_PROCESS): the
 * process lives on with one thread (0), or dies before this returns.
 */
static int child_kill_in_thread(void *arg)
{
	pthread_t th;

	(void)arg;
	on_getppid(kill_ret, 0);
	if (pthread_create(&th, NULL, thread_getppid, NULL))
		return 97;
	/* A killed thread never tells pthread_join: watch Threads: instead. */
	for (int i = 0; i < 200 && status_field(getpid(), "Threads") != 1; i++)
		usleep(10000);
	CHECK_EQ("KILL_THREAD: the process lives on, one thread", status_field(getpid(), "Threads"), 1);
	return check_fails ? 1 : 0;
}

static void test_kills(void)
{
	kill_ret = R_KILL_PROCESS;
	CHECK_EQ("KILL_PROCESS: SIGSYS", outcome(sub(child_kill, NULL)), 1000 + SIGSYS);
	kill_ret = R_KILL_THREAD;
	CHECK_EQ("KILL_THREAD of the only thread: SIGSYS", outcome(sub(child_kill, NULL)), 1000 + SIGSYS);
	kill_ret = 0x00010000;
	CHECK_EQ("unknown action kills: SIGSYS", outcome(sub(child_kill, NULL)), 1000 + SIGSYS);
	kill_ret = R_KILL_THREAD | 77;
	CHECK_EQ("KILL_THREAD with data: SIGSYS", outcome(sub(child_kill, NULL)), 1000 + SIGSYS);
	kill_ret = R_KILL_THREAD;
	CHECK_EQ("KILL_THREAD in a thread: it alone ends", outcome(sub(child_kill_in_thread, NULL)), 0);
	kill_ret = R_KILL_PROCESS;
	CHECK_EQ("KILL_PROCESS in a thread: SIGSYS", outcome(sub(child_kill_in_thread, NULL)), 1000 + SIGSYS);
	CHECK_EQ("TRACE < ERRNO < TRAP", outcome(sub(child_trace_untraced, NULL)), 1000 + SIGSYS);
}

static volatile int trap_ok;
static volatile long trap_rax, trap_rip;
static volatile void *trap_addr;

static void on_sigsys(int sig, siginfo_t *si, void *uc_)
{
	ucontext_t *uc = uc_;

	trap_rax = uc->uc_mcontext.gregs[REG_RAX];
	trap_rip = uc->uc_mcontext.gregs[REG_RIP];
	trap_addr = si->si_call_addr;
	trap_ok = sig == SIGSYS && si->si_signo == SIGSYS &&
		  si->si_code == SYS_SECCOMP_CODE && si->si_errno == 0x1234 &&
		  si->si_syscall == SYS_getppid && si->si_arch == ARCH_X86_64;
}

static int child_trap(void *arg)
{
	long r;

	(void)arg;
	on_siginfo(SIGSYS, on_sigsys);
	on_getppid(R_TRAP | 0x1234, 0);
	r = syscall(SYS_getppid);
	CHECK("TRAP: siginfo SIGSYS, SYS_SECCOMP, errno=data, syscall, arch", trap_ok);
	CHECK_EQ("TRAP: rax shows the call number", trap_rax, SYS_getppid);
	CHECK("TRAP: si_call_addr is the return address", (long)trap_addr == trap_rip && trap_rip);
	CHECK_EQ("TRAP: the call returns its number", r, SYS_getppid);
	return check_fails ? 1 : 0;
}

/* TRAP with SIGSYS blocked (@arg set) or ignored: the signal kills. */
static int child_trap_unhandled(void *arg)
{
	sigset_t s;

	if (arg) {
		on_siginfo(SIGSYS, on_sigsys);
		sigemptyset(&s);
		sigaddset(&s, SIGSYS);
		sigprocmask(SIG_BLOCK, &s, NULL);
	} else {
		signal(SIGSYS, SIG_IGN);
	}
	on_getppid(R_TRAP, 0);
	syscall(SYS_getppid);
	return 99;
}

static void test_trap(void)
{
	CHECK_EQ("TRAP handled", outcome(sub(child_trap, NULL)), 0);
	CHECK_EQ("TRAP with SIGSYS blocked kills", outcome(sub(child_trap_unhandled, (void *)1)), 1000 + SIGSYS);
	CHECK_EQ("TRAP with SIGSYS ignored kills", outcome(sub(child_trap_unhandled, NULL)), 1000 + SIGSYS);
}

/* seccomp_data: nr, arch, ip, args and the program's own arithmetic. */
static int child_data(void *arg)
{
	struct sock_filter arch[] = {
		STMT(LD_ABS, OFF_ARCH),
		JUMP(JEQ_K, ARCH_X86_64, 1, 0),
		STMT(RET_K, R_KILL_PROCESS),
		STMT(LD_ABS, OFF_IP),
		JUMP(JEQ_K, 0, 0, 1),
		STMT(RET_K, R_KILL_PROCESS),
		STMT(RET_K, R_ALLOW),
	};
	struct sock_filter args[] = {
		STMT(LD_ABS, OFF_NR),
		JUMP(JEQ_K, SYS_getppid, 0, 6),
		STMT(LD_ABS, OFF_ARG0),
		JUMP(JEQ_K, 42, 0, 4),
		STMT(LD_ABS, OFF_ARG0 + 4),
		JUMP(JEQ_K, 1, 0, 1),
		STMT(RET_K, R_ERRNO | EDOM),
		STMT(RET_K, R_ERRNO | ERANGE),
		STMT(RET_K, R_ALLOW),
	};
	struct sock_filter x32[] = {
		STMT(LD_ABS, OFF_NR),
		JUMP(JSET_K, X32_BIT, 0, 1),
		STMT(RET_K, R_ERRNO | 77),
		STMT(RET_K, R_ALLOW),
	};
	/* (((100 / 7) * 3) + len) | ERRNO, through a scratch word. */
	struct sock_filter math[] = {
		STMT(LD_ABS, OFF_NR),
		JUMP(JEQ_K, SYS_getuid, 0, 10),
		STMT(LD_IMM, 100),
		STMT(ALU_DIV_K, 7),
		STMT(ALU_MUL_K, 3),
		STMT(ST, 5),
		STMT(LD_LEN, 0),
		STMT(0x07, 0),		/* TAX */
		STMT(LD_MEM, 5),
		STMT(0x0c, 0),		/* ADD X */
		STMT(ALU_OR_K, R_ERRNO),
		STMT(RET_A, 0),
		STMT(RET_K, R_ALLOW),
	};
	struct sock_filter divx[] = {
		STMT(LD_ABS, OFF_NR),
		JUMP(JEQ_K, SYS_getgid, 0, 3),
		STMT(LDX_IMM, 0),
		STMT(LD_IMM, R_ALLOW),
		STMT(ALU_DIV_X, 0),
		STMT(RET_K, R_ALLOW),
	};

	pid_t ppid = getppid();

	(void)arg;
	CHECK_ERR("x32 call without a filter ENOSYS", syscall(SYS_getppid | X32_BIT), ENOSYS);
	CHECK_EQ("arch and ip filter installs", install(arch, N(arch), 0), 0);
	CHECK_EQ("arch is AUDIT_ARCH_X86_64, ip set", syscall(SYS_getppid), ppid);
	CHECK_EQ("args filter installs", install(args, N(args), 0), 0);
	CHECK_ERR("args[0] == 1<<32 | 42: EDOM", syscall(SYS_getppid, (1UL << 32) | 42), EDOM);
	CHECK_ERR("args[0] == 42: high word differs ERANGE", syscall(SYS_getppid, 42), ERANGE);
	CHECK_EQ("args[0] == 43 runs", syscall(SYS_getppid, 43), ppid);
	CHECK_EQ("x32 filter installs", install(x32, N(x32), 0), 0);
	CHECK_ERR("nr carries the x32 bit", syscall(SYS_getppid | X32_BIT), 77);
	CHECK_EQ("math filter installs", install(math, N(math), 0), 0);
	CHECK_ERR("ALU, scratch, LEN = 64, RET A: errno 106", syscall(SYS_getuid), 106);
	CHECK_EQ("divide by X = 0 installs", install(divx, N(divx), 0), 0);
	syscall(SYS_getgid);	/* the program returns 0: KILL_THREAD */
	return 100;
}

static int exec_check(void)
{
	TEST_BEGIN(T);
	CHECK_EQ("exec: PR_GET_SECCOMP 2", prctl(PR_GET_SECCOMP), 2);
	CHECK_ERR("exec: the filter is kept", syscall(SYS_getppid), ENOEXEC);
	CHECK_EQ("exec: Seccomp_filters: 1", status_field(getpid(), "Seccomp_filters"), 1);
	return check_fails ? 1 : 0;
}

static int child_inherit(void *arg)
{
	char *argv[] = { "abi_seccomp", "exec-check", NULL };
	pid_t pid;
	int st = -1;

	(void)arg;
	on_getppid(R_ERRNO | ENOEXEC, 0);
	pid = fork();
	if (pid == 0) {
		long r = syscall(SYS_getppid);

		_exit(r == -1 && errno == ENOEXEC ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	CHECK_EQ("fork: the child has the filter", outcome(st), 0);
	pid = fork();
	if (pid == 0) {
		execv("/proc/self/exe", argv);
		_exit(101);
	}
	waitpid(pid, &st, 0);
	CHECK_EQ("exec keeps mode and filters", outcome(st), 0);
	return check_fails ? 1 : 0;
}

static volatile int th_stage;
static volatile long th_result, th_tid;
static int th_errno;

static void *thread_tsync(void *arg)
{
	(void)arg;
	th_tid = syscall(SYS_gettid);
	if (th_stage == 10)
		on_getppid(R_ERRNO | EXDEV, 0);	/* its own filter */
	th_stage = 1;
	while (th_stage != 2)
		usleep(1000);
	th_result = syscall(SYS_getppid);
	th_errno = errno;
	return NULL;
}

static int child_tsync(void *arg)
{
	pthread_t th;

	th_stage = arg ? 10 : 0;
	if (pthread_create(&th, NULL, thread_tsync, NULL))
		return 97;
	while (th_stage != 1)
		usleep(1000);
	if (arg) {
		long r = on_getppid(R_ERRNO | EBADF, F_TSYNC);

		CHECK_EQ("TSYNC fails: the other thread's tid", r, th_tid);
		CHECK_ERR("TSYNC_ESRCH: ESRCH", on_getppid(R_ERRNO | EBADF, F_TSYNC | F_TSYNC_ESRCH), ESRCH);
		CHECK_EQ("TSYNC failure installs nothing", prctl(PR_GET_SECCOMP), 0);
		th_stage = 2;
		pthread_join(th, NULL);
		CHECK("the thread kept its own filter", th_result == -1 && th_errno == EXDEV);
		return check_fails ? 1 : 0;
	}
	CHECK_EQ("TSYNC with a thread", on_getppid(R_ERRNO | EBADF, F_TSYNC | F_SPEC_ALLOW), 0);
	th_stage = 2;
	pthread_join(th, NULL);
	CHECK("TSYNC: the thread has the filter", th_result == -1 && th_errno == EBADF);
	CHECK_EQ("TSYNC: again over a shared chain", on_getppid(R_ERRNO | EIO, F_TSYNC), 0);
	return check_fails ? 1 : 0;
}

static int child_tsync_alone(void *arg)
{
	(void)arg;
	CHECK_EQ("TSYNC single-threaded", on_getppid(R_ERRNO | EBADF, F_TSYNC), 0);
	CHECK_ERR("TSYNC single-threaded applies", syscall(SYS_getppid), EBADF);
	return check_fails ? 1 : 0;
}

#define GET_FILTER	0x420c
#define GET_METADATA	0x420d

/* The filters of stopped tracee @pid: ALLOW with FLAG_LOG, then TRACE. */
static void test_get_filter(pid_t pid)
{
	struct sock_filter f[8];
	uint64_t md[2];

	memset(f, 0, sizeof f);
	CHECK_EQ("GET_FILTER 0, NULL: its length", ptrace(GET_FILTER, pid, 0, NULL), 4);
	CHECK_EQ("GET_FILTER 1: the newest", ptrace(GET_FILTER, pid, 1, f), 4);
	CHECK("GET_FILTER: the program as given",
	      f[0].code == LD_ABS && f[1].k == SYS_getppid && f[2].k == (R_TRACE | 0x321));
	CHECK_ERR("GET_FILTER past the last ENOENT", ptrace(GET_FILTER, pid, 2, f), ENOENT);
	CHECK_ERR("GET_FILTER bad buffer EFAULT", ptrace(GET_FILTER, pid, 0, BAD_KTOP), EFAULT);
	md[0] = 0;
	md[1] = 99;
	CHECK_EQ("GET_METADATA 0", ptrace(GET_METADATA, pid, sizeof md, md), 16);
	CHECK_EQ("GET_METADATA 0: FLAG_LOG", md[1], F_LOG);
	md[0] = 1;
	CHECK_EQ("GET_METADATA 1", ptrace(GET_METADATA, pid, 64, md), 16);
	CHECK_EQ("GET_METADATA 1: no flags", md[1], 0);
	md[0] = 5;
	CHECK_ERR("GET_METADATA past the last ENOENT", ptrace(GET_METADATA, pid, 16, md), ENOENT);
	CHECK_ERR("GET_METADATA size 4 EINVAL", ptrace(GET_METADATA, pid, 4, md), EINVAL);
}

/* PTRACE_EVENT_SECCOMP: the tracer sees the data and may change the call. */
static void test_trace(void)
{
	pid_t pid = fork();
	int st = -1, ok = 1;
	unsigned long msg = 0;

	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		on_getppid(R_ALLOW, F_LOG);
		on_getppid(R_TRACE | 0x321, 0);
		long a = syscall(SYS_getppid);	/* made getpid by the tracer */
		long b = syscall(SYS_getppid);	/* skipped by the tracer */
		int eb = errno;

		_exit(a == getpid() && b == -1 && eb == ENOSYS ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	ptrace(PTRACE_SETOPTIONS, pid, 0, O_TRACESECCOMP);
	ptrace(PTRACE_CONT, pid, 0, 0);
	for (int i = 0; i < 2; i++) {
		waitpid(pid, &st, 0);
		ok &= WIFSTOPPED(st) && (st >> 8) == (SIGTRAP | EVENT_SECCOMP << 8);
		ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg);
		ok &= msg == 0x321;
		long rax = ptrace(PTRACE_PEEKUSER, pid, 10 * 8, 0);
		long orig = ptrace(PTRACE_PEEKUSER, pid, 15 * 8, 0);

		ok &= rax == -ENOSYS && orig == SYS_getppid;
		struct {
			uint8_t op, pad[3];
			uint32_t arch;
			uint64_t ip, sp, nr, args[6];
			uint32_t ret_data;
		} info;
		memset(&info, 0, sizeof info);
		long len = ptrace(0x420e, pid, sizeof info, &info);	/* GET_SYSCALL_INFO */

		ok &= len == 84 && info.op == 3 && info.arch == ARCH_X86_64 &&
		      info.nr == SYS_getppid && info.ret_data == 0x321 && info.ip;
		if (i == 0)
			test_get_filter(pid);
		ptrace(PTRACE_POKEUSER, pid, 15 * 8, i == 0 ? SYS_getpid : -1);
		ptrace(PTRACE_CONT, pid, 0, 0);
	}
	CHECK("TRACE: the event stop, its data, rax -ENOSYS, GET_SYSCALL_INFO", ok);
	waitpid(pid, &st, 0);
	CHECK_EQ("TRACE: the tracer changed and skipped calls", outcome(st), 0);
}

static int child_suspend_eperm(void *arg)
{
	pid_t pid;
	int st;

	(void)arg;
	on_getppid(R_ERRNO | EIO, 0);
	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	CHECK_ERR("SUSPEND_SECCOMP by a tracer in seccomp EPERM",
		  ptrace(PTRACE_SEIZE, pid, 0, O_SUSPEND_SECCOMP), EPERM);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return check_fails ? 1 : 0;
}

/* PTRACE_O_SUSPEND_SECCOMP: the tracee runs as if it had no filter. */
static void test_suspend(void)
{
	int p[2], st = -1;
	pid_t pid;
	char c;

	if (pipe(p))
		return;
	pid = fork();
	if (pid == 0) {
		pid_t ppid = getppid();

		on_getppid(R_ERRNO | EIO, 0);
		if (read(p[0], &c, 1) != 1)
			_exit(2);
		_exit(syscall(SYS_getppid) == ppid ? 0 : 1);
	}
	usleep(100000);
	CHECK_EQ("SEIZE with SUSPEND_SECCOMP", ptrace(PTRACE_SEIZE, pid, 0, O_SUSPEND_SECCOMP), 0);
	write(p[1], "g", 1);
	waitpid(pid, &st, 0);
	CHECK_EQ("SUSPEND_SECCOMP: the tracee's filter is off", outcome(st), 0);
	close(p[0]);
	close(p[1]);
	CHECK_EQ("tracer in seccomp", outcome(sub(child_suspend_eperm, NULL)), 0);
}

#define LOGGED "/proc/sys/kernel/seccomp/actions_logged"

static long sysctl_write(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	long r;

	if (fd < 0)
		return -1;
	r = write(fd, text, strlen(text));
	close(fd);
	return r;
}

static const char *sysctl_text(const char *path)
{
	static char buf[256];

	return slurp(path, buf, sizeof buf) < 0 ? "(unreadable)" : buf;
}

/* kernel.seccomp.actions_avail and actions_logged (root: CAP_SYS_ADMIN). */
static void test_sysctl(void)
{
	static const char deflt[] = "kill_process kill_thread trap errno user_notif trace log\n";

	CHECK_STR("actions_avail", sysctl_text("/proc/sys/kernel/seccomp/actions_avail"),
		  "kill_process kill_thread trap errno user_notif trace log allow\n");
	CHECK_ERR("actions_avail is read-only", sysctl_write("/proc/sys/kernel/seccomp/actions_avail", "log\n"), EACCES);
	CHECK_STR("actions_logged default", sysctl_text(LOGGED), deflt);
	CHECK_EQ("actions_logged: write two", sysctl_write(LOGGED, "errno trap\n"), 11);
	CHECK_STR("actions_logged: in the table's order", sysctl_text(LOGGED), "trap errno\n");
	CHECK_ERR("actions_logged: allow EINVAL", sysctl_write(LOGGED, "log allow\n"), EINVAL);
	CHECK_ERR("actions_logged: unknown name EINVAL", sysctl_write(LOGGED, "kill\n"), EINVAL);
	CHECK_STR("actions_logged: kept after errors", sysctl_text(LOGGED), "trap errno\n");
	CHECK_EQ("actions_logged: a double blank ends the list", sysctl_write(LOGGED, "log  bogus"), 10);
	CHECK_STR("actions_logged: log only", sysctl_text(LOGGED), "log\n");
	CHECK_EQ("actions_logged: empty", sysctl_write(LOGGED, "\n"), 1);
	CHECK_STR("actions_logged: none", sysctl_text(LOGGED), "\n");
	CHECK_EQ("actions_logged: restored", sysctl_write(LOGGED, deflt), (long)strlen(deflt));
	CHECK_STR("actions_logged: default again", sysctl_text(LOGGED), deflt);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "exec-check") == 0)
		return exec_check();
	TEST_BEGIN(T);
	test_errors();
	test_verifier();
	CHECK_EQ("EACCES and no_new_privs", outcome(sub(child_eacces, NULL)), 0);
	test_strict();
	CHECK_EQ("actions and precedence", outcome(sub(child_actions, NULL)), 0);
	CHECK_EQ("ERRNO capped", outcome(sub(child_errno_values, NULL)), 0);
	CHECK_EQ("ERRNO 0", outcome(sub(child_errno0, NULL)), 0);
	CHECK_EQ("LOG, ALLOW, USER_NOTIF", outcome(sub(child_simple, NULL)), 0);
	test_kills();
	test_trap();
	CHECK_EQ("seccomp_data and BPF, ending in a divide by 0", outcome(sub(child_data, NULL)), 1000 + SIGSYS);
	CHECK_EQ("fork and exec", outcome(sub(child_inherit, NULL)), 0);
	CHECK_EQ("TSYNC", outcome(sub(child_tsync, NULL)), 0);
	CHECK_EQ("TSYNC refused", outcome(sub(child_tsync, (void *)1)), 0);
	CHECK_EQ("TSYNC alone", outcome(sub(child_tsync_alone, NULL)), 0);
	test_trace();
	test_suspend();
	test_sysctl();
	return TEST_END();
}
