/*
 * The guest side of bench/path/trace.py: the system calls it traces, made
 * for ever in turn (getpid, a 1-byte write to /dev/null, a 1-byte read
 * of /dev/zero), so that the tracer can stop at any of them. Built
 * static by the tracer; /init runs it as an ABI test program.
 */
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	int null = open("/dev/null", O_WRONLY);
	int zero = open("/dev/zero", O_RDONLY);
	char c = 'x';

	if (null < 0 || zero < 0)
		return 1;
	for (;;) {
		syscall(SYS_getpid);
		if (write(null, &c, 1) != 1 || read(zero, &c, 1) != 1)
			return 1;
	}
}
