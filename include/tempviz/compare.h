/* SPDX-License-Identifier: MIT */
/*
 * Two settings over one distribution (the A/B split, print --compare):
 * how far apart their final distributions are, and which tokens one
 * keeps and the other cuts.
 */
#ifndef TEMPVIZ_COMPARE_H
#define TEMPVIZ_COMPARE_H

#include "tempviz/dist.h"
#include "tempviz/pipeline.h"

struct tv_compare {
	/* KL(A || B) = sum over A's tokens of pA log2(pA / pB), in bits;
	 * +inf exactly when A keeps a token B cuts (kl_inf is then 1). */
	double kl_bits;
	int kl_inf;
	/* Total variation: half the sum of |pA - pB|, from 0 (the same
	 * distribution) to 1 (no token in common). */
	double tv;
	/* Tokens (the tail's counted one by one) kept by both, by A only,
	 * by B only. */
	double both, only_a, only_b;
};

/*
 * a and b are results of tv_run on d. The tail's tokens are equal, and
 * every stage keeps a range of the order, so the tail tokens two results
 * keep are the first tail_kept of the same run: min of the two are kept
 * by both.
 */
void tv_compare(const struct tv_dist *d, const struct tv_result *a,
		const struct tv_result *b, struct tv_compare *out);
/* The same when each setting has its own copy of the distribution (the
 * samplers with memory moved their logits apart): tokens are matched by
 * id, and da and db list the same tokens with the same tail. */
void tv_compare_dists(const struct tv_dist *da, const struct tv_result *a,
		      const struct tv_dist *db, const struct tv_result *b,
		      struct tv_compare *out);

/* 1 when the token at pos (or TV_POS_TAIL, any tail token) is kept. */
int tv_result_keeps(const struct tv_result *r, uint32_t pos);

#endif
