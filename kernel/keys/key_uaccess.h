/*
 * Private to kernel/keys/: copying the key system calls' strings in
 * (key_uaccess.c).
 */
#pragma once
#include <aramid/types.h>
#include "keys.h"

/*
 * A key type name into @type: 0, -EFAULT, -EINVAL (empty, or 32 bytes
 * or more), -EPERM (starting with '.'), as key_get_type_from_user.
 */
int key_type_from_user(char type[KEY_TYPE_NAME_SIZE], uptr_t utype);
/*
 * A copy of the user string at @ustr of fewer than @max bytes (kfree
 * it), as strndup_user: 0, -EFAULT, -EINVAL (too long), -ENOMEM.
 */
int key_strndup_user(uptr_t ustr, size_t max, char **out);
