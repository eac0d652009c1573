/*
 * Private to platform/: the user-copy primitives of uaccess.S, whose
 * faulting instructions have exception-table fixups; usercopy.c builds
 * the public routines of <platform/usercopy.h> on them.
 */
#pragma once
#include <aramid/types.h>

/*
 * Copy @n bytes (8-byte moves, then the tail). Returns the bytes not
 * copied, exact to the faulting byte.
 */
size_t uc_copy(void *dst, const void *src, size_t n);
/* Zero @n bytes at @dst, as uc_copy. Returns the bytes not cleared. */
size_t uc_clear(void *dst, size_t n);
/*
 * Copy a string, with its NUL, of at most @max bytes. Returns its length
 * (the index of the NUL), @max if there is none within @max bytes, or -1
 * on a fault.
 */
long uc_strncpy(char *dst, const char *src, size_t max);
