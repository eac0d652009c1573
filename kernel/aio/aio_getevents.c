/*
 * io_getevents and io_pgetevents (Linux 6.1's fs/aio.c): reap at least
 * min_nr and at most nr events from a context's ring, sleeping for the
 * rest until the relative timeout or a signal. The timeout is not
 * checked for validity; it is taken as Linux's timespec64_to_ktime and
 * hrtimer take it: zero does not wait, a time past the end of ktime
 * waits for ever, and so does a negative one (ktime_add_safe saturates
 * a sum below the current time). Kernel lock held.
 */
#include <kernel/poll.h>
#include <uapi/time.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <svc/task.h>
#include <platform/cpu.h>
#include <platform/time.h>
#include <platform/usercopy.h>
#include "aio.h"

#define KTIME_SEC_MAX	(INT64_MAX / 1000000000)

/* How long to wait. */
struct aio_wait {
	bool wait;		/* false: look once */
	uint64_t deadline;	/* monotonic ns; 0 = none */
};

/* Linux's get_timespec64 and timespec64_to_ktime: 0 or -EFAULT. */
static int wait_from_user(uptr_t uts, struct aio_wait *w)
{
	struct __kernel_timespec ts;
	int64_t ns;

	w->wait = true;
	w->deadline = 0;
	if (uptr_null(uts))
		return 0;
	if (get_user(ts, uts))
		return -EFAULT;
	if (ts.tv_sec >= KTIME_SEC_MAX)
		return 0;
	ns = (int64_t)((uint64_t)ts.tv_sec * 1000000000ULL +
		       (uint64_t)ts.tv_nsec);
	if (ns == 0)
		w->wait = false;
	else if (ns > 0)
		w->deadline = clock_monotonic_ns() + (uint64_t)ns;
	return 0;
}

/*
 * Linux's read_events over aio_read_events: the events moved, or an
 * error when none were (-EFAULT, or -EINVAL once the context is
 * destroyed). A signal ends the wait with what was moved.
 */
static long read_events(struct aio_ctx *ctx, long min_nr, long nr,
			uptr_t uev, const struct aio_wait *w)
{
	long got = 0, r;

	for (;;) {
		irqflags_t fl;
		int err = 0;

		r = aio_ring_read(ctx, uptr_add(uev, got * sizeof(struct io_event)),
				  nr - got);
		if (r > 0)
			got += r;
		if (ctx->dead)
			r = -EINVAL;
		if (!got)
			got = r;
		if (r < 0 || got >= min_nr || !w->wait)
			break;
		if (w->deadline && clock_monotonic_ns() >= w->deadline)
			break;
		fl = irq_save();
		if (!aio_ring_ready(ctx) && !ctx->dead)
			err = wq_sleep(&ctx->wq, w->deadline);
		irq_restore(fl);
		if (err)
			break;
	}
	return got;
}

/* Linux's do_io_getevents. */
static long do_getevents(uintptr_t ctx_id, long min_nr, long nr, uptr_t uev,
			 const struct aio_wait *w)
{
	struct aio_ctx *ctx = aio_ctx_lookup(ctx_id);
	long ret = -EINVAL;

	if (!ctx)
		return -EINVAL;
	if (min_nr <= nr && min_nr >= 0)
		ret = read_events(ctx, min_nr, nr, uev, w);
	aio_ctx_put(ctx);
	return ret;
}

/* io_getevents(ctx, min_nr, nr, events, timeout) */
SYSCALL(__NR_io_getevents, io_getevents)(SYSCALL_ARGS)
{
	struct aio_wait w;
	long ret;

	if (wait_from_user(UPTR(a4), &w))
		return -EFAULT;
	ret = do_getevents((uintptr_t)a0, a1, a2, UPTR(a3), &w);
	if (!ret && signal_pending())
		ret = -EINTR;
	return ret;
}

/* io_pgetevents: the same under a temporary signal mask (struct __aio_sigset). */
SYSCALL(__NR_io_pgetevents, io_pgetevents)(SYSCALL_ARGS)
{
	struct { uint64_t sigmask, sigsetsize; } usig = { 0 };
	struct aio_wait w;
	bool interrupted;
	long ret;

	if (wait_from_user(UPTR(a4), &w))
		return -EFAULT;
	if (a5 && copy_from_user(&usig, UPTR(a5), sizeof(usig)))
		return -EFAULT;
	ret = set_user_sigmask(UPTR(usig.sigmask), usig.sigsetsize);
	if (ret)
		return ret;
	ret = do_getevents((uintptr_t)a0, a1, a2, UPTR(a3), &w);
	interrupted = signal_pending();
	restore_saved_sigmask_unless(interrupted);
	if (interrupted && !ret)
		ret = -ERESTARTNOHAND;
	return ret;
}
