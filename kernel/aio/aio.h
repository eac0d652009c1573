/*
 * Private to kernel/aio/: an AIO context (Linux's struct kioctx), its
 * ring of completion events mapped into the process, and the requests
 * still in flight (only IOCB_CMD_POLL waits; the rest complete at
 * submission). The kernel lock covers everything here.
 */
#pragma once
#include <aramid/list.h>
#include <aramid/types.h>
#include <svc/wait.h>
#include <platform/frame.h>
#include <uapi/aio_abi.h>

struct mm;
struct file;

/* The ring's header at the start of its first page (struct aio_ring). */
struct aio_ring {
	uint32_t id;		/* the context's slot in its mm's table */
	uint32_t nr;		/* events the ring holds */
	uint32_t head;		/* next to reap: user space may move it */
	uint32_t tail;		/* next to fill: only the kernel moves it */
	uint32_t magic;
	uint32_t compat_features;
	uint32_t incompat_features;
	uint32_t header_length;
};

#define AIO_RING_MAGIC		0xa10a10a1
#define AIO_RING_COMPAT		1
#define AIO_EVENTS_PER_PAGE	(PAGE_SIZE / sizeof(struct io_event))
#define AIO_EVENTS_OFFSET	(sizeof(struct aio_ring) / sizeof(struct io_event))

struct shared_anon;

struct aio_ctx {
	uintptr_t user_id;	/* the ring's user address: aio_context_t */
	size_t mmap_size;	/* the ring's mapping, 0 once unmapped */
	unsigned id;		/* slot in the mm's table */
	unsigned max_reqs;	/* what io_setup asked for (fs.aio-nr) */
	unsigned nr_events;	/* the ring's size, the kernel's copy */
	unsigned tail;		/* the kernel's copy of ring->tail */
	unsigned inflight;	/* requests submitted, not yet completed */
	unsigned refs;		/* the table's, and each call's using it */
	bool dead;		/* io_destroy or exit has begun */
	struct shared_anon *anon;	/* the ring's pages, one reference */
	size_t npages;
	paddr_t *pages;		/* each frame of the ring, with a reference */
	struct list_head active;	/* struct aio_req.link: polls waiting */
	struct wait_queue wq;	/* io_getevents sleepers */
};

/* One request while it waits (IOCB_CMD_POLL), Linux's aio_kiocb. */
struct aio_req {
	struct aio_ctx *ctx;
	struct list_head link;	/* ctx->active */
	struct list_head woken;	/* aio_poll.c's list of polls to recheck */
	struct file *file;	/* a reference */
	struct file *eventfd;	/* IOCB_FLAG_RESFD's, a reference, or NULL */
	struct io_event ev;
	unsigned events;	/* what the poll waits for */
	struct wait_queue *wq;	/* the one queue it waits on, or NULL */
	struct waiter waiter;
	bool queued_woken;
};

/* The mm's contexts (aio_ctx.c): slots indexed by ring->id. */
struct aio_table {
	unsigned nr;
	struct aio_ctx *slot[];
};

/*
 * aio_ring.c. Make @ctx's ring for @nr_events (already doubled) events
 * and map it into current's address space: 0, -EINVAL (too large) or
 * -ENOMEM; nothing left behind on failure.
 */
int aio_ring_setup(struct aio_ctx *ctx, unsigned nr_events);
/* Write the ring's id (its table slot) into its header. */
void aio_ring_set_id(struct aio_ctx *ctx, unsigned id);
/* Unmap the ring from current's address space if still mapped. */
void aio_ring_unmap(struct aio_ctx *ctx);
/* Drop the ring's frames and object (the context is going). */
void aio_ring_free(struct aio_ctx *ctx);
/* Whether the ring's header shows events to reap (head != tail). */
bool aio_ring_ready(struct aio_ctx *ctx);
/* Events in the ring not yet reaped (the head user space moved). */
unsigned aio_ring_events(struct aio_ctx *ctx);
/*
 * Complete a request: put @ev in the ring, signal @eventfd (NULL: none)
 * and wake io_getevents sleepers, as Linux's aio_complete. Any context
 * (interrupts may be off): only frames are touched.
 */
void aio_complete(struct aio_ctx *ctx, const struct io_event *ev,
		  struct file *eventfd);
/*
 * Move up to @nr events from the ring to user @uev, as Linux's
 * aio_read_events_ring: the count, or -EFAULT. Process context.
 */
long aio_ring_read(struct aio_ctx *ctx, uptr_t uev, long nr);

/*
 * aio_ctx.c. The live context @ctx_id names in current's mm, found as
 * Linux's lookup_ioctx (through the id in its ring), with a reference
 * for the caller to give back with aio_ctx_put; or NULL.
 */
struct aio_ctx *aio_ctx_lookup(uintptr_t ctx_id);
void aio_ctx_put(struct aio_ctx *ctx);

/*
 * aio_poll.c. Submit IOCB_CMD_POLL @req for @cb (the file, eventfd and
 * event set up): 0 once it completed or waits, or -EINVAL for fields a
 * poll does not take or a file with more than one wait queue.
 */
int aio_poll_submit(struct aio_req *req, const struct iocb *cb);
/*
 * Cancel waiting poll @req (io_cancel, io_destroy): off its queue,
 * completed with no events. Process context.
 */
void aio_poll_cancel(struct aio_req *req);
/* Free a request and drop its references (it has completed). */
void aio_req_free(struct aio_req *req);
