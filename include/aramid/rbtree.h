/*
 * An intrusive red-black tree (lib/rbtree.c): the caller embeds a struct
 * rb_node in its object, finds the place of a new node itself by walking
 * down from the root with its own ordering, links it there and lets
 * rb_insert_fixup balance; rb_erase takes a node out. No allocation, no
 * locking of its own: the caller's lock covers the tree. Lookups,
 * insertion and removal are O(log n).
 */
#pragma once
#include <aramid/compiler.h>
#include <aramid/types.h>

#define RB_LEFT		0	/* child[RB_LEFT]: the lower keys */
#define RB_RIGHT	1	/* child[RB_RIGHT]: the higher keys */

struct rb_node {
	struct rb_node *parent, *child[2];
	bool red;
};

struct rb_root {
	struct rb_node *node;	/* NULL: empty */
};

#define rb_entry(p, type, member)	container_of(p, type, member)

/*
 * Put @n, alone, where the walk down ended: *@link is the NULL child
 * pointer of @parent (or the root's pointer, @parent NULL) that @n takes.
 * Then call rb_insert_fixup.
 */
static inline void rb_link(struct rb_node *n, struct rb_node *parent,
			   struct rb_node **link)
{
	n->parent = parent;
	n->child[RB_LEFT] = n->child[RB_RIGHT] = NULL;
	n->red = true;
	*link = n;
}

/* Restore the tree's balance after rb_link put @n in it. */
void rb_insert_fixup(struct rb_root *root, struct rb_node *n);

/* Take @n, which is in @root's tree, out of it. */
void rb_erase(struct rb_root *root, struct rb_node *n);
