/*
 * Changing an inode's attributes as Linux's notify_change and
 * setattr_prepare do: who may change the owner, group, mode and times
 * (EPERM, or EACCES for setting the times to now), the set-id bits a
 * chown, a write or a truncate removes, then the filesystem's setattr
 * op (and the access ACL's rewrite for a new mode); also truncation
 * (vfs_truncate).
 */
#include "posix_acl.h"
#include <kernel/fsnotify.h>
#include <kernel/task.h>
#include <kernel/user_ns.h>
#include <svc/task.h>
#include <kernel/page_cache.h>

/* Linux's chown_ok: the owner may "change" the uid to itself. */
static bool chown_ok(const struct inode *inode, uid_t uid)
{
	if (current->cred.fsuid == inode->uid && uid == inode->uid)
		return true;
	return capable_wrt_inode(inode, CAP_CHOWN);
}

/* Linux's chgrp_ok: the owner may pick a group it is in. */
static bool chgrp_ok(const struct inode *inode, gid_t gid)
{
	if (current->cred.fsuid == inode->uid &&
	    (gid == inode->gid || in_group_p(gid)))
		return true;
	return capable_wrt_inode(inode, CAP_CHOWN);
}

/*
 * Turn the ATTR_KILL_* bits of @attr into a mode change that clears
 * S_ISUID, and S_ISGID when group execution makes it a real set-gid bit
 * (Linux's notify_change). chown asks for them on every file; only
 * non-directories lose the bits.
 */
static void setattr_kill_sxid(const struct inode *inode, struct iattr *attr)
{
	unsigned kill = attr->valid & (ATTR_KILL_SUID | ATTR_KILL_SGID);

	attr->valid &= ~(ATTR_KILL_SUID | ATTR_KILL_SGID);
	if (!kill || S_ISDIR(inode->mode))
		return;
	if ((kill & ATTR_KILL_SUID) && (inode->mode & S_ISUID)) {
		attr->valid |= ATTR_MODE;
		attr->mode = inode->mode & 07777 & ~S_ISUID;
	}
	if ((kill & ATTR_KILL_SGID) &&
	    (inode->mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP)) {
		if (!(attr->valid & ATTR_MODE)) {
			attr->valid |= ATTR_MODE;
			attr->mode = inode->mode & 07777;
		}
		attr->mode &= ~S_ISGID;
	}
}

/*
 * Whether the caller may make the change @attr asks of @inode (Linux's
 * notify_change checks and setattr_prepare): 0, -EPERM or -EACCES; a
 * mode change may lose S_ISGID here.
 */
static int setattr_prepare(const struct inode *inode, struct iattr *attr)
{
	unsigned v = attr->valid;

	if ((v & ATTR_TOUCH) && !inode_owner_or_capable(inode)) {
		int err = inode_permission(inode, MAY_WRITE);

		if (err)
			return err;
	}
	if (v & ATTR_FORCE)
		return 0;
	/* An id the caller's user namespace has no mapping for (chown). */
	if (((v & ATTR_UID) && attr->uid == INVALID_ID) ||
	    ((v & ATTR_GID) && attr->gid == INVALID_ID))
		return -EINVAL;
	if ((v & ATTR_UID) && !chown_ok(inode, attr->uid))
		return -EPERM;
	if ((v & ATTR_GID) && !chgrp_ok(inode, attr->gid))
		return -EPERM;
	if (v & ATTR_MODE) {
		gid_t gid = (v & ATTR_GID) ? attr->gid : inode->gid;

		if (!inode_owner_or_capable(inode))
			return -EPERM;
		if (!in_group_p(gid) && !capable(CAP_FSETID))
			attr->mode &= ~S_ISGID;
	}
	if ((v & ATTR_TIMES_SET) && !inode_owner_or_capable(inode))
		return -EPERM;
	return 0;
}

/* See vfs_internal.h. */
int vfs_setattr(struct mount *mnt, struct inode *inode, struct iattr *attr,
		struct entry_name at)
{
	int err;

	if (attr->valid == ATTR_TIMES_SET)
		return 0;	/* utimensat omitting both times */
	err = mnt_want_write(mnt);
	if (err)
		return err;
	setattr_kill_sxid(inode, attr);
	err = setattr_prepare(inode, attr);
	if (err)
		return err;
	attr->valid &= ~ATTR_VFS_ONLY;
	if (!(attr->valid & ATTR_CTIME)) {
		attr->valid |= ATTR_CTIME;
		attr->ctime = current_time();
	}
	err = vop_setattr(inode, attr);
	if (!err && (attr->valid & ATTR_SIZE))
		page_cache_resize(inode, inode->size);
	if (!err && (attr->valid & ATTR_MODE))
		err = posix_acl_chmod(inode);
	if (!err)
		fsnotify_change(at.dir, at.name, inode, attr);
	return err;
}

/*
 * The set-id bits a change to the data of @inode removes (Linux's
 * should_remove_suid): ATTR_KILL_* for a regular file's S_ISUID and its
 * group-executable S_ISGID, none for a caller with CAP_FSETID.
 */
static unsigned inode_kill_privs(const struct inode *inode)
{
	unsigned kill = 0;

	if (!S_ISREG(inode->mode))
		return 0;
	if (inode->mode & S_ISUID)
		kill = ATTR_KILL_SUID;
	if ((inode->mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
		kill |= ATTR_KILL_SGID;
	return kill && !capable(CAP_FSETID) ? kill : 0;
}

/* See vfs_internal.h. */
int file_remove_privs(struct file *f)
{
	unsigned kill = inode_kill_privs(f->inode);
	struct iattr attr;

	if (!kill)
		return 0;
	attr = (struct iattr){ .valid = ATTR_FORCE | kill };
	return vfs_setattr(f->path.mnt, f->inode, &attr, file_entry_name(f));
}

/* See vfs_internal.h. */
int vfs_truncate(struct mount *mnt, struct inode *inode, off_t len,
		 struct entry_name at)
{
	struct iattr attr = { .valid = ATTR_SIZE | ATTR_MTIME, .size = len };
	int err;

	if (len < 0)
		return -EINVAL;
	if (S_ISDIR(inode->mode))
		return -EISDIR;
	if (!S_ISREG(inode->mode))
		return -EINVAL;
	err = inode_newsize_ok(inode, len);
	if (!err)
		err = file_seal_resize(inode, len);
	if (err)
		return err;
	err = inode_get_write_access(inode);
	if (err)
		return err;
	attr.mtime = current_time();
	attr.valid |= inode_kill_privs(inode);
	if (attr.valid & (ATTR_KILL_SUID | ATTR_KILL_SGID))
		attr.valid |= ATTR_FORCE;
	err = vfs_setattr(mnt, inode, &attr, at);
	inode_put_write_access(inode);
	return err;
}
