/*
 * io_setup and io_destroy (Linux 6.1's fs/aio.c): AIO contexts, each
 * in a slot of its address space's table (the slot number is written
 * into the ring, where lookup finds it, as Linux's ioctx_table), counted
 * against fs.aio-max-nr, and ended at io_destroy or when the address
 * space goes (exit, exec). Kernel lock held throughout.
 */
#include <kernel/aio.h>
#include <kernel/mm.h>
#include <kernel/task.h>
#include <kernel/syscall.h>
#include <svc/cpus.h>
#include <platform/heap.h>
#include <platform/usercopy.h>
#include "aio.h"

/* See kernel/aio.h. */
unsigned long aio_max_nr = 0x10000;
static unsigned long aio_nr;

/* See kernel/aio.h. */
unsigned long aio_nr_get(void)
{
	return aio_nr;
}

/* See aio.h. */
struct aio_ctx *aio_ctx_lookup(uintptr_t ctx_id)
{
	struct aio_table *table = current->mm->aio;
	struct aio_ctx *ctx;
	uint32_t id;

	if (get_user(id, UPTR(ctx_id + offsetof(struct aio_ring, id))))
		return NULL;
	if (!table || id >= table->nr)
		return NULL;
	ctx = table->slot[id];
	if (!ctx || ctx->user_id != ctx_id || ctx->dead)
		return NULL;
	ctx->refs++;
	return ctx;
}

/* See aio.h. */
void aio_ctx_put(struct aio_ctx *ctx)
{
	if (--ctx->refs)
		return;
	aio_ring_free(ctx);
	kfree(ctx);
}

/*
 * A free slot of @mm's table for @ctx, growing the table four times
 * when full, as Linux's ioctx_add_table: 0 or -ENOMEM.
 */
static int table_add(struct mm *mm, struct aio_ctx *ctx)
{
	struct aio_table *old = mm->aio, *table;
	unsigned i, nr = old ? old->nr : 0;

	for (i = 0; i < nr; i++) {
		if (!old->slot[i]) {
			old->slot[i] = ctx;
			ctx->id = i;
			return 0;
		}
	}
	table = kzalloc(sizeof(*table) +
			(nr ? nr * 4 : 4) * sizeof(table->slot[0]));
	if (!table)
		return -ENOMEM;
	table->nr = nr ? nr * 4 : 4;
	for (i = 0; i < nr; i++)
		table->slot[i] = old->slot[i];
	table->slot[nr] = ctx;
	ctx->id = nr;
	kfree(old);
	mm->aio = table;
	return 0;
}

/* End @ctx: waiting polls cancelled, the count given back. */
static void ctx_kill(struct mm *mm, struct aio_ctx *ctx)
{
	struct aio_req *req, *n;

	ctx->dead = true;
	mm->aio->slot[ctx->id] = NULL;
	list_for_each_entry_safe(req, n, &ctx->active, link)
		aio_poll_cancel(req);
	wq_wake_all(&ctx->wq);
	aio_nr -= ctx->max_reqs;
}

/*
 * Linux's ioctx_alloc: the events asked for, doubled (at least four per
 * CPU first) so that the ring holds what was asked; EINVAL for an
 * absurd count, EAGAIN past fs.aio-max-nr. A live context, or an
 * ERR_PTR.
 */
static struct aio_ctx *ctx_alloc(unsigned nr_events)
{
	unsigned max_reqs = nr_events;
	struct aio_ctx *ctx;
	int err;

	nr_events = MAX(nr_events, cpu_count() * 4) * 2;
	if (nr_events > 0x10000000U / sizeof(struct io_event))
		return ERR_PTR(-EINVAL);
	if (!nr_events || max_reqs > aio_max_nr)
		return ERR_PTR(-EAGAIN);
	if (aio_nr + max_reqs > aio_max_nr || aio_nr + max_reqs < aio_nr)
		return ERR_PTR(-EAGAIN);
	ctx = kzalloc(sizeof(*ctx));
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	ctx->max_reqs = max_reqs;
	ctx->refs = 1;		/* the table's */
	list_init(&ctx->active);
	wq_init(&ctx->wq);
	err = aio_ring_setup(ctx, nr_events);
	if (err)
		goto err_free;
	err = table_add(current->mm, ctx);
	if (err)
		goto err_ring;
	aio_ring_set_id(ctx, ctx->id);
	aio_nr += max_reqs;
	return ctx;

err_ring:
	aio_ring_unmap(ctx);
	aio_ring_free(ctx);
err_free:
	kfree(ctx);
	return ERR_PTR(err);
}

/* io_setup(nr_events, ctxp): 0 with the context's id at *ctxp. */
SYSCALL(__NR_io_setup, io_setup)(SYSCALL_ARGS)
{
	unsigned nr_events = (unsigned)a0;
	uptr_t uctx = UPTR(a1);
	struct aio_ctx *ctx;
	uint64_t id;

	if (get_user(id, uctx))
		return -EFAULT;
	if (id || nr_events == 0)
		return -EINVAL;
	ctx = ctx_alloc(nr_events);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	id = ctx->user_id;
	if (put_user(id, uctx)) {
		ctx_kill(current->mm, ctx);
		aio_ring_unmap(ctx);
		aio_ctx_put(ctx);
		return -EFAULT;
	}
	return 0;
}

/* io_destroy(ctx): end the context, its ring unmapped. 0 or -EINVAL. */
SYSCALL(__NR_io_destroy, io_destroy)(SYSCALL_ARGS)
{
	struct aio_ctx *ctx = aio_ctx_lookup((uintptr_t)a0);

	if (!ctx)
		return -EINVAL;
	ctx_kill(current->mm, ctx);
	aio_ring_unmap(ctx);
	aio_ctx_put(ctx);	/* the table's */
	aio_ctx_put(ctx);	/* the lookup's */
	return 0;
}

/* See kernel/aio.h. The address space goes with the rings in it. */
void aio_mm_exit(struct mm *mm)
{
	struct aio_table *table = mm->aio;

	if (!table)
		return;
	for (unsigned i = 0; i < table->nr; i++) {
		struct aio_ctx *ctx = table->slot[i];

		if (ctx) {
			ctx_kill(mm, ctx);
			aio_ctx_put(ctx);
		}
	}
	kfree(table);
	mm->aio = NULL;
}
