/*
 * The network service's fault hook, for the fault suite (aramid.test=faults
 * on a FAULT_INJECT kernel, not an ABI test): setsockopt(SOL_IP, 0x4146)
 * makes the service fault inside the call (services/net/inet.h). Prints
 * "FAULT <step> rc=<errno> <name>" lines that tests/run.py judges by
 * profile: EIO and a living kernel where faults are contained, and then
 * the service failed (EIO for new sockets) while the rest works on.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#define INET_FAULT_OPT	0x4146

static void report(const char *step, int rc)
{
	int e = rc < 0 ? errno : 0;

	printf("FAULT %s rc=%d %s\n", step, e, e ? strerror(e) : "ok");
	fflush(stdout);
}

int main(void)
{
	int one = 1, fd, sv[2];

	fd = socket(AF_INET, SOCK_STREAM, 0);
	report("net-socket", fd);
	report("net-setsockopt", setsockopt(fd, IPPROTO_IP, INET_FAULT_OPT,
					    &one, sizeof(one)));
	report("net-after", socket(AF_INET, SOCK_DGRAM, 0));
	report("net-close", close(fd));
	report("net-unix", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	return 0;
}
