/* abi_pidns.c - PID namespaces as Linux 6.1: the initial one's /proc/PID/ns/pid and pid_for_children links (text, nsfs inode number, mode), its nsfs file's ioctls (NS_GET_NSTYPE, NS_GET_PARENT's EPERM at the root) and setns(2) into it through the file and a pidfd, with its errors (EINVAL, EPERM). */
#include "check.h"
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <dirent.h>

#define T "abi_pidns"
#define V3 0x20080522
#define CAP_SYS_ADMIN 21
#define NS_GET_PARENT 0xb702
#define NS_GET_NSTYPE 0xb703
#define NS_GET_OWNER_UID 0xb704
#define INIT_PID_INO 4026531836UL

struct cap_hdr { unsigned version; int pid; };
struct cap_data { unsigned eff, prm, inh; };

static long setns_(int fd, int type)
{
	return syscall(SYS_setns, fd, type);
}

/* The link text of @path ("" on error) into @buf of @len bytes. */
static const char *link_of(const char *path, char *buf, size_t len)
{
	ssize_t n = readlink(path, buf, len - 1);

	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

static unsigned long ns_ino(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : (unsigned long)st.st_ino;
}

/* Wait for child @c: its exit status, or -1 if a signal ended it. */
static int reap(pid_t c)
{
	int st;

	if (waitpid(c, &st, 0) != c)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Run @fn in a child; its failures (its exit status) count as ours. */
static void in_child(void (*fn)(void))
{
	pid_t c = fork();
	int st;

	if (c == 0) {
		fn();
		_exit(check_fails ? 1 : 0);
	}
	st = reap(c);
	if (st)
		check_fails++;
	if (st < 0)
		CHECK("child ended normally", 0);
}

/* The initial namespace's links, as every task shows them. */
static void test_links(void)
{
	char buf[64];
	struct stat st, lst, uts;
	DIR *d;
	struct dirent *e;
	int seen = 0;

	CHECK_STR("/proc/self/ns/pid reads pid:[4026531836]",
		  link_of("/proc/self/ns/pid", buf, sizeof buf), "pid:[4026531836]");
	CHECK_STR("/proc/self/ns/pid_for_children: the same",
		  link_of("/proc/self/ns/pid_for_children", buf, sizeof buf),
		  "pid:[4026531836]");
	CHECK_STR("/proc/1/ns/pid: the same",
		  link_of("/proc/1/ns/pid", buf, sizeof buf), "pid:[4026531836]");
	CHECK_OK("stat /proc/self/ns/pid", stat("/proc/self/ns/pid", &st));
	CHECK_EQ("... st_ino is the namespace's number", st.st_ino, INIT_PID_INO);
	CHECK_EQ("... a regular file, mode 0444", st.st_mode, S_IFREG | 0444);
	CHECK_OK("stat /proc/self/ns/uts", stat("/proc/self/ns/uts", &uts));
	CHECK("... on nsfs, as the UTS namespace", st.st_dev == uts.st_dev);
	CHECK_OK("lstat /proc/self/ns/pid_for_children",
		 lstat("/proc/self/ns/pid_for_children", &lst));
	CHECK_EQ("... a symlink, rwxrwxrwx", lst.st_mode, S_IFLNK | 0777);
	CHECK_EQ("pid_for_children leads to the same inode",
		 ns_ino("/proc/self/ns/pid_for_children"), INIT_PID_INO);
	CHECK_EQ("/proc/thread-self/ns/pid: the same",
		 ns_ino("/proc/thread-self/ns/pid"), INIT_PID_INO);
	d = opendir("/proc/self/ns");
	while (d && (e = readdir(d))) {
		seen |= !strcmp(e->d_name, "pid");
		seen |= !strcmp(e->d_name, "pid_for_children") << 1;
	}
	if (d)
		closedir(d);
	CHECK_EQ("/proc/self/ns lists pid and pid_for_children", seen, 3);
}

/* Its nsfs file: the ioctls and setns. */
static void test_file(void)
{
	char path[64], buf[64];
	struct stat st;
	int fd = open("/proc/self/ns/pid", O_RDONLY), pfd;

	CHECK_OK("open /proc/self/ns/pid", fd);
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	CHECK_STR("its descriptor's link names the namespace",
		  link_of(path, buf, sizeof buf), "pid:[4026531836]");
	CHECK_OK("fstat", fstat(fd, &st));
	CHECK_EQ("... st_ino", st.st_ino, INIT_PID_INO);
	CHECK_EQ("NS_GET_NSTYPE is CLONE_NEWPID", ioctl(fd, NS_GET_NSTYPE),
		 CLONE_NEWPID);
	CHECK_ERR("NS_GET_PARENT of the initial namespace: EPERM",
		  ioctl(fd, NS_GET_PARENT), EPERM);
	CHECK_ERR("NS_GET_OWNER_UID of a PID namespace: EINVAL",
		  ioctl(fd, NS_GET_OWNER_UID, &st.st_uid), EINVAL);
	CHECK_ERR("an unknown ioctl: ENOTTY", ioctl(fd, 0xb7ff), ENOTTY);
	CHECK_OK("setns(fd, 0) to its own namespace", setns_(fd, 0));
	CHECK_OK("setns(fd, CLONE_NEWPID)", setns_(fd, CLONE_NEWPID));
	CHECK_ERR("setns(fd, CLONE_NEWUTS): EINVAL", setns_(fd, CLONE_NEWUTS),
		  EINVAL);
	CHECK_STR("pid_for_children is still the initial one",
		  link_of("/proc/self/ns/pid_for_children", buf, sizeof buf),
		  "pid:[4026531836]");
	pfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	CHECK_OK("pidfd_open(self)", pfd);
	CHECK_OK("setns(pidfd, CLONE_NEWPID)", setns_(pfd, CLONE_NEWPID));
	CHECK_OK("setns(pidfd, CLONE_NEWPID|CLONE_NEWUTS)",
		 setns_(pfd, CLONE_NEWPID | CLONE_NEWUTS));
	close(pfd);
	close(fd);
}

/* Without CAP_SYS_ADMIN (capset, still uid 0): setns is EPERM. */
static void child_no_admin(void)
{
	struct cap_hdr h = { V3, 0 };
	struct cap_data d[2] = { { 0 } };
	int fd = open("/proc/self/ns/pid", O_RDONLY);

	CHECK_OK("capget", syscall(SYS_capget, &h, d));
	d[0].eff &= ~(1u << CAP_SYS_ADMIN);
	CHECK_OK("capset without CAP_SYS_ADMIN", syscall(SYS_capset, &h, d));
	CHECK_ERR("setns(pid ns) without CAP_SYS_ADMIN: EPERM",
		  setns_(fd, CLONE_NEWPID), EPERM);
	CHECK_EQ("NS_GET_NSTYPE needs no privilege", ioctl(fd, NS_GET_NSTYPE),
		 CLONE_NEWPID);
	close(fd);
}

/* As nobody: another's pid link is not to be read (EACCES). */
static void child_nobody(void)
{
	char buf[64];

	CHECK_OK("setresuid(nobody)", setresuid(65534, 65534, 65534));
	CHECK_ERR("as nobody, readlink /proc/1/ns/pid: EACCES",
		  readlink("/proc/1/ns/pid", buf, sizeof buf), EACCES);
	CHECK_STR("... its own still reads",
		  link_of("/proc/self/ns/pid", buf, sizeof buf), "pid:[4026531836]");
}

int main(void)
{
	TEST_BEGIN(T);
	test_links();
	test_file();
	in_child(child_no_admin);
	in_child(child_nobody);
	return TEST_END();
}
