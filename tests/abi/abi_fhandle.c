/* abi_fhandle.c - name_to_handle_at and open_by_handle_at as Linux 6.1 gives them on tmpfs (handle type 1, 12 bytes: generation, then the 64-bit inode number), the flags, sizes (EOVERFLOW, EINVAL), the mount id of /proc/self/mountinfo, EOPNOTSUPP for procfs, pipes and sockets, bad pointers, the mount fd, stale handles, the open flags and the checks without CAP_DAC_READ_SEARCH or with it alone. */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#define T "abi_fhandle"
#define MNT "fh_mnt"
#define MNT2 "fh_mnt2"
#define CAP_DAC_READ_SEARCH_BIT (1u << 2)

struct fh {
	unsigned handle_bytes;
	int handle_type;
	unsigned char f_handle[MAX_HANDLE_SZ];
};

static int n2h(int dfd, const char *path, struct fh *h, int *mid, int flags)
{
	return (int)syscall(SYS_name_to_handle_at, dfd, path, h, mid, flags);
}

static int obh(int mfd, struct fh *h, int flags)
{
	return (int)syscall(SYS_open_by_handle_at, mfd, h, flags);
}

/* The handle of @path with room for MAX_HANDLE_SZ bytes: 0 or -1. */
static int handle_of(const char *path, struct fh *h, int flags)
{
	int mid;

	memset(h, 0, sizeof(*h));
	h->handle_bytes = MAX_HANDLE_SZ;
	return n2h(AT_FDCWD, path, h, &mid, flags);
}

static unsigned long long handle_ino(const struct fh *h)
{
	unsigned w[3];

	memcpy(w, h->f_handle, sizeof(w));
	return w[1] | (unsigned long long)w[2] << 32;
}

/* The mount id /proc/self/mountinfo gives the mount at @dir, or -1. */
static int mountinfo_id(const char *dir)
{
	char line[512], mp[256], want[256];
	int id, parent, found = -1;
	FILE *f = fopen("/proc/self/mountinfo", "r");

	if (!f || !getcwd(want, sizeof(want) - 64))
		return -1;
	strcat(want, "/");
	strcat(want, dir);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%d %d %*s %*s %255s", &id, &parent, mp) == 3 &&
		    !strcmp(mp, want))
			found = id;
	fclose(f);
	return found;
}

/* "<cwd>/@rel" into @buf. */
static const char *cwd_path(const char *rel, char *buf)
{
	if (!getcwd(buf, 128))
		return "";
	strcat(buf, "/");
	return strcat(buf, rel);
}

/* Where /proc/self/fd/@fd points, into @buf (256 bytes). */
static const char *fd_link(int fd, char *buf)
{
	char name[64];
	ssize_t n;

	snprintf(name, sizeof(name), "/proc/self/fd/%d", fd);
	n = readlink(name, buf, 255);
	buf[n < 0 ? 0 : n] = 0;
	return buf;
}

static void test_name(void)
{
	struct fh h;
	struct stat st;
	int mid = -7, fd, p[2], s;

	memset(&h, 0, sizeof(h));
	h.handle_bytes = MAX_HANDLE_SZ;
	CHECK_OK("name_to_handle_at a tmpfs file", n2h(AT_FDCWD, MNT "/f", &h, &mid, 0));
	CHECK_EQ("tmpfs handle is 12 bytes", h.handle_bytes, 12);
	CHECK_EQ("tmpfs handle type is 1", h.handle_type, 1);
	stat(MNT "/f", &st);
	CHECK_EQ("handle words 1-2 are the inode number", handle_ino(&h), st.st_ino);
	CHECK_EQ("mount id is mountinfo's", mid, mountinfo_id(MNT));

	memset(&h, 0, sizeof(h));
	mid = -7;
	CHECK_ERR("handle_bytes 0 EOVERFLOW", n2h(AT_FDCWD, MNT "/f", &h, &mid, 0), EOVERFLOW);
	CHECK_EQ("EOVERFLOW writes the size needed", h.handle_bytes, 12);
	CHECK_EQ("EOVERFLOW writes FILEID_INVALID", h.handle_type, 255);
	CHECK_EQ("EOVERFLOW writes the mount id", mid, mountinfo_id(MNT));
	h.handle_bytes = 11;
	CHECK_ERR("handle_bytes 11 EOVERFLOW", n2h(AT_FDCWD, MNT "/f", &h, &mid, 0), EOVERFLOW);
	h.handle_bytes = 12;
	CHECK_OK("handle_bytes 12 fits", n2h(AT_FDCWD, MNT "/f", &h, &mid, 0));
	h.handle_bytes = 13;
	CHECK_OK("handle_bytes 13 fits", n2h(AT_FDCWD, MNT "/f", &h, &mid, 0));
	CHECK_EQ("handle_bytes set back to 12", h.handle_bytes, 12);
	h.handle_bytes = MAX_HANDLE_SZ + 1;
	CHECK_ERR("handle_bytes 129 EINVAL", n2h(AT_FDCWD, MNT "/f", &h, &mid, 0), EINVAL);
	h.handle_bytes = MAX_HANDLE_SZ;
	CHECK_ERR("flag AT_REMOVEDIR EINVAL", n2h(AT_FDCWD, MNT "/f", &h, &mid, AT_REMOVEDIR), EINVAL);
	CHECK_ERR("flags -1 EINVAL", n2h(AT_FDCWD, MNT "/f", &h, &mid, -1), EINVAL);
	CHECK_ERR("bad handle pointer EFAULT", n2h(AT_FDCWD, MNT "/f", BAD_LOW, &mid, 0), EFAULT);
	CHECK_ERR("bad mount id pointer EFAULT", n2h(AT_FDCWD, MNT "/f", &h, BAD_LOW, 0), EFAULT);
	CHECK_ERR("bad path pointer EFAULT", n2h(AT_FDCWD, BAD_LOW, &h, &mid, 0), EFAULT);
	CHECK_ERR("missing file ENOENT", n2h(AT_FDCWD, MNT "/none", &h, &mid, 0), ENOENT);
	CHECK_ERR("empty path ENOENT", n2h(AT_FDCWD, "", &h, &mid, 0), ENOENT);
	CHECK_ERR("dfd -1 EBADF", n2h(-1, "f", &h, &mid, 0), EBADF);
	fd = open(MNT "/f", O_RDONLY);
	CHECK_ERR("dfd a file ENOTDIR", n2h(fd, "f", &h, &mid, 0), ENOTDIR);
	CHECK_OK("AT_EMPTY_PATH on a file's fd", n2h(fd, "", &h, &mid, AT_EMPTY_PATH));
	CHECK_EQ("AT_EMPTY_PATH names the fd's inode", handle_ino(&h), st.st_ino);
	close(fd);

	lstat(MNT "/l", &st);
	CHECK_OK("symlink not followed", handle_of(MNT "/l", &h, 0));
	CHECK_EQ("handle of the link itself", handle_ino(&h), st.st_ino);
	stat(MNT "/l", &st);
	CHECK_OK("AT_SYMLINK_FOLLOW", handle_of(MNT "/l", &h, AT_SYMLINK_FOLLOW));
	CHECK_EQ("handle of the target", handle_ino(&h), st.st_ino);
	CHECK_OK("a directory has a handle", handle_of(MNT "/d", &h, 0));
	CHECK_EQ("directory handle type 1", h.handle_type, 1);

	CHECK_ERR("procfs EOPNOTSUPP", handle_of("/proc/self/status", &h, 0), EOPNOTSUPP);
	if (access("/sys/kernel", F_OK) == 0)
		CHECK_ERR("sysfs EOPNOTSUPP", handle_of("/sys/kernel", &h, 0), EOPNOTSUPP);
	pipe(p);
	h.handle_bytes = MAX_HANDLE_SZ;
	CHECK_ERR("pipe EOPNOTSUPP", n2h(p[0], "", &h, &mid, AT_EMPTY_PATH), EOPNOTSUPP);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_ERR("socket EOPNOTSUPP", n2h(s, "", &h, &mid, AT_EMPTY_PATH), EOPNOTSUPP);
	CHECK_ERR("EOPNOTSUPP before EFAULT", n2h(p[0], "", BAD_LOW, &mid, AT_EMPTY_PATH), EOPNOTSUPP);
	close(s);
	close(p[0]);
	close(p[1]);
}

static void test_open(void)
{
	struct fh h, b;
	struct stat st, fst;
	char buf[8] = { 0 }, want[256], where[256];
	int m = open(MNT, O_RDONLY | O_DIRECTORY);
	int m2 = open(MNT2, O_RDONLY | O_DIRECTORY);
	int fd, p[2];

	handle_of(MNT "/f", &h, 0);
	stat(MNT "/f", &st);
	fd = obh(m, &h, O_RDONLY);
	CHECK_OK("open_by_handle_at a file", fd);
	fstat(fd, &fst);
	CHECK_EQ("opened the same inode", fst.st_ino, st.st_ino);
	CHECK_EQ("reads the file", read(fd, buf, sizeof(buf)), 5);
	CHECK_STR("file data", buf, "hello");
	CHECK_STR("/proc fd link of a file by handle", fd_link(fd, want), cwd_path(MNT "/f", where));
	close(fd);
	fd = obh(m, &h, O_RDWR | O_CLOEXEC);
	CHECK_OK("O_RDWR", fd);
	CHECK_EQ("O_CLOEXEC applies", fcntl(fd, F_GETFD), FD_CLOEXEC);
	close(fd);
	fd = open(MNT "/f", O_RDONLY);
	CHECK_OK("mount fd a file of the mount", close(obh(fd, &h, O_RDONLY)));
	close(fd);

	CHECK_ERR("mount fd -1 EBADF", obh(-1, &h, O_RDONLY), EBADF);
	CHECK_ERR("mount fd not open EBADF", obh(999, &h, O_RDONLY), EBADF);
	fd = open(MNT, O_PATH);
	CHECK_ERR("O_PATH mount fd EBADF", obh(fd, &h, O_RDONLY), EBADF);
	close(fd);
	pipe(p);
	CHECK_ERR("mount fd a pipe ESTALE", obh(p[0], &h, O_RDONLY), ESTALE);
	close(p[0]);
	close(p[1]);
	CHECK_ERR("another tmpfs ESTALE", obh(m2, &h, O_RDONLY), ESTALE);

	b = h;
	b.handle_bytes = 0;
	CHECK_ERR("handle_bytes 0 EINVAL", obh(m, &b, O_RDONLY), EINVAL);
	b.handle_bytes = MAX_HANDLE_SZ + 1;
	CHECK_ERR("handle_bytes 129 EINVAL", obh(m, &b, O_RDONLY), EINVAL);
	b.handle_bytes = 8;
	CHECK_ERR("a short handle ESTALE", obh(m, &b, O_RDONLY), ESTALE);
	b = h;
	b.f_handle[0] ^= 1;
	CHECK_ERR("a wrong generation ESTALE", obh(m, &b, O_RDONLY), ESTALE);
	b = h;
	b.handle_type = 2;
	CHECK_OK("tmpfs ignores the handle type", close(obh(m, &b, O_RDONLY)));
	CHECK_ERR("bad handle pointer EFAULT", obh(m, BAD_LOW, O_RDONLY), EFAULT);

	CHECK_ERR("O_CREAT|O_EXCL EEXIST", obh(m, &h, O_CREAT | O_EXCL | O_RDWR), EEXIST);
	CHECK_ERR("O_DIRECTORY on a file ENOTDIR", obh(m, &h, O_DIRECTORY), ENOTDIR);
	handle_of(MNT "/d", &b, 0);
	fd = obh(m, &b, O_RDONLY | O_DIRECTORY);
	CHECK_OK("a directory O_DIRECTORY", fd);
	CHECK_STR("/proc fd link of a directory by handle", fd_link(fd, want), cwd_path(MNT "/d", where));
	close(fd);
	CHECK_ERR("a directory O_WRONLY EISDIR", obh(m, &b, O_WRONLY), EISDIR);
	CHECK_ERR("a directory O_CREAT EISDIR", obh(m, &b, O_CREAT | O_RDONLY), EISDIR);
	fd = obh(m, &b, O_TMPFILE | O_RDWR);
	CHECK_OK("O_TMPFILE in a directory", fd);
	close(fd);
	CHECK_ERR("O_TMPFILE on a file ENOTDIR", obh(m, &h, O_TMPFILE | O_RDWR), ENOTDIR);
	CHECK_ERR("O_TMPFILE read-only EINVAL", obh(m, &b, O_TMPFILE | O_RDONLY), EINVAL);
	handle_of(MNT "/l", &b, 0);
	CHECK_ERR("a symlink ELOOP", obh(m, &b, O_RDONLY), ELOOP);
	fd = obh(m, &b, O_PATH);
	CHECK_OK("a symlink O_PATH", fd);
	fstat(fd, &fst);
	CHECK(("O_PATH on the link itself"), S_ISLNK(fst.st_mode));
	close(fd);

	fd = open(MNT "/gone", O_CREAT | O_RDWR, 0644);
	handle_of(MNT "/gone", &b, 0);
	unlink(MNT "/gone");
	close(fd);
	CHECK_ERR("a deleted file ESTALE", obh(m, &b, O_RDONLY), ESTALE);
	fd = open(MNT "/open", O_CREAT | O_RDWR, 0644);
	handle_of(MNT "/open", &b, 0);
	unlink(MNT "/open");
	CHECK_OK("an unlinked file still open", close(obh(m, &b, O_RDONLY)));
	close(fd);
	fd = open(MNT "/old", O_CREAT | O_RDWR, 0644);
	close(fd);
	handle_of(MNT "/old", &b, 0);
	rename(MNT "/old", MNT "/d/new");
	fd = obh(m, &b, O_RDONLY);
	CHECK_OK("a renamed file", fd);
	CHECK_STR("named by its new name", fd_link(fd, want), cwd_path(MNT "/d/new", where));
	close(fd);
	close(m);
	close(m2);
}

struct cap_hdr { unsigned version; int pid; };
struct cap_data { unsigned eff, prm, inh; };

/* Keep only the capabilities @set (root stays uid 0). */
static int caps_only(unsigned set)
{
	struct cap_hdr hd = { 0x20080522, 0 };
	struct cap_data d[2] = { { set, set, 0 }, { 0, 0, 0 } };

	return (int)syscall(SYS_capset, &hd, d);
}

/* With CAP_DAC_READ_SEARCH alone: the file's own permission checks. */
static int read_search_only(void *arg)
{
	struct fh h;
	int m = open(MNT, O_RDONLY | O_DIRECTORY);

	(void)arg;
	handle_of(MNT "/priv", &h, 0);
	CHECK_OK("keep CAP_DAC_READ_SEARCH only", caps_only(CAP_DAC_READ_SEARCH_BIT));
	CHECK_ERR("open(2) for writing EACCES", open(MNT "/priv", O_WRONLY), EACCES);
	CHECK_OK("by handle: read granted by the capability", close(obh(m, &h, O_RDONLY)));
	CHECK_ERR("by handle: write EACCES", obh(m, &h, O_WRONLY), EACCES);
	CHECK_ERR("by handle: O_TRUNC EACCES", obh(m, &h, O_RDONLY | O_TRUNC), EACCES);
	CHECK_OK("by handle: O_PATH", close(obh(m, &h, O_PATH)));
	CHECK_OK("drop every capability", caps_only(0));
	CHECK_ERR("no CAP_DAC_READ_SEARCH EPERM", obh(m, &h, O_PATH), EPERM);
	CHECK_ERR("EPERM before EFAULT", obh(m, BAD_LOW, O_RDONLY), EPERM);
	return check_fails;
}

/* As uid 1000: handles can be made, not opened. */
static int unprivileged(void *arg)
{
	struct fh h, p;
	int m = open(MNT, O_RDONLY | O_DIRECTORY), mid;

	(void)arg;
	handle_of(MNT "/priv", &p, 0);
	if (setgroups(0, NULL) || setresgid(1000, 1000, 1000) ||
	    setresuid(1000, 1000, 1000))
		return 1;
	memset(&h, 0, sizeof(h));
	h.handle_bytes = MAX_HANDLE_SZ;
	CHECK_OK("unprivileged name_to_handle_at", n2h(m, "f", &h, &mid, 0));
	CHECK_EQ("unprivileged: the same mount id", mid, mountinfo_id(MNT));
	CHECK_ERR("unprivileged open_by_handle_at EPERM", obh(m, &h, O_RDONLY), EPERM);
	CHECK_ERR("unprivileged: its own file EPERM too", obh(m, &p, O_PATH), EPERM);
	return check_fails;
}

int main(void)
{
	int fd;

	TEST_BEGIN(T);
	mkdir(MNT, 0755);
	mkdir(MNT2, 0755);
	CHECK_OK("mount a tmpfs", mount("none", MNT, "tmpfs", 0, NULL));
	CHECK_OK("mount another tmpfs", mount("none", MNT2, "tmpfs", 0, NULL));
	fd = open(MNT "/f", O_CREAT | O_RDWR, 0644);
	write(fd, "hello", 5);
	close(fd);
	fd = open(MNT "/priv", O_CREAT | O_RDWR, 0);
	fchown(fd, 1000, 1000);
	close(fd);
	mkdir(MNT "/d", 0755);
	symlink("f", MNT "/l");
	test_name();
	test_open();
	CHECK_EQ("CAP_DAC_READ_SEARCH alone", run_child(read_search_only, NULL), 0);
	CHECK_EQ("unprivileged checks pass", run_child(unprivileged, NULL), 0);
	umount(MNT2);
	umount(MNT);
	rmdir(MNT2);
	rmdir(MNT);
	return TEST_END();
}
