/* SPDX-License-Identifier: MIT */
/*
 * Branch mode (branchmode.h): its keys move the cursor over the words
 * and over the candidates of the word under it, make a branch from the
 * chosen candidate, walk the tree and leave. A branch made here becomes
 * the main text and is written on as long as the text it left, through
 * generate mode's own stepping, so a server answers it as it answers a
 * word.
 */
#include "ui/branchmode.h"

#include <stdio.h>

#include "ui/action.h"
#include "ui/gendraw.h"
#include "ui/genmode.h"

static struct tv_gen *
text(const struct tv_app *a)
{
	return a->gen->lane[TV_LANE_DIAL];
}

int
tv_branchmode_open(const struct tv_app *a)
{
	return a->gen && a->gen->br.open;
}

size_t
tv_branchmode_shown(const struct tv_app *a)
{
	size_t n = tv_gen_len(text(a));

	if (n == 0)
		return (size_t)-1;
	if (a->gen->br.open && a->gen->br.cursor < n)
		return a->gen->br.cursor;
	return n - 1;
}

/* The candidate the word at step i is (the drawn or picked one). */
static uint32_t
own_pick(const struct tv_gen *g, size_t i)
{
	uint32_t n;
	const struct tv_gen_cand *c = tv_gen_cands(g, i, &n);

	for (uint32_t k = 0; k < n; k++)
		if (c[k].word == tv_gen_at(g, i)->word)
			return k;
	return 0;
}

/* The cursor to word i (clamped), its own candidate chosen. */
static void
cursor_to(struct tv_app *a, size_t i)
{
	struct tv_branchmode *br = &a->gen->br;
	size_t n = tv_gen_len(text(a));

	if (n == 0)
		return;
	br->cursor = i < n ? i : n - 1;
	br->pick = own_pick(text(a), br->cursor);
}

void
tv_branchmode_enter(struct tv_app *a)
{
	struct tv_genmode *gm = a->gen;
	size_t n = tv_gen_len(text(a));

	if (n == 0) {
		tv_app_note(a, "branch mode works on the words written: Space "
			    "writes one");
		return;
	}
	gm->running = 0;
	gm->br.open = 1;
	cursor_to(a, n - 1);
}

void
tv_branchmode_drop(struct tv_genmode *gm)
{
	gm->br.open = 0;
	tv_tree_free(gm->br.tree, gm->lane[TV_LANE_DIAL]);
	gm->br.tree = NULL;
}

void
tv_branchmode_label(const struct tv_app *a, char *buf, size_t cap)
{
	const struct tv_tree *t = a->gen->br.tree;
	size_t b, i;

	buf[0] = '\0';
	if (!t || tv_tree_size(t) < 2)
		return;
	b = tv_tree_find(t, text(a));
	for (i = 0; i < tv_tree_size(t) && tv_tree_at(t, i) != b; i++)
		;
	snprintf(buf, cap, "branch %zu of %zu", i + 1, tv_tree_size(t));
}

static void
make(struct tv_app *a)
{
	struct tv_branchmode *br = &a->gen->br;
	struct tv_gen *g = text(a), *ng;
	size_t b, nb, made;
	uint32_t n;
	const struct tv_gen_cand *c = tv_gen_cands(g, br->cursor, &n);
	char word[64];

	if (!c || br->pick >= n)
		return;
	if (!br->tree && !(br->tree = tv_tree_new(g))) {
		tv_app_note(a, "out of memory");
		return;
	}
	b = tv_tree_find(br->tree, g);
	made = tv_tree_size(br->tree);
	nb = tv_tree_branch(br->tree, b, br->cursor, br->pick);
	tv_gen_word_text(a, c[br->pick].word, word, sizeof word, 24);
	if (nb == TV_TREE_NONE) {
		tv_app_note(a, "out of memory");
		return;
	}
	if (nb == b) {
		tv_app_note(a, "\"%s\" is the word written here: choose "
			    "another candidate (Up, Down, 1 to 0)", word);
		return;
	}
	ng = tv_tree_lane(br->tree, nb);
	/* A new branch goes on as long as the text it left; one that was
	 * there is shown as it is. */
	tv_genmode_set_text(a, ng, tv_tree_size(br->tree) > made
			    ? tv_gen_len(g) : 0);
	tv_app_note(a, "%s \"%s\" at word %zu", tv_tree_size(br->tree) > made
		    ? "new branch:" : "the branch with", word, br->cursor + 1);
}

/* Show branch nb: the cursor stays on its word, or where it left its
 * parent (at). */
static void
show(struct tv_app *a, size_t nb, size_t at)
{
	struct tv_branchmode *br = &a->gen->br;

	tv_genmode_set_text(a, tv_tree_lane(br->tree, nb), 0);
	cursor_to(a, at);
}

static void
walk(struct tv_app *a, int dir)
{
	struct tv_branchmode *br = &a->gen->br;

	if (!br->tree || tv_tree_size(br->tree) < 2) {
		tv_app_note(a, "one text, no branches yet: Enter makes one "
			    "from the chosen candidate");
		return;
	}
	show(a, tv_tree_next(br->tree, tv_tree_find(br->tree, text(a)), dir),
	     br->cursor);
}

static void
to_parent(struct tv_app *a)
{
	struct tv_branchmode *br = &a->gen->br;
	size_t b = br->tree ? tv_tree_find(br->tree, text(a)) : TV_TREE_NONE;

	if (b == TV_TREE_NONE || tv_tree_parent(br->tree, b) == TV_TREE_NONE) {
		tv_app_note(a, "this is the first text: no branch to go back to");
		return;
	}
	show(a, tv_tree_parent(br->tree, b), tv_tree_fork(br->tree, b));
}

static void
choose(struct tv_app *a, int delta, int at)
{
	struct tv_branchmode *br = &a->gen->br;
	uint32_t n;

	tv_gen_cands(text(a), br->cursor, &n);
	if (n == 0)
		return;
	if (at >= 0)
		br->pick = (uint32_t)at < n ? (uint32_t)at : n - 1;
	else if (delta < 0)
		br->pick = br->pick > 0 ? br->pick - 1 : 0;
	else
		br->pick = br->pick + 1 < n ? br->pick + 1 : n - 1;
}

int
tv_branchmode_key(struct tv_app *a, int key)
{
	struct tv_branchmode *br = &a->gen->br;

	switch (tv_action_for_key(key, a->view, TV_INPUT_BRANCH)) {
	case TV_UI_BRANCH_LEFT:
		cursor_to(a, br->cursor > 0 ? br->cursor - 1 : 0);
		return 1;
	case TV_UI_BRANCH_RIGHT:
		cursor_to(a, br->cursor + 1);
		return 1;
	case TV_UI_BRANCH_FIRST:
		cursor_to(a, 0);
		return 1;
	case TV_UI_BRANCH_LAST:
		cursor_to(a, (size_t)-1);
		return 1;
	case TV_UI_BRANCH_UP:
		choose(a, -1, -1);
		return 1;
	case TV_UI_BRANCH_DOWN:
		choose(a, 1, -1);
		return 1;
	case TV_UI_BRANCH_PICK:
		choose(a, 0, key == '0' ? 9 : key - '1');
		return 1;
	case TV_UI_BRANCH_MAKE:
		make(a);
		return 1;
	case TV_UI_BRANCH_NEXT:
		walk(a, 1);
		return 1;
	case TV_UI_BRANCH_PREV:
		walk(a, -1);
		return 1;
	case TV_UI_BRANCH_PARENT:
		to_parent(a);
		return 1;
	case TV_UI_BRANCH_CLOSE:
		br->open = 0;
		return 1;
	default:
		return 0;
	}
}
