/* SPDX-License-Identifier: MIT */
/*
 * Internal to src/core: top-p's masses, exact and independent of order.
 *
 * Top-p compares running sums of probabilities with p. Summed in floating
 * point those sums depend on the order of the additions, so a selection
 * that never sorts the nucleus could not reproduce a sorted walk's cut.
 * Instead every candidate gets an integer weight, a deterministic function
 * of its scaled logit alone:
 *
 *   x = l / T - m   (float, the engines' division; m the candidates' top)
 *   e = exp(x)      (the core's float exp, without fused multiply-adds,
 *                    so scalar code and every vector width agree)
 *   W = e 2^46 rounded to an integer (e <= 1: 47 bits)
 *
 * Sums of W are exact in 128 bits whatever their order, and token r is
 * kept while the mass before it is below p times the whole (at most, in
 * Meta's rule), compared exactly: S_(r-1) < p Z, with p the double it
 * is and no rounding of either side. A sorted walk (tv_run) and
 * a generation step's histogram over unordered logits so find the very
 * same cut, on every machine. The weights hold e to 2^-46 of the top
 * token, far below float rounding of the probabilities.
 *
 * The pipeline takes these masses past SHORT_RUN candidates; a shorter
 * run is summed in order as before (it is cheap to order).
 */
#ifndef TEMPVIZ_CORE_WSELECT_H
#define TEMPVIZ_CORE_WSELECT_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/vmath.h"

/* Clang contracts a * b + c within an expression unless told not to; GCC
 * in ISO C mode does not. */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

typedef unsigned __int128 tv_u128;

/* 2^46: the weight of e = 1. */
#define TV_WSCALE 70368744177664.0

/* tv_expf's operations, compiled outside vmath.h's fused region. */
static inline float
tv_wexpf(float x)
{
	float e;

	TV_EXPF_SCALAR(x, e);
	return e;
}

/* 2^52 as a double and its bits: adding it rounds a double below 2^52
 * to an integer, which its low bits then hold. */
#define TV_WMAGIC 4503599627370496.0
#define TV_WMAGIC_BITS UINT64_C(0x4330000000000000)

/* e 2^46 rounded to the nearest integer (ties to even). */
static inline uint64_t
tv_wquant(float e)
{
	double d = (double)e * TV_WSCALE + TV_WMAGIC;
	uint64_t b;

	memcpy(&b, &d, sizeof b);
	return b - TV_WMAGIC_BITS;
}

static inline uint64_t
tv_weight(float x)
{
	return tv_wquant(tv_wexpf(x));
}

/* The exact weight sum over l[0 .. n), every l finite; with blk, also
 * the sum of each TV_BLOCK of them (the last may be shorter) in
 * blk[i / TV_BLOCK]. */
tv_u128 tv_wsum(const float *l, uint32_t n, float t, float m, uint64_t *blk);

/* The weight of each of l[0 .. n) into w. */
void tv_wvec(const float *l, uint32_t n, float t, float m, uint64_t *w);

/*
 * Buckets of the rest of a generation step (the logits below tau, -inf
 * excluded) by value: bucket min(last, max(0, (hi - l) scale)) truncated,
 * in float, so that bucket 0 holds the largest logits. Every pass that
 * buckets a logit computes the same number.
 */
struct tv_wbuckets {
	float tau, t, m;
	float hi, scale, last;
};

static inline uint16_t
tv_wbucket_of(const struct tv_wbuckets *k, float l)
{
	float d = (k->hi - l) * k->scale;

	d = d > 0.0f ? d : 0.0f;
	d = d < k->last ? d : k->last;
	return (uint16_t)(int32_t)d;
}

/* Weights (0 for l >= tau; -inf weighs 0 too) and buckets of l[0 .. n). */
void tv_wbucket(const float *l, uint32_t n, const struct tv_wbuckets *k,
		uint64_t *w, uint16_t *b);

/*
 * The level the masses are held against, for p in [0, 1): a mass s is
 * short of p z (le: at most p z) exactly when s < the level, p taken as
 * the double it is. With p = M 2^-k (M < 2^53, k >= 53), p z = M z 2^-k:
 * s < p z iff s < ceil(p z), and s <= p z iff s < floor(p z) + 1.
 */
static inline tv_u128
tv_wgoal(double p, tv_u128 z, int le)
{
	int e;
	uint64_t m = (uint64_t)ldexp(frexp(p > 0 ? p : 0, &e), 53);
	unsigned k = (unsigned)(53 - e), j;
	tv_u128 p0 = (tv_u128)m * (uint64_t)z;
	/* m z = h 2^64 + lo; z below 2^127, so h holds it. */
	tv_u128 h = (tv_u128)m * (uint64_t)(z >> 64) + (p0 >> 64), q;
	uint64_t lo = (uint64_t)p0;
	int part;

	if (k < 64) {
		q = (h << (64 - k)) | (lo >> k);
		part = (lo & ((UINT64_C(1) << k) - 1)) != 0;
	} else {
		j = k - 64;
		q = j < 128 ? h >> j : 0;
		part = lo != 0 || (j >= 128 ? h != 0 : j > 0 && h << (128 - j));
	}
	return le ? q + 1 : q + (tv_u128)part;
}

/* Whether the mass s is still short of goal g (tv_wgoal). */
static inline int
tv_wshort(tv_u128 s, tv_u128 g)
{
	return s < g;
}

#endif
