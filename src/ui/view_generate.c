/* SPDX-License-Identifier: MIT */
/*
 * The generate view: the prompt and the text the model wrote at the
 * dials, each word in the colour of how likely it was when drawn (cold
 * blue: near certain; white: one in a hundred; red: a long shot), the
 * next word's bars beside it; or three lanes of the same prompt at
 * T = 0, the dial's T and a hot T, with their bits per word and the loop
 * greedy decoding falls into. State and actions live in genmode.c.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "io/safetext.h"
#include "ui/action.h"
#include "ui/genmode.h"

/* The next-word panel: its width and the token column. */
#define BARS_W 34
#define TOK_W 12

/* ------------------------------------------------------------- words --- */

/* The ramp's coldest quarter is a blue too dark to read as text on a
 * dark screen: text starts above it. */
#define RAMP_TEXT_LO 0.25

/* Where p sits on the temperature ramp: 1 at the readable cold end, 1%
 * the white middle, 1e-4 and below the hot end. */
static double
p_ramp01(double p)
{
	double d = p > 0 ? -log10(p) : 4;
	double x = d < 2 ? RAMP_TEXT_LO + (0.5 - RAMP_TEXT_LO) * d / 2
		: 0.5 + 0.25 * (d - 2);

	return x < RAMP_TEXT_LO ? RAMP_TEXT_LO : x > 1 ? 1 : x;
}

static struct tv_style
p_style(const struct tv_app *a, double p)
{
	return tv_theme_ramp(a->look.tier, p_ramp01(p));
}

/* A word of the text laid out in lines: pass one counts the rows, pass
 * two draws those that fit, the newest at the bottom. */
struct flow {
	struct tv_app *a;
	struct tv_frame *f;
	struct tv_rect r;
	int x, row;
	int skip;               /* rows scrolled off the top */
	int draw;
};

static void
flow_put(struct flow *fl, const char *word, struct tv_style st,
	 const char *suffix, int glue)
{
	int w = tv_str_width(word), sw = suffix ? tv_str_width(suffix) : 0;
	int y;

	/* Too wide for a line: the rank goes, then the word is clipped. */
	if (w + sw > fl->r.w)
		sw = 0;
	if (w > fl->r.w)
		w = fl->r.w;
	if (fl->x > 0 && !glue)
		fl->x++;
	if (fl->x > 0 && fl->x + w + sw > fl->r.w) {
		fl->row++;
		fl->x = 0;
	}
	y = fl->r.y + fl->row - fl->skip;
	if (fl->draw && y >= fl->r.y && y < fl->r.y + fl->r.h) {
		int x = fl->r.x + fl->x;

		x += tv_w_label(fl->f, x, y, w, word, st);
		if (sw)
			tv_frame_puts(fl->f, x, y, sw, suffix,
				      tv_st(fl->a, TV_ROLE_DIM));
	}
	fl->x += w + sw;
}

static void
flow_prompt(struct flow *fl, const struct tv_genmode *gm)
{
	char buf[256];
	size_t at = 0, s, n;

	while ((n = tv_genmode_next_word(gm, &at, &s)) > 0) {
		int ok = tv_genmode_known(gm, gm->prompt + s, n);

		tv_safe_text(gm->prompt + s, n, buf, sizeof buf, fl->r.w,
			     !fl->a->look.g->utf8);
		flow_put(fl, buf, tv_st(fl->a, ok ? TV_ROLE_HEADER
					: TV_ROLE_ERROR), NULL, 0);
	}
}

/* The display form of a generated word (</s> is the full stop that ends
 * a sentence); 1 when it sits on the word before: a full stop, or a
 * server's piece that does not start with a space (the space a piece
 * starts with is the gap the text puts between words). */
static int
word_text(const struct tv_app *a, int32_t id, char *buf, size_t cap, int w)
{
	const struct tv_model *m = a->gen->m;
	const char *s = tv_model_word(m, id);
	int glue = id == m->eos;

	if (m->pieces) {
		glue = s[0] != ' ';
		s += !glue;
	}
	tv_safe_text(s, strlen(s), buf, cap, w, !a->look.g->utf8);
	return glue;
}

static void
flow_words(struct flow *fl, const struct tv_gen *g)
{
	const struct tv_app *a = fl->a;
	size_t n = tv_gen_len(g), i;
	/* The words that only repeat the stretch before them. */
	size_t loop = tv_gen_loop(g) ? tv_gen_loop_from(g) + tv_gen_loop(g)
		: n;
	char buf[256], rank[16];

	for (i = 0; i < n; i++) {
		const struct tv_gen_step *st = tv_gen_at(g, i);
		struct tv_style s = p_style(a, st->p);
		int stop = word_text(a, st->word, buf, sizeof buf, fl->r.w);

		if (i >= loop)
			s.attr |= TV_A_UNDERLINE;
		snprintf(rank, sizeof rank, "(%u)", st->rank);
		flow_put(fl, buf, s, a->gen->ranks ? rank : NULL, stop);
	}
}

/* The prompt, then the text; while the prompt is edited, the cursor
 * where the next character goes. */
static void
flow_all(struct flow *fl, const struct tv_gen *g)
{
	struct tv_style cur = tv_st(fl->a, TV_ROLE_FOCUS);
	const struct tv_genmode *gm = fl->a->gen;

	flow_prompt(fl, gm);
	if (gm->editing)
		flow_put(fl, " ", cur, NULL, gm->len == 0 ||
			 !isspace((unsigned char)gm->prompt[gm->len - 1]));
	else
		flow_words(fl, g);
}

/* The prompt and the text in r, scrolled so the newest word shows. */
static void
render_text(struct tv_app *a, struct tv_frame *f, struct tv_rect r,
	    const struct tv_gen *g)
{
	struct flow fl = { a, f, r, 0, 0, 0, 0 };
	int rows;

	if (r.w < 4 || r.h < 1)
		return;
	flow_all(&fl, g);
	rows = fl.row + 1;
	fl = (struct flow){ a, f, r, 0, 0, rows > r.h ? rows - r.h : 0, 1 };
	flow_all(&fl, g);
}

/* ------------------------------------------------------------- lines --- */

static void
fmt_p(char *buf, size_t cap, double p)
{
	if (p >= 0.1)
		snprintf(buf, cap, "%.0f%%", p * 100);
	else if (p >= 0.0001)
		snprintf(buf, cap, "%.2g%%", p * 100);
	else
		snprintf(buf, cap, "<.01%%");
}

/* "3.42 bits/word  ppl 10.7" (without the perplexity when that is wider
 * than w), or a dash before the first word. */
static void
fmt_bits(char *buf, size_t cap, const struct tv_gen *g, int w)
{
	double b = tv_gen_bits_per_word(g);
	char ppl[32];

	if (tv_gen_len(g) == 0 || !isfinite(b)) {
		snprintf(buf, cap, "- bits/word");
		return;
	}
	if (exp2(b) < 1000)
		snprintf(ppl, sizeof ppl, "%.1f", exp2(b));
	else
		tv_fmt_count(ppl, sizeof ppl, exp2(b));
	snprintf(buf, cap, "%.2f bits/word  ppl %s", b, ppl);
	if (tv_str_width(buf) > w)
		snprintf(buf, cap, "%.2f bits/word", b);
}

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
		x += tv_frame_puts(f, x, y, 1, block, p_style(a, steps[i]));
		x += 1 + tv_frame_puts(f, x + 1, y, end - x - 1, names[i],
				       p_style(a, steps[i]));
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
	word_text(a, st->word, word, sizeof word, 20);
	fmt_p(p, sizeof p, st->p);
	snprintf(text, sizeof text, "last: %s  p %s  rank %u", word, p,
		 st->rank);
	if (used + 2 + tv_str_width(text) <= w)
		tv_w_label_right(f, x, y, w, text, p_style(a, st->p));
}

/* Key hints from the action table: key and name of each. */
static void
render_hints(struct tv_app *a, struct tv_frame *f, int x, int y, int w)
{
	static const enum tv_ui_action acts[] = {
		TV_UI_GEN_STEP, TV_UI_GEN_RUN, TV_UI_GEN_UNDO,
		TV_UI_GEN_RESTART, TV_UI_GEN_RESEED, TV_UI_GEN_LANES,
		TV_UI_GEN_RANKS, TV_UI_PROMPT_EDIT, TV_UI_PROMPT_NEXT,
	};
	int i, end = x + w;

	for (i = 0; i < (int)(sizeof acts / sizeof *acts); i++) {
		const struct tv_action_info *ai = tv_action_info(acts[i]);
		char key[16];
		int need;

		tv_key_name(ai->keys[0], key, sizeof key);
		need = (int)strlen(key) + 1 + (int)strlen(ai->name);
		if (x + need > end)
			break;
		x += tv_frame_puts(f, x, y, end - x, key,
				   tv_st(a, TV_ROLE_HELP_KEY));
		x += 1 + tv_frame_puts(f, x + 1, y, end - x - 1, ai->name,
				       tv_st(a, TV_ROLE_DIM));
		x += 2;
	}
}

static void
render_status(struct tv_app *a, struct tv_frame *f, struct tv_rect r,
	      const struct tv_gen *g)
{
	struct tv_genmode *gm = a->gen;
	char text[160], bits[64];
	int x = r.x, end = r.x + r.w;

	fmt_bits(bits, sizeof bits, g, r.w);
	snprintf(text, sizeof text, "%s  words %zu  %s  seed %u  ",
		 gm->running ? "running" : "paused", tv_gen_len(g), bits,
		 a->seed);
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
		fmt_p(buf, sizeof buf, p);
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
 * fit w columns. */
static void
lane_title(struct tv_app *a, int i, char *buf, size_t cap, int w)
{
	double t = tv_genmode_lane_temp(a, i);
	const char *dial = i == TV_LANE_DIAL ? " (dial)" : "";

	snprintf(buf, cap, "T = %.3g %s%s", t, t == 0 ? "greedy"
		 : tv_temp_regime(t), dial);
	if (tv_str_width(buf) > w)
		snprintf(buf, cap, "T = %.3g%s", t, dial);
}

static void
render_lane(struct tv_app *a, struct tv_frame *f, struct tv_rect r, int i)
{
	const struct tv_gen *g = a->gen->lane[i];
	struct tv_style ts = tv_st(a, TV_ROLE_STAT_VALUE);
	char text[96];

	if (!g || r.w < 6 || r.h < 4)
		return;
	lane_title(a, i, text, sizeof text, r.w);
	if (a->look.tier != TV_TIER_MONO)
		ts.fg = tv_theme_ramp(a->look.tier, fmax(RAMP_TEXT_LO,
			tv_theme_temp01(tv_genmode_lane_temp(a, i)))).fg;
	tv_w_label(f, r.x, r.y, r.w, text, ts);
	render_text(a, f, (struct tv_rect){ r.x, r.y + 1, r.w, r.h - 3 }, g);
	fmt_bits(text, sizeof text, g, r.w);
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

		render_lane(a, f, (struct tv_rect){ x + 1, r.y, cw - 3, r.h },
			    i);
		if (i == 0)
			continue;
		for (y = r.y; y < r.y + r.h; y++)
			tv_frame_puts(f, x - 1, y, 1, a->look.g->axis_v,
				      tv_st(a, TV_ROLE_BORDER));
	}
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
	if (gm->lanes) {
		render_lanes(a, f, body);
	} else {
		bw = body.w >= 2 * BARS_W ? BARS_W : body.w / 2;
		render_text(a, f, (struct tv_rect){ body.x, body.y,
			    body.w - bw - 2, body.h }, g);
		render_next(a, f, (struct tv_rect){ body.x + body.w - bw,
			    body.y, bw, body.h });
	}
	render_status(a, f, (struct tv_rect){ body.x, r.y + r.h - 3, body.w,
			      1 }, g);
	used = render_legend(a, f, body.x, r.y + r.h - 2, body.w);
	if (!gm->lanes)
		render_last(a, f, body.x, r.y + r.h - 2, body.w, used, g);
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
