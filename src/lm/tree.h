/* SPDX-License-Identifier: MIT */
/*
 * Branches of one text: at any word the user picks another of that
 * step's candidates and the text goes on from there, as a lane of its
 * own. The branches form a tree: each but the first left a parent at a
 * word. A branch is a struct tv_gen made by tv_gen_branch (the same
 * prompt, seed and first words), so each keeps its own text, steps and
 * bits per word, and undo and restart work on it as on any lane.
 *
 * The tree owns its lanes. Branch 0 is the text the tree was made from.
 */
#ifndef TEMPVIZ_LM_TREE_H
#define TEMPVIZ_LM_TREE_H

#include <stddef.h>
#include <stdint.h>

#include "lm/gen.h"

#define TV_TREE_NONE ((size_t)-1)

struct tv_tree;

/* A tree whose first branch is g (owned from now on); NULL without
 * memory (g is then still the caller's). */
struct tv_tree *tv_tree_new(struct tv_gen *g);
/* Free the tree and its lanes, all but keep (which goes back to the
 * caller; NULL keeps none). */
void tv_tree_free(struct tv_tree *t, const struct tv_gen *keep);

size_t tv_tree_size(const struct tv_tree *t);
struct tv_gen *tv_tree_lane(const struct tv_tree *t, size_t b);
/* The branch b left, TV_TREE_NONE for the first; the word where it left
 * it (its first fork words are the parent's); its depth (0 first). */
size_t tv_tree_parent(const struct tv_tree *t, size_t b);
size_t tv_tree_fork(const struct tv_tree *t, size_t b);
size_t tv_tree_depth(const struct tv_tree *t, size_t b);
/* The branch whose lane is g, TV_TREE_NONE when none is. */
size_t tv_tree_find(const struct tv_tree *t, const struct tv_gen *g);

/* Branch b at its word i with candidate k of that step in place of the
 * word there: the new branch, or the one that already has those first
 * i + 1 words (b itself when k is its own word). TV_TREE_NONE without
 * memory or when i or k is out of range. */
size_t tv_tree_branch(struct tv_tree *t, size_t b, size_t i, uint32_t k);

/* The branches in the order a tree is drawn: depth first, children in
 * the order they were made. tv_tree_at is the i-th of them;
 * tv_tree_next the one after b (dir 1) or before it (-1), round. */
size_t tv_tree_at(const struct tv_tree *t, size_t i);
size_t tv_tree_next(const struct tv_tree *t, size_t b, int dir);

#endif
