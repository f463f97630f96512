/* SPDX-License-Identifier: MIT */
/*
 * Top-p past SHORT_RUN candidates: a generation step finds the cut without
 * ordering the nucleus (core/wselect.h's exact masses and a histogram),
 * and it must keep exactly the tokens of an independent reference (a full
 * sort and 128-bit prefix sums of the same weights), which tv_run's sorted
 * walk keeps too; and those masses must stay within float rounding of the
 * true probabilities. Random distributions of several sizes and seeds,
 * heavy ties, all-equal logits, -inf masses, temperatures of 1e-3 and 1e3,
 * p near 0 and near 1 (the cut deep in the tail), each profile's rule.
 */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/wselect.h"
#include "tempviz/dist.h"
#include "tempviz/pipeline.h"
#include "tempviz/rng.h"
#include "tempviz/step.h"

struct tok {
	float l;
	uint32_t id;
};

static int
cmp_tok(const void *a, const void *b)
{
	const struct tok *x = a, *y = b;

	if (x->l != y->l)
		return x->l > y->l ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/*
 * The exact level of core/wselect.h's comparisons, on 32-bit limbs: with
 * p = M 2^-k, the integer part of M z 2^-k, and whether bits are left
 * below it; a mass s is short of p z (le: at most p z) iff s < the level.
 */
static tv_u128
ref_level(double p, tv_u128 z, int le)
{
	uint32_t x[8] = { 0 }, zl[4], ml[2];
	uint64_t mm;
	tv_u128 q = 0;
	int e, k, i, j, part = 0;

	mm = (uint64_t)ldexp(frexp(p, &e), 53);
	k = 53 - e;
	ml[0] = (uint32_t)mm;
	ml[1] = (uint32_t)(mm >> 32);
	for (i = 0; i < 4; i++)
		zl[i] = (uint32_t)(z >> (32 * i));
	for (i = 0; i < 2; i++) {
		uint64_t carry = 0;

		for (j = 0; j < 4; j++) {
			uint64_t t = (uint64_t)ml[i] * zl[j] + x[i + j] + carry;

			x[i + j] = (uint32_t)t;
			carry = t >> 32;
		}
		x[i + 4] += (uint32_t)carry;
	}
	for (i = 0; i < 256; i++) {
		int bit = x[i / 32] >> (i % 32) & 1;

		if (i < k)
			part |= bit;
		else if (bit)
			q |= (tv_u128)1 << (i - k);
	}
	return le ? q + 1 : q + (tv_u128)part;
}

/* tv_wgoal against the limbs, at the edges of p and z. */
static void
goal_levels(void **state)
{
	static const double ps[] = {
		0, 5e-324, 1e-300, 1e-20, 0.3, 0.5, 0.75, 0.95,
		0.99999999999999989,
	};
	tv_u128 zs[] = {
		0, 1, 3, (tv_u128)5000 << 46, ((tv_u128)1 << 64) - 1,
		(tv_u128)1 << 64, ((tv_u128)1 << 100) + 12345,
		((tv_u128)0x7fffffffffffffff << 64) | 0xfedcba9876543210u,
	};
	struct tv_rng g;

	(void)state;
	for (size_t i = 0; i < sizeof ps / sizeof *ps; i++)
		for (size_t j = 0; j < sizeof zs / sizeof *zs; j++)
			for (int le = 0; le < 2; le++)
				assert_true(tv_wgoal(ps[i], zs[j], le) ==
					    ref_level(ps[i], zs[j], le));
	tv_rng_seed(&g, 3);
	for (int i = 0; i < 20000; i++) {
		double p = tv_rng_uniform(&g);
		uint32_t hi = tv_rng_u32(&g), at = tv_rng_u32(&g) % 90;
		tv_u128 z = (tv_u128)hi << at | tv_rng_u32(&g);

		assert_true(tv_wgoal(p, z, i & 1) == ref_level(p, z, i & 1));
	}
	/* 0.95 is a little below 19/20: 19 of 20 equal masses exceed it. */
	assert_true(tv_wgoal(0.95, 20, 0) == 19);
	assert_true(tv_wgoal(0.95, 20, 1) == 19);
	assert_true(tv_wgoal(0.5, 20, 0) == 10);
	assert_true(tv_wgoal(0.5, 20, 1) == 11);
}

/*
 * The reference: the finite logits sorted (logit descending, id
 * ascending), each weighed as core/wselect.h defines it at temperature t
 * (the scaled top subtracted), kept while the mass before is below p Z
 * (at most, le), exactly, or within min_keep. The kept ids into ids, sorted; their
 * count returned. *lo and *hi receive the true mass (long double) before
 * the last kept token and through it.
 */
static uint32_t
reference(const float *l, uint32_t n, double t, double p, int le, double mk,
	  uint32_t *ids, long double *lo, long double *hi)
{
	struct tok *o = malloc(n * sizeof *o);
	uint64_t *w = malloc(n * sizeof *w);
	uint32_t m = 0, r;
	tv_u128 z = 0, s = 0, g;
	long double zt = 0, st = 0, top;
	float tf = (float)t, mf;

	assert_non_null(o);
	assert_non_null(w);
	for (uint32_t i = 0; i < n; i++)
		if (l[i] > -INFINITY)
			o[m++] = (struct tok){ l[i], i };
	qsort(o, m, sizeof *o, cmp_tok);
	mf = o[0].l / tf;
	top = (long double)o[0].l / t;
	for (r = 0; r < m; r++) {
		w[r] = tv_weight(o[r].l / tf - mf);
		z += w[r];
		zt += expl((long double)o[r].l / t - top);
	}
	g = ref_level(p, z, le);
	for (r = 0; r < m; r++) {
		if (s >= g && r >= mk)
			break;
		*lo = st / zt;
		s += w[r];
		st += expl((long double)o[r].l / t - top);
		ids[r] = o[r].id;
	}
	*hi = st / zt;
	qsort(ids, r, sizeof *ids, cmp_u32);
	free(o);
	free(w);
	return r;
}

struct cut {
	enum tv_profile prof;
	double temp, top_p;
	int min_keep;
};

/* The chain with top-p alone at the temperature c->temp (last in
 * llama.cpp's order, first in the others). */
static void
setup(const struct cut *c, struct tv_chain *ch, struct tv_params *p)
{
	tv_chain_default(ch, c->prof);
	tv_params_default(p);
	p->temp = c->temp;
	p->top_p = c->top_p;
	p->min_keep = c->min_keep;
}

/* With distinct logits the step orders exactly its first 64: past them
 * the kept ids come in id order unless it ordered the nucleus. */
static void
check(const float *l, uint32_t n, const struct cut *c, int distinct)
{
	uint32_t *want = malloc(n * sizeof *want), *got = malloc(n * sizeof *got);
	uint32_t *run = malloc(n * sizeof *run);
	struct tv_step *s = tv_step_new(n);
	double t = c->prof == TV_PROFILE_LLAMACPP ? 1 :
		   c->prof == TV_PROFILE_VLLM && c->temp < 1e-2 ? 1e-2 : c->temp;
	long double lo = 0, hi = 0;
	struct tv_chain ch;
	struct tv_params p;
	struct tv_result res;
	struct tv_dist d;
	struct tv_rng g;
	uint32_t nw, ng, nr, id, i;

	assert_non_null(want);
	assert_non_null(got);
	assert_non_null(run);
	assert_non_null(s);
	setup(c, &ch, &p);
	nw = reference(l, n, t, c->top_p, c->prof == TV_PROFILE_LLAMA3,
		       c->min_keep > 1 ? c->min_keep : 1, want, &lo, &hi);
	tv_rng_seed(&g, 1);
	id = tv_step_sample(s, l, n, &ch, &p, &g);
	ng = tv_step_kept(s, got);
	for (i = 1; distinct && ng > 2 * 64 && i < ng - 64; i++)
		assert_true(got[64 + i] > got[64 + i - 1]);
	qsort(got, ng, sizeof *got, cmp_u32);
	assert_int_equal(ng, nw);
	assert_memory_equal(got, want, nw * sizeof *want);
	assert_non_null(bsearch(&id, want, nw, sizeof *want, cmp_u32));
	/* tv_run's sorted walk keeps them too. */
	assert_int_equal(tv_dist_from_logits(&d, l, n), TV_OK);
	tv_run(&d, &ch, &p, &res);
	nr = 0;
	for (i = res.lo; i < res.hi; i++)
		run[nr++] = d.order[i];
	qsort(run, nr, sizeof *run, cmp_u32);
	assert_int_equal(nr, nw);
	assert_memory_equal(run, want, nw * sizeof *want);
	/* The true mass crosses p at the cut, to float rounding (or
	 * min_keep holds more). */
	if (nw > (uint32_t)(c->min_keep > 1 ? c->min_keep : 1)) {
		assert_true(lo < c->top_p + 1e-6L);
		assert_true(hi > c->top_p - 1e-6L);
	}
	tv_dist_free(&d);
	tv_step_free(s);
	free(want);
	free(got);
	free(run);
}

/* Zipf-like head over normal noise at random ids, as a model's logits. */
static void
zipf(float *l, uint32_t n, uint32_t seed, float noise)
{
	struct tv_rng g;

	tv_rng_seed(&g, seed);
	for (uint32_t i = 0; i < n; i++)
		l[i] = (float)(noise * tv_rng_normal(&g) -
			       1.1 * log1p(tv_rng_u32(&g) % n));
}

static const struct cut cuts[] = {
	{ TV_PROFILE_LLAMACPP, 0.8, 0.95, 0 },
	{ TV_PROFILE_LLAMACPP, 1.3, 0.5, 0 },
	{ TV_PROFILE_HF, 0.8, 0.95, 0 },
	{ TV_PROFILE_HF, 1.5, 0.9, 0 },
	{ TV_PROFILE_LLAMA3, 0.6, 0.9, 0 },
	{ TV_PROFILE_VLLM, 0.7, 0.8, 0 },
	{ TV_PROFILE_LLAMACPP, 1, 0.99, 3 },
	{ TV_PROFILE_LLAMACPP, 0.8, 0.01, 2300 },
	{ TV_PROFILE_HF, 1.5, 0.2, 100 },
};

static void
random_distributions(void **state)
{
	static const uint32_t sizes[] = { 2500, 20000, 70001, 262144 };
	static const float noise[] = { 1.5f, 0.3f, 3 };

	(void)state;
	for (size_t z = 0; z < sizeof sizes / sizeof *sizes; z++)
		for (uint32_t seed = 1; seed <= 3; seed++) {
			float *l = malloc(sizes[z] * sizeof *l);

			assert_non_null(l);
			zipf(l, sizes[z], seed + 10 * (uint32_t)z,
			     noise[seed - 1]);
			/* A min_keep past the first ordering has the step
			 * order the nucleus. */
			for (size_t c = 0; c < sizeof cuts / sizeof *cuts; c++)
				check(l, sizes[z], &cuts[c],
				      cuts[c].min_keep <= 64);
			free(l);
		}
}

/* A few values only (bf16-like), all equal, and a fifth at -inf. */
static void
ties_and_infinities(void **state)
{
	uint32_t n = 50000;
	float *l = malloc(n * sizeof *l);
	struct tv_rng g;

	(void)state;
	assert_non_null(l);
	tv_rng_seed(&g, 7);
	for (int kind = 0; kind < 4; kind++) {
		for (uint32_t i = 0; i < n; i++) {
			switch (kind) {
			case 0:
				l[i] = (float)(tv_rng_u32(&g) % 7) * 0.5f;
				break;
			case 1:
				l[i] = 2.5f;
				break;
			default:
				l[i] = (float)(-3 * tv_rng_uniform(&g));
				break;
			}
			if (kind >= 2 && tv_rng_u32(&g) % 5 == 0)
				l[i] = -INFINITY;
		}
		if (kind == 3)
			for (uint32_t i = 0; i < n; i += 3)
				l[i] = -INFINITY;
		for (size_t c = 0; c < sizeof cuts / sizeof *cuts; c++)
			check(l, n, &cuts[c], 0);
		/* Exactly half the mass of equal tokens: the tie at p; and
		 * 0.95, a little below 19/20. */
		for (int r = 0; r < 3; r++) {
			static const enum tv_profile prof[] = {
				TV_PROFILE_HF, TV_PROFILE_LLAMA3,
				TV_PROFILE_LLAMACPP,
			};

			check(l, n, &(struct cut){ prof[r], 1, 0.5, 0 }, 0);
			check(l, n, &(struct cut){ prof[r], 1, 0.95, 0 }, 0);
		}
	}
	free(l);
}

/* Equal tokens, counted by hand: HF and llama.cpp keep while the mass
 * before is below p, Meta while it is at most p; p = 0.95 is the double
 * just below 19/20, so the 4,750th token's mass before exceeds it. */
static void
equal_tokens(void **state)
{
	static const struct {
		enum tv_profile prof;
		double top_p;
		uint32_t kept;
	} want[] = {
		{ TV_PROFILE_HF, 0.5, 2500 },
		{ TV_PROFILE_LLAMACPP, 0.5, 2500 },
		{ TV_PROFILE_LLAMA3, 0.5, 2501 },
		{ TV_PROFILE_HF, 0.95, 4750 },
		{ TV_PROFILE_LLAMACPP, 0.95, 4750 },
		{ TV_PROFILE_LLAMA3, 0.95, 4750 },
		{ TV_PROFILE_LLAMA3, 0.25, 1251 },
	};
	uint32_t n = 5000, *ids = malloc(n * sizeof *ids);
	float *l = calloc(n, sizeof *l);
	struct tv_step *s = tv_step_new(n);
	struct tv_chain ch;
	struct tv_params p;
	struct tv_result res;
	struct tv_dist d;
	struct tv_rng g;

	(void)state;
	assert_non_null(ids);
	assert_non_null(l);
	assert_non_null(s);
	assert_int_equal(tv_dist_from_logits(&d, l, n), TV_OK);
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		setup(&(struct cut){ want[i].prof, 1, want[i].top_p, 0 }, &ch,
		      &p);
		tv_run(&d, &ch, &p, &res);
		assert_int_equal(res.hi - res.lo, want[i].kept);
		tv_rng_seed(&g, 1);
		tv_step_sample(s, l, n, &ch, &p, &g);
		assert_int_equal(tv_step_kept(s, ids), want[i].kept);
	}
	tv_dist_free(&d);
	tv_step_free(s);
	free(ids);
	free(l);
}

/* Temperatures of 1e-3 and 1e3 and p near 0 and 1: the cut at the first
 * token, or among the smallest masses of the tail. */
static void
extremes(void **state)
{
	static const double temp[] = { 1e-3, 1e3, 1 };
	static const double top_p[] = {
		1e-9, 0.01, 0.999, 0.999999, 1 - 1e-12,
	};
	static const enum tv_profile prof[] = {
		TV_PROFILE_HF, TV_PROFILE_LLAMA3, TV_PROFILE_VLLM,
	};
	uint32_t n = 30000;
	float *l = malloc(n * sizeof *l);

	(void)state;
	assert_non_null(l);
	zipf(l, n, 99, 2);
	for (size_t t = 0; t < sizeof temp / sizeof *temp; t++)
		for (size_t q = 0; q < sizeof top_p / sizeof *top_p; q++)
			for (size_t r = 0; r < sizeof prof / sizeof *prof; r++)
				check(l, n, &(struct cut){ prof[r], temp[t],
							   top_p[q], 0 }, 0);
	free(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(goal_levels),
		cmocka_unit_test(equal_tokens),
		cmocka_unit_test(random_distributions),
		cmocka_unit_test(ties_and_infinities),
		cmocka_unit_test(extremes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
