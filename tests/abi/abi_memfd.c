/* abi_memfd.c - memfd_create (flags, names, the unlinked tmpfs file /proc names "/memfd:NAME (deleted)", shared mappings across fork), file seals (F_ADD_SEALS/F_GET_SEALS: who takes them, their errno, and how SHRINK, GROW, WRITE and FUTURE_WRITE refuse writes, resizes, fallocate, mmap and mprotect) and O_TMPFILE (its flag rules, the unnamed file, linkat AT_EMPTY_PATH, O_EXCL), as Linux 6.1 does them. */
#include "check.h"
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/vfs.h>

#define T "abi_memfd"

#ifndef F_ADD_SEALS
#define F_ADD_SEALS		1033
#define F_GET_SEALS		1034
#endif
#ifndef F_SEAL_SEAL
#define F_SEAL_SEAL		0x0001
#define F_SEAL_SHRINK		0x0002
#define F_SEAL_GROW		0x0004
#define F_SEAL_WRITE		0x0008
#endif
#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE	0x0010
#endif
#define MFD_CLOEXEC_		0x0001U
#define MFD_ALLOW_SEALING_	0x0002U
#define MFD_HUGETLB_		0x0004U
#define O_LARGEFILE_		0100000		/* the kernel's: musl's is 0 */
#define O_TMPFILE_		020200000
#define TMPFS_MAGIC_		0x01021994

static int memfd(const char *name, unsigned flags)
{
	return (int)syscall(SYS_memfd_create, name, flags);
}

static long seals_of(int fd)
{
	return fcntl(fd, F_GET_SEALS);
}

static long add_seals(int fd, long seals)
{
	return syscall(SYS_fcntl, fd, F_ADD_SEALS, seals);
}

/* F_GET_SEALS on @path opened with @flags (errno kept across close). */
static long seals_at(const char *path, int flags)
{
	int fd = open(path, flags);
	long r = seals_of(fd);
	int e = errno;
	close(fd);
	errno = e;
	return r;
}

/* F_ADD_SEALS of @seals on @path opened with @flags. */
static long add_seals_at(const char *path, int flags, long seals)
{
	int fd = open(path, flags);
	long r = add_seals(fd, seals);
	int e = errno;
	close(fd);
	errno = e;
	return r;
}

static struct stat st_of(int fd)
{
	struct stat st;
	memset(&st, 0, sizeof st);
	fstat(fd, &st);
	return st;
}

/* readlink of /proc/self/fd/@fd into @buf (NUL-terminated, "" on error). */
static const char *fd_link(int fd, char *buf, size_t len)
{
	char p[64];
	snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(p, buf, len - 1);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void test_create(void)
{
	char name[300], buf[512];

	CHECK_ERR("flag 0x8 EINVAL", memfd("x", 0x8), EINVAL);
	CHECK_ERR("flag 0x10 EINVAL", memfd("x", 0x10), EINVAL);
	CHECK_ERR("huge page size bits without MFD_HUGETLB EINVAL", memfd("x", 21U << 26), EINVAL);
	CHECK_ERR("MFD_HUGETLB with an unknown flag EINVAL", memfd("x", MFD_HUGETLB_ | 0x8), EINVAL);
	CHECK_ERR("bad name pointer EFAULT", memfd(BAD_LOW, 0), EFAULT);
	CHECK_ERR("NULL name EFAULT", memfd(BAD_NULL, 0), EFAULT);
	memset(name, 'n', sizeof name);
	name[250] = '\0';
	CHECK_ERR("a 250-byte name EINVAL", memfd(name, 0), EINVAL);
	name[249] = '\0';
	int fd = memfd(name, 0);
	CHECK("a 249-byte name", fd >= 0);
	close(fd);
	fd = memfd("", 0);
	CHECK("an empty name", fd >= 0);
	CHECK_STR("/proc names the empty one", fd_link(fd, buf, sizeof buf), "/memfd: (deleted)");
	close(fd);

	fd = memfd("hello", 0);
	CHECK("memfd_create(\"hello\", 0)", fd >= 0);
	struct stat st = st_of(fd);
	CHECK_EQ("mode 0100777", st.st_mode, 0100777);
	CHECK_EQ("no link", st.st_nlink, 0);
	CHECK_EQ("size 0", st.st_size, 0);
	CHECK_STR("/proc/self/fd names it", fd_link(fd, buf, sizeof buf), "/memfd:hello (deleted)");
	CHECK_EQ("F_GETFL O_RDWR|O_LARGEFILE", fcntl(fd, F_GETFL), O_RDWR | O_LARGEFILE_);
	CHECK_EQ("not close-on-exec", fcntl(fd, F_GETFD), 0);
	struct statfs sf;
	CHECK_OK("fstatfs", fstatfs(fd, &sf));
	CHECK_EQ("it is tmpfs", sf.f_type, TMPFS_MAGIC_);
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	struct stat ps;
	CHECK_OK("stat through /proc/self/fd", stat(path, &ps));
	CHECK_EQ("reaches the memfd itself", ps.st_ino == st.st_ino && ps.st_nlink == 0, 1);
	int ro = open(path, O_RDONLY);
	CHECK("reopen it read-only through /proc/self/fd", ro >= 0);
	CHECK_EQ("the same file", st_of(ro).st_ino, st.st_ino);
	CHECK_STR("by the same name", fd_link(ro, buf, sizeof buf), "/memfd:hello (deleted)");
	CHECK_EQ("read-only", fcntl(ro, F_GETFL) & O_ACCMODE, O_RDONLY);
	CHECK_ERR("a shared writable map of it EACCES", (long)mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0), EACCES);
	close(ro);
	CHECK_EQ("write", write(fd, "abcdef", 6), 6);
	CHECK_EQ("pread", pread(fd, buf, 6, 0), 6);
	CHECK("the bytes", !memcmp(buf, "abcdef", 6));
	CHECK_OK("ftruncate up", ftruncate(fd, 8192));
	CHECK_EQ("the new size", st_of(fd).st_size, 8192);
	CHECK_OK("ftruncate down", ftruncate(fd, 3));
	CHECK_EQ("the tail is gone", pread(fd, buf, 10, 0), 3);
	close(fd);

	fd = memfd("c", MFD_CLOEXEC_);
	CHECK_EQ("MFD_CLOEXEC: close-on-exec", fcntl(fd, F_GETFD), FD_CLOEXEC);
	close(fd);
}

/* fork: a child writes through its own MAP_SHARED mapping, the parent sees it. */
static void test_shared_map(void)
{
	int fd = memfd("shm", 0);
	CHECK_OK("ftruncate 2 pages", ftruncate(fd, 8192));
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK("mmap MAP_SHARED", p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	pid_t c = fork();
	if (c == 0) {
		char *q = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (q == MAP_FAILED)
			_exit(1);
		strcpy(q + 4096, "from child");
		p[0] = 'P';
		_exit(0);
	}
	int st = -1;
	waitpid(c, &st, 0);
	CHECK_EQ("child ran", st, 0);
	CHECK_STR("the child's write through its mapping", p + 4096, "from child");
	CHECK_EQ("the inherited mapping is shared", p[0], 'P');
	char buf[16] = "";
	pread(fd, buf, 10, 4096);
	CHECK("read(2) sees it", !memcmp(buf, "from child", 10));
	CHECK_EQ("pwrite", pwrite(fd, "W", 1, 1), 1);
	CHECK_EQ("the mapping sees pwrite", p[1], 'W');
	munmap(p, 8192);
	close(fd);
}

static void test_who_seals(void)
{
	int fd = memfd("nos", 0);
	CHECK_EQ("without MFD_ALLOW_SEALING: F_SEAL_SEAL", seals_of(fd), F_SEAL_SEAL);
	CHECK_ERR("and no seal can be added", add_seals(fd, F_SEAL_GROW), EPERM);
	close(fd);

	close(open("reg", O_CREAT | O_RDWR, 0644));
	CHECK_EQ("a tmpfs file has F_SEAL_SEAL", seals_at("reg", O_RDWR), F_SEAL_SEAL);
	CHECK_ERR("F_ADD_SEALS on it EPERM", add_seals_at("reg", O_RDWR, F_SEAL_GROW), EPERM);
	CHECK_ERR("F_ADD_SEALS read-only EPERM", add_seals_at("reg", O_RDONLY, F_SEAL_GROW), EPERM);
	CHECK_ERR("a tmpfs directory: EINVAL", seals_at(".", O_RDONLY | O_DIRECTORY), EINVAL);
	mkfifo("fifo", 0644);
	CHECK_ERR("a fifo on tmpfs: EINVAL", seals_at("fifo", O_RDWR), EINVAL);
	CHECK_ERR("/dev/null: EINVAL", seals_at("/dev/null", O_RDWR), EINVAL);

	mkdir("r", 0755);
	CHECK_OK("mount ramfs", mount("none", "r", "ramfs", 0, NULL));
	close(open("r/f", O_CREAT | O_RDWR, 0644));
	CHECK_ERR("ramfs: F_GET_SEALS EINVAL", seals_at("r/f", O_RDWR), EINVAL);
	CHECK_ERR("ramfs: F_ADD_SEALS EINVAL", add_seals_at("r/f", O_RDWR, F_SEAL_GROW), EINVAL);
	CHECK_ERR("ramfs read-only: F_ADD_SEALS EPERM first", add_seals_at("r/f", O_RDONLY, F_SEAL_GROW), EPERM);
	umount("r");

	int pfd[2];
	pipe(pfd);
	CHECK_ERR("a pipe: F_GET_SEALS EINVAL", seals_of(pfd[0]), EINVAL);
	close(pfd[0]);
	close(pfd[1]);
	fd = open("/proc/self/status", O_RDONLY);
	CHECK_ERR("procfs: F_GET_SEALS EINVAL", seals_of(fd), EINVAL);
	close(fd);

	fd = memfd("s", MFD_ALLOW_SEALING_);
	CHECK_EQ("MFD_ALLOW_SEALING: no seals", seals_of(fd), 0);
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	CHECK_ERR("reopened read-only: F_ADD_SEALS EPERM", add_seals_at(path, O_RDONLY, F_SEAL_GROW), EPERM);
	CHECK_EQ("and it reads the seals", seals_at(path, O_RDONLY), 0);
	CHECK_ERR("an unknown seal EINVAL", add_seals(fd, 0x20), EINVAL);
	CHECK_ERR("upper 32 bits EINVAL", add_seals(fd, 1L << 32), EINVAL);
	CHECK_OK("adding none", add_seals(fd, 0));
	CHECK_OK("F_SEAL_SHRINK", add_seals(fd, F_SEAL_SHRINK));
	CHECK_OK("F_SEAL_GROW", add_seals(fd, F_SEAL_GROW));
	CHECK_EQ("both", seals_of(fd), F_SEAL_SHRINK | F_SEAL_GROW);
	CHECK_OK("F_SEAL_SEAL", add_seals(fd, F_SEAL_SEAL));
	CHECK_ERR("then nothing more", add_seals(fd, 0), EPERM);
	CHECK_EQ("all three", seals_of(fd), F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW);
	close(fd);
}

static void test_resize_seals(void)
{
	char buf[8192];
	memset(buf, 'x', sizeof buf);
	int fd = memfd("g", MFD_ALLOW_SEALING_);
	CHECK_EQ("fill 5000 bytes", write(fd, buf, 5000), 5000);
	CHECK_OK("F_SEAL_SHRINK", add_seals(fd, F_SEAL_SHRINK));
	CHECK_ERR("shrink EPERM", ftruncate(fd, 100), EPERM);
	CHECK_OK("the same size", ftruncate(fd, 5000));
	CHECK_OK("grow", ftruncate(fd, 6000));
	CHECK_OK("F_SEAL_GROW", add_seals(fd, F_SEAL_GROW));
	CHECK_ERR("grow EPERM", ftruncate(fd, 7000), EPERM);
	CHECK_EQ("a write inside", pwrite(fd, "y", 1, 10), 1);
	CHECK_ERR("a write at the end EPERM", pwrite(fd, "y", 1, 6000), EPERM);
	CHECK_ERR("a write across the end in its last page EPERM", pwrite(fd, buf, 10, 5995), EPERM);
	CHECK_EQ("a write across the end: the whole pages inside", pwrite(fd, buf, 5000, 3000), 1096);
	CHECK_ERR("append EPERM", (lseek(fd, 0, SEEK_END), write(fd, "z", 1)), EPERM);
	CHECK_ERR("fallocate past the end EPERM", fallocate(fd, 0, 5000, 2000), EPERM);
	CHECK_ERR("KEEP_SIZE past the end EPERM", fallocate(fd, FALLOC_FL_KEEP_SIZE, 5000, 2000), EPERM);
	CHECK_OK("fallocate inside", fallocate(fd, 0, 0, 6000));
	CHECK_OK("punch a hole", fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 4096));
	CHECK_EQ("the size stayed", st_of(fd).st_size, 6000);
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK("a shared writable map under SHRINK|GROW", p != MAP_FAILED);
	if (p != MAP_FAILED)
		munmap(p, 4096);
	close(fd);
}

static void test_write_seal(void)
{
	char buf[64];
	int fd = memfd("w", MFD_ALLOW_SEALING_);
	CHECK_EQ("write", write(fd, "hello", 5), 5);
	CHECK_OK("ftruncate", ftruncate(fd, 8192));
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK("a shared writable map", p != MAP_FAILED);
	CHECK_ERR("F_SEAL_WRITE while it exists EBUSY", add_seals(fd, F_SEAL_WRITE), EBUSY);
	munmap(p, 4096);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	CHECK("a shared read-only map of the writable fd", p != MAP_FAILED);
	CHECK_ERR("counts too (Linux 6.1) EBUSY", add_seals(fd, F_SEAL_WRITE), EBUSY);
	munmap(p, 4096);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK("a private writable map", p != MAP_FAILED);
	CHECK_OK("does not count: F_SEAL_WRITE", add_seals(fd, F_SEAL_WRITE));
	p[0] = 'H';
	CHECK_EQ("the private copy changes alone", pread(fd, buf, 1, 0) == 1 && buf[0] == 'h', 1);
	munmap(p, 4096);
	CHECK_ERR("write EPERM", write(fd, "x", 1), EPERM);
	CHECK_ERR("pwrite EPERM", pwrite(fd, "x", 1, 0), EPERM);
	struct iovec iov = { "x", 1 };
	CHECK_ERR("writev EPERM", writev(fd, &iov, 1), EPERM);
	CHECK_EQ("a write of nothing", write(fd, "x", 0), 0);
	CHECK_EQ("read works", pread(fd, buf, 5, 0), 5);
	CHECK_ERR("mmap shared writable EPERM", (long)mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), EPERM);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	CHECK("mmap shared read-only", p != MAP_FAILED);
	if (p != MAP_FAILED) {
		CHECK_ERR("mprotect adding PROT_WRITE EACCES", mprotect(p, 4096, PROT_READ | PROT_WRITE), EACCES);
		munmap(p, 4096);
	}
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK("mmap private writable", p != MAP_FAILED);
	if (p != MAP_FAILED)
		munmap(p, 4096);
	CHECK_ERR("punch a hole EPERM", fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 4096), EPERM);
	CHECK_OK("ftruncate is still allowed", ftruncate(fd, 100));
	CHECK_OK("a second F_SEAL_WRITE", add_seals(fd, F_SEAL_WRITE));
	close(fd);
}

/* Child for the fork case: map @fd shared, tell the parent, wait. */
static void map_in_child(int fd, int ready, int go)
{
	char c = 0;
	void *q = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (write(ready, q == MAP_FAILED ? "n" : "y", 1) != 1 || read(go, &c, 1) != 1)
		_exit(1);
	_exit(0);
}

static void test_write_seal_other_process(void)
{
	int fd = memfd("o", MFD_ALLOW_SEALING_);
	int r[2], g[2];
	char c = 0;

	ftruncate(fd, 4096);
	pipe(r);
	pipe(g);
	pid_t pid = fork();
	if (pid == 0)
		map_in_child(fd, r[1], g[0]);
	CHECK_EQ("the child mapped it", read(r[0], &c, 1) == 1 && c == 'y', 1);
	CHECK_ERR("another process's map: EBUSY", add_seals(fd, F_SEAL_WRITE), EBUSY);
	write(g[1], "g", 1);
	int st = -1;
	waitpid(pid, &st, 0);
	CHECK_OK("after it exited: F_SEAL_WRITE", add_seals(fd, F_SEAL_WRITE));
	close(r[0]); close(r[1]); close(g[0]); close(g[1]);
	close(fd);
}

static void test_future_write(void)
{
	char buf[8];
	int fd = memfd("f", MFD_ALLOW_SEALING_);
	ftruncate(fd, 4096);
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK("a shared writable map", p != MAP_FAILED);
	CHECK_OK("F_SEAL_FUTURE_WRITE with it", add_seals(fd, F_SEAL_FUTURE_WRITE));
	p[0] = 'M';
	CHECK_EQ("the old map still writes", pread(fd, buf, 1, 0) == 1 && buf[0] == 'M', 1);
	CHECK_ERR("write EPERM", write(fd, "x", 1), EPERM);
	CHECK_ERR("mmap shared writable EPERM", (long)mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), EPERM);
	char *q = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	CHECK("mmap shared read-only", q != MAP_FAILED);
	if (q != MAP_FAILED) {
		CHECK_EQ("sees the data", q[0], 'M');
		CHECK_ERR("mprotect adding PROT_WRITE EACCES", mprotect(q, 4096, PROT_READ | PROT_WRITE), EACCES);
		munmap(q, 4096);
	}
	CHECK_OK("the old map may change protection", mprotect(p, 4096, PROT_READ));
	CHECK_OK("and back", mprotect(p, 4096, PROT_READ | PROT_WRITE));
	CHECK_ERR("it blocks F_SEAL_WRITE: EBUSY", add_seals(fd, F_SEAL_WRITE), EBUSY);
	munmap(p, 4096);
	char *r = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	CHECK("a shared read-only map made under the seal", r != MAP_FAILED);
	q = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK("mmap private writable", q != MAP_FAILED);
	if (q != MAP_FAILED)
		munmap(q, 4096);
	CHECK_OK("does not block F_SEAL_WRITE", add_seals(fd, F_SEAL_WRITE));
	if (r != MAP_FAILED)
		munmap(r, 4096);
	close(fd);
}

static void test_tmpfile(void)
{
	char buf[512], want[512], cwd[256];
	struct stat st;

	umask(022);
	CHECK_ERR("O_TMPFILE read-only EINVAL", open(".", O_TMPFILE_ | O_RDONLY, 0600), EINVAL);
	CHECK_ERR("__O_TMPFILE without O_DIRECTORY EINVAL", open(".", 020000000 | O_RDWR, 0600), EINVAL);
	CHECK_ERR("O_TMPFILE|O_CREAT EINVAL", open(".", O_TMPFILE_ | O_CREAT | O_RDWR, 0600), EINVAL);
	close(open("plain", O_CREAT | O_RDWR, 0644));
	CHECK_ERR("on a file ENOTDIR", open("plain", O_TMPFILE_ | O_RDWR, 0600), ENOTDIR);
	CHECK_ERR("on nothing ENOENT", open("nothing", O_TMPFILE_ | O_RDWR, 0600), ENOENT);
	CHECK_ERR("procfs cannot: EOPNOTSUPP", open("/proc", O_TMPFILE_ | O_RDWR, 0600), EOPNOTSUPP);
	mkdir("ro", 0755);
	CHECK_OK("mount a read-only tmpfs", mount("none", "ro", "tmpfs", MS_RDONLY, NULL));
	CHECK_ERR("on a read-only mount EROFS", open("ro", O_TMPFILE_ | O_RDWR, 0600), EROFS);
	umount("ro");

	int fd = open(".", O_TMPFILE_ | O_RDWR, 0666);
	CHECK("O_TMPFILE|O_RDWR", fd >= 0);
	st = st_of(fd);
	CHECK_EQ("mode 0666 less the umask", st.st_mode, 0100644);
	CHECK_EQ("no link", st.st_nlink, 0);
	CHECK_EQ("F_GETFL keeps O_TMPFILE", fcntl(fd, F_GETFL), O_TMPFILE_ | O_LARGEFILE_ | O_RDWR);
	snprintf(want, sizeof want, "%s/#%lu (deleted)", getcwd(cwd, sizeof cwd), (unsigned long)st.st_ino);
	CHECK_STR("/proc names it #ino in its directory", fd_link(fd, buf, sizeof buf), want);
	CHECK_EQ("write", write(fd, "tmp", 3), 3);
	CHECK_EQ("the tmpfs file seal", seals_of(fd), F_SEAL_SEAL);
	CHECK_OK("linkat AT_EMPTY_PATH names it", linkat(fd, "", AT_FDCWD, "named", AT_EMPTY_PATH));
	CHECK_EQ("one link", st_of(fd).st_nlink, 1);
	CHECK_OK("stat the name", stat("named", &st));
	CHECK_EQ("the same file", st.st_ino, st_of(fd).st_ino);
	CHECK_EQ("with its data", st.st_size, 3);
	CHECK_ERR("the name taken EEXIST", linkat(fd, "", AT_FDCWD, "named", AT_EMPTY_PATH), EEXIST);
	CHECK_OK("unlink it", unlink("named"));
	CHECK_ERR("linked once, unlinked: ENOENT", linkat(fd, "", AT_FDCWD, "again", AT_EMPTY_PATH), ENOENT);
	close(fd);

	char path[64];
	fd = open(".", O_TMPFILE_ | O_RDWR, 0600);
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	CHECK_ERR("linkat of /proc/self/fd/N without AT_SYMLINK_FOLLOW: the link itself EXDEV", linkat(AT_FDCWD, path, AT_FDCWD, "viaproc", 0), EXDEV);
	CHECK_OK("linkat /proc/self/fd/N AT_SYMLINK_FOLLOW names it", linkat(AT_FDCWD, path, AT_FDCWD, "viaproc", AT_SYMLINK_FOLLOW));
	CHECK_OK("the name is there", stat("viaproc", &st));
	CHECK_EQ("for that file", st.st_ino, st_of(fd).st_ino);
	close(fd);

	fd = open(".", O_TMPFILE_ | O_WRONLY | O_EXCL, 0600);
	CHECK("O_TMPFILE|O_WRONLY|O_EXCL", fd >= 0);
	CHECK_ERR("O_EXCL: linkat ENOENT", linkat(fd, "", AT_FDCWD, "excl", AT_EMPTY_PATH), ENOENT);
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	CHECK_ERR("O_EXCL: through /proc ENOENT", linkat(AT_FDCWD, path, AT_FDCWD, "excl", AT_SYMLINK_FOLLOW), ENOENT);
	close(fd);

	fd = open("gone", O_CREAT | O_RDWR, 0644);
	unlink("gone");
	CHECK_ERR("an unlinked file: linkat ENOENT", linkat(fd, "", AT_FDCWD, "back", AT_EMPTY_PATH), ENOENT);
	close(fd);

	fd = memfd("l", 0);
	CHECK_ERR("a memfd: linkat EXDEV", linkat(fd, "", AT_FDCWD, "mem", AT_EMPTY_PATH), EXDEV);
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	CHECK_ERR("a memfd through /proc: EXDEV", linkat(AT_FDCWD, path, AT_FDCWD, "mem", AT_SYMLINK_FOLLOW), EXDEV);
	close(fd);
}

int main(void)
{
	TEST_BEGIN(T);
	test_create();
	test_shared_map();
	test_who_seals();
	test_resize_seals();
	test_write_seal();
	test_write_seal_other_process();
	test_future_write();
	test_tmpfile();
	return TEST_END();
}
