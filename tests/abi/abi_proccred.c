/* abi_proccred.c - the credential rules for processes, limits and sockets as Linux 6.1 applies them to an unprivileged process: RLIMIT_NPROC per real user (fork, threads, set*id then execve), kill permission by uids (kill, tkill, tgkill, sigqueue, pidfd, groups, -1), setpriority, the sched_* owner and RLIMIT_RTPRIO/RLIMIT_NICE rules, ioprio_set, prlimit64, the capability-only calls, RLIMIT_MEMLOCK, RLIMIT_SIGPENDING, RLIMIT_AS, /proc/PID owners and ptrace_may_access, and the socket rules. */
#include "check.h"
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <time.h>

#define T "abi_proccred"

/* Raw interfaces musl does not wrap. */
struct cap_header { uint32_t version; int pid; };
struct cap_data { uint32_t effective, permitted, inheritable; };
#define CAP_V3		0x20080522
#define CAP_KILL	5
#define CAP_NET_BIND_SERVICE 10
#define CAP_NET_RAW	13
#define CAP_SYS_PTRACE	19
#define CAP_SYS_RESOURCE 24

struct sched_attr_v0 {
	uint32_t size, policy;
	uint64_t flags;
	int32_t nice;
	uint32_t priority;
	uint64_t runtime, deadline, period;
};

static char self_exe[] = "/proc/self/exe";

/* Become @r/@e/@s (uids) with all gids @g and no groups, or fail loudly. */
static void become(uid_t r, uid_t e, uid_t s, gid_t g)
{
	if (setgroups(0, NULL) || setresgid(g, g, g) || setresuid(r, e, s)) {
		check_emit("FAIL %s: dropping privileges: %s", T, errname(errno));
		_exit(1);
	}
}

static void drop(void)
{
	become(1000, 1000, 1000, 1000);
}

/* Effective set @eff, permitted set @perm (the rest dropped). */
static int cap_set(uint32_t eff, uint32_t perm)
{
	struct cap_header h = { CAP_V3, 0 };
	struct cap_data d[2] = { { eff, perm, 0 }, { 0, 0, 0 } };

	return (int)syscall(SYS_capset, &h, d);
}

static int cap_only(uint32_t caps)
{
	return cap_set(caps, caps);
}

/* Become user 1000 keeping capabilities @eff of @perm. */
static int drop_keep(uint32_t eff, uint32_t perm)
{
	prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
	drop();
	return cap_set(eff, perm);
}

static void set_limit(int res, rlim_t v)
{
	struct rlimit rl = { v, v };

	if (setrlimit(res, &rl))
		check_emit("FAIL %s: setrlimit %d: %s", T, res, errname(errno));
}

static void reap_all(void)
{
	while (wait(NULL) > 0)
		;
}

/* ---- 1. RLIMIT_NPROC ---- */

static void *idle_thread(void *arg)
{
	(void)arg;
	return NULL;
}

/* Fork a child that waits for pipe @p to close; its pid, or -1 (errno). */
static pid_t fork_waiter(const int p[2])
{
	pid_t pid = fork();

	if (pid == 0) {
		char c;

		close(p[1]);
		while (read(p[0], &c, 1) > 0)
			;
		_exit(0);
	}
	return pid;
}

static int nproc_user(void *arg)
{
	int p[2], n = 0;
	pid_t pid;
	pthread_t th;

	(void)arg;
	set_limit(RLIMIT_NPROC, 5);
	drop();
	if (pipe(p))
		return 1;
	for (int i = 0; i < 8; i++) {
		pid = fork_waiter(p);
		if (pid < 0)
			break;
		n++;
	}
	CHECK_EQ("RLIMIT_NPROC 5: forks while the user has fewer than 5 tasks", n, 4);
	errno = 0;
	pid = fork_waiter(p);
	CHECK("the fork that would make a 6th task: EAGAIN", pid < 0 && errno == EAGAIN);
	CHECK_EQ("a thread is a task too: pthread_create EAGAIN",
		 pthread_create(&th, NULL, idle_thread, NULL), EAGAIN);
	close(p[1]);
	reap_all();
	pid = fork_waiter(p);
	CHECK("reaped tasks leave the count: fork works again", pid > 0);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return 0;
}

/* Fork with RLIMIT_NPROC 1; 0 if the fork worked, else errno. */
static int try_fork(void)
{
	pid_t p = fork();

	if (p == 0)
		_exit(0);
	if (p < 0)
		return errno;
	waitpid(p, NULL, 0);
	return 0;
}

static int nproc_root_caps(void *arg)
{
	(void)arg;
	set_limit(RLIMIT_NPROC, 1);
	CHECK_EQ("root's user is not limited by RLIMIT_NPROC", try_fork(), 0);
	CHECK_OK("root drops every capability", cap_only(0));
	CHECK_EQ("root's user forks without capabilities too", try_fork(), 0);
	return 0;
}

static int nproc_cap_resource(void *arg)
{
	(void)arg;
	set_limit(RLIMIT_NPROC, 1);
	become(1000, 0, 0, 1000);	/* real user 1000, capabilities kept */
	CHECK_EQ("CAP_SYS_RESOURCE forks over RLIMIT_NPROC", try_fork(), 0);
	CHECK_OK("keep only CAP_SYS_RESOURCE", cap_only(1u << CAP_SYS_RESOURCE));
	CHECK_EQ("CAP_SYS_RESOURCE alone is enough", try_fork(), 0);
	CHECK_OK("drop it", cap_only(0));
	CHECK_EQ("without it: EAGAIN", try_fork(), EAGAIN);
	return 0;
}

/* set*id onto a user over its limit succeeds; its next execve is EAGAIN. */
static void nproc_exec(void)
{
	int hold[2], go[2], rep[2], st = -1;
	pid_t h[2], c;
	char *argv[] = { self_exe, "exec-ok", NULL }, ch = 1;

	if (pipe(hold) || pipe(go) || pipe(rep))
		return;
	for (int i = 0; i < 2; i++) {
		h[i] = fork();
		if (h[i] == 0) {
			close(hold[1]);
			drop();
			if (write(rep[1], &ch, 1) != 1)
				_exit(1);
			while (read(hold[0], &ch, 1) > 0)
				;
			_exit(0);
		}
		if (read(rep[0], &ch, 1) != 1)
			return;
	}
	c = fork();
	if (c == 0) {
		close(hold[1]);
		close(go[1]);
		set_limit(RLIMIT_NPROC, 1);
		CHECK_OK("setresuid onto a user over RLIMIT_NPROC succeeds",
			 setresuid(1000, 1000, 1000));
		CHECK_ERR("then execve: EAGAIN", execv(self_exe, argv), EAGAIN);
		if (write(rep[1], &ch, 1) != 1)
			_exit(1);
		while (read(go[0], &ch, 1) > 0)
			;
		execv(self_exe, argv);
		_exit(1);
	}
	close(go[0]);
	close(hold[0]);
	if (read(rep[0], &ch, 1) != 1)
		check_emit("FAIL %s: no report from the exec child", T);
	close(hold[1]);
	waitpid(h[0], NULL, 0);
	waitpid(h[1], NULL, 0);
	close(go[1]);
	waitpid(c, &st, 0);
	close(rep[0]);
	close(rep[1]);
	CHECK("within the limit again, execve runs the program",
	      WIFEXITED(st) && WEXITSTATUS(st) == 42);
}

static void test_nproc(void)
{
	run_child(nproc_user, NULL);
	run_child(nproc_root_caps, NULL);
	run_child(nproc_cap_resource, NULL);
	nproc_exec();
}

/* ---- 2. signals ---- */

static int ready[2];
static pid_t vroot, vuser, vgroot, vguser, veuid, vsuid, v2000, vgid, vnodump;

/*
 * A process with uids @r/@e/@s, gids @g, in group @pgrp (-1: ours, 0: its
 * own), dumpable unless @nodump; it waits for SIGKILL.
 */
static pid_t spawn_as(uid_t r, uid_t e, uid_t s, gid_t g, pid_t pgrp,
		      int nodump)
{
	pid_t p = fork();
	char c = 1;

	if (p == 0) {
		if (pgrp >= 0)
			setpgid(0, pgrp);
		become(r, e, s, g);
		/* Linux's commit_creds made it non-dumpable: choose. */
		prctl(PR_SET_DUMPABLE, !nodump, 0, 0, 0);
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	if (pgrp >= 0)
		setpgid(p, pgrp ? pgrp : p);
	if (read(ready[0], &c, 1) != 1)
		check_emit("FAIL %s: victim not ready", T);
	return p;
}

static pid_t spawn(uid_t r, uid_t e, uid_t s, pid_t pgrp)
{
	return spawn_as(r, e, s, r, pgrp, 0);
}

static void spawn_victims(void)
{
	if (pipe(ready))
		return;
	vroot = spawn(0, 0, 0, 0);
	vuser = spawn(1000, 1000, 1000, -1);
	vgroot = spawn(0, 0, 0, 0);
	vguser = spawn(1000, 1000, 1000, vgroot);
	veuid = spawn(3000, 1000, 3000, -1);
	vsuid = spawn(0, 0, 1000, -1);
	v2000 = spawn(2000, 2000, 2000, -1);
	vgid = spawn_as(1000, 1000, 1000, 2000, -1, 0);
	vnodump = spawn_as(1000, 1000, 1000, 1000, -1, 1);
}

static void kill_victims(void)
{
	pid_t v[] = { vroot, vuser, vgroot, vguser, veuid, vsuid, v2000,
		      vgid, vnodump };

	for (unsigned i = 0; i < sizeof v / sizeof v[0]; i++)
		kill(v[i], SIGKILL);
	reap_all();
}

static long sigqueue_raw(pid_t pid, int sig)
{
	siginfo_t si;

	sigqueue_info(&si, sig);
	return syscall(SYS_rt_sigqueueinfo, pid, sig, &si);
}

static long tgsigqueue_raw(pid_t pid, int sig)
{
	siginfo_t si;

	memset(&si, 0, sizeof si);
	si.si_signo = sig;
	si.si_code = SI_QUEUE;
	return syscall(SYS_rt_tgsigqueueinfo, pid, pid, sig, &si);
}

static int sig_user(void *arg)
{
	(void)arg;
	drop();
	CHECK_ERR("kill another user's process: EPERM", kill(vroot, SIGTERM), EPERM);
	CHECK_ERR("kill with signal 0 is checked too", kill(vroot, 0), EPERM);
	CHECK_OK("kill one's own user's process", kill(vuser, 0));
	CHECK_OK("SIGCONT within the session is allowed", kill(vroot, SIGCONT));
	CHECK_ERR("tkill: EPERM", syscall(SYS_tkill, vroot, SIGTERM), EPERM);
	CHECK_ERR("tgkill: EPERM", syscall(SYS_tgkill, vroot, vroot, SIGTERM), EPERM);
	CHECK_ERR("tgkill signal 0: EPERM", syscall(SYS_tgkill, vroot, vroot, 0), EPERM);
	CHECK_OK("tgkill own user", syscall(SYS_tgkill, vuser, vuser, 0));
	CHECK_OK("tkill SIGCONT in the session", syscall(SYS_tkill, vroot, SIGCONT));
	CHECK_ERR("rt_sigqueueinfo: EPERM", sigqueue_raw(vroot, SIGUSR1), EPERM);
	CHECK_ERR("rt_tgsigqueueinfo: EPERM", tgsigqueue_raw(vroot, SIGUSR1), EPERM);
	CHECK_OK("rt_sigqueueinfo own user", sigqueue_raw(vuser, 0));
	CHECK_ERR("target's euid alone does not count", kill(veuid, 0), EPERM);
	CHECK_OK("target's saved uid counts", kill(vsuid, 0));
	CHECK_ERR("kill of a group of another user's: EPERM", kill(-vroot, 0), EPERM);
	CHECK_OK("kill of a group with one permitted member: 0", kill(-vgroot, 0));
	CHECK_OK("SIGCONT to the group in the session", kill(-vroot, SIGCONT));
	CHECK_OK("kill(-1): refusals are not errors", kill(-1, 0));

	int fd = (int)syscall(SYS_pidfd_open, vroot, 0);

	CHECK("pidfd_open of another user's process works", fd >= 0);
	CHECK_ERR("pidfd_send_signal: EPERM",
		  syscall(SYS_pidfd_send_signal, fd, SIGTERM, NULL, 0), EPERM);
	CHECK_OK("pidfd_send_signal SIGCONT in the session",
		 syscall(SYS_pidfd_send_signal, fd, SIGCONT, NULL, 0));
	close(fd);
	return 0;
}

static int sig_euid(void *arg)
{
	(void)arg;
	become(1000, 2000, 2000, 1000);
	CHECK_OK("the sender's euid may match the target's uid", kill(v2000, 0));
	CHECK_OK("the sender's uid may match too", kill(vuser, 0));
	CHECK_ERR("neither matches: EPERM", kill(vroot, 0), EPERM);
	return 0;
}

static int sig_cap_kill(void *arg)
{
	(void)arg;
	CHECK_OK("keep CAP_KILL as user 1000", drop_keep(1u << CAP_KILL, 1u << CAP_KILL));
	CHECK_OK("CAP_KILL signals anyone", kill(vroot, 0));
	CHECK_OK("CAP_KILL: tgkill", syscall(SYS_tgkill, vroot, vroot, 0));
	return 0;
}

static int sig_session(void *arg)
{
	(void)arg;
	setsid();
	drop();
	CHECK_ERR("SIGCONT from another session: EPERM", kill(vroot, SIGCONT), EPERM);
	return 0;
}

static volatile uid_t thread_uid = (uid_t)-1;

static void *uid_thread(void *arg)
{
	volatile int *go = arg;

	while (!*go)
		sched_yield();
	thread_uid = (uid_t)syscall(SYS_getuid);
	return NULL;
}

/* The C library's set*id broadcast signals its own threads. */
static int sig_setxid(void *arg)
{
	static volatile int go;
	pthread_t th;

	(void)arg;
	if (pthread_create(&th, NULL, uid_thread, (void *)&go))
		return 1;
	CHECK_OK("setresuid in a threaded process", setresuid(1000, 1000, 1000));
	go = 1;
	pthread_join(th, NULL);
	CHECK_EQ("the other thread changed too", thread_uid, 1000);
	return 0;
}

static void test_signals(void)
{
	run_child(sig_user, NULL);
	run_child(sig_euid, NULL);
	run_child(sig_cap_kill, NULL);
	run_child(sig_session, NULL);
	run_child(sig_setxid, NULL);
}

/* ---- 3. priorities, scheduling, limits and capability-only calls ---- */

static int sched_set(pid_t pid, int policy, int prio)
{
	struct sched_param sp = { .sched_priority = prio };

	return (int)syscall(SYS_sched_setscheduler, pid, policy, &sp);
}

static int prio_user(void *arg)
{
	struct sched_param sp = { 0 };
	struct sched_attr_v0 a = { .size = sizeof a };
	cpu_set_t cpus;
	struct rlimit rl;

	(void)arg;
	drop();
	CHECK_ERR("setpriority of another user's process: EPERM",
		  setpriority(PRIO_PROCESS, vroot, 5), EPERM);
	errno = 0;
	CHECK("getpriority of it is allowed",
	      getpriority(PRIO_PROCESS, vroot) == 0 && errno == 0);
	CHECK_OK("setpriority of one's own user's", setpriority(PRIO_PROCESS, vuser, 5));
	CHECK_OK("raise one's nice", setpriority(PRIO_PROCESS, 0, 5));
	CHECK_ERR("lower it without RLIMIT_NICE: EACCES", setpriority(PRIO_PROCESS, 0, 4), EACCES);
	CHECK_ERR("a group with another user's member: EPERM",
		  setpriority(PRIO_PGRP, vgroot, 7), EPERM);
	CHECK_EQ("... which still changed the permitted member", getpriority(PRIO_PROCESS, vguser), 7);
	CHECK_ERR("PRIO_USER: lowering that one's nice: EACCES", setpriority(PRIO_USER, 0, 6), EACCES);
	CHECK_OK("PRIO_USER of one's own user", setpriority(PRIO_USER, 0, 8));
	CHECK_EQ("... reached the user's other process", getpriority(PRIO_PROCESS, vuser), 8);

	CHECK_ERR("sched_setscheduler another user's: EPERM", sched_set(vroot, SCHED_OTHER, 0), EPERM);
	CHECK_ERR("sched_setparam another user's: EPERM",
		  syscall(SYS_sched_setparam, vroot, &sp), EPERM);
	a.policy = SCHED_OTHER;
	CHECK_ERR("sched_setattr another user's: EPERM",
		  syscall(SYS_sched_setattr, vroot, &a, 0), EPERM);
	CHECK_OK("sched_setscheduler one's own user's", sched_set(vuser, SCHED_OTHER, 0));
	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	CHECK_ERR("sched_setaffinity another user's: EPERM",
		  sched_setaffinity(vroot, sizeof cpus, &cpus), EPERM);
	CHECK_OK("sched_setaffinity one's own", sched_setaffinity(0, sizeof cpus, &cpus));
	CHECK_ERR("SCHED_FIFO without RLIMIT_RTPRIO: EPERM", sched_set(0, SCHED_FIFO, 1), EPERM);
	a.policy = 6;		/* SCHED_DEADLINE */
	a.runtime = 10000000;
	a.deadline = a.period = 30000000;
	CHECK_ERR("SCHED_DEADLINE unprivileged: EPERM", syscall(SYS_sched_setattr, 0, &a, 0), EPERM);
	CHECK_OK("SCHED_OTHER with reset-on-fork", sched_set(0, SCHED_OTHER | SCHED_RESET_ON_FORK, 0));
	CHECK_ERR("clearing reset-on-fork: EPERM", sched_set(0, SCHED_OTHER, 0), EPERM);
	CHECK_OK("SCHED_IDLE", sched_set(0, SCHED_IDLE | SCHED_RESET_ON_FORK, 0));
	CHECK_ERR("leaving SCHED_IDLE without RLIMIT_NICE: EPERM",
		  sched_set(0, SCHED_OTHER | SCHED_RESET_ON_FORK, 0), EPERM);

	CHECK_ERR("ioprio_set another user's: EPERM",
		  syscall(SYS_ioprio_set, 1, vroot, 2 << 13 | 4), EPERM);
	CHECK_OK("ioprio_set one's own user's", syscall(SYS_ioprio_set, 1, vuser, 2 << 13 | 4));
	CHECK_ERR("ioprio_set of a group with another user's member: EPERM",
		  syscall(SYS_ioprio_set, 2, vgroot, 2 << 13 | 4), EPERM);

	CHECK_ERR("prlimit64 another user's: EPERM",
		  syscall(SYS_prlimit64, vroot, RLIMIT_NOFILE, NULL, &rl), EPERM);
	CHECK_ERR("prlimit64 of a process whose euid alone is ours: EPERM",
		  syscall(SYS_prlimit64, veuid, RLIMIT_NOFILE, NULL, &rl), EPERM);
	CHECK_OK("prlimit64 of one's own user's", syscall(SYS_prlimit64, vuser, RLIMIT_NOFILE, NULL, &rl));
	rl.rlim_max++;
	CHECK_ERR("raising a hard limit: EPERM", setrlimit(RLIMIT_NOFILE, &rl), EPERM);
	rl.rlim_max -= 2;
	rl.rlim_cur = rl.rlim_max;
	CHECK_OK("lowering it", setrlimit(RLIMIT_NOFILE, &rl));

	CHECK_ERR("reboot: EPERM", syscall(SYS_reboot, 0xfee1dead, 672274793, 0, NULL), EPERM);
	CHECK_ERR("sethostname: EPERM", sethostname("x", 1), EPERM);
	CHECK_ERR("setdomainname: EPERM", setdomainname("x", 1), EPERM);
	CHECK_ERR("syslog clear: EPERM", syscall(SYS_syslog, 5, NULL, 0), EPERM);
	CHECK_ERR("syslog read-and-clear: EPERM", syscall(SYS_syslog, 4, NULL, 0), EPERM);
	CHECK_ERR("syslog console level: EPERM", syscall(SYS_syslog, 8, NULL, 4), EPERM);

	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	CHECK_ERR("clock_settime: EPERM", clock_settime(CLOCK_REALTIME, &ts), EPERM);
	return 0;
}

static int prio_limits(void *arg)
{
	(void)arg;
	set_limit(RLIMIT_NICE, 25);
	set_limit(RLIMIT_RTPRIO, 10);
	drop();
	CHECK_OK("RLIMIT_NICE 25: nice -5", setpriority(PRIO_PROCESS, 0, -5));
	CHECK_ERR("nice -6: EACCES", setpriority(PRIO_PROCESS, 0, -6), EACCES);
	CHECK_OK("RLIMIT_RTPRIO 10: SCHED_FIFO 5", sched_set(0, SCHED_FIFO, 5));
	CHECK_ERR("SCHED_FIFO 11: EPERM", sched_set(0, SCHED_FIFO, 11), EPERM);
	CHECK_OK("back to SCHED_OTHER", sched_set(0, SCHED_OTHER, 0));
	return 0;
}

static void test_prio(void)
{
	run_child(prio_user, NULL);
	run_child(prio_limits, NULL);
}

/* ---- 4. RLIMIT_MEMLOCK, RLIMIT_SIGPENDING, RLIMIT_AS ---- */

#define PG 4096

static int memlock_zero(void *arg)
{
	char *m = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	(void)arg;
	set_limit(RLIMIT_MEMLOCK, 0);
	drop();
	CHECK_ERR("mlock with a zero limit: EPERM", mlock(m, PG), EPERM);
	CHECK_ERR("mlock2: EPERM", syscall(SYS_mlock2, m, PG, 0), EPERM);
	CHECK_ERR("mlockall: EPERM", mlockall(MCL_CURRENT), EPERM);
	/* The raw call: musl turns an anonymous mapping's EPERM into ENOMEM. */
	CHECK_ERR("mmap MAP_LOCKED: EPERM",
		  syscall(SYS_mmap, 0, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0), EPERM);
	CHECK_OK("munlock needs no right", munlock(m, PG));
	return 0;
}

static int memlock_limit(void *arg)
{
	char *m = mmap(NULL, 32 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	(void)arg;
	set_limit(RLIMIT_MEMLOCK, 16 * PG);
	drop();
	CHECK_OK("mlock 8 pages of 16", mlock(m, 8 * PG));
	CHECK_OK("locking them again counts them once", mlock(m, 8 * PG));
	CHECK_OK("8 more", mlock(m + 8 * PG, 8 * PG));
	CHECK_ERR("one more page: ENOMEM", mlock(m + 16 * PG, PG), ENOMEM);
	CHECK_OK("munlock 8", munlock(m, 8 * PG));
	CHECK_OK("then 8 others fit", mlock(m + 16 * PG, 8 * PG));
	CHECK("growing a locked mapping over the limit: EAGAIN",
	      mremap(m + 16 * PG, 8 * PG, 9 * PG, MREMAP_MAYMOVE) == MAP_FAILED && errno == EAGAIN);
	CHECK("MAP_LOCKED over the limit: EAGAIN",
	      mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0) == MAP_FAILED &&
	      errno == EAGAIN);
	CHECK_ERR("mlockall(MCL_CURRENT) over the limit: ENOMEM", mlockall(MCL_CURRENT), ENOMEM);
	CHECK_OK("mlockall(MCL_FUTURE)", mlockall(MCL_FUTURE));
	CHECK("then a plain mmap over the limit: EAGAIN",
	      mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
	      errno == EAGAIN);
	CHECK_OK("munlockall", munlockall());
	CHECK("mmap works again",
	      mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0) != MAP_FAILED);
	return 0;
}

static int sigpending_limit(void *arg)
{
	sigset_t s;
	union sigval v = { 0 };
	int st = -1, sig = SIGRTMIN;

	(void)arg;
	set_limit(RLIMIT_SIGPENDING, 3);
	drop();
	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(SIG_BLOCK, &s, NULL);
	for (int i = 0; i < 3; i++)
		CHECK_OK("queue a signal within RLIMIT_SIGPENDING", sigqueue(getpid(), sig, v));
	CHECK_ERR("the 4th: EAGAIN", sigqueue(getpid(), sig, v), EAGAIN);
	CHECK_OK("kill() of a real-time signal is still delivered", kill(getpid(), sig));
	pid_t c = fork();

	if (c == 0) {
		sigprocmask(SIG_BLOCK, &s, NULL);
		_exit(sigqueue(getpid(), sig, v) < 0 && errno == EAGAIN ? 0 : 1);
	}
	waitpid(c, &st, 0);
	CHECK("the limit is the user's: another process of it gets EAGAIN",
	      WIFEXITED(st) && WEXITSTATUS(st) == 0);
	struct timespec zero = { 0, 0 };

	while (sigtimedwait(&s, NULL, &zero) == sig)
		;
	CHECK_OK("once taken, queueing works again", sigqueue(getpid(), sig, v));
	while (sigtimedwait(&s, NULL, &zero) == sig)
		;
	sigaddset(&s, SIGUSR1);
	sigaddset(&s, SIGUSR2);
	sigprocmask(SIG_BLOCK, &s, NULL);
	kill(getpid(), SIGUSR1);
	CHECK_OK("with a standard signal pending: one", sigqueue(getpid(), sig, v));
	CHECK_OK("two", sigqueue(getpid(), sig, v));
	CHECK_ERR("the pending standard signal counts: the 3rd is EAGAIN", sigqueue(getpid(), sig, v), EAGAIN);
	CHECK_OK("a standard signal by sigqueue over the limit is sent", sigqueue(getpid(), SIGUSR2, v));
	siginfo_t si;
	sigset_t u2;

	sigemptyset(&u2);
	sigaddset(&u2, SIGUSR2);
	CHECK("... without its information (SI_USER)",
	      sigtimedwait(&u2, &si, &zero) == SIGUSR2 && si.si_code == SI_USER);
	return 0;
}

static int as_limit(void *arg)
{
	(void)arg;
	set_limit(RLIMIT_AS, 256UL << 20);
	drop();
	CHECK("mmap beyond RLIMIT_AS: ENOMEM",
	      mmap(NULL, 512UL << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
	      errno == ENOMEM);
	void *m = mmap(NULL, 1 << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK("within it", m != MAP_FAILED);
	CHECK("mremap beyond it: ENOMEM",
	      mremap(m, 1 << 20, 512UL << 20, MREMAP_MAYMOVE) == MAP_FAILED && errno == ENOMEM);
	long top = syscall(SYS_brk, 0);

	CHECK_EQ("brk beyond it leaves the break", syscall(SYS_brk, top + (512L << 20)), top);
	CHECK_EQ("brk within it moves it", syscall(SYS_brk, top + (1L << 20)), top + (1L << 20));
	return 0;
}

static void test_limits(void)
{
	run_child(memlock_zero, NULL);
	run_child(memlock_limit, NULL);
	run_child(sigpending_limit, NULL);
	run_child(as_limit, NULL);
}

/* ---- 5. /proc/PID ---- */

static char *pp(pid_t pid, const char *name)
{
	static char buf[4][64];
	static int n;
	char *b = buf[n++ & 3];

	snprintf(b, sizeof buf[0], "/proc/%d%s%s", (int)pid, *name ? "/" : "", name);
	return b;
}

static int open_close(const char *path, int flags)
{
	int fd = open(path, flags);

	if (fd >= 0)
		close(fd);
	return fd < 0 ? -1 : 0;
}

static long rdlink(const char *path)
{
	char buf[256];

	return readlink(path, buf, sizeof buf);
}

static int owner_is(const char *path, uid_t uid, gid_t gid)
{
	struct stat st;

	return !stat(path, &st) && st.st_uid == uid && st.st_gid == gid;
}

static int proc_user(void *arg)
{
	char buf[256];
	int fd;

	(void)arg;
	drop();
	CHECK("a process's nodes belong to its euid and egid", owner_is(pp(vuser, "status"), 1000, 1000));
	CHECK("... to root for a root process", owner_is(pp(vroot, "status"), 0, 0));
	CHECK("... to root when it is not dumpable", owner_is(pp(vnodump, "status"), 0, 0));
	CHECK("... but for its /proc/PID directory", owner_is(pp(vnodump, ""), 1000, 1000));
	CHECK("... and its task/ directory", owner_is(pp(vnodump, "task"), 1000, 1000));
	CHECK_ERR("environ of root's process: EACCES", open_close(pp(vroot, "environ"), O_RDONLY), EACCES);
	CHECK_ERR("environ of a process of another gid: EACCES", open_close(pp(vgid, "environ"), O_RDONLY), EACCES);
	CHECK_ERR("environ of a non-dumpable process: EACCES", open_close(pp(vnodump, "environ"), O_RDONLY), EACCES);
	CHECK_OK("environ of one's own user's process", open_close(pp(vuser, "environ"), O_RDONLY));
	CHECK_ERR("maps of root's process: EACCES", open_close(pp(vroot, "maps"), O_RDONLY), EACCES);
	CHECK_ERR("maps of another gid's: EACCES", open_close(pp(vgid, "maps"), O_RDONLY), EACCES);
	CHECK_OK("maps of one's own user's", open_close(pp(vuser, "maps"), O_RDONLY));
	CHECK_OK("status of root's process is public", open_close(pp(vroot, "status"), O_RDONLY));
	CHECK_ERR("exe of root's process: EACCES", rdlink(pp(vroot, "exe")), EACCES);
	CHECK_ERR("cwd of root's process: EACCES", rdlink(pp(vroot, "cwd")), EACCES);
	CHECK_ERR("root of root's process: EACCES", rdlink(pp(vroot, "root")), EACCES);
	CHECK_ERR("exe of another gid's: EACCES", rdlink(pp(vgid, "exe")), EACCES);
	CHECK_OK("exe of one's own user's", rdlink(pp(vuser, "exe")));
	CHECK_ERR("fd/1 of root's process: EACCES", rdlink(pp(vroot, "fd/1")), EACCES);
	CHECK_ERR("fd/1 of another gid's: EACCES", rdlink(pp(vgid, "fd/1")), EACCES);
	CHECK_OK("fd/1 of one's own user's", rdlink(pp(vuser, "fd/1")));
	CHECK_ERR("fdinfo/1 of root's process: EACCES", open_close(pp(vroot, "fdinfo/1"), O_RDONLY), EACCES);
	CHECK_ERR("fdinfo/1 of another gid's: EACCES", open_close(pp(vgid, "fdinfo/1"), O_RDONLY), EACCES);
	CHECK_ERR("the fdinfo directory of another gid's: EACCES",
		  open_close(pp(vgid, "fdinfo"), O_RDONLY | O_DIRECTORY), EACCES);
	CHECK_OK("fdinfo/1 of one's own user's", open_close(pp(vuser, "fdinfo/1"), O_RDONLY));
	fd = open(pp(vgid, "io"), O_RDONLY);
	CHECK("io of another gid's opens (it is ours)", fd >= 0);
	CHECK_ERR("... but reading it: EACCES", read(fd, buf, sizeof buf), EACCES);
	close(fd);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	CHECK("not dumpable: our own nodes are root's", owner_is("/proc/self/status", 0, 0));
	CHECK_OK("we still read our own fd links", rdlink("/proc/self/fd/1"));
	return 0;
}

static int proc_cap_ptrace(void *arg)
{
	(void)arg;
	CHECK_OK("keep CAP_SYS_PTRACE as user 1000",
		 drop_keep(1u << CAP_SYS_PTRACE, 1u << CAP_SYS_PTRACE));
	CHECK_OK("CAP_SYS_PTRACE: maps of another gid's", open_close(pp(vgid, "maps"), O_RDONLY));
	CHECK_OK("CAP_SYS_PTRACE: exe of another gid's", rdlink(pp(vgid, "exe")));
	CHECK_OK("CAP_SYS_PTRACE: fdinfo of another gid's", open_close(pp(vgid, "fdinfo/1"), O_RDONLY));
	return 0;
}

static void test_procfs(void)
{
	run_child(proc_user, NULL);
	run_child(proc_cap_ptrace, NULL);
}

/* ---- 6. sockets ---- */

/* @op (bind or connect) on a new socket of @family and @type, then close. */
static int sock_op(int family, int type,
		   int (*op)(int, const struct sockaddr *, socklen_t),
		   const void *addr, socklen_t len)
{
	int fd = socket(family, type, 0), r;

	if (fd < 0)
		return -1;
	r = op(fd, addr, len);
	close(fd);
	return r;
}

static int bind_port(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	return sock_op(AF_INET, SOCK_DGRAM, bind, &a, sizeof a);
}

static int open_socket(int family, int type, int proto)
{
	int fd = socket(family, type, proto);

	if (fd >= 0)
		close(fd);
	return fd < 0 ? -1 : 0;
}

static int net_user(void *arg)
{
	uint32_t both = 1u << CAP_NET_BIND_SERVICE | 1u << CAP_NET_RAW;

	(void)arg;
	CHECK_OK("user 1000, capabilities permitted only", drop_keep(0, both));
	CHECK_ERR("bind below 1024: EACCES", bind_port(80), EACCES);
	CHECK_OK("bind above", bind_port(5999));
	CHECK_ERR("a raw socket: EPERM", open_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP), EPERM);
	CHECK_ERR("a packet socket: EPERM", open_socket(AF_PACKET, SOCK_RAW, htons(3)), EPERM);
	CHECK_OK("CAP_NET_BIND_SERVICE effective", cap_set(1u << CAP_NET_BIND_SERVICE, both));
	CHECK_OK("CAP_NET_BIND_SERVICE binds below 1024", bind_port(80));
	CHECK_ERR("but opens no raw socket", open_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP), EPERM);
	CHECK_OK("keep CAP_NET_RAW", cap_only(1u << CAP_NET_RAW));
	CHECK_OK("CAP_NET_RAW: a raw socket", open_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
	CHECK_OK("CAP_NET_RAW: a packet socket", open_socket(AF_PACKET, SOCK_RAW, htons(3)));
	return 0;
}

#define SOCK_PATH "/tmp/abi_proccred.sock"

static int unix_connect(int type)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX, .sun_path = SOCK_PATH };

	return sock_op(AF_UNIX, type, connect, &a, sizeof a);
}

static int unix_user(void *arg)
{
	(void)arg;
	drop();
	CHECK_ERR("connect to root's 0755 socket file: EACCES", unix_connect(SOCK_STREAM), EACCES);
	return 0;
}

static int unix_user_ok(void *arg)
{
	(void)arg;
	drop();
	CHECK_OK("connect once it is writable", unix_connect(SOCK_STREAM));
	return 0;
}

static int peer_client(void *arg)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX, .sun_path = SOCK_PATH };
	struct ucred uc;
	socklen_t len = sizeof uc;
	int fd;

	(void)arg;
	if (setgroups(0, NULL) || setresgid(1000, 3000, 3000) || setresuid(1000, 2000, 2000))
		return 1;
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_OK("connect as uid 1000, euid 2000", connect(fd, (struct sockaddr *)&a, sizeof a));
	CHECK_OK("SO_PEERCRED of the listener", getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len));
	CHECK("it is the listener's pid and root's ids",
	      uc.pid == getppid() && uc.uid == 0 && uc.gid == 0);
	close(fd);
	return 0;
}

static void test_unix(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX, .sun_path = SOCK_PATH };
	struct ucred uc;
	socklen_t len = sizeof uc;
	mode_t old = umask(022);
	int l = socket(AF_UNIX, SOCK_STREAM, 0), c;
	pid_t p;

	unlink(SOCK_PATH);
	if (bind(l, (struct sockaddr *)&a, sizeof a) || listen(l, 4)) {
		check_emit("FAIL %s: unix listener: %s", T, errname(errno));
		return;
	}
	umask(old);
	run_child(unix_user, NULL);
	chmod(SOCK_PATH, 0777);
	run_child(unix_user_ok, NULL);
	c = accept(l, NULL, NULL);
	close(c);
	p = fork();
	if (p == 0)
		_exit(peer_client(NULL));
	c = accept(l, NULL, NULL);
	CHECK_OK("SO_PEERCRED of the connected client",
		 getsockopt(c, SOL_SOCKET, SO_PEERCRED, &uc, &len));
	CHECK("it is the client's pid, euid and egid",
	      uc.pid == p && uc.uid == 2000 && uc.gid == 3000);
	waitpid(p, NULL, 0);
	close(c);
	close(l);
	unlink(SOCK_PATH);
}

/* Send "x" on @fd, with explicit credentials if @uc. */
static long send_cred(int fd, const struct ucred *uc)
{
	char byte = 'x';
	struct iovec iov = { &byte, 1 };
	union { struct cmsghdr h; char b[CMSG_SPACE(sizeof(struct ucred))]; } cb;
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (uc) {
		memset(&cb, 0, sizeof cb);
		m.msg_control = cb.b;
		m.msg_controllen = sizeof cb.b;
		cb.h.cmsg_len = CMSG_LEN(sizeof *uc);
		cb.h.cmsg_level = SOL_SOCKET;
		cb.h.cmsg_type = SCM_CREDENTIALS;
		memcpy(CMSG_DATA(&cb.h), uc, sizeof *uc);
	}
	return sendmsg(fd, &m, 0);
}

/* Receive one byte; the SCM_CREDENTIALS into *@uc: 1 if there, 0 if not. */
static int recv_cred(int fd, struct ucred *uc, int *flags)
{
	char byte;
	struct iovec iov = { &byte, 1 };
	union { struct cmsghdr h; char b[64]; } cb;
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cb.b, .msg_controllen = sizeof cb.b };
	struct cmsghdr *c;

	if (recvmsg(fd, &m, MSG_DONTWAIT) != 1)
		return -1;
	*flags = m.msg_flags;
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
			memcpy(uc, CMSG_DATA(c), sizeof *uc);
			return 1;
		}
	}
	return 0;
}

static int scm_user(void *arg)
{
	int sv[2], one = 1, fl;
	struct ucred uc, got;
	char byte;

	(void)arg;
	if (setgroups(0, NULL) || setresgid(1000, 3000, 3000) || setresuid(1000, 2000, 2000))
		return 1;
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
		return 1;
	send_cred(sv[0], NULL);
	CHECK_EQ("without SO_PASSCRED no credentials arrive", recv_cred(sv[1], &got, &fl), 0);
	CHECK_OK("SO_PASSCRED", setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof one));
	send_cred(sv[0], NULL);
	CHECK("SCM_CREDENTIALS: the sender's pid and real uid and gid",
	      recv_cred(sv[1], &got, &fl) == 1 && got.pid == getpid() && got.uid == 1000 && got.gid == 1000);
	uc = (struct ucred){ getpid(), 2000, 3000 };
	CHECK_OK("sending one's euid and egid", send_cred(sv[0], &uc));
	CHECK("... arrives as sent", recv_cred(sv[1], &got, &fl) == 1 && got.uid == 2000 && got.gid == 3000);
	uc = (struct ucred){ getpid(), 0, 1000 };
	CHECK_ERR("another uid: EPERM", send_cred(sv[0], &uc), EPERM);
	uc = (struct ucred){ getpid(), 1000, 0 };
	CHECK_ERR("another gid: EPERM", send_cred(sv[0], &uc), EPERM);
	uc = (struct ucred){ getppid(), 1000, 1000 };
	CHECK_ERR("another pid: EPERM", send_cred(sv[0], &uc), EPERM);
	uc = (struct ucred){ getpid(), (uid_t)-1, 1000 };
	CHECK_ERR("uid -1: EINVAL", send_cred(sv[0], &uc), EINVAL);
	send_cred(sv[0], NULL);
	struct iovec iov = { &byte, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };

	CHECK("SO_PASSCRED without a control buffer: MSG_CTRUNC",
	      recvmsg(sv[1], &m, 0) == 1 && (m.msg_flags & MSG_CTRUNC));
	close(sv[0]);
	close(sv[1]);
	return 0;
}

static int scm_root(void *arg)
{
	int sv[2], one = 1, fl;
	struct ucred uc, got;

	(void)arg;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) ||
	    setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof one))
		return 1;
	uc = (struct ucred){ getppid(), 1234, 5678 };
	CHECK_OK("root sends any pid, uid and gid", send_cred(sv[0], &uc));
	CHECK("... and they arrive", recv_cred(sv[1], &got, &fl) == 1 &&
	      got.pid == getppid() && got.uid == 1234 && got.gid == 5678);
	uc = (struct ucred){ 0x3ffffff, 0, 0 };
	CHECK_ERR("a pid that does not exist: ESRCH", send_cred(sv[0], &uc), ESRCH);
	close(sv[0]);
	close(sv[1]);
	return 0;
}

static void test_sockets(void)
{
	run_child(net_user, NULL);
	test_unix();
	run_child(scm_user, NULL);
	run_child(scm_root, NULL);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "exec-ok"))
		_exit(42);
	TEST_BEGIN(T);
	setvbuf(stdout, NULL, _IONBF, 0);
	test_nproc();
	spawn_victims();
	test_signals();
	test_prio();
	test_procfs();
	kill_victims();
	test_sockets();
	test_limits();
	return TEST_END();
}
