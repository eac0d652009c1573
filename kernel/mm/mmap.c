/*
 * The memory-mapping system calls: mmap, munmap, mprotect, mremap,
 * madvise and brk (msync, mincore and the mlock family: mm_resident.c).
 */
#include <kernel/mm.h>
#include <kernel/page_cache.h>
#include <kernel/task.h>
#include <kernel/vfs.h>
#include <kernel/syscall.h>
#include <platform/usercopy.h>
#include <aramid/string.h>
#include <uapi/fcntl.h>
#include "mm_internal.h"

#define MAP_SHARED		0x01
#define MAP_PRIVATE		0x02
#define MAP_SHARED_VALIDATE	0x03
#define MAP_TYPE		0x0f
#define MAP_FIXED		0x10
#define MAP_ANONYMOUS		0x20
#define MAP_GROWSDOWN		0x0100
#define PROT_GROWSDOWN		0x01000000
#define PROT_GROWSUP		0x02000000
#define MAP_DENYWRITE		0x0800
#define MAP_EXECUTABLE		0x1000
#define MAP_LOCKED		0x2000
#define MAP_NORESERVE		0x4000
#define MAP_POPULATE		0x8000
#define MAP_NONBLOCK		0x10000
#define MAP_STACK		0x20000
#define MAP_HUGETLB		0x40000
#define MAP_SYNC		0x80000
#define MAP_FIXED_NOREPLACE	0x100000
#define MAP_UNINITIALIZED	0x4000000
/*
 * What MAP_SHARED_VALIDATE accepts on a file without DAX (Linux's
 * LEGACY_MAP_MASK): not MAP_SYNC, and in 6.1 not MAP_FIXED_NOREPLACE.
 */
#define MAP_LEGACY_FLAGS	(MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | \
	MAP_DENYWRITE | MAP_EXECUTABLE | MAP_UNINITIALIZED | MAP_GROWSDOWN | \
	MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | \
	MAP_STACK | MAP_HUGETLB)
#define MAP_HUGE_SHIFT		26
#define MAP_HUGE_MASK		0x3f


#define MREMAP_MAYMOVE		1
#define MREMAP_FIXED		2
#define MREMAP_DONTUNMAP	4

#define MADV_NORMAL		0
#define MADV_RANDOM		1
#define MADV_SEQUENTIAL		2
#define MADV_WILLNEED		3
#define MADV_DONTNEED		4
#define MADV_FREE		8
#define MADV_DONTFORK		10
#define MADV_DOFORK		11
#define MADV_HUGEPAGE		14
#define MADV_NOHUGEPAGE		15
#define MADV_DONTDUMP		16
#define MADV_DODUMP		17
#define MADV_WIPEONFORK		18
#define MADV_KEEPONFORK		19

/* Linux's VM_SPECIAL mappings: the vDSO's, an AIO ring. */
#define VMA_SPECIAL	(VMA_VVAR | VMA_VDSO | VMA_AIO)

/*
 * The VMA_* flags that @advice sets (*@set) or clears (*@clear), as
 * Linux's madvise_vma_behavior; false if it changes no flag.
 */
static bool madvise_flags(int advice, unsigned *set, unsigned *clear)
{
	static const struct {
		int advice;
		unsigned set, clear;
	} table[] = {
		{ MADV_NORMAL, 0, VMA_SEQ_READ | VMA_RAND_READ },
		{ MADV_RANDOM, VMA_RAND_READ, VMA_SEQ_READ },
		{ MADV_SEQUENTIAL, VMA_SEQ_READ, VMA_RAND_READ },
		{ MADV_HUGEPAGE, VMA_HUGEPAGE, VMA_NOHUGEPAGE },
		{ MADV_NOHUGEPAGE, VMA_NOHUGEPAGE, VMA_HUGEPAGE },
		{ MADV_DONTFORK, VMA_DONTFORK, 0 },
		{ MADV_DOFORK, 0, VMA_DONTFORK },
		{ MADV_DONTDUMP, VMA_DONTDUMP, 0 },
		{ MADV_DODUMP, 0, VMA_DONTDUMP },
		{ MADV_WIPEONFORK, VMA_WIPEONFORK, 0 },
		{ MADV_KEEPONFORK, 0, VMA_WIPEONFORK },
	};

	for (size_t i = 0; i < ARRAY_SIZE(table); i++) {
		if (table[i].advice == advice) {
			*set = table[i].set;
			*clear = table[i].clear;
			return true;
		}
	}
	return false;
}

/*
 * Linux's default overcommit heuristic: a private writable mapping larger
 * than all of RAM cannot be backed, so refuse it up front.
 */
static bool mm_may_commit(size_t len, unsigned prot, unsigned vflags)
{
	struct frame_stats st;

	if (!(prot & PROT_WRITE) || (vflags & VMA_SHARED))
		return true;
	frame_stats(&st);
	return len / PAGE_SIZE <= st.total;
}

/* True if any vma overlaps [start, end). */
static bool range_used(struct mm *mm, uintptr_t start, uintptr_t end)
{
	struct vma *v = vma_first_from(mm, start);

	return v && v->start < end;
}

/*
 * Linux's may_expand_vm for RLIMIT_AS: whether @pages more pages keep @mm
 * within the limit.
 */
static bool as_within(struct mm *mm, size_t pages)
{
	uint64_t limit = rlimit(RLIMIT_AS) / PAGE_SIZE;

	if (limit >= TASK_SIZE / PAGE_SIZE)	/* no address space is larger */
		return true;
	return mm_pages_in(mm, 0, USER_TOP, false) + pages <= limit;
}

/*
 * Linux's vma_to_resize limits for growing @v from @old_len to @new_len
 * bytes: -EAGAIN over RLIMIT_MEMLOCK if it is locked, -ENOMEM over
 * RLIMIT_AS, else 0.
 */
static int grow_within(struct mm *mm, const struct vma *v, size_t old_len,
		       size_t new_len)
{
	size_t grow = new_len > old_len ? (new_len - old_len) / PAGE_SIZE : 0;

	if ((v->flags & VMA_LOCKED) && !mm_lock_within(mm, grow))
		return -EAGAIN;
	return as_within(mm, grow) ? 0 : -ENOMEM;
}

static bool range_valid(uintptr_t start, size_t len)
{
	return start >= MMAP_MIN && len <= TASK_SIZE && start <= TASK_SIZE - len;
}

/* Whether a file mapping of @inode has pages: its own or the page cache's. */
static bool mmap_backed(const struct inode *inode)
{
	if (!S_ISREG(inode->mode))
		return false;
	return (inode->iops && inode->iops->get_page) ||
	       page_cache_serves(inode);
}

/*
 * /dev/zero (character device 1:5), which Linux's mmap_zero maps as
 * anonymous memory: private, or shared between the processes that
 * inherit it, as MAP_ANONYMOUS would.
 */
static bool is_dev_zero(const struct inode *inode)
{
	return S_ISCHR(inode->mode) && inode->rdev == MKDEV(1, 5);
}

/*
 * MAP_HUGETLB without a file: a size Linux knows (the default, 2 MiB or
 * 1 GiB) finds no huge page reserved (vm.nr_hugepages is 0): ENOMEM;
 * any other size EINVAL.
 */
static long mmap_hugetlb(unsigned flags)
{
	unsigned shift = (flags >> MAP_HUGE_SHIFT) & MAP_HUGE_MASK;

	return shift == 0 || shift == 21 || shift == 30 ? -ENOMEM : -EINVAL;
}

/*
 * mmap in Linux's order (sys_mmap, ksys_mmap_pgoff, do_mmap): the offset,
 * the descriptor, huge pages, the length, the address, then the mapping
 * type and the file's modes; unknown protection bits are ignored, as
 * calc_vm_prot_bits does.
 */
SYSCALL(__NR_mmap, mmap)(SYSCALL_ARGS)
{
	uintptr_t addr = a0;
	size_t len = a1;
	unsigned prot = (unsigned)a2 & (PROT_READ | PROT_WRITE | PROT_EXEC);
	unsigned flags = a3;
	int fd = (int)a4;
	uint64_t off = a5;
	struct mm *mm = current->mm;
	struct file *file = NULL, *zero = NULL;
	unsigned vflags = 0;
	bool nowrite;
	long ret;

	if (off & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS)) {
		file = fd_get(fd);
		if (!file)
			return -EBADF;
		ret = -EINVAL;		/* not a hugetlbfs file */
		if (flags & MAP_HUGETLB)
			goto out;
	} else if (flags & MAP_HUGETLB) {
		return mmap_hugetlb(flags);
	}
	ret = -EINVAL;
	if (!len)
		goto out;
	ret = -ENOMEM;
	if (len > TASK_SIZE)
		goto out;
	len = ALIGN_UP(len, PAGE_SIZE);
	ret = -EOVERFLOW;
	if (off / PAGE_SIZE + len / PAGE_SIZE < off / PAGE_SIZE)
		goto out;
	ret = -EINVAL;
	if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) &&
	    (addr & (PAGE_SIZE - 1)))
		goto out;
	ret = -EPERM;
	if ((flags & MAP_LOCKED) && !mm_can_mlock())
		goto out;
	vflags |= mm_lock_future_flags(mm);
	if (flags & MAP_LOCKED)
		vflags |= VMA_LOCKED;
	ret = -EAGAIN;
	if ((vflags & VMA_LOCKED) && !mm_lock_within(mm, len / PAGE_SIZE))
		goto out;
	if (flags & MAP_GROWSDOWN)
		vflags |= VMA_GROWSDOWN;
	/* Honoured: vm.overcommit_memory is 0. */
	if (flags & MAP_NORESERVE)
		vflags |= VMA_NORESERVE;

	switch (flags & MAP_TYPE) {
	case MAP_SHARED_VALIDATE:
		ret = -EINVAL;		/* an anonymous mapping has no such type */
		if (!file)
			goto out;
		ret = -EOPNOTSUPP;
		if (flags & ~MAP_LEGACY_FLAGS)
			goto out;
		/* fallthrough */
	case MAP_SHARED:
		vflags |= VMA_SHARED;
		break;
	case MAP_PRIVATE:
		break;
	default:
		ret = -EINVAL;
		goto out;
	}
	ret = -EINVAL;
	if ((vflags & VMA_GROWSDOWN) && (file || (vflags & VMA_SHARED)))
		goto out;
	if (file) {
		/* Linux's file_mmap_ok: the end stays below the largest
		 * offset of a file (MAX_LFS_FILESIZE) */
		ret = -EOVERFLOW;
		if (off / PAGE_SIZE > ((uint64_t)INT64_MAX - len) / PAGE_SIZE)
			goto out;
		ret = -EACCES;
		if ((vflags & VMA_SHARED) && (prot & PROT_WRITE) &&
		    !(file->mode & FMODE_WRITE))
			goto out;
		if (!(file->mode & FMODE_READ))
			goto out;
		if (path_noexec(&file->path)) {
			ret = -EPERM;
			if (prot & PROT_EXEC)
				goto out;
			vflags |= VMA_NOEXEC;
		}
		if (is_dev_zero(file->inode)) {
			/* No VM_MAYWRITE for a shared one from a read-only
			 * descriptor: mprotect cannot make it writable. */
			if ((vflags & VMA_SHARED) && !(file->mode & FMODE_WRITE))
				vflags |= VMA_NOWRITE;
			/* A private one keeps the file, as Linux's. */
			if (!(vflags & VMA_SHARED))
				zero = file;
			else
				fput(file);
			file = NULL;
		} else {
			ret = -ENODEV;
			if (!mmap_backed(file->inode))
				goto out;
			ret = file_seal_mmap(file, vflags & VMA_SHARED, prot,
					     &nowrite);
			if (ret)
				goto out;
			if (nowrite)
				vflags |= VMA_NOWRITE;
		}
	}
	ret = -ENOMEM;
	if (!(flags & MAP_NORESERVE) && !mm_may_commit(len, prot, vflags))
		goto out;

	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		ret = mm_fixed_range_check(addr, len);
		if (ret)
			goto out;
		ret = -EEXIST;
		if ((flags & MAP_FIXED_NOREPLACE) && !(flags & MAP_FIXED) &&
		    range_used(mm, addr, addr + len))
			goto out;
	} else {
		addr = ALIGN_DOWN(addr, PAGE_SIZE);
		if (!addr || !range_valid(addr, len) ||
		    range_used(mm, addr, addr + len))
			addr = mm_find_gap(mm, len);
		ret = -ENOMEM;
		if (!addr)
			goto out;
	}
	/* MAP_FIXED: what it replaces counts only when over the limit. */
	ret = -ENOMEM;
	if (!as_within(mm, len / PAGE_SIZE) &&
	    !as_within(mm, len / PAGE_SIZE -
		       mm_pages_in(mm, addr, addr + len, false)))
		goto out;
	if (zero) {
		struct vma like = vma_new_kind(addr, prot, vflags, NULL, 0,
					       NULL);

		like.zero_file = zero;
		like.pgoff = off / PAGE_SIZE;
		ret = mm_map_vma_like(mm, addr, len, &like, true);
	} else {
		ret = mm_map_region(mm, addr, len, prot, vflags, file,
				    file ? off / PAGE_SIZE : 0);
	}
	if (ret)
		goto out;
	/* Linux's do_mmap: a locked mapping, or MAP_POPULATE, is faulted in. */
	if (((vflags & VMA_LOCKED) && ((flags & MAP_LOCKED) ||
				       !mm->lock_future_onfault)) ||
	    (flags & (MAP_POPULATE | MAP_NONBLOCK)) == MAP_POPULATE)
		mm_populate(mm, addr, addr + len, true);
	ret = addr;
out:
	if (file)
		fput(file);
	if (zero)
		fput(zero);
	return ret;
}

SYSCALL(__NR_munmap, munmap)(SYSCALL_ARGS)
{
	uintptr_t addr = a0;
	size_t len = a1;

	if ((addr & (PAGE_SIZE - 1)) || !len || len > USER_TOP ||
	    addr > USER_TOP - ALIGN_UP(len, PAGE_SIZE))
		return -EINVAL;
	return mm_unmap_region(current->mm, addr, ALIGN_UP(len, PAGE_SIZE));
}

SYSCALL(__NR_mprotect, mprotect)(SYSCALL_ARGS)
{
	uintptr_t start = a0;
	size_t len = ALIGN_UP((size_t)a1, PAGE_SIZE);
	unsigned prot = a2;
	struct mm *mm = current->mm;
	struct vma *v;
	uintptr_t end = start + len;
	int err;

	unsigned grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);

	/* Linux's do_mprotect_pkey, in its order. */
	prot &= ~grows;
	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if (start & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!a1)
		return 0;
	if (!len || end <= start)
		return -ENOMEM;
	/* arch_validate_prot: PROT_SEM (8) is allowed, and ignored. */
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | 0x8))
		return -EINVAL;
	prot &= PROT_READ | PROT_WRITE | PROT_EXEC;
	if (grows) {
		/* From the start of a stack mapping (x86 has no GROWSUP). */
		v = vma_first_from(mm, start);
		if (!v ||
		    (grows == PROT_GROWSDOWN ? v->start >= end :
		     v->start > start))
			return -ENOMEM;
		if (grows == PROT_GROWSUP || !(v->flags & VMA_GROWSDOWN))
			return -EINVAL;
		start = v->start;
	}
	if (mm_range_covered(mm, start, end))
		return -ENOMEM;
	vma_for_each_from(v, mm, start) {
		if (v->start >= end)
			break;
		if ((v->flags & VMA_SHARED) && (prot & PROT_WRITE) &&
		    ((v->file && !(v->file->mode & FMODE_WRITE)) ||
		     (v->flags & VMA_NOWRITE)))
			return -EACCES;
		if ((v->flags & VMA_NOEXEC) && (prot & PROT_EXEC))
			return -EACCES;
	}
	for (uintptr_t addr = start;
	     (v = vma_first_from(mm, addr)) && v->start < end;) {
		uintptr_t lo = MAX(start, v->start), hi = MIN(end, v->end);
		unsigned flags = v->flags, mp = 0;

		/* Linux's mprotect_fixup: private memory made writable is
		 * charged from now on. */
		if ((prot & PROT_WRITE) && !(v->prot & PROT_WRITE) &&
		    !(flags & (VMA_SHARED | VMA_NORESERVE)))
			flags |= VMA_ACCOUNT;
		addr = v->end;
		if (prot == v->prot && flags == v->flags)
			continue;
		err = vma_modify(mm, v, lo, hi, prot, flags, false, NULL, 0,
				 &v);
		if (err)
			return err;
		addr = v->end;
		if (prot)
			mp |= MMU_READ;	/* x86 cannot deny reads */
		if (prot & PROT_EXEC)
			mp |= MMU_EXEC;
		/*
		 * Private pages may be shared, and a page-cache page is
		 * writable only once dirty: write faults decide.
		 */
		if ((prot & PROT_WRITE) && (v->flags & VMA_SHARED) &&
		    !(v->file && page_cache_serves(v->file->inode)))
			mp |= MMU_WRITE;
		mmu_protect(mm->space, lo, hi, mp);
	}
	return 0;
}

/* Move the pages of [old, old+len) to new (free, same mm). */
static int move_pages(struct mm *mm, uintptr_t old, uintptr_t new, size_t len)
{
	for (size_t off = 0; off < len; off += PAGE_SIZE) {
		paddr_t pa;
		unsigned prot;

		if (!mmu_lookup(mm->space, old + off, &pa, &prot))
			continue;
		frame_get(pa);
		if (mmu_map(mm->space, new + off, pa, prot))
			return -ENOMEM;
	}
	return 0;
}

SYSCALL(__NR_mremap, mremap)(SYSCALL_ARGS)
{
	uintptr_t old = a0, new_addr = a4;
	size_t old_len = ALIGN_UP((size_t)a1, PAGE_SIZE);
	size_t new_len = ALIGN_UP((size_t)a2, PAGE_SIZE);
	unsigned flags = a3;
	struct mm *mm = current->mm;
	struct vma *v;
	int err;

	if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if (old & (PAGE_SIZE - 1))
		return -EINVAL;
	if (!new_len || (size_t)a2 > TASK_SIZE)
		return -EINVAL;
	/* MREMAP_DONTUNMAP moves the pages and leaves the mapping, empty. */
	if ((flags & MREMAP_DONTUNMAP) &&
	    (!(flags & MREMAP_MAYMOVE) || old_len != new_len))
		return -EINVAL;
	v = vma_find(mm, old);
	if (!v || old + old_len > v->end)
		return -EFAULT;
	if (flags & MREMAP_FIXED) {
		if ((new_addr & (PAGE_SIZE - 1)) || new_len > TASK_SIZE ||
		    new_addr > TASK_SIZE - new_len)
			return -EINVAL;
		err = mm_fixed_range_check(new_addr, new_len);
		if (err)
			return err;
		if (new_addr < old + old_len && new_addr + new_len > old)
			return -EINVAL;
		err = grow_within(mm, v, old_len, new_len);
		if (err)
			return err;
		goto move;
	}
	if (flags & MREMAP_DONTUNMAP)
		goto find;
	if (new_len <= old_len) {
		if (new_len < old_len) {
			err = mm_unmap_region(mm, old + new_len, old_len - new_len);
			if (err)
				return err;
		}
		return old;
	}
	err = grow_within(mm, v, old_len, new_len);
	if (err)
		return err;
	/* Grow in place if the vma ends here and the space above is free. */
	if (old + old_len == v->end && range_valid(old, new_len) &&
	    !range_used(mm, v->end, old + new_len)) {
		vma_expand(mm, v, old + new_len);
		return old;
	}
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
find:
	new_addr = mm_find_gap(mm, new_len);
	if (!new_addr)
		return -ENOMEM;
move:
	err = mm_split_range(mm, old, old + old_len);
	if (err)
		return err;
	v = vma_find(mm, old);
	/* Linux's copy_vma: the new vma as the old, not registered; an
	 * anonymous one never written is offset by its new address. */
	struct vma like = *v;

	like.flags &= ~VMA_GROWSDOWN;
	like.uffd = NULL;
	like.uffd_modes = 0;
	if (!v->file && !v->anon && !v->anon_vma)
		like.pgoff = new_addr / PAGE_SIZE;
	err = mm_map_vma_like(mm, new_addr, new_len, &like, true);
	if (err)
		return err;
	err = move_pages(mm, old, new_addr, MIN(old_len, new_len));
	if (err)
		return err;
	if (flags & MREMAP_DONTUNMAP) {
		size_t n = mmu_unmap(mm->space, old, old + old_len);

		mm->rss_pages -= MIN(n, mm->rss_pages);
		return (long)new_addr;
	}
	err = mm_unmap_region(mm, old, old_len);
	return err ? err : (long)new_addr;
}

SYSCALL(__NR_madvise, madvise)(SYSCALL_ARGS)
{
	uintptr_t start = a0;
	size_t len = ALIGN_UP((size_t)a1, PAGE_SIZE);
	struct mm *mm = current->mm;

	int advice = (int)a2;
	unsigned set, clear;
	struct vma *v;

	/* Linux's madvise_behavior_valid, as built without KSM (12, 13). */
	switch (advice) {
	case MADV_NORMAL:
	case MADV_RANDOM:
	case MADV_SEQUENTIAL:
	case MADV_WILLNEED:
	case MADV_DONTNEED:
	case MADV_FREE:
	case MADV_DONTFORK: case MADV_DOFORK:
	case MADV_HUGEPAGE: case MADV_NOHUGEPAGE:
	case MADV_DONTDUMP: case MADV_DODUMP:
	case MADV_WIPEONFORK: case MADV_KEEPONFORK: case 20: case 21:
		break;
	default:
		return -EINVAL;
	}
	if ((start & (PAGE_SIZE - 1)) || ((size_t)a1 && !len) ||
	    start + len < start)
		return -EINVAL;
	if (!len)
		return 0;
	if (mm_range_covered(mm, start, start + len))
		return -ENOMEM;
	/* Linux's madvise_dontneed_free_valid_vma: never a locked mapping,
	 * and MADV_FREE only anonymous private memory; MADV_WIPEONFORK only
	 * private anonymous memory too; no MADV_DONTFORK nor DOFORK of the
	 * vDSO's data (VM_IO), no MADV_DODUMP of a special mapping. */
	vma_for_each_from(v, mm, start) {
		if (v->start >= start + len)
			break;
		if ((advice == MADV_DONTNEED || advice == MADV_FREE) &&
		    (v->flags & VMA_LOCKED))
			return -EINVAL;
		if ((advice == MADV_FREE || advice == MADV_WIPEONFORK) &&
		    (v->file || (v->flags & VMA_SHARED)))
			return -EINVAL;
		/* A private /dev/zero mapping is anonymous but has a file. */
		if (advice == MADV_WIPEONFORK && v->zero_file)
			return -EINVAL;
		if ((advice == MADV_DONTFORK || advice == MADV_DOFORK) &&
		    (v->flags & VMA_VVAR))
			return -EINVAL;
		if (advice == MADV_DODUMP && (v->flags & VMA_SPECIAL))
			return -EINVAL;
	}
	if (madvise_flags(advice, &set, &clear))
		return mm_change_vma_flags(mm, start, start + len, set, clear, 0);
	if (advice != MADV_DONTNEED && advice != MADV_FREE)
		return 0;	/* hints that change nothing here */
	/* Drop private pages: the next touch sees zeroes or the file. */
	vma_for_each_from(v, mm, start) {
		if (v->start >= start + len)
			break;
		if (v->flags & VMA_SHARED)
			continue;
		size_t n = mmu_unmap(mm->space, MAX(v->start, start),
				     MIN(v->end, start + len));

		mm->rss_pages -= MIN(n, mm->rss_pages);
	}
	return 0;
}

SYSCALL(__NR_brk, brk)(SYSCALL_ARGS)
{
	struct mm *mm = current->mm;
	uintptr_t want = a0, old_top, new_top;

	if (want < mm->brk_start)
		return mm->brk;
	old_top = ALIGN_UP(mm->brk, PAGE_SIZE);
	new_top = ALIGN_UP(want, PAGE_SIZE);
	if (want - mm->brk_start > rlimit(RLIMIT_DATA))
		return mm->brk;
	if (want > mm->brk && !mm_may_commit(ALIGN_UP(want, PAGE_SIZE) -
					     ALIGN_UP(mm->brk, PAGE_SIZE),
					     PROT_WRITE, 0))
		return mm->brk;
	if (new_top > old_top) {
		size_t grow = new_top - old_top;

		if (!range_valid(old_top, grow) ||
		    range_used(mm, old_top, new_top + PAGE_SIZE))
			return mm->brk;
		if ((mm->lock_future &&
		     !mm_lock_within(mm, grow / PAGE_SIZE)) ||
		    !as_within(mm, grow / PAGE_SIZE))
			return mm->brk;
		struct vma *v = old_top > mm->brk_start ?
				vma_find(mm, old_top - 1) : NULL;
		/* Linux's do_brk_flags: the vma below grows if it can, else
		 * a new one (merged with nothing). */
		struct vma like = {
			.start = old_top, .end = new_top,
			.prot = PROT_READ | PROT_WRITE,
			.flags = VMA_ACCOUNT | mm_lock_future_flags(mm),
			.pgoff = old_top / PAGE_SIZE,
		};

		if (v && vma_can_follow(v, &like))
			v->end = new_top;
		else if (mm_map_vma_like(mm, old_top, grow, &like, false))
			return mm->brk;
		if (mm->lock_future && !mm->lock_future_onfault)
			mm_populate(mm, old_top, new_top, true);
	} else if (new_top < old_top) {
		if (mm_unmap_region(mm, new_top, old_top - new_top))
			return mm->brk;
	}
	mm->brk = want;
	return mm->brk;
}
