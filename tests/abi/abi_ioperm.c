/* abi_ioperm.c - ioperm(2) and iopl(2) as Linux 5.5+ has them: a per-thread I/O bitmap (ports allowed and taken away, kept across fork and exec, a thread's own), iopl(3) as every port with EFLAGS.IOPL 0 (cli still faults), and the EINVAL and EPERM rules for root and nobody. Port accesses are reads of 0x80 and 0x81, in children. */
#include "check.h"
#include <pthread.h>
#include <signal.h>
#include <stdint.h>

#define T "abi_ioperm"
#define PORT 0x80
#define OTHER 0x81

static long sys_ioperm(unsigned long from, unsigned long num, int on)
{
	return syscall(SYS_ioperm, from, num, on);
}

static long sys_iopl(long level)
{
	return syscall(SYS_iopl, level);
}

static void read_port(unsigned port)
{
	unsigned char v;

	__asm__ __volatile__("inb %w1, %0" : "=a"(v) : "Nd"(port));
}

static int do_read(void *arg)
{
	read_port((unsigned)(uintptr_t)arg);
	return 0;
}

static int do_cli(void *arg)
{
	(void)arg;
	__asm__ __volatile__("cli; sti; cli; sti");
	return 0;
}

/* Lines of the kernel log with @what in them. */
static int kmsg_lines(const char *what)
{
	char rec[1024];
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK), n = 0;
	ssize_t len;

	if (fd < 0)
		return -1;
	while ((len = read(fd, rec, sizeof rec - 1)) > 0 || (len < 0 && errno == EPIPE)) {
		if (len <= 0)
			continue;
		rec[len] = '\0';
		n += strstr(rec, what) != NULL;
	}
	close(fd);
	return n;
}

/* 0 if reading @port works in a child, SIGSEGV's number if it faults. */
static int try_port(unsigned port)
{
	int st = run_child(do_read, (void *)(uintptr_t)port);

	return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? WTERMSIG(st) : -1;
}

/* The same after an exec of this program, which then reads @port. */
static int try_port_exec(unsigned port)
{
	char arg[16];
	pid_t pid;
	int st;

	snprintf(arg, sizeof arg, "%u", port);
	pid = fork();
	if (pid == 0) {
		execl("/proc/self/exe", T, "read", arg, (char *)NULL);
		_exit(99);
	}
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? WTERMSIG(st) : -1;
}

static void *drop_port(void *arg)
{
	(void)arg;
	return (void *)sys_ioperm(PORT, 1, 0);
}

/* A thread's bitmap is its own: one thread drops the port, the other keeps it. */
static int thread_own(void *arg)
{
	pthread_t th;
	void *ret = (void *)1;

	(void)arg;
	if (pthread_create(&th, NULL, drop_port, NULL) || pthread_join(th, &ret) || ret)
		return 20;
	read_port(PORT);
	return 0;
}

static void test_ioperm(void)
{
	int st;

	CHECK_EQ("no ports at first: a read faults", try_port(PORT), SIGSEGV);
	CHECK_OK("ioperm(0x80, 1, 1)", sys_ioperm(PORT, 1, 1));
	CHECK_EQ("... 0x80 reads", try_port(PORT), 0);
	CHECK_EQ("... 0x81 still faults", try_port(OTHER), SIGSEGV);
	CHECK_EQ("... kept across exec", try_port_exec(PORT), 0);
	CHECK_EQ("... another port not, after exec", try_port_exec(OTHER), SIGSEGV);
	st = run_child(thread_own, NULL);
	CHECK_EQ("a thread's ports are its own", WIFEXITED(st) ? WEXITSTATUS(st) : 100, 0);
	CHECK_OK("ioperm(0x80, 2, 1)", sys_ioperm(PORT, 2, 1));
	CHECK_EQ("... 0x81 reads", try_port(OTHER), 0);
	CHECK_OK("ioperm(0x80, 1, 0)", sys_ioperm(PORT, 1, 0));
	CHECK_EQ("... 0x80 faults again", try_port(PORT), SIGSEGV);
	CHECK_EQ("... 0x81 still reads", try_port(OTHER), 0);
	CHECK_OK("ioperm(0, 65536, 0): all dropped", sys_ioperm(0, 65536, 0));
	CHECK_EQ("... 0x81 faults", try_port(OTHER), SIGSEGV);
	CHECK_OK("the last port, 65535", sys_ioperm(65535, 1, 1));
	CHECK_OK("... and back", sys_ioperm(65535, 1, 0));
	CHECK_OK("all 65536 ports", sys_ioperm(0, 65536, 1));
	CHECK_EQ("... 0x81 reads", try_port(OTHER), 0);
	CHECK_OK("... and none", sys_ioperm(0, 65536, 0));
	CHECK_ERR("from 65536 EINVAL", sys_ioperm(65536, 1, 1), EINVAL);
	CHECK_ERR("past 65536 EINVAL", sys_ioperm(65535, 2, 1), EINVAL);
	CHECK_ERR("num 0 EINVAL", sys_ioperm(PORT, 0, 1), EINVAL);
	CHECK_ERR("a wrapping range EINVAL", sys_ioperm(PORT, -1UL, 1), EINVAL);
	CHECK_ERR("... taking away too", sys_ioperm(65536, 1, 0), EINVAL);
}

static void test_iopl(void)
{
	unsigned long flags;
	char line[160];
	pid_t pid;
	int st;

	CHECK_ERR("iopl(4) EINVAL", sys_iopl(4), EINVAL);
	CHECK_ERR("iopl(-1) EINVAL", sys_iopl(-1), EINVAL);
	CHECK_OK("iopl(0) at 0", sys_iopl(0));
	CHECK_OK("iopl(1)", sys_iopl(1));
	CHECK_EQ("... gives no port", try_port(PORT), SIGSEGV);
	CHECK_OK("iopl(3)", sys_iopl(3));
	CHECK_EQ("... 0x80 reads", try_port(PORT), 0);
	CHECK_EQ("... 0x81 reads", try_port(OTHER), 0);
	CHECK_EQ("... kept across exec", try_port_exec(OTHER), 0);
	__asm__ __volatile__("pushf; pop %0" : "=r"(flags));
	CHECK_EQ("... EFLAGS.IOPL stays 0", (flags >> 12) & 3, 0);
	pid = fork();
	if (pid == 0)
		_exit(do_cli(NULL));
	CHECK_EQ("... cli and sti are skipped", waitpid(pid, &st, 0) == pid &&
		 WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0);
	snprintf(line, sizeof line, ";traps: " T "[%d] attempts to use CLI/STI, pretending it's a NOP, ip:", pid);
	CHECK_EQ("... the log says so once", kmsg_lines(line), 1);
	CHECK_OK("ioperm(0x80, 1, 0) under iopl 3", sys_ioperm(PORT, 1, 0));
	CHECK_EQ("... iopl 3 still gives 0x80", try_port(PORT), 0);
	CHECK_OK("iopl(2): lowered", sys_iopl(2));
	CHECK_EQ("... 0x80 faults", try_port(PORT), SIGSEGV);
	CHECK_OK("iopl(0)", sys_iopl(0));
	CHECK_EQ("... 0x81 faults", try_port(OTHER), SIGSEGV);
	st = run_child(do_cli, NULL);
	CHECK_EQ("... cli faults", WIFSIGNALED(st) ? WTERMSIG(st) : -1, SIGSEGV);
}

/* As nobody: raising refused (EPERM) after the range checks, lowering allowed. */
static int child_nobody(void *arg)
{
	(void)arg;
	if (sys_ioperm(PORT, 1, 1) || sys_iopl(3))
		return 10;
	if (setgid(65534) || setuid(65534))
		return 11;
	read_port(PORT);	/* kept across setuid */
	if (sys_ioperm(OTHER, 1, 1) != -1 || errno != EPERM)
		return 12;
	if (sys_ioperm(65536, 1, 1) != -1 || errno != EINVAL)
		return 13;
	if (sys_ioperm(PORT, 1, 0))
		return 14;
	if (sys_iopl(4) != -1 || errno != EINVAL)
		return 15;
	if (sys_iopl(1))
		return 16;
	if (sys_iopl(3) != -1 || errno != EPERM)
		return 17;
	if (sys_iopl(0) || sys_iopl(0))
		return 18;
	if (sys_iopl(1) != -1 || errno != EPERM)
		return 19;
	return 0;
}

int main(int argc, char **argv)
{
	int st;

	if (argc == 3 && !strcmp(argv[1], "read")) {
		read_port((unsigned)atoi(argv[2]));
		return 0;
	}
	TEST_BEGIN(T);
	test_ioperm();
	test_iopl();
	st = run_child(child_nobody, NULL);
	CHECK_EQ("nobody: EPERM to raise, EINVAL first, lowering works",
		 WIFEXITED(st) ? WEXITSTATUS(st) : 100, 0);
	return TEST_END();
}
