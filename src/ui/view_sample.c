/* SPDX-License-Identifier: MIT */
/*
 * The sample view: seeded draws from the final distribution (an alias
 * table over the kept tokens and the kept part of the tail), a ticker of
 * the latest draws, the empirical histogram over the theoretical bars and
 * Pearson's chi-square test of the counts against the distribution.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tempviz/stats.h"
#include "ui/action.h"
#include "ui/app_internal.h"

#define DRIP_MS 125.0
#define MANY 1000
#define MAX_ROWS 256

static void
drop_table(struct tv_sample_state *s)
{
	if (s->ready)
		tv_alias_free(&s->alias);
	free(s->w);
	s->w = NULL;
	s->n_w = 0;
	s->ready = 0;
}

/* Forget the draws and start the generator again from the seed. */
static void
sample_reset(struct tv_app *a)
{
	struct tv_sample_state *s = &a->smp;

	drop_table(s);
	if (s->count)
		memset(s->count, 0, s->n_count * sizeof *s->count);
	s->total = 0;
	s->ticker_n = 0;
	tv_rng_seed(&s->rng, a->seed);
}

/* One count per outcome of the current distribution: its tokens and the
 * tail. 0, or -1 when out of memory. */
static int
counts_fit(struct tv_app *a)
{
	struct tv_sample_state *s = &a->smp;
	size_t need = (size_t)a->d->n + 1;

	if (s->count && s->n_count == need)
		return 0;
	free(s->count);
	s->count = calloc(need, sizeof *s->count);
	s->n_count = s->count ? need : 0;
	return s->count ? 0 : -1;
}

/* The alias table over the final distribution's outcomes (the core's:
 * kept tokens in rank order, then the kept tail as one). */
static int
build_table(struct tv_app *a)
{
	struct tv_sample_state *s = &a->smp;

	s->w = malloc((size_t)tv_outcome_count(&a->res) * sizeof *s->w);
	if (!s->w)
		return -1;
	s->n_w = tv_result_outcomes(a->d, &a->res, s->w);
	if (tv_alias_build(&s->alias, s->w, s->n_w) < 0) {
		drop_table(s);
		return -1;
	}
	s->ready = 1;
	return 0;
}

static uint32_t
count_index(const struct tv_app *a, uint32_t pos)
{
	return pos == TV_POS_TAIL ? a->d->n : pos;
}

static int
draw(struct tv_app *a, int n)
{
	struct tv_sample_state *s = &a->smp;
	int k;

	if (counts_fit(a) < 0 || (!s->ready && build_table(a) < 0)) {
		tv_app_note(a, "out of memory: no draws");
		return 1;
	}
	for (k = 0; k < n; k++) {
		uint32_t pos = tv_outcome_pos(&a->res,
					      tv_alias_draw(&s->alias, &s->rng));

		s->count[count_index(a, pos)]++;
		s->total++;
		if (s->ticker_n == TV_TICKER_LEN) {
			memmove(s->ticker, s->ticker + 1,
				(TV_TICKER_LEN - 1) * sizeof *s->ticker);
			s->ticker_n--;
		}
		s->ticker[s->ticker_n++] = pos;
	}
	return 1;
}

static void
ticker(struct tv_app *a, struct tv_frame *f, struct tv_rect r, int y)
{
	const struct tv_sample_state *s = &a->smp;
	int x = r.x + r.w - 1, i;

	x -= tv_frame_puts(f, r.x + 1, y, 7, "drawn",
			   tv_st(a, TV_ROLE_STAT_LABEL));
	/* Newest at the right end; older draws scroll off to the left. */
	for (i = s->ticker_n - 1; i >= 0; i--) {
		char tok[64];
		int w = tv_app_token(a, s->ticker[i], tok, sizeof tok, 16);

		if (x - w - 1 < r.x + 8)
			break;
		x -= w + 1;
		tv_frame_puts(f, x, y, w, tok, tv_st(a, i == s->ticker_n - 1
			      ? TV_ROLE_FOCUS : TV_ROLE_TEXT));
	}
	if (!s->ticker_n)
		tv_frame_puts(f, r.x + 8, y, r.w - 9,
			      "nothing yet: Space draws one, t a thousand, "
			      "d lets them drip", tv_st(a, TV_ROLE_DIM));
}

static void
info_line(struct tv_app *a, struct tv_frame *f, struct tv_rect r, int y)
{
	const struct tv_sample_state *s = &a->smp;
	char text[160];

	snprintf(text, sizeof text, "seed %u   draws %llu%s", a->seed,
		 (unsigned long long)s->total,
		 s->drip ? "   dripping" : "");
	tv_w_label(f, r.x + 1, y, r.w - 2, text, tv_st(a, TV_ROLE_HEADER));
	tv_w_label_right(f, r.x, y, r.w - 1,
			 "Space 1  t 1000  d drip  r reseed  c clear",
			 tv_st(a, TV_ROLE_DIM));
}

/* The row of the kept tokens that did not fit: a position no token has,
 * and not TV_POS_TAIL (UINT32_MAX), which is the rest of the vocabulary. */
#define OTHERS (TV_POS_TAIL - 1)

struct hist_row {
	uint32_t pos;           /* TV_POS_TAIL, or OTHERS */
	double emp, theory;
};

/* Rows: the kept tokens that fit, the tail, and the remaining kept
 * tokens folded into one row so every draw is on screen. */
static int
hist_rows(const struct tv_app *a, struct hist_row *row, int max)
{
	const struct tv_sample_state *s = &a->smp;
	const struct tv_result *r = &a->res;
	double total = s->total ? (double)s->total : 1;
	int n = 0, tail = r->tail_kept > 0, room;
	uint32_t pos, kept = r->hi - r->lo;

	if (max > MAX_ROWS)
		max = MAX_ROWS;
	room = max - tail;
	if (room < 1)
		return 0;
	for (pos = r->lo; pos < r->hi; pos++) {
		double p = tv_result_p(a->d, r, pos);
		double e = s->total ? (double)s->count[pos] / total : 0;

		if (kept <= (uint32_t)room || n < room - 1)
			row[n++] = (struct hist_row){ pos, e, p };
		else if (n == room - 1)
			row[n++] = (struct hist_row){ OTHERS, e, p };
		else {
			row[n - 1].emp += e;
			row[n - 1].theory += p;
		}
	}
	if (tail)
		row[n++] = (struct hist_row){ TV_POS_TAIL,
			s->total ? (double)s->count[a->d->n] / total : 0,
			tv_result_p(a->d, r, TV_POS_TAIL) * r->tail_kept };
	return n;
}

static void
fmt_pct(char *buf, size_t cap, double p)
{
	if (p >= 0.0995)
		snprintf(buf, cap, "%.1f%%", p * 100);
	else
		snprintf(buf, cap, "%.2f%%", p * 100);
}

static void
histogram(struct tv_app *a, struct tv_frame *f, struct tv_rect r)
{
	struct hist_row row[MAX_ROWS];
	double emp[MAX_ROWS], theory[MAX_ROWS], scale = 0;
	int wtok = r.w >= 100 ? 20 : 14, n, i;
	int xbar = r.x + 2 + wtok, wbar = r.w - wtok - 20;
	char text[96];

	n = hist_rows(a, row, r.h - 1);
	for (i = 0; i < n; i++) {
		emp[i] = a->smp.total ? row[i].emp : 0;
		theory[i] = row[i].theory;
		if (theory[i] > scale)
			scale = theory[i];
		if (emp[i] > scale)
			scale = emp[i];
	}
	scale = scale > 0 ? scale * 1.05 : 1;
	snprintf(text, sizeof text, "observed, %s expected (full width %.1f%%)",
		 a->look.g->thresh, scale * 100);
	tv_frame_puts(f, r.x + 1, r.y, wtok, "token",
		      tv_st(a, TV_ROLE_STAT_LABEL));
	tv_w_label(f, xbar, r.y, wbar, text, tv_st(a, TV_ROLE_STAT_LABEL));
	tv_w_label_right(f, xbar + wbar, r.y, 9, "observed",
			 tv_st(a, TV_ROLE_STAT_LABEL));
	tv_w_label_right(f, xbar + wbar + 9, r.y, 9, "expected",
			 tv_st(a, TV_ROLE_STAT_LABEL));
	for (i = 0; i < n; i++) {
		int y = r.y + 1 + i;
		char tok[64];

		if (row[i].pos == OTHERS)
			snprintf(tok, sizeof tok, "other kept");
		else if (row[i].pos == TV_POS_TAIL)
			snprintf(tok, sizeof tok, "rest%s", a->d->tail_exact ?
				 " of vocab." : " (approx.)");
		else
			tv_app_token(a, row[i].pos, tok, sizeof tok, wtok);
		tv_w_label(f, r.x + 1, y, wtok, tok, tv_st(a, row[i].pos ==
			   TV_POS_TAIL ? TV_ROLE_APPROX : TV_ROLE_TEXT));
		if (a->smp.total)
			fmt_pct(tok, sizeof tok, emp[i]);
		else
			snprintf(tok, sizeof tok, "-");
		tv_w_label_right(f, xbar + wbar, y, 9, tok,
				 tv_st(a, TV_ROLE_STAT_VALUE));
		fmt_pct(tok, sizeof tok, theory[i]);
		tv_w_label_right(f, xbar + wbar + 9, y, 9, tok,
				 tv_st(a, TV_ROLE_DIM));
	}
	tv_w_hist(f, (struct tv_rect){ xbar, r.y + 1, wbar - 1, n }, &a->look,
		  emp, theory, n, scale);
}

/* Pearson's test over every kept token, in rank order so the thin end
 * pools together. */
static void
chisq_line(struct tv_app *a, struct tv_frame *f, struct tv_rect r, int y)
{
	struct tv_sample_state *s = &a->smp;
	struct tv_chisq c;
	uint64_t *obs;
	uint32_t i;
	char text[200];

	if (!s->total) {
		tv_w_label(f, r.x + 1, y, r.w - 2, "chi-square: no draws yet",
			   tv_st(a, TV_ROLE_DIM));
		return;
	}
	if (!s->ready && build_table(a) < 0)
		return;
	obs = malloc((size_t)s->n_w * sizeof *obs);
	if (!obs)
		return;
	for (i = 0; i < s->n_w; i++)
		obs[i] = s->count[count_index(a, tv_outcome_pos(&a->res, i))];
	if (tv_chisq(obs, s->w, s->n_w, s->total, &c) < 0 || c.df < 1)
		snprintf(text, sizeof text, "chi-square: one outcome only, "
			 "nothing to test");
	else
		snprintf(text, sizeof text, "chi-square %.2f on %.0f df "
			 "(%u bins), p-value %.3f: %s", c.statistic, c.df,
			 c.bins, c.p_value, c.p_value < 0.01
			 ? "the draws do not fit (rare by chance)"
			 : c.p_value < 0.05 ? "a poor fit (1 in 20 by chance)"
			 : "the draws fit the distribution");
	free(obs);
	tv_w_label(f, r.x + 1, y, r.w - 2, text, tv_st(a, TV_ROLE_TEXT));
}

static void
sample_render(struct tv_app *a, struct tv_frame *f, struct tv_rect r)
{
	int y = r.y + tv_dials_render(a, f, r) + 1;

	info_line(a, f, r, y++);
	ticker(a, f, r, y++);
	y++;
	histogram(a, f, (struct tv_rect){ r.x, y, r.w, r.y + r.h - 2 - y });
	chisq_line(a, f, r, r.y + r.h - 1);
}

static int
sample_action(struct tv_app *a, int act)
{
	struct tv_sample_state *s = &a->smp;

	switch (act) {
	case TV_UI_DRAW_ONE:
		return draw(a, 1);
	case TV_UI_DRAW_MANY:
		return draw(a, MANY);
	case TV_UI_DRIP:
		s->drip = !s->drip;
		s->drip_ms = 0;
		return 1;
	case TV_UI_RESEED:
		a->seed++;
		sample_reset(a);
		tv_app_note(a, "seed %u", a->seed);
		return 1;
	case TV_UI_CLEAR:
		sample_reset(a);
		return 1;
	}
	return 0;
}

static int
sample_animating(const struct tv_app *a)
{
	return a->smp.drip;
}

static void
sample_tick(struct tv_app *a, double dt_ms)
{
	struct tv_sample_state *s = &a->smp;
	int n = 0;

	/* After a pause (suspend, a slow terminal) resume the rhythm instead
	 * of catching up with a burst. */
	s->drip_ms += dt_ms > 4 * DRIP_MS ? DRIP_MS : dt_ms;
	while (s->drip_ms >= DRIP_MS) {
		s->drip_ms -= DRIP_MS;
		n++;
	}
	if (n) {
		draw(a, n);
		a->dirty = 1;
	}
}

/* Draws belong to the distribution they came from. */
static void
sample_changed(struct tv_app *a, unsigned what)
{
	(void)what;
	if (a->smp.total && a->view == TV_VIEW_SAMPLE)
		tv_app_note(a, "draws cleared: the distribution changed");
	sample_reset(a);
}

static void
sample_fini(struct tv_app *a)
{
	drop_table(&a->smp);
	free(a->smp.count);
	a->smp.count = NULL;
}

const struct tv_view_ops tv_view_sample_ops = {
	.name = "sample",
	.render = sample_render,
	.action = sample_action,
	.tick = sample_tick,
	.animating = sample_animating,
	.changed = sample_changed,
	.fini = sample_fini,
};
