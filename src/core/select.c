/* SPDX-License-Identifier: MIT */
/*
 * The first pass of a generation step (core/select.h): a threshold scan
 * for the top m of the logits.
 *
 * The candidates are kept in arrival (id) order. When they fill their
 * room, the m-th largest of them becomes the threshold and whatever lies
 * below it is dropped: the m-th largest of a subset is never above the
 * m-th largest of all, so nothing that belongs to the top m is lost, and
 * keeping every logit equal to the threshold keeps the ties. On random
 * order the threshold soon passes all but a few hundred of the logits,
 * so the pass runs at the speed of reading them.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/core.h"
#include "core/select.h"
#include "core/wselect.h"

#if TV_X86_CLONES
#include <immintrin.h>
#endif

/* Pairs of vectors per block: a block's hits are taken after it, so that
 * the vector loop holds no call (which would spill its registers). */
#define TV_PAIRS 32

/* The smallest room the candidates start with. */
#define MIN_ROOM 128u

/* The k-th smallest (from 0) of a[0 .. n): a quickselect; a[] is
 * reordered. */
static uint32_t
kth_key(uint32_t *a, uint32_t n, uint32_t k)
{
	int64_t lo = 0, hi = (int64_t)n - 1;

	while (lo < hi) {
		int64_t i = lo, j = hi, mid = lo + (hi - lo) / 2;
		uint32_t x = a[lo], y = a[mid], z = a[hi], piv;

		/* Median of three: sorted input stays balanced. */
		piv = x < y ? (y < z ? y : x < z ? z : x) :
		      (x < z ? x : y < z ? z : y);
		while (i <= j) {
			while (a[i] < piv)
				i++;
			while (a[j] > piv)
				j--;
			if (i <= j) {
				uint32_t t = a[i];

				a[i++] = a[j];
				a[j--] = t;
			}
		}
		if ((int64_t)k <= j)
			hi = j;
		else if ((int64_t)k >= i)
			lo = i;
		else
			break;
	}
	return a[k];
}

/* Keep the candidates >= the m-th largest of them (at logit id, the
 * pass's position). The room doubles when ties keep more than half of
 * it, or when the room filled up within fewer logits than it holds: the
 * threshold is not sifting then (logits in rising order), and rarer,
 * larger compactions cost less. */
static void
compact(struct tv_topscan *o, uint32_t id)
{
	uint32_t i, k = 0, low = 0, at_low = 0;
	float tau;

	if (o->k <= o->m)
		return;
	for (i = 0; i < o->k; i++) {
		o->keys[i] = tv_desc_key(o->val[i]);
		low = o->keys[i] > low ? o->keys[i] : low;
	}
	for (i = 0; i < o->k; i++)
		at_low += o->keys[i] == low;
	/* When ties at the lowest value reach the m-th, nothing can go:
	 * skip the selection (all tied is the common case of this). */
	if (o->k - at_low < o->m)
		tau = tv_key_float(low);
	else
		tau = tv_key_float(kth_key(o->keys, o->k, o->m - 1));
	for (i = 0; i < o->k; i++) {
		o->ids[k] = o->ids[i];
		o->val[k] = o->val[i];
		k += o->val[i] >= tau;
	}
	o->k = k;
	o->tau = tau;
	if (k > o->cap / 2 || id - o->mark < o->cap)
		o->cap = o->cap > o->room / 2 ? o->room : o->cap * 2;
	o->mark = id;
}

/* Adds x, id, when it reaches the threshold (which compaction may raise
 * first). */
static inline void
take_one(struct tv_topscan *o, float x, uint32_t id)
{
	if (o->k == o->cap) {
		compact(o, id);
		if (!(x >= o->tau))
			return;
	}
	o->ids[o->k] = id;
	o->val[o->k++] = x;
}

/* The pass over l[from .. n) one logit at a time, folded into what o
 * holds; with take, the candidates too. The vector kernels' remainder,
 * their blocks that hold -inf or NaN (stats only), and the whole pass
 * without vector types. */
static void
scan_from(const float *l, uint32_t from, uint32_t n, struct tv_topscan *o,
	  int take)
{
	uint32_t i;

	for (i = from; i < n; i++) {
		float x = l[i];

		o->max = x > o->max ? x : o->max;
		o->min = x > -INFINITY && x < o->min ? x : o->min;
		o->finite += x > -INFINITY;
		o->nan |= x != x;
		if (take && x >= o->tau)
			take_one(o, x, i);
	}
}

#if defined(__GNUC__)
/* take_one on a pair of vectors of w lanes, l[0 .. 2 w): bit j of bits
 * is set when l[j] or l[j + w] may reach the threshold. Ids from base, in
 * ascending order. */
static void
take_pair(struct tv_topscan *o, const float *l, uint32_t base, uint32_t bits,
	  uint32_t w)
{
	uint32_t b, h;

	for (h = 0; h < 2 * w; h += w)
		for (b = bits; b; b &= b - 1) {
			uint32_t j = h + (uint32_t)__builtin_ctz(b);

			if (l[j] >= o->tau)
				take_one(o, l[j], base + j);
		}
}

/* Folds the lanes of a vector pass's range, max and min, into o's. */
static void
fold_range(struct tv_topscan *o, const float *max, const float *min,
	   uint32_t w)
{
	uint32_t j;

	for (j = 0; j < w; j++) {
		o->max = max[j] > o->max ? max[j] : o->max;
		o->min = min[j] < o->min ? min[j] : o->min;
	}
}

/* The hits of the first np pairs of w-lane vectors from l + start. */
static void
take_hits(struct tv_topscan *o, const float *l, uint32_t start,
	  const uint32_t *bits, uint32_t np, uint32_t w)
{
	uint32_t p;

	for (p = 0; p < np; p++)
		if (bits[p])
			take_pair(o, l + start + p * 2 * w, start + p * 2 * w,
				  bits[p], w);
}
#endif

#if TV_X86_CLONES
#define X_NAME scan_base
#define X_RANGE range_base
#define X_NAN(x) ((uint32_t)_mm_movemask_ps(_mm_cmpunord_ps(x, x)))
#define X_MINIF(m, x, bits) _mm_min_ps(m, _mm_or_ps(_mm_and_ps( \
	_mm_cmpge_ps(x, low), x), _mm_andnot_ps(_mm_cmpge_ps(x, low), \
	_mm_set1_ps(INFINITY))))
#define X_TARGET
#define X_V __m128
#define X_W 4
#define X_LOAD _mm_loadu_ps
#define X_STORE _mm_storeu_ps
#define X_SET1 _mm_set1_ps
#define X_MAX _mm_max_ps
#define X_MIN _mm_min_ps
#define X_GE(a, b) ((uint32_t)_mm_movemask_ps(_mm_cmpge_ps(a, b)))
#include "core/vselect_x86.h"

#define X_NAME scan_avx2
#define X_RANGE range_avx2
#define X_NAN(x) \
	((uint32_t)_mm256_movemask_ps(_mm256_cmp_ps(x, x, _CMP_UNORD_Q)))
#define X_MINIF(m, x, bits) _mm256_min_ps(m, _mm256_blendv_ps( \
	_mm256_set1_ps(INFINITY), x, _mm256_cmp_ps(x, low, _CMP_GE_OQ)))
#define X_TARGET TV_AVX2
#define X_V __m256
#define X_W 8
#define X_LOAD _mm256_loadu_ps
#define X_STORE _mm256_storeu_ps
#define X_SET1 _mm256_set1_ps
#define X_MAX _mm256_max_ps
#define X_MIN _mm256_min_ps
#define X_GE(a, b) \
	((uint32_t)_mm256_movemask_ps(_mm256_cmp_ps(a, b, _CMP_GE_OQ)))
#include "core/vselect_x86.h"

#define X_NAME scan_avx512
#define X_RANGE range_avx512
#define X_NAN(x) ((uint32_t)_mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q))
#define X_MINIF(m, x, bits) _mm512_mask_min_ps(m, (__mmask16)(bits), m, x)
#define X_TARGET TV_AVX512
#define X_V __m512
#define X_W 16
#define X_LOAD _mm512_loadu_ps
#define X_STORE _mm512_storeu_ps
#define X_SET1 _mm512_set1_ps
#define X_MAX _mm512_max_ps
#define X_MIN _mm512_min_ps
#define X_GE(a, b) ((uint32_t)_mm512_cmp_ps_mask(a, b, _CMP_GE_OQ))
#include "core/vselect_x86.h"
#elif defined(__GNUC__)
#define TV_W 8
#include "core/vselect.h"
#undef TV_W

static void
scan_base(const float *l, uint32_t n, struct tv_topscan *o)
{
	tv_topscan_body8(l, n, o);
}
#else
static void
scan_base(const float *l, uint32_t n, struct tv_topscan *o)
{
	scan_from(l, 0, n, o, 1);
}
#endif

void
tv_top_select(const float *l, uint32_t n, struct tv_topscan *o)
{
#if TV_X86_CLONES
	int level = tv_simd_level();
#endif

	o->k = 0;
	o->mark = 0;
	o->tau = -FLT_MAX;
	o->max = -INFINITY;
	o->min = INFINITY;
	o->finite = 0;
	o->nan = 0;
	/* Near the whole vocabulary a threshold saves nothing. */
	o->cap = (uint64_t)o->m * 2 >= n ? o->room :
		 o->m * 2 > MIN_ROOM ? o->m * 2 : MIN_ROOM;
	if (o->cap > o->room)
		o->cap = o->room;
#if TV_X86_CLONES
	if (level == 2)
		scan_avx512(l, n, o);
	else if (level == 1)
		scan_avx2(l, n, o);
	else
#endif
		scan_base(l, n, o);
	if (o->nan || o->max == INFINITY)
		return;
	compact(o, n);
}

/* ---------------------------------------------------- exact weights --- */

#if defined(__GNUC__)
#define TV_W 8
#include "core/wselect_lanes.h"
#undef TV_W
#if TV_X86_CLONES
#define TV_W 16
#include "core/wselect_lanes.h"
#undef TV_W
#endif

static tv_u128
wsum_base(const float *l, uint32_t n, float t, float m, uint64_t *blk)
{
	return tv_wsum_body8(l, n, t, m, blk);
}

static void
wvec_base(const float *l, uint32_t n, float t, float m, uint64_t *w)
{
	tv_wvec_body8(l, n, t, m, w);
}

static void
wbucket_base(const float *l, uint32_t n, const struct tv_wbuckets *k,
	     uint64_t *w, uint16_t *b)
{
	tv_wbucket_body8(l, n, k, w, b);
}

#else
/* Without vector types: the scalar weight, one logit at a time. */
static tv_u128
wsum_base(const float *l, uint32_t n, float t, float m, uint64_t *blk)
{
	tv_u128 z = 0;

	for (uint32_t i = 0; i < n; i++) {
		uint64_t w = tv_weight(l[i] / t - m);

		if (blk)
			blk[i / TV_BLOCK] = (i % TV_BLOCK ?
					     blk[i / TV_BLOCK] : 0) + w;
		z += w;
	}
	return z;
}

static void
wvec_base(const float *l, uint32_t n, float t, float m, uint64_t *w)
{
	for (uint32_t i = 0; i < n; i++)
		w[i] = tv_weight(l[i] / t - m);
}

static void
wbucket_base(const float *l, uint32_t n, const struct tv_wbuckets *k,
	     uint64_t *w, uint16_t *b)
{
	for (uint32_t i = 0; i < n; i++) {
		w[i] = l[i] < k->tau ? tv_weight(l[i] / k->t - k->m) : 0;
		b[i] = tv_wbucket_of(k, l[i]);
	}
}

#endif

#if TV_X86_CLONES
TV_AVX2 static tv_u128
wsum_avx2(const float *l, uint32_t n, float t, float m, uint64_t *blk)
{
	return tv_wsum_body8(l, n, t, m, blk);
}

TV_AVX512 static tv_u128
wsum_avx512(const float *l, uint32_t n, float t, float m, uint64_t *blk)
{
	return tv_wsum_body16(l, n, t, m, blk);
}

TV_AVX2 static void
wvec_avx2(const float *l, uint32_t n, float t, float m, uint64_t *w)
{
	tv_wvec_body8(l, n, t, m, w);
}

TV_AVX512 static void
wvec_avx512(const float *l, uint32_t n, float t, float m, uint64_t *w)
{
	tv_wvec_body16(l, n, t, m, w);
}

TV_AVX2 static void
wbucket_avx2(const float *l, uint32_t n, const struct tv_wbuckets *k,
	     uint64_t *w, uint16_t *b)
{
	tv_wbucket_body8(l, n, k, w, b);
}

TV_AVX512 static void
wbucket_avx512(const float *l, uint32_t n, const struct tv_wbuckets *k,
	       uint64_t *w, uint16_t *b)
{
	tv_wbucket_body16(l, n, k, w, b);
}

#endif

tv_u128
tv_wsum(const float *l, uint32_t n, float t, float m, uint64_t *blk)
{
#if TV_X86_CLONES
	int level = tv_simd_level();

	if (level == 2)
		return wsum_avx512(l, n, t, m, blk);
	if (level == 1)
		return wsum_avx2(l, n, t, m, blk);
#endif
	return wsum_base(l, n, t, m, blk);
}

void
tv_wvec(const float *l, uint32_t n, float t, float m, uint64_t *w)
{
#if TV_X86_CLONES
	int level = tv_simd_level();

	if (level == 2) {
		wvec_avx512(l, n, t, m, w);
		return;
	}
	if (level == 1) {
		wvec_avx2(l, n, t, m, w);
		return;
	}
#endif
	wvec_base(l, n, t, m, w);
}

void
tv_wbucket(const float *l, uint32_t n, const struct tv_wbuckets *k,
	   uint64_t *w, uint16_t *b)
{
#if TV_X86_CLONES
	int level = tv_simd_level();

	if (level == 2) {
		wbucket_avx512(l, n, k, w, b);
		return;
	}
	if (level == 1) {
		wbucket_avx2(l, n, k, w, b);
		return;
	}
#endif
	wbucket_base(l, n, k, w, b);
}
