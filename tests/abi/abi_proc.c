/* abi_proc.c - processes: fork/vfork/wait*, exit statuses, ids/sessions, execve (ELF and #!), auxv, umask, rlimits, prctl, uname. */
#include "check.h"
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <dirent.h>
#include <setjmp.h>

#define T "abi_proc"

static char self[4096];

/* Modes entered when this binary is re-executed by the tests below. */
static int child_mode(int argc, char **argv, char **envp)
{
	if (!strcmp(argv[1], "--exec-child")) {
		/* expect argv = self --exec-child a1 "two words", env ABI_X=42 only */
		if (argc != 4 || strcmp(argv[2], "a1") || strcmp(argv[3], "two words"))
			return 10;
		if (argv[4] != NULL)
			return 11;
		if (!envp[0] || strcmp(envp[0], "ABI_X=42") || envp[1])
			return 12;
		if (!getauxval(AT_PAGESZ))
			return 13;
		return 42;
	}
	if (!strcmp(argv[1], "--execfn-child")) {
		/* argv[2]: the AT_EXECFN the exec should have given */
		const char *fn = (const char *)getauxval(AT_EXECFN);

		return argc == 3 && fn && !strcmp(fn, argv[2]) ? 46 : 47;
	}
	if (!strcmp(argv[1], "--sleep-child")) {
		sleep(10);
		return 45;
	}
	if (!strcmp(argv[1], "--cloexec-child")) {
		/* argv[2] = cloexec fd (must be closed), argv[3] = plain fd (open) */
		int cfd = atoi(argv[2]), pfd = atoi(argv[3]);
		if (fcntl(cfd, F_GETFD) != -1 || errno != EBADF)
			return 20;
		if (fcntl(pfd, F_GETFD) != 0)
			return 21;
		return 43;
	}
	if (!strcmp(argv[1], "shebang-arg")) {
		/* "#!<self> shebang-arg" script run as: ./script.sh s1 s2 */
		if (argc != 5 || strcmp(argv[2], "./script.sh") ||
		    strcmp(argv[3], "s1") || strcmp(argv[4], "s2"))
			return 30;
		if (!getenv("ABI_S") || strcmp(getenv("ABI_S"), "yes"))
			return 31;
		return 44;
	}
	return 99;
}

static int exit_with(void *a) { return (int)(long)a; }

static int kill_self(void *a)
{
	kill(getpid(), (int)(long)a);
	return 0;
}

static void test_fork_wait(void)
{
	pid_t me = getpid();
	CHECK("getpid > 0", me > 0);
	CHECK_EQ("gettid == getpid in main thread", syscall(SYS_gettid), me);
	CHECK("getppid > 0", getppid() > 0);

	int pfd[2];
	pipe(pfd);
	pid_t c = fork();
	if (c == 0) {
		/* report ppid and own pid through the pipe */
		pid_t v[2] = { getppid(), getpid() };
		write(pfd[1], v, sizeof v);
		_exit(7);
	}
	CHECK("fork returns child pid", c > 0 && c != me);
	pid_t v[2] = { 0, 0 };
	read(pfd[0], v, sizeof v);
	close(pfd[0]); close(pfd[1]);
	CHECK_EQ("child getppid is parent", v[0], me);
	CHECK_EQ("child getpid is fork result", v[1], c);
	int st = 0;
	CHECK_EQ("wait4 returns pid", wait4(c, &st, 0, NULL), c);
	CHECK("WIFEXITED", WIFEXITED(st));
	CHECK_EQ("WEXITSTATUS 7", WEXITSTATUS(st), 7);
	CHECK_EQ("raw exit status encoding", st, 7 << 8);
	CHECK_ERR("wait4 after reap ECHILD", wait4(c, &st, 0, NULL), ECHILD);
	CHECK_ERR("wait with no children ECHILD", wait(&st), ECHILD);

	CHECK_EQ("exit(256+3) gives status 3", WEXITSTATUS(run_child(exit_with, (void *)259L)), 3);
	st = run_child(kill_self, (void *)(long)SIGKILL);
	CHECK("WIFSIGNALED SIGKILL", WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	CHECK_EQ("raw SIGKILL status", st, SIGKILL);
	st = run_child(kill_self, (void *)(long)SIGTERM);
	CHECK("WTERMSIG SIGTERM", WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);

	/* WNOHANG on a running child, then waitid */
	c = fork();
	if (c == 0) {
		usleep(200000);
		_exit(5);
	}
	CHECK_EQ("wait4 WNOHANG running child", wait4(c, &st, WNOHANG, NULL), 0);
	siginfo_t si;
	memset(&si, 0, sizeof si);
	CHECK_OK("waitid WEXITED", waitid(P_PID, c, &si, WEXITED));
	CHECK("waitid si_code CLD_EXITED", si.si_code == CLD_EXITED && si.si_signo == SIGCHLD);
	CHECK("waitid si_pid/si_status", si.si_pid == c && si.si_status == 5);
	CHECK_ERR("waitid bad idtype", waitid((idtype_t)42, 0, &si, WEXITED), EINVAL);
	CHECK_ERR("waitid no options", waitid(P_ALL, 0, &si, 0), EINVAL);

	/* waitid WNOWAIT leaves the zombie in place */
	c = fork();
	if (c == 0)
		_exit(9);
	memset(&si, 0, sizeof si);
	CHECK_OK("waitid WNOWAIT", waitid(P_PID, c, &si, WEXITED | WNOWAIT));
	CHECK_EQ("zombie still reapable after WNOWAIT", waitpid(c, &st, 0), c);
	CHECK_EQ("status after WNOWAIT", WEXITSTATUS(st), 9);

	/*
	 * waitpid(-1) reaps any child; stopped children with WUNTRACED. The
	 * continued child waits on a pipe until the parent has seen it
	 * continue: were it to exit first, waitpid would report the exit,
	 * on Linux too.
	 */
	int gate[2];
	CHECK_OK("pipe for the continued child", pipe(gate));
	c = fork();
	if (c == 0) {
		char b;

		close(gate[1]);
		raise(SIGSTOP);
		while (read(gate[0], &b, 1) < 0 && errno == EINTR)
			;
		_exit(3);
	}
	close(gate[0]);
	CHECK_EQ("waitpid WUNTRACED sees stop", waitpid(c, &st, WUNTRACED), c);
	CHECK("WIFSTOPPED SIGSTOP", WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	CHECK_EQ("raw stop status", st, (SIGSTOP << 8) | 0x7f);
	kill(c, SIGCONT);
	CHECK_EQ("waitpid WCONTINUED", waitpid(c, &st, WCONTINUED), c);
	CHECK("WIFCONTINUED", WIFCONTINUED(st));
	close(gate[1]);
	CHECK_EQ("waitpid -1 reaps", waitpid(-1, &st, 0), c);
	CHECK_EQ("exit after continue", WEXITSTATUS(st), 3);
}

static void test_vfork(void)
{
	static volatile int shared;
	shared = 0;
	pid_t me = getpid();
	pid_t c = vfork();
	if (c == 0) {
		shared = 1234;    /* vfork child shares the parent's memory */
		_exit(getppid() == me ? 4 : 5);
	}
	CHECK("vfork returns pid", c > 0);
	CHECK_EQ("vfork child wrote parent memory", shared, 1234);
	int st = 0;
	waitpid(c, &st, 0);
	CHECK_EQ("vfork child exit status", WEXITSTATUS(st), 4);
}

static int pgid_child(void *a)
{
	(void)a;
	if (setpgid(0, 0) != 0 || getpgid(0) != getpid() || getpgrp() != getpid())
		return 1;
	if (getsid(0) != getsid(getppid()))
		return 2;
	return 0;
}

static int sid_child(void *a)
{
	(void)a;
	pid_t s = setsid();
	if (s != getpid() || getsid(0) != getpid() || getpgid(0) != getpid())
		return 1;
	/* now a session/group leader: setsid again must fail with EPERM */
	if (setsid() != -1 || errno != EPERM)
		return 2;
	if (setpgid(0, getppid()) != -1 || errno != EPERM)
		return 3;
	return 0;
}

static void test_ids(void)
{
	CHECK_EQ("setpgid(0,0) in child", run_child(pgid_child, NULL), 0);
	CHECK_EQ("setsid in child makes new session", run_child(sid_child, NULL), 0);
	CHECK_EQ("getsid(0) == getsid(getpid())", getsid(0), getsid(getpid()));
	CHECK_EQ("getpgid(0) == getpgrp()", getpgid(0), getpgrp());
	CHECK_ERR("getpgid of nonexistent pid", getpgid(0x3ffffff), ESRCH);
	CHECK_ERR("getsid of nonexistent pid", getsid(0x3ffffff), ESRCH);
	CHECK_ERR("setpgid negative pgid", setpgid(0, -1), EINVAL);
	CHECK_ERR("setpgid(-1, 0): the pgid taken from it is negative EINVAL",
		  setpgid(-1, 0), EINVAL);
	CHECK_ERR("setpgid of non-child", setpgid(1, 1), ESRCH);
	CHECK_EQ("getuid root", getuid(), 0);
	CHECK_EQ("geteuid root", geteuid(), 0);
	CHECK_EQ("getgid root", getgid(), 0);
}

static void test_exec(void)
{
	int st = 0;
	pid_t c = fork();
	if (c == 0) {
		char *av[] = { self, "--exec-child", "a1", "two words", NULL };
		char *ev[] = { "ABI_X=42", NULL };
		execve(self, av, ev);
		_exit(100);
	}
	waitpid(c, &st, 0);
	CHECK_EQ("execve static ELF argv/envp", WEXITSTATUS(st), 42);

	c = fork();
	if (c == 0) {
		char *ev[] = { "ABI_EMPTY_ARGV=1", NULL };

		syscall(SYS_execve, self, NULL, ev);
		_exit(100);
	}
	waitpid(c, &st, 0);
	CHECK_EQ("execve with a NULL argv: argv[0] is \"\", argc 1",
		 WEXITSTATUS(st), 48);

	int cfd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
	int pfd = open("/proc/self/stat", O_RDONLY);
	c = fork();
	if (c == 0) {
		char a[16], b[16];
		snprintf(a, sizeof a, "%d", cfd);
		snprintf(b, sizeof b, "%d", pfd);
		char *av[] = { self, "--cloexec-child", a, b, NULL };
		char *ev[] = { NULL };
		execve(self, av, ev);
		_exit(100);
	}
	waitpid(c, &st, 0);
	CHECK_EQ("O_CLOEXEC fd closed across execve, others kept", WEXITSTATUS(st), 43);
	close(cfd); close(pfd);

	int fd = open("script.sh", O_WRONLY | O_CREAT | O_TRUNC, 0755);
	dprintf(fd, "#!%s shebang-arg\nnot reached\n", self);
	close(fd);
	c = fork();
	if (c == 0) {
		char *av[] = { "script.sh", "s1", "s2", NULL };
		char *ev[] = { "ABI_S=yes", NULL };
		execve("./script.sh", av, ev);
		_exit(100);
	}
	waitpid(c, &st, 0);
	CHECK_EQ("execve #! script: interp, arg, path, args", WEXITSTATUS(st), 44);

	char *av[] = { "x", NULL };
	char *ev[] = { NULL };
	CHECK_ERR("execve missing file", execve("./does-not-exist", av, ev), ENOENT);
	fd = open("noexec", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	write(fd, "\177ELF", 4);
	close(fd);
	CHECK_ERR("execve without x bit", execve("./noexec", av, ev), EACCES);
	fd = open("garbage", O_WRONLY | O_CREAT | O_TRUNC, 0755);
	write(fd, "\1\2\3\4garbage-not-an-executable", 29);
	close(fd);
	CHECK_ERR("execve unknown format", execve("./garbage", av, ev), ENOEXEC);
	mkdir("adir", 0755);
	CHECK_ERR("execve directory", execve("./adir", av, ev), EACCES);
	CHECK_ERR("execve path through file", execve("./garbage/x", av, ev), ENOTDIR);
	unlink("script.sh"); unlink("noexec"); unlink("garbage"); rmdir("adir");
}

/* The first line of @path, without its newline, in @buf; its length or -1. */
static int read_line(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return (int)strlen(buf);
}

static int dir_has(const char *dir, const char *name)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;

	while (d && (e = readdir(d)))
		found |= !strcmp(e->d_name, name);
	if (d)
		closedir(d);
	return found;
}

/* /proc/sys: the tunables Debian's tools read, and the writable names. */
static void test_proc_sys(void)
{
	struct utsname u;
	struct stat a, b;
	char buf[128], old[128], u1[64], u2[64];

	uname(&u);
	CHECK("kernel/osrelease is uname's release",
	      read_line("/proc/sys/kernel/osrelease", buf, sizeof buf) > 0 && !strcmp(buf, u.release));
	CHECK("kernel/ostype is Linux",
	      read_line("/proc/sys/kernel/ostype", buf, sizeof buf) > 0 && !strcmp(buf, "Linux"));
	CHECK("kernel/pid_max is a number",
	      read_line("/proc/sys/kernel/pid_max", buf, sizeof buf) > 0 && atoi(buf) >= 32768);
	CHECK("kernel/ngroups_max is 65536",
	      read_line("/proc/sys/kernel/ngroups_max", buf, sizeof buf) > 0 && !strcmp(buf, "65536"));
	CHECK("kernel/randomize_va_space is 2",
	      read_line("/proc/sys/kernel/randomize_va_space", buf, sizeof buf) > 0 && !strcmp(buf, "2"));
	CHECK_EQ("random/uuid has 36 characters", read_line("/proc/sys/kernel/random/uuid", u1, sizeof u1), 36);
	read_line("/proc/sys/kernel/random/uuid", u2, sizeof u2);
	CHECK("random/uuid is version 4, new at each read",
	      u1[8] == '-' && u1[14] == '4' && strcmp(u1, u2) != 0);
	read_line("/proc/sys/kernel/random/boot_id", u1, sizeof u1);
	read_line("/proc/sys/kernel/random/boot_id", u2, sizeof u2);
	CHECK("random/boot_id stays the same", strlen(u1) == 36 && !strcmp(u1, u2));

	read_line("/proc/sys/kernel/hostname", old, sizeof old);
	CHECK("kernel/hostname is uname's nodename", !strcmp(old, u.nodename));
	CHECK_OK("write kernel/hostname", write_text("/proc/sys/kernel/hostname", "abi-host\n"));
	uname(&u);
	CHECK_STR("uname sees the new hostname", u.nodename, "abi-host");
	write_text("/proc/sys/kernel/hostname", old);
	CHECK_ERR("a read-only tunable does not open for writing, even for root",
		  open("/proc/sys/kernel/ostype", O_WRONLY), EACCES);
	CHECK_ERR("randomize_va_space takes a number only",
		  write_text("/proc/sys/kernel/randomize_va_space", "2x\n"), EINVAL);
	CHECK_OK("randomize_va_space takes any int", write_text("/proc/sys/kernel/randomize_va_space", "3\n"));
	CHECK("and shows it",
	      read_line("/proc/sys/kernel/randomize_va_space", buf, sizeof buf) > 0 && !strcmp(buf, "3"));
	write_text("/proc/sys/kernel/randomize_va_space", "2\n");
	read_line("/proc/sys/kernel/threads-max", old, sizeof old);
	CHECK_ERR("threads-max below 1 is EINVAL",
		  write_text("/proc/sys/kernel/threads-max", "0\n"), EINVAL);
	CHECK_OK("threads-max takes its own value back",
		 write_text("/proc/sys/kernel/threads-max", old));
	/* pid_max bounds new pids; they wrap to 300 (Linux's RESERVED_PIDS). */
	read_line("/proc/sys/kernel/pid_max", old, sizeof old);
	CHECK_ERR("pid_max 300 is below its minimum",
		  write_text("/proc/sys/kernel/pid_max", "300\n"), EINVAL);
	CHECK_ERR("pid_max above 4194304 is EINVAL",
		  write_text("/proc/sys/kernel/pid_max", "4194305\n"), EINVAL);
	CHECK_OK("pid_max 1000", write_text("/proc/sys/kernel/pid_max", "1000\n"));
	int below = 1;

	for (int i = 0; i < 3; i++) {
		pid_t c = fork();

		if (c == 0)
			_exit(0);
		below &= c > 0 && c < 1000;
		waitpid(c, NULL, 0);
	}
	CHECK("... new pids are below it", below);
	CHECK_OK("pid_max back", write_text("/proc/sys/kernel/pid_max", old));
	CHECK("kernel lists hostname", dir_has("/proc/sys/kernel", "hostname"));
	CHECK("kernel lists the random directory", dir_has("/proc/sys/kernel", "random"));
	CHECK("/proc lists sys", dir_has("/proc", "sys"));
	CHECK("random/.. is kernel", !stat("/proc/sys/kernel/random/..", &a) &&
	      !stat("/proc/sys/kernel", &b) && a.st_ino == b.st_ino);
	CHECK("a tunable is a regular file", !stat("/proc/sys/vm/max_map_count", &a) &&
	      S_ISREG(a.st_mode));
}

static void test_misc(void)
{
	CHECK_EQ("AT_PAGESZ 4096", getauxval(AT_PAGESZ), 4096);
	CHECK("AT_RANDOM non-zero", getauxval(AT_RANDOM) != 0);
	CHECK("AT_PHDR non-zero", getauxval(AT_PHDR) != 0);
	CHECK("AT_ENTRY non-zero", getauxval(AT_ENTRY) != 0);
	CHECK_EQ("AT_PHENT is sizeof Elf64_Phdr", getauxval(AT_PHENT), 56);
	CHECK_EQ("AT_UID 0", getauxval(AT_UID), 0);
	CHECK("AT_EXECFN set", getauxval(AT_EXECFN) != 0);
	unsigned char *r = (unsigned char *)getauxval(AT_RANDOM);
	int nz = 0;
	for (int i = 0; r && i < 16; i++)
		nz |= r[i];
	CHECK("AT_RANDOM bytes not all zero", nz != 0);

	mode_t old = umask(077);
	CHECK_EQ("umask returns previous", umask(old), 077);
	CHECK_EQ("umask masks to 0777", (umask(old), umask(0177777), umask(old)), 0777);

	struct rlimit rl;
	CHECK_OK("getrlimit NOFILE", getrlimit(RLIMIT_NOFILE, &rl));
	CHECK("NOFILE soft <= hard and > 0", rl.rlim_cur > 0 && rl.rlim_cur <= rl.rlim_max);
	struct rlimit nrl = { 64, rl.rlim_max }, got;
	CHECK_OK("prlimit64 set", syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &nrl, &got));
	CHECK_EQ("prlimit64 returns old", got.rlim_cur, rl.rlim_cur);
	getrlimit(RLIMIT_NOFILE, &got);
	CHECK_EQ("new soft limit visible", got.rlim_cur, 64);
	CHECK_ERR("dup2 beyond RLIMIT_NOFILE", dup2(0, 64), EBADF);
	CHECK_ERR("F_DUPFD beyond RLIMIT_NOFILE", fcntl(0, F_DUPFD, 64), EINVAL);
	struct rlimit inv = { 100, 50 };
	CHECK_ERR("setrlimit soft > hard", setrlimit(RLIMIT_NOFILE, &inv), EINVAL);
	CHECK_ERR("getrlimit bad resource", syscall(SYS_getrlimit, 999, &got), EINVAL);
	CHECK_ERR("prlimit64 of pid -1 is ESRCH",
		  syscall(SYS_prlimit64, -1, RLIMIT_AS, NULL, &got), ESRCH);
	CHECK_ERR("prlimit64: the new limit is read before the pid is looked up",
		  syscall(SYS_prlimit64, -1, RLIMIT_AS, (void *)0x10, NULL),
		  EFAULT);
	CHECK_ERR("prlimit64 bad resource", syscall(SYS_prlimit64, 0, 999,
						     NULL, &got), EINVAL);
	CHECK_ERR("setrlimit from a bad pointer is EFAULT before the resource",
		  syscall(SYS_setrlimit, 999, (void *)0x10), EFAULT);
	setrlimit(RLIMIT_NOFILE, &rl);
	CHECK_OK("getrlimit STACK", getrlimit(RLIMIT_STACK, &got));

	char name[32] = { 0 };
	CHECK_OK("prctl PR_SET_NAME", prctl(PR_SET_NAME, "abi-name-that-is-long", 0, 0, 0));
	CHECK_OK("prctl PR_GET_NAME", prctl(PR_GET_NAME, name, 0, 0, 0));
	CHECK_STR("PR_GET_NAME truncated to 15 chars", name, "abi-name-that-i");
	CHECK_ERR("prctl bad option", prctl(0x7fffffff, 0, 0, 0, 0), EINVAL);

	struct utsname u;
	CHECK_OK("uname", uname(&u));
	CHECK_STR("uname sysname", u.sysname, "Linux");
	CHECK_STR("uname machine", u.machine, "x86_64");
	CHECK("uname release non-empty", u.release[0] != 0);

	CHECK_EQ("sched_yield", sched_yield(), 0);
	CHECK_EQ("getpriority self", (errno = 0, getpriority(PRIO_PROCESS, 0) >= -20 && errno == 0), 1);
}

/* Copy this program to @path, executable. 0 or -1. */
static int copy_self(const char *path)
{
	static char buf[1 << 16];
	int in = open(self, O_RDONLY), out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	ssize_t n;
	int ok = in >= 0 && out >= 0;

	while (ok && (n = read(in, buf, sizeof buf)) > 0)
		ok = write(out, buf, n) == n;
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out))
		ok = 0;
	return ok ? 0 : -1;
}

/*
 * execveat(@dfd, @path, @av, @ev, @flags) in a child: its exit status, or
 * -errno if the exec failed.
 */
static int run_exec(int dfd, const char *path, int flags, char *const av[],
		    char *const ev[])
{
	int fds[2], err = 0, st = 0;
	pid_t c;

	if (pipe2(fds, O_CLOEXEC))
		return -1000;
	c = fork();
	if (c == 0) {
		syscall(SYS_execveat, dfd, path, av, ev, flags);
		err = errno;
		write(fds[1], &err, sizeof err);
		_exit(100);
	}
	close(fds[1]);
	if (read(fds[0], &err, sizeof err) != sizeof err)
		err = 0;
	close(fds[0]);
	waitpid(c, &st, 0);
	return err ? -err : WEXITSTATUS(st);
}

/* The exit status of running @path --exec-child ...; -errno if exec failed. */
static int exec_status(const char *path)
{
	char *av[] = { (char *)path, "--exec-child", "a1", "two words", NULL };
	char *ev[] = { "ABI_X=42", NULL };

	return run_exec(AT_FDCWD, path, 0, av, ev);
}

/* This program through execveat, told to expect AT_EXECFN @execfn. */
static int execveat_status(int dfd, const char *path, int flags, const char *execfn)
{
	char *av[] = { "x", "--execfn-child", (char *)execfn, NULL };
	char *ev[] = { NULL };

	return run_exec(dfd, path, flags, av, ev);
}

static void test_execveat(void)
{
	char dir[sizeof self], base[sizeof self], fdname[sizeof self + 32];
	int fd = open(self, O_RDONLY), pfd = open(self, O_PATH), dfd;

	snprintf(dir, sizeof dir, "%s", self);
	*strrchr(dir, '/') = '\0';
	snprintf(base, sizeof base, "%s", strrchr(self, '/') + 1);
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	CHECK("descriptors of the program and its directory", fd >= 0 && pfd >= 0 && dfd >= 0);
	snprintf(fdname, sizeof fdname, "/dev/fd/%d", fd);
	CHECK_EQ("fexecve: execveat of a descriptor with AT_EMPTY_PATH",
		 execveat_status(fd, "", AT_EMPTY_PATH, fdname), 46);
	snprintf(fdname, sizeof fdname, "/dev/fd/%d", pfd);
	CHECK_EQ("an O_PATH descriptor works too", execveat_status(pfd, "", AT_EMPTY_PATH, fdname), 46);
	snprintf(fdname, sizeof fdname, "/dev/fd/%d/%s", dfd, base);
	CHECK_EQ("a path relative to a directory descriptor",
		 execveat_status(dfd, base, 0, fdname), 46);
	CHECK_EQ("an absolute path ignores the descriptor", execveat_status(999, self, 0, self), 46);
	CHECK_EQ("AT_FDCWD with a path is execve", execveat_status(AT_FDCWD, self, 0, self), 46);
	CHECK_ERR("an empty path without AT_EMPTY_PATH: ENOENT",
		  syscall(SYS_execveat, fd, "", (char *[]){ NULL }, (char *[]){ NULL }, 0), ENOENT);
	CHECK_EQ("an unknown flag: EINVAL", execveat_status(fd, "", AT_EMPTY_PATH | 0x2, ""), -EINVAL);
	CHECK_EQ("an empty path is ENOENT before the flags are looked at", execveat_status(fd, "", 0x2, ""), -ENOENT);
	CHECK_EQ("a bad descriptor: EBADF", execveat_status(999, "", AT_EMPTY_PATH, ""), -EBADF);
	CHECK_OK("a symlink to the program", symlink(self, "lnk"));
	CHECK_EQ("AT_SYMLINK_NOFOLLOW on a symlink: ELOOP",
		 execveat_status(AT_FDCWD, "lnk", AT_SYMLINK_NOFOLLOW, ""), -ELOOP);
	CHECK_EQ("without it the symlink is followed", execveat_status(AT_FDCWD, "lnk", 0, "lnk"), 46);
	unlink("lnk");

	int sfd = open("s.sh", O_WRONLY | O_CREAT | O_TRUNC, 0755);

	write(sfd, "#!/bin/sh\nexit 3\n", 18);
	close(sfd);
	sfd = open("s.sh", O_RDONLY | O_CLOEXEC);
	CHECK_EQ("a script through a close-on-exec descriptor: ENOENT",
		 execveat_status(sfd, "", AT_EMPTY_PATH, ""), -ENOENT);
	close(sfd);
	unlink("s.sh");
	close(fd);
	close(pfd);
	close(dfd);
}

/* A program's image is not writable while it runs, nor run while written. */
static void test_etxtbsy(void)
{
	char link[256] = "";
	int fd, st;
	pid_t c;

	CHECK_ERR("open own image for writing: ETXTBSY", open("/proc/self/exe", O_WRONLY), ETXTBSY);
	CHECK_OK("copy the program", copy_self("./txt"));
	fd = open("./txt", O_WRONLY);
	CHECK_OK("open the copy for writing", fd);
	CHECK_EQ("exec of a file open for writing: ETXTBSY", exec_status("./txt"), -ETXTBSY);
	close(fd);
	CHECK_EQ("exec once the writer closed", exec_status("./txt"), 42);

	c = fork();
	if (c == 0) {
		char *av[] = { "./txt", "--sleep-child", NULL };

		execv("./txt", av);
		_exit(100);
	}
	char proc[64];

	snprintf(proc, sizeof proc, "/proc/%d/exe", c);
	for (int i = 0; i < 500 && !strstr(link, "/txt"); i++) {
		ssize_t n = readlink(proc, link, sizeof link - 1);

		link[n > 0 ? n : 0] = '\0';
		if (!strstr(link, "/txt"))
			usleep(10000);
	}
	CHECK("the child runs the copy", strstr(link, "/txt") != NULL);
	CHECK_ERR("open a running image O_WRONLY: ETXTBSY", open("./txt", O_WRONLY), ETXTBSY);
	CHECK_ERR("open a running image O_RDWR: ETXTBSY", open("./txt", O_RDWR), ETXTBSY);
	CHECK_ERR("truncate a running image: ETXTBSY", truncate("./txt", 0), ETXTBSY);
	fd = open("./txt", O_RDONLY);
	CHECK_OK("a running image opens for reading", fd);
	close(fd);
	kill(c, SIGKILL);
	waitpid(c, &st, 0);
	fd = open("./txt", O_WRONLY);
	CHECK_OK("writable again once the program ended", fd);
	close(fd);
	unlink("./txt");
}

/*
 * The grandchild: asks for SIGUSR1 when its parent dies, tells the
 * parent through @ready, and reports what happened by its exit status:
 * 0 when the signal came and a subreaper (@reaper) adopted it.
 */
static int orphan(int ready, pid_t reaper)
{
	struct timespec ts = { 5, 0 };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	prctl(PR_SET_PDEATHSIG, SIGUSR1);
	if (write(ready, "r", 1) != 1)
		return 9;
	if (sigtimedwait(&set, NULL, &ts) != SIGUSR1)
		return 1;
	return getppid() == reaper ? 0 : 2;
}

static int subreaper_child(void *arg)
{
	int on = -1, p[2], st;
	pid_t me = getpid(), mid, g = -1;
	char c;

	(void)arg;
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) || prctl(PR_GET_CHILD_SUBREAPER,
						      &on) || on != 1)
		return 20;
	if (pipe(p))
		return 21;
	mid = fork();
	if (mid == 0) {
		g = fork();
		if (g == 0)
			_exit(orphan(p[1], me));
		/* Die once the grandchild is ready; it is then orphaned. */
		_exit(read(p[0], &c, 1) == 1 ? 0 : 22);
	}
	if (waitpid(mid, &st, 0) != mid || !WIFEXITED(st) || WEXITSTATUS(st))
		return 23;
	g = wait(&st);		/* the adopted grandchild */
	if (g <= 0 || !WIFEXITED(st))
		return 24;
	return WEXITSTATUS(st);
}

static sigjmp_buf tsc_jmp;

static void on_tsc_fault(int sig)
{
	siglongjmp(tsc_jmp, sig);
}

static unsigned long long rdtsc_now(void)
{
	unsigned lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (unsigned long long)hi << 32 | lo;
}

/* PR_SET_TSC: rdtsc faults (SIGSEGV) for a thread that turned it off. */
static int tsc_child(void *arg)
{
	int v = 0, st;

	(void)arg;
	signal(SIGSEGV, on_tsc_fault);
	if (prctl(PR_GET_TSC, &v) || v != PR_TSC_ENABLE)
		return 1;
	if (prctl(PR_SET_TSC, 3) != -1 || errno != EINVAL)
		return 2;
	if (prctl(PR_SET_TSC, PR_TSC_SIGSEGV) || prctl(PR_GET_TSC, &v) ||
	    v != PR_TSC_SIGSEGV)
		return 3;
	if (sigsetjmp(tsc_jmp, 1) == 0) {
		rdtsc_now();
		return 4;	/* it should have faulted */
	}
	pid_t c = fork();

	if (c == 0)
		_exit(prctl(PR_GET_TSC, &v) == 0 && v == PR_TSC_SIGSEGV ? 0 : 1);
	if (waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st))
		return 5;	/* a child keeps the setting */
	if (prctl(PR_SET_TSC, PR_TSC_ENABLE))
		return 6;
	if (sigsetjmp(tsc_jmp, 1) != 0)
		return 7;
	return rdtsc_now() ? 0 : 8;
}

static void test_tsc(void)
{
	int st = run_child(tsc_child, NULL);

	CHECK_EQ("PR_SET_TSC PR_TSC_SIGSEGV makes rdtsc fault, a child "
		 "keeps it, PR_TSC_ENABLE lifts it",
		 WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0);
}

/* A child sharing the fd table (CLONE_FILES) closes in it, unless it
 * unshares it first with close_range(CLOSE_RANGE_UNSHARE). */
static void test_shared_files(void)
{
	int fd = open("/", O_PATH), st;
	long c = syscall(SYS_clone, CLONE_FILES | SIGCHLD, 0, 0, 0, 0);

	if (c == 0) {
		syscall(SYS_close_range, fd, fd, 2 /* CLOSE_RANGE_UNSHARE */);
		_exit(fcntl(fd, F_GETFD) == -1 ? 0 : 1);
	}
	waitpid((pid_t)c, &st, 0);
	CHECK_EQ("close_range(CLOSE_RANGE_UNSHARE) in a CLONE_FILES child "
		 "closes its own copy", WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0);
	CHECK_OK("... the parent's descriptor stays open", fcntl(fd, F_GETFD));
	c = syscall(SYS_clone, CLONE_FILES | SIGCHLD, 0, 0, 0, 0);
	if (c == 0)
		_exit(syscall(SYS_close_range, fd, fd, 0) == 0 ? 0 : 1);
	waitpid((pid_t)c, &st, 0);
	CHECK_ERR("without it the shared table loses the descriptor",
		  fcntl(fd, F_GETFD), EBADF);
}

/*
 * unshare: the fd table and the fs context of a CLONE_FILES|CLONE_FS
 * child become its own; the thread flags of a single-threaded process
 * are no-ops; unknown bits are EINVAL; a namespace without privilege is
 * EPERM; CLONE_NEWNS with CLONE_FS is EINVAL for clone.
 */
static void test_unshare(void)
{
	int fd = open("/", O_PATH), st;
	char cwd[64];
	long c = syscall(SYS_clone, CLONE_FILES | CLONE_FS | SIGCHLD, 0, 0, 0, 0);

	if (c == 0) {
		if (syscall(SYS_unshare, CLONE_FILES | CLONE_FS))
			_exit(1);
		close(fd);
		_exit(chdir("/proc") ? 2 : 0);
	}
	waitpid((pid_t)c, &st, 0);
	CHECK_EQ("unshare(CLONE_FILES|CLONE_FS) in a sharing child",
		 WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0);
	CHECK_OK("... its close left the parent's descriptor", fcntl(fd, F_GETFD));
	CHECK("... its chdir left the parent's directory",
	      getcwd(cwd, sizeof cwd) && strcmp(cwd, "/proc"));
	close(fd);
	CHECK_OK("unshare(0)", syscall(SYS_unshare, 0));
	CHECK_OK("unshare(CLONE_THREAD|CLONE_SIGHAND|CLONE_VM), one thread",
		 syscall(SYS_unshare, CLONE_THREAD | CLONE_SIGHAND | CLONE_VM));
	CHECK_OK("unshare(CLONE_FILES|CLONE_FS|CLONE_SYSVSEM), nothing shared",
		 syscall(SYS_unshare, CLONE_FILES | CLONE_FS | CLONE_SYSVSEM));
	CHECK_ERR("unshare of an exit-signal bit", syscall(SYS_unshare, 0x11), EINVAL);
	CHECK_ERR("unshare(-1)", syscall(SYS_unshare, -1), EINVAL);
	CHECK_ERR("clone(CLONE_NEWNS|CLONE_FS)",
		  syscall(SYS_clone, CLONE_NEWNS | CLONE_FS | SIGCHLD, 0, 0, 0, 0), EINVAL);
	c = fork();
	if (c == 0) {
		if (setuid(65534))
			_exit(9);
		int e1 = syscall(SYS_unshare, CLONE_NEWUTS) == -1 ? errno : 0;
		int e2 = syscall(SYS_unshare, CLONE_NEWNS) == -1 ? errno : 0;
		int e3 = syscall(SYS_clone, CLONE_NEWIPC | SIGCHLD, 0, 0, 0, 0) == -1 ? errno : 0;
		int e4 = syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0) == -1 ? errno : 0;

		_exit(e1 == EPERM && e2 == EPERM && e3 == EPERM && e4 == EPERM ? 0 : 1);
	}
	waitpid((pid_t)c, &st, 0);
	CHECK_EQ("namespaces without CAP_SYS_ADMIN: EPERM (unshare, clone)",
		 WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0);
}

static void test_subreaper(void)
{
	int on = -1, st;

	CHECK_OK("PR_GET_CHILD_SUBREAPER", prctl(PR_GET_CHILD_SUBREAPER, &on));
	CHECK_EQ("... not a subreaper by default", on, 0);
	st = run_child(subreaper_child, NULL);
	CHECK_EQ("an orphan gets its parent-death signal and its subreaper "
		 "grandparent adopts it", WIFEXITED(st) ? WEXITSTATUS(st) : -1,
		 0);
	CHECK_EQ("PR_GET_TIMERSLACK: 50 us by default",
		 prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0), 50000);
	CHECK_OK("PR_SET_TIMERSLACK 70000", prctl(PR_SET_TIMERSLACK, 70000));
	CHECK_EQ("... reads back", prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0), 70000);
	pid_t c = fork();

	if (c == 0) {
		long cur = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);

		prctl(PR_SET_TIMERSLACK, 0);
		_exit(cur == 70000 &&
		      prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0) == 70000 ? 0 : 1);
	}
	waitpid(c, &st, 0);
	CHECK_EQ("a child's slack and its reset value are the parent's",
		 WEXITSTATUS(st), 0);
	CHECK_OK("PR_SET_TIMERSLACK 0 resets", prctl(PR_SET_TIMERSLACK, 0));
	CHECK_EQ("... to the default", prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0),
		 50000);
}

int main(int argc, char **argv, char **envp)
{
	/* Run with an empty argv: Linux gives it argv = { "", NULL }. */
	if (getenv("ABI_EMPTY_ARGV"))
		return argc == 1 && argv[0][0] == '\0' && !argv[1] &&
		       !strcmp(envp[0], "ABI_EMPTY_ARGV=1") ? 48 : 49;
	if (argc > 1)
		return child_mode(argc, argv, envp);
	TEST_BEGIN(T);
	if (argv[0][0] == '/')
		snprintf(self, sizeof self, "%s", argv[0]);
	else if (readlink("/proc/self/exe", self, sizeof self - 1) < 0)
		snprintf(self, sizeof self, "%s", argv[0]);
	test_fork_wait();
	test_vfork();
	test_ids();
	test_exec();
	test_subreaper();
	test_shared_files();
	test_unshare();
	test_tsc();
	test_etxtbsy();
	test_execveat();
	test_proc_sys();
	test_misc();
	return TEST_END();
}
