/*
 * /proc/sysvipc: shm, sem and msg, the System V IPC objects as the
 * kernel renders them when read (sysvipc_proc_show, kernel/ipc/).
 */
#include "procfs.h"
#include <uapi/errno.h>

#define SYSVIPC_FILE(fn, file, k)					\
	static int fn(struct proc_buf *b, struct task *t)		\
	{								\
		return proc_show_generated(b, file, sysvipc_proc_show);	\
	}								\
	static const struct proc_entry fn##_entry = {			\
		.name = file, .kind = k, .mode = S_IFREG | 0444,	\
		.show = fn,						\
	}

SYSVIPC_FILE(sysvipc_msg_show, "msg", PROC_SYSVIPC_MSG);
SYSVIPC_FILE(sysvipc_sem_show, "sem", PROC_SYSVIPC_SEM);
SYSVIPC_FILE(sysvipc_shm_show, "shm", PROC_SYSVIPC_SHM);

static const struct proc_entry *const sysvipc_entries[] = {
	&sysvipc_msg_show_entry, &sysvipc_sem_show_entry,
	&sysvipc_shm_show_entry, NULL,
};

static int sysvipc_lookup(struct inode *dir, const char *name,
			  struct inode **out)
{
	return proc_lookup_table(dir, sysvipc_entries, 0, name, out);
}

static int sysvipc_readdir(struct inode *dir, struct dir_context *ctx)
{
	proc_readdir_table(ctx, dir->ino, proc_ino(PROC_ROOT, 0, 0),
			   sysvipc_entries, 0, 0);
	return 0;
}

static int sysvipc_parent(struct inode *dir, struct inode **out)
{
	*out = proc_inode_new(dir->sb, &proc_root_entry, 0, 0);
	return *out ? 0 : -ENOMEM;
}

const struct proc_entry proc_sysvipc_dir_entry = {
	.name = "sysvipc", .kind = PROC_SYSVIPC_DIR, .mode = S_IFDIR | 0555,
	.lookup = sysvipc_lookup, .readdir = sysvipc_readdir,
	.parent = sysvipc_parent,
};
