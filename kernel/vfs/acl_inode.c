/*
 * The POSIX ACLs of inodes, decided in ring 1 for every filesystem that
 * keeps them (FS_POSIX_ACL): the filesystem only stores the bytes of the
 * system.posix_acl_access and system.posix_acl_default attributes, which
 * are parsed once and cached on the inode. Here are the attributes'
 * get and set (Linux's posix_acl_xattr_get/set, set_posix_acl and
 * simple_set_acl), chmod's rewrite of the access ACL (posix_acl_chmod)
 * and the ACLs a new inode inherits (posix_acl_create).
 */
#include "posix_acl.h"
#include <aramid/string.h>
#include <kernel/cred.h>
#include <kernel/task.h>
#include <platform/heap.h>
#include <svc/task.h>
#include <uapi/xattr.h>

static const char *const acl_names[ACL_TYPES] = {
	[ACL_TYPE_ACCESS] = XATTR_NAME_POSIX_ACL_ACCESS,
	[ACL_TYPE_DEFAULT] = XATTR_NAME_POSIX_ACL_DEFAULT,
};

/* See posix_acl.h. Pipes, sockets and anon inodes have a typeless sb. */
bool inode_has_acls(const struct inode *inode)
{
	return inode->sb && inode->sb->type &&
	       (inode->sb->type->flags & FS_POSIX_ACL);
}

/* See posix_acl.h. */
int acl_xattr_type(const char *name)
{
	for (int t = 0; t < ACL_TYPES; t++) {
		if (!strcmp(name, acl_names[t]))
			return t;
	}
	return -1;
}

/* Make @acl (owned from now on, or NULL) the cached ACL of @type. */
static void acl_cache_set(struct inode *inode, enum acl_type type,
			  struct posix_acl *acl)
{
	kfree(inode->acls[type]);
	inode->acls[type] = acl;
	inode->acls_cached |= 1u << type;
}

/* See posix_acl.h. */
void inode_forget_acls(struct inode *inode)
{
	for (int t = 0; t < ACL_TYPES; t++)
		kfree(inode->acls[t]);
}

/* Read and parse @inode's stored ACL of @type into *@out (NULL: none). */
static int acl_load(struct inode *inode, enum acl_type type,
		    struct posix_acl **out)
{
	ssize_t len = vop_getxattr(inode, acl_names[type], NULL, 0);
	struct posix_acl *acl;
	void *buf;

	*out = NULL;
	if (len == -ENODATA || len == -EOPNOTSUPP)
		return 0;
	if (len < 0)
		return (int)len;
	buf = kmalloc(len ? (size_t)len : 1);
	if (!buf)
		return -ENOMEM;
	len = vop_getxattr(inode, acl_names[type], buf, (size_t)len);
	acl = len < 0 ? ERR_PTR(len) : posix_acl_from_xattr(buf, (size_t)len);
	kfree(buf);
	if (IS_ERR(acl))
		return (int)PTR_ERR(acl);
	*out = acl;
	return 0;
}

/* See posix_acl.h. */
int inode_get_acl(struct inode *inode, enum acl_type type,
		  const struct posix_acl **acl)
{
	if (!(inode->acls_cached & (1u << type))) {
		struct posix_acl *loaded;
		int err = acl_load(inode, type, &loaded);

		if (err)
			return err;
		acl_cache_set(inode, type, loaded);
	}
	*acl = inode->acls[type];
	return 0;
}

/*
 * Store @acl (NULL: remove the attribute) as @inode's ACL of @type and
 * cache it; @acl is taken over (freed on failure): 0 or -errno.
 */
static int inode_store_acl(struct inode *inode, enum acl_type type,
			   struct posix_acl *acl)
{
	int err;

	if (acl) {
		size_t size = posix_acl_xattr_size(acl);
		void *buf = kmalloc(size);

		err = -ENOMEM;
		if (buf) {
			posix_acl_to_xattr(acl, buf);
			err = vop_setxattr(inode, acl_names[type], buf, size,
					   0);
			kfree(buf);
		}
	} else {
		err = vop_removexattr(inode, acl_names[type]);
		if (err == -ENODATA)
			err = 0;
	}
	if (err) {
		kfree(acl);
		return err;
	}
	acl_cache_set(inode, type, acl);
	return 0;
}

/* The attributes exist on a filesystem keeping ACLs, not on symlinks. */
static bool acl_supported(const struct inode *inode)
{
	return inode_has_acls(inode) && !S_ISLNK(inode->mode);
}

/* See posix_acl.h. */
ssize_t acl_xattr_get(struct inode *inode, enum acl_type type, void *buf,
		      size_t size)
{
	const struct posix_acl *acl;
	size_t len;
	int err;

	if (!acl_supported(inode))
		return -EOPNOTSUPP;
	err = inode_get_acl(inode, type, &acl);
	if (err)
		return err;
	if (!acl)
		return -ENODATA;
	len = posix_acl_xattr_size(acl);
	if (size) {
		if (size < len)
			return -ERANGE;
		posix_acl_to_xattr(acl, buf);
	}
	return (ssize_t)len;
}

/*
 * Linux's posix_acl_update_mode: the mode *@acl (an access ACL) implies
 * in *@mode, *@acl freed and NULL if the mode says it all, and S_ISGID
 * dropped unless the caller is in the file's group or has CAP_FSETID.
 */
static int acl_update_mode(const struct inode *inode,
			   struct posix_acl **acl, mode_t *mode)
{
	if (*acl) {
		int ret = posix_acl_equiv_mode(*acl, mode);

		if (ret < 0)
			return ret;
		if (!ret) {
			kfree(*acl);
			*acl = NULL;
		}
	}
	if (!in_group_p(inode->gid) && !capable(CAP_FSETID))
		*mode &= ~S_ISGID;
	return 0;
}

/* See posix_acl.h. */
int acl_xattr_set(struct inode *inode, enum acl_type type,
		  const void *value, size_t size)
{
	struct iattr attr = { .valid = ATTR_CTIME };
	struct posix_acl *acl = NULL;
	int err;

	if (!inode_has_acls(inode))
		return -EOPNOTSUPP;
	if (value) {
		acl = posix_acl_from_xattr(value, size);
		if (IS_ERR(acl))
			return (int)PTR_ERR(acl);
	}
	err = -EOPNOTSUPP;
	if (S_ISLNK(inode->mode))
		goto fail;
	if (type == ACL_TYPE_DEFAULT && !S_ISDIR(inode->mode)) {
		err = acl ? -EACCES : 0;
		goto fail;
	}
	err = -EPERM;
	if (!inode_owner_or_capable(inode))
		goto fail;
	if (acl && (err = posix_acl_valid(acl)))
		goto fail;
	if (type == ACL_TYPE_ACCESS) {
		attr.valid |= ATTR_MODE;
		attr.mode = inode->mode & 07777;
		err = acl_update_mode(inode, &acl, &attr.mode);
		if (err)
			goto fail;
	}
	err = inode_store_acl(inode, type, acl);
	if (err)
		return err;
	attr.ctime = current_time();
	return vop_setattr(inode, &attr);
fail:
	kfree(acl);
	return err;
}

/* See posix_acl.h. */
int posix_acl_chmod(struct inode *inode)
{
	const struct posix_acl *cur;
	struct posix_acl *acl;
	int err;

	if (!acl_supported(inode))
		return 0;
	err = inode_get_acl(inode, ACL_TYPE_ACCESS, &cur);
	if (err || !cur)
		return err;
	acl = posix_acl_clone(cur);
	if (!acl)
		return -ENOMEM;
	err = posix_acl_chmod_masq(acl, inode->mode);
	if (err) {
		kfree(acl);
		return err;
	}
	return inode_store_acl(inode, ACL_TYPE_ACCESS, acl);
}

/* See posix_acl.h. */
int posix_acl_create(struct inode *dir, mode_t *mode, struct acl_create *ac)
{
	const struct posix_acl *dflt;
	struct posix_acl *access;
	int ret;

	ac->access = ac->dflt = NULL;
	if (S_ISLNK(*mode) || !inode_has_acls(dir))
		return 0;
	ret = inode_get_acl(dir, ACL_TYPE_DEFAULT, &dflt);
	if (ret)
		return ret;
	if (!dflt) {
		*mode &= ~current_umask();
		return 0;
	}
	access = posix_acl_clone(dflt);
	if (!access)
		return -ENOMEM;
	ret = posix_acl_create_masq(access, mode);
	if (ret <= 0) {
		kfree(access);
		access = NULL;
		if (ret < 0)
			return ret;
	}
	if (S_ISDIR(*mode)) {
		ac->dflt = posix_acl_clone(dflt);
		if (!ac->dflt) {
			kfree(access);
			return -ENOMEM;
		}
	}
	ac->access = access;
	return 0;
}

/* See posix_acl.h. */
int posix_acl_create_finish(struct inode *inode, struct acl_create *ac)
{
	struct posix_acl *acls[ACL_TYPES] = { ac->access, ac->dflt };
	int err = 0;

	for (int t = 0; t < ACL_TYPES; t++) {
		if (!inode || err)
			kfree(acls[t]);
		else if (acls[t])
			err = inode_store_acl(inode, t, acls[t]);
		else if (inode_has_acls(inode))
			acl_cache_set(inode, t, NULL);	/* new: it has none */
	}
	return err;
}
