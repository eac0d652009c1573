/*
 * The mlock family as Linux 6.1 accounts it: memory is never swapped, so
 * a lock keeps nothing in that was not kept anyway, but locking faults
 * the range in (unless MLOCK_ONFAULT or MCL_ONFAULT), locked vmas
 * (VMA_LOCKED) are counted against RLIMIT_MEMLOCK and shown as VmLck,
 * locking needs a nonzero limit or CAP_IPC_LOCK, mlockall(MCL_FUTURE)
 * locks the mappings to come, and a fork's copy is unlocked.
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
#define UNLOCKABLE	(VMA_VVAR | VMA_VDSO)

/* See mm_internal.h. */
size_t mm_pages_in(struct mm *mm, uintptr_t start, uintptr_t end,
		       bool locked)
{
	size_t n = 0;
	struct vma *v;

	vma_for_each_from(v, mm, start) {
		uintptr_t lo = MAX(v->start, start), hi = MIN(v->end, end);

		if (lo >= hi)
			break;
		if (!locked || (v->flags & VMA_LOCKED))
			n += (hi - lo) / PAGE_SIZE;
	}
	return n;
}

/* See mm_internal.h. */
int mm_populate(struct mm *mm, uintptr_t start, uintptr_t end,
		bool ignore_errors)
{
	struct vma *v;

	vma_for_each_from(v, mm, start) {
		uintptr_t lo = MAX(v->start, start), hi = MIN(v->end, end);
		bool write = (v->prot & PROT_WRITE) && !(v->flags & VMA_SHARED);

		if (lo >= hi)
			break;
		if ((v->flags & UNLOCKABLE) ||
		    !(v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
			continue;
		for (uintptr_t va = lo; va < hi; va += PAGE_SIZE) {
			int err = mm_fault(mm, va, write, false);

			if (err == -ENOMEM && ignore_errors)
				return 0;	/* the rest would fail alike */
			if (err && !ignore_errors)
				return err;
		}
	}
	return 0;
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

/*
 * Lock (@onfault: to be faulted in as used, Linux's VM_LOCKONFAULT) or
 * unlock the vmas of [start, end), which the caller checked.
 */
static long lock_fixup(struct mm *mm, uintptr_t start, uintptr_t end,
		       bool lock, bool onfault)
{
	unsigned set = !lock ? 0 : onfault ? VMA_LOCKED | VMA_LOCKONFAULT :
			VMA_LOCKED;

	return mm_change_vma_flags(mm, start, end, set,
				   (VMA_LOCKED | VMA_LOCKONFAULT) & ~set,
				   UNLOCKABLE);
}

/* See mm_internal.h. */
unsigned mm_lock_future_flags(const struct mm *mm)
{
	if (!mm->lock_future)
		return 0;
	return mm->lock_future_onfault ? VMA_LOCKED | VMA_LOCKONFAULT :
	       VMA_LOCKED;
}

/*
 * As Linux's do_mlock and munlock: EPERM without the right to lock, then
 * ENOMEM over RLIMIT_MEMLOCK (pages already locked in the range count
 * once), then the range widened to whole pages: EINVAL if it wraps,
 * ENOMEM if any of it is unmapped; a lock then faults the range in
 * unless @onfault.
 */
static long lock_range(uintptr_t addr, size_t len, bool lock, bool onfault)
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
	if (!err)
		err = lock_fixup(mm, start, start + span, lock, onfault);
	if (err || !lock || onfault)
		return err;
	/*
	 * Linux's __mlock_posix_error_return: the vmas stay locked. A file
	 * page past the end (-EIO, SIGBUS) is get_user_pages's EFAULT.
	 */
	err = mm_populate(mm, start, start + span, false);
	if (err == -EFAULT || err == -EIO)
		return -ENOMEM;
	return err == -ENOMEM ? -EAGAIN : err;
}

SYSCALL(__NR_mlock, mlock)(SYSCALL_ARGS)
{
	return lock_range(a0, a1, true, false);
}

SYSCALL(__NR_mlock2, mlock2)(SYSCALL_ARGS)
{
	if (a2 & ~(uint64_t)MLOCK_ONFAULT)
		return -EINVAL;
	return lock_range(a0, a1, true, a2 & MLOCK_ONFAULT);
}

SYSCALL(__NR_munlock, munlock)(SYSCALL_ARGS)
{
	return lock_range(a0, a1, false, false);
}

/*
 * As Linux's mlockall: MCL_CURRENT needs all of the address space within
 * RLIMIT_MEMLOCK and faults it in (not with MCL_ONFAULT, and what cannot
 * be faulted is left); MCL_FUTURE alone leaves the present mappings as
 * they are.
 */
SYSCALL(__NR_mlockall, mlockall)(SYSCALL_ARGS)
{
	struct mm *mm = current->mm;
	long err;

	if (!a0 || (a0 & ~(uint64_t)(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) ||
	    a0 == MCL_ONFAULT)
		return -EINVAL;
	if (!mm_can_mlock())
		return -EPERM;
	if ((a0 & MCL_CURRENT) &&
	    !within_limit(mm_pages_in(mm, 0, USER_TOP, false)))
		return -ENOMEM;
	mm->lock_future = a0 & MCL_FUTURE;
	mm->lock_future_onfault = mm->lock_future && (a0 & MCL_ONFAULT);
	if (!(a0 & MCL_CURRENT))
		return 0;
	err = lock_fixup(mm, 0, USER_TOP, true, a0 & MCL_ONFAULT);
	if (!err && !(a0 & MCL_ONFAULT))
		mm_populate(mm, 0, USER_TOP, true);
	return err;
}

SYSCALL(__NR_munlockall, munlockall)(SYSCALL_ARGS)
{
	current->mm->lock_future = false;
	current->mm->lock_future_onfault = false;
	return lock_fixup(current->mm, 0, USER_TOP, false, false);
}
