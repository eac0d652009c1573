/*
 * The physical frame allocator: a bitmap of used frames with a next-fit
 * cursor, a reference count per frame, and the copy operations through
 * which the rest of the kernel reaches frame contents (and, outside
 * fortress, frame_map(), the direct pointer for hot paths). The bitmap,
 * the counts and the cursor are under frame_lock, a spinlock (any
 * context); frame_init runs before any other CPU or interrupt.
 */
#include <platform/frame.h>
#include <platform/panic.h>
#include <platform/cpu.h>
#include <platform/spinlock.h>
#include <platform/usercopy.h>
#include <aramid/string.h>
#include "x86.h"
#include "frame_internal.h"
#include "cpu_local.h"
#include <platform/upcall.h>

static uint64_t *used_bitmap;	/* bit set: frame not free */
static uint32_t *refcounts;
static uint32_t *run_length;	/* frames in an allocated run, | RUN_HEAP */

/* The run belongs to the kernel heap: frame_get/frame_put must not touch it. */
#define RUN_HEAP	0x80000000u
static size_t nframes;
static LOCK_CLASS_DEFINE(frame_lock_class, "frame");
static struct spinlock frame_lock = SPINLOCK_INIT(frame_lock_class);
static size_t nfree, ntotal;
static size_t cursor;		/* next-fit search start, in words */
static size_t run_cursor;	/* the same for runs of frames */
/* The first MiB is never handed out (firmware, the real-mode area). */
#define LOW_FRAMES	0x100

static paddr_t early_next;	/* bump allocator before frame_init() */

/*
 * Boot-time pages for tables and allocator arrays; never freed. They lie
 * in the first GiB, which the boot page tables map at KERNEL_VMA.
 */
paddr_t early_alloc(size_t bytes)
{
	paddr_t pa = early_next;

	early_next += ALIGN_UP(bytes, PAGE_SIZE);
	/* The direct map may not exist yet: use the kernel image's mapping. */
	memset((void *)(pa + KERNEL_VMA), 0, ALIGN_UP(bytes, PAGE_SIZE));
	return pa;
}

void early_alloc_init(paddr_t start)
{
	early_next = ALIGN_UP(start, PAGE_SIZE);
}

static inline bool bit_test(size_t pfn)
{
	return used_bitmap[pfn / 64] & (1UL << (pfn % 64));
}

static inline void bit_set(size_t pfn)
{
	used_bitmap[pfn / 64] |= 1UL << (pfn % 64);
}

static inline void bit_clear(size_t pfn)
{
	used_bitmap[pfn / 64] &= ~(1UL << (pfn % 64));
}

void frame_release_range(paddr_t start, paddr_t end)
{
	irqflags_t fl = spin_lock_irqsave(&frame_lock);

	for (size_t pfn = ALIGN_UP(start, PAGE_SIZE) / PAGE_SIZE;
	     pfn < end / PAGE_SIZE && pfn < nframes; pfn++) {
		if (bit_test(pfn)) {
			bit_clear(pfn);
			refcounts[pfn] = 0;
			nfree++;
		}
	}
	spin_unlock_irqrestore(&frame_lock, fl);
}

/*
 * Take over the RAM ranges @ram[0 .. @nram): every page from 1 MiB up is
 * usable except the kernel, the early allocations and the initrd
 * (released later); what lies between the ranges stays used.
 */
void frame_init(const struct ram_range *ram, unsigned nram,
		paddr_t initrd_start, size_t initrd_size)
{
	paddr_t top = 0;

	for (unsigned i = 0; i < nram; i++)
		top = ram[i].end > top ? ram[i].end : top;
	nframes = top / PAGE_SIZE;
	size_t words = DIV_ROUND_UP(nframes, 64);

	used_bitmap = phys_to_virt(early_alloc(words * 8));
	refcounts = phys_to_virt(early_alloc(nframes * sizeof(uint32_t)));
	run_length = phys_to_virt(early_alloc(nframes * sizeof(uint32_t)));
	memset(used_bitmap, 0xff, words * 8);

	paddr_t initrd_end = initrd_start + initrd_size;

	for (unsigned i = 0; i < nram; i++) {
		size_t first = DIV_ROUND_UP(ram[i].start, PAGE_SIZE);

		for (size_t pfn = first < LOW_FRAMES ? LOW_FRAMES : first;
		     pfn < ram[i].end / PAGE_SIZE; pfn++) {
			paddr_t pa = pfn * PAGE_SIZE;

			if (pa < early_next || !bit_test(pfn))
				continue;
			if (initrd_size && pa + PAGE_SIZE > initrd_start &&
			    pa < initrd_end)
				continue;
			bit_clear(pfn);
			nfree++;
		}
	}
	ntotal = nfree + DIV_ROUND_UP(initrd_size, PAGE_SIZE);
}

static size_t pfn_of(paddr_t pa)
{
	size_t pfn = pa / PAGE_SIZE;

	KASSERT(pfn < nframes && pa);
	return pfn;
}

bool frame_range_is_ram(paddr_t pa, size_t len)
{
	return pa && len && pa + len > pa && (pa + len - 1) / PAGE_SIZE < nframes;
}

/* A frame handed out by frame_alloc(): not part of the heap. */
static __always_inline size_t page_pfn(paddr_t pa)
{
	size_t pfn = pfn_of(pa);

	if (run_length[pfn] & RUN_HEAP)
		panic("frame: %p belongs to the kernel heap", (void *)pa);
	return pfn;
}

/*
 * Find and mark @n contiguous free frames; 0 if none. frame_lock held. One
 * frame: the next free one from the cursor. More: the first run from
 * where the last run found ended (wrapping round to LOW_FRAMES), each
 * bitmap word walked by its stretches of equal bits, so the cost follows
 * the number of used/free boundaries passed, not of frames. From
 * LOW_FRAMES every time, a run cost the heap about 1,400 instructions
 * past the boundaries that its small objects leave low in memory. The
 * bits past nframes stay set (frame_init), so no run reaches beyond RAM.
 */
static __always_inline paddr_t find_run(size_t n)
{
	size_t words = DIV_ROUND_UP(nframes, 64), run = 0, first = 0;

	KASSERT_SPIN_HELD(&frame_lock);
	if (n == 1) {
		for (size_t i = 0; i < words; i++) {
			size_t w = (cursor + i) % words;

			if (~used_bitmap[w]) {
				size_t pfn = w * 64 + __builtin_ctzl(~used_bitmap[w]);

				if (pfn >= nframes)
					continue;
				cursor = w;
				bit_set(pfn);
				return pfn * PAGE_SIZE;
			}
		}
		return 0;
	}
	if (run_cursor < LOW_FRAMES / 64 || run_cursor >= words)
		run_cursor = LOW_FRAMES / 64;
	/* Once round, and on over the words of a run that began before. */
	for (size_t i = 0, w = run_cursor; i < words + DIV_ROUND_UP(n, 64);
	     i++, w++) {
		uint64_t used;
		unsigned bit = 0;

		if (w == words) {
			w = LOW_FRAMES / 64;
			run = 0;	/* no run wraps */
		}
		used = used_bitmap[w];
		if (used == ~0UL) {
			run = 0;	/* a word of used frames at once */
			continue;
		}
		while (bit < 64) {
			uint64_t rest = used >> bit;
			unsigned len;

			/* Used frames from bit on: ~rest has a bit set, as the
			 * word is not full and rest's top bits are clear. */
			if (rest & 1) {
				len = (unsigned)__builtin_ctzl(~rest);
				run = 0;
			} else {
				len = rest ? (unsigned)__builtin_ctzl(rest)
					   : 64 - bit;
				if (!run)
					first = w * 64 + bit;
				run += len;
				if (run >= n)
					goto found;
			}
			bit += len;
		}
	}
	return 0;
found:
	for (size_t p = first; p < first + n; p++)
		bit_set(p);
	run_cursor = (first + n) / 64;
	return first * PAGE_SIZE;
}

static __always_inline paddr_t try_alloc_run(size_t n, uint32_t tag)
{
	irqflags_t fl = spin_lock_irqsave(&frame_lock);
	paddr_t pa = nfree >= n ? find_run(n) : 0;

	if (pa) {
		nfree -= n;
		for (size_t i = 0; i < n; i++) {
			refcounts[pa / PAGE_SIZE + i] = 1;
			run_length[pa / PAGE_SIZE + i] = (i ? 0 : n) | tag;
		}
	}
	spin_unlock_irqrestore(&frame_lock, fl);
	return pa;
}

/*
 * True if the kernel may free frames for this allocation (the upcall
 * kernel_frames_short): not for the heap, whose lists may be half-changed,
 * and only with interrupts on under the kernel lock, so that no
 * interrupt handler or interrupted section runs the kernel's reclaim.
 */
static bool may_reclaim(uint32_t tag)
{
	return !(tag & RUN_HEAP) && (read_rflags() & RFLAGS_IF) &&
	       (!klock_on || this_cpu()->klock_held);
}

/* @n frames tagged @tag; once out of them, again after the kernel frees some. */
static __always_inline paddr_t alloc_run(size_t n, uint32_t tag)
{
	paddr_t pa = try_alloc_run(n, tag);

	if (!pa && may_reclaim(tag) && kernel_frames_short(n))
		pa = try_alloc_run(n, tag);
	return pa;
}

/* @n contiguous frames, each with refcount 1, for the heap. */
paddr_t frame_alloc_contig(size_t n)
{
	return alloc_run(n, RUN_HEAP);
}

/*
 * The checks below panic only once frame_lock is given back: a panic
 * that ends just a contained service call must not leave it held.
 */
size_t frame_free_contig(paddr_t pa)
{
	size_t first = pfn_of(pa);
	irqflags_t fl = spin_lock_irqsave(&frame_lock);
	size_t n = run_length[first] & ~RUN_HEAP;
	bool whole = true;

	for (size_t i = 0; i < n; i++)
		whole &= bit_test(first + i);
	if (whole) {
		for (size_t i = 0; i < n; i++) {
			refcounts[first + i] = 0;
			run_length[first + i] = 0;
			bit_clear(first + i);
		}
		nfree += n;
	}
	spin_unlock_irqrestore(&frame_lock, fl);
	KASSERT(whole);
	return n;
}

paddr_t frame_alloc_dirty(void)
{
	return alloc_run(1, 0);
}

paddr_t frame_alloc(void)
{
	paddr_t pa = alloc_run(1, 0);

	if (pa)
		memset(phys_to_virt(pa), 0, PAGE_SIZE);
	return pa;
}

void frame_get(paddr_t pa)
{
	size_t pfn = page_pfn(pa);
	irqflags_t fl = spin_lock_irqsave(&frame_lock);
	uint32_t refs = refcounts[pfn];

	if (refs)
		refcounts[pfn] = refs + 1;
	spin_unlock_irqrestore(&frame_lock, fl);
	KASSERT(refs > 0);
}

void frame_put(paddr_t pa)
{
	size_t pfn = page_pfn(pa);
	irqflags_t fl = spin_lock_irqsave(&frame_lock);
	uint32_t refs = refcounts[pfn];

	if (refs) {
		refcounts[pfn] = refs - 1;
		if (refs == 1) {
			bit_clear(pfn);
			nfree++;
		}
	}
	spin_unlock_irqrestore(&frame_lock, fl);
	KASSERT(refs > 0);
}

unsigned frame_refcount(paddr_t pa)
{
	return refcounts[pfn_of(pa)];
}

void frame_zero(paddr_t pa)
{
	memset(phys_to_virt(pa), 0, PAGE_SIZE);
}

void frame_copy(paddr_t dst, paddr_t src)
{
	memcpy(phys_to_virt(dst), phys_to_virt(src), PAGE_SIZE);
}

void frame_read(paddr_t pa, size_t off, void *buf, size_t len)
{
	KASSERT(off + len <= PAGE_SIZE);
	memcpy(buf, (char *)phys_to_virt(pa) + off, len);
}

void frame_write(paddr_t pa, size_t off, const void *buf, size_t len)
{
	KASSERT(off + len <= PAGE_SIZE);
	memcpy((char *)phys_to_virt(pa) + off, buf, len);
}

int frame_copy_user(paddr_t pa, size_t off, uptr_t u, size_t len,
		    bool to_user)
{
	char *k = (char *)phys_to_virt(pa) + off;

	KASSERT(off + len <= PAGE_SIZE);
	return to_user ? copy_to_user(u, k, len) : copy_from_user(k, u, len);
}

#if !CONFIG_FRAME_COPY_ONLY
void *frame_map(paddr_t pa)
{
	return phys_to_virt(pa);
}
#endif

void frame_stats(struct frame_stats *st)
{
	st->total = ntotal;
	st->free = nfree;
}
