/*
 * epoll's registrations, ready list and waiting, after Linux's
 * fs/eventpoll.c (kernel/event/epoll.h describes the objects).
 *
 * Readiness is level-triggered unless an item has EPOLLET: a reported
 * level-triggered item goes back on the ready list, to be polled again
 * by the next epoll_wait; an edge-triggered one waits for its callback;
 * an EPOLLONESHOT one is disabled (no readiness bits left) until
 * EPOLL_CTL_MOD re-arms it. Reporting always polls the file again, so an
 * item queued by a wake-up that made nothing ready reports nothing.
 *
 * Locking: one CPU, no kernel preemption. The callback runs inside
 * wq_wake_all in any context, interrupts included, and touches only the
 * ready list, so every change of a ready list, of an item's link on one
 * and of its events is made with interrupts masked; items are added and
 * removed in process context only.
 */
#include "epoll.h"
#include <kernel/event.h>
#include <kernel/signal.h>
#include <kernel/vfs_ops.h>
#include <platform/cpu.h>
#include <platform/heap.h>
#include <platform/time.h>
#include <platform/usercopy.h>

/* One callback waiter of an item on one wait queue of its file. */
struct ep_pwq {
	struct waiter waiter;		/* waiter.wake: ep_poll_callback */
	struct list_head link;		/* on epitem.pwqs */
	struct epitem *epi;
};

/* The poll table of an item being added: poll_wait queues an ep_pwq. */
struct ep_pqueue {
	struct poll_table pt;
	struct epitem *epi;
};

static const struct file_ops ep_fops;
static struct anon_inode_kind ep_kind = {
	.name = "[eventpoll]",
	.fops = &ep_fops,
};

static void ep_wake(struct eventpoll *ep)
{
	wq_wake_all(&ep->wq);
	wq_wake_all(&ep->poll_wq);	/* a nested epoll, poll or select */
}

/* A wait queue of the item's file woke: queue the item as ready. */
static void ep_poll_callback(struct waiter *w)
{
	struct epitem *epi = container_of(w, struct ep_pwq, waiter)->epi;
	struct eventpoll *ep = epi->ep;

	if (!(epi->event.events & ~EP_PRIVATE_BITS))
		return;		/* a fired EPOLLONESHOT waits for a MOD */
	if (list_empty(&epi->rdllink))
		list_add_tail(&epi->rdllink, &ep->rdllist);
	ep_wake(ep);
}

/* poll_wait() of an item being added: queue a callback on @wq. */
static void ep_queue(struct poll_table *pt, struct file *file,
		     struct wait_queue *wq)
{
	struct epitem *epi = container_of(pt, struct ep_pqueue, pt)->epi;
	struct ep_pwq *pwq = kmalloc(sizeof(*pwq));
	irqflags_t fl;

	if (!pwq) {
		epi->nomem = true;
		return;
	}
	pwq->waiter.task = NULL;
	pwq->waiter.wake = ep_poll_callback;
	pwq->epi = epi;
	list_add_tail(&pwq->link, &epi->pwqs);
	fl = irq_save();
	list_add_tail(&pwq->waiter.link, &wq->waiters);
	irq_restore(fl);
}

/* The watched events of @epi that its file reports now. */
static unsigned ep_item_poll(struct epitem *epi, struct poll_table *pt)
{
	return vop_poll(epi->file, pt) & epi->event.events;
}

/* Queue @epi as ready (if it is not yet) and wake its epoll's waiters. */
static void ep_mark_ready(struct epitem *epi)
{
	irqflags_t fl = irq_save();

	if (list_empty(&epi->rdllink))
		list_add_tail(&epi->rdllink, &epi->ep->rdllist);
	ep_wake(epi->ep);
	irq_restore(fl);
}

/* See epoll.h. */
bool is_file_epoll(const struct file *file)
{
	return file->fops == &ep_fops;
}

/* See epoll.h. */
struct epitem *ep_find(struct eventpoll *ep, const struct file *file, int fd)
{
	struct epitem *epi;

	list_for_each_entry(epi, &ep->items, ep_link)
		if (epi->file == file && epi->fd == fd)
			return epi;
	return NULL;
}

/* See include/kernel/event.h. */
struct file *epoll_target_file(struct file *epfile, int fd, unsigned long nth)
{
	struct eventpoll *ep;
	struct epitem *epi;

	if (!is_file_epoll(epfile))
		return ERR_PTR(-EINVAL);
	ep = epfile->priv;
	list_for_each_entry(epi, &ep->items, ep_link)
		if (epi->fd == fd && nth-- == 0)
			return epi->file;
	return ERR_PTR(-ENOENT);
}

/*
 * The depth of the epoll files nested in @ep, at @depth itself, or
 * -ELOOP if @target is among them or they nest too deep.
 */
static int ep_depth_below(struct eventpoll *ep, struct eventpoll *target,
			  int depth)
{
	struct epitem *epi;
	int max = depth;

	list_for_each_entry(epi, &ep->items, ep_link) {
		struct eventpoll *child;
		int d;

		if (!is_file_epoll(epi->file))
			continue;
		child = epi->file->priv;
		if (child == target || depth >= EP_MAX_NESTS)
			return -ELOOP;
		d = ep_depth_below(child, target, depth + 1);
		if (d < 0)
			return d;
		max = MAX(max, d);
	}
	return max;
}

/* How many epoll files, at most, @ep sits inside one another. */
static int ep_depth_above(const struct eventpoll *ep)
{
	const struct epitem *epi;
	int max = 0;

	list_for_each_entry(epi, &ep->file->epitems, file_link)
		max = MAX(max, 1 + ep_depth_above(epi->ep));
	return max;
}

/* See epoll.h. */
int ep_loop_check(struct eventpoll *ep, struct file *to)
{
	int below = ep_depth_below(to->priv, ep, 0);

	if (below < 0 || below + 1 + ep_depth_above(ep) > EP_MAX_NESTS)
		return -ELOOP;
	return 0;
}

/* See epoll.h. */
int ep_insert(struct eventpoll *ep, const struct epoll_event *ev,
	      struct file *file, int fd)
{
	struct epitem *epi = kzalloc(sizeof(*epi));
	struct ep_pqueue epq;
	unsigned revents;

	if (!epi)
		return -ENOMEM;
	list_init(&epi->rdllink);
	list_init(&epi->pwqs);
	epi->ep = ep;
	epi->file = file;
	epi->fd = fd;
	epi->event = *ev;
	list_add_tail(&epi->ep_link, &ep->items);
	list_add_tail(&epi->file_link, &file->epitems);
	epq.pt.queue = ep_queue;
	epq.epi = epi;
	revents = ep_item_poll(epi, &epq.pt);
	if (epi->nomem) {
		ep_remove(epi);
		return -ENOMEM;
	}
	if (revents)
		ep_mark_ready(epi);
	return 0;
}

/* See epoll.h. */
void ep_modify(struct epitem *epi, const struct epoll_event *ev)
{
	irqflags_t fl = irq_save();

	epi->event = *ev;
	irq_restore(fl);
	if (ep_item_poll(epi, NULL))
		ep_mark_ready(epi);
}

/* See epoll.h. */
void ep_remove(struct epitem *epi)
{
	struct ep_pwq *pwq, *next;
	irqflags_t fl = irq_save();

	list_for_each_entry(pwq, &epi->pwqs, link)
		list_del(&pwq->waiter.link);
	list_del(&epi->rdllink);
	irq_restore(fl);
	list_for_each_entry_safe(pwq, next, &epi->pwqs, link)
		kfree(pwq);
	list_del(&epi->file_link);
	list_del(&epi->ep_link);
	kfree(epi);
}

/* See kernel/event.h. */
void eventpoll_release(struct file *file)
{
	while (!list_empty(&file->epitems))
		ep_remove(list_first_entry(&file->epitems, struct epitem,
					   file_link));
}

/*
 * Report the ready items to @uevents, as Linux's ep_send_events: each is
 * polled again; the ones left unreported for want of room go back to the
 * front of the ready list, reported level-triggered ones to its back.
 * Returns the count, or -EFAULT if the first write faulted.
 */
static int ep_send_events(struct eventpoll *ep, uptr_t uevents, int maxevents)
{
	LIST_HEAD(txlist);
	irqflags_t fl = irq_save();
	int res = 0;

	list_splice_init(&ep->rdllist, &txlist);
	while (res < maxevents && !list_empty(&txlist)) {
		struct epitem *epi = list_first_entry(&txlist, struct epitem,
						      rdllink);
		struct epoll_event ev;
		int err;

		list_del(&epi->rdllink);
		ev.events = ep_item_poll(epi, NULL);
		if (!ev.events)
			continue;
		ev.data = epi->event.data;
		irq_restore(fl);
		err = copy_to_user(uptr_add(uevents, (size_t)res * sizeof(ev)),
				   &ev, sizeof(ev));
		fl = irq_save();
		if (err) {
			if (list_empty(&epi->rdllink))
				list_add(&epi->rdllink, &txlist);
			if (!res)
				res = -EFAULT;
			break;
		}
		res++;
		if (epi->event.events & EPOLLONESHOT)
			epi->event.events &= EP_PRIVATE_BITS;
		else if (!(epi->event.events & EPOLLET) &&
			 list_empty(&epi->rdllink))
			list_add_tail(&epi->rdllink, &ep->rdllist);
	}
	list_splice_init(&txlist, &ep->rdllist);
	irq_restore(fl);
	return res;
}

/* See epoll.h. */
long ep_poll(struct eventpoll *ep, uptr_t uevents, int maxevents,
	     const struct timespec64 *end)
{
	bool nowait = poll_timeout_is_zero(end);
	uint64_t deadline = poll_deadline(end);

	for (;;) {
		irqflags_t fl;
		long res;

		if (!list_empty(&ep->rdllist)) {
			res = ep_send_events(ep, uevents, maxevents);
			if (res)
				return res;
		}
		if (nowait)
			return 0;
		fl = irq_save();
		while (list_empty(&ep->rdllist)) {
			if (signal_pending() ||
			    (deadline && clock_monotonic_ns() >= deadline)) {
				irq_restore(fl);
				return signal_pending() ? -EINTR : 0;
			}
			wq_sleep(&ep->wq, deadline);
		}
		irq_restore(fl);
	}
}

/*
 * An epoll file is readable while one of its ready items really is
 * (Linux's ep_eventpoll_poll); items found not ready leave the list.
 */
static unsigned ep_file_poll(struct file *file, struct poll_table *pt)
{
	struct eventpoll *ep = file->priv;
	struct epitem *epi, *next;
	unsigned mask = 0;
	irqflags_t fl;

	poll_wait(file, &ep->poll_wq, pt);
	fl = irq_save();
	list_for_each_entry_safe(epi, next, &ep->rdllist, rdllink) {
		if (ep_item_poll(epi, NULL)) {
			mask = POLLIN | POLLRDNORM;
			break;
		}
		list_del(&epi->rdllink);
	}
	irq_restore(fl);
	return mask;
}

/* The last reference went: remove every item, free the eventpoll. */
static void ep_file_release(struct file *file)
{
	struct eventpoll *ep = file->priv;

	while (!list_empty(&ep->items))
		ep_remove(list_first_entry(&ep->items, struct epitem, ep_link));
	wq_release(&ep->poll_wq);
	kfree(ep);
}

static const struct file_ops ep_fops = {
	.release = ep_file_release,
	.poll = ep_file_poll,
};

/* See epoll.h. */
struct file *epoll_file_new(unsigned flags)
{
	struct eventpoll *ep = kzalloc(sizeof(*ep));
	struct file *file;

	if (!ep)
		return NULL;
	list_init(&ep->items);
	list_init(&ep->rdllist);
	wq_init(&ep->wq);
	wq_init(&ep->poll_wq);
	file = anon_inode_file(&ep_kind, ep, flags);
	if (!file) {
		kfree(ep);
		return NULL;
	}
	ep->file = file;
	return file;
}
