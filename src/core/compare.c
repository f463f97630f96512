/* SPDX-License-Identifier: MIT */
/*
 * KL divergence and total variation between two final distributions of
 * one source. Probabilities are taken in log space for KL: a token far
 * down the list may have a p that underflows in B while A's p is still a
 * term of the sum, and exp() of both would then make a finite KL
 * infinite.
 */
#include "tempviz/compare.h"

#include <math.h>

#include "core/core.h"

int
tv_result_keeps(const struct tv_result *r, uint32_t pos)
{
	if (pos == TV_POS_TAIL)
		return r->tail_kept > 0;
	return pos >= r->lo && pos < r->hi;
}

/* ln p of a kept token at pos under r (the tail: per token). */
static double
ln_p(const struct tv_dist *d, const struct tv_result *r, uint32_t pos)
{
	struct tv_temp ts;

	if (r->greedy)
		return 0;
	if (pos == TV_POS_TAIL)
		return d->tail_logit / r->temp - r->shift - r->lnz;
	/* Scaled as the pipeline scaled it, so p here is tv_result_p's. */
	tv_temp_init(&ts, r->temp, d->sorted[0], d->sorted[d->n_finite - 1]);
	return tv_scale(&ts, d->sorted[pos]) - r->shift - r->lnz;
}

/* Adds n tokens at one position (n > 1 only for the tail). */
static void
add(struct tv_compare *c, const struct tv_dist *d, const struct tv_result *a,
    const struct tv_result *b, uint32_t pos, double n_both, double n_a,
    double n_b)
{
	double la = n_both + n_a > 0 ? ln_p(d, a, pos) : -INFINITY;
	double lb = n_both + n_b > 0 ? ln_p(d, b, pos) : -INFINITY;
	double pa = exp(la), pb = exp(lb);

	c->both += n_both;
	c->only_a += n_a;
	c->only_b += n_b;
	c->tv += n_both * fabs(pa - pb) + n_a * pa + n_b * pb;
	if (n_both > 0 && pa > 0)
		c->kl_bits += n_both * pa * (la - lb);
	if (n_a > 0)
		c->kl_inf = 1;
}

void
tv_compare(const struct tv_dist *d, const struct tv_result *a,
	   const struct tv_result *b, struct tv_compare *out)
{
	uint32_t lo = a->lo < b->lo ? a->lo : b->lo;
	uint32_t hi = a->hi > b->hi ? a->hi : b->hi;
	double both;

	*out = (struct tv_compare){ 0 };
	/* Outside both ranges both p are 0: nothing to add. */
	for (uint32_t pos = lo; pos < hi; pos++) {
		int ka = tv_result_keeps(a, pos), kb = tv_result_keeps(b, pos);

		if (ka || kb)
			add(out, d, a, b, pos, ka && kb, ka && !kb, kb && !ka);
	}
	both = fmin(a->tail_kept, b->tail_kept);
	if (a->tail_kept > 0 || b->tail_kept > 0)
		add(out, d, a, b, TV_POS_TAIL, both, a->tail_kept - both,
		    b->tail_kept - both);
	out->tv = fmin(1, fmax(0, out->tv / 2));
	out->kl_bits = out->kl_inf ? INFINITY : fmax(0, out->kl_bits) / M_LN2;
}
