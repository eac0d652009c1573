/*
 * The lock-order graph (lib/lockorder.c), the pure part of the lock
 * checker that platform/spinlock.c runs where the profile checks
 * spinlocks (CONFIG_SPINLOCK_CHECKS, fortress); plain C that also builds on the host
 * (tests/host/lockorder_test.c).
 *
 * Every lock belongs to a class, a static descriptor with a name. When a
 * lock of class B is taken while one of class A is held, the graph gets
 * the edge A -> B (with both acquisition sites). Taking B while holding
 * A when the graph already leads from B to A (B -> A, or B -> C -> A...)
 * closes a cycle: two CPUs taking them in the two orders can deadlock.
 * That inversion is reported the first time it is seen and never again
 * for the same pair of classes; its edge is not added, so the graph
 * stays acyclic. Locks of one class nested in each other add no edge.
 *
 * The caller serializes calls on one graph, and each held stack belongs
 * to one CPU (its interrupts off while it holds a lock).
 */
#pragma once
#include <aramid/compiler.h>
#include <aramid/types.h>

#define LOCKORDER_CLASSES	32	/* classes the graph can tell apart */
#define LOCKORDER_DEPTH		8	/* locks one CPU's stack records */

/* A lock class: define one per kind of lock, statically, name set. */
struct lock_class {
	const char *name;
	unsigned id;		/* 0 until first taken; then index + 1 */
};

/*
 * Define lock class @var named @name (spinlocks and mutexes alike). A
 * profile that does not check mutexes keeps no class in them: unused.
 */
#define LOCK_CLASS_DEFINE(var, name)					\
	struct lock_class var __unused = { name, 0 }

#define LOCK_STR2(x)	#x
#define LOCK_STR(x)	LOCK_STR2(x)
/* The call site a take or give records: "file:line". */
#define LOCK_SITE	__FILE__ ":" LOCK_STR(__LINE__)

/* Where the edge from class i to class j was first recorded. */
struct lockorder_sites {
	const char *held_site;	/* where the lock of class i was taken */
	const char *taken_site;	/* where the lock of class j was taken */
};

struct lockorder_graph {
	struct lock_class *classes[LOCKORDER_CLASSES];
	unsigned nclasses;
	uint32_t after[LOCKORDER_CLASSES];	/* bit j: edge i -> j */
	uint32_t reported[LOCKORDER_CLASSES];	/* bit j (j > i): pair told */
	struct lockorder_sites sites[LOCKORDER_CLASSES][LOCKORDER_CLASSES];
	bool full_reported;		/* LOCKORDER_CLASSES exceeded, told */
	bool depth_reported;		/* a stack's depth exceeded, told */
};

/* The locks one CPU holds, innermost last. */
struct lockorder_held {
	struct lockorder_entry {
		const void *lock;
		struct lock_class *class;
		const char *site;
	} stack[LOCKORDER_DEPTH];
	unsigned n;		/* entries in stack */
	unsigned lost;		/* held beyond the stack's depth, unrecorded */
};

enum lockorder_event {
	LOCKORDER_OK,
	LOCKORDER_INVERSION,		/* a cycle closed, first time */
	LOCKORDER_DEPTH_EXCEEDED,	/* first lock held past the depth */
	LOCKORDER_TOO_MANY_CLASSES,	/* first class past the table */
};

/*
 * What lockorder_acquire has to tell. For an inversion: the class taken
 * and the held one it inverts against, with their sites, and the
 * earlier order: the first edge of the path from the taken class to the
 * held one (taken class held at prior_held_site when prior_next_class
 * was taken at prior_taken_site) and the path's length in edges.
 */
struct lockorder_report {
	enum lockorder_event event;
	const char *held_class, *held_site;
	const char *taken_class, *taken_site;
	const char *prior_next_class;
	const char *prior_held_site, *prior_taken_site;
	unsigned path;
};

enum lockorder_event lockorder_acquire_nested(struct lockorder_graph *g,
					      struct lockorder_held *held,
					      const void *lock,
					      struct lock_class *class,
					      const char *site,
					      struct lockorder_report *rep);
bool lockorder_release_inner(struct lockorder_held *held, const void *lock);

/*
 * Record that the CPU of @held takes @lock of @class at @site: check its
 * order against every lock @held records, add the new edges, push it.
 * Returns what there is to tell, LOCKORDER_OK for nothing (at most one
 * thing per call, each told once per graph), and fills @rep unless it is
 * LOCKORDER_OK. With nothing held (@held->n == 0, the common case, done
 * inline) it touches only @held, not @g or @rep: the caller need not
 * serialize that call with the other CPUs'.
 */
static inline enum lockorder_event
lockorder_acquire(struct lockorder_graph *g, struct lockorder_held *held,
		  const void *lock, struct lock_class *class, const char *site,
		  struct lockorder_report *rep)
{
	if (held->n)
		return lockorder_acquire_nested(g, held, lock, class, site, rep);
	held->stack[0].lock = lock;
	held->stack[0].class = class;
	held->stack[0].site = site;
	held->n = 1;
	return LOCKORDER_OK;
}

/*
 * Record that the CPU of @held gives @lock back (in any order; the
 * innermost, the common case, inline). Returns false if @held has no
 * record of it and none held unrecorded.
 */
static inline bool lockorder_release(struct lockorder_held *held,
				     const void *lock)
{
	if (held->n && held->stack[held->n - 1].lock == lock) {
		held->n--;
		return true;
	}
	return lockorder_release_inner(held, lock);
}
