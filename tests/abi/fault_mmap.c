/*
 * The page cache's side of the fault suite (aramid.test=faults on a
 * FAULT_INJECT kernel, not an ABI test): faultfs files mapped, their
 * pages filled by the service's read. /f2/ok's mapping reads its text;
 * a child touching a mapping of /f2/null-deref makes the service fault
 * filling the page. Prints "FAULT <step> ..." lines that tests/run.py
 * judges: where faults are contained, the child dies of SIGBUS and the
 * kernel lives on.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *map_text(const char *path)
{
	int fd = open(path, O_RDONLY);
	char *p;

	if (fd < 0)
		return NULL;
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

int main(void)
{
	const char *ok = map_text("/f2/ok"), *bad;
	int st = 0;
	pid_t pid;

	printf("FAULT mmap-ok rc=%d %.4s\n", ok ? 0 : errno, ok ? ok : "");
	fflush(stdout);
	bad = map_text("/f2/null-deref");
	pid = fork();
	if (pid == 0) {
		volatile char c = bad ? bad[0] : 0;

		(void)c;
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, &st, 0);
	printf("FAULT mmap-fault mapped=%d sig=%d\n", bad != NULL,
	       WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	fflush(stdout);
	return 0;
}
