/* The kernel command line reaches init as Linux passes it: unknown
 * key=value words in init's environment (with HOME=/ and TERM=linux),
 * bare words as its arguments, everything in /proc/cmdline. The harness
 * boots with "ARAMID_BOOT_ENV=yes aramid_boot_arg". */
#include "check.h"
#include <fcntl.h>

#define T "abi_boot"

/* True if the NUL-separated list @buf of @len bytes holds @item. */
static int has_item(const char *buf, ssize_t len, const char *item)
{
	for (ssize_t off = 0; off < len; off += strlen(buf + off) + 1)
		if (!strcmp(buf + off, item))
			return 1;
	return 0;
}

int main(void)
{
	static char buf[8192];
	ssize_t n;

	TEST_BEGIN(T);
	n = slurp("/proc/cmdline", buf, sizeof(buf));
	CHECK("/proc/cmdline readable", n > 0);
	CHECK("/proc/cmdline has the env word", strstr(buf, "ARAMID_BOOT_ENV=yes") != NULL);
	CHECK("/proc/cmdline has the bare word", strstr(buf, "aramid_boot_arg") != NULL);
	CHECK("/proc/cmdline ends in a newline", n > 0 && buf[n - 1] == '\n');

	n = slurp("/proc/1/environ", buf, sizeof(buf));
	CHECK("init environ readable", n > 0);
	CHECK("init env has ARAMID_BOOT_ENV=yes", has_item(buf, n, "ARAMID_BOOT_ENV=yes"));
	CHECK("init env has HOME=/", has_item(buf, n, "HOME=/"));
	CHECK("init env has TERM=linux", has_item(buf, n, "TERM=linux"));
	CHECK("init env lacks console=", !has_item(buf, n, "console=ttyS0"));
	CHECK("init env lacks dotted module params", !has_item(buf, n, "aramid.test=abi"));

	n = slurp("/proc/1/cmdline", buf, sizeof(buf));
	CHECK("init cmdline readable", n > 0);
	CHECK("init args have the bare word", has_item(buf, n, "aramid_boot_arg"));
	CHECK("init args lack quiet", !has_item(buf, n, "quiet"));
	CHECK("init runs /init", has_item(buf, n, "/init"));
	return TEST_END();
}
