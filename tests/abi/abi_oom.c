/* Memory exhaustion: a process that touches more memory than the machine
 * has is killed (SIGKILL, as by Linux's OOM killer); the system lives on,
 * and large requests fail cleanly with ENOMEM. */
#include "check.h"
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>
#include <signal.h>
#include <stdlib.h>

#define T "abi_oom"

int main(void)
{
	struct sysinfo si;

	TEST_BEGIN(T);
	CHECK_OK("sysinfo", sysinfo(&si));
	size_t ram = (size_t)si.totalram * si.mem_unit;

	/* A private writable mapping larger than RAM: refused up front. */
	CHECK_ERR("mmap 4x RAM private writable", (long)mmap(NULL, 4 * ram,
		  PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
		  ENOMEM);

	/* Touch more than RAM in RAM-sized pieces: the toucher is killed. */
	pid_t c = fork();
	if (c == 0) {
		for (;;) {
			char *p = mmap(NULL, ram / 2, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (p == MAP_FAILED)
				_exit(3);
			for (size_t i = 0; i < ram / 2; i += 4096)
				p[i] = 1;
		}
	}
	int st = 0;
	CHECK_EQ("waitpid the memory hog", waitpid(c, &st, 0), c);
	CHECK("memory hog killed by SIGKILL, or refused more memory",
	      (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) ||
	      (WIFEXITED(st) && WEXITSTATUS(st) == 3));

	/* The system still works: fork and exec a program. */
	c = fork();
	if (c == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	CHECK_EQ("fork after OOM", waitpid(c, &st, 0), c);
	CHECK("exec after OOM", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	return TEST_END();
}
