/*
 * The page cache's side of the fault suite (aramid.test=faults on a
 * FAULT_INJECT kernel, not an ABI test): faultfs files mapped, their
 * pages filled by the service's read. /f2/ok's mapping reads its text;
 * a child touching a mapping of /f2/null-deref makes the service fault
 * filling the page. Prints "FAULT <step> ..." lines that tests/run.py
 * judges: where faults are contained, the child dies of SIGBUS and the
 * kernel lives on. Then a store through a shared mapping of
 * /f2/write-eio, whose first write the service fails with EIO: the
 * writeback at munmap fails (no one to tell), so the next fsync reports
 * EIO, having written the page, which stayed dirty, and the one after
 * reports nothing, as Linux reports a writeback error once.
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

/* The steps above the FAULT wb-error line: errno values, 0 for none. */
static void writeback_error(void)
{
	int fd = open("/f2/write-eio", O_RDWR), first = -1, second = -1;
	char *m = fd >= 0 ? mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				 MAP_SHARED, fd, 0) : MAP_FAILED;

	if (m != MAP_FAILED) {
		m[0] = 'W';
		munmap(m, 4096);	/* its writeback fails */
		first = fsync(fd) ? errno : 0;
		second = fsync(fd) ? errno : 0;
	}
	printf("FAULT wb-error mapped=%d fsync=%d then=%d\n",
	       m != MAP_FAILED, first, second);
	fflush(stdout);
	if (fd >= 0)
		close(fd);
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
	writeback_error();
	return 0;
}
