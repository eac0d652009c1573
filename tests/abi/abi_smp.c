/* abi_smp.c - more than one CPU, as Linux 6.1 shows them: the CPU count agrees everywhere (sysconf, /proc/cpuinfo, /proc/stat, sched_getaffinity), getcpu names an online CPU, sched_setaffinity moves a thread at once and keeps it there (and /proc shows its mask and CPU), two spinning threads run at once on different CPUs, and under load from a second CPU futexes, pipes, fork/exit, fork/exec, AF_UNIX and loopback TCP traffic, and write-protection and unmapping (whose TLB shootdown must reach the other CPU before mprotect or munmap returns) keep their results. On one CPU the parallel checks are left out. */
#include "check.h"
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#define FUTEX_WAIT_PRIVATE	128
#define FUTEX_WAKE_PRIVATE	129

#define T "abi_smp"
#define MIN(a, b)	((a) < (b) ? (a) : (b))

static long nproc;

/* Lines of @path that start with @prefix followed by a digit (or by ':'). */
static int count_lines(const char *path, const char *prefix, int digit)
{
	char line[512];
	size_t n = strlen(prefix);
	int count = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, prefix, n) &&
		    (digit ? (line[n] >= '0' && line[n] <= '9') : 1))
			count++;
	fclose(f);
	return count;
}

static void check_counts(void)
{
	cpu_set_t set;
	unsigned cpu = 99, node = 99;

	CHECK("sysconf: at least one CPU", nproc >= 1);
	CHECK_EQ("/proc/cpuinfo: a processor entry per CPU",
		 count_lines("/proc/cpuinfo", "processor\t:", 0), nproc);
	CHECK_EQ("/proc/stat: a cpuN line per CPU",
		 count_lines("/proc/stat", "cpu", 1), nproc);
	CPU_ZERO(&set);
	CHECK_OK("sched_getaffinity", sched_getaffinity(0, sizeof set, &set));
	CHECK_EQ("sched_getaffinity: every online CPU", CPU_COUNT(&set), nproc);
	CHECK_OK("getcpu", syscall(SYS_getcpu, &cpu, &node, NULL));
	CHECK("getcpu: an online CPU, node 0", cpu < (unsigned)nproc && node == 0);
	int c = sched_getcpu();

	CHECK("sched_getcpu (vDSO): an online CPU", c >= 0 && c < nproc);
}

/* Two threads spinning without system calls: do they ever run at once? */
static atomic_int where[2];
static atomic_ulong beat[2];
static atomic_int together, stop_spin;

static void *spinner(void *arg)
{
	int me = (int)(long)arg, other = !me;
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!atomic_load(&stop_spin)) {
		unsigned long b0 = atomic_load(&beat[other]);

		atomic_store(&where[me], sched_getcpu());
		for (int i = 0; i < 20000; i++)
			atomic_fetch_add(&beat[me], 1);
		/* The other's heart beat while we spun, on another CPU. */
		if (atomic_load(&beat[other]) != b0 &&
		    atomic_load(&where[other]) != atomic_load(&where[me]) &&
		    atomic_load(&where[other]) >= 0)
			atomic_store(&together, 1);
		if (atomic_load(&together))
			break;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > 10)
			break;
	}
	atomic_store(&stop_spin, 1);
	return NULL;
}

static void check_parallel(void)
{
	pthread_t th[2];

	atomic_store(&where[0], -1);
	atomic_store(&where[1], -1);
	for (long i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, spinner, (void *)i);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	CHECK("two spinning threads run at once on two CPUs",
	      atomic_load(&together));
}

/* Futex ping-pong: each side waits for its turn, 20000 round trips. */
static atomic_int turn;
#define ROUNDS 20000

static long futex(atomic_int *uaddr, int op, int val)
{
	return syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}

static void *ponger(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		while (atomic_load(&turn) != 2 * i + 1)
			futex(&turn, FUTEX_WAIT_PRIVATE, 2 * i);
		atomic_store(&turn, 2 * i + 2);
		futex(&turn, FUTEX_WAKE_PRIVATE, 1);
	}
	return NULL;
}

static void check_futex(void)
{
	pthread_t th;
	int bad = 0;

	pthread_create(&th, NULL, ponger, NULL);
	for (int i = 0; i < ROUNDS; i++) {
		atomic_store(&turn, 2 * i + 1);
		futex(&turn, FUTEX_WAKE_PRIVATE, 1);
		while (atomic_load(&turn) == 2 * i + 1)
			futex(&turn, FUTEX_WAIT_PRIVATE, 2 * i + 1);
		if (atomic_load(&turn) != 2 * i + 2)
			bad++;
	}
	pthread_join(th, NULL);
	CHECK_EQ("futex ping-pong: every round in order", bad, 0);
}

/* A pipe each way between two processes: 5000 numbered messages back. */
static void check_pipes(void)
{
	int down[2], up[2], bad = 0, st = -1;

	if (pipe(down) || pipe(up))
		return;
	pid_t p = fork();

	if (p == 0) {
		unsigned v;

		close(down[1]);
		close(up[0]);
		while (read(down[0], &v, sizeof v) == sizeof v) {
			v = v * 2 + 1;
			if (write(up[1], &v, sizeof v) != sizeof v)
				_exit(1);
		}
		_exit(0);
	}
	close(down[0]);
	close(up[1]);
	for (unsigned i = 0; i < 5000; i++) {
		unsigned v = i;

		if (write(down[1], &v, sizeof v) != sizeof v ||
		    read(up[0], &v, sizeof v) != sizeof v || v != i * 2 + 1)
			bad++;
	}
	close(down[1]);
	waitpid(p, &st, 0);
	close(up[0]);
	CHECK_EQ("pipe ping-pong between processes: every answer", bad, 0);
	CHECK("pipe ping-pong: the child exits 0", WIFEXITED(st) && !WEXITSTATUS(st));
}

/* Two threads forking at once: every child's status comes back. */
static void *forker(void *arg)
{
	long base = (long)arg, bad = 0;

	for (int i = 0; i < 100; i++) {
		int st = -1;
		pid_t p = fork();

		if (p == 0)
			_exit((int)((base + i) & 0x7f));
		if (p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != ((base + i) & 0x7f))
			bad++;
	}
	return (void *)bad;
}

static void check_fork_storm(void)
{
	pthread_t th[2];
	void *r[2];

	for (long i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, forker, (void *)(i * 100));
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], &r[i]);
	CHECK_EQ("fork/exit/wait from two threads at once: every status",
		 (long)r[0] + (long)r[1], 0);
}

/*
 * A writer thread keeps writing a page; once mprotect(PROT_READ) has
 * returned in the main thread, its next write must fault: the other
 * CPU's TLB may not keep the writable translation.
 */
static char *page;
static atomic_int phase, faults, late_writes, rounds_done;
static __thread sigjmp_buf jb;

static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(jb, 1);
}

static void *writer(void *arg)
{
	(void)arg;
	for (int r = 0; r < 200; r++) {
		/*
		 * Write until the main thread has write-protected the page
		 * (a write may fault before it says so); then once more.
		 */
		while (atomic_load(&phase) != 2 * r + 1)
			if (sigsetjmp(jb, 1) == 0)
				page[0]++;
		if (sigsetjmp(jb, 1) == 0) {
			page[64] = 1;
			atomic_fetch_add(&late_writes, 1);
		} else {
			atomic_fetch_add(&faults, 1);
		}
		atomic_store(&phase, 2 * r + 2);
	}
	return NULL;
}

/*
 * The same with @unmap: munmap of a shared page, which the main thread
 * maps again (MAP_FIXED) for the next round.
 */
static void check_shootdown(int unmap)
{
	pthread_t th;
	struct sigaction sa = { .sa_handler = on_segv };
	int flags = unmap ? MAP_SHARED | MAP_ANONYMOUS : MAP_PRIVATE | MAP_ANONYMOUS;

	sigaction(SIGSEGV, &sa, NULL);
	atomic_store(&phase, 0);
	atomic_store(&faults, 0);
	atomic_store(&late_writes, 0);
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (page == MAP_FAILED)
		return;
	pthread_create(&th, NULL, writer, NULL);
	for (int r = 0; r < 200; r++) {
		struct timespec ts = { 0, 200000 };

		nanosleep(&ts, NULL);	/* let the writer write */
		if (unmap)
			munmap(page, 4096);
		else
			mprotect(page, 4096, PROT_READ);
		atomic_store(&phase, 2 * r + 1);
		while (atomic_load(&phase) != 2 * r + 2)
			;
		if (unmap)
			mmap(page, 4096, PROT_READ | PROT_WRITE, flags | MAP_FIXED, -1, 0);
		else
			mprotect(page, 4096, PROT_READ | PROT_WRITE);
		atomic_fetch_add(&rounds_done, 1);
	}
	pthread_join(th, NULL);
	if (unmap) {
		CHECK_EQ("munmap of a shared page reaches the other thread's CPU at once: every late write faults",
			 atomic_load(&faults), 200);
		CHECK_EQ("no write after munmap returned got through",
			 atomic_load(&late_writes), 0);
	} else {
		CHECK_EQ("mprotect(PROT_READ) reaches the other thread's CPU at once: every late write faults",
			 atomic_load(&faults), 200);
		CHECK_EQ("no write after mprotect(PROT_READ) returned got through",
			 atomic_load(&late_writes), 0);
	}
	munmap(page, 4096);
	signal(SIGSEGV, SIG_DFL);
}

/* Two threads, a socket pair between them: numbered messages, then bulk. */
static int unix_sv[2];

static void *unix_echo(void *arg)
{
	char buf[4096];
	ssize_t n;

	(void)arg;
	while ((n = read(unix_sv[1], buf, sizeof buf)) > 0)
		if (write(unix_sv[1], buf, (size_t)n) != n)
			break;
	return NULL;
}

/* Send @len bytes of a pattern through @fd and check what comes back. */
static long echo_bulk(int fd, size_t len)
{
	static char out[65536], in[65536];
	size_t sent = 0, got = 0;
	long bad = 0;

	for (size_t i = 0; i < sizeof out; i++)
		out[i] = (char)(i * 7 + 3);
	while (got < len) {
		if (sent < len && sent - got < sizeof out / 2) {
			size_t n = MIN(len - sent, (size_t)4096);
			ssize_t w = write(fd, out + sent % sizeof out, n);

			if (w <= 0)
				return -1;
			sent += (size_t)w;
			continue;
		}
		ssize_t r = read(fd, in, MIN(sizeof in, sent - got));

		if (r <= 0)
			return -1;
		for (ssize_t i = 0; i < r; i++)
			bad += in[i] != out[(got + (size_t)i) % sizeof out];
		got += (size_t)r;
	}
	return bad;
}

static void check_unix(void)
{
	pthread_t th;
	long bad = 0;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, unix_sv))
		return;
	pthread_create(&th, NULL, unix_echo, NULL);
	for (unsigned i = 0; i < 1000; i++) {
		unsigned v = i, back = ~0u;

		if (write(unix_sv[0], &v, sizeof v) != sizeof v ||
		    read(unix_sv[0], &back, sizeof back) != sizeof back || back != i)
			bad++;
	}
	CHECK_EQ("AF_UNIX ping-pong between two threads: every answer", bad, 0);
	CHECK_EQ("AF_UNIX: 1 MiB echoed intact", echo_bulk(unix_sv[0], 1 << 20), 0);
	shutdown(unix_sv[0], SHUT_WR);
	pthread_join(th, NULL);
	close(unix_sv[0]);
	close(unix_sv[1]);
}

/* Loopback TCP: an echo thread on one side, the same traffic. */
static int tcp_listener = -1;

static void *tcp_echo(void *arg)
{
	char buf[4096];
	ssize_t n;
	int c = accept(tcp_listener, NULL, NULL);

	(void)arg;
	while (c >= 0 && (n = read(c, buf, sizeof buf)) > 0)
		if (write(c, buf, (size_t)n) != n)
			break;
	if (c >= 0)
		close(c);
	return NULL;
}

static void check_tcp(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof a;
	struct ifreq ifr;
	pthread_t th;
	long bad = 0;
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	memset(&ifr, 0, sizeof ifr);
	strcpy(ifr.ifr_name, "lo");
	if (s >= 0 && ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	if (s >= 0)
		close(s);
	tcp_listener = socket(AF_INET, SOCK_STREAM, 0);
	if (tcp_listener < 0 || bind(tcp_listener, (struct sockaddr *)&a, sizeof a) ||
	    listen(tcp_listener, 1) ||
	    getsockname(tcp_listener, (struct sockaddr *)&a, &alen)) {
		CHECK("loopback TCP: a listener on 127.0.0.1", 0);
		return;
	}
	pthread_create(&th, NULL, tcp_echo, NULL);
	int c = socket(AF_INET, SOCK_STREAM, 0);

	CHECK_OK("loopback TCP: connect", connect(c, (struct sockaddr *)&a, sizeof a));
	for (unsigned i = 0; i < 200; i++) {
		unsigned v = i, back = ~0u;

		if (write(c, &v, sizeof v) != sizeof v ||
		    read(c, &back, sizeof back) != sizeof back || back != i)
			bad++;
	}
	CHECK_EQ("loopback TCP ping-pong between two threads: every answer", bad, 0);
	CHECK_EQ("loopback TCP: 256 KiB echoed intact", echo_bulk(c, 256 << 10), 0);
	shutdown(c, SHUT_WR);
	pthread_join(th, NULL);
	close(c);
	close(tcp_listener);
}

/* Two threads each fork and exec this program many times over. */
static void *execer(void *arg)
{
	long bad = 0;

	for (int i = 0; i < 10; i++) {
		int st = -1;
		pid_t p = fork();

		if (p == 0) {
			execl("/proc/self/exe", "abi_smp", "exit", (char *)arg, (char *)NULL);
			_exit(127);
		}
		if (p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != atoi(arg))
			bad++;
	}
	return (void *)bad;
}

static void check_exec_storm(void)
{
	pthread_t th[2];
	void *r[2];
	char *codes[2] = { "3", "4" };

	for (int i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, execer, codes[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], &r[i]);
	CHECK_EQ("fork/exec/wait from two threads at once: every status",
		 (long)r[0] + (long)r[1], 0);
}

/* The value after "@key:\t" in /proc/self/status, or "" (static buffer). */
static const char *status_field(const char *key)
{
	static char val[128];
	char line[256];
	size_t n = strlen(key);
	FILE *f = fopen("/proc/self/status", "r");

	val[0] = 0;
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, key, n) && line[n] == ':') {
			snprintf(val, sizeof val, "%s", line + n + 2);
			val[strcspn(val, "\n")] = 0;
		}
	if (f)
		fclose(f);
	return val;
}

/* Field 39 of /proc/self/stat: the CPU the thread last ran on. */
static int stat_processor(void)
{
	char buf[1024];
	int field = 1, fd = open("/proc/self/stat", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	char *p = strrchr(buf, ')');	/* past the command name */

	for (field = 2; p && field < 39; field++)
		p = strchr(p + 1, ' ');
	return p ? atoi(p + 1) : -1;
}

/* Pinned to @cpu: there at once, and still there after a busy while. */
static int runs_only_on(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof set, &set))
		return 0;
	if (sched_getcpu() != cpu)
		return 0;
	for (int i = 0; i < 2000; i++) {
		volatile int spin;

		for (spin = 0; spin < 1000; spin++)
			;
		if (sched_getcpu() != cpu)
			return 0;
	}
	return 1;
}

static int child_pinned(void *arg)
{
	return sched_getcpu() == (int)(long)arg && runs_only_on((int)(long)arg) ? 0 : 1;
}

static void check_affinity(void)
{
	cpu_set_t set, all;
	int last = (int)nproc - 1;
	char hex[16], list[16];

	CPU_ZERO(&all);
	for (int i = 0; i < nproc; i++)
		CPU_SET(i, &all);
	snprintf(hex, sizeof hex, "%x", (1U << nproc) - 1);
	if (nproc == 1)
		snprintf(list, sizeof list, "0");
	else
		snprintf(list, sizeof list, "0-%d", last);
	CHECK_STR("/proc/self/status Cpus_allowed: every CPU",
		  status_field("Cpus_allowed"), hex);
	CHECK_STR("Cpus_allowed_list: every CPU", status_field("Cpus_allowed_list"),
		  list);
	CHECK("sched_setaffinity to the last CPU moves the thread there at once "
	      "and it stays", runs_only_on(last));
	CHECK_OK("sched_getaffinity", sched_getaffinity(0, sizeof set, &set));
	CHECK("sched_getaffinity reads the new mask back",
	      CPU_COUNT(&set) == 1 && CPU_ISSET(last, &set));
	snprintf(hex, sizeof hex, "%x", 1U << last);
	snprintf(list, sizeof list, "%d", last);
	CHECK_STR("Cpus_allowed shows the mask", status_field("Cpus_allowed"), hex);
	CHECK_STR("Cpus_allowed_list shows it as a list",
		  status_field("Cpus_allowed_list"), list);
	CHECK_EQ("/proc/self/stat's processor field is that CPU", stat_processor(),
		 last);
	int st = run_child(child_pinned, (void *)(long)last);

	CHECK("a forked child keeps the mask", st != -1 && WIFEXITED(st) &&
	      WEXITSTATUS(st) == 0);
	CHECK("and CPU 0 after it", runs_only_on(0));
	CPU_ZERO(&set);
	CPU_SET(60, &set);
	CHECK_ERR("a mask of CPUs that are not there is EINVAL",
		  sched_setaffinity(0, sizeof set, &set), EINVAL);
	CHECK("which leaves the mask as it was", sched_getcpu() == 0 &&
	      sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) == 1);
	CHECK_OK("every CPU again", sched_setaffinity(0, sizeof all, &all));
}

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "exit"))
		return atoi(argv[2]);
	TEST_BEGIN(T);
	nproc = sysconf(_SC_NPROCESSORS_ONLN);
	check_counts();
	check_affinity();
	if (nproc >= 2)
		check_parallel();
	check_futex();
	check_pipes();
	check_fork_storm();
	check_exec_storm();
	check_unix();
	check_tcp();
	check_shootdown(0);
	check_shootdown(1);
	return TEST_END();
}
