/*
 * timerfd_create, timerfd_settime and timerfd_gettime (Linux's
 * fs/timerfd.c): a timer on CLOCK_REALTIME, CLOCK_MONOTONIC or
 * CLOCK_BOOTTIME (and their _ALARM forms, with CAP_WAKE_ALARM) whose
 * expirations a read returns as a u64 and resets.
 *
 * Every clock runs at the monotonic clock's pace here (nothing suspends),
 * so a timer keeps its next expiry in monotonic ns. When the wall clock
 * is set (kernel/time/timeofday.c) an armed timer keeps that expiry, and
 * TFD_TIMER_CANCEL_ON_SET does not cancel: unlike Linux's. The
 * expirations are counted from the times themselves whenever the timer
 * is looked at; a kernel timer (kernel/time/ktimer.c) fires at the next
 * expiry to wake readers and pollers. The tick's interrupt changes the
 * state too, so every change is made with interrupts masked.
 */
#include <kernel/vfs.h>
#include <kernel/ktimer.h>
#include <kernel/syscall.h>
#include <platform/cpu.h>
#include <platform/heap.h>
#include <platform/time.h>
#include <platform/usercopy.h>
#include <svc/task.h>
#include <uapi/fcntl.h>
#include <uapi/poll.h>

#define TFD_TIMER_ABSTIME	TIMER_ABSTIME
#define TFD_TIMER_CANCEL_ON_SET	2
#define TFD_CLOEXEC		O_CLOEXEC
#define TFD_NONBLOCK		O_NONBLOCK

struct timerfd {
	int clockid;
	bool armed;
	uint64_t expires_ns;	/* the next expiry, monotonic */
	uint64_t interval_ns;	/* 0: one-shot */
	uint64_t ticks;		/* expirations not yet read */
	struct ktimer timer;
	struct wait_queue wq;	/* readers and pollers */
};

static const struct file_ops timerfd_fops;
static struct anon_inode_kind timerfd_kind = {
	.name = "[timerfd]",
	.fops = &timerfd_fops,
};

static bool is_alarm_clock(int clockid)
{
	return clockid == CLOCK_REALTIME_ALARM ||
	       clockid == CLOCK_BOOTTIME_ALARM;
}

/*
 * Count the expirations up to @now and move the next expiry past it,
 * then arm the kernel timer for that expiry (or disarm it). Interrupts
 * masked.
 */
static void timerfd_update(struct timerfd *tfd, uint64_t now)
{
	if (tfd->armed && now >= tfd->expires_ns) {
		if (tfd->interval_ns) {
			tfd->ticks += ktimer_forward(&tfd->expires_ns,
						     tfd->interval_ns, now);
		} else {
			tfd->ticks++;
			tfd->armed = false;
		}
	}
	if (tfd->armed)
		ktimer_arm(&tfd->timer, tfd->expires_ns);
	else
		ktimer_cancel(&tfd->timer);
}

/* The kernel timer fired: count the expiry and wake the waiters. */
static void timerfd_fire(struct ktimer *t)
{
	struct timerfd *tfd = container_of(t, struct timerfd, timer);

	timerfd_update(tfd, clock_monotonic_ns());
	wq_wake_all(&tfd->wq);
}

/* The setting timerfd_gettime reports: the time to the next expiry. */
static struct itimerspec64 timerfd_setting(const struct timerfd *tfd,
					   uint64_t now)
{
	struct itimerspec64 its = {
		.it_interval = ns_to_timespec(tfd->interval_ns),
	};

	if (tfd->armed)
		its.it_value = ns_to_timespec(tfd->expires_ns - now);
	return its;
}

static bool timerfd_expired(const void *arg)
{
	const struct timerfd *tfd = arg;

	return tfd->ticks ||
	       (tfd->armed && clock_monotonic_ns() >= tfd->expires_ns);
}

/* read: the expirations since the last read, as a u64; waits for one. */
static ssize_t timerfd_read(struct file *file, struct uio *uio, off_t *pos)
{
	struct timerfd *tfd = file->priv;
	uint64_t ticks;
	irqflags_t fl;
	int err;

	if (uio->resid < sizeof(ticks))
		return -EINVAL;
	err = wq_wait_deadline(&tfd->wq, file->flags & O_NONBLOCK, 0,
			       timerfd_expired, tfd);
	if (err)
		return err;
	fl = irq_save();
	timerfd_update(tfd, clock_monotonic_ns());
	ticks = tfd->ticks;
	irq_restore(fl);
	if (uiomove(&ticks, sizeof(ticks), uio))
		return -EFAULT;
	fl = irq_save();
	tfd->ticks -= ticks;
	irq_restore(fl);
	return sizeof(ticks);
}

/* Readable once it has expired. */
static unsigned timerfd_poll(struct file *file, struct poll_table *pt)
{
	struct timerfd *tfd = file->priv;
	unsigned mask = 0;
	irqflags_t fl;

	poll_wait(file, &tfd->wq, pt);
	fl = irq_save();
	timerfd_update(tfd, clock_monotonic_ns());
	if (tfd->ticks)
		mask = POLLIN | POLLRDNORM;
	irq_restore(fl);
	return mask;
}

static void timerfd_release(struct file *file)
{
	struct timerfd *tfd = file->priv;

	ktimer_cancel(&tfd->timer);
	kfree(tfd);
}

static const struct file_ops timerfd_fops = {
	.release = timerfd_release,
	.read = timerfd_read,
	.poll = timerfd_poll,
};

/* timerfd_create(clockid, flags): a descriptor or -errno. */
SYSCALL(__NR_timerfd_create, timerfd_create)(SYSCALL_ARGS)
{
	int clockid = (int)a0, flags = (int)a1;
	struct timerfd *tfd;
	struct file *file;
	int fd;

	if ((flags & ~(TFD_CLOEXEC | TFD_NONBLOCK)) ||
	    (clockid != CLOCK_MONOTONIC && clockid != CLOCK_REALTIME &&
	     clockid != CLOCK_BOOTTIME && !is_alarm_clock(clockid)))
		return -EINVAL;
	if (is_alarm_clock(clockid) && !capable(CAP_WAKE_ALARM))
		return -EPERM;
	fd = fd_reserve(0, flags & TFD_CLOEXEC);
	if (fd < 0)
		return fd;
	tfd = kzalloc(sizeof(*tfd));
	if (!tfd)
		goto err_unreserve;
	tfd->clockid = clockid;
	ktimer_init(&tfd->timer, timerfd_fire);
	wq_init(&tfd->wq);
	file = anon_inode_file(&timerfd_kind, tfd,
			       O_RDWR | (flags & TFD_NONBLOCK));
	if (!file)
		goto err_free;
	fd_install_reserved(fd, file);
	return fd;

err_free:
	kfree(tfd);
err_unreserve:
	fd_unreserve(fd);
	return -ENOMEM;
}

/* The timerfd open at @fd, with a reference, or NULL and *@err. */
static struct file *timerfd_fget(int fd, long *err)
{
	struct file *file = fd_get_io(fd);

	*err = -EBADF;
	if (file && file->fops != &timerfd_fops) {
		fput(file);
		*err = -EINVAL;
		return NULL;
	}
	return file;
}

/* Arm or disarm @tfd with @new; the setting before goes to *@old. */
static void timerfd_set(struct timerfd *tfd, int flags,
			const struct itimerspec64 *new,
			struct itimerspec64 *old)
{
	uint64_t now = clock_monotonic_ns();
	uint64_t value = timespec_to_ns(&new->it_value);
	irqflags_t fl = irq_save();

	timerfd_update(tfd, now);
	*old = timerfd_setting(tfd, now);
	tfd->ticks = 0;
	tfd->interval_ns = timespec_to_ns(&new->it_interval);
	tfd->armed = value != 0;
	tfd->expires_ns = ktimer_expiry(tfd->clockid,
					flags & TFD_TIMER_ABSTIME, value, now);
	timerfd_update(tfd, now);
	irq_restore(fl);
}

/* timerfd_settime(fd, flags, new, old): 0 or -errno. */
SYSCALL(__NR_timerfd_settime, timerfd_settime)(SYSCALL_ARGS)
{
	int flags = (int)a1;
	struct itimerspec64 new, old;
	struct file *file;
	long err;

	if (get_user(new, UPTR(a2)))
		return -EFAULT;
	if ((flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) ||
	    !itimerspec_valid(&new))
		return -EINVAL;
	file = timerfd_fget((int)a0, &err);
	if (!file)
		return err;
	err = 0;
	if (is_alarm_clock(((struct timerfd *)file->priv)->clockid) &&
	    !capable(CAP_WAKE_ALARM))
		err = -EPERM;
	else
		timerfd_set(file->priv, flags, &new, &old);
	fput(file);
	if (!err && !uptr_null(UPTR(a3)) && put_user(old, UPTR(a3)))
		err = -EFAULT;
	return err;
}

/* timerfd_gettime(fd, cur): the time to the next expiry and the period. */
SYSCALL(__NR_timerfd_gettime, timerfd_gettime)(SYSCALL_ARGS)
{
	struct itimerspec64 cur;
	struct file *file;
	struct timerfd *tfd;
	uint64_t now;
	irqflags_t fl;
	long err;

	file = timerfd_fget((int)a0, &err);
	if (!file)
		return err;
	tfd = file->priv;
	now = clock_monotonic_ns();
	fl = irq_save();
	timerfd_update(tfd, now);
	cur = timerfd_setting(tfd, now);
	irq_restore(fl);
	fput(file);
	return put_user(cur, UPTR(a1)) ? -EFAULT : 0;
}
