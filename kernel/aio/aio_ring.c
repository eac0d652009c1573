/*
 * An AIO context's ring of completion events (Linux's fs/aio.c ring
 * code): a header and an array of struct io_event in pages the kernel
 * holds and the process maps shared, read and write, at the address
 * io_setup returns as the context's id. libaio reaps events from the
 * mapping itself, moving the head; the kernel alone moves the tail, and
 * keeps its own copy of it and of the size, as Linux does, so what user
 * space writes into the header cannot make it write outside the ring.
 * The kernel reaches the ring through its frames, so completion needs no
 * address space. Kernel lock held throughout.
 */
#include <kernel/mm.h>
#include <kernel/task.h>
#include <kernel/event.h>
#include <platform/heap.h>
#include <uapi/errno.h>
#include "aio.h"

#define RING_HEAD_OFF	offsetof(struct aio_ring, head)
#define RING_TAIL_OFF	offsetof(struct aio_ring, tail)

static uint32_t ring_word(struct aio_ctx *ctx, size_t off)
{
	uint32_t v;

	frame_read(ctx->pages[0], off, &v, sizeof(v));
	return v;
}

static void ring_set_word(struct aio_ctx *ctx, size_t off, uint32_t v)
{
	frame_write(ctx->pages[0], off, &v, sizeof(v));
}

/* Give back the first @n frames and the object. */
static void ring_drop(struct aio_ctx *ctx, size_t n)
{
	while (n)
		frame_put(ctx->pages[--n]);
	shared_anon_put(ctx->anon);
	kfree(ctx->pages);
	ctx->anon = NULL;
	ctx->pages = NULL;
}

/* See aio.h. As Linux's aio_setup_ring. */
int aio_ring_setup(struct aio_ctx *ctx, unsigned nr_events)
{
	struct mm *mm = current->mm;
	struct aio_ring hdr = { 0 };
	size_t size, i;
	uintptr_t addr;
	int err;

	/* Room for the header and the one slot head and tail overlap in. */
	size = sizeof(struct aio_ring) +
	       sizeof(struct io_event) * ((size_t)nr_events + 2);
	ctx->npages = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;
	ctx->nr_events = (unsigned)((ctx->npages * PAGE_SIZE -
				     sizeof(struct aio_ring)) /
				    sizeof(struct io_event));
	ctx->anon = shared_anon_new(ctx->npages);
	ctx->pages = kzalloc(ctx->npages * sizeof(paddr_t));
	if (!ctx->anon || !ctx->pages) {
		if (ctx->anon)
			shared_anon_put(ctx->anon);
		kfree(ctx->pages);
		return -ENOMEM;
	}
	for (i = 0; i < ctx->npages; i++) {
		err = shared_anon_page(ctx->anon, i, &ctx->pages[i]);
		if (err)
			goto err_drop;
	}
	err = -ENOMEM;
	ctx->mmap_size = ctx->npages * PAGE_SIZE;
	addr = mm_find_gap(mm, ctx->mmap_size);
	if (!addr || mm_map_shared_anon(mm, addr, ctx->mmap_size,
					PROT_READ | PROT_WRITE, VMA_AIO, ctx->anon))
		goto err_drop;
	ctx->user_id = addr;
	hdr.nr = ctx->nr_events;
	hdr.id = ~0U;
	hdr.magic = AIO_RING_MAGIC;
	hdr.compat_features = AIO_RING_COMPAT;
	hdr.header_length = sizeof(hdr);
	frame_write(ctx->pages[0], 0, &hdr, sizeof(hdr));
	return 0;

err_drop:
	ctx->mmap_size = 0;
	ring_drop(ctx, i);
	return err;
}

/* See aio.h. */
void aio_ring_set_id(struct aio_ctx *ctx, unsigned id)
{
	ring_set_word(ctx, offsetof(struct aio_ring, id), id);
}

/* See aio.h. As Linux's kill_ioctx, whatever the process mapped there. */
void aio_ring_unmap(struct aio_ctx *ctx)
{
	if (ctx->mmap_size && current->mm)
		mm_unmap_region(current->mm, ctx->user_id, ctx->mmap_size);
	ctx->mmap_size = 0;
}

/* See aio.h. */
void aio_ring_free(struct aio_ctx *ctx)
{
	ring_drop(ctx, ctx->npages);
}

/* See aio.h. Interrupts may be off: frames only. */
bool aio_ring_ready(struct aio_ctx *ctx)
{
	return ring_word(ctx, RING_HEAD_OFF) != ring_word(ctx, RING_TAIL_OFF);
}

/* See aio.h. As the count Linux's refill_reqs_available makes. */
unsigned aio_ring_events(struct aio_ctx *ctx)
{
	unsigned head = ring_word(ctx, RING_HEAD_OFF) % ctx->nr_events;

	return head <= ctx->tail ? ctx->tail - head
				 : ctx->nr_events - (head - ctx->tail);
}

/* The frame and offset of event slot @slot. */
static paddr_t slot_frame(struct aio_ctx *ctx, unsigned slot, size_t *off)
{
	size_t pos = slot + AIO_EVENTS_OFFSET;

	*off = (pos % AIO_EVENTS_PER_PAGE) * sizeof(struct io_event);
	return ctx->pages[pos / AIO_EVENTS_PER_PAGE];
}

/* See aio.h. */
void aio_complete(struct aio_ctx *ctx, const struct io_event *ev,
		  struct file *eventfd)
{
	size_t off;
	paddr_t pa = slot_frame(ctx, ctx->tail, &off);

	frame_write(pa, off, ev, sizeof(*ev));
	if (++ctx->tail >= ctx->nr_events)
		ctx->tail = 0;
	ring_set_word(ctx, RING_TAIL_OFF, ctx->tail);
	ctx->inflight--;
	if (eventfd)
		eventfd_signal(eventfd, 1);
	wq_wake_all(&ctx->wq);
}

/* See aio.h. */
long aio_ring_read(struct aio_ctx *ctx, uptr_t uev, long nr)
{
	unsigned head = ring_word(ctx, RING_HEAD_OFF);
	unsigned tail = ring_word(ctx, RING_TAIL_OFF);
	long ret = 0;

	if (head == tail)
		return 0;
	head %= ctx->nr_events;
	tail %= ctx->nr_events;
	while (ret < nr && head != tail) {
		long avail = (head <= tail ? tail : ctx->nr_events) - head;
		size_t off;
		paddr_t pa = slot_frame(ctx, head, &off);

		avail = MIN(avail, nr - ret);
		avail = MIN(avail, (long)((PAGE_SIZE - off) /
					  sizeof(struct io_event)));
		if (frame_copy_user(pa, off,
				    uptr_add(uev, ret * sizeof(struct io_event)),
				    avail * sizeof(struct io_event), true))
			return -EFAULT;
		ret += avail;
		head = (unsigned)((head + avail) % ctx->nr_events);
	}
	ring_set_word(ctx, RING_HEAD_OFF, head);
	return ret;
}
