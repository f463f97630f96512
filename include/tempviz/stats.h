/* SPDX-License-Identifier: MIT */
/*
 * Pearson's chi-square goodness-of-fit test of observed draw counts
 * against the probabilities they were drawn from, and the regularized
 * incomplete gamma function behind its p-value.
 */
#ifndef TEMPVIZ_STATS_H
#define TEMPVIZ_STATS_H

#include <stdint.h>

struct tv_chisq {
	double statistic;     /* sum over bins of (O - E)^2 / E */
	double df;            /* bins - 1 (0 when fewer than two bins) */
	double p_value;       /* P(chi2_df >= statistic) */
	uint32_t bins;        /* bins after pooling */
	uint32_t bins_pooled; /* categories that went into a shared bin */
	uint64_t impossible;  /* draws of categories with p = 0 */
};

/*
 * counts[i] draws observed for category i, drawn with probability
 * proportional to p[i] (normalised here by the sum of p). total is the
 * number of draws (0 means the sum of counts).
 *
 * Pooling: a bin with expected count below 5 makes the approximation
 * unreliable, so adjacent categories, in the order given, are merged until
 * each bin expects at least 5 draws; a short last bin joins the one before.
 * Pass categories in rank order so the low-probability tail pools together.
 *
 * A draw of a p = 0 category is impossible under the hypothesis: the
 * statistic is then +inf and the p-value 0. Returns 0, or -1 when n == 0,
 * no p is positive, a p is negative or not finite, or total is 0.
 */
int tv_chisq(const uint64_t *counts, const double *p, uint32_t n,
	     uint64_t total, struct tv_chisq *out);

/* Survival function of chi-square with df degrees of freedom at x. */
double tv_chisq_sf(double x, double df);

/* Regularized incomplete gamma: P(a, x) and Q(a, x) = 1 - P(a, x), for
 * a > 0 and x >= 0; NaN outside that domain. */
double tv_gamma_p(double a, double x);
double tv_gamma_q(double a, double x);

#endif
