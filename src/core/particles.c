/* SPDX-License-Identifier: MIT */
/*
 * Metropolis particles on the energy ladder of a distribution: each
 * particle is one sample at temperature T, and detailed balance makes the
 * occupancy converge on the exact Boltzmann p for either sign of T.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tempviz/thermo.h"

/* An infinite beta would turn -beta * 0 into NaN; this one still orders
 * every energy below 1e58 and keeps the log-weights finite. */
#define BETA_CAP 1e250

static int
rest_exists(const struct tv_particles *pt, const struct tv_dist *d)
{
	return pt->n_tok < d->n_finite || (d->tail_g > 0.0
					   && isfinite(d->tail_logit));
}

static double
top_logit(const struct tv_dist *d)
{
	double z = d->n_finite > 0 ? d->sorted[0] : -INFINITY;

	if (d->tail_g > 0.0 && isfinite(d->tail_logit))
		z = fmax(z, d->tail_logit);
	return z;
}

/* Largest -beta E over the rest's states, the shift of its logsumexp. */
static double
rest_shift(const struct tv_particles *pt, const struct tv_dist *d,
	   double zmax, double beta)
{
	double m = -INFINITY;
	uint32_t r;

	for (r = pt->n_tok; r < d->n_finite; r++)
		m = fmax(m, -beta * (zmax - d->sorted[r]));
	if (d->tail_g > 0.0 && isfinite(d->tail_logit))
		m = fmax(m, -beta * (zmax - d->tail_logit));
	return m;
}

/* The rest level: ln of its summed Boltzmann factors (minus beta times
 * its free energy) and its mean energy at beta. */
static void
rest_level(struct tv_particles *pt, const struct tv_dist *d, double zmax,
	   double beta)
{
	double m = rest_shift(pt, d, zmax, beta), s0 = 0.0, s1 = 0.0, w, e;
	uint32_t r;

	for (r = pt->n_tok; r < d->n_finite; r++) {
		e = zmax - d->sorted[r];
		w = exp(-beta * e - m);
		s0 += w;
		s1 += w * e;
	}
	if (d->tail_g > 0.0 && isfinite(d->tail_logit)) {
		e = zmax - d->tail_logit;
		w = d->tail_g * exp(-beta * e - m);
		s0 += w;
		s1 += w * e;
	}
	pt->lw[pt->n_tok] = m + log(s0);
	pt->e[pt->n_tok] = s1 / s0;
}

static void
level_probs(struct tv_particles *pt)
{
	double m = -INFINITY, s = 0.0;
	uint32_t i;

	for (i = 0; i < pt->n_lev; i++)
		m = fmax(m, pt->lw[i]);
	for (i = 0; i < pt->n_lev; i++) {
		pt->p[i] = exp(pt->lw[i] - m);
		s += pt->p[i];
	}
	for (i = 0; i < pt->n_lev; i++)
		pt->p[i] /= s;
}

void
tv_particles_set_beta(struct tv_particles *pt, const struct tv_dist *d,
		      double beta)
{
	double zmax = top_logit(d);
	uint32_t i;

	if (isnan(beta))
		return;
	beta = fmin(fmax(beta, -BETA_CAP), BETA_CAP);
	pt->beta = beta;
	for (i = 0; i < pt->n_tok; i++) {
		pt->e[i] = zmax - d->sorted[i];
		pt->lw[i] = -beta * pt->e[i];
	}
	if (pt->n_lev > pt->n_tok)
		rest_level(pt, d, zmax, beta);
	level_probs(pt);
}

void
tv_particles_set_temp(struct tv_particles *pt, const struct tv_dist *d,
		      double temp)
{
	tv_particles_set_beta(pt, d, 1.0 / temp);
}

static int
particles_alloc(struct tv_particles *pt)
{
	size_t n = pt->n_lev;

	pt->e = malloc(n * sizeof *pt->e);
	pt->lw = malloc(n * sizeof *pt->lw);
	pt->p = malloc(n * sizeof *pt->p);
	pt->occ = calloc(n, sizeof *pt->occ);
	pt->at = calloc(pt->np, sizeof *pt->at);
	if (!pt->e || !pt->lw || !pt->p || !pt->occ || !pt->at) {
		tv_particles_free(pt);
		return -1;
	}
	return 0;
}

int
tv_particles_init(struct tv_particles *pt, const struct tv_dist *d,
		  uint32_t k, uint32_t np, uint32_t seed)
{
	memset(pt, 0, sizeof *pt);
	if (d->n_finite == 0)
		return -1;
	pt->n_tok = k < 1 ? 1 : k > d->n_finite ? d->n_finite : k;
	pt->n_lev = pt->n_tok + (uint32_t)rest_exists(pt, d);
	pt->np = np < TV_PARTICLES_MIN ? TV_PARTICLES_MIN
		 : np > TV_PARTICLES_MAX ? TV_PARTICLES_MAX : np;
	if (particles_alloc(pt) < 0)
		return -1;
	pt->occ[0] = pt->np;
	pt->propose = TV_PROPOSE_UNIFORM;
	tv_rng_seed(&pt->rng, seed);
	tv_particles_set_beta(pt, d, 1.0);
	return 0;
}

void
tv_particles_free(struct tv_particles *pt)
{
	free(pt->e);
	free(pt->lw);
	free(pt->p);
	free(pt->occ);
	free(pt->at);
	memset(pt, 0, sizeof *pt);
}

/* An index below n from one 32-bit output, by multiply and shift. */
static uint32_t
below(struct tv_particles *pt, uint32_t n)
{
	return (uint32_t)(((uint64_t)tv_rng_u32(&pt->rng) * n) >> 32);
}

/* A neighbour move off the end of the ladder: proposed and rejected, which
 * keeps the proposal symmetric at the ends. */
#define OFF_LADDER UINT32_MAX

/* The proposed level, or OFF_LADDER. */
static uint32_t
propose(struct tv_particles *pt, uint32_t i)
{
	switch (pt->propose) {
	case TV_PROPOSE_NEIGHBOUR:
		if (tv_rng_u32(&pt->rng) & 1u)
			return i + 1 < pt->n_lev ? i + 1 : OFF_LADDER;
		return i > 0 ? i - 1 : OFF_LADDER;
	case TV_PROPOSE_HEATBATH:
		return tv_draw_cdf(pt->p, pt->n_lev, 1.0, &pt->rng);
	case TV_PROPOSE_UNIFORM:
		break;
	}
	return below(pt, pt->n_lev);
}

static int
accept(struct tv_particles *pt, uint32_t i, uint32_t j)
{
	double dl;

	if (j == OFF_LADDER)
		return 0;
	dl = pt->lw[j] - pt->lw[i];
	if (pt->propose == TV_PROPOSE_HEATBATH || dl >= 0.0)
		return 1;
	return tv_rng_uniform(&pt->rng) < exp(dl);
}

void
tv_particles_step(struct tv_particles *pt, uint32_t n)
{
	uint32_t s;

	for (s = 0; s < n; s++) {
		uint32_t who = below(pt, pt->np);
		uint32_t i = pt->at[who], j = propose(pt, i);

		pt->proposed++;
		if (!accept(pt, i, j))
			continue;
		pt->accepted++;
		pt->occ[i]--;
		pt->occ[j]++;
		pt->at[who] = j;
	}
}

double
tv_particles_acceptance(const struct tv_particles *pt)
{
	return pt->proposed ? (double)pt->accepted / pt->proposed : 0.0;
}

double
tv_particles_energy(const struct tv_particles *pt)
{
	double s = 0.0;
	uint32_t i;

	for (i = 0; i < pt->n_lev; i++)
		s += pt->occ[i] * pt->e[i];
	return s / pt->np;
}

double
tv_particles_energy_exact(const struct tv_particles *pt)
{
	double s = 0.0;
	uint32_t i;

	for (i = 0; i < pt->n_lev; i++)
		s += pt->p[i] * pt->e[i];
	return s;
}

double
tv_particles_tv(const struct tv_particles *pt)
{
	double s = 0.0;
	uint32_t i;

	for (i = 0; i < pt->n_lev; i++)
		s += fabs((double)pt->occ[i] / pt->np - pt->p[i]);
	return 0.5 * s;
}

double
tv_particles_entropy(const struct tv_particles *pt)
{
	double s = 0.0;
	uint32_t i;

	for (i = 0; i < pt->n_lev; i++) {
		double q = (double)pt->occ[i] / pt->np;

		if (q > 0.0)
			s -= q * log(q);
	}
	return s;
}
