/*
 * abi_fuzz.c - a deterministic system-call fuzzer: an unprivileged child
 * (uid 1000, no capabilities, no_new_privs, small resource limits) calls
 * every x86-64 system call number 0..450 in turn, FUZZ_ROUNDS times, with
 * arguments drawn by a seeded PRNG from a table of interesting values
 * (edge integers, pointers into a scratch mapping, NULL, kernel-half and
 * non-canonical addresses, prepared and bad fds, all-bits flag masks).
 * Passes when the kernel survives: every child ends, no call returns
 * something that is neither -errno (Linux's errno range) nor a plausible
 * success (a kernel pointer), no call stays blocked past SIGKILL, and the
 * system still forks, pipes, writes files and passes socket messages.
 * ABI_FUZZ_SEED and ABI_FUZZ_ROUNDS in the environment override the seed
 * and the count for longer runs.
 */
#include "check.h"
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <netinet/in.h>

#define FUZZ_SEED	0x5eedf022UL
#define FUZZ_ROUNDS	96		/* calls = FUZZ_ROUNDS * FUZZ_NR */
#define FUZZ_NR		451		/* system call numbers 0..450 */
#define MAX_FINDINGS	32
#define MAX_OWN		64
#define SCRATCH_PAGES	4
#define PAGE		4096UL
#define FUZZ_AREA	((SCRATCH_PAGES + 1) * PAGE)	/* rw pages, 1 ro */
#define STALL_MS	5000		/* a call deaf to SIGALRM this long */
#define KILL_MS		10000		/* SIGKILL ignored this long: a hang */
#define MAX_RESTARTS	2000

/* Shared with the fuzzing child; it survives the child's death. */
struct finding {
	long index, nr, ret;
	unsigned long a[6];
};
struct shared {
	volatile long current;		/* index of the call under way */
	volatile unsigned long args[6];	/* and its arguments */
	volatile long done;		/* calls completed */
	volatile long nfind;
	struct finding find[MAX_FINDINGS];
};

static struct shared *sh;
static unsigned long seed = FUZZ_SEED;
static long total_calls;

/*
 * The child's view of memory: the fuzz area (scratch pages, then a
 * read-only page) may be changed in any way; a PROT_NONE guard page after
 * it, like every other mapping, may not.
 */
static unsigned char *scratch;
static unsigned char *rdonly;
static struct { unsigned long lo, hi; } own[MAX_OWN];
static int nown;
static int fds[16], nfds;
static pid_t parent_pid, self_pid;
/*
 * Aramid's ludicrous profile trusts kernel addresses that are mapped (it
 * would let the fuzz overwrite the kernel): there, kernel-half pointers
 * are unmapped ones only, as in abi_fault.
 */
static int ludicrous;
static unsigned long base_brk;

static const char *const paths[] = {
	"file", "dir", "/proc/self/status", "nonexistent", "", "/dev/null",
	"dir/../file", "/tmp", "fifo", "link",
};
#define NPATHS (sizeof paths / sizeof paths[0])
#define PATH_AREA 256			/* bytes per path in scratch page 0 */

/* splitmix64: the PRNG, one stream per call index. */
static uint64_t rng;
static uint64_t next_rand(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int in_own(unsigned long lo, unsigned long hi)
{
	for (int i = 0; i < nown; i++)
		if (lo < own[i].hi && hi > own[i].lo)
			return 1;
	return 0;
}

/* One interesting value; never an address inside the fuzzer's own mappings. */
static unsigned long pick(void)
{
	uint64_t r = next_rand();
	unsigned long v;
	switch (r % 26) {
	case 0: v = 0; break;
	case 1: v = ~0UL; break;
	case 2: v = 1; break;
	case 3: v = (r >> 8) % 64; break;
	case 4: v = INT_MAX; break;
	case 5: v = 0x80000000UL; break;
	case 6: v = UINT_MAX; break;
	case 7: v = LONG_MAX; break;
	case 8: v = 1UL << 63; break;
	case 9: v = PAGE; break;
	case 10: v = (unsigned long)scratch +
		 PAGE * ((r >> 8) % SCRATCH_PAGES); break;
	case 11: v = (unsigned long)scratch + (r >> 8) % (SCRATCH_PAGES * PAGE);
		 break;
	case 12: v = 0x10; break;
	case 13: v = ludicrous ? 0xffff808000000000UL : 0xffff800000000000UL;
		 break;
	case 14: v = ludicrous ? 0xffffff0000000000UL : 0xffffffff81000000UL;
		 break;
	case 15: v = ((r >> 8) & 1) ? 0x0000800000000000UL
				     : 0x8000000000000000UL; break;
	case 16: case 17: v = (unsigned long)(long)fds[(r >> 8) % nfds]; break;
	case 18: v = ((r >> 8) & 1) ? 1000 : (unsigned long)-100L; break;
	case 19: v = ((r >> 8) & 1) ? 0xffffffffUL : 0x7fffffffffffffffUL;
		 break;
	case 20: v = next_rand(); break;
	case 21: v = (unsigned long)scratch + PATH_AREA * ((r >> 8) % NPATHS);
		 break;
	case 22: v = (unsigned long)rdonly + ((r >> 8) & 1) * 100; break;
	case 23: v = 1UL << ((r >> 8) % 64); break;
	case 24: v = (unsigned long)-(long)((r >> 8) % 200 + 2); break;
	default: v = (r >> 8) % 4097; break;
	}
	if (in_own(v, v + 1))
		v = (unsigned long)scratch;
	return v;
}

/* A fresh scratch area: path strings in page 0, interesting words after. */
static int refill(void)
{
	if (mmap(scratch, SCRATCH_PAGES * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != scratch)
		return -1;
	if (mmap(rdonly, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
		 MAP_FIXED, -1, 0) != rdonly)
		return -1;
	for (unsigned i = 0; i < NPATHS; i++)
		strcpy((char *)scratch + i * PATH_AREA, paths[i]);
	unsigned long *w = (unsigned long *)(scratch + PAGE);
	for (unsigned long i = 0; i < (SCRATCH_PAGES - 1) * PAGE / 8; i++)
		w[i] = pick();
	return 0;
}

/*
 * The raw call. A child of fork/clone/clone3 (rax 0 in a new task) exits
 * at once without touching its stack, whatever stack it was given.
 */
static long raw_call(long nr, const unsigned long *a)
{
	register long r10 __asm__("r10") = (long)a[3];
	register long r8 __asm__("r8") = (long)a[4];
	register long r9 __asm__("r9") = (long)a[5];
	long ret;
	__asm__ volatile(
		"syscall\n\t"
		"test %%rax, %%rax\n\t"
		"jnz 1f\n\t"
		"cmp $56, %%rbx\n\t"
		"je 2f\n\t"
		"cmp $57, %%rbx\n\t"
		"je 2f\n\t"
		"cmp $435, %%rbx\n\t"
		"jne 1f\n"
		"2:\tmov $60, %%eax\n\t"
		"xor %%edi, %%edi\n\t"
		"syscall\n"
		"1:"
		: "=a"(ret)
		: "a"(nr), "b"(nr), "D"(a[0]), "S"(a[1]), "d"(a[2]),
		  "r"(r10), "r"(r8), "r"(r9)
		: "rcx", "r11", "memory");
	return ret;
}

/* Clamp an address range argument pair so it stays off the own mappings. */
static void keep_off(unsigned long *addr, unsigned long *len)
{
	unsigned long hi = *addr + *len < *addr ? ~0UL : *addr + *len;
	if (!in_own(*addr, hi > *addr ? hi : *addr + 1))
		return;
	*addr = (unsigned long)scratch;
	if (*len > FUZZ_AREA)
		*len = FUZZ_AREA;
}

static int is_sig_kill_stop(unsigned long s)
{
	return (int)s == SIGKILL || (int)s == SIGSTOP;
}

/* Make a call safe for the test machine; 0 means skip this number. */
static int tame(long nr, unsigned long *a)
{
	switch (nr) {
	case 15:	/* rt_sigreturn: would return into garbage */
	case 34:	/* pause */
	case 58:	/* vfork: the child would run on our stack */
	case 60:	/* exit */
	case 130:	/* rt_sigsuspend */
	case 169:	/* reboot */
	case 231:	/* exit_group */
		return 0;
	case 9:		/* mmap */
	case 10:	/* mprotect */
	case 11:	/* munmap */
	case 26:	/* msync */
	case 28:	/* madvise */
	case 149: case 150: case 325:	/* mlock, munlock, mlock2 */
	case 216:	/* remap_file_pages */
	case 237:	/* mbind */
	case 329:	/* pkey_mprotect */
		keep_off(&a[0], &a[1]);
		break;
	case 25:	/* mremap: old range, and the new one if fixed */
		keep_off(&a[0], &a[1]);
		keep_off(&a[4], &a[2]);
		break;
	case 12:	/* brk: only ever grow */
		a[0] = base_brk + (a[0] & 0xfffff);
		break;
	case 30:	/* shmat: no SHM_REMAP over our mappings */
		a[2] &= ~040000UL;
		break;
	case 59:	/* execve: never a real program */
		a[0] = (unsigned long)scratch + PATH_AREA * 3;
		break;
	case 322:	/* execveat */
		a[1] = (unsigned long)scratch + PATH_AREA * 3;
		a[4] &= ~0x1000UL;	/* no AT_EMPTY_PATH */
		break;
	case 101:	/* ptrace: no TRACEME, nothing on the parent */
		if (a[0] == 0)
			a[0] = 16;	/* PTRACE_ATTACH */
		if ((pid_t)a[1] == parent_pid)
			a[1] = (unsigned long)self_pid;
		break;
	case 62:	/* kill */
		if ((long)(int)a[0] <= 0 || (pid_t)a[0] == parent_pid)
			a[0] = (unsigned long)self_pid;
		if (is_sig_kill_stop(a[1]))
			a[1] = 0;
		break;
	case 200:	/* tkill */
	case 129:	/* rt_sigqueueinfo */
		if ((long)(int)a[0] <= 0 || (pid_t)a[0] == parent_pid)
			a[0] = (unsigned long)self_pid;
		if (is_sig_kill_stop(a[1]))
			a[1] = 0;
		break;
	case 234:	/* tgkill */
	case 297:	/* rt_tgsigqueueinfo */
		if ((long)(int)a[0] <= 0 || (pid_t)a[0] == parent_pid)
			a[0] = (unsigned long)self_pid;
		if (is_sig_kill_stop(a[2]))
			a[2] = 0;
		break;
	case 424:	/* pidfd_send_signal */
		if (is_sig_kill_stop(a[1]))
			a[1] = 0;
		break;
	case 158:	/* arch_prctl: keep our TLS */
		if (a[0] == 0x1002)
			a[0] = 0x1003;
		break;
	case 270:	/* pselect6: no mask that blocks SIGALRM */
		a[5] = 0;
		break;
	case 271:	/* ppoll */
		a[3] = 0;
		break;
	case 281: case 441:	/* epoll_pwait, epoll_pwait2 */
		a[4] = 0;
		break;
	case 333:	/* io_pgetevents */
		a[5] = 0;
		break;
	}
	return 1;
}

/* -errno in Linux's range, or a success no kernel would hide a pointer in. */
static int plausible(long nr, long ret)
{
	if (ret >= -4095 && ret < 0)
		return -ret <= 133;
	if (ret < 0)
		return nr == 72 && ret >= INT_MIN;	/* fcntl F_GETOWN: -pgid */
	if (nr == 8)					/* lseek: any offset */
		return 1;
	return (unsigned long)ret < 0x800000000000UL;
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* Signals: SIGALRM interrupts (no SA_RESTART), every other one is blocked. */
static void arm_signals(void)
{
	struct sigaction sa;
	sigset_t all;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	sigfillset(&all);
	sigdelset(&all, SIGALRM);
	sigprocmask(SIG_SETMASK, &all, NULL);
}

static void add_own(unsigned long lo, unsigned long hi)
{
	own[nown].lo = lo;
	own[nown].hi = hi;
	nown++;
}

/* Every mapping but the fuzz area, from /proc/self/maps, is off limits. */
static void read_maps(void)
{
	char buf[8192];
	int fd = open("/proc/self/maps", O_RDONLY);
	ssize_t n = 0, r;
	if (fd < 0)
		_exit(3);
	while (n < (ssize_t)sizeof buf - 1 &&
	       (r = read(fd, buf + n, sizeof buf - 1 - n)) > 0)
		n += r;
	close(fd);
	buf[n] = 0;
	for (char *p = buf; *p && nown < MAX_OWN; ) {
		char *end;
		unsigned long lo = strtoul(p, &end, 16);
		unsigned long hi = strtoul(end + 1, &end, 16);
		char *nl = strchr(p, '\n');
		unsigned long s_lo = (unsigned long)scratch;
		unsigned long s_hi = s_lo + FUZZ_AREA;
		if (nl && memmem(p, nl - p, "[stack]", 7))
			lo -= 1UL << 20;	/* room to grow */
		if (lo < s_lo && nown < MAX_OWN)
			add_own(lo, hi < s_lo ? hi : s_lo);
		if (hi > s_hi && nown < MAX_OWN)
			add_own(lo > s_hi ? lo : s_hi, hi);
		if (!nl)
			break;
		p = nl + 1;
	}
}

/* Files, pipes and sockets the arguments may name. */
static void open_fds(void)
{
	int p[2], sv[2];
	nfds = 0;
	fds[nfds++] = 0;
	fds[nfds++] = open("file", O_RDWR | O_CREAT, 0644);
	fds[nfds++] = open("dir", O_RDONLY | O_DIRECTORY);
	if (pipe(p) == 0) {
		fds[nfds++] = p[0];
		fds[nfds++] = p[1];
	}
	if (pipe2(p, O_NONBLOCK) == 0) {
		fds[nfds++] = p[0];
		fds[nfds++] = p[1];
	}
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0) {
		fds[nfds++] = sv[0];
		fds[nfds++] = sv[1];
	}
	fds[nfds++] = socket(AF_INET, SOCK_DGRAM, 0);
	fds[nfds++] = eventfd(0, EFD_NONBLOCK);
	fds[nfds++] = epoll_create1(0);
	fds[nfds++] = open("/dev/null", O_RDWR);
}

static void drop_privileges(void)
{
	struct rlimit small[] = {
		{ 16, 16 },			/* RLIMIT_NPROC */
		{ 64UL << 20, 64UL << 20 },	/* RLIMIT_AS */
		{ 1UL << 20, 1UL << 20 },	/* RLIMIT_FSIZE */
		{ 64, 64 },			/* RLIMIT_NOFILE */
	};
	int res[] = { RLIMIT_NPROC, RLIMIT_AS, RLIMIT_FSIZE, RLIMIT_NOFILE };
	for (int i = 0; i < 4; i++)
		if (setrlimit(res[i], &small[i]) != 0)
			_exit(4);
	if (setgroups(0, NULL) != 0 || setresgid(1000, 1000, 1000) != 0 ||
	    setresuid(1000, 1000, 1000) != 0 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		_exit(5);
}

static void record(long index, long nr, long ret, const unsigned long *a)
{
	long k = sh->nfind;
	if (k >= MAX_FINDINGS)
		return;
	sh->find[k].index = index;
	sh->find[k].nr = nr;
	sh->find[k].ret = ret;
	memcpy(sh->find[k].a, a, sizeof sh->find[k].a);
	sh->nfind = k + 1;
}

/* The fuzzing child: calls start..total_calls-1, then exits 0. */
static void fuzz_child(long start)
{
	int nul = open("/dev/null", O_RDWR);
	if (nul < 0 || dup2(nul, 0) < 0 || dup2(nul, 1) < 0 ||
	    dup2(nul, 2) < 0)
		_exit(2);
	close(nul);
	setpgid(0, 0);
	self_pid = getpid();
	if (chdir("fz") != 0)
		_exit(6);
	drop_privileges();
	open_fds();
	scratch = mmap(NULL, (SCRATCH_PAGES + 2) * PAGE, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (scratch == MAP_FAILED)
		_exit(7);
	rdonly = scratch + SCRATCH_PAGES * PAGE;
	if (refill() != 0)
		_exit(9);
	read_maps();
	base_brk = (unsigned long)sbrk(0);
	arm_signals();

	for (long i = start; i < total_calls; i++) {
		long nr = i % FUZZ_NR;
		unsigned long a[6];
		rng = seed ^ ((uint64_t)i * 0xd1b54a32d192ed03ULL);
		sh->current = i;
		if (refill() != 0)
			_exit(10);
		for (int k = 0; k < 6; k++)
			a[k] = pick();
		if (!tame(nr, a)) {
			sh->done = i + 1;
			continue;
		}
		struct itimerval it = { { 0, 0 }, { 0, 20000 } };
		setitimer(ITIMER_REAL, &it, NULL);
		memcpy((void *)sh->args, a, sizeof a);
		long ret = raw_call(nr, a);
		if (!plausible(nr, ret))
			record(i, nr, ret, a);
		if (nr == 56 || nr == 57 || nr == 435)
			while (waitpid(-1, NULL, WNOHANG | __WALL) > 0)
				;
		if (nr == 13 || nr == 14)	/* rt_sigaction, rt_sigprocmask */
			arm_signals();
		if (nr == 131) {		/* sigaltstack */
			stack_t ss = { .ss_flags = SS_DISABLE };
			sigaltstack(&ss, NULL);
		}
		sh->done = i + 1;
	}
	_exit(0);
}

static long ms_since(long long t0)
{
	return (long)((now_ns() - t0) / 1000000);
}

/*
 * Run children until every call was made: a child that dies or stalls is
 * replaced by one that resumes after the call it was in. Returns the number
 * of restarts, or -1 when a child outlived SIGKILL (a kernel hang, the
 * call then in @hang); the calls that stayed blocked through SIGALRM (a
 * stall: the child was killed) go to @stall.
 */
static void note_call(struct finding *f)
{
	f->index = sh->current;
	f->nr = sh->current % FUZZ_NR;
	memcpy(f->a, (void *)sh->args, sizeof f->a);
}

static long run_fuzz(long *stalls, struct finding *stall, struct finding *hang)
{
	long start = 0, restarts = 0;
	while (start < total_calls && restarts <= MAX_RESTARTS) {
		sh->current = start;
		sh->done = start;
		pid_t pid = fork();
		if (pid < 0)
			return -2;
		if (pid == 0)
			fuzz_child(start);
		long last = -1;
		long long t_prog = now_ns(), t_kill = 0;
		int st;
		for (;;) {
			pid_t w = waitpid(pid, &st, WNOHANG | WUNTRACED);
			if (w == pid && !WIFSTOPPED(st))
				break;
			if (w == pid || (!t_kill && ms_since(t_prog) > STALL_MS)) {
				if (w != pid && *stalls < MAX_FINDINGS)
					note_call(&stall[(*stalls)++]);
				kill(pid, SIGKILL);
				t_kill = now_ns();
			}
			if (t_kill && ms_since(t_kill) > KILL_MS) {
				note_call(hang);
				return -1;
			}
			if (sh->done != last) {
				last = sh->done;
				t_prog = now_ns();
			}
			usleep(2000);
		}
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0 &&
		    sh->done >= total_calls)
			break;
		if (WIFEXITED(st) && WEXITSTATUS(st) > 1 && sh->done == start)
			return -3 - WEXITSTATUS(st);	/* setup failed */
		start = sh->current + 1;
		restarts++;
	}
	return restarts;
}

/* After fuzzing: the system still forks, pipes, stores and talks. */
/*
 * Remove the System V IPC objects the fuzzing child made (they outlive
 * it, and the next test counts on the id space): every entry of
 * /proc/sysvipc/@kind by its id, the second column. How many were left.
 */
static int remove_ipc(const char *kind, int (*rm)(int id))
{
	char path[32], line[512];
	FILE *f;
	int n = 0, id;

	snprintf(path, sizeof path, "/proc/sysvipc/%s", kind);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fgets(line, sizeof line, f))		/* the header */
		while (fgets(line, sizeof line, f))
			if (sscanf(line, "%*d %d", &id) == 1 && rm(id) == 0)
				n++;
	fclose(f);
	return n;
}

static int rm_shm(int id) { return shmctl(id, IPC_RMID, NULL); }
static int rm_sem(int id) { return semctl(id, 0, IPC_RMID); }
static int rm_msg(int id) { return msgctl(id, IPC_RMID, NULL); }

static void check_system(void)
{
	int st = -1, p[2], sv[2];
	char buf[8];
	pid_t c = fork();
	if (c == 0)
		_exit(7);
	CHECK("after fuzzing: fork and wait work",
	      c > 0 && waitpid(c, &st, 0) == c && WIFEXITED(st) &&
	      WEXITSTATUS(st) == 7);
	CHECK("after fuzzing: a pipe carries bytes",
	      pipe(p) == 0 && write(p[1], "pipe", 4) == 4 &&
	      read(p[0], buf, 8) == 4 && memcmp(buf, "pipe", 4) == 0);
	int fd = open("after", O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK("after fuzzing: a file is written and read back",
	      fd >= 0 && write(fd, "file", 4) == 4 &&
	      pread(fd, buf, 8, 0) == 4 && memcmp(buf, "file", 4) == 0);
	CHECK("after fuzzing: a socket pair carries a message",
	      socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0 &&
	      send(sv[0], "sock", 4, 0) == 4 &&
	      recv(sv[1], buf, 8, 0) == 4 && memcmp(buf, "sock", 4) == 0);
}

int main(void)
{
	TEST_BEGIN("abi_fuzz");
	const char *e = getenv("ABI_FUZZ_SEED");
	if (e)
		seed = strtoul(e, NULL, 0);
	long rounds = FUZZ_ROUNDS;
	e = getenv("ABI_FUZZ_ROUNDS");
	if (e)
		rounds = strtol(e, NULL, 0);
	total_calls = rounds * FUZZ_NR;
	parent_pid = getpid();
	struct utsname u;
	if (uname(&u) == 0 && strstr(u.version, "Aramid ludicrous"))
		ludicrous = 1;

	sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK("shared report page", sh != MAP_FAILED);
	if (sh == MAP_FAILED)
		return TEST_END();
	CHECK_OK("fuzz directory", mkdir("fz", 0755));
	CHECK_OK("fuzz directory given to uid 1000", chown("fz", 1000, 1000));
	CHECK_OK("fuzz subdirectory", mkdir("fz/dir", 0755));
	CHECK_OK("fuzz subdirectory given to uid 1000",
		 chown("fz/dir", 1000, 1000));

	long stalls = 0;
	struct finding stall[MAX_FINDINGS], hang;
	long long t0 = now_ns();
	long restarts = run_fuzz(&stalls, stall, &hang);
	long ms = ms_since(t0);
	check_emit("INFO abi_fuzz: seed %#lx, %ld calls (%ld rounds of %d), "
		   "%ld restarts, %ld stalls, %ld ms", seed, total_calls,
		   rounds, FUZZ_NR, restarts, stalls, ms);
	if (restarts == -1) {
		char what[256];
		snprintf(what, sizeof what,
			 "fuzzing child ends (seed %#lx, call %ld: syscall %ld "
			 "(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx))", seed, hang.index,
			 hang.nr, hang.a[0], hang.a[1], hang.a[2], hang.a[3],
			 hang.a[4], hang.a[5]);
		CHECK(what, 0);
	} else {
		CHECK("every fuzzing child ends and every call is made",
		      restarts >= 0 && restarts <= MAX_RESTARTS);
	}
	for (long k = 0; k < stalls; k++) {
		struct finding *f = &stall[k];

		check_emit("FAIL abi_fuzz: seed %#lx call %ld: syscall %ld (%#lx, "
			   "%#lx, %#lx, %#lx, %#lx, %#lx) stayed blocked through "
			   "SIGALRM for %d ms", seed, f->index, f->nr, f->a[0],
			   f->a[1], f->a[2], f->a[3], f->a[4], f->a[5], STALL_MS);
		check_fails++;
	}
	CHECK("no call stayed blocked through SIGALRM", stalls == 0);
	for (long k = 0; k < sh->nfind; k++) {
		struct finding *f = &sh->find[k];
		check_emit("FAIL abi_fuzz: seed %#lx call %ld: syscall %ld"
			   "(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx) returned %#lx,"
			   " neither -errno nor a user value", seed, f->index,
			   f->nr, f->a[0], f->a[1], f->a[2], f->a[3], f->a[4],
			   f->a[5], (unsigned long)f->ret);
		check_fails++;
	}
	CHECK("every return value is -errno or a plausible success",
	      sh->nfind == 0);
	int left = remove_ipc("shm", rm_shm) + remove_ipc("sem", rm_sem) +
		   remove_ipc("msg", rm_msg);
	check_emit("INFO abi_fuzz: %d System V IPC objects removed", left);
	check_system();
	return TEST_END();
}
