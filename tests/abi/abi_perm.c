/* abi_perm.c - discretionary access control in the VFS as Linux 6.1 has it, seen by a child that drops to uid/gid 1000 (and by root where root's own rules matter): search permission on the path, open and creation, directory changes with the sticky bit, set-group-id directories, chmod/chown and the set-id bits they, write and truncate clear, utimensat, access with real and effective ids, exec and noexec mounts, xattr namespaces, mount/chroot/chdir. */
#include "check.h"
#include <limits.h>
#include <fcntl.h>
#include <grp.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#define T "abi_perm"
#define UID 1000
#define GID 1000
#define SGID_GROUP 500		/* the set-group-id directory's group */
#define EXTRA_GROUP 2000	/* a supplementary group of the child */

static mode_t mode_of(const char *path)
{
	struct stat st;
	return lstat(path, &st) ? (mode_t)-1 : st.st_mode & 07777;
}

static void make_file(const char *path, mode_t mode)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	if (fd >= 0) {
		if (write(fd, "data", 4) != 4)
			check_emit("note %s: short write", T);
		close(fd);
	}
	chmod(path, mode);
}

static void make_dir(const char *path, mode_t mode)
{
	mkdir(path, 0700);
	chmod(path, mode);
}

/* Copy this program to @path (mode @mode): for the exec checks. */
static void copy_self(const char *path, mode_t mode)
{
	char buf[65536];
	int in = open("/proc/self/exe", O_RDONLY);
	int out = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0700);
	ssize_t n;
	while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n)
			break;
	close(in);
	close(out);
	chmod(path, mode);
}

/* Run @path with "exit42" in a new process: its exit status or -errno. */
static int exec_status(const char *path)
{
	pid_t p = fork();
	if (p == 0) {
		char *argv[] = { (char *)path, "exit42", NULL };
		execv(path, argv);
		_exit(200 + (errno & 31));
	}
	int st;
	if (p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st))
		return -1;
	if (WEXITSTATUS(st) >= 200)
		return -(WEXITSTATUS(st) - 200);
	return WEXITSTATUS(st);
}

static int drop_to_user(void)
{
	gid_t groups[] = { EXTRA_GROUP };
	if (setgroups(1, groups) || setresgid(GID, GID, GID) ||
	    setresuid(UID, UID, UID))
		return -1;
	umask(0);
	return 0;
}

/* Root builds the tree the child is tested against, in the cwd. */
static void setup(void)
{
	chmod(".", 0755);
	make_dir("d700", 0700);
	make_file("d700/f", 0644);
	make_dir("d711", 0711);
	make_file("d711/f", 0644);
	make_file("rootfile", 0644);
	make_file("rootonly", 0600);
	make_file("rootrw", 0666);
	make_dir("rootdir", 0755);
	make_file("rootdir/e", 0666);
	make_dir("rootdir/sub", 0755);
	make_dir("pub", 0777);
	make_dir("pub/rd", 0755);
	make_dir("pub/dst", 0777);
	make_dir("pub/m", 0777);
	make_file("pub/suidw", 06777);
	make_file("pub/suidt", 06777);
	make_file("pub/suidft", 06777);
	make_file("pub/suidroot", 06777);
	make_dir("st", 01777);
	make_file("st/rootf", 0666);
	make_dir("st/rootd", 0777);
	make_dir("stmine", 01777);
	chown("stmine", UID, GID);
	make_file("stmine/rootf", 0666);
	make_dir("sg", 02777);
	chown("sg", 0, SGID_GROUP);
	copy_self("x644", 0644);
	copy_self("x711", 0711);
}

static void child_walk_open(void)
{
	struct stat st;
	CHECK_ERR("stat through a 0700 dir EACCES", stat("d700/f", &st), EACCES);
	CHECK_ERR("missing name in a 0700 dir EACCES", stat("d700/none", &st), EACCES);
	CHECK_OK("stat of the 0700 dir itself", stat("d700", &st));
	CHECK_ERR("open through a 0700 dir EACCES", open("d700/f", O_RDONLY), EACCES);
	CHECK_ERR("access through a 0700 dir EACCES", access("d700/f", F_OK), EACCES);
	CHECK_ERR("\"d700/.\" needs search EACCES", stat("d700/.", &st), EACCES);
	CHECK_OK("stat through a 0711 dir", stat("d711/f", &st));
	CHECK_ERR("reading a 0711 dir EACCES", open("d711", O_RDONLY | O_DIRECTORY), EACCES);
	CHECK_ERR("mkdir in a 0711 dir EACCES", mkdir("d711/x", 0755), EACCES);

	int fd = open("rootfile", O_RDONLY);
	CHECK_OK("open 0644 root file for reading", fd);
	CHECK_ERR("F_SETFL O_NOATIME on another's file EPERM", fcntl(fd, F_SETFL, O_NOATIME), EPERM);
	close(fd);
	CHECK_ERR("open 0644 root file O_WRONLY EACCES", open("rootfile", O_WRONLY), EACCES);
	CHECK_ERR("open 0644 root file O_RDWR EACCES", open("rootfile", O_RDWR), EACCES);
	CHECK_ERR("O_RDONLY|O_TRUNC needs write EACCES", open("rootfile", O_RDONLY | O_TRUNC), EACCES);
	CHECK_ERR("open 0600 root file EACCES", open("rootonly", O_RDONLY), EACCES);
	CHECK_ERR("O_NOATIME on another's file EPERM", open("rootfile", O_RDONLY | O_NOATIME), EPERM);
	CHECK_ERR("O_CREAT in a 0755 root dir EACCES", open("rootdir/new", O_CREAT | O_WRONLY, 0644), EACCES);
	fd = open("rootdir/e", O_CREAT | O_WRONLY, 0644);
	CHECK_OK("O_CREAT of an existing writable file needs no dir write", fd);
	close(fd);
	CHECK_ERR("O_TMPFILE in a 0755 root dir EACCES", open("rootdir", O_TMPFILE | O_WRONLY, 0600), EACCES);
	CHECK_ERR("open a dir O_WRONLY EISDIR", open("pub", O_WRONLY), EISDIR);
	CHECK_ERR("creat in a 0755 root dir EACCES", creat("rootdir/c", 0644), EACCES);
	CHECK_ERR("truncate a 0644 root file EACCES", truncate("rootfile", 0), EACCES);

	fd = open("pub/own", O_CREAT | O_RDWR | O_NOATIME, 0640);
	CHECK_OK("create in a 0777 dir with O_NOATIME", fd);
	CHECK_OK("fstat new file", fstat(fd, &st));
	CHECK_EQ("new file's uid is the fsuid", st.st_uid, UID);
	CHECK_EQ("new file's gid is the fsgid", st.st_gid, GID);
	CHECK_EQ("new file's mode", st.st_mode & 07777, 0640);
	CHECK_OK("F_SETFL O_NOATIME on one's own file", fcntl(fd, F_SETFL, O_NOATIME));
	close(fd);
	CHECK_OK("truncate one's own file", truncate("pub/own", 1));
	int in = inotify_init1(0);
	CHECK_ERR("inotify watch of a 0600 root file EACCES", inotify_add_watch(in, "rootonly", IN_MODIFY), EACCES);
	CHECK_OK("inotify watch of a 0644 root file", inotify_add_watch(in, "rootfile", IN_MODIFY));
	close(in);
	int pfd[2];
	CHECK_OK("pipe", pipe(pfd));
	CHECK_OK("fstat the pipe", fstat(pfd[0], &st));
	CHECK_EQ("a pipe is owned by its creator's fsuid", st.st_uid, UID);
	CHECK_EQ("a pipe has its creator's fsgid", st.st_gid, GID);
	close(pfd[0]);
	close(pfd[1]);
}

static void child_dirs(void)
{
	CHECK_ERR("mkdir in a 0755 root dir EACCES", mkdir("rootdir/x", 0755), EACCES);
	CHECK_ERR("mkfifo in a 0755 root dir EACCES", mkfifo("rootdir/p", 0644), EACCES);
	CHECK_ERR("symlink in a 0755 root dir EACCES", symlink("x", "rootdir/l"), EACCES);
	CHECK_ERR("link into a 0755 root dir EACCES", link("pub/own", "rootdir/h"), EACCES);
	CHECK_ERR("unlink in a 0755 root dir EACCES", unlink("rootdir/e"), EACCES);
	CHECK_ERR("rmdir in a 0755 root dir EACCES", rmdir("rootdir/sub"), EACCES);
	CHECK_ERR("rename out of a 0755 root dir EACCES", rename("rootdir/e", "pub/e"), EACCES);
	CHECK_ERR("rename into a 0755 root dir EACCES", rename("pub/own", "rootdir/own"), EACCES);
	CHECK_ERR("mknod of a char device in rootdir: EACCES first", mknod("rootdir/n", S_IFCHR | 0600, makedev(1, 3)), EACCES);
	CHECK_ERR("mknod of a char device EPERM", mknod("pub/null", S_IFCHR | 0666, makedev(1, 3)), EPERM);
	CHECK_ERR("mknod of a block device EPERM", mknod("pub/blk", S_IFBLK | 0666, makedev(7, 0)), EPERM);
	CHECK_OK("mknod of a fifo", mknod("pub/fifo", S_IFIFO | 0666, 0));
	CHECK_OK("mknod of a regular file", mknod("pub/reg", S_IFREG | 0666, 0));
	CHECK_OK("mknod of a socket", mknod("pub/sock", S_IFSOCK | 0666, 0));
	CHECK_OK("mkdir in a 0777 dir", mkdir("pub/mine", 0755));
	CHECK_OK("rename another's dir within its parent", rename("pub/rd", "pub/rd2"));
	CHECK_ERR("moving another's dir to a new parent needs write on it EACCES", rename("pub/rd2", "pub/dst/rd"), EACCES);
	CHECK_OK("moving one's own dir to a new parent", rename("pub/mine", "pub/dst/mine"));

	/* The sticky bit: only the file's or the directory's owner. */
	CHECK_ERR("sticky: unlink another's file EPERM", unlink("st/rootf"), EPERM);
	CHECK_ERR("sticky: rename another's file EPERM", rename("st/rootf", "st/x"), EPERM);
	CHECK_ERR("sticky: rmdir another's dir EPERM", rmdir("st/rootd"), EPERM);
	CHECK_ERR("sticky: replace another's file EPERM", rename("pub/own", "st/rootf"), EPERM);
	int fd = open("st/mine", O_CREAT | O_WRONLY, 0644);
	CHECK_OK("sticky: create one's own file", fd);
	close(fd);
	CHECK_OK("sticky: rename one's own file", rename("st/mine", "st/mine2"));
	CHECK_OK("sticky: unlink one's own file", unlink("st/mine2"));
	CHECK_OK("sticky: the dir's owner unlinks another's file", unlink("stmine/rootf"));
}

static void child_setgid_dir(void)
{
	struct stat st;
	int fd = open("sg/f", O_CREAT | O_WRONLY, 02755);
	CHECK_OK("create in a set-gid dir", fd);
	CHECK_OK("fstat", fstat(fd, &st));
	CHECK_EQ("set-gid dir: new file takes the dir's group", st.st_gid, SGID_GROUP);
	CHECK_EQ("set-gid dir: S_ISGID stripped (not in the group)", st.st_mode & 07777, 0755);
	close(fd);
	fd = open("sg/g", O_CREAT | O_WRONLY, 02745);
	close(fd);
	CHECK_EQ("set-gid dir: S_ISGID kept without group exec", mode_of("sg/g"), 02745);
	CHECK_OK("mkdir in a set-gid dir", mkdir("sg/sub", 0755));
	CHECK_OK("stat", stat("sg/sub", &st));
	CHECK_EQ("set-gid dir: subdir takes the group", st.st_gid, SGID_GROUP);
	CHECK_EQ("set-gid dir: subdir inherits S_ISGID", st.st_mode & 07777, 02755);
	fd = open("pub/sgown", O_CREAT | O_WRONLY, 02755);
	close(fd);
	CHECK_EQ("plain dir: S_ISGID kept in one's own group", mode_of("pub/sgown"), 02755);
	CHECK_OK("mkdir with S_ISGID in a plain dir", mkdir("pub/sgd", 02755));
	CHECK_EQ("mkdir drops S_ISGID outside a set-gid dir", mode_of("pub/sgd"), 0755);
}

static void child_attrs(void)
{
	struct timespec ts[2] = { { 1000, 0 }, { 2000, 0 } };
	struct timespec now_omit[2] = { { 0, UTIME_NOW }, { 0, UTIME_OMIT } };
	struct timespec omit[2] = { { 0, UTIME_OMIT }, { 0, UTIME_OMIT } };

	CHECK_ERR("chmod another's file EPERM", chmod("rootrw", 0777), EPERM);
	CHECK_ERR("chown another's file EPERM", chown("rootrw", UID, -1), EPERM);
	CHECK_OK("chown -1 -1 of another's file succeeds", chown("rootrw", -1, -1));
	CHECK_ERR("chown one's own file to another uid EPERM", chown("pub/own", UID + 1, -1), EPERM);
	CHECK_OK("chown one's own file to one's own uid", chown("pub/own", UID, -1));
	CHECK_OK("chgrp one's own file to a supplementary group", chown("pub/own", -1, EXTRA_GROUP));
	CHECK_ERR("chgrp one's own file to a foreign group EPERM", chown("pub/own", -1, 0), EPERM);
	CHECK_OK("chmod one's own file S_ISGID in its group", chmod("pub/own", 02755));
	CHECK_EQ("S_ISGID kept in one's group", mode_of("pub/own"), 02755);
	CHECK_OK("chmod S_ISGID of a file of a foreign group", chmod("sg/f", 02755));
	CHECK_EQ("chmod drops S_ISGID outside one's groups", mode_of("sg/f"), 0755);
	CHECK_OK("chmod one's own file S_ISUID", chmod("pub/own", 04755));
	CHECK_EQ("S_ISUID kept by chmod", mode_of("pub/own"), 04755);

	CHECK_ERR("utimensat now on a 0644 root file EACCES", utimensat(AT_FDCWD, "rootfile", NULL, 0), EACCES);
	CHECK_OK("utimensat now on a 0666 root file (write permission)", utimensat(AT_FDCWD, "rootrw", NULL, 0));
	CHECK_ERR("utimensat explicit times on another's file EPERM", utimensat(AT_FDCWD, "rootrw", ts, 0), EPERM);
	CHECK_ERR("utimensat {NOW, OMIT} on another's file EPERM", utimensat(AT_FDCWD, "rootrw", now_omit, 0), EPERM);
	CHECK_OK("utimensat {OMIT, OMIT} on another's file", utimensat(AT_FDCWD, "rootfile", omit, 0));
	CHECK_ERR("utimes NULL on a 0644 root file EACCES", utimes("rootfile", NULL), EACCES);
	CHECK_OK("utimensat explicit times on one's own file", utimensat(AT_FDCWD, "pub/own", ts, 0));

	/* Writing or truncating removes the set-id bits (no CAP_FSETID). */
	int fd = open("pub/suidw", O_WRONLY);
	CHECK_OK("open a 06777 file for writing", fd);
	CHECK_EQ("write to it", write(fd, "x", 1), 1);
	close(fd);
	CHECK_EQ("write cleared S_ISUID and S_ISGID", mode_of("pub/suidw"), 0777);
	CHECK_OK("truncate a 06777 file", truncate("pub/suidt", 0));
	CHECK_EQ("truncate cleared S_ISUID and S_ISGID", mode_of("pub/suidt"), 0777);
	fd = open("pub/suidft", O_WRONLY);
	CHECK_OK("ftruncate a 06777 file", ftruncate(fd, 1));
	close(fd);
	CHECK_EQ("ftruncate cleared S_ISUID and S_ISGID", mode_of("pub/suidft"), 0777);

	/* The descriptor variants follow the same rules. */
	fd = open("rootfile", O_RDONLY);
	CHECK_ERR("fchmod another's file EPERM", fchmod(fd, 0777), EPERM);
	CHECK_ERR("fchown another's file EPERM", fchown(fd, UID, GID), EPERM);
	CHECK_ERR("futimens now on a 0644 root file EACCES", futimens(fd, NULL), EACCES);
	CHECK_ERR("linkat AT_EMPTY_PATH without CAP_DAC_READ_SEARCH ENOENT", linkat(fd, "", AT_FDCWD, "pub/lnk", AT_EMPTY_PATH), ENOENT);
	close(fd);
	CHECK_ERR("access W_OK of a 0644 root file EACCES", access("rootfile", W_OK), EACCES);
	CHECK_OK("access W_OK of a 0666 root file", access("rootrw", W_OK));
	CHECK_ERR("access W_OK on a read-only mount EROFS", access("ro", W_OK), EROFS);
	CHECK_ERR("read-only sb: EROFS before EACCES for open", open("rosb/f", O_WRONLY), EROFS);
	CHECK_ERR("read-only sb: EROFS before EACCES for access", access("rosb/f", W_OK), EROFS);
}

static void child_xattr_mount(void)
{
	char buf[16];
	CHECK_ERR("user. set on a 0644 root file EACCES", setxattr("rootfile", "user.x", "v", 1, 0), EACCES);
	CHECK_ERR("user. get on a 0600 root file EACCES", getxattr("rootonly", "user.x", buf, sizeof buf), EACCES);
	CHECK_ERR("user. get on a readable file: tmpfs has none", getxattr("rootfile", "user.x", buf, sizeof buf), EOPNOTSUPP);
	CHECK_ERR("user. set on a sticky dir of another EPERM", setxattr("st", "user.x", "v", 1, 0), EPERM);
	CHECK_ERR("user. set on one's own file: tmpfs has none", setxattr("pub/own", "user.x", "v", 1, 0), EOPNOTSUPP);
	CHECK_ERR("trusted. set EPERM", setxattr("pub/own", "trusted.x", "v", 1, 0), EPERM);

	CHECK_ERR("mount EPERM", mount("none", "pub/m", "tmpfs", 0, NULL), EPERM);
	CHECK_ERR("mount on a missing dir ENOENT first", mount("none", "pub/none", "tmpfs", 0, NULL), ENOENT);
	CHECK_ERR("umount EPERM", umount2("nx", 0), EPERM);
	CHECK_ERR("pivot_root EPERM", syscall(SYS_pivot_root, ".", "."), EPERM);
	CHECK_ERR("chroot EPERM", chroot("pub"), EPERM);
	CHECK_ERR("chroot without search EACCES first", chroot("d700"), EACCES);
	CHECK_ERR("chdir without search EACCES", chdir("d700"), EACCES);
	CHECK_OK("chdir with search only", chdir("d711"));
	CHECK_OK("chdir back", chdir(".."));
}

static void child_exec(void)
{
	CHECK_EQ("exec a 0644 file EACCES", exec_status("x644"), -EACCES);
	CHECK_EQ("exec a 0711 file without read permission", exec_status("x711"), 42);
	CHECK_ERR("access X_OK of a 0644 file EACCES", access("x644", X_OK), EACCES);
	CHECK_ERR("access R_OK of a 0711 file EACCES", access("x711", R_OK), EACCES);
	CHECK_OK("access X_OK of a 0711 file", access("x711", X_OK));
}

static int child(void *arg)
{
	int d700 = *(int *)arg;
	if (drop_to_user())
		return 2;
	CHECK_ERR("fchdir without search EACCES", fchdir(d700), EACCES);
	child_walk_open();
	child_dirs();
	child_setgid_dir();
	child_attrs();
	child_xattr_mount();
	child_exec();
	return check_fails ? 1 : 0;
}

/* Real uid 1000, effective root: access() judges by the real ids. */
static int real_user(void *arg)
{
	(void)arg;
	if (setresgid(GID, 0, 0) || setresuid(UID, 0, 0))
		return 2;
	CHECK_ERR("access with real uid 1000 EACCES", access("rootonly", R_OK), EACCES);
	CHECK_OK("faccessat AT_EACCESS with euid 0", faccessat(AT_FDCWD, "rootonly", R_OK, AT_EACCESS));
	int fd = open("rootonly", O_RDONLY);
	CHECK_OK("open with euid 0", fd);
	close(fd);
	CHECK_ERR("access through a 0700 dir with real uid 1000", access("d700/f", F_OK), EACCES);
	return check_fails ? 1 : 0;
}

/* Real uid root, effective 1000: access() gets root's permitted set. */
static int real_root(void *arg)
{
	(void)arg;
	if (setresgid(0, GID, GID) || setresuid(0, UID, UID))
		return 2;
	CHECK_ERR("open with euid 1000 EACCES", open("rootonly", O_RDONLY), EACCES);
	CHECK_OK("access with real uid 0", access("rootonly", R_OK | W_OK));
	CHECK_ERR("faccessat AT_EACCESS with euid 1000 EACCES", faccessat(AT_FDCWD, "rootonly", R_OK, AT_EACCESS), EACCES);
	return check_fails ? 1 : 0;
}

/*
 * Root, chrooted into a tmpfs with another mounted on its "new": after
 * pivot_root("/new", "/new/old") the root is the inner tmpfs and the
 * outer one is at /old.
 */
static int pivot_child(void *arg)
{
	struct stat st;
	(void)arg;
	if (chroot("pv") || chdir("/"))
		return 2;
	CHECK_ERR("pivot_root onto the same mount EBUSY", syscall(SYS_pivot_root, "/", "/"), EBUSY);
	CHECK_ERR("pivot_root to a non-mount EINVAL", syscall(SYS_pivot_root, "/new/old", "/new/old"), EINVAL);
	CHECK_OK("pivot_root", syscall(SYS_pivot_root, "/new", "/new/old"));
	CHECK_OK("the new root is the inner tmpfs", stat("/mark-new", &st));
	CHECK_OK("the old root is at /old", stat("/old/mark-old", &st));
	CHECK_OK("the working directory moved too", stat("mark-new", &st));
	return check_fails ? 1 : 0;
}

/*
 * Root chroots into "cr" and keeps its working directory outside: getcwd
 * names it "(unreachable)/...", so musl's getcwd and realpath fail with
 * ENOENT; a chdir("/") brings it back.
 */
static int unreachable_child(void *arg)
{
	char buf[PATH_MAX], *r;
	long n;
	(void)arg;
	if (chroot("cr"))
		return 2;
	n = syscall(SYS_getcwd, buf, sizeof buf);
	CHECK("getcwd outside the root: (unreachable)/...",
	      n > 15 && !strncmp(buf, "(unreachable)/", 14) && (long)strlen(buf) + 1 == n);
	CHECK_ERR("getcwd too small for the mark ERANGE", syscall(SYS_getcwd, buf, 14), ERANGE);
	errno = 0;
	r = realpath(".", NULL);
	CHECK("realpath(\".\") outside the root fails ENOENT", !r && errno == ENOENT);
	free(r);
	CHECK_OK("chdir / inside the new root", chdir("/"));
	CHECK("getcwd is / again", syscall(SYS_getcwd, buf, sizeof buf) == 2 && !strcmp(buf, "/"));
	return check_fails ? 1 : 0;
}

static void test_pivot_root(void)
{
	make_dir("cr", 0755);
	CHECK_EQ("getcwd after a chroot that leaves the directory out",
		 run_child(unreachable_child, NULL), 0);
	rmdir("cr");
	CHECK_ERR("pivot_root with an unattached root mount EINVAL", syscall(SYS_pivot_root, ".", "."), EINVAL);
	CHECK_ERR("umount of the root mount EINVAL", umount2("/", 0), EINVAL);
	CHECK_ERR("lazy umount of the root mount EINVAL", umount2("/", MNT_DETACH), EINVAL);
	make_dir("pv", 0755);
	CHECK_OK("mount the outer tmpfs", mount("none", "pv", "tmpfs", 0, NULL));
	make_dir("pv/new", 0755);
	make_file("pv/mark-old", 0644);
	CHECK_OK("mount the inner tmpfs", mount("none", "pv/new", "tmpfs", 0, NULL));
	make_dir("pv/new/old", 0755);
	make_file("pv/new/mark-new", 0644);
	CHECK_EQ("pivot_root checks pass", run_child(pivot_child, NULL), 0);
	CHECK_OK("the outer tmpfs is now at pv/old", umount("pv/old"));
	CHECK_OK("the inner tmpfs is now at pv", umount("pv"));
}

/*
 * MS_MOVE, Linux's do_move_mount: a mount's root moves with what is below
 * it; anything else is EINVAL, onto itself ELOOP. And a mount at "."
 * goes on top of the working directory, which umount2(".") finds.
 */
static void test_move_mount(void)
{
	struct stat st, top;

	make_dir("mv-a", 0755);
	make_dir("mv-b", 0755);
	make_file("mv-f", 0644);
	CHECK_OK("mount a tmpfs to move", mount("none", "mv-a", "tmpfs", 0, NULL));
	make_file("mv-a/mark", 0644);
	make_dir("mv-a/sub", 0755);
	CHECK_OK("mount a tmpfs below it", mount("none", "mv-a/sub", "tmpfs", 0, NULL));
	make_file("mv-a/sub/inner", 0644);
	CHECK_ERR("MS_MOVE of a missing source ENOENT",
		  mount("mv-none", "mv-b", NULL, MS_MOVE, NULL), ENOENT);
	CHECK_ERR("MS_MOVE of a directory that is no mount EINVAL",
		  mount("mv-b", "mv-a", NULL, MS_MOVE, NULL), EINVAL);
	CHECK_ERR("MS_MOVE of the root mount EINVAL",
		  mount("/", "mv-b", NULL, MS_MOVE, NULL), EINVAL);
	CHECK_ERR("MS_MOVE of a directory mount onto a file EINVAL",
		  mount("mv-a", "mv-f", NULL, MS_MOVE, NULL), EINVAL);
	make_dir("mv-a/in", 0755);
	CHECK_ERR("MS_MOVE into itself ELOOP",
		  mount("mv-a", "mv-a/in", NULL, MS_MOVE, NULL), ELOOP);
	CHECK_OK("MS_MOVE", mount("mv-a", "mv-b", NULL, MS_MOVE, NULL));
	CHECK_OK("the moved mount's files are at the new place", stat("mv-b/mark", &st));
	CHECK_OK("and the mount below it came along", stat("mv-b/sub/inner", &st));
	CHECK_ERR("and nothing is left at the old place", stat("mv-a/mark", &st), ENOENT);
	CHECK_ERR("the moved tree is busy at its root", umount("mv-b"), EBUSY);
	CHECK_OK("umount the mount that came along", umount("mv-b/sub"));
	CHECK_OK("umount the moved mount", umount("mv-b"));

	make_dir("mv-c", 0755);
	stat("mv-c", &st);
	CHECK_OK("chdir into the directory", chdir("mv-c"));
	CHECK_OK("mount a tmpfs at \".\"", mount("none", ".", "tmpfs", 0, NULL));
	CHECK_OK("stat ../mv-c", stat("../mv-c", &top));
	CHECK("the tmpfs went on top of the directory", top.st_dev != st.st_dev);
	CHECK_OK("umount2(\".\") finds the mount on top", umount2(".", 0));
	CHECK_OK("chdir back", chdir(".."));
	stat("mv-c", &top);
	CHECK("the directory is bare again", top.st_dev == st.st_dev);
	rmdir("mv-c");
	rmdir("mv-a");
	rmdir("mv-b");
	unlink("mv-f");
}

/* What root itself gets: X_OK, EROFS, noexec, chown's bit clearing. */
static void root_checks(void)
{
	CHECK_ERR("root: access X_OK without an x bit EACCES", access("rootfile", X_OK), EACCES);
	make_dir("dir644", 0644);
	CHECK_OK("root: access X_OK of a dir without x bits", access("dir644", X_OK));
	CHECK_EQ("root: exec a 0644 file EACCES", exec_status("x644"), -EACCES);
	CHECK_OK("root: access R_OK of a 0600 file", access("rootonly", R_OK));

	int fd = open("pub/suidroot", O_WRONLY);
	CHECK_EQ("root: write keeps the set-id bits (CAP_FSETID)", write(fd, "x", 1), 1);
	close(fd);
	CHECK_EQ("root: set-id bits kept", mode_of("pub/suidroot"), 06777);

	make_file("chown1", 06755);
	CHECK_OK("root: chown a 06755 file", chown("chown1", 0, 0));
	CHECK_EQ("root: chown cleared S_ISUID and S_ISGID", mode_of("chown1"), 0755);
	make_file("chown2", 06745);
	CHECK_OK("root: chown a 06745 file", chown("chown2", -1, 0));
	CHECK_EQ("root: S_ISGID without group exec kept", mode_of("chown2"), 02745);
	make_dir("chown3", 06755);
	CHECK_OK("root: chown a 06755 dir", chown("chown3", 0, 0));
	CHECK_EQ("root: a dir keeps its set-id bits", mode_of("chown3"), 06755);

	make_dir("ro", 0755);
	make_dir("nx", 0755);
	CHECK_OK("mount a read-only tmpfs", mount("none", "ro", "tmpfs", MS_RDONLY, "mode=0777"));
	CHECK_ERR("access W_OK on a read-only mount EROFS", access("ro", W_OK), EROFS);
	CHECK_OK("access R_OK on a read-only mount", access("ro", R_OK));
	make_dir("rosb", 0755);
	make_dir("bnd", 0755);
	CHECK_OK("mount a tmpfs", mount("none", "rosb", "tmpfs", 0, "mode=0755"));
	make_file("rosb/f", 0644);
	CHECK_OK("remount it read-only", mount(NULL, "rosb", NULL, MS_REMOUNT | MS_RDONLY, NULL));
	CHECK_OK("bind-mount the read-only tmpfs", mount("rosb", "bnd", NULL, MS_BIND, NULL));
	CHECK_ERR("a bind mount of a read-only sb is read-only", open("bnd/new", O_CREAT | O_WRONLY, 0644), EROFS);
	CHECK_OK("mount a noexec tmpfs", mount("none", "nx", "tmpfs", MS_NOEXEC, NULL));
	copy_self("nx/prog", 0755);
	CHECK_EQ("exec on a noexec mount EACCES", exec_status("nx/prog"), -EACCES);
	CHECK_ERR("access X_OK on a noexec mount EACCES", access("nx/prog", X_OK), EACCES);
	fd = open("nx/prog", O_RDONLY);
	CHECK_OK("open the noexec file", fd);
	errno = 0;
	void *p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	CHECK("mmap PROT_EXEC on a noexec mount EPERM", p == MAP_FAILED && errno == EPERM);
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK("mmap PROT_READ on a noexec mount", p != MAP_FAILED);
	CHECK_ERR("mprotect PROT_EXEC of it EACCES", mprotect(p, 4096, PROT_READ | PROT_EXEC), EACCES);
	munmap(p, 4096);
	close(fd);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "exit42"))
		_exit(42);
	TEST_BEGIN(T);
	setup();
	root_checks();
	test_pivot_root();
	test_move_mount();
	int d700 = open("d700", O_RDONLY | O_DIRECTORY);
	CHECK_EQ("unprivileged checks pass", run_child(child, &d700), 0);
	close(d700);
	CHECK_EQ("real-uid user checks pass", run_child(real_user, NULL), 0);
	CHECK_EQ("real-uid root checks pass", run_child(real_root, NULL), 0);
	umount("nx");
	umount("ro");
	umount("bnd");
	umount("rosb");
	return TEST_END();
}
