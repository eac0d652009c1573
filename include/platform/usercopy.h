/*
 * The only way into user memory (platform/usercopy.c, uaccess.S).
 * Every routine checks that the range lies in the user half (without
 * wrap-around) unless the profile trusts user space (CONFIG_ACCESS_OK
 * off), resolves demand and copy-on-write faults through the kernel, and
 * turns any other fault, at any address (unmapped in either half,
 * non-canonical), into -EFAULT. Process context.
 */
#pragma once
#include <aramid/types.h>

/* True if [p, p + n) is a user range. */
bool access_ok(uptr_t p, size_t n);

/* Returns 0 or -EFAULT. */
int copy_from_user(void *dst, uptr_t src, size_t n);
int copy_to_user(uptr_t dst, const void *src, size_t n);
int clear_user(uptr_t dst, size_t n);
/*
 * Copy a NUL-terminated string of at most @max bytes including the NUL.
 * Returns its length, -EFAULT, or -ENAMETOOLONG if no NUL within @max.
 */
long strncpy_from_user(char *dst, uptr_t src, size_t max);

#define get_user(var, p) copy_from_user(&(var), (p), sizeof(var))
#define put_user(var, p) copy_to_user((p), &(var), sizeof(var))
