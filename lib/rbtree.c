/*
 * The red-black tree's balancing (include/aramid/rbtree.h): the classic
 * rules — every node red or black, the root black, no red node with a
 * red child, the same number of black nodes on every path down to a
 * leaf — restored by recolouring and rotations after an insertion and a
 * removal. NULL children are the black leaves.
 */
#include <aramid/rbtree.h>

/* Make @new the child of @parent that @old was (or the root). */
static void replace_child(struct rb_root *root, struct rb_node *parent,
			  struct rb_node *old, struct rb_node *new)
{
	if (!parent)
		root->node = new;
	else if (parent->left == old)
		parent->left = new;
	else
		parent->right = new;
}

/* @x's right child takes its place; @x becomes that child's left. */
static void rotate_left(struct rb_root *root, struct rb_node *x)
{
	struct rb_node *y = x->right, *p = x->parent;

	x->right = y->left;
	if (x->right)
		x->right->parent = x;
	y->left = x;
	x->parent = y;
	y->parent = p;
	replace_child(root, p, x, y);
}

/* The mirror image: @x's left child takes its place. */
static void rotate_right(struct rb_root *root, struct rb_node *x)
{
	struct rb_node *y = x->left, *p = x->parent;

	x->left = y->right;
	if (x->left)
		x->left->parent = x;
	y->right = x;
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
		if (p == g->left) {
			u = g->right;
			if (is_red(u)) {
				p->red = u->red = false;
				g->red = true;
				n = g;
				continue;
			}
			if (n == p->right) {
				rotate_left(root, p);
				n = p;
				p = n->parent;
			}
			p->red = false;
			g->red = true;
			rotate_right(root, g);
		} else {
			u = g->left;
			if (is_red(u)) {
				p->red = u->red = false;
				g->red = true;
				n = g;
				continue;
			}
			if (n == p->left) {
				rotate_right(root, p);
				n = p;
				p = n->parent;
			}
			p->red = false;
			g->red = true;
			rotate_left(root, g);
		}
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
	struct rb_node *w;

	/* The other side held that black too, so the sibling exists. */
	while (x != root->node && !is_red(x)) {
		if (x == parent->left) {
			w = parent->right;
			if (w->red) {
				w->red = false;
				parent->red = true;
				rotate_left(root, parent);
				w = parent->right;
			}
			if (!is_red(w->left) && !is_red(w->right)) {
				w->red = true;
				x = parent;
				parent = x->parent;
				continue;
			}
			if (!is_red(w->right)) {
				w->left->red = false;
				w->red = true;
				rotate_right(root, w);
				w = parent->right;
			}
			w->red = parent->red;
			parent->red = false;
			w->right->red = false;
			rotate_left(root, parent);
		} else {
			w = parent->left;
			if (w->red) {
				w->red = false;
				parent->red = true;
				rotate_right(root, parent);
				w = parent->left;
			}
			if (!is_red(w->left) && !is_red(w->right)) {
				w->red = true;
				x = parent;
				parent = x->parent;
				continue;
			}
			if (!is_red(w->left)) {
				w->right->red = false;
				w->red = true;
				rotate_left(root, w);
				w = parent->left;
			}
			w->red = parent->red;
			parent->red = false;
			w->left->red = false;
			rotate_right(root, parent);
		}
		x = root->node;
	}
	if (x)
		x->red = false;
}

void rb_erase(struct rb_root *root, struct rb_node *n)
{
	struct rb_node *x, *parent, *y;
	bool was_red;

	if (!n->left || !n->right) {
		/* At most one child: it takes @n's place. */
		x = n->left ? n->left : n->right;
		parent = n->parent;
		was_red = n->red;
		replace_child(root, parent, n, x);
		if (x)
			x->parent = parent;
	} else {
		/* Two: @n's successor @y (no left child) takes its place,
		 * and @y's right child takes @y's. */
		y = n->right;
		while (y->left)
			y = y->left;
		was_red = y->red;
		x = y->right;
		if (y->parent == n) {
			parent = y;
		} else {
			parent = y->parent;
			parent->left = x;
			if (x)
				x->parent = parent;
			y->right = n->right;
			y->right->parent = y;
		}
		replace_child(root, n->parent, n, y);
		y->parent = n->parent;
		y->left = n->left;
		y->left->parent = y;
		y->red = n->red;
	}
	if (!was_red)
		erase_fixup(root, x, parent);
}
