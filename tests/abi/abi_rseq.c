/* abi_rseq.c - restartable sequences, as Linux 6.1 runs them: rseq(2)'s registration rules and errors, the cpu_id fields, a critical section aborted by a signal (whose frame then holds the abort address), by preemption and by membarrier's RSEQ command from another thread, the lazy clearing of rseq_cs, SIGSEGV for a bad area or descriptor, and the registration across fork, threads and exec. */
#include "check.h"
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <ucontext.h>

#define T "abi_rseq"
#define NR_rseq		334
#define RSEQ_SIG	0x53053053
#define UNREGISTER	1
#define MB_PRIVATE_EXPEDITED_RSEQ		(1 << 7)
#define MB_REGISTER_PRIVATE_EXPEDITED_RSEQ	(1 << 8)
#define MB_FLAG_CPU	1

struct rseq_area {
	uint32_t cpu_id_start, cpu_id;
	uint64_t rseq_cs;
	uint32_t flags;
} __attribute__((aligned(32)));

struct rseq_cs {
	uint32_t version, flags;
	uint64_t start_ip, post_commit_offset, abort_ip;
} __attribute__((aligned(32)));

static struct rseq_area area;

/*
 * cs_spin(area, entered): name cs_desc in area->rseq_cs, set *entered and
 * spin inside the critical section [cs_start, cs_end) until the kernel
 * sends it to cs_abort (returns 1); the test's timer handler sends a
 * thread the kernel left spinning to cs_escape (returns 2).
 */
__asm__(
	".text\n"
	".globl cs_spin, cs_start, cs_end, cs_abort, cs_escape\n"
	"cs_spin:\n"
	"	leaq cs_desc(%rip), %rax\n"
	"	movq %rax, 8(%rdi)\n"
	"	movl $1, (%rsi)\n"
	"cs_start:\n"
	"	jmp cs_start\n"
	"cs_end:\n"
	"	ud2\n"
	"	.long 0x53053053\n"
	"cs_abort:\n"
	"	movl $1, %eax\n"
	"	ret\n"
	"cs_escape:\n"
	"	movl $2, %eax\n"
	"	ret\n"
	".data\n"
	".balign 32\n"
	"cs_desc:\n"
	"	.long 0, 0\n"
	"	.quad cs_start, cs_end - cs_start, cs_abort\n"
	".text\n");
int cs_spin(struct rseq_area *a, volatile int *entered);
extern char cs_start[], cs_end[], cs_abort[], cs_escape[];

static long sys_rseq(void *a, unsigned len, int flags, unsigned sig)
{
	return syscall(NR_rseq, a, len, flags, sig);
}

static int nproc(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int)n : 1;
}

static volatile uintptr_t sig_rip;
static volatile int sig_count;

static void on_signal(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	uintptr_t rip = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];

	(void)sig;
	(void)si;
	sig_rip = rip;
	sig_count++;
	if (rip >= (uintptr_t)cs_start && rip < (uintptr_t)cs_end)
		uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)cs_escape;
}


static void arm_timer(long usec)
{
	struct itimerval it = { .it_value = { usec / 1000000, usec % 1000000 } };

	setitimer(ITIMER_REAL, &it, NULL);
}

/* Registration and unregistration in Linux's order of checks. */
static void test_register(void)
{
	static char raw[96] __attribute__((aligned(32)));
	unsigned cpu = ~0u;

	CHECK_ERR("an area not aligned to 32 bytes is EINVAL",
		  sys_rseq(raw + 8, 32, 0, RSEQ_SIG), EINVAL);
	CHECK_ERR("a length other than 32 is EINVAL",
		  sys_rseq(&area, 64, 0, RSEQ_SIG), EINVAL);
	CHECK_ERR("a length of 31 is EINVAL",
		  sys_rseq(&area, 31, 0, RSEQ_SIG), EINVAL);
	CHECK_ERR("an unknown flag is EINVAL",
		  sys_rseq(&area, 32, 2, RSEQ_SIG), EINVAL);
	/* Unmapped there: Aramid's ludicrous trusts mapped kernel addresses. */
	CHECK_ERR("an area in the kernel half is EFAULT",
		  sys_rseq((void *)0xffff808000000000UL, 32, 0, RSEQ_SIG), EFAULT);
	CHECK_ERR("unregistering with none registered is EINVAL",
		  sys_rseq(&area, 32, UNREGISTER, RSEQ_SIG), EINVAL);
	char *gone = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	munmap(gone, 4096);
	CHECK_ERR("an unmapped area is EFAULT",
		  sys_rseq(gone, 32, 0, RSEQ_SIG), EFAULT);
	area.cpu_id = 0xdeadbeef;
	area.cpu_id_start = 0xdeadbeef;
	area.rseq_cs = 0x1234;
	CHECK_OK("register", sys_rseq(&area, 32, 0, RSEQ_SIG));
	CHECK("registration clears a stale rseq_cs", area.rseq_cs == 0);
	syscall(SYS_getcpu, &cpu, NULL, NULL);
	CHECK("the kernel wrote cpu_id and cpu_id_start before the caller ran",
	      area.cpu_id < (unsigned)nproc() && area.cpu_id_start == area.cpu_id);
	CHECK_ERR("registering the same area again is EBUSY",
		  sys_rseq(&area, 32, 0, RSEQ_SIG), EBUSY);
	CHECK_ERR("the same area with another signature is EPERM",
		  sys_rseq(&area, 32, 0, RSEQ_SIG + 1), EPERM);
	CHECK_ERR("another area is EINVAL",
		  sys_rseq(raw, 32, 0, RSEQ_SIG), EINVAL);
	CHECK_ERR("another length is EINVAL",
		  sys_rseq(&area, 64, 0, RSEQ_SIG), EINVAL);
	CHECK_ERR("UNREGISTER with another flag is EINVAL",
		  sys_rseq(&area, 32, UNREGISTER | 2, RSEQ_SIG), EINVAL);
	CHECK_ERR("unregistering another area is EINVAL",
		  sys_rseq(raw, 32, UNREGISTER, RSEQ_SIG), EINVAL);
	CHECK_ERR("unregistering with another length is EINVAL",
		  sys_rseq(&area, 64, UNREGISTER, RSEQ_SIG), EINVAL);
	CHECK_ERR("unregistering with another signature is EPERM",
		  sys_rseq(&area, 32, UNREGISTER, 0), EPERM);
	CHECK_OK("unregister", sys_rseq(&area, 32, UNREGISTER, RSEQ_SIG));
	CHECK("unregistering resets cpu_id to -1 and cpu_id_start to 0",
	      area.cpu_id == 0xffffffffu && area.cpu_id_start == 0);
	CHECK_OK("register again", sys_rseq(&area, 32, 0, RSEQ_SIG));
}

/* cpu_id follows the thread: it agrees with getcpu. */
static void test_cpu_id(void)
{
	int agree = 0, tries = 0;

	for (int i = 0; i < 200; i++) {
		unsigned before = area.cpu_id, cpu = ~0u;

		syscall(SYS_getcpu, &cpu, NULL, NULL);
		if (area.cpu_id != before)
			continue;		/* moved meanwhile */
		tries++;
		agree += cpu == before;
	}
	CHECK("cpu_id names the CPU getcpu reports", tries > 0 && agree >= tries - 2);
}

/* A signal in the critical section: the frame holds the abort address. */
static void test_signal_abort(void)
{
	static volatile int entered;
	int r = 0;

	/* Retried while something else (a preemption) aborts it first. */
	for (int tries = 0; tries < 5; tries++) {
		sig_count = 0;
		sig_rip = 0;
		arm_timer(20000);
		r = cs_spin(&area, &entered);
		if (sig_count)
			break;
		while (!sig_count)
			;
	}

	CHECK_EQ("a signal aborts the critical section", r, 1);
	CHECK("the handler's frame already holds the abort address",
	      sig_count == 1 && sig_rip == (uintptr_t)cs_abort);
	CHECK("the abort cleared rseq_cs", area.rseq_cs == 0);
}

static atomic_int spin_stop;

static void *spinner(void *arg)
{
	(void)arg;
	while (!atomic_load(&spin_stop))
		;
	return NULL;
}

/* More runnable threads than CPUs: the spinning section is preempted. */
static void test_preempt_abort(void)
{
	static volatile int entered;
	int n = nproc() + 1;
	pthread_t th[n];

	atomic_store(&spin_stop, 0);
	for (int i = 0; i < n; i++)
		pthread_create(&th[i], NULL, spinner, NULL);
	sig_count = 0;
	arm_timer(5000000);
	int r = cs_spin(&area, &entered);

	arm_timer(0);
	atomic_store(&spin_stop, 1);
	for (int i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	CHECK("preemption aborts the critical section (no signal needed)",
	      r == 1 && sig_count == 0);
}

static volatile int mb_entered;
static long mb_ret = -1;
static int mb_flags, mb_cpu;

static void *membarrier_thread(void *arg)
{
	(void)arg;
	while (!mb_entered)
		;
	usleep(10000);
	mb_cpu = (int)area.cpu_id;	/* where the spinning thread is now */
	mb_ret = syscall(SYS_membarrier, MB_PRIVATE_EXPEDITED_RSEQ, mb_flags, mb_cpu);
	return NULL;
}

/* Another thread's membarrier(RSEQ) aborts the section on its CPU. */
static void membarrier_abort(const char *what, int flags)
{
	pthread_t th;

	mb_entered = 0;
	mb_flags = flags;
	sig_count = 0;
	pthread_create(&th, NULL, membarrier_thread, NULL);
	arm_timer(5000000);
	int r = cs_spin(&area, &mb_entered);

	arm_timer(0);
	pthread_join(th, NULL);
	CHECK(what, r == 1 && sig_count == 0 && mb_ret == 0);
}

static void test_membarrier(void)
{
	long q = syscall(SYS_membarrier, 0, 0, 0);

	CHECK("MEMBARRIER_CMD_QUERY reports the RSEQ commands",
	      q >= 0 && (q & 0x180) == 0x180);
	CHECK_ERR("PRIVATE_EXPEDITED_RSEQ before its registration is EPERM",
		  syscall(SYS_membarrier, MB_PRIVATE_EXPEDITED_RSEQ, 0, 0), EPERM);
	CHECK_ERR("FLAG_CPU with another command is EINVAL",
		  syscall(SYS_membarrier, 1 << 3, MB_FLAG_CPU, 0), EINVAL);
	CHECK_ERR("PRIVATE_EXPEDITED_RSEQ with an unknown flag is EINVAL",
		  syscall(SYS_membarrier, MB_PRIVATE_EXPEDITED_RSEQ, 2, 0), EINVAL);
	CHECK_OK("REGISTER_PRIVATE_EXPEDITED_RSEQ",
		 syscall(SYS_membarrier, MB_REGISTER_PRIVATE_EXPEDITED_RSEQ, 0, 0));
	CHECK_OK("PRIVATE_EXPEDITED_RSEQ on a CPU that does not exist",
		 syscall(SYS_membarrier, MB_PRIVATE_EXPEDITED_RSEQ, MB_FLAG_CPU, 4096));
	membarrier_abort("membarrier(PRIVATE_EXPEDITED_RSEQ) from another "
			 "thread aborts the critical section", 0);
	membarrier_abort("membarrier(PRIVATE_EXPEDITED_RSEQ, FLAG_CPU) aborts "
			 "the section on that CPU", MB_FLAG_CPU);
}

/* A descriptor named outside its section is cleared at the next event. */
static void test_lazy_clear(void)
{
	extern struct rseq_cs cs_desc;

	area.rseq_cs = (uint64_t)(uintptr_t)&cs_desc;
	raise(SIGUSR1);
	CHECK("rseq_cs named outside its section is cleared by the next signal",
	      area.rseq_cs == 0);
}

static struct rseq_cs bad_desc;

static int child_bad_desc(void *arg)
{
	uint64_t what = (uint64_t)(uintptr_t)arg;

	if (what)
		area.rseq_cs = what;
	else
		area.rseq_cs = (uint64_t)(uintptr_t)&bad_desc;
	raise(SIGUSR1);
	return 0;
}

static int killed_by_segv(int st)
{
	return st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV;
}

static int child_readonly_area(void *arg)
{
	(void)arg;
	sys_rseq(&area, 32, UNREGISTER, RSEQ_SIG);
	char *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	sys_rseq(p, 32, 0, RSEQ_SIG);	/* accepted; the cpu_id write faults */
	return 0;
}

/* What the kernel cannot read, write or trust is SIGSEGV. */
static void test_segv(void)
{
	bad_desc = (struct rseq_cs){ 0, 0, (uintptr_t)cs_start,
				     (uintptr_t)(cs_end - cs_start),
				     (uintptr_t)cs_escape };
	CHECK("an abort address without the signature before it is SIGSEGV",
	      killed_by_segv(run_child(child_bad_desc, NULL)));
	bad_desc.abort_ip = (uintptr_t)cs_abort;
	bad_desc.version = 1;
	CHECK("a descriptor of another version is SIGSEGV",
	      killed_by_segv(run_child(child_bad_desc, NULL)));
	bad_desc.version = 0;
	bad_desc.abort_ip = (uintptr_t)cs_start + 1;
	CHECK("an abort address inside the section is SIGSEGV",
	      killed_by_segv(run_child(child_bad_desc, NULL)));
	CHECK("rseq_cs pointing into the kernel half is SIGSEGV",
	      killed_by_segv(run_child(child_bad_desc, BAD_KHALF)));
	CHECK("rseq_cs pointing at unmapped memory is SIGSEGV",
	      killed_by_segv(run_child(child_bad_desc, BAD_LOW)));
	CHECK("a read-only area is SIGSEGV on the way back to user mode",
	      killed_by_segv(run_child(child_readonly_area, NULL)));
}

static int child_inherits(void *arg)
{
	(void)arg;
	if (sys_rseq(&area, 32, 0, RSEQ_SIG) != -1 || errno != EBUSY)
		return 1;
	return area.cpu_id < (unsigned)nproc() ? 0 : 2;
}

static void *thread_registers(void *arg)
{
	static struct rseq_area mine;

	(void)arg;
	if (sys_rseq(&mine, 32, 0, RSEQ_SIG))
		return (void *)1;
	if (mine.cpu_id >= (unsigned)nproc())
		return (void *)2;
	return (void *)(intptr_t)sys_rseq(&mine, 32, UNREGISTER, RSEQ_SIG);
}

static void test_fork_thread_exec(void)
{
	pthread_t th;
	void *res = (void *)-1;

	int st = run_child(child_inherits, NULL);

	CHECK("a forked child keeps the registration",
	      st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	pthread_create(&th, NULL, thread_registers, NULL);
	pthread_join(th, &res);
	CHECK("a new thread starts unregistered and registers its own area",
	      res == NULL);
	pid_t p = fork();

	if (p == 0) {
		execl("/proc/self/exe", "abi_rseq", "exec-check", (char *)NULL);
		_exit(3);
	}
	st = -1;
	waitpid(p, &st, 0);
	CHECK("exec ends the registration",
	      st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "exec-check"))
		return sys_rseq(&area, 32, UNREGISTER, RSEQ_SIG) == -1 &&
		       errno == EINVAL ? 0 : 1;
	TEST_BEGIN(T);
	on_siginfo(SIGALRM, on_signal);
	on_siginfo(SIGUSR1, on_signal);
	test_register();
	test_cpu_id();
	test_signal_abort();
	test_preempt_abort();
	test_membarrier();
	test_lazy_clear();
	test_segv();
	test_fork_thread_exec();
	return TEST_END();
}
