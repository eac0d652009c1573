/*
 * Waiting for file readiness: poll_wait() and the poll, ppoll, select and
 * pselect6 system calls, with Linux's timeouts, errors and signal rules.
 *
 * One scan asks every file for its readiness mask (vop_poll). The first
 * scan that may sleep also queues a waiter for the current task on every
 * wait queue the files hand to poll_wait(). Each scan runs with interrupts
 * disabled and goes straight into sched_sleep_until(), so a wake-up
 * cannot slip in between finding nothing ready and sleeping; after a
 * wake-up, a signal or the deadline, the caller scans again.
 *
 * poll_wait() itself only hands the wait queue to the poll table's
 * queueing function: this file's queues the task, epoll's a callback
 * (kernel/event/epoll.c), which also shares the timeout and signal-mask
 * helpers below (include/kernel/poll.h).
 */
#include "vfs_internal.h"
#include <kernel/poll.h>
#include <kernel/task.h>
#include <kernel/signal.h>
#include <kernel/syscall.h>
#include <platform/heap.h>
#include <platform/time.h>
#include <platform/usercopy.h>
#include <aramid/string.h>
#include <uapi/poll.h>


/* What select(2) counts as readable, writable and exceptional. */
#define POLLIN_SET	(POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define POLLOUT_SET	(POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define POLLEX_SET	(POLLPRI)

#define USEC_PER_SEC	1000000LL
#define NSEC_PER_USEC	1000LL
#define MSEC_PER_SEC	1000LL
#define NSEC_PER_MSEC	1000000LL
#define TIME64_MAX	INT64_MAX

/* One waiter on one wait queue, holding its file (and so the queue). */
struct poll_entry {
	struct waiter waiter;
	struct wait_queue *wq;
	struct file *file;
};

#define POLL_INLINE_ENTRIES	16
#define POLL_CHUNK_ENTRIES	48	/* a chunk fits a 2 KiB heap object */

struct poll_chunk {
	struct poll_chunk *next;
	unsigned used;
	struct poll_entry entry[POLL_CHUNK_ENTRIES];
};

/* The waiters of one poll or select call. */
struct poll_waits {
	struct poll_table pt;	/* pt.queue NULL: stop registering */
	int error;		/* -ENOMEM if an entry could not be queued */
	unsigned inline_used;
	struct poll_entry inline_entry[POLL_INLINE_ENTRIES];
	struct poll_chunk *chunks;
};

static void poll_queue(struct poll_table *pt, struct file *file,
		       struct wait_queue *wq);

static void poll_waits_init(struct poll_waits *pt, bool registering)
{
	pt->pt.queue = registering ? poll_queue : NULL;
	pt->error = 0;
	pt->inline_used = 0;
	pt->chunks = NULL;
}

static struct poll_entry *poll_entry_alloc(struct poll_waits *pt)
{
	struct poll_chunk *c = pt->chunks;

	if (pt->inline_used < POLL_INLINE_ENTRIES)
		return &pt->inline_entry[pt->inline_used++];
	if (!c || c->used == POLL_CHUNK_ENTRIES) {
		c = kmalloc(sizeof(*c));
		if (!c)
			return NULL;
		c->used = 0;
		c->next = pt->chunks;
		pt->chunks = c;
	}
	return &c->entry[c->used++];
}

/*
 * Register on @wq as @pt says, if it registers at all (a NULL @pt never
 * does). Called from file_ops.poll; any context a poll op runs in,
 * interrupts enabled or not.
 */
void poll_wait(struct file *file, struct wait_queue *wq, struct poll_table *pt)
{
	if (pt && pt->queue)
		pt->queue(pt, file, wq);
}

/* poll and select: queue the current task on @wq until the call ends. */
static void poll_queue(struct poll_table *table, struct file *file,
		       struct wait_queue *wq)
{
	struct poll_waits *pt = container_of(table, struct poll_waits, pt);
	struct poll_entry *e;
	irqflags_t fl;

	e = poll_entry_alloc(pt);
	if (!e) {
		pt->error = -ENOMEM;
		return;
	}
	fget(file);
	e->file = file;
	e->wq = wq;
	e->waiter.task = current;
	e->waiter.wake = NULL;
	fl = irq_save();
	list_add_tail(&e->waiter.link, &wq->waiters);
	irq_restore(fl);
}

static void poll_entry_free(struct poll_entry *e)
{
	irqflags_t fl = irq_save();

	list_del(&e->waiter.link);
	irq_restore(fl);
	fput(e->file);
}

/* Dequeue every waiter and drop the files. Interrupts enabled. */
static void poll_waits_free(struct poll_waits *pt)
{
	struct poll_chunk *c, *next;

	for (unsigned i = 0; i < pt->inline_used; i++)
		poll_entry_free(&pt->inline_entry[i]);
	for (c = pt->chunks; c; c = next) {
		next = c->next;
		for (unsigned i = 0; i < c->used; i++)
			poll_entry_free(&c->entry[i]);
		kfree(c);
	}
}

/*
 * The readiness of descriptor @fd masked by @filter, or POLLNVAL if it is
 * not open.
 *
 * Runs with interrupts disabled: the fput here never drops the last
 * reference, since the caller's own descriptor table holds one and only
 * the caller changes it, so no release op runs in this window.
 */
static unsigned poll_fd(int fd, unsigned filter, struct poll_table *pt)
{
	struct file *f = fd_get(fd);
	unsigned mask;

	if (!f)
		return POLLNVAL;
	mask = vop_poll(f, pt) & filter;
	fput(f);
	return mask;
}

static struct timespec64 ns_to_timespec(uint64_t ns)
{
	return (struct timespec64){
		.sec = (int64_t)(ns / NSEC_PER_SEC),
		.nsec = (int64_t)(ns % NSEC_PER_SEC),
	};
}

/* See kernel/poll.h. */
int poll_set_timeout(struct timespec64 *end, int64_t sec, int64_t nsec)
{
	struct timespec64 now;

	if (sec < 0 || nsec < 0 || nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	if (!sec && !nsec) {
		end->sec = end->nsec = 0;
		return 0;
	}
	now = ns_to_timespec(clock_monotonic_ns());
	if (sec > TIME64_MAX - now.sec) {
		end->sec = TIME64_MAX;
		end->nsec = 0;
		return 0;
	}
	end->sec = now.sec + sec;
	end->nsec = now.nsec + nsec;
	if (end->nsec >= (int64_t)NSEC_PER_SEC) {
		end->nsec -= NSEC_PER_SEC;
		if (end->sec == TIME64_MAX)
			end->nsec = 0;
		else
			end->sec++;
	}
	return 0;
}

/* See kernel/poll.h. */
bool poll_timeout_is_zero(const struct timespec64 *end)
{
	return end && !end->sec && !end->nsec;
}

/* See kernel/poll.h. */
uint64_t poll_deadline(const struct timespec64 *end)
{
	if (!end || (uint64_t)end->sec >= UINT64_MAX / NSEC_PER_SEC)
		return 0;
	return (uint64_t)end->sec * NSEC_PER_SEC + (uint64_t)end->nsec;
}

/*
 * Sleep after a scan found nothing. Interrupts disabled. Returns true if
 * the deadline has passed (one last scan follows, as on Linux).
 */
static bool poll_sleep(uint64_t deadline)
{
	if (sched_sleep_until(deadline))
		return false;	/* a signal: the next scan reports it */
	return deadline && clock_monotonic_ns() >= deadline;
}

/* Scan @fds until something is ready, @end passes or a signal comes. */
static int do_poll(struct pollfd *fds, unsigned nfds,
		   const struct timespec64 *end)
{
	bool timed_out = poll_timeout_is_zero(end);
	uint64_t deadline = poll_deadline(end);
	struct poll_waits pw;
	int count;

	poll_waits_init(&pw, !timed_out);
	for (;;) {
		irqflags_t fl = irq_save();

		count = 0;
		for (unsigned i = 0; i < nfds; i++) {
			struct pollfd *p = &fds[i];
			unsigned mask = 0;

			if (p->fd >= 0)
				mask = poll_fd(p->fd, (uint16_t)p->events |
					       POLLERR | POLLHUP, &pw.pt);
			p->revents = (int16_t)mask;
			if (mask) {
				count++;
				pw.pt.queue = NULL;
			}
		}
		pw.pt.queue = NULL;
		if (!count) {
			count = pw.error;
			if (signal_pending())
				count = -ERESTARTNOHAND;
		}
		if (count || timed_out) {
			irq_restore(fl);
			break;
		}
		timed_out = poll_sleep(deadline);
		irq_restore(fl);
	}
	poll_waits_free(&pw);
	return count;
}

/* poll on user array @ufds of @nfds entries: count or -errno. */
static long do_sys_poll(uptr_t ufds, unsigned nfds,
			const struct timespec64 *end)
{
	size_t size = (size_t)nfds * sizeof(struct pollfd);
	struct pollfd *fds;
	long ret;

	if (nfds > rlimit(RLIMIT_NOFILE))
		return -EINVAL;
	fds = kmalloc(size);
	if (!fds)
		return -ENOMEM;
	ret = -EFAULT;
	if (copy_from_user(fds, ufds, size))
		goto out_free;
	ret = do_poll(fds, nfds, end);
	if (copy_to_user(ufds, fds, size))
		ret = -EFAULT;
out_free:
	kfree(fds);
	return ret;
}

/* See kernel/poll.h. */
int set_user_sigmask(uptr_t umask, size_t sigsetsize)
{
	struct signal_state *s = &current->sig;
	sigset_t mask;

	if (uptr_null(umask))
		return 0;
	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	mask &= ~(sigmask(SIGKILL) | sigmask(SIGSTOP));
	s->saved_mask = s->blocked;
	s->restore_saved_mask = true;
	s->blocked = mask;
	return 0;
}

/* See kernel/poll.h. */
void restore_saved_sigmask_unless(bool delivering)
{
	struct signal_state *s = &current->sig;

	if (!delivering && s->restore_saved_mask) {
		s->restore_saved_mask = false;
		s->blocked = s->saved_mask;
	}
}

enum poll_time_type { PT_TIMEVAL, PT_TIMESPEC };

/*
 * The common end of ppoll, select and pselect6: put back the signal mask
 * unless a signal is about to be handled under it, and write the time
 * left to @utime (not for a NULL or zero timeout). If that write faults
 * the call cannot be restarted, so -ERESTARTNOHAND becomes -EINTR.
 */
static long poll_select_finish(const struct timespec64 *end, uptr_t utime,
			       enum poll_time_type type, long ret)
{
	struct timespec64 now, left;
	int err;

	restore_saved_sigmask_unless(ret == -ERESTARTNOHAND);
	if (uptr_null(utime) || !end || poll_timeout_is_zero(end))
		return ret;
	now = ns_to_timespec(clock_monotonic_ns());
	left.sec = end->sec - now.sec;
	left.nsec = end->nsec - now.nsec;
	if (left.nsec < 0) {
		left.nsec += NSEC_PER_SEC;
		left.sec--;
	}
	if (left.sec < 0)
		left.sec = left.nsec = 0;
	if (type == PT_TIMEVAL) {
		struct __kernel_old_timeval tv = {
			.tv_sec = left.sec,
			.tv_usec = left.nsec / NSEC_PER_USEC,
		};

		err = put_user(tv, utime);
	} else {
		struct __kernel_timespec ts = {
			.tv_sec = left.sec,
			.tv_nsec = left.nsec,
		};

		err = put_user(ts, utime);
	}
	if (err && ret == -ERESTARTNOHAND)
		ret = -EINTR;
	return ret;
}

/* Read a user struct timespec into the end time: 0, -EFAULT, -EINVAL. */
static int get_timespec_timeout(uptr_t uts, struct timespec64 *end)
{
	struct __kernel_timespec ts;

	if (get_user(ts, uts))
		return -EFAULT;
	return poll_set_timeout(end, ts.tv_sec, ts.tv_nsec);
}

/* poll(fds, nfds, timeout_ms): a negative timeout waits forever. */
SYSCALL(__NR_poll, poll)(SYSCALL_ARGS)
{
	int timeout_ms = (int)a2;
	struct timespec64 end, *to = NULL;

	if (timeout_ms >= 0) {
		to = &end;
		poll_set_timeout(to, timeout_ms / MSEC_PER_SEC,
				 NSEC_PER_MSEC * (timeout_ms % MSEC_PER_SEC));
	}
	return do_sys_poll(UPTR(a0), (unsigned)a1, to);
}

/* ppoll(fds, nfds, tsp, sigmask, sigsetsize). */
SYSCALL(__NR_ppoll, ppoll)(SYSCALL_ARGS)
{
	uptr_t tsp = UPTR(a2);
	struct timespec64 end, *to = NULL;
	long ret;

	if (!uptr_null(tsp)) {
		to = &end;
		ret = get_timespec_timeout(tsp, to);
		if (ret)
			return ret;
	}
	ret = set_user_sigmask(UPTR(a3), (size_t)a4);
	if (ret)
		return ret;
	ret = do_sys_poll(UPTR(a0), (unsigned)a1, to);
	return poll_select_finish(to, tsp, PT_TIMESPEC, ret);
}

/* The in, out and except sets of select, and their results. */
struct select_sets {
	uint64_t in[FD_SETSIZE / NFDBITS];
	uint64_t out[FD_SETSIZE / NFDBITS];
	uint64_t ex[FD_SETSIZE / NFDBITS];
	uint64_t res_in[FD_SETSIZE / NFDBITS];
	uint64_t res_out[FD_SETSIZE / NFDBITS];
	uint64_t res_ex[FD_SETSIZE / NFDBITS];
};

/* The bits of word @w that lie below @n. */
static uint64_t word_mask(int n, int w)
{
	int bits = n - w * NFDBITS;

	return bits >= NFDBITS ? ~0ULL : (1ULL << bits) - 1;
}

/* -EBADF if any of the sets names a descriptor that is not open. */
static int select_check_fds(int n, const struct select_sets *s)
{
	for (int w = 0; w * NFDBITS < n; w++) {
		uint64_t all = (s->in[w] | s->out[w] | s->ex[w]) &
			       word_mask(n, w);

		for (int b = 0; all; b++, all >>= 1) {
			if ((all & 1) &&
			    !files_peek(current->files, w * NFDBITS + b))
				return -EBADF;
		}
	}
	return 0;
}

/* One scan of the sets: the number of (fd, set) pairs that are ready. */
static int select_scan(int n, struct select_sets *s, struct poll_table *pt)
{
	int count = 0;

	for (int w = 0; w * NFDBITS < n; w++) {
		uint64_t all = (s->in[w] | s->out[w] | s->ex[w]) &
			       word_mask(n, w);

		s->res_in[w] = s->res_out[w] = s->res_ex[w] = 0;
		for (int b = 0; b < NFDBITS; b++) {
			uint64_t bit = 1ULL << b;
			unsigned mask;

			if (!(all & bit))
				continue;
			mask = poll_fd(w * NFDBITS + b, ~0U, pt);
			if ((mask & POLLIN_SET) && (s->in[w] & bit)) {
				s->res_in[w] |= bit;
				count++;
			}
			if ((mask & POLLOUT_SET) && (s->out[w] & bit)) {
				s->res_out[w] |= bit;
				count++;
			}
			if ((mask & POLLEX_SET) && (s->ex[w] & bit)) {
				s->res_ex[w] |= bit;
				count++;
			}
			if (count)
				pt->queue = NULL;
		}
	}
	return count;
}

static int do_select(int n, struct select_sets *s,
		     const struct timespec64 *end)
{
	bool timed_out = poll_timeout_is_zero(end);
	uint64_t deadline = poll_deadline(end);
	struct poll_waits pw;
	int count;

	count = select_check_fds(n, s);
	if (count)
		return count;
	poll_waits_init(&pw, !timed_out);
	for (;;) {
		irqflags_t fl = irq_save();

		count = select_scan(n, s, &pw.pt);
		pw.pt.queue = NULL;
		if (count || timed_out || signal_pending()) {
			irq_restore(fl);
			break;
		}
		if (pw.error) {
			count = pw.error;
			irq_restore(fl);
			break;
		}
		timed_out = poll_sleep(deadline);
		irq_restore(fl);
	}
	poll_waits_free(&pw);
	return count;
}

static int get_fd_set(uptr_t u, uint64_t *set, size_t bytes)
{
	if (uptr_null(u)) {
		memset(set, 0, bytes);
		return 0;
	}
	return copy_from_user(set, u, bytes);
}

static int set_fd_set(uptr_t u, const uint64_t *set, size_t bytes)
{
	if (uptr_null(u))
		return 0;
	return copy_to_user(u, set, bytes);
}

/*
 * select on @n descriptors. As on Linux, @n is clamped to the size of the
 * descriptor table (at least 64) instead of failing, and the result sets
 * are written back only on success.
 */
static long core_sys_select(int n, uptr_t inp, uptr_t outp, uptr_t exp,
			    const struct timespec64 *end)
{
	struct select_sets *s;
	int max_fds;
	size_t bytes;
	long ret;

	if (n < 0)
		return -EINVAL;
	max_fds = MIN(ALIGN_UP(MAX(current->files->size, NFDBITS), NFDBITS),
		      FD_SETSIZE);
	if (n > max_fds)
		n = max_fds;
	bytes = DIV_ROUND_UP(n, NFDBITS) * sizeof(uint64_t);
	s = kmalloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	ret = -EFAULT;
	if (get_fd_set(inp, s->in, bytes) || get_fd_set(outp, s->out, bytes) ||
	    get_fd_set(exp, s->ex, bytes))
		goto out_free;
	ret = do_select(n, s, end);
	if (ret < 0)
		goto out_free;
	if (!ret && signal_pending()) {
		ret = -ERESTARTNOHAND;
		goto out_free;
	}
	if (set_fd_set(inp, s->res_in, bytes) ||
	    set_fd_set(outp, s->res_out, bytes) ||
	    set_fd_set(exp, s->res_ex, bytes))
		ret = -EFAULT;
out_free:
	kfree(s);
	return ret;
}

/* select(n, in, out, ex, timeval): the timeval gets the time left. */
SYSCALL(__NR_select, select)(SYSCALL_ARGS)
{
	uptr_t tvp = UPTR(a4);
	struct timespec64 end, *to = NULL;
	long ret;

	if (!uptr_null(tvp)) {
		struct __kernel_old_timeval tv;
		int64_t sec;

		if (get_user(tv, tvp))
			return -EFAULT;
		/* An overflowing sum wraps negative on Linux: EINVAL. */
		if (__builtin_add_overflow(tv.tv_sec, tv.tv_usec / USEC_PER_SEC,
					   &sec))
			return -EINVAL;
		to = &end;
		if (poll_set_timeout(to, sec, (tv.tv_usec % USEC_PER_SEC) *
				     NSEC_PER_USEC))
			return -EINVAL;
	}
	ret = core_sys_select((int)a0, UPTR(a1), UPTR(a2), UPTR(a3), to);
	return poll_select_finish(to, tvp, PT_TIMEVAL, ret);
}

/* pselect6(n, in, out, ex, timespec, {sigmask, sigsetsize}). */
SYSCALL(__NR_pselect6, pselect6)(SYSCALL_ARGS)
{
	uptr_t tsp = UPTR(a4);
	struct sigset_argpack pack = { 0, 0 };
	struct timespec64 end, *to = NULL;
	long ret;

	if (!uptr_null(UPTR(a5)) && get_user(pack, UPTR(a5)))
		return -EFAULT;
	if (!uptr_null(tsp)) {
		to = &end;
		ret = get_timespec_timeout(tsp, to);
		if (ret)
			return ret;
	}
	ret = set_user_sigmask(UPTR(pack.sigmask), (size_t)pack.sigsetsize);
	if (ret)
		return ret;
	ret = core_sys_select((int)a0, UPTR(a1), UPTR(a2), UPTR(a3), to);
	return poll_select_finish(to, tsp, PT_TIMESPEC, ret);
}
