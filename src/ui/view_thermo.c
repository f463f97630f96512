/* SPDX-License-Identifier: MIT */
/*
 * The thermo view: softmax(z / T) read as the Boltzmann distribution with
 * energies E = z_max - z and k_B = 1 (thermo.md A.2 - A.4). An energy
 * ladder with the exact population of each level beside Metropolis
 * particles hopping between them, the readouts Z, <E>, S, F, C and e^S,
 * the blackbody glow of T, curves of S, <E> and C over log T with the
 * heat-capacity peak, and, behind its own key, negative temperature.
 *
 * Every number comes from the core (thermo.h), so this view, `tempviz
 * sweep` and the explore view agree. There is one temperature, the app's
 * dial (>= 0): inverted, the view shows T = -dial, so the dial keeps
 * turning it and the header says the same; only the sweep through
 * infinity into or out of inversion runs on a beta of the view's own.
 * Leaving the view ends the inversion, so no other view shows a T the
 * header does not.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tempviz/thermo.h"
#include "ui/action.h"
#include "ui/app_internal.h"

#define CURVE_N 200
#define QUENCH_T 0.05
/* Metropolis sweeps (one proposal per particle) per second of animation:
 * slow enough to watch a quench rain down, fast enough to settle. */
#define SWEEPS_PER_S 10.0
/* Sweeps run when the particles are placed, so the first picture is a
 * sample at T rather than everything in the ground state. */
#define BURN_IN_SWEEPS 100
/* Anneal and heat move T by one decade in this many seconds. */
#define DECADE_S 6.0
/* Entering or leaving inversion sweeps beta over this many seconds. */
#define SWEEP_S 3.0
/* A longer pause between ticks (a suspended terminal) is not replayed. */
#define MAX_TICK_MS 100.0
#define LEVELS_MAX 30
#define ROWS_MAX 128
#define LN10 2.302585092994045684

static const uint32_t np_steps[] = {
	20, 50, 100, 200, 300, 500, 1000, 2000, 5000,
};
#define NP_STEPS (sizeof np_steps / sizeof np_steps[0])

/* What moves T by itself: the dial down or up (anneal, heat; heating
 * past infinity turns the dial down, since T = -dial), or the view's beta
 * towards beta_to (the sweep through infinity). */
enum ramp { RAMP_NONE, RAMP_ANNEAL, RAMP_HEAT, RAMP_BETA };

struct tv_thermo_state {
	const struct tv_dist *d;        /* what the caches describe */
	unsigned serial;                /* and a->d_serial then */
	struct tv_dos dos;
	int have_dos;
	double ct[CURVE_N], cs[CURVE_N], cu[CURVE_N], cc[CURVE_N];
	double s_top, u_top, c_top;     /* plot ranges */
	double t_peak, c_peak;
	int have_curves, have_peak;
	struct tv_glow_lut lut;

	struct tv_particles pt;
	int have_pt;
	uint32_t k;                     /* token levels of pt */
	uint32_t np;                    /* particles wanted */
	double pt_beta;                 /* beta pt's weights were set at */
	double carry;                   /* proposals owed to the next tick */
	enum tv_propose propose;
	int paused;
	int to_scale;                   /* level rows at E / E_max */

	enum ramp ramp;
	int inverted;                   /* T = -dial, or the sweep to it */
	double beta, beta_rate;         /* the sweep's; rate per ms */
	int revert;                     /* the sweep leaves inversion */
};

/* ------------------------------------------------------------ state --- */

static void
drop_dist(struct tv_thermo_state *s)
{
	if (s->have_dos)
		tv_dos_free(&s->dos);
	if (s->have_pt)
		tv_particles_free(&s->pt);
	s->have_dos = s->have_pt = s->have_curves = s->have_peak = 0;
	s->d = NULL;
}

static struct tv_thermo_state *
state(struct tv_app *a)
{
	struct tv_thermo_state *s = a->thermo;

	if (s)
		return s;
	s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	tv_glow_lut_init(&s->lut);
	s->np = TV_PARTICLES_DEFAULT;
	s->propose = TV_PROPOSE_UNIFORM;
	a->thermo = s;
	return s;
}

static double
curve_max(const double *v, int n)
{
	double m = 0;
	int i;

	for (i = 0; i < n; i++)
		if (isfinite(v[i]) && v[i] > m)
			m = v[i];
	return m;
}

/* The density of states, once per distribution, gives the curves and the
 * heat-capacity peak over the curves view's range of T. */
static void
build_curves(struct tv_thermo_state *s)
{
	struct tv_thermo *th = malloc(CURVE_N * sizeof *th);
	int i;

	if (!th)
		return;
	if (tv_thermo_curve(&s->dos, TV_CURVE_T_LO, TV_CURVE_T_HI, CURVE_N, 1,
			    th) == 0) {
		for (i = 0; i < CURVE_N; i++) {
			s->ct[i] = th[i].temp;
			s->cs[i] = th[i].s_nats;
			s->cu[i] = th[i].u;
			s->cc[i] = th[i].c;
		}
		/* In nats, the axis of S; one state still gets an axis. */
		s->s_top = M_LN2 * fmax(tv_dist_max_entropy_bits(s->d), 1.0);
		s->u_top = curve_max(s->cu, CURVE_N);
		s->c_top = curve_max(s->cc, CURVE_N);
		s->have_curves = 1;
	}
	free(th);
	/* A maximum at an end of the range, or of a C that is zero
	 * everywhere (equal logits), is no peak. */
	s->have_peak = tv_dos_c_peak(&s->dos, TV_CURVE_T_LO, TV_CURVE_T_HI,
				     &s->t_peak, &s->c_peak) == 0 &&
		       s->c_peak > 1e-9 && s->t_peak > TV_CURVE_T_LO * 1.05 &&
		       s->t_peak < TV_CURVE_T_HI / 1.05;
	if (s->have_peak && s->c_peak > s->c_top)
		s->c_top = s->c_peak;
}

static void
sync_dist(struct tv_app *a, struct tv_thermo_state *s)
{
	if (s->d == a->d && s->serial == a->d_serial)
		return;
	drop_dist(s);
	s->d = a->d;
	s->serial = a->d_serial;
	if (tv_dos_build(&s->dos, a->d) == 0) {
		s->have_dos = 1;
		build_curves(s);
	}
}

/* The beta a sweep into inversion starts from and a sweep back ends at:
 * the dial's, or the quench temperature's when the dial is at greedy. */
static double
dial_beta(const struct tv_app *a)
{
	return 1.0 / (a->par.temp > QUENCH_T ? a->par.temp :
		      a->par.temp > 0 ? a->par.temp : QUENCH_T);
}

/* The beta the view shows: 1 / the dial, -1 / the dial inverted (a dial
 * at 0 is frozen at the argmin), the sweep's own through infinity. */
static double
view_beta(const struct tv_app *a, const struct tv_thermo_state *s)
{
	if (s->ramp == RAMP_BETA)
		return s->beta;
	return (s->inverted ? -1.0 : 1.0) / a->par.temp;
}

static void
set_pt_beta(struct tv_thermo_state *s, const struct tv_dist *d, double beta)
{
	tv_particles_set_beta(&s->pt, d, beta);
	s->pt_beta = beta;
	/* The acceptance rate shown is the one at this temperature. */
	s->pt.proposed = s->pt.accepted = 0;
}

/* Particles for k token levels at beta: placed afresh (seeded, then
 * burnt in) when the levels or the count change, else reweighted. */
static void
sync_particles(struct tv_app *a, struct tv_thermo_state *s, uint32_t k,
	       double beta)
{
	if (s->have_pt && s->k == k && s->pt.np == s->np) {
		if (beta != s->pt_beta)
			set_pt_beta(s, a->d, beta);
		return;
	}
	if (s->have_pt)
		tv_particles_free(&s->pt);
	s->have_pt = tv_particles_init(&s->pt, a->d, k, s->np,
				       a->par.seed) == 0;
	if (!s->have_pt)
		return;
	s->k = k;
	s->carry = 0;
	s->pt.propose = s->propose;
	set_pt_beta(s, a->d, beta);
	tv_particles_step(&s->pt, BURN_IN_SWEEPS * s->pt.np);
}

/* ------------------------------------------------------- formatting --- */

static void
fmt_pct(char *buf, size_t cap, double p)
{
	if (p <= 0)
		snprintf(buf, cap, "0");
	else if (p >= 0.0995)
		snprintf(buf, cap, "%.1f%%", p * 100);
	else if (p >= 0.000995)
		snprintf(buf, cap, "%.2f%%", p * 100);
	else
		snprintf(buf, cap, "<0.1%%");
}

/* A count in at most w columns: grouped digits, else 73k or 1.2M. */
static void
fmt_size(char *buf, size_t cap, double v, int w)
{
	tv_fmt_count(buf, cap, v);
	if ((int)strlen(buf) <= w)
		return;
	if (v < 999.5e3)
		snprintf(buf, cap, "%.0fk", v / 1e3);
	else
		snprintf(buf, cap, "%.1fM", v / 1e6);
}

/* Four decimals, in exponent form from a million on where fixed digits
 * would not fit the readout; infinities by name. */
static void
fmt_num(char *buf, size_t cap, double v)
{
	if (isinf(v))
		snprintf(buf, cap, "%sinf", v < 0 ? "-" : "");
	else if (fabs(v) >= 1e6)
		snprintf(buf, cap, "%.4e", v);
	else
		snprintf(buf, cap, "%.4f", v);
}

static const char *
beta_name(const struct tv_app *a)
{
	return a->look.g->utf8 ? "\xce\xb2" : "beta";
}

/* T and its kelvin, or the limit that has no finite T. */
static void
fmt_temp(const struct tv_app *a, const struct tv_thermo *th, char *buf,
	 size_t cap)
{
	const char *ap = a->look.g->approx, *inf = a->look.g->infinity;
	double k = TV_KELVIN_PER_T * th->temp;

	if (th->beta == 0)
		snprintf(buf, cap, "T = %s%s (%s = 0): uniform",
			 a->look.g->utf8 ? "\xc2\xb1" : "+-", inf,
			 beta_name(a));
	else if (isinf(th->beta) && th->beta > 0)
		snprintf(buf, cap, "T = 0: greedy, frozen (0 K)");
	else if (isinf(th->beta))
		snprintf(buf, cap, "T = -0: frozen at the argmin");
	else if (fabs(th->temp) < 0.1)
		snprintf(buf, cap, "T = %.3f %s %.0f K", th->temp, ap, k);
	else if (fabs(th->temp) < 10)
		snprintf(buf, cap, "T = %.2f %s %.0f K", th->temp, ap, k);
	else
		snprintf(buf, cap, "T = %.1f %s %.0f K", th->temp, ap, k);
}

/* ------------------------------------------------------------- glow --- */

/* thermo.md A.4's readings of a colour temperature. */
static const char *
glow_word(double kelvin)
{
	static const struct {
		double below;
		const char *word;
	} words[] = {
		{ TV_GLOW_KMIN, "no glow" },
		{ 1000, "first dull glow" },
		{ 1500, "dull red" },
		{ 2400, "orange-red, a candle" },
		{ 3500, "incandescent bulb" },
		{ 5000, "warm white" },
		{ 7000, "white, sunlight" },
		{ 10000, "blue-white" },
		{ 25000, "hot blue star" },
	};
	size_t i;

	for (i = 0; i < sizeof words / sizeof words[0]; i++)
		if (!(kelvin >= words[i].below))
			return words[i].word;
	return "blue-white (saturated)";
}

/* No blackbody has T < 0: inversion glows in a laser's magenta. */
static struct tv_style
laser_style(enum tv_tier tier)
{
	struct tv_style s = { TV_DEFAULT, TV_DEFAULT, TV_A_BOLD };

	if (tier == TV_TIER_256)
		s.fg = 201;
	else if (tier == TV_TIER_8)
		s.fg = 5;
	return s;
}

/* The swatch (none in monochrome) and the word; returns columns used. */
static int
render_glow(struct tv_app *a, struct tv_thermo_state *s,
	    const struct tv_thermo *th, struct tv_frame *f, int x, int y,
	    int maxw)
{
	double temp = th->beta == 0 ? INFINITY : th->temp;
	double kelvin = TV_KELVIN_PER_T * temp;
	const char *word = th->beta < 0 ? "laser, not a blackbody"
			   : glow_word(kelvin);
	struct tv_style sw = th->beta < 0 ? laser_style(a->look.tier)
			     : tv_theme_glow8(kelvin);
	int used = 0;

	if (a->look.tier == TV_TIER_256 && th->beta >= 0) {
		struct tv_rgb c = tv_glow(&s->lut, temp);

		sw = (struct tv_style){ (int16_t)tv_xterm256(c), TV_DEFAULT,
					0 };
	}
	if (a->look.tier != TV_TIER_MONO && maxw > 3) {
		used += tv_frame_puts(f, x, y, 1, a->look.g->eighth[8], sw);
		used += tv_frame_puts(f, x + used, y, 1, a->look.g->eighth[8],
				      sw);
		used++;
	}
	return used + tv_w_label(f, x + used, y, maxw - used, word,
				 tv_st(a, a->look.tier == TV_TIER_MONO ?
				    TV_ROLE_STAT_VALUE : TV_ROLE_TEXT));
}

static void
render_tline(struct tv_app *a, struct tv_thermo_state *s,
	     const struct tv_thermo *th, struct tv_frame *f, struct tv_rect r)
{
	char buf[160];
	int x = r.x + 1, end = r.x + r.w - 1;

	fmt_temp(a, th, buf, sizeof buf);
	x += tv_w_label(f, x, r.y, end - x, buf, tv_st(a, TV_ROLE_DIAL_VALUE));
	x += 2;
	if (th->beta < 0)
		x += tv_w_label(f, x, r.y, end - x, "population inversion "
				"(hotter than infinity)",
				tv_st(a, TV_ROLE_WARN)) + 2;
	render_glow(a, s, th, f, x, r.y, end - x);
}

/* ----------------------------------------------------------- ladder --- */

struct lrow {
	uint32_t lv;    /* first level in the row */
	uint32_t n;     /* levels merged into it; 0 for an empty row */
	double p;       /* their exact population */
	uint32_t occ;   /* their particles */
};

struct lcols {
	int x_tok, w_tok, x_e, w_e, x_trk, w_trk, x_bar, w_bar, x_pct, w_pct;
};

static struct lcols
ladder_cols(struct tv_rect r)
{
	struct lcols c;
	int rest;

	c.w_tok = r.w >= 70 ? 14 : 9;
	c.w_e = 6;
	c.w_pct = 6;
	rest = r.w - 1 - c.w_tok - c.w_e - c.w_pct - 4;
	c.w_trk = rest / 2;
	c.w_bar = rest - c.w_trk;
	c.x_tok = r.x + 1;
	c.x_e = c.x_tok + c.w_tok + 1;
	c.x_trk = c.x_e + c.w_e + 1;
	c.x_bar = c.x_trk + c.w_trk + 1;
	c.x_pct = c.x_bar + c.w_bar + 1;
	return c;
}

static int
has_rest(const struct tv_particles *pt)
{
	return pt->n_lev > pt->n_tok;
}

/* Token levels for a ladder of rows rows: every finite token when they
 * (and the tail) fit, else one row fewer than fit, the rest lumped. */
static uint32_t
ladder_k(const struct tv_dist *d, int rows)
{
	uint32_t fit = rows > 1 ? (uint32_t)rows : 1;
	int tail = d->tail_g > 0 && isfinite(d->tail_logit);

	if (fit > LEVELS_MAX + 1)
		fit = LEVELS_MAX + 1;
	if (d->n_finite + (uint32_t)tail <= fit)
		return d->n_finite;
	return fit > 1 ? fit - 1 : 1;
}

/* One row per level (rank), or rows at E / E_max of the highest token
 * level with levels that share a row merged (to scale); the rest lumped
 * on top. Returns the rows used, bottom first. */
static int
ladder_rows(const struct tv_thermo_state *s, int avail, struct lrow *row)
{
	const struct tv_particles *pt = &s->pt;
	int n_tok_rows = avail - has_rest(pt), i, n;
	double e_top = pt->e[pt->n_tok - 1];

	if (!s->to_scale || n_tok_rows < 2) {
		n = (int)pt->n_lev < avail ? (int)pt->n_lev : avail;
		for (i = 0; i < n; i++)
			row[i] = (struct lrow){ (uint32_t)i, 1, pt->p[i],
						pt->occ[i] };
		return n;
	}
	n = avail;
	memset(row, 0, (size_t)n * sizeof *row);
	for (i = 0; i < (int)pt->n_tok; i++) {
		int r = e_top > 0 ? (int)floor(pt->e[i] / e_top *
					       (n_tok_rows - 1) + 0.5) : 0;

		if (row[r].n++ == 0)
			row[r].lv = (uint32_t)i;
		row[r].p += pt->p[i];
		row[r].occ += pt->occ[i];
	}
	if (has_rest(pt))
		row[n - 1] = (struct lrow){ pt->n_tok, 1, pt->p[pt->n_tok],
					    pt->occ[pt->n_tok] };
	return n;
}

/* The lowest energy lumped into the rest level. */
static double
rest_e_min(const struct tv_app *a, const struct tv_particles *pt)
{
	const struct tv_dist *d = a->d;
	double zmax = d->sorted[0], e = INFINITY;

	if (d->tail_g > 0 && isfinite(d->tail_logit)) {
		zmax = fmax(zmax, d->tail_logit);
		e = zmax - d->tail_logit;
	}
	if (pt->n_tok < d->n_finite)
		e = fmin(e, zmax - d->sorted[pt->n_tok]);
	return e;
}

static void
level_label(struct tv_app *a, const struct tv_particles *pt,
	    const struct lrow *lr, const struct lcols *c, struct tv_frame *f,
	    int y)
{
	const struct tv_dist *d = a->d;
	char tok[128], buf[160], n[32];

	if (lr->lv == pt->n_tok) {
		int approx = d->tail_g > 0 && !d->tail_exact;

		fmt_size(n, sizeof n, (double)(d->n_finite - pt->n_tok) +
			  (d->tail_g > 0 ? d->tail_g : 0), c->w_tok - 6);
		snprintf(buf, sizeof buf, "rest %s%s", approx ?
			 a->look.g->approx : "", n);
		tv_w_label(f, c->x_tok, y, c->w_tok, buf,
			   tv_st(a, approx ? TV_ROLE_APPROX : TV_ROLE_TAIL));
		snprintf(buf, sizeof buf, "%s%.2f", a->look.g->ge,
			 rest_e_min(a, pt));
		tv_w_label_right(f, c->x_e, y, c->w_e, buf,
				 tv_st(a, TV_ROLE_TAIL));
		return;
	}
	if (lr->n > 1) {
		snprintf(n, sizeof n, " +%u", lr->n - 1);
		tv_app_token(a, lr->lv, tok, sizeof tok,
			     c->w_tok - (int)strlen(n));
		snprintf(buf, sizeof buf, "%s%s", tok, n);
	} else {
		tv_app_token(a, lr->lv, buf, sizeof buf, c->w_tok);
	}
	tv_w_label(f, c->x_tok, y, c->w_tok, buf, tv_st(a, TV_ROLE_TEXT));
	snprintf(buf, sizeof buf, "%.2f", pt->e[lr->lv]);
	tv_w_label_right(f, c->x_e, y, c->w_e, buf, tv_st(a, TV_ROLE_DIM));
}

/* The particles on a level line, in the bars' scale: converged, the run
 * of glyphs ends where the exact bar does. An arrow marks a run longer
 * than the track. */
static void
level_track(struct tv_app *a, const struct tv_particles *pt,
	    const struct lrow *lr, const struct lcols *c, double scale,
	    struct tv_frame *f, int y)
{
	double q = (double)lr->occ / pt->np / scale;
	int n = (int)floor(q * c->w_trk + 0.5), i;

	if (lr->occ > 0 && n < 1)
		n = 1;
	if (n > c->w_trk)
		n = c->w_trk;
	for (i = 0; i < c->w_trk; i++)
		tv_frame_puts(f, c->x_trk + i, y, 1, i < n ? a->look.g->particle
			      : a->look.g->level, tv_st(a, i < n ?
			      TV_ROLE_PARTICLE : TV_ROLE_LEVEL));
	if (q > 1.0 + 0.5 / c->w_trk)
		tv_frame_puts(f, c->x_trk + c->w_trk - 1, y, 1,
			      a->look.g->arrow_right,
			      tv_st(a, TV_ROLE_PARTICLE));
}

static void
level_bar(struct tv_app *a, const struct tv_particles *pt,
	  const struct lrow *lr, const struct lcols *c, double scale,
	  struct tv_frame *f, int y)
{
	int rest = lr->lv == pt->n_tok;
	struct tv_bar b = { .value = lr->p / scale, .ghost = -1,
			    .role = rest ? TV_ROLE_TAIL : TV_ROLE_BAR,
			    .ghost_role = TV_ROLE_GHOST };
	char buf[32];

	tv_w_bar(f, (struct tv_rect){ c->x_bar, y, c->w_bar, 1 }, &a->look,
		 &b);
	fmt_pct(buf, sizeof buf, lr->p);
	tv_w_label_right(f, c->x_pct, y, c->w_pct, buf,
			 tv_st(a, TV_ROLE_STAT_VALUE));
}

static void
ladder_header(struct tv_app *a, const struct tv_thermo_state *s,
	      const struct lcols *c, double scale, struct tv_frame *f, int y)
{
	struct tv_style lab = tv_st(a, TV_ROLE_STAT_LABEL);
	char buf[96];

	tv_frame_puts(f, c->x_tok, y, c->w_tok, "level", lab);
	tv_w_label_right(f, c->x_e, y, c->w_e, "E", lab);
	snprintf(buf, sizeof buf, "particles, %s %s %.3g", a->look.g->particle,
		 a->look.g->approx, s->pt.np * scale / c->w_trk);
	if (tv_str_width(buf) > c->w_trk)
		snprintf(buf, sizeof buf, "particles");
	tv_w_label(f, c->x_trk, y, c->w_trk, buf, lab);
	tv_w_label(f, c->x_bar, y, c->w_bar + 1 + c->w_pct,
		   c->w_bar >= 16 ? "exact p = e^(-E/T)/Z" : "exact p", lab);
}

static void
render_ladder(struct tv_app *a, struct tv_thermo_state *s,
	      struct tv_frame *f, struct tv_rect r)
{
	struct lrow row[ROWS_MAX];
	struct lcols c = ladder_cols(r);
	int avail = r.h - 1 < ROWS_MAX ? r.h - 1 : ROWS_MAX, n, i, step;
	double scale = 0;

	if (!s->have_pt || avail < 1 || c.w_trk < 2)
		return;
	n = ladder_rows(s, avail, row);
	for (i = 0; i < n; i++)
		if (row[i].p > scale)
			scale = row[i].p;
	if (!(scale > 0))
		scale = 1;
	ladder_header(a, s, &c, scale, f, r.y);
	/* Rank rows spread out when there is room, so the ladder reads as
	 * one; the ground state at the bottom, energy rising upwards. */
	step = !s->to_scale && 2 * n <= avail ? 2 : 1;
	for (i = 0; i < n; i++) {
		int y = r.y + r.h - 1 - i * step;

		if (row[i].n == 0)
			continue;
		level_label(a, &s->pt, &row[i], &c, f, y);
		level_track(a, &s->pt, &row[i], &c, scale, f, y);
		level_bar(a, &s->pt, &row[i], &c, scale, f, y);
	}
}

/* --------------------------------------------------------- readouts --- */

struct readout {
	struct tv_app *a;
	struct tv_frame *f;
	struct tv_rect r;
	int y, lw;
};

static void
readout(struct readout *o, const char *label, const char *value,
	enum tv_role role)
{
	struct tv_rect r = o->r;

	if (o->y >= r.y + r.h)
		return;
	tv_w_label(o->f, r.x, o->y, o->lw, label,
		   tv_st(o->a, TV_ROLE_STAT_LABEL));
	tv_w_label(o->f, r.x + o->lw, o->y, r.w - o->lw, value,
		   tv_st(o->a, role));
	o->y++;
}

/* A line of its own across the column, indented. */
static void
note(struct readout *o, const char *text)
{
	if (o->y >= o->r.y + o->r.h)
		return;
	tv_w_label(o->f, o->r.x + 2, o->y++, o->r.w - 2, text,
		   tv_st(o->a, TV_ROLE_DIM));
}

/* Whether the explore view's entropy is this S: the same T and nothing
 * cut by a sampler; else what the explore view shows instead. */
static void
explore_note(const struct tv_app *a, const struct tv_thermo_state *s,
	     struct readout *o)
{
	const struct tv_stats *x = &a->res.stats;
	char v[64];

	if (s->inverted) {
		snprintf(v, sizeof v, "explore keeps T %s 0", a->look.g->ge);
		note(o, v);
	} else if (x->kept >= x->vocab && a->res.temp == a->par.temp) {
		note(o, "= the explore view's entropy");
	} else {
		snprintf(v, sizeof v, "%.4f bits", x->entropy_bits);
		readout(o, a->res.greedy ? "explore, T=0" : a->res.temp !=
			a->par.temp ? "explore view" : "explore, cut", v,
			TV_ROLE_DIM);
	}
}

static void
render_readouts(struct tv_app *a, struct tv_thermo_state *s,
		const struct tv_thermo *th, struct tv_frame *f,
		struct tv_rect r)
{
	struct readout o = { a, f, r, r.y, r.w >= 36 ? 15 : 13 };
	struct tv_thermo one;
	char v[96], lab[32];

	tv_w_label(f, r.x, o.y++, r.w, "Boltzmann, k_B = 1",
		   tv_st(a, TV_ROLE_HEADER));
	snprintf(lab, sizeof lab, "%s = 1/T", beta_name(a));
	fmt_num(v, sizeof v, th->beta);
	readout(&o, lab, v, TV_ROLE_STAT_VALUE);
	if (isfinite(th->z))
		fmt_num(v, sizeof v, th->z);
	else
		snprintf(v, sizeof v, "e^%.2f", th->lnz);
	readout(&o, "Z", v, TV_ROLE_STAT_VALUE);
	fmt_num(v, sizeof v, th->u);
	readout(&o, "<E>", v, TV_ROLE_STAT_VALUE);
	snprintf(v, sizeof v, "%.4f nats", th->s_nats);
	readout(&o, "S", v, TV_ROLE_STAT_VALUE);
	snprintf(v, sizeof v, "%.4f bits", th->s_bits);
	readout(&o, "", v, TV_ROLE_STAT_VALUE);
	explore_note(a, s, &o);
	fmt_num(v, sizeof v, th->f);
	readout(&o, "F = -T ln Z", v, TV_ROLE_STAT_VALUE);
	fmt_num(v, sizeof v, th->c);
	readout(&o, r.w >= 36 ? "C = Var(E)/T^2" : "C=Var(E)/T^2", v,
		TV_ROLE_STAT_VALUE);
	snprintf(v, sizeof v, "%.4g tokens", th->perplexity);
	readout(&o, "e^S", v, TV_ROLE_STAT_VALUE);
	if (s->have_peak) {
		snprintf(v, sizeof v, "T %.3f, C %.3f", s->t_peak, s->c_peak);
		readout(&o, "melting pt", v, TV_ROLE_MARKER);
	}
	if (tv_thermo_at(a->d, 1.0, &one) == 0) {
		snprintf(v, sizeof v, "%.4f nats",
			 tv_thermo_kl(th, &one));
		readout(&o, "KL(p_T||p_1)", v, TV_ROLE_STAT_VALUE);
	}
	note(&o, "E, F, T in logit units");
}

/* ----------------------------------------------------------- curves --- */

struct curve {
	const char *title;
	const double *y;
	double top;
	enum tv_role role;
	double mark_x, mark_y;
};

static void
render_curve(struct tv_app *a, struct tv_thermo_state *s,
	     const struct curve *cv, double playhead, struct tv_frame *f,
	     struct tv_rect r)
{
	struct tv_series ser = { s->ct, cv->y, CURVE_N, cv->role };
	struct tv_plot p = {
		.series = &ser, .nseries = 1,
		.xmin = TV_CURVE_T_LO, .xmax = TV_CURVE_T_HI,
		.ymin = 0, .ymax = cv->top > 0 ? cv->top * 1.05 : 1,
		.xlog = 1, .labels = 1, .yfmt = "%.2g", .xfmt = "T %g",
		.playhead = playhead, .mark_x = cv->mark_x,
		.mark_y = cv->mark_y, .mode = TV_PLOT_AUTO,
	};

	tv_w_label(f, r.x + 1, r.y, r.w - 2, cv->title, tv_st(a, cv->role));
	tv_w_plot(f, (struct tv_rect){ r.x + 1, r.y + 1, r.w - 2, r.h - 1 },
		  &a->look, &p);
}

static void
render_curves(struct tv_app *a, struct tv_thermo_state *s,
	      const struct tv_thermo *th, struct tv_frame *f,
	      struct tv_rect r)
{
	/* T <= 0 has no place on a log T axis: no playhead then. */
	double ph = th->beta > 0 && isfinite(th->beta) ? th->temp : NAN;
	double mx = s->have_peak ? s->t_peak : NAN;
	char ctitle[64];
	struct curve cv[3] = {
		{ "S (nats) over log T", s->cs, s->s_top, TV_ROLE_PLOT_ENTROPY,
		  ph, th->s_nats },
		{ "<E> over log T", s->cu, s->u_top, TV_ROLE_PLOT_TOP1, ph,
		  th->u },
		{ ctitle, s->cc, s->c_top, TV_ROLE_PLOT_KEPT, mx,
		  s->c_peak },
	};
	int w = r.w / 3, i;

	if (!s->have_curves || r.h < 3)
		return;
	if (s->have_peak)
		snprintf(ctitle, sizeof ctitle, r.w >= 110 ? "C = dS/d ln T, "
			 "%s = melting point" : "C, %s = melting point",
			 a->look.g->bullet);
	else
		snprintf(ctitle, sizeof ctitle, "C = dS/d ln T");
	for (i = 0; i < 3; i++)
		render_curve(a, s, &cv[i], ph, f, (struct tv_rect){
			     r.x + i * w, r.y, i == 2 ? r.w - 2 * w : w, r.h });
}

/* ------------------------------------------------------- the bottom --- */

static void
render_pstats(struct tv_app *a, struct tv_thermo_state *s,
	      const struct tv_thermo *th, struct tv_frame *f, struct tv_rect r)
{
	static const char *const names[] = {
		"uniform", "neighbour", "heat bath",
	};
	const char *pause = s->paused ? "paused  " : "";
	char acc[32], buf[200];

	if (!s->have_pt)
		return;
	if (s->pt.proposed)
		snprintf(acc, sizeof acc, "%.1f%%",
			 100 * tv_particles_acceptance(&s->pt));
	else
		snprintf(acc, sizeof acc, "-");
	snprintf(buf, sizeof buf, "%sN %u (%s)  accepted %s  <E> %.3f vs "
		 "exact %.3f  TV distance %.3f", pause, s->pt.np,
		 names[s->pt.propose], acc, tv_particles_energy(&s->pt), th->u,
		 tv_particles_tv(&s->pt));
	if (tv_str_width(buf) > r.w - 2)
		snprintf(buf, sizeof buf, "%sN %u %s  acc %s  <E> %.3f vs "
			 "%.3f exact  TV %.3f", pause, s->pt.np,
			 names[s->pt.propose], acc,
			 tv_particles_energy(&s->pt), th->u,
			 tv_particles_tv(&s->pt));
	tv_w_label(f, r.x + 1, r.y, r.w - 2, buf, tv_st(a, TV_ROLE_STAT_VALUE));
}

static void
render_caption(struct tv_app *a, const struct tv_thermo *th,
	       struct tv_frame *f, struct tv_rect r)
{
	const char *text = th->beta < 0
		? "Inverted: the least likely token is now the most likely; i "
		  "returns to T > 0."
		: "Each particle is one independent sample from the model at "
		  "temperature T.";

	tv_w_label(f, r.x + 1, r.y, r.w - 2, text, tv_st(a, TV_ROLE_HELP_TEXT));
}

static void
thermo_render(struct tv_app *a, struct tv_frame *f, struct tv_rect r)
{
	struct tv_thermo_state *s = state(a);
	struct tv_thermo th;
	struct tv_rect lad, ro, cur;
	int ch, lh, rw;
	double beta;

	if (!s) {
		tv_w_label(f, r.x + 1, r.y, r.w - 2, "out of memory",
			   tv_st(a, TV_ROLE_ERROR));
		return;
	}
	sync_dist(a, s);
	beta = view_beta(a, s);
	if (tv_thermo_at_beta(a->d, beta, &th) != 0) {
		tv_w_label(f, r.x + 1, r.y, r.w - 2,
			   "no thermodynamics for an empty distribution",
			   tv_st(a, TV_ROLE_WARN));
		return;
	}
	ch = (r.h - 3) / 3;
	ch = ch < 4 ? 4 : ch > 14 ? 14 : ch;
	lh = r.h - 3 - ch;
	rw = r.w >= 110 ? 40 : r.w >= 76 ? 32 : 25;
	lad = (struct tv_rect){ r.x, r.y + 1, r.w - rw - 1, lh };
	ro = (struct tv_rect){ r.x + r.w - rw, r.y + 1, rw - 1, lh };
	cur = (struct tv_rect){ r.x, r.y + 1 + lh, r.w, ch };
	sync_particles(a, s, ladder_k(a->d, lad.h - 1), beta);
	render_tline(a, s, &th, f, (struct tv_rect){ r.x, r.y, r.w, 1 });
	render_ladder(a, s, f, lad);
	render_readouts(a, s, &th, f, ro);
	render_curves(a, s, &th, f, cur);
	render_pstats(a, s, &th, f,
		      (struct tv_rect){ r.x, r.y + r.h - 2, r.w, 1 });
	render_caption(a, &th, f,
		       (struct tv_rect){ r.x, r.y + r.h - 1, r.w, 1 });
}

/* ---------------------------------------------------------- actions --- */

/* Where a sweep ends: the dial's beta, or minus it into inversion; it
 * follows the dial while the sweep runs. */
static double
sweep_target(const struct tv_app *a, const struct tv_thermo_state *s)
{
	return s->revert ? dial_beta(a) : -dial_beta(a);
}

/* Sweep the view's beta linearly from where it is through 0 to the other
 * side over SWEEP_S. */
static void
sweep_beta(struct tv_app *a, struct tv_thermo_state *s, int revert)
{
	if (s->ramp != RAMP_BETA)
		s->beta = revert ? -dial_beta(a) : dial_beta(a);
	s->ramp = RAMP_BETA;
	s->revert = revert;
	s->beta_rate = fabs(sweep_target(a, s) - s->beta) /
		       (SWEEP_S * 1000.0);
}

static void
invert(struct tv_app *a, struct tv_thermo_state *s)
{
	if (s->inverted) {
		sweep_beta(a, s, 1);
		tv_app_note(a, "back through T = infinity to T = %.3g",
			    a->par.temp);
		return;
	}
	s->inverted = 1;
	sweep_beta(a, s, 0);
	tv_app_note(a, "beta = 1/T sweeps through 0 to %.3g: population "
		    "inversion, T = -%.3g", sweep_target(a, s), a->par.temp);
}

static void
quench(struct tv_app *a, struct tv_thermo_state *s)
{
	s->inverted = 0;
	s->ramp = RAMP_NONE;
	tv_app_set_temp(a, QUENCH_T);
	tv_app_note(a, "quench: T = %.2f at once", QUENCH_T);
}

static void
anneal(struct tv_app *a, struct tv_thermo_state *s)
{
	if (s->inverted) {
		invert(a, s);
		return;
	}
	if (s->ramp == RAMP_ANNEAL) {
		s->ramp = RAMP_NONE;
		tv_app_note(a, "anneal stopped at T = %.3g", a->par.temp);
		return;
	}
	s->ramp = RAMP_ANNEAL;
	tv_app_note(a, "anneal: T falls one decade per %.0f s to %.2f",
		    DECADE_S, QUENCH_T);
}

static void
heat(struct tv_app *a, struct tv_thermo_state *s)
{
	if (s->ramp == RAMP_HEAT) {
		s->ramp = RAMP_NONE;
		tv_app_note(a, "heating stopped");
		return;
	}
	if (s->inverted) {
		/* Past infinity, hotter is T = -dial nearer 0: beta further
		 * below 0. */
		s->ramp = RAMP_HEAT;
		tv_app_note(a, "heat: T = -dial rises to -%.2f (beta to %.0f)",
			    QUENCH_T, -1.0 / QUENCH_T);
		return;
	}
	if (a->par.temp < TV_T_MIN)
		tv_app_set_temp(a, TV_T_MIN);
	s->ramp = RAMP_HEAT;
	tv_app_note(a, "heat: T rises one decade per %.0f s", DECADE_S);
}

static void
more_particles(struct tv_app *a, struct tv_thermo_state *s, int dir)
{
	size_t i = 0;

	while (i + 1 < NP_STEPS && np_steps[i] < s->np)
		i++;
	if (dir > 0 && i + 1 < NP_STEPS)
		i++;
	else if (dir < 0 && i > 0)
		i--;
	s->np = np_steps[i];
	tv_app_note(a, "%u particles (placed afresh)", s->np);
}

static void
next_proposal(struct tv_app *a, struct tv_thermo_state *s)
{
	static const char *const what[] = {
		"uniform: any level, accepted with min(1, W_j/W_i)",
		"neighbour: one level up or down, a slow ladder climb",
		"heat bath: a fresh draw from the exact p, relaxes at once",
	};

	s->propose = (enum tv_propose)((s->propose + 1) % 3);
	if (s->have_pt) {
		s->pt.propose = s->propose;
		s->pt.proposed = s->pt.accepted = 0;
	}
	tv_app_note(a, "proposal %s", what[s->propose]);
}

static int
thermo_action(struct tv_app *a, int act)
{
	struct tv_thermo_state *s = state(a);

	if (!s)
		return 0;
	switch (act) {
	case TV_UI_QUENCH:
		quench(a, s);
		return 1;
	case TV_UI_ANNEAL:
		anneal(a, s);
		return 1;
	case TV_UI_HEAT:
		heat(a, s);
		return 1;
	case TV_UI_INVERT:
		invert(a, s);
		return 1;
	case TV_UI_PARTICLES_MORE:
	case TV_UI_PARTICLES_LESS:
		more_particles(a, s, act == TV_UI_PARTICLES_MORE ? 1 : -1);
		return 1;
	case TV_UI_PROPOSAL:
		next_proposal(a, s);
		return 1;
	case TV_UI_LEVEL_AXIS:
		s->to_scale = !s->to_scale;
		tv_app_note(a, "%s", s->to_scale ? "levels to scale: rows at "
			    "E / E_max, shared rows merged" : "levels by rank");
		return 1;
	case TV_UI_PAUSE:
		s->paused = !s->paused;
		return 1;
	}
	return 0;
}

/* ------------------------------------------------------- animation --- */

static void
ramp_temp(struct tv_app *a, struct tv_thermo_state *s, double dt_ms)
{
	double k = exp(LN10 * dt_ms / (DECADE_S * 1000.0));
	double t = a->par.temp;

	if (s->ramp == RAMP_ANNEAL || s->inverted) {
		t /= k;
		if (t <= QUENCH_T) {
			t = QUENCH_T;
			s->ramp = RAMP_NONE;
		}
	} else {
		t = fmax(t, TV_T_MIN) * k;
		if (t >= TV_T_MAX) {
			t = TV_T_MAX;
			s->ramp = RAMP_NONE;
		}
	}
	tv_app_set_temp(a, t);
}

static void
ramp_beta(struct tv_app *a, struct tv_thermo_state *s, double dt_ms)
{
	double step = s->beta_rate * dt_ms, to = sweep_target(a, s);

	if (fabs(to - s->beta) <= step) {
		s->ramp = RAMP_NONE;
		if (s->revert)
			s->inverted = 0;
		return;
	}
	s->beta += to > s->beta ? step : -step;
}

static void
thermo_tick(struct tv_app *a, double dt_ms)
{
	struct tv_thermo_state *s = a->thermo;
	double n;

	if (!s)
		return;
	if (dt_ms > MAX_TICK_MS)
		dt_ms = MAX_TICK_MS;
	if (s->ramp == RAMP_BETA)
		ramp_beta(a, s, dt_ms);
	else if (s->ramp != RAMP_NONE)
		ramp_temp(a, s, dt_ms);
	sync_dist(a, s);
	if (s->have_pt && !s->paused) {
		if (view_beta(a, s) != s->pt_beta)
			set_pt_beta(s, a->d, view_beta(a, s));
		n = s->carry + SWEEPS_PER_S * s->pt.np * dt_ms / 1000.0;
		s->carry = n - floor(n);
		tv_particles_step(&s->pt, (uint32_t)n);
	}
	a->dirty = 1;
}

/* Inverted, the header shows the view's T, not the dial's: -dial, or the
 * sweep's on its way through infinity. */
static int
thermo_temp_label(const struct tv_app *a, char *buf, size_t cap)
{
	const struct tv_thermo_state *s = a->thermo;
	double beta;

	if (!s || !s->inverted)
		return 0;
	beta = view_beta(a, s);
	if (beta == 0)
		snprintf(buf, cap, "T %s%s", a->look.g->utf8 ? "\xc2\xb1" :
			 "+-", a->look.g->infinity);
	else if (isinf(beta))
		snprintf(buf, cap, "T %s0 %s", beta < 0 ? "-" : "",
			 beta < 0 ? "inverted" : "frozen");
	else
		snprintf(buf, cap, "T %.3g %s", 1 / beta,
			 beta < 0 ? "inverted" : "sweeping");
	return 1;
}

/* Another view cannot show T < 0: leaving ends the inversion, and the
 * dial's T holds again everywhere. */
static void
thermo_leave(struct tv_app *a)
{
	struct tv_thermo_state *s = a->thermo;

	if (!s || !s->inverted)
		return;
	s->inverted = 0;
	s->ramp = RAMP_NONE;
	tv_app_note(a, "inversion ends with the thermo view: T = %.3g",
		    a->par.temp);
}

static int
thermo_animating(const struct tv_app *a)
{
	const struct tv_thermo_state *s = a->thermo;

	return s && (s->ramp != RAMP_NONE || (s->have_pt && !s->paused));
}

static void
thermo_fini(struct tv_app *a)
{
	if (!a->thermo)
		return;
	drop_dist(a->thermo);
	free(a->thermo);
	a->thermo = NULL;
}

const struct tv_view_ops tv_view_thermo_ops = {
	.name = "thermo",
	.render = thermo_render,
	.action = thermo_action,
	.tick = thermo_tick,
	.animating = thermo_animating,
	.fini = thermo_fini,
	.temp_label = thermo_temp_label,
	.leave = thermo_leave,
};
