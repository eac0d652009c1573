/*
 * IOCB_CMD_POLL (Linux 6.1's aio_poll): a one-shot poll of a file for
 * the events in aio_buf (and always POLLERR and POLLHUP). Ready at
 * submission, it completes there; else it waits on the file's one wait
 * queue with a callback. The callback runs with interrupts off, in any
 * context, so it only queues the request for the "aio" kernel thread,
 * which asks the file again in process context and completes the
 * request through the ring when the events are there (Linux does the
 * same from a work item). io_cancel and io_destroy complete a waiting
 * poll with no events. Kernel lock held, but for the
 * callback.
 */
#include <kernel/poll.h>
#include <kernel/task.h>
#include <kernel/vfs.h>
#include <kernel/vfs_ops.h>
#include <platform/cpu.h>
#include <uapi/errno.h>
#include "aio.h"

static struct task *aiod;
static struct wait_queue aiod_wq = WAIT_QUEUE_INIT(aiod_wq);
/* Polls whose queue was woken, to ask again (interrupts off to touch). */
static LIST_HEAD(woken);

/* A waiter's wake-up: queue its request for aiod. Interrupts off. */
static void poll_wake(struct waiter *w)
{
	struct aio_req *req = container_of(w, struct aio_req, waiter);

	if (!req->queued_woken) {
		req->queued_woken = true;
		list_add_tail(&req->woken, &woken);
		wq_wake_all(&aiod_wq);
	}
}

/* Take @req off its wait queue and aiod's list. */
static void poll_unqueue(struct aio_req *req)
{
	irqflags_t fl = irq_save();

	if (req->wq)
		list_del(&req->waiter.link);
	if (req->queued_woken)
		list_del(&req->woken);
	req->queued_woken = false;
	irq_restore(fl);
}

/* Complete waiting @req with @mask and free it. */
static void poll_finish(struct aio_req *req, unsigned mask)
{
	poll_unqueue(req);
	list_del(&req->link);
	req->ev.res = mask;
	aio_complete(req->ctx, &req->ev, req->eventfd);
	aio_req_free(req);
}

/*
 * aiod: ask each woken poll's file again; complete those ready with all
 * the file reports, as Linux completes a woken poll with the waker's
 * whole mask (a pipe's writer wakes its readers with POLLIN |
 * POLLRDNORM), not only the events asked for.
 */
static void aiod_main(void *arg)
{
	for (;;) {
		irqflags_t fl = irq_save();
		struct aio_req *req;
		unsigned mask;

		while (list_empty(&woken))
			wq_sleep(&aiod_wq, 0);
		req = list_first_entry(&woken, struct aio_req, woken);
		list_del(&req->woken);
		req->queued_woken = false;
		irq_restore(fl);
		mask = vop_poll(req->file, NULL);
		if (mask & req->events)
			poll_finish(req, mask);
	}
}

/* What aio_poll's poll_wait sees: one queue at most (Linux's apt). */
struct aio_poll_table {
	struct poll_table pt;
	struct aio_req *req;
	int error;	/* -EINVAL until queued once; again if twice */
};

static void poll_queue(struct poll_table *pt, struct file *file,
		       struct wait_queue *wq)
{
	struct aio_poll_table *apt = container_of(pt, struct aio_poll_table, pt);
	struct aio_req *req = apt->req;
	irqflags_t fl;

	if (req->wq) {
		apt->error = -EINVAL;
		return;
	}
	apt->error = 0;
	req->wq = wq;
	req->waiter.task = NULL;
	req->waiter.wake = poll_wake;
	fl = irq_save();
	list_add_tail(&req->waiter.link, &wq->waiters);
	irq_restore(fl);
}

/* See aio.h. */
int aio_poll_submit(struct aio_req *req, const struct iocb *cb)
{
	struct aio_poll_table apt = {
		.pt = { .queue = poll_queue }, .req = req, .error = -EINVAL,
	};
	unsigned mask;

	if ((uint16_t)cb->aio_buf != cb->aio_buf)
		return -EINVAL;
	if (cb->aio_offset || cb->aio_nbytes || cb->aio_rw_flags)
		return -EINVAL;
	if (!aiod) {
		aiod = kthread_start("aio", aiod_main, NULL);
		if (!aiod)
			return -ENOMEM;
	}
	list_init(&req->link);
	req->events = (unsigned)cb->aio_buf | POLLERR | POLLHUP;
	mask = vop_poll(req->file, &apt.pt) & req->events;
	if (req->wq && (mask || apt.error)) {
		poll_unqueue(req);
		req->wq = NULL;
	}
	if (mask) {
		req->ev.res = mask;
		aio_complete(req->ctx, &req->ev, req->eventfd);
		aio_req_free(req);
		return 0;
	}
	if (apt.error)
		return apt.error;
	list_add_tail(&req->link, &req->ctx->active);
	return 0;
}

/* See aio.h. As Linux, a cancelled poll reports no events. */
void aio_poll_cancel(struct aio_req *req)
{
	poll_finish(req, 0);
}
