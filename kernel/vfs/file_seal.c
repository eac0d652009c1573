/*
 * File seals, as Linux 6.1's memfd sealing: fcntl F_ADD_SEALS and
 * F_GET_SEALS, and the checks the write, resize, fallocate and mmap
 * paths make against inode->seals. Every inode starts with F_SEAL_SEAL
 * (inode_new), so only a memfd made with MFD_ALLOW_SEALING can take
 * more; other files (not regular, or of a filesystem type without
 * FS_SEALS) have no seals at all (EINVAL).
 * Process context; one CPU, so the checks and the changes they guard do
 * not interleave.
 */
#include "vfs_internal.h"
#include <kernel/mm.h>

/*
 * True if @inode takes seals: a regular file of a filesystem that keeps
 * them (tmpfs, as Linux's shmem files; its directories, fifos and device
 * nodes do not).
 */
static bool sealable(const struct inode *inode)
{
	return S_ISREG(inode->mode) && inode->sb && inode->sb->type &&
	       (inode->sb->type->flags & FS_SEALS);
}

/* memfd_add_seals: Linux's checks in Linux's order. */
static long add_seals(struct file *f, unsigned long seals)
{
	struct inode *inode = f->inode;

	if (seals > UINT32_MAX)
		return -EINVAL;
	if (!(f->mode & FMODE_WRITE))
		return -EPERM;
	if (seals & ~(unsigned long)F_SEAL_ALL)
		return -EINVAL;
	if (!sealable(inode))
		return -EINVAL;
	if (inode->seals & F_SEAL_SEAL)
		return -EPERM;
	if ((seals & F_SEAL_WRITE) && !(inode->seals & F_SEAL_WRITE) &&
	    mm_inode_mapped_shared(inode))
		return -EBUSY;
	inode->seals |= (unsigned)seals;
	return 0;
}

/* See include/kernel/vfs.h. */
long file_seal_fcntl(struct file *f, unsigned cmd, unsigned long arg)
{
	if (cmd == F_ADD_SEALS)
		return add_seals(f, arg);
	return sealable(f->inode) ? (long)f->inode->seals : -EINVAL;
}

/* See include/kernel/vfs.h. */
int file_seal_write(const struct inode *inode, off_t pos, size_t *len)
{
	off_t whole;

	if (inode->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE))
		return -EPERM;
	if (!(inode->seals & F_SEAL_GROW) || pos + (off_t)*len <= inode->size)
		return 0;
	/* Linux writes page by page: the pages ending inside the file. */
	whole = ALIGN_DOWN(inode->size, (off_t)PAGE_SIZE);
	if (whole <= pos)
		return -EPERM;
	*len = (size_t)(whole - pos);
	return 0;
}

/* See include/kernel/vfs.h. */
int file_seal_resize(const struct inode *inode, off_t size)
{
	if ((size < inode->size && (inode->seals & F_SEAL_SHRINK)) ||
	    (size > inode->size && (inode->seals & F_SEAL_GROW)))
		return -EPERM;
	return 0;
}

/* See include/kernel/vfs.h. */
int file_seal_fallocate(const struct inode *inode, bool punch, off_t end)
{
	if (punch)
		return inode->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE) ?
			-EPERM : 0;
	return (inode->seals & F_SEAL_GROW) && end > inode->size ? -EPERM : 0;
}

/* See include/kernel/vfs.h. */
int file_seal_mmap(const struct file *f, bool shared, unsigned prot,
		   bool *no_write)
{
	*no_write = false;
	/* As Linux 6.1: only a shared map of a file open for writing counts. */
	if (!shared || !(f->mode & FMODE_WRITE) ||
	    !(f->inode->seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)))
		return 0;
	if (prot & PROT_WRITE)
		return -EPERM;
	*no_write = true;
	return 0;
}
