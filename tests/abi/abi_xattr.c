/* abi_xattr.c - extended attributes on tmpfs (the test's cwd) as Linux 6.1 keeps them: trusted./security. stored, user. and unknown prefixes EOPNOTSUPP, flags, name and size limits, list format, the l/f variants, ACL names, procfs and pipes, and the rules without CAP_SYS_ADMIN. */
#include "check.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#define T "abi_xattr"

/* True if the NUL-separated @list of @len bytes holds @name. */
static int list_has(const char *list, ssize_t len, const char *name)
{
	for (ssize_t off = 0; off < len; off += (ssize_t)strlen(list + off) + 1)
		if (!strcmp(list + off, name))
			return 1;
	return 0;
}

static void test_namespaces(void)
{
	char buf[64];
	CHECK_ERR("user. on tmpfs file EOPNOTSUPP (set)", setxattr("f", "user.x", "v", 1, 0), EOPNOTSUPP);
	CHECK_ERR("user. on tmpfs file EOPNOTSUPP (get)", getxattr("f", "user.x", buf, sizeof buf), EOPNOTSUPP);
	CHECK_ERR("user. on tmpfs dir EOPNOTSUPP", setxattr("d", "user.x", "v", 1, 0), EOPNOTSUPP);
	CHECK_ERR("user. on a symlink: set EPERM", lsetxattr("l", "user.x", "v", 1, 0), EPERM);
	CHECK_ERR("user. on a symlink: get ENODATA", lgetxattr("l", "user.x", buf, sizeof buf), ENODATA);
	CHECK_ERR("user. on a fifo: set EPERM", setxattr("p", "user.x", "v", 1, 0), EPERM);
	CHECK_ERR("unknown prefix set EOPNOTSUPP", setxattr("f", "foo.bar", "v", 1, 0), EOPNOTSUPP);
	CHECK_ERR("no prefix get EOPNOTSUPP", getxattr("f", "foo", buf, sizeof buf), EOPNOTSUPP);
	CHECK_ERR("system.other EOPNOTSUPP", getxattr("f", "system.other", buf, sizeof buf), EOPNOTSUPP);
	CHECK_ERR("posix_acl_access unset: ENODATA", getxattr("f", "system.posix_acl_access", buf, sizeof buf), ENODATA);
	CHECK_ERR("posix_acl_default on a dir: ENODATA", getxattr("d", "system.posix_acl_default", buf, sizeof buf), ENODATA);
	CHECK_ERR("posix_acl_access on a symlink EOPNOTSUPP", lgetxattr("l", "system.posix_acl_access", buf, sizeof buf), EOPNOTSUPP);
	CHECK_OK("removing an unset access ACL succeeds", removexattr("f", "system.posix_acl_access"));
}

static void test_set_get(void)
{
	char buf[64];
	CHECK_OK("set trusted.a", setxattr("f", "trusted.a", "v1", 2, 0));
	CHECK_EQ("get size 0 gives the length", getxattr("f", "trusted.a", NULL, 0), 2);
	CHECK_ERR("get into a too small buffer ERANGE", getxattr("f", "trusted.a", buf, 1), ERANGE);
	memset(buf, 0, sizeof buf);
	CHECK_EQ("get trusted.a", getxattr("f", "trusted.a", buf, sizeof buf), 2);
	CHECK_STR("trusted.a value", buf, "v1");
	CHECK_ERR("XATTR_CREATE on a set name EEXIST", setxattr("f", "trusted.a", "x", 1, XATTR_CREATE), EEXIST);
	CHECK_ERR("XATTR_REPLACE on an unset name ENODATA", setxattr("f", "trusted.b", "x", 1, XATTR_REPLACE), ENODATA);
	CHECK_ERR("CREATE|REPLACE on an unset name ENODATA", setxattr("f", "trusted.b", "x", 1, XATTR_CREATE | XATTR_REPLACE), ENODATA);
	CHECK_ERR("CREATE|REPLACE on a set name EEXIST", setxattr("f", "trusted.a", "x", 1, XATTR_CREATE | XATTR_REPLACE), EEXIST);
	CHECK_ERR("unknown flag EINVAL", setxattr("f", "trusted.a", "x", 1, 4), EINVAL);
	CHECK_OK("XATTR_REPLACE a set name", setxattr("f", "trusted.a", "longer", 6, XATTR_REPLACE));
	memset(buf, 0, sizeof buf);
	CHECK_EQ("replaced value's length", getxattr("f", "trusted.a", buf, sizeof buf), 6);
	CHECK_STR("replaced value", buf, "longer");
	CHECK_OK("XATTR_CREATE a new name", setxattr("f", "security.t", "s", 1, XATTR_CREATE));
	CHECK_EQ("security. stored", getxattr("f", "security.t", buf, sizeof buf), 1);
	CHECK_OK("empty value", setxattr("f", "trusted.empty", "", 0, 0));
	CHECK_EQ("empty value reads as 0 bytes", getxattr("f", "trusted.empty", buf, sizeof buf), 0);
	CHECK_ERR("get an unset name ENODATA", getxattr("f", "trusted.none", buf, sizeof buf), ENODATA);
	CHECK_OK("link f to g", link("f", "g"));
	CHECK_EQ("attributes belong to the inode (hard link)", getxattr("g", "trusted.a", NULL, 0), 6);
	CHECK_OK("symlink keeps trusted. itself", lsetxattr("l", "trusted.s", "1", 1, 0));
	CHECK_EQ("lgetxattr reads the link's", lgetxattr("l", "trusted.s", NULL, 0), 1);
	CHECK_ERR("getxattr follows the link", getxattr("l", "trusted.s", NULL, 0), ENODATA);
	CHECK_EQ("getxattr through the link reads f's", getxattr("l", "trusted.a", NULL, 0), 6);
}

static void test_limits(void)
{
	char name[300], buf[8];
	static char big[65537];
	CHECK_ERR("empty name ERANGE", setxattr("f", "", "v", 1, 0), ERANGE);
	CHECK_ERR("empty name get ERANGE", getxattr("f", "", buf, sizeof buf), ERANGE);
	memset(name, 'n', sizeof name);
	memcpy(name, "trusted.", 8);
	name[255] = 0;
	CHECK_OK("255-byte name", setxattr("f", name, "v", 1, 0));
	CHECK_EQ("255-byte name reads back", getxattr("f", name, buf, sizeof buf), 1);
	CHECK_OK("remove the 255-byte name", removexattr("f", name));
	name[255] = 'n';
	name[256] = 0;
	CHECK_ERR("256-byte name ERANGE", setxattr("f", name, "v", 1, 0), ERANGE);
	CHECK_ERR("256-byte name get ERANGE", getxattr("f", name, buf, sizeof buf), ERANGE);
	CHECK_ERR("256-byte name remove ERANGE", removexattr("f", name), ERANGE);
	CHECK_ERR("bad name pointer EFAULT", setxattr("f", BAD_LOW, "v", 1, 0), EFAULT);
	CHECK_ERR("bad value pointer EFAULT", setxattr("f", "trusted.z", BAD_LOW, 1, 0), EFAULT);
	CHECK_ERR("65537-byte value E2BIG", setxattr("f", "trusted.big", big, sizeof big, 0), E2BIG);
	big[65535] = 'e';
	CHECK_OK("65536-byte value", setxattr("f", "trusted.big", big, 65536, 0));
	CHECK_EQ("65536-byte value's length", getxattr("f", "trusted.big", NULL, 0), 65536);
	CHECK_EQ("65536-byte value reads back", getxattr("f", "trusted.big", big + 1, 65536), 65536);
	CHECK_EQ("last byte intact", big[65536], 'e');
	CHECK_ERR("get into a bad buffer EFAULT", getxattr("f", "trusted.a", BAD_LOW, 8), EFAULT);
	CHECK_OK("remove trusted.big", removexattr("f", "trusted.big"));
}

static void test_list_remove(void)
{
	char list[256];
	ssize_t n = listxattr("f", NULL, 0);
	/* trusted.a, security.t, trusted.empty */
	CHECK_EQ("list size query", n, 10 + 11 + 14);
	CHECK_ERR("list into a too small buffer ERANGE", listxattr("f", list, (size_t)n - 1), ERANGE);
	memset(list, 'x', sizeof list);
	CHECK_EQ("list", listxattr("f", list, sizeof list), n);
	CHECK("list names trusted.a", list_has(list, n, "trusted.a"));
	CHECK("list names security.t", list_has(list, n, "security.t"));
	CHECK("list names trusted.empty", list_has(list, n, "trusted.empty"));
	CHECK_EQ("list ends in NUL", list[n - 1], 0);
	CHECK_EQ("nothing written past the list", list[n], 'x');
	CHECK_EQ("llistxattr of the symlink", llistxattr("l", list, sizeof list), 10);
	CHECK_EQ("empty list", listxattr("d", list, sizeof list), 0);
	CHECK_OK("remove trusted.empty", removexattr("f", "trusted.empty"));
	CHECK_ERR("remove again ENODATA", removexattr("f", "trusted.empty"), ENODATA);
	CHECK_ERR("remove user. EOPNOTSUPP", removexattr("f", "user.x"), EOPNOTSUPP);
	CHECK_OK("lremovexattr the link's", lremovexattr("l", "trusted.s"));
	CHECK_EQ("list after removal", listxattr("f", NULL, 0), 10 + 11);
}

static void test_fd_variants(void)
{
	char buf[16];
	int fd = open("f", O_RDONLY);
	CHECK_OK("fsetxattr on a read-only fd", fsetxattr(fd, "trusted.fd", "42", 2, 0));
	CHECK_EQ("fgetxattr", fgetxattr(fd, "trusted.fd", buf, sizeof buf), 2);
	CHECK_EQ("flistxattr", flistxattr(fd, NULL, 0), 10 + 11 + 11);
	CHECK_OK("fremovexattr", fremovexattr(fd, "trusted.fd"));
	CHECK_ERR("fremovexattr again ENODATA", fremovexattr(fd, "trusted.fd"), ENODATA);
	close(fd);
	CHECK_ERR("fgetxattr on a closed fd EBADF", fgetxattr(fd, "trusted.a", buf, sizeof buf), EBADF);
	CHECK_ERR("fsetxattr on a closed fd EBADF", fsetxattr(fd, "trusted.a", "v", 1, 0), EBADF);
	fd = open("f", O_PATH);
	CHECK_ERR("fgetxattr on O_PATH EBADF", fgetxattr(fd, "trusted.a", buf, sizeof buf), EBADF);
	CHECK_ERR("flistxattr on O_PATH EBADF", flistxattr(fd, buf, sizeof buf), EBADF);
	close(fd);
	CHECK_ERR("missing path ENOENT", getxattr("nope", "trusted.a", buf, sizeof buf), ENOENT);
	CHECK_ERR("missing path ENOENT before the name check", getxattr("nope", "", buf, sizeof buf), ENOENT);
	int p[2];
	pipe(p);
	CHECK_ERR("fgetxattr on a pipe EOPNOTSUPP", fgetxattr(p[0], "trusted.a", buf, sizeof buf), EOPNOTSUPP);
	CHECK_ERR("fsetxattr on a pipe EOPNOTSUPP", fsetxattr(p[1], "trusted.a", "v", 1, 0), EOPNOTSUPP);
	CHECK_EQ("flistxattr on a pipe is empty", flistxattr(p[0], buf, sizeof buf), 0);
	close(p[0]);
	close(p[1]);
	CHECK_ERR("procfs get EOPNOTSUPP", getxattr("/proc/uptime", "trusted.a", buf, sizeof buf), EOPNOTSUPP);
	CHECK_ERR("procfs set EOPNOTSUPP", setxattr("/proc/uptime", "trusted.a", "v", 1, 0), EOPNOTSUPP);
	CHECK_ERR("procfs remove EOPNOTSUPP", removexattr("/proc/uptime", "trusted.a"), EOPNOTSUPP);
	CHECK_EQ("procfs list is empty", listxattr("/proc/uptime", buf, sizeof buf), 0);
}

/* Without CAP_SYS_ADMIN (uid 65534): trusted. is hidden and refused. */
static int unprivileged(void *arg)
{
	int fd = *(int *)arg;
	char buf[256];
	if (setuid(65534))
		return 2;
	CHECK_ERR("unprivileged get trusted. ENODATA", fgetxattr(fd, "trusted.a", buf, sizeof buf), ENODATA);
	CHECK_ERR("unprivileged set trusted. EPERM", fsetxattr(fd, "trusted.n", "v", 1, 0), EPERM);
	CHECK_ERR("unprivileged remove trusted. EPERM", fremovexattr(fd, "trusted.a"), EPERM);
	/* Debian's BPF LSM skips commoncap's CAP_SYS_ADMIN check here. */
	CHECK_OK("unprivileged set security.", fsetxattr(fd, "security.n", "v", 1, 0));
	CHECK_EQ("unprivileged get security.", fgetxattr(fd, "security.t", buf, sizeof buf), 1);
	ssize_t n = flistxattr(fd, buf, sizeof buf);
	CHECK_EQ("unprivileged list shows security. only", n, 22);
	CHECK("unprivileged list names security.t", list_has(buf, n, "security.t"));
	CHECK("unprivileged list hides trusted.a", !list_has(buf, n, "trusted.a"));
	return check_fails ? 1 : 0;
}

int main(void)
{
	TEST_BEGIN(T);
	int fd = open("f", O_CREAT | O_RDWR, 0644);
	close(fd);
	mkdir("d", 0755);
	symlink("f", "l");
	mkfifo("p", 0644);
	test_namespaces();
	test_set_get();
	test_limits();
	test_list_remove();
	test_fd_variants();
	fd = open("f", O_RDONLY);
	CHECK_EQ("unprivileged checks pass", run_child(unprivileged, &fd), 0);
	close(fd);
	return TEST_END();
}
