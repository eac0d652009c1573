/*
 * Who owns a new inode and with which mode, decided in ring 1 for every
 * filesystem (Linux's vfs_prepare_mode, mode_strip_sgid and
 * inode_init_owner): the creator's filesystem ids, or the group of a
 * set-group-id parent, whose set-group-id bit a new subdirectory
 * inherits.
 */
#include "posix_acl.h"
#include <kernel/cred.h>
#include <kernel/task.h>
#include <svc/task.h>

/*
 * Linux's mode_strip_sgid: a new group-executable non-directory that
 * takes the group of set-group-id directory @dir keeps S_ISGID only if
 * the creator is in that group or has CAP_FSETID.
 */
static mode_t mode_strip_sgid(const struct inode *dir, mode_t mode)
{
	if ((mode & (S_ISGID | S_IXGRP)) != (S_ISGID | S_IXGRP))
		return mode;
	if (S_ISDIR(mode) || !dir || !(dir->mode & S_ISGID))
		return mode;
	if (in_group_p(dir->gid) || capable(CAP_FSETID))
		return mode;
	return mode & ~S_ISGID;
}

/* See vfs_internal.h. */
mode_t vfs_prepare_mode(const struct inode *dir, mode_t mode, mode_t perms,
			mode_t type)
{
	mode = mode_strip_sgid(dir, (mode & 07777) | type);
	if (!inode_has_acls(dir))
		mode &= ~current_umask();	/* else posix_acl_create's */
	return (mode & perms) | type;
}

/* See include/svc/vfs.h. */
void inode_init_owner(struct inode *inode, const struct inode *dir,
		      mode_t mode)
{
	const struct cred *c = &current->cred;

	inode->uid = c->fsuid;
	if (dir && (dir->mode & S_ISGID)) {
		inode->gid = dir->gid;
		if (S_ISDIR(mode))
			mode |= S_ISGID;
	} else {
		inode->gid = c->fsgid;
	}
	inode->mode = mode;
}
