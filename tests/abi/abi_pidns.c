/* abi_pidns.c - PID namespaces as Linux 6.1: the initial one's /proc/PID/ns/pid and pid_for_children links (text, nsfs inode number, mode), its nsfs file's ioctls (NS_GET_NSTYPE, NS_GET_PARENT) and setns(2) into it; clone and unshare with CLONE_NEWPID (PID 1, getppid 0, numbers seen from outside, NSpid, wait and SIGCHLD's si_pid, init's immunity to signals without handlers, orphans adopted by it, every task killed when it ends and ENOMEM for forks after, a /proc mounted inside), and the errors (EINVAL, EPERM). */
#include "check.h"
#include "ns_util.h"
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <dirent.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/shm.h>

#define T "abi_pidns"
#define INIT_PID_INO 4026531836UL

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
	int fd = open("/proc/self/ns/pid", O_RDONLY);

	CHECK_OK("capset without CAP_SYS_ADMIN", drop_cap(CAP_SYS_ADMIN));
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

/* fork() by the raw system call, with @flags (SIGCHLD added). */
static pid_t clone_(unsigned long flags)
{
	return (pid_t)syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
}

/* The NSpid line of /proc/@pid/status ("" if none) into @buf. */
static const char *nspid(pid_t pid, char *buf, size_t len)
{
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	buf[0] = '\0';
	f = fopen(path, "r");
	if (!f)
		return buf;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "NSpid:", 6)) {
			size_t n = strcspn(line + 6, "\n");

			n = n < len ? n : len - 1;
			memcpy(buf, line + 6, n);
			buf[n] = '\0';
		}
	fclose(f);
	return buf;
}

static volatile sig_atomic_t got_usr1;

static void on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
}

/* Inside a new namespace, as its PID 1. */
static void child_init(void)
{
	char buf[64], own[64];
	int fd, st;
	pid_t g;

	CHECK_EQ("getpid() in a new PID namespace is 1", getpid(), 1);
	CHECK_EQ("gettid() is 1", syscall(SYS_gettid), 1);
	CHECK_EQ("getppid() is 0: the parent is outside", getppid(), 0);
	CHECK_EQ("getpgrp() is 0: its group's leader is outside", getpgrp(), 0);
	CHECK_EQ("getsid(0) is 0 likewise", getsid(0), 0);
	CHECK_EQ("setsid() makes it leader of session 1", setsid(), 1);
	CHECK_EQ("... getpgrp() 1", getpgrp(), 1);
	CHECK_EQ("... getsid(1) 1", getsid(1), 1);
	link_of("/proc/self/ns/pid", own, sizeof own);
	CHECK("its ns/pid differs from the initial one",
	      strcmp(own, "pid:[4026531836]") && !strncmp(own, "pid:[", 5));
	CHECK_STR("pid_for_children is the same namespace",
		  link_of("/proc/self/ns/pid_for_children", buf, sizeof buf), own);
	fd = open("/proc/self/ns/pid", O_RDONLY);
	CHECK_ERR("NS_GET_PARENT from inside: EPERM (not visible)",
		  ioctl(fd, NS_GET_PARENT), EPERM);
	close(fd);
	CHECK_OK("kill(1, SIGTERM) by init itself", kill(1, SIGTERM));
	CHECK_OK("kill(1, SIGKILL) by init itself", kill(1, SIGKILL));
	CHECK("... both ignored: no handler, sent from inside", 1);
	signal(SIGUSR1, on_usr1);
	CHECK_OK("kill(1, SIGUSR1) with a handler", kill(1, SIGUSR1));
	CHECK("... delivered", got_usr1);
	g = clone_(0);
	if (g == 0)
		_exit(getpid() == 2 && getppid() == 1 ? 0 : 1);
	CHECK_EQ("its first child is PID 2", g, 2);
	CHECK_EQ("wait4 returns 2", waitpid(g, &st, 0), 2);
	CHECK_EQ("... which saw getpid 2, getppid 1",
		 WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0);
	CHECK_ERR("kill of a number not in the namespace: ESRCH",
		  kill(4000000, 0), ESRCH);
	CHECK_ERR("clone(CLONE_PARENT) by a namespace's init: EINVAL",
		  clone_(CLONE_PARENT), EINVAL);
}

/* An orphan inside is adopted by the namespace's init, not by init(1). */
static void child_orphan(void)
{
	int p[2], st;
	pid_t b, c = -1;

	CHECK_OK("pipe", pipe(p));
	b = clone_(0);
	if (b == 0) {
		pid_t gc = clone_(0);

		if (gc == 0) {
			for (int i = 0; i < 500 && getppid() != 1; i++)
				usleep(10000);
			_exit(getppid() == 1 ? 0 : 1);
		}
		if (write(p[1], &gc, sizeof gc) != sizeof gc)
			_exit(2);
		_exit(0);
	}
	CHECK_EQ("the middle process ends", waitpid(b, &st, 0), b);
	CHECK_EQ("... it told its child's number",
		 read(p[0], &c, sizeof c), sizeof c);
	CHECK_EQ("the orphan is the init's child now: wait4 gets it",
		 waitpid(c, &st, 0), c);
	CHECK_EQ("... and it saw getppid() 1", WIFEXITED(st) ? WEXITSTATUS(st) : -1,
		 0);
	close(p[0]);
	close(p[1]);
}

/* A /proc mounted inside lists the namespace's numbers. */
static void child_proc(void)
{
	char buf[64];
	DIR *d;
	struct dirent *e;
	int n = 0, one = 0;

	CHECK_OK("make / private", mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
	CHECK_OK("mount a proc of its own", mount("proc", "/proc", "proc", 0, NULL));
	CHECK_STR("/proc/self reads 1", link_of("/proc/self", buf, sizeof buf), "1");
	CHECK_STR("/proc/thread-self reads 1/task/1",
		  link_of("/proc/thread-self", buf, sizeof buf), "1/task/1");
	CHECK_STR("its NSpid is 1", nspid(1, buf, sizeof buf), "\t1");
	d = opendir("/proc");
	while (d && (e = readdir(d))) {
		if (e->d_name[0] >= '0' && e->d_name[0] <= '9') {
			n++;
			one |= !strcmp(e->d_name, "1");
		}
	}
	if (d)
		closedir(d);
	CHECK("/proc lists only PID 1", n == 1 && one);
	CHECK_ERR("no /proc/2", access("/proc/2", F_OK), ENOENT);
	d = opendir("/proc/1/task");
	n = 0;
	while (d && (e = readdir(d)))
		n += e->d_name[0] == '1' && !e->d_name[1];
	if (d)
		closedir(d);
	CHECK_EQ("/proc/1/task lists 1", n, 1);
}

/* Run @fn in a child made with CLONE_NEWPID | @more; its failures count. */
static pid_t in_new_ns(void (*fn)(void), unsigned long more, int *status)
{
	pid_t c = clone_(CLONE_NEWPID | more);

	if (c == 0) {
		fn();
		_exit(check_fails ? 1 : 0);
	}
	if (c < 0) {
		CHECK_OK("clone(CLONE_NEWPID)", c);
		return c;
	}
	if (waitpid(c, status, 0) != c)
		*status = -1;
	return c;
}

static void test_clone(void)
{
	int st;
	pid_t c;

	c = in_new_ns(child_init, 0, &st);
	CHECK_EQ("the namespace's init passed its checks",
		 WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0);
	CHECK("clone returned its number outside", c > 1);
	in_new_ns(child_orphan, 0, &st);
	CHECK_EQ("orphans went to the namespace's init",
		 WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0);
	in_new_ns(child_proc, CLONE_NEWNS, &st);
	CHECK_EQ("the namespace's own /proc",
		 WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0);
	CHECK_ERR("CLONE_NEWPID with CLONE_THREAD: EINVAL",
		  syscall(SYS_clone, CLONE_NEWPID | CLONE_THREAD | CLONE_SIGHAND |
			  CLONE_VM, 0, 0, 0, 0), EINVAL);
}

/*
 * In a child: setns into the namespace of @fd's file; the next fork goes
 * there, as its PID 2 (its PID 1 is alive), its parent not seen.
 */
static void setns_child(int fd)
{
	char want[64], buf[64], path[64];
	pid_t c = fork(), g;
	int st, bad = 0;

	if (c == 0) {
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
		link_of(path, want, sizeof want);
		if (setns_(fd, CLONE_NEWPID))
			_exit(10);
		if (strcmp(link_of("/proc/self/ns/pid_for_children", buf, sizeof buf),
			   want))
			bad |= 1;
		g = clone_(0);
		if (g == 0)
			_exit(getpid() == 2 && getppid() == 0 ? 0 : 1);
		if (g <= 0 || waitpid(g, &st, 0) != g || !WIFEXITED(st) ||
		    WEXITSTATUS(st))
			bad |= 2;
		if (setns_(fd, CLONE_NEWPID) || strcmp(link_of("/proc/self/ns/pid",
							      buf, sizeof buf), want) == 0)
			bad |= 4;	/* its own pid's namespace stays */
		_exit(bad);
	}
	CHECK_EQ("setns into the child's namespace: the next fork is its PID 2",
		 waitpid(c, &st, 0) == c && WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0);
}

/* Seen from outside: numbers, NSpid, the parent link, signals, wait. */
static void test_outside(void)
{
	char buf[64], exp[64], path[64];
	struct stat me, ch, par;
	siginfo_t si;
	int p[2], fd, myfd, pfd;
	pid_t c;
	char x;

	CHECK_OK("pipe", pipe(p));
	c = clone_(CLONE_NEWPID);
	if (c == 0) {
		close(p[1]);
		/* Wait for the parent's look, then end by a signal or not. */
		if (read(p[0], &x, 1) != 1)
			_exit(3);
		_exit(7);
	}
	close(p[0]);
	snprintf(exp, sizeof exp, "\t%d\t1", (int)c);
	CHECK_STR("its NSpid from outside: both numbers", nspid(c, buf, sizeof buf),
		  exp);
	snprintf(path, sizeof path, "/proc/%d/ns/pid", (int)c);
	fd = open(path, O_RDONLY);
	myfd = open("/proc/self/ns/pid", O_RDONLY);
	CHECK_OK("open the child's ns/pid", fd);
	CHECK_EQ("NS_GET_NSTYPE of it", ioctl(fd, NS_GET_NSTYPE), CLONE_NEWPID);
	pfd = ioctl(fd, NS_GET_PARENT);
	CHECK_OK("NS_GET_PARENT of the child's namespace", pfd);
	fstat(myfd, &me);
	fstat(fd, &ch);
	fstat(pfd, &par);
	CHECK("... is the caller's namespace", par.st_ino == me.st_ino &&
	      par.st_dev == me.st_dev);
	CHECK("... not the child's", ch.st_ino != me.st_ino);
	CHECK_EQ("... a close-on-exec descriptor", fcntl(pfd, F_GETFD), FD_CLOEXEC);
	CHECK_ERR("NS_GET_PARENT of the initial namespace: EPERM",
		  ioctl(pfd, NS_GET_PARENT), EPERM);
	CHECK_ERR("setns into the child's namespace needs CLONE_NEWPID: EINVAL",
		  setns_(fd, CLONE_NEWUTS), EINVAL);
	setns_child(fd);
	CHECK_OK("kill(child, SIGTERM): accepted", kill(c, SIGTERM));
	CHECK_OK("kill(child, SIGUSR1)", kill(c, SIGUSR1));
	usleep(50000);
	CHECK_EQ("... both dropped: no handler, a namespace's init",
		 waitpid(c, NULL, WNOHANG), 0);
	CHECK_EQ("write to it", write(p[1], "x", 1), 1);
	memset(&si, 0, sizeof si);
	CHECK_OK("waitid(P_PID, child)", waitid(P_PID, c, &si, WEXITED));
	CHECK_EQ("... si_pid is its number outside", si.si_pid, c);
	CHECK_EQ("... si_status 7", si.si_status, 7);
	close(p[1]);
	close(fd);
	close(myfd);
	close(pfd);
}

/* The pid of SCM_CREDENTIALS from @fd's next message (-1 if none). */
static pid_t recv_cred_pid(int fd)
{
	char data[8], cbuf[CMSG_SPACE(sizeof(struct ucred))];
	struct iovec iov = { data, sizeof data };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf, .msg_controllen = sizeof cbuf };
	struct cmsghdr *cm;
	struct ucred uc;

	if (recvmsg(fd, &m, 0) < 0)
		return -1;
	cm = CMSG_FIRSTHDR(&m);
	if (!cm || cm->cmsg_type != SCM_CREDENTIALS)
		return -1;
	memcpy(&uc, CMSG_DATA(cm), sizeof uc);
	return uc.pid;
}

/* SCM_CREDENTIALS and SO_PEERCRED name the peer as the reader sees it. */
static void test_creds(void)
{
	int sv[2], on = 1, st;
	struct ucred uc;
	socklen_t len = sizeof uc;
	pid_t c;

	CHECK_OK("socketpair", socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
	setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
	c = clone_(CLONE_NEWPID);
	if (c == 0) {
		int bad = 0;

		if (getsockopt(sv[1], SOL_SOCKET, SO_PEERCRED, &uc, &len) ||
		    uc.pid != 0)
			bad |= 1;	/* the pair's maker is outside */
		if (send(sv[1], "x", 1, 0) != 1)
			bad |= 2;
		if (recv_cred_pid(sv[1]) != 0)
			bad |= 4;	/* the sender is outside: 0 */
		_exit(bad);
	}
	CHECK_EQ("the child's message names it by its outer number",
		 recv_cred_pid(sv[0]), c);
	CHECK_EQ("send to the child", send(sv[0], "y", 1, 0), 1);
	CHECK_EQ("... inside, SO_PEERCRED and the sender's pid are 0",
		 waitpid(c, &st, 0) == c && WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0);
	close(sv[0]);
	close(sv[1]);
}

/*
 * A System V segment's creator and a file's owner, set inside, read as 1
 * there and as the init's outer number outside.
 */
static void test_ipc_owner(void)
{
	int p[2], q[2], id = -1, st;
	struct shmid_ds ds;
	pid_t c;
	char x = 0;

	CHECK_OK("pipes", pipe(p) | pipe(q));
	c = clone_(CLONE_NEWPID);
	if (c == 0) {
		int bad = 0;

		id = shmget(IPC_PRIVATE, 4096, 0600);
		if (id < 0 || shmctl(id, IPC_STAT, &ds) || ds.shm_cpid != 1)
			bad |= 1;
		if (fcntl(q[0], F_SETOWN, 1) || fcntl(q[0], F_GETOWN) != 1)
			bad |= 2;
		if (write(p[1], &id, sizeof id) != sizeof id ||
		    read(q[0], &x, 1) != 1)
			bad |= 4;
		_exit(bad);
	}
	CHECK_EQ("the child made a segment", read(p[0], &id, sizeof id), sizeof id);
	CHECK_OK("IPC_STAT outside", shmctl(id, IPC_STAT, &ds));
	CHECK_EQ("... shm_cpid is its number outside", ds.shm_cpid, c);
	CHECK_EQ("F_GETOWN outside names it by its outer number",
		 fcntl(q[0], F_GETOWN), c);
	CHECK_EQ("write to it", write(q[1], "x", 1), 1);
	CHECK_EQ("... inside, shm_cpid and F_GETOWN were 1",
		 waitpid(c, &st, 0) == c && WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0);
	shmctl(id, IPC_RMID, NULL);
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
}

/* unshare(CLONE_NEWPID): the caller stays; its next child is PID 1. */
static void child_unshare(void)
{
	char own[64], buf[64];
	int st;
	pid_t me = getpid(), a, b;

	link_of("/proc/self/ns/pid", own, sizeof own);
	CHECK_OK("unshare(CLONE_NEWPID)", syscall(SYS_unshare, CLONE_NEWPID));
	CHECK_EQ("getpid() is unchanged", getpid(), me);
	CHECK_STR("ns/pid is unchanged", link_of("/proc/self/ns/pid", buf, sizeof buf),
		  own);
	CHECK_ERR("pid_for_children before a fork: ENOENT",
		  readlink("/proc/self/ns/pid_for_children", buf, sizeof buf), ENOENT);
	CHECK_ERR("unshare(CLONE_NEWPID) again: EINVAL",
		  syscall(SYS_unshare, CLONE_NEWPID), EINVAL);
	CHECK_ERR("clone(CLONE_NEWPID) now: EINVAL", clone_(CLONE_NEWPID), EINVAL);
	a = clone_(0);
	if (a == 0) {
		pid_t g = clone_(0);

		if (g == 0) {
			pause();
			_exit(0);
		}
		_exit(getpid() == 1 && g == 2 ? 5 : 6);
	}
	CHECK("the first child has a number outside", a > 0);
	CHECK("pid_for_children is there now and differs",
	      link_of("/proc/self/ns/pid_for_children", buf, sizeof buf)[0] &&
	      strcmp(buf, own));
	CHECK_EQ("it ends: wait4", waitpid(a, &st, 0), a);
	CHECK_EQ("... it was PID 1 and its child PID 2",
		 WIFEXITED(st) ? WEXITSTATUS(st) : -1, 5);
	CHECK_ERR("its child was killed with it: no child left",
		  waitpid(-1, &st, WNOHANG), ECHILD);
	b = clone_(0);
	if (b == 0)
		_exit(0);
	CHECK_EQ("fork into the namespace after its init ended: ENOMEM",
		 b == -1 ? errno : 0, ENOMEM);
}

/* The namespace's processes are killed when its init ends. */
static void test_init_end(void)
{
	char path[64], line[64];
	int p[2], st;
	pid_t c, g = 0;
	FILE *f;

	CHECK_OK("pipe", pipe(p));
	c = clone_(CLONE_NEWPID);
	if (c == 0) {
		pid_t k = clone_(0);
		char x;

		if (k == 0) {
			close(p[1]);
			signal(SIGTERM, SIG_IGN);
			pause();
			_exit(0);
		}
		close(p[1]);
		if (read(p[0], &x, 1) < 0)
			_exit(2);
		_exit(0);		/* init ends, k has not */
	}
	close(p[0]);
	usleep(100000);
	snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)c, (int)c);
	f = fopen(path, "r");
	if (f) {
		if (fgets(line, sizeof line, f))
			g = (pid_t)atoi(line);
		fclose(f);
	}
	CHECK("its child is listed from outside under its outer number", g > c);
	close(p[1]);
	CHECK_EQ("the init ends", waitpid(c, &st, 0), c);
	CHECK_ERR("its child is gone by then", kill(g, 0), ESRCH);
}

/* New namespaces below @depth until one is refused: its depth. */
static int nest(int depth)
{
	int st;
	pid_t c = clone_(CLONE_NEWPID);

	if (c < 0)
		return errno == ENOSPC ? depth : 200;
	if (c == 0)
		_exit(nest(depth + 1));
	if (waitpid(c, &st, 0) != c || !WIFEXITED(st))
		return 201;
	return WEXITSTATUS(st);
}

/* Without CAP_SYS_ADMIN: EPERM for unshare and clone. */
static void child_no_admin_new(void)
{
	struct cap_hdr h = { V3, 0 };
	struct cap_data d[2] = { { 0 } };

	syscall(SYS_capget, &h, d);
	d[0].eff &= ~(1u << CAP_SYS_ADMIN);
	CHECK_OK("capset without CAP_SYS_ADMIN", syscall(SYS_capset, &h, d));
	CHECK_ERR("unshare(CLONE_NEWPID) without CAP_SYS_ADMIN: EPERM",
		  syscall(SYS_unshare, CLONE_NEWPID), EPERM);
	CHECK_ERR("clone(CLONE_NEWPID) without CAP_SYS_ADMIN: EPERM",
		  clone_(CLONE_NEWPID), EPERM);
}

int main(void)
{
	TEST_BEGIN(T);
	test_links();
	test_file();
	in_child(child_no_admin);
	in_child(child_nobody);
	test_clone();
	test_outside();
	test_creds();
	test_ipc_owner();
	in_child(child_unshare);
	test_init_end();
	CHECK_EQ("PID namespaces nest 32 deep below the initial one, then ENOSPC",
		 nest(0), 32);
	in_child(child_no_admin_new);
	return TEST_END();
}
