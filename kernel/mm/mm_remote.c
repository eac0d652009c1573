/*
 * Reading another task's memory (mm_read_remote, include/svc/introspect.h)
 * for /proc/<pid>/cmdline and environ, and reading or writing it as
 * ptrace may (mm_access_remote) for /proc/<pid>/mem, or as the areas allow
 * (mm_copy_remote) for process_vm_readv/writev: through the address
 * space's page tables and its frames, never through the caller's
 * user-copy path.
 */
#include <svc/introspect.h>
#include "mm_internal.h"
#include <aramid/compiler.h>
#include <platform/frame.h>
#include <platform/mmu.h>

size_t mm_read_remote(struct mm *mm, uintptr_t va, void *buf, size_t len)
{
	char *out = buf;
	size_t done = 0;

	while (done < len) {
		uintptr_t addr = va + done;
		uintptr_t page = ALIGN_DOWN(addr, PAGE_SIZE);
		size_t off = addr - page, n = MIN(len - done, PAGE_SIZE - off);
		unsigned prot;
		paddr_t pa;

		if (addr < va || page >= USER_TOP ||
		    !mmu_lookup(mm->space, page, &pa, &prot))
			break;
		frame_read(pa, off, out + done, n);
		done += n;
	}
	return done;
}

/*
 * Move up to @len bytes between @buf and @va of @mm, faulting pages in:
 * with @force as ptrace may (FOLL_FORCE), else only as the areas'
 * protections allow. The bytes moved.
 */
static size_t remote_copy(struct mm *mm, uintptr_t va, void *buf, size_t len,
			  bool write, bool force)
{
	char *p = buf;
	size_t done = 0;

	while (done < len) {
		uintptr_t addr = va + done;
		uintptr_t page = ALIGN_DOWN(addr, PAGE_SIZE);
		size_t off = addr - page, n = MIN(len - done, PAGE_SIZE - off);
		struct vma *v;
		paddr_t pa;

		if (addr < va || page >= USER_TOP)
			break;
		v = vma_find(mm, addr);
		if (!force &&
		    (!v || !(v->prot & (write ? PROT_WRITE : PROT_READ))))
			break;
		if (mm_fault_force(mm, addr, write, &pa))
			break;
		if (write)
			frame_write(pa, off, p + done, n);
		else
			frame_read(pa, off, p + done, n);
		done += n;
	}
	return done;
}

size_t mm_access_remote(struct mm *mm, uintptr_t va, void *buf, size_t len,
			bool write)
{
	return remote_copy(mm, va, buf, len, write, true);
}

size_t mm_copy_remote(struct mm *mm, uintptr_t va, void *buf, size_t len,
		      bool write)
{
	return remote_copy(mm, va, buf, len, write, false);
}
