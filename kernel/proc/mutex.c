/*
 * Mutexes (include/svc/mutex.h): an owner and a FIFO of sleepers, each
 * a waiter on its sleeper's stack. Their state is the kernel's, under
 * the kernel lock; no interrupt handler touches a mutex, so the
 * uncontended take and give are a test and a store, and only a sleep
 * and a wake-up mask interrupts (as the scheduler wants them masked
 * around its state); the give hands the lock straight to
 * the first sleeper (owner set before it is woken), so a task that
 * comes later cannot take it first and a woken sleeper has only to see
 * that it is the owner.
 *
 * Where the profile checks mutexes (CONFIG_MUTEX_CHECKS) the take checks
 * the context (a task, no spinlock held; interrupts may be off, as this
 * kernel sleeps with them masked: a wait queue's sleep wants them so, and
 * the page-fault path that fills a page through a service runs so) and
 * recursion, the
 * give the owner, each panicking naming the lock and the sites; the
 * classes a task's mutexes belong to go through the spinlocks'
 * lock-order graph (lock_order_take) on a stack of its own
 * (task.mutexes), which sleeps with it. A spinlock taken inside a mutex
 * adds no edge: no mutex can be taken inside a spinlock, so no cycle can
 * pass from a spinlock back to a mutex, and the graph misses none.
 */
#include <svc/mutex.h>
#include <kernel/task.h>
#include <platform/panic.h>
#include <platform/smp.h>
#include <platform/spinlock.h>

/* A sleeper, on its own stack while it waits. */
struct mutex_waiter {
	struct mutex_waiter *next;
	struct task *task;
};

void mutex_init(struct mutex *m, struct lock_class *class)
{
	m->owner = NULL;
	m->head = m->tail = NULL;
#if CONFIG_MUTEX_CHECKS
	m->site = NULL;
	m->class = class;
#else
	(void)class;
#endif
}

#if CONFIG_MUTEX_CHECKS
/* The class's name, for a report; a mutex never given one says so. */
static const char *mutex_name(const struct mutex *m)
{
	return m->class ? m->class->name : "(no class)";
}

/* Before taking @m at @site: the context, recursion, then the order. */
static __noinline void mutex_check_take(struct mutex *m, const char *site)
{
	unsigned spins = spin_held_count();

	if (unlikely(!current))
		panic("mutex %s: taken at %s outside task context",
		      mutex_name(m), site);
	if (unlikely(spins))
		panic("mutex %s: taken at %s while holding %u spinlock%s",
		      mutex_name(m), site, spins, spins == 1 ? "" : "s");
	if (unlikely(m->owner == current))
		panic("mutex %s: recursion: task %d holds it (taken at %s) "
		      "and takes it again at %s", mutex_name(m), current->pid,
		      m->site, site);
	if (unlikely(!m->class))
		panic("mutex (no class): taken at %s, never given a class "
		      "(mutex_init)", site);
	lock_order_take(&current->mutexes, m, m->class, site);
}

/* Before giving @m back at @site: the owner; forget the order entry. */
static __noinline void mutex_check_give(struct mutex *m, const char *site)
{
	if (unlikely(!current))
		panic("mutex %s: given back at %s outside task context",
		      mutex_name(m), site);
	if (unlikely(m->owner != current)) {
		if (m->owner)
			panic("mutex %s: given back by task %d at %s, but task "
			      "%d holds it (taken at %s)", mutex_name(m),
			      current->pid, site, m->owner->pid, m->site);
		panic("mutex %s: given back by task %d at %s, but no task "
		      "holds it", mutex_name(m), current->pid, site);
	}
	KASSERT(lockorder_release(&current->mutexes, m));
	m->site = NULL;
}
#endif

/* The contended take: queue, sleep until the give hands @m over. */
static __noinline void mutex_wait(struct mutex *m)
{
	struct mutex_waiter w = { .task = current };
	irqflags_t fl = irq_save();

	if (m->tail)
		m->tail->next = &w;
	else
		m->head = &w;
	m->tail = &w;
	/* A signal's wake-up is not the give: sleep again. */
	while (m->owner != current) {
		current->state = TASK_SLEEPING;
		schedule();
	}
	irq_restore(fl);
}

/* The give with sleepers: the first becomes the owner and is woken. */
static __noinline void mutex_hand_off(struct mutex *m)
{
	irqflags_t fl = irq_save();
	struct mutex_waiter *w = m->head;

	m->head = w->next;
	if (!m->head)
		m->tail = NULL;
	m->owner = w->task;
	sched_make_runnable(w->task);
	irq_restore(fl);
}

void mutex_lock_at(struct mutex *m, const char *site)
{
#if CONFIG_MUTEX_CHECKS
	mutex_check_take(m, site);
#else
	(void)site;
#endif
	if (likely(!m->owner))
		m->owner = current;
	else
		mutex_wait(m);
#if CONFIG_MUTEX_CHECKS
	m->site = site;
#endif
}

void mutex_unlock_at(struct mutex *m, const char *site)
{
#if CONFIG_MUTEX_CHECKS
	mutex_check_give(m, site);
#else
	(void)site;
#endif
	if (likely(!m->head))
		m->owner = NULL;
	else
		mutex_hand_off(m);
}

bool mutex_held(const struct mutex *m)
{
	return m->owner && m->owner == current;
}

void mutex_not_held(const struct mutex *m, const char *fn)
{
#if CONFIG_MUTEX_CHECKS
	panic("%s: called without mutex %s", fn, mutex_name(m));
#else
	panic("%s: called without its mutex", fn);
#endif
}
