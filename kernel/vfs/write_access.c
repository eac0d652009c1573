/*
 * Write access to an inode, as Linux's i_writecount: open files that may
 * write a regular file count up, running programs whose image it is count
 * down, and the two exclude each other — opening a running program for
 * writing, truncating it or executing a file open for writing is ETXTBSY.
 * Process context; the kernel is one CPU, so plain counts suffice.
 */
#include <kernel/vfs.h>
#include <platform/panic.h>

/* See vfs.h. */
int inode_get_write_access(struct inode *inode)
{
	if (inode->writecount < 0)
		return -ETXTBSY;
	inode->writecount++;
	return 0;
}

/* See vfs.h. */
void inode_put_write_access(struct inode *inode)
{
	KASSERT(inode->writecount > 0);
	inode->writecount--;
}

/* See vfs.h. */
int file_deny_write_access(struct file *f)
{
	if (f->inode->writecount > 0)
		return -ETXTBSY;
	f->inode->writecount--;
	return 0;
}

/* See vfs.h. */
void file_allow_write_access(struct file *f)
{
	KASSERT(f->inode->writecount < 0);
	f->inode->writecount++;
}

/* See vfs.h. */
int file_take_write_access(struct file *f)
{
	int err;

	if (!(f->mode & FMODE_WRITE) || !S_ISREG(f->inode->mode))
		return 0;
	err = inode_get_write_access(f->inode);
	if (!err)
		f->mode |= FMODE_WRITER;
	return err;
}
