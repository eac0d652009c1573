/*
 * epoll's objects, shared by kernel/event/epoll.c (registrations, the
 * ready list, waiting) and kernel/event/sys_epoll.c (the system calls).
 *
 * An eventpoll holds one epitem per watched (file, descriptor) pair, as
 * Linux keys them. An epitem queues a callback waiter on every wait queue
 * its file's poll op names; the callback puts the item on the ready list
 * and wakes the epoll's waiters. Items do not hold their file: the file's
 * last fput removes them (eventpoll_release).
 */
#pragma once
#include <kernel/vfs.h>
#include <kernel/poll.h>
#include <uapi/eventpoll.h>

/* Flags of an item's events that are not readiness bits. */
#define EP_PRIVATE_BITS	(EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE)
/* What EPOLLEXCLUSIVE may be combined with. */
#define EPOLLEXCLUSIVE_OK_BITS	(EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | \
				 EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE)
/* How deep epoll files may nest in each other, as on Linux. */
#define EP_MAX_NESTS	4
/* Linux's EP_MAX_EVENTS: INT_MAX / sizeof(struct epoll_event). */
#define EP_MAX_EVENTS	(0x7fffffff / (int)sizeof(struct epoll_event))

struct eventpoll {
	struct list_head items;		/* every epitem, by ep_link */
	struct list_head rdllist;	/* ready epitems, by rdllink */
	struct wait_queue wq;		/* tasks in epoll_wait */
	struct wait_queue poll_wq;	/* pollers of this epoll's own file */
	struct file *file;		/* its file (no reference) */
};

struct epitem {
	struct list_head ep_link;	/* on ep->items */
	struct list_head rdllink;	/* on a ready list; empty if not */
	struct list_head file_link;	/* on file->epitems */
	struct list_head pwqs;		/* struct ep_pwq.link */
	struct eventpoll *ep;
	struct file *file;		/* no reference */
	int fd;
	bool nomem;			/* a waiter could not be queued */
	struct epoll_event event;	/* what is watched, and the data */
};

/*
 * A new epoll file with status flags @flags (Linux: O_RDWR), refcount 1,
 * or NULL when memory is short. Process context.
 */
struct file *epoll_file_new(unsigned flags);
/* True if @file is an epoll file. */
bool is_file_epoll(const struct file *file);
/* The registration of (@file, @fd) in @ep, or NULL. */
struct epitem *ep_find(struct eventpoll *ep, const struct file *file, int fd);
/*
 * Whether adding epoll file @to to @ep keeps the nesting acyclic and at
 * most EP_MAX_NESTS deep: 0 or -ELOOP.
 */
int ep_loop_check(struct eventpoll *ep, struct file *to);
/*
 * Register (@file, @fd) with @ev (checked by the caller, EPOLLERR and
 * EPOLLHUP added) and queue it as ready if it is: 0 or -ENOMEM, which
 * leaves nothing behind. Process context, as are the two below.
 */
int ep_insert(struct eventpoll *ep, const struct epoll_event *ev,
	      struct file *file, int fd);
/* Replace @epi's events and data with @ev, re-arming it. */
void ep_modify(struct epitem *epi, const struct epoll_event *ev);
/* Remove and free @epi. */
void ep_remove(struct epitem *epi);
/*
 * epoll_wait's core: wait until @ep has events, a signal comes (-EINTR)
 * or @end passes (NULL: never; the zero end time: do not wait), then
 * write up to @maxevents of them to @uevents: their number, 0 on timeout,
 * or -EFAULT if none could be written. Process context.
 */
long ep_poll(struct eventpoll *ep, uptr_t uevents, int maxevents,
	     const struct timespec64 *end);
