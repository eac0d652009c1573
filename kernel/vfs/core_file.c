/*
 * The file a core dump goes to (kernel/proc/coredump.c), made as Linux
 * 6.1's do_coredump makes it: whatever has the name is unlinked first (a
 * directory stays and so refuses the dump), then a new regular file is
 * created exclusively, without following a symlink, mode 0600, and kept
 * only if it is what was asked for: one link, a regular file, owned by
 * the dumper's fsuid, mode 0600 after the umask.
 */
#include "vfs_internal.h"
#include <kernel/task.h>
#include <uapi/fcntl.h>
#include <uapi/stat.h>

/* See include/kernel/vfs.h. */
struct file *vfs_core_create(const char *name)
{
	struct file *f;
	struct inode *inode;

	/* Any error (none there, no right to) shows at the open. */
	do_unlinkat(AT_FDCWD, name);
	f = do_open(AT_FDCWD, name, O_CREAT | O_WRONLY | O_NOFOLLOW |
		    O_LARGEFILE | O_EXCL, 0600);
	if (IS_ERR(f))
		return f;
	inode = f->inode;
	if (inode->nlink > 1 || !S_ISREG(inode->mode) ||
	    inode->uid != current->cred.fsuid ||
	    (inode->mode & 0677) != 0600 || !(f->mode & FMODE_WRITE)) {
		fput(f);
		return ERR_PTR(-EPERM);
	}
	return f;
}
