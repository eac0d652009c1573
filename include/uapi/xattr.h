/*
 * Extended attributes as Linux's ABI gives them (linux/xattr.h,
 * limits.h): setxattr(2)'s flags, the namespaces' prefixes and the
 * limits on names, values and lists.
 */
#pragma once

#define XATTR_CREATE	0x1	/* fail with EEXIST if it is set */
#define XATTR_REPLACE	0x2	/* fail with ENODATA if it is not */

#define XATTR_NAME_MAX	255	/* bytes of a name, without the NUL */
#define XATTR_SIZE_MAX	65536	/* bytes of a value */
#define XATTR_LIST_MAX	65536	/* bytes of a name list */

#define XATTR_SECURITY_PREFIX	"security."
#define XATTR_SYSTEM_PREFIX	"system."
#define XATTR_TRUSTED_PREFIX	"trusted."
#define XATTR_USER_PREFIX	"user."
#define XATTR_NAME_POSIX_ACL_ACCESS	"system.posix_acl_access"
#define XATTR_NAME_POSIX_ACL_DEFAULT	"system.posix_acl_default"
