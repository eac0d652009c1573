/*
 * tmpfs extended attributes, as Linux 6.1's tmpfs keeps them
 * (CONFIG_TMPFS_XATTR, CONFIG_TMPFS_POSIX_ACL): "trusted." and
 * "security." names live in memory on the inode, in a list the newest
 * first; "user." and any other prefix are not supported (EOPNOTSUPP).
 * The bytes of the POSIX ACLs ("system.posix_acl_access" and
 * "system.posix_acl_default") are stored the same way, their rules being
 * the VFS's, and listed first as Linux's simple_xattr_list does. The VFS
 * has checked the name, flags, size and the caller's rights before any
 * call here.
 */
#include "tmpfs.h"
#include <aramid/string.h>
#include <platform/heap.h>
#include <svc/task.h>
#include <uapi/errno.h>
#include <uapi/xattr.h>

struct tmpfs_xattr {
	struct list_head link;		/* tmpfs_node.xattrs */
	char *name;
	size_t size;
	unsigned char value[];
};

static bool has_prefix(const char *name, const char *prefix)
{
	return !strncmp(name, prefix, strlen(prefix));
}

static bool acl_name(const char *name)
{
	return !strcmp(name, XATTR_NAME_POSIX_ACL_ACCESS) ||
	       !strcmp(name, XATTR_NAME_POSIX_ACL_DEFAULT);
}

/* Whether tmpfs stores @name: 0, or -EOPNOTSUPP. */
static int check_name(const char *name)
{
	if (has_prefix(name, XATTR_TRUSTED_PREFIX) ||
	    has_prefix(name, XATTR_SECURITY_PREFIX) || acl_name(name))
		return 0;
	return -EOPNOTSUPP;
}

static struct tmpfs_xattr *xattr_find(struct tmpfs_node *node,
				      const char *name)
{
	struct tmpfs_xattr *x;

	list_for_each_entry(x, &node->xattrs, link) {
		if (!strcmp(x->name, name))
			return x;
	}
	return NULL;
}

/* A new attribute @name = @value (not linked): NULL when memory is short. */
static struct tmpfs_xattr *xattr_alloc(const char *name, const void *value,
				       size_t size)
{
	size_t len = strlen(name) + 1;
	struct tmpfs_xattr *x = kmalloc(sizeof(*x) + size);

	if (!x)
		return NULL;
	x->name = kmalloc(len);
	if (!x->name) {
		kfree(x);
		return NULL;
	}
	memcpy(x->name, name, len);
	memcpy(x->value, value, size);
	x->size = size;
	return x;
}

static void xattr_free(struct tmpfs_xattr *x)
{
	kfree(x->name);
	kfree(x);
}

/* inode_ops.getxattr: the value's length (copied when @size is not 0). */
ssize_t tmpfs_getxattr(struct inode *inode, const char *name, void *buf,
		       size_t size)
{
	struct tmpfs_xattr *x;
	int err = check_name(name);

	if (err)
		return err;
	x = xattr_find(tmpfs_node(inode), name);
	if (!x)
		return -ENODATA;
	if (size) {
		if (size < x->size)
			return -ERANGE;
		memcpy(buf, x->value, x->size);
	}
	return (ssize_t)x->size;
}

/* inode_ops.setxattr: create or replace as @flags allow; ctime stamped. */
int tmpfs_setxattr(struct inode *inode, const char *name, const void *value,
		   size_t size, int flags)
{
	struct tmpfs_node *node = tmpfs_node(inode);
	struct tmpfs_xattr *old, *x;

	int err = check_name(name);

	if (err)
		return err;
	old = xattr_find(node, name);
	if (old && (flags & XATTR_CREATE))
		return -EEXIST;
	if (!old && (flags & XATTR_REPLACE))
		return -ENODATA;
	x = xattr_alloc(name, value, size);
	if (!x)
		return -ENOMEM;
	if (old) {
		__list_add(&x->link, old->link.prev, old->link.next);
		xattr_free(old);
	} else {
		list_add(&x->link, &node->xattrs);
	}
	inode->ctime = current_time();
	return 0;
}

/* inode_ops.removexattr: 0, or -ENODATA if @name is not set. */
int tmpfs_removexattr(struct inode *inode, const char *name)
{
	struct tmpfs_xattr *x;
	int err = check_name(name);

	if (err)
		return err;
	x = xattr_find(tmpfs_node(inode), name);
	if (!x)
		return -ENODATA;
	list_del(&x->link);
	xattr_free(x);
	inode->ctime = current_time();
	return 0;
}

/* Append @name and its NUL to @buf (unless @size is 0): 0 or -ERANGE. */
static int list_one(const char *name, char *buf, size_t size, size_t *total)
{
	size_t len = strlen(name) + 1;

	if (size) {
		if (size - *total < len)
			return -ERANGE;
		memcpy(buf + *total, name, len);
	}
	*total += len;
	return 0;
}

/*
 * inode_ops.listxattr: the names, each with its NUL: the access then the
 * default ACL's, then the others, "trusted." ones only for a caller with
 * CAP_SYS_ADMIN; the total length, or -ERANGE.
 */
ssize_t tmpfs_listxattr(struct inode *inode, char *buf, size_t size)
{
	static const char *const acls[] = {
		XATTR_NAME_POSIX_ACL_ACCESS, XATTR_NAME_POSIX_ACL_DEFAULT
	};
	struct tmpfs_node *node = tmpfs_node(inode);
	bool trusted = capable(CAP_SYS_ADMIN);
	struct tmpfs_xattr *x;
	size_t total = 0;
	int err;

	for (size_t i = 0; i < ARRAY_SIZE(acls); i++) {
		if (xattr_find(node, acls[i]) &&
		    (err = list_one(acls[i], buf, size, &total)))
			return err;
	}
	list_for_each_entry(x, &node->xattrs, link) {
		if (acl_name(x->name) ||
		    (!trusted && has_prefix(x->name, XATTR_TRUSTED_PREFIX)))
			continue;
		err = list_one(x->name, buf, size, &total);
		if (err)
			return err;
	}
	return (ssize_t)total;
}

void tmpfs_xattrs_free(struct tmpfs_node *node)
{
	struct tmpfs_xattr *x, *n;

	list_for_each_entry_safe(x, n, &node->xattrs, link)
		xattr_free(x);
	list_init(&node->xattrs);
}
