/*
 * POSIX ACLs inside kernel/vfs/ (Linux's fs/posix_acl.c): the parsed
 * form, its rules (posix_acl.c) and the ACLs of inodes, kept as the
 * bytes of the filesystem's system.posix_acl_* attributes and cached
 * parsed on the inode (acl_inode.c). Nothing outside kernel/vfs/ needs
 * this header.
 */
#pragma once
#include "vfs_internal.h"
#include <uapi/posix_acl.h>

enum acl_type { ACL_TYPE_ACCESS, ACL_TYPE_DEFAULT, ACL_TYPES };

struct posix_acl_entry {
	uint16_t tag;		/* ACL_USER_OBJ... */
	uint16_t perm;		/* ACL_READ | ACL_WRITE | ACL_EXECUTE */
	uint32_t id;		/* uid or gid of ACL_USER / ACL_GROUP */
};

struct posix_acl {
	unsigned count;
	struct posix_acl_entry e[];
};

/* The rules on parsed ACLs (posix_acl.c); none touch an inode. */

/* A copy of @acl (kfree it), or NULL when memory is short. */
struct posix_acl *posix_acl_clone(const struct posix_acl *acl);
/*
 * Parse an attribute value (Linux's posix_acl_from_xattr): the ACL
 * (kfree it), NULL for a header without entries, or ERR_PTR -EINVAL (bad
 * size, tag or id), -EOPNOTSUPP (not version 2) or -ENOMEM.
 */
struct posix_acl *posix_acl_from_xattr(const void *value, size_t size);
/* The bytes of @acl's attribute value. */
size_t posix_acl_xattr_size(const struct posix_acl *acl);
/* Write @acl's attribute value (posix_acl_xattr_size bytes) to @buf. */
void posix_acl_to_xattr(const struct posix_acl *acl, void *buf);
/* Linux's posix_acl_valid: 0, or -EINVAL for a bad order or bit. */
int posix_acl_valid(const struct posix_acl *acl);
/*
 * Linux's posix_acl_equiv_mode: set the rwx bits of *@mode from @acl;
 * 1 if @acl says more than a mode can (a mask or named entry), else 0.
 */
int posix_acl_equiv_mode(const struct posix_acl *acl, mode_t *mode);
/*
 * Linux's posix_acl_permission: whether the calling task gets @want
 * (MAY_*) of @inode from @acl: 0, -EACCES, or -EIO for a broken ACL.
 */
int posix_acl_permission(const struct inode *inode,
			 const struct posix_acl *acl, int want);
/* Linux's __posix_acl_chmod: @acl follows the rwx bits of @mode. */
int posix_acl_chmod_masq(struct posix_acl *acl, mode_t mode);
/*
 * Linux's posix_acl_create_masq: mask inherited @acl and *@mode by each
 * other; 1 if the ACL is still needed, 0 if the mode says it all.
 */
int posix_acl_create_masq(struct posix_acl *acl, mode_t *mode);

/* The ACLs of inodes (acl_inode.c), for the calling task. */

/* Whether @inode's filesystem keeps POSIX ACLs (Linux's IS_POSIXACL). */
bool inode_has_acls(const struct inode *inode);
/*
 * @inode's ACL of @type into *@acl (NULL if none; the inode's cache
 * keeps it, valid until the ACL changes): 0 or -errno from reading or
 * parsing the attribute.
 */
int inode_get_acl(struct inode *inode, enum acl_type type,
		  const struct posix_acl **acl);
/* Free the cached ACLs of @inode, which is going away. */
void inode_forget_acls(struct inode *inode);
/* Which ACL the attribute @name is: an acl_type, or -1 for another name. */
int acl_xattr_type(const char *name);
/*
 * getxattr of @inode's ACL of @type: the value's length, copied to @buf
 * unless @size is 0; -EOPNOTSUPP (no ACLs on the filesystem or on a
 * symlink), -ENODATA (none set), -ERANGE, or an error reading it.
 */
ssize_t acl_xattr_get(struct inode *inode, enum acl_type type, void *buf,
		      size_t size);
/*
 * setxattr (@value of @size bytes) or removexattr (@value NULL) of
 * @inode's ACL of @type, as Linux's posix_acl_xattr_set: the value
 * parsed (EINVAL, EOPNOTSUPP for a version other than 2), then
 * EOPNOTSUPP on a symlink, EACCES for a default ACL on a non-directory
 * (removing one succeeds), EPERM unless the owner or CAP_FOWNER,
 * EINVAL for an invalid ACL. An access ACL sets the mode's rwx bits and
 * is dropped when they say it all; S_ISGID may be lost (as
 * posix_acl_update_mode). The flags of setxattr do not apply.
 */
int acl_xattr_set(struct inode *inode, enum acl_type type,
		  const void *value, size_t size);
/*
 * After a mode change of @inode: its access ACL follows the new owner,
 * group (or mask) and other bits (Linux's posix_acl_chmod). 0 or -errno.
 */
int posix_acl_chmod(struct inode *inode);

/* The ACLs a new inode gets from its directory (posix_acl_create). */
struct acl_create {
	struct posix_acl *access, *dflt;
};
/*
 * Before creating an inode of *@mode (type and permission bits) in
 * @dir: with a default ACL on @dir, it becomes the new access ACL
 * masked by *@mode and *@mode by it (a directory inherits the default
 * ACL too); without one, the umask applies. 0 or -errno; @ac is to be
 * passed to posix_acl_create_finish either way once 0 is returned.
 */
int posix_acl_create(struct inode *dir, mode_t *mode, struct acl_create *ac);
/*
 * Give @inode, just created, the ACLs of @ac (NULL if the creation
 * failed: they are only freed). 0, or -errno if storing one failed (the
 * inode exists then, without it).
 */
int posix_acl_create_finish(struct inode *inode, struct acl_create *ac);
