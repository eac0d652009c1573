/*
 * The kernel heap. Small objects (up to 2 KiB) come from per-size-class
 * slabs: one frame each, a header at offset 0, objects after it, so a
 * small object is never page aligned. Larger requests take whole runs of
 * frames and are page aligned; kfree tells the two apart by alignment.
 * A large block's frames are taken and given outside heap_lock; a slab's
 * frame inside it, so the lock order is heap, then frame.
 */
#include <platform/heap.h>
#include <platform/frame.h>
#include <platform/panic.h>
#include <platform/cpu.h>
#include <platform/spinlock.h>
#include <aramid/string.h>
#include "x86.h"
#include "frame_internal.h"

#define MIN_SHIFT	4		/* 16 bytes */
#define MAX_SHIFT	11		/* 2048 bytes */
#define NCLASSES	(MAX_SHIFT - MIN_SHIFT + 1)
#define SLAB_MAGIC	0x51ab51ab

struct slab {
	uint32_t magic;
	uint16_t class;
	uint16_t in_use;
	struct slab *next;		/* slabs of this class with free objects */
	struct slab *prev;
	void *free;			/* free objects, linked through word 0 */
};

/* The slab lists and the count, under heap_lock (taken before frame_lock). */
static LOCK_CLASS_DEFINE(heap_lock_class, "heap");
static struct spinlock heap_lock = SPINLOCK_INIT(heap_lock_class);
static struct slab *partial[NCLASSES];
static size_t bytes_used;

static unsigned size_class(size_t size)
{
	unsigned c = 0;

	while ((1UL << (c + MIN_SHIFT)) < size)
		c++;
	return c;
}

/* heap_lock held. */
static void slab_unlink(struct slab *s)
{
	KASSERT_SPIN_HELD(&heap_lock);
	if (s->prev)
		s->prev->next = s->next;
	else
		partial[s->class] = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->next = s->prev = NULL;
}

/* heap_lock held. */
static void slab_push(struct slab *s)
{
	KASSERT_SPIN_HELD(&heap_lock);
	s->prev = NULL;
	s->next = partial[s->class];
	if (s->next)
		s->next->prev = s;
	partial[s->class] = s;
}

/* heap_lock held. */
static struct slab *slab_new(unsigned class)
{
	paddr_t pa = frame_alloc_contig(1);

	if (!pa)
		return NULL;
	struct slab *s = phys_to_virt(pa);
	size_t obj = 1UL << (class + MIN_SHIFT);
	size_t first = ALIGN_UP(sizeof(*s), obj < 64 ? obj : 64);

	s->magic = SLAB_MAGIC;
	s->class = class;
	s->in_use = 0;
	s->free = NULL;
	for (size_t off = PAGE_SIZE - obj; off >= first; off -= obj) {
		void **o = (void **)((char *)s + off);

		*o = s->free;
		s->free = o;
	}
	slab_push(s);
	return s;
}

void *kmalloc(size_t size)
{
	void *p = NULL;
	irqflags_t fl;

	if (size == 0)
		size = 1;
	if (size > (1UL << MAX_SHIFT)) {
		size_t n = DIV_ROUND_UP(size, PAGE_SIZE);
		paddr_t pa = frame_alloc_contig(n);

		if (!pa)
			return NULL;
		p = phys_to_virt(pa);
		fl = spin_lock_irqsave(&heap_lock);
		bytes_used += n * PAGE_SIZE;
		goto out;
	}
	fl = spin_lock_irqsave(&heap_lock);
	unsigned c = size_class(size);
	struct slab *s = partial[c] ? partial[c] : slab_new(c);

	if (!s)
		goto out;
	p = s->free;
	s->free = *(void **)p;
	s->in_use++;
	if (!s->free)
		slab_unlink(s);
	bytes_used += 1UL << (c + MIN_SHIFT);
out:
	if (p)
		contain_note_alloc(p);
	spin_unlock_irqrestore(&heap_lock, fl);
	return p;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void kfree(const void *ptr)
{
	if (!ptr)
		return;
	uintptr_t va = (uintptr_t)ptr;
	irqflags_t fl;

	if (IS_ALIGNED(va, PAGE_SIZE)) {
		/* First, so that a panic freeing it never frees it twice. */
		contain_note_free(ptr);
		size_t n = frame_free_contig(virt_to_phys(va));

		fl = spin_lock_irqsave(&heap_lock);
		bytes_used -= n * PAGE_SIZE;
		spin_unlock_irqrestore(&heap_lock, fl);
		return;
	}
	struct slab *s = (struct slab *)ALIGN_DOWN(va, PAGE_SIZE);

	KASSERT(s->magic == SLAB_MAGIC);
	fl = spin_lock_irqsave(&heap_lock);
	contain_note_free(ptr);
	bool was_full = s->free == NULL;
	void **o = (void **)ptr;

	*o = s->free;
	s->free = o;
	s->in_use--;
	bytes_used -= 1UL << (s->class + MIN_SHIFT);
	if (s->in_use == 0) {
		if (!was_full)
			slab_unlink(s);
		s->magic = 0;
		frame_free_contig(virt_to_phys(s));
	} else if (was_full) {
		slab_push(s);
	}
	spin_unlock_irqrestore(&heap_lock, fl);
}

size_t heap_bytes_used(void)
{
	return bytes_used;
}
