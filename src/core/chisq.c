/* SPDX-License-Identifier: MIT */
/*
 * Pearson's chi-square test with pooling of sparse bins, and the
 * regularized incomplete gamma function (a power series below x = a + 1,
 * Lentz's continued fraction above it, where each converges fastest).
 */
#include <math.h>

#include "tempviz/stats.h"

#define GAMMA_EPS 1e-15
#define GAMMA_TINY 1e-300
#define GAMMA_ITMAX 100000
#define MIN_EXPECTED 5.0

/* x^a e^-x / Gamma(a), in logs so large a and x do not overflow. */
static double
gamma_prefactor(double a, double x)
{
	return exp(a * log(x) - x - lgamma(a));
}

static double
gamma_p_series(double a, double x)
{
	double ap = a, term = 1.0 / a, sum = term;
	int i;

	for (i = 0; i < GAMMA_ITMAX; i++) {
		ap += 1.0;
		term *= x / ap;
		sum += term;
		if (fabs(term) < fabs(sum) * GAMMA_EPS)
			break;
	}
	return sum * gamma_prefactor(a, x);
}

static double
gamma_q_fraction(double a, double x)
{
	double b = x + 1.0 - a, c = 1.0 / GAMMA_TINY, d = 1.0 / b, h = d;
	int i;

	for (i = 1; i < GAMMA_ITMAX; i++) {
		double an = -i * (i - a), del;

		b += 2.0;
		d = an * d + b;
		if (fabs(d) < GAMMA_TINY)
			d = GAMMA_TINY;
		c = b + an / c;
		if (fabs(c) < GAMMA_TINY)
			c = GAMMA_TINY;
		d = 1.0 / d;
		del = d * c;
		h *= del;
		if (fabs(del - 1.0) < GAMMA_EPS)
			break;
	}
	return h * gamma_prefactor(a, x);
}

double
tv_gamma_p(double a, double x)
{
	if (!(a > 0.0) || !(x >= 0.0))
		return NAN;
	if (x == 0.0)
		return 0.0;
	if (isinf(x))
		return 1.0;
	if (x < a + 1.0)
		return gamma_p_series(a, x);
	return 1.0 - gamma_q_fraction(a, x);
}

double
tv_gamma_q(double a, double x)
{
	if (!(a > 0.0) || !(x >= 0.0))
		return NAN;
	if (x == 0.0)
		return 1.0;
	if (isinf(x))
		return 0.0;
	if (x < a + 1.0)
		return 1.0 - gamma_p_series(a, x);
	return gamma_q_fraction(a, x);
}

double
tv_chisq_sf(double x, double df)
{
	if (!(df > 0.0))
		return 1.0;
	return tv_gamma_q(0.5 * df, 0.5 * x);
}

/* A bin being filled, and the last complete one, which may still take a
 * short remainder at the end. */
struct pool {
	double o, e;
	uint32_t n;
};

static void
bin_flush(struct tv_chisq *out, const struct pool *b)
{
	double d = b->o - b->e;

	out->statistic += d * d / b->e;
	out->bins++;
	if (b->n > 1)
		out->bins_pooled += b->n;
}

static void
bin_merge(struct pool *into, const struct pool *from)
{
	into->o += from->o;
	into->e += from->e;
	into->n += from->n;
}

static double
prob_sum(const double *p, uint32_t n)
{
	double s = 0.0;
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (!(p[i] >= 0.0) || isinf(p[i]))
			return -1.0;
		s += p[i];
	}
	return s;
}

static uint64_t
count_sum(const uint64_t *counts, uint32_t n)
{
	uint64_t s = 0;
	uint32_t i;

	for (i = 0; i < n; i++)
		s += counts[i];
	return s;
}

static void
chisq_bins(const uint64_t *counts, const double *p, uint32_t n,
	   double scale, struct tv_chisq *out)
{
	struct pool cur = { 0 }, last = { 0 };
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (p[i] == 0.0) {
			out->impossible += counts[i];
			continue;
		}
		cur.o += (double)counts[i];
		cur.e += p[i] * scale;
		cur.n++;
		if (cur.e >= MIN_EXPECTED) {
			if (last.n > 0)
				bin_flush(out, &last);
			last = cur;
			cur = (struct pool){ 0 };
		}
	}
	bin_merge(&last, &cur);
	if (last.n > 0)
		bin_flush(out, &last);
}

int
tv_chisq(const uint64_t *counts, const double *p, uint32_t n, uint64_t total,
	 struct tv_chisq *out)
{
	double psum = n > 0 ? prob_sum(p, n) : -1.0;

	*out = (struct tv_chisq){ 0 };
	if (total == 0)
		total = count_sum(counts, n);
	if (!(psum > 0.0) || isinf(psum) || total == 0)
		return -1;
	chisq_bins(counts, p, n, (double)total / psum, out);
	out->df = out->bins > 1 ? out->bins - 1.0 : 0.0;
	if (out->impossible > 0) {
		out->statistic = INFINITY;
		out->p_value = 0.0;
		return 0;
	}
	out->p_value = tv_chisq_sf(out->statistic, out->df);
	return 0;
}
