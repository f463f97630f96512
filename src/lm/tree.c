/* SPDX-License-Identifier: MIT */
/*
 * The branches of a text (tree.h): lanes in the order made, each with its
 * parent and the word where it left it, and the depth-first order in
 * which they are drawn, rebuilt when a branch is added (a tree a user
 * makes by hand has tens of branches, not thousands).
 */
#include "lm/tree.h"

#include <stdlib.h>

struct node {
	struct tv_gen *g;
	size_t parent, fork;
};

struct tv_tree {
	struct node *b;
	size_t n, cap;
	size_t *order;          /* branch indices, depth first */
};

/* Depth first from branch p: its children in the order made, each
 * followed by its own. Returns the next free place in order. */
static size_t
walk(struct tv_tree *t, size_t p, size_t at)
{
	t->order[at++] = p;
	for (size_t c = p + 1; c < t->n; c++)
		if (t->b[c].parent == p)
			at = walk(t, c, at);
	return at;
}

static int
grow(struct tv_tree *t)
{
	size_t cap = t->cap ? 2 * t->cap : 8;
	struct node *b;
	size_t *o;

	if (t->n < t->cap)
		return 0;
	b = realloc(t->b, cap * sizeof *b);
	if (b)
		t->b = b;
	o = b ? realloc(t->order, cap * sizeof *o) : NULL;
	if (!o)
		return -1;
	t->order = o;
	t->cap = cap;
	return 0;
}

struct tv_tree *
tv_tree_new(struct tv_gen *g)
{
	struct tv_tree *t = calloc(1, sizeof *t);

	if (!t || grow(t) != 0) {
		tv_tree_free(t, g);
		return NULL;
	}
	t->b[0] = (struct node){ .g = g, .parent = TV_TREE_NONE };
	t->n = 1;
	t->order[0] = 0;
	return t;
}

void
tv_tree_free(struct tv_tree *t, const struct tv_gen *keep)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		if (t->b[i].g != keep)
			tv_gen_free(t->b[i].g);
	free(t->b);
	free(t->order);
	free(t);
}

size_t
tv_tree_size(const struct tv_tree *t)
{
	return t->n;
}

struct tv_gen *
tv_tree_lane(const struct tv_tree *t, size_t b)
{
	return b < t->n ? t->b[b].g : NULL;
}

size_t
tv_tree_parent(const struct tv_tree *t, size_t b)
{
	return b < t->n ? t->b[b].parent : TV_TREE_NONE;
}

size_t
tv_tree_fork(const struct tv_tree *t, size_t b)
{
	return b < t->n ? t->b[b].fork : 0;
}

size_t
tv_tree_depth(const struct tv_tree *t, size_t b)
{
	size_t d = 0;

	while (b < t->n && t->b[b].parent != TV_TREE_NONE) {
		b = t->b[b].parent;
		d++;
	}
	return d;
}

size_t
tv_tree_find(const struct tv_tree *t, const struct tv_gen *g)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->b[i].g == g)
			return i;
	return TV_TREE_NONE;
}

/* Lane c has g's first i words, then word w. */
static int
same_words(const struct tv_gen *c, const struct tv_gen *g, size_t i,
	   int32_t w)
{
	if (tv_gen_len(c) <= i || tv_gen_at(c, i)->word != w)
		return 0;
	for (size_t j = 0; j < i; j++)
		if (tv_gen_at(c, j)->word != tv_gen_at(g, j)->word)
			return 0;
	return 1;
}

size_t
tv_tree_branch(struct tv_tree *t, size_t b, size_t i, uint32_t k)
{
	const struct tv_gen *g = tv_tree_lane(t, b);
	const struct tv_gen_cand *cd;
	struct tv_gen *n;
	uint32_t nc;

	if (!g || !(cd = tv_gen_cands(g, i, &nc)) || k >= nc)
		return TV_TREE_NONE;
	for (size_t c = 0; c < t->n; c++)
		if (same_words(t->b[c].g, g, i, cd[k].word))
			return c;
	if (grow(t) != 0 || !(n = tv_gen_branch(g, i, k)))
		return TV_TREE_NONE;
	t->b[t->n++] = (struct node){ .g = n, .parent = b, .fork = i };
	walk(t, 0, 0);
	return t->n - 1;
}

size_t
tv_tree_at(const struct tv_tree *t, size_t i)
{
	return i < t->n ? t->order[i] : TV_TREE_NONE;
}

size_t
tv_tree_next(const struct tv_tree *t, size_t b, int dir)
{
	size_t i = 0;

	while (i < t->n && t->order[i] != b)
		i++;
	if (i == t->n)
		return TV_TREE_NONE;
	return t->order[(i + (dir < 0 ? t->n - 1 : 1)) % t->n];
}
