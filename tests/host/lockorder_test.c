/*
 * Host unit test of the lock-order graph (lib/lockorder.c), built by
 * tests/host/run_lockorder.sh under AddressSanitizer and UBSan. It plays
 * the checker's caller (platform/spinlock.c): one or two CPUs' held
 * stacks on one graph, taking and giving locks of named classes, and
 * checks what each acquisition reports:
 *   - a consistent order (A then B then C, in any subset, many times,
 *     and locks given back out of order) reports nothing;
 *   - A then B, later B then A: one inversion naming both classes, the
 *     sites of both acquisitions and the sites of the earlier order;
 *     never again for that pair, on either CPU;
 *   - A -> B, B -> C, then C then A: one inversion over a path of two
 *     edges, once;
 *   - locks of one class nested: nothing;
 *   - a stack past LOCKORDER_DEPTH: told once, the extra locks still
 *     checked against the recorded ones, and every give balanced;
 *   - more classes than the table holds: told once, nothing breaks;
 *   - a lock taken with nothing held leaves the graph alone.
 */
#include <aramid/lockorder.h>
#include <string.h>
#include "host_check.h"

static struct lockorder_graph graph;
static struct lockorder_held cpu0, cpu1;
static unsigned inversions, events;
static struct lockorder_report last;

static struct lock_class cls_a = { "class-a", 0 }, cls_b = { "class-b", 0 },
	cls_c = { "class-c", 0 }, cls_d = { "class-d", 0 };
static int lock_a, lock_b, lock_c, lock_d, lock_d2;

/* Take @lock of @class at @site on @cpu; count what it reports. */
static void take(struct lockorder_held *cpu, const void *lock,
		 struct lock_class *class, const char *site)
{
	struct lockorder_report rep = { .event = LOCKORDER_OK };
	enum lockorder_event ev =
		lockorder_acquire(&graph, cpu, lock, class, site, &rep);

	CHECK(ev == rep.event);
	if (ev == LOCKORDER_OK)
		return;
	events++;
	if (rep.event == LOCKORDER_INVERSION)
		inversions++;
	last = rep;
}

static void give(struct lockorder_held *cpu, const void *lock)
{
	CHECK(lockorder_release(cpu, lock));
}

static void reset(void)
{
	memset(&graph, 0, sizeof(graph));
	memset(&cpu0, 0, sizeof(cpu0));
	memset(&cpu1, 0, sizeof(cpu1));
	inversions = events = 0;
	memset(&last, 0, sizeof(last));
}

static bool is(const char *s, const char *want)
{
	return s && strcmp(s, want) == 0;
}

static void consistent_order(void)
{
	reset();
	for (int round = 0; round < 50; round++) {
		take(&cpu0, &lock_a, &cls_a, "a.c:1");
		take(&cpu0, &lock_b, &cls_b, "b.c:1");
		take(&cpu0, &lock_c, &cls_c, "c.c:1");
		give(&cpu0, &lock_b);	/* out of order */
		give(&cpu0, &lock_c);
		give(&cpu0, &lock_a);
		take(&cpu1, &lock_a, &cls_a, "a.c:2");
		take(&cpu1, &lock_c, &cls_c, "c.c:2");
		give(&cpu1, &lock_c);
		give(&cpu1, &lock_a);
		take(&cpu1, &lock_b, &cls_b, "b.c:2");
		take(&cpu1, &lock_c, &cls_c, "c.c:3");
		give(&cpu1, &lock_c);
		give(&cpu1, &lock_b);
		/* Alone, any class in any order: no edge. */
		take(&cpu0, &lock_c, &cls_c, "c.c:4");
		give(&cpu0, &lock_c);
		take(&cpu0, &lock_a, &cls_a, "a.c:4");
		give(&cpu0, &lock_a);
	}
	CHECK(events == 0);
	CHECK(cpu0.n == 0 && cpu1.n == 0 && cpu0.lost == 0);
	/* A give of a lock not held is refused. */
	CHECK(!lockorder_release(&cpu0, &lock_a));
	/* Two locks of one class nested: no edge, no report. */
	take(&cpu0, &lock_d, &cls_d, "d.c:1");
	take(&cpu0, &lock_d2, &cls_d, "d.c:2");
	give(&cpu0, &lock_d2);
	give(&cpu0, &lock_d);
	take(&cpu0, &lock_d2, &cls_d, "d.c:3");
	take(&cpu0, &lock_d, &cls_d, "d.c:4");
	give(&cpu0, &lock_d);
	give(&cpu0, &lock_d2);
	CHECK(events == 0);
}

static void two_lock_inversion(void)
{
	reset();
	take(&cpu0, &lock_a, &cls_a, "a.c:10");
	take(&cpu0, &lock_b, &cls_b, "b.c:10");
	give(&cpu0, &lock_b);
	give(&cpu0, &lock_a);
	CHECK(events == 0);
	take(&cpu1, &lock_b, &cls_b, "b.c:20");
	CHECK(cpu1.n == 1 && cpu1.stack[0].lock == &lock_b);
	take(&cpu1, &lock_a, &cls_a, "a.c:20");
	CHECK(inversions == 1 && events == 1);
	CHECK(is(last.taken_class, "class-a") && is(last.taken_site, "a.c:20"));
	CHECK(is(last.held_class, "class-b") && is(last.held_site, "b.c:20"));
	CHECK(is(last.prior_next_class, "class-b"));
	CHECK(is(last.prior_held_site, "a.c:10"));
	CHECK(is(last.prior_taken_site, "b.c:10"));
	CHECK(last.path == 1);
	give(&cpu1, &lock_a);
	give(&cpu1, &lock_b);
	/* Never again for the pair: either order, either CPU. */
	for (int round = 0; round < 20; round++) {
		struct lockorder_held *cpu = round & 1 ? &cpu0 : &cpu1;

		take(cpu, &lock_b, &cls_b, "b.c:30");
		take(cpu, &lock_a, &cls_a, "a.c:30");
		give(cpu, &lock_b);
		give(cpu, &lock_a);
		take(cpu, &lock_a, &cls_a, "a.c:31");
		take(cpu, &lock_b, &cls_b, "b.c:31");
		give(cpu, &lock_a);
		give(cpu, &lock_b);
	}
	CHECK(inversions == 1 && events == 1);
	/* The inverted edge was left out: the graph still orders A -> B. */
	CHECK(graph.after[cls_a.id - 1] & (1U << (cls_b.id - 1)));
	CHECK(!(graph.after[cls_b.id - 1] & (1U << (cls_a.id - 1))));
}

static void three_lock_cycle(void)
{
	reset();
	take(&cpu0, &lock_a, &cls_a, "a.c:40");
	take(&cpu0, &lock_b, &cls_b, "b.c:40");
	give(&cpu0, &lock_b);
	give(&cpu0, &lock_a);
	take(&cpu1, &lock_b, &cls_b, "b.c:41");
	take(&cpu1, &lock_c, &cls_c, "c.c:41");
	give(&cpu1, &lock_c);
	give(&cpu1, &lock_b);
	CHECK(events == 0);
	for (int round = 0; round < 10; round++) {
		take(&cpu0, &lock_c, &cls_c, "c.c:42");
		take(&cpu0, &lock_a, &cls_a, "a.c:42");
		give(&cpu0, &lock_a);
		give(&cpu0, &lock_c);
	}
	CHECK(inversions == 1 && events == 1);
	CHECK(is(last.taken_class, "class-a") && is(last.taken_site, "a.c:42"));
	CHECK(is(last.held_class, "class-c") && is(last.held_site, "c.c:42"));
	CHECK(last.path == 2);
	CHECK(is(last.prior_next_class, "class-b"));
	CHECK(is(last.prior_held_site, "a.c:40") &&
	      is(last.prior_taken_site, "b.c:40"));
	/* The consistent orders still report nothing. */
	take(&cpu1, &lock_a, &cls_a, "a.c:43");
	take(&cpu1, &lock_b, &cls_b, "b.c:43");
	take(&cpu1, &lock_c, &cls_c, "c.c:43");
	give(&cpu1, &lock_c);
	give(&cpu1, &lock_b);
	give(&cpu1, &lock_a);
	CHECK(inversions == 1 && events == 1);
}

static void depth_overflow(void)
{
	static int locks[LOCKORDER_DEPTH + 4];

	reset();
	take(&cpu1, &lock_b, &cls_b, "b.c:50");	/* B -> A seen first */
	take(&cpu1, &lock_a, &cls_a, "a.c:50");
	give(&cpu1, &lock_a);
	give(&cpu1, &lock_b);
	take(&cpu0, &lock_a, &cls_a, "a.c:51");
	for (unsigned i = 0; i < LOCKORDER_DEPTH - 1; i++)
		take(&cpu0, &locks[i], &cls_d, "d.c:51");
	CHECK(cpu0.n == LOCKORDER_DEPTH && events == 0);
	take(&cpu0, &locks[LOCKORDER_DEPTH - 1], &cls_d, "d.c:52");
	CHECK(events == 1 && last.event == LOCKORDER_DEPTH_EXCEEDED);
	CHECK(is(last.taken_site, "d.c:52") && is(last.held_site, "d.c:51"));
	CHECK(cpu0.lost == 1);
	/* Past the depth a lock is still checked against those recorded. */
	take(&cpu0, &lock_b, &cls_b, "b.c:52");
	CHECK(events == 2 && inversions == 1 && is(last.held_class, "class-a"));
	take(&cpu0, &locks[LOCKORDER_DEPTH], &cls_d, "d.c:53");
	CHECK(events == 2 && cpu0.lost == 3);
	/* Give everything back, recorded and not, in any order. */
	give(&cpu0, &lock_a);
	give(&cpu0, &locks[LOCKORDER_DEPTH]);
	give(&cpu0, &lock_b);
	for (unsigned i = 0; i < LOCKORDER_DEPTH; i++)
		give(&cpu0, &locks[i]);
	CHECK(cpu0.n == 0 && cpu0.lost == 0);
	CHECK(!lockorder_release(&cpu0, &lock_a));
	/* A later deep stack is not told again. */
	for (unsigned i = 0; i < LOCKORDER_DEPTH + 2; i++)
		take(&cpu0, &locks[i], &cls_d, "d.c:54");
	CHECK(events == 2);
	for (unsigned i = LOCKORDER_DEPTH + 2; i-- > 0;)
		give(&cpu0, &locks[i]);
	CHECK(cpu0.n == 0 && cpu0.lost == 0);
}

static void too_many_classes(void)
{
	static struct lock_class many[LOCKORDER_CLASSES + 2];
	static int locks[LOCKORDER_CLASSES + 2];

	reset();
	/* A class is numbered once it meets another: each inside A. */
	take(&cpu0, &lock_a, &cls_a, "a.c:60");
	for (unsigned i = 0; i < LOCKORDER_CLASSES + 2; i++) {
		many[i].name = "many";
		take(&cpu0, &locks[i], &many[i], "m.c:1");
		give(&cpu0, &locks[i]);
	}
	give(&cpu0, &lock_a);
	CHECK(events == 1 && last.event == LOCKORDER_TOO_MANY_CLASSES);
	CHECK(is(last.taken_site, "m.c:1"));
	CHECK(graph.nclasses == LOCKORDER_CLASSES);
	/* An unnumbered class held adds no edge and breaks nothing. */
	take(&cpu0, &locks[LOCKORDER_CLASSES], &many[LOCKORDER_CLASSES], "m.c:2");
	take(&cpu0, &locks[0], &many[0], "m.c:3");
	give(&cpu0, &locks[0]);
	give(&cpu0, &locks[LOCKORDER_CLASSES]);
	CHECK(events == 1 && cpu0.n == 0);
	/* The numbered ones still order: many[0] inside A, never A inside. */
	take(&cpu0, &locks[0], &many[0], "m.c:4");
	take(&cpu0, &lock_a, &cls_a, "a.c:61");
	CHECK(events == 2 && inversions == 1);
	give(&cpu0, &lock_a);
	give(&cpu0, &locks[0]);
}

static void first_alone(void)
{
	reset();
	/* Taken alone, a class touches only the CPU's stack. */
	take(&cpu0, &lock_a, &cls_a, "a.c:70");
	CHECK(graph.nclasses == 0 && cpu0.n == 1);
	give(&cpu0, &lock_a);
	/* Held outside another, it is numbered and ordered like any. */
	take(&cpu0, &lock_a, &cls_a, "a.c:71");
	take(&cpu0, &lock_b, &cls_b, "b.c:71");
	give(&cpu0, &lock_b);
	give(&cpu0, &lock_a);
	CHECK(graph.nclasses == 2 && events == 0);
	take(&cpu1, &lock_b, &cls_b, "b.c:72");
	take(&cpu1, &lock_a, &cls_a, "a.c:72");
	CHECK(inversions == 1 && is(last.prior_held_site, "a.c:71"));
	give(&cpu1, &lock_a);
	give(&cpu1, &lock_b);
}

int main(void)
{
	consistent_order();
	two_lock_inversion();
	three_lock_cycle();
	depth_overflow();
	too_many_classes();
	first_alone();
	return host_check_done();
}
