/* abi_openat2.c - openat2(2) as Linux 6.1 has it: the size rules of struct open_how (EINVAL, E2BIG, EFAULT), the checks of its flags, mode and resolve fields, RESOLVE_CACHED's EAGAIN for what would create or truncate, and the path walk under RESOLVE_NO_XDEV, RESOLVE_NO_MAGICLINKS, RESOLVE_NO_SYMLINKS, RESOLVE_BENEATH and RESOLVE_IN_ROOT (mounts, symlinks, magic links, "..", absolute names), also for an unprivileged child. */
#include "check.h"
#include <fcntl.h>
#include <grp.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>

#define T "abi_openat2"
#define NR_openat2 437

struct how {
	uint64_t flags, mode, resolve;
};

struct how_pad {
	struct how how;
	uint64_t pad;
};

#define NO_XDEV 0x01
#define NO_MAGICLINKS 0x02
#define NO_SYMLINKS 0x04
#define BENEATH 0x08
#define IN_ROOT 0x10
#define CACHED 0x20

static long openat2_raw(int dfd, const char *path, const void *how, size_t size)
{
	return syscall(NR_openat2, dfd, path, how, size);
}

/* openat2 with @flags and @resolve (mode 0): the result, fd closed. */
static long o2(int dfd, const char *path, uint64_t flags, uint64_t resolve)
{
	struct how h = { flags, 0, resolve };
	long fd = openat2_raw(dfd, path, &h, sizeof h);
	if (fd >= 0) {
		close((int)fd);
		return 0;
	}
	return -1;
}

/* The inode number of what openat2 opens, or -1. */
static long long o2_ino(int dfd, const char *path, uint64_t resolve)
{
	struct how h = { O_PATH, 0, resolve };
	struct stat st;
	long fd = openat2_raw(dfd, path, &h, sizeof h);
	if (fd < 0)
		return -1;
	int r = fstat((int)fd, &st);
	close((int)fd);
	return r ? -1 : (long long)st.st_ino;
}

static long long ino_of(const char *path)
{
	struct stat st;
	return stat(path, &st) ? -1 : (long long)st.st_ino;
}

static void test_args(void)
{
	struct how h = { O_RDONLY, 0, 0 };
	struct how_pad p = { { O_RDONLY, 0, 0 }, 0 };
	CHECK_ERR("size 0 EINVAL", openat2_raw(AT_FDCWD, "f", &h, 0), EINVAL);
	CHECK_ERR("size 23 EINVAL", openat2_raw(AT_FDCWD, "f", &h, 23), EINVAL);
	long fd = openat2_raw(AT_FDCWD, "f", &h, 24);
	CHECK("size 24 opens", fd >= 0);
	close((int)fd);
	fd = openat2_raw(AT_FDCWD, "f", &p, sizeof p);
	CHECK("a longer struct with zero padding opens", fd >= 0);
	close((int)fd);
	p.pad = 0xdead;
	CHECK_ERR("non-zero bytes past the known struct E2BIG", openat2_raw(AT_FDCWD, "f", &p, sizeof p), E2BIG);
	p.pad = 0;
	p.how.flags = 1ULL << 40;
	CHECK_ERR("an unknown flag in a longer struct EINVAL", openat2_raw(AT_FDCWD, "f", &p, sizeof p), EINVAL);
	char *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page != MAP_FAILED) {
		munmap(page + 4096, 4096);
		struct how *end = (struct how *)(page + 4096 - sizeof(struct how));
		*end = (struct how){ O_RDONLY, 0, 0 };
		fd = openat2_raw(AT_FDCWD, "f", end, sizeof *end);
		CHECK("a struct ending at a page's end opens", fd >= 0);
		close((int)fd);
		CHECK_ERR("one byte past the mapping EFAULT", openat2_raw(AT_FDCWD, "f", end, sizeof *end + 1), EFAULT);
		munmap(page, 4096);
	}
	CHECK_ERR("NULL how EFAULT", openat2_raw(AT_FDCWD, "f", NULL, 24), EFAULT);
	CHECK_ERR("NULL path EFAULT", openat2_raw(AT_FDCWD, NULL, &h, sizeof h), EFAULT);
	CHECK_ERR("bad dirfd EBADF", openat2_raw(-1, "f", &h, sizeof h), EBADF);

	h = (struct how){ 1ULL << 40, 0, 0 };
	CHECK_ERR("an unknown high flag EINVAL", openat2_raw(AT_FDCWD, "f", &h, sizeof h), EINVAL);
	h = (struct how){ 010000000000, 0, 0 };
	CHECK_ERR("an unknown low flag EINVAL", openat2_raw(AT_FDCWD, "f", &h, sizeof h), EINVAL);
	h = (struct how){ O_RDONLY, 0600, 0 };
	CHECK_ERR("mode without O_CREAT EINVAL", openat2_raw(AT_FDCWD, "f", &h, sizeof h), EINVAL);
	h = (struct how){ O_CREAT | O_RDWR, 010000, 0 };
	CHECK_ERR("mode beyond 07777 EINVAL", openat2_raw(AT_FDCWD, "new", &h, sizeof h), EINVAL);
	h = (struct how){ O_RDONLY, 0, 0x40 };
	CHECK_ERR("an unknown resolve bit EINVAL", openat2_raw(AT_FDCWD, "f", &h, sizeof h), EINVAL);
	h = (struct how){ O_RDONLY, 0, BENEATH | IN_ROOT };
	CHECK_ERR("BENEATH with IN_ROOT EINVAL", openat2_raw(AT_FDCWD, "f", &h, sizeof h), EINVAL);
	h = (struct how){ O_PATH | O_RDWR, 0, 0 };
	CHECK_ERR("O_PATH with O_RDWR EINVAL", openat2_raw(AT_FDCWD, "f", &h, sizeof h), EINVAL);
	h = (struct how){ O_PATH | O_NONBLOCK, 0, 0 };
	CHECK_ERR("O_PATH with O_NONBLOCK EINVAL", openat2_raw(AT_FDCWD, "f", &h, sizeof h), EINVAL);
	CHECK_EQ("O_PATH|O_CLOEXEC|O_NOFOLLOW opens", o2(AT_FDCWD, "f", O_PATH | O_CLOEXEC | O_NOFOLLOW, 0), 0);
	h = (struct how){ O_PATH | O_DIRECTORY | O_CLOEXEC, 0, 0 };
	fd = openat2_raw(AT_FDCWD, "d", &h, sizeof h);
	CHECK("O_PATH|O_DIRECTORY|O_CLOEXEC opens", fd >= 0);
	CHECK_EQ("... close-on-exec", fcntl((int)fd, F_GETFD), FD_CLOEXEC);
	close((int)fd);
	h = (struct how){ O_TMPFILE | O_RDONLY, 0600, 0 };
	CHECK_ERR("O_TMPFILE read-only EINVAL", openat2_raw(AT_FDCWD, ".", &h, sizeof h), EINVAL);
	h = (struct how){ O_TMPFILE | O_RDWR, 0600, 0 };
	fd = openat2_raw(AT_FDCWD, ".", &h, sizeof h);
	CHECK("O_TMPFILE with a mode opens", fd >= 0);
	close((int)fd);
	h = (struct how){ O_CREAT | O_RDWR, 0, CACHED };
	CHECK_ERR("RESOLVE_CACHED with O_CREAT EAGAIN", openat2_raw(AT_FDCWD, "f", &h, sizeof h), EAGAIN);
	h = (struct how){ O_TRUNC | O_RDWR, 0, CACHED };
	CHECK_ERR("RESOLVE_CACHED with O_TRUNC EAGAIN", openat2_raw(AT_FDCWD, "f", &h, sizeof h), EAGAIN);
	CHECK_EQ("RESOLVE_CACHED of a known file opens", o2(AT_FDCWD, "f", O_RDONLY, CACHED), 0);
	mode_t old = umask(022);
	h = (struct how){ O_CREAT | O_EXCL | O_WRONLY, 0666, 0 };
	fd = openat2_raw(AT_FDCWD, "created", &h, sizeof h);
	CHECK("O_CREAT|O_EXCL creates", fd >= 0);
	close((int)fd);
	struct stat st;
	CHECK("... with the mode less the umask", !stat("created", &st) && (st.st_mode & 07777) == 0644);
	CHECK_ERR("O_CREAT|O_EXCL on it again EEXIST", openat2_raw(AT_FDCWD, "created", &h, sizeof h), EEXIST);
	umask(old);
}

static void test_resolve(int dir, int mnt)
{
	CHECK_EQ("plain: a file", o2(dir, "f", O_RDONLY, 0), 0);
	CHECK_EQ("NO_XDEV: a file", o2(dir, "f", O_RDONLY, NO_XDEV), 0);
	CHECK_ERR("NO_XDEV: into a mount EXDEV", o2(dir, "mnt/x", O_RDONLY, NO_XDEV), EXDEV);
	CHECK_ERR("NO_XDEV: a mount point last EXDEV", o2(dir, "mnt", O_RDONLY, NO_XDEV), EXDEV);
	CHECK_ERR("NO_XDEV: .. out of a mount EXDEV", o2(mnt, "../f", O_RDONLY, NO_XDEV), EXDEV);
	CHECK_EQ("NO_XDEV: inside the mount", o2(mnt, "x", O_RDONLY, NO_XDEV), 0);
	CHECK_ERR("NO_XDEV: /proc/version EXDEV", o2(AT_FDCWD, "/proc/version", O_RDONLY, NO_XDEV), EXDEV);
	CHECK_ERR("NO_XDEV: a symlink into the mount EXDEV", o2(dir, "tomnt", O_RDONLY, NO_XDEV), EXDEV);

	CHECK_EQ("NO_MAGICLINKS: a symlink", o2(dir, "sl", O_RDONLY, NO_MAGICLINKS), 0);
	CHECK_ERR("NO_MAGICLINKS: /proc/self/exe ELOOP", o2(AT_FDCWD, "/proc/self/exe", O_RDONLY, NO_MAGICLINKS), ELOOP);
	char fdpath[64];
	snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", dir);
	char fdsub[80];
	snprintf(fdsub, sizeof fdsub, "%s/f", fdpath);
	CHECK_ERR("NO_MAGICLINKS: through /proc/self/fd/N ELOOP", o2(AT_FDCWD, fdsub, O_RDONLY, NO_MAGICLINKS), ELOOP);
	CHECK_EQ("plain: through /proc/self/fd/N", o2(AT_FDCWD, fdsub, O_RDONLY, 0), 0);
	CHECK_ERR("NO_MAGICLINKS: /proc/self/cwd ELOOP", o2(AT_FDCWD, "/proc/self/cwd/f", O_RDONLY, NO_MAGICLINKS), ELOOP);
	CHECK_ERR("NO_MAGICLINKS: /proc/self/root ELOOP", o2(AT_FDCWD, "/proc/self/root", O_RDONLY, NO_MAGICLINKS), ELOOP);
	CHECK_EQ("plain: /proc/self/cwd/f is f", o2_ino(AT_FDCWD, "/proc/self/cwd/f", 0), ino_of("f"));
	CHECK_EQ("plain: /proc/self/root is /", o2_ino(AT_FDCWD, "/proc/self/root", 0), ino_of("/"));
	CHECK_ERR("NO_XDEV: /proc/self/cwd leaves procfs EXDEV", o2(AT_FDCWD, "/proc/self/cwd", O_RDONLY, 0x01), EXDEV);
	CHECK_EQ("NO_MAGICLINKS: O_PATH|O_NOFOLLOW takes the link", o2(AT_FDCWD, "/proc/self/exe", O_PATH | O_NOFOLLOW, NO_MAGICLINKS), 0);

	CHECK_ERR("NO_SYMLINKS: a last symlink ELOOP", o2(dir, "sl", O_RDONLY, NO_SYMLINKS), ELOOP);
	CHECK_ERR("NO_SYMLINKS: a symlinked directory ELOOP", o2(dir, "dl/g", O_RDONLY, NO_SYMLINKS), ELOOP);
	CHECK_ERR("NO_SYMLINKS: a magic link ELOOP", o2(AT_FDCWD, "/proc/self/exe", O_RDONLY, NO_SYMLINKS), ELOOP);
	CHECK_EQ("NO_SYMLINKS: O_PATH|O_NOFOLLOW takes the link", o2(dir, "sl", O_PATH | O_NOFOLLOW, NO_SYMLINKS), 0);
	CHECK_ERR("NO_SYMLINKS: O_NOFOLLOW on a symlink ELOOP", o2(dir, "sl", O_RDONLY | O_NOFOLLOW, NO_SYMLINKS), ELOOP);

	CHECK_EQ("BENEATH: a file", o2(dir, "f", O_RDONLY, BENEATH), 0);
	CHECK_EQ("BENEATH: d/../f", o2(dir, "d/../f", O_RDONLY, BENEATH), 0);
	CHECK_EQ("BENEATH: .", o2(dir, ".", O_RDONLY, BENEATH), 0);
	CHECK_ERR("BENEATH: .. EXDEV", o2(dir, "..", O_RDONLY, BENEATH), EXDEV);
	CHECK_ERR("BENEATH: ../o2/f EXDEV", o2(dir, "../o2/f", O_RDONLY, BENEATH), EXDEV);
	CHECK_ERR("BENEATH: an absolute name EXDEV", o2(dir, "/proc/version", O_RDONLY, BENEATH), EXDEV);
	CHECK_ERR("BENEATH: an absolute symlink EXDEV", o2(dir, "abs", O_RDONLY, BENEATH), EXDEV);
	CHECK_ERR("BENEATH: a symlink climbing out EXDEV", o2(dir, "up", O_RDONLY, BENEATH), EXDEV);
	CHECK_EQ("BENEATH: a symlink staying under", o2(dir, "sl", O_RDONLY, BENEATH), 0);
	CHECK_EQ("BENEATH: into a mount", o2(dir, "mnt/x", O_RDONLY, BENEATH), 0);
	CHECK_ERR("BENEATH: a bad dirfd EBADF", o2(-1, "f", O_RDONLY, BENEATH), EBADF);
	int fdd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY);
	char num[16];
	snprintf(num, sizeof num, "%d", dir);
	CHECK_ERR("BENEATH: a magic link EXDEV", o2(fdd, num, O_RDONLY, BENEATH), EXDEV);
	CHECK_ERR("IN_ROOT: a magic link EXDEV", o2(fdd, num, O_RDONLY, IN_ROOT), EXDEV);
	CHECK_EQ("plain: the magic link", o2(fdd, num, O_RDONLY, 0), 0);
	close(fdd);
	int self = open("/proc/self", O_RDONLY | O_DIRECTORY);
	CHECK_ERR("BENEATH: the cwd link EXDEV", o2(self, "cwd/f", O_RDONLY, BENEATH), EXDEV);
	CHECK_ERR("IN_ROOT: the exe link EXDEV", o2(self, "exe", O_RDONLY, IN_ROOT), EXDEV);
	close(self);

	long long f_ino = ino_of("f");
	CHECK_EQ("IN_ROOT: an absolute name is under the dirfd", o2_ino(dir, "/f", IN_ROOT), f_ino);
	CHECK_EQ("IN_ROOT: .. stops at the dirfd", o2_ino(dir, "../../f", IN_ROOT), f_ino);
	CHECK_EQ("IN_ROOT: an absolute symlink is under the dirfd", o2_ino(dir, "abs", IN_ROOT), ino_of("openat2_f"));
	CHECK_EQ("IN_ROOT: a climbing symlink stops at the dirfd", o2_ino(dir, "up", IN_ROOT), f_ino);
	CHECK_ERR("IN_ROOT: /proc/version ENOENT", o2(dir, "/proc/version", O_RDONLY, IN_ROOT), ENOENT);
	CHECK_ERR("plain: the absolute symlink leaves the dirfd", o2(dir, "abs", O_RDONLY, 0), ENOENT);
	CHECK_EQ("IN_ROOT: . is the dirfd", o2_ino(dir, "/", IN_ROOT), ino_of("."));
	CHECK_EQ("IN_ROOT with AT_FDCWD", o2_ino(AT_FDCWD, "/f", IN_ROOT), f_ino);
}

static int child(void *arg)
{
	int dir = *(int *)arg;
	gid_t groups[] = { 1000 };
	if (setgroups(1, groups) || setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
		return 99;
	CHECK_EQ("child: BENEATH opens a readable file", o2(dir, "f", O_RDONLY, BENEATH), 0);
	CHECK_ERR("child: BENEATH refuses .. first (EXDEV)", o2(dir, "../o2/f", O_RDONLY, BENEATH), EXDEV);
	CHECK_ERR("child: a private file EACCES", o2(dir, "private", O_RDONLY, BENEATH), EACCES);
	CHECK_ERR("child: creating in a root directory EACCES", o2(dir, "new", O_CREAT | O_WRONLY, 0), EACCES);
	return check_fails;
}

int main(void)
{
	TEST_BEGIN(T);
	mkdir("o2", 0755);
	if (chdir("o2")) {
		CHECK("chdir o2", 0);
		return TEST_END();
	}
	close(open("f", O_CREAT | O_WRONLY, 0644));
	close(open("openat2_f", O_CREAT | O_WRONLY, 0644));
	close(open("private", O_CREAT | O_WRONLY, 0600));
	mkdir("d", 0755);
	close(open("d/g", O_CREAT | O_WRONLY, 0644));
	symlink("f", "sl");
	symlink("d", "dl");
	symlink("/openat2_f", "abs");
	symlink("../f", "up");
	mkdir("mnt", 0755);
	if (mount("tmpfs", "mnt", "tmpfs", 0, NULL))
		CHECK("mount a tmpfs", 0);
	close(open("mnt/x", O_CREAT | O_WRONLY, 0644));
	symlink("mnt/x", "tomnt");
	chmod(".", 0755);
	test_args();
	int dir = open(".", O_RDONLY | O_DIRECTORY);
	int mnt = open("mnt", O_RDONLY | O_DIRECTORY);
	test_resolve(dir, mnt);
	CHECK_EQ("unprivileged checks pass", run_child(child, &dir), 0);
	close(dir);
	close(mnt);
	umount("mnt");
	return TEST_END();
}
