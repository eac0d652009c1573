/*
 * POSIX timers: timer_create, timer_settime, timer_gettime,
 * timer_getoverrun and timer_delete, as Linux 6.1's posix-timers.c.
 *
 * A process's timers hang on its leader, with ids from 0 counted per
 * process (not reused until the count wraps). A timer on a wall or
 * monotonic clock keeps its expiry in monotonic ns and fires through a
 * kernel timer (kernel/time/ktimer.c, as timerfds do); one on a CPU-time
 * clock keeps it in that clock's ns and the tick fires it.
 *
 * Expiry queues the timer's own siginfo (struct sigqueue, SI_TIMER). A
 * periodic timer is reloaded only as that signal is dequeued, counting
 * the periods that passed meanwhile as its overrun (Linux's
 * it_requeue_pending protocol: odd while a reload waits for the
 * dequeue); so a blocked signal costs nothing however fast the timer.
 * The tick changes timers too, so every change masks interrupts.
 */
#include <kernel/posix_timer.h>
#include <kernel/ktimer.h>
#include <kernel/task.h>
#include <kernel/pid_ns.h>
#include <kernel/syscall.h>
#include <platform/cpu.h>
#include <platform/heap.h>
#include <platform/time.h>
#include <platform/usercopy.h>
#include <svc/task.h>
#include <aramid/string.h>
#include <uapi/capability.h>
#include <uapi/time.h>

#define REQUEUE_PENDING	1u

struct posix_timer {
	struct list_head link;		/* the leader's posix_timers */
	struct task *leader;
	int id;
	int clockid;
	int notify;			/* SIGEV_SIGNAL, SIGEV_NONE, ... */
	pid_t target;			/* SIGEV_THREAD_ID: the thread */
	pid_t cpu_thread;		/* CLOCK_THREAD_CPUTIME_ID: whose */
	bool active;			/* armed, not yet fired */
	bool deleted;			/* freed as its queued signal leaves */
	uint64_t expires_ns;		/* on the clock's timeline */
	uint64_t interval_ns;		/* 0: one-shot */
	unsigned requeue;		/* Linux's it_requeue_pending */
	unsigned sig_private;		/* requeue of the last expiry */
	int64_t overrun, overrun_last;
	struct ktimer timer;		/* wall and monotonic clocks */
	struct sigqueue sq;
};

static bool is_cpu_clock(int clockid)
{
	return clockid == CLOCK_PROCESS_CPUTIME_ID ||
	       clockid == CLOCK_THREAD_CPUTIME_ID;
}

/* 0 if timer_create takes @clockid; else its -errno, as Linux's. */
static int clock_check(int clockid)
{
	switch (clockid) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
	case CLOCK_TAI:
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		return 0;
	case CLOCK_REALTIME_ALARM:
	case CLOCK_BOOTTIME_ALARM:
		return capable(CAP_WAKE_ALARM) ? 0 : -EPERM;
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
		return -EOPNOTSUPP;	/* clocks without timers */
	default:
		return -EINVAL;
	}
}

/* The time on @pt's timeline; false if its CPU clock's thread is gone. */
static bool timer_now(const struct posix_timer *pt, uint64_t *now)
{
	struct task *t;

	switch (pt->clockid) {
	case CLOCK_THREAD_CPUTIME_ID:
		t = task_find(pt->cpu_thread);
		if (!t || t->state == TASK_ZOMBIE)
			return false;
		*now = thread_cputime_ns(t);
		return true;
	case CLOCK_PROCESS_CPUTIME_ID:
		*now = process_cputime_ns(pt->leader);
		return true;
	default:
		*now = clock_monotonic_ns();
		return true;
	}
}

/* Arm the kernel timer of an active timer on a wall or monotonic clock. */
static void timer_arm(struct posix_timer *pt)
{
	if (!is_cpu_clock(pt->clockid))
		ktimer_arm(&pt->timer, pt->expires_ns);
}

/* Queue @pt's signal: send_sigqueue's result. */
static int timer_send(struct posix_timer *pt)
{
	struct task *t;

	if (!(pt->notify & SIGEV_THREAD_ID))
		return send_sigqueue(pt->leader, &pt->sq, true);
	t = task_find(pt->target);
	if (!t || t->tgid != pt->leader->tgid)
		return -ESRCH;
	return send_sigqueue(t, &pt->sq, false);
}

/*
 * @pt expired at @now: queue its signal. A periodic timer waits for the
 * dequeue to reload, unless the signal is ignored: then it reloads at
 * once. A signal that cannot be sent (its thread is gone) stops it.
 * Interrupts masked.
 */
static void timer_fire(struct posix_timer *pt, uint64_t now)
{
	pt->active = false;
	pt->sig_private = pt->interval_ns ? ++pt->requeue : 0;
	if (timer_send(pt) > 0 && pt->interval_ns) {
		pt->overrun += ktimer_forward(&pt->expires_ns, pt->interval_ns,
					      now);
		pt->requeue++;
		pt->active = true;
		timer_arm(pt);
	}
}

static void timer_ktimer_fired(struct ktimer *t)
{
	struct posix_timer *pt = container_of(t, struct posix_timer, timer);

	timer_fire(pt, clock_monotonic_ns());
}

/* An overrun count as the int user space sees, saturated. */
static int overrun_to_int(int64_t overrun)
{
	return overrun > DELAYTIMER_MAX ? DELAYTIMER_MAX : (int)overrun;
}

/*
 * The timer's signal leaves the queue (struct sigqueue.dequeued): a
 * deleted timer is freed; a periodic one whose reload waits on this
 * signal reloads past now and reports the periods missed in @info.
 */
static void timer_dequeued(struct sigqueue *q, siginfo_t *info)
{
	struct posix_timer *pt = container_of(q, struct posix_timer, sq);
	irqflags_t fl = irq_save();
	uint64_t now;

	if (pt->deleted) {
		kfree(pt);
	} else if (info && pt->interval_ns && pt->requeue == pt->sig_private &&
		   timer_now(pt, &now)) {
		pt->overrun += ktimer_forward(&pt->expires_ns, pt->interval_ns,
					      now);
		pt->active = true;
		timer_arm(pt);
		pt->overrun_last = pt->overrun;
		pt->overrun = -1;
		pt->requeue++;
		info->timer.overrun = overrun_to_int(pt->overrun_last +
						     info->timer.overrun);
	}
	irq_restore(fl);
}

/* current's process's timer @id, or NULL. Interrupts masked. */
static struct posix_timer *timer_find(int id)
{
	struct posix_timer *pt;

	list_for_each_entry(pt, &task_leader(current)->posix_timers, link)
		if (pt->id == id)
			return pt;
	return NULL;
}

/*
 * The next free timer id of the process @leader leads; ids count up
 * from 0 and wrap at INT_MAX. Interrupts masked.
 */
static int timer_next_id(struct task *leader)
{
	struct posix_timer *pt;
	int id;
	bool used;

	do {
		id = leader->posix_timer_next_id;
		leader->posix_timer_next_id = (id + 1) & INT32_MAX;
		used = false;
		list_for_each_entry(pt, &leader->posix_timers, link)
			used |= pt->id == id;
	} while (used);
	return id;
}

static unsigned timer_count(struct task *leader)
{
	struct posix_timer *pt;
	unsigned n = 0;

	list_for_each_entry(pt, &leader->posix_timers, link)
		n++;
	return n;
}

/* Check sigevent @ev for current's process; 0 or -EINVAL, as Linux. */
static int sigevent_check(const struct k_sigevent *ev)
{
	struct task *t;

	switch (ev->sigev_notify) {
	case SIGEV_SIGNAL | SIGEV_THREAD_ID:
		t = task_find_vpid(ev->sigev_notify_thread_id);
		if (!t || t->tgid != current->tgid || t->state == TASK_ZOMBIE)
			return -EINVAL;
		/* fallthrough */
	case SIGEV_SIGNAL:
	case SIGEV_THREAD:
		if (ev->sigev_signo <= 0 || ev->sigev_signo > NSIG)
			return -EINVAL;
		return 0;
	case SIGEV_NONE:
		return 0;
	default:
		return -EINVAL;
	}
}

/* A new timer on @clockid, notifying as @ev says (NULL: SIGALRM). */
static void timer_setup(struct posix_timer *pt, int clockid, int id,
			const struct k_sigevent *ev)
{
	pt->leader = task_leader(current);
	pt->id = id;
	pt->clockid = clockid;
	pt->cpu_thread = current->pid;
	pt->overrun = -1;
	ktimer_init(&pt->timer, timer_ktimer_fired);
	list_init(&pt->sq.link);
	pt->sq.dequeued = timer_dequeued;
	pt->sq.info.si_code = SI_TIMER;
	pt->sq.info.timer.tid = id;
	if (ev) {
		pt->notify = ev->sigev_notify;
		pt->target = ev->sigev_notify_thread_id;
		pt->sq.info.si_signo = ev->sigev_signo;
		pt->sq.info.timer.value = ev->sigev_value;
	} else {
		pt->notify = SIGEV_SIGNAL;
		pt->sq.info.si_signo = SIGALRM;
		pt->sq.info.timer.value = (uint32_t)id;
	}
}

/* timer_create(clockid, sevp, timerid): 0 or -errno. */
SYSCALL(__NR_timer_create, timer_create)(SYSCALL_ARGS)
{
	int clockid = (int)a0;
	struct task *leader = task_leader(current);
	struct k_sigevent ev;
	struct posix_timer *pt;
	irqflags_t fl;
	int id, err;

	if (!uptr_null(UPTR(a1)) && get_user(ev, UPTR(a1)))
		return -EFAULT;
	err = clock_check(clockid);
	if (err)
		return err;
	if (timer_count(leader) >= leader->rlim[RLIMIT_SIGPENDING].cur)
		return -EAGAIN;
	pt = kzalloc(sizeof(*pt));
	if (!pt)
		return -EAGAIN;
	/* As Linux, the id is taken before the sigevent and the result
	 * pointer are checked: a failure still uses it up. */
	fl = irq_save();
	id = timer_next_id(leader);
	irq_restore(fl);
	err = uptr_null(UPTR(a1)) ? 0 : sigevent_check(&ev);
	if (!err && put_user(id, UPTR(a2)))
		err = -EFAULT;
	if (err) {
		kfree(pt);
		return err;
	}
	timer_setup(pt, clockid, id, uptr_null(UPTR(a1)) ? NULL : &ev);
	fl = irq_save();
	list_add_tail(&pt->link, &leader->posix_timers);
	irq_restore(fl);
	return 0;
}

/* The setting timer_gettime reports (Linux's common_timer_get). */
static struct itimerspec64 timer_setting(struct posix_timer *pt)
{
	struct itimerspec64 its;
	bool none = pt->notify == SIGEV_NONE;
	uint64_t now;

	memset(&its, 0, sizeof(its));
	if (pt->interval_ns)
		its.it_interval = ns_to_timespec(pt->interval_ns);
	else if (!pt->active && !none)
		return its;
	if (!timer_now(pt, &now))
		return its;
	/* A reload waiting on its signal, or a silent timer, moves on. */
	if (pt->interval_ns && ((pt->requeue & REQUEUE_PENDING) || none))
		pt->overrun += ktimer_forward(&pt->expires_ns, pt->interval_ns,
					      now);
	if (pt->expires_ns > now)
		its.it_value = ns_to_timespec(pt->expires_ns - now);
	else if (!none)
		its.it_value.tv_nsec = 1;	/* about to fire */
	return its;
}

/* Arm or disarm @pt (Linux's common_timer_set). Interrupts masked. */
static void timer_set(struct posix_timer *pt, int flags,
		      const struct itimerspec64 *new)
{
	uint64_t value = timespec_to_ns(&new->it_value), now;

	pt->interval_ns = 0;
	ktimer_cancel(&pt->timer);
	pt->active = false;
	pt->requeue = (pt->requeue + 2) & ~REQUEUE_PENDING;
	pt->overrun_last = 0;
	if (!value || !timer_now(pt, &now))
		return;
	pt->interval_ns = timespec_to_ns(&new->it_interval);
	pt->expires_ns = ktimer_expiry(pt->clockid, flags & TIMER_ABSTIME,
				       value, now);
	if (pt->notify != SIGEV_NONE) {
		pt->active = true;
		timer_arm(pt);
	}
}

/* timer_settime(timerid, flags, new, old): 0 or -errno. */
SYSCALL(__NR_timer_settime, timer_settime)(SYSCALL_ARGS)
{
	struct itimerspec64 new, old;
	struct posix_timer *pt;
	irqflags_t fl;

	if (uptr_null(UPTR(a2)))
		return -EINVAL;
	if (get_user(new, UPTR(a2)))
		return -EFAULT;
	if (!itimerspec_valid(&new))
		return -EINVAL;
	fl = irq_save();
	pt = timer_find((int)a0);
	if (!pt) {
		irq_restore(fl);
		return -EINVAL;
	}
	if (!uptr_null(UPTR(a3)))
		old = timer_setting(pt);
	timer_set(pt, (int)a1, &new);
	irq_restore(fl);
	if (!uptr_null(UPTR(a3)) && put_user(old, UPTR(a3)))
		return -EFAULT;
	return 0;
}

/* timer_gettime(timerid, cur): the time to the next expiry and period. */
SYSCALL(__NR_timer_gettime, timer_gettime)(SYSCALL_ARGS)
{
	struct itimerspec64 cur;
	struct posix_timer *pt;
	irqflags_t fl = irq_save();

	pt = timer_find((int)a0);
	if (pt)
		cur = timer_setting(pt);
	irq_restore(fl);
	if (!pt)
		return -EINVAL;
	return put_user(cur, UPTR(a1)) ? -EFAULT : 0;
}

/* timer_getoverrun(timerid): the overrun of the last signal delivered. */
SYSCALL(__NR_timer_getoverrun, timer_getoverrun)(SYSCALL_ARGS)
{
	struct posix_timer *pt;
	irqflags_t fl = irq_save();
	long ret = -EINVAL;

	pt = timer_find((int)a0);
	if (pt)
		ret = overrun_to_int(pt->overrun_last);
	irq_restore(fl);
	return ret;
}

/*
 * Unlink and stop @pt; free it, or leave that to its queued signal,
 * which is still delivered (as Linux 6.1). Interrupts masked.
 */
static void timer_destroy(struct posix_timer *pt)
{
	list_del(&pt->link);
	ktimer_cancel(&pt->timer);
	pt->active = false;
	if (list_empty(&pt->sq.link))
		kfree(pt);
	else
		pt->deleted = true;
}

/* timer_delete(timerid): 0 or -EINVAL. */
SYSCALL(__NR_timer_delete, timer_delete)(SYSCALL_ARGS)
{
	struct posix_timer *pt;
	irqflags_t fl = irq_save();

	pt = timer_find((int)a0);
	if (pt)
		timer_destroy(pt);
	irq_restore(fl);
	return pt ? 0 : -EINVAL;
}

/* See posix_timer.h. */
void posix_timers_exit(struct task *leader)
{
	struct posix_timer *pt, *n;
	irqflags_t fl = irq_save();

	list_for_each_entry_safe(pt, n, &leader->posix_timers, link)
		timer_destroy(pt);
	irq_restore(fl);
}

/* See posix_timer.h. */
void posix_cpu_timers_tick(struct task *t)
{
	struct posix_timer *pt, *n;
	uint64_t now;

	list_for_each_entry_safe(pt, n, &task_leader(t)->posix_timers, link) {
		if (!pt->active || !is_cpu_clock(pt->clockid) ||
		    (pt->clockid == CLOCK_THREAD_CPUTIME_ID &&
		     pt->cpu_thread != t->pid))
			continue;
		if (timer_now(pt, &now) && now >= pt->expires_ns)
			timer_fire(pt, now);
	}
}
