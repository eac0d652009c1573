/*
 * Mutexes (kernel/proc/mutex.c): a sleeping lock a task holds, for
 * sections that may sleep (a disk request, a user copy that faults, a
 * wait for data). A task that finds it held queues and sleeps; the
 * holder's give hands the lock to the first sleeper in arrival order
 * (FIFO, no barging) and wakes it. The kernel lock still serializes the
 * kernel's CPUs: a mutex matters where its holder sleeps, which hands
 * the CPU and the kernel lock to other tasks that would otherwise walk
 * into the half-done section.
 *
 * Rules: taken and given back in task context (interrupts may be masked:
 * the kernel sleeps so), never while a spinlock is held (a spinlock may be taken inside a mutex); not
 * taken again by its holder; given back by the task that holds it.
 * Where the profile checks mutexes (CONFIG_MUTEX_CHECKS, fortress) each
 * take and give checks them, panicking naming the lock and both sites,
 * and orders the classes (<aramid/lockorder.h>) of the mutexes a task
 * holds in the spinlocks' lock-order graph. Elsewhere the checks, the
 * class and the sites are compiled out.
 *
 * A zeroed mutex is free; give it a class with mutex_init or MUTEX_INIT.
 */
#pragma once
#include <aramid/compiler.h>
#include <aramid/lockorder.h>
#include <aramid/profile.h>

struct task;
struct mutex_waiter;

struct mutex {
	struct task *owner;		/* NULL: free */
	struct mutex_waiter *head;	/* the first sleeper; NULL: none */
	struct mutex_waiter *tail;	/* the last, where a sleeper queues */
#if CONFIG_MUTEX_CHECKS
	const char *site;		/* where the holder took it */
	struct lock_class *class;
#endif
};

#if CONFIG_MUTEX_CHECKS
#define MUTEX_INIT(cls)		{ .class = &(cls) }
#else
#define MUTEX_INIT(cls)		{ .owner = NULL }
#endif

/* Make @m a free mutex of class @class. */
void mutex_init(struct mutex *m, struct lock_class *class);

/*
 * Take @m, sleeping (signals do not end the sleep) until it is this
 * task's. Task context, no spinlock held, @m not held by this task.
 */
#define mutex_lock(m)		mutex_lock_at((m), LOCK_SITE)
/* Give @m back: to its first sleeper, if any. Held by this task. */
#define mutex_unlock(m)		mutex_unlock_at((m), LOCK_SITE)

void mutex_lock_at(struct mutex *m, const char *site);
void mutex_unlock_at(struct mutex *m, const char *site);

/* Whether the running task holds @m. Task context. */
bool mutex_held(const struct mutex *m);

/*
 * The calling function needs @m held by the running task: checked where
 * the profile checks mutexes, compiled out elsewhere.
 */
#define KASSERT_MUTEX_HELD(m)						\
	do {								\
		if (CONFIG_MUTEX_CHECKS && !mutex_held(m))		\
			mutex_not_held((m), __func__);			\
	} while (0)
/* Panic: @fn needs @m held by the running task. */
__noreturn void mutex_not_held(const struct mutex *m, const char *fn);
