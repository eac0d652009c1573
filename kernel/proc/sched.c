/*
 * The scheduler, a small model of Linux's CFS: each task accrues virtual
 * runtime as it runs, the runnable task with the least runs next, a woken
 * sleeper gets a bounded credit and preempts the running task only when
 * it is well behind it (so programs see the orderings they see on Linux).
 * Also the idle threads, wait queues and timed sleeps, the ticks (timed
 * wake-ups, ITIMER_REAL) and the load average.
 *
 * Real-time tasks (SCHED_FIFO, SCHED_RR) come before all of those: the
 * highest priority runs, equals in queue order, a woken or queued one
 * preempts a task of lower priority at once on its CPU (at the next tick
 * on another), and SCHED_RR gives way to its equals after its slice
 * (kernel.sched_rr_timeslice_ms). There is no real-time throttling.
 *
 * With more than one CPU there is still one run queue: every CPU runs
 * under the kernel lock (include/platform/smp.h), picks the task with
 * the least virtual runtime when it schedules, and a wake-up that finds
 * a CPU idle kicks it, so that the work spreads by itself.
 */
#include <kernel/task.h>
#include <kernel/net_service.h>
#include <kernel/signal.h>
#include <kernel/rseq.h>
#include <kernel/mm.h>
#include <kernel/ktimer.h>
#include <kernel/posix_timer.h>
#include <kernel/klog.h>
#include <platform/panic.h>
#include <platform/heap.h>
#include <platform/time.h>
#include <platform/kstack.h>
#include <platform/smp.h>
#include <platform/printk.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include <uapi/sched.h>
#include "proc_internal.h"

#define SLEEPER_CREDIT_NS	3000000		/* sched_latency / 2 */
#define WAKEUP_GRAN_NS		1000000		/* sched_wakeup_granularity */
#define FORK_DEBIT_NS		3000000		/* START_DEBIT: one slice */

static LIST_HEAD(run_queue);
static unsigned nr_running;	/* on the run queue, plus current */
static unsigned long avenrun[3];
static uint64_t min_vruntime;
static uint64_t nr_switches;	/* context switches since boot */

/* What each CPU keeps: its idle thread, what it runs, its ticks. */
static struct sched_cpu {
	struct task *idle;
	struct task *curr;		/* what it runs (its idle thread too) */
	uint64_t exec_start;		/* when curr was last charged */
	struct task *dead;		/* freed by the next task it runs */
	struct cpu_times times;		/* ticks by kind since boot */
} sched_cpus[CPU_MAX];

static struct sched_cpu *this_sched(void)
{
	return &sched_cpus[cpu_this()];
}

#define idle_task	(this_sched()->idle)

/* Charge @sc's running task for the time since it was last charged. */
static void update_curr(struct sched_cpu *sc)
{
	uint64_t now = clock_monotonic_ns();
	struct task *curr = sc->curr;

	if (curr != sc->idle) {
		curr->vruntime += now - sc->exec_start;
		curr->sum_exec_ns += now - sc->exec_start;
	}
	sc->exec_start = now;
}

static bool cpu_allowed(const struct task *t, unsigned cpu)
{
	return t->cpus_allowed & (1ULL << cpu);
}

/* The number of the CPU whose block @sc is. */
static unsigned sched_cpu_id(const struct sched_cpu *sc)
{
	return (unsigned)(sc - sched_cpus);
}

/* A real-time task's priority; 0 for the fair policies. */
static unsigned rt_rank(const struct task *t)
{
	int policy = t->sched.policy;

	return policy == SCHED_FIFO || policy == SCHED_RR ? t->sched.priority : 0;
}

static bool less_vruntime(const struct task *t, const struct task *best)
{
	return !best || (int64_t)(t->vruntime - best->vruntime) < 0;
}

/* Whether @t runs before @best, of those queued before it (or NULL). */
static bool runs_before(const struct task *t, const struct task *best)
{
	if (!best || rt_rank(t) != rt_rank(best))
		return !best || rt_rank(t) > rt_rank(best);
	return !rt_rank(t) && less_vruntime(t, best);
}

/* Whether @t, just woken, should take the CPU from @curr at once. */
static bool wakeup_preempts(const struct task *t, const struct task *curr)
{
	if (rt_rank(t) != rt_rank(curr))
		return rt_rank(t) > rt_rank(curr);
	return !rt_rank(t) &&
	       (int64_t)(curr->vruntime - t->vruntime) > WAKEUP_GRAN_NS;
}

/*
 * Whether queued @next should take the CPU from @curr at a tick: a
 * higher priority, an equal one when @curr's SCHED_RR slice has ended
 * (@slice_over), or among fair tasks less virtual runtime.
 */
static bool tick_preempts(const struct task *curr, const struct task *next,
			  bool slice_over)
{
	if (rt_rank(next) != rt_rank(curr))
		return rt_rank(next) > rt_rank(curr);
	if (rt_rank(curr))
		return slice_over;
	return (int64_t)(curr->vruntime - next->vruntime) > 0;
}

/*
 * One pass over the queue: the task that runs first (runs_before) of
 * those @sc's CPU may run (sched_setaffinity), or NULL; and in *@least,
 * the one with the least virtual runtime of all, for min_vruntime.
 */
static struct task *queue_scan(const struct sched_cpu *sc, struct task **least)
{
	uint64_t mine = 1ULL << sched_cpu_id(sc);
	struct task *t, *best = NULL, *all = NULL;

	list_for_each_entry(t, &run_queue, run_link) {
		if (less_vruntime(t, all))
			all = t;
		if ((t->cpus_allowed & mine) && runs_before(t, best))
			best = t;
	}
	*least = all;
	return best;
}

/* What this CPU should run next from the queue, or NULL. */
static struct task *pick_next(void)
{
	struct task *least;

	return queue_scan(this_sched(), &least);
}

/* Advance min_vruntime to the least of @sc's running task and @least. */
static void update_min_vruntime(const struct sched_cpu *sc,
				const struct task *least)
{
	uint64_t v = sc->curr != sc->idle ? sc->curr->vruntime : UINT64_MAX;

	if (least && least->vruntime < v)
		v = least->vruntime;
	if (v != UINT64_MAX && v > min_vruntime)
		min_vruntime = v;
}

/* The CPU that runs @t right now, or -1. */
static int running_cpu(const struct task *t)
{
	unsigned cpu = t->cpu.cpu;

	return cpu < CPU_MAX && sched_cpus[cpu].curr == t ? (int)cpu : -1;
}

void sched_kick(struct task *t)
{
	int cpu = running_cpu(t);

	if (cpu >= 0)
		cpu_kick(cpu);
}

uint64_t sched_runtime_ns(const struct task *t)
{
	irqflags_t fl = irq_save();
	int cpu = running_cpu(t);
	uint64_t ns = t->sum_exec_ns;

	if (cpu >= 0 && t != sched_cpus[cpu].idle)
		ns += clock_monotonic_ns() - sched_cpus[cpu].exec_start;
	irq_restore(fl);
	return ns;
}

struct task *sched_cpu_task(unsigned cpu)
{
	return sched_cpus[cpu].curr;
}

void sched_set_allowed(struct task *t, uint64_t mask)
{
	KASSERT_KLOCK_HELD();
	irqflags_t fl = irq_save();
	int cpu = running_cpu(t);

	t->cpus_allowed = mask;
	if (cpu >= 0 && !cpu_allowed(t, (unsigned)cpu)) {
		t->need_resched = true;	/* schedule() hands it on */
		sched_kick(t);
	}
	irq_restore(fl);
}

/* Kick an idle CPU other than this one that may run @t; true if any. */
static bool kick_idle_cpu(const struct task *t)
{
	unsigned me = cpu_this(), n = cpu_online_count();

	for (unsigned i = 0; i < n; i++) {
		if (i != me && sched_cpus[i].curr == sched_cpus[i].idle &&
		    cpu_allowed(t, i)) {
			cpu_kick(i);
			return true;
		}
	}
	return false;
}

void sched_make_runnable(struct task *t)
{
	KASSERT_KLOCK_HELD();
	irqflags_t fl = irq_save();

	if (t->state == TASK_RUNNING && t != current)
		sched_kick(t);		/* on another CPU: a signal, say */
	if (t->state == TASK_SLEEPING || t->state == TASK_STOPPED ||
	    t->state == TASK_TRACED) {
		t->state = TASK_RUNNING;
		t->wake_deadline_ns = 0;
		if (t != current) {
			/* A sleeper is placed at most a little behind the pack. */
			if ((int64_t)(t->vruntime - (min_vruntime - SLEEPER_CREDIT_NS)) < 0)
				t->vruntime = min_vruntime - SLEEPER_CREDIT_NS;
			list_add_tail(&t->run_link, &run_queue);
			update_curr(this_sched());
			if (!cpu_allowed(t, cpu_this()))
				kick_idle_cpu(t);
			else if (current == idle_task)
				current->need_resched = true;
			else if (!kick_idle_cpu(t) && wakeup_preempts(t, current))
				current->need_resched = true;
		}
	}
	irq_restore(fl);
}

void sched_add_new(struct task *t)
{
	KASSERT_KLOCK_HELD();
	irqflags_t fl = irq_save();
	struct sched_cpu *sc = this_sched();
	struct task *least;

	update_curr(sc);
	queue_scan(sc, &least);
	update_min_vruntime(sc, least);
	t->state = TASK_RUNNING;
	t->vruntime = MAX(current->vruntime, min_vruntime) + FORK_DEBIT_NS;
	list_add_tail(&t->run_link, &run_queue);
	kick_idle_cpu(t);
	irq_restore(fl);
}

/*
 * Free @t, the task that exited and reaped itself, once off its stack.
 * One that an earlier task left here is off its stack by now (this CPU
 * runs another), though no schedule() may have freed it yet: a new
 * child's first run does not pass through its tail.
 */
void sched_defer_free(struct task *t)
{
	struct sched_cpu *sc = this_sched();

	KASSERT(t == current);
	if (sc->dead && sc->dead != current)
		task_free(sc->dead);
	sc->dead = t;
}

void schedule(void)
{
	KASSERT_KLOCK_HELD();
	irqflags_t fl = irq_save();
	struct sched_cpu *sc = this_sched();
	struct task *prev = sc->curr, *next, *least;

	prev->need_resched = false;
	update_curr(sc);
	if (prev->state == TASK_RUNNING && prev != sc->idle) {
		list_add_tail(&prev->run_link, &run_queue);
		if (!cpu_allowed(prev, sched_cpu_id(sc)))	/* its mask moved it */
			kick_idle_cpu(prev);
	}
	next = queue_scan(sc, &least);
	update_min_vruntime(sc, least);
	if (next)
		list_del(&next->run_link);
	else
		next = sc->idle;
	if (next != prev) {
		/* As Linux counts them: a runnable task was preempted. */
		if (prev->state == TASK_RUNNING)
			prev->nivcsw++;
		else
			prev->nvcsw++;
		rseq_preempt(prev);
		nr_switches++;
		if (next->mm)
			mm_activate(next->mm);
		sc->curr = next;
		cpu_switch(&prev->cpu, &next->cpu);
		sc = this_sched();	/* prev may come back on another CPU */
	}
	if (sc->dead && sc->dead != current) {
		task_free(sc->dead);
		sc->dead = NULL;
	}
	irq_restore(fl);
}

unsigned sched_nr_running(void)
{
	unsigned n = 0;
	struct task *t;

	for_each_task(t)
		if (t->state == TASK_RUNNING)
			n++;
	return n;
}

uint64_t sched_nr_switches(void)
{
	return nr_switches;
}

static void cpu_times_add(struct cpu_times *sum, const struct cpu_times *c)
{
	sum->user += c->user;
	sum->nice += c->nice;
	sum->system += c->system;
	sum->idle += c->idle;
}

void sched_cpu_times(struct cpu_times *c)
{
	memset(c, 0, sizeof(*c));
	for (unsigned i = 0; i < cpu_online_count(); i++)
		cpu_times_add(c, &sched_cpus[i].times);
}

void sched_cpu_times_of(unsigned cpu, struct cpu_times *c)
{
	*c = sched_cpus[cpu].times;
}

void sched_loadavg(unsigned long avg[3])
{
	for (int i = 0; i < 3; i++)
		avg[i] = avenrun[i];
}

/* Linux's calc_load: exponential decay every 5 s. */
static void calc_load(void)
{
	static const unsigned long exp[3] = { 1884, 2014, 2037 };
	const unsigned long fixed_1 = 1UL << LOADAVG_FSHIFT;
	unsigned long active = (nr_running = sched_nr_running()) * fixed_1;

	for (int i = 0; i < 3; i++) {
		avenrun[i] = avenrun[i] * exp[i] + active * (fixed_1 - exp[i]);
		avenrun[i] = (avenrun[i] + (fixed_1 / 2)) >> LOADAVG_FSHIFT;
	}
}

/* This CPU's share of a tick: its accounting and its preemption. */
static void sched_cpu_tick(bool user)
{
	struct sched_cpu *sc = this_sched();
	struct task *curr = sc->curr, *next, *least;
	bool slice_over = false;

	if (curr == sc->idle) {
		sc->times.idle++;
		if (pick_next())
			curr->need_resched = true;
		return;
	}
	if (user && curr->nice > 0)
		sc->times.nice++;
	else if (user)
		sc->times.user++;
	else
		sc->times.system++;
	if (user)
		curr->utime_ticks++;
	else
		curr->stime_ticks++;
	itimer_cpu_tick(curr, user);
	posix_cpu_timers_tick(curr);
	rlimit_cpu_tick(curr);
	update_curr(sc);
	if (curr->sched.policy == SCHED_RR &&
	    ++curr->rr_ticks >= sched_rr_timeslice_ticks()) {
		curr->rr_ticks = 0;
		slice_over = true;
	}
	next = queue_scan(sc, &least);
	update_min_vruntime(sc, least);
	/* Tick preemption: a higher priority, or less of the CPU so far. */
	if (next && tick_preempts(curr, next, slice_over))
		curr->need_resched = true;
}

/* When the timer work last ran (run_timers). */
static uint64_t timers_last_ns;

/* Timed wake-ups, interval timers, kernel timers, the network's timers. */
static void run_timers(uint64_t now)
{
	struct task *t;

	timers_last_ns = now;
	for_each_task(t) {
		if (t->state == TASK_SLEEPING && t->wake_deadline_ns &&
		    now >= t->wake_deadline_ns)
			sched_make_runnable(t);
		if (t->itimer_deadline_ns && now >= t->itimer_deadline_ns &&
		    t->state != TASK_ZOMBIE) {
			t->itimer_deadline_ns = t->itimer_interval_ns ?
				now + t->itimer_interval_ns : 0;
			send_signal_process(t, SIGALRM, NULL);
		}
	}
	ktimer_run(now);
	netd_tick(now);
	log_wait_tick();	/* /dev/kmsg and syslog readers */
}

void sched_tick(bool user)
{
	sched_cpu_tick(user);
	run_timers(clock_monotonic_ns());
	if (clock_ticks() % (5 * HZ) == 0)
		calc_load();
}

void wq_wake_all(struct wait_queue *wq)
{
	irqflags_t fl = irq_save();
	struct waiter *w, *next;

	list_for_each_entry_safe(w, next, &wq->waiters, link) {
		if (w->wake)
			w->wake(w);
		else
			sched_make_runnable(w->task);
	}
	irq_restore(fl);
}

/* See wait.h. */
void wq_release(struct wait_queue *wq)
{
	irqflags_t fl = irq_save();

	wq_wake_all(wq);
	while (!list_empty(&wq->waiters))
		list_del(wq->waiters.next);
	irq_restore(fl);
}

int sched_sleep_until(uint64_t deadline_ns)
{
	if (signal_pending())
		return -ERESTARTSYS;
	if (deadline_ns && clock_monotonic_ns() >= deadline_ns)
		return 0;
	current->state = TASK_SLEEPING;
	current->wake_deadline_ns = deadline_ns;
	schedule();
	current->wake_deadline_ns = 0;
	return signal_pending() ? -ERESTARTSYS : 0;
}

void sched_sleep_ticks(unsigned ticks)
{
	irqflags_t fl = irq_save();

	current->state = TASK_SLEEPING;
	current->wake_deadline_ns = clock_monotonic_ns() +
				    ticks * (NSEC_PER_SEC / HZ);
	schedule();
	irq_restore(fl);
}

int wq_sleep(struct wait_queue *wq, uint64_t deadline_ns)
{
	struct waiter w = { .task = current };
	int ret;

	list_add_tail(&w.link, &wq->waiters);
	ret = sched_sleep_until(deadline_ns);
	list_del(&w.link);
	return ret;
}

/* See wait.h. */
void wq_sleep_nosignal(struct wait_queue *wq)
{
	struct waiter w = { .task = current };

	list_add_tail(&w.link, &wq->waiters);
	current->state = TASK_SLEEPING;
	schedule();
	list_del(&w.link);
}

/* See wait.h. */
uint64_t wq_deadline(uint64_t timeo_ns)
{
	return timeo_ns ? clock_monotonic_ns() + timeo_ns : 0;
}

/* See wait.h. */
int wq_wait_deadline(struct wait_queue *wq, bool nonblock, uint64_t deadline,
		     bool (*cond)(const void *arg), const void *arg)
{
	irqflags_t fl;
	int err = 0;

	if (cond(arg))
		return 0;
	if (nonblock)
		return -EAGAIN;
	fl = irq_save();
	while (!cond(arg)) {
		if (deadline && clock_monotonic_ns() >= deadline) {
			err = -EAGAIN;
			break;
		}
		if (wq_sleep(wq, deadline)) {
			err = deadline ? -EINTR : -ERESTARTSYS;
			break;
		}
	}
	irq_restore(fl);
	return err;
}

int sched_sleep_deadline(uint64_t deadline_ns)
{
	irqflags_t fl = irq_save();
	int ret = 0;

	while (clock_monotonic_ns() < deadline_ns) {
		ret = sched_sleep_until(deadline_ns);
		if (ret)
			break;
	}
	irq_restore(fl);
	return ret;
}

static void idle_loop(void *arg)
{
	for (;;) {
		irq_disable();
		if (!pick_next()) {
			cpu_idle();	/* sti; hlt: wakes on the next interrupt */
			continue;
		}
		schedule();
	}
}

/* A CPU's idle thread, pid 0, "swapper/N" as Linux names them. */
static struct task *idle_new(unsigned cpu)
{
	struct task *t = kzalloc(sizeof(*t));
	void *stack = kstack_alloc();

	if (!t || !stack)
		panic("sched: no memory for CPU %u's idle thread", cpu);
	t->kstack = stack;
	t->pid = 0;
	t->state = TASK_RUNNING;
	snprintf(t->comm, sizeof(t->comm), "swapper/%u", cpu);
	t->cpu.kstack_top = kstack_top(stack);
	return t;
}

void sched_init(struct task *first)
{
	struct task *idle = idle_new(0);

	cpu_thread_init(&idle->cpu, idle->cpu.kstack_top, idle_loop, NULL);
	cpu_thread_adopt(&first->cpu);
	sched_cpus[0].idle = idle;
	sched_cpus[0].curr = first;
}

void sched_start_cpus(void)
{
	for (unsigned cpu = 1; cpu < cpu_present_count(); cpu++) {
		struct task *idle = idle_new(cpu);

		sched_cpus[cpu].idle = sched_cpus[cpu].curr = idle;
		if (cpu_start(cpu, &idle->cpu, idle_loop, NULL)) {
			sched_cpus[cpu].idle = sched_cpus[cpu].curr = NULL;
			kstack_free(idle->kstack);
			kfree(idle);
			break;
		}
	}
	if (cpu_online_count() > 1)
		pr_info("smp: %u CPUs online", cpu_online_count());
}

struct task *kthread_start(const char *name, void (*fn)(void *), void *arg)
{
	struct task *t = kzalloc(sizeof(*t));
	void *stack = kstack_alloc();

	if (!t || !stack) {
		kfree(t);
		if (stack)
			kstack_free(stack);
		return NULL;
	}
	t->kstack = stack;
	t->cpus_allowed = ~0ULL;	/* any CPU */
	list_init(&t->posix_timers);	/* none: the tick still looks */
	cred_init_root(&t->cred);
	rlimits_init(t->rlim);		/* init's: no RLIMIT_CPU to check */
	strlcpy(t->comm, name, sizeof(t->comm));
	cpu_thread_init(&t->cpu, kstack_top(stack), fn, arg);
	sched_add_new(t);
	return t;
}

void kernel_timer_tick(bool user)
{
	sched_tick(user);
}

/*
 * Another CPU's tick. The timer work is the boot CPU's tick's, but that
 * tick waits for the kernel lock while a long call runs on another CPU:
 * then the tick of the CPU that holds the lock runs it, once it is half
 * a tick overdue.
 */
void kernel_cpu_tick(bool user)
{
	uint64_t now = clock_monotonic_ns();

	sched_cpu_tick(user);
	if (now - timers_last_ns > 3 * (NSEC_PER_SEC / HZ) / 2)
		run_timers(now);
}
