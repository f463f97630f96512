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
 * Top-p's nucleus may hold thousands of tokens. The rest pass that sums
 * the candidates for it also sums their mass above a few levels; the
 * growth that follows takes every logit above the highest level that
 * reaches top-p's mass, so one selection and one sort usually cover the
 * nucleus. The cut itself is still top-p's own, on that ordered part.
 */
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "tempviz/step.h"

#include "core/core.h"
#include "core/select.h"

/* Rest sums are kept per block of this many ids for the draw. */
#define DRAW_BLOCK 256u
/* The fewest positions a growth by count orders. */
#define MIN_ORDER 64u
/* Spacing of the mass profile's levels, in scaled logits. */
#define LEVEL_STEP 1.5f

struct tv_step {
	uint32_t n_max;
	const float *l;         /* the logits: the caller's, or x */
	float *x;               /* sanitized copy, when one is needed */
	uint32_t n;
	uint32_t *ord;          /* ordered ids */
	float *sv;              /* their logits */
	uint64_t *scratch;      /* 2 n_max pairs, for sorting */
	float *cmax;            /* chunk maxima */
	double *blk;            /* rest sums per DRAW_BLOCK ids */
	struct tv_levels lv;    /* the rest's mass profile at blk_t, blk_m */
	float tau;              /* ordered = every finite logit >= tau */
	int blk_ok;             /* blk holds the sums at blk_t, blk_m */
	int lv_ok;              /* lv is fresh and not used yet */
	double blk_t;
	double blk_se;          /* the sum of blk */
	float blk_m;
	double goal;            /* top-p's mass plus a margin; 0 without */
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
	if (!s->x || !s->ord || !s->sv || !s->scratch || !s->cmax ||
	    !s->blk) {
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

/* Ids (from base) of the logits >= tau in l[0 .. n), ascending. */
TV_INLINE uint32_t
collect_body(const float *l, uint32_t n, float tau, uint32_t base,
	     uint32_t *ids)
{
	uint32_t i = 0, k = 0;
#if defined(__GNUC__)
	for (; i + TV_LANES <= n; i += TV_LANES) {
		tv_vf8 x;
		tv_vi8 hit, any;
		uint32_t j;

		TV_VLOAD(x, l + i);
		hit = x >= TV_VSPLAT(tau);
		any = hit;
		any |= (tv_vi8){ any[4], any[5], any[6], any[7] };
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
		k += l[i] >= tau;
	}
	return k;
}

static void
chunk_max_base(const float *l, uint32_t n, uint32_t cs, float *out)
{
	chunk_max_body(l, n, cs, out);
}

static uint32_t
collect_base(const float *l, uint32_t n, float tau, uint32_t base,
	     uint32_t *ids)
{
	return collect_body(l, n, tau, base, ids);
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
collect_avx2(const float *l, uint32_t n, float tau, uint32_t base,
	     uint32_t *ids)
{
	return collect_body(l, n, tau, base, ids);
}

/*
 * collect_body on 16 lanes, walking each vector's hits by their bits:
 * a vector without one costs a compare and a test, and each hit a few
 * steps, which suits the long, sparse selection of a nucleus.
 */
TV_AVX512 static uint32_t
collect_avx512(const float *l, uint32_t n, float tau, uint32_t base,
	       uint32_t *ids)
{
	uint32_t i = 0, k = 0;

	for (; i + 16 <= n; i += 16) {
		tv_vf16 x;
		tv_vi16 hit;
		uint32_t bits;

		TV_VLOAD(x, l + i);
		hit = x >= TV_VSPLATOF(x, tau);
		bits = tv_vbits16(&hit);
		for (; bits; bits &= bits - 1)
			ids[k++] = base + i + (uint32_t)__builtin_ctz(bits);
	}
	return k + collect_body(l + i, n - i, tau, base + i, ids + k);
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

static uint32_t
collect(const float *l, uint32_t n, float tau, uint32_t base, uint32_t *ids)
{
#if TV_X86_CLONES
	int level = tv_simd_level();

	/* Chunks of 8 logits fill 8 lanes, not 16. */
	if (level == 2 && n >= 16)
		return collect_avx512(l, n, tau, base, ids);
	if (level >= 1)
		return collect_avx2(l, n, tau, base, ids);
#endif
	return collect_base(l, n, tau, base, ids);
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

/* Order every logit >= tau; with chunk maxima (cs > 0), only the chunks
 * that reach tau are read. */
static void
order_from(struct tv_step *s, float tau, uint32_t cs)
{
	uint32_t k = 0, i;

	if (cs == 0) {
		k = collect(s->l, s->n, tau, 0, s->ord);
	} else {
		for (i = 0; i < s->n; i += cs)
			if (s->cmax[i / cs] >= tau)
				k += collect(s->l + i, s->n - i < cs ? s->n - i :
					     cs, tau, i, s->ord + k);
	}
	tv_order_ids(s->l, s->ord, k, s->scratch);
	for (i = 0; i < k; i++)
		s->sv[i] = s->l[s->ord[i]];
	s->tau = tau;
	s->v.n_ord = k;
	s->blk_ok = 0;
}

/*
 * The threshold that orders top-p's nucleus at once: the highest level of
 * the last rest pass's mass profile where the mass from the top, ordered
 * part included, reaches the goal. Every level lies below the ordered
 * part. Returns 0 when the ordered part holds that mass or no level does.
 */
static int
nucleus_tau(const struct tv_step *s, float *tau)
{
	double top = 0, goal;
	struct tv_temp ts;
	uint32_t i;
	int j;

	tv_temp_init(&ts, s->blk_t, s->v.lmax, s->v.lmin);
	for (i = 0; i < s->v.n_ord; i++)
		top += exp(tv_scale(&ts, s->sv[i]) - s->blk_m);
	goal = s->goal * (top + s->blk_se);
	if (top >= goal)
		return 0;
	for (j = 0; j < TV_LEVELS && top + s->lv.mass[j] < goal; j++)
		;
	if (j == TV_LEVELS)
		return 0;
	*tau = (float)((s->lv.at[j] + s->blk_m) * s->blk_t);
	return *tau < s->tau && *tau > -FLT_MAX;
}

/* Order at least m positions: select by the chunk maxima. */
static void
grow_by_count(struct tv_step *s, uint32_t m)
{
	struct tv_view *v = &s->v;
	uint32_t cs = 8, chunks;
	float tau;

	while ((uint64_t)cs * 2 * 4 * m <= s->n)
		cs *= 2;
	chunks = (s->n + cs - 1) / cs;
	/* Near the whole vocabulary a threshold saves nothing. */
	if (m >= v->n_all / 4 || chunks < 2 * m) {
		order_from(s, -FLT_MAX, 0);
		return;
	}
	chunk_max(s->l, s->n, cs, s->cmax);
	tau = kth_largest(s->cmax, chunks, m);
	/* Too few finite chunks: take every finite logit. */
	if (tau > -FLT_MAX)
		order_from(s, tau, cs);
	else
		order_from(s, -FLT_MAX, 0);
}

/* The first growth after a rest pass with a mass profile orders by mass;
 * any other, or one the profile left short, by count, eightfold (past an
 * eighth of the vocabulary, all of it). */
static void
step_grow(struct tv_view *v, uint32_t want)
{
	struct tv_step *s = step_of(v);
	uint32_t m = want;
	float tau;

	if (s->lv_ok) {
		s->lv_ok = 0;
		if (nucleus_tau(s, &tau)) {
			order_from(s, tau, 0);
			if (v->n_ord >= want)
				return;
		}
	}
	if ((uint64_t)m < (uint64_t)v->n_ord * 8)
		m = v->n_ord < v->n_all / 8 ? v->n_ord * 8 : v->n_all;
	if (m < MIN_ORDER)
		m = MIN_ORDER;
	grow_by_count(s, m);
}

/* Levels for the rest's mass profile, every LEVEL_STEP down from the
 * ordered part's end, where a nucleus beyond it begins. */
static void
levels_below(struct tv_step *s, float t, float m)
{
	float x0 = s->tau / t - m;
	int j;

	if (!isfinite(x0))
		x0 = 0;
	for (j = 0; j < TV_LEVELS; j++) {
		s->lv.at[j] = x0 - LEVEL_STEP * (float)(j + 1);
		s->lv.mass[j] = 0;
	}
}

static void
step_rest_sums(struct tv_view *v, const struct tv_temp *ts, float m,
	       struct tv_sums *o)
{
	struct tv_step *s = step_of(v);

	if (ts->fast) {
		struct tv_levels *lv = s->goal > 0 ? &s->lv : NULL;

		if (lv)
			levels_below(s, ts->tf, m);
		rest_kernel(s->l, s->n, s->tau, ts->tf, m, s->blk, lv, o);
		s->lv_ok = lv != NULL;
		s->blk_ok = 1;
		s->blk_se = o->se;
		s->blk_t = ts->t;
		s->blk_m = m;
		return;
	}
	memset(o, 0, sizeof *o);
	for (uint32_t i = 0; i < s->n; i++) {
		if (s->l[i] < s->tau && s->l[i] > -INFINITY) {
			double x = tv_scale(ts, s->l[i]) - m, e = exp(x);

			o->se += e;
			o->sex += e * x;
		}
	}
	s->blk_ok = 0;
	s->lv_ok = 0;
}

static void
step_rest_moments(struct tv_view *v, const struct tv_temp *ts, double m,
		  double *s1, double *s2)
{
	struct tv_step *s = step_of(v);
	uint32_t i;

	*s1 = 0;
	*s2 = 0;
	for (i = 0; i < s->n; i++) {
		if (s->l[i] < s->tau && s->l[i] > -INFINITY) {
			double d = tv_scale(ts, s->l[i]) - m;

			*s1 += d;
			*s2 += d * d;
		}
	}
}

/* The rest's kernel sum over the first quarter of the ids: a lower bound
 * of its whole sum at a quarter of the cost, enough to show that top-p
 * cuts past the ordered part. */
static double
step_rest_part(struct tv_view *v, const struct tv_temp *ts, float m)
{
	struct tv_step *s = step_of(v);
	struct tv_sums o;

	rest_kernel(s->l, s->n / 4, s->tau, ts->tf, m, s->blk, NULL, &o);
	s->blk_ok = 0;
	return o.se;
}

static const struct tv_view_ops step_ops = {
	step_grow, step_rest_sums, step_rest_moments, step_rest_part,
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
	s->blk_ok = 0;
	s->lv_ok = 0;
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
 * The mass a chain's top-p keeps, plus a margin for the profile's float
 * sums: what the first growth after a rest pass aims to order. 0 (no
 * profile) without top-p, or when the margin reaches all of the mass.
 */
static double
nucleus_goal(const struct tv_chain *c, const struct tv_params *p)
{
	double goal = p->top_p + 1e-3;
	int i;

	if (!tv_stage_on(TV_STAGE_TOP_P, p) || goal >= 1)
		return 0;
	for (i = 0; i < c->n; i++)
		if (c->stage[i] == TV_STAGE_TOP_P)
			return goal;
	return 0;
}

/* The id at which the running sum of e over the survivors reaches target:
 * first the ordered part, then the rest in id order. */
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
	for (b = 0; b * DRAW_BLOCK < s->n; b++) {
		if (s->blk_ok && cum + s->blk[b] < target) {
			cum += s->blk[b];
			continue;
		}
		for (i = b * DRAW_BLOCK; i < s->n && i < (b + 1) * DRAW_BLOCK;
		     i++) {
			double e;

			if (!(s->l[i] < s->tau) || s->l[i] == -INFINITY)
				continue;
			e = exp(tv_scale(&ts, s->l[i]) - c->m);
			if (e > 0)
				last = i;
			cum += e;
			if (cum >= target)
				return i;
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
	s->goal = nucleus_goal(c, p);
	memset(&x, 0, sizeof x);
	x.v = &s->v;
	x.rules = c->rules;
	x.p = p;
	x.xtc = &s->xtc;
	tv_cand_all(&s->v, &k);
	/* The step keeps only the final range. */
	x.may_defer = 1;
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
		for (i = 0; i < s->n; i++)
			if (s->l[i] < s->tau && s->l[i] > -INFINITY)
				ids[k++] = i;
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
