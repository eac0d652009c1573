/*
 * User copy: range checks (access_ok), the exception-table
 * fixup that turns a fault inside an accessor into a short count, and
 * the public copy routines of <platform/usercopy.h>.
 */
#include <platform/usercopy.h>
#include <platform/mmu.h>
#include <platform/cpu.h>
#include <aramid/profile.h>
#include <uapi/errno.h>
#include "x86.h"
#include "uaccess.h"

struct extable_entry {
	uint64_t fault, fixup;
};
extern const struct extable_entry __extable_start[], __extable_end[];

/* If @tf faulted in a user accessor, resume at its fixup. */
bool extable_fixup(struct trapframe *tf)
{
	for (const struct extable_entry *e = __extable_start;
	     e < __extable_end; e++) {
		if (e->fault == tf->rip) {
			tf->rip = e->fixup;
			return true;
		}
	}
	return false;
}

/* Linux's TASK_SIZE_MAX: the last user page is never mapped. */
#define USER_LIMIT	(USER_TOP - PAGE_SIZE)

/*
 * Whether [p, p + n) lies in the user half. Compiled out in ludicrous
 * (CONFIG_ACCESS_OK): there every range is accepted, so a kernel-half
 * pointer from user space reaches the copy as is; only the fault fixup
 * remains, which makes a fault anywhere (an unmapped page in either
 * half, a non-canonical address) EFAULT.
 */
bool access_ok(uptr_t p, size_t n)
{
#if CONFIG_ACCESS_OK
	return p.va <= USER_LIMIT && n <= USER_LIMIT - p.va;
#else
	return true;
#endif
}

/* Raw pointer for an accessor; only here does a uptr_t become one. */
static inline void *uptr_raw(uptr_t p)
{
	return (void *)p.va;
}

int copy_from_user(void *dst, uptr_t src, size_t n)
{
	if (!access_ok(src, n))
		return -EFAULT;
	return uc_copy(dst, uptr_raw(src), n) ? -EFAULT : 0;
}

int copy_to_user(uptr_t dst, const void *src, size_t n)
{
	if (!access_ok(dst, n))
		return -EFAULT;
	return uc_copy(uptr_raw(dst), src, n) ? -EFAULT : 0;
}

int clear_user(uptr_t dst, size_t n)
{
	if (!access_ok(dst, n))
		return -EFAULT;
	return uc_clear(uptr_raw(dst), n) ? -EFAULT : 0;
}

long strncpy_from_user(char *dst, uptr_t src, size_t max)
{
	size_t limit = max;

	if (!max)
		return -ENAMETOOLONG;
#if CONFIG_ACCESS_OK
	if (src.va >= USER_LIMIT)
		return -EFAULT;
	if (limit > USER_LIMIT - src.va)
		limit = USER_LIMIT - src.va;
#endif
	long n = uc_strncpy(dst, uptr_raw(src), limit);

	if (n < 0)
		return -EFAULT;
	if ((size_t)n == limit)		/* no NUL: too long, or ran off the end */
		return limit < max ? -EFAULT : -ENAMETOOLONG;
	return n;
}
