/* SPDX-License-Identifier: MIT */
/*
 * The curves view: entropy, top-1 and the kept count against log T, each
 * computed by the core's pipeline at TV_CURVE_N log-spaced temperatures
 * with every other parameter as set, and a playhead at the current T.
 * The curves are cached and recomputed only when something other than T
 * changes; turning T only moves the playhead.
 */
#include <math.h>
#include <stdio.h>

#include "tempviz/thermo.h"
#include "ui/action.h"
#include "ui/app_internal.h"

static void
compute(struct tv_app *a)
{
	struct tv_curves *c = &a->curves;
	struct tv_params p = a->par;
	struct tv_result r;
	int i;

	for (i = 0; i < TV_CURVE_N; i++) {
		p.temp = tv_log_grid(TV_CURVE_T_LO, TV_CURVE_T_HI, TV_CURVE_N,
				     (uint32_t)i);
		tv_run(a->d, &a->chain, &p, &r);
		c->t[i] = p.temp;
		c->entropy[i] = r.stats.entropy_bits;
		c->top1[i] = r.stats.top1;
		c->kept[i] = log10(r.stats.kept);
	}
	c->valid = 1;
}

struct curve {
	const char *title;
	const double *y;
	double ymin, ymax, now;
	const char *yfmt;       /* five columns wide, so the three plots and
	                           their playheads line up */
	enum tv_role role;
	char value[64];
	int counts;             /* y is log10 of a count: label the counts */
};

/* Ticks at T = 0.1, 1 and 10 under the x axis, where the plot maps
 * them. */
static void
x_ticks(struct tv_app *a, struct tv_frame *f, struct tv_rect d)
{
	static const double ticks[] = { 0.1, 1, 10 };
	static const char *const names[] = { "0.1", "1", "10" };
	double span = log(TV_CURVE_T_HI / TV_CURVE_T_LO);
	int i;

	for (i = 0; i < 3; i++) {
		double t = log(ticks[i] / TV_CURVE_T_LO) / span;

		tv_frame_puts(f, d.x + (int)floor(t * d.w), d.y + d.h, 3,
			      names[i], tv_st(a, TV_ROLE_PLOT_AXIS));
	}
}

static void
count_label(struct tv_app *a, struct tv_frame *f, int x, int y, double v)
{
	char buf[16];

	/* Five columns, over the plot's own label of the logarithm. */
	if (v >= 99999.5)
		snprintf(buf, sizeof buf, "%4.0fk", v / 1000);
	else
		snprintf(buf, sizeof buf, "%5.0f", v);
	tv_frame_puts(f, x, y, 5, buf, tv_st(a, TV_ROLE_PLOT_AXIS));
}

static void
plot(struct tv_app *a, struct tv_frame *f, struct tv_rect r,
     const struct curve *cv)
{
	double t = a->res.greedy ? TV_CURVE_T_LO : a->par.temp;
	struct tv_series s = { a->curves.t, cv->y, TV_CURVE_N, cv->role };
	struct tv_plot p = {
		.series = &s, .nseries = 1,
		.xmin = TV_CURVE_T_LO, .xmax = TV_CURVE_T_HI,
		.ymin = cv->ymin, .ymax = cv->ymax,
		.xlog = 1, .labels = 1, .yfmt = cv->yfmt, .xfmt = "%g",
		.playhead = t, .mark_x = t, .mark_y = cv->now,
		.mode = a->curves.block ? TV_PLOT_BLOCK : TV_PLOT_AUTO,
	};
	struct tv_rect d;
	int x;

	x = r.x + 1 + tv_frame_puts(f, r.x + 1, r.y, r.w - 2, cv->title,
				    tv_st(a, cv->role));
	tv_w_label(f, x + 2, r.y, r.x + r.w - x - 3, cv->value,
		   tv_st(a, TV_ROLE_STAT_VALUE));
	d = tv_w_plot(f, (struct tv_rect){ r.x + 1, r.y + 1, r.w - 2,
					   r.h - 1 }, &a->look, &p);
	if (d.x == r.x + 1)
		return;
	x_ticks(a, f, d);
	if (cv->counts) {
		count_label(a, f, r.x + 1, d.y, pow(10, cv->ymax));
		count_label(a, f, r.x + 1, d.y + d.h - 1, pow(10, cv->ymin));
	}
}

static void
curves_render(struct tv_app *a, struct tv_frame *f, struct tv_rect r)
{
	const struct tv_stats *s = &a->res.stats;
	double vmax = s->vocab > 1 ? s->vocab : 2;
	/* One state has no room for entropy: keep a one-bit axis. */
	double hmax = fmax(tv_dist_max_entropy_bits(a->d), 1.0);
	struct curve cv[3] = {
		{ "entropy (bits)", a->curves.entropy, 0, hmax,
		  s->entropy_bits, "%5.1f", TV_ROLE_PLOT_ENTROPY, "", 0 },
		{ "top-1 probability", a->curves.top1, 0, 1, s->top1, "%5.2f",
		  TV_ROLE_PLOT_TOP1, "", 0 },
		{ "kept tokens (log scale)", a->curves.kept, 0, log10(vmax),
		  log10(s->kept), "%5.1f", TV_ROLE_PLOT_KEPT, "", 1 },
	};
	char t[48];
	int y, h, i;

	if (!a->curves.valid)
		compute(a);
	if (a->res.greedy)
		snprintf(t, sizeof t, "T 0 (greedy, drawn at %g)",
			 TV_CURVE_T_LO);
	else
		snprintf(t, sizeof t, "T %.3g", a->par.temp);
	snprintf(cv[0].value, sizeof cv[0].value, "%.2f at %s",
		 s->entropy_bits, t);
	snprintf(cv[1].value, sizeof cv[1].value, "%.1f%% at %s",
		 s->top1 * 100, t);
	snprintf(cv[2].value, sizeof cv[2].value, "%.0f at %s", s->kept, t);
	y = r.y + tv_dials_render(a, f, r) + 1;
	h = (r.y + r.h - y) / 3;
	for (i = 0; i < 3; i++)
		plot(a, f, (struct tv_rect){ r.x, y + i * h, r.w, h }, &cv[i]);
}

static int
curves_action(struct tv_app *a, int act)
{
	if (act != TV_UI_PLOT_MODE)
		return 0;
	a->curves.block = !a->curves.block;
	tv_app_note(a, "%s plots", a->curves.block ? "block" : "braille");
	return 1;
}

const struct tv_view_ops tv_view_curves_ops = {
	.name = "curves",
	.render = curves_render,
	.action = curves_action,
};
