/*
 * disk_ext2: a read-only ext2 mount, as Linux 6.1 (whose ext4 driver
 * mounts ext2) serves it. Run by the disk suite with the images of
 * tests/mkext2.py as vdc (ext2.img), vdd (ext2-badmagic.img), vde
 * (ext2-baddir.img) and vdf (ext4.img): mount errors, stat, readdir with d_type, reads
 * through direct, indirect and double indirect blocks, holes, fast and
 * slow symlinks, hard links and statfs, each checked against /MANIFEST
 * in the image; then the damaged images.
 */
#include "check.h"
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#define MNT	"/tmp/ext2"
#define MNT_BAD	"/tmp/ext2bad"
#define TRIPLE_AT (70 << 20)	/* /triple's data (tests/mkext2.py) */

static uint64_t fnv(const unsigned char *p, size_t n, uint64_t h)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

/* FNV-1a of the whole file read in odd-sized pieces; -1 on error. */
static long long file_len_hash(const char *path, uint64_t *hash)
{
	static unsigned char buf[7919];
	int fd = open(path, O_RDONLY);
	long long total = 0;
	ssize_t n;

	*hash = 0xcbf29ce484222325ull;
	if (fd < 0)
		return -1;
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		*hash = fnv(buf, (size_t)n, *hash);
		total += n;
	}
	close(fd);
	return n < 0 ? -1 : total;
}

/* What the manifest says of a node, and its name under the mount. */
struct node {
	char path[256], full[300];
	unsigned mode;
	unsigned long uid, gid, nlink;
};

/* lstat @w's node into *@st and check its type @type, mode, owner, links. */
static void check_node(struct node *w, mode_t type, struct stat *st)
{
	char what[400];

	snprintf(w->full, sizeof w->full, MNT "%s", w->path);
	CHECK_OK(w->full, lstat(w->full, st));
	snprintf(what, sizeof what, "%s: type, mode, owner, links", w->path);
	CHECK(what, (st->st_mode & S_IFMT) == type &&
	      (st->st_mode & 07777) == w->mode && st->st_uid == w->uid &&
	      st->st_gid == w->gid && st->st_nlink == w->nlink);
}

static void check_file(char *line)
{
	struct node w;
	char what[400];
	long long size, mtime;
	unsigned long long want;
	uint64_t hash;
	struct stat st;

	if (sscanf(line, "f %255s %o %lu %lu %lld %lu %lld %llx", w.path,
		   &w.mode, &w.uid, &w.gid, &size, &w.nlink, &mtime,
		   &want) != 8) {
		CHECK("a manifest line of a file parses", 0);
		return;
	}
	check_node(&w, S_IFREG, &st);
	snprintf(what, sizeof what, "%s: size", w.path);
	CHECK_EQ(what, st.st_size, size);
	/* mke2fs -d copies the mtime's seconds only. */
	snprintf(what, sizeof what, "%s: mtime", w.path);
	CHECK(what, st.st_mtim.tv_sec == mtime && st.st_mtim.tv_nsec == 0);
	snprintf(what, sizeof what, "%s: st_blocks covers its data", w.path);
	CHECK(what, strcmp(w.path, "/sparse") ?
	      st.st_blocks * 512 >= size : st.st_blocks * 512 < size / 4);
	snprintf(what, sizeof what, "%s: read back, FNV-1a as the manifest",
		 w.path);
	CHECK(what, file_len_hash(w.full, &hash) == size && hash == want);
}

static void check_link(char *line)
{
	char path[256], target[256], full[300], got[300], what[400];
	ssize_t n;

	if (sscanf(line, "l %255s %255s", path, target) != 2) {
		CHECK("a manifest line of a link parses", 0);
		return;
	}
	snprintf(full, sizeof full, MNT "%s", path);
	n = readlink(full, got, sizeof got - 1);
	got[n > 0 ? n : 0] = 0;
	snprintf(what, sizeof what, "readlink %s", path);
	CHECK_STR(what, got, target);
}

/* Entries of @path by getdents64, with "small"/"sub"/"fastlink"'s d_type. */
static int count_entries(const char *path, int *types_ok)
{
	char buf[1024];
	int fd = open(path, O_RDONLY | O_DIRECTORY), n = 0;
	long r;

	if (fd < 0)
		return -1;
	while ((r = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
		for (long off = 0; off < r;) {
			struct dirent64 *d = (void *)(buf + off);

			if (!strcmp(d->d_name, "small") && d->d_type != DT_REG)
				*types_ok = 0;
			if (!strcmp(d->d_name, "sub") && d->d_type != DT_DIR)
				*types_ok = 0;
			if (!strcmp(d->d_name, "fastlink") && d->d_type != DT_LNK)
				*types_ok = 0;
			n++;
			off += d->d_reclen;
		}
	}
	close(fd);
	return r < 0 ? -1 : n;
}

static void check_dir(char *line)
{
	struct node w;
	char what[400];
	int n, types_ok = 1;
	struct stat st;

	if (sscanf(line, "d %255s %o %lu %lu %lu %d", w.path, &w.mode, &w.uid,
		   &w.gid, &w.nlink, &n) != 6) {
		CHECK("a manifest line of a directory parses", 0);
		return;
	}
	check_node(&w, S_IFDIR, &st);
	snprintf(what, sizeof what, "%s: getdents64 lists every entry", w.path);
	CHECK_EQ(what, count_entries(w.full, &types_ok), n);
	snprintf(what, sizeof what, "%s: d_type from the filetype feature",
		 w.path);
	CHECK(what, types_ok);
}

static void check_statfs(char *line)
{
	unsigned long long bsize, blocks, bfree, bavail, files, ffree;
	unsigned fsid0, fsid1;
	struct statfs sf;

	CHECK("the statfs line parses",
	      sscanf(line, "s %llu %llu %llu %llu %llu %llu %u %u", &bsize,
		     &blocks, &bfree, &bavail, &files, &ffree, &fsid0,
		     &fsid1) == 8);
	CHECK_OK("statfs", statfs(MNT, &sf));
	CHECK_EQ("f_type is EXT2_SUPER_MAGIC", sf.f_type, 0xEF53);
	CHECK_EQ("f_bsize", sf.f_bsize, bsize);
	CHECK_EQ("f_blocks: the blocks less the metadata", sf.f_blocks, blocks);
	CHECK_EQ("f_bfree", sf.f_bfree, bfree);
	CHECK_EQ("f_bavail: less the reserved blocks", sf.f_bavail, bavail);
	CHECK_EQ("f_files", sf.f_files, files);
	CHECK_EQ("f_ffree", sf.f_ffree, ffree);
	CHECK_EQ("f_namelen", sf.f_namelen, 255);
	CHECK("f_fsid from the UUID", (unsigned)sf.f_fsid.__val[0] == fsid0 &&
	      (unsigned)sf.f_fsid.__val[1] == fsid1);
	CHECK("ST_RDONLY", sf.f_flags & ST_RDONLY);
}

static void check_manifest(void)
{
	static char text[16384];
	int fd = open(MNT "/MANIFEST", O_RDONLY), lines = 0;
	ssize_t n = fd >= 0 ? read(fd, text, sizeof text - 1) : -1;

	CHECK("the manifest reads", n > 0);
	close(fd);
	text[n > 0 ? n : 0] = 0;
	for (char *l = strtok(text, "\n"); l; l = strtok(NULL, "\n")) {
		if (l[0] == 'f')
			check_file(l);
		else if (l[0] == 'l')
			check_link(l);
		else if (l[0] == 'd')
			check_dir(l);
		else if (l[0] == 's')
			check_statfs(l);
		else
			continue;
		lines++;
	}
	CHECK("the manifest has its 17 lines", lines == 17);
}

static void check_misc(void)
{
	struct stat a, b, dev, root;
	char buf[64];
	int fd;

	CHECK_OK("stat a hard link", stat(MNT "/sub/hardlink", &a));
	CHECK_OK("stat its other name", stat(MNT "/small", &b));
	CHECK("both names: one inode, two links",
	      a.st_ino == b.st_ino && a.st_nlink == 2);
	CHECK_OK("stat the root", stat(MNT, &root));
	CHECK_OK("stat /dev/vdc", stat("/dev/vdc", &dev));
	CHECK("st_dev is the block device's number", root.st_dev == dev.st_rdev);
	CHECK_EQ("the root is inode 2", root.st_ino, 2);
	CHECK_OK("stat through the slow link (followed)",
		 stat(MNT "/slowlink", &a));
	CHECK_OK("stat of its target", stat(MNT "/sub/deeper/nested", &b));
	CHECK("the slow link leads to its target", a.st_ino == b.st_ino);
	CHECK_OK("stat through the fast link", stat(MNT "/fastlink", &a));
	CHECK_EQ("which is the small file", a.st_size, 1000);
	fd = open(MNT "/sparse", O_RDONLY);
	CHECK_OK("open the sparse file", fd);
	memset(buf, 1, sizeof buf);
	CHECK_EQ("pread inside the hole", pread(fd, buf, 16, 100 * 1024), 16);
	CHECK("the hole reads as zeros", !memcmp(buf, "\0\0\0\0\0\0\0\0", 8));
	CHECK_EQ("pread across the data in the middle",
		 pread(fd, buf, 8, 200 * 1024 - 1), 8);
	CHECK("zero, then the data", !memcmp(buf, "\0middle\0", 8));
	CHECK_EQ("pread at the end of file", pread(fd, buf, 8, 400 * 1024), 0);
	close(fd);
	fd = open(MNT "/dind", O_RDONLY);
	CHECK_EQ("pread in the double indirect part",
		 pread(fd, buf, 4, 280 * 1024 + 5), 4);
	CHECK("its bytes", (unsigned char)buf[0] ==
	      (((280 * 1024 + 5) * 7 + 1 * 13 + ((280 * 1024 + 5) >> 9)) & 0xff));
	close(fd);
	fd = open("/proc/self/mounts", O_RDONLY);
	{
		static char mounts[8192];
		ssize_t n = fd >= 0 ? read(fd, mounts, sizeof mounts - 1) : -1;

		mounts[n > 0 ? n : 0] = 0;
		CHECK("/proc/self/mounts: the device, ext2, ro",
		      strstr(mounts, "/dev/vdc " MNT " ext2 ro,relatime 0 0\n"));
	}
	close(fd);
	fd = open(MNT "/triple", O_RDONLY);
	memset(buf, 1, sizeof buf);
	CHECK_EQ("pread through triple indirect blocks",
		 pread(fd, buf, 16, TRIPLE_AT - 2), 8);
	CHECK("their data, after the hole's zeros",
	      !memcmp(buf, "\0\0TRIPLE", 8));
	CHECK_EQ("a hole in the double indirect range reads",
		 pread(fd, buf, 4, 20 << 20), 4);
	CHECK("as zeros", !memcmp(buf, "\0\0\0\0", 4));
	CHECK_OK("fstat it", fstat(fd, &a));
	CHECK("its size and its few blocks", a.st_size == TRIPLE_AT + 6 &&
	      a.st_blocks > 0 && a.st_blocks <= 16);
	close(fd);
	CHECK_ERR("a missing name", stat(MNT "/nonexistent", &a), ENOENT);
	CHECK_ERR("a file is no directory", stat(MNT "/small/x", &a), ENOTDIR);
	CHECK_ERR("no creating on a read-only mount",
		  open(MNT "/new", O_CREAT | O_WRONLY, 0644), EROFS);
	CHECK_ERR("no writing a file", open(MNT "/small", O_WRONLY), EROFS);
	CHECK_ERR("no mkdir", mkdir(MNT "/d", 0755), EROFS);
	CHECK_ERR("no unlink", unlink(MNT "/small"), EROFS);
}

static void check_mount_errors(void)
{
	CHECK_ERR("mount a non-block source: ENOTBLK",
		  mount("/tmp", MNT, "ext2", MS_RDONLY, NULL), ENOTBLK);
	CHECK_ERR("mount a missing source: ENOENT",
		  mount("/dev/nonexistent", MNT, "ext2", MS_RDONLY, NULL),
		  ENOENT);
	CHECK_ERR("a bad magic number: EINVAL",
		  mount("/dev/vdd", MNT_BAD, "ext2", MS_RDONLY, NULL), EINVAL);
	CHECK_ERR("vda (a partition table, no ext2): EINVAL",
		  mount("/dev/vda", MNT_BAD, "ext2", MS_RDONLY, NULL), EINVAL);
	/* Linux opens the device for writing first: a read-only drive */
	CHECK_ERR("a read-write mount of a read-only drive: EACCES",
		  mount("/dev/vdc", MNT_BAD, "ext2", 0, NULL), EACCES);
	if (mount("/dev/vdc", MNT_BAD, "ext2", MS_RDONLY, NULL) == 0) {
		CHECK_ERR("a read-write remount on a read-only drive: EACCES",
			  mount(NULL, MNT_BAD, NULL, MS_REMOUNT, NULL), EACCES);
		umount(MNT_BAD);
	}
}

/* /bad's entry "b" has a rec_len of 13: the rest of the block is skipped. */
static void check_baddir(void)
{
	int ok = 1, n;
	struct stat st;

	CHECK_OK("mount the image with a damaged directory",
		 mount("/dev/vde", MNT_BAD, "ext2", MS_RDONLY, NULL));
	CHECK_OK("its undamaged parts read", stat(MNT_BAD "/small", &st));
	n = count_entries(MNT_BAD "/bad", &ok);
	CHECK("readdir of the damaged directory: no error, and the entries "
	      "from the damaged one on are left out", n >= 0 && n < 5);
	CHECK_OK("the kernel lives on: another directory reads",
		 count_entries(MNT_BAD "/many", &ok));
	CHECK_ERR("a block number past the end: EUCLEAN",
		  stat(MNT_BAD "/twelve", &st), EUCLEAN);
	CHECK_OK("umount it", umount(MNT_BAD));
	CHECK_ERR("an ext4 image (extents, flex_bg...) as ext2: EINVAL",
		  mount("/dev/vdf", MNT_BAD, "ext2", MS_RDONLY, NULL), EINVAL);
}

/* A second mount of the same device shares its super block. */
static void check_second_mount(void)
{
	struct stat a, b;

	CHECK_OK("mount vdc a second time",
		 mount("/dev/vdc", MNT_BAD, "ext2", MS_RDONLY, NULL));
	CHECK_OK("stat through the first", stat(MNT "/dind", &a));
	CHECK_OK("stat through the second", stat(MNT_BAD "/dind", &b));
	CHECK("one file: the same device and inode",
	      a.st_dev == b.st_dev && a.st_ino == b.st_ino);
	CHECK_OK("umount the second", umount(MNT_BAD));
	CHECK_OK("the first still reads", stat(MNT "/dind", &a));
}

int main(void)
{
	TEST_BEGIN("disk_ext2");
	mkdir(MNT, 0755);
	mkdir(MNT_BAD, 0755);
	check_mount_errors();
	CHECK_OK("mount -t ext2 -o ro /dev/vdc",
		 mount("/dev/vdc", MNT, "ext2", MS_RDONLY, NULL));
	check_manifest();
	check_misc();
	check_second_mount();
	CHECK_ERR("umount while a file is open: EBUSY",
		  ({ int fd_ = open(MNT "/small", O_RDONLY);
		     int r_ = umount(MNT); int e_ = errno;
		     close(fd_); errno = e_; r_; }), EBUSY);
	CHECK_OK("umount", umount(MNT));
	CHECK_ERR("the name is gone with the mount", access(MNT "/small", F_OK),
		  ENOENT);
	check_baddir();
	return TEST_END();
}
