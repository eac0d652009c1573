/*
 * Reading another task's memory (mm_read_remote, include/svc/introspect.h)
 * for /proc/<pid>/cmdline and environ: through the address space's page
 * tables and copies of its frames, never through the reader's user-copy
 * path.
 */
#include <svc/introspect.h>
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
