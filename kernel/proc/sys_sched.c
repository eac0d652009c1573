/*
 * Scheduling system calls: sched_yield, CPU affinity, policies and their
 * parameters (the sched_set/get* family, with Linux's checks and owner
 * rules), priority ranges, the round-robin interval, getcpu.
 *
 * Policies are kept and reported exactly as Linux would; sched.c runs
 * the real-time ones first, by priority.
 */
#include <kernel/task.h>
#include <kernel/pid_ns.h>
#include <kernel/syscall.h>
#include <platform/usercopy.h>
#include <platform/time.h>
#include <platform/smp.h>
#include <platform/frame.h>
#include <svc/vfs.h>
#include <svc/sysfacts.h>
#include <svc/task.h>
#include <aramid/string.h>
#include <uapi/sched.h>
#include "proc_internal.h"

#define SETPARAM_POLICY		(-1)	/* keep the task's policy */

#define SCHED_FLAG_RESET_ON_FORK 0x01
#define SCHED_FLAG_KEEP_POLICY	0x08
#define SCHED_FLAG_KEEP_PARAMS	0x10
#define SCHED_FLAG_ALL		0x7f
#define SCHED_ATTR_SIZE_VER0	48

#define RR_TIMESLICE_MS		100	/* Linux's RR_TIMESLICE */
#define DL_PERIOD_MAX_NS	(4194304ULL * 1000)	/* sched_dl_period_max */
#define DL_PERIOD_MIN_NS	(100ULL * 1000)
#define DL_RUNTIME_MIN_NS	1024ULL		/* 1 << DL_SCALE */

/* The sysctl as written, and SCHED_RR's slice in ticks it gives. */
static int rr_timeslice_ms = RR_TIMESLICE_MS;
static uint64_t rr_timeslice_ticks = RR_TIMESLICE_MS * HZ / 1000;

/* The mask of the online CPUs (at most 64 of them for now). */
static uint64_t online_mask(void)
{
	unsigned n = cpu_count();

	return n >= 64 ? ~0ULL : (1ULL << n) - 1;
}

/* The task @pid names (0: current), or NULL. */
static struct task *sched_target(pid_t pid)
{
	return pid ? task_find_vpid(pid) : current;
}

SYSCALL(__NR_sched_yield, sched_yield)(SYSCALL_ARGS)
{
	schedule();
	return 0;
}

SYSCALL(__NR_sched_getaffinity, sched_getaffinity)(SYSCALL_ARGS)
{
	struct task *t;
	uint64_t mask;

	/* Linux's order: the size, then the task (any bad pid: ESRCH). */
	if ((size_t)a1 < sizeof(mask) || (a1 & 7))
		return -EINVAL;
	t = sched_target((pid_t)a0);
	if (!t)
		return -ESRCH;
	mask = t->cpus_allowed & online_mask();
	/* Linux writes its cpumask_size() bytes alone, not the whole buffer. */
	if (copy_to_user(UPTR(a2), &mask, sizeof(mask)))
		return -EFAULT;
	return sizeof(mask);
}

SYSCALL(__NR_sched_setaffinity, sched_setaffinity)(SYSCALL_ARGS)
{
	struct task *t;
	uint64_t mask = 0;

	/* A shorter mask is zero-extended, a longer one cut (Linux's). */
	if (copy_from_user(&mask, UPTR(a2), MIN((size_t)a1, sizeof(mask))))
		return -EFAULT;
	t = sched_target((pid_t)a0);
	if (!t)
		return -ESRCH;
	if (!task_same_owner(t) && !capable(CAP_SYS_NICE))
		return -EPERM;
	mask &= online_mask();
	if (!mask)
		return -EINVAL;
	sched_set_allowed(t, mask);
	return 0;
}

SYSCALL(__NR_sched_get_priority_max, sched_get_priority_max)(SYSCALL_ARGS)
{
	if (a0 == 1 || a0 == 2)		/* SCHED_FIFO, SCHED_RR */
		return 99;
	/* SCHED_OTHER, BATCH, IDLE and DEADLINE have no priority range. */
	return a0 == 0 || a0 == 3 || a0 == 5 || a0 == 6 ? 0 : -EINVAL;
}

SYSCALL(__NR_sched_get_priority_min, sched_get_priority_min)(SYSCALL_ARGS)
{
	if (a0 == 1 || a0 == 2)
		return 1;
	return a0 == 0 || a0 == 3 || a0 == 5 || a0 == 6 ? 0 : -EINVAL;
}

/* The CPU the caller runs on, and NUMA node 0. */
SYSCALL(__NR_getcpu, getcpu)(SYSCALL_ARGS)
{
	unsigned zero = 0, cpu = cpu_this();

	if (a0 && put_user(cpu, UPTR(a0)))
		return -EFAULT;
	if (a1 && put_user(zero, UPTR(a1)))
		return -EFAULT;
	return 0;
}

/* struct sched_attr of Linux 6.1 (SCHED_ATTR_SIZE_VER1). */
struct sched_attr {
	uint32_t size;
	uint32_t sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime, sched_deadline, sched_period;
	uint32_t sched_util_min, sched_util_max;
};

static bool rt_policy(int policy)
{
	return policy == SCHED_FIFO || policy == SCHED_RR;
}

/* As Linux's __checkparam_dl, with its default period limits. */
static bool dl_params_valid(const struct sched_attr *a)
{
	uint64_t period = a->sched_period ? a->sched_period : a->sched_deadline;

	if (!a->sched_deadline || a->sched_runtime < DL_RUNTIME_MIN_NS ||
	    (a->sched_deadline | a->sched_period) >> 63)
		return false;
	if ((a->sched_period && a->sched_period < a->sched_deadline) ||
	    a->sched_deadline < a->sched_runtime)
		return false;
	return period >= DL_PERIOD_MIN_NS && period <= DL_PERIOD_MAX_NS;
}

/*
 * Linux's rules for an unprivileged caller (__sched_setscheduler without
 * CAP_SYS_NICE): a lower nice within RLIMIT_NICE, real-time policies and
 * priorities within RLIMIT_RTPRIO, no deadline policy, SCHED_IDLE left
 * only as RLIMIT_NICE allows, only one's own tasks, the reset-on-fork
 * flag kept. 0 or -EPERM.
 */
static int sched_may_set(struct task *t, const struct sched_attr *a,
			 bool set_nice, bool fair)
{
	int policy = (int)a->sched_policy;
	uint64_t rtprio = task_rlimits(t)[RLIMIT_RTPRIO].cur;

	if (capable(CAP_SYS_NICE))
		return 0;
	if (fair && set_nice && a->sched_nice < t->nice &&
	    !task_can_nice(t, a->sched_nice))
		return -EPERM;
	if (rt_policy(policy)) {
		if (policy != t->sched.policy && !rtprio)
			return -EPERM;
		if (a->sched_priority > t->sched.priority &&
		    a->sched_priority > rtprio)
			return -EPERM;
	}
	if (policy == SCHED_DEADLINE)
		return -EPERM;
	if (t->sched.policy == SCHED_IDLE && policy != SCHED_IDLE &&
	    !task_can_nice(t, t->nice))
		return -EPERM;
	if (!task_same_owner(t))
		return -EPERM;
	if (t->sched.reset_on_fork &&
	    !(a->sched_flags & SCHED_FLAG_RESET_ON_FORK))
		return -EPERM;
	return 0;
}

/*
 * Check @a (policy already resolved from SETPARAM_POLICY) and apply it to
 * @t: 0, -EINVAL or -EPERM, nothing changed on error. @set_nice applies
 * a->sched_nice to a fair policy (sched_setattr), as Linux clamps it.
 */
static int sched_apply(struct task *t, const struct sched_attr *a,
		       bool set_nice)
{
	int policy = (int)a->sched_policy;
	bool fair = policy == SCHED_OTHER || policy == SCHED_BATCH ||
		    policy == SCHED_IDLE;
	int err;

	if (!fair && !rt_policy(policy) && policy != SCHED_DEADLINE)
		return -EINVAL;
	if (a->sched_priority > 99 || rt_policy(policy) != (a->sched_priority != 0))
		return -EINVAL;
	if (policy == SCHED_DEADLINE && !dl_params_valid(a))
		return -EINVAL;
	err = sched_may_set(t, a, set_nice, fair);
	if (err)
		return err;
	if (policy != t->sched.policy || (rt_policy(policy) &&
					  a->sched_priority != t->sched.priority))
		current->need_resched = true;	/* the order may change */
	if (!(a->sched_flags & SCHED_FLAG_KEEP_PARAMS) || policy != t->sched.policy) {
		t->sched.priority = a->sched_priority;
		t->sched.dl_runtime = policy == SCHED_DEADLINE ? a->sched_runtime : 0;
		t->sched.dl_deadline = policy == SCHED_DEADLINE ? a->sched_deadline : 0;
		t->sched.dl_period = policy == SCHED_DEADLINE ? a->sched_period : 0;
	}
	t->sched.policy = policy;
	t->sched.reset_on_fork = a->sched_flags & SCHED_FLAG_RESET_ON_FORK;
	if (fair && set_nice)
		t->nice = MAX(-20, MIN(19, a->sched_nice));
	return 0;
}

/* setscheduler and setparam: the policy (or SETPARAM_POLICY) and a param. */
static long set_scheduler(pid_t pid, int policy, uptr_t uparam)
{
	struct sched_attr a = { 0 };
	struct task *t;
	int prio;

	if (uptr_null(uparam) || pid < 0)
		return -EINVAL;
	if (copy_from_user(&prio, uparam, sizeof(prio)))
		return -EFAULT;
	t = sched_target(pid);
	if (!t)
		return -ESRCH;
	if (policy == SETPARAM_POLICY) {
		policy = t->sched.policy;
		if (t->sched.reset_on_fork)
			a.sched_flags = SCHED_FLAG_RESET_ON_FORK;
	} else if (policy & SCHED_RESET_ON_FORK) {
		policy &= ~SCHED_RESET_ON_FORK;
		a.sched_flags = SCHED_FLAG_RESET_ON_FORK;
	}
	if (policy < 0 || prio < 0)
		return -EINVAL;
	a.sched_policy = (uint32_t)policy;
	a.sched_priority = (uint32_t)prio;
	return sched_apply(t, &a, false);
}

SYSCALL(__NR_sched_setscheduler, sched_setscheduler)(SYSCALL_ARGS)
{
	return set_scheduler((pid_t)a0, (int)a1, UPTR(a2));
}

SYSCALL(__NR_sched_setparam, sched_setparam)(SYSCALL_ARGS)
{
	return set_scheduler((pid_t)a0, SETPARAM_POLICY, UPTR(a1));
}

SYSCALL(__NR_sched_getparam, sched_getparam)(SYSCALL_ARGS)
{
	struct task *t;
	int prio;

	if (!a1 || (pid_t)a0 < 0)
		return -EINVAL;
	t = sched_target((pid_t)a0);
	if (!t)
		return -ESRCH;
	prio = rt_policy(t->sched.policy) ? (int)t->sched.priority : 0;
	return copy_to_user(UPTR(a1), &prio, sizeof(prio)) ? -EFAULT : 0;
}

SYSCALL(__NR_sched_getscheduler, sched_getscheduler)(SYSCALL_ARGS)
{
	struct task *t;

	if ((pid_t)a0 < 0)
		return -EINVAL;
	t = sched_target((pid_t)a0);
	if (!t)
		return -ESRCH;
	return t->sched.policy |
	       (t->sched.reset_on_fork ? SCHED_RESET_ON_FORK : 0);
}

/*
 * As Linux's sched_copy_attr: size 0 means the first version's 48 bytes;
 * a smaller or larger-than-a-page size, or unknown nonzero trailing bytes,
 * is E2BIG with our size written back.
 */
static int copy_sched_attr(uptr_t uattr, struct sched_attr *a)
{
	uint32_t size;
	uint8_t tail[64];

	if (get_user(size, uattr))
		return -EFAULT;
	if (!size)
		size = SCHED_ATTR_SIZE_VER0;
	if (size < SCHED_ATTR_SIZE_VER0 || size > PAGE_SIZE)
		goto too_big;
	memset(a, 0, sizeof(*a));
	if (copy_from_user(a, uattr, MIN(size, (uint32_t)sizeof(*a))))
		return -EFAULT;
	for (uint32_t off = sizeof(*a); off < size; off += sizeof(tail)) {
		uint32_t n = MIN((uint32_t)sizeof(tail), size - off);

		if (copy_from_user(tail, uptr_add(uattr, off), n))
			return -EFAULT;
		for (uint32_t i = 0; i < n; i++)
			if (tail[i])
				goto too_big;
	}
	a->size = size;
	return 0;
too_big:
	size = sizeof(*a);
	return put_user(size, uattr) ? -EFAULT : -E2BIG;
}

SYSCALL(__NR_sched_setattr, sched_setattr)(SYSCALL_ARGS)
{
	struct sched_attr a;
	struct task *t;
	int err;

	if (!a1 || (pid_t)a0 < 0 || a2)
		return -EINVAL;
	err = copy_sched_attr(UPTR(a1), &a);
	if (err)
		return err;
	if ((int)a.sched_policy < 0 || (a.sched_flags & ~(uint64_t)SCHED_FLAG_ALL))
		return -EINVAL;
	t = sched_target((pid_t)a0);
	if (!t)
		return -ESRCH;
	if (a.sched_flags & SCHED_FLAG_KEEP_POLICY)
		a.sched_policy = (uint32_t)t->sched.policy;
	return sched_apply(t, &a, true);
}

SYSCALL(__NR_sched_getattr, sched_getattr)(SYSCALL_ARGS)
{
	struct sched_attr a = { 0 };
	size_t usize = (size_t)a2;
	struct task *t;

	if (!a1 || (pid_t)a0 < 0 || usize > PAGE_SIZE ||
	    usize < SCHED_ATTR_SIZE_VER0 || a3)
		return -EINVAL;
	t = sched_target((pid_t)a0);
	if (!t)
		return -ESRCH;
	a.size = (uint32_t)MIN(usize, sizeof(a));
	a.sched_policy = (uint32_t)t->sched.policy;
	a.sched_flags = t->sched.reset_on_fork ? SCHED_FLAG_RESET_ON_FORK : 0;
	if (rt_policy(t->sched.policy))
		a.sched_priority = t->sched.priority;
	else if (t->sched.policy != SCHED_DEADLINE)
		a.sched_nice = t->nice;
	a.sched_runtime = t->sched.dl_runtime;
	a.sched_deadline = t->sched.dl_deadline;
	a.sched_period = t->sched.dl_period;
	return copy_to_user(UPTR(a1), &a, a.size) ? -EFAULT : 0;
}

/* Round-robin's slice; none for FIFO and deadline; a tick for the rest. */
SYSCALL(__NR_sched_rr_get_interval, sched_rr_get_interval)(SYSCALL_ARGS)
{
	struct timespec64 ts = { 0 };
	struct task *t;
	uint64_t ns = 0;

	if ((pid_t)a0 < 0)
		return -EINVAL;
	t = sched_target((pid_t)a0);
	if (!t)
		return -ESRCH;
	if (t->sched.policy == SCHED_RR)
		ns = rr_timeslice_ticks * (NSEC_PER_SEC / HZ);
	else if (t->sched.policy != SCHED_FIFO && t->sched.policy != SCHED_DEADLINE)
		ns = NSEC_PER_SEC / HZ;
	ts.sec = (int64_t)(ns / NSEC_PER_SEC);
	ts.nsec = (int64_t)(ns % NSEC_PER_SEC);
	return copy_to_user(UPTR(a1), &ts, sizeof(ts)) ? -EFAULT : 0;
}

/* See task.h. */
unsigned sched_rr_timeslice_ticks(void)
{
	return (unsigned)rr_timeslice_ticks;
}

/* See task.h. */
int sched_rr_timeslice_ms(void)
{
	return rr_timeslice_ms;
}

/* See task.h. */
void sched_set_rr_timeslice_ms(int ms)
{
	if (ms <= 0)
		ms = RR_TIMESLICE_MS;
	rr_timeslice_ms = ms;
	rr_timeslice_ticks = ((uint64_t)ms * HZ + 999) / 1000;
}

/* See proc_internal.h. */
void sched_policy_fork(struct task *child)
{
	if (!child->sched.reset_on_fork)
		return;
	if (child->sched.policy != SCHED_OTHER &&
	    child->sched.policy != SCHED_BATCH && child->sched.policy != SCHED_IDLE)
		child->sched = (struct task_policy){ .policy = SCHED_OTHER };
	child->sched.reset_on_fork = false;
	if (child->nice < 0)
		child->nice = 0;
}
