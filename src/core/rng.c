/* SPDX-License-Identifier: MIT */
/*
 * MT19937 (Matsumoto and Nishimura, 1998), the uniform conversions of
 * libstdc++, a Box-Muller normal, Vose's alias table and the inverse-CDF
 * draw. See rng.h for the contract.
 */
#include <math.h>
#include <stdlib.h>

#include "tempviz/rng.h"

enum { MT_N = 624, MT_M = 397 };

#define MT_MATRIX_A 0x9908b0dfu
#define MT_UPPER 0x80000000u
#define MT_LOWER 0x7fffffffu

void
tv_rng_seed(struct tv_rng *g, uint32_t seed)
{
	uint32_t i;

	g->mt[0] = seed;
	for (i = 1; i < MT_N; i++)
		g->mt[i] = 1812433253u * (g->mt[i - 1] ^ (g->mt[i - 1] >> 30)) + i;
	g->idx = MT_N;
}

static inline uint32_t
mt_mix(uint32_t hi, uint32_t lo, uint32_t far)
{
	uint32_t y = (hi & MT_UPPER) | (lo & MT_LOWER);

	/* -(y & 1) is all ones exactly when the low bit is set: a branch-free
	 * select of the matrix, so the twist has no unpredictable jumps. */
	return far ^ (y >> 1) ^ (MT_MATRIX_A & (0u - (y & 1u)));
}

/* Regenerate the whole state at once: three loops without the modulo of
 * the textbook version, which keeps the per-output cost at a few cycles. */
static void
mt_twist(uint32_t *mt)
{
	int i;

	for (i = 0; i < MT_N - MT_M; i++)
		mt[i] = mt_mix(mt[i], mt[i + 1], mt[i + MT_M]);
	for (; i < MT_N - 1; i++)
		mt[i] = mt_mix(mt[i], mt[i + 1], mt[i + MT_M - MT_N]);
	mt[MT_N - 1] = mt_mix(mt[MT_N - 1], mt[0], mt[MT_M - 1]);
}

static inline uint32_t
mt_next(struct tv_rng *g)
{
	uint32_t y;

	if (g->idx >= MT_N) {
		mt_twist(g->mt);
		g->idx = 0;
	}
	y = g->mt[g->idx++];
	y ^= y >> 11;
	y ^= (y << 7) & 0x9d2c5680u;
	y ^= (y << 15) & 0xefc60000u;
	y ^= y >> 18;
	return y;
}

uint32_t
tv_rng_u32(struct tv_rng *g)
{
	return mt_next(g);
}

/* 2^32 and 2^-64 written out so no pow() runs per draw. */
#define TWO_32 4294967296.0
#define TWO_M64 5.421010862427522170037264e-20

static inline double
canonical(struct tv_rng *g)
{
	double x1 = mt_next(g);
	double x2 = mt_next(g);
	double u = (x1 + x2 * TWO_32) * TWO_M64;

	/* The sum rounds up to 2^64 for x2 near 2^32 - 1; libstdc++ clamps. */
	return u < 1.0 ? u : 0x1.fffffffffffffp-1;
}

double
tv_rng_uniform(struct tv_rng *g)
{
	return canonical(g);
}

float
tv_rng_uniform_f(struct tv_rng *g)
{
	float u = (float)mt_next(g) / 4294967296.0f;

	/* float(x) rounds to 2^32 for x >= 2^32 - 128; clamp like
	 * generate_canonical does. */
	return u < 1.0f ? u : 0x1.fffffep-1f;
}

double
tv_rng_normal(struct tv_rng *g)
{
	/* 1 - u lies in (0, 1], so the log is finite. */
	double r = sqrt(-2.0 * log(1.0 - canonical(g)));
	double th = 6.283185307179586476925287 * canonical(g);

	return r * cos(th);
}

static int
alias_alloc(struct tv_alias *a, uint32_t n)
{
	a->n = n;
	a->prob = malloc((size_t)n * sizeof *a->prob);
	a->alias = malloc((size_t)n * sizeof *a->alias);
	if (!a->prob || !a->alias) {
		tv_alias_free(a);
		return -1;
	}
	return 0;
}

static double
weight_sum(const double *w, uint32_t n)
{
	double s = 0.0;
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (!(w[i] >= 0.0) || isinf(w[i]))
			return -1.0;
		s += w[i];
	}
	return s;
}

/*
 * Vose: columns below the mean are "small", the rest "large"; each small
 * column is topped up from one large column, which shrinks and may turn
 * small. The worklist is one array filled from both ends (small from the
 * front, large from the back), so the build needs one allocation.
 */
static void
alias_fill(struct tv_alias *a, const double *w, double sum, uint32_t *work)
{
	uint32_t n = a->n, ns = 0, nl = 0, i;
	double scale = (double)n / sum;

	for (i = 0; i < n; i++) {
		a->prob[i] = w[i] * scale;
		a->alias[i] = i;
		if (a->prob[i] < 1.0)
			work[ns++] = i;
		else
			work[n - 1 - nl++] = i;
	}
	while (ns > 0 && nl > 0) {
		uint32_t s = work[--ns];
		uint32_t l = work[n - nl];

		a->alias[s] = l;
		a->prob[l] -= 1.0 - a->prob[s];
		if (a->prob[l] < 1.0) {
			nl--;
			work[ns++] = l;
		}
	}
	/* What remains is 1 up to rounding: make those columns certain. */
	while (nl > 0)
		a->prob[work[n - nl--]] = 1.0;
	while (ns > 0)
		a->prob[work[--ns]] = 1.0;
}

int
tv_alias_build(struct tv_alias *a, const double *w, uint32_t n)
{
	double sum;
	uint32_t *work;

	a->n = 0;
	a->prob = NULL;
	a->alias = NULL;
	if (n == 0)
		return -1;
	sum = weight_sum(w, n);
	if (!(sum > 0.0) || isinf(sum))
		return -1;
	work = malloc((size_t)n * sizeof *work);
	if (!work || alias_alloc(a, n) < 0) {
		free(work);
		return -1;
	}
	alias_fill(a, w, sum, work);
	free(work);
	return 0;
}

uint32_t
tv_alias_draw(const struct tv_alias *a, struct tv_rng *g)
{
	double x = canonical(g) * a->n;
	uint32_t col = (uint32_t)x;

	if (col >= a->n)
		col = a->n - 1;
	/* The fraction below the column index is the coin. */
	return x - col < a->prob[col] ? col : a->alias[col];
}

void
tv_alias_free(struct tv_alias *a)
{
	free(a->prob);
	free(a->alias);
	a->prob = NULL;
	a->alias = NULL;
	a->n = 0;
}

void
tv_draw_skip(struct tv_rng *g, size_t n)
{
	/* One canonical double a draw: two outputs. */
	for (size_t i = 0; i < n; i++)
		(void)canonical(g);
}

uint32_t
tv_draw_cdf(const double *w, uint32_t n, double total, struct tv_rng *g)
{
	double target = canonical(g) * total;
	double run = 0.0;
	uint32_t i, last = 0;

	for (i = 0; i < n; i++) {
		if (w[i] <= 0.0)
			continue;
		run += w[i];
		last = i;
		if (run >= target)
			return i;
	}
	/* Rounding left the running sum short of u * total: the last token
	 * with weight is the one the boundary belongs to. */
	return last;
}
