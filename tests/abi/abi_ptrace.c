/* abi_ptrace.c - ptrace(2) as Linux 6.1 gives it: TRACEME and the exec SIGTRAP, ATTACH of running and stopped tasks, SEIZE, INTERRUPT and LISTEN (strace's start), stops seen by waitpid, /proc/PID/status in a stop, PEEK/POKE of data and struct user, debug registers, GETREGS/SETREGS, FP registers and regsets (NT_X86_XSTATE too), PTRACE_SYSCALL stops (orig_rax, rax, TRACESYSGOOD, GET_SYSCALL_INFO), the exec, exit and fork events, SINGLESTEP, int3, signal suppression and injection, a tracer's exit (detach, EXITKILL), and the errno of bad requests. */
#include "ptrace_util.h"
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/uio.h>
#include <sys/stat.h>
#include <elf.h>
#include <pthread.h>

#define T "abi_ptrace"

static char self_path[256];
static volatile long word = 0x1122334455667788L;

/* A child that sleeps until killed (or until @word changes: exit 7/8). */
static pid_t spawn_sleeper(void)
{
	pid_t p = fork();

	if (p == 0) {
		while (word == 0x1122334455667788L)
			usleep(2000);
		_exit(word == 0x55aa ? 7 : 8);
	}
	return p;
}

/* The line of /proc/@pid/status that starts with @key, value only. */
static const char *status_field(pid_t pid, const char *key, char *out, size_t n)
{
	char path[64], buf[4096], *s, *e;

	snprintf(path, sizeof path, "/proc/%d/status", pid);
	if (slurp(path, buf, sizeof buf) < 0 || !(s = strstr(buf, key)))
		return "";
	s += strlen(key);
	while (*s == '\t' || *s == ' ')
		s++;
	e = strchr(s, '\n');
	if (e)
		*e = 0;
	snprintf(out, n, "%s", s);
	return out;
}

/* Resume stopped tracee @p and check that it exits with @code. */
static void cont_to_exit(pid_t p, int code, const char *what)
{
	int st;

	pt(PTRACE_CONT, p, 0, 0);
	st = wait_st(p);
	CHECK(what, WIFEXITED(st) && WEXITSTATUS(st) == code);
}

/* A TRACEME child that (after a SIGSTOP if @stop) execs us to exit 42. */
static pid_t spawn_exec42(int stop)
{
	pid_t p = fork();

	if (p == 0) {
		char *argv[] = { self_path, "exit42", NULL };

		pt(PTRACE_TRACEME, 0, 0, 0);
		if (stop)
			kill(getpid(), SIGSTOP);
		execv(self_path, argv);
		_exit(99);
	}
	return p;
}

static void test_traceme_exec(void)
{
	char buf[64], me[16];
	siginfo_t si;
	unsigned long msg = 0;
	pid_t p = spawn_exec42(0);
	int st;

	st = wait_st(p);
	CHECK("TRACEME: exec stops with SIGTRAP", WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP);
	CHECK_STR("status State in a ptrace stop", status_field(p, "State:", buf, sizeof buf), "t (tracing stop)");
	snprintf(me, sizeof me, "%d", getpid());
	CHECK_STR("status TracerPid", status_field(p, "TracerPid:", buf, sizeof buf), me);
	memset(&si, 0, sizeof si);
	CHECK_OK("GETSIGINFO of the exec SIGTRAP", pt(PTRACE_GETSIGINFO, p, 0, (unsigned long)&si));
	CHECK("exec SIGTRAP siginfo: SIGTRAP, SI_USER", si.si_signo == SIGTRAP && si.si_code == SI_USER);
	CHECK_ERR("TRACEME'd child: ATTACH again EPERM", pt(PTRACE_ATTACH, p, 0, 0), EPERM);
	CHECK_ERR("SETOPTIONS with an unknown bit EINVAL", pt(PTRACE_SETOPTIONS, p, 0, 1 << 30), EINVAL);
	CHECK_OK("SETOPTIONS TRACEEXIT", pt(PTRACE_SETOPTIONS, p, 0, PTRACE_O_TRACEEXIT));
	CHECK_ERR("CONT with signal 65 EIO", pt(PTRACE_CONT, p, 0, 65), EIO);
	CHECK_ERR("an unknown request EIO", pt(0x7777, p, 0, 0), EIO);
	CHECK_OK("CONT", pt(PTRACE_CONT, p, 0, 0));
	st = wait_st(p);
	CHECK("TRACEEXIT: the exit event stop", WIFSTOPPED(st) && (st >> 8) == (SIGTRAP | PTRACE_EVENT_EXIT << 8));
	CHECK_OK("GETEVENTMSG", pt(PTRACE_GETEVENTMSG, p, 0, (unsigned long)&msg));
	CHECK_EQ("exit event message: the exit status", msg, 42 << 8);
	CHECK_OK("CONT from the exit event", pt(PTRACE_CONT, p, 0, 0));
	st = wait_st(p);
	CHECK("traced exec'd child exits 42", WIFEXITED(st) && WEXITSTATUS(st) == 42);
}

static void test_exec_event(void)
{
	unsigned long msg = 0;
	pid_t p = spawn_exec42(1);
	int st;

	st = wait_st(p);
	CHECK("TRACEME child stops with SIGSTOP", WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	pt(PTRACE_SETOPTIONS, p, 0, PTRACE_O_TRACEEXEC);
	pt(PTRACE_CONT, p, 0, 0);
	st = wait_st(p);
	CHECK("TRACEEXEC: the exec event stop", WIFSTOPPED(st) && (st >> 8) == (SIGTRAP | PTRACE_EVENT_EXEC << 8));
	pt(PTRACE_GETEVENTMSG, p, 0, (unsigned long)&msg);
	CHECK_EQ("exec event message: the pid", msg, p);
	cont_to_exit(p, 42, "no SIGTRAP after the exec event: exit 42");
}

static void test_attach_memory(void)
{
	pid_t p = spawn_sleeper();
	siginfo_t si;
	long v = 0;
	int st;

	CHECK_ERR("CONT of an untraced child ESRCH", pt(PTRACE_CONT, p, 0, 0), ESRCH);
	CHECK_ERR("PEEKDATA of an untraced child ESRCH", pt(PTRACE_PEEKDATA, p, (unsigned long)&word, (unsigned long)&v), ESRCH);
	CHECK_OK("ATTACH", pt(PTRACE_ATTACH, p, 0, 0));
	st = wait_st(p);
	CHECK("ATTACH: waitpid sees the SIGSTOP stop", WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	memset(&si, 0, sizeof si);
	pt(PTRACE_GETSIGINFO, p, 0, (unsigned long)&si);
	CHECK("ATTACH's SIGSTOP: SI_KERNEL", si.si_signo == SIGSTOP && si.si_code == SI_KERNEL);
	CHECK_OK("PEEKDATA", pt(PTRACE_PEEKDATA, p, (unsigned long)&word, (unsigned long)&v));
	CHECK_EQ("PEEKDATA reads the word", v, 0x1122334455667788L);
	CHECK_OK("PEEKTEXT of code", pt(PTRACE_PEEKTEXT, p, (unsigned long)&spawn_sleeper, (unsigned long)&v));
	CHECK_ERR("PEEKDATA at 0 EIO", pt(PTRACE_PEEKDATA, p, 0, (unsigned long)&v), EIO);
	CHECK_ERR("POKEDATA at 0 EIO", pt(PTRACE_POKEDATA, p, 0, 1), EIO);
	CHECK_ERR("PEEKUSER unaligned EIO", pt(PTRACE_PEEKUSER, p, 3, (unsigned long)&v), EIO);
	/* The kernel's struct user ends with error_code and fault_address. */
	CHECK_OK("PEEKUSER of fault_address", pt(PTRACE_PEEKUSER, p, sizeof(struct user) + 8, (unsigned long)&v));
	CHECK_ERR("PEEKUSER past struct user EIO", pt(PTRACE_PEEKUSER, p, sizeof(struct user) + 16, (unsigned long)&v), EIO);
	CHECK_OK("PEEKUSER u_debugreg[7]", pt(PTRACE_PEEKUSER, p, offsetof(struct user, u_debugreg[7]), (unsigned long)&v));
	CHECK_OK("PEEKUSER of u_tsize (reads 0)", pt(PTRACE_PEEKUSER, p, offsetof(struct user, u_tsize), (unsigned long)&v));
	CHECK_ERR("POKEUSER of u_tsize EIO", pt(PTRACE_POKEUSER, p, offsetof(struct user, u_tsize), 0), EIO);
	CHECK_ERR("POKEUSER of cs 0 EIO", pt(PTRACE_POKEUSER, p, offsetof(struct user_regs_struct, cs), 0), EIO);
	CHECK_OK("POKEDATA", pt(PTRACE_POKEDATA, p, (unsigned long)&word, 0x55aa));
	CHECK_OK("CONT", pt(PTRACE_CONT, p, 0, 0));
	CHECK_ERR("GETREGS of a running tracee ESRCH", pt(PTRACE_GETREGS, p, 0, 0), ESRCH);
	st = wait_st(p);
	CHECK("the child saw the poked word (exit 7)", WIFEXITED(st) && WEXITSTATUS(st) == 7);
}

/* Linux's struct ptrace_syscall_info. */
struct sysinfo_ {
	unsigned char op, pad[3];
	unsigned arch;
	unsigned long long instruction_pointer, stack_pointer;
	union {
		struct {
			unsigned long long nr, args[6];
		} entry;
		struct {
			long long rval;
			unsigned char is_error;
		} exit;
	};
};

#define PTRACE_GET_SYSCALL_INFO_ 0x420e

static int do_int3(void)
{
	__asm__ __volatile__("int3");
	return 0;
}

static void test_int3(void)
{
	pid_t p = spawn_traceme(do_int3);
	siginfo_t si;
	int st;

	wait_st(p);
	pt(PTRACE_CONT, p, 0, 0);
	st = wait_st(p);
	CHECK("int3: a SIGTRAP stop", WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP);
	memset(&si, 0, sizeof si);
	pt(PTRACE_GETSIGINFO, p, 0, (unsigned long)&si);
	CHECK_EQ("int3's SIGTRAP: si_code SI_KERNEL", si.si_code, SI_KERNEL);
	cont_to_exit(p, 0, "CONT with 0: runs on past it");
}

static int do_getpid(void)
{
	return syscall(SYS_getpid) == 12345 ? 0 : 1;
}

static void test_syscall_regs(void)
{
	pid_t p = spawn_traceme(do_getpid);
	struct user_regs_struct r, r2;
	int st, entry = 1, seen_entry = 0, seen_exit = 0, good = 1;
	long rip = 0;
	unsigned long msg = 0;
	struct sysinfo_ info;

	st = wait_st(p);
	CHECK("stopped by its SIGSTOP", WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	CHECK_OK("GETREGS", pt(PTRACE_GETREGS, p, 0, (unsigned long)&r));
	CHECK_OK("PEEKUSER rip", pt(PTRACE_PEEKUSER, p, offsetof(struct user_regs_struct, rip), (unsigned long)&rip));
	CHECK_EQ("PEEKUSER rip is GETREGS's", rip, r.rip);
	CHECK("GETREGS: 64-bit user segments", r.cs == 0x33 && r.ss == 0x2b);
	CHECK_OK("SETREGS of the same registers", pt(PTRACE_SETREGS, p, 0, (unsigned long)&r));
	pt(PTRACE_GETREGS, p, 0, (unsigned long)&r2);
	CHECK("SETREGS round trip", memcmp(&r, &r2, sizeof r) == 0);
	memset(&info, 0xff, sizeof info);
	CHECK_EQ("GET_SYSCALL_INFO at a signal stop: no call", pt(PTRACE_GET_SYSCALL_INFO_, p, sizeof info, (unsigned long)&info), 24);
	CHECK("GET_SYSCALL_INFO: op NONE", info.op == 0 && info.arch == 0xc000003e);
	CHECK_OK("SETOPTIONS TRACESYSGOOD", pt(PTRACE_SETOPTIONS, p, 0, PTRACE_O_TRACESYSGOOD));
	for (int i = 0; i < 40 && !seen_exit; i++) {
		if (pt(PTRACE_SYSCALL, p, 0, 0))
			break;
		st = wait_st(p);
		if (!WIFSTOPPED(st) || WSTOPSIG(st) != (SIGTRAP | 0x80)) {
			good = 0;
			break;
		}
		pt(PTRACE_GETREGS, p, 0, (unsigned long)&r);
		if (entry && r.orig_rax == SYS_getpid) {
			seen_entry = 1;
			CHECK_EQ("syscall entry: rax is -ENOSYS", (long)r.rax, -ENOSYS);
			pt(PTRACE_GETEVENTMSG, p, 0, (unsigned long)&msg);
			CHECK_EQ("syscall entry: event message 1", msg, 1);
			memset(&info, 0xff, sizeof info);
			CHECK_EQ("GET_SYSCALL_INFO at entry: its size", pt(PTRACE_GET_SYSCALL_INFO_, p, sizeof info, (unsigned long)&info), 80);
			CHECK("GET_SYSCALL_INFO: entry of getpid", info.op == 1 && info.arch == 0xc000003e && info.entry.nr == SYS_getpid && info.instruction_pointer == r.rip && info.stack_pointer == r.rsp);
		} else if (!entry && seen_entry) {
			seen_exit = 1;
			CHECK_EQ("syscall exit: orig_rax getpid", r.orig_rax, SYS_getpid);
			CHECK_EQ("syscall exit: rax the pid", r.rax, p);
			pt(PTRACE_GETEVENTMSG, p, 0, (unsigned long)&msg);
			CHECK_EQ("syscall exit: event message 2", msg, 2);
			memset(&info, 0xff, sizeof info);
			CHECK_EQ("GET_SYSCALL_INFO at exit: its size", pt(PTRACE_GET_SYSCALL_INFO_, p, sizeof info, (unsigned long)&info), 33);
			CHECK("GET_SYSCALL_INFO: exit with the pid", info.op == 2 && info.exit.rval == p && info.exit.is_error == 0);
			r.rax = 12345;
			CHECK_OK("SETREGS rax at exit", pt(PTRACE_SETREGS, p, 0, (unsigned long)&r));
		}
		entry = !entry;
	}
	CHECK("syscall stops are SIGTRAP|0x80", good);
	CHECK("getpid's entry and exit stops", seen_entry && seen_exit);
	cont_to_exit(p, 0, "the child saw the changed rax (exit 0)");
}

static int do_mxcsr(void)
{
	unsigned m = 0x3f80;

	__asm__ __volatile__("ldmxcsr %0" : : "m"(m));
	kill(getpid(), SIGSTOP);
	__asm__ __volatile__("stmxcsr %0" : "=m"(m));
	return m == 0x5f80 ? 0 : 1;
}

#define NT_X86_XSTATE_ 0x202

/* NT_X86_XSTATE of @p, whose MXCSR is 0x5f80, if the CPU has XSAVE. */
static void test_xstate(pid_t p)
{
	unsigned a, b, c, d, lo, hi;
	unsigned long long xcr0, bv;
	static unsigned char xs[8192] __attribute__((aligned(64)));
	struct iovec iov;
	unsigned mx;

	__asm__ __volatile__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	if (!(c & (1u << 27)))		/* OSXSAVE */
		return;
	__asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	xcr0 = (unsigned long long)hi << 32 | lo;
	__asm__ __volatile__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0xd), "c"(0));
	memset(xs, 0xa5, sizeof xs);
	iov.iov_base = xs;
	iov.iov_len = sizeof xs;
	CHECK_OK("GETREGSET NT_X86_XSTATE", pt(PTRACE_GETREGSET, p, NT_X86_XSTATE_, (unsigned long)&iov));
	CHECK_EQ("NT_X86_XSTATE length: CPUID 0xd's EBX", iov.iov_len, b);
	memcpy(&mx, xs + 24, 4);
	CHECK_EQ("NT_X86_XSTATE: the MXCSR SETFPREGS set", mx, 0x5f80);
	memcpy(&bv, xs + 464, 8);
	CHECK_EQ("NT_X86_XSTATE: XCR0 in bytes 464..471", bv, xcr0);
	CHECK_OK("SETREGSET NT_X86_XSTATE of the same", pt(PTRACE_SETREGSET, p, NT_X86_XSTATE_, (unsigned long)&iov));
	iov.iov_len = b - 64;
	CHECK_ERR("SETREGSET NT_X86_XSTATE short EFAULT", pt(PTRACE_SETREGSET, p, NT_X86_XSTATE_, (unsigned long)&iov), EFAULT);
	iov.iov_len = b;
	memset(xs + 520, 0xff, 8);	/* XCOMP_BV */
	CHECK_ERR("SETREGSET with XCOMP_BV set EINVAL", pt(PTRACE_SETREGSET, p, NT_X86_XSTATE_, (unsigned long)&iov), EINVAL);
	memset(xs + 520, 0, 8);
	bv = ~xcr0;
	memcpy(xs + 512, &bv, 8);
	CHECK_ERR("SETREGSET with XSTATE_BV past XCR0 EINVAL", pt(PTRACE_SETREGSET, p, NT_X86_XSTATE_, (unsigned long)&iov), EINVAL);
}

static void test_fpregs(void)
{
	pid_t p = spawn_traceme(do_mxcsr);
	struct user_fpregs_struct fp, fp2;
	struct user_regs_struct r;
	struct iovec iov;
	int st;

	wait_st(p);			/* its own SIGSTOP */
	pt(PTRACE_CONT, p, 0, 0);
	st = wait_st(p);		/* the second, after ldmxcsr */
	CHECK("stopped again", WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	CHECK_OK("GETFPREGS", pt(PTRACE_GETFPREGS, p, 0, (unsigned long)&fp));
	CHECK_EQ("GETFPREGS: the child's MXCSR", fp.mxcsr, 0x3f80);
	iov.iov_base = &fp2;
	iov.iov_len = sizeof fp2 + 64;
	CHECK_OK("GETREGSET NT_PRFPREG", pt(PTRACE_GETREGSET, p, NT_PRFPREG, (unsigned long)&iov));
	CHECK_EQ("NT_PRFPREG length", iov.iov_len, sizeof fp2);
	CHECK("NT_PRFPREG is GETFPREGS's", memcmp(&fp, &fp2, sizeof fp) == 0);
	iov.iov_base = &r;
	iov.iov_len = sizeof r;
	CHECK_OK("GETREGSET NT_PRSTATUS", pt(PTRACE_GETREGSET, p, NT_PRSTATUS, (unsigned long)&iov));
	CHECK_EQ("NT_PRSTATUS length", iov.iov_len, sizeof r);
	iov.iov_len = 7;
	CHECK_ERR("GETREGSET of 7 bytes EINVAL", pt(PTRACE_GETREGSET, p, NT_PRSTATUS, (unsigned long)&iov), EINVAL);
	iov.iov_len = sizeof r;
	CHECK_ERR("GETREGSET of an unknown note EINVAL", pt(PTRACE_GETREGSET, p, 0x999, (unsigned long)&iov), EINVAL);
	fp2 = fp;
	fp2.mxcsr = 0x80000000u;
	CHECK_ERR("SETFPREGS with a reserved MXCSR bit EINVAL", pt(PTRACE_SETFPREGS, p, 0, (unsigned long)&fp2), EINVAL);
	fp.mxcsr = 0x5f80;
	CHECK_OK("SETFPREGS", pt(PTRACE_SETFPREGS, p, 0, (unsigned long)&fp));
	test_xstate(p);
	cont_to_exit(p, 0, "the child saw the MXCSR set (exit 0)");
}

static int do_fork(void)
{
	pid_t c = fork();
	int st = 0;

	if (c == 0)
		_exit(5);
	if (waitpid(c, &st, 0) != c)
		return 2;
	return WIFEXITED(st) && WEXITSTATUS(st) == 5 ? 0 : 3;
}

/*
 * Stopped tracee @p, given @option, runs to its @event stop: the new
 * task it names, seen in its first stop (SIGSTOP) and resumed with @p;
 * the one's exit with @code is the tracer's to see, then @p's own end
 * (passing its SIGCHLD on) with 0.
 */
static void event_child(pid_t p, int option, int event, int code, const char *what)
{
	unsigned long id = 0;
	char name[96];
	int st;

	snprintf(name, sizeof name, "%s: SETOPTIONS", what);
	CHECK_OK(name, pt(PTRACE_SETOPTIONS, p, 0, option));
	pt(PTRACE_CONT, p, 0, 0);
	st = wait_st(p);
	snprintf(name, sizeof name, "%s: the event stop", what);
	CHECK(name, WIFSTOPPED(st) && (st >> 8) == (SIGTRAP | event << 8));
	pt(PTRACE_GETEVENTMSG, p, 0, (unsigned long)&id);
	snprintf(name, sizeof name, "%s: the event message names the new task", what);
	CHECK(name, id > 0 && (pid_t)id != p);
	st = wait_st((pid_t)id);
	snprintf(name, sizeof name, "%s: the new task is traced, stopped by SIGSTOP", what);
	CHECK(name, WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	pt(PTRACE_CONT, (pid_t)id, 0, 0);
	pt(PTRACE_CONT, p, 0, 0);
	st = wait_st((pid_t)id);
	snprintf(name, sizeof name, "%s: the tracer sees its exit", what);
	CHECK(name, WIFEXITED(st) && WEXITSTATUS(st) == code);
	for (st = wait_st(p); WIFSTOPPED(st); st = wait_st(p))
		pt(PTRACE_CONT, p, 0, WSTOPSIG(st) == SIGCHLD ? SIGCHLD : 0);
	snprintf(name, sizeof name, "%s: the creator waits for it and exits 0", what);
	CHECK(name, WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void *thread_fn(void *arg)
{
	return arg;
}

static int do_thread(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, thread_fn, NULL))
		return 2;
	return pthread_join(t, NULL) ? 3 : 0;
}

static void test_fork_clone_events(void)
{
	pid_t p = spawn_traceme(do_fork);

	wait_st(p);
	event_child(p, PTRACE_O_TRACEFORK, PTRACE_EVENT_FORK, 5, "TRACEFORK");
	p = spawn_traceme(do_thread);
	wait_st(p);
	event_child(p, PTRACE_O_TRACECLONE, PTRACE_EVENT_CLONE, 0, "TRACECLONE of a thread");
}

static void test_seize_interrupt(void)
{
	pid_t p = spawn_sleeper();
	int st;

	CHECK_ERR("SEIZE with addr EIO", pt(PTRACE_SEIZE, p, 1, 0), EIO);
	CHECK_ERR("SEIZE with a bad option EIO", pt(PTRACE_SEIZE, p, 0, 1 << 30), EIO);
	CHECK_OK("SEIZE", pt(PTRACE_SEIZE, p, 0, 0));
	CHECK_EQ("SEIZE does not stop it", waitpid(p, &st, WNOHANG | __WALL), 0);
	CHECK_OK("INTERRUPT", pt(PTRACE_INTERRUPT, p, 0, 0));
	st = wait_st(p);
	CHECK("INTERRUPT: the event stop", WIFSTOPPED(st) && (st >> 8) == (SIGTRAP | PTRACE_EVENT_STOP << 8));
	CHECK_OK("CONT", pt(PTRACE_CONT, p, 0, 0));
	CHECK_OK("KILL", pt(PTRACE_KILL, p, 0, 0));
	st = wait_st(p);
	CHECK("PTRACE_KILL kills", WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
}

/* A child that steps over itself: returns 0 if the tracer got here. */
static int do_steps(void)
{
	return 0;
}

static void test_singlestep(void)
{
	pid_t p = spawn_traceme(do_steps);
	struct user_regs_struct r0, r1;
	siginfo_t si;
	int st;

	wait_st(p);
	pt(PTRACE_GETREGS, p, 0, (unsigned long)&r0);
	CHECK_OK("SINGLESTEP", pt(PTRACE_SINGLESTEP, p, 0, 0));
	st = wait_st(p);
	CHECK("SINGLESTEP: a SIGTRAP stop", WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP);
	memset(&si, 0, sizeof si);
	pt(PTRACE_GETSIGINFO, p, 0, (unsigned long)&si);
	CHECK_EQ("the step's si_code TRAP_TRACE", si.si_code, 2);
	pt(PTRACE_GETREGS, p, 0, (unsigned long)&r1);
	CHECK("rip moved on", r1.rip != r0.rip);
	CHECK("the TF it set is not shown", !(r1.eflags & 0x100));
	pt(PTRACE_SINGLESTEP, p, 0, 0);
	st = wait_st(p);
	CHECK("a second step stops again", WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP);
	cont_to_exit(p, 0, "CONT runs it to its end");
}

static void test_inject_suppress(void)
{
	pid_t p = spawn_sleeper();
	int st;

	pt(PTRACE_ATTACH, p, 0, 0);
	wait_st(p);
	pt(PTRACE_CONT, p, 0, 0);
	kill(p, SIGUSR1);
	st = wait_st(p);
	CHECK("a signal stops the tracee first", WIFSTOPPED(st) && WSTOPSIG(st) == SIGUSR1);
	CHECK_OK("CONT with 0 suppresses it", pt(PTRACE_CONT, p, 0, 0));
	kill(p, SIGUSR2);
	st = wait_st(p);
	CHECK("the next signal stops it", WIFSTOPPED(st) && WSTOPSIG(st) == SIGUSR2);
	CHECK_OK("DETACH injecting SIGTERM", pt(PTRACE_DETACH, p, 0, SIGTERM));
	st = wait_st(p);
	CHECK("the injected signal kills it", WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
}

/* A tracer in a child: attaches @victim, sees its stop, exits. */
static int tracer_exits(pid_t victim, int seize_exitkill)
{
	pid_t t = fork();
	int st;

	if (t == 0) {
		if (seize_exitkill) {
			if (pt(PTRACE_SEIZE, victim, 0, PTRACE_O_EXITKILL))
				_exit(1);
			_exit(0);
		}
		if (pt(PTRACE_ATTACH, victim, 0, 0))
			_exit(1);
		st = wait_st(victim);
		_exit(WIFSTOPPED(st) ? 0 : 2);
	}
	st = wait_st(t);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_attach_stopped(void)
{
	pid_t p = spawn_sleeper();
	struct user_regs_struct r;
	long v = 0;
	int st;

	kill(p, SIGSTOP);
	st = -1;
	waitpid(p, &st, WUNTRACED);
	CHECK("a job-control stop first", WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	CHECK_OK("ATTACH to the stopped child", pt(PTRACE_ATTACH, p, 0, 0));
	CHECK_OK("GETREGS at once: already in a ptrace stop", pt(PTRACE_GETREGS, p, 0, (unsigned long)&r));
	st = wait_st(p);
	CHECK("waitpid reports the stop to the tracer", WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	CHECK_OK("PEEKUSER DR6", pt(PTRACE_PEEKUSER, p, offsetof(struct user, u_debugreg[6]), (unsigned long)&v));
	CHECK_EQ("DR6 reads as reset", v, 0xffff0ff0L);
	CHECK_ERR("DR0 of a kernel address EINVAL", pt(PTRACE_POKEUSER, p, offsetof(struct user, u_debugreg[0]), 0xffff800000000000UL), EINVAL);
	CHECK_ERR("DR4 EIO", pt(PTRACE_POKEUSER, p, offsetof(struct user, u_debugreg[4]), 0), EIO);
	CHECK_OK("DR0 of a user address", pt(PTRACE_POKEUSER, p, offsetof(struct user, u_debugreg[0]), 0x1000));
	pt(PTRACE_PEEKUSER, p, offsetof(struct user, u_debugreg[0]), (unsigned long)&v);
	CHECK_EQ("DR0 reads back", v, 0x1000);
	kill(p, SIGKILL);
	st = wait_st(p);
	CHECK("SIGKILL ends a ptrace stop", WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
}

/* strace's start: SEIZE a stopped child, SIGCONT it, LISTEN, go on. */
static void test_seize_listen(void)
{
	pid_t p = spawn_sleeper();
	siginfo_t si;
	int st = -1;

	kill(p, SIGSTOP);
	waitpid(p, &st, WUNTRACED);
	CHECK_OK("SEIZE a stopped child", pt(PTRACE_SEIZE, p, 0, PTRACE_O_TRACESYSGOOD));
	kill(p, SIGCONT);
	st = wait_st(p);
	CHECK("its group stop as PTRACE_EVENT_STOP", WIFSTOPPED(st) && (st >> 8) == (SIGSTOP | PTRACE_EVENT_STOP << 8));
	memset(&si, 0, sizeof si);
	CHECK_OK("GETSIGINFO of the group stop", pt(PTRACE_GETSIGINFO, p, 0, (unsigned long)&si));
	CHECK("its siginfo: SIGSTOP, the stop code", si.si_signo == SIGSTOP && si.si_code == (SIGSTOP | PTRACE_EVENT_STOP << 8));
	CHECK_OK("LISTEN", pt(PTRACE_LISTEN, p, 0, 0));
	st = wait_st(p);
	CHECK("the SIGCONT ends the group stop: a SIGTRAP event stop", WIFSTOPPED(st) && (st >> 8) == (SIGTRAP | PTRACE_EVENT_STOP << 8));
	CHECK_OK("CONT", pt(PTRACE_CONT, p, 0, 0));
	st = wait_st(p);
	CHECK("then the SIGCONT itself", WIFSTOPPED(st) && WSTOPSIG(st) == SIGCONT);
	CHECK_ERR("LISTEN at a signal stop EIO", pt(PTRACE_LISTEN, p, 0, 0), EIO);
	pt(PTRACE_CONT, p, 0, SIGCONT);
	kill(p, SIGSTOP);
	st = wait_st(p);
	CHECK("a SIGSTOP: its signal-delivery stop", WIFSTOPPED(st) && (st >> 8) == SIGSTOP);
	pt(PTRACE_CONT, p, 0, SIGSTOP);
	st = wait_st(p);
	CHECK("delivered: a group stop as PTRACE_EVENT_STOP", WIFSTOPPED(st) && (st >> 8) == (SIGSTOP | PTRACE_EVENT_STOP << 8));
	memset(&si, 0, sizeof si);
	CHECK_OK("its GETSIGINFO", pt(PTRACE_GETSIGINFO, p, 0, (unsigned long)&si));
	CHECK("SIGSTOP, the stop code", si.si_signo == SIGSTOP && si.si_code == (SIGSTOP | PTRACE_EVENT_STOP << 8));
	CHECK_OK("LISTEN in it", pt(PTRACE_LISTEN, p, 0, 0));
	CHECK_ERR("a listening tracee takes no requests: ESRCH", pt(PTRACE_GETREGS, p, 0, 0), ESRCH);
	kill(p, SIGKILL);
	st = wait_st(p);
	CHECK("killed", WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
}

static void test_tracer_exit(void)
{
	pid_t p = spawn_sleeper();
	char buf[64];
	int st;

	CHECK_EQ("a tracer attaches and exits", tracer_exits(p, 0), 0);
	usleep(20000);
	CHECK_STR("its tracee is let go: TracerPid 0", status_field(p, "TracerPid:", buf, sizeof buf), "0");
	CHECK("and runs on", status_field(p, "State:", buf, sizeof buf)[0] != 't');
	CHECK_EQ("EXITKILL tracer seizes and exits", tracer_exits(p, 1), 0);
	st = wait_st(p);
	CHECK("EXITKILL: the tracee is killed", WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
}

#define SUID_COPY "abi_ptrace_suid"

/* As user 65534: the set-user-id copy's euid untraced, then traced. */
static int suid_exec(void *arg)
{
	int st, untraced, traced;
	pid_t q;

	(void)arg;
	if (setresuid(65534, 65534, 65534))
		return 2;
	q = fork();
	if (q == 0) {
		execl(SUID_COPY, SUID_COPY, "euid", (char *)NULL);
		_exit(99);
	}
	untraced = wait_st(q);
	q = fork();
	if (q == 0) {
		pt(PTRACE_TRACEME, 0, 0, 0);
		execl(SUID_COPY, SUID_COPY, "euid", (char *)NULL);
		_exit(99);
	}
	st = wait_st(q);		/* the exec's SIGTRAP */
	pt(PTRACE_CONT, q, 0, 0);
	traced = wait_st(q);
	if (!WIFSTOPPED(st) || !WIFEXITED(untraced) || !WIFEXITED(traced))
		return 3;
	/* 10: euid 0 gained; 11: not. */
	return WEXITSTATUS(untraced) == 10 && WEXITSTATUS(traced) == 11 ? 0 :
	       WEXITSTATUS(untraced) * 16 + WEXITSTATUS(traced);
}

/* A set-user-id root program gains nothing under an unprivileged tracer. */
static void test_suid_exec(void)
{
	static char buf[65536];
	int in = open(self_path, O_RDONLY);
	int fd = open(SUID_COPY, O_WRONLY | O_CREAT | O_TRUNC, 0755), st;
	size_t off = 0;
	ssize_t r;

	while (in >= 0 && fd >= 0 && (r = read(in, buf, sizeof buf)) > 0)
		off += (size_t)write(fd, buf, (size_t)r);
	if (in >= 0)
		close(in);
	if (fd >= 0)
		close(fd);
	CHECK("set-user-id copy made", off > 0 && chown(SUID_COPY, 0, 0) == 0 && chmod(SUID_COPY, 04755) == 0 && chmod(".", 0755) == 0);
	st = run_child(suid_exec, NULL);
	CHECK_EQ("set-user-id root: euid 0 untraced, none under an unprivileged tracer", WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0);
	unlink(SUID_COPY);
}

static int attach_init_unprivileged(void *arg)
{
	(void)arg;
	if (setuid(65534))
		return 2;
	errno = 0;
	if (pt(PTRACE_ATTACH, 1, 0, 0) != -1)
		return 3;
	return errno == EPERM ? 0 : 4;
}

static void test_errors(void)
{
	int st;

	CHECK_ERR("ATTACH to self EPERM", pt(PTRACE_ATTACH, getpid(), 0, 0), EPERM);
	CHECK_ERR("ATTACH to no process ESRCH", pt(PTRACE_ATTACH, 0x3ffffff, 0, 0), ESRCH);
	st = run_child(attach_init_unprivileged, NULL);
	CHECK("ATTACH to pid 1 as another user EPERM", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK_ERR("GETREGS of an untraced pid ESRCH", pt(PTRACE_GETREGS, 1, 0, 0), ESRCH);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "exit42") == 0)
		_exit(42);
	if (argc > 1 && strcmp(argv[1], "euid") == 0)
		_exit(geteuid() == 0 ? 10 : 11);
	ssize_t n = readlink("/proc/self/exe", self_path, sizeof self_path - 1);

	if (n <= 0)
		snprintf(self_path, sizeof self_path, "%s", argv[0]);
	TEST_BEGIN(T);
	test_traceme_exec();
	test_exec_event();
	test_attach_memory();
	test_syscall_regs();
	test_fpregs();
	test_fork_clone_events();
	test_seize_interrupt();
	test_singlestep();
	test_int3();
	test_inject_suppress();
	test_attach_stopped();
	test_seize_listen();
	test_tracer_exit();
	test_errors();
	test_suid_exec();
	return TEST_END();
}
