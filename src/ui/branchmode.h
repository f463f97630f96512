/* SPDX-License-Identifier: MIT */
/*
 * Branch mode of generate mode: a cursor on the main text's words, the
 * candidates of the word under it (what that step's distribution held,
 * after the penalties), and a branch made from any of them, which goes on
 * as long as the text it left. The branches form a tree (lm/tree.h); the
 * main text is the branch shown, and keys walk the tree.
 *
 * While the tree exists it owns every branch's lane, the main text's
 * too; tv_branchmode_drop gives the main text back to generate mode and
 * frees the rest (a new prompt, a restart).
 */
#ifndef TEMPVIZ_BRANCHMODE_H
#define TEMPVIZ_BRANCHMODE_H

#include <stddef.h>
#include <stdint.h>

#include "lm/tree.h"

struct tv_app;
struct tv_genmode;

struct tv_branchmode {
	int open;               /* keys go to branch mode */
	size_t cursor;          /* the word under the cursor */
	uint32_t pick;          /* the candidate chosen there */
	struct tv_tree *tree;   /* NULL until the first branch */
};

int tv_branchmode_open(const struct tv_app *a);
/* Open branch mode on the last word (said when there is none). */
void tv_branchmode_enter(struct tv_app *a);
/* A key while branch mode is open; 1 when something changed. */
int tv_branchmode_key(struct tv_app *a, int key);
/* Close branch mode and drop the tree: the main text stays. */
void tv_branchmode_drop(struct tv_genmode *gm);
/* The step the generate view shows what happened at: the cursor's
 * word in branch mode, else the last word (SIZE_MAX before one). */
size_t tv_branchmode_shown(const struct tv_app *a);
/* The branch shown as "branch 2 of 5" into buf, "" without a tree. */
void tv_branchmode_label(const struct tv_app *a, char *buf, size_t cap);

#endif
