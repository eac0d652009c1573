/* abi_rlimit_cpu.c - RLIMIT_CPU as Linux 6.1: SIGXCPU when the process's CPU time reaches the soft limit, the soft limit raised a second each time (so SIGXCPU every second), SIGKILL at the hard limit. */
#include "check.h"
#include <signal.h>
#include <sys/resource.h>

#define T "abi_rlimit_cpu"

static int report;

/* Each SIGXCPU reports the soft limit the kernel left in place. */
static void on_xcpu(int sig)
{
	struct rlimit rl;
	unsigned char c;

	(void)sig;
	getrlimit(RLIMIT_CPU, &rl);
	c = (unsigned char)rl.rlim_cur;
	if (write(report, &c, 1) != 1)
		_exit(3);
}

static void spin(void)
{
	for (volatile unsigned long i = 0;; i++)
		;
}

/* A child with limits @soft/@hard spinning, SIGXCPU caught if @catch. */
static pid_t spinner(rlim_t soft, rlim_t hard, int catch, int fd)
{
	pid_t p = fork();

	if (p == 0) {
		struct rlimit rl = { soft, hard };

		report = fd;
		if (catch)
			signal(SIGXCPU, on_xcpu);
		if (setrlimit(RLIMIT_CPU, &rl))
			_exit(2);
		spin();
	}
	return p;
}

int main(void)
{
	unsigned char seen[8];
	int p[2], st = 0, n = 0;
	ssize_t r;
	pid_t c;

	TEST_BEGIN(T);
	if (pipe(p))
		return 1;
	c = spinner(1, 3, 1, p[1]);
	close(p[1]);
	while (n < (int)sizeof(seen) &&
	       (r = read(p[0], seen + n, sizeof(seen) - (size_t)n)) > 0)
		n += (int)r;
	close(p[0]);
	waitpid(c, &st, 0);
	CHECK("at the hard limit of 3 s the child is killed",
	      WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	CHECK_EQ("SIGXCPU came at 1 s and 2 s", n, 2);
	CHECK_EQ("the first raised the soft limit to 2 s", n > 0 ? seen[0] : 0,
		 2);
	CHECK_EQ("the second to 3 s", n > 1 ? seen[1] : 0, 3);

	c = spinner(1, RLIM_INFINITY, 0, -1);
	waitpid(c, &st, 0);
	CHECK("uncaught, SIGXCPU at the soft limit ends the child",
	      WIFSIGNALED(st) && WTERMSIG(st) == SIGXCPU);
	return TEST_END();
}
