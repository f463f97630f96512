/* SPDX-License-Identifier: MIT */
/*
 * Attention's 1/sqrt(d_k) as a temperature: a_j = softmax(q . k_j / T) is
 * a Boltzmann distribution over keys with E_j = -q . k_j, and scaling by
 * sqrt(d_k) keeps T in step with the spread of the scores.
 */
#include <math.h>

#include "tempviz/thermo.h"


int
tv_attn_roll(struct tv_attn *at, uint32_t n, uint32_t dk, uint32_t seed)
{
	double q[TV_ATTN_MAX_DK];
	struct tv_rng g;
	uint32_t i, j;

	if (n < 1 || n > TV_ATTN_MAX_KEYS || dk < 1 || dk > TV_ATTN_MAX_DK)
		return -1;
	tv_rng_seed(&g, seed);
	for (i = 0; i < dk; i++)
		q[i] = tv_rng_normal(&g);
	/* The keys are drawn one component at a time into the dot product:
	 * only the scores are ever shown. */
	for (j = 0; j < n; j++) {
		double s = 0.0;

		for (i = 0; i < dk; i++)
			s += q[i] * tv_rng_normal(&g);
		at->score[j] = s;
	}
	at->n = n;
	at->dk = dk;
	return 0;
}

static void
row_weights(const struct tv_attn *at, double temp, double *a)
{
	double m, z = 0.0;
	uint32_t j, best = 0;

	for (j = 0; j < at->n; j++) {
		if (at->score[j] > at->score[best])
			best = j;
	}
	/* T <= 0 reads as the frozen limit: all weight on the first max; so
	 * does a T so small that the scaled scores overflow. */
	if (!(temp > 0.0) || !isfinite(at->score[best] / temp) ||
	    !isfinite(at->score[0] / temp - at->score[best] / temp)) {
		for (j = 0; j < at->n; j++)
			a[j] = j == best ? 1.0 : 0.0;
		return;
	}
	m = at->score[best] / temp;
	for (j = 0; j < at->n; j++) {
		a[j] = exp(at->score[j] / temp - m);
		z += a[j];
	}
	for (j = 0; j < at->n; j++)
		a[j] /= z;
}

void
tv_attn_row(const struct tv_attn *at, double temp, struct tv_attn_row *row)
{
	double h = 0.0, sq = 0.0, mean = 0.0, var = 0.0;
	uint32_t j;

	row->temp = temp;
	row_weights(at, temp, row->a);
	row->max_a = 0.0;
	for (j = 0; j < at->n; j++) {
		double a = row->a[j];

		if (a > 0.0)
			h -= a * log(a);
		sq += a * a;
		mean += a * at->score[j];
		row->max_a = fmax(row->max_a, a);
	}
	for (j = 0; j < at->n; j++) {
		double dv = at->score[j] - mean;

		var += row->a[j] * dv * dv;
	}
	row->h_bits = h / M_LN2;
	row->keys_eff = exp(h);
	row->trace_j = 1.0 - sq;
	row->var_score = var;
}

void
tv_attn_rows(const struct tv_attn *at, double user_temp,
	     struct tv_attn_row rows[3])
{
	tv_attn_row(at, 1.0, &rows[0]);
	tv_attn_row(at, sqrt((double)at->dk), &rows[1]);
	tv_attn_row(at, user_temp, &rows[2]);
}

double
tv_attn_score_std(const struct tv_attn *at)
{
	double mean = 0.0, var = 0.0;
	uint32_t j;

	for (j = 0; j < at->n; j++)
		mean += at->score[j];
	mean /= at->n;
	for (j = 0; j < at->n; j++)
		var += (at->score[j] - mean) * (at->score[j] - mean);
	return sqrt(var / at->n);
}
