/* SPDX-License-Identifier: MIT */
/*
 * Branch mode as the generate view draws it (gendraw.h): the candidates
 * of the word under the cursor (its step's distribution after the
 * penalties: the final p as a bar, the model's own as a ghost, the word
 * written there marked, the chosen one pointed at), the tree of branches
 * with each one's words and bits per word, and the mode's keys.
 */
#include <stdio.h>
#include <string.h>

#include "ui/action.h"
#include "ui/gendraw.h"
#include "ui/genmode.h"

#define NUM_W 3
#define TOK_W 10
#define P_W 6
/* A branch's words and bits per word: "%5zu  %9s". */
#define FIG_W 16

static double
cands_scale(const struct tv_gen_cand *c, uint32_t n)
{
	double m = 0;

	for (uint32_t k = 0; k < n; k++) {
		m = c[k].p > m ? c[k].p : m;
		m = c[k].p_model > m ? c[k].p_model : m;
	}
	return m > 0 ? m : 1;
}

static void
cand_row(struct tv_app *a, struct tv_frame *f, struct tv_rect r, int y,
	 const struct tv_gen_cand *c, uint32_t k, double scale, int written)
{
	const struct tv_branchmode *br = &a->gen->br;
	struct tv_bar b = { 0 };
	char buf[64];
	int cut = !(c->p > 0), x = r.x;

	if (k == br->pick)
		tv_frame_puts(f, x, y, 1, a->look.g->pointer,
			      tv_st(a, TV_ROLE_FOCUS));
	snprintf(buf, sizeof buf, "%u", k + 1 == 10 ? 0 : k + 1);
	tv_w_label_right(f, x + 1, y, NUM_W - 1, buf,
			 tv_st(a, TV_ROLE_HELP_KEY));
	x += NUM_W + 1;
	tv_gen_word_text(a, c->word, buf, sizeof buf, TOK_W);
	tv_frame_puts(f, x, y, TOK_W, buf,
		      k == br->pick ? tv_st(a, TV_ROLE_FOCUS)
		      : tv_st(a, cut ? TV_ROLE_DIM : TV_ROLE_TEXT));
	x += TOK_W + 1;
	b.value = (cut ? c->p_model : c->p) / scale;
	b.ghost = c->p_model / scale;
	b.cut = cut;
	b.role = TV_ROLE_BAR;
	b.ghost_role = TV_ROLE_GHOST;
	tv_w_bar(f, (struct tv_rect){ x, y, r.x + r.w - x - P_W - 2, 1 },
		 &a->look, &b);
	if (cut)
		snprintf(buf, sizeof buf, "cut");
	else
		tv_gen_fmt_p(buf, sizeof buf, c->p);
	tv_w_label_right(f, r.x + r.w - P_W - 2, y, P_W, buf,
			 tv_st(a, cut ? TV_ROLE_DIM : TV_ROLE_STAT_VALUE));
	if (written)
		tv_frame_puts(f, r.x + r.w - 1, y, 1, a->look.g->chosen,
			      tv_st(a, TV_ROLE_MARKER));
}

void
tv_branch_render_cands(struct tv_app *a, struct tv_frame *f,
		       struct tv_rect r)
{
	const struct tv_gen *g = a->gen->lane[TV_LANE_DIAL];
	size_t i = tv_branchmode_shown(a);
	const struct tv_gen_step *s = tv_gen_at(g, i);
	uint32_t n;
	const struct tv_gen_cand *c = tv_gen_cands(g, i, &n);
	char word[48], text[96];
	int y = r.y + 1;

	if (!s || !c || r.w < 24 || r.h < 3)
		return;
	tv_gen_word_text(a, s->word, word, sizeof word, 12);
	snprintf(text, sizeof text, "word %zu \"%s\": its candidates", i + 1,
		 word);
	/* Narrow, the word and its place say enough. */
	if (tv_str_width(text) > r.w - P_W)
		snprintf(text, sizeof text, "word %zu \"%s\"", i + 1, word);
	tv_w_label(f, r.x, r.y, r.w - P_W, text, tv_st(a, TV_ROLE_STAT_LABEL));
	tv_w_label_right(f, r.x, r.y, r.w - 2, "p",
			 tv_st(a, TV_ROLE_STAT_LABEL));
	for (uint32_t k = 0; k < n && y < r.y + r.h - 1; k++)
		cand_row(a, f, r, y++, &c[k], k, cands_scale(c, n),
			 c[k].word == s->word);
	snprintf(text, sizeof text, "%s the word written  H %.2f bits",
		 a->look.g->chosen, s->entropy_bits);
	tv_w_label(f, r.x, y, r.w, text, tv_st(a, TV_ROLE_STAT_LABEL));
}

/* "@3 dog", the word where branch b left its parent and what it took
 * there; "the first text" for the root. */
static void
branch_name(const struct tv_app *a, const struct tv_tree *t, size_t b,
	    char *buf, size_t cap)
{
	const struct tv_gen *g = tv_tree_lane(t, b);
	size_t at = tv_tree_fork(t, b);
	char word[32];

	if (tv_tree_parent(t, b) == TV_TREE_NONE) {
		snprintf(buf, cap, "the first text");
		return;
	}
	/* Undone to before its own word: where it left, and that it is
	 * back there. */
	if (tv_gen_len(g) <= at) {
		snprintf(buf, cap, "@%zu (undone)", at + 1);
		return;
	}
	tv_gen_word_text(a, tv_gen_at(g, at)->word, word, sizeof word, 12);
	snprintf(buf, cap, "@%zu %s", at + 1, word);
}

int
tv_branch_render_tree(struct tv_app *a, struct tv_frame *f,
		      struct tv_rect r)
{
	const struct tv_tree *t = a->gen->br.tree;
	const struct tv_gen *shown = a->gen->lane[TV_LANE_DIAL];
	char name[64], text[96], bits[48];
	size_t first = 0, rows, at = 0;

	if (!t || tv_tree_size(t) < 2 || r.h < 2 || r.w < 24)
		return 0;
	rows = (size_t)r.h - 1 < tv_tree_size(t) ? (size_t)r.h - 1
		: tv_tree_size(t);
	/* The branch shown stays among the rows. */
	while (at < tv_tree_size(t) && tv_tree_lane(t, tv_tree_at(t, at)) !=
	       shown)
		at++;
	if (at >= rows)
		first = at - rows + 1;
	/* The figures' columns take FIG_W on the right of every row. */
	snprintf(text, sizeof text, "branches (%zu)", tv_tree_size(t));
	tv_w_label(f, r.x, r.y, r.w - FIG_W - 1, text,
		   tv_st(a, TV_ROLE_STAT_LABEL));
	tv_w_label_right(f, r.x, r.y, r.w, "words  bits/word",
			 tv_st(a, TV_ROLE_STAT_LABEL));
	for (size_t k = 0; k < rows; k++) {
		size_t b = tv_tree_at(t, first + k);
		const struct tv_gen *g = tv_tree_lane(t, b);
		int y = r.y + 1 + (int)k, on = g == shown;
		int x = r.x + 2 + 2 * (int)tv_tree_depth(t, b);
		struct tv_style st = tv_st(a, on ? TV_ROLE_FOCUS
					   : TV_ROLE_TEXT);

		if (on)
			tv_frame_puts(f, r.x, y, 2, a->look.g->pointer, st);
		branch_name(a, t, b, name, sizeof name);
		tv_w_label(f, x, y, r.x + r.w - x - FIG_W - 1, name, st);
		if (tv_gen_len(g))
			snprintf(bits, sizeof bits, "%.2f",
				 tv_gen_bits_per_word(g));
		else
			snprintf(bits, sizeof bits, "-");
		snprintf(text, sizeof text, "%5zu  %9s", tv_gen_len(g), bits);
		tv_w_label_right(f, r.x, y, r.w, text,
				 tv_st(a, on ? TV_ROLE_STAT_VALUE
				       : TV_ROLE_STAT_LABEL));
	}
	return (int)rows + 1;
}

void
tv_gen_key_hints(struct tv_app *a, struct tv_frame *f, int x, int y, int w,
		 const struct tv_key_hint *hint, size_t n)
{
	int end = x + w;

	for (size_t i = 0; i < n; i++) {
		const struct tv_action_info *ai = tv_action_info(hint[i].act);
		const char *what = hint[i].what ? hint[i].what : ai->name;
		char key[16];

		tv_key_name(ai->keys[0], key, sizeof key);
		if (x + (int)strlen(key) + 1 + (int)strlen(what) > end)
			break;
		x += tv_frame_puts(f, x, y, end - x, key,
				   tv_st(a, TV_ROLE_HELP_KEY));
		x += (what[0] ? 1 : 0) +
		     tv_frame_puts(f, x + 1, y, end - x - 1, what,
				   tv_st(a, TV_ROLE_DIM));
		x += 1 + (what[0] ? 1 : 0);
	}
}

void
tv_branch_render_hints(struct tv_app *a, struct tv_frame *f, int x, int y,
		       int w)
{
	static const struct tv_key_hint hint[] = {
		{ TV_UI_BRANCH_LEFT, "" }, { TV_UI_BRANCH_RIGHT, "word" },
		{ TV_UI_BRANCH_UP, "" }, { TV_UI_BRANCH_DOWN, "candidate" },
		{ TV_UI_BRANCH_MAKE, "branch" }, { TV_UI_BRANCH_PREV, "" },
		{ TV_UI_BRANCH_NEXT, "walk" }, { TV_UI_BRANCH_PARENT, "back" },
		{ TV_UI_BRANCH_CLOSE, "leave" },
	};

	tv_gen_key_hints(a, f, x, y, w, hint, sizeof hint / sizeof *hint);
}
