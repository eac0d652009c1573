/*
 * /proc/sys: the kernel's tunables (kernel/system/sysctl.c, through
 * sysctl_name/read/write), laid out as directories by their paths. A
 * directory node's fd is (i << 3 | depth): the first @depth components of
 * tunable i's path, i the first tunable under it (dir_first), so each
 * directory has one number; a file node's fd is its tunable's index.
 */
#include "procfs.h"
#include <aramid/string.h>
#include <uapi/errno.h>

#define SYS_DEPTH_BITS	3
#define SYS_DIR_CODE(i, depth)	((int)((i) << SYS_DEPTH_BITS | (depth)))
#define SYSCTL_TEXT_MAX	256

static const struct proc_entry sys_file_ro_entry, sys_file_rw_entry,
	sys_file_wo_entry;
static const struct proc_entry *sys_file_entry(mode_t mode);

/*
 * Where the component after @depth components of @path starts and how
 * long it is; false if @path has no more components.
 */
static bool path_component(const char *path, unsigned depth, const char **c,
			   size_t *len)
{
	for (; depth; depth--) {
		path = strchr(path, '/');
		if (!path)
			return false;
		path++;
	}
	*c = path;
	for (*len = 0; path[*len] && path[*len] != '/'; (*len)++)
		;
	return true;
}

/* True if tunables @i and @j share their first @depth components. */
static bool same_prefix(unsigned i, unsigned j, unsigned depth)
{
	mode_t m;
	const char *a = sysctl_name(i, &m), *b = sysctl_name(j, &m);
	const char *ca, *cb;
	size_t la, lb;

	for (unsigned d = 0; d < depth; d++) {
		if (!path_component(a, d, &ca, &la) ||
		    !path_component(b, d, &cb, &lb) || la != lb ||
		    memcmp(ca, cb, la))
			return false;
	}
	return true;
}

/* The directory's number: the first tunable whose path starts as @i's. */
static unsigned dir_first(unsigned i, unsigned depth)
{
	unsigned j = 0;

	while (!same_prefix(j, i, depth))
		j++;
	return j;
}

/*
 * The child of directory (@di, @depth) that tunable @i lies in: its name
 * (*@c, *@len), and whether it is the tunable itself. False if @i is not
 * under the directory.
 */
static bool child_of(unsigned di, unsigned depth, unsigned i, const char **c,
		     size_t *len, bool *leaf)
{
	mode_t m;
	const char *path = sysctl_name(i, &m);

	if (!path || !same_prefix(di, i, depth) ||
	    !path_component(path, depth, c, len))
		return false;
	*leaf = (*c)[*len] == '\0';
	return true;
}

static struct inode *sys_node(struct inode *dir, unsigned i, unsigned depth,
			      bool leaf)
{
	mode_t mode;

	if (!leaf)
		return proc_inode_new(dir->sb, &proc_sys_dir_entry, 0,
				      SYS_DIR_CODE(i, depth));
	sysctl_name(i, &mode);
	return proc_inode_new(dir->sb, sys_file_entry(mode), 0, (int)i);
}

static int sys_dir_lookup(struct inode *dir, const char *name,
			  struct inode **out)
{
	unsigned code = (unsigned)proc_node(dir)->fd;
	unsigned di = code >> SYS_DEPTH_BITS, depth = code & 7;
	mode_t m;

	for (unsigned i = 0; sysctl_name(i, &m); i++) {
		const char *c;
		size_t len;
		bool leaf;

		if (!child_of(di, depth, i, &c, &len, &leaf) ||
		    len != strlen(name) || memcmp(c, name, len))
			continue;
		*out = sys_node(dir, i, depth + 1, leaf);
		return *out ? 0 : -ENOMEM;
	}
	return -ENOENT;
}

/* True if a tunable before @i lies in the same child of the directory. */
static bool seen_before(unsigned di, unsigned depth, unsigned i)
{
	for (unsigned j = 0; j < i; j++)
		if (same_prefix(j, i, depth + 1) && same_prefix(di, j, depth))
			return true;
	return false;
}

/* Entries at positions 2 + i, i the first tunable under each child. */
static int sys_dir_readdir(struct inode *dir, struct dir_context *ctx)
{
	unsigned code = (unsigned)proc_node(dir)->fd;
	unsigned di = code >> SYS_DEPTH_BITS, depth = code & 7;
	mode_t mode;

	if (!proc_readdir_table(ctx, dir->ino, depth ? proc_ino(PROC_SYS_DIR,
				0, SYS_DIR_CODE(dir_first(di, depth - 1),
						depth - 1)) :
				proc_ino(PROC_ROOT, 0, 0),
				(const struct proc_entry *const[]){ NULL }, 0, 0))
		return 0;
	for (unsigned i = 0; sysctl_name(i, &mode); i++) {
		const char *c;
		size_t len;
		bool leaf;

		if (ctx->pos > (off_t)i + 2 ||
		    !child_of(di, depth, i, &c, &len, &leaf) ||
		    seen_before(di, depth, i))
			continue;
		if (!ctx->emit(ctx, c, len, leaf ?
			       proc_ino(sys_file_entry(mode)->kind, 0, (int)i) :
			       proc_ino(PROC_SYS_DIR, 0, SYS_DIR_CODE(i, depth + 1)),
			       leaf ? DT_REG : DT_DIR))
			return 0;
		ctx->pos = (off_t)i + 3;
	}
	return 0;
}

static int sys_dir_parent(struct inode *dir, struct inode **out)
{
	unsigned code = (unsigned)proc_node(dir)->fd;
	unsigned depth = code & 7;

	if (!depth)
		*out = proc_inode_new(dir->sb, &proc_root_entry, 0, 0);
	else
		*out = proc_inode_new(dir->sb, &proc_sys_dir_entry, 0,
				      SYS_DIR_CODE(dir_first(code >> SYS_DEPTH_BITS,
							     depth - 1),
						   depth - 1));
	return *out ? 0 : -ENOMEM;
}

static int sys_file_show(struct proc_buf *b, int index)
{
	char text[SYSCTL_TEXT_MAX];
	int n = sysctl_read((unsigned)index, text, sizeof(text));

	if (n < 0)
		return n;
	pb_write(b, text, (size_t)n);
	return 0;
}

static int sys_file_write(int index, const char *buf, size_t len)
{
	return sysctl_write((unsigned)index, buf, len);
}

const struct proc_entry proc_sys_dir_entry = {
	.name = "sys", .kind = PROC_SYS_DIR, .mode = S_IFDIR | 0555,
	.lookup = sys_dir_lookup, .readdir = sys_dir_readdir,
	.parent = sys_dir_parent,
};

static const struct proc_entry sys_file_ro_entry = {
	.name = "", .kind = PROC_SYS_FILE_RO, .mode = S_IFREG | 0444,
	.show_at = sys_file_show,
};

static const struct proc_entry sys_file_rw_entry = {
	.name = "", .kind = PROC_SYS_FILE_RW, .mode = S_IFREG | 0644,
	.show_at = sys_file_show, .write_at = sys_file_write,
};

static const struct proc_entry sys_file_wo_entry = {
	.name = "", .kind = PROC_SYS_FILE_WO, .mode = S_IFREG | 0200,
	.show_at = sys_file_show, .write_at = sys_file_write,
};

/* The entry of a tunable of @mode: read-write, read-only or write-only. */
static const struct proc_entry *sys_file_entry(mode_t mode)
{
	if (!(mode & 0444))
		return &sys_file_wo_entry;
	return mode & 0222 ? &sys_file_rw_entry : &sys_file_ro_entry;
}
