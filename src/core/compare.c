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

/* Adds n tokens of one kind (n > 1 only for the tail) with ln p la
 * under A and lb under B. */
static void
add(struct tv_compare *c, double la, double lb, double n_both, double n_a,
    double n_b)
{
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
tv_compare_dists(const struct tv_dist *da, const struct tv_result *a,
		 const struct tv_dist *db, const struct tv_result *b,
		 struct tv_compare *out)
{
	double both;

	*out = (struct tv_compare){ 0 };
	/* A's survivors, each found in B's order; then B's own. */
	for (uint32_t pos = a->lo; pos < a->hi; pos++) {
		uint32_t pb = db->rank[da->order[pos]];
		int kb = tv_result_keeps(b, pb);

		add(out, ln_p(da, a, pos), kb ? ln_p(db, b, pb) : -INFINITY,
		    kb, !kb, 0);
	}
	for (uint32_t pos = b->lo; pos < b->hi; pos++)
		if (!tv_result_keeps(a, da->rank[db->order[pos]]))
			add(out, -INFINITY, ln_p(db, b, pos), 0, 0, 1);
	both = fmin(a->tail_kept, b->tail_kept);
	if (a->tail_kept > 0 || b->tail_kept > 0)
		add(out, a->tail_kept > 0 ? ln_p(da, a, TV_POS_TAIL) : -INFINITY,
		    b->tail_kept > 0 ? ln_p(db, b, TV_POS_TAIL) : -INFINITY,
		    both, a->tail_kept - both, b->tail_kept - both);
	out->tv = fmin(1, fmax(0, out->tv / 2));
	out->kl_bits = out->kl_inf ? INFINITY : fmax(0, out->kl_bits) / M_LN2;
}

void
tv_compare(const struct tv_dist *d, const struct tv_result *a,
	   const struct tv_result *b, struct tv_compare *out)
{
	tv_compare_dists(d, a, d, b, out);
}
