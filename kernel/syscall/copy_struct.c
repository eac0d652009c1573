/*
 * Extensible system call structs (clone3, openat2): Linux's
 * copy_struct_from_user, for the calling task's memory.
 */
#include <aramid/string.h>
#include <kernel/syscall.h>
#include <platform/usercopy.h>

/* See include/kernel/syscall.h. */
int copy_struct_from_user(void *dst, size_t ksize, uptr_t src, size_t usize)
{
	memset(dst, 0, ksize);
	if (copy_from_user(dst, src, MIN(usize, ksize)))
		return -EFAULT;
	for (size_t off = ksize; off < usize; off++) {
		uint8_t byte;

		if (get_user(byte, uptr_add(src, off)))
			return -EFAULT;
		if (byte)
			return -E2BIG;
	}
	return 0;
}
