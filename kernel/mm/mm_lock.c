/*
 * The mlock family as Linux 6.1 accounts it: memory is never swapped, so
 * locking changes no page, but locked vmas (VMA_LOCKED) are counted
 * against RLIMIT_MEMLOCK, locking needs a nonzero limit or CAP_IPC_LOCK,
 * mlockall(MCL_FUTURE) locks the mappings to come, and a fork's copy is
 * unlocked.
 */
#include <kernel/mm.h>
#include <kernel/task.h>
#include <kernel/syscall.h>
#include <svc/task.h>
#include "mm_internal.h"

#define MLOCK_ONFAULT	1
#define MCL_CURRENT	1
#define MCL_FUTURE	2
#define MCL_ONFAULT	4

/* The vDSO's pages are special mappings: never locked (VM_SPECIAL). */
static bool lockable(const struct vma *v)
{
	return !(v->flags & (VMA_VVAR | VMA_VDSO));
}

/* See mm_internal.h. */
size_t mm_pages_in(struct mm *mm, uintptr_t start, uintptr_t end,
		       bool locked)
{
	size_t n = 0;
	struct vma *v;

	list_for_each_entry(v, &mm->vmas, link) {
		uintptr_t lo = MAX(v->start, start), hi = MIN(v->end, end);

		if (lo < hi && (!locked || (v->flags & VMA_LOCKED)))
			n += (hi - lo) / PAGE_SIZE;
	}
	return n;
}

static bool within_limit(size_t pages)
{
	return pages <= rlimit(RLIMIT_MEMLOCK) / PAGE_SIZE ||
	       capable(CAP_IPC_LOCK);
}

bool mm_can_mlock(void)
{
	return rlimit(RLIMIT_MEMLOCK) || capable(CAP_IPC_LOCK);
}

bool mm_lock_within(struct mm *mm, size_t pages)
{
	return within_limit(pages + mm_pages_in(mm, 0, USER_TOP, true));
}

/* Lock or unlock the vmas of [start, end), which the caller checked. */
static long lock_fixup(struct mm *mm, uintptr_t start, uintptr_t end,
		       bool lock)
{
	struct vma *v;
	int err = mm_split_range(mm, start, end);

	if (err)
		return err;
	list_for_each_entry(v, &mm->vmas, link) {
		if (v->start < start || v->end > end || !lockable(v))
			continue;
		if (lock)
			v->flags |= VMA_LOCKED;
		else
			v->flags &= ~VMA_LOCKED;
	}
	return 0;
}

/*
 * As Linux's do_mlock and munlock: EPERM without the right to lock, then
 * ENOMEM over RLIMIT_MEMLOCK (pages already locked in the range count
 * once), then the range widened to whole pages: EINVAL if it wraps,
 * ENOMEM if any of it is unmapped.
 */
static long lock_range(uintptr_t addr, size_t len, bool lock)
{
	struct mm *mm = current->mm;
	uintptr_t start = ALIGN_DOWN(addr, PAGE_SIZE);
	size_t span = ALIGN_UP(len + (addr - start), PAGE_SIZE);
	size_t locked;
	long err;

	if (lock) {
		if (!mm_can_mlock())
			return -EPERM;
		locked = span / PAGE_SIZE + mm_pages_in(mm, 0, USER_TOP, true);
		if (!within_limit(locked))
			locked -= mm_pages_in(mm, start, start + span, true);
		if (!within_limit(locked))
			return -ENOMEM;
	}
	if (start + span < start)
		return -EINVAL;
	if (!span)
		return 0;
	err = mm_range_covered(mm, start, start + span);
	return err ? err : lock_fixup(mm, start, start + span, lock);
}

SYSCALL(__NR_mlock, mlock)(SYSCALL_ARGS)
{
	return lock_range(a0, a1, true);
}

SYSCALL(__NR_mlock2, mlock2)(SYSCALL_ARGS)
{
	if (a2 & ~(uint64_t)MLOCK_ONFAULT)
		return -EINVAL;
	return lock_range(a0, a1, true);
}

SYSCALL(__NR_munlock, munlock)(SYSCALL_ARGS)
{
	return lock_range(a0, a1, false);
}

/*
 * As Linux's mlockall: MCL_CURRENT needs all of the address space within
 * RLIMIT_MEMLOCK; MCL_FUTURE alone leaves the present mappings as they are.
 */
SYSCALL(__NR_mlockall, mlockall)(SYSCALL_ARGS)
{
	struct mm *mm = current->mm;

	if (!a0 || (a0 & ~(uint64_t)(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) ||
	    a0 == MCL_ONFAULT)
		return -EINVAL;
	if (!mm_can_mlock())
		return -EPERM;
	if ((a0 & MCL_CURRENT) &&
	    !within_limit(mm_pages_in(mm, 0, USER_TOP, false)))
		return -ENOMEM;
	mm->lock_future = a0 & MCL_FUTURE;
	if (!(a0 & MCL_CURRENT))
		return 0;
	return lock_fixup(mm, 0, USER_TOP, true);
}

SYSCALL(__NR_munlockall, munlockall)(SYSCALL_ARGS)
{
	current->mm->lock_future = false;
	return lock_fixup(current->mm, 0, USER_TOP, false);
}
