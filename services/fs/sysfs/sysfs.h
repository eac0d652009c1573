/*
 * Private interfaces of the sysfs service (services/fs/sysfs/), which
 * serves two trees from one table-driven core, as Linux serves both from
 * kernfs: sysfs (/sys) and the cgroup2 hierarchy. Each tree is a table
 * of entries; an inode stands for (entry, index), built on demand at
 * lookup, where the index tells apart the instances of a family of
 * directories (cpu0, cpu1...; one per network interface) and is
 * inherited by everything below an instance. Contents are made from
 * kernel state (include/svc/sysfacts.h) at each read.
 */
#pragma once
#include <svc/vfs.h>
#include <svc/sysfacts.h>

#define SYSFS_MAGIC		0x62656572
#define CGROUP2_SUPER_MAGIC	0x63677270
#define SYSFS_PAGE		4096	/* a show fills at most a page */

/* Text generated into a fixed buffer; overflowing it sticks as -EFBIG. */
struct sysfs_out {
	char *buf;
	size_t size, len;
	int error;
};

/* Append formatted text (lib/string.c's vsnprintf subset). */
void so_printf(struct sysfs_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * The CPUs @first .. @first + @count - 1 (@count > 0) as a range list
 * ("0", "0-3") and as a hex mask of cpu_count() bits ("f"), "\n" after.
 */
void so_cpu_list(struct sysfs_out *o, unsigned first, unsigned count);
void so_cpu_mask(struct sysfs_out *o, unsigned first, unsigned count);
/*
 * A number written to an attribute, as Linux's kstrtoll(s, 0, out)
 * (kstrtoull when @min is 0, which takes no '-'): a sign, then "0x" hex,
 * "0" octal or decimal, and one newline at most after. 0, -EINVAL, or
 * -ERANGE outside [@min, @max].
 */
int so_parse_ll(const char *s, long long min, long long max, long long *out);

/* An attribute file's entry: read-only, or with a store. */
#define SYSFS_RO(n, fn) \
	{ .name = n, .mode = S_IFREG | 0444, .show = fn }
#define SYSFS_RW(n, fn, st) \
	{ .name = n, .mode = S_IFREG | 0644, .show = fn, .store = st }
#define SYSFS_DIR(n, ...) \
	{ .name = n, .mode = S_IFDIR | 0755, __VA_ARGS__ }
#define SYSFS_CHILDREN(...) \
	.children = (const struct sysfs_entry *const[]){ __VA_ARGS__, NULL }

/*
 * One kind of node. Exactly one group of fields is set, by the type in
 * @mode. A directory lists @children (NULL-terminated, each inheriting
 * the directory's index), then the instances of @family. A family entry
 * has no fixed name: @next and @name_of enumerate and name its instances.
 * A child list shared by two directories may hold only files (their
 * inode numbers differ by index; a directory must have one parent).
 */
struct sysfs_entry {
	const char *name;
	mode_t mode;
	/* Regular file: the text (with its "\n") into @o; 0 or -errno. */
	int (*show)(struct sysfs_out *o, int index);
	/* Writable file: @len bytes, NUL-terminated, the caller's copy to
	 * change; 0 or -errno. */
	int (*store)(int index, char *buf, size_t len);
	/* A file whose text may exceed a page: the buffer it needs. */
	size_t (*size)(int index);
	/* Symlink: the target, NUL-terminated, into @buf of @len; 0 or -errno. */
	int (*link)(int index, char *buf, size_t len);
	/* Directory. */
	const struct sysfs_entry *const *children;
	const struct sysfs_entry *family;
	/*
	 * Family: the lowest instance at least @from under a directory of
	 * index @parent (-1: none), and an instance's name (0 or -errno).
	 */
	int (*next)(int parent, int from);
	int (*name_of)(int index, char *buf, size_t len);
	/* Family: its instances' parent has the instance's index, not 0. */
	bool parent_keeps_index;
};

/* A mountable tree: sysfs or cgroup2. */
struct sysfs_tree {
	const struct sysfs_entry *root;
	uint64_t magic;
	off_t file_size;	/* st_size of a regular file (sysfs: a page) */
};

extern const struct sysfs_tree sysfs_tree, cgroup_tree;

/*
 * A mount's super block (sb->priv): its tree and its live inodes (by
 * inode->sb_link), so that a node has one inode while it is referenced
 * and a mount on it is found again.
 */
struct sysfs_sb {
	const struct sysfs_tree *tree;
	struct list_head inodes;
};

/* What a sysfs inode stands for (inode->priv). */
struct sysfs_node {
	const struct sysfs_entry *entry;
	int index;
};

/*
 * sysfs_inode.c: the root inode (refcount 1) of a new super block whose
 * priv is its struct sysfs_sb; NULL when memory is short.
 */
struct inode *sysfs_root_inode(struct super_block *sb);

extern const struct inode_ops sysfs_dir_iops, sysfs_file_iops,
	sysfs_link_iops;
extern const struct file_ops sysfs_dir_fops;
/* sysfs_file.c: reading and writing attribute files. */
extern const struct file_ops sysfs_file_fops;

/* The service: it keeps no state a fault could spoil, so it restarts. */
extern struct service sysfs_service;

/* The subtrees. */
extern const struct sysfs_entry sysfs_cpu_dir, sysfs_node_dir;
extern const struct sysfs_entry sysfs_class_net_dir, sysfs_virtual_net_dir,
	sysfs_pci_root_dir;
extern const struct sysfs_entry sysfs_class_rtc_dir, sysfs_pnp0_dir,
	sysfs_dev_char_dir;
extern const struct sysfs_entry sysfs_block_dir, sysfs_class_block_dir,
	sysfs_dev_block_dir, sysfs_virtual_block_dir;
