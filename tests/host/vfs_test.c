/*
 * Host unit tests of path resolution and tmpfs: build and run with
 * tests/host/run.sh. tmpfs.c is included so its SERVICE_INIT function
 * can be called directly.
 */
#include "../../services/fs/tmpfs/tmpfs.c"
#include "../../kernel/vfs/vfs_internal.h"
#include "../../kernel/vfs/vfs_mount.h"
#include <kernel/task.h>
#include "host_check.h"

extern long host_frames_live, host_frame_limit;
extern long host_heap_live, host_heap_limit;
int dprintf(int fd, const char *fmt, ...);

/* No name reached the inode (a truncate by descriptor). */
#define NO_ENTRY ((struct entry_name){ NULL, NULL })


#define CHECK_EQ(a, b) do {						\
	long __a = (long)(a), __b = (long)(b);				\
	if (__a == __b) {						\
		passed++;						\
	} else {							\
		failed++;						\
		dprintf(2, "FAIL %s:%d: %s == %ld, expected %ld\n", \
			__FILE__, __LINE__, #a, __a, __b);		\
	}								\
} while (0)

static int lookup_err(const char *name, unsigned flags)
{
	struct path p;
	int err = path_lookup(AT_FDCWD, name, flags, &p);

	if (!err)
		path_put(&p);
	return err;
}

static ino_t lookup_ino(const char *name, unsigned flags)
{
	struct path p;
	ino_t ino;

	if (path_lookup(AT_FDCWD, name, flags, &p))
		return 0;
	ino = p.inode->ino;
	path_put(&p);
	return ino;
}

static ssize_t write_file(const char *name, const void *buf, size_t len,
			  off_t pos)
{
	struct file *f = kernel_open(name, O_WRONLY | O_CREAT, 0644);
	ssize_t n;

	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_write(f, buf, len, pos);
	fput(f);
	return n;
}

static ssize_t read_file(const char *name, void *buf, size_t len, off_t pos)
{
	struct file *f = kernel_open(name, O_RDONLY, 0);
	ssize_t n;

	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_read(f, buf, len, pos);
	fput(f);
	return n;
}

static off_t file_size(const char *name)
{
	struct path p;
	off_t size;

	if (path_lookup(AT_FDCWD, name, 0, &p))
		return -1;
	size = p.inode->size;
	path_put(&p);
	return size;
}

struct names {
	struct dir_context ctx;
	char seen[64][NAME_MAX + 1];
	int n, limit;
	const char *unlink_during;	/* unlink this after the first entry */
};

static bool collect(struct dir_context *ctx, const char *name, size_t len,
		    ino_t ino, unsigned type)
{
	struct names *s = container_of(ctx, struct names, ctx);

	if (s->n >= s->limit)
		return false;
	memcpy(s->seen[s->n], name, len);
	s->seen[s->n][len] = '\0';
	s->n++;
	if (s->unlink_during) {
		do_unlinkat(AT_FDCWD, s->unlink_during);
		s->unlink_during = NULL;
	}
	return true;
}

static bool has_name(struct names *s, const char *name)
{
	int i;

	for (i = 0; i < s->n; i++) {
		if (!strcmp(s->seen[i], name))
			return true;
	}
	return false;
}

static int list_dir(const char *name, struct names *s, int limit)
{
	struct file *f = kernel_open(name, O_RDONLY | O_DIRECTORY, 0);
	int err, rounds = 0;

	memset(s, 0, sizeof(*s) - sizeof(s->unlink_during));
	s->ctx.emit = collect;
	if (IS_ERR(f))
		return PTR_ERR(f);
	/* Read in batches of @limit, as getdents does with a small buffer. */
	do {
		int before = s->n;

		s->limit = before + limit;
		err = vop_readdir(f, &s->ctx);
		if (err || s->n == before)
			break;
	} while (++rounds < 100 && s->n < 64 - limit);
	fput(f);
	return err;
}

static void test_paths(void)
{
	char buf[PATH_MAX];
	struct path p;
	char longname[300];

	CHECK_EQ(kernel_mkdir("/a", 0755), 0);
	CHECK_EQ(kernel_mkdir("/a/b", 0755), 0);
	CHECK_EQ(kernel_mkdir("/a/b", 0755), -EEXIST);
	CHECK_EQ(kernel_mkdir("/", 0755), -EEXIST);
	CHECK_EQ(kernel_mkdir("/nope/x", 0755), -ENOENT);
	CHECK(lookup_ino("/a/b", 0) != 0);
	CHECK_EQ(lookup_ino("/a/b/../b/./", 0), lookup_ino("/a/b", 0));
	CHECK_EQ(lookup_ino("//a///b//", 0), lookup_ino("/a/b", 0));
	CHECK_EQ(lookup_ino("/..", 0), lookup_ino("/", 0));
	CHECK_EQ(lookup_ino("/../../a", 0), lookup_ino("/a", 0));
	CHECK_EQ(lookup_err("", 0), -ENOENT);
	CHECK_EQ(lookup_err("/a/missing", 0), -ENOENT);

	CHECK_EQ(write_file("/a/f", "hello", 5, 0), 5);
	CHECK_EQ(lookup_err("/a/f/", 0), -ENOTDIR);
	CHECK_EQ(lookup_err("/a/f/x", 0), -ENOTDIR);
	CHECK_EQ(lookup_err("/a/f", LOOKUP_DIRECTORY), -ENOTDIR);
	memset(longname, 'x', sizeof(longname));
	longname[0] = '/';
	longname[257] = '\0';
	CHECK_EQ(lookup_err(longname, 0), -ENAMETOOLONG);
	longname[256] = '\0';
	CHECK_EQ(lookup_err(longname, 0), -ENOENT);

	/* Symlinks: relative, absolute, in the middle, loops. */
	CHECK_EQ(kernel_symlink("b", "/a/lnk"), 0);
	CHECK_EQ(lookup_ino("/a/lnk", LOOKUP_FOLLOW), lookup_ino("/a/b", 0));
	CHECK(lookup_ino("/a/lnk", 0) != lookup_ino("/a/b", 0));
	CHECK_EQ(lookup_ino("/a/lnk/..", 0), lookup_ino("/a", 0));
	CHECK_EQ(lookup_ino("/a/lnk/", 0), lookup_ino("/a/b", 0));
	CHECK_EQ(kernel_symlink("/l2", "/l1"), 0);
	CHECK_EQ(kernel_symlink("/l1", "/l2"), 0);
	CHECK_EQ(lookup_err("/l1", LOOKUP_FOLLOW), -ELOOP);
	CHECK_EQ(lookup_err("/l1", 0), 0);
	CHECK_EQ(PTR_ERR(kernel_open("/l1", O_RDONLY, 0)), -ELOOP);
	CHECK_EQ(PTR_ERR(kernel_open("/a/lnk", O_RDONLY | O_NOFOLLOW, 0)),
		 -ELOOP);
	CHECK_EQ(kernel_symlink("/a/newfile", "/dangling"), 0);
	CHECK_EQ(write_file("/dangling", "x", 1, 0), 1);
	CHECK_EQ(file_size("/a/newfile"), 1);
	CHECK_EQ(PTR_ERR(kernel_open("/a/f", O_RDONLY | O_CREAT | O_EXCL, 0)),
		 -EEXIST);
	CHECK_EQ(PTR_ERR(kernel_open("/a/b", O_WRONLY, 0)), -EISDIR);
	CHECK_EQ(PTR_ERR(kernel_open("/a/new/", O_WRONLY | O_CREAT, 0)),
		 -EISDIR);

	/* getcwd-style names. */
	CHECK_EQ(path_lookup(AT_FDCWD, "/a/b", 0, &p), 0);
	CHECK_EQ(path_to_string(&p, buf, sizeof(buf)), 4);
	CHECK(!strcmp(buf, "/a/b"));
	CHECK_EQ(path_to_string(&p, buf, 4), -ERANGE);
	path_put(&p);
}

static void test_files(void)
{
	char buf[8192];
	struct path p;
	long frames = host_frames_live;
	int i;

	CHECK_EQ(read_file("/a/f", buf, sizeof(buf), 0), 5);
	CHECK(!memcmp(buf, "hello", 5));
	CHECK_EQ(read_file("/a/f", buf, sizeof(buf), 5), 0);

	/* Sparse file: one page allocated, holes read as zeros. */
	CHECK_EQ(write_file("/sparse", "end", 3, 3 * PAGE_SIZE + 10), 3);
	CHECK_EQ(file_size("/sparse"), 3 * PAGE_SIZE + 13);
	CHECK_EQ(host_frames_live, frames + 1);
	memset(buf, 0x55, sizeof(buf));
	CHECK_EQ(read_file("/sparse", buf, 100, PAGE_SIZE), 100);
	for (i = 0; i < 100 && !buf[i]; i++)
		;
	CHECK_EQ(i, 100);
	CHECK_EQ(read_file("/sparse", buf, sizeof(buf), 3 * PAGE_SIZE + 8), 5);
	CHECK(!memcmp(buf, "\0\0end", 5));

	/* Truncate down then up: the cut bytes read back as zeros. */
	CHECK_EQ(path_lookup(AT_FDCWD, "/sparse", 0, &p), 0);
	CHECK_EQ(vfs_truncate(p.mnt, p.inode, 3 * PAGE_SIZE + 11, NO_ENTRY), 0);
	CHECK_EQ(vfs_truncate(p.mnt, p.inode, 3 * PAGE_SIZE + 13, NO_ENTRY), 0);
	CHECK_EQ(read_file("/sparse", buf, 3, 3 * PAGE_SIZE + 10), 3);
	CHECK(!memcmp(buf, "e\0\0", 3));
	CHECK_EQ(vfs_truncate(p.mnt, p.inode, 0, NO_ENTRY), 0);
	CHECK_EQ(host_frames_live, frames);
	CHECK_EQ(vfs_truncate(p.mnt, p.inode, -1, NO_ENTRY), -EINVAL);
	path_put(&p);

	/*
	 * Far out: one byte at 100 GiB is one frame and a path of index
	 * nodes; SEEK_DATA/SEEK_HOLE find it; a failed node allocation
	 * changes nothing; shrinking frees both.
	 */
	CHECK_EQ(write_file("/far", "z", 1, 100L << 30), 1);
	CHECK_EQ(path_lookup(AT_FDCWD, "/far", 0, &p), 0);
	CHECK_EQ(p.inode->size, (100L << 30) + 1);
	CHECK_EQ(p.inode->blocks, 8);
	CHECK_EQ(host_frames_live, frames + 1);
	{
		struct file *f = kernel_open("/far", O_RDWR, 0);
		long heap = host_heap_live;

		CHECK_EQ(vop_seek_data(f, 5, SEEK_DATA), 100L << 30);
		CHECK_EQ(vop_seek_data(f, 5, SEEK_HOLE), 5);
		CHECK_EQ(vop_seek_data(f, 100L << 30, SEEK_HOLE),
			 (100L << 30) + 1);
		host_heap_limit = host_heap_live;
		CHECK_EQ(kernel_write(f, "y", 1, 1L << 40), -ENOMEM);
		host_heap_limit = -1;
		CHECK_EQ(host_heap_live, heap);
		CHECK_EQ(host_frames_live, frames + 1);
		CHECK_EQ(p.inode->size, (100L << 30) + 1);
		CHECK_EQ(kernel_write(f, "y", 1, 1L << 62), 1);
		CHECK_EQ(p.inode->size, (1L << 62) + 1);
		CHECK_EQ(kernel_write(f, "y", 1, INT64_MAX - 1), 1);
		CHECK_EQ(kernel_write(f, "y", 1, INT64_MAX), -EINVAL);
		CHECK_EQ(p.inode->blocks, 24);
		CHECK_EQ(vfs_truncate(p.mnt, p.inode, 4096, NO_ENTRY), 0);
		CHECK_EQ(host_heap_live, heap - 5);	/* the 100 GiB path */
		CHECK_EQ(vop_seek_data(f, 0, SEEK_DATA), -ENXIO);
		fput(f);
	}
	CHECK_EQ(host_frames_live, frames);
	CHECK_EQ(p.inode->blocks, 0);
	path_put(&p);

	/* Writes across a page boundary, then O_TRUNC and O_APPEND. */
	memset(buf, 'q', sizeof(buf));
	CHECK_EQ(write_file("/big", buf, 6000, 0), 6000);
	CHECK_EQ(read_file("/big", buf + 6000, 2000, 4000), 2000);
	CHECK_EQ(buf[7999], 'q');
	{
		struct file *f = kernel_open("/big", O_WRONLY | O_TRUNC |
					     O_APPEND, 0);

		CHECK(!IS_ERR(f));
		CHECK_EQ(file_size("/big"), 0);
		CHECK_EQ(kernel_write(f, "ab", 2, 100), 2);
		CHECK_EQ(kernel_write(f, "cd", 2, 0), 2);
		fput(f);
	}
	CHECK_EQ(read_file("/big", buf, 10, 0), 4);
	CHECK(!memcmp(buf, "abcd", 4));

	/* Out of frames: ENOSPC, and nothing is left half-done. */
	host_frame_limit = host_frames_live;
	CHECK_EQ(write_file("/full", "x", 1, 0), -ENOSPC);
	CHECK_EQ(file_size("/full"), 0);
	host_frame_limit = -1;
}

static void test_names(void)
{
	static struct names s;
	ino_t ino;

	/* rename: plain, over a file, dir into its own subtree, non-empty. */
	ino = lookup_ino("/a/f", 0);
	CHECK_EQ(kernel_mkdir("/a/b/c", 0755), 0);
	CHECK_EQ(write_file("/a/b/c/g", "g", 1, 0), 1);
	CHECK_EQ(do_renameat2(AT_FDCWD, "/a/f", AT_FDCWD, "/a/b/f2", 0), 0);
	CHECK_EQ(lookup_ino("/a/b/f2", 0), ino);
	CHECK_EQ(lookup_err("/a/f", 0), -ENOENT);
	CHECK_EQ(do_renameat2(AT_FDCWD, "/a/b/f2", AT_FDCWD, "/a/b/c/g", 0), 0);
	CHECK_EQ(lookup_ino("/a/b/c/g", 0), ino);
	CHECK_EQ(do_renameat2(AT_FDCWD, "/a/b", AT_FDCWD, "/a/b/c/d", 0),
		 -EINVAL);
	CHECK_EQ(kernel_mkdir("/e", 0755), 0);
	CHECK_EQ(do_renameat2(AT_FDCWD, "/e", AT_FDCWD, "/a/b", 0), -ENOTEMPTY);
	CHECK_EQ(do_renameat2(AT_FDCWD, "/e", AT_FDCWD, "/a/b/c/g", 0),
		 -ENOTDIR);
	CHECK_EQ(do_renameat2(AT_FDCWD, "/a/b/c/g", AT_FDCWD, "/e", 0),
		 -EISDIR);
	CHECK_EQ(do_renameat2(AT_FDCWD, "/a/b/c/g", AT_FDCWD, "/a/b/c/g",
			      RENAME_NOREPLACE), -EEXIST);
	CHECK_EQ(do_renameat2(AT_FDCWD, "/e", AT_FDCWD, "/a/e2", 0), 0);
	CHECK_EQ(lookup_ino("/a/e2/..", 0), lookup_ino("/a", 0));

	/* Hard links and removal. */
	CHECK_EQ(do_linkat(AT_FDCWD, "/a/b/c/g", AT_FDCWD, "/a/g2", 0), 0);
	CHECK_EQ(lookup_ino("/a/g2", 0), ino);
	CHECK_EQ(do_linkat(AT_FDCWD, "/a/b", AT_FDCWD, "/a/bb", 0), -EPERM);
	CHECK_EQ(do_rmdirat(AT_FDCWD, "/a/b"), -ENOTEMPTY);
	CHECK_EQ(do_rmdirat(AT_FDCWD, "/a/g2"), -ENOTDIR);
	CHECK_EQ(do_rmdirat(AT_FDCWD, "/a/e2/."), -EINVAL);
	CHECK_EQ(do_unlinkat(AT_FDCWD, "/a/b"), -EISDIR);
	CHECK_EQ(do_unlinkat(AT_FDCWD, "/a/g2/"), -ENOTDIR);
	CHECK_EQ(do_unlinkat(AT_FDCWD, "/a/g2"), 0);
	CHECK_EQ(lookup_ino("/a/b/c/g", 0), ino);
	CHECK_EQ(do_rmdirat(AT_FDCWD, "/a/e2"), 0);

	/* A mount: crossing down, ".." back up, busy while in use. */
	{
		struct path mp, inside;

		CHECK_EQ(kernel_mkdir("/mnt", 0755), 0);
		CHECK_EQ(kernel_mount("none", "/mnt", "ramfs", 0, NULL), 0);
		CHECK_EQ(kernel_mount("none", "/mnt", "nosuchfs", 0, NULL),
			 -ENODEV);
		CHECK_EQ(kernel_mkdir("/mnt/x", 0755), 0);
		CHECK_EQ(lookup_ino("/mnt/x/../..", 0), lookup_ino("/", 0));
		CHECK_EQ(do_rmdirat(AT_FDCWD, "/mnt"), -EBUSY);
		CHECK_EQ(path_lookup(AT_FDCWD, "/mnt/x", 0, &inside), 0);
		CHECK_EQ(path_lookup(AT_FDCWD, "/mnt", 0, &mp), 0);
		CHECK_EQ(do_umount(&mp, false), -EBUSY);
		path_put(&inside);
		CHECK_EQ(do_umount(&mp, false), 0);
		path_put(&mp);
		CHECK_EQ(lookup_err("/mnt/x", 0), -ENOENT);
	}

	/* Readdir: ".", "..", entries; an unlink mid-way must not crash. */
	CHECK_EQ(list_dir("/a", &s, 2), 0);
	CHECK(has_name(&s, "."));
	CHECK(has_name(&s, ".."));
	CHECK(has_name(&s, "b"));
	CHECK(has_name(&s, "newfile"));
	CHECK(has_name(&s, "lnk"));
	CHECK(!has_name(&s, "f"));
	CHECK_EQ(s.n, 5);
	s.unlink_during = "/a/newfile";
	CHECK_EQ(list_dir("/a", &s, 64), 0);
	CHECK(s.n >= 4 && s.n <= 5);
	CHECK_EQ(lookup_err("/a/newfile", 0), -ENOENT);
}

static uint32_t nlink_of(const char *name)
{
	struct path p;
	uint32_t n;

	if (path_lookup(AT_FDCWD, name, 0, &p))
		return 0;
	n = p.inode->nlink;
	path_put(&p);
	return n;
}

/* renameat2 RENAME_EXCHANGE: swaps, parents and links, Linux's errors. */
static void test_exchange(void)
{
	ino_t d, f;

	CHECK_EQ(kernel_mkdir("/x", 0755), 0);
	CHECK_EQ(kernel_mkdir("/x/d", 0755), 0);
	CHECK_EQ(kernel_mkdir("/y", 0755), 0);
	CHECK_EQ(write_file("/y/f", "f", 1, 0), 1);
	d = lookup_ino("/x/d", 0);
	f = lookup_ino("/y/f", 0);
	CHECK_EQ(nlink_of("/x"), 3);
	CHECK_EQ(do_renameat2(AT_FDCWD, "/x/d", AT_FDCWD, "/y/f",
			      RENAME_EXCHANGE), 0);
	CHECK_EQ(lookup_ino("/x/d", 0), f);
	CHECK_EQ(lookup_ino("/y/f", 0), d);
	CHECK_EQ(lookup_ino("/y/f/..", 0), lookup_ino("/y", 0));
	CHECK_EQ(nlink_of("/x"), 2);
	CHECK_EQ(nlink_of("/y"), 3);
	/* Back again within one directory pair, then errors. */
	CHECK_EQ(do_renameat2(AT_FDCWD, "/y/f", AT_FDCWD, "/x/d",
			      RENAME_EXCHANGE), 0);
	CHECK_EQ(lookup_ino("/x/d/..", 0), lookup_ino("/x", 0));
	CHECK_EQ(nlink_of("/x"), 3);
	CHECK_EQ(nlink_of("/y"), 2);
	CHECK_EQ(do_renameat2(AT_FDCWD, "/x", AT_FDCWD, "/x/d",
			      RENAME_EXCHANGE), -EINVAL);
	CHECK_EQ(do_renameat2(AT_FDCWD, "/x/d", AT_FDCWD, "/x",
			      RENAME_EXCHANGE), -EINVAL);
	CHECK_EQ(do_renameat2(AT_FDCWD, "/x/d", AT_FDCWD, "/y/none",
			      RENAME_EXCHANGE), -ENOENT);
	CHECK_EQ(do_renameat2(AT_FDCWD, "/y/f", AT_FDCWD, "/x/d/",
			      RENAME_EXCHANGE), 0);
	CHECK_EQ(do_renameat2(AT_FDCWD, "/y/f", AT_FDCWD, "/x/d/",
			      RENAME_EXCHANGE), -ENOTDIR);
	CHECK_EQ(do_renameat2(AT_FDCWD, "/x/d", AT_FDCWD, "/y/f",
			      RENAME_EXCHANGE | RENAME_NOREPLACE), -EINVAL);
	CHECK_EQ(kernel_mount("none", "/x/d", "ramfs", 0, NULL), -ENOTDIR);
	CHECK_EQ(kernel_mount("none", "/y/f", "ramfs", 0, NULL), 0);
	CHECK_EQ(kernel_mkdir("/y/f/m", 0755), 0);
	CHECK_EQ(do_renameat2(AT_FDCWD, "/y/f/m", AT_FDCWD, "/x/d",
			      RENAME_EXCHANGE), -EXDEV);
	CHECK_EQ(do_renameat2(AT_FDCWD, "/y/f", AT_FDCWD, "/x/d",
			      RENAME_EXCHANGE), -EBUSY);
}

static int name_is(struct file *f, const char *want)
{
	char buf[64];
	int n = file_path_string(f, buf, sizeof(buf));

	if (n < 0)
		return n;
	if (strcmp(buf, want) || (size_t)n != strlen(want)) {
		dprintf(2, "name '%s', expected '%s'\n", buf, want);
		return -1;
	}
	return 0;
}

/* Names of open files: after symlinks, across renames, once deleted. */
static void test_file_names(void)
{
	struct file *f, *g, *d;
	char small[4];

	CHECK_EQ(kernel_mkdir("/n", 0755), 0);
	CHECK_EQ(write_file("/n/f", "f", 1, 0), 1);
	CHECK_EQ(kernel_symlink("n/f", "/sl"), 0);
	f = kernel_open("/sl", O_RDONLY, 0);
	CHECK(!IS_ERR(f));
	g = kernel_open("/n/f", O_RDONLY, 0);
	d = kernel_open("/n", O_RDONLY | O_DIRECTORY, 0);
	CHECK_EQ(name_is(f, "/n/f"), 0);
	CHECK_EQ(name_is(d, "/n"), 0);
	CHECK_EQ(file_path_string(f, small, sizeof(small)), -ERANGE);
	CHECK_EQ(do_renameat2(AT_FDCWD, "/n/f", AT_FDCWD, "/n/g", 0), 0);
	CHECK_EQ(name_is(f, "/n/g"), 0);
	CHECK_EQ(name_is(g, "/n/g"), 0);
	CHECK_EQ(do_renameat2(AT_FDCWD, "/n", AT_FDCWD, "/m", 0), 0);
	CHECK_EQ(name_is(f, "/m/g"), 0);
	CHECK_EQ(name_is(d, "/m"), 0);
	CHECK_EQ(do_renameat2(AT_FDCWD, "/m/g", AT_FDCWD, "/g", 0), 0);
	CHECK_EQ(name_is(g, "/g"), 0);
	CHECK_EQ(write_file("/m/h", "h", 1, 0), 1);
	CHECK_EQ(do_renameat2(AT_FDCWD, "/g", AT_FDCWD, "/m/h",
			      RENAME_EXCHANGE), 0);
	CHECK_EQ(name_is(f, "/m/h"), 0);
	fput(g);
	g = kernel_open("/g", O_RDONLY, 0);
	CHECK_EQ(name_is(g, "/g"), 0);
	CHECK_EQ(do_renameat2(AT_FDCWD, "/g", AT_FDCWD, "/m/h", 0), 0);
	CHECK_EQ(name_is(f, "/m/h (deleted)"), 0);
	CHECK_EQ(name_is(g, "/m/h"), 0);
	CHECK_EQ(do_unlinkat(AT_FDCWD, "/m/h"), 0);
	CHECK_EQ(name_is(g, "/m/h (deleted)"), 0);
	fput(f);
	fput(g);
	fput(d);
	CHECK_EQ(do_unlinkat(AT_FDCWD, "/sl"), 0);
	CHECK_EQ(do_rmdirat(AT_FDCWD, "/m"), 0);
}

int main(void)
{
	CHECK_EQ(tmpfs_init(), 0);
	vfs_init();
	current->fs = fs_context_new();
	current->files = files_new();
	current->umask = 022;

	test_paths();
	test_files();
	test_names();
	test_exchange();
	test_file_names();

	fs_context_put(current->fs);
	files_put(current->files);
	return host_check_done();
}
