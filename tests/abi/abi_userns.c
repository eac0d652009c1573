/* abi_userns.c - user namespaces as Linux 6.1: unshare and clone with CLONE_NEWUSER (as root and unprivileged), the ids seen before and after uid_map/gid_map are written (65534 unmapped), the map files' format and write rules (once, one line of one's own id, setgroups "deny" before an unprivileged gid_map, 340 lines, EINVAL/EPERM), setuid/setgroups within the namespace, the full capability set in the new namespace and none over the parent's, capabilities lost by exec as a non-root uid, UTS and mount namespaces owned by a new user namespace (sethostname, tmpfs), nesting (33 levels, ENOSPC), the refusals (CLONE_FS, CLONE_THREAD, threads, chroot, an unmapped creator), /proc/PID/ns/user, setns, and NS_GET_USERNS, NS_GET_PARENT, NS_GET_OWNER_UID. */
#include "check.h"
#include "ns_util.h"
#include <sched.h>
#include <pthread.h>
#include <grp.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#define T "abi_userns"
#define NS_GET_USERNS 0xb701
#define INIT_USER_INO 4026531837UL
#define NOBODY 65534
#define UNPRIV 1000

/* The file @path's content (at most @len - 1 bytes) or "" on error. */
static const char *text_of(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, len - 1);

	if (fd >= 0)
		close(fd);
	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

/* Write @s to @path in one write: 0, or -1 with errno. */
static int put(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), e;
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	e = errno;
	close(fd);
	errno = e;
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/* Write @s to file @what of process @pid ("self" for 0). */
static int put_pid(pid_t pid, const char *what, const char *s)
{
	char path[64];

	if (pid)
		snprintf(path, sizeof path, "/proc/%d/%s", pid, what);
	else
		snprintf(path, sizeof path, "/proc/self/%s", what);
	return put(path, s);
}

/* The effective and permitted sets' two words (capget of self). */
static void caps(unsigned eff[2], unsigned prm[2])
{
	struct cap_hdr h = { V3, 0 };
	struct cap_data d[2] = { { 0 } };

	syscall(SYS_capget, &h, d);
	eff[0] = d[0].eff;
	eff[1] = d[1].eff;
	prm[0] = d[0].prm;
	prm[1] = d[1].prm;
}

static int full_caps(void)
{
	unsigned eff[2], prm[2];

	caps(eff, prm);
	return eff[0] == 0xffffffffu && eff[1] == 0x1ffu && prm[0] == eff[0] &&
	       prm[1] == eff[1];
}

static int no_caps(void)
{
	unsigned eff[2], prm[2];

	caps(eff, prm);
	return !eff[0] && !eff[1] && !prm[0] && !prm[1];
}

/*
 * Become uid and gid UNPRIV, with no groups, dumpable again (so that
 * /proc/self is its own to write): 0 or -1.
 */
static int drop_to_unpriv(void)
{
	return setgroups(0, NULL) || setgid(UNPRIV) || setuid(UNPRIV) ||
	       prctl(PR_SET_DUMPABLE, 1) ? -1 : 0;
}

/* The inode number of open file @fd (0 if it is not one). */
static unsigned long fd_ino(int fd)
{
	struct stat st;

	return fd < 0 || fstat(fd, &st) ? 0 : (unsigned long)st.st_ino;
}

/* The initial namespace: its link, number, owner and parent. */
static void test_initial(void)
{
	char buf[64];
	uid_t owner = 77;
	int fd = open("/proc/self/ns/user", O_RDONLY), p;

	CHECK_STR("/proc/self/ns/user reads user:[4026531837]",
		  link_of("/proc/self/ns/user", buf, sizeof buf), "user:[4026531837]");
	CHECK_EQ("... its nsfs inode", ns_ino("/proc/self/ns/user"), INIT_USER_INO);
	CHECK_OK("open it", fd);
	CHECK_EQ("NS_GET_NSTYPE: CLONE_NEWUSER", ioctl(fd, NS_GET_NSTYPE), CLONE_NEWUSER);
	CHECK_OK("NS_GET_OWNER_UID", ioctl(fd, NS_GET_OWNER_UID, &owner));
	CHECK_EQ("... the initial namespace's owner is 0", owner, 0);
	CHECK_ERR("NS_GET_PARENT of the initial one: EPERM", ioctl(fd, NS_GET_PARENT), EPERM);
	CHECK_ERR("NS_GET_USERNS of the initial one: EPERM", ioctl(fd, NS_GET_USERNS), EPERM);
	CHECK_ERR("setns into one's own user namespace: EINVAL", setns_(fd, CLONE_NEWUSER),
		  EINVAL);
	close(fd);
	fd = open("/proc/self/ns/uts", O_RDONLY);
	p = ioctl(fd, NS_GET_USERNS);
	CHECK_OK("NS_GET_USERNS of the initial UTS namespace", p);
	CHECK_EQ("... is the initial user namespace", fd_ino(p), INIT_USER_INO);
	CHECK_ERR("NS_GET_OWNER_UID of a UTS namespace: EINVAL",
		  ioctl(fd, NS_GET_OWNER_UID, &owner), EINVAL);
	close(p);
	close(fd);
}

/* As root: unshare, the ids before and after the maps, and their rules. */
static void child_root_unshare(void)
{
	char buf[128];
	struct stat st;
	gid_t g;

	CHECK_OK("root: unshare(CLONE_NEWUSER)", syscall(SYS_unshare, CLONE_NEWUSER));
	CHECK("... a new ns/user", ns_ino("/proc/self/ns/user") != INIT_USER_INO);
	CHECK_EQ("... getuid: 65534 unmapped", getuid(), NOBODY);
	CHECK_EQ("... geteuid: 65534", geteuid(), NOBODY);
	CHECK_EQ("... getgid: 65534", getgid(), NOBODY);
	CHECK("... every capability in it", full_caps());
	CHECK_OK("stat /", stat("/", &st));
	CHECK("... owner and group read 65534", st.st_uid == NOBODY && st.st_gid == NOBODY);
	CHECK_STR("... uid_map is empty", text_of("/proc/self/uid_map", buf, sizeof buf), "");
	CHECK_STR("... setgroups: allow", text_of("/proc/self/setgroups", buf, sizeof buf),
		  "allow\n");
	CHECK_ERR("... setuid(0) before a map: EINVAL", setuid(0), EINVAL);
	CHECK_ERR("... sethostname in the parent's UTS namespace: EPERM",
		  sethostname("x", 1), EPERM);
	CHECK_ERR("uid_map \"0 0\": EINVAL", put_pid(0, "uid_map", "0 0\n"), EINVAL);
	CHECK_ERR("uid_map with a zero count: EINVAL", put_pid(0, "uid_map", "0 0 0\n"),
		  EINVAL);
	CHECK_ERR("uid_map with junk: EINVAL", put_pid(0, "uid_map", "0 0 1 x\n"), EINVAL);
	CHECK_ERR("uid_map that wraps: EINVAL",
		  put_pid(0, "uid_map", "4294967290 0 10\n"), EINVAL);
	CHECK_ERR("uid_map of two lines, no CAP_SETUID over the parent: EPERM",
		  put_pid(0, "uid_map", "0 0 1\n1 1 1\n"), EPERM);
	CHECK_ERR("uid_map of another's uid: EPERM", put_pid(0, "uid_map", "0 5 1\n"), EPERM);
	CHECK_OK("uid_map \"0 0 1\" (its own euid)", put_pid(0, "uid_map", "0 0 1\n"));
	CHECK_STR("... reads back in Linux's format", text_of("/proc/self/uid_map", buf, sizeof buf),
		  "         0          0          1\n");
	CHECK_ERR("... a second write: EPERM", put_pid(0, "uid_map", "0 0 1\n"), EPERM);
	CHECK_EQ("... getuid: 0", getuid(), 0);
	CHECK_ERR("gid_map before setgroups deny: EPERM", put_pid(0, "gid_map", "0 0 1\n"),
		  EPERM);
	CHECK_ERR("setgroups \"maybe\": EINVAL", put_pid(0, "setgroups", "maybe"), EINVAL);
	CHECK_OK("setgroups \"deny\"", put_pid(0, "setgroups", "deny"));
	CHECK_STR("... reads deny", text_of("/proc/self/setgroups", buf, sizeof buf), "deny\n");
	CHECK_ERR("... \"allow\" again: EPERM", put_pid(0, "setgroups", "allow"), EPERM);
	CHECK_OK("gid_map \"0 0 1\" (its own egid)", put_pid(0, "gid_map", "0 0 1\n"));
	CHECK_EQ("... getgid: 0", getgid(), 0);
	CHECK_ERR("setgroups(2) after deny: EPERM", setgroups(0, NULL), EPERM);
	CHECK_EQ("getgroups: the unmapped groups read 65534", getgroups(0, NULL), 0);
	CHECK_ERR("setuid(5), not mapped: EINVAL", setuid(5), EINVAL);
	CHECK_ERR("setgid(5), not mapped: EINVAL", setgid(5), EINVAL);
	CHECK_OK("setuid(0)", setuid(0));
	CHECK_OK("stat /", stat("/", &st));
	CHECK("... now owned by 0", st.st_uid == 0 && st.st_gid == 0);
	CHECK_ERR("chown to an unmapped uid: EINVAL", chown("/", 5, -1), EINVAL);
	CHECK_ERR("mount tmpfs in the parent's mount namespace: EPERM",
		  mount("none", "/tmp", "tmpfs", 0, NULL), EPERM);
	g = 0;
	CHECK_ERR("setgroups(1, {0}) after deny: EPERM", setgroups(1, &g), EPERM);
}

static void test_root_unshare(void)
{
	in_child(child_root_unshare);
}

/* A child in a new user namespace that waits for its parent's maps. */
struct waiter {
	pid_t pid;
	int go[2], done[2];
};

static void waiter_start(struct waiter *w, void (*fn)(int go, int done), int flags)
{
	int ready[2];
	char c;

	if (pipe(w->go) || pipe(w->done) || pipe(ready))
		return;
	w->pid = fork();
	if (w->pid == 0) {
		int ok = syscall(SYS_unshare, flags) == 0;

		CHECK("waiter: unshare", ok);
		write(ready[1], "r", 1);
		fn(w->go[0], w->done[1]);
		_exit(check_fails ? 1 : 0);
	}
	read(ready[0], &c, 1);
	close(ready[0]);
	close(ready[1]);
}

static void waiter_go(struct waiter *w)
{
	write(w->go[1], "g", 1);
}

static void waiter_wait(struct waiter *w)
{
	char c;

	read(w->done[0], &c, 1);
}

static void waiter_end(struct waiter *w)
{
	waiter_go(w);
	if (reap(w->pid))
		check_fails++;
	close(w->go[0]);
	close(w->go[1]);
	close(w->done[0]);
	close(w->done[1]);
}

/* Mapped by its parent 0-> UNPRIV, 5 -> UNPRIV+5: setuid and exec rules. */
static void mapped_child(int go, int done)
{
	char c, buf[128];
	unsigned eff[2], prm[2];

	read(go, &c, 1);
	CHECK_EQ("mapped: getuid of kernel uid 0: 65534", getuid(), NOBODY);
	CHECK_STR("mapped: its uid_map seen from inside",
		  text_of("/proc/self/uid_map", buf, sizeof buf),
		  "         0       1000          1\n         5       1005          1\n");
	CHECK_OK("mapped: setresuid(0, 0, 0)", setresuid(0, 0, 0));
	CHECK_OK("mapped: setresgid(0, 0, 0)", setresgid(0, 0, 0));
	CHECK_OK("mapped: setgroups(0) (allowed, a gid map)", setgroups(0, NULL));
	CHECK_EQ("mapped: getuid 0", getuid(), 0);
	CHECK("mapped: root keeps every capability", full_caps());
	write(done, "d", 1);
	read(go, &c, 1);
	CHECK_OK("mapped: setuid(5)", setuid(5));
	CHECK_EQ("mapped: getuid 5", getuid(), 5);
	caps(eff, prm);
	CHECK("mapped: a non-root uid loses its capabilities", !eff[0] && !prm[0]);
	CHECK_ERR("mapped: setuid(0) back: EPERM", setuid(0), EPERM);
	CHECK_ERR("mapped: setuid(6), not mapped: EINVAL", setuid(6), EINVAL);
	write(done, "d", 1);
}

static void test_parent_maps(void)
{
	struct waiter w;
	char path[64], buf[160];
	int fd, p;
	uid_t owner = 77;

	waiter_start(&w, mapped_child, CLONE_NEWUSER);
	snprintf(path, sizeof path, "/proc/%d/ns/user", w.pid);
	CHECK("another process's ns/user names its namespace",
	      ns_ino(path) && ns_ino(path) != INIT_USER_INO);
	CHECK_ERR("overlapping uid_map lines: EINVAL",
		  put_pid(w.pid, "uid_map", "0 1000 2\n1 2000 1\n"), EINVAL);
	CHECK_ERR("overlapping lower ids: EINVAL",
		  put_pid(w.pid, "uid_map", "0 1000 2\n5 1001 1\n"), EINVAL);
	CHECK_OK("the parent (CAP_SETUID) writes two uid_map lines",
		 put_pid(w.pid, "uid_map", "0 1000 1\n5 1005 1\n"));
	snprintf(path, sizeof path, "/proc/%d/uid_map", w.pid);
	CHECK_STR("... read back by the parent", text_of(path, buf, sizeof buf),
		  "         0       1000          1\n         5       1005          1\n");
	CHECK_OK("the parent writes gid_map, setgroups still allowed",
		 put_pid(w.pid, "gid_map", "0 1000 1\n5 1005 1\n"));
	CHECK_OK("projid_map, anyone's to write", put_pid(w.pid, "projid_map", "0 0 100\n"));
	snprintf(path, sizeof path, "/proc/%d/projid_map", w.pid);
	CHECK_STR("... reads back", text_of(path, buf, sizeof buf),
		  "         0          0        100\n");
	snprintf(path, sizeof path, "/proc/%d/ns/user", w.pid);
	fd = open(path, O_RDONLY);
	CHECK_OK("NS_GET_OWNER_UID of the child's", ioctl(fd, NS_GET_OWNER_UID, &owner));
	CHECK_EQ("... root made it", owner, 0);
	p = ioctl(fd, NS_GET_PARENT);
	CHECK_OK("NS_GET_PARENT of the child's", p);
	CHECK_EQ("... is the initial namespace", fd_ino(p), INIT_USER_INO);
	close(p);
	close(fd);
	waiter_go(&w);
	waiter_wait(&w);
	snprintf(path, sizeof path, "/proc/%d/status", w.pid);
	text_of(path, buf, sizeof buf);
	CHECK("the child's status shows kernel uid 1000", strstr(buf, "Uid:\t1000\t1000\t1000\t1000"));
	waiter_go(&w);
	waiter_wait(&w);
	waiter_end(&w);
}

/* Unprivileged (uid 1000): unshare, its own one-line maps, and what it owns. */
static void child_unpriv(void)
{
	int fd;
	uid_t owner = 77;

	CHECK_OK("drop to uid 1000", drop_to_unpriv());
	CHECK_ERR("unprivileged: unshare(CLONE_NEWUTS): EPERM",
		  syscall(SYS_unshare, CLONE_NEWUTS), EPERM);
	CHECK_OK("unprivileged: unshare(CLONE_NEWUSER|CLONE_NEWUTS|CLONE_NEWNS)",
		 syscall(SYS_unshare, CLONE_NEWUSER | CLONE_NEWUTS | CLONE_NEWNS));
	CHECK("... every capability in the new namespace", full_caps());
	CHECK_ERR("uid_map mapping the parent's root: EPERM",
		  put_pid(0, "uid_map", "0 0 1\n"), EPERM);
	CHECK_ERR("uid_map of a range: EPERM", put_pid(0, "uid_map", "0 1000 2\n"), EPERM);
	CHECK_OK("uid_map \"0 1000 1\"", put_pid(0, "uid_map", "0 1000 1\n"));
	CHECK_ERR("gid_map before deny: EPERM", put_pid(0, "gid_map", "0 1000 1\n"), EPERM);
	CHECK_OK("setgroups deny", put_pid(0, "setgroups", "deny\n"));
	CHECK_ERR("gid_map of another gid: EPERM", put_pid(0, "gid_map", "0 0 1\n"), EPERM);
	CHECK_OK("gid_map \"0 1000 1\"", put_pid(0, "gid_map", "0 1000 1\n"));
	CHECK("getuid, geteuid, getgid: 0", getuid() == 0 && geteuid() == 0 && getgid() == 0);
	CHECK_OK("sethostname in the UTS namespace it owns", sethostname("userns", 6));
	CHECK_OK("mount tmpfs in the mount namespace it owns",
		 mount("none", "/tmp", "tmpfs", 0, NULL));
	CHECK_OK("... and create a file there", fd = open("/tmp/f", O_CREAT | O_WRONLY, 0600));
	close(fd);
	CHECK_ERR("mount an unknown filesystem type: ENODEV",
		  mount("none", "/tmp", "nosuchfs", 0, NULL), ENODEV);
	CHECK_ERR("mount devtmpfs, not for user namespaces: EPERM",
		  mount("none", "/tmp", "devtmpfs", 0, NULL), EPERM);
	CHECK_ERR("mount proc, its PID namespace the parent's: EPERM",
		  mount("proc", "/tmp", "proc", 0, NULL), EPERM);
	CHECK_OK("umount the tmpfs", umount("/tmp"));
	fd = open("/proc/self/ns/user", O_RDONLY);
	CHECK_OK("NS_GET_OWNER_UID", ioctl(fd, NS_GET_OWNER_UID, &owner));
	CHECK_EQ("... 0: the owner 1000 as this namespace names it", owner, 0);
	CHECK_ERR("NS_GET_PARENT: the parent is above: EPERM", ioctl(fd, NS_GET_PARENT), EPERM);
	close(fd);
	fd = open("/proc/self/ns/uts", O_RDONLY);
	CHECK_EQ("NS_GET_USERNS of its UTS namespace is its user namespace",
		 fd_ino(ioctl(fd, NS_GET_USERNS)), ns_ino("/proc/self/ns/user"));
	close(fd);
	CHECK_OK("a namespace below it", syscall(SYS_unshare, CLONE_NEWUSER));
	CHECK_EQ("... where it is 65534 again", getuid(), NOBODY);
	CHECK_ERR("... and, unmapped, may not make another: EPERM",
		  syscall(SYS_unshare, CLONE_NEWUSER), EPERM);
}

static void test_unpriv(void)
{
	char before[65], after[65];

	gethostname(before, sizeof before);
	in_child(child_unpriv);
	gethostname(after, sizeof after);
	CHECK_STR("the parent's hostname is unchanged", after, before);
}

/* Exec in a namespace: root keeps its capabilities, another uid not. */
static void child_exec(void)
{
	char *argv[] = { "abi_userns", "caps", NULL };
	pid_t c;

	CHECK_OK("unshare(CLONE_NEWUSER)", syscall(SYS_unshare, CLONE_NEWUSER));
	c = fork();
	if (c == 0) {
		execv("/proc/self/exe", argv);
		_exit(99);
	}
	CHECK_EQ("exec as the unmapped 65534: no capabilities after", reap(c), 0);
	CHECK_OK("uid_map 0 0 1", put_pid(0, "uid_map", "0 0 1\n"));
	c = fork();
	if (c == 0) {
		argv[1] = "fullcaps";
		execv("/proc/self/exe", argv);
		_exit(99);
	}
	CHECK_EQ("exec as the namespace's root: every capability after", reap(c), 0);
}

static void test_exec(void)
{
	in_child(child_exec);
}

static void *idle_thread(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

static int clone_flags(unsigned long flags)
{
	long r = syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);

	if (r == 0)
		_exit(0);
	if (r > 0)
		reap((pid_t)r);
	return r > 0 ? 0 : -1;
}

/* In a child as uid 1000: 0 if clone(@flags) worked, 1 if not. */
static int unpriv_clone(unsigned long flags)
{
	pid_t c = fork();

	if (c == 0)
		_exit(drop_to_unpriv() ? 2 : clone_flags(flags) ? 1 : 0);
	return reap(c);
}

/* The refusals of clone and unshare. */
static void child_refusals(void)
{
	pthread_t th;

	CHECK_ERR("clone(CLONE_NEWUSER|CLONE_FS): EINVAL",
		  clone_flags(CLONE_NEWUSER | CLONE_FS), EINVAL);
	CHECK_ERR("clone(CLONE_NEWUSER|CLONE_THREAD|CLONE_SIGHAND|CLONE_VM): EINVAL",
		  clone_flags(CLONE_NEWUSER | CLONE_THREAD | CLONE_SIGHAND | CLONE_VM), EINVAL);
	CHECK_OK("clone(CLONE_NEWUSER)", clone_flags(CLONE_NEWUSER));
	CHECK_EQ("clone(CLONE_NEWUSER|CLONE_NEWUTS|CLONE_NEWNS) unprivileged too",
		 unpriv_clone(CLONE_NEWUSER | CLONE_NEWUTS | CLONE_NEWNS), 0);
	CHECK_EQ("... but not clone(CLONE_NEWUTS) alone", unpriv_clone(CLONE_NEWUTS), 1);
	if (pthread_create(&th, NULL, idle_thread, NULL) == 0) {
		CHECK_ERR("unshare(CLONE_NEWUSER) with another thread: EINVAL",
			  syscall(SYS_unshare, CLONE_NEWUSER), EINVAL);
	}
}

static void child_unmapped_creator(void)
{
	CHECK_OK("drop to 1000", drop_to_unpriv());
	CHECK_OK("unshare(CLONE_NEWUSER)", syscall(SYS_unshare, CLONE_NEWUSER));
	CHECK_ERR("again, its euid unmapped: EPERM", syscall(SYS_unshare, CLONE_NEWUSER), EPERM);
	CHECK_ERR("clone(CLONE_NEWUSER), unmapped: EPERM", clone_flags(CLONE_NEWUSER), EPERM);
}

static void child_chroot(void)
{
	CHECK_OK("chroot /proc", chroot("/proc"));
	CHECK_ERR("unshare(CLONE_NEWUSER) in a chroot: EPERM",
		  syscall(SYS_unshare, CLONE_NEWUSER), EPERM);
}

/* Nest as deep as Linux lets: 33 below the initial one, then ENOSPC. */
static void child_nest(void)
{
	int n = 0;

	for (;;) {
		if (syscall(SYS_unshare, CLONE_NEWUSER))
			break;
		n++;
		if (put_pid(0, "setgroups", "deny") ||
		    put_pid(0, "uid_map", "0 0 1\n") || put_pid(0, "gid_map", "0 0 1\n"))
			break;
	}
	CHECK_SERR("the nesting limit: ENOSPC", -1, errno);
	CHECK_EQ("... after 33 levels", n, 33);
}

static void test_refusals(void)
{
	in_child(child_refusals);
	in_child(child_unmapped_creator);
	in_child(child_chroot);
	in_child(child_nest);
}

/* setns into another process's user namespace, and out of reach of it. */
static void idle_child(int go, int done)
{
	char c;

	(void)done;
	read(go, &c, 1);
}

static void test_setns(void)
{
	struct waiter w;
	char path[64];
	int fd;
	pid_t c;

	waiter_start(&w, idle_child, CLONE_NEWUSER);
	put_pid(w.pid, "uid_map", "0 0 1\n");
	snprintf(path, sizeof path, "/proc/%d/ns/user", w.pid);
	fd = open(path, O_RDONLY);
	CHECK_OK("open the child's ns/user", fd);
	CHECK_ERR("setns with CLONE_NEWUTS for a user ns file: EINVAL",
		  setns_(fd, CLONE_NEWUTS), EINVAL);
	c = fork();
	if (c == 0) {
		int ok = setns_(fd, CLONE_NEWUSER) == 0 && getuid() == 0 &&
			 getgid() == NOBODY && full_caps() &&
			 ns_ino("/proc/self/ns/user") == ns_ino(path);

		_exit(ok ? 0 : 1);
	}
	CHECK_EQ("root: setns into it, uid 0 there, every capability", reap(c), 0);
	c = fork();
	if (c == 0) {
		int ok = drop_to_unpriv() == 0 && setns_(fd, 0) == -1 && errno == EPERM;

		_exit(ok ? 0 : 1);
	}
	CHECK_EQ("uid 1000: setns into root's namespace: EPERM", reap(c), 0);
	c = fork();
	if (c == 0) {
		int ok = syscall(SYS_unshare, CLONE_NEWUSER) == 0 &&
			 setns_(fd, CLONE_NEWUSER) == -1 && errno == EPERM;

		_exit(ok ? 0 : 1);
	}
	CHECK_EQ("from a sibling namespace: EPERM", reap(c), 0);
	close(fd);
	waiter_end(&w);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "caps"))
		return no_caps() ? 0 : 1;
	if (argc > 1 && !strcmp(argv[1], "fullcaps"))
		return full_caps() ? 0 : 1;
	TEST_BEGIN(T);
	test_initial();
	test_root_unshare();
	test_parent_maps();
	test_unpriv();
	test_exec();
	test_refusals();
	test_setns();
	return TEST_END();
}
