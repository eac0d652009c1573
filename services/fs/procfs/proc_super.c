/*
 * The "proc" filesystem type: super block set-up, inode eviction,
 * statfs, and registration at boot (mount -t proc proc /proc).
 */
#include "procfs.h"
#include <platform/frame.h>
#include <platform/heap.h>
#include <uapi/errno.h>

/* Every procfs inode is made on demand: free its node with it. */
static void proc_evict(struct inode *inode)
{
	kfree(inode->priv);
	inode->priv = NULL;
}

/* As Linux's simple_statfs for proc: no blocks, no inode counts. */
static int proc_statfs(struct super_block *sb, struct statfs64 *st)
{
	st->f_type = PROC_SUPER_MAGIC;
	st->f_bsize = PAGE_SIZE;
	st->f_frsize = PAGE_SIZE;
	st->f_namelen = NAME_MAX;
	return 0;
}

SERVICE_DEFINE(procfs_service, "procfs", true);

static const struct super_ops proc_sops = {
	.svc = &procfs_service,
	.evict = proc_evict,
	.statfs = proc_statfs,
};

static void proc_kill_super(struct super_block *sb)
{
	pid_ns_put(sb->priv);
	sb->priv = NULL;
}

/*
 * Each mount gets its own super block and root; contents are shared but
 * for the pids, those of the mounter's PID namespace (a reference held
 * until the super block goes).
 */
static int proc_fill_super(struct super_block *sb, const char *source,
			   const char *options)
{
	sb->priv = pid_ns_get(current->pid_ns);
	sb->sops = &proc_sops;
	sb->magic = PROC_SUPER_MAGIC;
	sb->root = proc_inode_new(sb, &proc_root_entry, 0, 0);
	if (!sb->root) {
		proc_kill_super(sb);
		return -ENOMEM;
	}
	return 0;
}

static const struct fs_type proc_fs_type = {
	.svc = &procfs_service,
	.name = "proc",
	.flags = FS_NO_NEGATIVE,
	.fill_super = proc_fill_super,
	.kill_super = proc_kill_super,
};

static int procfs_init(void)
{
	proc_cpuinfo_init();
	return register_filesystem(&proc_fs_type);
}
SERVICE_INIT(procfs_init);
