/* abi_fs.c - file and directory syscalls, *at forms, fd ops, path resolution and errno rules. */
#include "check.h"
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/uio.h>
#include <sys/resource.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#define T "abi_fs"

/* struct statx as defined by the Linux UAPI (musl 1.2.3 has no wrapper). */
struct sx_ts { int64_t tv_sec; uint32_t tv_nsec; int32_t rsv; };
struct sx {
	uint32_t mask, blksize; uint64_t attributes;
	uint32_t nlink, uid, gid; uint16_t mode, spare0;
	uint64_t ino, size, blocks, attributes_mask;
	struct sx_ts atime, btime, ctime, mtime;
	uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
	uint64_t spare2[14];
};
#define SX_BASIC 0x7ffU

static void write_file(const char *p, const char *s)
{
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		if (write(fd, s, strlen(s)) < 0) { /* reported by later checks */ }
		close(fd);
	}
}

static void test_rw(void)
{
	char buf[64];
	int fd = open("f1", O_RDWR | O_CREAT | O_EXCL, 0644);
	CHECK("open O_CREAT|O_EXCL new file", fd >= 0);
	CHECK_EQ("write returns count", write(fd, "hello world", 11), 11);
	CHECK_EQ("lseek SEEK_CUR after write", lseek(fd, 0, SEEK_CUR), 11);
	CHECK_EQ("lseek SEEK_SET 0", lseek(fd, 0, SEEK_SET), 0);
	memset(buf, 0, sizeof buf);
	CHECK_EQ("read returns file size", read(fd, buf, sizeof buf), 11);
	CHECK_STR("read data matches", buf, "hello world");
	CHECK_EQ("read at EOF returns 0", read(fd, buf, sizeof buf), 0);
	CHECK_EQ("lseek SEEK_END -5", lseek(fd, -5, SEEK_END), 6);
	CHECK_ERR("lseek bad whence", lseek(fd, 0, 99), EINVAL);
	CHECK_ERR("lseek negative result", lseek(fd, -100, SEEK_SET), EINVAL);

	/* pread/pwrite do not move the offset */
	lseek(fd, 2, SEEK_SET);
	memset(buf, 0, sizeof buf);
	CHECK_EQ("pread returns count", pread(fd, buf, 5, 6), 5);
	CHECK_STR("pread data", buf, "world");
	CHECK_EQ("pwrite returns count", pwrite(fd, "W", 1, 6), 1);
	CHECK_EQ("offset unchanged by pread/pwrite", lseek(fd, 0, SEEK_CUR), 2);
	CHECK_ERR("pread negative offset", pread(fd, buf, 1, -1), EINVAL);

	/* readv / writev */
	struct iovec iov[3] = { { "ab", 2 }, { "", 0 }, { "cde", 3 } };
	lseek(fd, 0, SEEK_SET);
	CHECK_EQ("writev gathers", writev(fd, iov, 3), 5);
	char a[2], b[4];
	struct iovec riov[2] = { { a, 2 }, { b, 4 } };
	lseek(fd, 0, SEEK_SET);
	CHECK_EQ("readv scatters", readv(fd, riov, 2), 6);
	CHECK("readv data", memcmp(a, "ab", 2) == 0 && memcmp(b, "cde ", 4) == 0);
	CHECK_ERR("writev iovcnt -1", writev(fd, iov, -1), EINVAL);

	/* holes read back as zeros */
	CHECK_EQ("lseek past EOF", lseek(fd, 100, SEEK_SET), 100);
	CHECK_EQ("write past EOF", write(fd, "Z", 1), 1);
	struct stat st;
	fstat(fd, &st);
	CHECK_EQ("fstat size after hole write", st.st_size, 101);
	CHECK_EQ("pread hole is zero", (pread(fd, buf, 1, 50), buf[0]), 0);

	/* truncate / ftruncate */
	CHECK_OK("ftruncate shrink", ftruncate(fd, 4));
	fstat(fd, &st);
	CHECK_EQ("size after ftruncate", st.st_size, 4);
	CHECK_OK("truncate extend", truncate("f1", 10));
	stat("f1", &st);
	CHECK_EQ("size after truncate", st.st_size, 10);
	CHECK_EQ("extended bytes zero", (pread(fd, buf, 1, 8), buf[0]), 0);
	CHECK_ERR("truncate negative", truncate("f1", -1), EINVAL);
	close(fd);

	fd = open("f1", O_RDONLY);
	CHECK_ERR("write on O_RDONLY fd", write(fd, "x", 1), EBADF);
	CHECK_ERR("ftruncate on O_RDONLY fd", ftruncate(fd, 0), EINVAL);
	close(fd);
	fd = open("f1", O_WRONLY);
	CHECK_ERR("read on O_WRONLY fd", read(fd, buf, 1), EBADF);
	close(fd);

	/* O_APPEND always writes at end, O_TRUNC empties */
	fd = open("f1", O_WRONLY | O_APPEND);
	lseek(fd, 0, SEEK_SET);
	write(fd, "E", 1);
	fstat(fd, &st);
	CHECK_EQ("O_APPEND writes at end", st.st_size, 11);
	CHECK("F_GETFL has O_APPEND", (fcntl(fd, F_GETFL) & O_APPEND) != 0);
	CHECK_EQ("F_GETFL access mode", fcntl(fd, F_GETFL) & O_ACCMODE, O_WRONLY);
	close(fd);
	fd = open("f1", O_WRONLY | O_TRUNC);
	fstat(fd, &st);
	CHECK_EQ("O_TRUNC empties", st.st_size, 0);
	close(fd);
	fd = creat("f2", 0600);
	CHECK("creat", fd >= 0);
	CHECK_EQ("creat is write-only", fcntl(fd, F_GETFL) & O_ACCMODE, O_WRONLY);
	close(fd);
	CHECK_ERR("O_CREAT|O_EXCL on existing", open("f2", O_CREAT | O_EXCL | O_WRONLY, 0600), EEXIST);
	unlink("f2");
}

static void test_stat(void)
{
	struct stat st, st2;
	write_file("s1", "12345");
	CHECK_OK("stat regular", stat("s1", &st));
	CHECK("S_ISREG", S_ISREG(st.st_mode));
	CHECK_EQ("st_size", st.st_size, 5);
	CHECK_EQ("st_nlink new file", st.st_nlink, 1);
	CHECK_EQ("st_uid root", st.st_uid, 0);
	CHECK_OK("link", link("s1", "s1link"));
	stat("s1", &st2);
	CHECK_EQ("st_nlink after link", st2.st_nlink, 2);
	stat("s1link", &st2);
	CHECK("hard link shares inode", st.st_ino == st2.st_ino && st.st_dev == st2.st_dev);
	CHECK_ERR("link to existing name", link("s1", "s1link"), EEXIST);
	CHECK_OK("symlink", symlink("s1", "s1sym"));
	CHECK_OK("lstat symlink", lstat("s1sym", &st2));
	CHECK("lstat S_ISLNK", S_ISLNK(st2.st_mode));
	CHECK_EQ("symlink size is target length", st2.st_size, 2);
	stat("s1sym", &st2);
	CHECK("stat follows symlink", S_ISREG(st2.st_mode) && st2.st_ino == st.st_ino);
	CHECK_OK("fstatat AT_SYMLINK_NOFOLLOW", fstatat(AT_FDCWD, "s1sym", &st2, AT_SYMLINK_NOFOLLOW));
	CHECK("fstatat nofollow gives link", S_ISLNK(st2.st_mode));
	int fd = open("s1", O_RDONLY);
	CHECK_OK("fstat", fstat(fd, &st2));
	CHECK_EQ("fstat ino matches stat", st2.st_ino, st.st_ino);
	CHECK_OK("fstatat AT_EMPTY_PATH", fstatat(fd, "", &st2, AT_EMPTY_PATH));
	CHECK_EQ("AT_EMPTY_PATH ino", st2.st_ino, st.st_ino);
	close(fd);

	struct sx x;
	memset(&x, 0, sizeof x);
	CHECK_OK("statx", syscall(SYS_statx, AT_FDCWD, "s1", 0, SX_BASIC, &x));
	CHECK("statx mask has basic stats", (x.mask & SX_BASIC) == SX_BASIC);
	CHECK("statx size/ino/mode", x.size == 5 && x.ino == st.st_ino && S_ISREG(x.mode));
	CHECK_ERR("statx bad flags", syscall(SYS_statx, AT_FDCWD, "s1", 0x80000000, SX_BASIC, &x), EINVAL);

	char buf[64];
	memset(buf, 0, sizeof buf);
	CHECK_EQ("readlink returns length", readlink("s1sym", buf, sizeof buf), 2);
	CHECK_STR("readlink target", buf, "s1");
	CHECK_EQ("readlink truncates", readlink("s1sym", buf, 1), 1);
	CHECK_ERR("readlink on regular file", readlink("s1", buf, sizeof buf), EINVAL);

	CHECK_OK("chmod", chmod("s1", 0640));
	stat("s1", &st2);
	CHECK_EQ("mode after chmod", st2.st_mode & 07777, 0640);
	fd = open("s1", O_RDONLY);
	CHECK_OK("fchmod", fchmod(fd, 0600));
	fstat(fd, &st2);
	CHECK_EQ("mode after fchmod", st2.st_mode & 07777, 0600);
	close(fd);
	CHECK_OK("fchmodat", fchmodat(AT_FDCWD, "s1", 0755, 0));
	stat("s1", &st2);
	CHECK_EQ("mode after fchmodat", st2.st_mode & 07777, 0755);

	struct timespec ts[2] = { { 1000000000, 0 }, { 1234567890, 500 } };
	CHECK_OK("utimensat", utimensat(AT_FDCWD, "s1", ts, 0));
	stat("s1", &st2);
	CHECK_EQ("atime set", st2.st_atim.tv_sec, 1000000000);
	CHECK("mtime set", st2.st_mtim.tv_sec == 1234567890 && st2.st_mtim.tv_nsec == 500);
	struct timespec om[2] = { { 0, UTIME_OMIT }, { 0, UTIME_NOW } };
	CHECK_OK("utimensat OMIT/NOW", utimensat(AT_FDCWD, "s1", om, 0));
	stat("s1", &st2);
	CHECK("UTIME_OMIT keeps atime, UTIME_NOW sets mtime",
	      st2.st_atim.tv_sec == 1000000000 && st2.st_mtim.tv_sec > 1577836800);
	struct timespec bad[2] = { { 0, 1000000000 }, { 0, 0 } };
	CHECK_ERR("utimensat bad nsec", utimensat(AT_FDCWD, "s1", bad, 0), EINVAL);

	CHECK_OK("access F_OK", access("s1", F_OK));
	CHECK_OK("access R_OK|W_OK|X_OK on 0755", access("s1", R_OK | W_OK | X_OK));
	chmod("s1", 0644);
	CHECK_ERR("access X_OK on 0644 as root", access("s1", X_OK), EACCES);
	CHECK_ERR("access missing", access("nope", F_OK), ENOENT);
	CHECK_OK("faccessat", faccessat(AT_FDCWD, "s1", R_OK, 0));
	CHECK_ERR("access bad mode", access("s1", 0x40), EINVAL);

	struct statfs sf;
	CHECK_OK("statfs cwd", statfs(".", &sf));
	CHECK_EQ("statfs tmpfs magic", sf.f_type, 0x01021994);
	CHECK_OK("statfs /proc", statfs("/proc", &sf));
	CHECK_EQ("statfs proc magic", sf.f_type, 0x9fa0);
	fd = open(".", O_RDONLY | O_DIRECTORY);
	CHECK_OK("fstatfs", fstatfs(fd, &sf));
	close(fd);
	unlink("s1"); unlink("s1link"); unlink("s1sym");
}

static void test_dirs(void)
{
	struct stat st;
	CHECK_OK("mkdir", mkdir("d1", 0755));
	CHECK_ERR("mkdir existing", mkdir("d1", 0755), EEXIST);
	CHECK_ERR("mkdir missing parent", mkdir("nope/x", 0755), ENOENT);
	stat("d1", &st);
	CHECK("S_ISDIR", S_ISDIR(st.st_mode));
	CHECK_EQ("empty dir nlink 2", st.st_nlink, 2);
	mkdir("d1/sub", 0755);
	stat("d1", &st);
	CHECK_EQ("dir nlink counts subdirs", st.st_nlink, 3);
	write_file("d1/a", "x");
	symlink("a", "d1/l");

	/* getdents64 sees ., .., a, sub, l with proper d_type */
	int fd = open("d1", O_RDONLY | O_DIRECTORY);
	CHECK("open O_DIRECTORY", fd >= 0);
	char buf[4096];
	int seen = 0, types_ok = 1;
	long n;
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
		for (long off = 0; off < n;) {
			struct dirent *d = (struct dirent *)(buf + off);
			if (!strcmp(d->d_name, ".")) { seen |= 1; types_ok &= d->d_type == DT_DIR; }
			else if (!strcmp(d->d_name, "..")) { seen |= 2; types_ok &= d->d_type == DT_DIR; }
			else if (!strcmp(d->d_name, "a")) { seen |= 4; types_ok &= d->d_type == DT_REG; }
			else if (!strcmp(d->d_name, "sub")) { seen |= 8; types_ok &= d->d_type == DT_DIR; }
			else if (!strcmp(d->d_name, "l")) { seen |= 16; types_ok &= d->d_type == DT_LNK; }
			else seen |= 32;
			off += d->d_reclen;
		}
	}
	CHECK_EQ("getdents64 ends with 0", n, 0);
	CHECK_EQ("getdents64 lists exactly ., .., a, sub, l", seen, 31);
	CHECK("getdents64 d_type", types_ok);
	lseek(fd, 0, SEEK_SET);
	CHECK_ERR("getdents64 buffer too small", syscall(SYS_getdents64, fd, buf, 8) , EINVAL);
	close(fd);
	fd = open("d1/a", O_RDONLY);
	CHECK_ERR("getdents64 on file", syscall(SYS_getdents64, fd, buf, sizeof buf), ENOTDIR);
	close(fd);

	CHECK_ERR("rmdir non-empty", rmdir("d1"), ENOTEMPTY);
	CHECK_ERR("rmdir file", rmdir("d1/a"), ENOTDIR);
	CHECK_ERR("rmdir .", rmdir("d1/sub/."), EINVAL);
	CHECK_ERR("unlink dir", unlink("d1/sub"), EISDIR);
	CHECK_ERR("open dir O_WRONLY", open("d1", O_WRONLY), EISDIR);
	CHECK_ERR("open file O_DIRECTORY", open("d1/a", O_RDONLY | O_DIRECTORY), ENOTDIR);
	CHECK_ERR("link to directory", link("d1", "d1hard"), EPERM);
	CHECK_OK("rmdir empty", rmdir("d1/sub"));
	CHECK_ERR("rmdir missing", rmdir("d1/sub"), ENOENT);

	/* rename semantics */
	write_file("r1", "one");
	write_file("r2", "two");
	CHECK_OK("rename over existing file", rename("r1", "r2"));
	CHECK_ERR("old name gone", access("r1", F_OK), ENOENT);
	fd = open("r2", O_RDONLY);
	memset(buf, 0, 8);
	read(fd, buf, 8);
	close(fd);
	CHECK_STR("rename replaced content", buf, "one");
	mkdir("rd", 0755);
	mkdir("rd2", 0755);
	write_file("rd2/x", "x");
	CHECK_ERR("rename file over dir", rename("r2", "rd"), EISDIR);
	CHECK_ERR("rename dir over file", rename("rd", "r2"), ENOTDIR);
	CHECK_ERR("rename dir over non-empty dir", rename("rd", "rd2"), ENOTEMPTY);
	CHECK_ERR("rename dir into itself", rename("rd", "rd/inner"), EINVAL);
	CHECK_OK("rename dir over empty dir", rename("rd2", "rd"));
	CHECK_OK("renamed dir content present", access("rd/x", F_OK));
	CHECK_OK("rename same file is no-op", rename("r2", "r2"));
	write_file("r3", "3");
	CHECK_ERR("renameat2 RENAME_NOREPLACE", syscall(SYS_renameat2, AT_FDCWD, "r3", AT_FDCWD, "r2", 1), EEXIST);
	CHECK_OK("renameat2 RENAME_EXCHANGE", syscall(SYS_renameat2, AT_FDCWD, "r3", AT_FDCWD, "r2", 2));
	fd = open("r2", O_RDONLY);
	memset(buf, 0, 8);
	read(fd, buf, 8);
	close(fd);
	CHECK_STR("RENAME_EXCHANGE swapped", buf, "3");
	unlink("r2"); unlink("r3"); unlink("rd/x"); rmdir("rd");
	unlink("d1/l"); unlink("d1/a"); rmdir("d1");
}

static void test_at(void)
{
	mkdir("at", 0755);
	int dfd = open("at", O_RDONLY | O_DIRECTORY);
	int fd = openat(dfd, "f", O_RDWR | O_CREAT, 0644);
	CHECK("openat relative to dirfd", fd >= 0);
	close(fd);
	CHECK_OK("file created inside dir", access("at/f", F_OK));
	CHECK_OK("mkdirat", mkdirat(dfd, "sd", 0755));
	CHECK_OK("symlinkat", symlinkat("f", dfd, "sl"));
	char buf[16] = { 0 };
	CHECK_EQ("readlinkat", readlinkat(dfd, "sl", buf, sizeof buf), 1);
	CHECK_OK("linkat", linkat(dfd, "f", dfd, "hl", 0));
	CHECK_OK("renameat", renameat(dfd, "hl", dfd, "sd/hl"));
	CHECK_OK("faccessat via dirfd", faccessat(dfd, "sd/hl", F_OK, 0));
	struct stat st;
	CHECK_OK("fstatat via dirfd", fstatat(dfd, "sd", &st, 0));
	CHECK_ERR("unlinkat dir without AT_REMOVEDIR", unlinkat(dfd, "sd", 0), EISDIR);
	unlinkat(dfd, "sd/hl", 0);
	CHECK_OK("unlinkat AT_REMOVEDIR", unlinkat(dfd, "sd", AT_REMOVEDIR));
	CHECK_ERR("unlinkat bad flag", unlinkat(dfd, "f", 0x1), EINVAL);
	fd = open("at/f", O_RDONLY);
	CHECK_ERR("openat with file as dirfd", openat(fd, "x", O_RDONLY), ENOTDIR);
	CHECK_ERR("openat bad dirfd", openat(9999, "x", O_RDONLY), EBADF);
	int afd = openat(9999, "/proc", O_RDONLY | O_DIRECTORY);
	CHECK("absolute path ignores dirfd", afd >= 0);
	close(afd);
	close(fd);
	unlinkat(dfd, "sl", 0);
	unlinkat(dfd, "f", 0);
	close(dfd);
	CHECK_OK("rmdir at", rmdir("at"));
}

static void test_fds(void)
{
	int fd = open("fd1", O_RDWR | O_CREAT | O_TRUNC, 0644);
	write(fd, "abcdef", 6);
	int d = dup(fd);
	CHECK("dup returns new fd", d >= 0 && d != fd);
	lseek(fd, 2, SEEK_SET);
	CHECK_EQ("dup shares offset", lseek(d, 0, SEEK_CUR), 2);
	fcntl(fd, F_SETFL, O_APPEND);
	CHECK("dup shares status flags", (fcntl(d, F_GETFL) & O_APPEND) != 0);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	CHECK_EQ("dup does not share FD_CLOEXEC", fcntl(d, F_GETFD), 0);
	CHECK_EQ("F_GETFD cloexec", fcntl(fd, F_GETFD), FD_CLOEXEC);
	CHECK_EQ("dup2 to chosen fd", dup2(fd, 50), 50);
	CHECK_EQ("dup2 clears cloexec", fcntl(50, F_GETFD), 0);
	CHECK_EQ("dup2 same fd returns fd", dup2(fd, fd), fd);
	CHECK_ERR("dup2 bad oldfd", dup2(9999, 51), EBADF);
	CHECK_EQ("dup3 O_CLOEXEC", dup3(fd, 51, O_CLOEXEC), 51);
	CHECK_EQ("dup3 sets cloexec", fcntl(51, F_GETFD), FD_CLOEXEC);
	CHECK_ERR("dup3 same fd", syscall(SYS_dup3, fd, fd, 0), EINVAL);
	CHECK_ERR("dup3 bad flags", syscall(SYS_dup3, fd, 52, 0x4), EINVAL);
	CHECK_EQ("F_DUPFD lowest >= arg", fcntl(fd, F_DUPFD, 60), 60);
	CHECK_EQ("F_DUPFD_CLOEXEC", fcntl(fd, F_DUPFD_CLOEXEC, 60), 61);
	CHECK_EQ("F_DUPFD_CLOEXEC sets flag", fcntl(61, F_GETFD), FD_CLOEXEC);
	CHECK_ERR("fcntl bad cmd", fcntl(fd, 9999), EINVAL);
	CHECK_ERR("fcntl bad fd", fcntl(9999, F_GETFD), EBADF);
	CHECK_OK("close", close(50));
	CHECK_ERR("close twice", close(50), EBADF);
	CHECK_ERR("close -1", close(-1), EBADF);
	CHECK_ERR("read bad fd", read(9999, &fd, 1), EBADF);
	CHECK_ERR("fstat bad fd", ({ struct stat s; fstat(-1, &s); }), EBADF);
	close(51); close(52); close(60); close(61); close(d);
	CHECK_EQ("lowest free fd reused", dup(fd), d);
	close(d);
	close(fd);
	unlink("fd1");
}

static void test_cwd(void)
{
	char start[4096], buf[4096];
	CHECK("getcwd", getcwd(start, sizeof start) != NULL);
	CHECK("getcwd absolute", start[0] == '/');
	mkdir("cw", 0755);
	CHECK_OK("chdir", chdir("cw"));
	getcwd(buf, sizeof buf);
	CHECK("getcwd after chdir", strlen(buf) == strlen(start) + 3 && !strcmp(buf + strlen(start), "/cw"));
	CHECK_OK("chdir ..", chdir(".."));
	getcwd(buf, sizeof buf);
	CHECK_STR("back to start", buf, start);
	CHECK_ERR("getcwd too small", syscall(SYS_getcwd, buf, 2), ERANGE);
	int fd = open("cw", O_RDONLY | O_DIRECTORY);
	CHECK_OK("fchdir", fchdir(fd));
	getcwd(buf, sizeof buf);
	CHECK("fchdir moved", strstr(buf, "/cw") != NULL);
	chdir(start);
	close(fd);
	write_file("cwf", "x");
	CHECK_ERR("chdir to file", chdir("cwf"), ENOTDIR);
	CHECK_ERR("chdir missing", chdir("missing"), ENOENT);
	fd = open("cwf", O_RDONLY);
	CHECK_ERR("fchdir on file", fchdir(fd), ENOTDIR);
	close(fd);
	CHECK_OK("chdir /", chdir("/"));
	getcwd(buf, sizeof buf);
	CHECK_STR("getcwd /", buf, "/");
	chdir(start);
	unlink("cwf");
	rmdir("cw");
}

static void test_paths(void)
{
	struct stat a, b;
	mkdir("p", 0755);
	write_file("p/f", "x");
	CHECK_OK("dir/../dir/file resolves", stat("p/../p/f", &a));
	stat("/", &a);
	CHECK_OK("/.. resolves", stat("/..", &b));
	CHECK("/.. is /", a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	CHECK_OK("//./ resolves", stat("//./", &b));
	CHECK_ERR("file/.. is ENOTDIR", stat("p/f/..", &a), ENOTDIR);
	CHECK_ERR("trailing slash on file", open("p/f/", O_RDONLY), ENOTDIR);
	CHECK_ERR("file as dir component", open("p/f/x", O_RDONLY), ENOTDIR);
	CHECK_ERR("missing file", open("p/none", O_RDONLY), ENOENT);
	CHECK_ERR("missing dir component", open("none/f", O_RDONLY), ENOENT);
	CHECK_ERR("empty path", open("", O_RDONLY), ENOENT);
	symlink("p", "pl");
	CHECK_OK("symlink to dir traversed", stat("pl/f", &a));
	symlink("loop2", "loop1");
	symlink("loop1", "loop2");
	CHECK_ERR("symlink loop ELOOP", open("loop1", O_RDONLY), ELOOP);
	CHECK_ERR("symlink loop in middle", stat("loop1/x", &a), ELOOP);
	symlink("p/f", "fl");
	CHECK_ERR("O_NOFOLLOW on symlink", open("fl", O_RDONLY | O_NOFOLLOW), ELOOP);
	symlink("nowhere", "dangling");
	CHECK_ERR("dangling symlink", stat("dangling", &a), ENOENT);
	CHECK_OK("lstat dangling", lstat("dangling", &a));
	int fd = open("dangling", O_WRONLY | O_CREAT, 0644);
	CHECK("O_CREAT through dangling symlink creates target", fd >= 0 && access("nowhere", F_OK) == 0);
	close(fd);
	/* chain of 10 symlinks is fine */
	char n1[16], n2[16];
	for (int i = 0; i < 10; i++) {
		snprintf(n1, sizeof n1, "ch%d", i);
		snprintf(n2, sizeof n2, "ch%d", i + 1);
		symlink(i == 9 ? "p/f" : n2, n1);
	}
	CHECK_OK("10-deep symlink chain", stat("ch0", &a));

	char name[300];
	memset(name, 'n', 256);
	name[256] = 0;
	CHECK_ERR("component of 256 chars", open(name, O_RDONLY), ENAMETOOLONG);
	CHECK_ERR("mkdir component of 256 chars", mkdir(name, 0755), ENAMETOOLONG);
	name[255] = 0;
	fd = open(name, O_WRONLY | O_CREAT, 0644);
	CHECK("component of 255 chars ok", fd >= 0);
	close(fd);
	unlink(name);
	static char longp[5000];
	for (int i = 0; i < 4200; i += 2) { longp[i] = 'p'; longp[i + 1] = '/'; }
	longp[4200] = 0;
	CHECK_ERR("path > 4095 chars", open(longp, O_RDONLY), ENAMETOOLONG);
	CHECK_ERR("stat path > 4095 chars", stat(longp, &a), ENAMETOOLONG);

	for (int i = 0; i < 10; i++) { snprintf(n1, sizeof n1, "ch%d", i); unlink(n1); }
	unlink("nowhere"); unlink("dangling"); unlink("fl"); unlink("loop1"); unlink("loop2");
	unlink("pl"); unlink("p/f"); rmdir("p");
}

static void test_umask_create(void)
{
	mode_t old = umask(027);
	int fd = open("um", O_CREAT | O_WRONLY, 0777);
	struct stat st;
	fstat(fd, &st);
	CHECK_EQ("umask applied at create", st.st_mode & 0777, 0750);
	close(fd);
	mkdir("umd", 0777);
	stat("umd", &st);
	CHECK_EQ("umask applied at mkdir", st.st_mode & 0777, 0750);
	umask(old);
	unlink("um");
	rmdir("umd");
}

/* renameat2 RENAME_EXCHANGE of a directory and a file, and its errors. */
static void test_exchange(void)
{
	struct stat st;

	mkdir("xa", 0755);
	mkdir("xa/sub", 0755);
	mkdir("xb", 0755);
	write_file("xb/f", "f");
	CHECK_OK("exchange dir and file across dirs",
		 syscall(SYS_renameat2, AT_FDCWD, "xa/sub", AT_FDCWD, "xb/f", 2));
	CHECK("exchanged: file now in xa", stat("xa/sub", &st) == 0 && S_ISREG(st.st_mode));
	CHECK("exchanged: dir now in xb", stat("xb/f", &st) == 0 && S_ISDIR(st.st_mode));
	CHECK("exchange moves the .. link", stat("xa", &st) == 0 && st.st_nlink == 2);
	CHECK("exchange adds the .. link", stat("xb", &st) == 0 && st.st_nlink == 3);
	CHECK_ERR("exchange with missing target",
		  syscall(SYS_renameat2, AT_FDCWD, "xa/sub", AT_FDCWD, "xa/none", 2), ENOENT);
	CHECK_ERR("exchange dir with its subdir",
		  syscall(SYS_renameat2, AT_FDCWD, "xb", AT_FDCWD, "xb/f", 2), EINVAL);
	CHECK_ERR("exchange subdir with its parent",
		  syscall(SYS_renameat2, AT_FDCWD, "xb/f", AT_FDCWD, "xb", 2), EINVAL);
	CHECK_ERR("exchange with noreplace",
		  syscall(SYS_renameat2, AT_FDCWD, "xa/sub", AT_FDCWD, "xb/f", 3), EINVAL);
	CHECK_ERR("exchange across mounts",
		  syscall(SYS_renameat2, AT_FDCWD, "xa/sub", AT_FDCWD, "/proc/version", 2), EXDEV);
	unlink("xa/sub"); rmdir("xb/f"); rmdir("xa"); rmdir("xb");
}

/* readlink of /proc/self/fd/N into @buf (NUL-terminated). */
static void fd_link(int fd, char *buf, size_t len)
{
	char link[32];
	ssize_t n;

	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	n = readlink(link, buf, len - 1);
	buf[n > 0 ? n : 0] = '\0';
}

/* Names of open files in /proc/self/fd and exe, as Linux shows them. */
static void test_fd_names(void)
{
	char cwd[256], want[320], got[320];
	int fd, sfd, p[2];

	CHECK("getcwd for names", getcwd(cwd, sizeof cwd) != NULL);
	write_file("fn1", "x");
	fd = open("fn1", O_RDONLY);
	fd_link(fd, got, sizeof got);
	snprintf(want, sizeof want, "%s/fn1", cwd);
	CHECK_STR("fd link names a regular file", got, want);
	rename("fn1", "fn2");
	fd_link(fd, got, sizeof got);
	snprintf(want, sizeof want, "%s/fn2", cwd);
	CHECK_STR("fd link follows a rename", got, want);
	unlink("fn2");
	fd_link(fd, got, sizeof got);
	snprintf(want, sizeof want, "%s/fn2 (deleted)", cwd);
	CHECK_STR("fd link of an unlinked file", got, want);
	close(fd);
	write_file("fn3", "x");
	symlink("fn3", "fn3sym");
	sfd = open("fn3sym", O_RDONLY);
	fd_link(sfd, got, sizeof got);
	snprintf(want, sizeof want, "%s/fn3", cwd);
	CHECK_STR("fd link names the symlink target", got, want);
	close(sfd);
	unlink("fn3sym"); unlink("fn3");
	fd = open(".", O_RDONLY | O_DIRECTORY);
	fd_link(fd, got, sizeof got);
	CHECK_STR("fd link of a directory", got, cwd);
	close(fd);
	if (pipe(p) == 0) {
		fd_link(p[0], got, sizeof got);
		CHECK("fd link of a pipe", !strncmp(got, "pipe:[", 6));
		close(p[0]); close(p[1]);
	}
	CHECK("readlink /proc/self/exe",
	      readlink("/proc/self/exe", got, sizeof got - 1) == (ssize_t)strlen("/tests/" T));
	got[strlen("/tests/" T)] = '\0';
	CHECK_STR("/proc/self/exe names this program", got, "/tests/" T);
}

/* /proc/mounts and /proc/filesystems lines as Linux formats them. */
static void test_proc_mounts(void)
{
	char buf[4096];

	slurp("/proc/mounts", buf, sizeof buf);
	CHECK("/proc/mounts starts with rootfs", !strncmp(buf, "rootfs / rootfs rw", 18));
	CHECK("/proc/mounts shows proc with relatime", strstr(buf, "\nproc /proc proc rw,relatime") != NULL);
	slurp("/proc/filesystems", buf, sizeof buf);
	CHECK("/proc/filesystems lists nodev tmpfs", strstr(buf, "nodev\ttmpfs\n") != NULL);
	CHECK("/proc/filesystems lists nodev proc", strstr(buf, "nodev\tproc\n") != NULL);
	CHECK("/proc/filesystems has no rootfs", strstr(buf, "rootfs") == NULL);
}

static volatile sig_atomic_t got_xfsz;

static void on_xfsz(int sig)
{
	got_xfsz = sig == SIGXFSZ;
}

/* RLIMIT_FSIZE: writes cut at the limit, SIGXFSZ and EFBIG past it. */
static int fsize_child(void *arg)
{
	struct rlimit rl = { 10, RLIM_INFINITY };
	int fd = open("fsz", O_RDWR | O_CREAT | O_TRUNC, 0644), p[2];
	char buf[32] = "0123456789abcdefghij";

	(void)arg;
	signal(SIGXFSZ, on_xfsz);
	if (fd < 0 || setrlimit(RLIMIT_FSIZE, &rl) || pipe(p))
		return 90;
	CHECK_EQ("a write crossing RLIMIT_FSIZE is cut at it",
		 write(fd, buf, 20), 10);
	CHECK("... no signal for that", !got_xfsz);
	CHECK_ERR("a write at the limit is EFBIG", write(fd, buf, 1), EFBIG);
	CHECK("... and raises SIGXFSZ", got_xfsz);
	got_xfsz = 0;
	CHECK_ERR("ftruncate past the limit is EFBIG", ftruncate(fd, 11),
		  EFBIG);
	CHECK("... with SIGXFSZ", got_xfsz);
	CHECK_OK("ftruncate to the limit", ftruncate(fd, 10));
	CHECK_OK("ftruncate shrinking", ftruncate(fd, 4));
	got_xfsz = 0;
	CHECK_ERR("fallocate past the limit is EFBIG",
		  fallocate(fd, 0, 0, 50), EFBIG);
	CHECK("... with SIGXFSZ", got_xfsz);
	CHECK_ERR("tmpfs checks the limit even with FALLOC_FL_KEEP_SIZE",
		  fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 50), EFBIG);
	CHECK_OK("punching a hole is not growth",
		 fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0,
			   50));
	CHECK_EQ("pipes know no file size limit", write(p[1], buf, 20), 20);
	rl.rlim_cur = 0;
	setrlimit(RLIMIT_FSIZE, &rl);
	int comm = open("/proc/self/comm", O_WRONLY);

	CHECK_EQ("nor do /proc files", write(comm, "fsz", 3), 3);
	close(comm);
	signal(SIGXFSZ, SIG_IGN);
	CHECK_ERR("ignored SIGXFSZ: still EFBIG", write(fd, buf, 1), EFBIG);
	unlink("fsz");
	return check_fails;
}

static void test_fsize(void)
{
	int st = run_child(fsize_child, NULL);

	CHECK_EQ("RLIMIT_FSIZE child", WIFEXITED(st) ? WEXITSTATUS(st) : -1,
		 0);
}

/*
 * Creating at a name with a trailing slash, as Linux's filename_create
 * and open_last_lookups judge it: an existing name is EEXIST whatever it
 * is, a missing one ENOENT unless a directory is made, O_CREAT of
 * "name/" is EISDIR at once; rename looks at its source first.
 */
static void test_create_slash(void)
{
	write_file("cs-f", "x");
	mkdir("cs-d", 0755);
	symlink("cs-d", "cs-l");
	symlink("cs-none", "cs-dangle");
	static const char *const existing[] = { "cs-f/", "cs-d/", "cs-l/", "cs-dangle/" };
	char what[80];

	for (unsigned i = 0; i < 4; i++) {
		const char *n = existing[i];

		snprintf(what, sizeof what, "mkdir %s EEXIST", n);
		CHECK_ERR(what, mkdir(n, 0755), EEXIST);
		snprintf(what, sizeof what, "mknod %s EEXIST", n);
		CHECK_ERR(what, mknod(n, S_IFIFO | 0644, 0), EEXIST);
		snprintf(what, sizeof what, "symlink %s EEXIST", n);
		CHECK_ERR(what, symlink("t", n), EEXIST);
		snprintf(what, sizeof what, "link to %s EEXIST", n);
		CHECK_ERR(what, link("cs-f", n), EEXIST);
		snprintf(what, sizeof what, "O_CREAT of %s EISDIR", n);
		CHECK_ERR(what, open(n, O_WRONLY | O_CREAT, 0644), EISDIR);
		snprintf(what, sizeof what, "O_CREAT|O_EXCL of %s EISDIR", n);
		CHECK_ERR(what, open(n, O_WRONLY | O_CREAT | O_EXCL, 0644), EISDIR);
		snprintf(what, sizeof what, "rename of a missing file to %s ENOENT", n);
		CHECK_ERR(what, rename("cs-missing", n), ENOENT);
	}
	CHECK_ERR("mknod of a missing name/ ENOENT", mknod("cs-new/", S_IFIFO | 0644, 0), ENOENT);
	CHECK_ERR("symlink at a missing name/ ENOENT", symlink("t", "cs-new/"), ENOENT);
	CHECK_ERR("O_CREAT of a missing name/ EISDIR", open("cs-new/", O_WRONLY | O_CREAT, 0644), EISDIR);
	CHECK_OK("mkdir of a missing name/", mkdir("cs-new/", 0755));
	CHECK_ERR("rename of a file to an existing file/ ENOTDIR", rename("cs-f", "cs-l/"), ENOTDIR);
	CHECK_ERR("unlink of file/ ENOTDIR", unlink("cs-f/"), ENOTDIR);
	CHECK_ERR("rmdir of file/ ENOTDIR", rmdir("cs-f/"), ENOTDIR);
	char buf[16];
	CHECK_ERR("readlink of \"\" ENOENT", readlink("", buf, sizeof buf), ENOENT);
	CHECK_ERR("readlink of a directory EINVAL", readlink("cs-d", buf, sizeof buf), EINVAL);
	CHECK_ERR("O_CREAT in sysfs EACCES", open("/sys/abi-new", O_WRONLY | O_CREAT, 0644), EACCES);
	CHECK_ERR("mkdir in sysfs EPERM", mkdir("/sys/abi-new", 0755), EPERM);
	rmdir("cs-new");
	unlink("cs-dangle");
	unlink("cs-l");
	rmdir("cs-d");
	unlink("cs-f");
}

/*
 * Files of no filesystem a user mounts: fstatfs shows their pseudo
 * filesystem as Linux's simple_statfs does, and their attributes change
 * as simple_setattr changes them. FIGETBSZ answers for any file;
 * O_DIRECT is EINVAL on tmpfs, whose files do no direct I/O (Linux 6.1),
 * but a pipe's F_SETFL takes it (its packet mode).
 */
static void test_pseudo_files(void)
{
	int p[2], sv[2];
	struct statfs sf;
	struct stat st;

	if (pipe(p) || socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) {
		CHECK("pipe and socketpair", 0);
		return;
	}
	int ev = eventfd(0, 0);
	CHECK_OK("fstatfs of a pipe", fstatfs(p[0], &sf));
	CHECK("a pipe's filesystem is pipefs, page-sized blocks",
	      sf.f_type == 0x50495045 && sf.f_bsize == 4096 && sf.f_namelen == 255 &&
	      sf.f_blocks == 0);
	CHECK_OK("fstatfs of a socket", fstatfs(sv[0], &sf));
	CHECK_EQ("a socket's filesystem is sockfs", (long)sf.f_type, 0x534F434BL);
	CHECK_OK("fstatfs of an eventfd", fstatfs(ev, &sf));
	CHECK_EQ("an eventfd's filesystem is anon_inodefs", (long)sf.f_type, 0x09041934L);
	CHECK_OK("fchmod of a pipe", fchmod(p[0], 0640));
	CHECK("the pipe's mode changed", fstat(p[1], &st) == 0 && (st.st_mode & 07777) == 0640 &&
	      S_ISFIFO(st.st_mode));
	CHECK_OK("fchown of a pipe", fchown(p[0], 0, 0));
	CHECK_ERR("ftruncate of a pipe EINVAL", ftruncate(p[1], 0), EINVAL);
	int bsz = 0;
	CHECK_OK("FIGETBSZ of a pipe", ioctl(p[0], 2, &bsz));
	int fd = open("pf-file", O_RDWR | O_CREAT | O_TRUNC, 0644);
	bsz = 0;
	CHECK_OK("FIGETBSZ of a tmpfs file", ioctl(fd, 2, &bsz));
	CHECK("FIGETBSZ is st_blksize", fstat(fd, &st) == 0 && bsz == st.st_blksize);
	CHECK_ERR("F_SETFL O_DIRECT on tmpfs EINVAL", fcntl(fd, F_SETFL, O_DIRECT), EINVAL);
	CHECK_ERR("F_SETFL of every bit EINVAL (O_DIRECT among them)", fcntl(fd, F_SETFL, -1), EINVAL);
	CHECK("and the flags stayed", !(fcntl(fd, F_GETFL) & (O_DIRECT | O_APPEND)));
	CHECK_ERR("O_DIRECT open on tmpfs EINVAL", open("pf-file", O_RDONLY | O_DIRECT), EINVAL);
	CHECK_ERR("O_CREAT|O_DIRECT on tmpfs EINVAL", open("pf-new", O_RDWR | O_CREAT | O_DIRECT, 0644), EINVAL);
	CHECK_OK("which created the file first, as on Linux", access("pf-new", F_OK));
	CHECK_OK("F_SETFL O_DIRECT on a pipe (packet mode)", fcntl(p[1], F_SETFL, O_DIRECT));
	CHECK("the pipe's O_DIRECT is set", fcntl(p[1], F_GETFL) & O_DIRECT);
	close(fd);
	unlink("pf-file");
	unlink("pf-new");
	close(ev);
	close(p[0]);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	TEST_BEGIN(T);
	test_fsize();
	umask(022);
	test_rw();
	test_stat();
	test_dirs();
	test_at();
	test_fds();
	test_cwd();
	test_paths();
	test_create_slash();
	test_pseudo_files();
	test_umask_create();
	test_exchange();
	test_fd_names();
	test_proc_mounts();
	return TEST_END();
}
