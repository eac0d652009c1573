/*
 * Host unit test of the red-black tree (lib/rbtree.c), built by
 * tests/host/run_rbtree.sh under AddressSanitizer and UBSan: seeded
 * random inserts and erases of keyed nodes checked against a presence
 * map after every operation — the in-order walk gives exactly the keys
 * present, in order, every parent pointer matches, no red node has a red
 * child, every path down holds the same number of black nodes and the
 * height stays within 2 log2(n + 1) — then the tree emptied in a random
 * order down to nothing.
 */
#include <aramid/rbtree.h>
#include "host_check.h"

int dprintf(int fd, const char *fmt, ...);

#define KEYS	2048

struct item {
	struct rb_node node;
	unsigned key;
	bool in;
};

static struct item items[KEYS];
static struct rb_root root;
static unsigned count;

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static unsigned rnd(unsigned n)
{
	return (unsigned)(xorshift64(&rng_state) % n);
}

static void insert(struct item *it)
{
	struct rb_node **link = &root.node, *parent = NULL;

	while (*link) {
		parent = *link;
		link = it->key < rb_entry(parent, struct item, node)->key ?
		       &parent->child[RB_LEFT] : &parent->child[RB_RIGHT];
	}
	rb_link(&it->node, parent, link);
	rb_insert_fixup(&root, &it->node);
	it->in = true;
	count++;
}

static void erase(struct item *it)
{
	rb_erase(&root, &it->node);
	it->in = false;
	count--;
}

static unsigned next_key;	/* the in-order walk's expected next key */
static unsigned walked;

/*
 * Check the subtree at @n below @parent: its keys in order, its links
 * and colours; returns its black height, @depth its deepest level.
 */
static int check_subtree(const struct rb_node *n, const struct rb_node *parent,
			 int level, int *depth)
{
	int lh, rh;

	if (!n) {
		if (level > *depth)
			*depth = level;
		return 1;
	}
	EXPECT(n->parent == parent);
	EXPECT(!n->red || !parent || !parent->red);
	lh = check_subtree(n->child[RB_LEFT], n, level + 1, depth);
	while (next_key < KEYS && !items[next_key].in)
		next_key++;
	EXPECT(next_key < KEYS && n == &items[next_key].node);
	next_key++;
	walked++;
	rh = check_subtree(n->child[RB_RIGHT], n, level + 1, depth);
	EXPECT(lh == rh);
	return lh + !n->red;
}

static void check_tree(void)
{
	int depth = 0, limit = 0;

	next_key = walked = 0;
	EXPECT(!root.node || (!root.node->red && !root.node->parent));
	check_subtree(root.node, NULL, 0, &depth);
	EXPECT(walked == count);
	while ((1u << limit) <= count)
		limit++;
	EXPECT(depth <= 2 * limit);
}

static void test_random(void)
{
	for (unsigned i = 0; i < KEYS; i++)
		items[i].key = i;
	for (int step = 0; step < 40000; step++) {
		struct item *it = &items[rnd(KEYS)];

		/* Mostly inserts at first, mostly erases at the end. */
		if (!it->in && rnd(40000) >= (unsigned)step / 2)
			insert(it);
		else if (it->in)
			erase(it);
		if (step % 16 == 0 || count < 64)
			check_tree();
	}
	check_tree();
	CHECK(wrong == 0);
	/* Ascending and descending runs: the rotations' worst cases. */
	for (unsigned i = 0; i < KEYS; i++)
		if (!items[i].in)
			insert(&items[i]);
	check_tree();
	CHECK(count == KEYS && wrong == 0);
	for (unsigned i = KEYS; i-- > 0;)
		if (i % 3)
			erase(&items[i]);
	check_tree();
	for (unsigned left = count; left; left--) {
		unsigned i = rnd(KEYS);

		while (!items[i].in)
			i = (i + 1) % KEYS;
		erase(&items[i]);
		check_tree();
	}
	CHECK(count == 0 && root.node == NULL && wrong == 0);
}

int main(void)
{
	test_random();
	return host_check_done();
}
