/* SPDX-License-Identifier: MIT */
/*
 * One generation step on fresh logits. The stages are tv_run's own
 * (tv_stage_apply on a view); only the view differs: it orders just the
 * top of the vocabulary, selected by a threshold, and sums the unordered
 * rest in one pass when a stage needs the whole of it.
 *
 * Selection: the maxima of C chunks of the logits; the M-th largest of
 * them, tau, has at least M logits at or above it (one per chunk), and
 * with C at least 4 M rarely many more. Those are sorted; the rest is
 * every logit below tau.
 *
 * Top-p's nucleus may hold tens of thousands of tokens. Its cut is found
 * without ordering them: one pass weighs the rest exactly (core/wselect.h)
 * into a histogram of 1,024 buckets by value, the bucket where the mass
 * crosses p holds the cut, and only that bucket is ordered. The survivors
 * are then the rest itself, collected in id order: the view's rest
 * becomes that list (rl, rid), so every later pass reads only them.
 */
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "tempviz/step.h"

#include "core/core.h"
#include "core/select.h"
#include "core/wselect.h"

#if TV_X86_CLONES
#include <immintrin.h>
#endif

/* Rest sums are kept per block of this many ids for the draw. */
#define DRAW_BLOCK 256u
/* The fewest positions a growth by count orders. */
#define MIN_ORDER 64u
/* Top-p's histogram: buckets, logits weighed per block, and how many
 * blocks the 64-bit bucket sums take before they are folded. */
#define TP_BUCKETS 1024u
#define TP_BLOCK 2048u
#define TP_FOLD 32u

struct tv_step {
	uint32_t n_max;
	const float *l;         /* the logits: the caller's, or x */
	float *x;               /* sanitized copy, when one is needed */
	uint32_t n;
	uint32_t *ord;          /* ordered ids */
	float *sv;              /* their logits */
	uint64_t *scratch;      /* 2 n_max pairs, for sorting */
	float *cmax;            /* chunk maxima */
	double *blk;            /* rest sums per DRAW_BLOCK rest entries */
	float tau;              /* ordered = every finite logit >= tau */
	/* The rest: the finite rl[i] < tau, i < rn, token rid[i] (i when
	 * rid is NULL). rl is l until top-p cuts the rest to its survivors,
	 * then cl and cid. */
	const float *rl;
	const uint32_t *rid;
	uint32_t rn;
	float *cl;
	uint32_t *cid, *bid;    /* bid: top-p's bucket */
	uint64_t *wb;           /* top-p's weights and buckets of a block */
	uint16_t *bb;
	uint64_t (*hist)[TP_BUCKETS];   /* 4 interleaved */
	tv_u128 *hsum;
	int blk_ok;             /* blk holds the sums at blk_t, blk_m */
	double blk_t;
	float blk_m;
	struct tv_view v;
	struct tv_rng xtc;
	int xtc_ok;
	uint32_t xtc_seed;
	/* The last step's survivors, positions [lo, hi) of the order, and
	 * their sums (drawn: whether it drew one). */
	uint32_t lo, hi;
	struct tv_cand last;
	int drawn;
};

static const struct tv_view_ops step_ops;

struct tv_step *
tv_step_new(uint32_t n_max)
{
	struct tv_step *s;
	size_t n = n_max ? n_max : 1;

	if (n_max > TV_MAX_TOKENS)
		return NULL;
	s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->n_max = n_max;
	s->x = malloc(n * sizeof *s->x);
	s->ord = malloc(n * sizeof *s->ord);
	s->sv = malloc(n * sizeof *s->sv);
	s->scratch = malloc(n * 2 * sizeof *s->scratch);
	s->cmax = malloc((n / 8 + 1) * sizeof *s->cmax);
	s->blk = malloc((n / DRAW_BLOCK + 1) * sizeof *s->blk);
	s->cl = malloc(n * sizeof *s->cl);
	/* Room for collect_range's last whole store. */
	s->cid = malloc((n + 16) * sizeof *s->cid);
	s->bid = malloc((n + 16) * sizeof *s->bid);
	s->wb = malloc(TP_BLOCK * sizeof *s->wb);
	s->bb = malloc(TP_BLOCK * sizeof *s->bb);
	s->hist = malloc(4 * sizeof *s->hist);
	s->hsum = malloc(TP_BUCKETS * sizeof *s->hsum);
	if (!s->x || !s->ord || !s->sv || !s->scratch || !s->cmax ||
	    !s->blk || !s->cl || !s->cid || !s->bid || !s->wb || !s->bb ||
	    !s->hist || !s->hsum) {
		tv_step_free(s);
		return NULL;
	}
	return s;
}

void
tv_step_free(struct tv_step *s)
{
	if (!s)
		return;
	free(s->x);
	free(s->ord);
	free(s->sv);
	free(s->scratch);
	free(s->cmax);
	free(s->blk);
	free(s->cl);
	free(s->cid);
	free(s->bid);
	free(s->wb);
	free(s->bb);
	free(s->hist);
	free(s->hsum);
	free(s);
}

static struct tv_step *
step_of(struct tv_view *v)
{
	return (struct tv_step *)(void *)((char *)v -
					  offsetof(struct tv_step, v));
}

/* --------------------------------------------------------- kernels --- */

/* Maxima of chunks of cs logits (cs a multiple of TV_LANES). */
TV_INLINE void
chunk_max_body(const float *l, uint32_t n, uint32_t cs, float *out)
{
	uint32_t c = 0, i = 0;

	for (; i + cs <= n; i += cs, c++) {
		float m = -INFINITY;
#if defined(__GNUC__)
		tv_vf8 vm = TV_VSPLAT(-INFINITY);
		uint32_t j;

		for (j = 0; j < cs; j += TV_LANES) {
			tv_vf8 x;

			TV_VLOAD(x, l + i + j);
			vm = TV_VSEL(x > vm, x, vm);
		}
		for (j = 0; j < TV_LANES; j++)
			m = vm[j] > m ? vm[j] : m;
#else
		uint32_t j;

		for (j = 0; j < cs; j++)
			m = l[i + j] > m ? l[i + j] : m;
#endif
		out[c] = m;
	}
	if (i < n) {
		float m = -INFINITY;

		for (; i < n; i++)
			m = l[i] > m ? l[i] : m;
		out[c] = m;
	}
}

/* Ids (from base) of the logits in [lo, hi) in l[0 .. n), ascending. */
TV_INLINE uint32_t
range_body(const float *l, uint32_t n, float lo, float hi, uint32_t base,
	   uint32_t *ids)
{
	uint32_t i = 0, k = 0;
#if defined(__GNUC__)
	for (; i + TV_LANES <= n; i += TV_LANES) {
		tv_vf8 x;
		tv_vi8 hit, any;
		uint32_t j;

		TV_VLOAD(x, l + i);
		hit = (x >= TV_VSPLAT(lo)) & (x < TV_VSPLAT(hi));
		any = hit | (tv_vi8){ hit[4], hit[5], hit[6], hit[7] };
		if (!(any[0] | any[1] | any[2] | any[3]))
			continue;
		for (j = 0; j < TV_LANES; j++) {
			ids[k] = base + i + j;
			k += hit[j] != 0;
		}
	}
#endif
	for (; i < n; i++) {
		ids[k] = base + i;
		k += l[i] >= lo && l[i] < hi;
	}
	return k;
}

static uint32_t
range_base(const float *l, uint32_t n, float lo, float hi, uint32_t base,
	   uint32_t *ids)
{
	return range_body(l, n, lo, hi, base, ids);
}

static void
chunk_max_base(const float *l, uint32_t n, uint32_t cs, float *out)
{
	chunk_max_body(l, n, cs, out);
}

static void
rest_base(const float *l, uint32_t n, float tau, float t, float m,
	  double *blk, struct tv_levels *lv, struct tv_sums *o)
{
	tv_below_body8(l, n, tau, t, m, DRAW_BLOCK, blk, lv, o);
}

#if TV_X86_CLONES
TV_AVX2 static void
chunk_max_avx2(const float *l, uint32_t n, uint32_t cs, float *out)
{
	chunk_max_body(l, n, cs, out);
}

TV_AVX2 static uint32_t
range_avx2(const float *l, uint32_t n, float lo, float hi, uint32_t base,
	   uint32_t *ids)
{
	return range_body(l, n, lo, hi, base, ids);
}

/* range_body on 16 lanes, each vector's hits packed in a register and
 * stored whole (the store may run 16 entries past the last hit). */
TV_AVX512 static uint32_t
range_avx512(const float *l, uint32_t n, float lo, float hi, uint32_t base,
	     uint32_t *ids)
{
	__m512 vlo = _mm512_set1_ps(lo), vhi = _mm512_set1_ps(hi);
	__m512i at = _mm512_add_epi32(_mm512_set1_epi32((int)base),
		_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
				  14, 15));
	const __m512i step = _mm512_set1_epi32(16);
	uint32_t i = 0, k = 0;

	for (; i + 16 <= n; i += 16) {
		__m512 x = _mm512_loadu_ps(l + i);
		__mmask16 hit = _mm512_cmp_ps_mask(x, vlo, _CMP_GE_OQ) &
				_mm512_cmp_ps_mask(x, vhi, _CMP_LT_OQ);

		_mm512_storeu_si512(ids + k,
				    _mm512_maskz_compress_epi32(hit, at));
		k += (uint32_t)__builtin_popcount(hit);
		at = _mm512_add_epi32(at, step);
	}
	return k + range_body(l + i, n - i, lo, hi, base + i, ids + k);
}

TV_AVX2 static void
rest_avx2(const float *l, uint32_t n, float tau, float t, float m,
	  double *blk, struct tv_levels *lv, struct tv_sums *o)
{
	tv_below_body8(l, n, tau, t, m, DRAW_BLOCK, blk, lv, o);
}

TV_AVX512 static void
rest_avx512(const float *l, uint32_t n, float tau, float t, float m,
	    double *blk, struct tv_levels *lv, struct tv_sums *o)
{
	tv_below_body16(l, n, tau, t, m, DRAW_BLOCK, blk, lv, o);
}
#endif

static void
chunk_max(const float *l, uint32_t n, uint32_t cs, float *out)
{
#if TV_X86_CLONES
	if (tv_simd_level()) {
		chunk_max_avx2(l, n, cs, out);
		return;
	}
#endif
	chunk_max_base(l, n, cs, out);
}

/* Ids (from base) of the logits in [lo, hi) in l[0 .. n), ascending,
 * into ids, which has room for n + 16. */
static uint32_t
collect(const float *l, uint32_t n, float lo, float hi, uint32_t base,
	uint32_t *ids)
{
#if TV_X86_CLONES
	int level = tv_simd_level();

	if (level == 2)
		return range_avx512(l, n, lo, hi, base, ids);
	if (level == 1)
		return range_avx2(l, n, lo, hi, base, ids);
#endif
	return range_base(l, n, lo, hi, base, ids);
}

static void
rest_kernel(const float *l, uint32_t n, float tau, float t, float m,
	    double *blk, struct tv_levels *lv, struct tv_sums *o)
{
#if TV_X86_CLONES
	int level = tv_simd_level();

	if (level == 2) {
		rest_avx512(l, n, tau, t, m, blk, lv, o);
		return;
	}
	if (level == 1) {
		rest_avx2(l, n, tau, t, m, blk, lv, o);
		return;
	}
#endif
	rest_base(l, n, tau, t, m, blk, lv, o);
}

/* ------------------------------------------------------- selection --- */

/*
 * A value with at least k of a[0 .. n) at or above it and few more: a
 * radix selection on the order keys, two counting passes of 12 bits (no
 * data-dependent branches, unlike a quickselect), giving the smallest
 * value that shares the k-th largest's top 24 key bits.
 */
static float
kth_largest(const float *a, uint32_t n, uint32_t k)
{
	static const uint32_t shift[2] = { 20, 8 };
	uint32_t hist[4096], prefix = 0, i, lvl;

	for (lvl = 0; lvl < 2; lvl++) {
		uint32_t sum = 0, b;

		memset(hist, 0, sizeof hist);
		for (i = 0; i < n; i++) {
			uint32_t key = tv_desc_key(a[i]);

			if (lvl == 0 || key >> 20 == prefix >> 20)
				hist[(key >> shift[lvl]) & 4095]++;
		}
		for (b = 0; sum + hist[b] < k; b++)
			sum += hist[b];
		k -= sum;
		prefix |= b << shift[lvl];
	}
	return tv_key_float(prefix | 255);
}

/* Token of rest entry i. */
static uint32_t
rest_id(const struct tv_step *s, uint32_t i)
{
	return s->rid ? s->rid[i] : i;
}

/* Order every finite rest logit >= tau (< s->tau), after the ordered
 * part; with chunk maxima (cs > 0), only the chunks that reach tau are
 * read. */
static void
order_from(struct tv_step *s, float tau, uint32_t cs)
{
	uint32_t *pos = s->bid, *ids = s->ord + s->v.n_ord, k = 0, i;

	if (cs == 0) {
		k = collect(s->rl, s->rn, tau, s->tau, 0, pos);
	} else {
		for (i = 0; i < s->rn; i += cs)
			if (s->cmax[i / cs] >= tau)
				k += collect(s->rl + i, s->rn - i < cs ?
					     s->rn - i : cs, tau, s->tau, i,
					     pos + k);
	}
	for (i = 0; i < k; i++)
		ids[i] = rest_id(s, pos[i]);
	tv_order_ids(s->l, ids, k, s->scratch);
	for (i = 0; i < k; i++)
		s->sv[s->v.n_ord + i] = s->l[ids[i]];
	s->tau = tau;
	s->v.n_ord += k;
	s->blk_ok = 0;
}

/* Order at least m positions: select by the chunk maxima of the rest. */
static void
grow_by_count(struct tv_step *s, uint32_t m)
{
	struct tv_view *v = &s->v;
	uint32_t cs = 8, chunks, want;
	float tau;

	/* A rest of its own holds none of the ordered part. */
	want = !s->rid ? m : m > v->n_ord ? m - v->n_ord : 1;
	while ((uint64_t)cs * 2 * 4 * want <= s->rn)
		cs *= 2;
	chunks = (s->rn + cs - 1) / cs;
	/* Near the whole vocabulary a threshold saves nothing. */
	if (m >= v->n_all / 4 || chunks < 2 * want) {
		order_from(s, -FLT_MAX, 0);
		return;
	}
	chunk_max(s->rl, s->rn, cs, s->cmax);
	tau = kth_largest(s->cmax, chunks, want);
	/* Too few finite chunks: take every finite logit. */
	if (tau > -FLT_MAX && tau < s->tau)
		order_from(s, tau, cs);
	else
		order_from(s, -FLT_MAX, 0);
}

/* Growth by count, eightfold (past an eighth of the vocabulary, all of
 * it). */
static void
step_grow(struct tv_view *v, uint32_t want)
{
	struct tv_step *s = step_of(v);
	uint32_t m = want;

	if ((uint64_t)m < (uint64_t)v->n_ord * 8)
		m = v->n_ord < v->n_all / 8 ? v->n_ord * 8 : v->n_all;
	if (m < MIN_ORDER)
		m = MIN_ORDER;
	grow_by_count(s, m);
}

static void
step_rest_sums(struct tv_view *v, const struct tv_temp *ts, float m,
	       struct tv_sums *o)
{
	struct tv_step *s = step_of(v);

	if (ts->fast) {
		rest_kernel(s->rl, s->rn, s->tau, ts->tf, m, s->blk, NULL, o);
		s->blk_ok = 1;
		s->blk_t = ts->t;
		s->blk_m = m;
		return;
	}
	memset(o, 0, sizeof *o);
	for (uint32_t i = 0; i < s->rn; i++) {
		if (s->rl[i] < s->tau && s->rl[i] > -INFINITY) {
			double x = tv_scale(ts, s->rl[i]) - m, e = exp(x);

			o->se += e;
			o->sex += e * x;
		}
	}
	s->blk_ok = 0;
}

static void
step_rest_moments(struct tv_view *v, const struct tv_temp *ts, double m,
		  double *s1, double *s2)
{
	struct tv_step *s = step_of(v);
	uint32_t i;

	*s1 = 0;
	*s2 = 0;
	for (i = 0; i < s->rn; i++) {
		if (s->rl[i] < s->tau && s->rl[i] > -INFINITY) {
			double d = tv_scale(ts, s->rl[i]) - m;

			*s1 += d;
			*s2 += d * d;
		}
	}
}

/* The rest's kernel sum over the first quarter of its entries: a lower
 * bound of its whole sum at a quarter of the cost, enough to show that
 * top-p cuts past the ordered part. */
static double
step_rest_part(struct tv_view *v, const struct tv_temp *ts, float m)
{
	struct tv_step *s = step_of(v);
	struct tv_sums o;

	rest_kernel(s->rl, s->rn / 4, s->tau, ts->tf, m, s->blk, NULL, &o);
	s->blk_ok = 0;
	return o.se;
}

/* ----------------------------------------------------------- top-p --- */

/*
 * The rest weighed into buckets by value: the exact sums per bucket in
 * hsum, and their total returned.
 */
static tv_u128
tp_histogram(struct tv_step *s, const struct tv_wbuckets *k)
{
	uint64_t (*h)[TP_BUCKETS] = s->hist;
	tv_u128 z = 0;
	uint32_t i, j, blocks = 0;

	memset(s->hsum, 0, TP_BUCKETS * sizeof *s->hsum);
	memset(h, 0, 4 * sizeof *h);
	for (i = 0; i < s->rn; i += TP_BLOCK) {
		uint32_t n = s->rn - i < TP_BLOCK ? s->rn - i : TP_BLOCK;
		const uint64_t *w = s->wb;
		const uint16_t *b = s->bb;

		tv_wbucket(s->rl + i, n, k, s->wb, s->bb);
		/* Four histograms: a run of one bucket does not wait on
		 * its own additions. */
		for (j = 0; j + 4 <= n; j += 4) {
			h[0][b[j]] += w[j];
			h[1][b[j + 1]] += w[j + 1];
			h[2][b[j + 2]] += w[j + 2];
			h[3][b[j + 3]] += w[j + 3];
		}
		for (; j < n; j++)
			h[0][b[j]] += w[j];
		if (++blocks == TP_FOLD || i + TP_BLOCK >= s->rn) {
			for (j = 0; j < TP_BUCKETS; j++)
				s->hsum[j] += (tv_u128)h[0][j] + h[1][j] +
					      h[2][j] + h[3][j];
			memset(h, 0, 4 * sizeof *h);
			blocks = 0;
		}
	}
	for (j = 0; j < TP_BUCKETS; j++)
		z += s->hsum[j];
	return z;
}

static int
cmp_id(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* The smallest float whose bucket is below b (the bucket falls as the
 * logit rises), by bisection on the order keys; below every logit in
 * [lo, hi] when none is. */
static float
bucket_floor(const struct tv_wbuckets *k, uint32_t b, float lo, float hi)
{
	uint32_t a = tv_desc_key(hi), z = tv_desc_key(lo);

	/* Keys rise as logits fall: find the last key with bucket < b. */
	if (tv_wbucket_of(k, hi) >= b)
		return hi;
	while (a < z) {
		uint32_t mid = a + (z - a + 1) / 2;

		if (tv_wbucket_of(k, tv_key_float(mid)) < b)
			a = mid;
		else
			z = mid - 1;
	}
	return tv_key_float(a);
}

/*
 * Top-p through the rest without ordering it (see the top of the file):
 * the cut in the ordered part, or in the bucket where the running mass
 * leaves short of p Z, then the survivors collected as the new rest.
 */
static int
step_top_p(struct tv_view *v, const struct tv_cand *c, const struct tv_tp *q,
	   double *kept)
{
	struct tv_step *s = step_of(v);
	struct tv_wbuckets k;
	uint32_t p0 = c->ulo, i, n, nb, j, kb;
	float mf = (float)q->m, tf = q->ts.tf, lo, hi, cut;
	tv_u128 z, sum = 0, g;
	double r = 0;

	if (!q->ts.fast || c->uhi != v->n_all || p0 >= v->n_ord ||
	    q->mk > v->n_ord - p0 || s->rid)
		return -1;
	/* Buckets from the ordered part's end down to the least logit. */
	hi = s->tau;
	k = (struct tv_wbuckets){ .tau = s->tau, .t = tf, .m = mf, .hi = hi,
		.scale = hi > v->lmin ? (float)TP_BUCKETS / (hi - v->lmin) : 0,
		.last = (float)(TP_BUCKETS - 1) };
	if (!(k.scale < FLT_MAX))
		k.scale = 0;
	z = tv_wsum(v->sorted + p0, v->n_ord - p0, tf, mf, NULL) +
	    tp_histogram(s, &k);
	g = tv_wgoal(q->p, z, q->le);
	for (i = p0; i < v->n_ord; i++, r++) {
		if (!tv_wshort(sum, g) && r >= q->mk) {
			*kept = r;
			return 0;
		}
		sum += tv_weight(v->sorted[i] / tf - mf);
	}
	for (nb = 0; nb < TP_BUCKETS; nb++) {
		if (!tv_wshort(sum + s->hsum[nb], g))
			break;
		sum += s->hsum[nb];
	}
	if (!tv_wshort(sum, g)) {
		/* The cut right after the ordered part: none of the rest. */
		s->rn = 0;
		v->n_all = v->n_ord;
		*kept = r;
		return 0;
	}
	if (nb == TP_BUCKETS) {
		/* Short to the end: all of it. */
		*kept = (double)(v->n_all - p0);
		return 0;
	}
	/* Bucket nb, ordered; then the survivors in id order: those above
	 * it, and its own before the first token cut. */
	lo = bucket_floor(&k, nb + 1, -FLT_MAX, hi);
	cut = bucket_floor(&k, nb, -FLT_MAX, hi);
	j = collect(s->rl, s->rn, lo > -FLT_MAX ? lo : -FLT_MAX, cut, 0,
		    s->bid);
	tv_order_ids(s->l, s->bid, j, s->scratch);
	for (kb = 0; kb < j && tv_wshort(sum, g); kb++)
		sum += tv_weight(s->l[s->bid[kb]] / tf - mf);
	n = collect(s->rl, s->rn, cut, s->tau, 0, s->cid);
	/* Merge the kept of bucket nb, sorted by id, into those above:
	 * each goes in after the run of smaller ids, found by bisection. */
	qsort(s->bid, kb, sizeof *s->bid, cmp_id);
	memmove(s->cid + kb, s->cid, n * sizeof *s->cid);
	for (i = kb, j = 0, nb = 0; j < kb; j++) {
		uint32_t a = i, b = n + kb;

		while (a < b) {
			uint32_t mid = a + (b - a) / 2;

			if (s->cid[mid] < s->bid[j])
				a = mid + 1;
			else
				b = mid;
		}
		memmove(s->cid + nb, s->cid + i, (a - i) * sizeof *s->cid);
		nb += a - i;
		i = a;
		s->cid[nb++] = s->bid[j];
	}
	memmove(s->cid + nb, s->cid + i, (n + kb - i) * sizeof *s->cid);
	nb += n + kb - i;
	for (i = 0; i < nb; i++)
		s->cl[i] = s->l[s->cid[i]];
	s->rl = s->cl;
	s->rid = s->cid;
	s->rn = nb;
	s->blk_ok = 0;
	v->n_all = v->n_ord + nb;
	*kept = (double)(v->n_all - p0);
	return 0;
}

static const struct tv_view_ops step_ops = {
	.grow = step_grow,
	.rest_sums = step_rest_sums,
	.rest_moments = step_rest_moments,
	.rest_part = step_rest_part,
	.top_p = step_top_p,
};

/* ------------------------------------------------------------ step --- */

/* NaN becomes -inf; if any logit is +inf those share the mass (0) and
 * every other is -inf, as tv_dist_finish does. */
static void
sanitize(struct tv_step *s, const float *logits, int posinf)
{
	uint32_t i;

	for (i = 0; i < s->n; i++) {
		float l = logits[i];

		if (posinf)
			l = l == INFINITY ? 0 : -INFINITY;
		else if (l != l)
			l = -INFINITY;
		s->x[i] = l;
	}
	s->l = s->x;
}

/* Order the top m by one threshold pass over the logits: the range, the
 * finite count and NaN come from the same read. */
static int
prepare(struct tv_step *s, const float *logits, uint32_t n, uint32_t m)
{
	struct tv_topscan o;
	uint32_t i;

	s->n = n;
	s->l = logits;
	memset(&o, 0, sizeof o);
	o.m = m;
	o.room = s->n_max;
	o.ids = s->ord;
	o.val = s->sv;
	o.keys = (uint32_t *)(void *)s->scratch;
	tv_top_select(logits, n, &o);
	if (o.nan || o.max == INFINITY) {
		sanitize(s, logits, o.max == INFINITY);
		tv_top_select(s->l, n, &o);
	}
	if (o.finite == 0)
		return -1;
	memset(&s->v, 0, sizeof s->v);
	s->v.sorted = s->sv;
	s->v.order = s->ord;
	s->v.n_all = o.finite;
	s->v.tail_pos = UINT32_MAX;
	s->v.lmax = o.max;
	s->v.lmin = o.min;
	s->v.ops = &step_ops;
	tv_order_ids(s->l, s->ord, o.k, s->scratch);
	for (i = 0; i < o.k; i++)
		s->sv[i] = s->l[s->ord[i]];
	s->tau = o.tau;
	s->v.n_ord = o.k;
	s->rl = s->l;
	s->rid = NULL;
	s->rn = n;
	s->blk_ok = 0;
	return 0;
}

/*
 * How many positions the first pass orders: top-k's k with room for the
 * ties HF keeps and a token past them, which the cut must see; else the
 * fewest a growth orders.
 */
static uint32_t
first_order(const struct tv_chain *c, const struct tv_params *p)
{
	uint64_t m = MIN_ORDER;
	int i;

	if (tv_stage_on(TV_STAGE_TOP_K, p))
		for (i = 0; i < c->n; i++)
			if (c->stage[i] == TV_STAGE_TOP_K &&
			    (uint64_t)p->top_k * 3 / 2 > m)
				m = (uint64_t)p->top_k * 3 / 2;
	return m < TV_MAX_TOKENS ? (uint32_t)m : TV_MAX_TOKENS;
}

/*
 * Whether a deferred top-p could be left to the stages after it (see
 * tv_ctx): when top-k or min-p act after it, they often settle the range
 * inside the ordered part.
 */
static int
defer_worth(const struct tv_chain *c, const struct tv_params *p)
{
	int i = 0;

	while (i < c->n && c->stage[i] != TV_STAGE_TOP_P)
		i++;
	for (; i < c->n; i++)
		if ((c->stage[i] == TV_STAGE_TOP_K ||
		     c->stage[i] == TV_STAGE_MIN_P) &&
		    tv_stage_on(c->stage[i], p))
			return 1;
	return 0;
}

/* The id at which the running sum of e over the survivors reaches target:
 * first the ordered part, then the rest in its order (of ids). */
static uint32_t
draw(struct tv_step *s, const struct tv_cand *c, double target)
{
	struct tv_temp ts;
	uint32_t p1 = c->uhi < s->v.n_ord ? c->uhi : s->v.n_ord, i, b;
	uint32_t last = s->ord[c->ulo];
	double cum = 0;

	tv_temp_init(&ts, c->t, s->v.lmax, s->v.lmin);
	for (i = c->ulo; i < p1; i++) {
		double e = exp(tv_scale(&ts, s->sv[i]) - c->m);

		if (e > 0)
			last = s->ord[i];
		cum += e;
		if (cum >= target)
			return s->ord[i];
	}
	if (c->uhi <= s->v.n_ord)
		return last;
	if (!s->blk_ok || s->blk_t != c->t || s->blk_m != (float)c->m) {
		struct tv_sums o;

		step_rest_sums(&s->v, &ts, (float)c->m, &o);
	}
	for (b = 0; b * DRAW_BLOCK < s->rn; b++) {
		if (s->blk_ok && cum + s->blk[b] < target) {
			cum += s->blk[b];
			continue;
		}
		for (i = b * DRAW_BLOCK; i < s->rn && i < (b + 1) * DRAW_BLOCK;
		     i++) {
			double e;

			if (!(s->rl[i] < s->tau) || s->rl[i] == -INFINITY)
				continue;
			e = exp(tv_scale(&ts, s->rl[i]) - c->m);
			if (e > 0)
				last = rest_id(s, i);
			cum += e;
			if (cum >= target)
				return rest_id(s, i);
		}
	}
	return last;
}

uint32_t
tv_step_sample(struct tv_step *s, const float *logits, uint32_t n,
	       const struct tv_chain *chain, const struct tv_params *p,
	       struct tv_rng *g)
{
	struct tv_chain eff;
	const struct tv_chain *c = &eff;
	struct tv_ctx x;
	struct tv_cand k;
	int i;

	tv_chain_effective(chain, p, &eff);
	s->lo = s->hi = 0;
	s->drawn = 0;
	if (n == 0 || n > s->n_max || prepare(s, logits, n, first_order(c, p)) < 0)
		return UINT32_MAX;
	if (!s->xtc_ok || s->xtc_seed != p->seed) {
		tv_rng_seed(&s->xtc, p->seed);
		s->xtc_ok = 1;
		s->xtc_seed = p->seed;
	}
	memset(&x, 0, sizeof x);
	x.v = &s->v;
	x.rules = c->rules;
	x.p = p;
	x.xtc = &s->xtc;
	tv_cand_all(&s->v, &k);
	/* The step keeps only the final range. */
	x.may_defer = defer_worth(c, p);
	for (i = 0; i < c->n; i++)
		tv_stage_apply(&x, c->stage[i], &k);
	tv_chain_end(&x, &k);
	s->lo = k.ulo;
	s->hi = k.uhi;
	s->drawn = 1;
	if (k.ulo >= s->v.n_ord)
		step_grow(&s->v, k.ulo + 1);
	tv_cand_sums(&s->v, &k);
	s->last = k;
	if (k.t == 0)
		return s->ord[k.ulo];
	return draw(s, &k, tv_rng_uniform(g) * k.se);
}

/* Greedy's cut mass, as tv_run's: the logits tied at the maximum share
 * the mass at T -> 0. */
static double
greedy_cut(const struct tv_step *s)
{
	double ties = 0;
	uint32_t i;

	if (s->sv[s->last.ulo] != s->v.lmax)
		return 1;
	for (i = 0; i < s->n; i++)
		ties += s->l[i] == s->v.lmax;
	return 1 - 1 / ties;
}

int
tv_step_stats(struct tv_step *s, struct tv_stats *st)
{
	const struct tv_cand *c = &s->last;
	struct tv_temp ts;
	double s1 = 0, sn = 0, lse1, full_m = 0;
	uint32_t i;

	if (!s->drawn)
		return -1;
	/* The rest's sums leave out sum e l, which KL reads: survivors
	 * beyond the ordered part are ordered and summed again. */
	if (c->uhi > s->v.n_ord) {
		step_grow(&s->v, c->uhi);
		s->last.have_sums = 0;
		tv_cand_sums(&s->v, &s->last);
	}
	memset(st, 0, sizeof *st);
	st->vocab = s->n;
	st->kept = c->uhi - c->ulo;
	tv_temp_init(&ts, c->t > 0 ? c->t : 1, s->v.lmax, s->v.lmin);
	full_m = tv_scale(&ts, s->v.lmax);
	if (ts.fast) {
		tv_se2(s->l, s->n, ts.tf, s->v.lmax, (float)full_m, &s1, &sn);
	} else {
		for (i = 0; i < s->n; i++) {
			s1 += exp((double)s->l[i] - s->v.lmax);
			sn += exp(tv_scale(&ts, s->l[i]) - full_m);
		}
	}
	lse1 = s->v.lmax + log(s1);
	if (c->t == 0) {
		st->top1 = 1;
		st->kl_bits = (lse1 - s->sv[c->ulo]) / M_LN2;
		st->cut_mass = greedy_cut(s);
		st->sum_p = 1;
	} else {
		st->entropy_nats = fmax(0, log(c->se) - c->sex / c->se);
		st->top1 = exp(tv_scale(&ts, s->sv[c->ulo]) - c->m - c->lnz);
		st->kl_bits = fmax(0, lse1 - c->sel / c->se -
				   st->entropy_nats) / M_LN2;
		st->cut_mass = fmin(1, fmax(0, -expm1((c->m - full_m) +
						      (c->lnz - log(sn)))));
		st->sum_p = c->se * exp(-c->lnz);
	}
	st->entropy_bits = st->entropy_nats / M_LN2;
	st->perplexity = exp(st->entropy_nats);
	return 0;
}

uint32_t
tv_step_kept(const struct tv_step *s, uint32_t *ids)
{
	uint32_t k = 0, i, end = s->hi < s->v.n_ord ? s->hi : s->v.n_ord;

	for (i = s->lo; i < end; i++)
		ids[k++] = s->ord[i];
	if (s->hi > s->v.n_ord)
		for (i = 0; i < s->rn; i++)
			if (s->rl[i] < s->tau && s->rl[i] > -INFINITY)
				ids[k++] = rest_id(s, i);
	return k;
}

const char *
tv_vector_path(void)
{
#if TV_X86_CLONES
	static const char *const name[] = { "baseline", "avx2", "avx512" };

	return name[tv_simd_level()];
#else
	return "generic";
#endif
}
