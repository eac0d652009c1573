/*
 * sysfs(2), the old System V call that lists the registered filesystem
 * types (the ones /proc/filesystems shows, in the same order), as Linux's
 * fs/filesystems.c answers it: option 1 maps a name to its index, 2 an
 * index to its name, 3 counts the types. Types are never unregistered.
 */
#include "vfs_internal.h"
#include <kernel/syscall.h>
#include <svc/introspect.h>
#include <platform/usercopy.h>
#include <platform/heap.h>
#include <aramid/string.h>

#define SYSFS_FS_INDEX		1
#define SYSFS_FS_NAME		2
#define SYSFS_FS_COUNT		3

/* Option 1: the index of the type user string @uname names, or -errno. */
static long fs_index(uptr_t uname)
{
	const struct fs_type *type = NULL;
	char *name = getname(uname);
	long index = 0, ret = -EINVAL;

	if (IS_ERR(name))
		return PTR_ERR(name);
	/* Linux's getname refuses the empty name before any lookup. */
	if (!name[0])
		ret = -ENOENT;
	while (ret == -EINVAL && (type = fs_type_next(type))) {
		if (!strcmp(type->name, name))
			ret = index;
		index++;
	}
	kfree(name);
	return ret;
}

/* Option 2: the name of type @index, NUL included, to @ubuf: 0 or -errno. */
static long fs_name(unsigned long index, uptr_t ubuf)
{
	const struct fs_type *type = fs_type_next(NULL);

	/* The index is Linux's unsigned int: higher bits are dropped. */
	for (unsigned i = (unsigned)index; type && i; i--)
		type = fs_type_next(type);
	if (!type)
		return -EINVAL;
	return copy_to_user(ubuf, type->name, strlen(type->name) + 1) ?
	       -EFAULT : 0;
}

/* Option 3: how many types are registered. */
static long fs_count(void)
{
	const struct fs_type *type = NULL;
	long n = 0;

	while ((type = fs_type_next(type)))
		n++;
	return n;
}

SYSCALL(__NR_sysfs, sysfs)(SYSCALL_ARGS)
{
	switch ((int)a0) {
	case SYSFS_FS_INDEX:
		return fs_index(UPTR(a1));
	case SYSFS_FS_NAME:
		return fs_name((unsigned long)a1, UPTR(a2));
	case SYSFS_FS_COUNT:
		return fs_count();
	default:
		return -EINVAL;
	}
}
