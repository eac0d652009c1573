/*
 * The strings the key system calls take from user space, as Linux's
 * key_get_type_from_user and strndup_user. Process context.
 */
#include <platform/heap.h>
#include <platform/usercopy.h>
#include <uapi/errno.h>
#include "keys.h"
#include "key_uaccess.h"

/* See key_uaccess.h. */
int key_type_from_user(char type[KEY_TYPE_NAME_SIZE], uptr_t utype)
{
	long len = strncpy_from_user(type, utype, KEY_TYPE_NAME_SIZE);

	if (len == -ENAMETOOLONG || len == 0)
		return -EINVAL;
	if (len < 0)
		return (int)len;
	return type[0] == '.' ? -EPERM : 0;
}

/* See key_uaccess.h. */
int key_strndup_user(uptr_t ustr, size_t max, char **out)
{
	char *s = kmalloc(max);
	long len;

	if (!s)
		return -ENOMEM;
	len = strncpy_from_user(s, ustr, max);
	if (len < 0) {
		kfree(s);
		return len == -ENAMETOOLONG ? -EINVAL : (int)len;
	}
	*out = s;
	return 0;
}
