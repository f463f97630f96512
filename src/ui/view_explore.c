/* SPDX-License-Identifier: MIT */
/*
 * The explore view, the one that opens first: the dials, the top tokens as
 * bars (final p, the model's own p as a ghost mark, cut tokens dimmed with
 * the stage that cut them), the top-p and min-p thresholds where they
 * fall, the entropy gauge, the statistics and one plain sentence about
 * what the setting does.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "io/safetext.h"
#include "tempviz/thermo.h"
#include "ui/abmode.h"
#include "ui/action.h"
#include "ui/app_internal.h"
#include "ui/memmode.h"

/* The columns of "◀ chosen". */
#define CHOSEN_W 8

static int
stage_index(const struct tv_result *r, enum tv_stage_kind k)
{
	int i;

	for (i = 0; i < r->chain.n; i++)
		if (r->chain.stage[i] == k && r->st[i].active)
			return i;
	return -1;
}

/* The p a cut token had when it entered the stage that cut it: what its
 * dimmed bar shows. */
static double
entering_p(const struct tv_app *a, int cut, uint32_t pos)
{
	if (cut <= 0)
		return tv_base_p(a->d, pos);
	return tv_stage_p(a->d, &a->res, cut - 1, pos, 1);
}

struct bar_cols {
	int x_tok, w_tok, x_val, w_val, x_bar, w_bar, x_p, w_p, x_cut, w_cut;
	int x_ch, w_ch;         /* the chosen mark; w_ch 0 without one */
	double scale;           /* the p a full-width bar stands for */
};

/* A saved response gets a column of its own for the chosen mark, so a
 * chosen token that the setting cuts still shows the stage that cut it. */
static struct bar_cols
bar_layout(struct tv_rect r, int chosen)
{
	struct bar_cols c;

	c.w_tok = r.w >= 100 ? 22 : 14;
	c.w_val = 7;
	c.w_p = 7;
	c.w_cut = 11;
	c.w_ch = chosen ? CHOSEN_W : 0;
	c.x_tok = r.x + 1;
	c.x_val = c.x_tok + c.w_tok + 1;
	c.x_bar = c.x_val + c.w_val + 2;
	c.x_ch = r.x + r.w - 1 - c.w_ch;
	c.x_cut = c.x_ch - (chosen ? 1 : 0) - c.w_cut;
	c.x_p = c.x_cut - 1 - c.w_p;
	c.w_bar = c.x_p - 1 - c.x_bar;
	return c;
}

static void
bar_header(struct tv_app *a, struct tv_frame *f, const struct bar_cols *c,
	   int y)
{
	struct tv_style lab = tv_st(a, TV_ROLE_STAT_LABEL);
	char text[160];

	tv_frame_puts(f, c->x_tok, y, c->w_tok, "token", lab);
	tv_w_label_right(f, c->x_val, y, c->w_val,
			 a->energy ? "E" : "logit", lab);
	if (a->energy && a->res.greedy) {
		snprintf(text, sizeof text, "T = 0: all mass on E = 0");
	} else if (a->energy) {
		struct tv_thermo th;

		if (tv_thermo_at(a->d, a->res.temp, &th) == 0)
			snprintf(text, sizeof text,
				 "p = exp(-E/T) / Z   Z = %.4g", th.z);
		else
			snprintf(text, sizeof text, "p = exp(-E/T) / Z");
	} else if (a->zoom) {
		snprintf(text, sizeof text, "p  %s model at T=1  width %.3g%%",
			 a->look.g->ghost, c->scale * 100);
	} else {
		/* Under the penalties the ghost is no longer the model's. */
		snprintf(text, sizeof text, c->w_bar >= 24 &&
			 !tv_memmode_acting(a) ? "p   %s model at T = 1" :
			 "p  %s T = 1", a->look.g->ghost);
	}
	tv_w_label(f, c->x_bar, y, c->w_bar, text,
		   tv_st(a, a->energy ? TV_ROLE_HEADER : TV_ROLE_STAT_LABEL));
	tv_w_label_right(f, c->x_p, y, c->w_p, "final", lab);
	tv_frame_puts(f, c->x_cut, y, c->w_cut, "cut by", lab);
}

static void
chosen_mark(struct tv_app *a, struct tv_frame *f, const struct bar_cols *c,
	    int y)
{
	char text[32];

	snprintf(text, sizeof text, "%s chosen", a->look.g->chosen);
	tv_frame_puts(f, c->x_ch, y, c->w_ch, text, tv_st(a, TV_ROLE_DIM));
}

/* One line for a chosen token with no row on screen: where it is. */
static void
chosen_line(struct tv_app *a, struct tv_frame *f, struct tv_rect r, int y,
	    uint32_t pos)
{
	const struct tv_dist *d = a->d;
	char tok[96], text[160];

	if (pos == TV_POS_TAIL) {
		tv_safe_text(d->chosen, strlen(d->chosen), tok, sizeof tok, 24,
			     !a->look.g->utf8);
		snprintf(text, sizeof text, "%s chosen: %s, not among the "
			 "listed tokens", a->look.g->chosen, tok);
	} else {
		tv_app_token(a, pos, tok, sizeof tok, 24);
		snprintf(text, sizeof text, "%s chosen: %s, rank %u, below the "
			 "rows shown", a->look.g->chosen, tok, pos + 1);
	}
	tv_w_label(f, r.x + 1, y, r.w - 2, text, tv_st(a, TV_ROLE_DIM));
}

static void
bar_row(struct tv_app *a, struct tv_frame *f, const struct bar_cols *c,
	int y, int rh, uint32_t pos)
{
	const struct tv_dist *d = a->d;
	int cut = tv_result_cut_by(&a->res, pos, d);
	double p = tv_result_p(d, &a->res, pos);
	double z = d->sorted[pos];
	struct tv_bar b = { 0 };
	char buf[128];

	tv_app_token(a, pos, buf, sizeof buf, c->w_tok);
	tv_frame_puts(f, c->x_tok, y, c->w_tok, buf,
		      tv_st(a, cut >= 0 ? TV_ROLE_DIM : TV_ROLE_TEXT));
	if (isfinite(z))
		snprintf(buf, sizeof buf, "%.2f", a->energy
			 ? (double)d->sorted[0] - z : z);
	else
		snprintf(buf, sizeof buf, "-inf");
	tv_w_label_right(f, c->x_val, y, c->w_val, buf,
			 tv_st(a, TV_ROLE_DIM));
	b.value = (cut >= 0 ? entering_p(a, cut, pos) : p) / c->scale;
	b.ghost = tv_base_p(d, pos) / c->scale;
	b.cut = cut >= 0;
	b.role = TV_ROLE_BAR;
	b.ghost_role = TV_ROLE_GHOST;
	tv_w_bar(f, (struct tv_rect){ c->x_bar, y, c->w_bar, rh }, &a->look,
		 &b);
	if (cut >= 0) {
		tv_w_label_right(f, c->x_p, y, c->w_p, "-",
				 tv_st(a, TV_ROLE_DIM));
		tv_frame_puts(f, c->x_cut, y, c->w_cut,
			      tv_stage_name(a->res.chain.stage[cut]),
			      tv_st(a, TV_ROLE_DIM));
	} else {
		tv_fmt_pct(buf, sizeof buf, p);
		tv_w_label_right(f, c->x_p, y, c->w_p, buf,
				 tv_st(a, TV_ROLE_STAT_VALUE));
	}
}

/* The rest of the vocabulary as one row: its whole mass, kept and at
 * T = 1, labelled approximate unless it came from an exact logsumexp. */
static void
tail_row(struct tv_app *a, struct tv_frame *f, const struct bar_cols *c,
	 int y, int rh)
{
	const struct tv_dist *d = a->d;
	double p = tv_result_p(d, &a->res, TV_POS_TAIL) * a->res.tail_kept;
	double base = tv_base_p(d, TV_POS_TAIL) * d->tail_g;
	struct tv_bar b = { 0 };
	char buf[64], n[32];

	tv_fmt_count(n, sizeof n, d->tail_g);
	snprintf(buf, sizeof buf, "rest %s%s", d->tail_exact ? "" :
		 a->look.g->approx, n);
	tv_w_label(f, c->x_tok, y, c->w_tok + 1 + c->w_val, buf,
		   tv_st(a, d->tail_exact ? TV_ROLE_TAIL : TV_ROLE_APPROX));
	b.value = (a->res.tail_kept > 0 ? p : base) / c->scale;
	b.ghost = base / c->scale;
	b.cut = a->res.tail_kept <= 0;
	b.role = TV_ROLE_TAIL;
	b.ghost_role = TV_ROLE_GHOST;
	tv_w_bar(f, (struct tv_rect){ c->x_bar, y, c->w_bar, rh }, &a->look,
		 &b);
	tv_fmt_pct(buf, sizeof buf, p);
	tv_w_label_right(f, c->x_p, y, c->w_p, buf, tv_st(a, TV_ROLE_TAIL));
	tv_frame_puts(f, c->x_cut, y, c->w_cut,
		      d->tail_exact ? "tokens" : "approx.",
		      tv_st(a, TV_ROLE_TAIL));
}

/* Tokens masked to -inf (banned, a grammar, p = 0) are never drawn at any
 * T: not bars, but counted, so they are not silently missing. */
static void
masked_line(struct tv_app *a, struct tv_frame *f, const struct bar_cols *c,
	    int y)
{
	char buf[64];
	uint32_t n = a->d->n - a->d->n_finite;

	snprintf(buf, sizeof buf, "%lu masked (logit -inf): never drawn",
		 (unsigned long)n);
	tv_w_label(f, c->x_tok, y, c->x_cut + c->w_cut - c->x_tok, buf,
		   tv_st(a, TV_ROLE_DIM));
}

static void
top_p_line(struct tv_app *a, struct tv_frame *f, struct tv_rect r, int y,
	   int i)
{
	struct tv_style s = tv_st(a, TV_ROLE_THRESH_TOPP);
	char text[96], pct[16];
	int x;

	tv_fmt_pct(pct, sizeof pct, tv_stage_kept_mass(a->d, &a->res, i));
	snprintf(text, sizeof text, " top-p %.2f: the tokens above hold %s ",
		 a->par.top_p, pct);
	for (x = r.x + 1; x < r.x + r.w - 1; x++)
		tv_frame_puts(f, x, y, 1, a->look.g->thresh, s);
	tv_w_label(f, r.x + 4, y, r.w - 6, text, s);
}

/* min-p cuts below min_p times the top p entering it: a vertical line
 * at that p, in the same scale as the bars. */
static void
min_p_line(struct tv_app *a, struct tv_frame *f, const struct bar_cols *c,
	   int y0, int y1)
{
	int i = stage_index(&a->res, TV_STAGE_MIN_P);
	double thr;
	int x, y;

	if (i < 0 || c->w_bar < 2)
		return;
	thr = tv_minp_threshold(a->d, &a->res, i, a->par.min_p);
	x = c->x_bar + (int)(thr / c->scale * c->w_bar);
	if (x >= c->x_bar + c->w_bar)
		return;
	for (y = y0; y < y1; y++) {
		const struct tv_cell *cell = tv_frame_at(f, x, y);

		if (cell && strcmp(cell->ch, " ") == 0)
			tv_frame_puts(f, x, y, 1, a->look.g->thresh,
				      tv_st(a, TV_ROLE_THRESH_MINP));
	}
}

/* Zoomed, the widest bar on screen (final p, the model's p, or a cut
 * token's p) fills the width. */
static double
zoom_scale(const struct tv_app *a, uint32_t top, uint32_t rows)
{
	const struct tv_dist *d = a->d;
	double m = 0;
	uint32_t pos;

	for (pos = top; pos < d->n_finite && pos - top < rows; pos++) {
		int cut = tv_result_cut_by(&a->res, pos, d);
		double p = cut >= 0 ? entering_p(a, cut, pos)
			: tv_result_p(d, &a->res, pos);
		double b = tv_base_p(d, pos);

		m = p > m ? p : m;
		m = b > m ? b : m;
	}
	if (d->tail_g > 0) {
		double t = tv_base_p(d, TV_POS_TAIL) * d->tail_g;
		double k = tv_result_p(d, &a->res, TV_POS_TAIL) *
			   a->res.tail_kept;

		m = t > m ? t : m;
		m = k > m ? k : m;
	}
	return m > 0 ? m : 1;
}

/* Rows per bar: two when every bar fits twice, so a projector at the
 * back of a room shows thick bars. */
static int
bar_height(const struct tv_app *a, int rows, int marker)
{
	double bars = (double)a->d->n_finite + (a->d->tail_g > 0);

	return 2 * bars + marker <= rows ? 2 : 1;
}

/* How many token rows render_bars draws from y to end, the first at
 * position top. */
static uint32_t
bars_fit(const struct tv_dist *d, uint32_t top, uint32_t cut_at, int y,
	 int end, int rh)
{
	uint32_t pos;

	for (pos = top; pos < d->n_finite && y + rh <= end; pos++)
		y += rh + (pos == cut_at && pos > 0 && y + 1 + rh <= end);
	return pos - top;
}

/* The first row of a scrolled list: no further down than the last token
 * needs, so a list that fits always starts at the top. */
static uint32_t
list_top(const struct tv_dist *d, uint32_t top, uint32_t cut_at, int y,
	 int end, int rh)
{
	if (top >= d->n_finite)
		top = d->n_finite ? d->n_finite - 1 : 0;
	while (top > 0 &&
	       bars_fit(d, top - 1, cut_at, y, end, rh) >= d->n_finite - top + 1)
		top--;
	return top;
}

/* The sign that tokens are off the list: how many, where, which keys. */
static void
more_line(struct tv_app *a, struct tv_frame *f, struct tv_rect r, int y)
{
	const struct tv_glyphs *g = a->look.g;
	char above[48] = "", below[48] = "", text[160];

	if (a->list.below)
		snprintf(below, sizeof below, "%s %u more below", g->arrow_down,
			 a->list.below);
	if (a->list.top)
		snprintf(above, sizeof above, "%s%s %u above", below[0] ? ", "
			 : "", g->arrow_up, a->list.top);
	snprintf(text, sizeof text, "%s%s (J and K scroll)", below, above);
	tv_w_label(f, r.x + 1, y, r.w - 2, text, tv_st(a, TV_ROLE_DIM));
}

/* The rows of the list: from the scroll position, as many as fit with
 * the sign of what is hidden, the tail row and the chosen token's line.
 * Records what it showed for the scroll keys. */
static void
list_rows(struct tv_app *a, int y, int end, int rh, uint32_t cut_at,
	  int has_chosen, uint32_t chosen, int *more, int *line)
{
	const struct tv_dist *d = a->d;
	uint32_t n = d->n_finite, top, shown;

	*more = bars_fit(d, 0, cut_at, y, end, rh) < n;
	top = list_top(d, a->list.top, cut_at, y, end - *more, rh);
	shown = bars_fit(d, top, cut_at, y, end - *more, rh);
	*line = has_chosen && (chosen >= n || chosen < top ||
			       chosen >= top + shown);
	if (*line) {
		if (!*more && bars_fit(d, top, cut_at, y, end - 1, rh) <
		    n - top)
			*more = 1;
		top = list_top(d, top, cut_at, y, end - *more - 1, rh);
		shown = bars_fit(d, top, cut_at, y, end - *more - 1, rh);
	}
	a->list.top = top;
	a->list.shown = shown;
	a->list.below = n - top - shown;
}

static int
render_bars(struct tv_app *a, struct tv_frame *f, struct tv_rect r)
{
	const struct tv_dist *d = a->d;
	uint32_t chosen = TV_POS_TAIL;
	int has_chosen = tv_app_chosen(a, &chosen);
	struct bar_cols c = bar_layout(r, has_chosen);
	int tp = stage_index(&a->res, TV_STAGE_TOP_P);
	uint32_t cut_at = tp >= 0 ? a->res.st[tp].hi : UINT32_MAX;
	int marker = cut_at > 0 && cut_at < d->n_finite;
	int unlisted = has_chosen && chosen >= d->n_finite;
	int rh = bar_height(a, r.h - 1, marker + unlisted);
	int masked = d->n_finite < d->n;
	int y = r.y + 1, end = r.y + r.h - (d->tail_g > 0 ? rh : 0) - masked;
	int more, line;
	uint32_t pos;

	list_rows(a, y, end, rh, cut_at, has_chosen, chosen, &more, &line);
	end -= more + line;
	c.scale = a->zoom ? zoom_scale(a, a->list.top, a->list.shown) : 1;
	bar_header(a, f, &c, r.y);
	for (pos = a->list.top; pos < a->list.top + a->list.shown; pos++) {
		if (pos == cut_at && pos > 0 && y + 1 + rh <= end) {
			top_p_line(a, f, r, y, tp);
			y++;
		}
		bar_row(a, f, &c, y, rh, pos);
		if (has_chosen && pos == chosen)
			chosen_mark(a, f, &c, y);
		y += rh;
	}
	if (more)
		more_line(a, f, r, y++);
	if (d->tail_g > 0) {
		tail_row(a, f, &c, y, rh);
		y += rh;
	}
	if (masked && y < r.y + r.h)
		masked_line(a, f, &c, y++);
	min_p_line(a, f, &c, r.y + 1, y);
	if (line && y < r.y + r.h)
		chosen_line(a, f, r, y++, chosen);
	return y - r.y;
}

static void
render_gauge(struct tv_app *a, struct tv_frame *f, struct tv_rect r)
{
	const struct tv_stats *s = &a->res.stats;
	double hmax = tv_dist_max_entropy_bits(a->d);
	char text[96], ppl[32];

	if (s->perplexity < 100)
		snprintf(ppl, sizeof ppl, "%.2f", s->perplexity);
	else
		tv_fmt_count(ppl, sizeof ppl, s->perplexity);
	snprintf(text, sizeof text, "%.2f of %.2f bits   perplexity %s",
		 s->entropy_bits, hmax, ppl);
	tv_w_gauge(f, r, &a->look, "entropy", s->entropy_bits,
		   hmax > 0 ? hmax : 1, text, TV_ROLE_GAUGE);
}

static int
stat_item(struct tv_app *a, struct tv_frame *f, int x, int y, int xend,
	  const char *label, const char *value)
{
	int need = (int)strlen(label) + 1 + tv_str_width(value) + 3;

	/* Items keep their order: once one does not fit, none follows. */
	if (x < 0 || x + need > xend)
		return -1;
	x += tv_frame_puts(f, x, y, xend - x, label,
			   tv_st(a, TV_ROLE_STAT_LABEL));
	x += 1 + tv_frame_puts(f, x + 1, y, xend - x - 1, value,
			       tv_st(a, TV_ROLE_STAT_VALUE));
	return x + 3;
}

/* One item of the statistics line, with the short label used when the
 * line would not fit with the long ones. */
struct stat_text {
	const char *name, *brief;
	char value[80];
};

static int
stats_width(const struct stat_text *it, int n, int brief)
{
	int i, w = 0;

	for (i = 0; i < n; i++)
		w += (int)strlen(brief ? it[i].brief : it[i].name) + 1 +
		     tv_str_width(it[i].value) + 3;
	return w;
}

static void
render_stats(struct tv_app *a, struct tv_frame *f, struct tv_rect r)
{
	const struct tv_stats *s = &a->res.stats;
	struct stat_text it[] = {
		{ "top-1", "top-1", "" }, { "kept", "kept", "" },
		{ "cut mass", "cut", "" }, { "KL from model", "KL", "" },
		{ "sum p", "sum p", "" },
	};
	int n = (int)(sizeof it / sizeof *it), i, brief;
	int x = r.x + 1, xend = r.x + r.w - 1;
	char k[32], v[32];

	tv_fmt_pct(it[0].value, sizeof it[0].value, s->top1);
	tv_fmt_count(k, sizeof k, s->kept);
	tv_fmt_count(v, sizeof v, s->vocab);
	snprintf(it[1].value, sizeof it[1].value, "%s of %s", k, v);
	tv_fmt_pct(it[2].value, sizeof it[2].value, s->cut_mass);
	snprintf(it[3].value, sizeof it[3].value, "%.3f bits",
		 tv_memmode_kl_from_model(a));
	snprintf(it[4].value, sizeof it[4].value, "%.4f", s->sum_p);
	/* Narrow screens keep every number and shorten the labels. */
	brief = stats_width(it, n, 0) > xend - x;
	for (i = 0; i < n; i++)
		x = stat_item(a, f, x, r.y, xend,
			      brief ? it[i].brief : it[i].name, it[i].value);
}

/*
 * What the setting does, in words a class can follow, each cause with its
 * own figure: temperature alone reshapes the model's odds over the whole
 * vocabulary (softmax(z / T), the Boltzmann p); each sampler keeps some
 * tokens and the share of what reached it that they hold; renormalising
 * over the survivors then gives the final top token. Crediting the final
 * figure to T would teach a false cause.
 */
static int
explain_temp(const struct tv_app *a, int brief, char *buf, size_t cap)
{
	double t = a->res.temp;
	int dyn = a->par.dynatemp_range > 0 && t != a->par.temp;
	char base1[16], top1[16];

	tv_fmt_pct(base1, sizeof base1, tv_base_p(a->d, 0));
	if (a->res.greedy)
		return snprintf(buf, cap, brief ? "T = 0 is greedy." :
				"T = 0 is greedy: always the most likely "
				"token.");
	if (fabs(t - 1) < 1e-9)
		return snprintf(buf, cap, brief ? "T = 1: top token %s." :
				"T = 1 keeps %s odds (top token %s).",
				tv_memmode_acting(a) ? "these" :
				"the model's own", base1);
	tv_fmt_pct(top1, sizeof top1, tv_temp_p(a->d, t, 0));
	/* Dynatemp sets its own T from the entropy: the dial's is not the
	 * one applied. */
	if (brief)
		return snprintf(buf, cap, "T %.2f%s: top token %s -> %s.", t,
				dyn ? " (dynatemp)" : "", base1, top1);
	return snprintf(buf, cap, "%sT %.2f %s the odds: top token %s -> %s.",
			dyn ? "Dynatemp's " : "", t,
			t < 1 ? "sharpens" : "flattens", base1, top1);
}

/* One sampler stage: how many it keeps, holding what share of what
 * reached it. */
static int
explain_stage(const struct tv_app *a, int i, int brief, char *buf,
	      size_t cap)
{
	const struct tv_stage_out *o = &a->res.st[i];
	const char *name = tv_stage_name(o->kind);
	double mass = tv_stage_kept_mass(a->d, &a->res, i);
	double entered = i > 0 ? a->res.st[i - 1].kept
		: (double)a->d->n_finite + a->d->tail_g;
	char k[32], pct[16];

	if (o->kept >= entered)
		return snprintf(buf, cap, " %s cuts nothing.", name);
	tv_fmt_count(k, sizeof k, o->kept);
	tv_fmt_pct(pct, sizeof pct, mass);
	if (brief)
		return snprintf(buf, cap, " %s keeps %s (%s).", name, k, pct);
	return snprintf(buf, cap, " %s keeps %s token%s (%s of what reached "
			"it).", name, k, o->kept > 1.5 ? "s" : "", pct);
}

/* How far the stages moved the token at pos, in all; *movers of them
 * moved it, the last at *last. */
static double
total_move(const struct tv_app *a, uint32_t pos, int *movers, int *last)
{
	double delta = 0, dt;

	*movers = 0;
	*last = 0;
	for (int t = 0; t < TV_MEM__COUNT; t++)
		if (tv_memmode_delta(a, (enum tv_mem_stage)t, pos, &dt)) {
			delta += dt;
			(*movers)++;
			*last = t;
		}
	return delta;
}

/* How much p at T = 1 the stages moved the token at pos. */
static double
p_moved(const struct tv_app *a, uint32_t pos)
{
	uint32_t id = a->d->order[pos];

	return fabs(tv_base_p(a->d, pos) -
		    tv_base_p(a->base, a->base->rank[id]));
}

/* The moved token a class should hear of: of the tokens each stage moved
 * furthest and the most likely ones before and after (smoothing moves an
 * unlikely token's logit most, and its p not at all), the one whose p
 * moved most. */
static uint32_t
told_token(const struct tv_app *a)
{
	uint32_t best = 0, n = a->d->n_finite < 64 ? a->d->n_finite : 64;
	double most = -1;

	for (uint32_t k = 0; k < 2 * n + TV_MEM__COUNT; k++) {
		struct tv_mem_effect e = { 0 };
		uint32_t pos;

		if (k < n) {
			pos = k;
		} else if (k < 2 * n) {
			pos = a->d->rank[a->base->order[k - n]];
		} else {
			tv_memmode_effect(a, (enum tv_mem_stage)(k - 2 * n), &e);
			if (!e.moved)
				continue;
			pos = a->d->rank[e.top];
		}
		if (p_moved(a, pos) > most) {
			most = p_moved(a, pos);
			best = pos;
		}
	}
	return best;
}

/* The samplers with memory first, as they run: the token they moved
 * most (told_token), the stages that moved it and by how much in all,
 * and its p at T = 1 before and after them. */
static int
explain_memory(const struct tv_app *a, int brief, char *buf, size_t cap)
{
	static const char *const name[TV_MEM__COUNT] = {
		[TV_MEM_PENALTIES] = "the penalties", [TV_MEM_DRY] = "DRY",
		[TV_MEM_SMOOTHING] = "smoothing",
	};
	char tok[48], was[16], now[16], who[64] = "";
	double delta, dt;
	int movers, last, first = -1;
	uint32_t pos, id;

	if (!tv_memmode_acting(a) || a->d->n_finite == 0)
		return 0;
	pos = told_token(a);
	delta = total_move(a, pos, &movers, &last);
	if (movers == 0)
		return 0;
	/* "the penalties, DRY and smoothing": each stage that moved it. */
	for (int t = 0, k = 0; t < TV_MEM__COUNT; t++)
		if (tv_memmode_delta(a, (enum tv_mem_stage)t, pos, &dt)) {
			snprintf(who + strlen(who), sizeof who - strlen(who),
				 "%s%s", k++ == 0 ? "" : t == last ? " and " :
				 ", ", name[t]);
			first = first < 0 ? t : first;
		}
	who[0] = (char)toupper((unsigned char)who[0]);
	id = a->d->order[pos];
	tv_app_token(a, pos, tok, sizeof tok, 20);
	tv_fmt_pct(was, sizeof was, tv_base_p(a->base, a->base->rank[id]));
	tv_fmt_pct(now, sizeof now, tv_base_p(a->d, pos));
	if (brief)
		return snprintf(buf, cap, "%s %s %s -> %s. ", tok,
				delta < 0 ? "down" : "up", was, now);
	return snprintf(buf, cap, "%s %s %s %s by %.2f (%s -> %s at T = 1). ",
			who, movers > 1 || first == TV_MEM_PENALTIES ? "push" :
			first == TV_MEM_DRY ? "pushes" : "moves", tok,
			delta < 0 ? "down" : "up", fabs(delta), was, now);
}

static void
explain(const struct tv_app *a, int brief, char *buf, size_t cap)
{
	const struct tv_result *r = &a->res;
	size_t n = 0;
	int i, samplers = 0, top_kept;
	char pct[16];

	n += (size_t)explain_memory(a, brief, buf, cap);
	if (n < cap)
		n += (size_t)explain_temp(a, brief, buf + n, cap - n);
	if (r->greedy)
		return;
	for (i = 0; i < r->chain.n && n < cap; i++)
		if (r->st[i].active && r->st[i].kind != TV_STAGE_TEMP) {
			n += (size_t)explain_stage(a, i, brief, buf + n,
						   cap - n);
			samplers++;
		}
	if (!samplers || n >= cap)
		return;
	top_kept = tv_result_cut_by(r, 0, a->d) == -1;
	tv_fmt_pct(pct, sizeof pct, r->stats.top1);
	snprintf(buf + n, cap - n, brief ? " Final top %stoken %s." :
		 " Renormalised, the top %stoken has %s.",
		 top_kept ? "" : "kept ", pct);
}

/* The explanation's lines at width w: the full sentence in up to three
 * lines, else the brief one. */
static int
explain_fit(struct tv_app *a, struct tv_frame *f, int w, char *buf,
	    size_t cap)
{
	struct tv_style st = tv_st(a, TV_ROLE_HELP_TEXT);
	int lines;

	explain(a, 0, buf, cap);
	lines = tv_w_text(f, (struct tv_rect){ 0, 0, w, 0 }, buf, st);
	if (lines > 3) {
		explain(a, 1, buf, cap);
		lines = tv_w_text(f, (struct tv_rect){ 0, 0, w, 0 }, buf, st);
	}
	return lines < 1 ? 1 : lines > 3 ? 3 : lines;
}

static void
explore_render(struct tv_app *a, struct tv_frame *f, struct tv_rect r)
{
	char text[320], note[320];
	int dial_rows, used, lines, y_end = r.y + r.h;
	struct tv_rect bars, words;

	if (tv_ab_on(a)) {
		tv_ab_render(a, f, r);
		return;
	}
	used = tv_big_header(a, f, r);
	r.y += used;
	r.h -= used;
	lines = explain_fit(a, f, r.w - 2, text, sizeof text);
	dial_rows = tv_dials_render(a, f, r);
	bars = (struct tv_rect){ r.x, r.y + dial_rows + 1, r.w,
				 r.h - dial_rows - 4 - lines };
	used = render_bars(a, f, bars);
	/* What the scenario teaches, in the room the bars left, and only
	 * when all of it fits. */
	if (a->d->note && a->d->note[0]) {
		struct tv_rect nr = { r.x + 3, bars.y + used + 1, r.w - 6,
				      bars.h - used - 1 };

		tv_safe_text(a->d->note, strlen(a->d->note), note, sizeof note,
			     (int)sizeof note, !a->look.g->utf8);
		if (tv_w_text(f, (struct tv_rect){ nr.x, nr.y, nr.w, 0 }, note,
			      tv_st(a, TV_ROLE_DIM)) <= nr.h)
			tv_w_text(f, nr, note, tv_st(a, TV_ROLE_DIM));
	}
	render_gauge(a, f, (struct tv_rect){ r.x + 1, y_end - 2 - lines,
					     r.w - 2, 1 });
	render_stats(a, f, (struct tv_rect){ r.x, y_end - 1 - lines, r.w, 1 });
	words = (struct tv_rect){ r.x + 1, y_end - lines, r.w - 2, lines };
	tv_w_text(f, words, text, tv_st(a, TV_ROLE_HELP_TEXT));
}

/* Scroll the list by n rows (negative: up); the render keeps it within
 * the tokens. At an end, a word says so instead. */
static void
scroll_list(struct tv_app *a, long n)
{
	if (n > 0 && a->list.shown && !a->list.below) {
		tv_app_note(a, "the last token is on screen");
		return;
	}
	if (n < 0 && !a->list.top) {
		tv_app_note(a, "the first token is on screen");
		return;
	}
	if (n < 0 && (uint32_t)-n > a->list.top)
		n = -(long)a->list.top;
	if (n > 0 && a->list.shown && (uint32_t)n > a->list.below)
		n = (long)a->list.below;
	a->list.top = (uint32_t)((long)a->list.top + n);
}

/* A page keeps one row of the last one on screen. */
static long
list_page(const struct tv_app *a)
{
	return a->list.shown > 1 ? (long)a->list.shown - 1 : 1;
}

static int
explore_action(struct tv_app *a, int act)
{
	switch (act) {
	case TV_UI_AB_SPLIT:
	case TV_UI_AB_SWITCH:
	case TV_UI_AB_COPY:
		return tv_ab_action(a, act);
	case TV_UI_BIG:
		a->opts.big = !a->opts.big;
		tv_app_note(a, a->opts.big ? "big type: T and the entropy in "
			    "block digits (from %d rows)" : "big type off", 30);
		return 1;
	case TV_UI_LIST_DOWN:
		scroll_list(a, 1);
		return 1;
	case TV_UI_LIST_UP:
		scroll_list(a, -1);
		return 1;
	case TV_UI_LIST_PGDN:
		scroll_list(a, list_page(a));
		return 1;
	case TV_UI_LIST_PGUP:
		scroll_list(a, -list_page(a));
		return 1;
	case TV_UI_ENERGY:
		a->energy = !a->energy;
		tv_app_note(a, a->energy
			    ? "energy view: E = z_max - z, p = exp(-E/T) / Z"
			    : "logit view");
		return 1;
	case TV_UI_ZOOM:
		a->zoom = !a->zoom;
		tv_app_note(a, a->zoom ? "zoom: the widest bar fills the width"
			    : "full width is 100%%");
		return 1;
	}
	return 0;
}

const struct tv_view_ops tv_view_explore_ops = {
	.name = "explore",
	.render = explore_render,
	.action = explore_action,
	.fini = tv_ab_free,
};
