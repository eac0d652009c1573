/*
 * disk_ext2w: a read-write ext2 mount, as Linux 6.1 (whose ext4 driver
 * mounts ext2) serves it. Run by the disk suite with tests/mkext2.py's
 * ext2w.img (Debian's mke2fs -t ext2, only a hashed directory in it) as
 * vdg and ext2-rocompat.img (a feature ext2 cannot write) as vdh.
 * Boot 1: files written and read back (appends, holes, a file past
 * 4 GiB, double indirect blocks, truncate both ways), directories,
 * links, unlink of an open file, renames, fast and slow symlinks,
 * attributes, statfs's free counts, fsync, a thousand small files,
 * names added to and removed from the hashed directory, umount and a
 * second mount. Boot 2: everything boot 1 left is still there; the disk
 * filled to ENOSPC and emptied again; a remount read-only (the super
 * block clean on the disk) and back; one more file; the read-only
 * feature refused read-write. The host then checks the image with
 * e2fsck -fn and reads the files back with debugfs (tests/disk.py,
 * which keeps in step with this).
 */
#include "check.h"
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#define DEV	"/dev/vdg"
#define MNT	"/tmp/ext2w"
#define BIG_LEN	(1024 * 1024 + 333)	/* past the double indirect start */
#define HUGE_AT	(5ull << 30)		/* past 4 GiB: large_file */
#define SPARSE_AT (5 << 20)
#define MANY	1000
#define INDEXED	300	/* /indexed's entries (tests/mkext2.py) */
#define SLOW_TARGET "a-slow-symlink-target/that-is-longer-than-sixty-bytes/" \
		    "so-it-needs-a-block-of-its-own"

/* Byte @i of /big (tests/disk.py makes the same). */
static unsigned char big_byte(size_t i)
{
	return (unsigned char)((i * 31 + (i >> 10)) & 0xff);
}

static int write_file(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, buf, len);
	close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

/* The whole of @path into @buf (@len at most): its length, or -1. */
static ssize_t read_file(const char *path, void *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n, total = 0;

	if (fd < 0)
		return -1;
	while ((size_t)total < len &&
	       (n = read(fd, (char *)buf + total, len - (size_t)total)) > 0)
		total += n;
	close(fd);
	return total;
}

static int file_is(const char *path, const char *text)
{
	char buf[256];
	ssize_t n = read_file(path, buf, sizeof buf - 1);

	if (n < 0)
		return 0;
	buf[n] = '\0';
	return !strcmp(buf, text);
}

static int count_entries(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static long long nlink_of(const char *path)
{
	struct stat st;

	return lstat(path, &st) ? -1 : (long long)st.st_nlink;
}

/* /big: BIG_LEN bytes in odd pieces, then read back whole. */
static int big_ok(void)
{
	static unsigned char buf[BIG_LEN];
	ssize_t n = read_file(MNT "/big", buf, sizeof buf);

	if (n != BIG_LEN)
		return 0;
	for (size_t i = 0; i < BIG_LEN; i++)
		if (buf[i] != big_byte(i))
			return 0;
	return 1;
}

static void test_files(void)
{
	static unsigned char buf[BIG_LEN];
	unsigned char kept[1000];
	struct stat st;
	char c[8];
	int fd;

	CHECK_OK("create /hello", write_file(MNT "/hello", "hello, world\n",
					     13));
	CHECK("read it back", file_is(MNT "/hello", "hello, world\n"));
	fd = open(MNT "/hello", O_WRONLY | O_APPEND);
	CHECK_EQ("append", write(fd, "more\n", 5), 5);
	close(fd);
	CHECK("the appended file", file_is(MNT "/hello", "hello, world\nmore\n"));

	for (size_t i = 0; i < BIG_LEN; i++)
		buf[i] = big_byte(i);
	fd = open(MNT "/big", O_WRONLY | O_CREAT | O_EXCL, 0600);
	CHECK_OK("create /big", fd);
	for (size_t at = 0; at < BIG_LEN;) {
		size_t n = at + 7777 > BIG_LEN ? BIG_LEN - at : 7777;

		if (write(fd, buf + at, n) != (ssize_t)n)
			break;
		at += n;
	}
	CHECK_OK("fsync /big", fsync(fd));
	CHECK_OK("fstat /big", fstat(fd, &st));
	CHECK_EQ("its size", st.st_size, BIG_LEN);
	CHECK("its blocks: data and indirect blocks, no more",
	      st.st_blocks >= BIG_LEN / 512 &&
	      st.st_blocks <= BIG_LEN / 512 + 32);
	close(fd);
	CHECK("read /big back (double indirect blocks)", big_ok());

	fd = open(MNT "/sparse", O_RDWR | O_CREAT, 0644);
	CHECK_EQ("a byte at 0", pwrite(fd, "A", 1, 0), 1);
	CHECK_EQ("a byte at 5 MiB", pwrite(fd, "B", 1, SPARSE_AT), 1);
	CHECK_OK("fstat /sparse", fstat(fd, &st));
	CHECK_EQ("its size", st.st_size, SPARSE_AT + 1);
	CHECK("the hole takes no blocks", st.st_blocks <= 16);
	CHECK("the hole reads as zeros",
	      pread(fd, c, 4, SPARSE_AT / 2) == 4 && !memcmp(c, "\0\0\0\0", 4));
	CHECK("the far byte reads back",
	      pread(fd, c, 2, SPARSE_AT) == 1 && c[0] == 'B');
	close(fd);

	fd = open(MNT "/huge", O_RDWR | O_CREAT, 0644);
	CHECK_EQ("write past 4 GiB", pwrite(fd, "END", 3, HUGE_AT), 3);
	CHECK_OK("fstat /huge", fstat(fd, &st));
	CHECK_EQ("its 64-bit size", st.st_size, HUGE_AT + 3);
	CHECK("read it back", pread(fd, c, 8, HUGE_AT) == 3 &&
	      !memcmp(c, "END", 3));
	close(fd);

	CHECK_OK("create /trunc", write_file(MNT "/trunc", buf, 300 * 1024));
	CHECK_OK("truncate it down to 1000", truncate(MNT "/trunc", 1000));
	CHECK_OK("stat it", stat(MNT "/trunc", &st));
	CHECK("size 1000, its blocks freed", st.st_size == 1000 &&
	      st.st_blocks <= 8);
	CHECK_OK("truncate it up to 200000", truncate(MNT "/trunc", 200000));
	fd = open(MNT "/trunc", O_RDONLY);
	CHECK("the kept bytes", pread(fd, kept, sizeof kept, 0) == 1000 &&
	      !memcmp(kept, buf, sizeof kept));
	CHECK("past the old end: zeros",
	      pread(fd, c, 8, 1000) == 8 && !memcmp(c, "\0\0\0\0\0\0\0\0", 8));
	CHECK("far past it: zeros", pread(fd, c, 8, 150000) == 8 &&
	      !memcmp(c, "\0\0\0\0\0\0\0\0", 8));
	close(fd);
}

static void test_dirs(void)
{
	struct stat a, b;
	long long root = nlink_of(MNT);

	CHECK_OK("mkdir /d1", mkdir(MNT "/d1", 0755));
	CHECK_OK("mkdir /d1/sub", mkdir(MNT "/d1/sub", 0700));
	CHECK_OK("mkdir /d2", mkdir(MNT "/d2", 0755));
	CHECK_ERR("mkdir an existing name: EEXIST", mkdir(MNT "/d1", 0755),
		  EEXIST);
	CHECK_EQ("the root's links", nlink_of(MNT), root + 2);
	CHECK_EQ("/d1's links", nlink_of(MNT "/d1"), 3);
	CHECK_ERR("rmdir a non-empty directory: ENOTEMPTY", rmdir(MNT "/d1"),
		  ENOTEMPTY);
	CHECK_OK("mkdir /gone", mkdir(MNT "/gone", 0755));
	CHECK_OK("rmdir it", rmdir(MNT "/gone"));
	CHECK_ERR("it is gone", access(MNT "/gone", F_OK), ENOENT);
	CHECK_ERR("rmdir a file: ENOTDIR", rmdir(MNT "/hello"), ENOTDIR);
	CHECK_ERR("unlink a directory: EISDIR", unlink(MNT "/d1"), EISDIR);

	CHECK_OK("link /hello /d2/hello2", link(MNT "/hello", MNT "/d2/hello2"));
	CHECK_EQ("two links", nlink_of(MNT "/hello"), 2);
	CHECK("the same file", file_is(MNT "/d2/hello2",
				       "hello, world\nmore\n"));
	CHECK_OK("link it again", link(MNT "/hello", MNT "/d1/hello3"));
	CHECK_OK("unlink one", unlink(MNT "/d1/hello3"));
	CHECK_EQ("two links again", nlink_of(MNT "/hello"), 2);

	CHECK_OK("create /d1/sub/file", write_file(MNT "/d1/sub/file", "f\n", 2));
	CHECK_OK("rename it across directories",
		 rename(MNT "/d1/sub/file", MNT "/d2/moved"));
	CHECK("it moved", file_is(MNT "/d2/moved", "f\n") &&
	      access(MNT "/d1/sub/file", F_OK) == -1);
	CHECK_OK("create /d2/a", write_file(MNT "/d2/a", "a\n", 2));
	CHECK_OK("create /d2/b", write_file(MNT "/d2/b", "b\n", 2));
	CHECK_OK("rename /d2/a over /d2/b", rename(MNT "/d2/a", MNT "/d2/b"));
	CHECK("b holds a's data, a is gone", file_is(MNT "/d2/b", "a\n") &&
	      access(MNT "/d2/a", F_OK) == -1);
	CHECK_OK("rename the directory /d1/sub to /d2/sub",
		 rename(MNT "/d1/sub", MNT "/d2/sub"));
	CHECK_EQ("/d1 lost a link", nlink_of(MNT "/d1"), 2);
	CHECK_EQ("/d2 gained one", nlink_of(MNT "/d2"), 3);
	CHECK("its .. is /d2", stat(MNT "/d2/sub/..", &a) == 0 &&
	      stat(MNT "/d2", &b) == 0 && a.st_ino == b.st_ino);
	CHECK_OK("mkdir /d1/empty", mkdir(MNT "/d1/empty", 0755));
	CHECK_OK("rename a directory over an empty one",
		 rename(MNT "/d2/sub", MNT "/d1/empty"));
	CHECK_EQ("/d1's links", nlink_of(MNT "/d1"), 3);
	CHECK_EQ("/d2's links", nlink_of(MNT "/d2"), 2);
	CHECK_OK("and back", rename(MNT "/d1/empty", MNT "/d2/sub"));
}

static void test_unlink_open(void)
{
	struct statfs s0, s1;
	struct stat st;
	char buf[64 * 1024], back[8];
	int fd;

	memset(buf, 'v', sizeof buf);
	CHECK_OK("statfs", statfs(MNT, &s0));
	fd = open(MNT "/victim", O_RDWR | O_CREAT, 0644);
	CHECK_EQ("write 64 KiB", write(fd, buf, sizeof buf), (long)sizeof buf);
	CHECK_OK("statfs", statfs(MNT, &s1));
	CHECK("the free blocks went down by 64 or more",
	      s0.f_bfree - s1.f_bfree >= 64);
	CHECK_EQ("the free inodes went down by one",
		 s0.f_ffree - s1.f_ffree, 1);
	CHECK_OK("unlink it while open", unlink(MNT "/victim"));
	CHECK_OK("fstat it", fstat(fd, &st));
	CHECK_EQ("no link left", st.st_nlink, 0);
	CHECK("its data still reads", pread(fd, back, 4, 1000) == 4 &&
	      !memcmp(back, "vvvv", 4));
	close(fd);
	CHECK_OK("statfs", statfs(MNT, &s1));
	CHECK("closing it freed the blocks and the inode",
	      s1.f_bfree == s0.f_bfree && s1.f_ffree == s0.f_ffree);
}

static void test_links_attrs(void)
{
	struct timespec ts[2] = { { 1000000000, 0 }, { 1234567890, 500 } };
	char buf[256];
	struct stat st;
	ssize_t n;

	CHECK_OK("a fast symlink", symlink("hello", MNT "/fast"));
	n = readlink(MNT "/fast", buf, sizeof buf);
	CHECK("readlink it", n == 5 && !memcmp(buf, "hello", 5));
	CHECK("it takes no block", lstat(MNT "/fast", &st) == 0 &&
	      st.st_blocks == 0 && st.st_size == 5);
	CHECK("it resolves", file_is(MNT "/fast", "hello, world\nmore\n"));
	CHECK_OK("a slow symlink", symlink(SLOW_TARGET, MNT "/slow"));
	n = readlink(MNT "/slow", buf, sizeof buf);
	CHECK("readlink it", n == (ssize_t)strlen(SLOW_TARGET) &&
	      !memcmp(buf, SLOW_TARGET, (size_t)n));
	CHECK("it takes a block", lstat(MNT "/slow", &st) == 0 &&
	      st.st_blocks > 0);

	CHECK_OK("chmod 0640", chmod(MNT "/hello", 0640));
	CHECK_OK("chown 1234:5678", chown(MNT "/hello", 1234, 5678));
	CHECK_OK("utimensat", utimensat(AT_FDCWD, MNT "/hello", ts, 0));
	CHECK_OK("stat", stat(MNT "/hello", &st));
	CHECK("mode, owner and times", (st.st_mode & 07777) == 0640 &&
	      st.st_uid == 1234 && st.st_gid == 5678 &&
	      st.st_atime == 1000000000 && st.st_mtime == 1234567890 &&
	      st.st_mtim.tv_nsec == 500);
}

static void test_many(void)
{
	char path[64], text[32];
	int ok = 1;

	CHECK_OK("mkdir /many", mkdir(MNT "/many", 0755));
	for (int i = 0; i < MANY && ok; i++) {
		snprintf(path, sizeof path, MNT "/many/file-%04d", i);
		snprintf(text, sizeof text, "file %d\n", i);
		ok = !write_file(path, text, strlen(text));
	}
	CHECK("create a thousand small files", ok);
	CHECK_EQ("readdir finds them", count_entries(MNT "/many"), MANY);
	for (int i = 0; i < MANY && ok; i += 2) {
		snprintf(path, sizeof path, MNT "/many/file-%04d", i);
		ok = !unlink(path);
	}
	CHECK("unlink every other one", ok);
	CHECK_EQ("readdir finds the rest", count_entries(MNT "/many"),
		 MANY / 2);
	CHECK("one of them reads", file_is(MNT "/many/file-0777",
					    "file 777\n"));
}

/* /indexed, hashed by e2fsck -D: read, then changed. */
static void test_indexed(void)
{
	char path[64], text[16];
	int ok = 1;

	CHECK_EQ("readdir the hashed directory", count_entries(MNT "/indexed"),
		 INDEXED);
	CHECK("look a name up in it", file_is(MNT "/indexed/entry-150",
					       "150\n"));
	for (int i = 0; i < 100 && ok; i++) {
		snprintf(path, sizeof path, MNT "/indexed/new-%d", i);
		snprintf(text, sizeof text, "new %d\n", i);
		ok = !write_file(path, text, strlen(text));
	}
	CHECK("add 100 names to it", ok);
	for (int i = 1; i <= 50 && ok; i++) {
		snprintf(path, sizeof path, MNT "/indexed/entry-%d", i);
		ok = !unlink(path);
	}
	CHECK("remove 50 of the old ones", ok);
	CHECK_EQ("readdir it again", count_entries(MNT "/indexed"),
		 INDEXED + 100 - 50);
	CHECK("old and new names look up", file_is(MNT "/indexed/new-99",
						    "new 99\n") &&
	      file_is(MNT "/indexed/entry-300", "300\n") &&
	      access(MNT "/indexed/entry-7", F_OK) == -1);
}

/* Fill the disk until a write fails with ENOSPC, then free it again. */
static void test_enospc(void)
{
	static char buf[256 * 1024];
	struct statfs s0, s1;
	int fd, err = 0;
	long long total = 0;

	memset(buf, 'F', sizeof buf);
	CHECK_OK("statfs", statfs(MNT, &s0));
	fd = open(MNT "/fill", O_WRONLY | O_CREAT, 0644);
	CHECK_OK("create /fill", fd);
	for (;;) {
		ssize_t n = write(fd, buf, sizeof buf);

		if (n < 0) {
			err = errno;
			break;
		}
		total += n;
		if (total > 64ll << 20)
			break;
	}
	CHECK_EQ("writing on a full disk: ENOSPC", err, ENOSPC);
	CHECK("most of the free space went into the file",
	      total >= (long long)(s0.f_bavail * s0.f_bsize) / 2);
	close(fd);
	CHECK_OK("unlink it", unlink(MNT "/fill"));
	sync();
	CHECK_OK("statfs", statfs(MNT, &s1));
	CHECK("the space is free again", s1.f_bfree == s0.f_bfree &&
	      s1.f_ffree == s0.f_ffree);
}

/* A read-only compatible feature ext2 cannot keep: read-only only. */
static void test_rocompat(void)
{
	CHECK_ERR("read-write with huge_file (ro_compat): EINVAL",
		  mount("/dev/vdh", MNT "/d1", "ext2", 0, NULL), EINVAL);
	CHECK_OK("read-only it mounts",
		 mount("/dev/vdh", MNT "/d1", "ext2", MS_RDONLY, NULL));
	CHECK_OK("umount it", umount(MNT "/d1"));
}

/*
 * A second mount of the mounted device shares its super block, but not
 * one that would change its read-only state: EBUSY, as Linux's
 * get_tree_bdev.
 */
static void test_second_mount(void)
{
	CHECK_ERR("a read-only mount of the device mounted read-write: EBUSY",
		  mount(DEV, MNT "/d1", "ext2", MS_RDONLY, NULL), EBUSY);
	CHECK_OK("a read-write one shares it",
		 mount(DEV, MNT "/d1", "ext2", 0, NULL));
	CHECK("the same files through both", file_is(MNT "/d1/boot2",
						     "second boot\n"));
	CHECK_OK("umount it", umount(MNT "/d1"));
	CHECK_OK("remount read-only",
		 mount(NULL, MNT, NULL, MS_REMOUNT | MS_RDONLY, NULL));
	CHECK_ERR("a read-write mount of the device mounted read-only: EBUSY",
		  mount(DEV, MNT "/d1", "ext2", 0, NULL), EBUSY);
	CHECK_OK("a read-only one shares it",
		 mount(DEV, MNT "/d1", "ext2", MS_RDONLY, NULL));
	CHECK_OK("umount it", umount(MNT "/d1"));
	CHECK_OK("remount read-write", mount(NULL, MNT, NULL, MS_REMOUNT,
					     NULL));
}

/* s_state of the super block, read from the device: bit 1 clean. */
static int sb_state(void)
{
	unsigned char st[2];
	int fd = open(DEV, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : pread(fd, st, 2, 1024 + 58);

	if (fd >= 0)
		close(fd);
	return n == 2 ? st[0] | st[1] << 8 : -1;
}

/* mount -o remount,ro writes everything and marks the disk clean. */
static void test_remount(void)
{
	CHECK_EQ("in use, the super block says not clean", sb_state() & 1, 0);
	CHECK_OK("remount read-only",
		 mount(NULL, MNT, NULL, MS_REMOUNT | MS_RDONLY, NULL));
	CHECK_EQ("the super block says clean", sb_state() & 1, 1);
	CHECK_ERR("writes: EROFS", open(MNT "/boot2", O_WRONLY | O_CREAT,
					0644), EROFS);
	CHECK_OK("remount read-write", mount(NULL, MNT, NULL, MS_REMOUNT,
					     NULL));
	CHECK_OK("write a file in the second boot",
		 write_file(MNT "/boot2", "second boot\n", 12));
	CHECK_EQ("in use again: not clean", sb_state() & 1, 0);
}

/* What boot 1 left, as boot 2 and the remount after umount see it. */
static void check_left(const char *when)
{
	char what[96];
	struct stat st;

	snprintf(what, sizeof what, "%s: /hello", when);
	CHECK(what, file_is(MNT "/hello", "hello, world\nmore\n") &&
	      stat(MNT "/hello", &st) == 0 && (st.st_mode & 07777) == 0640 &&
	      st.st_uid == 1234 && st.st_mtime == 1234567890 &&
	      st.st_nlink == 2);
	snprintf(what, sizeof what, "%s: /big", when);
	CHECK(what, big_ok());
	snprintf(what, sizeof what, "%s: /huge's size", when);
	CHECK(what, stat(MNT "/huge", &st) == 0 &&
	      st.st_size == (off_t)HUGE_AT + 3);
	snprintf(what, sizeof what, "%s: the renamed files", when);
	CHECK(what, file_is(MNT "/d2/b", "a\n") && file_is(MNT "/d2/moved",
							    "f\n"));
	snprintf(what, sizeof what, "%s: the symlinks", when);
	CHECK(what, file_is(MNT "/fast", "hello, world\nmore\n") &&
	      readlink(MNT "/slow", (char[128]){0}, 128) ==
	      (ssize_t)strlen(SLOW_TARGET));
	snprintf(what, sizeof what, "%s: /many", when);
	CHECK(what, count_entries(MNT "/many") == MANY / 2 &&
	      file_is(MNT "/many/file-0999", "file 999\n"));
	snprintf(what, sizeof what, "%s: /indexed", when);
	CHECK(what, count_entries(MNT "/indexed") == INDEXED + 50 &&
	      file_is(MNT "/indexed/new-42", "new 42\n"));
}

static void boot1(void)
{
	int fd;

	test_files();
	test_dirs();
	test_unlink_open();
	test_links_attrs();
	test_many();
	test_indexed();
	fd = open(MNT "/hello", O_RDONLY);
	CHECK_OK("syncfs", syncfs(fd));
	close(fd);
	sync();
	CHECK_OK("umount", umount(MNT));
	CHECK_OK("mount it read-only", mount(DEV, MNT, "ext2", MS_RDONLY, NULL));
	check_left("after umount");
	CHECK_ERR("a read-only mount refuses writes: EROFS",
		  open(MNT "/new", O_WRONLY | O_CREAT, 0644), EROFS);
	CHECK_OK("umount", umount(MNT));
}

static void boot2(void)
{
	check_left("after reboot");
	test_enospc();
	test_remount();
	test_second_mount();
	test_rocompat();
	CHECK_OK("umount", umount(MNT));
}

int main(void)
{
	const char *b = getenv("DISK_BOOT");
	int boot = b ? atoi(b) : 0;

	TEST_BEGIN("disk_ext2w");
	mkdir(MNT, 0755);
	CHECK_OK("mount -t ext2 " DEV " read-write",
		 mount(DEV, MNT, "ext2", 0, NULL));
	if (boot == 1)
		boot1();
	else
		boot2();
	return TEST_END();
}
