/*
 * Where execve lays out a new address space, as Linux does on x86-64: the
 * stack's top just below TASK_SIZE, the mmap base 128 MiB (or the stack
 * limit and guard gap, if larger) below that, and — unless randomisation
 * is off (norandmaps, or ADDR_NO_RANDOMIZE in the personality) — each
 * moved down by a random number of pages: up to 2^22 for the stack and
 * 2^28 for the mmap base, whose room below the stack grows by the stack's
 * 16 GiB so the two never meet. binfmt_elf.c adds the same 2^28 pages to
 * an ET_DYN program's base and, at level 2 (the default), 1 GiB to the
 * first brk; level 0 (norandmaps, kernel.randomize_va_space) is none.
 */
#include <kernel/mm.h>
#include <kernel/task.h>
#include <svc/random.h>

#define STACK_RND_BITS	22	/* Linux's STACK_RND_MASK, in pages */
#define MMAP_RND_BITS	28	/* Linux's mmap_rnd_bits default */
#define STACK_GUARD_GAP	(256 * PAGE_SIZE)
#define MMAP_GAP_MIN	(128UL << 20)
#define ADDR_NO_RANDOMIZE 0x0040000

static int randomize_va_space = 2;

/* See mm.h. */
void mm_set_randomize(int level)
{
	randomize_va_space = level;
}

/* See mm.h. */
int mm_randomize_level(void)
{
	return randomize_va_space;
}

/* See mm.h. */
bool exec_randomize(unsigned personality)
{
	return randomize_va_space && !(personality & ADDR_NO_RANDOMIZE);
}

/* See mm.h. */
uintptr_t mm_random_offset(struct mm *mm, unsigned bits)
{
	uint64_t r;

	if (!mm->randomized)
		return 0;
	random_bytes(&r, sizeof(r));
	return (r & ((1UL << bits) - 1)) * PAGE_SIZE;
}

/* See mm.h. */
void mm_layout_init(struct mm *mm, bool randomize)
{
	uint64_t limit = rlimit(RLIMIT_STACK);
	uintptr_t gap = STACK_GUARD_GAP;

	mm->randomized = randomize;
	if (randomize)
		gap += (1UL << STACK_RND_BITS) * PAGE_SIZE;
	/* An "unlimited" stack limit must not wrap the sum. */
	gap = limit > TASK_SIZE / 6 * 5 - gap ? TASK_SIZE / 6 * 5 : gap + limit;
	gap = MAX(gap, MMAP_GAP_MIN);
	mm->stack_top = TASK_SIZE - mm_random_offset(mm, STACK_RND_BITS);
	mm->mmap_base = ALIGN_DOWN(TASK_SIZE - gap, PAGE_SIZE) -
			mm_random_offset(mm, MMAP_RND_BITS);
}
