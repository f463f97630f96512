/* SPDX-License-Identifier: MIT */
/*
 * The generate view: the prompt and the text the model wrote at the
 * dials, each word in the colour of how likely it was when drawn (cold
 * blue: near certain; white: one in a hundred; red: a long shot), the
 * next word's bars beside it and, below the text, the words the penalties
 * and DRY pushed down at the last word (or mirostat's plot); or three
 * lanes of the same prompt at T = 0, the dial's T and a hot T (or beam
 * search), with their bits per word and the loop greedy decoding falls
 * into. In branch mode the bars give way to the candidates of the word
 * under the cursor, and the tree of branches shows below the text.
 * State and actions live in genmode.c, branchmode.c and beamlane.c; the
 * drawing is split as gendraw.h says.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "io/safetext.h"
#include "ui/action.h"
#include "ui/gendraw.h"
#include "ui/genmode.h"

/* The next-word panel: its width and the token column. */
#define BARS_W 34
#define TOK_W 12

/* ------------------------------------------------------------- lines --- */

static int
loop_mark(struct tv_app *a, struct tv_frame *f, int x, int y, int w,
	  const struct tv_gen *g)
{
	size_t loop = tv_gen_loop(g);
	char text[64];

	if (loop == 0 || w < 4)
		return 0;
	snprintf(text, sizeof text, "%s loop of %zu word%s", a->look.g->loop,
		 loop, loop > 1 ? "s" : "");
	return tv_w_label(f, x, y, w, text, tv_st(a, TV_ROLE_WARN));
}

/* The legend of the word colours: five steps of p. Returns the columns
 * used. */
static int
render_legend(struct tv_app *a, struct tv_frame *f, int x, int y, int w)
{
	static const double steps[] = { 1, 0.1, 0.01, 0.001, 0.0001 };
	static const char *const names[] = { "100%", "10%", "1%", "0.1%",
					     "0.01%" };
	const char *block = a->look.g->eighth[8];
	int i, end = x + w;

	x += tv_w_label(f, x, y, end - x, "p when drawn ",
			tv_st(a, TV_ROLE_STAT_LABEL));
	for (i = 0; i < 5 && x + 8 <= end; i++) {
		x += tv_frame_puts(f, x, y, 1, block, tv_gen_p_style(a, steps[i]));
		x += 1 + tv_frame_puts(f, x + 1, y, end - x - 1, names[i],
				       tv_gen_p_style(a, steps[i]));
		x += 1;
	}
	return w - (end - x);
}

/* The last word drawn, its p and rank, right-aligned in the w columns
 * from x when they fit beside what is there (used columns). */
static void
render_last(struct tv_app *a, struct tv_frame *f, int x, int y, int w,
	    int used, const struct tv_gen *g)
{
	const struct tv_gen_step *st;
	char word[64], p[16], text[128];

	if (tv_gen_len(g) == 0)
		return;
	st = tv_gen_at(g, tv_gen_len(g) - 1);
	tv_gen_word_text(a, st->word, word, sizeof word, 20);
	tv_gen_fmt_p(p, sizeof p, st->p);
	snprintf(text, sizeof text, "last: %s  p %s  rank %u", word, p,
		 st->rank);
	if (used + 2 + tv_str_width(text) <= w)
		tv_w_label_right(f, x, y, w, text, tv_gen_p_style(a, st->p));
}

/* Key hints from the action table: key and name of each. */
static void
render_hints(struct tv_app *a, struct tv_frame *f, int x, int y, int w)
{
	static const struct tv_key_hint hint[] = {
		{ TV_UI_GEN_STEP, NULL }, { TV_UI_GEN_RUN, NULL },
		{ TV_UI_GEN_UNDO, NULL }, { TV_UI_GEN_RESTART, NULL },
		{ TV_UI_GEN_LANES, NULL }, { TV_UI_GEN_BRANCH, NULL },
		{ TV_UI_GEN_BEAM, NULL }, { TV_UI_PROMPT_EDIT, NULL },
		{ TV_UI_GEN_RESEED, NULL }, { TV_UI_GEN_RANKS, NULL },
		{ TV_UI_GEN_MOVES, NULL }, { TV_UI_PROMPT_NEXT, NULL },
	};

	tv_gen_key_hints(a, f, x, y, w, hint, sizeof hint / sizeof *hint);
}

static void
render_status(struct tv_app *a, struct tv_frame *f, struct tv_rect r,
	      const struct tv_gen *g)
{
	struct tv_genmode *gm = a->gen;
	char text[200], bits[64], branch[32];
	int x = r.x, end = r.x + r.w;

	tv_gen_fmt_bits(bits, sizeof bits, g, r.w);
	tv_branchmode_label(a, branch, sizeof branch);
	snprintf(text, sizeof text, "%s  words %zu  %s  seed %u  %s%s",
		 gm->br.open ? "branch mode" : gm->running ? "running"
		 : "paused", tv_gen_len(g), bits, a->seed, branch,
		 branch[0] ? "  " : "");
	x += tv_w_label(f, x, r.y, end - x, text,
			tv_st(a, gm->running ? TV_ROLE_WARN
			      : TV_ROLE_STAT_LABEL));
	loop_mark(a, f, x, r.y, end - x, g);
}

/* ------------------------------------------------------- next word --- */

/* The narrow panel scales its bars so the widest row shown (final p or
 * the model's own) fills it; the figures beside them stay absolute. */
static double
bars_scale(const struct tv_app *a, uint32_t rows)
{
	double m = 0;
	uint32_t pos;

	for (pos = 0; pos < a->d->n_finite && pos < rows; pos++)
		m = fmax(m, fmax(tv_result_p(a->d, &a->res, pos),
				 tv_base_p(a->d, pos)));
	return m > 0 ? m : 1;
}

static void
bar_row(struct tv_app *a, struct tv_frame *f, struct tv_rect r, int y,
	uint32_t pos, double scale)
{
	const struct tv_dist *d = a->d;
	int cut = tv_result_cut_by(&a->res, pos, d);
	double p = tv_result_p(d, &a->res, pos);
	struct tv_bar b = { 0 };
	char buf[64];

	tv_app_token(a, pos, buf, sizeof buf, TOK_W);
	tv_frame_puts(f, r.x, y, TOK_W, buf,
		      tv_st(a, cut >= 0 ? TV_ROLE_DIM : TV_ROLE_TEXT));
	b.value = (cut >= 0 ? tv_base_p(d, pos) : p) / scale;
	b.ghost = tv_base_p(d, pos) / scale;
	b.cut = cut >= 0;
	b.role = TV_ROLE_BAR;
	b.ghost_role = TV_ROLE_GHOST;
	tv_w_bar(f, (struct tv_rect){ r.x + TOK_W + 1, y, r.w - TOK_W - 8, 1 },
		 &a->look, &b);
	if (cut >= 0)
		snprintf(buf, sizeof buf, "cut");
	else
		tv_gen_fmt_p(buf, sizeof buf, p);
	tv_w_label_right(f, r.x + r.w - 6, y, 6, buf,
			 tv_st(a, cut >= 0 ? TV_ROLE_DIM : TV_ROLE_STAT_VALUE));
}

static void
render_next(struct tv_app *a, struct tv_frame *f, struct tv_rect r)
{
	const struct tv_stats *s = &a->res.stats;
	char text[96], k[32];
	uint32_t pos, rows = r.h > 2 ? (uint32_t)r.h - 2 : 0;
	double scale = bars_scale(a, rows);
	int y = r.y + 1;

	tv_w_label(f, r.x, r.y, r.w, "next word", tv_st(a, TV_ROLE_STAT_LABEL));
	snprintf(text, sizeof text, "%s T = 1, bars scaled   p",
		 a->look.g->ghost);
	if (tv_str_width(text) > r.w - 10)
		snprintf(text, sizeof text, "scaled   p");
	tv_w_label_right(f, r.x + 10, r.y, r.w - 10, text,
			 tv_st(a, TV_ROLE_STAT_LABEL));
	for (pos = 0; pos < a->d->n_finite && pos < rows; pos++)
		bar_row(a, f, r, y++, pos, scale);
	tv_fmt_count(k, sizeof k, s->kept);
	snprintf(text, sizeof text, "H %.2f bits  kept %s", s->entropy_bits, k);
	tv_w_label(f, r.x, y, r.w, text, tv_st(a, TV_ROLE_STAT_LABEL));
}

/* ------------------------------------------------------------- lanes --- */

/* "T = 0.7 natural (dial)", without the regime word when that does not
 * fit w columns; the cold lane says when it runs without the penalties. */
static void
lane_title(struct tv_app *a, int i, char *buf, size_t cap, int w)
{
	double t = tv_genmode_lane_temp(a, i);
	const char *dial = i == TV_LANE_DIAL ? " (dial)" : "";
	const char *plain = i == TV_LANE_GREEDY && tv_genmode_plain_cold(a)
		? ", no penalties" : "";

	snprintf(buf, cap, "T = %.3g %s%s%s", t, t == 0 ? "greedy"
		 : tv_temp_regime(t), dial, plain);
	if (tv_str_width(buf) > w)
		snprintf(buf, cap, "T = %.3g%s%s", t, dial, plain);
	if (tv_str_width(buf) > w)
		snprintf(buf, cap, "T = %.3g%s", t, dial);
}

/* The text of a lane with the earlier words of its last step's selected
 * move marked. */
static void
lane_text(struct tv_app *a, struct tv_frame *f, struct tv_rect r,
	  const struct tv_gen *g, size_t cursor)
{
	unsigned char mark[TV_GEN_MAX_WORDS];
	size_t i = cursor != SIZE_MAX ? cursor : tv_gen_len(g) - 1;
	struct tv_text_marks mk = {
		.cause = tv_gen_len(g) ? tv_gen_mark_causes(g, i, a->gen->move,
			 mark, sizeof mark) : NULL,
		.cursor = cursor,
	};

	tv_gen_render_text(a, f, r, g, &mk);
}

static void
render_lane(struct tv_app *a, struct tv_frame *f, struct tv_rect r, int i)
{
	const struct tv_gen *g = a->gen->lane[i];
	struct tv_style ts = tv_st(a, TV_ROLE_STAT_VALUE);
	char text[96];

	if (!g || r.w < 6 || r.h < 5)
		return;
	lane_title(a, i, text, sizeof text, r.w);
	if (a->look.tier != TV_TIER_MONO)
		ts.fg = tv_theme_ramp(a->look.tier, fmax(TV_GEN_RAMP_LO,
			tv_theme_temp01(tv_genmode_lane_temp(a, i)))).fg;
	tv_w_label(f, r.x, r.y, r.w, text, ts);
	lane_text(a, f, (struct tv_rect){ r.x, r.y + 1, r.w, r.h - 4 }, g,
		  SIZE_MAX);
	tv_gen_render_move_line(a, f, r.x, r.y + r.h - 3, r.w, g);
	tv_gen_fmt_bits(text, sizeof text, g, r.w);
	tv_w_label(f, r.x, r.y + r.h - 2, r.w, text,
		   tv_st(a, TV_ROLE_STAT_LABEL));
	if (!loop_mark(a, f, r.x, r.y + r.h - 1, r.w, g))
		tv_w_label(f, r.x, r.y + r.h - 1, r.w, tv_gen_len(g) ? "no loop"
			   : "", tv_st(a, TV_ROLE_DIM));
}

static void
render_lanes(struct tv_app *a, struct tv_frame *f, struct tv_rect r)
{
	int cw = (r.w - 2) / TV_LANES, i, y;

	for (i = 0; i < TV_LANES; i++) {
		int x = r.x + 1 + i * cw;
		struct tv_rect lr = { x + 1, r.y, cw - 3, r.h };

		if (i == TV_LANE_HOT && tv_genmode_beam_shown(a))
			tv_beam_render_lane(a, f, lr);
		else
			render_lane(a, f, lr, i);
		if (i == 0)
			continue;
		for (y = r.y; y < r.y + r.h; y++)
			tv_frame_puts(f, x - 1, y, 1, a->look.g->axis_v,
				      tv_st(a, TV_ROLE_BORDER));
	}
}

/* -------------------------------------------------------- one text --- */

/* The main text with, below it, what the samplers with memory did at
 * the step shown (the words pushed down, or mirostat's plot) and, in
 * branch mode, the tree. */
static void
render_main(struct tv_app *a, struct tv_frame *f, struct tv_rect r)
{
	struct tv_genmode *gm = a->gen;
	const struct tv_gen *g = gm->lane[TV_LANE_DIAL];
	size_t shown = tv_branchmode_shown(a);
	int tree = 0, memo = 0, room = r.h - 3;

	if (gm->br.open && gm->br.tree && tv_tree_size(gm->br.tree) > 1) {
		tree = (int)tv_tree_size(gm->br.tree) + 1;
		tree = tree > r.h / 3 ? r.h / 3 : tree;
		room -= tree;
	}
	if (tv_gen_has_mirostat(g))
		memo = room >= 5 ? (room > 12 ? 10 : room) : 0;
	else if (shown != SIZE_MAX)
		memo = tv_gen_moves_rows(g, shown);
	/* The text keeps half the column. */
	room = room > r.h / 2 + 1 ? r.h / 2 + 1 : room;
	memo = memo > room ? (room >= 4 ? room : 0) : memo;
	lane_text(a, f, (struct tv_rect){ r.x, r.y, r.w, r.h - memo - tree -
		  (memo || tree) }, g, gm->br.open ? shown : SIZE_MAX);
	if (tree)
		tv_branch_render_tree(a, f, (struct tv_rect){ r.x,
				      r.y + r.h - tree, r.w, tree });
	if (memo && tv_gen_has_mirostat(g))
		tv_gen_render_mirostat(a, f, (struct tv_rect){ r.x, r.y + r.h -
				       tree - memo, r.w, memo }, g);
	else if (memo)
		tv_gen_render_moves(a, f, (struct tv_rect){ r.x, r.y + r.h -
				    tree - memo, r.w, memo }, g, shown,
				    gm->move);
}

/* -------------------------------------------------------------- view --- */

static void
render_no_model(struct tv_app *a, struct tv_frame *f, struct tv_rect r)
{
	char text[320];

	if (tv_model_available())
		snprintf(text, sizeof text, "The generate view writes text "
			 "with a language model. Start tempviz with --lm [PATH] "
			 "--prompt TEXT: without a PATH it opens $TEMPVIZ_LM, "
			 "then Debian's pocketsphinx-en-us trigram (apt-get "
			 "install pocketsphinx-en-us).");
	else
		snprintf(text, sizeof text, "The generate view writes text "
			 "with a language model, and this tempviz was built "
			 "without one: %s, then rebuild.", TV_LM_INSTALL);
	tv_w_text(f, (struct tv_rect){ r.x + 2, r.y + 1, r.w - 4, r.h - 2 },
		  text, tv_st(a, TV_ROLE_WARN));
}

static void
render_unknown(struct tv_app *a, struct tv_frame *f, int x, int y, int w)
{
	const char *u = tv_gen_unknown(a->gen->lane[TV_LANE_DIAL]);
	char safe[160], text[256];

	if (!u || !u[0])
		return;
	tv_safe_text(u, strlen(u), safe, sizeof safe, 60, !a->look.g->utf8);
	snprintf(text, sizeof text, "not in the model: %s (the context "
		 "starts again after it)", safe);
	tv_w_label(f, x, y, w, text, tv_st(a, TV_ROLE_ERROR));
}

static void
generate_render(struct tv_app *a, struct tv_frame *f, struct tv_rect r)
{
	struct tv_genmode *gm = tv_genmode(a);
	const struct tv_gen *g;
	struct tv_rect body;
	int dial_rows, bw, used;

	if (!gm) {
		render_no_model(a, f, r);
		return;
	}
	g = gm->lane[TV_LANE_DIAL];
	dial_rows = tv_dials_render(a, f, r);
	body = (struct tv_rect){ r.x + 1, r.y + dial_rows + 1, r.w - 2,
				 r.h - dial_rows - 4 };
	render_unknown(a, f, body.x, body.y - 1, body.w);
	if (gm->lanes && !gm->br.open) {
		render_lanes(a, f, body);
	} else {
		struct tv_rect right;

		bw = body.w >= 2 * BARS_W ? BARS_W : body.w / 2;
		right = (struct tv_rect){ body.x + body.w - bw, body.y, bw,
					  body.h };
		render_main(a, f, (struct tv_rect){ body.x, body.y,
			    body.w - bw - 2, body.h });
		if (gm->br.open)
			tv_branch_render_cands(a, f, right);
		else
			render_next(a, f, right);
	}
	render_status(a, f, (struct tv_rect){ body.x, r.y + r.h - 3, body.w,
			      1 }, g);
	used = render_legend(a, f, body.x, r.y + r.h - 2, body.w);
	if (!gm->lanes || gm->br.open)
		render_last(a, f, body.x, r.y + r.h - 2, body.w, used, g);
	if (gm->br.open)
		tv_branch_render_hints(a, f, body.x, r.y + r.h - 1, body.w);
	else
		render_hints(a, f, body.x, r.y + r.h - 1, body.w);
}

static int
generate_action(struct tv_app *a, int act)
{
	return tv_genmode_action(a, act);
}

static int
generate_animating(const struct tv_app *a)
{
	return tv_genmode_running(a);
}

const struct tv_view_ops tv_view_generate_ops = {
	.name = "generate",
	.render = generate_render,
	.action = generate_action,
	.tick = tv_genmode_tick,
	.animating = generate_animating,
};
