/* abi_ns.c - UTS and mount namespaces as Linux 6.1: unshare and clone with CLONE_NEWUTS, a child's hostname invisible to its parent, /proc/PID/ns/uts and mnt (link text, nsfs inode numbers, st_dev), setns through ns files and pidfds, NS_GET_* ioctls, mounts on either side of unshare(CLONE_NEWNS) invisible to the other, and the errors (EPERM, EINVAL, EBADF). */
#include "check.h"
#include "ns_util.h"
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <dirent.h>
#include <sys/mount.h>

#define T "abi_ns"
#define CAP_SYS_CHROOT 18
#define NSFS_MAGIC 0x6e736673
#define INIT_UTS_INO 4026531838UL

static const char *nodename(void)
{
	static struct utsname u;

	return uname(&u) ? "" : u.nodename;
}

/* Close both ends of each of @n pipes. */
static void close_pipes(int (*p)[2], int n)
{
	for (int i = 0; i < n; i++) {
		close(p[i][0]);
		close(p[i][1]);
	}
}

/* The initial namespace: its link, its nsfs inode, and the ns/ directory. */
static void test_initial(void)
{
	char buf[64], buf2[64];
	struct stat st, st1, lst;
	DIR *d;
	struct dirent *e;
	int seen = 0;

	CHECK_STR("/proc/self/ns/uts reads uts:[4026531838]",
		  link_of("/proc/self/ns/uts", buf, sizeof buf), "uts:[4026531838]");
	CHECK_STR("/proc/1/ns/uts: the same", link_of("/proc/1/ns/uts", buf2,
		  sizeof buf2), buf);
	CHECK_OK("stat /proc/self/ns/uts", stat("/proc/self/ns/uts", &st));
	CHECK_EQ("... st_ino is the namespace's number", st.st_ino, INIT_UTS_INO);
	CHECK_EQ("... a regular file, mode 0444", st.st_mode, S_IFREG | 0444);
	CHECK_OK("stat /proc/1/ns/uts", stat("/proc/1/ns/uts", &st1));
	CHECK("... same st_dev and st_ino as init's",
	      st.st_dev == st1.st_dev && st.st_ino == st1.st_ino);
	CHECK_OK("lstat /proc/self/ns/uts", lstat("/proc/self/ns/uts", &lst));
	CHECK("... a symlink on procfs", S_ISLNK(lst.st_mode) && lst.st_dev != st.st_dev);
	CHECK_OK("stat /proc/self/ns", stat("/proc/self/ns", &st1));
	CHECK_EQ("... dr-x--x--x", st1.st_mode, S_IFDIR | 0511);
	d = opendir("/proc/self/ns");
	while (d && (e = readdir(d)))
		seen |= !strcmp(e->d_name, "uts");
	if (d)
		closedir(d);
	CHECK("/proc/self/ns lists uts", seen);
	CHECK("/proc/self/task/TID/ns/uts is there too",
	      ns_ino("/proc/thread-self/ns/uts") == INIT_UTS_INO);
}

/* An open ns file: its name, type, ioctls, statfs, and what setns takes. */
static void test_ns_file(void)
{
	char path[64], buf[64];
	struct statfs sf;
	struct stat st;
	int fd = open("/proc/self/ns/uts", O_RDONLY), other, pfd;

	CHECK_OK("open /proc/self/ns/uts", fd);
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	CHECK_STR("its descriptor's link names the namespace",
		  link_of(path, buf, sizeof buf), "uts:[4026531838]");
	CHECK_OK("fstat", fstat(fd, &st));
	CHECK_EQ("... st_ino", st.st_ino, INIT_UTS_INO);
	CHECK_OK("fstatfs", fstatfs(fd, &sf));
	CHECK_EQ("... f_type NSFS_MAGIC", sf.f_type, NSFS_MAGIC);
	CHECK_EQ("NS_GET_NSTYPE is CLONE_NEWUTS", ioctl(fd, NS_GET_NSTYPE), CLONE_NEWUTS);
	CHECK_ERR("NS_GET_PARENT of a UTS namespace: EINVAL", ioctl(fd, NS_GET_PARENT), EINVAL);
	CHECK_ERR("NS_GET_OWNER_UID of a UTS namespace: EINVAL",
		  ioctl(fd, NS_GET_OWNER_UID, &st.st_uid), EINVAL);
	CHECK_ERR("an unknown ioctl: ENOTTY", ioctl(fd, 0xb7ff), ENOTTY);
	CHECK_ERR("read: EINVAL", read(fd, buf, 1), EINVAL);
	CHECK_ERR("lseek: ESPIPE", lseek(fd, 0, SEEK_SET), ESPIPE);
	CHECK_ERR("open O_RDWR: EPERM (immutable)",
		  open("/proc/self/ns/uts", O_RDWR), EPERM);
	CHECK_OK("setns(fd, 0) to its own namespace", setns_(fd, 0));
	CHECK_OK("setns(fd, CLONE_NEWUTS)", setns_(fd, CLONE_NEWUTS));
	CHECK_ERR("setns(fd, CLONE_NEWNS): EINVAL", setns_(fd, CLONE_NEWNS), EINVAL);
	CHECK_ERR("setns(fd, CLONE_NEWIPC): EINVAL", setns_(fd, CLONE_NEWIPC), EINVAL);
	CHECK_ERR("setns(fd, CLONE_NEWUTS|CLONE_NEWNS): EINVAL",
		  setns_(fd, CLONE_NEWUTS | CLONE_NEWNS), EINVAL);
	other = open("/", O_RDONLY);
	CHECK_ERR("setns on a directory: EINVAL", setns_(other, 0), EINVAL);
	close(other);
	CHECK_ERR("setns on a closed descriptor: EBADF", setns_(other, 0), EBADF);
	CHECK_ERR("setns(-1): EBADF", setns_(-1, CLONE_NEWUTS), EBADF);
	pfd = open("/proc/self/ns/uts", O_PATH);
	CHECK_OK("open /proc/self/ns/uts O_PATH", pfd);
	CHECK_ERR("setns on an O_PATH descriptor: EBADF", setns_(pfd, 0), EBADF);
	close(pfd);
	pfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	CHECK_OK("pidfd_open(self)", pfd);
	CHECK_ERR("setns(pidfd, 0): EINVAL", setns_(pfd, 0), EINVAL);
	CHECK_ERR("setns(pidfd, an unknown flag): EINVAL", setns_(pfd, CLONE_VM), EINVAL);
	CHECK_OK("setns(pidfd, CLONE_NEWUTS) to its own", setns_(pfd, CLONE_NEWUTS));
	close(pfd);
	close(fd);
}

static char parent_name[65];
static unsigned long parent_ino;

/*
 * In a child: unshare(CLONE_NEWUTS) gives a new namespace, whose
 * hostname is its own; setns goes back to the parent's.
 */
static void child_unshare(void)
{
	char buf[64], want[64], ppath[64];
	struct stat st, pst;
	int fd;

	snprintf(ppath, sizeof ppath, "/proc/%d/ns/uts", getppid());
	fd = open(ppath, O_RDONLY);
	CHECK_OK("open the parent's /proc/PPID/ns/uts", fd);
	CHECK_EQ("before unshare: the parent's namespace", ns_ino("/proc/self/ns/uts"),
		 parent_ino);
	CHECK_OK("unshare(CLONE_NEWUTS)", syscall(SYS_unshare, CLONE_NEWUTS));
	CHECK_OK("stat the new /proc/self/ns/uts", stat("/proc/self/ns/uts", &st));
	fstat(fd, &pst);
	CHECK("... another inode number", st.st_ino != parent_ino);
	CHECK("... on the same nsfs device", st.st_dev == pst.st_dev);
	snprintf(want, sizeof want, "uts:[%lu]", (unsigned long)st.st_ino);
	CHECK_STR("... its link names that number", link_of("/proc/self/ns/uts",
		  buf, sizeof buf), want);
	CHECK_STR("the new namespace starts with the old names", nodename(),
		  parent_name);
	CHECK_OK("sethostname in it", sethostname("abi-ns-child", 12));
	CHECK_STR("uname shows it", nodename(), "abi-ns-child");
	fd = open("/proc/sys/kernel/hostname", O_RDONLY);
	memset(buf, 0, sizeof buf);
	read(fd, buf, sizeof buf - 1);
	close(fd);
	CHECK_STR("kernel.hostname shows it", buf, "abi-ns-child\n");
	fd = open(ppath, O_RDONLY);
	CHECK_OK("setns back into the parent's namespace", setns_(fd, CLONE_NEWUTS));
	CHECK_EQ("... /proc/self/ns/uts is the parent's", ns_ino("/proc/self/ns/uts"),
		 parent_ino);
	CHECK_STR("... and so is the hostname", nodename(), parent_name);
	close(fd);
}

/* Checks in the parent that its child's namespace is apart. */
static void test_unshare(void)
{
	in_child(child_unshare);
	CHECK_STR("the child's sethostname left the parent's", nodename(),
		  parent_name);
	CHECK_EQ("the parent's namespace is unchanged", ns_ino("/proc/self/ns/uts"),
		 parent_ino);
}

/*
 * clone(CLONE_NEWUTS): the child starts in a namespace of its own, which
 * an open ns file keeps after the child is gone; setns into it, through
 * that file or a pidfd, shows the child's hostname.
 */
static void test_clone(void)
{
	char path[64], buf[64];
	int pp[2][2], fd, pfd;
	int *p = pp[0], *q = pp[1];
	unsigned long child_ino;
	pid_t c;

	if (pipe(p) || pipe(q))
		return;
	c = (pid_t)syscall(SYS_clone, CLONE_NEWUTS | SIGCHLD, 0, 0, 0, 0);
	if (c == 0) {
		sethostname("abi-ns-clone", 12);
		write(p[1], "x", 1);
		read(q[0], buf, 1);
		_exit(0);
	}
	CHECK_OK("clone(CLONE_NEWUTS)", c);
	read(p[0], buf, 1);
	snprintf(path, sizeof path, "/proc/%d/ns/uts", c);
	child_ino = ns_ino(path);
	CHECK("the child's /proc/PID/ns/uts is another namespace",
	      child_ino && child_ino != parent_ino);
	CHECK_STR("its sethostname left the parent's", nodename(), parent_name);
	fd = open(path, O_RDONLY);
	CHECK_OK("open the child's ns file", fd);
	pfd = (int)syscall(SYS_pidfd_open, c, 0);
	c = fork();
	if (c == 0) {
		int ok = setns_(pfd, CLONE_NEWUTS) == 0 &&
			 ns_ino("/proc/self/ns/uts") == child_ino &&
			 !strcmp(nodename(), "abi-ns-clone");

		_exit(ok ? 0 : 1);
	}
	CHECK_EQ("setns(pidfd, CLONE_NEWUTS) joins the child's namespace", reap(c), 0);
	write(q[1], "x", 1);
	reap(-1);
	CHECK_ERR("setns(pidfd) of a reaped process: ESRCH",
		  setns_(pfd, CLONE_NEWUTS), ESRCH);
	close(pfd);
	CHECK_EQ("the open ns file outlives the child", ioctl(fd, NS_GET_NSTYPE),
		 CLONE_NEWUTS);
	c = fork();
	if (c == 0) {
		int ok = setns_(fd, 0) == 0 &&
			 ns_ino("/proc/self/ns/uts") == child_ino &&
			 !strcmp(nodename(), "abi-ns-clone");

		_exit(ok ? 0 : 1);
	}
	CHECK_EQ("setns into it shows the child's hostname", reap(c), 0);
	close(fd);
	close_pipes(pp, 2);
}

/* Without CAP_SYS_ADMIN (capset, still uid 0): EPERM for all three. */
static void child_no_admin(void)
{
	int fd = open("/proc/self/ns/uts", O_RDONLY);
	long c;

	CHECK_OK("capset without CAP_SYS_ADMIN", drop_cap(CAP_SYS_ADMIN));
	CHECK_ERR("unshare(CLONE_NEWUTS): EPERM", syscall(SYS_unshare, CLONE_NEWUTS), EPERM);
	c = syscall(SYS_clone, CLONE_NEWUTS | SIGCHLD, 0, 0, 0, 0);
	if (c == 0)
		_exit(0);
	CHECK_EQ("clone(CLONE_NEWUTS): EPERM", c == -1 ? errno : 0, EPERM);
	CHECK_ERR("setns: EPERM", setns_(fd, CLONE_NEWUTS), EPERM);
	CHECK_ERR("setns with a wrong type: EINVAL first", setns_(fd, CLONE_NEWNET),
		  EINVAL);
	close(fd);
}

/* As nobody: EPERM, and another's ns link is not to be read (EACCES). */
static void child_nobody(void)
{
	int fd = open("/proc/self/ns/uts", O_RDONLY);
	char buf[64];

	CHECK_OK("setresuid(nobody)", setresuid(65534, 65534, 65534));
	CHECK_ERR("as nobody, unshare(CLONE_NEWUTS): EPERM",
		  syscall(SYS_unshare, CLONE_NEWUTS), EPERM);
	CHECK_ERR("as nobody, setns: EPERM", setns_(fd, 0), EPERM);
	CHECK_ERR("as nobody, readlink /proc/1/ns/uts: EACCES",
		  readlink("/proc/1/ns/uts", buf, sizeof buf), EACCES);
	CHECK_ERR("as nobody, open /proc/1/ns/uts: EACCES",
		  open("/proc/1/ns/uts", O_RDONLY), EACCES);
	close(fd);
}

#define MNT_A "/tmp/abi_ns_a"
#define MNT_B "/tmp/abi_ns_b"

/* Whether /proc/self/mounts lists a mount on @dir. */
static int mounted(const char *dir)
{
	char line[512], want[128];
	FILE *f = fopen("/proc/self/mounts", "r");
	int found = 0;

	snprintf(want, sizeof want, " %s ", dir);
	while (f && fgets(line, sizeof line, f))
		found |= strstr(line, want) != NULL;
	if (f)
		fclose(f);
	return found;
}

static int exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/*
 * unshare(CLONE_NEWNS) in a child: its mount is its own, the parent's
 * later mount is not its; setns back to the parent's namespace. The
 * pipes: the child says it mounted (@up), the parent that it did (@down).
 */
static void test_mnt_unshare(void)
{
	char buf[64], want[64], path[64];
	int pipes[2][2], fd;
	int *up = pipes[0], *down = pipes[1];
	unsigned long mine = ns_ino("/proc/self/ns/mnt");
	struct stat s;
	pid_t c;

	CHECK_OK("stat /proc/self/ns/mnt", stat("/proc/self/ns/mnt", &s));
	snprintf(want, sizeof want, "mnt:[%lu]", (unsigned long)s.st_ino);
	CHECK_STR("/proc/self/ns/mnt reads mnt:[its number]",
		  link_of("/proc/self/ns/mnt", buf, sizeof buf), want);
	CHECK_STR("init's is mnt:[4026531841], as Linux 6.1 boots",
		  link_of("/proc/1/ns/mnt", buf, sizeof buf), "mnt:[4026531841]");
	fd = open("/proc/self/ns/mnt", O_RDONLY);
	CHECK_EQ("NS_GET_NSTYPE of it is CLONE_NEWNS", ioctl(fd, NS_GET_NSTYPE),
		 CLONE_NEWNS);
	CHECK_ERR("setns(mnt fd, CLONE_NEWUTS): EINVAL", setns_(fd, CLONE_NEWUTS),
		  EINVAL);
	close(fd);
	mkdir(MNT_A, 0755);
	mkdir(MNT_B, 0755);
	if (pipe(up) || pipe(down))
		return;
	c = fork();
	if (c == 0) {
		int ok = 1;

		snprintf(path, sizeof path, "/proc/%d/ns/mnt", getppid());
		fd = open(path, O_RDONLY);
		ok &= chdir(MNT_B) == 0;
		ok &= syscall(SYS_unshare, CLONE_NEWNS) == 0;
		ok &= ns_ino("/proc/self/ns/mnt") != mine;
		ok &= mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0;
		ok &= mount("abi_ns", MNT_A, "tmpfs", 0, NULL) == 0;
		ok &= close(open(MNT_A "/child", O_CREAT | O_WRONLY, 0644)) == 0;
		ok &= mounted(MNT_A);
		write(up[1], ok ? "y" : "n", 1);
		read(down[0], buf, 1);
		/* The parent has mounted on MNT_B since. */
		ok = !exists(MNT_B "/parent") && !mounted(MNT_B);
		ok |= 2 * !(getcwd(buf, sizeof buf) && !strcmp(buf, MNT_B));
		ok |= 4 * (setns_(fd, CLONE_NEWNS) != 0);
		ok |= 8 * (ns_ino("/proc/self/ns/mnt") != mine);
		ok |= 16 * !exists(MNT_B "/parent");
		ok |= 32 * exists(MNT_A "/child");
		ok |= 64 * !(getcwd(buf, sizeof buf) && !strcmp(buf, "/"));
		_exit(ok == 1 ? 0 : 100 + ok);
	}
	read(up[0], buf, 1);
	CHECK_STR("child: unshare(CLONE_NEWNS), another ns/mnt, mount tmpfs in it",
		  buf[0] == 'y' ? "y" : "n", "y");
	CHECK("its mount is not the parent's", !mounted(MNT_A));
	CHECK("nor its file", !exists(MNT_A "/child"));
	snprintf(path, sizeof path, "/proc/%d/ns/mnt", c);
	CHECK("its /proc/PID/ns/mnt is another", ns_ino(path) != mine);
	CHECK_OK("the parent mounts tmpfs after the unshare",
		 mount("abi_ns", MNT_B, "tmpfs", 0, NULL));
	close(open(MNT_B "/parent", O_CREAT | O_WRONLY, 0644));
	write(down[1], "x", 1);
	CHECK_EQ("... the child sees neither it nor its file; setns back to the "
		 "parent's: its mounts, the child's gone, cwd at the root",
		 reap(c), 0);
	CHECK_OK("umount the parent's", umount(MNT_B));
	close_pipes(pipes, 2);
}

/*
 * clone(CLONE_NEWNS): an open ns file keeps the child's namespace, its
 * mounts included, after the child is gone.
 */
static void test_mnt_clone(void)
{
	char path[64], buf[8];
	int pipes[2][2], fd;
	int *up = pipes[0], *down = pipes[1];
	pid_t c;

	if (pipe(up) || pipe(down))
		return;
	c = (pid_t)syscall(SYS_clone, CLONE_NEWNS | SIGCHLD, 0, 0, 0, 0);
	if (c == 0) {
		mount("abi_ns", MNT_A, "tmpfs", 0, NULL);
		close(open(MNT_A "/kept", O_CREAT | O_WRONLY, 0644));
		write(up[1], "x", 1);
		read(down[0], buf, 1);
		_exit(0);
	}
	CHECK_OK("clone(CLONE_NEWNS)", c);
	read(up[0], buf, 1);
	snprintf(path, sizeof path, "/proc/%d/ns/mnt", c);
	fd = open(path, O_RDONLY);
	CHECK_OK("open the clone child's ns/mnt", fd);
	write(down[1], "x", 1);
	reap(c);
	c = fork();
	if (c == 0)
		_exit(setns_(fd, CLONE_NEWNS) == 0 && exists(MNT_A "/kept") ? 0 : 1);
	CHECK_EQ("setns into the exited child's namespace: its mount is there", reap(c), 0);
	CHECK("... and not in the parent's", !exists(MNT_A "/kept"));
	c = fork();
	if (c == 0) {
		/* A grandchild sharing our fs context (CLONE_FS) may not. */
		pid_t g = (pid_t)syscall(SYS_clone, CLONE_FS | SIGCHLD, 0, 0, 0, 0);

		if (g == 0)
			_exit(setns_(fd, CLONE_NEWNS) == -1 && errno == EINVAL ? 0 : 1);
		_exit(reap(g) == 0 ? 0 : 1);
	}
	CHECK_EQ("setns(CLONE_NEWNS) with a shared fs context: EINVAL", reap(c), 0);
	close(fd);
	close_pipes(pipes, 2);
}

/* Without CAP_SYS_CHROOT, setns into a mount namespace is EPERM. */
static void child_no_chroot(void)
{
	int fd = open("/proc/self/ns/mnt", O_RDONLY);

	CHECK_OK("capset without CAP_SYS_CHROOT", drop_cap(CAP_SYS_CHROOT));
	CHECK_ERR("setns(CLONE_NEWNS) without CAP_SYS_CHROOT: EPERM",
		  setns_(fd, CLONE_NEWNS), EPERM);
	CHECK_OK("unshare(CLONE_NEWNS) needs only CAP_SYS_ADMIN",
		 syscall(SYS_unshare, CLONE_NEWNS));
	close(fd);
}

int main(void)
{
	TEST_BEGIN(T);
	snprintf(parent_name, sizeof parent_name, "%s", nodename());
	parent_ino = ns_ino("/proc/self/ns/uts");
	test_initial();
	test_ns_file();
	test_unshare();
	test_clone();
	in_child(child_no_admin);
	in_child(child_nobody);
	test_mnt_unshare();
	test_mnt_clone();
	in_child(child_no_chroot);
	return TEST_END();
}
