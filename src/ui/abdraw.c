/* SPDX-License-Identifier: MIT */
/*
 * The A/B split as the explore view draws it: the dials (of the pane
 * they turn), each pane's settings, the tokens with A's and B's bars side
 * by side and a mark where one keeps a token the other cuts, each pane's
 * entropy and kept count, and KL(A || B) and the total variation.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tempviz/history.h"
#include "ui/abmode.h"

#define MARK_W 6        /* "A only" */
#define PCT_W 7

struct ab_cols {
	int x_tok, w_tok;
	int x_pane[2], w_pane;  /* a pane: its bar, then its percentage */
	int x_mark;
	double scale;           /* the p a full bar stands for */
};

static struct ab_cols
ab_layout(struct tv_rect r)
{
	struct ab_cols c;
	int room;

	c.w_tok = r.w >= 120 ? 20 : 12;
	c.x_tok = r.x + 1;
	c.x_mark = r.x + r.w - 1 - MARK_W;
	room = c.x_mark - 1 - (c.x_tok + c.w_tok + 1);
	c.w_pane = (room - 1) / 2;
	c.x_pane[0] = c.x_tok + c.w_tok + 1;
	c.x_pane[1] = c.x_pane[0] + c.w_pane + 1;
	c.scale = 1;
	return c;
}

/* After n bytes of buf: the samplers with memory the pane's rules run
 * (its distribution is the model's under them). */
static void
memory_text(const struct tv_ab_pane *p, char *buf, size_t cap, size_t n)
{
	const struct tv_params *q = p->par;
	enum tv_profile rules = p->chain->rules;

	if (n < cap && tv_penalties_on(q, rules)) {
		if (q->repeat_penalty != 1)
			n += (size_t)snprintf(buf + n, cap - n, ", repeat %.2f",
					      q->repeat_penalty);
		if (n < cap && q->freq_penalty != 0)
			n += (size_t)snprintf(buf + n, cap - n, ", freq %.2f",
					      q->freq_penalty);
		if (n < cap && q->presence_penalty != 0)
			n += (size_t)snprintf(buf + n, cap - n, ", presence %.2f",
					      q->presence_penalty);
	}
	if (n < cap && tv_dry_on(q, rules))
		n += (size_t)snprintf(buf + n, cap - n, ", DRY %.2f",
				      q->dry_multiplier);
	if (n < cap && tv_smoothing_on(q))
		snprintf(buf + n, cap - n, ", smoothing %.2f",
			 q->smoothing_factor);
}

/* "T 0.70 hf, top-p 0.90": the temperature, the profile and each
 * sampler the pane switches on. */
static void
settings_text(const struct tv_ab_pane *p, char *buf, size_t cap)
{
	const struct tv_params *q = p->par;
	size_t n = (size_t)snprintf(buf, cap, "T %.3g %s", q->temp,
				    tv_profile_name(p->chain->rules));

	for (int i = 0; i < p->res->chain.n && n < cap; i++) {
		enum tv_stage_kind k = p->res->chain.stage[i];
		const char *name = tv_stage_name(k);

		if (!p->res->st[i].active || k == TV_STAGE_TEMP)
			continue;
		if (k == TV_STAGE_TOP_K)
			n += (size_t)snprintf(buf + n, cap - n, ", %s %d", name,
					      q->top_k);
		else if (k == TV_STAGE_XTC)
			n += (size_t)snprintf(buf + n, cap - n, ", %s %.2f/%.2f",
					      name, q->xtc_threshold,
					      q->xtc_probability);
		else
			n += (size_t)snprintf(buf + n, cap - n, ", %s %.2f", name,
					      k == TV_STAGE_TOP_P ? q->top_p :
					      k == TV_STAGE_MIN_P ? q->min_p :
					      k == TV_STAGE_TYPICAL ? q->typical_p
					      : q->top_n_sigma);
	}
	memory_text(p, buf, cap, n);
}

/* The pane titles: the one the dials turn carries the pointer. */
static void
titles(struct tv_app *a, struct tv_frame *f, const struct ab_cols *c, int y,
       const struct tv_ab_pane *pane)
{
	for (int i = 0; i < 2; i++) {
		char set[160], text[200];

		settings_text(&pane[i], set, sizeof set);
		snprintf(text, sizeof text, "%s %c  %s", pane[i].active ?
			 a->look.g->pointer : " ", "AB"[i], set);
		tv_w_label(f, c->x_pane[i], y, c->w_pane, text,
			   tv_st(a, pane[i].active ? TV_ROLE_FOCUS :
				 TV_ROLE_HEADER));
	}
	tv_frame_puts(f, c->x_tok, y, c->w_tok, "token",
		      tv_st(a, TV_ROLE_STAT_LABEL));
}

/* One pane's bar and percentage for a token (or the tail's tokens,
 * n of them): the final p when kept, else its p at T = 1, dimmed. */
static void
pane_cell(struct tv_app *a, struct tv_frame *f, const struct ab_cols *c,
	  int i, int y, int rh, const struct tv_ab_pane *pane, uint32_t row,
	  double n)
{
	const struct tv_dist *d = pane->d;
	const struct tv_result *r = pane->res;
	uint32_t pos = tv_ab_pos(a, pane, row);
	int kept = tv_result_keeps(r, pos);
	double base = tv_base_p(d, pos) * (pos == TV_POS_TAIL ? d->tail_g : 1);
	double p = tv_result_p(d, r, pos) * n;
	struct tv_bar b = { .value = (kept ? p : base) / c->scale,
			    .ghost = base / c->scale, .cut = !kept,
			    .role = pos == TV_POS_TAIL ? TV_ROLE_TAIL :
			    TV_ROLE_BAR, .ghost_role = TV_ROLE_GHOST };
	char pct[16];

	tv_w_bar(f, (struct tv_rect){ c->x_pane[i], y, c->w_pane - PCT_W - 1,
				      rh }, &a->look, &b);
	if (kept)
		tv_fmt_pct(pct, sizeof pct, p);
	else
		snprintf(pct, sizeof pct, "-");
	tv_w_label_right(f, c->x_pane[i] + c->w_pane - PCT_W, y, PCT_W, pct,
			 tv_st(a, kept ? TV_ROLE_STAT_VALUE : TV_ROLE_DIM));
}

/* "A only" or "B only" where the panes disagree on keeping a token. */
static void
mark(struct tv_app *a, struct tv_frame *f, const struct ab_cols *c, int y,
     const struct tv_ab_pane *pane, uint32_t pos)
{
	int ka = tv_result_keeps(pane[0].res, tv_ab_pos(a, &pane[0], pos));
	int kb = tv_result_keeps(pane[1].res, tv_ab_pos(a, &pane[1], pos));

	if (ka != kb)
		tv_frame_puts(f, c->x_mark, y, MARK_W, ka ? "A only" : "B only",
			      tv_st(a, TV_ROLE_WARN));
}

static void
token_row(struct tv_app *a, struct tv_frame *f, const struct ab_cols *c,
	  int y, int rh, const struct tv_ab_pane *pane, uint32_t pos)
{
	int kept = tv_result_keeps(pane[0].res, tv_ab_pos(a, &pane[0], pos)) ||
		   tv_result_keeps(pane[1].res, tv_ab_pos(a, &pane[1], pos));
	char tok[128];

	tv_app_token(a, pos, tok, sizeof tok, c->w_tok);
	tv_frame_puts(f, c->x_tok, y, c->w_tok, tok,
		      tv_st(a, kept ? TV_ROLE_TEXT : TV_ROLE_DIM));
	for (int i = 0; i < 2; i++)
		pane_cell(a, f, c, i, y, rh, &pane[i], pos, 1);
	mark(a, f, c, y, pane, pos);
}

static void
tail_row(struct tv_app *a, struct tv_frame *f, const struct ab_cols *c,
	 int y, int rh, const struct tv_ab_pane *pane)
{
	char n[32], text[48];

	tv_fmt_count(n, sizeof n, a->d->tail_g);
	snprintf(text, sizeof text, "rest %s%s", a->d->tail_exact ? "" :
		 a->look.g->approx, n);
	tv_w_label(f, c->x_tok, y, c->w_tok, text, tv_st(a, TV_ROLE_TAIL));
	for (int i = 0; i < 2; i++)
		pane_cell(a, f, c, i, y, rh, &pane[i], TV_POS_TAIL,
			  pane[i].res->tail_kept);
	mark(a, f, c, y, pane, TV_POS_TAIL);
}

/* Zoomed, the widest bar shown in either pane fills its width. */
static double
zoom_scale(const struct tv_app *a, const struct tv_ab_pane *pane,
	   uint32_t top, uint32_t rows)
{
	double m = 0;

	for (uint32_t pos = top; pos < a->d->n_finite && pos - top < rows;
	     pos++) {
		for (int i = 0; i < 2; i++) {
			uint32_t at = tv_ab_pos(a, &pane[i], pos);

			m = fmax(m, tv_base_p(pane[i].d, at));
			m = fmax(m, tv_result_p(pane[i].d, pane[i].res, at));
		}
	}
	return m > 0 ? m : 1;
}

/* The sign that tokens are off the list, and the keys that scroll. */
static void
more_line(struct tv_app *a, struct tv_frame *f, const struct ab_cols *c,
	  int y)
{
	char text[96];

	snprintf(text, sizeof text, "%s %u below, %s %u above (J and K "
		 "scroll)", a->look.g->arrow_down, a->list.below,
		 a->look.g->arrow_up, a->list.top);
	tv_w_label(f, c->x_tok, y, c->x_mark + MARK_W - c->x_tok, text,
		   tv_st(a, TV_ROLE_DIM));
}

/* The token rows from the scroll position, a line saying what is off
 * the list when not all fit, then the tail; records what was shown for
 * the scroll keys (J, K). */
static void
token_rows(struct tv_app *a, struct tv_frame *f, struct ab_cols *c,
	   struct tv_rect r, const struct tv_ab_pane *pane)
{
	const struct tv_dist *d = a->d;
	int tail = d->tail_g > 0, rows = r.h - tail, y;
	uint32_t n = d->n_finite, fit, top;
	int rh = 2 * (n + (uint32_t)tail) <= (uint32_t)r.h ? 2 : 1;
	int more = rows < (int)n;

	rows -= more;
	fit = rows > 0 ? (uint32_t)(rows / rh) : 0;
	top = a->list.top;
	if (top + fit > n)
		top = n > fit ? n - fit : 0;
	a->list.top = top;
	a->list.shown = n - top < fit ? n - top : fit;
	a->list.below = n - top - a->list.shown;
	if (a->zoom)
		c->scale = zoom_scale(a, pane, top, a->list.shown);
	for (uint32_t k = 0; k < a->list.shown; k++)
		token_row(a, f, c, r.y + (int)k * rh, rh, pane, top + k);
	y = r.y + (int)a->list.shown * rh;
	if (more && rows >= 0)
		more_line(a, f, c, y++);
	if (tail && rows >= 0)
		tail_row(a, f, c, y, rh, pane);
}

/* Each pane's entropy gauge and kept count under its bars. */
static void
pane_stats(struct tv_app *a, struct tv_frame *f, const struct ab_cols *c,
	   int y, const struct tv_ab_pane *pane)
{
	double hmax = tv_dist_max_entropy_bits(a->d);

	for (int i = 0; i < 2; i++) {
		const struct tv_stats *s = &pane[i].res->stats;
		char text[128], k[32], v[32];

		snprintf(text, sizeof text, "%.2f bits", s->entropy_bits);
		tv_w_gauge(f, (struct tv_rect){ c->x_pane[i], y, c->w_pane, 1 },
			   &a->look, "H", s->entropy_bits, hmax > 0 ? hmax : 1,
			   text, TV_ROLE_GAUGE);
		tv_fmt_count(k, sizeof k, s->kept);
		tv_fmt_count(v, sizeof v, s->vocab);
		/* Narrow panes drop the vocabulary size, never a figure of
		 * the pane's own. */
		if (c->w_pane >= 40)
			snprintf(text, sizeof text, "kept %s of %s, top-1 ", k,
				 v);
		else
			snprintf(text, sizeof text, "kept %s, top-1 ", k);
		tv_fmt_pct(text + strlen(text), sizeof text - strlen(text),
			   s->top1);
		tv_w_label(f, c->x_pane[i], y + 1, c->w_pane, text,
			   tv_st(a, TV_ROLE_STAT_VALUE));
	}
	tv_frame_puts(f, c->x_tok, y, c->w_tok, "entropy",
		      tv_st(a, TV_ROLE_STAT_LABEL));
}

/* KL(A || B) in bits, "inf" when A keeps a token B cuts, and TV. */
static void
distance_line(struct tv_app *a, struct tv_frame *f, struct tv_rect r, int y,
	      const struct tv_compare *cmp)
{
	char kl[48], text[200], n[3][32];

	if (cmp->kl_inf)
		snprintf(kl, sizeof kl, "inf (A keeps what B cuts)");
	else
		snprintf(kl, sizeof kl, "%.4f bits", cmp->kl_bits);
	tv_fmt_count(n[0], sizeof n[0], cmp->both);
	tv_fmt_count(n[1], sizeof n[1], cmp->only_a);
	tv_fmt_count(n[2], sizeof n[2], cmp->only_b);
	snprintf(text, sizeof text, "KL(A||B) %s   TV %.4f   kept by both %s, "
		 "A only %s, B only %s", kl, cmp->tv, n[0], n[1], n[2]);
	if (tv_w_text(f, (struct tv_rect){ r.x + 1, y, r.w - 2, 0 }, text,
		      tv_st(a, TV_ROLE_HEADER)) > 1)
		snprintf(text, sizeof text, "KL %s  TV %.3f  both %s  A only "
			 "%s  B only %s", cmp->kl_inf ? "inf" : kl, cmp->tv,
			 n[0], n[1], n[2]);
	tv_w_label(f, r.x + 1, y, r.w - 2, text, tv_st(a, TV_ROLE_HEADER));
}

void
tv_ab_render(struct tv_app *a, struct tv_frame *f, struct tv_rect r)
{
	struct tv_ab_pane pane[2];
	struct tv_compare cmp;
	struct ab_cols c = ab_layout(r);
	int dial_rows, y, list_h;

	tv_ab_panes(a, &pane[0], &pane[1], &cmp);
	dial_rows = tv_dials_render(a, f, r);
	y = r.y + dial_rows + 1;
	titles(a, f, &c, y, pane);
	list_h = r.y + r.h - 4 - (y + 1);
	token_rows(a, f, &c, (struct tv_rect){ r.x, y + 1, r.w, list_h }, pane);
	pane_stats(a, f, &c, r.y + r.h - 3, pane);
	distance_line(a, f, r, r.y + r.h - 1, &cmp);
}
