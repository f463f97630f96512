/* SPDX-License-Identifier: MIT */
/*
 * The attention view (thermo.md A.5): a_j = softmax(q . k_j / T) is a
 * Boltzmann distribution over keys with E_j = -q . k_j. A seeded query and
 * n keys in d_k dimensions, the raw scores, and three attention rows side
 * by side: unscaled (T = 1), scaled (T = sqrt(d_k)) and at the app's
 * temperature dial, each with its entropy, e^S, largest weight and
 * 1 - sum a^2. The numbers come from the core (tv_attn_*).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tempviz/thermo.h"
#include "ui/action.h"
#include "ui/app_internal.h"

#define N_KEYS 12

static const uint32_t dk_steps[] = { 4, 16, 64, 256, 1024 };
#define DK_STEPS (int)(sizeof dk_steps / sizeof dk_steps[0])
#define DK_START 2

struct tv_attn_state {
	uint32_t seed;
	int dk_i;
	struct tv_attn at;
	int rolled;      /* at holds seed and dk_steps[dk_i] */
};

static struct tv_attn_state *
state(struct tv_app *a)
{
	struct tv_attn_state *s = a->attn;

	if (s)
		return s;
	s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->seed = a->par.seed;
	s->dk_i = DK_START;
	a->attn = s;
	return s;
}

static int
roll(struct tv_attn_state *s)
{
	if (!s->rolled)
		s->rolled = tv_attn_roll(&s->at, N_KEYS, dk_steps[s->dk_i],
					 s->seed) == 0;
	return s->rolled;
}

static const char *
sqrt_sign(const struct tv_app *a)
{
	return a->look.g->utf8 ? "\xe2\x88\x9a" : "sqrt ";
}

/* ----------------------------------------------------------- layout --- */

struct acols {
	int x_key, w_key, x_num, w_num, x_sbar, w_sbar;
	int x_row[3], w_bar, w_pct;
	int w_left;     /* key, score and its bar: the stats' label column */
};

static struct acols
attn_cols(struct tv_rect r)
{
	struct acols c;
	int i, w_col;

	c.w_key = 3;
	c.w_num = r.w >= 110 ? 8 : 7;
	c.w_sbar = r.w >= 110 ? 20 : r.w >= 76 ? 12 : 8;
	c.x_key = r.x + 1;
	c.x_num = c.x_key + c.w_key + 1;
	c.x_sbar = c.x_num + c.w_num + 1;
	c.w_left = c.x_sbar + c.w_sbar - r.x;
	w_col = (r.w - c.w_left - 1) / 3;
	c.w_pct = 6;
	c.w_bar = w_col - c.w_pct - 2;
	for (i = 0; i < 3; i++)
		c.x_row[i] = r.x + c.w_left + 1 + i * w_col;
	return c;
}

/* ----------------------------------------------------------- scores --- */

static double
max_abs(const struct tv_attn *at)
{
	double m = 0;
	uint32_t j;

	for (j = 0; j < at->n; j++)
		m = fmax(m, fabs(at->score[j]));
	return m;
}

/* A signed bar about an axis in the middle of w cells: positive to the
 * right, negative to the left, in whole cells; v is in -1 .. 1. */
static void
score_bar(struct tv_app *a, struct tv_frame *f, int x, int y, int w,
	  double v)
{
	int half = w / 2, room = v > 0 ? w - half - 1 : half;
	int n = (int)floor(fabs(v) * room + 0.5), i;
	struct tv_style bs = tv_st(a, v > 0 ? TV_ROLE_BAR
				   : TV_ROLE_THRESH_MINP);

	if (n > room)
		n = room;
	tv_frame_puts(f, x + half, y, 1, a->look.g->axis_v,
		      tv_st(a, TV_ROLE_PLOT_AXIS));
	for (i = 0; i < n; i++)
		tv_frame_puts(f, v > 0 ? x + half + 1 + i : x + half - 1 - i,
			      y, 1, a->look.g->eighth[8], bs);
}

static void
fmt_weight(char *buf, size_t cap, double p)
{
	if (p >= 0.9995)
		snprintf(buf, cap, "100%%");
	else if (p >= 0.001)
		snprintf(buf, cap, "%.1f%%", p * 100);
	else if (p > 0)
		snprintf(buf, cap, "<0.1%%");
	else
		snprintf(buf, cap, "0");
}

static const enum tv_role row_role[3] = {
	TV_ROLE_PLOT_TOP1, TV_ROLE_PLOT_ENTROPY, TV_ROLE_BAR,
};

static void
key_row(struct tv_app *a, struct tv_frame *f, const struct acols *c,
	const struct tv_attn_state *s, const struct tv_attn_row rows[3],
	uint32_t j, int y)
{
	double m = max_abs(&s->at);
	char buf[32];
	int i;

	snprintf(buf, sizeof buf, "k%u", j + 1);
	tv_w_label(f, c->x_key, y, c->w_key, buf, tv_st(a, TV_ROLE_STAT_LABEL));
	snprintf(buf, sizeof buf, "%.2f", s->at.score[j]);
	tv_w_label_right(f, c->x_num, y, c->w_num, buf, tv_st(a, TV_ROLE_DIM));
	score_bar(a, f, c->x_sbar, y, c->w_sbar,
		  m > 0 ? s->at.score[j] / m : 0);
	for (i = 0; i < 3; i++) {
		struct tv_bar b = { .value = rows[i].a[j], .ghost = -1,
				    .role = row_role[i],
				    .ghost_role = TV_ROLE_GHOST };

		tv_w_bar(f, (struct tv_rect){ c->x_row[i], y, c->w_bar, 1 },
			 &a->look, &b);
		fmt_weight(buf, sizeof buf, rows[i].a[j]);
		tv_w_label_right(f, c->x_row[i] + c->w_bar + 1, y, c->w_pct,
				 buf, tv_st(a, TV_ROLE_STAT_VALUE));
	}
}

/* Two header rows: what each column is, then its temperature. */
static void
col_headers(struct tv_app *a, struct tv_frame *f, const struct acols *c,
	    const struct tv_attn_state *s, int y)
{
	const char *sq = a->look.g->utf8 ? "\xe2\x88\x9a" "d_k" : "sqrt(d_k)";
	char name[3][64], temp[3][64];
	int i, w = c->w_bar + 1 + c->w_pct;

	tv_w_label(f, c->x_key, y + 1, c->w_left, "key  score q.k",
		   tv_st(a, TV_ROLE_STAT_LABEL));
	snprintf(name[0], sizeof name[0], "unscaled");
	snprintf(name[1], sizeof name[1], "scaled by 1/%s", sq);
	if (tv_str_width(name[1]) > w)
		snprintf(name[1], sizeof name[1], "scaled 1/%s", sq);
	snprintf(name[2], sizeof name[2], "at the T dial");
	snprintf(temp[0], sizeof temp[0], "T = 1");
	snprintf(temp[1], sizeof temp[1], "T = %s = %.3g", sq,
		 sqrt((double)s->at.dk));
	if (a->par.temp > 0)
		snprintf(temp[2], sizeof temp[2], "T = %.3g", a->par.temp);
	else
		snprintf(temp[2], sizeof temp[2], "T = 0 (argmax)");
	for (i = 0; i < 3; i++) {
		tv_w_label(f, c->x_row[i], y, w, name[i],
			   tv_st(a, row_role[i]));
		tv_w_label(f, c->x_row[i], y + 1, w, temp[i],
			   tv_st(a, row_role[i]));
	}
}

/* ------------------------------------------------------------ stats --- */

static void
stat_line(struct tv_app *a, struct tv_frame *f, const struct acols *c,
	  int y, const char *label, char val[3][32])
{
	int i;

	tv_w_label(f, c->x_key, y, c->w_left - 1, label,
		   tv_st(a, TV_ROLE_STAT_LABEL));
	for (i = 0; i < 3; i++)
		tv_w_label(f, c->x_row[i], y, c->w_bar + 1 + c->w_pct, val[i],
			   tv_st(a, TV_ROLE_STAT_VALUE));
}

enum stat { STAT_H, STAT_KEYS, STAT_MAX, STAT_HEALTH, STAT_VAR, STAT__COUNT };

static void
stat_values(const struct tv_attn_row rows[3], enum stat which,
	    char val[3][32])
{
	int i;

	for (i = 0; i < 3; i++) {
		const struct tv_attn_row *w = &rows[i];

		switch (which) {
		case STAT_H:
			snprintf(val[i], 32, "%.2f bits", w->h_bits);
			break;
		case STAT_KEYS:
			snprintf(val[i], 32, "%.2f keys", w->keys_eff);
			break;
		case STAT_MAX:
			snprintf(val[i], 32, "%.3f", w->max_a);
			break;
		case STAT_HEALTH:
			snprintf(val[i], 32, "%.3f", w->trace_j);
			break;
		case STAT_VAR:
		case STAT__COUNT:
			snprintf(val[i], 32, "%.4g", w->var_score);
			break;
		}
	}
}

/* The statistics under the rows, as many as fit; returns rows used. */
static int
render_stats(struct tv_app *a, struct tv_frame *f, const struct acols *c,
	     const struct tv_attn_row rows[3], int y, int rows_left)
{
	char label[STAT__COUNT][48], val[3][32];
	int n;

	snprintf(label[STAT_H], 48, "entropy");
	snprintf(label[STAT_KEYS], 48, "e^S (keys attended)");
	snprintf(label[STAT_MAX], 48, "max weight");
	snprintf(label[STAT_HEALTH], 48, "%s (%s health)", a->look.g->utf8
		 ? "1-\xce\xa3" "a\xc2\xb2" : "1-sum a^2",
		 c->w_left >= 30 ? "gradient" : "grad.");
	snprintf(label[STAT_VAR], 48, "Var(score) under a");
	for (n = 0; n < STAT__COUNT && n < rows_left; n++) {
		stat_values(rows, (enum stat)n, val);
		stat_line(a, f, c, y + n, label[n], val);
	}
	return n;
}

/* ----------------------------------------------------------- render --- */

static void
render_top(struct tv_app *a, struct tv_frame *f, struct tv_rect r,
	   const struct tv_attn_state *s)
{
	char buf[200];
	int dk = (int)s->at.dk;

	tv_w_label(f, r.x + 1, r.y, r.w - 2, "Attention a_j = softmax(q.k_j "
		   "/ T): Boltzmann over keys, E_j = -q.k_j",
		   tv_st(a, TV_ROLE_HEADER));
	snprintf(buf, sizeof buf, "d_k = %d   n = %u keys   seed %u   "
		 "score std %.2f (grows like %sd_k = %.3g)", dk,
		 s->at.n, s->seed, tv_attn_score_std(&s->at), sqrt_sign(a),
		 sqrt((double)dk));
	tv_w_label(f, r.x + 1, r.y + 1, r.w - 2, buf,
		   tv_st(a, TV_ROLE_STAT_VALUE));
}

/* The entropy of the unscaled and scaled rows of this seed's query and
 * keys at every d_k: the take-away as numbers. */
static int
render_sweep(struct tv_app *a, struct tv_frame *f, const struct acols *c,
	     const struct tv_attn_state *s, int y)
{
	static const char *const label[] = { "d_k (this seed)",
					     "unscaled H (bits)",
					     "scaled H (bits)" };
	int i, k, cw = (c->x_row[2] + c->w_bar + c->w_pct - c->x_row[0]) /
		       DK_STEPS;

	for (k = 0; k < 3; k++)
		tv_w_label(f, c->x_key, y + k, c->w_left - 1, label[k],
			   tv_st(a, k ? row_role[k - 1] : TV_ROLE_STAT_LABEL));
	for (i = 0; i < DK_STEPS; i++) {
		struct tv_attn at;
		struct tv_attn_row rows[3];
		char buf[32];
		int x = c->x_row[0] + i * cw;

		if (tv_attn_roll(&at, N_KEYS, dk_steps[i], s->seed) < 0)
			return 0;
		tv_attn_rows(&at, 1.0, rows);
		snprintf(buf, sizeof buf, "%u", dk_steps[i]);
		tv_w_label_right(f, x, y, cw - 2, buf, tv_st(a, i == s->dk_i ?
				 TV_ROLE_FOCUS : TV_ROLE_STAT_LABEL));
		for (k = 0; k < 2; k++) {
			snprintf(buf, sizeof buf, "%.2f", rows[k].h_bits);
			tv_w_label_right(f, x, y + 1 + k, cw - 2, buf,
					 tv_st(a, TV_ROLE_STAT_VALUE));
		}
	}
	return 3;
}

static void
attention_render(struct tv_app *a, struct tv_frame *f, struct tv_rect r)
{
	static const char takeaway[] =
		"Without 1/sqrt(d_k) the attention freezes (T too low) as d_k "
		"grows; with it, the temperature tracks the energy scale and "
		"the entropy stays put.";
	static const char why[] =
		"Each score q.k_j sums d_k products of independent "
		"unit-variance numbers, so the scores spread like sqrt(d_k); "
		"T = sqrt(d_k) "
		"matches that spread. 1 - sum a^2 is the trace of the softmax "
		"Jacobian diag(a) - a a^T: 0 when one key takes all the weight "
		"(no gradient flows back), 1 - 1/n when uniform.";
	struct tv_attn_state *s = state(a);
	struct tv_attn_row rows[3];
	struct acols c = attn_cols(r);
	int y, keys, j, end = r.y + r.h, tw;
	struct tv_style help = tv_st(a, TV_ROLE_HELP_TEXT);

	if (!s || !roll(s)) {
		tv_w_label(f, r.x + 1, r.y, r.w - 2, "out of memory",
			   tv_st(a, TV_ROLE_ERROR));
		return;
	}
	tv_attn_rows(&s->at, a->par.temp, rows);
	render_top(a, f, r, s);
	col_headers(a, f, &c, s, r.y + 2);
	y = r.y + 4;
	/* Room below the keys for four statistics and the whole take-away
	 * (a zero-height box only measures it). */
	tw = tv_w_text(f, (struct tv_rect){ r.x + 1, y, r.w - 2, 0 },
		       takeaway, help);
	keys = end - y - 4 - tw;
	keys = keys > (int)s->at.n ? (int)s->at.n : keys < 1 ? 1 : keys;
	for (j = 0; j < keys; j++)
		key_row(a, f, &c, s, rows, (uint32_t)j, y++);
	y += render_stats(a, f, &c, rows, y, end - y - tw);
	if (end - y > tw)
		y++;
	y += tv_w_text(f, (struct tv_rect){ r.x + 1, y, r.w - 2, end - y },
		       takeaway, help);
	if (end - y >= 4)
		y += 1 + render_sweep(a, f, &c, s, y + 1);
	if (end - y >= 4)
		tv_w_text(f, (struct tv_rect){ r.x + 1, y + 1, r.w - 2,
					       end - y - 1 }, why,
			  tv_st(a, TV_ROLE_DIM));
}

static int
attention_action(struct tv_app *a, int act)
{
	struct tv_attn_state *s = state(a);

	if (!s)
		return 0;
	switch (act) {
	case TV_UI_DK_UP:
	case TV_UI_DK_DOWN: {
		int i = s->dk_i + (act == TV_UI_DK_UP ? 1 : -1);

		if (i < 0 || i >= DK_STEPS) {
			tv_app_note(a, "d_k steps 4, 16, 64, 256, 1024");
			return 1;
		}
		s->dk_i = i;
		s->rolled = 0;
		tv_app_note(a, "d_k = %u: scores spread like sqrt(d_k) = %.3g",
			    dk_steps[i], sqrt((double)dk_steps[i]));
		return 1;
	}
	case TV_UI_REROLL:
		s->seed++;
		s->rolled = 0;
		tv_app_note(a, "new query and keys (seed %u)", s->seed);
		return 1;
	}
	return 0;
}

static void
attention_fini(struct tv_app *a)
{
	free(a->attn);
	a->attn = NULL;
}

const struct tv_view_ops tv_view_attention_ops = {
	.name = "attention",
	.render = attention_render,
	.action = attention_action,
	.fini = attention_fini,
};
