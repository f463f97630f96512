/* SPDX-License-Identifier: MIT */
/*
 * The Boltzmann reading of a token distribution, exactly over every state
 * or through a density of states for whole curves.
 *
 * Numerics: every sum is taken relative to the dominant level (the ground
 * for beta >= 0, the top for beta < 0), so each Boltzmann factor is at
 * most 1 and nothing overflows at any finite beta. The moments are kept as
 * offsets from that level, which gives S = ln S0 + beta <E - E_dom>
 * without the cancellation of beta <E> + ln Z at large |beta|.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tempviz/thermo.h"


/* Sums of g w, g w x and g w x^2 with x = E - E_dom, w = exp(-beta x). */
struct moments {
	double s0, s1, s2;
};

static inline void
moments_add(struct moments *m, double g, double x, double beta)
{
	double gw = g * exp(-beta * x);

	m->s0 += gw;
	m->s1 += gw * x;
	m->s2 += gw * x * x;
}

static void
thermo_finish(double beta, double e_dom, const struct moments *m,
	      double zmax, struct tv_thermo *out)
{
	double ln_s0 = log(m->s0);
	double mean = m->s1 / m->s0;
	double var = m->s2 / m->s0 - mean * mean;

	if (var < 0.0)
		var = 0.0;
	out->beta = beta;
	out->temp = 1.0 / beta;
	out->lnz = ln_s0 - beta * e_dom;
	out->z = exp(out->lnz);
	out->u = e_dom + mean;
	out->var_e = var;
	out->s_nats = fmax(0.0, ln_s0 + beta * mean);
	out->s_bits = out->s_nats / M_LN2;
	/* At beta = 0, F = -T ln Z is -inf unless there is one state. */
	if (beta != 0.0)
		out->f = -out->lnz / beta;
	else
		out->f = out->lnz > 0.0 ? -INFINITY : 0.0;
	/* (beta sigma)^2 rather than Var / T^2: T^2 underflows first. */
	out->c = beta * sqrt(var) * (beta * sqrt(var));
	out->perplexity = exp(out->s_nats);
	out->zmax = zmax;
	out->e_ground = e_dom;
	out->g_ground = 0.0;
	out->frozen = 0;
}

/* beta = +-inf: p is uniform over the g states of the dominant level. */
static void
thermo_frozen(double beta, double e_dom, double g, double zmax,
	      struct tv_thermo *out)
{
	out->beta = beta;
	out->temp = 1.0 / beta;
	out->lnz = e_dom == 0.0 ? log(g) : INFINITY;
	out->z = exp(out->lnz);
	out->u = e_dom;
	out->var_e = 0.0;
	out->s_nats = log(g);
	out->s_bits = out->s_nats / M_LN2;
	out->f = e_dom;
	out->c = 0.0;
	out->perplexity = g;
	out->zmax = zmax;
	out->e_ground = e_dom;
	out->g_ground = g;
	out->frozen = 1;
}

/* ----------------------------------------------------- exact states --- */

static int
has_tail(const struct tv_dist *d)
{
	return d->tail_g > 0.0 && isfinite(d->tail_logit);
}

/* Highest and lowest finite logit over the listed tokens and the tail. */
static int
logit_range(const struct tv_dist *d, double *hi, double *lo)
{
	int any = d->n_finite > 0;

	if (any) {
		*hi = d->sorted[0];
		*lo = d->sorted[d->n_finite - 1];
	}
	if (has_tail(d)) {
		*hi = any ? fmax(*hi, d->tail_logit) : d->tail_logit;
		*lo = any ? fmin(*lo, d->tail_logit) : d->tail_logit;
		any = 1;
	}
	return any ? 0 : -1;
}

static double
ground_count(const struct tv_dist *d, double zmax, double e_dom)
{
	double g = 0.0;
	uint32_t r;

	for (r = 0; r < d->n_finite; r++)
		if (zmax - d->sorted[r] == e_dom)
			g += 1.0;
	if (has_tail(d) && zmax - d->tail_logit == e_dom)
		g += d->tail_g;
	return g;
}

int
tv_thermo_at_beta(const struct tv_dist *d, double beta, struct tv_thermo *out)
{
	struct moments m = { 0.0, 0.0, 0.0 };
	double zmax, zmin, e_dom;
	uint32_t r;

	if (isnan(beta) || logit_range(d, &zmax, &zmin) < 0)
		return -1;
	e_dom = beta >= 0.0 ? 0.0 : zmax - zmin;
	if (isinf(beta)) {
		thermo_frozen(beta, e_dom, ground_count(d, zmax, e_dom), zmax,
			      out);
		return 0;
	}
	for (r = 0; r < d->n_finite; r++)
		moments_add(&m, 1.0, zmax - d->sorted[r] - e_dom, beta);
	if (has_tail(d))
		moments_add(&m, d->tail_g, zmax - d->tail_logit - e_dom, beta);
	thermo_finish(beta, e_dom, &m, zmax, out);
	return 0;
}

/* A NaN temp gives a NaN beta, which tv_thermo_at_beta refuses. */
int
tv_thermo_at(const struct tv_dist *d, double temp, struct tv_thermo *out)
{
	return tv_thermo_at_beta(d, 1.0 / temp, out);
}

double
tv_thermo_p(const struct tv_thermo *t, double logit)
{
	double e = t->zmax - logit;

	if (!isfinite(e))
		return 0.0;
	if (t->frozen)
		return e == t->e_ground ? 1.0 / t->g_ground : 0.0;
	return exp(-t->beta * e - t->lnz);
}

double
tv_thermo_kl(const struct tv_thermo *t, const struct tv_thermo *t1)
{
	/* sum p_T (ln p_T - ln p_1) with ln p = -beta E - ln Z. */
	if (t->frozen)
		return t->e_ground - log(t->g_ground) + t1->lnz;
	return (1.0 - t->beta) * t->u + t1->lnz - t->lnz;
}

/* ------------------------------------------------ density of states --- */

/* Walks the distinct listed energies (they ascend along d->sorted) up to
 * the k-th, k from 1: returns how many it met, the last in *e unless e is
 * NULL. */
static uint32_t
distinct_walk(const struct tv_dist *d, double zmax, uint32_t k, double *e)
{
	uint32_t r, i = 0;
	double prev = NAN;

	for (r = 0; r < d->n_finite && i < k; r++) {
		double x = zmax - d->sorted[r];

		i += x != prev;
		prev = x;
	}
	if (e)
		*e = prev;
	return i;
}

static void
level_push(struct tv_dos *s, double e, double g)
{
	if (s->n_exact > 0 && s->e[s->n_exact - 1] == e) {
		s->g[s->n_exact - 1] += g;
		return;
	}
	s->e[s->n_exact] = e;
	s->g[s->n_exact] = g;
	s->n_exact++;
}

/* The tail joins the exact levels at its place in energy order. */
static void
level_insert(struct tv_dos *s, double e, double g)
{
	uint32_t i = 0, tail;

	while (i < s->n_exact && s->e[i] < e)
		i++;
	if (i < s->n_exact && s->e[i] == e) {
		s->g[i] += g;
		return;
	}
	tail = s->n_exact - i;
	memmove(s->e + i + 1, s->e + i, tail * sizeof *s->e);
	memmove(s->g + i + 1, s->g + i, tail * sizeof *s->g);
	s->e[i] = e;
	s->g[i] = g;
	s->n_exact++;
}

/* Energies in [mid_lo, mid_hi] go to the bins, the rest are exact. */
static void
dos_fill(struct tv_dos *s, const struct tv_dist *d, double zmax,
	 double mid_lo, double mid_hi)
{
	uint32_t r;

	for (r = 0; r < d->n_finite; r++) {
		double e = zmax - d->sorted[r];
		double x;
		uint32_t b;

		if (s->n_bins == 0 || e < mid_lo || e > mid_hi) {
			level_push(s, e, 1.0);
			continue;
		}
		x = (e - s->bin_lo) / s->bin_w;
		b = x < (double)s->n_bins ? (uint32_t)x : s->n_bins - 1;
		s->bin_g[b] += 1.0;
	}
}

/* The rows of bin_tab after the counts: k and k^2 weighted counts, from
 * the bottom and from the top. */
static void
dos_moment_rows(struct tv_dos *s)
{
	uint32_t nb = s->n_bins, k;
	double *t = s->bin_tab;

	for (k = 0; k < nb; k++) {
		double g = t[k], up = nb - 1 - k;

		t[nb + k] = g * k;
		t[2 * nb + k] = g * k * (double)k;
		t[3 * nb + (nb - 1 - k)] = g;
		t[4 * nb + (nb - 1 - k)] = g * up;
		t[5 * nb + (nb - 1 - k)] = g * up * up;
	}
}

static int
dos_alloc(struct tv_dos *s, uint32_t n_bins)
{
	size_t cap = (TV_DOS_EXACT > 2 * TV_DOS_HEAD ? TV_DOS_EXACT
						     : 2 * TV_DOS_HEAD) + 1;

	s->e = malloc(cap * sizeof *s->e);
	s->g = malloc(cap * sizeof *s->g);
	s->bin_tab = n_bins ? calloc(6 * (size_t)n_bins, sizeof *s->bin_tab)
			    : NULL;
	s->bin_g = s->bin_tab;
	if (!s->e || !s->g || (n_bins && !s->bin_tab)) {
		tv_dos_free(s);
		return -1;
	}
	s->n_bins = n_bins;
	return 0;
}

int
tv_dos_build(struct tv_dos *s, const struct tv_dist *d)
{
	double zmax, zmin, mid_lo = 0.0, mid_hi = 0.0;
	uint32_t distinct;

	memset(s, 0, sizeof *s);
	if (logit_range(d, &zmax, &zmin) < 0)
		return -1;
	distinct = distinct_walk(d, zmax, UINT32_MAX, NULL);
	if (dos_alloc(s, distinct > TV_DOS_EXACT ? TV_DOS_BINS : 0) < 0)
		return -1;
	if (s->n_bins) {
		/* The lowest and the highest TV_DOS_HEAD energies stay exact:
		 * they rule at small |T| on either side. */
		distinct_walk(d, zmax, TV_DOS_HEAD + 1, &mid_lo);
		distinct_walk(d, zmax, distinct - TV_DOS_HEAD, &mid_hi);
		s->bin_lo = mid_lo;
		s->bin_w = (mid_hi - mid_lo) / s->n_bins;
	}
	s->zmax = zmax;
	dos_fill(s, d, zmax, mid_lo, mid_hi);
	if (s->n_bins)
		dos_moment_rows(s);
	if (has_tail(d))
		level_insert(s, zmax - d->tail_logit, d->tail_g);
	s->states = tv_dist_states(d);
	return 0;
}

void
tv_dos_free(struct tv_dos *s)
{
	free(s->e);
	free(s->g);
	free(s->bin_tab);
	memset(s, 0, sizeof *s);
}

/*
 * The bins at once: bin centres are evenly spaced, so their Boltzmann
 * factors form a geometric sequence and need no exp per bin. Walking from
 * the heaviest end (the bottom for beta >= 0, the top for beta < 0) the
 * factor only shrinks; four interleaved chains keep the multiplier busy,
 * and the walk stops once what is left cannot reach the last digit.
 */
static void
dos_bins(const struct tv_dos *s, double beta, double e_dom, double floor_s0,
	 struct moments *m)
{
	uint32_t nb = s->n_bins, j, l;
	int up = beta >= 0.0;
	const double *g = s->bin_tab + (up ? 0 : 3 * (size_t)nb);
	const double *gk = g + nb, *gk2 = g + 2 * nb;
	double step = up ? s->bin_w : -s->bin_w;
	double a = s->bin_lo + (up ? 0.5 : nb - 0.5) * s->bin_w - e_dom;
	double r = exp(-beta * step), r4 = r * r * r * r;
	double w[4], m0[4] = { 0 }, m1[4] = { 0 }, m2[4] = { 0 };
	double stop = floor_s0 * 1e-18 / s->states;

	w[0] = exp(-beta * a);
	for (l = 1; l < 4; l++)
		w[l] = w[l - 1] * r;
	for (j = 0; j + 4 <= nb && w[0] >= stop; j += 4) {
		for (l = 0; l < 4; l++) {
			m0[l] += g[j + l] * w[l];
			m1[l] += gk[j + l] * w[l];
			m2[l] += gk2[j + l] * w[l];
			w[l] *= r4;
		}
	}
	for (l = 0; l < 4; l++) {
		/* x = a + step k, so the x moments follow from the k ones. */
		m->s0 += m0[l];
		m->s1 += a * m0[l] + step * m1[l];
		m->s2 += a * a * m0[l] + 2.0 * a * step * m1[l]
			 + step * step * m2[l];
	}
}

int
tv_dos_at_beta(const struct tv_dos *s, double beta, struct tv_thermo *out)
{
	struct moments m = { 0.0, 0.0, 0.0 };
	uint32_t top, i;
	double e_dom;

	if (isnan(beta) || s->n_exact == 0)
		return -1;
	top = beta >= 0.0 ? 0 : s->n_exact - 1;
	e_dom = s->e[top];
	if (isinf(beta)) {
		thermo_frozen(beta, e_dom, s->g[top], s->zmax, out);
		return 0;
	}
	for (i = 0; i < s->n_exact; i++)
		moments_add(&m, s->g[i], s->e[i] - e_dom, beta);
	if (s->n_bins)
		dos_bins(s, beta, e_dom, m.s0, &m);
	thermo_finish(beta, e_dom, &m, s->zmax, out);
	return 0;
}

/* As tv_thermo_at: a NaN temp gives a NaN beta. */
int
tv_dos_at(const struct tv_dos *s, double temp, struct tv_thermo *out)
{
	return tv_dos_at_beta(s, 1.0 / temp, out);
}

double
tv_log_grid(double lo, double hi, uint32_t n, uint32_t i)
{
	if (i == 0 || n <= 1)
		return lo;
	if (i >= n - 1)
		return hi;
	return lo * exp((double)i / (n - 1) * log(hi / lo));
}

static double
curve_temp(double tmin, double tmax, uint32_t i, uint32_t npts, int logscale)
{
	if (logscale)
		return tv_log_grid(tmin, tmax, npts, i);
	if (i == npts - 1)
		return tmax;
	return tmin + (double)i / (npts - 1) * (tmax - tmin);
}

int
tv_thermo_curve(const struct tv_dos *s, double tmin, double tmax,
		uint32_t npts, int logscale, struct tv_thermo *out)
{
	uint32_t i;

	if (npts < 2 || !(tmin < tmax) || isinf(tmax) || isinf(tmin)
	    || (logscale && !(tmin > 0.0)) || s->n_exact == 0)
		return -1;
	for (i = 0; i < npts; i++)
		tv_dos_at(s, curve_temp(tmin, tmax, i, npts, logscale),
			  &out[i]);
	return 0;
}

static double
c_at_log(const struct tv_dos *s, double lnt)
{
	struct tv_thermo t;

	tv_dos_at_beta(s, exp(-lnt), &t);
	return t.c;
}

#define PEAK_SCAN 200
#define GOLDEN 0.381966011250105151795413

/* Golden-section search for the maximum of C on [a, b] in ln T. */
static double
golden_max(const struct tv_dos *s, double a, double b)
{
	double x1 = a + GOLDEN * (b - a), x2 = b - GOLDEN * (b - a);
	double f1 = c_at_log(s, x1), f2 = c_at_log(s, x2);

	while (b - a > 1e-10 * (1.0 + fabs(a))) {
		if (f1 < f2) {
			a = x1;
			x1 = x2;
			f1 = f2;
			x2 = b - GOLDEN * (b - a);
			f2 = c_at_log(s, x2);
		} else {
			b = x2;
			x2 = x1;
			f2 = f1;
			x1 = a + GOLDEN * (b - a);
			f1 = c_at_log(s, x1);
		}
	}
	return 0.5 * (a + b);
}

static double
grid_log(double la, double lb, uint32_t i)
{
	return la + (lb - la) * i / (PEAK_SCAN - 1);
}

int
tv_dos_c_peak(const struct tv_dos *s, double tmin, double tmax,
	      double *t_peak, double *c_max)
{
	double la, lb, best = -1.0;
	uint32_t i, at = 0;

	if (!(tmin > 0.0) || !(tmin < tmax) || isinf(tmax) || s->n_exact == 0)
		return -1;
	la = log(tmin);
	lb = log(tmax);
	for (i = 0; i < PEAK_SCAN; i++) {
		double c = c_at_log(s, grid_log(la, lb, i));

		if (c > best) {
			best = c;
			at = i;
		}
	}
	/* The maximum lies between the grid neighbours of the best point. */
	*t_peak = exp(golden_max(s, grid_log(la, lb, at > 0 ? at - 1 : 0),
				 grid_log(la, lb, at + 1 < PEAK_SCAN ? at + 1
								    : at)));
	*c_max = c_at_log(s, log(*t_peak));
	return 0;
}
