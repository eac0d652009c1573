/*
 * POSIX ACLs as Linux's ABI gives them (linux/posix_acl.h,
 * linux/posix_acl_xattr.h): the entry tags and permissions, and the
 * little-endian value of the system.posix_acl_access and
 * system.posix_acl_default attributes (a version 2 header, then one
 * 8-byte entry each).
 */
#pragma once
#include <aramid/types.h>

#define ACL_USER_OBJ	0x01	/* the owner */
#define ACL_USER	0x02	/* a named user */
#define ACL_GROUP_OBJ	0x04	/* the owning group */
#define ACL_GROUP	0x08	/* a named group */
#define ACL_MASK	0x10	/* bound for named entries and the group */
#define ACL_OTHER	0x20	/* everyone else */

#define ACL_READ	0x04
#define ACL_WRITE	0x02
#define ACL_EXECUTE	0x01

#define ACL_UNDEFINED_ID	((uint32_t)-1)	/* e_id of the unnamed tags */

#define POSIX_ACL_XATTR_VERSION	0x0002

struct posix_acl_xattr_header {
	uint32_t a_version;
};

struct posix_acl_xattr_entry {
	uint16_t e_tag;
	uint16_t e_perm;
	uint32_t e_id;
};
