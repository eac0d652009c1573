/*
 * The scheduler: a round-robin run queue of runnable tasks, the idle
 * thread, wait queues and timed sleeps, the tick (time slices, timed
 * wake-ups, ITIMER_REAL) and the load average.
 */
#include <kernel/task.h>
#include <kernel/signal.h>
#include <kernel/mm.h>
#include <platform/console.h>
#include <platform/heap.h>
#include <platform/time.h>
#include <uapi/errno.h>

#define SLICE_TICKS	5	/* 50 ms */

struct task *current;
static LIST_HEAD(run_queue);
static struct task *idle_task;
static unsigned nr_running;	/* on the run queue, plus current */
static unsigned long avenrun[3];

/* Dead tasks freed by the next one to run (they cannot free their stack). */
static struct task *dead_task;
void task_free(struct task *t);

void sched_make_runnable(struct task *t)
{
	irqflags_t fl = irq_save();

	if (t->state == TASK_SLEEPING || t->state == TASK_STOPPED) {
		t->state = TASK_RUNNING;
		t->wake_deadline_ns = 0;
		if (t != current) {
			list_add_tail(&t->run_link, &run_queue);
			/* Let the woken task run soon, as Linux's wakeup preemption does. */
			if (current)
				current->need_resched = true;
		}
	}
	irq_restore(fl);
}

void sched_add_new(struct task *t)
{
	irqflags_t fl = irq_save();

	t->state = TASK_RUNNING;
	t->slice = SLICE_TICKS;
	list_add_tail(&t->run_link, &run_queue);
	irq_restore(fl);
}

/* Free the task that exited and reaped itself, once off its stack. */
void sched_defer_free(struct task *t)
{
	dead_task = t;
}

void schedule(void)
{
	irqflags_t fl = irq_save();
	struct task *prev = current, *next;

	prev->need_resched = false;
	if (prev->state == TASK_RUNNING && prev != idle_task)
		list_add_tail(&prev->run_link, &run_queue);
	if (list_empty(&run_queue)) {
		next = idle_task;
	} else {
		next = list_first_entry(&run_queue, struct task, run_link);
		list_del(&next->run_link);
	}
	if (next != prev) {
		if (next->mm)
			mm_activate(next->mm);
		if (!next->slice)
			next->slice = SLICE_TICKS;
		current = next;
		cpu_switch(&prev->cpu, &next->cpu);
	}
	if (dead_task && dead_task != current) {
		task_free(dead_task);
		dead_task = NULL;
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

void sched_tick(void)
{
	uint64_t now = clock_monotonic_ns();
	struct task *t;

	if (current != idle_task) {
		current->utime_ticks++;
		if (current->slice && --current->slice == 0)
			current->need_resched = true;
	}
	for_each_task(t) {
		if (t->state == TASK_SLEEPING && t->wake_deadline_ns &&
		    now >= t->wake_deadline_ns)
			sched_make_runnable(t);
		if (t->itimer_deadline_ns && now >= t->itimer_deadline_ns &&
		    t->state != TASK_ZOMBIE) {
			t->itimer_deadline_ns = t->itimer_interval_ns ?
				now + t->itimer_interval_ns : 0;
			send_signal(t, SIGALRM, NULL);
		}
	}
	if (clock_ticks() % (5 * HZ) == 0)
		calc_load();
	if (current == idle_task && !list_empty(&run_queue))
		current->need_resched = true;
}

void wq_wake_all(struct wait_queue *wq)
{
	irqflags_t fl = irq_save();
	struct waiter *w;

	list_for_each_entry(w, &wq->waiters, link)
		sched_make_runnable(w->task);
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

int wq_sleep(struct wait_queue *wq, uint64_t deadline_ns)
{
	struct waiter w = { .task = current };
	int ret;

	list_add_tail(&w.link, &wq->waiters);
	ret = sched_sleep_until(deadline_ns);
	list_del(&w.link);
	return ret;
}

int sleep_ns(uint64_t ns, uint64_t *left)
{
	uint64_t deadline = clock_monotonic_ns() + ns;
	irqflags_t fl = irq_save();
	int ret = 0;

	while (clock_monotonic_ns() < deadline) {
		ret = sched_sleep_until(deadline);
		if (ret)
			break;
	}
	irq_restore(fl);
	if (ret && left) {
		uint64_t now = clock_monotonic_ns();

		*left = now < deadline ? deadline - now : 0;
	}
	return ret;
}

static void idle_loop(void *arg)
{
	for (;;) {
		irq_disable();
		if (list_empty(&run_queue)) {
			cpu_idle();	/* sti; hlt: wakes on the next interrupt */
			continue;
		}
		schedule();
	}
}

void sched_init(struct task *first)
{
	idle_task = kzalloc(sizeof(*idle_task));
	void *stack = kmalloc(KSTACK_SIZE);

	if (!idle_task || !stack)
		panic("sched_init: no memory for the idle thread");
	idle_task->kstack = stack;
	idle_task->pid = 0;
	idle_task->state = TASK_RUNNING;
	cpu_thread_init(&idle_task->cpu, (uint64_t)stack + KSTACK_SIZE,
			idle_loop, NULL);
	current = first;
}

void kernel_timer_tick(void)
{
	sched_tick();
}
