/*
 * The red-black tree's balancing (include/aramid/rbtree.h): the classic
 * rules — every node red or black, the root black, no red node with a
 * red child, the same number of black nodes on every path down to a
 * leaf — restored by recolouring and rotations after an insertion and a
 * removal. NULL children are the black leaves. Each case and its mirror
 * image are one piece of code over a side @d (RB_LEFT or RB_RIGHT) and
 * the other side, !@d.
 */
#include <aramid/rbtree.h>

/* The side of @parent that @n hangs on. */
static int side_of(const struct rb_node *parent, const struct rb_node *n)
{
	return parent->child[RB_RIGHT] == n;
}

/* Make @new the child of @parent that @old was (or the root). */
static void replace_child(struct rb_root *root, struct rb_node *parent,
			  struct rb_node *old, struct rb_node *new)
{
	if (!parent)
		root->node = new;
	else
		parent->child[side_of(parent, old)] = new;
}

/*
 * Rotate towards side @d: @x's child on the other side takes @x's place
 * and @x becomes that child's child on side @d.
 */
static void rotate(struct rb_root *root, struct rb_node *x, int d)
{
	struct rb_node *y = x->child[!d], *p = x->parent;

	x->child[!d] = y->child[d];
	if (x->child[!d])
		x->child[!d]->parent = x;
	y->child[d] = x;
	x->parent = y;
	y->parent = p;
	replace_child(root, p, x, y);
}

static bool is_red(const struct rb_node *n)
{
	return n && n->red;
}

void rb_insert_fixup(struct rb_root *root, struct rb_node *n)
{
	struct rb_node *p, *g, *u;

	/* A red parent is never the root, so the grandparent exists. */
	while ((p = n->parent) && p->red) {
		g = p->parent;
		int d = side_of(g, p);	/* the parent's side of @g */

		u = g->child[!d];
		if (is_red(u)) {
			p->red = u->red = false;
			g->red = true;
			n = g;
			continue;
		}
		if (n == p->child[!d]) {	/* bent: straighten it */
			rotate(root, p, d);
			n = p;
			p = n->parent;
		}
		p->red = false;
		g->red = true;
		rotate(root, g, !d);
	}
	root->node->red = false;
}

/*
 * A black node left @parent's subtree on the side of @x (NULL for a
 * leaf): give that side its black back.
 */
static void erase_fixup(struct rb_root *root, struct rb_node *x,
			struct rb_node *parent)
{
	/* The other side held that black too, so the sibling exists. */
	while (x != root->node && !is_red(x)) {
		int d = parent->child[RB_LEFT] == x ? RB_LEFT : RB_RIGHT;
		struct rb_node *w = parent->child[!d];

		if (w->red) {
			w->red = false;
			parent->red = true;
			rotate(root, parent, d);
			w = parent->child[!d];
		}
		if (!is_red(w->child[RB_LEFT]) && !is_red(w->child[RB_RIGHT])) {
			w->red = true;
			x = parent;
			parent = x->parent;
			continue;
		}
		if (!is_red(w->child[!d])) {
			w->child[d]->red = false;
			w->red = true;
			rotate(root, w, !d);
			w = parent->child[!d];
		}
		w->red = parent->red;
		parent->red = false;
		w->child[!d]->red = false;
		rotate(root, parent, d);
		x = root->node;
	}
	if (x)
		x->red = false;
}

void rb_erase(struct rb_root *root, struct rb_node *n)
{
	struct rb_node *x, *parent, *y;
	bool was_red;

	if (!n->child[RB_LEFT] || !n->child[RB_RIGHT]) {
		/* At most one child: it takes @n's place. */
		x = n->child[RB_LEFT] ? n->child[RB_LEFT] : n->child[RB_RIGHT];
		parent = n->parent;
		was_red = n->red;
		replace_child(root, parent, n, x);
		if (x)
			x->parent = parent;
	} else {
		/* Two: @n's successor @y (no left child) takes its place,
		 * and @y's right child takes @y's. */
		y = n->child[RB_RIGHT];
		while (y->child[RB_LEFT])
			y = y->child[RB_LEFT];
		was_red = y->red;
		x = y->child[RB_RIGHT];
		if (y->parent == n) {
			parent = y;
		} else {
			parent = y->parent;
			parent->child[RB_LEFT] = x;
			if (x)
				x->parent = parent;
			y->child[RB_RIGHT] = n->child[RB_RIGHT];
			y->child[RB_RIGHT]->parent = y;
		}
		replace_child(root, n->parent, n, y);
		y->parent = n->parent;
		y->child[RB_LEFT] = n->child[RB_LEFT];
		y->child[RB_LEFT]->parent = y;
		y->red = n->red;
	}
	if (!was_red)
		erase_fixup(root, x, parent);
}
