/*
 * The "sysfs" and "cgroup2" filesystem types: each mount gets a super
 * block whose priv is a struct sysfs_sb for its tree (sysfs_tree,
 * cgroup_tree) and a root inode; inode eviction, statfs, tear-down and
 * registration at boot.
 */
#include "sysfs.h"
#include <platform/heap.h>
#include <uapi/errno.h>

SERVICE_DEFINE(sysfs_service, "sysfs", true);

/* Every inode is made on demand: free its node with it. */
static void sysfs_evict(struct inode *inode)
{
	list_del(&inode->sb_link);
	kfree(inode->priv);
	inode->priv = NULL;
}

/* As Linux's simple_statfs: no blocks, no inode counts. */
static int sysfs_statfs(struct super_block *sb, struct statfs64 *st)
{
	st->f_type = sb->magic;
	st->f_bsize = SYSFS_PAGE;
	st->f_frsize = SYSFS_PAGE;
	st->f_namelen = NAME_MAX;
	return 0;
}

static const struct super_ops sysfs_sops = {
	.svc = &sysfs_service,
	.evict = sysfs_evict,
	.statfs = sysfs_statfs,
};

static int fill_tree(struct super_block *sb, const struct sysfs_tree *tree)
{
	struct sysfs_sb *ss = kzalloc(sizeof(*ss));

	if (!ss)
		return -ENOMEM;
	ss->tree = tree;
	list_init(&ss->inodes);
	sb->sops = &sysfs_sops;
	sb->magic = tree->magic;
	sb->priv = ss;
	sb->root = sysfs_root_inode(sb);
	return sb->root ? 0 : -ENOMEM;
}

/*
 * After the last mount (or a failed fill): open files hold their mount,
 * so every inode has been evicted by now.
 */
static void sysfs_kill_super(struct super_block *sb)
{
	kfree(sb->priv);
	sb->priv = NULL;
}

static int sysfs_fill_super(struct super_block *sb, const char *source,
			    const char *options)
{
	return fill_tree(sb, &sysfs_tree);
}

static int cgroup_fill_super(struct super_block *sb, const char *source,
			     const char *options)
{
	return fill_tree(sb, &cgroup_tree);
}

static const struct fs_type sysfs_fs_type = {
	.svc = &sysfs_service,
	.name = "sysfs",
	.fill_super = sysfs_fill_super,
	.kill_super = sysfs_kill_super,
};

static const struct fs_type cgroup2_fs_type = {
	.svc = &sysfs_service,
	.name = "cgroup2",
	.fill_super = cgroup_fill_super,
	.kill_super = sysfs_kill_super,
};

static int sysfs_init(void)
{
	int err = register_filesystem(&sysfs_fs_type);

	return err ? err : register_filesystem(&cgroup2_fs_type);
}
SERVICE_INIT(sysfs_init);
