/*
 * The lock-order graph (include/aramid/lockorder.h): classes numbered in
 * the order they are first taken, an edge bitmap per class, and a
 * breadth-first search that runs only when a pair of classes meets for
 * the first time, so a lock taken in an order seen before costs a test
 * of one bit per lock held.
 */
#include <aramid/lockorder.h>

#define BIT(i)	(1U << (i))

/*
 * @c's index in @g, numbering it on first sight; -1 if @g is full (told
 * once, in @rep if it has nothing to tell yet, as taken at @site).
 */
static int class_index(struct lockorder_graph *g, struct lock_class *c,
		       const char *site, struct lockorder_report *rep)
{
	if (c->id && c->id <= g->nclasses && g->classes[c->id - 1] == c)
		return (int)c->id - 1;
	if (g->nclasses < LOCKORDER_CLASSES) {
		g->classes[g->nclasses] = c;
		c->id = ++g->nclasses;
		return (int)c->id - 1;
	}
	if (!g->full_reported && rep->event == LOCKORDER_OK) {
		g->full_reported = true;
		rep->event = LOCKORDER_TOO_MANY_CLASSES;
		rep->taken_class = c->name;
		rep->taken_site = site;
	}
	return -1;
}

/*
 * The length in edges of the shortest path from @from to @to (0: none),
 * and in *@next the class that path's first edge leads to.
 */
static unsigned find_path(const struct lockorder_graph *g, int from, int to,
			  int *next)
{
	int queue[LOCKORDER_CLASSES], first[LOCKORDER_CLASSES];
	unsigned len[LOCKORDER_CLASSES];
	uint32_t seen = BIT(from);
	unsigned head = 0, tail = 0;

	queue[tail++] = from;
	len[from] = 0;
	first[from] = from;
	while (head < tail) {
		int v = queue[head++];
		uint32_t out = g->after[v] & ~seen;

		while (out) {
			int w = __builtin_ctz(out);

			out &= out - 1;
			seen |= BIT(w);
			len[w] = len[v] + 1;
			first[w] = v == from ? w : first[v];
			if (w == to) {
				*next = first[w];
				return len[w];
			}
			queue[tail++] = w;
		}
	}
	return 0;
}

/* Fill @rep with the inversion of taking class @b while holding @e (@a). */
static void report_inversion(const struct lockorder_graph *g,
			     const struct lockorder_entry *e, int a, int b,
			     const char *site, int next, unsigned path,
			     struct lockorder_report *rep)
{
	rep->event = LOCKORDER_INVERSION;
	rep->held_class = g->classes[a]->name;
	rep->held_site = e->site;
	rep->taken_class = g->classes[b]->name;
	rep->taken_site = site;
	rep->prior_next_class = g->classes[next]->name;
	rep->prior_held_site = g->sites[b][next].held_site;
	rep->prior_taken_site = g->sites[b][next].taken_site;
	rep->path = path;
}

/* Check class @b, taken at @site, against held entry @e; add its edge. */
static void order_against(struct lockorder_graph *g,
			  const struct lockorder_entry *e, int b,
			  const char *site, struct lockorder_report *rep)
{
	int a = class_index(g, e->class, e->site, rep), next;
	unsigned path;

	if (a < 0 || a == b || (g->after[a] & BIT(b)))
		return;
	path = find_path(g, b, a, &next);
	if (!path) {
		g->after[a] |= BIT(b);
		g->sites[a][b].held_site = e->site;
		g->sites[a][b].taken_site = site;
		return;
	}
	int lo = a < b ? a : b, hi = a < b ? b : a;

	/* One report per call: a second pair is told the next time. */
	if ((g->reported[lo] & BIT(hi)) || rep->event != LOCKORDER_OK)
		return;
	g->reported[lo] |= BIT(hi);
	report_inversion(g, e, a, b, site, next, path, rep);
}

enum lockorder_event lockorder_acquire_nested(struct lockorder_graph *g,
					      struct lockorder_held *held,
					      const void *lock,
					      struct lock_class *class,
					      const char *site,
					      struct lockorder_report *rep)
{
	rep->event = LOCKORDER_OK;
	int b = class_index(g, class, site, rep);

	for (unsigned i = 0; b >= 0 && i < held->n; i++)
		order_against(g, &held->stack[i], b, site, rep);
	if (held->n < LOCKORDER_DEPTH) {
		held->stack[held->n].lock = lock;
		held->stack[held->n].class = class;
		held->stack[held->n].site = site;
		held->n++;
		return rep->event;
	}
	held->lost++;
	if (g->depth_reported || rep->event != LOCKORDER_OK)
		return rep->event;
	g->depth_reported = true;
	rep->event = LOCKORDER_DEPTH_EXCEEDED;
	rep->taken_class = class->name;
	rep->taken_site = site;
	rep->held_class = held->stack[held->n - 1].class->name;
	rep->held_site = held->stack[held->n - 1].site;
	return rep->event;
}

bool lockorder_release_inner(struct lockorder_held *held, const void *lock)
{
	for (unsigned i = held->n; i-- > 0;) {
		if (held->stack[i].lock != lock)
			continue;
		for (unsigned j = i + 1; j < held->n; j++)
			held->stack[j - 1] = held->stack[j];
		held->n--;
		return true;
	}
	if (!held->lost)
		return false;
	held->lost--;
	return true;
}
