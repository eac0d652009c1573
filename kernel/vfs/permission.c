/*
 * Discretionary access control: Linux's generic_permission. The caller's
 * filesystem uid and groups pick the owner, group or other bits of the
 * mode, or the entry of the file's access ACL; CAP_DAC_OVERRIDE passes
 * every check but execution of a file with no execute bit at all, and
 * CAP_DAC_READ_SEARCH passes reading and searching. Also the rules
 * built on it for changing a directory (may_create, may_delete with the
 * sticky bit) and ownership. The capabilities count in the caller's
 * user namespace for an inode whose owner and group it maps (Linux's
 * capable_wrt_inode_uidgid).
 */
#include "posix_acl.h"
#include <kernel/cred.h>
#include <kernel/task.h>
#include <kernel/user_ns.h>
#include <svc/task.h>
#include <uapi/stat.h>

/*
 * Linux's acl_permission_check: the owner gets the owner bits; on a
 * filesystem keeping ACLs, an inode with group bits and an access ACL
 * is the ACL's (posix_acl_permission); else the group or other bits.
 * 0, -EACCES, or an error reading the ACL.
 */
static int acl_permission_check(const struct inode *inode, int mask,
				const struct cred *c)
{
	mode_t mode = inode->mode;

	if (c->fsuid == inode->uid)
		return (mask & ~(mode >> 6) & 7) ? -EACCES : 0;
	if (inode_has_acls(inode) && (mode & S_IRWXG)) {
		const struct posix_acl *acl;
		/* The cache is ring 1's, not part of the inode's state. */
		int err = inode_get_acl((struct inode *)inode,
					ACL_TYPE_ACCESS, &acl);

		if (err)
			return err;
		if (acl)
			return posix_acl_permission(inode, acl, mask);
	}
	if (cred_in_group(c, inode->gid))
		mode >>= 3;
	return (mask & ~mode & 7) ? -EACCES : 0;
}

/* See vfs_internal.h. */
bool capable_wrt_inode(const struct inode *inode, int cap)
{
	const struct user_ns *ns = current_user_ns();

	return ns_capable(ns, cap) &&
	       ns_from_kid(ns, ID_MAP_UID, inode->uid) != INVALID_ID &&
	       ns_from_kid(ns, ID_MAP_GID, inode->gid) != INVALID_ID;
}

/* Linux's generic_permission, for a @mask of MAY_* bits only. */
static int generic_permission(const struct inode *inode, int mask)
{
	const struct cred *c = &current->cred;
	int err = acl_permission_check(inode, mask, c);

	if (err != -EACCES)
		return err;
	if (S_ISDIR(inode->mode)) {
		if (!(mask & MAY_WRITE) &&
		    capable_wrt_inode(inode, CAP_DAC_READ_SEARCH))
			return 0;
		return capable_wrt_inode(inode, CAP_DAC_OVERRIDE) ? 0 : -EACCES;
	}
	if (capable_wrt_inode(inode, CAP_DAC_OVERRIDE) &&
	    (!(mask & MAY_EXEC) || (inode->mode & 0111)))
		return 0;
	if (mask == MAY_READ && capable_wrt_inode(inode, CAP_DAC_READ_SEARCH))
		return 0;
	return -EACCES;
}

int inode_permission(const struct inode *inode, int mask)
{
	mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
	/* Linux's sb_permission: a read-only super block comes first. */
	if ((mask & MAY_WRITE) && inode->sb && inode->sb->rdonly &&
	    (S_ISREG(inode->mode) || S_ISDIR(inode->mode) ||
	     S_ISLNK(inode->mode)))
		return -EROFS;
	if (!generic_permission(inode, mask))
		return 0;
	/* The process an inode is open to (procfs's fd directories). */
	return inode->owner_tgid && inode->owner_tgid == current->tgid ? 0 :
	       -EACCES;
}

/* See vfs_internal.h. */
bool inode_owner_or_capable(const struct inode *inode)
{
	return current->cred.fsuid == inode->uid ||
	       capable_wrt_inode(inode, CAP_FOWNER);
}

/* See vfs_internal.h. */
int may_create(const struct inode *dir)
{
	return inode_permission(dir, MAY_WRITE | MAY_EXEC);
}

/* See vfs_internal.h. */
int may_delete(const struct inode *dir, const struct inode *victim)
{
	uid_t fsuid = current->cred.fsuid;
	int err = inode_permission(dir, MAY_WRITE | MAY_EXEC);

	if (err)
		return err;
	if ((dir->mode & S_ISVTX) && fsuid != victim->uid &&
	    fsuid != dir->uid && !capable_wrt_inode(victim, CAP_FOWNER))
		return -EPERM;
	return 0;
}
